/* sim/controllers.c: Deployment -> ReplicaSet -> Pod, StatefulSet, Job,
 * garbage collection and namespace termination (see controllers.h). The
 * algorithms follow the real controllers in outline (surge/unavailable
 * budgets, ordered StatefulSet pods, Job backoff limit) without their
 * corner cases; docs/sim.md lists the differences. */
#include "config.h"

#include "sim/controllers.h"
#include "sim/daemonsets.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "sim/api.h"
#include "sim/crd.h"
#include "sim/events.h"
#include "sim/pods.h"
#include "sim/volumes.h"
#include "sim/scenario.h"
#include "sim/select.h"
#include "sim/store.h"
#include "sim/workloads.h"

/* ---- ownership index: children of an owner uid ---- */

/* By owner, then in the store's order (by key), as a walk over the kind's
 * sorted objects gave before. */
static int child_cmp(const void *a, const void *b)
{
    const struct child *x = a, *y = b;
    int c = strcmp(x->owner, y->owner);
    return c ? c : strcmp(x->obj->key, y->obj->key);
}

/* Rebuilt only when an object of the kind with an owner came, went or
 * changed owners since the last build, from the kind's owned objects alone:
 * a pod's status changing, or 100,000 bare pods, cost nothing here. The
 * owner strings point into the objects, which keep them while their owners
 * do not change (store.c read_owners). */
static void index_build(struct index *ix, struct rtype *rt)
{
    if (ix->built && ix->gen == rt->owner_gen)
        return;
    free(ix->v);
    ix->v = xcalloc(rt->n_owned ? rt->n_owned : 1, sizeof(*ix->v));
    ix->n = 0;
    for (size_t i = 0; i < rt->n_owned; i++) {
        const char *o = obj_owner_uid(rt->owned[i]);
        if (o)
            ix->v[ix->n++] = (struct child){o, rt->owned[i]};
    }
    qsort(ix->v, ix->n, sizeof(*ix->v), child_cmp);
    ix->gen = rt->owner_gen;
    ix->built = true;
}

/* The children of uid: *out points into the index; returns how many. */
size_t index_find(const struct index *ix, const char *uid, struct child **out)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(ix->v[mid].owner, uid) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < ix->n && strcmp(ix->v[end].owner, uid) == 0)
        end++;
    *out = ix->v + lo;
    return end - lo;
}

/* ---- helpers ---- */

void template_hash(const cJSON *tmpl, char out[16])
{
    char *s = cJSON_PrintUnformatted(tmpl);
    unsigned h = 2166136261u;
    for (const char *p = s; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    free(s);
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    char dec[16];
    snprintf(dec, sizeof(dec), "%u", h);
    size_t i;
    for (i = 0; dec[i] && i < 10; i++)
        out[i] = alphabet[(unsigned char)dec[i] % (sizeof(alphabet) - 1)];
    out[i] = '\0';
}

static cJSON *owner_ref(struct sim_obj *owner)
{
    cJSON *refs = cJSON_CreateArray();
    cJSON *r = cJSON_CreateObject();
    js_set_str(r, "apiVersion", kj_str(obj_json(owner), "apiVersion"));
    js_set_str(r, "kind", owner->rt->kind);
    js_set_str(r, "name", obj_name(owner));
    js_set_str(r, "uid", obj_uid(owner));
    js_set_bool(r, "controller", true);
    js_set_bool(r, "blockOwnerDeletion", true);
    cJSON_AddItemToArray(refs, r);
    return refs;
}

/* A pod from owner's template, named name (or owner name + random suffix). */
struct sim_obj *create_pod(struct sim_obj *owner, const cJSON *tmpl, const char *name,
                           cJSON *extra_labels)
{
    cJSON *pod = cJSON_CreateObject();
    cJSON *meta = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(tmpl, "metadata"), 1);
    if (!meta)
        meta = cJSON_CreateObject();
    js_set(pod, "metadata", meta);
    cJSON *spec = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(tmpl, "spec"), 1);
    js_set(pod, "spec", spec ? spec : cJSON_CreateObject());
    char buf[300], sfx[8];
    if (!name) {
        sim_random_suffix(sfx, 5);
        snprintf(buf, sizeof(buf), "%s-%s", obj_name(owner), sfx);
        name = buf;
        char *gen = xasprintf("%s-", obj_name(owner));
        js_set_str(meta, "generateName", gen);
        free(gen);
    }
    js_set_str(meta, "name", name);
    js_set_str(meta, "namespace", obj_ns(owner));
    cJSON *labels = js_obj(meta, "labels");
    const cJSON *l;
    cJSON_ArrayForEach(l, extra_labels) js_set(labels, l->string, cJSON_Duplicate(l, 1));
    js_set(meta, "ownerReferences", owner_ref(owner));
    js_set_str(pod, "apiVersion", "v1");
    js_set_str(pod, "kind", "Pod");
    struct rtype *rt = store_rtype("", "pods");
    if (store_get(rt, obj_ns(owner), name)) {
        cJSON_Delete(pod);
        return NULL;
    }
    api_defaults(rt, pod);
    struct sim_obj *o = store_add(rt, pod);
    events_emit(owner, "Normal", "SuccessfulCreate",
                strcmp(owner->rt->kind, "Job") == 0           ? "job-controller"
                : strcmp(owner->rt->kind, "StatefulSet") == 0 ? "statefulset-controller"
                : strcmp(owner->rt->kind, "DaemonSet") == 0   ? "daemonset-controller"
                                                              : "replicaset-controller",
                "create Pod %s in %s %s successful", name, owner->rt->kind, obj_name(owner));
    return o;
}

