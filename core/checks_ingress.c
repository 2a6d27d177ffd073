/* core/checks_ingress.c: area 7, the Ingress in front of Dify.
 *
 * DT-701 follows each of Dify's routes through the namespace's Ingresses as
 * an ingress controller would (per host: an Exact path, else the longest
 * Prefix by path elements, else the default backend; ImplementationSpecific
 * as a plain prefix) to a Service, then through the Service's selector to a
 * workload, and says when a route lands on the wrong component, a Service
 * that does not exist, or a port the Service does not have. The routes are
 * the community chart's and docker-compose's nginx (dify `docker/nginx/
 * conf.d/default.conf.template`): /console/api, /api, /v1, /files to the
 * api on 5001; /e/ to the plugin daemon on 5002; / to web on 3000. A route
 * that falls through to web is the "/console/api/setup 404" of dify-helm
 * #122 and #140.
 * DT-702 resolves each host the Ingresses name (off the loop).
 * DT-703 connects to each TLS host with libcurl (on a thread of its own,
 * bounded by the deadline) and reads the served certificate's expiry from
 * libcurl's certificate information. */
#include "config.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/checks_impl.h"
#include "core/checks_resolve.h"
#include "core/checks_util.h"
#include "core/dify_components.h"
#include "core/kube_json.h"
#include "core/loop.h"
#include "core/util.h"

#define DOC "docs/diagnose.md#"
#define MAX_HOSTS 16

/* ---- DT-701 the routes ---- */

struct route {
    const char *probe; /* a request path that takes the route */
    const char *prefix;
    enum dify_comp comp;
    int port; /* the component's port */
};

static const struct route routes[] = {
    {"/console/api/setup", "/console/api", DIFY_COMP_API, 5001},
    {"/api/parameters", "/api", DIFY_COMP_API, 5001},
    {"/v1/chat-messages", "/v1", DIFY_COMP_API, 5001},
    {"/files/upload", "/files", DIFY_COMP_API, 5001},
    {"/e/plugin/endpoint", "/e/", DIFY_COMP_PLUGIN_DAEMON, 5002},
    {"/apps", "/", DIFY_COMP_WEB, 3000},
};

/* Whether an Ingress path matches a request path, and how well (its
 * length; -1 no match; Exact is one better than any Prefix of its length). */
static int path_match(const char *path, const char *type, const char *req)
{
    if (str_empty(path))
        path = "/";
    size_t n = strlen(path);
    if (str_eq(type, "Exact"))
        return str_eq(path, req) ? (int)(2 * n + 1) : -1;
    if (str_eq(type, "Prefix")) {
        /* element-wise: "/api" matches "/api" and "/api/x", not "/apix";
         * a trailing slash is ignored */
        while (n > 1 && path[n - 1] == '/')
            n--;
        if (n == 1)
            return 2;
        if (strncmp(path, req, n) != 0 || (req[n] != '\0' && req[n] != '/'))
            return -1;
        return (int)(2 * n);
    }
    /* ImplementationSpecific (nginx): a plain prefix */
    return strncmp(path, req, n) == 0 ? (int)(2 * n) : -1;
}

struct backend {
    const cJSON *ing; /* the Ingress that routes it */
    const char *path;
    const char *service;
    long port_number;
    const char *port_name;
    bool found;
};

static void backend_of(const cJSON *b, struct backend *out)
{
    out->service = kj_str(b, "service.name");
    out->port_number = (long)kj_int(b, "service.port.number", 0);
    out->port_name = kj_str(b, "service.port.name");
}

