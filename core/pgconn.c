/* core/pgconn.c: asynchronous libpq on the loop (see pgconn.h).
 *
 * The connection follows libpq's documented non-blocking sequence
 * (libpq-connect.html, PQconnectStartParams): behave as if PQconnectPoll
 * last returned PGRES_POLLING_WRITING, then wait for what each call asks,
 * re-reading PQsocket after every call because libpq opens a new socket
 * when it moves to the next address or retries without SSL. Queries use
 * PQsendQueryParams, PQflush until 0 while the socket is writable, and
 * PQconsumeInput/PQisBusy/PQgetResult when it is readable
 * (libpq-async.html). libpq still resolves host names with the blocking
 * getaddrinfo inside PQconnectPoll: a numeric address avoids it. */
#include "config.h"

#include "core/pgconn.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"

enum pg_phase { PH_CONNECTING, PH_IDLE, PH_QUERY, PH_FAILED };

struct pgconn {
    struct loop *loop;
    PGconn *conn;
    enum pg_phase phase;
    int fd;            /* registered with the loop, or -1 */
    bool flushing;     /* a query's bytes are still being sent */
    long long timer;   /* the current deadline */
    long long defer;   /* a failure reported on the next turn */
    char *where;       /* "host:port (user U, database D)" */
    enum pg_fail fail; /* the last failure */
    char sqlstate[6];
    struct error err;
    pgconn_connect_cb on_connect;
    pgconn_query_cb on_query;
    void *arg;
    PGresult *result; /* the query's result being kept */
};

static const char *const fail_names[] = {
    [PG_OK] = "ok",
    [PG_FAIL_DNS] = "dns",
    [PG_FAIL_REFUSED] = "refused",
    [PG_FAIL_NETWORK] = "network",
    [PG_FAIL_TIMEOUT] = "timeout",
    [PG_FAIL_TLS] = "tls",
    [PG_FAIL_AUTH] = "auth",
    [PG_FAIL_NODB] = "nodb",
    [PG_FAIL_PRIVILEGE] = "privilege",
    [PG_FAIL_STARTING] = "starting",
    [PG_FAIL_SERVER] = "server",
    [PG_FAIL_OTHER] = "other",
};

const char *pg_fail_name(enum pg_fail f)
{
    return (unsigned)f < ARRAY_LEN(fail_names) ? fail_names[f] : "other";
}

enum pg_fail pg_fail_of_sqlstate(const char *s)
{
    if (str_empty(s))
        return PG_FAIL_OTHER;
    if (strcmp(s, "28P01") == 0 || strcmp(s, "28000") == 0)
        return PG_FAIL_AUTH;
    if (strcmp(s, "3D000") == 0)
        return PG_FAIL_NODB;
    if (strcmp(s, "42501") == 0)
        return PG_FAIL_PRIVILEGE;
    if (strcmp(s, "57P03") == 0)
        return PG_FAIL_STARTING;
    if (strncmp(s, "08", 2) == 0)
        return PG_FAIL_NETWORK;
    return PG_FAIL_SERVER;
}

static bool is_sqlstate(const char *p)
{
    for (int i = 0; i < 5; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'A' && p[i] <= 'Z')))
            return false;
    return true;
}

/* Client-side texts of libpq (fe-connect.c, fe-secure-openssl.c). */
static enum pg_fail client_fail(const char *t)
{
    if (strstr(t, "could not translate host name"))
        return PG_FAIL_DNS;
    if (strstr(t, "Connection refused"))
        return PG_FAIL_REFUSED;
    if (strstr(t, "SSL") || strstr(t, "certificate") || strstr(t, "GSSAPI"))
        return PG_FAIL_TLS;
    if (strstr(t, "timeout expired") || strstr(t, "timed out"))
        return PG_FAIL_TIMEOUT;
    return PG_FAIL_NETWORK;
}

