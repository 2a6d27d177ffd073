/* tests/unit/test_kube_pb.c: the protobuf decoder (core/kube_pb.c) against
 * the JSON path, with the simulator's writer (sim/proto_write.c) making the
 * protobuf. The same pods (the simulator's own Dify pods, the bad-input
 * corpus's objects the writer can say whole, and random pods) decoded from
 * JSON and from protobuf give the same store object, field by field; a
 * wrong wire type is named like a wrong JSON type; truncated and mutated
 * bytes are refused without reading past a buffer (built with ASan and
 * UBSan, its own copies of the sources as test_kube_bad). */
#include "config.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/kube_kinds.h"
#include "core/kube_pb.h"
#include "core/kube_store.h"
#include "core/util.h"
#include "sim/proto_write.h"

#define DATA DIFY_SRCDIR "/tests/data/kube/"

/* ---- one pod both ways ---- */

static int g_malformed;

struct got {
    struct kube_obj *o;
    struct error err;
    int n;
};

static void got_item(const cJSON *item, void *arg)
{
    struct got *g = arg;
    g->n++;
    if (!g->o && !error_is_set(&g->err))
        g->o = kube_obj_parse(KUBE_POD, item, &g->err);
}

static bool str_same(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static int g_diffs;

#define SAME_STR(f)                                                                                \
    do {                                                                                           \
        if (!str_same(a->f, b->f)) {                                                               \
            printf("# %s: " #f " JSON \"%s\" protobuf \"%s\"\n", what, a->f ? a->f : "(null)",     \
                   b->f ? b->f : "(null)");                                                        \
            g_diffs++;                                                                             \
        }                                                                                          \
    } while (0)
#define SAME_NUM(f)                                                                                \
    do {                                                                                           \
        if (a->f != b->f) {                                                                        \
            printf("# %s: " #f " JSON %lld protobuf %lld\n", what, (long long)a->f,                \
                   (long long)b->f);                                                               \
            g_diffs++;                                                                             \
        }                                                                                          \
    } while (0)

/* Every field of the two objects: the common ones and a pod's. */
static void same_obj(const struct kube_obj *a, const struct kube_obj *b, const char *what)
{
    SAME_STR(ns);
    SAME_STR(name);
    char ua[KUBE_UID_LEN], ub[KUBE_UID_LEN];
    const char *sa = kube_obj_uid(a, ua), *sb = kube_obj_uid(b, ub);
    if (!str_same(sa, sb)) {
        printf("# %s: uid %s / %s\n", what, sa ? sa : "(null)", sb ? sb : "(null)");
        g_diffs++;
    }
    SAME_STR(component);
    SAME_STR(owner_kind);
    SAME_STR(owner_name);
    SAME_NUM(rv);
    SAME_NUM(created);
    SAME_NUM(deleted);
    SAME_STR(u.pod.phase);
    SAME_STR(u.pod.reason);
    SAME_STR(u.pod.node);
    SAME_STR(u.pod.last_reason);
    SAME_STR(u.pod.ip);
    SAME_STR(u.pod.nominated);
    SAME_STR(u.pod.gates);
    SAME_NUM(u.pod.ready);
    SAME_NUM(u.pod.total);
    SAME_NUM(u.pod.restarts);
    SAME_NUM(u.pod.last_restart);
}

/* The pod as a one-item protobuf list, as dify-sim serves it. */
static void pb_list_of(const cJSON *pod, struct strbuf *out, unsigned *lost)
{
    struct strbuf raw, items;
    strbuf_init(&raw);
    strbuf_init(&items);
    assert_int_equal(proto_object_raw("Pod", pod, &raw, lost), 0);
    proto_list_item(&items, raw.buf ? raw.buf : "", raw.len);
    proto_list(out, "v1", "Pod", "42", "tok", 7, &items);
    strbuf_done(&raw);
    strbuf_done(&items);
}

/* Decodes pod from JSON and from protobuf; false when the writer left a
 * member out (lost) and loss is allowed. */
static bool diff_pod(const cJSON *pod, const char *what, bool allow_loss)
{
    char *text = cJSON_PrintUnformatted(pod);
    char *list = xasprintf("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":"
                           "{\"resourceVersion\":\"42\"},\"items\":[%s]}",
                           text);
    struct got j = {0}, p = {0};
    error_clear(&j.err);
    error_clear(&p.err);
    char *cont = NULL, *rv = NULL;
    struct error e;
    error_clear(&e);
    assert_int_equal(
        kube_list_parse_page(list, strlen(list), "GET", got_item, &j, NULL, &cont, &rv, &e), 0);
    free(cont);
    free(rv);
    struct strbuf pb;
    strbuf_init(&pb);
    unsigned lost = 0;
    pb_list_of(pod, &pb, &lost);
    if (lost && allow_loss) {
        kube_obj_free(j.o);
        strbuf_done(&pb);
        free(text);
        free(list);
        return false;
    }
    if (lost) {
        printf("# %s: the writer left %u member(s) out\n", what, lost);
        g_diffs++;
    }
    assert_int_equal(kube_pb_list((const unsigned char *)pb.buf, pb.len,
                                  kube_resource_get(KUBE_POD), "GET", got_item, &p, NULL, &cont,
                                  &rv, &e),
                     0);
    assert_string_equal(cont, "tok");
    assert_string_equal(rv, "42");
    free(cont);
    free(rv);
    assert_int_equal(j.n, 1);
    assert_int_equal(p.n, 1);
    if (j.err.msg[0])
        g_malformed++;
    if (!str_same(j.err.msg[0] ? j.err.msg : NULL, p.err.msg[0] ? p.err.msg : NULL)) {
        printf("# %s: JSON says \"%s\", protobuf \"%s\"\n", what, j.err.msg, p.err.msg);
        g_diffs++;
    } else if (j.o && p.o) {
        same_obj(j.o, p.o, what);
    }
    kube_obj_free(j.o);
    kube_obj_free(p.o);
    strbuf_done(&pb);
    free(text);
    free(list);
    return true;
}

static cJSON *read_json(const char *path)
{
    char *body;
    size_t len;
    struct error err;
    error_clear(&err);
    if (file_read_all(path, 1 << 24, &body, &len, &err) < 0)
        return NULL;
    cJSON *j = cJSON_ParseWithLength(body, len);
    free(body);
    return j;
}

/* The simulator's demo pods (kubectl get pods -A -o json against dify-sim
 * --scenario demo): nothing is left out, everything is the same. */
static void test_sim_pods(void **state)
{
    cJSON *l = read_json(DATA "sim-demo-pods.json");
    assert_non_null(l);
    const cJSON *it;
    int n = 0;
    g_diffs = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(l, "items"))
    {
        assert_true(diff_pod(it, kj_str(it, "metadata.name"), false));
        n++;
    }
    assert_true(n >= 8);
    assert_int_equal(g_diffs, 0);
    cJSON_Delete(l);
}

