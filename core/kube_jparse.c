/* core/kube_jparse.c: an arena JSON parser building cJSON-shaped trees (see
 * kube_jparse.h). One pass, no recursion (an explicit stack of open
 * containers), nodes and strings bump-allocated from chunks; the biggest
 * chunk of a freed tree is kept (one per thread) for the next parse, so a
 * steady stream of pages or watch events allocates nothing. */
#include "config.h"

#include <cjson/cJSON.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/kube_check.h"
#include "core/kube_jparse.h"
#include "core/kube_keys.h"
#include "core/util.h"

struct chunk {
    struct chunk *next; /* the tree's next chunk */
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
};

/* A chunk bigger than this is not kept for the next parse. */
#define SPARE_MAX ((size_t)4 << 20)
#define CHUNK_MIN ((size_t)16 << 10)

static __thread struct chunk *g_spare;

/* Where the arena stood (to give back what came after). */
struct mark {
    struct chunk *chunk;
    size_t used;
};

/* What the type check asks of a container's members or items: the rules by
 * their names, strings (a map of strings: no rules below), or objects (a
 * list of objects). */
enum check_mode { CHECK_RULES, CHECK_STRMAP, CHECK_OBJLIST };

struct parser {
    unsigned char *start, *p, *end; /* the parser's copy of the text */
    struct chunk *first, *cur;
    unsigned flags;
    int depth;
    size_t slen; /* the length of the last string value read */
    /* kube_jparse_list: the items of the root's first "items" member */
    kube_jparse_item_cb item;
    void *item_arg;
    bool items_seen;       /* the root's first "items" member was met */
    cJSON *items;          /* that list while it is read, when it is one */
    struct mark item_mark; /* where the arena stood before the current item */
    struct frame {
        cJSON *node;
        cJSON *last; /* its last child so far */
        bool object;
        /* the type check (kube_check.h) as members are read: */
        bool bad;           /* a member below breaks a rule */
        unsigned char mode; /* what its members or items must be: enum check_mode */
        unsigned char pkey; /* the parent key its members' rules go by */
    } stack[KUBE_JPARSE_MAX_DEPTH];
};

