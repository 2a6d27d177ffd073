/* sim/watch.c: watch streams (see watch.h). Each stream runs in its
 * connection's own thread (thread-per-connection), blocking on its kind's
 * sim_kind_changed. */
#include "config.h"

#include "sim/watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/util.h"
#include "sim/http.h"
#include "sim/proto_write.h"
#include "sim/scenario.h"
#include "sim/select.h"
#include "sim/store.h"
#include "sim/table.h"

struct watch {
    struct MHD_Connection *conn;
    struct rtype *rt;
    char *ns;             /* only this namespace, or NULL */
    struct selector *sel; /* label and field selector */
    bool has_sel;         /* a selector was given (events must be parsed) */
    char **uids;          /* with a selector: uids of the objects matching now, sorted */
    size_t n_uids, cap_uids;
    long long seq;         /* next history event to look at */
    bool table;            /* objects as one-row Tables */
    bool proto;            /* frames of protobuf (sim/proto_write.h) */
    bool bookmarks;        /* allowWatchBookmarks */
    long long deadline_ms; /* timeoutSeconds, monotonic */
    long long next_bookmark_ms;
    long long drop_at_ms; /* scenario: close at this time (0 = never) */
    long drop_after;      /* scenario: close after this many events (0 = never) */
    long sent;            /* events sent */
    struct strbuf out;    /* bytes waiting to be handed to MHD */
    size_t off;           /* how much of out was handed over */
    bool done;            /* end the stream once out is drained */
    long long last_rv;    /* resourceVersion of the last event sent, for bookmarks */
};

static void add_event(struct watch *w, const char *type, const cJSON *obj)
{
    if (w->proto) {
        proto_watch_event(&w->out, w->rt->kind, type, obj);
        w->sent++;
        return;
    }
    cJSON *ev = cJSON_CreateObject();
    js_set_str(ev, "type", type);
    if (w->table && strcmp(type, "ERROR") != 0 && strcmp(type, "BOOKMARK") != 0) {
        cJSON *t = table_new(w->rt);
        table_add_row(t, w->rt, obj, false);
        js_set(ev, "object", t);
    } else {
        js_set(ev, "object", cJSON_Duplicate(obj, 1));
    }
    char *s = cJSON_PrintUnformatted(ev);
    cJSON_Delete(ev);
    strbuf_adds(&w->out, s);
    strbuf_addc(&w->out, '\n');
    free(s);
    w->sent++;
}

static size_t uid_pos(const struct watch *w, const char *uid, bool *found);
static void uid_set(struct watch *w, const char *uid, bool in);

/* With a selector and a start version rv: fills w->uids with the objects that
 * matched at rv. Objects untouched since rv are judged by their current state;
 * the others by their last event at or before rv, found by scanning the
 * history backwards (at most 20,000 events; beyond that, the current state). */
static void matches_at(struct watch *w, long long rv)
{
    struct watch touched = {0}; /* uid set of objects changed after rv */
    struct watch resolved = {0};
    for (long long seq = rv; seq < store_rv(); seq++) {
        const struct sim_event *ev = store_history_at(seq);
        if (!ev || ev->rt != w->rt || (w->ns && !str_eq(ev->ns, w->ns)))
            continue;
        cJSON *obj = cJSON_Parse(ev->json);
        const char *uid = kj_str(obj, "metadata.uid");
        if (uid) {
            bool found;
            uid_pos(&touched, uid, &found);
            /* an object whose first later event is ADDED did not exist at rv */
            if (!found && ev->type == WATCH_ADDED)
                uid_set(&resolved, uid, true);
            uid_set(&touched, uid, true);
        }
        cJSON_Delete(obj);
    }
    for (long long seq = rv - 1, n = 0; seq >= store_oldest_rv() && n < 20000; seq--, n++) {
        const struct sim_event *ev = store_history_at(seq);
        if (!ev || ev->rt != w->rt || (w->ns && !str_eq(ev->ns, w->ns)))
            continue;
        cJSON *obj = cJSON_Parse(ev->json);
        const char *uid = kj_str(obj, "metadata.uid");
        bool t = false, r = false;
        if (uid) {
            uid_pos(&touched, uid, &t);
            uid_pos(&resolved, uid, &r);
        }
        if (t && !r) {
            uid_set(&resolved, uid, true);
            if (ev->type != WATCH_DELETED && selector_match(w->sel, obj))
                uid_set(w, uid, true);
        }
        cJSON_Delete(obj);
    }
    for (size_t i = 0; i < w->rt->n; i++) {
        struct sim_obj *o = w->rt->objs[i];
        bool t, r;
        if (w->ns && !str_eq(obj_ns(o), w->ns))
            continue;
        uid_pos(&touched, obj_uid(o), &t);
        uid_pos(&resolved, obj_uid(o), &r);
        if ((!t || !r) && selector_match_obj(w->sel, o))
            uid_set(w, obj_uid(o), true);
    }
    for (size_t i = 0; i < touched.n_uids; i++)
        free(touched.uids[i]);
    for (size_t i = 0; i < resolved.n_uids; i++)
        free(resolved.uids[i]);
    free(touched.uids);
    free(resolved.uids);
}

