/* core/steps_delete.c: the uninstall plan. It removes the release in the
 * order that lets `terraform destroy` remove the VPC afterwards: first the
 * Ingresses and LoadBalancer Services (on EKS the AWS Load Balancer
 * Controller deletes their load balancers, with the network interfaces and
 * security groups that would keep the VPC's subnets busy, and only then lets
 * the objects go: the step waits until they are gone), then the
 * application (`helm uninstall` for the Helm method, then what dify-tui
 * applied), then, after asking, the volumes (their data is lost), and last
 * the namespace when dify-tui made it and the volumes went. Only objects
 * labelled app.kubernetes.io/managed-by=dify-tui and
 * app.kubernetes.io/instance=RELEASE are deleted by dify-tui itself. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/kube_kinds.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/plan.h"
#include "core/proc.h"
#include "core/profile.h"
#include "core/runner.h"
#include "core/steps_kube.h"
#include "core/util.h"

#define DEL_POLL_MS 1000
#define DEL_TIMEOUT_MS (10 * 60 * 1000)

/* What one delete step removes: objects of these kinds matching a selector. */
struct del_target {
    enum kube_kind kind;
    const char *selector_extra; /* NULL, or a field the objects must have (LoadBalancer) */
};

struct del_name {
    enum kube_kind kind;
    char *name;
};

struct del_step {
    char *ns;
    char *selector;
    struct del_target targets[8];
    size_t ntargets;
    bool cluster_ns; /* delete the namespace itself (when dify-tui made it) */
    const char *needs_output_step, *needs_output_key; /* run only if that output is set */
    const char *output_key;                           /* set to the count deleted */
    /* the attempt */
    struct step_run *sr;
    struct kube_client *kc;
    struct kube_list *list;
    struct kube_req *req;
    long long timer, deadline;
    size_t ti;     /* target being listed */
    bool deleting; /* false: first pass (delete what is found); true: waiting for them to go */
    struct del_name *found;
    size_t nfound, idel, total;
    char **gone; /* the rows of what is being deleted */
    size_t ngone;
};

static void del_found_clear(struct del_step *d)
{
    for (size_t i = 0; i < d->nfound; i++)
        free(d->found[i].name);
    free(d->found);
    d->found = NULL;
    d->nfound = 0;
}

static void del_end(struct del_step *d, const struct error *err)
{
    for (size_t i = 0; i < d->ngone; i++) {
        if (!err)
            step_run_row(d->sr, d->gone[i], d->gone[i], ROW_DONE, "deleted", 0, 0);
        free(d->gone[i]);
    }
    free(d->gone);
    d->gone = NULL;
    d->ngone = 0;
    struct step_run *sr = d->sr;
    d->sr = NULL;
    del_found_clear(d);
    step_run_done(sr, err);
}

static void del_scan(struct del_step *d);

static void del_tick(struct loop *l, long long id, void *arg)
{
    struct del_step *d = arg;
    d->timer = 0;
    del_scan(d);
}

static void del_next(struct del_step *d);

static void del_one_done(long status, const char *body, size_t len, const struct error *err,
                         void *arg)
{
    struct del_step *d = arg;
    d->req = NULL;
    struct del_name *n = &d->found[d->idel];
    const struct kube_resource *res = kube_resource_get(n->kind);
    char *key = xasprintf("%s/%s", res->kind, n->name);
    if (err && !(err->code == ERR_HTTP && err->detail == 404)) {
        step_run_row(d->sr, key, key, ROW_FAILED, err->msg, 0, 0);
        free(key);
        struct error e = *err;
        if (steps_http_permanent(err))
            step_run_permanent(d->sr);
        del_end(d, &e);
        return;
    }
    step_run_row(d->sr, key, key, ROW_WORKING, "deleting", 0, 0);
    d->gone = xrealloc(d->gone, (d->ngone + 1) * sizeof(*d->gone));
    d->gone[d->ngone++] = key;
    d->idel++;
    del_next(d);
}

static void del_next(struct del_step *d)
{
    if (d->idel < d->nfound) {
        struct del_name *n = &d->found[d->idel];
        d->req =
            kube_delete(d->kc, kube_resource_get(n->kind), n->kind == KUBE_NAMESPACE ? NULL : d->ns,
                        n->name, "Background", del_one_done, d);
        return;
    }
    /* every object found is being deleted: now wait until they are gone */
    d->deleting = true;
    d->timer = loop_add_timer(step_run_loop(d->sr), DEL_POLL_MS, del_tick, d);
}

