/* core/kube_project.c: the fields each kind's project function computes
 * (the registry's fields with a JSON path are read by core/kube_obj.c):
 * what kubectl computes, with its rules (kubernetes pkg/printers/internalversion/
 * printers.go: printPod, printJob, printService, printIngress, printNode,
 * printEvent, printPersistentVolumeClaim; apimachinery's label selector
 * and label formatting). Every string is interned, so equal strings are
 * shared between objects. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kube_intern.h"
#include "core/kube_json.h"
#include "core/kube_jval.h"
#include "core/kube_keys.h"
#include "core/kube_kinds.h"
#include "core/kube_project.h"
#include "core/util.h"

const char *kube_proj_intern(struct kube_proj *p, const char *s)
{
    return kube_intern(p->t, s);
}

/* Interns and frees a built string; an empty one is NULL. */
static const char *take(struct kube_proj *p, struct strbuf *sb)
{
    const char *r = sb->len ? kube_intern(p->t, sb->buf) : NULL;
    strbuf_done(sb);
    return r;
}

int kube_proj_count(const cJSON *j, const char *path, int def)
{
    return kjv_count(kj_get(j, path), def);
}

long long kube_proj_time(const cJSON *j, const char *path)
{
    return kjv_time(kj_get(j, path));
}

/* The first condition of a type (as the printers' hasJobCondition), or NULL. */
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

static bool condition_true(const cJSON *obj, const char *type)
{
    return str_eq(kj_str(condition(obj, type), "status"), "True");
}

static void list_add(struct strbuf *sb, const char *sep, const char *s)
{
    if (sb->len)
        strbuf_adds(sb, sep);
    strbuf_adds(sb, s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts and joins strings, dropping repeats (Go's sets.String.List()). */
static const char *join_sorted(struct kube_proj *p, const char **v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_str);
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < n; i++)
        if (!i || strcmp(v[i], v[i - 1]) != 0)
            list_add(&sb, ",", v[i]);
    return take(p, &sb);
}

/* labels.FormatLabels: "k=v,..." sorted by key; NULL for none. */
static const char *format_labels(struct kube_proj *p, const cJSON *map)
{
    size_t n = cJSON_IsObject(map) ? (size_t)cJSON_GetArraySize(map) : 0;
    if (!n)
        return NULL;
    char **pairs = xcalloc(n, sizeof(*pairs));
    size_t k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, map)
    {
        if (cJSON_IsString(it))
            pairs[k++] = xasprintf("%s=%s", it->string, it->valuestring);
    }
    qsort(pairs, k, sizeof(*pairs), cmp_str);
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < k; i++) {
        list_add(&sb, ",", pairs[i]);
        free(pairs[i]);
    }
    free(pairs);
    return take(p, &sb);
}

struct requirement {
    const char *key;
    char *text;
};

static int cmp_req(const void *a, const void *b)
{
    return strcmp(((const struct requirement *)a)->key, ((const struct requirement *)b)->key);
}

/* One matchExpressions entry as apimachinery's Requirement.String(). */
static char *expression_text(const cJSON *e)
{
    const char *key = kj_str(e, "key"), *op = kj_str(e, "operator");
    if (!key || !op)
        return NULL;
    if (!strcmp(op, "Exists"))
        return xstrdup(key);
    if (!strcmp(op, "DoesNotExist"))
        return xasprintf("!%s", key);
    if (strcmp(op, "In") != 0 && strcmp(op, "NotIn") != 0)
        return NULL;
    const cJSON *vals = kj_get(e, "values");
    size_t n = (size_t)cJSON_GetArraySize(vals), k = 0;
    const char **v = xcalloc(n ? n : 1, sizeof(*v));
    const cJSON *it;
    cJSON_ArrayForEach(it, vals)
    {
        if (cJSON_IsString(it))
            v[k++] = it->valuestring;
    }
    qsort(v, k, sizeof(*v), cmp_str);
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "%s %s (", key, !strcmp(op, "In") ? "in" : "notin");
    for (size_t i = 0; i < k; i++)
        if (!i || strcmp(v[i], v[i - 1]) != 0)
            strbuf_addf(&sb, "%s%s", i ? "," : "", v[i]);
    strbuf_addc(&sb, ')');
    free(v);
    return strbuf_detach(&sb, NULL);
}

/* metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key,
 * joined by ','. NULL for none (or an empty selector). */
static const char *format_selector(struct kube_proj *p, const cJSON *sel)
{
    const cJSON *ml = kj_get(sel, "matchLabels"), *me = kj_get(sel, "matchExpressions");
    size_t n = (size_t)cJSON_GetArraySize(ml) + (size_t)cJSON_GetArraySize(me), k = 0;
    if (!n)
        return NULL;
    struct requirement *r = xcalloc(n, sizeof(*r));
    const cJSON *it;
    if (cJSON_IsObject(ml)) {
        cJSON_ArrayForEach(it, ml)
        {
            if (cJSON_IsString(it) && k < n) {
                r[k].key = it->string;
                r[k++].text = xasprintf("%s=%s", it->string, it->valuestring);
            }
        }
    }
    cJSON_ArrayForEach(it, me)
    {
        char *text = expression_text(it);
        if (text && k < n) {
            r[k].key = kj_str(it, "key");
            r[k++].text = text;
        } else {
            free(text);
        }
    }
    qsort(r, k, sizeof(*r), cmp_req);
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < k; i++) {
        list_add(&sb, ",", r[i].text);
        free(r[i].text);
    }
    free(r);
    return take(p, &sb);
}

/* layoutContainerCells: container names and images, comma-separated. */
static void project_template(struct kube_proj *p, const cJSON *j, struct kube_template *t)
{
    struct strbuf names, images;
    strbuf_init(&names);
    strbuf_init(&images);
    const cJSON *c;
    int i = 0;
    cJSON_ArrayForEach(c, kj_get(j, "spec.template.spec.containers"))
    {
        const char *n = kj_str(c, "name"), *img = kj_str(c, "image");
        strbuf_addf(&names, "%s%s", i ? "," : "", n ? n : "");
        strbuf_addf(&images, "%s%s", i ? "," : "", img ? img : "");
        i++;
    }
    t->containers = take(p, &names);
    t->images = take(p, &images);
    t->selector = format_selector(p, kj_get(j, "spec.selector"));
}

/* ---- pods: printPod ---- */

/* The members keys[0..n) of object o, the first of each name as kj_get
 * finds it (NULL when o is not an object or has none): one pass over o by
 * the names' numbers (kube_keys.h) instead of a walk from the top per
 * lookup. */
static inline __attribute__((always_inline)) void pick(const cJSON *o, const enum kube_key *keys,
                                                       size_t n, const cJSON **out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = NULL;
    if (!o || !(o->type & cJSON_Object))
        return;
    for (const cJSON *c = o->child; c; c = c->next) {
        enum kube_key k = kube_key_of(c);
        if (k == KK_NONE)
            continue;
        for (size_t i = 0; i < n; i++)
            if (keys[i] == k) {
                if (!out[i])
                    out[i] = c;
                break;
            }
    }
}

#define PICK(o, out, ...)                                                                          \
    do {                                                                                           \
        static const enum kube_key keys_[] = {__VA_ARGS__};                                        \
        pick(o, keys_, ARRAY_LEN(keys_), out);                                                     \
    } while (0)

/* The first condition of a type in the list conds (condition() above). */
static const cJSON *condition_in(const cJSON *conds, const char *type)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, conds)
    {
        if (str_eq(kjv_str(kube_key_get(c, KK_type)), type))
            return c;
    }
    return NULL;
}

static bool condition_in_true(const cJSON *conds, const char *type)
{
    return str_eq(kjv_str(kube_key_get(condition_in(conds, type), KK_status)), "True");
}

