/* tests/unit/test_status_prop.c: the status model (core/status.h) updated
 * change by change gives what a model derived whole from the same objects
 * gives. A fixed-seed random walk adds, changes and deletes Deployments,
 * StatefulSets, a DaemonSet, ReplicaSets, Pods (bare, of a ReplicaSet, a
 * StatefulSet, the DaemonSet, a Job, of an owner that does not exist),
 * Jobs, Events and Services: workloads that change their component label,
 * ReplicaSets that change or lose their Deployment, pods that change
 * owner, Jobs that change component, components the journal expects coming
 * and going. Batches of one to six changes between flushes, now and then a
 * burst of more than STATUS_MAX_DIRTY pod changes or of changes over every
 * kind, and relists of every kind (objects gone and new meanwhile). After
 * each flush, a second model is fed every object as it is now and flushed
 * once; both must give the same table, JSON document, --watch lines and
 * pods rows, and what `status --watch` printed so far (its diff's lines,
 * applied in order) must be those lines: a row left stale, missing or not
 * gone after an incremental update fails here; so does a pod whose row
 * changed and the log does not name (the dashboard's pods view moves only
 * the pods the log names). And none of it derives the
 * rows whole (status_whole_derivations): each case is followed change by
 * change, so the comparison tests that path, not a rebuild. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/status.h"
#include "core/util.h"
#include "tests/unit/status_fixture.h"

/* ---- a fixed-seed generator ---- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* ---- the objects of the walk ---- */

enum okind { O_DEPLOY, O_STS, O_RS, O_POD, O_JOB, O_EVENT, O_SVC, O_DS, O_COUNT };

struct obj {
    enum okind kind;
    char name[32];
    bool present;
    char *json; /* what it is now */
};

#define NPODS 30
static const char *const deploys[] = {"web-a", "web-b", "plain-c"};
static const char *const stss[] = {"db-s"};
static const char *const dss[] = {"ds-d"};
static const char *const rss[] = {"web-a-1", "web-a-2", "web-b-1", "plain-c-1"};
static const char *const rs_owner[] = {"web-a", "web-a", "web-b", "plain-c"};
static const char *const jobs[] = {"job-x", "job-y"};
static const char *const comp_labels[] = {NULL, "api", "worker", "web", "sandbox"};
static const char *const reasons[] = {NULL, "CrashLoopBackOff", "ImagePullBackOff", "Error",
                                      "OOMKilled"};
static const char *const last_reasons[] = {NULL, NULL, "Error", "OOMKilled"};

static struct obj objs[64];
static size_t nobjs;
static unsigned rv = 10;

static void add_obj(enum okind k, const char *name)
{
    struct obj *o = &objs[nobjs++];
    memset(o, 0, sizeof(*o));
    o->kind = k;
    snprintf(o->name, sizeof(o->name), "%s", name);
}

static void universe(void)
{
    char n[32];
    nobjs = 0;
    for (size_t i = 0; i < ARRAY_LEN(deploys); i++)
        add_obj(O_DEPLOY, deploys[i]);
    for (size_t i = 0; i < ARRAY_LEN(stss); i++)
        add_obj(O_STS, stss[i]);
    for (size_t i = 0; i < ARRAY_LEN(rss); i++)
        add_obj(O_RS, rss[i]);
    for (int i = 0; i < NPODS; i++) {
        snprintf(n, sizeof(n), "p-%02d", i);
        add_obj(O_POD, n);
    }
    for (size_t i = 0; i < ARRAY_LEN(jobs); i++)
        add_obj(O_JOB, jobs[i]);
    for (int i = 0; i < 6; i++) {
        snprintf(n, sizeof(n), "ev-%d", i);
        add_obj(O_EVENT, n);
    }
    add_obj(O_SVC, "svc-1");
    for (size_t i = 0; i < ARRAY_LEN(dss); i++)
        add_obj(O_DS, dss[i]);
}

static char *meta(const char *name, const char *labels, const char *owner_kind,
                  const char *owner_name)
{
    char own[256] = "";
    if (owner_kind)
        snprintf(own, sizeof(own),
                 ",\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"%s\",\"name\":\"%s\","
                 "\"uid\":\"u-%s\",\"controller\":true}]",
                 owner_kind, owner_name, owner_name);
    return xasprintf("\"metadata\":{\"name\":\"%s\",\"namespace\":\"dify\",\"uid\":\"u-%s\","
                     "\"resourceVersion\":\"%u\",\"creationTimestamp\":\"2026-12-01T10:0%u:00Z\","
                     "\"generation\":1%s%s%s%s}",
                     name, name, ++rv,
                     (unsigned)(strlen(name) + (unsigned char)name[strlen(name) - 1]) % 3,
                     labels ? ",\"labels\":{\"component\":\"" : "", labels ? labels : "",
                     labels ? "\"}" : "", own);
}

