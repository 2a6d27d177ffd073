/* sim/discovery.c: version, health and discovery documents (see discovery.h).
 * Only the legacy (unaggregated) discovery formats are served: when kubectl
 * asks for apidiscovery.k8s.io/v2 it gets application/json and falls back.
 * The built-in groups are all at v1; the groups and versions of custom
 * resources (sim/crd.c) come from the kinds served now. Called with sim_lock
 * held. */
#include "config.h"

#include "sim/discovery.h"

#include <stdio.h>
#include <string.h>

#include "sim/http.h"
#include "sim/store.h"

static char g_address[64] = "127.0.0.1:6443";

void discovery_set_address(const char *hostport)
{
    snprintf(g_address, sizeof(g_address), "%s", hostport);
}

static const char *const g_groups[] = {"apps",
                                       "batch",
                                       "networking.k8s.io",
                                       "storage.k8s.io",
                                       "authorization.k8s.io",
                                       "apiextensions.k8s.io"};

static bool builtin_group(const char *group)
{
    for (size_t i = 0; i < ARRAY_LEN(g_groups); i++)
        if (strcmp(g_groups[i], group) == 0)
            return true;
    return false;
}

/* The served versions of a custom group, in the order their kinds were
 * defined (the first one is preferred); returns how many (at most max). */
static size_t custom_versions(const char *group, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = SIM_RTYPES_BUILTIN; i < sim_rtypes_n; i++) {
        const struct rtype *rt = &sim_rtypes[i];
        if (!rt->served || strcmp(rt->group, group) != 0)
            continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen = seen || strcmp(out[k], rt->version) == 0;
        if (!seen && n < max)
            out[n++] = rt->version;
    }
    return n;
}

/* Is GROUP/VERSION served (a built-in group at v1, or a custom one)? */
static bool gv_served(const char *group, const char *version)
{
    if (builtin_group(group))
        return strcmp(version, "v1") == 0;
    const char *vs[32];
    size_t n = custom_versions(group, vs, 32);
    for (size_t i = 0; i < n; i++)
        if (strcmp(vs[i], version) == 0)
            return true;
    return false;
}

/* The custom groups served now, each once; returns how many. */
static size_t custom_groups(const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = SIM_RTYPES_BUILTIN; i < sim_rtypes_n; i++) {
        const struct rtype *rt = &sim_rtypes[i];
        if (!rt->served || builtin_group(rt->group))
            continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen = seen || strcmp(out[k], rt->group) == 0;
        if (!seen && n < max)
            out[n++] = rt->group;
    }
    return n;
}

static cJSON *verbs_array(const char *csv)
{
    cJSON *a = cJSON_CreateArray();
    char buf[160];
    snprintf(buf, sizeof(buf), "%s", csv);
    char *save = NULL;
    for (char *v = strtok_r(buf, ",", &save); v; v = strtok_r(NULL, ",", &save))
        cJSON_AddItemToArray(a, cJSON_CreateString(v));
    return a;
}

static cJSON *resource_entry(const char *name, const char *singular, bool namespaced,
                             const char *group, const char *version, const char *kind,
                             const char *verbs)
{
    cJSON *e = cJSON_CreateObject();
    js_set_str(e, "name", name);
    js_set_str(e, "singularName", singular);
    cJSON_AddBoolToObject(e, "namespaced", namespaced);
    if (group)
        js_set_str(e, "group", group);
    if (version)
        js_set_str(e, "version", version);
    js_set_str(e, "kind", kind);
    js_set(e, "verbs", verbs_array(verbs));
    return e;
}

static void resource_list(struct reply *rep, const char *group, const char *version)
{
    cJSON *doc = cJSON_CreateObject();
    js_set_str(doc, "kind", "APIResourceList");
    js_set_str(doc, "apiVersion", "v1");
    char gv[160];
    snprintf(gv, sizeof(gv), "%s%s%s", group, group[0] ? "/" : "", version);
    js_set_str(doc, "groupVersion", gv);
    cJSON *list = cJSON_AddArrayToObject(doc, "resources");
    for (size_t i = 0; i < sim_rtypes_n; i++) {
        struct rtype *rt = &sim_rtypes[i];
        if (!rt->served || strcmp(rt->group, group) != 0 || strcmp(rt->version, version) != 0)
            continue;
        cJSON *e = resource_entry(rt->plural, rt->singular, rt->namespaced, NULL, NULL, rt->kind,
                                  "create,delete,deletecollection,get,list,patch,update,watch");
        if (rt->short_names[0])
            js_set(e, "shortNames", verbs_array(rt->short_names));
        if (strstr(",pods,services,deployments,replicasets,statefulsets,daemonsets,jobs,",
                   rt->plural) &&
            rt->plural[0])
            js_set(e, "categories", verbs_array("all"));
        cJSON_AddItemToArray(list, e);
        char sub[96];
        if (rt->has_status) {
            snprintf(sub, sizeof(sub), "%s/status", rt->plural);
            cJSON_AddItemToArray(list, resource_entry(sub, "", rt->namespaced, NULL, NULL, rt->kind,
                                                      "get,patch,update"));
        }
        if (rt->has_scale) {
            snprintf(sub, sizeof(sub), "%s/scale", rt->plural);
            cJSON_AddItemToArray(list, resource_entry(sub, "", rt->namespaced, "autoscaling", "v1",
                                                      "Scale", "get,patch,update"));
        }
    }
    if (strcmp(group, "authorization.k8s.io") == 0)
        cJSON_AddItemToArray(list, resource_entry("selfsubjectaccessreviews", "", false, NULL, NULL,
                                                  "SelfSubjectAccessReview", "create"));
    if (group[0] == '\0') {
        cJSON_AddItemToArray(list, resource_entry("pods/log", "", true, NULL, NULL, "Pod", "get"));
        cJSON_AddItemToArray(list, resource_entry("services/proxy", "", true, NULL, NULL,
                                                  "ServiceProxyOptions",
                                                  "create,delete,get,patch,update"));
    }
    reply_json(rep, 200, doc);
}