/* What the printer reads of a pod, found in one pass per object. */
struct pod_json {
    const cJSON *containers, *inits, *gates;             /* spec */
    const cJSON *phase, *reason, *conds, *init_statuses; /* status */
    const cJSON *statuses, *pod_ips, *pod_ip;
};

static void pod_json_read(const cJSON *j, struct pod_json *pj)
{
    const cJSON *top[2], *spec[3], *st[7];
    PICK(j, top, KK_spec, KK_status);
    PICK(top[0], spec, KK_containers, KK_initContainers, KK_readinessGates);
    PICK(top[1], st, KK_phase, KK_reason, KK_conditions, KK_initContainerStatuses,
         KK_containerStatuses, KK_podIPs, KK_podIP);
    *pj = (struct pod_json){spec[0], spec[1], spec[2], st[0], st[1],
                            st[2],   st[3],   st[4],   st[5], st[6]};
}

/* A container status's members the printer reads. */
struct cstat {
    const cJSON *name, *restarts, *ready, *started;
    const cJSON *running, *term, *w_reason, *t_reason, *t_exit, *t_signal;
    const cJSON *last_term, *last_reason, *last_finished;
};

static void cstat_read(const cJSON *cs, struct cstat *c)
{
    const cJSON *m[6], *state[3], *w[1], *t[3], *last[1], *lt[2];
    PICK(cs, m, KK_name, KK_restartCount, KK_ready, KK_started, KK_state, KK_lastState);
    PICK(m[4], state, KK_waiting, KK_running, KK_terminated);
    PICK(state[0], w, KK_reason);
    PICK(state[2], t, KK_reason, KK_exitCode, KK_signal);
    PICK(m[5], last, KK_terminated);
    PICK(last[0], lt, KK_reason, KK_finishedAt);
    *c = (struct cstat){m[0], m[1], m[2], m[3],    state[1], state[2], w[0],
                        t[0], t[1], t[2], last[0], lt[0],    lt[1]};
}

struct pod_state {
    const char *reason;
    char buf[160];
    int ready, total;
    unsigned restarts;
    long long last_restart;
    bool initializing;
};

static void note_restart(const struct cstat *cs, unsigned *restarts, long long *last)
{
    *restarts += (unsigned)kjv_count(cs->restarts, 0);
    if (kjv_has(cs->last_term)) {
        long long t = kjv_time(cs->last_finished);
        if (t > *last)
            *last = t;
    }
}

/* A sidecar: an init container with restartPolicy Always. */
static bool restartable_init(const cJSON *spec_inits, const char *name)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, spec_inits)
    {
        const cJSON *m[2];
        PICK(c, m, KK_name, KK_restartPolicy);
        if (str_eq(kjv_str(m[0]), name))
            return str_eq(kjv_str(m[1]), "Always");
    }
    return false;
}

/* The init containers: the first one not done sets Init:... and stops the
 * walk (restarts counted up to it). Sidecars that started count as
 * containers. */
static void pod_init_containers(const struct pod_json *pj, struct pod_state *s,
                                unsigned *side_restarts, long long *side_last)
{
    int ninit = cJSON_GetArraySize(pj->inits);
    int i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, pj->init_statuses)
    {
        struct cstat cs;
        cstat_read(it, &cs);
        note_restart(&cs, &s->restarts, &s->last_restart);
        bool sidecar = restartable_init(pj->inits, kjv_str(cs.name));
        if (sidecar)
            note_restart(&cs, side_restarts, side_last);
        const char *tr = kjv_str(cs.t_reason);
        const char *wr = kjv_str(cs.w_reason);
        if (kjv_has(cs.term) && kjv_int(cs.t_exit, 0) == 0) {
            i++;
            continue;
        }
        if (sidecar && kjv_true(cs.started)) {
            if (kjv_true(cs.ready))
                s->ready++;
            i++;
            continue;
        }
        if (kjv_has(cs.term)) {
            if (!str_empty(tr))
                snprintf(s->buf, sizeof(s->buf), "Init:%.100s", tr);
            else if (kjv_int(cs.t_signal, 0) != 0)
                snprintf(s->buf, sizeof(s->buf), "Init:Signal:%lld", kjv_int(cs.t_signal, 0));
            else
                snprintf(s->buf, sizeof(s->buf), "Init:ExitCode:%lld", kjv_int(cs.t_exit, 0));
        } else if (!str_empty(wr) && strcmp(wr, "PodInitializing") != 0) {
            snprintf(s->buf, sizeof(s->buf), "Init:%.100s", wr);
        } else {
            snprintf(s->buf, sizeof(s->buf), "Init:%d/%d", i, ninit);
        }
        s->reason = s->buf;
        s->initializing = true;
        break;
    }
}

