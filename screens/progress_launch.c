/* screens/progress_launch.c: an install (or uninstall) from an answers file
 * behind the progress pane: `install` on a terminal, the wizard's Install
 * now, the demo. The same preparation as the line printer's
 * (screens/cmd_install.c): the answers and secrets loaded and checked, the
 * state directory's journal taken (its lock), the run's log opened, the
 * files rendered into the state directory, the plan built; then the pane
 * owns all of it and frees it when it goes. Problems come back in err,
 * never printed: the wizard shows them on its status line. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/journal.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/plan.h"
#include "core/problems.h"
#include "core/proc.h"
#include "core/profile.h"
#include "core/render.h"
#include "core/textsafe.h"
#include "core/runner.h"
#include "core/util.h"
#include "core/validate.h"
#include "screens/app.h"
#include "screens/cmd_install.h"
#include "screens/command.h"
#include "screens/dashboard.h"
#include "screens/progress.h"

/* What the pane keeps alive for its runner. */
struct launch {
    struct profile prof;
    struct secrets sec;
    bool have_prof;
    struct plan_ctx ctx;
    struct journal *j;
    char *answers, *state, *rendered, *log_path, *subject, *resume;
    enum install_kind kind;
};

static void launch_free(void *arg)
{
    struct launch *l = arg;
    if (!l)
        return;
    journal_close(l->j);
    secrets_done(&l->sec);
    if (l->have_prof)
        profile_done(&l->prof);
    free(l->answers);
    free(l->state);
    free(l->rendered);
    free(l->log_path);
    free(l->subject);
    free(l->resume);
    free(l);
}

/* The first error of ps into err, with how many more there are. */
static int problems_to_error(const struct problems *ps, const char *file, struct error *err)
{
    size_t nerr = problems_errors(ps);
    for (size_t i = 0; i < ps->n; i++) {
        if (ps->v[i].warning)
            continue;
        char *line = problem_format(&ps->v[i]);
        error_set(err, ERR_INVALID, 0, "%s%s%s%s", file ? file : "", file ? ": " : "", line,
                  nerr > 1 ? " (and more: dify-tui validate lists them)" : "");
        free(line);
        return -1;
    }
    return 0;
}

/* Answers and secrets, checked; missing secrets generated and saved, as
 * `install` does. */
static int load(struct launch *l, const struct install_opts *o, struct error *err)
{
    struct problems probs;
    problems_init(&probs);
    char *secrets_path = o->secrets ? xstrdup(o->secrets) : secrets_path_for(o->answers);
    int rc = -1;
    if (answers_load(o->answers, &l->prof, &probs, err) < 0) {
        if (probs.n)
            problems_to_error(&probs, NULL, err);
        goto out;
    }
    l->have_prof = true;
    if (secrets_load(secrets_path, &l->sec, &probs, err) < 0) {
        if (probs.n)
            problems_to_error(&probs, NULL, err);
        goto out;
    }
    int generated = secrets_fill(&l->sec, &l->prof, err);
    if (generated < 0)
        goto out;
    struct problems vp;
    problems_init(&vp);
    profile_validate(&l->prof, &l->sec, &vp);
    int bad = problems_to_error(&vp, o->answers, err);
    problems_done(&vp);
    if (bad < 0)
        goto out;
    if (generated > 0 && secrets_save(secrets_path, &l->sec, err) < 0)
        goto out;
    rc = 0;
out:
    problems_done(&probs);
    free(secrets_path);
    return rc;
}

static char *subject_for(const struct profile *p, const struct plan_ctx *c)
{
    const char *ns = str_empty(p->namespace) ? "dify" : p->namespace;
    if (p->target == TARGET_EKS)
        return xasprintf("%s into %s on EKS %s", str_empty(p->release) ? "dify" : p->release, ns,
                         p->aws.cluster_name);
    return xasprintf("%s into namespace %s%s%s%s", str_empty(p->release) ? "dify" : p->release, ns,
                     c->context ? " (context " : "", c->context ? c->context : "",
                     c->context ? ")" : "");
}

/* After a successful install: the dashboard on what was installed (its
 * namespace, the journal's components); NULL (the summary instead) when the
 * kubeconfig does not load, or after an uninstall. */
