/* core/checks_env.h: the environment a container starts with, resolved as
 * the kubelet resolves it (kubelet_pods.go makeEnvironmentVariables):
 * envFrom sources in order (with their prefix; a later one wins), then env
 * entries in order, each value's $(VAR) references expanded against what
 * was defined before it ($$ is a literal $), valueFrom from the run's
 * ConfigMaps and Secrets (configMapKeyRef, secretKeyRef, their `optional`)
 * and the namespace and name fields. The checks compare what the pods
 * really get, not what a values file meant.
 *
 * Values that come from a Secret are registered with the log's redaction
 * and wiped when the environment is freed; the checks compare them by hash
 * and never show them. */
#ifndef CORE_CHECKS_ENV_H
#define CORE_CHECKS_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/dify_components.h"

struct cJSON;
struct check;
struct workload_ref;

struct env_var {
    char *name;
    char *value;
    char source[192]; /* "Secret dify-api/PLUGIN_DAEMON_KEY", "env", "ConfigMap dify-config" */
    bool secret;      /* the value came from a Secret */
};

struct app_env {
    struct env_var *v;
    size_t n;
    char container[128]; /* the container it is of */
    /* What could not be resolved ("Secret dify-x not found"), one line
     * each: the kubelet refuses to start such a container
     * (CreateContainerConfigError). */
    char **problems;
    size_t nproblems;
};

/* Resolves the environment of the container of pod template tpl running
 * the component's image (want; DIFY_COMP_NONE: the first container)
 * against the check's FACT_CONFIGMAPS and FACT_SECRETS. */
void checks_env_resolve(const struct check *c, const struct cJSON *tpl, enum dify_comp want,
                        struct app_env *out);
/* The value of name, or NULL when the container does not get it. */
const char *app_env_get(const struct app_env *e, const char *name);
const struct env_var *app_env_find(const struct app_env *e, const char *name);
void app_env_done(struct app_env *e);

/* True for "true", "1", "yes", "on" in any case (Dify's bool parsing). */
bool env_true(const char *v);

/* A component's workload: the first Deployment, StatefulSet, DaemonSet
 * (or, for the migration, Job) classified as comp (core/dify_components).
 * False when there is none. */
bool checks_app_find(const struct check *c, enum dify_comp comp, struct workload_ref *out);

#endif
