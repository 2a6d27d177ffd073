/* sim/dify_check.h: what a Dify image's clients get from the real data
 * stores. A login is made with the configured user, password and database
 * (libpq) or password and db number (hiredis) against the server the
 * configured host name resolves to (datastores_route), and the answer is
 * kept as the server gave it, then formatted the way each image's client
 * library prints it: libpq/psycopg2 for the api, pgx for the plugin daemon,
 * redis-py, kombu and go-redis for Redis. These calls block: they run on the
 * model's worker threads, never under sim_lock. */
#ifndef SIM_DIFY_CHECK_H
#define SIM_DIFY_CHECK_H

#include <libpq-fe.h>
#include <stdbool.h>

struct redisContext;

/* Where a client connects, as configured in the pod. */
struct dify_target {
    char *host;    /* the configured name */
    int port;      /* the configured port */
    char ip[32];   /* what the name resolves to, for messages (Service IP or a stand-in) */
    char ns[64];   /* the pod's namespace: its resolver's search path */
    char *sslmode; /* PostgreSQL sslmode as configured, or NULL */
};

enum dify_fail {
    DIFY_OK,
    DIFY_FAIL_DNS,     /* the name does not resolve */
    DIFY_FAIL_REFUSED, /* nothing listens there */
    DIFY_FAIL_SERVER,  /* the server refused (message and SQLSTATE/reply from it) */
    DIFY_FAIL_OTHER,   /* anything else (text from the client library) */
};

struct dify_outcome {
    enum dify_fail fail;
    char sqlstate[6];  /* PostgreSQL: the SQLSTATE of a server error */
    char severity[12]; /* PostgreSQL: FATAL, ERROR */
    char *message;     /* the server's message, or the client library's text */
};

void dify_outcome_done(struct dify_outcome *o);
void dify_target_done(struct dify_target *t);

/* Logs in to PostgreSQL; returns the open connection on success (the caller
 * PQfinish-es it) or NULL with o filled. */
PGconn *dify_pg_login(const struct dify_target *t, const char *user, const char *password,
                      const char *dbname, struct dify_outcome *o);
/* Runs one statement; on failure fills o from the server's error. */
int dify_pg_exec(PGconn *c, const char *sql, struct dify_outcome *o);
/* One value of a one-row query, or NULL (no row, or an error in o). */
char *dify_pg_value(PGconn *c, const char *sql, struct dify_outcome *o);

/* libpq's (and so psycopg2's) text for a failed login:
 * connection to server at "HOST" (IP), port P failed: FATAL:  MESSAGE */
char *dify_pg_text_libpq(const struct dify_target *t, const struct dify_outcome *o);
/* pgx's text (the plugin daemon's driver): failed to connect to
 * `user=U database=D`: IP:P (HOST): failed SASL auth: FATAL: MESSAGE (SQLSTATE C) */
char *dify_pg_text_pgx(const struct dify_target *t, const char *user, const char *dbname,
                       const struct dify_outcome *o);
/* psycopg2's exceptions as SQLAlchemy shows them:
 * (psycopg2.OperationalError) <libpq text> for a login, and
 * (psycopg2.errors.UndefinedTable) <message> for a statement. */
char *dify_pg_text_psycopg(const struct dify_target *t, const struct dify_outcome *o);
char *dify_pg_text_psycopg_stmt(const struct dify_outcome *o);
/* A server error of a statement as pgx prints it: ERROR: MESSAGE (SQLSTATE C) */
char *dify_pg_text_pgx_stmt(const struct dify_outcome *o);

/* Connects to Redis, sends AUTH (username and password, when a password is
 * configured), SELECT db and PING. NULL with o filled on failure. */
struct redisContext *dify_redis_login(const struct dify_target *t, const char *username,
                                      const char *password, int db, struct dify_outcome *o);
/* A command's reply as "OK"/"1"/..., or NULL with o filled. */
char *dify_redis_cmd(struct redisContext *c, struct dify_outcome *o, const char *fmt, ...);
void dify_redis_close(struct redisContext *c);
/* The reply text without its error prefix ("WRONGPASS ..." -> "invalid
 * username-password pair ..."), as redis-py and kombu show it. */
const char *dify_redis_text_py(const struct dify_outcome *o);

#endif
