/* tests/unit/test_kube_store_layout.c: objects as the store lays them out.
 * A store allocates each object at its kind's size (kube_obj_size: the
 * common fields and u's member of that kind) in slabs, and keeps a uid as
 * 16 bytes. Checked here: every field the registry lists and every column
 * it prints of a kind lies inside that size; for an object of every kind,
 * with every field set, what the store holds equals, field by field, what
 * kube_obj_parse projects into a whole struct, after ADDED and after a
 * MODIFIED that changes it; the uid's text comes back as it was, whatever
 * it is; slabs give places back and reuse them across churn; relists keep
 * exactly what they saw. */
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

#include "core/error.h"
#include "core/kube_kinds.h"
#include "core/kube_store.h"
#include "core/util.h"

static size_t field_size(const struct kube_field *f)
{
    switch (f->type) {
    case KF_STR:
        return sizeof(const char *);
    case KF_INT:
        return sizeof(int);
    case KF_I64:
    case KF_TIME:
        return sizeof(long long);
    case KF_BOOL:
        return sizeof(bool);
    case KF_KEYS:
        return sizeof(struct kube_keys);
    case KF_PAIRS:
        return sizeof(struct kube_serviceaccount);
    }
    return 0;
}

/* Every field and column of a kind is inside the bytes its objects have. */
static void test_fields_inside_kind_size(void **state)
{
    size_t nm;
    const struct kube_field *meta = kube_meta_fields(&nm);
    for (int k = 0; k < KUBE_KIND_COUNT; k++) {
        const struct kube_resource *r = kube_resource_get((enum kube_kind)k);
        size_t size = kube_obj_size((enum kube_kind)k);
        assert_true(size <= sizeof(struct kube_obj));
        assert_true(size > offsetof(struct kube_obj, u));
        assert_int_equal(size % sizeof(long long), 0);
        for (size_t i = 0; i < nm; i++)
            assert_true(meta[i].off + field_size(&meta[i]) <= offsetof(struct kube_obj, u));
        for (size_t i = 0; i < r->nfields; i++)
            if (r->fields[i].off + field_size(&r->fields[i]) > size)
                fail_msg("%s: field %zu at %zu is outside its %zu bytes", r->kind, i,
                         r->fields[i].off, size);
        for (size_t i = 0; i < r->ncolumns; i++) {
            const struct kube_column *c = &r->columns[i];
            size_t end = c->cell == KC_STR   ? c->off + sizeof(const char *)
                         : c->cell == KC_INT ? c->off + sizeof(int)
                                             : 0;
            if (end > size)
                fail_msg("%s: column %s reads outside its %zu bytes", r->kind, c->name, size);
        }
    }
    /* a pod is much smaller than the union's largest kind */
    assert_true(kube_obj_size(KUBE_POD) + 64 <= kube_obj_size(KUBE_DEPLOYMENT));
}

/* ---- one object of every kind, every field set ---- */

#define META(name, extra)                                                                          \
    "\"metadata\":{\"name\":\"" name "\",\"namespace\":\"dify\",\"uid\":"                          \
    "\"3f2a9c1e-7b4d-4e8f-9a01-23456789abcd\",\"resourceVersion\":\"%d\",\"generation\":7,"        \
    "\"creationTimestamp\":\"2026-01-01T00:00:00Z\",\"deletionTimestamp\":"                        \
    "\"2026-01-02T00:00:00Z\",\"labels\":{\"app.kubernetes.io/component\":\"api\"},"               \
    "\"ownerReferences\":[{\"kind\":\"Other\",\"name\":\"o1\"},{\"kind\":\"ReplicaSet\","          \
    "\"name\":\"rs-%d\",\"controller\":true}]" extra "}"

