/* core/kube_client.h: the one Kubernetes API client. It owns the resolved
 * kubeconfig, the curl multi (core/kube_http.c) and the credential: a static
 * token or client certificate, or an exec plugin's credential cached until its
 * expirationTimestamp and refreshed once on a 401 (the request is retried with
 * the new credential). Requests are asynchronous on the loop; whoever starts
 * one owns it and may cancel it, after which no callback runs.
 * Above the raw request: paged lists, server-side apply, delete, rollout
 * restart, pod logs and GETs through the service proxy. Watches are in
 * core/kube_watch.h, the object cache in core/kube_store.h. */
#ifndef CORE_KUBE_CLIENT_H
#define CORE_KUBE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/kube_kinds.h" /* struct kube_resource, kube_resource_find */

struct cJSON;
struct error;
struct loop;
struct kube_config;
struct kube_client;
struct kube_req;

/* "/api/v1/namespaces/NS/pods[/NAME]"; ns NULL or a cluster-scoped
 * resource: no namespace part. Names are percent-encoded. */
char *kube_resource_path(const struct kube_resource *r, const char *ns, const char *name);
/* Appends "&key=value" (or "?key=value" first) with value percent-encoded. */
void kube_query_add(char **path, const char *key, const char *value);

/* Limits; zero fields keep the defaults (10 s connect, 60 s requests,
 * 64 MiB replies, 30 s exec plugins, 1 s first retry after a 429/503). */
struct kube_client_limits {
    long connect_timeout_ms;
    long timeout_ms;
    size_t max_body;
    long long exec_timeout_ms;
    long retry_initial_ms; /* first wait after a 429/503 without Retry-After (1 s) */
};

/* Takes ownership of cfg. */
struct kube_client *kube_client_new(struct loop *l, struct kube_config *cfg);
/* Cancels every request (no callbacks) and frees. Not from inside one of
 * the client's callbacks; the loop must still exist. */
void kube_client_free(struct kube_client *c);
const struct kube_config *kube_client_config(const struct kube_client *c);
struct loop *kube_client_loop(const struct kube_client *c);
void kube_client_set_limits(struct kube_client *c, const struct kube_client_limits *lim);
/* How many times the exec plugin ran (diagnostics, tests). */
unsigned kube_client_exec_runs(const struct kube_client *c);
/* Requests in flight or waiting for a credential. */
size_t kube_client_pending(const struct kube_client *c);

/* The end of a request. err is NULL only for a 2xx reply; for an error
 * status it holds "METHOD PATH: CODE Reason: message" (from a Status body
 * when there is one) and detail = the status. body is the reply (empty for a
 * streamed 2xx reply). The request is freed after this returns. */
typedef void (*kube_done_cb)(long status, const char *body, size_t len, const struct error *err,
                             void *arg);
/* Streamed 2xx body bytes (watch, log follow): return -1 to stop. */
typedef int (*kube_chunk_cb)(const char *data, size_t n, void *arg);
/* A buffered 2xx reply so far, each time a piece arrives (the HTTP library
 * is on the stack: start or cancel no request from here). */
typedef void (*kube_peek_cb)(const char *data, size_t len, void *arg);

struct kube_req_opts {
    const char *method;       /* NULL: GET */
    const char *path;         /* "/api/v1/...?query", already encoded */
    const char *content_type; /* for a body */
    const char *accept;       /* NULL: application/json */
    const char *body;
    size_t body_len;
    kube_chunk_cb on_chunk; /* stream a 2xx body instead of buffering it */
    void *chunk_arg;
    long timeout_ms; /* 0: the client's; -1: none (streams) */
    size_t max_body; /* 0: the client's */
    /* More "Name: value" headers, NULL-terminated (may be NULL). They are
     * wiped when the request is freed: a header may carry a key. */
    const char *const *headers;
    bool no_retry; /* a 429/503 is the answer, not sent again */
    /* A buffered 2xx reply as it arrives (kube_http.h); may be NULL. */
    kube_peek_cb on_peek;
    void *peek_arg;
};

