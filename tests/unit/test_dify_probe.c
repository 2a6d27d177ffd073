/* tests/unit/test_dify_probe.c: the health probes against canned replies
 * (tests/data/dashboard/probe-*, served by tests/unit/kube_testserver.c,
 * which checks every request: the path through the service proxy, the
 * X-Api-Key the api's Secret gave). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dify_probe.h"
#include "core/error.h"
#include "core/kube_client.h"
#include "core/kubeconfig.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"
#include "tests/unit/kube_testserver.h"

#define DATA DIFY_SRCDIR "/tests/data/dashboard/"

struct fixture {
    struct loop *loop;
    struct testserver *ts;
    struct kube_client *c;
    bool done;
    struct dify_probe_result res;
};

static struct fixture *start(const char *name)
{
    struct fixture *f = xcalloc(1, sizeof(*f));
    char *path = xasprintf(DATA "%s", name);
    f->ts = testserver_start(path);
    free(path);
    assert_non_null(f->ts);
    f->loop = loop_new();
    f->c = kube_client_new(f->loop, testserver_config(f->ts, "tok", "test"));
    return f;
}

static void finish(struct fixture *f)
{
    char *errs = testserver_errors(f->ts);
    size_t served = testserver_served(f->ts), want = testserver_expected(f->ts);
    kube_client_free(f->c);
    testserver_stop(f->ts);
    loop_free(f->loop);
    free(f);
    if (errs[0])
        fail_msg("server saw:\n%s", errs);
    free(errs);
    assert_int_equal(served, want);
}

static void on_result(const struct dify_probe_result *r, void *arg)
{
    struct fixture *f = arg;
    f->done = true;
    f->res = *r;
}

/* Runs the loop until the probe reported (bounded). */
static void wait(struct fixture *f)
{
    for (int i = 0; i < 400 && !f->done; i++)
        loop_run_once(f->loop, 50);
    assert_true(f->done);
    f->done = false;
}

static void test_health(void **state)
{
    struct fixture *f = start("probe-health");
    dify_probe_api_health(f->c, "dify", "dify-api", "5001", on_result, f);
    wait(f);
    assert_true(f->res.ok);
    assert_int_equal(f->res.kind, DIFY_PROBE_API_HEALTH);
    assert_int_equal(f->res.status, 200);
    assert_string_equal(f->res.version, "1.13.3");
    assert_true(f->res.latency_ms >= 0);

    dify_probe_daemon_health(f->c, "dify", "dify-plugin-daemon", "5002", on_result, f);
    wait(f);
    assert_false(f->res.ok);
    /* the API server answered, not the daemon */
    assert_int_equal(f->res.status, 0);
    assert_string_equal(f->res.msg,
                        "503: no endpoints available for service \"dify-plugin-daemon\"");

    dify_probe_daemon_health(f->c, "dify", "dify-plugin-daemon", "5002", on_result, f);
    wait(f);
    assert_false(f->res.ok);
    assert_int_equal(f->res.status, 200);
    assert_string_equal(f->res.msg, "200: the answer is not JSON");
    finish(f);
}

static void test_key(void **state)
{
    struct fixture *f = start("probe-key");
    dify_probe_daemon_key(f->c, "dify", "deployment", "dify-api", NULL, NULL, on_result, f);
    wait(f);
    assert_true(f->res.ok);
    assert_int_equal(f->res.key, DIFY_KEY_OK);

    dify_probe_daemon_key(f->c, "dify", "deployment", "dify-api", NULL, NULL, on_result, f);
    wait(f);
    assert_false(f->res.ok);
    assert_int_equal(f->res.key, DIFY_KEY_MISMATCH);
    assert_int_equal(f->res.status, 401);
    assert_non_null(strstr(f->res.msg, "PLUGIN_DAEMON_KEY"));
    /* the key itself is never in a message */
    assert_null(strstr(f->res.msg, "daemon-key-1"));

    dify_probe_daemon_key(f->c, "dify", "deployment", "dify-api", NULL, NULL, on_result, f);
    wait(f);
    assert_int_equal(f->res.key, DIFY_KEY_SKEW);
    assert_int_equal(f->res.status, 404);
    finish(f);
    /* the key read from the Secret is registered with the log's redaction */
    char *red = log_redact("key=daemon-key-1");
    assert_null(strstr(red, "daemon-key-1"));
    free(red);
}

