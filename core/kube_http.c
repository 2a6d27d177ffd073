/* core/kube_http.c: curl multi on the loop. Sockets and the one curl timer are
 * registered with the loop; transfers are easy handles with a small record
 * each. A transfer cancelled while curl is on the stack (from a chunk
 * callback) is only marked, and removed as soon as curl returns. */
#include "config.h"

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/kube_http.h"
#include "core/loop.h"
#include "core/util.h"

#define KUBE_HTTP_DEFAULT_MAX_BODY (64u << 20)
/* All reply headers together; an API server sends a few hundred bytes.
 * curl itself refuses one header line over 100 KiB (CURL_MAX_HTTP_HEADER). */
#define KUBE_HTTP_MAX_HEADERS (64u << 10)
/* A finished transfer's receive buffer up to this size is kept for the next
 * buffered reply (a list's next page starts before the page before it is
 * freed), so the pages of a list reuse one buffer instead of each growing a
 * fresh one by doubling: copies and page faults of about twice its size
 * (docs/bench.md). It is freed once no buffered transfer is running. */
#define KUBE_HTTP_SPARE_MAX (16u << 20)

struct kube_http {
    struct loop *loop;
    CURLM *multi;
    long long timer; /* loop timer id for curl's timeout, 0 when none */
    int depth;       /* > 0 while curl_multi_socket_action runs */
    struct kube_http_xfer *head;
    size_t active;
    size_t buffering;            /* running transfers that buffer their reply */
    struct strbuf spare;         /* a receive buffer for the next one; cap 0: none */
    unsigned long long progress; /* bytes or replies curl handed over (http_drive_held) */
};

struct kube_http_xfer {
    struct kube_http *h;
    CURL *easy;
    struct curl_slist *hdrs;
    struct curl_slist *connect_to;
    char *body;
    char *url;
    char *method;
    struct strbuf buf;
    bool buf_ready; /* buf was sized for the reply (spare taken, Content-Length) */
    size_t max_body;
    bool too_big;
    bool headers_too_big;
    size_t header_bytes;
    long retry_after;
    char *location;
    char *reply_type; /* the caller's, or NULL */
    bool chunk_stop;
    bool cancelled;
    bool added;
    curl_socket_t sock; /* its connection's socket, as curl's socket callback says */
    kube_http_chunk_cb on_chunk;
    void *chunk_arg;
    kube_http_peek_cb on_peek;
    void *peek_arg;
    kube_http_done_cb done;
    void *arg;
    long long fail_timer; /* a start failure reported on the next turn */
    struct error fail;
    char errbuf[CURL_ERROR_SIZE];
    struct kube_http_xfer *prev, *next;
};

static void spare_drop(struct kube_http *h)
{
    if (h->spare.cap)
        strbuf_done(&h->spare);
}

/* A finished transfer's buffer: kept as the spare while another buffered
 * transfer runs (the bigger of the two), else freed. */
static void http_keep_buffer(struct kube_http *h, struct strbuf *b)
{
    if (h->buffering > 0 && b->cap <= KUBE_HTTP_SPARE_MAX && b->cap > h->spare.cap) {
        spare_drop(h);
        h->spare = *b;
        h->spare.len = 0;
        b->buf = NULL;
        b->cap = 0;
    }
    strbuf_done(b);
    if (h->buffering == 0)
        spare_drop(h);
}

static void xfer_unlink_free(struct kube_http_xfer *x)
{
    struct kube_http *h = x->h;
    if (x->added)
        curl_multi_remove_handle(h->multi, x->easy);
    if (x->easy)
        curl_easy_cleanup(x->easy);
    if (x->fail_timer)
        loop_cancel_timer(h->loop, x->fail_timer);
    curl_slist_free_all(x->hdrs);
    curl_slist_free_all(x->connect_to);
    if (x->body)
        str_free_secret(x->body);
    free(x->url);
    free(x->method);
    free(x->location);
    if (!x->on_chunk)
        h->buffering--;
    http_keep_buffer(h, &x->buf);
    if (x->prev)
        x->prev->next = x->next;
    else
        h->head = x->next;
    if (x->next)
        x->next->prev = x->prev;
    h->active--;
    free(x);
}

