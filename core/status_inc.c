/* core/status_inc.c: the model's rows kept up to date change by change
 * (status.h), so that a change costs what it touches, not the namespace
 * (a whole derivation is about 0.1 s at 100,000 pods; docs/bench.md):
 *
 *   - a pod changed in place: its pods row, its own row (a bare pod) or
 *     its workload's numbers, counted again over that workload's pods;
 *   - a pod added or deleted: its pods row and its own row put in or taken
 *     out of the sorted arrays (one merge pass a batch), its workload's
 *     numbers counted again;
 *   - a Deployment, StatefulSet or DaemonSet changed in place, still the
 *     same component: its row only (its pods' numbers kept);
 *   - a ReplicaSet changed with the same Deployment: no row; a Job changed
 *     as the same component: the jobs only.
 *
 * Anything else (a workload, ReplicaSet or Job added or deleted, a
 * component label changed, a pod's owner changed, a relist, more than
 * STATUS_MAX_DIRTY changes of a kind in a batch) derives the rows whole
 * (status_derive.c). Every row and pod touched goes to the model's log
 * (status_log.c). tests/unit/test_status_prop.c checks that the rows equal
 * a whole derivation after random walks over every kind. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/status_impl.h"
#include "core/util.h"

/* ---- noting what the store told ---- */

/* Drops a pod from the lists of pods added or changed (it was deleted). */
static void forget(const struct kube_obj **v, size_t *n, const struct kube_obj *o)
{
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (v[i] != o)
            v[k++] = v[i];
    *n = k;
}

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

bool status_inc_pod(struct status *m, enum kube_change ch, const struct kube_obj *o)
{
    if (m->rows_full)
        return false;
    if (ch == KUBE_MODIFIED) {
        if (m->ndirty == STATUS_MAX_DIRTY)
            return false;
        m->dirty[m->ndirty++] = o;
        return true;
    }
    if (ch == KUBE_ADDED) {
        if (m->nadded == STATUS_MAX_DIRTY)
            return false;
        m->added[m->nadded++] = o;
        return true;
    }
    /* deleted: the object is freed after this call */
    forget(m->added, &m->nadded, o);
    forget(m->dirty, &m->ndirty, o);
    struct status_pod *x = pod_entry(m, o->name, o);
    if (!x)
        return true; /* added since the rows were derived: nothing to take out */
    if (m->ndels == STATUS_MAX_DIRTY)
        return false;
    if (!m->dels)
        m->dels = xmalloc(STATUS_MAX_DIRTY * sizeof(*m->dels));
    struct status_del *d = &m->dels[m->ndels++];
    d->obj = o;
    d->name = kube_intern(&m->strs, o->name);
    d->comp = x->comp;
    d->bare = !x->owner_kind;
    d->wl_kind = workload_kind(x->owner_kind);
    d->wl_name = d->wl_kind != KUBE_KIND_COUNT ? kube_intern(&m->strs, x->workload) : NULL;
    d->ghost = xcalloc(1, sizeof(*d->ghost));
    d->ghost->name = d->name;
    d->ghost->ns = "";
    if (d->bare) {
        struct status_comp *r = bare_row(m, o->name);
        if (r)
            r->name = d->name;
    }
    x->obj = d->ghost;
    x->workload = x->owner_kind = NULL;
    return true;
}

bool status_inc_workload(struct status *m, enum kube_kind k, const struct kube_obj *o)
{
    if (m->rows_full || m->nwl == ARRAY_LEN(m->wl))
        return false;
    m->wl[m->nwl++] = (struct status_wl){k, o};
    return true;
}

static int cmp_rs(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct status_rs *)a)->name;
    uintptr_t y = (uintptr_t)((const struct status_rs *)b)->name;
    return (x > y) - (x < y);
}

bool status_inc_rs(struct status *m, const struct kube_obj *o)
{
    if (m->rows_full)
        return false;
    struct status_rs key = {o->name, NULL};
    const struct status_rs *r = bsearch(&key, m->rs, m->nrs, sizeof(key), cmp_rs);
    /* interned: the same owner is the same pointer */
    return r && r->deploy == (str_eq(o->owner_kind, "Deployment") ? o->owner_name : NULL);
}

bool status_inc_job(struct status *m, const struct kube_obj *o)
{
    if (m->rows_full)
        return false;
    for (size_t i = 0; i < m->njobs; i++)
        if (m->jobs[i].obj == o)
            return m->jobs[i].comp == dify_comp_of_obj(KUBE_JOB, o, NULL, NULL, 0);
    return false;
}

