/* sim/store.c: objects, resourceVersions and the change history (see store.h). */
#include "config.h"

#include "sim/store.h"

#include <malloc.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "sim/apply.h"
#include "sim/pods.h"

pthread_mutex_t sim_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t sim_changed;
pthread_cond_t sim_kind_changed[SIM_RTYPES_MAX];
double sim_speed = 1.0;

/* group, version, plural, singular, kind, namespaced, short names, status,
 * scale, generation, keep_tree (the kinds every controller pass reads). */
#define RT(g, p, s, k, nsd, sn, st, sc, gen, keep)                                                 \
    {                                                                                              \
        .group = g, .version = "v1", .plural = p, .singular = s, .kind = k, .namespaced = nsd,     \
        .short_names = sn, .has_status = st, .has_scale = sc, .has_generation = gen,               \
        .keep_tree = keep, .served = true                                                          \
    }
struct rtype sim_rtypes[SIM_RTYPES_MAX] = {
    RT("", "namespaces", "namespace", "Namespace", false, "ns", true, false, false, true),
    RT("", "nodes", "node", "Node", false, "no", true, false, false, true),
    RT("", "pods", "pod", "Pod", true, "po", true, false, false, false),
    RT("", "services", "service", "Service", true, "svc", true, false, false, false),
    RT("", "configmaps", "configmap", "ConfigMap", true, "cm", false, false, false, false),
    RT("", "secrets", "secret", "Secret", true, "", false, false, false, false),
    RT("", "serviceaccounts", "serviceaccount", "ServiceAccount", true, "sa", false, false, false,
       false),
    RT("", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, "pvc",
       true, false, false, true),
    RT("", "events", "event", "Event", true, "ev", false, false, false, false),
    RT("apps", "deployments", "deployment", "Deployment", true, "deploy", true, true, true, true),
    RT("apps", "replicasets", "replicaset", "ReplicaSet", true, "rs", true, true, true, true),
    RT("apps", "statefulsets", "statefulset", "StatefulSet", true, "sts", true, true, true, true),
    RT("apps", "daemonsets", "daemonset", "DaemonSet", true, "ds", true, false, true, true),
    RT("batch", "jobs", "job", "Job", true, "", true, false, true, true),
    RT("networking.k8s.io", "ingresses", "ingress", "Ingress", true, "ing", true, false, true,
       false),
    RT("networking.k8s.io", "ingressclasses", "ingressclass", "IngressClass", false, "", false,
       false, false, true),
    RT("storage.k8s.io", "storageclasses", "storageclass", "StorageClass", false, "sc", false,
       false, false, true),
    RT("apiextensions.k8s.io", "customresourcedefinitions", "customresourcedefinition",
       "CustomResourceDefinition", false, "crd,crds", true, false, false, true),
};
#undef RT
size_t sim_rtypes_n = SIM_RTYPES_BUILTIN;

static long long g_rv;               /* the last resourceVersion handed out */
static struct sim_event *g_hist;     /* ring of history events */
static size_t g_hist_cap;            /* ring size */
static long long g_hist_base;        /* seq of the oldest retained event */
static unsigned long long g_uid_ctr; /* makes uids unique */
static unsigned long g_removals;     /* objects removed so far */
static unsigned long g_changes;      /* adds, commits, refreshes and removals so far */

/* metadata.uid -> object, chained through sim_obj.uid_next. */
static struct sim_obj **g_uids;
static size_t g_uids_cap, g_uids_n; /* buckets (a power of two), objects */

unsigned long store_removals(void)
{
    return g_removals;
}

unsigned long store_changes(void)
{
    return g_changes;
}

static size_t uid_bucket(const char *uid, size_t cap)
{
    unsigned long long h = 14695981039346656037ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)uid; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (size_t)h & (cap - 1);
}

static void uid_insert(struct sim_obj *obj)
{
    if (g_uids_n + 1 > g_uids_cap) {
        size_t cap = g_uids_cap ? g_uids_cap * 2 : 1024;
        struct sim_obj **t = xcalloc(cap, sizeof(*t));
        for (size_t i = 0; i < g_uids_cap; i++)
            for (struct sim_obj *o = g_uids[i], *next; o; o = next) {
                next = o->uid_next;
                size_t b = uid_bucket(o->uid, cap);
                o->uid_next = t[b];
                t[b] = o;
            }
        free(g_uids);
        g_uids = t;
        g_uids_cap = cap;
    }
    size_t b = uid_bucket(obj->uid, g_uids_cap);
    obj->uid_next = g_uids[b];
    g_uids[b] = obj;
    g_uids_n++;
}

