/* tests/unit/stephar.h: runs a plan made of real steps (the database,
 * Terraform, Helm, preflight parts) with the real runner, a journal in a
 * temporary state directory, and every line the steps print kept for the
 * checks. Header-only, for one test program. */
#ifndef TESTS_UNIT_STEPHAR_H
#define TESTS_UNIT_STEPHAR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/journal.h"
#include "core/loop.h"
#include "core/plan.h"
#include "core/runner.h"
#include "core/util.h"

struct sh {
    struct loop *loop;
    struct plan_ctx ctx;
    struct runner *r;
    struct journal *j;
    char *dir;
    struct strbuf lines; /* "step: line\n" */
    int questions;
};

static void sh_event(struct runner *r, const struct runner_event *ev, void *arg)
{
    struct sh *h = arg;
    if (ev->type == RUNNER_EV_LINE)
        strbuf_addf(&h->lines, "%s: %s\n", runner_step(r, ev->step)->id, ev->line);
    if (ev->type == RUNNER_EV_STATE && runner_state(r) == RUNNER_ASKING)
        h->questions++;
}

static void sh_init(struct sh *h)
{
    memset(h, 0, sizeof(*h));
    h->loop = loop_new();
    h->ctx.loop = h->loop;
    strbuf_init(&h->lines);
    const char *tmp = getenv("TMPDIR");
    char *tmpl = xasprintf("%s/dify-steps-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpl))
        abort();
    h->dir = tmpl;
    h->ctx.state_dir = h->dir;
}

/* Runs the plan to its end (a bound of 5 minutes); returns the run's state. */
static enum runner_state sh_run(struct sh *h, struct plan *p, bool yes)
{
    struct error err = {0};
    if (!h->j && journal_open(h->dir, "install", &h->j, &err) < 0) {
        fprintf(stderr, "journal: %s\n", err.msg);
        abort();
    }
    if (plan_check(p, &err) < 0) {
        fprintf(stderr, "plan: %s\n", err.msg);
        abort();
    }
    struct runner_opts o = {0};
    o.ctx = &h->ctx;
    o.journal = h->j;
    o.on_event = sh_event;
    o.arg = h;
    o.assume_yes = yes;
    o.stop_on_failure = true;
    h->r = runner_new(p, &o);
    runner_start(h->r);
    long long deadline = now_ms() + 300000;
    while (!runner_finished(h->r) && now_ms() < deadline) {
        if (runner_state(h->r) == RUNNER_ASKING && !yes)
            runner_answer(h->r, false);
        loop_run_once(h->loop, 200);
    }
    return runner_state(h->r);
}

__attribute__((unused)) static const struct runner_step_info *sh_step(struct sh *h, const char *id)
{
    for (size_t i = 0; i < runner_step_count(h->r); i++)
        if (strcmp(runner_step(h->r, i)->id, id) == 0)
            return runner_step(h->r, i);
    return NULL;
}

__attribute__((unused)) static const struct runner_detail *sh_detail(struct sh *h, const char *id)
{
    for (size_t i = 0; i < runner_step_count(h->r); i++)
        if (strcmp(runner_step(h->r, i)->id, id) == 0)
            return runner_step_detail(h->r, i);
    return NULL;
}

__attribute__((unused)) static const struct runner_row *sh_row(struct sh *h, const char *id,
                                                               const char *key)
{
    const struct runner_detail *d = sh_detail(h, id);
    for (size_t i = 0; d && i < d->nrows; i++)
        if (strcmp(d->rows[i].key, key) == 0)
            return &d->rows[i];
    return NULL;
}

/* Ends the run, keeps the journal open for the next one when keep. */
__attribute__((unused)) static void sh_end(struct sh *h, bool keep_journal)
{
    runner_free(h->r);
    h->r = NULL;
    if (!keep_journal) {
        journal_close(h->j);
        h->j = NULL;
        char *path = path_join(h->dir, "journal.jsonl");
        unlink(path);
        free(path);
    }
    strbuf_reset(&h->lines);
}

static void sh_done(struct sh *h)
{
    if (h->r)
        runner_free(h->r);
    journal_close(h->j);
    loop_free(h->loop);
    strbuf_done(&h->lines);
    char *cmd = xasprintf("rm -rf '%s'", h->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", h->dir);
    free(cmd);
    free(h->dir);
}

#endif
