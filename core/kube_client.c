/* core/kube_client.c: requests to the API server with the kubeconfig's
 * credentials, the exec plugin's credential cache, Status errors, paged lists
 * and the fixed-shape calls (apply, delete, restart, logs, service proxy). */
#include "config.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_exec.h"
#include "core/kube_http.h"
#include "core/kube_jparse.h"
#include "core/kube_pb.h"
#include "core/kube_json.h"
#include "core/kubeconfig.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"

/* 429/503: at most this many tries of one request, waits up to 30 s. */
#define KUBE_RETRY_TRIES 5
#define KUBE_RETRY_MAX_MS 30000
/* A list of more pages than this is a server that never ends it (at 500 a
 * page: 10 million objects). */
#define KUBE_LIST_MAX_PAGES 20000u

static void url_encode(struct strbuf *sb, const char *s, bool keep_slash)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~' ||
            (keep_slash && ch == '/'))
            strbuf_addc(sb, (char)ch);
        else
            strbuf_addf(sb, "%%%02X", ch);
    }
}

char *kube_resource_path(const struct kube_resource *r, const char *ns, const char *name)
{
    struct strbuf sb;
    strbuf_init(&sb);
    kube_resource_prefix(r, &sb);
    if (r->namespaced && !str_empty(ns)) {
        strbuf_adds(&sb, "/namespaces/");
        url_encode(&sb, ns, false);
    }
    strbuf_addc(&sb, '/');
    strbuf_adds(&sb, r->plural);
    if (!str_empty(name)) {
        strbuf_addc(&sb, '/');
        url_encode(&sb, name, false);
    }
    return strbuf_detach(&sb, NULL);
}

void kube_query_add(char **path, const char *key, const char *value)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, *path);
    strbuf_addc(&sb, strchr(*path, '?') ? '&' : '?');
    strbuf_adds(&sb, key);
    strbuf_addc(&sb, '=');
    url_encode(&sb, value, false);
    free(*path);
    *path = strbuf_detach(&sb, NULL);
}

struct kube_req {
    struct kube_client *c;
    char *method, *path, *content_type, *accept, *body;
    size_t body_len;
    char **extra; /* the caller's own "Name: value" headers (may hold a secret) */
    size_t nextra;
    kube_chunk_cb on_chunk;
    void *chunk_arg;
    kube_peek_cb on_peek;
    void *peek_arg;
    char *reply_type; /* the caller's buffer, else own_type */
    char own_type[KUBE_HTTP_TYPE_LEN];
    long timeout_ms;
    size_t max_body;
    bool no_retry; /* a 429/503 is the answer (the service proxy) */
    kube_done_cb done;
    void *arg;
    struct kube_http_xfer *x;
    unsigned waiting_round; /* > 0: waiting for the exec plugin's round N */
    unsigned cred_gen;      /* which credential the request was sent with */
    bool retried;           /* already re-sent once after a 401 */
    unsigned throttled;     /* 429/503 replies so far (retried with backoff) */
    long long retry_timer;  /* waiting to re-send after a 429/503 */
    struct kube_req *prev, *next;
};

struct kube_client {
    struct loop *loop;
    struct kube_config *cfg;
    struct kube_http *http;
    struct kube_client_limits lim;
    struct kube_cred *cred; /* the exec plugin's, when there is one */
    unsigned cred_gen;
    struct kube_exec_job *exec_job;
    unsigned exec_round;
    unsigned exec_runs;
    char *file_token;        /* tokenFile's token as last read (NULL: cfg->token) */
    long long file_token_ms; /* when it was read (0: at load, in cfg->token) */
    struct kube_req *reqs;
    size_t nreqs;
    unsigned pages[2]; /* list pages read: JSON, protobuf */
};

struct kube_client *kube_client_new(struct loop *l, struct kube_config *cfg)
{
    struct kube_client *c = xcalloc(1, sizeof(*c));
    c->loop = l;
    c->cfg = cfg;
    c->http = kube_http_new(l);
    c->lim = (struct kube_client_limits){10000, 60000, 64u << 20, 30000, 1000};
    if (cfg->token)
        log_add_secret(cfg->token);
    if (cfg->exec && cfg->exec->deprecated)
        log_warn("%s: exec apiVersion %s is deprecated; use client.authentication.k8s.io/v1",
                 cfg->user_desc ? cfg->user_desc : cfg->context, cfg->exec->api_version);
    if (cfg->insecure)
        log_warn("kubeconfig context \"%s\": insecure-skip-tls-verify is set: the API server's "
                 "certificate is not checked",
                 cfg->context);
    return c;
}

unsigned kube_client_pages(const struct kube_client *c, bool proto)
{
    return c->pages[proto];
}