/* The containers, last to first, so the first container's state wins. */
static void pod_containers(struct kube_proj *p, const struct pod_json *pj, struct kube_obj *o,
                           struct pod_state *s)
{
    bool running = false;
    for (int k = cJSON_GetArraySize(pj->statuses) - 1; k >= 0; k--) {
        struct cstat cs;
        cstat_read(cJSON_GetArrayItem(pj->statuses, k), &cs);
        note_restart(&cs, &s->restarts, &s->last_restart);
        const char *wr = kjv_str(cs.w_reason);
        const char *tr = kjv_str(cs.t_reason);
        if (!str_empty(wr)) {
            s->reason = wr;
        } else if (!str_empty(tr)) {
            s->reason = tr;
        } else if (kjv_has(cs.term)) {
            if (kjv_int(cs.t_signal, 0) != 0)
                snprintf(s->buf, sizeof(s->buf), "Signal:%lld", kjv_int(cs.t_signal, 0));
            else
                snprintf(s->buf, sizeof(s->buf), "ExitCode:%lld", kjv_int(cs.t_exit, 0));
            s->reason = s->buf;
        } else if (kjv_true(cs.ready) && kjv_has(cs.running)) {
            running = true;
            s->ready++;
        }
        const char *lr = kjv_str(cs.last_reason);
        if (!str_empty(lr) && !o->u.pod.last_reason)
            o->u.pod.last_reason = kube_intern(p->t, lr);
    }
    /* A pod whose containers completed but one still runs is Running. */
    if (str_eq(s->reason, "Completed") && running)
        s->reason = condition_in_true(pj->conds, "Ready") ? "Running" : "NotReady";
}

static const char *readiness_gates(struct kube_proj *p, const struct pod_json *pj)
{
    int n = cJSON_GetArraySize(pj->gates), ok = 0;
    if (n <= 0)
        return NULL;
    const cJSON *g;
    cJSON_ArrayForEach(g, pj->gates)
    {
        if (condition_in_true(pj->conds, kjv_str(kube_key_get(g, KK_conditionType))))
            ok++;
    }
    char buf[32];
    snprintf(buf, sizeof(buf), "%d/%d", ok, n);
    return kube_intern(p->t, buf);
}

