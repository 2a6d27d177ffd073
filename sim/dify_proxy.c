/* sim/dify_proxy.c: what a running Dify component answers through the
 * service proxy (see dify_run.h), from the configuration it started with
 * and the real stores:
 * - api: /health (dify api/extensions/ext_app_metrics.py); /console/api/
 *   setup reads dify_setups with the api's own database login; the model
 *   list (/console/api/workspaces/current/models/model-types/llm) asks the
 *   plugin daemon behind PLUGIN_DAEMON_URL with X-Api-Key: PLUGIN_DAEMON_KEY
 *   and logs "Failed to request plugin daemon, status: N, url: ..." as dify
 *   api/core/plugin/impl/base.py does;
 * - plugin daemon: /health/check, 404 "route not found" elsewhere, and the
 *   /plugin/<tenant>/... routes behind the X-Api-Key check (401, plugin-
 *   daemon internal/server/middleware.go CheckingKey);
 * - sandbox: /health and the API_KEY check of /v1/sandbox/... (dify-sandbox
 *   internal/controller/router.go, internal/middleware/auth.go);
 * - web: the HTML carries the API prefixes from CONSOLE_API_URL and
 *   APP_API_URL (dify web/app/layout.tsx data-api-prefix). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dify_versions.h"
#include "core/util.h"
#include "sim/dify_run.h"
#include "sim/http.h"
#include "sim/store.h"

#define SIM_TENANT "8e9f2c4a-1d3b-4f5e-9a7c-0b1d2e3f4a5b"

static void call_log(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void call_log(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    strbuf_adds(sb, s);
    strbuf_addc(sb, '\n');
    free(s);
}

static void reply_jsonf(struct reply *rep, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void reply_jsonf(struct reply *rep, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *body = xvasprintf(fmt, ap);
    va_end(ap);
    reply_take(rep, code, "application/json", body, strlen(body));
}

static char *json_quote(const char *s)
{
    cJSON *j = cJSON_CreateString(s ? s : "");
    char *out = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return out;
}

/* ---- the api ---- */

static void api_500(struct dify_call *c, struct reply *rep, const char *method, const char *path,
                    const char *exc)
{
    call_log(&c->log, "ERROR [app.py] - Exception on %s [%s]", path, method);
    call_log(&c->log, "Traceback (most recent call last):");
    call_log(&c->log, "%s", exc);
    reply_jsonf(rep, 500,
                "{\"code\":\"internal_server_error\",\"message\":\"The server encountered an "
                "internal error and was unable to complete your request. Either the server is "
                "overloaded or there is an error in the application.\",\"status\":500}");
}

/* The api's own database login; on failure answers 500 and logs it. */
static PGconn *api_db(struct dify_call *c, struct reply *rep, const char *method, const char *path)
{
    struct dify_run *r = c->run;
    struct dify_outcome o;
    PGconn *db = dify_pg_login(&r->db, dify_env_or(&r->env, "DB_USERNAME", "postgres"),
                               dify_env_or(&r->env, "DB_PASSWORD", ""),
                               dify_env_or(&r->env, "DB_DATABASE", "dify"), &o);
    if (!db) {
        char *t = dify_pg_text_psycopg(&r->db, &o);
        char *exc = xasprintf("sqlalchemy.exc.OperationalError: %s", t);
        api_500(c, rep, method, path, exc);
        free(exc);
        free(t);
    }
    dify_outcome_done(&o);
    return db;
}

/* A query that needs the schema; NULL after answering 500 (missing table:
 * the migrations never ran). *none tells an empty result. */
static char *api_query(struct dify_call *c, PGconn *db, const char *sql, struct reply *rep,
                       const char *method, const char *path, bool *none)
{
    struct dify_outcome o = {0};
    char *v = dify_pg_value(db, sql, &o);
    *none = !v && o.fail == DIFY_OK;
    if (!v && !*none) {
        char *t = dify_pg_text_psycopg_stmt(&o);
        char *exc = xasprintf("sqlalchemy.exc.ProgrammingError: %s", t);
        api_500(c, rep, method, path, exc);
        free(exc);
        free(t);
    }
    dify_outcome_done(&o);
    return v;
}

