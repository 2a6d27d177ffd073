/* tests/unit/test_runner.c: the plan and the runner with steps that do
 * what each test tells them (succeed, fail N times, never end, stop when
 * interrupted). Stages and dependencies, parallel steps, retries with
 * backoff and failures that are not retried, a failed step stopping an
 * unattended run, retry and skip by hand, questions and --yes, abort, the
 * journal's records and the resume from them, outputs carried across runs,
 * a step's deadline, detail rows, the dry run, and secrets kept out of the
 * journal and the lines. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/hash.h"
#include "core/journal.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/plan.h"
#include "core/runner.h"
#include "core/util.h"

/* ---- a step that does what it is told ---- */

struct fake {
    const char *name;
    int fail_times;       /* the first N attempts fail */
    enum error_code code; /* ... with this code */
    bool never_ends;      /* until cancelled or interrupted */
    bool stops_on_interrupt;
    long long work_ms; /* how long an attempt takes */
    const char *say;   /* a line it prints */
    const char *out_key, *out_value;
    const char *read_step, *read_key; /* an input it reads and records */
    /* what happened */
    int starts, cancels, interrupts;
    char *read_value;
    struct step_run *sr;
    long long timer;
    struct loop *loop;
    struct strbuf *order; /* "+name" at start, "-name" at the end */
};

static void fake_finish(struct loop *l, long long id, void *arg)
{
    struct fake *f = arg;
    f->timer = 0;
    struct step_run *sr = f->sr;
    f->sr = NULL;
    strbuf_addf(f->order, "-%s ", f->name);
    if (f->starts <= f->fail_times) {
        struct error e;
        error_set(&e, f->code ? f->code : ERR_NETWORK, 0, "%s failed on attempt %d", f->name,
                  f->starts);
        step_run_done(sr, &e);
        return;
    }
    if (f->out_key)
        step_run_output(sr, f->out_key, f->out_value);
    step_run_summary(sr, "%s worked", f->name);
    step_run_done(sr, NULL);
}

static void fake_start(struct step_run *sr, void *data)
{
    struct fake *f = data;
    f->starts++;
    f->sr = sr;
    f->loop = step_run_loop(sr);
    strbuf_addf(f->order, "+%s ", f->name);
    if (f->say)
        step_run_say(sr, "%s", f->say);
    if (f->read_step) {
        const char *v = step_run_input(sr, f->read_step, f->read_key);
        str_replace(&f->read_value, v ? v : "(none)");
    }
    if (f->never_ends)
        return;
    f->timer = loop_add_timer(f->loop, f->work_ms, fake_finish, f);
}

static void fake_cancel(struct step_run *sr, void *data)
{
    struct fake *f = data;
    f->cancels++;
    if (f->timer)
        loop_cancel_timer(f->loop, f->timer);
    f->timer = 0;
    f->sr = NULL;
}

static void fake_interrupt(struct step_run *sr, void *data)
{
    struct fake *f = data;
    f->interrupts++;
    if (!f->stops_on_interrupt)
        return;
    if (f->timer)
        loop_cancel_timer(f->loop, f->timer);
    f->timer = 0;
    f->sr = NULL;
    struct error e;
    error_set(&e, ERR_CANCELLED, 0, "stopped cleanly");
    step_run_done(sr, &e);
}

static const struct step_ops fake_ops = {"fake", fake_start, fake_cancel, fake_interrupt, NULL};

/* ---- a harness ---- */

struct h {
    struct loop *loop;
    struct plan_ctx ctx;
    struct runner *r;
    struct journal *j;
    char *dir;
    struct strbuf order;
    struct strbuf events;
    int detail_events;
};

static void on_event(struct runner *r, const struct runner_event *ev, void *arg)
{
    struct h *h = arg;
    if (ev->type == RUNNER_EV_LINE)
        strbuf_addf(&h->events, "line %s: %s\n", runner_step(r, ev->step)->id, ev->line);
    if (ev->type == RUNNER_EV_DETAIL)
        h->detail_events++;
    if (ev->type == RUNNER_EV_STATE)
        strbuf_addf(&h->events, "state %d\n", runner_state(r));
}

static void h_init(struct h *h)
{
    memset(h, 0, sizeof(*h));
    h->loop = loop_new();
    h->ctx.loop = h->loop;
    strbuf_init(&h->order);
    strbuf_init(&h->events);
    char tmpl[] = "/tmp/dify-runner-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    h->dir = path_join(tmpl, "state");
}

