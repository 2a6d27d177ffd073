/* core/status_inc.c: the model's rows kept up to date change by change
 * (status.h), so that a change costs what it touches, not the namespace
 * (a whole derivation is about 0.1 s at 100,000 pods; docs/bench.md).
 *
 * What the stores tell is noted by name: a pod, a workload (Deployment,
 * StatefulSet, DaemonSet), a ReplicaSet whose owner changed, came or went,
 * a Job that came, went or changed component. The next derivation takes
 * them in, in one pass each:
 *
 *   - a workload's row is filled again; one that came, went or changed
 *     component (its labels) is taken out of and put into the sorted rows,
 *     and its pods (found through the owner index, status_owners.c, not a
 *     walk over every pod) are placed again; the rows the journal expects
 *     and the cluster lacks follow;
 *   - the pods of a ReplicaSet or Job that changed are placed again;
 *   - each pod noted is placed again: its pods row (and its own row among
 *     the others, a bare pod's) in, out, moved to its new component or
 *     changed in place, one merge pass a batch;
 *   - every workload row that lost or gained a pod, or whose pods changed,
 *     is counted again over its own pods.
 *
 * Only more noted than inc_limit (a relist that brings most of the
 * namespace again, a burst) derive the rows whole (status_derive.c), and
 * so do a refused kind, the first list and the journal's expectations.
 * Every row and pod touched goes to the model's log (status_log.c).
 * tests/unit/test_status_prop.c checks that the rows equal a whole
 * derivation after random walks over every kind. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/status_impl.h"
#include "core/util.h"

const char status_ghost_ns[] = "";

static enum kube_kind workload_kind(const char *kind)
{
    if (str_eq(kind, "Deployment"))
        return KUBE_DEPLOYMENT;
    if (str_eq(kind, "StatefulSet"))
        return KUBE_STATEFULSET;
    if (str_eq(kind, "DaemonSet"))
        return KUBE_DAEMONSET;
    return KUBE_KIND_COUNT;
}

static bool is_workload(enum kube_kind k)
{
    return k == KUBE_DEPLOYMENT || k == KUBE_STATEFULSET || k == KUBE_DAEMONSET;
}

/* The row of kind/name among the rows (NULL: none): a Dify component's
 * (few: looked through) or another's (by binary search). */
static struct status_comp *workload_row(struct status *m, enum kube_kind k, const char *name)
{
    if (k == KUBE_KIND_COUNT || !name)
        return NULL;
    for (size_t i = 0; i < m->ncomps; i++)
        if (m->comps[i].kind == k && str_eq(m->comps[i].name, name))
            return &m->comps[i];
    struct status_comp key = {.comp = DIFY_COMP_NONE, .kind = k, .name = name};
    return (struct status_comp *)status_rows_find(m->others, m->nothers, &key);
}

static struct status_comp *bare_row(struct status *m, const char *name)
{
    struct status_comp key = {.comp = DIFY_COMP_NONE, .kind = KUBE_POD, .name = name};
    return (struct status_comp *)status_rows_find(m->others, m->nothers, &key);
}

/* The pods row of the store's object o (its name may be a ghost's). */
static struct status_pod *pod_entry(struct status *m, const char *name, const void *o)
{
    struct status_pod *x = status_pod_named(m, name);
    return x && x->obj == o ? x : NULL;
}

static bool is_ghost(const struct kube_obj *o)
{
    return o->ns == status_ghost_ns;
}

/* How many pods a derivation places one by one before deriving the rows
 * whole is as cheap: a tenth of them, at least STATUS_MAX_DIRTY (at
 * 100,000 pods 10,000 placed one by one cost 44-49 ms, a whole derivation
 * 51-59 ms: bench/status_inc.c, docs/bench.md). */
static size_t inc_limit(const struct status *m)
{
    size_t l = m->npods / 10;
    return l > STATUS_MAX_DIRTY ? l : STATUS_MAX_DIRTY;
}

/* ---- noting what the store told ---- */

