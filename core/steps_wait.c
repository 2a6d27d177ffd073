/* core/steps_wait.c: the steps that wait on the cluster.
 *
 * The database Job (render's 28-databases-job.yaml: the plugin daemon's
 * database created when missing) and the migration Job, both run the same
 * way. The migration Job (DECISIONS.md item 5: named per revision, so a Job of
 * this revision that completed is not run twice, and one that failed is
 * deleted and run again): applied, watched by polling the Job and its pods,
 * the newest pod's log tail shown while it runs and on failure. A Job that
 * completed but whose log says "Database migration skipped" or "Database
 * migration failed" (older api images log the failure and exit 0, dify
 * issue #32021) is a failure: the schema was not migrated.
 *
 * The rollouts: every Deployment and StatefulSet of the release, judged by
 * kubectl's rules (core/rollout), with the pods behind each one: a pod in
 * CrashLoopBackOff, ImagePullBackOff or CreateContainerConfigError is named
 * in its row at once, and when the deadline comes (or a Deployment exceeds
 * its progress deadline) the step fails with that pod's last log lines. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/kube_store.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/profile.h"
#include "core/rollout.h"
#include "core/runner.h"
#include "core/steps_kube.h"
#include "core/util.h"

#define WAIT_POLL_MS 1000
#define LOG_TAIL_LINES 15
#define FAIL_LOG_LINES 40

/* ================= a Job run to its end: migration, databases ================= */

enum mig_phase { M_IDLE, M_CHECK, M_DELETE, M_GONE, M_APPLY, M_JOB, M_PODS, M_LOG, M_FINAL_LOG };

struct mig_step {
    struct manifest_obj job;
    const char *what; /* "migration Job", "database Job" */
    bool migration;   /* its log is checked for a skipped or failed migration */
    long long timeout_ms;
    /* the attempt */
    struct step_run *sr;
    struct kube_client *kc;
    struct kube_req *req;
    struct kube_list *list;
    long long timer;
    long long deadline;
    enum mig_phase phase;
    char *body;
    struct kube_obj *jobo; /* the Job as last read */
    struct pods pods;
    char *log_pod; /* the pod whose log is shown */
    bool final_ok; /* the Job completed: check its log */
    struct error final_err;
};

static void mig_poll(struct mig_step *m);

static void mig_end(struct mig_step *m, const struct error *err)
{
    struct step_run *sr = m->sr;
    m->sr = NULL;
    if (m->timer)
        loop_cancel_timer(step_run_loop(sr), m->timer);
    m->timer = 0;
    steps_pods_clear(&m->pods);
    kube_obj_free(m->jobo);
    m->jobo = NULL;
    step_run_done(sr, err);
}

static void mig_http_fail(struct mig_step *m, const struct error *e, const char *doing)
{
    struct error err = *e;
    error_prefix(&err, "%s the %s %s", doing, m->what, m->job.name);
    if (steps_http_permanent(e))
        step_run_permanent(m->sr);
    mig_end(m, &err);
}

static void mig_tick(struct loop *l, long long id, void *arg)
{
    struct mig_step *m = arg;
    m->timer = 0;
    mig_poll(m);
}

static void mig_later(struct mig_step *m, long long ms)
{
    m->timer = loop_add_timer(step_run_loop(m->sr), ms, mig_tick, m);
}

/* The newest pod of the Job. */
static const struct kube_obj *mig_newest(struct mig_step *m)
{
    const struct kube_obj *best = NULL;
    for (size_t i = 0; i < m->pods.n; i++)
        if (!best || m->pods.v[i]->created > best->created ||
            (m->pods.v[i]->created == best->created && strcmp(m->pods.v[i]->name, best->name) > 0))
            best = m->pods.v[i];
    return best;
}

