/* core/steps_kube.c: the install's Kubernetes steps through the client
 * (server-side apply, field manager "dify-tui"): the namespace, Secrets,
 * ServiceAccounts, ConfigMaps, storage, and for the manifests method the
 * application in seed 002's order (core services, auxiliary services,
 * ingresses: the renderer's file numbers); then the migration Job and the
 * rollouts (steps_wait.c). One owner per object: a ServiceAccount that
 * exists and was never applied by dify-tui is recognised and left alone. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/kube_kinds.h"
#include "core/kube_store.h"
#include "core/log.h"
#include "core/plan.h"
#include "core/profile.h"
#include "core/runner.h"
#include "core/steps_kube.h"
#include "core/util.h"
#include "core/yamldoc.h"

bool steps_http_permanent(const struct error *e)
{
    return e->code == ERR_HTTP && e->detail >= 400 && e->detail < 500 && e->detail != 408 &&
           e->detail != 409 && e->detail != 429;
}

static const char *tf_output(const char *name, void *arg)
{
    return step_run_input(arg, "terraform", name);
}

int steps_fill_placeholders(struct step_run *sr, const char *text, char **out, struct error *err)
{
    return manifests_fill(text, tf_output, sr, out, err);
}

const char *steps_pod_problem(const struct kube_obj *pod)
{
    static const char *const bad[] = {"CrashLoopBackOff",
                                      "ImagePullBackOff",
                                      "ErrImagePull",
                                      "CreateContainerConfigError",
                                      "CreateContainerError",
                                      "InvalidImageName",
                                      "RunContainerError",
                                      "OOMKilled",
                                      "Error"};
    const char *r = pod->u.pod.reason;
    for (size_t i = 0; r && i < ARRAY_LEN(bad); i++)
        if (strcmp(r, bad[i]) == 0)
            return r;
    return NULL;
}

/* ---- logs and pods ---- */

/* Splits a log body into its last max lines (for step_run_tail). */
size_t steps_last_lines(const char *body, size_t len, size_t max, char ***out)
{
    size_t n = 0;
    char **v = NULL;
    const char *p = body, *end = body + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        v = xrealloc(v, (n + 1) * sizeof(*v));
        v[n++] = xstrndup(p, l);
        p += l + (nl ? 1 : 0);
    }
    if (n > max) {
        for (size_t i = 0; i < n - max; i++)
            free(v[i]);
        memmove(v, v + (n - max), max * sizeof(*v));
        n = max;
    }
    *out = v;
    return n;
}

