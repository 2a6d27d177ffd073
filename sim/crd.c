/* sim/crd.c: CustomResourceDefinitions and their instances (see crd.h). The
 * rules follow apiextensions-apiserver's validation in outline
 * (pkg/apis/apiextensions/validation): the name is PLURAL.GROUP, the group a
 * domain with a dot, a scope, names, exactly one storage version; and an
 * instance's types and required fields against its structural schema. */
#include "config.h"

#include "sim/crd.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sim/api.h"
#include "sim/controllers.h"
#include "sim/store.h"
#include "sim/validate.h"

#define CRD_GROUP "apiextensions.k8s.io"

bool crd_is_definition(const struct rtype *rt)
{
    return rt && strcmp(rt->group, CRD_GROUP) == 0 &&
           strcmp(rt->plural, "customresourcedefinitions") == 0;
}

/* ---- validating a definition ---- */

static bool dns_subdomain(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 253 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
        return false;
    for (const char *p = s; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' && *p != '.')
            return false;
    return true;
}

static void quoted(char *out, size_t n, const char *s)
{
    snprintf(out, n, "\"%s\"", s ? s : "");
}

void crd_validate_definition(const cJSON *crd, struct ferrs *e)
{
    const char *group = kj_str(crd, "spec.group");
    const char *plural = kj_str(crd, "spec.names.plural");
    const char *kind = kj_str(crd, "spec.names.kind");
    const char *scope = kj_str(crd, "spec.scope");
    const char *name = kj_str(crd, "metadata.name");
    char v[300];
    if (!group || !*group)
        ferrs_add(e, FERR_REQUIRED, "spec.group", NULL, NULL);
    else if (!dns_subdomain(group) || !strchr(group, '.')) {
        quoted(v, sizeof(v), group);
        ferrs_add(e, FERR_INVALID, "spec.group", v, "should be a domain with at least one dot");
    }
    if (!plural || !*plural)
        ferrs_add(e, FERR_REQUIRED, "spec.names.plural", NULL, NULL);
    if (!kind || !*kind)
        ferrs_add(e, FERR_REQUIRED, "spec.names.kind", NULL, NULL);
    if (!str_eq(scope, "Namespaced") && !str_eq(scope, "Cluster")) {
        quoted(v, sizeof(v), scope);
        ferrs_add(e, FERR_NOT_SUPPORTED, "spec.scope", v,
                  "supported values: \"Cluster\", \"Namespaced\"");
    }
    if (group && plural && name) {
        char want[300];
        snprintf(want, sizeof(want), "%s.%s", plural, group);
        if (strcmp(name, want) != 0) {
            quoted(v, sizeof(v), name);
            ferrs_add(e, FERR_INVALID, "metadata.name", v,
                      "must be spec.names.plural+\".\"+spec.group");
        }
    }
    const cJSON *versions = kj_get(crd, "spec.versions"), *ver;
    int storage = 0, i = 0;
    cJSON_ArrayForEach(ver, versions)
    {
        char field[64];
        const char *vn = kj_str(ver, "name");
        snprintf(field, sizeof(field), "spec.versions[%d].name", i);
        if (!vn || !*vn)
            ferrs_add(e, FERR_REQUIRED, field, NULL, NULL);
        else if (!dns_subdomain(vn) || strchr(vn, '.')) {
            quoted(v, sizeof(v), vn);
            ferrs_add(e, FERR_INVALID, field, v, "a DNS-1035 label is required");
        }
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ver, "storage")))
            storage++;
        i++;
    }
    if (i == 0)
        ferrs_add(e, FERR_INVALID, "spec.versions", "null", "must have exactly one version");
    else if (storage != 1)
        ferrs_add(e, FERR_INVALID, "spec.versions", NULL,
                  "must have exactly one version marked as storage version");
}

void crd_validate_update(const cJSON *old, const cJSON *new, struct ferrs *e)
{
    static const char *const fixed[] = {"spec.group", "spec.scope", "spec.names.plural"};
    for (size_t i = 0; i < ARRAY_LEN(fixed); i++) {
        const char *a = kj_str(old, fixed[i]), *b = kj_str(new, fixed[i]);
        if (a && !str_eq(a, b)) {
            char v[300];
            quoted(v, sizeof(v), b);
            ferrs_add(e, FERR_INVALID, fixed[i], v, "field is immutable");
        }
    }
}

/* ---- validating an instance against its schema ---- */

static const char *json_type(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "string";
    if (cJSON_IsNumber(v))
        return v->valuedouble == (double)(long long)v->valuedouble ? "integer" : "number";
    if (cJSON_IsBool(v))
        return "boolean";
    if (cJSON_IsArray(v))
        return "array";
    if (cJSON_IsObject(v))
        return "object";
    return "null";
}

