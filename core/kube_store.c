/* core/kube_store.c: the object cache. Strings go through a reference-counted
 * intern table; objects are small structs in an array (for iteration) with an
 * open-addressing index on the interned (namespace, name) pointers. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/kube_store.h"
#include "core/kube_watch.h"
#include "core/util.h"

/* ---- interned strings ---- */

struct istr {
    struct istr *next;
    uint32_t hash;
    uint32_t ref;
    char s[];
};

struct intern {
    struct istr **b;
    size_t nb, n;
    size_t bytes;
};

static uint32_t hash_str(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static const char *intern_n(struct intern *t, const char *s, size_t n)
{
    if (!s)
        return NULL;
    uint32_t h = hash_str(s, n);
    if (t->nb) {
        for (struct istr *e = t->b[h % t->nb]; e; e = e->next)
            if (e->hash == h && strncmp(e->s, s, n) == 0 && e->s[n] == '\0') {
                e->ref++;
                return e->s;
            }
    }
    if (t->n >= t->nb) {
        size_t nb = t->nb ? t->nb * 2 : 256;
        struct istr **b = xcalloc(nb, sizeof(*b));
        for (size_t i = 0; i < t->nb; i++) {
            struct istr *e = t->b[i];
            while (e) {
                struct istr *next = e->next;
                e->next = b[e->hash % nb];
                b[e->hash % nb] = e;
                e = next;
            }
        }
        free(t->b);
        t->b = b;
        t->nb = nb;
    }
    struct istr *e = xmalloc(sizeof(*e) + n + 1);
    memcpy(e->s, s, n);
    e->s[n] = '\0';
    e->hash = h;
    e->ref = 1;
    e->next = t->b[h % t->nb];
    t->b[h % t->nb] = e;
    t->n++;
    t->bytes += sizeof(*e) + n + 1;
    return e->s;
}

static const char *intern(struct intern *t, const char *s)
{
    return s ? intern_n(t, s, strlen(s)) : NULL;
}

static void intern_release(struct intern *t, const char *s)
{
    if (!s)
        return;
    struct istr *e = (struct istr *)(void *)(s - offsetof(struct istr, s));
    if (--e->ref > 0)
        return;
    struct istr **pp = &t->b[e->hash % t->nb];
    while (*pp != e)
        pp = &(*pp)->next;
    *pp = e->next;
    t->n--;
    t->bytes -= sizeof(*e) + strlen(e->s) + 1;
    free(e);
}

static void intern_done(struct intern *t)
{
    for (size_t i = 0; i < t->nb; i++) {
        struct istr *e = t->b[i];
        while (e) {
            struct istr *next = e->next;
            free(e);
            e = next;
        }
    }
    free(t->b);
}

/* ---- the store ---- */

struct sobj {
    struct kube_obj o;
    size_t idx; /* position in s->objs */
    bool seen;  /* during a relist */
};

struct sub {
    int id;
    kube_store_cb cb;
    void *arg;
};

struct kube_store {
    enum kube_kind kind;
    struct intern strs;
    struct sobj **objs;
    size_t n, cap;
    struct sobj **slots; /* open addressing, power of two */
    size_t nslots;
    struct sub *subs;
    size_t nsubs;
    int next_sub;
    bool synced;
    size_t extra_bytes; /* key and annotation arrays */
};

enum kube_kind kube_kind_of(const struct kube_resource *res)
{
    static const char *const kinds[KUBE_KIND_COUNT] = {
        [KUBE_POD] = "Pod",
        [KUBE_DEPLOYMENT] = "Deployment",
        [KUBE_STATEFULSET] = "StatefulSet",
        [KUBE_DAEMONSET] = "DaemonSet",
        [KUBE_REPLICASET] = "ReplicaSet",
        [KUBE_JOB] = "Job",
        [KUBE_EVENT] = "Event",
        [KUBE_SERVICE] = "Service",
        [KUBE_INGRESS] = "Ingress",
        [KUBE_CONFIGMAP] = "ConfigMap",
        [KUBE_SECRET] = "Secret",
        [KUBE_SERVICEACCOUNT] = "ServiceAccount",
        [KUBE_PVC] = "PersistentVolumeClaim",
        [KUBE_NODE] = "Node",
        [KUBE_NAMESPACE] = "Namespace",
    };
    for (int k = 0; k < KUBE_KIND_COUNT; k++)
        if (!strcmp(kinds[k], res->kind))
            return (enum kube_kind)k;
    return KUBE_KIND_COUNT;
}

struct kube_store *kube_store_new(enum kube_kind kind)
{
    struct kube_store *s = xcalloc(1, sizeof(*s));
    s->kind = kind;
    s->next_sub = 1;
    return s;
}

enum kube_kind kube_store_kind(const struct kube_store *s)
{
    return s->kind;
}

/* Addresses of every interned string field of an object, for release. */
static size_t obj_fields(enum kube_kind k, struct kube_obj *o, const char **f[20])
{
    size_t n = 0;
    f[n++] = &o->ns;
    f[n++] = &o->name;
    f[n++] = &o->uid;
    f[n++] = &o->component;
    f[n++] = &o->owner_kind;
    f[n++] = &o->owner_name;
    switch (k) {
    case KUBE_POD:
        f[n++] = &o->u.pod.phase;
        f[n++] = &o->u.pod.reason;
        f[n++] = &o->u.pod.node;
        f[n++] = &o->u.pod.last_reason;
        break;
    case KUBE_DEPLOYMENT:
    case KUBE_STATEFULSET:
    case KUBE_DAEMONSET:
    case KUBE_REPLICASET:
        f[n++] = &o->u.wl.progressing_reason;
        f[n++] = &o->u.wl.strategy;
        f[n++] = &o->u.wl.current_revision;
        f[n++] = &o->u.wl.update_revision;
        break;
    case KUBE_JOB:
        f[n++] = &o->u.job.failed_reason;
        f[n++] = &o->u.job.failed_message;
        break;
    case KUBE_EVENT:
        f[n++] = &o->u.ev.involved_kind;
        f[n++] = &o->u.ev.involved_name;
        f[n++] = &o->u.ev.reason;
        f[n++] = &o->u.ev.message;
        f[n++] = &o->u.ev.type;
        break;
    case KUBE_SERVICE:
        f[n++] = &o->u.svc.type;
        f[n++] = &o->u.svc.cluster_ip;
        f[n++] = &o->u.svc.ports;
        f[n++] = &o->u.svc.external;
        break;
    case KUBE_INGRESS:
        f[n++] = &o->u.ing.class_name;
        f[n++] = &o->u.ing.hosts;
        break;
    case KUBE_CONFIGMAP:
    case KUBE_SECRET:
        f[n++] = &o->u.keys.type;
        break;
    case KUBE_PVC:
        f[n++] = &o->u.pvc.phase;
        f[n++] = &o->u.pvc.volume;
        f[n++] = &o->u.pvc.capacity;
        f[n++] = &o->u.pvc.storage_class;
        break;
    case KUBE_NODE:
        f[n++] = &o->u.node.kubelet_version;
        f[n++] = &o->u.node.roles;
        break;
    case KUBE_NAMESPACE:
        f[n++] = &o->u.nsobj.phase;
        break;
    default:
        break;
    }
    return n;
}

static void obj_release(struct kube_store *s, struct kube_obj *o)
{
    const char **f[20];
    size_t n = obj_fields(s->kind, o, f);
    for (size_t i = 0; i < n; i++)
        intern_release(&s->strs, *f[i]);
    if (s->kind == KUBE_CONFIGMAP || s->kind == KUBE_SECRET) {
        for (unsigned i = 0; i < o->u.keys.nkeys; i++)
            intern_release(&s->strs, o->u.keys.keys[i]);
        s->extra_bytes -= o->u.keys.nkeys * sizeof(char *);
        free(o->u.keys.keys);
    }
    if (s->kind == KUBE_SERVICEACCOUNT) {
        struct kube_annotation *a = (struct kube_annotation *)o->u.sa.annotations;
        for (unsigned i = 0; i < o->u.sa.nannotations; i++) {
            intern_release(&s->strs, a[i].key);
            intern_release(&s->strs, a[i].value);
        }
        s->extra_bytes -= o->u.sa.nannotations * sizeof(*a);
        free(a);
    }
}

static int count_or(const cJSON *j, const char *path, int def)
{
    long long v = kj_int(j, path, def);
    if (v < -1 || v > 1000000000)
        return def;
    return (int)v;
}

static const cJSON *condition(const cJSON *obj, const char *type)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, kj_get(obj, "status.conditions"))
    {
        if (str_eq(kj_str(c, "type"), type))
            return c;
    }
    return NULL;
}

