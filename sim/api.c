/* sim/api.c: resource verbs (see api.h). Every entry point takes sim_lock. */
#include "config.h"

#include "sim/api.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/util.h"
#include "sim/apply.h"
#include "sim/crd.h"
#include "sim/http.h"
#include "sim/proto.h"
#include "sim/proto_write.h"
#include "sim/schema.h"
#include "sim/select.h"
#include "sim/store.h"
#include "sim/table.h"
#include "sim/validate.h"
#include "sim/watch.h"

static const char *resource_name(const struct rtype *rt, char *buf, size_t n)
{
    if (rt->group[0])
        snprintf(buf, n, "%s.%s", rt->plural, rt->group);
    else
        snprintf(buf, n, "%s", rt->plural);
    return buf;
}

static void not_found(struct reply *rep, const struct rtype *rt, const char *name)
{
    char rn[96];
    reply_status(rep, 404, "NotFound", rt->plural, name, "%s \"%s\" not found",
                 resource_name(rt, rn, sizeof(rn)), name);
}

static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 253 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
        return false;
    for (const char *p = s; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' || *p == '.'))
            return false;
    return true;
}

static const char *manager_of(const struct req *r)
{
    const char *m = req_arg(r, "fieldManager");
    if (m && *m)
        return m;
    static __thread char ua[64];
    const char *agent = req_header(r, "User-Agent");
    snprintf(ua, sizeof(ua), "%s", agent ? agent : "unknown");
    char *slash = strchr(ua, '/');
    if (slash)
        *slash = '\0';
    return ua;
}

static bool dry_run(const struct req *r)
{
    const char *d = req_arg(r, "dryRun");
    return d && strcmp(d, "All") == 0;
}

static bool object_invalid(struct reply *rep, const struct rtype *rt, const cJSON *json);

/* Checks a new object; on failure fills rep (or err) and returns -1. */
static int validate_new(struct rtype *rt, cJSON *json, const char *path_ns, struct error *err)
{
    cJSON *meta = js_obj(json, "metadata");
    /* what the server sets on creation is never taken from the client */
    static const char *const system_fields[] = {"uid", "creationTimestamp", "generation",
                                                "deletionTimestamp", "resourceVersion"};
    for (size_t i = 0; i < ARRAY_LEN(system_fields); i++)
        cJSON_DeleteItemFromObjectCaseSensitive(meta, system_fields[i]);
    const char *name = kj_str(meta, "name");
    const char *gen = kj_str(meta, "generateName");
    char rn[96];
    if (!name && gen) {
        char sfx[8];
        sim_random_suffix(sfx, 5);
        char *n = xasprintf("%s%s", gen, sfx);
        js_set_str(meta, "name", n);
        free(n);
        name = kj_str(meta, "name");
    }
    if (!name)
        return error_set(err, ERR_INVALID, 422,
                         "%s.%s \"\" is invalid: metadata.name: Required "
                         "value: name or generateName is required",
                         rt->kind, rt->group[0] ? rt->group : "core");
    if (!valid_name(name))
        return error_set(err, ERR_INVALID, 422,
                         "%s \"%s\" is invalid: metadata.name: Invalid value: \"%s\": a lowercase "
                         "RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                         "'-' or '.', and must start and end with an alphanumeric character",
                         rt->kind, name, name);
    const char *body_ns = kj_str(meta, "namespace");
    if (rt->namespaced) {
        const char *ns = path_ns ? path_ns : body_ns ? body_ns : "default";
        if (body_ns && path_ns && strcmp(body_ns, path_ns) != 0)
            return error_set(err, ERR_INVALID, 400,
                             "the namespace of the provided object does not match the namespace "
                             "sent on the request");
        js_set_str(meta, "namespace", ns);
        struct sim_obj *nso = store_get(store_rtype("", "namespaces"), NULL, ns);
        if (!nso)
            return error_set(err, ERR_NOTFOUND, 404, "namespaces \"%s\" not found", ns);
        if (nso->deleting_ms)
            return error_set(err, ERR_AUTH, 403,
                             "%s \"%s\" is forbidden: unable to create new content in namespace "
                             "%s because it is being terminated",
                             resource_name(rt, rn, sizeof(rn)), name, ns);
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(meta, "namespace");
    }
    if (store_get(rt, kj_str(meta, "namespace"), name))
        return error_set(err, ERR_HTTP, 409, "%s \"%s\" already exists",
                         resource_name(rt, rn, sizeof(rn)), name);
    return 0;
}

static void reply_error(struct reply *rep, const struct error *err, const struct rtype *rt,
                        const char *name)
{
    int code = (int)err->detail;
    const char *reason = code == 404 ? "NotFound"
                         : code == 409
                             ? (strstr(err->msg, "already exists") ? "AlreadyExists" : "Conflict")
                         : code == 422 ? "Invalid"
                         : code == 403 ? "Forbidden"
                         : code == 410 ? "Gone"
                                       : "BadRequest";
    reply_status(rep, code ? code : 400, reason, rt ? rt->plural : NULL, name, "%s", err->msg);
}

struct sim_obj *api_create(cJSON *json, struct error *err)
{
    struct rtype *rt = store_rtype_kind(kj_str(json, "apiVersion"), kj_str(json, "kind"));
    if (!rt) {
        error_set(err, ERR_INVALID, 400, "no kind \"%s\" in version \"%s\"",
                  kj_str(json, "kind") ? kj_str(json, "kind") : "",
                  kj_str(json, "apiVersion") ? kj_str(json, "apiVersion") : "");
        cJSON_Delete(json);
        return NULL;
    }
    if (validate_new(rt, json, NULL, err) < 0) {
        cJSON_Delete(json);
        return NULL;
    }
    api_defaults(rt, json);
    cJSON *body = cJSON_Duplicate(json, 1);
    struct sim_obj *obj = store_add(rt, json);
    owners_record(obj, body, NULL, "dify-sim-scenario", "Update");
    cJSON_Delete(body);
    store_refresh(obj);
    if (crd_is_definition(rt))
        crd_sync();
    return obj;
}