static struct chunk *chunk_new(size_t size)
{
    if (g_spare && g_spare->size >= size) {
        struct chunk *c = g_spare;
        g_spare = NULL;
        c->next = NULL;
        c->used = 0;
        return c;
    }
    struct chunk *c = xmalloc(sizeof(*c) + size);
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

/* The next chunk: the one after the current (the arena was rewound past
 * it) when big enough, else a new one linked in after the current. */
static void *grow(struct parser *ps, size_t n)
{
    struct chunk *c = ps->cur->next;
    if (!c || c->size < n) {
        size_t size = ps->cur->size * 2;
        if (size > SPARE_MAX)
            size = SPARE_MAX;
        if (size < n)
            size = n;
        c = chunk_new(size);
        c->next = ps->cur->next;
        ps->cur->next = c;
    }
    ps->cur = c;
    c->used = n;
    return c->data;
}

static inline void *alloc(struct parser *ps, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    struct chunk *c = ps->cur;
    if (c->size - c->used < n)
        return grow(ps, n);
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

static inline cJSON *node_new(struct parser *ps, int type)
{
    cJSON *n = alloc(ps, sizeof(*n));
    memset(n, 0, sizeof(*n));
    n->type = type;
    return n;
}

void kube_jparse_free(cJSON *root)
{
    if (!root)
        return;
    struct chunk *c =
        (struct chunk *)(void *)((unsigned char *)root - offsetof(struct chunk, data));
    while (c) {
        struct chunk *next = c->next;
        if (c->size <= SPARE_MAX && (!g_spare || g_spare->size < c->size)) {
            free(g_spare);
            g_spare = c;
        } else {
            free(c);
        }
        c = next;
    }
}

void kube_jparse_release(void)
{
    free(g_spare);
    g_spare = NULL;
#ifdef __GLIBC__
    malloc_trim(0); /* the page buffers' and trees' freed memory, back to the system */
#endif
}

/* Gives back what the arena handed out since m (a later chunk is kept
 * linked and reused by grow). */
static inline void rewind_to(struct parser *ps, struct mark m)
{
    ps->cur = m.chunk;
    ps->cur->used = m.used;
}

/* ---- scalars ---- */

/* The text ends in a NUL (the parser's copy), which is not whitespace, so
 * p may be read up to end; every token starts above ' '. */
static inline __attribute__((always_inline)) unsigned char *skip_ws(unsigned char *p,
                                                                    const unsigned char *end)
{
    if (__builtin_expect(*p > ' ', 1)) /* what servers send has no whitespace */
        return p;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return p;
}

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

static size_t put_utf8(unsigned char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes the escapes of s..q (q is the closing quote) into out; NULL and
 * ps->p at the culprit for a bad escape. Returns the end of out. */
static unsigned char *unescape(struct parser *ps, unsigned char *s, const unsigned char *q,
                               unsigned char *o)
{
    while (s < q) {
        unsigned char *bs = memchr(s, '\\', (size_t)(q - s));
        size_t run = bs ? (size_t)(bs - s) : (size_t)(q - s);
        memmove(o, s, run);
        o += run;
        s += run;
        if (!bs)
            break;
        unsigned char e = s[1];
        static const char simple_in[] = "\"\\/bfnrt", simple_out[] = "\"\\/\b\f\n\r\t";
        const char *k = e ? strchr(simple_in, e) : NULL;
        if (k) {
            *o++ = (unsigned char)simple_out[k - simple_in];
            s += 2;
            continue;
        }
        if (e != 'u' || q - s < 6) {
            ps->p = s;
            return NULL;
        }
        int hi = hex4(s + 2);
        if (hi < 0 || (hi >= 0xDC00 && hi <= 0xDFFF)) {
            ps->p = s;
            return NULL;
        }
        unsigned cp = (unsigned)hi;
        s += 6;
        if (hi >= 0xD800 && hi <= 0xDBFF) {
            /* a high surrogate needs its low half right after it */
            int lo = q - s >= 6 && s[0] == '\\' && s[1] == 'u' ? hex4(s + 2) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF) {
                ps->p = s - 6;
                return NULL;
            }
            cp = 0x10000 + (((unsigned)hi & 0x3FF) << 10) + ((unsigned)lo & 0x3FF);
            s += 6;
        }
        o += put_utf8(o, cp);
    }
    return o;
}

/* The first '"' or '\\' from p on, or end: sixteen bytes a step with SSE2
 * (every x86-64), else eight (the "has a zero byte" trick on the word xor
 * each of the two), so a short string costs a step or two, not a library
 * call. */
static inline __attribute__((always_inline)) unsigned char *find_quote(unsigned char *p,
                                                                       const unsigned char *end)
{
#ifdef __SSE2__
    const __m128i quotes16 = _mm_set1_epi8('"'), slashes16 = _mm_set1_epi8('\\');
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned hit = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, quotes16), _mm_cmpeq_epi8(v, slashes16)));
        if (hit)
            return p + __builtin_ctz(hit);
        p += 16;
    }
#endif
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const uint64_t quotes = ones * '"', slashes = ones * '\\';
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint64_t a = w ^ quotes, b = w ^ slashes;
        uint64_t hit = ((a - ones) & ~a & highs) | ((b - ones) & ~b & highs);
        if (hit)
            return p + (__builtin_ctzll(hit) >> 3); /* little endian: the lowest byte first */
        p += 8;
    }
    while (p < end && *p != '"' && *p != '\\')
        p++;
    return p;
}

/* The rest of a string with escapes (s: its first byte, q: the first
 * backslash): find the closing quote, stepping over each escaped byte, then
 * decode over the string itself (escapes only shrink). */
