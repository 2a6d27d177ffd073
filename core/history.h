/* core/history.h: the revisions an install's journal knows. Every run of
 * install or upgrade ends its plan with the "revision" step, which records
 * what is now deployed as its outputs (the app's image tag, the plugin
 * daemon's tag, the method, the chart and its version, Helm's revision
 * number); the runner journals them with the step's "finished" record.
 * history_load reads the journal without taking its lock (a run may be
 * under way) and gives one entry per run: when, what, how it ended, and
 * the revision it recorded if it got that far. `dify-tui history` prints
 * them; `dify-tui upgrade` finds the revision to go back to in them. */
#ifndef CORE_HISTORY_H
#define CORE_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/plan.h"

struct error;

struct history_run {
    long long started, ended; /* Unix seconds; ended 0: no end record (killed, running) */
    char *what;               /* "install", "upgrade", "uninstall" */
    char *result;             /* "done", "failed", "aborted", or NULL */
    char *message;
    bool has_revision;
    char *image_tag, *daemon_tag, *method, *chart, *chart_version, *helm_revision;
    /* An upgrade's "upgrade-target" step: the tags it went from and to
     * (known even when it failed before recording a revision). */
    char *from_tag, *target_tag;
};

struct history {
    struct history_run *v;
    size_t n;
    size_t torn; /* lines that did not parse (a torn last line) */
};

/* Reads STATE_DIR/journal.jsonl; a missing journal is an empty history. */
int history_load(const char *state_dir, struct history *h, struct error *err);
void history_done(struct history *h);
/* The newest run that recorded a revision and ended done, before index
 * before (h->n for any); NULL when none. */
const struct history_run *history_last_good(const struct history *h, size_t before);

/* How run i ended, as a person says it: "installed", "upgraded",
 * "rolled back" (an upgrade a rollback run undid), "restored" (that
 * rollback), "removed" (uninstall), "failed", "stopped", "unfinished". */
const char *history_outcome(const struct history *h, size_t i);

/* The plan's last step: "revision" (STAGE_CHECK, always runs). */
int steps_revision_add(struct plan *p, const struct plan_ctx *ctx, struct error *err);

#endif
