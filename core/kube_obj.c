/* core/kube_obj.c: the projection of an API object (JSON) onto the few
 * fields the store keeps of its kind (struct kube_obj): the metadata every
 * kind has, the registry's fields with a JSON path, then the kind's project
 * function (core/kube_project.c); and the release of what it made. Every
 * string is interned, so equal strings are shared between objects. */
#include "config.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_check.h"
#include "core/kube_intern.h"
#include "core/kube_json.h"
#include "core/kube_jval.h"
#include "core/kube_keys.h"
#include "core/kube_kinds.h"
#include "core/kube_project.h"
#include "core/util.h"

/* ---- the registry's field paths as member name numbers ---- */

/* A path ("status.phase") as the numbers of its segments (kube_keys.h),
 * made once for every field of every kind: the walk compares numbers
 * instead of names. n 0: a segment without a number (or an empty one):
 * kj_get by name. */
#define PATH_SEGS 6
struct key_path {
    unsigned char n;
    unsigned char k[PATH_SEGS];
};

static struct key_path *g_paths[KUBE_KIND_COUNT];
/* The kind has fields that own memory (KF_KEYS, KF_PAIRS lists) */
static bool g_owns[KUBE_KIND_COUNT];
static pthread_once_t g_paths_once = PTHREAD_ONCE_INIT;

static void path_compile(const char *path, struct key_path *kp)
{
    kp->n = 0;
    if (!path || !*path)
        return;
    unsigned n = 0;
    for (const char *seg = path;;) {
        size_t len = strcspn(seg, ".");
        enum kube_key k = len ? kube_key_find(seg, len) : KK_NONE;
        if (k == KK_NONE || n == PATH_SEGS)
            return;
        kp->k[n++] = (unsigned char)k;
        if (!seg[len])
            break;
        seg += len + 1;
        if (!*seg)
            return; /* a trailing dot: kj_get's own reading */
    }
    kp->n = (unsigned char)n;
}

static bool owns_memory(const struct kube_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].type == KF_KEYS || f[i].type == KF_PAIRS)
            return true;
    return false;
}

static void paths_build(void)
{
    size_t nm;
    const struct kube_field *meta = kube_meta_fields(&nm);
    for (int k = 0; k < KUBE_KIND_COUNT; k++) {
        const struct kube_resource *r = kube_resource_get((enum kube_kind)k);
        if (!r)
            continue;
        g_owns[k] = owns_memory(meta, nm) || owns_memory(r->fields, r->nfields);
        if (!r->nfields)
            continue;
        g_paths[k] = xcalloc(r->nfields, sizeof(*g_paths[k]));
        for (size_t i = 0; i < r->nfields; i++)
            path_compile(r->fields[i].path, &g_paths[k][i]);
    }
}

/* The member at field f's path (its compiled form kp) of object j. */
static const cJSON *field_get(const cJSON *j, const struct kube_field *f, const struct key_path *kp)
{
    if (!kp || !kp->n)
        return kj_get(j, f->path);
    for (unsigned i = 0; j && i < kp->n; i++)
        j = kube_key_get(j, (enum kube_key)kp->k[i]);
    return j;
}

static void read_field(struct kube_proj *p, const struct kube_field *f, const cJSON *v,
                       struct kube_obj *o)
{
    void *at = (char *)o + f->off;
    switch (f->type) {
    case KF_STR:
        *(const char **)at = kube_intern(p->t, kjv_str(v));
        break;
    case KF_INT:
        *(int *)at = kjv_count(v, f->def);
        break;
    case KF_I64:
        *(long long *)at = kjv_int(v, f->def);
        break;
    case KF_TIME:
        *(long long *)at = kjv_time(v);
        break;
    case KF_BOOL:
        *(bool *)at = cJSON_IsTrue(v);
        break;
    default: /* lists are built by the kind's project function */
        break;
    }
}

static void release_field(struct kube_intern *t, const struct kube_field *f, struct kube_obj *o)
{
    void *at = (char *)o + f->off;
    if (f->type == KF_STR) {
        if (t)
            kube_intern_release(t, *(const char **)at);
    } else if (f->type == KF_KEYS) {
        struct kube_keys *k = at;
        for (unsigned i = 0; t && i < k->nkeys; i++)
            kube_intern_release(t, k->keys[i]);
        free(k->keys);
    } else if (f->type == KF_PAIRS) {
        struct kube_serviceaccount *sa = at;
        struct kube_annotation *a = (struct kube_annotation *)sa->annotations;
        for (unsigned i = 0; t && i < sa->nannotations; i++) {
            kube_intern_release(t, a[i].key);
            kube_intern_release(t, a[i].value);
        }
        free(a);
    }
}

