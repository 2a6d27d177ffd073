/* core/checks_workloads.c: area 2, the workloads: every expected Dify
 * component present and ready; a crash loop explained by its previous
 * container's last log lines matched against the known Dify failure
 * signatures (core/checks_signatures.c); running pods that log one. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checks_env.h"
#include "core/checks_impl.h"
#include "core/checks_signatures.h"
#include "core/checks_util.h"
#include "core/dify_components.h"
#include "core/error.h"
#include "core/kube_json.h"
#include "core/profile.h"
#include "core/util.h"

#define DOC "docs/diagnose.md#"
#define LOG_TAIL "80"
#define MAX_LOGS 16

/* ---- DT-201 present and ready ---- */

static const struct {
    enum component profile; /* the answers' component */
    enum dify_comp comp;
    bool required; /* without answers: missing is a failure (else a warning) */
} expected[] = {
    {COMP_API, DIFY_COMP_API, true},
    {COMP_WORKER, DIFY_COMP_WORKER, true},
    {COMP_BEAT, DIFY_COMP_BEAT, false},
    {COMP_WEB, DIFY_COMP_WEB, true},
    {COMP_SANDBOX, DIFY_COMP_SANDBOX, false},
    {COMP_PLUGIN_DAEMON, DIFY_COMP_PLUGIN_DAEMON, true},
    {COMP_SSRF_PROXY, DIFY_COMP_SSRF_PROXY, false},
};

/* "CrashLoopBackOff (5 restarts, last exit 1)" and the like, for one pod. */
static void pod_state(const cJSON *pod, char *buf, size_t n, const char **hint)
{
    const char *phase = kj_str(pod, "status.phase");
    const cJSON *st;
    cJSON_ArrayForEach(st, kj_get(pod, "status.containerStatuses"))
    {
        const char *why = kj_str(st, "state.waiting.reason");
        if (!why)
            continue;
        const char *msg = kj_str(st, "state.waiting.message");
        long long restarts = kj_int(st, "restartCount", 0);
        long long code = kj_int(st, "lastState.terminated.exitCode", -1);
        if (code >= 0)
            snprintf(buf, n, "%s (%lld restarts, last exit %lld)", why, restarts, code);
        else
            snprintf(buf, n, "%s%s%.300s", why, msg ? ": " : "", msg ? msg : "");
        *hint = str_eq(why, "CrashLoopBackOff") ? "logs" : "describe";
        return;
    }
    const cJSON *cond;
    cJSON_ArrayForEach(cond, kj_get(pod, "status.conditions"))
    {
        if (str_eq(kj_str(cond, "type"), "PodScheduled") &&
            str_eq(kj_str(cond, "status"), "False")) {
            snprintf(buf, n, "Pending, not scheduled: %.300s",
                     kj_str(cond, "message") ? kj_str(cond, "message") : "?");
            *hint = "describe";
            return;
        }
    }
    snprintf(buf, n, "%s, not ready", phase ? phase : "?");
    *hint = "describe";
}

static bool pod_of(const cJSON *pod, enum dify_comp comp)
{
    return dify_comp_of_json(pod, NULL) == comp;
}

