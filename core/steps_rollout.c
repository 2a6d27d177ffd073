/* core/steps_rollout.c: waiting for every component's rollout, by
 * kubectl's rules (core/rollout: `kubectl rollout status` message for
 * message), one detail row per Deployment or StatefulSet with a bar of
 * ready replicas. The pods behind each one are read too: a pod that cannot
 * start (CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError
 * ...) is named in its row at once. The step fails when a Deployment
 * exceeds its progress deadline or when its own deadline comes, naming
 * each component that is not ready and showing the last log lines of the
 * first pod in trouble (its previous container when it restarted). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_store.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/profile.h"
#include "core/rollout.h"
#include "core/runner.h"
#include "core/steps_kube.h"
#include "core/util.h"

#define ROLL_POLL_MS 1000
#define ROLL_LOG_LINES 20

struct wl {
    enum kube_kind kind;
    char *name;
    struct kube_obj *obj; /* as last listed, or NULL */
    enum rollout_state st;
    char msg[512];
    const struct kube_obj *trouble; /* a pod in trouble (valid until the next list) */
};

struct roll_step {
    char *ns, *release;
    char **names; /* "Deployment/dify-api" */
    size_t nnames;
    long long timeout_ms;
    /* the attempt */
    struct step_run *sr;
    struct kube_client *kc;
    struct kube_list *list;
    struct kube_req *req;
    long long timer, deadline;
    int phase; /* 0 deployments, 1 statefulsets, 2 pods */
    struct wl *wls;
    size_t nwls;
    struct pods pods;
    struct error fail;
    char trouble_title[300];
};

static void roll_clear(struct roll_step *r)
{
    for (size_t i = 0; i < r->nwls; i++) {
        free(r->wls[i].name);
        kube_obj_free(r->wls[i].obj);
    }
    free(r->wls);
    r->wls = NULL;
    r->nwls = 0;
    steps_pods_clear(&r->pods);
}

static struct wl *wl_find(struct roll_step *r, enum kube_kind k, const char *name)
{
    for (size_t i = 0; i < r->nwls; i++)
        if (r->wls[i].kind == k && strcmp(r->wls[i].name, name) == 0)
            return &r->wls[i];
    return NULL;
}

static struct wl *wl_add(struct roll_step *r, enum kube_kind k, const char *name)
{
    r->wls = xrealloc(r->wls, (r->nwls + 1) * sizeof(*r->wls));
    struct wl *w = &r->wls[r->nwls++];
    memset(w, 0, sizeof(*w));
    w->kind = k;
    w->name = xstrdup(name);
    return w;
}

static const char *kind_word(enum kube_kind k)
{
    return k == KUBE_STATEFULSET ? "StatefulSet" : "Deployment";
}

static void roll_end(struct roll_step *r, const struct error *err)
{
    struct step_run *sr = r->sr;
    r->sr = NULL;
    roll_clear(r);
    step_run_done(sr, err);
}

static void roll_poll(struct roll_step *r);

static void roll_tick(struct loop *l, long long id, void *arg)
{
    struct roll_step *r = arg;
    r->timer = 0;
    r->phase = 0; /* a new round: workloads, then pods */
    roll_poll(r);
}

/* Does pod belong to workload w (its controller chain)? */
static bool pod_of(const struct kube_obj *pod, const struct wl *w)
{
    if (!pod->owner_kind || !pod->owner_name)
        return false;
    if (w->kind == KUBE_STATEFULSET)
        return strcmp(pod->owner_kind, "StatefulSet") == 0 && strcmp(pod->owner_name, w->name) == 0;
    /* a Deployment's ReplicaSet is NAME-HASH */
    size_t n = strlen(w->name);
    return strcmp(pod->owner_kind, "ReplicaSet") == 0 &&
           strncmp(pod->owner_name, w->name, n) == 0 && pod->owner_name[n] == '-' &&
           !strchr(pod->owner_name + n + 1, '-');
}

