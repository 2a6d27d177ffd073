/* core/redischeck.c: area 5, Redis, through hiredis's asynchronous API on
 * the program's loop (an adapter like hiredis's own adapters/ae.h): the
 * server answers and takes the password (AUTH, PING), its memory and
 * eviction policy suit a Celery broker, and it is the kind of server the
 * configuration expects (not a sentinel or a cluster node, not a replica).
 *
 * Replies are copied out of hiredis before anything is decided, and the
 * context is freed only outside hiredis's callbacks (the check's stop runs
 * on a later loop turn). */
#include "config.h"

#include <hiredis/async.h>
#include <stdarg.h>
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checks_impl.h"
#include "core/checks_resolve.h"
#include "core/checks_stores.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"

#define DOC "docs/diagnose.md#"
#define RS_MAX_CMDS 4

/* ---- hiredis on core/loop ---- */

struct rs_events {
    redisAsyncContext *ac;
    struct loop *loop;
    int fd;
    int mask;
};

static void rs_io(struct loop *l, int fd, int events, void *arg)
{
    struct rs_events *e = arg;
    /* One direction per call: handling a read may free the context. */
    if ((events & LOOP_READ) && (e->mask & LOOP_READ))
        redisAsyncHandleRead(e->ac);
    else if (events & LOOP_WRITE)
        redisAsyncHandleWrite(e->ac);
}

static void rs_set(struct rs_events *e, int mask)
{
    e->mask = mask;
    loop_add_fd(e->loop, e->fd, mask, rs_io, e);
}

static void rs_add_read(void *p)
{
    struct rs_events *e = p;
    rs_set(e, e->mask | LOOP_READ);
}

static void rs_del_read(void *p)
{
    struct rs_events *e = p;
    rs_set(e, e->mask & ~LOOP_READ);
}

static void rs_add_write(void *p)
{
    struct rs_events *e = p;
    rs_set(e, e->mask | LOOP_WRITE);
}

static void rs_del_write(void *p)
{
    struct rs_events *e = p;
    rs_set(e, e->mask & ~LOOP_WRITE);
}

static void rs_cleanup(void *p)
{
    struct rs_events *e = p;
    loop_del_fd(e->loop, e->fd);
    free(e);
}

static void rs_attach(struct loop *l, redisAsyncContext *ac)
{
    struct rs_events *e = xcalloc(1, sizeof(*e));
    e->ac = ac;
    e->loop = l;
    e->fd = ac->c.fd;
    ac->ev.data = e;
    ac->ev.addRead = rs_add_read;
    ac->ev.delRead = rs_del_read;
    ac->ev.addWrite = rs_add_write;
    ac->ev.delWrite = rs_del_write;
    ac->ev.cleanup = rs_cleanup;
    loop_add_fd(l, e->fd, 0, rs_io, e);
}

/* ---- a session: resolve, connect, AUTH, commands ---- */

enum rs_fail { RS_OK, RS_DNS, RS_CONNECT, RS_AUTH, RS_NOAUTH, RS_NOPASS, RS_ERROR, RS_LOST };

struct rs_reply {
    int type; /* REDIS_REPLY_* */
    char *str;
    long long integer;
};

struct rs_session;
typedef void (*rs_done_cb)(struct rs_session *s, enum rs_fail f, const char *msg);

struct rs_session {
    struct check *c;
    struct store_target t;
    struct resolve *res;
    redisAsyncContext *ac;
    bool freeing;
    bool finished;
    const char *cmds[RS_MAX_CMDS];
    size_t ncmds;
    struct rs_reply replies[RS_MAX_CMDS];
    size_t nreplies;
    bool authed;
    char addr[64];
    rs_done_cb done;
};

