/* sim/pods.c: pod lifecycle, logs and nodes (see pods.h). Each pod has a
 * pod_state next to its JSON: a stage, the time of its next step, and per
 * container the current and previous log. */
#include "config.h"

#include "sim/pods.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "sim/api.h"
#include "sim/dify_model.h"
#include "sim/events.h"
#include "sim/http.h"
#include "sim/initc.h"
#include "sim/volumes.h"
#include "sim/scenario.h"
#include "sim/store.h"

enum stage {
    ST_UNSCHEDULED,  /* waiting for the scheduler */
    ST_PULLING,      /* scheduled, ContainerCreating */
    ST_PULL_BACKOFF, /* ErrImagePull / ImagePullBackOff */
    ST_INIT,         /* an init container runs (sim/initc.h) */
    ST_RUNNING,      /* started, not yet ready */
    ST_READY,        /* ready (or never) and running */
    ST_BACKOFF,      /* CrashLoopBackOff, waiting to restart */
    ST_DONE,         /* Succeeded or Failed */
};

struct container_sim {
    char *name;
    char *image;
    struct strbuf log;  /* "TIMESTAMP line\n" of the current instance */
    struct strbuf prev; /* the previous instance's log */
    int instance;       /* bumped on each start, so log follows can end */
};

struct pod_state {
    struct sim_obj *obj;
    struct pod_behavior b;
    enum stage stage;
    long long next_ms;    /* when the next step is due (0 = nothing scheduled) */
    long long started_ms; /* when the containers last started */
    int restarts;
    int pull_failures;
    bool run_to_completion; /* restartPolicy Never/OnFailure */
    int n;
    struct container_sim *c;
    char started_at[32];
    bool killing;          /* the Killing event was sent */
    int ninit, init_done;  /* init containers, and how many finished */
    struct dify_pod *dify; /* Dify's images decide the life (dify_model.h), or NULL */
    bool chatty;           /* in g_chatty (b.log_rate > 0 and running) */
    long long log_ms;      /* when lines were last written for the rate */
    double log_debt;       /* lines owed between ticks */
    unsigned long log_n;   /* lines written so far */
    bool active;           /* in g_active */
    size_t active_idx;     /* its place there */
    size_t due_slot;       /* 1 + its place in this tick's g_due, or 0 */
};

/* The pods with a step scheduled or being deleted: the only ones pods_tick
 * looks at, so that a steady pod costs nothing a tick. */
static struct pod_state **g_active, **g_due;
static size_t g_active_n, g_active_cap, g_due_n, g_due_cap;

static void activate(struct pod_state *ps)
{
    if (ps->active)
        return;
    if (g_active_n == g_active_cap) {
        g_active_cap = g_active_cap ? g_active_cap * 2 : 256;
        g_active = xrealloc(g_active, g_active_cap * sizeof(*g_active));
    }
    ps->active = true;
    ps->active_idx = g_active_n;
    g_active[g_active_n++] = ps;
}

static void deactivate(struct pod_state *ps)
{
    if (!ps->active)
        return;
    size_t i = ps->active_idx;
    g_active[i] = g_active[--g_active_n];
    g_active[i]->active_idx = i;
    ps->active = false;
}

/* Containers writing b.log_rate lines a second while they run. */
static struct pod_state **g_chatty;
static size_t g_chatty_n, g_chatty_cap;

static void chatty_remove(struct pod_state *ps)
{
    for (size_t i = 0; ps->chatty && i < g_chatty_n; i++)
        if (g_chatty[i] == ps) {
            g_chatty[i] = g_chatty[--g_chatty_n];
            ps->chatty = false;
        }
}

void pods_wake(struct sim_obj *pod)
{
    if (pod->pod && (pod->deleting_ms || pod->pod->next_ms))
        activate(pod->pod);
}

static int g_nodes = 3;
static unsigned g_ip;

const char *dify_component(const cJSON *labels, const char *name)
{
    static const char *const keys[] = {"component", "app.kubernetes.io/component", "app"};
    static const char *const known[] = {
        "plugin-daemon", "plugin_daemon", "worker-beat",  "beat",     "worker",
        "sandbox",       "ssrf-proxy",    "ssrf_proxy",   "frontend", "web",
        "api",           "proxy",         "db-migration", "migration"};
    for (size_t k = 0; k < ARRAY_LEN(keys); k++) {
        const char *v = kj_str(labels, keys[k]);
        if (!v)
            v = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(labels, keys[k]))
                    ? cJSON_GetObjectItemCaseSensitive(labels, keys[k])->valuestring
                    : NULL;
        if (!v)
            continue;
        for (size_t i = 0; i < ARRAY_LEN(known); i++)
            if (strstr(v, known[i]))
                return known[i];
    }
    for (size_t i = 0; name && i < ARRAY_LEN(known); i++)
        if (strstr(name, known[i]))
            return known[i];
    return "";
}

bool pod_is_ready(const cJSON *pod)
{
    if (kj_str(pod, "metadata.deletionTimestamp"))
        return false;
    const cJSON *c;
    cJSON_ArrayForEach(c, kj_get_mut(pod, "status.conditions"))
    {
        if (str_eq(kj_str(c, "type"), "Ready"))
            return str_eq(kj_str(c, "status"), "True");
    }
    return false;
}

