/* core/status_impl.h: the model's insides, shared by core/status.c (life,
 * watches, getters), status_derive.c (rows), status_health.c (probes) and
 * status_out.c (text and JSON). Nothing outside those files includes it. */
#ifndef CORE_STATUS_IMPL_H
#define CORE_STATUS_IMPL_H

#include "core/kube_intern.h"
#include "core/status.h"

#define STATUS_NKINDS 9
/* a batch changes at least this many pods one by one (status_inc.c) */
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
 * pods row stands on the ghost (the model's copy of its name) meanwhile,
 * so that no search reads the freed object. */
struct status_ghost {
    struct kube_obj o; /* o.name: the model's copy; o.ns: status_ghost_ns */
    const void *was;   /* the store's object it was: an identity, never read */
};
extern const char status_ghost_ns[];

/* A name noted for the next derivation (the model's copy, one reference):
 * a pod (told: the store told of it, so its row changed), a workload, a
 * ReplicaSet or a Job whose pods are to be placed again. */
struct status_key {
    enum kube_kind kind;
    const char *name;
    bool told;
};

/* Objects by their owner's name (status_owners.c). */
struct status_owners {
    struct own_ent *ents;
    uint32_t nents, ents_cap, free_ent, live_ents;
    struct own_key *keys;
    uint32_t nkeys, keys_cap, free_key, live_keys;
    uint32_t *obj_slots, *key_slots;
    size_t nobj_slots, nkey_slots;
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
    /* What the rows lack: rows_full, everything (derive_rows); else what
     * is noted below, taken in change by change (status_inc.c) */
    bool rows_full;
    /* The names of the objects with rows that were deleted since the last
     * derivation (their strings are freed: the old rows that name them are
     * not read by a whole derivation); gone_many when there were more. */
    const char *gone[STATUS_MAX_DIRTY];
    size_t ngone;
    bool gone_many;
    /* noted since the last derivation: pods (kind POD), workloads, and
     * ReplicaSets and Jobs whose pods are placed again; the pods rows
     * standing on ghosts; row names that are the model's copies since
     * their objects went (released after the next derivation) */
    struct status_key *noted;
    size_t nnoted, noted_cap;
    struct status_ghost **ghosts;
    size_t nghosts, ghosts_cap;
    const char **copies;
    size_t ncopies, copies_cap;
    /* objects by owner name: the pods, the ReplicaSets */
    struct status_owners pod_owners, rs_owners;
    const struct kube_obj **scratch;
    size_t scratch_cap;
    /* derived (status_derive.c); the rows' own strings (tag, reason,
     * problem) are interned here, one copy of "pod Running" for all */
    struct kube_intern strs;
    struct status_comp *comps, *others;
    size_t ncomps, nothers, comps_cap, others_cap;
    struct status_pod *pods;
    size_t npods, pods_cap;
    struct status_job *jobs;
    size_t njobs;
    struct status_event *events;
    size_t nevents;
    bool events_stale; /* the Events changed: events are derived again when asked */
    unsigned long long gen;
    unsigned long long version; /* recomputations so far */
    unsigned long nwhole;       /* of them, rows derived whole */
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
/* The pending changes derived, and the events grouped and sorted again if
 * they changed since (the events are derived only when asked). */
void status_events_ensure(struct status *m);
void status_derive_free(struct status *m);

/* status_derive.c's steps, for status_inc.c */
const char *status_row_str(struct status *m, const char *s);
void status_rows_release(struct status *m, struct status_comp *rows, size_t n);
void status_fill_workload(struct status *m, enum kube_kind k, const struct kube_obj *o,
                          struct status_comp *c);
void status_fill_bare_pod(struct status *m, const struct kube_obj *p, struct status_comp *c);
void status_agg_pod(struct agg *a, const struct kube_obj *p);
void status_count_pods(struct status *m, struct status_comp *c, const struct agg *a);
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
void status_fill_missing(struct status *m, enum dify_comp comp, struct status_comp *x);
/* The model's copy of a pods row's owner kind or workload name (NULL
 * stays NULL); released with the row. */
const char *status_pod_str(struct status *m, const char *s);
void status_pod_release(struct status *m, struct status_pod *x);

/* status_inc.c: what the store told, noted (false: the rows must be
 * derived whole), and taken in at the next derivation (false: they must). */
bool status_inc_pod(struct status *m, enum kube_change ch, const struct kube_obj *o);
bool status_inc_note(struct status *m, enum kube_kind k, enum kube_change ch,
                     const struct kube_obj *o);
bool status_inc_job_same(struct status *m, const struct kube_obj *o);
bool status_inc_apply(struct status *m);
/* Forgets what was noted (the rows were derived whole). */
void status_inc_reset(struct status *m);
void status_inc_free(struct status *m);

/* status_owners.c */
void status_owners_init(struct status_owners *x);
void status_owners_free(struct status_owners *x);
/* Puts o in (or moves it to) its owner name's list: true when its owner
 * changed (a new object with an owner, one whose owner went or moved). */
bool status_owners_put(struct status_owners *x, const struct kube_obj *o);
bool status_owners_del(struct status_owners *x, const struct kube_obj *o);
/* The objects of an owner name: first, next, ... UINT32_MAX at the end. */
uint32_t status_owners_first(const struct status_owners *x, const char *name);
uint32_t status_owners_next(const struct status_owners *x, uint32_t id);
const struct kube_obj *status_owners_obj(const struct status_owners *x, uint32_t id);
size_t status_owners_memory(const struct status_owners *x);
/* The pods a workload row counts (through its ReplicaSets for a
 * Deployment), and the pods a ReplicaSet or Job owns itself, in *v (grown
 * as needed, *cap its room): how many. */
size_t status_owned_pods(struct status *m, enum kube_kind k, const char *name,
                         const struct kube_obj ***v, size_t *cap);
size_t status_pods_of(struct status *m, enum kube_kind k, const char *name,
                      const struct kube_obj ***v, size_t *cap);
void status_count_row(struct status *m, struct status_comp *row);
const char *status_job_newest_pod(struct status *m, const struct kube_obj *job);

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