static char *parse_escaped(struct parser *ps, unsigned char *s, unsigned char *q, size_t *len)
{
    unsigned char *end = ps->end;
    while (q < end && *q == '\\') {
        q += 2;
        if (q >= end)
            break;
        q = find_quote(q, end);
    }
    if (q >= end) {
        ps->p = end;
        return NULL;
    }
    unsigned char *e = unescape(ps, s, q, s);
    if (!e)
        return NULL;
    *e = '\0';
    /* a name is what C reads of it: up to an escaped NUL (as strcmp and
     * kj_get compare it) */
    *len = strlen((const char *)s);
    ps->p = q + 1;
    return (char *)s;
}

/* The string starting at ps->p (its opening quote), in place: the text is
 * the parser's own copy, so the closing quote becomes the terminating NUL.
 * *len: its length once unescaped. */
static inline __attribute__((always_inline)) char *parse_string(struct parser *ps, size_t *len)
{
    unsigned char *s = ps->p + 1;
    unsigned char *q = find_quote(s, ps->end);
    if (q < ps->end && *q == '"') {
        *q = '\0';
        *len = (size_t)(q - s);
        ps->p = q + 1;
        return (char *)s;
    }
    if (q >= ps->end) {
        ps->p = ps->end;
        return NULL;
    }
    return parse_escaped(ps, s, q, len);
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* JSON's number grammar; integers of up to 18 digits without strtod. */
static __attribute__((noinline)) bool parse_number(struct parser *ps, cJSON *n)
{
    unsigned char *p = ps->p, *start = p;
    const unsigned char *end = ps->end;
    bool neg = false, simple = true;
    if (p < end && *p == '-') {
        neg = true;
        p++;
    }
    if (p >= end || !is_digit(*p)) {
        ps->p = p;
        return false;
    }
    long long v = 0;
    int digits = 0;
    if (*p == '0') {
        p++;
        digits = 1;
    } else {
        while (p < end && is_digit(*p)) {
            if (digits < 18)
                v = v * 10 + (*p - '0');
            digits++;
            p++;
        }
    }
    if (p < end && *p == '.') {
        simple = false;
        p++;
        if (p >= end || !is_digit(*p)) {
            ps->p = p;
            return false;
        }
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        simple = false;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !is_digit(*p)) {
            ps->p = p;
            return false;
        }
        while (p < end && is_digit(*p))
            p++;
    }
    double d;
    if (simple && digits <= 18) {
        d = neg ? (v ? (double)-v : -0.0) : (double)v;
    } else {
        /* strtod needs a terminated copy; the arena has room */
        size_t len = (size_t)(p - start);
        char *tmp = alloc(ps, len + 1);
        memcpy(tmp, start, len);
        tmp[len] = '\0';
        d = strtod(tmp, NULL);
    }
    n->valuedouble = d;
    n->valueint = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
    ps->p = p;
    return true;
}

static bool literal(struct parser *ps, const char *word, size_t n)
{
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return false;
    ps->p += n;
    return true;
}

/* ---- the tree ---- */

/* Links n as the next child of the container of frame f. */
static inline void attach(struct frame *f, cJSON *n)
{
    if (f->last) {
        f->last->next = n;
        n->prev = f->last;
    } else {
        f->node->child = n;
    }
    f->last = n;
}

/* An item of the streamed list was read: handed over, then unlinked from
 * the list and its memory given back (every node and string it made since
 * the arena mark taken before it; the text it points into stays). */
static void item_done(struct parser *ps, cJSON *n)
{
    ps->item(n, ps->item_arg);
    struct frame *list = &ps->stack[1];
    if (list->node->child == n) {
        list->node->child = NULL;
        list->last = NULL;
    } else {
        n->prev->next = NULL;
        list->last = n->prev;
    }
    rewind_to(ps, ps->item_mark);
}

/* Closes the innermost container: cJSON's first child points back at the
 * last. */