void pods_create_nodes(int n)
{
    g_nodes = n;
    struct rtype *rt = store_rtype("", "nodes");
    for (int i = 1; i <= n; i++) {
        cJSON *node = cJSON_CreateObject();
        cJSON *meta = js_obj(node, "metadata");
        char name[32], ip[32];
        snprintf(name, sizeof(name), "sim-node-%d", i);
        js_set_str(meta, "name", name);
        cJSON *labels = js_obj(meta, "labels");
        js_set_str(labels, "kubernetes.io/arch", "arm64");
        js_set_str(labels, "kubernetes.io/os", "linux");
        js_set_str(labels, "kubernetes.io/hostname", name);
        js_set_str(labels, "node.kubernetes.io/instance-type", "m7g.xlarge");
        if (i == 1)
            js_set_str(labels, "node-role.kubernetes.io/control-plane", "");
        cJSON *status = js_obj(node, "status");
        cJSON *info = js_obj(status, "nodeInfo");
        js_set_str(info, "architecture", "arm64");
        js_set_str(info, "operatingSystem", "linux");
        js_set_str(info, "kubeletVersion", "v1.32.0-dify-sim");
        js_set_str(info, "containerRuntimeVersion", "containerd://1.7.22");
        js_set_str(info, "osImage", "Amazon Linux 2023");
        cJSON *cap = js_obj(status, "capacity");
        js_set_str(cap, "cpu", "4");
        js_set_str(cap, "memory", "16Gi");
        js_set_str(cap, "pods", "110");
        js_set(status, "allocatable", cJSON_Duplicate(cap, 1));
        cJSON *conds = cJSON_AddArrayToObject(status, "conditions");
        static const char *const types[] = {"MemoryPressure", "DiskPressure", "PIDPressure",
                                            "Ready"};
        char ts[32];
        sim_timestamp(ts, 0);
        for (int t = 0; t < 4; t++) {
            cJSON *c = cJSON_CreateObject();
            js_set_str(c, "type", types[t]);
            js_set_str(c, "status", t == 3 ? "True" : "False");
            js_set_str(c, "reason", t == 3 ? "KubeletReady" : "KubeletHasSufficientMemory");
            js_set_str(c, "lastHeartbeatTime", ts);
            js_set_str(c, "lastTransitionTime", ts);
            cJSON_AddItemToArray(conds, c);
        }
        cJSON *addrs = cJSON_AddArrayToObject(status, "addresses");
        cJSON *a = cJSON_CreateObject();
        snprintf(ip, sizeof(ip), "192.168.0.%d", 10 + i);
        js_set_str(a, "type", "InternalIP");
        js_set_str(a, "address", ip);
        cJSON_AddItemToArray(addrs, a);
        store_add(rt, node);
    }
}

/* ---- logs ---- */

static void log_line(struct container_sim *c, const char *line)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char stamp[64];
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
    strbuf_addf(&c->log, "%s.%09ldZ %s\n", stamp, ts.tv_nsec, line);
    pthread_cond_broadcast(&sim_changed);
}

static const char *image_tag(const char *image)
{
    const char *colon = image ? strrchr(image, ':') : NULL;
    if (!colon || strchr(colon, '/'))
        return "latest";
    return colon + 1;
}

void pods_container_log(struct sim_obj *pod, int idx, const char *line)
{
    struct pod_state *ps = pod->pod;
    if (ps && idx >= 0 && idx < ps->n)
        log_line(&ps->c[idx], line);
}

struct dify_pod *pods_dify(const struct sim_obj *pod)
{
    return pod->pod ? pod->pod->dify : NULL;
}