static void rs_finish(struct rs_session *s, enum rs_fail f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void rs_finish(struct rs_session *s, enum rs_fail f, const char *fmt, ...)
{
    if (s->finished || s->freeing)
        return;
    s->finished = true;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    s->done(s, f, msg);
}

static bool is_error(const redisReply *r)
{
    return r && r->type == REDIS_REPLY_ERROR;
}

static void rs_next(struct rs_session *s);

static void rs_on_reply(redisAsyncContext *ac, void *reply, void *priv)
{
    struct rs_session *s = priv;
    if (s->freeing || s->finished)
        return;
    redisReply *r = reply;
    if (!r) {
        rs_finish(s, RS_LOST, "the connection closed: %s", ac->errstr[0] ? ac->errstr : "no reply");
        return;
    }
    if (!s->authed) {
        s->authed = true;
        if (is_error(r)) {
            const char *m = r->str ? r->str : "";
            /* Redis 6+: "ERR AUTH <password> called without any password
             * configured for the default user"; before: "ERR Client sent
             * AUTH, but no password is set". */
            if (strstr(m, "without any password") || strstr(m, "no password is set"))
                rs_finish(s, RS_NOPASS, "%s", m);
            else
                rs_finish(s, RS_AUTH, "%s", m);
            return;
        }
        rs_next(s);
        return;
    }
    struct rs_reply *out = &s->replies[s->nreplies++];
    out->type = r->type;
    out->integer = r->integer;
    out->str = r->str ? xstrndup(r->str, r->len) : NULL;
    if (is_error(r) && r->str && str_starts_with(r->str, "NOAUTH")) {
        rs_finish(s, RS_NOAUTH, "%s", r->str);
        return;
    }
    if (is_error(r)) {
        rs_finish(s, RS_ERROR, "%s: %s", s->cmds[s->nreplies - 1], r->str ? r->str : "error");
        return;
    }
    rs_next(s);
}

static void rs_next(struct rs_session *s)
{
    if (s->nreplies == s->ncmds) {
        rs_finish(s, RS_OK, "ok");
        return;
    }
    /* "INFO memory" is two arguments, not one. */
    char buf[64];
    snprintf(buf, sizeof(buf), "%s", s->cmds[s->nreplies]);
    const char *argv[4];
    int argc = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, " ", &save); t && argc < 4; t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    redisAsyncCommandArgv(s->ac, rs_on_reply, s, argc, argv, NULL);
}

static void rs_on_connect(const redisAsyncContext *ac, int status)
{
    struct rs_session *s = ac->data;
    if (status != REDIS_OK) {
        /* hiredis frees the context after this callback. */
        s->ac = NULL;
        rs_finish(s, RS_CONNECT, "%s", ac->errstr);
        return;
    }
    check_waiting(s->c, "Redis at %s:%d to answer", s->addr, store_reach_port(&s->t));
}

static void rs_on_disconnect(const redisAsyncContext *ac, int status)
{
    struct rs_session *s = ac->data;
    s->ac = NULL;
    if (status != REDIS_OK)
        rs_finish(s, RS_LOST, "%s", ac->errstr[0] ? ac->errstr : "the connection closed");
}

static void rs_resolved(const char *host, const char *const *addrs, size_t n, const char *err,
                        void *arg)
{
    struct rs_session *s = arg;
    s->res = NULL;
    if (!n) {
        rs_finish(s, RS_DNS, "%s does not resolve: %s", host, err);
        return;
    }
    snprintf(s->addr, sizeof(s->addr), "%s", addrs[0]);
    check_waiting(s->c, "a TCP connection to Redis at %s:%d", s->addr, store_reach_port(&s->t));
    redisAsyncContext *ac = redisAsyncConnect(s->addr, store_reach_port(&s->t));
    if (!ac) {
        rs_finish(s, RS_CONNECT, "out of memory");
        return;
    }
    if (ac->err) {
        char m[256];
        snprintf(m, sizeof(m), "%s", ac->errstr);
        redisAsyncFree(ac);
        rs_finish(s, RS_CONNECT, "%s", m);
        return;
    }
    s->ac = ac;
    ac->data = s;
    rs_attach(check_env(s->c)->loop, ac);
    redisAsyncSetConnectCallback(ac, rs_on_connect);
    redisAsyncSetDisconnectCallback(ac, rs_on_disconnect);
    if (s->t.password) {
        if (s->t.user[0])
            redisAsyncCommand(ac, rs_on_reply, s, "AUTH %s %s", s->t.user, s->t.password);
        else
            redisAsyncCommand(ac, rs_on_reply, s, "AUTH %s", s->t.password);
    } else {
        s->authed = true;
        rs_next(s);
    }
}