/* ---- reading ---- */

/* The combinations of list options a real server refuses with 422 Invalid
 * (apimachinery's ValidateListOptions, with the WatchList feature on):
 * sendInitialEvents only on a watch, with resourceVersionMatch=NotOlderThan
 * and allowWatchBookmarks=true; resourceVersionMatch on a watch only with
 * sendInitialEvents. True after replying. */
static bool list_options_refused(struct req *r, struct reply *rep)
{
    const char *sie = req_arg(r, "sendInitialEvents");
    const char *match = req_arg(r, "resourceVersionMatch");
    bool watch = req_arg_true(r, "watch");
    const char *why = NULL;
    if (sie && *sie && strcmp(sie, "true") != 0 && strcmp(sie, "false") != 0)
        why = "sendInitialEvents: Invalid value: must be true or false";
    else if (sie && *sie && !watch)
        why = "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list";
    else if (sie && *sie && !str_eq(match, "NotOlderThan"))
        why = "resourceVersionMatch: Forbidden: sendInitialEvents requires setting "
              "resourceVersionMatch to NotOlderThan";
    else if (sie && *sie && !req_arg_true(r, "allowWatchBookmarks"))
        why = "allowWatchBookmarks: Forbidden: sendInitialEvents requires setting "
              "allowWatchBookmarks to true";
    else if (watch && match && *match && !(sie && *sie))
        why = "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch "
              "unless sendInitialEvents is provided";
    if (!why)
        return false;
    reply_status(rep, 422, "Invalid", NULL, NULL, "ListOptions.meta.k8s.io \"\" is invalid: %s",
                 why);
    return true;
}

static char *encode_continue(const char *key)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        strbuf_addf(&sb, "%02x", *p);
    return strbuf_detach(&sb, NULL);
}

static char *decode_continue(const char *tok)
{
    size_t n = strlen(tok);
    if (n % 2)
        return NULL;
    char *out = xmalloc(n / 2 + 1);
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(tok + 2 * i, "%2x", &v) != 1) {
            free(out);
            return NULL;
        }
        out[i] = (char)v;
    }
    out[n / 2] = '\0';
    return out;
}

/* The request's label and field selectors; NULL after replying 400 when
 * they do not parse. */
static struct selector *request_selector(struct req *r, struct reply *rep)
{
    struct error err;
    error_clear(&err);
    struct selector *sel =
        selector_parse(req_arg(r, "labelSelector"), req_arg(r, "fieldSelector"), &err);
    if (sel && selector_check_fields(sel, r->rt->kind, &err) < 0) {
        selector_free(sel);
        sel = NULL;
    }
    if (!sel)
        reply_error(rep, &err, r->rt, NULL);
    return sel;
}

/* The object as protobuf (its message, no envelope), made once per change. */
static void obj_pb(struct sim_obj *o)
{
    if (o->pb)
        return;
    struct strbuf sb;
    strbuf_init(&sb);
    bool cold = !o->tree; /* one tree at a time, however long the list */
    proto_object_raw(o->rt->kind, obj_json(o), &sb, NULL);
    if (cold)
        store_cool(o);
    o->pb = strbuf_detach(&sb, &o->pb_len);
    if (!o->pb)
        o->pb = xstrdup("");
}

