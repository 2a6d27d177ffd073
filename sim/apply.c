/* sim/apply.c: body parsing, patches and server-side apply (see apply.h).
 * Field ownership is kept per leaf: a leaf is any value that is not a JSON
 * object or an associative list (whose elements are walked by their keys,
 * k:{"name":"api"}); other lists are atomic, as their schema says. */
#include "config.h"

#include "sim/apply.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/error.h"
#include "core/kube_json.h"
#include "core/util.h"
#include "core/yamldoc.h"
#include "sim/store.h"

/* One owned leaf: path segments joined by '\x1f'; one allocation per leaf,
 * the manager and operation interned (few values, many leaves). */
struct field_owner {
    const char *manager;
    const char *operation;
    struct field_owner *next;
    char path[];
};

/* ---- YAML -> cJSON ---- */

/* A scalar typed by core's one YAML scalar typing (core/yamldoc.h); JSON
 * has no infinity or NaN, so those stay strings. */
static cJSON *scalar_value(const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    const char *tag = (const char *)ev->data.scalar.tag;
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || (tag && strstr(tag, ":str")))
        return cJSON_CreateString(v);
    double d;
    switch (yscalar_resolve(v)) {
    case YSCALAR_NULL:
        return cJSON_CreateNull();
    case YSCALAR_BOOL:
        return cJSON_CreateBool(v[0] == 't' || v[0] == 'T');
    case YSCALAR_INT:
    case YSCALAR_FLOAT:
        if (yscalar_double(v, &d))
            return cJSON_CreateNumber(d);
        return cJSON_CreateString(v);
    default:
        return cJSON_CreateString(v);
    }
}

/* Builds the node starting at ev (already taken); reads more events as needed. */
static cJSON *yaml_node(yaml_parser_t *p, yaml_event_t *ev, struct error *err)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        return scalar_value(ev);
    case YAML_ALIAS_EVENT:
        error_set(err, ERR_PARSE, 0, "line %zu: YAML aliases are not supported",
                  ev->start_mark.line + 1);
        return NULL;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool map = ev->type == YAML_MAPPING_START_EVENT;
        cJSON *out = map ? cJSON_CreateObject() : cJSON_CreateArray();
        for (;;) {
            yaml_event_t e;
            if (!yaml_parser_parse(p, &e)) {
                error_set(err, ERR_PARSE, 0, "line %zu: %s", p->problem_mark.line + 1,
                          p->problem ? p->problem : "bad YAML");
                cJSON_Delete(out);
                return NULL;
            }
            if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT) {
                yaml_event_delete(&e);
                return out;
            }
            if (!map) {
                cJSON *item = yaml_node(p, &e, err);
                yaml_event_delete(&e);
                if (!item) {
                    cJSON_Delete(out);
                    return NULL;
                }
                cJSON_AddItemToArray(out, item);
                continue;
            }
            if (e.type != YAML_SCALAR_EVENT) {
                error_set(err, ERR_PARSE, 0, "line %zu: mapping keys must be scalars",
                          e.start_mark.line + 1);
                yaml_event_delete(&e);
                cJSON_Delete(out);
                return NULL;
            }
            char *key = xstrdup((const char *)e.data.scalar.value);
            yaml_event_delete(&e);
            yaml_event_t ve;
            if (!yaml_parser_parse(p, &ve)) {
                error_set(err, ERR_PARSE, 0, "line %zu: %s", p->problem_mark.line + 1,
                          p->problem ? p->problem : "bad YAML");
                free(key);
                cJSON_Delete(out);
                return NULL;
            }
            cJSON *val = yaml_node(p, &ve, err);
            yaml_event_delete(&ve);
            if (!val) {
                free(key);
                cJSON_Delete(out);
                return NULL;
            }
            js_set(out, key, val);
            free(key);
        }
    }
    default:
        error_set(err, ERR_PARSE, 0, "line %zu: unexpected YAML event", ev->start_mark.line + 1);
        return NULL;
    }
}

