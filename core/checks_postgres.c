/* core/checks_postgres.c: area 4, PostgreSQL, with libpq through
 * core/pgconn (directly, or through an SSH tunnel to the profile's bastion,
 * core/sshtunnel): the login and its failure classified (network, TLS,
 * 28P01 with the kept-volume explanation of seed 003, 3D000 with the
 * command that creates the database); both databases exist (and whether
 * the user may create the missing one); alembic_version is there and at
 * the revision the last migration reached; connections vs max_connections.
 * Each check opens its own connection, so each can be re-run alone. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checks_env.h"
#include "core/checks_impl.h"
#include "core/checks_resolve.h"
#include "core/checks_stores.h"
#include "core/checks_util.h"
#include "core/dify_alembic.h"
#include "core/dify_components.h"
#include "core/error.h"
#include "core/kube_json.h"
#include "core/pgconn.h"
#include "core/profile.h"
#include "core/sshtunnel.h"
#include "core/steps_native.h"
#include "core/util.h"

#define DOC "docs/diagnose.md#"
#define PG_TIMEOUT_MS 15000 /* a login, a query, the tunnel: each of a check's waits */

/* ---- a session: tunnel, resolve, connect ---- */

struct pg_sess;
typedef void (*pg_ready_cb)(struct pg_sess *s);

struct pg_sess {
    struct check *c;
    struct store_target t;
    char dbname[128];
    bool fallback; /* connected to "postgres" because dbname does not exist */
    struct sshtunnel *tun;
    struct resolve *res;
    struct pgconn *pc;
    char addr[64];
    int port;
    pg_ready_cb ready;
    /* the query in flight (sess_query) */
    const char *what;
    void (*rows_done)(struct pg_sess *s, const struct pg_rows *rows);
    /* DT-403 reads the migration Job's log too. */
    char *job_log;
    bool job_log_done, db_done;
    char revision[64];
    /* DT-401 logs in as the plugin daemon too when its login differs. */
    struct store_target daemon;
    struct pgconn *daemon_pc;
    char version[32];
};

static void sess_free(struct pg_sess *s)
{
    if (!s)
        return;
    resolve_cancel(s->res);
    pgconn_free(s->pc);
    pgconn_free(s->daemon_pc);
    sshtunnel_free(s->tun);
    store_target_done(&s->t);
    store_target_done(&s->daemon);
    free(s->job_log);
    free(s);
}

static void pg_stop(struct check *c)
{
    sess_free(check_state(c));
}

static const char *where(const struct pg_sess *s)
{
    static char buf[512];
    snprintf(buf, sizeof(buf), "%s:%d (user %s, database %s)", s->t.host, s->t.port,
             s->t.user[0] ? s->t.user : "?", s->dbname);
    return buf;
}

