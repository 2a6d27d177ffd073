/* core/kube_store.c: the object cache. Objects are the registry's
 * projection of each API object (core/kube_project.c) with strings in a
 * reference-counted intern table (core/kube_intern.c), kept as small structs
 * in an array (for iteration) with an open-addressing index on the interned
 * (namespace, name) pointers. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_intern.h"
#include "core/kube_json.h"
#include "core/kube_store.h"
#include "core/kube_watch.h"
#include "core/util.h"

/* ---- the store ---- */

struct sobj {
    struct kube_obj o;
    size_t idx; /* position in s->objs */
    bool seen;  /* during a relist */
};

struct sub {
    kube_store_cb cb;
    void *arg;
};

struct kube_store {
    const struct kube_resource *res;
    struct kube_intern strs;
    struct sobj **objs;
    size_t n, cap;
    struct sobj **slots; /* open addressing, power of two */
    size_t nslots;
    struct sub *subs;
    size_t nsubs;
    bool synced;
    size_t extra_bytes; /* key and annotation arrays */
};

struct kube_store *kube_store_new(enum kube_kind kind)
{
    struct kube_store *s = xcalloc(1, sizeof(*s));
    s->res = kube_resource_get(kind);
    return s;
}

/* Bytes of the arrays an object holds outside its struct. */
static size_t obj_extra(const struct kube_store *s, const struct kube_obj *o)
{
    if (s->res->id == KUBE_CONFIGMAP || s->res->id == KUBE_SECRET)
        return o->u.keys.nkeys * sizeof(char *);
    if (s->res->id == KUBE_SERVICEACCOUNT)
        return o->u.sa.nannotations * sizeof(struct kube_annotation);
    return 0;
}

static int obj_parse(struct kube_store *s, const cJSON *j, struct kube_obj *o, struct error *err)
{
    if (kube_obj_project(&s->strs, s->res, j, o, err) < 0)
        return -1;
    s->extra_bytes += obj_extra(s, o);
    return 0;
}

static void obj_release(struct kube_store *s, struct kube_obj *o)
{
    s->extra_bytes -= obj_extra(s, o);
    kube_obj_release(&s->strs, s->res, o);
}

/* ---- index ---- */

static size_t slot_hash(const char *ns, const char *name)
{
    uintptr_t h = (uintptr_t)ns * 0x9E3779B97F4A7C15ull ^ (uintptr_t)name * 0xC2B2AE3D27D4EB4Full;
    return (size_t)(h ^ (h >> 29));
}

static struct sobj **slot_find(const struct kube_store *s, const char *ns, const char *name)
{
    size_t mask = s->nslots - 1;
    for (size_t i = slot_hash(ns, name) & mask;; i = (i + 1) & mask) {
        struct sobj *o = s->slots[i];
        if (!o || (o->o.ns == ns && o->o.name == name))
            return &s->slots[i];
    }
}

static void index_grow(struct kube_store *s)
{
    size_t old = s->nslots;
    struct sobj **slots = s->slots;
    s->nslots = old ? old * 2 : 64;
    s->slots = xcalloc(s->nslots, sizeof(*s->slots));
    for (size_t i = 0; i < old; i++)
        if (slots[i])
            *slot_find(s, slots[i]->o.ns, slots[i]->o.name) = slots[i];
    free(slots);
}

/* Linear probing deletion: shift back the entries that follow. */
static void index_remove(struct kube_store *s, struct sobj *o)
{
    size_t mask = s->nslots - 1;
    size_t i = (size_t)(slot_find(s, o->o.ns, o->o.name) - s->slots);
    s->slots[i] = NULL;
    for (size_t j = (i + 1) & mask; s->slots[j]; j = (j + 1) & mask) {
        struct sobj *e = s->slots[j];
        s->slots[j] = NULL;
        *slot_find(s, e->o.ns, e->o.name) = e;
    }
}

static struct sobj *store_lookup(const struct kube_store *s, const char *ns, const char *name)
{
    if (!s->nslots)
        return NULL;
    return *slot_find(s, ns, name);
}

static void notify(struct kube_store *s, enum kube_change ch, const struct kube_obj *o)
{
    for (size_t i = 0; i < s->nsubs; i++)
        s->subs[i].cb(s->res->id, ch, o, s->subs[i].arg);
}

static void store_remove(struct kube_store *s, struct sobj *o)
{
    index_remove(s, o);
    s->objs[o->idx] = s->objs[--s->n];
    s->objs[o->idx]->idx = o->idx;
    notify(s, KUBE_DELETED, &o->o);
    obj_release(s, &o->o);
    free(o);
}

