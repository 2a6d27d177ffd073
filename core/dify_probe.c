/* core/dify_probe.c: the probes of dify_probe.h. Each is a small chain of
 * requests on the loop: health is one proxied GET; the key check and the
 * storage check first read the workload and the Secrets and ConfigMaps its
 * environment names (one at a time, in the order the pod spec names them),
 * then judge. The environment is resolved as the kubelet does it: envFrom
 * sources in order (later ones win, with their prefix), then env entries
 * (which win over envFrom; $(VAR) of a name defined before is expanded);
 * kubernetes pkg/kubelet/kubelet_pods.go makeEnvironmentVariables. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dify_components.h"
#include "core/dify_probe.h"
#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/kubeconfig.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"

/* Any tenant id reaches the daemon's key middleware first; this one is
 * nobody's, so the list it answers is empty. */
#define PROBE_TENANT "00000000-0000-0000-0000-000000000000"
#define PROBE_KEY_ROUTE "management/list"

enum stage { ST_HEALTH, ST_WORKLOAD, ST_SOURCES, ST_CALL };

struct dify_probe {
    struct kube_client *c;
    enum dify_probe_kind kind;
    char *ns;
    dify_probe_cb cb;
    void *arg;
    struct kube_req *req;
    long long timer; /* a failure known at the start, reported from the loop */
    enum stage stage;
    long long t0;
    struct dify_probe_result res;
    /* the workload and its environment */
    const struct kube_resource *wl_res;
    char *wl_name;
    cJSON *workload;
    const cJSON *container; /* inside workload */
    char **src_kinds;       /* "secret" or "configmap", per source to fetch */
    char **src_names;
    cJSON **src_objs; /* NULL: missing */
    size_t nsrc, next_src;
    char *fallback_svc, *fallback_port;
    char *route; /* the key call: /plugin/<tenant>/ROUTE */
};

static struct dify_probe *probe_new(struct kube_client *c, enum dify_probe_kind kind,
                                    const char *ns, dify_probe_cb cb, void *arg)
{
    struct dify_probe *p = xcalloc(1, sizeof(*p));
    p->c = c;
    p->kind = kind;
    p->ns = xstrdup(ns ? ns : "default");
    p->cb = cb;
    p->arg = arg;
    p->res.kind = kind;
    p->t0 = now_ms();
    return p;
}

static void probe_free(struct dify_probe *p)
{
    free(p->ns);
    free(p->wl_name);
    cJSON_Delete(p->workload);
    for (size_t i = 0; i < p->nsrc; i++) {
        free(p->src_kinds[i]);
        free(p->src_names[i]);
        cJSON_Delete(p->src_objs[i]);
    }
    free(p->src_kinds);
    free(p->src_names);
    free(p->src_objs);
    free(p->fallback_svc);
    free(p->fallback_port);
    free(p->route);
    free(p);
}

void dify_probe_cancel(struct dify_probe *p)
{
    if (!p)
        return;
    kube_req_cancel(p->req);
    if (p->timer)
        loop_cancel_timer(kube_client_loop(p->c), p->timer);
    probe_free(p);
}

/* Reports and frees. */
static void finish(struct dify_probe *p)
{
    if (!p->res.latency_ms)
        p->res.latency_ms = now_ms() - p->t0;
    p->cb(&p->res, p->arg);
    probe_free(p);
}

static void failf(struct dify_probe *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void failf(struct dify_probe *p, const char *fmt, ...)
{
    p->res.no_reply = p->res.http_status == 0 && !p->timer;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->res.msg, sizeof(p->res.msg), fmt, ap);
    va_end(ap);
    p->res.ok = false;
    finish(p);
}

/* A short account of a failed reply: an API server Status says what the
 * proxy could not do ("503: no endpoints available for service ..."); any
 * other body is the component's own answer, cut short. */