static void rs_free(struct rs_session *s)
{
    if (!s)
        return;
    resolve_cancel(s->res);
    if (s->ac) {
        s->freeing = true;
        redisAsyncFree(s->ac);
    }
    for (size_t i = 0; i < s->nreplies; i++)
        free(s->replies[i].str);
    store_target_done(&s->t);
    free(s);
}

/* The value of "key:" in an INFO reply, or "". */
static void info_field(const char *info, const char *key, char *out, size_t n)
{
    out[0] = '\0';
    size_t kl = strlen(key);
    for (const char *p = info; p && *p;) {
        if (strncmp(p, key, kl) == 0 && p[kl] == ':') {
            size_t len = strcspn(p + kl + 1, "\r\n");
            snprintf(out, n, "%.*s", (int)len, p + kl + 1);
            return;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
}

/* Starts a session for check c, or ends the check (skip) when Redis cannot
 * be reached from here. */
static void rs_start(struct check *c, const char *const *cmds, size_t n, rs_done_cb done)
{
    struct rs_session *s = xcalloc(1, sizeof(*s));
    s->c = c;
    s->done = done;
    check_set_state(c, s);
    char why[512];
    enum store_find f = checks_redis_target(c, &s->t, why, sizeof(why));
    if (f != STORE_FOUND) {
        check_more(c, DOC "reaching-the-data-stores");
        check_skip(c, "%s", why);
        return;
    }
    check_evidence(c, "Redis %s:%d (from %s)%s", s->t.host, s->t.port, s->t.source,
                   s->t.reach_host[0] ? "" : "");
    if (s->t.reach_host[0])
        check_evidence(c, "reached through %s:%d", s->t.reach_host, s->t.reach_port);
    if (s->t.tls) {
        check_skip(c,
                   "Redis over TLS: this build's hiredis (%d.%d) has no TLS; the pods' logs "
                   "(DT-202) show a Redis they cannot reach",
                   HIREDIS_MAJOR, HIREDIS_MINOR);
        return;
    }
    for (size_t i = 0; i < n && i < RS_MAX_CMDS; i++)
        s->cmds[s->ncmds++] = cmds[i];
    check_waiting(c, "the name %s to resolve", store_reach_host(&s->t));
    s->res = resolve_start(check_env(c)->loop, store_reach_host(&s->t), rs_resolved, s);
}

static void rs_stop(struct check *c)
{
    rs_free(check_state(c));
}

/* Ends the check for a session that failed; true when it did. */
static bool rs_failed(struct rs_session *s, enum rs_fail f, const char *msg)
{
    struct check *c = s->c;
    const struct check_env *e = check_env(c);
    if (f == RS_OK)
        return false;
    check_evidence(c, "%s", msg);
    /* DT-501 says why Redis cannot be used; the others only point there. */
    if (f != RS_ERROR && strcmp(check_def_of(c)->id, "DT-501") != 0) {
        check_skip(c, "Redis cannot be used (DT-501)");
        return true;
    }
    check_more(c, DOC "dt-501");
    const char *h = store_reach_host(&s->t);
    int port = store_reach_port(&s->t);
    switch (f) {
    case RS_DNS:
        check_try(c, "getent hosts %s", h);
        check_fail(c, "the Redis host name does not resolve");
        break;
    case RS_CONNECT:
    case RS_LOST:
        check_explain(c, "Nothing accepted a connection at Redis's address: the server is down, "
                         "the port is wrong, or a security group or network policy drops it. "
                         "The api, worker and plugin daemon fail the same way (\"Connection "
                         "refused\" in their logs).");
        check_try(c, "redis-cli -h %s -p %d PING", h, port);
        check_fail(c, "Redis at %s:%d does not answer", h, port);
        break;
    case RS_AUTH:
        check_explain(c, "Redis refused the password the installation uses (WRONGPASS). The "
                         "api's migrations, the worker's broker and the plugin daemon all stop "
                         "on it. The password in the Secret and Redis's requirepass (or the "
                         "ElastiCache AUTH token) must be the same.");
        check_try(c, "redis-cli -h %s -p %d --askpass PING", h, port);
        check_fail(c, "Redis refuses the password");
        break;
    case RS_NOAUTH:
        check_explain(c, "Redis requires a password and the installation gives none.");
        check_try(c,
                  "%s get secret -o name   # set REDIS_PASSWORD for the api, worker and "
                  "plugin daemon",
                  check_kubectl(c));
        check_fail(c, "Redis requires a password the installation does not give");
        break;
    case RS_NOPASS:
        check_explain(c, "A password is configured, but this Redis has none: whatever reaches "
                         "it can read and write Dify's cache, queues and locks.");
        check_try(c, "redis-cli -h %s -p %d CONFIG SET requirepass ...", h, port);
        check_warn(c, "Redis has no password although the installation gives one");
        break;
    default:
        check_fail(c, "Redis: %s", msg);
        break;
    }
    (void)e;
    return true;
}

/* ---- DT-501 Redis answers and takes the password ---- */

static void ping_done(struct rs_session *s, enum rs_fail f, const char *msg)
{
    if (rs_failed(s, f, msg))
        return;
    struct check *c = s->c;
    const struct rs_reply *r = &s->replies[0];
    if (r->type == REDIS_REPLY_STATUS && str_eq(r->str, "PONG"))
        check_ok(c, "PONG from %s:%d%s", s->t.host, s->t.port, s->t.password ? " after AUTH" : "");
    else {
        check_evidence(c, "PING answered: %s", r->str ? r->str : "?");
        check_fail(c, "Redis does not answer PING with PONG");
    }
}

static void ping_start(struct check *c)
{
    static const char *const cmds[] = {"PING"};
    rs_start(c, cmds, 1, ping_done);
}

/* ---- DT-502 memory and eviction ---- */

static void memory_done(struct rs_session *s, enum rs_fail f, const char *msg)
{
    if (rs_failed(s, f, msg))
        return;
    struct check *c = s->c;
    const char *info = s->replies[0].str ? s->replies[0].str : "";
    char used[32], max[32], policy[64], human[32];
    info_field(info, "used_memory", used, sizeof(used));
    info_field(info, "used_memory_human", human, sizeof(human));
    info_field(info, "maxmemory", max, sizeof(max));
    info_field(info, "maxmemory_policy", policy, sizeof(policy));
    long long u = atoll(used), m = atoll(max);
    check_evidence(c, "used_memory %s (%s), maxmemory %s, maxmemory_policy %s", used, human,
                   m ? max : "0 (no limit)", policy[0] ? policy : "?");
    check_more(c, DOC "dt-502");
    if (str_starts_with(policy, "allkeys-")) {
        check_explain(c, "With an allkeys-* policy a full Redis evicts any key, Celery's queues "
                         "and the migration lock included: tasks vanish without an error. "
                         "Dify keeps its cache keys with expiry, so volatile-lru (ElastiCache's "
                         "default) or noeviction keeps the queues.");
        check_try(c, "redis-cli -h %s -p %d CONFIG SET maxmemory-policy volatile-lru",
                  store_reach_host(&s->t), store_reach_port(&s->t));
        check_warn(c, "eviction policy %s may evict Celery's queues", policy);
        return;
    }
    if (m > 0 && u * 10 > m * 9) {
        check_try(c, "redis-cli -h %s -p %d INFO memory", store_reach_host(&s->t),
                  store_reach_port(&s->t));
        check_warn(c, "Redis uses %lld%% of its maxmemory", u * 100 / m);
        return;
    }
    check_ok(c, "%s used, policy %s", human[0] ? human : used, policy[0] ? policy : "?");
}

static void memory_start(struct check *c)
{
    static const char *const cmds[] = {"INFO memory"};
    rs_start(c, cmds, 1, memory_done);
}

/* ---- DT-503 the server is what the configuration expects ---- */

static void mode_done(struct rs_session *s, enum rs_fail f, const char *msg)
{
    if (rs_failed(s, f, msg))
        return;
    struct check *c = s->c;
    char mode[32], role[32], version[32];
    info_field(s->replies[0].str ? s->replies[0].str : "", "redis_mode", mode, sizeof(mode));
    info_field(s->replies[0].str ? s->replies[0].str : "", "redis_version", version,
               sizeof(version));
    info_field(s->replies[1].str ? s->replies[1].str : "", "role", role, sizeof(role));
    const char *want = s->t.sentinel ? "sentinel" : s->t.cluster ? "cluster" : "standalone";
    check_evidence(c, "Redis %s, redis_mode %s, role %s; the configuration expects %s", version,
                   mode[0] ? mode : "?", role[0] ? role : "?", want);
    check_more(c, DOC "dt-503");
    if (mode[0] && strcmp(mode, want) != 0) {
        if (str_eq(mode, "sentinel"))
            check_explain(c, "This address is a Redis Sentinel, which answers only sentinel "
                             "commands: Dify configured for a plain Redis fails on every "
                             "command (dify-helm#299). Either point REDIS_HOST at the "
                             "master's service (the chart's -redis-master) or set "
                             "REDIS_USE_SENTINEL=true with REDIS_SENTINELS.");
        else if (str_eq(mode, "cluster"))
            check_explain(c, "This Redis runs in cluster mode and answers keys of other slots "
                             "with MOVED; Dify must be told (REDIS_USE_CLUSTERS=true, "
                             "REDIS_CLUSTERS).");
        else
            check_explain(c, "The configuration expects a %s, and this is a plain Redis.", want);
        check_try(c, "redis-cli -h %s -p %d INFO server", store_reach_host(&s->t),
                  store_reach_port(&s->t));
        check_fail(c, "Redis runs in %s mode; the configuration expects %s", mode, want);
        return;
    }
    if (str_eq(role, "slave") || str_eq(role, "replica")) {
        check_explain(c, "This address is a read-only replica: every write (Celery, locks, "
                         "sessions) fails with READONLY. Point REDIS_HOST at the primary.");
        check_try(c, "redis-cli -h %s -p %d INFO replication", store_reach_host(&s->t),
                  store_reach_port(&s->t));
        check_fail(c, "Redis at this address is a replica");
        return;
    }
    check_ok(c, "%s Redis %s (%s)", mode[0] ? mode : "standalone", version, role);
}

static void mode_start(struct check *c)
{
    static const char *const cmds[] = {"INFO server", "INFO replication"};
    rs_start(c, cmds, 2, mode_done);
}

const struct check_def checks_redis[] = {
    {"DT-501", AREA_REDIS, "Redis answers and takes the password", 0, ping_start, rs_stop, 0,
     NEED_APP},
    {"DT-502", AREA_REDIS, "Redis memory and eviction policy suit Celery", 0, memory_start, rs_stop,
     0, NEED_APP},
    {"DT-503", AREA_REDIS, "Redis is the kind of server the configuration expects", 0, mode_start,
     rs_stop, 0, NEED_APP},
};
const size_t checks_redis_n = ARRAY_LEN(checks_redis);