static void add_gone(struct watch *w, long long rv)
{
    cJSON *st = cJSON_CreateObject();
    js_set_str(st, "kind", "Status");
    js_set_str(st, "apiVersion", "v1");
    js_obj(st, "metadata");
    js_set_str(st, "status", "Failure");
    char msg[128];
    snprintf(msg, sizeof(msg), "too old resource version: %lld (%lld)", rv, store_oldest_rv() + 1);
    js_set_str(st, "message", msg);
    js_set_str(st, "reason", "Expired");
    js_set_num(st, "code", 410);
    add_event(w, "ERROR", st);
    cJSON_Delete(st);
    w->done = true;
}

/* A BOOKMARK at the current version; initial_end marks the end of a
 * streaming list's initial events (annotation k8s.io/initial-events-end). */
static void add_bookmark(struct watch *w, bool initial_end)
{
    cJSON *o = cJSON_CreateObject();
    char av[96], rv[32];
    snprintf(av, sizeof(av), "%s%s%s", w->rt->group, w->rt->group[0] ? "/" : "", w->rt->version);
    js_set_str(o, "kind", w->rt->kind);
    js_set_str(o, "apiVersion", av);
    cJSON *meta = js_obj(o, "metadata");
    snprintf(rv, sizeof(rv), "%lld", store_rv());
    js_set_str(meta, "resourceVersion", rv);
    if (initial_end)
        js_set_str(js_obj(meta, "annotations"), "k8s.io/initial-events-end", "true");
    add_event(w, "BOOKMARK", o);
    cJSON_Delete(o);
}

/* The current objects as ADDED events, in the store's order, from the
 * serialized copies lists use (no tree is copied or printed). */
static void add_current(struct watch *w)
{
    struct rtype *rt = w->rt;
    char *prefix = w->ns ? xasprintf("%s/", w->ns) : NULL;
    size_t i = prefix ? store_lower_bound(rt, prefix) : 0;
    size_t end = prefix ? store_prefix_end(rt, prefix) : rt->n;
    free(prefix);
    for (; i < end; i++) {
        struct sim_obj *o = rt->objs[i];
        if (!selector_match_obj(w->sel, o))
            continue;
        if (w->table || w->proto || !o->cache) {
            bool cold = !o->tree; /* one tree at a time */
            add_event(w, "ADDED", obj_json(o));
            if (cold)
                store_cool(o);
        } else {
            strbuf_adds(&w->out, "{\"type\":\"ADDED\",\"object\":");
            strbuf_adds(&w->out, o->cache);
            strbuf_adds(&w->out, "}\n");
            w->sent++;
        }
        if (w->has_sel)
            uid_set(w, obj_uid(o), true);
    }
}

