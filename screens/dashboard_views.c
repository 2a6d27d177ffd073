/* screens/dashboard_views.c: the dashboard's list views over the model:
 * the machinery they share (rows kept current, the selection, the filter,
 * the table; dashboard_list.h) and the rollouts (a bar per workload and, for
 * the one selected, its ReplicaSets: old and new, the revision history),
 * jobs (with the last lines of the selected job's log) and events views. The
 * overview with its health strip is dashboard_overview.c, the pods list
 * dashboard_pods.c. Each list keeps the filtered rows as pointers into the
 * model, rebuilt when the model recomputed (status_version) or the filter
 * changed (the pods list moves only what changed), and formats only the rows
 * on screen. Every cell passes core/textsafe (dash_put). */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/dashboard_impl.h"
#include "screens/dashboard_list.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/theme.h"

/* ---- rows ---- */

bool dash_has_ci(const char *hay, const char *needle)
{
    if (!needle || !*needle)
        return true;
    if (!hay)
        return false;
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++)
        if (strncasecmp(p, needle, n) == 0)
            return true;
    return false;
}

static bool is_workload(enum kube_kind k)
{
    return k == KUBE_DEPLOYMENT || k == KUBE_STATEFULSET || k == KUBE_DAEMONSET;
}

void dash_list_push(struct dash_list *l, const void *p)
{
    if (l->nrows == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->rows = xrealloc(l->rows, l->cap * sizeof(*l->rows));
    }
    l->rows[l->nrows++] = p;
}

static void rebuild(struct dash *d, enum dash_view v)
{
    struct dash_list *l = &d->lists[v];
    const struct status *m = d->m;
    l->nrows = 0;
    const char *f = l->filter;
    switch (v) {
    case DV_OVERVIEW:
    case DV_ROLLOUTS:
        for (size_t i = 0; i < status_ncomps(m); i++) {
            const struct status_comp *c = status_comp_at(m, i);
            if (v == DV_ROLLOUTS && !is_workload(c->kind))
                continue;
            if (dash_has_ci(c->name, f) || dash_has_ci(dash_comp_title(c->comp), f))
                dash_list_push(l, c);
        }
        for (size_t i = 0; i < status_nothers(m); i++) {
            const struct status_comp *c = status_other_at(m, i);
            if (v == DV_ROLLOUTS && !is_workload(c->kind))
                continue;
            if (dash_has_ci(c->name, f))
                dash_list_push(l, c);
        }
        break;
    case DV_PODS:
        dash_pods_build(d, l);
        break;
    case DV_JOBS:
        for (size_t i = 0; i < status_njobs(m); i++) {
            const struct status_job *j = status_job_at(m, i);
            if (dash_has_ci(j->obj->name, f) || dash_has_ci(j->msg, f))
                dash_list_push(l, j);
        }
        break;
    case DV_EVENTS:
        for (size_t i = 0; i < status_nevents(m); i++) {
            const struct status_event *e = status_event_at(m, i);
            if (dash_has_ci(e->name, f) || dash_has_ci(e->reason, f) ||
                dash_has_ci(e->message, f) || dash_has_ci(e->type, f))
                dash_list_push(l, e);
        }
        break;
    default:
        break;
    }
    l->stale = false;
    l->version = status_version(m);
    l->seq = status_seq(m);
    l->model = m;
}

static const char *row_key(enum dash_view v, const void *p)
{
    switch (v) {
    case DV_OVERVIEW:
    case DV_ROLLOUTS:
        return ((const struct status_comp *)p)->name[0]
                   ? ((const struct status_comp *)p)->name
                   : dify_comp_desc(((const struct status_comp *)p)->comp)->key;
    case DV_PODS:
        return ((const struct kube_obj *)p)->name;
    case DV_JOBS:
        return ((const struct status_job *)p)->obj->name;
    case DV_EVENTS:
        return ((const struct status_event *)p)->name;
    default:
        return "";
    }
}