void kube_project_pod(struct kube_proj *p, const cJSON *j, struct kube_obj *o)
{
    struct kube_pod *pod = &o->u.pod;
    struct pod_json pj;
    pod_json_read(j, &pj);
    const char *phase = kjv_str(pj.phase);
    const char *reason = kjv_str(pj.reason);
    struct pod_state s = {.reason = !str_empty(reason) ? reason : phase};
    s.total = cJSON_GetArraySize(pj.containers);
    const cJSON *c;
    cJSON_ArrayForEach(c, pj.inits)
    {
        if (str_eq(kjv_str(kube_key_get(c, KK_restartPolicy)), "Always"))
            s.total++;
    }
    const cJSON *sched = condition_in(pj.conds, "PodScheduled");
    if (str_eq(kjv_str(kube_key_get(sched, KK_reason)), "SchedulingGated"))
        s.reason = "SchedulingGated";
    unsigned side_restarts = 0;
    long long side_last = 0;
    pod_init_containers(&pj, &s, &side_restarts, &side_last);
    if (!s.initializing || condition_in_true(pj.conds, "Initialized")) {
        /* Once initialized, only sidecars' restarts count of the init containers. */
        s.restarts = side_restarts;
        s.last_restart = side_last;
        pod_containers(p, &pj, o, &s);
    }
    bool terminal = str_eq(phase, "Succeeded") || str_eq(phase, "Failed");
    if (o->deleted && str_eq(reason, "NodeLost"))
        s.reason = "Unknown";
    else if (o->deleted && !terminal)
        s.reason = "Terminating";
    pod->reason = kube_intern(p->t, s.reason ? s.reason : "");
    pod->ready = (unsigned short)(s.ready > 65535 ? 65535 : s.ready);
    pod->total = (unsigned short)(s.total > 65535 ? 65535 : s.total);
    pod->restarts = s.restarts;
    pod->last_restart = s.restarts ? s.last_restart : 0;
    const cJSON *first_ip = cJSON_GetArrayItem(pj.pod_ips, 0);
    const char *ip = kjv_str(kube_key_get(first_ip, KK_ip));
    if (str_empty(ip))
        ip = kjv_str(pj.pod_ip);
    pod->ip = ip ? kube_intern_own(p->t, ip, strlen(ip)) : NULL; /* one per pod, mostly */
    pod->gates = readiness_gates(p, &pj);
}

/* ---- workloads, jobs ---- */

void kube_project_workload(struct kube_proj *p, const cJSON *j, struct kube_obj *o)
{
    struct kube_workload *w = &o->u.wl;
    if (!kj_has(j, "spec.replicas"))
        w->spec_replicas = -1;
    if (!kj_has(j, "spec.updateStrategy.rollingUpdate.partition"))
        w->partition = -1;
    w->has_rolling_update = kj_has(j, "spec.updateStrategy.rollingUpdate");
    const char *strategy = kj_str(j, "spec.strategy.type");
    w->strategy = kube_intern(p->t, strategy ? strategy : kj_str(j, "spec.updateStrategy.type"));
    w->progressing_reason = kube_intern(p->t, kj_str(condition(j, "Progressing"), "reason"));
    w->progressing_message = kube_intern(p->t, kj_str(condition(j, "Progressing"), "message"));
    /* the annotation key has dots: not a dotted path */
    const cJSON *rev = cJSON_GetObjectItemCaseSensitive(kj_get(j, "metadata.annotations"),
                                                        "deployment.kubernetes.io/revision");
    w->revision = kube_intern(p->t, cJSON_IsString(rev) ? rev->valuestring : NULL);
    w->node_selector = format_labels(p, kj_get(j, "spec.template.spec.nodeSelector"));
    project_template(p, j, &w->tpl);
}

void kube_project_job(struct kube_proj *p, const cJSON *j, struct kube_obj *o)
{
    struct kube_job *b = &o->u.job;
    if (!kj_has(j, "spec.completions"))
        b->completions = -1;
    if (!kj_has(j, "spec.parallelism"))
        b->parallelism = -1;
    b->complete = condition_true(j, "Complete");
    b->suspended = condition_true(j, "Suspended");
    b->failure_target = condition_true(j, "FailureTarget");
    const cJSON *c = condition(j, "Failed");
    if (str_eq(kj_str(c, "status"), "True")) {
        b->failed_cond = true;
        b->failed_reason = kube_intern(p->t, kj_str(c, "reason"));
        b->failed_message = kube_intern(p->t, kj_str(c, "message"));
    }
    project_template(p, j, &b->tpl);
}

/* ---- events: printEvent ---- */

/* formatEventSource: component (or reporting controller), then ", host"
 * (or reporting instance) when there is one. */
static const char *event_source(struct kube_proj *p, const cJSON *j)
{
    const char *comp = kj_str(j, "source.component"), *host = kj_str(j, "source.host");
    if (str_empty(comp))
        comp = kj_str(j, "reportingComponent");
    if (str_empty(host))
        host = kj_str(j, "reportingInstance");
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, comp ? comp : "");
    if (!str_empty(host))
        strbuf_addf(&sb, ", %s", host);
    return take(p, &sb);
}

