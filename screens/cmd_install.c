/* screens/cmd_install.c: `dify-tui install` and `dify-tui uninstall`.
 *
 *   install --answers FILE [--secrets FILE] [--state-dir DIR] [--dry-run] [--yes] [--no-tui]
 *
 * Loads and validates the answers and secrets (missing secrets are
 * generated and saved, as render does), renders into STATE/rendered, takes
 * the state directory's lock and journal, builds the plan and runs it.
 * --dry-run renders into a temporary directory, prints the plan (every
 * command's argv and every object, Secret values masked) and changes
 * nothing: no state directory, no saved secrets, no request. --no-tui (or
 * no terminal) prints progress as lines; Ctrl-C stops the running steps
 * cleanly (a second one at once) and leaves a journal the next run resumes
 * from. Every string from a tool or the cluster passes core/textsafe. */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/journal.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/plan.h"
#include "core/problems.h"
#include "core/profile.h"
#include "core/render.h"
#include "core/runner.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "core/validate.h"
#include "screens/cmd_args.h"
#include "screens/cmd_install.h"
#include "screens/cmds.h"
#include "screens/progress.h"

char *install_state_dir_for(const char *answers)
{
    char *base = xstrdup(answers);
    char *slash = strrchr(base, '/');
    char *dot = strrchr(slash ? slash + 1 : base, '.');
    if (dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
        *dot = '\0';
    char *dir = xasprintf("%s.state", base);
    free(base);
    return dir;
}

/* ---- loading ---- */

static size_t print_problems(const char *prefix, const struct problems *ps, bool only_secrets)
{
    size_t nerr = 0;
    for (size_t i = 0; i < ps->n; i++) {
        if (only_secrets && !str_starts_with(ps->v[i].path, "secrets."))
            continue;
        char *line = problem_format(&ps->v[i]);
        fprintf(stderr, "%s%s%s\n", prefix ? prefix : "", prefix ? ": " : "", line);
        free(line);
        nerr += !ps->v[i].warning;
    }
    return nerr;
}

/* Answers and secrets, validated; generated secrets saved unless dry. */
int install_load_inputs(const struct install_opts *o, struct profile *p, struct secrets *s)
{
    struct problems probs;
    struct error err;
    problems_init(&probs);
    error_clear(&err);
    char *secrets_path = o->secrets ? xstrdup(o->secrets) : secrets_path_for(o->answers);
    int rc = EXIT_BADINPUT;
    int lrc = answers_load(o->answers, p, &probs, &err);
    if (secrets_load(secrets_path, s, &probs, &err) < 0)
        lrc = -1;
    if (print_problems(NULL, &probs, false) > 0 || lrc < 0) {
        if (probs.n == 0 && error_is_set(&err))
            fprintf(stderr, "dify-tui %s: %s\n", o->cmd, err.msg);
        goto out;
    }
    int generated = secrets_fill(s, p, &err);
    if (generated < 0) {
        fprintf(stderr, "dify-tui %s: %s\n", o->cmd, err.msg);
        rc = EXIT_FAIL;
        goto out;
    }
    struct problems sp;
    problems_init(&sp);
    profile_validate(p, s, &sp);
    size_t nerr = print_problems(secrets_path, &sp, true);
    problems_done(&sp);
    if (nerr)
        goto out;
    if (generated > 0 && !o->dry_run) {
        if (secrets_save(secrets_path, s, &err) < 0) {
            fprintf(stderr, "dify-tui %s: %s\n", o->cmd, err.msg);
            rc = EXIT_FAIL;
            goto out;
        }
        printf("generated %d secret%s into %s\n", generated, generated == 1 ? "" : "s",
               secrets_path);
    } else if (generated > 0) {
        printf("(%d missing secret%s would be generated and saved into %s)\n", generated,
               generated == 1 ? "" : "s", secrets_path);
    }
    rc = EXIT_OK;
out:
    problems_done(&probs);
    free(secrets_path);
    return rc;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    return remove(path);
}

void install_rm_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void install_print_dry_plan(const struct plan *plan)
{
    struct strbuf sb;
    strbuf_init(&sb);
    plan_describe(plan, &sb);
    char *safe = textsafe(sb.buf, TEXTSAFE_KEEP_NL, 0);
    fputs(safe, stdout);
    free(safe);
    strbuf_done(&sb);
    printf("\n(dry run: nothing was changed)\n");
}

/* ---- the line printer ---- */

struct lines {
    struct runner *r;
    struct loop *loop;
    struct strbuf rows; /* "STEP\tKEY\tSTATE STATUS\n" as last printed */
    bool asking, stdin_on_loop;
    struct strbuf answer;
    int sigints;
};

static void out_line(const char *prefix, const char *id, const char *text)
{
    char *safe = textsafe(text, 0, 0);
    printf("%s%s%s%s\n", prefix, id ? id : "", id ? ": " : "", safe);
    free(safe);
    fflush(stdout);
}

static const char *state_word(enum step_state st)
{
    static const char *const w[] = {"pending", "start", "ok", "FAILED", "skip"};
    return w[st];
}

static void print_step(struct lines *lp, size_t i)
{
    const struct runner_step_info *s = runner_step(lp->r, i);
    char when[64] = "";
    if (s->state == STEP_RUNNING && s->retry_at_ms) {
        out_line("  ... ", s->id, s->message ? s->message : "retrying");
        return;
    }
    switch (s->state) {
    case STEP_PENDING:
        return;
    case STEP_RUNNING:
        if (s->status) /* a status line: not printed, the rows are */
            return;
        if (s->attempt > 1)
            snprintf(when, sizeof(when), " (attempt %d of %d)", s->attempt, s->max_attempts);
        {
            char *t = xasprintf("%s%s", s->title, when);
            out_line("==> ", s->id, t);
            free(t);
        }
        return;
    case STEP_DONE:
    case STEP_SKIPPED: {
        long long ms = s->ended_ms && s->started_ms ? s->ended_ms - s->started_ms : -1;
        if (ms >= 0 && !s->resumed && s->state == STEP_DONE)
            snprintf(when, sizeof(when), " (%lld.%01lld s)", ms / 1000, (ms % 1000) / 100);
        char *t = xasprintf("%s%s%s", s->message ? s->message : s->title, when,
                            s->state == STEP_SKIPPED && !s->message ? "" : "");
        out_line(s->state == STEP_DONE ? "ok   " : "skip ", s->id, t);
        free(t);
        return;
    }
    case STEP_FAILED: {
        out_line("FAIL ", s->id, s->message ? s->message : "failed");
        if (s->hint)
            out_line("     hint: ", NULL, s->hint);
        const struct runner_detail *d = runner_step_detail(lp->r, i);
        if (d->ntail) {
            printf("     %s:\n", d->tail_title ? d->tail_title : "last lines");
            for (size_t k = 0; k < d->ntail; k++)
                out_line("       | ", NULL, d->tail[k]);
        } else {
            const char *const *lines;
            size_t n = runner_step_lines(lp->r, i, &lines);
            size_t from = n > 10 ? n - 10 : 0;
            if (n)
                printf("     last output:\n");
            for (size_t k = from; k < n; k++)
                out_line("       | ", NULL, lines[k]);
        }
        return;
    }
    }
    (void)state_word;
}

/* Rows are printed when their state or status changes. */
static void print_rows(struct lines *lp, size_t i)
{
    const struct runner_detail *d = runner_step_detail(lp->r, i);
    const char *id = runner_step(lp->r, i)->id;
    static const char *const states[] = {"waiting", "working", "done", "failed"};
    for (size_t k = 0; k < d->nrows; k++) {
        const struct runner_row *row = &d->rows[k];
        if (row->state == ROW_WAITING)
            continue;
        char *key = xasprintf("%s\t%s\t", id, row->key);
        char *val = xasprintf("%s %s\n", states[row->state], row->status ? row->status : "");
        char *at = strstr(lp->rows.buf, key);
        bool same = false;
        if (at) {
            char *v = at + strlen(key);
            char *nl = strchr(v, '\n');
            same = nl && (size_t)(nl + 1 - v) == strlen(val) && strncmp(v, val, strlen(val)) == 0;
            if (!same) {
                /* drop the old entry */
                memmove(at, nl + 1, strlen(nl + 1) + 1);
                lp->rows.len = strlen(lp->rows.buf);
            }
        }
        if (!same) {
            strbuf_adds(&lp->rows, key);
            strbuf_adds(&lp->rows, val);
            char *t =
                xasprintf("%s: %s", row->label, row->status ? row->status : states[row->state]);
            out_line("     ", id, t);
            free(t);
        }
        free(key);
        free(val);
    }
}

static void on_stdin(struct loop *l, int fd, int events, void *arg)
{
    struct lines *lp = arg;
    char buf[256];
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) {
        loop_del_fd(l, fd);
        lp->stdin_on_loop = false;
        if (lp->asking) {
            lp->asking = false;
            printf("(no answer: taken as no)\n");
            runner_answer(lp->r, false);
        }
        return;
    }
    strbuf_add(&lp->answer, buf, (size_t)n);
    char *nl = strchr(lp->answer.buf, '\n');
    if (!nl || !lp->asking)
        return;
    *nl = '\0';
    bool yes = lp->answer.buf[0] == 'y' || lp->answer.buf[0] == 'Y';
    strbuf_reset(&lp->answer);
    lp->asking = false;
    loop_del_fd(l, fd);
    lp->stdin_on_loop = false;
    runner_answer(lp->r, yes);
}