int kube_store_apply(struct kube_store *s, const char *type, const cJSON *j, struct error *err)
{
    struct kube_obj n;
    if (obj_parse(s, j, &n, err) < 0)
        return -1;
    struct sobj *cur = store_lookup(s, n.ns, n.name);
    bool del = type && !strcmp(type, "DELETED");
    if (cur && n.rv && cur->o.rv && n.rv < cur->o.rv) {
        /* An event older than what we hold (a replay after reconnecting). */
        cur->seen = true;
        obj_release(s, &n);
        return 0;
    }
    if (del) {
        obj_release(s, &n);
        if (cur)
            store_remove(s, cur);
        return 0;
    }
    if (cur) {
        cur->seen = true;
        if (n.rv && n.rv == cur->o.rv) {
            obj_release(s, &n);
            return 0;
        }
        struct kube_obj old = cur->o;
        cur->o = n;
        obj_release(s, &old);
        notify(s, KUBE_MODIFIED, &cur->o);
        return 0;
    }
    if ((s->n + 1) * 2 > s->nslots)
        index_grow(s);
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->objs = xrealloc(s->objs, s->cap * sizeof(*s->objs));
    }
    struct sobj *o = xmalloc(sizeof(*o));
    o->o = n;
    o->idx = s->n;
    o->seen = true;
    s->objs[s->n++] = o;
    *slot_find(s, o->o.ns, o->o.name) = o;
    notify(s, KUBE_ADDED, &o->o);
    return 0;
}

void kube_store_relist_begin(struct kube_store *s)
{
    for (size_t i = 0; i < s->n; i++)
        s->objs[i]->seen = false;
}

void kube_store_relist_end(struct kube_store *s)
{
    for (size_t i = s->n; i-- > 0;)
        if (!s->objs[i]->seen)
            store_remove(s, s->objs[i]);
    s->synced = true;
}

void kube_store_free(struct kube_store *s)
{
    if (!s)
        return;
    /* the intern table goes as a whole: no string released one by one
     * (at 100,000 pods a cache miss each, a third of a second) */
    for (size_t i = 0; i < s->n; i++) {
        kube_obj_release(NULL, s->res, &s->objs[i]->o);
        free(s->objs[i]);
    }
    free(s->objs);
    free(s->slots);
    free(s->subs);
    kube_intern_done(&s->strs);
    free(s);
}

void kube_store_subscribe(struct kube_store *s, kube_store_cb cb, void *arg)
{
    s->subs = xrealloc(s->subs, (s->nsubs + 1) * sizeof(*s->subs));
    s->subs[s->nsubs++] = (struct sub){cb, arg};
}

size_t kube_store_count(const struct kube_store *s)
{
    return s->n;
}

const struct kube_obj *kube_store_at(const struct kube_store *s, size_t i)
{
    return i < s->n ? &s->objs[i]->o : NULL;
}

const struct kube_obj *kube_store_find(const struct kube_store *s, const char *ns, const char *name)
{
    /* Interned pointers are the keys: find the interned copies first. */
    struct kube_store *m = (struct kube_store *)s;
    const char *ins = kube_intern(&m->strs, ns ? ns : "");
    const char *iname = kube_intern(&m->strs, name);
    struct sobj *o = store_lookup(s, ins, iname);
    kube_intern_release(&m->strs, ins);
    kube_intern_release(&m->strs, iname);
    return o ? &o->o : NULL;
}

size_t kube_store_memory(const struct kube_store *s)
{
    return sizeof(*s) + s->cap * sizeof(*s->objs) + s->nslots * sizeof(*s->slots) +
           s->n * sizeof(struct sobj) + kube_intern_memory(&s->strs) + s->extra_bytes;
}

bool kube_store_synced(const struct kube_store *s)
{
    return s->synced;
}

/* ---- feeding from a watch ---- */

static void sw_begin(void *arg)
{
    kube_store_relist_begin(arg);
}

static void sw_item(const cJSON *obj, void *arg)
{
    kube_store_apply(arg, NULL, obj, NULL);
}

static void sw_end(const char *rv, void *arg)
{
    kube_store_relist_end(arg);
}

static void sw_event(const char *type, const cJSON *obj, void *arg)
{
    kube_store_apply(arg, type, obj, NULL);
}

struct kube_watch *kube_store_watch(struct kube_store *s, struct kube_client *c,
                                    const struct kube_watch_opts *o)
{
    static const struct kube_watch_handlers h = {sw_begin, sw_item, sw_end, sw_event, NULL, NULL};
    return kube_watch_start(c, o, &h, s);
}

/* ---- one object outside a store ---- */

struct obj_holder {
    struct kube_obj o; /* first: the caller's pointer */
    struct kube_store *s;
};

struct kube_obj *kube_obj_parse(enum kube_kind kind, const cJSON *obj, struct error *err)
{
    struct kube_store *s = kube_store_new(kind);
    struct obj_holder *h = xcalloc(1, sizeof(*h));
    if (obj_parse(s, obj, &h->o, err) < 0) {
        kube_store_free(s);
        free(h);
        return NULL;
    }
    h->s = s;
    return &h->o;
}

void kube_obj_free(struct kube_obj *o)
{
    if (!o)
        return;
    struct obj_holder *h = (struct obj_holder *)(void *)o;
    obj_release(h->s, &h->o);
    kube_store_free(h->s);
    free(h);
}
