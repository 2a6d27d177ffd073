/* core/sshtunnel.c: local forwarding through a bastion with libssh2 in
 * non-blocking mode (see sshtunnel.h).
 *
 * The session's socket is watched for reading always and for writing when
 * libssh2_session_block_directions says a call waits to send; every wake-up
 * (the session's socket or a forwarded client's) runs one pump over every
 * channel until a pass makes no progress, because a read on one channel may
 * leave another channel's data in libssh2's buffers with nothing left on
 * the socket to wake us. libssh2 opens one direct-tcpip channel at a time
 * per session (session->direct_state), so accepted clients queue for it.
 *
 * Host keys: libssh2_knownhost_checkp over OpenSSH's known_hosts, which
 * writes "[host]:port" for ports other than 22; the SHA256 fingerprint is
 * printed as OpenSSH does: "SHA256:" and unpadded base64
 * (sshkey.c, sshkey_fingerprint_raw / SSH_FP_BASE64). */
#include "config.h"

#include "core/sshtunnel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libssh2.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/error.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/sshknown.h"
#include "core/sshtunnel_impl.h"
#include "core/util.h"

static bool g_ssh_inited;

#define pump sshtunnel_pump
static void rearm_session(struct sshtunnel *t);

/* ---- failing ---- */

static void close_session(struct sshtunnel *t)
{
    sshexec_free_all(t);
    for (struct fwd *f = t->fwds, *n; f; f = n) {
        n = f->next;
        if (f->fd >= 0) {
            loop_del_fd(t->loop, f->fd);
            close(f->fd);
        }
        if (f->ch)
            libssh2_channel_free(f->ch);
        free(f);
    }
    t->fwds = NULL;
    if (t->lfd >= 0) {
        loop_del_fd(t->loop, t->lfd);
        close(t->lfd);
        t->lfd = -1;
    }
    if (t->agent) {
        libssh2_agent_disconnect(t->agent);
        libssh2_agent_free(t->agent);
        t->agent = NULL;
    }
    if (t->s) {
        /* a blocking goodbye could stall: drop the session */
        libssh2_session_set_blocking(t->s, 0);
        libssh2_session_disconnect(t->s, "dify-tui closes the tunnel");
        libssh2_session_free(t->s);
        t->s = NULL;
    }
    if (t->sock >= 0) {
        loop_del_fd(t->loop, t->sock);
        close(t->sock);
        t->sock = -1;
    }
}