/* The rows, current; the selection found again by its key. */
struct dash_list *dash_list_current(struct dash *d, enum dash_view v)
{
    struct dash_list *l = &d->lists[v];
    if (l->stale || l->version != status_version(d->m))
        if (v != DV_PODS || !dash_pods_update(d, l))
            rebuild(d, v);
    if (l->sel[0] && l->chosen) {
        int found = -1;
        if (l->idx >= 0 && (size_t)l->idx < l->nrows &&
            !strcmp(row_key(v, l->rows[l->idx]), l->sel))
            found = l->idx;
        for (size_t i = 0; i < l->nrows && found < 0; i++)
            if (!strcmp(row_key(v, l->rows[i]), l->sel))
                found = (int)i;
        if (found >= 0)
            l->idx = found;
    }
    if (l->idx >= (int)l->nrows)
        l->idx = l->nrows ? (int)l->nrows - 1 : 0;
    if (l->idx < 0)
        l->idx = 0;
    if (l->nrows)
        snprintf(l->sel, sizeof(l->sel), "%s", row_key(v, l->rows[l->idx]));
    return l;
}

void dash_views_stale(struct dash *d)
{
    for (int v = 0; v < DV_COUNT; v++)
        d->lists[v].stale = true;
}

void dash_views_free(struct dash *d)
{
    for (int v = 0; v < DV_COUNT; v++)
        free(d->lists[v].rows);
    dash_table_free(d);
    dash_pods_cache_free(d);
}

void dash_view_filter(struct dash *d, enum dash_view v, const char *filter)
{
    if (v >= DV_LOGS)
        return;
    snprintf(d->lists[v].filter, sizeof(d->lists[v].filter), "%s", filter ? filter : "");
    d->lists[v].stale = true;
    d->lists[v].top = 0;
}

bool dash_view_move(struct dash *d, int key, int page)
{
    if (d->view >= DV_LOGS || !d->m)
        return false;
    struct dash_list *l = dash_list_current(d, d->view);
    int n = (int)l->nrows, i = l->idx;
    switch (key) {
    case TUI_KEY_UP:
    case 'k':
        i--;
        break;
    case TUI_KEY_DOWN:
    case 'j':
        i++;
        break;
    case TUI_KEY_PGUP:
        i -= page;
        break;
    case TUI_KEY_PGDN:
        i += page;
        break;
    case TUI_KEY_HOME:
    case 'g':
        i = 0;
        break;
    case TUI_KEY_END:
    case 'G':
        i = n - 1;
        break;
    default:
        return false;
    }
    if (i >= n)
        i = n - 1;
    if (i < 0)
        i = 0;
    l->idx = i;
    l->chosen = true;
    if (n)
        snprintf(l->sel, sizeof(l->sel), "%s", row_key(d->view, l->rows[i]));
    return true;
}

/* The first pod of a workload, for its logs. */
static const char *pod_of(const struct status *m, const char *workload)
{
    for (size_t i = 0; i < status_npods(m); i++) {
        const struct status_pod *p = status_pod_at(m, i);
        if (str_eq(p->workload, workload))
            return p->obj->name;
    }
    return NULL;
}

void dash_view_target(struct dash *d, struct dash_target *t)
{
    memset(t, 0, sizeof(*t));
    t->kind = KUBE_KIND_COUNT;
    if (d->m && d->view == DV_LOGS)
        dash_logs_target(d, t);
    if (d->m && d->view == DV_DETAIL)
        *t = d->detail.t;
    if (!d->m || d->view >= DV_LOGS)
        return;
    struct dash_list *l = dash_list_current(d, d->view);
    if (!l->nrows)
        return;
    const void *p = l->rows[l->idx];
    switch (d->view) {
    case DV_OVERVIEW:
    case DV_ROLLOUTS: {
        const struct status_comp *c = p;
        t->kind = c->kind;
        t->comp = c->comp;
        snprintf(t->name, sizeof(t->name), "%s", c->name);
        const char *pod = c->kind == KUBE_POD ? c->name : pod_of(d->m, c->name);
        snprintf(t->pod, sizeof(t->pod), "%s", pod ? pod : "");
        break;
    }
    case DV_PODS: {
        const struct kube_obj *o = p;
        const struct status_pod *x = status_pod_find(d->m, o->name);
        t->kind = KUBE_POD;
        t->comp = x ? x->comp : DIFY_COMP_NONE;
        snprintf(t->name, sizeof(t->name), "%s", o->name);
        snprintf(t->pod, sizeof(t->pod), "%s", o->name);
        break;
    }
    case DV_JOBS: {
        const struct status_job *j = p;
        t->kind = KUBE_JOB;
        t->comp = j->comp;
        snprintf(t->name, sizeof(t->name), "%s", j->obj->name);
        snprintf(t->pod, sizeof(t->pod), "%s", j->newest_pod ? j->newest_pod : "");
        break;
    }
    case DV_EVENTS: {
        const struct status_event *e = p;
        const struct kube_resource *r = kube_resource_find(e->kind ? e->kind : "");
        t->kind = r ? r->id : KUBE_KIND_COUNT;
        snprintf(t->name, sizeof(t->name), "%s", e->name ? e->name : "");
        if (t->kind == KUBE_POD)
            snprintf(t->pod, sizeof(t->pod), "%s", t->name);
        break;
    }
    default:
        break;
    }
}