cJSON *yaml_parse_all(const char *text, size_t len, struct error *err)
{
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    cJSON *docs = cJSON_CreateArray();
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            error_set(err, ERR_PARSE, 0, "line %zu column %zu: %s", p.problem_mark.line + 1,
                      p.problem_mark.column + 1, p.problem ? p.problem : "bad YAML");
            cJSON_Delete(docs);
            docs = NULL;
            break;
        }
        if (e.type == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&e);
            break;
        }
        if (e.type == YAML_SEQUENCE_START_EVENT || e.type == YAML_MAPPING_START_EVENT ||
            e.type == YAML_SCALAR_EVENT || e.type == YAML_ALIAS_EVENT) {
            cJSON *node = yaml_node(&p, &e, err);
            yaml_event_delete(&e);
            if (!node) {
                cJSON_Delete(docs);
                docs = NULL;
                break;
            }
            if (!cJSON_IsNull(node))
                cJSON_AddItemToArray(docs, node);
            else
                cJSON_Delete(node);
            continue;
        }
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&p);
    return docs;
}

cJSON *yaml_parse(const char *text, size_t len, struct error *err)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        i++;
    if (i < len && text[i] == '{') {
        cJSON *j = cJSON_ParseWithLength(text, len);
        if (j)
            return j;
    }
    cJSON *docs = yaml_parse_all(text, len, err);
    if (!docs)
        return NULL;
    cJSON *first = cJSON_DetachItemFromArray(docs, 0);
    cJSON_Delete(docs);
    if (!first)
        error_set(err, ERR_PARSE, 0, "the body holds no document");
    return first;
}

/* ---- patches ---- */

static bool all_named(const cJSON *arr)
{
    const cJSON *e;
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
        return false;
    cJSON_ArrayForEach(e, arr)
    {
        if (!cJSON_IsObject(e) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "name")))
            return false;
    }
    return true;
}

void merge_patch(cJSON *target, const cJSON *patch, bool strategic)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, patch)
    {
        if (strategic && p->string[0] == '$')
            continue;
        cJSON *t = cJSON_GetObjectItemCaseSensitive(target, p->string);
        if (cJSON_IsNull(p)) {
            cJSON_DeleteItemFromObjectCaseSensitive(target, p->string);
        } else if (cJSON_IsObject(p)) {
            if (!cJSON_IsObject(t)) {
                t = cJSON_CreateObject();
                js_set(target, p->string, t);
            }
            merge_patch(t, p, strategic);
        } else if (strategic && all_named(p) && all_named(t)) {
            const cJSON *pe;
            cJSON_ArrayForEach(pe, p)
            {
                const char *name = kj_str(pe, "name");
                cJSON *te, *match = NULL;
                cJSON_ArrayForEach(te, t)
                {
                    if (strcmp(kj_str(te, "name"), name) == 0)
                        match = te;
                }
                if (match)
                    merge_patch(match, pe, true);
                else
                    cJSON_AddItemToArray(t, cJSON_Duplicate(pe, 1));
            }
        } else {
            js_set(target, p->string, cJSON_Duplicate(p, 1));
        }
    }
}

/* Resolves a JSON pointer to (parent, last token); the token is unescaped into key. */
static cJSON *pointer_parent(cJSON *root, const char *ptr, char *key, size_t keysz)
{
    if (!ptr || ptr[0] != '/')
        return NULL;
    cJSON *cur = root;
    const char *p = ptr + 1;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = 0;
        const char *end = slash ? slash : p + strlen(p);
        for (const char *q = p; q < end && n + 1 < keysz; q++) {
            if (q[0] == '~' && q + 1 < end && (q[1] == '0' || q[1] == '1')) {
                key[n++] = q[1] == '0' ? '~' : '/';
                q++;
            } else {
                key[n++] = *q;
            }
        }
        key[n] = '\0';
        if (!slash)
            return cur;
        cJSON *next = cJSON_IsArray(cur) ? cJSON_GetArrayItem(cur, atoi(key))
                                         : cJSON_GetObjectItemCaseSensitive(cur, key);
        if (!next)
            return NULL;
        cur = next;
        p = slash + 1;
    }
}