static void do_list(struct req *r, struct reply *rep)
{
    struct selector *sel = request_selector(r, rep);
    if (!sel)
        return;
    long limit = req_arg(r, "limit") ? atol(req_arg(r, "limit")) : 0;
    const char *cont = req_arg(r, "continue");
    char *after = NULL;
    if (cont && *cont && !(after = decode_continue(cont))) {
        reply_status(rep, 400, "BadRequest", NULL, NULL, "continue key is not valid");
        selector_free(sel);
        return;
    }
    struct rtype *rt = r->rt;
    char *prefix = r->ns ? xasprintf("%s/", r->ns) : NULL;
    size_t i = store_lower_bound(rt, after ? after : prefix);
    if (!after && prefix && i > 0 && strcmp(rt->objs[i - 1]->key, prefix) == 0)
        i--;
    bool full = req_arg(r, "includeObject") && strcmp(req_arg(r, "includeObject"), "Object") == 0;
    cJSON *table = r->table ? table_new(rt) : NULL;
    bool pb = !table && r->proto && proto_writes(rt->kind);
    char *type_prefix = xasprintf("{\"kind\":\"%s\",\"apiVersion\":\"%s%s%s\",", rt->kind,
                                  rt->group, rt->group[0] ? "/" : "", rt->version);
    struct strbuf sb;
    strbuf_init(&sb);
    long count = 0;
    const char *last = NULL;
    bool more = false;
    /* A real server counts what is left only for a list without selectors
     * (remainingItemCount is -1 here otherwise); a page's cost is its own
     * items, not the rest of the collection. */
    long long remaining = -1;
    size_t end = prefix ? store_prefix_end(rt, prefix) : rt->n;
    for (; i < end; i++) {
        struct sim_obj *o = rt->objs[i];
        if (!selector_match_obj(sel, o))
            continue;
        if (limit > 0 && count >= limit) {
            more = true;
            if (selector_empty(sel))
                remaining = (long long)(end - i);
            break;
        }
        if (table) {
            bool cold = !o->tree; /* one tree at a time, however long the list */
            table_add_row(table, rt, obj_json(o), full);
            if (cold)
                store_cool(o);
        } else if (pb) {
            obj_pb(o);
            proto_list_item(&sb, o->pb, o->pb_len);
        } else {
            if (count)
                strbuf_addc(&sb, ',');
            /* A real server's list items carry no kind or apiVersion (the
             * list has them); the store keeps those two members first. */
            if (str_starts_with(o->cache, type_prefix)) {
                strbuf_addc(&sb, '{');
                strbuf_adds(&sb, o->cache + strlen(type_prefix));
            } else {
                strbuf_adds(&sb, o->cache);
            }
        }
        last = o->key;
        count++;
    }
    char *ctok = more && last ? encode_continue(last) : NULL;
    if (table) {
        cJSON *meta = js_obj(table, "metadata");
        char rv[32];
        snprintf(rv, sizeof(rv), "%lld", store_rv());
        js_set_str(meta, "resourceVersion", rv);
        if (ctok) {
            js_set_str(meta, "continue", ctok);
            if (remaining >= 0)
                js_set_num(meta, "remainingItemCount", (double)remaining);
        }
        reply_json(rep, 200, table);
    } else if (pb) {
        struct strbuf out;
        strbuf_init(&out);
        char av[96], rv[32];
        snprintf(av, sizeof(av), "%s%s%s", rt->group, rt->group[0] ? "/" : "", rt->version);
        snprintf(rv, sizeof(rv), "%lld", store_rv());
        proto_list(&out, av, rt->kind, rv, ctok, remaining, &sb);
        size_t len;
        char *body = strbuf_detach(&out, &len);
        reply_take(rep, 200, PROTO_MEDIA, body, len);
    } else {
        struct strbuf out;
        strbuf_init(&out);
        strbuf_addf(&out,
                    "{\"kind\":\"%sList\",\"apiVersion\":\"%s%s%s\",\"metadata\":{"
                    "\"resourceVersion\":\"%lld\"",
                    rt->kind, rt->group, rt->group[0] ? "/" : "", rt->version, store_rv());
        if (ctok)
            strbuf_addf(&out, ",\"continue\":\"%s\"", ctok);
        if (ctok && remaining >= 0)
            strbuf_addf(&out, ",\"remainingItemCount\":%lld", remaining);
        strbuf_adds(&out, "},\"items\":[");
        strbuf_add(&out, sb.buf, sb.len);
        strbuf_adds(&out, "]}");
        size_t len;
        char *body = strbuf_detach(&out, &len);
        reply_take(rep, 200, "application/json", body, len);
    }
    strbuf_done(&sb);
    free(type_prefix);
    free(ctok);
    free(prefix);
    free(after);
    selector_free(sel);
}

static void reply_object(struct req *r, struct reply *rep, int code, const cJSON *obj)
{
    if (r->table && strcmp(r->method, "GET") == 0) {
        cJSON *t = table_new(r->rt);
        table_add_row(t, r->rt, obj, false);
        reply_json(rep, code, t);
        return;
    }
    if (r->proto && strcmp(r->method, "GET") == 0 && proto_writes(r->rt->kind)) {
        struct strbuf raw, out;
        strbuf_init(&raw);
        strbuf_init(&out);
        proto_object_raw(r->rt->kind, obj, &raw, NULL);
        const char *av = kj_str(obj, "apiVersion");
        proto_envelope(&out, av ? av : "v1", r->rt->kind, raw.buf ? raw.buf : "", raw.len);
        strbuf_done(&raw);
        size_t len;
        char *body = strbuf_detach(&out, &len);
        reply_take(rep, code, PROTO_MEDIA, body, len);
        return;
    }
    reply_json(rep, code, cJSON_Duplicate(obj, 1));
}

static cJSON *scale_of(const struct sim_obj *o)
{
    cJSON *s = cJSON_CreateObject();
    js_set_str(s, "kind", "Scale");
    js_set_str(s, "apiVersion", "autoscaling/v1");
    cJSON *m = js_obj(s, "metadata");
    static const char *const keep[] = {"name", "namespace", "uid", "resourceVersion",
                                       "creationTimestamp"};
    for (size_t i = 0; i < ARRAY_LEN(keep); i++) {
        cJSON *v = kj_get_mut(obj_json(o), "metadata");
        v = cJSON_GetObjectItemCaseSensitive(v, keep[i]);
        if (v)
            js_set(m, keep[i], cJSON_Duplicate(v, 1));
    }
    js_set_num(js_obj(s, "spec"), "replicas", kj_num(obj_json(o), "spec.replicas", 1));
    cJSON *st = js_obj(s, "status");
    js_set_num(st, "replicas", kj_num(obj_json(o), "status.replicas", 0));
    struct strbuf sel;
    strbuf_init(&sel);
    const cJSON *kv;
    cJSON_ArrayForEach(kv, kj_get_mut(obj_json(o), "spec.selector.matchLabels"))
    {
        strbuf_addf(&sel, "%s%s=%s", sel.len ? "," : "", kv->string,
                    cJSON_IsString(kv) ? kv->valuestring : "");
    }
    js_set_str(st, "selector", sel.buf);
    strbuf_done(&sel);
    return s;
}

/* ---- writing ---- */