void status_inc_reset(struct status *m)
{
    for (size_t i = 0; i < m->ndels; i++) {
        free(m->dels[i].ghost);
        kube_intern_release(&m->strs, m->dels[i].name);
        kube_intern_release(&m->strs, m->dels[i].wl_name);
    }
    m->ndels = 0;
    m->nadded = 0;
    m->ndirty = 0;
    m->nwl = 0;
}

void status_inc_free(struct status *m)
{
    for (size_t i = 0; i < m->ndels; i++)
        free(m->dels[i].ghost);
    free(m->dels);
    m->dels = NULL;
    m->ndels = 0;
}

/* ---- taking it in ---- */

/* Workload rows to count again, by key (their places move meanwhile). */
struct recount {
    struct status_wl_key {
        enum kube_kind kind;
        const char *name;
    } * v;
    size_t n, cap;
};

static void recount_add(struct recount *r, enum kube_kind k, const char *name)
{
    if (k == KUBE_KIND_COUNT || !name)
        return;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
    }
    r->v[r->n++] = (struct status_wl_key){k, name};
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

/* Removes the entries at the sorted places at[] from base[*n], in one pass. */
static void remove_at(void *base, size_t *n, size_t size, const size_t *at, size_t nat)
{
    char *b = base;
    size_t k = 0, j = 0;
    for (size_t i = 0; i < *n; i++) {
        if (j < nat && at[j] == i) {
            while (j < nat && at[j] == i)
                j++;
            continue;
        }
        if (k != i)
            memcpy(b + k * size, b + i * size, size);
        k++;
    }
    *n = k;
}

/* Pods deleted: their pods rows (standing on their ghosts) and own rows
 * out, found by name, taken out in one pass each. */
static void take_out(struct status *m, struct recount *rc)
{
    if (!m->ndels)
        return;
    size_t *pat = xmalloc(m->ndels * sizeof(*pat)), *rat = xmalloc(m->ndels * sizeof(*rat));
    size_t np = 0, nr = 0;
    for (size_t i = 0; i < m->ndels; i++) {
        struct status_del *d = &m->dels[i];
        for (size_t at = status_pod_pos(m, d->comp, d->name);
             at < m->npods && m->pods[at].comp == d->comp &&
             !strcmp(m->pods[at].obj->name, d->name);
             at++)
            if (m->pods[at].obj == d->ghost)
                pat[np++] = at;
        status_log_pod_as(m, d->name, d->obj);
        if (d->bare) {
            struct status_comp *r = bare_row(m, d->name);
            if (r && r->name == d->name) {
                rat[nr++] = (size_t)(r - m->others);
                log_row_key(m, DIFY_COMP_NONE, KUBE_POD, d->name);
                status_rows_release(m, r, 1);
            }
        }
        recount_add(rc, d->wl_kind, d->wl_name);
    }
    qsort(pat, np, sizeof(*pat), cmp_size);
    qsort(rat, nr, sizeof(*rat), cmp_size);
    remove_at(m->pods, &m->npods, sizeof(*m->pods), pat, np);
    remove_at(m->others, &m->nothers, sizeof(*m->others), rat, nr);
    free(pat);
    free(rat);
}

/* Merges n sorted new entries into the sorted array base[have] (room for
 * have + n), from the end: one pass however many came. */
static void merge_in(void *base, size_t have, const void *add, size_t n, size_t size,
                     int (*cmp)(const void *, const void *))
{
    char *b = base;
    const char *a = add;
    size_t i = have, j = n, out = have + n;
    while (j > 0) {
        if (i > 0 && cmp(b + (i - 1) * size, a + (j - 1) * size) > 0) {
            memcpy(b + (--out) * size, b + (--i) * size, size);
        } else {
            memcpy(b + (--out) * size, a + (--j) * size, size);
        }
    }
}

/* Pods added: their pods rows and own rows in. False: a pod that is there
 * already (the rows are not what the store says: derive whole). */