static void req_free(struct kube_req *r)
{
    struct kube_client *c = r->c;
    if (r->prev)
        r->prev->next = r->next;
    else
        c->reqs = r->next;
    if (r->next)
        r->next->prev = r->prev;
    c->nreqs--;
    if (r->retry_timer)
        loop_cancel_timer(c->loop, r->retry_timer);
    free(r->method);
    free(r->path);
    free(r->content_type);
    free(r->accept);
    if (r->body)
        str_free_secret(r->body);
    for (size_t i = 0; i < r->nextra; i++)
        str_free_secret(r->extra[i]);
    free(r->extra);
    free(r);
}

void kube_client_free(struct kube_client *c)
{
    if (!c)
        return;
    kube_exec_cancel(c->exec_job);
    while (c->reqs) {
        if (c->reqs->x)
            kube_http_cancel(c->reqs->x);
        req_free(c->reqs);
    }
    kube_http_free(c->http);
    kube_cred_free(c->cred);
    if (c->file_token)
        str_free_secret(c->file_token);
    kube_config_free(c->cfg);
    free(c);
}

const struct kube_config *kube_client_config(const struct kube_client *c)
{
    return c->cfg;
}

struct loop *kube_client_loop(const struct kube_client *c)
{
    return c->loop;
}

void kube_client_set_limits(struct kube_client *c, const struct kube_client_limits *lim)
{
    if (lim->connect_timeout_ms)
        c->lim.connect_timeout_ms = lim->connect_timeout_ms;
    if (lim->timeout_ms)
        c->lim.timeout_ms = lim->timeout_ms;
    if (lim->max_body)
        c->lim.max_body = lim->max_body;
    if (lim->exec_timeout_ms)
        c->lim.exec_timeout_ms = lim->exec_timeout_ms;
    if (lim->retry_initial_ms)
        c->lim.retry_initial_ms = lim->retry_initial_ms;
}

unsigned kube_client_exec_runs(const struct kube_client *c)
{
    return c->exec_runs;
}

size_t kube_client_pending(const struct kube_client *c)
{
    return c->nreqs;
}

static bool cred_usable(const struct kube_client *c)
{
    if (!c->cfg->exec)
        return true;
    if (!c->cred)
        return false;
    /* Refresh a little before the expiry so a request does not race it. */
    return c->cred->expires == 0 || (long long)time(NULL) < c->cred->expires - 10;
}

static void req_send(struct kube_req *r, bool fresh);

/* The message path: without the query, which may be long. */
static char *req_msg_path(const struct kube_req *r)
{
    return xstrndup(r->path, strcspn(r->path, "?"));
}

/* Where the cluster comes from, for transport and redirect messages:
 * "FILE: context \"k\": cluster \"c\": server \"URL\"". */
static char *req_where(const struct kube_client *c)
{
    const struct kube_config *cfg = c->cfg;
    return xasprintf("%s: context \"%s\": cluster \"%s\": server \"%s\"",
                     cfg->context_file ? cfg->context_file : cfg->files, cfg->context,
                     cfg->cluster ? cfg->cluster : "", cfg->server);
}

static void req_finish(struct kube_req *r, long status, const char *body, size_t len,
                       const struct error *err, const char *location)
{
    kube_done_cb done = r->done;
    void *arg = r->arg;
    struct error e;
    error_clear(&e);
    const struct error *ep = err;
    if (!err && (status < 200 || status >= 300)) {
        char *p = req_msg_path(r);
        /* a server that answers protobuf says its Status in protobuf too */
        char *pb = kube_pb_media(r->reply_type)
                       ? kube_pb_status_json((const unsigned char *)body, len)
                       : NULL;
        kube_status_error(&e, r->method, p, status, pb ? pb : body, pb ? strlen(pb) : len);
        free(pb);
        free(p);
        ep = &e;
        if (status >= 300 && status < 400) {
            /* client-go does not follow redirects to another place either:
             * the kubeconfig's server is not the API server itself. */
            char *where = req_where(r->c);
            error_append(&e,
                         ": the server redirects to %s; the kubeconfig's server should be "
                         "the API server itself (%s)",
                         location ? location : "(no Location)", where);
            free(where);
        } else if (r->throttled) {
            error_append(&e, " (gave up after %u tries)", r->throttled);
        }
    } else if (err && err->code == ERR_NETWORK) {
        /* A transport failure is about the cluster entry: say which. */
        e = *err;
        char *where = req_where(r->c);
        error_append(&e, " (%s)", where);
        free(where);
        ep = &e;
    }
    r->x = NULL;
    /* The request leaves the list before done runs, so done may start or
     * cancel others freely. */
    r->done = NULL;
    if (done)
        done(status, body, len, ep, arg);
    req_free(r);
}

static void exec_done(struct kube_cred *cred, const struct error *err, void *arg)
{
    struct kube_client *c = arg;
    unsigned round = c->exec_round;
    c->exec_job = NULL;
    if (cred) {
        kube_cred_free(c->cred);
        c->cred = cred;
        c->cred_gen++;
        if (cred->token)
            log_add_secret(cred->token);
    }
    /* One at a time: a callback may cancel or start other requests. */
    for (;;) {
        struct kube_req *r = c->reqs;
        while (r && r->waiting_round != round)
            r = r->next;
        if (!r)
            break;
        r->waiting_round = 0;
        if (cred)
            req_send(r, true);
        else
            req_finish(r, 0, "", 0, err, NULL);
    }
}