/* The failure of a login, classified, as the check's end. */
static void login_failed(struct pg_sess *s, const struct error *err)
{
    struct check *c = s->c;
    const char *sqlstate = "";
    enum pg_fail f = s->pc ? pgconn_failure(s->pc, &sqlstate) : PG_FAIL_OTHER;
    check_evidence(c, "%s", err->msg);
    check_more(c, DOC "dt-401");
    const char *h = s->t.host, *u = s->t.user[0] ? s->t.user : "USER";
    bool primary = strcmp(check_def_of(c)->id, "DT-401") == 0;
    if (!primary) {
        check_skip(c, "PostgreSQL cannot be used (DT-401: %s)", pg_fail_name(f));
        return;
    }
    switch (f) {
    case PG_FAIL_DNS:
        check_try(c, "getent hosts %s", store_reach_host(&s->t));
        check_fail(c, "the database host %s does not resolve", store_reach_host(&s->t));
        break;
    case PG_FAIL_REFUSED:
    case PG_FAIL_NETWORK:
    case PG_FAIL_TIMEOUT:
        check_explain(c, "Nothing answers at the database's address from here: the server is "
                         "down or starting, the port is wrong, or a security group, firewall "
                         "or private network keeps this machine out (give --db HOST:PORT for a "
                         "port-forward, or a bastion in the answers).");
        check_try(c, "pg_isready -h %s -p %d", store_reach_host(&s->t), store_reach_port(&s->t));
        check_fail(c, "PostgreSQL at %s:%d does not answer (%s)", h, s->t.port, pg_fail_name(f));
        break;
    case PG_FAIL_TLS:
        check_explain(c, "The TLS handshake failed: the server requires SSL and the client does "
                         "not use it (or the reverse), or the certificate is not trusted. The "
                         "answers' database.sslmode (disable/require) must suit the server; "
                         "Aurora and RDS accept require.");
        check_try(c, "psql \"host=%s port=%d user=%s dbname=%s sslmode=require\" -c 'select 1'", h,
                  s->t.port, u, s->dbname);
        check_fail(c, "TLS to PostgreSQL failed");
        break;
    case PG_FAIL_AUTH:
        if (str_eq(sqlstate, "28000")) {
            check_explain(c, "The server has no pg_hba.conf entry (or no role) for this user "
                             "from this address (28000).");
            check_try(c, "psql -h %s -U postgres -c 'SELECT * FROM pg_hba_file_rules'", h);
            check_fail(c, "PostgreSQL does not admit user %s from here (28000)", u);
            break;
        }
        check_explain(c,
                      "PostgreSQL refuses the password (SQLSTATE 28P01). The usual cause after a "
                      "reinstall: the database's volume was kept, and PostgreSQL keeps the "
                      "password it was first initialised with in its data directory, while the "
                      "new install generated a new one for the Secret (bitnami/charts#18150, "
                      "seed 003). Either give the installation the old password again, or set "
                      "the server's password to the new one as an administrator.");
        check_try(
            c, "psql -h %s -U postgres -c \"ALTER USER %s PASSWORD 'the Secret''s DB_PASSWORD'\"",
            h, u);
        check_fail(c, "PostgreSQL refuses the password of user %s (28P01)", u);
        break;
    case PG_FAIL_NODB:
        check_explain(c,
                      "The database %s does not exist on this server (3D000): it was never "
                      "created, or the server is not the one the installation was made for.",
                      s->dbname);
        check_try(c, "psql -h %s -U postgres -c 'CREATE DATABASE %s OWNER %s'", h, s->dbname, u);
        check_fail(c, "database %s does not exist (3D000)", s->dbname);
        break;
    case PG_FAIL_PRIVILEGE:
        check_try(c, "psql -h %s -U postgres -c 'GRANT CONNECT ON DATABASE %s TO %s'", h, s->dbname,
                  u);
        check_fail(c, "user %s may not connect to %s (42501)", u, s->dbname);
        break;
    case PG_FAIL_STARTING:
        check_try(c, "pg_isready -h %s -p %d", h, s->t.port);
        check_warn(c, "PostgreSQL is starting up or shutting down (57P03)");
        break;
    default:
        check_try(c, "psql -h %s -p %d -U %s %s -c 'select 1'", h, s->t.port, u, s->dbname);
        check_fail(c, "PostgreSQL: %s", err->msg);
        break;
    }
}

/* The login to make: as user/password to dbname on the server of s->t,
 * reached at the address resolved (or the tunnel's end). */
static struct pg_target sess_target(const struct pg_sess *s, const char *user, const char *password,
                                    const char *dbname)
{
    struct pg_target t = {.host = s->t.host,
                          .port = s->t.port,
                          .user = user,
                          .password = password,
                          .dbname = dbname,
                          .sslmode = s->t.sslmode[0] ? s->t.sslmode : NULL,
                          .reach_host = s->addr,
                          .reach_port = s->port,
                          .timeout_ms = PG_TIMEOUT_MS};
    return t;
}

