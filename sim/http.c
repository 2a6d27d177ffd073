/* sim/http.c: the HTTPS server. libmicrohttpd runs one thread per connection
 * (MHD_USE_THREAD_PER_CONNECTION), so a watch or a log follow may block in its
 * read callback on the sim_changed condition; every handler takes sim_lock
 * while it touches the store. Routing, bearer-token auth (401/403), injected
 * faults from the scenario, and Kubernetes Status bodies live here. */
#include "config.h"

#include "sim/http.h"
#include "sim/proto_write.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "sim/api.h"
#include "sim/discovery.h"
#include "sim/pods.h"
#include "sim/proxy.h"
#include "sim/scenario.h"
#include "sim/store.h"

struct user {
    char *name;
    char *token;
    char *verbs; /* ",get,list," or "*" */
};

static struct user *g_users;
static size_t g_n_users;
static struct MHD_Daemon *g_daemon;

void http_add_user(const char *name, const char *token, const char *verbs)
{
    g_users = xrealloc(g_users, (g_n_users + 1) * sizeof(*g_users));
    g_users[g_n_users].name = xstrdup(name);
    g_users[g_n_users].token = xstrdup(token);
    g_users[g_n_users].verbs = strcmp(verbs, "*") == 0 ? xstrdup("*") : xasprintf(",%s,", verbs);
    g_n_users++;
}

const char *req_arg(const struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(const struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

bool req_arg_true(const struct req *r, const char *name)
{
    const char *v = req_arg(r, name);
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

void reply_take(struct reply *rep, int code, const char *ctype, char *body, size_t len)
{
    free(rep->body);
    rep->code = code;
    rep->ctype = ctype;
    rep->body = body;
    rep->len = len;
}

void reply_json(struct reply *rep, int code, cJSON *j)
{
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    reply_take(rep, code, "application/json", s, strlen(s));
}

void reply_text(struct reply *rep, int code, const char *ctype, const char *text)
{
    reply_take(rep, code, ctype, xstrdup(text), strlen(text));
}

void reply_status(struct reply *rep, int code, const char *reason, const char *kind,
                  const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    cJSON *st = cJSON_CreateObject();
    js_set_str(st, "kind", "Status");
    js_set_str(st, "apiVersion", "v1");
    js_obj(st, "metadata");
    js_set_str(st, "status", "Failure");
    js_set_str(st, "message", msg);
    js_set_str(st, "reason", reason);
    if (kind || name) {
        cJSON *d = js_obj(st, "details");
        if (name)
            js_set_str(d, "name", name);
        if (kind)
            js_set_str(d, "kind", kind);
    }
    js_set_num(st, "code", code);
    free(msg);
    reply_json(rep, code, st);
}

bool conn_closed(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!ci)
        return true;
    struct pollfd p = {.fd = ci->connect_fd, .events = POLLRDHUP};
    if (poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)))
        return true;
    return false;
}

static const struct user *authenticate(struct MHD_Connection *c)
{
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
        return NULL;
    const char *tok = auth + 7;
    for (size_t i = 0; i < g_n_users; i++)
        if (strcmp(g_users[i].token, tok) == 0)
            return &g_users[i];
    return NULL;
}

static bool user_may(const struct user *u, const char *verb)
{
    if (strcmp(u->verbs, "*") == 0)
        return true;
    char needle[64];
    snprintf(needle, sizeof(needle), ",%s,", verb);
    return strstr(u->verbs, needle) != NULL;
}

/* Splits the path into segments; returns how many (at most max). */
static int split_path(char *path, char **seg, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *s = strtok_r(path, "/", &save); s && n < max; s = strtok_r(NULL, "/", &save))
        seg[n++] = s;
    return n;
}