static void api_setup(struct dify_call *c, struct req *r, const char *path, struct reply *rep)
{
    PGconn *db = api_db(c, rep, r->method, path);
    if (!db)
        return;
    bool none;
    char *at = api_query(c, db,
                         "SELECT to_char(setup_at, 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM "
                         "dify_setups LIMIT 1",
                         rep, r->method, path, &none);
    if (!at && !none)
        goto out;
    if (strcmp(r->method, "GET") == 0) {
        if (at)
            reply_jsonf(rep, 200, "{\"step\":\"finished\",\"setup_at\":\"%s\"}", at);
        else
            reply_jsonf(rep, 200, "{\"step\":\"not_started\",\"setup_at\":null}");
    } else if (at) {
        reply_jsonf(rep, 403,
                    "{\"code\":\"already_setup\",\"message\":\"Dify has been successfully "
                    "installed. Please refresh the page or return to the dashboard "
                    "homepage.\",\"status\":403}");
    } else {
        cJSON *body = cJSON_ParseWithLength(r->body.buf, r->body.len);
        const char *email = kj_str(body, "email"), *name = kj_str(body, "name");
        struct dify_outcome o = {0};
        char *e = PQescapeLiteral(db, email ? email : "admin@example.com",
                                  strlen(email ? email : "admin@example.com"));
        char *n = PQescapeLiteral(db, name ? name : "admin", strlen(name ? name : "admin"));
        char *sql = xasprintf(
            "BEGIN; INSERT INTO tenants (id, name) VALUES ('%s', %s || '''s Workspace') "
            "ON CONFLICT DO NOTHING; INSERT INTO accounts (id, name, email) VALUES "
            "(gen_random_uuid(), %s, %s); INSERT INTO dify_setups (version) VALUES ('%s'); "
            "COMMIT;",
            SIM_TENANT, n, n, e, c->run->tag);
        PQfreemem(e);
        PQfreemem(n);
        if (dify_pg_exec(db, sql, &o) < 0) {
            dify_pg_exec(db, "ROLLBACK", &(struct dify_outcome){0});
            char *t = dify_pg_text_psycopg_stmt(&o);
            char *exc = xasprintf("sqlalchemy.exc.ProgrammingError: %s", t);
            api_500(c, rep, r->method, path, exc);
            free(exc);
            free(t);
        } else {
            reply_jsonf(rep, 201, "{\"result\":\"success\"}");
        }
        free(sql);
        dify_outcome_done(&o);
        cJSON_Delete(body);
    }
out:
    free(at);
    PQfinish(db);
}

/* What the daemon answers the api's management call, and its body. */
static int daemon_models(struct dify_call *c, const char *key, const char *tenant, char **body);

static void api_models(struct dify_call *c, struct req *r, const char *path, struct reply *rep)
{
    PGconn *db = api_db(c, rep, r->method, path);
    if (!db)
        return;
    bool none;
    char *tenant = api_query(c, db, "SELECT id FROM tenants ORDER BY created_at LIMIT 1", rep,
                             r->method, path, &none);
    PQfinish(db);
    if (!tenant && !none)
        return;
    const struct dify_env *e = &c->run->env;
    char *dpath = xasprintf("plugin/%s/management/models", tenant ? tenant : SIM_TENANT);
    const char *base = dify_env_or(e, "PLUGIN_DAEMON_URL", "http://localhost:5002");
    if (!c->daemon) {
        /* httpx.RequestError: "Request to Plugin Daemon Service failed" */
        call_log(&c->log, "ERROR [base.py] - Request to Plugin Daemon Service failed");
        call_log(&c->log, "Traceback (most recent call last):");
        call_log(&c->log, "httpx.ConnectError: [Errno %s] %s",
                 c->daemon_fail == DIFY_FAIL_DNS ? "-2" : "111",
                 c->daemon_fail == DIFY_FAIL_DNS ? "Name or service not known"
                                                 : "Connection refused");
        reply_jsonf(rep, 500,
                    "{\"code\":\"plugin_daemon_inner_error\",\"message\":\"Request to Plugin "
                    "Daemon Service failed\",\"status\":500}");
        goto out;
    }
    char *body = NULL;
    int status;
    if (dify_pair_check(c->run->tag, c->daemon->tag) == DIFY_PAIR_SKEW) {
        /* this api's plugin protocol is not the daemon's: unknown routes */
        status = 404;
        body = xstrdup("{\"code\":\"not_found\",\"message\":\"route not found\"}");
        call_log(&c->daemon_log, "[GIN] | 404 | %s | GET \"/%s\"", c->run->pod, dpath);
    } else {
        status = daemon_models(c, dify_env_or(e, "PLUGIN_DAEMON_KEY", "plugin-api-key"),
                               tenant ? tenant : SIM_TENANT, &body);
        call_log(&c->daemon_log, "[GIN] | %d | %s | GET \"/%s\"", status, c->run->pod, dpath);
    }
    if (status >= 400) {
        call_log(&c->log, "ERROR [base.py] - Failed to request plugin daemon, status: %d, url: %s",
                 status, dpath);
        call_log(&c->log, "Traceback (most recent call last):");
        call_log(&c->log,
                 "httpx.HTTPStatusError: Client error '%d %s' for url '%s/%s?page=1&page_size=256'",
                 status, status == 401 ? "Unauthorized" : "Not Found", base, dpath);
        call_log(&c->log,
                 "For more information check: "
                 "https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/%d",
                 status);
        reply_jsonf(rep, 400,
                    "{\"code\":\"plugin_daemon_client_side_error\",\"message\":\"Client error "
                    "'%d' for url '%s/%s'\",\"status\":400}",
                    status, base, dpath);
    } else {
        /* the console's shape: the providers the daemon's plugins bring */
        cJSON *j = cJSON_Parse(body), *out = cJSON_CreateObject();
        js_set(out, "data", cJSON_Duplicate(kj_get_mut(j, "data"), 1));
        if (!kj_get_mut(out, "data"))
            js_set(out, "data", cJSON_CreateArray());
        cJSON_Delete(j);
        reply_json(rep, 200, out);
    }
    free(body);
out:
    free(dpath);
    free(tenant);
}