/* The lines a Dify component prints when it starts. */
static void startup_logs(struct pod_state *ps, struct container_sim *c)
{
    const char *comp = dify_component(obj_labels(ps->obj), obj_name(ps->obj));
    char buf[256];
    const char *tag = image_tag(c->image);
    if (ps->b.logs) {
        const cJSON *l;
        cJSON_ArrayForEach(l, ps->b.logs)
        {
            if (cJSON_IsString(l))
                log_line(c, l->valuestring);
        }
        return;
    }
    if (strcmp(comp, "api") == 0) {
        log_line(c, "Running migrations");
        log_line(c, "[INFO] Starting gunicorn 23.0.0");
        log_line(c, "[INFO] Listening at: http://0.0.0.0:5001 (1)");
        log_line(c, "[INFO] Using worker: gevent");
        log_line(c, "[INFO] Booting worker with pid: 7");
        snprintf(buf, sizeof(buf), "dify-api %s ready", tag);
        log_line(c, buf);
    } else if (strcmp(comp, "worker") == 0 || strcmp(comp, "beat") == 0 ||
               strcmp(comp, "worker-beat") == 0) {
        bool beat = strcmp(comp, "worker") != 0;
        log_line(c, beat ? "celery beat v5.5.2 (immunity) is starting."
                         : "celery@dify-worker v5.5.2 (immunity)");
        log_line(c, "[INFO/MainProcess] Connected to redis://dify-redis-master:6379/1");
        log_line(c, beat ? "[INFO/MainProcess] beat: Starting..."
                         : "[INFO/MainProcess] celery@dify-worker ready.");
    } else if (strcmp(comp, "web") == 0 || strcmp(comp, "frontend") == 0) {
        snprintf(buf, sizeof(buf), "  \u25b2 Next.js 15.2.4 (dify-web %s)", tag);
        log_line(c, buf);
        log_line(c, "  - Local:        http://localhost:3000");
        log_line(c, " \u2713 Ready in 312ms");
    } else if (strcmp(comp, "sandbox") == 0) {
        log_line(c, "[INFO]2026/01/01 00:00:00 config.go:129: network has been enabled");
        log_line(c,
                 "[INFO]2026/01/01 00:00:00 server.go:20: dify-sandbox listening on 0.0.0.0:8194");
    } else if (strcmp(comp, "plugin-daemon") == 0 || strcmp(comp, "plugin_daemon") == 0) {
        log_line(c, "[INFO] init plugin daemon, version "
                    "(see image tag)");
        snprintf(buf, sizeof(buf), "[INFO] dify-plugin-daemon %s: persistence storage local", tag);
        log_line(c, buf);
        log_line(c, "[INFO] serving http on :5002");
    } else if (strcmp(comp, "ssrf-proxy") == 0 || strcmp(comp, "ssrf_proxy") == 0 ||
               strcmp(comp, "proxy") == 0) {
        log_line(c, "Starting Squid Cache version 6.10 for aarch64-unknown-linux-gnu...");
        log_line(c, "Accepting HTTP Socket connections at conn1 local=[::]:3128");
    } else if (strcmp(comp, "db-migration") == 0 || strcmp(comp, "migration") == 0) {
        log_line(c, "Running migrations");
        log_line(c, "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.");
        log_line(c, "INFO  [alembic.runtime.migration] Will assume transactional DDL.");
        log_line(c, "Database migration successful!");
    } else {
        snprintf(buf, sizeof(buf), "container %s (%s) started", c->name, c->image ? c->image : "");
        log_line(c, buf);
    }
}

/* ---- status writing ---- */

static cJSON *condition(const char *type, bool ok, const char *reason)
{
    cJSON *c = cJSON_CreateObject();
    char ts[32];
    sim_timestamp(ts, 0);
    js_set_str(c, "type", type);
    js_set_str(c, "status", ok ? "True" : "False");
    js_set(c, "lastProbeTime", cJSON_CreateNull());
    js_set_str(c, "lastTransitionTime", ts);
    if (reason)
        js_set_str(c, "reason", reason);
    return c;
}

static void set_conditions(struct pod_state *ps, bool scheduled, bool ready, const char *why)
{
    cJSON *st = js_obj(obj_json(ps->obj), "status");
    cJSON *conds = cJSON_CreateArray();
    cJSON_AddItemToArray(
        conds, condition("PodReadyToStartContainers", scheduled && ps->stage != ST_PULLING, NULL));
    bool initialized = ps->init_done >= ps->ninit;
    cJSON_AddItemToArray(conds, condition("Initialized", initialized,
                                          initialized ? NULL : "ContainersNotInitialized"));
    cJSON_AddItemToArray(conds, condition("Ready", ready, ready ? NULL : why));
    cJSON_AddItemToArray(conds, condition("ContainersReady", ready, ready ? NULL : why));
    cJSON_AddItemToArray(conds, condition("PodScheduled", scheduled, NULL));
    /* keep the old transition times when the status did not change */
    cJSON *old = cJSON_GetObjectItemCaseSensitive(st, "conditions"), *o, *n;
    cJSON_ArrayForEach(n, conds)
    {
        cJSON_ArrayForEach(o, old)
        {
            if (str_eq(kj_str(o, "type"), kj_str(n, "type")) &&
                str_eq(kj_str(o, "status"), kj_str(n, "status")))
                js_set_str(n, "lastTransitionTime", kj_str(o, "lastTransitionTime"));
        }
    }
    js_set(st, "conditions", conds);
}

/* Writes containerStatuses; state is "waiting", "running" or "terminated". */
static void set_containers(struct pod_state *ps, const char *state, const char *reason,
                           const char *message, bool ready, int exit_code, bool last_terminated)
{
    cJSON *st = js_obj(obj_json(ps->obj), "status");
    cJSON *arr = cJSON_CreateArray();
    char ts[32];
    sim_timestamp(ts, 0);
    for (int i = 0; i < ps->n; i++) {
        struct container_sim *c = &ps->c[i];
        cJSON *cs = cJSON_CreateObject();
        js_set_str(cs, "name", c->name);
        js_set_str(cs, "image", c->image);
        js_set_str(cs, "imageID",
                   strcmp(state, "waiting") == 0 && ps->restarts == 0
                       ? ""
                       : "docker.io/library/sim@sha256:0123456789abcdef");
        js_set_bool(cs, "ready", ready);
        js_set_num(cs, "restartCount", ps->restarts);
        js_set_bool(cs, "started", strcmp(state, "running") == 0);
        if (strcmp(state, "running") == 0 || strcmp(state, "terminated") == 0)
            js_set_str(cs, "containerID", "containerd://5f0c0ffee0ddba11");
        cJSON *s = js_obj(js_obj(cs, "state"), state);
        if (strcmp(state, "running") == 0) {
            js_set_str(s, "startedAt", ps->started_at);
        } else if (strcmp(state, "terminated") == 0) {
            js_set_num(s, "exitCode", exit_code);
            js_set_str(s, "reason", reason);
            js_set_str(s, "startedAt", ps->started_at);
            js_set_str(s, "finishedAt", ts);
        } else {
            js_set_str(s, "reason", reason);
            if (message)
                js_set_str(s, "message", message);
        }
        cJSON *ls = js_obj(cs, "lastState");
        if (last_terminated) {
            cJSON *t = js_obj(ls, "terminated");
            js_set_num(t, "exitCode", ps->b.exit_code);
            js_set_str(t, "reason", "Error");
            js_set_str(t, "startedAt", ps->started_at);
            js_set_str(t, "finishedAt", ts);
        } else {
            cJSON *prev = kj_get_mut(obj_json(ps->obj), "status.containerStatuses");
            cJSON *pc = cJSON_GetArrayItem(prev, i);
            cJSON *pl = kj_get_mut(pc, "lastState");
            if (pl)
                js_set(cs, "lastState", cJSON_Duplicate(pl, 1));
        }
        cJSON_AddItemToArray(arr, cs);
    }
    js_set(st, "containerStatuses", arr);
}

