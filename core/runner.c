/* core/runner.c: runs a plan's steps on the loop (see runner.h): the
 * scheduler, attempts and retries with backoff, questions, abort, the
 * journal's records and the resume from them, and what each step reports. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "core/error.h"
#include "core/journal.h"
#include "core/kube_client.h"
#include "core/kubeconfig.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/runner.h"
#include "core/util.h"

#define RUNNER_LINES 200          /* output lines kept per step */
#define RUNNER_MAX_WAIT 60000     /* the longest wait between two attempts */
#define RUNNER_INTERRUPT_MS 15000 /* an interrupted step gets this long, then is cancelled */

struct kv {
    char *key, *value;
};

struct row {
    char *key, *label, *status;
    enum runner_row_state state;
    long long started_ms, ended_ms;
    long current, total;
};

struct rstep {
    struct runner *owner;
    size_t idx;
    struct plan_step *ps;
    struct runner_step_info info;
    char *status, *message, *hint, *summary; /* the owned strings info points at */
    bool permanent;
    /* detail */
    char *detail_title;
    struct row *rows;
    size_t nrows;
    struct runner_row *pub_rows;
    char *tail_title;
    char **tail;
    size_t ntail;
    struct runner_detail detail;
    /* output lines, a ring */
    char *lines[RUNNER_LINES];
    size_t nlines, line_next;
    const char *lines_view[RUNNER_LINES];
    /* outputs: of this run, or read from the journal */
    struct kv *outs;
    size_t nouts;
    struct step_run *cur;
    long long retry_timer, timeout_timer, interrupt_timer;
    bool confirmed;
    bool interrupted;
};

struct step_run {
    struct runner *r;
    size_t idx;
    int attempt;
};

enum ask_kind { ASK_NONE, ASK_STEP_START, ASK_IN_STEP };

struct runner {
    struct loop *loop;
    struct plan *plan;
    struct runner_opts o;
    struct rstep *steps;
    size_t n;
    enum runner_state state;
    char *message;
    long long sched_timer;
    bool started, aborting, journal_broken;
    int aborts;
    /* a question */
    enum ask_kind ask;
    size_t ask_step;
    char *ask_text;
    bool ask_loses_data;
    step_answer_cb ask_cb;
    void *ask_arg;
    struct step_run *ask_sr;
    long long ask_timer;
    bool ask_answer;
    /* the Kubernetes client, made on first use */
    struct kube_client *kube;
};

static long long (*runner_clock)(void);

void runner_set_clock(long long (*clock)(void))
{
    runner_clock = clock;
}

long long runner_now_ms(void)
{
    struct timeval tv;
    if (runner_clock)
        return runner_clock();
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static long long wall_ms(void)
{
    return runner_now_ms();
}

static void emit(struct runner *r, enum runner_event_type t, size_t step, enum runner_stream s,
                 const char *line)
{
    if (!r->o.on_event)
        return;
    struct runner_event ev = {t, step, s, line};
    r->o.on_event(r, &ev, r->o.arg);
}

static void emit_step(struct runner *r, size_t i)
{
    emit(r, RUNNER_EV_STEP, i, RUNNER_INFO, NULL);
}

static void set_state(struct runner *r, enum runner_state st, const char *msg)
{
    if (msg)
        str_replace(&r->message, msg);
    if (r->state == st && !msg)
        return;
    r->state = st;
    emit(r, RUNNER_EV_STATE, (size_t)-1, RUNNER_INFO, NULL);
}

/* Replaces an owned string of a step with a redacted copy. */
static void set_text(char **slot, const char **view, const char *s)
{
    free(*slot);
    *slot = s ? log_redact(s) : NULL;
    if (view)
        *view = *slot;
}

/* ---- the journal ---- */

static void journal_write(struct runner *r, const char *event, const char *step,
                          const char *const *kv)
{
    if (!r->o.journal || r->journal_broken)
        return;
    struct error err;
    error_clear(&err);
    if (journal_append(r->o.journal, event, step ? step : "", kv, &err) < 0) {
        /* Without a journal a resume would redo or skip the wrong steps:
         * stop starting anything. */
        log_error("journal: %s", err.msg);
        r->journal_broken = true;
        str_replace(&r->message, err.msg);
    }
}

static void kv_set(struct kv **v, size_t *n, const char *key, const char *value)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i].key, key) == 0) {
            str_replace(&(*v)[i].value, value);
            return;
        }
    *v = xrealloc(*v, (*n + 1) * sizeof(**v));
    (*v)[*n].key = xstrdup(key);
    (*v)[*n].value = xstrdup(value);
    (*n)++;
}

