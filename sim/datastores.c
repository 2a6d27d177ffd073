/* sim/datastores.c: the scenario's real PostgreSQL and Redis (see
 * datastores.h). The keeper half (keeper_main and what it calls) runs in the
 * forked child and talks to dify-sim through two pipes: it reads nothing from
 * the control pipe but waits for its end of file, and writes one line per
 * event on the report pipe ("redis PORT", "pg PORT", "ready", "error TEXT").
 * A thread in dify-sim reads the reports into the state below. */
#include "config.h"

#include "sim/datastores.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <hiredis/hiredis.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "core/error.h"
#include "core/log.h"
#include "core/util.h"
#include "sim/store.h"

struct ds_user {
    char *name;
    char *password;
    bool createdb;
};

struct ds_db {
    char *name;
    char *owner;
};

/* The configuration, read from the scenario before the fork, so the keeper
 * has its own copy. */
static struct {
    bool pg, redis;
    char **pg_hosts, **redis_hosts;
    size_t n_pg_hosts, n_redis_hosts;
    int pg_port, redis_port; /* the ports the names answer on (5432, 6379) */
    char *pg_superpassword;  /* the "postgres" role's password */
    struct ds_user *users;   /* roles created at start */
    size_t n_users;
    struct ds_db *dbs; /* databases created at start */
    size_t n_dbs;
    char *redis_password; /* requirepass, or NULL */
} g_cfg;

/* dify-sim's view of the keeper. */
enum ds_state { DS_STARTING, DS_READY, DS_FAILED };
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static enum ds_state g_state = DS_STARTING;
static char g_msg[512];
static int g_pg_real, g_redis_real; /* 127.0.0.1 ports */
static int g_refuse_port;           /* a bound, never listening port: connections are refused */
static int g_refuse_fd = -1;
static pid_t g_keeper;
static int g_ctl_fd = -1; /* our end of the control pipe */
static int g_rep_fd = -1; /* our end of the report pipe */
static pthread_t g_reader;
static bool g_reader_started;

/* ---- configuration ---- */

static void free_cfg(void)
{
    for (size_t i = 0; i < g_cfg.n_pg_hosts; i++)
        free(g_cfg.pg_hosts[i]);
    for (size_t i = 0; i < g_cfg.n_redis_hosts; i++)
        free(g_cfg.redis_hosts[i]);
    free(g_cfg.pg_hosts);
    free(g_cfg.redis_hosts);
    for (size_t i = 0; i < g_cfg.n_users; i++) {
        free(g_cfg.users[i].name);
        str_free_secret(g_cfg.users[i].password);
    }
    free(g_cfg.users);
    for (size_t i = 0; i < g_cfg.n_dbs; i++) {
        free(g_cfg.dbs[i].name);
        free(g_cfg.dbs[i].owner);
    }
    free(g_cfg.dbs);
    str_free_secret(g_cfg.pg_superpassword);
    str_free_secret(g_cfg.redis_password);
    memset(&g_cfg, 0, sizeof(g_cfg));
}

/* Copies src into dst[n], cut to fit. */
static void copy_cut(char *dst, size_t n, const char *src)
{
    size_t len = strnlen(src, n - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static int check_keys(const cJSON *o, const char *const *known, size_t n, const char *where,
                      const char *path, struct error *err)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, o)
    {
        bool ok = false;
        for (size_t i = 0; i < n; i++)
            ok = ok || strcmp(k->string, known[i]) == 0;
        if (!ok)
            return error_set(err, ERR_INVALID, 0, "%s: unknown key \"%s\" in %s", path, k->string,
                             where);
    }
    return 0;
}

/* A role or database name the server takes without quoting surprises. */
static bool plain_name(const char *s)
{
    if (str_empty(s) || strlen(s) > 63)
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
            return false;
    return true;
}