/* A workload keeps its component label when changed (mostly). */
static char *workload_json(const char *kind, const char *name, const char *old)
{
    const char *label = comp_labels[rnd(ARRAY_LEN(comp_labels))];
    if (old && rnd(5) != 0) {
        label = NULL;
        for (size_t i = 1; i < ARRAY_LEN(comp_labels); i++) {
            char want[64];
            snprintf(want, sizeof(want), "\"component\":\"%s\"", comp_labels[i]);
            if (strstr(old, want))
                label = comp_labels[i];
        }
    }
    int want = (int)rnd(4), ready = (int)rnd(5), updated = (int)rnd(5);
    char *m = meta(name, label, NULL, NULL);
    char *j = xasprintf(
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"%s\",%s,\"spec\":{\"replicas\":%d,"
        "\"updateStrategy\":{\"type\":\"RollingUpdate\"},\"template\":{\"spec\":{\"containers\":"
        "[{\"name\":\"c\",\"image\":\"langgenius/dify-api:1.%u.0\"}]}}},\"status\":{"
        "\"observedGeneration\":1,\"replicas\":%d,\"updatedReplicas\":%d,\"readyReplicas\":%d,"
        "\"availableReplicas\":%d,\"currentRevision\":\"r1\",\"updateRevision\":\"r1\","
        "\"desiredNumberScheduled\":%d,\"numberReady\":%d,\"updatedNumberScheduled\":%d,"
        "\"numberAvailable\":%d}}",
        kind, m, want, rnd(3), want, updated, ready, ready, want, ready, updated, ready);
    free(m);
    return j;
}

static char *rs_json(size_t i)
{
    /* its Deployment's, now and then none */
    bool owned = rnd(5) != 0;
    char *m = meta(rss[i], NULL, owned ? "Deployment" : NULL, rs_owner[i]);
    char *j = xasprintf("{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",%s,\"spec\":{"
                        "\"replicas\":1},\"status\":{\"replicas\":1,\"readyReplicas\":1}}",
                        m);
    free(m);
    return j;
}

/* A pod's owner: none, a ReplicaSet, the StatefulSet, the DaemonSet, a
 * Job, a ReplicaSet that does not exist. */
static void pod_owner_pick(const char **kind, const char **name)
{
    unsigned r = rnd(11);
    *kind = NULL;
    *name = NULL;
    if (r < 4)
        return;
    if (r < 7) {
        *kind = "ReplicaSet";
        *name = rss[rnd(ARRAY_LEN(rss))];
    } else if (r == 7) {
        *kind = "StatefulSet";
        *name = stss[0];
    } else if (r == 8) {
        *kind = "Job";
        *name = jobs[rnd(ARRAY_LEN(jobs))];
    } else if (r == 9) {
        *kind = "DaemonSet";
        *name = dss[0];
    } else {
        *kind = "ReplicaSet";
        *name = "gone-rs";
    }
}

/* Pods keep their owner when changed (nearly always), as in a cluster. */
static char *pod_json(const char *name, const char *old)
{
    const char *ok = NULL, *on = NULL;
    char okb[32] = "", onb[32] = "";
    const char *p = old ? strstr(old, "\"ownerReferences\"") : NULL;
    if (old && rnd(20) != 0) {
        if (p) {
            sscanf(strstr(p, "\"kind\":\"") + 8, "%31[^\"]", okb);
            sscanf(strstr(p, "\"name\":\"") + 8, "%31[^\"]", onb);
            ok = okb;
            on = onb;
        }
    } else {
        pod_owner_pick(&ok, &on);
    }
    const char *reason = reasons[rnd(ARRAY_LEN(reasons))];
    const char *last = last_reasons[rnd(ARRAY_LEN(last_reasons))];
    bool ready = !reason && rnd(4) != 0;
    const char *phase = rnd(8) == 0 ? "Pending" : rnd(12) == 0 ? "Succeeded" : "Running";
    char state[160], lastb[160] = "";
    if (reason)
        snprintf(state, sizeof(state), "\"waiting\":{\"reason\":\"%s\"}", reason);
    else
        snprintf(state, sizeof(state), "\"running\":{\"startedAt\":\"2026-12-01T10:00:00Z\"}");
    if (last)
        snprintf(lastb, sizeof(lastb), ",\"lastState\":{\"terminated\":{\"reason\":\"%s\"}}", last);
    char *m = meta(name, NULL, ok, on);
    char *j = xasprintf("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",%s,\"spec\":{\"nodeName\":"
                        "\"n%u\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]},"
                        "\"status\":{\"phase\":\"%s\",\"containerStatuses\":[{\"name\":\"c\","
                        "\"ready\":%s,\"restartCount\":%u,\"state\":{%s}%s}]}}",
                        m, rnd(3), phase, ready ? "true" : "false", rnd(4), state, lastb);
    free(m);
    return j;
}

