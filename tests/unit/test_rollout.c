/* tests/unit/test_rollout.c: rollout status against kubectl's rules, one row
 * per branch of rollout_status.go, each message exact. */
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
#include "core/kube_store.h"
#include "core/rollout.h"

struct row {
    enum kube_kind kind;
    const char *json;
    enum rollout_state want;
    const char *msg;
};

#define DEP(gen, spec) "{\"metadata\":{\"name\":\"api\",\"generation\":" #gen "},\"spec\":" spec
static const struct row rows[] = {
    /* Deployment */
    {KUBE_DEPLOYMENT, DEP(3, "{\"replicas\":2}") ",\"status\":{\"observedGeneration\":2}}",
     ROLLOUT_WAITING, "Waiting for deployment spec update to be observed..."},
    {KUBE_DEPLOYMENT,
     DEP(2, "{\"replicas\":2}") ",\"status\":{\"observedGeneration\":2,\"updatedReplicas\":1,"
                                "\"conditions\":[{\"type\":\"Progressing\",\"status\":\"False\","
                                "\"reason\":\"ProgressDeadlineExceeded\"}]}}",
     ROLLOUT_FAILED, "deployment \"api\" exceeded its progress deadline"},
    {KUBE_DEPLOYMENT,
     DEP(2, "{\"replicas\":3}") ",\"status\":{\"observedGeneration\":2,\"replicas\":3,"
                                "\"updatedReplicas\":1}}",
     ROLLOUT_WAITING,
     "Waiting for deployment \"api\" rollout to finish: 1 out of 3 new replicas have been "
     "updated..."},
    {KUBE_DEPLOYMENT,
     DEP(2, "{\"replicas\":3}") ",\"status\":{\"observedGeneration\":2,\"replicas\":5,"
                                "\"updatedReplicas\":3}}",
     ROLLOUT_WAITING,
     "Waiting for deployment \"api\" rollout to finish: 2 old replicas are pending termination..."},
    {KUBE_DEPLOYMENT,
     DEP(2, "{\"replicas\":3}") ",\"status\":{\"observedGeneration\":2,\"replicas\":3,"
                                "\"updatedReplicas\":3,\"availableReplicas\":1}}",
     ROLLOUT_WAITING,
     "Waiting for deployment \"api\" rollout to finish: 1 of 3 updated replicas are available..."},
    {KUBE_DEPLOYMENT,
     DEP(2, "{\"replicas\":3}") ",\"status\":{\"observedGeneration\":2,\"replicas\":3,"
                                "\"updatedReplicas\":3,\"availableReplicas\":3,\"conditions\":["
                                "{\"type\":\"Progressing\",\"status\":\"True\",\"reason\":"
                                "\"NewReplicaSetAvailable\"}]}}",
     ROLLOUT_DONE, "deployment \"api\" successfully rolled out"},
    /* No spec.replicas: kubectl skips that comparison. */
    {KUBE_DEPLOYMENT, DEP(1, "{}") ",\"status\":{\"observedGeneration\":1}}", ROLLOUT_DONE,
     "deployment \"api\" successfully rolled out"},
    /* StatefulSet */
    {KUBE_STATEFULSET,
     "{\"metadata\":{\"name\":\"db\",\"generation\":1},\"spec\":{\"replicas\":1,"
     "\"updateStrategy\":{\"type\":\"OnDelete\"}},\"status\":{\"observedGeneration\":1}}",
     ROLLOUT_FAILED, "rollout status is only available for RollingUpdate strategy type"},
    {KUBE_STATEFULSET,
     "{\"metadata\":{\"name\":\"db\",\"generation\":1},\"spec\":{\"replicas\":1,"
     "\"updateStrategy\":{\"type\":\"RollingUpdate\"}},\"status\":{}}",
     ROLLOUT_WAITING, "Waiting for statefulset spec update to be observed..."},
    {KUBE_STATEFULSET,
     "{\"metadata\":{\"name\":\"db\",\"generation\":2},\"spec\":{\"replicas\":3,"
     "\"updateStrategy\":{\"type\":\"RollingUpdate\"}},\"status\":{\"observedGeneration\":2,"
     "\"readyReplicas\":1}}",
     ROLLOUT_WAITING, "Waiting for 2 pods to be ready..."},
    {KUBE_STATEFULSET,
     "{\"metadata\":{\"name\":\"db\",\"generation\":2},\"spec\":{\"replicas\":3,"
     "\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":1}}},"
     "\"status\":{\"observedGeneration\":2,\"readyReplicas\":3,\"updatedReplicas\":1}}",
     ROLLOUT_WAITING,
     "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated..."},
    {KUBE_STATEFULSET,
     "{\"metadata\":{\"name\":\"db\",\"generation\":2},\"spec\":{\"replicas\":3,"
     "\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}}},"
     "\"status\":{\"observedGeneration\":2,\"readyReplicas\":3,\"updatedReplicas\":3}}",
     ROLLOUT_DONE, "partitioned roll out complete: 3 new pods have been updated..."},
    {KUBE_STATEFULSET,
     "{\"metadata\":{\"name\":\"db\",\"generation\":2},\"spec\":{\"replicas\":2,"
     "\"updateStrategy\":{\"type\":\"RollingUpdate\"}},\"status\":{\"observedGeneration\":2,"
     "\"readyReplicas\":2,\"updatedReplicas\":1,\"currentRevision\":\"db-1\",\"updateRevision\":"
     "\"db-2\"}}",
     ROLLOUT_WAITING,
     "waiting for statefulset rolling update to complete 1 pods at revision db-2..."},
    {KUBE_STATEFULSET,
     "{\"metadata\":{\"name\":\"db\",\"generation\":2},\"spec\":{\"replicas\":2,"
     "\"updateStrategy\":{\"type\":\"RollingUpdate\"}},\"status\":{\"observedGeneration\":2,"
     "\"readyReplicas\":2,\"currentReplicas\":2,\"currentRevision\":\"db-2\",\"updateRevision\":"
     "\"db-2\"}}",
     ROLLOUT_DONE, "statefulset rolling update complete 2 pods at revision db-2..."},
    /* DaemonSet */
    {KUBE_DAEMONSET,
     "{\"metadata\":{\"name\":\"agent\",\"generation\":1},\"spec\":{\"updateStrategy\":{\"type\":"
     "\"RollingUpdate\"}},\"status\":{\"observedGeneration\":1,\"desiredNumberScheduled\":3,"
     "\"updatedNumberScheduled\":2}}",
     ROLLOUT_WAITING,
     "Waiting for daemon set \"agent\" rollout to finish: 2 out of 3 new pods have been "
     "updated..."},
    {KUBE_DAEMONSET,
     "{\"metadata\":{\"name\":\"agent\",\"generation\":1},\"spec\":{\"updateStrategy\":{\"type\":"
     "\"RollingUpdate\"}},\"status\":{\"observedGeneration\":1,\"desiredNumberScheduled\":3,"
     "\"updatedNumberScheduled\":3,\"numberAvailable\":2}}",
     ROLLOUT_WAITING,
     "Waiting for daemon set \"agent\" rollout to finish: 2 of 3 updated pods are available..."},
    {KUBE_DAEMONSET,
     "{\"metadata\":{\"name\":\"agent\",\"generation\":1},\"spec\":{\"updateStrategy\":{\"type\":"
     "\"RollingUpdate\"}},\"status\":{\"observedGeneration\":1,\"desiredNumberScheduled\":3,"
     "\"updatedNumberScheduled\":3,\"numberAvailable\":3}}",
     ROLLOUT_DONE, "daemon set \"agent\" successfully rolled out"},
    {KUBE_DAEMONSET,
     "{\"metadata\":{\"name\":\"agent\",\"generation\":2},\"spec\":{\"updateStrategy\":{\"type\":"
     "\"RollingUpdate\"}},\"status\":{\"observedGeneration\":1}}",
     ROLLOUT_WAITING, "Waiting for daemon set spec update to be observed..."},
    /* Job (our rules) */
    {KUBE_JOB,
     "{\"metadata\":{\"name\":\"migrate\"},\"spec\":{\"backoffLimit\":2},\"status\":{\"active\":1,"
     "\"failed\":1}}",
     ROLLOUT_WAITING,
     "Waiting for job \"migrate\" to complete: 0 of 1 completions, 1 active, 1 failed "
     "(backoffLimit 2)..."},
    {KUBE_JOB,
     "{\"metadata\":{\"name\":\"migrate\"},\"spec\":{\"completions\":1},\"status\":{\"succeeded\":"
     "1,"
     "\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}}",
     ROLLOUT_DONE, "job \"migrate\" successfully completed: 1 of 1 completions"},
    {KUBE_JOB,
     "{\"metadata\":{\"name\":\"migrate\"},\"spec\":{\"backoffLimit\":1},\"status\":{\"failed\":2,"
     "\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\",\"reason\":\"BackoffLimitExceeded\","
     "\"message\":\"Job has reached the specified backoff limit\"}]}}",
     ROLLOUT_FAILED,
     "job \"migrate\" failed: BackoffLimitExceeded: Job has reached the specified backoff limit"},
    {KUBE_JOB,
     "{\"metadata\":{\"name\":\"migrate\"},\"spec\":{\"backoffLimit\":1},\"status\":{\"failed\":2}"
     "}",
     ROLLOUT_FAILED, "job \"migrate\" failed: 2 failed pods exceed backoffLimit 1"},
};

static void test_table(void **state)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        cJSON *j = cJSON_Parse(rows[i].json);
        if (!j)
            fail_msg("row %zu: bad JSON in the test", i);
        struct error err;
        error_clear(&err);
        struct kube_obj *o = kube_obj_parse(rows[i].kind, j, &err);
        cJSON_Delete(j);
        assert_non_null(o);
        char msg[512];
        enum rollout_state st = rollout_status(rows[i].kind, o, msg, sizeof(msg));
        kube_obj_free(o);
        if (st != rows[i].want || strcmp(msg, rows[i].msg) != 0)
            fail_msg("row %zu: got %d \"%s\", want %d \"%s\"", i, st, msg, rows[i].want,
                     rows[i].msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_table)};
    return cmocka_run_group_tests_name("rollout", tests, NULL, NULL);
}