static void print_question(struct lines *lp)
{
    bool loses = false;
    size_t step = 0;
    const char *q = runner_question(lp->r, &loses, &step);
    if (!q)
        return;
    out_line("???  ", runner_step(lp->r, step)->id, q);
    if (!isatty(STDIN_FILENO)) {
        printf("     (no terminal to ask: taken as no; run with --yes%s to answer yes)\n",
               loses ? " --delete-data" : "");
        fflush(stdout);
        runner_answer(lp->r, false);
        return;
    }
    printf("     answer y or n: ");
    fflush(stdout);
    lp->asking = true;
    if (!lp->stdin_on_loop) {
        loop_add_fd(lp->loop, STDIN_FILENO, LOOP_READ, on_stdin, lp);
        lp->stdin_on_loop = true;
    }
}

static void on_event(struct runner *r, const struct runner_event *ev, void *arg)
{
    struct lines *lp = arg;
    switch (ev->type) {
    case RUNNER_EV_STEP:
        print_step(lp, ev->step);
        break;
    case RUNNER_EV_LINE:
        out_line("     ", runner_step(r, ev->step)->id, ev->line);
        break;
    case RUNNER_EV_DETAIL:
        print_rows(lp, ev->step);
        break;
    case RUNNER_EV_STATE:
        if (runner_state(r) == RUNNER_ASKING)
            print_question(lp);
        break;
    }
}

