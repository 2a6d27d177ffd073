/* core/kube_watch.h: list-then-watch for one resource (client-go's reflector
 * in small). A paged list, then a watch from the list's resourceVersion with
 * allowWatchBookmarks=true (or, with stream_list, one streaming list: a watch
 * with sendInitialEvents=true whose ADDED events up to the bookmark marked
 * k8s.io/initial-events-end are the list, falling back to the paged list
 * for good when the server refuses it or does not mark the end); the stream of JSON lines is split
 * incrementally (a line may arrive in pieces); bookmarks advance the resourceVersion; an ERROR
 * event with code 410 (Gone) or a 410 reply relists; a stream that ends or drops is resumed from
 * the last resourceVersion seen, after an exponential backoff with jitter. */
#ifndef CORE_KUBE_WATCH_H
#define CORE_KUBE_WATCH_H

#include <stddef.h>

#include "core/util.h"

struct cJSON;
struct error;
struct kube_client;
struct kube_resource;
struct kube_watch;

/* What the watch reports; trees are valid only during the call. Any handler
 * may cancel the watch. NULL handlers are skipped. */
struct kube_watch_handlers {
    void (*relist_begin)(void *arg);                       /* list items follow */
    void (*list_item)(const struct cJSON *obj, void *arg); /* one object of the list */
    void (*relist_end)(const char *rv, void *arg);         /* the list is complete */
    /* type: "ADDED", "MODIFIED" or "DELETED" */
    void (*event)(const char *type, const struct cJSON *obj, void *arg);
    void (*bookmark)(const char *rv, void *arg);
    /* Something went wrong; the watch retries by itself. */
    void (*error)(const struct error *err, void *arg);
};

struct kube_watch_opts {
    const struct kube_resource *res;
    const char *ns; /* NULL: all namespaces */
    const char *label_selector;
    const char *field_selector;
    long limit;              /* list page size; 0: 500 */
    long timeout_seconds;    /* the watch's timeoutSeconds; 0: not sent */
    long backoff_initial_ms; /* 0: 500 */
    long backoff_max_ms;     /* 0: 30000 */
    bool stream_list;        /* try a streaming list first (docs/kube.md) */
    /* the handlers only project the objects (kube_list_opts.projected):
     * lists and the stream may come as protobuf */
    bool projected;
};

struct kube_watch *kube_watch_start(struct kube_client *c, const struct kube_watch_opts *o,
                                    const struct kube_watch_handlers *h, void *arg);
/* No handler runs after this. Safe from inside a handler. */
void kube_watch_cancel(struct kube_watch *w);
/* The last resourceVersion seen (list, event or bookmark). */
const char *kube_watch_resource_version(const struct kube_watch *w);
/* Counters for tests and the status line. */
unsigned kube_watch_lists(const struct kube_watch *w);
unsigned kube_watch_connects(const struct kube_watch *w);
/* True while lists are streamed (stream_list and the server took it). */
bool kube_watch_streaming(const struct kube_watch *w);

/* Splits a byte stream into lines. feed calls line for each complete line
 * (without the newline) and keeps the rest for the next call. Returns -1
 * when a line grows past max (the stream is then unusable) or line
 * returns -1. */
struct kube_lines {
    struct strbuf buf;
    size_t max;
};
typedef int (*kube_line_cb)(const char *line, size_t len, void *arg);
void kube_lines_init(struct kube_lines *l, size_t max);
void kube_lines_done(struct kube_lines *l);
int kube_lines_feed(struct kube_lines *l, const char *data, size_t n, kube_line_cb line, void *arg);

#endif