static void http_reap_cancelled(struct kube_http *h)
{
    struct kube_http_xfer *x = h->head;
    while (x) {
        struct kube_http_xfer *next = x->next;
        if (x->cancelled)
            xfer_unlink_free(x);
        x = next;
    }
}

static void http_check_done(struct kube_http *h)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(h->multi, &left))) {
        h->progress++;
        if (m->msg != CURLMSG_DONE)
            continue;
        struct kube_http_xfer *x = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        CURLcode res = m->data.result;
        curl_multi_remove_handle(h->multi, x->easy);
        x->added = false;
        if (x->cancelled) {
            xfer_unlink_free(x);
            continue;
        }
        long status = 0;
        curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
        struct error e;
        error_clear(&e);
        const struct error *ep = NULL;
        if (x->too_big) {
            error_set(&e, ERR_HTTP, status, "%s %s: reply larger than %zu bytes", x->method, x->url,
                      x->max_body);
            ep = &e;
        } else if (x->headers_too_big) {
            error_set(&e, ERR_NETWORK, res,
                      "%s %s: the reply's headers are larger than %u KiB; an API server sends a "
                      "few hundred bytes, so this is likely not one",
                      x->method, x->url, KUBE_HTTP_MAX_HEADERS >> 10);
            ep = &e;
        } else if (res == CURLE_OUT_OF_MEMORY) {
            /* What libcurl 7.x says of one header line over its 100 KiB
             * limit (CURL_MAX_HTTP_HEADER); our own allocations abort. */
            error_set(&e, ERR_NETWORK, res,
                      "%s %s: the reply has a header line over curl's 100 KiB limit (curl: %s); "
                      "an API server sends a few hundred bytes, so this is likely not one",
                      x->method, x->url, x->errbuf[0] ? x->errbuf : curl_easy_strerror(res));
            ep = &e;
        } else if (x->chunk_stop) {
            error_set(&e, ERR_CANCELLED, 0, "%s %s: stopped by the reader", x->method, x->url);
            ep = &e;
        } else if (res != CURLE_OK) {
            error_set(&e, ERR_NETWORK, res, "%s %s: %s", x->method, x->url,
                      x->errbuf[0] ? x->errbuf : curl_easy_strerror(res));
            ep = &e;
        }
        x->cancelled = true; /* from here on, cancel is a no-op */
        struct kube_http_info info = {x->retry_after, x->location};
        x->done(status, x->buf.buf, x->buf.len, ep, &info, x->arg);
        xfer_unlink_free(x);
    }
}

/* The socket of a transfer whose connection's OpenSSL holds received bytes
 * not yet handed to curl, else CURL_SOCKET_BAD. */
static curl_socket_t http_tls_held(struct kube_http *h)
{
    for (struct kube_http_xfer *x = h->head; x; x = x->next) {
        if (!x->added || x->cancelled || x->sock == CURL_SOCKET_BAD)
            continue;
        struct curl_tlssessioninfo *ti = NULL;
        if (curl_easy_getinfo(x->easy, CURLINFO_TLS_SSL_PTR, &ti) != CURLE_OK || !ti ||
            ti->backend != CURLSSLBACKEND_OPENSSL || !ti->internals)
            continue;
        if (SSL_has_pending((SSL *)ti->internals))
            return x->sock;
    }
    return CURL_SOCKET_BAD;
}

/* With read-ahead, OpenSSL reads whole records ahead of what curl asked
 * for; curl 7.88 asks only SSL_pending (bytes of a record already opened)
 * whether more is there, so once the socket is drained the rest of a reply
 * may wait inside OpenSSL with nothing for the loop to wake on. After curl
 * ran, a transfer with bytes held is run again, as if its socket were
 * readable, while that hands something over. What OpenSSL holds may be only
 * the start of a record (SSL_has_pending counts it too), which waits for
 * the socket: after three runs in a row that gave nothing, the loop waits
 * for the socket again. */
static void http_drive_held(struct kube_http *h)
{
    curl_socket_t s;
    int idle = 0;
    while (idle < 3 && (s = http_tls_held(h)) != CURL_SOCKET_BAD) {
        unsigned long long before = h->progress;
        int running;
        h->depth++;
        curl_multi_socket_action(h->multi, s, CURL_CSELECT_IN, &running);
        h->depth--;
        http_reap_cancelled(h);
        http_check_done(h);
        idle = h->progress == before ? idle + 1 : 0;
    }
}