/* Replaces obj's status with st (taken) and commits when it changed. */
void set_status(struct sim_obj *obj, cJSON *st)
{
    if (cJSON_Compare(cJSON_GetObjectItemCaseSensitive(obj_json(obj), "status"), st, 1)) {
        cJSON_Delete(st);
        return;
    }
    js_set(obj_json(obj), "status", st);
    store_commit(obj);
}

/* Updates the condition type in a status object, keeping its transition time
 * when the status is unchanged. */
void set_cond(cJSON *st, const cJSON *old_st, const char *type, const char *status,
              const char *reason, const char *message, bool touch_update)
{
    cJSON *conds = cJSON_GetObjectItemCaseSensitive(st, "conditions");
    if (!conds)
        conds = cJSON_AddArrayToObject(st, "conditions");
    char ts[32];
    sim_timestamp(ts, 0);
    const cJSON *old = NULL, *c;
    cJSON_ArrayForEach(c, kj_get_mut(old_st, "conditions"))
    {
        if (str_eq(kj_str(c, "type"), type))
            old = c;
    }
    cJSON *n = cJSON_CreateObject();
    js_set_str(n, "type", type);
    js_set_str(n, "status", status);
    bool same = old && str_eq(kj_str(old, "status"), status);
    bool same_reason = same && str_eq(kj_str(old, "reason"), reason);
    js_set_str(n, "lastUpdateTime",
               same_reason && !touch_update && kj_str(old, "lastUpdateTime")
                   ? kj_str(old, "lastUpdateTime")
                   : ts);
    js_set_str(n, "lastTransitionTime",
               same && kj_str(old, "lastTransitionTime") ? kj_str(old, "lastTransitionTime") : ts);
    js_set_str(n, "reason", reason);
    js_set_str(n, "message", message);
    cJSON_AddItemToArray(conds, n);
}

bool pod_active(const struct sim_obj *p)
{
    const char *phase = p->phase;
    return !p->deleting_ms && !str_eq(phase, "Succeeded") && !str_eq(phase, "Failed");
}

/* maxSurge / maxUnavailable: an int or a percentage of replicas. */
static int int_or_percent(const cJSON *v, int replicas, bool round_up, int dflt)
{
    if (cJSON_IsNumber(v))
        return v->valueint;
    if (cJSON_IsString(v)) {
        double pct = atof(v->valuestring);
        double x = pct * replicas / 100.0;
        return (int)(round_up ? ceil(x) : floor(x));
    }
    return dflt;
}