static cJSON *pointer_get(cJSON *root, const char *ptr)
{
    char key[256];
    if (ptr && ptr[0] == '\0')
        return root;
    cJSON *parent = pointer_parent(root, ptr, key, sizeof(key));
    if (!parent)
        return NULL;
    return cJSON_IsArray(parent) ? cJSON_GetArrayItem(parent, atoi(key))
                                 : cJSON_GetObjectItemCaseSensitive(parent, key);
}

static int pointer_add(cJSON *root, const char *ptr, cJSON *val, bool replace, struct error *err)
{
    char key[256];
    cJSON *parent = pointer_parent(root, ptr, key, sizeof(key));
    if (!parent) {
        cJSON_Delete(val);
        return error_set(err, ERR_INVALID, 422, "path %s does not exist", ptr ? ptr : "");
    }
    if (cJSON_IsArray(parent)) {
        int n = cJSON_GetArraySize(parent);
        int idx = strcmp(key, "-") == 0 ? n : atoi(key);
        if (idx < 0 || idx > n || (replace && idx >= n)) {
            cJSON_Delete(val);
            return error_set(err, ERR_INVALID, 422, "index %s out of range in %s", key, ptr);
        }
        if (replace)
            cJSON_ReplaceItemInArray(parent, idx, val);
        else if (idx == n)
            cJSON_AddItemToArray(parent, val);
        else
            cJSON_InsertItemInArray(parent, idx, val);
        return 0;
    }
    if (!cJSON_IsObject(parent)) {
        cJSON_Delete(val);
        return error_set(err, ERR_INVALID, 422, "path %s: parent is not an object", ptr);
    }
    if (replace && !cJSON_GetObjectItemCaseSensitive(parent, key)) {
        cJSON_Delete(val);
        return error_set(err, ERR_INVALID, 422, "path %s does not exist", ptr);
    }
    js_set(parent, key, val);
    return 0;
}

static cJSON *pointer_detach(cJSON *root, const char *ptr)
{
    char key[256];
    cJSON *parent = pointer_parent(root, ptr, key, sizeof(key));
    if (!parent)
        return NULL;
    if (cJSON_IsArray(parent))
        return cJSON_DetachItemFromArray(parent, atoi(key));
    return cJSON_DetachItemFromObjectCaseSensitive(parent, key);
}

int json_patch(cJSON *target, const cJSON *ops, struct error *err)
{
    const cJSON *op;
    if (!cJSON_IsArray(ops))
        return error_set(err, ERR_INVALID, 400, "a JSON patch must be an array of operations");
    cJSON_ArrayForEach(op, ops)
    {
        const char *o = kj_str(op, "op"), *path = kj_str(op, "path"), *from = kj_str(op, "from");
        cJSON *value = cJSON_GetObjectItemCaseSensitive(op, "value");
        if (!o || !path)
            return error_set(err, ERR_INVALID, 400, "JSON patch operation without op or path");
        if (strcmp(o, "add") == 0 || strcmp(o, "replace") == 0) {
            if (!value)
                return error_set(err, ERR_INVALID, 400, "%s %s without a value", o, path);
            if (pointer_add(target, path, cJSON_Duplicate(value, 1), o[0] == 'r', err) < 0)
                return -1;
        } else if (strcmp(o, "remove") == 0) {
            cJSON *gone = pointer_detach(target, path);
            if (!gone)
                return error_set(err, ERR_INVALID, 422, "remove %s: no such path", path);
            cJSON_Delete(gone);
        } else if (strcmp(o, "test") == 0) {
            if (!cJSON_Compare(pointer_get(target, path), value, 1))
                return error_set(err, ERR_INVALID, 422, "test %s failed", path);
        } else if (strcmp(o, "copy") == 0 || strcmp(o, "move") == 0) {
            cJSON *src = o[0] == 'm' ? pointer_detach(target, from)
                                     : cJSON_Duplicate(pointer_get(target, from), 1);
            if (!src)
                return error_set(err, ERR_INVALID, 422, "%s from %s: no such path", o,
                                 from ? from : "");
            if (pointer_add(target, path, src, false, err) < 0)
                return -1;
        } else {
            return error_set(err, ERR_INVALID, 400, "unknown JSON patch operation %s", o);
        }
    }
    return 0;
}

