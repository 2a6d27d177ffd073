/* core/runner.h: runs a plan (core/plan.h) on the loop, and tells a screen
 * or a line printer what happens.
 *
 * Steps start as soon as their dependencies are done (independent steps in
 * parallel), each attempt journaled (core/journal: started with its inputs
 * hash, finished with its outputs, failed with its message), retried with
 * backoff where the plan allows it. A run over a journal that already holds
 * finished steps with the same inputs takes them as done ("unchanged since
 * the last run") and resumes at the first that did not finish.
 *
 * Three audiences, three parts of this header:
 *  - the screen (screens/progress.c) and `--no-tui`: events, the state of
 *    each step and its detail, and the actions retry, skip, abort, answer;
 *  - the command that owns the run: runner_new/start/free;
 *  - step implementations (core/steps_*.c): the step_run_* calls.
 *
 * Everything a step reports passes the log's redaction of registered
 * secrets before it is stored, journaled, logged or handed to a screen; a
 * screen still passes it through core/textsafe before drawing (it is the
 * program's bytes). Times are wall-clock milliseconds (Unix epoch). */
#ifndef CORE_RUNNER_H
#define CORE_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/plan.h"

struct error;
struct journal;
struct kube_client;
struct loop;
struct runner;
struct step_run;

/* ================= the screen's side ================= */

enum step_state {
    STEP_PENDING, /* waiting for its dependencies (or for a confirmation) */
    STEP_RUNNING, /* an attempt runs, or waits for its retry (retry_at) */
    STEP_DONE,    /* finished now, or before with the same inputs (resumed) */
    STEP_FAILED,  /* gave up: message, hint, the last output lines */
    STEP_SKIPPED, /* by the plan (reason), or by a person after a failure */
};

enum runner_state {
    RUNNER_IDLE,    /* not started */
    RUNNER_RUNNING, /* steps run or wait */
    RUNNER_ASKING,  /* a question waits for runner_answer (runner_question) */
    RUNNER_STUCK,   /* a step failed and nothing else can run: retry, skip or abort */
    RUNNER_DONE,    /* every step done or skipped */
    RUNNER_FAILED,  /* ended with a failed step (stop_on_failure) */
    RUNNER_ABORTED, /* runner_abort, or a question answered no */
};

/* One step as the screen shows it. Owned by the runner; the pointer stays
 * valid for the runner's life, the strings until the next event. */
struct runner_step_info {
    const char *id;
    const char *title;
    enum step_state state;
    long long started_ms;  /* the current or last attempt; 0: never */
    long long ended_ms;    /* 0 while running */
    int attempt;           /* 1, 2 ...; 0 before the first */
    int max_attempts;      /* 1 unless retriable */
    long long retry_at_ms; /* > 0: failed, the next attempt starts then */
    bool resumed;          /* done because the journal says so */
    bool skippable;
    const char *status;  /* one line of progress while running ("2/3 pods ready"), or NULL */
    const char *message; /* failed: what failed; skipped: why; done: a summary; or NULL */
    const char *hint;    /* failed: what to try; or NULL */
};

enum runner_row_state { ROW_WAITING, ROW_WORKING, ROW_DONE, ROW_FAILED };

/* A row of a step's detail: a Terraform resource, an object Helm waits
 * for, a component's rollout, a database. */
struct runner_row {
    const char *key;    /* stable identity: "aws_vpc.main", "deployment/dify-api" */
    const char *label;  /* the first column */
    const char *status; /* "creating", "2 of 3 updated", "Complete" */
    enum runner_row_state state;
    long long started_ms, ended_ms; /* for an elapsed column; 0: none */
    long current, total;            /* a bar when total > 0 */
};

/* A step's detail: rows in the order they first came, and a log tail (the
 * migration Job's last lines). */
struct runner_detail {
    const char *title; /* "Resources", "Rollouts", ... or NULL */
    const struct runner_row *rows;
    size_t nrows;
    const char *tail_title; /* "Log of pod dify-db-migrate-...-x7k2p", or NULL */
    const char *const *tail;
    size_t ntail;
};

enum runner_stream {
    RUNNER_OUT,  /* a tool's stdout */
    RUNNER_ERR,  /* a tool's stderr */
    RUNNER_INFO, /* the step's own words (step_run_say) */
};

enum runner_event_type {
    RUNNER_EV_STEP,   /* step's state, status, message or attempt changed */
    RUNNER_EV_LINE,   /* an output line of step (stream, line) */
    RUNNER_EV_DETAIL, /* step's detail rows or tail changed */
    RUNNER_EV_STATE,  /* the run's state changed (asking, stuck, done ...) */
};

struct runner_event {
    enum runner_event_type type;
    size_t step; /* index into the plan; (size_t)-1 for the run */
    enum runner_stream stream;
    const char *line; /* RUNNER_EV_LINE, redacted; valid during the call */
};

typedef void (*runner_event_cb)(struct runner *r, const struct runner_event *ev, void *arg);

