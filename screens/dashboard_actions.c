/* screens/dashboard_actions.c: what the dashboard changes, each asked first
 * and gone with --read-only:
 *   r       rollout restart of a Deployment, StatefulSet or DaemonSet
 *           (kubectl's patch of the template's restartedAt annotation);
 *   Ctrl-L  rollback to the previous revision: `helm rollback RELEASE` when
 *           Helm manages the workload (its managed-by label and release
 *           annotation), else kubectl rollout undo's way for a Deployment:
 *           the previous ReplicaSet's pod template put back (kubectl
 *           pkg/polymorphichelpers/rollback.go). Whether there is a
 *           revision to go back to (`helm history`, the ReplicaSets) is found
 *           out before asking: "are you sure?" then "no previous revision"
 *           asked a question that had no answer;
 *   m       re-run the migration Job: a Job's template is immutable, so it is
 *           read, deleted (its pods with it), and created again from what
 *           was read once the old one is gone;
 *   Ctrl-D  delete a pod (its controller makes another).
 * What can be known before asking is: the object still there, the
 * migration Job to run again, the revision to roll back to.
 * One action runs at a time; its result is the flash line. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/kube_store.h"
#include "core/kubeconfig.h"
#include "core/loop.h"
#include "core/proc.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/app.h"
#include "screens/dashboard_impl.h"
#include "screens/dialog_screen.h"
#include "tui/keys.h"

enum act { A_RESTART, A_ROLLBACK, A_RERUN, A_DELETE };

struct dash_action {
    struct dash *d;
    enum act what;
    enum kube_kind kind;
    char name[256];
    struct kube_req *req;
    struct proc *proc;
    long long timer;
    int tries;
    char *manifest;    /* the Job to create again */
    char release[256]; /* rollback: the Helm release, else "" */
    char rs[256];      /* rollback: the previous ReplicaSet of a Deployment */
};

static void action_free(struct dash_action *a)
{
    if (!a)
        return;
    kube_req_cancel(a->req);
    if (a->proc)
        proc_cancel(a->proc);
    if (a->timer && a->d->loop)
        loop_cancel_timer(a->d->loop, a->timer);
    free(a->manifest);
    free(a);
}

void dash_actions_cancel(struct dash *d)
{
    action_free(d->action);
    d->action = NULL;
}

void dash_actions_free(struct dash *d)
{
    dash_actions_cancel(d);
    /* a question still open when the program ends */
    action_free(d->asking);
    d->asking = NULL;
}

/* The action ends: its line (made safe), with the error's reason after it
 * when there is one, on the flash line (red when error or err). */
static void end_action(struct dash_action *a, bool error, const struct error *err, const char *fmt,
                       va_list ap) __attribute__((format(printf, 4, 0)));
static void end_action(struct dash_action *a, bool error, const struct error *err, const char *fmt,
                       va_list ap)
{
    struct dash *d = a->d;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    char *safe = textsafe(msg, 0, 0);
    char *why = err ? textsafe(err->msg, 0, 300) : NULL;
    dash_flash(d, error || err, "%s%s%s", safe, why ? ": " : "", why ? why : "");
    free(safe);
    free(why);
    /* what called back is done: action_free cancels nothing of it */
    a->req = NULL;
    a->proc = NULL;
    a->timer = 0;
    d->action = NULL;
    action_free(a);
}

