/* core/kube_kinds.h: the kind registry, the one place a Kubernetes kind is
 * described. One entry per kind (core/kube_kinds.c) holds its REST
 * coordinates (group, version, resource, kind, short names, scope), the
 * fields the object cache keeps of it (the layout below and how each field
 * is read from the API's JSON) and the columns `kubectl get` prints for it
 * and how each cell is made (kubernetes pkg/printers/internalversion/
 * printers.go). The client (paths, `kube_resource_find`), the store
 * (core/kube_store.c), `dify-tui get` and the simulator's Table output all
 * read it, so adding a kind is one entry here plus its tests. */
#ifndef CORE_KUBE_KINDS_H
#define CORE_KUBE_KINDS_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;
struct error;
struct kube_intern;
struct strbuf;

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

/* ---- what the store keeps of each kind ---- */

/* A pod, as the dashboard and `get pods` show it. */
struct kube_pod {
    const char *phase;  /* Pending, Running, Succeeded, Failed, Unknown */
    const char *reason; /* kubectl's STATUS column: CrashLoopBackOff, OOMKilled,
                           Completed, Init:0/1, Terminating ... */
    const char *node;
    const char *last_reason;     /* a container's lastState.terminated.reason (OOMKilled) */
    const char *ip;              /* status.podIPs[0].ip, else status.podIP */
    const char *nominated;       /* status.nominatedNodeName */
    const char *gates;           /* "1/2": readiness gates whose condition is True; NULL: none */
    unsigned short ready, total; /* containers ready / all (sidecar init containers count) */
    unsigned restarts;
    long long last_restart; /* newest lastState.terminated.finishedAt among those counted */
};

/* The pod template and selector columns of the workload kinds (-o wide). */
struct kube_template {
    const char *containers; /* "api,sidecar" */
    const char *images;     /* "langgenius/dify-api:1.9.1,..." */
    const char *selector;   /* the label selector as kubectl formats it */
};

/* Deployment, StatefulSet, DaemonSet, ReplicaSet: what rollout status and
 * `get` need. */
struct kube_workload {
    long long generation; /* metadata.generation (kept for these kinds only) */
    long long observed_generation;
    int spec_replicas; /* -1 when spec.replicas is absent */
    int replicas, updated, ready, available, current;
    const char *progressing_reason;  /* Deployment: the Progressing condition's reason */
    const char *progressing_message; /* ... and its message */
    bool paused;                     /* spec.paused */
    const char *revision;            /* Deployment/ReplicaSet: deployment.kubernetes.io/revision */
    const char *strategy;            /* spec.strategy.type / spec.updateStrategy.type */
    bool has_rolling_update;         /* spec.updateStrategy.rollingUpdate present */
    int partition;                   /* -1 when absent */
    const char *current_revision, *update_revision;             /* StatefulSet */
    int desired_scheduled, updated_scheduled, number_available; /* DaemonSet */
    int current_scheduled, number_ready;                        /* DaemonSet */
    const char *node_selector;                                  /* DaemonSet: "k=v,..." */
    struct kube_template tpl;
};

struct kube_job {
    int completions; /* -1: absent */
    int parallelism; /* -1: absent */
    int active, succeeded, failed;
    int backoff_limit; /* defaulted to 6 like the API server */
    bool complete, failed_cond, suspended, failure_target;
    const char *failed_reason, *failed_message;
    long long start, completion; /* status.startTime, status.completionTime; 0: unset */
    struct kube_template tpl;
};

struct kube_event {
    const char *involved_kind, *involved_name;
    const char *reason, *message, *type;
    const char *field_path; /* involvedObject.fieldPath */
    const char *source;     /* "kubelet, node-1" (source or reporting controller/instance) */
    unsigned count;
    long long first; /* firstTimestamp, else eventTime; 0: unknown */
    long long last;  /* series.lastObservedTime, lastTimestamp, else first; 0: unknown */
};

struct kube_service {
    const char *type, *cluster_ip;
    const char *ports;    /* "5001/TCP,80:30080/TCP" */
    const char *external; /* kubectl's EXTERNAL-IP column */
    const char *selector; /* "app=x,component=api"; NULL: <none> */
};

struct kube_ingress {
    const char *class_name;
    const char *hosts;   /* kubectl's HOSTS: "a.example.com,b.example.com", "*" */
    const char *address; /* load balancer IPs or host names */
    bool tls;            /* spec.tls set: PORTS is "80, 443" */
};

/* ConfigMap and Secret: names and keys only. Values are fetched through a
 * separate kube_get when a caller really needs one. */
struct kube_keys {
    const char *type; /* Secret type */
    const char **keys;
    unsigned nkeys;
    unsigned ndata; /* keys of data alone (a Secret's DATA column) */
};

