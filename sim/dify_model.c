/* sim/dify_model.c: the kubelet's side of the Dify model (see
 * dify_model.h): which pods are Dify's, one run per container start (its
 * environment and targets copied under sim_lock), the worker threads that
 * run each phase against the real stores, and the hand-back of log lines
 * and life. Also the two small shared tables: the schema's revision chain
 * and the plugin packages each storage holds. */
#include "config.h"

#include "sim/dify_model.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dify_alembic.h"
#include "core/image_ref.h"
#include "core/util.h"
#include "sim/datastores.h"
#include "sim/dify_run.h"
#include "sim/pods.h"
#include "sim/scenario.h"
#include "sim/select.h"
#include "sim/store.h"

/* What the image is, before the environment tells the mode. */
enum dify_image { IMG_API, IMG_WEB, IMG_DAEMON, IMG_SANDBOX, IMG_SQUID };

struct dify_pod {
    int container; /* index in spec.containers */
    enum dify_image image;
    double ready_delay;   /* simulated seconds from serving to Ready */
    struct dify_run *run; /* the current container instance, or NULL */
    long long ready_at;   /* when it becomes Ready (0: not yet known) */
    int starts;           /* container starts so far */
};

/* ---- which images are Dify's ---- */

static bool image_kind(const char *image, enum dify_image *kind)
{
    char repo[512], tag[128];
    dify_image_split(image, repo, sizeof(repo), tag, sizeof(tag));
    static const struct {
        const char *suffix;
        enum dify_image kind;
    } known[] = {
        {"langgenius/dify-api", IMG_API},
        {"langgenius/dify-web", IMG_WEB},
        {"langgenius/dify-plugin-daemon", IMG_DAEMON},
        {"langgenius/dify-sandbox", IMG_SANDBOX},
        {"ubuntu/squid", IMG_SQUID},
    };
    for (size_t i = 0; i < ARRAY_LEN(known); i++)
        if (str_ends_with(repo, known[i].suffix) &&
            (strlen(repo) == strlen(known[i].suffix) ||
             repo[strlen(repo) - strlen(known[i].suffix) - 1] == '/')) {
            *kind = known[i].kind;
            return true;
        }
    return false;
}

struct dify_pod *dify_model_attach(const cJSON *pod, const struct pod_behavior *b)
{
    if (!datastores_enabled() || b->logs || b->crash_after > 0 || b->never_ready)
        return NULL;
    const cJSON *c;
    int i = 0;
    cJSON_ArrayForEach(c, kj_get_mut(pod, "spec.containers"))
    {
        enum dify_image kind;
        if (image_kind(kj_str(c, "image"), &kind)) {
            struct dify_pod *dp = xcalloc(1, sizeof(*dp));
            dp->container = i;
            dp->image = kind;
            dp->ready_delay = b->ready_delay;
            return dp;
        }
        i++;
    }
    return NULL;
}

static void run_unref(struct dify_run *r)
{
    if (--r->refs > 0)
        return;
    free(r->tag);
    free(r->pod);
    free(r->ns);
    free(r->uid);
    free(r->node);
    dify_env_done(&r->env);
    dify_target_done(&r->db);
    dify_target_done(&r->redis);
    dify_target_done(&r->broker);
    free(r->broker_user);
    str_free_secret(r->broker_pass);
    free(r->storage);
    free(r->squid_conf);
    strbuf_done(&r->lines);
    free(r);
}

void dify_model_detach(struct dify_pod *dp)
{
    if (!dp)
        return;
    if (dp->run)
        run_unref(dp->run);
    free(dp);
}

int dify_model_container(const struct dify_pod *dp)
{
    return dp->container;
}

char *dify_model_config_error(struct dify_pod *dp, const cJSON *pod)
{
    const cJSON *c = cJSON_GetArrayItem(kj_get_mut(pod, "spec.containers"), dp->container);
    struct dify_env env;
    dify_env_init(&env);
    dify_env_resolve(&env, pod, c);
    char *p = env.problem ? xstrdup(env.problem) : NULL;
    dify_env_done(&env);
    return p;
}

/* ---- the worker threads ---- */

