/* core/kube_intern.h: reference-counted interned strings. The object cache
 * keeps one copy of "dify", of each node name, of "Running": equal strings
 * are the same pointer. The strings each object brings new (its name, a
 * pod's IP) are owned copies in the same blocks, not in the table. */
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
    size_t nown;                       /* owned strings (kube_intern_own) */
    char **blk;                        /* blocks the small strings are cut from */
    uint32_t *order;                   /* the blocks' numbers by address */
    uint32_t nblk, blk_used, blk_size; /* blocks; bytes used and held in the newest */
    uint32_t free[KUBE_INTERN_SMALL / 8 + 1]; /* per size in 8 bytes: a freed place */
    char **big;                               /* the long strings */
    uint32_t nbig, *big_free, nbig_free;      /* and the indexes of freed ones */
    size_t held;                              /* bytes of blocks and long strings */
};

/* The interned copy of s (n bytes), one more reference; NULL stays NULL. */
const char *kube_intern_n(struct kube_intern *t, const char *s, size_t n);
const char *kube_intern(struct kube_intern *t, const char *s);
/* A copy of s (n bytes) that no other string shares, such as an object's
 * name or a pod's IP: cut from the same blocks, released the same way, but
 * not in the table (kube_intern does not find it), so a string that each
 * object brings new costs no slot and no lookup. Its place keeps the
 * text's hash (kube_intern_hash_of). NULL stays NULL. */
const char *kube_intern_own(struct kube_intern *t, const char *s, size_t n);
/* The hash (31 bits) of n bytes of text; of a string of the table, interned
 * or owned (kept for owned ones). */
uint32_t kube_intern_hash(const char *s, size_t n);
uint32_t kube_intern_hash_of(const char *s);
/* The interned copy of s when there is one (no reference taken), else NULL. */
const char *kube_intern_find(const struct kube_intern *t, const char *s);
/* Drops one reference to an interned string (NULL is ignored). */
void kube_intern_release(struct kube_intern *t, const char *s);
/* Frees every string, referenced or not. */
void kube_intern_done(struct kube_intern *t);
/* Bytes held: slots, blocks and long strings. */
size_t kube_intern_memory(const struct kube_intern *t);

#endif
