/* screens/line_diff.c: line_diff.h. Both sides are looked up through sorted
 * arrays of pointers (the lines themselves are not copied). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "screens/line_diff.h"

size_t line_key_len(const char *s)
{
    const char *c = strstr(s, ": ");
    return c ? (size_t)(c - s) : strlen(s);
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct key {
    const char *s;
    size_t n;
};

static int cmp_key(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->s, y->s, n);
    return c ? c : x->n < y->n ? -1 : x->n > y->n;
}

void line_diff(char *const *old, size_t nold, char *const *now, size_t nnow,
               void (*changed)(const char *line, void *arg),
               void (*gone)(const char *line, size_t keylen, void *arg), void *arg)
{
    const char **sorted = xmalloc((nold ? nold : 1) * sizeof(*sorted));
    memcpy(sorted, old, nold * sizeof(*sorted));
    qsort(sorted, nold, sizeof(*sorted), cmp_line);
    for (size_t i = 0; i < nnow; i++) {
        const char *line = now[i];
        if (!bsearch(&line, sorted, nold, sizeof(*sorted), cmp_line))
            changed(line, arg);
    }
    free(sorted);
    struct key *keys = xmalloc((nnow ? nnow : 1) * sizeof(*keys));
    for (size_t i = 0; i < nnow; i++)
        keys[i] = (struct key){now[i], line_key_len(now[i])};
    qsort(keys, nnow, sizeof(*keys), cmp_key);
    for (size_t j = 0; j < nold; j++) {
        struct key k = {old[j], line_key_len(old[j])};
        if (!bsearch(&k, keys, nnow, sizeof(*keys), cmp_key))
            gone(old[j], k.n, arg);
    }
    free(keys);
}