void pg_parse_error(const char *text, struct pg_diag *o)
{
    memset(o, 0, sizeof(*o));
    if (!text)
        text = "";
    /* a connection failure starts "connection to server at ... failed: " */
    const char *rest = strstr(text, "failed: ");
    rest = rest ? rest + 8 : text;
    /* "SEVERITY:  SQLSTATE: message" */
    const char *sep = strstr(rest, ":  ");
    if (sep && sep > rest && sep - rest < (long)sizeof(o->severity) && strlen(sep) >= 10 &&
        is_sqlstate(sep + 3) && sep[8] == ':' && sep[9] == ' ') {
        snprintf(o->severity, sizeof(o->severity), "%.*s", (int)(sep - rest), rest);
        memcpy(o->sqlstate, sep + 3, 5);
        const char *msg = sep + 10;
        snprintf(o->message, sizeof(o->message), "%.*s", (int)strcspn(msg, "\n"), msg);
        o->fail = pg_fail_of_sqlstate(o->sqlstate);
        return;
    }
    /* client side: the text without its trailing newlines, on one line */
    size_t n = strlen(rest);
    while (n > 0 && (rest[n - 1] == '\n' || rest[n - 1] == ' '))
        n--;
    if (n >= sizeof(o->message))
        n = sizeof(o->message) - 1;
    for (size_t i = 0; i < n; i++)
        o->message[i] = rest[i] == '\n' || rest[i] == '\t' ? ' ' : rest[i];
    o->message[n] = '\0';
    o->fail = client_fail(text);
}

const char *pg_rows_value(const struct pg_rows *r, size_t row, size_t col)
{
    if (!r || row >= r->nrows || col >= r->ncols)
        return NULL;
    return r->v[row * r->ncols + col];
}

char *pg_quote_ident(const char *name)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addc(&sb, '"');
    for (const char *p = name ? name : ""; *p; p++) {
        if (*p == '"')
            strbuf_addc(&sb, '"');
        strbuf_addc(&sb, *p);
    }
    strbuf_addc(&sb, '"');
    return strbuf_detach(&sb, NULL);
}

/* ---- failures ---- */

static enum error_code code_of(enum pg_fail f)
{
    switch (f) {
    case PG_FAIL_DNS:
    case PG_FAIL_REFUSED:
    case PG_FAIL_NETWORK:
    case PG_FAIL_TIMEOUT:
    case PG_FAIL_TLS:
    case PG_FAIL_STARTING:
        return ERR_NETWORK;
    case PG_FAIL_AUTH:
        return ERR_AUTH;
    case PG_FAIL_NODB:
        return ERR_NOTFOUND;
    default:
        return ERR_DATABASE;
    }
}

static void set_failure(struct pgconn *c, const struct pg_diag *d)
{
    c->fail = d->fail;
    snprintf(c->sqlstate, sizeof(c->sqlstate), "%s", d->sqlstate);
    if (d->sqlstate[0])
        error_set(&c->err, code_of(d->fail), d->fail, "PostgreSQL at %s: %s (SQLSTATE %s)",
                  c->where, d->message, d->sqlstate);
    else
        error_set(&c->err, code_of(d->fail), d->fail, "PostgreSQL at %s: %s", c->where,
                  d->message[0] ? d->message : "the connection failed");
}

static void unwatch(struct pgconn *c)
{
    if (c->fd >= 0)
        loop_del_fd(c->loop, c->fd);
    c->fd = -1;
    if (c->timer)
        loop_cancel_timer(c->loop, c->timer);
    c->timer = 0;
}

/* Ends the current operation with c->err set, leaving the connection in
 * phase next; the callback may free c. */
static void finish_in(struct pgconn *c, enum pg_phase next)
{
    unwatch(c);
    enum pg_phase was = c->phase;
    c->phase = next;
    log_info("pgconn: %s", c->err.msg);
    if (was == PH_CONNECTING && c->on_connect)
        c->on_connect(c, &c->err, c->arg);
    else if (was == PH_QUERY && c->on_query)
        c->on_query(c, NULL, &c->err, c->arg);
}

