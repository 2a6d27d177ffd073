/* core/checks_stores.c: the data stores' addresses and credentials for the
 * checks (see checks_stores.h). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checks_env.h"
#include "core/checks_impl.h"
#include "core/checks_util.h"
#include "core/checks_stores.h"
#include "core/kube_json.h"
#include "core/profile.h"
#include "core/util.h"

void store_target_done(struct store_target *t)
{
    str_free_secret(t->password);
    t->password = NULL;
}

const char *store_reach_host(const struct store_target *t)
{
    return t->reach_host[0] ? t->reach_host : t->host;
}

int store_reach_port(const struct store_target *t)
{
    return t->reach_port ? t->reach_port : t->port;
}

/* A name only the cluster's DNS knows: no dot ("dify-postgresql"), a
 * Service's "NAME.NS", or under .svc / .cluster.local. */
static bool inside_cluster(const struct check *c, const char *host)
{
    if (!strchr(host, '.'))
        return true;
    if (strstr(host, ".svc") || str_ends_with(host, ".cluster.local"))
        return true;
    char ns_suffix[300];
    snprintf(ns_suffix, sizeof(ns_suffix), ".%s", check_env(c)->ns);
    return str_ends_with(host, ns_suffix);
}

/* Whether the namespace has the Service a short name ("dify-postgresql",
 * "dify-postgresql.NS") names: -1 unknown (no cluster, the Services not
 * read, another namespace). */
static int service_here(struct check *c, const char *host)
{
    if (!check_env(c)->kube || !check_fact_read(c, FACT_SERVICES))
        return -1;
    size_t l = strcspn(host, ".");
    const char *rest = host + l;
    char ns_dot[300];
    snprintf(ns_dot, sizeof(ns_dot), ".%s.", check_env(c)->ns);
    /* "", ".NS" or ".NS.svc...": this namespace's */
    if (*rest && strncmp(rest, ns_dot, strlen(ns_dot) - 1) != 0)
        return -1;
    if (*rest && rest[strlen(ns_dot) - 1] != '\0' && rest[strlen(ns_dot) - 1] != '.')
        return -1;
    const cJSON *svc;
    cJSON_ArrayForEach(svc, check_fact(c, FACT_SERVICES))
    {
        const char *name = kj_str(svc, "metadata.name");
        if (name && strlen(name) == l && strncmp(name, host, l) == 0)
            return 1;
    }
    return 0;
}

static enum store_find finish(struct check *c, struct store_target *t, const char *reach_host,
                              int reach_port, const char *flag, char *why, size_t n)
{
    if (!str_empty(reach_host)) {
        snprintf(t->reach_host, sizeof(t->reach_host), "%s", reach_host);
        t->reach_port = reach_port ? reach_port : t->port;
        return STORE_FOUND;
    }
    bool db = str_eq(flag, "--db");
    if (str_starts_with(t->source, "the environment of ") &&
        (str_eq(t->host, "localhost") || str_starts_with(t->host, "127.") ||
         str_eq(t->host, "::1"))) {
        /* a pod's localhost (Dify's default when DB_HOST or REDIS_HOST is
         * not set) is the pod itself: no name inside the cluster to reach */
        snprintf(why, n,
                 "%s:%d is the pod itself: %s in %s is %s (Dify's default when it is not "
                 "set), and inside a pod that is the pod, where no %s runs; set %s to the "
                 "server's Service or address",
                 t->host, t->port, db ? "DB_HOST" : "REDIS_HOST", t->source, t->host,
                 db ? "PostgreSQL" : "Redis", db ? "DB_HOST" : "REDIS_HOST");
        return STORE_INSIDE;
    }
    if (inside_cluster(c, t->host) && service_here(c, t->host) == 0) {
        snprintf(why, n,
                 "%s:%d is a name inside the cluster, and namespace %s has no Service %.*s to "
                 "port-forward (the cluster's DNS resolves it another way: a Service of another "
                 "namespace, an ExternalName, a stub domain): give %s HOST:PORT where this "
                 "machine reaches the server, or a bastion in the answers",
                 t->host, t->port, check_env(c)->ns, (int)strcspn(t->host, "."), t->host, flag);
        return STORE_INSIDE;
    }
    if (inside_cluster(c, t->host)) {
        snprintf(why, n,
                 "%s:%d is a name inside the cluster; reach it from here with `%s port-forward "
                 "svc/%.*s %d` and %s 127.0.0.1:%d",
                 t->host, t->port, check_kubectl(c), (int)strcspn(t->host, "."), t->host, t->port,
                 flag, t->port);
        return STORE_INSIDE;
    }
    return STORE_FOUND;
}

