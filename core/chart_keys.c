/* core/chart_keys.c: lookups in the chart key tables (see chart_keys.h). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/chart_keys.h"
#include "core/util.h"

const struct chart_keys *chart_keys_find(enum dify_line line, const char *version)
{
    for (size_t i = 0; version && i < chart_keys_ntables; i++)
        if (chart_keys_tables[i].line == line && strcmp(chart_keys_tables[i].version, version) == 0)
            return &chart_keys_tables[i];
    return NULL;
}

char *chart_keys_versions(enum dify_line line)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < chart_keys_ntables; i++)
        if (chart_keys_tables[i].line == line)
            strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", chart_keys_tables[i].version);
    return strbuf_detach(&sb, NULL);
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(a, ((const struct chart_key *)b)->key);
}

static bool has(const struct chart_keys *ck, const char *key)
{
    const struct chart_key *k =
        bsearch(key, chart_keys_all, chart_keys_nall, sizeof(*chart_keys_all), cmp_key);
    return k && (k->versions & ck->bit);
}

bool chart_keys_reads(const struct chart_keys *ck, const char *path)
{
    if (has(ck, path))
        return true;
    /* Read whole: the path itself ("a.b.*" covers an empty "a.b: {}") or a
     * prefix of it that ends before a '.' or a "[]". */
    size_t n = strlen(path);
    char *buf = xmalloc(n + 3);
    bool found = false;
    for (size_t i = n; i > 0 && !found; i--) {
        if (i < n && path[i] != '.' && strncmp(path + i, "[]", 2) != 0)
            continue;
        memcpy(buf, path, i);
        memcpy(buf + i, ".*", 3);
        found = has(ck, buf);
    }
    free(buf);
    return found;
}

static char *unread(const struct chart_keys *ck, const cJSON *node, const char *path)
{
    if (cJSON_IsObject(node) && node->child) {
        for (const cJSON *c = node->child; c; c = c->next) {
            char *sub = *path ? xasprintf("%s.%s", path, c->string) : xstrdup(c->string);
            char *bad = unread(ck, c, sub);
            free(sub);
            if (bad)
                return bad;
        }
        return NULL;
    }
    if (cJSON_IsArray(node) && node->child && cJSON_IsObject(node->child)) {
        char *sub = xasprintf("%s[]", path);
        char *bad = NULL;
        for (const cJSON *c = node->child; c && !bad; c = c->next)
            bad = unread(ck, c, sub);
        free(sub);
        return bad;
    }
    return chart_keys_reads(ck, path) ? NULL : xstrdup(path);
}

char *chart_keys_unread(const struct chart_keys *ck, const cJSON *values)
{
    return unread(ck, values, "");
}