static const struct {
    enum kube_kind kind;
    const char *json; /* %d: the resourceVersion, then the version again */
} objects[] = {
    {KUBE_POD,
     "{" META("p",
              "") ",\"spec\":{\"nodeName\":\"node-%d\",\"readinessGates\":[{\"conditionType\":"
                  "\"g\"}],\"initContainers\":[{\"name\":\"i\",\"restartPolicy\":\"Always\"}],"
                  "\"containers\":[{\"name\":\"c\"},{\"name\":\"d\"}]},\"status\":{\"phase\":"
                  "\"Running\",\"nominatedNodeName\":\"n2\",\"podIPs\":[{\"ip\":\"10.0.0.9\"}],"
                  "\"conditions\":[{\"type\":\"g\",\"status\":\"True\"},{\"type\":\"Ready\","
                  "\"status\":\"True\"}],\"initContainerStatuses\":[{\"name\":\"i\",\"ready\":"
                  "true,\"started\":true,\"restartCount\":1,\"state\":{\"running\":{}}}],"
                  "\"containerStatuses\":[{\"name\":\"c\",\"ready\":true,\"restartCount\":3,"
                  "\"state\":{\"running\":{}},\"lastState\":{\"terminated\":{\"reason\":"
                  "\"OOMKilled\",\"exitCode\":137,\"finishedAt\":\"2026-01-01T00:05:00Z\"}}},"
                  "{\"name\":\"d\",\"ready\":false,\"restartCount\":2,\"state\":{\"waiting\":"
                  "{\"reason\":\"CrashLoopBackOff\"}}}]}}"},
    {KUBE_DEPLOYMENT,
     "{" META("d",
              "") ",\"spec\":{\"replicas\":%d,\"paused\":true,\"strategy\":{\"type\":"
                  "\"RollingUpdate\"},\"selector\":{\"matchLabels\":{\"app\":\"x\"},"
                  "\"matchExpressions\":[{\"key\":\"t\",\"operator\":\"In\",\"values\":[\"a\","
                  "\"b\"]}]},\"template\":{\"spec\":{\"containers\":[{\"name\":\"api\","
                  "\"image\":\"langgenius/dify-api:1.9.1\"},{\"name\":\"s\",\"image\":\"b:1\"}]"
                  "}}},\"status\":{\"observedGeneration\":6,\"replicas\":3,\"updatedReplicas\":"
                  "2,\"readyReplicas\":1,\"availableReplicas\":1,\"conditions\":[{\"type\":"
                  "\"Progressing\",\"status\":\"False\",\"reason\":\"ProgressDeadlineExceeded\","
                  "\"message\":\"too slow\"}]}}"},
    {KUBE_STATEFULSET,
     "{" META("s", "") ",\"spec\":{\"replicas\":%d,\"updateStrategy\":{\"type\":\"RollingUpdate\","
                       "\"rollingUpdate\":{\"partition\":1}},\"selector\":{\"matchLabels\":{\"a\":"
                       "\"b\"}},\"template\":{\"spec\":{\"containers\":[{\"name\":\"pg\",\"image\":"
                       "\"postgres:15\"}]}}},\"status\":{\"observedGeneration\":7,\"replicas\":2,"
                       "\"readyReplicas\":2,\"currentReplicas\":1,\"updatedReplicas\":1,"
                       "\"availableReplicas\":2,\"currentRevision\":\"s-1\",\"updateRevision\":"
                       "\"s-2\"}}"},
    {KUBE_DAEMONSET,
     "{" META("ds",
              "") ",\"spec\":{\"x\":%d,\"updateStrategy\":{\"type\":\"OnDelete\"},"
                  "\"template\":{\"spec\":{\"nodeSelector\":{\"os\":\"linux\"},\"containers\":"
                  "[{\"name\":\"n\",\"image\":\"n:1\"}]}}},\"status\":{"
                  "\"desiredNumberScheduled\":5,\"currentNumberScheduled\":4,\"numberReady\":3,"
                  "\"updatedNumberScheduled\":2,\"numberAvailable\":1}}"},
    {KUBE_REPLICASET, "{" META("rs", ",\"annotations\":{\"deployment.kubernetes.io/"
                                     "revision\":\"4\"}") ",\"spec\":{"
                                                          "\"replicas\":%d,\"selector\":{"
                                                          "\"matchLabels\":{\"p\":\"q\"}},"
                                                          "\"template\":{"
                                                          "\"spec\":{\"containers\":[{\"name\":"
                                                          "\"w\",\"image\":\"w:2\"}]}}},\"status\":"
                                                          "{"
                                                          "\"replicas\":2,\"readyReplicas\":1,"
                                                          "\"availableReplicas\":1}}"},
    {KUBE_JOB,
     "{" META("j",
              "") ",\"spec\":{\"completions\":%d,\"parallelism\":2,\"backoffLimit\":3,"
                  "\"selector\":{\"matchLabels\":{\"job-name\":\"j\"}},\"template\":{\"spec\":"
                  "{\"containers\":[{\"name\":\"m\",\"image\":\"m:1\"}]}}},\"status\":{\"active\":"
                  "1,\"succeeded\":2,\"failed\":3,\"startTime\":\"2026-01-01T00:00:10Z\","
                  "\"completionTime\":\"2026-01-01T00:01:00Z\",\"conditions\":[{\"type\":"
                  "\"Failed\",\"status\":\"True\",\"reason\":\"BackoffLimitExceeded\","
                  "\"message\":\"too many\"},{\"type\":\"FailureTarget\",\"status\":\"True\"},"
                  "{\"type\":\"Suspended\",\"status\":\"True\"}]}}"},
    {KUBE_EVENT,
     "{" META("e", "") ",\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p-%d\",\"fieldPath\":"
                       "\"spec.containers{c}\"},\"reason\":\"BackOff\",\"message\":\"back-off\","
                       "\"type\":\"Warning\",\"count\":4,\"source\":{\"component\":\"kubelet\","
                       "\"host\":\"node-1\"},\"firstTimestamp\":\"2026-01-01T00:00:01Z\","
                       "\"lastTimestamp\":\"2026-01-01T00:00:09Z\"}"},
    {KUBE_SERVICE,
     "{" META("svc", "") ",\"spec\":{\"type\":\"LoadBalancer\",\"clusterIP\":\"10.96.0.%d\","
                         "\"externalIPs\":[\"1.2.3.4\"],\"ports\":[{\"port\":80,\"nodePort\":30080,"
                         "\"protocol\":\"TCP\"}],\"selector\":{\"app\":\"x\"}},\"status\":{"
                         "\"loadBalancer\":{\"ingress\":[{\"ip\":\"5.6.7.8\"}]}}}"},
    {KUBE_INGRESS,
     "{" META("ing",
              "") ",\"spec\":{\"ingressClassName\":\"nginx-%d\",\"tls\":[{}],\"rules\":[{"
                  "\"host\":\"a.example.com\"}]},\"status\":{\"loadBalancer\":{\"ingress\":[{"
                  "\"hostname\":\"lb.example.com\"}]}}}"},
    {KUBE_CONFIGMAP,
     "{" META("cm", "") ",\"data\":{\"k%d\":\"v\",\"b\":\"w\"},\"binaryData\":{\"c\":\"AA==\"}}"},
    {KUBE_SECRET,
     "{" META("sec", "") ",\"type\":\"Opaque\",\"data\":{\"p%d\":\"AA==\",\"u\":\"AA==\"}}"},
    {KUBE_SERVICEACCOUNT, "{" META("sa", ",\"annotations\":{\"eks.amazonaws.com/"
                                         "role-arn\":\"arn:%d\",\"b\":\"c\"}") ","
                                                                               "\"secrets\":[{"
                                                                               "\"name\":\"t\"}]}"},
    {KUBE_PVC,
     "{" META("pvc", "") ",\"spec\":{\"volumeName\":\"pv-%d\",\"storageClassName\":\"gp3\","
                         "\"volumeAttributesClassName\":\"fast\",\"volumeMode\":\"Filesystem\"},"
                         "\"status\":{\"phase\":\"Bound\",\"accessModes\":[\"ReadWriteOnce\","
                         "\"ReadWriteMany\"],\"capacity\":{\"storage\":\"10Gi\"}}}"},
    {KUBE_NODE,
     "{" META(
         "n",
         ",\"labels\":{\"node-role.kubernetes.io/worker\":\"\"}") ",\"spec\":{"
                                                                  "\"unschedulable\":true,"
                                                                  "\"podCIDR\":\"10.%d.0.0/"
                                                                  "24\"},\"status\":{\"nodeInfo\":"
                                                                  "{\"kubeletVersion\":\"v1.32.0\","
                                                                  "\"osImage\":\"Bottlerocket\","
                                                                  "\"kernelVersion\":"
                                                                  "\"6.1\","
                                                                  "\"containerRuntimeVersion\":"
                                                                  "\"containerd://"
                                                                  "1.7\"},\"addresses\":[{"
                                                                  "\"type\":\"InternalIP\","
                                                                  "\"address\":\"192.168.0.1\"},{"
                                                                  "\"type\":\"ExternalIP\","
                                                                  "\"address\":\"3.3.3.3\"}],"
                                                                  "\"conditions\":[{\"type\":"
                                                                  "\"Ready\",\"status\":"
                                                                  "\"True\"}]}}"},
    {KUBE_NAMESPACE, "{" META("ns", "") ",\"status\":{\"phase\":\"Terminating-%d\"}}"},
};

