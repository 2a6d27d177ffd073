/* bench/status_inc.c: what one change costs the status model (core/status.h)
 * at N pods, without the network: the CPU of the derivation (status_flush)
 * after a batch of changes, for each case the model follows change by
 * change (core/status_inc.c), beside a whole derivation of the same model.
 * The objects are fed by hand, as the watches feed them; the cost of
 * applying them to the stores is not counted (the client's parse has its
 * own benchmark, bench/kube_parse.c). Prints "key value" lines in
 * milliseconds (the best of R rounds) and whether each case was derived
 * whole; under valgrind --tool=callgrind the same run gives instruction
 * counts, which a loaded machine does not disturb.
 *
 *   bench/status_inc [--pods N] [--rounds R]
 *
 * The namespace: N/2 bare pods, and N/2 pods in Deployments of 100 pods
 * each (a ReplicaSet each), so that both kinds of row are there; one
 * Deployment is a Dify component (api). Not part of the test suite. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/status.h"
#include "core/util.h"

static unsigned rv = 100;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void apply(struct status *m, const char *type, const char *json)
{
    cJSON *j = cJSON_Parse(json);
    if (!j) {
        fprintf(stderr, "status_inc: not JSON: %s\n", json);
        exit(1);
    }
    status_apply(m, type, j);
    cJSON_Delete(j);
}

static void pod(struct status *m, const char *type, const char *name, const char *rs,
                unsigned restarts)
{
    char owner[256] = "", buf[1024];
    if (rs)
        snprintf(owner, sizeof(owner),
                 ",\"ownerReferences\":[{\"kind\":\"%s\",\"name\":\"%s\",\"controller\":true}]",
                 strncmp(rs, "job-", 4) ? "ReplicaSet" : "Job", rs);
    snprintf(buf, sizeof(buf),
             "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\","
             "\"namespace\":\"load\",\"resourceVersion\":\"%u\",\"creationTimestamp\":"
             "\"2026-12-01T10:00:00Z\"%s},\"spec\":{\"nodeName\":\"n1\"},\"status\":{"
             "\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"c\",\"ready\":true,"
             "\"restartCount\":%u,\"state\":{\"running\":{}}}]}}",
             name, ++rv, owner, restarts);
    apply(m, type, buf);
}

static void deployment(struct status *m, const char *type, const char *name, int replicas,
                       const char *component)
{
    char buf[2048], labels[128] = "";
    if (component)
        snprintf(labels, sizeof(labels), ",\"labels\":{\"component\":\"%s\"}", component);
    snprintf(buf, sizeof(buf),
             "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"%s\","
             "\"namespace\":\"load\",\"resourceVersion\":\"%u\",\"generation\":1,"
             "\"creationTimestamp\":\"2026-12-01T10:00:00Z\"%s},\"spec\":{\"replicas\":%d,"
             "\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":"
             "\"busybox:1.36\"}]}}},\"status\":{\"observedGeneration\":1,\"replicas\":%d,"
             "\"updatedReplicas\":%d,\"readyReplicas\":%d,\"availableReplicas\":%d}}",
             name, ++rv, labels, replicas, replicas, replicas, replicas, replicas);
    apply(m, type, buf);
}

static void replicaset(struct status *m, const char *type, const char *name, const char *deploy)
{
    char buf[1024];
    snprintf(buf, sizeof(buf),
             "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"%s\","
             "\"namespace\":\"load\",\"resourceVersion\":\"%u\",\"creationTimestamp\":"
             "\"2026-12-01T10:00:00Z\",\"ownerReferences\":[{\"kind\":\"Deployment\","
             "\"name\":\"%s\",\"controller\":true}]},\"spec\":{\"replicas\":1},"
             "\"status\":{\"replicas\":1}}",
             name, ++rv, deploy);
    apply(m, type, buf);
}

static void job(struct status *m, const char *type, const char *name, bool done)
{
    char buf[1024];
    snprintf(buf, sizeof(buf),
             "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"%s\","
             "\"namespace\":\"load\",\"resourceVersion\":\"%u\",\"creationTimestamp\":"
             "\"2026-12-01T10:00:00Z\"},\"spec\":{\"completions\":1,\"template\":{\"spec\":"
             "{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.36\"}]}}},\"status\":{"
             "\"startTime\":\"2026-12-01T10:00:00Z\",\"active\":%d,\"succeeded\":%d%s}}",
             name, ++rv, !done, done,
             done ? ",\"completionTime\":\"2026-12-01T10:01:00Z\",\"conditions\":[{\"type\":"
                    "\"Complete\",\"status\":\"True\"}]"
                  : "");
    apply(m, type, buf);
}

static size_t npods;
static unsigned *pod_rv; /* each populated pod's resourceVersion, as held */