/* The objects of a JSON value: a list's items or the object itself. */
static int diff_value(const cJSON *j, const char *what)
{
    const cJSON *items = cJSON_GetObjectItem(j, "items");
    const cJSON *it;
    int n = 0;
    if (cJSON_IsArray(items)) {
        cJSON_ArrayForEach(it, items)
        {
            if (cJSON_IsObject(it))
                n += diff_pod(it, what, true);
        }
    } else if (cJSON_IsObject(j) && cJSON_GetObjectItem(j, "metadata")) {
        n += diff_pod(j, what, true);
    }
    return n;
}

/* The bad-input corpus's objects (tests/data/kube/bad) and the pod lists
 * the client's canned replies hold (tests/data/kube/case*, cli-*), where
 * the writer can say them whole (a member of a wrong JSON type has no
 * protobuf form). */
static void test_corpus(void **state)
{
    static const char *const dirs[] = {DATA "bad/", DATA};
    int tried = 0;
    g_diffs = 0;
    for (size_t i = 0; i < ARRAY_LEN(dirs); i++) {
        DIR *d = opendir(dirs[i]);
        assert_non_null(d);
        struct dirent *de;
        while ((de = readdir(d))) {
            const char *n = de->d_name;
            bool whole = i == 0 && (str_starts_with(n, "obj-") || str_starts_with(n, "list-"));
            bool lines = i == 1 && (str_starts_with(n, "case") || str_starts_with(n, "cli-"));
            if (!whole && !lines)
                continue;
            char *path = xasprintf("%s%s", dirs[i], n);
            char *body = NULL;
            size_t len;
            struct error err;
            error_clear(&err);
            if (file_read_all(path, 1 << 24, &body, &len, &err) == 0) {
                /* a reply's body is one line of JSON */
                for (char *ln = body; ln && *ln;) {
                    char *nl = whole ? NULL : strchr(ln, '\n');
                    size_t ll = nl ? (size_t)(nl - ln) : strlen(ln);
                    if (*ln == '{') {
                        cJSON *j = cJSON_ParseWithLength(ln, ll);
                        tried += diff_value(j, n);
                        cJSON_Delete(j);
                    }
                    ln = nl ? nl + 1 : NULL;
                }
            }
            free(body);
            free(path);
        }
        closedir(d);
    }
    printf("# %d corpus objects compared\n", tried);
    assert_true(tried >= 20);
    assert_int_equal(g_diffs, 0);
}