static void scale_rs(struct sim_obj *d, struct sim_obj *rs, int to)
{
    int from = (int)kj_num(obj_json(rs), "spec.replicas", 0);
    if (from == to)
        return;
    cJSON *spec = js_obj(obj_json(rs), "spec");
    js_set_num(spec, "replicas", to);
    cJSON *meta = js_obj(obj_json(rs), "metadata");
    js_set_num(meta, "generation", kj_num(meta, "generation", 1) + 1);
    char v[16];
    snprintf(v, sizeof(v), "%.0f", kj_num(obj_json(d), "spec.replicas", 1));
    js_set_str(js_obj(meta, "annotations"), "deployment.kubernetes.io/desired-replicas", v);
    store_commit(rs);
    events_emit(d, "Normal", "ScalingReplicaSet", "deployment-controller",
                "Scaled %s replica set %s from %d to %d", to > from ? "up" : "down", obj_name(rs),
                from, to);
    d->progress_ms = now_ms();
}

static long rs_revision(const struct sim_obj *rs)
{
    const char *r = kj_str(kj_get_mut(obj_json(rs), "metadata.annotations"),
                           "deployment.kubernetes.io/revision");
    if (!r) {
        cJSON *a = kj_get_mut(obj_json(rs), "metadata.annotations");
        cJSON *v = cJSON_GetObjectItemCaseSensitive(a, "deployment.kubernetes.io/revision");
        r = cJSON_IsString(v) ? v->valuestring : NULL;
    }
    return r ? atol(r) : 0;
}

static void set_annotation(struct sim_obj *o, const char *key, const char *value)
{
    cJSON *a = js_obj(js_obj(obj_json(o), "metadata"), "annotations");
    cJSON *old = cJSON_GetObjectItemCaseSensitive(a, key);
    if (cJSON_IsString(old) && strcmp(old->valuestring, value) == 0)
        return;
    js_set(a, key, cJSON_CreateString(value));
    store_commit(o);
}

/* ---- Deployment ---- */

static struct sim_obj *create_rs(struct sim_obj *d, const char *hash, long revision)
{
    cJSON *rs = cJSON_CreateObject();
    cJSON *meta = js_obj(rs, "metadata");
    char *name = xasprintf("%s-%s", obj_name(d), hash);
    js_set_str(meta, "name", name);
    js_set_str(meta, "namespace", obj_ns(d));
    cJSON *tmpl = cJSON_Duplicate(kj_get_mut(obj_json(d), "spec.template"), 1);
    cJSON *tlabels = js_obj(js_obj(tmpl, "metadata"), "labels");
    js_set_str(tlabels, "pod-template-hash", hash);
    js_set(meta, "labels", cJSON_Duplicate(tlabels, 1));
    cJSON *ann = js_obj(meta, "annotations");
    char v[32];
    snprintf(v, sizeof(v), "%ld", revision);
    js_set(ann, "deployment.kubernetes.io/revision", cJSON_CreateString(v));
    snprintf(v, sizeof(v), "%.0f", kj_num(obj_json(d), "spec.replicas", 1));
    js_set(ann, "deployment.kubernetes.io/desired-replicas", cJSON_CreateString(v));
    js_set(meta, "ownerReferences", owner_ref(d));
    cJSON *spec = js_obj(rs, "spec");
    js_set_num(spec, "replicas", 0);
    cJSON *sel = cJSON_Duplicate(kj_get_mut(obj_json(d), "spec.selector"), 1);
    if (!sel)
        sel = cJSON_CreateObject();
    js_set_str(js_obj(sel, "matchLabels"), "pod-template-hash", hash);
    js_set(spec, "selector", sel);
    js_set(spec, "template", tmpl);
    js_set_str(rs, "apiVersion", "apps/v1");
    js_set_str(rs, "kind", "ReplicaSet");
    free(name);
    struct rtype *rt = store_rtype("apps", "replicasets");
    if (store_get(rt, obj_ns(d), kj_str(meta, "name"))) {
        cJSON_Delete(rs);
        return NULL;
    }
    return store_add(rt, rs);
}

/* One Deployment's reconcile pass: its ReplicaSets and the numbers the
 * steps below share. */
struct dep_pass {
    struct sim_obj *d;
    struct sim_obj *nrs;     /* the ReplicaSet of the current template */
    struct sim_obj *all[64]; /* every ReplicaSet of d, nrs included; NULL once removed */
    size_t na;
    int replicas, surge, unavail;
    long long now;
};

/* Finds or creates the ReplicaSet of the current template and keeps the
 * revision annotations (a rollback raises the old one's revision again). */