/* ---- field ownership and server-side apply ---- */

static bool skip_leaf(const char *path)
{
    static const char *const skipped[] = {"apiVersion",
                                          "kind",
                                          "metadata\x1f"
                                          "name",
                                          "metadata\x1f"
                                          "namespace",
                                          "metadata\x1f"
                                          "resourceVersion",
                                          "metadata\x1f"
                                          "managedFields",
                                          "status",
                                          "metadata\x1f"
                                          "uid",
                                          "metadata\x1f"
                                          "creationTimestamp",
                                          "metadata\x1f"
                                          "generation",
                                          "metadata\x1f"
                                          "deletionTimestamp"};
    for (size_t i = 0; i < ARRAY_LEN(skipped); i++)
        if (strcmp(path, skipped[i]) == 0 ||
            (str_starts_with(path, skipped[i]) && path[strlen(skipped[i])] == '\x1f'))
            return true;
    return false;
}

/* Associative lists (x-kubernetes-list-type: map in k8s.io/api): their
 * elements are identified by key fields, so applies merge them element by
 * element and own each element's fields apart. holder is the field whose
 * object holds the list (a container's ports: "containers"; a Service's:
 * "spec"); NULL matches any. Other lists are atomic: one leaf. */
static const struct list_keys {
    const char *field, *holder;
    const char *keys[2];
} list_keys[] = {
    {"containers", NULL, {"name"}},
    {"initContainers", NULL, {"name"}},
    {"ephemeralContainers", NULL, {"name"}},
    {"ports", "containers", {"containerPort", "protocol"}},
    {"ports", "initContainers", {"containerPort", "protocol"}},
    {"ports", "spec", {"port", "protocol"}},
    {"env", NULL, {"name"}},
    {"volumeMounts", NULL, {"mountPath"}},
    {"volumeDevices", NULL, {"devicePath"}},
    {"volumes", NULL, {"name"}},
    {"imagePullSecrets", NULL, {"name"}},
    {"hostAliases", NULL, {"ip"}},
    {"conditions", NULL, {"type"}},
    {"ownerReferences", NULL, {"uid"}},
    {"topologySpreadConstraints", NULL, {"topologyKey", "whenUnsatisfiable"}},
    {"resourceClaims", NULL, {"name"}},
};

static const struct list_keys *lk_find(const char *field, const char *holder)
{
    for (size_t i = 0; i < ARRAY_LEN(list_keys); i++)
        if (!strcmp(list_keys[i].field, field) &&
            (!list_keys[i].holder || str_eq(list_keys[i].holder, holder)))
            return &list_keys[i];
    return NULL;
}

/* A key field's value in el; a port's protocol defaults to TCP, as the
 * schema's default does for the real structured merge. */
static cJSON *key_value(const cJSON *el, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(el, key);
    if (v)
        return cJSON_Duplicate(v, 1);
    return !strcmp(key, "protocol") ? cJSON_CreateString("TCP") : NULL;
}

