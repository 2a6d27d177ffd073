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

/* Writes a rendering into out_dir: every file is staged first and renamed into
 * place only when all were written, so a failed run leaves no partial file. */
int rendered_write(const struct rendered *r, const char *out_dir, struct error *err);

/* render_profile + rendered_write: the one code path behind both the
 * `render` command and the wizard's review page. */
int render_to_dir(const struct profile *p, const struct secrets *s, const char *out_dir,
                  struct error *err);

#endif
