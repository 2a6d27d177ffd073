/* core/checks_remote.c: area 10, the bastion: a fixed set of read-only
 * commands run over SSH (libssh2) on the profile's bastion, which sits in
 * the VPC and sees what this machine cannot: whether the database's and
 * Redis's names resolve there and their ports accept a connection.
 *
 * The host key is checked against known_hosts first (OpenSSH's format,
 * "[host]:port" for other ports). A key that is not there stops the check
 * with its type and SHA256 fingerprint; it is trusted only when the person
 * accepts that exact fingerprint (--accept-host-key, or the screen's
 * accept key), and it is then added to known_hosts. A key that differs
 * from the recorded one is refused, as OpenSSH refuses it.
 *
 * libssh2 runs blocking on a thread of its own, bounded by a timeout, and
 * answers through a pipe the loop watches (the style's rule for blocking
 * work); a check that is stopped lets the thread finish and free itself. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libssh2.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/checks_impl.h"
#include "core/checks_stores.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/profile.h"
#include "core/util.h"

#define DOC "docs/diagnose.md#"
#define REMOTE_MAX_CMDS 6
#define REMOTE_OUT_MAX 4096

enum remote_fail {
    RF_OK,
    RF_CONNECT,
    RF_HANDSHAKE,
    RF_KEY_UNKNOWN,
    RF_KEY_CHANGED,
    RF_KNOWN_HOSTS, /* accepted, but known_hosts could not be written */
    RF_AUTH,
    RF_CHANNEL,
};

struct remote_cmd {
    char what[96]; /* "the database's name resolves" */
    char cmd[512];
    char out[REMOTE_OUT_MAX];
    int status; /* exit status, -1 when it did not run */
};

struct remote {
    pthread_mutex_t mu;
    bool cancelled, answered;
    int fds[2];
    struct loop *loop;
    struct check *c;
    /* input */
    char host[256];
    int port;
    char user[64];
    char key[1024];
    char known[1024];
    char accept[128]; /* the fingerprint the person accepted, or "" */
    long timeout_ms;
    struct remote_cmd cmds[REMOTE_MAX_CMDS];
    int ncmds;
    /* output */
    enum remote_fail fail;
    char msg[1536];
    char fp[128];     /* "SHA256:..." */
    char keytype[32]; /* "ssh-ed25519" */
    bool added;       /* the accepted key was written to known_hosts */
};

static pthread_once_t ssh_once = PTHREAD_ONCE_INIT;
static void ssh_global_init(void)
{
    libssh2_init(0);
}