/* ---- drawing a table ---- */

static const char *cell0(const struct dash_table *t, int r, bool second_shown)
{
    if (!second_shown && t->alt0 && t->alt0[r][0])
        return t->alt0[r];
    return t->cells[r][0];
}

/* The last column keeps at least this many columns before others go. */
#define LAST_MIN 24

/* Lays out widths over the visible rows and the heading, drops columns
 * (highest drop rank first) until the rest fits with the last column at
 * least LAST_MIN wide, and draws; the last column takes what is left. */
/* The memory of the tables drawn: kept from frame to frame (a 40-row
 * table's cells are 128 KiB: allocated and zeroed a frame, they were a
 * tenth of the dashboard's time). */
struct dash_table_mem {
    char (*cells)[NCOLS][CELL];
    char (*alt0)[CELL];
    attr_t *attrs;
    size_t cap;         /* rows */
    struct strbuf safe; /* the cells made safe, one after the other */
    size_t *off;        /* each cell's in safe: [row * (NCOLS + 1) + col], alt0 at NCOLS */
    int *width;         /* and its columns */
};

void dash_table_rows(struct dash *d, struct dash_table *t, int n, bool alt0)
{
    if (!d->tmem) {
        d->tmem = xcalloc(1, sizeof(*d->tmem));
        strbuf_init(&d->tmem->safe);
    }
    struct dash_table_mem *m = d->tmem;
    size_t want = n > 0 ? (size_t)n : 1;
    if (want > m->cap) {
        m->cap = want;
        m->cells = xrealloc(m->cells, want * sizeof(*m->cells));
        m->alt0 = xrealloc(m->alt0, want * sizeof(*m->alt0));
        m->attrs = xrealloc(m->attrs, want * sizeof(*m->attrs));
        m->off = xrealloc(m->off, want * (NCOLS + 1) * sizeof(*m->off));
        m->width = xrealloc(m->width, want * (NCOLS + 1) * sizeof(*m->width));
    }
    for (size_t r = 0; r < want; r++) {
        for (int c = 0; c < NCOLS; c++)
            m->cells[r][c][0] = '\0';
        m->alt0[r][0] = '\0';
        m->attrs[r] = 0;
    }
    t->cells = m->cells;
    t->alt0 = alt0 ? m->alt0 : NULL;
    t->attrs = m->attrs;
}

void dash_table_free(struct dash *d)
{
    struct dash_table_mem *m = d->tmem;
    if (!m)
        return;
    free(m->cells);
    free(m->alt0);
    free(m->attrs);
    free(m->off);
    free(m->width);
    strbuf_done(&m->safe);
    free(m);
    d->tmem = NULL;
}

/* Cell (r, c) made safe (c == NCOLS: alt0), once a frame: its width read
 * from the same text the draw puts. */
static void table_safe(struct dash_table_mem *m, int r, int c, const char *s)
{
    size_t k = (size_t)r * (NCOLS + 1) + (size_t)c;
    m->off[k] = m->safe.len;
    textsafe_add(&m->safe, s, strlen(s), 0, 0);
    strbuf_add(&m->safe, "", 1); /* its NUL: the next cell starts after it */
    m->width[k] = (int)textsafe_width(m->safe.buf + m->off[k]);
}

/* Puts cell text s (safe, width sw) in cw columns: as it is when it fits,
 * else cut by dash_put from the original orig (the same as the safe text
 * cut, ending in "..."). */
static void table_put(WINDOW *w, int y, int x, int cw, const char *s, int sw, const char *orig,
                      attr_t a)
{
    if (cw <= 0)
        return;
    if (sw <= cw)
        tui_put(w, y, x, cw, s, a);
    else
        dash_put(w, y, x, cw, orig, a);
}

