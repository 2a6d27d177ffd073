/* core/status_diff.c: what `status --watch` prints at each change (see
 * status.h, status_diff_*): the lines of the model (status_lines_each)
 * that differ from what was printed under their key, and "KEY: gone" for
 * each key no line has any more. It keeps per key a 64-bit hash of the
 * line, not the line (at 100,000 rows the lines were 13 MB kept and 13 MB
 * more a change), and rows whose generation did not move since the last
 * look are neither formatted nor looked up: a change costs the rows that
 * changed, plus one pass to find the rows that went when some did. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/util.h"

/* What --watch printed last: per key (the text before ": "), hashes of the
 * key and of the line, the generation of the row it says (0: not a row's),
 * and the key's text for "KEY: gone"; in a table by key hash. Hashes, not
 * lines: at 100,000 rows the lines were 13 MB kept and 13 MB more a change. */
struct wline {
    uint64_t key, text;
    unsigned long long gen;
    unsigned seen; /* the look that last had it (rows: only when it changed) */
    uint32_t koff, klen;
};

struct status_diff {
    struct wline *v;
    size_t n, cap;
    uint32_t *slots; /* index + 1; 0 empty */
    size_t nslots;
    struct strbuf keys;
    size_t nrows;               /* entries with a generation */
    unsigned long long max_gen; /* rows up to it are as printed */
    unsigned look;
};

/* The key of a line: what comes before its first ": ". */
static size_t line_key(const char *s)
{
    const char *c = strstr(s, ": ");
    return c ? (size_t)(c - s) : strlen(s);
}

/* FNV-1a with a final mix: 64 bits, so that two different lines of one
 * look share a hash once in about 10^9 looks of 100,000 lines. */
static uint64_t hash64(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static uint32_t *wmap_slot(const struct status_diff *w, uint64_t key)
{
    size_t mask = w->nslots - 1;
    for (size_t i = (size_t)key & mask;; i = (i + 1) & mask)
        if (!w->slots[i] || w->v[w->slots[i] - 1].key == key)
            return &w->slots[i];
}

static struct wline *wmap_find(const struct status_diff *w, uint64_t key)
{
    if (!w->nslots)
        return NULL;
    uint32_t s = *wmap_slot(w, key);
    return s ? &w->v[s - 1] : NULL;
}

/* Rebuilds the table from the entries (after growth or removals). */
static void wmap_reindex(struct status_diff *w)
{
    size_t want = 64;
    while (want < w->n * 2 + 2)
        want *= 2;
    if (want != w->nslots) {
        free(w->slots);
        w->nslots = want;
        w->slots = xmalloc(want * sizeof(*w->slots));
    }
    memset(w->slots, 0, w->nslots * sizeof(*w->slots));
    for (size_t i = 0; i < w->n; i++)
        *wmap_slot(w, w->v[i].key) = (uint32_t)(i + 1);
}

static struct wline *wmap_add(struct status_diff *w, uint64_t key, const char *ktext, size_t klen)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->v = xrealloc(w->v, w->cap * sizeof(*w->v));
    }
    struct wline *e = &w->v[w->n++];
    *e = (struct wline){.key = key, .koff = (uint32_t)w->keys.len, .klen = (uint32_t)klen};
    strbuf_add(&w->keys, ktext, klen);
    if ((w->n + 1) * 2 > w->nslots)
        wmap_reindex(w);
    else
        *wmap_slot(w, key) = (uint32_t)w->n;
    return e;
}

struct look {
    struct status_diff *w;
    status_diff_cb out;
    void *arg;
    bool changed;
    unsigned long long max_gen;
    size_t kept;     /* rows as printed last time (not formatted) */
    size_t replaced; /* changed rows that were there last time */
    size_t others;   /* lines that are not rows' */
    bool moved;      /* a key went from a row's line to another or back */
};

static bool look_known(unsigned long long gen, void *arg)
{
    struct look *k = arg;
    return gen && gen <= k->w->max_gen;
}