/* Index of uid in the sorted set, or where it goes (*found says which). */
static size_t uid_pos(const struct watch *w, const char *uid, bool *found)
{
    size_t lo = 0, hi = w->n_uids;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(w->uids[mid], uid);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

static void uid_set(struct watch *w, const char *uid, bool in)
{
    bool found;
    size_t pos = uid_pos(w, uid, &found);
    if (in && !found) {
        if (w->n_uids == w->cap_uids) {
            w->cap_uids = w->cap_uids ? 2 * w->cap_uids : 64;
            w->uids = xrealloc(w->uids, w->cap_uids * sizeof(*w->uids));
        }
        memmove(w->uids + pos + 1, w->uids + pos, (w->n_uids - pos) * sizeof(*w->uids));
        w->uids[pos] = xstrdup(uid);
        w->n_uids++;
    } else if (!in && found) {
        free(w->uids[pos]);
        memmove(w->uids + pos, w->uids + pos + 1, (w->n_uids - pos - 1) * sizeof(*w->uids));
        w->n_uids--;
    }
}

/* The event type this watch sends for ev, or NULL to skip it. With a
 * selector, an object entering it is ADDED and one leaving it is DELETED,
 * as the real watch cache does. */
static const char *event_type(struct watch *w, const struct sim_event *ev)
{
    static const char *const names[] = {"ADDED", "MODIFIED", "DELETED"};
    if (ev->rt != w->rt)
        return NULL;
    if (w->ns && !str_eq(ev->ns, w->ns))
        return NULL;
    if (!w->has_sel)
        return names[ev->type];
    cJSON *obj = cJSON_Parse(ev->json);
    const char *uid = kj_str(obj, "metadata.uid");
    if (!uid) {
        cJSON_Delete(obj);
        return NULL;
    }
    bool now = ev->type != WATCH_DELETED && selector_match(w->sel, obj);
    bool before;
    uid_pos(w, uid, &before);
    uid_set(w, uid, now);
    cJSON_Delete(obj);
    if (ev->type == WATCH_DELETED)
        return before ? "DELETED" : NULL;
    if (now)
        return before && ev->type == WATCH_MODIFIED ? "MODIFIED" : "ADDED";
    return before ? "DELETED" : NULL;
}

/* Appends a history event; the stored JSON is used as is unless a Table is wanted. */
static void add_history_event(struct watch *w, const char *type, const struct sim_event *ev)
{
    if (w->table || w->proto) {
        cJSON *obj = cJSON_Parse(ev->json);
        if (obj)
            add_event(w, type, obj);
        cJSON_Delete(obj);
        return;
    }
    strbuf_addf(&w->out, "{\"type\":\"%s\",\"object\":", type);
    strbuf_adds(&w->out, ev->json);
    strbuf_adds(&w->out, "}\n");
    w->sent++;
}

/* With sim_lock held: moves matching history events into w->out. */
static void drain_history(struct watch *w)
{
    if (store_history_find(w->seq) < 0 && w->seq < store_rv()) {
        add_gone(w, w->seq);
        return;
    }
    const struct sim_event *ev;
    while ((ev = store_history_at(w->seq)) != NULL) {
        w->seq++;
        const char *type = event_type(w, ev);
        if (!type)
            continue;
        add_history_event(w, type, ev);
        if (w->drop_after > 0 && w->sent >= w->drop_after) {
            w->done = true;
            return;
        }
    }
}

static ssize_t watch_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct watch *w = cls;
    for (;;) {
        if (w->off < w->out.len) {
            size_t n = w->out.len - w->off;
            if (n > max)
                n = max;
            memcpy(buf, w->out.buf + w->off, n);
            w->off += n;
            if (w->off == w->out.len)
                strbuf_reset(&w->out), w->off = 0;
            return (ssize_t)n;
        }
        if (w->done)
            return MHD_CONTENT_READER_END_OF_STREAM;
        pthread_mutex_lock(&sim_lock);
        while (!w->done && w->out.len == 0) {
            if (w->drop_after > 0 && w->sent >= w->drop_after) {
                w->done = true; /* scenario: the server drops the stream */
                break;
            }
            drain_history(w);
            if (w->out.len || w->done)
                break;
            long long now = now_ms();
            if (now >= w->deadline_ms || (w->drop_at_ms && now >= w->drop_at_ms) ||
                conn_closed(w->conn)) {
                w->done = true;
                break;
            }
            if (w->bookmarks && now >= w->next_bookmark_ms) {
                add_bookmark(w, false);
                w->next_bookmark_ms = now + 1000 * 60;
                if (sim_speed > 1)
                    w->next_bookmark_ms = now + (long long)(60000 / sim_speed);
                break;
            }
            /* woken by a change of this kind (not of every kind: a pod
             * change used to wake each of a client's watches of nine
             * kinds, which all queued for sim_lock before the pods watch
             * sent it), else at the next deadline, drop or bookmark, and
             * at least every 500 ms to notice a closed connection */
            long long wake = now + 500;
            if (wake > w->deadline_ms)
                wake = w->deadline_ms;
            if (w->drop_at_ms && wake > w->drop_at_ms)
                wake = w->drop_at_ms;
            if (w->bookmarks && wake > w->next_bookmark_ms)
                wake = w->next_bookmark_ms;
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            long long ns = (long long)ts.tv_nsec + (wake - now) * 1000000LL;
            ts.tv_sec += ns / 1000000000LL;
            ts.tv_nsec = ns % 1000000000LL;
            pthread_cond_timedwait(&sim_kind_changed[w->rt - sim_rtypes], &sim_lock, &ts);
        }
        pthread_mutex_unlock(&sim_lock);
    }
}

