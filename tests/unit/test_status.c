/* tests/unit/test_status.c: the dashboard's model (core/status.h) fed by
 * hand from tests/data/dashboard/model-*.json at a fixed clock: component
 * rows by each layout's labels and by image, kubectl's rollout words,
 * problems from pods, missing expected components, others, jobs, grouped
 * events, malformed objects said and not shown, coalesced notifications
 * and row generations that move only with content. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/error.h"
#include "core/journal.h"
#include "core/status.h"
#include "core/status_impl.h"
#include "core/util.h"
#include "tests/unit/status_fixture.h"

static const struct status_comp *comp_named(struct status *m, const char *name)
{
    for (size_t i = 0; i < status_ncomps(m); i++)
        if (!strcmp(status_comp_at(m, i)->name, name))
            return status_comp_at(m, i);
    return NULL;
}

static void test_components(void **state)
{
    struct status *m = status_fixture("model-mixed.json");
    /* order: api, worker, web, plugin daemon */
    assert_int_equal(status_ncomps(m), 4);
    assert_int_equal(status_comp_at(m, 0)->comp, DIFY_COMP_API);
    assert_int_equal(status_comp_at(m, 1)->comp, DIFY_COMP_WORKER);
    assert_int_equal(status_comp_at(m, 2)->comp, DIFY_COMP_WEB);
    assert_int_equal(status_comp_at(m, 3)->comp, DIFY_COMP_PLUGIN_DAEMON);

    const struct status_comp *api = comp_named(m, "dify-api");
    assert_int_equal(api->rollout, SR_COMPLETE);
    assert_int_equal(api->how, DIFY_MATCH_LABEL);
    assert_string_equal(api->tag, "1.13.3");
    assert_int_equal(api->pods, 1);
    assert_string_equal(api->reason, "deployment \"dify-api\" successfully rolled out");

    /* douban's label; 3 replicas of 2 wanted, one old pending termination */
    const struct status_comp *web = comp_named(m, "dify-web");
    assert_int_equal(web->rollout, SR_PROGRESSING);
    assert_int_equal(web->desired, 2);
    assert_string_equal(web->reason, "Waiting for deployment \"dify-web\" rollout to finish: 1 out "
                                     "of 2 new replicas have been updated...");

    const struct status_comp *d = comp_named(m, "dify-plugin-daemon");
    assert_int_equal(d->rollout, SR_DEADLINE);
    assert_int_equal(d->restarts, 4);
    assert_string_equal(d->problem, "1 CrashLoopBackOff (last: Error)");
    assert_non_null(strstr(d->reason, "exceeded its progress deadline"));
    assert_non_null(strstr(d->reason, "has timed out progressing"));

    /* found by image, paused */
    const struct status_comp *w = comp_named(m, "dify-worker");
    assert_int_equal(w->how, DIFY_MATCH_IMAGE);
    assert_int_equal(w->rollout, SR_PAUSED);
    assert_string_equal(status_rollout_word(w->rollout), "paused");

    /* others: grafana and the bare pod; the malformed pod is in neither */
    assert_int_equal(status_nothers(m), 2);
    assert_string_equal(status_other_at(m, 0)->name, "debug");
    assert_int_equal(status_other_at(m, 0)->kind, KUBE_POD);
    assert_string_equal(status_other_at(m, 1)->name, "grafana");
    const struct status_conn *c = status_conn(m);
    assert_int_equal(c->nmalformed, 1);
    assert_non_null(strstr(c->malformed[0], "pod \"bad\" in namespace \"dify\" is malformed"));
    assert_non_null(strstr(c->malformed[0], "restartCount"));
    for (size_t i = 0; i < status_npods(m); i++)
        assert_string_not_equal(status_pod_at(m, i)->obj->name, "bad");

    /* the pair: api 1.13.3 with daemon 0.5.3-local */
    const struct status_health *h = status_health(m);
    assert_true(h->pair_checked);
    assert_string_equal(h->api_tag, "1.13.3");
    assert_string_equal(h->daemon_tag, "0.5.3-local");
    assert_false(status_healthy(m));
    status_free(m);
}

