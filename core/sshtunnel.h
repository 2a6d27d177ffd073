/* core/sshtunnel.h: a local port forwarded through an SSH bastion, as
 * `ssh -N -L 127.0.0.1:PORT:REMOTE_HOST:REMOTE_PORT user@bastion` does,
 * with libssh2 in non-blocking mode driven by the program's loop.
 *
 * The bastion's host key is checked against a known_hosts file (OpenSSH's
 * format, hashed names too, "[host]:port" for other ports): a host that is
 * not there stops the tunnel with the key's type and SHA256 fingerprint, so
 * a person can compare it with what the bastion's owner publishes and add
 * it; a key that differs from the one recorded is refused loudly, as
 * OpenSSH does ("REMOTE HOST IDENTIFICATION HAS CHANGED"). Authentication
 * by the ssh-agent (SSH_AUTH_SOCK) first when asked, then by a private key
 * file.
 *
 * Once ready, the tunnel listens on 127.0.0.1 at a free port; each
 * connection accepted there becomes a direct-tcpip channel to
 * remote_host:remote_port as the bastion resolves it. */
#ifndef CORE_SSHTUNNEL_H
#define CORE_SSHTUNNEL_H

#include <stdbool.h>

struct error;
struct loop;
struct sshtunnel;

enum ssh_fail {
    SSH_OK = 0,
    SSH_FAIL_CONNECT,         /* TCP to the bastion (dns, refused, timeout) */
    SSH_FAIL_HANDSHAKE,       /* SSH protocol or key exchange */
    SSH_FAIL_HOSTKEY_UNKNOWN, /* not in known_hosts: the fingerprint is given */
    SSH_FAIL_HOSTKEY_CHANGED, /* known_hosts holds another key for this host */
    SSH_FAIL_AUTH,            /* no key or agent identity was accepted */
    SSH_FAIL_KEY,             /* the key file cannot be read */
    SSH_FAIL_CHANNEL,         /* the bastion refused to forward */
    SSH_FAIL_TIMEOUT,
    SSH_FAIL_OTHER,
};

struct ssh_target {
    const char *host; /* the bastion */
    int port;         /* 0: 22 */
    const char *user;
    const char *key_path;       /* private key file (OpenSSH or PEM); NULL: agent only */
    const char *key_passphrase; /* NULL: none */
    bool use_agent;             /* try SSH_AUTH_SOCK's identities first */
    const char *known_hosts;    /* NULL: ~/.ssh/known_hosts */
    const char *remote_host;    /* the forward's destination, as the bastion sees it */
    int remote_port;
    long long timeout_ms; /* connect, handshake and login; 0: 20 s */
};

/* Ready (err NULL: sshtunnel_local_port is listening) or failed. After a
 * failure the tunnel is finished; free it. */
typedef void (*sshtunnel_cb)(struct sshtunnel *t, const struct error *err, void *arg);

/* Starts connecting. Never NULL; failures come through cb on a later turn. */
struct sshtunnel *sshtunnel_open(struct loop *l, const struct ssh_target *t, sshtunnel_cb cb,
                                 void *arg);
/* Closes every forwarded connection and the session; no callback after. */
void sshtunnel_free(struct sshtunnel *t);

int sshtunnel_local_port(const struct sshtunnel *t); /* 0 until ready */
enum ssh_fail sshtunnel_failure(const struct sshtunnel *t);
/* "SHA256:..." of the bastion's host key once seen, else NULL. */
const char *sshtunnel_fingerprint(const struct sshtunnel *t);
/* The host key's type as OpenSSH names it ("ssh-ed25519"), or NULL. */
const char *sshtunnel_key_type(const struct sshtunnel *t);
/* Connections forwarded so far (for tests and the log). */
unsigned sshtunnel_forwarded(const struct sshtunnel *t);
/* A forwarded connection that could not be opened, the last one ("" none):
 * the bastion said no to a channel after the tunnel was ready. */
const char *sshtunnel_last_channel_error(const struct sshtunnel *t);

#endif