static void roll_logs_done(long status, const char *body, size_t len, const struct error *err,
                           void *arg)
{
    struct roll_step *r = arg;
    r->req = NULL;
    if (!err) {
        char **lines = NULL;
        size_t n = steps_last_lines(body, len, ROLL_LOG_LINES, &lines);
        const char *last = steps_last_error(lines, n);
        if (last)
            error_append(&r->fail, "; its last log line: %s", last);
        step_run_tail(r->sr, r->trouble_title, (const char *const *)lines, n);
        steps_free_lines(lines, n);
    }
    struct error e = r->fail;
    roll_end(r, &e);
}

/* Fails with every component that is not ready, and the trouble pod's log. */
static void roll_fail(struct roll_step *r, bool deadline)
{
    struct strbuf sb;
    strbuf_init(&sb);
    const struct kube_obj *trouble = NULL;
    size_t bad = 0;
    for (size_t i = 0; i < r->nwls; i++) {
        struct wl *w = &r->wls[i];
        if (w->st == ROLLOUT_DONE)
            continue;
        bad++;
        strbuf_addf(&sb, "%s%s", sb.len ? "; " : "", w->msg);
        if (w->trouble && !trouble)
            trouble = w->trouble;
    }
    if (deadline)
        error_set(&r->fail, ERR_PROCESS, 0, "%zu component%s not ready within %lld s: %s", bad,
                  bad == 1 ? " was" : "s were", r->timeout_ms / 1000, sb.buf);
    else
        error_set(&r->fail, ERR_PROCESS, 0, "%s", sb.buf);
    strbuf_done(&sb);
    step_run_permanent(r->sr);
    if (!trouble) {
        step_run_hint(r->sr,
                      "`dify-tui get pods -n %s` and `kubectl describe` show what the pods "
                      "wait for (resources, volumes, images); retry waits again",
                      r->ns);
        struct error e = r->fail;
        roll_end(r, &e);
        return;
    }
    step_run_hint(r->sr,
                  "pod %s is in %s: its log is shown; the cause is often a wrong password, "
                  "host or key in the Secrets, or an image that cannot be pulled. Fix it, "
                  "then retry (the pods restart by themselves)",
                  trouble->name, trouble->u.pod.reason);
    snprintf(r->trouble_title, sizeof(r->trouble_title), "Log of pod %s%s", trouble->name,
             trouble->u.pod.restarts > 0 ? " (its previous container)" : "");
    struct kube_log_opts lo = {.tail_lines = ROLL_LOG_LINES,
                               .previous = trouble->u.pod.restarts > 0};
    r->req = kube_logs(r->kc, r->ns, trouble->name, &lo, NULL, NULL, roll_logs_done, r);
}