/* Fills r->rt/ns/name/sub from /api/v1/... or /apis/G/V/...; false if not a resource path. */
static bool parse_resource(struct req *r)
{
    char *copy = xstrdup(r->url);
    char *seg[16];
    int n = split_path(copy, seg, 16), i;
    const char *group, *version;
    if (n >= 3 && strcmp(seg[0], "api") == 0 && strcmp(seg[1], "v1") == 0) {
        group = "";
        version = "v1";
        i = 2;
    } else if (n >= 4 && strcmp(seg[0], "apis") == 0) {
        group = seg[1];
        version = seg[2]; /* v1, or a custom resource's version */
        i = 3;
    } else {
        free(copy);
        return false;
    }
    if (strcmp(seg[i], "namespaces") == 0 && n - i >= 3) {
        r->ns = xstrdup(seg[i + 1]);
        i += 2;
        if (group[0] == '\0' && n - i == 1 &&
            (strcmp(seg[i], "status") == 0 || strcmp(seg[i], "finalize") == 0)) {
            /* /api/v1/namespaces/NAME/status is the namespace's own subresource */
            r->rt = store_rtype("", "namespaces");
            r->name = r->ns;
            r->ns = NULL;
            r->sub = xstrdup(seg[i]);
            free(copy);
            return true;
        }
    }
    pthread_mutex_lock(&sim_lock); /* custom kinds come and go */
    r->rt = store_rtype_gv(group, version, seg[i]);
    pthread_mutex_unlock(&sim_lock);
    if (!r->rt) {
        free(copy);
        return true; /* a resource path for an unknown resource: 404 later */
    }
    if (n - i >= 2)
        r->name = xstrdup(seg[i + 1]);
    if (n - i >= 3)
        r->sub = xstrdup(seg[i + 2]);
    if (r->sub && strcmp(r->sub, "proxy") == 0) {
        /* everything after .../proxy, as the client sent it */
        const char *p = strstr(r->url, "/proxy");
        r->rest = xstrdup(p[6] ? p + 6 : "/");
    }
    free(copy);
    return true;
}

static const char *verb_of(const struct req *r)
{
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
        if (r->name)
            return "get";
        return req_arg_true(r, "watch") ? "watch" : "list";
    }
    if (strcmp(r->method, "POST") == 0)
        return "create";
    if (strcmp(r->method, "PUT") == 0)
        return "update";
    if (strcmp(r->method, "PATCH") == 0)
        return "patch";
    if (strcmp(r->method, "DELETE") == 0)
        return r->name ? "delete" : "deletecollection";
    return "unknown";
}

/* POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews: what
 * `kubectl auth can-i` asks. Every authenticated user may ask (the real
 * system:basic-user role); the answer is the token's verb rule, which
 * applies to every resource and namespace here. */
static void access_review(struct req *r, const struct user *u, struct reply *rep)
{
    cJSON *in = cJSON_ParseWithLength(r->body.buf, r->body.len);
    const char *verb = kj_str(in, "spec.resourceAttributes.verb");
    if (!verb) {
        cJSON_Delete(in);
        reply_status(rep, 400, "BadRequest", NULL, NULL,
                     "spec.resourceAttributes.verb is required (non-resource URLs are not "
                     "simulated)");
        return;
    }
    bool allowed = user_may(u, verb);
    cJSON *out = cJSON_CreateObject();
    js_set_str(out, "kind", "SelfSubjectAccessReview");
    js_set_str(out, "apiVersion", "authorization.k8s.io/v1");
    js_obj(out, "metadata");
    cJSON *spec = kj_get_mut(in, "spec");
    js_set(out, "spec", spec ? cJSON_Duplicate(spec, true) : cJSON_CreateObject());
    cJSON *st = js_obj(out, "status");
    cJSON_AddBoolToObject(st, "allowed", allowed);
    if (!allowed)
        js_set_str(st, "reason", "no rule of the token allows it");
    cJSON_Delete(in);
    reply_json(rep, 201, out);
}