static void fail(struct sshtunnel *t, enum ssh_fail f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(struct sshtunnel *t, enum ssh_fail f, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    enum error_code code = f == SSH_FAIL_AUTH || f == SSH_FAIL_HOSTKEY_UNKNOWN ||
                                   f == SSH_FAIL_HOSTKEY_CHANGED || f == SSH_FAIL_KEY
                               ? ERR_AUTH
                               : ERR_NETWORK;
    error_set(&t->err, code, f, "SSH to the bastion %s@%s:%d: %s", t->user, t->host, t->port, buf);
    t->fail = f;
    t->phase = PH_FAILED;
    if (t->timer)
        loop_cancel_timer(t->loop, t->timer);
    t->timer = 0;
    log_warn("sshtunnel: %s", t->err.msg);
    close_session(t);
    if (t->cb)
        t->cb(t, &t->err, t->arg); /* may free t */
}

static const char *ssh_errmsg(struct sshtunnel *t)
{
    char *msg = NULL;
    if (t->s)
        libssh2_session_last_error(t->s, &msg, NULL, 0);
    return msg && *msg ? msg : "unknown error";
}

static void on_deadline(struct loop *l, long long id, void *arg)
{
    (void)l, (void)id;
    struct sshtunnel *t = arg;
    t->timer = 0;
    static const char *const what[] = {
        [PH_CONNECT] = "connecting",
        [PH_HANDSHAKE] = "the SSH handshake",
        [PH_AUTH_AGENT] = "logging in with the ssh-agent",
        [PH_AUTH_KEY] = "logging in with the key",
    };
    fail(t, t->phase == PH_CONNECT ? SSH_FAIL_CONNECT : SSH_FAIL_TIMEOUT,
         "no answer while %s (is the bastion's address and port right, and is it reachable "
         "from here?)",
         t->phase < PH_READY ? what[t->phase] : "waiting");
}

/* ---- host key ---- */

/* 0: known and matching, or unknown and accepted by the person (then
 * added to known_hosts); -1: failed (reported). */
static int check_host_key(struct sshtunnel *t)
{
    struct sshknown_key k;
    if (sshknown_key(t->s, &k) < 0) {
        fail(t, SSH_FAIL_HANDSHAKE, "the server sent no host key");
        return -1;
    }
    t->key_type = k.type;
    snprintf(t->fingerprint, sizeof(t->fingerprint), "%s", k.fingerprint);
    char where[300], why[512] = "";
    sshknown_entry_name(t->host, t->port, where, sizeof(where));
    switch (sshknown_check(t->s, &k, t->known_hosts, t->host, t->port, why, sizeof(why))) {
    case SSHKNOWN_MATCH:
        log_info("sshtunnel: host key of %s matches %s (%s %s)", where, t->known_hosts, t->key_type,
                 t->fingerprint);
        return 0;
    case SSHKNOWN_CHANGED:
        fail(t, SSH_FAIL_HOSTKEY_CHANGED,
             "WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! The %s host key of %s is now %s, "
             "which is not the key recorded in %s. Someone could be intercepting the connection, "
             "or the bastion was rebuilt. Nothing was sent. Ask the bastion's owner for its "
             "fingerprint; if it is this one, remove the old entry (ssh-keygen -R '%s' -f %s) "
             "and add the new one.",
             t->key_type, where, t->fingerprint, t->known_hosts, where, t->known_hosts);
        return -1;
    case SSHKNOWN_UNKNOWN:
        if (t->accept_fp && t->fingerprint[0] && strcmp(t->accept_fp, t->fingerprint) == 0) {
            struct error e;
            error_clear(&e);
            if (sshknown_add(&k, t->known_hosts, t->host, t->port, &e) < 0) {
                fail(t, SSH_FAIL_KNOWN_HOSTS,
                     "the host key %s %s was accepted, but could not be added to %s: %s",
                     t->key_type, t->fingerprint, t->known_hosts, e.msg);
                return -1;
            }
            t->key_added = true;
            log_info("sshtunnel: the accepted host key of %s (%s %s) was added to %s", where,
                     t->key_type, t->fingerprint, t->known_hosts);
            return 0;
        }
        fail(t, SSH_FAIL_HOSTKEY_UNKNOWN,
             "the host %s is not in %s. Its %s key fingerprint is %s. Compare it with the "
             "fingerprint the bastion's owner publishes (ssh-keygen -lf "
             "/etc/ssh/ssh_host_*_key.pub on the bastion); if it matches, accept it (dify-tui "
             "diagnose --accept-host-key %s, or ssh-keyscan -p %d %s >> %s) and try again.",
             where, t->known_hosts, t->key_type, t->fingerprint, t->fingerprint, t->port, t->host,
             t->known_hosts);
        return -1;
    default:
        fail(t, SSH_FAIL_HOSTKEY_UNKNOWN, "%s", why);
        return -1;
    }
}

/* ---- the listener and forwarded connections ---- */

static void fwd_free(struct sshtunnel *t, struct fwd *f)
{
    for (struct fwd **pp = &t->fwds; *pp; pp = &(*pp)->next)
        if (*pp == f) {
            *pp = f->next;
            break;
        }
    if (f->fd >= 0) {
        loop_del_fd(t->loop, f->fd);
        close(f->fd);
    }
    if (f->ch) {
        libssh2_channel_free(f->ch); /* EAGAIN: libssh2 frees what it can */
    }
    free(f);
}

static void on_client_io(struct loop *l, int fd, int events, void *arg)
{
    (void)l, (void)fd, (void)events;
    struct fwd *f = arg;
    pump(f->t);
}

static void fwd_rearm(struct fwd *f)
{
    if (f->fd < 0)
        return;
    int mask = 0;
    if (f->ch && !f->client_eof && f->up_len == 0)
        mask |= LOOP_READ;
    if (f->down_len > f->down_off)
        mask |= LOOP_WRITE;
    loop_add_fd(f->t->loop, f->fd, mask, on_client_io, f);
}

static void on_accept(struct loop *l, int fd, int events, void *arg)
{
    (void)events;
    struct sshtunnel *t = arg;
    for (;;) {
        struct sockaddr_in a;
        socklen_t alen = sizeof(a);
        int c = accept4(fd, (struct sockaddr *)&a, &alen, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (c < 0)
            break;
        int one = 1;
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        struct fwd *f = xcalloc(1, sizeof(*f));
        f->t = t;
        f->fd = c;
        f->src_port = ntohs(a.sin_port);
        /* append: channels open in order of arrival */
        struct fwd **pp = &t->fwds;
        while (*pp)
            pp = &(*pp)->next;
        *pp = f;
        loop_add_fd(l, c, 0, on_client_io, f);
        log_debug("sshtunnel: connection from 127.0.0.1:%d to forward", f->src_port);
    }
    pump(t);
}

static int listen_local(struct sshtunnel *t)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 16) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        fail(t, SSH_FAIL_OTHER, "cannot listen on 127.0.0.1: %s", strerror(e));
        return -1;
    }
    t->lfd = fd;
    t->local_port = ntohs(a.sin_port);
    loop_add_fd(t->loop, fd, LOOP_READ, on_accept, t);
    return 0;
}

