/* core/kube_intern.c: reference-counted strings in an open-addressing hash
 * table (linear probing, a power of two of slots, at most 3/4 full).
 *
 * A lookup costs one cache miss on the slot array and, for a string already
 * there, one on the string itself: each slot holds the string's pointer
 * with a few bits of its hash in the pointer's low bits, which malloc's
 * alignment leaves zero, so a probe past another string's slot does not
 * touch that string. A chained table missed on the bucket and again on
 * every string of the chain; at 100,000 pods (about four new strings each)
 * that was the list's biggest single cost (docs/bench.md). */
#include "config.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/kube_intern.h"
#include "core/util.h"

struct kube_istr {
    uint32_t hash;
    uint32_t ref;
    char s[];
};

/* The low bits of a malloc'd pointer that are always zero (malloc aligns
 * for max_align_t: 16 bytes on x86-64 and arm64, at least 8 elsewhere). */
#define TAG_MASK ((uintptr_t)(alignof(max_align_t) >= 16 ? 15 : 7))

static uint32_t hash_str(const char *s, size_t n)
{
    /* eight bytes a step, multiplied and folded; then a final mix so the
     * low bits (the slot) depend on every byte */
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, s, n);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    }
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 29;
    return (uint32_t)h;
}

/* The tag kept in a slot: hash bits above those that pick the slot. */
static inline uintptr_t tag_of(uint32_t h)
{
    return (uintptr_t)(h >> 28) & TAG_MASK;
}

static inline struct kube_istr *slot_entry(uintptr_t v)
{
    return (struct kube_istr *)(v & ~TAG_MASK);
}

static void put(struct kube_intern *t, struct kube_istr *e)
{
    size_t mask = t->nb - 1;
    uintptr_t *slots = t->b;
    size_t i = e->hash & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = (uintptr_t)e | tag_of(e->hash);
}

static void grow(struct kube_intern *t)
{
    size_t old = t->nb;
    uintptr_t *slots = t->b;
    t->nb = old ? old * 2 : 256;
    t->b = xcalloc(t->nb, sizeof(uintptr_t));
    for (size_t i = 0; i < old; i++)
        if (slots[i])
            put(t, slot_entry(slots[i]));
    free(slots);
}

const char *kube_intern_n(struct kube_intern *t, const char *s, size_t n)
{
    if (!s)
        return NULL;
    uint32_t h = hash_str(s, n);
    uintptr_t tag = tag_of(h);
    if (t->nb) {
        size_t mask = t->nb - 1;
        const uintptr_t *slots = t->b;
        for (size_t i = h & mask; slots[i]; i = (i + 1) & mask) {
            if ((slots[i] & TAG_MASK) != tag)
                continue;
            struct kube_istr *e = slot_entry(slots[i]);
            if (e->hash == h && strncmp(e->s, s, n) == 0 && e->s[n] == '\0') {
                e->ref++;
                return e->s;
            }
        }
    }
    if ((t->n + 1) * 4 > t->nb * 3)
        grow(t);
    struct kube_istr *e = xmalloc(sizeof(*e) + n + 1);
    memcpy(e->s, s, n);
    e->s[n] = '\0';
    e->hash = h;
    e->ref = 1;
    put(t, e);
    t->n++;
    t->bytes += sizeof(*e) + n + 1;
    return e->s;
}

void kube_intern_prefetch(const struct kube_intern *t, const char *s)
{
    if (s && t->nb)
        __builtin_prefetch(&t->b[hash_str(s, strlen(s)) & (t->nb - 1)]);
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
    uintptr_t *slots = t->b;
    slots[i] = 0;
    for (size_t j = (i + 1) & mask; slots[j]; j = (j + 1) & mask) {
        size_t home = slot_entry(slots[j])->hash & mask;
        /* j's entry stays when its home lies cyclically in (i, j] */
        if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
            continue;
        slots[i] = slots[j];
        slots[j] = 0;
        i = j;
    }
}

void kube_intern_release(struct kube_intern *t, const char *s)
{
    if (!s)
        return;
    struct kube_istr *e = (struct kube_istr *)(void *)(s - offsetof(struct kube_istr, s));
    if (--e->ref > 0)
        return;
    size_t mask = t->nb - 1;
    const uintptr_t *slots = t->b;
    size_t i = e->hash & mask;
    while (slot_entry(slots[i]) != e)
        i = (i + 1) & mask;
    slot_clear(t, i);
    t->n--;
    t->bytes -= sizeof(*e) + strlen(e->s) + 1;
    free(e);
}

void kube_intern_done(struct kube_intern *t)
{
    uintptr_t *slots = t->b;
    for (size_t i = 0; i < t->nb; i++)
        if (slots[i])
            free(slot_entry(slots[i]));
    free(slots);
    memset(t, 0, sizeof(*t));
}

size_t kube_intern_memory(const struct kube_intern *t)
{
    return t->nb * sizeof(uintptr_t) + t->bytes;
}