/* The path segment of an element: k:{"name":"api"} (NULL without its keys). */
static char *elem_key(const struct list_keys *lk, const cJSON *el)
{
    if (!cJSON_IsObject(el))
        return NULL;
    cJSON *k = cJSON_CreateObject();
    for (int i = 0; i < 2 && lk->keys[i]; i++) {
        cJSON *v = key_value(el, lk->keys[i]);
        if (!v) {
            cJSON_Delete(k);
            return NULL;
        }
        cJSON_AddItemToObject(k, lk->keys[i], v);
    }
    char *js = cJSON_PrintUnformatted(k);
    cJSON_Delete(k);
    char *seg = xasprintf("k:%s", js);
    free(js);
    return seg;
}

/* The list is associative here and every element has its keys. */
static const struct list_keys *assoc_list(const cJSON *arr, const char *field, const char *holder)
{
    const struct list_keys *lk = cJSON_IsArray(arr) ? lk_find(field, holder) : NULL;
    const cJSON *e;
    if (!lk || !arr->child)
        return NULL;
    cJSON_ArrayForEach(e, arr)
    {
        char *k = elem_key(lk, e);
        if (!k)
            return NULL;
        free(k);
    }
    return lk;
}

/* The element of arr whose keys are those of the k:{...} segment. */
static cJSON *elem_find(const cJSON *arr, const char *seg)
{
    cJSON *want = cJSON_Parse(seg + 2), *e, *found = NULL;
    cJSON_ArrayForEach(e, arr)
    {
        bool same = cJSON_IsObject(e) && want;
        const cJSON *kv;
        cJSON_ArrayForEach(kv, want)
        {
            cJSON *v = key_value(e, kv->string);
            same = same && v && cJSON_Compare(v, kv, 1);
            cJSON_Delete(v);
        }
        if (same) {
            found = e;
            break;
        }
    }
    cJSON_Delete(want);
    return found;
}

typedef void (*leaf_cb)(const char *path, const cJSON *v, void *arg);

static void leaves_in(const cJSON *o, const char *holder, struct strbuf *path, leaf_cb cb,
                      void *arg)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, o)
    {
        size_t keep = path->len;
        if (path->len)
            strbuf_addc(path, '\x1f');
        strbuf_adds(path, c->string);
        const struct list_keys *lk;
        if (cJSON_IsObject(c) && c->child) {
            leaves_in(c, c->string, path, cb, arg);
        } else if (!skip_leaf(path->buf) && (lk = assoc_list(c, c->string, holder)) != NULL) {
            const cJSON *e;
            cJSON_ArrayForEach(e, c)
            {
                size_t k2 = path->len;
                char *seg = elem_key(lk, e);
                strbuf_addc(path, '\x1f');
                strbuf_adds(path, seg);
                free(seg);
                leaves_in(e, c->string, path, cb, arg);
                path->len = k2;
                path->buf[k2] = '\0';
            }
        } else if (!skip_leaf(path->buf)) {
            cb(path->buf, c, arg);
        }
        path->len = keep;
        path->buf[keep] = '\0';
    }
}

static void leaves(const cJSON *o, struct strbuf *path, leaf_cb cb, void *arg)
{
    leaves_in(o, NULL, path, cb, arg);
}

static cJSON *leaf_get(const cJSON *o, const char *path)
{
    char *copy = xstrdup(path), *save = NULL;
    const cJSON *cur = o;
    for (char *seg = strtok_r(copy, "\x1f", &save); seg && cur; seg = strtok_r(NULL, "\x1f", &save))
        cur = seg[0] == 'k' && seg[1] == ':' ? (cJSON_IsArray(cur) ? elem_find(cur, seg) : NULL)
              : cJSON_IsObject(cur)          ? cJSON_GetObjectItemCaseSensitive(cur, seg)
                                             : NULL;
    free(copy);
    return (cJSON *)cur;
}

/* Is the last segment of path a key field of the element it is in? */
static bool is_key_leaf(const char *path)
{
    const char *last = strrchr(path, '\x1f');
    if (!last)
        return false;
    const char *prev = last;
    while (prev > path && prev[-1] != '\x1f')
        prev--;
    if (strncmp(prev, "k:", 2) != 0)
        return false;
    char *seg = xstrndup(prev + 2, (size_t)(last - prev - 2));
    cJSON *k = cJSON_Parse(seg);
    bool key = k && cJSON_GetObjectItemCaseSensitive(k, last + 1) != NULL;
    cJSON_Delete(k);
    free(seg);
    return key;
}