static char *job_json(const char *name)
{
    char *m = meta(name, rnd(2) ? "db-migration" : NULL, NULL, NULL);
    unsigned s = rnd(2), f = rnd(3), a = s ? 0 : rnd(2);
    char *j =
        xasprintf("{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",%s,\"spec\":{"
                  "\"backoffLimit\":2,\"completions\":1,\"template\":{\"spec\":{"
                  "\"containers\":[{\"name\":\"c\",\"image\":\"langgenius/dify-api:1.0.0\"}]}}},"
                  "\"status\":{\"startTime\":\"2026-12-01T10:0%u:00Z\",\"succeeded\":%u,"
                  "\"failed\":%u,\"active\":%u%s}}",
                  m, rnd(3), s, f, a,
                  s ? ",\"completionTime\":\"2026-12-01T10:05:00Z\",\"conditions\":[{"
                      "\"type\":\"Complete\",\"status\":\"True\"}]"
                    : "");
    free(m);
    return j;
}

static char *event_json(const char *name, int i)
{
    char *m = meta(name, NULL, NULL, NULL);
    char *j =
        xasprintf("{\"apiVersion\":\"v1\",\"kind\":\"Event\",%s,\"involvedObject\":{"
                  "\"kind\":\"Pod\",\"name\":\"p-%02u\",\"namespace\":\"dify\"},"
                  "\"type\":\"%s\",\"reason\":\"R%d\",\"message\":\"m%u\",\"count\":%u,"
                  "\"lastTimestamp\":\"2026-12-01T10:0%u:00Z\"}",
                  m, rnd(NPODS), rnd(2) ? "Warning" : "Normal", i, rnd(2), 1 + rnd(5), rnd(9));
    free(m);
    return j;
}

static char *svc_json(const char *name)
{
    char *m = meta(name, NULL, NULL, NULL);
    char *j = xasprintf("{\"apiVersion\":\"v1\",\"kind\":\"Service\",%s,\"spec\":{\"type\":"
                        "\"ClusterIP\",\"ports\":[{\"port\":%u}]}}",
                        m, 80 + rnd(3));
    free(m);
    return j;
}

static char *new_json(struct obj *o)
{
    switch (o->kind) {
    case O_DEPLOY:
        return workload_json("Deployment", o->name, o->present ? o->json : NULL);
    case O_STS:
        return workload_json("StatefulSet", o->name, o->present ? o->json : NULL);
    case O_DS:
        return workload_json("DaemonSet", o->name, o->present ? o->json : NULL);
    case O_RS:
        for (size_t i = 0; i < ARRAY_LEN(rss); i++)
            if (!strcmp(rss[i], o->name))
                return rs_json(i);
        return NULL;
    case O_POD:
        return pod_json(o->name, o->present ? o->json : NULL);
    case O_JOB:
        return job_json(o->name);
    case O_EVENT:
        return event_json(o->name, atoi(o->name + 3));
    default:
        return svc_json(o->name);
    }
}

/* The object as a DELETED event carries it (its name and a newer version). */
static char *deleted_json(const struct obj *o)
{
    static const char *const kinds[] = {"Deployment", "StatefulSet", "ReplicaSet", "Pod",
                                        "Job",        "Event",       "Service",    "DaemonSet"};
    static const char *const apis[] = {"apps/v1",  "apps/v1", "apps/v1", "v1",
                                       "batch/v1", "v1",      "v1",      "apps/v1"};
    return xasprintf("{\"apiVersion\":\"%s\",\"kind\":\"%s\",\"metadata\":{\"name\":\"%s\","
                     "\"namespace\":\"dify\",\"resourceVersion\":\"%u\"}}",
                     apis[o->kind], kinds[o->kind], o->name, ++rv);
}

