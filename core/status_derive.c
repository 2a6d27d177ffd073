/* core/status_derive.c: the rows of the model (status.h) computed from its
 * stores: a component row per Dify workload (kubectl's numbers and rollout
 * rules), the rows the journal expects but the cluster lacks, the other
 * workloads, pods with their workload, jobs with their attempts, and events
 * grouped. Pods find their workload through their controller owner (a
 * ReplicaSet's own owner for Deployments), by name in a small hash table,
 * so one pass over the pods serves every row. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status_impl.h"
#include "core/util.h"

/* ---- a workload's name -> its row, for the pods ---- */

struct wl_index {
    const char **keys; /* "Kind/name" built per pass */
    int *vals;
    size_t cap;
};

static unsigned long hash_str(const char *kind, const char *name)
{
    unsigned long h = 5381;
    for (const char *p = kind; *p; p++)
        h = h * 33 + (unsigned char)*p;
    h = h * 33 + '/';
    for (const char *p = name; *p; p++)
        h = h * 33 + (unsigned char)*p;
    return h;
}

static void idx_init(struct wl_index *x, size_t n)
{
    x->cap = 16;
    while (x->cap < n * 2 + 2)
        x->cap *= 2;
    x->keys = xcalloc(x->cap * 2, sizeof(char *));
    x->vals = xcalloc(x->cap, sizeof(int));
}

static void idx_done(struct wl_index *x)
{
    free(x->keys);
    free(x->vals);
}

/* keys holds kind and name pointers side by side */
static void idx_put(struct wl_index *x, const char *kind, const char *name, int v)
{
    size_t i = hash_str(kind, name) & (x->cap - 1);
    while (x->keys[2 * i]) {
        if (!strcmp(x->keys[2 * i], kind) && !strcmp(x->keys[2 * i + 1], name))
            break;
        i = (i + 1) & (x->cap - 1);
    }
    x->keys[2 * i] = kind;
    x->keys[2 * i + 1] = name;
    x->vals[i] = v;
}

static int idx_get(const struct wl_index *x, const char *kind, const char *name)
{
    if (!kind || !name)
        return -1;
    size_t i = hash_str(kind, name) & (x->cap - 1);
    while (x->keys[2 * i]) {
        if (!strcmp(x->keys[2 * i], kind) && !strcmp(x->keys[2 * i + 1], name))
            return x->vals[i];
        i = (i + 1) & (x->cap - 1);
    }
    return -1;
}

/* ---- workloads ---- */

static const char *kind_name(enum kube_kind k)
{
    return kube_resource_get(k)->kind;
}

/* The model's copy of a row's string ("" for NULL): rows are rebuilt at
 * every derivation, their strings are shared (kube_intern). */
const char *status_row_str(struct status *m, const char *s)
{
    return kube_intern(&m->strs, s ? s : "");
}

const char *status_pod_str(struct status *m, const char *s)
{
    return s ? kube_intern(&m->strs, s) : NULL;
}

void status_pod_release(struct status *m, struct status_pod *x)
{
    kube_intern_release(&m->strs, x->workload);
    kube_intern_release(&m->strs, x->owner_kind);
    x->workload = x->owner_kind = NULL;
}

void status_rows_release(struct status *m, struct status_comp *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        kube_intern_release(&m->strs, rows[i].tag);
        kube_intern_release(&m->strs, rows[i].expected_tag);
        kube_intern_release(&m->strs, rows[i].reason);
        kube_intern_release(&m->strs, rows[i].problem);
    }
}

static void rows_free(struct status *m, struct status_comp *rows, size_t n)
{
    status_rows_release(m, rows, n);
    free(rows);
}

/* kubectl's rules (core/rollout.c), and the words a person wants beside
 * them: paused and scaled down are "waiting" and "done" to kubectl. */
