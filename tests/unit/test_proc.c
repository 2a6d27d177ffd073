/* tests/unit/test_proc.c: subprocesses on the loop. Lines from both streams
 * as they come, the head of each stream kept and bounded, the last lines
 * kept for messages; exit statuses, a missing command, a deadline, input on
 * stdin, environment and directory; a process group of its own that a
 * cancel kills whole; a child that leaves something holding its output;
 * several children at once, all reaped through the loop. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "core/loop.h"
#include "core/proc.h"
#include "core/util.h"

struct run {
    bool done;
    struct error err;
    bool had_err;
    int exit_code, signal;
    bool started, timed_out, lingered, out_truncated;
    char *out, *errout;
    char **tail;
    size_t ntail;
    struct strbuf lines; /* "O:line\n" / "E:line\n" */
};

static void on_line(enum proc_stream s, const char *line, size_t len, void *arg)
{
    struct run *r = arg;
    strbuf_adds(&r->lines, s == PROC_STDOUT ? "O:" : "E:");
    strbuf_add(&r->lines, line, len);
    strbuf_addc(&r->lines, '\n');
}

static void on_done(const struct proc_result *res, const struct error *err, void *arg)
{
    struct run *r = arg;
    r->done = true;
    r->had_err = err != NULL;
    if (err)
        r->err = *err;
    r->exit_code = res->exit_code;
    r->signal = res->signal;
    r->started = res->started;
    r->timed_out = res->timed_out;
    r->lingered = res->lingered;
    r->out_truncated = res->out_truncated;
    r->out = xstrndup(res->out, res->out_len);
    r->errout = xstrndup(res->err, res->err_len);
    r->ntail = res->ntail;
    r->tail = xcalloc(res->ntail + 1, sizeof(char *));
    for (size_t i = 0; i < res->ntail; i++)
        r->tail[i] = xstrdup(res->tail[i]);
}

static void run_init(struct run *r)
{
    memset(r, 0, sizeof(*r));
    strbuf_init(&r->lines);
}

static void run_done(struct run *r)
{
    free(r->out);
    free(r->errout);
    for (size_t i = 0; i < r->ntail; i++)
        free(r->tail[i]);
    free(r->tail);
    strbuf_done(&r->lines);
}

/* Runs the loop until *flag, at most about 20 s (a bound, not a timing). */
static void wait_for(struct loop *l, bool *flag)
{
    for (int i = 0; i < 2000 && !*flag; i++)
        loop_run_once(l, 10);
    assert_true(*flag);
}

static struct proc *start(struct loop *l, struct run *r, const char *const *argv,
                          struct proc_opts *extra)
{
    struct proc_opts o = {0};
    if (extra)
        o = *extra;
    o.argv = argv;
    o.on_line = on_line;
    o.done = on_done;
    o.arg = r;
    return proc_start(l, &o);
}

static void test_lines_and_exit_zero(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    struct run r;
    run_init(&r);
    const char *argv[] = {"sh", "-c", "echo one; echo two >&2; printf 'three'", NULL};
    start(l, &r, argv, NULL);
    wait_for(l, &r.done);
    assert_false(r.had_err);
    assert_true(r.started);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, "one\nthree");
    assert_string_equal(r.errout, "two\n");
    /* the last line has no newline and still comes as a line */
    assert_non_null(strstr(r.lines.buf, "O:one\n"));
    assert_non_null(strstr(r.lines.buf, "E:two\n"));
    assert_non_null(strstr(r.lines.buf, "O:three\n"));
    assert_int_equal(r.ntail, 3);
    run_done(&r);
    loop_free(l);
}

static void test_failure_names_last_line(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    struct run r;
    run_init(&r);
    const char *argv[] = {"sh", "-c", "echo working; echo 'Error: no such bucket' >&2; exit 3",
                          NULL};
    start(l, &r, argv, NULL);
    wait_for(l, &r.done);
    assert_true(r.had_err);
    assert_int_equal(r.err.code, ERR_PROCESS);
    assert_int_equal(r.err.detail, 3);
    assert_int_equal(r.exit_code, 3);
    assert_string_equal(r.err.msg, "sh exited with status 3: Error: no such bucket");
    run_done(&r);
    loop_free(l);
}