static unsigned long long parse_rv(const char *rv)
{
    if (str_empty(rv) || strlen(rv) > 19)
        return 0;
    unsigned long long v = 0;
    for (const char *p = rv; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10 + (unsigned)(*p - '0');
    }
    return v;
}

/* ---- the uid ---- */

/* Hex digits' values plus one, 0 for every other byte (upper case too: it
 * would not come back the same). */
static const unsigned char hex1[256] = {
    ['0'] = 1, ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

/* A lowercase UUID (8-4-4-4-12 hex digits) into 16 bytes; false for any
 * other text. */
static bool uuid_parse(const char *s, unsigned char b[16])
{
    static const unsigned char at[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
    const unsigned char *u = (const unsigned char *)s;
    if (strnlen(s, 37) != 36 || u[8] != '-' || u[13] != '-' || u[18] != '-' || u[23] != '-')
        return false;
    bool ok = true;
    for (size_t i = 0; i < 16; i++) {
        unsigned hi = hex1[u[at[i]]], lo = hex1[u[at[i] + 1]];
        ok &= hi && lo;
        b[i] = (unsigned char)((hi - 1) << 4 | (lo - 1));
    }
    return ok;
}

static void uid_set(struct kube_intern *t, struct kube_uid *u, const char *text)
{
    memset(u, 0, sizeof(*u));
    if (!text)
        return;
    unsigned char b[16];
    if (uuid_parse(text, b)) {
        memcpy(u->w, b, 16);
        /* all zero means no uid, and the marker means text */
        if ((u->w[0] || u->w[1]) && u->w[1] != KUBE_UID_TEXT)
            return;
    }
    const char *s = kube_intern(t, text);
    memcpy(&u->w[0], &s, sizeof(s));
    u->w[1] = KUBE_UID_TEXT;
}

static const char *uid_text(const struct kube_uid *u)
{
    const char *s = NULL;
    if (u->w[1] == KUBE_UID_TEXT)
        memcpy(&s, &u->w[0], sizeof(s));
    return s;
}

const char *kube_obj_uid(const struct kube_obj *o, char *buf)
{
    const struct kube_uid *u = &o->uid;
    if (u->w[1] == KUBE_UID_TEXT)
        return uid_text(u);
    if (!u->w[0] && !u->w[1])
        return NULL;
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];
    memcpy(b, u->w, 16);
    char *p = buf;
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 15];
    }
    *p = '\0';
    return buf;
}

size_t kube_obj_size(enum kube_kind k)
{
    size_t head = offsetof(struct kube_obj, u);
    switch (k) {
    case KUBE_POD:
        return head + sizeof(struct kube_pod);
    case KUBE_DEPLOYMENT:
    case KUBE_STATEFULSET:
    case KUBE_DAEMONSET:
    case KUBE_REPLICASET:
        return head + sizeof(struct kube_workload);
    case KUBE_JOB:
        return head + sizeof(struct kube_job);
    case KUBE_EVENT:
        return head + sizeof(struct kube_event);
    case KUBE_SERVICE:
        return head + sizeof(struct kube_service);
    case KUBE_INGRESS:
        return head + sizeof(struct kube_ingress);
    case KUBE_CONFIGMAP:
    case KUBE_SECRET:
        return head + sizeof(struct kube_keys);
    case KUBE_SERVICEACCOUNT:
        return head + sizeof(struct kube_serviceaccount);
    case KUBE_PVC:
        return head + sizeof(struct kube_pvc);
    case KUBE_NODE:
        return head + sizeof(struct kube_node);
    case KUBE_NAMESPACE:
        return head + sizeof(struct kube_nsobj);
    case KUBE_KIND_COUNT:
        break;
    }
    return sizeof(struct kube_obj);
}

/* The component key (DECISIONS 9): app.kubernetes.io/component, else
 * component, else app; each the first label of its name that is a string,
 * found in one pass over the labels by their numbers (kube_keys.h). */