/* ---- random pods ---- */

static const char *pick(const char *const *v, size_t n)
{
    return v[(size_t)random() % n];
}
#define PICK(v) pick(v, ARRAY_LEN(v))

static const char *const reasons[] = {
    "",          "CrashLoopBackOff", "OOMKilled",         "Error",
    "Completed", "ImagePullBackOff", "ContainerCreating", "PodInitializing"};
static const char *const phases[] = {"", "Pending", "Running", "Succeeded", "Failed", "Unknown"};
static const char *const times[] = {"2026-12-07T13:16:01Z", "2025-01-31T23:59:59Z",
                                    "1999-12-31T00:00:00Z", "2026-02-28T12:00:00Z"};

static cJSON *rand_state(void)
{
    cJSON *s = cJSON_CreateObject();
    switch (random() % 4) {
    case 0: {
        cJSON *w = cJSON_AddObjectToObject(s, "waiting");
        const char *r = PICK(reasons);
        if (*r)
            cJSON_AddStringToObject(w, "reason", r);
        break;
    }
    case 1:
        cJSON_AddStringToObject(cJSON_AddObjectToObject(s, "running"), "startedAt", PICK(times));
        break;
    case 2: {
        cJSON *t = cJSON_AddObjectToObject(s, "terminated");
        cJSON_AddNumberToObject(t, "exitCode",
                                random() % 89 == 0 ? -4294967296.0
                                : random() % 3     ? 0
                                                   : (double)(random() % 256));
        if (random() % 4 == 0)
            cJSON_AddNumberToObject(t, "signal", 9);
        const char *r = PICK(reasons);
        if (*r)
            cJSON_AddStringToObject(t, "reason", r);
        cJSON_AddStringToObject(t, "finishedAt", PICK(times));
        break;
    }
    default:
        break; /* no state */
    }
    return s;
}

static cJSON *rand_statuses(int n, const char *prefix)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        cJSON *c = cJSON_CreateObject();
        char name[32];
        snprintf(name, sizeof(name), "%s%d", prefix, i);
        cJSON_AddStringToObject(c, "name", name);
        cJSON_AddItemToObject(c, "state", rand_state());
        if (random() % 2)
            cJSON_AddItemToObject(c, "lastState", rand_state());
        cJSON_AddBoolToObject(c, "ready", random() % 2);
        /* now and then a count out of int32's range: malformed both ways */
        cJSON_AddNumberToObject(c, "restartCount",
                                random() % 97 == 0 ? 3e9
                                : random() % 4     ? 0
                                                   : (double)(random() % 100));
        if (random() % 2)
            cJSON_AddBoolToObject(c, "started", random() % 2);
        cJSON_AddItemToArray(a, c);
    }
    return a;
}