/* objects[i] with every %d replaced by the version */
static cJSON *object_json(size_t i, int version)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = objects[i].json; *p; p++) {
        if (p[0] == '%' && p[1] == 'd') {
            strbuf_addf(&sb, "%d", version);
            p++;
        } else
            strbuf_addc(&sb, *p);
    }
    cJSON *j = cJSON_Parse(sb.buf);
    if (!j)
        fail_msg("bad test JSON for kind %d: %s", (int)objects[i].kind, sb.buf);
    strbuf_done(&sb);
    return j;
}

#define EQ_STR(f) assert_string_equal(a->f ? a->f : "(null)", b->f ? b->f : "(null)")
#define EQ_NUM(f) assert_true(a->f == b->f)

static void same_template(const struct kube_template *a, const struct kube_template *b)
{
    EQ_STR(containers);
    EQ_STR(images);
    EQ_STR(selector);
}

static void same_pod(const struct kube_pod *a, const struct kube_pod *b)
{
    EQ_STR(phase);
    EQ_STR(reason);
    EQ_STR(node);
    EQ_STR(last_reason);
    EQ_STR(ip);
    EQ_STR(nominated);
    EQ_STR(gates);
    EQ_NUM(ready);
    EQ_NUM(total);
    EQ_NUM(restarts);
    EQ_NUM(last_restart);
}