/* The backend a request to host/req reaches through the Ingresses. */
static void route_find(const cJSON *ings, const char *host, const char *req, struct backend *out)
{
    memset(out, 0, sizeof(*out));
    int best = -1;
    const cJSON *ing, *rule, *p;
    cJSON_ArrayForEach(ing, ings)
    {
        cJSON_ArrayForEach(rule, kj_get(ing, "spec.rules"))
        {
            const char *h = kj_str(rule, "host");
            if (!str_empty(h) && !str_eq(h, host))
                continue;
            cJSON_ArrayForEach(p, kj_get(rule, "http.paths"))
            {
                int m = path_match(kj_str(p, "path"), kj_str(p, "pathType"), req);
                /* a rule for the host itself beats a catch-all rule */
                if (m >= 0 && !str_empty(h))
                    m += 10000;
                if (m > best) {
                    best = m;
                    out->ing = ing;
                    out->path = kj_str(p, "path") ? kj_str(p, "path") : "/";
                    backend_of(kj_get(p, "backend"), out);
                    out->found = true;
                }
            }
        }
    }
    if (out->found)
        return;
    cJSON_ArrayForEach(ing, ings)
    {
        if (kj_get(ing, "spec.defaultBackend")) {
            out->ing = ing;
            out->path = "(default backend)";
            backend_of(kj_get(ing, "spec.defaultBackend"), out);
            out->found = true;
            return;
        }
    }
}

static const cJSON *by_name(const cJSON *items, const char *name)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, items)
    {
        if (str_eq(kj_str(o, "metadata.name"), name))
            return o;
    }
    return NULL;
}

/* Whether every pair of a Service's selector is among the labels. */
static bool selects(const cJSON *selector, const cJSON *labels)
{
    if (!selector || !cJSON_GetArraySize(selector))
        return false;
    const cJSON *kv;
    cJSON_ArrayForEach(kv, selector)
    {
        if (!cJSON_IsString(kv) || !str_eq(json_member_str(labels, kv->string), kv->valuestring))
            return false;
    }
    return true;
}

struct svc_target {
    const cJSON *svc;
    enum dify_comp comp;
    const cJSON *tpl;
    const char *workload;
};

static void find_selected(const struct workload_ref *w, void *arg)
{
    struct svc_target *t = arg;
    if (t->tpl || str_eq(w->kind, "Job"))
        return;
    if (selects(kj_get(t->svc, "spec.selector"), kj_get(w->tpl, "metadata.labels"))) {
        t->tpl = w->tpl;
        t->workload = w->name;
        t->comp = dify_comp_of_json(w->obj, NULL);
    }
}

/* The container port a Service port's targetPort names on the template. */
static long target_port(const cJSON *sp, const cJSON *tpl, bool *declared)
{
    const cJSON *tp = cJSON_GetObjectItemCaseSensitive(sp, "targetPort");
    long port = (long)kj_int(sp, "port", 0);
    *declared = false;
    const cJSON *ct, *cp;
    if (cJSON_IsNumber(tp))
        port = (long)tp->valuedouble;
    cJSON_ArrayForEach(ct, kj_get(tpl, "spec.containers"))
    {
        cJSON_ArrayForEach(cp, kj_get(ct, "ports"))
        {
            *declared = true;
            if (cJSON_IsString(tp) && str_eq(kj_str(cp, "name"), tp->valuestring))
                return (long)kj_int(cp, "containerPort", 0);
        }
    }
    return cJSON_IsString(tp) ? -1 : port;
}

static bool container_has_port(const cJSON *tpl, long port)
{
    const cJSON *ct, *cp;
    cJSON_ArrayForEach(ct, kj_get(tpl, "spec.containers"))
    {
        cJSON_ArrayForEach(cp, kj_get(ct, "ports"))
        {
            if (kj_int(cp, "containerPort", 0) == port)
                return true;
        }
    }
    return false;
}

enum route_outcome {
    ROUTE_RIGHT,
    ROUTE_ELSEWHERE, /* 404, or only a catch-all "/" takes it: another host may serve it */
    ROUTE_WRONG,     /* a rule for the path sends it to the wrong place */
};

