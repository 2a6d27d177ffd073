/* sim/controllers.h: the reconcile loop. One thread wakes every 50 ms, takes
 * sim_lock and runs the simulated kubelet (pods.c), the garbage collector,
 * namespace termination and the Deployment, ReplicaSet, StatefulSet, Job and DaemonSet
 * controllers, then the scenario's bulk load. */
#ifndef SIM_CONTROLLERS_H
#define SIM_CONTROLLERS_H

/* Starts the controller thread. */
void controllers_start(void);
/* One reconcile pass (sim_lock held); exposed for the startup pass. */
void controllers_tick(long long now);

/* Helpers shared with workloads.c. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct sim_obj;

/* Children of an owner uid, rebuilt at a pass when an ownership changed. */
struct child {
    const char *owner;   /* the controller owner's uid */
    struct sim_obj *obj; /* the child */
};
struct index {
    struct child *v;
    size_t n;
    unsigned long gen; /* the kind's owner_gen it was built at */
    bool built;
};
/* The children of uid: *out points into the index; returns how many. */
size_t index_find(const struct index *ix, const char *uid, struct child **out);
/* A short hash of a pod template, in the Kubernetes safe alphabet. */
void template_hash(const cJSON *tmpl, char out[16]);
/* Creates a pod from owner's template, named name (or owner name + suffix). */
struct sim_obj *create_pod(struct sim_obj *owner, const cJSON *tmpl, const char *name,
                           cJSON *extra_labels);
/* Replaces obj's status with st (taken), committing only when it changed. */
void set_status(struct sim_obj *obj, cJSON *st);
/* Sets condition type in status st, keeping old times while unchanged. */
void set_cond(cJSON *st, const cJSON *old_st, const char *type, const char *status,
              const char *reason, const char *message, bool touch_update);
/* Not deleting and not Succeeded/Failed. */
bool pod_active(const struct sim_obj *p);

#endif
