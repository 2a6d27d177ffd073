/* sim/initc.c: init container statuses (see initc.h). */
#include "config.h"

#include "sim/initc.h"

#include "core/kube_json.h"
#include "core/util.h"
#include "sim/store.h"

int initc_count(const cJSON *pod)
{
    return cJSON_GetArraySize(kj_get(pod, "spec.initContainers"));
}

const char *initc_name(const cJSON *pod, int i)
{
    const char *n = kj_str(cJSON_GetArrayItem(kj_get(pod, "spec.initContainers"), i), "name");
    return n ? n : "";
}

void initc_status(cJSON *pod, int done, bool running, const char *started_at)
{
    char now[32];
    sim_timestamp(now, 0);
    cJSON *arr = cJSON_CreateArray();
    int i = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, kj_get(pod, "spec.initContainers"))
    {
        cJSON *cs = cJSON_CreateObject();
        js_set_str(cs, "name", kj_str(c, "name") ? kj_str(c, "name") : "");
        js_set_str(cs, "image", kj_str(c, "image") ? kj_str(c, "image") : "");
        js_set_str(cs, "imageID",
                   i < done || (i == done && running)
                       ? "docker.io/library/sim@sha256:0123456789abcdef"
                       : "");
        js_set_num(cs, "restartCount", 0);
        js_set_bool(cs, "started", i == done && running);
        cJSON *state = js_obj(cs, "state");
        if (i < done) {
            js_set_bool(cs, "ready", true);
            js_set_str(cs, "containerID", "containerd://1n17c0ffee0ddba11");
            cJSON *t = js_obj(state, "terminated");
            js_set_num(t, "exitCode", 0);
            js_set_str(t, "reason", "Completed");
            js_set_str(t, "startedAt", started_at);
            js_set_str(t, "finishedAt", now);
        } else if (i == done && running) {
            js_set_bool(cs, "ready", false);
            js_set_str(cs, "containerID", "containerd://1n17c0ffee0ddba11");
            js_set_str(js_obj(state, "running"), "startedAt", started_at);
        } else {
            js_set_bool(cs, "ready", false);
            js_set_str(js_obj(state, "waiting"), "reason", "PodInitializing");
        }
        js_obj(cs, "lastState");
        cJSON_AddItemToArray(arr, cs);
        i++;
    }
    js_set(js_obj(pod, "status"), "initContainerStatuses", arr);
}
