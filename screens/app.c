/* screens/app.c: the screen stack and the loop hooks. Every change to the
 * stack goes through apply_flags(), so enter/leave run exactly once each. */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"
#include "screens/app.h"
#include "screens/frame_log.h"
#include "tui/keys.h"
#include "tui/term.h"

struct screen *screen_new(const struct screen_ops *ops, void *data, bool overlay)
{
    struct screen *s = xcalloc(1, sizeof(*s));
    s->ops = ops;
    s->data = data;
    s->overlay = overlay;
    return s;
}

struct screen *app_top(struct app *a)
{
    return a->depth > 0 ? a->stack[a->depth - 1] : NULL;
}

static void app_pop(struct app *a)
{
    struct screen *s = app_top(a);
    if (!s)
        return;
    a->depth--;
    if (s->ops->leave)
        s->ops->leave(s, a);
    if (s->ops->free)
        s->ops->free(s);
    else
        free(s);
    a->dirty = true;
}

static void apply_flags(struct app *a, int flags);

void app_push_now(struct app *a, struct screen *s)
{
    if (a->depth == APP_MAX_SCREENS) {
        log_error("screen stack full; %s not shown", s->ops->name);
        if (s->ops->free)
            s->ops->free(s);
        return;
    }
    a->stack[a->depth++] = s;
    a->dirty = true;
    if (!s->entered) {
        s->entered = true;
        if (s->ops->enter)
            apply_flags(a, s->ops->enter(s, a));
    }
    if (s->ops->resize) {
        int cols, rows;
        tui_term_size(&cols, &rows);
        s->ops->resize(s, a, cols, rows);
    }
}

void app_push(struct app *a, struct screen *s)
{
    if (a->pending) {
        if (a->pending->ops->free)
            a->pending->ops->free(a->pending);
    }
    a->pending = s;
}

static void apply_flags(struct app *a, int flags)
{
    if (flags & SCREEN_DIRTY)
        a->dirty = true;
    if (flags & SCREEN_POP)
        app_pop(a);
    if ((flags & SCREEN_PUSH) && a->pending) {
        struct screen *s = a->pending;
        a->pending = NULL;
        app_push_now(a, s);
    }
    if ((flags & SCREEN_QUIT) || a->depth == 0) {
        if (a->loop)
            loop_stop(a->loop);
    }
}

void app_key(struct app *a, int key)
{
    if (key == TUI_KEY_RESIZE) {
        app_resized(a);
        return;
    }
    /* Below the minimum size nothing is laid out, so keys would act blind. */
    if (tui_term_too_small())
        return;
    struct screen *s = app_top(a);
    if (s && s->ops->on_key)
        apply_flags(a, s->ops->on_key(s, a, key));
}

bool app_interrupt(struct app *a)
{
    for (int i = a->depth - 1; i >= 0; i--) {
        struct screen *s = a->stack[i];
        if (s->ops->on_interrupt) {
            apply_flags(a, s->ops->on_interrupt(s, a));
            return true;
        }
    }
    return false;
}

void app_resized(struct app *a)
{
    int cols, rows;
    tui_term_size(&cols, &rows);
    for (int i = 0; i < a->depth; i++) {
        struct screen *s = a->stack[i];
        if (s->ops->resize)
            s->ops->resize(s, a, cols, rows);
    }
    a->dirty = true;
}

void app_render(struct app *a)
{
    werase(stdscr);
    if (tui_term_too_small()) {
        tui_term_draw_too_small(stdscr);
        return;
    }
    /* From the topmost screen that covers everything up to the top. */
    int from = a->depth - 1;
    while (from > 0 && a->stack[from]->overlay)
        from--;
    for (int i = from < 0 ? 0 : from; i < a->depth; i++)
        a->stack[i]->ops->draw(a->stack[i], stdscr);
}

void app_draw(struct app *a)
{
    if (!a->dirty)
        return;
    a->dirty = false;
    app_render(a);
    tui_term_flush(stdscr);
    frame_log(stdscr); /* DIFY_TUI_FRAME_LOG: a bench's hook, off unless set */
}

