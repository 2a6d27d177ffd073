/* sim/events.c: event recording (see events.h). */
#include "config.h"

#include "sim/events.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sim/store.h"

static long g_cap = 5000;
static char **g_fifo; /* "ns/name" keys of events in creation order */
static long g_head, g_count;

void events_set_cap(long cap)
{
    g_cap = cap < 10 ? 10 : cap;
}

static unsigned long long fnv(const char *a, const char *b, const char *c)
{
    unsigned long long h = 1469598103934665603ULL;
    const char *parts[] = {a, b, c};
    for (int i = 0; i < 3; i++)
        for (const char *p = parts[i] ? parts[i] : ""; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h;
}

static void fifo_push(const char *ns, const char *name)
{
    if (!g_fifo)
        g_fifo = xcalloc((size_t)g_cap, sizeof(char *));
    if (g_count == g_cap) {
        char *old = g_fifo[g_head];
        char *slash = strchr(old, '/');
        *slash = '\0';
        struct sim_obj *o = store_get(store_rtype("", "events"), old, slash + 1);
        if (o)
            store_remove(o);
        free(old);
        g_head = (g_head + 1) % g_cap;
        g_count--;
    }
    g_fifo[(g_head + g_count) % g_cap] = xasprintf("%s/%s", ns, name);
    g_count++;
}

void events_emit(struct sim_obj *obj, const char *type, const char *reason, const char *component,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    struct rtype *ert = store_rtype("", "events");
    const char *ns = obj->rt->namespaced ? obj_ns(obj) : "default";
    char name[300], ts[32];
    snprintf(name, sizeof(name), "%s.%016llx", obj_name(obj), fnv(obj_uid(obj), reason, msg));
    sim_timestamp(ts, 0);
    struct sim_obj *ev = store_get(ert, ns, name);
    if (ev) {
        js_set_num(obj_json(ev), "count", kj_num(obj_json(ev), "count", 1) + 1);
        js_set_str(obj_json(ev), "lastTimestamp", ts);
        store_commit(ev);
        free(msg);
        return;
    }
    cJSON *e = cJSON_CreateObject();
    cJSON *meta = js_obj(e, "metadata");
    js_set_str(meta, "name", name);
    js_set_str(meta, "namespace", ns);
    cJSON *io = js_obj(e, "involvedObject");
    js_set_str(io, "kind", obj->rt->kind);
    if (obj->rt->namespaced)
        js_set_str(io, "namespace", obj_ns(obj));
    js_set_str(io, "name", obj_name(obj));
    js_set_str(io, "uid", obj_uid(obj));
    js_set_str(io, "apiVersion", kj_str(obj_json(obj), "apiVersion"));
    js_set_str(io, "resourceVersion", kj_str(obj_json(obj), "metadata.resourceVersion"));
    js_set_str(e, "reason", reason);
    js_set_str(e, "message", msg);
    js_set_str(e, "type", type);
    js_set_num(e, "count", 1);
    js_set_str(e, "firstTimestamp", ts);
    js_set_str(e, "lastTimestamp", ts);
    js_set_str(js_obj(e, "source"), "component", component);
    js_set_str(e, "reportingComponent", component);
    js_set_str(e, "reportingInstance", "");
    store_add(ert, e);
    fifo_push(ns, name);
    free(msg);
}