static pthread_mutex_t g_qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_qcond = PTHREAD_COND_INITIALIZER;
static struct dify_run **g_queue;
static size_t g_qn, g_qcap;
static bool g_workers_started;

static void *worker_main(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&g_qlock);
        while (g_qn == 0)
            pthread_cond_wait(&g_qcond, &g_qlock);
        struct dify_run *r = g_queue[0];
        memmove(g_queue, g_queue + 1, (g_qn - 1) * sizeof(*g_queue));
        g_qn--;
        pthread_mutex_unlock(&g_qlock);
        dify_components_step(r);
        pthread_mutex_lock(&sim_lock);
        r->busy = false;
        run_unref(r);
        pthread_cond_broadcast(&sim_changed);
        pthread_mutex_unlock(&sim_lock);
    }
    return NULL;
}

/* Hands the run's next phase to a worker (sim_lock held). */
static void submit(struct dify_run *r)
{
    if (!g_workers_started) {
        g_workers_started = true;
        for (int i = 0; i < 3; i++) {
            pthread_t t;
            pthread_create(&t, NULL, worker_main, NULL);
            pthread_detach(t);
        }
    }
    r->busy = true;
    r->refs++;
    r->due_ms = 0;
    pthread_mutex_lock(&g_qlock);
    if (g_qn == g_qcap) {
        g_qcap = g_qcap ? 2 * g_qcap : 16;
        g_queue = xrealloc(g_queue, g_qcap * sizeof(*g_queue));
    }
    g_queue[g_qn++] = r;
    pthread_cond_signal(&g_qcond);
    pthread_mutex_unlock(&g_qlock);
}

void dify_run_log(struct dify_run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *line = xvasprintf(fmt, ap);
    va_end(ap);
    /* one log line each: a multi-line text becomes several lines */
    strbuf_adds(&r->lines, line);
    strbuf_addc(&r->lines, '\n');
    free(line);
}

/* ---- building a run (sim_lock held) ---- */

/* A Service name as a pod in ns would look it up: "svc", "svc.ns",
 * "svc.ns.svc[.cluster.local]". */
static struct sim_obj *service_for(const char *host, const char *ns)
{
    char name[256], sns[128];
    snprintf(name, sizeof(name), "%s", host);
    snprintf(sns, sizeof(sns), "%s", ns);
    char *dot = strchr(name, '.');
    if (dot) {
        *dot = '\0';
        char *rest = dot + 1, *d2 = strchr(rest, '.');
        if (d2 && strcmp(d2, ".svc") != 0 && strcmp(d2, ".svc.cluster.local") != 0)
            return NULL;
        if (d2)
            *d2 = '\0';
        snprintf(sns, sizeof(sns), "%s", rest);
    }
    return store_get(store_rtype("", "services"), sns, name);
}

/* The address a name resolves to, for messages: the Service's cluster IP
 * when the name is a Service the store holds, else a stable stand-in. */
