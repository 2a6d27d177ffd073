/* core/status.h: the live model of a Dify install in one namespace, fed by
 * watches through the client's stores (core/kube_store.h): the first list
 * paged, then a watch; a watch that expires relists once, with backoff when
 * the server keeps refusing (core/kube_watch.c). Everything the dashboard,
 * `dify-tui status` and the diagnostics show comes from here:
 *
 *   - one row per Dify component found (core/dify_components.h), with
 *     desired/ready/updated/available, the restarts of its pods, age, image
 *     tag and the rollout state by kubectl's rules (core/rollout.h) with its
 *     reason; components the last install's journal expects but the cluster
 *     lacks; everything else in the namespace as "other" rows;
 *   - the pods, jobs and events of the namespace, as the screens list them;
 *   - the health strip: the probes of core/dify_probe.h run every few
 *     seconds, each with its latency, last error and since when;
 *   - the connection: whether the API server answers, since when not.
 *
 * Changes are coalesced: store notifications only mark what changed, and a
 * zero-delay timer recomputes the derived rows once and tells subscribers
 * once, so a burst of a thousand watch events is one recomputation and one
 * frame; while a kind's list is under way (its pages arriving), nothing is
 * recomputed or told until the list is complete. Rows carry a generation that moves only when the
 * row's content changed, so a view can redraw only those.
 *
 * Strings in rows belong to the model and stay valid until the next
 * recomputation (the next notification). They come from the cluster:
 * screens and commands pass them through core/textsafe before showing. */
#ifndef CORE_STATUS_H
#define CORE_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/dify_components.h"
#include "core/dify_probe.h"
#include "core/dify_versions.h"
#include "core/kube_store.h"
#include "core/rollout.h"

struct journal;
struct kube_client;
struct loop;
struct status;

/* What changed, for subscribers. */
enum status_what {
    STATUS_COMPONENTS = 1 << 0,
    STATUS_PODS = 1 << 1,
    STATUS_JOBS = 1 << 2,
    STATUS_EVENTS = 1 << 3,
    STATUS_HEALTH = 1 << 4,
    STATUS_CONN = 1 << 5,   /* reachability, a kind refused, synced */
    STATUS_OTHERS = 1 << 6, /* workloads that are not Dify's, services, PVCs */
    STATUS_ALL = 0x7f,
};

/* The rollout state words (kubectl's rules; "paused" and "scaled down" are
 * what kubectl's waiting message does not say). */
enum status_rollout {
    SR_COMPLETE,
    SR_PROGRESSING,
    SR_PAUSED,
    SR_DEADLINE,    /* ProgressDeadlineExceeded */
    SR_FAILED,      /* a Job that failed, a StatefulSet kubectl cannot judge */
    SR_MISSING,     /* expected by the journal, not in the cluster */
    SR_SCALED_DOWN, /* 0 desired */
};

/* One component (or other workload) row. */
struct status_comp {
    /* The enums in a byte each: 100,000 bare pods are 100,000 "other"
     * rows, 88 bytes each (104 with whole enums; docs/bench.md). */
    unsigned char comp;    /* enum dify_comp */
    unsigned char how;     /* enum dify_match */
    unsigned char kind;    /* enum kube_kind: DEPLOYMENT, STATEFULSET, DAEMONSET, POD (a bare
                            * pod); KUBE_KIND_COUNT when missing */
    unsigned char rollout; /* enum status_rollout */
    int desired, ready, updated, available;
    unsigned restarts; /* over its pods (kubectl's count) */
    unsigned pods;     /* pods it owns now */
    const char *name;  /* the workload's name ("" when missing) */
    long long created; /* Unix seconds */
    /* The strings below are never NULL; they are the model's, one copy
     * of each. */
    const char *tag;          /* the running image's tag ("" unknown) */
    const char *expected_tag; /* what the journal says ("" none) */
    const char *reason;       /* kubectl's rollout line, or what is missing */
    const char *problem;      /* its pods' worst state: "2 CrashLoopBackOff (last: Error)"; "" */
    unsigned long long gen;   /* moves when anything above changed */
};