/* The request body as JSON: JSON, YAML or (for a few kinds) protobuf. */
static cJSON *parse_body(struct req *r, struct reply *rep, struct error *err)
{
    const char *ct = req_header(r, "Content-Type");
    if (ct && str_starts_with(ct, "application/vnd.kubernetes.protobuf")) {
        cJSON *j = proto_decode((const unsigned char *)r->body.buf, r->body.len, err);
        if (!j)
            reply_status(rep, (int)err->detail,
                         err->detail == 415 ? "UnsupportedMediaType" : "BadRequest", NULL, NULL,
                         "%s", err->msg);
        return j;
    }
    cJSON *j = yaml_parse(r->body.buf, r->body.len, err);
    if (!j || !cJSON_IsObject(j)) {
        reply_status(rep, 400, "BadRequest", NULL, NULL, "the request body is not an object: %s",
                     j ? "not a mapping" : err->msg);
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/* Decodes json against the kind's schema as the real server does: a wrong
 * type is a 400, an unknown field a 400 under fieldValidation=Strict and
 * dropped otherwise. apply picks server-side apply's wording. True when
 * it replied. */
static bool schema_invalid(struct req *r, struct reply *rep, cJSON *json, bool apply)
{
    const char *fv = req_arg(r, "fieldValidation");
    struct schema_problem p;
    if (r->sub || r->rt->custom ||
        schema_check(r->rt->kind, json, fv && !strcmp(fv, "Strict"), &p) == 0)
        return false;
    if (apply) {
        const char *ns = kj_str(json, "metadata.namespace") ? kj_str(json, "metadata.namespace")
                                                            : (r->ns ? r->ns : "");
        reply_status(rep, 400, "BadRequest", NULL, NULL,
                     "failed to create typed patch object (%s/%s; %s%s%s, Kind=%s): .%s: %s%s%s",
                     ns, r->name ? r->name : "", r->rt->group, r->rt->group[0] ? "/" : "",
                     r->rt->version, r->rt->kind, p.path,
                     p.unknown ? "field not declared in schema" : "expected ",
                     p.unknown ? "" : p.want, p.unknown ? "" : "");
        return true;
    }
    if (p.unknown)
        reply_status(rep, 400, "BadRequest", NULL, NULL,
                     "%s in version \"%s\" cannot be handled as a %s: strict decoding error: "
                     "unknown field \"%s\"",
                     r->rt->kind, r->rt->version, r->rt->kind, p.path);
    else
        reply_status(rep, 400, "BadRequest", NULL, NULL,
                     "%s in version \"%s\" cannot be handled as a %s: json: cannot unmarshal %s "
                     "into Go struct field %s of type %s",
                     r->rt->kind, r->rt->version, r->rt->kind, p.got, p.gopath, p.want);
    return true;
}

static void do_create(struct req *r, struct reply *rep)
{
    struct error err;
    error_clear(&err);
    cJSON *json = parse_body(r, rep, &err);
    if (!json)
        return;
    if (schema_invalid(r, rep, json, false)) {
        cJSON_Delete(json);
        return;
    }
    const char *kind = kj_str(json, "kind");
    if (kind && strcmp(kind, r->rt->kind) != 0) {
        reply_status(rep, 400, "BadRequest", NULL, NULL,
                     "the API version in the data (%s) does not match the expected API version "
                     "or kind (%s)",
                     kind, r->rt->kind);
        cJSON_Delete(json);
        return;
    }
    if (validate_new(r->rt, json, r->ns, &err) < 0) {
        reply_error(rep, &err, r->rt, kj_str(json, "metadata.name"));
        cJSON_Delete(json);
        return;
    }
    api_defaults(r->rt, json);
    if (object_invalid(rep, r->rt, json)) {
        cJSON_Delete(json);
        return;
    }
    if (dry_run(r)) {
        js_set_str(js_obj(json, "metadata"), "uid", "00000000-0000-0000-0000-000000000000");
        reply_json(rep, 201, json);
        return;
    }
    cJSON *body = cJSON_Duplicate(json, 1);
    struct sim_obj *obj = store_add(r->rt, json);
    owners_record(obj, body, NULL, manager_of(r), "Update");
    cJSON_Delete(body);
    store_refresh(obj);
    reply_object(r, rep, 201, obj_json(obj));
}

/* Replies 422 when json is not a valid object of its kind; true then. */
static bool object_invalid(struct reply *rep, const struct rtype *rt, const cJSON *json)
{
    struct ferrs e = {0};
    validate_object(rt, json, &e);
    if (e.n)
        reply_invalid(rep, rt, kj_str(json, "metadata.name"), &e);
    bool bad = e.n > 0;
    ferrs_free(&e);
    return bad;
}

/* Replies 422 when next may not replace obj (immutable fields, or not a
 * valid object); true then. */
static bool update_invalid(struct reply *rep, const struct sim_obj *obj, const cJSON *next)
{
    struct ferrs e = {0};
    validate_object(obj->rt, next, &e);
    validate_update(obj->rt, obj_json(obj), next, &e);
    if (e.n)
        reply_invalid(rep, obj->rt, obj_name(obj), &e);
    bool bad = e.n > 0;
    ferrs_free(&e);
    return bad;
}

/* Stores new (taken) as the next version of obj, honouring the subresource:
 * a status write keeps the spec, a main write keeps the status. */
static void write_object(struct req *r, struct reply *rep, struct sim_obj *obj, cJSON *json,
                         const char *operation)
{
    bool status_sub = r->sub && strcmp(r->sub, "status") == 0;
    if (obj->rt->has_status) {
        cJSON *keep = cJSON_GetObjectItemCaseSensitive(status_sub ? json : obj_json(obj), "status");
        cJSON *base = cJSON_Duplicate(status_sub ? obj_json(obj) : json, 1);
        if (keep)
            js_set(base, "status", cJSON_Duplicate(keep, 1));
        else
            cJSON_DeleteItemFromObjectCaseSensitive(base, "status");
        cJSON_Delete(json);
        json = base;
    }
    if (!status_sub && update_invalid(rep, obj, json)) {
        cJSON_Delete(json);
        return;
    }
    if (dry_run(r)) {
        reply_json(rep, 200, json);
        return;
    }
    cJSON *before = obj_json(obj);
    obj->tree = cJSON_Duplicate(before, 1);
    store_replace(obj, json);
    owners_record(obj, NULL, before, manager_of(r), operation);
    cJSON_Delete(before);
    store_refresh(obj);
    reply_object(r, rep, 200, obj_json(obj));
}

static void do_update(struct req *r, struct reply *rep, struct sim_obj *obj)
{
    struct error err;
    error_clear(&err);
    cJSON *json = parse_body(r, rep, &err);
    if (!json)
        return;
    if (schema_invalid(r, rep, json, false)) {
        cJSON_Delete(json);
        return;
    }
    char rn[96];
    const char *name = kj_str(json, "metadata.name");
    const char *rv = kj_str(json, "metadata.resourceVersion");
    if (r->sub && strcmp(r->sub, "scale") == 0) {
        if (rv && strcmp(rv, kj_str(obj_json(obj), "metadata.resourceVersion")) != 0) {
            reply_status(rep, 409, "Conflict", r->rt->plural, obj_name(obj),
                         "Operation cannot be fulfilled on %s \"%s\": the object has been "
                         "modified; please apply your changes to the latest version and try "
                         "again",
                         resource_name(r->rt, rn, sizeof(rn)), obj_name(obj));
            cJSON_Delete(json);
            return;
        }
        cJSON *next = cJSON_Duplicate(obj_json(obj), 1);
        js_set_num(js_obj(next, "spec"), "replicas", kj_num(json, "spec.replicas", 1));
        cJSON_Delete(json);
        write_object(r, rep, obj, next, "Update");
        reply_json(rep, 200, scale_of(obj));
        return;
    }
    if (!name || strcmp(name, r->name) != 0) {
        reply_status(rep, 400, "BadRequest", r->rt->plural, r->name,
                     "the name of the object (%s) does not match the name on the URL (%s)",
                     name ? name : "", r->name);
        cJSON_Delete(json);
        return;
    }
    if (rv && strcmp(rv, kj_str(obj_json(obj), "metadata.resourceVersion")) != 0) {
        reply_status(rep, 409, "Conflict", r->rt->plural, r->name,
                     "Operation cannot be fulfilled on %s \"%s\": the object has been modified; "
                     "please apply your changes to the latest version and try again",
                     resource_name(r->rt, rn, sizeof(rn)), r->name);
        cJSON_Delete(json);
        return;
    }
    write_object(r, rep, obj, json, "Update");
}

static void do_patch(struct req *r, struct reply *rep, struct sim_obj *obj)
{
    const char *ct = req_header(r, "Content-Type");
    struct error err;
    error_clear(&err);
    if (!ct) {
        reply_status(rep, 415, "UnsupportedMediaType", NULL, NULL, "a patch needs a Content-Type");
        return;
    }
    bool apply = str_starts_with(ct, "application/apply-patch");
    bool json_p = str_starts_with(ct, "application/json-patch+json");
    bool strategic = str_starts_with(ct, "application/strategic-merge-patch+json");
    bool merge = str_starts_with(ct, "application/merge-patch+json");
    if (!apply && !json_p && !strategic && !merge) {
        reply_status(rep, 415, "UnsupportedMediaType", NULL, NULL,
                     "the body of the request was in an unknown format - accepted media types "
                     "include: application/json-patch+json, application/merge-patch+json, "
                     "application/apply-patch+yaml, application/strategic-merge-patch+json");
        return;
    }
    cJSON *patch = apply ? yaml_parse(r->body.buf, r->body.len, &err)
                         : cJSON_ParseWithLength(r->body.buf, r->body.len);
    if (!patch) {
        reply_status(rep, 400, "BadRequest", NULL, NULL, "the patch does not parse: %s",
                     apply ? err.msg : "invalid JSON");
        return;
    }
    bool is_scale = r->sub && strcmp(r->sub, "scale") == 0;
    if (apply && (!cJSON_IsObject(patch) || schema_invalid(r, rep, patch, true))) {
        if (!cJSON_IsObject(patch))
            reply_status(rep, 400, "BadRequest", NULL, NULL, "the patch is not an object");
        cJSON_Delete(patch);
        return;
    }
    if (apply) {
        const char *manager = req_arg(r, "fieldManager");
        if (!manager || !*manager) {
            reply_status(rep, 400, "BadRequest", NULL, NULL,
                         "PATCH, application/apply-patch+yaml: fieldManager is required");
            cJSON_Delete(patch);
            return;
        }
        if (!obj && !r->sub) {
            js_set_str(js_obj(patch, "metadata"), "name", r->name);
            if (validate_new(r->rt, patch, r->ns, &err) < 0) {
                reply_error(rep, &err, r->rt, r->name);
                cJSON_Delete(patch);
                return;
            }
            /* what the applier owns is what it sent, not the defaults */
            cJSON *body = cJSON_Duplicate(patch, 1);
            api_defaults(r->rt, patch);
            if (object_invalid(rep, r->rt, patch)) {
                cJSON_Delete(body);
                cJSON_Delete(patch);
                return;
            }
            if (dry_run(r)) {
                cJSON_Delete(body);
                reply_json(rep, 201, patch);
                return;
            }
            struct sim_obj *created = store_add(r->rt, patch);
            owners_record(created, body, NULL, manager, "Apply");
            cJSON_Delete(body);
            store_refresh(created);
            reply_object(r, rep, 201, obj_json(created));
            return;
        }
        if (!obj) {
            not_found(rep, r->rt, r->name);
            cJSON_Delete(patch);
            return;
        }
        cJSON *next = apply_ssa(obj, patch, manager, req_arg_true(r, "force"), &err);
        if (!next) {
            reply_status(rep, 409, "Conflict", r->rt->plural, r->name, "%s", err.msg);
            cJSON_Delete(patch);
            return;
        }
        api_defaults(r->rt, next);
        if (update_invalid(rep, obj, next)) {
            cJSON_Delete(patch);
            cJSON_Delete(next);
            return;
        }
        if (dry_run(r)) {
            cJSON_Delete(patch);
            reply_json(rep, 200, next);
            return;
        }
        cJSON *before = obj_json(obj);
        obj->tree = cJSON_Duplicate(before, 1);
        store_replace(obj, next);
        owners_record(obj, patch, before, manager, "Apply");
        cJSON_Delete(before);
        store_refresh(obj);
        cJSON_Delete(patch);
        reply_object(r, rep, 200, obj_json(obj));
        return;
    }
    if (!obj) {
        not_found(rep, r->rt, r->name);
        cJSON_Delete(patch);
        return;
    }
    cJSON *target = is_scale ? scale_of(obj) : cJSON_Duplicate(obj_json(obj), 1);
    if (json_p) {
        if (json_patch(target, patch, &err) < 0) {
            reply_error(rep, &err, r->rt, r->name);
            cJSON_Delete(patch);
            cJSON_Delete(target);
            return;
        }
    } else {
        merge_patch(target, patch, strategic);
    }
    cJSON_Delete(patch);
    if (!is_scale && schema_invalid(r, rep, target, false)) {
        cJSON_Delete(target);
        return;
    }
    const char *rv = kj_str(target, "metadata.resourceVersion");
    if (rv && strcmp(rv, kj_str(obj_json(obj), "metadata.resourceVersion")) != 0) {
        char rn[96];
        reply_status(rep, 409, "Conflict", r->rt->plural, r->name,
                     "Operation cannot be fulfilled on %s \"%s\": the object has been modified; "
                     "please apply your changes to the latest version and try again",
                     resource_name(r->rt, rn, sizeof(rn)), r->name);
        cJSON_Delete(target);
        return;
    }
    if (is_scale) {
        cJSON *next = cJSON_Duplicate(obj_json(obj), 1);
        js_set_num(js_obj(next, "spec"), "replicas", kj_num(target, "spec.replicas", 1));
        cJSON_Delete(target);
        write_object(r, rep, obj, next, "Update");
        reply_json(rep, 200, scale_of(obj));
        return;
    }
    api_defaults(r->rt, target);
    write_object(r, rep, obj, target, "Update");
}

static int obj_key_cmp(const void *a, const void *b)
{
    return strcmp((*(struct sim_obj *const *)a)->key, (*(struct sim_obj *const *)b)->key);
}

void api_delete(struct sim_obj *obj, long grace_seconds, const char *propagation)
{
    struct rtype *rt = obj->rt;
    if (propagation && strcmp(propagation, "Orphan") == 0) {
        const char *uid = obj_uid(obj);
        for (size_t t = 0; t < sim_rtypes_n; t++) {
            /* the kind's owned objects, chosen first (a commit takes one out
             * of ort->owned) and changed in the store's order */
            struct rtype *ort = &sim_rtypes[t];
            struct sim_obj **kids = NULL;
            size_t nk = 0;
            for (size_t i = 0; i < ort->n_owned; i++)
                if (str_eq(obj_owner_uid(ort->owned[i]), uid)) {
                    kids = xrealloc(kids, (nk + 1) * sizeof(*kids));
                    kids[nk++] = ort->owned[i];
                }
            if (nk > 1)
                qsort(kids, nk, sizeof(*kids), obj_key_cmp);
            for (size_t i = 0; i < nk; i++) {
                cJSON_DeleteItemFromObjectCaseSensitive(js_obj(obj_json(kids[i]), "metadata"),
                                                        "ownerReferences");
                store_commit(kids[i]);
            }
            free(kids);
        }
    }
    if (obj->deleting_ms && (strcmp(rt->plural, "pods") != 0 || grace_seconds != 0))
        return; /* already on its way out */
    if (propagation && strcmp(propagation, "Foreground") == 0 &&
        strcmp(rt->plural, "namespaces") != 0 && strcmp(rt->plural, "pods") != 0) {
        /* The object stays, terminating, with the foregroundDeletion
         * finalizer until the collector has removed its dependents
         * (controllers.c); writes to it meanwhile change it, as on a real
         * server, and it goes away all the same. */
        char ts[32];
        sim_timestamp(ts, 0);
        cJSON *meta = js_obj(obj_json(obj), "metadata");
        js_set_str(meta, "deletionTimestamp", ts);
        js_set_num(meta, "deletionGracePeriodSeconds", 0);
        cJSON *fin = cJSON_GetObjectItemCaseSensitive(meta, "finalizers");
        if (!cJSON_IsArray(fin)) {
            fin = cJSON_CreateArray();
            js_set(meta, "finalizers", fin);
        }
        cJSON_AddItemToArray(fin, cJSON_CreateString("foregroundDeletion"));
        if (rt->has_generation) /* a graceful deletion bumps generation */
            js_set_num(meta, "generation", kj_num(meta, "generation", 1) + 1);
        obj->deleting_ms = now_ms();
        store_commit(obj);
        return;
    }
    bool graceful = (strcmp(rt->plural, "pods") == 0 && grace_seconds != 0 && obj->node) ||
                    strcmp(rt->plural, "namespaces") == 0;
    if (!graceful && !api_has_finalizers(obj)) {
        store_remove(obj);
        return;
    }
    if (!graceful) {
        /* Finalizers hold it: terminating until they are all removed. */
        char ts[32];
        sim_timestamp(ts, 0);
        cJSON *meta = js_obj(obj_json(obj), "metadata");
        js_set_str(meta, "deletionTimestamp", ts);
        js_set_num(meta, "deletionGracePeriodSeconds", 0);
        if (rt->has_generation)
            js_set_num(meta, "generation", kj_num(meta, "generation", 1) + 1);
        obj->deleting_ms = now_ms();
        store_commit(obj);
        return;
    }
    char ts[32];
    long grace = grace_seconds >= 0
                     ? grace_seconds
                     : (long)kj_num(obj_json(obj), "spec.terminationGracePeriodSeconds", 30);
    sim_timestamp(ts, 0);
    cJSON *meta = js_obj(obj_json(obj), "metadata");
    js_set_str(meta, "deletionTimestamp", ts);
    if (strcmp(rt->plural, "pods") == 0)
        js_set_num(meta, "deletionGracePeriodSeconds", (double)grace);
    else
        js_set_str(js_obj(obj_json(obj), "status"), "phase", "Terminating");
    obj->deleting_ms = now_ms();
    store_commit(obj);
}

bool api_has_finalizers(const struct sim_obj *obj)
{
    return cJSON_GetArraySize(kj_get_mut(obj_json(obj), "metadata.finalizers")) > 0;
}

static bool has_finalizer(const struct sim_obj *obj, const char *name)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, kj_get_mut(obj_json(obj), "metadata.finalizers"))
    {
        if (cJSON_IsString(f) && strcmp(f->valuestring, name) == 0)
            return true;
    }
    return false;
}