static void req_retry_fired(struct loop *l, long long id, void *arg)
{
    struct kube_req *r = arg;
    r->retry_timer = 0;
    req_send(r, false);
}

/* The wait before re-sending after the n-th 429/503: the server's
 * Retry-After when it gave one, else the initial delay doubled per try up
 * to 30 s; either way times a random factor in [0.75, 1.25) so that many
 * clients do not come back in step. */
static long long retry_delay_ms(const struct kube_client *c, unsigned n, long retry_after)
{
    long long base = c->lim.retry_initial_ms;
    for (unsigned i = 1; i < n && base < KUBE_RETRY_MAX_MS; i++)
        base *= 2;
    if (retry_after >= 0)
        base = retry_after * 1000LL;
    if (base > KUBE_RETRY_MAX_MS)
        base = KUBE_RETRY_MAX_MS;
    return base * 3 / 4 + (base > 1 ? random() % (base / 2 + 1) : 0);
}

/* tokenFile's token, read again as client-go reads it (its cached file
 * token source): when the copy is a minute old, and at once after a 401.
 * A file that cannot be read, is empty or holds a control character
 * leaves the token as it was (said in the log). True when it changed. */
#define TOKEN_FILE_PERIOD_MS 60000
static bool token_file_read(struct kube_client *c, bool now)
{
    long long t = now_ms();
    if (!c->file_token_ms)
        c->file_token_ms = t; /* cfg->token was read at load */
    if (!now && t - c->file_token_ms < TOKEN_FILE_PERIOD_MS)
        return false;
    c->file_token_ms = t;
    const char *path = c->cfg->token_file;
    char *tok = NULL;
    size_t len = 0;
    struct error e;
    error_clear(&e);
    if (file_read_all(path, 1u << 20, &tok, &len, &e) < 0) {
        log_warn("tokenFile %s: %s (the token read before is kept)", path, e.msg);
        return false;
    }
    while (len > 0 && (tok[len - 1] == '\n' || tok[len - 1] == '\r' || tok[len - 1] == ' '))
        tok[--len] = '\0';
    const char *cur = c->file_token ? c->file_token : c->cfg->token;
    bool changed = len && kube_http_bad_header_byte(tok) < 0 && !str_eq(tok, cur);
    if (len && kube_http_bad_header_byte(tok) >= 0)
        log_warn("tokenFile %s: the token holds a control character (the token read before "
                 "is kept)",
                 path);
    if (!changed) {
        str_free_secret(tok);
        return false;
    }
    log_add_secret(tok);
    log_info("tokenFile %s: read a new token", path);
    if (c->file_token)
        str_free_secret(c->file_token);
    c->file_token = tok;
    return true;
}

static void req_http_done(long status, char *body, size_t len, const struct error *err,
                          const struct kube_http_info *info, void *arg)
{
    struct kube_req *r = arg;
    struct kube_client *c = r->c;
    r->x = NULL;
    if (!err && (status == 429 || status == 503) && !r->no_retry &&
        r->throttled + 1 < KUBE_RETRY_TRIES) {
        /* Too many requests, or an API server that is starting or
         * overloaded: wait and send again, as client-go does. */
        r->throttled++;
        long long ms = retry_delay_ms(c, r->throttled, info->retry_after);
        log_info("%s %s: %ld: trying again in %lld ms (%u of %u)", r->method, r->path, status, ms,
                 r->throttled + 1, KUBE_RETRY_TRIES);
        r->retry_timer = loop_add_timer(c->loop, ms, req_retry_fired, r);
        return;
    }

    if (!err && status == 401 && c->cfg->exec && !r->retried) {
        /* The credential was revoked or expired early: ask the plugin again
         * (once per credential) and send this request once more. */
        r->retried = true;
        if (r->cred_gen == c->cred_gen && c->cred) {
            kube_cred_free(c->cred);
            c->cred = NULL;
        }
        req_send(r, false);
        return;
    }
    if (!err && status == 401 && c->cfg->token_file && !c->cfg->exec && !r->retried &&
        token_file_read(c, true)) {
        /* the file holds another token now (a projected ServiceAccount token
         * rotated, a login that rewrote it): send this request once more */
        r->retried = true;
        req_send(r, false);
        return;
    }
    if (!err && (status == 429 || status == 503) && !r->no_retry)
        r->throttled++;
    req_finish(r, status, body, len, err, info->location);
}

/* fresh: the plugin just answered for this request; use its credential
 * even if it claims to be expired already (a clock skew or a broken plugin
 * must not make us run it in a loop). */