static void test_pods_jobs_events(void **state)
{
    struct status *m = status_fixture("model-mixed.json");
    /* pods by component: api, web, daemon, migration, then others */
    assert_int_equal(status_npods(m), 5);
    assert_string_equal(status_pod_at(m, 0)->obj->name, "dify-api-6d4f-aaaaa");
    assert_string_equal(status_pod_at(m, 0)->workload, "dify-api");
    const struct status_pod *p = status_pod_at(m, 2);
    assert_string_equal(p->obj->name, "dify-plugin-daemon-77-ccccc");
    assert_true(p->problem);
    assert_string_equal(p->obj->u.pod.reason, "CrashLoopBackOff");
    assert_int_equal(status_pod_at(m, 3)->comp, DIFY_COMP_MIGRATION);
    assert_string_equal(status_pod_at(m, 4)->obj->name, "debug");

    const struct status_job *mig = status_migration(m);
    assert_non_null(mig);
    assert_int_equal(mig->state, ROLLOUT_FAILED);
    assert_int_equal(mig->attempts, 2);
    assert_int_equal(mig->duration, 600);
    assert_string_equal(mig->newest_pod, "dify-db-migrate-0123456789-x1");
    assert_string_equal(mig->msg,
                        "job \"dify-db-migrate-0123456789\" failed: BackoffLimitExceeded: "
                        "Job has reached the specified backoff limit");

    /* warnings first, grouped and counted; then the newer normal one */
    assert_int_equal(status_nevents(m), 2);
    const struct status_event *e = status_event_at(m, 0);
    assert_string_equal(e->type, "Warning");
    assert_int_equal(e->count, 5);
    assert_int_equal(e->events, 2);
    assert_string_equal(status_event_at(m, 1)->reason, "Started");
    status_free(m);
}

/* The events are grouped and sorted when asked, not at every flush: what
 * changed between two asks (added, grouped with others, deleted, with
 * flushes for other changes in between) is all there at the next ask. */
static void test_events_when_asked(void **state)
{
    struct status *m = status_fixture("model-mixed.json");
    assert_int_equal(status_nevents(m), 2);
    status_fixture_apply(
        m, "ADDED",
        "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"e4\","
        "\"namespace\":\"dify\",\"uid\":\"u-e4\",\"resourceVersion\":\"5\","
        "\"creationTimestamp\":\"2026-12-01T10:08:00Z\"},\"involvedObject\":{\"kind\":\"Pod\","
        "\"name\":\"debug\"},\"reason\":\"Failed\",\"message\":\"Error: ErrImagePull\","
        "\"type\":\"Warning\",\"count\":1,\"lastTimestamp\":\"2026-12-01T10:08:00Z\"}");
    status_flush(m);
    /* a pod change flushed meanwhile: the events are still the store's */
    status_fixture_apply(m, "DELETED",
                         "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":"
                         "\"debug\",\"namespace\":\"dify\",\"resourceVersion\":\"6\"}}");
    status_flush(m);
    assert_int_equal(status_nevents(m), 3);
    assert_string_equal(status_event_at(m, 0)->name, "debug"); /* the newest warning */
    assert_string_equal(status_event_at(m, 0)->reason, "Failed");
    assert_int_equal(status_event_at(m, 1)->events, 2);
    /* one of the grouped pair deleted: the group counts the other alone */
    status_fixture_apply(m, "DELETED",
                         "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":"
                         "\"e1\",\"namespace\":\"dify\",\"resourceVersion\":\"7\"}}");
    status_flush(m);
    status_flush(m);
    assert_int_equal(status_nevents(m), 3);
    assert_int_equal(status_event_at(m, 1)->events, 1);
    assert_int_equal(status_event_at(m, 1)->count, 2);
    assert_string_equal(status_event_at(m, 2)->reason, "Started");
    status_free(m);
}