void steps_free_lines(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

const char *steps_last_nonempty(char *const *v, size_t n)
{
    for (size_t i = n; i > 0; i--) {
        const char *s = v[i - 1];
        while (*s == ' ')
            s++;
        if (*s)
            return s;
    }
    return NULL;
}

void steps_pods_clear(struct pods *p)
{
    for (size_t i = 0; i < p->n; i++)
        kube_obj_free(p->v[i]);
    free(p->v);
    p->v = NULL;
    p->n = 0;
}

void steps_pods_item(const cJSON *item, void *arg)
{
    struct pods *p = arg;
    struct error err;
    struct kube_obj *o = kube_obj_parse(KUBE_POD, item, &err);
    if (!o)
        return;
    p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
    p->v[p->n++] = o;
}

/* Lines that follow an error and say nothing of it: SQLAlchemy's pointer to
 * its documentation after every exception, a traceback's SQL echo. */
static bool error_trailer(const char *line)
{
    static const char *const trailers[] = {"(Background on this error at", "[SQL:", "[parameters:"};
    line += strspn(line, " \t");
    for (size_t k = 0; k < ARRAY_LEN(trailers); k++)
        if (str_starts_with(line, trailers[k]))
            return true;
    return false;
}

const char *steps_last_error(char *const *v, size_t n)
{
    static const char *const marks[] = {"rror",  "FATAL",   "fatal",  "failed",
                                        "panic", "refused", "denied", "not found"};
    for (size_t i = n; i > 0; i--) {
        if (error_trailer(v[i - 1]))
            continue;
        for (size_t k = 0; k < ARRAY_LEN(marks); k++)
            if (strstr(v[i - 1], marks[k]))
                return v[i - 1] + strspn(v[i - 1], " \t");
    }
    return steps_last_nonempty(v, n);
}

/* ---- applying objects ---- */

struct apply_step {
    struct manifests objs;
    bool foreign_check;
    /* the attempt */
    struct step_run *sr;
    struct kube_client *kc;
    struct kube_req *req;
    size_t i;
    size_t kept; /* objects left to their owner */
    char *body;
};

static void apply_next(struct apply_step *a);

static void apply_fail(struct apply_step *a, const struct error *e)
{
    struct manifest_obj *o = &a->objs.v[a->i];
    char *what = manifest_obj_what(o);
    step_run_row(a->sr, what, what, ROW_FAILED, e->msg, 0, 0);
    struct error err = *e;
    error_prefix(&err, "%s", what);
    if (steps_http_permanent(e))
        step_run_permanent(a->sr);
    if (e->code == ERR_HTTP && e->detail == 403)
        step_run_hint(a->sr,
                      "your user may not change %s objects in namespace %s: ask for "
                      "the rights, or use a kubeconfig context that has them",
                      o->kind, o->ns[0] ? o->ns : "(cluster)");
    else if (e->code == ERR_NETWORK)
        step_run_hint(a->sr, "the cluster did not answer: check the kubeconfig's server and your "
                             "network, then retry");
    free(what);
    struct step_run *sr = a->sr;
    a->sr = NULL;
    step_run_done(sr, &err);
}

static void applied(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct apply_step *a = arg;
    a->req = NULL;
    str_free_secret(a->body);
    a->body = NULL;
    if (err) {
        apply_fail(a, err);
        return;
    }
    struct manifest_obj *o = &a->objs.v[a->i];
    char *what = manifest_obj_what(o);
    cJSON *j = cJSON_ParseWithLength(body, len);
    long long gen = j ? kj_int(j, "metadata.generation", 0) : 0;
    char status_text[64];
    if (gen > 0)
        snprintf(status_text, sizeof(status_text), "applied (generation %lld)", gen);
    else
        snprintf(status_text, sizeof(status_text), "applied");
    cJSON_Delete(j);
    step_run_row(a->sr, what, what, ROW_DONE, status_text, 0, 0);
    free(what);
    a->i++;
    apply_next(a);
}

static void apply_send(struct apply_step *a)
{
    struct manifest_obj *o = &a->objs.v[a->i];
    struct error err;
    error_clear(&err);
    if (steps_fill_placeholders(a->sr, o->text, &a->body, &err) < 0) {
        step_run_permanent(a->sr);
        step_run_hint(a->sr, "the values Terraform gives come from the \"terraform\" step: run "
                             "the install with Terraform first");
        apply_fail(a, &err);
        return;
    }
    a->req = kube_apply(a->kc, o->res, o->ns[0] ? o->ns : NULL, o->name, a->body, strlen(a->body),
                        applied, a);
}

/* Who made an object dify-tui never applied: for the message. */
static char *foreign_owner(const cJSON *j)
{
    const char *rel = NULL;
    const cJSON *ann = kj_get(j, "metadata.annotations");
    const cJSON *lab = kj_get(j, "metadata.labels");
    const cJSON *x;
    if (!rel && ann && (x = cJSON_GetObjectItemCaseSensitive(ann, "meta.helm.sh/release-name")) &&
        cJSON_IsString(x))
        rel = x->valuestring;
    if (rel)
        return xasprintf("the Helm release \"%s\"", rel);
    const char *by = NULL;
    if (lab && (x = cJSON_GetObjectItemCaseSensitive(lab, "app.kubernetes.io/managed-by")) &&
        cJSON_IsString(x))
        by = x->valuestring;
    if (by)
        return xasprintf("%s (label app.kubernetes.io/managed-by)", by);
    const cJSON *mf = kj_get(j, "metadata.managedFields");
    const cJSON *m;
    cJSON_ArrayForEach(m, mf)
    {
        const char *mgr = kj_str(m, "manager");
        if (!mgr)
            continue;
        if (strcasestr(mgr, "terraform"))
            return xstrdup("Terraform");
        return xasprintf("another tool (field manager \"%s\")", mgr);
    }
    return xstrdup("someone else (no field manager recorded)");
}

static bool applied_by_us(const cJSON *j)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, kj_get(j, "metadata.managedFields"))
    {
        if (str_eq(kj_str(m, "manager"), "dify-tui"))
            return true;
    }
    return false;
}

