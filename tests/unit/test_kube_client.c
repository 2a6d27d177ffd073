/* tests/unit/test_kube_client.c: the Kubernetes client against canned
 * replies (tests/data/kube/caseN): each case checks the exact requests the
 * client sends and what it makes of the replies. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_exec.h"
#include "core/kube_http.h"
#include "core/kube_store.h"
#include "core/kube_watch.h"
#include "core/kubeconfig.h"
#include "core/loop.h"
#include "core/util.h"
#include "tests/unit/kube_testserver.h"

#define DATA DIFY_SRCDIR "/tests/data/kube/"

struct fixture {
    struct loop *loop;
    struct testserver *ts;
    struct kube_client *c;
    char counter[64];
    /* results */
    bool done;
    long status;
    char *body;
    struct error err;
    int calls;
    struct kube_store *store; /* where list items go */
    size_t max_pending;       /* requests running while an item was read, at most */
};

static struct fixture *start(const char *name)
{
    struct fixture *f = xcalloc(1, sizeof(*f));
    char *path = xasprintf(DATA "%s", name);
    f->ts = testserver_start(path);
    free(path);
    assert_non_null(f->ts);
    f->loop = loop_new();
    f->c = kube_client_new(
        f->loop, testserver_config(f->ts, "tok-static", "test: context \"test\": user \"test\""));
    error_clear(&f->err);
    return f;
}

/* Turns the loop until cond holds, for at most ~20 s. */
#define RUN_UNTIL(f, cond)                                                                         \
    do {                                                                                           \
        for (int i_ = 0; i_ < 400 && !(cond); i_++)                                                \
            loop_run_once((f)->loop, 50);                                                          \
        assert_true(cond);                                                                         \
    } while (0)

static void finish(struct fixture *f)
{
    char *errs = testserver_errors(f->ts);
    size_t served = testserver_served(f->ts), want = testserver_expected(f->ts);
    kube_client_free(f->c);
    testserver_stop(f->ts);
    loop_free(f->loop);
    free(f->body);
    if (f->counter[0])
        unlink(f->counter);
    free(f);
    if (errs[0])
        fail_msg("server saw:\n%s", errs);
    free(errs);
    assert_int_equal(served, want);
}

static void on_done(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct fixture *f = arg;
    f->done = true;
    f->calls++;
    f->status = status;
    free(f->body);
    f->body = xstrndup(body, len);
    if (err)
        f->err = *err;
    else
        error_clear(&f->err);
}

/* ---- lists ---- */

static void on_list_done(const char *rv, const struct error *err, void *arg)
{
    struct fixture *f = arg;
    f->done = true;
    f->calls++;
    if (err)
        f->err = *err;
    else
        f->body = xstrdup(rv);
}

static void store_item(const cJSON *item, void *arg)
{
    struct fixture *f = arg;
    kube_store_apply(f->store, NULL, item, NULL);
    size_t pending = kube_client_pending(f->c);
    if (pending > f->max_pending)
        f->max_pending = pending;
}

static void test_list_paging(void **state)
{
    struct fixture *f = start("case001");
    struct kube_store *s = kube_store_new(KUBE_POD);
    struct kube_list_opts o = {kube_resource_find("pods"), "dify", NULL, NULL, 2};
    f->store = s;
    kube_list_start(f->c, &o, store_item, on_list_done, f);
    RUN_UNTIL(f, f->done);
    assert_false(error_is_set(&f->err));
    assert_string_equal(f->body, "104");
    assert_int_equal(kube_store_count(s), 3);
    const struct kube_obj *api = kube_store_find(s, "dify", "api-0");
    assert_non_null(api);
    assert_string_equal(api->component, "api");
    assert_string_equal(api->u.pod.reason, "Running");
    assert_int_equal(api->u.pod.ready, 1);
    assert_int_equal(api->u.pod.restarts, 2);
    assert_string_equal(api->u.pod.node, "n1");
    const struct kube_obj *w = kube_store_find(s, "dify", "worker-0");
    assert_string_equal(w->component, "worker");
    assert_string_equal(w->u.pod.reason, "CrashLoopBackOff");
    assert_string_equal(w->u.pod.last_reason, "OOMKilled");
    assert_int_equal(w->u.pod.restarts, 7);
    const struct kube_obj *web = kube_store_find(s, "dify", "web-0");
    assert_string_equal(web->component, "web");
    assert_string_equal(web->u.pod.reason, "ImagePullBackOff");
    kube_store_free(s);
    finish(f);
}