void dash_table_draw(struct dash *d, WINDOW *w, const struct dash_table *t, int y, int cols,
                     int selected)
{
    struct dash_table_mem *m = d->tmem;
    int width[NCOLS];
    bool shown[NCOLS];
    strbuf_reset(&m->safe);
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++)
            table_safe(m, r, c, t->cells[r][c]);
        if (t->alt0)
            table_safe(m, r, NCOLS, t->alt0[r][0] ? t->alt0[r] : t->cells[r][0]);
    }
    for (int c = 0; c < t->ncols; c++) {
        shown[c] = true;
        width[c] = (int)strlen(t->head[c]);
        for (int r = 0; r < t->nrows; r++)
            if (m->width[r * (NCOLS + 1) + c] > width[c])
                width[c] = m->width[r * (NCOLS + 1) + c];
        if (t->maxw[c] && width[c] > t->maxw[c])
            width[c] = t->maxw[c];
    }
    for (;;) {
        int total = LAST_MIN;
        for (int c = 0; c < t->ncols - 1; c++)
            if (shown[c])
                total += width[c] + 2;
        int worst = -1;
        for (int c = 0; c < t->ncols; c++)
            if (shown[c] && t->drop[c] && (worst < 0 || t->drop[c] > t->drop[worst]))
                worst = c;
        if (total <= cols || worst < 0)
            break;
        shown[worst] = false;
    }
    bool second = t->ncols > 1 && shown[1];
    if (!second && t->alt0)
        for (int r = 0; r < t->nrows; r++) {
            int cw = m->width[r * (NCOLS + 1) + NCOLS];
            if (cw > width[0])
                width[0] = t->maxw[0] && cw > t->maxw[0] ? t->maxw[0] : cw;
        }
    int x = 0;
    for (int c = 0; c < t->ncols && x < cols; c++) {
        if (!shown[c])
            continue;
        int cw = c == t->ncols - 1 ? cols - x : width[c];
        dash_put(w, y, x, cw, t->head[c], tui_attr(TUI_HEADING));
        /* column 0 shows alt0's text when the second column is dropped */
        int k = c == 0 && !second && t->alt0 ? NCOLS : c;
        for (int r = 0; r < t->nrows; r++) {
            attr_t a = t->attrs[r];
            if (r == selected) {
                a = tui_attr(TUI_SELECTED);
                if (x == 0)
                    tui_fill(w, y + 1 + r, 0, cols, a);
            }
            size_t i = (size_t)r * (NCOLS + 1) + (size_t)k;
            table_put(w, y + 1 + r, x, cw, m->safe.buf + m->off[i], m->width[i],
                      c == 0 ? cell0(t, r, second) : t->cells[r][c], a);
        }
        x += width[c] + 2;
    }
}

void dash_age(long long now, long long t, char *out)
{
    if (t <= 0)
        snprintf(out, CELL, "-");
    else
        kube_human_duration(now - t, out, CELL);
}

attr_t dash_rollout_attr(const struct dash *d, enum status_rollout r)
{
    const struct status_conn *c = status_conn(d->m);
    if (!c->reachable)
        return tui_attr(TUI_DIM);
    switch (r) {
    case SR_COMPLETE:
        return tui_attr(TUI_NORMAL);
    case SR_PROGRESSING:
    case SR_PAUSED:
    case SR_SCALED_DOWN:
        return tui_attr(TUI_WARN);
    default:
        return tui_attr(TUI_ERROR);
    }
}

/* Keeps the selection on screen: the list's top row for h visible rows. */
int dash_scroll_top(struct dash_list *l, int h)
{
    if (h <= 0)
        return 0;
    if (l->idx < l->top)
        l->top = l->idx;
    if (l->idx >= l->top + h)
        l->top = l->idx - h + 1;
    if (l->top > (int)l->nrows - h)
        l->top = (int)l->nrows - h;
    if (l->top < 0)
        l->top = 0;
    return l->top;
}

/* ---- rollouts ---- */

static void bar(int done, int want, int width, char *out)
{
    if (width < 3)
        width = 3;
    int inner = width - 2, fill = want > 0 ? done * inner / want : inner;
    if (fill > inner)
        fill = inner;
    out[0] = '[';
    for (int i = 0; i < inner; i++)
        out[1 + i] = i < fill ? '#' : '-';
    out[inner + 1] = ']';
    out[inner + 2] = '\0';
}