static cJSON *rand_pod(int k)
{
    cJSON *p = cJSON_CreateObject();
    cJSON *m = cJSON_AddObjectToObject(p, "metadata");
    char buf[64];
    snprintf(buf, sizeof(buf), "pod-%d", k);
    cJSON_AddStringToObject(m, "name", buf);
    cJSON_AddStringToObject(m, "namespace", random() % 5 ? "dify" : "kube-system");
    snprintf(buf, sizeof(buf), "%08x-0000-4000-8000-%012x", k, k * 7);
    cJSON_AddStringToObject(m, "uid", random() % 9 ? buf : "U-not-a-uuid");
    snprintf(buf, sizeof(buf), "%ld", random() % 100000);
    cJSON_AddStringToObject(m, "resourceVersion", buf);
    cJSON_AddStringToObject(m, "creationTimestamp", PICK(times));
    if (random() % 6 == 0)
        cJSON_AddStringToObject(m, "deletionTimestamp", PICK(times));
    cJSON *labels = cJSON_AddObjectToObject(m, "labels");
    static const char *const lk[] = {"app", "component", "app.kubernetes.io/component", "x"};
    for (int i = (int)(random() % 4); i > 0; i--)
        cJSON_AddStringToObject(labels, PICK(lk), random() % 5 ? "api" : "");
    if (random() % 3) {
        cJSON *owners = cJSON_AddArrayToObject(m, "ownerReferences");
        for (int i = (int)(random() % 3); i >= 0; i--) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "apiVersion", "apps/v1");
            cJSON_AddStringToObject(o, "kind", random() % 2 ? "ReplicaSet" : "Job");
            snprintf(buf, sizeof(buf), "owner-%d", i);
            cJSON_AddStringToObject(o, "name", buf);
            if (random() % 2)
                cJSON_AddBoolToObject(o, "controller", random() % 2);
            cJSON_AddItemToArray(owners, o);
        }
    }
    cJSON *spec = cJSON_AddObjectToObject(p, "spec");
    int nc = 1 + (int)(random() % 3), ni = (int)(random() % 3);
    cJSON *cs = cJSON_AddArrayToObject(spec, "containers");
    for (int i = 0; i < nc; i++) {
        cJSON *c = cJSON_CreateObject();
        snprintf(buf, sizeof(buf), "c%d", i);
        cJSON_AddStringToObject(c, "name", buf);
        cJSON_AddStringToObject(c, "image", "langgenius/dify-api:1.13.3");
        cJSON_AddItemToArray(cs, c);
    }
    if (ni) {
        cJSON *is = cJSON_AddArrayToObject(spec, "initContainers");
        for (int i = 0; i < ni; i++) {
            cJSON *c = cJSON_CreateObject();
            snprintf(buf, sizeof(buf), "i%d", i);
            cJSON_AddStringToObject(c, "name", buf);
            if (random() % 2)
                cJSON_AddStringToObject(c, "restartPolicy", "Always");
            cJSON_AddItemToArray(is, c);
        }
    }
    if (random() % 3)
        cJSON_AddStringToObject(spec, "nodeName", "node-1");
    if (random() % 5 == 0) {
        cJSON *g = cJSON_CreateObject();
        cJSON_AddStringToObject(g, "conditionType", "example.com/gate");
        cJSON_AddItemToArray(cJSON_AddArrayToObject(spec, "readinessGates"), g);
    }
    cJSON *st = cJSON_AddObjectToObject(p, "status");
    const char *ph = PICK(phases);
    if (*ph)
        cJSON_AddStringToObject(st, "phase", ph);
    if (random() % 8 == 0)
        cJSON_AddStringToObject(st, "reason", random() % 2 ? "Evicted" : "NodeLost");
    cJSON *conds = cJSON_AddArrayToObject(st, "conditions");
    static const char *const ct[] = {"Ready", "Initialized", "PodScheduled", "example.com/gate"};
    for (int i = (int)(random() % 4); i > 0; i--) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "type", PICK(ct));
        cJSON_AddStringToObject(c, "status", random() % 2 ? "True" : "False");
        if (random() % 4 == 0)
            cJSON_AddStringToObject(c, "reason", "SchedulingGated");
        cJSON_AddItemToArray(conds, c);
    }
    if (random() % 2) {
        cJSON_AddStringToObject(st, "podIP", "10.0.0.7");
        cJSON *ip = cJSON_CreateObject();
        cJSON_AddStringToObject(ip, "ip", random() % 2 ? "10.0.0.7" : "fd00::7");
        cJSON_AddItemToArray(cJSON_AddArrayToObject(st, "podIPs"), ip);
    }
    if (random() % 7 == 0)
        cJSON_AddStringToObject(st, "nominatedNodeName", "node-2");
    if (ni && random() % 2)
        cJSON_AddItemToObject(st, "initContainerStatuses", rand_statuses(ni, "i"));
    if (random() % 6)
        cJSON_AddItemToObject(st, "containerStatuses", rand_statuses(nc, "c"));
    return p;
}

