/* tests/unit/test_checks.c: the checks framework (core/checks.c) with a
 * table of its own: checks run concurrently and one that never ends is
 * failed at its deadline while the others finish; a check that needs the
 * cluster's objects and has no cluster is skipped with the reason; a
 * re-run starts one check again; evidence is redacted; selection by id and
 * area; the exit code and the JSON report. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/checks.h"
#include "core/checks_impl.h"
#include "core/checks_util.h"
#include "core/error.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"

static int starts[8];
static int stops[8];

static void ok_start(struct check *c)
{
    starts[0]++;
    check_evidence(c, "saw the thing");
    check_ok(c, "fine");
}

/* Never ends by itself: the deadline must end it, and its stop must run. */
static void hang_start(struct check *c)
{
    starts[1]++;
    check_set_state(c, xstrdup("state"));
    check_waiting(c, "an endpoint that never answers");
}

static void hang_stop(struct check *c)
{
    stops[1]++;
    free(check_state(c));
}

/* Ends from a timer, as a check ending in a library's callback does. */
static long long later_timer;

static void later_done(struct loop *l, long long id, void *arg)
{
    struct check *c = arg;
    later_timer = 0;
    check_try(c, "do-this --now");
    check_more(c, "docs/diagnose.md#dt-903");
    check_fail(c, "broken: the password is hunter2secret");
}

static void later_start(struct check *c)
{
    starts[2]++;
    later_timer = loop_add_timer(check_env(c)->loop, 20, later_done, c);
}

static void later_stop(struct check *c)
{
    stops[2]++;
    if (later_timer)
        loop_cancel_timer(check_env(c)->loop, later_timer);
    later_timer = 0;
}

static void pods_start(struct check *c)
{
    starts[3]++;
    check_ok(c, "should not start without a cluster");
}

static int wanted_pods = -1, wanted_read = -1;
static void wants_start(struct check *c)
{
    wanted_pods = cJSON_GetArraySize(check_fact(c, FACT_PODS));
    wanted_read = check_fact_read(c, FACT_PODS);
    check_ok(c, "ran without the pods it only wants");
}

static void warn_start(struct check *c)
{
    starts[4]++;
    check_warn(c, "a warning");
}

static const struct check_def defs[] = {
    {"DT-901", AREA_MIGRATION, "ends at once", 0, ok_start, NULL, 0, 0},
    {"DT-902", AREA_MIGRATION, "hangs", 0, hang_start, hang_stop, 200, 0},
    {"DT-903", AREA_MIGRATION, "ends later", 0, later_start, later_stop, 0, 0},
    {"DT-904", AREA_MIGRATION, "needs pods", NEED(FACT_PODS), pods_start, NULL, 0, 0},
    {"DT-905", AREA_REMOTE, "warns", 0, warn_start, NULL, 0, 0},
    {"DT-906", AREA_REMOTE, "wants pods", 0, wants_start, NULL, 0, NEED(FACT_PODS)},
};

struct waiter {
    struct loop *loop;
    int done_calls;
    int changes;
};

static void on_change(struct check_run *r, size_t i, void *arg)
{
    struct waiter *w = arg;
    if (i == (size_t)-1) {
        w->done_calls++;
        loop_stop(w->loop);
    } else {
        w->changes++;
    }
}

static void run_to_end(struct loop *l, struct check_run *r)
{
    while (check_run_busy(r) || !loop_stopped(l))
        loop_run_once(l, 1000);
}