static void host_ip(const char *host, const char *ns, char out[32])
{
    if (!host || !*host) {
        snprintf(out, 32, "0.0.0.0");
        return;
    }
    if (strcmp(host, "localhost") == 0) {
        snprintf(out, 32, "127.0.0.1");
        return;
    }
    struct sim_obj *svc = service_for(host, ns);
    const char *ip = svc ? kj_str(obj_json(svc), "spec.clusterIP") : NULL;
    if (ip) {
        snprintf(out, 32, "%s", ip);
        return;
    }
    unsigned h = 2166136261u;
    for (const char *p = host; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    /* a cluster name gets a service-range address, an outside name another */
    bool cluster = !strchr(host, '.') || str_ends_with(host, ".svc") ||
                   str_ends_with(host, ".svc.cluster.local") || !strchr(strchr(host, '.') + 1, '.');
    snprintf(out, 32, "%s.%u.%u", cluster ? "10.96" : "10.0", (h >> 8) % 250 + 1, h % 250 + 2);
}

static void target(struct dify_target *t, const char *host, const char *port, int dflt_port,
                   const char *ns)
{
    dify_target_done(t);
    t->host = xstrdup(host ? host : "");
    t->port = port && *port ? atoi(port) : dflt_port;
    snprintf(t->ns, sizeof(t->ns), "%s", ns);
    host_ip(t->host, ns, t->ip);
}

/* A redis:// or rediss:// URL (kombu's broker URL) into target, user,
 * password and db; false for other schemes. */
static bool parse_broker(const char *url, const char *ns, struct dify_target *t, char **user,
                         char **pass, int *db)
{
    *user = *pass = NULL;
    *db = 0;
    const char *p = NULL;
    if (str_starts_with(url, "redis://"))
        p = url + 8;
    else if (str_starts_with(url, "rediss://"))
        p = url + 9;
    if (!p)
        return false;
    const char *at = strrchr(p, '@'), *hostp = at ? at + 1 : p;
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        char *u = xstrndup(p, (size_t)((colon ? colon : at) - p));
        char *pw = colon ? xstrndup(colon + 1, (size_t)(at - colon - 1)) : NULL;
        *user = *u ? u : (free(u), NULL);
        if (pw) {
            /* percent-decoding, as kombu does */
            char *o = pw;
            for (char *q = pw; *q; q++) {
                if (q[0] == '%' && q[1] && q[2]) {
                    char hex[3] = {q[1], q[2], 0};
                    *o++ = (char)strtol(hex, NULL, 16);
                    q += 2;
                } else {
                    *o++ = *q;
                }
            }
            *o = '\0';
        }
        *pass = pw;
    }
    size_t hl = strcspn(hostp, ":/");
    char *host = xstrndup(hostp, hl);
    char port[16] = "";
    if (hostp[hl] == ':')
        snprintf(port, sizeof(port), "%.*s", (int)strcspn(hostp + hl + 1, "/"), hostp + hl + 1);
    const char *slash = strchr(hostp, '/');
    if (slash)
        *db = atoi(slash + 1);
    target(t, host, port, 6379, ns);
    free(host);
    return true;
}

/* Is it `flask db upgrade` (the command, or the args of the entrypoint)? */
static bool runs_flask_db_upgrade(const cJSON *c)
{
    struct strbuf sb;
    strbuf_init(&sb);
    const cJSON *a;
    cJSON_ArrayForEach(a, kj_get_mut(c, "command"))
        strbuf_addf(&sb, " %s", cJSON_GetStringValue(a));
    cJSON_ArrayForEach(a, kj_get_mut(c, "args")) strbuf_addf(&sb, " %s", cJSON_GetStringValue(a));
    bool yes = strstr(sb.buf, "flask") && strstr(sb.buf, " db") && strstr(sb.buf, "upgrade") &&
               !strstr(sb.buf, "upgrade-db");
    strbuf_done(&sb);
    return yes;
}

static const char *first_arg(const cJSON *c)
{
    const cJSON *a = cJSON_GetArrayItem(kj_get_mut(c, "args"), 0);
    return cJSON_IsString(a) ? a->valuestring : "";
}

/* Where the daemon's plugin packages live, and whether a container restart
 * loses them (no volume: the container's own file system). */
static void daemon_storage(struct dify_run *r, const cJSON *pod, const cJSON *c)
{
    const char *type = dify_env_or(&r->env, "PLUGIN_STORAGE_TYPE", "local");
    if (strcmp(type, "local") != 0) {
        r->storage =
            xasprintf("bucket/%s/%s", type, dify_env_or(&r->env, "PLUGIN_STORAGE_OSS_BUCKET", ""));
        return;
    }
    const char *root = dify_env_or(&r->env, "PLUGIN_STORAGE_LOCAL_ROOT", "/app/storage");
    const cJSON *vol = dify_env_volume_at(pod, c, root);
    if (kj_get_mut(vol, "persistentVolumeClaim"))
        r->storage = xasprintf("pvc/%s/%s", r->ns, kj_str(vol, "persistentVolumeClaim.claimName"));
    else if (kj_get_mut(vol, "hostPath"))
        r->storage = xasprintf("hostPath/%s/%s", r->node, kj_str(vol, "hostPath.path"));
    else if (vol)
        r->storage = xasprintf("emptyDir/%s/%s", r->uid, kj_str(vol, "name"));
    else {
        r->storage = xasprintf("container/%s/%d", r->uid, r->restarts);
        r->storage_lost_on_restart = true;
    }
}