static void req_send(struct kube_req *r, bool fresh)
{
    struct kube_client *c = r->c;
    const struct kube_config *cfg = c->cfg;
    if (!(fresh && c->cred) && !cred_usable(c)) {
        if (!c->exec_job) {
            c->exec_round++;
            c->exec_runs++;
            log_info("running exec credential plugin \"%s\" for context \"%s\"", cfg->exec->command,
                     cfg->context);
            c->exec_job = kube_exec_start(c->loop, cfg->exec, cfg->user_desc,
                                          c->lim.exec_timeout_ms, exec_done, c);
        }
        r->waiting_round = c->exec_round;
        return;
    }
    if (cfg->token_file && !cfg->exec)
        token_file_read(c, false);
    const char *token = cfg->exec       ? (c->cred ? c->cred->token : NULL)
                        : c->file_token ? c->file_token
                                        : cfg->token;
    const char *cert =
        cfg->exec && c->cred && c->cred->cert_pem ? c->cred->cert_pem : cfg->cert_pem;
    const char *key = cfg->exec && c->cred && c->cred->key_pem ? c->cred->key_pem : cfg->key_pem;
    char *h_accept = xasprintf("Accept: %s", r->accept ? r->accept : "application/json");
    char *h_ct = r->content_type ? xasprintf("Content-Type: %s", r->content_type) : NULL;
    char *h_auth = token ? xasprintf("Authorization: Bearer %s", token) : NULL;
    const char **headers = xcalloc(5 + r->nextra, sizeof(*headers));
    size_t nh = 0;
    headers[nh++] = h_accept;
    headers[nh++] = "User-Agent: " PACKAGE_NAME "/" PACKAGE_VERSION;
    if (h_ct)
        headers[nh++] = h_ct;
    if (h_auth)
        headers[nh++] = h_auth;
    for (size_t i = 0; i < r->nextra; i++)
        headers[nh++] = r->extra[i];
    headers[nh] = NULL;
    char *url = xasprintf("%s%s", cfg->server, r->path);
    struct kube_http_opts o = {
        .method = r->method,
        .url = url,
        .headers = headers,
        .body = r->body,
        .body_len = r->body_len,
        .ca_pem = cfg->ca_pem,
        .ca_len = cfg->ca_len,
        .insecure = cfg->insecure,
        .tls_server_name = cfg->tls_server_name,
        .proxy = cfg->proxy_url,
        .cert_pem = cert,
        .key_pem = key,
        .connect_timeout_ms = c->lim.connect_timeout_ms,
        .timeout_ms = r->timeout_ms < 0 ? 0
                      : r->timeout_ms   ? r->timeout_ms
                                        : c->lim.timeout_ms,
        .max_body = r->max_body ? r->max_body : c->lim.max_body,
        .on_chunk = r->on_chunk,
        .chunk_arg = r->chunk_arg,
        .on_peek = r->on_peek,
        .peek_arg = r->peek_arg,
        .reply_type = r->reply_type,
    };
    r->cred_gen = c->cred_gen;
    r->x = kube_http_start(c->http, &o, req_http_done, r);
    free(url);
    free(headers);
    free(h_accept);
    free(h_ct);
    str_free_secret(h_auth);
}

struct kube_req *kube_request(struct kube_client *c, const struct kube_req_opts *o,
                              kube_done_cb done, void *arg)
{
    struct kube_req *r = xcalloc(1, sizeof(*r));
    r->c = c;
    r->method = xstrdup(o->method ? o->method : "GET");
    r->path = xstrdup(o->path);
    r->content_type = xstrdup_or_null(o->content_type);
    r->accept = xstrdup_or_null(o->accept);
    if (o->body) {
        r->body = xmalloc(o->body_len + 1);
        memcpy(r->body, o->body, o->body_len);
        r->body[o->body_len] = '\0';
        r->body_len = o->body_len;
    }
    for (const char *const *h = o->headers; h && *h; h++) {
        r->extra = xrealloc(r->extra, (r->nextra + 1) * sizeof(*r->extra));
        r->extra[r->nextra++] = xstrdup(*h);
    }
    r->on_chunk = o->on_chunk;
    r->chunk_arg = o->chunk_arg;
    r->on_peek = o->on_peek;
    r->peek_arg = o->peek_arg;
    r->reply_type = o->reply_type ? o->reply_type : r->own_type;
    r->timeout_ms = o->timeout_ms;
    r->max_body = o->max_body;
    r->no_retry = o->no_retry;
    r->done = done;
    r->arg = arg;
    r->next = c->reqs;
    if (c->reqs)
        c->reqs->prev = r;
    c->reqs = r;
    c->nreqs++;
    req_send(r, false);
    return r;
}

void kube_req_cancel(struct kube_req *r)
{
    if (!r)
        return;
    if (r->x)
        kube_http_cancel(r->x);
    req_free(r);
}

/* ---- lists ---- */

