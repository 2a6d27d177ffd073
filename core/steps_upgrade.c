/* core/steps_upgrade.c: the steps only an upgrade has (see upgrade.h):
 * "upgrade-target", first in an upgrade plan, which says and journals what
 * goes to what (so `history` names the tag a failed upgrade tried) and
 * refuses an api/plugin daemon pair that does not go together; and the
 * rollback plan, which puts the last finished revision back: the
 * Secrets, ServiceAccounts and ConfigMaps of its rendering applied again,
 * then the application (the manifests method: its objects; Helm: `helm
 * rollback` to the release revision that run recorded), the rollouts, and
 * a "revision" step that records the revision restored. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/history.h"
#include "core/manifests.h"
#include "core/plan.h"
#include "core/profile.h"
#include "core/runner.h"
#include "core/steps_kube.h"
#include "core/steps_native.h"
#include "core/upgrade.h"
#include "core/util.h"

/* ---- a step that only records (and checks) ---- */

struct rec_step {
    char *keys[8], *values[8];
    size_t n;
    char *summary;
    char *refuse; /* fail with this (permanent), or NULL */
};

static void rec_set(struct rec_step *r, const char *key, const char *value)
{
    if (!value || r->n == ARRAY_LEN(r->keys))
        return;
    r->keys[r->n] = xstrdup(key);
    r->values[r->n++] = xstrdup(value);
}

static void rec_start(struct step_run *sr, void *data)
{
    struct rec_step *r = data;
    if (r->refuse) {
        struct error e;
        error_set(&e, ERR_INVALID, 0, "%s", r->refuse);
        step_run_permanent(sr);
        step_run_done(sr, &e);
        return;
    }
    for (size_t i = 0; i < r->n; i++)
        step_run_output(sr, r->keys[i], r->values[i]);
    if (r->summary)
        step_run_summary(sr, "%s", r->summary);
    step_run_done(sr, NULL);
}

static void rec_cancel(struct step_run *sr, void *data)
{
    (void)sr, (void)data;
}

static void rec_free(void *data)
{
    struct rec_step *r = data;
    for (size_t i = 0; i < r->n; i++) {
        free(r->keys[i]);
        free(r->values[i]);
    }
    free(r->summary);
    free(r->refuse);
    free(r);
}

static const struct step_ops rec_ops = {"record", rec_start, rec_cancel, NULL, rec_free};

int steps_upgrade_target_add(struct plan *p, const struct plan_ctx *ctx, const char *from_tag,
                             const char *daemon_tag, struct error *err)
{
    (void)err;
    const struct profile *prof = ctx->profile;
    struct rec_step *r = xcalloc(1, sizeof(*r));
    rec_set(r, "image_tag", prof->image_tag);
    rec_set(r, "daemon_tag", daemon_tag);
    rec_set(r, "from_tag", from_tag);
    char msg[512];
    int pr = upgrade_check_pair(prof->image_tag, daemon_tag, msg, sizeof(msg));
    if (pr < 0)
        r->refuse = xstrdup(msg);
    r->summary = xasprintf("Dify %s -> %s%s%s", from_tag ? from_tag : "?", prof->image_tag,
                           pr > 0 ? " (warning: " : "", pr > 0 ? "pair not checked)" : "");
    char *title =
        xasprintf("Upgrade Dify %s to %s", from_tag ? from_tag : "(unknown)", prof->image_tag);
    struct plan_step *s = plan_add(p, STAGE_PREFLIGHT, "upgrade-target", title, &rec_ops, r);
    free(title);
    plan_step_always(s);
    plan_step_note(s, "%s", msg);
    plan_step_note(s,
                   "the journal keeps the target (Dify %s, plugin daemon %s): dify-tui history "
                   "names it even when the upgrade fails",
                   prof->image_tag, daemon_tag ? daemon_tag : "?");
    return 0;
}

/* ---- the rollback plan ---- */

static void move_obj(struct manifests *to, struct manifest_obj *o)
{
    to->v = xrealloc(to->v, (to->n + 1) * sizeof(*to->v));
    to->v[to->n++] = *o;
    memset(o, 0, sizeof(*o));
}

static bool is_config(const struct manifest_obj *o)
{
    return str_eq(o->kind, "Secret") || str_eq(o->kind, "ConfigMap") ||
           str_eq(o->kind, "ServiceAccount");
}

