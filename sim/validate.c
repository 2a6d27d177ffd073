/* sim/validate.c: field errors, the 422 Status and the update rules (see
 * validate.h). The wording follows apimachinery's field.Error.ErrorBody and
 * errors.NewInvalid. */
#include "config.h"

#include "sim/validate.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kube_json.h"
#include "core/util.h"
#include "sim/crd.h"
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
    if (rt->custom)
        return;
    if (crd_is_definition(rt))
        crd_validate_update(old, new, e);
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

/* ---- whole-object rules (pkg/apis/core/validation, apps, batch) ---- */

static bool dns_label(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
        return false;
    for (const char *p = s; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-'))
            return false;
    return true;
}

#define DNS_LABEL_MSG                                                                              \
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "   \
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "     \
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

static void port_range(const cJSON *port, const char *key, const char *path, struct ferrs *e,
                       bool required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(port, key);
    if (!v) {
        if (required)
            ferrs_add(e, FERR_REQUIRED, path, NULL, NULL);
        return;
    }
    if (!cJSON_IsNumber(v))
        return; /* a wrong type is the decoder's 400 */
    double d = v->valuedouble;
    if (d < 1 || d > 65535) {
        char val[32];
        snprintf(val, sizeof(val), "%.0f", d);
        ferrs_add(e, FERR_INVALID, path, val, "must be between 1 and 65535, inclusive");
    }
}

static void containers(const cJSON *list, const char *base, struct ferrs *e, bool required)
{
    char path[512];
    if (required && cJSON_GetArraySize(list) == 0) {
        snprintf(path, sizeof(path), "%s", base);
        ferrs_add(e, FERR_REQUIRED, path, NULL, NULL);
        return;
    }
    int i = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, list)
    {
        const char *name = kj_str(c, "name");
        if (str_empty(name)) {
            snprintf(path, sizeof(path), "%s[%d].name", base, i);
            ferrs_add(e, FERR_REQUIRED, path, NULL, NULL);
        } else if (!dns_label(name)) {
            snprintf(path, sizeof(path), "%s[%d].name", base, i);
            char *v = xasprintf("\"%s\"", name);
            ferrs_add(e, FERR_INVALID, path, v, "%s",
                      strlen(name) > 63 ? "must be no more than 63 characters" : DNS_LABEL_MSG);
            free(v);
        }
        if (str_empty(kj_str(c, "image"))) {
            snprintf(path, sizeof(path), "%s[%d].image", base, i);
            ferrs_add(e, FERR_REQUIRED, path, NULL, NULL);
        }
        int k = 0;
        const cJSON *p;
        cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "ports"))
        {
            snprintf(path, sizeof(path), "%s[%d].ports[%d].containerPort", base, i, k);
            port_range(p, "containerPort", path, e, true);
            snprintf(path, sizeof(path), "%s[%d].ports[%d].hostPort", base, i, k);
            port_range(p, "hostPort", path, e, false);
            k++;
        }
        i++;
    }
}

static void pod_spec(const cJSON *spec, const char *base, struct ferrs *e)
{
    char path[256];
    snprintf(path, sizeof(path), "%s.containers", base);
    containers(kj_get_mut(spec, "containers"), path, e, true);
    snprintf(path, sizeof(path), "%s.initContainers", base);
    containers(kj_get_mut(spec, "initContainers"), path, e, false);
}

static void labels_valid(const cJSON *labels, const char *path, struct ferrs *e)
{
    const cJSON *kv;
    cJSON_ArrayForEach(kv, labels)
    {
        if (cJSON_IsString(kv) && strlen(kv->valuestring) > 63) {
            char *v = xasprintf("\"%s\"", kv->valuestring);
            ferrs_add(e, FERR_INVALID, path, v, "must be no more than 63 characters");
            free(v);
        }
    }
}

/* A selector's matchLabels must all be on the template (apps validation). */
static void selector_matches(const cJSON *spec, struct ferrs *e)
{
    const cJSON *sel = kj_get_mut(spec, "selector");
    if (!sel) {
        ferrs_add(e, FERR_REQUIRED, "spec.selector", NULL, NULL);
        return;
    }
    const cJSON *tl = kj_get_mut(spec, "template.metadata.labels"), *kv;
    cJSON_ArrayForEach(kv, kj_get_mut(sel, "matchLabels"))
    {
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(tl, kv->string);
        if (!cJSON_IsString(l) || !cJSON_IsString(kv) || strcmp(l->valuestring, kv->valuestring)) {
            char *v = tl ? cJSON_PrintUnformatted(tl) : xstrdup("null");
            ferrs_add(e, FERR_INVALID, "spec.template.metadata.labels", v,
                      "`selector` does not match template `labels`");
            free(v);
            return;
        }
    }
}

void validate_object(const struct rtype *rt, const cJSON *obj, struct ferrs *e)
{
    if (rt->custom) { /* a custom kind: its schema, whatever its kind is called */
        labels_valid(kj_get_mut(obj, "metadata.labels"), "metadata.labels", e);
        crd_validate_instance(rt, obj, e);
        return;
    }
    if (crd_is_definition(rt))
        crd_validate_definition(obj, e);
    const char *k = rt->kind, *name = kj_str(obj, "metadata.name");
    /* names that become DNS labels: Services and Namespaces */
    if (name && (!strcmp(k, "Service") || !strcmp(k, "Namespace")) && !dns_label(name)) {
        char *v = xasprintf("\"%s\"", name);
        ferrs_add(e, FERR_INVALID, "metadata.name", v, "%s",
                  strlen(name) > 63 ? "must be no more than 63 characters" : DNS_LABEL_MSG);
        free(v);
    }
    labels_valid(kj_get_mut(obj, "metadata.labels"), "metadata.labels", e);
    const cJSON *spec = kj_get_mut(obj, "spec");
    if (!strcmp(k, "Pod")) {
        pod_spec(spec, "spec", e);
    } else if (!strcmp(k, "Deployment") || !strcmp(k, "ReplicaSet") || !strcmp(k, "StatefulSet") ||
               !strcmp(k, "DaemonSet")) {
        selector_matches(spec, e);
        pod_spec(kj_get_mut(spec, "template.spec"), "spec.template.spec", e);
    } else if (!strcmp(k, "Job")) {
        pod_spec(kj_get_mut(spec, "template.spec"), "spec.template.spec", e);
        const char *rp = kj_str(spec, "template.spec.restartPolicy");
        if (rp && strcmp(rp, "OnFailure") != 0 && strcmp(rp, "Never") != 0) {
            char *v = xasprintf("\"%s\"", rp);
            ferrs_add(e, FERR_NOT_SUPPORTED, "spec.template.spec.restartPolicy", v,
                      "supported values: \"OnFailure\", \"Never\"");
            free(v);
        }
    } else if (!strcmp(k, "Service")) {
        int i = 0;
        const cJSON *p;
        cJSON_ArrayForEach(p, kj_get_mut(spec, "ports"))
        {
            char path[64];
            snprintf(path, sizeof(path), "spec.ports[%d].port", i++);
            port_range(p, "port", path, e, true);
        }
    }
}