static const char *join_strings(struct kube_store *s, const cJSON *arr, const char *field,
                                const char *field2)
{
    struct strbuf sb;
    strbuf_init(&sb);
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        const cJSON *v = kj_get(it, field);
        if (!v)
            continue;
        if (sb.len)
            strbuf_addc(&sb, ',');
        if (cJSON_IsNumber(v))
            strbuf_addf(&sb, "%lld", (long long)v->valuedouble);
        else if (cJSON_IsString(v))
            strbuf_adds(&sb, v->valuestring);
        if (field2 && kj_str(it, field2))
            strbuf_addf(&sb, "/%s", kj_str(it, field2));
    }
    const char *r = sb.len ? intern(&s->strs, sb.buf) : NULL;
    strbuf_done(&sb);
    return r;
}

/* kubectl's STATUS column (printPod in kubectl's printers), restarts and
 * ready counts. */
static void parse_pod(struct kube_store *s, const cJSON *j, struct kube_obj *o)
{
    struct kube_pod *p = &o->u.pod;
    const char *phase = kj_str(j, "status.phase");
    const char *reason = kj_str(j, "status.reason");
    char buf[160];
    const char *r = !str_empty(reason) ? reason : phase;
    p->phase = intern(&s->strs, phase);
    p->node = intern(&s->strs, kj_str(j, "spec.nodeName"));
    unsigned restarts = 0;
    int total = cJSON_GetArraySize(kj_get(j, "spec.containers"));
    int ready = 0;
    bool initializing = false;
    const cJSON *ics = kj_get(j, "status.initContainerStatuses");
    int ninit = cJSON_GetArraySize(kj_get(j, "spec.initContainers"));
    int i = 0;
    const cJSON *cs;
    cJSON_ArrayForEach(cs, ics)
    {
        restarts += (unsigned)count_or(cs, "restartCount", 0);
        const char *tr = kj_str(cs, "state.terminated.reason");
        const char *wr = kj_str(cs, "state.waiting.reason");
        if (kj_has(cs, "state.terminated") && kj_int(cs, "state.terminated.exitCode", 0) == 0) {
            i++;
            continue;
        }
        if (!initializing) {
            if (kj_has(cs, "state.terminated")) {
                if (!str_empty(tr))
                    snprintf(buf, sizeof(buf), "Init:%.100s", tr);
                else if (kj_int(cs, "state.terminated.signal", 0) != 0)
                    snprintf(buf, sizeof(buf), "Init:Signal:%lld",
                             kj_int(cs, "state.terminated.signal", 0));
                else
                    snprintf(buf, sizeof(buf), "Init:ExitCode:%lld",
                             kj_int(cs, "state.terminated.exitCode", 0));
            } else if (!str_empty(wr) && strcmp(wr, "PodInitializing") != 0) {
                snprintf(buf, sizeof(buf), "Init:%.100s", wr);
            } else {
                snprintf(buf, sizeof(buf), "Init:%d/%d", i, ninit);
            }
            r = buf;
            initializing = true;
        }
        i++;
    }
    const cJSON *cstat = kj_get(j, "status.containerStatuses");
    if (!initializing) {
        bool running = false;
        int n = cJSON_GetArraySize(cstat);
        for (int k = n - 1; k >= 0; k--) {
            cs = cJSON_GetArrayItem(cstat, k);
            restarts += (unsigned)count_or(cs, "restartCount", 0);
            const char *wr = kj_str(cs, "state.waiting.reason");
            const char *tr = kj_str(cs, "state.terminated.reason");
            if (!str_empty(wr)) {
                r = wr;
            } else if (!str_empty(tr)) {
                r = tr;
            } else if (kj_has(cs, "state.terminated")) {
                if (kj_int(cs, "state.terminated.signal", 0) != 0)
                    snprintf(buf, sizeof(buf), "Signal:%lld",
                             kj_int(cs, "state.terminated.signal", 0));
                else
                    snprintf(buf, sizeof(buf), "ExitCode:%lld",
                             kj_int(cs, "state.terminated.exitCode", 0));
                r = buf;
            } else if (cJSON_IsTrue(kj_get(cs, "ready")) && kj_has(cs, "state.running")) {
                running = true;
                ready++;
            }
            const char *lr = kj_str(cs, "lastState.terminated.reason");
            if (!str_empty(lr) && !p->last_reason)
                p->last_reason = intern(&s->strs, lr);
        }
        if (str_eq(r, "Completed") && running) {
            const cJSON *rc = condition(j, "Ready");
            r = rc && str_eq(kj_str(rc, "status"), "True") ? "Running" : "NotReady";
        }
    } else {
        cJSON_ArrayForEach(cs, cstat) restarts += (unsigned)count_or(cs, "restartCount", 0);
    }
    if (o->deleted && str_eq(reason, "NodeLost"))
        r = "Unknown";
    else if (o->deleted)
        r = "Terminating";
    p->reason = intern(&s->strs, r ? r : "Unknown");
    p->ready = (unsigned short)(ready > 65535 ? 65535 : ready);
    p->total = (unsigned short)(total > 65535 ? 65535 : total);
    p->restarts = restarts;
}