static inline void close_container(struct parser *ps)
{
    struct frame *f = &ps->stack[--ps->depth];
    if (f->node->child)
        f->node->child->prev = f->last;
    /* clean, and its members went by the rules kube_obj_check applies to an
     * object it is given (no rule has this parent key) */
    if (f->bad) {
        if (ps->depth > 0)
            ps->stack[ps->depth - 1].bad = true;
    } else if (f->object && f->mode == CHECK_RULES && !kube_check_is_parent[f->pkey]) {
        f->node->type |= KUBE_CHECK_OK;
    }
    if (ps->depth == 2 && ps->items && ps->stack[1].node == ps->items)
        item_done(ps, f->node);
}

/* One value at ps->p into n (a node already linked); opens containers. */
static inline __attribute__((always_inline)) bool parse_value(struct parser *ps, cJSON *n)
{
    switch (*ps->p) {
    case '{':
    case '[':
        if (ps->depth >= KUBE_JPARSE_MAX_DEPTH)
            return false;
        n->type = *ps->p == '{' ? cJSON_Object : cJSON_Array;
        ps->stack[ps->depth++] = (struct frame){.node = n, .object = n->type == cJSON_Object};
        ps->p++;
        return true;
    case '"':
        n->type = cJSON_String;
        n->valuestring = parse_string(ps, &ps->slen);
        return n->valuestring != NULL;
    case 't':
        n->type = cJSON_True;
        n->valueint = 1;
        return literal(ps, "true", 4);
    case 'f':
        n->type = cJSON_False;
        return literal(ps, "false", 5);
    case 'n':
        n->type = cJSON_NULL;
        return literal(ps, "null", 4);
    default:
        n->type = cJSON_Number;
        return parse_number(ps, n);
    }
}

/* The member name number the parser gave node n (KK_NONE for the root and
 * list items). */
static inline enum kube_key node_key(const cJSON *n)
{
    return (n->type & KUBE_KEYED) ? (enum kube_key)((unsigned)n->type >> KUBE_KEY_SHIFT) : KK_NONE;
}

/* Is the member key of the object in frame f one to leave out? */
static inline bool skipped_member(const struct parser *ps, const struct frame *f, enum kube_key key)
{
    return (ps->flags & KUBE_JPARSE_NO_MANAGED_FIELDS) && key == KK_managedFields &&
           node_key(f->node) == KK_metadata;
}

/* The value at ps->p of a member left out, read and checked as JSON without
 * a node: the grammar, the depth limit and the places of errors are those of
 * parse_value and parse_members below (the same string, number and literal
 * readers; the states in the same order). A closer a level: '}' or ']'. */
static bool skip_value(struct parser *ps)
{
    const unsigned char *end = ps->end;
    unsigned char close[KUBE_JPARSE_MAX_DEPTH];
    int depth = 0;
    cJSON scratch;
value:
    switch (*ps->p) {
    case '{':
    case '[':
        if (ps->depth + depth >= KUBE_JPARSE_MAX_DEPTH)
            return false;
        close[depth++] = *ps->p == '{' ? '}' : ']';
        ps->p++;
        goto opened;
    case '"': {
        size_t len;
        if (!parse_string(ps, &len))
            return false;
        break;
    }
    case 't':
        if (!literal(ps, "true", 4))
            return false;
        break;
    case 'f':
        if (!literal(ps, "false", 5))
            return false;
        break;
    case 'n':
        if (!literal(ps, "null", 4))
            return false;
        break;
    default:
        if (!parse_number(ps, &scratch))
            return false;
        break;
    }
    goto ended;
opened:
    ps->p = skip_ws(ps->p, end);
    if (ps->p >= end)
        return false;
    if (*ps->p == close[depth - 1]) {
        ps->p++;
        depth--;
        goto ended;
    }
item:
    if (close[depth - 1] == '}') {
        size_t len;
        if (*ps->p != '"' || !parse_string(ps, &len))
            return false;
        ps->p = skip_ws(ps->p, end);
        if (ps->p >= end || *ps->p != ':')
            return false;
        ps->p = skip_ws(ps->p + 1, end);
        if (ps->p >= end)
            return false;
    }
    goto value;
ended:
    while (depth > 0) {
        ps->p = skip_ws(ps->p, end);
        if (ps->p >= end)
            return false;
        unsigned char c = *ps->p;
        if (c == ',') {
            ps->p = skip_ws(ps->p + 1, end);
            if (ps->p >= end)
                return false;
            goto item;
        }
        if (c != close[depth - 1])
            return false;
        ps->p++;
        depth--;
    }
    return true;
}

