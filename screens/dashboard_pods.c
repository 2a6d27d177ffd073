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

void dash_pods_build(struct dash *d, struct dash_list *l)
{
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

/* The pods view after the model changed: only the pods that changed are
 * taken out (by identity: a pod that went is not read) and put back where
 * their sort key and the filter say, instead of filtering and sorting
 * every pod again (100,000 pods sorted a change were most of the
 * dashboard's time). False when the model cannot tell what changed, or so
 * much changed that a rebuild is as cheap. */
bool dash_pods_update(struct dash *d, struct dash_list *l)
{
    const struct status_change *v;
    size_t n;
    if (l->stale || l->model != d->m || !status_changes_since(d->m, l->seq, &v, &n))
        return false;
    const void **gone = xmalloc((n + 1) * sizeof(*gone));
    size_t ng = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].pod)
            gone[ng++] = v[i].obj;
    if (ng > 256 && ng * 8 > l->nrows) {
        free(gone);
        return false;
    }
    qsort(gone, ng, sizeof(*gone), cmp_ptr);
    /* out: every changed pod's row (its identity, not its contents) */
    const void *sel = l->nrows && l->idx >= 0 && (size_t)l->idx < l->nrows ? l->rows[l->idx] : NULL;
    size_t k = 0;
    int idx = l->idx;
    for (size_t i = 0; ng && i < l->nrows; i++) {
        if (bsearch(&l->rows[i], gone, ng, sizeof(*gone), cmp_ptr)) {
            if ((int)i < l->idx && l->chosen)
                idx--;
            continue;
        }
        l->rows[k++] = l->rows[i];
    }
    if (ng)
        l->nrows = k;
    /* in: the ones the model has, where they belong */
    pod_sort_key = d->pod_sort;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].pod)
            continue;
        const struct status_pod *p = status_pod_find(d->m, v[i].name);
        if (!p || !pod_matches(p, l->filter))
            continue;
        size_t at = pod_place(d, l, p);
        if (at < l->nrows && l->rows[at] == p->obj)
            continue; /* the same pod twice in the log: in already */
        if (l->nrows == l->cap) {
            l->cap = l->cap ? l->cap * 2 : 64;
            l->rows = xrealloc(l->rows, l->cap * sizeof(*l->rows));
        }
        memmove(l->rows + at + 1, l->rows + at, (l->nrows - at) * sizeof(*l->rows));
        l->rows[at] = p->obj;
        l->nrows++;
        if ((int)at <= idx && l->chosen)
            idx++; /* a chosen row is followed; else the top row stays selected */
    }
    free(gone);
    /* the selection stays on its pod when it is still there */
    if (sel && idx >= 0 && (size_t)idx < l->nrows && l->rows[idx] == sel)
        l->idx = idx;
    l->version = status_version(d->m);
    l->seq = status_seq(d->m);
    return true;
}

/* ---- a pod's cells ---- */

void dash_pod_cells(const struct dash *d, const struct status_pod *p, char cells[NCOLS][CELL])
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

attr_t dash_pod_attr(const struct dash *d, const struct status_pod *p)
{
    if (!status_conn(d->m)->reachable)
        return tui_attr(TUI_DIM);
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
