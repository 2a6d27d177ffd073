/* sim/daemonsets.c: the DaemonSet controller. One pod per node (every node:
 * the simulator has no taints or node selectors to honour), bound to its
 * node by spec.nodeName as the real controller does through node affinity;
 * a RollingUpdate replaces one outdated pod at a time once the others are
 * ready (maxUnavailable 1, the API default); OnDelete waits for deletions.
 * Status fields as kube-controller-manager's daemon/daemon_controller.go
 * writes them: desired/current/ready/updated/available numbers and
 * observedGeneration. */
#include "config.h"

#include "sim/daemonsets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sim/api.h"
#include "sim/controllers.h"
#include "sim/events.h"
#include "sim/pods.h"
#include "sim/store.h"

/* The pods of ds on one node: at most one is kept. */
static struct sim_obj *pod_on(struct child *kids, size_t n, const char *node)
{
    for (size_t i = 0; i < n; i++)
        if (str_eq(kids[i].obj->node, node) && !kids[i].obj->deleting_ms)
            return kids[i].obj;
    return NULL;
}

static bool updated(const struct sim_obj *p, const char *hash)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(obj_labels(p), "controller-revision-hash");
    return cJSON_IsString(h) && !strcmp(h->valuestring, hash);
}

static void create_on(struct sim_obj *ds, const char *node, const char *hash)
{
    cJSON *labels = cJSON_CreateObject();
    js_set_str(labels, "controller-revision-hash", hash);
    char gen[32];
    snprintf(gen, sizeof(gen), "%.0f", kj_num(obj_json(ds), "metadata.generation", 1));
    js_set_str(labels, "pod-template-generation", gen);
    struct sim_obj *p = create_pod(ds, kj_get_mut(obj_json(ds), "spec.template"), NULL, labels);
    cJSON_Delete(labels);
    if (p) {
        js_set_str(js_obj(obj_json(p), "spec"), "nodeName", node);
        store_refresh(p);
    }
}

void reconcile_daemonset(struct sim_obj *ds, struct index *podix)
{
    if (ds->deleting_ms)
        return;
    char hash[16];
    template_hash(kj_get_mut(obj_json(ds), "spec.template"), hash);
    struct child *kids;
    size_t nk = index_find(podix, obj_uid(ds), &kids);
    struct rtype *nrt = store_rtype("", "nodes");
    int desired = 0, current = 0, ready = 0, upd = 0, outdated_ready = 0;
    struct sim_obj *replace = NULL;
    bool rolling = !str_eq(kj_str(obj_json(ds), "spec.updateStrategy.type"), "OnDelete");
    for (size_t i = 0; i < nrt->n; i++) {
        const char *node = obj_name(nrt->objs[i]);
        desired++;
        struct sim_obj *p = pod_on(kids, nk, node);
        if (!p) {
            create_on(ds, node, hash);
            continue;
        }
        current++;
        bool is_ready = p->ready;
        ready += is_ready;
        if (updated(p, hash)) {
            upd++;
        } else if (rolling && !replace) {
            replace = p;
            outdated_ready += is_ready;
        }
    }
    /* one pod at a time may be unavailable: replace when all others are ready */
    if (replace && ready - outdated_ready >= current - 1) {
        events_emit(ds, "Normal", "SuccessfulDelete", "daemonset-controller", "Deleted pod: %s",
                    obj_name(replace));
        api_delete(replace, -1, NULL);
    }
    cJSON *st = cJSON_CreateObject();
    js_set_num(st, "currentNumberScheduled", current);
    js_set_num(st, "desiredNumberScheduled", desired);
    js_set_num(st, "numberAvailable", ready);
    js_set_num(st, "numberMisscheduled", 0);
    js_set_num(st, "numberReady", ready);
    if (desired - ready > 0)
        js_set_num(st, "numberUnavailable", desired - ready);
    js_set_num(st, "observedGeneration", kj_num(obj_json(ds), "metadata.generation", 1));
    js_set_num(st, "updatedNumberScheduled", upd);
    set_status(ds, st);
}