static void on_signal(struct loop *l, int signo, void *arg)
{
    struct lines *lp = arg;
    lp->sigints++;
    if (lp->sigints == 1)
        printf("\n%s: stopping the running steps cleanly (again to stop at once); the next run "
               "resumes where this one stopped\n",
               signo == SIGINT ? "Ctrl-C" : "terminated");
    fflush(stdout);
    runner_abort(lp->r);
}

/* ---- running ---- */

void install_ctx_fill(struct plan_ctx *c, const struct install_opts *o, const struct profile *p,
                      const struct secrets *s)
{
    c->profile = p;
    c->secrets = s;
    c->answers_path = o->answers;
    c->kubeconfig = o->g && o->g->kubeconfig            ? o->g->kubeconfig
                    : !str_empty(p->cluster.kubeconfig) ? p->cluster.kubeconfig
                                                        : NULL;
    c->context = o->g && o->g->context            ? o->g->context
                 : !str_empty(p->cluster.context) ? p->cluster.context
                                                  : NULL;
    c->demo = o->demo;
    c->db_reach_host = o->db_reach_host;
    c->db_reach_port = o->db_reach_port;
    c->rollout_timeout_ms = o->rollout_timeout_ms;
    c->migration_timeout_ms = o->migration_timeout_ms;
}

int install_build_plan(const struct install_opts *o, struct plan_ctx *c, struct plan **plan,
                       struct error *err)
{
    int rc = o->kind == RUN_UNINSTALL ? plan_build_uninstall(c, plan, err)
             : o->kind == RUN_UPGRADE ? plan_build_upgrade(c, plan, err)
                                      : plan_build_install(c, plan, err);
    if (rc == 0 && o->extend) {
        o->extend(*plan, c, o->extend_arg);
        plan_sort_stages(*plan);
        if (plan_check(*plan, err) < 0) {
            plan_free(*plan);
            *plan = NULL;
            return -1;
        }
    }
    return rc;
}

