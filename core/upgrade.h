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

#endif