static void test_concurrent_and_deadline(void **state)
{
    memset(starts, 0, sizeof(starts));
    memset(stops, 0, sizeof(stops));
    log_add_secret("hunter2secret");
    struct loop *l = loop_new();
    struct waiter w = {.loop = l};
    struct check_env env = {.loop = l, .kube_error = "no kubeconfig here", .ns = "dify"};
    struct check_run *r = check_run_new_defs(&env, defs, ARRAY_LEN(defs), on_change, &w);
    assert_int_equal(check_run_count(r), 6);
    assert_int_equal(check_run_result(r, 0)->status, CHECK_PENDING);
    check_run_start(r);
    /* Synchronous checks are over; the hanging and the later ones run. */
    assert_int_equal(check_run_result(r, 0)->status, CHECK_OK);
    assert_int_equal(check_run_result(r, 1)->status, CHECK_RUNNING);
    assert_int_equal(check_run_result(r, 2)->status, CHECK_RUNNING);
    assert_true(check_run_busy(r));
    run_to_end(l, r);
    assert_int_equal(w.done_calls, 1);

    const struct check_result *hang = check_run_result(r, 1);
    assert_int_equal(hang->status, CHECK_FAIL);
    assert_string_equal(hang->summary, "no answer within 1 s");
    assert_int_equal(hang->nevidence, 1);
    assert_string_equal(hang->evidence[0], "still waiting for an endpoint that never answers");
    assert_int_equal(stops[1], 1);

    const struct check_result *later = check_run_result(r, 2);
    assert_int_equal(later->status, CHECK_FAIL);
    /* The secret registered with the log never reaches a result. */
    assert_null(strstr(later->summary, "hunter2secret"));
    assert_non_null(strstr(later->summary, "***"));
    assert_string_equal(later->try_cmd, "do-this --now");
    assert_int_equal(stops[2], 1);

    /* Needs the cluster's pods, and there is no cluster. */
    const struct check_result *pods = check_run_result(r, 3);
    assert_int_equal(pods->status, CHECK_SKIPPED);
    assert_int_equal(starts[3], 0);
    assert_string_equal(pods->summary, "could not read the pods");
    assert_non_null(strstr(pods->evidence[0], "no kubeconfig here"));

    assert_int_equal(check_run_result(r, 4)->status, CHECK_WARN);
    /* Only wants the pods: runs without a cluster, and sees none. */
    assert_int_equal(check_run_result(r, 5)->status, CHECK_OK);
    assert_int_equal(wanted_pods, 0);
    /* ... and knows it saw none because they were not read, not because
     * there are none */
    assert_int_equal(wanted_read, 0);
    assert_int_equal(check_run_exit_code(r), 2);
    assert_int_equal(check_run_tally(r, CHECK_FAIL), 2);

    /* The report as JSON. */
    char *js = check_run_json(r);
    cJSON *j = cJSON_Parse(js);
    assert_non_null(j);
    assert_int_equal(cJSON_GetObjectItem(j, "exit")->valueint, 2);
    cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "checks"), 0);
    assert_string_equal(cJSON_GetObjectItem(first, "id")->valuestring, "DT-901");
    assert_string_equal(cJSON_GetObjectItem(first, "status")->valuestring, "ok");
    assert_string_equal(cJSON_GetObjectItem(first, "area")->valuestring, "migration");
    assert_null(strstr(js, "hunter2secret"));
    cJSON_Delete(j);
    free(js);

    /* Re-running one check starts only that one. */
    int before = starts[0], other = starts[4];
    check_run_restart(r, 0);
    assert_int_equal(starts[0], before + 1);
    assert_int_equal(starts[4], other);
    check_run_free(r);
    loop_free(l);
    log_clear_secrets();
}

/* Freeing a run while checks are under way stops them (no callback after). */
static void test_free_while_running(void **state)
{
    memset(stops, 0, sizeof(stops));
    struct loop *l = loop_new();
    struct waiter w = {.loop = l};
    struct check_env env = {.loop = l, .ns = "dify"};
    struct check_run *r = check_run_new_defs(&env, defs + 1, 2, on_change, &w);
    check_run_start(r);
    assert_true(check_run_busy(r));
    check_run_free(r);
    assert_int_equal(stops[1], 1);
    assert_int_equal(stops[2], 1);
    loop_run_once(l, 50);
    assert_int_equal(w.done_calls, 0);
    loop_free(l);
}

static void test_selection(void **state)
{
    struct loop *l = loop_new();
    struct check_env env = {.loop = l};
    struct error err;
    error_clear(&err);
    const char *only[] = {"DT-101", "redis"};
    struct check_run *r = check_run_new(&env, only, 2, NULL, NULL, &err);
    assert_non_null(r);
    assert_string_equal(check_run_def(r, 0)->id, "DT-101");
    for (size_t i = 1; i < check_run_count(r); i++)
        assert_int_equal(check_run_def(r, i)->area, AREA_REDIS);
    assert_int_equal(check_run_find(r, "dt-501"), 1);
    check_run_free(r);

    const char *bad[] = {"DT-999"};
    assert_null(check_run_new(&env, bad, 1, NULL, NULL, &err));
    assert_int_equal(err.code, ERR_INVALID);
    assert_non_null(strstr(err.msg, "DT-999"));

    /* Every built-in id is unique, numbered by its area. */
    for (size_t i = 0; i < check_def_count(); i++) {
        const struct check_def *d = check_def_at(i);
        char prefix[16];
        snprintf(prefix, sizeof(prefix), "DT-%d", (int)d->area);
        assert_true(str_starts_with(d->id, prefix));
        assert_ptr_equal(check_def_find(d->id), d);
        assert_non_null(d->start);
    }
    loop_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_and_deadline),
        cmocka_unit_test(test_free_while_running),
        cmocka_unit_test(test_selection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
