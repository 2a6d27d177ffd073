/* core/status_diff.c: what `status --watch` prints at each change (see
 * status.h, status_diff_*): the lines of the model that differ from what
 * was printed under their key, and "KEY: gone" for each key no line has
 * any more. It keeps per key a 64-bit hash of the line, not the line (at
 * 100,000 rows the lines were 13 MB kept and 13 MB more a change), rows'
 * keys apart from the other lines' (connection, health, jobs: a few).
 *
 * A look reads the model's log of changes (status_lines_since): the other
 * lines, and the rows that changed since the last look, each found by its
 * key; a row whose key has no row any more is gone. A change at 100,000
 * rows costs the rows that changed. When the log cannot tell (the first
 * look, rows derived whole after a batch too big), the look walks every row, but
 * rows whose generation did not move since the last look are neither
 * formatted nor looked up, and one more pass finds the rows that went. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/util.h"

/* A key's last line: hashes of the key and of the line, the generation of
 * the row it says (0: not a row's), the look that last had it, and the
 * key's text for "KEY: gone". */
struct wline {
    uint64_t key, text;
    unsigned long long gen;
    unsigned seen;
    uint32_t koff, klen;
};

/* Lines by key hash: entries, an open-addressing table of their index + 1,
 * their keys' text (dead bytes: keys of entries removed, compacted away). */
struct wset {
    struct wline *v;
    size_t n, cap;
    uint32_t *slots;
    size_t nslots;
    struct strbuf keys;
    size_t dead;
};

struct status_diff {
    struct wset rows, lines;
    unsigned long long max_gen; /* rows up to it are as printed */
    unsigned long long seq;     /* the model's log position at the last look */
    bool primed;                /* a look happened */
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

/* ---- a set of lines ---- */

static uint32_t *wset_slot(const struct wset *w, uint64_t key)
{
    size_t mask = w->nslots - 1;
    for (size_t i = (size_t)key & mask;; i = (i + 1) & mask)
        if (!w->slots[i] || w->v[w->slots[i] - 1].key == key)
            return &w->slots[i];
}

static struct wline *wset_find(const struct wset *w, uint64_t key)
{
    if (!w->nslots)
        return NULL;
    uint32_t s = *wset_slot(w, key);
    return s ? &w->v[s - 1] : NULL;
}

/* Rebuilds the table from the entries (after growth or removals), and the
 * keys' text when most of it is dead. */
static void wset_reindex(struct wset *w)
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
        *wset_slot(w, w->v[i].key) = (uint32_t)(i + 1);
    if (w->dead > 4096 && w->dead * 2 > w->keys.len) {
        struct strbuf k;
        strbuf_init(&k);
        for (size_t i = 0; i < w->n; i++) {
            uint32_t off = (uint32_t)k.len;
            strbuf_add(&k, w->keys.buf + w->v[i].koff, w->v[i].klen);
            w->v[i].koff = off;
        }
        strbuf_done(&w->keys);
        w->keys = k;
        w->dead = 0;
    }
}

static struct wline *wset_add(struct wset *w, uint64_t key, const char *ktext, size_t klen)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->v = xrealloc(w->v, w->cap * sizeof(*w->v));
    }
    struct wline *e = &w->v[w->n++];
    *e = (struct wline){.key = key, .koff = (uint32_t)w->keys.len, .klen = (uint32_t)klen};
    strbuf_add(&w->keys, ktext, klen);
    if ((w->n + 1) * 2 > w->nslots)
        wset_reindex(w);
    else
        *wset_slot(w, key) = (uint32_t)w->n;
    return e;
}

/* Removes one entry: its slot emptied and the probe chain after it moved
 * back (linear probing), the last entry moved into its place. */
static void wset_del(struct wset *w, struct wline *e)
{
    size_t mask = w->nslots - 1;
    size_t i = (size_t)(wset_slot(w, e->key) - w->slots);
    w->slots[i] = 0;
    for (size_t j = (i + 1) & mask; w->slots[j]; j = (j + 1) & mask) {
        uint32_t x = w->slots[j];
        w->slots[j] = 0;
        *wset_slot(w, w->v[x - 1].key) = x;
    }
    w->dead += e->klen;
    size_t at = (size_t)(e - w->v), last = w->n - 1;
    if (at != last) {
        w->v[at] = w->v[last];
        *wset_slot(w, w->v[at].key) = (uint32_t)(at + 1);
    }
    w->n--;
}