static void test_expected(void **state)
{
    struct status *m = status_fixture("model-mixed.json");
    status_expect(m, DIFY_COMP_SANDBOX, "0.2.14");
    status_expect(m, DIFY_COMP_API, "1.14.0");
    status_flush(m);
    const struct status_comp *sb = NULL;
    for (size_t i = 0; i < status_ncomps(m); i++)
        if (status_comp_at(m, i)->comp == DIFY_COMP_SANDBOX)
            sb = status_comp_at(m, i);
    assert_non_null(sb);
    assert_int_equal(sb->rollout, SR_MISSING);
    assert_int_equal(sb->kind, KUBE_KIND_COUNT);
    assert_string_equal(comp_named(m, "dify-api")->expected_tag, "1.14.0");
    status_free(m);

    /* from an install's journal, read without its lock */
    char dir[] = "/tmp/dify-status-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/journal.jsonl", dir);
    const char *text = "{\"time\":\"2026-12-01T09:00:00Z\",\"event\":\"run\",\"step\":\"\"}\n"
                       "{\"time\":\"2026-12-01T09:01:00Z\",\"event\":\"finished\",\"step\":"
                       "\"rollout\",\"namespace\":\"dify\",\"expect.api\":\"1.13.3\","
                       "\"expect.plugin-daemon\":\"0.5.3-local\",\"expect.nonsense\":\"x\"}\n"
                       "{\"time\":\"2026-12-01T09:02:00Z\",\"event\":\"fin";
    struct error err;
    assert_int_equal(file_write_atomic(path, text, strlen(text), 0600, &err), 0);
    m = status_fixture("model-mixed.json");
    char ns[64];
    assert_int_equal(status_expect_journal_file(m, dir, ns, sizeof(ns), &err), 2);
    assert_string_equal(ns, "dify");
    status_flush(m);
    assert_string_equal(comp_named(m, "dify-plugin-daemon")->expected_tag, "0.5.3-local");
    assert_int_equal(status_expect_journal_file(m, "/nonexistent", ns, sizeof(ns), &err), -1);
    status_free(m);

    /* a newer run's "revision" step (core/history.c) wins: api, worker and
     * web at its Dify tag, the plugin daemon at its daemon tag */
    const char *text2 =
        "{\"time\":\"2026-12-01T09:00:00Z\",\"event\":\"finished\",\"step\":\"rollout\","
        "\"expect.api\":\"1.13.3\"}\n"
        "{\"time\":\"2026-12-01T09:01:00Z\",\"event\":\"run\",\"step\":\"\",\"what\":\"install\"}\n"
        "{\"time\":\"2026-12-01T09:02:00Z\",\"event\":\"finished\",\"step\":\"revision\","
        "\"out.image_tag\":\"1.14.0\",\"out.daemon_tag\":\"0.5.4-local\",\"out.method\":\"helm\"}"
        "\n";
    assert_int_equal(file_write_atomic(path, text2, strlen(text2), 0600, &err), 0);
    m = status_fixture("model-mixed.json");
    assert_int_equal(status_expect_journal_file(m, dir, ns, sizeof(ns), &err), 4);
    assert_string_equal(ns, "");
    status_flush(m);
    assert_string_equal(comp_named(m, "dify-api")->expected_tag, "1.14.0");
    assert_string_equal(comp_named(m, "dify-worker")->expected_tag, "1.14.0");
    assert_string_equal(comp_named(m, "dify-plugin-daemon")->expected_tag, "0.5.4-local");
    status_free(m);
    /* the same through an open journal */
    struct journal *j;
    if (journal_open(dir, "test", &j, &err) < 0)
        fail_msg("%s", err.msg);
    m = status_fixture("model-mixed.json");
    assert_int_equal(status_expect_journal(m, j), 4);
    status_flush(m);
    assert_string_equal(comp_named(m, "dify-web")->expected_tag, "1.14.0");
    status_free(m);
    journal_close(j);
    unlink(path);
    char *lock = xasprintf("%s/lock", dir);
    unlink(lock);
    free(lock);
    rmdir(dir);
    free(path);
}

/* An api and plugin daemon that are not a known pair are flagged; a data
 * store running in the namespace is a component row of its own. */
static void test_skew_and_stores(void **state)
{
    struct status *m = status_fixture("model-mixed.json");
    assert_true(status_health(m)->pair_checked);
    assert_int_equal(status_health(m)->pair, DIFY_PAIR_KNOWN);
    status_fixture_apply(
        m, "MODIFIED",
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"dify-plugin-"
        "daemon\",\"namespace\":\"dify\",\"uid\":\"u-dify-plugin-daemon\",\"resourceVersion\":"
        "\"9\",\"creationTimestamp\":\"2026-12-01T10:00:00Z\",\"generation\":2,\"labels\":{"
        "\"component\":\"plugin-daemon\"}},\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":"
        "{\"component\":\"plugin-daemon\"}},\"template\":{\"metadata\":{\"labels\":{\"component\":"
        "\"plugin-daemon\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"langgenius/"
        "dify-plugin-daemon:0.0.1-local\"}]}}},\"status\":{\"observedGeneration\":2,\"replicas\":"
        "1,\"updatedReplicas\":1,\"readyReplicas\":1,\"availableReplicas\":1}}");
    status_fixture_apply(
        m, "ADDED",
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"dify-"
        "postgresql\",\"namespace\":\"dify\",\"uid\":\"u-pg\",\"resourceVersion\":\"10\","
        "\"creationTimestamp\":\"2026-12-01T10:00:00Z\",\"generation\":1,\"labels\":{"
        "\"app.kubernetes.io/component\":\"primary\"}},\"spec\":{\"replicas\":1,\"selector\":{"
        "\"matchLabels\":{\"app.kubernetes.io/component\":\"primary\"}},\"template\":{\"spec\":{"
        "\"containers\":[{\"name\":\"postgresql\",\"image\":\"docker.io/bitnami/postgresql:15.4."
        "0\"}]}}},\"status\":{\"observedGeneration\":1,\"replicas\":1,\"readyReplicas\":1,"
        "\"currentReplicas\":1,\"updatedReplicas\":1,\"availableReplicas\":1,\"currentRevision\":"
        "\"r1\",\"updateRevision\":\"r1\"}}");
    status_flush(m);
    const struct status_health *h = status_health(m);
    assert_int_equal(h->pair, DIFY_PAIR_SKEW);
    assert_non_null(strstr(h->pair_msg, "0.0.1-local"));
    const struct status_comp *pg = comp_named(m, "dify-postgresql");
    assert_non_null(pg);
    assert_int_equal(pg->comp, DIFY_COMP_POSTGRES);
    assert_int_equal(pg->how, DIFY_MATCH_IMAGE); /* bitnami's "primary" is passed over */
    assert_string_equal(pg->tag, "15.4.0");
    struct strbuf sb;
    strbuf_init(&sb);
    status_json(m, false, &sb);
    assert_non_null(strstr(sb.buf, "\"pair\":\"skew\""));
    assert_non_null(strstr(sb.buf, "\"component\":\"postgresql\""));
    strbuf_done(&sb);
    status_free(m);
}

