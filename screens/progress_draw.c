/* screens/progress_draw.c: drawing the progress pane. From the top: the
 * title bar (what runs, how far, how long); the steps on the left and the
 * selected step's detail on the right; the log pane; a status line; the
 * keys. The error box, while open, is drawn over the middle. Pure: reads
 * the runner and the screen's state, writes cells. Everything that came
 * from a tool or the cluster passes textsafe here or when it was logged. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/textsafe.h"
#include "core/util.h"
#include "screens/progress_impl.h"
#include "tui/bar.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/theme.h"
#include "tui/util.h"

#define LOG_MIN_ROWS 5 /* the log pane keeps at least this many rows */

/* ---- pieces ---- */

static bool unicode_ok(void)
{
    return tui_text_showable("\xe2\x9c\x93\xe2\x9c\x97\xe2\x96\xb6\xc2\xb7\xe2\x86\xbb");
}

static const char *step_icon(const struct runner_step_info *s, bool stopped)
{
    bool u = unicode_ok();
    if (s->state == STEP_FAILED && stopped)
        return "!";
    switch (s->state) {
    case STEP_PENDING:
        return u ? "\xc2\xb7" : ".";
    case STEP_RUNNING:
        if (s->retry_at_ms > 0)
            return u ? "\xe2\x86\xbb" : "~";
        return u ? "\xe2\x96\xb6" : ">";
    case STEP_DONE:
        return u ? "\xe2\x9c\x93" : "+";
    case STEP_FAILED:
        return u ? "\xe2\x9c\x97" : "x";
    case STEP_SKIPPED:
        return "-";
    }
    return "?";
}

static const char *row_icon(enum runner_row_state st)
{
    bool u = unicode_ok();
    switch (st) {
    case ROW_WAITING:
        return u ? "\xc2\xb7" : ".";
    case ROW_WORKING:
        return u ? "\xe2\x96\xb6" : ">";
    case ROW_DONE:
        return u ? "\xe2\x9c\x93" : "+";
    case ROW_FAILED:
        return u ? "\xe2\x9c\x97" : "x";
    }
    return "?";
}

static int step_role(const struct runner_step_info *s, bool stopped)
{
    if (s->state == STEP_FAILED && stopped)
        return TUI_WARN;
    switch (s->state) {
    case STEP_PENDING:
    case STEP_SKIPPED:
        return TUI_DIM;
    case STEP_RUNNING:
        return s->retry_at_ms > 0 ? TUI_WARN : TUI_NORMAL;
    case STEP_DONE:
        return TUI_OK;
    case STEP_FAILED:
        return TUI_ERROR;
    }
    return TUI_NORMAL;
}

static int row_role(enum runner_row_state st)
{
    static const int roles[] = {TUI_DIM, TUI_NORMAL, TUI_OK, TUI_ERROR};
    return roles[st];
}

/* The time column of a step: elapsed while running, the duration once
 * ended, the wait before a retry. */
static void step_time(const struct runner_step_info *s, long long now, char *buf, size_t n)
{
    buf[0] = '\0';
    if (s->state == STEP_RUNNING && s->retry_at_ms > 0) {
        char t[24];
        progress_format_ms(s->retry_at_ms - now, t, sizeof(t));
        snprintf(buf, n, "retry %s", t);
    } else if (s->state == STEP_RUNNING && s->started_ms) {
        progress_format_ms(now - s->started_ms, buf, n);
    } else if (s->state == STEP_DONE && s->resumed) {
        snprintf(buf, n, "kept");
    } else if ((s->state == STEP_DONE || s->state == STEP_FAILED) && s->started_ms && s->ended_ms) {
        progress_format_ms(s->ended_ms - s->started_ms, buf, n);
    } else if (s->state == STEP_SKIPPED) {
        snprintf(buf, n, "skipped");
    }
}

/* Puts a string that may hold anything (a tool's words) safely. */
static int put_safe(WINDOW *w, int y, int x, int maxw, const char *s, attr_t attr)
{
    char *safe = textsafe(s ? s : "", 0, 0);
    int n = tui_put(w, y, x, maxw, safe, attr);
    free(safe);
    return n;
}

