/* sim/scenario.c: loading and applying scenario files (see scenario.h). The
 * parsed YAML stays a cJSON tree for the life of the process: the scenario is
 * data the server consults, not something copied into the client's structs. */
#include "config.h"

#include "sim/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/paths.h"
#include "core/util.h"
#include "sim/api.h"
#include "sim/apply.h"
#include "sim/datastores.h"
#include "sim/select.h"
#include "sim/store.h"

static cJSON *g_scn; /* the loaded scenario, or NULL */
static struct pod_behavior g_defaults = {
    .schedule_delay = 0.3, .pull_delay = 1.0, .ready_delay = 2.0, .run_for = 3.0};
static long long g_start_ms;     /* when objects were created */
static long long g_last_bulk_ms; /* last bulk change tick */
static double g_bulk_debt;       /* fractional changes carried between ticks */
static pthread_mutex_t g_fault_lock = PTHREAD_MUTEX_INITIALIZER;

void scenario_set_defaults(const struct pod_behavior *b)
{
    g_defaults = *b;
}

static const char *const known_top[] = {"name",   "description", "defaults", "objects",   "pods",
                                        "faults", "watch",       "bulk",     "dataStores"};
static const char *const known_rule[] = {"match",      "scheduleDelay", "pullDelay",  "readyDelay",
                                         "neverReady", "pullError",     "crashAfter", "exitCode",
                                         "runFor",     "logs",          "logRate"};

static int check_keys(const cJSON *o, const char *const *known, size_t n, const char *where,
                      const char *path, struct error *err)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, o)
    {
        bool ok = false;
        for (size_t i = 0; i < n; i++)
            if (strcmp(k->string, known[i]) == 0)
                ok = true;
        if (!ok)
            return error_set(err, ERR_INVALID, 0, "%s: unknown key \"%s\" in %s", path, k->string,
                             where);
    }
    return 0;
}

int scenario_load(const char *path, struct error *err)
{
    char *resolved = NULL;
    /* a bare name is a scenario of assets/scenarios (demo, kept-volume, bulk) */
    if (*path && !strchr(path, '/') && !strchr(path, '.')) {
        char *rel = xasprintf("scenarios/%s.yaml", path);
        path = resolved = paths_asset(rel);
        free(rel);
    }
    char *text = NULL;
    size_t len = 0;
    int rc = -1;
    if (file_read_all(path, 16 << 20, &text, &len, err) < 0)
        goto out;
    cJSON *docs = yaml_parse_all(text, len, err);
    if (!docs) {
        error_prefix(err, "%s", path);
        goto out;
    }
    cJSON *doc = cJSON_DetachItemFromArray(docs, 0);
    cJSON_Delete(docs);
    if (!cJSON_IsObject(doc)) {
        error_set(err, ERR_INVALID, 0, "%s: a scenario is a mapping (name, objects, pods, ...)",
                  path);
        cJSON_Delete(doc);
        goto out;
    }
    if (check_keys(doc, known_top, ARRAY_LEN(known_top), "the scenario", path, err) < 0) {
        cJSON_Delete(doc);
        goto out;
    }
    const cJSON *rule;
    int i = 0;
    cJSON_ArrayForEach(rule, cJSON_GetObjectItemCaseSensitive(doc, "pods"))
    {
        char where[64];
        snprintf(where, sizeof(where), "pods[%d]", i++);
        if (!cJSON_IsObject(rule)) {
            error_set(err, ERR_INVALID, 0, "%s: %s is not a mapping", path, where);
            cJSON_Delete(doc);
            goto out;
        }
        if (check_keys(rule, known_rule, ARRAY_LEN(known_rule), where, path, err) < 0) {
            cJSON_Delete(doc);
            goto out;
        }
    }
    i = 0;
    cJSON_ArrayForEach(rule, cJSON_GetObjectItemCaseSensitive(doc, "objects"))
    {
        if (!kj_str(rule, "kind") || !kj_str(rule, "apiVersion") ||
            !kj_str(rule, "metadata.name")) {
            error_set(err, ERR_INVALID, 0,
                      "%s: objects[%d] needs apiVersion, kind and metadata.name", path, i);
            cJSON_Delete(doc);
            goto out;
        }
        i++;
    }
    if (datastores_configure(cJSON_GetObjectItemCaseSensitive(doc, "dataStores"), path, err) < 0) {
        cJSON_Delete(doc);
        goto out;
    }
    cJSON_Delete(g_scn);
    g_scn = doc;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(doc, "defaults");
    g_defaults.schedule_delay = kj_num(d, "scheduleDelay", g_defaults.schedule_delay);
    g_defaults.pull_delay = kj_num(d, "pullDelay", g_defaults.pull_delay);
    g_defaults.ready_delay = kj_num(d, "readyDelay", g_defaults.ready_delay);
    g_defaults.run_for = kj_num(d, "runFor", g_defaults.run_for);
    rc = 0;
out:
    free(text);
    free(resolved);
    return rc;
}