static struct screen *to_dashboard(struct runner *r, void *arg)
{
    struct launch *l = arg;
    if (l->kind != RUN_INSTALL)
        return NULL;
    const struct profile *p = &l->prof;
    struct dashboard_opts o = {.kubeconfig = l->ctx.kubeconfig,
                               .context = l->ctx.context,
                               .ns = str_empty(p->namespace) ? "dify" : p->namespace,
                               .journal_dir = l->state};
    struct error err;
    error_clear(&err);
    struct screen *s = dashboard_screen_new(&o, &err);
    if (!s)
        log_warn("the dashboard cannot open (%s): the summary instead", err.msg);
    return s;
}

struct screen *progress_launch(const struct install_opts *o, struct loop *loop,
                               struct screen *(*next)(struct runner *r, void *arg), void *next_arg,
                               struct error *err)
{
    struct launch *l = xcalloc(1, sizeof(*l));
    secrets_init(&l->sec);
    struct plan *plan = NULL;
    if (load(l, o, err) < 0)
        goto fail;
    l->answers = xstrdup(o->answers);
    l->kind = o->kind;
    l->state = o->state_dir ? xstrdup(o->state_dir) : install_state_dir_for(o->answers);
    if (journal_open(l->state, o->cmd, &l->j, err) < 0)
        goto fail;
    l->log_path = path_join(l->state, "install.log");
    if (log_open(l->log_path) == 0)
        log_info("dify-tui %s --answers %s (state %s), behind the progress pane", o->cmd,
                 o->answers, l->state);
    l->rendered = path_join(l->state, "rendered");
    struct plan_ctx *c = &l->ctx;
    c->loop = loop;
    install_ctx_fill(c, o, &l->prof, &l->sec);
    c->answers_path = l->answers;
    c->rendered_dir = l->rendered;
    c->state_dir = l->state;
    const struct profile *p = &l->prof;
    if (o->kind == RUN_INSTALL && render_to_dir(p, &l->sec, l->rendered, err) < 0)
        goto fail;
    if (install_build_plan(o, c, &plan, err) < 0)
        goto fail;
    const char *again[] = {"dify-tui", o->cmd, "--answers", o->answers, NULL};
    l->resume = proc_argv_string(again);
    l->subject = subject_for(p, c);
    struct runner_opts ro = {.ctx = c,
                             .journal = l->j,
                             .log_path = l->log_path,
                             .assume_yes = o->yes,
                             .assume_yes_data = o->yes && o->delete_data,
                             .stop_on_failure = false,
                             .redo = o->redo};
    struct progress_opts po = {.what = o->cmd,
                               .subject = l->subject,
                               .resume_cmd = l->resume,
                               .ctx = c,
                               .next = next ? next : to_dashboard,
                               .next_arg = next ? next_arg : l,
                               .release = launch_free,
                               .release_arg = l};
    return progress_screen_new(plan, &ro, &po);
fail:
    plan_free(plan);
    launch_free(l);
    return NULL;
}

int progress_run_app(const struct install_opts *o)
{
    struct error err;
    error_clear(&err);
    struct app app;
    if (app_init(&app, &err) < 0)
        return -1;
    struct screen *s = progress_launch(o, app.loop, NULL, NULL, &err);
    if (!s) {
        app_done(&app);
        fprintf(stderr, "dify-tui %s: %s\n", o->cmd, err.msg);
        return err.code == ERR_INVALID ? EXIT_BADINPUT : EXIT_FAIL;
    }
    app_push_now(&app, s);
    int status = app_run(&app);
    /* How it ended, said once the terminal is back. */
    struct runner *r = progress_screen_runner(s);
    enum runner_state st = runner_state(r);
    char *msg = textsafe(runner_message(r) ? runner_message(r) : "", 0, 0);
    char *log_path = runner_log_path(r) ? xstrdup(runner_log_path(r)) : NULL;
    app_done(&app);
    if (st == RUNNER_DONE) {
        printf("%s: done%s%s\n", o->cmd, log_path ? "; the full log is " : "",
               log_path ? log_path : "");
    } else {
        const char *how = st == RUNNER_FAILED    ? "failed"
                          : st == RUNNER_ABORTED ? "stopped"
                                                 : "left before it ended";
        printf("%s: %s%s%s\n", o->cmd, how, *msg ? ": " : "", msg);
        printf("%s: run the same command again to resume%s%s\n", o->cmd,
               log_path ? "; the full log is " : "", log_path ? log_path : "");
        if (status == EXIT_OK)
            status = EXIT_FAIL;
    }
    free(msg);
    free(log_path);
    return status;
}
