/* sim/select.c: parsing and matching label and field selectors (see select.h). */
#include "config.h"

#include "sim/select.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/util.h"
#include "sim/store.h"

enum sel_op { OP_EQ, OP_NE, OP_IN, OP_NOTIN, OP_EXISTS, OP_NOTEXISTS };

struct requirement {
    bool field;     /* a field selector term, not a label */
    char *key;      /* label key or dotted field path */
    enum sel_op op; /* how to compare */
    char **values;  /* one for = and !=, a set for in/notin */
    int n_values;
};

struct selector {
    struct requirement *reqs;
    int n;
};

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static void add_value(struct requirement *r, const char *v)
{
    r->values = xrealloc(r->values, (r->n_values + 1) * sizeof(char *));
    r->values[r->n_values++] = xstrdup(v);
}

static int parse_term(struct selector *s, char *term, bool field, struct error *err)
{
    term = trim(term);
    if (!*term)
        return 0;
    struct requirement r = {.field = field};
    char *p;
    if (!field && term[0] == '!') {
        r.op = OP_NOTEXISTS;
        r.key = xstrdup(trim(term + 1));
    } else if ((p = strstr(term, "!=")) != NULL) {
        *p = '\0';
        r.op = OP_NE;
        r.key = xstrdup(trim(term));
        add_value(&r, trim(p + 2));
    } else if ((p = strchr(term, '=')) != NULL) {
        *p = '\0';
        r.op = OP_EQ;
        r.key = xstrdup(trim(term));
        add_value(&r, trim(p[1] == '=' ? p + 2 : p + 1));
    } else if (!field && (p = strchr(term, '(')) != NULL) {
        char *close = strchr(p, ')');
        char *sp = term;
        while (*sp && !isspace((unsigned char)*sp))
            sp++;
        if (!close || *sp == '\0')
            return error_set(err, ERR_INVALID, 400, "unable to parse requirement: %s", term);
        *sp = '\0';
        char *opname = trim(sp + 1);
        *p = '\0';
        opname = trim(opname);
        if (strcmp(opname, "in") == 0)
            r.op = OP_IN;
        else if (strcmp(opname, "notin") == 0)
            r.op = OP_NOTIN;
        else
            return error_set(err, ERR_INVALID, 400, "unknown selector operator %s", opname);
        r.key = xstrdup(trim(term));
        *close = '\0';
        char *save = NULL;
        for (char *v = strtok_r(p + 1, ",", &save); v; v = strtok_r(NULL, ",", &save))
            add_value(&r, trim(v));
    } else if (!field) {
        r.op = OP_EXISTS;
        r.key = xstrdup(term);
    } else {
        return error_set(err, ERR_INVALID, 400, "invalid field selector term: %s", term);
    }
    if (!*r.key) {
        free(r.key);
        return error_set(err, ERR_INVALID, 400, "selector term without a key");
    }
    s->reqs = xrealloc(s->reqs, (s->n + 1) * sizeof(*s->reqs));
    s->reqs[s->n++] = r;
    return 0;
}

/* Splits on commas outside parentheses. */
static int parse_list(struct selector *s, const char *text, bool field, struct error *err)
{
    if (!text)
        return 0;
    char *copy = xstrdup(text);
    int depth = 0, rc = 0;
    char *start = copy;
    for (char *p = copy;; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')')
            depth--;
        if (*p == '\0' || (*p == ',' && depth == 0)) {
            char end = *p;
            *p = '\0';
            if (parse_term(s, start, field, err) < 0) {
                rc = -1;
                break;
            }
            if (end == '\0')
                break;
            start = p + 1;
        }
    }
    free(copy);
    return rc;
}

struct selector *selector_parse(const char *labels, const char *fields, struct error *err)
{
    struct selector *s = xcalloc(1, sizeof(*s));
    if (parse_list(s, labels, false, err) < 0 || parse_list(s, fields, true, err) < 0) {
        selector_free(s);
        return NULL;
    }
    return s;
}

/* The field labels each kind's conversion functions accept, and the error
 * each gives otherwise (kubernetes pkg/apis/core/v1/conversion.go,
 * pkg/apis/apps/v1, pkg/apis/batch/v1; kinds without a function use
 * apimachinery's DefaultMetaV1FieldSelectorConversion). */
static const struct {
    const char *kind;
    const char *fields;         /* besides metadata.name and metadata.namespace */
    const char *before, *after; /* the message around the label */
} field_labels[] = {
    {"Pod",
     ",spec.nodeName,spec.restartPolicy,spec.schedulerName,spec.serviceAccountName,"
     "spec.hostNetwork,status.phase,status.podIP,status.podIPs,status.nominatedNodeName,",
     "field label not supported: ", ""},
    {"Node", ",spec.unschedulable,", "field label not supported: ", ""},
    {"Event",
     ",involvedObject.kind,involvedObject.namespace,involvedObject.name,involvedObject.uid,"
     "involvedObject.apiVersion,involvedObject.resourceVersion,involvedObject.fieldPath,"
     "reason,reportingComponent,source,type,",
     "field label not supported: ", ""},
    {"Namespace", ",status.phase,", "field label not supported: ", ""},
    {"Secret", ",type,", "field label not supported: ", ""},
    {"ReplicaSet", ",status.replicas,", "field label not supported: ", ""},
    {"Job", ",status.successful,", "field label \"", "\" not supported for batchv1.Job"},
};