static void rollout_of(enum kube_kind k, const struct kube_obj *o, struct status_comp *c,
                       char *reason, size_t rn)
{
    const struct kube_workload *w = &o->u.wl;
    enum rollout_state st = rollout_status(k, o, reason, rn);
    bool paused = w->paused || str_eq(w->progressing_reason, "DeploymentPaused");
    if ((k == KUBE_STATEFULSET || k == KUBE_DAEMONSET) && !str_eq(w->strategy, "RollingUpdate")) {
        /* OnDelete: kubectl has no rollout status. A pod takes a new
         * template only when it is deleted, so a changed template with its
         * pods all ready is not complete: the old pods still run the old
         * image (it was said "complete" beside the new tag) */
        bool updated = c->updated >= c->desired;
        st = c->ready >= c->desired && updated ? ROLLOUT_DONE : ROLLOUT_WAITING;
        if (!updated)
            snprintf(reason, rn,
                     "%d of %d pods updated (%s: a pod takes the new template only when it is "
                     "deleted)",
                     c->updated, c->desired, w->strategy ? w->strategy : "no strategy");
        else
            snprintf(reason, rn, "%d of %d pods ready (%s: pods change only when deleted)",
                     c->ready, c->desired, w->strategy ? w->strategy : "no strategy");
    }
    if (st == ROLLOUT_DONE)
        c->rollout = c->desired == 0 ? SR_SCALED_DOWN : SR_COMPLETE;
    else if (st == ROLLOUT_FAILED)
        c->rollout =
            str_eq(w->progressing_reason, "ProgressDeadlineExceeded") ? SR_DEADLINE : SR_FAILED;
    else
        c->rollout = paused ? SR_PAUSED : SR_PROGRESSING;
    if (c->rollout == SR_DEADLINE && w->progressing_message)
        snprintf(reason + strlen(reason), rn - strlen(reason), ": %s", w->progressing_message);
}

/* A workload's row, but for its pods' numbers and its expected tag. */
void status_fill_workload(struct status *m, enum kube_kind k, const struct kube_obj *o,
                          struct status_comp *c)
{
    const struct kube_workload *w = &o->u.wl;
    char tag[64] = "", reason[320] = "";
    memset(c, 0, sizeof(*c));
    c->kind = k;
    c->name = o->name;
    c->created = o->created;
    enum dify_match how = DIFY_MATCH_NONE;
    c->comp = dify_comp_of_obj(k, o, &how, tag, sizeof(tag));
    c->how = how;
    if (k == KUBE_DAEMONSET) {
        c->desired = w->desired_scheduled;
        c->ready = w->number_ready;
        c->updated = w->updated_scheduled;
        c->available = w->number_available;
    } else {
        c->desired = w->spec_replicas < 0 ? 1 : w->spec_replicas;
        c->ready = w->ready;
        c->updated = w->updated;
        c->available = w->available;
    }
    rollout_of(k, o, c, reason, sizeof(reason));
    c->tag = status_row_str(m, tag);
    c->reason = status_row_str(m, reason);
}

/* A pod state worth showing on its workload's row, worst first. */
static int badness(const struct kube_obj *p)
{
    static const char *const bad[] = {
        "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError",
        "InvalidImageName", "OOMKilled",        "Error",        "ContainerStatusUnknown",
        "Evicted",          "Unknown",          "Init:Error",   "Init:CrashLoopBackOff",
    };
    const char *r = p->u.pod.reason;
    for (size_t i = 0; r && i < ARRAY_LEN(bad); i++)
        if (!strcmp(r, bad[i]))
            return (int)(ARRAY_LEN(bad) - i) + 10;
    if (str_starts_with(r, "Init:") && strchr(r, '/') == NULL)
        return 9; /* Init:ErrImagePull and the like */
    if (str_eq(p->u.pod.phase, "Pending") && !p->deleted)
        return 2;
    if (p->u.pod.total && p->u.pod.ready < p->u.pod.total && str_eq(p->u.pod.phase, "Running"))
        return 1;
    return 0;
}

bool status_pod_is_problem(const struct kube_obj *p)
{
    return badness(p) >= 9 || !str_empty(p->u.pod.last_reason);
}

void status_agg_pod(struct agg *a, const struct kube_obj *p)
{
    a->restarts += p->u.pod.restarts;
    a->pods++;
    int b = badness(p);
    if (b > a->worst) {
        a->worst = b;
        a->worst_reason = p->u.pod.reason;
        a->worst_count = 1;
    } else if (b == a->worst && b && str_eq(p->u.pod.reason, a->worst_reason)) {
        a->worst_count++;
    }
    if (p->u.pod.last_reason && !a->last_reason)
        a->last_reason = p->u.pod.last_reason;
}

