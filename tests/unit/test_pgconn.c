/* tests/unit/test_pgconn.c: core/pgconn against a real PostgreSQL server
 * the test starts (tests/svc.sh): a login and queries on the loop; each
 * failure class with its SQLSTATE and a message naming host, port, user and
 * database but never the password (28P01, 3D000, 42501, refused, TLS, a
 * server that never answers); a statement's error leaving the connection
 * usable; and libpq's verbose texts parsed offline. */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/error.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/pgconn.h"
#include "core/util.h"
#include "tests/unit/svc.h"
#include "tests/unit/tap.h"

static struct svc pg;
static struct loop *L;

static const char *need_pg(void)
{
    return pg.skip;
}

struct res {
    bool done;
    bool failed;
    struct error err;
    char *first; /* first value of the first row */
    size_t nrows;
    char *status;
};

static void res_clear(struct res *r)
{
    free(r->first);
    free(r->status);
    memset(r, 0, sizeof(*r));
}

static void on_conn(struct pgconn *c, const struct error *err, void *arg)
{
    (void)c;
    struct res *r = arg;
    r->done = true;
    r->failed = err != NULL;
    if (err)
        r->err = *err;
}

static void on_query(struct pgconn *c, const struct pg_rows *rows, const struct error *err,
                     void *arg)
{
    (void)c;
    struct res *r = arg;
    r->done = true;
    r->failed = err != NULL;
    if (err)
        r->err = *err;
    if (rows) {
        r->nrows = rows->nrows;
        r->first = xstrdup_or_null(pg_rows_value(rows, 0, 0));
        r->status = xstrdup_or_null(rows->command_status);
    }
}

static void run_until(struct res *r)
{
    long long deadline = now_ms() + 60000;
    while (!r->done && now_ms() < deadline)
        loop_run_once(L, 1000);
    CHECK_MSG(r->done, "nothing happened within 60 s");
}

static struct pgconn *connect_as(const char *user, const char *password, const char *db,
                                 const char *sslmode, struct res *r)
{
    struct pg_target t = {.host = svc_get(&pg, "PG_HOST"),
                          .port = svc_get_int(&pg, "PG_PORT"),
                          .user = user,
                          .password = password,
                          .dbname = db,
                          .sslmode = sslmode};
    memset(r, 0, sizeof(*r));
    struct pgconn *c = pgconn_connect(L, &t, on_conn, r);
    run_until(r);
    return c;
}

static void query(struct pgconn *c, const char *sql, const char *const *params, int n,
                  struct res *r)
{
    res_clear(r);
    pgconn_query(c, sql, params, n, 0, on_query, r);
    run_until(r);
}

static void test_login_and_queries(void)
{
    CHECK_MSG(!pg.error, "PostgreSQL did not start: %s", pg.error);
    struct res r;
    struct pgconn *c =
        connect_as(svc_get(&pg, "PG_USER"), svc_get(&pg, "PG_PASSWORD"), "dify", NULL, &r);
    CHECK_MSG(!r.failed, "%s", r.err.msg);
    CHECK(pgconn_ok(c));
    CHECK(pgconn_server_version(c) >= 90000);
    query(c, "SELECT 40 + 2", NULL, 0, &r);
    CHECK_MSG(!r.failed, "%s", r.err.msg);
    CHECK_STR(r.first, "42");
    CHECK_STR(r.status, "SELECT 1");
    const char *params[] = {"dify"};
    query(c, "SELECT datname FROM pg_database WHERE datname = $1", params, 1, &r);
    CHECK_INT(r.nrows, 1);
    CHECK_STR(r.first, "dify");
    /* a NULL value and an empty result */
    query(c, "SELECT NULL::text", NULL, 0, &r);
    CHECK_INT(r.nrows, 1);
    CHECK(r.first == NULL);
    query(c, "SELECT 1 WHERE false", NULL, 0, &r);
    CHECK_INT(r.nrows, 0);
    res_clear(&r);
    pgconn_free(c);
}

