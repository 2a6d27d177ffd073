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
#include "core/kube_keys.h"
#include "core/util.h"

#define T_INT32 KUBE_T_INT32
#define T_INT64 KUBE_T_INT64
#define T_BOOL KUBE_T_BOOL
#define T_STRING KUBE_T_STRING
#define T_TIME KUBE_T_TIME
#define T_STRMAP KUBE_T_STRMAP
#define T_OBJECT KUBE_T_OBJECT
#define T_OBJECTLIST KUBE_T_OBJECTLIST

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
    enum kube_ftype type;
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
 * list or watch brings. A member the client's parser read has its name's
 * number already (kube_keys.h): its rules are found by that, in by_key. */
#define RULE_SLOTS 256

static struct {
    pthread_once_t once;
    unsigned char slot[RULE_SLOTS]; /* rule index + 1; 0: empty */
    unsigned char len[ARRAY_LEN(rules)];
    unsigned char group[ARRAY_LEN(rules)]; /* at a key's first rule: how many it has */
    unsigned char by_key[KK_COUNT];        /* a key's first rule + 1; 0: none */
    unsigned char parent_key[ARRAY_LEN(rules)];
    bool keys_ok; /* every rule's key and parent has a number */
} g_rules = {PTHREAD_ONCE_INIT, {0}, {0}, {0}, {0}, {0}, false};

unsigned char kube_check_type[KK_COUNT];
bool kube_check_parented[KK_COUNT];
bool kube_check_is_parent[KK_COUNT];

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
static inline const struct rule *rule_by_key(enum kube_key key, enum kube_key parent);

static void rules_build(void)
{
    g_rules.keys_ok = true;
    for (size_t i = 0; i < ARRAY_LEN(rules); i++) {
        g_rules.len[i] = (unsigned char)strlen(rules[i].key);
        enum kube_key k = kube_key_find(rules[i].key, g_rules.len[i]);
        if (k == KK_NONE)
            g_rules.keys_ok = false;
        if (rules[i].parent) {
            g_rules.parent_key[i] =
                (unsigned char)kube_key_find(rules[i].parent, strlen(rules[i].parent));
            if (g_rules.parent_key[i] == KK_NONE)
                g_rules.keys_ok = false;
            kube_check_parented[k] = true;
            kube_check_is_parent[g_rules.parent_key[i]] = true;
        } else if (!kube_check_type[k]) {
            kube_check_type[k] = (unsigned char)rules[i].type;
        }
        if (i > 0 && !strcmp(rules[i - 1].key, rules[i].key))
            continue;
        size_t end = i;
        while (end < ARRAY_LEN(rules) && !strcmp(rules[end].key, rules[i].key))
            end++;
        g_rules.group[i] = (unsigned char)(end - i);
        g_rules.by_key[k] = (unsigned char)(i + 1);
        unsigned h = key_hash(rules[i].key, g_rules.len[i]);
        while (g_rules.slot[h])
            h = (h + 1) % RULE_SLOTS;
        g_rules.slot[h] = (unsigned char)(i + 1);
    }
    g_rules.by_key[KK_NONE] = 0;
    kube_check_type[KK_NONE] = KUBE_T_NONE;
    kube_check_parented[KK_NONE] = kube_check_is_parent[KK_NONE] = false;
    if (!g_rules.keys_ok) {
        /* a rule without a number: the parser may mark nothing clean */
        memset(kube_check_is_parent, 1, sizeof(kube_check_is_parent));
    }
}

void kube_check_init(void)
{
    pthread_once(&g_rules.once, rules_build);
}