/* The i-th pod of the namespace: bare for i < npods/2, else of its
 * Deployment's ReplicaSet; its resourceVersion new, or as held (same). */
static void pod_i(struct status *m, const char *type, size_t i, unsigned restarts, bool same)
{
    char name[160], rs[64];
    const char *owner = NULL;
    if (i < npods / 2) {
        snprintf(name, sizeof(name), "load-%06zu", i);
    } else {
        size_t j = i - npods / 2;
        snprintf(rs, sizeof(rs), "app-%04zu-5d4f", j / 100);
        snprintf(name, sizeof(name), "%s-%03zu", rs, j % 100);
        owner = rs;
    }
    unsigned keep = rv;
    if (same)
        rv = pod_rv[i] - 1;
    pod(m, type, name, owner, restarts);
    if (same)
        rv = keep;
    else
        pod_rv[i] = rv;
}

static const enum kube_kind kinds[] = {
    KUBE_DEPLOYMENT, KUBE_STATEFULSET, KUBE_DAEMONSET, KUBE_REPLICASET, KUBE_POD,
    KUBE_JOB,        KUBE_EVENT,       KUBE_SERVICE,   KUBE_PVC,
};

static void populate(struct status *m)
{
    char rs[64], dep[64];
    pod_rv = xcalloc(npods, sizeof(*pod_rv));
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
        status_list_begin(m, kinds[k]);
    for (size_t d = 0; d < npods / 200; d++) {
        snprintf(dep, sizeof(dep), "app-%04zu", d);
        snprintf(rs, sizeof(rs), "app-%04zu-5d4f", d);
        deployment(m, NULL, dep, 100, d == 0 ? "api" : NULL);
        replicaset(m, NULL, rs, dep);
    }
    npods = npods / 200 * 200;
    for (size_t i = 0; i < npods; i++)
        pod_i(m, NULL, i, 0, false);
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
        status_list_end(m, kinds[k]);
    status_flush(m);
}

static unsigned bump = 1;

/* k pods changed (restarts), spread over bare pods and Deployments' */
static void change_pods(struct status *m, size_t k)
{
    for (size_t i = 0; i < k; i++)
        pod_i(m, "MODIFIED", (i * 7919) % npods, bump, false);
    bump++;
}

struct result {
    double best;
    bool whole;
};

/* The CPU of the derivation after what() fed its batch. */
static void measure(struct status *m, const char *key, void (*what)(struct status *, int),
                    int rounds)
{
    double best = 1e9;
    bool whole = false;
    for (int r = 0; r < rounds; r++) {
        unsigned long w0 = status_whole_derivations(m);
        what(m, r);
        double t0 = cpu_now();
        status_flush(m);
        double t = cpu_now() - t0;
        whole = whole || status_whole_derivations(m) != w0;
        if (t < best)
            best = t;
    }
    printf("%s_ms %.3f\n%s_whole %d\n", key, best * 1000, key, whole ? 1 : 0);
    fflush(stdout);
}

static void c_pod1(struct status *m, int r)
{
    change_pods(m, 1);
}
static void c_pod10(struct status *m, int r)
{
    change_pods(m, 10);
}
static void c_pod1000(struct status *m, int r)
{
    change_pods(m, 1000);
}
static size_t big;
static void c_podbig(struct status *m, int r)
{
    change_pods(m, big);
}
static void c_podall(struct status *m, int r)
{
    change_pods(m, npods);
}

/* a Deployment of 10 pods created (its ReplicaSet, its pods), then deleted */
static void c_deploy_add(struct status *m, int r)
{
    char name[160], dep[64], rs[64];
    snprintf(dep, sizeof(dep), "new-%d", r);
    snprintf(rs, sizeof(rs), "new-%d-7c9", r);
    deployment(m, "ADDED", dep, 10, NULL);
    replicaset(m, "ADDED", rs, dep);
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof(name), "%s-%02d", rs, i);
        pod(m, "ADDED", name, rs, 0);
    }
}