static void h_open(struct h *h)
{
    struct error err = {0};
    assert_int_equal(journal_open(h->dir, "install", &h->j, &err), 0);
}

static void h_run(struct h *h, struct plan *p, struct runner_opts *extra)
{
    struct runner_opts o = {0};
    if (extra)
        o = *extra;
    o.ctx = &h->ctx;
    o.journal = h->j;
    o.on_event = on_event;
    o.arg = h;
    h->r = runner_new(p, &o);
    runner_start(h->r);
}

/* Runs the loop until the runner reaches st (a bound of about 20 s). */
static void h_until(struct h *h, enum runner_state st)
{
    for (int i = 0; i < 4000 && runner_state(h->r) != st; i++)
        loop_run_once(h->loop, 5);
    assert_int_equal(runner_state(h->r), st);
}

static void h_end_run(struct h *h)
{
    runner_free(h->r);
    h->r = NULL;
    journal_close(h->j);
    h->j = NULL;
}

static void h_done(struct h *h)
{
    if (h->r)
        runner_free(h->r);
    journal_close(h->j);
    loop_free(h->loop);
    strbuf_done(&h->order);
    strbuf_done(&h->events);
    free(h->dir);
}

static struct plan_step *add(struct plan *p, enum plan_stage st, struct fake *f, struct h *h)
{
    f->order = &h->order;
    char title[64];
    snprintf(title, sizeof(title), "Step %s", f->name);
    struct plan_step *s = plan_add(p, st, f->name, title, &fake_ops, f);
    plan_step_note(s, "does %s", f->name);
    return s;
}

static const struct runner_step_info *info(struct h *h, const char *id)
{
    for (size_t i = 0; i < runner_step_count(h->r); i++)
        if (strcmp(runner_step(h->r, i)->id, id) == 0)
            return runner_step(h->r, i);
    fail_msg("no step %s", id);
    return NULL;
}

static size_t count_events(struct h *h, const char *event, const char *step)
{
    size_t n = 0;
    for (size_t i = 0; i < journal_count(h->j); i++) {
        const struct journal_record *rec = journal_record_at(h->j, i);
        if (strcmp(rec->event, event) == 0 && (!step || strcmp(rec->step, step) == 0))
            n++;
    }
    return n;
}

/* ---- tests ---- */

static void test_stages_and_parallel_steps(void **state)
{
    (void)state;
    struct h h;
    h_init(&h);
    h_open(&h);
    struct fake a = {.name = "a", .work_ms = 20}, b = {.name = "b", .work_ms = 20},
                c = {.name = "c", .work_ms = 1}, d = {.name = "d", .work_ms = 1};
    struct plan *p = plan_new("install");
    add(p, STAGE_PREFLIGHT, &a, &h);
    add(p, STAGE_BASE, &b, &h);
    add(p, STAGE_BASE, &c, &h);
    struct plan_step *sd = add(p, STAGE_BASE, &d, &h);
    plan_step_after(sd, "b");
    struct error err = {0};
    assert_int_equal(plan_check(p, &err), 0);
    h_run(&h, p, NULL);
    h_until(&h, RUNNER_DONE);
    /* a alone; then b and c side by side; d only after b */
    const char *o = h.order.buf;
    assert_true(str_starts_with(o, "+a -a +b +c "));
    assert_true(strstr(o, "-b") < strstr(o, "+d"));
    assert_int_equal(info(&h, "d")->state, STEP_DONE);
    assert_string_equal(info(&h, "d")->message, "d worked");
    assert_int_equal(count_events(&h, "finished", NULL), 4);
    h_done(&h);
}

static void test_retry_with_backoff(void **state)
{
    (void)state;
    struct h h;
    h_init(&h);
    h_open(&h);
    struct fake a = {.name = "a", .fail_times = 2};
    struct plan *p = plan_new("install");
    plan_step_retry(add(p, STAGE_BASE, &a, &h), 3, 10);
    h_run(&h, p, NULL);
    h_until(&h, RUNNER_DONE);
    assert_int_equal(a.starts, 3);
    assert_int_equal(info(&h, "a")->attempt, 3);
    assert_int_equal(count_events(&h, "failed", "a"), 2);
    assert_int_equal(count_events(&h, "finished", "a"), 1);
    h_done(&h);
}

