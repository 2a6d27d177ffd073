/* sim/http.h: one request as the handlers see it, and the reply they fill.
 * http.c owns the libmicrohttpd daemon, routing, bearer-token auth and the
 * Kubernetes Status error bodies. */
#ifndef SIM_HTTP_H
#define SIM_HTTP_H

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <sys/types.h>

#include "core/util.h"

struct rtype;

/* A parsed request. */
struct req {
    struct MHD_Connection *conn; /* for query arguments and headers */
    const char *method;          /* GET, POST, ... */
    const char *url;             /* decoded path, no query */
    struct strbuf body;          /* the uploaded body */
    const char *user;            /* the authenticated user name */
    struct rtype *rt;            /* resource, NULL for non-resource paths */
    char *ns;                    /* namespace from the path, or NULL */
    char *name;                  /* object name, or NULL for collections */
    char *sub;                   /* subresource ("status", "log", "proxy"...) or NULL */
    char *rest;                  /* for proxy: the path after /proxy, with query */
    bool table;                  /* the client accepts meta.k8s.io/v1 Table */
    bool proto;                  /* its Accept puts protobuf first (and no Table): a kind the
                                    writer has (sim/proto_write.h) is answered in protobuf */
};

typedef ssize_t (*stream_read_cb)(void *cls, uint64_t pos, char *buf, size_t max);
typedef void (*stream_free_cb)(void *cls);

/* What a handler answers. */
struct reply {
    int code;   /* HTTP status */
    char *body; /* owned */
    size_t len;
    const char *ctype; /* Content-Type */
    char *hdr_name;    /* one extra header (owned), e.g. X-Version */
    char *hdr_value;
    stream_read_cb stream; /* set for a streamed (chunked) body instead */
    stream_free_cb stream_free;
    void *stream_cls;
};

/* Starts the HTTPS server on 127.0.0.1:port (0 = any free port); returns the
 * bound port or -1. */
int http_start(int port, const char *cert_pem, const char *key_pem);
void http_stop(void);

/* Tokens: a user name, its bearer token and the verbs it may use ("*" = all). */
void http_add_user(const char *name, const char *token, const char *verbs);

const char *req_arg(const struct req *r, const char *name);
const char *req_header(const struct req *r, const char *name);
bool req_arg_true(const struct req *r, const char *name);

void reply_json(struct reply *rep, int code, cJSON *j); /* takes j */
void reply_text(struct reply *rep, int code, const char *ctype, const char *text);
void reply_take(struct reply *rep, int code, const char *ctype, char *body, size_t len);
/* A Kubernetes Status with status Failure. kind/name fill details when set. */
void reply_status(struct reply *rep, int code, const char *reason, const char *kind,
                  const char *name, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Is the connection's peer gone? Streams poll this while idle. */
bool conn_closed(struct MHD_Connection *c);

#endif
