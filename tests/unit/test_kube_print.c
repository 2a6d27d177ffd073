/* tests/unit/test_kube_print.c: the kind registry and the kubectl printer.
 * The pod cases are kubernetes' own (pkg/printers/internalversion/
 * printers_test.go: TestPrintPod, TestPrintPodWithRestartableInitContainer,
 * TestPrintPodwide), the objects written as the JSON the API serves and the
 * expected cells as that test expects them; the other kinds follow the
 * printers.go rules for their columns. Also: HumanDuration, the tabwriter
 * layout, and that every string a kind's projection interns is released. */
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
#include "core/kube_intern.h"
#include "core/kube_kinds.h"
#include "core/kube_store.h"
#include "core/util.h"

/* 2026-01-01T00:00:00Z; the objects' times are written relative to it. */
#define NOW 1767225600LL
#define T_10S "2025-12-31T23:59:50Z"
#define T_20S "2025-12-31T23:59:40Z"
#define T_2M "2025-12-31T23:58:00Z"
#define T_5D "2025-12-27T00:00:00Z"
#define T_10D "2025-12-22T00:00:00Z"
#define T_20D "2025-12-12T00:00:00Z"

/* The cells of every column of obj, joined by '|', cut to as many cells as
 * want has. */
static void check_cells(enum kube_kind k, const char *json, const char *want)
{
    cJSON *j = cJSON_Parse(json);
    if (!j)
        fail_msg("bad test JSON: %s", json);
    struct error err;
    error_clear(&err);
    struct kube_obj *o = kube_obj_parse(k, j, &err);
    if (!o)
        fail_msg("%s", err.msg);
    const struct kube_resource *r = kube_resource_get(k);
    size_t ncells = 1;
    for (const char *p = want; *p; p++)
        ncells += *p == '|';
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < r->ncolumns && i < ncells; i++) {
        if (i)
            strbuf_addc(&sb, '|');
        kube_cell_text(&r->columns[i], o, NOW, &sb);
    }
    if (strcmp(sb.buf, want) != 0)
        fail_msg("%s\n  want %s\n  got  %s", json, want, sb.buf);
    strbuf_done(&sb);
    kube_obj_free(o);
    cJSON_Delete(j);
}

#define POD(name, spec, status)                                                                    \
    "{\"metadata\":{\"name\":\"" name "\"},\"spec\":" spec ",\"status\":" status "}"
#define TWO "{\"containers\":[{},{}]}"
#define ONE "{\"containers\":[{}]}"
#define RUNNING_READY_3 "{\"ready\":true,\"restartCount\":3,\"state\":{\"running\":{}}}"

