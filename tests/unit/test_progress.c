/* tests/unit/test_progress.c: the progress pane on a fixed-size virtual
 * terminal with a fixed clock, over the real runner running steps that do
 * what each test tells them (start, print, report rows, fail, end). Keys go
 * in through app_key, the screen comes out as text and is compared with
 * tests/data/screens/NAME.txt (UPDATE_GOLDEN=1 rewrites them).
 *
 * What it holds the pane to: every state of a step drawn with its time;
 * the running step's detail (rows with bars, a log tail); the log pane
 * searching; the error box staying up until read, then retry and skip;
 * abort asking first with No going back; Ctrl-C; the runner's questions;
 * success leading to the summary; bursts of output drawn as one frame;
 * hostile bytes from a tool shown harmless. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/golden.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/journal.h"
#include "core/loop.h"
#include "core/plan.h"
#include "core/profile.h"
#include "core/runner.h"
#include "core/util.h"
#include "screens/app.h"
#include "screens/progress.h"
#include "screens/wizard.h"
#include "screens/wizard_fields.h"
#include "tui/draw.h"
#include "tui/keys.h"

/* ---- a fixed clock the test moves ---- */

static long long clock_now;

static long long fake_clock(void)
{
    return clock_now;
}

static void advance(long long ms)
{
    clock_now += ms;
}

/* ---- a step the test drives ---- */

struct fs {
    const char *id, *title;
    struct step_run *sr;
    int starts, cancels, interrupts;
};

static void fs_start(struct step_run *sr, void *data)
{
    struct fs *f = data;
    f->sr = sr;
    f->starts++;
}

static void fs_cancel(struct step_run *sr, void *data)
{
    struct fs *f = data;
    f->cancels++;
    f->sr = NULL;
}

static void fs_interrupt(struct step_run *sr, void *data)
{
    struct fs *f = data;
    f->interrupts++;
    f->sr = NULL;
    struct error e;
    error_set(&e, ERR_CANCELLED, 0, "stopped cleanly");
    step_run_done(sr, &e);
}

static const struct step_ops fs_ops = {"fake", fs_start, fs_cancel, fs_interrupt, NULL};

/* ---- the harness ---- */

static struct app app;
static struct loop *loop;
static struct journal *journal;
static struct plan_ctx ctx;
static struct profile prof;
static char *dir, *log_path, *old_cwd;
static struct screen *screen;

/* The plan every test starts from. */
static struct fs preflight = {.id = "preflight", .title = "Preflight checks"};
static struct fs ns = {.id = "namespace", .title = "Namespace and Secrets"};
static struct fs pgdb = {.id = "plugin-db", .title = "Plugin daemon database"};
static struct fs migrate = {.id = "migration", .title = "Database migration Job"};
static struct fs apply = {.id = "application", .title = "Application manifests"};
static struct fs rollout = {.id = "rollouts", .title = "Rollouts"};
static struct fs checks = {.id = "checks", .title = "Post-deploy checks"};
static struct fs *all[] = {&preflight, &ns, &pgdb, &migrate, &apply, &rollout, &checks};

static void turn(void)
{
    for (int i = 0; i < 20; i++)
        loop_run_once(loop, 0);
}

static void reset_steps(void)
{
    for (size_t i = 0; i < ARRAY_LEN(all); i++) {
        all[i]->sr = NULL;
        all[i]->starts = all[i]->cancels = all[i]->interrupts = 0;
    }
}

static struct plan *make_plan(bool skippable_db, bool confirm_rollouts)
{
    struct plan *p = plan_new("install");
    static const enum plan_stage stages[] = {STAGE_PREFLIGHT, STAGE_BASE, STAGE_BASE,
                                             STAGE_MIGRATE,   STAGE_APP,  STAGE_ROLLOUT,
                                             STAGE_CHECK};
    for (size_t i = 0; i < ARRAY_LEN(all); i++) {
        if (i == 1) {
            struct plan_step *tf =
                plan_add(p, STAGE_INFRA, "terraform", "Terraform apply", &fs_ops, NULL);
            plan_step_skip(tf, "an existing cluster: no Terraform");
        }
        struct plan_step *s = plan_add(p, stages[i], all[i]->id, all[i]->title, &fs_ops, all[i]);
        plan_step_note(s, "%s", all[i]->title);
        if (all[i] == &pgdb && skippable_db)
            plan_step_skippable(s);
        if (all[i] == &rollout && confirm_rollouts)
            plan_step_confirm(s, "Roll out the application now?", false);
    }
    return p;
}

