/* core/kube_pb.c: the protobuf decoder (see kube_pb.h). Field numbers:
 * k8s.io/api core/v1/generated.proto, k8s.io/apimachinery
 * pkg/apis/meta/v1/generated.proto and pkg/runtime/generated.proto
 * (docs/kube.md, Protobuf). */
#include "config.h"

#include "core/kube_pb.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/kube_keys.h"
#include "core/kube_kinds.h"

/* ---- reading the wire ---- */

struct rd {
    const unsigned char *p, *end;
};

/* The reader's steps, inlined into the decoder's loop (a call per field
 * was a quarter of the decoder's instructions). */
#define PB_INLINE static inline __attribute__((always_inline))

/* A varint of at most 10 bytes within the buffer. */
PB_INLINE int rd_varint(struct rd *r, uint64_t *out)
{
    const unsigned char *p = r->p;
    if (p < r->end && !(*p & 0x80)) { /* the common case: one byte */
        *out = *p;
        r->p = p + 1;
        return 0;
    }
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 70 && p < r->end; shift += 7) {
        unsigned char b = *p++;
        v |= (uint64_t)(b & 0x7f) << (shift < 64 ? shift : 0);
        if (!(b & 0x80)) {
            if (shift == 63 && b > 1)
                return -1; /* more than 64 bits */
            *out = v;
            r->p = p;
            return 0;
        }
    }
    return -1;
}

/* One field: its number, wire type and (wire type 0) value or (2) bytes. */
struct fld {
    uint64_t num;
    unsigned wire;
    uint64_t v;
    const unsigned char *data;
    size_t len;
};

PB_INLINE int rd_field(struct rd *r, struct fld *f)
{
    uint64_t key;
    if (rd_varint(r, &key) < 0)
        return -1;
    f->num = key >> 3;
    f->wire = (unsigned)(key & 7);
    if (f->num == 0)
        return -1;
    switch (f->wire) {
    case 0:
        return rd_varint(r, &f->v);
    case 1:
        if (r->end - r->p < 8)
            return -1;
        r->p += 8;
        return 0;
    case 5:
        if (r->end - r->p < 4)
            return -1;
        r->p += 4;
        return 0;
    case 2:
        if (rd_varint(r, &f->v) < 0 || f->v > (uint64_t)(r->end - r->p))
            return -1;
        f->data = r->p;
        f->len = (size_t)f->v;
        r->p += f->len;
        return 0;
    default: /* groups (3, 4) are not in the Kubernetes schema */
        return -1;
    }
}

/* ---- the arena the trees live in ---- */

struct chunk {
    struct chunk *next;
    size_t used, size;
    max_align_t data[];
};

static __thread struct chunk *g_chunks; /* the first is kept between trees */
/* The tree being made has something the type check would refuse (a wrong
 * wire type, a number out of its field's range, a time before 1970): it is
 * then left for the check to walk and name; else it is marked clean
 * (KUBE_CHECK_OK), as the JSON parser marks what it checked. */
static __thread bool g_dirty;

static struct chunk *arena_grow(size_t n)
{
    size_t size = n > (60u << 10) ? n : (60u << 10);
    struct chunk *c = xmalloc(sizeof(*c) + size);
    c->used = 0;
    c->size = size;
    c->next = g_chunks;
    g_chunks = c;
    return c;
}

PB_INLINE void *arena_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct chunk *c = g_chunks;
    if (__builtin_expect(!c || c->size - c->used < n, 0))
        c = arena_grow(n);
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

/* Frees all but one chunk and empties it. */
static void arena_reset(void)
{
    struct chunk *c = g_chunks;
    if (!c)
        return;
    while (c->next) {
        struct chunk *n = c->next;
        c->next = n->next;
        free(n);
    }
    c->used = 0;
}

void kube_pb_release(void)
{
    while (g_chunks) {
        struct chunk *n = g_chunks->next;
        free(g_chunks);
        g_chunks = n;
    }
}