/* The next page is asked for while a page arrives, as soon as its continue
 * token (in the metadata before the items) is in: while page 1's items are
 * read, the request for page 2 is running too. Where the metadata follows
 * the items, one page after the other. Either way, the requests exactly as
 * scripted and every item in. */
static void test_list_ahead(void **state)
{
    static const struct {
        const char *name;
        size_t items, pending;
    } cases[] = {{"case028", 5, 2}, {"case029", 3, 1}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct fixture *f = start(cases[i].name);
        struct kube_store *s = kube_store_new(KUBE_POD);
        struct kube_list_opts o = {kube_resource_find("pods"), "dify", NULL, NULL, 2};
        f->store = s;
        kube_list_start(f->c, &o, store_item, on_list_done, f);
        RUN_UNTIL(f, f->done);
        assert_false(error_is_set(&f->err));
        assert_string_equal(f->body, "104");
        assert_int_equal(kube_store_count(s), cases[i].items);
        assert_int_equal(f->max_pending, cases[i].pending);
        assert_int_equal(kube_client_pending(f->c), 0);
        kube_store_free(s);
        finish(f);
    }
}

static void test_selectors(void **state)
{
    struct fixture *f = start("case002");
    struct kube_store *s = kube_store_new(KUBE_POD);
    struct kube_list_opts o = {kube_resource_find("po"), NULL,
                               "app.kubernetes.io/component=api,tier in (a,b)",
                               "status.phase!=Succeeded", 0};
    f->store = s;
    kube_list_start(f->c, &o, store_item, on_list_done, f);
    RUN_UNTIL(f, f->done);
    assert_false(error_is_set(&f->err));
    assert_string_equal(f->body, "7");
    kube_store_free(s);
    finish(f);
}

/* ---- writes ---- */

static void test_apply(void **state)
{
    struct fixture *f = start("case003");
    const char *y = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dify-api\n"
                    "  namespace: dify\nspec:\n  replicas: 2";
    kube_apply(f->c, kube_resource_find("deployments"), "dify", "dify-api", y, strlen(y), on_done,
               f);
    RUN_UNTIL(f, f->done);
    assert_false(error_is_set(&f->err));
    assert_int_equal(f->status, 200);
    finish(f);
}

static void test_delete(void **state)
{
    struct fixture *f = start("case004");
    kube_delete(f->c, kube_resource_find("jobs"), "dify", "dify-migrate", "Foreground", on_done, f);
    RUN_UNTIL(f, f->done);
    assert_false(error_is_set(&f->err));
    finish(f);
}

static void test_restart(void **state)
{
    struct fixture *f = start("case005");
    /* 2026-11-24T05:09:00Z */
    kube_rollout_restart(f->c, kube_resource_find("deploy"), "dify", "dify-worker", 1795496940LL,
                         on_done, f);
    RUN_UNTIL(f, f->done);
    assert_false(error_is_set(&f->err));
    finish(f);
}

static void test_logs(void **state)
{
    struct fixture *f = start("case006");
    struct kube_log_opts lo = {.container = "api", .tail_lines = 50, .limit_bytes = 4096};
    kube_logs(f->c, "dify", "dify-api-0", &lo, NULL, NULL, on_done, f);
    RUN_UNTIL(f, f->done);
    assert_false(error_is_set(&f->err));
    assert_string_equal(f->body, "line one\nline two\n");
    finish(f);
}

static void test_service_proxy(void **state)
{
    struct fixture *f = start("case007");
    kube_service_proxy_get(f->c, "dify", "dify-plugin-daemon", "5002", "/health/check", on_done, f);
    RUN_UNTIL(f, f->done);
    assert_false(error_is_set(&f->err));
    assert_int_equal(f->status, 200);
    assert_string_equal(f->body, "{\"status\":\"ok\"}\n");
    finish(f);
}