void pods_attach(struct sim_obj *pod)
{
    struct pod_state *ps = xcalloc(1, sizeof(*ps));
    ps->obj = pod;
    pod->pod = ps;
    scenario_pod_behavior(obj_json(pod), &ps->b);
    ps->dify = dify_model_attach(obj_json(pod), &ps->b);
    const char *rp = kj_str(obj_json(pod), "spec.restartPolicy");
    ps->run_to_completion = rp && *rp && strcmp(rp, "Always") != 0;
    cJSON *cs;
    cJSON_ArrayForEach(cs, kj_get_mut(obj_json(pod), "spec.containers")) ps->n++;
    ps->c = xcalloc(ps->n ? ps->n : 1, sizeof(*ps->c));
    int i = 0;
    cJSON_ArrayForEach(cs, kj_get_mut(obj_json(pod), "spec.containers"))
    {
        ps->c[i].name = xstrdup(kj_str(cs, "name") ? kj_str(cs, "name") : "main");
        ps->c[i].image = xstrdup(kj_str(cs, "image") ? kj_str(cs, "image") : "");
        strbuf_init(&ps->c[i].log);
        strbuf_init(&ps->c[i].prev);
        i++;
    }
    cJSON *st = js_obj(obj_json(pod), "status");
    js_set_str(st, "phase", "Pending");
    js_set_str(st, "qosClass", "BestEffort");
    ps->stage = ST_UNSCHEDULED;
    ps->ninit = initc_count(obj_json(pod));
    ps->next_ms = now_ms() + sim_ms(ps->b.schedule_delay);
    activate(ps);
}

/* The next init container starts; the pod stays Pending meanwhile. */
static void start_init(struct pod_state *ps, long long now)
{
    sim_timestamp(ps->started_at, 0);
    const char *name = initc_name(obj_json(ps->obj), ps->init_done);
    events_emit(ps->obj, "Normal", "Created", "kubelet", "Created container: %s", name);
    events_emit(ps->obj, "Normal", "Started", "kubelet", "Started container %s", name);
    initc_status(obj_json(ps->obj), ps->init_done, true, ps->started_at);
    set_containers(ps, "waiting", "PodInitializing", NULL, false, 0, false);
    ps->stage = ST_INIT;
    set_conditions(ps, true, false, "ContainersNotReady");
    ps->next_ms = now + sim_ms(1.0);
}

void pods_detach(struct sim_obj *pod)
{
    struct pod_state *ps = pod->pod;
    deactivate(ps);
    chatty_remove(ps);
    if (ps->due_slot)
        g_due[ps->due_slot - 1] = NULL; /* removed during the tick */
    dify_model_detach(ps->dify);
    for (int i = 0; i < ps->n; i++) {
        free(ps->c[i].name);
        free(ps->c[i].image);
        strbuf_done(&ps->c[i].log);
        strbuf_done(&ps->c[i].prev);
    }
    free(ps->c);
    free(ps);
    pod->pod = NULL;
    pthread_cond_broadcast(&sim_changed);
}

