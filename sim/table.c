/* sim/table.c: Table output (see table.h). The columns and cells come from
 * core's kind registry and kubectl printer (core/kube_kinds.h), the same
 * code `dify-tui get` prints with: each object is projected as the client's
 * store would keep it, then every column's cell is made from that. Like a
 * real API server, the Table carries every column, wide ones included
 * (the server prints with Wide: true; kubectl hides priority-1 columns
 * unless -o wide). */
#include "config.h"

#include "sim/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/kube_intern.h"
#include "core/kube_kinds.h"
#include "core/util.h"
#include "sim/store.h"

/* Name and Age: what a real server prints for kinds without a printer. */
static const struct kube_column default_columns[] = {
    {"Name", "string", "name", 0, false, KC_NAME, 0, NULL, NULL},
    {"Age", "string", "", 0, false, KC_AGE, 0, NULL, NULL},
};

static const struct kube_resource *kind_of(const struct rtype *rt)
{
    char av[128];
    if (*rt->group)
        snprintf(av, sizeof(av), "%s/%s", rt->group, rt->version);
    else
        snprintf(av, sizeof(av), "%s", rt->version);
    return kube_resource_for(av, rt->kind);
}

static const struct kube_column *columns_of(const struct rtype *rt, size_t *n)
{
    const struct kube_resource *r = kind_of(rt);
    if (!r) {
        *n = ARRAY_LEN(default_columns);
        return default_columns;
    }
    *n = r->ncolumns;
    return r->columns;
}

cJSON *table_new(const struct rtype *rt)
{
    cJSON *t = cJSON_CreateObject();
    js_set_str(t, "kind", "Table");
    js_set_str(t, "apiVersion", "meta.k8s.io/v1");
    js_obj(t, "metadata");
    cJSON *defs = cJSON_AddArrayToObject(t, "columnDefinitions");
    size_t n;
    const struct kube_column *cols = columns_of(rt, &n);
    for (size_t i = 0; i < n; i++) {
        cJSON *d = cJSON_CreateObject();
        js_set_str(d, "name", cols[i].name);
        js_set_str(d, "type", cols[i].type);
        js_set_str(d, "format", cols[i].format);
        js_set_str(d, "description", "");
        js_set_num(d, "priority", cols[i].priority);
        cJSON_AddItemToArray(defs, d);
    }
    cJSON_AddArrayToObject(t, "rows");
    return t;
}

/* The cells of one object, in the columns' order. */
static void add_cells(cJSON *cells, const struct rtype *rt, const cJSON *obj)
{
    const struct kube_resource *r = kind_of(rt);
    const struct kube_resource *proj = r ? r : kube_resource_get(KUBE_NAMESPACE);
    size_t n;
    const struct kube_column *cols = columns_of(rt, &n);
    struct kube_intern strs = {0};
    struct kube_obj o;
    struct error err;
    error_clear(&err);
    if (kube_obj_project(&strs, proj, obj, &o, &err) < 0) {
        kube_intern_done(&strs);
        return;
    }
    long long now = (long long)time(NULL);
    struct strbuf sb;
    for (size_t i = 0; i < n; i++) {
        strbuf_init(&sb);
        kube_cell_text(&cols[i], &o, now, &sb);
        if (cols[i].number)
            cJSON_AddItemToArray(cells, cJSON_CreateNumber(strtod(sb.buf, NULL)));
        else
            cJSON_AddItemToArray(cells, cJSON_CreateString(sb.buf));
        strbuf_done(&sb);
    }
    kube_obj_release(&strs, proj, &o);
    kube_intern_done(&strs);
}

void table_add_row(cJSON *table, const struct rtype *rt, const cJSON *obj, bool full_object)
{
    cJSON *row = cJSON_CreateObject();
    add_cells(cJSON_AddArrayToObject(row, "cells"), rt, obj);
    if (full_object) {
        js_set(row, "object", cJSON_Duplicate(obj, 1));
    } else {
        cJSON *pm = cJSON_CreateObject();
        js_set_str(pm, "kind", "PartialObjectMetadata");
        js_set_str(pm, "apiVersion", "meta.k8s.io/v1");
        cJSON *meta = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(obj, "metadata"), 1);
        cJSON_DeleteItemFromObjectCaseSensitive(meta, "managedFields");
        js_set(pm, "metadata", meta);
        js_set(row, "object", pm);
    }
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(table, "rows"), row);
}