static void leaf_delete(cJSON *o, const char *path)
{
    const char *last = strrchr(path, '\x1f');
    cJSON *parent = o;
    if (last) {
        char *pp = xstrndup(path, last - path);
        parent = leaf_get(o, pp);
        free(pp);
        last++;
    } else {
        last = path;
    }
    if (cJSON_IsObject(parent))
        cJSON_DeleteItemFromObjectCaseSensitive(parent, last);
}

/* Removes the element at path (ending in a k: segment) when only its key
 * fields are left: nobody applies anything in it any more. */
static void elem_prune(cJSON *o, const char *elem_path)
{
    const char *last = strrchr(elem_path, '\x1f');
    if (!last)
        return;
    char *lp = xstrndup(elem_path, (size_t)(last - elem_path));
    cJSON *list = leaf_get(o, lp), *el = leaf_get(o, elem_path);
    free(lp);
    cJSON *k = cJSON_Parse(last + 3);
    bool only_keys = el != NULL && k != NULL;
    const cJSON *f;
    cJSON_ArrayForEach(f, el)
    {
        if (!cJSON_GetObjectItemCaseSensitive(k, f->string))
            only_keys = false;
    }
    cJSON_Delete(k);
    if (only_keys && cJSON_IsArray(list))
        cJSON_Delete(cJSON_DetachItemViaPointer(list, el));
}

/* Merges an applied body into the live object: objects field by field,
 * associative lists element by element by their keys, other lists whole. */
static void ssa_merge(cJSON *target, const cJSON *patch, const char *holder)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, patch)
    {
        cJSON *t = cJSON_GetObjectItemCaseSensitive(target, p->string);
        const struct list_keys *lk;
        if (cJSON_IsNull(p)) {
            cJSON_DeleteItemFromObjectCaseSensitive(target, p->string);
        } else if (cJSON_IsObject(p)) {
            if (!cJSON_IsObject(t)) {
                t = cJSON_CreateObject();
                js_set(target, p->string, t);
            }
            ssa_merge(t, p, p->string);
        } else if ((lk = assoc_list(p, p->string, holder)) != NULL &&
                   (!t || assoc_list(t, p->string, holder))) {
            if (!cJSON_IsArray(t)) {
                t = cJSON_CreateArray();
                js_set(target, p->string, t);
            }
            const cJSON *pe;
            cJSON_ArrayForEach(pe, p)
            {
                char *seg = elem_key(lk, pe);
                cJSON *te = elem_find(t, seg);
                free(seg);
                if (te)
                    ssa_merge(te, pe, p->string);
                else
                    cJSON_AddItemToArray(t, cJSON_Duplicate(pe, 1));
            }
        } else {
            js_set(target, p->string, cJSON_Duplicate(p, 1));
        }
    }
}

/* A path as the API server writes it in conflicts:
 * .spec.template.spec.containers[name="api"].image */
static void path_show(struct strbuf *sb, const char *path)
{
    char *copy = xstrdup(path), *save = NULL;
    for (char *seg = strtok_r(copy, "\x1f", &save); seg; seg = strtok_r(NULL, "\x1f", &save)) {
        if (seg[0] == 'k' && seg[1] == ':') {
            cJSON *k = cJSON_Parse(seg + 2);
            const cJSON *kv;
            strbuf_addc(sb, '[');
            cJSON_ArrayForEach(kv, k)
            {
                char *v = cJSON_PrintUnformatted(kv);
                strbuf_addf(sb, "%s%s=%s", kv == k->child ? "" : ",", kv->string, v);
                free(v);
            }
            strbuf_addc(sb, ']');
            cJSON_Delete(k);
        } else {
            strbuf_addf(sb, ".%s", seg);
        }
    }
    free(copy);
}

