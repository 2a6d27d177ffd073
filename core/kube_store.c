/* core/kube_store.c: the object cache. Objects are the registry's
 * projection of each API object (core/kube_project.c) with strings in a
 * reference-counted intern table (core/kube_intern.c), kept as structs of
 * their kind's size in slabs, an array of them for iteration and an
 * open-addressing index on (namespace, name): the namespace's interned
 * pointer and the name, an owned string (one per object, no slot of the
 * intern table: at 100,000 pods 2 MB less, docs/bench.md). */
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

/* An object as the store holds it: allocated at the kind's size
 * (kube_obj_size), not sizeof(struct sobj), so only its own kind's part of
 * o.u exists. Nothing else is kept beside it: its position in objs is in
 * its index slot, whether a relist saw it in a bitmap. */
struct sobj {
    struct kube_obj o;
};

/* Objects live in slabs: one malloc for many objects of the same size, no
 * allocator header or rounding per object, freed ones kept on a list for
 * the next. A slab is never moved, so an object's address holds until it is
 * deleted (the status model keeps pointers to objects). Under
 * AddressSanitizer each object is followed by a poisoned red zone and a
 * freed one is poisoned, so a read past its kind's part of the union, or of
 * a deleted object, is caught as with malloc. */
#if defined(__SANITIZE_ADDRESS__)
#define STORE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STORE_ASAN 1
#endif
#endif
#ifdef STORE_ASAN
#include <sanitizer/asan_interface.h>
#define REDZONE 16
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define REDZONE 0
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct slab {
    struct slab *next;
    size_t bytes;
    /* objects follow, the first at SLAB_HEAD */
};
#define SLAB_HEAD ((sizeof(struct slab) + 15) & ~(size_t)15)
#define SLAB_MAX ((size_t)64 << 10) /* below malloc's mmap threshold */

struct sub {
    kube_store_cb cb;
    void *arg;
};

struct kube_store {
    const struct kube_resource *res;
    struct kube_intern strs;
    struct sobj **objs;
    size_t n, cap;
    uint64_t *seen;  /* cap bits: objs[i] was in the relist under way */
    uint32_t *slots; /* an object's position in objs + 1, 0: empty; a power of two,
                        at most 3/4 used (4 bytes where a pointer at 1/2 took 16) */
    size_t nslots;
    struct sub *subs;
    size_t nsubs;
    bool synced;
    size_t extra_bytes; /* key and annotation arrays */
    bool arrays;        /* the kind has array fields (KF_KEYS, KF_PAIRS) */
    size_t osize;       /* kube_obj_size of the kind */
    size_t stride;      /* an sobj's bytes in a slab */
    struct slab *slabs;
    char *bump;        /* the newest slab's unused part */
    size_t left;       /* objects that still fit there */
    struct sobj *free; /* deleted objects' places, linked through their first bytes */
    size_t slab_bytes; /* of every slab */
};

struct kube_store *kube_store_new(enum kube_kind kind)
{
    struct kube_store *s = xcalloc(1, sizeof(*s));
    s->res = kube_resource_get(kind);
    s->osize = kube_obj_size(kind);
    s->arrays = kube_obj_owns_arrays(s->res);
    s->stride = (offsetof(struct sobj, o) + s->osize + REDZONE + 7) & ~(size_t)7;
    return s;
}

/* A freed place's first bytes link it to the next freed one. */
static struct sobj *link_get(const struct sobj *o)
{
    struct sobj *next;
    memcpy(&next, (const void *)o, sizeof(next));
    return next;
}

static void link_put(struct sobj *o, struct sobj *next)
{
    memcpy((void *)o, &next, sizeof(next));
}

static struct sobj *sobj_alloc(struct kube_store *s)
{
    struct sobj *o = s->free;
    if (o) {
        s->free = link_get(o); /* the link stays unpoisoned */
        UNPOISON(o, offsetof(struct sobj, o) + s->osize);
        return o;
    }
    if (!s->left) {
        /* slabs grow with the store: a few objects first, then 64 KiB */
        size_t bytes = s->slabs ? s->slabs->bytes * 2 : SLAB_HEAD + 8 * s->stride;
        if (bytes > SLAB_MAX)
            bytes = SLAB_MAX;
        struct slab *sl = xmalloc(bytes);
        sl->next = s->slabs;
        sl->bytes = bytes;
        s->slabs = sl;
        s->slab_bytes += bytes;
        s->bump = (char *)sl + SLAB_HEAD;
        s->left = (bytes - SLAB_HEAD) / s->stride;
        POISON(s->bump, bytes - SLAB_HEAD);
    }
    o = (struct sobj *)(void *)s->bump;
    s->bump += s->stride;
    s->left--;
    UNPOISON(o, offsetof(struct sobj, o) + s->osize);
    return o;
}