static void test_permanent_failure_not_retried(void **state)
{
    (void)state;
    struct h h;
    h_init(&h);
    h_open(&h);
    struct fake a = {.name = "a", .fail_times = 5, .code = ERR_INVALID};
    struct plan *p = plan_new("install");
    plan_step_retry(add(p, STAGE_BASE, &a, &h), 3, 10);
    struct runner_opts o = {.stop_on_failure = true};
    h_run(&h, p, &o);
    h_until(&h, RUNNER_FAILED);
    assert_int_equal(a.starts, 1);
    assert_string_equal(runner_message(h.r), "Step a failed: a failed on attempt 1");
    h_done(&h);
}

static void test_failure_stops_unattended_run(void **state)
{
    (void)state;
    struct h h;
    h_init(&h);
    h_open(&h);
    struct fake a = {.name = "a", .fail_times = 1, .work_ms = 1}, b = {.name = "b", .work_ms = 30},
                c = {.name = "c"};
    struct plan *p = plan_new("install");
    add(p, STAGE_BASE, &a, &h);
    add(p, STAGE_BASE, &b, &h);
    add(p, STAGE_APP, &c, &h);
    struct runner_opts o = {.stop_on_failure = true};
    h_run(&h, p, &o);
    h_until(&h, RUNNER_FAILED);
    /* b, already running, finished; c never started */
    assert_int_equal(info(&h, "b")->state, STEP_DONE);
    assert_int_equal(info(&h, "c")->state, STEP_PENDING);
    assert_int_equal(c.starts, 0);
    h_done(&h);
}

static void test_stuck_then_retry_and_skip_by_hand(void **state)
{
    (void)state;
    struct h h;
    h_init(&h);
    h_open(&h);
    struct fake a = {.name = "a", .fail_times = 1}, b = {.name = "b", .fail_times = 9},
                c = {.name = "c"};
    struct plan *p = plan_new("install");
    add(p, STAGE_BASE, &a, &h);
    plan_step_skippable(add(p, STAGE_MIGRATE, &b, &h));
    add(p, STAGE_APP, &c, &h);
    h_run(&h, p, NULL);
    h_until(&h, RUNNER_STUCK);
    assert_int_equal(info(&h, "a")->state, STEP_FAILED);
    struct error err = {0};
    assert_int_equal(runner_skip(h.r, 0, &err), -1); /* a is not skippable */
    assert_non_null(strstr(err.msg, "cannot be skipped"));
    assert_int_equal(runner_retry(h.r, 0, &err), 0);
    h_until(&h, RUNNER_STUCK);
    assert_int_equal(info(&h, "a")->state, STEP_DONE);
    assert_int_equal(info(&h, "b")->state, STEP_FAILED);
    assert_int_equal(runner_retry(h.r, 2, &err), -1); /* c has not failed */
    assert_int_equal(runner_skip(h.r, 1, &err), 0);
    h_until(&h, RUNNER_DONE);
    assert_int_equal(info(&h, "b")->state, STEP_SKIPPED);
    assert_int_equal(info(&h, "c")->state, STEP_DONE);
    assert_int_equal(count_events(&h, "skipped", "b"), 1);
    h_done(&h);
}

static void test_resume_skips_unchanged_steps(void **state)
{
    (void)state;
    struct h h;
    h_init(&h);
    h_open(&h);
    struct fake a = {.name = "a", .out_key = "endpoint", .out_value = "db.example.com"},
                b = {.name = "b"}, c = {.name = "c", .read_step = "a", .read_key = "endpoint"};
    struct plan *p = plan_new("install");
    add(p, STAGE_BASE, &a, &h);
    add(p, STAGE_APP, &b, &h);
    add(p, STAGE_CHECK, &c, &h);
    h_run(&h, p, NULL);
    h_until(&h, RUNNER_DONE);
    assert_string_equal(c.read_value, "db.example.com");
    h_end_run(&h);

    /* the same plan again: nothing runs, outputs come from the journal */
    struct fake a2 = a, b2 = b, c2 = c;
    a2.starts = b2.starts = c2.starts = 0;
    c2.read_value = NULL;
    h_open(&h);
    p = plan_new("install");
    add(p, STAGE_BASE, &a2, &h);
    struct plan_step *sb = add(p, STAGE_APP, &b2, &h);
    plan_step_note(sb, "something changed"); /* b's inputs differ */
    plan_step_always(add(p, STAGE_CHECK, &c2, &h));
    h_run(&h, p, NULL);
    h_until(&h, RUNNER_DONE);
    assert_int_equal(a2.starts, 0);
    assert_true(info(&h, "a")->resumed);
    assert_string_equal(info(&h, "a")->message, "unchanged since the last run: a worked");
    assert_int_equal(b2.starts, 1); /* changed inputs: runs again */
    assert_int_equal(c2.starts, 1); /* always runs */
    assert_string_equal(c2.read_value, "db.example.com");
    free(c.read_value);
    free(c2.read_value);
    h_done(&h);
}

