/* core/chart_keys.h: the value keys each supported Helm chart version reads,
 * so render emits only keys a chart uses and a misspelt or unused key is an
 * error instead of a setting that silently does nothing.
 *
 * The tables (core/chart_keys_data.c) are written by scripts/chart_keys.py:
 * for BorisPolonsky/dify-helm from the chart's templates at each release
 * tag, for the Dify EE chart from its published default values (its
 * templates are not public). A key "a.b" is read as it is; "a.b.*" means the
 * chart reads the whole subtree (toYaml, tpl, omit), so any key below it is
 * read. List elements are written "a.b[]". */
#ifndef CORE_CHART_KEYS_H
#define CORE_CHART_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/dify_versions.h"

struct cJSON;

/* Every key of every version once (the versions share most of them),
 * sorted by strcmp, with a bit for each version that reads it. */
struct chart_key {
    const char *key;
    unsigned versions; /* the chart_keys.bit of each version reading it */
};

struct chart_keys {
    enum dify_line line;
    const char *version; /* chart version, "0.37.0" */
    const char *source;  /* where the keys were read */
    unsigned bit;        /* this version's bit in chart_key.versions */
    size_t n;            /* how many keys it reads */
};

extern const struct chart_key chart_keys_all[];
extern const size_t chart_keys_nall;
extern const struct chart_keys chart_keys_tables[];
extern const size_t chart_keys_ntables;

/* The table of a chart version of the line, or NULL when none is kept. */
const struct chart_keys *chart_keys_find(enum dify_line line, const char *version);
/* The supported versions of the line, ", "-separated; caller frees. */
char *chart_keys_versions(enum dify_line line);
/* Whether the chart reads the key at path ("api.extraEnv[].name"). */
bool chart_keys_reads(const struct chart_keys *ck, const char *path);
/* The first leaf of a values document the chart does not read, as a path;
 * NULL when it reads every one. Caller frees. */
char *chart_keys_unread(const struct chart_keys *ck, const struct cJSON *values);

#endif