static void parse_workload(struct kube_store *s, const cJSON *j, struct kube_obj *o)
{
    struct kube_workload *w = &o->u.wl;
    w->generation = o->generation;
    w->observed_generation = kj_int(j, "status.observedGeneration", 0);
    w->spec_replicas = kj_has(j, "spec.replicas") ? count_or(j, "spec.replicas", 0) : -1;
    w->replicas = count_or(j, "status.replicas", 0);
    w->updated = count_or(j, "status.updatedReplicas", 0);
    w->ready = count_or(j, "status.readyReplicas", 0);
    w->available = count_or(j, "status.availableReplicas", 0);
    w->current = count_or(j, "status.currentReplicas", 0);
    w->partition = -1;
    if (s->kind == KUBE_DEPLOYMENT) {
        const cJSON *c = condition(j, "Progressing");
        w->progressing_reason = intern(&s->strs, kj_str(c, "reason"));
        w->strategy = intern(&s->strs, kj_str(j, "spec.strategy.type"));
    } else if (s->kind == KUBE_STATEFULSET || s->kind == KUBE_DAEMONSET) {
        w->strategy = intern(&s->strs, kj_str(j, "spec.updateStrategy.type"));
        w->has_rolling_update = kj_has(j, "spec.updateStrategy.rollingUpdate");
        if (kj_has(j, "spec.updateStrategy.rollingUpdate.partition"))
            w->partition = count_or(j, "spec.updateStrategy.rollingUpdate.partition", 0);
        w->current_revision = intern(&s->strs, kj_str(j, "status.currentRevision"));
        w->update_revision = intern(&s->strs, kj_str(j, "status.updateRevision"));
        w->desired_scheduled = count_or(j, "status.desiredNumberScheduled", 0);
        w->updated_scheduled = count_or(j, "status.updatedNumberScheduled", 0);
        w->number_available = count_or(j, "status.numberAvailable", 0);
    }
}