int scenario_create_objects(struct error *err)
{
    g_start_ms = g_last_bulk_ms = now_ms();
    if (!g_scn)
        return 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(g_scn, "objects"))
    {
        cJSON *copy = cJSON_Duplicate(o, 1);
        if (!api_create(copy, err)) {
            error_prefix(err, "scenario object %s %s", kj_str(o, "kind"),
                         kj_str(o, "metadata.name"));
            return -1;
        }
    }
    const cJSON *bulk = cJSON_GetObjectItemCaseSensitive(g_scn, "bulk");
    int n = (int)kj_num(bulk, "pods", 0);
    if (n > 0) {
        const char *ns = kj_str(bulk, "namespace") ? kj_str(bulk, "namespace") : "load";
        if (!store_get(store_rtype("", "namespaces"), NULL, ns)) {
            cJSON *nso = cJSON_CreateObject();
            js_set_str(nso, "apiVersion", "v1");
            js_set_str(nso, "kind", "Namespace");
            js_set_str(js_obj(nso, "metadata"), "name", ns);
            if (!api_create(nso, err))
                return -1;
        }
        const char *image = kj_str(bulk, "image") ? kj_str(bulk, "image") : "busybox:1.36";
        for (int i = 0; i < n; i++) {
            cJSON *p = cJSON_CreateObject();
            js_set_str(p, "apiVersion", "v1");
            js_set_str(p, "kind", "Pod");
            cJSON *meta = js_obj(p, "metadata");
            char name[64];
            snprintf(name, sizeof(name), "load-%05d", i);
            js_set_str(meta, "name", name);
            js_set_str(meta, "namespace", ns);
            cJSON *labels = js_obj(meta, "labels");
            js_set_str(labels, "app", "load");
            js_set_str(labels, "shard", i % 2 ? "odd" : "even");
            cJSON *c = cJSON_CreateObject();
            js_set_str(c, "name", "main");
            js_set_str(c, "image", image);
            cJSON *cs = cJSON_AddArrayToObject(js_obj(p, "spec"), "containers");
            cJSON_AddItemToArray(cs, c);
            if (!api_create(p, err))
                return -1;
            store_trim(); /* never every tree of a bulk load at once */
        }
    }
    return 0;
}

static bool rule_matches(const cJSON *match, const cJSON *pod)
{
    if (!match)
        return true;
    const char *ns = kj_str(match, "namespace");
    if (ns && !str_eq(ns, kj_str(pod, "metadata.namespace")))
        return false;
    const char *prefix = kj_str(match, "namePrefix");
    const char *name = kj_str(pod, "metadata.name");
    if (prefix && !(name && str_starts_with(name, prefix)))
        return false;
    const cJSON *labels = cJSON_GetObjectItemCaseSensitive(match, "labels");
    if (labels && !selector_match_labels(labels, kj_get_mut(pod, "metadata.labels")))
        return false;
    return true;
}