struct kube_pvc {
    const char *phase, *volume, *capacity, *storage_class;
    const char *access_modes; /* "RWO,RWX" */
    const char *attr_class;   /* spec.volumeAttributesClassName */
    const char *volume_mode;  /* spec.volumeMode */
};

struct kube_node {
    const char *status; /* Ready, NotReady or Unknown, + ",SchedulingDisabled" */
    bool ready;
    bool unschedulable;
    const char *kubelet_version;
    const char *roles; /* from node-role.kubernetes.io/ROLE labels, "a,b"; NULL: none */
    const char *internal_ip, *external_ip;
    const char *os_image, *kernel, *runtime;
};

struct kube_annotation {
    const char *key, *value;
};

struct kube_serviceaccount {
    const struct kube_annotation *annotations; /* eks.amazonaws.com/role-arn ... */
    unsigned nannotations;
    unsigned nsecrets;
};

struct kube_nsobj {
    const char *phase;
};

/* metadata.uid. An API server's uids are lowercase UUIDs: kept as their
 * 16 bytes (the text was 36 bytes, interned: 64 with malloc's header, one
 * string per object). Any other text (a test's "u1", an upper-case UUID)
 * is interned and w[0] holds its pointer, w[1] KUBE_UID_TEXT. All zero: no
 * uid. Read it with kube_obj_uid. */
struct kube_uid {
    unsigned long long w[2];
};
#define KUBE_UID_TEXT 0x7465787420756964ull /* a marker no stored UUID has */
#define KUBE_UID_LEN 37                     /* a UUID's text and its NUL */

/* One object. Strings belong to the store that holds it.
 *
 * A store allocates each object at its kind's size (kube_obj_size): the
 * common fields and u's member of that kind, not the whole union (a pod
 * is 152 bytes where the union's largest kind, a workload, makes 240). So
 * only the member of an object's own kind may be read, and an object is
 * never copied whole (`*o`): memcpy kube_obj_size bytes. In builds with
 * AddressSanitizer a poisoned red zone follows every object in its slab,
 * so reading another kind's member is caught there. */