static void kv_clear(struct kv **v, size_t *n)
{
    for (size_t i = 0; i < *n; i++) {
        free((*v)[i].key);
        free((*v)[i].value);
    }
    free(*v);
    *v = NULL;
    *n = 0;
}

/* ---- the owner's side ---- */

struct runner *runner_new(struct plan *plan, const struct runner_opts *o)
{
    struct runner *r = xcalloc(1, sizeof(*r));
    r->loop = o->ctx->loop;
    r->plan = plan;
    r->o = *o;
    if (r->o.max_parallel <= 0)
        r->o.max_parallel = 4;
    r->n = plan_count(plan);
    r->steps = xcalloc(r->n ? r->n : 1, sizeof(*r->steps));
    for (size_t i = 0; i < r->n; i++) {
        struct rstep *s = &r->steps[i];
        s->owner = r;
        s->idx = i;
        s->ps = plan_step_at(plan, i);
        s->info.id = plan_step_id(s->ps);
        s->info.title = plan_step_title(s->ps);
        s->info.state = STEP_PENDING;
        s->info.max_attempts = plan_step_attempts(s->ps, NULL);
        s->info.skippable = plan_step_is_skippable(s->ps);
    }
    return r;
}

static void step_detail_free(struct rstep *s)
{
    for (size_t k = 0; k < s->nrows; k++) {
        free(s->rows[k].key);
        free(s->rows[k].label);
        free(s->rows[k].status);
    }
    free(s->rows);
    free(s->pub_rows);
    s->rows = NULL;
    s->pub_rows = NULL;
    s->nrows = 0;
    for (size_t k = 0; k < s->ntail; k++)
        free(s->tail[k]);
    free(s->tail);
    s->tail = NULL;
    s->ntail = 0;
    free(s->tail_title);
    s->tail_title = NULL;
}

static void attempt_stop(struct runner *r, struct rstep *s, bool cancel)
{
    long long *timers[] = {&s->retry_timer, &s->timeout_timer, &s->interrupt_timer};
    for (size_t k = 0; k < ARRAY_LEN(timers); k++)
        if (*timers[k]) {
            loop_cancel_timer(r->loop, *timers[k]);
            *timers[k] = 0;
        }
    if (s->cur && cancel) {
        const struct step_ops *ops = plan_step_ops(s->ps);
        struct step_run *sr = s->cur;
        s->cur = NULL;
        ops->cancel(sr, plan_step_data(s->ps));
        free(sr);
    }
}

void runner_free(struct runner *r)
{
    if (!r)
        return;
    if (r->sched_timer)
        loop_cancel_timer(r->loop, r->sched_timer);
    if (r->ask_timer)
        loop_cancel_timer(r->loop, r->ask_timer);
    for (size_t i = 0; i < r->n; i++) {
        struct rstep *s = &r->steps[i];
        attempt_stop(r, s, true);
        free(s->status);
        free(s->message);
        free(s->hint);
        free(s->summary);
        free(s->detail_title);
        step_detail_free(s);
        for (size_t k = 0; k < s->nlines; k++)
            free(s->lines[k]);
        kv_clear(&s->outs, &s->nouts);
    }
    if (r->kube)
        kube_client_free(r->kube);
    free(r->steps);
    free(r->message);
    free(r->ask_text);
    plan_free(r->plan);
    free(r);
}

bool runner_finished(const struct runner *r)
{
    return r->state == RUNNER_DONE || r->state == RUNNER_FAILED || r->state == RUNNER_ABORTED;
}

static void schedule(struct runner *r);

/* A step that finished before with the same inputs is done now. */
static void resume_from_journal(struct runner *r, size_t i)
{
    struct rstep *s = &r->steps[i];
    if (!r->o.journal || r->o.redo || plan_step_is_always(s->ps))
        return;
    /* The step's newest record, if it came after the last run of another
     * kind (an uninstall removed what an install made). */
    const struct journal_record *rec = NULL;
    for (size_t k = journal_count(r->o.journal); k > 0 && !rec; k--) {
        const struct journal_record *x = journal_record_at(r->o.journal, k - 1);
        if (strcmp(x->event, "run") == 0 && !str_eq(journal_field(x, "what"), plan_what(r->plan)))
            return;
        if (strcmp(x->step, s->info.id) == 0)
            rec = x;
    }
    if (!rec || strcmp(rec->event, "finished") != 0)
        return;
    const char *inputs = journal_field(rec, "inputs");
    if (!str_eq(inputs, plan_step_inputs_hash(s->ps))) {
        log_info("step %s: its inputs changed since it finished: it runs again", s->info.id);
        return;
    }
    for (size_t k = 0; k < rec->nfields; k++)
        if (str_starts_with(rec->fields[k].key, "out."))
            kv_set(&s->outs, &s->nouts, rec->fields[k].key + 4, rec->fields[k].value);
    s->info.state = STEP_DONE;
    s->info.resumed = true;
    const char *summary = journal_field(rec, "summary");
    char *msg =
        xasprintf("unchanged since the last run%s%s", summary ? ": " : "", summary ? summary : "");
    set_text(&s->message, &s->info.message, msg);
    free(msg);
    log_info("step %s: done in an earlier run with the same inputs", s->info.id);
}