static void reply_words(long status, const char *body, size_t len, const struct error *err,
                        char *out, size_t n)
{
    cJSON *j = body && len ? cJSON_ParseWithLength(body, len) : NULL;
    const char *msg = kj_str(j, "message");
    if (status == 0 && err)
        snprintf(out, n, "%.900s", err->msg);
    else if (msg)
        snprintf(out, n, "%ld: %.400s", status, msg);
    else if (len)
        snprintf(out, n, "%ld: %.*s", status, (int)(len > 200 ? 200 : len), body);
    else
        snprintf(out, n, "%ld: %.400s", status, err ? err->msg : "empty reply");
    /* one line */
    for (char *c = out; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    cJSON_Delete(j);
}

static bool is_api_status(const char *body, size_t len)
{
    cJSON *j = body && len ? cJSON_ParseWithLength(body, len) : NULL;
    bool s = str_eq(kj_str(j, "kind"), "Status");
    cJSON_Delete(j);
    return s;
}

/* ---- health ---- */

static void health_done(long status, const char *body, size_t len, const struct error *err,
                        void *arg)
{
    struct dify_probe *p = arg;
    p->req = NULL;
    p->res.latency_ms = now_ms() - p->t0;
    p->res.http_status = status;
    p->res.no_reply = status == 0 && err;
    p->res.status = is_api_status(body, len) ? 0 : status;
    if (err) {
        reply_words(status, body, len, err, p->res.msg, sizeof(p->res.msg));
        p->res.ok = false;
        finish(p);
        return;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    const char *st = kj_str(j, "status"), *ver = kj_str(j, "version");
    snprintf(p->res.version, sizeof(p->res.version), "%s", ver ? ver : "");
    if (!j) {
        snprintf(p->res.msg, sizeof(p->res.msg), "%ld: the answer is not JSON", status);
        p->res.ok = false;
    } else if (st && strcmp(st, "ok") != 0) {
        snprintf(p->res.msg, sizeof(p->res.msg), "%ld: status \"%.100s\"", status, st);
        p->res.ok = false;
    } else {
        p->res.ok = true;
        snprintf(p->res.msg, sizeof(p->res.msg), "%ld ok%s%s", status, ver ? ", version " : "",
                 ver ? p->res.version : "");
    }
    cJSON_Delete(j);
    finish(p);
}

static struct dify_probe *health(struct kube_client *c, enum dify_probe_kind kind, const char *ns,
                                 const char *service, const char *port, const char *path,
                                 dify_probe_cb cb, void *arg)
{
    struct dify_probe *p = probe_new(c, kind, ns, cb, arg);
    p->stage = ST_HEALTH;
    p->req = kube_service_proxy_get(c, p->ns, service, port, path, health_done, p);
    return p;
}

struct dify_probe *dify_probe_api_health(struct kube_client *c, const char *ns, const char *service,
                                         const char *port, dify_probe_cb cb, void *arg)
{
    return health(c, DIFY_PROBE_API_HEALTH, ns, service, port, "/health", cb, arg);
}

struct dify_probe *dify_probe_daemon_health(struct kube_client *c, const char *ns,
                                            const char *service, const char *port, dify_probe_cb cb,
                                            void *arg)
{
    return health(c, DIFY_PROBE_DAEMON_HEALTH, ns, service, port, "/health/check", cb, arg);
}

/* ---- the workload and its environment ---- */

/* The container that runs the component: the first with its image, else
 * the first. */
static const cJSON *pick_container(const cJSON *wl, enum dify_comp want)
{
    const cJSON *c, *first = NULL;
    cJSON_ArrayForEach(c, kj_get(wl, "spec.template.spec.containers"))
    {
        if (!first)
            first = c;
        enum dify_comp ic = dify_comp_of_image(kj_str(c, "image"));
        if (ic == want)
            return c;
    }
    return first;
}

static void add_source(struct dify_probe *p, const char *kind, const char *name)
{
    if (str_empty(name))
        return;
    for (size_t i = 0; i < p->nsrc; i++)
        if (!strcmp(p->src_kinds[i], kind) && !strcmp(p->src_names[i], name))
            return;
    p->src_kinds = xrealloc(p->src_kinds, (p->nsrc + 1) * sizeof(char *));
    p->src_names = xrealloc(p->src_names, (p->nsrc + 1) * sizeof(char *));
    p->src_objs = xrealloc(p->src_objs, (p->nsrc + 1) * sizeof(cJSON *));
    p->src_kinds[p->nsrc] = xstrdup(kind);
    p->src_names[p->nsrc] = xstrdup(name);
    p->src_objs[p->nsrc] = NULL;
    p->nsrc++;
}

static void collect_sources(struct dify_probe *p)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, kj_get(p->container, "envFrom"))
    {
        add_source(p, "configmap", kj_str(e, "configMapRef.name"));
        add_source(p, "secret", kj_str(e, "secretRef.name"));
    }
    cJSON_ArrayForEach(e, kj_get(p->container, "env"))
    {
        add_source(p, "configmap", kj_str(e, "valueFrom.configMapKeyRef.name"));
        add_source(p, "secret", kj_str(e, "valueFrom.secretKeyRef.name"));
    }
}