static void agg_problem(const struct agg *a, char *out, size_t n)
{
    out[0] = '\0';
    if (a->worst >= 9)
        snprintf(out, n, "%u %s", a->worst_count, a->worst_reason ? a->worst_reason : "?");
    else if (a->worst == 2)
        snprintf(out, n, "%u Pending", a->worst_count);
    else if (a->worst == 1)
        snprintf(out, n, "%u not ready", a->worst_count);
    if (a->last_reason && !(a->worst_reason && !strcmp(a->last_reason, a->worst_reason))) {
        size_t l = strlen(out);
        snprintf(out + l, n - l, "%slast: %s", l ? " (" : "", a->last_reason);
        if (l && strlen(out) + 1 < n)
            strcat(out, ")");
    }
}

/* Where a pod belongs: "Kind" and name of its workload (a ReplicaSet's
 * Deployment when the ReplicaSet has one). */
void status_pod_owner(struct status *m, const struct kube_obj *p, const char **kind,
                      const char **name)
{
    *kind = p->owner_kind;
    *name = p->owner_name;
    if (str_eq(p->owner_kind, "ReplicaSet")) {
        const struct kube_obj *rs =
            kube_store_find(status_store(m, KUBE_REPLICASET), p->ns, p->owner_name);
        if (rs && str_eq(rs->owner_kind, "Deployment")) {
            *kind = "Deployment";
            *name = rs->owner_name;
        }
    }
}

int status_cmp_row(const void *a, const void *b)
{
    const struct status_comp *x = a, *y = b;
    if (x->comp != y->comp)
        return (int)x->comp - (int)y->comp;
    return strcmp(x->name, y->name);
}

/* Strings are the model's interned copies: equal means the same pointer. */
static bool same_row(const struct status_comp *a, const struct status_comp *b)
{
    return a->how == b->how && a->desired == b->desired && a->ready == b->ready &&
           a->updated == b->updated && a->available == b->available && a->restarts == b->restarts &&
           a->pods == b->pods && a->created == b->created && a->rollout == b->rollout &&
           a->tag == b->tag && a->expected_tag == b->expected_tag && a->reason == b->reason &&
           a->problem == b->problem;
}

/* The previous rows keep their generation when nothing in them changed.
 * Both arrays are sorted by status_cmp_row: a row's previous self is found by
 * binary search (a scan of the old rows for each row took seconds at
 * 10,000 pods and hours at 100,000; bench/sim_scale.sh). */
