/* core/status_impl.h: the model's insides, shared by core/status.c (life,
 * watches, getters), status_derive.c (rows), status_health.c (probes) and
 * status_out.c (text and JSON). Nothing outside those files includes it. */
#ifndef CORE_STATUS_IMPL_H
#define CORE_STATUS_IMPL_H

#include "core/kube_intern.h"
#include "core/status.h"

#define STATUS_NKINDS 9
#define STATUS_MAX_DIRTY 1024
/* changes the log keeps (status_changes_since); past that it forgets the
 * older half and a reader that had not seen them reads everything */
#define STATUS_LOG_MAX 4096
extern const enum kube_kind status_kinds[STATUS_NKINDS];

struct status_watched {
    enum kube_kind kind;
    struct status *m;
    struct kube_store *store;
    struct kube_watch *w;
    bool synced, refused;
    bool listing; /* between its list's first page and its end (or failure) */
};

/* A pod deleted since the last derivation, taken out at the next one; its
 * pods row stands on a ghost (the model's copy of its name) meanwhile, so
 * that no search reads the freed object. */
struct status_del {
    const void *obj;        /* the store's object it was: an identity, never read */
    struct kube_obj *ghost; /* in its pods row now */
    const char *name;       /* the model's copy */
    enum dify_comp comp;
    bool bare;              /* it had a row of its own among the others */
    enum kube_kind wl_kind; /* its workload's row: kind (KUBE_KIND_COUNT: none) and name */
    const char *wl_name;    /* the model's copy */
};

/* A workload that changed in place. */
struct status_wl {
    enum kube_kind kind;
    const struct kube_obj *obj;
};

/* A ReplicaSet's name and its Deployment's (NULL: none), as the rows were
 * derived with: a ReplicaSet that changed with the same owner changes no row. */
struct status_rs {
    const char *name, *deploy;
};

/* A workload row's numbers over its pods. */
struct agg {
    unsigned restarts, pods;
    int worst;
    const char *worst_reason, *last_reason;
    unsigned worst_count;
};

struct status_sub {
    status_cb cb;
    void *arg;
};

struct status {
    struct loop *loop;
    struct kube_client *c;
    char *ns;
    struct status_opts o;
    struct status_watched w[STATUS_NKINDS];
    struct status_sub *subs;
    size_t nsubs;
    unsigned pending; /* what the derived rows lack */
    unsigned notify;  /* what subscribers have not heard */
    long long flush_timer;
    bool in_flush, in_derive;
    /* kinds whose list is under way: rows wait for the whole list (a
     * derivation per page made 100,000 pods take 30 s; docs/bench.md) */
    unsigned nlisting;
    bool expected[DIFY_COMP_COUNT];
    char expected_tag[DIFY_COMP_COUNT][64];
    /* What the rows lack: rows_full, everything (derive_rows); else the
     * pods in dirty changed in place, status and restarts, and only they
     * and their rows are derived again (derive_changed). More than
     * STATUS_MAX_DIRTY of them in a batch derive everything. */
    bool rows_full;
    const struct kube_obj *dirty[STATUS_MAX_DIRTY];
    size_t ndirty;
    /* The names of the objects with rows that were deleted since the last
     * derivation (their strings are freed: the old rows that name them are
     * not read); gone_many when there were more. */
    const char *gone[STATUS_MAX_DIRTY];
    size_t ngone;
    bool gone_many;
    /* pods added and deleted, workloads changed in place, since the last
     * derivation: taken in one by one (status_inc.c) unless rows_full */
    const struct kube_obj *added[STATUS_MAX_DIRTY];
    size_t nadded;
    struct status_del *dels; /* STATUS_MAX_DIRTY of them */
    size_t ndels;
    struct status_wl wl[64];
    size_t nwl;
    struct status_rs *rs; /* by name pointer */
    size_t nrs;
    /* derived (status_derive.c); the rows' own strings (tag, reason,
     * problem) are interned here, one copy of "pod Running" for all */
    struct kube_intern strs;
    struct status_comp *comps, *others;
    size_t ncomps, nothers, others_cap;
    struct status_pod *pods;
    size_t npods, pods_cap;
    struct status_job *jobs;
    size_t njobs;
    struct status_event *events;
    size_t nevents;
    unsigned long long gen;
    unsigned long long version; /* recomputations so far */
    /* the log of rows and pods that changed (status_log.c): entries after
     * log_floor are all there; seq is the last entry's */
    struct status_change *log;
    size_t nlog;
    unsigned long long seq, log_floor;
    struct status_health health;
    struct status_conn conn;
    /* probes (status_health.c) */
    struct dify_probe *p_api, *p_daemon, *p_key, *p_storage;
    long long probe_timer;
    unsigned probe_round;
    bool probing;
};