static bool put_in(struct status *m, struct recount *rc)
{
    if (!m->nadded)
        return true;
    struct status_pod *np = xmalloc(m->nadded * sizeof(*np));
    struct status_comp *nr = xmalloc(m->nadded * sizeof(*nr));
    size_t nnp = 0, nnr = 0;
    for (size_t i = 0; i < m->nadded; i++) {
        const struct kube_obj *p = m->added[i];
        if (status_pod_named(m, p->name)) {
            status_rows_release(m, nr, nnr);
            free(np);
            free(nr);
            return false;
        }
        const char *ok, *on;
        status_pod_owner(m, p, &ok, &on);
        struct status_pod *x = &np[nnp++];
        x->obj = p;
        x->workload = on;
        x->owner_kind = ok;
        x->problem = status_pod_is_problem(p);
        x->comp = DIFY_COMP_NONE;
        if (!p->owner_kind) {
            status_fill_bare_pod(m, p, &nr[nnr]);
            nr[nnr++].gen = ++m->gen;
        } else if (str_eq(ok, "Job")) {
            x->comp = status_job_comp(m, p, on);
        } else {
            enum kube_kind k = workload_kind(ok);
            const struct status_comp *r = workload_row(m, k, on);
            if (r) {
                x->comp = r->comp;
                recount_add(rc, k, on);
            }
        }
    }
    qsort(np, nnp, sizeof(*np), status_cmp_pod);
    qsort(nr, nnr, sizeof(*nr), status_cmp_row);
    if (m->npods + nnp > m->pods_cap) {
        m->pods_cap = m->npods + nnp + 16;
        m->pods = xrealloc(m->pods, m->pods_cap * sizeof(*m->pods));
    }
    merge_in(m->pods, m->npods, np, nnp, sizeof(*np), status_cmp_pod);
    m->npods += nnp;
    if (m->nothers + nnr > m->others_cap) {
        m->others_cap = m->nothers + nnr + 16;
        m->others = xrealloc(m->others, m->others_cap * sizeof(*m->others));
    }
    merge_in(m->others, m->nothers, nr, nnr, sizeof(*nr), status_cmp_row);
    m->nothers += nnr;
    for (size_t i = 0; i < nnp; i++)
        status_log_pod(m, np[i].obj);
    for (size_t i = 0; i < nnr; i++)
        status_log_row(m, &nr[i]);
    free(np);
    free(nr);
    return true;
}

/* Pods changed in place (status, restarts; not their owner, name or
 * existence): their pods rows, bare pods' rows, their workloads to count
 * again. False when a pod's owner changed or it is not found. */
static bool changed_in_place(struct status *m, struct recount *rc)
{
    for (size_t i = 0; i < m->ndirty; i++) {
        const struct kube_obj *p = m->dirty[i];
        struct status_pod *x = pod_entry(m, p->name, p);
        const char *ok, *on;
        if (!x)
            return false;
        status_pod_owner(m, p, &ok, &on);
        if (ok != x->owner_kind || on != x->workload)
            return false;
        x->problem = status_pod_is_problem(p);
        status_log_pod(m, p);
        if (!p->owner_kind) {
            struct status_comp *row = bare_row(m, p->name), nw;
            if (!row)
                return false;
            status_fill_bare_pod(m, p, &nw);
            status_row_update(m, row, &nw);
        } else {
            recount_add(rc, workload_kind(ok), on);
        }
    }
    return true;
}

/* Workloads changed in place: their rows, unless their component changed
 * (their pods move: derive whole). */
static bool workloads(struct status *m)
{
    for (size_t i = 0; i < m->nwl; i++) {
        const struct status_wl *w = &m->wl[i];
        struct status_comp *row = workload_row(m, w->kind, w->obj->name), nw;
        if (!row || row->name != w->obj->name)
            return false;
        status_fill_workload(m, w->kind, w->obj, &nw);
        if (nw.comp != row->comp) {
            kube_intern_release(&m->strs, nw.tag);
            kube_intern_release(&m->strs, nw.reason);
            return false;
        }
        /* its pods' numbers and what the journal expects stay */
        nw.restarts = row->restarts;
        nw.pods = row->pods;
        nw.problem = kube_intern(&m->strs, row->problem);
        nw.expected_tag = kube_intern(&m->strs, row->expected_tag);
        status_row_update(m, row, &nw);
    }
    return true;
}

bool status_inc_apply(struct status *m)
{
    struct recount rc = {0};
    take_out(m, &rc);
    bool ok = put_in(m, &rc) && changed_in_place(m, &rc) && workloads(m);
    for (size_t i = 0; ok && i < rc.n; i++) {
        struct status_comp *row = workload_row(m, rc.v[i].kind, rc.v[i].name);
        if (row)
            status_count_row(m, row);
    }
    free(rc.v);
    if (!ok)
        return false;
    status_derive_pair(m);
    status_health_presence(m);
    status_inc_reset(m);
    return true;
}
