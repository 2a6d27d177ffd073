/* core/kube_check.c: field types of API objects (see kube_check.h). The
 * types are those of k8s.io/api (int32 counts, int64 generations, metav1.Time
 * timestamps as RFC 3339 strings, maps of strings for labels). */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_check.h"
#include "core/kube_json.h"
#include "core/util.h"

enum ftype {
    T_INT32,
    T_INT64,
    T_BOOL,
    T_STRING,
    T_TIME,       /* metav1.Time: RFC 3339 string, "" or null */
    T_STRMAP,     /* map[string]string */
    T_OBJECT,     /* a struct */
    T_OBJECTLIST, /* []struct */
};

static const char *const type_names[] = {
    [T_INT32] = "an int32",        [T_INT64] = "an int64",
    [T_BOOL] = "a boolean",        [T_STRING] = "a string",
    [T_TIME] = "an RFC 3339 time", [T_STRMAP] = "a map of strings",
    [T_OBJECT] = "an object",      [T_OBJECTLIST] = "a list of objects",
};

/* The rules of one key are adjacent, those with a parent first. */
static const struct rule {
    const char *key;
    const char *parent; /* NULL: anywhere */
    enum ftype type;
} rules[] = {
    /* a container status's ready is a boolean; a Job's or a DaemonSet's a count */
    {"ready", "containerStatuses", T_BOOL},
    {"ready", "initContainerStatuses", T_BOOL},
    {"ready", "ephemeralContainerStatuses", T_BOOL},
    {"ready", NULL, T_INT32},
    {"restartCount", NULL, T_INT32},
    {"replicas", NULL, T_INT32},
    {"readyReplicas", NULL, T_INT32},
    {"availableReplicas", NULL, T_INT32},
    {"updatedReplicas", NULL, T_INT32},
    {"unavailableReplicas", NULL, T_INT32},
    {"currentReplicas", NULL, T_INT32},
    {"fullyLabeledReplicas", NULL, T_INT32},
    {"terminatingReplicas", NULL, T_INT32},
    {"collisionCount", NULL, T_INT32},
    {"count", NULL, T_INT32},
    {"succeeded", NULL, T_INT32},
    {"failed", NULL, T_INT32},
    {"active", NULL, T_INT32},
    {"completions", NULL, T_INT32},
    {"parallelism", NULL, T_INT32},
    {"backoffLimit", NULL, T_INT32},
    {"exitCode", NULL, T_INT32},
    {"signal", NULL, T_INT32},
    {"currentNumberScheduled", NULL, T_INT32},
    {"desiredNumberScheduled", NULL, T_INT32},
    {"numberReady", NULL, T_INT32},
    {"numberAvailable", NULL, T_INT32},
    {"numberUnavailable", NULL, T_INT32},
    {"numberMisscheduled", NULL, T_INT32},
    {"updatedNumberScheduled", NULL, T_INT32},
    {"containerPort", NULL, T_INT32},
    {"hostPort", NULL, T_INT32},
    {"nodePort", NULL, T_INT32},
    {"partition", NULL, T_INT32},
    {"progressDeadlineSeconds", NULL, T_INT32},
    {"revisionHistoryLimit", NULL, T_INT32},
    {"minReadySeconds", NULL, T_INT32},
    {"generation", NULL, T_INT64},
    {"observedGeneration", NULL, T_INT64},
    {"terminationGracePeriodSeconds", NULL, T_INT64},
    {"deletionGracePeriodSeconds", NULL, T_INT64},
    {"activeDeadlineSeconds", NULL, T_INT64},
    {"started", NULL, T_BOOL},
    {"unschedulable", NULL, T_BOOL},
    {"paused", NULL, T_BOOL},
    {"controller", NULL, T_BOOL},
    {"blockOwnerDeletion", NULL, T_BOOL},
    {"suspend", NULL, T_BOOL},
    {"creationTimestamp", NULL, T_TIME},
    {"deletionTimestamp", NULL, T_TIME},
    {"lastTransitionTime", NULL, T_TIME},
    {"lastProbeTime", NULL, T_TIME},
    {"lastHeartbeatTime", NULL, T_TIME},
    {"lastUpdateTime", NULL, T_TIME},
    {"startTime", NULL, T_TIME},
    {"completionTime", NULL, T_TIME},
    {"startedAt", NULL, T_TIME},
    {"finishedAt", NULL, T_TIME},
    {"firstTimestamp", NULL, T_TIME},
    {"lastTimestamp", NULL, T_TIME},
    {"name", NULL, T_STRING},
    {"namespace", NULL, T_STRING},
    {"uid", NULL, T_STRING},
    {"resourceVersion", NULL, T_STRING},
    {"phase", NULL, T_STRING},
    {"reason", NULL, T_STRING},
    {"message", NULL, T_STRING},
    {"image", NULL, T_STRING},
    {"nodeName", NULL, T_STRING},
    {"labels", NULL, T_STRMAP},
    {"annotations", NULL, T_STRMAP},
    {"matchLabels", NULL, T_STRMAP},
    {"metadata", NULL, T_OBJECT},
    {"spec", NULL, T_OBJECT},
    {"status", "conditions", T_STRING}, /* a condition's "True"/"False"/"Unknown" */
    {"status", NULL, T_OBJECT},
    {"state", NULL, T_OBJECT},
    {"lastState", NULL, T_OBJECT},
    {"template", NULL, T_OBJECT},
    {"containers", NULL, T_OBJECTLIST},
    {"initContainers", NULL, T_OBJECTLIST},
    {"containerStatuses", NULL, T_OBJECTLIST},
    {"initContainerStatuses", NULL, T_OBJECTLIST},
    {"conditions", NULL, T_OBJECTLIST},
    {"ownerReferences", NULL, T_OBJECTLIST},
};