static void push_key(struct status_key **v, size_t *n, size_t *cap, struct status_key k)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = xrealloc(*v, *cap * sizeof(**v));
    }
    (*v)[(*n)++] = k;
}

static void keys_release(struct status *m, struct status_key *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        kube_intern_release(&m->strs, v[i].name);
}

static size_t keys_unique(struct status *m, struct status_key *v, size_t n);

/* Notes k/name (false: too much to follow one by one: a burst that
 * changes the same pods again and again is what it changed, once). */
static bool note(struct status *m, enum kube_kind k, const char *name, bool told)
{
    if (m->nnoted >= inc_limit(m))
        m->nnoted = keys_unique(m, m->noted, m->nnoted);
    if (m->nnoted >= inc_limit(m)) {
        keys_release(m, m->noted, m->nnoted);
        m->nnoted = 0;
        return false;
    }
    push_key(&m->noted, &m->nnoted, &m->noted_cap,
             (struct status_key){k, kube_intern(&m->strs, name), told});
    return true;
}

/* A row's name becomes the model's copy: its object is about to go. */
static void row_keeps_name(struct status *m, struct status_comp *r)
{
    const char *copy = kube_intern(&m->strs, r->name);
    if (m->ncopies == m->copies_cap) {
        m->copies_cap = m->copies_cap ? m->copies_cap * 2 : 16;
        m->copies = xrealloc(m->copies, m->copies_cap * sizeof(*m->copies));
    }
    m->copies[m->ncopies++] = copy;
    r->name = copy;
}

bool status_inc_pod(struct status *m, enum kube_change ch, const struct kube_obj *o)
{
    if (m->rows_full)
        return false;
    struct status_pod *x = ch == KUBE_DELETED ? pod_entry(m, o->name, o) : NULL;
    if (x) {
        /* the object is freed after this call: its rows stand on copies */
        struct status_ghost *g = xcalloc(1, sizeof(*g));
        g->o.name = kube_intern(&m->strs, o->name);
        g->o.ns = status_ghost_ns;
        g->was = o;
        if (m->nghosts == m->ghosts_cap) {
            m->ghosts_cap = m->ghosts_cap ? m->ghosts_cap * 2 : 16;
            m->ghosts = xrealloc(m->ghosts, m->ghosts_cap * sizeof(*m->ghosts));
        }
        m->ghosts[m->nghosts++] = g;
        if (!x->owner_kind) {
            struct status_comp *r = bare_row(m, o->name);
            if (r && r->name == o->name)
                r->name = g->o.name;
        }
        x->obj = &g->o;
    }
    return note(m, KUBE_POD, o->name, true);
}

bool status_inc_note(struct status *m, enum kube_kind k, enum kube_change ch,
                     const struct kube_obj *o)
{
    if (m->rows_full)
        return false;
    if (ch == KUBE_DELETED && is_workload(k)) {
        struct status_comp *r = workload_row(m, k, o->name);
        if (r && r->name == o->name)
            row_keeps_name(m, r);
    }
    return note(m, k, o->name, true);
}

bool status_inc_job_same(struct status *m, const struct kube_obj *o)
{
    for (size_t i = 0; i < m->njobs; i++)
        if (m->jobs[i].obj == o)
            return m->jobs[i].comp == dify_comp_of_obj(KUBE_JOB, o, NULL, NULL, 0);
    return false;
}

void status_inc_reset(struct status *m)
{
    for (size_t i = 0; i < m->nghosts; i++) {
        kube_intern_release(&m->strs, m->ghosts[i]->o.name);
        free(m->ghosts[i]);
    }
    m->nghosts = 0;
    for (size_t i = 0; i < m->ncopies; i++)
        kube_intern_release(&m->strs, m->copies[i]);
    m->ncopies = 0;
    keys_release(m, m->noted, m->nnoted);
    m->nnoted = 0;
}

void status_inc_free(struct status *m)
{
    for (size_t i = 0; i < m->nghosts; i++)
        free(m->ghosts[i]);
    free(m->ghosts);
    free(m->copies);
    free(m->noted);
    m->ghosts = NULL;
    m->copies = NULL;
    m->noted = NULL;
    m->nghosts = m->ncopies = m->nnoted = 0;
}