static int put_safe_wrapped(WINDOW *w, int y, int x, int width, int maxlines, const char *s,
                            attr_t attr)
{
    char *safe = textsafe(s ? s : "", 0, 0);
    int n = tui_put_wrapped(w, y, x, width, maxlines, safe, attr);
    free(safe);
    return n;
}

/* ---- the title bar ---- */

static void draw_title(struct progress *p, WINDOW *w, int width, long long now)
{
    tui_fill(w, 0, 0, width, tui_attr(TUI_TITLE));
    size_t ended = 0;
    for (size_t i = 0; i < p->n; i++) {
        enum step_state st = runner_step(p->r, i)->state;
        ended += st == STEP_DONE || st == STEP_SKIPPED;
    }
    char right[96], took[32];
    long long end = p->ended_ms ? p->ended_ms : now;
    progress_format_ms(p->started_ms ? end - p->started_ms : 0, took, sizeof(took));
    switch (runner_state(p->r)) {
    case RUNNER_DONE:
        snprintf(right, sizeof(right), "done in %s ", took);
        break;
    case RUNNER_FAILED:
        snprintf(right, sizeof(right), "failed after %s ", took);
        break;
    case RUNNER_ABORTED:
        snprintf(right, sizeof(right), "stopped after %s ", took);
        break;
    case RUNNER_STUCK:
        snprintf(right, sizeof(right), "%zu/%zu, a step failed  %s ", ended, p->n, took);
        break;
    case RUNNER_ASKING:
        snprintf(right, sizeof(right), "%zu/%zu, waiting for you  %s ", ended, p->n, took);
        break;
    default:
        snprintf(right, sizeof(right), "%zu/%zu steps  %s ", ended, p->n, took);
        break;
    }
    int rw = (int)strlen(right);
    char *title = p->o.subject ? xasprintf(" dify-tui %s: %s", p->o.what, p->o.subject)
                               : xasprintf(" dify-tui %s", p->o.what);
    char *cut = textsafe(title, 0, width - rw - 1 > 0 ? (size_t)(width - rw - 1) : 1);
    tui_put(w, 0, 0, width - rw - 1, cut, tui_attr(TUI_TITLE));
    free(cut);
    free(title);
    tui_put(w, 0, width - rw, rw, right, tui_attr(TUI_TITLE));
}

/* ---- the steps ---- */

static void draw_steps(struct progress *p, WINDOW *w, int y, int x, int h, int width, size_t sel,
                       long long now)
{
    tui_put(w, y, x + 1, width - 1, "Steps", tui_attr(TUI_HEADING));
    int rows = h - 1;
    if (rows <= 0)
        return;
    size_t first = 0;
    if (p->n > (size_t)rows && sel >= (size_t)rows / 2) {
        first = sel - (size_t)rows / 2;
        if (first + (size_t)rows > p->n)
            first = p->n - (size_t)rows;
    }
    for (int r = 0; r < rows && first + (size_t)r < p->n; r++) {
        size_t i = first + (size_t)r;
        const struct runner_step_info *s = runner_step(p->r, i);
        int ry = y + 1 + r;
        bool stopped = p->seen[i].stopped;
        attr_t a = tui_attr(step_role(s, stopped));
        if (s->state == STEP_RUNNING)
            a |= A_BOLD;
        if (i == sel) {
            a = tui_attr(TUI_FOCUS);
            tui_fill(w, ry, x, width, a);
        }
        char t[32];
        step_time(s, now, t, sizeof(t));
        int tw = (int)strlen(t);
        tui_put(w, ry, x + 1, 1, step_icon(s, stopped), a);
        put_safe(w, ry, x + 3, width - 3 - tw - 2, s->title, a);
        tui_put(w, ry, x + width - tw - 1, tw, t, a);
    }
    if (first > 0)
        tui_put(w, y, x + width - 8, 7, "more ^", tui_attr(TUI_DIM));
    if (first + (size_t)rows < p->n)
        tui_put(w, y + h - 1, x + width - 8, 7, "more v", tui_attr(TUI_DIM));
}