static void test_key_bad(void **state)
{
    struct fixture *f = start("probe-key-bad");
    dify_probe_daemon_key(f->c, "dify", "deployment", "dify-api", NULL, NULL, on_result, f);
    wait(f);
    assert_int_equal(f->res.key, DIFY_KEY_UNKNOWN);
    assert_string_equal(f->res.msg, "the api's PLUGIN_DAEMON_KEY: Secret \"gone\" not found");
    /* localhost is not reachable through the proxy: the fallback Service */
    dify_probe_daemon_key(f->c, "dify", "deployment", "dify-api", "dify-plugin-daemon", "5002",
                          on_result, f);
    wait(f);
    assert_int_equal(f->res.key, DIFY_KEY_UNREACHABLE);
    assert_int_equal(f->res.status, 0);
    assert_non_null(strstr(f->res.msg, "no endpoints available"));
    /* no workload to read: said at once, no request made */
    dify_probe_daemon_key(f->c, "dify", "deployment", "", NULL, NULL, on_result, f);
    wait(f);
    assert_string_equal(f->res.msg, "no api workload to read");
    finish(f);
}

static void test_storage(void **state)
{
    struct fixture *f = start("probe-storage");
    static const struct {
        const char *kind, *name;
        enum dify_storage_state want;
        const char *msg;
    } cases[] = {
        {"deployment", "dify-plugin-daemon", DIFY_STORAGE_VOLUME,
         "plugins are kept on PVC \"dify-plugins\" at /app/storage"},
        {"deployment", "dify-plugin-daemon", DIFY_STORAGE_POD,
         "/app/storage is an emptyDir: installed plugins are lost when the pod is replaced"},
        {"deployment", "dify-plugin-daemon", DIFY_STORAGE_CONTAINER,
         "no volume is mounted at /app/storage: installed plugins are lost when the container "
         "restarts"},
        {"deployment", "dify-plugin-daemon", DIFY_STORAGE_EXTERNAL,
         "plugins are kept in aws_s3 storage (PLUGIN_STORAGE_TYPE): they survive a restart"},
        {"statefulset", "daemon", DIFY_STORAGE_VOLUME,
         "plugins are kept on the StatefulSet's claim \"data\" at /data/plugins"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        dify_probe_daemon_storage(f->c, "dify", cases[i].kind, cases[i].name, on_result, f);
        wait(f);
        assert_int_equal(f->res.storage, cases[i].want);
        assert_string_equal(f->res.msg, cases[i].msg);
        assert_int_equal(f->res.ok, cases[i].want == DIFY_STORAGE_VOLUME ||
                                        cases[i].want == DIFY_STORAGE_EXTERNAL);
    }
    finish(f);
}

/* A cancelled probe never calls back and leaks nothing (ASan build). */
static void test_cancel(void **state)
{
    struct fixture *f = start("probe-health");
    struct dify_probe *p = dify_probe_api_health(f->c, "dify", "dify-api", "5001", on_result, f);
    dify_probe_cancel(p);
    p = dify_probe_daemon_key(f->c, "dify", "deployment", "", NULL, NULL, on_result, f);
    dify_probe_cancel(p);
    for (int i = 0; i < 4; i++)
        loop_run_once(f->loop, 10);
    assert_false(f->done);
    kube_client_free(f->c);
    testserver_stop(f->ts);
    loop_free(f->loop);
    free(f);
}

static void test_pair(void **state)
{
    char msg[256];
    const struct dify_release *r = dify_release_default(DIFY_LINE_COMMUNITY);
    assert_int_equal(dify_probe_pair(r->api, r->plugin_daemon, msg, sizeof(msg)), DIFY_PAIR_KNOWN);
    assert_string_equal(msg, "");
    assert_int_equal(dify_probe_pair(r->api, "0.0.1-local", msg, sizeof(msg)), DIFY_PAIR_SKEW);
    assert_non_null(strstr(msg, "0.0.1-local"));
    assert_int_equal(dify_probe_pair("9.9.9", "x", msg, sizeof(msg)), DIFY_PAIR_UNKNOWN_API);
    assert_string_equal(dify_key_state_name(DIFY_KEY_SKEW), "version skew");
    assert_string_equal(dify_storage_state_name(DIFY_STORAGE_POD), "pod");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health),  cmocka_unit_test(test_key),
        cmocka_unit_test(test_key_bad), cmocka_unit_test(test_storage),
        cmocka_unit_test(test_cancel),  cmocka_unit_test(test_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