/* status.c */
void status_mark(struct status *m, unsigned what);
void status_note_reachable(struct status *m);
/* Recomputes what is pending; every getter calls it first, since derived
 * rows point into the stores. */
void status_ensure(const struct status *m);

/* status_derive.c */
void status_derive(struct status *m, unsigned what);
void status_derive_free(struct status *m);

/* status_derive.c's steps, for status_inc.c */
const char *status_row_str(struct status *m, const char *s);
void status_rows_release(struct status *m, struct status_comp *rows, size_t n);
void status_fill_workload(struct status *m, enum kube_kind k, const struct kube_obj *o,
                          struct status_comp *c);
void status_fill_bare_pod(struct status *m, const struct kube_obj *p, struct status_comp *c);
void status_agg_pod(struct agg *a, const struct kube_obj *p);
void status_count_pods(struct status *m, struct status_comp *c, const struct agg *a);
void status_count_row(struct status *m, struct status_comp *row);
void status_pod_owner(struct status *m, const struct kube_obj *p, const char **kind,
                      const char **name);
int status_cmp_row(const void *a, const void *b);
int status_cmp_pod(const void *a, const void *b);
const struct status_comp *status_rows_find(const struct status_comp *rows, size_t n,
                                           const struct status_comp *key);
size_t status_pod_pos(const struct status *m, enum dify_comp c, const char *name);
struct status_pod *status_pod_named(const struct status *m, const char *name);
void status_row_update(struct status *m, struct status_comp *row, struct status_comp *nw);
void status_derive_pair(struct status *m);
enum dify_comp status_job_comp(struct status *m, const struct kube_obj *p, const char *job);
/* The rows' snapshot of ReplicaSets (after a whole derivation). */
void status_rs_snapshot(struct status *m);

/* status_inc.c: what the store told, noted (false: the rows must be
 * derived whole), and taken in at the next derivation (false: they must). */
bool status_inc_pod(struct status *m, enum kube_change ch, const struct kube_obj *o);
bool status_inc_workload(struct status *m, enum kube_kind k, const struct kube_obj *o);
bool status_inc_rs(struct status *m, const struct kube_obj *o);
bool status_inc_job(struct status *m, const struct kube_obj *o);
bool status_inc_apply(struct status *m);
/* Forgets what was noted (the rows were derived whole). */
void status_inc_reset(struct status *m);
void status_inc_free(struct status *m);

/* The row of (comp, kind, name), or NULL; pos gets its place in the
 * table (components, then others). */
const struct status_comp *status_row_lookup(const struct status *m, enum dify_comp c,
                                            enum kube_kind k, const char *name, size_t *pos);

/* status_log.c: a row or a pod that changed, added or went; a whole
 * recomputation (what came before is not told). */
void status_log_row(struct status *m, const struct status_comp *r);
void status_log_pod(struct status *m, const struct kube_obj *p);
/* a pod that went: its name and the object it was (an identity) */
void status_log_pod_as(struct status *m, const char *name, const void *obj);
void status_log_reset(struct status *m);
void status_log_free(struct status *m);

/* status_health.c */
void status_health_start(struct status *m);
void status_health_synced(struct status *m);
void status_health_presence(struct status *m);
void status_health_stop(struct status *m);

#endif