static cJSON *group_entry(const char *name)
{
    cJSON *g = cJSON_CreateObject();
    js_set_str(g, "name", name);
    cJSON *versions = cJSON_AddArrayToObject(g, "versions");
    const char *vs[32] = {"v1"};
    size_t n = builtin_group(name) ? 1 : custom_versions(name, vs, 32);
    for (size_t i = 0; i < n; i++) {
        cJSON *v = cJSON_CreateObject();
        char gv[160];
        snprintf(gv, sizeof(gv), "%s/%s", name, vs[i]);
        js_set_str(v, "groupVersion", gv);
        js_set_str(v, "version", vs[i]);
        cJSON_AddItemToArray(versions, v);
        if (i == 0)
            js_set(g, "preferredVersion", cJSON_Duplicate(v, 1));
    }
    return g;
}

/* An OpenAPI v3 document for one group version: just the PATCH operations
 * with their GVK and the fieldValidation/dryRun parameters, which is what
 * kubectl's query-parameter verifier looks for. */
static void openapi_gv(struct reply *rep, const char *group, const char *version)
{
    cJSON *doc = cJSON_CreateObject();
    js_set_str(doc, "openapi", "3.0.0");
    cJSON *info = js_obj(doc, "info");
    js_set_str(info, "title", "Kubernetes (dify-sim)");
    js_set_str(info, "version", "v1.32.0");
    cJSON *paths = js_obj(doc, "paths");
    for (size_t i = 0; i < sim_rtypes_n; i++) {
        struct rtype *rt = &sim_rtypes[i];
        if (!rt->served || strcmp(rt->group, group) != 0 || strcmp(rt->version, version) != 0)
            continue;
        char path[320];
        snprintf(path, sizeof(path), "/%s%s%s/%s/%s%s/{name}", group[0] ? "apis/" : "api", group,
                 group[0] ? "" : "", version, rt->namespaced ? "namespaces/{namespace}/" : "",
                 rt->plural);
        cJSON *op = cJSON_CreateObject();
        cJSON *gvk = js_obj(op, "x-kubernetes-group-version-kind");
        js_set_str(gvk, "group", group);
        js_set_str(gvk, "version", version);
        js_set_str(gvk, "kind", rt->kind);
        cJSON *params = cJSON_AddArrayToObject(op, "parameters");
        static const char *const names[] = {"dryRun", "fieldManager", "fieldValidation", "force"};
        for (size_t k = 0; k < 4; k++) {
            cJSON *p = cJSON_CreateObject();
            js_set_str(p, "name", names[k]);
            js_set_str(p, "in", "query");
            js_set_str(js_obj(p, "schema"), "type", k == 3 ? "boolean" : "string");
            cJSON_AddItemToArray(params, p);
        }
        js_obj(op, "responses");
        js_set(js_obj(paths, path), "patch", op);
    }
    js_obj(js_obj(doc, "components"), "schemas");
    reply_json(rep, 200, doc);
}

static void openapi_root(struct reply *rep)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *paths = js_obj(doc, "paths");
    js_set_str(js_obj(paths, "api/v1"), "serverRelativeURL", "/openapi/v3/api/v1?hash=sim1");
    for (size_t i = 0; i < ARRAY_LEN(g_groups); i++) {
        char k[96], u[160];
        snprintf(k, sizeof(k), "apis/%s/v1", g_groups[i]);
        snprintf(u, sizeof(u), "/openapi/v3/apis/%s/v1?hash=sim1", g_groups[i]);
        js_set_str(js_obj(paths, k), "serverRelativeURL", u);
    }
    for (size_t i = SIM_RTYPES_BUILTIN; i < sim_rtypes_n; i++) {
        const struct rtype *rt = &sim_rtypes[i];
        if (!rt->served)
            continue;
        char k[320], u[400];
        snprintf(k, sizeof(k), "apis/%s/%s", rt->group, rt->version);
        /* the hash changes with the set of kinds, so kubectl refetches */
        snprintf(u, sizeof(u), "/openapi/v3/apis/%s/%s?hash=sim1-%zu", rt->group, rt->version,
                 sim_rtypes_n);
        js_set_str(js_obj(paths, k), "serverRelativeURL", u);
    }
    reply_json(rep, 200, doc);
}