/* One route on one host; why says where it goes (the evidence line). */
static enum route_outcome route_check(struct check *c, const char *host, const struct route *rt,
                                      char *why, size_t n)
{
    struct backend b;
    const char *shown = str_empty(host) ? "*" : host;
    route_find(check_fact(c, FACT_INGRESSES), host, rt->probe, &b);
    if (!b.found) {
        snprintf(why, n, "%s%s: no rule or default backend takes it (404)", shown, rt->prefix);
        return ROUTE_ELSEWHERE;
    }
    /* Only the catch-all takes it: fine for web, "not here" for the rest. */
    bool catchall =
        str_eq(b.path, "/") || str_eq(b.path, "(default backend)") || str_eq(b.path, "");
    enum route_outcome bad = catchall && rt->comp != DIFY_COMP_WEB ? ROUTE_ELSEWHERE : ROUTE_WRONG;
    const cJSON *svc = by_name(check_fact(c, FACT_SERVICES), b.service);
    if (!svc) {
        snprintf(why, n, "%s%s -> Service %s (path %s): no such Service (503)", shown, rt->prefix,
                 b.service ? b.service : "(none)", b.path);
        return ROUTE_WRONG;
    }
    const cJSON *sp, *port = NULL;
    cJSON_ArrayForEach(sp, kj_get(svc, "spec.ports"))
    {
        if ((b.port_name && str_eq(kj_str(sp, "name"), b.port_name)) ||
            (!b.port_name && kj_int(sp, "port", 0) == b.port_number))
            port = sp;
    }
    char pdesc[64];
    if (b.port_name)
        snprintf(pdesc, sizeof(pdesc), "port %s", b.port_name);
    else
        snprintf(pdesc, sizeof(pdesc), "port %ld", b.port_number);
    if (!port) {
        snprintf(why, n, "%s%s -> Service %s %s: the Service has no such port", shown, rt->prefix,
                 b.service, pdesc);
        return ROUTE_WRONG;
    }
    struct svc_target t = {.svc = svc};
    workloads_each(c, find_selected, &t);
    if (!t.tpl) {
        snprintf(why, n, "%s%s -> Service %s: its selector matches no workload (503)", shown,
                 rt->prefix, b.service);
        return ROUTE_WRONG;
    }
    if (t.comp == DIFY_COMP_PROXY) {
        snprintf(why, n, "%s%s -> Service %s %s -> %s (the chart's nginx, which routes on)", shown,
                 rt->prefix, b.service, pdesc, t.workload);
        return ROUTE_RIGHT;
    }
    if (t.comp != rt->comp) {
        snprintf(why, n, "%s%s -> Service %s -> %s, which is the %s, not the %s (path %s)", shown,
                 rt->prefix, b.service, t.workload, dify_comp_desc(t.comp)->title,
                 dify_comp_desc(rt->comp)->title, b.path);
        return bad;
    }
    bool declared;
    long tp = target_port(port, t.tpl, &declared);
    if (tp < 0 || (declared && !container_has_port(t.tpl, tp)) || (!declared && tp != rt->port)) {
        snprintf(why, n,
                 "%s%s -> Service %s %s -> %s: the Service sends it to port %ld, where the %s "
                 "does not listen (it listens on %d)",
                 shown, rt->prefix, b.service, pdesc, t.workload, tp,
                 dify_comp_desc(rt->comp)->title, rt->port);
        return ROUTE_WRONG;
    }
    snprintf(why, n, "%s%s -> Service %s %s -> %s port %ld", shown, rt->prefix, b.service, pdesc,
             t.workload, tp);
    return ROUTE_RIGHT;
}

/* The distinct hosts of the Ingresses' rules ("" for rules without one). */
static size_t ingress_hosts(const struct check *c, const char **hosts, size_t max, bool tls_only)
{
    size_t n = 0;
    const cJSON *ing, *rule, *h;
    cJSON_ArrayForEach(ing, check_fact(c, FACT_INGRESSES))
    {
        if (tls_only) {
            const cJSON *t;
            cJSON_ArrayForEach(t, kj_get(ing, "spec.tls"))
            {
                cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(t, "hosts"))
                {
                    bool seen = false;
                    for (size_t i = 0; i < n; i++)
                        seen = seen || str_eq(hosts[i], h->valuestring);
                    if (!seen && n < max && cJSON_IsString(h) && !str_empty(h->valuestring))
                        hosts[n++] = h->valuestring;
                }
            }
            continue;
        }
        cJSON_ArrayForEach(rule, kj_get(ing, "spec.rules"))
        {
            const char *v = kj_str(rule, "host") ? kj_str(rule, "host") : "";
            bool seen = false;
            for (size_t i = 0; i < n; i++)
                seen = seen || str_eq(hosts[i], v);
            if (!seen && n < max)
                hosts[n++] = v;
        }
    }
    return n;
}