static int read_hosts(const cJSON *store, const char *where, const char *path, char ***out,
                      size_t *n, struct error *err)
{
    const cJSON *hosts = cJSON_GetObjectItemCaseSensitive(store, "hosts"), *h;
    if (!cJSON_IsArray(hosts) || cJSON_GetArraySize(hosts) == 0)
        return error_set(err, ERR_INVALID, 0,
                         "%s: %s.hosts needs at least one host name (the names pods use)", path,
                         where);
    cJSON_ArrayForEach(h, hosts)
    {
        if (!cJSON_IsString(h) || str_empty(h->valuestring))
            return error_set(err, ERR_INVALID, 0, "%s: %s.hosts holds a non-string", path, where);
        *out = xrealloc(*out, (*n + 1) * sizeof(char *));
        (*out)[(*n)++] = xstrdup(h->valuestring);
    }
    return 0;
}

static int read_port(const cJSON *store, int dflt, const char *where, const char *path, int *out,
                     struct error *err)
{
    double p = kj_num(store, "port", dflt);
    if (p < 1 || p > 65535 || p != (int)p)
        return error_set(err, ERR_INVALID, 0, "%s: %s.port must be 1-65535", path, where);
    *out = (int)p;
    return 0;
}

static int read_postgres(const cJSON *pg, const char *path, struct error *err)
{
    static const char *const known[] = {"hosts", "port", "superuserPassword", "users", "databases"};
    static const char *const user_keys[] = {"name", "password", "createdb"};
    static const char *const db_keys[] = {"name", "owner"};
    if (check_keys(pg, known, ARRAY_LEN(known), "dataStores.postgres", path, err) < 0 ||
        read_hosts(pg, "dataStores.postgres", path, &g_cfg.pg_hosts, &g_cfg.n_pg_hosts, err) < 0 ||
        read_port(pg, 5432, "dataStores.postgres", path, &g_cfg.pg_port, err) < 0)
        return -1;
    g_cfg.pg = true;
    if (kj_str(pg, "superuserPassword"))
        g_cfg.pg_superpassword = xstrdup(kj_str(pg, "superuserPassword"));
    const cJSON *u;
    int i = 0;
    cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(pg, "users"))
    {
        char where[64];
        snprintf(where, sizeof(where), "dataStores.postgres.users[%d]", i++);
        if (check_keys(u, user_keys, ARRAY_LEN(user_keys), where, path, err) < 0)
            return -1;
        if (!plain_name(kj_str(u, "name")) || !kj_str(u, "password"))
            return error_set(err, ERR_INVALID, 0,
                             "%s: %s needs a name (letters, digits, _ or -) and a password", path,
                             where);
        g_cfg.users = xrealloc(g_cfg.users, (g_cfg.n_users + 1) * sizeof(*g_cfg.users));
        struct ds_user *du = &g_cfg.users[g_cfg.n_users++];
        du->name = xstrdup(kj_str(u, "name"));
        du->password = xstrdup(kj_str(u, "password"));
        du->createdb = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(u, "createdb"));
    }
    i = 0;
    cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(pg, "databases"))
    {
        char where[64];
        snprintf(where, sizeof(where), "dataStores.postgres.databases[%d]", i++);
        const char *name = cJSON_IsString(u) ? u->valuestring : kj_str(u, "name");
        const char *owner = cJSON_IsString(u) ? NULL : kj_str(u, "owner");
        if (cJSON_IsObject(u) && check_keys(u, db_keys, ARRAY_LEN(db_keys), where, path, err) < 0)
            return -1;
        if (!plain_name(name) || (owner && !plain_name(owner)))
            return error_set(
                err, ERR_INVALID, 0,
                "%s: %s is a database name, or {name, owner} (letters, digits, _ or -)", path,
                where);
        if (!owner)
            owner = g_cfg.n_users ? g_cfg.users[0].name : "postgres";
        g_cfg.dbs = xrealloc(g_cfg.dbs, (g_cfg.n_dbs + 1) * sizeof(*g_cfg.dbs));
        g_cfg.dbs[g_cfg.n_dbs].name = xstrdup(name);
        g_cfg.dbs[g_cfg.n_dbs++].owner = xstrdup(owner);
    }
    return 0;
}

