/* core/kube_kinds.c: the kind registry (see kube_kinds.h). Each kind is one
 * entry of `kinds` below: its REST coordinates, the fields the store keeps
 * (a JSON path, or NULL for a field its project function computes in
 * core/kube_project.c) and the columns the API server's Table has for it,
 * name for name, type for type and in order, as kubernetes
 * pkg/printers/internalversion/printers.go (1.32) defines them. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/kube_kinds.h"
#include "core/kube_project.h"
#include "core/util.h"

#define OFF(field) offsetof(struct kube_obj, field)
#define STR(field, path)                                                                           \
    {                                                                                              \
        KF_STR, OFF(field), path, 0                                                                \
    }
#define INT(field, path, def)                                                                      \
    {                                                                                              \
        KF_INT, OFF(field), path, def                                                              \
    }

/* ---- fields ---- */

static const struct kube_field meta_fields[] = {
    STR(ns, NULL),         STR(name, NULL),       STR(component, NULL),
    STR(owner_kind, NULL), STR(owner_name, NULL),
};

static const struct kube_field pod_fields[] = {
    STR(u.pod.phase, "status.phase"),
    STR(u.pod.node, "spec.nodeName"),
    STR(u.pod.nominated, "status.nominatedNodeName"),
    STR(u.pod.reason, NULL),
    STR(u.pod.last_reason, NULL),
    STR(u.pod.ip, NULL),
    STR(u.pod.gates, NULL),
};

static const struct kube_field workload_fields[] = {
    {KF_I64, OFF(u.wl.observed_generation), "status.observedGeneration", 0},
    INT(u.wl.spec_replicas, "spec.replicas", -1),
    INT(u.wl.replicas, "status.replicas", 0),
    INT(u.wl.updated, "status.updatedReplicas", 0),
    INT(u.wl.ready, "status.readyReplicas", 0),
    INT(u.wl.available, "status.availableReplicas", 0),
    INT(u.wl.current, "status.currentReplicas", 0),
    INT(u.wl.partition, "spec.updateStrategy.rollingUpdate.partition", -1),
    STR(u.wl.current_revision, "status.currentRevision"),
    STR(u.wl.update_revision, "status.updateRevision"),
    INT(u.wl.desired_scheduled, "status.desiredNumberScheduled", 0),
    INT(u.wl.current_scheduled, "status.currentNumberScheduled", 0),
    INT(u.wl.number_ready, "status.numberReady", 0),
    INT(u.wl.updated_scheduled, "status.updatedNumberScheduled", 0),
    INT(u.wl.number_available, "status.numberAvailable", 0),
    STR(u.wl.progressing_reason, NULL),
    STR(u.wl.progressing_message, NULL),
    {KF_BOOL, OFF(u.wl.paused), "spec.paused", 0},
    STR(u.wl.revision, NULL),
    STR(u.wl.strategy, NULL),
    STR(u.wl.node_selector, NULL),
    STR(u.wl.tpl.containers, NULL),
    STR(u.wl.tpl.images, NULL),
    STR(u.wl.tpl.selector, NULL),
};

static const struct kube_field job_fields[] = {
    INT(u.job.completions, "spec.completions", -1),
    INT(u.job.parallelism, "spec.parallelism", -1),
    INT(u.job.backoff_limit, "spec.backoffLimit", 6), /* the API server's default */
    INT(u.job.active, "status.active", 0),
    INT(u.job.succeeded, "status.succeeded", 0),
    INT(u.job.failed, "status.failed", 0),
    {KF_TIME, OFF(u.job.start), "status.startTime", 0},
    {KF_TIME, OFF(u.job.completion), "status.completionTime", 0},
    STR(u.job.failed_reason, NULL),
    STR(u.job.failed_message, NULL),
    STR(u.job.tpl.containers, NULL),
    STR(u.job.tpl.images, NULL),
    STR(u.job.tpl.selector, NULL),
};

