/* sim/dify_components.c: what each Dify image does when its container
 * starts, phase by phase on a model worker (see dify_run.h). Each phase
 * talks to the real stores with the container's configuration and logs what
 * the image logs. Sources of each behaviour are in docs/sim.md, "The Dify
 * model"; the main ones: dify api/docker/entrypoint.sh and
 * api/commands/system.py (upgrade-db with its Redis lock), Flask-Migrate's
 * `flask db upgrade`, celery/kombu's broker retries, dify-plugin-daemon
 * internal/db/pg/pg.go (connect, else create the database from
 * DB_DEFAULT_DATABASE), internal/db/init.go and its Redis client. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sim/dify_run.h"

enum phase {
    PH_START = 0,      /* the entrypoint */
    PH_UPGRADE_FINISH, /* flask upgrade-db: the revisions are applied, write them */
    PH_FLASK_FINISH,   /* flask db upgrade: likewise, then exit */
    PH_BROKER_RETRY,   /* celery: connect to the broker again */
};

/* Simulated seconds one alembic revision takes to apply. */
#define REVISION_SECONDS 0.05

/* The Redis lock flask upgrade-db takes (api/commands/system.py). */
#define UPGRADE_LOCK "db_upgrade_lock"

static void exit_with(struct dify_run *r, int code)
{
    r->life = LIFE_EXITED;
    r->exit_code = code;
}

/* Is version tag older than want ("1.12.1" < "1.13.0")? Unparsable: no. */
static bool tag_before(const char *tag, int maj, int min, int pat)
{
    int a = 0, b = 0, c = 0;
    if (sscanf(tag, "%d.%d.%d", &a, &b, &c) < 2)
        return false;
    return a != maj ? a < maj : b != min ? b < min : c < pat;
}

/* ---- Python's view of a failure (psycopg2, redis-py, SQLAlchemy) ---- */

static const char *redis_py_class(const struct dify_outcome *o)
{
    if (o->fail != DIFY_FAIL_SERVER)
        return "ConnectionError";
    const char *m = o->message ? o->message : "";
    return strncmp(m, "WRONGPASS", 9) == 0 || strncmp(m, "NOAUTH", 6) == 0 ||
                   strstr(m, "AUTH") != NULL
               ? "AuthenticationError"
               : "ResponseError";
}

/* redis-py's exception text: "Error 111 connecting to HOST:PORT. Connection
 * refused." for connections, the reply without its code otherwise. */
static char *redis_py_text(const struct dify_target *t, const struct dify_outcome *o)
{
    if (o->fail == DIFY_FAIL_DNS)
        return xasprintf("Error -2 connecting to %s:%d. Name or service not known.", t->host,
                         t->port);
    if (o->fail == DIFY_FAIL_REFUSED)
        return xasprintf("Error 111 connecting to %s:%d. Connection refused.", t->host, t->port);
    return xstrdup(dify_redis_text_py(o));
}

/* go-redis's text (the plugin daemon): the reply as the server sent it, or
 * the dial error. */
static char *go_redis_text(const struct dify_target *t, const struct dify_outcome *o)
{
    if (o->fail == DIFY_FAIL_DNS)
        return xasprintf("dial tcp: lookup %s on 10.96.0.10:53: no such host", t->host);
    if (o->fail == DIFY_FAIL_REFUSED)
        return xasprintf("dial tcp %s:%d: connect: connection refused", t->ip, t->port);
    return xstrdup(o->message ? o->message : "");
}

static void py_traceback(struct dify_run *r, const char *where, const char *code, const char *exc)
{
    dify_run_log(r, "Traceback (most recent call last):");
    dify_run_log(r, "  File \"%s\", in %s", where, "upgrade_db");
    dify_run_log(r, "    %s", code);
    dify_run_log(r, "%s", exc);
}

/* ---- the schema ---- */

/* The revision the database is at: 0 for none (no alembic_version table or
 * no row), -1 for a revision no known image has (a newer image migrated it). */
static int schema_revision(PGconn *c, char **id, struct dify_outcome *o)
{
    *id = dify_pg_value(c, "SELECT version_num FROM alembic_version LIMIT 1", o);
    if (!*id)
        return o->fail == DIFY_FAIL_SERVER && !str_eq(o->sqlstate, "42P01") ? -2 : 0;
    return dify_revision_index(*id);
}