void kube_project_event(struct kube_proj *p, const cJSON *j, struct kube_obj *o)
{
    struct kube_event *e = &o->u.ev;
    e->first = kube_proj_time(j, "firstTimestamp");
    if (!e->first)
        e->first = kube_proj_time(j, "eventTime");
    e->last = kube_proj_time(j, "lastTimestamp");
    if (!e->last)
        e->last = e->first;
    long long count = kj_int(j, "count", 0);
    if (kj_has(j, "series")) {
        e->last = kube_proj_time(j, "series.lastObservedTime");
        count = kj_int(j, "series.count", 0);
    } else if (count == 0) {
        count = 1; /* singleton events carry no count in events.k8s.io/v1 */
    }
    e->count = count < 0 || count > 1000000000 ? 0 : (unsigned)count;
    e->source = event_source(p, j);
    const char *msg = kj_str(j, "message");
    if (msg) {
        /* strings.TrimSpace */
        while (*msg == ' ' || *msg == '\t' || *msg == '\n' || *msg == '\r')
            msg++;
        size_t n = strlen(msg);
        while (n && (msg[n - 1] == ' ' || msg[n - 1] == '\t' || msg[n - 1] == '\n' ||
                     msg[n - 1] == '\r'))
            n--;
        e->message = kube_intern_n(p->t, msg, n);
    }
}

/* ---- services and ingresses ---- */

/* Load balancer ingress points: IPs, else host names, sorted, no repeats. */
static const char *lb_addresses(struct kube_proj *p, const cJSON *ingress)
{
    size_t n = (size_t)cJSON_GetArraySize(ingress), k = 0;
    if (!n)
        return NULL;
    const char **v = xcalloc(n, sizeof(*v));
    const cJSON *it;
    cJSON_ArrayForEach(it, ingress)
    {
        const char *ip = kj_str(it, "ip"), *host = kj_str(it, "hostname");
        if (!str_empty(ip))
            v[k++] = ip;
        else if (!str_empty(host))
            v[k++] = host;
    }
    const char *r = k ? join_sorted(p, v, k) : NULL;
    free(v);
    return r;
}

/* getServiceExternalIP, as the API server prints it (wide: not clipped). */
static const char *service_external(struct kube_proj *p, const cJSON *j)
{
    const char *type = kj_str(j, "spec.type");
    struct strbuf sb;
    strbuf_init(&sb);
    const cJSON *it;
    if (str_eq(type, "ExternalName")) {
        strbuf_adds(&sb, kj_str(j, "spec.externalName") ? kj_str(j, "spec.externalName") : "");
        return take(p, &sb);
    }
    if (str_eq(type, "LoadBalancer")) {
        const char *lb = lb_addresses(p, kj_get(j, "status.loadBalancer.ingress"));
        if (lb)
            strbuf_adds(&sb, lb);
        kube_intern_release(p->t, lb);
    } else if (type && !str_eq(type, "ClusterIP") && !str_eq(type, "NodePort")) {
        strbuf_adds(&sb, "<unknown>");
        return take(p, &sb);
    }
    cJSON_ArrayForEach(it, kj_get(j, "spec.externalIPs"))
    {
        if (cJSON_IsString(it))
            list_add(&sb, ",", it->valuestring);
    }
    if (!sb.len)
        strbuf_adds(&sb, str_eq(type, "LoadBalancer") ? "<pending>" : "<none>");
    return take(p, &sb);
}