/* A page of a list: asked for with the token cont, its reply looked at as it
 * arrives for the next page's token, kept when it is complete before the
 * page before it. */
struct list_page {
    struct kube_list *l;
    struct kube_req *req;
    char *cont;   /* the token it was asked with; NULL: the first page */
    bool decided; /* its reply's next token was looked for (found or not) */
    char *next;   /* that token, read before the items */
    bool in;      /* its reply is in, kept below until its turn */
    char *body;
    size_t len;
    bool failed;
    struct error err;
    char type[KUBE_HTTP_TYPE_LEN]; /* its reply's Content-Type */
};

struct kube_list {
    struct kube_client *c;
    const struct kube_resource *res;
    char *base;               /* path with selectors and limit */
    unsigned long long *seen; /* hashes of the continue tokens had so far */
    size_t pages;
    /* the page being read, and the next one asked for while it arrives
     * (its token comes in the list's metadata, before the items): the
     * server prepares and sends a page while the client parses the one
     * before it */
    struct list_page *cur, *ahead;
    long long ahead_timer;
    kube_item_cb item;
    kube_list_done_cb done;
    void *arg;
    bool in_page;
    bool cancelled;
    bool proto; /* asks for protobuf (kube_list_opts.projected) */
};

static void page_free(struct list_page *p)
{
    if (!p)
        return;
    kube_req_cancel(p->req);
    free(p->cont);
    free(p->next);
    free(p->body);
    free(p);
}

static void list_free(struct kube_list *l)
{
    if (l->ahead_timer)
        loop_cancel_timer(l->c->loop, l->ahead_timer);
    page_free(l->cur);
    page_free(l->ahead);
    free(l->base);
    free(l->seen);
    free(l);
}

static struct list_page *list_ask(struct kube_list *l, const char *cont);

static void list_fail(struct kube_list *l, const struct error *err)
{
    kube_list_done_cb done = l->done;
    void *arg = l->arg;
    list_free(l);
    done(NULL, err, arg);
}

static int json_error(struct error *err, const char *what, size_t len, size_t at)
{
    if (len == 0)
        return error_set(err, ERR_PARSE, 0, "%s: empty reply", what);
    return error_set(err, ERR_PARSE, 0,
                     "%s: invalid JSON in the reply (%zu bytes, error at byte %zu)%s", what, len,
                     at, at + 1 >= len ? ": truncated?" : "");
}

struct page_items {
    kube_item_cb item;
    void *arg;
    bool *stop;
};

static void page_item(const cJSON *it, void *arg)
{
    struct page_items *pi = arg;
    if (cJSON_IsObject(it) && !(pi->stop && *pi->stop))
        pi->item(it, pi->arg);
}

/* kube_list_parse_page; with in_place, body is writable with a NUL after it
 * and the parser reads it without a copy. */
static int parse_page(const char *body, size_t len, bool in_place, const char *what,
                      kube_item_cb item, void *arg, bool *stop, char **cont, char **rv,
                      struct error *err)
{
    *cont = *rv = NULL;
    size_t at = 0;
    /* the items go to item as they are read (kube_jparse_list) */
    struct page_items pi = {item, arg, stop};
    unsigned flags = KUBE_JPARSE_NO_MANAGED_FIELDS | (in_place ? KUBE_JPARSE_IN_PLACE : 0);
    cJSON *j = kube_jparse_list(body, len, flags, page_item, &pi, &at);
    if (!j || !cJSON_IsObject(j)) {
        if (j)
            error_set(err, ERR_PARSE, 0, "%s: the reply is not a JSON object (%zu bytes)", what,
                      len);
        else
            json_error(err, what, len, at);
        kube_jparse_free(j);
        return -1;
    }
    const cJSON *items = kj_get(j, "items");
    if (items && !cJSON_IsArray(items) && !cJSON_IsNull(items)) {
        kube_jparse_free(j);
        return error_set(err, ERR_PARSE, 0, "%s: the reply's items are not a list", what);
    }
    if (!kj_has(j, "kind") && !items) {
        kube_jparse_free(j);
        return error_set(err, ERR_PARSE, 0, "%s: the reply is not a list (no kind, no items)",
                         what);
    }
    const char *c = kj_str(j, "metadata.continue");
    *cont = str_empty(c) ? NULL : xstrdup(c);
    *rv =
        xstrdup(kj_str(j, "metadata.resourceVersion") ? kj_str(j, "metadata.resourceVersion") : "");
    kube_jparse_free(j);
    return 0;
}

int kube_list_parse_page(const char *body, size_t len, const char *what, kube_item_cb item,
                         void *arg, bool *stop, char **cont, char **rv, struct error *err)
{
    return parse_page(body, len, false, what, item, arg, stop, cont, rv, err);
}

/* A server that hands out a continue token it gave before (or pages
 * without end) would keep the pager going forever: a token seen twice in
 * one list, or more than KUBE_LIST_MAX_PAGES pages, ends it with an error. */
