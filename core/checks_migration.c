/* core/checks_migration.c: area 9, the schema migration: the migration Job
 * (DECISIONS 5: `flask db upgrade`, the api's image) succeeded for the
 * image the api runs, and the api does not also migrate at start
 * (MIGRATION_ENABLED=false when the Job is used: `flask upgrade-db` in
 * several pods skips or races, langgenius/dify#32021, #19910). */
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

static const char *first_image(const cJSON *tpl)
{
    return kj_str(cJSON_GetArrayItem(kj_get(tpl, "spec.containers"), 0), "image");
}

static bool job_condition(const cJSON *job, const char *type)
{
    const cJSON *cond;
    cJSON_ArrayForEach(cond, kj_get(job, "status.conditions"))
    {
        if (str_eq(kj_str(cond, "type"), type) && str_eq(kj_str(cond, "status"), "True"))
            return true;
    }
    return false;
}

/* Whether the api migrates at start, and the value it was given. */
static bool api_migrates(struct check *c, const struct workload_ref *api, char *how, size_t n)
{
    struct app_env e;
    checks_env_resolve(c, api->tpl, DIFY_COMP_API, &e);
    const struct env_var *v = app_env_find(&e, "MIGRATION_ENABLED");
    /* api/docker/entrypoint.sh migrates only for the exact "true". */
    bool on = v && str_eq(v->value, "true");
    snprintf(how, n, "MIGRATION_ENABLED=%s (%s)", v ? v->value : "unset", v ? v->source : "-");
    app_env_done(&e);
    return on;
}

/* ---- DT-901 the migration Job succeeded ---- */

struct job_state {
    struct check *c;
    char job[254];
    char pod[254];
};

static void job_log_done(long status, const char *body, size_t len, const struct error *err,
                         void *arg)
{
    struct job_state *s = arg;
    struct check *c = s->c;
    const char *line = NULL;
    size_t ll = 0;
    const struct dify_signature *sig = err ? NULL : dify_signature_match(body, len, &line, &ll);
    if (err)
        check_evidence(c, "no log of pod %s: %s", s->pod, err->msg);
    if (sig) {
        check_evidence(c, "pod %s: %s [%s]", s->pod, sig->key, sig->source);
        check_evidence(c, "  log: %.*s", (int)(ll > 400 ? 400 : ll), line);
        check_explain(c, "%s", sig->cause);
        char workload[300];
        snprintf(workload, sizeof(workload), "job/%s", s->job);
        struct sig_ctx ctx = {
            .kubectl = check_kubectl(c), .workload = workload, .migration_job = s->job};
        char *remedy = dify_signature_remedy(sig, &ctx, line, ll);
        check_try(c, "%s", remedy);
        free(remedy);
        check_more(c, "%s (%s)", DOC "dt-901", sig->source);
    } else {
        check_try(c, "%s logs job/%s", check_kubectl(c), s->job);
        check_more(c, DOC "dt-901");
    }
    check_fail(c, "the migration Job %s failed%s%s", s->job, sig ? ": " : "", sig ? sig->key : "");
}

static void job_stop(struct check *c)
{
    free(check_state(c));
}

/* The newest pod of a Job (label job-name). */
static const cJSON *job_pod(struct check *c, const char *job)
{
    const cJSON *pod, *best = NULL;
    long long best_t = -1;
    cJSON_ArrayForEach(pod, check_fact(c, FACT_PODS))
    {
        if (!str_eq(json_member_str(kj_get(pod, "metadata.labels"), "job-name"), job))
            continue;
        long long t = kube_time_parse(kj_str(pod, "metadata.creationTimestamp"));
        if (t > best_t) {
            best = pod;
            best_t = t;
        }
    }
    return best;
}

static void no_job(struct check *c, const struct workload_ref *api, bool have_api)
{
    const struct profile *p = check_env(c)->profile;
    char how[300] = "";
    bool migrates = have_api && api_migrates(c, api, how, sizeof(how));
    if (have_api)
        check_evidence(c, "the api: %s", how);
    if (migrates) {
        check_skip(c, "no migration Job: the api migrates at start");
        return;
    }
    if (p && p->migration.mode == MIGRATION_NONE) {
        check_skip(c, "the answers say the schema is migrated by hand (migration.mode: none)");
        return;
    }
    check_explain(c, "No migration Job is left and the api does not migrate at start. A Job "
                     "that succeeded may simply have expired (ttlSecondsAfterFinished); DT-403 "
                     "reads the revision the database is at.");
    check_try(c, "%s get jobs -l app.kubernetes.io/component=db-migration", check_kubectl(c));
    check_more(c, DOC "dt-901");
    check_warn(c, "no migration Job found");
}