/* The escapes a skipped string may hold without the exact reader's
 * decoding: everything but \u (whose hex and surrogate rules skip_value's
 * own reader applies). */
static const bool simple_escape[256] = {['"'] = true, ['\\'] = true, ['/'] = true, ['b'] = true,
                                        ['f'] = true, ['n'] = true,  ['r'] = true, ['t'] = true};

/* The rest of a skipped string from s (after its opening quote), read
 * without writing: the byte after its closing quote, or NULL when not sure
 * (the text ends, an escape other than the simple ones). */
static inline __attribute__((always_inline)) unsigned char *skip_string(unsigned char *s,
                                                                        const unsigned char *end)
{
    for (;;) {
        unsigned char *q = find_quote(s, end);
        if (q >= end)
            return NULL;
        if (*q == '"')
            return q + 1;
        if (!simple_escape[q[1]]) /* q[1] is the NUL after the text at worst */
            return NULL;
        s = q + 2;
    }
}

/* skip_value's fast path: the same grammar read with the position in a
 * register, the open containers as bits of one word, strings scanned
 * without being ended or decoded (nothing is written), whitespace by
 * skip_ws. Every token it is not sure of (an error, a \u escape, a number
 * or literal the exact readers refuse, more than 62 levels) makes it give up:
 * false, ps->p unchanged, and skip_value reads the value again from its
 * start, so what is refused, and where, is skip_value's answer. True: the
 * value is JSON and ps->p is after it (where skip_value would stop: a JSON
 * value's end is where its text says). The text ends in a NUL, which no
 * test below takes for a token. */
static __attribute__((noinline)) bool skip_fast(struct parser *ps)
{
    unsigned char *const start = ps->p, *p = start;
    const unsigned char *end = ps->end;
    uint64_t objs = 0; /* a bit a level, the innermost lowest: 1 an object */
    unsigned depth = 0;
    if (ps->depth + 64 >= KUBE_JPARSE_MAX_DEPTH)
        return false;
value:
    switch (*p) {
    case '"':
        p = skip_string(p + 1, end);
        if (!p)
            return false;
        break;
    case '{':
    case '[':
        if (depth == 62)
            return false;
        objs = objs << 1 | (*p == '{');
        depth++;
        p = skip_ws(p + 1, end);
        if (*p == ((objs & 1) ? '}' : ']')) {
            p++;
            objs >>= 1;
            depth--;
            break;
        }
        if (objs & 1)
            goto key;
        goto value;
    default: { /* numbers and literals: the exact readers */
        cJSON scratch;
        ps->p = p;
        bool ok = *p == 't'   ? literal(ps, "true", 4)
                  : *p == 'f' ? literal(ps, "false", 5)
                  : *p == 'n' ? literal(ps, "null", 4)
                              : parse_number(ps, &scratch);
        p = ps->p;
        ps->p = start;
        if (!ok)
            return false;
        break;
    }
    }
    while (depth > 0) {
        p = skip_ws(p, end);
        unsigned char c = *p;
        if (c == ',') {
            p = skip_ws(p + 1, end);
            if (objs & 1)
                goto key;
            goto value;
        }
        if (c != ((objs & 1) ? '}' : ']'))
            return false;
        p++;
        objs >>= 1;
        depth--;
    }
    ps->p = p;
    return true;
key:
    if (*p != '"')
        return false;
    p = skip_string(p + 1, end);
    if (!p)
        return false;
    /* fieldsV1 is mostly members "f:name":{} in a row: such a member and
     * the comma after it in one step (p + 4 is the text's NUL at worst) */
    if (p[0] == ':' && p[1] == '{' && p[2] == '}' && p[3] == ',') {
        p = skip_ws(p + 4, end);
        goto key;
    }
    p = skip_ws(p, end);
    if (*p != ':')
        return false;
    p = skip_ws(p + 1, end);
    goto value;
}