static int list_seen(struct kube_list *l, const char *cont, struct error *err)
{
    unsigned long long h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)cont; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    char *what = xstrndup(l->base, strcspn(l->base, "?"));
    int rc = 0;
    for (size_t i = 0; i < l->pages && rc == 0; i++)
        if (l->seen[i] == h)
            rc = error_set(err, ERR_PARSE, 0,
                           "GET %s: the server sent continue token \"%.64s%s\" again after "
                           "page %zu (it gave it first after page %zu); the list would not end",
                           what, cont, strlen(cont) > 64 ? "..." : "", l->pages + 1, i + 1);
    if (rc == 0 && l->pages + 1 >= KUBE_LIST_MAX_PAGES)
        rc = error_set(err, ERR_PARSE, 0, "GET %s: more than %u pages; the list would not end",
                       what, KUBE_LIST_MAX_PAGES);
    free(what);
    if (rc < 0)
        return rc;
    l->seen = xrealloc(l->seen, (l->pages + 1) * sizeof(*l->seen));
    l->seen[l->pages++] = h;
    return 0;
}

/* The token of "continue" in the reply's first "metadata", when they come
 * before "items" (as API servers write lists): 1 when decided (*next set,
 * or NULL for none or a reply this does not follow: the page after is then
 * asked for once this one is parsed), 0 when more of the reply is needed.
 * Only an optimization: the page's parse has the last word. */
static int cont_scan(const char *s, size_t n, char **next)
{
    const char *p = s, *end = s + n;
    *next = NULL;
    if (n > (64u << 10))
        return 1; /* not in the first 64 KiB */
#define WS()                                                                                       \
    do {                                                                                           \
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))                   \
            p++;                                                                                   \
        if (p >= end)                                                                              \
            return 0;                                                                              \
    } while (0)
        /* p to the closing quote of the string it is in (one with an escape is
         * not followed) */
#define STRING()                                                                                   \
    do {                                                                                           \
        while (p < end && *p != '"' && *p != '\\')                                                 \
            p++;                                                                                   \
        if (p >= end)                                                                              \
            return 0;                                                                              \
        if (*p == '\\')                                                                            \
            return 1;                                                                              \
    } while (0)
    WS();
    if (*p++ != '{')
        return 1;
    bool in_meta = false;
    for (;;) {
        WS();
        if (*p == '}')
            return 1; /* the end of metadata, or of the reply: no token */
        if (*p == ',') {
            p++;
            WS();
        }
        if (*p != '"')
            return 1;
        const char *k = ++p;
        STRING();
        size_t klen = (size_t)(p++ - k);
        WS();
        if (*p++ != ':')
            return 1;
        WS();
        if (!in_meta && klen == 8 && !memcmp(k, "metadata", 8)) {
            if (*p++ != '{')
                return 1;
            in_meta = true;
            continue;
        }
        if (!in_meta && klen == 5 && !memcmp(k, "items", 5))
            return 1; /* the items before the metadata */
        if (*p == '"') {
            const char *v = ++p;
            STRING();
            if (in_meta && klen == 8 && !memcmp(k, "continue", 8)) {
                if (p > v)
                    *next = xstrndup(v, (size_t)(p - v));
                return 1;
            }
            p++;
        } else if (*p == '{' || *p == '[') {
            return 1;
        } else {
            if (in_meta && klen == 8 && !memcmp(k, "continue", 8))
                return 1; /* not a string: no token */
            while (p < end && *p != ',' && *p != '}')
                p++;
            if (p >= end)
                return 0;
        }
    }
#undef STRING
#undef WS
}

static void ahead_fire(struct loop *loop, long long id, void *arg)
{
    struct kube_list *l = arg;
    l->ahead_timer = 0;
    if (l->cur && l->cur->next && !l->ahead)
        l->ahead = list_ask(l, l->cur->next);
}

/* The page after the current one asked for (from the loop: the HTTP
 * library may be on the stack) once the current page's next token is
 * known, unless it is asked for already. */
static void ahead_arm(struct kube_list *l)
{
    struct list_page *p = l->cur;
    if (p && p->decided && p->next && !l->ahead && !l->ahead_timer)
        l->ahead_timer = loop_add_timer(l->c->loop, 0, ahead_fire, l);
}

/* The page's next token found: ask for that page now, when it is the page
 * being read. */
static void page_peek(const char *data, size_t len, void *arg)
{
    struct list_page *p = arg;
    if (p->decided)
        return;
    int rc = kube_pb_media(p->type) ? kube_pb_list_cont((const unsigned char *)data, len, &p->next)
                                    : cont_scan(data, len, &p->next);
    if (rc == 0)
        return;
    p->decided = true;
    if (p == p->l->cur)
        ahead_arm(p->l);
}

static void page_done(long status, const char *body, size_t len, const struct error *err,
                      void *arg);