static const char *component_of(const cJSON *labels)
{
    if (!labels || (labels->type & 0xFF) != cJSON_Object)
        return NULL;
    const cJSON *found[3] = {NULL};
    for (const cJSON *l = labels->child; l; l = l->next) {
        size_t i;
        switch (kube_key_of(l)) {
        case KK_app_kubernetes_io_component:
            i = 0;
            break;
        case KK_component:
            i = 1;
            break;
        case KK_app:
            i = 2;
            break;
        default:
            continue;
        }
        if (!found[i])
            found[i] = l;
    }
    /* cJSON_GetObjectItemCaseSensitive's answer: the first of the name */
    for (size_t i = 0; i < ARRAY_LEN(found); i++)
        if (kjv_str(found[i]))
            return found[i]->valuestring;
    return NULL;
}

/* The controller owner, else the first owner. */
static const cJSON *owner_of(const cJSON *owners)
{
    const cJSON *own = NULL, *it;
    cJSON_ArrayForEach(it, owners)
    {
        if (!own || cJSON_IsTrue(kube_key_get(it, KK_controller)))
            own = it;
    }
    return own;
}

/* The members of metadata every kind keeps, found in one pass over it by
 * their numbers. The first member of a name wins, as kj_get finds it. */
struct meta {
    const cJSON *name, *ns, *uid, *labels, *owners, *rv, *created, *deleted, *generation;
};

static void meta_find(const cJSON *j, struct meta *m)
{
    memset(m, 0, sizeof(*m));
    const cJSON *md = kube_key_get(j, KK_metadata);
    if (!md)
        return;
    for (const cJSON *c = md->child; c; c = c->next) {
        const cJSON **slot;
        switch (kube_key_of(c)) {
        case KK_name:
            slot = &m->name;
            break;
        case KK_namespace:
            slot = &m->ns;
            break;
        case KK_uid:
            slot = &m->uid;
            break;
        case KK_labels:
            slot = &m->labels;
            break;
        case KK_ownerReferences:
            slot = &m->owners;
            break;
        case KK_resourceVersion:
            slot = &m->rv;
            break;
        case KK_creationTimestamp:
            slot = &m->created;
            break;
        case KK_deletionTimestamp:
            slot = &m->deleted;
            break;
        case KK_generation:
            slot = &m->generation;
            break;
        default:
            continue;
        }
        if (!*slot)
            *slot = c;
    }
}

int kube_obj_project(struct kube_intern *t, const struct kube_resource *r, const cJSON *j,
                     struct kube_obj *o, struct error *err)
{
    memset(o, 0, sizeof(*o));
    struct meta m;
    meta_find(j, &m);
    const char *name = kjv_str(m.name);
    if (str_empty(name))
        return error_set(err, ERR_PARSE, 0, "object without metadata.name");
    if (kube_obj_check(j, r->singular, err) < 0) /* kubectl refuses these too */
        return -1;
    struct kube_proj p = {t};
    const char *ns = kjv_str(m.ns);
    o->ns = kube_intern(t, ns ? ns : "");
    o->name = kube_intern_own(t, name, strlen(name)); /* one per object: not looked up */
    uid_set(t, &o->uid, kjv_str(m.uid));
    o->component = kube_intern(t, component_of(m.labels));
    const cJSON *own = owner_of(m.owners);
    o->owner_kind = kube_intern(t, kjv_str(kube_key_get(own, KK_kind)));
    o->owner_name = kube_intern(t, kjv_str(kube_key_get(own, KK_name)));
    o->rv = parse_rv(kjv_str(m.rv));
    o->created = kjv_time(m.created);
    o->deleted = kjv_time(m.deleted);
    if (r->id == KUBE_DEPLOYMENT || r->id == KUBE_STATEFULSET || r->id == KUBE_DAEMONSET ||
        r->id == KUBE_REPLICASET)
        o->u.wl.generation = kjv_int(m.generation, 0); /* what rollout status compares */
    pthread_once(&g_paths_once, paths_build);
    const struct key_path *kp = g_paths[r->id];
    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].path)
            read_field(&p, &r->fields[i], field_get(j, &r->fields[i], kp ? &kp[i] : NULL), o);
    if (r->project)
        r->project(&p, j, o);
    return 0;
}

bool kube_obj_owns_arrays(const struct kube_resource *r)
{
    pthread_once(&g_paths_once, paths_build);
    return g_owns[r->id];
}

void kube_obj_release(struct kube_intern *t, const struct kube_resource *r, struct kube_obj *o)
{
    size_t nm;
    const struct kube_field *meta = kube_meta_fields(&nm);
    for (size_t i = 0; i < nm; i++)
        release_field(t, &meta[i], o);
    if (t)
        kube_intern_release(t, uid_text(&o->uid));
    for (size_t i = 0; i < r->nfields; i++)
        release_field(t, &r->fields[i], o);
}