static bool dep_new_rs(struct dep_pass *p, struct child *kids, size_t nk)
{
    struct sim_obj *d = p->d;
    char hash[16];
    template_hash(kj_get_mut(obj_json(d), "spec.template"), hash);
    long maxrev = 0;
    for (size_t i = 0; i < nk; i++) {
        long rev = rs_revision(kids[i].obj);
        if (rev > maxrev)
            maxrev = rev;
        const cJSON *l = obj_labels(kids[i].obj);
        cJSON *h = cJSON_GetObjectItemCaseSensitive(l, "pod-template-hash");
        if (cJSON_IsString(h) && strcmp(h->valuestring, hash) == 0)
            p->nrs = kids[i].obj;
    }
    char v[32];
    if (!p->nrs) {
        p->nrs = create_rs(d, hash, maxrev + 1);
        if (!p->nrs)
            return false;
        d->progress_ms = p->now;
    } else if (rs_revision(p->nrs) < maxrev) {
        snprintf(v, sizeof(v), "%ld", maxrev + 1);
        set_annotation(p->nrs, "deployment.kubernetes.io/revision", v);
        d->progress_ms = p->now;
    }
    snprintf(v, sizeof(v), "%ld", rs_revision(p->nrs));
    set_annotation(d, "deployment.kubernetes.io/revision", v);
    /* the index does not know a ReplicaSet created in this pass */
    bool listed = false;
    for (size_t i = 0; i < nk && p->na < 63; i++) {
        p->all[p->na++] = kids[i].obj;
        listed |= kids[i].obj == p->nrs;
    }
    if (!listed)
        p->all[p->na++] = p->nrs;
    return true;
}

/* Recreate: old ReplicaSets to zero, the new one up once they are gone. */
static void dep_recreate(struct dep_pass *p)
{
    bool old_running = false;
    for (size_t i = 0; i < p->na; i++) {
        if (p->all[i] == p->nrs)
            continue;
        if (kj_num(obj_json(p->all[i]), "spec.replicas", 0) > 0)
            scale_rs(p->d, p->all[i], 0);
        if (kj_num(obj_json(p->all[i]), "status.replicas", 0) > 0)
            old_running = true;
    }
    if (!old_running)
        scale_rs(p->d, p->nrs, p->replicas);
}

/* RollingUpdate: the new ReplicaSet up within maxSurge, old ones down
 * within maxUnavailable (unhealthy replicas first, they count for nothing). */
static void dep_rolling(struct dep_pass *p)
{
    int total = 0, avail_all = 0;
    for (size_t i = 0; i < p->na; i++) {
        total += (int)kj_num(obj_json(p->all[i]), "spec.replicas", 0);
        avail_all += (int)kj_num(obj_json(p->all[i]), "status.availableReplicas", 0);
    }
    int nspec = (int)kj_num(obj_json(p->nrs), "spec.replicas", 0);
    if (nspec < p->replicas) {
        int allowed = p->replicas + p->surge - total;
        int want = p->replicas - nspec;
        if (allowed > 0)
            scale_rs(p->d, p->nrs, nspec + (allowed < want ? allowed : want));
    } else if (nspec > p->replicas) {
        scale_rs(p->d, p->nrs, p->replicas);
    }
    int can_remove = avail_all - (p->replicas - p->unavail);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < p->na; i++) {
            struct sim_obj *o = p->all[i];
            if (o == p->nrs)
                continue;
            int spec = (int)kj_num(obj_json(o), "spec.replicas", 0);
            int avail = (int)kj_num(obj_json(o), "status.availableReplicas", 0);
            if (spec == 0)
                continue;
            int cut = pass == 0 ? spec - avail : can_remove < spec ? can_remove : spec;
            if (cut <= 0)
                continue;
            if (pass == 1)
                can_remove -= cut;
            scale_rs(p->d, o, spec - cut);
        }
    }
}