/* One change of a random object: mostly pods. */
static void step(struct status *m)
{
    struct obj *o;
    unsigned r = rnd(10);
    if (r < 7) {
        o = &objs[ARRAY_LEN(deploys) + ARRAY_LEN(stss) + ARRAY_LEN(rss) + rnd(NPODS)];
    } else {
        o = &objs[rnd((unsigned)nobjs)];
    }
    if (o->present && rnd(o->kind == O_POD ? 4 : 10) == 0) {
        char *d = deleted_json(o);
        status_fixture_apply(m, "DELETED", d);
        free(d);
        free(o->json);
        o->json = NULL;
        o->present = false;
        return;
    }
    char *j = new_json(o);
    status_fixture_apply(m, o->present ? "MODIFIED" : "ADDED", j);
    free(o->json);
    o->json = j;
    o->present = true;
}

/* A burst of pod changes in place, more than the model follows one by one. */
static void burst(struct status *m)
{
    for (int i = 0; i < 1100; i++) {
        struct obj *o =
            &objs[ARRAY_LEN(deploys) + ARRAY_LEN(stss) + ARRAY_LEN(rss) + (size_t)(i % NPODS)];
        if (!o->present)
            continue;
        char *j = pod_json(o->name, o->json);
        status_fixture_apply(m, "MODIFIED", j);
        free(o->json);
        o->json = j;
    }
}

/* Changes of every kind, more than STATUS_MAX_DIRTY in one batch. */
static void burst_all(struct status *m)
{
    for (int i = 0; i < 1100; i++)
        step(m);
}

/* Every kind listed again, as a watch that expired relists: a sixth of
 * the objects gone or new meanwhile, some changed. */
static void relist(struct status *m)
{
    static const struct {
        enum okind o;
        enum kube_kind k;
    } kinds[] = {
        {O_DEPLOY, KUBE_DEPLOYMENT}, {O_STS, KUBE_STATEFULSET}, {O_DS, KUBE_DAEMONSET},
        {O_RS, KUBE_REPLICASET},     {O_POD, KUBE_POD},         {O_JOB, KUBE_JOB},
        {O_EVENT, KUBE_EVENT},       {O_SVC, KUBE_SERVICE},
    };
    for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
        status_list_begin(m, kinds[k].k);
        for (size_t i = 0; i < nobjs; i++) {
            struct obj *o = &objs[i];
            if (o->kind != kinds[k].o)
                continue;
            unsigned r = rnd(6);
            if (r == 0) {
                free(o->json);
                o->json = o->present ? NULL : new_json(o);
                o->present = !o->present;
            } else if (r == 1 && o->present) {
                char *j = new_json(o);
                free(o->json);
                o->json = j;
            }
            if (o->present)
                status_fixture_apply(m, NULL, o->json);
        }
        status_list_end(m, kinds[k].k);
    }
}

/* ---- the comparison ---- */

/* What the journal expects: the api's and the worker's rows are missing
 * while no workload of theirs runs. */
static void expect(struct status *m)
{
    status_expect(m, DIFY_COMP_API, "1.1.0");
    status_expect(m, DIFY_COMP_WORKER, "1.2.0");
}

static const enum kube_kind watched[] = {
    KUBE_DEPLOYMENT, KUBE_STATEFULSET, KUBE_DAEMONSET, KUBE_REPLICASET, KUBE_POD,
    KUBE_JOB,        KUBE_EVENT,       KUBE_SERVICE,   KUBE_PVC,
};

static const char *const okind_names[] = {"Deployment", "StatefulSet", "ReplicaSet", "Pod",
                                          "Job",        "Event",       "Service",    "DaemonSet"};

/* A model of the objects as they are now, listed kind by kind. */
static struct status *whole(void)
{
    struct status *w = status_fixture("model-empty.json");
    expect(w);
    for (size_t k = 0; k < ARRAY_LEN(watched); k++) {
        status_list_begin(w, watched[k]);
        for (size_t i = 0; i < nobjs; i++)
            if (objs[i].present &&
                !strcmp(okind_names[objs[i].kind], kube_resource_get(watched[k])->kind))
                status_fixture_apply(w, NULL, objs[i].json);
        status_list_end(w, watched[k]);
    }
    status_flush(w);
    return w;
}

/* What --watch printed so far: a line per key. */
struct screen {
    char **keys, **lines;
    size_t n;
};

static size_t key_len(const char *s, size_t len)
{
    const char *c = strstr(s, ": ");
    return c && (size_t)(c - s) < len ? (size_t)(c - s) : len;
}