static void on_connect(struct pgconn *pc, const struct error *err, void *arg)
{
    struct pg_sess *s = arg;
    if (err) {
        const char *sqlstate = "";
        /* DT-402 looks for the databases from the maintenance database when
         * the main one is missing. */
        if (pgconn_failure(pc, &sqlstate) == PG_FAIL_NODB && s->fallback == false &&
            strcmp(check_def_of(s->c)->id, "DT-402") == 0) {
            s->fallback = true;
            pgconn_free(s->pc);
            s->pc = NULL;
            check_evidence(s->c, "database %s does not exist; asking from database postgres",
                           s->dbname);
            snprintf(s->dbname, sizeof(s->dbname), "postgres");
            struct pg_target t = sess_target(s, s->t.user, s->t.password, s->dbname);
            s->pc = pgconn_connect(check_env(s->c)->loop, &t, on_connect, s);
            return;
        }
        login_failed(s, err);
        return;
    }
    s->ready(s);
}

static void connect_to(struct pg_sess *s, const char *addr, int port)
{
    snprintf(s->addr, sizeof(s->addr), "%s", addr);
    s->port = port;
    struct pg_target t = sess_target(s, s->t.user, s->t.password, s->dbname);
    check_waiting(s->c, "PostgreSQL at %s:%d to accept the login", addr, port);
    s->pc = pgconn_connect(check_env(s->c)->loop, &t, on_connect, s);
}

static void on_resolved(const char *host, const char *const *addrs, size_t n, const char *err,
                        void *arg)
{
    struct pg_sess *s = arg;
    s->res = NULL;
    if (!n) {
        struct check *c = s->c;
        check_evidence(c, "%s: %s", host, err);
        check_try(c, "getent hosts %s", host);
        check_more(c, DOC "dt-401");
        if (strcmp(check_def_of(c)->id, "DT-401") != 0)
            check_skip(c, "PostgreSQL cannot be used (DT-401: dns)");
        else
            check_fail(c, "the database host %s does not resolve", host);
        return;
    }
    connect_to(s, addrs[0], store_reach_port(&s->t));
}

static void on_tunnel(struct sshtunnel *t, const struct error *err, void *arg)
{
    struct pg_sess *s = arg;
    struct check *c = s->c;
    if (sshtunnel_key_added(t))
        check_evidence(c, "the accepted host key %s %s was added to %s", sshtunnel_key_type(t),
                       sshtunnel_fingerprint(t), sshtunnel_known_hosts(t));
    if (!err) {
        check_evidence(c, "through the bastion's tunnel (127.0.0.1:%d)", sshtunnel_local_port(t));
        connect_to(s, "127.0.0.1", sshtunnel_local_port(t));
        return;
    }
    check_evidence(c, "%s", err->msg);
    check_more(c, DOC "dt-1001");
    enum ssh_fail f = sshtunnel_failure(t);
    if (f == SSH_FAIL_HOSTKEY_UNKNOWN && sshtunnel_fingerprint(t)) {
        check_explain(c, "The bastion's host key is not in known_hosts. Compare its fingerprint "
                         "with the one the bastion's owner publishes; accepting it adds it.");
        const struct profile *p = check_env(c)->profile;
        check_offer_host_key(c, sshtunnel_key_type(t), sshtunnel_fingerprint(t),
                             p ? p->bastion.host : NULL,
                             p && p->bastion.port ? p->bastion.port : 22, sshtunnel_known_hosts(t));
        check_try(c, "dify-tui diagnose --only remote --accept-host-key %s",
                  sshtunnel_fingerprint(t));
    }
    if (strcmp(check_def_of(c)->id, "DT-401") != 0)
        check_skip(c, "the bastion's tunnel failed (DT-401)");
    else if (f == SSH_FAIL_HOSTKEY_UNKNOWN && sshtunnel_fingerprint(t))
        check_fail(c, "no tunnel: the bastion's host key is unknown: %s %s", sshtunnel_key_type(t),
                   sshtunnel_fingerprint(t));
    else if (f == SSH_FAIL_HOSTKEY_CHANGED)
        check_fail(c, "no tunnel: the bastion's host key changed: refused");
    else
        check_fail(c, "no tunnel through the bastion: %s", err->msg);
}

