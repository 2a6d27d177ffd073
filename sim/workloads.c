/* sim/workloads.c: the StatefulSet and Job controllers, on the helpers of
 * controllers.c (see controllers.h). */
#include "config.h"

#include "sim/workloads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sim/api.h"
#include "sim/controllers.h"
#include "sim/events.h"
#include "sim/pods.h"
#include "sim/store.h"

/* ---- StatefulSet ---- */

void reconcile_sts(struct sim_obj *s)
{
    if (s->deleting_ms)
        return;
    struct rtype *prt = store_rtype("", "pods");
    const char *ns = obj_ns(s), *name = obj_name(s);
    int replicas = (int)kj_num(obj_json(s), "spec.replicas", 1);
    int partition = (int)kj_num(obj_json(s), "spec.updateStrategy.rollingUpdate.partition", 0);
    bool ordered = !str_eq(kj_str(obj_json(s), "spec.podManagementPolicy"), "Parallel");
    char hash[16], urev[300];
    template_hash(kj_get_mut(obj_json(s), "spec.template"), hash);
    snprintf(urev, sizeof(urev), "%s-%s", name, hash);
    const char *crev = kj_str(obj_json(s), "status.currentRevision");
    char *current = xstrdup(crev ? crev : urev);
    int existing = 0, ready = 0, n_cur = 0, n_upd = 0;
    bool all_ready = true, blocked = false;
    for (int i = 0; i < replicas; i++) {
        char pname[320];
        snprintf(pname, sizeof(pname), "%s-%d", name, i);
        struct sim_obj *p = store_get(prt, ns, pname);
        if (!p) {
            all_ready = false;
            if (blocked)
                continue;
            /* volume claims first, as the real controller does */
            cJSON *vct;
            cJSON_ArrayForEach(vct, kj_get_mut(obj_json(s), "spec.volumeClaimTemplates"))
            {
                char cname[400];
                snprintf(cname, sizeof(cname), "%s-%s", kj_str(vct, "metadata.name"), pname);
                struct rtype *pvc = store_rtype("", "persistentvolumeclaims");
                if (!store_get(pvc, ns, cname)) {
                    cJSON *c = cJSON_CreateObject();
                    js_set_str(js_obj(c, "metadata"), "name", cname);
                    js_set_str(js_obj(c, "metadata"), "namespace", ns);
                    js_set(c, "spec", cJSON_Duplicate(kj_get_mut(vct, "spec"), 1));
                    api_defaults(pvc, c);
                    store_add(pvc, c);
                }
            }
            cJSON *labels = cJSON_CreateObject();
            js_set(labels, "controller-revision-hash",
                   cJSON_CreateString(i >= partition ? urev : current));
            js_set(labels, "statefulset.kubernetes.io/pod-name", cJSON_CreateString(pname));
            js_set(labels, "apps.kubernetes.io/pod-index",
                   cJSON_CreateString(pname + strlen(name) + 1));
            struct sim_obj *np =
                create_pod(s, kj_get_mut(obj_json(s), "spec.template"), pname, labels);
            cJSON_Delete(labels);
            if (np) {
                cJSON *spec = js_obj(obj_json(np), "spec");
                js_set_str(spec, "hostname", pname);
                if (kj_str(obj_json(s), "spec.serviceName"))
                    js_set_str(spec, "subdomain", kj_str(obj_json(s), "spec.serviceName"));
                store_refresh(np);
            }
            existing++;
            if (ordered)
                blocked = true;
            continue;
        }
        existing++;
        cJSON *h = cJSON_GetObjectItemCaseSensitive(obj_labels(p), "controller-revision-hash");
        const char *rev = cJSON_IsString(h) ? h->valuestring : "";
        if (strcmp(rev, urev) == 0)
            n_upd++;
        if (strcmp(rev, current) == 0)
            n_cur++;
        if (p->ready)
            ready++;
        else {
            all_ready = false;
            if (ordered)
                blocked = true;
        }
    }
    /* scale down: the highest ordinal first, one at a time */
    for (int i = replicas;; i++) {
        char pname[320];
        snprintf(pname, sizeof(pname), "%s-%d", name, i);
        struct sim_obj *p = store_get(prt, ns, pname);
        if (!p)
            break;
        char next[320];
        snprintf(next, sizeof(next), "%s-%d", name, i + 1);
        if (!store_get(prt, ns, next) && !p->deleting_ms) {
            events_emit(s, "Normal", "SuccessfulDelete", "statefulset-controller",
                        "delete Pod %s in StatefulSet %s successful", pname, name);
            api_delete(p, -1, NULL);
        }
    }
    /* rolling update: replace the highest outdated ordinal >= partition */
    if (all_ready && str_eq(kj_str(obj_json(s), "spec.updateStrategy.type"), "RollingUpdate")) {
        for (int i = replicas - 1; i >= partition; i--) {
            char pname[320];
            snprintf(pname, sizeof(pname), "%s-%d", name, i);
            struct sim_obj *p = store_get(prt, ns, pname);
            cJSON *h =
                p ? cJSON_GetObjectItemCaseSensitive(obj_labels(p), "controller-revision-hash")
                  : NULL;
            if (p && !p->deleting_ms && cJSON_IsString(h) && strcmp(h->valuestring, urev) != 0) {
                events_emit(s, "Normal", "SuccessfulDelete", "statefulset-controller",
                            "delete Pod %s in StatefulSet %s successful", pname, name);
                api_delete(p, -1, NULL);
                break;
            }
        }
    }
    if (n_upd == replicas && partition == 0) {
        free(current);
        current = xstrdup(urev);
        n_cur = n_upd;
    }
    cJSON *st = cJSON_CreateObject();
    js_set_num(st, "observedGeneration", kj_num(obj_json(s), "metadata.generation", 1));
    js_set_num(st, "replicas", existing);
    js_set_num(st, "readyReplicas", ready);
    js_set_num(st, "availableReplicas", ready);
    js_set_num(st, "currentReplicas", n_cur);
    js_set_num(st, "updatedReplicas", n_upd);
    js_set_str(st, "currentRevision", current);
    js_set_str(st, "updateRevision", urev);
    js_set_num(st, "collisionCount", 0);
    free(current);
    set_status(s, st);
}

