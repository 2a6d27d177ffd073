/* sim/dify_check.c: logins to the real data stores and the client
 * libraries' texts for their answers (see dify_check.h). The texts follow:
 * libpq fe-connect.c ("connection to server at \"%s\" (%s), port %s failed:
 * "), pgx pgconn/errors.go (ConnectError, perDialConnectError, PgError:
 * "SEVERITY: MESSAGE (SQLSTATE CODE)") and pgconn.go ("failed SASL auth",
 * "server error", "dial error", "hostname resolving error"), redis-py's
 * ConnectionError ("Error N connecting to HOST:PORT. TEXT."). */
#include "config.h"

#include "sim/dify_check.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/pgconn.h"
#include "core/util.h"
#include "sim/datastores.h"

void dify_outcome_done(struct dify_outcome *o)
{
    free(o->message);
    memset(o, 0, sizeof(*o));
}

void dify_target_done(struct dify_target *t)
{
    free(t->host);
    free(t->sslmode);
    memset(t, 0, sizeof(*t));
}

static void outcome_set(struct dify_outcome *o, enum dify_fail f, const char *msg)
{
    free(o->message);
    o->fail = f;
    o->message = xstrdup(msg ? msg : "");
}

/* ---- PostgreSQL ---- */

static void conninfo_add(struct strbuf *sb, const char *key, const char *v)
{
    strbuf_addf(sb, " %s='", key);
    for (const char *p = v ? v : ""; *p; p++) {
        if (*p == '\'' || *p == '\\')
            strbuf_addc(sb, '\\');
        strbuf_addc(sb, *p);
    }
    strbuf_addc(sb, '\'');
}

/* libpq's verbose error ("... failed: FATAL:  28P01: text\nLOCATION: ...")
 * read by the one parser the installer uses too (core/pgconn). */
static void parse_libpq(const char *err, struct dify_outcome *o)
{
    struct pg_diag d;
    pg_parse_error(err, &d);
    if (d.sqlstate[0]) {
        snprintf(o->severity, sizeof(o->severity), "%.11s", d.severity);
        memcpy(o->sqlstate, d.sqlstate, sizeof(o->sqlstate));
        outcome_set(o, DIFY_FAIL_SERVER, d.message);
        return;
    }
    /* a client-side failure: keep libpq's text (its lines too) without the
     * trailing newline, as the clients print it */
    const char *rest = strstr(err, "failed: ");
    rest = rest ? rest + 8 : err;
    size_t n = strlen(rest);
    while (n > 0 && rest[n - 1] == '\n')
        n--;
    char *text = xstrndup(rest, n);
    outcome_set(o, d.fail == PG_FAIL_REFUSED ? DIFY_FAIL_REFUSED : DIFY_FAIL_OTHER, text);
    free(text);
}

/* Waits for the stores (they start beside the API server) before a login,
 * as a real client would meet them already up. */
static bool stores_up(struct dify_outcome *o)
{
    char msg[256];
    if (datastores_wait(60000, msg, sizeof(msg)) == 0)
        return true;
    outcome_set(o, DIFY_FAIL_OTHER, msg);
    return false;
}

PGconn *dify_pg_login(const struct dify_target *t, const char *user, const char *password,
                      const char *dbname, struct dify_outcome *o)
{
    memset(o, 0, sizeof(*o));
    if (!stores_up(o))
        return NULL;
    int real = 0;
    if (datastores_route(t->host, t->port, t->ns, &real) == DS_NONE) {
        outcome_set(o, DIFY_FAIL_DNS, "");
        return NULL;
    }
    struct strbuf ci;
    strbuf_init(&ci);
    strbuf_addf(&ci, "host=127.0.0.1 port=%d connect_timeout=10 gssencmode=disable", real);
    conninfo_add(&ci, "user", user);
    conninfo_add(&ci, "password", password);
    conninfo_add(&ci, "dbname", dbname);
    conninfo_add(&ci, "sslmode", t->sslmode && *t->sslmode ? t->sslmode : "prefer");
    conninfo_add(&ci, "application_name", "dify-sim");
    PGconn *c = PQconnectStart(ci.buf);
    memset(ci.buf, 0, ci.len);
    strbuf_done(&ci);
    if (!c) {
        outcome_set(o, DIFY_FAIL_OTHER, "out of memory");
        return NULL;
    }
    /* verbose errors carry the SQLSTATE of a refused login */
    PQsetErrorVerbosity(c, PQERRORS_VERBOSE);
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    long long deadline = now_ms() + 15000;
    while (PQstatus(c) != CONNECTION_BAD && st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED &&
           now_ms() < deadline) {
        struct pollfd pfd = {PQsocket(c), st == PGRES_POLLING_READING ? POLLIN : POLLOUT, 0};
        if (pfd.fd >= 0)
            poll(&pfd, 1, 200);
        st = PQconnectPoll(c);
    }
    if (st == PGRES_POLLING_OK && PQstatus(c) == CONNECTION_OK) {
        PQsetErrorVerbosity(c, PQERRORS_DEFAULT);
        return c;
    }
    parse_libpq(PQerrorMessage(c), o);
    PQfinish(c);
    return NULL;
}