void runner_start(struct runner *r)
{
    if (r->started)
        return;
    r->started = true;
    const char *kv[] = {"what", plan_what(r->plan), NULL};
    journal_write(r, "run", NULL, kv);
    for (size_t i = 0; i < r->n; i++) {
        struct rstep *s = &r->steps[i];
        const char *why = plan_step_skip_reason(s->ps);
        if (why) {
            s->info.state = STEP_SKIPPED;
            set_text(&s->message, &s->info.message, why);
        } else {
            resume_from_journal(r, i);
        }
        emit_step(r, i);
    }
    set_state(r, RUNNER_RUNNING, NULL);
    schedule(r);
}

/* ---- scheduling ---- */

static bool dep_ok(const struct rstep *d)
{
    return d->info.state == STEP_DONE || d->info.state == STEP_SKIPPED;
}

static bool deps_ready(struct runner *r, size_t i)
{
    for (size_t j = 0; j < r->n; j++)
        if (j != i && plan_step_depends_on(r->steps[i].ps, r->steps[j].ps) && !dep_ok(&r->steps[j]))
            return false;
    return true;
}

static void attempt_start(struct runner *r, size_t i);
static void ask_step_start(struct runner *r, size_t i);

static void finish_run(struct runner *r, enum runner_state st, const char *msg)
{
    const char *names[] = {"idle", "running", "asking", "stuck", "done", "failed", "aborted"};
    const char *kv[] = {"result", names[st], "message", msg, NULL};
    journal_write(r, "end", NULL, kv);
    set_state(r, st, msg);
}

static void schedule_now(struct runner *r)
{
    if (runner_finished(r) || !r->started)
        return;
    size_t running = 0, waiting_retry = 0, failed = 0, open = 0;
    for (size_t i = 0; i < r->n; i++) {
        struct rstep *s = &r->steps[i];
        if (s->cur)
            running++;
        else if (s->info.state == STEP_RUNNING)
            waiting_retry++;
        if (s->info.state == STEP_FAILED)
            failed++;
        if (s->info.state != STEP_DONE && s->info.state != STEP_SKIPPED)
            open++;
    }
    bool may_start = !r->aborting && !r->journal_broken && r->ask == ASK_NONE &&
                     !(failed && r->o.stop_on_failure);
    for (size_t i = 0; i < r->n && may_start; i++) {
        struct rstep *s = &r->steps[i];
        if (s->info.state != STEP_PENDING || !deps_ready(r, i))
            continue;
        if ((int)running >= r->o.max_parallel)
            break;
        bool loses;
        if (plan_step_question(s->ps, &loses) && !s->confirmed) {
            ask_step_start(r, i);
            return;
        }
        attempt_start(r, i);
        running++;
        open++;
    }
    if (r->ask != ASK_NONE)
        return;
    if (running || waiting_retry)
        return;
    if (r->aborting) {
        finish_run(r, RUNNER_ABORTED, r->message ? r->message : "aborted");
        return;
    }
    if (r->journal_broken) {
        finish_run(r, RUNNER_FAILED, r->message);
        return;
    }
    if (open == 0) {
        finish_run(r, RUNNER_DONE, NULL);
        return;
    }
    /* Something is open and nothing runs: a failed step holds it. */
    const struct rstep *first = NULL;
    for (size_t i = 0; i < r->n && !first; i++)
        if (r->steps[i].info.state == STEP_FAILED)
            first = &r->steps[i];
    char *msg = xasprintf("%s failed: %s", first ? first->info.title : "a step",
                          first && first->info.message ? first->info.message : "see the log");
    if (r->o.stop_on_failure)
        finish_run(r, RUNNER_FAILED, msg);
    else if (r->state != RUNNER_STUCK)
        set_state(r, RUNNER_STUCK, msg);
    free(msg);
}

static void schedule_timer(struct loop *l, long long id, void *arg)
{
    struct runner *r = arg;
    r->sched_timer = 0;
    schedule_now(r);
}

/* Scheduling runs on its own loop turn, never inside a step's callback. */
static void schedule(struct runner *r)
{
    if (!r->sched_timer)
        r->sched_timer = loop_add_timer(r->loop, 0, schedule_timer, r);
}