static void test_status_error(void **state)
{
    struct fixture *f = start("case008");
    struct kube_list_opts o = {kube_resource_find("pods"), "dify", NULL, NULL, 0};
    f->store = kube_store_new(KUBE_POD);
    kube_list_start(f->c, &o, store_item, on_list_done, f);
    RUN_UNTIL(f, f->done);
    kube_store_free(f->store);
    assert_int_equal(f->err.code, ERR_HTTP);
    assert_int_equal(f->err.detail, 403);
    assert_string_equal(f->err.msg,
                        "GET /api/v1/namespaces/dify/pods: 403 Forbidden: pods is forbidden: User "
                        "\"system:serviceaccount:dify:viewer\" cannot list resource \"pods\" in "
                        "API group \"\" in the namespace \"dify\"");
    finish(f);
}

/* A header value with CR/LF would start headers of its own: refused before
 * anything is sent (the server's script has no exchange at all). */
static void test_token_with_crlf_not_sent(void **state)
{
    struct fixture *f = start("case017");
    kube_client_free(f->c);
    struct kube_config *cfg =
        testserver_config(f->ts, "tok-static", "test: context \"test\": user \"test\"");
    str_replace(&cfg->token, "tok\r\nX-Injected: 1");
    f->c = kube_client_new(f->loop, cfg);
    kube_get(f->c, kube_resource_find("svc"), "dify", "dify-api", on_done, f);
    RUN_UNTIL(f, f->done);
    assert_int_equal(f->status, 0);
    if (!strstr(f->err.msg, "header Authorization holds a control character (byte 10 of its "
                            "value); not sent"))
        fail_msg("message: %s", f->err.msg);
    assert_null(strstr(f->err.msg, "Injected"));
    finish(f);
}

/* ---- exec credential plugin ---- */

static struct kube_exec_spec *plugin_spec(const char *counter, const char *mode)
{
    struct kube_exec_spec *s = xcalloc(1, sizeof(*s));
    s->api_version = xstrdup("client.authentication.k8s.io/v1beta1");
    s->command = xstrdup(DATA "exec-plugin.sh");
    s->args = xcalloc(1, sizeof(char *));
    s->env = xcalloc(3, sizeof(*s->env));
    s->env[0].name = xstrdup("COUNTER_FILE");
    s->env[0].value = xstrdup(counter);
    s->env[1].name = xstrdup("EXEC_MODE");
    s->env[1].value = xstrdup(mode);
    s->nenv = 2;
    s->install_hint = xstrdup("see tests/data/kube");
    return s;
}

/* Replaces the fixture's client by one whose token comes from
 * exec-plugin.sh in mode (see there), which counts its runs in
 * /tmp/<counter>.<pid>. */
static void use_exec_plugin(struct fixture *f, const char *counter, const char *mode)
{
    kube_client_free(f->c);
    struct kube_config *cfg =
        testserver_config(f->ts, "tok-static", "test: context \"test\": user \"test\"");
    str_free_secret(cfg->token);
    cfg->token = NULL;
    snprintf(f->counter, sizeof(f->counter), "/tmp/%s.%d", counter, (int)getpid());
    unlink(f->counter);
    cfg->exec = plugin_spec(f->counter, mode);
    f->c = kube_client_new(f->loop, cfg);
}

/* GET services/dify-api in dify, which must succeed. */
static void get_api_service(struct fixture *f)
{
    f->done = false;
    kube_get(f->c, kube_resource_find("svc"), "dify", "dify-api", on_done, f);
    RUN_UNTIL(f, f->done);
    assert_false(error_is_set(&f->err));
}

static void test_exec_401_refresh(void **state)
{
    struct fixture *f = start("case009");
    use_exec_plugin(f, "dify-tui-exec-count", "");
    get_api_service(f);
    assert_int_equal(kube_client_exec_runs(f->c), 1);
    /* The second request is refused with 401: the plugin runs again and the
     * request goes out once more with the new token. */
    get_api_service(f);
    assert_int_equal(f->status, 200);
    assert_int_equal(kube_client_exec_runs(f->c), 2);
    assert_int_equal(f->calls, 2);
    finish(f);
}