static void same_workload(const struct kube_workload *a, const struct kube_workload *b)
{
    EQ_NUM(generation);
    EQ_NUM(observed_generation);
    EQ_NUM(spec_replicas);
    EQ_NUM(replicas);
    EQ_NUM(updated);
    EQ_NUM(ready);
    EQ_NUM(available);
    EQ_NUM(current);
    EQ_STR(progressing_reason);
    EQ_STR(progressing_message);
    EQ_NUM(paused);
    EQ_STR(revision);
    EQ_STR(strategy);
    EQ_NUM(has_rolling_update);
    EQ_NUM(partition);
    EQ_STR(current_revision);
    EQ_STR(update_revision);
    EQ_NUM(desired_scheduled);
    EQ_NUM(updated_scheduled);
    EQ_NUM(number_available);
    EQ_NUM(current_scheduled);
    EQ_NUM(number_ready);
    EQ_STR(node_selector);
    same_template(&a->tpl, &b->tpl);
}

static void same_job(const struct kube_job *a, const struct kube_job *b)
{
    EQ_NUM(completions);
    EQ_NUM(parallelism);
    EQ_NUM(active);
    EQ_NUM(succeeded);
    EQ_NUM(failed);
    EQ_NUM(backoff_limit);
    EQ_NUM(complete);
    EQ_NUM(failed_cond);
    EQ_NUM(suspended);
    EQ_NUM(failure_target);
    EQ_STR(failed_reason);
    EQ_STR(failed_message);
    EQ_NUM(start);
    EQ_NUM(completion);
    same_template(&a->tpl, &b->tpl);
}

static void same_event(const struct kube_event *a, const struct kube_event *b)
{
    EQ_STR(involved_kind);
    EQ_STR(involved_name);
    EQ_STR(reason);
    EQ_STR(message);
    EQ_STR(type);
    EQ_STR(field_path);
    EQ_STR(source);
    EQ_NUM(count);
    EQ_NUM(first);
    EQ_NUM(last);
}

static void same_service(const struct kube_service *a, const struct kube_service *b)
{
    EQ_STR(type);
    EQ_STR(cluster_ip);
    EQ_STR(ports);
    EQ_STR(external);
    EQ_STR(selector);
}

static void same_ingress(const struct kube_ingress *a, const struct kube_ingress *b)
{
    EQ_STR(class_name);
    EQ_STR(hosts);
    EQ_STR(address);
    EQ_NUM(tls);
}

static void same_keys(const struct kube_keys *a, const struct kube_keys *b)
{
    EQ_STR(type);
    EQ_NUM(nkeys);
    EQ_NUM(ndata);
    for (unsigned i = 0; i < a->nkeys; i++)
        assert_string_equal(a->keys[i], b->keys[i]);
}