static void route(struct req *r, struct reply *rep)
{
    const struct user *u = authenticate(r->conn);
    if (!u) {
        reply_status(rep, 401, "Unauthorized", NULL, NULL, "Unauthorized");
        return;
    }
    r->user = u->name;
    long latency = 0;
    int fault = scenario_fault(r->method, r->url, &latency);
    if (latency > 0)
        usleep((useconds_t)latency * 1000);
    if (fault) {
        reply_status(rep, fault, fault == 503 ? "ServiceUnavailable" : "InternalError", NULL, NULL,
                     "injected by the scenario: %d on %s %s", fault, r->method, r->url);
        return;
    }
    pthread_mutex_lock(&sim_lock); /* discovery lists the kinds, custom ones too */
    bool answered = discovery_handle(r, rep);
    pthread_mutex_unlock(&sim_lock);
    if (answered)
        return;
    if (strcmp(r->method, "POST") == 0 &&
        strcmp(r->url, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews") == 0) {
        access_review(r, u, rep);
        return;
    }
    if (!parse_resource(r)) {
        reply_status(rep, 404, "NotFound", NULL, NULL,
                     "the server could not find the requested "
                     "resource");
        return;
    }
    if (!r->rt) {
        reply_status(rep, 404, "NotFound", NULL, NULL,
                     "the server could not find the requested resource");
        return;
    }
    const char *verb = verb_of(r);
    if (!user_may(u, verb)) {
        const char *rs = r->rt->plural;
        char *res = r->sub ? xasprintf("%s/%s", rs, r->sub) : xstrdup(rs);
        if (r->ns)
            reply_status(rep, 403, "Forbidden", rs, r->name,
                         "%s%s%s is forbidden: User \"%s\" cannot %s resource \"%s\" in API group "
                         "\"%s\" in the namespace \"%s\"",
                         rs, r->name ? " \"" : "", r->name ? r->name : "", u->name, verb, res,
                         r->rt->group, r->ns);
        else
            reply_status(rep, 403, "Forbidden", rs, r->name,
                         "%s is forbidden: User \"%s\" cannot %s resource \"%s\" in API group "
                         "\"%s\" at the cluster scope",
                         rs, u->name, verb, res, r->rt->group);
        free(res);
        return;
    }
    if (r->sub && strcmp(r->sub, "log") == 0 && strcmp(r->rt->plural, "pods") == 0)
        pods_log_handle(r, rep);
    else if (r->sub && strcmp(r->sub, "proxy") == 0 && strcmp(r->rt->plural, "services") == 0)
        proxy_handle(r, rep);
    else
        api_handle(r, rep);
}

/* Per-connection state between the calls MHD makes for one request. */
struct conn_state {
    struct strbuf body;
};

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct conn_state *cs = *con_cls;
    if (!cs) {
        cs = xcalloc(1, sizeof(*cs));
        strbuf_init(&cs->body);
        *con_cls = cs;
        return MHD_YES;
    }
    if (*upload_data_size) {
        strbuf_add(&cs->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct req r = {.conn = c, .method = method, .url = url, .body = cs->body};
    const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
    r.table = accept && strstr(accept, "as=Table") != NULL;
    r.proto = !r.table && proto_accept_first(accept);
    struct reply rep = {0};
    route(&r, &rep);
    struct MHD_Response *resp;
    if (rep.stream) {
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, rep.stream,
                                                 rep.stream_cls, rep.stream_free);
    } else {
        resp = MHD_create_response_from_buffer(rep.len, rep.body ? rep.body : (char *)"",
                                               rep.body ? MHD_RESPMEM_MUST_FREE
                                                        : MHD_RESPMEM_PERSISTENT);
    }
    if (rep.ctype)
        MHD_add_response_header(resp, "Content-Type", rep.ctype);
    MHD_add_response_header(resp, "Cache-Control", "no-cache, private");
    if (rep.hdr_name)
        MHD_add_response_header(resp, rep.hdr_name, rep.hdr_value);
    if (rep.code == 401)
        MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"dify-sim\"");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)rep.code, resp);
    MHD_destroy_response(resp);
    free(rep.hdr_name);
    free(rep.hdr_value);
    free(r.ns);
    free(r.name);
    free(r.sub);
    free(r.rest);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct conn_state *cs = *con_cls;
    if (cs) {
        strbuf_done(&cs->body);
        free(cs);
        *con_cls = NULL;
    }
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char buf[512];
    vsnprintf(buf, sizeof(buf), fmt, ap);
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[n - 1] = '\0';
    log_debug("microhttpd: %s", buf);
}

int http_start(int port, const char *cert_pem, const char *key_pem)
{
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                                    MHD_USE_TLS | MHD_USE_ERROR_LOG,
                                0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR,
                                (struct sockaddr *)&sa, MHD_OPTION_HTTPS_MEM_KEY, key_pem,
                                MHD_OPTION_HTTPS_MEM_CERT, cert_pem, MHD_OPTION_NOTIFY_COMPLETED,
                                on_completed, NULL, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
                                MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)0, MHD_OPTION_END);
    if (!g_daemon)
        return -1;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(g_daemon, MHD_DAEMON_INFO_BIND_PORT);
    return di ? di->port : -1;
}

void http_stop(void)
{
    if (g_daemon)
        MHD_stop_daemon(g_daemon);
    g_daemon = NULL;
}
