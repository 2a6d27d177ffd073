/* tests/unit/stephar.h: runs a plan made of real steps (the database,
 * Terraform, Helm, preflight parts) with the real runner, a journal in a
 * temporary state directory, and every line the steps print kept for the
 * checks; a dify-sim for the steps that talk to a cluster; the test's own
 * temporary directory. Header-only, for one test program. */
#ifndef TESTS_UNIT_STEPHAR_H
#define TESTS_UNIT_STEPHAR_H

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* ---- a dify-sim for the steps that talk to a cluster ---- */

/* sim/dify-sim of the build tree (top_builddir, which the harness exports,
 * differs from the source tree in a VPATH build such as make distcheck) */
static char *sh_sim_path(void)
{
    const char *builddir = getenv("top_builddir");
    return path_join(builddir && *builddir ? builddir : DIFY_SRCDIR, "sim/dify-sim");
}

/* For a tap_case's skip: why there is no simulator to run, or NULL. */
__attribute__((unused)) static const char *sh_need_sim(void)
{
    char *sim = sh_sim_path();
    bool there = access(sim, X_OK) == 0;
    free(sim);
    return there ? NULL : "sim/dify-sim is not built";
}

/* Starts dify-sim (--speed 20, the scenario file) in a process group of
 * its own, its kubeconfig written to kc; false when that file did not come
 * within 10 s. sh_sim_stop ends it. */
__attribute__((unused)) static bool sh_sim_start(pid_t *pid, const char *kc, const char *scenario)
{
    char *sim = sh_sim_path();
    unlink(kc);
    *pid = fork();
    if (*pid == 0) {
        setpgid(0, 0);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(sim, sim, "--kubeconfig-out", kc, "--speed", "20", "--scenario", scenario,
              (char *)NULL);
        _exit(127);
    }
    free(sim);
    for (int i = 0; i < 200; i++) {
        if (access(kc, R_OK) == 0)
            return true;
        usleep(50000);
    }
    return false;
}

__attribute__((unused)) static void sh_sim_stop(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(-pid, SIGTERM);
    waitpid(pid, NULL, 0);
}

/* ---- the test's own temporary directory ---- */

/* A new directory $TMPDIR/NAME-XXXXXX (aborts when it cannot be made). */
__attribute__((unused)) static char *sh_tmpdir(const char *name)
{
    const char *t = getenv("TMPDIR");
    char *dir = xasprintf("%s/%s-XXXXXX", t && *t ? t : "/tmp", name);
    if (!mkdtemp(dir))
        abort();
    return dir;
}

/* Removes it and frees the name; false when it could not be removed. */
static bool sh_rmdir(char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    bool ok = system(cmd) == 0;
    free(cmd);
    free(dir);
    return ok;
}

/* DIR/NAME holds TEXT, with that mode (written atomically). */
__attribute__((unused)) static void sh_write(const char *dir, const char *name, const char *text,
                                             mode_t mode)
{
    char *p = path_join(dir, name);
    struct error e;
    if (file_write_atomic(p, text, strlen(text), mode, &e) < 0) {
        fprintf(stderr, "%s: %s\n", p, e.msg);
        abort();
    }
    free(p);
}

static void sh_done(struct sh *h)
{
    if (h->r)
        runner_free(h->r);
    journal_close(h->j);
    loop_free(h->loop);
    strbuf_done(&h->lines);
    if (!sh_rmdir(h->dir))
        fprintf(stderr, "could not remove a test directory\n");
}

#endif
