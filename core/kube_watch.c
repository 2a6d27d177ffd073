/* core/kube_watch.c: the list/watch state machine. States: LISTING (a paged
 * list runs), WATCHING (a stream runs), WAITING (a backoff timer runs). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_http.h"
#include "core/kube_jparse.h"
#include "core/kube_json.h"
#include "core/kube_pb.h"
#include "core/kube_watch.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"

#define WATCH_MAX_LINE (16u << 20)

void kube_lines_init(struct kube_lines *l, size_t max)
{
    strbuf_init(&l->buf);
    l->max = max;
}

void kube_lines_done(struct kube_lines *l)
{
    strbuf_done(&l->buf);
}

int kube_lines_feed(struct kube_lines *l, const char *data, size_t n, kube_line_cb line, void *arg)
{
    while (n > 0) {
        const char *nl = memchr(data, '\n', n);
        size_t take = nl ? (size_t)(nl - data) : n;
        if (l->buf.len + take > l->max)
            return -1;
        if (nl) {
            const char *s = data;
            size_t len = take;
            if (l->buf.len) {
                strbuf_add(&l->buf, data, take);
                s = l->buf.buf;
                len = l->buf.len;
            }
            int rc = 0;
            if (len > 0 && !(len == 1 && s[0] == '\r'))
                rc = line(s, len, arg);
            strbuf_reset(&l->buf);
            if (rc < 0)
                return -1;
            data += take + 1;
            n -= take + 1;
        } else {
            strbuf_add(&l->buf, data, take);
            n = 0;
        }
    }
    return 0;
}

enum watch_state { W_LISTING, W_WATCHING, W_WAITING };

struct kube_watch {
    struct kube_client *c;
    struct kube_watch_opts o;
    char *ns, *lsel, *fsel;
    struct kube_watch_handlers h;
    void *arg;
    enum watch_state state;
    struct kube_list *list;
    struct kube_req *req;
    long long timer;
    char *rv;
    struct kube_lines lines;
    struct kube_pb_frames frames;  /* a protobuf stream's */
    char type[KUBE_HTTP_TYPE_LEN]; /* the stream's Content-Type */
    unsigned attempts;             /* consecutive failures, for the backoff */
    unsigned nlists, nconnects;
    bool want_relist;
    bool got_event;
    bool initial;   /* a streaming list's initial events are arriving */
    bool no_stream; /* the server refused a streaming list: page from now on */
    int depth;      /* > 0 while handlers run from a stream chunk */
    bool cancelled;
};

static void watch_list(struct kube_watch *w);
static void watch_connect(struct kube_watch *w);
static void watch_request(struct kube_watch *w, bool stream);

static void watch_free(struct kube_watch *w)
{
    kube_lines_done(&w->lines);
    kube_pb_frames_done(&w->frames);
    free(w->ns);
    free(w->lsel);
    free(w->fsel);
    free(w->rv);
    free(w);
}

/* Runs the error handler; true when the watch was cancelled by it (and
 * freed, unless a stream chunk is still on the stack). */
static bool watch_report(struct kube_watch *w, const struct error *e)
{
    /* A stream that drops is reconnected from the last resourceVersion and
     * loses nothing: that is worth a warning only when it keeps failing. */
    if (e->code == ERR_NETWORK && w->attempts < 3)
        log_info("watch %s: %s (reconnecting)", w->o.res->plural, e->msg);
    else if (w->h.error && e->code == ERR_HTTP && e->detail >= 400 && e->detail < 500 &&
             e->detail != 410 && e->detail != 429)
        /* a refusal the handler says (get -w's "error: ...", the banner):
         * echoed as a warning too, get -w said it twice */
        log_info("watch %s: %s", w->o.res->plural, e->msg);
    else
        log_warn("watch %s: %s", w->o.res->plural, e->msg);
    if (w->h.error) {
        w->depth++;
        w->h.error(e, w->arg);
        w->depth--;
    }
    if (!w->cancelled)
        return false;
    if (w->depth == 0)
        watch_free(w);
    return true;
}

static void watch_timer_fired(struct loop *l, long long id, void *arg)
{
    struct kube_watch *w = arg;
    w->timer = 0;
    if (w->want_relist || !w->rv)
        watch_list(w);
    else
        watch_connect(w);
}