static void http_on_fd(struct loop *l, int fd, int events, void *arg)
{
    struct kube_http *h = arg;
    int flags = 0, running;
    if (events & LOOP_READ)
        flags |= CURL_CSELECT_IN;
    if (events & LOOP_WRITE)
        flags |= CURL_CSELECT_OUT;
    h->depth++;
    curl_multi_socket_action(h->multi, fd, flags, &running);
    h->depth--;
    http_reap_cancelled(h);
    http_check_done(h);
    http_drive_held(h);
}

static void http_on_timer(struct loop *l, long long id, void *arg)
{
    struct kube_http *h = arg;
    int running;
    h->timer = 0;
    h->depth++;
    curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    h->depth--;
    http_reap_cancelled(h);
    http_check_done(h);
    http_drive_held(h);
}

static int http_socket_cb(CURL *e, curl_socket_t s, int what, void *userp, void *sockp)
{
    struct kube_http *h = userp;
    struct kube_http_xfer *x = NULL;
    if (curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&x) == CURLE_OK && x)
        x->sock = what == CURL_POLL_REMOVE ? CURL_SOCKET_BAD : s;
    if (what == CURL_POLL_REMOVE) {
        loop_del_fd(h->loop, s);
        return 0;
    }
    int mask = 0;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
        mask |= LOOP_READ;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
        mask |= LOOP_WRITE;
    loop_add_fd(h->loop, s, mask, http_on_fd, h);
    return 0;
}

static int http_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    struct kube_http *h = userp;
    if (h->timer) {
        loop_cancel_timer(h->loop, h->timer);
        h->timer = 0;
    }
    /* curl must not be re-entered from here: a 0 ms loop timer does it. */
    if (timeout_ms >= 0)
        h->timer = loop_add_timer(h->loop, timeout_ms, http_on_timer, h);
    return 0;
}

long kube_http_bad_header_byte(const char *value)
{
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if ((*p < 0x20 && *p != '\t') || *p == 0x7F)
            return (long)(p - (const unsigned char *)value);
    return -1;
}

/* The start of a trailing " (...)" that names the URL's host again (the
 * kubeconfig entry kube_client adds to a transport error: "(FILE: context
 * \"k\": cluster \"c\": server \"https://HOST\")"), or end. */
static const char *origin_start(const char *why, const char *end, const char *host, size_t hl)
{
    if (end == why || end[-1] != ')')
        return end;
    const char *found = end;
    for (const char *q = strstr(why, " ("); q && q < end; q = strstr(q + 2, " ("))
        found = q; /* the last one */
    if (found == end)
        return end;
    for (const char *q = found; q + 3 + hl <= end; q++)
        if (!strncmp(q, "://", 3) && !strncmp(q + 3, host, hl))
            return found;
    return end;
}

void kube_http_err_brief(const char *msg, char *host, size_t hn, char *why, size_t wn)
{
    if (hn)
        host[0] = '\0';
    snprintf(why, wn, "%s", msg);
    const char *p = msg;
    while (*p >= 'A' && *p <= 'Z')
        p++;
    if (p == msg || *p != ' ')
        return;
    const char *url = p + 1;
    const char *h = strstr(url, "://");
    const char *colon = strstr(url, ": ");
    const char *sp = strchr(url, ' ');
    if (!h || !colon || (sp && sp < colon) || h > colon)
        return;
    h += 3;
    size_t hl = strcspn(h, "/?#");
    if (h + hl > colon)
        hl = (size_t)(colon - h);
    if (hl == 0)
        return;
    snprintf(host, hn, "%.*s", (int)hl, h);
    const char *r = colon + 2;
    const char *end = origin_start(r, r + strlen(r), h, hl);
    /* curl's errbuf names the host again before its own reason, without
     * the port and, for an IPv6 literal ("[::1]:6443"), without the
     * brackets ("Failed to connect to ::1 port 6443") */
    const char *name = h;
    size_t nl = strcspn(h, ":/?#");
    if (h[0] == '[') {
        name = h + 1;
        nl = strcspn(name, "]");
    }
    const char *last = NULL;
    for (const char *q = strstr(r, ": "); q && q + 2 < end; q = strstr(q + 2, ": "))
        last = q;
    if (last && nl) {
        for (const char *q = r; q + nl <= last; q++)
            if (!strncmp(q, name, nl)) {
                r = last + 2;
                break;
            }
    }
    snprintf(why, wn, "%.*s", (int)(end - r), r);
}