static void uid_remove(struct sim_obj *obj)
{
    for (struct sim_obj **p = &g_uids[uid_bucket(obj->uid, g_uids_cap)]; *p; p = &(*p)->uid_next)
        if (*p == obj) {
            *p = obj->uid_next;
            g_uids_n--;
            return;
        }
}

struct sim_obj *store_by_uid(const char *uid)
{
    if (!uid || !g_uids_cap)
        return NULL;
    for (struct sim_obj *o = g_uids[uid_bucket(uid, g_uids_cap)]; o; o = o->uid_next)
        if (strcmp(o->uid, uid) == 0)
            return o;
    return NULL;
}

/* ---- shared strings ---- */

/* The object's JSON is one allocation shared by the object and its history
 * events (refcounted): an object that changed recently costs it once. */
struct blob {
    unsigned refs;
    char s[];
};

static struct blob *blob_of(char *s)
{
    return (struct blob *)(s - offsetof(struct blob, s));
}

static char *blob_new(char *printed)
{
    size_t n = strlen(printed) + 1;
    struct blob *b = xmalloc(sizeof(*b) + n);
    b->refs = 1;
    memcpy(b->s, printed, n);
    free(printed);
    return b->s;
}

static char *blob_ref(char *s)
{
    if (s)
        blob_of(s)->refs++;
    return s;
}

static void blob_unref(char *s)
{
    if (s && --blob_of(s)->refs == 0)
        free(blob_of(s));
}

/* Namespaces, node names and phases: a few distinct values shared by many
 * objects, kept once and never freed (an open-addressing hash). */
static const char **g_interned;
static size_t g_interned_cap, g_interned_n;

static size_t str_hash(const char *s)
{
    unsigned long long h = 14695981039346656037ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (size_t)h;
}

const char *store_intern(const char *s)
{
    if (!s)
        return NULL;
    if (2 * (g_interned_n + 1) > g_interned_cap) {
        size_t cap = g_interned_cap ? 2 * g_interned_cap : 64;
        const char **t = xcalloc(cap, sizeof(*t));
        for (size_t i = 0; i < g_interned_cap; i++) {
            if (!g_interned[i])
                continue;
            size_t j = str_hash(g_interned[i]) & (cap - 1);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = g_interned[i];
        }
        free(g_interned);
        g_interned = t;
        g_interned_cap = cap;
    }
    size_t j = str_hash(s) & (g_interned_cap - 1);
    for (; g_interned[j]; j = (j + 1) & (g_interned_cap - 1))
        if (strcmp(g_interned[j], s) == 0)
            return g_interned[j];
    g_interned[j] = xstrdup(s);
    g_interned_n++;
    return g_interned[j];
}

/* ---- trees parsed on demand ---- */

static void fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

static struct sim_obj **g_hot; /* objects whose tree store_trim drops */
static size_t g_hot_n, g_hot_cap;
static size_t g_dropped;     /* trees dropped since memory was last handed back */
static long long g_released; /* when it was (monotonic ms) */
static int g_check = -1;     /* DIFY_SIM_CHECK_TREES */

static void hot_add(struct sim_obj *o)
{
    if (o->hot || o->rt->keep_tree)
        return;
    if (g_hot_n == g_hot_cap) {
        g_hot_cap = g_hot_cap ? 2 * g_hot_cap : 256;
        g_hot = xrealloc(g_hot, g_hot_cap * sizeof(*g_hot));
    }
    o->hot = true;
    o->hot_idx = g_hot_n;
    g_hot[g_hot_n++] = o;
}

static void hot_remove(struct sim_obj *o)
{
    if (!o->hot)
        return;
    size_t i = o->hot_idx;
    g_hot[i] = g_hot[--g_hot_n];
    g_hot[i]->hot_idx = i;
    o->hot = false;
}

cJSON *obj_json(const struct sim_obj *co)
{
    struct sim_obj *o = (struct sim_obj *)co; /* parsing is not a change */
    if (!o->tree) {
        o->tree = cJSON_Parse(o->cache);
        if (!o->tree)
            fatal("dify-sim: the stored JSON of %s %s does not parse", o->rt->kind, o->key);
        hot_add(o);
    }
    return o->tree;
}

/* Frees o's tree; in check mode, first makes sure it holds no change that
 * was never committed (such a change would be lost here). */