static struct list_page *list_ask(struct kube_list *l, const char *cont)
{
    struct list_page *p = xcalloc(1, sizeof(*p));
    p->l = l;
    p->cont = xstrdup_or_null(cont);
    char *path = xstrdup(l->base);
    if (cont)
        kube_query_add(&path, "continue", cont);
    struct kube_req_opts o = {.path = path,
                              .on_peek = page_peek,
                              .peek_arg = p,
                              .accept = l->proto ? KUBE_PB_ACCEPT : NULL,
                              .reply_type = p->type};
    p->req = kube_request(l->c, &o, page_done, p);
    free(path);
    return p;
}

/* The current page's reply (its transfer's buffer, writable with a NUL
 * after it, or a kept copy): its items, then the next page. */
static void list_take(struct kube_list *l, const char *body, size_t len, const char *type,
                      const struct error *err)
{
    if (err) {
        list_fail(l, err);
        return;
    }
    struct error e;
    error_clear(&e);
    char *what = xasprintf("GET %s", l->base);
    *strchr(what, '?') = '\0';
    char *cont, *rv;
    l->in_page = true;
    /* parsed in place, not copied (kube_http.h) */
    /* the reply's Content-Type says how it is encoded, not what was asked */
    l->c->pages[kube_pb_media(type)]++;
    int rc = kube_pb_media(type) ? kube_pb_list((const unsigned char *)body, len, l->res, what,
                                                l->item, l->arg, &l->cancelled, &cont, &rv, &e)
                                 : parse_page(body, len, true, what, l->item, l->arg, &l->cancelled,
                                              &cont, &rv, &e);
    l->in_page = false;
    free(what);
    if (l->cancelled) {
        free(cont);
        free(rv);
        list_free(l);
        return;
    }
    if (rc < 0) {
        list_fail(l, &e);
        return;
    }
    if (!cont) {
        kube_list_done_cb done = l->done;
        void *a = l->arg;
        list_free(l);
        done(rv, NULL, a);
        free(rv);
        return;
    }
    free(rv);
    if (list_seen(l, cont, &e) < 0) {
        free(cont);
        list_fail(l, &e);
        return;
    }
    /* the page asked for ahead, when it was asked with this token */
    page_free(l->cur);
    l->cur = NULL;
    if (l->ahead && str_eq(l->ahead->cont, cont)) {
        l->cur = l->ahead;
        l->ahead = NULL;
    } else {
        page_free(l->ahead);
        l->ahead = NULL;
        l->cur = list_ask(l, cont);
    }
    free(cont);
    struct list_page *p = l->cur;
    if (p->in) {
        /* it came in while the page before was read */
        struct error pe = p->err;
        list_take(l, p->body, p->len, p->type, p->failed ? &pe : NULL);
        return;
    }
    ahead_arm(l);
}

static void page_done(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct list_page *p = arg;
    struct kube_list *l = p->l;
    p->req = NULL;
    if (p == l->cur) {
        list_take(l, body, len, p->type, err);
        return;
    }
    /* the page ahead, in before the current one: kept for its turn */
    p->in = true;
    if (err) {
        p->failed = true;
        p->err = *err;
        return;
    }
    p->body = xmalloc(len + 1);
    memcpy(p->body, body, len);
    p->body[len] = '\0';
    p->len = len;
}

struct kube_list *kube_list_start(struct kube_client *c, const struct kube_list_opts *o,
                                  kube_item_cb item, kube_list_done_cb done, void *arg)
{
    struct kube_list *l = xcalloc(1, sizeof(*l));
    l->c = c;
    l->res = o->res;
    l->item = item;
    l->done = done;
    l->arg = arg;
    l->proto = o->projected && kube_pb_wanted(o->res);
    l->base = kube_resource_path(o->res, o->ns, NULL);
    if (!str_empty(o->label_selector))
        kube_query_add(&l->base, "labelSelector", o->label_selector);
    if (!str_empty(o->field_selector))
        kube_query_add(&l->base, "fieldSelector", o->field_selector);
    char lim[32];
    snprintf(lim, sizeof(lim), "%ld", o->limit > 0 ? o->limit : 500);
    kube_query_add(&l->base, "limit", lim);
    l->cur = list_ask(l, NULL);
    return l;
}

void kube_list_cancel(struct kube_list *l)
{
    if (!l)
        return;
    if (l->in_page) {
        l->cancelled = true;
        return;
    }
    list_free(l);
}

/* ---- fixed-shape calls ---- */

struct kube_req *kube_apply(struct kube_client *c, const struct kube_resource *res, const char *ns,
                            const char *name, const char *body, size_t len, kube_done_cb done,
                            void *arg)
{
    char *path = kube_resource_path(res, ns, name);
    kube_query_add(&path, "fieldManager", "dify-tui");
    kube_query_add(&path, "force", "true");
    struct kube_req_opts o = {.method = "PATCH",
                              .path = path,
                              .content_type = "application/apply-patch+yaml",
                              .body = body,
                              .body_len = len};
    struct kube_req *r = kube_request(c, &o, done, arg);
    free(path);
    return r;
}