static struct dify_run *new_run(struct dify_pod *dp, struct sim_obj *pod)
{
    const cJSON *c =
        cJSON_GetArrayItem(kj_get_mut(obj_json(pod), "spec.containers"), dp->container);
    struct dify_run *r = xcalloc(1, sizeof(*r));
    r->refs = 1;
    strbuf_init(&r->lines);
    char repo[512], tag[128];
    dify_image_split(kj_str(c, "image"), repo, sizeof(repo), tag, sizeof(tag));
    r->tag = xstrdup(tag);
    r->pod = xstrdup(obj_name(pod));
    r->ns = xstrdup(obj_ns(pod) ? obj_ns(pod) : "default");
    r->uid = xstrdup(obj_uid(pod));
    r->node = xstrdup(pod->node ? pod->node : "");
    r->restarts = dp->starts - 1;
    r->probe = kj_get_mut(c, "readinessProbe") != NULL;
    dify_env_init(&r->env);
    dify_env_resolve(&r->env, obj_json(pod), c);
    const struct dify_env *e = &r->env;
    switch (dp->image) {
    case IMG_API: {
        const char *mode = dify_env_or(e, "MODE", "api");
        bool migrate_on = str_eq(dify_env_get(e, "MIGRATION_ENABLED"), "true");
        if (runs_flask_db_upgrade(c))
            r->comp = COMP_MIGRATE;
        else if (str_eq(mode, "worker"))
            r->comp = COMP_WORKER;
        else if (str_eq(mode, "beat"))
            r->comp = COMP_BEAT;
        else if (str_eq(mode, "migration") && migrate_on)
            r->comp = COMP_MIGRATE, r->upgrade_db = true;
        else if (str_eq(mode, "job") && str_eq(first_arg(c), "upgrade-db"))
            r->comp = COMP_MIGRATE, r->upgrade_db = true;
        else
            r->comp = COMP_API;
        /* Dify's configuration defaults (api/configs/middleware/__init__.py) */
        target(&r->db, dify_env_or(e, "DB_HOST", "localhost"), dify_env_get(e, "DB_PORT"), 5432,
               r->ns);
        target(&r->redis, dify_env_or(e, "REDIS_HOST", "localhost"), dify_env_get(e, "REDIS_PORT"),
               6379, r->ns);
        break;
    }
    case IMG_DAEMON:
        r->comp = COMP_DAEMON;
        /* the daemon's defaults (internal/types/app/default.go) */
        target(&r->db, dify_env_or(e, "DB_HOST", "localhost"), dify_env_get(e, "DB_PORT"), 5432,
               r->ns);
        r->db.sslmode = xstrdup(dify_env_or(e, "DB_SSL_MODE", "disable"));
        target(&r->redis, dify_env_or(e, "REDIS_HOST", "localhost"), dify_env_get(e, "REDIS_PORT"),
               6379, r->ns);
        daemon_storage(r, obj_json(pod), c);
        break;
    case IMG_SANDBOX:
        r->comp = COMP_SANDBOX;
        break;
    case IMG_WEB:
        r->comp = COMP_WEB;
        break;
    case IMG_SQUID:
        r->comp = COMP_SSRF;
        r->squid_conf = dify_env_file(obj_json(pod), c, "/etc/squid/squid.conf");
        break;
    }
    return r;
}

/* Builds the broker target of a celery process from its environment. The
 * scheme-less or missing URL is celery's default, amqp on localhost. */
static void broker_target(struct dify_run *r)
{
    const char *url = dify_env_get(&r->env, "CELERY_BROKER_URL");
    r->broker_redis = url && parse_broker(url, r->ns, &r->broker, &r->broker_user, &r->broker_pass,
                                          &r->broker_db);
    if (!r->broker_redis)
        target(&r->broker, "localhost", "5672", 5672, r->ns);
}