static void roll_judge(struct roll_step *r)
{
    size_t done = 0, failed = 0;
    for (size_t i = 0; i < r->nwls; i++) {
        struct wl *w = &r->wls[i];
        char *key = xasprintf("%s/%s", kind_word(w->kind), w->name);
        w->trouble = NULL;
        if (!w->obj) {
            w->st = ROLLOUT_WAITING;
            snprintf(w->msg, sizeof(w->msg), "%s %s does not exist yet", kind_word(w->kind),
                     w->name);
            step_run_row(r->sr, key, w->name, ROW_WAITING, "not created yet", 0, 0);
            free(key);
            continue;
        }
        w->st = rollout_status(w->kind, w->obj, w->msg, sizeof(w->msg));
        size_t npods = 0, ntrouble = 0;
        unsigned restarts = 0;
        for (size_t k = 0; k < r->pods.n; k++) {
            const struct kube_obj *p = r->pods.v[k];
            if (!pod_of(p, w) || p->deleted)
                continue;
            npods++;
            if (steps_pod_problem(p)) {
                ntrouble++;
                if (!w->trouble || p->u.pod.restarts > w->trouble->u.pod.restarts)
                    w->trouble = p;
            }
            restarts += p->u.pod.restarts;
        }
        const struct kube_workload *wl = &w->obj->u.wl;
        long want = wl->spec_replicas >= 0 ? wl->spec_replicas : 1;
        long ready = w->kind == KUBE_DEPLOYMENT ? wl->available : wl->ready;
        enum runner_row_state rs = ROW_WORKING;
        char status[700];
        if (w->st == ROLLOUT_DONE) {
            rs = ROW_DONE;
            snprintf(status, sizeof(status), "%ld of %ld ready", ready, want);
            done++;
        } else if (w->st == ROLLOUT_FAILED) {
            rs = ROW_FAILED;
            snprintf(status, sizeof(status), "%s", w->msg);
            failed++;
        } else if (w->trouble) {
            snprintf(status, sizeof(status), "%zu of %zu pods %s (restarted %u times)", ntrouble,
                     npods, w->trouble->u.pod.reason, restarts);
            /* the message a failure will carry */
            size_t ml = strlen(w->msg);
            snprintf(w->msg + ml, sizeof(w->msg) - ml, " (pod %s: %s, restarted %u times)",
                     w->trouble->name, w->trouble->u.pod.reason, w->trouble->u.pod.restarts);
        } else {
            snprintf(status, sizeof(status), "%ld of %ld ready", ready, want);
        }
        step_run_row(r->sr, key, w->name, rs, status, ready, want);
        free(key);
    }
    step_run_status(r->sr, "%zu of %zu components rolled out", done, r->nwls);
    if (r->nwls && done == r->nwls) {
        step_run_summary(r->sr, "%zu component%s rolled out", done, done == 1 ? "" : "s");
        roll_end(r, NULL);
        return;
    }
    if (failed) {
        roll_fail(r, false);
        return;
    }
    if (now_ms() > r->deadline) {
        if (!r->nwls) {
            struct error e;
            error_set(&e, ERR_PROCESS, 0,
                      "no Deployment or StatefulSet with label app.kubernetes.io/instance=%s "
                      "appeared in namespace %s within %lld s",
                      r->release, r->ns, r->timeout_ms / 1000);
            step_run_permanent(r->sr);
            roll_end(r, &e);
            return;
        }
        roll_fail(r, true);
        return;
    }
    r->timer = loop_add_timer(step_run_loop(r->sr), ROLL_POLL_MS, roll_tick, r);
}

static void roll_item(const cJSON *item, void *arg)
{
    struct roll_step *r = arg;
    if (r->phase == 2) {
        steps_pods_item(item, &r->pods);
        return;
    }
    enum kube_kind k = r->phase == 0 ? KUBE_DEPLOYMENT : KUBE_STATEFULSET;
    struct error err;
    struct kube_obj *o = kube_obj_parse(k, item, &err);
    if (!o)
        return;
    struct wl *w = wl_find(r, k, o->name);
    if (!w && r->nnames) {
        kube_obj_free(o); /* not one of ours */
        return;
    }
    if (!w)
        w = wl_add(r, k, o->name);
    kube_obj_free(w->obj);
    w->obj = o;
}

static void roll_listed(const char *rv, const struct error *err, void *arg)
{
    struct roll_step *r = arg;
    r->list = NULL;
    if (err) {
        /* the API server hiccuped: the wait goes on until its deadline */
        log_warn("rollouts: %s", err->msg);
        step_run_status(r->sr, "the cluster did not answer (%s): trying again", err->msg);
        r->timer = loop_add_timer(step_run_loop(r->sr), ROLL_POLL_MS, roll_tick, r);
        return;
    }
    if (r->phase < 2) {
        r->phase++;
        roll_poll(r);
        return;
    }
    roll_judge(r);
}