static void same_pvc(const struct kube_pvc *a, const struct kube_pvc *b)
{
    EQ_STR(phase);
    EQ_STR(volume);
    EQ_STR(capacity);
    EQ_STR(storage_class);
    EQ_STR(access_modes);
    EQ_STR(attr_class);
    EQ_STR(volume_mode);
}

static void same_node(const struct kube_node *a, const struct kube_node *b)
{
    EQ_STR(status);
    EQ_NUM(ready);
    EQ_NUM(unschedulable);
    EQ_STR(kubelet_version);
    EQ_STR(roles);
    EQ_STR(internal_ip);
    EQ_STR(external_ip);
    EQ_STR(os_image);
    EQ_STR(kernel);
    EQ_STR(runtime);
}

static void same_sa(const struct kube_serviceaccount *a, const struct kube_serviceaccount *b)
{
    EQ_NUM(nannotations);
    EQ_NUM(nsecrets);
    for (unsigned i = 0; i < a->nannotations; i++) {
        assert_string_equal(a->annotations[i].key, b->annotations[i].key);
        assert_string_equal(a->annotations[i].value, b->annotations[i].value);
    }
}

/* a: the store's object, b: the whole struct kube_obj_parse made */
static void same_obj(enum kube_kind k, const struct kube_obj *a, const struct kube_obj *b)
{
    EQ_STR(ns);
    EQ_STR(name);
    char ua[KUBE_UID_LEN], ub[KUBE_UID_LEN];
    assert_string_equal(kube_obj_uid(a, ua), kube_obj_uid(b, ub));
    EQ_STR(component);
    EQ_STR(owner_kind);
    EQ_STR(owner_name);
    EQ_NUM(rv);
    EQ_NUM(created);
    EQ_NUM(deleted);
    switch (k) {
    case KUBE_POD:
        same_pod(&a->u.pod, &b->u.pod);
        break;
    case KUBE_DEPLOYMENT:
    case KUBE_STATEFULSET:
    case KUBE_DAEMONSET:
    case KUBE_REPLICASET:
        same_workload(&a->u.wl, &b->u.wl);
        break;
    case KUBE_JOB:
        same_job(&a->u.job, &b->u.job);
        break;
    case KUBE_EVENT:
        same_event(&a->u.ev, &b->u.ev);
        break;
    case KUBE_SERVICE:
        same_service(&a->u.svc, &b->u.svc);
        break;
    case KUBE_INGRESS:
        same_ingress(&a->u.ing, &b->u.ing);
        break;
    case KUBE_CONFIGMAP:
    case KUBE_SECRET:
        same_keys(&a->u.keys, &b->u.keys);
        break;
    case KUBE_SERVICEACCOUNT:
        same_sa(&a->u.sa, &b->u.sa);
        break;
    case KUBE_PVC:
        same_pvc(&a->u.pvc, &b->u.pvc);
        break;
    case KUBE_NODE:
        same_node(&a->u.node, &b->u.node);
        break;
    case KUBE_NAMESPACE:
        assert_string_equal(a->u.nsobj.phase, b->u.nsobj.phase);
        break;
    case KUBE_KIND_COUNT:
        fail();
    }
    /* and every column kubectl prints, -o wide included */
    const struct kube_resource *r = kube_resource_get(k);
    for (size_t i = 0; i < r->ncolumns; i++) {
        struct strbuf x, y;
        strbuf_init(&x);
        strbuf_init(&y);
        kube_cell_text(&r->columns[i], a, 1767225600LL, &x);
        kube_cell_text(&r->columns[i], b, 1767225600LL, &y);
        assert_string_equal(x.buf, y.buf);
        strbuf_done(&x);
        strbuf_done(&y);
    }
}

/* The store's object against kube_obj_parse's, for the object at version v. */
static void check_against_parse(struct kube_store *s, size_t i, int v, bool *some_set)
{
    cJSON *j = object_json(i, v);
    struct error err;
    error_clear(&err);
    struct kube_obj *want = kube_obj_parse(objects[i].kind, j, &err);
    if (!want)
        fail_msg("kind %d: %s", (int)objects[i].kind, err.msg);
    cJSON_Delete(j);
    const struct kube_obj *got = kube_store_find(s, "dify", want->name);
    assert_non_null(got);
    same_obj(objects[i].kind, got, want);
    /* the objects are rich: the kind's part is not all zero */
    static const unsigned char zero[sizeof(struct kube_obj)];
    size_t part = kube_obj_size(objects[i].kind) - offsetof(struct kube_obj, u);
    *some_set = memcmp(&want->u, zero, part) != 0;
    kube_obj_free(want);
}

