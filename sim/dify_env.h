/* sim/dify_env.h: a container's environment and mounted files as the
 * kubelet gives them to the image: envFrom (ConfigMaps and Secrets, with
 * prefix and optional), then env (plain values with $(VAR) references,
 * configMapKeyRef, secretKeyRef, fieldRef), read from the store at the
 * moment the container starts, so a patched Secret counts from the next
 * restart on, as on a real node. */
#ifndef SIM_DIFY_ENV_H
#define SIM_DIFY_ENV_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct dify_env {
    size_t n;
    char **names;
    char **values;
    char *problem; /* why the kubelet cannot start the container
                      (CreateContainerConfigError), or NULL */
};

void dify_env_init(struct dify_env *e);
void dify_env_done(struct dify_env *e); /* wipes the values (they hold secrets) */
/* Resolves the container's environment (sim_lock held). */
void dify_env_resolve(struct dify_env *e, const cJSON *pod, const cJSON *container);
const char *dify_env_get(const struct dify_env *e, const char *name); /* NULL if unset */
/* The value, or dflt when unset (an empty value counts as set). */
const char *dify_env_or(const struct dify_env *e, const char *name, const char *dflt);
/* The content of a file under a ConfigMap or Secret volume mount (items and
 * subPath honoured), or NULL (sim_lock held; the caller frees). */
char *dify_env_file(const cJSON *pod, const cJSON *container, const char *path);
/* The volume mounted at path or at a directory above it, or NULL. */
const cJSON *dify_env_volume_at(const cJSON *pod, const cJSON *container, const char *path);

#endif