int plan_build_rollback(const struct plan_ctx *ctx, const struct history_run *good,
                        struct plan **out, struct error *err)
{
    const struct profile *prof = ctx->profile;
    bool helm = str_eq(good->method, "helm");
    char *dir = path_join(ctx->rendered_dir, "manifests");
    struct manifests all = {0}, config = {0}, app = {0};
    if (manifests_load(dir, &all, err) < 0) {
        free(dir);
        manifests_done(&all);
        return error_prefix(err, "the rendering of the revision to go back to: ");
    }
    free(dir);
    char **names = NULL;
    size_t nnames = 0;
    size_t kept = 0;
    for (size_t i = 0; i < all.n; i++) {
        struct manifest_obj *o = &all.v[i];
        if (is_config(o)) {
            move_obj(&config, o);
        } else if (str_eq(o->kind, "Namespace") || str_eq(o->kind, "Job") ||
                   str_eq(o->kind, "PersistentVolumeClaim")) {
            kept++; /* the namespace and the volumes stay; Jobs ran (below) */
        } else if (!helm) {
            if (str_eq(o->kind, "Deployment") || str_eq(o->kind, "StatefulSet")) {
                names = xrealloc(names, (nnames + 1) * sizeof(*names));
                names[nnames++] = xasprintf("%s/%s", o->kind, o->name);
            }
            move_obj(&app, o);
        }
    }
    manifests_done(&all);
    struct plan *p = plan_new("rollback");
    struct rec_step *t = xcalloc(1, sizeof(*t));
    rec_set(t, "image_tag", good->image_tag);
    t->summary = xasprintf("back to Dify %s (%s)", good->image_tag ? good->image_tag : "?",
                           good->method ? good->method : "?");
    char *title = xasprintf("Roll back to Dify %s, the last revision that finished",
                            good->image_tag ? good->image_tag : "?");
    struct plan_step *s = plan_add(p, STAGE_PREFLIGHT, "rollback-target", title, &rec_ops, t);
    free(title);
    plan_step_always(s);
    plan_step_note(s, "the database keeps the schema the upgrade's migration left (Dify's "
                      "migrations add tables and columns; none is undone here)");
    if (config.n) {
        s = steps_add_apply(p, STAGE_BASE, "rollback-config",
                            "Apply the Secrets, ServiceAccounts and ConfigMaps of that revision",
                            &config, false);
        plan_step_always(s);
    }
    if (helm) {
        s = steps_add_helm_rollback(p, "helm-rollback", prof->release, prof->namespace,
                                    good->helm_revision,
                                    ctx->rollout_timeout_ms > 0 ? ctx->rollout_timeout_ms : 900000);
    } else if (app.n) {
        s = steps_add_apply(p, STAGE_APP, "rollback-application",
                            "Apply that revision's application again", &app, false);
        plan_step_always(s);
    } else {
        error_set(err, ERR_INVALID, 0, "%s holds no application to go back to", ctx->rendered_dir);
        goto fail;
    }
    s = steps_add_rollouts(p, ctx, (const char *const *)names, nnames);
    struct rec_step *rv = xcalloc(1, sizeof(*rv));
    rec_set(rv, "image_tag", good->image_tag);
    rec_set(rv, "daemon_tag", good->daemon_tag);
    rec_set(rv, "method", good->method);
    rec_set(rv, "chart", good->chart);
    rec_set(rv, "chart_version", good->chart_version);
    rec_set(rv, "helm_revision", good->helm_revision);
    rv->summary = xasprintf("Dify %s (%s) again", good->image_tag ? good->image_tag : "?",
                            good->method ? good->method : "?");
    s = plan_add(p, STAGE_CHECK, "revision", "Record what is deployed now", &rec_ops, rv);
    plan_step_always(s);
    plan_step_note(s, "the journal keeps Dify %s (%s) as this run's revision",
                   good->image_tag ? good->image_tag : "?", good->method ? good->method : "?");
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    manifests_done(&config);
    manifests_done(&app);
    (void)kept;
    plan_sort_stages(p);
    if (plan_check(p, err) < 0) {
        plan_free(p);
        return -1;
    }
    *out = p;
    return 0;
fail:
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    manifests_done(&config);
    manifests_done(&app);
    plan_free(p);
    return -1;
}
