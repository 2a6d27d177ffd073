/* sim/validate.c: field errors, the 422 Status and the update rules (see
 * validate.h). The wording follows apimachinery's field.Error.ErrorBody and
 * errors.NewInvalid. */
#include "config.h"

#include "sim/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sim/http.h"
#include "sim/store.h"

void ferrs_add(struct ferrs *e, enum ferr_type type, const char *field, const char *value,
               const char *detail_fmt, ...)
{
    e->v = xrealloc(e->v, (size_t)(e->n + 1) * sizeof(*e->v));
    struct ferr *f = &e->v[e->n++];
    f->type = type;
    f->field = xstrdup(field);
    f->value = xstrdup_or_null(value);
    f->detail = NULL;
    if (detail_fmt) {
        va_list ap;
        va_start(ap, detail_fmt);
        f->detail = xvasprintf(detail_fmt, ap);
        va_end(ap);
    }
}

void ferrs_free(struct ferrs *e)
{
    for (int i = 0; i < e->n; i++) {
        free(e->v[i].field);
        free(e->v[i].value);
        free(e->v[i].detail);
    }
    free(e->v);
    e->v = NULL;
    e->n = 0;
}

static const struct {
    const char *text;  /* ErrorType.String() */
    const char *cause; /* metav1.CauseType */
    bool with_value;   /* the body shows the bad value */
} ferr_names[] = {
    [FERR_INVALID] = {"Invalid value", "FieldValueInvalid", true},
    [FERR_REQUIRED] = {"Required value", "FieldValueRequired", false},
    [FERR_FORBIDDEN] = {"Forbidden", "FieldValueForbidden", false},
    [FERR_NOT_SUPPORTED] = {"Unsupported value", "FieldValueNotSupported", true},
    [FERR_TOO_LONG] = {"Too long", "FieldValueTooLong", false},
    [FERR_DUPLICATE] = {"Duplicate value", "FieldValueDuplicate", true},
};

/* field.Error.ErrorBody(): "Invalid value: \"x\": detail". */
static char *ferr_body(const struct ferr *f)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, ferr_names[f->type].text);
    if (ferr_names[f->type].with_value && f->value)
        strbuf_addf(&sb, ": %s", f->value);
    if (f->detail && *f->detail)
        strbuf_addf(&sb, ": %s", f->detail);
    return strbuf_detach(&sb, NULL);
}

void reply_invalid(struct reply *rep, const struct rtype *rt, const char *name,
                   const struct ferrs *e)
{
    struct strbuf msg;
    strbuf_init(&msg);
    /* GroupKind.String(): Kind, or Kind.group */
    strbuf_addf(&msg, "%s%s%s \"%s\" is invalid", rt->kind, rt->group[0] ? "." : "", rt->group,
                name ? name : "");
    cJSON *causes = cJSON_CreateArray();
    for (int i = 0; i < e->n; i++) {
        char *body = ferr_body(&e->v[i]);
        /* one error: "...: FIELD: BODY"; several: "...: [A, B]" */
        strbuf_addf(&msg, "%s%s: %s%s", i == 0 ? (e->n > 1 ? ": [" : ": ") : ", ", e->v[i].field,
                    body, i == e->n - 1 && e->n > 1 ? "]" : "");
        cJSON *c = cJSON_CreateObject();
        js_set_str(c, "reason", ferr_names[e->v[i].type].cause);
        js_set_str(c, "message", body);
        js_set_str(c, "field", e->v[i].field);
        cJSON_AddItemToArray(causes, c);
        free(body);
    }
    cJSON *st = cJSON_CreateObject();
    js_set_str(st, "kind", "Status");
    js_set_str(st, "apiVersion", "v1");
    js_obj(st, "metadata");
    js_set_str(st, "status", "Failure");
    js_set_str(st, "message", msg.buf);
    js_set_str(st, "reason", "Invalid");
    cJSON *d = js_obj(st, "details");
    js_set_str(d, "name", name ? name : "");
    if (rt->group[0])
        js_set_str(d, "group", rt->group);
    js_set_str(d, "kind", rt->kind);
    js_set(d, "causes", causes);
    js_set_num(st, "code", 422);
    strbuf_done(&msg);
    reply_json(rep, 422, st);
}

/* The bad value as the real message shows it: strings quoted, numbers and
 * booleans plain, objects as their compact JSON (the real server prints Go
 * structs, e.g. core.PodTemplateSpec{...}; docs/sim.md says so). */