int datastores_configure(const cJSON *spec, const char *path, struct error *err)
{
    static const char *const known[] = {"postgres", "redis"};
    static const char *const redis_keys[] = {"hosts", "port", "password"};
    free_cfg();
    if (!spec)
        return 0;
    if (!cJSON_IsObject(spec))
        return error_set(err, ERR_INVALID, 0,
                         "%s: dataStores is a mapping with postgres and/or redis", path);
    if (check_keys(spec, known, ARRAY_LEN(known), "dataStores", path, err) < 0)
        goto fail;
    const cJSON *pg = cJSON_GetObjectItemCaseSensitive(spec, "postgres");
    if (pg && read_postgres(pg, path, err) < 0)
        goto fail;
    const cJSON *rd = cJSON_GetObjectItemCaseSensitive(spec, "redis");
    if (rd) {
        if (check_keys(rd, redis_keys, ARRAY_LEN(redis_keys), "dataStores.redis", path, err) < 0 ||
            read_hosts(rd, "dataStores.redis", path, &g_cfg.redis_hosts, &g_cfg.n_redis_hosts,
                       err) < 0 ||
            read_port(rd, 6379, "dataStores.redis", path, &g_cfg.redis_port, err) < 0)
            goto fail;
        g_cfg.redis = true;
        if (!str_empty(kj_str(rd, "password")))
            g_cfg.redis_password = xstrdup(kj_str(rd, "password"));
    }
    return 0;
fail:
    free_cfg();
    return -1;
}

bool datastores_enabled(void)
{
    return g_cfg.pg || g_cfg.redis;
}

/* ---- name resolution, as a pod's resolver would ---- */

/* The names a lookup of host from namespace ns tries: the search path of a
 * pod's resolv.conf ("ns.svc.cluster.local svc.cluster.local cluster.local",
 * ndots 5) and then the name itself. */
static bool name_matches(const char *host, const char *ns, const char *entry)
{
    if (strcasecmp(host, entry) == 0)
        return true;
    /* canonical forms of the entry: itself, and as a service reference */
    char *forms[3];
    forms[0] = xstrdup(entry);
    forms[1] = str_ends_with(entry, ".svc") ? xasprintf("%s.cluster.local", entry)
                                            : xasprintf("%s.svc.cluster.local", entry);
    forms[2] = xasprintf("%s.cluster.local", entry);
    char *tries[3] = {xasprintf("%s.%s.svc.cluster.local", host, ns ? ns : "default"),
                      xasprintf("%s.svc.cluster.local", host), xasprintf("%s.cluster.local", host)};
    bool hit = false;
    for (int i = 0; i < 3 && !hit; i++)
        for (int j = 0; j < 3 && !hit; j++)
            hit = strcasecmp(tries[i], forms[j]) == 0;
    for (int i = 0; i < 3; i++) {
        free(forms[i]);
        free(tries[i]);
    }
    return hit;
}

static bool in_list(char **list, size_t n, const char *host, const char *ns)
{
    for (size_t i = 0; i < n; i++)
        if (name_matches(host, ns, list[i]))
            return true;
    return false;
}

enum ds_kind datastores_route(const char *host, int port, const char *ns, int *real_port)
{
    *real_port = g_refuse_port;
    if (str_empty(host))
        return DS_NONE;
    bool pg = g_cfg.pg && in_list(g_cfg.pg_hosts, g_cfg.n_pg_hosts, host, ns);
    bool rd = g_cfg.redis && in_list(g_cfg.redis_hosts, g_cfg.n_redis_hosts, host, ns);
    /* the pod itself, or an address: no lookup, and nothing listens there */
    struct in6_addr a6;
    bool literal = strcasecmp(host, "localhost") == 0 || inet_pton(AF_INET, host, &a6) == 1 ||
                   inet_pton(AF_INET6, host, &a6) == 1;
    pthread_mutex_lock(&g_lock);
    enum ds_kind k = DS_NONE;
    if (pg && port == g_cfg.pg_port) {
        k = DS_POSTGRES;
        *real_port = g_pg_real ? g_pg_real : g_refuse_port;
    } else if (rd && port == g_cfg.redis_port) {
        k = DS_REDIS;
        *real_port = g_redis_real ? g_redis_real : g_refuse_port;
    } else if (pg || rd || literal) {
        k = DS_REFUSED;
    }
    pthread_mutex_unlock(&g_lock);
    return k;
}

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