static void test_wrong_password_28P01(void)
{
    CHECK_MSG(!pg.error, "%s", pg.error);
    const char *bad = "not-the-password-4711";
    struct res r;
    struct pgconn *c = connect_as(svc_get(&pg, "PG_USER"), bad, "dify", NULL, &r);
    CHECK(r.failed);
    const char *state = NULL;
    CHECK_INT(pgconn_failure(c, &state), PG_FAIL_AUTH);
    CHECK_STR(state, "28P01");
    CHECK_INT(r.err.code, ERR_AUTH);
    CHECK_CONTAINS(r.err.msg, "127.0.0.1:");
    CHECK_CONTAINS(r.err.msg, svc_get(&pg, "PG_PORT"));
    CHECK_CONTAINS(r.err.msg, "user dify");
    CHECK_CONTAINS(r.err.msg, "database dify");
    CHECK_CONTAINS(r.err.msg, "password authentication failed");
    CHECK_CONTAINS(r.err.msg, "28P01");
    CHECK_LACKS(r.err.msg, bad);
    CHECK(!pgconn_ok(c));
    pgconn_free(c);
    /* the password was registered with the log: a line naming it is masked */
    char *red = log_redact("password=not-the-password-4711");
    CHECK_LACKS(red, bad);
    free(red);
}

static void test_missing_database_3D000(void)
{
    CHECK_MSG(!pg.error, "%s", pg.error);
    struct res r;
    struct pgconn *c =
        connect_as(svc_get(&pg, "PG_USER"), svc_get(&pg, "PG_PASSWORD"), "no_such_db", NULL, &r);
    CHECK(r.failed);
    const char *state = NULL;
    CHECK_INT(pgconn_failure(c, &state), PG_FAIL_NODB);
    CHECK_STR(state, "3D000");
    CHECK_INT(r.err.code, ERR_NOTFOUND);
    CHECK_CONTAINS(r.err.msg, "database no_such_db");
    CHECK_CONTAINS(r.err.msg, "does not exist");
    pgconn_free(c);
}

static void test_no_privilege_42501_keeps_connection(void)
{
    CHECK_MSG(!pg.error, "%s", pg.error);
    struct res r;
    struct pgconn *c = connect_as(svc_get(&pg, "PG_PLAIN_USER"), svc_get(&pg, "PG_PLAIN_PASSWORD"),
                                  "postgres", NULL, &r);
    CHECK_MSG(!r.failed, "%s", r.err.msg);
    query(c, "CREATE DATABASE plain_should_not", NULL, 0, &r);
    CHECK(r.failed);
    const char *state = NULL;
    CHECK_INT(pgconn_failure(c, &state), PG_FAIL_PRIVILEGE);
    CHECK_STR(state, "42501");
    CHECK_CONTAINS(r.err.msg, "permission denied to create database");
    CHECK_CONTAINS(r.err.msg, "user plain");
    /* a statement's error leaves the session usable */
    CHECK(pgconn_ok(c));
    query(c, "SELECT 'still here'", NULL, 0, &r);
    CHECK_MSG(!r.failed, "%s", r.err.msg);
    CHECK_STR(r.first, "still here");
    res_clear(&r);
    pgconn_free(c);
}

static void test_refused(void)
{
    struct pg_target t = {.host = "127.0.0.1",
                          .port = svc_free_port(),
                          .user = "dify",
                          .password = "x-secret-x",
                          .dbname = "dify"};
    struct res r = {0};
    struct pgconn *c = pgconn_connect(L, &t, on_conn, &r);
    run_until(&r);
    CHECK(r.failed);
    CHECK_INT(pgconn_failure(c, NULL), PG_FAIL_REFUSED);
    CHECK_INT(r.err.code, ERR_NETWORK);
    CHECK_CONTAINS(r.err.msg, "Connection refused");
    CHECK_LACKS(r.err.msg, "x-secret-x");
    pgconn_free(c);
}

static void test_tls_required_but_not_offered(void)
{
    CHECK_MSG(!pg.error, "%s", pg.error);
    /* the test server runs without SSL */
    struct res r;
    struct pgconn *c =
        connect_as(svc_get(&pg, "PG_USER"), svc_get(&pg, "PG_PASSWORD"), "dify", "require", &r);
    CHECK(r.failed);
    CHECK_INT(pgconn_failure(c, NULL), PG_FAIL_TLS);
    CHECK_CONTAINS(r.err.msg, "SSL");
    pgconn_free(c);
}