/* The rules by key: an open-addressing table built once (the rule list is
 * constant), so a lookup is a hash of four bytes and the length, and
 * usually one comparison; this runs for every member of every object a
 * list or watch brings. */
#define RULE_SLOTS 256

static struct {
    pthread_once_t once;
    unsigned char slot[RULE_SLOTS]; /* rule index + 1; 0: empty */
    unsigned char len[ARRAY_LEN(rules)];
    unsigned char group[ARRAY_LEN(rules)]; /* at a key's first rule: how many it has */
} g_rules = {PTHREAD_ONCE_INIT, {0}, {0}, {0}};

static unsigned key_hash(const char *k, size_t n)
{
    if (!n)
        return 0;
    return ((unsigned)n * 131u + (unsigned char)k[0] * 31u + (unsigned char)k[n - 1] * 7u +
            (unsigned char)k[n / 2]) %
           RULE_SLOTS;
}

/* Only the first rule of a key goes into the table; the ones after it (the
 * same key with other parents) follow it in the list. */
static void rules_build(void)
{
    for (size_t i = 0; i < ARRAY_LEN(rules); i++) {
        g_rules.len[i] = (unsigned char)strlen(rules[i].key);
        if (i > 0 && !strcmp(rules[i - 1].key, rules[i].key))
            continue;
        size_t k = i;
        while (k < ARRAY_LEN(rules) && !strcmp(rules[k].key, rules[i].key))
            k++;
        g_rules.group[i] = (unsigned char)(k - i);
        unsigned h = key_hash(rules[i].key, g_rules.len[i]);
        while (g_rules.slot[h])
            h = (h + 1) % RULE_SLOTS;
        g_rules.slot[h] = (unsigned char)(i + 1);
    }
}

static const struct rule *rule_find(const char *key, size_t n, const char *parent)
{
    for (unsigned h = key_hash(key, n); g_rules.slot[h]; h = (h + 1) % RULE_SLOTS) {
        size_t i = g_rules.slot[h] - 1u;
        if (g_rules.len[i] != n || memcmp(rules[i].key, key, n) != 0)
            continue;
        for (size_t end = i + g_rules.group[i]; i < end; i++)
            if (!rules[i].parent || (parent && !strcmp(rules[i].parent, parent)))
                return &rules[i];
        return NULL;
    }
    return NULL;
}

static const struct rule *rule_for(const char *key, const char *parent)
{
    return rule_find(key, strlen(key), parent);
}

static const char *json_type(const cJSON *v)
{
    return cJSON_IsString(v)   ? "a string"
           : cJSON_IsNumber(v) ? "a number"
           : cJSON_IsBool(v)   ? "a boolean"
           : cJSON_IsArray(v)  ? "a list"
           : cJSON_IsObject(v) ? "an object"
                               : "null";
}

/* cJSON's type of a node, tested inline: cJSON_IsNumber and the others are
 * calls into the library, and this runs for every member of every object a
 * list brings. */
#define JTYPE(v) ((v)->type & 0xFF)

