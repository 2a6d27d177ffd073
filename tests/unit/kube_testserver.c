/* tests/unit/kube_testserver.c: the canned-reply server (see the header). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/error.h"
#include "core/kubeconfig.h"
#include "core/util.h"
#include "tests/unit/kube_testserver.h"

struct exchange {
    char *reqline; /* "GET /path?query" */
    char **hdrs;   /* expected "Name: value" */
    size_t nhdrs;
    char *body;          /* expected request body, or NULL: not checked */
    char *status;        /* "HTTP/1.1 200 OK" */
    struct strbuf rhdrs; /* reply headers to send */
    char *rbody;
    size_t rbody_len;
    bool drop, hold, trim;
    size_t chunk;
};

struct testserver {
    struct exchange *ex;
    size_t nex;
    int lfd, port;
    int stop_pipe[2];
    pthread_t thread;
    pthread_mutex_t mu;
    size_t served;
    struct strbuf errors;
    int held[16];
    size_t nheld;
};

static void ts_error(struct testserver *ts, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void ts_error(struct testserver *ts, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *m = xvasprintf(fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&ts->mu);
    strbuf_adds(&ts->errors, m);
    strbuf_addc(&ts->errors, '\n');
    pthread_mutex_unlock(&ts->mu);
    free(m);
}

static int parse_case(struct testserver *ts, const char *text)
{
    const char *p = text;
    struct exchange *cur = NULL;
    enum { NONE, REQ, BODY, REPLY } sec = NONE;
    struct strbuf acc;
    strbuf_init(&acc);
    for (;;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        bool end = !*p;
        bool marker = !end && n >= 4 && strncmp(p, "=== ", 4) == 0;
        if (end || marker) {
            /* close the previous section */
            if (sec == BODY) {
                if (acc.len && acc.buf[acc.len - 1] == '\n')
                    acc.buf[--acc.len] = '\0';
                cur->body = strbuf_detach(&acc, NULL);
                strbuf_init(&acc);
            } else if (sec == REPLY) {
                char *all = strbuf_detach(&acc, NULL);
                strbuf_init(&acc);
                char *sep = strstr(all, "\n\n");
                char *hdrs_end = sep ? sep : all + strlen(all);
                char *line = all;
                bool first = true;
                while (line < hdrs_end) {
                    char *nl = memchr(line, '\n', (size_t)(hdrs_end - line));
                    char *le = nl ? nl : hdrs_end;
                    char *l = xstrndup(line, (size_t)(le - line));
                    if (first) {
                        cur->status = l;
                        first = false;
                    } else {
                        if (!strncasecmp(l, "X-Test-Drop:", 12))
                            cur->drop = true;
                        else if (!strncasecmp(l, "X-Test-Trim:", 12))
                            cur->trim = true;
                        else if (!strncasecmp(l, "X-Test-Hold:", 12))
                            cur->hold = true;
                        else if (!strncasecmp(l, "X-Test-Chunk:", 13))
                            cur->chunk = (size_t)atol(l + 13);
                        else
                            strbuf_addf(&cur->rhdrs, "%s\r\n", l);
                        free(l);
                    }
                    line = le + 1;
                }
                const char *b = sep ? sep + 2 : "";
                cur->rbody = xstrdup(b);
                cur->rbody_len = strlen(b);
                if (cur->trim && cur->rbody_len && b[cur->rbody_len - 1] == '\n')
                    cur->rbody[--cur->rbody_len] = '\0';
                free(all);
            }
            if (end)
                break;
            const char *name = p + 4;
            if (!strncmp(name, "request", 7)) {
                ts->ex = xrealloc(ts->ex, (ts->nex + 1) * sizeof(*ts->ex));
                cur = &ts->ex[ts->nex++];
                memset(cur, 0, sizeof(*cur));
                strbuf_init(&cur->rhdrs);
                sec = REQ;
            } else if (!strncmp(name, "body", 4) && cur) {
                sec = BODY;
            } else if (!strncmp(name, "reply", 5) && cur) {
                sec = REPLY;
            } else {
                fprintf(stderr, "case: unknown section %.*s\n", (int)n, p);
                strbuf_done(&acc);
                return -1;
            }
        } else if (sec == REQ) {
            if (n > 0) {
                char *l = xstrndup(p, n);
                if (!cur->reqline) {
                    cur->reqline = l;
                } else {
                    cur->hdrs = xrealloc(cur->hdrs, (cur->nhdrs + 1) * sizeof(char *));
                    cur->hdrs[cur->nhdrs++] = l;
                }
            }
        } else if (sec == BODY || sec == REPLY) {
            strbuf_add(&acc, p, n);
            strbuf_addc(&acc, '\n');
        }
        p += n + (eol ? 1 : 0);
        if (!eol)
            p += strlen(p);
    }
    strbuf_done(&acc);
    return 0;
}

static const char *find_header(const char *hdrs, const char *name, size_t *vlen)
{
    size_t nl = strlen(name);
    const char *p = hdrs;
    while (p && *p) {
        const char *eol = strstr(p, "\r\n");
        if (!eol)
            break;
        if ((size_t)(eol - p) > nl && !strncasecmp(p, name, nl) && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            *vlen = (size_t)(eol - v);
            return v;
        }
        p = eol + 2;
    }
    return NULL;
}

static void write_all(int fd, const char *p, size_t n, size_t chunk)
{
    while (n > 0) {
        size_t k = chunk && chunk < n ? chunk : n;
        ssize_t w = send(fd, p, k, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
        if (chunk)
            usleep(2000); /* lets the client see the pieces apart */
    }
}

static void serve(struct testserver *ts, int fd)
{
    struct strbuf req;
    strbuf_init(&req);
    char buf[8192];
    size_t hdr_end = 0, need = 0;
    for (;;) {
        struct pollfd pf = {fd, POLLIN, 0};
        if (poll(&pf, 1, 5000) <= 0)
            break;
        ssize_t r = recv(fd, buf, sizeof(buf), 0);
        if (r <= 0)
            break;
        strbuf_add(&req, buf, (size_t)r);
        if (!hdr_end) {
            char *e = strstr(req.buf, "\r\n\r\n");
            if (e) {
                hdr_end = (size_t)(e - req.buf) + 4;
                size_t vl;
                const char *cl = find_header(req.buf, "Content-Length", &vl);
                need = hdr_end + (cl ? (size_t)atol(cl) : 0);
            }
        }
        if (hdr_end && req.len >= need)
            break;
    }
    if (!hdr_end) {
        strbuf_done(&req);
        close(fd);
        return;
    }
    pthread_mutex_lock(&ts->mu);
    size_t k = ts->served++;
    pthread_mutex_unlock(&ts->mu);
    char *reqline = xstrndup(req.buf, strcspn(req.buf, "\r\n"));
    /* drop " HTTP/1.1" */
    char *sp = strrchr(reqline, ' ');
    if (sp)
        *sp = '\0';
    if (k >= ts->nex) {
        ts_error(ts, "unexpected request %zu: %s", k + 1, reqline);
        const char *r = "HTTP/1.1 500 Unexpected\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        write_all(fd, r, strlen(r), 0);
        close(fd);
        free(reqline);
        strbuf_done(&req);
        return;
    }
    struct exchange *x = &ts->ex[k];
    if (strcmp(reqline, x->reqline) != 0)
        ts_error(ts, "request %zu: got \"%s\", want \"%s\"", k + 1, reqline, x->reqline);
    const char *hdrs = strstr(req.buf, "\r\n") + 2;
    for (size_t i = 0; i < x->nhdrs; i++) {
        const char *colon = strchr(x->hdrs[i], ':');
        if (!colon)
            continue;
        char *name = xstrndup(x->hdrs[i], (size_t)(colon - x->hdrs[i]));
        const char *want = colon + 1;
        while (*want == ' ')
            want++;
        size_t vl;
        const char *got = find_header(hdrs, name, &vl);
        if (!strcmp(want, "<absent>")) {
            if (got)
                ts_error(ts, "request %zu: header %s should be absent, got \"%.*s\"", k + 1, name,
                         (int)vl, got);
        } else if (!got || vl != strlen(want) || strncmp(got, want, vl) != 0) {
            ts_error(ts, "request %zu: header %s: got \"%.*s\", want \"%s\"", k + 1, name,
                     got ? (int)vl : 6, got ? got : "(none)", want);
        }
        free(name);
    }
    if (x->body) {
        size_t bl = req.len - hdr_end;
        if (bl != strlen(x->body) || memcmp(req.buf + hdr_end, x->body, bl) != 0)
            ts_error(ts, "request %zu: body: got \"%.*s\", want \"%s\"", k + 1, (int)bl,
                     req.buf + hdr_end, x->body);
    }
    free(reqline);
    strbuf_done(&req);
    /* A held stream has no length: it ends when the connection does. */
    char clen[64] = "";
    if (!x->hold)
        snprintf(clen, sizeof(clen), "Content-Length: %zu\r\n", x->rbody_len + (x->drop ? 100 : 0));
    char *head = xasprintf("%s\r\n%s%sConnection: close\r\n\r\n", x->status, x->rhdrs.buf, clen);
    write_all(fd, head, strlen(head), 0);
    free(head);
    write_all(fd, x->rbody, x->rbody_len, x->chunk);
    if (x->hold && ts->nheld < ARRAY_LEN(ts->held)) {
        ts->held[ts->nheld++] = fd;
        return;
    }
    if (x->drop) {
        /* An abortive close: the client sees the stream cut short. */
        struct linger lg = {1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    }
    close(fd);
}

static void *ts_main(void *arg)
{
    struct testserver *ts = arg;
    for (;;) {
        struct pollfd pf[2] = {{ts->lfd, POLLIN, 0}, {ts->stop_pipe[0], POLLIN, 0}};
        if (poll(pf, 2, -1) < 0 && errno != EINTR)
            break;
        if (pf[1].revents)
            break;
        if (pf[0].revents) {
            int fd = accept(ts->lfd, NULL, NULL);
            if (fd >= 0) {
                int one = 1;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
                serve(ts, fd);
            }
        }
    }
    return NULL;
}

struct testserver *testserver_start(const char *case_path)
{
    char *text;
    size_t len;
    struct error err;
    error_clear(&err);
    /* bench/kube_list.sh 100000 writes a case of about 200 MiB */
    if (file_read_all(case_path, (size_t)1 << 31, &text, &len, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return NULL;
    }
    struct testserver *ts = xcalloc(1, sizeof(*ts));
    strbuf_init(&ts->errors);
    pthread_mutex_init(&ts->mu, NULL);
    int rc = parse_case(ts, text);
    free(text);
    if (rc < 0 || pipe(ts->stop_pipe) < 0) {
        free(ts);
        return NULL;
    }
    ts->lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t al = sizeof(a);
    if (bind(ts->lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ts->lfd, 16) < 0 ||
        getsockname(ts->lfd, (struct sockaddr *)&a, &al) < 0) {
        perror("testserver");
        free(ts);
        return NULL;
    }
    ts->port = ntohs(a.sin_port);
    pthread_create(&ts->thread, NULL, ts_main, ts);
    return ts;
}

int testserver_port(const struct testserver *ts)
{
    return ts->port;
}

size_t testserver_served(struct testserver *ts)
{
    pthread_mutex_lock(&ts->mu);
    size_t n = ts->served;
    pthread_mutex_unlock(&ts->mu);
    return n;
}

size_t testserver_expected(const struct testserver *ts)
{
    return ts->nex;
}

char *testserver_errors(struct testserver *ts)
{
    pthread_mutex_lock(&ts->mu);
    char *s = xstrdup(ts->errors.buf);
    pthread_mutex_unlock(&ts->mu);
    return s;
}

void testserver_stop(struct testserver *ts)
{
    if (!ts)
        return;
    (void)!write(ts->stop_pipe[1], "x", 1);
    pthread_join(ts->thread, NULL);
    for (size_t i = 0; i < ts->nheld; i++)
        close(ts->held[i]);
    close(ts->lfd);
    close(ts->stop_pipe[0]);
    close(ts->stop_pipe[1]);
    for (size_t i = 0; i < ts->nex; i++) {
        struct exchange *x = &ts->ex[i];
        free(x->reqline);
        for (size_t h = 0; h < x->nhdrs; h++)
            free(x->hdrs[h]);
        free(x->hdrs);
        free(x->body);
        free(x->status);
        strbuf_done(&x->rhdrs);
        free(x->rbody);
    }
    free(ts->ex);
    strbuf_done(&ts->errors);
    pthread_mutex_destroy(&ts->mu);
    free(ts);
}

struct kube_config *testserver_config(const struct testserver *ts, const char *token,
                                      const char *user_desc)
{
    struct kube_config *cfg = xcalloc(1, sizeof(*cfg));
    cfg->files = xstrdup("test");
    cfg->context_file = xstrdup("test");
    cfg->context = xstrdup("test");
    cfg->cluster = xstrdup("test");
    cfg->user = xstrdup("test");
    cfg->ns = xstrdup("dify");
    cfg->server = xasprintf("http://127.0.0.1:%d", testserver_port(ts));
    cfg->token = xstrdup(token);
    cfg->user_desc = xstrdup(user_desc);
    return cfg;
}