bool api_foreground_pending(const struct sim_obj *obj)
{
    return obj->deleting_ms && has_finalizer(obj, "foregroundDeletion");
}

static int uid_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Pods and namespaces are not finished here (pods_tick, the namespace
 * controller). */
static bool foreground_kind(const struct rtype *rt)
{
    return strcmp(rt->plural, "pods") != 0 && strcmp(rt->plural, "namespaces") != 0;
}

void api_foreground_finish(void)
{
    /* nothing to do (the common case) unless something is being deleted */
    bool any = false;
    for (size_t t = 0; t < sim_rtypes_n && !any; t++)
        for (size_t i = 0; foreground_kind(&sim_rtypes[t]) && i < sim_rtypes[t].n; i++)
            if (sim_rtypes[t].objs[i]->deleting_ms) {
                any = true;
                break;
            }
    if (!any)
        return;
    /* every uid some object names as an owner */
    const char **owned = NULL;
    size_t n = 0;
    for (size_t t = 0; t < sim_rtypes_n; t++)
        for (size_t i = 0; i < sim_rtypes[t].n_owned; i++) {
            for (const char *uid = sim_rtypes[t].owned[i]->refs; uid && *uid;
                 uid += strlen(uid) + 1) {
                owned = xrealloc(owned, (n + 1) * sizeof(*owned));
                owned[n++] = uid;
            }
        }
    qsort(owned, n, sizeof(*owned), uid_cmp);
    /* chosen first, changed after: owned points into the objects */
    struct sim_obj **done = NULL;
    size_t nd = 0;
    for (size_t t = 0; t < sim_rtypes_n; t++)
        for (size_t i = 0; i < sim_rtypes[t].n; i++) {
            struct sim_obj *o = sim_rtypes[t].objs[i];
            const char *uid = obj_uid(o);
            if (!o->deleting_ms || !foreground_kind(o->rt))
                continue;
            if (api_foreground_pending(o) && uid && n &&
                bsearch(&uid, owned, n, sizeof(*owned), uid_cmp))
                continue; /* dependents left */
            done = xrealloc(done, (nd + 1) * sizeof(*done));
            done[nd++] = o;
        }
    free(owned);
    for (size_t i = 0; i < nd; i++) {
        struct sim_obj *o = done[i];
        if (api_foreground_pending(o)) {
            /* the collector removes its own finalizer ... */
            cJSON *fin = kj_get_mut(obj_json(o), "metadata.finalizers");
            for (int k = cJSON_GetArraySize(fin) - 1; k >= 0; k--)
                if (str_eq(cJSON_GetArrayItem(fin, k)->valuestring, "foregroundDeletion"))
                    cJSON_DeleteItemFromArray(fin, k);
            if (api_has_finalizers(o))
                store_commit(o);
        }
        /* ... and an object whose finalizers are all gone goes */
        if (!api_has_finalizers(o))
            store_remove(o);
    }
    free(done);
}