static void mig_final(struct mig_step *m, const char *body, size_t len)
{
    char **lines = NULL;
    size_t n = steps_last_lines(body ? body : "", body ? len : 0, FAIL_LOG_LINES, &lines);
    char title[300];
    snprintf(title, sizeof(title), "Log of pod %s", m->log_pod ? m->log_pod : "(none)");
    step_run_tail(m->sr, title, (const char *const *)lines, n);
    if (m->final_ok) {
        /* "Database migration skipped" is never success */
        bool skipped = m->migration && body && memmem(body, len, "Database migration skipped", 26);
        bool failed = m->migration && body && memmem(body, len, "Database migration failed", 25);
        if (skipped || failed) {
            struct error e;
            error_set(&e, ERR_PROCESS, 0,
                      "the migration Job %s completed, but its log says \"%s\": the database "
                      "schema was not migrated",
                      m->job.name,
                      skipped ? "Database migration skipped" : "Database migration failed");
            step_run_hint(m->sr, "%s",
                          skipped ? "another process held the migration lock (Redis key "
                                    "db_upgrade_lock): make sure no api runs with "
                                    "MIGRATION_ENABLED=true, then retry"
                                  : "the log above says why; fix it, then retry");
            step_run_permanent(m->sr);
            steps_free_lines(lines, n);
            mig_end(m, &e);
            return;
        }
        const char *last = steps_last_nonempty(lines, n);
        step_run_summary(m->sr, "%s completed%s%s", m->job.name, last ? ": " : "",
                         last ? last : "");
        steps_free_lines(lines, n);
        mig_end(m, NULL);
        return;
    }
    struct error e = m->final_err;
    const char *last = steps_last_error(lines, n);
    if (last)
        error_append(&e, "; its last log line: %s", last);
    step_run_hint(m->sr, "the Job's log above says why (often the database host, user or password "
                         "in the Secret, or the database not accepting connections); fix it, "
                         "then retry: the failed Job is deleted and run again");
    step_run_permanent(m->sr);
    steps_free_lines(lines, n);
    mig_end(m, &e);
}

static void mig_final_log(long status, const char *body, size_t len, const struct error *err,
                          void *arg)
{
    struct mig_step *m = arg;
    m->req = NULL;
    if (err)
        log_warn("the %s's log: %s", m->what, err->msg);
    mig_final(m, err ? NULL : body, err ? 0 : len);
}

/* Ends with the newest pod's log: on success to check it, on failure to show it. */
static void mig_finish(struct mig_step *m, bool ok, const struct error *why)
{
    m->final_ok = ok;
    if (why)
        m->final_err = *why;
    const struct kube_obj *pod = mig_newest(m);
    str_replace(&m->log_pod, pod ? pod->name : NULL);
    if (!pod) {
        mig_final(m, NULL, 0);
        return;
    }
    struct kube_log_opts lo = {.tail_lines = ok ? 500 : FAIL_LOG_LINES};
    m->phase = M_FINAL_LOG;
    m->req = kube_logs(m->kc, m->job.ns, pod->name, &lo, NULL, NULL, mig_final_log, m);
}

static void mig_log_tail(long status, const char *body, size_t len, const struct error *err,
                         void *arg)
{
    struct mig_step *m = arg;
    m->req = NULL;
    if (!err) {
        char **lines = NULL;
        size_t n = steps_last_lines(body, len, LOG_TAIL_LINES, &lines);
        char title[300];
        snprintf(title, sizeof(title), "Log of pod %s", m->log_pod);
        step_run_tail(m->sr, title, (const char *const *)lines, n);
        steps_free_lines(lines, n);
    }
    mig_later(m, WAIT_POLL_MS);
}

static void mig_pods_done(const char *rv, const struct error *err, void *arg)
{
    struct mig_step *m = arg;
    m->list = NULL;
    if (err) {
        /* a failed list is not the Job failing: try again next time */
        log_warn("listing the %s's pods: %s", m->what, err->msg);
        mig_later(m, WAIT_POLL_MS);
        return;
    }
    for (size_t i = 0; i < m->pods.n; i++) {
        const struct kube_obj *p = m->pods.v[i];
        const char *st = p->u.pod.reason ? p->u.pod.reason : p->u.pod.phase;
        enum runner_row_state rs = ROW_WORKING;
        if (str_eq(p->u.pod.phase, "Succeeded"))
            rs = ROW_DONE;
        else if (str_eq(p->u.pod.phase, "Failed"))
            rs = ROW_FAILED;
        char *key = xasprintf("pod/%s", p->name);
        step_run_row(m->sr, key, p->name, rs, st ? st : "", 0, 0);
        free(key);
    }
    const struct kube_obj *j = m->jobo;
    if (j && j->u.job.complete) {
        mig_finish(m, true, NULL);
        return;
    }
    if (j && j->u.job.failed_cond) {
        struct error e;
        error_set(&e, ERR_PROCESS, 0, "the %s %s failed (%s%s%s)", m->what, m->job.name,
                  j->u.job.failed_reason ? j->u.job.failed_reason : "Failed",
                  j->u.job.failed_message ? ": " : "",
                  j->u.job.failed_message ? j->u.job.failed_message : "");
        mig_finish(m, false, &e);
        return;
    }
    if (now_ms() > m->deadline) {
        struct error e;
        error_set(&e, ERR_PROCESS, 0, "the %s %s did not finish within %lld s", m->what,
                  m->job.name, m->timeout_ms / 1000);
        mig_finish(m, false, &e);
        return;
    }
    const struct kube_obj *pod = mig_newest(m);
    if (j)
        step_run_status(m->sr, "attempt %d of %d%s%s: %s",
                        j->u.job.failed + j->u.job.succeeded + (j->u.job.active ? 1 : 0),
                        j->u.job.backoff_limit + 1, pod ? ", pod " : "", pod ? pod->name : "",
                        pod ? (pod->u.pod.reason ? pod->u.pod.reason : pod->u.pod.phase)
                            : "waiting for its pod");
    if (pod && !str_eq(pod->u.pod.phase, "Pending")) {
        str_replace(&m->log_pod, pod->name);
        struct kube_log_opts lo = {.tail_lines = LOG_TAIL_LINES};
        m->phase = M_LOG;
        m->req = kube_logs(m->kc, m->job.ns, pod->name, &lo, NULL, NULL, mig_log_tail, m);
        return;
    }
    mig_later(m, WAIT_POLL_MS);
}