static void parse_job(struct kube_store *s, const cJSON *j, struct kube_obj *o)
{
    struct kube_job *b = &o->u.job;
    b->completions = kj_has(j, "spec.completions") ? count_or(j, "spec.completions", 1) : -1;
    b->parallelism = count_or(j, "spec.parallelism", 1);
    b->backoff_limit = count_or(j, "spec.backoffLimit", 6);
    b->active = count_or(j, "status.active", 0);
    b->succeeded = count_or(j, "status.succeeded", 0);
    b->failed = count_or(j, "status.failed", 0);
    long long t = kube_time_parse(kj_str(j, "status.startTime"));
    b->start = t < 0 ? 0 : t;
    t = kube_time_parse(kj_str(j, "status.completionTime"));
    b->completion = t < 0 ? 0 : t;
    const cJSON *c = condition(j, "Complete");
    b->complete = c && str_eq(kj_str(c, "status"), "True");
    c = condition(j, "Failed");
    if (c && str_eq(kj_str(c, "status"), "True")) {
        b->failed_cond = true;
        b->failed_reason = intern(&s->strs, kj_str(c, "reason"));
        b->failed_message = intern(&s->strs, kj_str(c, "message"));
    }
}

/* kubectl's EXTERNAL-IP: external IPs, load balancer ingress, or the
 * ExternalName; "<pending>" for a LoadBalancer without one; NULL: <none>. */