static const struct kube_field event_fields[] = {
    STR(u.ev.involved_kind, "involvedObject.kind"),
    STR(u.ev.involved_name, "involvedObject.name"),
    STR(u.ev.field_path, "involvedObject.fieldPath"),
    STR(u.ev.reason, "reason"),
    STR(u.ev.type, "type"),
    STR(u.ev.message, NULL),
    STR(u.ev.source, NULL),
};

static const struct kube_field service_fields[] = {
    STR(u.svc.type, "spec.type"), STR(u.svc.cluster_ip, NULL), STR(u.svc.ports, NULL),
    STR(u.svc.external, NULL),    STR(u.svc.selector, NULL),
};

static const struct kube_field ingress_fields[] = {
    STR(u.ing.class_name, "spec.ingressClassName"),
    STR(u.ing.hosts, NULL),
    STR(u.ing.address, NULL),
};

static const struct kube_field keys_fields[] = {
    STR(u.keys.type, "type"),
    {KF_KEYS, OFF(u.keys), NULL, 0},
};

static const struct kube_field serviceaccount_fields[] = {
    {KF_PAIRS, OFF(u.sa), NULL, 0},
};

static const struct kube_field pvc_fields[] = {
    STR(u.pvc.volume, "spec.volumeName"),
    STR(u.pvc.attr_class, "spec.volumeAttributesClassName"),
    STR(u.pvc.volume_mode, "spec.volumeMode"),
    STR(u.pvc.phase, NULL),
    STR(u.pvc.capacity, NULL),
    STR(u.pvc.access_modes, NULL),
    STR(u.pvc.storage_class, NULL),
};

static const struct kube_field node_fields[] = {
    {KF_BOOL, OFF(u.node.unschedulable), "spec.unschedulable", 0},
    STR(u.node.kubelet_version, "status.nodeInfo.kubeletVersion"),
    STR(u.node.os_image, "status.nodeInfo.osImage"),
    STR(u.node.kernel, "status.nodeInfo.kernelVersion"),
    STR(u.node.runtime, "status.nodeInfo.containerRuntimeVersion"),
    STR(u.node.status, NULL),
    STR(u.node.roles, NULL),
    STR(u.node.internal_ip, NULL),
    STR(u.node.external_ip, NULL),
};

static const struct kube_field namespace_fields[] = {
    STR(u.nsobj.phase, "status.phase"),
};

#undef STR
#undef INT

/* ---- cells kubectl computes ---- */

static void cell_pod_ready(const struct kube_obj *o, long long now, struct strbuf *out)
{
    strbuf_addf(out, "%u/%u", o->u.pod.ready, o->u.pod.total);
}

/* "3 (5m ago)": restarts and the age of the last one. */
static void cell_pod_restarts(const struct kube_obj *o, long long now, struct strbuf *out)
{
    strbuf_addf(out, "%u", o->u.pod.restarts);
    if (o->u.pod.restarts && o->u.pod.last_restart) {
        char age[32];
        kube_human_duration(now - o->u.pod.last_restart, age, sizeof(age));
        strbuf_addf(out, " (%s ago)", age);
    }
}

/* READY of Deployments and StatefulSets: ready/desired (the API server
 * defaults spec.replicas to 1). */
static void cell_ready_of_desired(const struct kube_obj *o, long long now, struct strbuf *out)
{
    strbuf_addf(out, "%d/%d", o->u.wl.ready, o->u.wl.spec_replicas < 0 ? 1 : o->u.wl.spec_replicas);
}

static void cell_desired(const struct kube_obj *o, long long now, struct strbuf *out)
{
    strbuf_addf(out, "%d", o->u.wl.spec_replicas < 0 ? 1 : o->u.wl.spec_replicas);
}

/* The job's condition that decides, in printJob's order. */
static void cell_job_status(const struct kube_obj *o, long long now, struct strbuf *out)
{
    const struct kube_job *b = &o->u.job;
    strbuf_adds(out, b->complete         ? "Complete"
                     : b->failed_cond    ? "Failed"
                     : o->deleted        ? "Terminating"
                     : b->suspended      ? "Suspended"
                     : b->failure_target ? "FailureTarget"
                                         : "Running");
}

