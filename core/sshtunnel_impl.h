/* core/sshtunnel_impl.h: the session's insides, shared by core/sshtunnel.c
 * (connecting, logging in, forwarding) and core/sshexec.c (commands run on
 * the bastion). Nothing else includes it. */
#ifndef CORE_SSHTUNNEL_IMPL_H
#define CORE_SSHTUNNEL_IMPL_H

#include <libssh2.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/sshtunnel.h"

#define FWD_BUF 32768

enum phase {
    PH_CONNECT,
    PH_HANDSHAKE,
    PH_AUTH_AGENT,
    PH_AUTH_KEY,
    PH_READY,
    PH_FAILED,
};

struct fwd {
    struct fwd *next;
    struct sshtunnel *t;
    int fd;
    int src_port;
    LIBSSH2_CHANNEL *ch; /* NULL while waiting for its turn to open */
    char up[FWD_BUF];    /* client -> channel */
    size_t up_len, up_off;
    char down[FWD_BUF]; /* channel -> client */
    size_t down_len, down_off;
    bool client_eof; /* the client closed its side: EOF sent on the channel */
    bool eof_sent;
    bool chan_eof; /* the remote side closed: shutdown(SHUT_WR) to the client */
    bool down_shut;
    bool dead;
};

struct sshexec; /* core/sshexec.c */

struct sshtunnel {
    struct loop *loop;
    enum phase phase;
    enum ssh_fail fail;
    struct error err;
    sshtunnel_cb cb;
    void *arg;
    long long timer;
    long long defer;

    char *host, *user, *key_path, *passphrase, *known_hosts, *remote_host, *accept_fp;
    int port, remote_port;
    bool use_agent;

    int sock;
    LIBSSH2_SESSION *s;
    LIBSSH2_AGENT *agent;
    struct libssh2_agent_publickey *identity;
    bool agent_tried_one;
    char fingerprint[80];
    const char *key_type;
    bool key_added;

    int lfd; /* the local listener */
    int local_port;
    struct fwd *fwds;
    unsigned forwarded;
    char last_channel_error[256];
    bool pumping;

    struct sshexec *execs; /* commands in order of arrival */
    struct sshexec *done;  /* finished, their callbacks due */
    long long done_timer;
};

/* core/sshtunnel.c: runs every channel's work (forwards and commands) until
 * nothing moves, then waits on the session's socket again. */
void sshtunnel_pump(struct sshtunnel *t);

/* core/sshexec.c: one pass over the commands; true when something moved.
 * *opening_busy: a channel is half open (libssh2 opens one at a time). */
bool sshexec_step(struct sshtunnel *t, bool *opening_busy);
/* Frees every command without calling back (the session is closing). */
void sshexec_free_all(struct sshtunnel *t);

#endif
