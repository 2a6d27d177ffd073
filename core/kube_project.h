/* core/kube_project.h: the computed fields of each kind (the project
 * functions the registry's entries name), for core/kube_kinds.c, and what
 * core/kube_obj.c shares with them. */
#ifndef CORE_KUBE_PROJECT_H
#define CORE_KUBE_PROJECT_H

#include "core/kube_kinds.h"

struct kube_intern;

/* What a project function gets: the store's intern table. */
struct kube_proj {
    struct kube_intern *t;
};

/* A count at a path: def when absent, not a number, or outside -1..1e9. */
int kube_proj_count(const struct cJSON *j, const char *path, int def);
/* An RFC 3339 time at a path in Unix seconds; 0 when absent or not one. */
long long kube_proj_time(const struct cJSON *j, const char *path);

void kube_project_pod(struct kube_proj *p, const struct cJSON *j, struct kube_obj *o);
void kube_project_workload(struct kube_proj *p, const struct cJSON *j, struct kube_obj *o);
void kube_project_job(struct kube_proj *p, const struct cJSON *j, struct kube_obj *o);
void kube_project_event(struct kube_proj *p, const struct cJSON *j, struct kube_obj *o);
void kube_project_service(struct kube_proj *p, const struct cJSON *j, struct kube_obj *o);
void kube_project_ingress(struct kube_proj *p, const struct cJSON *j, struct kube_obj *o);
void kube_project_keys(struct kube_proj *p, const struct cJSON *j, struct kube_obj *o);
void kube_project_serviceaccount(struct kube_proj *p, const struct cJSON *j, struct kube_obj *o);
void kube_project_pvc(struct kube_proj *p, const struct cJSON *j, struct kube_obj *o);
void kube_project_node(struct kube_proj *p, const struct cJSON *j, struct kube_obj *o);

#endif