/* One pass over a forwarded connection; returns true on progress. */
static bool fwd_step(struct sshtunnel *t, struct fwd *f, bool *opening_busy)
{
    bool progress = false;
    if (!f->ch) {
        if (*opening_busy)
            return false;
        f->ch = libssh2_channel_direct_tcpip_ex(t->s, t->remote_host, t->remote_port, "127.0.0.1",
                                                f->src_port);
        if (!f->ch) {
            if (libssh2_session_last_errno(t->s) == LIBSSH2_ERROR_EAGAIN) {
                *opening_busy = true;
                return false;
            }
            snprintf(t->last_channel_error, sizeof(t->last_channel_error),
                     "the bastion refused to forward to %s:%d: %s", t->remote_host, t->remote_port,
                     ssh_errmsg(t));
            log_warn("sshtunnel: %s", t->last_channel_error);
            f->dead = true;
            return true;
        }
        t->forwarded++;
        log_debug("sshtunnel: channel to %s:%d open", t->remote_host, t->remote_port);
        progress = true;
    }
    /* client -> channel */
    if (f->up_len == 0 && !f->client_eof) {
        ssize_t n = read(f->fd, f->up, sizeof(f->up));
        if (n > 0) {
            f->up_len = (size_t)n;
            f->up_off = 0;
            progress = true;
        } else if (n == 0) {
            f->client_eof = true;
            progress = true;
        } else if (errno != EAGAIN && errno != EINTR) {
            f->dead = true;
            return true;
        }
    }
    while (f->up_off < f->up_len) {
        ssize_t n = libssh2_channel_write(f->ch, f->up + f->up_off, f->up_len - f->up_off);
        if (n == LIBSSH2_ERROR_EAGAIN)
            break;
        if (n < 0) {
            f->dead = true;
            return true;
        }
        f->up_off += (size_t)n;
        progress = true;
    }
    if (f->up_off >= f->up_len)
        f->up_len = f->up_off = 0;
    if (f->client_eof && f->up_len == 0 && !f->eof_sent) {
        int rc = libssh2_channel_send_eof(f->ch);
        if (rc == 0) {
            f->eof_sent = true;
            progress = true;
        } else if (rc != LIBSSH2_ERROR_EAGAIN) {
            f->dead = true;
            return true;
        }
    }
    /* channel -> client */
    if (f->down_len == 0 && !f->chan_eof) {
        ssize_t n = libssh2_channel_read(f->ch, f->down, sizeof(f->down));
        if (n > 0) {
            f->down_len = (size_t)n;
            f->down_off = 0;
            progress = true;
        } else if (n == 0 || (n < 0 && n != LIBSSH2_ERROR_EAGAIN)) {
            if (n == 0 && !libssh2_channel_eof(f->ch)) {
                /* nothing now */
            } else {
                f->chan_eof = true;
                progress = true;
            }
        }
    }
    while (f->down_off < f->down_len) {
        ssize_t n = write(f->fd, f->down + f->down_off, f->down_len - f->down_off);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                break;
            f->dead = true;
            return true;
        }
        f->down_off += (size_t)n;
        progress = true;
    }
    if (f->down_off >= f->down_len)
        f->down_len = f->down_off = 0;
    if (f->chan_eof && f->down_len == 0 && !f->down_shut) {
        shutdown(f->fd, SHUT_WR);
        f->down_shut = true;
        progress = true;
    }
    if (f->down_shut && f->eof_sent)
        f->dead = true;
    return progress;
}

