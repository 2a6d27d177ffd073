/* core/render_app.h: the built-in application of the manifests method:
 * storage, and a Deployment and Service per Dify component. */
#ifndef CORE_RENDER_APP_H
#define CORE_RENDER_APP_H

#include "core/profile.h"

struct cJSON;
struct error;
struct rendered;

/* manifests/25-storage.yaml (local storage only) and 32..38-<component>.yaml. */
int render_app(const struct profile *p, struct rendered *out, struct error *err);

/* envFrom: the shared ConfigMap and Secret of api/worker/beat (and the Job). */
void render_app_env_from(const struct profile *p, struct cJSON *container);

#endif
