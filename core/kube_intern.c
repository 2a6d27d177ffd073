/* core/kube_intern.c: a chained hash table of reference-counted strings
 * (FNV-1a hashes), doubling when it holds as many strings as buckets. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/kube_intern.h"
#include "core/util.h"

struct kube_istr {
    struct kube_istr *next;
    uint32_t hash;
    uint32_t ref;
    char s[];
};

static uint32_t hash_str(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void grow(struct kube_intern *t)
{
    size_t nb = t->nb ? t->nb * 2 : 256;
    struct kube_istr **b = xcalloc(nb, sizeof(*b));
    for (size_t i = 0; i < t->nb; i++) {
        struct kube_istr *e = t->b[i];
        while (e) {
            struct kube_istr *next = e->next;
            e->next = b[e->hash % nb];
            b[e->hash % nb] = e;
            e = next;
        }
    }
    free(t->b);
    t->b = b;
    t->nb = nb;
}

const char *kube_intern_n(struct kube_intern *t, const char *s, size_t n)
{
    if (!s)
        return NULL;
    uint32_t h = hash_str(s, n);
    if (t->nb) {
        for (struct kube_istr *e = t->b[h % t->nb]; e; e = e->next)
            if (e->hash == h && strncmp(e->s, s, n) == 0 && e->s[n] == '\0') {
                e->ref++;
                return e->s;
            }
    }
    if (t->n >= t->nb)
        grow(t);
    struct kube_istr *e = xmalloc(sizeof(*e) + n + 1);
    memcpy(e->s, s, n);
    e->s[n] = '\0';
    e->hash = h;
    e->ref = 1;
    e->next = t->b[h % t->nb];
    t->b[h % t->nb] = e;
    t->n++;
    t->bytes += sizeof(*e) + n + 1;
    return e->s;
}

const char *kube_intern(struct kube_intern *t, const char *s)
{
    return s ? kube_intern_n(t, s, strlen(s)) : NULL;
}

void kube_intern_release(struct kube_intern *t, const char *s)
{
    if (!s)
        return;
    struct kube_istr *e = (struct kube_istr *)(void *)(s - offsetof(struct kube_istr, s));
    if (--e->ref > 0)
        return;
    struct kube_istr **pp = &t->b[e->hash % t->nb];
    while (*pp != e)
        pp = &(*pp)->next;
    *pp = e->next;
    t->n--;
    t->bytes -= sizeof(*e) + strlen(e->s) + 1;
    free(e);
}

void kube_intern_done(struct kube_intern *t)
{
    for (size_t i = 0; i < t->nb; i++) {
        struct kube_istr *e = t->b[i];
        while (e) {
            struct kube_istr *next = e->next;
            free(e);
            e = next;
        }
    }
    free(t->b);
    memset(t, 0, sizeof(*t));
}

size_t kube_intern_memory(const struct kube_intern *t)
{
    return t->nb * sizeof(*t->b) + t->bytes;
}