void sshtunnel_pump(struct sshtunnel *t)
{
    if (t->phase != PH_READY || t->pumping)
        return;
    t->pumping = true;
    bool progress = true;
    for (int pass = 0; progress && pass < 64; pass++) {
        progress = false;
        bool opening_busy = false;
        for (struct fwd *f = t->fwds, *n; f; f = n) {
            n = f->next;
            if (fwd_step(t, f, &opening_busy))
                progress = true;
            if (f->dead) {
                fwd_free(t, f);
                progress = true;
            }
        }
        if (sshexec_step(t, &opening_busy))
            progress = true;
    }
    for (struct fwd *f = t->fwds; f; f = f->next)
        fwd_rearm(f);
    t->pumping = false;
    rearm_session(t);
}

/* ---- the session ---- */

static void advance(struct sshtunnel *t);

static void on_session_io(struct loop *l, int fd, int events, void *arg)
{
    (void)l, (void)fd, (void)events;
    struct sshtunnel *t = arg;
    if (t->phase == PH_READY)
        pump(t);
    else
        advance(t);
}

static void rearm_session(struct sshtunnel *t)
{
    if (t->sock < 0 || !t->s)
        return;
    int dirs = libssh2_session_block_directions(t->s);
    int mask = LOOP_READ;
    if (dirs & LIBSSH2_SESSION_BLOCK_OUTBOUND)
        mask |= LOOP_WRITE;
    loop_add_fd(t->loop, t->sock, mask, on_session_io, t);
}

static void ready(struct sshtunnel *t)
{
    /* A session for commands only (remote_port 0) listens nowhere. */
    if (t->remote_port > 0 && listen_local(t) < 0)
        return;
    t->phase = PH_READY;
    if (t->timer)
        loop_cancel_timer(t->loop, t->timer);
    t->timer = 0;
    if (t->remote_port > 0)
        log_info("sshtunnel: 127.0.0.1:%d forwards to %s:%d through %s@%s:%d", t->local_port,
                 t->remote_host, t->remote_port, t->user, t->host, t->port);
    else
        log_info("sshtunnel: a session with %s@%s:%d for commands", t->user, t->host, t->port);
    rearm_session(t);
    t->cb(t, NULL, t->arg);
}

static void start_key_auth(struct sshtunnel *t)
{
    if (str_empty(t->key_path)) {
        fail(t, SSH_FAIL_AUTH,
             "no identity was accepted for user %s (%s); give the key the bastion expects "
             "(bastion.key_path) or load it into the ssh-agent",
             t->user, t->use_agent ? "the ssh-agent's keys were refused" : "no key was given");
        return;
    }
    if (access(t->key_path, R_OK) != 0) {
        fail(t, SSH_FAIL_KEY, "cannot read the private key %s: %s", t->key_path, strerror(errno));
        return;
    }
    t->phase = PH_AUTH_KEY;
    advance(t);
}