static void test_not_found_reported_later(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    struct run r;
    run_init(&r);
    const char *argv[] = {"dify-tui-no-such-command", "x", NULL};
    start(l, &r, argv, NULL);
    assert_false(r.done); /* never from inside proc_start */
    wait_for(l, &r.done);
    assert_true(r.had_err);
    assert_false(r.started);
    assert_int_equal(r.err.detail, 127);
    assert_non_null(strstr(r.err.msg, "dify-tui-no-such-command: not found on PATH"));
    run_done(&r);
    loop_free(l);
}

static void test_deadline_stops_it(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    struct run r;
    run_init(&r);
    const char *argv[] = {"sleep", "30", NULL};
    struct proc_opts o = {.timeout_ms = 100, .kill_grace_ms = 100};
    start(l, &r, argv, &o);
    wait_for(l, &r.done);
    assert_true(r.had_err);
    assert_true(r.timed_out);
    assert_int_equal(r.signal, SIGTERM);
    assert_string_equal(r.err.msg,
                        "sleep did not finish within 100 ms and was stopped (signal 15)");
    run_done(&r);
    loop_free(l);
}

static void test_deadline_kills_what_ignores_term(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    struct run r;
    run_init(&r);
    const char *argv[] = {"sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done", NULL};
    struct proc_opts o = {.timeout_ms = 100, .kill_grace_ms = 100};
    start(l, &r, argv, &o);
    wait_for(l, &r.done);
    assert_true(r.timed_out);
    assert_int_equal(r.signal, SIGKILL);
    run_done(&r);
    loop_free(l);
}

static void test_input_env_cwd(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    struct run r;
    run_init(&r);
    const char *argv[] = {"sh", "-c", "cat; echo \"$DIFY_PROC_TEST\"; pwd", NULL};
    const char *env[] = {"DIFY_PROC_TEST=from-env", NULL};
    struct proc_opts o = {.input = "line one\nline two\n", .input_len = 18, .env = env, .cwd = "/"};
    start(l, &r, argv, &o);
    wait_for(l, &r.done);
    assert_false(r.had_err);
    assert_string_equal(r.out, "line one\nline two\nfrom-env\n/\n");
    run_done(&r);
    loop_free(l);
}

static void test_bounded_output_and_tail(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    struct run r;
    run_init(&r);
    const char *argv[] = {"sh", "-c", "i=0; while [ $i -lt 100 ]; do echo line$i; i=$((i+1)); done",
                          NULL};
    struct proc_opts o = {.max_output = 20, .tail_lines = 3};
    start(l, &r, argv, &o);
    wait_for(l, &r.done);
    assert_true(r.out_truncated);
    assert_int_equal(strlen(r.out), 20);
    assert_true(str_starts_with(r.out, "line0\nline1\n"));
    assert_int_equal(r.ntail, 3);
    assert_string_equal(r.tail[0], "line97");
    assert_string_equal(r.tail[2], "line99");
    /* every line still reached the callback */
    assert_non_null(strstr(r.lines.buf, "O:line50\n"));
    run_done(&r);
    loop_free(l);
}

static bool gone(pid_t pid)
{
    for (int i = 0; i < 500; i++) {
        if (kill(pid, 0) < 0 && errno == ESRCH)
            return true;
        usleep(10000);
    }
    return false;
}

struct grandchild {
    pid_t pid;
    bool seen;
};

static void grandchild_line(enum proc_stream s, const char *line, size_t len, void *arg)
{
    struct grandchild *g = arg;
    if (!g->seen && s == PROC_STDOUT) {
        g->pid = (pid_t)atol(line);
        g->seen = true;
    }
}

static void never_done(const struct proc_result *res, const struct error *err, void *arg)
{
    fail_msg("done called after cancel");
}