static char *admin_conninfo(int port, const char *dbname)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "host=127.0.0.1 port=%d user=postgres connect_timeout=5 dbname=", port);
    conninfo_quote(&sb, dbname ? dbname : "postgres");
    strbuf_adds(&sb, " password=");
    conninfo_quote(&sb, g_cfg.pg_superpassword);
    return strbuf_detach(&sb, NULL);
}

char *datastores_pg_admin_conninfo(const char *dbname)
{
    if (!g_cfg.pg)
        return NULL;
    pthread_mutex_lock(&g_lock);
    int port = g_pg_real;
    pthread_mutex_unlock(&g_lock);
    return port ? admin_conninfo(port, dbname) : NULL;
}

/* ---- the keeper (runs in the child) ---- */

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

static char *random_password(void)
{
    unsigned char b[18];
    RAND_bytes(b, sizeof(b));
    char *s = xmalloc(2 * sizeof(b) + 1);
    for (size_t i = 0; i < sizeof(b); i++)
        snprintf(s + 2 * i, 3, "%02x", b[i]);
    return s;
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
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        prctl(PR_SET_PDEATHSIG, s->deathsig);
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
            copy_cut(out, n, line);
        }
    fclose(f);
}

static bool wait_exit(pid_t pid, long ms, int *status)
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
    if (g_cfg.redis_password) {
        /* a quoted argument of redis.conf: \" and \\ escaped */
        strbuf_adds(&conf, "requirepass \"");
        for (const char *p = g_cfg.redis_password; *p; p++) {
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
    char *ci = admin_conninfo(port, "postgres");
    PGconn *c = PQconnectdb(ci);
    str_free_secret(ci);
    int rc = -1;
    if (PQstatus(c) != CONNECTION_OK) {
        report("error PostgreSQL: %s", PQerrorMessage(c));
        goto out;
    }
    for (size_t i = 0; i < g_cfg.n_users; i++) {
        struct ds_user *u = &g_cfg.users[i];
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
    for (size_t i = 0; i < g_cfg.n_dbs; i++) {
        char *sql =
            xasprintf("CREATE DATABASE \"%s\" OWNER \"%s\"", g_cfg.dbs[i].name, g_cfg.dbs[i].owner);
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
    if (fd < 0 || write(fd, g_cfg.pg_superpassword, strlen(g_cfg.pg_superpassword)) < 0 ||
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
    if (pid < 0 || !wait_exit(pid, 60000, &st) || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        char line[256];
        last_line(log, line, sizeof(line));
        report("error initdb failed: %s", line[0] ? line : "no output");
        goto out;
    }
    unlink(pwfile);
    port = free_port();
    char portarg[16];
    snprintf(portarg, sizeof(portarg), "%d", port);
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
    snprintf(ping, sizeof(ping), "host=127.0.0.1 port=%d dbname=postgres connect_timeout=2", port);
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
    if (g_pg_pid > 0 && !wait_exit(g_pg_pid, 8000, &st)) {
        kill(g_pg_pid, SIGQUIT);
        if (!wait_exit(g_pg_pid, 2000, &st))
            kill(g_pg_pid, SIGKILL), wait_exit(g_pg_pid, 2000, &st);
    }
    if (g_redis_pid > 0 && !wait_exit(g_redis_pid, 5000, &st))
        kill(g_redis_pid, SIGKILL), wait_exit(g_redis_pid, 2000, &st);
    /* anything else left in the group (postgres backends whose postmaster
     * was killed) */
    signal(SIGTERM, SIG_IGN);
    kill(0, SIGTERM);
    if (g_dir[0])
        nftw(g_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void keeper_main(int ctl, int rep)
{
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
    if (!g_cfg.pg_superpassword)
        g_cfg.pg_superpassword = random_password();
    bool ok = true;
    if (g_cfg.redis) {
        int port = start_redis();
        ok = port > 0;
        if (ok)
            report("redis %d", port);
    }
    if (ok && g_cfg.pg) {
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

/* ---- dify-sim's side ---- */

static void set_state(enum ds_state st, const char *msg)
{
    pthread_mutex_lock(&g_lock);
    g_state = st;
    if (msg)
        copy_cut(g_msg, sizeof(g_msg), msg);
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
}

static void *reader_main(void *arg)
{
    (void)arg;
    FILE *f = fdopen(g_rep_fd, "r");
    char line[700];
    while (f && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "pg ", 3) == 0) {
            pthread_mutex_lock(&g_lock);
            g_pg_real = atoi(line + 3);
            pthread_mutex_unlock(&g_lock);
            log_info("dify-sim: PostgreSQL listens on 127.0.0.1:%s", line + 3);
        } else if (strncmp(line, "redis ", 6) == 0) {
            pthread_mutex_lock(&g_lock);
            g_redis_real = atoi(line + 6);
            pthread_mutex_unlock(&g_lock);
            log_info("dify-sim: Redis listens on 127.0.0.1:%s", line + 6);
        } else if (strcmp(line, "ready") == 0) {
            set_state(DS_READY, NULL);
        } else if (strncmp(line, "error ", 6) == 0) {
            log_error("dify-sim: data stores: %s", line + 6);
            pthread_mutex_lock(&g_lock);
            bool first = g_state == DS_STARTING;
            pthread_mutex_unlock(&g_lock);
            if (first)
                set_state(DS_FAILED, line + 6);
            else
                log_error("dify-sim: a data store went away: %s", line + 6);
        }
    }
    if (f)
        fclose(f);
    pthread_mutex_lock(&g_lock);
    if (g_state == DS_STARTING) {
        g_state = DS_FAILED;
        snprintf(g_msg, sizeof(g_msg), "the data store keeper exited");
    }
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_lock);
    return NULL;
}

static int make_refuse_port(void)
{
    g_refuse_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    if (g_refuse_fd < 0 || bind(g_refuse_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        getsockname(g_refuse_fd, (struct sockaddr *)&sa, &len) < 0)
        return -1;
    g_refuse_port = ntohs(sa.sin_port); /* bound, never listening: connects are refused */
    return 0;
}

int datastores_start(struct error *err)
{
    if (!datastores_enabled())
        return 0;
    if (make_refuse_port() < 0)
        return error_set(err, ERR_IO, errno, "data stores: cannot bind a loopback port: %s",
                         strerror(errno));
    int ctl[2], rep[2];
    if (pipe2(ctl, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0)
        return error_set(err, ERR_IO, errno, "data stores: pipe: %s", strerror(errno));
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return error_set(err, ERR_IO, errno, "data stores: fork: %s", strerror(errno));
    if (pid == 0) {
        setpgid(0, 0); /* a terminal's ^C reaches dify-sim, which stops us in order */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(0);
        close(ctl[1]);
        close(rep[0]);
        if (g_refuse_fd >= 0)
            close(g_refuse_fd);
        keeper_main(ctl[0], rep[1]);
        _exit(0);
    }
    setpgid(pid, pid);
    close(ctl[0]);
    close(rep[1]);
    g_keeper = pid;
    g_ctl_fd = ctl[1];
    g_rep_fd = rep[0];
    if (pthread_create(&g_reader, NULL, reader_main, NULL) == 0)
        g_reader_started = true;
    return 0;
}

void datastores_stop(void)
{
    if (g_keeper <= 0)
        return;
    close(g_ctl_fd); /* the keeper sees end of file and stops the stores */
    g_ctl_fd = -1;
    int st;
    if (!wait_exit(g_keeper, 15000, &st)) {
        kill(-g_keeper, SIGKILL);
        wait_exit(g_keeper, 2000, &st);
    }
    g_keeper = 0;
    if (g_reader_started)
        pthread_join(g_reader, NULL);
    g_reader_started = false;
}

int datastores_wait(long timeout_ms, char *msg, size_t msg_len)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L)
        until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&g_lock);
    while (g_state == DS_STARTING)
        if (pthread_cond_timedwait(&g_cond, &g_lock, &until) != 0)
            break;
    int rc = g_state == DS_READY ? 0 : -1;
    if (rc < 0 && msg)
        snprintf(msg, msg_len, "%s",
                 g_state == DS_STARTING ? "the data stores are still starting" : g_msg);
    pthread_mutex_unlock(&g_lock);
    return rc;
}