static void test_exec_expired(void **state)
{
    struct fixture *f = start("case015");
    use_exec_plugin(f, "dify-tui-exec-count2", "expired");
    get_api_service(f);
    get_api_service(f);
    assert_int_equal(kube_client_exec_runs(f->c), 2);
    finish(f);
}

/* A log chunk or a split line: appended to the strbuf arg, then '|'. */
static int collect_piece(const char *data, size_t n, void *arg)
{
    struct strbuf *sb = arg;
    strbuf_add(sb, data, n);
    strbuf_addc(sb, '|');
    return 0;
}

static void test_logs_follow(void **state)
{
    struct fixture *f = start("case016");
    struct strbuf got;
    strbuf_init(&got);
    struct kube_log_opts lo = {.tail_lines = 10, .follow = true};
    kube_logs(f->c, "dify", "dify-api-0", &lo, collect_piece, &got, on_done, f);
    RUN_UNTIL(f, f->done);
    assert_false(error_is_set(&f->err));
    /* nothing buffered for the done callback: it all went to the chunks */
    assert_string_equal(f->body, "");
    char *joined = xstrdup(got.buf);
    size_t j = 0;
    for (size_t i = 0; joined[i]; i++)
        if (joined[i] != '|')
            joined[j++] = joined[i];
    joined[j] = '\0';
    assert_string_equal(joined, "2026-11-24 first line\n2026-11-24 second line\n");
    free(joined);
    strbuf_done(&got);
    finish(f);
}

/* ---- watches ---- */

struct events {
    struct strbuf log;
    int errors;
};

static void record(enum kube_kind kind, enum kube_change ch, const struct kube_obj *o, void *arg)
{
    struct events *ev = arg;
    static const char *const names[] = {"ADDED", "MODIFIED", "DELETED"};
    strbuf_addf(&ev->log, "%s %s/%s %llu\n", names[ch], o->ns, o->name, o->rv);
}

/* A pod store watching namespace dify, its changes recorded in ev. */
struct pod_watch {
    struct kube_store *s;
    struct events ev;
    struct kube_watch *w;
};

static void pod_watch_start(struct pod_watch *pw, struct fixture *f)
{
    pw->s = kube_store_new(KUBE_POD);
    strbuf_init(&pw->ev.log);
    kube_store_subscribe(pw->s, record, &pw->ev);
    struct kube_watch_opts o = {
        .res = kube_resource_find("pods"), .ns = "dify", .backoff_initial_ms = 10};
    pw->w = kube_store_watch(pw->s, f->c, &o);
}

static void pod_watch_stop(struct pod_watch *pw)
{
    kube_watch_cancel(pw->w);
    kube_store_free(pw->s);
    strbuf_done(&pw->ev.log);
}

static void test_watch_410_relist(void **state)
{
    struct fixture *f = start("case010");
    struct pod_watch pw;
    pod_watch_start(&pw, f);
    struct kube_store *s = pw.s;
    struct kube_watch *w = pw.w;
    RUN_UNTIL(f, testserver_served(f->ts) == 4 && kube_store_find(s, "dify", "c") &&
                     kube_store_find(s, "dify", "c")->rv == 21);
    assert_int_equal(kube_watch_lists(w), 2);
    assert_string_equal(kube_watch_resource_version(w), "21");
    /* "a" vanished in the relist: the store says so. */
    assert_null(kube_store_find(s, "dify", "a"));
    assert_string_equal(pw.ev.log.buf, "ADDED dify/a 9\n"
                                       "ADDED dify/b 11\n"
                                       "ADDED dify/c 19\n"
                                       "DELETED dify/a 9\n"
                                       "MODIFIED dify/c 21\n");
    pod_watch_stop(&pw);
    finish(f);
}