static int notified;
static unsigned last_what;
static void count_cb(struct status *m, unsigned what, void *arg)
{
    notified++;
    last_what = what;
}

/* A burst of changes is one notification; rows keep their generation
 * unless their content changed. */
static void test_coalesce_and_gens(void **state)
{
    struct status *m = status_fixture("model-mixed.json");
    status_subscribe(m, count_cb, NULL);
    unsigned long long api_gen = comp_named(m, "dify-api")->gen;
    unsigned long long d_gen = comp_named(m, "dify-plugin-daemon")->gen;
    char buf[2048];
    for (int i = 0; i < 1000; i++) {
        snprintf(
            buf, sizeof(buf),
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"dify-plugin-"
            "daemon-77-ccccc\",\"namespace\":\"dify\",\"resourceVersion\":\"%d\","
            "\"creationTimestamp\":\"2026-12-01T10:00:00Z\",\"ownerReferences\":[{\"kind\":"
            "\"ReplicaSet\",\"name\":\"dify-plugin-daemon-77\",\"controller\":true}]},\"spec\":"
            "{\"nodeName\":\"sim-node-1\"},\"status\":{\"phase\":\"Running\","
            "\"containerStatuses\":[{\"name\":\"c\",\"ready\":false,\"restartCount\":%d,"
            "\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}]}}",
            10 + i, 5 + i);
        status_fixture_apply(m, "MODIFIED", buf);
    }
    assert_int_equal(notified, 0);
    status_flush(m);
    assert_int_equal(notified, 1);
    assert_true(last_what & STATUS_PODS);
    assert_int_equal(comp_named(m, "dify-plugin-daemon")->restarts, 1004);
    assert_int_not_equal(comp_named(m, "dify-plugin-daemon")->gen, d_gen);
    assert_int_equal(comp_named(m, "dify-api")->gen, api_gen);
    /* nothing pending: no notification */
    status_flush(m);
    assert_int_equal(notified, 1);
    status_unsubscribe(m, count_cb, NULL);
    status_free(m);
}

static long long test_now(void)
{
    return FIXTURE_NOW;
}

static void apply_bare_pod(struct status *m, int i, int rv)
{
    char buf[1024];
    snprintf(buf, sizeof(buf),
             "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"load-%05d\","
             "\"namespace\":\"dify\",\"resourceVersion\":\"%d\",\"creationTimestamp\":"
             "\"2026-12-01T10:00:00Z\"},\"spec\":{\"nodeName\":\"n1\"},\"status\":{\"phase\":"
             "\"Running\",\"containerStatuses\":[{\"name\":\"c\",\"ready\":true,"
             "\"restartCount\":0,\"state\":{\"running\":{}}}]}}",
             i, rv);
    status_fixture_apply(m, NULL, buf);
}

/* A list in pages is derived once, when it is complete (a derivation a
 * page made 100,000 pods take 30 s): no notification and no partial rows
 * while pages arrive; a relist with rows already there keeps them until it
 * ends. Rows share their strings and carry no fixed buffers. */