static void delete_options(struct req *r, long *grace, const char **prop, cJSON **opts)
{
    *grace = -1;
    *prop = req_arg(r, "propagationPolicy");
    if (req_arg(r, "gracePeriodSeconds"))
        *grace = atol(req_arg(r, "gracePeriodSeconds"));
    *opts = r->body.len ? cJSON_ParseWithLength(r->body.buf, r->body.len) : NULL;
    if (*opts) {
        if (kj_str(*opts, "propagationPolicy"))
            *prop = kj_str(*opts, "propagationPolicy");
        if (cJSON_IsNumber(kj_get_mut(*opts, "gracePeriodSeconds")))
            *grace = (long)kj_num(*opts, "gracePeriodSeconds", -1);
    }
}

static void do_delete(struct req *r, struct reply *rep, struct sim_obj *obj)
{
    long grace;
    const char *prop;
    cJSON *opts;
    delete_options(r, &grace, &prop, &opts);
    /* batch/v1 Jobs orphan their pods unless told otherwise, for backward
     * compatibility (pkg/registry/batch/job DefaultGarbageCollectionPolicy);
     * kubectl always sends a policy. */
    if (!prop && strcmp(r->rt->kind, "Job") == 0)
        prop = "Orphan";
    cJSON *copy = cJSON_Duplicate(obj_json(obj), 1);
    if (!dry_run(r)) {
        bool stays = strcmp(r->rt->plural, "namespaces") == 0 ||
                     (strcmp(r->rt->plural, "pods") == 0 && grace != 0 && obj->node) ||
                     str_eq(prop, "Foreground");
        api_delete(obj, grace, prop);
        if (stays) {
            cJSON_Delete(copy);
            copy = cJSON_Duplicate(obj_json(obj), 1);
        }
    }
    cJSON_Delete(opts);
    reply_json(rep, 200, copy);
}