static void drop_tree(struct sim_obj *o)
{
    if (g_check < 0) {
        const char *e = getenv("DIFY_SIM_CHECK_TREES");
        g_check = e && strcmp(e, "1") == 0;
    }
    if (g_check && o->cache) {
        char *now = cJSON_PrintUnformatted(o->tree);
        if (strcmp(now, o->cache) != 0)
            fatal("dify-sim: %s %s was changed without a commit:\n  stored %s\n  tree   %s",
                  o->rt->kind, o->key, o->cache, now);
        free(now);
    }
    cJSON_Delete(o->tree);
    o->tree = NULL;
    g_dropped++;
}

void store_cool(struct sim_obj *o)
{
    if (!o->hot || !o->cache)
        return;
    hot_remove(o);
    drop_tree(o);
}

void store_trim(void)
{
    while (g_hot_n > 0) {
        struct sim_obj *o = g_hot[g_hot_n - 1];
        hot_remove(o);
        drop_tree(o);
    }
    /* Many small tree nodes freed among the objects' JSON leave pages the
     * allocator keeps; hand them back, at most once a second. */
    if (g_dropped > 0 && now_ms() - g_released >= 1000) {
        g_dropped = 0;
        g_released = now_ms();
        malloc_trim(0);
    }
}

/* ---- the fields copied out of the tree ---- */

static void owned_set(struct sim_obj *obj, bool in)
{
    struct rtype *rt = obj->rt;
    if (in == (obj->owned_idx != 0))
        return;
    rt->owner_gen++;
    if (in) {
        if (rt->n_owned == rt->cap_owned) {
            rt->cap_owned = rt->cap_owned ? 2 * rt->cap_owned : 64;
            rt->owned = xrealloc(rt->owned, rt->cap_owned * sizeof(*rt->owned));
        }
        rt->owned[rt->n_owned++] = obj;
        obj->owned_idx = rt->n_owned;
        return;
    }
    struct sim_obj *last = rt->owned[--rt->n_owned];
    rt->owned[obj->owned_idx - 1] = last;
    last->owned_idx = obj->owned_idx;
    obj->owned_idx = 0;
}

static bool refs_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    for (;;) {
        size_t n = strlen(a);
        if (n != strlen(b) || memcmp(a, b, n) != 0)
            return false;
        if (n == 0)
            return true;
        a += n + 1, b += n + 1;
    }
}

/* The owner fields are kept as they are when they did not change (most
 * commits), so that the owner index (its strings point into them) stays
 * valid and is rebuilt only when an ownership changes (rt->owner_gen). */
static void read_owners(struct sim_obj *obj)
{
    const cJSON *refs = kj_get(obj->tree, "metadata.ownerReferences");
    struct strbuf sb;
    strbuf_init(&sb);
    const char *owner = NULL;
    const cJSON *r;
    cJSON_ArrayForEach(r, refs)
    {
        const char *uid = kj_str(r, "uid");
        if (uid) {
            strbuf_adds(&sb, uid);
            strbuf_addc(&sb, '\0');
        }
        if (!owner && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "controller")))
            owner = uid;
    }
    if (sb.len)
        strbuf_addc(&sb, '\0');
    const char *nrefs = sb.len ? sb.buf : NULL;
    obj->has_refs = cJSON_GetArraySize(refs) > 0;
    if (!str_eq(owner, obj->owner_uid) || !refs_eq(nrefs, obj->refs)) {
        free(obj->owner_uid);
        free(obj->refs);
        obj->owner_uid = xstrdup_or_null(owner);
        obj->refs = sb.len ? strbuf_detach(&sb, NULL) : NULL;
        obj->rt->owner_gen++;
    }
    strbuf_done(&sb);
    owned_set(obj, obj->has_refs);
}

static void read_index(struct sim_obj *obj)
{
    const cJSON *tree = obj->tree;
    read_owners(obj);
    const cJSON *labels = kj_get(tree, "metadata.labels");
    if (!cJSON_Compare(labels, obj->labels, 1)) {
        cJSON_Delete(obj->labels);
        obj->labels = cJSON_IsObject(labels) ? cJSON_Duplicate(labels, 1) : NULL;
    }
    if (obj->pod) {
        obj->node = store_intern(kj_str(tree, "spec.nodeName"));
        obj->phase = store_intern(kj_str(tree, "status.phase"));
        obj->ready = pod_is_ready(tree);
    }
    obj->rt->gen++;
    g_changes++;
}

