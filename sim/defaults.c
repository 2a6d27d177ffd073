/* sim/defaults.c: the fields a real API server fills when a client leaves
 * them out (api_defaults in api.h): the k8s.io/api SetDefaults_* functions
 * of core/v1, apps/v1 and batch/v1, and what the admission plugins add to
 * pods (ServiceAccount, Priority, DefaultTolerationSeconds). Pod templates
 * get the pod spec's defaults too, so a template hash and a diff after an
 * apply come out as on a real cluster. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kube_json.h"
#include "core/util.h"
#include "sim/api.h"
#include "sim/store.h"
#include "sim/volumes.h"

static unsigned g_next_ip = 10; /* cluster IPs handed out to Services */

/* ---- set when absent ---- */

static void def_str(cJSON *o, const char *key, const char *v)
{
    if (!cJSON_GetObjectItemCaseSensitive(o, key))
        js_set_str(o, key, v);
}

static void def_num(cJSON *o, const char *key, double v)
{
    if (!cJSON_GetObjectItemCaseSensitive(o, key))
        js_set_num(o, key, v);
}

static void def_bool(cJSON *o, const char *key, bool v)
{
    if (!cJSON_GetObjectItemCaseSensitive(o, key))
        js_set_bool(o, key, v);
}

static void def_obj(cJSON *o, const char *key)
{
    if (!cJSON_GetObjectItemCaseSensitive(o, key))
        js_set(o, key, cJSON_CreateObject());
}

/* ---- pods and pod templates (core/v1 SetDefaults_PodSpec, _Container, _Probe ...) ---- */

/* IfNotPresent for a pinned tag or digest, Always for :latest or no tag. */
static const char *pull_policy(const char *image)
{
    if (!image || strchr(image, '@'))
        return image ? "IfNotPresent" : "Always";
    const char *slash = strrchr(image, '/');
    const char *colon = strrchr(slash ? slash : image, ':');
    return !colon || !strcmp(colon, ":latest") ? "Always" : "IfNotPresent";
}

static void probe_defaults(cJSON *c, const char *key)
{
    cJSON *p = cJSON_GetObjectItemCaseSensitive(c, key);
    if (!cJSON_IsObject(p))
        return;
    def_num(p, "timeoutSeconds", 1);
    def_num(p, "periodSeconds", 10);
    def_num(p, "successThreshold", 1);
    def_num(p, "failureThreshold", 3);
    cJSON *h = cJSON_GetObjectItemCaseSensitive(p, "httpGet");
    if (cJSON_IsObject(h))
        def_str(h, "scheme", "HTTP");
}

static void container_defaults(cJSON *list)
{
    cJSON *c;
    cJSON_ArrayForEach(c, list)
    {
        if (!cJSON_IsObject(c))
            continue;
        def_str(c, "imagePullPolicy", pull_policy(kj_str(c, "image")));
        def_str(c, "terminationMessagePath", "/dev/termination-log");
        def_str(c, "terminationMessagePolicy", "File");
        def_obj(c, "resources");
        cJSON *port;
        cJSON_ArrayForEach(port, cJSON_GetObjectItemCaseSensitive(c, "ports"))
        {
            if (cJSON_IsObject(port))
                def_str(port, "protocol", "TCP");
        }
        cJSON *env;
        cJSON_ArrayForEach(env, cJSON_GetObjectItemCaseSensitive(c, "env"))
        {
            cJSON *fr = kj_get_mut(env, "valueFrom.fieldRef");
            if (cJSON_IsObject(fr))
                def_str(fr, "apiVersion", "v1");
        }
        probe_defaults(c, "livenessProbe");
        probe_defaults(c, "readinessProbe");
        probe_defaults(c, "startupProbe");
    }
}