/* One pod, as the pods view lists it. */
struct status_pod {
    const struct kube_obj *obj; /* the store's: name, node, created, u.pod */
    enum dify_comp comp;        /* of its workload */
    bool problem;               /* a state worth a colour (CrashLoopBackOff, OOMKilled ...) */
    const char *workload;       /* the Deployment/StatefulSet/... that owns it, or NULL */
    const char *owner_kind;     /* the kind of workload ("Deployment" for a ReplicaSet's) */
};

/* One Job. */
struct status_job {
    const struct kube_obj *obj;
    enum dify_comp comp; /* DIFY_COMP_MIGRATION for the migration Job */
    enum rollout_state state;
    char msg[320];          /* core/rollout's Job line */
    long long duration;     /* seconds from start to completion (or now) */
    int attempts;           /* pods started: failed + succeeded + active */
    const char *newest_pod; /* the newest of its pods (for its log), or NULL */
};

/* Events, grouped: same object, type, reason and message. */
struct status_event {
    const char *type; /* Warning / Normal */
    const char *kind, *name;
    const char *reason, *message;
    unsigned count;  /* summed over the group */
    long long last;  /* newest in the group */
    unsigned events; /* Event objects in the group */
};

/* A probe's history, for the health strip. */
struct status_probe {
    bool checked;       /* at least one answer */
    const char *absent; /* set (why): nothing here to probe, e.g. no plugin daemon */
    bool ok;
    long status;
    long long latency_ms;
    char version[64];
    char msg[1024];                 /* the last answer */
    char last_error[1024];          /* kept after recovery */
    long long last_error_at, since; /* Unix seconds: the last error; the state's start */
    enum dify_key_state key;
    enum dify_storage_state storage;
};

struct status_health {
    struct status_probe api, daemon, key, storage;
    enum dify_pair pair; /* api tag vs daemon tag (when both run) */
    bool pair_checked;
    char pair_msg[256];
    char api_tag[64], daemon_tag[64];
};

/* A kind the model could not read (forbidden, not served). */
struct status_refusal {
    enum kube_kind kind;
    char msg[512];
};

struct status_conn {
    bool synced;          /* every watched kind listed once */
    bool reachable;       /* the last request got an answer */
    long long down_since; /* Unix seconds; 0 while reachable */
    char down_msg[512];
    struct status_refusal refused[KUBE_KIND_COUNT];
    size_t nrefused;
    /* objects the API sent that could not be read (wrong types): said, not shown */
    char malformed[8][512];
    size_t nmalformed; /* how many there were (may exceed the 8 kept) */
};

struct status_opts {
    const char *ns;
    /* The probes' period (default 5000 ms); < 0: no probes. The key and
     * storage probes run every 6th period. */
    long probe_ms;
    /* The Events are not watched (the text report shows none): their
     * stream, store and list are saved; status_nevents is then 0. */
    bool no_events;
    /* The model's clock (Unix seconds); NULL: time(). Tests fix it. */
    long long (*now)(void);
};

/* c may be NULL: nothing is watched and the stores are fed by hand
 * (status_store + kube_store_apply, then status_flush). loop may be NULL
 * only then. */
struct status *status_new(struct loop *l, struct kube_client *c, const struct status_opts *o);
void status_free(struct status *m);
/* Starts the watches and the probes. */
void status_start(struct status *m);

/* The store of a watched kind (POD, DEPLOYMENT, STATEFULSET, DAEMONSET,
 * REPLICASET, JOB, EVENT, SERVICE, PVC); NULL for another. */
struct kube_store *status_store(struct status *m, enum kube_kind k);
/* Feeds one object as a watch event would (type "ADDED", "MODIFIED",
 * "DELETED", or NULL for a list item): into its kind's store, an object
 * that cannot be read noted in status_conn()'s malformed list. -1 for a
 * kind the model does not watch. */
