/* core/steps_db.c: the install's database step. The plugin daemon's
 * database (and for Dify Enterprise the "enterprise" and "audit" ones, as
 * the EE Terraform's create_additional_databases makes them) created with
 * libpq when missing, after checking that the user may create databases;
 * nothing is created when they all exist. Through an SSH tunnel to the
 * bastion when the profile has one (the database is private), else
 * directly (an existing cluster's database, the demo's loopback server).
 * It first waits for the server to accept connections (a fresh Aurora
 * cluster, a PostgreSQL still starting), so the migration after it meets
 * a database that answers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/pgconn.h"
#include "core/profile.h"
#include "core/render.h"
#include "core/render_manifests.h"
#include "core/render_util.h"
#include "core/runner.h"
#include "core/sshtunnel.h"
#include "core/steps_native.h"
#include "core/util.h"

size_t steps_db_names(const struct profile *p, const char *names[4])
{
    /* the main one, then the ones render's databases Job names */
    const char *more[3];
    size_t k = render_databases(p, more), n = 0;
    names[n++] = p->db.name;
    for (size_t i = 0; i < k; i++)
        if (!str_eq(more[i], p->db.name))
            names[n++] = more[i];
    return n;
}

static int atoi_or(const char *s, int dflt)
{
    int v = s ? atoi(s) : 0;
    return v > 0 ? v : dflt;
}

bool steps_db_target(const struct plan_ctx *ctx, steps_output_fn lookup, void *arg,
                     struct pg_target *t, bool *tunnel, const char **why)
{
    const struct profile *p = ctx->profile;
    memset(t, 0, sizeof(*t));
    *tunnel = false;
    *why = NULL;
    t->host = p->db.host;
    t->port = p->db.port > 0 ? p->db.port : 5432;
    if (str_empty(t->host) && lookup) {
        t->host = lookup("db_endpoint", arg);
        t->port = atoi_or(lookup("db_port", arg), t->port);
    }
    t->user = p->db.user;
    t->password = ctx->secrets ? ctx->secrets->db_password : NULL;
    t->dbname = p->db.name;
    t->sslmode = p->db.sslmode;
    if (ctx->db_reach_host || ctx->db_reach_port > 0) {
        t->reach_host = ctx->db_reach_host;
        t->reach_port = ctx->db_reach_port;
        if (str_empty(t->host))
            t->host = ctx->db_reach_host;
        return !str_empty(t->host);
    }
    if (p->bastion.enabled) {
        *tunnel = true;
    } else if (p->target == TARGET_EKS) {
        *why = "the Aurora database is in the VPC's private subnets and no bastion is set "
               "(bastion.enabled): this machine cannot reach it; the rendered databases Job "
               "(manifests/28-databases-job.yaml) creates them from inside the cluster";
        return false;
    }
    if (str_empty(t->host)) {
        *why = "the database host is not known yet (db.host is empty and Terraform gave no "
               "db_endpoint)";
        return false;
    }
    return true;
}

void steps_db_bastion(const struct profile *p, const char *host, int port, struct ssh_target *t)
{
    memset(t, 0, sizeof(*t));
    t->host = p->bastion.host;
    t->port = p->bastion.port;
    t->user = p->bastion.user;
    t->key_path = str_empty(p->bastion.key_path) ? NULL : p->bastion.key_path;
    t->known_hosts = str_empty(p->bastion.known_hosts) ? NULL : p->bastion.known_hosts;
    t->use_agent = getenv("SSH_AUTH_SOCK") != NULL;
    t->remote_host = host;
    t->remote_port = port;
}

/* ================= reaching the server (shared with preflight) ================= */

struct db_reach {
    struct loop *loop;
    struct step_run *sr; /* for status lines, may be NULL */
    struct pg_target t;  /* strings owned below */
    char *host, *user, *password, *dbname, *sslmode, *reach_host, *fallback_db;
    bool use_tunnel;
    struct ssh_target st;
    char *b_host, *b_user, *b_key, *b_known, *b_remote;
    struct sshtunnel *tun;
    struct pgconn *pc;
    long long deadline, wait_timer;
    int attempt;
    bool on_fallback, dns_waits;
    enum pg_fail fail;
    db_reach_cb cb;
    void *arg;
};