static void test_watch_drop_resume(void **state)
{
    struct fixture *f = start("case011");
    struct pod_watch pw;
    pod_watch_start(&pw, f);
    struct kube_store *s = pw.s;
    struct kube_watch *w = pw.w;
    RUN_UNTIL(f, testserver_served(f->ts) == 3 && !kube_store_find(s, "dify", "b"));
    assert_string_equal(pw.ev.log.buf, "ADDED dify/a 5\n"
                                       "ADDED dify/b 11\n"
                                       "MODIFIED dify/a 12\n"
                                       "ADDED dify/c 13\n"
                                       "DELETED dify/b 11\n");
    assert_int_equal(kube_watch_lists(w), 1);
    assert_int_equal(kube_watch_connects(w), 2);
    pod_watch_stop(&pw);
    finish(f);
}

/* A pod store in namespace dify watched with stream_list. */
static void stream_watch_start(struct pod_watch *pw, struct fixture *f)
{
    pw->s = kube_store_new(KUBE_POD);
    strbuf_init(&pw->ev.log);
    kube_store_subscribe(pw->s, record, &pw->ev);
    struct kube_watch_opts o = {.res = kube_resource_find("pods"),
                                .ns = "dify",
                                .backoff_initial_ms = 10,
                                .stream_list = true};
    pw->w = kube_store_watch(pw->s, f->c, &o);
}

static void test_watch_stream_list(void **state)
{
    struct fixture *f = start("case025");
    struct pod_watch pw;
    stream_watch_start(&pw, f);
    const struct kube_obj *a;
    RUN_UNTIL(f, (a = kube_store_find(pw.s, "dify", "a")) && a->rv == 11);
    assert_true(kube_store_synced(pw.s));
    assert_true(kube_watch_streaming(pw.w));
    assert_int_equal(kube_watch_lists(pw.w), 1);
    assert_int_equal(kube_watch_connects(pw.w), 1);
    assert_string_equal(kube_watch_resource_version(pw.w), "11");
    assert_string_equal(pw.ev.log.buf, "ADDED dify/a 5\n"
                                       "ADDED dify/b 7\n"
                                       "MODIFIED dify/a 11\n");
    pod_watch_stop(&pw);
    finish(f);
}

static void test_watch_stream_refused(void **state)
{
    struct fixture *f = start("case026");
    struct pod_watch pw;
    stream_watch_start(&pw, f);
    const struct kube_obj *a;
    RUN_UNTIL(f, (a = kube_store_find(pw.s, "dify", "a")) && a->rv == 12);
    assert_false(kube_watch_streaming(pw.w));
    assert_int_equal(kube_watch_lists(pw.w), 2);
    assert_string_equal(pw.ev.log.buf, "ADDED dify/a 9\n"
                                       "MODIFIED dify/a 12\n");
    pod_watch_stop(&pw);
    finish(f);
}

static void test_watch_stream_ignored(void **state)
{
    struct fixture *f = start("case027");
    struct pod_watch pw;
    stream_watch_start(&pw, f);
    RUN_UNTIL(f, kube_store_find(pw.s, "dify", "c") != NULL);
    assert_false(kube_watch_streaming(pw.w));
    /* a 5 came as a list item of the stream, a 8 from the paged list that
     * followed the change no streaming list has */
    assert_string_equal(pw.ev.log.buf, "ADDED dify/a 5\n"
                                       "MODIFIED dify/a 8\n"
                                       "ADDED dify/c 11\n");
    pod_watch_stop(&pw);
    finish(f);
}

static void test_watch_bookmark(void **state)
{
    struct fixture *f = start("case012");
    struct kube_store *s = kube_store_new(KUBE_POD);
    struct kube_watch_opts o = {.res = kube_resource_find("pods"),
                                .ns = "dify",
                                .timeout_seconds = 300,
                                .backoff_initial_ms = 10};
    struct kube_watch *w = kube_store_watch(s, f->c, &o);
    RUN_UNTIL(f, kube_store_find(s, "dify", "z") != NULL);
    assert_string_equal(kube_watch_resource_version(w), "51");
    kube_watch_cancel(w);
    kube_store_free(s);
    finish(f);
}

/* ---- bad replies ---- */