static int dry_run(const struct install_opts *o, struct plan_ctx *c)
{
    struct error err;
    error_clear(&err);
    const char *tmp = getenv("TMPDIR");
    char *dir = xasprintf("%s/dify-tui-dry-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int rc = EXIT_FAIL;
    if (!mkdtemp(dir)) {
        fprintf(stderr, "dify-tui %s: cannot make a temporary directory: %s\n", o->cmd,
                strerror(errno));
        free(dir);
        return EXIT_FAIL;
    }
    char *rdir = path_join(dir, "rendered");
    struct plan *plan = NULL;
    c->rendered_dir = rdir;
    c->state_dir = NULL;
    if (render_to_dir(c->profile, c->secrets, rdir, &err) < 0 ||
        install_build_plan(o, c, &plan, &err) < 0) {
        fprintf(stderr, "dify-tui %s: %s\n", o->cmd, err.msg);
    } else {
        install_print_dry_plan(plan);
        rc = EXIT_OK;
    }
    plan_free(plan);
    install_rm_tree(dir);
    free(rdir);
    free(dir);
    return rc;
}

static int run_plan(const struct install_opts *o, struct plan_ctx *c, const char *state)
{
    struct error err;
    error_clear(&err);
    struct journal *j = NULL;
    if (journal_open(state, o->cmd, &j, &err) < 0) {
        fprintf(stderr, "dify-tui %s: %s\n", o->cmd, err.msg);
        return EXIT_FAIL;
    }
    char *log_path = path_join(state, "install.log");
    log_info("%s: the full log of this run is %s", o->cmd, log_path);
    if (log_open(log_path) == 0)
        log_info("dify-tui %s --answers %s (state %s)", o->cmd, o->answers, state);
    char *rdir = path_join(state, "rendered");
    c->rendered_dir = rdir;
    c->state_dir = state;
    struct plan *plan = NULL;
    int rc = EXIT_FAIL;
    if (o->kind == RUN_INSTALL && render_to_dir(c->profile, c->secrets, rdir, &err) < 0) {
        fprintf(stderr, "dify-tui %s: rendering into %s: %s\n", o->cmd, rdir, err.msg);
        goto out;
    }
    if (install_build_plan(o, c, &plan, &err) < 0) {
        fprintf(stderr, "dify-tui %s: %s\n", o->cmd, err.msg);
        rc = err.code == ERR_INVALID ? EXIT_BADINPUT : EXIT_FAIL;
        goto out;
    }
    printf("%s: %zu steps; state in %s, full log in %s\n", o->cmd, plan_count(plan), state,
           log_path);
    fflush(stdout);
    char *msg = NULL;
    enum runner_state st = install_run_lines(o, c, j, plan, log_path, &msg);
    plan = NULL;
    if (st == RUNNER_DONE) {
        printf("%s: done\n", o->cmd);
        rc = EXIT_OK;
    } else {
        char *safe = textsafe(msg ? msg : "", 0, 0);
        printf("%s: %s%s%s\n", o->cmd, st == RUNNER_ABORTED ? "stopped" : "failed",
               safe[0] ? ": " : "", safe);
        free(safe);
        printf("%s: run the same command again to resume; the full log is %s\n", o->cmd, log_path);
        rc = EXIT_FAIL;
    }
    free(msg);
out:
    plan_free(plan);
    journal_close(j);
    free(rdir);
    free(log_path);
    return rc;
}

enum runner_state install_run_lines(const struct install_opts *o, struct plan_ctx *c,
                                    struct journal *j, struct plan *plan, const char *log_path,
                                    char **msg_out)
{
    struct lines lp = {0};
    strbuf_init(&lp.rows);
    strbuf_init(&lp.answer);
    lp.loop = c->loop;
    struct runner_opts ro = {.ctx = c,
                             .journal = j,
                             .log_path = log_path,
                             .assume_yes = o->yes,
                             .assume_yes_data = o->yes && o->delete_data,
                             .stop_on_failure = true,
                             .redo = o->redo,
                             .on_event = on_event,
                             .arg = &lp};
    lp.r = runner_new(plan, &ro);
    plan = NULL;
    loop_watch_signal(c->loop, SIGINT, on_signal, &lp);
    loop_watch_signal(c->loop, SIGTERM, on_signal, &lp);
    runner_start(lp.r);
    while (!runner_finished(lp.r))
        loop_run_once(c->loop, -1);
    enum runner_state st = runner_state(lp.r);
    const char *msg = runner_message(lp.r);
    *msg_out = msg ? xstrdup(msg) : NULL;
    if (lp.stdin_on_loop)
        loop_del_fd(c->loop, STDIN_FILENO);
    runner_free(lp.r);
    strbuf_done(&lp.rows);
    strbuf_done(&lp.answer);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    return st;
}

int install_run(const struct install_opts *o)
{
    struct profile p;
    struct secrets s;
    secrets_init(&s);
    int rc = install_load_inputs(o, &p, &s);
    /* On a terminal, once every problem and generated secret was printed:
     * the run behind the progress pane (screens/progress_launch.c), unless
     * the terminal cannot show it. */
    if (rc == EXIT_OK && !o->dry_run && !o->no_tui && !o->loop && isatty(STDIN_FILENO) &&
        isatty(STDOUT_FILENO)) {
        fflush(stdout);
        int trc = progress_run_app(o);
        if (trc >= 0) {
            secrets_done(&s);
            profile_done(&p);
            return trc;
        }
    }
    if (rc != EXIT_OK) {
        secrets_done(&s);
        profile_done(&p);
        return rc;
    }
    struct loop *own = o->loop ? NULL : loop_new();
    struct plan_ctx c = {0};
    c.loop = o->loop ? o->loop : own;
    install_ctx_fill(&c, o, &p, &s);
    if (o->dry_run) {
        rc = dry_run(o, &c);
    } else {
        char *state = o->state_dir ? xstrdup(o->state_dir) : install_state_dir_for(o->answers);
        rc = run_plan(o, &c, state);
        free(state);
    }
    if (own)
        loop_free(own);
    secrets_done(&s);
    profile_done(&p);
    return rc;
}

/* ---- the commands ---- */

/* --db-address HOST:PORT (HOST may be empty: the profile's host name, at
 * another port) */
static int parse_db_address(struct install_opts *o, const char *v)
{
    const char *colon = strrchr(v, ':');
    if (!colon || !colon[1])
        return -1;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port <= 0 || port > 65535)
        return -1;
    free(o->db_reach_host_buf);
    o->db_reach_host_buf = colon > v ? xstrndup(v, (size_t)(colon - v)) : NULL;
    o->db_reach_host = o->db_reach_host_buf;
    o->db_reach_port = (int)port;
    return 0;
}