static void volume_defaults(cJSON *volumes)
{
    static const char *const sources[] = {"configMap", "secret", "projected", "downwardAPI"};
    cJSON *v;
    cJSON_ArrayForEach(v, volumes)
    {
        for (size_t i = 0; i < ARRAY_LEN(sources); i++) {
            cJSON *src = cJSON_GetObjectItemCaseSensitive(v, sources[i]);
            if (cJSON_IsObject(src))
                def_num(src, "defaultMode", 420); /* 0644 */
        }
    }
}

static void pod_spec_defaults(cJSON *spec)
{
    if (!cJSON_IsObject(spec))
        return;
    def_str(spec, "restartPolicy", "Always");
    def_str(spec, "dnsPolicy", "ClusterFirst");
    def_str(spec, "schedulerName", "default-scheduler");
    def_num(spec, "terminationGracePeriodSeconds", 30);
    def_obj(spec, "securityContext");
    def_bool(spec, "enableServiceLinks", true);
    container_defaults(cJSON_GetObjectItemCaseSensitive(spec, "containers"));
    container_defaults(cJSON_GetObjectItemCaseSensitive(spec, "initContainers"));
    volume_defaults(cJSON_GetObjectItemCaseSensitive(spec, "volumes"));
}

/* What admission adds to a pod (not to templates). */
static void pod_admission(cJSON *spec)
{
    def_str(spec, "serviceAccountName", "default");
    def_str(spec, "serviceAccount", kj_str(spec, "serviceAccountName"));
    def_num(spec, "priority", 0);
    def_str(spec, "preemptionPolicy", "PreemptLowerPriority");
    if (!cJSON_GetObjectItemCaseSensitive(spec, "tolerations")) {
        /* DefaultTolerationSeconds: 300 s on not-ready and unreachable nodes */
        cJSON *t = cJSON_AddArrayToObject(spec, "tolerations");
        static const char *const keys[] = {"node.kubernetes.io/not-ready",
                                           "node.kubernetes.io/unreachable"};
        for (size_t i = 0; i < 2; i++) {
            cJSON *e = cJSON_CreateObject();
            js_set_str(e, "key", keys[i]);
            js_set_str(e, "operator", "Exists");
            js_set_str(e, "effect", "NoExecute");
            js_set_num(e, "tolerationSeconds", 300);
            cJSON_AddItemToArray(t, e);
        }
    }
}

static void template_defaults(cJSON *spec)
{
    pod_spec_defaults(kj_get_mut(spec, "template.spec"));
}

/* ---- per kind ---- */

static void d_pod(cJSON *json, cJSON *spec)
{
    pod_spec_defaults(spec);
    pod_admission(spec);
    def_str(js_obj(json, "status"), "phase", "Pending");
}

static void d_deployment(cJSON *json, cJSON *spec)
{
    def_num(spec, "replicas", 1);
    cJSON *st = js_obj(spec, "strategy");
    def_str(st, "type", "RollingUpdate");
    if (str_eq(kj_str(st, "type"), "RollingUpdate")) {
        cJSON *ru = js_obj(st, "rollingUpdate");
        def_str(ru, "maxSurge", "25%");
        def_str(ru, "maxUnavailable", "25%");
    }
    def_num(spec, "revisionHistoryLimit", 10);
    def_num(spec, "progressDeadlineSeconds", 600);
    template_defaults(spec);
}

static void d_replicaset(cJSON *json, cJSON *spec)
{
    def_num(spec, "replicas", 1);
    template_defaults(spec);
}

static void d_statefulset(cJSON *json, cJSON *spec)
{
    def_num(spec, "replicas", 1);
    cJSON *us = js_obj(spec, "updateStrategy");
    def_str(us, "type", "RollingUpdate");
    if (str_eq(kj_str(us, "type"), "RollingUpdate"))
        def_num(js_obj(us, "rollingUpdate"), "partition", 0);
    def_str(spec, "podManagementPolicy", "OrderedReady");
    def_num(spec, "revisionHistoryLimit", 10);
    cJSON *rp = js_obj(spec, "persistentVolumeClaimRetentionPolicy");
    def_str(rp, "whenDeleted", "Retain");
    def_str(rp, "whenScaled", "Retain");
    cJSON *vct;
    cJSON_ArrayForEach(vct, cJSON_GetObjectItemCaseSensitive(spec, "volumeClaimTemplates"))
    {
        if (!cJSON_IsObject(vct))
            continue;
        def_str(js_obj(vct, "spec"), "volumeMode", "Filesystem");
        def_str(js_obj(vct, "status"), "phase", "Pending");
    }
    template_defaults(spec);
}

