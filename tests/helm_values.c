/* tests/helm_values.c: what render means its Helm values to say, for the
 * real helm to check (tests/render_helm.sh). No upstream chart is needed:
 * helm reads `-f values.yaml -f values-secrets.yaml` with its own YAML
 * parser and merges them, and a stub chart prints `toJson .Values`; that
 * must equal the document the values writers built before it was emitted
 * as YAML. A string our emitter left plain that helm's YAML 1.1 parser reads
 * as a boolean, a number or null (yes, on, 0755, 1e3, 1_000, null) would
 * show here as a difference at its path.
 *
 * usage:
 *   helm_values DATADIR OUTBASE   renders every helm fixture case for every
 *       chart version of its line, and a variant of the first of each line
 *       whose strings look like other YAML types, into OUTBASE/NAME/
 *       (values.yaml, values-secrets.yaml, intended.json, and schema.json:
 *       the keys that chart version reads as a values.schema.json, which
 *       helm checks on its own); prints "NAME LINE VERSION" per rendering
 *   helm_values --compare INTENDED.json HELM.json   exit 0 when equal, else
 *       1 and the first path where they differ */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/chart_keys.h"
#include "core/error.h"
#include "core/render.h"
#include "core/render_values_int.h"
#include "core/util.h"
#include "tests/render_fixture.h"

/* Helm's merge of a second values file: maps merge key by key, anything
 * else replaces. */
static void merge(cJSON *dst, const cJSON *src)
{
    for (const cJSON *c = src->child; c; c = c->next) {
        cJSON *d = cJSON_GetObjectItemCaseSensitive(dst, c->string);
        if (d && cJSON_IsObject(d) && cJSON_IsObject(c))
            merge(d, c);
        else if (d)
            cJSON_ReplaceItemInObjectCaseSensitive(dst, c->string, cJSON_Duplicate(c, 1));
        else
            cJSON_AddItemToObject(dst, c->string, cJSON_Duplicate(c, 1));
    }
}

/* Strings that other YAML readers (YAML 1.1, as helm's is) take for another
 * type, in the fields that reach the values files. */
static void tricky(struct profile *p)
{
    str_replace(&p->image_tag, "1e3");
    str_replace(&p->db.user, "null");
    str_replace(&p->db.name, "yes");
    str_replace(&p->db.plugin_db, "on");
    str_replace(&p->storage.bucket, "0755");
    str_replace(&p->storage.region, "y");
    str_replace(&p->vector.user, "true");
    str_replace(&p->release, "off");
    str_replace(&p->namespace, "no");
}

/* A JSON schema of the keys the chart version reads (core/chart_keys.h), as
 * chart_keys_unread reads them: a mapping holds only the keys listed under
 * it ("additionalProperties": false; no "type", so a leaf may hold any
 * scalar), "a.*" opens a subtree, "a[]" describes a list's items. helm
 * checks the values against a chart's values.schema.json itself. */
static cJSON *schema_child(cJSON *node, const char *name)
{
    if (cJSON_GetObjectItemCaseSensitive(node, "open"))
        return NULL; /* read whole: anything below goes */
    cJSON *props = cJSON_GetObjectItemCaseSensitive(node, "properties");
    cJSON *c = cJSON_GetObjectItemCaseSensitive(props, name);
    if (!c) {
        c = cJSON_AddObjectToObject(props, name);
        cJSON_AddObjectToObject(c, "properties");
        cJSON_AddFalseToObject(c, "additionalProperties");
    }
    return c;
}

static void schema_open(cJSON *node)
{
    while (node->child)
        cJSON_DeleteItemFromObjectCaseSensitive(node, node->child->string);
    cJSON_AddTrueToObject(node, "open"); /* removed below: not a keyword */
}

static void schema_close(cJSON *node)
{
    cJSON_DeleteItemFromObjectCaseSensitive(node, "open");
    for (cJSON *c = node->child; c; c = c->next)
        if (cJSON_IsObject(c))
            schema_close(c);
}

static cJSON *chart_schema(const struct chart_keys *ck)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "$schema", "http://json-schema.org/draft-07/schema#");
    cJSON_AddObjectToObject(root, "properties");
    cJSON_AddFalseToObject(root, "additionalProperties");
    for (size_t i = 0; i < chart_keys_nall; i++) {
        if (!(chart_keys_all[i].versions & ck->bit))
            continue;
        char *key = xstrdup(chart_keys_all[i].key);
        cJSON *node = root;
        for (char *part = strtok(key, "."); part && node; part = strtok(NULL, ".")) {
            if (strcmp(part, "*") == 0) {
                schema_open(node);
                break;
            }
            size_t n = strlen(part);
            bool list = n > 2 && strcmp(part + n - 2, "[]") == 0;
            if (list)
                part[n - 2] = '\0';
            node = schema_child(node, part);
            if (node && list && !cJSON_GetObjectItemCaseSensitive(node, "open")) {
                cJSON *items = cJSON_GetObjectItemCaseSensitive(node, "items");
                if (!items) {
                    items = cJSON_AddObjectToObject(node, "items");
                    cJSON_AddObjectToObject(items, "properties");
                    cJSON_AddFalseToObject(items, "additionalProperties");
                }
                node = items;
            }
        }
        free(key);
    }
    schema_close(root);
    return root;
}

static int write_json(const char *dir, const char *name, const cJSON *j, struct error *err)
{
    char *text = cJSON_Print(j);
    char *file = path_join(dir, name);
    int rc = file_write_atomic(file, text, strlen(text), 0600, err);
    free(file);
    free(text);
    return rc;
}