/* The role an object's YAML asks for (eks.amazonaws.com/role-arn). */
static char *wanted_role(const struct manifest_obj *o)
{
    struct ynode *doc = NULL;
    struct error err;
    char *role = NULL;
    if (yamldoc_parse(o->file, o->text, strlen(o->text), &doc, &err) == 0) {
        const struct ynode *meta = ynode_get(doc, "metadata");
        const struct ynode *ann = meta ? ynode_get(meta, "annotations") : NULL;
        const char *r = ann ? ynode_get_str(ann, "eks.amazonaws.com/role-arn") : NULL;
        role = xstrdup_or_null(r);
    }
    yamldoc_free(doc);
    return role;
}

static void foreign_checked(long status, const char *body, size_t len, const struct error *err,
                            void *arg)
{
    struct apply_step *a = arg;
    a->req = NULL;
    if (err && err->code == ERR_HTTP && err->detail == 404) {
        apply_send(a); /* not there: ours to make */
        return;
    }
    if (err) {
        apply_fail(a, err);
        return;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    if (!j || applied_by_us(j)) {
        cJSON_Delete(j);
        apply_send(a);
        return;
    }
    struct manifest_obj *o = &a->objs.v[a->i];
    char *what = manifest_obj_what(o);
    char *owner = foreign_owner(j);
    char *want = wanted_role(o);
    char *want_filled = NULL;
    struct error ferr;
    if (want && steps_fill_placeholders(a->sr, want, &want_filled, &ferr) < 0) {
        free(want_filled);
        want_filled = NULL;
    }
    const cJSON *ann = kj_get(j, "metadata.annotations");
    const cJSON *x =
        ann ? cJSON_GetObjectItemCaseSensitive(ann, "eks.amazonaws.com/role-arn") : NULL;
    const char *have = cJSON_IsString(x) ? x->valuestring : NULL;
    if (want_filled && !str_eq(want_filled, have)) {
        step_run_row(a->sr, what, what, ROW_DONE, "managed elsewhere: role differs", 0, 0);
        step_run_say(a->sr,
                     "%s already exists, made by %s: dify-tui leaves it to its owner rather "
                     "than fight over it. Its IAM role is %s, the profile expects %s: change it "
                     "where it is managed.",
                     what, owner, have ? have : "(none)", want_filled);
    } else {
        step_run_row(a->sr, what, what, ROW_DONE, "managed elsewhere: left as it is", 0, 0);
        step_run_say(a->sr,
                     "%s already exists, made by %s: dify-tui leaves it to its owner rather "
                     "than fight over it (it is what the profile needs)",
                     what, owner);
    }
    a->kept++;
    free(want);
    free(want_filled);
    free(owner);
    free(what);
    cJSON_Delete(j);
    a->i++;
    apply_next(a);
}

static void apply_next(struct apply_step *a)
{
    if (a->i >= a->objs.n) {
        if (a->kept)
            step_run_summary(a->sr, "%zu applied, %zu left to their owner", a->objs.n - a->kept,
                             a->kept);
        else
            step_run_summary(a->sr, "%zu object%s applied", a->objs.n, a->objs.n == 1 ? "" : "s");
        struct step_run *sr = a->sr;
        a->sr = NULL;
        step_run_done(sr, NULL);
        return;
    }
    struct manifest_obj *o = &a->objs.v[a->i];
    char *what = manifest_obj_what(o);
    step_run_status(a->sr, "%zu of %zu: %s", a->i + 1, a->objs.n, what);
    free(what);
    if (a->foreign_check) {
        a->req = kube_get(a->kc, o->res, o->ns[0] ? o->ns : NULL, o->name, foreign_checked, a);
        return;
    }
    apply_send(a);
}

static void apply_start(struct step_run *sr, void *data)
{
    struct apply_step *a = data;
    a->sr = sr;
    a->i = 0;
    a->kept = 0;
    struct error err;
    error_clear(&err);
    a->kc = step_run_kube(sr, &err);
    if (!a->kc) {
        step_run_permanent(sr);
        a->sr = NULL;
        step_run_done(sr, &err);
        return;
    }
    step_run_detail_title(sr, "Objects");
    for (size_t i = 0; i < a->objs.n; i++) {
        char *what = manifest_obj_what(&a->objs.v[i]);
        step_run_row(sr, what, what, ROW_WAITING, "waiting", 0, 0);
        free(what);
    }
    apply_next(a);
}

static void apply_cancel(struct step_run *sr, void *data)
{
    struct apply_step *a = data;
    if (a->req)
        kube_req_cancel(a->req);
    a->req = NULL;
    str_free_secret(a->body);
    a->body = NULL;
    a->sr = NULL;
}

static void apply_free(void *data)
{
    struct apply_step *a = data;
    manifests_done(&a->objs);
    free(a);
}

static const struct step_ops apply_ops = {"apply", apply_start, apply_cancel, NULL, apply_free};

struct plan_step *steps_add_apply(struct plan *p, enum plan_stage stage, const char *id,
                                  const char *title, struct manifests *objs, bool foreign_check)
{
    struct apply_step *a = xcalloc(1, sizeof(*a));
    a->objs = *objs;
    memset(objs, 0, sizeof(*objs));
    a->foreign_check = foreign_check;
    struct plan_step *s = plan_add(p, stage, id, title, &apply_ops, a);
    for (size_t i = 0; i < a->objs.n; i++) {
        char *what = manifest_obj_what(&a->objs.v[i]);
        plan_step_object(s, what, a->objs.v[i].text);
        free(what);
    }
    if (foreign_check)
        plan_step_note(s, "an object that exists and was not applied by dify-tui is left to "
                          "its owner (Terraform, eksctl, a Helm release)");
    plan_step_retry(s, 3, 2000);
    return s;
}

/* ---- the install plan's Kubernetes part ---- */

enum group { G_NAMESPACE, G_SECRETS, G_SA, G_CONFIG, G_STORAGE, G_DBJOB, G_MIGRATION, G_APP, G__N };

static enum group group_of(const struct manifest_obj *o)
{
    if (strcmp(o->kind, "Namespace") == 0)
        return G_NAMESPACE;
    if (strcmp(o->kind, "Secret") == 0)
        return G_SECRETS;
    if (strcmp(o->kind, "ServiceAccount") == 0)
        return G_SA;
    if (strcmp(o->kind, "ConfigMap") == 0)
        return G_CONFIG;
    if (strcmp(o->kind, "PersistentVolumeClaim") == 0)
        return G_STORAGE;
    if (strcmp(o->kind, "Job") == 0 && str_eq(o->component, "db-migration"))
        return G_MIGRATION;
    if (strcmp(o->kind, "Job") == 0 && str_eq(o->component, "db-create"))
        return G_DBJOB;
    return G_APP;
}

static void move_obj(struct manifests *to, struct manifest_obj *o)
{
    to->v = xrealloc(to->v, (to->n + 1) * sizeof(*to->v));
    to->v[to->n++] = *o;
    memset(o, 0, sizeof(*o));
}

int steps_kube_add(struct plan *p, const struct plan_ctx *ctx, struct error *err)
{
    const struct profile *prof = ctx->profile;
    char *dir = path_join(ctx->rendered_dir, "manifests");
    struct manifests all = {0};
    if (manifests_load(dir, &all, err) < 0) {
        free(dir);
        manifests_done(&all);
        return -1;
    }
    free(dir);
    struct manifests g[G__N];
    memset(g, 0, sizeof(g));
    for (size_t i = 0; i < all.n; i++)
        move_obj(&g[group_of(&all.v[i])], &all.v[i]);
    manifests_done(&all);

    static const struct {
        const char *id, *title;
        bool foreign;
    } base[] = {
        [G_NAMESPACE] = {"namespace", "Create the namespace", false},
        [G_SECRETS] = {"secrets", "Apply the Secrets", false},
        [G_SA] = {"serviceaccounts", "Apply the ServiceAccounts", true},
        [G_CONFIG] = {"configmaps", "Apply the ConfigMaps", false},
        [G_STORAGE] = {"storage", "Claim the volumes", false},
    };
    for (int k = G_NAMESPACE; k <= G_STORAGE; k++) {
        if (!g[k].n)
            continue;
        struct plan_step *s =
            steps_add_apply(p, STAGE_BASE, base[k].id, base[k].title, &g[k], base[k].foreign);
        if (k != G_NAMESPACE && plan_find(p, "namespace"))
            plan_step_after(s, "namespace");
    }

    /* the plugin daemon's database, in the cluster, once the Secret and
     * the ConfigMap it reads exist */
    for (size_t i = 0; i < g[G_DBJOB].n; i++) {
        struct plan_step *s = steps_add_db_job(p, ctx, &g[G_DBJOB].v[i]);
        if (plan_find(p, "secrets"))
            plan_step_after(s, "secrets");
        if (plan_find(p, "configmaps"))
            plan_step_after(s, "configmaps");
        if (plan_find(p, "database")) /* the libpq step (core/steps_db.c) may have made it */
            plan_step_after(s, "database");
    }
    int rc = 0;
    if (prof->migration.mode == MIGRATION_JOB) {
        if (g[G_MIGRATION].n != 1) {
            rc = error_set(err, ERR_INTERNAL, 0,
                           "the rendered manifests hold %zu migration Jobs; expected one",
                           g[G_MIGRATION].n);
            goto out;
        }
        steps_add_migration(p, ctx, &g[G_MIGRATION].v[0]);
        memset(&g[G_MIGRATION].v[0], 0, sizeof(g[G_MIGRATION].v[0]));
    } else {
        struct plan_step *s = steps_add_migration(p, ctx, NULL);
        plan_step_skip(s, prof->migration.mode == MIGRATION_API
                              ? "the api migrates the database when it starts "
                                "(migration.mode: api)"
                              : "migration.mode is none: you run `flask db upgrade` yourself");
    }

    /* The manifests method's application, in the renderer's (seed 002's)
     * order; with Helm the chart is the application (core/steps_helm.c). */
    char **names = NULL;
    size_t nnames = 0;
    for (size_t i = 0; i < g[G_APP].n; i++) {
        const struct manifest_obj *o = &g[G_APP].v[i];
        if (strcmp(o->kind, "Deployment") == 0 || strcmp(o->kind, "StatefulSet") == 0) {
            names = xrealloc(names, (nnames + 1) * sizeof(*names));
            names[nnames++] = xasprintf("%s/%s", o->kind, o->name);
        }
    }
    if (prof->method == METHOD_MANIFESTS) {
        if (!g[G_APP].n) {
            rc = error_set(err, ERR_INTERNAL, 0, "the rendered manifests hold no application");
        } else {
            steps_add_apply(p, STAGE_APP, "application",
                            "Apply the application (core services, auxiliary services, "
                            "ingresses)",
                            &g[G_APP], false);
        }
    }
    if (rc == 0) {
        steps_add_rollouts(p, ctx, (const char *const *)names, nnames);
        steps_add_checks(p, ctx);
    }
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
out:
    for (int k = 0; k < G__N; k++)
        manifests_done(&g[k]);
    return rc;
}
