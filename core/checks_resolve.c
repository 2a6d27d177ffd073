/* core/checks_resolve.c: getaddrinfo on a detached thread, answered through
 * a pipe (see checks_resolve.h).
 *
 * Ownership: the thread and the loop side share the struct under a mutex.
 * The thread stores its answer and, unless the loop side cancelled, writes
 * one byte to the pipe; a cancel before that leaves the freeing to the
 * thread, a cancel after it frees at once (the thread is past its last use
 * once it unlocked). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/checks_resolve.h"
#include "core/loop.h"
#include "core/util.h"

struct resolve {
    pthread_mutex_t mu;
    bool cancelled; /* the loop side let go before the answer */
    bool answered;  /* the thread wrote its byte */
    int fds[2];
    struct loop *loop;
    long long timer; /* numeric hosts and failures to start: answered by a timer */
    char *host;
    char *addrs[RESOLVE_MAX_ADDRS];
    size_t n;
    char err[256];
    resolve_cb cb;
    void *arg;
};

static void resolve_free(struct resolve *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->addrs[i]);
    if (r->fds[0] >= 0)
        close(r->fds[0]);
    if (r->fds[1] >= 0)
        close(r->fds[1]);
    pthread_mutex_destroy(&r->mu);
    free(r->host);
    free(r);
}

static void deliver(struct resolve *r)
{
    const char *a[RESOLVE_MAX_ADDRS];
    for (size_t i = 0; i < r->n; i++)
        a[i] = r->addrs[i];
    resolve_cb cb = r->cb;
    void *arg = r->arg;
    char *host = r->host;
    r->host = NULL;
    /* The answer is copied to the stack's view; freeing after the call. */
    cb(host, a, r->n, r->n ? NULL : r->err, arg);
    free(host);
    resolve_free(r);
}

static void add_addr(struct resolve *r, const struct sockaddr *sa)
{
    char buf[INET6_ADDRSTRLEN];
    const void *src = sa->sa_family == AF_INET6
                          ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
                          : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
    if (!inet_ntop(sa->sa_family, src, buf, sizeof(buf)))
        return;
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->addrs[i], buf) == 0)
            return;
    if (r->n < RESOLVE_MAX_ADDRS)
        r->addrs[r->n++] = xstrdup(buf);
}

static void *resolve_thread(void *arg)
{
    struct resolve *r = arg;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(r->host, NULL, &hints, &res);
    pthread_mutex_lock(&r->mu);
    if (rc != 0) {
        snprintf(r->err, sizeof(r->err), "%s",
                 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
    } else {
        for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
            if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
                add_addr(r, ai->ai_addr);
        if (r->n == 0)
            snprintf(r->err, sizeof(r->err), "no IPv4 or IPv6 address");
        freeaddrinfo(res);
    }
    if (r->cancelled) {
        pthread_mutex_unlock(&r->mu);
        resolve_free(r);
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

static void on_answer(struct loop *l, int fd, int events, void *arg)
{
    struct resolve *r = arg;
    loop_del_fd(l, fd);
    /* Wait for the thread to have unlocked: it is then done with r. */
    pthread_mutex_lock(&r->mu);
    pthread_mutex_unlock(&r->mu);
    deliver(r);
}

static void on_timer(struct loop *l, long long id, void *arg)
{
    struct resolve *r = arg;
    r->timer = 0;
    deliver(r);
}

static bool numeric(const char *host)
{
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

struct resolve *resolve_start(struct loop *l, const char *host, resolve_cb cb, void *arg)
{
    struct resolve *r = xcalloc(1, sizeof(*r));
    pthread_mutex_init(&r->mu, NULL);
    r->fds[0] = r->fds[1] = -1;
    r->loop = l;
    r->host = xstrdup(host ? host : "");
    r->cb = cb;
    r->arg = arg;
    if (numeric(r->host)) {
        r->addrs[r->n++] = xstrdup(r->host);
        r->timer = loop_add_timer(l, 0, on_timer, r);
        return r;
    }
    if (!*r->host) {
        snprintf(r->err, sizeof(r->err), "no host name");
        r->timer = loop_add_timer(l, 0, on_timer, r);
        return r;
    }
    pthread_t t;
    pthread_attr_t at;
    if (pipe2(r->fds, O_CLOEXEC) < 0) {
        snprintf(r->err, sizeof(r->err), "pipe: %s", strerror(errno));
        r->timer = loop_add_timer(l, 0, on_timer, r);
        return r;
    }
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&t, &at, resolve_thread, r);
    pthread_attr_destroy(&at);
    if (rc != 0) {
        snprintf(r->err, sizeof(r->err), "thread: %s", strerror(rc));
        r->timer = loop_add_timer(l, 0, on_timer, r);
        return r;
    }
    loop_add_fd(l, r->fds[0], LOOP_READ, on_answer, r);
    return r;
}

void resolve_cancel(struct resolve *r)
{
    if (!r)
        return;
    if (r->timer) {
        loop_cancel_timer(r->loop, r->timer);
        resolve_free(r);
        return;
    }
    loop_del_fd(r->loop, r->fds[0]);
    pthread_mutex_lock(&r->mu);
    if (r->answered) {
        pthread_mutex_unlock(&r->mu);
        resolve_free(r);
        return;
    }
    r->cancelled = true;
    pthread_mutex_unlock(&r->mu);
}