struct kube_req *kube_request(struct kube_client *c, const struct kube_req_opts *o,
                              kube_done_cb done, void *arg);
void kube_req_cancel(struct kube_req *r);

/* ---- lists ---- */

/* One item of a list page; the tree is valid only during the call. */
typedef void (*kube_item_cb)(const struct cJSON *item, void *arg);
/* The end of a list: the list's resourceVersion, or err. */
typedef void (*kube_list_done_cb)(const char *resource_version, const struct error *err, void *arg);

struct kube_list_opts {
    const struct kube_resource *res;
    const char *ns;             /* NULL: all namespaces (or cluster-scoped) */
    const char *label_selector; /* may be NULL */
    const char *field_selector; /* may be NULL */
    long limit;                 /* page size; 0: 500 */
};

struct kube_list;
/* Fetches every page (limit/continue) and calls item for each object. */
struct kube_list *kube_list_start(struct kube_client *c, const struct kube_list_opts *o,
                                  kube_item_cb item, kube_list_done_cb done, void *arg);
void kube_list_cancel(struct kube_list *l);
/* Parses one list page (the part kube_list runs on each reply): item for
 * each object until *stop; *cont and *rv are set (caller frees). what names
 * the request in messages. */
int kube_list_parse_page(const char *body, size_t len, const char *what, kube_item_cb item,
                         void *arg, bool *stop, char **cont, char **rv, struct error *err);

/* ---- writes and reads with a fixed shape; done as for kube_request ---- */

/* Server-side apply: PATCH application/apply-patch+yaml with
 * fieldManager=dify-tui&force=true. body is YAML or JSON text. */
struct kube_req *kube_apply(struct kube_client *c, const struct kube_resource *res, const char *ns,
                            const char *name, const char *body, size_t len, kube_done_cb done,
                            void *arg);
/* DELETE with a propagationPolicy (NULL: the server's default). */
struct kube_req *kube_delete(struct kube_client *c, const struct kube_resource *res, const char *ns,
                             const char *name, const char *propagation, kube_done_cb done,
                             void *arg);
/* kubectl rollout restart: a merge patch of the pod template's
 * kubectl.kubernetes.io/restartedAt annotation to the RFC 3339 time now. */
struct kube_req *kube_rollout_restart(struct kube_client *c, const struct kube_resource *res,
                                      const char *ns, const char *name, long long now,
                                      kube_done_cb done, void *arg);
/* GET one object. */
struct kube_req *kube_get(struct kube_client *c, const struct kube_resource *res, const char *ns,
                          const char *name, kube_done_cb done, void *arg);

struct kube_log_opts {
    const char *container; /* NULL: the only one */
    long tail_lines;       /* < 0: all */
    long limit_bytes;      /* <= 0: none */
    bool follow;           /* stream until the container stops or cancel */
    bool timestamps;
    bool previous; /* the previous instance's log (kubectl logs --previous) */
};
/* Pod logs. With on_chunk the bytes go to it as they come (a follow, or a
 * log too long to hold: memory stays what the caller keeps) and done gets
 * no body; without it the body arrives in done (bounded by the client's
 * max_body). An error status's body always arrives in done. */
struct kube_req *kube_logs(struct kube_client *c, const char *ns, const char *pod,
                           const struct kube_log_opts *o, kube_chunk_cb on_chunk, void *chunk_arg,
                           kube_done_cb done, void *arg);
/* GET /api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH: done gets the
 * service's status and body (an error status still sets err). */
struct kube_req *kube_service_proxy_get(struct kube_client *c, const char *ns, const char *service,
                                        const char *port, const char *path, kube_done_cb done,
                                        void *arg);
/* The same with headers of the caller's ("X-Api-Key: ..."; NULL-terminated)
 * that the API server passes on to the service. */
struct kube_req *kube_service_proxy_request(struct kube_client *c, const char *ns,
                                            const char *service, const char *port, const char *path,
                                            const char *const *headers, kube_done_cb done,
                                            void *arg);

#endif