struct kube_http *kube_http_new(struct loop *l)
{
    static bool global_done;
    if (!global_done) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        global_done = true;
    }
    struct kube_http *h = xcalloc(1, sizeof(*h));
    h->loop = l;
    h->multi = curl_multi_init();
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, http_socket_cb);
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, http_timer_cb);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
    /* HTTP/2 streams share one connection to the API server. */
    curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    return h;
}

void kube_http_free(struct kube_http *h)
{
    if (!h)
        return;
    while (h->head)
        xfer_unlink_free(h->head);
    /* curl must not schedule a timer on a loop that outlives h. */
    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, NULL);
    curl_multi_cleanup(h->multi);
    if (h->timer)
        loop_cancel_timer(h->loop, h->timer);
    spare_drop(h);
    free(h);
}

/* Before the first bytes of a buffered reply: take the spare buffer, and
 * make room for the whole reply when its Content-Length is known (within
 * max_body; a wrong length only means a later realloc). */
static void http_size_buffer(struct kube_http_xfer *x)
{
    struct kube_http *h = x->h;
    x->buf_ready = true;
    if (x->buf.len == 0 && h->spare.cap > x->buf.cap) {
        strbuf_done(&x->buf);
        x->buf = h->spare;
        x->buf.len = 0;
        x->buf.buf[0] = '\0';
        h->spare = (struct strbuf){NULL, 0, 0};
    }
    curl_off_t cl = -1;
    if (curl_easy_getinfo(x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) == CURLE_OK && cl > 0 &&
        (size_t)cl <= x->max_body && (size_t)cl + 1 > x->buf.cap) {
        x->buf.buf = xrealloc(x->buf.buf, (size_t)cl + 1);
        x->buf.cap = (size_t)cl + 1;
    }
}

static size_t http_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct kube_http_xfer *x = userdata;
    size_t n = size * nmemb;
    x->h->progress += n;
    if (x->cancelled)
        return 0;
    long status = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    if (x->on_chunk && status >= 200 && status < 300) {
        if (x->on_chunk(ptr, n, x->chunk_arg) < 0) {
            if (!x->cancelled)
                x->chunk_stop = true;
            return 0;
        }
        return x->cancelled ? 0 : n;
    }
    if (x->buf.len + n > x->max_body) {
        x->too_big = true;
        return 0;
    }
    if (!x->buf_ready)
        http_size_buffer(x);
    strbuf_add(&x->buf, ptr, n);
    if (x->on_peek && status >= 200 && status < 300)
        x->on_peek(x->buf.buf, x->buf.len, x->peek_arg);
    return n;
}

/* The value in header line ptr (n bytes) when the line is header name
 * ("Location:", in any case): blanks before it and the line end after it
 * cut; NULL when the line is another header. */
static const char *header_value(const char *ptr, size_t n, const char *name, size_t *vlen)
{
    size_t len = strlen(name);
    if (n <= len || strncasecmp(ptr, name, len) != 0)
        return NULL;
    const char *v = ptr + len;
    size_t l = n - len;
    while (l && (*v == ' ' || *v == '\t'))
        v++, l--;
    while (l && (v[l - 1] == '\r' || v[l - 1] == '\n' || v[l - 1] == ' '))
        l--;
    *vlen = l;
    return v;
}

/* One header line of the reply (curl calls this for every response of a
 * transfer, so a 100 Continue's headers come first and are reset). */