/* Says every entry the look did not see as gone, and drops them. */
static bool wset_sweep(struct wset *w, unsigned look, status_diff_cb out, void *arg)
{
    bool changed = false;
    size_t kept = 0;
    for (size_t i = 0; i < w->n; i++) {
        struct wline *e = &w->v[i];
        if (e->seen == look) {
            if (kept != i)
                w->v[kept] = *e;
            kept++;
            continue;
        }
        if (out) {
            changed = true;
            out(w->keys.buf + e->koff, e->klen, true, arg);
        }
        w->dead += e->klen;
    }
    if (kept != w->n) {
        w->n = kept;
        wset_reindex(w);
    }
    return changed;
}

static void wset_free(struct wset *w)
{
    free(w->v);
    free(w->slots);
    strbuf_done(&w->keys);
}

/* ---- a look ---- */

struct look {
    struct status_diff *w;
    status_diff_cb out;
    void *arg;
    bool changed;
    unsigned long long max_gen;
    size_t kept;     /* rows as printed last time (not formatted) */
    size_t replaced; /* changed rows that were there last time */
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
    struct wset *set = gen ? &w->rows : &w->lines;
    size_t klen = line_key(text);
    uint64_t key = hash64(text, klen), h = hash64(text, strlen(text));
    struct wline *e = wset_find(set, key);
    if (k->out && !(e && e->text == h)) {
        k->changed = true;
        k->out(text, strlen(text), false, k->arg);
    }
    if (!e)
        e = wset_add(set, key, text, klen);
    else if (gen)
        k->replaced++;
    e->text = h;
    e->gen = gen;
    e->seen = w->look;
}

/* A row's key the model no longer has (status_lines_since). */
static void look_gone(const char *key, size_t len, void *arg)
{
    struct look *k = arg;
    struct wline *e = wset_find(&k->w->rows, hash64(key, len));
    if (!e)
        return;
    if (k->out) {
        k->changed = true;
        k->out(k->w->rows.keys.buf + e->koff, e->klen, true, k->arg);
    }
    wset_del(&k->w->rows, e);
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
        k->w->rows.v[x->i].seen = k->w->look;
}

/* Every row: the ones whose generation did not move are not formatted;
 * when the rows kept and replaced are fewer than before, some went: the
 * rows are walked once more to mark the kept ones, the rest are gone. */
static void look_whole(struct status_diff *w, const struct status *m, struct look *k)
{
    size_t rows_before = w->rows.n;
    status_lines_each(m, look_known, look_line, k);
    if (k->kept + k->replaced != rows_before) {
        struct mark mk = {w, xmalloc((w->rows.n + 1) * sizeof(struct gidx)), 0};
        for (size_t i = 0; i < w->rows.n; i++)
            if (w->rows.v[i].seen != w->look)
                mk.g[mk.ng++] = (struct gidx){w->rows.v[i].gen, i};
        qsort(mk.g, mk.ng, sizeof(*mk.g), cmp_gidx);
        status_lines_each(m, all_known, mark_line, &mk);
        free(mk.g);
        k->changed |= wset_sweep(&w->rows, w->look, k->out, k->arg);
    }
}

struct status_diff *status_diff_new(void)
{
    struct status_diff *d = xcalloc(1, sizeof(*d));
    strbuf_init(&d->rows.keys);
    strbuf_init(&d->lines.keys);
    return d;
}

void status_diff_free(struct status_diff *d)
{
    if (!d)
        return;
    wset_free(&d->rows);
    wset_free(&d->lines);
    free(d);
}

bool status_diff_look(struct status_diff *w, const struct status *m, status_diff_cb out, void *arg)
{
    struct look k = {.w = w, .out = out, .arg = arg, .max_gen = w->max_gen};
    unsigned long long seq = status_seq(m);
    w->look++;
    if (!w->primed || !status_lines_since(m, w->seq, look_line, look_gone, &k))
        look_whole(w, m, &k);
    k.changed |= wset_sweep(&w->lines, w->look, out, arg);
    w->max_gen = k.max_gen;
    w->seq = seq;
    w->primed = true;
    return k.changed;
}