/* Starts a session to dbname (NULL: the installation's main database);
 * ends the check (skip) when the database cannot be reached from here. */
static struct pg_sess *sess_start(struct check *c, const char *dbname, pg_ready_cb ready)
{
    struct pg_sess *s = xcalloc(1, sizeof(*s));
    s->c = c;
    s->ready = ready;
    check_set_state(c, s);
    char why[512];
    enum store_find f = checks_db_target(c, &s->t, why, sizeof(why));
    const struct profile *p = check_env(c)->profile;
    bool tunnel = f == STORE_INSIDE && p && p->bastion.enabled;
    tunnel = tunnel || (f == STORE_FOUND && !s->t.reach_host[0] && p && p->bastion.enabled);
    if (f != STORE_FOUND && !tunnel) {
        check_more(c, DOC "reaching-the-data-stores");
        check_skip(c, "%s", why);
        return NULL;
    }
    snprintf(s->dbname, sizeof(s->dbname), "%s", dbname ? dbname : s->t.db);
    check_evidence(c, "PostgreSQL %s (from %s)", where(s), s->t.source);
    if (s->t.reach_host[0])
        check_evidence(c, "reached at %s:%d", s->t.reach_host, s->t.reach_port);
    if (tunnel) {
        struct ssh_target st;
        steps_db_bastion(p, s->t.host, s->t.port, &st);
        if (check_env(c)->known_hosts)
            st.known_hosts = check_env(c)->known_hosts;
        st.accept_fingerprint = check_env(c)->accept_fingerprint;
        st.timeout_ms = PG_TIMEOUT_MS;
        check_evidence(c, "through bastion %s@%s", st.user ? st.user : "?", st.host);
        check_waiting(c, "the SSH tunnel through %s", st.host);
        s->tun = sshtunnel_open(check_env(c)->loop, &st, on_tunnel, s);
        return s;
    }
    check_waiting(c, "the name %s to resolve", store_reach_host(&s->t));
    s->res = resolve_start(check_env(c)->loop, store_reach_host(&s->t), on_resolved, s);
    return s;
}

static void on_rows(struct pgconn *pc, const struct pg_rows *rows, const struct error *err,
                    void *arg)
{
    struct pg_sess *s = arg;
    if (err) {
        /* a query's failure ends the check */
        check_evidence(s->c, "%s: %s", s->what, err->msg);
        check_fail(s->c, "the query for %s failed", s->what);
        return;
    }
    s->rows_done(s, rows);
}

/* Runs sql on the session's connection, the check waiting for WHAT meanwhile;
 * done gets the rows, a failure ends the check ("the query for WHAT failed"). */
static void sess_query(struct pg_sess *s, const char *what, const char *sql,
                       const char *const *params, int nparams,
                       void (*done)(struct pg_sess *s, const struct pg_rows *rows))
{
    s->what = what;
    s->rows_done = done;
    check_waiting(s->c, "%s", what);
    pgconn_query(s->pc, sql, params, nparams, PG_TIMEOUT_MS, on_rows, s);
}

/* ---- DT-401 the login ---- */

/* The plugin daemon's login, tried after the api's worked: a password the
 * server refuses only to the daemon is the kept-volume story told for the
 * component it breaks (the daemon crash-loops while the api works). */