static void reach_connect(struct db_reach *d);

static void reach_finish(struct db_reach *d, struct pgconn *c, const struct error *err)
{
    db_reach_cb cb = d->cb;
    d->cb = NULL;
    if (cb)
        cb(d, c, err, d->arg);
}

static void on_wait_over(struct loop *l, long long id, void *arg)
{
    (void)l, (void)id;
    struct db_reach *d = arg;
    d->wait_timer = 0;
    reach_connect(d);
}

/* Worth waiting for: the server is not up yet, or not reachable yet. A
 * name that does not resolve is worth waiting for only where it may still
 * appear (a database Terraform just made); an existing cluster's database
 * name that this machine does not know is a name inside the cluster. */
static bool transient(const struct db_reach *d, enum pg_fail f)
{
    return f == PG_FAIL_REFUSED || f == PG_FAIL_NETWORK || f == PG_FAIL_TIMEOUT ||
           f == PG_FAIL_STARTING || (f == PG_FAIL_DNS && d->dns_waits);
}

static void on_pg(struct pgconn *c, const struct error *err, void *arg)
{
    struct db_reach *d = arg;
    if (!err) {
        d->pc = NULL; /* the caller's now */
        reach_finish(d, c, NULL);
        return;
    }
    enum pg_fail f = pgconn_failure(c, NULL);
    d->fail = f;
    if (f == PG_FAIL_NODB && !d->on_fallback && d->fallback_db) {
        /* the main database is missing: ask the maintenance database */
        d->on_fallback = true;
        pgconn_free(c);
        d->pc = NULL;
        reach_connect(d);
        return;
    }
    if (transient(d, f) && now_ms() < d->deadline) {
        if (d->sr)
            step_run_status(d->sr,
                            "waiting for PostgreSQL at %s:%d to accept connections (%s, "
                            "attempt %d)",
                            d->host, d->t.port, pg_fail_name(f), d->attempt);
        if (d->sr && d->attempt == 1)
            step_run_say(d->sr, "%s; waiting for it", err->msg);
        pgconn_free(c);
        d->pc = NULL;
        long long wait = d->attempt < 5 ? 500LL << d->attempt : 10000;
        if (wait > 10000)
            wait = 10000;
        d->wait_timer = loop_add_timer(d->loop, wait, on_wait_over, d);
        return;
    }
    struct error e = *err;
    d->pc = c; /* freed with d */
    reach_finish(d, NULL, &e);
}

static void reach_connect(struct db_reach *d)
{
    d->attempt++;
    struct pg_target t = d->t;
    if (d->on_fallback)
        t.dbname = d->fallback_db;
    if (d->tun) {
        t.reach_host = "127.0.0.1";
        t.reach_port = sshtunnel_local_port(d->tun);
    }
    d->pc = pgconn_connect(d->loop, &t, on_pg, d);
}

static void on_tunnel(struct sshtunnel *tun, const struct error *err, void *arg)
{
    struct db_reach *d = arg;
    if (err) {
        struct error e = *err;
        reach_finish(d, NULL, &e);
        return;
    }
    if (d->sr)
        step_run_say(d->sr, "SSH tunnel through %s:%d ready: 127.0.0.1:%d reaches %s:%d",
                     d->st.host, d->st.port ? d->st.port : 22, sshtunnel_local_port(tun), d->host,
                     d->t.port);
    reach_connect(d);
}

