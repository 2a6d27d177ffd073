/* sim/datastores_keeper.c: the keeper process (see datastores_keeper.h and
 * datastores.h): redis-server and PostgreSQL (initdb, then postgres with
 * SSL on a fresh self-signed certificate) as its children on 127.0.0.1,
 * the scenario's roles and databases, and their stop. */
#include "config.h"

#include "sim/datastores_keeper.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <hiredis/hiredis.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/util.h"
#include "sim/tls.h"

static struct ds_config *g_cfg;

/* A conninfo value in single quotes, with ' and \ escaped (libpq's rules). */
static void conninfo_quote(struct strbuf *sb, const char *v)
{
    strbuf_addc(sb, '\'');
    for (const char *p = v ? v : ""; *p; p++) {
        if (*p == '\'' || *p == '\\')
            strbuf_addc(sb, '\\');
        strbuf_addc(sb, *p);
    }
    strbuf_addc(sb, '\'');
}

char *ds_admin_conninfo(const struct ds_config *cfg, int port, const char *dbname)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(
        &sb,
        "host=127.0.0.1 port=%d user=postgres connect_timeout=5 gssencmode=disable dbname=", port);
    conninfo_quote(&sb, dbname ? dbname : "postgres");
    strbuf_adds(&sb, " password=");
    conninfo_quote(&sb, cfg->pg_superpassword);
    return strbuf_detach(&sb, NULL);
}

static char g_dir[256]; /* the temporary directory */
static pid_t g_pg_pid, g_redis_pid;
static int g_report = -1; /* report pipe, write end */

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    for (int i = 0; i < n; i++)
        if (line[i] == '\n')
            line[i] = ' ';
    line[n++] = '\n';
    ssize_t w = write(g_report, line, (size_t)n);
    (void)w;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* The directory holding initdb and postgres: DIFY_SIM_PG_BIN, Debian's
 * /usr/lib/postgresql/VERSION/bin (newest first), or the PATH. */
static char *pg_bindir(void)
{
    const char *env = getenv("DIFY_SIM_PG_BIN");
    if (!str_empty(env))
        return xstrdup(env);
    for (int v = 18; v >= 12; v--) {
        char *d = xasprintf("/usr/lib/postgresql/%d/bin/initdb", v);
        if (access(d, X_OK) == 0) {
            d[strlen(d) - strlen("/initdb")] = '\0';
            return d;
        }
        free(d);
    }
    return NULL;
}

struct spawn {
    const char *const *argv;
    const char *log;   /* stdout and stderr go here */
    const char *input; /* written to stdin, then closed (NULL: /dev/null) */
    uid_t uid;         /* run as (when we are root) */
    gid_t gid;
    int deathsig; /* sent when the keeper dies */
};

static pid_t spawn(const struct spawn *s)
{
    int in[2] = {-1, -1};
    if (s->input && pipe2(in, O_CLOEXEC) < 0)
        return -1;
    pid_t keeper = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        int fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            if (geteuid() == 0 && fchown(fd, s->uid, s->gid) < 0)
                _exit(126);
            dup2(fd, 1);
            dup2(fd, 2);
        }
        if (s->input)
            dup2(in[0], 0);
        else {
            int nul = open("/dev/null", O_RDONLY);
            dup2(nul, 0);
        }
        if (geteuid() == 0 && (setgid(s->gid) < 0 || setuid(s->uid) < 0))
            _exit(126);
        /* after setuid, which clears the parent-death signal (prctl(2)); and
         * the keeper may have died in between */
        prctl(PR_SET_PDEATHSIG, s->deathsig);
        if (getppid() != keeper)
            _exit(0);
        execv(s->argv[0], (char *const *)s->argv);
        _exit(127);
    }
    if (s->input) {
        close(in[0]);
        size_t len = strlen(s->input), off = 0;
        while (off < len) {
            ssize_t w = write(in[1], s->input + off, len - off);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        close(in[1]);
    }
    return pid;
}

/* The last line of a log file, for an error report. */
static void last_line(const char *path, char *out, size_t n)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof(line), f))
        if (line[0] != '\n') {
            line[strcspn(line, "\n")] = '\0';
            snprintf(out, n, "%.*s", (int)(n - 1), line);
        }
    fclose(f);
}