static char *arena_str(const unsigned char *s, size_t n)
{
    char *p = arena_alloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* ---- the schema: what the tree keeps of each message ---- */

enum fkind {
    F_STR,   /* a string, left out when empty (the API's omitempty) */
    F_STRK,  /* a string kept when empty (a JSON field without omitempty) */
    F_MAP,   /* map<string, string> */
    F_INT32, /* varint */
    F_INT64,
    F_BOOL,
    F_TIME,  /* metav1.Time {seconds 1, nanos 2}: RFC 3339 text */
    F_MSG,   /* a message: an object */
    F_LIST,  /* a repeated message: a list of objects */
    F_EMPTY, /* a message whose presence alone is read: {} */
};

struct pbm;
struct pbf {
    const char *name; /* NULL: a field the tree does not keep */
    enum kube_key key;
    enum fkind kind;
    const struct pbm *sub;
};
struct pbm {
    const struct pbf *f;
    size_t n; /* f is indexed by field number, n entries */
};

#define K(n) #n, KK_##n
#define M(tab)                                                                                     \
    {                                                                                              \
        tab, ARRAY_LEN(tab)                                                                        \
    }

/* metav1.OwnerReference */
static const struct pbf f_owner[] = {
    [1] = {K(kind), F_STRK, NULL},
    [3] = {K(name), F_STRK, NULL},
    [6] = {K(controller), F_BOOL, NULL},
};
static const struct pbm m_owner = M(f_owner);
/* metav1.ObjectMeta: what kube_obj.c reads (no managedFields 17) */
static const struct pbf f_meta[] = {
    [1] = {K(name), F_STR, NULL},
    [3] = {K(namespace), F_STR, NULL},
    [5] = {K(uid), F_STR, NULL},
    [6] = {K(resourceVersion), F_STR, NULL},
    [7] = {K(generation), F_INT64, NULL},
    [8] = {K(creationTimestamp), F_TIME, NULL},
    [9] = {K(deletionTimestamp), F_TIME, NULL},
    [11] = {K(labels), F_MAP, NULL},
    [13] = {K(ownerReferences), F_LIST, &m_owner},
};
static const struct pbm m_meta = M(f_meta);
/* ... and a bookmark's: its annotations say the end of a streaming list */
static const struct pbf f_meta_bm[] = {
    [6] = {K(resourceVersion), F_STR, NULL},
    [12] = {K(annotations), F_MAP, NULL},
};
static const struct pbm m_meta_bm = M(f_meta_bm);

/* core/v1 Container: the count of containers, a sidecar's restartPolicy */
static const struct pbf f_container[] = {
    [1] = {K(name), F_STRK, NULL},
    [24] = {K(restartPolicy), F_STR, NULL},
};
static const struct pbm m_container = M(f_container);
static const struct pbf f_gate[] = {[1] = {K(conditionType), F_STRK, NULL}};
static const struct pbm m_gate = M(f_gate);
static const struct pbf f_podspec[] = {
    [2] = {K(containers), F_LIST, &m_container},
    [10] = {K(nodeName), F_STR, NULL},
    [20] = {K(initContainers), F_LIST, &m_container},
    [28] = {K(readinessGates), F_LIST, &m_gate},
};
static const struct pbm m_podspec = M(f_podspec);

static const struct pbf f_waiting[] = {[1] = {K(reason), F_STR, NULL}};
static const struct pbm m_waiting = M(f_waiting);
static const struct pbf f_terminated[] = {
    [1] = {K(exitCode), F_INT32, NULL},
    [2] = {K(signal), F_INT32, NULL},
    [3] = {K(reason), F_STR, NULL},
    [6] = {K(finishedAt), F_TIME, NULL},
};
static const struct pbm m_terminated = M(f_terminated);
static const struct pbf f_cstate[] = {
    [1] = {K(waiting), F_MSG, &m_waiting},
    [2] = {K(running), F_EMPTY, NULL},
    [3] = {K(terminated), F_MSG, &m_terminated},
};
static const struct pbm m_cstate = M(f_cstate);
static const struct pbf f_cstatus[] = {
    [1] = {K(name), F_STRK, NULL},          [2] = {K(state), F_MSG, &m_cstate},
    [3] = {K(lastState), F_MSG, &m_cstate}, [4] = {K(ready), F_BOOL, NULL},
    [5] = {K(restartCount), F_INT32, NULL}, [9] = {K(started), F_BOOL, NULL},
};
static const struct pbm m_cstatus = M(f_cstatus);
static const struct pbf f_cond[] = {
    [1] = {K(type), F_STRK, NULL},
    [2] = {K(status), F_STRK, NULL},
    [5] = {K(reason), F_STR, NULL},
};
static const struct pbm m_cond = M(f_cond);
static const struct pbf f_podip[] = {[1] = {K(ip), F_STRK, NULL}};
static const struct pbm m_podip = M(f_podip);
static const struct pbf f_podstatus[] = {
    [1] = {K(phase), F_STR, NULL},
    [2] = {K(conditions), F_LIST, &m_cond},
    [4] = {K(reason), F_STR, NULL},
    [6] = {K(podIP), F_STR, NULL},
    [8] = {K(containerStatuses), F_LIST, &m_cstatus},
    [10] = {K(initContainerStatuses), F_LIST, &m_cstatus},
    [11] = {K(nominatedNodeName), F_STR, NULL},
    [12] = {K(podIPs), F_LIST, &m_podip},
};
static const struct pbm m_podstatus = M(f_podstatus);
static const struct pbf f_pod[] = {
    [1] = {K(metadata), F_MSG, &m_meta},
    [2] = {K(spec), F_MSG, &m_podspec},
    [3] = {K(status), F_MSG, &m_podstatus},
};
static const struct pbm m_pod = M(f_pod);
static const struct pbf f_bookmark[] = {[1] = {K(metadata), F_MSG, &m_meta_bm}};
static const struct pbm m_bookmark = M(f_bookmark);

/* metav1.Status: what a watch's ERROR event is read for */
static const struct pbf f_status[] = {
    [2] = {"status", KK_status, F_STR, NULL},
    [3] = {K(message), F_STR, NULL},
    [4] = {K(reason), F_STR, NULL},
    [6] = {"code", KK_NONE, F_INT32, NULL},
};
static const struct pbm m_status = M(f_status);

/* The kinds with a decoder: the registry's kind and its message. */
static const struct {
    enum kube_kind kind;
    const struct pbm *msg;
} g_kinds[] = {{KUBE_POD, &m_pod}};

static const struct pbm *kind_msg(const struct kube_resource *r)
{
    for (size_t i = 0; r && i < ARRAY_LEN(g_kinds); i++)
        if (g_kinds[i].kind == r->id)
            return g_kinds[i].msg;
    return NULL;
}

bool kube_pb_kind(const struct kube_resource *r)
{
    return kind_msg(r) != NULL;
}

bool kube_pb_wanted(const struct kube_resource *r)
{
    const char *e = getenv("DIFY_TUI_KUBE_JSON");
    if (e && *e && strcmp(e, "0") != 0)
        return false;
    return kube_pb_kind(r);
}

bool kube_pb_media(const char *ct)
{
    size_t n = strlen(KUBE_PB_MEDIA);
    if (!ct)
        return false;
    while (*ct == ' ')
        ct++;
    return !strncasecmp(ct, KUBE_PB_MEDIA, n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* ---- building the tree ---- */

PB_INLINE cJSON *node(int type, const struct pbf *f)
{
    cJSON *n = arena_alloc(sizeof(*n));
    memset(n, 0, sizeof(*n));
    n->type = type;
    if (f) {
        n->string = (char *)f->name;
        if (f->key != KK_NONE)
            n->type |= KUBE_KEYED | (int)((unsigned)f->key << KUBE_KEY_SHIFT);
    }
    return n;
}

/* Appends c to o's members or items (cJSON's layout: the first child's
 * prev is the last). */
static void add(cJSON *o, cJSON *c)
{
    cJSON *first = o->child;
    if (!first) {
        o->child = c;
        c->prev = c;
        return;
    }
    cJSON *last = first->prev;
    last->next = c;
    c->prev = last;
    first->prev = c;
}

/* The list member of f in o, made when it is not there yet. */
static cJSON *list_of(cJSON *o, const struct pbf *f)
{
    cJSON *first = o->child;
    if (first && first->prev->string == f->name && (first->prev->type & 0xFF) == cJSON_Array)
        return first->prev;
    for (cJSON *c = first; c; c = c->next)
        if (c->string == f->name && (c->type & 0xFF) == cJSON_Array)
            return c;
    cJSON *l = node(cJSON_Array, f);
    add(o, l);
    return l;
}

static const char *const wire_names[8] = {
    "protobuf wire type 0 (varint)", "protobuf wire type 1 (64-bit)",
    "protobuf wire type 2 (bytes)",  "protobuf wire type 3",
    "protobuf wire type 4",          "protobuf wire type 5 (32-bit)",
    "protobuf wire type 6",          "protobuf wire type 7",
};

/* A field of a known name with the wrong wire type: a member the type check
 * names (core/kube_check.c says a raw node's text), never a value. */
static void add_wrong(cJSON *o, const struct pbf *f, unsigned wire)
{
    cJSON *n = node(cJSON_Raw, f);
    n->valuestring = (char *)wire_names[wire & 7];
    add(o, n);
    g_dirty = true;
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil(long long z, long long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long yy = (long long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

/* metav1.Time as its JSON says it: RFC 3339 in seconds (the nanoseconds
 * are not in the JSON either), null for the zero time. */
static cJSON *time_node(const struct pbf *f, const unsigned char *d, size_t n)
{
    struct rd r = {d, d + n};
    struct fld x = {0};
    long long secs = 0, nanos = 0;
    while (r.p < r.end) {
        if (rd_field(&r, &x) < 0)
            return NULL;
        if (x.num == 1 && x.wire == 0)
            secs = (long long)x.v;
        else if (x.num == 2 && x.wire == 0)
            nanos = (long long)x.v;
    }
    if (secs == 0 && nanos == 0)
        return node(cJSON_NULL, f);
    /* years 0001-9999, as Go's time.MarshalJSON allows */
    if (secs < -62135596800LL || secs > 253402300799LL) {
        cJSON *bad = node(cJSON_Raw, f);
        bad->valuestring = "a protobuf time outside the years 1-9999";
        g_dirty = true;
        return bad;
    }
    if (secs < 0)
        g_dirty = true; /* the check refuses times before 1970, in JSON too */
    long long days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    long long rem = secs - days * 86400;
    long long y;
    unsigned mo, dd;
    civil(days, &y, &mo, &dd);
    /* "YYYY-MM-DDTHH:MM:SSZ" (the year 1-9999 here) */
    char *s = arena_alloc(24);
    unsigned v[6] = {(unsigned)y,         mo, dd, (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60),
                     (unsigned)(rem % 60)};
    s[0] = (char)('0' + v[0] / 1000);
    s[1] = (char)('0' + v[0] / 100 % 10);
    s[2] = (char)('0' + v[0] / 10 % 10);
    s[3] = (char)('0' + v[0] % 10);
    static const char sep[] = "--T::Z";
    char *p = s + 4;
    for (int i = 1; i < 6; i++) {
        *p++ = sep[i - 1];
        *p++ = (char)('0' + v[i] / 10);
        *p++ = (char)('0' + v[i] % 10);
    }
    *p++ = 'Z';
    *p = '\0';
    cJSON *t = node(cJSON_String, f);
    t->valuestring = s;
    return t;
}

/* A map entry {key 1, value 2} into the object map. */
static int map_entry(cJSON *map, const unsigned char *d, size_t n)
{
    struct rd r = {d, d + n};
    struct fld x = {0};
    const unsigned char *k = (const unsigned char *)"", *v = (const unsigned char *)"";
    size_t kl = 0, vl = 0;
    unsigned vwire = 2;
    while (r.p < r.end) {
        if (rd_field(&r, &x) < 0)
            return -1;
        if (x.num == 1 && x.wire == 2)
            k = x.data, kl = x.len;
        else if (x.num == 2)
            v = x.data, vl = x.len, vwire = x.wire;
    }
    cJSON *e = node(cJSON_String, NULL);
    e->string = arena_str(k, kl);
    if (vwire != 2) { /* the check says "the value of "KEY" is protobuf wire type N" */
        e->type = cJSON_Raw;
        e->valuestring = (char *)wire_names[vwire & 7];
        g_dirty = true;
    } else {
        e->valuestring = arena_str(v, vl);
    }
    add(map, e);
    return 0;
}

static int decode_msg(const struct pbm *m, const unsigned char *d, size_t n, cJSON *o, int depth);

static int decode_field(const struct pbf *f, const struct fld *x, cJSON *o, int depth)
{
    static const unsigned char want[] = {
        [F_STR] = 2,  [F_STRK] = 2, [F_MAP] = 2, [F_INT32] = 0, [F_INT64] = 0,
        [F_BOOL] = 0, [F_TIME] = 2, [F_MSG] = 2, [F_LIST] = 2,  [F_EMPTY] = 2};
    if (x->wire != want[f->kind]) {
        add_wrong(o, f, x->wire);
        return 0;
    }
    cJSON *c;
    switch (f->kind) {
    case F_STR:
    case F_STRK:
        if (!x->len && f->kind == F_STR)
            return 0;
        c = node(cJSON_String, f);
        c->valuestring = arena_str(x->data, x->len);
        add(o, c);
        return 0;
    case F_INT32:
    case F_INT64: {
        c = node(cJSON_Number, f);
        long long v = (long long)x->v; /* int32 too is sign-extended to 64 bits */
        if (f->kind == F_INT32 ? v > 2147483647LL || v < -2147483648LL
                               : v > 9000000000000000000LL || v < -9000000000000000000LL)
            g_dirty = true; /* the check says the number is out of range */
        c->valuedouble = (double)v;
        c->valueint = v > 2147483647LL ? 2147483647 : v < -2147483647LL ? -2147483647 : (int)v;
        add(o, c);
        return 0;
    }
    case F_BOOL:
        add(o, node(x->v ? cJSON_True : cJSON_False, f));
        return 0;
    case F_TIME:
        c = time_node(f, x->data, x->len);
        if (!c)
            return -1;
        add(o, c);
        return 0;
    case F_MAP: {
        cJSON *first = o->child, *map = NULL;
        if (first && first->prev->string == f->name)
            map = first->prev;
        if (!map) {
            map = node(cJSON_Object, f);
            add(o, map);
        }
        return map_entry(map, x->data, x->len);
    }
    case F_EMPTY:
        add(o, node(cJSON_Object, f));
        return 0;
    case F_MSG:
        c = node(cJSON_Object, f);
        add(o, c);
        return decode_msg(f->sub, x->data, x->len, c, depth + 1);
    case F_LIST:
        c = node(cJSON_Object, NULL);
        add(list_of(o, f), c);
        return decode_msg(f->sub, x->data, x->len, c, depth + 1);
    }
    return 0;
}

/* The fields of message m in d..d+n into object o; other fields are
 * skipped by their length. -1: not protobuf. */
static int decode_msg(const struct pbm *m, const unsigned char *d, size_t n, cJSON *o, int depth)
{
    if (depth > 16)
        return -1; /* the schema is not that deep */
    struct rd r = {d, d + n};
    struct fld x = {0};
    while (r.p < r.end) {
        if (rd_field(&r, &x) < 0)
            return -1;
        if (x.num < m->n && m->f[x.num].name && decode_field(&m->f[x.num], &x, o, depth) < 0)
            return -1;
    }
    return 0;
}

/* A new tree of message m from d..d+n; NULL: not protobuf. */
static cJSON *decode_tree(const struct pbm *m, const unsigned char *d, size_t n)
{
    arena_reset();
    g_dirty = false;
    cJSON *o = node(cJSON_Object, NULL);
    if (decode_msg(m, d, n, o, 0) < 0)
        return NULL;
    if (!g_dirty)
        o->type |= KUBE_CHECK_OK;
    return o;
}

/* ---- the envelope ---- */

struct unknown {
    const unsigned char *kind, *raw, *enc;
    size_t kind_len, raw_len, enc_len;
};

/* "k8s\0" + runtime.Unknown. -1: not one. */
static int envelope(const unsigned char *buf, size_t len, struct unknown *u)
{
    memset(u, 0, sizeof(*u));
    if (len < 4 || memcmp(buf, "k8s\0", 4) != 0)
        return -1;
    struct rd r = {buf + 4, buf + len};
    struct fld x = {0};
    while (r.p < r.end) {
        if (rd_field(&r, &x) < 0)
            return -1;
        if (x.num == 1 && x.wire == 2) { /* typeMeta {apiVersion 1, kind 2} */
            struct rd t = {x.data, x.data + x.len};
            struct fld y;
            while (t.p < t.end) {
                if (rd_field(&t, &y) < 0)
                    return -1;
                if (y.num == 2 && y.wire == 2)
                    u->kind = y.data, u->kind_len = y.len;
            }
        } else if (x.num == 2 && x.wire == 2) {
            u->raw = x.data, u->raw_len = x.len;
        } else if (x.num == 3 && x.wire == 2) {
            u->enc = x.data, u->enc_len = x.len;
        }
    }
    if (!u->raw)
        u->raw = (const unsigned char *)"";
    return 0;
}

static bool kind_is(const struct unknown *u, const char *kind, const char *suffix)
{
    size_t k = strlen(kind), s = strlen(suffix);
    return u->kind_len == k + s && !memcmp(u->kind, kind, k) && !memcmp(u->kind + k, suffix, s);
}

/* An envelope of kind want+suffix, its content not encoded further. */
static int envelope_of(const unsigned char *buf, size_t len, const char *want, const char *suffix,
                       struct unknown *u, const char *what, struct error *err)
{
    if (envelope(buf, len, u) < 0)
        return error_set(err, ERR_PARSE, 0,
                         "%s: the reply is not Kubernetes protobuf (%zu bytes, no \"k8s\" "
                         "envelope)",
                         what, len);
    if (u->enc_len)
        return error_set(err, ERR_PARSE, 0,
                         "%s: the reply's protobuf has content encoding "
                         "\"%.*s\", which is not supported",
                         what, (int)(u->enc_len > 40 ? 40 : u->enc_len), (const char *)u->enc);
    if (!kind_is(u, want, suffix))
        return error_set(err, ERR_PARSE, 0, "%s: the reply is a protobuf \"%.*s\", not a %s%s",
                         what, (int)(u->kind_len > 60 ? 60 : u->kind_len),
                         u->kind ? (const char *)u->kind : "", want, suffix);
    return 0;
}

static int malformed(struct error *err, const char *what, const char *of, size_t len,
                     const unsigned char *at, const unsigned char *start)
{
    return error_set(err, ERR_PARSE, 0,
                     "%s: invalid protobuf in the reply (%s, %zu bytes, error in the field at "
                     "byte %zu)",
                     what, of, len, (size_t)(at - start));
}

int kube_pb_list(const unsigned char *buf, size_t len, const struct kube_resource *r,
                 const char *what, kube_item_cb item, void *arg, bool *stop, char **cont, char **rv,
                 struct error *err)
{
    *cont = *rv = NULL;
    const struct pbm *m = kind_msg(r);
    struct unknown u;
    if (!m)
        return error_set(err, ERR_PARSE, 0, "%s: no protobuf decoder for %s", what, r->plural);
    if (envelope_of(buf, len, r->kind, "List", &u, what, err) < 0)
        return -1;
    struct rd rd = {u.raw, u.raw + u.raw_len};
    struct fld x = {0};
    const unsigned char *c = NULL, *v = NULL;
    size_t cl = 0, vl = 0;
    while (rd.p < rd.end) {
        const unsigned char *at = rd.p;
        if (rd_field(&rd, &x) < 0)
            return malformed(err, what, "a list", len, at, buf);
        if (x.num == 1 && x.wire == 2) { /* ListMeta {resourceVersion 2, continue 3} */
            struct rd mr = {x.data, x.data + x.len};
            struct fld y;
            while (mr.p < mr.end) {
                if (rd_field(&mr, &y) < 0)
                    return malformed(err, what, "the list's metadata", len, at, buf);
                if (y.num == 2 && y.wire == 2)
                    v = y.data, vl = y.len;
                else if (y.num == 3 && y.wire == 2)
                    c = y.data, cl = y.len;
            }
        } else if (x.num == 2) {
            if (x.wire != 2)
                return error_set(err, ERR_PARSE, 0, "%s: the reply's items are not a list", what);
            if (stop && *stop)
                continue;
            cJSON *t = decode_tree(m, x.data, x.len);
            if (!t)
                return malformed(err, what, "an item", len, at, buf);
            item(t, arg);
        }
    }
    *cont = cl ? xstrndup((const char *)c, cl) : NULL;
    *rv = v ? xstrndup((const char *)v, vl) : xstrdup("");
    return 0;
}

int kube_pb_list_cont(const unsigned char *buf, size_t len, char **next)
{
    *next = NULL;
    if (len > (64u << 10))
        return 1;
    if (len < 4)
        return 0;
    if (memcmp(buf, "k8s\0", 4) != 0)
        return 1;
    struct rd r = {buf + 4, buf + len};
    uint64_t key, n;
    for (;;) { /* the envelope's fields up to raw */
        if (r.p >= r.end || rd_varint(&r, &key) < 0 || rd_varint(&r, &n) < 0)
            return 0;
        if ((key & 7) != 2)
            return 1;
        if (key >> 3 == 2)
            break;
        if (n > (uint64_t)(r.end - r.p))
            return 0;
        r.p += n;
    }
    /* the list's first field: its metadata, with everything in it */
    if (r.p >= r.end || rd_varint(&r, &key) < 0 || rd_varint(&r, &n) < 0)
        return 0;
    if (key != (1 << 3 | 2))
        return 1;
    if (n > (uint64_t)(r.end - r.p))
        return 0;
    struct rd m = {r.p, r.p + n};
    struct fld y;
    while (m.p < m.end) {
        if (rd_field(&m, &y) < 0)
            return 1;
        if (y.num == 3 && y.wire == 2) {
            if (y.len)
                *next = xstrndup((const char *)y.data, y.len);
            return 1;
        }
    }
    return 1;
}

const cJSON *kube_pb_object(const unsigned char *buf, size_t len, const struct kube_resource *r,
                            struct error *err)
{
    const struct pbm *m = kind_msg(r);
    struct unknown u;
    const char *what = "the reply";
    if (!m) {
        error_set(err, ERR_PARSE, 0, "no protobuf decoder for %s", r->plural);
        return NULL;
    }
    if (envelope_of(buf, len, r->kind, "", &u, what, err) < 0)
        return NULL;
    cJSON *t = decode_tree(m, u.raw, u.raw_len);
    if (!t)
        error_set(err, ERR_PARSE, 0, "%s: invalid protobuf in the %s (%zu bytes)", what, r->kind,
                  len);
    return t;
}

char *kube_pb_status_json(const unsigned char *buf, size_t len)
{
    struct unknown u;
    if (envelope(buf, len, &u) < 0 || u.enc_len || !kind_is(&u, "Status", ""))
        return NULL;
    cJSON *t = decode_tree(&m_status, u.raw, u.raw_len);
    if (!t)
        return NULL;
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "kind", "Status");
    cJSON_AddStringToObject(j, "apiVersion", "v1");
    for (const cJSON *c = t->child; c; c = c->next) {
        if ((c->type & 0xFF) == cJSON_String)
            cJSON_AddStringToObject(j, c->string, c->valuestring);
        else if ((c->type & 0xFF) == cJSON_Number)
            cJSON_AddNumberToObject(j, c->string, c->valuedouble);
    }
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return s;
}

/* ---- watch streams ---- */

void kube_pb_frames_init(struct kube_pb_frames *f, size_t max)
{
    strbuf_init(&f->buf);
    f->max = max;
}

void kube_pb_frames_done(struct kube_pb_frames *f)
{
    strbuf_done(&f->buf);
}

static size_t be32(const unsigned char *p)
{
    return (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
}

int kube_pb_frames_feed(struct kube_pb_frames *f, const char *data, size_t n,
                        kube_pb_frame_cb frame, void *arg, bool *too_big)
{
    *too_big = false;
    while (n > 0) {
        const unsigned char *d = (const unsigned char *)data;
        if (f->buf.len == 0 && n >= 4) {
            size_t fl = be32(d);
            if (fl > f->max) {
                *too_big = true;
                return -1;
            }
            if (fl <= n - 4) { /* a whole frame in this piece: no copy */
                if (frame(d + 4, fl, arg) < 0)
                    return -1;
                data += 4 + fl;
                n -= 4 + fl;
                continue;
            }
        }
        /* gathered in buf: the length, then the frame */
        if (f->buf.len < 4) {
            size_t take = 4 - f->buf.len < n ? 4 - f->buf.len : n;
            strbuf_add(&f->buf, data, take);
            data += take;
            n -= take;
            if (f->buf.len < 4)
                return 0;
            if (be32((const unsigned char *)f->buf.buf) > f->max) {
                *too_big = true;
                return -1;
            }
        }
        size_t want = 4 + be32((const unsigned char *)f->buf.buf) - f->buf.len;
        size_t take = want < n ? want : n;
        strbuf_add(&f->buf, data, take);
        data += take;
        n -= take;
        if (take == want) {
            int rc = frame((const unsigned char *)f->buf.buf + 4, f->buf.len - 4, arg);
            strbuf_reset(&f->buf);
            if (rc < 0)
                return -1;
        }
    }
    return 0;
}

int kube_pb_event(const unsigned char *frame, size_t len, const struct kube_resource *r,
                  char type[16], const cJSON **obj, struct error *err)
{
    *obj = NULL;
    type[0] = '\0';
    struct unknown u;
    if (len >= 4 && !memcmp(frame, "k8s\0", 4)) {
        /* an enveloped WatchEvent: read what it holds */
        if (envelope(frame, len, &u) < 0 || u.enc_len || !kind_is(&u, "WatchEvent", ""))
            return error_set(err, ERR_PARSE, 0,
                             "a protobuf frame of the stream is not a watch "
                             "event (%zu bytes)",
                             len);
        frame = u.raw;
        len = u.raw_len;
    }
    struct rd rd = {frame, frame + len};
    struct fld x = {0};
    const unsigned char *raw = NULL;
    size_t raw_len = 0;
    bool typed = false;
    while (rd.p < rd.end) {
        if (rd_field(&rd, &x) < 0)
            goto bad;
        if (x.num == 1 && x.wire == 2) {
            if (x.len == 0 || x.len > 15)
                goto bad;
            memcpy(type, x.data, x.len);
            type[x.len] = '\0';
            typed = true;
        } else if (x.num == 2 && x.wire == 2) { /* RawExtension {raw 1} */
            struct rd e = {x.data, x.data + x.len};
            struct fld y;
            while (e.p < e.end) {
                if (rd_field(&e, &y) < 0)
                    goto bad;
                if (y.num == 1 && y.wire == 2)
                    raw = y.data, raw_len = y.len;
            }
        }
    }
    if (!typed || !raw || envelope(raw, raw_len, &u) < 0 || u.enc_len)
        goto bad;
    const struct pbm *m;
    if (!strcmp(type, "ERROR") && kind_is(&u, "Status", ""))
        m = &m_status;
    else if (!strcmp(type, "BOOKMARK") && kind_is(&u, r->kind, ""))
        m = &m_bookmark;
    else if (kind_is(&u, r->kind, ""))
        m = kind_msg(r);
    else
        goto bad;
    if (!m || !(*obj = decode_tree(m, u.raw, u.raw_len)))
        goto bad;
    return 0;
bad:
    *obj = NULL;
    return error_set(err, ERR_PARSE, 0,
                     "a protobuf frame of the stream is not a watch event (%zu bytes)", len);
}
