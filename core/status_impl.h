/* core/status_impl.h: the model's insides, shared by core/status.c (life,
 * watches, getters), status_derive.c (rows), status_health.c (probes) and
 * status_out.c (text and JSON). Nothing outside those files includes it. */
#ifndef CORE_STATUS_IMPL_H
#define CORE_STATUS_IMPL_H

#include "core/kube_intern.h"
#include "core/status.h"

#define STATUS_NKINDS 9
#define STATUS_MAX_DIRTY 1024
extern const enum kube_kind status_kinds[STATUS_NKINDS];

struct status_watched {
    enum kube_kind kind;
    struct status *m;
    struct kube_store *store;
    struct kube_watch *w;
    bool synced, refused;
    bool listing; /* between its list's first page and its end (or failure) */
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
    /* derived (status_derive.c); the rows' own strings (tag, reason,
     * problem) are interned here, one copy of "pod Running" for all */
    struct kube_intern strs;
    struct status_comp *comps, *others;
    size_t ncomps, nothers;
    struct status_pod *pods;
    size_t npods;
    struct status_job *jobs;
    size_t njobs;
    struct status_event *events;
    size_t nevents;
    unsigned long long gen;
    unsigned long long version; /* recomputations so far */
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

/* status_health.c */
void status_health_start(struct status *m);
void status_health_synced(struct status *m);
void status_health_presence(struct status *m);
void status_health_stop(struct status *m);

#endif
