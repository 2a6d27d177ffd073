/* core/render_manifests.h: the Kubernetes objects rendered for both methods
 * (namespace, Secrets, IRSA ServiceAccounts, ConfigMaps, the migration Job)
 * and the Ingresses of the manifests method. */
#ifndef CORE_RENDER_MANIFESTS_H
#define CORE_RENDER_MANIFESTS_H

#include "core/profile.h"

struct error;
struct rendered;

/* manifests/00,10,15,20,30 and, for the manifests method, 40/41 ingresses. */
int render_manifests(const struct profile *p, const struct secrets *s, struct rendered *out,
                     struct error *err);

#endif