int install_parse(int argc, char **argv, struct install_opts *o, const struct command *cmd)
{
    const char *secs[2] = {NULL, NULL};
    const char *db_address = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        const char *name = NULL;
        if (!strcmp(a, "--dry-run"))
            o->dry_run = true;
        else if (!strcmp(a, "--yes") || !strcmp(a, "-y"))
            o->yes = true;
        else if (!strcmp(a, "--no-tui"))
            o->no_tui = true;
        else if (!strcmp(a, "--redo") && o->kind == RUN_INSTALL)
            o->redo = true;
        else if (!strcmp(a, "--delete-data") && o->kind == RUN_UNINSTALL)
            o->delete_data = true;
        else if (!strcmp(a, "--no-rollback") && o->kind == RUN_UPGRADE)
            o->no_rollback = true;
        else if (!strcmp(a, "--rollback") && o->kind == RUN_UPGRADE)
            o->rollback = true;
        else if (str_starts_with(a, "--answers"))
            dst = &o->answers, name = "--answers";
        else if (str_starts_with(a, "--secrets"))
            dst = &o->secrets, name = "--secrets";
        else if (str_starts_with(a, "--state-dir"))
            dst = &o->state_dir, name = "--state-dir";
        else if (o->kind == RUN_UPGRADE &&
                 (!strcmp(a, "--state") || str_starts_with(a, "--state=")))
            dst = &o->state_dir, name = "--state";
        else if (str_starts_with(a, "--db-address") && o->kind != RUN_UNINSTALL)
            dst = &db_address, name = "--db-address";
        else if (str_starts_with(a, "--rollout-timeout"))
            dst = &secs[0], name = "--rollout-timeout";
        else if (str_starts_with(a, "--migration-timeout"))
            dst = &secs[1], name = "--migration-timeout";
        else {
            fprintf(stderr, "dify-tui %s: unknown argument %s\n%s", o->cmd, a, cmd->usage);
            return -1;
        }
        if (!dst)
            continue;
        size_t n = strlen(name);
        if (a[n] == '=') {
            *dst = a + n + 1;
        } else if (a[n] == '\0' && i + 1 < argc) {
            *dst = argv[++i];
        } else {
            fprintf(stderr, "dify-tui %s: %s needs a value\n%s", o->cmd, name, cmd->usage);
            return -1;
        }
        if (dst == &secs[0] || dst == &secs[1]) {
            char *end;
            long v = strtol(*dst, &end, 10);
            if (*end || v <= 0 || v > 24 * 3600) {
                fprintf(stderr, "dify-tui %s: %s %s: a number of seconds from 1 to 86400\n", o->cmd,
                        name, *dst);
                return -1;
            }
            *(dst == &secs[0] ? &o->rollout_timeout_ms : &o->migration_timeout_ms) = v * 1000;
            continue;
        }
        if (dst == &db_address) {
            if (parse_db_address(o, db_address) < 0) {
                fprintf(stderr,
                        "dify-tui %s: --db-address %s: expected HOST:PORT (where this machine "
                        "reaches the database, e.g. 127.0.0.1:15432 through a port-forward)\n",
                        o->cmd, db_address);
                return -1;
            }
            continue;
        }
        if (!cmd_path_ok(o->cmd, name, *dst))
            return -1;
    }
    if (!o->answers) {
        fprintf(stderr, "dify-tui %s: --answers FILE is required\n%s", o->cmd, cmd->usage);
        return -1;
    }
    return 0;
}