static void on_daemon_login(struct pgconn *pc, const struct error *err, void *arg)
{
    struct pg_sess *s = arg;
    struct check *c = s->c;
    const char *sqlstate = "";
    enum pg_fail f = err ? pgconn_failure(pc, &sqlstate) : PG_OK;
    /* PostgreSQL checks the password before the database: 3D000 is a login
     * that worked (DT-402 looks at the databases). */
    if (!err || f == PG_FAIL_NODB) {
        check_ok(c, "PostgreSQL %s accepts user %s (api) and user %s (plugin daemon)", s->version,
                 s->t.user, s->daemon.user);
        return;
    }
    check_evidence(c, "the plugin daemon's login (%s): %s", s->daemon.source, err->msg);
    struct workload_ref d;
    bool have = checks_app_find(c, DIFY_COMP_PLUGIN_DAEMON, &d);
    if (f == PG_FAIL_AUTH && !str_eq(sqlstate, "28000")) {
        check_explain(c,
                      "PostgreSQL accepts the api's login but refuses the plugin daemon's "
                      "password for user %s (SQLSTATE 28P01): the daemon stops at start "
                      "(\"failed to init dify plugin db\") and every plugin page fails. The "
                      "daemon's Secret holds another password than the server's, typically a "
                      "reinstall's new one against a kept volume that keeps the first "
                      "(bitnami/charts#18150). DT-302 compares the two by hash.",
                      s->daemon.user);
        if (have)
            check_try(c, "%s rollout restart %s/%s   # after its DB_PASSWORD is the server's",
                      check_kubectl(c),
                      str_eq(d.kind, "StatefulSet") ? "statefulset" : "deployment", d.name);
        check_fail(c,
                   "PostgreSQL refuses the plugin daemon's password for user %s (28P01); the "
                   "api's login works",
                   s->daemon.user);
        return;
    }
    check_fail(c, "the api's login works; the plugin daemon's fails (%s)", pg_fail_name(f));
}

static void login_ready(struct pg_sess *s)
{
    /* server_version_num: 150018 is 15.18 (10 and later), 90624 is 9.6.24. */
    int v = pgconn_server_version(s->pc);
    int major = v / 10000, minor = v >= 100000 ? v % 10000 : v % 10000 / 100;
    snprintf(s->version, sizeof(s->version), "%d.%d", major, minor);
    struct check *c = s->c;
    /* The daemon logs in on its own: try its login too when it differs
     * from the api's on the same server (another server is not reached). */
    struct store_target *d = &s->daemon;
    bool other = checks_db_daemon_login(c, d) && str_eq(d->host, s->t.host) &&
                 d->port == s->t.port &&
                 (!str_eq(d->user, s->t.user) || !str_eq(d->password, s->t.password));
    if (!other) {
        check_ok(c, "PostgreSQL %s accepts user %s on database %s", s->version, s->t.user,
                 s->dbname);
        return;
    }
    check_evidence(c,
                   "the api's login works (user %s); trying the plugin daemon's (user %s, "
                   "from %s)",
                   s->t.user, d->user, d->source);
    /* the same server (d->host and d->port are s->t's, checked above) */
    struct pg_target t = sess_target(s, d->user, d->password, d->db);
    check_waiting(c, "PostgreSQL to accept the plugin daemon's login");
    s->daemon_pc = pgconn_connect(check_env(c)->loop, &t, on_daemon_login, s);
}

static void login_start(struct check *c)
{
    sess_start(c, NULL, login_ready);
}

/* ---- DT-402 both databases ---- */

static void dbs_done(struct pg_sess *s, const struct pg_rows *rows)
{
    struct check *c = s->c;
    /* one row: main exists, plugin exists, may create, superuser */
    bool main_ok = str_eq(pg_rows_value(rows, 0, 0), "t");
    bool plugin_ok = str_eq(pg_rows_value(rows, 0, 1), "t");
    bool createdb =
        str_eq(pg_rows_value(rows, 0, 2), "t") || str_eq(pg_rows_value(rows, 0, 3), "t");
    check_evidence(c, "database %s: %s; database %s: %s; user %s %s create databases", s->t.db,
                   main_ok ? "exists" : "missing", s->t.plugin_db, plugin_ok ? "exists" : "missing",
                   s->t.user, createdb ? "may" : "may not");
    check_more(c, DOC "dt-402");
    const char *missing = !main_ok ? s->t.db : !plugin_ok ? s->t.plugin_db : NULL;
    if (!missing) {
        check_ok(c, "databases %s and %s exist", s->t.db, s->t.plugin_db);
        return;
    }
    check_try(c, "psql -h %s -p %d -U postgres -c 'CREATE DATABASE %s OWNER %s'", s->t.host,
              s->t.port, missing, s->t.user);
    if (main_ok && createdb) {
        check_explain(c, "The plugin daemon's database is missing; the daemon creates it at its "
                         "first start, since its user may create databases (plugin-daemon "
                         "internal/db/pg/pg.go).");
        check_warn(c, "database %s is missing (the daemon will create it)", missing);
        return;
    }
    if (!main_ok)
        check_explain(c,
                      "The api's database %s is missing (3D000): nothing of Dify works "
                      "until it exists and is migrated.",
                      missing);
    else
        check_explain(c,
                      "The plugin daemon's database %s is missing, and its user may not "
                      "create databases: the daemon stops at start with \"permission denied "
                      "to create database (SQLSTATE 42501)\" (langgenius/dify#14791, "
                      "#17580). Create it as an administrator.",
                      missing);
    check_fail(c, "database %s is missing%s", missing,
               main_ok ? " and the user may not create it" : "");
}

