/* sim/dify_model.h: Dify's images inside the simulated kubelet. When the
 * scenario declares data stores, a pod whose container runs a Dify image
 * (langgenius/dify-api, -web, -plugin-daemon, -sandbox, or squid as the
 * ssrf proxy; recognised by image, not label) is not scripted: at each
 * container start the model reads the container's environment, connects to
 * the real PostgreSQL and Redis with it, and decides from the answers what
 * the container logs, whether it serves, and when it exits. The service
 * proxy asks the model what a running component answers. Docs: docs/sim.md,
 * "The Dify model". */
#ifndef SIM_DIFY_MODEL_H
#define SIM_DIFY_MODEL_H

#include <cjson/cJSON.h>
#include <stdbool.h>

struct dify_pod;
struct pod_behavior;
struct req;
struct reply;
struct sim_obj;

/* A pod's model, or NULL when the pod is not modelled (no data stores, no
 * Dify image, or a scenario rule scripts its logs or crash). */
struct dify_pod *dify_model_attach(const cJSON *pod, const struct pod_behavior *b);
void dify_model_detach(struct dify_pod *dp); /* sim_lock held */
/* The index of the modelled container in spec.containers. */
int dify_model_container(const struct dify_pod *dp);
/* Why the kubelet cannot create the container (a missing Secret, ConfigMap
 * or key: CreateContainerConfigError), or NULL; the caller frees. */
char *dify_model_config_error(struct dify_pod *dp, const cJSON *pod);
/* The containers were just started (sim_lock held). */
void dify_model_start(struct dify_pod *dp, struct sim_obj *pod);

enum dify_state {
    DIFY_STARTING, /* running, not ready */
    DIFY_READY,    /* ready (serving, or running without a readiness probe) */
    DIFY_EXITED,   /* the container exited with *code */
};
/* Moves the container's run on: writes its new log lines, starts the next
 * phase when due. *wake_ms is when to call again (0: only on change). */
enum dify_state dify_model_step(struct dify_pod *dp, struct sim_obj *pod, long long now, int *code,
                                long long *wake_ms);

/* The service proxy: answers path on the Dify component in pod (sim_lock
 * held on entry and on return; released while talking to the stores).
 * Returns false when the pod is not modelled. */
bool dify_model_proxy(struct sim_obj *pod, struct req *r, const char *path, struct reply *rep);

#endif