struct kube_req *kube_delete(struct kube_client *c, const struct kube_resource *res, const char *ns,
                             const char *name, const char *propagation, kube_done_cb done,
                             void *arg)
{
    char *path = kube_resource_path(res, ns, name);
    char *body = NULL;
    if (propagation)
        body = xasprintf("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                         "\"propagationPolicy\":\"%s\"}",
                         propagation);
    struct kube_req_opts o = {.method = "DELETE",
                              .path = path,
                              .content_type = body ? "application/json" : NULL,
                              .body = body,
                              .body_len = body ? strlen(body) : 0};
    struct kube_req *r = kube_request(c, &o, done, arg);
    free(path);
    free(body);
    return r;
}

struct kube_req *kube_rollout_restart(struct kube_client *c, const struct kube_resource *res,
                                      const char *ns, const char *name, long long now,
                                      kube_done_cb done, void *arg)
{
    char ts[32];
    kube_time_format(now, ts, sizeof(ts));
    char *path = kube_resource_path(res, ns, name);
    char *body = xasprintf("{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{"
                           "\"kubectl.kubernetes.io/restartedAt\":\"%s\"}}}}}",
                           ts);
    struct kube_req_opts o = {.method = "PATCH",
                              .path = path,
                              .content_type = "application/merge-patch+json",
                              .body = body,
                              .body_len = strlen(body)};
    struct kube_req *r = kube_request(c, &o, done, arg);
    free(path);
    free(body);
    return r;
}

struct kube_req *kube_get(struct kube_client *c, const struct kube_resource *res, const char *ns,
                          const char *name, kube_done_cb done, void *arg)
{
    char *path = kube_resource_path(res, ns, name);
    struct kube_req_opts o = {.path = path};
    struct kube_req *r = kube_request(c, &o, done, arg);
    free(path);
    return r;
}

struct kube_req *kube_logs(struct kube_client *c, const char *ns, const char *pod,
                           const struct kube_log_opts *lo, kube_chunk_cb on_chunk, void *chunk_arg,
                           kube_done_cb done, void *arg)
{
    const struct kube_resource *pods = kube_resource_get(KUBE_POD);
    char *path = kube_resource_path(pods, ns, pod);
    char *p2 = xasprintf("%s/log", path);
    free(path);
    char num[32];
    if (!str_empty(lo->container))
        kube_query_add(&p2, "container", lo->container);
    if (lo->follow)
        kube_query_add(&p2, "follow", "true");
    if (lo->limit_bytes > 0) {
        snprintf(num, sizeof(num), "%ld", lo->limit_bytes);
        kube_query_add(&p2, "limitBytes", num);
    }
    if (lo->tail_lines >= 0) {
        snprintf(num, sizeof(num), "%ld", lo->tail_lines);
        kube_query_add(&p2, "tailLines", num);
    }
    if (lo->timestamps)
        kube_query_add(&p2, "timestamps", "true");
    if (lo->previous)
        kube_query_add(&p2, "previous", "true");
    struct kube_req_opts o = {.path = p2,
                              .accept = "*/*",
                              .on_chunk = on_chunk,
                              .chunk_arg = chunk_arg,
                              .timeout_ms = lo->follow ? -1 : 0};
    struct kube_req *r = kube_request(c, &o, done, arg);
    free(p2);
    return r;
}

struct kube_req *kube_service_proxy_get(struct kube_client *c, const char *ns, const char *service,
                                        const char *port, const char *path, kube_done_cb done,
                                        void *arg)
{
    return kube_service_proxy_request(c, ns, service, port, path, NULL, done, arg);
}

struct kube_req *kube_service_proxy_request(struct kube_client *c, const char *ns,
                                            const char *service, const char *port, const char *path,
                                            const char *const *headers, kube_done_cb done,
                                            void *arg)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "/api/v1/namespaces/");
    url_encode(&sb, ns, false);
    strbuf_adds(&sb, "/services/");
    url_encode(&sb, service, false);
    if (!str_empty(port)) {
        strbuf_addc(&sb, ':');
        url_encode(&sb, port, false);
    }
    strbuf_adds(&sb, "/proxy");
    if (path && *path != '/')
        strbuf_addc(&sb, '/');
    if (path) {
        /* Keep the caller's query string as it is. */
        size_t q = strcspn(path, "?");
        char *p = xstrndup(path, q);
        url_encode(&sb, p, true);
        free(p);
        strbuf_adds(&sb, path + q);
    }
    /* A 503 here is the service's answer or "no endpoints available": what
     * a health check reports, not an API server to wait for. */
    struct kube_req_opts o = {
        .path = sb.buf, .accept = "*/*", .headers = headers, .no_retry = true};
    struct kube_req *r = kube_request(c, &o, done, arg);
    strbuf_done(&sb);
    return r;
}