static void ready_start(struct check *c)
{
    const struct profile *p = check_env(c)->profile;
    int missing = 0, missing_opt = 0, unready = 0, found = 0;
    char try_pod[300] = "";
    for (size_t i = 0; i < ARRAY_LEN(expected); i++) {
        enum dify_comp comp = expected[i].comp;
        const char *title = dify_comp_desc(comp)->title;
        bool wanted = p ? p->comp[expected[i].profile].replicas > 0 : true;
        struct workload_ref w;
        if (!checks_app_find(c, comp, &w)) {
            if (!wanted)
                continue;
            bool req = p ? true : expected[i].required;
            check_evidence(c, "%s: no workload found%s", title, req ? "" : " (optional)");
            *(req ? &missing : &missing_opt) += 1;
            continue;
        }
        found++;
        long long want = kj_int(w.obj, "spec.replicas", 1);
        long long ready = kj_int(w.obj, "status.readyReplicas", 0);
        if (str_eq(w.kind, "DaemonSet")) {
            want = kj_int(w.obj, "status.desiredNumberScheduled", 0);
            ready = kj_int(w.obj, "status.numberReady", 0);
        }
        if (ready >= want) {
            check_evidence(c, "%s: %s/%s %lld/%lld ready", title, w.kind, w.name, ready, want);
            continue;
        }
        unready++;
        check_evidence(c, "%s: %s/%s %lld/%lld ready", title, w.kind, w.name, ready, want);
        const cJSON *pod;
        cJSON_ArrayForEach(pod, check_fact(c, FACT_PODS))
        {
            if (!pod_of(pod, comp) || kj_get(pod, "metadata.deletionTimestamp"))
                continue;
            char st[512];
            const char *hint = "describe";
            pod_state(pod, st, sizeof(st), &hint);
            const char *name = kj_str(pod, "metadata.name");
            bool pod_ready = false;
            const cJSON *cond;
            cJSON_ArrayForEach(cond, kj_get(pod, "status.conditions"))
            {
                if (str_eq(kj_str(cond, "type"), "Ready") && str_eq(kj_str(cond, "status"), "True"))
                    pod_ready = true;
            }
            if (pod_ready)
                continue;
            check_evidence(c, "  pod %s: %s", name, st);
            if (!try_pod[0])
                snprintf(try_pod, sizeof(try_pod), "%s %s %s%s", check_kubectl(c), hint, name,
                         strcmp(hint, "logs") == 0 ? " --previous" : "");
        }
    }
    check_more(c, DOC "dt-201");
    if (!found) {
        /* nothing of Dify here: most often the wrong namespace (the
         * context's, when -n was not given) or the wrong context */
        check_explain(c,
                      "No workload of Dify is in namespace %s: the installation is in another "
                      "namespace (give it with -n; without it the kubeconfig context's is "
                      "used) or another cluster (--context), or it was never installed.",
                      check_env(c)->ns);
        check_try(c, "kubectl get deploy,sts -A -l app.kubernetes.io/name=dify   # then dify-tui "
                     "-n NAMESPACE diagnose");
        check_fail(c, "no Dify component in namespace %s", check_env(c)->ns);
        return;
    }
    if (missing || unready) {
        if (try_pod[0])
            check_try(c, "%s", try_pod);
        else
            check_try(c, "%s get deploy,sts,pods", check_kubectl(c));
        check_explain(c, "A component that is missing or not ready takes Dify's features with "
                         "it: the api serves nothing without its database, the console breaks "
                         "without the plugin daemon. DT-202 explains crash loops from their logs.");
        if (missing && unready)
            check_fail(c, "%d components missing, %d not ready", missing, unready);
        else if (missing)
            check_fail(c, "%d components missing", missing);
        else
            check_fail(c, "%d component%s not ready", unready, unready == 1 ? "" : "s");
    } else if (missing_opt) {
        check_try(c, "%s get deploy,sts", check_kubectl(c));
        check_warn(c, "%d optional components not found", missing_opt);
    } else {
        check_ok(c, "%d components present and ready", found);
    }
}

/* ---- logs: fetched for several pods at once, judged when all are in ---- */

struct log_target {
    struct logs_state *s;
    char pod[254];
    char container[64];
    enum dify_comp comp;
    char workload[300]; /* "deployment/dify-plugin-daemon" for remedies */
    bool previous;
    char *body;
    size_t len;
    char err[256];
    bool done;
};

struct logs_state {
    struct check *c;
    struct log_target t[MAX_LOGS];
    size_t n, answered;
    void (*judge)(struct logs_state *s);
};

static void log_done(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct log_target *t = arg;
    t->done = true;
    if (err)
        snprintf(t->err, sizeof(t->err), "%.250s", err->msg);
    else {
        t->body = xstrndup(body, len);
        t->len = len;
    }
    if (++t->s->answered == t->s->n)
        t->s->judge(t->s);
}

/* The check's state: the pods' logs to fetch (added by the caller, then
 * logs_fetch), judged by judge once all are in. */
static struct logs_state *logs_begin(struct check *c, void (*judge)(struct logs_state *s))
{
    struct logs_state *s = xcalloc(1, sizeof(*s));
    s->c = c;
    s->judge = judge;
    check_set_state(c, s);
    return s;
}

static void logs_fetch(struct logs_state *s)
{
    struct check *c = s->c;
    if (s->n == 0) {
        s->judge(s);
        return;
    }
    check_waiting(c, "the logs of %zu pods", s->n);
    for (size_t i = 0; i < s->n; i++) {
        struct log_target *t = &s->t[i];
        char *path = xasprintf("/api/v1/namespaces/%s/pods/%s/log", check_env(c)->ns, t->pod);
        kube_query_add(&path, "container", t->container);
        kube_query_add(&path, "tailLines", LOG_TAIL);
        kube_query_add(&path, "limitBytes", "65536");
        if (t->previous)
            kube_query_add(&path, "previous", "true");
        struct kube_req_opts o = {.path = path, .accept = "*/*"};
        check_kube(c, &o, log_done, t);
        free(path);
    }
}

