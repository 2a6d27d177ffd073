/* tests/unit/test_sshtunnel.c: core/sshtunnel against a real OpenSSH
 * server on loopback with a test host key and a test user key
 * (tests/svc.sh): bytes forwarded both ways to an echo server, several
 * connections at once and a payload larger than every buffer; PostgreSQL
 * through the tunnel with core/pgconn; an unknown host key refused with its
 * SHA256 fingerprint (the one ssh-keygen -l prints); a changed host key
 * refused loudly; a key the server does not accept; a missing key file;
 * the ssh-agent's key; nothing listening. */
#include "config.h"

#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "core/loop.h"
#include "core/pgconn.h"
#include "core/sshtunnel.h"
#include "core/util.h"
#include "tests/unit/svc.h"
#include "tests/unit/tap.h"

static struct svc sshd, pg;
static struct loop *L;
static int echo_port;

static const char *need_sshd(void)
{
    return sshd.skip;
}

static const char *need_sshd_pg(void)
{
    return sshd.skip ? sshd.skip : pg.skip;
}

/* ---- an echo server on loopback, in a thread ---- */

static void *echo_conn(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char buf[8192];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        ssize_t off = 0;
        while (off < n) {
            ssize_t w = write(fd, buf + off, (size_t)(n - off));
            if (w <= 0)
                goto out;
            off += w;
        }
    }
out:
    close(fd);
    return NULL;
}

static void *echo_main(void *arg)
{
    int lfd = (int)(intptr_t)arg;
    for (;;) {
        int c = accept(lfd, NULL, NULL);
        if (c < 0)
            return NULL;
        pthread_t th;
        pthread_create(&th, NULL, echo_conn, (void *)(intptr_t)c);
        pthread_detach(th);
    }
}

static void echo_start(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    bind(fd, (struct sockaddr *)&a, sizeof(a));
    listen(fd, 16);
    getsockname(fd, (struct sockaddr *)&a, &len);
    echo_port = ntohs(a.sin_port);
    pthread_t th;
    pthread_create(&th, NULL, echo_main, (void *)(intptr_t)fd);
    pthread_detach(th);
}

/* ---- a blocking client in a thread while the loop runs the tunnel ---- */

struct client {
    int port;
    size_t size;
    volatile int done;
    int ok;
    char why[256];
};

static void *client_main(void *arg)
{
    struct client *c = arg;
    char *out = malloc(c->size), *in = malloc(c->size);
    for (size_t i = 0; i < c->size; i++)
        out[i] = (char)('a' + (i * 7 + i / 13) % 26);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                            .sin_port = htons((uint16_t)c->port)};
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        snprintf(c->why, sizeof(c->why), "connect to the tunnel failed");
        goto out;
    }
    /* write and read in turns so neither side's buffers fill up */
    size_t sent = 0, got = 0;
    while (got < c->size) {
        if (sent < c->size) {
            size_t k = c->size - sent < 4096 ? c->size - sent : 4096;
            ssize_t w = write(fd, out + sent, k);
            if (w <= 0) {
                snprintf(c->why, sizeof(c->why), "write failed after %zu", sent);
                goto out;
            }
            sent += (size_t)w;
            if (sent == c->size)
                shutdown(fd, SHUT_WR);
        }
        ssize_t r = read(fd, in + got, c->size - got);
        if (r <= 0) {
            snprintf(c->why, sizeof(c->why), "read ended after %zu of %zu bytes", got, c->size);
            goto out;
        }
        got += (size_t)r;
    }
    char extra;
    ssize_t r = read(fd, &extra, 1); /* then EOF from the far side */
    if (r != 0) {
        snprintf(c->why, sizeof(c->why), "no end of file after the echo");
        goto out;
    }
    c->ok = memcmp(in, out, c->size) == 0;
    if (!c->ok)
        snprintf(c->why, sizeof(c->why), "the echo differs");
out:
    close(fd);
    free(out);
    free(in);
    c->done = 1;
    return NULL;
}