/* Writes the head revision and the tables the simulated endpoints read, in
 * one transaction, as the migration's own user. */
static int schema_write(PGconn *c, int head, struct dify_outcome *o)
{
    char id[13];
    dify_revision_id(head, id);
    char *sql = xasprintf(
        "BEGIN;"
        "CREATE TABLE IF NOT EXISTS alembic_version (version_num varchar(32) NOT NULL, "
        "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));"
        "CREATE TABLE IF NOT EXISTS dify_setups (version varchar(255) NOT NULL PRIMARY KEY, "
        "setup_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);"
        "CREATE TABLE IF NOT EXISTS tenants (id uuid NOT NULL PRIMARY KEY, name varchar(255) "
        "NOT NULL, created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);"
        "CREATE TABLE IF NOT EXISTS accounts (id uuid NOT NULL PRIMARY KEY, name varchar(255) "
        "NOT NULL, email varchar(255) NOT NULL, created_at timestamp NOT NULL DEFAULT "
        "CURRENT_TIMESTAMP);"
        "DELETE FROM alembic_version;"
        "INSERT INTO alembic_version (version_num) VALUES ('%s');"
        "COMMIT;",
        id);
    int rc = dify_pg_exec(c, sql, o);
    free(sql);
    if (rc < 0)
        dify_pg_exec(c, "ROLLBACK", &(struct dify_outcome){0});
    return rc;
}

/* alembic's lines for the revisions after cur up to head. */
static void log_revisions(struct dify_run *r, int cur, int head)
{
    dify_run_log(r, "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.");
    dify_run_log(r, "INFO  [alembic.runtime.migration] Will assume transactional DDL.");
    char from[13] = "", to[13];
    if (cur > 0)
        dify_revision_id(cur, from);
    for (int i = cur + 1; i <= head; i++) {
        dify_revision_id(i, to);
        dify_run_log(r, "INFO  [alembic.runtime.migration] Running upgrade %s -> %s, revision %d",
                     from, to, i);
        memcpy(from, to, sizeof(from));
    }
}

/* Connects as the container's database user and plans the upgrade: the
 * open connection and the number of revisions to apply, or NULL with o
 * filled (after_login says whether the login itself worked; a revision the
 * image does not know is DIFY_FAIL_OTHER). */
static PGconn *plan_upgrade(struct dify_run *r, int *todo, struct dify_outcome *o,
                            bool *after_login)
{
    const struct dify_env *e = &r->env;
    *after_login = false;
    PGconn *c =
        dify_pg_login(&r->db, dify_env_or(e, "DB_USERNAME", "postgres"),
                      dify_env_or(e, "DB_PASSWORD", ""), dify_env_or(e, "DB_DATABASE", "dify"), o);
    if (!c)
        return NULL;
    *after_login = true;
    char *id = NULL;
    int cur = schema_revision(c, &id, o);
    int head = dify_revision_head(r->tag);
    if (cur == -2) {
        free(id);
        PQfinish(c);
        return NULL;
    }
    if (cur < 0 || cur > head) {
        /* the database is at a revision this image does not have */
        dify_outcome_done(o);
        o->fail = DIFY_FAIL_OTHER;
        o->message = xasprintf("Can't locate revision identified by '%s'", id ? id : "");
        free(id);
        PQfinish(c);
        return NULL;
    }
    free(id);
    log_revisions(r, cur, head);
    *todo = head - cur;
    return c;
}

/* SQLAlchemy's text for a failed plan or write, and its exception class:
 * OperationalError for a login, ProgrammingError for a statement, none for
 * alembic's "Can't locate revision". */
static char *plan_error(struct dify_run *r, const struct dify_outcome *o, bool after_login,
                        const char **cls)
{
    if (!after_login) {
        *cls = "OperationalError";
        return dify_pg_text_psycopg(&r->db, o);
    }
    if (o->fail == DIFY_FAIL_OTHER) {
        *cls = NULL;
        return xstrdup(o->message ? o->message : "");
    }
    *cls = "ProgrammingError";
    return dify_pg_text_psycopg_stmt(o);
}

/* ---- flask upgrade-db (the api image's entrypoint with MIGRATION_ENABLED) ---- */