/* ---- attempts ---- */

static void attempt_timeout(struct loop *l, long long id, void *arg);

static void attempt_start(struct runner *r, size_t i)
{
    struct rstep *s = &r->steps[i];
    struct step_run *sr = xcalloc(1, sizeof(*sr));
    sr->r = r;
    sr->idx = i;
    sr->attempt = ++s->info.attempt;
    s->cur = sr;
    s->permanent = false;
    s->interrupted = false;
    s->info.state = STEP_RUNNING;
    s->info.started_ms = wall_ms();
    s->info.ended_ms = 0;
    s->info.retry_at_ms = 0;
    set_text(&s->status, &s->info.status, NULL);
    set_text(&s->message, &s->info.message, NULL);
    set_text(&s->hint, &s->info.hint, NULL);
    free(s->summary);
    s->summary = NULL;
    char att[16];
    snprintf(att, sizeof(att), "%d", sr->attempt);
    const char *kv[] = {
        "inputs", plan_step_inputs_hash(s->ps), "attempt", att, "title", s->info.title, NULL};
    journal_write(r, "started", s->info.id, kv);
    log_info("step %s: %s (attempt %d of %d)", s->info.id, s->info.title, sr->attempt,
             s->info.max_attempts);
    long long t = plan_step_timeout_ms(s->ps);
    if (t > 0)
        s->timeout_timer = loop_add_timer(r->loop, t, attempt_timeout, sr);
    emit_step(r, i);
    plan_step_ops(s->ps)->start(sr, plan_step_data(s->ps));
}

static void retry_now(struct loop *l, long long id, void *arg)
{
    struct rstep *s = arg;
    struct runner *r = s->owner;
    s->retry_timer = 0;
    if (runner_finished(r) || r->aborting)
        return;
    attempt_start(r, s->idx);
}

static bool error_retriable(const struct error *e)
{
    switch (e->code) {
    case ERR_INVALID:
    case ERR_AUTH:
    case ERR_CANCELLED:
    case ERR_INTERNAL:
        return false;
    case ERR_HTTP:
        /* 4xx are answers, not accidents; 408, 409 (a conflict with a
         * concurrent write) and 429 are worth another try */
        return e->detail >= 500 || e->detail == 408 || e->detail == 409 || e->detail == 429;
    default:
        return true;
    }
}

static void attempt_end(struct runner *r, size_t i, const struct error *err)
{
    struct rstep *s = &r->steps[i];
    s->info.ended_ms = wall_ms();
    set_text(&s->status, &s->info.status, NULL);
    if (!err) {
        s->info.state = STEP_DONE;
        set_text(&s->message, &s->info.message, s->summary);
        /* finished: inputs, summary and every output */
        size_t nkv = 4 + 2 * s->nouts;
        const char **kv = xcalloc(nkv + 1, sizeof(char *));
        char **keys = xcalloc(s->nouts + 1, sizeof(char *));
        size_t k = 0;
        kv[k++] = "inputs";
        kv[k++] = plan_step_inputs_hash(s->ps);
        kv[k++] = "summary";
        kv[k++] = s->summary;
        for (size_t o = 0; o < s->nouts; o++) {
            keys[o] = xasprintf("out.%s", s->outs[o].key);
            kv[k++] = keys[o];
            kv[k++] = s->outs[o].value;
        }
        journal_write(r, "finished", s->info.id, kv);
        for (size_t o = 0; o < s->nouts; o++)
            free(keys[o]);
        free(keys);
        free(kv);
        log_info("step %s: done%s%s", s->info.id, s->summary ? ": " : "",
                 s->summary ? s->summary : "");
        emit_step(r, i);
        schedule(r);
        return;
    }
    char att[16];
    snprintf(att, sizeof(att), "%d", s->info.attempt);
    const char *kv[] = {"message", err->msg, "attempt", att, NULL};
    journal_write(r, s->interrupted ? "interrupted" : "failed", s->info.id, kv);
    log_error("step %s: attempt %d failed: %s", s->info.id, s->info.attempt, err->msg);
    long long first_wait;
    int max = plan_step_attempts(s->ps, &first_wait);
    if (!r->aborting && !s->interrupted && !s->permanent && error_retriable(err) &&
        s->info.attempt < max) {
        long long wait = first_wait;
        for (int a = 1; a < s->info.attempt && wait < RUNNER_MAX_WAIT; a++)
            wait *= 2;
        if (wait > RUNNER_MAX_WAIT)
            wait = RUNNER_MAX_WAIT;
        s->info.retry_at_ms = wall_ms() + wait;
        char *msg = xasprintf("attempt %d of %d failed: %s; trying again in %lld s",
                              s->info.attempt, max, err->msg, (wait + 999) / 1000);
        set_text(&s->message, &s->info.message, msg);
        free(msg);
        s->retry_timer = loop_add_timer(r->loop, wait, retry_now, s);
        emit_step(r, i);
        schedule(r);
        return;
    }
    if (err->code == ERR_CANCELLED && !s->interrupted && !r->aborting) {
        /* the step stopped because a person said no */
        r->aborting = true;
        str_replace(&r->message, err->msg);
    }
    s->info.state = STEP_FAILED;
    set_text(&s->message, &s->info.message, s->interrupted ? "interrupted" : err->msg);
    if (s->interrupted && err->msg[0]) {
        char *m = xasprintf("interrupted: %s", err->msg);
        set_text(&s->message, &s->info.message, m);
        free(m);
    }
    emit_step(r, i);
    schedule(r);
}