static void test_random_pods(void **state)
{
    srandom(20261207);
    g_diffs = 0;
    g_malformed = 0;
    for (int k = 0; k < 2000; k++) {
        cJSON *p = rand_pod(k);
        char what[32];
        snprintf(what, sizeof(what), "random pod %d", k);
        diff_pod(p, what, false);
        cJSON_Delete(p);
        if (g_diffs > 5)
            break;
    }
    assert_int_equal(g_diffs, 0);
    printf("# %d of 2000 random pods malformed (the same message both ways)\n", g_malformed);
    assert_true(g_malformed >= 5);
}

/* ---- hostile bytes ---- */

static void count_item(const cJSON *item, void *arg)
{
    (*(int *)arg)++;
    kube_obj_free(kube_obj_parse(KUBE_POD, item, NULL));
}

static struct strbuf demo_list(void)
{
    cJSON *l = read_json(DATA "sim-demo-pods.json");
    assert_non_null(l);
    struct strbuf raw, items, out;
    strbuf_init(&raw);
    strbuf_init(&items);
    strbuf_init(&out);
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(l, "items"))
    {
        proto_object_raw("Pod", it, &raw, NULL);
        proto_list_item(&items, raw.buf, raw.len);
        strbuf_reset(&raw);
    }
    proto_list(&out, "v1", "Pod", "9", NULL, -1, &items);
    strbuf_done(&raw);
    strbuf_done(&items);
    cJSON_Delete(l);
    return out;
}

/* Every truncation of a list, and random changes to its bytes: an error
 * or fewer objects, never a read past the buffer (ASan). Each try decodes
 * a copy of exactly its length on the heap. */
static void test_truncated_mutated(void **state)
{
    struct strbuf l = demo_list();
    const struct kube_resource *pods = kube_resource_get(KUBE_POD);
    int whole = 0;
    char *cont, *rv;
    struct error e;
    error_clear(&e);
    assert_int_equal(kube_pb_list((const unsigned char *)l.buf, l.len, pods, "GET", count_item,
                                  &whole, NULL, &cont, &rv, &e),
                     0);
    assert_int_equal(whole, 8);
    assert_null(cont);
    free(rv);
    int refused = 0;
    for (size_t n = 0; n < l.len; n++) {
        unsigned char *cut = xmalloc(n ? n : 1);
        memcpy(cut, l.buf, n);
        int got = 0;
        error_clear(&e);
        if (kube_pb_list(cut, n, pods, "GET", count_item, &got, NULL, &cont, &rv, &e) < 0)
            refused++;
        else {
            free(cont);
            free(rv);
        }
        assert_true(got <= whole);
        free(cut);
    }
    assert_true(refused > (int)l.len / 2);
    srandom(7);
    for (int k = 0; k < 20000; k++) {
        unsigned char *m = xmalloc(l.len);
        memcpy(m, l.buf, l.len);
        for (int j = (int)(random() % 4); j >= 0; j--) {
            size_t at = (size_t)random() % l.len;
            m[at] = random() % 3 ? (unsigned char)random() : 0xff;
        }
        int got = 0;
        if (kube_pb_list(m, l.len, pods, "GET", count_item, &got, NULL, &cont, &rv, &e) == 0) {
            free(cont);
            free(rv);
        }
        free(m);
    }
    strbuf_done(&l);
}

/* A field with another wire type than its schema's is said, with its
 * path, as the JSON path says a member of the wrong type. */