static void test_truncated_json(void **state)
{
    struct fixture *f = start("case013");
    struct kube_store *s = kube_store_new(KUBE_POD);
    struct kube_list_opts o = {kube_resource_find("pods"), "dify", NULL, NULL, 0};
    f->store = s;
    kube_list_start(f->c, &o, store_item, on_list_done, f);
    RUN_UNTIL(f, f->done);
    assert_int_equal(f->err.code, ERR_PARSE);
    if (!strstr(f->err.msg, "GET /api/v1/namespaces/dify/pods: invalid JSON in the reply"))
        fail_msg("message: %s", f->err.msg);
    kube_store_free(s);
    finish(f);
}

static void test_too_large(void **state)
{
    struct fixture *f = start("case014");
    struct kube_client_limits lim = {.max_body = 1024};
    kube_client_set_limits(f->c, &lim);
    kube_get(f->c, kube_resource_find("cm"), "dify", "big", on_done, f);
    RUN_UNTIL(f, f->done);
    if (!strstr(f->err.msg, "reply larger than 1024 bytes"))
        fail_msg("message: %s", f->err.msg);
    finish(f);
}

/* ---- hostile and odd servers ---- */

static void test_status_kept_whole(void **state)
{
    struct fixture *f = start("case018");
    kube_apply(f->c, kube_resource_find("jobs"), "dify", "dify-db-migrate", "{}", 2, on_done, f);
    RUN_UNTIL(f, f->done);
    assert_int_equal(f->err.detail, 422);
    assert_true(strlen(f->err.msg) > 3900);
    if (!strstr(f->err.msg, "}: field is immutable; spec.selector.extra: Required value"))
        fail_msg("message end: %s", f->err.msg + strlen(f->err.msg) - 200);
    /* the cause the message already holds is not repeated */
    assert_null(strstr(f->err.msg, "; spec.template:"));
    finish(f);
}

static void get_cm(struct fixture *f, const char *name)
{
    f->done = false;
    kube_get(f->c, kube_resource_find("cm"), "dify", name, on_done, f);
    RUN_UNTIL(f, f->done);
}

static void test_throttled_retried(void **state)
{
    struct fixture *f = start("case019");
    struct kube_client_limits lim = {.retry_initial_ms = 10};
    kube_client_set_limits(f->c, &lim);
    get_cm(f, "a");
    assert_false(error_is_set(&f->err));
    assert_int_equal(f->status, 200);
    assert_int_equal(f->calls, 1);
    finish(f);
}

static void test_throttled_gives_up(void **state)
{
    struct fixture *f = start("case020");
    get_cm(f, "b");
    assert_int_equal(f->err.detail, 503);
    if (!strstr(f->err.msg, "503 Service Unavailable: etcdserver: leader changed (gave up after 5 "
                            "tries)"))
        fail_msg("message: %s", f->err.msg);
    finish(f);
}

static void list_pods(struct fixture *f)
{
    f->store = kube_store_new(KUBE_POD);
    struct kube_list_opts o = {kube_resource_find("pods"), "dify", NULL, NULL, 0};
    kube_list_start(f->c, &o, store_item, on_list_done, f);
    RUN_UNTIL(f, f->done);
    kube_store_free(f->store);
    f->store = NULL;
}

static void test_redirect_named(void **state)
{
    struct fixture *f = start("case021");
    list_pods(f);
    assert_int_equal(f->err.detail, 302);
    if (!strstr(f->err.msg, ": the server redirects to https://login.example.com/sso?next=/api/v1/"
                            "namespaces/dify/pods; the kubeconfig's server should be the API "
                            "server itself (test: context \"test\": cluster \"test\": server "
                            "\"http://127.0.0.1:"))
        fail_msg("message: %s", f->err.msg);
    finish(f);
}

static void test_huge_header_named(void **state)
{
    struct fixture *f = start("case022");
    list_pods(f);
    assert_int_equal(f->err.code, ERR_NETWORK);
    if (!strstr(f->err.msg, ": the reply has a header line over curl's 100 KiB limit") ||
        !strstr(f->err.msg, "(test: context \"test\": cluster \"test\": server"))
        fail_msg("message: %s", f->err.msg);
    finish(f);
}

static void test_repeated_continue(void **state)
{
    struct fixture *f = start("case023");
    list_pods(f);
    if (!strstr(f->err.msg, "GET /api/v1/namespaces/dify/pods: the server sent continue token "
                            "\"tok-A\" again after page 3 (it gave it first after page 1)"))
        fail_msg("message: %s", f->err.msg);
    finish(f);
}