/* makePortString: "80/TCP", "80:30080/TCP" with a node port. */
static const char *service_ports(struct kube_proj *p, const cJSON *j)
{
    struct strbuf sb;
    strbuf_init(&sb);
    const cJSON *it;
    cJSON_ArrayForEach(it, kj_get(j, "spec.ports"))
    {
        const char *proto = kj_str(it, "protocol");
        if (sb.len)
            strbuf_addc(&sb, ',');
        strbuf_addf(&sb, "%lld", kj_int(it, "port", 0));
        if (kj_int(it, "nodePort", 0) > 0)
            strbuf_addf(&sb, ":%lld", kj_int(it, "nodePort", 0));
        strbuf_addf(&sb, "/%s", proto ? proto : "");
    }
    return take(p, &sb);
}

void kube_project_service(struct kube_proj *p, const cJSON *j, struct kube_obj *o)
{
    struct kube_service *s = &o->u.svc;
    const cJSON *first = cJSON_GetArrayItem(kj_get(j, "spec.clusterIPs"), 0);
    const char *ip = cJSON_IsString(first) ? first->valuestring : kj_str(j, "spec.clusterIP");
    s->cluster_ip = kube_intern(p->t, ip);
    s->ports = service_ports(p, j);
    s->external = service_external(p, j);
    s->selector = format_labels(p, kj_get(j, "spec.selector"));
}

/* formatHosts: up to three hosts, then "+ N more..."; "*" for none. */
static const char *ingress_hosts(struct kube_proj *p, const cJSON *rules)
{
    struct strbuf sb;
    strbuf_init(&sb);
    int n = 0, total = cJSON_GetArraySize(rules);
    const cJSON *it;
    cJSON_ArrayForEach(it, rules)
    {
        if (n == 3)
            break;
        const char *h = kj_str(it, "host");
        if (!str_empty(h)) {
            list_add(&sb, ",", h);
            n++;
        }
    }
    if (!sb.len)
        strbuf_adds(&sb, "*");
    else if (n == 3 && total > 3)
        strbuf_addf(&sb, " + %d more...", total - 3);
    return take(p, &sb);
}

void kube_project_ingress(struct kube_proj *p, const cJSON *j, struct kube_obj *o)
{
    o->u.ing.hosts = ingress_hosts(p, kj_get(j, "spec.rules"));
    o->u.ing.address = lb_addresses(p, kj_get(j, "status.loadBalancer.ingress"));
    o->u.ing.tls = cJSON_GetArraySize(kj_get(j, "spec.tls")) > 0;
}

/* ---- config maps, secrets, service accounts ---- */

void kube_project_keys(struct kube_proj *p, const cJSON *j, struct kube_obj *o)
{
    struct kube_keys *k = &o->u.keys;
    const cJSON *maps[2] = {kj_get(j, "data"), kj_get(j, "binaryData")};
    unsigned n = 0;
    for (int m = 0; m < 2; m++)
        if (cJSON_IsObject(maps[m]))
            n += (unsigned)cJSON_GetArraySize(maps[m]);
    k->keys = n ? xcalloc(n, sizeof(char *)) : NULL;
    for (int m = 0; m < 2; m++) {
        const cJSON *it;
        if (!cJSON_IsObject(maps[m]))
            continue;
        cJSON_ArrayForEach(it, maps[m])
        {
            if (k->nkeys < n)
                k->keys[k->nkeys++] = kube_intern(p->t, it->string);
        }
        if (m == 0)
            k->ndata = k->nkeys;
    }
}

void kube_project_serviceaccount(struct kube_proj *p, const cJSON *j, struct kube_obj *o)
{
    const cJSON *an = kj_get(j, "metadata.annotations");
    unsigned n = cJSON_IsObject(an) ? (unsigned)cJSON_GetArraySize(an) : 0;
    struct kube_annotation *a = n ? xcalloc(n, sizeof(*a)) : NULL;
    unsigned k = 0;
    const cJSON *it;
    if (n) {
        cJSON_ArrayForEach(it, an)
        {
            if (cJSON_IsString(it) && k < n) {
                a[k].key = kube_intern(p->t, it->string);
                a[k].value = kube_intern(p->t, it->valuestring);
                k++;
            }
        }
    }
    o->u.sa.annotations = a;
    o->u.sa.nannotations = k;
    o->u.sa.nsecrets = (unsigned)cJSON_GetArraySize(kj_get(j, "secrets"));
}