static void routes_start(struct check *c)
{
    check_more(c, DOC "dt-701");
    if (!cJSON_GetArraySize(check_fact(c, FACT_INGRESSES))) {
        check_skip(c, "no Ingress in namespace %s (Dify is reached another way)", check_env(c)->ns);
        return;
    }
    const char *hosts[MAX_HOSTS];
    size_t nh = ingress_hosts(c, hosts, MAX_HOSTS, false);
    if (!nh)
        hosts[nh++] = ""; /* only a default backend */
    /* A route is right when some host sends it to its component and no
     * host has a rule that sends it elsewhere: the web host and the api
     * host may split the paths between them. */
    int bad = 0, total = 0;
    char first[600] = "";
    bool web_fallthrough = false;
    for (size_t i = 0; i < ARRAY_LEN(routes); i++) {
        char why[600], right[600] = "", miss[600] = "";
        bool wrong = false;
        total++;
        for (size_t h = 0; h < nh; h++) {
            enum route_outcome o = route_check(c, hosts[h], &routes[i], why, sizeof(why));
            if (o == ROUTE_RIGHT && !right[0])
                snprintf(right, sizeof(right), "%s", why);
            if (o == ROUTE_ELSEWHERE && !miss[0])
                snprintf(miss, sizeof(miss), "%s", why);
            if (o == ROUTE_WRONG) {
                check_evidence(c, "%s", why);
                if (!bad && !wrong)
                    snprintf(first, sizeof(first), "%s", why);
                wrong = true;
            }
        }
        if (!wrong && right[0]) {
            check_evidence(c, "%s", right);
            continue;
        }
        if (!wrong) {
            check_evidence(c, "%s (no host serves %s)", miss, routes[i].prefix);
            if (!bad)
                snprintf(first, sizeof(first), "no host sends %s to the %s", routes[i].prefix,
                         dify_comp_desc(routes[i].comp)->title);
            web_fallthrough = web_fallthrough || strstr(miss, "which is the web") != NULL;
        }
        bad++;
    }
    if (!bad) {
        check_ok(c, "%d routes reach the right components", total);
        return;
    }
    check_explain(c,
                  "Dify's console and API calls must reach the api (5001), plugin endpoints "
                  "the plugin daemon (5002), and only the rest the web front end (3000).%s",
                  web_fallthrough ? " A path that falls through to web answers 404 to the "
                                    "console's API calls: the console shows a blank setup page "
                                    "(/console/api/setup 404, dify-helm#122, #140)."
                                  : "");
    check_try(c,
              "%s get ingress -o yaml   # add the paths: /console/api /api /v1 /files -> api "
              "5001, /e/ -> plugin daemon 5002, / -> web 3000",
              check_kubectl(c));
    check_fail(c, "%d of %d routes are wrong: %s", bad, total, first);
}

/* ---- DT-702 the hosts resolve ---- */

struct hosts_state {
    struct check *c;
    struct resolve *res[MAX_HOSTS];
    char *host[MAX_HOSTS];
    size_t n, pending, failed;
    char lb[512]; /* the load balancer addresses the Ingresses report */
};

static void hosts_stop(struct check *c)
{
    struct hosts_state *s = check_state(c);
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        resolve_cancel(s->res[i]);
        free(s->host[i]);
    }
    free(s);
}