static void c_deploy_del(struct status *m, int r)
{
    char name[160], dep[64], rs[64];
    snprintf(dep, sizeof(dep), "new-%d", r);
    snprintf(rs, sizeof(rs), "new-%d-7c9", r);
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof(name), "%s-%02d", rs, i);
        pod(m, "DELETED", name, rs, 0);
    }
    replicaset(m, "DELETED", rs, dep);
    deployment(m, "DELETED", dep, 10, NULL);
}

/* a rolled Deployment: a new ReplicaSet and its 100 pods, the old one's go */
static void c_roll(struct status *m, int r)
{
    char name[160], rs[64], old[64];
    snprintf(old, sizeof(old), r ? "app-0001-r%d" : "app-0001-5d4f", r - 1);
    snprintf(rs, sizeof(rs), "app-0001-r%d", r);
    replicaset(m, "ADDED", rs, "app-0001");
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof(name), "%s-%03d", old, i);
        pod(m, "DELETED", name, old, 0);
        snprintf(name, sizeof(name), "%s-%03d", rs, i);
        pod(m, "ADDED", name, rs, 0);
    }
    replicaset(m, "DELETED", old, "app-0001");
    deployment(m, "MODIFIED", "app-0001", 100, NULL);
}

/* a Job created with its pod, then completed and deleted */
struct job_names {
    char job[64], pod[64];
};

static struct job_names job_names(int r)
{
    struct job_names n;
    snprintf(n.job, sizeof(n.job), "job-%d", r);
    snprintf(n.pod, sizeof(n.pod), "job-%d-x1", r);
    return n;
}

static void c_job_add(struct status *m, int r)
{
    struct job_names n = job_names(r);
    job(m, "ADDED", n.job, false);
    pod(m, "ADDED", n.pod, n.job, 0);
}

static void c_job_done(struct status *m, int r)
{
    struct job_names n = job_names(r);
    job(m, "MODIFIED", n.job, true);
    pod(m, "DELETED", n.pod, n.job, 0);
    job(m, "DELETED", n.job, true);
}

/* a component label changed: the api Deployment is no longer Dify's, and back */
static void c_label(struct status *m, int r)
{
    deployment(m, "MODIFIED", "app-0000", 100, r % 2 ? "api" : NULL);
}

/* the pods listed again (a watch expired): 10 changed meanwhile, the rest
 * as held */
static void c_relist(struct status *m, int r)
{
    status_list_begin(m, KUBE_POD);
    for (size_t i = 0; i < npods; i++) {
        bool changed = i % (npods / 10) == (size_t)r;
        pod_i(m, NULL, i, changed ? 100 + (unsigned)r : 0, !changed);
    }
    status_list_end(m, KUBE_POD);
}

int main(int argc, char **argv)
{
    npods = 100000;
    int rounds = 5;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--pods") && i + 1 < argc)
            npods = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench/status_inc [--pods N] [--rounds R]\n");
            return 2;
        }
    }
    struct status_opts o = {.ns = "load", .probe_ms = -1};
    struct status *m = status_new(NULL, NULL, &o);
    double t0 = cpu_now();
    populate(m);
    printf("pods %zu\nlist_ms %.1f\n", status_npods(m), (cpu_now() - t0) * 1000);
    big = npods / 10;
    /* the cases in order (a case's rounds 0: the --rounds given) */
    static const struct {
        const char *name;
        void (*run)(struct status *m, int r);
        int rounds;
    } cases[] = {
        {"pod_1", c_pod1, 0},
        {"pod_10", c_pod10, 0},
        {"pod_1000", c_pod1000, 0},
        {"pod_tenth", c_podbig, 0},
        {"pod_all", c_podall, 2},
        {"deploy_add", c_deploy_add, 0},
        {"deploy_del", c_deploy_del, 0},
        {"job_add", c_job_add, 0},
        {"job_done", c_job_done, 0},
        {"label", c_label, 0},
        {"relist_10", c_relist, 3},
        {"deploy_roll", c_roll, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        measure(m, cases[i].name, cases[i].run, cases[i].rounds ? cases[i].rounds : rounds);
    status_free(m);
    free(pod_rv);
    return 0;
}