/* NULL when v has type t, else what is wrong with it. */
static const char *type_problem(const cJSON *v, enum ftype t, char *buf, size_t len)
{
    if (JTYPE(v) == cJSON_NULL)
        return NULL; /* Go leaves the zero value */
    switch (t) {
    case T_INT32:
    case T_INT64: {
        if (JTYPE(v) != cJSON_Number)
            break;
        double d = v->valuedouble, lim = t == T_INT32 ? 2147483648.0 : 9223372036854775808.0;
        if (d != floor(d) || d >= lim || d < -lim) {
            snprintf(buf, len, "the number %.17g is out of range", d);
            return buf;
        }
        return NULL;
    }
    case T_BOOL:
        if (JTYPE(v) == cJSON_True || JTYPE(v) == cJSON_False)
            return NULL;
        break;
    case T_STRING:
        if (JTYPE(v) == cJSON_String)
            return NULL;
        break;
    case T_TIME:
        if (JTYPE(v) != cJSON_String)
            break;
        if (v->valuestring[0] && kube_time_parse(v->valuestring) < 0) {
            snprintf(buf, len, "\"%.40s\" is not an RFC 3339 time", v->valuestring);
            return buf;
        }
        return NULL;
    case T_STRMAP:
        if (JTYPE(v) != cJSON_Object)
            break;
        for (const cJSON *c = v->child; c; c = c->next)
            if (JTYPE(c) != cJSON_String) {
                snprintf(buf, len, "the value of \"%.60s\" is %s", c->string, json_type(c));
                return buf;
            }
        return NULL;
    case T_OBJECT:
        if (JTYPE(v) == cJSON_Object)
            return NULL;
        break;
    case T_OBJECTLIST:
        if (JTYPE(v) != cJSON_Array)
            break;
        for (const cJSON *c = v->child; c; c = c->next)
            if (JTYPE(c) != cJSON_Object && JTYPE(c) != cJSON_NULL) {
                snprintf(buf, len, "an item is %s", json_type(c));
                return buf;
            }
        return NULL;
    }
    snprintf(buf, len, "%s", json_type(v));
    return buf;
}

/* Where a node is: its key or index and its parent's place. The path text
 * is made only for a problem, never on the way down. */
struct place {
    const struct place *up;
    const char *key; /* NULL: an item of a list */
    int index;
};

static void place_text(const struct place *pl, struct strbuf *out)
{
    if (!pl)
        return;
    place_text(pl->up, out);
    if (pl->key)
        strbuf_addf(out, "%s%s", out->len ? "." : "", pl->key);
    else
        strbuf_addf(out, "[%d]", pl->index);
}

/* Walks o (at place at, whose last key is parent); the first problem wins. */
static int check_node(const cJSON *o, const char *parent, const struct place *at, struct error *err)
{
    if (!o)
        return 0;
    if (JTYPE(o) == cJSON_Array) {
        int i = 0;
        for (const cJSON *c = o->child; c; c = c->next, i++) {
            if (!(c->type & (cJSON_Array | cJSON_Object)))
                continue;
            struct place pl = {at, NULL, i};
            if (check_node(c, parent, &pl, err) < 0)
                return -1;
        }
        return 0;
    }
    if (JTYPE(o) != cJSON_Object)
        return 0;
    for (const cJSON *c = o->child; c; c = c->next) {
        struct place pl = {at, c->string, 0};
        const struct rule *r = rule_for(c->string, parent);
        char why[160];
        const char *bad = r ? type_problem(c, r->type, why, sizeof(why)) : NULL;
        if (bad) {
            struct strbuf path;
            strbuf_init(&path);
            place_text(&pl, &path);
            error_set(err, ERR_PARSE, 0, "%s: %s where the API has %s", path.buf, bad,
                      type_names[r->type]);
            strbuf_done(&path);
            return -1;
        }
        /* labels and annotations hold user keys: nothing below to check */
        if ((c->type & (cJSON_Array | cJSON_Object)) && (!r || r->type != T_STRMAP) &&
            check_node(c, c->string, &pl, err) < 0)
            return -1;
    }
    return 0;
}

int kube_obj_check(const cJSON *obj, const char *resource, struct error *err)
{
    pthread_once(&g_rules.once, rules_build);
    struct error e;
    error_clear(&e);
    int rc = check_node(obj, NULL, NULL, &e);
    if (rc == 0)
        return 0;
    const char *name = kj_str(obj, "metadata.name"), *ns = kj_str(obj, "metadata.namespace");
    error_set(err, ERR_PARSE, 0, "%s \"%s\"%s%s%s is malformed: %s", resource ? resource : "object",
              name ? name : "", ns ? " in namespace \"" : "", ns ? ns : "", ns ? "\"" : "", e.msg);
    return -1;
}