bool ds_wait_exit(pid_t pid, long ms, int *status)
{
    for (long t = 0; t <= ms; t += 20) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            return true;
        if (r < 0)
            return true;
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return false;
}

static int start_redis(void)
{
    int port = free_port();
    struct strbuf conf;
    strbuf_init(&conf);
    strbuf_addf(&conf,
                "port %d\nbind 127.0.0.1\nsave \"\"\nappendonly no\ndir %s\n"
                "daemonize no\nlogfile \"\"\n",
                port, g_dir);
    if (g_cfg->redis_password) {
        /* a quoted argument of redis.conf: \" and \\ escaped */
        strbuf_adds(&conf, "requirepass \"");
        for (const char *p = g_cfg->redis_password; *p; p++) {
            if (*p == '"' || *p == '\\')
                strbuf_addc(&conf, '\\');
            strbuf_addc(&conf, *p);
        }
        strbuf_adds(&conf, "\"\n");
    }
    const char *argv[] = {"/usr/bin/redis-server", "-", NULL};
    const char *bin = getenv("DIFY_SIM_REDIS_SERVER");
    if (!str_empty(bin))
        argv[0] = bin;
    char *log = xasprintf("%s/redis.log", g_dir);
    struct spawn s = {
        .argv = argv, .log = log, .input = conf.buf, .uid = 0, .gid = 0, .deathsig = SIGTERM};
    g_redis_pid = spawn(&s);
    memset(conf.buf, 0, conf.len);
    strbuf_done(&conf);
    int rc = -1;
    for (int i = 0; i < 250 && g_redis_pid > 0; i++) {
        struct timeval tv = {1, 0};
        redisContext *c = redisConnectWithTimeout("127.0.0.1", port, tv);
        if (c && !c->err) {
            redisReply *r = redisCommand(c, "PING");
            bool up = r && (r->type == REDIS_REPLY_STATUS ||
                            (r->type == REDIS_REPLY_ERROR && strstr(r->str, "NOAUTH")));
            if (r)
                freeReplyObject(r);
            redisFree(c);
            if (up) {
                rc = port;
                break;
            }
        } else if (c) {
            redisFree(c);
        }
        int st;
        if (waitpid(g_redis_pid, &st, WNOHANG) == g_redis_pid) {
            g_redis_pid = 0;
            break;
        }
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (rc < 0) {
        char line[256];
        last_line(log, line, sizeof(line));
        report("error redis-server did not start: %s", line[0] ? line : "no output");
    }
    free(log);
    return rc;
}

/* Runs SQL as the superuser; returns 0 or reports the server's error. */
static int admin_sql(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc < 0)
        report("error PostgreSQL set-up failed: %s", PQresultErrorMessage(r));
    PQclear(r);
    return rc;
}

static int create_roles_and_dbs(int port)
{
    char *ci = ds_admin_conninfo(g_cfg, port, "postgres");
    PGconn *c = PQconnectdb(ci);
    str_free_secret(ci);
    int rc = -1;
    if (PQstatus(c) != CONNECTION_OK) {
        report("error PostgreSQL: %s", PQerrorMessage(c));
        goto out;
    }
    for (size_t i = 0; i < g_cfg->n_users; i++) {
        struct ds_user *u = &g_cfg->users[i];
        char *pw = PQescapeLiteral(c, u->password, strlen(u->password));
        char *sql = strcmp(u->name, "postgres") == 0
                        ? xasprintf("ALTER ROLE postgres PASSWORD %s", pw)
                        : xasprintf("CREATE ROLE \"%s\" LOGIN PASSWORD %s%s", u->name, pw,
                                    u->createdb ? " CREATEDB" : "");
        PQfreemem(pw);
        int r = admin_sql(c, sql);
        str_free_secret(sql);
        if (r < 0)
            goto out;
    }
    for (size_t i = 0; i < g_cfg->n_dbs; i++) {
        char *sql = xasprintf("CREATE DATABASE \"%s\" OWNER \"%s\"", g_cfg->dbs[i].name,
                              g_cfg->dbs[i].owner);
        int r = admin_sql(c, sql);
        free(sql);
        if (r < 0)
            goto out;
    }
    rc = 0;
out:
    PQfinish(c);
    return rc;
}