static void attempt_timeout(struct loop *l, long long id, void *arg)
{
    struct step_run *sr = arg;
    struct runner *r = sr->r;
    size_t i = sr->idx;
    struct rstep *s = &r->steps[i];
    s->timeout_timer = 0;
    long long t = plan_step_timeout_ms(s->ps);
    attempt_stop(r, s, true);
    struct error e;
    error_set(&e, ERR_NETWORK, 0, "%s did not finish within %lld s", s->info.title, t / 1000);
    attempt_end(r, i, &e);
}

/* ---- questions ---- */

static void ask_clear(struct runner *r)
{
    r->ask = ASK_NONE;
    free(r->ask_text);
    r->ask_text = NULL;
    r->ask_cb = NULL;
    r->ask_sr = NULL;
    if (r->ask_timer) {
        loop_cancel_timer(r->loop, r->ask_timer);
        r->ask_timer = 0;
    }
}

static void ask_auto(struct loop *l, long long id, void *arg)
{
    struct runner *r = arg;
    r->ask_timer = 0;
    runner_answer(r, r->ask_answer);
}

static void ask_begin(struct runner *r, enum ask_kind k, size_t i, const char *q, bool loses)
{
    r->ask = k;
    r->ask_step = i;
    set_text(&r->ask_text, NULL, q);
    r->ask_loses_data = loses;
    log_info("question (%s): %s", r->steps[i].info.id, q);
    if (r->o.assume_yes && (!loses || r->o.assume_yes_data)) {
        log_info("answered yes (--yes)");
        r->ask_answer = true;
        r->ask_timer = loop_add_timer(r->loop, 0, ask_auto, r);
        return;
    }
    set_state(r, RUNNER_ASKING, NULL);
}

static void ask_step_start(struct runner *r, size_t i)
{
    bool loses;
    const char *q = plan_step_question(r->steps[i].ps, &loses);
    ask_begin(r, ASK_STEP_START, i, q, loses);
}

const char *runner_question(const struct runner *r, bool *loses_data, size_t *step)
{
    if (r->ask == ASK_NONE)
        return NULL;
    if (loses_data)
        *loses_data = r->ask_loses_data;
    if (step)
        *step = r->ask_step;
    return r->ask_text;
}

void runner_answer(struct runner *r, bool yes)
{
    if (r->ask == ASK_NONE)
        return;
    enum ask_kind k = r->ask;
    size_t i = r->ask_step;
    step_answer_cb cb = r->ask_cb;
    void *cb_arg = r->ask_arg;
    struct step_run *sr = r->ask_sr;
    char *q = r->ask_text;
    r->ask_text = NULL;
    ask_clear(r);
    const char *kv[] = {"question", q, "answer", yes ? "yes" : "no", NULL};
    journal_write(r, "answered", r->steps[i].info.id, kv);
    free(q);
    if (r->state == RUNNER_ASKING)
        set_state(r, RUNNER_RUNNING, NULL);
    struct rstep *s = &r->steps[i];
    if (k == ASK_STEP_START) {
        if (yes) {
            s->confirmed = true;
        } else if (s->info.skippable) {
            s->info.state = STEP_SKIPPED;
            set_text(&s->message, &s->info.message, "skipped: you answered no");
            const char *skv[] = {"reason", "answered no", NULL};
            journal_write(r, "skipped", s->info.id, skv);
            emit_step(r, i);
        } else {
            r->aborting = true;
            str_replace(&r->message, "stopped: you answered no");
        }
        schedule(r);
        return;
    }
    if (cb && sr == s->cur)
        cb(sr, yes, cb_arg);
    schedule(r);
}

/* ---- actions ---- */