struct cJSON;
int status_apply(struct status *m, const char *type, const struct cJSON *obj);
/* A list of one kind fed by hand, as a watch's list feeds it: between
 * begin and end the rows wait for the whole list (no derivation and no
 * notification a page; a getter meanwhile sees no rows rather than part
 * of them, unless rows were derived before); end drops what the list did
 * not bring, counts the kind as listed, and the next flush derives once. */
void status_list_begin(struct status *m, enum kube_kind k);
void status_list_end(struct status *m, enum kube_kind k);
const char *status_namespace(const struct status *m);
struct kube_client *status_client(const struct status *m);
long long status_now(const struct status *m);

/* A failed request's error, as a watch reports one: a transport error or a
 * 5xx makes the API server unreachable from now (until something answers);
 * other errors change nothing. Watches call it; so may anyone whose request
 * found the server down. */
void status_note_error(struct status *m, const struct error *err);

/* A probe's answer, as the model's own probes record theirs (the runner's
 * post-deploy checks may feed theirs; tests do). */
void status_record_probe(struct status *m, const struct dify_probe_result *r);

/* Subscribers hear (what changed) once per coalesced batch. */
typedef void (*status_cb)(struct status *m, unsigned what, void *arg);
void status_subscribe(struct status *m, status_cb cb, void *arg);
void status_unsubscribe(struct status *m, status_cb cb, void *arg);
/* Recomputes now what is pending (tests, one-shot commands). */
void status_flush(struct status *m);

/* Expected components and versions. From the journal: the newest record
 * with fields "expect.<component key>" = "<image tag>" (e.g.
 * expect.api=1.13.3, expect.plugin-daemon=0.5.3-local) or the newest
 * "revision" step's (out.image_tag for api, worker and web, out.daemon_tag
 * for the plugin daemon), whichever is newer; docs/dashboard.md. */
void status_expect(struct status *m, enum dify_comp c, const char *tag);
int status_expect_journal(struct status *m, const struct journal *j);
/* The same from DIR/journal.jsonl, read without taking the journal's lock
 * (an install may be running): returns how many components it named, -1
 * when the file cannot be read (err). ns (may be NULL) gets the record's
 * "namespace" field, "" when it has none. */
struct error;
int status_expect_journal_file(struct status *m, const char *dir, char *ns, size_t nn,
                               struct error *err);

/* ---- the derived view (valid until the next notification) ---- */
/* Moves whenever the rows below were recomputed: a view that keeps
 * pointers to rows rebuilds when it changed. */
unsigned long long status_version(const struct status *m);
/* How many times the rows were derived whole rather than change by change
 * (the first list, a refused kind, a batch too big to follow: tests and
 * benchmarks check that a change costs what it touches). */
unsigned long status_whole_derivations(const struct status *m);
size_t status_ncomps(const struct status *m); /* Dify components, in the table's order */
const struct status_comp *status_comp_at(const struct status *m, size_t i);
size_t status_nothers(const struct status *m); /* workloads that are not Dify's */
const struct status_comp *status_other_at(const struct status *m, size_t i);
size_t status_npods(const struct status *m); /* by component, then name */
const struct status_pod *status_pod_at(const struct status *m, size_t i);
size_t status_njobs(const struct status *m); /* newest first */
const struct status_job *status_job_at(const struct status *m, size_t i);
size_t status_nevents(const struct status *m); /* warnings first, newest on top */
const struct status_event *status_event_at(const struct status *m, size_t i);
const struct status_health *status_health(const struct status *m);
const struct status_conn *status_conn(const struct status *m);
/* The migration Job (the newest one), or NULL. */
const struct status_job *status_migration(const struct status *m);
/* The component row of a workload, or NULL. */
const struct status_comp *status_find_comp(const struct status *m, enum dify_comp c);

/* A pod whose state deserves a colour: CrashLoopBackOff, ImagePullBackOff,
 * ErrImagePull, OOMKilled, Error ..., or a container that was terminated
 * before (its last termination reason). */
bool status_pod_is_problem(const struct kube_obj *pod);

/* The state word ("complete", "progressing", "paused",
 * "ProgressDeadlineExceeded", "failed", "missing", "scaled down"). */