static void main_start(struct dify_run *r);

static struct redisContext *lock_redis(struct dify_run *r, struct dify_outcome *o)
{
    const struct dify_env *e = &r->env;
    return dify_redis_login(&r->redis, dify_env_get(e, "REDIS_USERNAME"),
                            dify_env_get(e, "REDIS_PASSWORD"),
                            atoi(dify_env_or(e, "REDIS_DB", "0")), o);
}

static void unlock_upgrade(struct dify_run *r)
{
    struct dify_outcome o;
    struct redisContext *c = lock_redis(r, &o);
    if (c) {
        free(dify_redis_cmd(c, &o, "DEL %s", UPGRADE_LOCK));
        dify_redis_close(c);
    }
    dify_outcome_done(&o);
}

/* A failed upgrade: exit 1 since the fix of dify PR #32024 (1.13.0); older
 * images log it and carry on as if it had worked. */
static void upgrade_failed(struct dify_run *r, const char *text)
{
    if (tag_before(r->tag, 1, 13, 0)) {
        dify_run_log(r, "ERROR [commands] Failed to execute database migration");
        dify_run_log(r, "%s", text);
        unlock_upgrade(r);
        main_start(r);
        return;
    }
    dify_run_log(r, "ERROR [commands] Failed to execute database migration");
    dify_run_log(r, "Database migration failed: %s", text);
    unlock_upgrade(r);
    exit_with(r, 1);
}

static void upgrade_begin(struct dify_run *r)
{
    if (r->comp != COMP_MIGRATE || !str_eq(dify_env_get(&r->env, "MODE"), "job"))
        dify_run_log(r, "Running migrations");
    dify_run_log(r, "Preparing database migration...");
    struct dify_outcome o;
    struct redisContext *rc = lock_redis(r, &o);
    char *got = NULL;
    if (rc) {
        /* redis-py's lock: SET name token NX PX ttl */
        got = dify_redis_cmd(rc, &o, "SET %s %s NX PX %d", UPGRADE_LOCK, r->pod, 60000);
        dify_redis_close(rc);
    }
    if (!got && o.fail != DIFY_OK) {
        char *text = redis_py_text(&r->redis, &o);
        char *exc = xasprintf("redis.exceptions.%s: %s", redis_py_class(&o), text);
        py_traceback(r, "/app/api/commands/system.py", "if lock.acquire(blocking=False):", exc);
        free(exc);
        free(text);
        dify_outcome_done(&o);
        exit_with(r, 1);
        return;
    }
    dify_outcome_done(&o);
    if (!got) {
        dify_run_log(r, "Database migration skipped");
        main_start(r);
        return;
    }
    free(got);
    dify_run_log(r, "Starting database migration.");
    int todo = 0;
    bool logged_in;
    PGconn *c = plan_upgrade(r, &todo, &o, &logged_in);
    if (!c) {
        const char *cls;
        char *text = plan_error(r, &o, logged_in, &cls);
        upgrade_failed(r, text);
        free(text);
        dify_outcome_done(&o);
        return;
    }
    PQfinish(c);
    r->phase = PH_UPGRADE_FINISH;
    r->delay = todo * REVISION_SECONDS;
}

static void upgrade_finish(struct dify_run *r)
{
    struct dify_outcome o;
    int todo = 0;
    bool logged_in;
    PGconn *c = plan_upgrade(r, &todo, &o, &logged_in);
    /* the revisions were logged when they began: only the result now */
    strbuf_reset(&r->lines);
    if (c && schema_write(c, dify_revision_head(r->tag), &o) == 0) {
        PQfinish(c);
        dify_run_log(r, "Database migration successful!");
        unlock_upgrade(r);
        main_start(r);
        return;
    }
    if (c)
        PQfinish(c);
    const char *cls;
    char *text = plan_error(r, &o, logged_in, &cls);
    upgrade_failed(r, text);
    free(text);
    dify_outcome_done(&o);
}

/* ---- flask db upgrade (a migration Job's command) ---- */

static void flask_failed(struct dify_run *r, const char *exc)
{
    dify_run_log(r, "Traceback (most recent call last):");
    dify_run_log(r, "  File \"/app/api/.venv/bin/flask\", line 10, in <module>");
    dify_run_log(r, "    sys.exit(main())");
    dify_run_log(r, "%s", exc);
    exit_with(r, 1);
}

