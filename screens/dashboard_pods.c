/* screens/dashboard_pods.c: the dashboard's pods list (dashboard_list.h):
 * the store's pod objects that match the filter, in the view's order (name,
 * status, restarts, age, node), built whole once and then kept in order by
 * moving only the pods that changed; and a pod's cells as kubectl prints
 * them. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kube_client.h"
#include "core/util.h"
#include "screens/dashboard_impl.h"
#include "screens/dashboard_list.h"
#include "tui/theme.h"

/* The pods view's rows are the store's pod objects (they stay where they
 * are while the model's rows move); their model rows are found by name
 * (status_pod_find) for the few rows on screen and the pods that changed. */
static int pod_sort_key;
static int cmp_pod_objs(const struct kube_obj *px, const struct kube_obj *py)
{
    int c = 0;
    switch (pod_sort_key) {
    case 1:
        c = strcmp(px->u.pod.reason ? px->u.pod.reason : "",
                   py->u.pod.reason ? py->u.pod.reason : "");
        break;
    case 2:
        c = px->u.pod.restarts < py->u.pod.restarts   ? 1
            : px->u.pod.restarts > py->u.pod.restarts ? -1
                                                      : 0;
        break;
    case 3:
        c = px->created < py->created ? 1 : px->created > py->created ? -1 : 0;
        break;
    case 4:
        c = strcmp(px->u.pod.node ? px->u.pod.node : "", py->u.pod.node ? py->u.pod.node : "");
        break;
    default:
        break;
    }
    return c ? c : strcmp(px->name, py->name);
}

static int cmp_pods(const void *a, const void *b)
{
    return cmp_pod_objs(*(const struct kube_obj *const *)a, *(const struct kube_obj *const *)b);
}

static bool pod_matches(const struct status_pod *p, const char *f)
{
    return dash_has_ci(p->obj->name, f) || dash_has_ci(p->obj->u.pod.reason, f) ||
           dash_has_ci(p->obj->u.pod.node, f) || dash_has_ci(p->workload, f) ||
           (p->comp != DIFY_COMP_NONE && dash_has_ci(dify_comp_desc(p->comp)->title, f));
}

/* ---- a pod's cells ---- */

static void pod_cells(const struct dash *d, const struct status_pod *p, char cells[NCOLS][CELL])
{
    const struct kube_resource *r = kube_resource_get(KUBE_POD);
    long long now = dash_now(d);
    struct strbuf sb;
    strbuf_init(&sb);
    snprintf(cells[0], CELL, "%s", p->obj->name);
    /* READY, STATUS, RESTARTS exactly as kubectl prints them */
    for (size_t c = 0; c < r->ncolumns; c++) {
        const char *name = r->columns[c].name;
        int dst = !strcmp(name, "Ready")      ? 1
                  : !strcmp(name, "Status")   ? 2
                  : !strcmp(name, "Restarts") ? 3
                                              : -1;
        if (dst < 0)
            continue;
        strbuf_reset(&sb);
        kube_cell_text(&r->columns[c], p->obj, now, &sb);
        snprintf(cells[dst], CELL, "%s", sb.buf);
    }
    strbuf_done(&sb);
    snprintf(cells[4], CELL, "%s", p->obj->u.pod.last_reason ? p->obj->u.pod.last_reason : "");
    snprintf(cells[5], CELL, "%s", p->obj->u.pod.node ? p->obj->u.pod.node : "<none>");
    dash_age(now, p->obj->created, cells[6]);
    snprintf(cells[7], CELL, "%s", p->comp != DIFY_COMP_NONE ? dash_comp_title(p->comp) : "");
}

