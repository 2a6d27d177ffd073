/* core/kube_project.h: the computed fields of each kind (the project
 * functions the registry's entries name), for core/kube_kinds.c. */
#ifndef CORE_KUBE_PROJECT_H
#define CORE_KUBE_PROJECT_H

#include "core/kube_kinds.h"

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
