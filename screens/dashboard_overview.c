/* screens/dashboard_overview.c: the dashboard's first view: a row per Dify
 * component, then the rest of the namespace (dashboard_list.h), under the
 * health strip (the api and plugin daemon probes, the api -> daemon key,
 * plugin storage, the migration Job and the version pair). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dify_versions.h"
#include "core/kube_client.h"
#include "core/util.h"
#include "screens/dashboard_impl.h"
#include "screens/dashboard_list.h"
#include "tui/theme.h"

static void comp_cells(const struct dash *d, const struct status_comp *c, char cells[NCOLS][CELL])
{
    long long now = dash_now(d);
    snprintf(cells[0], CELL, "%s", dash_comp_title(c->comp));
    if (c->kind == KUBE_KIND_COUNT)
        snprintf(cells[1], CELL, "(missing)");
    else if (c->kind == KUBE_POD)
        snprintf(cells[1], CELL, "pod/%s", c->name);
    else
        snprintf(cells[1], CELL, "%s", c->name);
    snprintf(cells[2], CELL, "%d/%d", c->ready, c->desired);
    snprintf(cells[3], CELL, "%d", c->updated);
    snprintf(cells[4], CELL, "%d", c->available);
    snprintf(cells[5], CELL, "%u", c->restarts);
    dash_age(now, c->created, cells[6]);
    if (c->expected_tag[0] && strcmp(c->expected_tag, c->tag) != 0)
        snprintf(cells[7], CELL, "%s (want %s)", c->tag[0] ? c->tag : "-", c->expected_tag);
    else
        snprintf(cells[7], CELL, "%s", c->tag[0] ? c->tag : "-");
    snprintf(cells[8], CELL, "%s%s%s", status_rollout_word(c->rollout), c->problem[0] ? ": " : "",
             c->problem);
}

void dash_overview_draw(struct dash *d, WINDOW *w, int y0, int y1)
{
    struct dash_list *l = dash_list_current(d, DV_OVERVIEW);
    int h = y1 - y0 - 2; /* heading, and the reason line under the table */
    if (h < 1)
        return;
    int top = dash_scroll_top(l, h);
    struct dash_table t = {.ncols = 9,
                           .head = {"COMPONENT", "NAME", "READY", "UP-TO-DATE", "AVAILABLE",
                                    "RESTARTS", "AGE", "TAG", "ROLLOUT"},
                           .maxw = {16, 34, 0, 0, 0, 0, 0, 24, 0},
                           .drop = {0, 3, 0, 5, 6, 1, 4, 2, 0}};
    int n = (int)l->nrows - top < h ? (int)l->nrows - top : h;
    dash_table_rows(d, &t, n, true);
    for (int r = 0; r < n; r++) {
        const struct status_comp *c = l->rows[top + r];
        comp_cells(d, c, t.cells[r]);
        /* without the NAME column, others are known by their name */
        if (c->comp == DIFY_COMP_NONE)
            snprintf(t.alt0[r], CELL, "%s", t.cells[r][1]);
        t.attrs[r] = dash_rollout_attr(d, c->rollout);
    }
    t.nrows = n;
    dash_table_draw(d, w, &t, y0, d->cols, l->idx - top);
    if (!l->nrows) {
        const struct status_conn *c = status_conn(d->m);
        const char *why = !c->synced     ? "listing the namespace..."
                          : l->filter[0] ? "nothing matches the filter"
                          : c->nrefused  ? "nothing to show: the namespace could not be listed "
                                           "(above)"
                                         : "no workloads in this namespace";
        dash_put(w, y0 + 1, 0, d->cols, why, tui_attr(TUI_DIM));
    } else {
        /* the selected row's reason, whole */
        const struct status_comp *c = l->rows[l->idx];
        dash_put(w, y1 - 1, 0, d->cols, c->reason, tui_attr(TUI_DIM));
    }
}

/* ---- the health strip ---- */

static void hhmm(long long t, char *out, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    strftime(out, n, "%H:%M:%S", gmtime_r(&tt, &tm));
}