/* Logs a failed `flask db upgrade` as it ends: alembic's own error for an
 * unknown revision, else SQLAlchemy's exception. */
static void flask_error(struct dify_run *r, const struct dify_outcome *o, bool logged_in)
{
    const char *cls;
    char *text = plan_error(r, o, logged_in, &cls);
    if (!cls) {
        dify_run_log(r, "ERROR [flask_migrate] Error: %s", text);
        exit_with(r, 1);
    } else {
        char *exc = xasprintf("sqlalchemy.exc.%s: %s", cls, text);
        flask_failed(r, exc);
        dify_run_log(r, "(Background on this error at: https://sqlalche.me/e/20/%s)",
                     str_eq(cls, "OperationalError") ? "e3q8" : "f405");
        free(exc);
    }
    free(text);
}

static void flask_begin(struct dify_run *r)
{
    struct dify_outcome o;
    int todo = 0;
    bool logged_in;
    PGconn *c = plan_upgrade(r, &todo, &o, &logged_in);
    if (!c) {
        flask_error(r, &o, logged_in);
        dify_outcome_done(&o);
        return;
    }
    PQfinish(c);
    r->phase = PH_FLASK_FINISH;
    r->delay = todo * REVISION_SECONDS;
}

static void flask_finish(struct dify_run *r)
{
    struct dify_outcome o;
    int todo = 0;
    bool logged_in;
    PGconn *c = plan_upgrade(r, &todo, &o, &logged_in);
    strbuf_reset(&r->lines);
    if (c && schema_write(c, dify_revision_head(r->tag), &o) == 0) {
        PQfinish(c);
        exit_with(r, 0);
        return;
    }
    if (c)
        PQfinish(c);
    flask_error(r, &o, logged_in);
    dify_outcome_done(&o);
}

/* ---- celery (worker and beat) ---- */

static char *broker_masked(const struct dify_run *r)
{
    if (!r->broker_redis)
        return xstrdup("amqp://guest:**@127.0.0.1:5672//");
    return xasprintf("redis://%s%s@%s:%d/%d", r->broker_user ? r->broker_user : "",
                     r->broker_pass ? ":**" : "", r->broker.host, r->broker.port, r->broker_db);
}

static void celery_connect(struct dify_run *r)
{
    bool beat = r->comp == COMP_BEAT;
    char *url = broker_masked(r);
    struct dify_outcome o = {0};
    struct redisContext *c = NULL;
    if (r->broker_redis)
        c = dify_redis_login(&r->broker, r->broker_user, r->broker_pass, r->broker_db, &o);
    else
        o.fail = DIFY_FAIL_REFUSED;
    if (c) {
        dify_redis_close(c);
        if (beat) {
            dify_run_log(r, "[INFO/MainProcess] beat: Starting...");
        } else {
            dify_run_log(r, "[INFO/MainProcess] Connected to %s", url);
            dify_run_log(r, "[INFO/MainProcess] mingle: searching for neighbors");
            dify_run_log(r, "[INFO/MainProcess] mingle: all alone");
            dify_run_log(r, "[INFO/MainProcess] celery@%s ready.", r->pod);
        }
        r->life = LIFE_SERVING;
        free(url);
        return;
    }
    char *text = !r->broker_redis ? xstrdup("[Errno 111] Connection refused")
                                  : redis_py_text(&r->broker, &o);
    r->attempt++;
    if (r->attempt > 100) {
        dify_run_log(r, "[CRITICAL/MainProcess] Unrecoverable error: OperationalError('%s')", text);
        exit_with(r, 1);
    } else {
        /* kombu's retry: 2 s, growing by 2 s, at most 30 s */
        int wait = 2 * r->attempt > 30 ? 30 : 2 * r->attempt;
        if (beat)
            dify_run_log(r,
                         "[ERROR/MainProcess] beat: Connection error: %s. Trying again in %d.0 "
                         "seconds...",
                         text, wait);
        else
            dify_run_log(r,
                         "[ERROR/MainProcess] consumer: Cannot connect to %s: %s.\nTrying again "
                         "in %d.00 seconds... (%d/100)",
                         url, text, wait, r->attempt);
        r->life = LIFE_DEGRADED;
        r->phase = PH_BROKER_RETRY;
        r->delay = wait;
    }
    free(text);
    free(url);
    dify_outcome_done(&o);
}

