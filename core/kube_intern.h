/* core/kube_intern.h: reference-counted interned strings. The object cache
 * keeps one copy of "dify", of each node name, of "Running": equal strings
 * are the same pointer, so the index can compare pointers. */
#ifndef CORE_KUBE_INTERN_H
#define CORE_KUBE_INTERN_H

#include <stddef.h>
#include <stdint.h>

/* Strings up to this many bytes (with their NUL and a 4-byte count) live in
 * the table's blocks; longer ones are allocated apart. */
#define KUBE_INTERN_SMALL 1024

/* All zero is an empty table. */
struct kube_intern {
    uint64_t *b;                       /* nb slots: a string's hash << 32 | its handle; 0: empty */
    size_t nb, n;                      /* slots (0 or a power of two), strings */
    size_t bytes;                      /* the strings' places, their counts included */
    char **blk;                        /* blocks the small strings are cut from */
    uint32_t nblk, blk_used, blk_size; /* blocks; bytes used and held in the newest */
    uint32_t free[KUBE_INTERN_SMALL / 8 + 1]; /* per size in 8 bytes: a freed place */
    char **big;                               /* the long strings */
    uint32_t nbig, *big_free, nbig_free;      /* and the indexes of freed ones */
    size_t held;                              /* bytes of blocks and long strings */
};

/* The interned copy of s (n bytes), one more reference; NULL stays NULL. */
const char *kube_intern_n(struct kube_intern *t, const char *s, size_t n);
const char *kube_intern(struct kube_intern *t, const char *s);
/* Starts loading the slot where s would be (NULL is ignored), so that
 * interning it a little later does not wait for memory: for the strings
 * every object brings new (its name), asked for before the work that comes
 * before them. */
void kube_intern_prefetch(const struct kube_intern *t, const char *s);
/* Drops one reference to an interned string (NULL is ignored). */
void kube_intern_release(struct kube_intern *t, const char *s);
/* Frees every string, referenced or not. */
void kube_intern_done(struct kube_intern *t);
/* Bytes held: slots, blocks and long strings. */
size_t kube_intern_memory(const struct kube_intern *t);

#endif
