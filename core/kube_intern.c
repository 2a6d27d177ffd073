/* core/kube_intern.c: reference-counted strings in an open-addressing hash
 * table (linear probing, a power of two of slots, at most 3/4 full).
 *
 * A slot holds a string's whole 32-bit hash and a 32-bit handle to it, so
 * a probe past another string's slot does not touch that string, and the
 * table grows and deletes without reading any string. A chained table
 * missed on the bucket and again on every string of the chain; at 100,000
 * pods (about four new strings each) that was the list's biggest single
 * cost (docs/bench.md).
 *
 * The strings are cut from the table's blocks (2 KiB, doubling to 64 KiB),
 * each a 4-byte reference count and the text with its NUL, rounded up to 8
 * bytes: "load-00000" takes 16 bytes where malloc took 32 (its header, the
 * hash and count, the rounding). A released string's place goes on a list
 * per size and is taken by the next string of that size; when the last
 * string goes, every block is given back. Strings over KUBE_INTERN_SMALL
 * bytes are allocated apart. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/kube_intern.h"
#include "core/util.h"

/* A handle: a long string's index with BIG set; else the block's number
 * and the place's offset in it in 8-byte units (OFF_BITS: 64 KiB). The
 * first 8 bytes of every block stay unused, so no handle is 0. */
#define BIG 0x80000000u
#define OFF_BITS 13
#define OFF_MASK ((1u << OFF_BITS) - 1)
#define BLOCK_MIN 2048u            /* holds the longest short string after its 8 unused bytes */
#define BLOCK_MAX (8u << OFF_BITS) /* 64 KiB */
#define MAX_BLOCKS (BIG >> OFF_BITS)
#define COUNT_BYTES 4 /* the reference count before the text */
_Static_assert(BLOCK_MIN >= 8 + KUBE_INTERN_SMALL, "a short string fits a new block");
_Static_assert(KUBE_INTERN_SMALL % 8 == 0, "places are multiples of 8 bytes");

static inline uint64_t load8(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
}

static inline uint64_t load4(const char *s)
{
    uint32_t w;
    memcpy(&w, s, 4);
    return w;
}

/* Two words multiplied into 128 bits and the halves folded: every bit of
 * either word reaches the low bits the slot is taken from. */
static inline uint64_t mix(uint64_t a, uint64_t b)
{
    unsigned __int128 m = (unsigned __int128)a * b;
    return (uint64_t)m ^ (uint64_t)(m >> 64);
}

#define K0 0xA0761D6478BD642Full
#define K1 0xE7037ED1A0B428DBull
#define K2 0x8EBC6AF09C88C6E3ull