static const cJSON *source(const struct dify_probe *p, const char *kind, const char *name)
{
    for (size_t i = 0; i < p->nsrc; i++)
        if (!strcmp(p->src_kinds[i], kind) && str_eq(p->src_names[i], name))
            return p->src_objs[i];
    return NULL;
}

/* A key of a ConfigMap's data or a Secret's (decoded) data; caller frees. */
static char *source_value(const cJSON *obj, bool secret, const char *key)
{
    const cJSON *data = kj_get(obj, "data");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(data, key);
    if (!cJSON_IsString(v))
        return NULL;
    if (!secret)
        return xstrdup(v->valuestring);
    char *out;
    size_t n;
    if (kube_base64_decode(v->valuestring, &out, &n) < 0)
        return NULL;
    return out;
}

/* $(VAR) of names the container defined before this entry. */
static char *expand(const char *val, char **names, char **vals, size_t n)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *s = val; *s;) {
        if (s[0] == '$' && s[1] == '$') {
            strbuf_addc(&sb, '$');
            s += 2;
            continue;
        }
        const char *end = s[0] == '$' && s[1] == '(' ? strchr(s + 2, ')') : NULL;
        if (end) {
            size_t len = (size_t)(end - s - 2);
            const char *hit = NULL;
            for (size_t i = n; i-- > 0 && !hit;)
                if (strlen(names[i]) == len && !strncmp(names[i], s + 2, len))
                    hit = vals[i];
            if (hit) {
                strbuf_adds(&sb, hit);
                s = end + 1;
                continue;
            }
        }
        strbuf_addc(&sb, *s++);
    }
    return strbuf_detach(&sb, NULL);
}

/* The container's value of name, as the kubelet would give it; NULL when
 * unset. *why (may be NULL) says what a reference missed. */
static char *env_value(const struct dify_probe *p, const char *name, char *why, size_t wn)
{
    size_t cap = 64, n = 0;
    char **names = xcalloc(cap, sizeof(char *)), **vals = xcalloc(cap, sizeof(char *));
    const cJSON *e;
    /* envFrom first, in order */
    cJSON_ArrayForEach(e, kj_get(p->container, "envFrom"))
    {
        bool secret = kj_has(e, "secretRef");
        const char *src = kj_str(e, secret ? "secretRef.name" : "configMapRef.name");
        const char *prefix = kj_str(e, "prefix");
        const cJSON *obj = source(p, secret ? "secret" : "configmap", src);
        const cJSON *kv;
        cJSON_ArrayForEach(kv, kj_get(obj, "data"))
        {
            char *full = xasprintf("%s%s", prefix ? prefix : "", kv->string);
            if (strcmp(full, name) == 0) {
                char *v = source_value(obj, secret, kv->string);
                if (n == cap) {
                    cap *= 2;
                    names = xrealloc(names, cap * sizeof(char *));
                    vals = xrealloc(vals, cap * sizeof(char *));
                }
                names[n] = full;
                vals[n++] = v ? v : xstrdup("");
            } else {
                free(full);
            }
        }
    }
    cJSON_ArrayForEach(e, kj_get(p->container, "env"))
    {
        const char *en = kj_str(e, "name");
        if (!en)
            continue;
        char *v = NULL;
        const char *val = kj_str(e, "value");
        if (val) {
            v = expand(val, names, vals, n);
        } else if (kj_has(e, "valueFrom.secretKeyRef") || kj_has(e, "valueFrom.configMapKeyRef")) {
            bool secret = kj_has(e, "valueFrom.secretKeyRef");
            const char *base = secret ? "valueFrom.secretKeyRef" : "valueFrom.configMapKeyRef";
            char path[64];
            snprintf(path, sizeof(path), "%s.name", base);
            const char *src = kj_str(e, path);
            snprintf(path, sizeof(path), "%s.key", base);
            const char *key = kj_str(e, path);
            const cJSON *obj = source(p, secret ? "secret" : "configmap", src);
            v = obj && key ? source_value(obj, secret, key) : NULL;
            if (!v && why && strcmp(en, name) == 0)
                snprintf(why, wn, "%s: %s \"%s\" %s", en, secret ? "Secret" : "ConfigMap",
                         src ? src : "", obj ? "has no such key" : "not found");
            if (!v)
                continue;
        } else {
            v = xstrdup(""); /* fieldRef and the like: set, not a key we read */
        }
        if (n == cap) {
            cap *= 2;
            names = xrealloc(names, cap * sizeof(char *));
            vals = xrealloc(vals, cap * sizeof(char *));
        }
        names[n] = xstrdup(en);
        vals[n++] = v;
    }
    char *out = NULL;
    for (size_t i = n; i-- > 0;)
        if (strcmp(names[i], name) == 0) {
            out = xstrdup(vals[i]);
            break;
        }
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
        str_free_secret(vals[i]);
    }
    free(names);
    free(vals);
    return out;
}