/* Waits, then reconnects (or relists). The delay doubles per failure up to
 * the maximum, times a random factor in [0.5, 1.5) so that many clients do
 * not come back in step. */
static void watch_backoff(struct kube_watch *w)
{
    long base = w->o.backoff_initial_ms;
    for (unsigned i = 0; i < w->attempts && base < w->o.backoff_max_ms; i++)
        base *= 2;
    if (base > w->o.backoff_max_ms)
        base = w->o.backoff_max_ms;
    long delay = base / 2 + (long)(random() % (base > 0 ? base : 1));
    w->attempts++;
    w->state = W_WAITING;
    w->timer = loop_add_timer(kube_client_loop(w->c), delay, watch_timer_fired, w);
}

static void set_rv(struct kube_watch *w, const char *rv)
{
    if (!str_empty(rv))
        str_replace(&w->rv, rv);
}

static void list_item(const cJSON *item, void *arg)
{
    struct kube_watch *w = arg;
    if (w->h.list_item)
        w->h.list_item(item, w->arg);
}

static void list_done(const char *rv, const struct error *err, void *arg)
{
    struct kube_watch *w = arg;
    w->list = NULL;
    if (err) {
        if (watch_report(w, err))
            return;
        w->want_relist = true;
        watch_backoff(w);
        return;
    }
    w->want_relist = false;
    set_rv(w, rv);
    kube_jparse_release(); /* the pages' buffers: a watch needs little */
    kube_pb_release();
    if (w->h.relist_end) {
        w->depth++;
        w->h.relist_end(rv, w->arg);
        w->depth--;
    }
    if (w->cancelled) {
        watch_free(w);
        return;
    }
    watch_connect(w);
}

static void watch_list(struct kube_watch *w)
{
    w->state = W_LISTING;
    w->nlists++;
    if (w->h.relist_begin) {
        w->depth++;
        w->h.relist_begin(w->arg);
        w->depth--;
    }
    if (w->cancelled) {
        watch_free(w);
        return;
    }
    if (w->o.stream_list && !w->no_stream) {
        /* the list comes as the stream's first events; until its end
         * bookmark a dropped stream means listing again */
        w->want_relist = true;
        w->initial = true;
        watch_request(w, true);
        return;
    }
    struct kube_list_opts lo = {w->o.res, w->ns, w->lsel, w->fsel, w->o.limit, w->o.projected};
    w->list = kube_list_start(w->c, &lo, list_item, list_done, w);
}

/* The server does not stream lists: page from now on. */
static void stream_refused(struct kube_watch *w, const char *why)
{
    log_info("watch %s: %s; listing in pages", w->o.res->plural, why);
    w->no_stream = true;
    w->initial = false;
    w->want_relist = true;
}

/* The bookmark that ends a streaming list's initial events. */
static bool initial_end(const cJSON *obj)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(kj_get(obj, "metadata.annotations"),
                                                      "k8s.io/initial-events-end");
    return cJSON_IsString(v) && !strcmp(v->valuestring, "true");
}

/* A line of a streaming list before its end bookmark: list items, the end,
 * or (an event no list has) the sign of a server ignoring the request. */
static int initial_line(struct kube_watch *w, const char *type, const cJSON *obj)
{
    if (!strcmp(type, "ADDED")) {
        w->got_event = true;
        if (w->h.list_item)
            w->h.list_item(obj, w->arg);
        return 0;
    }
    if (!strcmp(type, "BOOKMARK") && initial_end(obj)) {
        const char *rv = kj_str(obj, "metadata.resourceVersion");
        w->initial = false;
        w->want_relist = false;
        w->got_event = true;
        set_rv(w, rv);
        kube_jparse_release();
        if (w->h.relist_end)
            w->h.relist_end(w->rv ? w->rv : "", w->arg);
        return 0;
    }
    if (!strcmp(type, "BOOKMARK"))
        return 0; /* a progress bookmark inside the initial events */
    stream_refused(w, "the server sent a change before the end of the initial events");
    return -1;
}

