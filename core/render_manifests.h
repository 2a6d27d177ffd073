/* core/render_manifests.h: the Kubernetes objects rendered for both methods
 * (namespace, Secrets, IRSA ServiceAccounts, ConfigMaps, the migration Job)
 * and the Ingresses of the manifests method. */
#ifndef CORE_RENDER_MANIFESTS_H
#define CORE_RENDER_MANIFESTS_H

#include <stddef.h>

#include "core/profile.h"

struct error;
struct rendered;

/* manifests/00,10,15,20,30 and, for the manifests method, 40/41 ingresses. */
int render_manifests(const struct profile *p, const struct secrets *s, struct rendered *out,
                     struct error *err);

/* The databases the install creates beside the main one (the plugin
 * daemon's; for enterprise also "enterprise" and "audit"); names[] gets at
 * most 3 pointers into p or static strings. manifests/28-databases-job.yaml
 * creates them in the cluster. */
size_t render_databases(const struct profile *p, const char *names[3]);

#endif
