/* core/pgconn.h: PostgreSQL on the program's loop, through libpq's
 * asynchronous API (PQconnectStartParams/PQconnectPoll on PQsocket,
 * PQsendQueryParams, PQconsumeInput), so a screen never freezes while a
 * database answers slowly or not at all.
 *
 * Every failure is classified (enum pg_fail) and said in a sentence that
 * names the server, the user and the database, and never the password:
 *   "PostgreSQL at db.internal:5432 (user dify, database dify_plugin):
 *    password authentication failed for user "dify" (SQLSTATE 28P01)"
 * The struct error that carries it has code ERR_NETWORK (unreachable,
 * refused, TLS, timeout), ERR_AUTH (28P01, 28000), ERR_NOTFOUND (3D000) or
 * ERR_DATABASE (anything else the server said), and detail the enum
 * pg_fail; pgconn_failure() gives the class and the SQLSTATE.
 *
 * The SQLSTATE of a refused login is not in any PGresult: libpq reports it
 * only in the text of PQerrorMessage, in verbose form ("FATAL:  28P01: ...").
 * pg_parse_error() reads that form; the simulator's Dify model uses it too. */
#ifndef CORE_PGCONN_H
#define CORE_PGCONN_H

#include <stdbool.h>
#include <stddef.h>

struct error;
struct loop;
struct pgconn;

enum pg_fail {
    PG_OK = 0,
    PG_FAIL_DNS,       /* the host name does not resolve */
    PG_FAIL_REFUSED,   /* nothing listens there (ECONNREFUSED) */
    PG_FAIL_NETWORK,   /* unreachable, reset, closed */
    PG_FAIL_TIMEOUT,   /* no answer within the deadline */
    PG_FAIL_TLS,       /* SSL required and refused, or a certificate problem */
    PG_FAIL_AUTH,      /* 28P01 wrong password, 28000 no pg_hba entry / role */
    PG_FAIL_NODB,      /* 3D000 the database does not exist */
    PG_FAIL_PRIVILEGE, /* 42501 insufficient privilege */
    PG_FAIL_STARTING,  /* 57P03 the server is starting up or shutting down */
    PG_FAIL_SERVER,    /* any other SQLSTATE */
    PG_FAIL_OTHER,
};

/* Short name of a class, for logs and tests ("auth", "nodb", ...). */
const char *pg_fail_name(enum pg_fail f);

/* What libpq's verbose text says: "... failed: FATAL:  28P01: password
 * authentication failed for user "x"\nLOCATION: ..." gives severity FATAL,
 * sqlstate 28P01 and the message; a client-side text ("Connection
 * refused", "SSL ...") gives no SQLSTATE and the text itself. */
struct pg_diag {
    enum pg_fail fail;
    char severity[16];
    char sqlstate[6];
    char message[512];
};
void pg_parse_error(const char *text, struct pg_diag *out);
/* The class of a SQLSTATE ("28P01" -> PG_FAIL_AUTH). */
enum pg_fail pg_fail_of_sqlstate(const char *sqlstate);

/* Where to connect. host/port/user/dbname name the server in messages;
 * reach_host/reach_port, when set, are where this machine actually
 * connects (an SSH tunnel's local end, the simulator's loopback port). */
struct pg_target {
    const char *host;
    int port; /* 0: 5432 */
    const char *user;
    const char *password; /* may be NULL (trust, .pgpass) */
    const char *dbname;
    const char *sslmode; /* "disable", "require", ...; NULL: "prefer" */
    const char *reach_host;
    int reach_port;
    long long timeout_ms;         /* connect deadline; 0: 15 s */
    const char *application_name; /* NULL: "dify-tui" */
};

/* A query's rows, copied out of libpq (values are text; NULL for SQL NULL). */
struct pg_rows {
    size_t nrows, ncols;
    char **v;             /* nrows * ncols */
    char *command_status; /* "CREATE DATABASE", "SELECT 1" */
};
const char *pg_rows_value(const struct pg_rows *r, size_t row, size_t col);

/* Connected (err NULL) or failed. The connection stays the caller's either
 * way: free it with pgconn_free. */
typedef void (*pgconn_connect_cb)(struct pgconn *c, const struct error *err, void *arg);
/* A query ended: rows on success (valid during the call), err otherwise. */
typedef void (*pgconn_query_cb)(struct pgconn *c, const struct pg_rows *rows,
                                const struct error *err, void *arg);

/* Starts connecting. Never NULL: a failure to start comes through cb on a
 * later loop turn. The password is registered with the log's redaction. */
struct pgconn *pgconn_connect(struct loop *l, const struct pg_target *t, pgconn_connect_cb cb,
                              void *arg);
/* One statement with text parameters ($1, $2 ...; NULL entries are SQL
 * NULL). One query at a time; the deadline is timeout_ms (0: 60 s). */
void pgconn_query(struct pgconn *c, const char *sql, const char *const *params, int nparams,
                  long long timeout_ms, pgconn_query_cb cb, void *arg);
/* Cancels whatever is under way (no callback after this) and closes. */
void pgconn_free(struct pgconn *c);

bool pgconn_ok(const struct pgconn *c); /* connected and not broken */
/* The last failure's class and SQLSTATE ("" when none). */
enum pg_fail pgconn_failure(const struct pgconn *c, const char **sqlstate);
/* "db.internal:5432 (user dify, database dify_plugin)", for messages. */
const char *pgconn_where(const struct pgconn *c);
/* The server's version number (150004), 0 when not connected. */
int pgconn_server_version(const struct pgconn *c);
/* An identifier quoted for SQL ("dify plugin" -> "\"dify plugin\""); the
 * caller frees. Never fails: built without a connection. */
char *pg_quote_ident(const char *name);

#endif