static void slabs_free(struct kube_store *s)
{
    for (struct slab *sl = s->slabs, *next; sl; sl = next) {
        next = sl->next;
        UNPOISON(sl, sl->bytes);
        free(sl);
    }
    s->slabs = NULL;
    s->bump = NULL;
    s->left = 0;
    s->free = NULL;
    s->slab_bytes = 0;
}

static void sobj_free(struct kube_store *s, struct sobj *o)
{
    if (!s->n) {
        slabs_free(s); /* the last object gone: give every slab back */
        return;
    }
    link_put(o, s->free);
    s->free = o;
    POISON((char *)o + sizeof(s->free), s->stride - sizeof(s->free));
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

/* The index is on (namespace, name): the namespace's interned pointer and
 * the name's text, by the name's hash (kept in an owned name's place, so
 * neither growing nor deleting reads a name). Names are owned strings
 * (kube_intern_own): one per object, no slot of the intern table each. */
static size_t slot_hash(const char *ns, uint32_t name_hash)
{
    uint64_t h = ((uint64_t)(uintptr_t)ns ^ name_hash) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h ^ (h >> 29));
}

static bool key_eq(const struct kube_obj *o, const char *ns, const char *name, uint32_t h)
{
    return o->ns == ns &&
           (o->name == name || (kube_intern_hash_of(o->name) == h && !strcmp(o->name, name)));
}

/* The slot of (ns, name) (h: the name's kube_intern_hash): the one holding
 * it, else the empty one where it would go. */
static uint32_t *slot_find(const struct kube_store *s, const char *ns, const char *name, uint32_t h)
{
    size_t mask = s->nslots - 1;
    for (size_t i = slot_hash(ns, h) & mask;; i = (i + 1) & mask) {
        uint32_t v = s->slots[i];
        if (!v || key_eq(&s->objs[v - 1]->o, ns, name, h))
            return &s->slots[i];
    }
}

/* The empty slot an object goes to (it is not in the index). */
static uint32_t *slot_free(const struct kube_store *s, const struct sobj *o)
{
    size_t mask = s->nslots - 1;
    size_t i = slot_hash(o->o.ns, kube_intern_hash_of(o->o.name)) & mask;
    while (s->slots[i])
        i = (i + 1) & mask;
    return &s->slots[i];
}

static uint32_t *slot_of(const struct kube_store *s, const struct sobj *o)
{
    return slot_find(s, o->o.ns, o->o.name, kube_intern_hash_of(o->o.name));
}

static void index_grow(struct kube_store *s)
{
    size_t old = s->nslots;
    uint32_t *slots = s->slots;
    s->nslots = old ? old * 2 : 64;
    s->slots = xcalloc(s->nslots, sizeof(*s->slots));
    for (size_t i = 0; i < old; i++)
        if (slots[i])
            *slot_free(s, s->objs[slots[i] - 1]) = slots[i];
    free(slots);
}

/* Empties a slot. Linear probing deletion: shift back the entries that
 * follow. */
static void index_remove(struct kube_store *s, uint32_t *slot)
{
    size_t mask = s->nslots - 1;
    size_t i = (size_t)(slot - s->slots);
    s->slots[i] = 0;
    for (size_t j = (i + 1) & mask; s->slots[j]; j = (j + 1) & mask) {
        uint32_t e = s->slots[j];
        s->slots[j] = 0;
        *slot_free(s, s->objs[e - 1]) = e;
    }
}

static struct sobj *store_lookup(const struct kube_store *s, const char *ns, const char *name)
{
    if (!s->nslots || !ns || !name)
        return NULL;
    uint32_t v = *slot_find(s, ns, name, kube_intern_hash(name, strlen(name)));
    return v ? s->objs[v - 1] : NULL;
}

static void notify(struct kube_store *s, enum kube_change ch, const struct kube_obj *o)
{
    for (size_t i = 0; i < s->nsubs; i++)
        s->subs[i].cb(s->res->id, ch, o, s->subs[i].arg);
}

static bool seen_get(const struct kube_store *s, size_t i)
{
    return s->seen[i / 64] >> (i % 64) & 1;
}

static void seen_put(struct kube_store *s, size_t i, bool v)
{
    uint64_t bit = (uint64_t)1 << (i % 64);
    s->seen[i / 64] = v ? s->seen[i / 64] | bit : s->seen[i / 64] & ~bit;
}