/* An RFC 3339 time of exactly 20 bytes in the form API servers write
 * ("2026-12-07T13:16:01Z", a year from 1970), tested a word at a time: the
 * separators, then the digits (a byte from '0' to '9' has 0x3 in its high
 * half before and after adding 6), then the ranges. No: ask
 * kube_check_time_ok, which decides every other form. */
static inline bool time20_ok(const char *s)
{
    const uint64_t hi = 0xF0F0F0F0F0F0F0F0ull, zeros = 0x3030303030303030ull,
                   six = 0x0606060606060606ull;
    uint64_t a, b;
    uint32_t c;
    memcpy(&a, s, 8);      /* "YYYY-MM-" */
    memcpy(&b, s + 8, 8);  /* "DDTHH:MM" */
    memcpy(&c, s + 16, 4); /* ":SSZ" */
    const uint64_t da = 0x00FFFF00FFFFFFFFull, db = 0xFFFF00FFFF00FFFFull;
    const uint32_t dc = 0x00FFFF00u;
    if ((a & ~da) != 0x2D00002D00000000ull || (b & ~db) != 0x00003A0000540000ull ||
        (c & ~dc) != 0x5A00003Au)
        return false;
    if ((a & da & hi) != (zeros & da) || ((a + six) & da & hi) != (zeros & da) ||
        (b & db & hi) != (zeros & db) || ((b + six) & db & hi) != (zeros & db) ||
        (c & dc & (uint32_t)hi) != (uint32_t)(zeros & dc) ||
        ((c + (uint32_t)six) & dc & (uint32_t)hi) != (uint32_t)(zeros & dc))
        return false;
        /* every byte a digit where one is wanted: two-digit fields compare as
         * big-endian words in the text's own order ("01" <= month <= "12") */
#define BE16(i) ((unsigned)(unsigned char)s[i] << 8 | (unsigned char)s[(i) + 1])
    uint32_t year;
    memcpy(&year, s, 4);
    return __builtin_bswap32(year) >= 0x31393730u /* "1970" */ && BE16(5) >= 0x3031 &&
           BE16(5) <= 0x3132 && BE16(8) >= 0x3031 && BE16(8) <= 0x3331 && BE16(11) <= 0x3233 &&
           BE16(14) <= 0x3539 && BE16(17) <= 0x3630;
#undef BE16
}

/* A scalar member n (a string's length slen) has the type rule t wants
 * (type_problem in core/kube_check.c, which says what is wrong when this
 * says no). */
static inline bool scalar_ok(const cJSON *n, enum kube_ftype t, size_t slen)
{
    int type = n->type & 0xFF;
    if (type == cJSON_NULL)
        return true; /* Go leaves the zero value */
    switch (t) {
    case KUBE_T_NONE:
        return true;
    case KUBE_T_INT32:
    case KUBE_T_INT64: {
        if (type != cJSON_Number)
            return false;
        double d = n->valuedouble;
        if (d >= -2147483648.0 && d < 2147483648.0 && d == (double)(int)d)
            return true;
        return kube_check_int_ok(d, t);
    }
    case KUBE_T_BOOL:
        return type == cJSON_True || type == cJSON_False;
    case KUBE_T_STRING:
        return type == cJSON_String;
    case KUBE_T_TIME:
        return type == cJSON_String &&
               (!n->valuestring[0] || (slen == 20 && time20_ok(n->valuestring)) ||
                kube_check_time_ok(n->valuestring));
    default:
        return false; /* a container's rule */
    }
}