/* revisionHistoryLimit: drops the oldest empty old ReplicaSets. */
static void dep_prune_history(struct dep_pass *p)
{
    int limit = (int)kj_num(obj_json(p->d), "spec.revisionHistoryLimit", 10);
    for (;;) {
        int empty = 0;
        struct sim_obj *oldest = NULL;
        for (size_t i = 0; i < p->na; i++) {
            struct sim_obj *o = p->all[i];
            if (!o || o == p->nrs || kj_num(obj_json(o), "spec.replicas", 0) > 0 ||
                kj_num(obj_json(o), "status.replicas", 0) > 0)
                continue;
            empty++;
            if (!oldest || rs_revision(o) < rs_revision(oldest))
                oldest = o;
        }
        if (empty <= limit || !oldest)
            break;
        for (size_t i = 0; i < p->na; i++)
            if (p->all[i] == oldest)
                p->all[i] = NULL;
        store_remove(oldest);
    }
}

/* The Progressing condition, as the deployment controller's
 * syncRolloutStatus words it. */
static void dep_progressing(struct dep_pass *p, cJSON *st, const cJSON *old, bool complete)
{
    struct sim_obj *d = p->d;
    char msg[400];
    double deadline = kj_num(obj_json(d), "spec.progressDeadlineSeconds", 600);
    const char *old_reason = NULL;
    const cJSON *c;
    cJSON_ArrayForEach(c, kj_get_mut(old, "conditions"))
    {
        if (str_eq(kj_str(c, "type"), "Progressing"))
            old_reason = kj_str(c, "reason");
    }
    const char *rs = obj_name(p->nrs);
    /* checkPausedConditions: a paused Deployment reports Unknown, and the
     * first sync after resuming says so too */
    if (cJSON_IsTrue(kj_get_mut(obj_json(d), "spec.paused"))) {
        set_cond(st, old, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused",
                 false);
        return;
    }
    if (str_eq(old_reason, "DeploymentPaused")) {
        set_cond(st, old, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed",
                 false);
        d->progress_ms = p->now;
        return;
    }
    if (complete) {
        snprintf(msg, sizeof(msg), "ReplicaSet \"%s\" has successfully progressed.", rs);
        set_cond(st, old, "Progressing", "True", "NewReplicaSetAvailable", msg, false);
    } else if (d->progress_ms == p->now || !old_reason ||
               (p->now - d->progress_ms < sim_ms(deadline) &&
                !str_eq(old_reason, "ProgressDeadlineExceeded"))) {
        snprintf(msg, sizeof(msg), "ReplicaSet \"%s\" is progressing.", rs);
        set_cond(st, old, "Progressing", "True", "ReplicaSetUpdated", msg,
                 d->progress_ms == p->now);
    } else {
        snprintf(msg, sizeof(msg), "ReplicaSet \"%s\" has timed out progressing.", rs);
        set_cond(st, old, "Progressing", "False", "ProgressDeadlineExceeded", msg, false);
    }
}

/* The status: replica counts over every ReplicaSet, Available and Progressing. */
static void dep_status(struct dep_pass *p)
{
    struct sim_obj *d = p->d;
    int st_repl = 0, ready = 0, avail = 0;
    for (size_t i = 0; i < p->na; i++) {
        if (!p->all[i])
            continue;
        st_repl += (int)kj_num(obj_json(p->all[i]), "status.replicas", 0);
        ready += (int)kj_num(obj_json(p->all[i]), "status.readyReplicas", 0);
        avail += (int)kj_num(obj_json(p->all[i]), "status.availableReplicas", 0);
    }
    int updated = (int)kj_num(obj_json(p->nrs), "status.replicas", 0);
    int navail = (int)kj_num(obj_json(p->nrs), "status.availableReplicas", 0);
    long sig = (long)updated * 1000003L + navail * 1009L + st_repl;
    if (sig != d->progress_sig) {
        d->progress_sig = sig;
        d->progress_ms = p->now;
    }
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(obj_json(d), "status");
    cJSON *st = cJSON_CreateObject();
    js_set_num(st, "observedGeneration", kj_num(obj_json(d), "metadata.generation", 1));
    js_set_num(st, "replicas", st_repl);
    js_set_num(st, "updatedReplicas", updated);
    js_set_num(st, "readyReplicas", ready);
    js_set_num(st, "availableReplicas", avail);
    if (p->replicas - avail > 0)
        js_set_num(st, "unavailableReplicas", p->replicas - avail);
    bool available = avail >= p->replicas - p->unavail;
    set_cond(st, old, "Available", available ? "True" : "False",
             available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
             available ? "Deployment has minimum availability."
                       : "Deployment does not have minimum availability.",
             false);
    bool complete = updated == p->replicas && navail == p->replicas && st_repl == p->replicas;
    dep_progressing(p, st, old, complete);
    set_status(d, st);
}

