/* core/kube_http.h: libcurl's multi interface driven by the program's loop.
 * curl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to
 * wake (CURLMOPT_TIMERFUNCTION); the loop calls back into
 * curl_multi_socket_action. Nothing here blocks. One transfer is one
 * struct kube_http_xfer: a request with TLS material, bounded reply buffering
 * or streaming, timeouts, and cancellation after which no callback runs. */
#ifndef CORE_KUBE_HTTP_H
#define CORE_KUBE_HTTP_H

#include <stdbool.h>
#include <stddef.h>

struct error;
struct loop;
struct kube_http;
struct kube_http_xfer;

/* Streaming: called with body bytes of a 2xx reply as they arrive. Return 0
 * to go on, -1 to stop the transfer (the done callback then gets err set). */
typedef int (*kube_http_chunk_cb)(const char *data, size_t n, void *arg);
/* A buffered 2xx reply so far (len bytes from its start), each time a piece
 * of it arrives. curl is on the stack: start or cancel no transfer here. */
typedef void (*kube_http_peek_cb)(const char *data, size_t len, void *arg);
/* What the reply's headers said, beyond the status. */
struct kube_http_info {
    long retry_after;     /* Retry-After in seconds, -1 when absent or not a number */
    const char *location; /* Location of a redirect, or NULL */
};

/* The end of a transfer. status is the HTTP status (0 when no reply came);
 * body holds the buffered reply (for a streamed 2xx reply: empty): the
 * transfer's own buffer, with a NUL after its len bytes, which the callback
 * may write into (kube_client parses list pages in place). err is NULL on
 * transport success, whatever the status. info is never NULL. The transfer
 * is freed after this returns: the owner forgets its pointer here. */
typedef void (*kube_http_done_cb)(long status, char *body, size_t len, const struct error *err,
                                  const struct kube_http_info *info, void *arg);

struct kube_http_opts {
    const char *method;         /* GET, POST, PATCH, PUT, DELETE */
    const char *url;            /* full URL */
    const char *const *headers; /* NULL-terminated "Name: value" lines */
    const char *body;           /* request body, may be NULL */
    size_t body_len;
    const char *ca_pem; /* CA bundle blob; NULL: system store */
    size_t ca_len;
    bool insecure;               /* skip verification */
    const char *tls_server_name; /* SNI and certificate name override */
    const char *proxy;
    const char *cert_pem, *key_pem; /* client certificate */
    long connect_timeout_ms;        /* 0: 10 s */
    long timeout_ms;                /* 0: none (watches, follows) */
    size_t max_body;                /* buffered replies larger than this fail; 0: 64 MiB */
    kube_http_chunk_cb on_chunk;    /* streaming; NULL: buffer the body */
    void *chunk_arg;
    kube_http_peek_cb on_peek; /* a buffered reply as it arrives; may be NULL */
    void *peek_arg;
};

/* The offset of the first byte that may not appear in an HTTP header value
 * (a control character other than tab, or DEL: what Go's net/http refuses,
 * so client-go does too), or -1 when the value is fine. A token with CR/LF
 * would otherwise add headers of its own to every request. */
long kube_http_bad_header_byte(const char *value);

/* A transfer's error ("GET https://host:port/path?query: reason", as done
 * reports it) said briefly for a narrow screen: the host (with its port;
 * an IPv6 literal in its brackets) into host, and the reason into why,
 * without curl's "Failed to connect to <host> port N after M ms: " when it
 * only repeats the host, and without the kubeconfig entry kube_client adds
 * in parentheses when that names the host again. A message of another
 * shape goes into why whole, with host "". */
void kube_http_err_brief(const char *msg, char *host, size_t hn, char *why, size_t wn);

struct kube_http *kube_http_new(struct loop *l);
/* Cancels every transfer still running (no callbacks) and frees. */
void kube_http_free(struct kube_http *h);

/* Starts a transfer; it runs as the loop turns. Never fails synchronously: a
 * bad option is reported through done on the next loop turn. */
struct kube_http_xfer *kube_http_start(struct kube_http *h, const struct kube_http_opts *o,
                                       kube_http_done_cb done, void *arg);
/* Stops a transfer; done is not called. Safe from inside chunk callbacks. */
void kube_http_cancel(struct kube_http_xfer *x);

#endif