/* ---- taking it in ---- */

static int cmp_key(const void *a, const void *b)
{
    const struct status_key *x = a, *y = b;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    uintptr_t p = (uintptr_t)x->name, q = (uintptr_t)y->name;
    return (p > q) - (p < q);
}

/* Sorts and drops repeats (names are interned: equal is the same
 * pointer), a repeat's told kept; their references released. */
static size_t keys_unique(struct status *m, struct status_key *v, size_t n)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof(*v), cmp_key);
    size_t k = 0;
    for (size_t i = 1; i < n; i++) {
        if (v[i].kind == v[k].kind && v[i].name == v[k].name) {
            v[k].told = v[k].told || v[i].told;
            kube_intern_release(&m->strs, v[i].name);
            continue;
        }
        v[++k] = v[i];
    }
    return k + 1;
}

/* What a derivation does, gathered before anything moves. */
struct work {
    struct status_key *pods; /* to place again */
    size_t npods, pods_cap;
    struct status_key *recount; /* workload rows to count again */
    size_t nrecount, recount_cap;
};

static void touch_pods(struct status *m, struct work *w, const struct kube_obj **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        push_key(&w->pods, &w->npods, &w->pods_cap,
                 (struct status_key){KUBE_POD, kube_intern(&m->strs, v[i]->name), false});
}

static void recount_add(struct status *m, struct work *w, enum kube_kind k, const char *name)
{
    if (k == KUBE_KIND_COUNT || !name)
        return;
    push_key(&w->recount, &w->nrecount, &w->recount_cap,
             (struct status_key){k, kube_intern(&m->strs, name), false});
}

/* Whether a workload's row goes, comes or changes component: its pods
 * move (else its row changes in place, its pods' numbers kept). */
static bool workload_moves(struct status *m, enum kube_kind k, const char *name)
{
    const struct status_comp *row = workload_row(m, k, name);
    const struct kube_obj *o = kube_store_find(status_store(m, k), m->ns, name);
    return !row || !o || dify_comp_of_obj(k, o, NULL, NULL, 0) != row->comp;
}

/* The pods to place again: those noted, those of the ReplicaSets and Jobs
 * noted, those of the workloads that move. */
static void gather(struct status *m, struct work *w)
{
    for (size_t i = 0; i < m->nnoted; i++) {
        const struct status_key *k = &m->noted[i];
        size_t n = 0;
        if (k->kind == KUBE_POD) {
            push_key(&w->pods, &w->npods, &w->pods_cap,
                     (struct status_key){KUBE_POD, kube_intern(&m->strs, k->name), k->told});
            continue;
        }
        if (k->kind == KUBE_REPLICASET || k->kind == KUBE_JOB)
            n = status_pods_of(m, k->kind, k->name, &m->scratch, &m->scratch_cap);
        else if (workload_moves(m, k->kind, k->name))
            n = status_owned_pods(m, k->kind, k->name, &m->scratch, &m->scratch_cap);
        touch_pods(m, w, m->scratch, n);
    }
    w->npods = keys_unique(m, w->pods, w->npods);
}