void scenario_pod_behavior(const cJSON *pod, struct pod_behavior *b)
{
    *b = g_defaults;
    const cJSON *rule;
    cJSON_ArrayForEach(rule, cJSON_GetObjectItemCaseSensitive(g_scn, "pods"))
    {
        if (!rule_matches(cJSON_GetObjectItemCaseSensitive(rule, "match"), pod))
            continue;
        b->schedule_delay = kj_num(rule, "scheduleDelay", b->schedule_delay);
        b->pull_delay = kj_num(rule, "pullDelay", b->pull_delay);
        b->ready_delay = kj_num(rule, "readyDelay", b->ready_delay);
        b->never_ready = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rule, "neverReady"));
        b->pull_error = kj_str(rule, "pullError");
        b->crash_after = kj_num(rule, "crashAfter", 0);
        b->exit_code = (int)kj_num(rule, "exitCode", 0);
        b->run_for = kj_num(rule, "runFor", b->run_for);
        b->log_rate = kj_num(rule, "logRate", 0);
        cJSON *logs = cJSON_GetObjectItemCaseSensitive(rule, "logs");
        if (cJSON_IsArray(logs))
            b->logs = logs;
        return;
    }
}

int scenario_fault(const char *method, const char *path, long *latency_ms)
{
    *latency_ms = 0;
    const cJSON *f;
    int status = 0;
    double since = (now_ms() - g_start_ms) / 1000.0 * sim_speed;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(g_scn, "faults"))
    {
        const char *p = kj_str(f, "path"), *m = kj_str(f, "method");
        if (p && !str_starts_with(path, p))
            continue;
        if (m && strcasecmp(m, method) != 0)
            continue;
        if (since < kj_num(f, "after", 0))
            continue;
        if (kj_num(f, "until", 0) > 0 && since >= kj_num(f, "until", 0))
            continue;
        *latency_ms += (long)kj_num(f, "latencyMs", 0);
        double fraction = kj_num(f, "fraction", 1.0);
        pthread_mutex_lock(&g_fault_lock);
        double roll = (double)random() / ((double)RAND_MAX + 1.0);
        pthread_mutex_unlock(&g_fault_lock);
        if (!status && kj_num(f, "status", 0) > 0 && roll < fraction)
            status = (int)kj_num(f, "status", 500);
    }
    return status;
}

struct scenario_watch_drop scenario_watch_drop(void)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(g_scn, "watch");
    struct scenario_watch_drop d = {kj_num(w, "dropAfterSeconds", 0),
                                    (long)kj_num(w, "dropAfterEvents", 0)};
    return d;
}

void scenario_tick(long long now)
{
    const cJSON *bulk = cJSON_GetObjectItemCaseSensitive(g_scn, "bulk");
    double rate = kj_num(bulk, "changesPerSecond", 0);
    if (rate <= 0) {
        g_last_bulk_ms = now;
        return;
    }
    g_bulk_debt += rate * (double)(now - g_last_bulk_ms) / 1000.0;
    g_last_bulk_ms = now;
    const char *ns = kj_str(bulk, "namespace") ? kj_str(bulk, "namespace") : "load";
    struct rtype *rt = store_rtype("", "pods");
    char *prefix = xasprintf("%s/", ns);
    size_t lo = store_lower_bound(rt, prefix), hi = store_prefix_end(rt, prefix);
    free(prefix);
    while (g_bulk_debt >= 1.0 && hi > lo) {
        g_bulk_debt -= 1.0;
        struct sim_obj *o = rt->objs[lo + (size_t)random() % (hi - lo)];
        cJSON *ann = js_obj(js_obj(obj_json(o), "metadata"), "annotations");
        char v[32];
        snprintf(v, sizeof(v), "%lld", now);
        js_set(ann, "dify-sim/changed-at", cJSON_CreateString(v));
        store_commit(o);
    }
    if (hi == lo)
        g_bulk_debt = 0;
}