static void api_answer(struct dify_call *c, struct req *r, const char *path, struct reply *rep)
{
    const char *tag = c->run->tag;
    if (strcmp(path, "/health") == 0) {
        reply_jsonf(rep, 200, "{\"pid\":1,\"status\":\"ok\",\"version\":\"%s\"}", tag);
    } else if (strcmp(path, "/console/api/setup") == 0) {
        api_setup(c, r, path, rep);
    } else if (strcmp(path, "/console/api/workspaces/current/models/model-types/llm") == 0) {
        api_models(c, r, path, rep);
    } else {
        reply_jsonf(rep, 404,
                    "{\"code\":\"not_found\",\"message\":\"The requested URL was not found on the "
                    "server. If you entered the URL manually please check your spelling and try "
                    "again.\",\"status\":404}");
    }
    rep->hdr_name = xstrdup("X-Version");
    rep->hdr_value = xstrdup(tag);
}

/* ---- the plugin daemon ---- */

static PGconn *daemon_db(const struct dify_run *d, struct dify_outcome *o)
{
    return dify_pg_login(&d->db, dify_env_or(&d->env, "DB_USERNAME", "postgres"),
                         dify_env_or(&d->env, "DB_PASSWORD", ""),
                         dify_env_or(&d->env, "DB_DATABASE", "dify_plugin"), o);
}

static const char *daemon_unauthorized =
    "{\"code\":-401,\"message\":\"{\\\"message\\\":\\\"unauthorized\\\",\\\"error_type\\\":"
    "\\\"PluginDaemonUnauthorizedError\\\",\\\"args\\\":null}\",\"data\":null}";

/* The plugins the daemon has launched: installed ones whose packages its
 * storage holds. */
static char *launched_json(const struct dify_run *d, const char *tenant, bool all)
{
    struct dify_outcome o;
    cJSON *list = cJSON_CreateArray();
    PGconn *db = daemon_db(d, &o);
    if (db) {
        char *lit = PQescapeLiteral(db, tenant, strlen(tenant));
        char *sql = xasprintf("SELECT plugin_id, plugin_unique_identifier FROM "
                              "plugin_installations WHERE tenant_id::text = %s ORDER BY 1",
                              lit);
        PQfreemem(lit);
        PGresult *res = PQexec(db, sql);
        free(sql);
        for (int i = 0; PQresultStatus(res) == PGRES_TUPLES_OK && i < PQntuples(res); i++) {
            const char *uid = PQgetvalue(res, i, 1);
            if (!all && !dify_storage_has(d->storage, uid))
                continue;
            cJSON *p = cJSON_CreateObject();
            js_set_str(p, "plugin_id", PQgetvalue(res, i, 0));
            js_set_str(p, "plugin_unique_identifier", uid);
            js_set_str(p, "tenant_id", tenant);
            cJSON_AddItemToArray(list, p);
        }
        PQclear(res);
        PQfinish(db);
    }
    dify_outcome_done(&o);
    cJSON *out = cJSON_CreateObject();
    js_set_num(out, "code", 0);
    js_set_str(out, "message", "success");
    if (all) {
        cJSON *data = js_obj(out, "data");
        js_set_num(data, "total", cJSON_GetArraySize(list));
        js_set(data, "list", list);
    } else {
        js_set(out, "data", list);
    }
    char *s = cJSON_PrintUnformatted(out);
    cJSON_Delete(out);
    return s;
}