/* A container member n (just opened, its frame nf) of frame f: does the
 * rule t allow it, and what its frame asks of its members. */
static inline void container_check(struct frame *f, struct frame *nf, enum kube_ftype t)
{
    bool object = nf->object;
    if (f->object) {
        if (f->mode == CHECK_STRMAP)
            f->bad = true; /* a map of strings' value */
        else if (t == KUBE_T_STRMAP && object)
            nf->mode = CHECK_STRMAP;
        else if (t == KUBE_T_OBJECTLIST && !object)
            nf->mode = CHECK_OBJLIST;
        else if (t != KUBE_T_NONE && !(t == KUBE_T_OBJECT && object))
            f->bad = true;
    } else if (f->mode == CHECK_OBJLIST && !object) {
        f->bad = true;
    }
}

/* After the root opened a container: members (key and value) and items
 * until it closes. Three states: a container just opened (it may close at
 * once), an item expected (after '[', '{' or ','), a value just ended (a
 * comma or a closing bracket follows). A member left out is read by
 * skip_value. On failure ps->p is at the culprit. */
static bool parse_members(struct parser *ps)
{
    const unsigned char *end = ps->end;
    if (ps->depth == 0)
        return true; /* a scalar root */
opened:
    ps->p = skip_ws(ps->p, end);
    if (ps->p >= end)
        return false;
    if (*ps->p == (ps->stack[ps->depth - 1].object ? '}' : ']')) {
        ps->p++;
        close_container(ps);
        goto ended;
    }
item : {
    struct frame *f = &ps->stack[ps->depth - 1];
    struct mark before = {ps->cur, ps->cur->used};
    cJSON *n = node_new(ps, cJSON_Invalid);
    int keyed = 0;
    enum kube_key key = KK_NONE;
    enum kube_ftype rule = KUBE_T_NONE;
    if (f->object) {
        if (*ps->p != '"')
            return false;
        size_t klen;
        n->string = parse_string(ps, &klen);
        if (!n->string)
            return false;
        key = kube_key_lookup(n->string, klen);
        if (key == KK_NONE && strlen(n->string) != klen) /* a raw NUL: C reads up to it */
            key = kube_key_lookup(n->string, strlen(n->string));
        keyed = KUBE_KEYED | (int)((unsigned)key << KUBE_KEY_SHIFT);
        if (f->mode == CHECK_RULES)
            rule = kube_check_parented[key] ? kube_check_rule(key, f->pkey)
                                            : (enum kube_ftype)kube_check_type[key];
        ps->p = skip_ws(ps->p, end);
        if (ps->p >= end || *ps->p != ':')
            return false;
        ps->p = skip_ws(ps->p + 1, end);
        if (ps->p >= end)
            return false;
        if (skipped_member(ps, f, key)) {
            if (!skip_fast(ps) && !skip_value(ps))
                return false;
            rewind_to(ps, before); /* its node and key go back too */
            goto ended;
        }
    }
    bool items_member = false;
    if (ps->depth <= 2 && ps->item) {
        if (ps->depth == 1 && f->object && !ps->items_seen &&
            (unsigned)keyed >> KUBE_KEY_SHIFT == KK_items) {
            ps->items_seen = true; /* the first "items", as kj_get finds it */
            items_member = true;
        } else if (ps->depth == 2 && f->node == ps->items) {
            ps->item_mark = before;
        }
    }
    attach(f, n);
    int depth = ps->depth;
    if (!parse_value(ps, n))
        return false;
    n->type |= keyed;
    if (ps->depth > depth) {
        struct frame *nf = &ps->stack[ps->depth - 1];
        nf->pkey = f->object ? (unsigned char)key : f->pkey;
        container_check(f, nf, rule);
        if (items_member && (n->type & 0xFF) == cJSON_Array)
            ps->items = n;
        goto opened;
    }
    if (f->object ? (f->mode == CHECK_STRMAP ? (n->type & 0xFF) != cJSON_String
                                             : !scalar_ok(n, rule, ps->slen))
                  : f->mode == CHECK_OBJLIST && (n->type & 0xFF) != cJSON_NULL)
        f->bad = true;
}
ended:
    while (ps->depth > 0) {
        ps->p = skip_ws(ps->p, end);
        if (ps->p >= end)
            return false;
        unsigned char c = *ps->p;
        if (c == ',') {
            ps->p = skip_ws(ps->p + 1, end);
            if (ps->p >= end)
                return false;
            goto item;
        }
        if (c != (ps->stack[ps->depth - 1].object ? '}' : ']'))
            return false;
        ps->p++;
        close_container(ps);
    }
    return true;
}

