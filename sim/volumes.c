/* sim/volumes.c: storage classes and claim binding (see volumes.h). */
#include "config.h"

#include "sim/volumes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_json.h"
#include "core/util.h"
#include "sim/api.h"
#include "sim/events.h"
#include "sim/store.h"

#define DEFAULT_CLASS_ANN "storageclass.kubernetes.io/is-default-class"

void volumes_init(void)
{
    cJSON *sc = cJSON_CreateObject();
    js_set_str(sc, "apiVersion", "storage.k8s.io/v1");
    js_set_str(sc, "kind", "StorageClass");
    cJSON *meta = js_obj(sc, "metadata");
    js_set_str(meta, "name", "standard");
    js_set_str(js_obj(meta, "annotations"), DEFAULT_CLASS_ANN, "true");
    js_set_str(sc, "provisioner", "rancher.io/local-path");
    js_set_str(sc, "reclaimPolicy", "Delete");
    js_set_str(sc, "volumeBindingMode", "WaitForFirstConsumer");
    struct error err;
    error_clear(&err);
    api_create(sc, &err);
}

static struct sim_obj *find_class(const char *name)
{
    struct rtype *rt = store_rtype("storage.k8s.io", "storageclasses");
    return rt && name ? store_get(rt, NULL, name) : NULL;
}

const char *volumes_default_class(void)
{
    struct rtype *rt = store_rtype("storage.k8s.io", "storageclasses");
    for (size_t i = 0; rt && i < rt->n; i++) {
        /* the key holds dots: not a kj_ path */
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(
            kj_get(obj_json(rt->objs[i]), "metadata.annotations"), DEFAULT_CLASS_ANN);
        if (cJSON_IsString(v) && !strcmp(v->valuestring, "true"))
            return obj_name(rt->objs[i]);
    }
    return NULL;
}

/* A scheduled pod in the claim's namespace that mounts it. */
static const char *consumer_node(const struct sim_obj *pvc)
{
    struct rtype *prt = store_rtype("", "pods");
    char *prefix = xasprintf("%s/", obj_ns(pvc));
    size_t i = store_lower_bound(prt, prefix), end = store_prefix_end(prt, prefix);
    free(prefix);
    const char *node = NULL;
    for (; i < end && !node; i++) {
        struct sim_obj *p = prt->objs[i];
        if (!p->node)
            continue;
        bool cold = !p->tree; /* a scan: parse, read, drop */
        const cJSON *v;
        cJSON_ArrayForEach(v, kj_get(obj_json(p), "spec.volumes"))
        {
            if (str_eq(kj_str(v, "persistentVolumeClaim.claimName"), obj_name(pvc)))
                node = p->node;
        }
        if (cold)
            store_cool(p);
    }
    return node;
}

static void bind(struct sim_obj *pvc, const struct sim_obj *sc, const char *node)
{
    cJSON *meta = js_obj(obj_json(pvc), "metadata");
    cJSON *ann = js_obj(meta, "annotations");
    const char *prov =
        kj_str(obj_json(sc), "provisioner") ? kj_str(obj_json(sc), "provisioner") : "";
    js_set_str(ann, "pv.kubernetes.io/bind-completed", "yes");
    js_set_str(ann, "pv.kubernetes.io/bound-by-controller", "yes");
    js_set_str(ann, "volume.beta.kubernetes.io/storage-provisioner", prov);
    js_set_str(ann, "volume.kubernetes.io/storage-provisioner", prov);
    if (node)
        js_set_str(ann, "volume.kubernetes.io/selected-node", node);
    char vol[64];
    snprintf(vol, sizeof(vol), "pvc-%s", obj_uid(pvc));
    cJSON *spec = js_obj(obj_json(pvc), "spec");
    js_set_str(spec, "volumeName", vol);
    cJSON *st = js_obj(obj_json(pvc), "status");
    js_set_str(st, "phase", "Bound");
    cJSON *modes = kj_get_mut(spec, "accessModes");
    js_set(st, "accessModes", modes ? cJSON_Duplicate(modes, 1) : cJSON_CreateArray());
    cJSON *req = kj_get_mut(spec, "resources.requests");
    js_set(st, "capacity", req ? cJSON_Duplicate(req, 1) : cJSON_CreateObject());
    events_emit(pvc, "Normal", "ExternalProvisioning", "persistentvolume-controller",
                "Waiting for a volume to be created either by the external provisioner '%s' or "
                "manually by the system administrator. If volume creation is delayed, please "
                "verify that the provisioner is running and correctly registered.",
                prov);
    events_emit(pvc, "Normal", "ProvisioningSucceeded", prov, "Successfully provisioned volume %s",
                vol);
    store_commit(pvc);
}