static void test_other_run_kind_resets_resume(void **state)
{
    (void)state;
    struct h h;
    h_init(&h);
    h_open(&h);
    struct fake a = {.name = "a"};
    struct plan *p = plan_new("install");
    add(p, STAGE_BASE, &a, &h);
    h_run(&h, p, NULL);
    h_until(&h, RUNNER_DONE);
    h_end_run(&h);

    /* an uninstall runs on the same state directory */
    struct fake u = {.name = "remove-a"};
    h_open(&h);
    p = plan_new("uninstall");
    add(p, STAGE_BASE, &u, &h);
    h_run(&h, p, NULL);
    h_until(&h, RUNNER_DONE);
    h_end_run(&h);

    /* the install's finished step no longer counts: what it made is gone */
    struct fake a2 = {.name = "a"};
    h_open(&h);
    p = plan_new("install");
    add(p, STAGE_BASE, &a2, &h);
    h_run(&h, p, NULL);
    h_until(&h, RUNNER_DONE);
    assert_int_equal(a2.starts, 1);
    assert_false(info(&h, "a")->resumed);
    h_end_run(&h);

    /* --redo runs a step that finished */
    struct fake a3 = {.name = "a"};
    h_open(&h);
    p = plan_new("install");
    add(p, STAGE_BASE, &a3, &h);
    struct runner_opts o = {.redo = true};
    h_run(&h, p, &o);
    h_until(&h, RUNNER_DONE);
    assert_int_equal(a3.starts, 1);
    h_done(&h);
}

static void test_abort_then_resume(void **state)
{
    (void)state;
    struct h h;
    h_init(&h);
    h_open(&h);
    struct fake a = {.name = "a"},
                b = {.name = "b", .never_ends = true, .stops_on_interrupt = true},
                c = {.name = "c"};
    struct plan *p = plan_new("install");
    add(p, STAGE_BASE, &a, &h);
    add(p, STAGE_APP, &b, &h);
    add(p, STAGE_CHECK, &c, &h);
    h_run(&h, p, NULL);
    while (b.starts == 0)
        loop_run_once(h.loop, 5);
    runner_abort(h.r);
    h_until(&h, RUNNER_ABORTED);
    assert_int_equal(b.interrupts, 1);
    assert_int_equal(b.cancels, 0); /* it stopped cleanly */
    assert_int_equal(info(&h, "b")->state, STEP_FAILED);
    assert_int_equal(count_events(&h, "interrupted", "b"), 1);
    assert_int_equal(c.starts, 0);
    h_end_run(&h);

    struct fake a2 = {.name = "a"}, b2 = {.name = "b"}, c2 = {.name = "c"};
    h_open(&h);
    p = plan_new("install");
    add(p, STAGE_BASE, &a2, &h);
    add(p, STAGE_APP, &b2, &h);
    add(p, STAGE_CHECK, &c2, &h);
    h_run(&h, p, NULL);
    h_until(&h, RUNNER_DONE);
    assert_int_equal(a2.starts, 0); /* finished before: not done twice */
    assert_int_equal(b2.starts, 1);
    assert_int_equal(c2.starts, 1);
    h_done(&h);
}

static void test_second_abort_cancels(void **state)
{
    (void)state;
    struct h h;
    h_init(&h);
    h_open(&h);
    struct fake a = {.name = "a", .never_ends = true}; /* ignores the interrupt */
    struct plan *p = plan_new("install");
    add(p, STAGE_BASE, &a, &h);
    h_run(&h, p, NULL);
    while (a.starts == 0)
        loop_run_once(h.loop, 5);
    runner_abort(h.r);
    for (int i = 0; i < 5; i++)
        loop_run_once(h.loop, 1);
    assert_int_equal(runner_state(h.r), RUNNER_RUNNING);
    runner_abort(h.r);
    h_until(&h, RUNNER_ABORTED);
    assert_int_equal(a.cancels, 1);
    h_done(&h);
}

