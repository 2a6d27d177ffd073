/* core/loop.c: poll() loop with fds, timers, signals and a before_sleep hook.
 * Timers live in a small sorted array: there are tens of them, not thousands. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/loop.h"
#include "core/util.h"

struct loop_fd {
    int fd;
    int mask;
    loop_fd_cb cb;
    void *arg;
    bool deleted;
};

struct loop_timer {
    long long id;
    long long when;
    loop_timer_cb cb;
    void *arg;
};

#define LOOP_MAX_SIGNALS 65

struct loop_child {
    pid_t pid;
    loop_child_cb cb;
    void *arg;
};

struct loop {
    struct loop_fd *fds;
    size_t nfds, capfds;
    struct loop_timer *timers;
    size_t ntimers, captimers;
    long long next_timer_id;
    loop_hook_cb before_sleep;
    void *before_sleep_arg;
    bool stop;
    int sigpipe[2];
    loop_signal_cb sigcb[LOOP_MAX_SIGNALS];
    void *sigarg[LOOP_MAX_SIGNALS];
    struct pollfd *pfds;
    size_t cappfds;
    struct loop_child *children;
    size_t nchildren;
    long long child_sweep_timer;
};

/* The self-pipe is process-wide: signals are process-wide. */
static int loop_signal_fd = -1;

static void loop_signal_handler(int signo)
{
    int saved = errno;
    unsigned char b = (unsigned char)signo;
    if (loop_signal_fd >= 0)
        (void)!write(loop_signal_fd, &b, 1);
    errno = saved;
}

static void loop_signal_read(struct loop *l, int fd, int events, void *arg)
{
    unsigned char buf[64];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            int s = buf[i];
            if (s < LOOP_MAX_SIGNALS && l->sigcb[s])
                l->sigcb[s](l, s, l->sigarg[s]);
        }
    }
}

struct loop *loop_new(void)
{
    struct loop *l = xcalloc(1, sizeof(*l));
    l->sigpipe[0] = l->sigpipe[1] = -1;
    l->next_timer_id = 1;
    return l;
}

void loop_free(struct loop *l)
{
    if (!l)
        return;
    for (int s = 1; s < LOOP_MAX_SIGNALS; s++)
        if (l->sigcb[s])
            signal(s, SIG_DFL);
    if (l->sigpipe[0] >= 0) {
        if (loop_signal_fd == l->sigpipe[1])
            loop_signal_fd = -1;
        close(l->sigpipe[0]);
        close(l->sigpipe[1]);
    }
    free(l->fds);
    free(l->timers);
    free(l->pfds);
    free(l->children);
    free(l);
}

static struct loop_fd *loop_find_fd(struct loop *l, int fd)
{
    for (size_t i = 0; i < l->nfds; i++)
        if (l->fds[i].fd == fd && !l->fds[i].deleted)
            return &l->fds[i];
    return NULL;
}

void loop_add_fd(struct loop *l, int fd, int mask, loop_fd_cb cb, void *arg)
{
    struct loop_fd *f = loop_find_fd(l, fd);
    if (!f) {
        if (l->nfds == l->capfds) {
            l->capfds = l->capfds ? l->capfds * 2 : 16;
            l->fds = xrealloc(l->fds, l->capfds * sizeof(*l->fds));
        }
        f = &l->fds[l->nfds++];
        f->fd = fd;
        f->deleted = false;
    }
    f->mask = mask;
    f->cb = cb;
    f->arg = arg;
}

void loop_del_fd(struct loop *l, int fd)
{
    /* Marked, not removed: loop_run_once may be iterating over the array. */
    struct loop_fd *f = loop_find_fd(l, fd);
    if (f)
        f->deleted = true;
}

static void loop_compact_fds(struct loop *l)
{
    size_t j = 0;
    for (size_t i = 0; i < l->nfds; i++)
        if (!l->fds[i].deleted)
            l->fds[j++] = l->fds[i];
    l->nfds = j;
}

long long loop_add_timer(struct loop *l, long long ms, loop_timer_cb cb, void *arg)
{
    if (l->ntimers == l->captimers) {
        l->captimers = l->captimers ? l->captimers * 2 : 16;
        l->timers = xrealloc(l->timers, l->captimers * sizeof(*l->timers));
    }
    long long when = now_ms() + (ms < 0 ? 0 : ms);
    size_t pos = l->ntimers;
    while (pos > 0 && l->timers[pos - 1].when > when)
        pos--;
    memmove(&l->timers[pos + 1], &l->timers[pos], (l->ntimers - pos) * sizeof(*l->timers));
    l->timers[pos] = (struct loop_timer){l->next_timer_id++, when, cb, arg};
    l->ntimers++;
    return l->timers[pos].id;
}

void loop_cancel_timer(struct loop *l, long long id)
{
    for (size_t i = 0; i < l->ntimers; i++) {
        if (l->timers[i].id == id) {
            memmove(&l->timers[i], &l->timers[i + 1], (l->ntimers - i - 1) * sizeof(*l->timers));
            l->ntimers--;
            return;
        }
    }
}