static void cell_job_completions(const struct kube_obj *o, long long now, struct strbuf *out)
{
    const struct kube_job *b = &o->u.job;
    if (b->completions >= 0)
        strbuf_addf(out, "%d/%d", b->succeeded, b->completions);
    else if (b->parallelism > 1)
        strbuf_addf(out, "%d/1 of %d", b->succeeded, b->parallelism);
    else
        strbuf_addf(out, "%d/1", b->succeeded);
}

static void cell_job_duration(const struct kube_obj *o, long long now, struct strbuf *out)
{
    const struct kube_job *b = &o->u.job;
    if (!b->start)
        return;
    char d[32];
    kube_human_duration((b->completion ? b->completion : now) - b->start, d, sizeof(d));
    strbuf_adds(out, d);
}

static void cell_ingress_ports(const struct kube_obj *o, long long now, struct strbuf *out)
{
    strbuf_adds(out, o->u.ing.tls ? "80, 443" : "80");
}

static void add_age_of(long long t, long long now, struct strbuf *out)
{
    char d[32];
    if (!t) {
        strbuf_adds(out, "<unknown>");
        return;
    }
    kube_human_duration(now - t, d, sizeof(d));
    strbuf_adds(out, d);
}

static void cell_event_last(const struct kube_obj *o, long long now, struct strbuf *out)
{
    add_age_of(o->u.ev.last, now, out);
}

static void cell_event_first(const struct kube_obj *o, long long now, struct strbuf *out)
{
    add_age_of(o->u.ev.first, now, out);
}

/* OBJECT: "kind/name" with the kind in lower case (just the kind without a name). */
static void cell_event_object(const struct kube_obj *o, long long now, struct strbuf *out)
{
    for (const char *k = o->u.ev.involved_kind ? o->u.ev.involved_kind : ""; *k; k++)
        strbuf_addc(out, (char)(*k >= 'A' && *k <= 'Z' ? *k + 32 : *k));
    if (!str_empty(o->u.ev.involved_name))
        strbuf_addf(out, "/%s", o->u.ev.involved_name);
}

/* ---- columns ---- */

#define C_NAME                                                                                     \
    {                                                                                              \
        "Name", "string", "name", 0, false, KC_NAME, 0, NULL, NULL                                 \
    }
#define C_AGE                                                                                      \
    {                                                                                              \
        "Age", "string", "", 0, false, KC_AGE, 0, NULL, NULL                                       \
    }
#define C_STR(name, prio, field, def)                                                              \
    {                                                                                              \
        name, "string", "", prio, false, KC_STR, OFF(field), def, NULL                             \
    }
#define C_INT(name, type, prio, field)                                                             \
    {                                                                                              \
        name, type, "", prio, true, KC_INT, OFF(field), NULL, NULL                                 \
    }
#define C_FN(name, prio, fn)                                                                       \
    {                                                                                              \
        name, "string", "", prio, false, KC_FN, 0, NULL, fn                                        \
    }
#define C_FNUM(name, type, prio, fn)                                                               \
    {                                                                                              \
        name, type, "", prio, true, KC_FN, 0, NULL, fn                                             \
    }
#define C_CONTAINERS(t) C_STR("Containers", 1, t.containers, ""), C_STR("Images", 1, t.images, "")

static const struct kube_column pod_columns[] = {
    C_NAME,
    C_FN("Ready", 0, cell_pod_ready),
    C_STR("Status", 0, u.pod.reason, ""),
    C_FN("Restarts", 0, cell_pod_restarts),
    C_AGE,
    C_STR("IP", 1, u.pod.ip, "<none>"),
    C_STR("Node", 1, u.pod.node, "<none>"),
    C_STR("Nominated Node", 1, u.pod.nominated, "<none>"),
    C_STR("Readiness Gates", 1, u.pod.gates, "<none>"),
};