/* The second 410 in a row waits (30 s here) instead of relisting at once:
 * the script ends after it and nothing more may arrive. */
static void test_relist_backs_off(void **state)
{
    struct fixture *f = start("case024");
    struct kube_store *s = kube_store_new(KUBE_POD);
    struct kube_watch_opts o = {.res = kube_resource_find("pods"),
                                .ns = "dify",
                                .backoff_initial_ms = 30000,
                                .backoff_max_ms = 60000};
    struct kube_watch *w = kube_store_watch(s, f->c, &o);
    RUN_UNTIL(f, testserver_served(f->ts) == 4 && kube_client_pending(f->c) == 0);
    for (int i = 0; i < 6; i++)
        loop_run_once(f->loop, 50);
    assert_int_equal(kube_watch_lists(w), 2);
    assert_int_equal(testserver_served(f->ts), 4);
    kube_watch_cancel(w);
    kube_store_free(s);
    finish(f);
}

/* Cancel: no callback afterwards, nothing left in flight. */
static void test_cancel(void **state)
{
    struct fixture *f = start("case007");
    struct kube_req *r = kube_service_proxy_get(f->c, "dify", "dify-plugin-daemon", "5002",
                                                "/health/check", on_done, f);
    kube_req_cancel(r);
    for (int i = 0; i < 5; i++)
        loop_run_once(f->loop, 10);
    assert_false(f->done);
    assert_int_equal(kube_client_pending(f->c), 0);
    /* The server may or may not have seen the request: no exact check. */
    kube_client_free(f->c);
    f->c = NULL;
    testserver_stop(f->ts);
    loop_free(f->loop);
    free(f);
}

/* ---- the line splitter: lines in pieces ---- */

static void test_lines_in_pieces(void **state)
{
    struct kube_lines l;
    kube_lines_init(&l, 64);
    struct strbuf out;
    strbuf_init(&out);
    const char *text = "{\"a\":1}\n{\"b\":2}\r\n\n{\"c\":3}\n{\"partial";
    for (size_t i = 0; text[i]; i++)
        assert_int_equal(kube_lines_feed(&l, text + i, 1, collect_piece, &out), 0);
    assert_string_equal(out.buf, "{\"a\":1}|{\"b\":2}\r|{\"c\":3}|");
    assert_int_equal(l.buf.len, strlen("{\"partial"));
    /* A line past the bound is refused. */
    char big[100];
    memset(big, 'x', sizeof(big));
    assert_int_equal(kube_lines_feed(&l, big, sizeof(big), collect_piece, &out), -1);
    kube_lines_done(&l);
    strbuf_done(&out);
}

/* Every spelling kubectl accepts for a resource, including the
 * "deployment.apps" that `-o name` prints. */
static void test_resource_names(void **state)
{
    const struct kube_resource *d = kube_resource_find("deployments");
    assert_non_null(d);
    const char *same[] = {"deployment", "Deployment", "deploy", "deployments.apps",
                          "deployment.apps"};
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        assert_ptr_equal(kube_resource_find(same[i]), d);
    assert_ptr_equal(kube_resource_find("job.batch"), kube_resource_find("jobs"));
    assert_null(kube_resource_find("deployment.batch"));
    assert_null(kube_resource_find("deploymentsapps"));
    assert_null(kube_resource_find(""));
}

/* An unreachable server's error, said briefly: the host and the error, not
 * the URL (the dashboard's banner cut it inside the URL at 100 columns). */
static char brief_host[64];
static const char *brief(const char *msg)
{
    static char why[512];
    kube_http_err_brief(msg, brief_host, sizeof(brief_host), why, sizeof(why));
    return why;
}