/* One event of the stream (JSON or protobuf). */
static int watch_event(struct kube_watch *w, const char *type, const cJSON *obj)
{
    struct error e;
    error_clear(&e);
    int rc = 0;
    if (w->initial && strcmp(type, "ERROR") != 0) {
        rc = initial_line(w, type, obj);
    } else if (!strcmp(type, "ERROR")) {
        long long code = kj_int(obj, "code", 0);
        const char *msg = kj_str(obj, "message");
        if (code == 410) {
            /* Our resourceVersion is too old: list again. */
            log_info("watch %s: %s: relisting", w->o.res->plural, msg ? msg : "410 Gone");
            w->want_relist = true;
        } else {
            error_set(&e, ERR_HTTP, code, "watch %s: error event %lld: %s", w->o.res->plural, code,
                      msg ? msg : "(no message)");
            watch_report(w, &e);
        }
        rc = -1;
    } else if (!strcmp(type, "BOOKMARK")) {
        set_rv(w, kj_str(obj, "metadata.resourceVersion"));
        w->got_event = true;
        if (w->h.bookmark)
            w->h.bookmark(w->rv, w->arg);
    } else if (!strcmp(type, "ADDED") || !strcmp(type, "MODIFIED") || !strcmp(type, "DELETED")) {
        set_rv(w, kj_str(obj, "metadata.resourceVersion"));
        w->got_event = true;
        if (w->h.event)
            w->h.event(type, obj, w->arg);
    } else {
        log_warn("watch %s: unknown event type \"%s\" ignored", w->o.res->plural, type);
    }
    return w->cancelled ? -1 : rc;
}

static int watch_line(const char *line, size_t len, void *arg)
{
    struct kube_watch *w = arg;
    cJSON *j = kube_jparse_opts(line, len, KUBE_JPARSE_NO_MANAGED_FIELDS, NULL);
    const char *type = kj_str(j, "type");
    const cJSON *obj = kj_get(j, "object");
    if (!j || !type || !cJSON_IsObject(obj)) {
        struct error e;
        error_set(&e, ERR_PARSE, 0,
                  "watch %s: a line of the stream is not a watch event (%zu bytes)",
                  w->o.res->plural, len);
        kube_jparse_free(j);
        watch_report(w, &e);
        return -1;
    }
    int rc = watch_event(w, type, obj);
    kube_jparse_free(j);
    return rc;
}

static int watch_frame(const unsigned char *frame, size_t len, void *arg)
{
    struct kube_watch *w = arg;
    char type[16];
    const cJSON *obj;
    struct error e;
    error_clear(&e);
    if (kube_pb_event(frame, len, w->o.res, type, &obj, &e) < 0) {
        struct error we;
        error_set(&we, ERR_PARSE, 0, "watch %s: %s", w->o.res->plural, e.msg);
        watch_report(w, &we);
        return -1;
    }
    return watch_event(w, type, obj);
}

static int watch_chunk(const char *data, size_t n, void *arg)
{
    struct kube_watch *w = arg;
    w->depth++;
    bool too_big = false;
    int rc = kube_pb_media(w->type)
                 ? kube_pb_frames_feed(&w->frames, data, n, watch_frame, w, &too_big)
                 : kube_lines_feed(&w->lines, data, n, watch_line, w);
    w->depth--;
    if (w->cancelled) {
        /* cancel ran inside a handler: the request is gone already */
        if (w->depth == 0)
            watch_free(w);
        return -1;
    }
    if (too_big) {
        struct error e;
        error_set(&e, ERR_PARSE, 0, "watch %s: a protobuf frame longer than %zu bytes",
                  w->o.res->plural, w->frames.max);
        watch_report(w, &e);
    } else if (rc < 0 && !w->want_relist && w->lines.buf.len > w->lines.max) {
        struct error e;
        error_set(&e, ERR_PARSE, 0, "watch %s: a line longer than %zu bytes", w->o.res->plural,
                  w->lines.max);
        watch_report(w, &e);
    }
    return rc;
}