/* ---- the tunnel ---- */

struct tres {
    bool done, failed;
    struct error err;
};

static void on_tunnel(struct sshtunnel *t, const struct error *err, void *arg)
{
    (void)t;
    struct tres *r = arg;
    r->done = true;
    r->failed = err != NULL;
    if (err)
        r->err = *err;
}

static void run_until_flag(volatile bool *flag)
{
    long long deadline = now_ms() + 60000;
    while (!*flag && now_ms() < deadline)
        loop_run_once(L, 200);
    CHECK_MSG(*flag, "nothing happened within 60 s");
}

static struct sshtunnel *open_tunnel(const char *known_hosts, const char *key, bool agent,
                                     int remote_port, struct tres *r)
{
    struct ssh_target tg = {.host = svc_get(&sshd, "SSH_HOST"),
                            .port = svc_get_int(&sshd, "SSH_PORT"),
                            .user = svc_get(&sshd, "SSH_USER"),
                            .key_path = key,
                            .use_agent = agent,
                            .known_hosts = known_hosts,
                            .remote_host = "127.0.0.1",
                            .remote_port = remote_port};
    memset(r, 0, sizeof(*r));
    struct sshtunnel *t = sshtunnel_open(L, &tg, on_tunnel, r);
    run_until_flag(&r->done);
    return t;
}

static void run_clients(struct sshtunnel *t, struct client *cs, size_t n)
{
    pthread_t th[8];
    for (size_t i = 0; i < n; i++) {
        cs[i].port = sshtunnel_local_port(t);
        pthread_create(&th[i], NULL, client_main, &cs[i]);
    }
    long long deadline = now_ms() + 60000;
    for (;;) {
        size_t done = 0;
        for (size_t i = 0; i < n; i++)
            done += cs[i].done ? 1 : 0;
        if (done == n || now_ms() > deadline)
            break;
        loop_run_once(L, 100);
    }
    for (size_t i = 0; i < n; i++) {
        CHECK_MSG(cs[i].done, "client %zu did not finish", i);
        pthread_join(th[i], NULL);
        CHECK_MSG(cs[i].ok, "client %zu: %s", i, cs[i].why);
    }
}

static void test_forwards_both_ways(void)
{
    CHECK_MSG(!sshd.error, "sshd did not start: %s", sshd.error);
    struct tres r;
    struct sshtunnel *t = open_tunnel(svc_get(&sshd, "SSH_KNOWN_HOSTS"), svc_get(&sshd, "SSH_KEY"),
                                      false, echo_port, &r);
    CHECK_MSG(!r.failed, "%s", r.err.msg);
    CHECK(sshtunnel_local_port(t) > 0);
    CHECK_STR(sshtunnel_fingerprint(t), svc_get(&sshd, "SSH_FINGERPRINT"));
    CHECK_STR(sshtunnel_key_type(t), "ssh-ed25519");
    struct client one = {.size = 5};
    run_clients(t, &one, 1);
    /* three at once, one larger than every buffer on the way */
    struct client three[3] = {{.size = 1000}, {.size = 300000}, {.size = 70000}};
    run_clients(t, three, 3);
    CHECK_INT(sshtunnel_forwarded(t), 4);
    sshtunnel_free(t);
}

struct pres {
    bool done, failed;
    struct error err;
    char *value;
};

static void on_pg(struct pgconn *c, const struct error *err, void *arg)
{
    (void)c;
    struct pres *r = arg;
    r->done = true;
    r->failed = err != NULL;
    if (err)
        r->err = *err;
}

static void on_pgq(struct pgconn *c, const struct pg_rows *rows, const struct error *err, void *arg)
{
    on_pg(c, err, arg);
    struct pres *r = arg;
    if (rows)
        r->value = xstrdup_or_null(pg_rows_value(rows, 0, 0));
}