static char *show_value(const cJSON *v)
{
    if (cJSON_IsString(v))
        return xasprintf("\"%s\"", v->valuestring);
    if (!v)
        return xstrdup("null");
    return cJSON_PrintUnformatted(v);
}

/* field must not change between old and new. */
static void immutable(const cJSON *old, const cJSON *new, const char *path, struct ferrs *e,
                      const char *detail)
{
    const cJSON *a = kj_get_mut(old, path), *b = kj_get_mut(new, path);
    if (cJSON_Compare(a, b, 1) || (!a && !b))
        return;
    char *v = show_value(b);
    ferrs_add(e, FERR_INVALID, path, v, "%s", detail);
    free(v);
}

/* A StatefulSet's spec may change only in these fields
 * (pkg/apis/apps/validation ValidateStatefulSetUpdate). */
static void sts_update(const cJSON *old, const cJSON *new, struct ferrs *e)
{
    static const char *const mutable_fields[] = {"replicas",
                                                 "ordinals",
                                                 "template",
                                                 "updateStrategy",
                                                 "persistentVolumeClaimRetentionPolicy",
                                                 "minReadySeconds"};
    cJSON *os = cJSON_Duplicate(kj_get_mut(old, "spec"), 1);
    cJSON *ns = cJSON_Duplicate(kj_get_mut(new, "spec"), 1);
    for (size_t i = 0; i < ARRAY_LEN(mutable_fields); i++) {
        cJSON_DeleteItemFromObjectCaseSensitive(os, mutable_fields[i]);
        cJSON_DeleteItemFromObjectCaseSensitive(ns, mutable_fields[i]);
    }
    if (!cJSON_Compare(os, ns, 1))
        ferrs_add(e, FERR_FORBIDDEN, "spec", NULL,
                  "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                  "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                  "'minReadySeconds' are forbidden");
    cJSON_Delete(os);
    cJSON_Delete(ns);
}

void validate_update(const struct rtype *rt, const cJSON *old, const cJSON *new, struct ferrs *e)
{
    const char *k = rt->kind;
    if (!strcmp(k, "Job")) {
        /* pkg/apis/batch/validation ValidateJobSpecUpdate */
        immutable(old, new, "spec.selector", e, "field is immutable");
        immutable(old, new, "spec.template", e, "field is immutable");
        immutable(old, new, "spec.completions", e, "field is immutable");
        immutable(old, new, "spec.completionMode", e, "field is immutable");
    } else if (!strcmp(k, "Deployment") || !strcmp(k, "ReplicaSet") || !strcmp(k, "DaemonSet")) {
        immutable(old, new, "spec.selector", e, "field is immutable");
    } else if (!strcmp(k, "StatefulSet")) {
        sts_update(old, new, e);
    } else if (!strcmp(k, "PersistentVolumeClaim") &&
               str_eq(kj_str(old, "status.phase"), "Bound")) {
        cJSON *os = cJSON_Duplicate(kj_get_mut(old, "spec"), 1);
        cJSON *ns = cJSON_Duplicate(kj_get_mut(new, "spec"), 1);
        cJSON_DeleteItemFromObjectCaseSensitive(kj_get_mut(os, "resources"), "requests");
        cJSON_DeleteItemFromObjectCaseSensitive(kj_get_mut(ns, "resources"), "requests");
        cJSON_DeleteItemFromObjectCaseSensitive(os, "volumeAttributesClassName");
        cJSON_DeleteItemFromObjectCaseSensitive(ns, "volumeAttributesClassName");
        if (!cJSON_Compare(os, ns, 1))
            ferrs_add(e, FERR_FORBIDDEN, "spec", NULL,
                      "spec is immutable after creation except resources.requests and "
                      "volumeAttributesClassName for bound claims");
        cJSON_Delete(os);
        cJSON_Delete(ns);
    } else if (!strcmp(k, "Service")) {
        const char *oip = kj_str(old, "spec.clusterIP");
        const char *nip = kj_str(new, "spec.clusterIP");
        if (oip && nip && strcmp(oip, nip) != 0) {
            char *v = xasprintf("[]string{\"%s\"}", nip);
            ferrs_add(e, FERR_INVALID, "spec.clusterIPs[0]", v, "may not change once set");
            free(v);
        }
    }
}