static void d_daemonset(cJSON *json, cJSON *spec)
{
    cJSON *us = js_obj(spec, "updateStrategy");
    def_str(us, "type", "RollingUpdate");
    if (str_eq(kj_str(us, "type"), "RollingUpdate")) {
        cJSON *ru = js_obj(us, "rollingUpdate");
        def_num(ru, "maxUnavailable", 1);
        def_num(ru, "maxSurge", 0);
    }
    def_num(spec, "revisionHistoryLimit", 10);
    template_defaults(spec);
}

/* At creation the Job strategy generates the selector from the Job's uid
 * and labels the pod template with it (pkg/registry/batch/job
 * generateSelector), so the template is final before it becomes immutable. */
static void job_selector(cJSON *json, cJSON *spec)
{
    if (cJSON_GetObjectItemCaseSensitive(spec, "selector") ||
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(spec, "manualSelector")))
        return;
    cJSON *meta = js_obj(json, "metadata");
    char uid[40];
    if (kj_str(meta, "uid"))
        snprintf(uid, sizeof(uid), "%s", kj_str(meta, "uid"));
    else
        store_new_uid(uid);
    js_set_str(meta, "uid", uid);
    const char *name = kj_str(meta, "name") ? kj_str(meta, "name") : "";
    js_set_str(js_obj(js_obj(spec, "selector"), "matchLabels"),
               "batch.kubernetes.io/controller-uid", uid);
    cJSON *tl = js_obj(js_obj(js_obj(spec, "template"), "metadata"), "labels");
    js_set_str(tl, "batch.kubernetes.io/controller-uid", uid);
    js_set_str(tl, "batch.kubernetes.io/job-name", name);
    js_set_str(tl, "controller-uid", uid);
    js_set_str(tl, "job-name", name);
}

static void d_job(cJSON *json, cJSON *spec)
{
    job_selector(json, spec);
    def_num(spec, "backoffLimit", 6);
    /* as kube-apiserver (pkg/apis/batch/v1/defaults.go, SetDefaults_Job):
     * completions is set to 1 only when parallelism is unset too; a Job with
     * only parallelism keeps completions unset (a work queue: done when any
     * pod has succeeded and none runs), which kubectl prints "0/1 of N" */
    if (!cJSON_GetObjectItemCaseSensitive(spec, "completions") &&
        !cJSON_GetObjectItemCaseSensitive(spec, "parallelism"))
        js_set_num(spec, "completions", 1);
    def_num(spec, "parallelism", 1);
    def_str(spec, "completionMode", "NonIndexed");
    def_bool(spec, "suspend", false);
    def_str(spec, "podReplacementPolicy", "TerminatingOrFailed");
    /* the pod spec default (Always) applies here too; validation then
     * refuses it for a Job, as the real server does */
    template_defaults(spec);
}