static void finish_failed(struct pgconn *c)
{
    finish_in(c, PH_FAILED);
}

static void fail_from_conn(struct pgconn *c)
{
    struct pg_diag d;
    pg_parse_error(PQerrorMessage(c->conn), &d);
    set_failure(c, &d);
    finish_failed(c);
}

static void on_deadline(struct loop *l, long long id, void *arg)
{
    struct pgconn *c = arg;
    c->timer = 0;
    struct pg_diag d = {.fail = PG_FAIL_TIMEOUT};
    snprintf(d.message, sizeof(d.message), "no answer within the deadline");
    set_failure(c, &d);
    /* the connection is in an unknown state: drop it */
    if (c->fd >= 0)
        loop_del_fd(l, c->fd);
    c->fd = -1;
    PQfinish(c->conn);
    c->conn = NULL;
    finish_failed(c);
}

/* ---- connecting ---- */

static void on_connect_io(struct loop *l, int fd, int events, void *arg);

static void watch_socket(struct pgconn *c, int mask, loop_fd_cb cb)
{
    int fd = c->conn ? PQsocket(c->conn) : -1;
    if (fd != c->fd && c->fd >= 0)
        loop_del_fd(c->loop, c->fd);
    c->fd = fd;
    if (fd >= 0)
        loop_add_fd(c->loop, fd, mask, cb, c);
}

static void connect_step(struct pgconn *c, PostgresPollingStatusType st)
{
    if (st == PGRES_POLLING_FAILED || PQstatus(c->conn) == CONNECTION_BAD) {
        fail_from_conn(c);
        return;
    }
    if (st == PGRES_POLLING_OK) {
        unwatch(c);
        PQsetnonblocking(c->conn, 1);
        c->phase = PH_IDLE;
        log_info("pgconn: connected to %s (server %d)", c->where, PQserverVersion(c->conn));
        c->on_connect(c, NULL, c->arg);
        return;
    }
    watch_socket(c, st == PGRES_POLLING_READING ? LOOP_READ : LOOP_WRITE, on_connect_io);
}

static void on_connect_io(struct loop *l, int fd, int events, void *arg)
{
    (void)l, (void)fd, (void)events;
    struct pgconn *c = arg;
    connect_step(c, PQconnectPoll(c->conn));
}

static void on_deferred_failure(struct loop *l, long long id, void *arg)
{
    (void)l, (void)id;
    struct pgconn *c = arg;
    c->defer = 0;
    if (c->conn)
        fail_from_conn(c);
    else
        finish_failed(c);
}

struct pgconn *pgconn_connect(struct loop *l, const struct pg_target *t, pgconn_connect_cb cb,
                              void *arg)
{
    struct pgconn *c = xcalloc(1, sizeof(*c));
    c->loop = l;
    c->fd = -1;
    c->phase = PH_CONNECTING;
    c->on_connect = cb;
    c->arg = arg;
    int port = t->port > 0 ? t->port : 5432;
    c->where = xasprintf("%s:%d (user %s, database %s)", str_empty(t->host) ? "localhost" : t->host,
                         port, str_empty(t->user) ? "(default)" : t->user,
                         str_empty(t->dbname) ? "(default)" : t->dbname);
    if (!str_empty(t->password))
        log_add_secret(t->password);

    char portbuf[16];
    snprintf(portbuf, sizeof(portbuf), "%d", t->reach_port > 0 ? t->reach_port : port);
    const char *keys[10], *vals[10];
    int n = 0;
#define KV(k, v)                                                                                   \
    do {                                                                                           \
        if (!str_empty(v)) {                                                                       \
            keys[n] = (k);                                                                         \
            vals[n++] = (v);                                                                       \
        }                                                                                          \
    } while (0)
    KV("host", !str_empty(t->reach_host) ? t->reach_host : t->host);
    KV("port", portbuf);
    KV("user", t->user);
    KV("password", t->password);
    KV("dbname", t->dbname);
    KV("sslmode", str_empty(t->sslmode) ? "prefer" : t->sslmode);
    KV("application_name", str_empty(t->application_name) ? "dify-tui" : t->application_name);
#undef KV
    keys[n] = NULL;
    vals[n] = NULL;
    if (t->reach_port > 0 || !str_empty(t->reach_host))
        log_debug("pgconn: %s reached through %s:%s", c->where,
                  !str_empty(t->reach_host) ? t->reach_host : t->host, portbuf);

    c->timer = loop_add_timer(l, t->timeout_ms > 0 ? t->timeout_ms : 15000, on_deadline, c);
    c->conn = PQconnectStartParams(keys, vals, 0);
    if (!c->conn) {
        error_set(&c->err, ERR_INTERNAL, PG_FAIL_OTHER, "PostgreSQL at %s: out of memory",
                  c->where);
        c->fail = PG_FAIL_OTHER;
        c->defer = loop_add_timer(l, 0, on_deferred_failure, c);
        return c;
    }
    /* the SQLSTATE of a refused login is only in the verbose text */
    PQsetErrorVerbosity(c->conn, PQERRORS_VERBOSE);
    if (PQstatus(c->conn) == CONNECTION_BAD) {
        c->defer = loop_add_timer(l, 0, on_deferred_failure, c);
        return c;
    }
    watch_socket(c, LOOP_WRITE, on_connect_io);
    return c;
}