void dify_model_start(struct dify_pod *dp, struct sim_obj *pod)
{
    dp->starts++;
    if (dp->run)
        run_unref(dp->run);
    dp->run = new_run(dp, pod);
    dp->ready_at = 0;
    if (dp->run->comp == COMP_WORKER || dp->run->comp == COMP_BEAT)
        broker_target(dp->run);
    dp->run->phase = 0;
    dp->run->delay = -1;
    submit(dp->run);
}

static enum dify_state ready_state(const struct dify_pod *dp, long long now)
{
    return dp->ready_at && now >= dp->ready_at ? DIFY_READY : DIFY_STARTING;
}

enum dify_state dify_model_step(struct dify_pod *dp, struct sim_obj *pod, long long now, int *code,
                                long long *wake_ms)
{
    struct dify_run *r = dp->run;
    *wake_ms = 0;
    *code = 0;
    if (!r)
        return DIFY_STARTING;
    if (r->busy) {
        *wake_ms = now + 50;
        return ready_state(dp, now);
    }
    /* write the lines the last phase produced */
    char *p = r->lines.buf;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        pods_container_log(pod, dp->container, p);
        if (!nl)
            break;
        p = nl + 1;
    }
    strbuf_reset(&r->lines);
    if (r->life == LIFE_EXITED) {
        *code = r->exit_code;
        return DIFY_EXITED;
    }
    /* Ready: with a readiness probe when the process serves its health
     * endpoint; without one as soon as the container runs (Kubernetes) */
    bool up = r->probe ? r->life == LIFE_SERVING : true;
    if (up && !dp->ready_at)
        dp->ready_at = now + sim_ms(dp->ready_delay);
    if (!up)
        dp->ready_at = 0;
    if (r->delay >= 0) {
        r->due_ms = now + sim_ms(r->delay);
        r->delay = -1;
    }
    if (r->due_ms && now >= r->due_ms) {
        submit(r);
        *wake_ms = now + 50;
        return ready_state(dp, now);
    }
    long long next = r->due_ms;
    if (dp->ready_at > now && (!next || dp->ready_at < next))
        next = dp->ready_at;
    *wake_ms = next;
    return ready_state(dp, now);
}

/* ---- the schema's revision chain ---- */

void dify_revision_id(int i, char out[13])
{
    /* a release whose real head is known (core/dify_alembic) ends at it,
     * so DT-403 finds the simulated schema where the real one would be */
    for (size_t k = 0; k < dify_nalembic_heads; k++)
        if (dify_revision_head(dify_alembic_heads[k].api) == i) {
            snprintf(out, 13, "%s", dify_alembic_heads[k].head);
            return;
        }
    /* twelve hex digits, like alembic's ids, stable for each position
     * (splitmix64 of the position) */
    unsigned long long z = (unsigned long long)i * 0x9e3779b97f4a7c15ULL + 0x5851f42d4c957f2dULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    snprintf(out, 13, "%012llx", z & 0xffffffffffffULL);
}

int dify_revision_head(const char *tag)
{
    int maj = 0, min = 0, pat = 0;
    if (sscanf(tag ? tag : "", "%d.%d.%d", &maj, &min, &pat) < 2)
        return 40; /* an unversioned tag: the chain's start */
    int h = 40 * maj + 8 * min + pat;
    return h < 1 ? 1 : h > 2000 ? 2000 : h;
}

int dify_revision_index(const char *id)
{
    char buf[13];
    for (int i = 1; i <= 2000; i++) {
        dify_revision_id(i, buf);
        if (str_eq(buf, id))
            return i;
    }
    return -1;
}

/* ---- plugin packages by storage ---- */

static pthread_mutex_t g_slock = PTHREAD_MUTEX_INITIALIZER;
static char **g_pkgs; /* "storage\nplugin" */
static size_t g_npkgs;

void dify_storage_add(const char *storage, const char *plugin)
{
    if (dify_storage_has(storage, plugin))
        return;
    pthread_mutex_lock(&g_slock);
    g_pkgs = xrealloc(g_pkgs, (g_npkgs + 1) * sizeof(char *));
    g_pkgs[g_npkgs++] = xasprintf("%s\n%s", storage, plugin);
    pthread_mutex_unlock(&g_slock);
}