static int cmd_install_run(int argc, char **argv, const struct global_opts *g)
{
    struct install_opts o = {.kind = RUN_INSTALL, .cmd = "install", .g = g};
    int rc = install_parse(argc, argv, &o, &cmd_install) < 0 ? EXIT_BADINPUT : install_run(&o);
    free(o.db_reach_host_buf);
    return rc;
}

static int cmd_uninstall_run(int argc, char **argv, const struct global_opts *g)
{
    struct install_opts o = {.kind = RUN_UNINSTALL, .cmd = "uninstall", .g = g};
    if (install_parse(argc, argv, &o, &cmd_uninstall) < 0)
        return EXIT_BADINPUT;
    return install_run(&o);
}

const struct command cmd_install = {
    "install", "run the install plan for an answers file (resumes an interrupted one)",
    "usage: dify-tui install --answers FILE [--secrets FILE] [--state-dir DIR]\n"
    "                        [--dry-run] [--yes] [--no-tui] [--redo]\n"
    "                        [--db-address HOST:PORT]\n"
    "  Renders, then runs every step: preflight, infrastructure, namespace, Secrets,\n"
    "  database, migration Job, application, rollouts, checks. Steps that finished\n"
    "  before with the same inputs are skipped; an interrupted run resumes.\n"
    "  --dry-run    print each step's commands and objects (Secrets masked); change nothing\n"
    "  --yes        answer the questions (not those that delete data)\n"
    "  --no-tui     print progress as lines (also without a terminal)\n"
    "  --redo       run every step again, even those the journal says finished\n"
    "  --state-dir  the journal, lock, log and rendered files (default: FILE's\n"
    "               name with .state instead of .yaml, beside it)\n"
    "  --db-address where this machine reaches the database when not at db.host:db.port\n"
    "               (a port-forward); without it a name known only inside the cluster\n"
    "               leaves the databases to the database Job\n"
    "  --rollout-timeout S, --migration-timeout S\n"
    "               how long to wait for each component (600) and the migration Job (900)\n"
    "  Exit status: 0 installed, 1 a step failed or the run was stopped, 2 bad input.\n",
    cmd_install_run};

const struct command cmd_uninstall = {
    "uninstall", "remove the release: load balancers first, volumes only when asked",
    "usage: dify-tui uninstall --answers FILE [--secrets FILE] [--state-dir DIR]\n"
    "                          [--dry-run] [--yes [--delete-data]] [--no-tui]\n"
    "  Removes the release in the order that lets Terraform destroy the VPC after it:\n"
    "  ingresses and LoadBalancer Services first (their load balancers), then the\n"
    "  application, then (after asking) the volumes and the namespace.\n"
    "  --yes answers the questions that lose no data; --delete-data also those that do.\n"
    "  Exit status: 0 removed, 1 a step failed or the run was stopped, 2 bad input.\n",
    cmd_uninstall_run};