static void test_wrong_wire_type(void **state)
{
    /* Pod {metadata {name "p"}, status {containerStatuses {restartCount: bytes "3"}}} */
    static const unsigned char pod[] = {0x0a, 0x03, 0x0a, 0x01, 'p',  0x1a,
                                        0x05, 0x42, 0x03, 0x2a, 0x01, '3'};
    struct strbuf env;
    strbuf_init(&env);
    proto_envelope(&env, "v1", "Pod", (const char *)pod, sizeof(pod));
    struct error e;
    error_clear(&e);
    const cJSON *t =
        kube_pb_object((const unsigned char *)env.buf, env.len, kube_resource_get(KUBE_POD), &e);
    assert_non_null(t);
    struct kube_obj *o = kube_obj_parse(KUBE_POD, t, &e);
    assert_null(o);
    assert_string_equal(e.msg, "pod \"p\" is malformed: status.containerStatuses[0].restartCount: "
                               "protobuf wire type 2 (bytes) where the API has an int32");
    strbuf_done(&env);
    /* Pod {metadata {name "q", labels {key "app", value: varint 1}}} */
    static const unsigned char pod2[] = {0x0a, 0x0c, 0x0a, 0x01, 'q', 0x5a, 0x07,
                                         0x0a, 0x03, 'a',  'p',  'p', 0x10, 0x01};
    strbuf_init(&env);
    proto_envelope(&env, "v1", "Pod", (const char *)pod2, sizeof(pod2));
    error_clear(&e);
    t = kube_pb_object((const unsigned char *)env.buf, env.len, kube_resource_get(KUBE_POD), &e);
    assert_non_null(t);
    assert_null(kube_obj_parse(KUBE_POD, t, &e));
    assert_string_equal(e.msg, "pod \"q\" is malformed: metadata.labels: the value of \"app\" is "
                               "protobuf wire type 0 (varint) where the API has a map of strings");
    strbuf_done(&env);
    /* not a pod list at all */
    char *cont, *rv;
    error_clear(&e);
    assert_int_equal(kube_pb_list((const unsigned char *)"{}", 2, kube_resource_get(KUBE_POD),
                                  "GET /api/v1/pods", count_item, NULL, NULL, &cont, &rv, &e),
                     -1);
    assert_non_null(strstr(e.msg, "not Kubernetes protobuf"));
}

/* ---- watch frames ---- */

struct evs {
    struct strbuf log;
};

static int on_frame(const unsigned char *f, size_t n, void *arg)
{
    struct evs *v = arg;
    char type[16];
    const cJSON *obj;
    struct error e;
    error_clear(&e);
    if (kube_pb_event(f, n, kube_resource_get(KUBE_POD), type, &obj, &e) < 0) {
        strbuf_addf(&v->log, "bad:%s;", e.msg);
        return 0;
    }
    char *s = cJSON_PrintUnformatted(obj);
    strbuf_addf(&v->log, "%s:%s;", type, s);
    free(s);
    return 0;
}

/* The events dify-sim would send, fed whole and in pieces of every size
 * from 1 byte: the same events. A frame over the limit ends the stream. */
static void test_watch_frames(void **state)
{
    cJSON *l = read_json(DATA "sim-demo-pods.json");
    struct strbuf s;
    strbuf_init(&s);
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(l, "items"))
    {
        proto_watch_event(&s, "Pod", "MODIFIED", it);
    }
    cJSON *bm = cJSON_Parse("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{"
                            "\"resourceVersion\":\"77\",\"annotations\":{"
                            "\"k8s.io/initial-events-end\":\"true\"}}}");
    proto_watch_event(&s, "Pod", "BOOKMARK", bm);
    cJSON *st = cJSON_Parse("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                            "\"message\":\"too old resource version\",\"reason\":\"Expired\","
                            "\"code\":410}");
    proto_watch_event(&s, "Pod", "ERROR", st);
    struct evs whole = {0};
    strbuf_init(&whole.log);
    struct kube_pb_frames f;
    bool big;
    kube_pb_frames_init(&f, 1 << 20);
    assert_int_equal(kube_pb_frames_feed(&f, s.buf, s.len, on_frame, &whole, &big), 0);
    assert_int_equal(f.buf.len, 0);
    assert_null(strstr(whole.log.buf, "bad:"));
    assert_non_null(strstr(whole.log.buf, "BOOKMARK:{\"metadata\":{\"resourceVersion\":\"77\","
                                          "\"annotations\":{\"k8s.io/initial-events-end\":"
                                          "\"true\"}}}"));
    assert_non_null(strstr(whole.log.buf, "ERROR:{\"status\":\"Failure\",\"message\":\"too old "
                                          "resource version\",\"reason\":\"Expired\","
                                          "\"code\":410}"));
    for (size_t step = 1; step < 300; step += step < 20 ? 1 : 37) {
        struct evs parts = {0};
        strbuf_init(&parts.log);
        for (size_t at = 0; at < s.len; at += step)
            assert_int_equal(kube_pb_frames_feed(&f, s.buf + at,
                                                 at + step <= s.len ? step : s.len - at, on_frame,
                                                 &parts, &big),
                             0);
        assert_string_equal(parts.log.buf, whole.log.buf);
        strbuf_done(&parts.log);
    }
    /* a length over the limit */
    kube_pb_frames_done(&f);
    kube_pb_frames_init(&f, 100);
    assert_int_equal(kube_pb_frames_feed(&f, "\x00\x01\x00\x00", 4, on_frame, &whole, &big), -1);
    assert_true(big);
    kube_pb_frames_done(&f);
    strbuf_done(&whole.log);
    strbuf_done(&s);
    cJSON_Delete(l);
    cJSON_Delete(bm);
    cJSON_Delete(st);
}