static void job_start(struct check *c)
{
    struct workload_ref api, job;
    bool have_api = checks_app_find(c, DIFY_COMP_API, &api);
    if (!checks_app_find(c, DIFY_COMP_MIGRATION, &job)) {
        no_job(c, &api, have_api);
        return;
    }
    const char *img = first_image(job.tpl);
    const char *api_img = have_api ? first_image(api.tpl) : NULL;
    check_evidence(c, "Job %s runs %s", job.name, img ? img : "?");
    if (api_img)
        check_evidence(c, "the api runs %s", api_img);
    if (job_condition(job.obj, "Failed")) {
        const cJSON *fc = NULL, *cond;
        cJSON_ArrayForEach(cond, kj_get(job.obj, "status.conditions"))
        {
            if (str_eq(kj_str(cond, "type"), "Failed"))
                fc = cond;
        }
        check_evidence(c, "Failed: %s %s", kj_str(fc, "reason") ? kj_str(fc, "reason") : "",
                       kj_str(fc, "message") ? kj_str(fc, "message") : "");
        const cJSON *pod = job_pod(c, job.name);
        if (!pod) {
            check_try(c, "%s describe job %s", check_kubectl(c), job.name);
            check_more(c, DOC "dt-901");
            check_fail(c, "the migration Job %s failed", job.name);
            return;
        }
        struct job_state *s = xcalloc(1, sizeof(*s));
        s->c = c;
        snprintf(s->job, sizeof(s->job), "%s", job.name);
        snprintf(s->pod, sizeof(s->pod), "%s", kj_str(pod, "metadata.name"));
        check_set_state(c, s);
        char *path = xasprintf("/api/v1/namespaces/%s/pods/%s/log", check_env(c)->ns, s->pod);
        kube_query_add(&path, "tailLines", "80");
        struct kube_req_opts o = {.path = path, .accept = "*/*"};
        check_waiting(c, "the log of pod %s", s->pod);
        check_kube(c, &o, job_log_done, s);
        free(path);
        return;
    }
    check_more(c, DOC "dt-901");
    if (!job_condition(job.obj, "Complete")) {
        check_try(c, "%s logs -f job/%s", check_kubectl(c), job.name);
        check_warn(c, "the migration Job %s has not finished (%lld active)", job.name,
                   kj_int(job.obj, "status.active", 0));
        return;
    }
    if (api_img && img && !str_eq(api_img, img)) {
        check_explain(c, "The last migration ran another image than the api's: the schema is "
                         "the one that image expects. A Job runs once; a new api image needs "
                         "its own migration (the Job's name carries a hash of its image).");
        check_try(c, "dify-tui install   # renders and runs the migration Job for the api's image");
        check_warn(c, "the migration Job ran %s, the api runs %s", img, api_img);
        return;
    }
    check_ok(c, "the migration Job %s completed", job.name);
}

/* ---- DT-902 the api does not migrate too ---- */

static void double_start(struct check *c)
{
    const struct profile *p = check_env(c)->profile;
    struct workload_ref api, job, worker;
    if (!checks_app_find(c, DIFY_COMP_API, &api)) {
        check_skip(c, "no api workload found");
        return;
    }
    char how[300];
    bool migrates = api_migrates(c, &api, how, sizeof(how));
    bool have_job = checks_app_find(c, DIFY_COMP_MIGRATION, &job);
    bool job_mode = have_job || (p && p->migration.mode == MIGRATION_JOB);
    long long replicas = kj_int(api.obj, "spec.replicas", 1);
    check_evidence(c, "%s/%s: %s, %lld replicas", api.kind, api.name, how, replicas);
    if (have_job)
        check_evidence(c, "migration Job %s", job.name);
    check_more(c, DOC "dt-902");
    if (migrates && job_mode) {
        check_explain(c, "The migration Job migrates, and so does every api pod at start "
                         "(`flask upgrade-db`, MIGRATION_ENABLED=true): they race for the Redis "
                         "lock, the losers log \"Database migration skipped\" and exit 0 "
                         "(langgenius/dify#32021), and a long migration can outlive the lock "
                         "(#32297). With the Job, the api must not migrate.");
        check_try(c, "%s set env %s/%s MIGRATION_ENABLED=false", check_kubectl(c),
                  str_eq(api.kind, "StatefulSet") ? "statefulset" : "deployment", api.name);
        check_fail(c, "the api migrates at start although a migration Job is used");
        return;
    }
    if (checks_app_find(c, DIFY_COMP_WORKER, &worker)) {
        struct app_env we;
        checks_env_resolve(c, worker.tpl, DIFY_COMP_WORKER, &we);
        bool worker_migrates = str_eq(app_env_get(&we, "MIGRATION_ENABLED"), "true");
        app_env_done(&we);
        if (worker_migrates && (job_mode || migrates)) {
            check_evidence(c, "%s/%s: MIGRATION_ENABLED=true", worker.kind, worker.name);
            check_try(c, "%s set env deployment/%s MIGRATION_ENABLED=false", check_kubectl(c),
                      worker.name);
            check_warn(c, "the worker migrates at start too (docker compose's way)");
            return;
        }
    }
    if (migrates && replicas > 1) {
        check_explain(c, "Every api replica runs `flask upgrade-db` at start; only the one that "
                         "takes the Redis lock migrates, the others log \"Database migration "
                         "skipped\" and serve against a schema that may not be ready yet "
                         "(langgenius/dify#32021). A migration Job runs it once, before the "
                         "rollout.");
        check_try(c,
                  "%s set env deployment/%s MIGRATION_ENABLED=false   # and run the "
                  "migration as a Job",
                  check_kubectl(c), api.name);
        check_warn(c, "%lld api replicas each try to migrate at start", replicas);
        return;
    }
    check_ok(c, migrates ? "only the api migrates (one replica)"
                         : "the api does not migrate at start");
}

const struct check_def checks_migration[] = {
    {"DT-901", AREA_MIGRATION, "The migration Job succeeded for the api's image", NEED_APP,
     job_start, job_stop, 0, 0},
    {"DT-902", AREA_MIGRATION, "Only one thing migrates the schema", NEED_APP, double_start, NULL,
     0, 0},
};
const size_t checks_migration_n = ARRAY_LEN(checks_migration);