static void dbs_ready(struct pg_sess *s)
{
    const char *params[] = {s->t.db, s->t.plugin_db};
    sess_query(s, "the list of databases",
               "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1), "
               "EXISTS (SELECT 1 FROM pg_database WHERE datname = $2), "
               "(SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user), "
               "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)",
               params, 2, dbs_done);
}

static void dbs_start(struct check *c)
{
    sess_start(c, NULL, dbs_ready);
}

/* ---- DT-403 the schema's revision ---- */

/* The last "-> REV" of alembic's "Running upgrade A -> REV" lines. */
static bool last_upgrade(const char *log, char *rev, size_t n)
{
    const char *p = log, *hit = NULL;
    while ((p = strstr(p, "Running upgrade ")) != NULL) {
        hit = p;
        p += 16;
    }
    if (!hit)
        return false;
    const char *arrow = strstr(hit, "-> ");
    const char *nl = strchr(hit, '\n');
    if (!arrow || (nl && arrow > nl))
        return false;
    arrow += 3;
    size_t len = strcspn(arrow, ", \r\n");
    snprintf(rev, n, "%.*s", (int)len, arrow);
    return len > 0;
}

/* The tag of the api's image, "" when the cluster shows no api. */
static void api_tag(struct check *c, char *tag, size_t n)
{
    tag[0] = '\0';
    struct workload_ref api;
    if (!checks_app_find(c, DIFY_COMP_API, &api))
        return;
    const cJSON *ct;
    cJSON_ArrayForEach(ct, kj_get(api.tpl, "spec.containers"))
    {
        const char *img = kj_str(ct, "image");
        if (dify_comp_of_image(img) == DIFY_COMP_API) {
            char repo[256];
            dify_image_split(img, repo, sizeof(repo), tag, n);
            return;
        }
    }
}

/* Against the head the api's release ends at, when dify-tui knows it. */
static bool judge_by_release(struct pg_sess *s, const char *tag, const char *job_head)
{
    struct check *c = s->c;
    const struct dify_alembic_head *h = dify_alembic_find(tag);
    if (!h)
        return false;
    check_evidence(c, "Dify %s's migrations end at %s (%s)", tag, h->head, h->source);
    if (str_eq(h->head, s->revision)) {
        check_ok(c, "the schema is at %s, the head of Dify %s's migrations", s->revision, tag);
        return true;
    }
    check_explain(c,
                  "The database is not at the revision the api's release expects. Behind it "
                  "(an upgrade whose migration did not run or failed: see DT-901), the api "
                  "reads tables and columns that are not there and answers 500; past it (a "
                  "newer image migrated this database, or a restore), the older api may "
                  "break the same way.%s",
                  job_head && !str_eq(job_head, h->head)
                      ? " The migration Job's log does not end at the release's head either."
                      : "");
    check_try(c,
              "%s get jobs -l app.kubernetes.io/component=db-migration   # the Job of the "
              "api's image: flask db upgrade",
              check_kubectl(c));
    check_warn(c, "the database is at %s; Dify %s's migrations end at %s", s->revision, tag,
               h->head);
    return true;
}