static size_t http_header_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct kube_http_xfer *x = userdata;
    size_t n = size * nmemb;
    x->h->progress += n;
    if (n >= 5 && !strncmp(ptr, "HTTP/", 5)) {
        x->retry_after = -1;
        free(x->location);
        x->location = NULL;
        if (x->reply_type)
            x->reply_type[0] = '\0';
    }
    x->header_bytes += n;
    if (x->header_bytes > KUBE_HTTP_MAX_HEADERS) {
        x->headers_too_big = true;
        return 0;
    }
    size_t vlen;
    const char *v;
    if ((v = header_value(ptr, n, "Retry-After:", &vlen))) {
        char num[32];
        size_t k = 0;
        while (k < vlen && k < sizeof(num) - 1 && v[k] >= '0' && v[k] <= '9')
            num[k] = v[k], k++;
        num[k] = '\0';
        /* an HTTP date is not used by the API server: treated as absent */
        x->retry_after = k > 0 && k < 10 ? atol(num) : -1;
    } else if (x->reply_type && (v = header_value(ptr, n, "Content-Type:", &vlen))) {
        if (vlen >= KUBE_HTTP_TYPE_LEN)
            vlen = KUBE_HTTP_TYPE_LEN - 1;
        memcpy(x->reply_type, v, vlen);
        x->reply_type[vlen] = '\0';
    } else if ((v = header_value(ptr, n, "Location:", &vlen))) {
        free(x->location);
        x->location = xstrndup(v, vlen < 1024 ? vlen : 1024);
    }
    return n;
}

/* Each TLS connection's OpenSSL context (curl with OpenSSL only): read
 * ahead (http_drive_held), so a record and its header come in one recv, not
 * two. Its buffer keeps OpenSSL's size (one record and a bit): a bigger one
 * takes several records a recv, but OpenSSL moves what is left to the
 * buffer's start before each record (payload alignment): at 128 KiB that
 * copied 3.5 bytes a byte received, more than the recvs it saved
 * (docs/bench.md). */
static CURLcode http_ssl_ctx_cb(CURL *e, void *sslctx, void *arg)
{
    SSL_CTX_set_read_ahead((SSL_CTX *)sslctx, 1);
    return CURLE_OK;
}

static void http_fail_later(struct loop *l, long long id, void *arg)
{
    struct kube_http_xfer *x = arg;
    x->fail_timer = 0;
    struct error e = x->fail;
    x->cancelled = true;
    struct kube_http_info info = {-1, NULL};
    x->done(0, x->buf.buf, 0, &e, &info, x->arg); /* empty */
    xfer_unlink_free(x);
}