int runner_retry(struct runner *r, size_t step, struct error *err)
{
    if (step >= r->n)
        return error_set(err, ERR_INVALID, 0, "no step %zu", step);
    struct rstep *s = &r->steps[step];
    if (s->info.state != STEP_FAILED)
        return error_set(err, ERR_INVALID, 0, "%s has not failed: nothing to retry", s->info.title);
    if (r->state == RUNNER_ABORTED || r->aborting)
        return error_set(err, ERR_INVALID, 0, "the run was aborted; start it again to resume");
    s->info.state = STEP_PENDING;
    s->info.attempt = 0;
    set_text(&s->message, &s->info.message, NULL);
    set_text(&s->hint, &s->info.hint, NULL);
    log_info("step %s: retried by hand", s->info.id);
    emit_step(r, step);
    if (r->state == RUNNER_STUCK || r->state == RUNNER_FAILED)
        set_state(r, RUNNER_RUNNING, NULL);
    schedule(r);
    return 0;
}

int runner_skip(struct runner *r, size_t step, struct error *err)
{
    if (step >= r->n)
        return error_set(err, ERR_INVALID, 0, "no step %zu", step);
    struct rstep *s = &r->steps[step];
    if (!s->info.skippable)
        return error_set(err, ERR_INVALID, 0, "%s cannot be skipped: the steps after it need it",
                         s->info.title);
    if (s->info.state != STEP_FAILED && s->info.state != STEP_PENDING)
        return error_set(err, ERR_INVALID, 0, "%s is not waiting or failed", s->info.title);
    s->info.state = STEP_SKIPPED;
    set_text(&s->message, &s->info.message, "skipped by you");
    const char *kv[] = {"reason", "skipped by hand", NULL};
    journal_write(r, "skipped", s->info.id, kv);
    emit_step(r, step);
    if (r->state == RUNNER_STUCK || r->state == RUNNER_FAILED)
        set_state(r, RUNNER_RUNNING, NULL);
    schedule(r);
    return 0;
}

static void interrupt_expired(struct loop *l, long long id, void *arg)
{
    struct step_run *sr = arg;
    struct runner *r = sr->r;
    size_t i = sr->idx;
    struct rstep *s = &r->steps[i];
    s->interrupt_timer = 0;
    log_warn("step %s did not stop within %d s of the interrupt: cancelling it", s->info.id,
             RUNNER_INTERRUPT_MS / 1000);
    attempt_stop(r, s, true);
    struct error e;
    error_set(&e, ERR_CANCELLED, 0, "cancelled");
    attempt_end(r, i, &e);
}

void runner_abort(struct runner *r)
{
    if (runner_finished(r))
        return;
    r->aborts++;
    if (!r->aborting) {
        r->aborting = true;
        str_replace(&r->message, "aborted");
        const char *kv[] = {NULL};
        journal_write(r, "abort", NULL, kv);
        log_warn("run aborted");
    }
    if (r->ask != ASK_NONE) {
        size_t i = r->ask_step;
        struct step_run *sr = r->ask_sr;
        ask_clear(r);
        if (sr && sr == r->steps[i].cur) {
            /* the step that asked stops with the rest below */
        }
    }
    for (size_t i = 0; i < r->n; i++) {
        struct rstep *s = &r->steps[i];
        if (s->retry_timer) {
            /* a failed attempt waiting for its retry: it stays failed */
            attempt_stop(r, s, false);
            s->info.state = STEP_FAILED;
            s->info.retry_at_ms = 0;
            emit_step(r, i);
        }
        if (!s->cur)
            continue;
        const struct step_ops *ops = plan_step_ops(s->ps);
        if (r->aborts == 1 && ops->interrupt && !s->interrupted) {
            s->interrupted = true;
            set_text(&s->status, &s->info.status, "stopping");
            s->interrupt_timer =
                loop_add_timer(r->loop, RUNNER_INTERRUPT_MS, interrupt_expired, s->cur);
            emit_step(r, i);
            ops->interrupt(s->cur, plan_step_data(s->ps));
            continue;
        }
        s->interrupted = true;
        attempt_stop(r, s, true);
        struct error e;
        error_set(&e, ERR_CANCELLED, 0, "cancelled");
        attempt_end(r, i, &e);
    }
    schedule(r);
}

/* ---- reading ---- */

enum runner_state runner_state(const struct runner *r)
{
    return r->state;
}

const char *runner_message(const struct runner *r)
{
    return r->message;
}

size_t runner_step_count(const struct runner *r)
{
    return r->n;
}

const struct runner_step_info *runner_step(const struct runner *r, size_t i)
{
    return i < r->n ? &r->steps[i].info : NULL;
}