/* The row's colour while the API is reachable (the caller dims it when not). */
static attr_t pod_attr(const struct status_pod *p)
{
    const char *r = p->obj->u.pod.reason;
    if (p->problem && !str_eq(r, "Running") && !str_eq(r, "Completed"))
        return tui_attr(TUI_ERROR);
    if (p->problem)
        return tui_attr(TUI_WARN);
    if (str_eq(r, "Completed"))
        return tui_attr(TUI_DIM);
    if (p->obj->u.pod.ready < p->obj->u.pod.total)
        return tui_attr(TUI_WARN);
    return tui_attr(TUI_NORMAL);
}

/* ---- the rows on screen, formatted once ---- */

/* A pod's row is formatted (its model row found by name, kubectl's cells)
 * when it comes on screen and kept while neither the pod, its model row
 * nor the second changes: when the rows shift (a pod sorted by restarts
 * goes to the top), the others are not made again. A slot a pod pointer:
 * the pods that changed are dropped by dash_pods_update, everything by a
 * rebuild. */
#define PCACHE_SLOTS 256 /* a power of two; several times the rows a screen holds */
#define PCACHE_COLS 8

struct pod_slot {
    const struct kube_obj *obj; /* NULL: empty */
    unsigned long long rv;      /* the object's resourceVersion, */
    long long now;              /* the second (AGE, and RESTARTS' "(5m ago)") */
    attr_t attr;
    bool found; /* the model has a row for it */
    char *text; /* the cells, each ended by its NUL */
    size_t off[PCACHE_COLS];
};

struct dash_pod_cache {
    struct pod_slot slot[PCACHE_SLOTS];
};

static size_t slot_of(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 29;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 56) & (PCACHE_SLOTS - 1);
}

static void pods_cache_drop(struct dash *d, const void *obj)
{
    if (!d->pcache || !obj)
        return;
    struct pod_slot *s = &d->pcache->slot[slot_of(obj)];
    if (s->obj == obj) {
        free(s->text);
        memset(s, 0, sizeof(*s));
    }
}

static void pods_cache_clear(struct dash *d)
{
    if (!d->pcache)
        return;
    for (size_t i = 0; i < PCACHE_SLOTS; i++)
        free(d->pcache->slot[i].text);
    memset(d->pcache, 0, sizeof(*d->pcache));
}

void dash_pods_cache_free(struct dash *d)
{
    pods_cache_clear(d);
    free(d->pcache);
    d->pcache = NULL;
}

bool dash_pod_row(struct dash *d, const struct kube_obj *o, char cells[NCOLS][CELL], attr_t *a)
{
    if (!d->pcache)
        d->pcache = xcalloc(1, sizeof(*d->pcache));
    long long now = dash_now(d);
    struct pod_slot *s = &d->pcache->slot[slot_of(o)];
    if (s->obj != o || s->rv != o->rv || s->now != now) {
        free(s->text);
        memset(s, 0, sizeof(*s));
        const struct status_pod *p = status_pod_find(d->m, o->name);
        s->obj = o;
        s->rv = o->rv;
        s->now = now;
        s->found = p != NULL;
        s->attr = tui_attr(TUI_NORMAL);
        struct strbuf sb;
        strbuf_init(&sb);
        if (p) {
            pod_cells(d, p, cells);
            s->attr = pod_attr(p);
        }
        for (int c = 0; c < PCACHE_COLS; c++) {
            s->off[c] = sb.len;
            if (p)
                strbuf_adds(&sb, cells[c]);
            strbuf_add(&sb, "", 1);
        }
        s->text = strbuf_detach(&sb, NULL);
        *a = s->attr;
        return s->found;
    }
    for (int c = 0; c < PCACHE_COLS; c++)
        snprintf(cells[c], CELL, "%s", s->text + s->off[c]);
    *a = s->attr;
    return s->found;
}

/* ---- the rows in order ---- */

void dash_pods_build(struct dash *d, struct dash_list *l)
{
    pods_cache_clear(d); /* whatever the rows were made from may be gone */
    const struct status *m = d->m;
    for (size_t i = 0; i < status_npods(m); i++) {
        const struct status_pod *p = status_pod_at(m, i);
        if (pod_matches(p, l->filter))
            dash_list_push(l, p->obj);
    }
    if (d->pod_sort) {
        pod_sort_key = d->pod_sort;
        qsort(l->rows, l->nrows, sizeof(*l->rows), cmp_pods);
    }
}

