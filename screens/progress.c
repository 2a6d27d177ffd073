/* screens/progress.c: the progress pane (see progress.h): the runner's
 * events turned into log lines, the error box and questions; frames and
 * ticks; the keys. Drawing is in progress_draw.c. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/app.h"
#include "screens/dialog_screen.h"
#include "screens/progress_impl.h"
#include "tui/keys.h"
#include "tui/theme.h"

#define BOX_LINES 60 /* output lines the error box keeps */

/* ---- small helpers ---- */

void progress_set_status(struct progress *p, int role, const char *fmt, ...)
{
    free(p->status);
    p->status = NULL;
    p->status_role = role;
    if (!fmt)
        return;
    va_list ap;
    va_start(ap, fmt);
    p->status = xvasprintf(fmt, ap);
    va_end(ap);
}

void progress_format_ms(long long ms, char *buf, size_t n)
{
    if (ms < 0)
        ms = 0;
    long long s = ms / 1000;
    if (ms < 10000)
        snprintf(buf, n, "%lld.%llds", s, (ms % 1000) / 100);
    else if (s < 60)
        snprintf(buf, n, "%llds", s);
    else if (s < 3600)
        snprintf(buf, n, "%lldm%02llds", s / 60, s % 60);
    else
        snprintf(buf, n, "%lldh%02lldm", s / 3600, (s % 3600) / 60);
}

static bool is_retrying(const struct runner_step_info *info)
{
    return info->state == STEP_RUNNING && info->retry_at_ms > 0;
}

size_t progress_active_step(const struct progress *p)
{
    size_t running = (size_t)-1, ended = (size_t)-1;
    long long run_at = -1, end_at = -1;
    for (size_t i = 0; i < p->n; i++) {
        const struct runner_step_info *s = runner_step(p->r, i);
        if (s->state == STEP_FAILED)
            return i;
        if (s->state == STEP_RUNNING && s->started_ms >= run_at) {
            running = i;
            run_at = s->started_ms;
        }
        if ((s->state == STEP_DONE || s->state == STEP_SKIPPED) && s->ended_ms >= end_at) {
            ended = i;
            end_at = s->ended_ms;
        }
    }
    if (running != (size_t)-1)
        return running;
    if (ended != (size_t)-1 && !runner_finished(p->r)) {
        /* between two steps: the first that waits, if any */
        for (size_t i = 0; i < p->n; i++)
            if (runner_step(p->r, i)->state == STEP_PENDING)
                return i;
    }
    return ended != (size_t)-1 ? ended : 0;
}

/* The step the keys act on: the selected one when it is failed, else the
 * first failed one; (size_t)-1 when none failed. */
static size_t failed_target(const struct progress *p)
{
    size_t sel = p->follow ? progress_active_step(p) : p->sel;
    if (sel < p->n && runner_step(p->r, sel)->state == STEP_FAILED)
        return sel;
    for (size_t i = 0; i < p->n; i++)
        if (runner_step(p->r, i)->state == STEP_FAILED)
            return i;
    return (size_t)-1;
}

/* ---- frames and ticks ---- */

static void frame_fire(struct loop *l, long long id, void *arg)
{
    struct progress *p = arg;
    p->frame_timer = 0;
    p->app->dirty = true;
}

/* Something changed: a frame soon, one for every event until then. */
static void want_frame(struct progress *p)
{
    if (!p->app)
        return;
    if (!p->loop) {
        p->app->dirty = true;
        return;
    }
    if (!p->frame_timer)
        p->frame_timer = loop_add_timer(p->loop, PROGRESS_FRAME_MS, frame_fire, p);
}

static bool any_running(const struct progress *p)
{
    for (size_t i = 0; i < p->n; i++)
        if (runner_step(p->r, i)->state == STEP_RUNNING)
            return true;
    return false;
}

static void tick_fire(struct loop *l, long long id, void *arg);

static void ensure_tick(struct progress *p)
{
    if (p->loop && !p->tick_timer && any_running(p))
        p->tick_timer = loop_add_timer(p->loop, PROGRESS_TICK_MS, tick_fire, p);
}

static void tick_fire(struct loop *l, long long id, void *arg)
{
    struct progress *p = arg;
    p->tick_timer = 0;
    p->app->dirty = true;
    ensure_tick(p);
}