static void schema_judge(struct pg_sess *s)
{
    struct check *c = s->c;
    if (!s->job_log_done || !s->db_done)
        return;
    check_more(c, DOC "dt-403");
    char head[64], tag[128];
    bool logged = s->job_log && last_upgrade(s->job_log, head, sizeof(head));
    if (logged)
        check_evidence(c, "the migration Job's log ends at revision %s", head);
    api_tag(c, tag, sizeof(tag));
    if (judge_by_release(s, tag, logged ? head : NULL))
        return;
    if (tag[0])
        check_evidence(c,
                       "the head of Dify %s's migrations is not known to dify-tui (%s): "
                       "compared with the migration Job's log instead",
                       tag, DOC "dt-403");
    else
        check_evidence(c, "no api image to name the release: compared with the migration Job's "
                          "log instead");
    if (logged) {
        if (!str_eq(head, s->revision)) {
            check_explain(c, "The database is not at the revision the last migration reached: "
                             "it was restored, migrated by another image since, or another "
                             "database is used.");
            check_try(c, "%s logs job/MIGRATION_JOB | grep 'Running upgrade'", check_kubectl(c));
            check_warn(c, "the database is at %s, the last migration ended at %s", s->revision,
                       head);
            return;
        }
        check_ok(c, "the schema is at %s, where the migration for the api's image ended",
                 s->revision);
        return;
    }
    check_evidence(c, "not compared: no migration log for the api's image names its head");
    check_ok(c, "the schema is migrated (revision %s)", s->revision);
}

static void version_done(struct pg_sess *s, const struct pg_rows *rows);

static void table_done(struct pg_sess *s, const struct pg_rows *rows)
{
    struct check *c = s->c;
    if (!pg_rows_value(rows, 0, 0)) {
        check_explain(c, "The database has no alembic_version table: Dify's schema was never "
                         "created. The api answers 500 to everything that reads the database "
                         "(\"relation ... does not exist\") until the migration runs.");
        check_try(c,
                  "%s get jobs -l app.kubernetes.io/component=db-migration   # run the "
                  "migration Job (flask db upgrade)",
                  check_kubectl(c));
        check_more(c, DOC "dt-403");
        check_fail(c, "database %s was never migrated (no alembic_version)", s->dbname);
        return;
    }
    sess_query(s, "alembic_version", "SELECT version_num FROM alembic_version LIMIT 1", NULL, 0,
               version_done);
}

static void version_done(struct pg_sess *s, const struct pg_rows *rows)
{
    struct check *c = s->c;
    const char *rev = rows->nrows ? pg_rows_value(rows, 0, 0) : NULL;
    if (!rev) {
        check_try(c, "%s get jobs", check_kubectl(c));
        check_more(c, DOC "dt-403");
        check_fail(c, "alembic_version is empty: the migration did not finish");
        return;
    }
    snprintf(s->revision, sizeof(s->revision), "%s", rev);
    check_evidence(c, "alembic_version: %s", rev);
    s->db_done = true;
    schema_judge(s);
}

static void job_log_done(long status, const char *body, size_t len, const struct error *err,
                         void *arg)
{
    struct pg_sess *s = arg;
    if (!err)
        s->job_log = xstrndup(body, len);
    s->job_log_done = true;
    schema_judge(s);
}

/* The log of the newest pod of the newest migration Job, when it ran the
 * api's image. */