static void watch_free(void *cls)
{
    struct watch *w = cls;
    selector_free(w->sel);
    for (size_t i = 0; i < w->n_uids; i++)
        free(w->uids[i]);
    free(w->uids);
    strbuf_done(&w->out);
    free(w->ns);
    free(w);
}

void watch_start(struct req *r, struct reply *rep)
{
    struct error err;
    error_clear(&err);
    struct selector *sel =
        selector_parse(req_arg(r, "labelSelector"), req_arg(r, "fieldSelector"), &err);
    if (sel && selector_check_fields(sel, r->rt->kind, &err) < 0) {
        selector_free(sel);
        sel = NULL;
    }
    if (!sel) {
        reply_status(rep, 400, "BadRequest", NULL, NULL, "%s", err.msg);
        return;
    }
    struct watch *w = xcalloc(1, sizeof(*w));
    w->conn = r->conn;
    w->rt = r->rt;
    w->ns = r->ns ? xstrdup(r->ns) : NULL;
    w->sel = sel;
    w->has_sel = (req_arg(r, "labelSelector") && *req_arg(r, "labelSelector")) ||
                 (req_arg(r, "fieldSelector") && *req_arg(r, "fieldSelector"));
    w->table = r->table;
    w->proto = r->proto && proto_writes(r->rt->kind);
    w->bookmarks = req_arg_true(r, "allowWatchBookmarks");
    strbuf_init(&w->out);
    const char *to = req_arg(r, "timeoutSeconds");
    long timeout = to ? atol(to) : 1800;
    if (timeout <= 0)
        timeout = 1800;
    long long now = now_ms();
    w->deadline_ms = now + timeout * 1000LL;
    w->next_bookmark_ms = now + (sim_speed > 1 ? (long long)(60000 / sim_speed) : 60000);
    struct scenario_watch_drop drop = scenario_watch_drop();
    if (drop.after_seconds > 0)
        w->drop_at_ms = now + sim_ms(drop.after_seconds);
    w->drop_after = drop.after_events;
    const char *rvs = req_arg(r, "resourceVersion");
    const char *sie = req_arg(r, "sendInitialEvents");
    pthread_mutex_lock(&sim_lock);
    if (sie && *sie) {
        /* A streaming list (api_list_options checked the request): with
         * sendInitialEvents=true the current state as ADDED events (newer
         * than any version asked for, NotOlderThan), then a bookmark at its
         * version marking the end; with false, only the changes from the
         * version asked for (or from now). */
        if (req_arg_true(r, "sendInitialEvents")) {
            add_current(w);
            add_bookmark(w, true);
            w->seq = store_rv();
        } else if (rvs && *rvs && strcmp(rvs, "0") != 0 && atoll(rvs) <= store_rv()) {
            w->seq = atoll(rvs);
            if (store_history_find(w->seq) < 0 && w->seq < store_rv())
                add_gone(w, w->seq);
            if (w->has_sel && !w->done)
                matches_at(w, w->seq);
        } else {
            w->seq = store_rv();
        }
    } else if (rvs && *rvs && strcmp(rvs, "0") != 0) {
        char *end;
        long long rv = strtoll(rvs, &end, 10);
        if (*end || rv < 0) {
            pthread_mutex_unlock(&sim_lock);
            watch_free(w);
            reply_status(rep, 400, "BadRequest", NULL, NULL, "invalid resourceVersion %s", rvs);
            return;
        }
        w->seq = rv;
        if (store_history_find(rv) < 0 && rv < store_rv())
            add_gone(w, rv);
        if (w->has_sel && !w->done)
            matches_at(w, rv);
    } else {
        /* No version: the current state as ADDED events, then the changes. */
        add_current(w);
        w->seq = store_rv();
    }
    pthread_mutex_unlock(&sim_lock);
    rep->code = 200;
    rep->ctype = w->proto ? PROTO_WATCH_MEDIA : "application/json";
    rep->stream = watch_read;
    rep->stream_free = watch_free;
    rep->stream_cls = w;
}