/* ---- the detail of the selected step ---- */

/* The line under the step's title: what state it is in, and why. */
static int draw_state_line(struct progress *p, WINDOW *w, int y, int x, int width, int maxlines,
                           size_t i, long long now)
{
    const struct runner_step_info *s = runner_step(p->r, i);
    bool stopped = p->seen[i].stopped;
    char t[32], *line = NULL;
    int role = step_role(s, stopped);
    switch (s->state) {
    case STEP_PENDING:
        line = xstrdup("waiting for the steps before it");
        break;
    case STEP_RUNNING:
        if (s->retry_at_ms > 0) {
            progress_format_ms(s->retry_at_ms - now, t, sizeof(t));
            line = xasprintf("attempt %d of %d failed: %s; the next in %s", s->attempt,
                             s->max_attempts, s->message ? s->message : "", t);
            break;
        }
        progress_format_ms(now - s->started_ms, t, sizeof(t));
        if (s->attempt > 1)
            line = xasprintf("running for %s, attempt %d of %d%s%s", t, s->attempt, s->max_attempts,
                             s->status ? ": " : "", s->status ? s->status : "");
        else
            line = xasprintf("running for %s%s%s", t, s->status ? ": " : "",
                             s->status ? s->status : "");
        break;
    case STEP_DONE:
        if (s->resumed) {
            line = xstrdup("done before with the same inputs: not run again");
            break;
        }
        progress_format_ms(s->ended_ms - s->started_ms, t, sizeof(t));
        line = xasprintf("done in %s%s%s", t, s->message ? ": " : "", s->message ? s->message : "");
        break;
    case STEP_FAILED:
        if (stopped)
            line = xasprintf("stopped: %s", s->message ? s->message : "");
        else
            line = xasprintf("failed: %s (e shows it)", s->message ? s->message : "");
        break;
    case STEP_SKIPPED:
        line = xasprintf("skipped: %s", s->message ? s->message : "by request");
        break;
    }
    int n = put_safe_wrapped(w, y, x, width, maxlines, line, tui_attr(role));
    free(line);
    return n;
}

/* The first row that has not finished, to keep it in view. */
static size_t first_unfinished(const struct runner_detail *d)
{
    for (size_t k = 0; k < d->nrows; k++)
        if (d->rows[k].state == ROW_WORKING || d->rows[k].state == ROW_FAILED)
            return k;
    for (size_t k = 0; k < d->nrows; k++)
        if (d->rows[k].state == ROW_WAITING)
            return k;
    return d->nrows;
}

static void draw_rows(WINDOW *w, int y, int x, int width, int room, const struct runner_detail *d,
                      long long now)
{
    if (room <= 0 || d->nrows == 0)
        return;
    /* Columns: icon, label, [bar current/total], status, elapsed. */
    int lw = 8;
    bool bars = false;
    for (size_t k = 0; k < d->nrows; k++) {
        char *safe = textsafe(d->rows[k].label ? d->rows[k].label : "", 0, 0);
        int c = (int)textsafe_width(safe);
        free(safe);
        if (c > lw)
            lw = c;
        bars |= d->rows[k].total > 0;
    }
    int lmax = bars ? width / 3 : width * 2 / 3;
    if (lw > lmax)
        lw = lmax;
    /* Narrow: a bar without numbers (the status says them), no time column. */
    bool wide = width >= 60;
    int bw = bars ? (wide ? 16 : 8) : 0;
    size_t start = 0, shown = (size_t)room;
    if (d->nrows > (size_t)room) {
        shown = (size_t)room - 1; /* the last line says how many more */
        size_t f = first_unfinished(d);
        start = f > 0 ? f - 1 : 0;
        if (start + shown > d->nrows)
            start = d->nrows - shown;
    }
    for (size_t k = start; k < start + shown && k < d->nrows; k++) {
        const struct runner_row *row = &d->rows[k];
        int ry = y + (int)(k - start);
        attr_t a = tui_attr(row_role(row->state));
        int cx = x;
        tui_put(w, ry, cx, 1, row_icon(row->state), a);
        cx += 2;
        put_safe(w, ry, cx, lw, row->label, row->state == ROW_WORKING ? a | A_BOLD : a);
        cx += lw + 1;
        if (bars) {
            if (row->total > 0) {
                char num[48] = "";
                if (wide)
                    snprintf(num, sizeof(num), " %ld/%ld", row->current, row->total);
                int nw = (int)strlen(num);
                tui_bar_draw(w, ry, cx, bw - nw, row->current, row->total, a, tui_attr(TUI_DIM));
                tui_put(w, ry, cx + bw - nw, nw, num, a);
            }
            cx += bw + 1;
        }
        char t[32] = "";
        /* a time once it was seen working (not a row that came done) */
        if (wide && row->started_ms && (!row->ended_ms || row->ended_ms > row->started_ms))
            progress_format_ms((row->ended_ms ? row->ended_ms : now) - row->started_ms, t,
                               sizeof(t));
        int tw = (int)strlen(t);
        int sw = x + width - cx - (tw ? tw + 1 : 0);
        put_safe(w, ry, cx, sw, row->status, a);
        if (tw)
            tui_put(w, ry, x + width - tw, tw, t, tui_attr(TUI_DIM));
    }
    if (shown < d->nrows) {
        char more[96];
        snprintf(more, sizeof(more), "%zu above, %zu below (%zu in all)", start,
                 d->nrows - start - shown, d->nrows);
        tui_put(w, y + (int)shown, x + 2, width - 2, more, tui_attr(TUI_DIM));
    }
}

