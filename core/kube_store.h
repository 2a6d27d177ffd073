/* core/kube_store.h: a cache of one watched kind, in plain structs. Each
 * object keeps only what the screens, diagnostics and rollout status need;
 * every string is interned in the store (one copy of "dify", of each node
 * name, of "Running"), so 10,000 pods stay cheap (docs/kube.md has the
 * measured bytes per pod). Watch events update it (keyed by namespace/name,
 * stale resourceVersions ignored) and subscribers hear what changed. */
#ifndef CORE_KUBE_STORE_H
#define CORE_KUBE_STORE_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;
struct error;
struct kube_client;
struct kube_resource;
struct kube_watch;
struct kube_watch_opts;

enum kube_kind {
    KUBE_POD,
    KUBE_DEPLOYMENT,
    KUBE_STATEFULSET,
    KUBE_DAEMONSET,
    KUBE_REPLICASET,
    KUBE_JOB,
    KUBE_EVENT,
    KUBE_SERVICE,
    KUBE_INGRESS,
    KUBE_CONFIGMAP,
    KUBE_SECRET,
    KUBE_SERVICEACCOUNT,
    KUBE_PVC,
    KUBE_NODE,
    KUBE_NAMESPACE,
    KUBE_KIND_COUNT
};

/* A pod, as the dashboard shows it. */
struct kube_pod {
    const char *phase;  /* Pending, Running, Succeeded, Failed, Unknown */
    const char *reason; /* kubectl's STATUS column: CrashLoopBackOff, OOMKilled,
                           Completed, Init:0/1, Terminating ... */
    const char *node;
    const char *last_reason;     /* a container's lastState.terminated.reason (OOMKilled) */
    unsigned short ready, total; /* containers ready / all (not init containers) */
    unsigned restarts;
};

/* Deployment, StatefulSet, DaemonSet, ReplicaSet: what rollout status needs. */
struct kube_workload {
    long long generation, observed_generation;
    int spec_replicas; /* -1 when spec.replicas is absent */
    int replicas, updated, ready, available, current;
    const char *progressing_reason; /* Deployment: the Progressing condition's reason */
    const char *strategy;           /* spec.strategy.type / spec.updateStrategy.type */
    bool has_rolling_update;        /* spec.updateStrategy.rollingUpdate present */
    int partition;                  /* -1 when absent */
    const char *current_revision, *update_revision;             /* StatefulSet */
    int desired_scheduled, updated_scheduled, number_available; /* DaemonSet */
};

struct kube_job {
    int completions; /* -1: absent */
    int parallelism;
    int active, succeeded, failed;
    int backoff_limit; /* defaulted to 6 like the API server */
    bool complete, failed_cond;
    const char *failed_reason, *failed_message;
    long long start, completion; /* status.startTime, status.completionTime; 0: unset */
};

struct kube_event {
    const char *involved_kind, *involved_name;
    const char *reason, *message, *type;
    unsigned count;
    long long last; /* lastTimestamp, else eventTime, else creation */
};

struct kube_service {
    const char *type, *cluster_ip;
    const char *ports;    /* "5001/TCP,5002/TCP" */
    const char *external; /* kubectl's EXTERNAL-IP column */
};

struct kube_ingress {
    const char *class_name;
    const char *hosts; /* "a.example.com,b.example.com" */
};

/* ConfigMap and Secret: names and keys only. Values are fetched through a
 * separate kube_get when a caller really needs one. */
struct kube_keys {
    const char *type; /* Secret type */
    const char **keys;
    unsigned nkeys;
};

struct kube_pvc {
    const char *phase, *volume, *capacity, *storage_class;
};

struct kube_node {
    bool ready;
    bool unschedulable;
    const char *kubelet_version;
    const char *roles; /* from node-role.kubernetes.io/ROLE labels, "a,b"; NULL: none */
};

struct kube_annotation {
    const char *key, *value;
};

struct kube_serviceaccount {
    const struct kube_annotation *annotations; /* eks.amazonaws.com/role-arn ... */
    unsigned nannotations;
};

struct kube_nsobj {
    const char *phase;
};

/* One object. Strings belong to the store. */
struct kube_obj {
    const char *ns; /* "" for cluster-scoped */
    const char *name;
    const char *uid;
    const char *component;               /* app.kubernetes.io/component, else component, else app */
    const char *owner_kind, *owner_name; /* the controller owner */
    unsigned long long rv;               /* resourceVersion as a number (0: not numeric) */
    long long created;                   /* Unix seconds */
    long long deleted;                   /* deletionTimestamp, 0 when none */
    long long generation;
    union {
        struct kube_pod pod;
        struct kube_workload wl;
        struct kube_job job;
        struct kube_event ev;
        struct kube_service svc;
        struct kube_ingress ing;
        struct kube_keys keys;
        struct kube_pvc pvc;
        struct kube_node node;
        struct kube_serviceaccount sa;
        struct kube_nsobj nsobj;
    } u;
};

enum kube_change { KUBE_ADDED, KUBE_MODIFIED, KUBE_DELETED };

/* A change: obj is valid during the call (for DELETED, its last state). */
typedef void (*kube_store_cb)(enum kube_kind kind, enum kube_change change,
                              const struct kube_obj *obj, void *arg);

struct kube_store;

enum kube_kind kube_kind_of(const struct kube_resource *res);
struct kube_store *kube_store_new(enum kube_kind kind);
void kube_store_free(struct kube_store *s);
enum kube_kind kube_store_kind(const struct kube_store *s);

/* One subscriber per call; returns an id for unsubscribe. Subscribing or
 * unsubscribing from inside a notification is not supported. */
int kube_store_subscribe(struct kube_store *s, kube_store_cb cb, void *arg);
void kube_store_unsubscribe(struct kube_store *s, int id);

/* Applies a watch event ("ADDED", "MODIFIED", "DELETED") or, with type
 * NULL, a list item. Fails (err) for an object without a name. */
int kube_store_apply(struct kube_store *s, const char *type, const struct cJSON *obj,
                     struct error *err);
/* A relist: objects not seen between begin and end are deleted at end. */
void kube_store_relist_begin(struct kube_store *s);
void kube_store_relist_end(struct kube_store *s);

size_t kube_store_count(const struct kube_store *s);
/* Objects in no particular order; i < count. */
const struct kube_obj *kube_store_at(const struct kube_store *s, size_t i);
const struct kube_obj *kube_store_find(const struct kube_store *s, const char *ns,
                                       const char *name);
/* Bytes held: objects, index and interned strings. */
size_t kube_store_memory(const struct kube_store *s);
/* True once the first list completed. */
bool kube_store_synced(const struct kube_store *s);

/* Starts a watch that feeds the store (o->res must match the store's kind). */
struct kube_watch *kube_store_watch(struct kube_store *s, struct kube_client *c,
                                    const struct kube_watch_opts *o);

/* Parses one object outside a store (rollout-status, tests). Strings are
 * owned by the returned holder; free with kube_obj_free. */
struct kube_obj *kube_obj_parse(enum kube_kind kind, const struct cJSON *obj, struct error *err);
void kube_obj_free(struct kube_obj *o);

#endif