static void rollout_cells(const struct dash *d, const struct status_comp *c,
                          char cells[NCOLS][CELL])
{
    snprintf(cells[0], CELL, "%s", c->name);
    snprintf(cells[1], CELL, "%s", kube_resource_get(c->kind)->kind);
    bar(c->updated < c->available ? c->updated : c->available, c->desired, 22, cells[2]);
    snprintf(cells[3], CELL, "%d/%d", c->updated, c->desired);
    snprintf(cells[4], CELL, "%d", c->ready);
    snprintf(cells[5], CELL, "%d", c->available);
    const struct kube_obj *o =
        kube_store_find(status_store(d->m, c->kind), status_namespace(d->m), c->name);
    snprintf(cells[6], CELL, "%s",
             o && o->u.wl.revision          ? o->u.wl.revision
             : o && o->u.wl.update_revision ? o->u.wl.update_revision
                                            : "-");
    snprintf(cells[7], CELL, "%s", status_rollout_word(c->rollout));
}

/* The selected Deployment's ReplicaSets, newest revision first: the new
 * one and the old ones (revision history). */
static void replicasets_draw(struct dash *d, WINDOW *w, int y, int y1, const struct status_comp *c)
{
    if (c->kind != KUBE_DEPLOYMENT || y >= y1)
        return;
    struct kube_store *rs = status_store(d->m, KUBE_REPLICASET);
    const struct kube_obj *mine[64];
    int n = 0;
    for (size_t i = 0; i < kube_store_count(rs) && n < 64; i++) {
        const struct kube_obj *o = kube_store_at(rs, i);
        if (str_eq(o->owner_kind, "Deployment") && str_eq(o->owner_name, c->name))
            mine[n++] = o;
    }
    /* by revision, newest first */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0; j--) {
            long a = mine[j]->u.wl.revision ? atol(mine[j]->u.wl.revision) : 0;
            long b = mine[j - 1]->u.wl.revision ? atol(mine[j - 1]->u.wl.revision) : 0;
            if (a <= b)
                break;
            const struct kube_obj *t = mine[j];
            mine[j] = mine[j - 1];
            mine[j - 1] = t;
        }
    char line[1200];
    snprintf(line, sizeof(line), "ReplicaSets of %s (revision history, newest first):", c->name);
    dash_put(w, y++, 0, d->cols, line, tui_attr(TUI_HEADING));
    for (int i = 0; i < n && y < y1; i++) {
        const struct kube_workload *x = &mine[i]->u.wl;
        snprintf(line, sizeof(line), "  rev %-4s %-5s %s  %d/%d ready  %s",
                 x->revision ? x->revision : "?", i == 0 ? "new" : "old", mine[i]->name, x->ready,
                 x->spec_replicas < 0 ? 1 : x->spec_replicas, x->tpl.images ? x->tpl.images : "");
        dash_put(w, y++, 0, d->cols, line, i == 0 ? tui_attr(TUI_NORMAL) : tui_attr(TUI_DIM));
    }
    if (!n)
        dash_put(w, y, 0, d->cols, "  none", tui_attr(TUI_DIM));
}

/* ---- jobs ---- */

/* A cell of kubectl's column NAME of the object's kind (the kind
 * registry's printer, core/kube_kinds.c: the one implementation of what
 * `kubectl get` prints). */
static void kubectl_cell(const struct dash *d, enum kube_kind k, const struct kube_obj *o,
                         const char *name, char *out)
{
    const struct kube_resource *r = kube_resource_get(k);
    out[0] = '\0';
    for (size_t c = 0; c < r->ncolumns; c++)
        if (!strcmp(r->columns[c].name, name)) {
            struct strbuf sb;
            strbuf_init(&sb);
            kube_cell_text(&r->columns[c], o, dash_now(d), &sb);
            snprintf(out, CELL, "%s", sb.buf ? sb.buf : "");
            strbuf_done(&sb);
            return;
        }
}

/* STATUS, COMPLETIONS, DURATION and AGE as `kubectl get jobs` prints them
 * (Suspended, Terminating, "0/1 of 3" included). */
static void job_cells(const struct dash *d, const struct status_job *j, char cells[NCOLS][CELL])
{
    const struct kube_job *b = &j->obj->u.job;
    snprintf(cells[0], CELL, "%s", j->obj->name);
    snprintf(cells[1], CELL, "%s", j->comp != DIFY_COMP_NONE ? dash_comp_title(j->comp) : "");
    kubectl_cell(d, KUBE_JOB, j->obj, "Status", cells[2]);
    kubectl_cell(d, KUBE_JOB, j->obj, "Completions", cells[3]);
    kubectl_cell(d, KUBE_JOB, j->obj, "Duration", cells[4]);
    snprintf(cells[5], CELL, "%d (limit %d)", j->attempts, b->backoff_limit + 1);
    kubectl_cell(d, KUBE_JOB, j->obj, "Age", cells[6]);
    snprintf(cells[7], CELL, "%s", j->msg);
}