static void advance(struct sshtunnel *t)
{
    int rc;
    switch (t->phase) {
    case PH_CONNECT: {
        int e = 0;
        socklen_t el = sizeof(e);
        if (getsockopt(t->sock, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
            e = errno;
        if (e == EINPROGRESS || e == EALREADY)
            return;
        if (e) {
            fail(t, SSH_FAIL_CONNECT, "cannot connect: %s", strerror(e));
            return;
        }
        t->phase = PH_HANDSHAKE;
    }
        /* fall through */
    case PH_HANDSHAKE:
        rc = libssh2_session_handshake(t->s, t->sock);
        if (rc == LIBSSH2_ERROR_EAGAIN)
            break;
        if (rc) {
            fail(t, SSH_FAIL_HANDSHAKE, "the SSH handshake failed: %s", ssh_errmsg(t));
            return;
        }
        if (check_host_key(t) < 0)
            return;
        if (t->use_agent && getenv("SSH_AUTH_SOCK")) {
            t->agent = libssh2_agent_init(t->s);
            if (t->agent && libssh2_agent_connect(t->agent) == 0 &&
                libssh2_agent_list_identities(t->agent) == 0) {
                t->phase = PH_AUTH_AGENT;
                t->identity = NULL;
                if (libssh2_agent_get_identity(t->agent, &t->identity, NULL) != 0)
                    t->identity = NULL;
            } else {
                log_info("sshtunnel: the ssh-agent at SSH_AUTH_SOCK cannot be used: %s",
                         ssh_errmsg(t));
            }
        }
        if (t->phase != PH_AUTH_AGENT || !t->identity) {
            start_key_auth(t);
            return;
        }
        /* fall through */
    case PH_AUTH_AGENT:
        while (t->identity) {
            rc = libssh2_agent_userauth(t->agent, t->user, t->identity);
            if (rc == LIBSSH2_ERROR_EAGAIN)
                goto wait;
            if (rc == 0) {
                log_info("sshtunnel: logged in as %s with the agent's key %s", t->user,
                         t->identity->comment ? t->identity->comment : "");
                ready(t);
                return;
            }
            struct libssh2_agent_publickey *prev = t->identity;
            if (libssh2_agent_get_identity(t->agent, &t->identity, prev) != 0)
                t->identity = NULL;
        }
        start_key_auth(t);
        return;
    case PH_AUTH_KEY:
        rc = libssh2_userauth_publickey_fromfile_ex(t->s, t->user, (unsigned)strlen(t->user), NULL,
                                                    t->key_path, t->passphrase);
        if (rc == LIBSSH2_ERROR_EAGAIN)
            break;
        if (rc == LIBSSH2_ERROR_FILE || rc == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED) {
            fail(t, SSH_FAIL_KEY,
                 "the private key %s cannot be used (%s): is it a private key, and is its "
                 "passphrase right?",
                 t->key_path, ssh_errmsg(t));
            return;
        }
        if (rc) {
            fail(t, SSH_FAIL_AUTH,
                 "the bastion refused the key %s for user %s (%s); is its public half in that "
                 "user's authorized_keys?",
                 t->key_path, t->user, ssh_errmsg(t));
            return;
        }
        log_info("sshtunnel: logged in as %s with the key %s", t->user, t->key_path);
        ready(t);
        return;
    default:
        return;
    }
wait:
    rearm_session(t);
}

static void on_connected(struct loop *l, int fd, int events, void *arg)
{
    (void)l, (void)fd, (void)events;
    advance(arg);
}

static void on_deferred(struct loop *l, long long id, void *arg)
{
    (void)l, (void)id;
    struct sshtunnel *t = arg;
    t->defer = 0;
    char msg[sizeof(t->err.msg)];
    snprintf(msg, sizeof(msg), "%s", t->err.msg);
    fail(t, t->fail ? t->fail : SSH_FAIL_CONNECT, "%s", msg);
}

static void start_tcp(struct sshtunnel *t)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai = NULL;
    char portbuf[16];
    snprintf(portbuf, sizeof(portbuf), "%d", t->port);
    int rc = getaddrinfo(t->host, portbuf, &hints, &ai);
    if (rc != 0) {
        t->fail = SSH_FAIL_CONNECT;
        snprintf(t->err.msg, sizeof(t->err.msg), "cannot resolve %s: %s", t->host,
                 gai_strerror(rc));
        t->defer = loop_add_timer(t->loop, 0, on_deferred, t);
        return;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 ||
        (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS && errno != EINTR)) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        t->fail = SSH_FAIL_CONNECT;
        snprintf(t->err.msg, sizeof(t->err.msg), "cannot connect: %s", strerror(e));
        t->defer = loop_add_timer(t->loop, 0, on_deferred, t);
        return;
    }
    freeaddrinfo(ai);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    t->sock = fd;
    t->s = libssh2_session_init();
    if (!t->s) {
        t->fail = SSH_FAIL_OTHER;
        snprintf(t->err.msg, sizeof(t->err.msg), "out of memory");
        t->defer = loop_add_timer(t->loop, 0, on_deferred, t);
        return;
    }
    libssh2_session_set_blocking(t->s, 0);
    loop_add_fd(t->loop, fd, LOOP_WRITE, on_connected, t);
}