static void judge(struct dify_probe *p);

static void next_source(struct dify_probe *p);

static void source_done(long status, const char *body, size_t len, const struct error *err,
                        void *arg)
{
    struct dify_probe *p = arg;
    p->req = NULL;
    p->res.http_status = status;
    if (err && status != 404) {
        failf(p, "reading %s \"%s\": %s", p->src_kinds[p->next_src], p->src_names[p->next_src],
              err->msg);
        return;
    }
    if (!err)
        p->src_objs[p->next_src] = cJSON_ParseWithLength(body, len);
    p->next_src++;
    next_source(p);
}

static void next_source(struct dify_probe *p)
{
    if (p->next_src >= p->nsrc) {
        judge(p);
        return;
    }
    p->stage = ST_SOURCES;
    const struct kube_resource *r = kube_resource_find(p->src_kinds[p->next_src]);
    p->req = kube_get(p->c, r, p->ns, p->src_names[p->next_src], source_done, p);
}

static void workload_done(long status, const char *body, size_t len, const struct error *err,
                          void *arg)
{
    struct dify_probe *p = arg;
    p->req = NULL;
    p->res.http_status = status;
    if (err) {
        failf(p, "reading %s \"%s\": %s", p->wl_res->singular, p->wl_name, err->msg);
        return;
    }
    p->workload = cJSON_ParseWithLength(body, len);
    enum dify_comp want =
        p->kind == DIFY_PROBE_DAEMON_KEY ? DIFY_COMP_API : DIFY_COMP_PLUGIN_DAEMON;
    p->container = pick_container(p->workload, want);
    if (!p->container) {
        failf(p, "%s \"%s\" has no container", p->wl_res->singular, p->wl_name);
        return;
    }
    collect_sources(p);
    next_source(p);
}

static void report_now(struct loop *l, long long id, void *arg)
{
    struct dify_probe *p = arg;
    p->timer = 0;
    finish(p);
}

static struct dify_probe *start_workload(struct kube_client *c, enum dify_probe_kind kind,
                                         const char *ns, const char *wl_kind, const char *wl_name,
                                         dify_probe_cb cb, void *arg)
{
    struct dify_probe *p = probe_new(c, kind, ns, cb, arg);
    p->wl_res = kube_resource_find(wl_kind ? wl_kind : "deployment");
    p->wl_name = xstrdup(wl_name ? wl_name : "");
    p->stage = ST_WORKLOAD;
    if (!p->wl_res || str_empty(wl_name)) {
        snprintf(p->res.msg, sizeof(p->res.msg), "no %s workload to read",
                 kind == DIFY_PROBE_DAEMON_KEY ? "api" : "plugin daemon");
        p->timer = loop_add_timer(kube_client_loop(c), 0, report_now, p);
        return p;
    }
    p->req = kube_get(c, p->wl_res, p->ns, p->wl_name, workload_done, p);
    return p;
}