static void test_questions(void **state)
{
    (void)state;
    struct h h;
    h_init(&h);
    h_open(&h);
    struct fake a = {.name = "a"}, b = {.name = "b"}, c = {.name = "c"};
    struct plan *p = plan_new("uninstall");
    plan_step_confirm(add(p, STAGE_BASE, &a, &h), "Delete the load balancers?", false);
    struct plan_step *sb = add(p, STAGE_APP, &b, &h);
    plan_step_confirm(sb, "Delete the volumes? Their data is lost.", true);
    plan_step_skippable(sb);
    add(p, STAGE_CHECK, &c, &h);
    struct runner_opts o = {.assume_yes = true};
    h_run(&h, p, &o);
    /* --yes answers the first, not the one that loses data */
    h_until(&h, RUNNER_ASKING);
    assert_int_equal(a.starts, 1);
    bool loses = false;
    size_t step = 99;
    assert_string_equal(runner_question(h.r, &loses, &step),
                        "Delete the volumes? Their data is lost.");
    assert_true(loses);
    assert_int_equal(step, 1);
    runner_answer(h.r, false); /* skippable: no skips it */
    h_until(&h, RUNNER_DONE);
    assert_int_equal(b.starts, 0);
    assert_int_equal(info(&h, "b")->state, STEP_SKIPPED);
    assert_int_equal(c.starts, 1);
    h_end_run(&h);

    /* no to a step that cannot be skipped stops the run */
    struct fake d = {.name = "d"};
    h_open(&h);
    p = plan_new("install");
    plan_step_confirm(add(p, STAGE_INFRA, &d, &h), "Apply 42 changes?", false);
    h_run(&h, p, NULL);
    h_until(&h, RUNNER_ASKING);
    runner_answer(h.r, false);
    h_until(&h, RUNNER_ABORTED);
    assert_int_equal(d.starts, 0);
    assert_string_equal(runner_message(h.r), "stopped: you answered no");
    h_done(&h);
}

struct asker {
    bool answer, answered;
};

static void asker_answer(struct step_run *sr, bool yes, void *arg)
{
    struct asker *a = arg;
    a->answered = true;
    a->answer = yes;
    step_run_done(sr, NULL);
}

static void asker_start(struct step_run *sr, void *data)
{
    step_run_ask(sr, "Terraform will add 42, change 0, destroy 0. Apply?", false, asker_answer,
                 data);
}

static void asker_cancel(struct step_run *sr, void *data)
{
}

static const struct step_ops asker_ops = {"asker", asker_start, asker_cancel, NULL, NULL};

static void test_question_inside_a_step(void **state)
{
    (void)state;
    struct h h;
    h_init(&h);
    h_open(&h);
    struct asker a = {0};
    struct plan *p = plan_new("install");
    plan_add(p, STAGE_INFRA, "tf-apply", "Terraform apply", &asker_ops, &a);
    h_run(&h, p, NULL);
    h_until(&h, RUNNER_ASKING);
    assert_string_equal(runner_question(h.r, NULL, NULL),
                        "Terraform will add 42, change 0, destroy 0. Apply?");
    runner_answer(h.r, true);
    h_until(&h, RUNNER_DONE);
    assert_true(a.answered && a.answer);
    assert_int_equal(count_events(&h, "answered", "tf-apply"), 1);
    h_done(&h);
}

static void test_step_deadline(void **state)
{
    (void)state;
    struct h h;
    h_init(&h);
    h_open(&h);
    struct fake a = {.name = "a", .never_ends = true};
    struct plan *p = plan_new("install");
    plan_step_timeout(add(p, STAGE_ROLLOUT, &a, &h), 30);
    struct runner_opts o = {.stop_on_failure = true};
    h_run(&h, p, &o);
    h_until(&h, RUNNER_FAILED);
    assert_int_equal(a.cancels, 1);
    assert_non_null(strstr(info(&h, "a")->message, "did not finish within"));
    h_done(&h);
}