static void test_own_group_and_cancel_kills_it(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    struct grandchild g = {0};
    const char *argv[] = {"sh", "-c", "sleep 30 & echo $!; wait", NULL};
    struct proc_opts o = {.argv = argv, .on_line = grandchild_line, .done = never_done, .arg = &g};
    struct proc *p = proc_start(l, &o);
    pid_t pid = proc_pid(p);
    assert_true(pid > 0);
    assert_int_equal(getpgid(pid), pid); /* its own process group */
    wait_for(l, &g.seen);
    assert_int_equal(getpgid(g.pid), pid); /* what it started is in it too */
    proc_cancel(p);
    assert_true(gone(g.pid));
    /* the loop reaps the child nobody waits for any more: no zombie left */
    char path[64];
    snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
    for (int i = 0; i < 500 && access(path, F_OK) == 0; i++)
        loop_run_once(l, 10);
    assert_int_not_equal(access(path, F_OK), 0);
    loop_free(l);
}

static void test_lingering_output_holder(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    struct run r;
    run_init(&r);
    const char *argv[] = {"sh", "-c", "sleep 30 & echo started $!; exit 0", NULL};
    struct proc_opts o = {.linger_ms = 100};
    start(l, &r, argv, &o);
    wait_for(l, &r.done);
    assert_true(r.lingered);
    assert_false(r.had_err); /* the command itself succeeded */
    assert_int_equal(r.exit_code, 0);
    pid_t bg = (pid_t)atol(r.out + strlen("started "));
    assert_true(bg > 0);
    assert_true(gone(bg));
    run_done(&r);
    loop_free(l);
}

static void test_signal_reaches_group(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    struct run r;
    run_init(&r);
    const char *argv[] = {"sh", "-c",
                          "trap 'echo interrupted; exit 130' INT; echo ready; "
                          "while :; do sleep 0.05; done",
                          NULL};
    struct proc *p = start(l, &r, argv, NULL);
    while (!strstr(r.lines.buf, "O:ready"))
        loop_run_once(l, 10);
    proc_signal(p, SIGINT);
    wait_for(l, &r.done);
    assert_int_equal(r.exit_code, 130);
    assert_non_null(strstr(r.out, "interrupted"));
    run_done(&r);
    loop_free(l);
}

static void test_many_children_all_reaped(void **state)
{
    (void)state;
    struct loop *l = loop_new();
    enum { N = 8 };
    struct run r[N];
    char script[N][64];
    for (int i = 0; i < N; i++) {
        run_init(&r[i]);
        /* some close their output before exiting, some exit at once */
        snprintf(script[i], sizeof(script[i]), "%sexit %d",
                 i % 2 ? "exec >&- 2>&-; sleep 0.1; " : "", i);
        const char *argv[] = {"sh", "-c", script[i], NULL};
        start(l, &r[i], argv, NULL);
    }
    for (int i = 0; i < N; i++) {
        wait_for(l, &r[i].done);
        assert_int_equal(r[i].exit_code, i);
        run_done(&r[i]);
    }
    loop_free(l);
}

static void test_argv_string_quotes(void **state)
{
    (void)state;
    const char *argv[] = {"helm", "upgrade", "--set", "a=b c", "it's", "", "x/y:z@1", NULL};
    char *s = proc_argv_string(argv);
    assert_string_equal(s, "helm upgrade --set 'a=b c' 'it'\\''s' '' x/y:z@1");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_and_exit_zero),
        cmocka_unit_test(test_failure_names_last_line),
        cmocka_unit_test(test_not_found_reported_later),
        cmocka_unit_test(test_deadline_stops_it),
        cmocka_unit_test(test_deadline_kills_what_ignores_term),
        cmocka_unit_test(test_input_env_cwd),
        cmocka_unit_test(test_bounded_output_and_tail),
        cmocka_unit_test(test_own_group_and_cancel_kills_it),
        cmocka_unit_test(test_lingering_output_holder),
        cmocka_unit_test(test_signal_reaches_group),
        cmocka_unit_test(test_many_children_all_reaped),
        cmocka_unit_test(test_argv_string_quotes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