int dify_pg_exec(PGconn *c, const char *sql, struct dify_outcome *o)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        rc = -1;
        const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        const char *sev = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
        const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        outcome_set(o, DIFY_FAIL_SERVER, msg ? msg : PQerrorMessage(c));
        snprintf(o->sqlstate, sizeof(o->sqlstate), "%s", code ? code : "");
        snprintf(o->severity, sizeof(o->severity), "%s", sev ? sev : "ERROR");
    }
    PQclear(r);
    return rc;
}

char *dify_pg_value(PGconn *c, const char *sql, struct dify_outcome *o)
{
    PGresult *r = PQexec(c, sql);
    char *v = NULL;
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
            v = xstrdup(PQgetvalue(r, 0, 0));
    } else {
        const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        const char *sev = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
        const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        outcome_set(o, DIFY_FAIL_SERVER, msg ? msg : PQerrorMessage(c));
        snprintf(o->sqlstate, sizeof(o->sqlstate), "%s", code ? code : "");
        snprintf(o->severity, sizeof(o->severity), "%s", sev ? sev : "ERROR");
    }
    PQclear(r);
    return v;
}

char *dify_pg_text_libpq(const struct dify_target *t, const struct dify_outcome *o)
{
    switch (o->fail) {
    case DIFY_FAIL_DNS:
        return xasprintf("could not translate host name \"%s\" to address: Name or service not "
                         "known",
                         t->host);
    case DIFY_FAIL_SERVER:
        return xasprintf("connection to server at \"%s\" (%s), port %d failed: %s:  %s", t->host,
                         t->ip, t->port, o->severity, o->message);
    default:
        return xasprintf("connection to server at \"%s\" (%s), port %d failed: %s", t->host, t->ip,
                         t->port, o->message ? o->message : "");
    }
}

char *dify_pg_text_pgx(const struct dify_target *t, const char *user, const char *dbname,
                       const struct dify_outcome *o)
{
    char *prefix = xasprintf("failed to connect to `user=%s database=%s`:", user ? user : "",
                             dbname ? dbname : "");
    char *s;
    switch (o->fail) {
    case DIFY_FAIL_DNS:
        s = xasprintf("%s hostname resolving error: lookup %s on 10.96.0.10:53: no such host",
                      prefix, t->host);
        break;
    case DIFY_FAIL_REFUSED:
        s = xasprintf("%s %s:%d (%s): dial error: dial tcp %s:%d: connect: connection refused",
                      prefix, t->ip, t->port, t->host, t->ip, t->port);
        break;
    case DIFY_FAIL_SERVER:
        s = xasprintf("%s %s:%d (%s): %s: %s: %s (SQLSTATE %s)", prefix, t->ip, t->port, t->host,
                      strncmp(o->sqlstate, "28", 2) == 0 ? "failed SASL auth" : "server error",
                      o->severity, o->message, o->sqlstate);
        break;
    default:
        s = xasprintf("%s %s:%d (%s): %s", prefix, t->ip, t->port, t->host,
                      o->message ? o->message : "");
    }
    free(prefix);
    return s;
}

char *dify_pg_text_psycopg(const struct dify_target *t, const struct dify_outcome *o)
{
    char *pq = dify_pg_text_libpq(t, o);
    char *s = xasprintf("(psycopg2.OperationalError) %s", pq);
    free(pq);
    return s;
}