long long sim_ms(double seconds)
{
    return (long long)(seconds * 1000.0 / (sim_speed > 0 ? sim_speed : 1.0));
}

void sim_timestamp(char out[32], long long offset_ms)
{
    kube_time_format((long long)time(NULL) + offset_ms / 1000, out, 32);
}

void store_init(size_t history_cap)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&sim_changed, &ca);
    for (size_t i = 0; i < SIM_RTYPES_MAX; i++)
        pthread_cond_init(&sim_kind_changed[i], &ca);
    g_hist_cap = history_cap < 16 ? 16 : history_cap;
    g_hist = xcalloc(g_hist_cap, sizeof(*g_hist));
    g_rv = 0;
    g_hist_base = 0;
}

struct rtype *store_rtype(const char *group, const char *plural)
{
    for (size_t i = 0; i < sim_rtypes_n; i++)
        if (sim_rtypes[i].served && strcmp(sim_rtypes[i].group, group) == 0 &&
            strcmp(sim_rtypes[i].plural, plural) == 0)
            return &sim_rtypes[i];
    return NULL;
}

struct rtype *store_rtype_gv(const char *group, const char *version, const char *plural)
{
    for (size_t i = 0; i < sim_rtypes_n; i++)
        if (sim_rtypes[i].served && strcmp(sim_rtypes[i].group, group) == 0 &&
            strcmp(sim_rtypes[i].version, version) == 0 &&
            strcmp(sim_rtypes[i].plural, plural) == 0)
            return &sim_rtypes[i];
    return NULL;
}

struct rtype *store_rtype_kind(const char *api_version, const char *kind)
{
    if (!api_version || !kind)
        return NULL;
    const char *slash = strchr(api_version, '/');
    for (size_t i = 0; i < sim_rtypes_n; i++) {
        struct rtype *rt = &sim_rtypes[i];
        if (!rt->served || strcmp(rt->kind, kind) != 0)
            continue;
        if (!slash && rt->group[0] == '\0' && strcmp(rt->version, api_version) == 0)
            return rt;
        if (slash && strlen(rt->group) == (size_t)(slash - api_version) &&
            strncmp(rt->group, api_version, slash - api_version) == 0 &&
            strcmp(rt->version, slash + 1) == 0)
            return rt;
    }
    return NULL;
}

static char *make_key(const struct rtype *rt, const char *ns, const char *name)
{
    return rt->namespaced ? xasprintf("%s/%s", ns ? ns : "", name) : xstrdup(name);
}

