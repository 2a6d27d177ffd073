/* screens/cmd_upgrade.c: `dify-tui upgrade`.
 *
 *   upgrade --answers FILE [--secrets FILE] [--state DIR] [--dry-run] [--yes]
 *           [--no-tui] [--no-rollback | --rollback] [--db-address HOST:PORT]
 *
 * What it does, in order (docs/runner.md, "dify-tui upgrade"):
 *  1. loads and validates the answers and secrets as install does, reads
 *     the state directory's history: an upgrade needs a finished install;
 *  2. renders the new revision in memory and compares it with the one
 *     that runs (core/upgrade: values and objects, old and new lines,
 *     secrets masked); refuses an api/plugin daemon pair that does not go
 *     together, warns on one it cannot check; nothing to change is exit 0;
 *  3. asks (--yes answers; without a terminal and without --yes it
 *     refuses, exit 2), takes the state directory's lock, keeps a copy of
 *     the running revision's rendering (STATE/deployed), writes the new one
 *     (STATE/rendered) and runs the install's steps as an "upgrade" plan:
 *     the migration Job of the new revision before the application, then
 *     the rolling update watched, then the checks;
 *  4. when it fails, offers to roll back (--yes: rolls back unattended;
 *     --no-rollback: leaves it for a look) to the last revision that
 *     finished: `helm rollback` to its release revision, or that
 *     revision's objects applied again, and the rollouts waited for. The
 *     journal records each run, so `dify-tui history` lists upgraded,
 *     failed, rolled back. --rollback does only step 4.
 * Progress is the progress pane on a terminal, lines with --no-tui (or no
 * terminal). Every string from a tool or the cluster passes core/textsafe;
 * secrets are masked everywhere (registered when the secrets load). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/history.h"
#include "core/journal.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/plan.h"
#include "core/proc.h"
#include "core/profile.h"
#include "core/render.h"
#include "core/runner.h"
#include "core/textsafe.h"
#include "core/upgrade.h"
#include "core/util.h"
#include "screens/app.h"
#include "screens/cmd_install.h"
#include "screens/cmds.h"
#include "screens/progress.h"

#define DAEMON_REPO "langgenius/dify-plugin-daemon"

struct up {
    struct install_opts o;
    struct profile prof;
    struct secrets sec;
    bool have_prof;
    struct plan_ctx c;
    struct loop *loop;
    char *state, *rendered, *deployed, *log_path, *subject, *resume;
    struct history h;
    const struct history_run *good;
    struct journal *j;
    bool tui;
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *t = xvasprintf(fmt, ap);
    va_end(ap);
    char *red = log_redact(t);
    char *safe = textsafe(red, TEXTSAFE_KEEP_NL, 0);
    printf("%s\n", safe);
    fflush(stdout);
    free(safe);
    free(red);
    free(t);
}

static bool has_rendering(const char *dir)
{
    char *rec = path_join(dir, RENDER_MANIFEST);
    bool ok = access(rec, R_OK) == 0;
    free(rec);
    return ok;
}

/* y or n on the terminal; anything else, or no answer, is no. */
static bool ask_tty(const char *q)
{
    printf("%s [y/N] ", q);
    fflush(stdout);
    char buf[64];
    if (!fgets(buf, sizeof(buf), stdin))
        return false;
    return buf[0] == 'y' || buf[0] == 'Y';
}

/* ---- running a plan: the pane on a terminal, else lines ---- */