static void celery_start(struct dify_run *r)
{
    char *url = broker_masked(r);
    if (r->comp == COMP_BEAT) {
        dify_run_log(r, "celery beat v5.5.3 (immunity) is starting.");
        dify_run_log(r, "__    -    ... __   -        _");
        dify_run_log(r, "Configuration ->");
        dify_run_log(r, "    . broker -> %s", url);
        dify_run_log(r, "    . scheduler -> celery.beat.PersistentScheduler");
    } else {
        dify_run_log(r, "Starting Celery worker with queues: %s",
                     dify_env_or(&r->env, "CELERY_WORKER_QUEUES",
                                 "dataset,priority_dataset,priority_pipeline,pipeline,mail,"
                                 "ops_trace,app_deletion,plugin,workflow_storage,conversation,"
                                 "workflow,schedule_poller,schedule_executor,"
                                 "triggered_workflow_dispatcher,trigger_refresh_executor,"
                                 "retention"));
        dify_run_log(r, " -------------- celery@%s v5.5.3 (immunity)", r->pod);
        dify_run_log(r, "- ** ---------- [config]");
        dify_run_log(r, "- ** ---------- .> transport:   %s", url);
    }
    free(url);
    celery_connect(r);
}

/* ---- the plugin daemon ---- */

/* log.Panic("WHAT: TEXT"): the line, Go's panic message, exit. */
static void daemon_panic(struct dify_run *r, const char *what, const char *text)
{
    char *msg = xasprintf("%s: %s", what, text ? text : "");
    dify_run_log(r, "[PANIC]%s", msg);
    dify_run_log(r, "panic: %s", msg);
    free(msg);
    exit_with(r, 2); /* Go's exit status for a panic */
}

/* pg.go InitPluginDB: the database, else DB_DEFAULT_DATABASE, create the
 * database if pg_database lacks it, and connect again. */
static PGconn *daemon_db(struct dify_run *r)
{
    const struct dify_env *e = &r->env;
    const char *user = dify_env_or(e, "DB_USERNAME", "postgres");
    const char *pass = dify_env_or(e, "DB_PASSWORD", "");
    const char *name = dify_env_or(e, "DB_DATABASE", "dify_plugin");
    const char *dflt = dify_env_or(e, "DB_DEFAULT_DATABASE", "postgres");
    struct dify_outcome o;
    PGconn *c = dify_pg_login(&r->db, user, pass, name, &o);
    if (c)
        return c;
    char *t = dify_pg_text_pgx(&r->db, user, name, &o);
    dify_run_log(r, "[error] failed to initialize database, got error %s", t);
    free(t);
    dify_outcome_done(&o);
    PGconn *d = dify_pg_login(&r->db, user, pass, dflt, &o);
    if (!d) {
        t = dify_pg_text_pgx(&r->db, user, dflt, &o);
        dify_run_log(r, "[error] failed to initialize database, got error %s", t);
        daemon_panic(r, "failed to init dify plugin db", t);
        free(t);
        dify_outcome_done(&o);
        return NULL;
    }
    char *lit = PQescapeLiteral(d, name, strlen(name));
    char *q = xasprintf("SELECT 1 FROM pg_database WHERE datname = %s", lit);
    PQfreemem(lit);
    char *have = dify_pg_value(d, q, &o);
    free(q);
    int rc = 0;
    if (!have && o.fail == DIFY_OK) {
        char *id = PQescapeIdentifier(d, name, strlen(name));
        q = xasprintf("CREATE DATABASE %s", id);
        PQfreemem(id);
        rc = dify_pg_exec(d, q, &o);
        free(q);
    }
    free(have);
    PQfinish(d);
    if (rc < 0 || o.fail != DIFY_OK) {
        t = dify_pg_text_pgx_stmt(&o);
        daemon_panic(r, "failed to init dify plugin db", t);
        free(t);
        dify_outcome_done(&o);
        return NULL;
    }
    c = dify_pg_login(&r->db, user, pass, name, &o);
    if (!c) {
        t = dify_pg_text_pgx(&r->db, user, name, &o);
        dify_run_log(r, "[error] failed to initialize database, got error %s", t);
        daemon_panic(r, "failed to init dify plugin db", t);
        free(t);
        dify_outcome_done(&o);
    }
    return c;
}