/* Position of key, or where it would go (*found says which). */
static size_t find_pos(struct rtype *rt, const char *key, bool *found)
{
    size_t lo = 0, hi = rt->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(rt->objs[mid]->key, key);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

struct sim_obj *store_get(struct rtype *rt, const char *ns, const char *name)
{
    char *key = make_key(rt, ns, name);
    bool found;
    size_t pos = find_pos(rt, key, &found);
    free(key);
    return found ? rt->objs[pos] : NULL;
}

size_t store_prefix_end(struct rtype *rt, const char *prefix)
{
    /* the keys that start with prefix sort before prefix with its last
     * byte raised by one */
    size_t n = strlen(prefix);
    if (n == 0)
        return rt->n;
    char *hi = xstrdup(prefix);
    hi[n - 1] = (char)((unsigned char)hi[n - 1] + 1);
    bool found;
    size_t pos = find_pos(rt, hi, &found);
    free(hi);
    return pos;
}

size_t store_lower_bound(struct rtype *rt, const char *after)
{
    if (!after)
        return 0;
    bool found;
    size_t pos = find_pos(rt, after, &found);
    return found ? pos + 1 : pos;
}

long long store_rv(void)
{
    return g_rv;
}

long long store_oldest_rv(void)
{
    return g_hist_base; /* events after this version are all retained */
}

static void history_add(struct sim_obj *obj, enum watch_type type)
{
    long long seq = g_rv - 1; /* the event with rv N has seq N-1 */
    if (seq - g_hist_base >= (long long)g_hist_cap) {
        struct sim_event *old = &g_hist[g_hist_base % g_hist_cap];
        blob_unref(old->json);
        old->json = NULL;
        old->ns = NULL;
        g_hist_base++;
    }
    blob_unref(obj->cache);
    obj->cache = blob_new(cJSON_PrintUnformatted(obj->tree));
    free(obj->pb);
    obj->pb = NULL;
    struct sim_event *ev = &g_hist[seq % g_hist_cap];
    ev->rv = g_rv;
    ev->type = type;
    ev->rt = obj->rt;
    ev->json = blob_ref(obj->cache);
    ev->ns = obj->ns;
    pthread_cond_broadcast(&sim_kind_changed[obj->rt - sim_rtypes]);
    pthread_cond_broadcast(&sim_changed);
}

long long store_history_find(long long after_rv)
{
    if (after_rv < g_hist_base)
        return -1;
    return after_rv; /* seq of the first event with rv > after_rv */
}

const struct sim_event *store_history_at(long long seq)
{
    if (seq < g_hist_base || seq >= g_rv)
        return NULL;
    return &g_hist[seq % g_hist_cap];
}

static void stamp_rv(struct sim_obj *obj)
{
    char buf[32];
    g_rv++;
    snprintf(buf, sizeof(buf), "%lld", g_rv);
    js_set_str(js_obj(obj_json(obj), "metadata"), "resourceVersion", buf);
}

void store_new_uid(char out[40])
{
    g_uid_ctr++;
    snprintf(out, 40, "%08lx-%04lx-4%03lx-8%03lx-%012llx", (unsigned long)random(),
             (unsigned long)(random() & 0xffff), (unsigned long)(random() & 0xfff),
             (unsigned long)(random() & 0xfff), g_uid_ctr);
}

void sim_random_suffix(char *out, size_t n)
{
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    for (size_t i = 0; i < n; i++)
        out[i] = alphabet[random() % (sizeof(alphabet) - 1)];
    out[n] = '\0';
}

/* kind and apiVersion become the first two members, as a real server
 * writes them; lists rely on it to leave them out of their items. */
static void set_type_first(cJSON *json, const struct rtype *rt)
{
    char av[96];
    if (rt->group[0])
        snprintf(av, sizeof(av), "%s/%s", rt->group, rt->version);
    else
        snprintf(av, sizeof(av), "%s", rt->version);
    cJSON_DeleteItemFromObjectCaseSensitive(json, "kind");
    cJSON_DeleteItemFromObjectCaseSensitive(json, "apiVersion");
    cJSON *a = cJSON_CreateString(av), *k = cJSON_CreateString(rt->kind);
    cJSON_AddItemToObject(json, "apiVersion", a);
    cJSON_AddItemToObject(json, "kind", k);
    cJSON_DetachItemViaPointer(json, a);
    cJSON_DetachItemViaPointer(json, k);
    cJSON_InsertItemInArray(json, 0, a);
    cJSON_InsertItemInArray(json, 0, k);
}

struct sim_obj *store_add(struct rtype *rt, cJSON *json)
{
    struct sim_obj *obj = xcalloc(1, sizeof(*obj));
    obj->rt = rt;
    obj->tree = json;
    hot_add(obj);
    obj->created_ms = now_ms();
    cJSON *meta = js_obj(json, "metadata");
    char uid[40], ts[32];
    /* creation paths strip a client's uid; one set by the defaults (a
     * Job's generated selector names it) is the object's */
    if (!kj_str(meta, "uid")) {
        store_new_uid(uid);
        js_set_str(meta, "uid", uid);
    }
    sim_timestamp(ts, 0);
    js_set_str(meta, "creationTimestamp", ts);
    if (rt->has_generation)
        js_set_num(meta, "generation", 1);
    set_type_first(json, rt);
    obj->key = make_key(rt, kj_str(meta, "namespace"), kj_str(meta, "name"));
    obj->ns = rt->namespaced ? store_intern(kj_str(meta, "namespace")) : NULL;
    bool found;
    size_t pos = find_pos(rt, obj->key, &found);
    if (rt->n == rt->cap) {
        rt->cap = rt->cap ? rt->cap * 2 : 64;
        rt->objs = xrealloc(rt->objs, rt->cap * sizeof(*rt->objs));
    }
    memmove(rt->objs + pos + 1, rt->objs + pos, (rt->n - pos) * sizeof(*rt->objs));
    rt->objs[pos] = obj;
    rt->n++;
    obj->uid = xstrdup(kj_str(meta, "uid"));
    uid_insert(obj);
    if (strcmp(rt->kind, "Pod") == 0)
        pods_attach(obj);
    read_index(obj);
    stamp_rv(obj);
    history_add(obj, WATCH_ADDED);
    return obj;
}

void store_commit(struct sim_obj *obj)
{
    obj_json(obj);
    read_index(obj);
    stamp_rv(obj);
    history_add(obj, WATCH_MODIFIED);
    if (obj->pod)
        pods_wake(obj);
}

void store_replace(struct sim_obj *obj, cJSON *json)
{
    cJSON *om = js_obj(obj_json(obj), "metadata"), *nm = js_obj(json, "metadata");
    /* What the server owns survives any client write. */
    static const char *const kept[] = {
        "uid", "creationTimestamp", "generation", "deletionTimestamp", "name", "namespace"};
    for (size_t i = 0; i < ARRAY_LEN(kept); i++) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(om, kept[i]);
        if (v)
            js_set(nm, kept[i], cJSON_Duplicate(v, 1));
        else
            cJSON_DeleteItemFromObjectCaseSensitive(nm, kept[i]);
    }
    if (obj->rt->has_generation) {
        cJSON *os = cJSON_GetObjectItemCaseSensitive(obj->tree, "spec");
        cJSON *ns = cJSON_GetObjectItemCaseSensitive(json, "spec");
        if (!cJSON_Compare(os, ns, 1))
            js_set_num(nm, "generation", kj_num(om, "generation", 1) + 1);
    }
    set_type_first(json, obj->rt);
    cJSON_Delete(obj->tree);
    obj->tree = json;
    store_commit(obj);
}