/* ---- the log pane's narrative ---- */

void progress_log_add(struct tui_logview *lv, int role, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *raw = xvasprintf(fmt, ap);
    va_end(ap);
    char *safe = textsafe(raw, 0, 0);
    tui_logview_add(lv, safe, role);
    free(safe);
    free(raw);
}

static void log_transition(struct progress *p, size_t i, const struct runner_step_info *s)
{
    char dur[32];
    switch (s->state) {
    case STEP_PENDING:
        break;
    case STEP_RUNNING:
        if (is_retrying(s)) {
            progress_format_ms(s->retry_at_ms - runner_now_ms(), dur, sizeof(dur));
            progress_log_add(&p->log, TUI_WARN, "...  %s: %s; attempt %d of %d in %s", s->id,
                             s->message ? s->message : "failed", s->attempt + 1, s->max_attempts,
                             dur);
        } else if (s->attempt > 1) {
            progress_log_add(&p->log, TUI_HEADING, "==>  %s: %s (attempt %d of %d)", s->id,
                             s->title, s->attempt, s->max_attempts);
        } else {
            progress_log_add(&p->log, TUI_HEADING, "==>  %s: %s", s->id, s->title);
        }
        break;
    case STEP_DONE:
        if (s->resumed) {
            progress_log_add(&p->log, TUI_OK, "ok   %s: unchanged since the last run", s->id);
            break;
        }
        progress_format_ms(s->ended_ms - s->started_ms, dur, sizeof(dur));
        progress_log_add(&p->log, TUI_OK, "ok   %s: %s (%s)", s->id,
                         s->message ? s->message : s->title, dur);
        break;
    case STEP_FAILED:
        if (p->seen[i].stopped) {
            progress_log_add(&p->log, TUI_WARN, "stop %s: %s", s->id,
                             s->message ? s->message : "stopped");
            break;
        }
        progress_log_add(&p->log, TUI_ERROR, "FAIL %s: %s", s->id,
                         s->message ? s->message : "failed");
        if (s->hint)
            progress_log_add(&p->log, TUI_ERROR, "     try: %s", s->hint);
        break;
    case STEP_SKIPPED:
        progress_log_add(&p->log, TUI_DIM, "skip %s: %s", s->id,
                         s->message ? s->message : "skipped");
        break;
    }
}

/* ---- the error box ---- */

static const struct tui_hint box_keys_skip[] = {{"r", "retry", NULL},
                                                {"s", "skip", NULL},
                                                {"l", "full log", NULL},
                                                {"a", "abort", NULL},
                                                {"Esc", "close", NULL}};
static const struct tui_hint box_keys[] = {
    {"r", "retry", NULL}, {"l", "full log", NULL}, {"a", "abort", NULL}, {"Esc", "close", NULL}};

static void box_open(struct progress *p, size_t i)
{
    const struct runner_step_info *s = runner_step(p->r, i);
    char *title = s->attempt > 1 ? xasprintf("%s failed (attempt %d of %d)", s->title, s->attempt,
                                             s->max_attempts)
                                 : xasprintf("%s failed", s->title);
    char *t = textsafe(title, 0, 0);
    char *msg = textsafe(s->message ? s->message : "failed", 0, 0);
    char *hint = s->hint ? textsafe(s->hint, 0, 0) : NULL;
    const struct runner_detail *d = runner_step_detail(p->r, i);
    const char *const *raw;
    size_t n;
    char *ltitle;
    if (d && d->ntail) {
        raw = d->tail;
        n = d->ntail;
        ltitle = textsafe(d->tail_title ? d->tail_title : "Log", 0, 0);
    } else {
        n = runner_step_lines(p->r, i, &raw);
        ltitle = xstrdup("Last output");
    }
    size_t from = n > BOX_LINES ? n - BOX_LINES : 0;
    char **lines = xcalloc(n - from + 1, sizeof(char *));
    for (size_t k = from; k < n; k++)
        lines[k - from] = textsafe(raw[k], 0, 0);
    tui_errorbox_set(&p->box, t, msg, hint, ltitle, (const char *const *)lines, n - from);
    bool skip = plan_step_is_skippable(plan_step_at(runner_plan(p->r), i));
    if (skip)
        tui_errorbox_set_keys(&p->box, box_keys_skip, ARRAY_LEN(box_keys_skip));
    else
        tui_errorbox_set_keys(&p->box, box_keys, ARRAY_LEN(box_keys));
    for (size_t k = 0; k < n - from; k++)
        free(lines[k]);
    free(lines);
    free(ltitle);
    free(hint);
    free(msg);
    free(t);
    free(title);
    p->box_open = true;
    p->box_step = i;
    p->seen[i].shown_failure = s->attempt;
    p->follow = false;
    p->sel = i;
}