/* server.crt and server.key in the data directory (postgres wants the key
 * owned by it and 0600). */
static int write_file_as(const char *path, const char *text, uid_t uid, gid_t gid)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    bool ok = write(fd, text, len) == (ssize_t)len && (geteuid() != 0 || fchown(fd, uid, gid) == 0);
    close(fd);
    return ok ? 0 : -1;
}

static int write_ssl_files(const char *data, uid_t uid, gid_t gid)
{
    char *cert = NULL, *key = NULL;
    struct error err;
    if (tls_self_signed(&cert, &key, &err) < 0)
        return -1;
    char *cp = xasprintf("%s/server.crt", data), *kp = xasprintf("%s/server.key", data);
    int rc =
        write_file_as(cp, cert, uid, gid) == 0 && write_file_as(kp, key, uid, gid) == 0 ? 0 : -1;
    free(cp);
    free(kp);
    free(cert);
    str_free_secret(key);
    return rc;
}

static int start_postgres(uid_t uid, gid_t gid)
{
    char *bindir = pg_bindir();
    if (!bindir) {
        report("error PostgreSQL server binaries not found (install postgresql, or set "
               "DIFY_SIM_PG_BIN)");
        return -1;
    }
    char *data = xasprintf("%s/pg", g_dir), *pwfile = xasprintf("%s/pw", g_dir);
    char *initdb = xasprintf("%s/initdb", bindir), *postgres = xasprintf("%s/postgres", bindir);
    char *log = xasprintf("%s/postgres.log", g_dir);
    char *pwarg = xasprintf("--pwfile=%s", pwfile);
    int rc = -1, port = -1;
    if (mkdir(data, 0700) < 0 || (geteuid() == 0 && chown(data, uid, gid) < 0)) {
        report("error cannot make %s: %s", data, strerror(errno));
        goto out;
    }
    int fd = open(pwfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, g_cfg->pg_superpassword, strlen(g_cfg->pg_superpassword)) < 0 ||
        (geteuid() == 0 && fchown(fd, uid, gid) < 0)) {
        report("error cannot write the password file: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        goto out;
    }
    close(fd);
    const char *iargv[] = {initdb,
                           "-D",
                           data,
                           "-U",
                           "postgres",
                           pwarg,
                           "-A",
                           "scram-sha-256",
                           "-E",
                           "UTF8",
                           "--locale=C",
                           "--no-sync",
                           "--no-instructions",
                           NULL};
    struct spawn s = {.argv = iargv, .log = log, .uid = uid, .gid = gid, .deathsig = SIGKILL};
    pid_t pid = spawn(&s);
    int st = 0;
    if (pid < 0 || !ds_wait_exit(pid, 60000, &st) || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        char line[256];
        last_line(log, line, sizeof(line));
        report("error initdb failed: %s", line[0] ? line : "no output");
        goto out;
    }
    unlink(pwfile);
    port = free_port();
    char portarg[16];
    snprintf(portarg, sizeof(portarg), "%d", port);
    /* SSL on a fresh self-signed certificate: clients that require it
     * (the plugin daemon's DB_SSL_MODE=require) connect as to RDS */
    const char *ssl = write_ssl_files(data, uid, gid) == 0 ? "ssl=on" : "ssl=off";
    const char *pargv[] = {postgres,
                           "-D",
                           data,
                           "-p",
                           portarg,
                           "-k",
                           data,
                           "-c",
                           "listen_addresses=127.0.0.1",
                           "-c",
                           ssl,
                           "-c",
                           "fsync=off",
                           "-c",
                           "full_page_writes=off",
                           "-c",
                           "synchronous_commit=off",
                           "-c",
                           "max_connections=200",
                           "-c",
                           "shared_buffers=16MB",
                           NULL};
    struct spawn p = {.argv = pargv, .log = log, .uid = uid, .gid = gid, .deathsig = SIGQUIT};
    g_pg_pid = spawn(&p);
    char ping[128];
    snprintf(ping, sizeof(ping),
             "host=127.0.0.1 port=%d dbname=postgres connect_timeout=2 gssencmode=disable", port);
    for (int i = 0; i < 1500 && g_pg_pid > 0; i++) {
        if (PQping(ping) == PQPING_OK)
            break;
        if (waitpid(g_pg_pid, &st, WNOHANG) == g_pg_pid) {
            g_pg_pid = 0;
            break;
        }
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (g_pg_pid <= 0 || PQping(ping) != PQPING_OK) {
        char line[256];
        last_line(log, line, sizeof(line));
        report("error postgres did not start: %s", line[0] ? line : "no output");
        goto out;
    }
    if (create_roles_and_dbs(port) < 0)
        goto out;
    rc = port;
out:
    free(bindir);
    free(data);
    free(pwfile);
    free(initdb);
    free(postgres);
    free(log);
    free(pwarg);
    return rc;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void keeper_cleanup(void)
{
    if (g_pg_pid > 0)
        kill(g_pg_pid, SIGINT); /* fast shutdown */
    if (g_redis_pid > 0)
        kill(g_redis_pid, SIGTERM);
    int st;
    if (g_pg_pid > 0 && !ds_wait_exit(g_pg_pid, 8000, &st)) {
        kill(g_pg_pid, SIGQUIT);
        if (!ds_wait_exit(g_pg_pid, 2000, &st))
            kill(g_pg_pid, SIGKILL), ds_wait_exit(g_pg_pid, 2000, &st);
    }
    if (g_redis_pid > 0 && !ds_wait_exit(g_redis_pid, 5000, &st))
        kill(g_redis_pid, SIGKILL), ds_wait_exit(g_redis_pid, 2000, &st);
    /* anything else left in the group (postgres backends whose postmaster
     * was killed) */
    signal(SIGTERM, SIG_IGN);
    kill(0, SIGTERM);
    if (g_dir[0])
        nftw(g_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void ds_keeper_main(struct ds_config *cfg, int ctl, int rep)
{
    g_cfg = cfg;
    g_report = rep;
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    int sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
    const char *tmp = getenv("TMPDIR");
    snprintf(g_dir, sizeof(g_dir), "%s/dify-sim-stores.XXXXXX", str_empty(tmp) ? "/tmp" : tmp);
    if (!mkdtemp(g_dir)) {
        report("error cannot make a temporary directory: %s", strerror(errno));
        g_dir[0] = '\0';
        goto wait;
    }
    uid_t uid = 0;
    gid_t gid = 0;
    if (geteuid() == 0) {
        /* initdb and postgres refuse to run as root */
        struct passwd *pw = getpwnam("postgres");
        if (!pw)
            pw = getpwnam("nobody");
        if (pw)
            uid = pw->pw_uid, gid = pw->pw_gid;
        if (chmod(g_dir, 0711) < 0)
            report("error chmod %s: %s", g_dir, strerror(errno));
    }
    bool ok = true;
    if (g_cfg->redis) {
        int port = start_redis();
        ok = port > 0;
        if (ok)
            report("redis %d", port);
    }
    if (ok && g_cfg->pg) {
        int port = start_postgres(uid, gid);
        ok = port > 0;
        if (ok)
            report("pg %d", port);
    }
    if (ok)
        report("ready");
wait:
    for (;;) {
        struct pollfd fds[2] = {{ctl, POLLIN, 0}, {sfd, POLLIN, 0}};
        int n = poll(fds, 2, 1000);
        if (n < 0 && errno != EINTR)
            break;
        if (fds[0].revents || fds[1].revents)
            break; /* end of file (dify-sim closed or died) or a signal */
        int st;
        if (g_pg_pid > 0 && waitpid(g_pg_pid, &st, WNOHANG) == g_pg_pid) {
            g_pg_pid = 0;
            report("error postgres exited (see its log in %s)", g_dir);
        }
        if (g_redis_pid > 0 && waitpid(g_redis_pid, &st, WNOHANG) == g_redis_pid) {
            g_redis_pid = 0;
            report("error redis-server exited");
        }
    }
    keeper_cleanup();
}