static void watch_done(long status, const char *body, size_t len, const struct error *err,
                       void *arg)
{
    struct kube_watch *w = arg;
    w->req = NULL;
    /* A partial last line is dropped: its event comes again from w->rv. */
    strbuf_reset(&w->lines.buf);
    strbuf_reset(&w->frames.buf);
    if (w->got_event)
        w->attempts = 0;
    bool refused = false;
    if (w->initial && status >= 400 && status < 500 && status != 410 && status != 429) {
        /* a server without streaming lists (or one forbidding them) */
        char why[80];
        snprintf(why, sizeof(why), "the server answered a streaming list with %ld", status);
        stream_refused(w, why);
        refused = true;
    } else if (w->initial && !err && status >= 200 && status < 300) {
        stream_refused(w, "the stream ended before the end of its initial events");
        refused = true;
    }
    if (refused)
        w->attempts = 0; /* the paged list follows at once, no warning */
    if (status == 410)
        w->want_relist = true;
    else if (!refused && err && err->code != ERR_CANCELLED && watch_report(w, err))
        return;
    if (w->want_relist && w->attempts == 0) {
        /* The first 410 relists at once, as client-go does; one after a
         * relist that brought no event waits like any other failure, so a
         * server answering 410 every time is not hammered. */
        w->attempts++;
        watch_list(w);
        return;
    }
    watch_backoff(w);
}

static void watch_connect(struct kube_watch *w)
{
    watch_request(w, false);
}

/* A watch from w->rv, or (stream) a streaming list: sendInitialEvents=true
 * with resourceVersionMatch=NotOlderThan from the newest state. */
static void watch_request(struct kube_watch *w, bool stream)
{
    w->state = W_WATCHING;
    w->nconnects++;
    w->got_event = false;
    char *path = kube_resource_path(w->o.res, w->ns, NULL);
    if (w->lsel)
        kube_query_add(&path, "labelSelector", w->lsel);
    if (w->fsel)
        kube_query_add(&path, "fieldSelector", w->fsel);
    kube_query_add(&path, "watch", "1");
    if (stream) {
        kube_query_add(&path, "sendInitialEvents", "true");
        kube_query_add(&path, "resourceVersionMatch", "NotOlderThan");
        kube_query_add(&path, "resourceVersion", "");
    } else {
        kube_query_add(&path, "resourceVersion", w->rv ? w->rv : "");
    }
    kube_query_add(&path, "allowWatchBookmarks", "true");
    if (w->o.timeout_seconds > 0) {
        char t[32];
        snprintf(t, sizeof(t), "%ld", w->o.timeout_seconds);
        kube_query_add(&path, "timeoutSeconds", t);
    }
    struct kube_req_opts ro = {.path = path,
                               .on_chunk = watch_chunk,
                               .chunk_arg = w,
                               .timeout_ms = -1,
                               .accept = w->o.projected && kube_pb_wanted(w->o.res) ? KUBE_PB_ACCEPT
                                                                                    : NULL,
                               .reply_type = w->type};
    w->req = kube_request(w->c, &ro, watch_done, w);
    free(path);
}

struct kube_watch *kube_watch_start(struct kube_client *c, const struct kube_watch_opts *o,
                                    const struct kube_watch_handlers *h, void *arg)
{
    struct kube_watch *w = xcalloc(1, sizeof(*w));
    w->c = c;
    w->o = *o;
    w->ns = xstrdup_or_null(o->ns);
    w->lsel = str_empty(o->label_selector) ? NULL : xstrdup(o->label_selector);
    w->fsel = str_empty(o->field_selector) ? NULL : xstrdup(o->field_selector);
    if (w->o.backoff_initial_ms <= 0)
        w->o.backoff_initial_ms = 500;
    if (w->o.backoff_max_ms <= 0)
        w->o.backoff_max_ms = 30000;
    w->h = *h;
    w->arg = arg;
    kube_lines_init(&w->lines, WATCH_MAX_LINE);
    kube_pb_frames_init(&w->frames, KUBE_PB_MAX_FRAME);
    watch_list(w);
    return w;
}

void kube_watch_cancel(struct kube_watch *w)
{
    if (!w || w->cancelled)
        return;
    w->cancelled = true;
    if (w->list)
        kube_list_cancel(w->list);
    w->list = NULL;
    if (w->req)
        kube_req_cancel(w->req);
    w->req = NULL;
    if (w->timer)
        loop_cancel_timer(kube_client_loop(w->c), w->timer);
    w->timer = 0;
    if (w->depth == 0)
        watch_free(w);
}

const char *kube_watch_resource_version(const struct kube_watch *w)
{
    return w->rv;
}

unsigned kube_watch_lists(const struct kube_watch *w)
{
    return w->nlists;
}

unsigned kube_watch_connects(const struct kube_watch *w)
{
    return w->nconnects;
}

bool kube_watch_streaming(const struct kube_watch *w)
{
    return w->o.stream_list && !w->no_stream;
}