static void test_pods_upstream(void **state)
{
    static const struct {
        const char *json, *want;
    } cases[] = {
        {POD("test1", TWO,
             "{\"phase\":\"podPhase\",\"containerStatuses\":[" RUNNING_READY_3
             ",{\"restartCount\":3}]}"),
         "test1|1/2|podPhase|6|<unknown>"},
        {POD("test2", TWO,
             "{\"phase\":\"podPhase\",\"containerStatuses\":[" RUNNING_READY_3
             ",{\"state\":{\"waiting\":{\"reason\":\"ContainerWaitingReason\"}},"
             "\"restartCount\":3}]}"),
         "test2|1/2|ContainerWaitingReason|6|<unknown>"},
        {POD("test3", TWO,
             "{\"phase\":\"podPhase\",\"containerStatuses\":[{\"state\":{\"waiting\":{\"reason\":"
             "\"ContainerWaitingReason\"}},\"restartCount\":3},{\"state\":{\"terminated\":{"
             "\"reason\":\"ContainerTerminatedReason\"}},\"restartCount\":3}]}"),
         "test3|0/2|ContainerWaitingReason|6|<unknown>"},
        {POD("test4", TWO,
             "{\"phase\":\"podPhase\",\"containerStatuses\":[" RUNNING_READY_3
             ",{\"ready\":true,\"restartCount\":3}]}"),
         "test4|1/2|podPhase|6|<unknown>"},
        {POD("test5", TWO,
             "{\"reason\":\"podReason\",\"phase\":\"podPhase\",\"containerStatuses\":"
             "[" RUNNING_READY_3 ",{\"ready\":true,\"restartCount\":3}]}"),
         "test5|1/2|podReason|6|<unknown>"},
        {POD("test6", TWO,
             "{\"phase\":\"Running\",\"containerStatuses\":[{\"ready\":true,\"restartCount\":3,"
             "\"state\":{\"terminated\":{\"reason\":\"Completed\",\"exitCode\":0}}}"
             "," RUNNING_READY_3 "]}"),
         "test6|1/2|NotReady|6|<unknown>"},
        {POD("test6", TWO,
             "{\"phase\":\"Running\",\"containerStatuses\":[{\"ready\":true,\"restartCount\":3,"
             "\"state\":{\"terminated\":{\"reason\":\"Completed\",\"exitCode\":0}}}"
             "," RUNNING_READY_3 "],\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}"),
         "test6|1/2|Running|6|<unknown>"},
        {POD("test7", "{\"initContainers\":[{}],\"containers\":[{}]}",
             "{\"phase\":\"podPhase\",\"initContainerStatuses\":[{\"restartCount\":3,\"state\":{"
             "\"running\":{}},\"lastState\":{\"terminated\":{\"finishedAt\":\"" T_10S "\"}}}],"
             "\"containerStatuses\":[{\"state\":{\"waiting\":{}}}]}"),
         "test7|0/1|Init:0/1|3 (10s ago)|<unknown>"},
        {POD("test8", "{\"initContainers\":[{},{}],\"containers\":[{}]}",
             "{\"phase\":\"podPhase\",\"initContainerStatuses\":[{\"restartCount\":3,\"state\":{"
             "\"running\":{}},\"lastState\":{\"terminated\":{\"finishedAt\":\"" T_10S "\"}}},"
             "{\"state\":{\"waiting\":{}}}],\"containerStatuses\":[{\"state\":{\"waiting\":{}}}]}"),
         "test8|0/1|Init:0/2|3 (10s ago)|<unknown>"},
        {POD("test9", "{\"initContainers\":[{},{}],\"containers\":[{}]}",
             "{\"phase\":\"podPhase\",\"initContainerStatuses\":[{\"state\":{\"terminated\":{"
             "\"exitCode\":0}}},{\"restartCount\":3,\"state\":{\"running\":{}},\"lastState\":{"
             "\"terminated\":{\"finishedAt\":\"" T_10S "\"}}}],\"containerStatuses\":[{\"state\":{"
             "\"waiting\":{}}}]}"),
         "test9|0/1|Init:1/2|3 (10s ago)|<unknown>"},
        {POD("test10", "{\"initContainers\":[{},{}],\"containers\":[{}]}",
             "{\"phase\":\"podPhase\",\"initContainerStatuses\":[{\"restartCount\":2,\"state\":{"
             "\"terminated\":{\"exitCode\":0}},\"lastState\":{\"terminated\":{\"finishedAt\":"
             "\"" T_2M "\"}}},{\"restartCount\":3,\"state\":{\"running\":{}},\"lastState\":{"
             "\"terminated\":{\"finishedAt\":\"" T_10S "\"}}}],\"containerStatuses\":[{\"state\":{"
             "\"waiting\":{}}}]}"),
         "test10|0/1|Init:1/2|5 (10s ago)|<unknown>"},
        {POD("test11", "{\"initContainers\":[{}],\"containers\":[{}]}",
             "{\"phase\":\"Running\",\"initContainerStatuses\":[{\"restartCount\":2,\"state\":{"
             "\"terminated\":{\"exitCode\":0}},\"lastState\":{\"terminated\":{\"finishedAt\":"
             "\"" T_2M "\"}}}],\"containerStatuses\":[{\"restartCount\":4,\"state\":{\"running\":{}"
             "},\"lastState\":{\"terminated\":{\"finishedAt\":\"" T_20S "\"}}}]}"),
         "test11|0/1|Running|4 (20s ago)|<unknown>"},
        {POD("test12", ONE,
             "{\"phase\":\"Running\",\"containerStatuses\":[{\"ready\":true,\"restartCount\":3,"
             "\"state\":{\"running\":{}},\"lastState\":{\"terminated\":{\"finishedAt\":"
             "\"" T_5D "\"}}}]}"),
         "test12|1/1|Running|3 (5d ago)|<unknown>"},
        {POD("test13", TWO,
             "{\"phase\":\"Running\",\"containerStatuses\":[{\"ready\":true,\"state\":{\"running\":"
             "{}}},{\"ready\":true,\"restartCount\":3,\"state\":{\"running\":{}},\"lastState\":{"
             "\"terminated\":{\"finishedAt\":\"" T_10D "\"}}}]}"),
         "test13|2/2|Running|3 (10d ago)|<unknown>"},
        {POD("test14", TWO,
             "{\"phase\":\"Running\",\"containerStatuses\":[{\"ready\":true,\"restartCount\":6,"
             "\"state\":{\"running\":{}},\"lastState\":{\"terminated\":{\"finishedAt\":"
             "\"" T_5D "\"}}},{\"ready\":true,\"restartCount\":3,\"state\":{\"running\":{}},"
             "\"lastState\":{\"terminated\":{\"finishedAt\":\"" T_20D "\"}}}]}"),
         "test14|2/2|Running|9 (5d ago)|<unknown>"},
        {POD("test15", TWO,
             "{\"phase\":\"podPhase\",\"conditions\":[{\"type\":\"PodScheduled\",\"status\":"
             "\"False\",\"reason\":\"SchedulingGated\"}]}"),
         "test15|0/2|SchedulingGated|0|<unknown>"},
        {POD("test16", ONE,
             "{\"phase\":\"Succeeded\",\"containerStatuses\":[{\"state\":{\"terminated\":{"
             "\"reason\":\"Completed\",\"exitCode\":0}}}]}"),
         "test16|0/1|Completed|0|<unknown>"},
        {POD("test17", ONE,
             "{\"phase\":\"Failed\",\"containerStatuses\":[{\"state\":{\"terminated\":{"
             "\"reason\":\"Error\",\"exitCode\":1}}}]}"),
         "test17|0/1|Error|0|<unknown>"},
        /* deletion: a finished pod keeps its status, others are Terminating */
        {"{\"metadata\":{\"name\":\"test18\",\"deletionTimestamp\":\"" T_10S "\"},\"spec\":" ONE
         ",\"status\":{\"phase\":\"Succeeded\",\"containerStatuses\":[{\"state\":{\"terminated\""
         ":{\"reason\":\"Completed\",\"exitCode\":0}}}]}}",
         "test18|0/1|Completed|0|<unknown>"},
        {"{\"metadata\":{\"name\":\"test19\",\"deletionTimestamp\":\"" T_10S "\"},\"spec\":" ONE
         ",\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"state\":{\"running\":{}}}"
         "]}}",
         "test19|0/1|Terminating|0|<unknown>"},
        {"{\"metadata\":{\"name\":\"test20\",\"deletionTimestamp\":\"" T_10S "\"},\"spec\":" ONE
         ",\"status\":{\"phase\":\"Pending\"}}",
         "test20|0/1|Terminating|0|<unknown>"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        check_cells(KUBE_POD, cases[i].json, cases[i].want);
}

#define SIDECARS                                                                                   \
    "{\"initContainers\":[{\"name\":\"restartable-init-1\",\"restartPolicy\":\"Always\"},"         \
    "{\"name\":\"restartable-init-2\",\"restartPolicy\":\"Always\"}],\"containers\":[{}]}"

static void test_pods_sidecars_upstream(void **state)
{
    check_cells(KUBE_POD,
                POD("test1", SIDECARS,
                    "{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":"
                    "\"restartable-init-1\",\"restartCount\":3,\"state\":{\"running\":{}},"
                    "\"started\":false,\"lastState\":{\"terminated\":{\"finishedAt\":"
                    "\"" T_10S "\"}}},{\"name\":\"restartable-init-2\",\"state\":{\"waiting\":{}},"
                    "\"started\":false}],\"containerStatuses\":[{\"state\":{\"waiting\":{}}}],"
                    "\"conditions\":[{\"type\":\"Initialized\",\"status\":\"False\"}]}"),
                "test1|0/3|Init:0/2|3 (10s ago)|<unknown>");
    check_cells(KUBE_POD,
                POD("test1", SIDECARS,
                    "{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":"
                    "\"restartable-init-1\",\"restartCount\":3,\"state\":{\"running\":{}},"
                    "\"started\":true,\"lastState\":{\"terminated\":{\"finishedAt\":"
                    "\"" T_10S "\"}}},{\"name\":\"restartable-init-2\",\"state\":{\"running\":{}},"
                    "\"started\":false}],\"containerStatuses\":[{\"state\":{\"waiting\":{}}}],"
                    "\"conditions\":[{\"type\":\"Initialized\",\"status\":\"False\"}]}"),
                "test1|0/3|Init:1/2|3 (10s ago)|<unknown>");
    check_cells(KUBE_POD,
                POD("test2", SIDECARS,
                    "{\"phase\":\"Running\",\"initContainerStatuses\":[{\"name\":"
                    "\"restartable-init-1\",\"restartCount\":3,\"state\":{\"running\":{}},"
                    "\"started\":true,\"lastState\":{\"terminated\":{\"finishedAt\":"
                    "\"" T_10S "\"}}},{\"name\":\"restartable-init-2\",\"state\":{\"running\":{}},"
                    "\"started\":true}],\"containerStatuses\":[{\"ready\":true,\"restartCount\":4,"
                    "\"state\":{\"running\":{}},\"lastState\":{\"terminated\":{\"finishedAt\":"
                    "\"" T_20S "\"}}}],\"conditions\":[{\"type\":\"Initialized\",\"status\":"
                    "\"True\"}]}"),
                "test2|1/3|Running|7 (10s ago)|<unknown>");
    check_cells(KUBE_POD,
                POD("test3", SIDECARS,
                    "{\"phase\":\"Succeeded\",\"initContainerStatuses\":[{\"name\":"
                    "\"restartable-init-1\",\"restartCount\":3,\"state\":{\"terminated\":{"
                    "\"reason\":\"Error\",\"exitCode\":137}},\"started\":false,\"lastState\":{"
                    "\"terminated\":{\"finishedAt\":\"" T_10S "\"}}},{\"name\":"
                    "\"restartable-init-2\",\"state\":{\"terminated\":{\"reason\":\"Error\","
                    "\"exitCode\":137}},\"started\":false}],\"containerStatuses\":[{"
                    "\"restartCount\":4,\"state\":{\"terminated\":{\"reason\":\"Completed\","
                    "\"exitCode\":0}},\"lastState\":{\"terminated\":{\"finishedAt\":\"" T_20S
                    "\"}}}"
                    "],\"conditions\":[{\"type\":\"Initialized\",\"status\":\"True\"}]}"),
                "test3|0/3|Completed|7 (10s ago)|<unknown>");
    check_cells(KUBE_POD,
                POD("test4",
                    "{\"initContainers\":[{\"name\":\"init1\"},{\"name\":\"sidecar1\","
                    "\"restartPolicy\":\"Always\"}],\"containers\":[{\"name\":\"container1\"}]}",
                    "{\"phase\":\"Running\",\"initContainerStatuses\":[{\"name\":\"initinvalid\"},"
                    "{\"name\":\"init1\"},{\"name\":\"sidecar1\"}],\"containerStatuses\":[{"
                    "\"name\":\"containerinvalid\"},{\"name\":\"container1\"}]}"),
                "test4|0/2|Init:0/2|0|<unknown>");
}

static void test_pods_wide_upstream(void **state)
{
    check_cells(KUBE_POD,
                POD("test1",
                    "{\"containers\":[{},{}],\"nodeName\":\"test1\",\"readinessGates\":["
                    "{\"conditionType\":\"condition1\"},{\"conditionType\":\"condition2\"},"
                    "{\"conditionType\":\"condition3\"}]}",
                    "{\"conditions\":[{\"type\":\"condition1\",\"status\":\"False\"},{\"type\":"
                    "\"condition2\",\"status\":\"True\"}],\"phase\":\"podPhase\",\"podIPs\":["
                    "{\"ip\":\"1.1.1.1\"},{\"ip\":\"2001:db8::\"}],\"containerStatuses\":["
                    "" RUNNING_READY_3 ",{\"restartCount\":3}],\"nominatedNodeName\":\"node1\"}"),
                "test1|1/2|podPhase|6|<unknown>|1.1.1.1|test1|node1|1/3");
    check_cells(KUBE_POD,
                POD("test2", TWO,
                    "{\"phase\":\"podPhase\",\"containerStatuses\":[" RUNNING_READY_3
                    ",{\"state\":{\"waiting\":{\"reason\":\"ContainerWaitingReason\"}},"
                    "\"restartCount\":3}]}"),
                "test2|1/2|ContainerWaitingReason|6|<unknown>|<none>|<none>|<none>|<none>");
}

#define META(name) "\"metadata\":{\"name\":\"" name "\",\"creationTimestamp\":\"" T_2M "\"}"

static void test_other_kinds(void **state)
{
    check_cells(
        KUBE_DEPLOYMENT,
        "{" META(
            "api") ",\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":{"
                   "\"component\":\"api\",\"app\":\"dify\"},\"matchExpressions\":[{\"key\":"
                   "\"tier\","
                   "\"operator\":\"In\",\"values\":[\"b\",\"a\"]}]},\"template\":{\"spec\":{"
                   "\"containers\":[{\"name\":\"api\",\"image\":\"i:1\"},{\"name\":\"s\",\"image\":"
                   "\"j:2\"}]}}},\"status\":{\"readyReplicas\":2,\"updatedReplicas\":3,"
                   "\"availableReplicas\":2}}",
        "api|2/3|3|2|2m|api,s|i:1,j:2|app=dify,component=api,tier in (a,b)");
    check_cells(
        KUBE_DAEMONSET,
        "{" META(
            "ds") ",\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{"
                  "\"kubernetes.io/os\":\"linux\"}}}},\"status\":{\"desiredNumberScheduled\":3,"
                  "\"currentNumberScheduled\":3,\"numberReady\":2,\"updatedNumberScheduled\":3,"
                  "\"numberAvailable\":2}}",
        "ds|3|3|2|3|2|kubernetes.io/os=linux|2m|||<none>");
    check_cells(KUBE_REPLICASET, "{" META("rs") ",\"spec\":{\"replicas\":2},\"status\":{}}",
                "rs|2|0|0|2m");
    check_cells(KUBE_JOB,
                "{" META("migrate") ",\"spec\":{\"parallelism\":2},\"status\":{\"succeeded\":0,"
                                    "\"startTime\":\"" T_2M "\"}}",
                "migrate|Running|0/1 of 2|2m|2m");
    check_cells(KUBE_JOB,
                "{" META("j") ",\"spec\":{\"completions\":1},\"status\":{\"succeeded\":1,"
                              "\"startTime\":\"" T_2M "\",\"completionTime\":\"" T_20S
                              "\",\"conditions\":[{"
                              "\"type\":\"Complete\",\"status\":\"True\"}]}}",
                "j|Complete|1/1|100s|2m");
    check_cells(KUBE_JOB,
                "{" META("k") ",\"status\":{\"conditions\":[{\"type\":\"FailureTarget\","
                              "\"status\":\"True\"}]}}",
                "k|FailureTarget|0/1||2m");
    check_cells(
        KUBE_SERVICE,
        "{" META("lb") ",\"spec\":{\"type\":\"LoadBalancer\",\"clusterIPs\":[\"10.0.0.1\"],"
                       "\"ports\":[{\"port\":80,\"nodePort\":30080,\"protocol\":\"TCP\"}],"
                       "\"externalIPs\":[\"9.9.9.9\"],\"selector\":{\"b\":\"2\",\"a\":\"1\"}},"
                       "\"status\":{"
                       "\"loadBalancer\":{\"ingress\":[{\"hostname\":\"z.elb.example\"},{\"ip\":"
                       "\"1.2.3.4\"}]}}}",
        "lb|LoadBalancer|10.0.0.1|1.2.3.4,z.elb.example,9.9.9.9|80:30080/TCP|2m|a=1,b=2");
    check_cells(KUBE_SERVICE,
                "{" META("p") ",\"spec\":{\"type\":\"LoadBalancer\",\"clusterIP\":\"None\"}}",
                "p|LoadBalancer|None|<pending>|<none>|2m|<none>");
    check_cells(KUBE_INGRESS,
                "{" META("web") ",\"spec\":{\"rules\":[{\"host\":\"a\"},{},{\"host\":\"b\"},"
                                "{\"host\":\"c\"},{\"host\":\"d\"}],\"tls\":[{}]}}",
                "web|<none>|a,b,c + 2 more...||80, 443|2m");
    check_cells(KUBE_CONFIGMAP,
                "{" META("cm") ",\"data\":{\"a\":\"1\"},\"binaryData\":{\"b\":\"AA==\"}}",
                "cm|2|2m");
    check_cells(KUBE_SECRET, "{" META("s") ",\"type\":\"Opaque\",\"data\":{\"a\":\"AA==\"}}",
                "s|Opaque|1|2m");
    check_cells(KUBE_SERVICEACCOUNT, "{" META("sa") ",\"secrets\":[{\"name\":\"t\"}]}", "sa|1|2m");
    check_cells(
        KUBE_PVC,
        "{" META("data") ",\"spec\":{\"volumeName\":\"pv1\",\"storageClassName\":\"gp3\"},"
                         "\"status\":{\"phase\":\"Bound\",\"capacity\":{\"storage\":\"10Gi\"},"
                         "\"accessModes\":[\"ReadWriteMany\",\"ReadWriteOnce\"]}}",
        "data|Bound|pv1|10Gi|RWO,RWX|gp3|<unset>|2m|<unset>");
    check_cells(KUBE_PVC, "{" META("pending") ",\"status\":{\"phase\":\"Pending\"}}",
                "pending|Pending|||||<unset>|2m|<unset>");
    check_cells(KUBE_NODE,
                "{\"metadata\":{\"name\":\"n1\",\"labels\":{\"node-role.kubernetes.io/worker\":"
                "\"\",\"node-role.kubernetes.io/control-plane\":\"\"}},\"spec\":{"
                "\"unschedulable\":true},\"status\":{\"nodeInfo\":{\"kubeletVersion\":\"v1.32.0\"},"
                "\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"10.1.1.1\"}]}}",
                "n1|Unknown,SchedulingDisabled|control-plane,worker|<unknown>|v1.32.0|10.1.1.1|"
                "<none>|<unknown>|<unknown>|<unknown>");
    check_cells(KUBE_NAMESPACE, "{" META("dify") ",\"status\":{\"phase\":\"Active\"}}",
                "dify|Active|2m");
    check_cells(KUBE_EVENT,
                "{\"metadata\":{\"name\":\"e1\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":"
                "\"api-0\",\"fieldPath\":\"spec.containers{api}\"},\"reason\":\"BackOff\","
                "\"type\":\"Warning\",\"message\":\"  Back-off restarting\\n\",\"source\":{"
                "\"component\":\"kubelet\",\"host\":\"n1\"},\"firstTimestamp\":\"" T_10D "\","
                "\"lastTimestamp\":\"" T_20S "\",\"count\":7}",
                "20s|Warning|BackOff|pod/api-0|spec.containers{api}|kubelet, n1|"
                "Back-off restarting|10d|7|e1");
    check_cells(KUBE_EVENT,
                "{\"metadata\":{\"name\":\"e2\"},\"involvedObject\":{\"kind\":\"Node\"},"
                "\"eventTime\":\"" T_5D "\",\"reportingComponent\":\"c\"}",
                "5d|||node||c||5d|1|e2");
}

static void test_human_duration(void **state)
{
    static const struct {
        long long s;
        const char *want;
    } cases[] = {
        {-2, "<invalid>"},
        {-1, "0s"},
        {0, "0s"},
        {119, "119s"},
        {120, "2m"},
        {130, "2m10s"},
        {599, "9m59s"},
        {600, "10m"},
        {3 * 3600 - 1, "179m"},
        {3 * 3600, "3h"},
        {3 * 3600 + 60, "3h1m"},
        {8 * 3600, "8h"},
        {47 * 3600, "47h"},
        {48 * 3600, "2d"},
        {50 * 3600, "2d2h"},
        {8 * 86400, "8d"},
        {729 * 86400, "729d"},
        {730 * 86400, "2y"},
        {731 * 86400, "2y1d"},
        {8 * 365 * 86400, "8y"},
    };
    char buf[32];
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        kube_human_duration(cases[i].s, buf, sizeof(buf));
        assert_string_equal(buf, cases[i].want);
    }
}

static void test_table_layout(void **state)
{
    struct kube_table t = {0};
    const char *r1[] = {"NAME", "IP", "AGE"};
    const char *r2[] = {"a", "", "5s"};
    const char *r3[] = {"dify-api-0", "é1", "10m"};
    kube_table_add(&t, r1, 3);
    kube_table_add(&t, r2, 3);
    kube_table_add(&t, r3, 3);
    struct strbuf sb;
    strbuf_init(&sb);
    kube_table_render(&t, &sb);
    /* cells padded by 3, at least 6 wide; runes counted; last column as is */
    assert_string_equal(sb.buf, "NAME         IP    AGE\n"
                                "a                  5s\n"
                                "dify-api-0   é1    10m\n");
    strbuf_done(&sb);
}

/* A rich object of every kind goes into a store and out again: every
 * interned string is released (the store ends at its empty size). */
static void test_every_kind_releases(void **state)
{
    static const char *const objs[KUBE_KIND_COUNT] = {
        [KUBE_POD] = POD("p", SIDECARS,
                         "{\"phase\":\"Running\",\"podIPs\":[{\"ip\":\"1.1.1.1\"}],"
                         "\"nominatedNodeName\":\"n\",\"containerStatuses\":[{\"lastState\":{"
                         "\"terminated\":{\"reason\":\"OOMKilled\"}},\"state\":{\"waiting\":{"
                         "\"reason\":\"CrashLoopBackOff\"}}}]}"),
        [KUBE_JOB] = "{\"metadata\":{\"name\":\"j\"},\"spec\":{\"template\":{\"spec\":{"
                     "\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}},\"selector\":{"
                     "\"matchLabels\":{\"a\":\"b\"}}},\"status\":{\"conditions\":[{\"type\":"
                     "\"Failed\",\"status\":\"True\",\"reason\":\"R\",\"message\":\"M\"}]}}",
        [KUBE_SERVICEACCOUNT] = "{\"metadata\":{\"name\":\"sa\",\"annotations\":{\"k\":\"v\"}}}",
        [KUBE_SECRET] = "{\"metadata\":{\"name\":\"s\"},\"type\":\"T\",\"data\":{\"k\":\"\"}}",
        [KUBE_CONFIGMAP] = "{\"metadata\":{\"name\":\"c\"},\"binaryData\":{\"k\":\"\"}}",
    };
    for (int k = 0; k < KUBE_KIND_COUNT; k++) {
        struct kube_store *s = kube_store_new((enum kube_kind)k);
        size_t empty = kube_store_memory(s);
        char *json = objs[k] ? xstrdup(objs[k])
                             : xasprintf("{\"metadata\":{\"name\":\"x\",\"namespace\":\"ns\","
                                         "\"labels\":{\"app\":\"a\"},\"ownerReferences\":[{"
                                         "\"kind\":\"K\",\"name\":\"o\"}]},\"spec\":{\"type\":"
                                         "\"LoadBalancer\",\"selector\":{\"matchLabels\":{\"a\":"
                                         "\"b\"}},\"rules\":[{\"host\":\"h\"}],\"ports\":[{"
                                         "\"port\":1}],\"template\":{\"spec\":{\"containers\":[{"
                                         "\"name\":\"c\",\"image\":\"i\"}],\"nodeSelector\":{"
                                         "\"a\":\"b\"}}}},\"status\":{\"phase\":\"P\","
                                         "\"conditions\":[{\"type\":\"Progressing\",\"reason\":"
                                         "\"R\"}]},\"involvedObject\":{\"kind\":\"Pod\"},"
                                         "\"message\":\"m\",\"source\":{\"component\":\"c\"}}");
        cJSON *j = cJSON_Parse(json);
        assert_non_null(j);
        struct error err;
        error_clear(&err);
        assert_int_equal(kube_store_apply(s, NULL, j, &err), 0);
        assert_true(kube_store_memory(s) > empty);
        kube_store_relist_begin(s);
        kube_store_relist_end(s);
        assert_int_equal(kube_store_count(s), 0);
        /* the index grew; nothing else may remain */
        size_t after = kube_store_memory(s);
        assert_int_equal(kube_store_apply(s, NULL, j, &err), 0);
        kube_store_relist_begin(s);
        kube_store_relist_end(s);
        assert_int_equal(kube_store_memory(s), after);
        cJSON_Delete(j);
        free(json);
        kube_store_free(s);
    }
}

static void test_registry(void **state)
{
    for (int k = 0; k < KUBE_KIND_COUNT; k++) {
        const struct kube_resource *r = kube_resource_get((enum kube_kind)k);
        assert_non_null(r);
        assert_int_equal(r->id, k);
        assert_ptr_equal(kube_resource_find(r->plural), r);
        assert_ptr_equal(kube_resource_find(r->kind), r);
        char av[64];
        snprintf(av, sizeof(av), "%s%s%s", r->group, *r->group ? "/" : "", r->version);
        assert_ptr_equal(kube_resource_for(av, r->kind), r);
        assert_true(r->ncolumns > 0);
    }
    assert_ptr_equal(kube_resource_find("deploy"), kube_resource_get(KUBE_DEPLOYMENT));
    assert_ptr_equal(kube_resource_find("deployment.apps"), kube_resource_get(KUBE_DEPLOYMENT));
    assert_null(kube_resource_for("v1", "Deployment"));
    struct strbuf sb;
    strbuf_init(&sb);
    kube_resource_prefix(kube_resource_get(KUBE_INGRESS), &sb);
    assert_string_equal(sb.buf, "/apis/networking.k8s.io/v1");
    strbuf_done(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pods_upstream),       cmocka_unit_test(test_pods_sidecars_upstream),
        cmocka_unit_test(test_pods_wide_upstream),  cmocka_unit_test(test_other_kinds),
        cmocka_unit_test(test_human_duration),      cmocka_unit_test(test_table_layout),
        cmocka_unit_test(test_every_kind_releases), cmocka_unit_test(test_registry),
    };
    return cmocka_run_group_tests_name("kube_print", tests, NULL, NULL);
}
