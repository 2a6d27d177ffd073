/* core/checks_util.c: shared readers for the checks (see checks_util.h). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "core/checks_impl.h"
#include "core/checks_util.h"
#include "core/kube_json.h"
#include "core/util.h"

void workloads_each(const struct check *c, workload_cb cb, void *arg)
{
    static const struct {
        enum check_fact f;
        const char *kind;
    } kinds[] = {
        {FACT_DEPLOYMENTS, "Deployment"},
        {FACT_STATEFULSETS, "StatefulSet"},
        {FACT_DAEMONSETS, "DaemonSet"},
        {FACT_JOBS, "Job"},
    };
    for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
        const cJSON *o;
        cJSON_ArrayForEach(o, check_fact(c, kinds[k].f))
        {
            struct workload_ref w = {kinds[k].kind, kj_str(o, "metadata.name"), o,
                                     kj_get(o, "spec.template")};
            if (w.name && w.tpl)
                cb(&w, arg);
        }
    }
}

const char *json_member_str(const cJSON *obj, const char *key)
{
    if (!cJSON_IsObject(obj) || !key)
        return NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}
