/* core/sshexec.c: commands run on the bastion over the tunnel's session
 * (sshtunnel_exec in core/sshtunnel.h), non-blocking on the program's loop.
 *
 * One command at a time, in order of arrival: a session channel is opened
 * (libssh2 opens one channel at a time per session, forwards included), the
 * command sent as an "exec" request, its standard output and error read
 * until the bastion's EOF (each kept up to the caller's bound, the rest read
 * and dropped so the channel's window never stalls), then the channel
 * closed and its exit status taken. A deadline per command closes a channel
 * that does not end. Callbacks run from a timer of their own, never from
 * inside the pump, so a callback may free the tunnel. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/loop.h"
#include "core/sshtunnel.h"
#include "core/sshtunnel_impl.h"
#include "core/util.h"

#define EXEC_DEFAULT_MAX 4096
#define EXEC_DEFAULT_TIMEOUT_MS 10000

enum ex_phase { EX_OPEN, EX_EXEC, EX_READ, EX_CLOSE, EX_WAIT_CLOSED };

struct sshexec {
    struct sshexec *next;
    struct sshtunnel *t;
    char *cmd;
    size_t max;
    enum ex_phase ph;
    LIBSSH2_CHANNEL *ch;
    char *out, *err;
    size_t out_len, err_len;
    bool truncated, timed_out;
    char error[512];
    int status;
    long long timer, timeout_ms;
    sshexec_cb cb;
    void *arg;
};

static void exec_free(struct sshexec *x)
{
    if (x->timer)
        loop_cancel_timer(x->t->loop, x->timer);
    if (x->ch)
        libssh2_channel_free(x->ch);
    free(x->cmd);
    free(x->out);
    free(x->err);
    free(x);
}

static void on_done(struct loop *l, long long id, void *arg)
{
    (void)l, (void)id;
    struct sshtunnel *t = arg;
    t->done_timer = 0;
    struct sshexec *x = t->done;
    if (!x)
        return;
    t->done = x->next;
    if (t->done)
        t->done_timer = loop_add_timer(t->loop, 0, on_done, t);
    struct sshexec_result r = {
        .exit_status = x->status,
        .out = x->out,
        .out_len = x->out_len,
        .err = x->err,
        .err_len = x->err_len,
        .truncated = x->truncated,
        .timed_out = x->timed_out,
        .error = x->error[0] ? x->error : NULL,
    };
    /* x is off every list and its timer is gone (finish): the callback
     * may free the tunnel */
    x->cb(t, &r, x->arg);
    free(x->cmd);
    free(x->out);
    free(x->err);
    free(x);
}

/* Off the running list, onto the finished one; the channel is let go. */
static void finish(struct sshexec *x)
{
    struct sshtunnel *t = x->t;
    for (struct sshexec **pp = &t->execs; *pp; pp = &(*pp)->next)
        if (*pp == x) {
            *pp = x->next;
            break;
        }
    x->next = NULL;
    if (x->timer)
        loop_cancel_timer(t->loop, x->timer);
    x->timer = 0;
    if (x->ch)
        libssh2_channel_free(x->ch);
    x->ch = NULL;
    struct sshexec **pp = &t->done;
    while (*pp)
        pp = &(*pp)->next;
    *pp = x;
    if (!t->done_timer)
        t->done_timer = loop_add_timer(t->loop, 0, on_done, t);
    log_debug("sshtunnel: `%s` on %s ended: status %d%s%s", x->cmd, t->host, x->status,
              x->timed_out ? ", timed out" : "", x->truncated ? ", output cut" : "");
}

static void on_timeout(struct loop *l, long long id, void *arg)
{
    (void)l, (void)id;
    struct sshexec *x = arg;
    x->timer = 0;
    x->timed_out = true;
    x->status = -1;
    struct sshtunnel *t = x->t;
    finish(x);
    sshtunnel_pump(t); /* the next command's turn */
}

static const char *errmsg(struct sshtunnel *t)
{
    char *m = NULL;
    libssh2_session_last_error(t->s, &m, NULL, 0);
    return m && *m ? m : "unknown error";
}

/* Appends n bytes to a stream kept up to max. */
static void keep(struct sshexec *x, char **buf, size_t *len, const char *data, size_t n)
{
    size_t room = x->max - *len;
    if (n > room) {
        x->truncated = true;
        n = room;
    }
    if (n) {
        memcpy(*buf + *len, data, n);
        *len += n;
        (*buf)[*len] = '\0';
    }
}