static void draw_detail(struct progress *p, WINDOW *w, int y, int x, int h, int width, size_t sel,
                        long long now)
{
    if (sel >= p->n || width < 10)
        return;
    const struct runner_step_info *s = runner_step(p->r, sel);
    char *head = xasprintf("%s (%s)", s->title, s->id);
    put_safe(w, y, x + 1, width - 1, head, tui_attr(TUI_HEADING));
    free(head);
    int cy = y + 1, bottom = y + h;
    cy += draw_state_line(p, w, cy, x + 1, width - 1, 2, sel, now);
    if (s->state == STEP_FAILED && !p->seen[sel].stopped && s->hint && cy < bottom) {
        char *hint = xasprintf("try: %s", s->hint);
        cy += put_safe_wrapped(w, cy, x + 1, width - 1, 2, hint, tui_attr(TUI_NORMAL));
        free(hint);
    }
    const struct runner_detail *d = runner_step_detail(p->r, sel);
    if (!d || (d->nrows == 0 && d->ntail == 0))
        return;
    /* The rows first, as many as fit beside at least three lines of the
     * tail; the tail gets the rest. */
    int room = bottom - cy;
    int rows_need = d->nrows ? (int)d->nrows + 1 : 0;
    int tail_min = d->ntail ? (d->ntail < 3 ? (int)d->ntail : 3) + 1 : 0;
    int rows_room = rows_need < room - tail_min ? rows_need : room - tail_min;
    if (d->nrows && rows_room > 1) {
        put_safe(w, cy, x + 1, width - 1, d->title ? d->title : "Detail", tui_attr(TUI_HEADING));
        draw_rows(w, cy + 1, x + 1, width - 1, rows_room - 1, d, now);
        cy += rows_room;
    }
    int tail_rows = bottom - cy - 1;
    if (tail_rows > (int)d->ntail)
        tail_rows = (int)d->ntail;
    if (d->ntail && tail_rows > 0) {
        put_safe(w, cy, x + 1, width - 1, d->tail_title ? d->tail_title : "Log",
                 tui_attr(TUI_HEADING));
        cy++;
        size_t from = d->ntail - (size_t)tail_rows;
        for (int k = 0; k < tail_rows; k++, cy++)
            put_safe(w, cy, x + 2, width - 2, d->tail[from + (size_t)k], tui_attr(TUI_DIM));
    }
}

/* ---- the whole screen ---- */

static const struct tui_hint running_hints[] = {{"\xe2\x86\x91\xe2\x86\x93", "step", "Up/Dn"},
                                                {"PgUp/PgDn", "log", NULL},
                                                {"/", "search", NULL},
                                                {"l", "full log", NULL},
                                                {"a", "abort", NULL},
                                                {"?", "help", NULL}};