static void start_containers(struct pod_state *ps, long long now)
{
    sim_timestamp(ps->started_at, 0);
    ps->started_ms = now;
    cJSON *st = js_obj(obj_json(ps->obj), "status");
    js_set_str(st, "phase", "Running");
    for (int i = 0; i < ps->n; i++) {
        struct container_sim *c = &ps->c[i];
        if (ps->restarts > 0)
            strbuf_reset(&c->log); /* the crash already copied it to prev */
        c->instance++;
        events_emit(ps->obj, "Normal", "Created", "kubelet", "Created container: %s", c->name);
        events_emit(ps->obj, "Normal", "Started", "kubelet", "Started container %s", c->name);
        if (!ps->dify || i != dify_model_container(ps->dify))
            startup_logs(ps, c);
    }
    if (ps->b.log_rate > 0 && ps->n > 0 && !ps->chatty) {
        if (g_chatty_n == g_chatty_cap) {
            g_chatty_cap = g_chatty_cap ? g_chatty_cap * 2 : 16;
            g_chatty = xrealloc(g_chatty, g_chatty_cap * sizeof(*g_chatty));
        }
        g_chatty[g_chatty_n++] = ps;
        ps->chatty = true;
        ps->log_ms = now;
        ps->log_debt = 0;
    }
    set_containers(ps, "running", NULL, NULL, false, 0, false);
    set_conditions(ps, true, false, "ContainersNotReady");
    ps->stage = ST_RUNNING;
    if (ps->dify) {
        dify_model_start(ps->dify, ps->obj); /* the model decides from here on */
        ps->next_ms = now + 50;
        return;
    }
    double next = ps->b.ready_delay;
    if (ps->run_to_completion)
        next = ps->b.run_for;
    else if (ps->b.crash_after > 0 && (ps->b.never_ready || ps->b.crash_after < next))
        next = ps->b.crash_after;
    else if (ps->b.never_ready)
        next = -1;
    ps->next_ms = next < 0 ? 0 : now + sim_ms(next);
}

static void step_scheduled(struct pod_state *ps, long long now)
{
    cJSON *json = obj_json(ps->obj);
    char node[32], hip[32], ip[32];
    /* A pod bound to a node already (a DaemonSet's) stays there. */
    unsigned k;
    const char *bound = kj_str(json, "spec.nodeName");
    if (bound && sscanf(bound, "sim-node-%u", &k) == 1 && k >= 1)
        k--;
    else
        k = (unsigned)random() % (unsigned)(g_nodes > 0 ? g_nodes : 1);
    snprintf(node, sizeof(node), "sim-node-%u", k + 1);
    snprintf(hip, sizeof(hip), "192.168.0.%u", 11 + k);
    g_ip++;
    snprintf(ip, sizeof(ip), "10.244.%u.%u", (g_ip / 250) % 250, g_ip % 250 + 2);
    js_set_str(js_obj(json, "spec"), "nodeName", node);
    cJSON *st = js_obj(json, "status");
    js_set_str(st, "hostIP", hip);
    js_set_str(st, "podIP", ip);
    cJSON *ips = cJSON_CreateArray();
    cJSON *one = cJSON_CreateObject();
    js_set_str(one, "ip", ip);
    cJSON_AddItemToArray(ips, one);
    js_set(st, "podIPs", ips);
    char ts[32];
    sim_timestamp(ts, 0);
    js_set_str(st, "startTime", ts);
    ps->stage = ST_PULLING;
    set_conditions(ps, true, false, "ContainersNotReady");
    set_containers(ps, "waiting", "ContainerCreating", NULL, false, 0, false);
    events_emit(ps->obj, "Normal", "Scheduled", "default-scheduler",
                "Successfully assigned %s/%s to %s", obj_ns(ps->obj), obj_name(ps->obj), node);
    for (int i = 0; i < ps->n; i++)
        events_emit(ps->obj, "Normal", "Pulling", "kubelet", "Pulling image \"%s\"",
                    ps->c[i].image);
    ps->next_ms = now + sim_ms(ps->b.pull_delay);
}

static void step_pulled(struct pod_state *ps, long long now)
{
    if (ps->b.pull_error) {
        ps->pull_failures++;
        bool backoff = ps->pull_failures % 2 == 0;
        const char *img = ps->n ? ps->c[0].image : "";
        if (!backoff) {
            events_emit(ps->obj, "Warning", "Failed", "kubelet", "Failed to pull image \"%s\": %s",
                        img, ps->b.pull_error);
            events_emit(ps->obj, "Warning", "Failed", "kubelet", "Error: ErrImagePull");
            set_containers(ps, "waiting", "ErrImagePull", ps->b.pull_error, false, 0, false);
        } else {
            char *msg =
                xasprintf("Back-off pulling image \"%s\": ErrImagePull: %s", img, ps->b.pull_error);
            events_emit(ps->obj, "Normal", "BackOff", "kubelet", "Back-off pulling image \"%s\"",
                        img);
            events_emit(ps->obj, "Warning", "Failed", "kubelet", "Error: ImagePullBackOff");
            set_containers(ps, "waiting", "ImagePullBackOff", msg, false, 0, false);
            free(msg);
        }
        ps->stage = ST_PULL_BACKOFF;
        double wait = 5.0 * (1 << (ps->pull_failures > 6 ? 6 : ps->pull_failures));
        ps->next_ms = now + sim_ms(wait > 300 ? 300 : wait);
        return;
    }
    for (int i = 0; i < ps->n; i++)
        events_emit(ps->obj, "Normal", "Pulled", "kubelet",
                    "Successfully pulled image \"%s\" in 1.2s (1.2s including waiting). Image "
                    "size: 52428800 bytes.",
                    ps->c[i].image);
    char *why = ps->dify ? dify_model_config_error(ps->dify, obj_json(ps->obj)) : NULL;
    if (why) {
        /* a missing Secret, ConfigMap or key: the kubelet retries */
        events_emit(ps->obj, "Warning", "Failed", "kubelet", "Error: %s", why);
        set_containers(ps, "waiting", "CreateContainerConfigError", why, false, 0, false);
        free(why);
        ps->next_ms = now + sim_ms(10);
        return;
    }
    if (ps->init_done < ps->ninit)
        start_init(ps, now);
    else
        start_containers(ps, now);
}