static int render_one(const struct profile *p, const struct secrets *s, const char *name,
                      const char *outbase)
{
    bool ee = p->edition == EDITION_ENTERPRISE;
    const struct chart_keys *ck =
        chart_keys_find(ee ? DIFY_LINE_ENTERPRISE : DIFY_LINE_COMMUNITY, p->helm.version);
    char *dir = path_join(outbase, name);
    struct error err;
    error_clear(&err);
    int rc = 0;
    if (!ck || render_to_dir(p, s, dir, &err)) {
        fprintf(stderr, "helm_values: %s: %s\n", name, ck ? err.msg : "no key table");
        free(dir);
        return 1;
    }
    cJSON *v = cJSON_CreateObject(), *sv = cJSON_CreateObject();
    if (ee)
        rv_enterprise(p, s, ck, v, sv);
    else
        rv_community(p, s, ck, v, sv);
    merge(v, sv);
    cJSON *schema = chart_schema(ck);
    if (write_json(dir, "intended.json", v, &err) || write_json(dir, "schema.json", schema, &err)) {
        fprintf(stderr, "helm_values: %s\n", err.msg);
        rc = 1;
    } else {
        printf("%s %s %s\n", name, ee ? "enterprise" : "community", p->helm.version);
    }
    cJSON_Delete(schema);
    cJSON_Delete(v);
    cJSON_Delete(sv);
    free(dir);
    return rc;
}

static int render_all(const char *datadir, const char *outbase)
{
    struct secrets s;
    render_fixture_secrets(&s);
    int rc = 0;
    bool tricked[2] = {false, false};
    for (size_t c = 0; c < render_ncases; c++) {
        for (size_t t = 0; t < chart_keys_ntables; t++) {
            const struct chart_keys *ck = &chart_keys_tables[t];
            struct profile p;
            render_case_build(&render_cases[c], datadir, &p);
            bool ee = p.edition == EDITION_ENTERPRISE;
            if (p.method != METHOD_HELM ||
                ck->line != (ee ? DIFY_LINE_ENTERPRISE : DIFY_LINE_COMMUNITY)) {
                profile_done(&p);
                continue;
            }
            str_replace(&p.helm.version, ck->version);
            char *name = xasprintf("%s-%s", render_cases[c].name, ck->version);
            rc |= render_one(&p, &s, name, outbase);
            free(name);
            if (!tricked[ee]) {
                tricked[ee] = true;
                tricky(&p);
                name = xasprintf("%s-%s-yaml11", render_cases[c].name, ck->version);
                rc |= render_one(&p, &s, name, outbase);
                free(name);
            }
            profile_done(&p);
        }
    }
    secrets_done(&s);
    return rc;
}

static cJSON *load_json(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    struct error err;
    error_clear(&err);
    if (file_read_all(path, 64 * 1024 * 1024, &text, &len, &err)) {
        fprintf(stderr, "helm_values: %s\n", err.msg);
        return NULL;
    }
    cJSON *j = cJSON_ParseWithLength(text, len);
    if (!j)
        fprintf(stderr, "helm_values: %s: not JSON\n", path);
    free(text);
    return j;
}

static const char *type_name(const cJSON *j)
{
    if (cJSON_IsObject(j))
        return "a mapping";
    if (cJSON_IsArray(j))
        return "a list";
    if (cJSON_IsString(j))
        return "a string";
    if (cJSON_IsNumber(j))
        return "a number";
    if (cJSON_IsBool(j))
        return "a boolean";
    return "null";
}

/* The first path where a and b differ, or NULL; caller frees. */
static char *differ(const cJSON *a, const cJSON *b, const char *path)
{
    if ((a->type & 0xff) != (b->type & 0xff))
        return xasprintf("%s: render meant %s, helm read %s", *path ? path : "(top)", type_name(a),
                         type_name(b));
    if (cJSON_IsObject(a) || cJSON_IsArray(a)) {
        int na = cJSON_GetArraySize(a), nb = cJSON_GetArraySize(b);
        const cJSON *c = a->child;
        for (int i = 0; c; c = c->next, i++) {
            const cJSON *d = cJSON_IsObject(a) ? cJSON_GetObjectItemCaseSensitive(b, c->string)
                                               : cJSON_GetArrayItem(b, i);
            char *sub = cJSON_IsObject(a) ? xasprintf("%s%s%s", path, *path ? "." : "", c->string)
                                          : xasprintf("%s[%d]", path, i);
            char *bad = d ? differ(c, d, sub) : xasprintf("%s: helm did not read it", sub);
            free(sub);
            if (bad)
                return bad;
        }
        if (na != nb)
            return xasprintf("%s: render wrote %d entries, helm read %d", *path ? path : "(top)",
                             na, nb);
        return NULL;
    }
    if (!cJSON_Compare(a, b, true))
        return xasprintf("%s: helm read another value than render meant", path);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--compare") == 0) {
        cJSON *a = load_json(argv[2]), *b = load_json(argv[3]);
        if (!a || !b)
            return 2;
        char *bad = differ(a, b, "");
        if (bad)
            printf("%s\n", bad); /* a path and types: never a value (secrets) */
        cJSON_Delete(a);
        cJSON_Delete(b);
        int rc = bad ? 1 : 0;
        free(bad);
        return rc;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: helm_values DATADIR OUTBASE | helm_values --compare A.json "
                        "B.json\n");
        return 2;
    }
    return render_all(argv[1], argv[2]);
}