static void test_list_once(void **state)
{
    struct status_opts o = {.ns = "dify", .probe_ms = -1, .now = test_now};
    struct status *m = status_new(NULL, NULL, &o);
    notified = 0;
    status_subscribe(m, count_cb, NULL);
    status_list_begin(m, KUBE_POD);
    for (int page = 0; page < 3; page++) {
        for (int i = 0; i < 400; i++)
            apply_bare_pod(m, page * 400 + i, 100 + page * 400 + i);
        status_flush(m); /* what the zero-delay timer does between pages */
        assert_int_equal(notified, 0);
        assert_int_equal(status_nothers(m), 0);
        assert_int_equal(status_npods(m), 0);
    }
    status_list_end(m, KUBE_POD);
    status_flush(m);
    assert_int_equal(notified, 1);
    assert_int_equal(status_version(m), 1);
    assert_int_equal(status_npods(m), 1200);
    assert_int_equal(status_nothers(m), 1200);
    const struct status_comp *a = status_other_at(m, 0), *b = status_other_at(m, 1199);
    assert_string_equal(a->name, "load-00000");
    assert_string_equal(a->reason, "pod Running");
    assert_ptr_equal(a->reason, b->reason);
    assert_ptr_equal(a->problem, b->problem);
    assert_true(sizeof(struct status_comp) <= 128);
    /* a relist that brings 1,000 of them: rows stay whole until its end */
    status_list_begin(m, KUBE_POD);
    for (int i = 0; i < 1000; i++)
        apply_bare_pod(m, i, 100 + i);
    status_flush(m);
    assert_int_equal(notified, 1);
    assert_int_equal(status_nothers(m), 1200);
    status_list_end(m, KUBE_POD);
    status_flush(m);
    assert_int_equal(notified, 2);
    assert_int_equal(status_nothers(m), 1000);
    assert_int_equal(status_npods(m), 1000);
    /* ... taken in change by change (200 gone); so are 1,000 pods changed
     * in one batch; 1,100 new ones, more than a tenth of the pods and
     * than STATUS_MAX_DIRTY, derive the rows whole (as cheap: bench/status_inc) */
    unsigned long wholes = status_whole_derivations(m);
    assert_int_equal(wholes, 1);
    for (int i = 0; i < 1000; i++)
        apply_bare_pod(m, i, 5000 + i);
    status_flush(m);
    assert_int_equal(status_whole_derivations(m), wholes);
    assert_int_equal(status_npods(m), 1000);
    for (int i = 0; i < 1100; i++)
        apply_bare_pod(m, 2000 + i, 9000 + i);
    status_flush(m);
    assert_int_equal(status_whole_derivations(m), wholes + 1);
    assert_int_equal(status_npods(m), 2100);
    assert_int_equal(status_nothers(m), 2100);
    assert_non_null(status_pod_find(m, "load-03099"));
    status_unsubscribe(m, count_cb, NULL);
    status_free(m);
}

/* The first sync of every kind derives the rows once: the last kind's list
 * end marked its rows after the health had derived them, so the flush
 * derived them all again (at 100,000 bare pods 9 MB more at status's peak,
 * the old rows held while the new were built, and a tenth of a second). */
static void test_first_sync_derives_once(void **state)
{
    struct status_opts o = {.ns = "dify", .probe_ms = -1, .now = test_now};
    struct status *m = status_new(NULL, NULL, &o);
    notified = 0;
    status_subscribe(m, count_cb, NULL);
    for (size_t k = 0; k < STATUS_NKINDS; k++)
        status_list_begin(m, status_kinds[k]);
    for (size_t k = 0; k < STATUS_NKINDS; k++) {
        if (status_kinds[k] == KUBE_POD)
            for (int i = 0; i < 100; i++)
                apply_bare_pod(m, i, 100 + i);
        status_list_end(m, status_kinds[k]);
        status_flush(m);
    }
    assert_int_equal(status_version(m), 1);
    assert_int_equal(notified, 1);
    assert_int_equal(status_nothers(m), 100);
    assert_int_equal(status_npods(m), 100);
    status_flush(m);
    assert_int_equal(status_version(m), 1);
    status_unsubscribe(m, count_cb, NULL);
    status_free(m);
}

/* A pod with an owner (or none: owner NULL) in a given state. */
static void apply_pod(struct status *m, const char *type, const char *name, const char *okind,
                      const char *oname, int rv, bool ready, int restarts, const char *waiting,
                      const char *last)
{
    char owner[256] = "", state[256], lastst[256] = "", buf[2048];
    if (okind)
        snprintf(owner, sizeof(owner),
                 ",\"ownerReferences\":[{\"kind\":\"%s\",\"name\":\"%s\",\"controller\":true}]",
                 okind, oname);
    if (waiting)
        snprintf(state, sizeof(state), "{\"waiting\":{\"reason\":\"%s\"}}", waiting);
    else
        snprintf(state, sizeof(state), "{\"running\":{}}");
    if (last)
        snprintf(lastst, sizeof(lastst), ",\"lastState\":{\"terminated\":{\"reason\":\"%s\"}}",
                 last);
    snprintf(buf, sizeof(buf),
             "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\","
             "\"namespace\":\"dify\",\"resourceVersion\":\"%d\",\"creationTimestamp\":"
             "\"2026-12-01T10:00:00Z\"%s},\"spec\":{\"nodeName\":\"n1\"},\"status\":{"
             "\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"c\",\"ready\":%s,"
             "\"restartCount\":%d,\"state\":%s%s}]}}",
             name, rv, owner, ready ? "true" : "false", restarts, state, lastst);
    status_fixture_apply(m, type, buf);
}

/* The pods of test_incremental, first as they start (mod false), then as
 * they change (a later resourceVersion). */