static void test_every_kind_field_by_field(void **state)
{
    bool seen[KUBE_KIND_COUNT] = {false};
    for (size_t i = 0; i < ARRAY_LEN(objects); i++) {
        enum kube_kind k = objects[i].kind;
        seen[k] = true;
        struct kube_store *s = kube_store_new(k);
        /* neighbours on both sides in the slab, so a copy past the kind's
         * size would show in them */
        for (int v = 1; v <= 3; v++) {
            cJSON *j = object_json(i, v);
            cJSON *name = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "metadata"), "name");
            char other[32];
            snprintf(other, sizeof(other), "%s-%d", name->valuestring, v);
            if (v != 2)
                cJSON_SetValuestring(name, other);
            assert_int_equal(kube_store_apply(s, v == 2 ? "ADDED" : NULL, j, NULL), 0);
            cJSON_Delete(j);
        }
        bool some = false;
        check_against_parse(s, i, 2, &some);
        assert_true(some);
        /* a change rewrites the object in place */
        cJSON *j = object_json(i, 40);
        const struct kube_obj *before = kube_store_find(s, "dify", kube_store_at(s, 1)->name);
        assert_int_equal(kube_store_apply(s, "MODIFIED", j, NULL), 0);
        cJSON_Delete(j);
        assert_ptr_equal(kube_store_find(s, "dify", kube_store_at(s, 1)->name), before);
        check_against_parse(s, i, 40, &some);
        /* the neighbours are untouched */
        for (int v = 1; v <= 3; v += 2) {
            cJSON *n = object_json(i, v);
            struct kube_obj *want = kube_obj_parse(k, n, NULL);
            char other[32];
            snprintf(other, sizeof(other), "%s-%d", want->name, v);
            const struct kube_obj *got = kube_store_find(s, "dify", other);
            assert_non_null(got);
            assert_int_equal(got->rv, want->rv);
            if (k == KUBE_POD)
                same_pod(&got->u.pod, &want->u.pod);
            kube_obj_free(want);
            cJSON_Delete(n);
        }
        kube_store_free(s);
    }
    for (int k = 0; k < KUBE_KIND_COUNT; k++)
        if (!seen[k])
            fail_msg("no object of kind %s here", kube_resource_get((enum kube_kind)k)->kind);
}

/* The uid: a lowercase UUID is kept as 16 bytes, any other text as it is;
 * both come back the same, and none stays none. */
static void test_uid_text(void **state)
{
    static const char *const uids[] = {
        "3f2a9c1e-7b4d-4e8f-9a01-23456789abcd", /* an API server's */
        "00000000-0000-0000-0000-000000000000", /* all zero: not "none" */
        "3F2A9C1E-7B4D-4E8F-9A01-23456789ABCD", /* upper case stays upper case */
        "3f2a9c1e-7b4d-4e8f-9a01-23456789abc",  /* one digit short */
        "3f2a9c1e-7b4d-4e8f-9a01-23456789abcde",
        "3f2a9c1e+7b4d-4e8f-9a01-23456789abcd",
        "3f2a9c1e-7b4d-4e8f-9a01-2345678gabcd",
        "u1",
        "",
        /* whose bytes 8..15 are the text marker: kept as text */
        "00000000-0000-0000-6469-752074786574",
        "64697520-7478-6574-6469-752074786574",
    };
    struct kube_store *s = kube_store_new(KUBE_JOB);
    char buf[256], ub[KUBE_UID_LEN];
    for (size_t i = 0; i < ARRAY_LEN(uids); i++) {
        snprintf(buf, sizeof(buf), "{\"metadata\":{\"name\":\"j%zu\",\"uid\":\"%s\"}}", i, uids[i]);
        cJSON *j = cJSON_Parse(buf);
        assert_int_equal(kube_store_apply(s, NULL, j, NULL), 0);
        struct kube_obj *o = kube_obj_parse(KUBE_JOB, j, NULL);
        assert_string_equal(kube_obj_uid(o, ub), uids[i]);
        kube_obj_free(o);
        cJSON_Delete(j);
    }
    for (size_t i = 0; i < ARRAY_LEN(uids); i++) {
        snprintf(buf, sizeof(buf), "j%zu", i);
        assert_string_equal(kube_obj_uid(kube_store_find(s, "", buf), ub), uids[i]);
    }
    cJSON *j = cJSON_Parse("{\"metadata\":{\"name\":\"none\"}}");
    kube_store_apply(s, NULL, j, NULL);
    cJSON_Delete(j);
    assert_null(kube_obj_uid(kube_store_find(s, "", "none"), ub));
    j = cJSON_Parse("{\"metadata\":{\"name\":\"num\",\"uid\":5}}"); /* refused: not a string */
    assert_int_equal(kube_store_apply(s, NULL, j, NULL), -1);
    cJSON_Delete(j);
    /* the text uids go with their objects: an empty relist leaves no string */
    kube_store_relist_begin(s);
    kube_store_relist_end(s);
    assert_int_equal(kube_store_count(s), 0);
    kube_store_free(s);
}

