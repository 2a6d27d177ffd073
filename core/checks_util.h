/* core/checks_util.h: small readers the checks share over the run's facts:
 * the pod templates of the namespace's workloads, image references, and
 * map members whose keys hold dots (labels, annotations). */
#ifndef CORE_CHECKS_UTIL_H
#define CORE_CHECKS_UTIL_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;
struct check;

/* A workload of the namespace and its pod template. */
struct workload_ref {
    const char *kind; /* "Deployment", "StatefulSet", "DaemonSet", "Job" */
    const char *name;
    const struct cJSON *obj; /* the whole object */
    const struct cJSON *tpl; /* spec.template */
};
typedef void (*workload_cb)(const struct workload_ref *w, void *arg);

/* Calls cb for each Deployment, StatefulSet, DaemonSet and Job among the
 * check's facts. */
void workloads_each(const struct check *c, workload_cb cb, void *arg);

/* A string member of a JSON object by its exact key (labels and
 * annotations have dots and slashes in their keys), or NULL. */
const char *json_member_str(const struct cJSON *obj, const char *key);

#endif