struct rower {
    int phase;
    struct step_run *sr;
    long long timer;
    struct loop *loop;
};

static void rower_tick(struct loop *l, long long id, void *arg)
{
    struct rower *w = arg;
    w->timer = 0;
    if (w->phase++ == 0) {
        step_run_row(w->sr, "deployment/dify-api", "api", ROW_WORKING, "1 of 2 updated", 1, 2);
        step_run_row(w->sr, "deployment/dify-api", "api", ROW_WORKING, "1 of 2 updated", 1, 2);
        w->timer = loop_add_timer(l, 1, rower_tick, w);
        return;
    }
    step_run_row(w->sr, "deployment/dify-api", "api", ROW_DONE, "rolled out", 2, 2);
    const char *tail[] = {"INFO  [alembic] Running upgrade a -> b", "done"};
    step_run_tail(w->sr, "Log of pod x", tail, 2);
    step_run_done(w->sr, NULL);
}

static void rower_start(struct step_run *sr, void *data)
{
    struct rower *w = data;
    w->sr = sr;
    step_run_detail_title(sr, "Rollouts");
    step_run_row(sr, "deployment/dify-web", "web", ROW_WAITING, "waiting", 0, 1);
    w->timer = loop_add_timer(step_run_loop(sr), 1, rower_tick, w);
}

static const struct step_ops rower_ops = {"rower", rower_start, asker_cancel, NULL, NULL};

static void test_detail_rows(void **state)
{
    (void)state;
    struct h h;
    h_init(&h);
    h_open(&h);
    struct rower w = {0};
    struct plan *p = plan_new("install");
    plan_add(p, STAGE_ROLLOUT, "rollouts", "Wait for rollouts", &rower_ops, &w);
    h_run(&h, p, NULL);
    h_until(&h, RUNNER_DONE);
    const struct runner_detail *d = runner_step_detail(h.r, 0);
    assert_string_equal(d->title, "Rollouts");
    assert_int_equal(d->nrows, 2);
    assert_string_equal(d->rows[1].label, "api");
    assert_int_equal(d->rows[1].state, ROW_DONE);
    assert_int_equal(d->rows[1].current, 2);
    assert_true(d->rows[1].ended_ms >= d->rows[1].started_ms && d->rows[1].started_ms > 0);
    assert_int_equal(d->ntail, 2);
    assert_string_equal(d->tail_title, "Log of pod x");
    /* title, web, api, (the same api row again: no event), api done, tail */
    assert_int_equal(h.detail_events, 5);
    h_done(&h);
}

static void test_secrets_stay_out(void **state)
{
    (void)state;
    log_add_secret("s3cr3t-Passw0rd-xyz");
    struct h h;
    h_init(&h);
    h_open(&h);
    struct fake a = {.name = "a",
                     .say = "connecting with password s3cr3t-Passw0rd-xyz",
                     .out_key = "dsn",
                     .out_value = "postgres://dify:s3cr3t-Passw0rd-xyz@db/dify",
                     .fail_times = 1};
    struct plan *p = plan_new("install");
    struct plan_step *s = add(p, STAGE_BASE, &a, &h);
    plan_step_retry(s, 2, 1);
    plan_step_input(s, "password", "s3cr3t-Passw0rd-xyz");
    h_run(&h, p, NULL);
    h_until(&h, RUNNER_DONE);
    const char *const *lines;
    size_t n = runner_step_lines(h.r, 0, &lines);
    assert_int_equal(n, 2);
    assert_string_equal(lines[0], "connecting with password ***");
    assert_null(strstr(h.events.buf, "s3cr3t"));
    char *jp = xstrdup(journal_path(h.j));
    h_done(&h);
    char *data = NULL;
    size_t len = 0;
    struct error err = {0};
    assert_int_equal(file_read_all(jp, 1 << 20, &data, &len, &err), 0);
    assert_null(strstr(data, "s3cr3t"));
    assert_non_null(strstr(data, "postgres://dify:***@db/dify"));
    free(data);
    free(jp);
    log_clear_secrets();
}