static uint32_t hash_str(const char *s, size_t n)
{
    /* the strings of objects are short (a pod's name, a node's, a phase):
     * up to 16 bytes are two loads (overlapping when shorter) and one
     * multiplication, no loop, no byte at a time past 3 */
    uint64_t a, b, seed = K0 ^ n;
    if (n <= 16) {
        if (n >= 8) {
            a = load8(s);
            b = load8(s + n - 8);
        } else if (n >= 4) {
            a = load4(s);
            b = load4(s + n - 4);
        } else if (n) {
            a = (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[n / 2] << 8 |
                (unsigned char)s[n - 1];
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        size_t i = 0;
        for (; i + 16 < n; i += 16)
            seed = mix(load8(s + i) ^ K1, load8(s + i + 8) ^ seed);
        a = load8(s + n - 16);
        b = load8(s + n - 8);
    }
    uint64_t h = mix(a ^ K1, b ^ seed);
    return (uint32_t)mix(h ^ K2, K1 ^ n);
}

static inline uint32_t slot_hash(uint64_t v)
{
    return (uint32_t)(v >> 32);
}

static inline uint32_t slot_handle(uint64_t v)
{
    return (uint32_t)v;
}

/* The place of a handle: its count, then the text. */
static inline char *place(const struct kube_intern *t, uint32_t h)
{
    if (h & BIG)
        return t->big[h & ~BIG];
    return t->blk[h >> OFF_BITS] + (size_t)(h & OFF_MASK) * 8;
}

static inline uint32_t *count_of(char *p)
{
    return (uint32_t *)(void *)p;
}

/* An owned string's count word: this bit and the text's hash (31 bits);
 * an interned string's count stays below it. */
#define OWNED 0x80000000u

/* A place's bytes for a text of n bytes, its count and NUL included. */
static inline size_t place_size(size_t n)
{
    return (COUNT_BYTES + n + 1 + 7) & ~(size_t)7;
}

static void put(struct kube_intern *t, uint64_t v)
{
    size_t mask = t->nb - 1;
    size_t i = slot_hash(v) & mask;
    while (t->b[i])
        i = (i + 1) & mask;
    t->b[i] = v;
}

static void grow(struct kube_intern *t)
{
    size_t old = t->nb;
    uint64_t *slots = t->b;
    t->nb = old ? old * 2 : 256;
    t->b = xcalloc(t->nb, sizeof(*t->b));
    for (size_t i = 0; i < old; i++)
        if (slots[i])
            put(t, slots[i]);
    free(slots);
}

/* A place of size bytes (a multiple of 8, at most KUBE_INTERN_SMALL). */
static uint32_t place_small(struct kube_intern *t, size_t size)
{
    uint32_t *fl = &t->free[size / 8];
    if (*fl) {
        uint32_t h = *fl;
        memcpy(fl, place(t, h), sizeof(*fl)); /* a free place's count holds the next */
        return h;
    }
    if (!t->nblk || t->blk_used + size > t->blk_size) {
        if (t->nblk == MAX_BLOCKS) /* 16 GiB of short strings */
            xalloc_fail(BLOCK_MAX);
        uint32_t bytes = t->nblk ? t->blk_size * 2 : BLOCK_MIN;
        if (bytes > BLOCK_MAX)
            bytes = BLOCK_MAX;
        /* the blocks' array grows by doubling: nblk a power of two is full */
        if (!(t->nblk & (t->nblk - 1))) {
            t->blk = xrealloc(t->blk, (t->nblk ? t->nblk * 2 : 1) * sizeof(*t->blk));
            t->order = xrealloc(t->order, (t->nblk ? t->nblk * 2 : 1) * sizeof(*t->order));
        }
        char *b = xmalloc(bytes);
        /* the blocks by address, for an owned string's handle */
        uint32_t lo = 0, hi = t->nblk;
        while (lo < hi) {
            uint32_t mid = (lo + hi) / 2;
            if ((uintptr_t)t->blk[t->order[mid]] < (uintptr_t)b)
                lo = mid + 1;
            else
                hi = mid;
        }
        memmove(t->order + lo + 1, t->order + lo, (t->nblk - lo) * sizeof(*t->order));
        t->order[lo] = t->nblk;
        t->blk[t->nblk++] = b;
        t->blk_size = bytes;
        t->blk_used = 8; /* no handle is 0 */
        t->held += bytes;
    }
    uint32_t h = (t->nblk - 1) << OFF_BITS | t->blk_used / 8;
    t->blk_used += (uint32_t)size;
    return h;
}

/* The handle of a short string's place p: its block found by address. */
static uint32_t handle_of(const struct kube_intern *t, const char *p)
{
    uint32_t lo = 0, hi = t->nblk; /* the last block starting at or below p */
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if ((uintptr_t)t->blk[t->order[mid]] <= (uintptr_t)p)
            lo = mid;
        else
            hi = mid;
    }
    uint32_t b = t->order[lo];
    return b << OFF_BITS | (uint32_t)((size_t)(p - t->blk[b]) / 8);
}

static uint32_t place_big(struct kube_intern *t, size_t size)
{
    uint32_t i;
    if (t->nbig_free)
        i = t->big_free[--t->nbig_free];
    else {
        if (t->nbig == BIG - 1)
            xalloc_fail(size);
        if (!(t->nbig & (t->nbig - 1)))
            t->big = xrealloc(t->big, (t->nbig ? t->nbig * 2 : 1) * sizeof(*t->big));
        i = t->nbig++;
    }
    t->big[i] = xmalloc(size);
    t->held += size;
    return BIG | i;
}

/* A place holding a copy of s (n bytes) and its NUL, its count word unset. */
static char *new_place(struct kube_intern *t, const char *s, size_t n, uint32_t *handle)
{
    size_t size = place_size(n);
    *handle = size <= KUBE_INTERN_SMALL ? place_small(t, size) : place_big(t, size);
    char *p = place(t, *handle);
    memcpy(p + COUNT_BYTES, s, n);
    p[COUNT_BYTES + n] = '\0';
    t->bytes += size;
    return p;
}

const char *kube_intern_n(struct kube_intern *t, const char *s, size_t n)
{
    if (!s)
        return NULL;
    uint32_t h = hash_str(s, n);
    if (t->nb) {
        size_t mask = t->nb - 1;
        const uint64_t *slots = t->b;
        for (size_t i = h & mask; slots[i]; i = (i + 1) & mask) {
            if (slot_hash(slots[i]) != h)
                continue;
            char *p = place(t, slot_handle(slots[i]));
            if (p[COUNT_BYTES + n] == '\0' && memcmp(p + COUNT_BYTES, s, n) == 0) {
                (*count_of(p))++;
                return p + COUNT_BYTES;
            }
        }
    }
    if ((t->n + 1) * 4 > t->nb * 3)
        grow(t);
    uint32_t handle;
    char *p = new_place(t, s, n, &handle);
    *count_of(p) = 1;
    put(t, (uint64_t)h << 32 | handle);
    t->n++;
    return p + COUNT_BYTES;
}

const char *kube_intern_own(struct kube_intern *t, const char *s, size_t n)
{
    if (!s)
        return NULL;
    if (place_size(n) > KUBE_INTERN_SMALL)
        return kube_intern_n(t, s, n); /* a long one is interned: owned ones are short */
    uint32_t handle;
    char *p = new_place(t, s, n, &handle);
    *count_of(p) = OWNED | kube_intern_hash(s, n);
    t->nown++;
    return p + COUNT_BYTES;
}

uint32_t kube_intern_hash(const char *s, size_t n)
{
    return hash_str(s, n) & ~OWNED;
}

uint32_t kube_intern_hash_of(const char *s)
{
    uint32_t w;
    memcpy(&w, s - COUNT_BYTES, sizeof(w));
    return w & OWNED ? w & ~OWNED : kube_intern_hash(s, strlen(s));
}

const char *kube_intern_find(const struct kube_intern *t, const char *s)
{
    if (!s || !t->nb)
        return NULL;
    size_t n = strlen(s);
    uint32_t h = hash_str(s, n);
    size_t mask = t->nb - 1;
    for (size_t i = h & mask; t->b[i]; i = (i + 1) & mask) {
        if (slot_hash(t->b[i]) != h)
            continue;
        char *p = place(t, slot_handle(t->b[i]));
        if (p[COUNT_BYTES + n] == '\0' && memcmp(p + COUNT_BYTES, s, n) == 0)
            return p + COUNT_BYTES;
    }
    return NULL;
}

const char *kube_intern(struct kube_intern *t, const char *s)
{
    return s ? kube_intern_n(t, s, strlen(s)) : NULL;
}

/* Empties slot i and moves back the entries after it that probing would no
 * longer find (linear probing's deletion, without tombstones). */
static void slot_clear(struct kube_intern *t, size_t i)
{
    size_t mask = t->nb - 1;
    uint64_t *slots = t->b;
    slots[i] = 0;
    for (size_t j = (i + 1) & mask; slots[j]; j = (j + 1) & mask) {
        size_t home = slot_hash(slots[j]) & mask;
        /* j's entry stays when its home lies cyclically in (i, j] */
        if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
            continue;
        slots[i] = slots[j];
        slots[j] = 0;
        i = j;
    }
}

/* Every block and long string given back; the slots stay. */
static void drop_places(struct kube_intern *t)
{
    for (uint32_t i = 0; i < t->nblk; i++)
        free(t->blk[i]);
    free(t->blk);
    free(t->order);
    for (uint32_t i = 0; i < t->nbig; i++)
        free(t->big[i]); /* freed ones are NULL */
    free(t->big);
    free(t->big_free);
    t->blk = NULL;
    t->order = NULL;
    t->big = NULL;
    t->big_free = NULL;
    t->nblk = t->blk_used = t->blk_size = 0;
    t->nbig = t->nbig_free = 0;
    memset(t->free, 0, sizeof(t->free));
    t->held = 0;
}

void kube_intern_release(struct kube_intern *t, const char *s)
{
    if (!s)
        return;
    char *p = (char *)s - COUNT_BYTES;
    size_t n = strlen(s), size = place_size(n);
    uint32_t handle;
    if (*count_of(p) & OWNED) {
        handle = handle_of(t, p);
        t->nown--;
    } else {
        if (--(*count_of(p)) > 0)
            return;
        uint32_t h = hash_str(s, n);
        size_t mask = t->nb - 1;
        size_t i = h & mask;
        while (slot_hash(t->b[i]) != h || place(t, slot_handle(t->b[i])) != p)
            i = (i + 1) & mask;
        handle = slot_handle(t->b[i]);
        slot_clear(t, i);
        t->n--;
    }
    t->bytes -= size;
    if (!t->n && !t->nown) {
        drop_places(t); /* the last string gone */
        return;
    }
    if (handle & BIG) {
        uint32_t k = handle & ~BIG;
        free(t->big[k]);
        t->big[k] = NULL;
        t->held -= size;
        if (!(t->nbig_free & (t->nbig_free - 1)))
            t->big_free =
                xrealloc(t->big_free, (t->nbig_free ? t->nbig_free * 2 : 1) * sizeof(*t->big_free));
        t->big_free[t->nbig_free++] = k;
        return;
    }
    uint32_t *fl = &t->free[size / 8];
    memcpy(p, fl, sizeof(*fl));
    *fl = handle;
}

void kube_intern_done(struct kube_intern *t)
{
    drop_places(t);
    free(t->b);
    memset(t, 0, sizeof(*t));
}

size_t kube_intern_memory(const struct kube_intern *t)
{
    return t->nb * sizeof(*t->b) + t->held;
}