/* The place of pod p among the rows in the view's order: its sort key,
 * then (by name, the default) the model's order, component then name. */
static size_t pod_place(struct dash *d, struct dash_list *l, const struct status_pod *p)
{
    size_t lo = 0, hi = l->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct kube_obj *o = l->rows[mid];
        int c;
        if (d->pod_sort) {
            c = cmp_pod_objs(o, p->obj);
        } else {
            /* the model's rows are in this order: compare places */
            const struct status_pod *x = status_pod_find(d->m, o->name);
            c = x < p ? -1 : x > p ? 1 : 0;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (const void *const *)a, y = (uintptr_t) * (const void *const *)b;
    return (x > y) - (x < y);
}

/* The view's order between two of the model's pods (to sort what comes in). */
static int cmp_new(const void *a, const void *b)
{
    const struct status_pod *x = *(const struct status_pod *const *)a;
    const struct status_pod *y = *(const struct status_pod *const *)b;
    if (pod_sort_key)
        return cmp_pod_objs(x->obj, y->obj);
    return (x > y) - (x < y); /* the model's rows are in the view's order */
}

/* Whether row p is one of the ng pods that changed (sorted). */
static bool is_gone(const void *p, const void *const *gone, size_t ng)
{
    return bsearch(&p, gone, ng, sizeof(*gone), cmp_ptr) != NULL;
}

/* The place of pointer p in rows[from..n), or n: sixteen compared at a
 * time without a branch (the compiler's vector compares), as a pod that
 * changed is anywhere among 100,000 rows. */
static size_t find_ptr(const void *const *rows, size_t from, size_t n, const void *p)
{
    size_t i = from;
    for (; i + 16 <= n; i += 16) {
        unsigned hit = 0;
        for (int j = 0; j < 16; j++)
            hit |= rows[i + j] == p;
        if (hit)
            break;
    }
    for (; i < n; i++)
        if (rows[i] == p)
            return i;
    return n;
}

/* Takes the rows of the ng pods that changed (sorted) out of l. A few are
 * each found by a scan and the stretches between them moved down once;
 * many by one pass that looks each row up among them. Returns how many
 * of the rows before idx went. */
static int take_out(struct dash_list *l, const void *const *gone, size_t ng, int idx)
{
    int before = 0;
    size_t k;
    if (ng <= 16) {
        size_t pos[16], np = 0;
        for (size_t g = 0; g < ng; g++) {
            size_t at = find_ptr(l->rows, 0, l->nrows, gone[g]);
            if (at < l->nrows)
                pos[np++] = at;
        }
        /* in order (insertion: a handful) */
        for (size_t i = 1; i < np; i++)
            for (size_t j = i; j > 0 && pos[j - 1] > pos[j]; j--) {
                size_t t = pos[j];
                pos[j] = pos[j - 1];
                pos[j - 1] = t;
            }
        if (!np)
            return 0;
        k = pos[0];
        for (size_t i = 0; i < np; i++) {
            before += (int)pos[i] < idx;
            size_t end = i + 1 < np ? pos[i + 1] : l->nrows;
            memmove(l->rows + k, l->rows + pos[i] + 1, (end - pos[i] - 1) * sizeof(*l->rows));
            k += end - pos[i] - 1;
        }
    } else {
        k = 0;
        for (size_t i = 0; i < l->nrows; i++) {
            if (is_gone(l->rows[i], gone, ng)) {
                before += (int)i < idx;
                continue;
            }
            l->rows[k++] = l->rows[i];
        }
    }
    l->nrows = k;
    return before;
}

/* The pods view after the model changed: only the pods that changed are
 * taken out (by identity: a pod that went is not read) and put back where
 * their sort key and the filter say, instead of filtering and sorting
 * every pod again (100,000 pods sorted a change were most of the
 * dashboard's time). One pass takes the changed rows out, one puts the new
 * ones in (each place found by a binary search), whatever the number of
 * changes: a row moves at most twice. False when the model cannot tell what
 * changed, or so much changed that a rebuild is as cheap. */
bool dash_pods_update(struct dash *d, struct dash_list *l)
{
    const struct status_change *v;
    size_t n;
    if (l->stale || l->model != d->m || !status_changes_since(d->m, l->seq, &v, &n))
        return false;
    size_t ng = 0;
    for (size_t i = 0; i < n; i++)
        ng += v[i].pod;
    if (ng > 256 && ng * 8 > l->nrows)
        return false;
    const void **gone = xmalloc((ng + 1) * sizeof(*gone));
    const struct status_pod **in = xmalloc((ng + 1) * sizeof(*in));
    size_t *at = xmalloc((ng + 1) * sizeof(*at));
    ng = 0;
    size_t nin = 0;
    pod_sort_key = d->pod_sort;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].pod)
            continue;
        gone[ng++] = v[i].obj;
        const struct status_pod *p = status_pod_find(d->m, v[i].name);
        if (p && pod_matches(p, l->filter))
            in[nin++] = p;
    }
    qsort(gone, ng, sizeof(*gone), cmp_ptr);
    for (size_t i = 0; i < ng; i++)
        pods_cache_drop(d, gone[i]);
    for (size_t i = 0; i < nin; i++)
        pods_cache_drop(d, in[i]->obj);
    size_t u = 0;
    for (size_t i = 0; i < ng; i++)
        if (!u || gone[u - 1] != gone[i])
            gone[u++] = gone[i]; /* a pod changed in place twice: once */
    ng = u;
    /* in the view's order, each pod once (the log may name one twice) */
    qsort(in, nin, sizeof(*in), cmp_new);
    u = 0;
    for (size_t i = 0; i < nin; i++)
        if (!u || in[u - 1] != in[i])
            in[u++] = in[i];
    nin = u;
    const void *sel = l->nrows && l->idx >= 0 && (size_t)l->idx < l->nrows ? l->rows[l->idx] : NULL;
    int idx = l->idx;
    /* out: every changed pod's row (its identity, not its contents) */
    int out = take_out(l, gone, ng, l->idx);
    if (l->chosen)
        idx -= out;
    /* in: where each belongs among the rows that stayed (nondecreasing,
     * as the new rows are in the view's order), then one pass from the
     * end opens the gaps */
    for (size_t i = 0; i < nin; i++)
        at[i] = pod_place(d, l, in[i]);
    if (l->nrows + nin > l->cap) {
        while (l->nrows + nin > l->cap)
            l->cap = l->cap ? l->cap * 2 : 64;
        l->rows = xrealloc(l->rows, l->cap * sizeof(*l->rows));
    }
    size_t src = l->nrows, dst = l->nrows + nin;
    for (size_t i = nin; i-- > 0;) {
        size_t run = src - at[i];
        dst -= run;
        src -= run;
        memmove(l->rows + dst, l->rows + src, run * sizeof(*l->rows));
        l->rows[--dst] = in[i]->obj;
    }
    l->nrows += nin;
    /* a chosen row is followed; else the top row stays selected */
    if (l->chosen && idx >= 0) {
        int shift = 0;
        for (size_t i = 0; i < nin && (int)at[i] <= idx; i++)
            shift++;
        idx += shift;
    }
    free(gone);
    free(in);
    free(at);
    /* the selection stays on its pod when it is still there */
    if (sel && idx >= 0 && (size_t)idx < l->nrows && l->rows[idx] == sel)
        l->idx = idx;
    l->version = status_version(d->m);
    l->seq = status_seq(d->m);
    l->moved++;
    return true;
}