struct db_reach *db_reach_start(struct loop *l, struct step_run *sr, const struct pg_target *t,
                                const struct ssh_target *tunnel, const char *fallback_db,
                                long long wait_ms, bool dns_waits, db_reach_cb cb, void *arg)
{
    struct db_reach *d = xcalloc(1, sizeof(*d));
    d->dns_waits = dns_waits;
    d->loop = l;
    d->sr = sr;
    d->cb = cb;
    d->arg = arg;
    d->t = *t;
    d->t.host = d->host = xstrdup_or_null(t->host);
    d->t.user = d->user = xstrdup_or_null(t->user);
    d->t.password = d->password = xstrdup_or_null(t->password);
    d->t.dbname = d->dbname = xstrdup_or_null(t->dbname);
    d->t.sslmode = d->sslmode = xstrdup_or_null(t->sslmode);
    d->t.reach_host = d->reach_host = xstrdup_or_null(t->reach_host);
    d->fallback_db = xstrdup_or_null(fallback_db);
    d->deadline = now_ms() + wait_ms;
    if (tunnel) {
        d->use_tunnel = true;
        d->st = *tunnel;
        d->st.host = d->b_host = xstrdup_or_null(tunnel->host);
        d->st.user = d->b_user = xstrdup_or_null(tunnel->user);
        d->st.key_path = d->b_key = xstrdup_or_null(tunnel->key_path);
        d->st.known_hosts = d->b_known = xstrdup_or_null(tunnel->known_hosts);
        d->st.remote_host = d->b_remote = xstrdup_or_null(tunnel->remote_host);
        d->st.key_passphrase = NULL;
        d->tun = sshtunnel_open(l, &d->st, on_tunnel, d);
    } else {
        reach_connect(d);
    }
    return d;
}

enum pg_fail db_reach_failure(const struct db_reach *d)
{
    return d->fail;
}

void db_reach_free(struct db_reach *d)
{
    if (!d)
        return;
    if (d->wait_timer)
        loop_cancel_timer(d->loop, d->wait_timer);
    pgconn_free(d->pc);
    sshtunnel_free(d->tun);
    free(d->host);
    free(d->user);
    str_free_secret(d->password);
    free(d->dbname);
    free(d->sslmode);
    free(d->reach_host);
    free(d->fallback_db);
    free(d->b_host);
    free(d->b_user);
    free(d->b_key);
    free(d->b_known);
    free(d->b_remote);
    free(d);
}

/* ================= the step ================= */

struct dbname {
    char *name;
    char *owner; /* NULL: missing */
    bool created;
};

struct db_step {
    const struct plan_ctx *ctx;
    long long wait_ms;
    bool dns_waits; /* the name may still appear: Terraform made the database */
    /* per attempt */
    struct step_run *sr;
    struct db_reach *reach;
    struct pgconn *pc;
    struct dbname *dbs;
    size_t ndbs, idx;
    bool super, createdb;
    char *me;
};

static void db_attempt_clear(struct db_step *s)
{
    pgconn_free(s->pc); /* before the tunnel it may run through */
    s->pc = NULL;
    db_reach_free(s->reach);
    s->reach = NULL;
    for (size_t i = 0; i < s->ndbs; i++) {
        free(s->dbs[i].name);
        free(s->dbs[i].owner);
    }
    free(s->dbs);
    s->dbs = NULL;
    s->ndbs = s->idx = 0;
    free(s->me);
    s->me = NULL;
    s->sr = NULL;
}

static void db_end(struct db_step *s, const struct error *err)
{
    struct step_run *sr = s->sr;
    db_attempt_clear(s);
    step_run_done(sr, err);
}

static void db_fail(struct db_step *s, const struct error *err)
{
    enum pg_fail f = s->pc ? pgconn_failure(s->pc, NULL) : PG_FAIL_OTHER;
    if (err->code == ERR_AUTH || f == PG_FAIL_AUTH || f == PG_FAIL_PRIVILEGE)
        step_run_permanent(s->sr);
    db_end(s, err);
}

static void next_create(struct db_step *s);