static int daemon_models(struct dify_call *c, const char *key, const char *tenant, char **body)
{
    if (!str_eq(key, dify_env_get(&c->daemon->env, "SERVER_KEY"))) {
        *body = xstrdup(daemon_unauthorized);
        return 401;
    }
    *body = launched_json(c->daemon, tenant, false);
    return 200;
}

static void daemon_install(struct dify_run *d, struct req *r, const char *tenant, struct reply *rep)
{
    cJSON *body = cJSON_ParseWithLength(r->body.buf, r->body.len);
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(body, "plugin_unique_identifiers"), *id;
    struct dify_outcome o;
    PGconn *db = daemon_db(d, &o);
    if (!db || !cJSON_IsArray(ids)) {
        reply_jsonf(rep, 400,
                    "{\"code\":-400,\"message\":\"{\\\"message\\\":\\\"%s\\\",\\\"error_type\\\":"
                    "\\\"PluginDaemonBadRequestError\\\",\\\"args\\\":null}\",\"data\":null}",
                    db ? "plugin_unique_identifiers is required" : "database unavailable");
        goto out;
    }
    cJSON_ArrayForEach(id, ids)
    {
        if (!cJSON_IsString(id))
            continue;
        const char *uid = id->valuestring;
        /* "author/name:version@checksum": the plugin id is before ':' */
        char *pid = xstrndup(uid, strcspn(uid, ":@"));
        char *l1 = PQescapeLiteral(db, tenant, strlen(tenant));
        char *l2 = PQescapeLiteral(db, pid, strlen(pid));
        char *l3 = PQescapeLiteral(db, uid, strlen(uid));
        char *sql = xasprintf("INSERT INTO plugin_installations (tenant_id, plugin_id, "
                              "plugin_unique_identifier) VALUES (%s::uuid, %s, %s)",
                              l1, l2, l3);
        PQfreemem(l1);
        PQfreemem(l2);
        PQfreemem(l3);
        if (dify_pg_exec(db, sql, &o) == 0)
            dify_storage_add(d->storage, uid);
        free(sql);
        free(pid);
    }
    reply_jsonf(rep, 200,
                "{\"code\":0,\"message\":\"success\",\"data\":{\"all_installed\":true,"
                "\"task_id\":\"\"}}");
out:
    if (db)
        PQfinish(db);
    dify_outcome_done(&o);
    cJSON_Delete(body);
}

static void daemon_route(struct dify_call *c, struct req *r, const char *path, struct reply *rep)
{
    struct dify_run *d = c->run;
    if (strcmp(path, "/health/check") == 0) {
        reply_jsonf(rep, 200,
                    "{\"status\":\"ok\",\"pool_status\":{\"total_workers\":8,\"active_workers\":0,"
                    "\"idle_workers\":8},\"version\":\"%s\",\"platform\":\"%s\"}",
                    d->tag, dify_env_or(&d->env, "PLATFORM", "local"));
        return;
    }
    char tenant[128];
    char action[128] = "";
    if (sscanf(path, "/plugin/%127[^/]/%127s", tenant, action) == 2) {
        const char *key = req_header(r, "X-Api-Key");
        if (!str_eq(key, dify_env_get(&d->env, "SERVER_KEY"))) {
            reply_text(rep, 401, "application/json", daemon_unauthorized);
            return;
        }
        if (strcmp(action, "management/install/identifiers") == 0 &&
            strcmp(r->method, "POST") == 0) {
            daemon_install(d, r, tenant, rep);
            return;
        }
        if (strcmp(action, "management/triggers") == 0) {
            /* from the daemon shipped with 1.10.0 on; an older daemon's
             * router has no such route (core/dify_versions.h) */
            const struct dify_release *mine = dify_release_of_daemon(d->tag);
            if (!mine || dify_release_at_least(mine, dify_release_find(DIFY_TRIGGERS_SINCE))) {
                reply_text(rep, 200, "application/json",
                           "{\"code\":0,\"message\":\"\",\"data\":[]}");
                return;
            }
        }
        if (strcmp(action, "management/list") == 0 || strcmp(action, "management/models") == 0) {
            char *s = launched_json(d, tenant, strcmp(action, "management/list") == 0);
            reply_take(rep, 200, "application/json", s, strlen(s));
            return;
        }
    }
    reply_text(rep, 404, "application/json",
               "{\"code\":\"not_found\",\"message\":\"route not found\"}");
}