enum runner_state runner_state(const struct runner *r);
/* Why it ended or what it waits for ("dify-api did not become ready ..."), or NULL. */
const char *runner_message(const struct runner *r);
size_t runner_step_count(const struct runner *r);
const struct runner_step_info *runner_step(const struct runner *r, size_t i);
const struct runner_detail *runner_step_detail(const struct runner *r, size_t i);
/* The step's last output lines (about 200), oldest first. */
size_t runner_step_lines(const struct runner *r, size_t i, const char *const **lines);
/* RUNNER_ASKING: the question, whether it is about losing data, and the
 * step that asks. */
const char *runner_question(const struct runner *r, bool *loses_data, size_t *step);
const char *runner_log_path(const struct runner *r); /* the full log, or NULL */
/* The wall clock (ms) the step and row times are stamped with; a screen
 * measures elapsed time against it. runner_set_clock gives a fixed one
 * (screen tests compare with golden text); NULL puts the real one back. */
long long runner_now_ms(void);
void runner_set_clock(long long (*clock)(void));
const struct plan *runner_plan(const struct runner *r);

/* Actions. Each returns -1 with a message when it does not apply (not
 * failed, not skippable ...). */
int runner_retry(struct runner *r, size_t step, struct error *err); /* a failed step */
int runner_skip(struct runner *r, size_t step, struct error *err);  /* a failed, skippable step */
/* Stops the run: running steps are interrupted (cleanly where they can,
 * else cancelled), the journal says so, state becomes RUNNER_ABORTED once
 * they ended. A second abort cancels at once. */
void runner_abort(struct runner *r);
void runner_answer(struct runner *r, bool yes);

/* ================= the owner's side ================= */

struct runner_opts {
    const struct plan_ctx *ctx;
    struct journal *journal; /* open, locked; borrowed */
    const char *log_path;    /* shown to the person; may be NULL */
    bool assume_yes;         /* --yes: answer the questions that lose no data */
    bool assume_yes_data;    /* also those that delete data */
    bool stop_on_failure;    /* unattended: a failed step ends the run */
    int max_parallel;        /* 0: 4 */
    bool redo;               /* run every step, whatever the journal says (install --redo) */
    runner_event_cb on_event;
    void *arg;
};

/* Takes the plan. */
struct runner *runner_new(struct plan *plan, const struct runner_opts *o);
/* Reads the journal (resume), journals the run, starts what can start.
 * Only the records since the last run of another kind count: after an
 * uninstall, an install starts from the beginning. */
void runner_start(struct runner *r);
/* Cancels whatever runs (no events) and frees. */
void runner_free(struct runner *r);
bool runner_finished(const struct runner *r); /* DONE, FAILED or ABORTED */

/* ================= the steps' side ================= */

struct loop *step_run_loop(struct step_run *sr);
const struct plan_ctx *step_run_ctx(struct step_run *sr);
int step_run_attempt(const struct step_run *sr); /* 1 for the first */
size_t step_run_index(const struct step_run *sr);
/* The Kubernetes client, made on first use from the context's kubeconfig
 * (or a "kubeconfig" step's output "path" when one ran, as on EKS). */
struct kube_client *step_run_kube(struct step_run *sr, struct error *err);

/* A tool's output line (stored, logged, handed to the screen). */
void step_run_line(struct step_run *sr, enum runner_stream s, const char *line, size_t len);
/* The step's own words: a line in the log pane and the log. */
void step_run_say(struct step_run *sr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The one-line status shown beside the running step (NULL clears). */
void step_run_status(struct step_run *sr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Detail: set or update the row with key (added at the end when new). */
void step_run_detail_title(struct step_run *sr, const char *title);
void step_run_row(struct step_run *sr, const char *key, const char *label, enum runner_row_state st,
                  const char *status, long current, long total);
void step_run_row_clear(struct step_run *sr); /* all rows */
/* Replaces the log tail (NULL title and n 0 clear it). */
void step_run_tail(struct step_run *sr, const char *title, const char *const *lines, size_t n);

/* An output of this step, journaled with "finished" and readable by later
 * runs (never a secret). */
void step_run_output(struct step_run *sr, const char *key, const char *value);
/* An output of an earlier step (this run or, for a step done before, from
 * the journal), or NULL. */
const char *step_run_input(struct step_run *sr, const char *step_id, const char *key);

/* A question in the middle of a step (Terraform's plan summary). cb gets
 * the answer on a later loop turn; --yes answers at once. */
typedef void (*step_answer_cb)(struct step_run *sr, bool yes, void *arg);
void step_run_ask(struct step_run *sr, const char *question, bool loses_data, step_answer_cb cb,
                  void *arg);

/* Before step_run_done: what a person should try (shown with the failure). */
void step_run_hint(struct step_run *sr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Before step_run_done(NULL): a one-line summary ("exists: nothing to do"). */
void step_run_summary(struct step_run *sr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* This failure will not change by retrying (bad input, refused login). */
void step_run_permanent(struct step_run *sr);
/* Ends the attempt: err NULL for success. After this, sr must not be used. */
void step_run_done(struct step_run *sr, const struct error *err);

#endif
