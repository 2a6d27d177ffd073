/* screens/progress_impl.h: what the progress pane's files share (not for
 * other screens):
 *   progress.c          the screen: runner events, frames and ticks, keys
 *   progress_draw.c     drawing: title, steps, detail, log pane, error box
 *   progress_summary.c  the summary after success
 *   progress_file.c     the full log in a pane of its own */
#ifndef SCREENS_PROGRESS_IMPL_H
#define SCREENS_PROGRESS_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/runner.h"
#include "screens/progress.h"
#include "tui/errorbox.h"
#include "tui/logview.h"

/* A frame comes this long after the first event that needs one: every
 * event in between is drawn with it. */
#define PROGRESS_FRAME_MS 40
/* Elapsed times are redrawn this often while a step runs. */
#define PROGRESS_TICK_MS 1000

/* What the screen last saw of a step, to tell what changed. */
struct progress_seen {
    enum step_state state;
    int attempt;
    bool retrying;     /* failed, waiting for an automatic retry */
    int shown_failure; /* the attempt whose failure the error box showed */
    bool stopped;      /* running when the person stopped the run: its end is no failure */
};

struct progress {
    struct runner *r;
    struct loop *loop;
    struct progress_opts o;
    struct app *app;
    struct screen *self;
    size_t n;
    struct progress_seen *seen;
    struct tui_logview log;
    /* the selected step; follow: the active step is selected */
    size_t sel;
    bool follow;
    /* the error box: open on box_step while box_open */
    struct tui_errorbox box;
    bool box_open;
    size_t box_step;
    /* the status line */
    char *status;
    int status_role;
    /* frames and ticks */
    long long frame_timer, tick_timer, next_timer;
    bool question_up;            /* a dialog with the runner's question is pushed */
    struct screen *abort_dialog; /* the "stop?" dialog while it is up */
    bool next_shown;             /* the screen after success was pushed */
    bool aborting;               /* stopped by the person: interrupted steps are no news */
    long long started_ms, ended_ms;
    int cols, rows;
};

/* progress.c */
/* Adds a line to a log pane; fmt's arguments may come from a tool or the
 * cluster, so the whole line passes textsafe. */
void progress_log_add(struct tui_logview *lv, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void progress_set_status(struct progress *p, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The step the screen follows: the failed one, else the running one started
 * last, else the last that ended, else the first. */
size_t progress_active_step(const struct progress *p);
/* "1.2s", "42s", "3m05s", "1h02m". */
void progress_format_ms(long long ms, char *buf, size_t n);

/* progress_draw.c */
void progress_draw(struct screen *s, WINDOW *w);

#endif