/* Deleted objects' places are reused, objects keep their address while
 * they live, and the store's bytes do not grow over rounds of churn. */
static void test_slab_churn(void **state)
{
    struct kube_store *s = kube_store_new(KUBE_POD);
    char buf[256];
    size_t top = 0;
    const struct kube_obj *keep = NULL;
    for (int round = 0; round < 6; round++) {
        for (int i = 0; i < 3000; i++) {
            snprintf(buf, sizeof(buf),
                     "{\"metadata\":{\"name\":\"p-%d\",\"namespace\":\"n\",\"resourceVersion\":"
                     "\"%d\"},\"status\":{\"phase\":\"Running\"}}",
                     (round * 1000 + i) % 5000, round * 10000 + i + 1);
            cJSON *j = cJSON_Parse(buf);
            assert_int_equal(kube_store_apply(s, NULL, j, NULL), 0);
            cJSON_Delete(j);
        }
        if (!keep)
            keep = kube_store_find(s, "n", "p-2999");
        assert_ptr_equal(kube_store_find(s, "n", "p-2999"), keep); /* modified in place */
        /* delete every other one, checking the rest are intact */
        for (int i = 0; i < 5000; i += 2) {
            snprintf(buf, sizeof(buf), "{\"metadata\":{\"name\":\"p-%d\",\"namespace\":\"n\"}}", i);
            cJSON *j = cJSON_Parse(buf);
            kube_store_apply(s, "DELETED", j, NULL);
            cJSON_Delete(j);
        }
        for (size_t i = 0; i < kube_store_count(s); i++) {
            const struct kube_obj *o = kube_store_at(s, i);
            assert_string_equal(o->ns, "n");
            assert_string_equal(o->u.pod.phase, "Running");
            assert_ptr_equal(kube_store_find(s, "n", o->name), o);
        }
        size_t m = kube_store_memory(s);
        if (round == 2)
            top = m;
        if (round > 2)
            assert_true(m <= top);
    }
    assert_ptr_equal(kube_store_find(s, "n", "p-2999"), keep);
    kube_store_free(s);
}

/* Names are owned strings, the index on their text: an object keeps its
 * name's pointer over its changes (the status model finds rows by it);
 * equal names in two namespaces are two objects; finding a name or a
 * namespace the store never had takes nothing. */