static const char *service_external(struct kube_store *s, const cJSON *j)
{
    const char *type = kj_str(j, "spec.type");
    if (str_eq(type, "ExternalName"))
        return intern(&s->strs, kj_str(j, "spec.externalName"));
    struct strbuf sb;
    strbuf_init(&sb);
    const cJSON *it;
    if (str_eq(type, "LoadBalancer")) {
        cJSON_ArrayForEach(it, kj_get(j, "status.loadBalancer.ingress"))
        {
            const char *v = kj_str(it, "ip") ? kj_str(it, "ip") : kj_str(it, "hostname");
            if (v) {
                if (sb.len)
                    strbuf_addc(&sb, ',');
                strbuf_adds(&sb, v);
            }
        }
    }
    cJSON_ArrayForEach(it, kj_get(j, "spec.externalIPs"))
    {
        if (cJSON_IsString(it)) {
            if (sb.len)
                strbuf_addc(&sb, ',');
            strbuf_adds(&sb, it->valuestring);
        }
    }
    if (!sb.len && str_eq(type, "LoadBalancer"))
        strbuf_adds(&sb, "<pending>");
    const char *r = sb.len ? intern(&s->strs, sb.buf) : NULL;
    strbuf_done(&sb);
    return r;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* kubectl's ROLES: node-role.kubernetes.io/ROLE labels and kubernetes.io/role, sorted. */
static const char *node_roles(struct kube_store *s, const cJSON *j)
{
    const cJSON *labels = kj_get(j, "metadata.labels");
    const char *roles[32];
    size_t n = 0;
    const cJSON *it;
    if (!cJSON_IsObject(labels))
        return NULL;
    cJSON_ArrayForEach(it, labels)
    {
        if (n < ARRAY_LEN(roles) && str_starts_with(it->string, "node-role.kubernetes.io/") &&
            it->string[24])
            roles[n++] = it->string + 24;
        else if (n < ARRAY_LEN(roles) && !strcmp(it->string, "kubernetes.io/role") &&
                 cJSON_IsString(it) && *it->valuestring)
            roles[n++] = it->valuestring;
    }
    if (!n)
        return NULL;
    qsort(roles, n, sizeof(roles[0]), cmp_str);
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(roles[i], roles[i - 1]))
            continue;
        if (sb.len)
            strbuf_addc(&sb, ',');
        strbuf_adds(&sb, roles[i]);
    }
    const char *r = intern(&s->strs, sb.buf);
    strbuf_done(&sb);
    return r;
}