static bool type_ok(const char *want, const cJSON *v)
{
    const char *got = json_type(v);
    if (strcmp(want, "number") == 0)
        return cJSON_IsNumber(v);
    return strcmp(want, got) == 0;
}

static void check_value(const cJSON *schema, const cJSON *v, const char *path, struct ferrs *e,
                        bool root);

static void check_object(const cJSON *schema, const cJSON *v, const char *path, struct ferrs *e,
                         bool root)
{
    const cJSON *req;
    cJSON_ArrayForEach(req, cJSON_GetObjectItemCaseSensitive(schema, "required"))
    {
        if (!cJSON_IsString(req) || cJSON_GetObjectItemCaseSensitive(v, req->valuestring))
            continue;
        char *f = *path ? xasprintf("%s.%s", path, req->valuestring) : xstrdup(req->valuestring);
        ferrs_add(e, FERR_REQUIRED, f, NULL, NULL);
        free(f);
    }
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
    const cJSON *m;
    cJSON_ArrayForEach(m, v)
    {
        /* the server checks an object's metadata itself */
        if (root && (!strcmp(m->string, "apiVersion") || !strcmp(m->string, "kind") ||
                     !strcmp(m->string, "metadata")))
            continue;
        const cJSON *sub = cJSON_GetObjectItemCaseSensitive(props, m->string);
        if (!sub && cJSON_IsObject(extra))
            sub = extra;
        if (!sub)
            continue;
        char *f = *path ? xasprintf("%s.%s", path, m->string) : xstrdup(m->string);
        check_value(sub, m, f, e, false);
        free(f);
    }
}

static void check_value(const cJSON *schema, const cJSON *v, const char *path, struct ferrs *e,
                        bool root)
{
    const char *type = kj_str(schema, "type");
    if (cJSON_IsNull(v) && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(schema, "nullable")))
        return;
    if (type && !type_ok(type, v)) {
        char got[32], detail[512];
        snprintf(got, sizeof(got), "\"%s\"", json_type(v));
        snprintf(detail, sizeof(detail), "%s in body must be of type %s: \"%s\"", path, type,
                 json_type(v));
        ferrs_add(e, FERR_INVALID, path, got, "%s", detail);
        return;
    }
    if (cJSON_IsObject(v)) {
        check_object(schema, v, path, e, root);
    } else if (cJSON_IsArray(v)) {
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items");
        const cJSON *it;
        int i = 0;
        cJSON_ArrayForEach(it, v)
        {
            char *f = xasprintf("%s[%d]", path, i++);
            if (cJSON_IsObject(items))
                check_value(items, it, f, e, false);
            free(f);
        }
    }
}

void crd_validate_instance(const struct rtype *rt, const cJSON *obj, struct ferrs *e)
{
    if (rt->schema)
        check_value(rt->schema, obj, "", e, true);
}

/* ---- serving the defined kinds ---- */

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* The slot of group/version/plural: the one it had before, else a new one. */
static struct rtype *slot_for(const char *group, const char *version, const char *plural)
{
    for (size_t i = SIM_RTYPES_BUILTIN; i < sim_rtypes_n; i++) {
        struct rtype *rt = &sim_rtypes[i];
        if (!strcmp(rt->group, group) && !strcmp(rt->version, version) &&
            !strcmp(rt->plural, plural))
            return rt;
    }
    if (sim_rtypes_n == SIM_RTYPES_MAX)
        return NULL;
    struct rtype *rt = &sim_rtypes[sim_rtypes_n];
    memset(rt, 0, sizeof(*rt));
    rt->group = xstrdup(group);
    rt->version = xstrdup(version);
    rt->plural = xstrdup(plural);
    rt->custom = true;
    rt->has_generation = true;
    /* filled before it is counted: readers hold sim_lock, but keep it whole */
    __atomic_store_n(&sim_rtypes_n, sim_rtypes_n + 1, __ATOMIC_RELEASE);
    return rt;
}

/* A string field of the slot, replaced only when it changed; the old text is
 * kept (a request thread may have read the pointer before taking the lock). */
static void set_text(const char **field, const char *v)
{
    if (!*field || strcmp(*field, v) != 0)
        *field = xstrdup(v);
}