/* ---- the key ---- */

/* "http://dify-plugin-daemon:5002" -> service, namespace (or ""), port.
 * False for a host the service proxy cannot reach (localhost, an IP). */
static bool url_service(const char *url, char *svc, size_t sn, char *ns, size_t nn, char *port,
                        size_t pn)
{
    const char *h = strstr(url, "://");
    bool https = str_starts_with(url, "https");
    h = h ? h + 3 : url;
    size_t hl = strcspn(h, ":/");
    char host[256];
    snprintf(host, sizeof(host), "%.*s", (int)hl, h);
    if (h[hl] == ':')
        snprintf(port, pn, "%.*s", (int)strcspn(h + hl + 1, "/"), h + hl + 1);
    else
        snprintf(port, pn, "%s", https ? "443" : "80");
    if (!host[0] || !strcmp(host, "localhost") || strspn(host, "0123456789.") == strlen(host) ||
        strchr(host, '['))
        return false;
    char *dot = strchr(host, '.');
    snprintf(svc, sn, "%.*s", (int)(dot ? (size_t)(dot - host) : strlen(host)), host);
    ns[0] = '\0';
    if (dot) {
        /* svc.ns, svc.ns.svc, svc.ns.svc.cluster.local */
        size_t nl = strcspn(dot + 1, ".");
        const char *rest = dot + 1 + nl;
        if (!*rest || str_starts_with(rest, ".svc"))
            snprintf(ns, nn, "%.*s", (int)nl, dot + 1);
        else
            return false; /* a name outside the cluster */
    }
    return true;
}

static void key_call_done(long status, const char *body, size_t len, const struct error *err,
                          void *arg)
{
    struct dify_probe *p = arg;
    p->req = NULL;
    p->res.latency_ms = now_ms() - p->t0;
    bool from_api_server = is_api_status(body, len);
    p->res.http_status = status;
    p->res.no_reply = status == 0 && err;
    p->res.status = from_api_server ? 0 : status;
    char words[512];
    reply_words(status, body, len, err, words, sizeof(words));
    if (!err) {
        p->res.ok = true;
        p->res.key = DIFY_KEY_OK;
        snprintf(p->res.msg, sizeof(p->res.msg), "the plugin daemon accepts the api's key (%ld)",
                 status);
    } else if (!from_api_server && (status == 401 || status == 403)) {
        p->res.key = DIFY_KEY_MISMATCH;
        snprintf(p->res.msg, sizeof(p->res.msg),
                 "the plugin daemon refuses the api's key (%ld): the api's PLUGIN_DAEMON_KEY is "
                 "not the daemon's SERVER_KEY",
                 status);
    } else if (!from_api_server && status == 404) {
        p->res.key = DIFY_KEY_SKEW;
        snprintf(p->res.msg, sizeof(p->res.msg),
                 "the plugin daemon has no route the api calls (404): api and plugin daemon are "
                 "of different releases");
    } else if (from_api_server && status == 503) {
        p->res.key = DIFY_KEY_UNREACHABLE;
        snprintf(p->res.msg, sizeof(p->res.msg), "the api cannot reach the plugin daemon: %s",
                 words);
    } else {
        p->res.key = DIFY_KEY_UNKNOWN;
        snprintf(p->res.msg, sizeof(p->res.msg), "the key check failed: %s", words);
    }
    finish(p);
}