static void parse_kind(struct kube_store *s, const cJSON *j, struct kube_obj *o)
{
    switch (s->kind) {
    case KUBE_POD:
        parse_pod(s, j, o);
        break;
    case KUBE_DEPLOYMENT:
    case KUBE_STATEFULSET:
    case KUBE_DAEMONSET:
    case KUBE_REPLICASET:
        parse_workload(s, j, o);
        break;
    case KUBE_JOB:
        parse_job(s, j, o);
        break;
    case KUBE_EVENT: {
        struct kube_event *e = &o->u.ev;
        e->involved_kind = intern(&s->strs, kj_str(j, "involvedObject.kind"));
        e->involved_name = intern(&s->strs, kj_str(j, "involvedObject.name"));
        e->reason = intern(&s->strs, kj_str(j, "reason"));
        e->message = intern(&s->strs, kj_str(j, "message"));
        e->type = intern(&s->strs, kj_str(j, "type"));
        e->count = (unsigned)count_or(j, "count", 1);
        long long t = kube_time_parse(kj_str(j, "lastTimestamp"));
        if (t < 0)
            t = kube_time_parse(kj_str(j, "series.lastObservedTime"));
        if (t < 0)
            t = kube_time_parse(kj_str(j, "eventTime"));
        e->last = t < 0 ? o->created : t;
        break;
    }
    case KUBE_SERVICE:
        o->u.svc.type = intern(&s->strs, kj_str(j, "spec.type"));
        o->u.svc.cluster_ip = intern(&s->strs, kj_str(j, "spec.clusterIP"));
        o->u.svc.ports = join_strings(s, kj_get(j, "spec.ports"), "port", "protocol");
        o->u.svc.external = service_external(s, j);
        break;
    case KUBE_INGRESS:
        o->u.ing.class_name = intern(&s->strs, kj_str(j, "spec.ingressClassName"));
        o->u.ing.hosts = join_strings(s, kj_get(j, "spec.rules"), "host", NULL);
        break;
    case KUBE_CONFIGMAP:
    case KUBE_SECRET: {
        struct kube_keys *k = &o->u.keys;
        k->type = intern(&s->strs, kj_str(j, "type"));
        const cJSON *maps[2] = {kj_get(j, "data"), kj_get(j, "binaryData")};
        unsigned n = (unsigned)(cJSON_GetArraySize(maps[0]) + cJSON_GetArraySize(maps[1]));
        k->keys = n ? xcalloc(n, sizeof(char *)) : NULL;
        for (int m = 0; m < 2; m++) {
            const cJSON *it;
            if (!cJSON_IsObject(maps[m]))
                continue;
            cJSON_ArrayForEach(it, maps[m])
            {
                if (k->nkeys < n)
                    k->keys[k->nkeys++] = intern(&s->strs, it->string);
            }
        }
        s->extra_bytes += k->nkeys * sizeof(char *);
        break;
    }
    case KUBE_SERVICEACCOUNT: {
        const cJSON *an = kj_get(j, "metadata.annotations");
        unsigned n = cJSON_IsObject(an) ? (unsigned)cJSON_GetArraySize(an) : 0;
        struct kube_annotation *a = n ? xcalloc(n, sizeof(*a)) : NULL;
        unsigned k = 0;
        const cJSON *it;
        if (n) {
            cJSON_ArrayForEach(it, an)
            {
                if (cJSON_IsString(it) && k < n) {
                    a[k].key = intern(&s->strs, it->string);
                    a[k].value = intern(&s->strs, it->valuestring);
                    k++;
                }
            }
        }
        o->u.sa.annotations = a;
        o->u.sa.nannotations = k;
        s->extra_bytes += k * sizeof(*a);
        break;
    }
    case KUBE_PVC:
        o->u.pvc.phase = intern(&s->strs, kj_str(j, "status.phase"));
        o->u.pvc.volume = intern(&s->strs, kj_str(j, "spec.volumeName"));
        o->u.pvc.capacity = intern(&s->strs, kj_str(j, "status.capacity.storage"));
        o->u.pvc.storage_class = intern(&s->strs, kj_str(j, "spec.storageClassName"));
        break;
    case KUBE_NODE: {
        const cJSON *c = condition(j, "Ready");
        o->u.node.ready = c && str_eq(kj_str(c, "status"), "True");
        o->u.node.unschedulable = cJSON_IsTrue(kj_get(j, "spec.unschedulable"));
        o->u.node.kubelet_version = intern(&s->strs, kj_str(j, "status.nodeInfo.kubeletVersion"));
        o->u.node.roles = node_roles(s, j);
        break;
    }
    case KUBE_NAMESPACE:
        o->u.nsobj.phase = intern(&s->strs, kj_str(j, "status.phase"));
        break;
    default:
        break;
    }
}

static unsigned long long parse_rv(const char *rv)
{
    if (str_empty(rv) || strlen(rv) > 19)
        return 0;
    unsigned long long v = 0;
    for (const char *p = rv; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10 + (unsigned)(*p - '0');
    }
    return v;
}

static int obj_parse(struct kube_store *s, const cJSON *j, struct kube_obj *o, struct error *err)
{
    memset(o, 0, sizeof(*o));
    const char *name = kj_str(j, "metadata.name");
    if (str_empty(name))
        return error_set(err, ERR_PARSE, 0, "object without metadata.name");
    const char *ns = kj_str(j, "metadata.namespace");
    o->ns = intern(&s->strs, ns ? ns : "");
    o->name = intern(&s->strs, name);
    o->uid = intern(&s->strs, kj_str(j, "metadata.uid"));
    const cJSON *labels = kj_get(j, "metadata.labels");
    const cJSON *l = cJSON_IsObject(labels)
                         ? cJSON_GetObjectItemCaseSensitive(labels, "app.kubernetes.io/component")
                         : NULL;
    if (!cJSON_IsString(l) && cJSON_IsObject(labels))
        l = cJSON_GetObjectItemCaseSensitive(labels, "component");
    if (!cJSON_IsString(l) && cJSON_IsObject(labels))
        l = cJSON_GetObjectItemCaseSensitive(labels, "app");
    o->component = cJSON_IsString(l) ? intern(&s->strs, l->valuestring) : NULL;
    const cJSON *owners = kj_get(j, "metadata.ownerReferences");
    const cJSON *own = NULL, *it;
    cJSON_ArrayForEach(it, owners)
    {
        if (!own || cJSON_IsTrue(kj_get(it, "controller")))
            own = it;
    }
    o->owner_kind = intern(&s->strs, kj_str(own, "kind"));
    o->owner_name = intern(&s->strs, kj_str(own, "name"));
    o->rv = parse_rv(kj_str(j, "metadata.resourceVersion"));
    long long t = kube_time_parse(kj_str(j, "metadata.creationTimestamp"));
    o->created = t < 0 ? 0 : t;
    t = kube_time_parse(kj_str(j, "metadata.deletionTimestamp"));
    o->deleted = t < 0 ? 0 : t;
    o->generation = kj_int(j, "metadata.generation", 0);
    parse_kind(s, j, o);
    return 0;
}