static void reconcile_deployment(struct sim_obj *d, struct index *rsix, long long now)
{
    if (d->deleting_ms)
        return;
    struct dep_pass p = {.d = d, .now = now};
    struct child *kids;
    size_t nk = index_find(rsix, obj_uid(d), &kids);
    if (!d->progress_ms)
        d->progress_ms = now;
    if (!dep_new_rs(&p, kids, nk))
        return;
    p.replicas = (int)kj_num(obj_json(d), "spec.replicas", 1);
    p.surge = int_or_percent(kj_get_mut(obj_json(d), "spec.strategy.rollingUpdate.maxSurge"),
                             p.replicas, true, 1);
    p.unavail =
        int_or_percent(kj_get_mut(obj_json(d), "spec.strategy.rollingUpdate.maxUnavailable"),
                       p.replicas, false, 0);
    if (p.surge == 0 && p.unavail == 0)
        p.unavail = 1;
    if (!cJSON_IsTrue(kj_get_mut(obj_json(d), "spec.paused"))) {
        if (str_eq(kj_str(obj_json(d), "spec.strategy.type"), "Recreate"))
            dep_recreate(&p);
        else
            dep_rolling(&p);
    }
    dep_prune_history(&p);
    dep_status(&p);
}

/* ---- ReplicaSet ---- */

static int pod_cmp_for_deletion(const void *a, const void *b)
{
    struct sim_obj *x = *(struct sim_obj *const *)a, *y = *(struct sim_obj *const *)b;
    bool rx = x->ready, ry = y->ready;
    if (rx != ry)
        return rx ? 1 : -1; /* not-ready pods go first */
    return x->created_ms > y->created_ms ? -1 : x->created_ms < y->created_ms; /* newest first */
}

static void reconcile_rs(struct sim_obj *rs, struct index *podix)
{
    if (rs->deleting_ms)
        return;
    struct child *kids;
    size_t nk = index_find(podix, obj_uid(rs), &kids);
    struct sim_obj **active = xcalloc(nk + 1, sizeof(*active));
    size_t na = 0;
    int ready = 0;
    for (size_t i = 0; i < nk; i++)
        if (pod_active(kids[i].obj)) {
            active[na++] = kids[i].obj;
            if (kids[i].obj->ready)
                ready++;
        }
    int want = (int)kj_num(obj_json(rs), "spec.replicas", 1);
    int created = 0;
    for (int i = (int)na; i < want && created < 500; i++, created++)
        create_pod(rs, kj_get_mut(obj_json(rs), "spec.template"), NULL, NULL);
    if ((int)na > want) {
        qsort(active, na, sizeof(*active), pod_cmp_for_deletion);
        for (size_t i = 0; i < na - (size_t)want; i++) {
            events_emit(rs, "Normal", "SuccessfulDelete", "replicaset-controller",
                        "Deleted pod: %s", obj_name(active[i]));
            if (active[i]->pod == NULL || active[i]->deleting_ms)
                continue;
            api_delete(active[i], -1, NULL);
        }
        na = (size_t)want;
        ready = ready > want ? want : ready;
    }
    free(active);
    cJSON *st = cJSON_CreateObject();
    js_set_num(st, "replicas", (double)na + created);
    js_set_num(st, "fullyLabeledReplicas", (double)na + created);
    js_set_num(st, "readyReplicas", ready);
    js_set_num(st, "availableReplicas", ready);
    js_set_num(st, "observedGeneration", kj_num(obj_json(rs), "metadata.generation", 1));
    set_status(rs, st);
}

/* ---- garbage collection and namespaces ---- */

/* Deletes the objects none of whose owners is left (an owner being deleted in
 * the foreground no longer keeps its dependents: api_foreground_pending). */
static int obj_key_cmp(const void *a, const void *b)
{
    return strcmp((*(struct sim_obj *const *)a)->key, (*(struct sim_obj *const *)b)->key);
}