/* The api's own environment, when the cluster shows the api: what the pods
 * really use. False when there is no api (no cluster, another namespace). */
static bool api_env(struct check *c, struct app_env *env, char *name, size_t n)
{
    struct workload_ref w;
    if (!checks_app_find(c, DIFY_COMP_API, &w))
        return false;
    checks_env_resolve(c, w.tpl, DIFY_COMP_API, env);
    snprintf(name, n, "%s/%s", w.kind, w.name);
    return true;
}

static void copy(char *dst, size_t n, const char *v, const char *def)
{
    snprintf(dst, n, "%s", !str_empty(v) ? v : def);
}

static bool db_from_cluster(struct check *c, struct store_target *t)
{
    struct app_env env;
    char name[300];
    if (!api_env(c, &env, name, sizeof(name)))
        return false;
    /* Defaults as dify api/configs/middleware/__init__.py. */
    copy(t->host, sizeof(t->host), app_env_get(&env, "DB_HOST"), "localhost");
    t->port = atoi(app_env_get(&env, "DB_PORT") ? app_env_get(&env, "DB_PORT") : "5432");
    if (t->port <= 0)
        t->port = 5432;
    copy(t->user, sizeof(t->user), app_env_get(&env, "DB_USERNAME"), "postgres");
    copy(t->db, sizeof(t->db), app_env_get(&env, "DB_DATABASE"), "dify");
    if (app_env_get(&env, "DB_PASSWORD"))
        t->password = xstrdup(app_env_get(&env, "DB_PASSWORD"));
    app_env_done(&env);
    /* The daemon's own database name: its DB_DATABASE, "dify_plugin"
     * when unset (plugin-daemon internal/types/app/config.go). */
    struct workload_ref d;
    copy(t->plugin_db, sizeof(t->plugin_db), "", "dify_plugin");
    if (checks_app_find(c, DIFY_COMP_PLUGIN_DAEMON, &d)) {
        struct app_env de;
        checks_env_resolve(c, d.tpl, DIFY_COMP_PLUGIN_DAEMON, &de);
        copy(t->plugin_db, sizeof(t->plugin_db), app_env_get(&de, "DB_DATABASE"), "dify_plugin");
        app_env_done(&de);
    }
    snprintf(t->source, sizeof(t->source), "the environment of %.200s", name);
    return true;
}

bool checks_db_daemon_login(struct check *c, struct store_target *t)
{
    memset(t, 0, sizeof(*t));
    struct workload_ref d;
    if (!checks_app_find(c, DIFY_COMP_PLUGIN_DAEMON, &d))
        return false;
    struct app_env env;
    checks_env_resolve(c, d.tpl, DIFY_COMP_PLUGIN_DAEMON, &env);
    const char *host = app_env_get(&env, "DB_HOST"), *user = app_env_get(&env, "DB_USERNAME");
    bool named = !str_empty(host) && !str_empty(user);
    if (named) {
        copy(t->host, sizeof(t->host), host, "");
        t->port = atoi(app_env_get(&env, "DB_PORT") ? app_env_get(&env, "DB_PORT") : "5432");
        if (t->port <= 0)
            t->port = 5432;
        copy(t->user, sizeof(t->user), user, "");
        copy(t->db, sizeof(t->db), app_env_get(&env, "DB_DATABASE"), "dify_plugin");
        t->password =
            xstrdup(app_env_get(&env, "DB_PASSWORD") ? app_env_get(&env, "DB_PASSWORD") : "");
        snprintf(t->source, sizeof(t->source), "the environment of %.40s/%.150s", d.kind, d.name);
    }
    app_env_done(&env);
    return named;
}

