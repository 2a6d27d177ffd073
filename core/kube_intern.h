/* core/kube_intern.h: reference-counted interned strings. The object cache
 * keeps one copy of "dify", of each node name, of "Running": equal strings
 * are the same pointer, so the index can compare pointers. */
#ifndef CORE_KUBE_INTERN_H
#define CORE_KUBE_INTERN_H

#include <stddef.h>
#include <stdint.h>

/* All zero is an empty table. */
struct kube_intern {
    uintptr_t *b; /* nb slots: a string's address | a few bits of its hash; 0: empty */
    size_t nb, n; /* slots (0 or a power of two), strings */
    size_t bytes; /* strings and their headers */
};

/* The interned copy of s (n bytes), one more reference; NULL stays NULL. */
const char *kube_intern_n(struct kube_intern *t, const char *s, size_t n);
const char *kube_intern(struct kube_intern *t, const char *s);
/* Starts loading the slot where s would be (NULL is ignored), so that
 * interning it a little later does not wait for memory: for the strings
 * every object brings new (its name, its uid), asked for before the work
 * that comes before them. */
void kube_intern_prefetch(const struct kube_intern *t, const char *s);
/* Drops one reference to an interned string (NULL is ignored). */
void kube_intern_release(struct kube_intern *t, const char *s);
/* Frees every string, referenced or not. */
void kube_intern_done(struct kube_intern *t);
/* Bytes held: buckets and strings. */
size_t kube_intern_memory(const struct kube_intern *t);

#endif