static void collect_garbage(void)
{
    struct sim_obj **doomed = NULL;
    size_t nd = 0;
    for (size_t t = 0; t < sim_rtypes_n; t++) {
        struct rtype *rt = &sim_rtypes[t];
        size_t first = nd;
        /* only the objects with owners (rt->owned), not every object */
        for (size_t i = 0; i < rt->n_owned; i++) {
            struct sim_obj *o = rt->owned[i];
            if (!o->has_refs || o->deleting_ms)
                continue;
            bool alive = false;
            for (const char *uid = o->refs; uid && *uid; uid += strlen(uid) + 1) {
                struct sim_obj *owner = store_by_uid(uid);
                if (owner && !api_foreground_pending(owner))
                    alive = true;
            }
            if (!alive) {
                doomed = xrealloc(doomed, (nd + 1) * sizeof(*doomed));
                doomed[nd++] = o;
            }
        }
        /* deleted in the store's order, kind by kind, as before */
        if (nd - first > 1)
            qsort(doomed + first, nd - first, sizeof(*doomed), obj_key_cmp);
    }
    for (size_t i = 0; i < nd; i++)
        api_delete(doomed[i], -1, "Background");
    free(doomed);
    api_foreground_finish();
}

static void terminate_namespaces(void)
{
    struct rtype *nrt = store_rtype("", "namespaces");
    for (size_t k = 0; k < nrt->n; k++) {
        struct sim_obj *nso = nrt->objs[k];
        if (!nso->deleting_ms)
            continue;
        bool left = false;
        for (size_t t = 0; t < sim_rtypes_n; t++) {
            struct rtype *rt = &sim_rtypes[t];
            if (!rt->namespaced)
                continue;
            for (size_t i = 0; i < rt->n;) {
                struct sim_obj *o = rt->objs[i];
                size_t before = rt->n;
                if (str_eq(obj_ns(o), obj_name(nso))) {
                    left = true;
                    if (!o->deleting_ms)
                        api_delete(o, -1, "Background");
                }
                if (rt->n == before)
                    i++;
            }
        }
        if (!left) {
            store_remove(nso);
            return; /* the array changed; the next pass continues */
        }
    }
}

void controllers_tick(long long now)
{
    static struct index rsix, podix;
    static unsigned long seen_removals, seen_changes;
    static long long next_gc;
    crd_sync();
    pods_tick(now);
    volumes_tick(now);
    /* The collector walks every object with owners: run it after removals,
     * else at most once a second and only when something changed. */
    if (store_removals() != seen_removals || (now >= next_gc && store_changes() != seen_changes)) {
        /* what the collector itself removes or changes calls for another
         * pass (the dependents of what it deleted) */
        seen_removals = store_removals();
        seen_changes = store_changes();
        next_gc = now + 1000;
        collect_garbage();
    }
    terminate_namespaces();
    struct rtype *drt = store_rtype("apps", "deployments");
    index_build(&rsix, store_rtype("apps", "replicasets"));
    for (size_t i = 0; i < drt->n; i++)
        reconcile_deployment(drt->objs[i], &rsix, now);
    struct rtype *rsrt = store_rtype("apps", "replicasets");
    index_build(&podix, store_rtype("", "pods"));
    for (size_t i = 0; i < rsrt->n; i++)
        reconcile_rs(rsrt->objs[i], &podix);
    struct rtype *srt = store_rtype("apps", "statefulsets");
    for (size_t i = 0; i < srt->n; i++)
        reconcile_sts(srt->objs[i]);
    struct rtype *jrt = store_rtype("batch", "jobs");
    for (size_t i = 0; i < jrt->n; i++)
        reconcile_job(jrt->objs[i], &podix, now);
    struct rtype *dsrt = store_rtype("apps", "daemonsets");
    for (size_t i = 0; i < dsrt->n; i++)
        reconcile_daemonset(dsrt->objs[i], &podix);
    scenario_tick(now);
    store_trim();
}

static void *controller_thread(void *arg)
{
    for (;;) {
        pthread_mutex_lock(&sim_lock);
        controllers_tick(now_ms());
        pthread_mutex_unlock(&sim_lock);
        usleep(50 * 1000);
    }
    return NULL;
}

void controllers_start(void)
{
    pthread_t t;
    pthread_create(&t, NULL, controller_thread, NULL);
    pthread_detach(t);
}