static void screen_put(const char *text, size_t len, bool gone, void *arg)
{
    struct screen *s = arg;
    size_t kl = gone ? len : key_len(text, len);
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->keys[i]) == kl && !strncmp(s->keys[i], text, kl)) {
            free(s->lines[i]);
            if (gone) {
                assert_true(gone);
                free(s->keys[i]);
                s->keys[i] = s->keys[--s->n];
                s->lines[i] = s->lines[s->n];
            } else {
                s->lines[i] = xstrndup(text, len);
            }
            return;
        }
    if (gone)
        fail_msg("gone, never printed: %.*s", (int)len, text);
    s->keys = xrealloc(s->keys, (s->n + 1) * sizeof(char *));
    s->lines = xrealloc(s->lines, (s->n + 1) * sizeof(char *));
    s->keys[s->n] = xstrndup(text, kl);
    s->lines[s->n++] = xstrndup(text, len);
}

static void screen_free(struct screen *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->keys[i]);
        free(s->lines[i]);
    }
    free(s->keys);
    free(s->lines);
}

static void same_text(const char *what, int at, const char *a, const char *b)
{
    if (strcmp(a, b) != 0 && getenv("PROP_DUMP")) {
        FILE *f = fopen("/tmp/prop-a.txt", "w");
        fputs(a, f);
        fclose(f);
        f = fopen("/tmp/prop-b.txt", "w");
        fputs(b, f);
        fclose(f);
    }
    if (strcmp(a, b) != 0)
        fail_msg("step %d: %s differs:\n--- changed one by one:\n%s\n--- derived whole:\n%s", at,
                 what, a, b);
}

static void compare(struct status *m, struct screen *scr, int at)
{
    struct status *w = whole();
    struct strbuf a, b;
    strbuf_init(&a);
    strbuf_init(&b);
    status_text(m, &a);
    status_text(w, &b);
    same_text("the table", at, a.buf, b.buf);
    strbuf_reset(&a);
    strbuf_reset(&b);
    status_json(m, true, &a);
    status_json(w, true, &b);
    same_text("the JSON document", at, a.buf, b.buf);
    char **la, **lb;
    size_t na, nb;
    status_lines(m, &la, &na);
    status_lines(w, &lb, &nb);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++)
        same_text("a --watch line", at, la[i], lb[i]);
    /* what --watch printed is the lines now */
    if (scr->n != na) {
        for (size_t i = 0; i < scr->n; i++)
            fprintf(stderr, "printed: %s\n", scr->lines[i]);
        for (size_t i = 0; i < na; i++)
            fprintf(stderr, "lines:   %s\n", la[i]);
        fail_msg("step %d: --watch printed %zu keys, the model has %zu lines", at, scr->n, na);
    }
    for (size_t i = 0; i < na; i++) {
        bool found = false;
        for (size_t k = 0; k < scr->n && !found; k++)
            found = !strcmp(scr->lines[k], la[i]);
        if (!found)
            fail_msg("step %d: --watch did not print: %s", at, la[i]);
    }
    for (size_t i = 0; i < na; i++)
        free(la[i]);
    for (size_t i = 0; i < nb; i++)
        free(lb[i]);
    free(la);
    free(lb);
    /* the pods rows, and each found by its name */
    assert_int_equal(status_npods(m), status_npods(w));
    for (size_t i = 0; i < status_npods(m); i++) {
        const struct status_pod *x = status_pod_at(m, i), *y = status_pod_at(w, i);
        same_text("a pod's name", at, x->obj->name, y->obj->name);
        assert_int_equal(x->comp, y->comp);
        assert_true(str_eq(x->workload, y->workload));
        assert_true(str_eq(x->owner_kind, y->owner_kind));
        assert_int_equal(x->problem, y->problem);
        assert_ptr_equal(status_pod_find(m, x->obj->name), x);
    }
    for (size_t i = 0; i < status_ncomps(m) + status_nothers(m); i++) {
        const struct status_comp *c =
            i < status_ncomps(m) ? status_comp_at(m, i) : status_other_at(m, i - status_ncomps(m));
        assert_ptr_equal(status_row_find(m, c->comp, c->kind, c->name), c);
    }
    strbuf_done(&a);
    strbuf_done(&b);
    status_free(w);
}

/* The pods rows at the last look: the log must name every pod whose row
 * changed since (the dashboard's pods view moves only those). */
struct podsnap {
    char *name, *workload, *owner_kind;
    const void *obj;
    int comp;
    bool problem;
};
static struct podsnap *snap;
static size_t nsnap;