/* GORM's AutoMigrate of the tables the simulated endpoints use. */
static bool daemon_migrate(struct dify_run *r, PGconn *c)
{
    struct dify_outcome o = {0};
    if (dify_pg_exec(c,
                     "CREATE TABLE IF NOT EXISTS plugin_installations (id uuid NOT NULL "
                     "DEFAULT gen_random_uuid() PRIMARY KEY, tenant_id uuid NOT NULL, "
                     "plugin_id varchar(255) NOT NULL, plugin_unique_identifier varchar(255) "
                     "NOT NULL, runtime_type varchar(127) NOT NULL DEFAULT 'local', "
                     "created_at timestamptz NOT NULL DEFAULT now())",
                     &o) == 0)
        return true;
    char *t = dify_pg_text_pgx_stmt(&o);
    daemon_panic(r, "failed to auto migrate", t);
    free(t);
    dify_outcome_done(&o);
    return false;
}

/* Installed plugins whose packages the storage lacks (a new emptyDir, a
 * new container file system) are not launched. */
static void daemon_plugins(struct dify_run *r, PGconn *c)
{
    PGresult *res = PQexec(c, "SELECT DISTINCT plugin_unique_identifier FROM "
                              "plugin_installations ORDER BY 1");
    int n = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : 0, launched = 0;
    for (int i = 0; i < n; i++) {
        const char *id = PQgetvalue(res, i, 0);
        if (dify_storage_has(r->storage, id))
            launched++;
        else
            dify_run_log(r,
                         "[WARN]plugin %s is installed but its package is not in the plugin "
                         "storage: not launched",
                         id);
    }
    PQclear(res);
    dify_run_log(r, "[INFO]launched %d local plugins", launched);
}

static void daemon_start(struct dify_run *r)
{
    const struct dify_env *e = &r->env;
    dify_run_log(r, "[INFO]dify-plugin-daemon %s, platform %s", r->tag,
                 dify_env_or(e, "PLATFORM", "local"));
    /* config.Validate(): required keys (go-playground/validator's text) */
    if (str_empty(dify_env_get(e, "SERVER_KEY")) ||
        str_empty(dify_env_get(e, "DIFY_INNER_API_KEY"))) {
        const char *f = str_empty(dify_env_get(e, "SERVER_KEY")) ? "ServerKey" : "DifyInnerApiKey";
        char *t = xasprintf("Key: 'Config.%s' Error:Field validation for '%s' failed on the "
                            "'required' tag",
                            f, f);
        daemon_panic(r, "invalid configuration", t);
        free(t);
        return;
    }
    if (!str_eq(dify_env_or(e, "DB_TYPE", "postgresql"), "postgresql")) {
        daemon_panic(r, "unsupported database type", dify_env_get(e, "DB_TYPE"));
        return;
    }
    PGconn *c = daemon_db(r);
    if (!c)
        return;
    if (!daemon_migrate(r, c)) {
        PQfinish(c);
        return;
    }
    dify_run_log(r, "[INFO]dify plugin db initialized");
    struct dify_outcome o;
    struct redisContext *rc = dify_redis_login(&r->redis, dify_env_get(e, "REDIS_USERNAME"),
                                               dify_env_get(e, "REDIS_PASSWORD"),
                                               atoi(dify_env_or(e, "REDIS_DB", "0")), &o);
    if (!rc) {
        char *t = go_redis_text(&r->redis, &o);
        daemon_panic(r, "init redis client failed", t);
        free(t);
        dify_outcome_done(&o);
        PQfinish(c);
        return;
    }
    dify_redis_close(rc);
    dify_run_log(r, "[INFO]persistence storage: %s, root %s",
                 dify_env_or(e, "PLUGIN_STORAGE_TYPE", "local"),
                 dify_env_or(e, "PLUGIN_STORAGE_LOCAL_ROOT", "/app/storage"));
    daemon_plugins(r, c);
    PQfinish(c);
    dify_run_log(r, "[INFO]start plugin daemon http server on :%s",
                 dify_env_or(e, "SERVER_PORT", "5002"));
    r->life = LIFE_SERVING;
}