struct sshtunnel *sshtunnel_open(struct loop *l, const struct ssh_target *tg, sshtunnel_cb cb,
                                 void *arg)
{
    if (!g_ssh_inited) {
        libssh2_init(0);
        g_ssh_inited = true;
    }
    struct sshtunnel *t = xcalloc(1, sizeof(*t));
    t->loop = l;
    t->cb = cb;
    t->arg = arg;
    t->sock = -1;
    t->lfd = -1;
    t->host = xstrdup(tg->host ? tg->host : "");
    t->port = tg->port > 0 ? tg->port : 22;
    const char *u = tg->user;
    t->user = xstrdup(!str_empty(u) ? u : getenv("USER") ? getenv("USER") : "root");
    t->key_path = xstrdup_or_null(tg->key_path);
    t->passphrase = xstrdup_or_null(tg->key_passphrase);
    if (!str_empty(tg->key_passphrase))
        log_add_secret(tg->key_passphrase);
    if (!str_empty(tg->known_hosts)) {
        t->known_hosts = xstrdup(tg->known_hosts);
    } else {
        const char *home = getenv("HOME");
        t->known_hosts = xasprintf("%s/.ssh/known_hosts", home ? home : "");
    }
    t->remote_host = xstrdup(tg->remote_host ? tg->remote_host : "");
    t->remote_port = tg->remote_port;
    t->use_agent = tg->use_agent;
    t->accept_fp =
        xstrdup_or_null(str_empty(tg->accept_fingerprint) ? NULL : tg->accept_fingerprint);
    t->phase = PH_CONNECT;
    t->timer = loop_add_timer(l, tg->timeout_ms > 0 ? tg->timeout_ms : 20000, on_deadline, t);
    if (t->remote_port > 0)
        log_info("sshtunnel: connecting to %s@%s:%d to reach %s:%d", t->user, t->host, t->port,
                 t->remote_host, t->remote_port);
    else
        log_info("sshtunnel: connecting to %s@%s:%d", t->user, t->host, t->port);
    start_tcp(t);
    return t;
}

void sshtunnel_free(struct sshtunnel *t)
{
    if (!t)
        return;
    if (t->timer)
        loop_cancel_timer(t->loop, t->timer);
    if (t->defer)
        loop_cancel_timer(t->loop, t->defer);
    close_session(t);
    free(t->host);
    free(t->user);
    free(t->key_path);
    str_free_secret(t->passphrase);
    free(t->known_hosts);
    free(t->remote_host);
    free(t->accept_fp);
    free(t);
}

int sshtunnel_local_port(const struct sshtunnel *t)
{
    return t->phase == PH_READY ? t->local_port : 0;
}

enum ssh_fail sshtunnel_failure(const struct sshtunnel *t)
{
    return t->fail;
}

const char *sshtunnel_fingerprint(const struct sshtunnel *t)
{
    return t->fingerprint[0] ? t->fingerprint : NULL;
}

const char *sshtunnel_key_type(const struct sshtunnel *t)
{
    return t->key_type;
}

unsigned sshtunnel_forwarded(const struct sshtunnel *t)
{
    return t->forwarded;
}

const char *sshtunnel_last_channel_error(const struct sshtunnel *t)
{
    return t->last_channel_error;
}

bool sshtunnel_key_added(const struct sshtunnel *t)
{
    return t->key_added;
}

const char *sshtunnel_known_hosts(const struct sshtunnel *t)
{
    return t->known_hosts;
}