/* The last lines of the selected job's newest pod, fetched when the
 * selection moves to another job or the Job changes (dash_views_sync,
 * never from a draw). */
static void joblog_done(long status, const char *body, size_t len, const struct error *err,
                        void *arg)
{
    struct dash *d = arg;
    d->joblog_req = NULL;
    free(d->joblog_text);
    d->joblog_text = err ? xasprintf("(%s)", err->msg) : xstrndup(body, len);
    dash_dirty(d);
}

void dash_views_sync(struct dash *d)
{
    if (d->view != DV_JOBS || !d->m || !status_client(d->m))
        return;
    struct dash_list *l = dash_list_current(d, DV_JOBS);
    if (!l->nrows)
        return;
    const struct status_job *j = l->rows[l->idx];
    const char *pod = j->newest_pod;
    /* again when the Job changed (its pod started, ended, another ran): a
     * container not started yet answers 400, and that is not the last word */
    if (!pod || (!strcmp(d->joblog_pod, pod) && d->joblog_rv == j->obj->rv))
        return;
    dash_views_cancel(d);
    snprintf(d->joblog_pod, sizeof(d->joblog_pod), "%s", pod);
    d->joblog_rv = j->obj->rv;
    struct kube_log_opts lo = {.tail_lines = 6};
    d->joblog_req = kube_logs(status_client(d->m), status_namespace(d->m), pod, &lo, NULL, NULL,
                              joblog_done, d);
}

void dash_views_cancel(struct dash *d)
{
    kube_req_cancel(d->joblog_req);
    d->joblog_req = NULL;
    d->joblog_pod[0] = '\0';
    free(d->joblog_text);
    d->joblog_text = NULL;
}

static void joblog_draw(struct dash *d, WINDOW *w, int y, int y1, const struct status_job *j)
{
    if (y >= y1)
        return;
    char line[600];
    snprintf(line, sizeof(line), "last lines of %s:", j->newest_pod ? j->newest_pod : "(no pod)");
    dash_put(w, y++, 0, d->cols, line, tui_attr(TUI_HEADING));
    if (!j->newest_pod)
        return;
    if (strcmp(d->joblog_pod, j->newest_pod) != 0 || !d->joblog_text) {
        dash_put(w, y, 0, d->cols, "  ...", tui_attr(TUI_DIM));
        return;
    }
    /* the last lines that fit */
    const char *s = d->joblog_text;
    int total = 0;
    for (const char *p = s; *p; p++)
        total += *p == '\n';
    if (*s && s[strlen(s) - 1] != '\n')
        total++;
    int skip = total - (y1 - y);
    for (const char *p = s; *p && y < y1;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (skip-- <= 0) {
            char *one = xstrndup(p, n);
            snprintf(line, sizeof(line), "  %s", one);
            free(one);
            dash_put(w, y++, 0, d->cols, line, tui_attr(TUI_DIM));
        }
        p = e ? e + 1 : p + n;
    }
}

/* ---- events ---- */

/* LAST SEEN, TYPE, REASON, OBJECT ("pod/name", the kind in lower case) and
 * MESSAGE as `kubectl get events` prints them; COUNT summed over the group
 * (kubectl's -o wide COUNT of each Event). */
static void event_cells(const struct dash *d, const struct status_event *e, char cells[NCOLS][CELL])
{
    snprintf(cells[0], CELL, "%s", e->type ? e->type : "");
    snprintf(cells[1], CELL, "%s", e->reason ? e->reason : "");
    size_t n = 0;
    for (const char *k = e->kind ? e->kind : "?"; *k && n < CELL - 1; k++)
        cells[2][n++] = (char)(*k >= 'A' && *k <= 'Z' ? *k + 32 : *k);
    cells[2][n] = '\0';
    if (e->name && *e->name)
        snprintf(cells[2] + n, CELL - n, "/%s", e->name);
    snprintf(cells[3], CELL, "%u", e->count);
    if (e->last <= 0)
        snprintf(cells[4], CELL, "<unknown>");
    else
        dash_age(dash_now(d), e->last, cells[4]);
    snprintf(cells[5], CELL, "%s", e->message ? e->message : "");
}