/* ---- queries ---- */

static void query_done(struct pgconn *c)
{
    unwatch(c);
    PGresult *r = c->result;
    c->result = NULL;
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        struct pg_rows rows = {0};
        rows.nrows = (size_t)PQntuples(r);
        rows.ncols = (size_t)PQnfields(r);
        rows.v = xcalloc(rows.nrows * rows.ncols + 1, sizeof(char *));
        for (size_t i = 0; i < rows.nrows; i++)
            for (size_t j = 0; j < rows.ncols; j++)
                if (!PQgetisnull(r, (int)i, (int)j))
                    rows.v[i * rows.ncols + j] = xstrdup(PQgetvalue(r, (int)i, (int)j));
        rows.command_status = xstrdup(PQcmdStatus(r));
        PQclear(r);
        c->phase = PH_IDLE;
        c->fail = PG_OK;
        c->sqlstate[0] = '\0';
        pgconn_query_cb cb = c->on_query;
        cb(c, &rows, NULL, c->arg);
        for (size_t i = 0; i < rows.nrows * rows.ncols; i++)
            free(rows.v[i]);
        free(rows.v);
        free(rows.command_status);
        return;
    }
    struct pg_diag d = {0};
    if (r && PQresultErrorField(r, PG_DIAG_SQLSTATE)) {
        const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        const char *sev = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
        const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        const char *hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
        snprintf(d.sqlstate, sizeof(d.sqlstate), "%s", code);
        snprintf(d.severity, sizeof(d.severity), "%s", sev ? sev : "ERROR");
        snprintf(d.message, sizeof(d.message), "%s%s%s", msg ? msg : "", hint ? " (hint: " : "",
                 hint ? hint : "");
        if (hint && strlen(d.message) < sizeof(d.message) - 1)
            strcat(d.message, ")");
        d.fail = pg_fail_of_sqlstate(d.sqlstate);
    } else {
        pg_parse_error(r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn), &d);
        if (d.fail == PG_FAIL_OTHER)
            d.fail = PG_FAIL_NETWORK;
    }
    if (r)
        PQclear(r);
    set_failure(c, &d);
    /* a statement's error leaves the connection usable; a lost one does not */
    finish_in(c, c->conn && PQstatus(c->conn) == CONNECTION_OK ? PH_IDLE : PH_FAILED);
}

static void on_query_io(struct loop *l, int fd, int events, void *arg);

static void query_rearm(struct pgconn *c)
{
    watch_socket(c, LOOP_READ | (c->flushing ? LOOP_WRITE : 0), on_query_io);
}