static void del_item(const cJSON *item, void *arg)
{
    struct del_step *d = arg;
    const struct del_target *t = &d->targets[d->ti];
    if (t->selector_extra && !str_eq(kj_str(item, "spec.type"), t->selector_extra))
        return;
    const char *name = kj_str(item, "metadata.name");
    if (!name)
        return;
    d->found = xrealloc(d->found, (d->nfound + 1) * sizeof(*d->found));
    d->found[d->nfound].kind = t->kind;
    d->found[d->nfound].name = xstrdup(name);
    d->nfound++;
}

static void del_listed(const char *rv, const struct error *err, void *arg)
{
    struct del_step *d = arg;
    d->list = NULL;
    if (err && !(err->code == ERR_HTTP && err->detail == 404)) {
        log_warn("uninstall: %s", err->msg);
        if (now_ms() > d->deadline) {
            struct error e = *err;
            del_end(d, &e);
            return;
        }
        d->timer = loop_add_timer(step_run_loop(d->sr), DEL_POLL_MS, del_tick, d);
        return;
    }
    d->ti++;
    if (d->ti < d->ntargets) {
        del_scan(d);
        return;
    }
    if (!d->deleting) {
        d->total = d->nfound;
        if (d->nfound == 0) {
            step_run_summary(d->sr, "nothing to delete");
            if (d->output_key)
                step_run_output(d->sr, d->output_key, "0");
            del_end(d, NULL);
            return;
        }
        d->idel = 0;
        del_next(d);
        return;
    }
    /* waiting: what is still there */
    step_run_status(d->sr, "%zu of %zu gone", d->total - d->nfound, d->total);
    if (d->nfound == 0) {
        char n[32];
        snprintf(n, sizeof(n), "%zu", d->total);
        if (d->output_key)
            step_run_output(d->sr, d->output_key, n);
        step_run_summary(d->sr, "%zu object%s deleted", d->total, d->total == 1 ? "" : "s");
        del_end(d, NULL);
        return;
    }
    if (now_ms() > d->deadline) {
        struct error e;
        error_set(&e, ERR_PROCESS, 0,
                  "%zu object%s still there after %d s, first %s: a finalizer holds it (on EKS "
                  "the load balancer controller must be running to remove load balancers)",
                  d->nfound, d->nfound == 1 ? " is" : "s are", DEL_TIMEOUT_MS / 1000,
                  d->found[0].name);
        step_run_permanent(d->sr);
        del_end(d, &e);
        return;
    }
    d->timer = loop_add_timer(step_run_loop(d->sr), DEL_POLL_MS, del_tick, d);
}

