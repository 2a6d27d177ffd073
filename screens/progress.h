/* screens/progress.h: the progress pane: a plan run by the runner behind a
 * screen. It shows every step with its state (pending, running with its
 * elapsed time, done, failed, skipped), the selected step's detail (the
 * Terraform resources, the objects Helm waits for, the rollout bars, the
 * migration Job's log tail), a log pane that scrolls and searches, and an
 * error box that stays up until it is read. Keys retry a failed step, skip
 * one that allows it, abort (after asking: No goes back) and open the full
 * log. On success it shows what comes next: the dashboard, or the summary
 * of what was installed and where.
 *
 * Every string from a tool or the cluster passes core/textsafe before it
 * is drawn. Runner events only mark the screen for a frame a little later,
 * so a burst of output is one frame; elapsed times tick once a second while
 * a step runs. Nothing here blocks the loop. */
#ifndef SCREENS_PROGRESS_H
#define SCREENS_PROGRESS_H

#include <stdbool.h>

#include "core/plan.h"
#include "core/runner.h"
#include "screens/screen.h"

struct app;
struct error;

struct progress_opts {
    const char *what;       /* "install", "uninstall": the title's verb */
    const char *subject;    /* one line of what and where ("dify in namespace dify ..."), or NULL */
    const char *resume_cmd; /* the command that resumes after a stop, or NULL */
    /* For the summary: the profile and the paths (borrowed; lives as long
     * as the screen). May be NULL. */
    const struct plan_ctx *ctx;
    /* What follows success, pushed over the progress screen (the
     * dashboard). NULL, or when it returns NULL: the summary screen, whose
     * Esc comes back to the steps. */
    struct screen *(*next)(struct runner *r, void *arg);
    void *next_arg;
    /* Called once the screen and its runner are freed: the owner's
     * journal, profile and context go there. */
    void (*release)(void *arg);
    void *release_arg;
};

/* Takes the plan. ro is copied; its on_event and arg are the screen's.
 * The runner starts when the screen is entered (on the app's loop, which
 * must be ro->ctx->loop). */
struct screen *progress_screen_new(struct plan *plan, const struct runner_opts *ro,
                                   const struct progress_opts *po);
/* The screen's runner, for the command that reports how it ended. */
struct runner *progress_screen_runner(struct screen *s);

/* The summary of a finished run: what was installed and where, each step's
 * outcome, the files, and what to run next. Esc goes back. */
struct screen *progress_summary_new(struct runner *r, const struct progress_opts *po);

/* ---- starting an install behind the pane (screens/progress_launch.c) ---- */

struct install_opts;
struct loop;

/* The pane for an install (or uninstall) from o->answers on loop: the
 * answers and secrets loaded and checked, the state directory's journal
 * taken, the files rendered, the plan built; the pane owns it all. NULL
 * with err when any of that fails (nothing printed). next: as in
 * progress_opts; NULL: the dashboard on the installed namespace after an
 * install (the summary after an uninstall, or when the dashboard cannot
 * open). */
struct screen *progress_launch(const struct install_opts *o, struct loop *loop,
                               struct screen *(*next)(struct runner *r, void *arg), void *next_arg,
                               struct error *err);
/* `install` on a terminal: the pane in an app of its own, then a line
 * saying how it ended. The exit status, or -1 when the terminal cannot
 * show the screens (the caller prints lines instead). */
int progress_run_app(const struct install_opts *o);

/* A file's last bytes (the full log) in a log pane that searches; Esc back,
 * R reads it again. */
struct screen *progress_file_screen_new(const char *title, const char *path);

#endif