static void log_row_key(struct status *m, enum dify_comp c, enum kube_kind k, const char *name)
{
    struct status_comp key = {.comp = c, .kind = k, .name = name};
    status_log_row(m, &key);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Removes the entries at the places at[] (sorted here) from base[*n], in
 * one pass. */
static void remove_at(void *base, size_t *n, size_t size, size_t *at, size_t nat)
{
    if (!nat)
        return;
    qsort(at, nat, sizeof(*at), cmp_size);
    char *b = base;
    /* the stretches between the places move down, each by one memmove
     * (an entry a call was 100,000 calls for a pod taken out of 100,000) */
    size_t k = at[0] < *n ? at[0] : *n, j = 0;
    while (j < nat && at[j] < *n) {
        size_t i = at[j];
        while (j < nat && at[j] == i)
            j++;
        size_t end = j < nat && at[j] < *n ? at[j] : *n;
        memmove(b + k * size, b + (i + 1) * size, (end - i - 1) * size);
        k += end - i - 1;
    }
    *n = k;
}

/* Merges n new entries (sorted here) into the sorted array *base of *have
 * (grown, *cap its room), from the end: each row of base moves once, and
 * n binary searches find where. */
static void merge_in(void **base, size_t *have, size_t *cap, void *add, size_t n, size_t size,
                     int (*cmp)(const void *, const void *))
{
    if (!n)
        return;
    qsort(add, n, size, cmp);
    if (*have + n > *cap) {
        *cap = *have + n + 16;
        *base = xrealloc(*base, *cap * size);
    }
    char *b = *base;
    const char *a = add;
    size_t i = *have, j = n, out = *have + n;
    /* from the largest added row down: the rows of base[0, i) above it
     * (found by binary search, not compared one by one: a Job's pod put
     * among 100,000 pods rows was 100,000 comparisons) move up in one
     * block, then it goes below them; equal rows of base stay before it */
    while (j > 0) {
        const char *x = a + (j - 1) * size;
        size_t lo = 0, hi = i;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cmp(b + mid * size, x) > 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        out -= i - lo;
        memmove(b + out * size, b + lo * size, (i - lo) * size);
        i = lo;
        memcpy(b + (--out) * size, x, size);
        j--;
    }
    *have += n;
}

/* Row changes gathered during a pass, made at its end. */
struct moves {
    size_t *out; /* places to take out */
    size_t nout, out_cap;
    struct status_comp *in; /* rows to put in */
    size_t nin, in_cap;
};

static void moves_out(struct moves *v, size_t at)
{
    if (v->nout == v->out_cap) {
        v->out_cap = v->out_cap ? v->out_cap * 2 : 16;
        v->out = xrealloc(v->out, v->out_cap * sizeof(*v->out));
    }
    v->out[v->nout++] = at;
}

static struct status_comp *moves_in(struct moves *v)
{
    if (v->nin == v->in_cap) {
        v->in_cap = v->in_cap ? v->in_cap * 2 : 16;
        v->in = xrealloc(v->in, v->in_cap * sizeof(*v->in));
    }
    return &v->in[v->nin++];
}

static void moves_done(struct moves *v)
{
    free(v->out);
    free(v->in);
}

static bool taken_out(const struct moves *v, size_t at)
{
    for (size_t i = 0; i < v->nout; i++)
        if (v->out[i] == at)
            return true;
    return false;
}

/* The rows the journal expects and no workload runs, as the component
 * rows are now. */
static void missing_rows(struct status *m, struct moves *cm)
{
    for (int c = 1; c < DIFY_COMP_COUNT; c++) {
        bool found = false;
        size_t miss = SIZE_MAX;
        for (size_t i = 0; i < m->ncomps; i++)
            if (m->comps[i].comp == c && !taken_out(cm, i)) {
                if (m->comps[i].kind == KUBE_KIND_COUNT)
                    miss = i;
                else
                    found = true;
            }
        for (size_t i = 0; i < cm->nin; i++)
            found = found || cm->in[i].comp == c;
        bool want = m->expected[c] && !found;
        if (want && miss == SIZE_MAX) {
            struct status_comp *x = moves_in(cm);
            status_fill_missing(m, (enum dify_comp)c, x);
            x->gen = ++m->gen;
        } else if (!want && miss != SIZE_MAX) {
            log_row_key(m, m->comps[miss].comp, m->comps[miss].kind, m->comps[miss].name);
            status_rows_release(m, &m->comps[miss], 1);
            moves_out(cm, miss);
        }
    }
}

/* The workloads noted: rows changed in place, taken out, put in. */
static void take_workloads(struct status *m, struct work *w)
{
    struct moves cm = {0}, om = {0};
    for (size_t i = 0; i < m->nnoted; i++) {
        enum kube_kind k = m->noted[i].kind;
        const char *name = m->noted[i].name;
        if (!is_workload(k))
            continue;
        struct status_comp *row = workload_row(m, k, name), nw;
        const struct kube_obj *o = kube_store_find(status_store(m, k), m->ns, name);
        if (o)
            status_fill_workload(m, k, o, &nw);
        if (row && o && nw.comp == row->comp) {
            /* its pods' numbers and what the journal expects stay */
            nw.restarts = row->restarts;
            nw.pods = row->pods;
            nw.problem = kube_intern(&m->strs, row->problem);
            nw.expected_tag = kube_intern(&m->strs, row->expected_tag);
            status_row_update(m, row, &nw);
            continue;
        }
        if (row) {
            log_row_key(m, row->comp, row->kind, row->name);
            status_rows_release(m, row, 1);
            if (row->comp == DIFY_COMP_NONE)
                moves_out(&om, (size_t)(row - m->others));
            else
                moves_out(&cm, (size_t)(row - m->comps));
        }
        if (o) {
            nw.problem = status_row_str(m, "");
            nw.expected_tag = status_row_str(m, nw.comp != DIFY_COMP_NONE && m->expected[nw.comp]
                                                    ? m->expected_tag[nw.comp]
                                                    : "");
            nw.gen = ++m->gen;
            *moves_in(nw.comp == DIFY_COMP_NONE ? &om : &cm) = nw;
            recount_add(m, w, k, name);
        }
    }
    missing_rows(m, &cm);
    remove_at(m->comps, &m->ncomps, sizeof(*m->comps), cm.out, cm.nout);
    remove_at(m->others, &m->nothers, sizeof(*m->others), om.out, om.nout);
    merge_in((void **)&m->comps, &m->ncomps, &m->comps_cap, cm.in, cm.nin, sizeof(*cm.in),
             status_cmp_row);
    merge_in((void **)&m->others, &m->nothers, &m->others_cap, om.in, om.nin, sizeof(*om.in),
             status_cmp_row);
    for (size_t i = 0; i < cm.nin; i++)
        status_log_row(m, &cm.in[i]);
    for (size_t i = 0; i < om.nin; i++)
        status_log_row(m, &om.in[i]);
    moves_done(&cm);
    moves_done(&om);
}

/* A pod's component, as a whole derivation gives it: its workload row's,
 * its Job's, else none. */
static enum dify_comp pod_comp(struct status *m, const struct kube_obj *p, const char *ok,
                               const char *on)
{
    if (!p->owner_kind)
        return DIFY_COMP_NONE;
    if (str_eq(ok, "Job"))
        return status_job_comp(m, p, on);
    const struct status_comp *r = workload_row(m, workload_kind(ok), on);
    return r ? (enum dify_comp)r->comp : DIFY_COMP_NONE;
}

/* One pod noted, placed again (x: its pods row, p: the store's object;
 * either may be NULL). Entries to take out and put in are gathered. */
static void place_pod(struct status *m, struct work *w, const struct status_key *k,
                      struct status_pod *x, const struct kube_obj *p, struct status_pod **np,
                      size_t *nnp, size_t *np_cap, size_t **pat, size_t *npat, size_t *pat_cap,
                      struct moves *om)
{
    const char *ok = NULL, *on = NULL;
    enum dify_comp comp = DIFY_COMP_NONE;
    bool problem = false;
    if (p) {
        status_pod_owner(m, p, &ok, &on);
        comp = pod_comp(m, p, ok, on);
        problem = status_pod_is_problem(p);
    }
    bool new_bare = p && !p->owner_kind;
    if (x) {
        bool same_obj = x->obj == p;
        if (same_obj && !k->told && x->comp == comp && str_eq(x->owner_kind, ok) &&
            str_eq(x->workload, on) && x->problem == problem)
            return;
        recount_add(m, w, workload_kind(x->owner_kind), x->workload);
        if (!same_obj)
            status_log_pod_as(m, k->name,
                              is_ghost(x->obj) ? ((const struct status_ghost *)x->obj)->was
                                               : (const void *)x->obj);
        if (!x->owner_kind) {
            struct status_comp *r = bare_row(m, k->name);
            if (r && new_bare) {
                struct status_comp nw;
                status_fill_bare_pod(m, p, &nw);
                status_row_update(m, r, &nw);
            } else if (r) {
                log_row_key(m, DIFY_COMP_NONE, KUBE_POD, r->name);
                status_rows_release(m, r, 1);
                moves_out(om, (size_t)(r - m->others));
            }
        } else if (new_bare) {
            struct status_comp *r = moves_in(om);
            status_fill_bare_pod(m, p, r);
            r->gen = ++m->gen;
        }
        status_pod_release(m, x);
        if (p && comp == x->comp) {
            x->obj = p;
            x->workload = status_pod_str(m, on);
            x->owner_kind = status_pod_str(m, ok);
            x->problem = problem;
            status_log_pod(m, p);
            recount_add(m, w, workload_kind(ok), on);
            return;
        }
        if (*npat == *pat_cap) {
            *pat_cap = *pat_cap ? *pat_cap * 2 : 16;
            *pat = xrealloc(*pat, *pat_cap * sizeof(**pat));
        }
        (*pat)[(*npat)++] = (size_t)(x - m->pods);
        if (!p)
            return;
    } else if (new_bare) {
        struct status_comp *r = moves_in(om);
        status_fill_bare_pod(m, p, r);
        r->gen = ++m->gen;
    }
    if (*nnp == *np_cap) {
        *np_cap = *np_cap ? *np_cap * 2 : 16;
        *np = xrealloc(*np, *np_cap * sizeof(**np));
    }
    (*np)[(*nnp)++] = (struct status_pod){.obj = p,
                                          .comp = comp,
                                          .problem = problem,
                                          .workload = status_pod_str(m, on),
                                          .owner_kind = status_pod_str(m, ok)};
    recount_add(m, w, workload_kind(ok), on);
}

static void take_pods(struct status *m, struct work *w)
{
    struct kube_store *s = status_store(m, KUBE_POD);
    struct status_pod *np = NULL;
    size_t nnp = 0, np_cap = 0, *pat = NULL, npat = 0, pat_cap = 0;
    struct moves om = {0};
    for (size_t i = 0; i < w->npods; i++) {
        const struct status_key *k = &w->pods[i];
        const struct kube_obj *p = kube_store_find(s, m->ns, k->name);
        struct status_pod *x = status_pod_named(m, k->name);
        if (x || p)
            place_pod(m, w, k, x, p, &np, &nnp, &np_cap, &pat, &npat, &pat_cap, &om);
    }
    remove_at(m->pods, &m->npods, sizeof(*m->pods), pat, npat);
    remove_at(m->others, &m->nothers, sizeof(*m->others), om.out, om.nout);
    merge_in((void **)&m->pods, &m->npods, &m->pods_cap, np, nnp, sizeof(*np), status_cmp_pod);
    merge_in((void **)&m->others, &m->nothers, &m->others_cap, om.in, om.nin, sizeof(*om.in),
             status_cmp_row);
    for (size_t i = 0; i < nnp; i++)
        status_log_pod(m, np[i].obj);
    for (size_t i = 0; i < om.nin; i++)
        status_log_row(m, &om.in[i]);
    free(np);
    free(pat);
    moves_done(&om);
}

bool status_inc_apply(struct status *m)
{
    m->nnoted = keys_unique(m, m->noted, m->nnoted);
    struct work w = {0};
    gather(m, &w);
    if (w.npods > inc_limit(m)) {
        keys_release(m, w.pods, w.npods);
        free(w.pods);
        return false;
    }
    take_workloads(m, &w);
    take_pods(m, &w);
    w.nrecount = keys_unique(m, w.recount, w.nrecount);
    for (size_t i = 0; i < w.nrecount; i++) {
        struct status_comp *row = workload_row(m, w.recount[i].kind, w.recount[i].name);
        if (row)
            status_count_row(m, row);
    }
    keys_release(m, w.pods, w.npods);
    keys_release(m, w.recount, w.nrecount);
    free(w.pods);
    free(w.recount);
    status_derive_pair(m);
    status_health_presence(m);
    status_inc_reset(m);
    return true;
}