/* Reads what is there of both streams; -1 on a channel error (finished). */
static int drain(struct sshexec *x, bool *progress)
{
    char buf[4096];
    for (;;) {
        bool moved = false;
        ssize_t n = libssh2_channel_read(x->ch, buf, sizeof(buf));
        if (n > 0) {
            keep(x, &x->out, &x->out_len, buf, (size_t)n);
            moved = true;
        } else if (n < 0 && n != LIBSSH2_ERROR_EAGAIN) {
            snprintf(x->error, sizeof(x->error), "reading the command's output: %s", errmsg(x->t));
            return -1;
        }
        n = libssh2_channel_read_stderr(x->ch, buf, sizeof(buf));
        if (n > 0) {
            keep(x, &x->err, &x->err_len, buf, (size_t)n);
            moved = true;
        } else if (n < 0 && n != LIBSSH2_ERROR_EAGAIN) {
            snprintf(x->error, sizeof(x->error), "reading the command's errors: %s", errmsg(x->t));
            return -1;
        }
        if (!moved)
            return 0;
        *progress = true;
    }
}

/* One step of the first command; true when something moved. */
static bool exec_step(struct sshtunnel *t, struct sshexec *x, bool *opening_busy)
{
    bool progress = false;
    int rc;
    switch (x->ph) {
    case EX_OPEN:
        if (!x->timer) /* its deadline runs from its turn, not from the queue */
            x->timer = loop_add_timer(t->loop, x->timeout_ms, on_timeout, x);
        if (*opening_busy)
            return false;
        x->ch = libssh2_channel_open_session(t->s);
        if (!x->ch) {
            if (libssh2_session_last_errno(t->s) == LIBSSH2_ERROR_EAGAIN) {
                *opening_busy = true;
                return false;
            }
            snprintf(x->error, sizeof(x->error), "the bastion opened no session channel: %s",
                     errmsg(t));
            finish(x);
            return true;
        }
        x->ph = EX_EXEC;
        progress = true;
        /* fall through */
    case EX_EXEC:
        rc = libssh2_channel_exec(x->ch, x->cmd);
        if (rc == LIBSSH2_ERROR_EAGAIN)
            return progress;
        if (rc) {
            snprintf(x->error, sizeof(x->error), "the bastion refused to run the command: %s",
                     errmsg(t));
            finish(x);
            return true;
        }
        x->ph = EX_READ;
        progress = true;
        /* fall through */
    case EX_READ:
        if (drain(x, &progress) < 0) {
            finish(x);
            return true;
        }
        if (!libssh2_channel_eof(x->ch))
            return progress;
        x->ph = EX_CLOSE;
        progress = true;
        /* fall through */
    case EX_CLOSE:
        rc = libssh2_channel_close(x->ch);
        if (rc == LIBSSH2_ERROR_EAGAIN)
            return progress;
        x->ph = EX_WAIT_CLOSED;
        progress = true;
        /* fall through */
    case EX_WAIT_CLOSED:
        rc = libssh2_channel_wait_closed(x->ch);
        if (rc == LIBSSH2_ERROR_EAGAIN)
            return progress;
        char *sig = NULL;
        size_t siglen = 0;
        libssh2_channel_get_exit_signal(x->ch, &sig, &siglen, NULL, NULL, NULL, NULL);
        if (sig) {
            snprintf(x->error, sizeof(x->error), "the command was killed by SIG%s", sig);
            x->status = -1;
            libssh2_free(t->s, sig);
        } else {
            x->status = libssh2_channel_get_exit_status(x->ch);
        }
        finish(x);
        return true;
    }
    return progress;
}

bool sshexec_step(struct sshtunnel *t, bool *opening_busy)
{
    bool progress = false;
    /* one at a time: the next starts when the first has finished */
    while (t->execs) {
        struct sshexec *x = t->execs;
        if (!exec_step(t, x, opening_busy))
            break;
        progress = true;
        if (t->execs == x)
            break;
    }
    return progress;
}

void sshexec_free_all(struct sshtunnel *t)
{
    if (t->done_timer)
        loop_cancel_timer(t->loop, t->done_timer);
    t->done_timer = 0;
    for (struct sshexec *lists[2] = {t->execs, t->done}, **l = lists; l < lists + 2; l++)
        for (struct sshexec *x = *l, *n; x; x = n) {
            n = x->next;
            exec_free(x);
        }
    t->execs = t->done = NULL;
}

int sshtunnel_exec(struct sshtunnel *t, const char *cmd, size_t max_out, long long timeout_ms,
                   sshexec_cb cb, void *arg)
{
    if (t->phase != PH_READY || !t->s)
        return -1;
    struct sshexec *x = xcalloc(1, sizeof(*x));
    x->t = t;
    x->cmd = xstrdup(cmd);
    x->max = max_out ? max_out : EXEC_DEFAULT_MAX;
    x->out = xcalloc(1, x->max + 1);
    x->err = xcalloc(1, x->max + 1);
    x->status = -1;
    x->cb = cb;
    x->arg = arg;
    x->timeout_ms = timeout_ms > 0 ? timeout_ms : EXEC_DEFAULT_TIMEOUT_MS;
    struct sshexec **pp = &t->execs;
    while (*pp)
        pp = &(*pp)->next;
    *pp = x;
    log_debug("sshtunnel: running `%s` on %s", cmd, t->host);
    sshtunnel_pump(t);
    return 0;
}