static void test_postgres_through_tunnel(void)
{
    CHECK_MSG(!sshd.error && !pg.error, "a service did not start: %s",
              sshd.error ? sshd.error : pg.error);
    struct tres r;
    struct sshtunnel *t = open_tunnel(svc_get(&sshd, "SSH_KNOWN_HOSTS"), svc_get(&sshd, "SSH_KEY"),
                                      false, svc_get_int(&pg, "PG_PORT"), &r);
    CHECK_MSG(!r.failed, "%s", r.err.msg);
    /* the database is named as the bastion sees it; reached at the tunnel */
    struct pg_target pt = {.host = "db.private.example",
                           .port = 5432,
                           .user = svc_get(&pg, "PG_USER"),
                           .password = svc_get(&pg, "PG_PASSWORD"),
                           .dbname = "dify",
                           .reach_host = "127.0.0.1",
                           .reach_port = sshtunnel_local_port(t)};
    struct pres p = {0};
    struct pgconn *c = pgconn_connect(L, &pt, on_pg, &p);
    run_until_flag(&p.done);
    CHECK_MSG(!p.failed, "%s", p.err.msg);
    memset(&p, 0, sizeof(p));
    pgconn_query(c, "SELECT current_user", NULL, 0, 0, on_pgq, &p);
    run_until_flag(&p.done);
    CHECK_MSG(!p.failed, "%s", p.err.msg);
    CHECK_STR(p.value, "dify");
    free(p.value);
    pgconn_free(c);
    /* a wrong password through the tunnel names the database's own address */
    pt.password = "wrong-through-tunnel";
    memset(&p, 0, sizeof(p));
    c = pgconn_connect(L, &pt, on_pg, &p);
    run_until_flag(&p.done);
    CHECK(p.failed);
    CHECK_CONTAINS(p.err.msg, "db.private.example:5432");
    CHECK_CONTAINS(p.err.msg, "28P01");
    pgconn_free(c);
    sshtunnel_free(t);
}

static void test_unknown_host_key(void)
{
    CHECK_MSG(!sshd.error, "%s", sshd.error);
    struct tres r;
    struct sshtunnel *t = open_tunnel(svc_get(&sshd, "SSH_EMPTY_KNOWN_HOSTS"),
                                      svc_get(&sshd, "SSH_KEY"), false, echo_port, &r);
    CHECK(r.failed);
    CHECK_INT(sshtunnel_failure(t), SSH_FAIL_HOSTKEY_UNKNOWN);
    CHECK_CONTAINS(r.err.msg, svc_get(&sshd, "SSH_FINGERPRINT"));
    CHECK_CONTAINS(r.err.msg, "is not in");
    CHECK_CONTAINS(r.err.msg, "ssh-keyscan");
    CHECK_INT(sshtunnel_local_port(t), 0);
    sshtunnel_free(t);
    /* a known_hosts file that does not exist is the same story */
    t = open_tunnel("/nonexistent/known_hosts", svc_get(&sshd, "SSH_KEY"), false, echo_port, &r);
    CHECK_INT(sshtunnel_failure(t), SSH_FAIL_HOSTKEY_UNKNOWN);
    sshtunnel_free(t);
}

static void test_changed_host_key(void)
{
    CHECK_MSG(!sshd.error, "%s", sshd.error);
    struct tres r;
    struct sshtunnel *t = open_tunnel(svc_get(&sshd, "SSH_OTHER_KNOWN_HOSTS"),
                                      svc_get(&sshd, "SSH_KEY"), false, echo_port, &r);
    CHECK(r.failed);
    CHECK_INT(sshtunnel_failure(t), SSH_FAIL_HOSTKEY_CHANGED);
    CHECK_CONTAINS(r.err.msg, "REMOTE HOST IDENTIFICATION HAS CHANGED");
    CHECK_CONTAINS(r.err.msg, svc_get(&sshd, "SSH_FINGERPRINT"));
    CHECK_CONTAINS(r.err.msg, "ssh-keygen -R");
    sshtunnel_free(t);
}