static void mig_pod_item(const cJSON *item, void *arg)
{
    struct mig_step *m = arg;
    steps_pods_item(item, &m->pods);
}

static void mig_job_read(long status, const char *body, size_t len, const struct error *err,
                         void *arg)
{
    struct mig_step *m = arg;
    m->req = NULL;
    if (err && !(err->code == ERR_HTTP && err->detail == 404)) {
        log_warn("reading the %s: %s", m->what, err->msg);
        mig_later(m, WAIT_POLL_MS);
        return;
    }
    kube_obj_free(m->jobo);
    m->jobo = NULL;
    if (err) {
        struct error e;
        error_set(&e, ERR_PROCESS, 0,
                  "the %s %s disappeared while dify-tui waited for it (deleted by "
                  "someone, or by its ttlSecondsAfterFinished)",
                  m->what, m->job.name);
        mig_end(m, &e);
        return;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    struct error perr;
    if (j)
        m->jobo = kube_obj_parse(KUBE_JOB, j, &perr);
    cJSON_Delete(j);
    steps_pods_clear(&m->pods);
    /* this Job's pods only: a Job of the same name deleted before leaves
     * pods with the same job-name for a while */
    char ub[KUBE_UID_LEN];
    const char *uid = m->jobo ? kube_obj_uid(m->jobo, ub) : NULL;
    char *sel = uid ? xasprintf("controller-uid=%s", uid) : xasprintf("job-name=%s", m->job.name);
    struct kube_list_opts lo = {
        .res = kube_resource_get(KUBE_POD), .ns = m->job.ns, .label_selector = sel};
    m->phase = M_PODS;
    m->list = kube_list_start(m->kc, &lo, mig_pod_item, mig_pods_done, m);
    free(sel);
}

static void mig_poll(struct mig_step *m)
{
    m->phase = M_JOB;
    m->req = kube_get(m->kc, m->job.res, m->job.ns, m->job.name, mig_job_read, m);
}

static void mig_applied(long status, const char *body, size_t len, const struct error *err,
                        void *arg)
{
    struct mig_step *m = arg;
    m->req = NULL;
    str_free_secret(m->body);
    m->body = NULL;
    if (err) {
        mig_http_fail(m, err, "creating");
        return;
    }
    step_run_say(m->sr, "created the %s %s%s", m->what, m->job.name,
                 m->migration ? " (flask db upgrade)" : "");
    step_run_row(m->sr, "job", m->job.name, ROW_WORKING, "running", 0, 0);
    mig_poll(m);
}

static void mig_apply(struct mig_step *m)
{
    struct error err;
    error_clear(&err);
    if (steps_fill_placeholders(m->sr, m->job.text, &m->body, &err) < 0) {
        step_run_permanent(m->sr);
        mig_end(m, &err);
        return;
    }
    m->phase = M_APPLY;
    m->req = kube_apply(m->kc, m->job.res, m->job.ns, m->job.name, m->body, strlen(m->body),
                        mig_applied, m);
}

static void mig_gone_check(long status, const char *body, size_t len, const struct error *err,
                           void *arg);

static void mig_gone_tick(struct loop *l, long long id, void *arg)
{
    struct mig_step *m = arg;
    m->timer = 0;
    m->phase = M_GONE;
    m->req = kube_get(m->kc, m->job.res, m->job.ns, m->job.name, mig_gone_check, m);
}

static void mig_gone_check(long status, const char *body, size_t len, const struct error *err,
                           void *arg)
{
    struct mig_step *m = arg;
    m->req = NULL;
    if (err && err->code == ERR_HTTP && err->detail == 404) {
        mig_apply(m);
        return;
    }
    if (now_ms() > m->deadline) {
        struct error e;
        error_set(&e, ERR_PROCESS, 0, "the failed %s %s was not deleted in time", m->what,
                  m->job.name);
        mig_end(m, &e);
        return;
    }
    m->timer = loop_add_timer(step_run_loop(m->sr), 500, mig_gone_tick, m);
}

static void mig_deleted(long status, const char *body, size_t len, const struct error *err,
                        void *arg)
{
    struct mig_step *m = arg;
    m->req = NULL;
    if (err && !(err->code == ERR_HTTP && err->detail == 404)) {
        mig_http_fail(m, err, "deleting");
        return;
    }
    mig_gone_tick(NULL, 0, m);
}

static void mig_checked(long status, const char *body, size_t len, const struct error *err,
                        void *arg)
{
    struct mig_step *m = arg;
    m->req = NULL;
    if (err && err->code == ERR_HTTP && err->detail == 404) {
        mig_apply(m);
        return;
    }
    if (err) {
        mig_http_fail(m, err, "reading");
        return;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    struct error perr;
    struct kube_obj *o = j ? kube_obj_parse(KUBE_JOB, j, &perr) : NULL;
    cJSON_Delete(j);
    if (o && o->u.job.failed_cond) {
        step_run_say(m->sr, "the %s %s failed before: deleting it to run it again", m->what,
                     m->job.name);
        kube_obj_free(o);
        m->phase = M_DELETE;
        m->req =
            kube_delete(m->kc, m->job.res, m->job.ns, m->job.name, "Background", mig_deleted, m);
        return;
    }
    if (o && o->u.job.complete)
        step_run_say(m->sr, "the %s %s of this revision already completed: not run twice", m->what,
                     m->job.name);
    else
        step_run_say(m->sr, "the %s %s exists and runs: waiting for it", m->what, m->job.name);
    kube_obj_free(o);
    step_run_row(m->sr, "job", m->job.name, ROW_WORKING, "running", 0, 0);
    mig_poll(m);
}

static void mig_start(struct step_run *sr, void *data)
{
    struct mig_step *m = data;
    m->sr = sr;
    struct error err;
    error_clear(&err);
    m->kc = step_run_kube(sr, &err);
    if (!m->kc) {
        step_run_permanent(sr);
        m->sr = NULL;
        step_run_done(sr, &err);
        return;
    }
    m->deadline = now_ms() + m->timeout_ms;
    step_run_detail_title(sr, "Migration Job");
    m->phase = M_CHECK;
    m->req = kube_get(m->kc, m->job.res, m->job.ns, m->job.name, mig_checked, m);
}

static void mig_cancel(struct step_run *sr, void *data)
{
    struct mig_step *m = data;
    if (m->req)
        kube_req_cancel(m->req);
    if (m->list)
        kube_list_cancel(m->list);
    if (m->timer)
        loop_cancel_timer(step_run_loop(sr), m->timer);
    m->req = NULL;
    m->list = NULL;
    m->timer = 0;
    str_free_secret(m->body);
    m->body = NULL;
    steps_pods_clear(&m->pods);
    kube_obj_free(m->jobo);
    m->jobo = NULL;
    m->sr = NULL;
}

static void mig_free(void *data)
{
    struct mig_step *m = data;
    manifest_obj_done(&m->job);
    free(m->log_pod);
    free(m);
}

static const struct step_ops mig_ops = {"migration", mig_start, mig_cancel, NULL, mig_free};

static struct mig_step *job_step_new(const struct plan_ctx *ctx, struct manifest_obj *job,
                                     const char *what, bool migration)
{
    struct mig_step *m = xcalloc(1, sizeof(*m));
    m->timeout_ms = ctx->migration_timeout_ms > 0 ? ctx->migration_timeout_ms : 15 * 60 * 1000;
    m->what = what;
    m->migration = migration;
    if (job) {
        m->job = *job;
        memset(job, 0, sizeof(*job));
    }
    return m;
}

static void job_step_declare(struct plan_step *s, struct mig_step *m)
{
    char *what = manifest_obj_what(&m->job);
    plan_step_object(s, what, m->job.text);
    free(what);
    plan_step_note(s,
                   "wait for it to complete (at most %lld s); a Job of this revision that "
                   "failed before is deleted and run again",
                   m->timeout_ms / 1000);
}

struct plan_step *steps_add_migration(struct plan *p, const struct plan_ctx *ctx,
                                      struct manifest_obj *job)
{
    struct mig_step *m = job_step_new(ctx, job, "migration Job", true);
    struct plan_step *s = plan_add(p, STAGE_MIGRATE, "migration",
                                   "Migrate the database (the migration Job)", &mig_ops, m);
    if (m->job.name)
        job_step_declare(s, m);
    return s;
}

struct plan_step *steps_add_db_job(struct plan *p, const struct plan_ctx *ctx,
                                   struct manifest_obj *job)
{
    struct mig_step *m = job_step_new(ctx, job, "database Job", false);
    struct plan_step *s =
        plan_add(p, STAGE_BASE, "databases-job",
                 "Create the plugin daemon's database if missing (the database Job)", &mig_ops, m);
    job_step_declare(s, m);
    return s;
}