static void test_err_brief(void **state)
{
    (void)state;
    assert_string_equal(brief("GET https://127.0.0.1:6443/api/v1/pods?watch=1: "
                              "Failed to connect to 127.0.0.1 port 6443 after 0 ms: "
                              "Connection refused"),
                        "Connection refused");
    assert_string_equal(brief_host, "127.0.0.1:6443");
    /* an IPv6 literal: curl names it without its brackets */
    assert_string_equal(brief("GET https://[::1]:6443/api/v1/pods?watch=1: "
                              "Failed to connect to ::1 port 6443 after 0 ms: "
                              "Couldn't connect to server"),
                        "Couldn't connect to server");
    assert_string_equal(brief_host, "[::1]:6443");
    assert_string_equal(brief("GET https://[fd00:1::2]/api: Failed to connect to "
                              "fd00:1::2 port 443 after 3 ms: Connection refused"),
                        "Connection refused");
    assert_string_equal(brief_host, "[fd00:1::2]");
    /* the kubeconfig entry the client adds to a transport error names the
     * host again: left out (its ": " are not the reason's) */
    assert_string_equal(
        brief("GET https://127.0.0.1:39025/api/v1/namespaces/dify/events?limit=500: "
              "Failed to connect to 127.0.0.1 port 39025 after 0 ms: Couldn't "
              "connect to server (/tmp/kc: context \"v6\": cluster \"v6\": server "
              "\"https://127.0.0.1:39025\")"),
        "Couldn't connect to server");
    assert_string_equal(brief_host, "127.0.0.1:39025");
    assert_string_equal(brief("GET https://[::1]:39025/api: Failed to connect to ::1 port 39025 "
                              "after 0 ms: Couldn't connect to server (/tmp/kc: context \"v6\": "
                              "cluster \"v6\": server \"https://[::1]:39025\")"),
                        "Couldn't connect to server");
    /* a parenthesis that is the reason's own stays */
    assert_string_equal(brief("GET https://k.example/api: SSL connect error (OpenSSL: alert)"),
                        "SSL connect error (OpenSSL: alert)");
    /* a reason that does not repeat the host stays whole */
    assert_string_equal(brief("LIST https://k.example/api: Could not resolve host: "
                              "k.example.internal"),
                        "Could not resolve host: k.example.internal");
    assert_string_equal(brief_host, "k.example");
    assert_string_equal(brief("GET http://h:1/x: SSL certificate problem: self-signed "
                              "certificate"),
                        "SSL certificate problem: self-signed certificate");
    /* another shape comes back whole, with no host */
    assert_string_equal(brief("PostgreSQL at db: not connected"),
                        "PostgreSQL at db: not connected");
    assert_string_equal(brief_host, "");
    assert_string_equal(brief("GET nothing"), "GET nothing");
    assert_string_equal(brief(""), "");
}

int main(void)
{
    /* Loopback only: no proxy from the environment. */
    setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_paging),
        cmocka_unit_test(test_list_ahead),
        cmocka_unit_test(test_selectors),
        cmocka_unit_test(test_apply),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_restart),
        cmocka_unit_test(test_logs),
        cmocka_unit_test(test_service_proxy),
        cmocka_unit_test(test_status_error),
        cmocka_unit_test(test_exec_401_refresh),
        cmocka_unit_test(test_watch_410_relist),
        cmocka_unit_test(test_watch_drop_resume),
        cmocka_unit_test(test_watch_bookmark),
        cmocka_unit_test(test_truncated_json),
        cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_lines_in_pieces),
        cmocka_unit_test(test_exec_expired),
        cmocka_unit_test(test_logs_follow),
        cmocka_unit_test(test_resource_names),
        cmocka_unit_test(test_token_with_crlf_not_sent),
        cmocka_unit_test(test_status_kept_whole),
        cmocka_unit_test(test_throttled_retried),
        cmocka_unit_test(test_throttled_gives_up),
        cmocka_unit_test(test_redirect_named),
        cmocka_unit_test(test_huge_header_named),
        cmocka_unit_test(test_repeated_continue),
        cmocka_unit_test(test_relist_backs_off),
        cmocka_unit_test(test_watch_stream_list),
        cmocka_unit_test(test_watch_stream_refused),
        cmocka_unit_test(test_watch_stream_ignored),
        cmocka_unit_test(test_err_brief),
    };
    return cmocka_run_group_tests_name("kube_client", tests, NULL, NULL);
}