static cJSON *parse(const char *text, size_t len, unsigned flags, kube_jparse_item_cb item,
                    void *arg, size_t *err_at)
{
    struct parser parser, *ps = &parser;
    ps->depth = 0;
    ps->flags = flags;
    ps->item = item;
    ps->item_arg = arg;
    ps->items_seen = false;
    ps->items = NULL;
    kube_keys_init();
    kube_check_init();
    size_t skip = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    /* nodes: about three bytes a byte of text for a whole tree, a few
     * kilobytes when the items go one by one */
    size_t want = item ? 4 * CHUNK_MIN : len * 8;
    want = want < CHUNK_MIN ? CHUNK_MIN : want > SPARE_MAX ? SPARE_MAX : want;
    bool in_place = flags & KUBE_JPARSE_IN_PLACE;
    ps->first = ps->cur = chunk_new(want + (in_place ? 0 : len + 1));
    /* the root is the first node of the first chunk: kube_jparse_free finds
     * the chunks from it */
    cJSON *root = node_new(ps, cJSON_Invalid);
    /* strings are cut out of the text (parse_string): the caller's, or a copy */
    unsigned char *copy = (unsigned char *)(uintptr_t)text;
    if (!in_place) {
        copy = alloc(ps, len + 1);
        memcpy(copy, text, len);
        copy[len] = '\0';
    }
    ps->start = copy;
    ps->p = copy + skip;
    ps->end = copy + len;
    ps->p = skip_ws(ps->p, ps->end);
    bool ok = ps->p < ps->end && parse_value(ps, root) && parse_members(ps);
    if (ok) {
        ps->p = skip_ws(ps->p, ps->end);
        ok = ps->p == ps->end;
    }
    if (!ok) {
        if (err_at) {
            size_t at = (size_t)(ps->p - ps->start);
            *err_at = len && at >= len ? len - 1 : at;
        }
        kube_jparse_free(root);
        root = NULL;
    }
    return root;
}

long kube_jparse_skip_for_test(char *text, size_t len, bool fast)
{
    struct parser parser, *ps = &parser;
    ps->depth = 0;
    ps->start = ps->p = (unsigned char *)text;
    ps->end = ps->start + len;
    if (!len)
        return -1;
    ps->first = ps->cur = chunk_new(CHUNK_MIN); /* numbers strtod reads are copied there */
    bool ok = fast ? skip_fast(ps) : skip_value(ps);
    kube_jparse_free((cJSON *)(void *)ps->first->data);
    return ok ? (long)(ps->p - ps->start) : -1;
}

cJSON *kube_jparse_opts(const char *text, size_t len, unsigned flags, size_t *err_at)
{
    return parse(text, len, flags, NULL, NULL, err_at);
}

cJSON *kube_jparse_list(const char *text, size_t len, unsigned flags, kube_jparse_item_cb item,
                        void *arg, size_t *err_at)
{
    return parse(text, len, flags, item, arg, err_at);
}

cJSON *kube_jparse(const char *text, size_t len, size_t *err_at)
{
    return kube_jparse_opts(text, len, 0, err_at);
}
