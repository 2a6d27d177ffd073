/* core/kube_jval.h: the typed reads of a cJSON value already found, which
 * core/kube_json.c's path accessors (kj_str, kj_int, kj_has) end in and
 * which the projection (core/kube_obj.c, core/kube_project.c) uses on the
 * members it found itself: one definition of "a string", "an integer", "a
 * count" and "a time" for all of them. Inline: the projection reads about
 * forty members an object. Internal to core/. */
#ifndef CORE_KUBE_JVAL_H
#define CORE_KUBE_JVAL_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "core/kube_json.h"

/* The string, or NULL when v is absent or not a string. */
static inline const char *kjv_str(const cJSON *v)
{
    return v && (v->type & 0xFF) == cJSON_String ? v->valuestring : NULL;
}

/* The integer, or def when v is absent, not a number, or beyond +-9e18. */
static inline long long kjv_int(const cJSON *v, long long def)
{
    if (!v || (v->type & 0xFF) != cJSON_Number)
        return def;
    double d = v->valuedouble;
    return d > 9e18 || d < -9e18 ? def : (long long)d;
}

/* Present and not null. */
static inline bool kjv_has(const cJSON *v)
{
    return v && (v->type & 0xFF) != cJSON_NULL;
}

static inline bool kjv_true(const cJSON *v)
{
    return v && (v->type & 0xFF) == cJSON_True;
}

/* A count: def when absent, not a number, or outside -1..1e9. */
static inline int kjv_count(const cJSON *v, int def)
{
    long long n = kjv_int(v, def);
    return n < -1 || n > 1000000000 ? def : (int)n;
}

/* An RFC 3339 time in Unix seconds; 0 when absent or not one. */
static inline long long kjv_time(const cJSON *v)
{
    long long t = kube_time_parse(kjv_str(v));
    return t < 0 ? 0 : t;
}

#endif