static void roll_poll(struct roll_step *r)
{
    if (r->phase == 0) {
        for (size_t i = 0; i < r->nwls; i++) {
            kube_obj_free(r->wls[i].obj);
            r->wls[i].obj = NULL;
        }
        steps_pods_clear(&r->pods);
    }
    char *sel = r->nnames ? NULL : xasprintf("app.kubernetes.io/instance=%s", r->release);
    static const enum kube_kind kinds[] = {KUBE_DEPLOYMENT, KUBE_STATEFULSET, KUBE_POD};
    struct kube_list_opts lo = {.res = kube_resource_get(kinds[r->phase]),
                                .ns = r->ns,
                                .label_selector = r->phase == 2 ? NULL : sel};
    r->list = kube_list_start(r->kc, &lo, roll_item, roll_listed, r);
    free(sel);
}

static void roll_start(struct step_run *sr, void *data)
{
    struct roll_step *r = data;
    r->sr = sr;
    struct error err;
    error_clear(&err);
    r->kc = step_run_kube(sr, &err);
    if (!r->kc) {
        step_run_permanent(sr);
        r->sr = NULL;
        step_run_done(sr, &err);
        return;
    }
    roll_clear(r);
    for (size_t i = 0; i < r->nnames; i++) {
        const char *slash = strchr(r->names[i], '/');
        enum kube_kind k =
            str_starts_with(r->names[i], "StatefulSet/") ? KUBE_STATEFULSET : KUBE_DEPLOYMENT;
        wl_add(r, k, slash ? slash + 1 : r->names[i]);
    }
    step_run_detail_title(sr, "Rollouts");
    r->deadline = now_ms() + r->timeout_ms;
    r->phase = 0;
    roll_poll(r);
}

static void roll_cancel(struct step_run *sr, void *data)
{
    struct roll_step *r = data;
    if (r->list)
        kube_list_cancel(r->list);
    if (r->req)
        kube_req_cancel(r->req);
    if (r->timer)
        loop_cancel_timer(step_run_loop(sr), r->timer);
    r->list = NULL;
    r->req = NULL;
    r->timer = 0;
    r->sr = NULL;
    roll_clear(r);
}

static void roll_free(void *data)
{
    struct roll_step *r = data;
    roll_clear(r);
    for (size_t i = 0; i < r->nnames; i++)
        free(r->names[i]);
    free(r->names);
    free(r->ns);
    free(r->release);
    free(r);
}

static const struct step_ops roll_ops = {"rollout", roll_start, roll_cancel, NULL, roll_free};

struct plan_step *steps_add_rollouts(struct plan *p, const struct plan_ctx *ctx,
                                     const char *const *names, size_t n)
{
    struct roll_step *r = xcalloc(1, sizeof(*r));
    r->ns = xstrdup(ctx->profile->namespace);
    r->release = xstrdup(ctx->profile->release);
    r->timeout_ms = ctx->rollout_timeout_ms > 0 ? ctx->rollout_timeout_ms : 10 * 60 * 1000;
    r->names = xcalloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        r->names[i] = xstrdup(names[i]);
    r->nnames = n;
    struct plan_step *s = plan_add(p, STAGE_ROLLOUT, "rollouts",
                                   "Wait for every component to roll out", &roll_ops, r);
    if (n) {
        struct strbuf sb;
        strbuf_init(&sb);
        for (size_t i = 0; i < n; i++)
            strbuf_addf(&sb, "%s%s", i ? ", " : "", names[i]);
        plan_step_note(s, "wait, by kubectl's rollout status rules, for %s (at most %lld s)",
                       sb.buf, r->timeout_ms / 1000);
        strbuf_done(&sb);
    } else {
        plan_step_note(s,
                       "wait, by kubectl's rollout status rules, for every Deployment and "
                       "StatefulSet labelled app.kubernetes.io/instance=%s in %s (at most %lld s)",
                       r->release, r->ns, r->timeout_ms / 1000);
    }
    plan_step_always(s);
    return s;
}