static void judge_key(struct dify_probe *p)
{
    char why[256] = "";
    char *key = env_value(p, "PLUGIN_DAEMON_KEY", why, sizeof(why));
    char *url = env_value(p, "PLUGIN_DAEMON_URL", NULL, 0);
    if (!key && why[0]) {
        free(url);
        failf(p, "the api's %s", why);
        return;
    }
    /* unset: dify api/configs/feature/__init__.py's defaults */
    if (!key)
        key = xstrdup("plugin-api-key");
    if (!url)
        url = xstrdup("http://localhost:5002");
    log_add_secret(key);
    char svc[256], ns[256], port[32];
    if (!url_service(url, svc, sizeof(svc), ns, sizeof(ns), port, sizeof(port))) {
        if (str_empty(p->fallback_svc)) {
            failf(p, "the api's PLUGIN_DAEMON_URL \"%.200s\" names no Service to call", url);
            free(url);
            str_free_secret(key);
            return;
        }
        snprintf(svc, sizeof(svc), "%s", p->fallback_svc);
        snprintf(port, sizeof(port), "%s", p->fallback_port ? p->fallback_port : "");
        ns[0] = '\0';
    }
    char *hdr = xasprintf("X-Api-Key: %s", key);
    const char *headers[] = {hdr, NULL};
    p->stage = ST_CALL;
    p->t0 = now_ms();
    char *path = xasprintf("/plugin/" PROBE_TENANT "/%s?page=1&page_size=1",
                           p->route ? p->route : PROBE_KEY_ROUTE);
    p->req = kube_service_proxy_request(p->c, ns[0] ? ns : p->ns, svc, port, path, headers,
                                        key_call_done, p);
    free(path);
    str_free_secret(hdr);
    str_free_secret(key);
    free(url);
}

struct dify_probe *dify_probe_daemon_key(struct kube_client *c, const char *ns,
                                         const char *api_kind, const char *api_name,
                                         const char *daemon_service, const char *daemon_port,
                                         dify_probe_cb cb, void *arg)
{
    struct dify_probe *p =
        start_workload(c, DIFY_PROBE_DAEMON_KEY, ns, api_kind, api_name, cb, arg);
    p->fallback_svc = xstrdup_or_null(daemon_service);
    p->fallback_port = xstrdup_or_null(daemon_port);
    return p;
}

struct dify_probe *dify_probe_daemon_key_route(struct kube_client *c, const char *ns,
                                               const char *api_kind, const char *api_name,
                                               const char *daemon_service, const char *daemon_port,
                                               const char *route, dify_probe_cb cb, void *arg)
{
    struct dify_probe *p =
        dify_probe_daemon_key(c, ns, api_kind, api_name, daemon_service, daemon_port, cb, arg);
    p->route = xstrdup_or_null(route);
    return p;
}

/* ---- the storage ---- */

static const cJSON *named(const cJSON *list, const char *name)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, list)
    {
        if (str_eq(kj_str(v, "name"), name))
            return v;
    }
    return NULL;
}

/* The mount holding path: the longest mountPath that is path or above it. */
static const cJSON *mount_for(const cJSON *container, const char *path)
{
    const cJSON *m, *best = NULL;
    size_t best_len = 0;
    cJSON_ArrayForEach(m, kj_get(container, "volumeMounts"))
    {
        const char *mp = kj_str(m, "mountPath");
        if (!mp)
            continue;
        size_t l = strlen(mp);
        while (l > 1 && mp[l - 1] == '/')
            l--;
        bool above = strncmp(path, mp, l) == 0 && (path[l] == '\0' || path[l] == '/' || l == 1);
        if (above && l >= best_len) {
            best = m;
            best_len = l;
        }
    }
    return best;
}

static void storage_say(struct dify_probe *p, enum dify_storage_state s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void storage_say(struct dify_probe *p, enum dify_storage_state s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->res.msg, sizeof(p->res.msg), fmt, ap);
    va_end(ap);
    p->res.storage = s;
    p->res.ok = s == DIFY_STORAGE_VOLUME || s == DIFY_STORAGE_EXTERNAL;
    finish(p);
}