static void d_service(cJSON *json, cJSON *spec)
{
    def_str(spec, "type", "ClusterIP");
    def_str(spec, "sessionAffinity", "None");
    if (!kj_str(spec, "clusterIP")) {
        char ip[32];
        snprintf(ip, sizeof(ip), "10.96.%u.%u", g_next_ip / 250, g_next_ip % 250 + 2);
        g_next_ip++;
        js_set_str(spec, "clusterIP", ip);
    }
    if (!cJSON_GetObjectItemCaseSensitive(spec, "clusterIPs")) {
        cJSON *ips = cJSON_AddArrayToObject(spec, "clusterIPs");
        cJSON_AddItemToArray(ips, cJSON_CreateString(kj_str(spec, "clusterIP")));
    }
    if (!cJSON_GetObjectItemCaseSensitive(spec, "ipFamilies")) {
        cJSON *f = cJSON_AddArrayToObject(spec, "ipFamilies");
        cJSON_AddItemToArray(f, cJSON_CreateString("IPv4"));
    }
    def_str(spec, "ipFamilyPolicy", "SingleStack");
    def_str(spec, "internalTrafficPolicy", "Cluster");
    cJSON *port;
    cJSON_ArrayForEach(port, cJSON_GetObjectItemCaseSensitive(spec, "ports"))
    {
        def_str(port, "protocol", "TCP");
        if (!cJSON_GetObjectItemCaseSensitive(port, "targetPort"))
            js_set_num(port, "targetPort", kj_num(port, "port", 0));
    }
}

static char *base64_encode(const unsigned char *in, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = xmalloc(4 * ((n + 2) / 3) + 1), *o = out;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        *o++ = tab[(v >> 18) & 63];
        *o++ = tab[(v >> 12) & 63];
        *o++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        *o++ = i + 2 < n ? tab[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

/* A Secret's stringData is write-only: the API server merges it into data
 * (base64, stringData wins on a shared key) and never stores it
 * (pkg/apis/core/v1 conversion of Secret). */
static void d_secret(cJSON *json, cJSON *spec)
{
    cJSON *sd = cJSON_DetachItemFromObjectCaseSensitive(json, "stringData");
    if (cJSON_IsObject(sd) && sd->child) {
        cJSON *data = js_obj(json, "data");
        const cJSON *kv;
        cJSON_ArrayForEach(kv, sd)
        {
            const char *v = cJSON_IsString(kv) ? kv->valuestring : "";
            char *b = base64_encode((const unsigned char *)v, strlen(v));
            js_set(data, kv->string, cJSON_CreateString(b));
            free(b);
        }
    }
    cJSON_Delete(sd);
    def_str(json, "type", "Opaque");
}

static void d_namespace(cJSON *json, cJSON *spec)
{
    cJSON *meta = js_obj(json, "metadata");
    if (kj_str(meta, "name"))
        js_set_str(js_obj(meta, "labels"), "kubernetes.io/metadata.name", kj_str(meta, "name"));
    if (!cJSON_GetObjectItemCaseSensitive(spec, "finalizers")) {
        cJSON *f = cJSON_AddArrayToObject(spec, "finalizers");
        cJSON_AddItemToArray(f, cJSON_CreateString("kubernetes"));
    }
    def_str(js_obj(json, "status"), "phase", "Active");
}

static void d_pvc(cJSON *json, cJSON *spec)
{
    def_str(spec, "volumeMode", "Filesystem");
    /* the DefaultStorageClass admission plugin; an explicit "" stays */
    if (!cJSON_GetObjectItemCaseSensitive(spec, "storageClassName") && volumes_default_class())
        js_set_str(spec, "storageClassName", volumes_default_class());
    def_str(js_obj(json, "status"), "phase", "Pending");
}

static const struct {
    const char *plural;
    void (*fn)(cJSON *json, cJSON *spec);
    bool has_spec; /* a "spec" is made when absent */
} kinds[] = {
    {"pods", d_pod, true},
    {"deployments", d_deployment, true},
    {"replicasets", d_replicaset, true},
    {"statefulsets", d_statefulset, true},
    {"daemonsets", d_daemonset, true},
    {"jobs", d_job, true},
    {"services", d_service, true},
    {"secrets", d_secret, false},
    {"namespaces", d_namespace, true},
    {"persistentvolumeclaims", d_pvc, true},
};

void api_defaults(struct rtype *rt, cJSON *json)
{
    if (rt->custom)
        return; /* a custom kind named like a built-in one gets no built-in defaults */
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
        if (!strcmp(kinds[i].plural, rt->plural)) {
            cJSON *spec = kinds[i].has_spec ? js_obj(json, "spec") : NULL;
            kinds[i].fn(json, spec);
        }
}