static void on_created(struct pgconn *c, const struct pg_rows *rows, const struct error *err,
                       void *arg)
{
    (void)rows;
    struct db_step *s = arg;
    struct dbname *d = &s->dbs[s->idx];
    const char *state = NULL;
    pgconn_failure(c, &state);
    if (err && !str_eq(state, "42P04")) {
        step_run_row(s->sr, d->name, d->name, ROW_FAILED, "CREATE DATABASE failed", 0, 0);
        if (pgconn_failure(c, NULL) == PG_FAIL_PRIVILEGE)
            step_run_hint(s->sr,
                          "ask the database's administrator to run CREATE DATABASE %s OWNER %s; "
                          "or ALTER ROLE %s CREATEDB;",
                          d->name, s->me, s->me);
        db_fail(s, err);
        return;
    }
    d->created = !err;
    step_run_row(s->sr, d->name, d->name, ROW_DONE,
                 err ? "exists (created meanwhile by someone else)" : "created", 0, 0);
    step_run_say(s->sr, "database %s %s", d->name,
                 err ? "was created meanwhile by someone else" : "created");
    s->idx++;
    next_create(s);
}

static void finish_ok(struct db_step *s)
{
    struct strbuf made, had;
    strbuf_init(&made);
    strbuf_init(&had);
    for (size_t i = 0; i < s->ndbs; i++) {
        struct strbuf *sb = s->dbs[i].created ? &made : &had;
        strbuf_addf(sb, "%s%s", sb->len ? ", " : "", s->dbs[i].name);
    }
    char ver[16];
    snprintf(ver, sizeof(ver), "%d", s->pc ? pgconn_server_version(s->pc) : 0);
    step_run_output(s->sr, "created", made.buf);
    step_run_output(s->sr, "server_version", ver);
    if (made.len)
        step_run_summary(s->sr, "created %s%s%s", made.buf, had.len ? "; exists: " : "", had.buf);
    else
        step_run_summary(s->sr, "exists: %s (nothing to do)", had.buf);
    strbuf_done(&made);
    strbuf_done(&had);
    db_end(s, NULL);
}

static void next_create(struct db_step *s)
{
    while (s->idx < s->ndbs && s->dbs[s->idx].owner)
        s->idx++;
    if (s->idx >= s->ndbs) {
        finish_ok(s);
        return;
    }
    struct dbname *d = &s->dbs[s->idx];
    step_run_status(s->sr, "creating database %s", d->name);
    step_run_row(s->sr, d->name, d->name, ROW_WORKING, "CREATE DATABASE", 0, 0);
    char *q = pg_quote_ident(d->name);
    char *sql = xasprintf("CREATE DATABASE %s", q);
    pgconn_query(s->pc, sql, NULL, 0, 120000, on_created, s);
    free(sql);
    free(q);
}

/* Every name looked up: refuse before creating anything when one is
 * missing and the user may not create databases. */
static void check_privileges(struct db_step *s)
{
    struct strbuf missing;
    strbuf_init(&missing);
    for (size_t i = 0; i < s->ndbs; i++) {
        struct dbname *d = &s->dbs[i];
        if (!d->owner) {
            strbuf_addf(&missing, "%s%s", missing.len ? ", " : "", d->name);
            step_run_row(s->sr, d->name, d->name, ROW_WAITING, "missing", 0, 0);
        } else {
            char *st = xasprintf("exists (owner %s)", d->owner);
            step_run_row(s->sr, d->name, d->name, ROW_DONE, st, 0, 0);
            free(st);
            if (!s->super && !str_eq(d->owner, s->me))
                step_run_say(s->sr,
                             "database %s belongs to %s, not to %s: since PostgreSQL 15 only its "
                             "owner may create tables in its public schema unless granted "
                             "(GRANT CREATE ON SCHEMA public TO %s, run in that database)",
                             d->name, d->owner, s->me, s->me);
        }
    }
    if (missing.len && !s->super && !s->createdb) {
        struct error e;
        error_set(&e, ERR_DATABASE, PG_FAIL_PRIVILEGE,
                  "PostgreSQL at %s: the user %s may not create databases (it has neither "
                  "CREATEDB nor SUPERUSER), and %s %s missing",
                  pgconn_where(s->pc), s->me, missing.buf, strchr(missing.buf, ',') ? "are" : "is");
        step_run_hint(s->sr,
                      "ask the database's administrator to create %s owned by %s (CREATE "
                      "DATABASE <name> OWNER %s;), or to give it the right (ALTER ROLE %s "
                      "CREATEDB;), then retry this step",
                      missing.buf, s->me, s->me, s->me);
        strbuf_done(&missing);
        db_fail(s, &e);
        return;
    }
    strbuf_done(&missing);
    s->idx = 0;
    next_create(s);
}