/* ---- Job ---- */

void reconcile_job(struct sim_obj *j, struct index *podix, long long now)
{
    if (j->deleting_ms)
        return;
    cJSON *spec = js_obj(obj_json(j), "spec");
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(obj_json(j), "status");
    bool finished = false;
    const cJSON *c;
    cJSON_ArrayForEach(c, kj_get_mut(old, "conditions"))
    {
        if ((str_eq(kj_str(c, "type"), "Complete") || str_eq(kj_str(c, "type"), "Failed")) &&
            str_eq(kj_str(c, "status"), "True"))
            finished = true;
    }
    struct child *kids;
    size_t nk = index_find(podix, obj_uid(j), &kids);
    int active = 0, succeeded = 0, failed = 0, ready = 0;
    for (size_t i = 0; i < nk; i++) {
        const char *phase = kids[i].obj->phase;
        if (str_eq(phase, "Succeeded"))
            succeeded++;
        else if (str_eq(phase, "Failed"))
            failed++;
        else if (!kids[i].obj->deleting_ms) {
            active++;
            if (kids[i].obj->ready)
                ready++;
        }
    }
    /* pods removed after finishing are not forgotten */
    succeeded =
        succeeded > (int)kj_num(old, "succeeded", 0) ? succeeded : (int)kj_num(old, "succeeded", 0);
    failed = failed > (int)kj_num(old, "failed", 0) ? failed : (int)kj_num(old, "failed", 0);
    cJSON *st = cJSON_Duplicate(old, 1);
    if (!st)
        st = cJSON_CreateObject();
    char ts[32];
    sim_timestamp(ts, 0);
    if (!kj_str(st, "startTime"))
        js_set_str(st, "startTime", ts);
    /* completions unset (only parallelism given): the job controller's work
     * queue (pkg/controller/job/job_controller.go): complete once a pod has
     * succeeded and none is active; until a first success it keeps
     * parallelism pods running, after it starts none */
    bool queue = !cJSON_GetObjectItemCaseSensitive(spec, "completions");
    int completions = (int)kj_num(spec, "completions", 1);
    int parallelism = (int)kj_num(spec, "parallelism", 1);
    int backoff = (int)kj_num(spec, "backoffLimit", 6);
    if (!finished) {
        cJSON_DeleteItemFromObjectCaseSensitive(st, "conditions");
        if (queue ? succeeded > 0 && active == 0 : succeeded >= completions) {
            set_cond(st, old, "SuccessCriteriaMet", "True", "CompletionsReached",
                     "Reached expected number of succeeded pods", false);
            set_cond(st, old, "Complete", "True", "CompletionsReached",
                     "Reached expected number of succeeded pods", false);
            js_set_str(st, "completionTime", ts);
            events_emit(j, "Normal", "Completed", "job-controller", "Job completed");
            finished = true;
        } else if (failed > backoff) {
            set_cond(st, old, "FailureTarget", "True", "BackoffLimitExceeded",
                     "Job has reached the specified backoff limit", false);
            set_cond(st, old, "Failed", "True", "BackoffLimitExceeded",
                     "Job has reached the specified backoff limit", false);
            events_emit(j, "Warning", "BackoffLimitExceeded", "job-controller",
                        "Job has reached the specified backoff limit");
            for (size_t i = 0; i < nk; i++)
                if (pod_active(kids[i].obj))
                    api_delete(kids[i].obj, -1, NULL);
            active = 0;
            finished = true;
        } else {
            cJSON_DeleteItemFromObjectCaseSensitive(st, "conditions");
            cJSON *oc = cJSON_Duplicate(kj_get_mut(old, "conditions"), 1);
            if (oc)
                js_set(st, "conditions", oc);
            int want = queue ? (succeeded > 0 ? active : parallelism) : completions - succeeded;
            if (want > parallelism)
                want = parallelism;
            if (active < want && now >= j->progress_ms) {
                create_pod(j, kj_get_mut(spec, "template"), NULL, NULL);
                active++;
                /* the next retry after a failure waits 10s, 20s, 40s... (simulated) */
                if (failed > 0)
                    j->progress_ms = now + sim_ms(10.0 * (1 << (failed > 6 ? 6 : failed - 1)));
            }
        }
    }
    js_set_num(st, "active", finished ? 0 : active);
    js_set_num(st, "ready", ready);
    if (succeeded)
        js_set_num(st, "succeeded", succeeded);
    if (failed)
        js_set_num(st, "failed", failed);
    if (!cJSON_GetObjectItemCaseSensitive(st, "uncountedTerminatedPods"))
        js_obj(st, "uncountedTerminatedPods");
    set_status(j, st);
}