static void do_delete_collection(struct req *r, struct reply *rep)
{
    struct selector *sel = request_selector(r, rep);
    if (!sel)
        return;
    long grace;
    const char *prop;
    cJSON *opts;
    delete_options(r, &grace, &prop, &opts);
    struct strbuf sb;
    strbuf_init(&sb);
    int count = 0;
    for (size_t i = 0; i < r->rt->n;) {
        struct sim_obj *o = r->rt->objs[i];
        size_t before = r->rt->n;
        if ((!r->ns || str_eq(obj_ns(o), r->ns)) && selector_match_obj(sel, o)) {
            strbuf_addf(&sb, "%s%s", count++ ? "," : "", o->cache);
            if (!dry_run(r))
                api_delete(o, grace, prop);
        }
        if (r->rt->n == before)
            i++;
    }
    cJSON_Delete(opts);
    selector_free(sel);
    char *body = xasprintf("{\"kind\":\"%sList\",\"apiVersion\":\"%s%s%s\",\"metadata\":{"
                           "\"resourceVersion\":\"%lld\"},\"items\":[%s]}",
                           r->rt->kind, r->rt->group, r->rt->group[0] ? "/" : "", r->rt->version,
                           store_rv(), sb.buf);
    strbuf_done(&sb);
    reply_take(rep, 200, "application/json", body, strlen(body));
}