static void test_refused_key_and_missing_key(void)
{
    CHECK_MSG(!sshd.error, "%s", sshd.error);
    char other[512];
    snprintf(other, sizeof(other), "%s", svc_get(&sshd, "SSH_KEY"));
    char *slash = strrchr(other, '/');
    snprintf(slash + 1, sizeof(other) - (size_t)(slash + 1 - other), "other_host_key");
    struct tres r;
    struct sshtunnel *t =
        open_tunnel(svc_get(&sshd, "SSH_KNOWN_HOSTS"), other, false, echo_port, &r);
    CHECK(r.failed);
    CHECK_INT(sshtunnel_failure(t), SSH_FAIL_AUTH);
    CHECK_CONTAINS(r.err.msg, "refused the key");
    CHECK_CONTAINS(r.err.msg, "authorized_keys");
    sshtunnel_free(t);
    t = open_tunnel(svc_get(&sshd, "SSH_KNOWN_HOSTS"), "/nonexistent/id_ed25519", false, echo_port,
                    &r);
    CHECK_INT(sshtunnel_failure(t), SSH_FAIL_KEY);
    CHECK_CONTAINS(r.err.msg, "/nonexistent/id_ed25519");
    sshtunnel_free(t);
}

static const char *need_agent(void)
{
    if (sshd.skip)
        return sshd.skip;
    if (system("command -v ssh-agent >/dev/null 2>&1 && command -v ssh-add >/dev/null 2>&1") != 0)
        return "ssh-agent or ssh-add is not installed";
    return NULL;
}

static void test_agent_key(void)
{
    CHECK_MSG(!sshd.error, "%s", sshd.error);
    char sock[512];
    snprintf(sock, sizeof(sock), "%s/agent.sock", sshd.dir);
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "ssh-agent -a '%s' >'%s/agent.out' 2>&1", sock, sshd.dir);
    CHECK(system(cmd) == 0);
    setenv("SSH_AUTH_SOCK", sock, 1);
    snprintf(cmd, sizeof(cmd), "ssh-add -q '%s' 2>/dev/null", svc_get(&sshd, "SSH_KEY"));
    int added = system(cmd);
    struct tres r;
    struct sshtunnel *t =
        added == 0 ? open_tunnel(svc_get(&sshd, "SSH_KNOWN_HOSTS"), NULL, true, echo_port, &r)
                   : NULL;
    snprintf(cmd, sizeof(cmd),
             "SSH_AGENT_PID=$(sed -n 's/.*SSH_AGENT_PID=\\([0-9]*\\).*/\\1/p' "
             "'%s/agent.out') ssh-agent -k >/dev/null 2>&1",
             sshd.dir);
    CHECK_INT(added, 0);
    CHECK_MSG(!r.failed, "%s", r.err.msg);
    struct client one = {.size = 1234};
    run_clients(t, &one, 1);
    sshtunnel_free(t);
    CHECK(system(cmd) == 0);
    unsetenv("SSH_AUTH_SOCK");
}

static void test_nothing_listening(void)
{
    struct ssh_target tg = {.host = "127.0.0.1",
                            .port = svc_free_port(),
                            .user = "nobody",
                            .key_path = "/nonexistent",
                            .known_hosts = "/nonexistent",
                            .remote_host = "127.0.0.1",
                            .remote_port = 1};
    struct tres r = {0};
    struct sshtunnel *t = sshtunnel_open(L, &tg, on_tunnel, &r);
    run_until_flag(&r.done);
    CHECK(r.failed);
    CHECK_INT(sshtunnel_failure(t), SSH_FAIL_CONNECT);
    CHECK_CONTAINS(r.err.msg, "refused");
    CHECK_CONTAINS(r.err.msg, "nobody@127.0.0.1:");
    sshtunnel_free(t);
}

/* ---- commands over a session without a forward ---- */

struct xres {
    int n; /* callbacks so far */
    int status[8];
    char out[8][256];
    char err[8][256];
    size_t out_len[8];
    bool truncated[8], timed_out[8];
};