/* An event once per claim and reason (the real controllers repeat them;
 * once is enough for `kubectl describe`). */
static void note(struct sim_obj *pvc, const char *type, const char *reason, const char *source,
                 const char *msg)
{
    if (pvc->progress_sig == (long)(reason[0] + 256 * reason[1]))
        return;
    pvc->progress_sig = (long)(reason[0] + 256 * reason[1]);
    events_emit(pvc, type, reason, source, "%s", msg);
}

void volumes_tick(long long now)
{
    struct rtype *rt = store_rtype("", "persistentvolumeclaims");
    for (size_t i = 0; i < rt->n; i++) {
        struct sim_obj *pvc = rt->objs[i];
        if (pvc->deleting_ms || str_eq(kj_str(obj_json(pvc), "status.phase"), "Bound"))
            continue;
        const char *cls = kj_str(obj_json(pvc), "spec.storageClassName");
        if (str_empty(cls)) {
            note(pvc, "Normal", "FailedBinding", "persistentvolume-controller",
                 "no persistent volumes available for this claim and no storage class is set");
            continue;
        }
        const struct sim_obj *sc = find_class(cls);
        if (!sc) {
            char msg[300];
            snprintf(msg, sizeof(msg), "storageclass.storage.k8s.io \"%s\" not found", cls);
            note(pvc, "Warning", "ProvisioningFailed", "persistentvolume-controller", msg);
            continue;
        }
        if (str_eq(kj_str(obj_json(sc), "volumeBindingMode"), "WaitForFirstConsumer")) {
            const char *node = consumer_node(pvc);
            if (!node) {
                note(pvc, "Normal", "WaitForFirstConsumer", "persistentvolume-controller",
                     "waiting for first consumer to be created before binding");
                continue;
            }
            bind(pvc, sc, node);
        } else {
            bind(pvc, sc, NULL);
        }
    }
}

char *volumes_unschedulable(const cJSON *pod)
{
    struct rtype *rt = store_rtype("", "persistentvolumeclaims");
    const cJSON *v;
    cJSON_ArrayForEach(v, kj_get(pod, "spec.volumes"))
    {
        const char *claim = kj_str(v, "persistentVolumeClaim.claimName");
        if (!claim)
            continue;
        struct sim_obj *pvc = store_get(rt, kj_str(pod, "metadata.namespace"), claim);
        if (!pvc)
            return xasprintf("0/%zu nodes are available: persistentvolumeclaim \"%s\" not found.",
                             store_rtype("", "nodes")->n, claim);
        if (str_eq(kj_str(obj_json(pvc), "status.phase"), "Bound"))
            continue;
        const struct sim_obj *sc = find_class(kj_str(obj_json(pvc), "spec.storageClassName"));
        if (sc && str_eq(kj_str(obj_json(sc), "volumeBindingMode"), "WaitForFirstConsumer"))
            continue; /* scheduling the pod is what binds it */
        size_t n = store_rtype("", "nodes")->n;
        return xasprintf("0/%zu nodes are available: pod has unbound immediate "
                         "PersistentVolumeClaims. preemption: 0/%zu nodes are available: %zu "
                         "Preemption is not helpful for scheduling.",
                         n, n, n);
    }
    return NULL;
}