/* The terminal, the loop, the clock, a temporary directory to work in and
 * a journal there. */
static void harness(void)
{
    struct error err;
    error_clear(&err);
    reset_steps();
    clock_now = 1700000000000LL;
    runner_set_clock(fake_clock);
    assert_int_equal(app_init_headless(&app, 80, 24, &err), 0);
    loop = loop_new();
    app.loop = loop;
    /* In a temporary directory, with relative paths: the goldens stay the same. */
    char tmpl[] = "/tmp/dify-progress-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    dir = xstrdup(tmpl);
    old_cwd = getcwd(NULL, 0);
    assert_int_equal(chdir(dir), 0);
    static const char state[] = "state";
    assert_int_equal(journal_open(state, "install", &journal, &err), 0);
    log_path = path_join(state, "install.log");
    const char *text = "2026-12-07T10:00:00Z info install: started\n"
                       "2026-12-07T10:00:01Z warn namespace: exists already\n"
                       "2026-12-07T10:00:02Z error migration: exited with status 1\n";
    assert_int_equal(file_write_atomic(log_path, text, strlen(text), 0600, &err), 0);
    profile_init(&prof, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    str_replace(&prof.domains.web_host, "dify.example.test");
    ctx = (struct plan_ctx){0};
    ctx.loop = loop;
    ctx.profile = &prof;
    ctx.answers_path = "answers.yaml";
    ctx.state_dir = state;
    ctx.kubeconfig = "/tmp/kc";
    ctx.context = "sim";
}

static struct screen *progress_for(struct plan *plan, const struct progress_opts *extra)
{
    struct runner_opts ro = {.ctx = &ctx, .journal = journal, .log_path = log_path};
    struct progress_opts po = {.what = "install",
                               .subject = "dify into namespace dify (context sim)",
                               .resume_cmd = "dify-tui install --answers answers.yaml",
                               .ctx = &ctx};
    if (extra) {
        po.next = extra->next;
        po.next_arg = extra->next_arg;
    }
    screen = progress_screen_new(plan, &ro, &po);
    return screen;
}

static void start_with(struct plan *plan, const struct progress_opts *extra)
{
    harness();
    app_push_now(&app, progress_for(plan, extra));
    turn();
}

static void start(void)
{
    start_with(make_plan(true, false), NULL);
}

static void stop(void)
{
    app.loop = NULL;
    app_done(&app);
    loop_free(loop);
    journal_close(journal);
    profile_done(&prof);
    assert_int_equal(chdir(old_cwd), 0);
    free(old_cwd);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(dir);
    free(log_path);
    runner_set_clock(NULL);
}

static struct runner *runner(void)
{
    return progress_screen_runner(screen);
}

static void finish(struct fs *f, const char *summary)
{
    assert_non_null(f->sr);
    struct step_run *sr = f->sr;
    f->sr = NULL;
    if (summary)
        step_run_summary(sr, "%s", summary);
    step_run_done(sr, NULL);
    turn();
}

static void fail_step(struct fs *f, const char *msg, const char *hint)
{
    assert_non_null(f->sr);
    struct step_run *sr = f->sr;
    f->sr = NULL;
    if (hint)
        step_run_hint(sr, "%s", hint);
    step_run_permanent(sr);
    struct error e;
    error_set(&e, ERR_INVALID, 0, "%s", msg);
    step_run_done(sr, &e);
    turn();
}

static void say(struct fs *f, enum runner_stream s, const char *line)
{
    assert_non_null(f->sr);
    step_run_line(f->sr, s, line, strlen(line));
}

/* ---- reading the screen ---- */

static char *screen_text(void)
{
    app_render(&app);
    return tui_dump(stdscr);
}

static void golden(const char *name)
{
    golden_compare(name, screen_text());
}

static bool shows(const char *needle)
{
    char *s = screen_text();
    bool found = strstr(s, needle) != NULL;
    free(s);
    return found;
}

static void assert_shows(const char *needle)
{
    char *s = screen_text();
    if (!strstr(s, needle)) {
        print_message("# not on screen: %s\n", needle);
        for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n"))
            print_message("# |%s\n", line);
        fail();
    }
    free(s);
}

static void keys(const char *k)
{
    for (; *k; k++)
        app_key(&app, (unsigned char)*k);
    turn();
}

/* ---- the run up to the migration, shared by several tests ---- */

static void run_to_migration(void)
{
    assert_non_null(preflight.sr);
    say(&preflight, RUNNER_INFO, "kubectl can reach the cluster (sim)");
    advance(1200);
    finish(&preflight, "the cluster answers; every verb allowed");
    assert_non_null(ns.sr);
    assert_non_null(pgdb.sr); /* one stage: side by side */
    advance(800);
    finish(&ns, "4 objects applied");
    advance(2300);
    say(&pgdb, RUNNER_INFO, "CREATE DATABASE dify_plugin");
    finish(&pgdb, "created dify_plugin");
    assert_non_null(migrate.sr);
    step_run_detail_title(migrate.sr, "Migration Job");
    step_run_row(migrate.sr, "job", "dify-db-migrate-3f2a9c01de", ROW_WORKING, "running", 0, 0);
    const char *tail[] = {"INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.",
                          "INFO  [alembic.runtime.migration] Will assume transactional DDL.",
                          "INFO  [alembic.runtime.migration] Running upgrade 64b051264f32 -> "
                          "a45f4dfde53b, add_workflow_tables"};
    step_run_tail(migrate.sr, "Log of pod dify-db-migrate-3f2a9c01de-x7k2p", tail, 3);
    step_run_status(migrate.sr, "pod Running");
    advance(42000);
    turn();
}

/* ---- tests ---- */

/* Every state of a step on one screen: done with its time, kept from an
 * earlier run, skipped by the plan, running with its elapsed time and its
 * detail (a row and the Job's log tail), pending. */
static void test_running_golden(void **state)
{
    start();
    run_to_migration();
    golden("progress_running_80x24");
    assert_int_equal(runner_state(runner()), RUNNER_RUNNING);
    stop();
}

/* Rollout bars, and the same screen larger. */
static void test_rollouts_golden(void **state)
{
    start();
    run_to_migration();
    finish(&migrate, "migrated to a45f4dfde53b");
    finish(&apply, "23 objects applied");
    struct step_run *sr = rollout.sr;
    assert_non_null(sr);
    step_run_detail_title(sr, "Rollouts");
    step_run_row(sr, "deployment/dify-api", "dify-api", ROW_DONE, "rolled out", 2, 2);
    advance(5000);
    step_run_row(sr, "deployment/dify-worker", "dify-worker", ROW_WORKING,
                 "1 of 2 updated replicas are available", 1, 2);
    step_run_row(sr, "deployment/dify-web", "dify-web", ROW_WORKING, "waiting for the new pods", 0,
                 1);
    step_run_row(sr, "deployment/dify-plugin-daemon", "dify-plugin-daemon", ROW_WAITING,
                 "not created yet", 0, 1);
    step_run_status(sr, "1 of 4 components rolled out");
    advance(12000);
    turn();
    golden("progress_rollouts_80x24");
    resize_term(30, 110);
    app_resized(&app);
    golden("progress_rollouts_110x30");
    stop();
}

/* A failure: the error box with what failed, what to try and the Job's
 * log; it stays while more output comes and other keys are pressed; Esc
 * closes it, e opens it again; r retries and the run goes on. */
static void test_failure_box_then_retry(void **state)
{
    start();
    run_to_migration();
    fail_step(&migrate, "the migration Job failed: sqlalchemy.exc.OperationalError",
              "dify-tui get jobs -n dify; fix the database, then r retries the Job");
    assert_int_equal(runner_state(runner()), RUNNER_STUCK);
    golden("progress_failed_80x24");
    /* it stays: keys that are not its own, and new events, leave it up */
    app_key(&app, 'j');
    app_key(&app, TUI_KEY_PGDN);
    advance(3000);
    turn();
    assert_shows("Database migration Job failed");
    assert_shows("Try: dify-tui get jobs -n dify");
    app_key(&app, TUI_KEY_ESC);
    assert_false(shows("Try: dify-tui get jobs"));
    assert_shows("A step failed and nothing else can run");
    assert_shows("r retry");
    app_key(&app, 'e');
    assert_shows("Try: dify-tui get jobs -n dify");
    app_key(&app, 'r');
    turn();
    assert_int_equal(migrate.starts, 2);
    assert_false(shows("Try: dify-tui"));
    assert_shows("==>  migration: Database migration Job");
    finish(&migrate, "migrated");
    finish(&apply, NULL);
    finish(&rollout, NULL);
    finish(&checks, "api /health 200, plugin daemon /health/check 200");
    assert_int_equal(runner_state(runner()), RUNNER_DONE);
    stop();
}

/* Skip where the plan allows it; refused, with the reason, where not. */
static void test_skip(void **state)
{
    start();
    finish(&preflight, NULL);
    finish(&ns, NULL);
    fail_step(&pgdb, "permission denied to create database (42501)",
              "GRANT CREATEDB to the user, or create dify_plugin by hand");
    assert_shows("r retry  s skip");
    app_key(&app, 's');
    turn();
    assert_int_equal(runner_step(runner(), 3)->state, STEP_SKIPPED);
    assert_non_null(migrate.sr); /* what came after runs */
    fail_step(&migrate, "Job failed", NULL);
    assert_false(shows("r retry  s skip"));
    assert_shows("r retry  l full log");
    app_key(&app, 's');
    assert_int_equal(runner_step(runner(), 4)->state, STEP_FAILED);
    app_key(&app, TUI_KEY_ESC);
    assert_shows("Database migration Job");
    stop();
}

/* Abort asks first: No goes back and the run goes on; Yes stops the
 * running step cleanly and the run ends stopped, saying how to resume. */
static void test_abort_asks_first(void **state)
{
    start();
    run_to_migration();
    app_key(&app, 'a');
    golden("progress_abort_80x24");
    app_key(&app, 'n');
    assert_false(shows("Stop the install?"));
    assert_int_equal(runner_state(runner()), RUNNER_RUNNING);
    assert_int_equal(migrate.interrupts, 0);
    app_key(&app, TUI_KEY_ESC); /* Esc while running asks the same */
    assert_shows("Stop the install?");
    app_key(&app, 'y');
    turn();
    assert_int_equal(migrate.interrupts, 1);
    assert_int_equal(runner_state(runner()), RUNNER_ABORTED);
    assert_shows("Stopped. What finished stays done: dify-tui install --answers answers.yaml");
    assert_shows("resumes. q leaves.");
    assert_shows("stopped: interrupted");
    assert_false(shows("Database migration Job failed")); /* no error box for a stop */
    assert_shows("stopped after");
    app_key(&app, 'q');
    assert_int_equal(app.exit_status, EXIT_FAILURE);
    stop();
}

/* Ctrl-C: asks; again: stops cleanly; the dialog goes with it. */
static void test_ctrl_c(void **state)
{
    start();
    run_to_migration();
    assert_true(app_interrupt(&app));
    assert_shows("Stop the install?");
    assert_true(app_interrupt(&app));
    turn();
    assert_false(shows("Stop the install?"));
    assert_int_equal(migrate.interrupts, 1);
    assert_int_equal(runner_state(runner()), RUNNER_ABORTED);
    stop();
}

/* The runner's question comes up as a dialog; the answer goes back. */
static void test_question(void **state)
{
    start_with(make_plan(false, true), NULL);
    finish(&preflight, NULL);
    finish(&ns, NULL);
    finish(&pgdb, NULL);
    finish(&migrate, NULL);
    finish(&apply, NULL);
    assert_int_equal(runner_state(runner()), RUNNER_ASKING);
    assert_shows("Roll out the application now?");
    assert_shows("No stops here");
    app_key(&app, 'y');
    turn();
    assert_non_null(rollout.sr);
    stop();
}

/* Success: the summary of what was installed and where. */
static void test_success_summary(void **state)
{
    start();
    finish(&preflight, NULL);
    finish(&ns, "4 objects applied");
    finish(&pgdb, "exists: nothing to do");
    finish(&migrate, "migrated");
    finish(&apply, "23 objects applied");
    finish(&rollout, "4 components rolled out");
    advance(61000);
    finish(&checks, "api /health 200 (1.12.1), plugin daemon /health/check 200");
    turn();
    golden("progress_summary_80x24");
    app_key(&app, TUI_KEY_ESC); /* back to the steps */
    assert_shows("done in");
    app_key(&app, 'q');
    assert_int_equal(app.exit_status, EXIT_SUCCESS);
    stop();
}

static struct screen *next_screen(struct runner *r, void *arg)
{
    int *called = arg;
    (*called)++;
    return progress_file_screen_new("Next", log_path);
}

/* The screen after success is the owner's to choose (the dashboard). */
static void test_success_next(void **state)
{
    int called = 0;
    struct progress_opts po = {.next = next_screen, .next_arg = &called};
    start_with(make_plan(true, false), &po);
    for (size_t i = 0; i < ARRAY_LEN(all); i++)
        finish(all[i], NULL);
    turn();
    assert_int_equal(called, 1);
    assert_shows("dify-tui: Next");
    stop();
}

static struct screen *no_screen(struct runner *r, void *arg)
{
    int *called = arg;
    (*called)++;
    return NULL;
}

/* A next screen that cannot be made (the dashboard without a kubeconfig
 * that loads) leaves the summary, not an empty stack; the run's success is
 * the app's status whatever screen ends it. */
static void test_success_next_fails(void **state)
{
    int called = 0;
    struct progress_opts po = {.next = no_screen, .next_arg = &called};
    start_with(make_plan(true, false), &po);
    app.exit_status = EXIT_FAILURE;
    for (size_t i = 0; i < ARRAY_LEN(all); i++)
        finish(all[i], NULL);
    turn();
    assert_int_equal(called, 1);
    assert_shows("dify-tui install: done");
    assert_int_equal(app.exit_status, EXIT_SUCCESS);
    stop();
}

/* The log pane searches; the full log opens over the pane. */
static void test_log_search_and_full_log(void **state)
{
    start();
    for (int i = 0; i < 40; i++) {
        char line[64];
        snprintf(line, sizeof(line), "checking item %d%s", i, i == 7 ? " needle" : "");
        say(&preflight, RUNNER_OUT, line);
    }
    turn();
    keys("/needle");
    app_key(&app, TUI_KEY_ENTER);
    assert_shows("checking item 7 needle");
    assert_shows("search wrapped to the top"); /* from the top line shown, as less does */
    app_key(&app, TUI_KEY_PGUP); /* the note goes with the next key; the count stays */
    assert_shows("1 match 'needle'");
    app_key(&app, 'l');
    assert_shows("dify-tui: Full log");
    assert_shows("warn namespace: exists already");
    assert_shows("3 lines of");
    keys("/status");
    app_key(&app, TUI_KEY_ENTER);
    assert_shows("1 match 'status'");
    app_key(&app, TUI_KEY_ESC);
    assert_shows("Steps");
    stop();
}

/* A burst of output is one frame, drawn a little later; keys draw at once. */
static void test_burst_is_one_frame(void **state)
{
    start();
    app.dirty = false;
    for (int i = 0; i < 1000; i++)
        say(&preflight, RUNNER_OUT, "a line of a burst");
    assert_false(app.dirty);
    int frames = 0;
    for (int i = 0; i < 100 && !frames; i++) {
        loop_run_once(loop, 10);
        if (app.dirty) {
            frames++;
            app.dirty = false;
        }
    }
    assert_int_equal(frames, 1);
    /* nothing more to draw once it is drawn (until the next second's tick) */
    loop_run_once(loop, 0);
    assert_false(app.dirty);
    app_key(&app, 'j');
    assert_true(app.dirty);
    stop();
}

/* Escape sequences and bad UTF-8 from a tool are drawn harmless, in the
 * log pane, the detail and the error box. */
static void test_hostile_output(void **state)
{
    start();
    say(&preflight, RUNNER_OUT, "\033]0;pwned\007\033[2Jclear\xff");
    step_run_status(preflight.sr, "\033[31mred");
    turn();
    char *s = screen_text();
    assert_non_null(strstr(s, "^[]0;pwned^G^[[2Jclear\xef\xbf\xbd"));
    assert_non_null(strstr(s, "^[[31mred"));
    assert_null(strchr(s, '\033'));
    free(s);
    fail_step(&preflight, "bad \033[Hthing", "try \033c");
    s = screen_text();
    assert_non_null(strstr(s, "bad ^[[Hthing"));
    assert_non_null(strstr(s, "try ^[c"));
    assert_null(strchr(s, '\033'));
    free(s);
    stop();
}

/* ---- the wizard's Install now ---- */

static int install_calls;

static struct screen *install_cb(const char *answers_path, void *arg, struct error *err)
{
    install_calls++;
    assert_true(str_ends_with(answers_path, "answers.yaml"));
    assert_int_equal(access(answers_path, R_OK), 0); /* written before */
    if (install_calls == 1) {
        error_set(err, ERR_INVALID, 0, "state/ is locked by another install (pid 42)");
        return NULL;
    }
    return progress_for(make_plan(true, false), NULL);
}

/* After Write, Install now pushes the progress pane over the wizard; its
 * end is the app's status. A launch that fails says why on the wizard. */
static void test_wizard_install_now(void **state)
{
    harness();
    install_calls = 0;
    struct wizard_result result = {0};
    struct wizard_opts o = {.workdir = "wd", .install = install_cb};
    struct error err;
    error_clear(&err);
    assert_int_equal(mkdir("wd", 0700), 0);
    struct screen *wiz = wizard_screen_new(&o, &result, &err);
    assert_non_null(wiz);
    app_push_now(&app, wiz);
    for (int i = 0; i < 10; i++)
        app_key(&app, TUI_CTRL('n'));
    assert_shows("[Review]");
    for (int i = 0; i < 60 && !shows("> [ Write files ]"); i++)
        app_key(&app, TUI_KEY_DOWN);
    app_key(&app, TUI_KEY_ENTER);
    assert_true(result.written);
    assert_shows("> [ Exit ]"); /* Enter alone still leaves, as before: Install now is below */
    app_key(&app, TUI_KEY_DOWN);
    assert_shows("> [ Install now ]");
    app_key(&app, TUI_KEY_ENTER);
    assert_shows("Cannot install: state/ is locked by another install (pid 42)");
    assert_false(result.installing);
    app_key(&app, TUI_KEY_ENTER);
    turn();
    assert_int_equal(install_calls, 2);
    assert_true(result.installing);
    assert_shows("dify-tui install: dify into namespace dify");
    for (size_t i = 0; i < ARRAY_LEN(all); i++)
        finish(all[i], NULL);
    turn();
    assert_shows("dify-tui install: done");
    app_key(&app, 'q');
    assert_int_equal(app.exit_status, EXIT_SUCCESS);
    stop();
    wizard_result_done(&result);
}

static int setup(void **state)
{
    setlocale(LC_ALL, "C.UTF-8");
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_running_golden),
        cmocka_unit_test(test_rollouts_golden),
        cmocka_unit_test(test_failure_box_then_retry),
        cmocka_unit_test(test_skip),
        cmocka_unit_test(test_abort_asks_first),
        cmocka_unit_test(test_ctrl_c),
        cmocka_unit_test(test_question),
        cmocka_unit_test(test_success_summary),
        cmocka_unit_test(test_success_next),
        cmocka_unit_test(test_success_next_fails),
        cmocka_unit_test(test_log_search_and_full_log),
        cmocka_unit_test(test_burst_is_one_frame),
        cmocka_unit_test(test_hostile_output),
        cmocka_unit_test(test_wizard_install_now),
    };
    return cmocka_run_group_tests_name("progress", tests, setup, NULL);
}