/* Opens the box on the first failure not shown yet, if the box is closed. */
static void box_next_unread(struct progress *p)
{
    if (p->box_open || p->aborting)
        return;
    for (size_t i = 0; i < p->n; i++) {
        const struct runner_step_info *s = runner_step(p->r, i);
        if (s->state == STEP_FAILED && !p->seen[i].stopped &&
            p->seen[i].shown_failure != s->attempt) {
            box_open(p, i);
            return;
        }
    }
}

static void box_close(struct progress *p)
{
    p->box_open = false;
    box_next_unread(p);
}

/* ---- questions, the next screen: pushed from a timer, never from inside
 * a handler of the app ---- */

static int on_question(struct app *a, bool yes, void *arg)
{
    struct progress *p = arg;
    p->question_up = false;
    if (runner_state(p->r) == RUNNER_ASKING)
        runner_answer(p->r, yes);
    return SCREEN_DIRTY;
}

static void push_question(struct progress *p)
{
    bool loses = false;
    size_t step = 0;
    const char *q = runner_question(p->r, &loses, &step);
    if (!q)
        return;
    bool skip = step < p->n && plan_step_is_skippable(plan_step_at(runner_plan(p->r), step));
    char *safe = textsafe(q, TEXTSAFE_KEEP_NL, 0);
    char *text = xasprintf("%s\n\nYes goes on; No %s.", safe,
                           skip ? "skips this step" : "stops here (what finished stays done)");
    free(safe);
    p->question_up = true;
    app_push_now(p->app, dialog_screen_confirm(loses ? "This deletes data" : "Go on?", text,
                                               on_question, p));
    free(text);
}

static void settle_fire(struct loop *l, long long id, void *arg)
{
    struct progress *p = arg;
    p->next_timer = 0;
    enum runner_state st = runner_state(p->r);
    if (st == RUNNER_ASKING && !p->question_up)
        push_question(p);
    if (st == RUNNER_DONE && !p->next_shown) {
        p->next_shown = true;
        /* whatever the next screen does on q, the run succeeded */
        p->app->exit_status = EXIT_SUCCESS;
        struct screen *next = p->o.next ? p->o.next(p->r, p->o.next_arg) : NULL;
        if (!next) /* none asked for, or it could not be made: the summary */
            next = progress_summary_new(p->r, &p->o);
        if (next)
            app_push_now(p->app, next);
    }
    p->app->dirty = true;
}

static void want_settle(struct progress *p)
{
    if (p->loop && !p->next_timer)
        p->next_timer = loop_add_timer(p->loop, 0, settle_fire, p);
}

/* ---- runner events ---- */

static void step_changed(struct progress *p, size_t i)
{
    const struct runner_step_info *s = runner_step(p->r, i);
    struct progress_seen *seen = &p->seen[i];
    bool retrying = is_retrying(s);
    if (s->state != seen->state || s->attempt != seen->attempt || retrying != seen->retrying)
        log_transition(p, i, s);
    seen->state = s->state;
    seen->attempt = s->attempt;
    seen->retrying = retrying;
    if (s->state == STEP_RUNNING)
        ensure_tick(p);
    if (s->state == STEP_FAILED)
        box_next_unread(p);
}