static void incremental_pods(struct status *m, const char *type, bool mod, int rv)
{
    apply_pod(m, type, "dify-api-6d4f-b1", "ReplicaSet", "dify-api-6d4f", rv, !mod, mod ? 3 : 0,
              mod ? "CrashLoopBackOff" : NULL, mod ? "Error" : NULL);
    apply_pod(m, type, "dify-api-6d4f-b2", "ReplicaSet", "dify-api-6d4f", rv, true, mod ? 1 : 0,
              NULL, mod ? "OOMKilled" : NULL);
    apply_pod(m, type, "dify-api-6d4f-b3", "ReplicaSet", "dify-api-6d4f", rv, !mod, 0,
              mod ? "ImagePullBackOff" : NULL, NULL);
    apply_pod(m, type, "grafana-x1", "Deployment", "grafana", rv, !mod, mod ? 7 : 0,
              mod ? "CrashLoopBackOff" : NULL, NULL);
    apply_pod(m, type, "bare-1", NULL, NULL, rv, !mod, mod ? 2 : 0, mod ? "ErrImagePull" : NULL,
              NULL);
    apply_pod(m, type, "bare-2", NULL, NULL, rv, true, 0, NULL, NULL);
    apply_pod(m, type, "dify-db-migrate-0123456789-x1", "Job", "dify-db-migrate-0123456789", rv,
              false, mod ? 4 : 0, mod ? "CrashLoopBackOff" : NULL, NULL);
}

static void assert_same_rows(const struct status_comp *a, const struct status_comp *b)
{
    assert_int_equal(a->comp, b->comp);
    assert_int_equal(a->kind, b->kind);
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->how, b->how);
    assert_int_equal(a->desired, b->desired);
    assert_int_equal(a->ready, b->ready);
    assert_int_equal(a->updated, b->updated);
    assert_int_equal(a->available, b->available);
    assert_int_equal(a->restarts, b->restarts);
    assert_int_equal(a->pods, b->pods);
    assert_int_equal(a->created, b->created);
    assert_int_equal(a->rollout, b->rollout);
    assert_string_equal(a->tag, b->tag);
    assert_string_equal(a->expected_tag, b->expected_tag);
    assert_string_equal(a->reason, b->reason);
    assert_string_equal(a->problem, b->problem);
}

/* Pods changed in place are derived on their own (their rows, their
 * workloads' numbers; the row arrays are not rebuilt), and give what a
 * whole derivation of the same objects gives. */
static void test_incremental(void **state)
{
    struct status *m = status_fixture("model-mixed.json");
    incremental_pods(m, NULL, false, 100);
    status_flush(m);
    const struct status_comp *first = status_comp_at(m, 0);
    unsigned long long web_gen = comp_named(m, "dify-web")->gen;
    incremental_pods(m, "MODIFIED", true, 200);
    status_flush(m);
    assert_ptr_equal(status_comp_at(m, 0), first);
    assert_int_equal(comp_named(m, "dify-web")->gen, web_gen);
    /* the same objects, derived whole */
    struct status *w = status_fixture("model-mixed.json");
    incremental_pods(w, NULL, false, 100);
    incremental_pods(w, NULL, true, 200);
    status_flush(w);
    assert_int_equal(status_ncomps(m), status_ncomps(w));
    for (size_t i = 0; i < status_ncomps(m); i++)
        assert_same_rows(status_comp_at(m, i), status_comp_at(w, i));
    assert_int_equal(status_nothers(m), status_nothers(w));
    for (size_t i = 0; i < status_nothers(m); i++)
        assert_same_rows(status_other_at(m, i), status_other_at(w, i));
    assert_int_equal(status_npods(m), status_npods(w));
    for (size_t i = 0; i < status_npods(m); i++) {
        const struct status_pod *a = status_pod_at(m, i), *b = status_pod_at(w, i);
        assert_string_equal(a->obj->name, b->obj->name);
        assert_int_equal(a->comp, b->comp);
        assert_true(str_eq(a->workload, b->workload));
        assert_int_equal(a->problem, b->problem);
    }
    assert_string_equal(comp_named(m, "dify-api")->problem, "1 CrashLoopBackOff (last: Error)");
    status_free(w);
    status_free(m);
}

static unsigned lines_made, lines_known;

static bool all_known(unsigned long long gen, void *arg)
{
    return true;
}

static void count_line(const char *text, unsigned long long gen, void *arg)
{
    if (text)
        lines_made++;
    else
        lines_known++;
}

/* --watch's lines: rows the caller holds (by generation) are not made. */
static void test_lines_known(void **state)
{
    struct status *m = status_fixture("model-mixed.json");
    status_lines_each(m, all_known, count_line, NULL);
    assert_int_equal(lines_known, status_ncomps(m) + status_nothers(m));
    char **lines;
    size_t n;
    status_lines(m, &lines, &n);
    assert_int_equal(n, lines_known + lines_made);
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    status_free(m);
}