void store_refresh(struct sim_obj *obj)
{
    obj_json(obj);
    read_index(obj);
    char *old = obj->cache;
    obj->cache = blob_new(cJSON_PrintUnformatted(obj->tree));
    free(obj->pb);
    obj->pb = NULL;
    /* the event with resourceVersion N has seq N-1 */
    const char *rvs = kj_str(obj->tree, "metadata.resourceVersion");
    long long seq = rvs ? atoll(rvs) - 1 : -1;
    if (seq >= g_hist_base && seq < g_rv) {
        struct sim_event *ev = &g_hist[seq % g_hist_cap];
        if (ev->rt == obj->rt && ev->json == old) {
            blob_unref(ev->json);
            ev->json = blob_ref(obj->cache);
        }
    }
    blob_unref(old);
}

void store_remove(struct sim_obj *obj)
{
    struct rtype *rt = obj->rt;
    bool found;
    size_t pos = find_pos(rt, obj->key, &found);
    if (found) {
        memmove(rt->objs + pos, rt->objs + pos + 1, (rt->n - pos - 1) * sizeof(*rt->objs));
        rt->n--;
    }
    g_removals++;
    g_changes++;
    rt->gen++;
    owned_set(obj, false);
    uid_remove(obj);
    stamp_rv(obj);
    history_add(obj, WATCH_DELETED);
    if (obj->pod)
        pods_detach(obj);
    hot_remove(obj);
    owners_free(obj->owners);
    free(obj->uid);
    free(obj->owner_uid);
    free(obj->refs);
    cJSON_Delete(obj->labels);
    blob_unref(obj->cache);
    free(obj->pb);
    cJSON_Delete(obj->tree);
    free(obj->key);
    free(obj);
}

cJSON *js_obj(cJSON *o, const char *name)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsObject(v)) {
        v = cJSON_CreateObject();
        js_set(o, name, v);
    }
    return v;
}

void js_set(cJSON *o, const char *name, cJSON *v)
{
    if (cJSON_GetObjectItemCaseSensitive(o, name))
        cJSON_ReplaceItemInObjectCaseSensitive(o, name, v);
    else
        cJSON_AddItemToObject(o, name, v);
}

void js_set_str(cJSON *o, const char *name, const char *v)
{
    const char *old = kj_str(o, name);
    if (old && v && strcmp(old, v) == 0)
        return;
    js_set(o, name, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

void js_set_num(cJSON *o, const char *name, double v)
{
    js_set(o, name, cJSON_CreateNumber(v));
}

void js_set_bool(cJSON *o, const char *name, bool v)
{
    js_set(o, name, cJSON_CreateBool(v));
}

const char *obj_name(const struct sim_obj *o)
{
    const char *slash = o->rt->namespaced ? strchr(o->key, '/') : NULL;
    return slash ? slash + 1 : o->key;
}

const char *obj_ns(const struct sim_obj *o)
{
    return o->ns;
}

const cJSON *obj_labels(const struct sim_obj *o)
{
    return o->labels;
}

const char *obj_uid(const struct sim_obj *o)
{
    return o->uid;
}

const char *obj_owner_uid(const struct sim_obj *o)
{
    return o->owner_uid;
}