static bool redis_from_cluster(struct check *c, struct store_target *t)
{
    struct app_env env;
    char name[300];
    if (!api_env(c, &env, name, sizeof(name)))
        return false;
    copy(t->host, sizeof(t->host), app_env_get(&env, "REDIS_HOST"), "localhost");
    t->port = atoi(app_env_get(&env, "REDIS_PORT") ? app_env_get(&env, "REDIS_PORT") : "6379");
    if (t->port <= 0)
        t->port = 6379;
    copy(t->user, sizeof(t->user), app_env_get(&env, "REDIS_USERNAME"), "");
    copy(t->db, sizeof(t->db), app_env_get(&env, "REDIS_DB"), "0");
    if (!str_empty(app_env_get(&env, "REDIS_PASSWORD")))
        t->password = xstrdup(app_env_get(&env, "REDIS_PASSWORD"));
    t->tls = env_true(app_env_get(&env, "REDIS_USE_SSL"));
    t->sentinel = env_true(app_env_get(&env, "REDIS_USE_SENTINEL"));
    t->cluster = env_true(app_env_get(&env, "REDIS_USE_CLUSTERS"));
    app_env_done(&env);
    snprintf(t->source, sizeof(t->source), "the environment of %.200s", name);
    return true;
}

enum store_find checks_db_target(struct check *c, struct store_target *t, char *why, size_t n)
{
    const struct check_env *e = check_env(c);
    const struct profile *p = e->profile;
    memset(t, 0, sizeof(*t));
    if (db_from_cluster(c, t)) {
        if (p && !str_empty(p->db.sslmode))
            copy(t->sslmode, sizeof(t->sslmode), p->db.sslmode, "prefer");
        return finish(c, t, e->db_reach_host, e->db_reach_port, "--db", why, n);
    }
    if (!p) {
        snprintf(why, n, "the database is not known: give the answers file (--answers FILE)");
        return STORE_UNKNOWN;
    }
    if (str_empty(p->db.host)) {
        snprintf(why, n,
                 "the answers file names no database host (db.host; on EKS it comes from the "
                 "Terraform outputs): give --db HOST:PORT");
        if (str_empty(e->db_reach_host))
            return STORE_UNKNOWN;
    }
    snprintf(t->host, sizeof(t->host), "%s", p->db.host ? p->db.host : "");
    t->port = p->db.port ? p->db.port : 5432;
    snprintf(t->user, sizeof(t->user), "%s", p->db.user ? p->db.user : "");
    snprintf(t->db, sizeof(t->db), "%s", p->db.name ? p->db.name : "dify");
    snprintf(t->plugin_db, sizeof(t->plugin_db), "%s",
             p->db.plugin_db ? p->db.plugin_db : "dify_plugin");
    snprintf(t->sslmode, sizeof(t->sslmode), "%s", p->db.sslmode ? p->db.sslmode : "prefer");
    if (e->secrets && e->secrets->db_password)
        t->password = xstrdup(e->secrets->db_password);
    snprintf(t->source, sizeof(t->source), "the answers file %s",
             e->answers_path ? e->answers_path : "");
    if (!t->host[0])
        snprintf(t->host, sizeof(t->host), "%s", e->db_reach_host);
    return finish(c, t, e->db_reach_host, e->db_reach_port, "--db", why, n);
}

enum store_find checks_redis_target(struct check *c, struct store_target *t, char *why, size_t n)
{
    const struct check_env *e = check_env(c);
    const struct profile *p = e->profile;
    memset(t, 0, sizeof(*t));
    if (redis_from_cluster(c, t))
        return finish(c, t, e->redis_reach_host, e->redis_reach_port, "--redis", why, n);
    if (!p) {
        snprintf(why, n, "Redis is not known: give the answers file (--answers FILE)");
        return STORE_UNKNOWN;
    }
    if (str_empty(p->redis.host) && str_empty(e->redis_reach_host)) {
        snprintf(why, n,
                 "the answers file names no Redis host (redis.host; on EKS it comes from the "
                 "Terraform outputs): give --redis HOST:PORT");
        return STORE_UNKNOWN;
    }
    snprintf(t->host, sizeof(t->host), "%s",
             !str_empty(p->redis.host) ? p->redis.host : e->redis_reach_host);
    t->port = p->redis.port ? p->redis.port : 6379;
    snprintf(t->db, sizeof(t->db), "0");
    t->tls = p->redis.tls;
    if (e->secrets && e->secrets->redis_password)
        t->password = xstrdup(e->secrets->redis_password);
    snprintf(t->source, sizeof(t->source), "the answers file %s",
             e->answers_path ? e->answers_path : "");
    return finish(c, t, e->redis_reach_host, e->redis_reach_port, "--redis", why, n);
}