/* ---- the components that need no store ---- */

static void api_serve(struct dify_run *r)
{
    const struct dify_env *e = &r->env;
    dify_run_log(r, "[INFO] Starting gunicorn 23.0.0");
    dify_run_log(r, "[INFO] Listening at: http://%s:%s (1)",
                 dify_env_or(e, "DIFY_BIND_ADDRESS", "0.0.0.0"),
                 dify_env_or(e, "DIFY_PORT", "5001"));
    dify_run_log(r, "[INFO] Using worker: %s", dify_env_or(e, "SERVER_WORKER_CLASS", "gevent"));
    dify_run_log(r, "[INFO] Booting worker with pid: 7");
    r->life = LIFE_SERVING;
}

static void ssrf_start(struct dify_run *r)
{
    int port = 3128;
    const char *hp = r->squid_conf ? strstr(r->squid_conf, "http_port ") : NULL;
    if (hp)
        port = atoi(hp + 10);
    dify_run_log(r, "Starting Squid Cache version 6.13 for aarch64-unknown-linux-gnu...");
    if (r->squid_conf)
        dify_run_log(r, "Processing Configuration File: /etc/squid/squid.conf (depth 0)");
    dify_run_log(r,
                 "Accepting HTTP Socket connections at conn1 local=[::]:%d remote=[::] FD 10 "
                 "flags=9",
                 port);
    r->life = LIFE_SERVING;
}

static void main_start(struct dify_run *r)
{
    const struct dify_env *e = &r->env;
    switch (r->comp) {
    case COMP_API:
        api_serve(r);
        break;
    case COMP_WORKER:
    case COMP_BEAT:
        celery_start(r);
        break;
    case COMP_MIGRATE:
        if (str_eq(dify_env_get(e, "MODE"), "job"))
            dify_run_log(r, "Job completed successfully.");
        else
            dify_run_log(r, "Migration completed, exiting normally");
        exit_with(r, 0);
        break;
    case COMP_DAEMON:
        daemon_start(r);
        break;
    case COMP_SANDBOX:
        dify_run_log(r, "[INFO]config init success");
        dify_run_log(r, "[INFO]network has been %s",
                     str_eq(dify_env_get(e, "ENABLE_NETWORK"), "false") ? "disabled" : "enabled");
        dify_run_log(r, "[INFO]dify-sandbox %s listening on 0.0.0.0:%s", r->tag,
                     dify_env_or(e, "SANDBOX_PORT", "8194"));
        r->life = LIFE_SERVING;
        break;
    case COMP_WEB:
        dify_run_log(r, "  \u25b2 Next.js 15.2.4 (dify-web %s)", r->tag);
        dify_run_log(r, "  - Local:        http://localhost:%s", dify_env_or(e, "PORT", "3000"));
        dify_run_log(r, " \u2713 Ready in 312ms");
        r->life = LIFE_SERVING;
        break;
    case COMP_SSRF:
        ssrf_start(r);
        break;
    }
}

void dify_components_step(struct dify_run *r)
{
    int phase = r->phase;
    r->phase = PH_START;
    r->delay = -1;
    switch (phase) {
    case PH_START: {
        bool migrate = str_eq(dify_env_get(&r->env, "MIGRATION_ENABLED"), "true");
        if (r->comp == COMP_MIGRATE && !r->upgrade_db)
            flask_begin(r);
        else if (r->comp == COMP_MIGRATE && str_eq(dify_env_get(&r->env, "MODE"), "job")) {
            dify_run_log(r, "Running Flask job command: flask upgrade-db");
            upgrade_begin(r);
        } else if (r->comp == COMP_MIGRATE ||
                   (migrate &&
                    (r->comp == COMP_API || r->comp == COMP_WORKER || r->comp == COMP_BEAT)))
            upgrade_begin(r);
        else
            main_start(r);
        break;
    }
    case PH_UPGRADE_FINISH:
        upgrade_finish(r);
        break;
    case PH_FLASK_FINISH:
        flask_finish(r);
        break;
    case PH_BROKER_RETRY:
        celery_connect(r);
        break;
    }
}