static void host_resolved(const char *host, const char *const *addrs, size_t n, const char *err,
                          void *arg)
{
    struct hosts_state *s = arg;
    struct check *c = s->c;
    for (size_t i = 0; i < s->n; i++)
        if (str_eq(s->host[i], host))
            s->res[i] = NULL;
    if (!n) {
        check_evidence(c, "%s: does not resolve (%s)", host, err ? err : "?");
        s->failed++;
    } else {
        char list[256] = "";
        for (size_t i = 0; i < n && strlen(list) < 200; i++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? " " : "",
                     addrs[i]);
        check_evidence(c, "%s: %s", host, list);
    }
    if (--s->pending)
        return;
    check_more(c, DOC "dt-702");
    if (s->lb[0])
        check_evidence(c, "the Ingresses' load balancer: %s", s->lb);
    if (s->failed) {
        check_explain(c, "A host the Ingress serves has no DNS record: browsers and API "
                         "clients cannot reach Dify by that name. Point it (a CNAME or an "
                         "alias record) at the load balancer the Ingress reports.");
        check_try(c, "%s get ingress -o wide   # the ADDRESS to point the name at",
                  check_kubectl(c));
        check_fail(c, "%zu of %zu hosts do not resolve", s->failed, s->n);
        return;
    }
    check_ok(c, "%zu host%s resolve", s->n, s->n == 1 ? "" : "s");
}

static void hosts_start(struct check *c)
{
    const char *hosts[MAX_HOSTS];
    size_t nh = ingress_hosts(c, hosts, MAX_HOSTS, false);
    struct hosts_state *s = xcalloc(1, sizeof(*s));
    s->c = c;
    check_set_state(c, s);
    const cJSON *ing, *lb;
    cJSON_ArrayForEach(ing, check_fact(c, FACT_INGRESSES))
    {
        cJSON_ArrayForEach(lb, kj_get(ing, "status.loadBalancer.ingress"))
        {
            const char *a = kj_str(lb, "hostname") ? kj_str(lb, "hostname") : kj_str(lb, "ip");
            if (a && strlen(s->lb) + strlen(a) + 2 < sizeof(s->lb))
                snprintf(s->lb + strlen(s->lb), sizeof(s->lb) - strlen(s->lb), "%s%s",
                         s->lb[0] ? " " : "", a);
        }
    }
    for (size_t i = 0; i < nh; i++) {
        if (str_empty(hosts[i]) || hosts[i][0] == '*')
            continue;
        s->host[s->n++] = xstrdup(hosts[i]);
    }
    if (!s->n) {
        check_more(c, DOC "dt-702");
        check_skip(c, "no Ingress names a host");
        return;
    }
    s->pending = s->n;
    check_waiting(c, "%zu host name%s to resolve", s->n, s->n == 1 ? "" : "s");
    for (size_t i = 0; i < s->n; i++)
        s->res[i] = resolve_start(check_env(c)->loop, s->host[i], host_resolved, s);
}

/* ---- DT-703 the certificates ---- */

struct cert_job {
    char host[256];
    char url[300];
    long timeout_ms;
    char error[CURL_ERROR_SIZE + 64];
    char subject[256], issuer[256], expire[64];
};

struct certs {
    pthread_mutex_t mu;
    bool cancelled, answered;
    int fds[2];
    struct loop *loop;
    struct check *c;
    struct cert_job jobs[MAX_HOSTS];
    size_t n;
};