static void on_exec(struct sshtunnel *t, const struct sshexec_result *r, void *arg)
{
    (void)t;
    struct xres *x = arg;
    int i = x->n++;
    if (i >= 8)
        return;
    x->status[i] = r->exit_status;
    snprintf(x->out[i], sizeof(x->out[i]), "%s", r->out);
    snprintf(x->err[i], sizeof(x->err[i]), "%s", r->err);
    x->out_len[i] = r->out_len;
    x->truncated[i] = r->truncated;
    x->timed_out[i] = r->timed_out;
}

static void run_until_count(const int *n, int want)
{
    long long deadline = now_ms() + 60000;
    while (*n < want && now_ms() < deadline)
        loop_run_once(L, 200);
    CHECK_MSG(*n >= want, "%d of %d commands answered within 60 s", *n, want);
}

static struct sshtunnel *open_session(const char *known_hosts, const char *accept, struct tres *r)
{
    struct ssh_target tg = {.host = svc_get(&sshd, "SSH_HOST"),
                            .port = svc_get_int(&sshd, "SSH_PORT"),
                            .user = svc_get(&sshd, "SSH_USER"),
                            .key_path = svc_get(&sshd, "SSH_KEY"),
                            .known_hosts = known_hosts,
                            .accept_fingerprint = accept};
    memset(r, 0, sizeof(*r));
    struct sshtunnel *t = sshtunnel_open(L, &tg, on_tunnel, r);
    run_until_flag(&r->done);
    return t;
}

static void test_exec(void)
{
    CHECK_MSG(!sshd.error, "%s", sshd.error);
    struct tres r;
    struct sshtunnel *t = open_session(svc_get(&sshd, "SSH_KNOWN_HOSTS"), NULL, &r);
    CHECK_MSG(!r.failed, "%s", r.err.msg);
    CHECK_INT(sshtunnel_local_port(t), 0); /* no forward: nothing listens */
    struct xres x = {0};
    /* in order, each with its own output, errors and exit status */
    CHECK_INT(sshtunnel_exec(t, "echo hello; echo oops >&2; exit 3", 0, 0, on_exec, &x), 0);
    CHECK_INT(sshtunnel_exec(t, "printf 'a%.0s' $(seq 1 50000)", 1000, 0, on_exec, &x), 0);
    CHECK_INT(sshtunnel_exec(t, "sleep 30", 0, 300, on_exec, &x), 0);
    CHECK_INT(sshtunnel_exec(t, "uname -s", 0, 0, on_exec, &x), 0);
    run_until_count(&x.n, 4);
    CHECK_INT(x.status[0], 3);
    CHECK_STR(x.out[0], "hello\n");
    CHECK_STR(x.err[0], "oops\n");
    /* bounded: the rest read and dropped, the command still ends */
    CHECK_INT((long)x.out_len[1], 1000);
    CHECK(x.truncated[1]);
    CHECK_INT(x.status[1], 0);
    /* a command that does not end is closed at its deadline */
    CHECK(x.timed_out[2]);
    CHECK_INT(x.status[2], -1);
    /* and the session still serves the next one */
    CHECK_STR(x.out[3], "Linux\n");
    CHECK_INT(x.status[3], 0);
    /* freeing with a command under way calls nothing back */
    int before = x.n;
    CHECK_INT(sshtunnel_exec(t, "sleep 5", 0, 0, on_exec, &x), 0);
    sshtunnel_free(t);
    for (int i = 0; i < 5; i++)
        loop_run_once(L, 20);
    CHECK_INT(x.n, before);
}

static char *slurp(const char *path)
{
    char *s = NULL;
    size_t n = 0;
    struct error e;
    if (file_read_all(path, 1 << 20, &s, &n, &e) < 0)
        return xstrdup("");
    return s;
}