static void run_changed(struct progress *p)
{
    enum runner_state st = runner_state(p->r);
    const char *msg = runner_message(p->r);
    char *safe = textsafe(msg ? msg : "", 0, 0);
    switch (st) {
    case RUNNER_IDLE:
    case RUNNER_RUNNING:
        progress_set_status(p, TUI_NORMAL, NULL);
        break;
    case RUNNER_ASKING:
        want_settle(p);
        break;
    case RUNNER_STUCK:
        box_next_unread(p);
        progress_set_status(p, TUI_ERROR,
                            "A step failed and nothing else can run: r retries it, s skips it "
                            "(where allowed), a stops.");
        break;
    case RUNNER_DONE:
        p->ended_ms = runner_now_ms();
        progress_log_add(&p->log, TUI_OK, "==>  %s: done", p->o.what);
        progress_set_status(p, TUI_OK, "Done.");
        want_settle(p);
        break;
    case RUNNER_FAILED:
    case RUNNER_ABORTED:
        p->ended_ms = runner_now_ms();
        progress_log_add(&p->log, st == RUNNER_FAILED ? TUI_ERROR : TUI_WARN, "==>  %s: %s%s%s",
                         p->o.what, st == RUNNER_FAILED ? "failed" : "stopped", *safe ? ": " : "",
                         safe);
        if (p->o.resume_cmd)
            progress_set_status(p, TUI_WARN, "%s. What finished stays done: %s resumes. q leaves.",
                                st == RUNNER_FAILED ? "Failed" : "Stopped", p->o.resume_cmd);
        else
            progress_set_status(p, TUI_WARN, "%s. q leaves.",
                                st == RUNNER_FAILED ? "Failed" : "Stopped");
        break;
    }
    free(safe);
}

static void on_event(struct runner *r, const struct runner_event *ev, void *arg)
{
    struct progress *p = arg;
    switch (ev->type) {
    case RUNNER_EV_LINE: {
        const char *id = ev->step < p->n ? runner_step(r, ev->step)->id : "run";
        progress_log_add(&p->log, ev->stream == RUNNER_ERR ? TUI_WARN : TUI_NORMAL, "     %s: %s",
                         id, ev->line ? ev->line : "");
        break;
    }
    case RUNNER_EV_STEP:
        if (ev->step < p->n)
            step_changed(p, ev->step);
        break;
    case RUNNER_EV_DETAIL:
        break;
    case RUNNER_EV_STATE:
        run_changed(p);
        break;
    }
    want_frame(p);
}

/* ---- actions ---- */

static void do_retry(struct progress *p)
{
    size_t i = failed_target(p);
    if (i == (size_t)-1) {
        progress_set_status(p, TUI_WARN, "No step has failed: nothing to retry.");
        return;
    }
    struct error err;
    error_clear(&err);
    const char *title = runner_step(p->r, i)->title;
    if (runner_retry(p->r, i, &err) < 0) {
        progress_set_status(p, TUI_WARN, "%s: %s", title, err.msg);
        return;
    }
    p->box_open = false;
    p->follow = true;
    tui_logview_key(&p->log, TUI_KEY_END);
    progress_set_status(p, TUI_NORMAL, "Trying %s again.", runner_step(p->r, i)->title);
}

static void do_skip(struct progress *p)
{
    size_t i = failed_target(p);
    if (i == (size_t)-1)
        i = p->follow ? progress_active_step(p) : p->sel;
    struct error err;
    error_clear(&err);
    char *title = xstrdup(runner_step(p->r, i)->title);
    if (runner_skip(p->r, i, &err) < 0) {
        progress_set_status(p, TUI_WARN, "%s: %s", title, err.msg);
    } else {
        if (p->box_open && p->box_step == i)
            box_close(p);
        p->follow = true;
        progress_set_status(p, TUI_WARN, "Skipped %s.", title);
    }
    free(title);
}

/* Stops the run; the steps running now end "stopped", not failed. */
static void abort_run(struct progress *p)
{
    p->aborting = true;
    p->box_open = false;
    for (size_t i = 0; i < p->n; i++)
        if (runner_step(p->r, i)->state == STEP_RUNNING)
            p->seen[i].stopped = true;
    runner_abort(p->r);
}

static int on_abort_answer(struct app *a, bool yes, void *arg)
{
    struct progress *p = arg;
    p->abort_dialog = NULL;
    if (!yes) {
        progress_set_status(p, TUI_NORMAL, "Going on.");
        return SCREEN_DIRTY;
    }
    abort_run(p);
    if (!runner_finished(p->r))
        progress_set_status(p, TUI_WARN,
                            "Stopping the running steps cleanly; a again stops them at once.");
    return SCREEN_DIRTY;
}