struct kube_obj {
    const char *ns; /* "" for cluster-scoped */
    const char *name;
    struct kube_uid uid;                 /* kube_obj_uid */
    const char *component;               /* app.kubernetes.io/component, else component, else app */
    const char *owner_kind, *owner_name; /* the controller owner */
    unsigned long long rv;               /* resourceVersion as a number (0: not numeric) */
    long long created;                   /* Unix seconds */
    long long deleted;                   /* deletionTimestamp, 0 when none */
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

/* How a kept field is stored, so the store can read and release it. */
enum kube_field_type {
    KF_STR,   /* const char *, interned */
    KF_INT,   /* int: a count, def when absent or out of range */
    KF_I64,   /* long long */
    KF_TIME,  /* long long Unix seconds from RFC 3339; 0 when absent */
    KF_BOOL,  /* bool: true when the JSON value is true */
    KF_KEYS,  /* struct kube_keys' keys/nkeys: interned strings in an array */
    KF_PAIRS, /* struct kube_serviceaccount's annotations: interned pairs */
};

/* One field kept of an object: where it lives in struct kube_obj and the
 * JSON path it is read from. path NULL: the kind's project function sets it
 * (a value kubectl computes, like the pod STATUS). */
struct kube_field {
    enum kube_field_type type;
    size_t off;
    const char *path;
    int def; /* KF_INT: the value when absent */
};

/* ---- what `kubectl get` prints of each kind ---- */

enum kube_cell {
    KC_NAME, /* metadata.name */
    KC_AGE,  /* kubectl's AGE of metadata.creationTimestamp */
    KC_STR,  /* the KF_STR field at off, def when NULL */
    KC_INT,  /* the int field at off */
    KC_FN,   /* fn computes it */
};

/* now: Unix seconds. Appends the cell's text. */
typedef void (*kube_cell_fn)(const struct kube_obj *o, long long now, struct strbuf *out);

/* One column, as the API server's Table describes it: its name ("Up-to-date";
 * kubectl's heading is the name in upper case), type, format and priority
 * (0: always shown; 1: only with -o wide), and how its cell is made. */
struct kube_column {
    const char *name;
    const char *type;   /* "string" or "integer" (the columnDefinition's type) */
    const char *format; /* "name" for the name column, else "" */
    int priority;
    bool number; /* the Table cell is a JSON number (printed the same by kubectl) */
    enum kube_cell cell;
    size_t off;      /* KC_STR, KC_INT */
    const char *def; /* KC_STR: the text when the field is NULL or empty */
    kube_cell_fn fn; /* KC_FN */
};

struct kube_proj;
/* Sets a kind's computed fields (path NULL in its field list). */
typedef void (*kube_project_fn)(struct kube_proj *p, const struct cJSON *j, struct kube_obj *o);

/* A resource the client knows how to address, and everything else the
 * product knows about its kind. */
struct kube_resource {
    enum kube_kind id;
    const char *group;    /* "" or "apps": kubectl's -o name uses KIND.GROUP */
    const char *version;  /* "v1" */
    const char *plural;   /* "pods": the path segment */
    const char *singular; /* "pod" */
    const char *kind;     /* "Pod" */
    const char *shorts;   /* short names, comma-separated: "po" */
    bool namespaced;
    const struct kube_field *fields; /* the kind's own fields (kube_meta_fields are common) */
    size_t nfields;
    kube_project_fn project; /* NULL: the field list says everything */
    const struct kube_column *columns;
    size_t ncolumns;
};

/* The entry of a kind. */
const struct kube_resource *kube_resource_get(enum kube_kind k);
/* Finds a resource by plural, singular, kind (any case), short name or
 * "plural.group"/"singular.group". */
const struct kube_resource *kube_resource_find(const char *name);
/* Finds a resource by apiVersion ("apps/v1", "v1") and kind ("Deployment"). */
const struct kube_resource *kube_resource_for(const char *api_version, const char *kind);
/* The API path prefix: "/api/v1" or "/apis/apps/v1". */
void kube_resource_prefix(const struct kube_resource *r, struct strbuf *out);
/* The common string fields of every object (namespace, name, component,
 * owner); the uid is kept apart (struct kube_uid). */
const struct kube_field *kube_meta_fields(size_t *n);

/* ---- the projection: JSON -> struct kube_obj (core/kube_project.c) ---- */

/* Fills o from the JSON object j of kind r, interning strings in t. Fails
 * (err) for an object without a name; o is then empty. */
int kube_obj_project(struct kube_intern *t, const struct kube_resource *r, const struct cJSON *j,
                     struct kube_obj *o, struct error *err);
/* Releases every string and array of o that kube_obj_project made; with t
 * NULL only the arrays (a store freeing its whole intern table at once,
 * which need not call it for a kind that kube_obj_owns_arrays says has
 * none). */
void kube_obj_release(struct kube_intern *t, const struct kube_resource *r, struct kube_obj *o);
/* Whether the objects of kind r hold arrays of their own (KF_KEYS, KF_PAIRS
 * fields, its own or the metadata's) that kube_obj_release frees. */
bool kube_obj_owns_arrays(const struct kube_resource *r);
/* The bytes an object of kind k takes: the common fields and u's member of
 * that kind. */
size_t kube_obj_size(enum kube_kind k);
/* The uid's text (NULL: none): the interned text, or buf (KUBE_UID_LEN
 * bytes) holding the UUID. */
const char *kube_obj_uid(const struct kube_obj *o, char *buf);
/* Interns s for a project function (NULL stays NULL). */
const char *kube_proj_intern(struct kube_proj *p, const char *s);

/* ---- the printer (core/kube_print.c) ---- */

/* kubectl's age format (apimachinery duration.HumanDuration). */
void kube_human_duration(long long secs, char *buf, size_t len);
/* Appends the cell of column c for o. */
void kube_cell_text(const struct kube_column *c, const struct kube_obj *o, long long now,
                    struct strbuf *out);
/* kubectl's heading of a column: its name in upper case. */
void kube_column_heading(const struct kube_column *c, struct strbuf *out);

/* A table laid out like kubectl's tabwriter (cells padded by 3 spaces,
 * minimum cell width 6, the last column unpadded). */
struct kube_table {
    char **cells;
    size_t ncols, nrows;
    /* Optional: given the laid-out text whenever it passes 64 KiB while
     * rendering (the caller writes it out and empties it), so 100,000 rows
     * are never one buffer (8 MB, 16 while it grew). */
    void (*flush)(struct strbuf *out, void *arg);
    void *flush_arg;
};
/* Adds one row of ncols cells (copied). The first row sets ncols. */
void kube_table_add(struct kube_table *t, const char *const *row, size_t ncols);
/* The heading row and one row per object, as `kubectl get` prints them. */
void kube_table_heading(struct kube_table *t, const struct kube_resource *r, bool with_ns,
                        bool wide);
void kube_table_row(struct kube_table *t, const struct kube_resource *r, const struct kube_obj *o,
                    bool with_ns, bool wide, long long now);
/* Appends the laid-out text and frees the table's cells. */
void kube_table_render(struct kube_table *t, struct strbuf *out);
/* The same with the column widths kept by the caller (ncols entries, zero
 * at first) across calls, growing as cells need: kubectl's watch output
 * (its tabwriter's RememberWidths), rows aligned with what came before. */
void kube_table_render_widths(struct kube_table *t, size_t *widths, struct strbuf *out);

#endif