static void step_exit(struct pod_state *ps, long long now, int code)
{
    if (ps->run_to_completion) {
        set_containers(ps, "terminated", code == 0 ? "Completed" : "Error", NULL, false, code,
                       false);
        js_set_str(js_obj(obj_json(ps->obj), "status"), "phase",
                   code == 0 ? "Succeeded" : "Failed");
        set_conditions(ps, true, false, "PodCompleted");
        ps->stage = ST_DONE;
        ps->next_ms = 0;
        for (int i = 0; i < ps->n; i++)
            ps->c[i].instance++;
        pthread_cond_broadcast(&sim_changed);
        return;
    }
    ps->restarts++;
    /* While backing off, both the current and the --previous log show the
     * instance that just died, as with a real kubelet. */
    for (int i = 0; i < ps->n; i++) {
        struct container_sim *c = &ps->c[i];
        strbuf_reset(&c->prev);
        strbuf_add(&c->prev, c->log.buf, c->log.len);
        c->instance++; /* ends log follows of this instance */
    }
    double backoff = 10.0 * (1 << (ps->restarts - 1 > 5 ? 5 : ps->restarts - 1));
    if (backoff > 300)
        backoff = 300;
    char *msg = xasprintf("back-off %.0fs restarting failed container=%s pod=%s", backoff,
                          ps->n ? ps->c[0].name : "", obj_name(ps->obj));
    set_containers(ps, "waiting", "CrashLoopBackOff", msg, false, code, true);
    free(msg);
    set_conditions(ps, true, false, "ContainersNotReady");
    events_emit(ps->obj, "Warning", "BackOff", "kubelet",
                "Back-off restarting failed container %s in pod %s_%s(%s)",
                ps->n ? ps->c[0].name : "", obj_name(ps->obj), obj_ns(ps->obj), obj_uid(ps->obj));
    ps->stage = ST_BACKOFF;
    ps->next_ms = now + sim_ms(backoff);
}

/* A modelled pod's running container: the model's verdict. Returns whether
 * the pod object changed. */
static bool dify_step(struct pod_state *ps, long long now)
{
    int code;
    long long wake;
    enum dify_state st = dify_model_step(ps->dify, ps->obj, now, &code, &wake);
    if (st == DIFY_EXITED) {
        ps->b.exit_code = code;
        step_exit(ps, now, code);
        return true;
    }
    ps->next_ms = wake;
    bool ready = st == DIFY_READY;
    if (ready == (ps->stage == ST_READY))
        return false;
    set_containers(ps, "running", NULL, NULL, ready, 0, false);
    set_conditions(ps, true, ready, "ContainersNotReady");
    ps->stage = ready ? ST_READY : ST_RUNNING;
    return true;
}

static void step_pod(struct pod_state *ps, long long now)
{
    if ((ps->stage == ST_RUNNING || ps->stage == ST_READY) && ps->dify) {
        if (dify_step(ps, now))
            store_commit(ps->obj);
        return;
    }
    switch (ps->stage) {
    case ST_UNSCHEDULED: {
        char *why = volumes_unschedulable(obj_json(ps->obj));
        if (why) {
            /* claims that cannot bind: the scheduler waits, and says why */
            events_emit(ps->obj, "Warning", "FailedScheduling", "default-scheduler", "%s", why);
            free(why);
            ps->next_ms = now + sim_ms(5);
            return;
        }
        step_scheduled(ps, now);
        break;
    }
    case ST_PULLING:
    case ST_PULL_BACKOFF:
        step_pulled(ps, now);
        break;
    case ST_RUNNING:
        if (ps->run_to_completion) {
            step_exit(ps, now, ps->b.exit_code);
        } else if (ps->b.crash_after > 0 && now >= ps->started_ms + sim_ms(ps->b.crash_after) - 1) {
            step_exit(ps, now, ps->b.exit_code ? ps->b.exit_code : 1);
        } else {
            set_containers(ps, "running", NULL, NULL, true, 0, false);
            set_conditions(ps, true, true, NULL);
            ps->stage = ST_READY;
            ps->next_ms = ps->b.crash_after > 0 ? ps->started_ms + sim_ms(ps->b.crash_after) : 0;
        }
        break;
    case ST_READY:
        step_exit(ps, now, ps->b.exit_code ? ps->b.exit_code : 1);
        break;
    case ST_INIT:
        if (++ps->init_done < ps->ninit) {
            start_init(ps, now);
        } else {
            initc_status(obj_json(ps->obj), ps->ninit, false, ps->started_at);
            start_containers(ps, now);
        }
        break;
    case ST_BACKOFF:
        start_containers(ps, now);
        break;
    case ST_DONE:
        ps->next_ms = 0;
        return;
    }
    store_commit(ps->obj);
}

static int due_cmp(const void *a, const void *b)
{
    const struct pod_state *x = *(struct pod_state *const *)a, *y = *(struct pod_state *const *)b;
    return strcmp(x->obj->key, y->obj->key);
}