static int ask_abort(struct progress *p, struct app *a)
{
    if (runner_finished(p->r)) {
        progress_set_status(p, TUI_NORMAL, "The run has ended: q leaves.");
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    const char *resume = p->o.resume_cmd ? p->o.resume_cmd : "running it again";
    char *text = xasprintf("Stop the %s?\n"
                           "Running steps are stopped cleanly where they can be.\n"
                           "What finished stays done: %s\n"
                           "resumes at the first step that did not finish.\n"
                           "No goes back to the progress.",
                           p->o.what, resume);
    p->abort_dialog = dialog_screen_confirm("Stop?", text, on_abort_answer, p);
    free(text);
    app_push(a, p->abort_dialog);
    return SCREEN_HANDLED | SCREEN_PUSH | SCREEN_DIRTY;
}

static int quit(struct progress *p, struct app *a)
{
    a->exit_status = runner_state(p->r) == RUNNER_DONE ? EXIT_SUCCESS : EXIT_FAILURE;
    return SCREEN_QUIT;
}

static int open_full_log(struct progress *p, struct app *a)
{
    const char *path = runner_log_path(p->r);
    if (!path) {
        progress_set_status(p, TUI_WARN, "This run keeps no log file.");
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    app_push(a, progress_file_screen_new("Full log", path));
    return SCREEN_HANDLED | SCREEN_PUSH | SCREEN_DIRTY;
}

static const char progress_help[] = "Up, Down          select a step (its detail on the right)\n"
                                    "f                 follow the running step again\n"
                                    "PgUp, PgDn        scroll the log; Home, End: top, end\n"
                                    "Left, Right       scroll the log across\n"
                                    "/, n, N           search the log; next, previous match\n"
                                    "e, Enter          show a failed step's error again\n"
                                    "r                 retry the failed step\n"
                                    "s                 skip the failed step (where allowed)\n"
                                    "a                 stop (asks first; No goes back)\n"
                                    "l                 the full log, with timestamps\n"
                                    "q, Esc            leave once the run ended (else: stop?)";

/* The run's keys, the same with and without the error box: retry, skip,
 * stop and the full log; 0 for another key. */
static int run_key(struct progress *p, struct app *a, int key)
{
    switch (key) {
    case 'r':
        do_retry(p);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case 's':
        do_skip(p);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case 'a':
        return ask_abort(p, a);
    case 'l':
        return open_full_log(p, a);
    }
    return 0;
}

static int box_key(struct progress *p, struct app *a, int key)
{
    int rc = run_key(p, a, key);
    if (rc)
        return rc;
    switch (key) {
    case TUI_KEY_ESC:
    case TUI_KEY_ENTER:
    case 'q':
    case 'e':
        box_close(p);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case '?':
        app_push(a, dialog_screen_message("Keys", progress_help));
        return SCREEN_HANDLED | SCREEN_PUSH | SCREEN_DIRTY;
    }
    tui_errorbox_key(&p->box, key);
    /* Every other key is for the box: it stays until read. */
    return SCREEN_HANDLED | SCREEN_DIRTY;
}

static void select_step(struct progress *p, int dir)
{
    size_t cur = p->follow ? progress_active_step(p) : p->sel;
    p->follow = false;
    if (dir < 0 && cur > 0)
        cur--;
    else if (dir > 0 && cur + 1 < p->n)
        cur++;
    p->sel = cur;
}

static int progress_key(struct screen *s, struct app *a, int key)
{
    struct progress *p = s->data;
    if (p->log.prompting) {
        tui_logview_key(&p->log, key);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    if (p->box_open)
        return box_key(p, a, key);
    int rc = run_key(p, a, key);
    if (rc)
        return rc;
    switch (key) {
    case TUI_KEY_UP:
    case 'k':
        select_step(p, -1);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case TUI_KEY_DOWN:
    case 'j':
        select_step(p, +1);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case 'f':
        p->follow = true;
        tui_logview_key(&p->log, TUI_KEY_END);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case 'e':
    case TUI_KEY_ENTER: {
        size_t i = failed_target(p);
        if (i == (size_t)-1)
            progress_set_status(p, TUI_NORMAL, "No step has failed.");
        else
            box_open(p, i);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    case 'q':
    case TUI_KEY_ESC:
        if (runner_finished(p->r))
            return quit(p, a);
        return ask_abort(p, a);
    case '?':
        app_push(a, dialog_screen_message("Keys", progress_help));
        return SCREEN_HANDLED | SCREEN_PUSH | SCREEN_DIRTY;
    }
    if (tui_logview_key(&p->log, key))
        return SCREEN_HANDLED | SCREEN_DIRTY;
    return SCREEN_IGNORED;
}

/* Ctrl-C: the same question as a; again while it is up, stop cleanly;
 * once more, at once. After the end, it leaves. */
static int progress_interrupt(struct screen *s, struct app *a)
{
    struct progress *p = s->data;
    if (runner_finished(p->r))
        return quit(p, a);
    if (!p->abort_dialog)
        return ask_abort(p, a);
    int flags = SCREEN_HANDLED | SCREEN_DIRTY;
    if (app_top(a) == p->abort_dialog)
        flags |= SCREEN_POP;
    p->abort_dialog = NULL;
    abort_run(p);
    if (!runner_finished(p->r))
        progress_set_status(p, TUI_WARN,
                            "Stopping the running steps cleanly; Ctrl-C again stops them at once.");
    return flags;
}

static int progress_resize(struct screen *s, struct app *a, int cols, int rows)
{
    struct progress *p = s->data;
    p->cols = cols;
    p->rows = rows;
    return SCREEN_DIRTY;
}

static int progress_enter(struct screen *s, struct app *a)
{
    struct progress *p = s->data;
    p->app = a;
    p->self = s;
    p->started_ms = runner_now_ms();
    runner_start(p->r);
    ensure_tick(p);
    return SCREEN_DIRTY;
}

static void progress_leave(struct screen *s, struct app *a)
{
    struct progress *p = s->data;
    if (p->loop) {
        loop_cancel_timer(p->loop, p->frame_timer);
        loop_cancel_timer(p->loop, p->tick_timer);
        loop_cancel_timer(p->loop, p->next_timer);
    }
    p->frame_timer = p->tick_timer = p->next_timer = 0;
    p->app = NULL;
}

static void progress_free(struct screen *s)
{
    struct progress *p = s->data;
    if (p->loop) {
        loop_cancel_timer(p->loop, p->frame_timer);
        loop_cancel_timer(p->loop, p->tick_timer);
        loop_cancel_timer(p->loop, p->next_timer);
    }
    runner_free(p->r);
    tui_logview_done(&p->log);
    tui_errorbox_done(&p->box);
    free(p->seen);
    free(p->status);
    if (p->o.release)
        p->o.release(p->o.release_arg);
    free(p);
    free(s);
}

static const struct screen_ops progress_ops = {
    .name = "progress",
    .enter = progress_enter,
    .leave = progress_leave,
    .on_key = progress_key,
    .on_interrupt = progress_interrupt,
    .resize = progress_resize,
    .draw = progress_draw,
    .free = progress_free,
};

struct screen *progress_screen_new(struct plan *plan, const struct runner_opts *ro,
                                   const struct progress_opts *po)
{
    struct progress *p = xcalloc(1, sizeof(*p));
    p->o = *po;
    if (!p->o.what)
        p->o.what = plan_what(plan);
    struct runner_opts o = *ro;
    o.on_event = on_event;
    o.arg = p;
    p->loop = ro->ctx ? ro->ctx->loop : NULL;
    p->r = runner_new(plan, &o);
    p->n = runner_step_count(p->r);
    p->seen = xcalloc(p->n ? p->n : 1, sizeof(*p->seen));
    for (size_t i = 0; i < p->n; i++)
        p->seen[i].state = STEP_PENDING;
    p->follow = true;
    tui_logview_init(&p->log, 5000, 0);
    tui_errorbox_init(&p->box);
    return screen_new(&progress_ops, p, false);
}

struct runner *progress_screen_runner(struct screen *s)
{
    return ((struct progress *)s->data)->r;
}