char *dify_pg_text_psycopg_stmt(const struct dify_outcome *o)
{
    /* psycopg2.errors class names for the SQLSTATEs met here */
    static const struct {
        const char *code, *cls;
    } classes[] = {{"42501", "InsufficientPrivilege"},
                   {"42P01", "UndefinedTable"},
                   {"3D000", "InvalidCatalogName"},
                   {"42P04", "DuplicateDatabase"},
                   {"25006", "ReadOnlySqlTransaction"}};
    const char *cls = "DatabaseError";
    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
        if (strcmp(o->sqlstate, classes[i].code) == 0)
            cls = classes[i].cls;
    return xasprintf("(psycopg2.errors.%s) %s", cls, o->message ? o->message : "");
}

char *dify_pg_text_pgx_stmt(const struct dify_outcome *o)
{
    return xasprintf("%s: %s (SQLSTATE %s)", o->severity[0] ? o->severity : "ERROR",
                     o->message ? o->message : "", o->sqlstate);
}

/* ---- Redis ---- */

struct redisContext *dify_redis_login(const struct dify_target *t, const char *username,
                                      const char *password, int db, struct dify_outcome *o)
{
    memset(o, 0, sizeof(*o));
    if (!stores_up(o))
        return NULL;
    int real = 0;
    if (datastores_route(t->host, t->port, t->ns, &real) == DS_NONE) {
        outcome_set(o, DIFY_FAIL_DNS, "Name or service not known");
        return NULL;
    }
    struct timeval tv = {5, 0};
    redisContext *c = redisConnectWithTimeout("127.0.0.1", real, tv);
    if (!c || c->err) {
        outcome_set(o, c && strstr(c->errstr, "refused") ? DIFY_FAIL_REFUSED : DIFY_FAIL_OTHER,
                    c ? c->errstr : "out of memory");
        if (c)
            redisFree(c);
        return NULL;
    }
    redisSetTimeout(c, tv);
    char *v = NULL;
    if (!str_empty(password)) {
        v = !str_empty(username) ? dify_redis_cmd(c, o, "AUTH %s %s", username, password)
                                 : dify_redis_cmd(c, o, "AUTH %s", password);
        if (!v)
            goto fail;
        free(v);
    }
    if (db > 0) {
        if (!(v = dify_redis_cmd(c, o, "SELECT %d", db)))
            goto fail;
        free(v);
    }
    if (!(v = dify_redis_cmd(c, o, "PING")))
        goto fail;
    free(v);
    return c;
fail:
    if (o->fail == DIFY_OK)
        outcome_set(o, DIFY_FAIL_OTHER, "no reply");
    redisFree(c);
    return NULL;
}

char *dify_redis_cmd(struct redisContext *c, struct dify_outcome *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    if (!r) {
        outcome_set(o, DIFY_FAIL_OTHER, c->errstr);
        return NULL;
    }
    char *v = NULL;
    switch (r->type) {
    case REDIS_REPLY_ERROR:
        outcome_set(o, DIFY_FAIL_SERVER, r->str);
        break;
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_STRING:
        v = xstrdup(r->str);
        break;
    case REDIS_REPLY_INTEGER:
        v = xasprintf("%lld", r->integer);
        break;
    case REDIS_REPLY_NIL:
        outcome_set(o, DIFY_OK, "");
        break;
    default:
        v = xstrdup("");
    }
    freeReplyObject(r);
    return v;
}

void dify_redis_close(struct redisContext *c)
{
    if (c)
        redisFree(c);
}

const char *dify_redis_text_py(const struct dify_outcome *o)
{
    const char *m = o->message ? o->message : "";
    if (o->fail != DIFY_FAIL_SERVER)
        return m;
    /* redis-py drops the error code word: "WRONGPASS invalid ..." -> "invalid ..." */
    const char *sp = strchr(m, ' ');
    if (sp && (strncmp(m, "WRONGPASS", 9) == 0 || strncmp(m, "NOAUTH", 6) == 0 ||
               strncmp(m, "ERR", 3) == 0 || strncmp(m, "NOPERM", 6) == 0))
        return sp + 1;
    return m;
}