/* ---- index ---- */

static size_t slot_hash(const char *ns, const char *name)
{
    uintptr_t h = (uintptr_t)ns * 0x9E3779B97F4A7C15ull ^ (uintptr_t)name * 0xC2B2AE3D27D4EB4Full;
    return (size_t)(h ^ (h >> 29));
}

static struct sobj **slot_find(const struct kube_store *s, const char *ns, const char *name)
{
    size_t mask = s->nslots - 1;
    for (size_t i = slot_hash(ns, name) & mask;; i = (i + 1) & mask) {
        struct sobj *o = s->slots[i];
        if (!o || (o->o.ns == ns && o->o.name == name))
            return &s->slots[i];
    }
}

static void index_grow(struct kube_store *s)
{
    size_t old = s->nslots;
    struct sobj **slots = s->slots;
    s->nslots = old ? old * 2 : 64;
    s->slots = xcalloc(s->nslots, sizeof(*s->slots));
    for (size_t i = 0; i < old; i++)
        if (slots[i])
            *slot_find(s, slots[i]->o.ns, slots[i]->o.name) = slots[i];
    free(slots);
}

/* Linear probing deletion: shift back the entries that follow. */
static void index_remove(struct kube_store *s, struct sobj *o)
{
    size_t mask = s->nslots - 1;
    size_t i = (size_t)(slot_find(s, o->o.ns, o->o.name) - s->slots);
    s->slots[i] = NULL;
    for (size_t j = (i + 1) & mask; s->slots[j]; j = (j + 1) & mask) {
        struct sobj *e = s->slots[j];
        s->slots[j] = NULL;
        *slot_find(s, e->o.ns, e->o.name) = e;
    }
}

static struct sobj *store_lookup(const struct kube_store *s, const char *ns, const char *name)
{
    if (!s->nslots)
        return NULL;
    return *slot_find(s, ns, name);
}

static void notify(struct kube_store *s, enum kube_change ch, const struct kube_obj *o)
{
    for (size_t i = 0; i < s->nsubs; i++)
        s->subs[i].cb(s->kind, ch, o, s->subs[i].arg);
}

static void store_remove(struct kube_store *s, struct sobj *o)
{
    index_remove(s, o);
    s->objs[o->idx] = s->objs[--s->n];
    s->objs[o->idx]->idx = o->idx;
    notify(s, KUBE_DELETED, &o->o);
    obj_release(s, &o->o);
    free(o);
}

int kube_store_apply(struct kube_store *s, const char *type, const cJSON *j, struct error *err)
{
    struct kube_obj n;
    if (obj_parse(s, j, &n, err) < 0)
        return -1;
    struct sobj *cur = store_lookup(s, n.ns, n.name);
    bool del = type && !strcmp(type, "DELETED");
    if (cur && n.rv && cur->o.rv && n.rv < cur->o.rv) {
        /* An event older than what we hold (a replay after reconnecting). */
        cur->seen = true;
        obj_release(s, &n);
        return 0;
    }
    if (del) {
        obj_release(s, &n);
        if (cur)
            store_remove(s, cur);
        return 0;
    }
    if (cur) {
        cur->seen = true;
        if (n.rv && n.rv == cur->o.rv) {
            obj_release(s, &n);
            return 0;
        }
        struct kube_obj old = cur->o;
        cur->o = n;
        obj_release(s, &old);
        notify(s, KUBE_MODIFIED, &cur->o);
        return 0;
    }
    if ((s->n + 1) * 2 > s->nslots)
        index_grow(s);
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->objs = xrealloc(s->objs, s->cap * sizeof(*s->objs));
    }
    struct sobj *o = xmalloc(sizeof(*o));
    o->o = n;
    o->idx = s->n;
    o->seen = true;
    s->objs[s->n++] = o;
    *slot_find(s, o->o.ns, o->o.name) = o;
    notify(s, KUBE_ADDED, &o->o);
    return 0;
}