static void probe_text(const struct status_probe *p, const char *okword, char *out, size_t n,
                       attr_t *a)
{
    char since[16], lasterr[16];
    hhmm(p->since, since, sizeof(since));
    hhmm(p->last_error_at, lasterr, sizeof(lasterr));
    if (p->absent) {
        snprintf(out, n, "%s", p->absent);
        *a = tui_attr(TUI_DIM);
    } else if (!p->checked) {
        snprintf(out, n, "not checked yet");
        *a = tui_attr(TUI_DIM);
    } else if (p->ok) {
        snprintf(out, n, "%s%s%s · %lld ms%s%s%s%s", okword, p->version[0] ? " · " : "", p->version,
                 p->latency_ms, p->last_error[0] ? " · last error " : "",
                 p->last_error[0] ? lasterr : "", p->last_error[0] ? ": " : "",
                 p->last_error[0] ? p->last_error : "");
        *a = tui_attr(TUI_OK);
    } else {
        snprintf(out, n, "FAILING since %s · %s", since, p->msg);
        *a = tui_attr(TUI_ERROR);
    }
}

int dash_health_draw(struct dash *d, WINDOW *w, int y)
{
    const struct status_health *h = status_health(d->m);
    bool dim = !status_conn(d->m)->reachable;
    char text[1400];
    attr_t a;
    int row = y;
    const int lw = 22;
    struct {
        const char *label;
        const struct status_probe *p;
        const char *ok;
    } probes[] = {
        {"api /health", &h->api, "ok"},
        {"plugin daemon /health", &h->daemon, "ok"},
        {"api -> daemon key", &h->key, "accepted"},
        {"plugin storage", &h->storage, "kept"},
    };
    for (size_t i = 0; i < ARRAY_LEN(probes); i++) {
        probe_text(probes[i].p, probes[i].ok, text, sizeof(text), &a);
        if (probes[i].p == &h->storage && h->storage.checked && !h->storage.absent)
            snprintf(text, sizeof(text), "%s", h->storage.msg);
        if (probes[i].p == &h->key && h->key.checked && !h->key.ok && !h->key.absent)
            snprintf(text, sizeof(text), "%s: %s", dify_key_state_name(h->key.key), h->key.msg);
        dash_put(w, row, 0, lw, probes[i].label, tui_attr(TUI_LABEL));
        dash_put(w, row++, lw, d->cols - lw, text, dim ? tui_attr(TUI_DIM) : a);
    }
    /* the migration Job and the version pair share a line */
    const struct status_job *mig = status_migration(d->m);
    char mtext[700];
    attr_t ma = tui_attr(TUI_DIM);
    if (mig) {
        char dur[32];
        kube_human_duration(mig->duration, dur, sizeof(dur));
        snprintf(mtext, sizeof(mtext), "%s (%d attempt%s, %s)",
                 mig->state == ROLLOUT_DONE     ? "complete"
                 : mig->state == ROLLOUT_FAILED ? "FAILED"
                                                : "running",
                 mig->attempts, mig->attempts == 1 ? "" : "s", dur);
        ma = tui_attr(mig->state == ROLLOUT_DONE     ? TUI_OK
                      : mig->state == ROLLOUT_FAILED ? TUI_ERROR
                                                     : TUI_WARN);
    } else {
        snprintf(mtext, sizeof(mtext), "no migration Job");
    }
    dash_put(w, row, 0, lw, "migration", tui_attr(TUI_LABEL));
    int used = dash_put(w, row, lw, d->cols - lw, mtext, dim ? tui_attr(TUI_DIM) : ma);
    int x = lw + used + 3;
    if (h->pair_checked && x < d->cols) {
        char ptext[400];
        attr_t pa = tui_attr(TUI_OK);
        if (h->pair == DIFY_PAIR_SKEW) {
            snprintf(ptext, sizeof(ptext), "VERSION SKEW: %s", h->pair_msg);
            pa = tui_attr(TUI_ERROR);
        } else if (h->pair == DIFY_PAIR_UNKNOWN_API) {
            snprintf(ptext, sizeof(ptext), "versions: %s", h->pair_msg);
            pa = tui_attr(TUI_WARN);
        } else {
            snprintf(ptext, sizeof(ptext), "api %s + daemon %s: a known pair", h->api_tag,
                     h->daemon_tag);
        }
        dash_put(w, row, x, d->cols - x, ptext, dim ? tui_attr(TUI_DIM) : pa);
    }
    row++;
    return row - y + 1; /* and a blank line */
}