static int cmp_snap(const void *a, const void *b)
{
    return strcmp(((const struct podsnap *)a)->name, ((const struct podsnap *)b)->name);
}

static void snap_free(void)
{
    for (size_t i = 0; i < nsnap; i++) {
        free(snap[i].name);
        free(snap[i].workload);
        free(snap[i].owner_kind);
    }
    free(snap);
    snap = NULL;
    nsnap = 0;
}

static void snap_take(struct status *m)
{
    snap_free();
    nsnap = status_npods(m);
    snap = xcalloc(nsnap + 1, sizeof(*snap));
    for (size_t i = 0; i < nsnap; i++) {
        const struct status_pod *x = status_pod_at(m, i);
        snap[i] = (struct podsnap){xstrdup(x->obj->name),
                                   x->workload ? xstrdup(x->workload) : NULL,
                                   x->owner_kind ? xstrdup(x->owner_kind) : NULL,
                                   x->obj,
                                   (int)x->comp,
                                   x->problem};
    }
    qsort(snap, nsnap, sizeof(*snap), cmp_snap);
}

static bool logged(const struct status_change *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].pod && !strcmp(v[i].name, name))
            return true;
    return false;
}

static void check_pod_log(struct status *m, unsigned long long since, int at)
{
    const struct status_change *v;
    size_t n;
    if (!status_changes_since(m, since, &v, &n))
        return; /* more than the log keeps (a burst): the view reads everything */
    for (size_t i = 0; i < status_npods(m); i++) {
        const struct status_pod *x = status_pod_at(m, i);
        struct podsnap key = {.name = (char *)x->obj->name};
        const struct podsnap *s = bsearch(&key, snap, nsnap, sizeof(*snap), cmp_snap);
        bool same = s && s->obj == x->obj && s->comp == (int)x->comp &&
                    str_eq(s->workload, x->workload) && str_eq(s->owner_kind, x->owner_kind) &&
                    s->problem == x->problem;
        if (!same && !logged(v, n, x->obj->name))
            fail_msg("step %d: pod %s %s, not in the log", at, x->obj->name,
                     s ? "changed its row" : "is new");
    }
    for (size_t i = 0; i < nsnap; i++)
        if (!status_pod_find(m, snap[i].name) && !logged(v, n, snap[i].name))
            fail_msg("step %d: pod %s went, not in the log", at, snap[i].name);
}

/* PROP_STEPS overrides the walk's length (under valgrind, a shorter one). */
static int prop_steps(void)
{
    const char *s = getenv("PROP_STEPS");
    return s && atoi(s) > 0 ? atoi(s) : 1500;
}

static void test_incremental_equals_whole(void **state)
{
    rng = 0x9E3779B97F4A7C15ull;
    universe();
    struct status *m = status_fixture("model-empty.json");
    expect(m);
    /* every kind listed once (nothing yet): the first list derives whole */
    for (size_t k = 0; k < ARRAY_LEN(watched); k++) {
        status_list_begin(m, watched[k]);
        status_list_end(m, watched[k]);
    }
    status_flush(m);
    unsigned long wholes = status_whole_derivations(m);
    struct status_diff *d = status_diff_new();
    struct screen scr = {0};
    /* the first look prints nothing: it is the whole report */
    status_diff_look(d, m, NULL, NULL);
    char **l;
    size_t n;
    status_lines(m, &l, &n);
    for (size_t i = 0; i < n; i++) {
        screen_put(l[i], strlen(l[i]), false, &scr);
        free(l[i]);
    }
    free(l);
    snap_take(m);
    unsigned long long since = status_seq(m);
    for (int at = 0; at < prop_steps(); at++) {
        unsigned r = rnd(100);
        if (r == 0)
            burst(m);
        else if (r == 1)
            burst_all(m);
        else if (r < 4)
            relist(m);
        else
            for (unsigned k = 1 + rnd(6); k > 0; k--)
                step(m);
        status_flush(m);
        status_diff_look(d, m, screen_put, &scr);
        compare(m, &scr, at);
        if (status_whole_derivations(m) != wholes)
            fail_msg("step %d: the rows were derived whole", at);
        check_pod_log(m, since, at);
        snap_take(m);
        since = status_seq(m);
    }
    snap_free();
    screen_free(&scr);
    status_diff_free(d);
    status_free(m);
    for (size_t i = 0; i < nobjs; i++)
        free(objs[i].json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_incremental_equals_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