static struct field_owner *owner_find(struct field_owner *o, const char *path)
{
    for (; o; o = o->next)
        if (strcmp(o->path, path) == 0)
            return o;
    return NULL;
}

static void owner_set(struct sim_obj *obj, const char *path, const char *manager,
                      const char *operation)
{
    struct field_owner *o = owner_find(obj->owners, path);
    if (!o) {
        size_t n = strlen(path) + 1;
        o = xmalloc(sizeof(*o) + n);
        memcpy(o->path, path, n);
        o->next = obj->owners;
        obj->owners = o;
    }
    o->manager = store_intern(manager);
    o->operation = store_intern(operation);
}

void owners_free(struct field_owner *o)
{
    while (o) {
        struct field_owner *next = o->next;
        free(o);
        o = next;
    }
}

struct conflict_ctx {
    struct sim_obj *obj;
    const char *manager;
    struct field_owner **who; /* the owner of each conflicting field */
    char **paths;
    int n;
};

static void conflict_leaf(const char *path, const cJSON *v, void *arg)
{
    struct conflict_ctx *c = arg;
    struct field_owner *o = owner_find(c->obj->owners, path);
    cJSON *cur = leaf_get(obj_json(c->obj), path);
    if (!o || !cur || strcmp(o->manager, c->manager) == 0 || cJSON_Compare(cur, v, 1))
        return;
    c->who = xrealloc(c->who, (size_t)(c->n + 1) * sizeof(*c->who));
    c->paths = xrealloc(c->paths, (size_t)(c->n + 1) * sizeof(*c->paths));
    c->who[c->n] = o;
    c->paths[c->n++] = xstrdup(path);
}

/* The real message: one conflict "conflict with "m" using apps/v1: .path";
 * several grouped by manager, "conflicts with "m" using apps/v1:\n- .a\n- .b". */
static void conflict_message(struct conflict_ctx *c, const char *api_version, struct error *err)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "Apply failed with %d conflict%s: ", c->n, c->n > 1 ? "s" : "");
    for (int i = 0; i < c->n; i++) {
        bool first = true;
        for (int j = 0; j < i; j++)
            if (!strcmp(c->who[j]->manager, c->who[i]->manager))
                first = false;
        if (!first)
            continue;
        strbuf_addf(&sb, "%sconflict%s with \"%s\"", i ? "\n" : "", c->n > 1 ? "s" : "",
                    c->who[i]->manager);
        if (!strcmp(c->who[i]->operation, "Apply"))
            strbuf_addf(&sb, " using %s", api_version);
        strbuf_adds(&sb, c->n > 1 ? ":" : ": ");
        for (int j = i; j < c->n; j++)
            if (!strcmp(c->who[j]->manager, c->who[i]->manager)) {
                if (c->n > 1)
                    strbuf_adds(&sb, "\n- ");
                path_show(&sb, c->paths[j]);
            }
    }
    error_set(err, ERR_HTTP, 409, "%s", sb.buf);
    strbuf_done(&sb);
}