/* One pod's turn; it may go (store_remove frees ps). */
static void tick_pod(struct pod_state *ps, long long now)
{
    struct sim_obj *o = ps->obj;
    if (o->deleting_ms) {
        if (!ps->killing) {
            ps->killing = true;
            for (int k = 0; k < ps->n; k++)
                events_emit(o, "Normal", "Killing", "kubelet", "Stopping container %s",
                            ps->c[k].name);
        }
        double grace = kj_num(obj_json(o), "metadata.deletionGracePeriodSeconds", 30);
        double t = grace < 1.0 ? grace : 1.0; /* containers stop within a second */
        if (now >= o->deleting_ms + sim_ms(t) && !api_has_finalizers(o))
            store_remove(o);
        return;
    }
    step_pod(ps, now);
}

/* The chatty containers' lines since the last tick (at most a second's). */
static void chatty_tick(long long now)
{
    for (size_t i = 0; i < g_chatty_n; i++) {
        struct pod_state *ps = g_chatty[i];
        if (ps->stage != ST_RUNNING && ps->stage != ST_READY) {
            ps->log_ms = now;
            continue;
        }
        double owed = ps->log_debt + ps->b.log_rate * (double)(now - ps->log_ms) / 1000.0;
        if (owed > ps->b.log_rate)
            owed = ps->b.log_rate;
        ps->log_ms = now;
        char line[128];
        for (; owed >= 1.0; owed -= 1.0) {
            snprintf(line, sizeof(line),
                     "line %lu: GET /console/api/apps 200 12ms (a chatty container, logRate %g)",
                     ++ps->log_n, ps->b.log_rate);
            log_line(&ps->c[0], line);
        }
        ps->log_debt = owed;
    }
}

void pods_tick(long long now)
{
    chatty_tick(now);
    /* the due pods, in key order (the order of the store, as before) */
    g_due_n = 0;
    for (size_t i = 0; i < g_active_n; i++) {
        struct pod_state *ps = g_active[i];
        if (!ps->obj->deleting_ms && !(ps->next_ms && now >= ps->next_ms))
            continue;
        if (g_due_n == g_due_cap) {
            g_due_cap = g_due_cap ? g_due_cap * 2 : 256;
            g_due = xrealloc(g_due, g_due_cap * sizeof(*g_due));
        }
        g_due[g_due_n++] = ps;
    }
    if (g_due_n > 1)
        qsort(g_due, g_due_n, sizeof(*g_due), due_cmp);
    for (size_t i = 0; i < g_due_n; i++)
        g_due[i]->due_slot = i + 1;
    for (size_t i = 0; i < g_due_n; i++) {
        struct pod_state *ps = g_due[i];
        if (!ps)
            continue; /* an earlier pod's step removed it */
        struct sim_obj *o = ps->obj;
        bool cold = !o->tree;
        tick_pod(ps, now); /* may free ps and o: g_due[i] is NULL then */
        if (!g_due[i])
            continue;
        ps->due_slot = 0;
        /* a pod's tree goes as soon as its step is committed, so that
         * 100,000 pods starting together never hold 100,000 trees */
        if (cold)
            store_cool(o);
    }
    g_due_n = 0;
    /* what has nothing scheduled any more leaves the active list */
    for (size_t i = g_active_n; i-- > 0;) {
        struct pod_state *ps = g_active[i];
        if (!ps->obj->deleting_ms && !ps->next_ms)
            deactivate(ps);
    }
}

/* ---- the log endpoint ---- */

struct log_follow {
    struct MHD_Connection *conn;
    char *ns, *name, *uid, *container;
    int instance; /* the container instance being followed */
    size_t off;   /* bytes of the log already sent */
    bool timestamps;
    struct strbuf out;
    size_t out_off;
    long long limit; /* limitBytes left, -1 = none */
    bool done;
};

static struct container_sim *find_container(struct pod_state *ps, const char *name)
{
    for (int i = 0; i < ps->n; i++)
        if (!name || strcmp(ps->c[i].name, name) == 0)
            return &ps->c[i];
    return NULL;
}

/* Appends log text, dropping the timestamps unless asked. */
static void copy_log(struct strbuf *out, const char *text, size_t len, bool timestamps)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl + 1 : end;
        const char *sp = timestamps ? p : memchr(p, ' ', (size_t)(stop - p));
        const char *from = sp && !timestamps ? sp + 1 : p;
        strbuf_add(out, from, (size_t)(stop - from));
        p = stop;
    }
}