static void fetch_job_log(struct pg_sess *s)
{
    struct check *c = s->c;
    struct workload_ref job, api;
    const cJSON *best = NULL, *pod;
    if (checks_app_find(c, DIFY_COMP_MIGRATION, &job) && checks_app_find(c, DIFY_COMP_API, &api)) {
        const char *ji = kj_str(cJSON_GetArrayItem(kj_get(job.tpl, "spec.containers"), 0), "image");
        const char *ai = kj_str(cJSON_GetArrayItem(kj_get(api.tpl, "spec.containers"), 0), "image");
        long long bt = -1;
        cJSON_ArrayForEach(pod, check_fact(c, FACT_PODS))
        {
            if (!str_eq(json_member_str(kj_get(pod, "metadata.labels"), "job-name"), job.name) ||
                !str_eq(ji, ai))
                continue;
            long long t = kube_time_parse(kj_str(pod, "metadata.creationTimestamp"));
            if (t > bt) {
                bt = t;
                best = pod;
            }
        }
    }
    if (!best) {
        s->job_log_done = true;
        return;
    }
    char *path = xasprintf("/api/v1/namespaces/%s/pods/%s/log", check_env(c)->ns,
                           kj_str(best, "metadata.name"));
    struct kube_req_opts o = {.path = path, .accept = "*/*"};
    if (!check_kube(c, &o, job_log_done, s))
        s->job_log_done = true;
    free(path);
}

static void schema_ready(struct pg_sess *s)
{
    sess_query(s, "alembic_version", "SELECT to_regclass('public.alembic_version')::text", NULL, 0,
               table_done);
}

static void schema_start(struct check *c)
{
    struct pg_sess *s = sess_start(c, NULL, schema_ready);
    if (s)
        fetch_job_log(s);
}

/* ---- DT-404 connections ---- */

static void conns_done(struct pg_sess *s, const struct pg_rows *rows)
{
    struct check *c = s->c;
    long used = atol(pg_rows_value(rows, 0, 0) ? pg_rows_value(rows, 0, 0) : "0");
    long max = atol(pg_rows_value(rows, 0, 1) ? pg_rows_value(rows, 0, 1) : "0");
    long reserved = atol(pg_rows_value(rows, 0, 2) ? pg_rows_value(rows, 0, 2) : "0");
    long usable = max - reserved > 0 ? max - reserved : max;
    check_evidence(c,
                   "%ld connections of %ld (max_connections %ld, %ld reserved for "
                   "superusers)",
                   used, usable, max, reserved);
    check_more(c, DOC "dt-404");
    bool full = usable > 0 && used * 100 >= usable * 95;
    if (!full && !(usable > 0 && used * 100 >= usable * 80)) {
        check_ok(c, "%ld of %ld connections in use", used, usable);
        return;
    }
    if (full)
        check_explain(c, "New logins are about to be refused with \"too many clients already\" "
                         "(53300). Each api and worker process keeps a pool "
                         "(SQLALCHEMY_POOL_SIZE, 30 by default), so replicas times workers "
                         "times the pool adds up fast.");
    check_try(c,
              "psql -h %s -U postgres -c 'SELECT usename, count(*) FROM pg_stat_activity "
              "GROUP BY 1 ORDER BY 2 DESC'",
              s->t.host);
    if (full)
        check_fail(c, "%ld of %ld connections in use", used, usable);
    else
        check_warn(c, "%ld of %ld connections in use", used, usable);
}

static void conns_ready(struct pg_sess *s)
{
    sess_query(s, "pg_stat_activity",
               "SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client "
               "backend'), current_setting('max_connections'), "
               "current_setting('superuser_reserved_connections')",
               NULL, 0, conns_done);
}

static void conns_start(struct check *c)
{
    sess_start(c, NULL, conns_ready);
}

const struct check_def checks_postgres[] = {
    {"DT-401", AREA_POSTGRES, "PostgreSQL accepts the login", 0, login_start, pg_stop, 0, NEED_APP},
    {"DT-402", AREA_POSTGRES, "Both databases exist", 0, dbs_start, pg_stop, 0, NEED_APP},
    {"DT-403", AREA_POSTGRES, "The schema is migrated", 0, schema_start, pg_stop, 0, NEED_APP},
    {"DT-404", AREA_POSTGRES, "Connections are below max_connections", 0, conns_start, pg_stop, 0,
     NEED_APP},
};
const size_t checks_postgres_n = ARRAY_LEN(checks_postgres);
