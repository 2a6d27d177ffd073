/* core/steps_kube.h: the runner's Kubernetes steps, shared between
 * steps_kube.c (applying objects, the install and uninstall plans' kube
 * parts), steps_wait.c (the migration Job and the rollouts) and
 * steps_delete.c (uninstall). Not for other modules: they see only the
 * plan parts declared in core/plan.h. */
#ifndef CORE_STEPS_KUBE_H
#define CORE_STEPS_KUBE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/manifests.h"
#include "core/plan.h"

struct cJSON;
struct error;
struct kube_client;
struct kube_obj;
struct step_run;

/* Apply objects by server-side apply, one after the other, a detail row
 * each. foreign_check: an object that exists and was never applied by
 * dify-tui (a ServiceAccount made by Terraform, eksctl or a Helm release)
 * is left alone and explained. Takes the objects. */
struct plan_step *steps_add_apply(struct plan *p, enum plan_stage stage, const char *id,
                                  const char *title, struct manifests *objs, bool foreign_check);

/* The migration Job (DECISIONS.md item 5): run it, wait for it, its log
 * on failure. Takes job. */
struct plan_step *steps_add_migration(struct plan *p, const struct plan_ctx *ctx,
                                      struct manifest_obj *job);

/* render's database Job (component db-create), run to its end before the
 * migration. Takes job. */
struct plan_step *steps_add_db_job(struct plan *p, const struct plan_ctx *ctx,
                                   struct manifest_obj *job);

/* Every Deployment and StatefulSet of the release rolled out by kubectl's
 * rules (core/rollout), one row each. names: the expected workloads as
 * "Deployment/dify-api" (NULL/0: whatever carries the release's
 * app.kubernetes.io/instance label). */
struct plan_step *steps_add_rollouts(struct plan *p, const struct plan_ctx *ctx,
                                     const char *const *names, size_t n);

/* The post-deploy checks (core/steps_check.c). */
struct plan_step *steps_add_checks(struct plan *p, const struct plan_ctx *ctx);

/* An HTTP answer that retrying will not change (4xx but 408, 409, 429). */
bool steps_http_permanent(const struct error *e);
/* Fills @@name@@ from Terraform's outputs (the "terraform" step's). */
int steps_fill_placeholders(struct step_run *sr, const char *text, char **out, struct error *err);
/* kubectl's pod problem for a waiting/crashing pod, or NULL: CrashLoopBackOff,
 * ImagePullBackOff, ErrImagePull, CreateContainerConfigError, ... */
const char *steps_pod_problem(const struct kube_obj *pod);

/* The last max lines of a log body (*out: the caller frees with
 * steps_free_lines). */
size_t steps_last_lines(const char *body, size_t len, size_t max, char ***out);
void steps_free_lines(char **v, size_t n);
const char *steps_last_nonempty(char *const *v, size_t n);
/* The last line that reads like an error ("...Error: ...", "FATAL", "panic"),
 * else the last non-empty one. */
const char *steps_last_error(char *const *v, size_t n);

/* Pods parsed from a list (kube_obj_parse), freed with steps_pods_clear. */
struct pods {
    struct kube_obj **v;
    size_t n;
};
void steps_pods_clear(struct pods *p);
void steps_pods_item(const struct cJSON *item, void *arg); /* a kube_item_cb; arg: struct pods */

#endif
