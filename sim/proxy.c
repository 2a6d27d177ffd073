/* sim/proxy.c: simulated Dify HTTP endpoints behind the service proxy. */
#include "config.h"

#include "sim/proxy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sim/dify_model.h"
#include "sim/http.h"
#include "sim/pods.h"
#include "sim/select.h"
#include "sim/store.h"

static void version_header(struct reply *rep, const char *tag)
{
    rep->hdr_name = xstrdup("X-Version");
    rep->hdr_value = xstrdup(tag);
}

static void answer(struct reply *rep, const char *comp, const char *path, const char *tag)
{
    char *body;
    if (strcmp(comp, "api") == 0) {
        if (strcmp(path, "/health") == 0) {
            body = xasprintf("{\"pid\":1,\"status\":\"ok\",\"version\":\"%s\"}", tag);
            reply_take(rep, 200, "application/json", body, strlen(body));
            version_header(rep, tag);
            return;
        }
        if (strcmp(path, "/console/api/setup") == 0) {
            body = xasprintf("{\"step\":\"finished\",\"setup_at\":\"2026-01-01T00:00:00\"}");
            reply_take(rep, 200, "application/json", body, strlen(body));
            version_header(rep, tag);
            return;
        }
        reply_text(rep, 404, "application/json",
                   "{\"code\":\"not_found\",\"message\":\"The requested URL was not found on the "
                   "server.\",\"status\":404}");
        version_header(rep, tag);
        return;
    }
    if (strcmp(comp, "plugin-daemon") == 0 || strcmp(comp, "plugin_daemon") == 0) {
        if (strcmp(path, "/health/check") == 0) {
            body = xasprintf("{\"status\":\"ok\",\"pool_status\":{\"total_workers\":8,"
                             "\"active_workers\":0,\"idle_workers\":8},\"version\":\"%s\"}",
                             tag);
            reply_take(rep, 200, "application/json", body, strlen(body));
            return;
        }
        reply_text(rep, 404, "application/json",
                   "{\"code\":\"not_found\",\"message\":\"route not found\"}");
        return;
    }
    if (strcmp(comp, "sandbox") == 0) {
        if (strcmp(path, "/health") == 0) {
            reply_text(rep, 200, "application/json; charset=utf-8", "\"ok\"");
            return;
        }
        reply_text(rep, 404, "text/plain", "404 page not found");
        return;
    }
    if (strcmp(comp, "web") == 0 || strcmp(comp, "frontend") == 0) {
        if (strcmp(path, "/apps") == 0 || strcmp(path, "/") == 0 || strcmp(path, "/signin") == 0 ||
            strcmp(path, "/install") == 0) {
            body = xasprintf("<!DOCTYPE html><html><head><title>Dify</title></head><body>"
                             "<div id=\"__next\">dify-web %s</div></body></html>",
                             tag);
            reply_take(rep, 200, "text/html; charset=utf-8", body, strlen(body));
            return;
        }
        reply_text(rep, 404, "text/html; charset=utf-8",
                   "<h1>404: This page could not be found.</h1>");
        return;
    }
    if (strstr(comp, "proxy")) {
        reply_text(rep, 400, "text/html",
                   "<html><body>ERROR: The requested URL could not be "
                   "retrieved (Invalid URL)</body></html>");
        return;
    }
    body = xasprintf("dify-sim: no simulated endpoint %s for this service\n", path);
    reply_take(rep, 404, "text/plain", body, strlen(body));
}

void proxy_handle(struct req *r, struct reply *rep)
{
    pthread_mutex_lock(&sim_lock);
    /* NAME, NAME:PORT or SCHEME:NAME:PORT */
    char *name = xstrdup(r->name ? r->name : "");
    char *first = strchr(name, ':');
    if (first && (strncmp(name, "http:", 5) == 0 || strncmp(name, "https:", 6) == 0)) {
        memmove(name, first + 1, strlen(first + 1) + 1);
        first = strchr(name, ':');
    }
    if (first)
        *first = '\0';
    struct sim_obj *svc = store_get(r->rt, r->ns, name);
    if (!svc) {
        reply_status(rep, 404, "NotFound", "services", name, "services \"%s\" not found", name);
        goto out;
    }
    const cJSON *sel = kj_get_mut(obj_json(svc), "spec.selector");
    struct rtype *prt = store_rtype("", "pods");
    const char *tag = NULL;
    struct sim_obj *ready = NULL;
    char *prefix = xasprintf("%s/", r->ns);
    for (size_t i = store_lower_bound(prt, prefix); i < prt->n; i++) {
        struct sim_obj *p = prt->objs[i];
        if (!str_starts_with(p->key, prefix))
            break;
        /* a terminating pod is no endpoint (its EndpointSlice condition
         * ready is false), even while its containers still run */
        if (!cJSON_GetArraySize(sel) || p->deleting_ms ||
            !selector_match_labels(sel, obj_labels(p)) || !p->ready)
            continue;
        cJSON *c = cJSON_GetArrayItem(kj_get_mut(obj_json(p), "spec.containers"), 0);
        const char *image = kj_str(c, "image");
        const char *colon = image ? strrchr(image, ':') : NULL;
        tag = colon && !strchr(colon, '/') ? colon + 1 : "latest";
        ready = p;
        break;
    }
    free(prefix);
    if (!tag) {
        reply_status(rep, 503, "ServiceUnavailable", "services", name,
                     "no endpoints available for service \"%s\"", name);
        goto out;
    }
    /* a modelled Dify pod answers from its configuration and the stores */
    if (dify_model_proxy(ready, r, r->rest ? r->rest : "/", rep))
        goto out;
    const char *comp = dify_component(sel, name);
    answer(rep, comp, r->rest ? r->rest : "/", tag);
out:
    free(name);
    pthread_mutex_unlock(&sim_lock);
}