bool dify_storage_has(const char *storage, const char *plugin)
{
    char *key = xasprintf("%s\n%s", storage, plugin);
    bool hit = false;
    pthread_mutex_lock(&g_slock);
    for (size_t i = 0; i < g_npkgs && !hit; i++)
        hit = strcmp(g_pkgs[i], key) == 0;
    pthread_mutex_unlock(&g_slock);
    free(key);
    return hit;
}

/* ---- the service proxy ---- */

/* The plugin daemon the api's PLUGIN_DAEMON_URL reaches: the Service of
 * that name with that port, and a Ready pod behind it running the daemon. */
static void find_daemon(struct dify_call *c)
{
    const char *url = dify_env_or(&c->run->env, "PLUGIN_DAEMON_URL", "http://localhost:5002");
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    size_t hl = strcspn(h, ":/");
    char host[256];
    snprintf(host, sizeof(host), "%.*s", (int)hl, h);
    int port = h[hl] == ':' ? atoi(h + hl + 1) : str_starts_with(url, "https") ? 443 : 80;
    c->daemon_fail = DIFY_FAIL_REFUSED;
    struct sim_obj *svc = strcmp(host, "localhost") ? service_for(host, c->run->ns) : NULL;
    if (!svc) {
        if (strcmp(host, "localhost") != 0)
            c->daemon_fail = DIFY_FAIL_DNS;
        return;
    }
    bool port_ok = false;
    const cJSON *p;
    cJSON_ArrayForEach(p, kj_get_mut(obj_json(svc), "spec.ports")) port_ok =
        port_ok || kj_num(p, "port", 0) == port;
    const cJSON *sel = kj_get_mut(obj_json(svc), "spec.selector");
    if (!port_ok || !cJSON_GetArraySize(sel))
        return;
    struct rtype *prt = store_rtype("", "pods");
    char *prefix = xasprintf("%s/", obj_ns(svc));
    for (size_t i = store_lower_bound(prt, prefix); i < prt->n; i++) {
        struct sim_obj *pod = prt->objs[i];
        if (!str_starts_with(pod->key, prefix))
            break;
        struct dify_pod *dp = pods_dify(pod);
        if (!dp || !dp->run || dp->run->comp != COMP_DAEMON || pod->deleting_ms || !pod->ready ||
            !selector_match_labels(sel, obj_labels(pod)))
            continue;
        c->daemon = dp->run;
        c->daemon->refs++;
        break;
    }
    free(prefix);
}

/* Writes lines to the pod's modelled container if run is still its
 * current instance. */
static void write_lines(const char *ns, const char *name, struct dify_run *run,
                        struct strbuf *lines)
{
    struct sim_obj *pod = store_get(store_rtype("", "pods"), ns, name);
    struct dify_pod *dp = pod ? pods_dify(pod) : NULL;
    if (!dp || dp->run != run || !lines->len)
        return;
    char *p = lines->buf;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        pods_container_log(pod, dp->container, p);
        if (!nl)
            break;
        p = nl + 1;
    }
}

bool dify_model_proxy(struct sim_obj *pod, struct req *r, const char *path, struct reply *rep)
{
    struct dify_pod *dp = pods_dify(pod);
    if (!dp || !dp->run)
        return false;
    struct dify_call c = {.run = dp->run};
    c.run->refs++;
    strbuf_init(&c.log);
    strbuf_init(&c.daemon_log);
    if (c.run->comp == COMP_API)
        find_daemon(&c);
    pthread_mutex_unlock(&sim_lock);
    dify_proxy_answer(&c, r, path, rep);
    pthread_mutex_lock(&sim_lock);
    write_lines(c.run->ns, c.run->pod, c.run, &c.log);
    if (c.daemon) {
        write_lines(c.daemon->ns, c.daemon->pod, c.daemon, &c.daemon_log);
        run_unref(c.daemon);
    }
    run_unref(c.run);
    strbuf_done(&c.log);
    strbuf_done(&c.daemon_log);
    return true;
}