/* Serves the versions of one definition; marks the slots it covers. */
static void serve(const cJSON *crd, bool *covered)
{
    const char *group = kj_str(crd, "spec.group");
    const char *plural = kj_str(crd, "spec.names.plural");
    const char *kind = kj_str(crd, "spec.names.kind");
    if (!group || !plural || !kind)
        return;
    char singular[256];
    snprintf(singular, sizeof(singular), "%s", or_empty(kj_str(crd, "spec.names.singular")));
    if (!singular[0])
        for (size_t i = 0; kind[i] && i + 1 < sizeof(singular); i++)
            singular[i] = (char)tolower((unsigned char)kind[i]), singular[i + 1] = '\0';
    struct strbuf shorts;
    strbuf_init(&shorts);
    const cJSON *s;
    cJSON_ArrayForEach(s, kj_get(crd, "spec.names.shortNames"))
    {
        if (cJSON_IsString(s))
            strbuf_addf(&shorts, "%s%s", shorts.len ? "," : "", s->valuestring);
    }
    const cJSON *ver;
    cJSON_ArrayForEach(ver, kj_get(crd, "spec.versions"))
    {
        const char *vn = kj_str(ver, "name");
        if (!vn || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ver, "served")))
            continue;
        struct rtype *rt = slot_for(group, vn, plural);
        if (!rt)
            continue; /* more kinds than the table holds: not served */
        covered[rt - sim_rtypes] = true;
        set_text(&rt->singular, singular);
        set_text(&rt->kind, kind);
        set_text(&rt->short_names, shorts.buf);
        bool nsd = str_eq(kj_str(crd, "spec.scope"), "Namespaced");
        if (rt->n && rt->namespaced != nsd)
            while (rt->n) /* the scope is immutable; a new definition of the same name */
                store_remove(rt->objs[rt->n - 1]);
        rt->namespaced = nsd;
        rt->has_status = kj_get(ver, "subresources.status") != NULL;
        rt->has_scale = false;
        const cJSON *schema = kj_get(ver, "schema.openAPIV3Schema");
        if (!cJSON_Compare(schema, rt->schema, 1)) {
            cJSON_Delete(rt->schema);
            rt->schema = schema ? cJSON_Duplicate(schema, 1) : NULL;
        }
        rt->served = true;
    }
    strbuf_done(&shorts);
}

/* NamesAccepted and Established, the accepted names and the stored version. */
static void establish(struct sim_obj *o)
{
    const cJSON *crd = obj_json(o);
    const cJSON *old = kj_get(crd, "status");
    cJSON *st = cJSON_CreateObject();
    set_cond(st, old, "NamesAccepted", "True", "NoConflicts", "no conflicts found", false);
    set_cond(st, old, "Established", "True", "InitialNamesAccepted",
             "the initial names have been accepted", false);
    /* a CRD's conditions carry no lastUpdateTime */
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(st, "conditions"))
    {
        cJSON_DeleteItemFromObjectCaseSensitive((cJSON *)c, "lastUpdateTime");
    }
    cJSON *names = cJSON_Duplicate(kj_get(crd, "spec.names"), 1);
    if (!names)
        names = cJSON_CreateObject();
    if (!kj_str(names, "singular") && kj_str(names, "kind")) {
        char *low = xstrdup(kj_str(names, "kind"));
        for (char *p = low; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        js_set_str(names, "singular", low);
        free(low);
    }
    if (!kj_str(names, "listKind") && kj_str(names, "kind")) {
        char *lk = xasprintf("%sList", kj_str(names, "kind"));
        js_set_str(names, "listKind", lk);
        free(lk);
    }
    js_set(st, "acceptedNames", names);
    cJSON *stored = cJSON_CreateArray();
    const cJSON *ver;
    cJSON_ArrayForEach(ver, kj_get(crd, "spec.versions"))
    {
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ver, "storage")) && kj_str(ver, "name"))
            cJSON_AddItemToArray(stored, cJSON_CreateString(kj_str(ver, "name")));
    }
    js_set(st, "storedVersions", stored);
    set_status(o, st);
}

void crd_sync(void)
{
    static unsigned long seen_gen = (unsigned long)-1;
    struct rtype *crt = store_rtype(CRD_GROUP, "customresourcedefinitions");
    if (!crt || crt->gen == seen_gen)
        return;
    bool covered[SIM_RTYPES_MAX] = {false};
    for (size_t i = 0; i < crt->n; i++) {
        struct sim_obj *o = crt->objs[i];
        if (o->deleting_ms)
            continue;
        serve(obj_json(o), covered);
        establish(o);
    }
    /* what no definition serves any more: its objects go, then the kind */
    for (size_t i = SIM_RTYPES_BUILTIN; i < sim_rtypes_n; i++) {
        struct rtype *rt = &sim_rtypes[i];
        if (!rt->served || covered[i])
            continue;
        while (rt->n)
            store_remove(rt->objs[rt->n - 1]);
        rt->served = false;
    }
    seen_gen = crt->gen;
}