int selector_check_fields(const struct selector *s, const char *kind, struct error *err)
{
    for (int i = 0; s && i < s->n; i++) {
        const struct requirement *r = &s->reqs[i];
        if (!r->field || !strcmp(r->key, "metadata.name") || !strcmp(r->key, "metadata.namespace"))
            continue;
        const char *fields = ",", *before = NULL, *after = NULL;
        for (size_t k = 0; k < ARRAY_LEN(field_labels); k++)
            if (!strcmp(field_labels[k].kind, kind)) {
                fields = field_labels[k].fields;
                before = field_labels[k].before;
                after = field_labels[k].after;
            }
        char *needle = xasprintf(",%s,", r->key);
        bool known = strstr(fields, needle) != NULL;
        free(needle);
        if (known)
            continue;
        if (!before)
            return error_set(err, ERR_INVALID, 400,
                             "\"%s\" is not a known field selector: only \"metadata.name\", "
                             "\"metadata.namespace\"",
                             r->key);
        return error_set(err, ERR_INVALID, 400, "%s%s%s", before, r->key, after);
    }
    return 0;
}

void selector_free(struct selector *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++) {
        free(s->reqs[i].key);
        for (int j = 0; j < s->reqs[i].n_values; j++)
            free(s->reqs[i].values[j]);
        free(s->reqs[i].values);
    }
    free(s->reqs);
    free(s);
}

static bool in_values(const struct requirement *r, const char *v)
{
    for (int i = 0; i < r->n_values; i++)
        if (strcmp(r->values[i], v) == 0)
            return true;
    return false;
}

static bool value_match(const struct requirement *r, const char *v);

static bool req_match(const struct requirement *r, const cJSON *obj)
{
    const char *v;
    char num[64];
    if (r->field) {
        cJSON *f = kj_get_mut(obj, r->key);
        if (cJSON_IsString(f)) {
            v = f->valuestring;
        } else if (cJSON_IsNumber(f)) {
            snprintf(num, sizeof(num), "%g", f->valuedouble);
            v = num;
        } else if (cJSON_IsBool(f)) {
            v = cJSON_IsTrue(f) ? "true" : "false";
        } else {
            v = "";
        }
    } else {
        cJSON *labels = kj_get_mut(obj, "metadata.labels");
        cJSON *l = cJSON_GetObjectItemCaseSensitive(labels, r->key);
        v = cJSON_IsString(l) ? l->valuestring : NULL;
    }
    return value_match(r, v);
}

static bool value_match(const struct requirement *r, const char *v)
{
    switch (r->op) {
    case OP_EQ:
        return v && strcmp(v, r->values[0]) == 0;
    case OP_NE:
        return !v || strcmp(v, r->values[0]) != 0;
    case OP_IN:
        return v && in_values(r, v);
    case OP_NOTIN:
        return !v || !in_values(r, v);
    case OP_EXISTS:
        return v != NULL;
    case OP_NOTEXISTS:
        return v == NULL;
    }
    return false;
}

bool selector_match(const struct selector *s, const cJSON *obj)
{
    if (!s)
        return true;
    for (int i = 0; i < s->n; i++)
        if (!req_match(&s->reqs[i], obj))
            return false;
    return true;
}

/* A requirement the fields kept with a stored object answer: its value,
 * NULL when absent (a label) or "" (a field); false when the tree is needed. */
static bool kept_value(const struct requirement *r, const struct sim_obj *o, const char **v)
{
    if (!r->field) {
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(obj_labels(o), r->key);
        *v = cJSON_IsString(l) ? l->valuestring : NULL;
        return true;
    }
    if (strcmp(r->key, "metadata.name") == 0)
        *v = obj_name(o);
    else if (strcmp(r->key, "metadata.namespace") == 0)
        *v = obj_ns(o) ? obj_ns(o) : "";
    else if (o->pod && strcmp(r->key, "spec.nodeName") == 0)
        *v = o->node ? o->node : "";
    else if (o->pod && strcmp(r->key, "status.phase") == 0)
        *v = o->phase ? o->phase : "";
    else
        return false;
    return true;
}

bool selector_match_obj(const struct selector *s, struct sim_obj *o)
{
    if (!s)
        return true;
    bool cold = !o->tree, match = true;
    for (int i = 0; i < s->n && match; i++) {
        const char *v;
        if (kept_value(&s->reqs[i], o, &v))
            match = value_match(&s->reqs[i], v);
        else
            match = req_match(&s->reqs[i], obj_json(o));
    }
    if (cold)
        store_cool(o);
    return match;
}

bool selector_empty(const struct selector *s)
{
    return !s || s->n == 0;
}

bool selector_match_labels(const cJSON *selector, const cJSON *labels)
{
    const cJSON *ml = cJSON_GetObjectItemCaseSensitive(selector, "matchLabels");
    const cJSON *me = cJSON_GetObjectItemCaseSensitive(selector, "matchExpressions");
    if (!ml && !me)
        ml = selector; /* a plain map, as in a Service */
    const cJSON *kv;
    cJSON_ArrayForEach(kv, ml)
    {
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(labels, kv->string);
        if (!cJSON_IsString(kv) || !cJSON_IsString(l) ||
            strcmp(l->valuestring, kv->valuestring) != 0)
            return false;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, me)
    {
        const char *key = kj_str(e, "key"), *op = kj_str(e, "operator");
        if (!key || !op)
            return false;
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(labels, key);
        bool found = false;
        const cJSON *v;
        cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(e, "values"))
        {
            if (cJSON_IsString(l) && cJSON_IsString(v) &&
                strcmp(v->valuestring, l->valuestring) == 0)
                found = true;
        }
        if ((strcmp(op, "In") == 0 && !found) || (strcmp(op, "NotIn") == 0 && found) ||
            (strcmp(op, "Exists") == 0 && !l) || (strcmp(op, "DoesNotExist") == 0 && l))
            return false;
    }
    return true;
}