static void remote_free(struct remote *r)
{
    if (r->fds[0] >= 0)
        close(r->fds[0]);
    if (r->fds[1] >= 0)
        close(r->fds[1]);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

/* ---- the thread ---- */

static int tcp_connect(struct remote *r)
{
    char port[16];
    snprintf(port, sizeof(port), "%d", r->port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    int rc = getaddrinfo(r->host, port, &hints, &res);
    if (rc != 0) {
        snprintf(r->msg, sizeof(r->msg), "%s: %s", r->host, gai_strerror(rc));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS) {
            snprintf(r->msg, sizeof(r->msg), "%s:%d: %s", r->host, r->port, strerror(errno));
            close(fd);
            fd = -1;
            continue;
        }
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int err = 0;
        socklen_t el = sizeof(err);
        if (poll(&p, 1, (int)r->timeout_ms) <= 0) {
            snprintf(r->msg, sizeof(r->msg), "%s:%d: no answer", r->host, r->port);
            close(fd);
            fd = -1;
        } else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err) {
            snprintf(r->msg, sizeof(r->msg), "%s:%d: %s", r->host, r->port, strerror(err));
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd >= 0)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

static void fingerprint(LIBSSH2_SESSION *s, struct remote *r)
{
    const unsigned char *h =
        (const unsigned char *)libssh2_hostkey_hash(s, LIBSSH2_HOSTKEY_HASH_SHA256);
    if (!h)
        return;
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char out[64];
    size_t o = 0;
    for (size_t i = 0; i < 32; i += 3) {
        unsigned v = (unsigned)h[i] << 16 | (i + 1 < 32 ? (unsigned)h[i + 1] << 8 : 0) |
                     (i + 2 < 32 ? h[i + 2] : 0);
        out[o++] = b64[(v >> 18) & 63];
        out[o++] = b64[(v >> 12) & 63];
        if (i + 1 < 32)
            out[o++] = b64[(v >> 6) & 63];
        if (i + 2 < 32)
            out[o++] = b64[v & 63];
    }
    out[o] = '\0';
    snprintf(r->fp, sizeof(r->fp), "SHA256:%s", out);
}

static int key_bits(int type, const char **name)
{
    switch (type) {
    case LIBSSH2_HOSTKEY_TYPE_RSA:
        *name = "ssh-rsa";
        return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
#ifdef LIBSSH2_HOSTKEY_TYPE_ECDSA_256
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
        *name = "ecdsa-sha2-nistp256";
        return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
        *name = "ecdsa-sha2-nistp384";
        return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
        *name = "ecdsa-sha2-nistp521";
        return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
#endif
#ifdef LIBSSH2_HOSTKEY_TYPE_ED25519
    case LIBSSH2_HOSTKEY_TYPE_ED25519:
        *name = "ssh-ed25519";
        return LIBSSH2_KNOWNHOST_KEY_ED25519;
#endif
    default:
        *name = "ssh-dss";
        return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
    }
}

/* Checks the host key; adds it when the person accepted its fingerprint. */
static int host_key(LIBSSH2_SESSION *s, struct remote *r)
{
    size_t len;
    int type;
    const char *key = libssh2_session_hostkey(s, &len, &type);
    if (!key) {
        r->fail = RF_HANDSHAKE;
        snprintf(r->msg, sizeof(r->msg), "the bastion sent no host key");
        return -1;
    }
    const char *tname;
    int bits = key_bits(type, &tname);
    snprintf(r->keytype, sizeof(r->keytype), "%s", tname);
    fingerprint(s, r);
    LIBSSH2_KNOWNHOSTS *kh = libssh2_knownhost_init(s);
    /* A missing file is an empty one. */
    libssh2_knownhost_readfile(kh, r->known, LIBSSH2_KNOWNHOST_FILE_OPENSSH);
    struct libssh2_knownhost *found = NULL;
    int typemask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | bits;
    int rc = libssh2_knownhost_checkp(kh, r->host, r->port, key, len, typemask, &found);
    int ret = 0;
    if (rc == LIBSSH2_KNOWNHOST_CHECK_MISMATCH) {
        r->fail = RF_KEY_CHANGED;
        snprintf(r->msg, sizeof(r->msg),
                 "REMOTE HOST IDENTIFICATION HAS CHANGED: %s offers %s %s, and %s holds "
                 "another key for it",
                 r->host, tname, r->fp, r->known);
        ret = -1;
    } else if (rc != LIBSSH2_KNOWNHOST_CHECK_MATCH) {
        if (!r->accept[0] || strcmp(r->accept, r->fp) != 0) {
            r->fail = RF_KEY_UNKNOWN;
            snprintf(r->msg, sizeof(r->msg), "%s is not in %s: it offers %s %s", r->host, r->known,
                     tname, r->fp);
            ret = -1;
        } else {
            char name[300];
            if (r->port == 22)
                snprintf(name, sizeof(name), "%s", r->host);
            else
                snprintf(name, sizeof(name), "[%s]:%d", r->host, r->port);
            if (libssh2_knownhost_addc(kh, name, NULL, key, len, NULL, 0, typemask, NULL) != 0 ||
                libssh2_knownhost_writefile(kh, r->known, LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0) {
                r->fail = RF_KNOWN_HOSTS;
                snprintf(r->msg, sizeof(r->msg), "could not add the accepted key to %s", r->known);
                ret = -1;
            } else {
                r->added = true;
            }
        }
    }
    libssh2_knownhost_free(kh);
    return ret;
}

static int authenticate(LIBSSH2_SESSION *s, struct remote *r)
{
    if (getenv("SSH_AUTH_SOCK")) {
        LIBSSH2_AGENT *ag = libssh2_agent_init(s);
        if (ag && libssh2_agent_connect(ag) == 0 && libssh2_agent_list_identities(ag) == 0) {
            struct libssh2_agent_publickey *id = NULL, *prev = NULL;
            while (libssh2_agent_get_identity(ag, &id, prev) == 0) {
                if (libssh2_agent_userauth(ag, r->user, id) == 0) {
                    libssh2_agent_disconnect(ag);
                    libssh2_agent_free(ag);
                    return 0;
                }
                prev = id;
            }
            libssh2_agent_disconnect(ag);
        }
        if (ag)
            libssh2_agent_free(ag);
    }
    if (r->key[0] && libssh2_userauth_publickey_fromfile(s, r->user, NULL, r->key, NULL) == 0)
        return 0;
    char *m = NULL;
    libssh2_session_last_error(s, &m, NULL, 0);
    r->fail = RF_AUTH;
    snprintf(r->msg, sizeof(r->msg), "the bastion refused %s@%s with %s: %s", r->user, r->host,
             r->key[0] ? r->key : "the agent's keys", m ? m : "?");
    return -1;
}

static void run_cmd(LIBSSH2_SESSION *s, struct remote_cmd *rc)
{
    rc->status = -1;
    LIBSSH2_CHANNEL *ch = libssh2_channel_open_session(s);
    if (!ch) {
        snprintf(rc->out, sizeof(rc->out), "the bastion opened no session channel");
        return;
    }
    if (libssh2_channel_exec(ch, rc->cmd) == 0) {
        size_t n = 0;
        char buf[1024];
        for (;;) {
            ssize_t k = libssh2_channel_read(ch, buf, sizeof(buf));
            if (k <= 0)
                break;
            size_t take = (size_t)k < sizeof(rc->out) - 1 - n ? (size_t)k : sizeof(rc->out) - 1 - n;
            memcpy(rc->out + n, buf, take);
            n += take;
        }
        /* stderr after stdout, for the evidence */
        for (;;) {
            ssize_t k = libssh2_channel_read_stderr(ch, buf, sizeof(buf));
            if (k <= 0)
                break;
            size_t take = (size_t)k < sizeof(rc->out) - 1 - n ? (size_t)k : sizeof(rc->out) - 1 - n;
            memcpy(rc->out + n, buf, take);
            n += take;
        }
        /* one line for the evidence: trailing newlines cut, inner ones "; " */
        while (n > 0 && (rc->out[n - 1] == '\n' || rc->out[n - 1] == '\r'))
            n--;
        rc->out[n] = '\0';
        for (size_t i = 0; i < n; i++)
            if (rc->out[i] == '\n' || rc->out[i] == '\r' || rc->out[i] == '\t')
                rc->out[i] = ' ';
        libssh2_channel_close(ch);
        libssh2_channel_wait_closed(ch);
        rc->status = libssh2_channel_get_exit_status(ch);
    }
    libssh2_channel_free(ch);
}

static void session(struct remote *r)
{
    int fd = tcp_connect(r);
    if (fd < 0) {
        r->fail = RF_CONNECT;
        return;
    }
    LIBSSH2_SESSION *s = libssh2_session_init();
    libssh2_session_set_blocking(s, 1);
    libssh2_session_set_timeout(s, r->timeout_ms);
    if (libssh2_session_handshake(s, fd) != 0) {
        char *m = NULL;
        libssh2_session_last_error(s, &m, NULL, 0);
        r->fail = RF_HANDSHAKE;
        snprintf(r->msg, sizeof(r->msg), "SSH handshake with %s:%d failed: %s", r->host, r->port,
                 m ? m : "?");
    } else if (host_key(s, r) == 0 && authenticate(s, r) == 0) {
        for (int i = 0; i < r->ncmds; i++)
            run_cmd(s, &r->cmds[i]);
    }
    libssh2_session_disconnect(s, "dify-tui diagnose done");
    libssh2_session_free(s);
    close(fd);
}

static void *remote_thread(void *arg)
{
    struct remote *r = arg;
    session(r);
    pthread_mutex_lock(&r->mu);
    if (r->cancelled) {
        pthread_mutex_unlock(&r->mu);
        remote_free(r);
        return NULL;
    }
    ssize_t w;
    do
        w = write(r->fds[1], "x", 1);
    while (w < 0 && errno == EINTR);
    r->answered = true;
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* ---- the check ---- */

/* A host name or address safe to put in a command line. */
static bool plain_host(const char *h)
{
    if (str_empty(h) || strlen(h) > 253)
        return false;
    for (const char *p = h; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != ':' && *p != '_')
            return false;
    return h[0] != '-';
}

static void add_cmd(struct remote *r, const char *what, const char *cmd)
{
    if (r->ncmds >= REMOTE_MAX_CMDS)
        return;
    struct remote_cmd *c = &r->cmds[r->ncmds++];
    snprintf(c->what, sizeof(c->what), "%s", what);
    snprintf(c->cmd, sizeof(c->cmd), "%s", cmd);
}

/* "the database" at host:port: does its name resolve, does its port accept
 * a connection, seen from the bastion. */
static void add_store(struct remote *r, const char *what, const char *host, int port)
{
    char w[96], cmd[512];
    snprintf(w, sizeof(w), "%s's name resolves", what);
    snprintf(cmd, sizeof(cmd), "getent hosts %s", host);
    add_cmd(r, w, cmd);
    snprintf(w, sizeof(w), "%s's port accepts connections", what);
    snprintf(cmd, sizeof(cmd), "timeout 5 bash -c 'exec 3<>/dev/tcp/%s/%d' && echo open", host,
             port);
    add_cmd(r, w, cmd);
}

static void judge(struct remote *r)
{
    struct check *c = r->c;
    check_more(c, DOC "dt-1001");
    if (r->fp[0])
        check_evidence(c, "host key %s %s", r->keytype, r->fp);
    if (r->added)
        check_evidence(c, "the accepted key was added to %s", r->known);
    switch (r->fail) {
    case RF_OK:
        break;
    case RF_KEY_UNKNOWN:
        check_evidence(c, "%s", r->msg);
        check_explain(c, "The bastion's host key is not in known_hosts, so dify-tui cannot tell "
                         "it from a machine posing as it. Compare the fingerprint with the one "
                         "the bastion's owner publishes (on the bastion: ssh-keygen -lf "
                         "/etc/ssh/ssh_host_ed25519_key.pub); accepting it adds it to "
                         "known_hosts.");
        check_try(c, "dify-tui diagnose --only remote --accept-host-key %s", r->fp);
        check_fail(c, "the bastion's host key is unknown: %s %s", r->keytype, r->fp);
        return;
    case RF_KEY_CHANGED:
        check_evidence(c, "%s", r->msg);
        check_explain(c, "known_hosts holds another key for the bastion. Either the bastion was "
                         "rebuilt (then remove the old line), or something is posing as it. "
                         "Nothing was sent to it.");
        check_try(c, "ssh-keygen -R '[%s]:%d' -f %s", r->host, r->port, r->known);
        check_fail(c, "the bastion's host key changed: refused");
        return;
    case RF_AUTH:
        check_evidence(c, "%s", r->msg);
        check_try(c, "ssh -i %s -p %d %s@%s true", r->key[0] ? r->key : "KEY", r->port, r->user,
                  r->host);
        check_fail(c, "the bastion refused the key");
        return;
    default:
        check_evidence(c, "%s", r->msg);
        check_try(c, "ssh -p %d %s@%s true", r->port, r->user, r->host);
        check_fail(c, "no SSH session with the bastion: %s", r->msg);
        return;
    }
    int bad = 0;
    for (int i = 0; i < r->ncmds; i++) {
        struct remote_cmd *rc = &r->cmds[i];
        check_evidence(c, "%s: %s (%s)", rc->what, rc->status == 0 ? "yes" : "NO",
                       rc->out[0] ? rc->out : "no output");
        if (rc->status != 0 && i > 0)
            bad++;
    }
    if (bad) {
        check_explain(c, "From inside the network, the bastion cannot resolve or reach a data "
                         "store the installation uses: the pods cannot either. Look at the "
                         "security groups (the store's must admit the nodes' and the bastion's) "
                         "and the endpoint's name.");
        check_try(c, "ssh -p %d %s@%s", r->port, r->user, r->host);
        check_fail(c, "%d of the bastion's checks failed", bad);
        return;
    }
    check_ok(c, "the bastion reaches the data stores (%d commands)", r->ncmds);
}

static void on_answer(struct loop *l, int fd, int events, void *arg)
{
    struct remote *r = arg;
    loop_del_fd(l, fd);
    pthread_mutex_lock(&r->mu);
    pthread_mutex_unlock(&r->mu);
    judge(r);
}

static void remote_stop(struct check *c)
{
    struct remote *r = check_state(c);
    if (!r)
        return;
    if (r->fds[0] >= 0)
        loop_del_fd(r->loop, r->fds[0]);
    pthread_mutex_lock(&r->mu);
    if (r->answered || r->fds[1] < 0) {
        pthread_mutex_unlock(&r->mu);
        remote_free(r);
        return;
    }
    r->cancelled = true;
    pthread_mutex_unlock(&r->mu);
}

static void remote_start(struct check *c)
{
    const struct check_env *e = check_env(c);
    const struct profile *p = e->profile;
    if (!p || !p->bastion.enabled || str_empty(p->bastion.host)) {
        check_skip(c, "no bastion in the answers (bastion.enabled, bastion.host)");
        return;
    }
    struct remote *r = xcalloc(1, sizeof(*r));
    pthread_mutex_init(&r->mu, NULL);
    r->fds[0] = r->fds[1] = -1;
    r->loop = e->loop;
    r->c = c;
    check_set_state(c, r);
    snprintf(r->host, sizeof(r->host), "%s", p->bastion.host);
    r->port = p->bastion.port > 0 ? p->bastion.port : 22;
    snprintf(r->user, sizeof(r->user), "%s", p->bastion.user ? p->bastion.user : "");
    snprintf(r->key, sizeof(r->key), "%s", p->bastion.key_path ? p->bastion.key_path : "");
    const char *kh = e->known_hosts                       ? e->known_hosts
                     : !str_empty(p->bastion.known_hosts) ? p->bastion.known_hosts
                                                          : NULL;
    char *home_kh = NULL;
    if (!kh) {
        home_kh = path_join(getenv("HOME") ? getenv("HOME") : "/", ".ssh/known_hosts");
        kh = home_kh;
    }
    snprintf(r->known, sizeof(r->known), "%s", kh);
    free(home_kh);
    snprintf(r->accept, sizeof(r->accept), "%s",
             e->accept_fingerprint ? e->accept_fingerprint : "");
    long long to = e->timeout_ms > 0 ? e->timeout_ms : 30000;
    r->timeout_ms = (long)(to > 4000 ? to - 2000 : to / 2);
    check_evidence(c, "bastion %s@%s:%d, known_hosts %s", r->user, r->host, r->port, r->known);

    /* The fixed commands: what the bastion is, then each data store's name
     * and port as seen from inside the network. Only plain host names are
     * ever put on the command line. */
    add_cmd(r, "the bastion runs", "uname -sr");
    char why[512];
    struct store_target t;
    if (checks_db_target(c, &t, why, sizeof(why)) != STORE_UNKNOWN && plain_host(t.host))
        add_store(r, "the database", t.host, t.port);
    store_target_done(&t);
    if (checks_redis_target(c, &t, why, sizeof(why)) != STORE_UNKNOWN && plain_host(t.host))
        add_store(r, "Redis", t.host, t.port);
    store_target_done(&t);

    pthread_once(&ssh_once, ssh_global_init);
    pthread_t th;
    pthread_attr_t at;
    if (pipe2(r->fds, O_CLOEXEC) < 0) {
        check_fail(c, "pipe: %s", strerror(errno));
        return;
    }
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&th, &at, remote_thread, r);
    pthread_attr_destroy(&at);
    if (rc != 0) {
        close(r->fds[1]);
        r->fds[1] = -1;
        check_fail(c, "thread: %s", strerror(rc));
        return;
    }
    check_waiting(c, "the SSH session with %s:%d", r->host, r->port);
    loop_add_fd(e->loop, r->fds[0], LOOP_READ, on_answer, r);
}

const struct check_def checks_remote[] = {
    {"DT-1001", AREA_REMOTE, "The bastion is trusted and reaches the data stores", 0, remote_start,
     remote_stop, 0, NEED_APP},
};
const size_t checks_remote_n = ARRAY_LEN(checks_remote);