struct diff_rec {
    char lines[16][600];
    int n;
};

static void diff_cb(const char *text, size_t len, bool gone, void *arg)
{
    struct diff_rec *r = arg;
    if (r->n < 16)
        snprintf(r->lines[r->n], sizeof(r->lines[0]), "%.*s%s", (int)len, text,
                 gone ? ": gone" : "");
    r->n++;
}

/* status --watch's lines: nothing when nothing changed, the changed row's
 * line, "KEY: gone" for a row that went, a new row's line. */
static void test_watch_diff(void **state)
{
    struct status *m = status_fixture("model-mixed.json");
    struct status_diff *d = status_diff_new();
    struct diff_rec rec = {0};
    assert_false(status_diff_look(d, m, NULL, NULL));
    assert_false(status_diff_look(d, m, diff_cb, &rec));
    assert_int_equal(rec.n, 0);
    status_fixture_apply(
        m, "MODIFIED",
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"dify-plugin-"
        "daemon-77-ccccc\",\"namespace\":\"dify\",\"resourceVersion\":\"90000\","
        "\"creationTimestamp\":\"2026-12-01T10:00:00Z\",\"ownerReferences\":[{\"kind\":"
        "\"ReplicaSet\",\"name\":\"dify-plugin-daemon-77\",\"controller\":true}]},\"spec\":"
        "{\"nodeName\":\"sim-node-1\"},\"status\":{\"phase\":\"Running\","
        "\"containerStatuses\":[{\"name\":\"c\",\"ready\":false,\"restartCount\":42,"
        "\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}]}}");
    status_flush(m);
    assert_true(status_diff_look(d, m, diff_cb, &rec));
    assert_int_equal(rec.n, 1);
    assert_true(str_starts_with(rec.lines[0], "plugin-daemon deployment/dify-plugin-daemon: "));
    assert_non_null(strstr(rec.lines[0], ", 42 restarts,"));
    rec.n = 0;
    status_fixture_apply(m, "DELETED",
                         "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":"
                         "\"debug\",\"namespace\":\"dify\",\"resourceVersion\":\"90001\"}}");
    status_flush(m);
    assert_true(status_diff_look(d, m, diff_cb, &rec));
    assert_int_equal(rec.n, 1);
    assert_string_equal(rec.lines[0], "other pod/debug: gone");
    rec.n = 0;
    apply_bare_pod(m, 7, 90002);
    status_flush(m);
    assert_true(status_diff_look(d, m, diff_cb, &rec));
    assert_int_equal(rec.n, 1);
    if (!str_starts_with(rec.lines[0], "other pod/load-00007: "))
        fail_msg("%s", rec.lines[0]);
    rec.n = 0;
    assert_false(status_diff_look(d, m, diff_cb, &rec));
    assert_int_equal(rec.n, 0);
    status_diff_free(d);
    status_free(m);
}

/* The outputs: JSON names every section; text and lines are safe. */
static void test_outputs(void **state)
{
    struct status *m = status_fixture("model-mixed.json");
    status_fixture_apply(m, NULL,
                         "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{"
                         "\"name\":\"evil\\u001b]0;pwned\\u0007\\u202e\",\"namespace\":\"dify\"},"
                         "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\","
                         "\"image\":\"x\"}]}}}}");
    status_flush(m);
    struct strbuf sb;
    strbuf_init(&sb);
    status_json(m, false, &sb);
    assert_non_null(strstr(sb.buf, "\"components\":[{\"component\":\"api\""));
    assert_non_null(strstr(sb.buf, "\"rollout\":\"ProgressDeadlineExceeded\""));
    assert_non_null(strstr(sb.buf, "\"migration\":{\"name\":\"dify-db-migrate-0123456789\""));
    assert_non_null(strstr(sb.buf, "\"malformedCount\":1"));
    strbuf_reset(&sb);
    status_text(m, &sb);
    assert_null(strchr(sb.buf, '\033'));
    assert_null(strstr(sb.buf, "\xe2\x80\xae"));
    assert_non_null(strstr(sb.buf, "evil^[]0;pwned^G\\u202e"));
    if (!strstr(sb.buf, "plugin daemon   deployment/dify-plugin-daemon       0/1"))
        fail_msg("%s", sb.buf);
    strbuf_done(&sb);
    char **lines;
    size_t n;
    status_lines(m, &lines, &n);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        assert_null(strchr(lines[i], '\033'));
        found = found || str_starts_with(lines[i], "job dify-db-migrate-0123456789: job ");
        free(lines[i]);
    }
    free(lines);
    assert_true(found);
    status_free(m);
}

/* tests/data/dashboard/NAME listed kind by kind, as the watches list it:
 * the model is synced, so a probe with nothing to probe is absent. */