bool discovery_handle(struct req *r, struct reply *rep)
{
    const char *u = r->url;
    if (strcmp(u, "/version") == 0 || strcmp(u, "/version/") == 0) {
        cJSON *v = cJSON_CreateObject();
        js_set_str(v, "major", "1");
        js_set_str(v, "minor", "32");
        js_set_str(v, "gitVersion", "v1.32.0-dify-sim");
        js_set_str(v, "gitCommit", "0000000000000000000000000000000000000000");
        js_set_str(v, "gitTreeState", "clean");
        js_set_str(v, "buildDate", "2026-01-01T00:00:00Z");
        js_set_str(v, "goVersion", "go1.23.0");
        js_set_str(v, "compiler", "gc");
        js_set_str(v, "platform", "linux/arm64");
        reply_json(rep, 200, v);
        return true;
    }
    if (strcmp(u, "/healthz") == 0 || strcmp(u, "/readyz") == 0 || strcmp(u, "/livez") == 0) {
        reply_text(rep, 200, "text/plain; charset=utf-8", "ok");
        return true;
    }
    if (strcmp(u, "/api") == 0 || strcmp(u, "/api/") == 0) {
        cJSON *d = cJSON_CreateObject();
        js_set_str(d, "kind", "APIVersions");
        cJSON *vs = cJSON_AddArrayToObject(d, "versions");
        cJSON_AddItemToArray(vs, cJSON_CreateString("v1"));
        cJSON *sa = cJSON_AddArrayToObject(d, "serverAddressByClientCIDRs");
        cJSON *e = cJSON_CreateObject();
        js_set_str(e, "clientCIDR", "0.0.0.0/0");
        js_set_str(e, "serverAddress", g_address);
        cJSON_AddItemToArray(sa, e);
        reply_json(rep, 200, d);
        return true;
    }
    if (strcmp(u, "/apis") == 0 || strcmp(u, "/apis/") == 0) {
        cJSON *d = cJSON_CreateObject();
        js_set_str(d, "kind", "APIGroupList");
        js_set_str(d, "apiVersion", "v1");
        cJSON *gs = cJSON_AddArrayToObject(d, "groups");
        for (size_t i = 0; i < ARRAY_LEN(g_groups); i++)
            cJSON_AddItemToArray(gs, group_entry(g_groups[i]));
        const char *custom[SIM_RTYPES_MAX];
        size_t nc = custom_groups(custom, SIM_RTYPES_MAX);
        for (size_t i = 0; i < nc; i++)
            cJSON_AddItemToArray(gs, group_entry(custom[i]));
        reply_json(rep, 200, d);
        return true;
    }
    if (strcmp(u, "/api/v1") == 0 || strcmp(u, "/api/v1/") == 0) {
        resource_list(rep, "", "v1");
        return true;
    }
    if (strcmp(u, "/openapi/v3") == 0) {
        openapi_root(rep);
        return true;
    }
    if (strcmp(u, "/openapi/v3/api/v1") == 0) {
        openapi_gv(rep, "", "v1");
        return true;
    }
    /* /apis/GROUP, /apis/GROUP/VERSION, /openapi/v3/apis/GROUP/VERSION */
    bool openapi = str_starts_with(u, "/openapi/v3/apis/");
    if (openapi || str_starts_with(u, "/apis/")) {
        char group[256] = "", version[64] = "", rest = '\0';
        const char *p = u + (openapi ? strlen("/openapi/v3/apis/") : strlen("/apis/"));
        int k = sscanf(p, "%255[^/]/%63[^/]%c", group, version, &rest);
        bool known = builtin_group(group) || custom_versions(group, (const char *[1]){0}, 1);
        if (known && k == 1 && !openapi) {
            cJSON *g = group_entry(group);
            js_set_str(g, "kind", "APIGroup");
            js_set_str(g, "apiVersion", "v1");
            reply_json(rep, 200, g);
            return true;
        }
        if (k == 2 && gv_served(group, version)) {
            if (openapi)
                openapi_gv(rep, group, version);
            else
                resource_list(rep, group, version);
            return true;
        }
    }
    if (str_starts_with(u, "/openapi/")) {
        reply_status(rep, 404, "NotFound", NULL, NULL,
                     "dify-sim serves only the OpenAPI v3 documents kubectl needs for field "
                     "validation; %s is not one of them",
                     u);
        return true;
    }
    return false;
}