struct kube_http_xfer *kube_http_start(struct kube_http *h, const struct kube_http_opts *o,
                                       kube_http_done_cb done, void *arg)
{
    struct kube_http_xfer *x = xcalloc(1, sizeof(*x));
    x->h = h;
    x->done = done;
    x->arg = arg;
    x->on_chunk = o->on_chunk;
    x->chunk_arg = o->chunk_arg;
    x->on_peek = o->on_peek;
    x->peek_arg = o->peek_arg;
    x->reply_type = o->reply_type;
    if (x->reply_type)
        x->reply_type[0] = '\0';
    x->max_body = o->max_body ? o->max_body : KUBE_HTTP_DEFAULT_MAX_BODY;
    x->retry_after = -1;
    x->url = xstrdup(o->url);
    x->method = xstrdup(o->method ? o->method : "GET");
    strbuf_init(&x->buf);
    if (!x->on_chunk)
        h->buffering++;
    error_clear(&x->fail);
    x->next = h->head;
    if (h->head)
        h->head->prev = x;
    h->head = x;
    h->active++;

    x->sock = CURL_SOCKET_BAD;
    CURL *e = x->easy = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_write_cb);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_header_cb);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 10000L);
    if (o->timeout_ms > 0)
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    /* TLS 1.3 with AES-128-GCM first, as Go's crypto/tls (kubectl) asks on a
     * CPU with AES instructions: OpenSSL asks for AES-256-GCM first, and
     * decrypting a list is about a tenth of the client's CPU (docs/bench.md). */
    curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, http_ssl_ctx_cb);
    curl_easy_setopt(e, CURLOPT_TLS13_CIPHERS,
                     "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256");
    /* The API server sends gzip only when asked; the bound applies to the
     * decoded size either way. */
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    /* Without proxy-url, curl follows HTTPS_PROXY/NO_PROXY like kubectl does. */
    if (o->proxy)
        curl_easy_setopt(e, CURLOPT_PROXY, o->proxy);

    const char *url = o->url;
    char *rewritten = NULL;
    if (o->tls_server_name && str_starts_with(url, "https://")) {
        /* curl has no SNI override: ask for the TLS name and connect to the
         * real host instead (CURLOPT_CONNECT_TO). */
        const char *host = url + 8;
        size_t hl = strcspn(host, "/");
        char *hostport = xstrndup(host, hl);
        char *colon = strrchr(hostport, ':');
        const char *port = colon && !strchr(colon, ']') ? colon + 1 : "443";
        if (colon && !strchr(colon, ']'))
            *colon = '\0';
        rewritten = xasprintf("https://%s:%s%s", o->tls_server_name, port, host + hl);
        char *ct = xasprintf("%s:%s:%s:%s", o->tls_server_name, port, hostport, port);
        /* curl does not copy lists: the transfer keeps it until freed. */
        x->connect_to = curl_slist_append(NULL, ct);
        curl_easy_setopt(e, CURLOPT_CONNECT_TO, x->connect_to);
        free(ct);
        free(hostport);
        url = rewritten;
    }
    curl_easy_setopt(e, CURLOPT_URL, url);
    free(rewritten);

    struct curl_slist *hl = NULL;
    for (const char *const *p = o->headers; p && *p; p++) {
        size_t name_len = strcspn(*p, ":");
        long bad = kube_http_bad_header_byte(*p);
        if (bad >= 0) {
            long in_value = bad - (long)name_len - ((*p)[name_len] ? 2 : 0);
            /* Never send it: CR/LF would start a header of its own. The
             * header's value may be a secret, so only its name is shown. */
            error_set(&x->fail, ERR_INVALID, 0,
                      "%s %s: header %.*s holds a control character (byte %ld of its value); "
                      "not sent",
                      x->method, x->url, (int)name_len, *p, in_value < 0 ? bad : in_value);
            break;
        }
        hl = curl_slist_append(hl, *p);
    }
    /* No "Expect: 100-continue" round trip for PATCH/POST bodies. */
    hl = curl_slist_append(hl, "Expect:");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hl);
    x->hdrs = hl;

    if (!strcmp(x->method, "GET")) {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, x->method);
        if (o->body) {
            x->body = xmalloc(o->body_len + 1);
            memcpy(x->body, o->body, o->body_len);
            x->body[o->body_len] = '\0';
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body);
            curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)o->body_len);
        } else if (!strcmp(x->method, "POST") || !strcmp(x->method, "PATCH") ||
                   !strcmp(x->method, "PUT")) {
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
            curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
        }
    }

    if (o->insecure) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (o->ca_pem) {
        struct curl_blob b = {(void *)o->ca_pem, o->ca_len, CURL_BLOB_COPY};
        if (curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &b) != CURLE_OK)
            error_set(&x->fail, ERR_NETWORK, 0, "%s %s: this libcurl cannot take a CA blob",
                      x->method, x->url);
    }
    if (o->cert_pem && o->key_pem) {
        struct curl_blob cb = {(void *)o->cert_pem, strlen(o->cert_pem), CURL_BLOB_COPY};
        struct curl_blob kb = {(void *)o->key_pem, strlen(o->key_pem), CURL_BLOB_COPY};
        curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
        curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
        if (curl_easy_setopt(e, CURLOPT_SSLCERT_BLOB, &cb) != CURLE_OK ||
            curl_easy_setopt(e, CURLOPT_SSLKEY_BLOB, &kb) != CURLE_OK)
            error_set(&x->fail, ERR_NETWORK, 0,
                      "%s %s: this libcurl cannot take client certificate blobs", x->method,
                      x->url);
    }
    if (!error_is_set(&x->fail)) {
        CURLMcode mc = curl_multi_add_handle(h->multi, e);
        if (mc == CURLM_OK)
            x->added = true;
        else
            error_set(&x->fail, ERR_INTERNAL, mc, "%s %s: %s", x->method, x->url,
                      curl_multi_strerror(mc));
    }
    if (error_is_set(&x->fail))
        x->fail_timer = loop_add_timer(h->loop, 0, http_fail_later, x);
    return x;
}

void kube_http_cancel(struct kube_http_xfer *x)
{
    if (!x || x->cancelled)
        return;
    x->cancelled = true;
    if (x->h->depth == 0)
        xfer_unlink_free(x);
}