void api_handle(struct req *r, struct reply *rep)
{
    if (r->sub && strcmp(r->sub, "status") != 0 && strcmp(r->sub, "scale") != 0 &&
        strcmp(r->sub, "finalize") != 0) {
        reply_status(rep, 404, "NotFound", NULL, NULL,
                     "the server could not find the requested resource (%s %s)", r->rt->plural,
                     r->sub);
        return;
    }
    if (r->sub && strcmp(r->sub, "scale") == 0 && !r->rt->has_scale) {
        reply_status(rep, 404, "NotFound", NULL, NULL,
                     "the server could not find the requested resource");
        return;
    }
    if (r->rt->namespaced && !r->ns && r->name) {
        reply_status(rep, 404, "NotFound", NULL, NULL,
                     "the server could not find the requested resource");
        return;
    }
    bool is_get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
    if (is_get && !r->name && list_options_refused(r, rep))
        return;
    if (is_get && !r->name && req_arg_true(r, "watch")) {
        watch_start(r, rep);
        return;
    }
    pthread_mutex_lock(&sim_lock);
    if (!r->rt->served) { /* its definition was deleted since the path was read */
        reply_status(rep, 404, "NotFound", NULL, NULL,
                     "the server could not find the requested resource");
        pthread_mutex_unlock(&sim_lock);
        return;
    }
    struct sim_obj *obj = r->name ? store_get(r->rt, r->ns, r->name) : NULL;
    if (is_get) {
        if (!r->name)
            do_list(r, rep);
        else if (!obj)
            not_found(rep, r->rt, r->name);
        else if (r->sub && strcmp(r->sub, "scale") == 0)
            reply_json(rep, 200, scale_of(obj));
        else
            reply_object(r, rep, 200, obj_json(obj));
    } else if (strcmp(r->method, "POST") == 0 && !r->name) {
        do_create(r, rep);
    } else if (strcmp(r->method, "PUT") == 0 && r->name) {
        if (!obj)
            not_found(rep, r->rt, r->name);
        else
            do_update(r, rep, obj);
    } else if (strcmp(r->method, "PATCH") == 0 && r->name) {
        do_patch(r, rep, obj);
    } else if (strcmp(r->method, "DELETE") == 0) {
        if (!r->name)
            do_delete_collection(r, rep);
        else if (!obj)
            not_found(rep, r->rt, r->name);
        else
            do_delete(r, rep, obj);
    } else {
        reply_status(rep, 405, "MethodNotAllowed", NULL, NULL, "%s is not supported here",
                     r->method);
    }
    if (crd_is_definition(r->rt))
        crd_sync(); /* its kinds are served as soon as the definition is stored */
    store_trim();
    pthread_mutex_unlock(&sim_lock);
}