static const struct kube_column deployment_columns[] = {
    C_NAME,
    C_FN("Ready", 0, cell_ready_of_desired),
    C_INT("Up-to-date", "string", 0, u.wl.updated),
    C_INT("Available", "string", 0, u.wl.available),
    C_AGE,
    C_CONTAINERS(u.wl.tpl),
    C_STR("Selector", 1, u.wl.tpl.selector, ""),
};

static const struct kube_column statefulset_columns[] = {
    C_NAME,
    C_FN("Ready", 0, cell_ready_of_desired),
    C_AGE,
    C_CONTAINERS(u.wl.tpl),
};

static const struct kube_column daemonset_columns[] = {
    C_NAME,
    C_INT("Desired", "integer", 0, u.wl.desired_scheduled),
    C_INT("Current", "integer", 0, u.wl.current_scheduled),
    C_INT("Ready", "integer", 0, u.wl.number_ready),
    C_INT("Up-to-date", "integer", 0, u.wl.updated_scheduled),
    C_INT("Available", "integer", 0, u.wl.number_available),
    C_STR("Node Selector", 0, u.wl.node_selector, "<none>"),
    C_AGE,
    C_CONTAINERS(u.wl.tpl),
    C_STR("Selector", 1, u.wl.tpl.selector, "<none>"),
};

static const struct kube_column replicaset_columns[] = {
    C_NAME,
    C_FNUM("Desired", "integer", 0, cell_desired),
    C_INT("Current", "integer", 0, u.wl.replicas),
    C_INT("Ready", "integer", 0, u.wl.ready),
    C_AGE,
    C_CONTAINERS(u.wl.tpl),
    C_STR("Selector", 1, u.wl.tpl.selector, "<none>"),
};

static const struct kube_column job_columns[] = {
    C_NAME,
    C_FN("Status", 0, cell_job_status),
    C_FN("Completions", 0, cell_job_completions),
    C_FN("Duration", 0, cell_job_duration),
    C_AGE,
    C_CONTAINERS(u.job.tpl),
    C_STR("Selector", 1, u.job.tpl.selector, "<none>"),
};

static const struct kube_column event_columns[] = {
    C_FN("Last Seen", 0, cell_event_last),
    C_STR("Type", 0, u.ev.type, ""),
    C_STR("Reason", 0, u.ev.reason, ""),
    C_FN("Object", 0, cell_event_object),
    C_STR("Subobject", 1, u.ev.field_path, ""),
    C_STR("Source", 1, u.ev.source, ""),
    C_STR("Message", 0, u.ev.message, ""),
    C_FN("First Seen", 1, cell_event_first),
    C_INT("Count", "string", 1, u.ev.count),
    {"Name", "string", "name", 1, false, KC_NAME, 0, NULL, NULL},
};

static const struct kube_column service_columns[] = {
    C_NAME,
    C_STR("Type", 0, u.svc.type, ""),
    C_STR("Cluster-IP", 0, u.svc.cluster_ip, "<none>"),
    C_STR("External-IP", 0, u.svc.external, ""),
    C_STR("Port(s)", 0, u.svc.ports, "<none>"),
    C_AGE,
    C_STR("Selector", 1, u.svc.selector, "<none>"),
};

static const struct kube_column ingress_columns[] = {
    C_NAME,
    C_STR("Class", 0, u.ing.class_name, "<none>"),
    C_STR("Hosts", 0, u.ing.hosts, "*"),
    C_STR("Address", 0, u.ing.address, ""),
    C_FN("Ports", 0, cell_ingress_ports),
    C_AGE,
};

static const struct kube_column configmap_columns[] = {
    C_NAME,
    C_INT("Data", "string", 0, u.keys.nkeys),
    C_AGE,
};

static const struct kube_column secret_columns[] = {
    C_NAME,
    C_STR("Type", 0, u.keys.type, ""),
    C_INT("Data", "string", 0, u.keys.ndata),
    C_AGE,
};