static void judge_storage(struct dify_probe *p)
{
    char *type = env_value(p, "PLUGIN_STORAGE_TYPE", NULL, 0);
    char *root = env_value(p, "PLUGIN_STORAGE_LOCAL_ROOT", NULL, 0);
    if (!str_empty(type) && strcmp(type, "local") != 0) {
        storage_say(p, DIFY_STORAGE_EXTERNAL,
                    "plugins are kept in %.64s storage (PLUGIN_STORAGE_TYPE): they survive a "
                    "restart",
                    type);
        goto out;
    }
    /* plugin-daemon internal/types/app/config.go: PLUGIN_STORAGE_LOCAL_ROOT */
    const char *dir = str_empty(root) ? "/app/storage" : root;
    const cJSON *m = mount_for(p->container, dir);
    if (!m) {
        storage_say(p, DIFY_STORAGE_CONTAINER,
                    "no volume is mounted at %.200s: installed plugins are lost when the "
                    "container restarts",
                    dir);
        goto out;
    }
    const char *vname = kj_str(m, "name");
    const cJSON *vol = named(kj_get(p->workload, "spec.template.spec.volumes"), vname);
    const cJSON *claim = NULL, *t;
    cJSON_ArrayForEach(t, kj_get(p->workload, "spec.volumeClaimTemplates"))
    {
        if (str_eq(kj_str(t, "metadata.name"), vname))
            claim = t;
    }
    if (claim && !vol) {
        storage_say(p, DIFY_STORAGE_VOLUME,
                    "plugins are kept on the StatefulSet's claim \"%.100s\" at %.200s", vname, dir);
    } else if (kj_has(vol, "persistentVolumeClaim")) {
        storage_say(p, DIFY_STORAGE_VOLUME, "plugins are kept on PVC \"%.100s\" at %.200s",
                    kj_str(vol, "persistentVolumeClaim.claimName"), dir);
    } else if (kj_has(vol, "emptyDir")) {
        storage_say(p, DIFY_STORAGE_POD,
                    "%.200s is an emptyDir: installed plugins are lost when the pod is replaced",
                    dir);
    } else if (kj_has(vol, "hostPath")) {
        storage_say(p, DIFY_STORAGE_NODE,
                    "%.200s is a hostPath: plugins stay only while the pod stays on its node", dir);
    } else if (vol) {
        storage_say(p, DIFY_STORAGE_VOLUME, "plugins are kept on volume \"%.100s\" at %.200s",
                    vname, dir);
    } else {
        storage_say(p, DIFY_STORAGE_UNKNOWN, "the mount at %.200s names no volume \"%.100s\"", dir,
                    vname ? vname : "");
    }
out:
    free(type);
    free(root);
}

static void judge(struct dify_probe *p)
{
    if (p->kind == DIFY_PROBE_DAEMON_KEY)
        judge_key(p);
    else
        judge_storage(p);
}

struct dify_probe *dify_probe_daemon_storage(struct kube_client *c, const char *ns,
                                             const char *daemon_kind, const char *daemon_name,
                                             dify_probe_cb cb, void *arg)
{
    return start_workload(c, DIFY_PROBE_DAEMON_STORAGE, ns, daemon_kind, daemon_name, cb, arg);
}

/* ---- words ---- */

const char *dify_key_state_name(enum dify_key_state k)
{
    switch (k) {
    case DIFY_KEY_OK:
        return "ok";
    case DIFY_KEY_MISMATCH:
        return "key mismatch";
    case DIFY_KEY_SKEW:
        return "version skew";
    case DIFY_KEY_UNREACHABLE:
        return "unreachable";
    default:
        return "unknown";
    }
}

const char *dify_storage_state_name(enum dify_storage_state s)
{
    switch (s) {
    case DIFY_STORAGE_VOLUME:
        return "volume";
    case DIFY_STORAGE_EXTERNAL:
        return "external";
    case DIFY_STORAGE_POD:
        return "pod";
    case DIFY_STORAGE_CONTAINER:
        return "container";
    case DIFY_STORAGE_NODE:
        return "node";
    default:
        return "unknown";
    }
}

enum dify_pair dify_probe_pair(const char *api_version, const char *daemon_version, char *msg,
                               size_t len)
{
    enum dify_pair pr = dify_pair_check(api_version, daemon_version);
    const struct dify_release *r = dify_release_find(api_version);
    if (pr == DIFY_PAIR_SKEW && r)
        snprintf(msg, len, "api %s ships with plugin daemon %s, not %s", api_version,
                 r->plugin_daemon, daemon_version ? daemon_version : "(none)");
    else if (pr == DIFY_PAIR_UNKNOWN_API)
        snprintf(msg, len, "api %s is not a release dify-tui knows: the pair is not judged",
                 api_version ? api_version : "(none)");
    else
        snprintf(msg, len, "%s", "");
    return pr;
}