/* Deletes the object of a slot (found by slot_find). */
static void store_remove(struct kube_store *s, uint32_t *slot)
{
    size_t pos = *slot - 1;
    struct sobj *o = s->objs[pos];
    index_remove(s, slot);
    /* the last object takes o's position, in the array and in its slot */
    size_t last = s->n - 1;
    if (pos != last) {
        *slot_of(s, s->objs[last]) = (uint32_t)pos + 1;
        s->objs[pos] = s->objs[last];
        seen_put(s, pos, seen_get(s, last));
    }
    s->n--;
    notify(s, KUBE_DELETED, &o->o);
    obj_release(s, &o->o);
    sobj_free(s, o);
}

int kube_store_apply(struct kube_store *s, const char *type, const cJSON *j, struct error *err)
{
    struct kube_obj n;
    if (obj_parse(s, j, &n, err) < 0)
        return -1;
    /* grown first, so the slot found is the one a new object takes (one
     * lookup an object during a list) */
    if ((s->n + 1) * 4 > s->nslots * 3)
        index_grow(s);
    uint32_t *slot = slot_find(s, n.ns, n.name, kube_intern_hash_of(n.name));
    struct sobj *cur = *slot ? s->objs[*slot - 1] : NULL;
    bool del = type && !strcmp(type, "DELETED");
    if (cur)
        seen_put(s, *slot - 1, true);
    if (cur && n.rv && cur->o.rv && n.rv < cur->o.rv) {
        /* An event older than what we hold (a replay after reconnecting). */
        obj_release(s, &n);
        return 0;
    }
    if (del) {
        obj_release(s, &n);
        if (cur)
            store_remove(s, slot);
        return 0;
    }
    if (cur) {
        if (n.rv && n.rv == cur->o.rv) {
            obj_release(s, &n);
            return 0;
        }
        /* the object keeps its name's pointer while it is in the store
         * (the status model finds rows by it) */
        struct kube_obj old;
        memcpy(&old, &cur->o, s->osize);
        kube_intern_release(&s->strs, n.name);
        n.name = old.name;
        old.name = NULL;
        memcpy(&cur->o, &n, s->osize);
        obj_release(s, &old);
        notify(s, KUBE_MODIFIED, &cur->o);
        return 0;
    }
    if (s->n == s->cap) {
        size_t old = s->cap;
        s->cap = s->cap ? s->cap * 2 : 64; /* a multiple of 64: whole words of seen */
        s->objs = xrealloc(s->objs, s->cap * sizeof(*s->objs));
        s->seen = xrealloc(s->seen, s->cap / 8);
        memset(s->seen + old / 64, 0, (s->cap - old) / 8);
    }
    struct sobj *o = sobj_alloc(s);
    memcpy(&o->o, &n, s->osize);
    seen_put(s, s->n, true);
    s->objs[s->n++] = o;
    *slot = (uint32_t)s->n;
    notify(s, KUBE_ADDED, &o->o);
    return 0;
}

void kube_store_relist_begin(struct kube_store *s)
{
    if (s->cap)
        memset(s->seen, 0, s->cap / 8);
}

void kube_store_relist_end(struct kube_store *s)
{
    for (size_t i = s->n; i-- > 0;)
        if (!seen_get(s, i))
            store_remove(s, slot_of(s, s->objs[i]));
    s->synced = true;
}

void kube_store_free(struct kube_store *s)
{
    if (!s)
        return;
    /* the intern table goes as a whole: no string released one by one
     * (at 100,000 pods a cache miss each, a third of a second), and the
     * objects only for their arrays, when their kind has any */
    for (size_t i = 0; s->arrays && i < s->n; i++)
        kube_obj_release(NULL, s->res, &s->objs[i]->o);
    slabs_free(s);
    free(s->objs);
    free(s->seen);
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
    /* the namespace's interned pointer is its key: a namespace the table
     * does not hold has no object */
    struct sobj *o = store_lookup(s, kube_intern_find(&s->strs, ns ? ns : ""), name);
    return o ? &o->o : NULL;
}

size_t kube_store_memory(const struct kube_store *s)
{
    return sizeof(*s) + s->cap * sizeof(*s->objs) + s->cap / 8 + s->nslots * sizeof(*s->slots) +
           s->slab_bytes + kube_intern_memory(&s->strs) + s->extra_bytes;
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
    struct kube_watch_opts wo = *o;
    wo.projected = true; /* the handlers only project */
    return kube_watch_start(c, &wo, &h, s);
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