static enum runner_state run_plan(struct up *u, struct plan *plan, char **msg)
{
    *msg = NULL;
    if (u->tui) {
        struct error err;
        error_clear(&err);
        struct app app;
        if (app_init(&app, &err) == 0) {
            u->c.loop = app.loop;
            struct runner_opts ro = {.ctx = &u->c,
                                     .journal = u->j,
                                     .log_path = u->log_path,
                                     .assume_yes = u->o.yes,
                                     .stop_on_failure = false};
            struct progress_opts po = {.what = plan_what(plan),
                                       .subject = u->subject,
                                       .resume_cmd = u->resume,
                                       .ctx = &u->c};
            struct screen *s = progress_screen_new(plan, &ro, &po);
            app_push_now(&app, s);
            app_run(&app);
            struct runner *r = progress_screen_runner(s);
            enum runner_state st = runner_state(r);
            if (runner_message(r))
                *msg = xstrdup(runner_message(r));
            /* On the pane a failed step waits for retry, skip or abort:
             * stopped after a step failed (not because it was interrupted)
             * is a failure, and the rollback is offered. */
            for (size_t i = 0; st == RUNNER_ABORTED && i < runner_step_count(r); i++) {
                const struct runner_step_info *si = runner_step(r, i);
                if (si->state == STEP_FAILED && si->message &&
                    !str_starts_with(si->message, "interrupted") &&
                    !str_eq(si->message, "cancelled")) {
                    st = RUNNER_FAILED;
                    free(*msg);
                    *msg = xasprintf("%s failed: %s", si->title, si->message);
                }
            }
            app_done(&app);
            u->c.loop = u->loop;
            /* left before it ended (q while a step was stuck): not done */
            return st == RUNNER_DONE || st == RUNNER_ABORTED ? st : RUNNER_FAILED;
        }
        log_warn("the progress pane cannot start (%s): progress as lines", err.msg);
    }
    u->c.loop = u->loop;
    return install_run_lines(&u->o, &u->c, u->j, plan, u->log_path, msg);
}

/* ---- the rollback ---- */

static int rollback(struct up *u)
{
    const struct history_run *g = u->good;
    if (!str_eq(g->method, "helm") && !has_rendering(u->deployed)) {
        say("upgrade: cannot roll back: %s holds no copy of the rendering of Dify %s (it is kept "
            "from the first upgrade on)",
            u->deployed, g->image_tag ? g->image_tag : "?");
        return EXIT_FAIL;
    }
    struct error err;
    error_clear(&err);
    u->c.rendered_dir = u->deployed;
    struct plan *plan = NULL;
    if (plan_build_rollback(&u->c, g, &plan, &err) < 0) {
        say("upgrade: cannot roll back: %s", err.msg);
        return EXIT_FAIL;
    }
    /* what the run deploys, as the pane's summary says it */
    if (g->image_tag)
        str_replace(&u->prof.image_tag, g->image_tag);
    say("rollback: back to Dify %s (%s%s%s), the last revision that finished", g->image_tag,
        g->method ? g->method : "?", g->helm_revision ? ", Helm revision " : "",
        g->helm_revision ? g->helm_revision : "");
    char *msg = NULL;
    enum runner_state st = run_plan(u, plan, &msg);
    int rc = EXIT_OK;
    if (st == RUNNER_DONE) {
        say("rollback: done: Dify %s runs again and every component is ready; `dify-tui "
            "history` lists the upgrade as rolled back",
            g->image_tag);
    } else {
        say("rollback: %s%s%s", st == RUNNER_ABORTED ? "stopped" : "failed", msg ? ": " : "",
            msg ? msg : "");
        say("rollback: `dify-tui upgrade --answers %s --rollback` tries it again; the full log "
            "is %s",
            u->o.answers, u->log_path);
        rc = EXIT_FAIL;
    }
    free(msg);
    return rc;
}

/* After a failed upgrade: roll back? --yes: yes (unattended, the safe
 * side); --no-rollback: no; on a terminal: asked. */
static int after_failure(struct up *u)
{
    const char *to = u->good->image_tag ? u->good->image_tag : "?";
    bool yes;
    if (u->o.no_rollback) {
        say("upgrade: left as it is (--no-rollback): `dify-tui upgrade --answers %s --rollback` "
            "goes back to Dify %s, the same command without it tries again",
            u->o.answers, to);
        return EXIT_FAIL;
    }
    if (u->o.yes) {
        say("upgrade: rolling back to Dify %s (--yes rolls a failed upgrade back; "
            "--no-rollback leaves it)",
            to);
        yes = true;
    } else if (isatty(STDIN_FILENO)) {
        char *q = xasprintf("Roll back to Dify %s, the last revision that finished?", to);
        yes = ask_tty(q);
        free(q);
    } else {
        yes = false;
    }
    if (!yes) {
        say("upgrade: not rolled back: `dify-tui upgrade --answers %s --rollback` goes back to "
            "Dify %s later; the same command without it tries the upgrade again",
            u->o.answers, to);
        return EXIT_FAIL;
    }
    rollback(u);
    return EXIT_FAIL; /* the upgrade failed, rolled back or not */
}

/* ---- the upgrade ---- */

/* The history, and what it says about this state directory: 0, or an exit
 * status after saying why nothing can be upgraded. */
