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
 * remote_host:remote_port as the bastion resolves it. With remote_port 0
 * it is a session only: sshtunnel_exec runs commands over it, as
 * `ssh user@bastion CMD` does, on the same loop, never blocking it. */
#ifndef CORE_SSHTUNNEL_H
#define CORE_SSHTUNNEL_H

#include <stdbool.h>
#include <stddef.h>

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
    SSH_FAIL_KNOWN_HOSTS, /* a key the person accepted could not be added to known_hosts */
};

struct ssh_target {
    const char *host; /* the bastion */
    int port;         /* 0: 22 */
    const char *user;
    const char *key_path;       /* private key file (OpenSSH or PEM); NULL: agent only */
    const char *key_passphrase; /* NULL: none */
    bool use_agent;             /* try SSH_AUTH_SOCK's identities first */
    const char *known_hosts;    /* NULL: ~/.ssh/known_hosts */
    /* A host key the person accepted after seeing its fingerprint
     * ("SHA256:..."): a host not in known_hosts offering exactly this key is
     * trusted, and the key appended to known_hosts (core/sshknown). NULL:
     * an unknown host is refused. */
    const char *accept_fingerprint;
    const char *remote_host; /* the forward's destination, as the bastion sees it */
    int remote_port;         /* 0: no forward, a session for sshtunnel_exec only */
    long long timeout_ms;    /* connect, handshake and login; 0: 20 s */
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

/* The accepted key (accept_fingerprint) was added to known_hosts. */
bool sshtunnel_key_added(const struct sshtunnel *t);
/* The known_hosts file the host key was looked up in. */
const char *sshtunnel_known_hosts(const struct sshtunnel *t);

/* ---- commands on the bastion ---- */

struct sshexec_result {
    int exit_status; /* -1: none (not run, killed by a signal, timed out) */
    const char *out; /* standard output, at most max_out bytes, NUL-terminated */
    size_t out_len;
    const char *err; /* standard error, likewise */
    size_t err_len;
    bool truncated;    /* more came than max_out: the rest was read and dropped */
    bool timed_out;    /* no end within the timeout: the channel was closed */
    const char *error; /* the command could not be run (the bastion refused a
                        * session channel or the exec); NULL when it ran */
};

typedef void (*sshexec_cb)(struct sshtunnel *t, const struct sshexec_result *r, void *arg);

/* Runs cmd on the bastion over a session channel of a ready tunnel, as
 * `ssh user@bastion CMD` does (the bastion's shell parses cmd: give only
 * fixed commands and values checked to be plain). Commands run one after
 * another in order; each is bounded by timeout_ms (0: 10 s) and keeps at
 * most max_out bytes of each stream (0: 4096). cb is called once, on a
 * later turn of the loop, never after sshtunnel_free; it may free the
 * tunnel. Returns 0, or -1 when the tunnel is not ready. */
int sshtunnel_exec(struct sshtunnel *t, const char *cmd, size_t max_out, long long timeout_ms,
                   sshexec_cb cb, void *arg);

#endif