static void test_accept_host_key(void)
{
    CHECK_MSG(!sshd.error, "%s", sshd.error);
    char known[600];
    snprintf(known, sizeof(known), "%s/accept_known_hosts", sshd.dir);
    /* the person's other lines, a comment and no final newline: kept as they are */
    static const char others[] =
        "# my hosts\n"
        "example.org ssh-ed25519 "
        "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"
        "@cert-authority *.example.com ssh-ed25519 "
        "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
    struct error e;
    CHECK_INT(file_write_atomic(known, others, strlen(others), 0644, &e), 0);
    const char *fp = svc_get(&sshd, "SSH_FINGERPRINT");
    struct tres r;
    /* another fingerprint than the host's: refused, nothing written */
    struct sshtunnel *t =
        open_session(known, "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &r);
    CHECK(r.failed);
    CHECK_INT(sshtunnel_failure(t), SSH_FAIL_HOSTKEY_UNKNOWN);
    CHECK(!sshtunnel_key_added(t));
    sshtunnel_free(t);
    char *now = slurp(known);
    CHECK_STR(now, others);
    free(now);
    /* the host's own: trusted, appended, the rest kept */
    t = open_session(known, fp, &r);
    CHECK_MSG(!r.failed, "%s", r.err.msg);
    CHECK(sshtunnel_key_added(t));
    sshtunnel_free(t);
    now = slurp(known);
    CHECK(strncmp(now, others, strlen(others)) == 0);
    char entry[128];
    snprintf(entry, sizeof(entry), "\n[%s]:%d ssh-ed25519 AAAA", svc_get(&sshd, "SSH_HOST"),
             svc_get_int(&sshd, "SSH_PORT"));
    CHECK_CONTAINS(now, entry);
    free(now);
    struct stat st;
    CHECK(stat(known, &st) == 0 && (st.st_mode & 0777) == 0644);
    /* OpenSSH reads the line we wrote as the host's key */
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "ssh-keygen -F '[%s]:%d' -f '%s' >/dev/null 2>&1",
             svc_get(&sshd, "SSH_HOST"), svc_get_int(&sshd, "SSH_PORT"), known);
    CHECK_INT(system(cmd), 0);
    /* and the next session finds it without being told */
    t = open_session(known, NULL, &r);
    CHECK_MSG(!r.failed, "%s", r.err.msg);
    CHECK(!sshtunnel_key_added(t));
    sshtunnel_free(t);
    /* a known_hosts in a directory that does not exist yet */
    snprintf(known, sizeof(known), "%s/new/.ssh/known_hosts", sshd.dir);
    t = open_session(known, fp, &r);
    CHECK_MSG(!r.failed, "%s", r.err.msg);
    CHECK(sshtunnel_key_added(t));
    sshtunnel_free(t);
    CHECK(stat(known, &st) == 0 && (st.st_mode & 0777) == 0600);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    L = loop_new();
    svc_start(&sshd, "sshd");
    svc_start(&pg, "pg");
    echo_start();
    static const struct tap_case cases[] = {
        {"sshtunnel: forwards both ways, several connections, large payload",
         test_forwards_both_ways, need_sshd},
        {"sshtunnel: PostgreSQL through the tunnel", test_postgres_through_tunnel, need_sshd_pg},
        {"sshtunnel: an unknown host key stops with its SHA256 fingerprint", test_unknown_host_key,
         need_sshd},
        {"sshtunnel: a changed host key is refused loudly", test_changed_host_key, need_sshd},
        {"sshtunnel: a key the server refuses, a key file that is not there",
         test_refused_key_and_missing_key, need_sshd},
        {"sshtunnel: the ssh-agent's key", test_agent_key, need_agent},
        {"sshtunnel: nothing listening at the bastion's port", test_nothing_listening, NULL},
        {"sshtunnel: commands over a session: output, errors, status, bounds, a deadline",
         test_exec, need_sshd},
        {"sshtunnel: an accepted host key is appended to known_hosts, the rest kept",
         test_accept_host_key, need_sshd},
    };
    int rc = tap_run(cases, ARRAY_LEN(cases));
    svc_stop(&pg);
    svc_stop(&sshd);
    loop_free(L);
    return rc;
}