static const struct kube_column serviceaccount_columns[] = {
    C_NAME,
    C_INT("Secrets", "string", 0, u.sa.nsecrets),
    C_AGE,
};

static const struct kube_column pvc_columns[] = {
    C_NAME,
    C_STR("Status", 0, u.pvc.phase, ""),
    C_STR("Volume", 0, u.pvc.volume, ""),
    C_STR("Capacity", 0, u.pvc.capacity, ""),
    C_STR("Access Modes", 0, u.pvc.access_modes, ""),
    C_STR("StorageClass", 0, u.pvc.storage_class, ""),
    C_STR("VolumeAttributesClass", 0, u.pvc.attr_class, "<unset>"),
    C_AGE,
    C_STR("VolumeMode", 1, u.pvc.volume_mode, "<unset>"),
};

static const struct kube_column node_columns[] = {
    C_NAME,
    C_STR("Status", 0, u.node.status, ""),
    C_STR("Roles", 0, u.node.roles, "<none>"),
    C_AGE,
    C_STR("Version", 0, u.node.kubelet_version, ""),
    C_STR("Internal-IP", 1, u.node.internal_ip, "<none>"),
    C_STR("External-IP", 1, u.node.external_ip, "<none>"),
    C_STR("OS-Image", 1, u.node.os_image, "<unknown>"),
    C_STR("Kernel-Version", 1, u.node.kernel, "<unknown>"),
    C_STR("Container-Runtime", 1, u.node.runtime, "<unknown>"),
};

static const struct kube_column namespace_columns[] = {
    C_NAME,
    C_STR("Status", 0, u.nsobj.phase, ""),
    C_AGE,
};

/* ---- the registry ---- */

#define FIELDS(a) a, ARRAY_LEN(a)
#define COLUMNS(a) a, ARRAY_LEN(a)

static const struct kube_resource kinds[KUBE_KIND_COUNT] = {
    [KUBE_POD] = {KUBE_POD, "", "v1", "pods", "pod", "Pod", "po", true, FIELDS(pod_fields),
                  kube_project_pod, COLUMNS(pod_columns)},
    [KUBE_SERVICE] = {KUBE_SERVICE, "", "v1", "services", "service", "Service", "svc", true,
                      FIELDS(service_fields), kube_project_service, COLUMNS(service_columns)},
    [KUBE_CONFIGMAP] = {KUBE_CONFIGMAP, "", "v1", "configmaps", "configmap", "ConfigMap", "cm",
                        true, FIELDS(keys_fields), kube_project_keys, COLUMNS(configmap_columns)},
    [KUBE_SECRET] = {KUBE_SECRET, "", "v1", "secrets", "secret", "Secret", "", true,
                     FIELDS(keys_fields), kube_project_keys, COLUMNS(secret_columns)},
    [KUBE_SERVICEACCOUNT] = {KUBE_SERVICEACCOUNT, "", "v1", "serviceaccounts", "serviceaccount",
                             "ServiceAccount", "sa", true, FIELDS(serviceaccount_fields),
                             kube_project_serviceaccount, COLUMNS(serviceaccount_columns)},
    [KUBE_PVC] = {KUBE_PVC, "", "v1", "persistentvolumeclaims", "persistentvolumeclaim",
                  "PersistentVolumeClaim", "pvc", true, FIELDS(pvc_fields), kube_project_pvc,
                  COLUMNS(pvc_columns)},
    [KUBE_EVENT] = {KUBE_EVENT, "", "v1", "events", "event", "Event", "ev", true,
                    FIELDS(event_fields), kube_project_event, COLUMNS(event_columns)},
    [KUBE_NODE] = {KUBE_NODE, "", "v1", "nodes", "node", "Node", "no", false, FIELDS(node_fields),
                   kube_project_node, COLUMNS(node_columns)},
    [KUBE_NAMESPACE] = {KUBE_NAMESPACE, "", "v1", "namespaces", "namespace", "Namespace", "ns",
                        false, FIELDS(namespace_fields), NULL, COLUMNS(namespace_columns)},
    [KUBE_DEPLOYMENT] = {KUBE_DEPLOYMENT, "apps", "v1", "deployments", "deployment", "Deployment",
                         "deploy", true, FIELDS(workload_fields), kube_project_workload,
                         COLUMNS(deployment_columns)},
    [KUBE_STATEFULSET] = {KUBE_STATEFULSET, "apps", "v1", "statefulsets", "statefulset",
                          "StatefulSet", "sts", true, FIELDS(workload_fields),
                          kube_project_workload, COLUMNS(statefulset_columns)},
    [KUBE_DAEMONSET] = {KUBE_DAEMONSET, "apps", "v1", "daemonsets", "daemonset", "DaemonSet", "ds",
                        true, FIELDS(workload_fields), kube_project_workload,
                        COLUMNS(daemonset_columns)},
    [KUBE_REPLICASET] = {KUBE_REPLICASET, "apps", "v1", "replicasets", "replicaset", "ReplicaSet",
                         "rs", true, FIELDS(workload_fields), kube_project_workload,
                         COLUMNS(replicaset_columns)},
    [KUBE_JOB] = {KUBE_JOB, "batch", "v1", "jobs", "job", "Job", "", true, FIELDS(job_fields),
                  kube_project_job, COLUMNS(job_columns)},
    [KUBE_INGRESS] = {KUBE_INGRESS, "networking.k8s.io", "v1", "ingresses", "ingress", "Ingress",
                      "ing", true, FIELDS(ingress_fields), kube_project_ingress,
                      COLUMNS(ingress_columns)},
};