static void certs_free(struct certs *s)
{
    if (s->fds[0] >= 0)
        close(s->fds[0]);
    if (s->fds[1] >= 0)
        close(s->fds[1]);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

static size_t discard(char *p, size_t sz, size_t n, void *arg)
{
    (void)p;
    (void)arg;
    return sz * n;
}

static void field(const char *line, const char *key, char *out, size_t n)
{
    size_t k = strlen(key);
    if (strncmp(line, key, k) == 0 && line[k] == ':')
        snprintf(out, n, "%s", line + k + 1);
}

/* One HTTPS request; the first certificate's fields from CURLINFO_CERTINFO.
 * Verification is off here: the point is to read what is served, also when
 * it is the wrong one (the expiry and subject say which). */
static void cert_fetch(struct cert_job *j)
{
    CURL *e = curl_easy_init();
    if (!e) {
        snprintf(j->error, sizeof(j->error), "libcurl could not start");
        return;
    }
    char err[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(e, CURLOPT_URL, j->url);
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(e, CURLOPT_CERTINFO, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, j->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, j->timeout_ms);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    CURLcode rc = curl_easy_perform(e);
    struct curl_certinfo *ci = NULL;
    if (curl_easy_getinfo(e, CURLINFO_CERTINFO, &ci) == CURLE_OK && ci && ci->num_of_certs > 0) {
        for (struct curl_slist *l = ci->certinfo[0]; l; l = l->next) {
            field(l->data, "Subject", j->subject, sizeof(j->subject));
            field(l->data, "Issuer", j->issuer, sizeof(j->issuer));
            field(l->data, "Expire date", j->expire, sizeof(j->expire));
        }
    } else if (rc != CURLE_OK) {
        snprintf(j->error, sizeof(j->error), "%s", err[0] ? err : curl_easy_strerror(rc));
    }
    curl_easy_cleanup(e);
}

static void *certs_thread(void *arg)
{
    struct certs *s = arg;
    for (size_t i = 0; i < s->n; i++) {
        pthread_mutex_lock(&s->mu);
        bool stop = s->cancelled;
        pthread_mutex_unlock(&s->mu);
        if (stop)
            break;
        cert_fetch(&s->jobs[i]);
    }
    pthread_mutex_lock(&s->mu);
    if (s->cancelled) {
        pthread_mutex_unlock(&s->mu);
        certs_free(s);
        return NULL;
    }
    ssize_t w;
    do
        w = write(s->fds[1], "x", 1);
    while (w < 0 && errno == EINTR);
    s->answered = true;
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* "Jan  2 03:04:05 2027 GMT" (OpenSSL) or "2027-01-02 03:04:05 GMT"
 * (GnuTLS) as seconds since the epoch; -1 when neither. */
static long long cert_time(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    const char *end = strptime(s, "%b %d %H:%M:%S %Y", &tm);
    if (!end) {
        memset(&tm, 0, sizeof(tm));
        end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
    }
    return end ? (long long)timegm(&tm) : -1;
}

static void certs_judge(struct certs *s)
{
    struct check *c = s->c;
    check_more(c, DOC "dt-703");
    long long now = (long long)time(NULL);
    int expired = 0, soon = 0, failed = 0;
    char first[400] = "";
    for (size_t i = 0; i < s->n; i++) {
        struct cert_job *j = &s->jobs[i];
        if (!j->expire[0]) {
            check_evidence(c, "%s: no certificate read (%s)", j->host,
                           j->error[0] ? j->error : "no TLS answer");
            failed++;
            if (!first[0])
                snprintf(first, sizeof(first), "%s serves no certificate", j->host);
            continue;
        }
        long long t = cert_time(j->expire);
        long long days = t < 0 ? 0 : (t - now) / 86400;
        check_evidence(c, "%s: subject %s, issuer %s, expires %s", j->host, j->subject, j->issuer,
                       j->expire);
        if (t >= 0 && t <= now) {
            expired++;
            if (!first[0])
                snprintf(first, sizeof(first), "the certificate of %s expired on %s", j->host,
                         j->expire);
        } else if (t >= 0 && days < 14) {
            soon++;
            if (!first[0])
                snprintf(first, sizeof(first), "the certificate of %s expires in %lld days",
                         j->host, days);
        }
        if (strstr(j->subject, "Kubernetes Ingress Controller Fake Certificate")) {
            failed++;
            check_explain(c, "ingress-nginx serves its own placeholder certificate when the "
                             "Ingress's TLS Secret is missing or invalid.");
            if (!first[0])
                snprintf(first, sizeof(first), "%s serves ingress-nginx's fake certificate",
                         j->host);
        }
    }
    if (expired || failed) {
        check_try(c, "%s get ingress -o jsonpath='{.items[*].spec.tls}'; %s get secret",
                  check_kubectl(c), check_kubectl(c));
        check_fail(c, "%s", first);
    } else if (soon) {
        check_try(c,
                  "%s get certificate   # cert-manager renews 30 days ahead; ACM certificates "
                  "renew when validated by DNS",
                  check_kubectl(c));
        check_warn(c, "%s", first);
    } else {
        check_ok(c, "%zu certificate%s valid for 14 days or more", s->n, s->n == 1 ? "" : "s");
    }
}

static void certs_answer(struct loop *l, int fd, int events, void *arg)
{
    (void)events;
    struct certs *s = arg;
    loop_del_fd(l, fd);
    pthread_mutex_lock(&s->mu);
    pthread_mutex_unlock(&s->mu);
    certs_judge(s);
}

static void certs_stop(struct check *c)
{
    struct certs *s = check_state(c);
    if (!s)
        return;
    if (s->fds[0] >= 0)
        loop_del_fd(s->loop, s->fds[0]);
    pthread_mutex_lock(&s->mu);
    if (s->answered || s->fds[1] < 0) {
        pthread_mutex_unlock(&s->mu);
        certs_free(s);
        return;
    }
    s->cancelled = true;
    pthread_mutex_unlock(&s->mu);
}

static void certs_start(struct check *c)
{
    const char *hosts[MAX_HOSTS];
    size_t nh = ingress_hosts(c, hosts, MAX_HOSTS, true);
    check_more(c, DOC "dt-703");
    if (!nh) {
        check_skip(c, "no Ingress serves TLS (no spec.tls hosts)");
        return;
    }
    struct certs *s = xcalloc(1, sizeof(*s));
    pthread_mutex_init(&s->mu, NULL);
    s->fds[0] = s->fds[1] = -1;
    s->loop = check_env(c)->loop;
    s->c = c;
    check_set_state(c, s);
    long long to = check_env(c)->timeout_ms > 0 ? check_env(c)->timeout_ms : 30000;
    long each = (long)((to - 1000) / (long long)nh);
    if (each < 1000)
        each = 1000;
    /* 443, what browsers use; DIFY_TUI_INGRESS_HTTPS_PORT names another
     * (a controller reached through a port-forward, the tests' server). */
    const char *port = getenv("DIFY_TUI_INGRESS_HTTPS_PORT");
    for (size_t i = 0; i < nh; i++) {
        struct cert_job *j = &s->jobs[s->n++];
        snprintf(j->host, sizeof(j->host), "%s", hosts[i]);
        snprintf(j->url, sizeof(j->url), "https://%s:%s/", hosts[i], port ? port : "443");
        j->timeout_ms = each;
    }
    if (pipe2(s->fds, O_CLOEXEC) < 0) {
        check_fail(c, "pipe: %s", strerror(errno));
        return;
    }
    pthread_t th;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&th, &at, certs_thread, s);
    pthread_attr_destroy(&at);
    if (rc != 0) {
        close(s->fds[1]);
        s->fds[1] = -1;
        check_fail(c, "thread: %s", strerror(rc));
        return;
    }
    check_waiting(c, "the TLS handshake with %s", hosts[0]);
    loop_add_fd(s->loop, s->fds[0], LOOP_READ, certs_answer, s);
}

const struct check_def checks_ingress[] = {
    {"DT-701", AREA_INGRESS, "The Ingress routes Dify's paths to the right services",
     NEED_APP | NEED(FACT_INGRESSES), routes_start, NULL, 0, 0},
    {"DT-702", AREA_INGRESS, "The Ingress's hosts resolve", NEED(FACT_INGRESSES), hosts_start,
     hosts_stop, 0, 0},
    {"DT-703", AREA_INGRESS, "The served TLS certificates are valid for a while",
     NEED(FACT_INGRESSES), certs_start, certs_stop, 0, 0},
};
const size_t checks_ingress_n = ARRAY_LEN(checks_ingress);
