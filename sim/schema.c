/* sim/schema.c: decoding objects against the API's field types (see
 * schema.h). The wording follows encoding/json's UnmarshalTypeError and
 * apimachinery's strict decoding errors. */
#include "config.h"

#include "sim/schema.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static const char *json_kind(const cJSON *v)
{
    return cJSON_IsString(v)   ? "string"
           : cJSON_IsNumber(v) ? "number"
           : cJSON_IsBool(v)   ? "bool"
           : cJSON_IsArray(v)  ? "array"
                               : "object";
}

/* The Go type of a field, as encoding/json names it. */
static void go_type(const struct sfield *f, char *buf, size_t n)
{
    static const char *const names[] = {
        [SF_STR] = "string",
        [SF_BYTES] = "[]uint8",
        [SF_INT32] = "int32",
        [SF_INT64] = "int64",
        [SF_NUM] = "float64",
        [SF_BOOL] = "bool",
        [SF_TIME] = "v1.Time",
        [SF_INTORSTR] = "intstr.IntOrString",
        [SF_QTY] = "resource.Quantity",
        [SF_LIST_STR] = "[]string",
        [SF_LIST_INT] = "[]int32",
        [SF_MAP_STR] = "map[string]string",
        [SF_MAP_QTY] = "v1.ResourceList",
        [SF_MAP_LIST_STR] = "map[string][]string",
        [SF_ANY] = "interface {}",
    };
    if (f->type == SF_OBJ)
        snprintf(buf, n, "v1.%s", schema_types[f->ref].name);
    else if (f->type == SF_LIST_OBJ)
        snprintf(buf, n, "[]v1.%s", schema_types[f->ref].name);
    else
        snprintf(buf, n, "%s", names[f->type]);
}

static bool is_int(const cJSON *v, double lim)
{
    return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) && v->valuedouble < lim &&
           v->valuedouble >= -lim;
}

/* Does the scalar (or scalar list/map) value fit? */
static bool scalar_ok(unsigned char t, const cJSON *v)
{
    const cJSON *c;
    switch (t) {
    case SF_STR:
    case SF_BYTES:
    case SF_TIME:
        return cJSON_IsString(v);
    case SF_INT32:
        return is_int(v, 2147483648.0);
    case SF_INT64:
        return is_int(v, 9223372036854775808.0);
    case SF_NUM:
        return cJSON_IsNumber(v);
    case SF_BOOL:
        return cJSON_IsBool(v);
    case SF_INTORSTR:
        return cJSON_IsString(v) || is_int(v, 2147483648.0);
    case SF_QTY:
        return cJSON_IsString(v) || cJSON_IsNumber(v);
    case SF_LIST_STR:
    case SF_LIST_INT:
        if (!cJSON_IsArray(v))
            return false;
        cJSON_ArrayForEach(c, v)
        {
            if (!(t == SF_LIST_STR ? cJSON_IsString(c) : is_int(c, 2147483648.0)))
                return false;
        }
        return true;
    case SF_MAP_STR:
    case SF_MAP_QTY:
    case SF_MAP_LIST_STR:
        if (!cJSON_IsObject(v))
            return false;
        cJSON_ArrayForEach(c, v)
        {
            bool ok = t == SF_MAP_STR   ? cJSON_IsString(c)
                      : t == SF_MAP_QTY ? cJSON_IsString(c) || cJSON_IsNumber(c)
                                        : scalar_ok(SF_LIST_STR, c);
            if (!ok && !cJSON_IsNull(c))
                return false;
        }
        return true;
    default:
        return true;
    }
}

struct walk {
    bool strict;
    struct schema_problem *p;
    struct strbuf path, gopath;
};

static int check_obj(struct walk *w, const struct stype *t, cJSON *o);

static int problem(struct walk *w, bool unknown, const cJSON *v, const struct sfield *f)
{
    struct schema_problem *p = w->p;
    p->unknown = unknown;
    snprintf(p->path, sizeof(p->path), "%s", w->path.buf);
    snprintf(p->gopath, sizeof(p->gopath), "%s", w->gopath.buf);
    snprintf(p->got, sizeof(p->got), "%s", v ? json_kind(v) : "");
    if (f)
        go_type(f, p->want, sizeof(p->want));
    return -1;
}

static int check_field(struct walk *w, const struct sfield *f, cJSON *v)
{
    if (cJSON_IsNull(v) || f->type == SF_ANY)
        return 0;
    if (f->type == SF_OBJ) {
        if (!cJSON_IsObject(v))
            return problem(w, false, v, f);
        return check_obj(w, &schema_types[f->ref], v);
    }
    if (f->type == SF_LIST_OBJ) {
        if (!cJSON_IsArray(v))
            return problem(w, false, v, f);
        int i = 0;
        cJSON *e;
        cJSON_ArrayForEach(e, v)
        {
            size_t keep = w->path.len;
            strbuf_addf(&w->path, "[%d]", i++);
            int rc = cJSON_IsObject(e) ? check_obj(w, &schema_types[f->ref], e)
                     : cJSON_IsNull(e) ? 0
                                       : problem(w, false, e, f);
            if (rc < 0)
                return rc;
            w->path.len = keep;
            w->path.buf[keep] = '\0';
        }
        return 0;
    }
    return scalar_ok(f->type, v) ? 0 : problem(w, false, v, f);
}

static int check_obj(struct walk *w, const struct stype *t, cJSON *o)
{
    /* Go names the innermost struct first: "Container.spec.template..." */
    char *saved = xstrdup(w->gopath.buf);
    const char *rest = strchr(saved, '.') ? strchr(saved, '.') : "";
    strbuf_reset(&w->gopath);
    strbuf_addf(&w->gopath, "%s%s", t->name, rest);
    cJSON *c = o->child;
    while (c) {
        cJSON *next = c->next;
        const struct sfield *f = NULL;
        for (unsigned i = 0; i < t->n && !f; i++)
            if (!strcmp(t->fields[i].name, c->string))
                f = &t->fields[i];
        size_t keep = w->path.len, gk = w->gopath.len;
        strbuf_addf(&w->path, "%s%s", w->path.len ? "." : "", c->string);
        strbuf_addf(&w->gopath, ".%s", c->string);
        if (!f) {
            if (w->strict) {
                free(saved);
                return problem(w, true, c, NULL);
            }
            cJSON_Delete(cJSON_DetachItemViaPointer(o, c)); /* dropped, as decoding does */
        } else if (check_field(w, f, c) < 0) {
            free(saved);
            return -1;
        }
        w->path.len = keep;
        w->path.buf[keep] = '\0';
        w->gopath.len = gk;
        w->gopath.buf[gk] = '\0';
        c = next;
    }
    strbuf_reset(&w->gopath);
    strbuf_adds(&w->gopath, saved);
    free(saved);
    return 0;
}

int schema_check(const char *kind, cJSON *obj, bool strict, struct schema_problem *p)
{
    for (unsigned i = 0; i < schema_nroots; i++) {
        if (strcmp(schema_roots[i].kind, kind) != 0)
            continue;
        struct walk w = {strict, p, {0}, {0}};
        strbuf_init(&w.path);
        strbuf_init(&w.gopath);
        int rc = check_obj(&w, &schema_types[schema_roots[i].type], obj);
        strbuf_done(&w.path);
        strbuf_done(&w.gopath);
        return rc;
    }
    return 0;
}