static const struct tui_hint stuck_hints[] = {
    {"r", "retry", NULL},  {"s", "skip", NULL},  {"e", "error", NULL}, {"l", "full log", NULL},
    {"/", "search", NULL}, {"a", "abort", NULL}, {"?", "help", NULL}};
static const struct tui_hint ended_hints[] = {
    {"q", "leave", NULL},       {"\xe2\x86\x91\xe2\x86\x93", "step", "Up/Dn"},
    {"PgUp/PgDn", "log", NULL}, {"/", "search", NULL},
    {"l", "full log", NULL},    {"?", "help", NULL}};
static const struct tui_hint box_hints[] = {
    {"\xe2\x86\x91\xe2\x86\x93", "scroll the output", "Up/Dn"}, {"?", "help", NULL}};

/* Rows of the steps-and-detail part, title row included. */
static int top_rows(struct progress *p, int height, size_t sel)
{
    int want = (int)p->n + 1;
    const struct runner_detail *d = sel < p->n ? runner_step_detail(p->r, sel) : NULL;
    if (d) {
        int dw = 3 + (d->nrows ? (int)d->nrows + 1 : 0) + (d->ntail ? 4 : 0);
        if (dw > want)
            want = dw;
    }
    if (want < 7)
        want = 7;
    /* title, log header, status, keys, and the log's least */
    int max = height - 4 - LOG_MIN_ROWS;
    if (height > 30 && max > (height - 4) * 3 / 5)
        max = (height - 4) * 3 / 5;
    return want < max ? want : max;
}

void progress_draw(struct screen *s, WINDOW *w)
{
    struct progress *p = s->data;
    int width = getmaxx(w), height = getmaxy(w);
    long long now = runner_now_ms();
    size_t sel = p->follow ? progress_active_step(p) : p->sel;
    draw_title(p, w, width, now);

    int lw = width * 2 / 5;
    if (lw < 30)
        lw = 30;
    if (lw > 50)
        lw = 50;
    int th = top_rows(p, height, sel);
    draw_steps(p, w, 1, 0, th, lw, sel, now);
    for (int r = 1; r <= th; r++)
        tui_put(w, r, lw, 1, "|", tui_attr(TUI_DIM));
    draw_detail(p, w, 1, lw + 1, th, width - lw - 1, sel, now);

    /* The log pane: a header line, then the lines. */
    int ly = 1 + th;
    /* The status takes two lines when it needs them; the log what is left. */
    int status_h = p->status && tui_text_lines(p->status, width, 0) > 1 ? 2 : 1;
    int log_h = height - 1 - status_h - ly - 1;
    tui_logview_draw(&p->log, w, ly + 1, 0, log_h, width);
    char desc[160];
    tui_logview_describe(&p->log, desc, sizeof(desc)); /* after the draw: it knows the height */
    tui_fill(w, ly, 0, width, tui_attr(TUI_HEADING));
    int n = tui_put(w, ly, 1, width - 1, "Log", tui_attr(TUI_HEADING) | A_BOLD);
    tui_put(w, ly, 1 + n + 2, width - n - 3, desc, tui_attr(TUI_HEADING));
    if (p->status)
        tui_put_wrapped(w, height - 1 - status_h, 0, width, status_h, p->status,
                        tui_attr(p->status_role));
    enum runner_state st = runner_state(p->r);
    if (p->box_open)
        tui_hints_draw(w, height - 1, box_hints, ARRAY_LEN(box_hints));
    else if (runner_finished(p->r))
        tui_hints_draw(w, height - 1, ended_hints, ARRAY_LEN(ended_hints));
    else if (st == RUNNER_STUCK)
        tui_hints_draw(w, height - 1, stuck_hints, ARRAY_LEN(stuck_hints));
    else
        tui_hints_draw(w, height - 1, running_hints, ARRAY_LEN(running_hints));
    if (p->box_open)
        tui_errorbox_draw(&p->box, w, 1, 0, height - 2, width);
}
