/* core/status_derive.c: the rows of the model (status.h) computed from its
 * stores: a component row per Dify workload (kubectl's numbers and rollout
 * rules), the rows the journal expects but the cluster lacks, the other
 * workloads, pods with their workload, jobs with their attempts, and events
 * grouped. Pods find their workload through their controller owner (a
 * ReplicaSet's own owner for Deployments), by name in a small hash table,
 * so one pass over the pods serves every row. */
#include "config.h"

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
static const char *row_str(struct status *m, const char *s)
{
    return kube_intern(&m->strs, s ? s : "");
}

static void rows_free(struct status *m, struct status_comp *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        kube_intern_release(&m->strs, rows[i].tag);
        kube_intern_release(&m->strs, rows[i].expected_tag);
        kube_intern_release(&m->strs, rows[i].reason);
        kube_intern_release(&m->strs, rows[i].problem);
    }
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
    if (k == KUBE_STATEFULSET && !str_eq(w->strategy, "RollingUpdate")) {
        /* OnDelete: kubectl has no rollout status; readiness says enough */
        st = c->ready >= c->desired ? ROLLOUT_DONE : ROLLOUT_WAITING;
        snprintf(reason, rn, "%d of %d pods ready (%s: pods change only when deleted)", c->ready,
                 c->desired, w->strategy ? w->strategy : "no strategy");
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
static void fill_workload(struct status *m, enum kube_kind k, const struct kube_obj *o,
                          struct status_comp *c)
{
    const struct kube_workload *w = &o->u.wl;
    char tag[64] = "", reason[320] = "";
    memset(c, 0, sizeof(*c));
    c->kind = k;
    c->name = o->name;
    c->created = o->created;
    c->comp = dify_comp_of_obj(k, o, &c->how, tag, sizeof(tag));
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
    c->tag = row_str(m, tag);
    c->reason = row_str(m, reason);
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

struct agg {
    unsigned restarts, pods;
    int worst;
    const char *worst_reason, *last_reason;
    unsigned worst_count;
};

static void agg_pod(struct agg *a, const struct kube_obj *p)
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
static void pod_owner(struct status *m, const struct kube_obj *p, const char **kind,
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

static int cmp_comp(const void *a, const void *b)
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
 * Both arrays are sorted by cmp_comp: a row's previous self is found by
 * binary search (a scan of the old rows for each row took seconds at
 * 10,000 pods and hours at 100,000; bench/sim_scale.sh). */
/* The row of (comp, name, kind) in rows sorted by cmp_comp, or NULL. */
static const struct status_comp *find_row(const struct status_comp *rows, size_t n,
                                          const struct status_comp *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_comp(&rows[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t j = lo; j < n && cmp_comp(&rows[j], key) == 0; j++)
        if (rows[j].kind == key->kind)
            return &rows[j];
    return NULL;
}

static void keep_gens(struct status *m, struct status_comp *rows, size_t n,
                      const struct status_comp *old, size_t nold)
{
    for (size_t i = 0; i < n; i++) {
        struct status_comp *r = &rows[i];
        const struct status_comp *o = find_row(old, nold, r);
        r->gen = o && same_row(r, o) ? o->gen : ++m->gen;
    }
}

/* A bare pod's row among the others. */
static void fill_bare_pod(struct status *m, const struct kube_obj *p, struct status_comp *c)
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
    c->reason = row_str(m, buf);
    struct agg a = {0};
    agg_pod(&a, p);
    agg_problem(&a, buf, sizeof(buf));
    c->problem = row_str(m, buf);
    c->tag = row_str(m, "");
    c->expected_tag = row_str(m, "");
}

/* A row the journal expects and no workload runs. */
static void fill_missing(struct status *m, enum dify_comp comp, const char *expected_tag,
                         struct status_comp *x)
{
    char buf[320];
    memset(x, 0, sizeof(*x));
    x->comp = comp;
    x->kind = KUBE_KIND_COUNT;
    x->name = "";
    x->rollout = SR_MISSING;
    snprintf(buf, sizeof(buf), "the last install deployed %s here; no workload runs it",
             dify_comp_desc(comp)->title);
    x->reason = row_str(m, buf);
    x->tag = row_str(m, "");
    x->problem = row_str(m, "");
    x->expected_tag = row_str(m, expected_tag);
}

static void derive_pair(struct status *m)
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

static int cmp_pod(const void *a, const void *b)
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

/* A row reference in status_pod.row: comps[r] for r >= 0, others[-r - 2]
 * for r <= -2, none for -1 (a Job's pod, a ReplicaSet's without a
 * Deployment ...). */
static struct status_comp *row_of(struct status *m, int r)
{
    return r >= 0 ? &m->comps[r] : r <= -2 ? &m->others[-r - 2] : NULL;
}

/* The pods rows, with their row; the workload rows' pod numbers. A pod
 * counts on its workload's row in the pods' order (component, name), as
 * derive_changed recounts one row, so both give the same text. */
static void derive_pods(struct status *m, size_t nbare, const int *bare_row)
{
    struct kube_store *pods = status_store(m, KUBE_POD);
    size_t n = kube_store_count(pods);
    struct status_pod *out = xrealloc(m->pods, (n + 1) * sizeof(*out));
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
        pod_owner(m, p, &ok, &on);
        int r = p->owner_kind ? idx_get(&idx, ok, on) : bare_row[i];
        struct status_pod *x = &out[i];
        x->obj = p;
        x->workload = on;
        x->owner_kind = ok;
        x->row = r < -1 || r >= 0 ? r : -1;
        x->comp = r >= 0 ? m->comps[r].comp : DIFY_COMP_NONE;
        if (r < 0 && str_eq(ok, "Job")) {
            const struct kube_obj *j = kube_store_find(status_store(m, KUBE_JOB), p->ns, on);
            x->comp = j ? dify_comp_of_obj(KUBE_JOB, j, NULL, NULL, 0) : DIFY_COMP_NONE;
        }
        x->problem = status_pod_is_problem(p);
    }
    idx_done(&idx);
    sort_rows(out, n, sizeof(*out), cmp_pod);
    m->pods = out;
    m->npods = n;
}

/* A workload row's numbers from its pods (bare pods' rows have their own). */
static void count_pods(struct status *m, struct status_comp *c, const struct agg *a)
{
    char buf[320];
    c->restarts = a->restarts;
    c->pods = a->pods;
    agg_problem(a, buf, sizeof(buf));
    kube_intern_release(&m->strs, c->problem);
    c->problem = row_str(m, buf);
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
            fill_workload(m, wk[k], kube_store_at(s, i), &c);
            c.problem = row_str(m, "");
            c.expected_tag = row_str(
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
            fill_bare_pod(m, p, &others[no]);
            others[no++].gen = i; /* until keep_gens: where its pod is in the store */
        }
    }
    /* expected by the journal but not found */
    for (int c = 1; c < DIFY_COMP_COUNT; c++)
        if (m->expected[c] && !found[c])
            fill_missing(m, (enum dify_comp)c, m->expected_tag[c], &comps[nc++]);
    sort_rows(comps, nc, sizeof(*comps), cmp_comp);
    sort_rows(others, no, sizeof(*others), cmp_comp);
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
    derive_pods(m, nbare, bare_row);
    free(bare_row);
    struct agg *ac = xcalloc(nc + 1, sizeof(*ac)), *ao = xcalloc(no + 1, sizeof(*ao));
    for (size_t i = 0; i < m->npods; i++) {
        int r = m->pods[i].row;
        if (r >= 0)
            agg_pod(&ac[r], m->pods[i].obj);
        else if (r <= -2 && others[-r - 2].kind != KUBE_POD)
            agg_pod(&ao[-r - 2], m->pods[i].obj);
    }
    for (size_t i = 0; i < nc; i++)
        if (comps[i].kind != KUBE_KIND_COUNT)
            count_pods(m, &comps[i], &ac[i]);
    for (size_t i = 0; i < no; i++)
        if (others[i].kind != KUBE_POD)
            count_pods(m, &others[i], &ao[i]);
    free(ac);
    free(ao);
    keep_gens(m, comps, nc, old_comps, nold_comps);
    keep_gens(m, others, no, old_others, nold_others);
    rows_free(m, old_comps, nold_comps);
    rows_free(m, old_others, nold_others);
    derive_pair(m);
    status_health_presence(m);
}

/* The pods row of a pod: by its name within each component's stretch of
 * the sorted rows (16 binary searches, no index to keep). */
static struct status_pod *pod_row(struct status *m, const struct kube_obj *p)
{
    for (int c = 0; c <= DIFY_COMP_COUNT; c++) {
        struct status_pod key = {.obj = p, .comp = c == DIFY_COMP_COUNT ? DIFY_COMP_NONE : c};
        if (c == DIFY_COMP_NONE)
            continue;
        size_t lo = 0, hi = m->npods;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cmp_pod(&m->pods[mid], &key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < m->npods && m->pods[lo].obj == p)
            return &m->pods[lo];
    }
    return NULL;
}

/* A row took new content: its generation moves when it differs. */
static void row_update(struct status *m, struct status_comp *row, struct status_comp *nw)
{
    nw->gen = row->gen;
    if (!same_row(row, nw))
        nw->gen = ++m->gen;
    struct status_comp old = *row;
    *row = *nw;
    kube_intern_release(&m->strs, old.tag);
    kube_intern_release(&m->strs, old.expected_tag);
    kube_intern_release(&m->strs, old.reason);
    kube_intern_release(&m->strs, old.problem);
}

/* Pods that changed in place (status, restarts; not their owner, name or
 * existence): their pods rows, bare pods' rows, and the pod numbers of
 * their workloads' rows, without deriving the rest (at 100,000 pods a
 * whole derivation is tens of milliseconds). False when a pod's owner
 * changed or it is not found: then the caller derives everything. */
static bool derive_changed(struct status *m)
{
    unsigned char *dirty = NULL; /* workload rows to count again: comps, then others */
    size_t nrows = m->ncomps + m->nothers;
    for (size_t i = 0; i < m->ndirty; i++) {
        const struct kube_obj *p = m->dirty[i];
        struct status_pod *x = pod_row(m, p);
        const char *ok, *on;
        if (!x) {
            free(dirty);
            return false;
        }
        pod_owner(m, p, &ok, &on);
        if (ok != x->owner_kind || on != x->workload) {
            free(dirty);
            return false;
        }
        x->problem = status_pod_is_problem(p);
        struct status_comp *row = row_of(m, x->row);
        if (row && row->kind == KUBE_POD) {
            struct status_comp nw;
            fill_bare_pod(m, p, &nw);
            row_update(m, row, &nw);
        } else if (row) {
            if (!dirty)
                dirty = xcalloc(nrows + 1, 1);
            dirty[x->row >= 0 ? (size_t)x->row : m->ncomps + (size_t)(-x->row - 2)] = 1;
        }
    }
    if (dirty) {
        struct agg *a = xcalloc(nrows + 1, sizeof(*a));
        for (size_t i = 0; i < m->npods; i++) {
            int r = m->pods[i].row;
            size_t k = r >= 0 ? (size_t)r : m->ncomps + (size_t)(-r - 2);
            if (r != -1 && dirty[k])
                agg_pod(&a[k], m->pods[i].obj);
        }
        for (size_t k = 0; k < nrows; k++) {
            if (!dirty[k])
                continue;
            struct status_comp *row = k < m->ncomps ? &m->comps[k] : &m->others[k - m->ncomps];
            struct status_comp nw = *row;
            kube_intern(&m->strs, nw.tag);
            kube_intern(&m->strs, nw.expected_tag);
            kube_intern(&m->strs, nw.reason);
            nw.problem = NULL;
            count_pods(m, &nw, &a[k]);
            row_update(m, row, &nw);
        }
        free(a);
        free(dirty);
    }
    return true;
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
    struct kube_store *js = status_store(m, KUBE_JOB), *pods = status_store(m, KUBE_POD);
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
    /* each job's newest pod, for its log */
    for (size_t i = 0; i < kube_store_count(pods); i++) {
        const struct kube_obj *p = kube_store_at(pods, i);
        if (!str_eq(p->owner_kind, "Job"))
            continue;
        for (size_t k = 0; k < n; k++) {
            if (!str_eq(out[k].obj->name, p->owner_name))
                continue;
            const struct kube_obj *cur =
                out[k].newest_pod ? kube_store_find(pods, p->ns, out[k].newest_pod) : NULL;
            if (!cur || p->created > cur->created ||
                (p->created == cur->created && strcmp(p->name, cur->name) > 0))
                out[k].newest_pod = p->name;
            break;
        }
    }
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
        (m->rows_full || !derive_changed(m)))
        derive_rows(m);
    m->rows_full = false;
    m->ndirty = 0;
    if (what & STATUS_JOBS)
        derive_jobs(m);
    if (what & STATUS_EVENTS)
        derive_events(m);
}

void status_derive_free(struct status *m)
{
    /* the strings go with their table, without a release each */
    free(m->comps);
    free(m->others);
    kube_intern_done(&m->strs);
    free(m->pods);
    free(m->jobs);
    free(m->events);
}