/* ---- the list views ---- */

void dash_view_draw(struct dash *d, WINDOW *w, int y0, int y1)
{
    enum dash_view v = d->view;
    struct dash_list *l = dash_list_current(d, v);
    int below = v == DV_ROLLOUTS || v == DV_JOBS ? 8 : 0;
    if (y1 - y0 < 12)
        below = 0;
    int h = y1 - y0 - 1 - below;
    if (h < 1)
        return;
    int top = dash_scroll_top(l, h);
    int n = (int)l->nrows - top < h ? (int)l->nrows - top : h;
    struct dash_table t = {0};
    switch (v) {
    case DV_PODS:
        t = (struct dash_table){.ncols = 8,
                                .head = {"NAME", "READY", "STATUS", "RESTARTS", "LAST TERMINATION",
                                         "NODE", "AGE", "COMPONENT"},
                                .maxw = {48, 0, 28, 0, 20, 20, 0, 0},
                                .drop = {0, 0, 0, 0, 2, 4, 3, 5}};
        break;
    case DV_ROLLOUTS:
        t = (struct dash_table){.ncols = 8,
                                .head = {"NAME", "KIND", "PROGRESS", "UPDATED", "READY",
                                         "AVAILABLE", "REVISION", "STATE"},
                                .maxw = {34, 0, 0, 0, 0, 0, 14, 0},
                                .drop = {0, 5, 0, 0, 3, 4, 2, 0}};
        break;
    case DV_JOBS:
        t = (struct dash_table){.ncols = 8,
                                .head = {"NAME", "COMPONENT", "STATUS", "COMPLETIONS", "DURATION",
                                         "ATTEMPTS", "AGE", "MESSAGE"},
                                .maxw = {40, 12, 0, 0, 0, 0, 0, 0},
                                .drop = {0, 5, 0, 3, 0, 0, 4, 0}};
        break;
    case DV_EVENTS:
        t = (struct dash_table){
            .ncols = 6,
            .head = {"TYPE", "REASON", "OBJECT", "COUNT", "LAST SEEN", "MESSAGE"},
            .maxw = {0, 24, 48, 0, 0, 0},
            .drop = {0, 0, 0, 2, 1, 0}};
        break;
    default:
        return;
    }
    dash_table_rows(d, &t, n, false);
    bool dim = !status_conn(d->m)->reachable;
    for (int r = 0; r < n; r++) {
        const void *p = l->rows[top + r];
        attr_t a = tui_attr(TUI_NORMAL);
        if (v == DV_PODS) {
            dash_pod_row(d, p, t.cells[r], &a);
        } else if (v == DV_ROLLOUTS) {
            rollout_cells(d, p, t.cells[r]);
            a = dash_rollout_attr(d, ((const struct status_comp *)p)->rollout);
        } else if (v == DV_JOBS) {
            job_cells(d, p, t.cells[r]);
            enum rollout_state st = ((const struct status_job *)p)->state;
            a = tui_attr(st == ROLLOUT_FAILED ? TUI_ERROR
                         : st == ROLLOUT_DONE ? TUI_NORMAL
                                              : TUI_WARN);
        } else {
            event_cells(d, p, t.cells[r]);
            a = tui_attr(str_eq(((const struct status_event *)p)->type, "Warning") ? TUI_WARN
                                                                                   : TUI_NORMAL);
        }
        t.attrs[r] = dim ? tui_attr(TUI_DIM) : a;
    }
    t.nrows = n;
    dash_table_draw(d, w, &t, y0, d->cols, l->idx - top);
    if (!l->nrows) {
        /* as the overview's: empty is said only of a namespace listed */
        const struct status_conn *c = status_conn(d->m);
        dash_put(w, y0 + 1, 0, d->cols,
                 l->filter[0]  ? "nothing matches the filter"
                 : !c->synced  ? "listing the namespace..."
                 : c->nrefused ? "nothing to show: the namespace could not be listed (above)"
                               : "none in this namespace",
                 tui_attr(TUI_DIM));
        return;
    }
    int yb = y0 + 1 + n + 1;
    if (below && v == DV_ROLLOUTS)
        replicasets_draw(d, w, yb, y1, l->rows[l->idx]);
    if (below && v == DV_JOBS) {
        joblog_draw(d, w, yb, y1, l->rows[l->idx]);
    }
}
