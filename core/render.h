/* core/render.h: turns a validated profile and its secrets into every file a
 * deployment needs, deterministically (same inputs, same bytes):
 *   terraform.tfvars.json   (EKS target) variables for assets/terraform
 *   secrets.tfvars.json     (EKS target, 0600) the sensitive variables
 *   values.yaml             (Helm method) values for the chosen chart/edition
 *   manifests/NN-*.yaml     namespace, Secrets (0600), ServiceAccounts,
 *                           ConfigMaps for extra files, the migration Job and,
 *                           for the manifests method, the whole application
 * YAML and JSON are produced with libyaml and cJSON, never by pasting strings.
 * Secret values appear only in Secret objects and secrets.tfvars.json. */
#ifndef CORE_RENDER_H
#define CORE_RENDER_H

#include <stddef.h>

#include "core/profile.h"

struct error;

/* Values that exist only after `terraform apply` are written as these tokens.
 * They are valid YAML/JSON strings but can never be a real account id or host,
 * so nothing can run with them by accident; the runner substitutes them from
 * `terraform output` (docs/render.md). Every token matches "@@[a-z0-9_]+@@"
 * and is named after the output holding its value (tests/terraform_contract.sh). */
#define RENDER_PH_ACCOUNT "@@aws_account_id@@"               /* in IAM role ARNs and the ECR URL */
#define RENDER_PH_DB_HOST "@@db_endpoint@@"                  /* Aurora writer endpoint */
#define RENDER_PH_REDIS_HOST "@@redis_endpoint@@"            /* ElastiCache primary endpoint */
#define RENDER_PH_VECTOR_HOST "@@opensearch_endpoint@@"      /* OpenSearch domain endpoint */
#define RENDER_PH_S3_BUCKET "@@s3_bucket_name@@"             /* the bucket the stack named */
#define RENDER_PH_ECR_PLUGIN "@@ecr_plugin_repository_url@@" /* registry host/plugin repo */

/* One rendered file, in memory. */
struct rendered_file {
    char *name; /* relative path, e.g. "manifests/10-secrets.yaml" */
    char *data; /* contents */
    size_t len;
    int mode; /* 0600 when it carries secrets, else 0644 */
};

struct rendered {
    struct rendered_file *v;
    size_t n;
};

/* Renders everything into memory; nothing is written. */
int render_profile(const struct profile *p, const struct secrets *s, struct rendered *out,
                   struct error *err);
void rendered_done(struct rendered *r);

/* ---- the output directory (core/render_write.c) ---- */

/* The record of a rendering, in its directory: one line per file written,
 * "SHA-256 MODE PATH". A rendering replaces exactly what the record lists,
 * and only while each file is unchanged. */
#define RENDER_MANIFEST ".dify-tui-rendered"

struct render_out {
    char *dir;
    char **created; /* directories render_out_open created, outermost first */
    size_t ncreated;
};

/* The checks of render_out_open that create nothing: 0 when dir may be
 * used, else -1 with why (ERR_INVALID for a bad target). */
int render_out_refused(const char *dir, struct error *err);
/* Opens dir as an output directory: refuses a non-directory, the root, a
 * system directory, the home directory or above it, and the assets tree
 * (ERR_INVALID, saying why); creates dir and its missing parents (recorded
 * in o->created) and makes sure it can be written (ERR_IO). */
int render_out_open(struct render_out *o, const char *dir, struct error *err);
/* Refuses (ERR_INVALID, naming the file) when dir holds, under a name r
 * would write or the last rendering wrote, anything the record does not list
 * unchanged: another program's or a person's file, a symlink, a file edited
 * since. Writes nothing: call it before saving anything else. */
int render_out_check(const struct render_out *o, const struct rendered *r, struct error *err);
/* Checks again, stages every file (and the new record) in dir/.render-XXXXXX
 * and moves them into place only when all were written; the last
 * rendering's files that r does not write are removed. */
int render_out_write(struct render_out *o, const struct rendered *r, struct error *err);
/* After a failure: removes the directories render_out_open created, if empty. */
void render_out_abandon(struct render_out *o);
void render_out_done(struct render_out *o);
/* The record's text for r; caller frees. */
char *render_manifest_text(const struct rendered *r);

/* render_out_open + render_out_write, abandoning on failure. */
int rendered_write(const struct rendered *r, const char *out_dir, struct error *err);

/* render_profile + rendered_write: the one code path behind both the
 * `render` command and the wizard's review page. */
int render_to_dir(const struct profile *p, const struct secrets *s, const char *out_dir,
                  struct error *err);

#endif