const struct runner_detail *runner_step_detail(const struct runner *r, size_t i)
{
    if (i >= r->n)
        return NULL;
    struct rstep *s = &r->steps[i];
    s->pub_rows = xrealloc(s->pub_rows, (s->nrows ? s->nrows : 1) * sizeof(*s->pub_rows));
    for (size_t k = 0; k < s->nrows; k++)
        s->pub_rows[k] = (struct runner_row){
            s->rows[k].key,        s->rows[k].label,    s->rows[k].status,  s->rows[k].state,
            s->rows[k].started_ms, s->rows[k].ended_ms, s->rows[k].current, s->rows[k].total};
    s->detail = (struct runner_detail){
        s->detail_title, s->pub_rows, s->nrows, s->tail_title, (const char *const *)s->tail,
        s->ntail};
    return &s->detail;
}

size_t runner_step_lines(const struct runner *r, size_t i, const char *const **lines)
{
    if (i >= r->n) {
        *lines = NULL;
        return 0;
    }
    struct rstep *s = (struct rstep *)&r->steps[i];
    for (size_t k = 0; k < s->nlines; k++)
        s->lines_view[k] = s->lines[(s->line_next + RUNNER_LINES - s->nlines + k) % RUNNER_LINES];
    *lines = s->lines_view;
    return s->nlines;
}

const char *runner_log_path(const struct runner *r)
{
    return r->o.log_path;
}

const struct plan *runner_plan(const struct runner *r)
{
    return r->plan;
}

/* ================= the steps' side ================= */

static struct rstep *live(struct step_run *sr)
{
    struct rstep *s = &sr->r->steps[sr->idx];
    return s->cur == sr ? s : NULL;
}

struct loop *step_run_loop(struct step_run *sr)
{
    return sr->r->loop;
}

const struct plan_ctx *step_run_ctx(struct step_run *sr)
{
    return sr->r->o.ctx;
}

int step_run_attempt(const struct step_run *sr)
{
    return sr->attempt;
}

size_t step_run_index(const struct step_run *sr)
{
    return sr->idx;
}

struct kube_client *step_run_kube(struct step_run *sr, struct error *err)
{
    struct runner *r = sr->r;
    if (r->kube)
        return r->kube;
    const struct plan_ctx *c = r->o.ctx;
    const char *path = step_run_input(sr, "kubeconfig", "path");
    if (!path)
        path = c->kubeconfig;
    struct kube_config *cfg;
    if (kubeconfig_load_env(path, c->context, NULL, &cfg, err) < 0)
        return NULL;
    r->kube = kube_client_new(r->loop, cfg);
    return r->kube;
}

static void add_line(struct runner *r, size_t i, enum runner_stream st, const char *text)
{
    struct rstep *s = &r->steps[i];
    char *red = log_redact(text);
    free(s->lines[s->line_next]);
    s->lines[s->line_next] = red;
    s->line_next = (s->line_next + 1) % RUNNER_LINES;
    if (s->nlines < RUNNER_LINES)
        s->nlines++;
    log_info("[%s] %s", s->info.id, red);
    emit(r, RUNNER_EV_LINE, i, st, red);
}

void step_run_line(struct step_run *sr, enum runner_stream st, const char *line, size_t len)
{
    if (!live(sr))
        return;
    char *text = xstrndup(line, len);
    add_line(sr->r, sr->idx, st, text);
    free(text);
}

void step_run_say(struct step_run *sr, const char *fmt, ...)
{
    if (!live(sr))
        return;
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    add_line(sr->r, sr->idx, RUNNER_INFO, text);
    free(text);
}

void step_run_status(struct step_run *sr, const char *fmt, ...)
{
    struct rstep *s = live(sr);
    if (!s)
        return;
    char *text = NULL;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        text = xvasprintf(fmt, ap);
        va_end(ap);
    }
    if (str_eq(text, s->status)) {
        free(text);
        return;
    }
    set_text(&s->status, &s->info.status, text);
    free(text);
    emit_step(sr->r, sr->idx);
}

void step_run_detail_title(struct step_run *sr, const char *title)
{
    struct rstep *s = live(sr);
    if (!s)
        return;
    str_replace(&s->detail_title, title);
    emit(sr->r, RUNNER_EV_DETAIL, sr->idx, RUNNER_INFO, NULL);
}