/* The continue token read from a page's first bytes, as they arrive: for
 * every prefix either "more bytes" or the token (or none); never a wrong one. */
static void test_list_cont(void **state)
{
    struct strbuf raw, items, l;
    strbuf_init(&raw);
    strbuf_init(&items);
    strbuf_init(&l);
    cJSON *pod = cJSON_Parse("{\"metadata\":{\"name\":\"a\"}}");
    proto_object_raw("Pod", pod, &raw, NULL);
    proto_list_item(&items, raw.buf, raw.len);
    proto_list(&l, "v1", "Pod", "12", "next-page-token", 5, &items);
    bool decided = false;
    for (size_t n = 0; n <= l.len; n++) {
        unsigned char *cut = xmalloc(n ? n : 1);
        memcpy(cut, l.buf, n);
        char *next = NULL;
        int rc = kube_pb_list_cont(cut, n, &next);
        if (rc == 1) {
            assert_non_null(next);
            assert_string_equal(next, "next-page-token");
            decided = true;
        } else {
            assert_null(next);
            assert_false(decided); /* once decided, more bytes do not undecide it */
        }
        free(next);
        free(cut);
    }
    assert_true(decided);
    /* the last page: no token, decided once the metadata is in */
    strbuf_reset(&l);
    proto_list(&l, "v1", "Pod", "12", NULL, -1, &items);
    char *next = (char *)"x";
    assert_int_equal(kube_pb_list_cont((const unsigned char *)l.buf, l.len, &next), 1);
    assert_null(next);
    /* JSON is not read here */
    assert_int_equal(kube_pb_list_cont((const unsigned char *)"{\"kind\"", 7, &next), 1);
    assert_null(next);
    cJSON_Delete(pod);
    strbuf_done(&raw);
    strbuf_done(&items);
    strbuf_done(&l);
}

static void test_media(void **state)
{
    assert_true(kube_pb_media("application/vnd.kubernetes.protobuf"));
    assert_true(kube_pb_media("application/vnd.kubernetes.protobuf;stream=watch"));
    assert_false(kube_pb_media("application/json"));
    assert_false(kube_pb_media("application/vnd.kubernetes.protobufx"));
    assert_false(kube_pb_media(NULL));
    assert_true(proto_accept_first(KUBE_PB_ACCEPT));
    assert_false(proto_accept_first("application/json, application/vnd.kubernetes.protobuf"));
    assert_false(proto_accept_first("*/*"));
    setenv("DIFY_TUI_KUBE_JSON", "1", 1);
    assert_false(kube_pb_wanted(kube_resource_get(KUBE_POD)));
    setenv("DIFY_TUI_KUBE_JSON", "0", 1);
    assert_true(kube_pb_wanted(kube_resource_get(KUBE_POD)));
    unsetenv("DIFY_TUI_KUBE_JSON");
    assert_false(kube_pb_wanted(kube_resource_get(KUBE_DEPLOYMENT)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_media),           cmocka_unit_test(test_sim_pods),
        cmocka_unit_test(test_corpus),          cmocka_unit_test(test_random_pods),
        cmocka_unit_test(test_wrong_wire_type), cmocka_unit_test(test_truncated_mutated),
        cmocka_unit_test(test_watch_frames),    cmocka_unit_test(test_list_cont),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    kube_pb_release();
    return rc;
}