static void lookup_next(struct db_step *s);

static void on_owner(struct pgconn *c, const struct pg_rows *rows, const struct error *err,
                     void *arg)
{
    (void)c;
    struct db_step *s = arg;
    if (err) {
        db_fail(s, err);
        return;
    }
    if (rows->nrows > 0)
        s->dbs[s->idx].owner = xstrdup(pg_rows_value(rows, 0, 0) ? pg_rows_value(rows, 0, 0) : "");
    s->idx++;
    lookup_next(s);
}

static void lookup_next(struct db_step *s)
{
    if (s->idx >= s->ndbs) {
        check_privileges(s);
        return;
    }
    const char *params[] = {s->dbs[s->idx].name};
    pgconn_query(s->pc, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1",
                 params, 1, 0, on_owner, s);
}

static void on_role(struct pgconn *c, const struct pg_rows *rows, const struct error *err,
                    void *arg)
{
    (void)c;
    struct db_step *s = arg;
    if (err) {
        db_fail(s, err);
        return;
    }
    s->me = xstrdup_or_null(pg_rows_value(rows, 0, 0));
    s->super = str_eq(pg_rows_value(rows, 0, 1), "t");
    s->createdb = str_eq(pg_rows_value(rows, 0, 2), "t");
    if (!s->me)
        s->me = xstrdup("?");
    step_run_say(s->sr, "connected to %s as %s (%s)", pgconn_where(s->pc), s->me,
                 s->super      ? "superuser"
                 : s->createdb ? "may create databases"
                               : "may not create databases");
    s->idx = 0;
    lookup_next(s);
}

static void on_reached(struct db_reach *r, struct pgconn *c, const struct error *err, void *arg)
{
    struct db_step *s = arg;
    if (err && db_reach_failure(r) == PG_FAIL_DNS && !s->dns_waits) {
        /* an existing cluster's database under a name only the cluster
         * knows: the database Job (28-databases-job.yaml, the step
         * databases-job) creates them from inside */
        step_run_say(s->sr, "%s", err->msg);
        step_run_summary(s->sr,
                         "not reachable from this machine (the name is known only inside the "
                         "cluster?): the database Job creates them from inside the cluster; "
                         "--db-address HOST:PORT reaches it from here (a port-forward)");
        db_end(s, NULL);
        return;
    }
    if (err) {
        if (err->code == ERR_AUTH && strstr(err->msg, "28P01"))
            step_run_hint(s->sr,
                          "the server refuses db_password from %s. A database kept from an "
                          "earlier install keeps the password it was made with: put that one "
                          "back in the secrets file, or change the user's password on the "
                          "server (ALTER ROLE ... PASSWORD)",
                          s->ctx->answers_path ? s->ctx->answers_path : "the secrets file");
        else if (strstr(err->msg, "SSH to the bastion"))
            step_run_hint(s->sr, "check bastion.host, bastion.user, bastion.key_path and "
                                 "bastion.known_hosts in the answers file");
        else if (err->code == ERR_NETWORK)
            step_run_hint(s->sr, "check db.host and db.port, and that this machine may reach the "
                                 "database (security group, firewall, or a bastion)");
        if (err->code == ERR_AUTH)
            step_run_permanent(s->sr);
        db_end(s, err);
        return;
    }
    s->pc = c;
    pgconn_query(c,
                 "SELECT current_user, rolsuper, rolcreatedb FROM pg_roles WHERE rolname = "
                 "current_user",
                 NULL, 0, 0, on_role, s);
}