/* The daemon's access log (gin's logger) is written after the answer, with
 * the status it answered: a route it does not have logs 404, a wrong key 401.
 * Health checks stay out of it, as before. */
static void daemon_answer(struct dify_call *c, struct req *r, const char *path, struct reply *rep)
{
    daemon_route(c, r, path, rep);
    if (strcmp(path, "/health/check") != 0)
        call_log(&c->log, "[GIN] | %d | %s \"%s\"", rep->code, r->method, path);
}

/* ---- sandbox, web, ssrf proxy ---- */

static void sandbox_answer(struct dify_call *c, struct req *r, const char *path, struct reply *rep)
{
    if (strcmp(path, "/health") == 0) {
        reply_text(rep, 200, "application/json; charset=utf-8", "\"ok\"");
        return;
    }
    if (str_starts_with(path, "/v1/sandbox/")) {
        /* the image's own default key is "dify-sandbox" (conf/config.yaml) */
        const char *want = dify_env_or(&c->run->env, "API_KEY", "dify-sandbox");
        if (!str_eq(req_header(r, "X-Api-Key"), want)) {
            reply_text(rep, 401, "application/json",
                       "{\"code\":-401,\"message\":\"Unauthorized\",\"data\":null}");
            return;
        }
        reply_text(
            rep, 200, "application/json",
            "{\"code\":0,\"message\":\"success\",\"data\":{\"error\":\"\",\"stdout\":\"\"}}");
        return;
    }
    reply_text(rep, 404, "text/plain", "404 page not found");
}

static void web_answer(struct dify_call *c, const char *path, struct reply *rep)
{
    if (strcmp(path, "/apps") == 0 || strcmp(path, "/") == 0 || strcmp(path, "/signin") == 0 ||
        strcmp(path, "/install") == 0) {
        /* the entrypoint turns the URLs into the API prefixes; empty means
         * the same origin as the page */
        const struct dify_env *e = &c->run->env;
        char *console = json_quote(dify_env_or(e, "CONSOLE_API_URL", ""));
        char *app = json_quote(dify_env_or(e, "APP_API_URL", ""));
        console[strlen(console) - 1] = '\0';
        app[strlen(app) - 1] = '\0';
        char *body = xasprintf("<!DOCTYPE html><html><head><title>Dify</title></head>"
                               "<body data-api-prefix=%s/console/api\" "
                               "data-pubic-api-prefix=%s/api\">"
                               "<div id=\"__next\">dify-web %s</div></body></html>",
                               console, app, c->run->tag);
        free(console);
        free(app);
        reply_take(rep, 200, "text/html; charset=utf-8", body, strlen(body));
        return;
    }
    reply_text(rep, 404, "text/html; charset=utf-8", "<h1>404: This page could not be found.</h1>");
}

void dify_proxy_answer(struct dify_call *c, struct req *r, const char *path_query,
                       struct reply *rep)
{
    char *path = xstrndup(path_query, strcspn(path_query, "?"));
    switch (c->run->comp) {
    case COMP_API:
        api_answer(c, r, path, rep);
        break;
    case COMP_DAEMON:
        daemon_answer(c, r, path, rep);
        break;
    case COMP_SANDBOX:
        sandbox_answer(c, r, path, rep);
        break;
    case COMP_WEB:
        web_answer(c, path, rep);
        break;
    case COMP_SSRF:
        reply_text(rep, 400, "text/html",
                   "<html><body>ERROR: The requested URL could not be retrieved (Invalid URL)"
                   "</body></html>");
        break;
    default: {
        char *body = xasprintf("dify-sim: no simulated endpoint %s for this service\n", path);
        reply_take(rep, 404, "text/plain", body, strlen(body));
    }
    }
    free(path);
}