static int read_history(struct up *u)
{
    history_done(&u->h);
    struct error err;
    error_clear(&err);
    if (history_load(u->state, &u->h, &err) < 0) {
        say("dify-tui upgrade: %s", err.msg);
        return EXIT_FAIL;
    }
    u->good = history_last_good(&u->h, u->h.n);
    const struct history_run *last = u->h.n ? &u->h.v[u->h.n - 1] : NULL;
    if (!u->good || (last && str_eq(last->what, "uninstall") && str_eq(last->result, "done"))) {
        fprintf(stderr,
                "dify-tui upgrade: %s records no installed release%s: there is nothing to "
                "upgrade; `dify-tui install --answers %s` installs it\n",
                u->state, u->good ? " (the last run removed it)" : "", u->o.answers);
        return EXIT_BADINPUT;
    }
    return 0;
}

/* The rendering of what runs now: STATE/rendered when the last run was an
 * install or upgrade that finished, else the copy kept in STATE/deployed. */
static const char *running_rendering(struct up *u, bool *current)
{
    const struct history_run *last = &u->h.v[u->h.n - 1];
    *current = str_eq(last->result, "done") &&
               (str_eq(last->what, "install") || str_eq(last->what, "upgrade"));
    if (*current || !has_rendering(u->deployed))
        return u->rendered;
    return u->deployed;
}

static int dry_run_plan(struct up *u, const struct rendered *now, const char *daemon)
{
    struct error err;
    error_clear(&err);
    const char *tmp = getenv("TMPDIR");
    char *dir = xasprintf("%s/dify-tui-dry-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        say("dify-tui upgrade: cannot make a temporary directory: %s", strerror(errno));
        free(dir);
        return EXIT_FAIL;
    }
    char *rdir = path_join(dir, "rendered");
    struct plan *plan = NULL;
    int rc = EXIT_FAIL;
    u->c.rendered_dir = rdir;
    u->c.state_dir = NULL;
    if (rendered_write(now, rdir, &err) < 0 || plan_build_upgrade(&u->c, &plan, &err) < 0 ||
        steps_upgrade_target_add(plan, &u->c, u->good->image_tag, daemon, &err) < 0) {
        say("dify-tui upgrade: %s", err.msg);
    } else {
        plan_sort_stages(plan);
        install_print_dry_plan(plan);
        rc = EXIT_OK;
    }
    plan_free(plan);
    install_rm_tree(dir);
    free(rdir);
    free(dir);
    return rc;
}