static void on_query_io(struct loop *l, int fd, int events, void *arg)
{
    (void)l, (void)fd;
    struct pgconn *c = arg;
    if (c->flushing) {
        int f = PQflush(c->conn);
        if (f < 0) {
            fail_from_conn(c);
            return;
        }
        c->flushing = f == 1;
    }
    if (events & LOOP_READ) {
        if (!PQconsumeInput(c->conn)) {
            struct pg_diag d;
            pg_parse_error(PQerrorMessage(c->conn), &d);
            if (d.fail == PG_FAIL_OTHER)
                d.fail = PG_FAIL_NETWORK;
            set_failure(c, &d);
            if (c->result)
                PQclear(c->result);
            c->result = NULL;
            finish_failed(c);
            return;
        }
        while (!PQisBusy(c->conn)) {
            PGresult *r = PQgetResult(c->conn);
            if (!r) {
                query_done(c);
                return;
            }
            /* keep the first error, else the last result */
            if (c->result && PQresultStatus(c->result) != PGRES_COMMAND_OK &&
                PQresultStatus(c->result) != PGRES_TUPLES_OK) {
                PQclear(r);
                continue;
            }
            if (c->result)
                PQclear(c->result);
            c->result = r;
        }
    }
    query_rearm(c);
}

static void on_deferred_query(struct loop *l, long long id, void *arg)
{
    (void)l, (void)id;
    struct pgconn *c = arg;
    c->defer = 0;
    finish_failed(c);
}

void pgconn_query(struct pgconn *c, const char *sql, const char *const *params, int nparams,
                  long long timeout_ms, pgconn_query_cb cb, void *arg)
{
    c->on_query = cb;
    c->arg = arg;
    enum pg_phase was = c->phase;
    c->phase = PH_QUERY;
    if (was != PH_IDLE || !c->conn || PQstatus(c->conn) != CONNECTION_OK) {
        if (was == PH_QUERY || was == PH_CONNECTING)
            error_set(&c->err, ERR_INTERNAL, PG_FAIL_OTHER,
                      "PostgreSQL at %s: a query while another operation runs", c->where);
        else if (!error_is_set(&c->err))
            error_set(&c->err, ERR_NETWORK, PG_FAIL_NETWORK, "PostgreSQL at %s: not connected",
                      c->where);
        c->defer = loop_add_timer(c->loop, 0, on_deferred_query, c);
        return;
    }
    error_clear(&c->err);
    log_debug("pgconn: %s: %s", c->where, sql);
    if (!PQsendQueryParams(c->conn, sql, nparams, NULL, params, NULL, NULL, 0)) {
        struct pg_diag d;
        pg_parse_error(PQerrorMessage(c->conn), &d);
        set_failure(c, &d);
        c->defer = loop_add_timer(c->loop, 0, on_deferred_query, c);
        return;
    }
    int f = PQflush(c->conn);
    c->flushing = f == 1;
    c->timer = loop_add_timer(c->loop, timeout_ms > 0 ? timeout_ms : 60000, on_deadline, c);
    query_rearm(c);
}

void pgconn_free(struct pgconn *c)
{
    if (!c)
        return;
    unwatch(c);
    if (c->defer)
        loop_cancel_timer(c->loop, c->defer);
    if (c->result)
        PQclear(c->result);
    if (c->conn)
        PQfinish(c->conn);
    free(c->where);
    free(c);
}

bool pgconn_ok(const struct pgconn *c)
{
    return c && c->conn && c->phase != PH_FAILED && c->phase != PH_CONNECTING &&
           PQstatus(c->conn) == CONNECTION_OK;
}

enum pg_fail pgconn_failure(const struct pgconn *c, const char **sqlstate)
{
    if (sqlstate)
        *sqlstate = c->sqlstate;
    return c->fail;
}

const char *pgconn_where(const struct pgconn *c)
{
    return c->where;
}

int pgconn_server_version(const struct pgconn *c)
{
    return c->conn && PQstatus(c->conn) == CONNECTION_OK ? PQserverVersion(c->conn) : 0;
}