static void test_names(void **state)
{
    struct kube_store *s = kube_store_new(KUBE_POD);
    char buf[256];
    for (int i = 0; i < 2000; i++) {
        snprintf(buf, sizeof(buf),
                 "{\"metadata\":{\"name\":\"p-%d\",\"namespace\":\"n%d\",\"resourceVersion\":"
                 "\"%d\"},\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.%d.%d\"}}",
                 i % 1000, i / 1000, i + 1, i / 256, i % 256);
        cJSON *j = cJSON_Parse(buf);
        assert_int_equal(kube_store_apply(s, "ADDED", j, NULL), 0);
        cJSON_Delete(j);
    }
    assert_int_equal(kube_store_count(s), 2000);
    const struct kube_obj *a = kube_store_find(s, "n0", "p-7"),
                          *b = kube_store_find(s, "n1", "p-7");
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_string_equal(a->u.pod.ip, "10.0.0.7");
    assert_string_equal(b->u.pod.ip, "10.0.3.239");
    const char *name = a->name;
    size_t m = kube_store_memory(s);
    for (int v = 0; v < 5; v++) {
        snprintf(buf, sizeof(buf),
                 "{\"metadata\":{\"name\":\"p-7\",\"namespace\":\"n0\",\"resourceVersion\":"
                 "\"%d\"},\"status\":{\"phase\":\"Failed\",\"podIP\":\"10.1.0.%d\"}}",
                 5000 + v, v);
        cJSON *j = cJSON_Parse(buf);
        assert_int_equal(kube_store_apply(s, "MODIFIED", j, NULL), 0);
        cJSON_Delete(j);
        assert_ptr_equal(kube_store_find(s, "n0", "p-7"), a);
        assert_ptr_equal(a->name, name);
        snprintf(buf, sizeof(buf), "10.1.0.%d", v);
        assert_string_equal(a->u.pod.ip, buf);
        assert_string_equal(a->u.pod.phase, "Failed");
        assert_int_equal(kube_store_memory(s), m); /* the old copies given back */
    }
    assert_null(kube_store_find(s, "n2", "p-7"));
    assert_null(kube_store_find(s, "n0", "p-1000"));
    assert_null(kube_store_find(s, "n0", NULL));
    assert_int_equal(kube_store_memory(s), m);
    /* a deletion by a name of the same text */
    cJSON *j = cJSON_Parse("{\"metadata\":{\"name\":\"p-7\",\"namespace\":\"n1\"}}");
    assert_int_equal(kube_store_apply(s, "DELETED", j, NULL), 0);
    cJSON_Delete(j);
    assert_null(kube_store_find(s, "n1", "p-7"));
    assert_ptr_equal(kube_store_find(s, "n0", "p-7"), a);
    for (size_t i = 0; i < kube_store_count(s); i++) {
        const struct kube_obj *o = kube_store_at(s, i);
        assert_ptr_equal(kube_store_find(s, o->ns, o->name), o);
    }
    kube_store_free(s);
}

/* A relist keeps what it saw and deletes the rest: positions move as the
 * last object fills each hole, the seen marks and index slots with them. */
static void test_relist_positions(void **state)
{
    struct kube_store *s = kube_store_new(KUBE_POD);
    char buf[256];
    enum { N = 5000 };
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            snprintf(buf, sizeof(buf),
                     "{\"metadata\":{\"name\":\"p-%d\",\"namespace\":\"n\",\"resourceVersion\":"
                     "\"%d\"}}",
                     i, round * N + i + 1);
            cJSON *j = cJSON_Parse(buf);
            kube_store_apply(s, NULL, j, NULL);
            cJSON_Delete(j);
        }
        assert_int_equal(kube_store_count(s), N);
        /* the relist brings every third one (some as stale versions) */
        kube_store_relist_begin(s);
        for (int i = round; i < N; i += 3) {
            snprintf(buf, sizeof(buf),
                     "{\"metadata\":{\"name\":\"p-%d\",\"namespace\":\"n\",\"resourceVersion\":"
                     "\"%d\"}}",
                     i, i % 2 ? 1 : round * N + i + 1);
            cJSON *j = cJSON_Parse(buf);
            kube_store_apply(s, NULL, j, NULL);
            cJSON_Delete(j);
        }
        kube_store_relist_end(s);
        assert_int_equal(kube_store_count(s), (N - round + 2) / 3);
        for (int i = 0; i < N; i++) {
            snprintf(buf, sizeof(buf), "p-%d", i);
            const struct kube_obj *o = kube_store_find(s, "n", buf);
            if (i % 3 == round % 3 && i >= round)
                assert_non_null(o);
            else
                assert_null(o);
        }
        for (size_t i = 0; i < kube_store_count(s); i++) {
            const struct kube_obj *o = kube_store_at(s, i);
            assert_ptr_equal(kube_store_find(s, "n", o->name), o);
        }
    }
    kube_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_inside_kind_size),
        cmocka_unit_test(test_every_kind_field_by_field),
        cmocka_unit_test(test_uid_text),
        cmocka_unit_test(test_slab_churn),
        cmocka_unit_test(test_relist_positions),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests_name("kube_store_layout", tests, NULL, NULL);
}