static void logs_stop(struct check *c)
{
    struct logs_state *s = check_state(c);
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->t[i].body);
    free(s);
}

/* The owner workload of a pod for remedies: "deployment/NAME" through its
 * ReplicaSet's name (NAME-HASH), "statefulset/NAME", "job/NAME". */
static void pod_workload(const cJSON *pod, char *buf, size_t n)
{
    const cJSON *ref = cJSON_GetArrayItem(kj_get(pod, "metadata.ownerReferences"), 0);
    const char *kind = kj_str(ref, "kind"), *name = kj_str(ref, "name");
    if (str_eq(kind, "ReplicaSet") && name && strrchr(name, '-'))
        snprintf(buf, n, "deployment/%.*s", (int)(strrchr(name, '-') - name), name);
    else if (kind && name)
        snprintf(buf, n, "%s/%s",
                 str_eq(kind, "StatefulSet") ? "statefulset"
                 : str_eq(kind, "Job")       ? "job"
                 : str_eq(kind, "DaemonSet") ? "daemonset"
                                             : "pod",
                 name);
    else
        snprintf(buf, n, "pod/%s", kj_str(pod, "metadata.name"));
}

static void add_target(struct logs_state *s, const cJSON *pod, const char *container, bool previous)
{
    if (s->n >= MAX_LOGS)
        return;
    struct log_target *t = &s->t[s->n++];
    memset(t, 0, sizeof(*t));
    t->s = s;
    snprintf(t->pod, sizeof(t->pod), "%s", kj_str(pod, "metadata.name"));
    snprintf(t->container, sizeof(t->container), "%s", container);
    t->comp = dify_comp_of_json(pod, NULL);
    t->previous = previous;
    pod_workload(pod, t->workload, sizeof(t->workload));
}

/* What the remedies are filled with: the migration Job's name and the
 * database host and user of the component (from its environment). */
static void sig_context(struct check *c, const struct log_target *t, struct sig_ctx *ctx,
                        struct app_env *env, char *job, size_t jn)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->kubectl = check_kubectl(c);
    ctx->workload = t->workload;
    struct workload_ref w;
    job[0] = '\0';
    if (checks_app_find(c, DIFY_COMP_MIGRATION, &w)) {
        snprintf(job, jn, "%s", w.name);
        ctx->migration_job = job;
    }
    memset(env, 0, sizeof(*env));
    if (t->comp != DIFY_COMP_NONE && checks_app_find(c, t->comp, &w)) {
        checks_env_resolve(c, w.tpl, t->comp, env);
        ctx->db_host = app_env_get(env, "DB_HOST");
        ctx->db_user = app_env_get(env, "DB_USERNAME");
    }
}

/* Adds one target's finding; returns the signature (or NULL). */
static const struct dify_signature *judge_target(struct check *c, const struct log_target *t,
                                                 char **remedy)
{
    const char *title = dify_comp_desc(t->comp)->title;
    if (!t->body) {
        check_evidence(c, "pod %s: no log: %s", t->pod, t->err);
        return NULL;
    }
    const char *line;
    size_t ll;
    const struct dify_signature *sig = dify_signature_match(t->body, t->len, &line, &ll);
    if (!sig)
        return NULL;
    check_evidence(c, "pod %s (%s): %s [%s]", t->pod, t->comp ? title : "other", sig->key,
                   sig->source);
    check_evidence(c, "  log: %.*s", (int)(ll > 400 ? 400 : ll), line);
    if (remedy && !*remedy) {
        struct sig_ctx ctx;
        struct app_env env;
        char job[256];
        sig_context(c, t, &ctx, &env, job, sizeof(job));
        *remedy = dify_signature_remedy(sig, &ctx, line, ll);
        app_env_done(&env);
    }
    return sig;
}

/* The last lines of a log with no known signature, as evidence. */
static void last_lines(struct check *c, const struct log_target *t, int n)
{
    if (!t->body)
        return;
    const char *end = t->body + t->len;
    while (end > t->body && end[-1] == '\n')
        end--;
    const char *p = end;
    for (int k = 0; k < n && p > t->body; k++) {
        p--;
        while (p > t->body && p[-1] != '\n')
            p--;
    }
    check_evidence(c, "pod %s: last lines:", t->pod);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
        check_evidence(c, "  %.*s", (int)(ll > 300 ? 300 : ll), p);
        p += ll + 1;
    }
}

/* ---- DT-202 crash loops ---- */