/* The row of (comp, name, kind) in rows sorted by status_cmp_row, or NULL. */
const struct status_comp *status_rows_find(const struct status_comp *rows, size_t n,
                                           const struct status_comp *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (status_cmp_row(&rows[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t j = lo; j < n && status_cmp_row(&rows[j], key) == 0; j++)
        if (rows[j].kind == key->kind)
            return &rows[j];
    return NULL;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (const char *const *)a, y = (uintptr_t) * (const char *const *)b;
    return (x > y) - (x < y);
}

/* Drops from the old rows (about to be freed) the rows of objects deleted
 * since: their names are freed strings, never compared. All of them when
 * too many were deleted to keep their names. */
static size_t drop_gone_rows(struct status *m, struct status_comp *old, size_t nold)
{
    if (m->gone_many) {
        status_rows_release(m, old, nold);
        return 0;
    }
    if (!m->ngone)
        return nold;
    qsort(m->gone, m->ngone, sizeof(*m->gone), cmp_ptr);
    size_t k = 0;
    for (size_t i = 0; i < nold; i++) {
        if (bsearch(&old[i].name, m->gone, m->ngone, sizeof(*m->gone), cmp_ptr)) {
            status_rows_release(m, &old[i], 1);
            continue;
        }
        old[k++] = old[i];
    }
    return k;
}

static void keep_gens(struct status *m, struct status_comp *rows, size_t n,
                      const struct status_comp *old, size_t nold)
{
    for (size_t i = 0; i < n; i++) {
        struct status_comp *r = &rows[i];
        const struct status_comp *o = status_rows_find(old, nold, r);
        r->gen = o && same_row(r, o) ? o->gen : ++m->gen;
    }
}

/* A bare pod's row among the others. */
void status_fill_bare_pod(struct status *m, const struct kube_obj *p, struct status_comp *c)
{
    char buf[320];
    memset(c, 0, sizeof(*c));
    c->kind = KUBE_POD;
    c->name = p->name;
    c->created = p->created;
    c->desired = 1;
    c->ready = c->updated = c->available = p->u.pod.ready == p->u.pod.total && p->u.pod.total;
    c->restarts = p->u.pod.restarts;
    c->pods = 1;
    c->rollout = c->ready ? SR_COMPLETE : SR_PROGRESSING;
    snprintf(buf, sizeof(buf), "pod %s", p->u.pod.reason ? p->u.pod.reason : "");
    c->reason = status_row_str(m, buf);
    struct agg a = {0};
    status_agg_pod(&a, p);
    agg_problem(&a, buf, sizeof(buf));
    c->problem = status_row_str(m, buf);
    c->tag = status_row_str(m, "");
    c->expected_tag = status_row_str(m, "");
}

/* A row the journal expects and no workload runs. */
void status_fill_missing(struct status *m, enum dify_comp comp, struct status_comp *x)
{
    const char *expected_tag = m->expected_tag[comp];
    char buf[320];
    memset(x, 0, sizeof(*x));
    x->comp = comp;
    x->kind = KUBE_KIND_COUNT;
    x->name = "";
    x->rollout = SR_MISSING;
    snprintf(buf, sizeof(buf), "the last install deployed %s here; no workload runs it",
             dify_comp_desc(comp)->title);
    x->reason = status_row_str(m, buf);
    x->tag = status_row_str(m, "");
    x->problem = status_row_str(m, "");
    x->expected_tag = status_row_str(m, expected_tag);
}

void status_derive_pair(struct status *m)
{
    struct status_health *h = &m->health;
    const struct status_comp *api = NULL, *daemon = NULL;
    for (size_t i = 0; i < m->ncomps; i++) {
        const struct status_comp *c = &m->comps[i];
        if (c->comp == DIFY_COMP_API && !api && c->tag[0])
            api = c;
        if (c->comp == DIFY_COMP_PLUGIN_DAEMON && !daemon && c->tag[0])
            daemon = c;
    }
    snprintf(h->api_tag, sizeof(h->api_tag), "%s", api ? api->tag : "");
    snprintf(h->daemon_tag, sizeof(h->daemon_tag), "%s", daemon ? daemon->tag : "");
    h->pair_checked = api && daemon;
    h->pair = DIFY_PAIR_KNOWN;
    h->pair_msg[0] = '\0';
    if (h->pair_checked)
        h->pair = dify_probe_pair(api->tag, daemon->tag, h->pair_msg, sizeof(h->pair_msg));
}

/* qsort, unless the rows are in order already: pods come in name order
 * from a list, and 100,000 of them sorted again were 3 million strcmp. */
static void sort_rows(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    const char *b = base;
    for (size_t i = 1; i < n; i++)
        if (cmp(b + (i - 1) * size, b + i * size) > 0) {
            qsort(base, n, size, cmp);
            return;
        }
}

/* ---- pods ---- */

int status_cmp_pod(const void *a, const void *b)
{
    const struct status_pod *x = a, *y = b;
    if (x->comp != y->comp) {
        /* Dify's components first, in their order; others last */
        int cx = x->comp == DIFY_COMP_NONE ? DIFY_COMP_COUNT : (int)x->comp;
        int cy = y->comp == DIFY_COMP_NONE ? DIFY_COMP_COUNT : (int)y->comp;
        return cx - cy;
    }
    return strcmp(x->obj->name, y->obj->name);
}

/* A pod with the row that counts it while rows are derived whole: comps[r]
 * for r >= 0, others[-r - 2] for r <= -2, none for -1 (a Job's pod, a
 * ReplicaSet's without a Deployment ...). */
struct pod_row {
    struct status_pod p;
    int row;
};

static int cmp_pod_row(const void *a, const void *b)
{
    return status_cmp_pod(&((const struct pod_row *)a)->p, &((const struct pod_row *)b)->p);
}

/* The comp of a Job's pod: the Job's. */
enum dify_comp status_job_comp(struct status *m, const struct kube_obj *p, const char *job)
{
    const struct kube_obj *j = kube_store_find(status_store(m, KUBE_JOB), p->ns, job);
    return j ? dify_comp_of_obj(KUBE_JOB, j, NULL, NULL, 0) : DIFY_COMP_NONE;
}

/* The pods rows, each with the row it counts on (out[], in the pods'
 * order: component, name); the workload rows' pod numbers are counted in
 * that order, as status_count_row recounts one row, so both give the same
 * text. */
static struct pod_row *derive_pods(struct status *m, size_t nbare, const int *bare_row)
{
    struct kube_store *pods = status_store(m, KUBE_POD);
    size_t n = kube_store_count(pods);
    struct pod_row *out = xmalloc((n + 1) * sizeof(*out));
    /* workloads by name; a bare pod's row is bare_row[its index in the store] */
    struct wl_index idx;
    idx_init(&idx, m->ncomps + m->nothers - nbare);
    for (size_t i = 0; i < m->ncomps; i++)
        if (m->comps[i].kind != KUBE_KIND_COUNT)
            idx_put(&idx, kind_name(m->comps[i].kind), m->comps[i].name, (int)i);
    for (size_t i = 0; i < m->nothers; i++)
        if (m->others[i].kind != KUBE_POD)
            idx_put(&idx, kind_name(m->others[i].kind), m->others[i].name, -(int)i - 2);
    for (size_t i = 0; i < n; i++) {
        const struct kube_obj *p = kube_store_at(pods, i);
        const char *ok, *on;
        status_pod_owner(m, p, &ok, &on);
        int r = p->owner_kind ? idx_get(&idx, ok, on) : bare_row[i];
        struct status_pod *x = &out[i].p;
        x->obj = p;
        x->workload = status_pod_str(m, on);
        x->owner_kind = status_pod_str(m, ok);
        out[i].row = r < -1 || r >= 0 ? r : -1;
        x->comp = r >= 0 ? m->comps[r].comp : DIFY_COMP_NONE;
        if (r < 0 && str_eq(ok, "Job"))
            x->comp = status_job_comp(m, p, on);
        x->problem = status_pod_is_problem(p);
    }
    idx_done(&idx);
    sort_rows(out, n, sizeof(*out), cmp_pod_row);
    for (size_t i = 0; i < m->npods; i++)
        status_pod_release(m, &m->pods[i]);
    struct status_pod *pods_out = xrealloc(m->pods, (n + 1) * sizeof(*pods_out));
    for (size_t i = 0; i < n; i++)
        pods_out[i] = out[i].p;
    m->pods = pods_out;
    m->npods = n;
    m->pods_cap = n + 1;
    return out;
}

/* A workload row's numbers from its pods (bare pods' rows have their own). */
void status_count_pods(struct status *m, struct status_comp *c, const struct agg *a)
{
    char buf[320];
    c->restarts = a->restarts;
    c->pods = a->pods;
    agg_problem(a, buf, sizeof(buf));
    kube_intern_release(&m->strs, c->problem);
    c->problem = status_row_str(m, buf);
}

/* Component rows (Dify's workloads and the ones the journal expects) and
 * other rows (workloads that are not Dify's, bare pods), built in their
 * final arrays (no row is copied: 100,000 bare pods cost their rows), then
 * the pods, then each workload row's pod numbers. */
static void derive_rows(struct status *m)
{
    static const enum kube_kind wk[] = {KUBE_DEPLOYMENT, KUBE_STATEFULSET, KUBE_DAEMONSET};
    size_t n = 0;
    for (size_t k = 0; k < ARRAY_LEN(wk); k++)
        n += kube_store_count(status_store(m, wk[k]));
    struct kube_store *pods = status_store(m, KUBE_POD);
    size_t npods = kube_store_count(pods), nbare = 0;
    for (size_t i = 0; i < npods; i++)
        nbare += kube_store_at(pods, i)->owner_kind == NULL;
    struct status_comp *comps = xcalloc(n + DIFY_COMP_COUNT + 1, sizeof(*comps)),
                       *others = xcalloc(n + nbare + 1, sizeof(*others));
    size_t nc = 0, no = 0;
    bool found[DIFY_COMP_COUNT] = {false};
    for (size_t k = 0; k < ARRAY_LEN(wk); k++) {
        struct kube_store *s = status_store(m, wk[k]);
        for (size_t i = 0; i < kube_store_count(s); i++) {
            struct status_comp c;
            status_fill_workload(m, wk[k], kube_store_at(s, i), &c);
            c.problem = status_row_str(m, "");
            c.expected_tag = status_row_str(
                m, c.comp != DIFY_COMP_NONE && m->expected[c.comp] ? m->expected_tag[c.comp] : "");
            found[c.comp] = true;
            if (c.comp != DIFY_COMP_NONE)
                comps[nc++] = c;
            else
                others[no++] = c;
        }
    }
    for (size_t i = 0; i < npods; i++) {
        const struct kube_obj *p = kube_store_at(pods, i);
        if (!p->owner_kind) {
            status_fill_bare_pod(m, p, &others[no]);
            others[no++].gen = i; /* until keep_gens: where its pod is in the store */
        }
    }
    /* expected by the journal but not found */
    for (int c = 1; c < DIFY_COMP_COUNT; c++)
        if (m->expected[c] && !found[c])
            status_fill_missing(m, (enum dify_comp)c, &comps[nc++]);
    sort_rows(comps, nc, sizeof(*comps), status_cmp_row);
    sort_rows(others, no, sizeof(*others), status_cmp_row);
    int *bare_row = xmalloc((npods + 1) * sizeof(int));
    for (size_t i = 0; i < no; i++)
        if (others[i].kind == KUBE_POD)
            bare_row[others[i].gen] = -(int)i - 2;
    struct status_comp *old_comps = m->comps, *old_others = m->others;
    size_t nold_comps = m->ncomps, nold_others = m->nothers;
    m->comps = comps;
    m->ncomps = nc;
    m->others = others;
    m->nothers = no;
    m->others_cap = n + nbare + 1;
    m->comps_cap = n + DIFY_COMP_COUNT + 1;
    struct pod_row *pr = derive_pods(m, nbare, bare_row);
    free(bare_row);
    struct agg *ac = xcalloc(nc + 1, sizeof(*ac)), *ao = xcalloc(no + 1, sizeof(*ao));
    for (size_t i = 0; i < m->npods; i++) {
        int r = pr[i].row;
        if (r >= 0)
            status_agg_pod(&ac[r], m->pods[i].obj);
        else if (r <= -2 && others[-r - 2].kind != KUBE_POD)
            status_agg_pod(&ao[-r - 2], m->pods[i].obj);
    }
    free(pr);
    for (size_t i = 0; i < nc; i++)
        if (comps[i].kind != KUBE_KIND_COUNT)
            status_count_pods(m, &comps[i], &ac[i]);
    for (size_t i = 0; i < no; i++)
        if (others[i].kind != KUBE_POD)
            status_count_pods(m, &others[i], &ao[i]);
    free(ac);
    free(ao);
    nold_comps = drop_gone_rows(m, old_comps, nold_comps);
    nold_others = drop_gone_rows(m, old_others, nold_others);
    keep_gens(m, comps, nc, old_comps, nold_comps);
    keep_gens(m, others, no, old_others, nold_others);
    rows_free(m, old_comps, nold_comps);
    rows_free(m, old_others, nold_others);
    status_derive_pair(m);
    status_health_presence(m);
    status_log_reset(m);
}

/* Where the pod named name would be among the pods of component c (the
 * sorted rows' order: component, then name). */
size_t status_pod_pos(const struct status *m, enum dify_comp c, const char *name)
{
    int want = c == DIFY_COMP_NONE ? DIFY_COMP_COUNT : (int)c;
    size_t lo = 0, hi = m->npods;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct status_pod *x = &m->pods[mid];
        int have = x->comp == DIFY_COMP_NONE ? DIFY_COMP_COUNT : (int)x->comp;
        int d = have != want ? have - want : strcmp(x->obj->name, name);
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The pods row of the pod named name: by its name within each component's
 * stretch of the sorted rows (16 binary searches, no index to keep). */
struct status_pod *status_pod_named(const struct status *m, const char *name)
{
    for (int c = 1; c <= DIFY_COMP_COUNT; c++) {
        enum dify_comp comp = c == DIFY_COMP_COUNT ? DIFY_COMP_NONE : (enum dify_comp)c;
        size_t i = status_pod_pos(m, comp, name);
        if (i < m->npods && m->pods[i].comp == comp && !strcmp(m->pods[i].obj->name, name))
            return &m->pods[i];
    }
    return NULL;
}

const struct status_pod *status_pod_find(const struct status *m, const char *name)
{
    status_ensure(m);
    return name ? status_pod_named(m, name) : NULL;
}

const struct status_comp *status_row_lookup(const struct status *m, enum dify_comp c,
                                            enum kube_kind k, const char *name, size_t *pos)
{
    const struct status_comp *rows = c == DIFY_COMP_NONE ? m->others : m->comps;
    size_t n = c == DIFY_COMP_NONE ? m->nothers : m->ncomps;
    struct status_comp key = {.comp = c, .kind = k, .name = name};
    const struct status_comp *r = status_rows_find(rows, n, &key);
    if (r && pos)
        *pos = (size_t)(r - rows) + (c == DIFY_COMP_NONE ? m->ncomps : 0);
    return r;
}

const struct status_comp *status_row_find(const struct status *m, enum dify_comp c,
                                          enum kube_kind k, const char *name)
{
    status_ensure(m);
    return name ? status_row_lookup(m, c, k, name, NULL) : NULL;
}

/* A row took new content: its generation moves when it differs. */
void status_row_update(struct status *m, struct status_comp *row, struct status_comp *nw)
{
    nw->gen = row->gen;
    bool changed = !same_row(row, nw);
    if (changed)
        nw->gen = ++m->gen;
    struct status_comp old = *row;
    *row = *nw;
    if (changed)
        status_log_row(m, row);
    kube_intern_release(&m->strs, old.tag);
    kube_intern_release(&m->strs, old.expected_tag);
    kube_intern_release(&m->strs, old.reason);
    kube_intern_release(&m->strs, old.problem);
}

/* ---- jobs ---- */

static int cmp_job(const void *a, const void *b)
{
    const struct status_job *x = a, *y = b;
    long long tx = x->obj->u.job.start ? x->obj->u.job.start : x->obj->created;
    long long ty = y->obj->u.job.start ? y->obj->u.job.start : y->obj->created;
    if (tx != ty)
        return tx < ty ? 1 : -1;
    return strcmp(x->obj->name, y->obj->name);
}

static void derive_jobs(struct status *m)
{
    struct kube_store *js = status_store(m, KUBE_JOB);
    size_t n = kube_store_count(js);
    struct status_job *out = xrealloc(m->jobs, (n + 1) * sizeof(*out));
    long long now = status_now(m);
    for (size_t i = 0; i < n; i++) {
        const struct kube_obj *j = kube_store_at(js, i);
        struct status_job *x = &out[i];
        memset(x, 0, sizeof(*x));
        x->obj = j;
        x->comp = dify_comp_of_obj(KUBE_JOB, j, NULL, NULL, 0);
        x->state = rollout_status(KUBE_JOB, j, x->msg, sizeof(x->msg));
        const struct kube_job *b = &j->u.job;
        x->attempts = b->failed + b->succeeded + b->active;
        if (b->start)
            x->duration = (b->completion ? b->completion : now) - b->start;
        if (x->duration < 0)
            x->duration = 0;
    }
    qsort(out, n, sizeof(*out), cmp_job);
    /* each job's newest pod, for its log: its own pods, by the index */
    for (size_t k = 0; k < n; k++)
        out[k].newest_pod = status_job_newest_pod(m, out[k].obj);
    m->jobs = out;
    m->njobs = n;
}

/* ---- events ---- */

static int cmp_event(const void *a, const void *b)
{
    const struct status_event *x = a, *y = b;
    bool wx = str_eq(x->type, "Warning"), wy = str_eq(y->type, "Warning");
    if (wx != wy)
        return wx ? -1 : 1;
    if (x->last != y->last)
        return x->last < y->last ? 1 : -1;
    int c = strcmp(x->name ? x->name : "", y->name ? y->name : "");
    return c ? c : strcmp(x->reason ? x->reason : "", y->reason ? y->reason : "");
}

static bool same_group(const struct status_event *g, const struct kube_event *e)
{
    return str_eq(g->type, e->type) && str_eq(g->kind, e->involved_kind) &&
           str_eq(g->name, e->involved_name) && str_eq(g->reason, e->reason) &&
           str_eq(g->message, e->message);
}

static void derive_events(struct status *m)
{
    struct kube_store *es = status_store(m, KUBE_EVENT);
    size_t n = kube_store_count(es);
    struct status_event *out = xrealloc(m->events, (n + 1) * sizeof(*out));
    size_t ng = 0;
    /* groups by a hash of their key */
    size_t cap = 16;
    while (cap < n * 2 + 2)
        cap *= 2;
    int *slots = xmalloc(cap * sizeof(int));
    for (size_t i = 0; i < cap; i++)
        slots[i] = -1;
    for (size_t i = 0; i < n; i++) {
        const struct kube_obj *o = kube_store_at(es, i);
        const struct kube_event *e = &o->u.ev;
        unsigned long h =
            hash_str(e->involved_name ? e->involved_name : "", e->reason ? e->reason : "");
        for (const char *p = e->message ? e->message : ""; *p; p++)
            h = h * 33 + (unsigned char)*p;
        size_t s = h & (cap - 1);
        while (slots[s] >= 0 && !same_group(&out[slots[s]], e))
            s = (s + 1) & (cap - 1);
        long long last = e->last ? e->last : o->created;
        unsigned count = e->count ? e->count : 1;
        if (slots[s] >= 0) {
            struct status_event *g = &out[slots[s]];
            g->count += count;
            g->events++;
            if (last > g->last)
                g->last = last;
            continue;
        }
        slots[s] = (int)ng;
        out[ng++] = (struct status_event){
            e->type, e->involved_kind, e->involved_name, e->reason, e->message, count, last, 1};
    }
    free(slots);
    qsort(out, ng, sizeof(*out), cmp_event);
    m->events = out;
    m->nevents = ng;
}

void status_derive(struct status *m, unsigned what)
{
    if ((what & (STATUS_COMPONENTS | STATUS_OTHERS | STATUS_PODS)) &&
        (m->rows_full || !status_inc_apply(m))) {
        derive_rows(m);
        status_inc_reset(m);
        m->nwhole++;
        what |= STATUS_JOBS; /* a pod's owner may have changed: a Job's newest pod */
        m->notify |= STATUS_JOBS;
    }
    m->rows_full = false;
    m->ngone = 0;
    m->gone_many = false;
    if (what & STATUS_JOBS)
        derive_jobs(m);
    /* the events are grouped and sorted when asked (status_events_ensure):
     * status --watch prints none, and regrouping and sorting the namespace's
     * thousands of Events at each new one was most of its CPU while Jobs and
     * Deployments came and went (docs/bench.md) */
    if (what & STATUS_EVENTS)
        m->events_stale = true;
}

void status_events_ensure(struct status *m)
{
    status_ensure(m);
    if (m->events_stale) {
        m->events_stale = false;
        derive_events(m);
    }
}

void status_derive_free(struct status *m)
{
    /* the strings go with their table, without a release each */
    free(m->comps);
    free(m->others);
    status_inc_free(m);
    status_log_free(m);
    status_owners_free(&m->pod_owners);
    status_owners_free(&m->rs_owners);
    free(m->scratch);
    kube_intern_done(&m->strs);
    free(m->pods);
    free(m->jobs);
    free(m->events);
}