static const char *tf_lookup(const char *name, void *arg)
{
    return step_run_input(arg, "terraform", name);
}

static void db_start(struct step_run *sr, void *data)
{
    struct db_step *s = data;
    s->sr = sr;
    const struct plan_ctx *ctx = step_run_ctx(sr);
    s->ctx = ctx;
    struct pg_target t;
    bool tunnel;
    const char *why;
    if (!steps_db_target(ctx, tf_lookup, sr, &t, &tunnel, &why)) {
        struct error e;
        error_set(&e, ERR_INVALID, 0, "%s", why);
        step_run_permanent(sr);
        db_end(s, &e);
        return;
    }
    const char *names[4];
    size_t n = steps_db_names(ctx->profile, names);
    s->dbs = xcalloc(n, sizeof(*s->dbs));
    s->ndbs = n;
    step_run_detail_title(sr, "Databases");
    for (size_t i = 0; i < n; i++) {
        s->dbs[i].name = xstrdup(names[i]);
        step_run_row(sr, names[i], names[i], ROW_WAITING, "", 0, 0);
    }
    struct ssh_target st;
    if (tunnel)
        steps_db_bastion(ctx->profile, t.host, t.port, &st);
    step_run_status(sr, "connecting to PostgreSQL at %s:%d%s", t.host, t.port,
                    tunnel ? " through the bastion" : "");
    s->reach = db_reach_start(step_run_loop(sr), sr, &t, tunnel ? &st : NULL, "postgres",
                              s->wait_ms, s->dns_waits, on_reached, s);
}

static void db_cancel(struct step_run *sr, void *data)
{
    (void)sr;
    db_attempt_clear(data);
}

static const struct step_ops db_ops = {"database", db_start, db_cancel, NULL, free};

int steps_db_add(struct plan *p, const struct plan_ctx *ctx, struct error *err)
{
    (void)err;
    const struct profile *prof = ctx->profile;
    struct db_step *s = xcalloc(1, sizeof(*s));
    s->wait_ms = ctx->demo ? 60000 : 300000;
    s->dns_waits = prof->target == TARGET_EKS;
    struct plan_step *st =
        plan_add(p, STAGE_BASE, "database", "Create the databases if missing", &db_ops, s);
    const char *names[4];
    size_t n = steps_db_names(prof, names);
    struct pg_target t;
    bool tunnel;
    const char *why;
    bool can = steps_db_target(ctx, NULL, NULL, &t, &tunnel, &why);
    const char *host = !str_empty(t.host) ? t.host : RENDER_PH_DB_HOST;
    for (size_t i = 0; i < n; i++)
        plan_step_note(st, "CREATE DATABASE %s on %s:%d as %s if it is missing", names[i], host,
                       t.port, prof->db.user);
    plan_step_note(st,
                   "first: wait up to %lld s for the server to accept connections, and check "
                   "that %s may create databases (CREATEDB) when one is missing",
                   s->wait_ms / 1000, prof->db.user);
    if (tunnel)
        plan_step_note(st, "through an SSH tunnel: %s@%s:%d (host key checked against %s)",
                       prof->bastion.user, prof->bastion.host,
                       prof->bastion.port > 0 ? prof->bastion.port : 22,
                       str_empty(prof->bastion.known_hosts) ? "~/.ssh/known_hosts"
                                                            : prof->bastion.known_hosts);
    if (ctx->secrets && ctx->secrets->db_password)
        plan_step_input(st, "db_password", ctx->secrets->db_password);
    /* on EKS without a bastion the database is out of this machine's reach */
    if (!can && prof->target == TARGET_EKS && !prof->bastion.enabled)
        plan_step_skip(st, why);
    return 0;
}