cJSON *apply_ssa(struct sim_obj *obj, const cJSON *body, const char *manager, bool force,
                 struct error *err)
{
    if (!obj)
        return cJSON_Duplicate(body, 1);
    struct strbuf path;
    strbuf_init(&path);
    if (!force) {
        struct conflict_ctx c = {obj, manager, NULL, NULL, 0};
        leaves(body, &path, conflict_leaf, &c);
        if (c.n > 0)
            conflict_message(&c, kj_str(obj_json(obj), "apiVersion"), err);
        for (int i = 0; i < c.n; i++)
            free(c.paths[i]);
        free(c.paths);
        free(c.who);
        if (c.n > 0) {
            strbuf_done(&path);
            return NULL;
        }
    }
    strbuf_done(&path);
    cJSON *result = cJSON_Duplicate(obj_json(obj), 1);
    /* Fields this manager applied before and no longer applies are removed;
     * an element's key fields go with the element, once nothing else in it
     * is left. */
    for (struct field_owner *o = obj->owners; o; o = o->next)
        if (strcmp(o->manager, manager) == 0 && strcmp(o->operation, "Apply") == 0 &&
            !leaf_get(body, o->path) && !is_key_leaf(o->path))
            leaf_delete(result, o->path);
    for (struct field_owner *o = obj->owners; o; o = o->next)
        if (strcmp(o->manager, manager) == 0 && strcmp(o->operation, "Apply") == 0 &&
            !leaf_get(body, o->path) && is_key_leaf(o->path)) {
            char *elem = xstrndup(o->path, (size_t)(strrchr(o->path, '\x1f') - o->path));
            elem_prune(result, elem);
            free(elem);
        }
    ssa_merge(result, body, NULL);
    return result;
}

struct record_ctx {
    struct sim_obj *obj;
    const cJSON *before;
    const char *manager, *operation;
    bool apply;
};

static void record_leaf(const char *path, const cJSON *v, void *arg)
{
    struct record_ctx *r = arg;
    if (!r->apply && r->before && cJSON_Compare(leaf_get(r->before, path), v, 1))
        return;
    owner_set(r->obj, path, r->manager, r->operation);
}

/* Adds path to a fieldsV1 tree as nested {"f:seg": {...}}. */
static void fields_add(cJSON *tree, const char *path)
{
    char *copy = xstrdup(path), *save = NULL;
    cJSON *cur = tree;
    for (char *seg = strtok_r(copy, "\x1f", &save); seg; seg = strtok_r(NULL, "\x1f", &save)) {
        if (seg[0] == 'k' && seg[1] == ':') {
            cur = js_obj(cur, seg); /* an element: "k:{...}": {".": {}, ...} */
            js_obj(cur, ".");
            continue;
        }
        char *k = xasprintf("f:%s", seg);
        cur = js_obj(cur, k);
        free(k);
    }
    free(copy);
}

void owners_record(struct sim_obj *obj, const cJSON *body, const cJSON *before, const char *manager,
                   const char *operation)
{
    struct record_ctx r = {obj, before, manager, operation, strcmp(operation, "Apply") == 0};
    struct strbuf path;
    strbuf_init(&path);
    /* Forget applied fields that the manager dropped (apply_ssa removed them). */
    struct field_owner **pp = &obj->owners;
    while (*pp) {
        struct field_owner *o = *pp;
        if (!leaf_get(obj_json(obj), o->path)) {
            *pp = o->next;
            o->next = NULL;
            owners_free(o);
        } else {
            pp = &o->next;
        }
    }
    leaves(body ? body : obj_json(obj), &path, record_leaf, &r);
    strbuf_done(&path);
    /* metadata.managedFields: one entry per (manager, operation). */
    cJSON *mf = cJSON_CreateArray();
    char ts[32];
    sim_timestamp(ts, 0);
    for (struct field_owner *o = obj->owners; o; o = o->next) {
        cJSON *entry = NULL, *e;
        cJSON_ArrayForEach(e, mf)
        {
            if (str_eq(kj_str(e, "manager"), o->manager) &&
                str_eq(kj_str(e, "operation"), o->operation))
                entry = e;
        }
        if (!entry) {
            entry = cJSON_CreateObject();
            js_set_str(entry, "manager", o->manager);
            js_set_str(entry, "operation", o->operation);
            js_set_str(entry, "apiVersion", kj_str(obj_json(obj), "apiVersion"));
            js_set_str(entry, "time", ts);
            js_set_str(entry, "fieldsType", "FieldsV1");
            js_obj(entry, "fieldsV1");
            cJSON_AddItemToArray(mf, entry);
        }
        fields_add(js_obj(entry, "fieldsV1"), o->path);
    }
    js_set(js_obj(obj_json(obj), "metadata"), "managedFields", mf);
}