static int upgrade(struct up *u)
{
    struct error err;
    error_clear(&err);
    int rc = read_history(u);
    if (rc)
        return rc;
    bool current;
    const char *base = running_rendering(u, &current);
    /* a copy: the history is read again once the lock is taken */
    char *from = xstrdup_or_null(u->good->image_tag);
    const struct profile *p = &u->prof;

    struct rendered now = {0};
    if (render_profile(p, &u->sec, &now, &err) < 0) {
        say("dify-tui upgrade: rendering: %s", err.msg);
        return err.code == ERR_INVALID ? EXIT_BADINPUT : EXIT_FAIL;
    }
    char *daemon = upgrade_rendered_tag(&now, DAEMON_REPO);
    char msg[512];
    int pair = upgrade_check_pair(p->image_tag, daemon, msg, sizeof(msg));
    say("upgrade: Dify %s -> %s (%s), release %s in namespace %s; state in %s", from ? from : "?",
        p->image_tag, method_names[p->method], p->release, p->namespace, u->state);
    if (pair < 0) {
        say("dify-tui upgrade: refused: %s; nothing was changed", msg);
        rc = EXIT_BADINPUT;
        goto out;
    }
    say(pair > 0 ? "warning: %s" : "versions: %s", msg);

    struct up_diff d;
    upgrade_diff(base, &now, &d, &err);
    struct strbuf sb;
    strbuf_init(&sb);
    upgrade_diff_describe(&d, 40, &sb);
    say("\nwhat changes (old: %s, new: %s):\n%s", base, u->o.answers, sb.buf);
    strbuf_done(&sb);
    size_t nchanged = d.n;
    upgrade_diff_done(&d);
    if (nchanged == 0 && current) {
        say("upgrade: nothing to do: Dify %s runs as these answers describe", from);
        rc = EXIT_OK;
        goto out;
    }
    if (nchanged == 0)
        say("upgrade: the rendering is the one of the last run, which did not finish: its steps "
            "run again");
    if (u->o.dry_run) {
        rc = dry_run_plan(u, &now, daemon);
        goto out;
    }
    if (!u->o.yes) {
        if (!isatty(STDIN_FILENO)) {
            fprintf(stderr, "dify-tui upgrade: no terminal to confirm on: nothing was changed; "
                            "run with --yes to upgrade unattended (a failed upgrade is then "
                            "rolled back unless --no-rollback)\n");
            rc = EXIT_BADINPUT;
            goto out;
        }
        char *q = xasprintf("Upgrade Dify %s to %s as shown?", from ? from : "?", p->image_tag);
        bool yes = ask_tty(q);
        free(q);
        if (!yes) {
            say("upgrade: not upgraded: you answered no; nothing was changed");
            rc = EXIT_FAIL;
            goto out;
        }
    }

    /* From here on the state directory is ours. */
    if (journal_open(u->state, "upgrade", &u->j, &err) < 0) {
        say("dify-tui upgrade: %s", err.msg);
        rc = EXIT_FAIL;
        goto out;
    }
    if ((rc = read_history(u)) != 0)
        goto out;
    base = running_rendering(u, &current);
    if (current && upgrade_keep_deployed(u->state, &err) < 0) {
        say("dify-tui upgrade: %s", err.msg);
        rc = EXIT_FAIL;
        goto out;
    }
    if (rendered_write(&now, u->rendered, &err) < 0) {
        say("dify-tui upgrade: writing %s: %s", u->rendered, err.msg);
        rc = EXIT_FAIL;
        goto out;
    }
    struct plan *plan = NULL;
    u->c.rendered_dir = u->rendered;
    if (plan_build_upgrade(&u->c, &plan, &err) < 0 ||
        steps_upgrade_target_add(plan, &u->c, from, daemon, &err) < 0) {
        say("dify-tui upgrade: %s", err.msg);
        plan_free(plan);
        rc = err.code == ERR_INVALID ? EXIT_BADINPUT : EXIT_FAIL;
        goto out;
    }
    plan_sort_stages(plan);
    say("upgrade: %zu steps; the full log is %s", plan_count(plan), u->log_path);
    char *rmsg = NULL;
    enum runner_state st = run_plan(u, plan, &rmsg);
    if (st == RUNNER_DONE) {
        if (upgrade_keep_deployed(u->state, &err) < 0)
            say("warning: %s", err.msg);
        say("upgrade: done: Dify %s runs; `dify-tui history --answers %s` lists the revisions",
            p->image_tag, u->o.answers);
        rc = EXIT_OK;
    } else if (st == RUNNER_ABORTED) {
        say("upgrade: stopped%s%s; the same command resumes it, --rollback goes back to Dify %s",
            rmsg ? ": " : "", rmsg ? rmsg : "", from ? from : "?");
        rc = EXIT_FAIL;
    } else {
        say("upgrade: failed%s%s", rmsg ? ": " : "", rmsg ? rmsg : "");
        rc = after_failure(u);
    }
    free(rmsg);
out:
    free(from);
    free(daemon);
    rendered_done(&now);
    return rc;
}

static int rollback_only(struct up *u)
{
    struct error err;
    error_clear(&err);
    int rc = read_history(u);
    if (rc)
        return rc;
    const struct history_run *last = &u->h.v[u->h.n - 1];
    if (str_eq(last->result, "done") &&
        (str_eq(last->what, "install") || str_eq(last->what, "rollback") ||
         str_eq(last->what, "upgrade"))) {
        say("upgrade --rollback: the last run (%s) finished: Dify %s runs; nothing to roll back",
            last->what, u->good->image_tag ? u->good->image_tag : "?");
        return EXIT_OK;
    }
    if (u->o.dry_run) {
        struct plan *plan = NULL;
        u->c.rendered_dir = u->deployed;
        if (plan_build_rollback(&u->c, u->good, &plan, &err) < 0) {
            say("dify-tui upgrade: %s", err.msg);
            return EXIT_FAIL;
        }
        install_print_dry_plan(plan);
        plan_free(plan);
        return EXIT_OK;
    }
    if (!u->o.yes && !isatty(STDIN_FILENO)) {
        fprintf(stderr, "dify-tui upgrade --rollback: no terminal to confirm on: nothing was "
                        "changed; run with --yes to roll back unattended\n");
        return EXIT_BADINPUT;
    }
    if (!u->o.yes) {
        char *q = xasprintf("Roll back to Dify %s, the last revision that finished?",
                            u->good->image_tag ? u->good->image_tag : "?");
        bool yes = ask_tty(q);
        free(q);
        if (!yes) {
            say("upgrade --rollback: you answered no; nothing was changed");
            return EXIT_FAIL;
        }
    }
    if (journal_open(u->state, "upgrade", &u->j, &err) < 0) {
        say("dify-tui upgrade: %s", err.msg);
        return EXIT_FAIL;
    }
    if ((rc = read_history(u)) != 0)
        return rc;
    return rollback(u);
}

