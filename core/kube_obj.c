/* core/kube_obj.c: the projection of an API object (JSON) onto the few
 * fields the store keeps of its kind (struct kube_obj): the metadata every
 * kind has, the registry's fields with a JSON path, then the kind's project
 * function (core/kube_project.c); and the release of what it made. Every
 * string is interned, so equal strings are shared between objects. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_check.h"
#include "core/kube_intern.h"
#include "core/kube_json.h"
#include "core/kube_kinds.h"
#include "core/kube_project.h"
#include "core/util.h"

static void read_field(struct kube_proj *p, const struct kube_field *f, const cJSON *j,
                       struct kube_obj *o)
{
    void *at = (char *)o + f->off;
    switch (f->type) {
    case KF_STR:
        *(const char **)at = kube_intern(p->t, kj_str(j, f->path));
        break;
    case KF_INT:
        *(int *)at = kube_proj_count(j, f->path, f->def);
        break;
    case KF_I64:
        *(long long *)at = kj_int(j, f->path, f->def);
        break;
    case KF_TIME:
        *(long long *)at = kube_proj_time(j, f->path);
        break;
    case KF_BOOL:
        *(bool *)at = cJSON_IsTrue(kj_get(j, f->path));
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

static int hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1; /* upper case too: it would not come back the same */
}

/* A lowercase UUID (8-4-4-4-12 hex digits) into 16 bytes; false for any
 * other text. */
static bool uuid_parse(const char *s, unsigned char b[16])
{
    size_t k = 0;
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
            continue;
        }
        int hi = hex_val(s[i]), lo = hi < 0 ? -1 : hex_val(s[++i]);
        if (lo < 0)
            return false;
        b[k++] = (unsigned char)(hi << 4 | lo);
    }
    return s[36] == '\0';
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
 * found in one pass over the labels. */
static const char *component_of(const cJSON *labels)
{
    static const char *const keys[] = {"app.kubernetes.io/component", "component", "app"};
    if (!cJSON_IsObject(labels))
        return NULL;
    const cJSON *found[ARRAY_LEN(keys)] = {NULL};
    for (const cJSON *l = labels->child; l; l = l->next) {
        if (!l->string || (l->string[0] != 'a' && l->string[0] != 'c'))
            continue;
        for (size_t i = 0; i < ARRAY_LEN(keys); i++)
            if (!found[i] && !strcmp(l->string, keys[i])) {
                found[i] = l;
                break;
            }
    }
    /* cJSON_GetObjectItemCaseSensitive's answer: the first of the name */
    for (size_t i = 0; i < ARRAY_LEN(keys); i++)
        if (cJSON_IsString(found[i]))
            return found[i]->valuestring;
    return NULL;
}

/* The controller owner, else the first owner. */
static const cJSON *owner_of(const cJSON *owners)
{
    const cJSON *own = NULL, *it;
    cJSON_ArrayForEach(it, owners)
    {
        if (!own || cJSON_IsTrue(kj_get(it, "controller")))
            own = it;
    }
    return own;
}

/* The members of metadata every kind keeps, found in one pass over it
 * (looked up one by one, each lookup walked it again from the top). The
 * first member of a name wins, as kj_get finds it. */
struct meta {
    const cJSON *name, *ns, *uid, *labels, *owners, *rv, *created, *deleted, *generation;
};

static void meta_find(const cJSON *j, struct meta *m)
{
    memset(m, 0, sizeof(*m));
    const cJSON *md = kj_get(j, "metadata");
    if (!md || !(md->type & cJSON_Object))
        return;
    for (const cJSON *c = md->child; c; c = c->next) {
        const char *k = c->string;
        const cJSON **slot = NULL;
        if (!k)
            continue;
        switch (k[0]) {
        case 'n':
            slot = !strcmp(k, "name") ? &m->name : !strcmp(k, "namespace") ? &m->ns : NULL;
            break;
        case 'u':
            slot = !strcmp(k, "uid") ? &m->uid : NULL;
            break;
        case 'l':
            slot = !strcmp(k, "labels") ? &m->labels : NULL;
            break;
        case 'o':
            slot = !strcmp(k, "ownerReferences") ? &m->owners : NULL;
            break;
        case 'r':
            slot = !strcmp(k, "resourceVersion") ? &m->rv : NULL;
            break;
        case 'c':
            slot = !strcmp(k, "creationTimestamp") ? &m->created : NULL;
            break;
        case 'd':
            slot = !strcmp(k, "deletionTimestamp") ? &m->deleted : NULL;
            break;
        case 'g':
            slot = !strcmp(k, "generation") ? &m->generation : NULL;
            break;
        }
        if (slot && !*slot)
            *slot = c;
    }
}

/* kj_str, kj_int and time_at on a member already found. */
static const char *str_of(const cJSON *v)
{
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static long long int_of(const cJSON *v, long long def)
{
    if (!cJSON_IsNumber(v) || v->valuedouble > 9e18 || v->valuedouble < -9e18)
        return def;
    return (long long)v->valuedouble;
}

static long long time_of(const cJSON *v)
{
    long long t = kube_time_parse(str_of(v));
    return t < 0 ? 0 : t;
}

int kube_obj_project(struct kube_intern *t, const struct kube_resource *r, const cJSON *j,
                     struct kube_obj *o, struct error *err)
{
    memset(o, 0, sizeof(*o));
    struct meta m;
    meta_find(j, &m);
    const char *name = str_of(m.name);
    if (str_empty(name))
        return error_set(err, ERR_PARSE, 0, "object without metadata.name");
    if (kube_obj_check(j, r->singular, err) < 0) /* kubectl refuses these too */
        return -1;
    struct kube_proj p = {t};
    const char *ns = str_of(m.ns);
    o->ns = kube_intern(t, ns ? ns : "");
    o->name = kube_intern_own(t, name, strlen(name)); /* one per object: not looked up */
    uid_set(t, &o->uid, str_of(m.uid));
    o->component = kube_intern(t, component_of(m.labels));
    const cJSON *own = owner_of(m.owners);
    o->owner_kind = kube_intern(t, kj_str(own, "kind"));
    o->owner_name = kube_intern(t, kj_str(own, "name"));
    o->rv = parse_rv(str_of(m.rv));
    o->created = time_of(m.created);
    o->deleted = time_of(m.deleted);
    if (r->id == KUBE_DEPLOYMENT || r->id == KUBE_STATEFULSET || r->id == KUBE_DAEMONSET ||
        r->id == KUBE_REPLICASET)
        o->u.wl.generation = int_of(m.generation, 0); /* what rollout status compares */
    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].path)
            read_field(&p, &r->fields[i], j, o);
    if (r->project)
        r->project(&p, j, o);
    return 0;
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