/* ---- persistent volume claims ---- */

/* GetAccessModesAsString: the short forms in this order, whatever the object's. */
static const char *access_modes(struct kube_proj *p, const cJSON *modes)
{
    static const char *const longs[] = {"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany",
                                        "ReadWriteOncePod"};
    static const char *const shorts[] = {"RWO", "ROX", "RWX", "RWOP"};
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < ARRAY_LEN(longs); i++) {
        const cJSON *it;
        cJSON_ArrayForEach(it, modes)
        {
            if (cJSON_IsString(it) && !strcmp(it->valuestring, longs[i])) {
                list_add(&sb, ",", shorts[i]);
                break;
            }
        }
    }
    return take(p, &sb);
}

void kube_project_pvc(struct kube_proj *p, const cJSON *j, struct kube_obj *o)
{
    struct kube_pvc *v = &o->u.pvc;
    const char *phase = kj_str(j, "status.phase");
    v->phase = kube_intern(p->t, o->deleted ? "Terminating" : phase);
    /* Capacity and access modes only once bound to a volume. */
    if (!str_empty(kj_str(j, "spec.volumeName"))) {
        v->capacity = kube_intern(p->t, kj_str(j, "status.capacity.storage"));
        v->access_modes = access_modes(p, kj_get(j, "status.accessModes"));
    }
    /* GetPersistentVolumeClaimClass: the beta annotation wins. */
    const cJSON *an = kj_get(j, "metadata.annotations");
    const cJSON *beta =
        cJSON_IsObject(an)
            ? cJSON_GetObjectItemCaseSensitive(an, "volume.beta.kubernetes.io/storage-class")
            : NULL;
    const char *cls = cJSON_IsString(beta) ? beta->valuestring : kj_str(j, "spec.storageClassName");
    v->storage_class = kube_intern(p->t, cls);
}

/* ---- nodes ---- */

/* kubectl's ROLES: node-role.kubernetes.io/ROLE labels and kubernetes.io/role, sorted. */
static const char *node_roles(struct kube_proj *p, const cJSON *j)
{
    const cJSON *labels = kj_get(j, "metadata.labels");
    size_t n = cJSON_IsObject(labels) ? (size_t)cJSON_GetArraySize(labels) : 0, k = 0;
    if (!n)
        return NULL;
    const char **roles = xcalloc(n, sizeof(*roles));
    const cJSON *it;
    cJSON_ArrayForEach(it, labels)
    {
        if (str_starts_with(it->string, "node-role.kubernetes.io/") && it->string[24])
            roles[k++] = it->string + 24;
        else if (!strcmp(it->string, "kubernetes.io/role") && cJSON_IsString(it) &&
                 *it->valuestring)
            roles[k++] = it->valuestring;
    }
    const char *r = k ? join_sorted(p, roles, k) : NULL;
    free(roles);
    return r;
}

static const char *node_address(struct kube_proj *p, const cJSON *j, const char *type)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, kj_get(j, "status.addresses"))
    {
        if (str_eq(kj_str(it, "type"), type))
            return kube_intern(p->t, kj_str(it, "address"));
    }
    return NULL;
}

void kube_project_node(struct kube_proj *p, const cJSON *j, struct kube_obj *o)
{
    struct kube_node *n = &o->u.node;
    const cJSON *c = condition(j, "Ready");
    n->ready = str_eq(kj_str(c, "status"), "True");
    char buf[64];
    snprintf(buf, sizeof(buf), "%s%s",
             !c         ? "Unknown"
             : n->ready ? "Ready"
                        : "NotReady",
             n->unschedulable ? ",SchedulingDisabled" : "");
    n->status = kube_intern(p->t, buf);
    n->roles = node_roles(p, j);
    n->internal_ip = node_address(p, j, "InternalIP");
    n->external_ip = node_address(p, j, "ExternalIP");
}