static void crash_judge(struct logs_state *s)
{
    struct check *c = s->c;
    if (s->n == 0) {
        check_ok(c, "no pod is crash-looping");
        return;
    }
    const struct dify_signature *first = NULL;
    char *remedy = NULL;
    int unexplained = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct dify_signature *sig = judge_target(c, &s->t[i], &remedy);
        if (sig && !first)
            first = sig;
        if (!sig) {
            unexplained++;
            last_lines(c, &s->t[i], 3);
        }
    }
    if (first) {
        check_explain(c, "%s", first->cause);
        check_try(c, "%s", remedy);
        check_more(c, "%s (%s)", DOC "dt-202", first->source);
    } else {
        check_try(c, "%s logs %s -c %s --previous", check_kubectl(c), s->t[0].pod,
                  s->t[0].container);
        check_more(c, DOC "dt-202");
    }
    free(remedy);
    if (first)
        check_fail(c, "%zu pod%s crash%s: %s%s", s->n, s->n == 1 ? "" : "s", s->n == 1 ? "es" : "",
                   first->key, unexplained ? ", and others with no known signature" : "");
    else
        check_fail(c, "%zu pod%s crash%s with no known signature in %s logs", s->n,
                   s->n == 1 ? "" : "s", s->n == 1 ? "es" : "", s->n == 1 ? "its" : "their");
}

static void crash_start(struct check *c)
{
    struct logs_state *s = logs_begin(c, crash_judge);
    const cJSON *pod;
    cJSON_ArrayForEach(pod, check_fact(c, FACT_PODS))
    {
        bool failed_pod = str_eq(kj_str(pod, "status.phase"), "Failed");
        const cJSON *st;
        cJSON_ArrayForEach(st, kj_get(pod, "status.containerStatuses"))
        {
            const char *name = kj_str(st, "name");
            bool looping = str_eq(kj_str(st, "state.waiting.reason"), "CrashLoopBackOff") ||
                           (kj_int(st, "restartCount", 0) > 0 &&
                            kj_int(st, "lastState.terminated.exitCode", 0) != 0 &&
                            !kj_has(st, "state.running"));
            bool died = failed_pod && kj_int(st, "state.terminated.exitCode", 0) != 0;
            if (name && (looping || died)) {
                add_target(s, pod, name, looping);
                break;
            }
        }
    }
    logs_fetch(s);
}

/* ---- DT-203 running pods that log a known failure ---- */

static void running_judge(struct logs_state *s)
{
    struct check *c = s->c;
    const struct dify_signature *worst = NULL;
    char *remedy = NULL;
    int found = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct dify_signature *sig = judge_target(c, &s->t[i], &remedy);
        if (!sig)
            continue;
        found++;
        if (!worst || (sig->fatal && !worst->fatal))
            worst = sig;
    }
    if (!worst) {
        check_ok(c, "%zu running Dify pods log no known failure", s->n);
        free(remedy);
        return;
    }
    check_explain(c, "%s", worst->cause);
    check_try(c, "%s", remedy);
    check_more(c, "%s (%s)", DOC "dt-203", worst->source);
    free(remedy);
    if (worst->fatal)
        check_fail(c, "%d running pods log a failure: %s", found, worst->key);
    else
        check_warn(c, "%d running pods log a known problem: %s", found, worst->key);
}

static void running_start(struct check *c)
{
    struct logs_state *s = logs_begin(c, running_judge);
    const cJSON *pod;
    cJSON_ArrayForEach(pod, check_fact(c, FACT_PODS))
    {
        enum dify_comp comp = dify_comp_of_json(pod, NULL);
        if (comp == DIFY_COMP_NONE || !str_eq(kj_str(pod, "status.phase"), "Running") ||
            kj_get(pod, "metadata.deletionTimestamp"))
            continue;
        const cJSON *st;
        cJSON_ArrayForEach(st, kj_get(pod, "status.containerStatuses"))
        {
            if (kj_has(st, "state.running") && kj_str(st, "name")) {
                add_target(s, pod, kj_str(st, "name"), false);
                break;
            }
        }
    }
    logs_fetch(s);
}

const struct check_def checks_workloads[] = {
    {"DT-201", AREA_WORKLOADS, "The Dify components are present and ready", NEED_APP, ready_start,
     NULL, 0, 0},
    {"DT-202", AREA_WORKLOADS, "Crash loops, explained by their logs", NEED_APP, crash_start,
     logs_stop, 0, 0},
    {"DT-203", AREA_WORKLOADS, "Running pods log no known failure", NEED_APP, running_start,
     logs_stop, 0, 0},
};
const size_t checks_workloads_n = ARRAY_LEN(checks_workloads);