static void del_ns_read(long status, const char *body, size_t len, const struct error *err,
                        void *arg)
{
    struct del_step *d = arg;
    d->req = NULL;
    if (err && err->code == ERR_HTTP && err->detail == 404) {
        d->ti = d->ntargets - 1;
        del_listed(NULL, NULL, d); /* nothing (left) */
        return;
    }
    if (err) {
        struct error e = *err;
        del_end(d, &e);
        return;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    const cJSON *lab = kj_get(j, "metadata.labels");
    const cJSON *by =
        lab ? cJSON_GetObjectItemCaseSensitive(lab, "app.kubernetes.io/managed-by") : NULL;
    bool ours = cJSON_IsString(by) && strcmp(by->valuestring, "dify-tui") == 0;
    cJSON_Delete(j);
    if (!ours && !d->deleting) {
        step_run_summary(d->sr, "namespace %s was not made by dify-tui: left as it is", d->ns);
        del_end(d, NULL);
        return;
    }
    d->found = xrealloc(d->found, (d->nfound + 1) * sizeof(*d->found));
    d->found[d->nfound].kind = KUBE_NAMESPACE;
    d->found[d->nfound].name = xstrdup(d->ns);
    d->nfound++;
    d->ti = d->ntargets - 1;
    del_listed(NULL, NULL, d);
}

static void del_scan(struct del_step *d)
{
    if (d->ti == 0)
        del_found_clear(d);
    if (d->ti >= d->ntargets) {
        d->ti = 0;
        del_found_clear(d);
    }
    if (d->cluster_ns) {
        d->req = kube_get(d->kc, kube_resource_get(KUBE_NAMESPACE), NULL, d->ns, del_ns_read, d);
        return;
    }
    struct kube_list_opts lo = {.res = kube_resource_get(d->targets[d->ti].kind),
                                .ns = d->ns,
                                .label_selector = d->selector};
    d->list = kube_list_start(d->kc, &lo, del_item, del_listed, d);
}

static void del_start(struct step_run *sr, void *data)
{
    struct del_step *d = data;
    d->sr = sr;
    if (d->needs_output_step && !step_run_input(sr, d->needs_output_step, d->needs_output_key)) {
        step_run_summary(sr, "kept: it holds the volumes you kept");
        d->sr = NULL;
        step_run_done(sr, NULL);
        return;
    }
    struct error err;
    error_clear(&err);
    d->kc = step_run_kube(sr, &err);
    if (!d->kc) {
        step_run_permanent(sr);
        d->sr = NULL;
        step_run_done(sr, &err);
        return;
    }
    step_run_detail_title(sr, "Deleting");
    d->deadline = now_ms() + DEL_TIMEOUT_MS;
    d->deleting = false;
    d->ti = 0;
    d->total = 0;
    del_scan(d);
}

static void del_cancel(struct step_run *sr, void *data)
{
    struct del_step *d = data;
    if (d->list)
        kube_list_cancel(d->list);
    if (d->req)
        kube_req_cancel(d->req);
    if (d->timer)
        loop_cancel_timer(step_run_loop(sr), d->timer);
    d->list = NULL;
    d->req = NULL;
    d->timer = 0;
    d->sr = NULL;
    del_found_clear(d);
    for (size_t i = 0; i < d->ngone; i++)
        free(d->gone[i]);
    free(d->gone);
    d->gone = NULL;
    d->ngone = 0;
}

static void del_free(void *data)
{
    struct del_step *d = data;
    del_found_clear(d);
    free(d->ns);
    free(d->selector);
    free(d);
}

static const struct step_ops del_ops = {"delete", del_start, del_cancel, NULL, del_free};

static struct plan_step *add_delete(struct plan *p, const char *id, const char *title,
                                    const struct profile *prof, const char *selector,
                                    const struct del_target *t, size_t nt)
{
    struct del_step *d = xcalloc(1, sizeof(*d));
    d->ns = xstrdup(prof->namespace);
    d->selector = xstrdup(selector);
    for (size_t i = 0; i < nt && i < ARRAY_LEN(d->targets); i++)
        d->targets[d->ntargets++] = t[i];
    struct plan_step *s = plan_add(p, STAGE_APP, id, title, &del_ops, d);
    for (size_t i = 0; i < d->ntargets; i++)
        plan_step_note(s, "delete every %s%s%s in %s labelled %s, and wait until they are gone",
                       kube_resource_get(t[i].kind)->kind, t[i].selector_extra ? " of type " : "",
                       t[i].selector_extra ? t[i].selector_extra : "", d->ns, selector);
    plan_step_retry(s, 3, 2000);
    plan_step_always(s);
    return s;
}

/* ---- helm uninstall, a command step ---- */

struct cmd_step {
    char **argv;
    struct proc *proc;
    struct step_run *sr;
};

static void cmd_line(enum proc_stream s, const char *line, size_t len, void *arg)
{
    struct cmd_step *c = arg;
    step_run_line(c->sr, s == PROC_STDOUT ? RUNNER_OUT : RUNNER_ERR, line, len);
}

static void cmd_done(const struct proc_result *r, const struct error *err, void *arg)
{
    struct cmd_step *c = arg;
    c->proc = NULL;
    struct step_run *sr = c->sr;
    c->sr = NULL;
    /* "release: not found" is what an uninstall wants */
    bool gone = err && r->err && strstr(r->err, "not found");
    if (gone)
        step_run_summary(sr, "the release was not installed (helm: not found)");
    if (err && !gone && err->detail == 127)
        step_run_permanent(sr);
    step_run_done(sr, gone ? NULL : err);
}

static void cmd_start(struct step_run *sr, void *data)
{
    struct cmd_step *c = data;
    c->sr = sr;
    const struct plan_ctx *ctx = step_run_ctx(sr);
    char *kc = ctx->kubeconfig ? xasprintf("KUBECONFIG=%s", ctx->kubeconfig) : NULL;
    const char *env[] = {kc, NULL};
    struct proc_opts o = {.argv = (const char *const *)c->argv,
                          .env = kc ? env : NULL,
                          .timeout_ms = 15 * 60 * 1000,
                          .on_line = cmd_line,
                          .done = cmd_done,
                          .arg = c};
    c->proc = proc_start(step_run_loop(sr), &o);
    free(kc);
}

static void cmd_cancel(struct step_run *sr, void *data)
{
    struct cmd_step *c = data;
    proc_cancel(c->proc);
    c->proc = NULL;
    c->sr = NULL;
}

static void cmd_free(void *data)
{
    struct cmd_step *c = data;
    for (size_t i = 0; c->argv[i]; i++)
        free(c->argv[i]);
    free(c->argv);
    free(c);
}

static const struct step_ops cmd_ops = {"command", cmd_start, cmd_cancel, NULL, cmd_free};

static struct plan_step *add_helm_uninstall(struct plan *p, const struct plan_ctx *ctx)
{
    const struct profile *prof = ctx->profile;
    struct cmd_step *c = xcalloc(1, sizeof(*c));
    const char *args[] = {"helm",          "uninstall", prof->release, "--namespace",
                          prof->namespace, "--wait",    "--timeout",   "10m"};
    size_t n = ARRAY_LEN(args);
    c->argv = xcalloc(n + 3, sizeof(char *));
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        c->argv[k++] = xstrdup(args[i]);
    if (ctx->context) {
        c->argv[k++] = xstrdup("--kube-context");
        c->argv[k++] = xstrdup(ctx->context);
    }
    struct plan_step *s =
        plan_add(p, STAGE_APP, "helm-uninstall", "Uninstall the Helm release", &cmd_ops, c);
    plan_step_cmd(s, (const char *const *)c->argv);
    plan_step_retry(s, 2, 5000);
    return s;
}

int plan_build_uninstall(const struct plan_ctx *ctx, struct plan **out, struct error *err)
{
    const struct profile *prof = ctx->profile;
    struct plan *p = plan_new("uninstall");
    char *release_sel = xasprintf("app.kubernetes.io/instance=%s", prof->release);
    char *ours_sel = xasprintf(
        "app.kubernetes.io/instance=%s,app.kubernetes.io/managed-by=dify-tui", prof->release);

    static const struct del_target lbs[] = {{KUBE_INGRESS, NULL}, {KUBE_SERVICE, "LoadBalancer"}};
    struct plan_step *s = add_delete(p, "remove-load-balancers",
                                     "Delete the ingresses and LoadBalancer Services (their load "
                                     "balancers)",
                                     prof, release_sel, lbs, ARRAY_LEN(lbs));
    char *q = xasprintf("Remove the Dify release \"%s\" from namespace %s%s%s?", prof->release,
                        prof->namespace, ctx->context ? " of context " : "",
                        ctx->context ? ctx->context : "");
    plan_step_confirm(s, q, false);
    free(q);
    const char *prev = "remove-load-balancers";
    if (prof->method == METHOD_HELM) {
        s = add_helm_uninstall(p, ctx);
        plan_step_after(s, prev);
        prev = "helm-uninstall";
    }
    static const struct del_target app[] = {
        {KUBE_DEPLOYMENT, NULL},     {KUBE_STATEFULSET, NULL}, {KUBE_JOB, NULL},
        {KUBE_SERVICE, NULL},        {KUBE_CONFIGMAP, NULL},   {KUBE_SECRET, NULL},
        {KUBE_SERVICEACCOUNT, NULL},
    };
    s = add_delete(p, "remove-application",
                   "Delete the application, its configuration and Secrets (what dify-tui applied)",
                   prof, ours_sel, app, ARRAY_LEN(app));
    plan_step_after(s, prev);
    static const struct del_target vols[] = {{KUBE_PVC, NULL}};
    s = add_delete(p, "remove-volumes", "Delete the volumes (their data is lost)", prof,
                   release_sel, vols, ARRAY_LEN(vols));
    plan_step_after(s, "remove-application");
    plan_step_skippable(s);
    ((struct del_step *)plan_step_data(s))->output_key = "deleted";
    plan_step_confirm(s,
                      "Delete the release's volumes? The files and plugins on them are lost "
                      "(the external database is not touched).",
                      true);
    s = add_delete(p, "remove-namespace", "Delete the namespace (when dify-tui made it)", prof,
                   release_sel, NULL, 0);
    struct del_step *d = plan_step_data(s);
    d->cluster_ns = true;
    d->ntargets = 1; /* one pass: the namespace itself */
    d->targets[0].kind = KUBE_NAMESPACE;
    d->needs_output_step = "remove-volumes";
    d->needs_output_key = "deleted";
    plan_step_note(s,
                   "delete namespace %s if it carries app.kubernetes.io/managed-by=dify-tui "
                   "and the volumes were deleted",
                   prof->namespace);
    plan_step_after(s, "remove-volumes");
    free(release_sel);
    free(ours_sel);
    if (plan_check(p, err) < 0) {
        plan_free(p);
        return -1;
    }
    *out = p;
    return 0;
}