/* True when the terminal hung up (the window was closed, ssh dropped). */
static bool tty_gone(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static void on_tty(struct loop *l, int fd, int events, void *arg)
{
    struct app *a = arg;
    int key, n = 0;
    while (!loop_stopped(l) && (key = tui_key_read(stdscr)) != TUI_KEY_NONE) {
        app_key(a, key);
        n++;
    }
    /* Readable with nothing to read and a hang-up: stop instead of spinning. */
    if (n == 0 && !loop_stopped(l) && tty_gone(fd)) {
        log_warn("the terminal went away: leaving");
        a->exit_status = 128 + SIGHUP;
        loop_stop(l);
    }
}

static void on_winch(struct loop *l, int signo, void *arg)
{
    struct app *a = arg;
    tui_term_resize();
    app_resized(a);
}

static void on_stop_signal(struct loop *l, int signo, void *arg)
{
    struct app *a = arg;
    if (signo == SIGINT && app_interrupt(a))
        return;
    /* The terminal is restored by app_done once the loop returns. */
    log_info("signal %d: leaving", signo);
    a->exit_status = 128 + signo;
    loop_stop(l);
}

static void before_sleep(struct loop *l, void *arg)
{
    app_draw(arg);
}

/* Signals whose default action would end the process with the terminal in
 * raw mode: they stop the loop instead, and app_done restores the terminal
 * (Ctrl-C, Ctrl-\, a closed window, kill, kill -USR1). The fatal ones that
 * cannot wait for the loop (SIGSEGV, SIGABRT, ...) restore it in tui/term.c. */
static const int app_stop_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

int app_init(struct app *a, struct error *err)
{
    return app_init_on(a, NULL, err);
}

int app_init_on(struct app *a, struct loop *loop, struct error *err)
{
    *a = (struct app){0};
    struct tui_error te;
    int rc = tui_term_init(true, &te);
    if (rc < 0)
        return error_set(err, rc == TUI_TERM_UNUSABLE ? ERR_INVALID : ERR_IO, 0, "%s", te.msg);
    /* A write to a closed pipe or socket (a subprocess that exited, a dropped
     * connection) fails with EPIPE where it is made, instead of killing the
     * program with the terminal raw. */
    signal(SIGPIPE, SIG_IGN);
    a->loop = loop ? loop : loop_new();
    a->loop_lent = loop != NULL;
    loop_add_fd(a->loop, tui_term_fd(), LOOP_READ, on_tty, a);
    /* Our handlers replace ncurses' own: resizes and stops come through the loop. */
    loop_watch_signal(a->loop, SIGWINCH, on_winch, a);
    for (size_t i = 0; i < ARRAY_LEN(app_stop_signals); i++)
        loop_watch_signal(a->loop, app_stop_signals[i], on_stop_signal, a);
    loop_set_before_sleep(a->loop, before_sleep, a);
    a->dirty = true;
    return 0;
}

int app_init_headless(struct app *a, int cols, int rows, struct error *err)
{
    *a = (struct app){0};
    a->headless = true;
    struct tui_error te;
    if (tui_term_init_virtual(cols, rows, &te) < 0)
        return error_set(err, ERR_INVALID, 0, "%s", te.msg);
    return 0;
}

int app_run(struct app *a)
{
    /* Pick up a size change that happened before the handler was installed. */
    tui_term_resize();
    app_resized(a);
    if (a->depth > 0)
        loop_run(a->loop);
    return a->exit_status;
}

void app_done(struct app *a)
{
    while (a->depth > 0)
        app_pop(a);
    if (a->pending) {
        if (a->pending->ops->free)
            a->pending->ops->free(a->pending);
        a->pending = NULL;
    }
    /* The terminal first: freeing the loop puts the default actions back, and
     * a signal in between must not find the terminal raw. */
    tui_term_done();
    if (a->loop) {
        loop_del_fd(a->loop, tui_term_fd());
        if (a->loop_lent) {
            loop_set_before_sleep(a->loop, NULL, NULL);
            loop_watch_signal(a->loop, SIGWINCH, NULL, NULL);
            signal(SIGWINCH, SIG_DFL);
            for (size_t i = 0; i < ARRAY_LEN(app_stop_signals); i++) {
                loop_watch_signal(a->loop, app_stop_signals[i], NULL, NULL);
                signal(app_stop_signals[i], SIG_DFL);
            }
        } else {
            loop_free(a->loop);
        }
        a->loop = NULL;
    }
}
