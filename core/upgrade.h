/* core/upgrade.h: what an upgrade changes, before it changes it: the new
 * rendering compared with the one the last run applied (STATE/rendered),
 * file by file and, for the Kubernetes manifests, object by object, with
 * the changed lines old and new. A file that carries secrets (mode 0600:
 * values-secrets.yaml, the Secrets' manifests, secrets.tfvars.json) says
 * only that it changed; every other line passes the log's redaction of
 * registered secrets. And whether the new api and plugin daemon versions
 * go together (core/dify_versions). */
#ifndef CORE_UPGRADE_H
#define CORE_UPGRADE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

struct error;
struct history_run;
struct plan;
struct plan_ctx;
struct rendered;

enum up_kind { UP_ADDED, UP_REMOVED, UP_CHANGED };

struct up_object {
    char *what; /* "Deployment dify-api" */
    enum up_kind kind;
};

struct up_file {
    char *name; /* "values.yaml", "manifests/40-api.yaml" */
    enum up_kind kind;
    bool secret;        /* mode 0600: no line is shown */
    struct strbuf diff; /* "- old\n+ new\n" lines, redacted; empty for secrets */
    size_t removed, added;
    struct up_object *objs;
    size_t nobjs;
};

struct up_diff {
    struct up_file *v;
    size_t n;
    size_t unchanged;
};

/* Compares the rendering in old_dir (as `render` wrote it) with now.
 * A missing old_dir is a first install: every file added. */
int upgrade_diff(const char *old_dir, const struct rendered *now, struct up_diff *d,
                 struct error *err);
void upgrade_diff_done(struct up_diff *d);
/* The diff as text a person reads (at most max_lines changed lines a file;
 * 0: all). */
void upgrade_diff_describe(const struct up_diff *d, size_t max_lines, struct strbuf *out);

/* Whether api_tag's plugin daemon pair is known: 0 known; 1 a warning
 * (msg: an api version this program has no row for); -1 refused (msg: a
 * daemon that does not go with the api). daemon_tag NULL: the one the
 * version table pairs with api_tag. */
int upgrade_check_pair(const char *api_tag, const char *daemon_tag, char *msg, size_t len);

/* ---- the renderings an upgrade keeps (STATE/rendered, STATE/deployed) ----
 *
 * STATE/rendered is what the last run applied (install and upgrade write
 * it before they run). STATE/deployed is a copy of the rendering of the
 * last run that finished: what runs now, the comparison's "old" side and
 * what a rollback of the manifests method applies again. */
#define UPGRADE_DEPLOYED "deployed"

/* Reads a rendering written by render (its record lists the files and
 * their modes) into r. */
int upgrade_load_rendering(const char *dir, struct rendered *r, struct error *err);
/* Copies STATE/rendered to STATE/deployed, replacing what was there. */
int upgrade_keep_deployed(const char *state_dir, struct error *err);
/* The tag of an image repository ("langgenius/dify-plugin-daemon") as the
 * rendering deploys it: "repo:TAG" in a manifest, or chart values'
 * "repository: repo" and the "tag:" after it. NULL when absent. */
char *upgrade_rendered_tag(const struct rendered *r, const char *repo);

/* ---- the steps (core/steps_upgrade.c) ---- */

/* "upgrade-target" (preflight, always runs): journals the tag an upgrade
 * goes from and to and the plugin daemon it deploys (history names them),
 * and fails (permanently) on a pair that does not go together. */
int steps_upgrade_target_add(struct plan *p, const struct plan_ctx *ctx, const char *from_tag,
                             const char *daemon_tag, struct error *err);
/* The "rollback" plan back to good (the last run that finished) from its
 * rendering in ctx->rendered_dir (STATE/deployed): its Secrets,
 * ServiceAccounts and ConfigMaps applied again; the application (manifests:
 * its objects; Helm: `helm rollback` to good's release revision); the
 * rollouts; and "revision" recording good's revision. The namespace, the
 * volumes and the Jobs are left as they are: the migration is not undone. */
int plan_build_rollback(const struct plan_ctx *ctx, const struct history_run *good,
                        struct plan **out, struct error *err);

#endif