static ssize_t follow_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct log_follow *f = cls;
    for (;;) {
        if (f->out_off < f->out.len) {
            size_t n = f->out.len - f->out_off;
            if (n > max)
                n = max;
            if (f->limit >= 0 && (long long)n > f->limit)
                n = (size_t)f->limit;
            if (n == 0)
                return MHD_CONTENT_READER_END_OF_STREAM;
            memcpy(buf, f->out.buf + f->out_off, n);
            f->out_off += n;
            if (f->limit >= 0)
                f->limit -= (long long)n;
            if (f->out_off == f->out.len)
                strbuf_reset(&f->out), f->out_off = 0;
            return (ssize_t)n;
        }
        if (f->done)
            return MHD_CONTENT_READER_END_OF_STREAM;
        pthread_mutex_lock(&sim_lock);
        for (;;) {
            struct sim_obj *o = store_get(store_rtype("", "pods"), f->ns, f->name);
            struct container_sim *c =
                o && str_eq(obj_uid(o), f->uid) ? find_container(o->pod, f->container) : NULL;
            if (!c || c->instance != f->instance || conn_closed(f->conn)) {
                if (c && c->instance != f->instance) {
                    /* the instance ended: its log moved to prev (restart) or stays */
                    struct strbuf *src = c->prev.len >= f->off ? &c->prev : &c->log;
                    if (src->len > f->off)
                        copy_log(&f->out, src->buf + f->off, src->len - f->off, f->timestamps);
                }
                f->done = true;
                break;
            }
            if (c->log.len > f->off) {
                copy_log(&f->out, c->log.buf + f->off, c->log.len - f->off, f->timestamps);
                f->off = c->log.len;
                break;
            }
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_sec += 1;
            pthread_cond_timedwait(&sim_changed, &sim_lock, &ts);
        }
        pthread_mutex_unlock(&sim_lock);
    }
}

static void follow_free(void *cls)
{
    struct log_follow *f = cls;
    free(f->ns);
    free(f->name);
    free(f->uid);
    free(f->container);
    strbuf_done(&f->out);
    free(f);
}

void pods_log_handle(struct req *r, struct reply *rep)
{
    pthread_mutex_lock(&sim_lock);
    struct sim_obj *o = r->ns && r->name ? store_get(r->rt, r->ns, r->name) : NULL;
    if (!o) {
        reply_status(rep, 404, "NotFound", "pods", r->name, "pods \"%s\" not found",
                     r->name ? r->name : "");
        goto out;
    }
    struct pod_state *ps = o->pod;
    const char *cname = req_arg(r, "container");
    if (!cname && ps->n > 1) {
        struct strbuf names;
        strbuf_init(&names);
        for (int i = 0; i < ps->n; i++)
            strbuf_addf(&names, "%s%s", i ? " " : "", ps->c[i].name);
        reply_status(rep, 400, "BadRequest", NULL, NULL,
                     "a container name must be specified for pod %s, choose one of: [%s]", r->name,
                     names.buf);
        strbuf_done(&names);
        goto out;
    }
    struct container_sim *c = find_container(ps, cname);
    if (!c) {
        reply_status(rep, 400, "BadRequest", NULL, NULL, "container %s is not valid for pod %s",
                     cname ? cname : "", r->name);
        goto out;
    }
    bool previous = req_arg_true(r, "previous");
    if (previous && ps->restarts == 0) {
        reply_status(rep, 400, "BadRequest", NULL, NULL,
                     "previous terminated container \"%s\" in pod \"%s\" not found", c->name,
                     r->name);
        goto out;
    }
    if (!previous && (ps->stage == ST_UNSCHEDULED || ps->stage == ST_PULLING ||
                      ps->stage == ST_PULL_BACKOFF || ps->stage == ST_INIT)) {
        const char *why = ps->stage == ST_PULL_BACKOFF ? "trying and failing to pull image"
                          : ps->stage == ST_INIT       ? "PodInitializing"
                                                       : "ContainerCreating";
        reply_status(rep, 400, "BadRequest", NULL, NULL,
                     "container \"%s\" in pod \"%s\" is waiting to start: %s", c->name, r->name,
                     why);
        goto out;
    }
    bool timestamps = req_arg_true(r, "timestamps");
    struct strbuf *src = previous ? &c->prev : &c->log;
    size_t start = 0;
    if (req_arg(r, "tailLines")) {
        long tail = atol(req_arg(r, "tailLines"));
        size_t p = src->len;
        long seen = 0;
        if (p > 0 && src->buf[p - 1] == '\n')
            p--;
        while (p > 0 && tail > 0) {
            if (src->buf[p - 1] == '\n' && ++seen == tail)
                break;
            p--;
        }
        start = tail > 0 ? p : src->len;
    }
    long long limit = req_arg(r, "limitBytes") ? atoll(req_arg(r, "limitBytes")) : -1;
    if (req_arg_true(r, "follow") && !previous) {
        struct log_follow *f = xcalloc(1, sizeof(*f));
        f->conn = r->conn;
        f->ns = xstrdup(r->ns);
        f->name = xstrdup(r->name);
        f->uid = xstrdup(obj_uid(o));
        f->container = xstrdup(c->name);
        f->instance = c->instance;
        f->timestamps = timestamps;
        f->limit = limit;
        strbuf_init(&f->out);
        copy_log(&f->out, src->buf + start, src->len - start, timestamps);
        f->off = src->len;
        f->done = ps->stage == ST_DONE;
        rep->code = 200;
        rep->ctype = "text/plain";
        rep->stream = follow_read;
        rep->stream_free = follow_free;
        rep->stream_cls = f;
        goto out;
    }
    struct strbuf out;
    strbuf_init(&out);
    copy_log(&out, src->buf + start, src->len - start, timestamps);
    if (limit >= 0 && (long long)out.len > limit) {
        out.len = (size_t)limit;
        out.buf[out.len] = '\0';
    }
    size_t len;
    char *body = strbuf_detach(&out, &len);
    reply_take(rep, 200, "text/plain", body, len);
out:
    pthread_mutex_unlock(&sim_lock);
}