int loop_watch_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg)
{
    if (signo <= 0 || signo >= LOOP_MAX_SIGNALS)
        return -1;
    if (l->sigpipe[0] < 0) {
        if (pipe2(l->sigpipe, O_NONBLOCK | O_CLOEXEC) < 0)
            return -1;
        loop_signal_fd = l->sigpipe[1];
        loop_add_fd(l, l->sigpipe[0], LOOP_READ, loop_signal_read, NULL);
    }
    l->sigcb[signo] = cb;
    l->sigarg[signo] = arg;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = loop_signal_handler;
    sa.sa_flags = SA_RESTART | (signo == SIGCHLD ? SA_NOCLDSTOP : 0);
    sigemptyset(&sa.sa_mask);
    return sigaction(signo, &sa, NULL);
}

/* Waits (without blocking) for each watched child; one callback at a time,
 * since a callback may watch or unwatch others. */
static void child_sweep(struct loop *l)
{
    for (size_t i = 0; i < l->nchildren;) {
        int status;
        pid_t r = waitpid(l->children[i].pid, &status, WNOHANG);
        if (r != l->children[i].pid && !(r < 0 && errno == ECHILD)) {
            i++;
            continue;
        }
        struct loop_child c = l->children[i];
        l->children[i] = l->children[--l->nchildren];
        if (r < 0) /* reaped by someone else: nothing to report but a plain exit */
            status = 0;
        c.cb(l, c.pid, status, c.arg);
        i = 0;
    }
}

static void on_sigchld(struct loop *l, int signo, void *arg)
{
    child_sweep(l);
}

static void child_sweep_now(struct loop *l, long long id, void *arg)
{
    l->child_sweep_timer = 0;
    child_sweep(l);
}

void loop_watch_child(struct loop *l, pid_t pid, loop_child_cb cb, void *arg)
{
    if (!l->sigcb[SIGCHLD])
        loop_watch_signal(l, SIGCHLD, on_sigchld, NULL);
    l->children = xrealloc(l->children, (l->nchildren + 1) * sizeof(*l->children));
    l->children[l->nchildren++] = (struct loop_child){pid, cb, arg};
    /* It may have exited before the handler was there: look once now. */
    if (!l->child_sweep_timer)
        l->child_sweep_timer = loop_add_timer(l, 0, child_sweep_now, NULL);
}

void loop_unwatch_child(struct loop *l, pid_t pid)
{
    for (size_t i = 0; i < l->nchildren; i++)
        if (l->children[i].pid == pid) {
            l->children[i] = l->children[--l->nchildren];
            return;
        }
}

void loop_set_before_sleep(struct loop *l, loop_hook_cb cb, void *arg)
{
    l->before_sleep = cb;
    l->before_sleep_arg = arg;
}

static void loop_fire_timers(struct loop *l)
{
    long long now = now_ms();
    /* Fire only timers due now; a callback may add or cancel timers. */
    while (l->ntimers > 0 && l->timers[0].when <= now) {
        struct loop_timer t = l->timers[0];
        memmove(&l->timers[0], &l->timers[1], (l->ntimers - 1) * sizeof(*l->timers));
        l->ntimers--;
        t.cb(l, t.id, t.arg);
    }
}

void loop_run_once(struct loop *l, long long max_wait_ms)
{
    if (l->before_sleep)
        l->before_sleep(l, l->before_sleep_arg);
    loop_compact_fds(l);

    long long timeout = max_wait_ms;
    if (l->ntimers > 0) {
        long long until = l->timers[0].when - now_ms();
        if (until < 0)
            until = 0;
        if (timeout < 0 || until < timeout)
            timeout = until;
    }
    if (l->stop)
        timeout = 0;

    if (l->cappfds < l->nfds) {
        l->cappfds = l->nfds;
        l->pfds = xrealloc(l->pfds, l->cappfds * sizeof(*l->pfds));
    }
    size_t n = l->nfds;
    for (size_t i = 0; i < n; i++) {
        l->pfds[i].fd = l->fds[i].mask ? l->fds[i].fd : -1;
        l->pfds[i].events = (short)(((l->fds[i].mask & LOOP_READ) ? POLLIN : 0) |
                                    ((l->fds[i].mask & LOOP_WRITE) ? POLLOUT : 0));
        l->pfds[i].revents = 0;
    }
    int rc = poll(l->pfds, n, timeout > (long long)INT32_MAX ? INT32_MAX : (int)timeout);
    if (rc > 0) {
        for (size_t i = 0; i < n && i < l->nfds; i++) {
            short re = l->pfds[i].revents;
            if (!re || l->fds[i].deleted || l->fds[i].fd != l->pfds[i].fd)
                continue;
            int ev = 0;
            if (re & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
                ev |= LOOP_READ;
            if (re & (POLLOUT | POLLERR))
                ev |= LOOP_WRITE;
            struct loop_fd f = l->fds[i];
            f.cb(l, f.fd, ev, f.arg);
        }
    }
    loop_fire_timers(l);
}

void loop_run(struct loop *l)
{
    l->stop = false;
    while (!l->stop)
        loop_run_once(l, -1);
}

void loop_stop(struct loop *l)
{
    l->stop = true;
}

bool loop_stopped(const struct loop *l)
{
    return l->stop;
}