const struct kube_resource *kube_resource_get(enum kube_kind k)
{
    return (int)k >= 0 && k < KUBE_KIND_COUNT ? &kinds[k] : NULL;
}

const struct kube_field *kube_meta_fields(size_t *n)
{
    *n = ARRAY_LEN(meta_fields);
    return meta_fields;
}

/* "deployments.apps", and "deployment.apps" as -o name prints it. */
static bool is_form_with_group(const struct kube_resource *r, const char *name)
{
    const char *forms[] = {r->plural, r->singular};
    for (size_t f = 0; f < ARRAY_LEN(forms); f++) {
        size_t fl = strlen(forms[f]);
        if (!strncasecmp(name, forms[f], fl) && name[fl] == '.' && *r->group &&
            !strcasecmp(name + fl + 1, r->group))
            return true;
    }
    return false;
}

static bool is_short_name(const struct kube_resource *r, const char *name)
{
    size_t nl = strlen(name);
    for (const char *s = r->shorts; *s;) {
        size_t l = strcspn(s, ",");
        if (l == nl && !strncasecmp(s, name, l))
            return true;
        s += l + (s[l] == ',');
    }
    return false;
}

const struct kube_resource *kube_resource_find(const char *name)
{
    if (str_empty(name))
        return NULL;
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
        const struct kube_resource *r = &kinds[i];
        if (!strcasecmp(name, r->plural) || !strcasecmp(name, r->singular) ||
            !strcasecmp(name, r->kind) || is_form_with_group(r, name) || is_short_name(r, name))
            return r;
    }
    return NULL;
}

const struct kube_resource *kube_resource_for(const char *api_version, const char *kind)
{
    if (!api_version || !kind)
        return NULL;
    const char *slash = strchr(api_version, '/');
    size_t glen = slash ? (size_t)(slash - api_version) : 0;
    const char *version = slash ? slash + 1 : api_version;
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
        const struct kube_resource *r = &kinds[i];
        if (!strcmp(r->kind, kind) && strlen(r->group) == glen &&
            !strncmp(r->group, api_version, glen) && !strcmp(r->version, version))
            return r;
    }
    return NULL;
}

void kube_resource_prefix(const struct kube_resource *r, struct strbuf *out)
{
    if (*r->group)
        strbuf_addf(out, "/apis/%s/%s", r->group, r->version);
    else
        strbuf_addf(out, "/api/%s", r->version);
}