void kube_store_relist_begin(struct kube_store *s)
{
    for (size_t i = 0; i < s->n; i++)
        s->objs[i]->seen = false;
}

void kube_store_relist_end(struct kube_store *s)
{
    for (size_t i = s->n; i-- > 0;)
        if (!s->objs[i]->seen)
            store_remove(s, s->objs[i]);
    s->synced = true;
}

void kube_store_free(struct kube_store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        obj_release(s, &s->objs[i]->o);
        free(s->objs[i]);
    }
    free(s->objs);
    free(s->slots);
    free(s->subs);
    intern_done(&s->strs);
    free(s);
}

int kube_store_subscribe(struct kube_store *s, kube_store_cb cb, void *arg)
{
    s->subs = xrealloc(s->subs, (s->nsubs + 1) * sizeof(*s->subs));
    s->subs[s->nsubs] = (struct sub){s->next_sub, cb, arg};
    s->nsubs++;
    return s->next_sub++;
}

void kube_store_unsubscribe(struct kube_store *s, int id)
{
    for (size_t i = 0; i < s->nsubs; i++)
        if (s->subs[i].id == id) {
            memmove(&s->subs[i], &s->subs[i + 1], (s->nsubs - i - 1) * sizeof(*s->subs));
            s->nsubs--;
            return;
        }
}

size_t kube_store_count(const struct kube_store *s)
{
    return s->n;
}

const struct kube_obj *kube_store_at(const struct kube_store *s, size_t i)
{
    return i < s->n ? &s->objs[i]->o : NULL;
}

const struct kube_obj *kube_store_find(const struct kube_store *s, const char *ns, const char *name)
{
    /* Interned pointers are the keys: find the interned copies first. */
    struct kube_store *m = (struct kube_store *)s;
    const char *ins = intern(&m->strs, ns ? ns : "");
    const char *iname = intern(&m->strs, name);
    struct sobj *o = store_lookup(s, ins, iname);
    intern_release(&m->strs, ins);
    intern_release(&m->strs, iname);
    return o ? &o->o : NULL;
}

size_t kube_store_memory(const struct kube_store *s)
{
    return sizeof(*s) + s->cap * sizeof(*s->objs) + s->nslots * sizeof(*s->slots) +
           s->n * sizeof(struct sobj) + s->strs.nb * sizeof(*s->strs.b) + s->strs.bytes +
           s->extra_bytes;
}

bool kube_store_synced(const struct kube_store *s)
{
    return s->synced;
}

/* ---- feeding from a watch ---- */

static void sw_begin(void *arg)
{
    kube_store_relist_begin(arg);
}

static void sw_item(const cJSON *obj, void *arg)
{
    kube_store_apply(arg, NULL, obj, NULL);
}

static void sw_end(const char *rv, void *arg)
{
    kube_store_relist_end(arg);
}

static void sw_event(const char *type, const cJSON *obj, void *arg)
{
    kube_store_apply(arg, type, obj, NULL);
}

struct kube_watch *kube_store_watch(struct kube_store *s, struct kube_client *c,
                                    const struct kube_watch_opts *o)
{
    static const struct kube_watch_handlers h = {sw_begin, sw_item, sw_end, sw_event, NULL, NULL};
    return kube_watch_start(c, o, &h, s);
}

/* ---- one object outside a store ---- */

struct obj_holder {
    struct kube_obj o; /* first: the caller's pointer */
    struct kube_store *s;
};

struct kube_obj *kube_obj_parse(enum kube_kind kind, const cJSON *obj, struct error *err)
{
    struct kube_store *s = kube_store_new(kind);
    struct obj_holder *h = xcalloc(1, sizeof(*h));
    if (obj_parse(s, obj, &h->o, err) < 0) {
        kube_store_free(s);
        free(h);
        return NULL;
    }
    h->s = s;
    return &h->o;
}

void kube_obj_free(struct kube_obj *o)
{
    if (!o)
        return;
    struct obj_holder *h = (struct obj_holder *)(void *)o;
    obj_release(h->s, &h->o);
    kube_store_free(h->s);
    free(h);
}