void step_run_row(struct step_run *sr, const char *key, const char *label, enum runner_row_state st,
                  const char *status, long current, long total)
{
    struct rstep *s = live(sr);
    if (!s)
        return;
    struct row *row = NULL;
    for (size_t k = 0; k < s->nrows && !row; k++)
        if (strcmp(s->rows[k].key, key) == 0)
            row = &s->rows[k];
    long long now = wall_ms();
    if (!row) {
        s->rows = xrealloc(s->rows, (s->nrows + 1) * sizeof(*s->rows));
        row = &s->rows[s->nrows++];
        memset(row, 0, sizeof(*row));
        row->key = xstrdup(key);
        row->state = ROW_WAITING;
    } else if (row->state == st && str_eq(row->status, status) && row->current == current &&
               row->total == total && str_eq(row->label, label ? label : key)) {
        return; /* nothing changed: no event, no frame */
    }
    if (st == ROW_WORKING && !row->started_ms)
        row->started_ms = now;
    if ((st == ROW_DONE || st == ROW_FAILED) && !row->ended_ms) {
        if (!row->started_ms)
            row->started_ms = now;
        row->ended_ms = now;
    } else if (st != ROW_DONE && st != ROW_FAILED) {
        row->ended_ms = 0;
    }
    row->state = st;
    set_text(&row->label, NULL, label ? label : key);
    set_text(&row->status, NULL, status);
    row->current = current;
    row->total = total;
    emit(sr->r, RUNNER_EV_DETAIL, sr->idx, RUNNER_INFO, NULL);
}

void step_run_row_clear(struct step_run *sr)
{
    struct rstep *s = live(sr);
    if (!s)
        return;
    for (size_t k = 0; k < s->nrows; k++) {
        free(s->rows[k].key);
        free(s->rows[k].label);
        free(s->rows[k].status);
    }
    s->nrows = 0;
    emit(sr->r, RUNNER_EV_DETAIL, sr->idx, RUNNER_INFO, NULL);
}

void step_run_tail(struct step_run *sr, const char *title, const char *const *lines, size_t n)
{
    struct rstep *s = live(sr);
    if (!s)
        return;
    for (size_t k = 0; k < s->ntail; k++)
        free(s->tail[k]);
    free(s->tail);
    s->tail = n ? xcalloc(n, sizeof(char *)) : NULL;
    for (size_t k = 0; k < n; k++)
        s->tail[k] = log_redact(lines[k]);
    s->ntail = n;
    set_text(&s->tail_title, NULL, title);
    emit(sr->r, RUNNER_EV_DETAIL, sr->idx, RUNNER_INFO, NULL);
}

void step_run_output(struct step_run *sr, const char *key, const char *value)
{
    struct rstep *s = live(sr);
    if (!s)
        return;
    char *red = log_redact(value ? value : "");
    kv_set(&s->outs, &s->nouts, key, red);
    free(red);
}

const char *step_run_input(struct step_run *sr, const char *step_id, const char *key)
{
    struct runner *r = sr->r;
    for (size_t i = 0; i < r->n; i++) {
        struct rstep *s = &r->steps[i];
        if (strcmp(s->info.id, step_id) != 0)
            continue;
        for (size_t k = 0; k < s->nouts; k++)
            if (strcmp(s->outs[k].key, key) == 0)
                return s->outs[k].value;
        return NULL;
    }
    return NULL;
}

void step_run_ask(struct step_run *sr, const char *question, bool loses_data, step_answer_cb cb,
                  void *arg)
{
    struct runner *r = sr->r;
    if (!live(sr) || r->ask != ASK_NONE)
        return;
    r->ask_cb = cb;
    r->ask_arg = arg;
    r->ask_sr = sr;
    ask_begin(r, ASK_IN_STEP, sr->idx, question, loses_data);
}

void step_run_hint(struct step_run *sr, const char *fmt, ...)
{
    struct rstep *s = live(sr);
    if (!s)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    set_text(&s->hint, &s->info.hint, text);
    free(text);
}

void step_run_summary(struct step_run *sr, const char *fmt, ...)
{
    struct rstep *s = live(sr);
    if (!s)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    set_text(&s->summary, NULL, text);
    free(text);
}

void step_run_permanent(struct step_run *sr)
{
    struct rstep *s = live(sr);
    if (s)
        s->permanent = true;
}

void step_run_done(struct step_run *sr, const struct error *err)
{
    struct runner *r = sr->r;
    struct rstep *s = live(sr);
    if (!s) {
        log_warn("step %s: an attempt that was stopped reported its end",
                 r->steps[sr->idx].info.id);
        return;
    }
    if (r->ask != ASK_NONE && r->ask_sr == sr) {
        ask_clear(r);
        if (r->state == RUNNER_ASKING)
            set_state(r, RUNNER_RUNNING, NULL);
    }
    attempt_stop(r, s, false);
    s->cur = NULL;
    size_t i = sr->idx;
    free(sr);
    attempt_end(r, i, err);
}