static void look_line(const char *text, unsigned long long gen, void *arg)
{
    struct look *k = arg;
    struct status_diff *w = k->w;
    if (gen > k->max_gen)
        k->max_gen = gen;
    if (!text) {
        k->kept++;
        return;
    }
    size_t klen = line_key(text);
    uint64_t key = hash64(text, klen), h = hash64(text, strlen(text));
    struct wline *e = wmap_find(w, key);
    if (k->out && !(e && e->text == h)) {
        k->changed = true;
        k->out(text, strlen(text), false, k->arg);
    }
    k->others += gen == 0;
    if (!e) {
        e = wmap_add(w, key, text, klen);
        w->nrows += gen != 0;
    } else if (gen && e->gen) {
        k->replaced++;
    } else if (!gen != !e->gen) {
        k->moved = true; /* a row's key is another line's now, or back */
        w->nrows += gen ? 1 : -1;
    }
    e->text = h;
    e->gen = gen;
    e->seen = w->look;
}

/* When rows went away: every row now, not formatted, marks its entry. */
static bool all_known(unsigned long long gen, void *arg)
{
    return gen != 0;
}

struct gidx {
    unsigned long long gen;
    size_t i;
};

static int cmp_gidx(const void *a, const void *b)
{
    const struct gidx *x = a, *y = b;
    return (x->gen > y->gen) - (x->gen < y->gen);
}

struct mark {
    struct status_diff *w;
    struct gidx *g;
    size_t ng;
};

static void mark_line(const char *text, unsigned long long gen, void *arg)
{
    struct mark *k = arg;
    struct gidx key = {gen, 0};
    const struct gidx *x =
        text || !k->ng ? NULL : bsearch(&key, k->g, k->ng, sizeof(key), cmp_gidx);
    if (x)
        k->w->v[x->i].seen = k->w->look;
}

struct status_diff *status_diff_new(void)
{
    struct status_diff *d = xcalloc(1, sizeof(*d));
    strbuf_init(&d->keys);
    return d;
}

void status_diff_free(struct status_diff *d)
{
    if (!d)
        return;
    free(d->v);
    free(d->slots);
    strbuf_done(&d->keys);
    free(d);
}

bool status_diff_look(struct status_diff *w, const struct status *m, status_diff_cb out, void *arg)
{
    struct look k = {.w = w, .out = out, .arg = arg, .max_gen = w->max_gen};
    size_t rows_before = w->nrows;
    w->look++;
    status_lines_each(m, look_known, look_line, &k);
    bool rows_went = k.kept + k.replaced != rows_before;
    if (!rows_went && !k.moved && k.others == w->n - w->nrows) {
        /* nothing went: the common case costs only what changed */
        w->max_gen = k.max_gen;
        return k.changed;
    }
    if (rows_went || k.moved) {
        /* rows went: find which (the kept ones were not looked at) */
        struct mark mk = {w, xmalloc((w->n + 1) * sizeof(struct gidx)), 0};
        for (size_t i = 0; i < w->n; i++)
            if (w->v[i].gen && w->v[i].seen != w->look)
                mk.g[mk.ng++] = (struct gidx){w->v[i].gen, i};
        qsort(mk.g, mk.ng, sizeof(*mk.g), cmp_gidx);
        status_lines_each(m, all_known, mark_line, &mk);
        free(mk.g);
    } else {
        for (size_t i = 0; i < w->n; i++)
            if (w->v[i].gen)
                w->v[i].seen = w->look; /* all there */
    }
    size_t kept = 0;
    for (size_t i = 0; i < w->n; i++) {
        struct wline *e = &w->v[i];
        if (e->seen == w->look) {
            if (kept != i)
                w->v[kept] = *e;
            kept++;
            continue;
        }
        if (out) {
            k.changed = true;
            out(w->keys.buf + e->koff, e->klen, true, arg);
        }
        w->nrows -= e->gen != 0;
    }
    if (kept != w->n) {
        w->n = kept;
        wmap_reindex(w);
    }
    w->max_gen = k.max_gen;
    return k.changed;
}
