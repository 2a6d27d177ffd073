/* sim/pods.h: the simulated kubelet: each pod walks Pending -> scheduled ->
 * ContainerCreating -> Running -> Ready (or ErrImagePull/ImagePullBackOff,
 * CrashLoopBackOff, Succeeded/Failed for run-to-completion pods) on a timer,
 * writes its container logs, terminates gracefully when deleted, and serves
 * /api/v1/namespaces/NS/pods/NAME/log. */
#ifndef SIM_PODS_H
#define SIM_PODS_H

#include <cjson/cJSON.h>
#include <stdbool.h>

struct req;
struct reply;
struct sim_obj;
struct dify_pod;

void pods_attach(struct sim_obj *pod); /* store_add calls this for new pods */
void pods_detach(struct sim_obj *pod); /* store_remove calls this */
/* Moves every pod whose next step is due (sim_lock held). */
void pods_tick(long long now);
/* After a change to a pod made outside pods_tick (its deletion began):
 * store_commit calls this so that the next tick looks at the pod. */
void pods_wake(struct sim_obj *pod);
void pods_log_handle(struct req *r, struct reply *rep);
/* The Dify component a pod or service belongs to ("api", "plugin-daemon", ...),
 * from the labels (component, app.kubernetes.io/component, app) or the name. */
const char *dify_component(const cJSON *labels, const char *name);
/* Is the pod Ready (condition Ready=True and not deleting)? */
bool pod_is_ready(const cJSON *pod);
/* Appends a line to the current log of container idx (sim_lock held). */
void pods_container_log(struct sim_obj *pod, int idx, const char *line);
/* The pod's Dify model (dify_model.h), or NULL. */
struct dify_pod *pods_dify(const struct sim_obj *pod);
/* Creates the simulated nodes (sim_lock held). */
void pods_create_nodes(int n);

#endif