static struct status *listed_fixture(const char *name)
{
    static const enum kube_kind kinds[] = {
        KUBE_DEPLOYMENT, KUBE_STATEFULSET, KUBE_DAEMONSET, KUBE_REPLICASET, KUBE_POD,
        KUBE_JOB,        KUBE_EVENT,       KUBE_SERVICE,   KUBE_PVC,
    };
    struct status_opts o = {.ns = "dify", .probe_ms = -1, .now = test_now};
    struct status *m = status_new(NULL, NULL, &o);
    char *path = xasprintf("%s/tests/data/dashboard/%s", DIFY_SRCDIR, name), *data;
    size_t len;
    struct error err;
    assert_int_equal(file_read_all(path, 1 << 20, &data, &len, &err), 0);
    cJSON *doc = cJSON_ParseWithLength(data, len);
    assert_non_null(doc);
    for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
        status_list_begin(m, kinds[k]);
        const cJSON *item;
        cJSON_ArrayForEach(item, cJSON_GetObjectItem(doc, "items"))
        {
            const cJSON *kind = cJSON_GetObjectItem(item, "kind");
            if (cJSON_IsString(kind) &&
                !strcmp(kind->valuestring, kube_resource_get(kinds[k])->kind))
                assert_int_equal(status_apply(m, NULL, item), 0);
        }
        status_list_end(m, kinds[k]);
    }
    cJSON_Delete(doc);
    free(data);
    free(path);
    status_flush(m);
    assert_true(status_conn(m)->synced);
    return m;
}

static void probe(struct status *m, enum dify_probe_kind k, bool ok)
{
    struct dify_probe_result r = {.kind = k, .ok = ok, .status = ok ? 200 : 503};
    if (k == DIFY_PROBE_DAEMON_KEY)
        r.key = ok ? DIFY_KEY_OK : DIFY_KEY_MISMATCH;
    snprintf(r.msg, sizeof(r.msg), "%s", ok ? "ok" : "503 no endpoints");
    status_record_probe(m, &r);
    status_flush(m);
}

/* Healthy: every component complete, the pair known, the migration done,
 * the probes ok; a failed probe counts while its component is there and
 * stops counting once it went (absent: nothing to probe). */
static void test_healthy(void **state)
{
    struct status *m = listed_fixture("model-healthy.json");
    assert_int_equal(status_ncomps(m), 2);
    assert_true(status_healthy(m)); /* not probed yet */
    probe(m, DIFY_PROBE_API_HEALTH, true);
    probe(m, DIFY_PROBE_DAEMON_HEALTH, true);
    probe(m, DIFY_PROBE_DAEMON_KEY, true);
    assert_true(status_healthy(m));
    probe(m, DIFY_PROBE_DAEMON_HEALTH, false);
    assert_false(status_healthy(m));
    probe(m, DIFY_PROBE_DAEMON_HEALTH, true);
    probe(m, DIFY_PROBE_DAEMON_KEY, false);
    assert_false(status_healthy(m));
    /* both failed; then the plugin daemon goes: nothing left to probe */
    probe(m, DIFY_PROBE_DAEMON_HEALTH, false);
    status_fixture_apply(m, "DELETED",
                         "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{"
                         "\"name\":\"dify-plugin-daemon\",\"namespace\":\"dify\","
                         "\"resourceVersion\":\"9\"}}");
    status_flush(m);
    const struct status_health *h = status_health(m);
    assert_true(h->daemon.checked && !h->daemon.ok);
    assert_non_null(h->daemon.absent);
    assert_non_null(h->key.absent);
    assert_true(status_healthy(m));
    /* the api's failed probe counts: the api is there */
    probe(m, DIFY_PROBE_API_HEALTH, false);
    assert_false(status_healthy(m));
    status_free(m);
}

/* Nothing listed yet (a server that never answered) is not "no workloads". */
static void test_not_listed_is_not_empty(void **state)
{
    struct status *m = status_fixture("model-empty.json");
    status_flush(m);
    struct strbuf sb;
    strbuf_init(&sb);
    status_text(m, &sb);
    if (strstr(sb.buf, "No workloads found") || !strstr(sb.buf, "Not yet listed"))
        fail_msg("%s", sb.buf);
    strbuf_done(&sb);
    status_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_listed_is_not_empty),
        cmocka_unit_test(test_components),
        cmocka_unit_test(test_healthy),
        cmocka_unit_test(test_pods_jobs_events),
        cmocka_unit_test(test_events_when_asked),
        cmocka_unit_test(test_expected),
        cmocka_unit_test(test_skew_and_stores),
        cmocka_unit_test(test_coalesce_and_gens),
        cmocka_unit_test(test_list_once),
        cmocka_unit_test(test_first_sync_derives_once),
        cmocka_unit_test(test_incremental),
        cmocka_unit_test(test_lines_known),
        cmocka_unit_test(test_watch_diff),
        cmocka_unit_test(test_outputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