/* The action ran: its result, with err's reason when it failed. */
static void finish(struct dash_action *a, const struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void finish(struct dash_action *a, const struct error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    end_action(a, false, err, fmt, ap);
    va_end(ap);
}

/* The action ends before it was asked: what stops it, as an error line. */
static void d_refuse(struct dash_action *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void d_refuse(struct dash_action *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    end_action(a, true, NULL, fmt, ap);
    va_end(ap);
}

static struct kube_client *client(struct dash *d)
{
    return d->m ? status_client(d->m) : NULL;
}

static const char *ns(struct dash *d)
{
    return status_namespace(d->m);
}

/* ---- restart, delete ---- */

static void simple_done(long status, const char *body, size_t len, const struct error *err,
                        void *arg)
{
    struct dash_action *a = arg;
    const char *kind = kube_resource_get(a->kind)->singular;
    if (a->what == A_RESTART)
        finish(a, err, "%s/%s %s", kind, a->name, err ? "not restarted" : "restarted");
    else
        finish(a, err, "%s/%s %s", kind, a->name, err ? "not deleted" : "deleted");
}

/* ---- rollback ---- */

static void rollback_patched(long status, const char *body, size_t len, const struct error *err,
                             void *arg)
{
    struct dash_action *a = arg;
    finish(a, err, "deployment/%s %s", a->name, err ? "not rolled back" : "rolled back");
}

static void helm_done(const struct proc_result *r, const struct error *err, void *arg)
{
    struct dash_action *a = arg;
    a->proc = NULL;
    finish(a, err, "helm rollback for %s %s", a->name, err ? "failed" : "done");
}

/* The previous revision's ReplicaSet of a Deployment: the highest revision
 * below the newest. */
static const struct kube_obj *previous_rs(struct dash *d, const char *deploy)
{
    struct kube_store *rs = status_store(d->m, KUBE_REPLICASET);
    const struct kube_obj *newest = NULL, *prev = NULL;
    long nr = -1, pr = -1;
    for (size_t i = 0; i < kube_store_count(rs); i++) {
        const struct kube_obj *o = kube_store_at(rs, i);
        if (!str_eq(o->owner_kind, "Deployment") || !str_eq(o->owner_name, deploy))
            continue;
        long r = o->u.wl.revision ? atol(o->u.wl.revision) : 0;
        if (r > nr) {
            prev = newest;
            pr = nr;
            newest = o;
            nr = r;
        } else if (r > pr) {
            prev = o;
            pr = r;
        }
    }
    return prev;
}

static void rs_read(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct dash_action *a = arg;
    a->req = NULL;
    if (err) {
        finish(a, err, "reading the previous ReplicaSet of %s", a->name);
        return;
    }
    cJSON *rs = cJSON_ParseWithLength(body, len);
    cJSON *tpl = cJSON_DetachItemViaPointer(
        kj_get_mut(rs, "spec"), cJSON_GetObjectItemCaseSensitive(kj_get(rs, "spec"), "template"));
    if (!tpl) {
        cJSON_Delete(rs);
        finish(a, NULL, "deployment/%s: the previous ReplicaSet has no template", a->name);
        return;
    }
    /* kubectl drops the hash label the ReplicaSet's controller added */
    cJSON_DeleteItemFromObjectCaseSensitive(kj_get_mut(tpl, "metadata.labels"),
                                            "pod-template-hash");
    cJSON *patch = cJSON_CreateArray(), *op = cJSON_CreateObject();
    cJSON_AddStringToObject(op, "op", "replace");
    cJSON_AddStringToObject(op, "path", "/spec/template");
    cJSON_AddItemToObject(op, "value", tpl);
    cJSON_AddItemToArray(patch, op);
    char *text = cJSON_PrintUnformatted(patch);
    char *path = kube_resource_path(kube_resource_get(KUBE_DEPLOYMENT), ns(a->d), a->name);
    struct kube_req_opts o = {.method = "PATCH",
                              .path = path,
                              .content_type = "application/json-patch+json",
                              .body = text,
                              .body_len = strlen(text)};
    a->req = kube_request(client(a->d), &o, rollback_patched, a);
    free(path);
    free(text);
    cJSON_Delete(patch);
    cJSON_Delete(rs);
}

/* helm VERB RELEASE --namespace NS [--kubeconfig F] [--kube-context C]
 * [EXTRA...]: the dashboard's cluster, not helm's own idea of it. */
static void helm_run(struct dash_action *a, const char *verb, const char *const *extra,
                     proc_done_cb done)
{
    struct dash *d = a->d;
    const struct kube_config *cfg = kube_client_config(client(d));
    const char *argv[16];
    int n = 0;
    argv[n++] = "helm";
    argv[n++] = verb;
    argv[n++] = a->release;
    argv[n++] = "--namespace";
    argv[n++] = ns(d);
    if (d->o.kubeconfig) {
        argv[n++] = "--kubeconfig";
        argv[n++] = d->o.kubeconfig;
    }
    if (cfg->context) {
        argv[n++] = "--kube-context";
        argv[n++] = cfg->context;
    }
    for (; extra && *extra && n < 15; extra++)
        argv[n++] = *extra;
    argv[n] = NULL;
    struct proc_opts po = {.argv = argv, .timeout_ms = 300000, .done = done, .arg = a};
    a->proc = proc_start(d->loop, &po);
}

static void ask(struct dash_action *a, const char *q);

/* `helm history RELEASE --max 2 -o json`: two revisions, or nothing to go
 * back to. */
static void history_done(const struct proc_result *r, const struct error *err, void *arg)
{
    struct dash_action *a = arg;
    a->proc = NULL;
    if (err) {
        finish(a, err, "helm history %s", a->release);
        return;
    }
    cJSON *h = cJSON_ParseWithLength(r->out ? r->out : "", r->out_len);
    int n = cJSON_IsArray(h) ? cJSON_GetArraySize(h) : -1;
    const cJSON *rev = n >= 2 ? kj_get(cJSON_GetArrayItem(h, n - 2), "revision") : NULL;
    long prev = cJSON_IsNumber(rev) ? (long)rev->valuedouble : 0;
    cJSON_Delete(h);
    char *rel = textsafe(a->release, 0, 120), *name = textsafe(a->name, 0, 120);
    if (n < 0) {
        d_refuse(a, "helm history %s: not a JSON list of revisions", a->release);
    } else if (n < 2) {
        d_refuse(a, "helm release %s (%s/%s) has no previous revision to roll back to", a->release,
                 kube_resource_get(a->kind)->singular, a->name);
    } else {
        char q[700];
        snprintf(
            q, sizeof(q),
            "Roll helm release %s back to revision %ld?\n(%s/%s is the release's; helm rollback)",
            rel, prev, kube_resource_get(a->kind)->singular, name);
        ask(a, q);
    }
    free(rel);
    free(name);
}

/* Before asking: who manages the workload, and whether there is a
 * revision to go back to. */
static void workload_read(long status, const char *body, size_t len, const struct error *err,
                          void *arg)
{
    struct dash_action *a = arg;
    struct dash *d = a->d;
    a->req = NULL;
    const char *kind = kube_resource_get(a->kind)->singular;
    if (err && status == 404) {
        d_refuse(a, "%s/%s is gone: nothing to roll back", kind, a->name);
        return;
    }
    if (err) {
        finish(a, err, "reading %s/%s", kind, a->name);
        return;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    const cJSON *labels = kj_get(j, "metadata.labels");
    const cJSON *ann = kj_get(j, "metadata.annotations");
    const cJSON *by = cJSON_GetObjectItemCaseSensitive(labels, "app.kubernetes.io/managed-by");
    const cJSON *rel = cJSON_GetObjectItemCaseSensitive(ann, "meta.helm.sh/release-name");
    if (cJSON_IsString(by) && !strcmp(by->valuestring, "Helm") && cJSON_IsString(rel)) {
        snprintf(a->release, sizeof(a->release), "%s", rel->valuestring);
        cJSON_Delete(j);
        static const char *const extra[] = {"--max", "2", "--output", "json", NULL};
        helm_run(a, "history", extra, history_done);
        return;
    }
    cJSON_Delete(j);
    if (a->kind != KUBE_DEPLOYMENT) {
        d_refuse(a,
                 "%s/%s is not a Helm release's: a StatefulSet or DaemonSet is rolled back with "
                 "kubectl rollout undo (its revisions are ControllerRevisions)",
                 kind, a->name);
        return;
    }
    const struct kube_obj *prev = previous_rs(d, a->name);
    if (!prev) {
        d_refuse(a, "deployment/%s has no previous revision to roll back to", a->name);
        return;
    }
    snprintf(a->rs, sizeof(a->rs), "%s", prev->name);
    char q[700];
    char *name = textsafe(a->name, 0, 120);
    snprintf(q, sizeof(q),
             "Roll deployment/%s back to revision %s?\nIts pods get the template of that "
             "revision again.",
             name, prev->u.wl.revision ? prev->u.wl.revision : "?");
    free(name);
    ask(a, q);
}

/* Yes: the rollback found before asking. */
static void rollback_start(struct dash_action *a)
{
    if (a->release[0]) {
        helm_run(a, "rollback", NULL, helm_done);
        char *rel = textsafe(a->release, 0, 120);
        dash_flash(a->d, false, "helm rollback %s...", rel);
        free(rel);
        return;
    }
    a->req =
        kube_get(client(a->d), kube_resource_get(KUBE_REPLICASET), ns(a->d), a->rs, rs_read, a);
}

/* ---- re-run the migration Job ---- */

static void created(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct dash_action *a = arg;
    finish(a, err, "job/%s %s", a->name, err ? "not created again" : "started again");
}

static void create_job(struct dash_action *a)
{
    char *path = kube_resource_path(kube_resource_get(KUBE_JOB), ns(a->d), NULL);
    struct kube_req_opts o = {.method = "POST",
                              .path = path,
                              .content_type = "application/json",
                              .body = a->manifest,
                              .body_len = strlen(a->manifest)};
    a->req = kube_request(client(a->d), &o, created, a);
    free(path);
}

static void poll_gone(struct loop *l, long long id, void *arg);

static void gone_check(long status, const char *body, size_t len, const struct error *err,
                       void *arg)
{
    struct dash_action *a = arg;
    a->req = NULL;
    if (err && status == 404) {
        create_job(a);
        return;
    }
    if (++a->tries > 120) {
        finish(a, NULL, "job/%s is still being deleted after a minute: not created again", a->name);
        return;
    }
    a->timer = loop_add_timer(a->d->loop, 500, poll_gone, a);
}

static void poll_gone(struct loop *l, long long id, void *arg)
{
    struct dash_action *a = arg;
    a->timer = 0;
    a->req = kube_get(client(a->d), kube_resource_get(KUBE_JOB), ns(a->d), a->name, gone_check, a);
}

static void job_deleted(long status, const char *body, size_t len, const struct error *err,
                        void *arg)
{
    struct dash_action *a = arg;
    a->req = NULL;
    if (err && status != 404) {
        finish(a, err, "job/%s not deleted", a->name);
        return;
    }
    dash_flash(a->d, false, "job/%s deleted; waiting for it to go...", a->name);
    poll_gone(a->d->loop, 0, a);
}

/* What a Job's API server filled in, taken out so it can be created again. */
static void job_clean(cJSON *j)
{
    static const char *const meta[] = {
        "uid",           "resourceVersion", "creationTimestamp", "generation",
        "managedFields", "selfLink",        "ownerReferences"};
    cJSON *md = kj_get_mut(j, "metadata");
    for (size_t i = 0; i < ARRAY_LEN(meta); i++)
        cJSON_DeleteItemFromObjectCaseSensitive(md, meta[i]);
    cJSON_DeleteItemFromObjectCaseSensitive(j, "status");
    cJSON_DeleteItemFromObjectCaseSensitive(kj_get_mut(j, "spec"), "selector");
    static const char *const gen[] = {"controller-uid", "job-name",
                                      "batch.kubernetes.io/controller-uid",
                                      "batch.kubernetes.io/job-name"};
    cJSON *ls[] = {kj_get_mut(j, "spec.template.metadata.labels"),
                   kj_get_mut(j, "metadata.labels")};
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < ARRAY_LEN(gen); i++)
            cJSON_DeleteItemFromObjectCaseSensitive(ls[k], gen[i]);
}

static void job_read(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct dash_action *a = arg;
    a->req = NULL;
    if (err) {
        finish(a, err, "reading job/%s", a->name);
        return;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    job_clean(j);
    a->manifest = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    a->req = kube_delete(client(a->d), kube_resource_get(KUBE_JOB), ns(a->d), a->name, "Background",
                         job_deleted, a);
}

/* ---- asking first ---- */

static void start(struct dash_action *a)
{
    struct dash *d = a->d;
    const struct kube_resource *r = kube_resource_get(a->kind);
    d->action = a;
    switch (a->what) {
    case A_RESTART:
        a->req = kube_rollout_restart(client(d), r, ns(d), a->name, dash_now(d), simple_done, a);
        break;
    case A_DELETE:
        a->req = kube_delete(client(d), r, ns(d), a->name, NULL, simple_done, a);
        break;
    case A_ROLLBACK:
        rollback_start(a);
        break;
    case A_RERUN:
        a->req = kube_get(client(d), r, ns(d), a->name, job_read, a);
        break;
    }
}

static bool gone(struct dash *d, enum kube_kind kind, const char *name);

static int answered(struct app *app, bool yes, void *arg)
{
    struct dash_action *a = arg;
    a->d->asking = NULL;
    if (!yes || a->d->action) {
        if (yes)
            dash_flash(a->d, true, "another action is still running");
        action_free(a);
        return 0;
    }
    if (gone(a->d, a->kind, a->name)) {
        /* deleted while the question was open: Yes had only a 404 to say */
        char *safe = textsafe(a->name, 0, 120);
        dash_flash(a->d, true, "%s/%s is gone (deleted while asked): nothing done",
                   kube_resource_get(a->kind)->singular, safe);
        free(safe);
        action_free(a);
        return SCREEN_DIRTY;
    }
    start(a);
    return SCREEN_DIRTY;
}

static bool is_workload(enum kube_kind k)
{
    return k == KUBE_DEPLOYMENT || k == KUBE_STATEFULSET || k == KUBE_DAEMONSET;
}

/* What deleting the pod does: its controller (the store's owner) starts
 * another; a pod without one is gone for good, and the question says so
 * (it said "Its controller starts another" of every pod). */
static void delete_question(struct dash *d, const char *name, const char *safe, char *q, size_t n)
{
    const struct kube_obj *o =
        d->m ? kube_store_find(status_store(d->m, KUBE_POD), status_namespace(d->m), name) : NULL;
    if (!o || !o->owner_kind || !o->owner_name) {
        snprintf(q, n, "Delete pod %s?\nIt has no controller: it is gone for good, and its logs.",
                 safe);
        return;
    }
    char *kind = textsafe(o->owner_kind, 0, 40), *owner = textsafe(o->owner_name, 0, 120);
    if (!strcmp(o->owner_kind, "Job"))
        snprintf(q, n, "Delete pod %s?\nIts Job %s starts another only if it has not finished.",
                 safe, owner);
    else
        snprintf(q, n, "Delete pod %s?\nIts %s %s starts another.", safe, kind, owner);
    free(kind);
    free(owner);
}

/* The question, once what it asks about is known. */
static void ask(struct dash_action *a, const char *q)
{
    struct dash *d = a->d;
    d->action = NULL;
    d->asking = a;
    dash_flash(d, false, "%s", "");
    /* from a reply, not a key: no SCREEN_PUSH to hand the pending screen */
    app_push_now(d->app, dialog_screen_confirm("Confirm", q, answered, a));
}

/* The object is no longer in its list (deleted since the row was drawn,
 * or while its question was open): asking whether to restart or delete it
 * had only "not found" to answer. A refused kind's list says nothing
 * either way. */
static bool gone(struct dash *d, enum kube_kind kind, const char *name)
{
    const struct status_conn *c = status_conn(d->m);
    if (!c->synced)
        return false;
    for (size_t i = 0; i < c->nrefused; i++)
        if (c->refused[i].kind == kind)
            return false;
    return !kube_store_find(status_store(d->m, kind), status_namespace(d->m), name);
}

/* What a restart does to the workload's pods, by its update strategy: the
 * question must not promise a rolling replacement that will not happen. */
static const char *restart_effect(struct dash *d, const struct dash_target *t)
{
    const struct kube_obj *o =
        kube_store_find(status_store(d->m, t->kind), status_namespace(d->m), t->name);
    const char *strategy = o ? o->u.wl.strategy : NULL;
    if (str_eq(strategy, "OnDelete"))
        return "Its update strategy is OnDelete: its pods keep running\n"
               "as they are until each is deleted (^D in :pods).";
    if (t->kind == KUBE_DEPLOYMENT && str_eq(strategy, "Recreate"))
        return "Its strategy is Recreate: every pod is stopped before\n"
               "the new ones start (it is down meanwhile).";
    return "Its pods are replaced one by one.";
}

/* The key does not apply to the object of the view: in a list, which
 * objects to select; in the logs or a describe, that the object shown is
 * not one (the key acts on it there, nothing else). */
static void not_for(struct dash *d, const struct dash_target *t, const char *what,
                    const char *where)
{
    if ((d->view == DV_LOGS || d->view == DV_DETAIL) && t->kind != KUBE_KIND_COUNT) {
        char *safe = textsafe(t->name, 0, 120);
        dash_flash(d, true, "%s/%s is not %s: the key does not apply to it",
                   kube_resource_get(t->kind)->singular, safe, what);
        free(safe);
    } else {
        dash_flash(d, true, "select %s (%s)", what, where);
    }
}

/* The Job that owns the pod NAME (the store's owner), or NULL. */
static const char *pod_job(struct dash *d, const char *name)
{
    const struct kube_obj *o =
        d->m ? kube_store_find(status_store(d->m, KUBE_POD), status_namespace(d->m), name) : NULL;
    return o && str_eq(o->owner_kind, "Job") ? o->owner_name : NULL;
}

int dash_action_key(struct dash *d, int key)
{
    enum act what;
    if (key == 'r')
        what = A_RESTART;
    else if (key == TUI_CTRL('l'))
        what = A_ROLLBACK;
    else if (key == 'm')
        what = A_RERUN;
    else if (key == TUI_CTRL('d'))
        what = A_DELETE;
    else
        return 0;
    if (d->o.read_only) {
        dash_flash(d, true, "read-only: this dashboard changes nothing");
        return SCREEN_HANDLED;
    }
    if (!client(d)) {
        dash_flash(d, true, "no cluster connection");
        return SCREEN_HANDLED;
    }
    if (d->action) {
        dash_flash(d, true, "another action is still running");
        return SCREEN_HANDLED;
    }
    struct dash_target t;
    dash_view_target(d, &t);
    struct dash_action *a = xcalloc(1, sizeof(*a));
    a->d = d;
    a->what = what;
    a->kind = t.kind;
    snprintf(a->name, sizeof(a->name), "%s", t.name);
    char q[700];
    char *safe = textsafe(t.name, 0, 120);
    bool ok = true;
    if (t.name[0] && (is_workload(t.kind) || t.kind == KUBE_POD || t.kind == KUBE_JOB) &&
        gone(d, t.kind, t.name)) {
        dash_flash(d, true, "%s/%s is gone (deleted since it was listed)",
                   kube_resource_get(t.kind)->singular, safe);
        free(safe);
        free(a);
        return SCREEN_HANDLED;
    }
    switch (what) {
    case A_RESTART:
    case A_ROLLBACK:
        ok = is_workload(t.kind);
        if (ok && what == A_RESTART)
            snprintf(q, sizeof(q), "Restart %s/%s?\n%s", kube_resource_get(t.kind)->singular, safe,
                     restart_effect(d, &t));
        else if (ok) {
            /* asked once the revision to go back to is known */
            d->action = a;
            dash_flash(d, false, "%s/%s: looking for its previous revision...",
                       kube_resource_get(t.kind)->singular, safe);
            a->req =
                kube_get(client(d), kube_resource_get(t.kind), ns(d), a->name, workload_read, a);
            free(safe);
            return SCREEN_HANDLED;
        } else
            not_for(d, &t, "a Deployment, StatefulSet or DaemonSet", "overview, rollouts");
        break;
    case A_DELETE:
        ok = t.kind == KUBE_POD;
        if (ok)
            delete_question(d, t.name, safe, q, sizeof(q));
        else
            not_for(d, &t, "a pod", ":pods");
        break;
    case A_RERUN: {
        /* the Job shown or selected; in the logs or describe of a Job's
         * pod, its Job; in a list, else the migration Job */
        bool shown = d->view == DV_LOGS || d->view == DV_DETAIL;
        const char *job = t.kind == KUBE_POD ? pod_job(d, t.name) : NULL;
        if (t.kind != KUBE_JOB && shown && !job) {
            ok = false;
            not_for(d, &t, "a Job or a Job's pod", "");
        } else if (t.kind != KUBE_JOB) {
            const struct status_job *mig = job ? NULL : status_migration(d->m);
            ok = job || mig;
            if (ok) {
                a->kind = KUBE_JOB;
                snprintf(a->name, sizeof(a->name), "%s", job ? job : mig->obj->name);
                free(safe);
                safe = textsafe(a->name, 0, 120);
            } else {
                dash_flash(d, true, "no migration Job in this namespace");
            }
        }
        if (ok)
            snprintf(q, sizeof(q),
                     "Run job/%s again?\nIt is deleted (with its pods) and created again.", safe);
        break;
    }
    }
    free(safe);
    if (!ok) {
        free(a);
        return SCREEN_HANDLED;
    }
    d->asking = a;
    app_push(d->app, dialog_screen_confirm("Confirm", q, answered, a));
    return SCREEN_HANDLED | SCREEN_PUSH;
}