enum kube_ftype kube_check_rule(enum kube_key key, enum kube_key parent)
{
    const struct rule *r = rule_by_key(key, parent);
    return r ? r->type : KUBE_T_NONE;
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

/* rule_for by numbers: key is the member's, parent its parent's (KK_NONE
 * for none, or one no rule names). */
static inline const struct rule *rule_by_key(enum kube_key key, enum kube_key parent)
{
    size_t i = g_rules.by_key[key];
    if (!i--)
        return NULL;
    for (size_t end = i + g_rules.group[i]; i < end; i++)
        if (!rules[i].parent || g_rules.parent_key[i] == parent)
            return &rules[i];
    return NULL;
}

static const char *json_type(const cJSON *v)
{
    return cJSON_IsString(v)   ? "a string"
           : cJSON_IsNumber(v) ? "a number"
           : cJSON_IsBool(v)   ? "a boolean"
           : cJSON_IsArray(v)  ? "a list"
           : cJSON_IsObject(v) ? "an object"
           : cJSON_IsRaw(v)    ? v->valuestring /* core/kube_pb.c: a wrong wire type */
                               : "null";
}

/* cJSON's type of a node, tested inline: cJSON_IsNumber and the others are
 * calls into the library, and this runs for every member of every object a
 * list brings. */
#define JTYPE(v) ((v)->type & 0xFF)

static inline unsigned dig(unsigned char c)
{
    return (unsigned)c - '0';
}

/* kube_time_parse(s) >= 0, without its calls for the form API servers
 * write ("2026-12-07T13:16:01Z", a year from 1970: kube_time_parse is
 * negative before); any other form is left to it. The bytes are read in
 * order, so a shorter string stops at its NUL. */
static bool time_valid(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (dig(u[0]) > 9 || dig(u[1]) > 9 || dig(u[2]) > 9 || dig(u[3]) > 9 || u[4] != '-' ||
        dig(u[5]) > 9 || dig(u[6]) > 9 || u[7] != '-' || dig(u[8]) > 9 || dig(u[9]) > 9 ||
        u[10] != 'T' || dig(u[11]) > 9 || dig(u[12]) > 9 || u[13] != ':' || dig(u[14]) > 9 ||
        dig(u[15]) > 9 || u[16] != ':' || dig(u[17]) > 9 || dig(u[18]) > 9 || u[19] != 'Z' || u[20])
        return kube_time_parse(s) >= 0;
    unsigned y = dig(u[0]) * 1000 + dig(u[1]) * 100 + dig(u[2]) * 10 + dig(u[3]);
    unsigned mo = dig(u[5]) * 10 + dig(u[6]), d = dig(u[8]) * 10 + dig(u[9]);
    unsigned h = dig(u[11]) * 10 + dig(u[12]), mi = dig(u[14]) * 10 + dig(u[15]);
    unsigned sec = dig(u[17]) * 10 + dig(u[18]);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return kube_time_parse(s) >= 0;
    return true;
}

bool kube_check_time_ok(const char *s)
{
    return time_valid(s);
}

bool kube_check_int_ok(double d, enum kube_ftype t)
{
    double lim = t == T_INT32 ? 2147483648.0 : 9223372036854775808.0;
    return d == floor(d) && d < lim && d >= -lim;
}

/* NULL when v has type t, else what is wrong with it. */
static const char *type_problem(const cJSON *v, enum kube_ftype t, char *buf, size_t len)
{
    if (JTYPE(v) == cJSON_NULL)
        return NULL; /* Go leaves the zero value */
    switch (t) {
    case KUBE_T_NONE:
        return NULL;
    case T_INT32:
    case T_INT64: {
        if (JTYPE(v) != cJSON_Number)
            break;
        double d = v->valuedouble;
        if (!kube_check_int_ok(d, t)) {
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
        if (v->valuestring[0] && !time_valid(v->valuestring)) {
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

/* Walks o (at place at, whose last key is parent, numbered pkey); the
 * first problem wins. */
static int check_node(const cJSON *o, const char *parent, enum kube_key pkey,
                      const struct place *at, struct error *err)
{
    if (JTYPE(o) == cJSON_Array) {
        int i = 0;
        for (const cJSON *c = o->child; c; c = c->next, i++) {
            if (!(c->type & (cJSON_Array | cJSON_Object)))
                continue;
            struct place pl = {at, NULL, i};
            if (check_node(c, parent, pkey, &pl, err) < 0)
                return -1;
        }
        return 0;
    }
    if (JTYPE(o) != cJSON_Object)
        return 0;
    for (const cJSON *c = o->child; c; c = c->next) {
        const struct rule *r = (c->type & KUBE_KEYED) && g_rules.keys_ok
                                   ? rule_by_key(kube_key_of(c), pkey)
                                   : rule_for(c->string, parent);
        if (r) {
            char why[160];
            const char *bad = type_problem(c, r->type, why, sizeof(why));
            if (bad) {
                struct place pl = {at, c->string, 0};
                struct strbuf path;
                strbuf_init(&path);
                place_text(&pl, &path);
                error_set(err, ERR_PARSE, 0, "%s: %s where the API has %s", path.buf, bad,
                          type_names[r->type]);
                strbuf_done(&path);
                return -1;
            }
        }
        /* labels and annotations hold user keys: nothing below to check */
        if ((c->type & (cJSON_Array | cJSON_Object)) && (!r || r->type != T_STRMAP)) {
            struct place pl = {at, c->string, 0};
            if (check_node(c, c->string, kube_key_of(c), &pl, err) < 0)
                return -1;
        }
    }
    return 0;
}

int kube_obj_check(const cJSON *obj, const char *resource, struct error *err)
{
    if (obj && (obj->type & KUBE_CHECK_OK))
        return 0; /* the client's parser checked it as it read it */
    pthread_once(&g_rules.once, rules_build);
    struct error e;
    error_clear(&e);
    int rc = obj ? check_node(obj, NULL, KK_NONE, NULL, &e) : 0;
    if (rc == 0)
        return 0;
    const char *name = kj_str(obj, "metadata.name"), *ns = kj_str(obj, "metadata.namespace");
    error_set(err, ERR_PARSE, 0, "%s \"%s\"%s%s%s is malformed: %s", resource ? resource : "object",
              name ? name : "", ns ? " in namespace \"" : "", ns ? ns : "", ns ? "\"" : "", e.msg);
    return -1;
}