static int upgrade_main(struct up *u)
{
    int rc = install_load_inputs(&u->o, &u->prof, &u->sec);
    if (rc != EXIT_OK)
        return rc;
    u->have_prof = true;
    u->state = u->o.state_dir ? xstrdup(u->o.state_dir) : install_state_dir_for(u->o.answers);
    u->rendered = path_join(u->state, "rendered");
    u->deployed = path_join(u->state, UPGRADE_DEPLOYED);
    u->log_path = path_join(u->state, "upgrade.log");
    u->loop = loop_new();
    install_ctx_fill(&u->c, &u->o, &u->prof, &u->sec);
    u->c.loop = u->loop;
    u->c.state_dir = u->state;
    u->subject = xasprintf("%s in namespace %s", u->prof.release, u->prof.namespace);
    const char *again[] = {"dify-tui", "upgrade", "--answers", u->o.answers, NULL};
    u->resume = proc_argv_string(again);
    u->tui = !u->o.dry_run && !u->o.no_tui && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    if (!u->o.dry_run && log_open(u->log_path) == 0)
        log_info("dify-tui upgrade --answers %s (state %s)", u->o.answers, u->state);
    return u->o.rollback ? rollback_only(u) : upgrade(u);
}

static int cmd_upgrade_run(int argc, char **argv, const struct global_opts *g)
{
    struct up u = {0};
    u.o = (struct install_opts){.kind = RUN_UPGRADE, .cmd = "upgrade", .g = g};
    secrets_init(&u.sec);
    int rc;
    if (install_parse(argc, argv, &u.o, &cmd_upgrade) < 0) {
        rc = EXIT_BADINPUT;
    } else if (u.o.rollback && u.o.no_rollback) {
        fprintf(stderr, "dify-tui upgrade: --rollback and --no-rollback contradict each other\n");
        rc = EXIT_BADINPUT;
    } else {
        rc = upgrade_main(&u);
    }
    journal_close(u.j);
    history_done(&u.h);
    if (u.loop)
        loop_free(u.loop);
    secrets_done(&u.sec);
    if (u.have_prof)
        profile_done(&u.prof);
    free(u.o.db_reach_host_buf);
    free(u.state);
    free(u.rendered);
    free(u.deployed);
    free(u.log_path);
    free(u.subject);
    free(u.resume);
    return rc;
}

const struct command cmd_upgrade = {
    "upgrade", "upgrade an installed release to what the answers say; roll back if it fails",
    "usage: dify-tui upgrade --answers FILE [--secrets FILE] [--state DIR]\n"
    "                        [--dry-run] [--yes] [--no-tui] [--no-rollback | --rollback]\n"
    "                        [--db-address HOST:PORT]\n"
    "  Compares the new rendering with the one that runs (values and objects, old and\n"
    "  new lines, secrets masked), checks that the api and plugin daemon versions go\n"
    "  together, asks, then migrates the database (the new revision's Job) before the\n"
    "  application changes, applies, and watches the rolling update. When it fails it\n"
    "  offers to roll back to the last revision that finished: helm rollback, or that\n"
    "  revision's objects applied again.\n"
    "  --dry-run     show the changes and the plan; change nothing\n"
    "  --yes         upgrade without asking; a failed upgrade is rolled back unattended\n"
    "  --no-rollback leave a failed upgrade as it is (to look at it)\n"
    "  --rollback    only roll back (after a failed upgrade that was not rolled back)\n"
    "  --no-tui      print progress as lines (also without a terminal)\n"
    "  --state DIR   the install's state directory (default: FILE's name with .state\n"
    "                instead of .yaml, beside it; --state-dir works too)\n"
    "  --rollout-timeout S, --migration-timeout S, --db-address HOST:PORT: as for install\n"
    "  Exit status: 0 upgraded (or nothing to change), 1 failed (rolled back or not),\n"
    "  stopped or declined, 2 bad input, a refused version pair, or no terminal to ask.\n",
    cmd_upgrade_run};