const char *status_rollout_word(enum status_rollout r);
/* Whether everything Dify needs is up: every component complete, health ok
 * (a probe counts when it was checked and its component is there: not
 * absent). */
bool status_healthy(const struct status *m);

/* ---- what changed, for views that keep their own copy ---- */
/* One row (a component or other row) or one pod that changed, was added
 * or went. A reader finds it again by its key (status_row_find,
 * status_pod_find): not found means it went. */
struct status_change {
    unsigned long long seq;
    bool pod;            /* a pod's row in the pods list; else a component/other row */
    enum dify_comp comp; /* a row's */
    enum kube_kind kind; /* a row's */
    const char *name;    /* the row's or the pod's name (the model's copy) */
    const void *obj;     /* a pod: the store object it was (an identity: never read,
                          * it may be freed) */
};
/* The log's position now: pass it to status_changes_since later. */
unsigned long long status_seq(const struct status *m);
/* The changes after since (oldest first, a row or pod may be there more
 * than once) in *v, *n, valid until the next recomputation; false when the
 * model no longer knows them all (rows derived whole: the first list, a
 * batch too big to follow; or more changes than it keeps): the
 * reader reads everything again. */
bool status_changes_since(const struct status *m, unsigned long long since,
                          const struct status_change **v, size_t *n);
/* A row by its key, or NULL. */
const struct status_comp *status_row_find(const struct status *m, enum dify_comp c,
                                          enum kube_kind k, const char *name);
/* A pod's row in the pods list by its name, or NULL. */
const struct status_pod *status_pod_find(const struct status *m, const char *name);

/* ---- output for `dify-tui status` ---- */
struct strbuf;
/* The whole model as one JSON document (docs/dashboard.md's schema). */
void status_json(const struct status *m, bool pretty, struct strbuf *out);
/* The same, handing out to drain (which empties it) every 64 KiB between
 * items and at the end; a drained piece never ends inside a character. */
void status_json_drain(const struct status *m, bool pretty, struct strbuf *out,
                       void (*drain)(struct strbuf *out, void *arg), void *arg);
/* The component table as text, like `kubectl get` (cells made safe). */
void status_text(const struct status *m, struct strbuf *out);
/* The same, handing out to drain (which empties it, e.g. writes it out)
 * every 64 KiB and at the end, so that 100,000 rows are never one string. */
void status_text_drain(const struct status *m, struct strbuf *out,
                       void (*drain)(struct strbuf *out, void *arg), void *arg);
/* One line per component row, problem or health item, for --watch: the
 * caller diffs consecutive calls. */
void status_lines(const struct status *m, char ***lines, size_t *n);
/* The same lines one at a time, each with the generation of the row it
 * says (0 for lines that are not a row's). When known(gen, arg) says the
 * caller holds the line of that generation already, the line is not made
 * and line(NULL, gen, arg) is called instead: a change at 100,000 rows
 * formats the rows that changed. known may be NULL. */
void status_lines_each(const struct status *m, bool (*known)(unsigned long long gen, void *arg),
                       void (*line)(const char *text, unsigned long long gen, void *arg),
                       void *arg);

/* The lines of status_lines_each that are not rows' and the lines of the
 * rows that changed after since (status_seq), in the same order, then
 * gone(key) for each changed row's key that no row has any more. False
 * (nothing called) when status_changes_since cannot tell. */
bool status_lines_since(const struct status *m, unsigned long long since,
                        void (*line)(const char *text, unsigned long long gen, void *arg),
                        void (*gone)(const char *key, size_t len, void *arg), void *arg);

/* What `status --watch` prints at each change: the lines of status_lines
 * that differ from what the last look had under their key (the text
 * before ": "), then each key no line has any more (gone). The first look
 * reports nothing (out NULL is allowed: nothing is reported). Returns
 * whether something changed. */
struct status_diff;
typedef void (*status_diff_cb)(const char *text, size_t len, bool gone, void *arg);
struct status_diff *status_diff_new(void);
void status_diff_free(struct status_diff *d);
bool status_diff_look(struct status_diff *d, const struct status *m, status_diff_cb out, void *arg);

#endif
