/* sim/datastores.c: the scenario's real PostgreSQL and Redis (see
 * datastores.h). The keeper half (keeper_main and what it calls) runs in the
 * forked child and talks to dify-sim through two pipes: it reads nothing from
 * the control pipe but waits for its end of file, and writes one line per
 * event on the report pipe ("redis PORT", "pg PORT", "ready", "error TEXT").
 * A thread in dify-sim reads the reports into the state below. */
#include "config.h"

#include "sim/datastores.h"
#include "sim/datastores_keeper.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "core/error.h"
#include "core/log.h"
#include "core/util.h"
#include "sim/store.h"

static struct ds_config g_cfg; /* read before the fork: the keeper has a copy */

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

static char *random_password(void)
{
    unsigned char b[18];
    RAND_bytes(b, sizeof(b));
    char *s = xmalloc(2 * sizeof(b) + 1);
    for (size_t i = 0; i < sizeof(b); i++)
        snprintf(s + 2 * i, 3, "%02x", b[i]);
    return s;
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
    if (g_cfg.pg && !g_cfg.pg_superpassword)
        g_cfg.pg_superpassword = random_password();
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
        ds_keeper_main(&g_cfg, ctl[0], rep[1]);
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
    if (!ds_wait_exit(g_keeper, 15000, &st)) {
        kill(-g_keeper, SIGKILL);
        ds_wait_exit(g_keeper, 2000, &st);
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