static void test_plan_check(void **state)
{
    (void)state;
    struct error err = {0};
    struct fake a = {.name = "a"}, b = {.name = "b"}, c = {.name = "c"};
    struct plan *p = plan_new("install");
    plan_step_after(plan_add(p, STAGE_BASE, "a", "A", &fake_ops, &a), "nope");
    assert_int_equal(plan_check(p, &err), -1);
    assert_string_equal(err.msg, "plan: step \"a\" runs after \"nope\", which is not in the plan");
    plan_free(p);

    p = plan_new("install");
    plan_step_after(plan_add(p, STAGE_BASE, "a", "A", &fake_ops, &a), "b");
    plan_add(p, STAGE_APP, "b", "B", &fake_ops, &b);
    assert_int_equal(plan_check(p, &err), -1);
    assert_non_null(strstr(err.msg, "a later stage"));
    plan_free(p);

    p = plan_new("install");
    plan_step_after(plan_add(p, STAGE_BASE, "a", "A", &fake_ops, &a), "c");
    plan_step_after(plan_add(p, STAGE_BASE, "b", "B", &fake_ops, &b), "a");
    plan_step_after(plan_add(p, STAGE_BASE, "c", "C", &fake_ops, &c), "b");
    assert_int_equal(plan_check(p, &err), -1);
    assert_non_null(strstr(err.msg, "cycle"));
    plan_free(p);
}

static void test_describe_masks_secrets(void **state)
{
    (void)state;
    log_add_secret("generated-db-password-123");
    struct fake a = {.name = "a"};
    struct plan *p = plan_new("install");
    struct plan_step *s = plan_add(p, STAGE_BASE, "secrets", "Apply the Secrets", &fake_ops, &a);
    const char *argv[] = {"helm",      "upgrade", "--install", "dify",
                          "dify/dify", "--set",   "a=b c",     NULL};
    plan_step_cmd(s, argv);
    plan_step_note(s, "connect as dify with password generated-db-password-123");
    plan_step_object(s, "Secret dify/dify-secrets",
                     "apiVersion: v1\nkind: Secret\nmetadata:\n  name: dify-secrets\n"
                     "stringData:\n  DB_PASSWORD: generated-db-password-123\n"
                     "  SECRET_KEY: sk-abcdef\ntype: Opaque\n");
    plan_step_input(s, "token", "never-shown-value");
    struct plan_step *t = plan_add(p, STAGE_INFRA, "tf", "Terraform", &fake_ops, &a);
    plan_step_skip(t, "the demo has no AWS account");
    struct strbuf out;
    strbuf_init(&out);
    plan_describe(p, &out);
    assert_non_null(strstr(out.buf, "$ helm upgrade --install dify dify/dify --set 'a=b c'"));
    assert_non_null(strstr(out.buf, "  DB_PASSWORD: '***'"));
    assert_non_null(strstr(out.buf, "  SECRET_KEY: '***'"));
    assert_non_null(strstr(out.buf, "| type: Opaque"));
    assert_non_null(strstr(out.buf, "with password ***"));
    assert_non_null(strstr(out.buf, "skipped: the demo has no AWS account"));
    assert_null(strstr(out.buf, "never-shown-value"));
    assert_null(strstr(out.buf, "generated-db-password"));
    assert_null(strstr(out.buf, "sk-abcdef"));
    /* the hash covers the hidden input */
    char before[HASH_HEX_LEN + 1];
    strcpy(before, plan_step_inputs_hash(s));
    plan_step_input(s, "token2", "x");
    assert_string_not_equal(before, plan_step_inputs_hash(s));
    strbuf_done(&out);
    plan_free(p);
    log_clear_secrets();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stages_and_parallel_steps),
        cmocka_unit_test(test_retry_with_backoff),
        cmocka_unit_test(test_permanent_failure_not_retried),
        cmocka_unit_test(test_failure_stops_unattended_run),
        cmocka_unit_test(test_stuck_then_retry_and_skip_by_hand),
        cmocka_unit_test(test_resume_skips_unchanged_steps),
        cmocka_unit_test(test_other_run_kind_resets_resume),
        cmocka_unit_test(test_abort_then_resume),
        cmocka_unit_test(test_second_abort_cancels),
        cmocka_unit_test(test_questions),
        cmocka_unit_test(test_question_inside_a_step),
        cmocka_unit_test(test_step_deadline),
        cmocka_unit_test(test_detail_rows),
        cmocka_unit_test(test_secrets_stay_out),
        cmocka_unit_test(test_plan_check),
        cmocka_unit_test(test_describe_masks_secrets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