static void test_silent_server_times_out(void)
{
    /* a socket that accepts (the kernel's backlog) and never answers */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    CHECK(bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
    CHECK(listen(fd, 4) == 0);
    CHECK(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
    struct pg_target t = {.host = "127.0.0.1",
                          .port = ntohs(a.sin_port),
                          .user = "dify",
                          .dbname = "dify",
                          .sslmode = "disable",
                          .timeout_ms = 300};
    struct res r = {0};
    struct pgconn *c = pgconn_connect(L, &t, on_conn, &r);
    run_until(&r);
    CHECK(r.failed);
    CHECK_INT(pgconn_failure(c, NULL), PG_FAIL_TIMEOUT);
    CHECK_CONTAINS(r.err.msg, "no answer");
    pgconn_free(c);
    close(fd);
}

static void test_free_while_connecting(void)
{
    CHECK_MSG(!pg.error, "%s", pg.error);
    struct pg_target t = {.host = svc_get(&pg, "PG_HOST"),
                          .port = svc_get_int(&pg, "PG_PORT"),
                          .user = svc_get(&pg, "PG_USER"),
                          .password = svc_get(&pg, "PG_PASSWORD"),
                          .dbname = "dify"};
    struct res r = {0};
    struct pgconn *c = pgconn_connect(L, &t, on_conn, &r);
    pgconn_free(c); /* no callback after this */
    for (int i = 0; i < 5; i++)
        loop_run_once(L, 50);
    CHECK(!r.done);
}

static void test_parse_texts(void)
{
    struct pg_diag d;
    pg_parse_error("connection to server at \"db\" (10.0.0.5), port 5432 failed: FATAL:  28P01: "
                   "password authentication failed for user \"dify\"\nLOCATION:  auth_failed\n",
                   &d);
    CHECK_INT(d.fail, PG_FAIL_AUTH);
    CHECK_STR(d.sqlstate, "28P01");
    CHECK_STR(d.severity, "FATAL");
    CHECK_STR(d.message, "password authentication failed for user \"dify\"");
    pg_parse_error("ERROR:  42501: permission denied to create database\n", &d);
    CHECK_INT(d.fail, PG_FAIL_PRIVILEGE);
    pg_parse_error("connection to server at \"db\" (10.0.0.5), port 5432 failed: FATAL:  57P03: "
                   "the database system is starting up\n",
                   &d);
    CHECK_INT(d.fail, PG_FAIL_STARTING);
    pg_parse_error("could not translate host name \"nope\" to address: Name or service not known\n",
                   &d);
    CHECK_INT(d.fail, PG_FAIL_DNS);
    CHECK_STR(d.sqlstate, "");
    pg_parse_error("connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs "
                   "the server running on that host and accepting TCP/IP connections?\n",
                   &d);
    CHECK_INT(d.fail, PG_FAIL_REFUSED);
    CHECK(strchr(d.message, '\n') == NULL);
    pg_parse_error("server closed the connection unexpectedly\n", &d);
    CHECK_INT(d.fail, PG_FAIL_NETWORK);
    char *q = pg_quote_ident("a\"b c");
    CHECK_STR(q, "\"a\"\"b c\"");
    free(q);
    CHECK_STR(pg_fail_name(PG_FAIL_NODB), "nodb");
}

int main(void)
{
    L = loop_new();
    svc_start(&pg, "pg");
    static const struct tap_case cases[] = {
        {"pgconn: parses libpq's texts", test_parse_texts, NULL},
        {"pgconn: login and queries on the loop", test_login_and_queries, need_pg},
        {"pgconn: wrong password is 28P01, named, password never shown", test_wrong_password_28P01,
         need_pg},
        {"pgconn: missing database is 3D000", test_missing_database_3D000, need_pg},
        {"pgconn: no CREATEDB is 42501 and the session stays usable",
         test_no_privilege_42501_keeps_connection, need_pg},
        {"pgconn: nothing listening is refused", test_refused, NULL},
        {"pgconn: sslmode=require against a server without SSL is a TLS failure",
         test_tls_required_but_not_offered, need_pg},
        {"pgconn: a server that never answers times out", test_silent_server_times_out, NULL},
        {"pgconn: freed while connecting: no callback", test_free_while_connecting, need_pg},
    };
    int rc = tap_run(cases, ARRAY_LEN(cases));
    svc_stop(&pg);
    loop_free(L);
    return rc;
}
