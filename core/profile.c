/* core/profile.c: defaults, size presets and the field table of the profile.
 * Preset numbers come from seeds 001 and 002 and the EE terraform prod values
 * example (docs/sources.md says what each is). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dify_versions.h"
#include "core/profile.h"
#include "core/rules.h"
#include "core/util.h"

const char *const edition_names[] = {"community", "enterprise", NULL};
const char *const target_names[] = {"eks", "existing", NULL};
const char *const method_names[] = {"helm", "manifests", NULL};
const char *const size_names[] = {"test", "prod", NULL};
const char *const storage_names[] = {"s3", "local", NULL};
const char *const s3_auth_names[] = {"irsa", "keys", NULL};
const char *const vector_names[] = {"opensearch", "milvus", "pgvector", "qdrant", "weaviate", NULL};
const char *const migration_names[] = {"job", "api", "none", NULL};
const char *const store_auth_names[] = {"password", "none", NULL};
const char *const component_names[] = {"api",     "worker",        "beat",       "web",
                                       "sandbox", "plugin_daemon", "ssrf_proxy", NULL};
static const char *const bool_names[] = {"false", "true", NULL};

/* When a field applies (field_desc.applies). */
static bool on_eks(const struct profile *p)
{
    return p->target == TARGET_EKS;
}
static bool on_existing(const struct profile *p)
{
    return p->target == TARGET_EXISTING;
}
static bool with_helm(const struct profile *p)
{
    return p->method == METHOD_HELM;
}
static bool with_bastion(const struct profile *p)
{
    return p->bastion.enabled;
}
static bool with_s3(const struct profile *p)
{
    return p->storage.kind == STORAGE_S3;
}
static bool with_split(const struct profile *p)
{
    return p->domains.split;
}
static bool with_job(const struct profile *p)
{
    return p->migration.mode == MIGRATION_JOB;
}
/* OpenSearch on EKS is made by Terraform (its host is an output); pgvector
 * lives in the database. Every other store is the user's, at a host. */
static bool with_vector_host(const struct profile *p)
{
    return p->vector.kind != VECTOR_PGVECTOR && !(on_eks(p) && p->vector.kind == VECTOR_OPENSEARCH);
}
/* The AWS Load Balancer Controller takes an ACM certificate, other
 * controllers a TLS Secret. */
static bool with_alb(const struct profile *p)
{
    return str_eq(p->cluster.ingress_class, "alb");
}
static bool without_alb(const struct profile *p)
{
    return !with_alb(p);
}
static bool with_enterprise(const struct profile *p)
{
    return p->edition == EDITION_ENTERPRISE;
}
static bool with_eks_opensearch(const struct profile *p)
{
    return on_eks(p) && p->vector.kind == VECTOR_OPENSEARCH;
}

/* F(path, type, member, enum names, label, help, then designated rule
 * members: .rule, .optional, .min, .max, .applies). */
#define F(p_, t_, m_, n_, l_, h_, ...)                                                             \
    {                                                                                              \
        .path = p_, .type = t_, .offset = offsetof(struct profile, m_), .enum_names = n_,          \
        .label = l_, .help = h_, __VA_ARGS__                                                       \
    }
#define PORT .min = 1, .max = 65535
#define COMP_FIELDS(idx, name)                                                                     \
    F("components." name ".replicas", FT_INT, comp[idx].replicas, NULL, name " replicas",          \
      "pods of " name " (1 or more)", .min = 1),                                                   \
        F("components." name ".cpu_request", FT_STRING, comp[idx].res.cpu_request, NULL,           \
          name " CPU request", "Kubernetes CPU quantity, e.g. 250m", .rule = valid_cpu_quantity),  \
        F("components." name ".memory_request", FT_STRING, comp[idx].res.mem_request, NULL,        \
          name " memory request", "Kubernetes memory quantity, e.g. 512Mi",                        \
          .rule = valid_memory_quantity),                                                          \
        F("components." name ".cpu_limit", FT_STRING, comp[idx].res.cpu_limit, NULL,               \
          name " CPU limit", "Kubernetes CPU quantity, e.g. 500m", .rule = valid_cpu_quantity),    \
        F("components." name ".memory_limit", FT_STRING, comp[idx].res.mem_limit, NULL,            \
          name " memory limit", "Kubernetes memory quantity, e.g. 1Gi",                            \
          .rule = valid_memory_quantity)

const struct field_desc profile_fields[] = {
    F("edition", FT_ENUM, edition, edition_names, "Edition",
      "community (open source) or enterprise (Dify EE 3.x)"),
    F("target", FT_ENUM, target, target_names, "Target",
      "eks: a new AWS EKS cluster made by Terraform; existing: any Kubernetes"),
    F("method", FT_ENUM, method, method_names, "Method",
      "helm: the Dify chart; manifests: the built-in manifests"),
    F("size", FT_ENUM, size, size_names, "Size", "test or prod sizing preset"),
    F("release", FT_STRING, release, NULL, "Release name", "Helm release and name prefix",
      .rule = valid_release_name),
    F("namespace", FT_STRING, namespace, NULL, "Namespace", "Kubernetes namespace for Dify",
      .rule = valid_dns_label),
    F("image_tag", FT_STRING, image_tag, NULL, "Image tag", "Dify api/web image tag",
      .rule = valid_image_tag),
    F("helm.repo_url", FT_STRING, helm.repo_url, NULL, "Chart repository", "Helm repository URL",
      .rule = valid_chart_repo_url, .applies = with_helm),
    F("helm.chart", FT_STRING, helm.chart, NULL, "Chart",
      "dify/dify, or a local chart: ./dify-0.37.0.tgz", .rule = valid_chart_ref,
      .applies = with_helm),
    F("helm.version", FT_STRING, helm.version, NULL, "Chart version", "pinned chart version",
      .rule = valid_semver, .applies = with_helm,
      .need = "pin a chart version so installs are repeatable"),
    F("aws.region", FT_STRING, aws.region, NULL, "AWS region", "e.g. us-west-2",
      .rule = valid_aws_region, .applies = on_eks),
    F("aws.cluster_name", FT_STRING, aws.cluster_name, NULL, "Cluster name",
      "EKS cluster name (DNS label)", .rule = valid_cluster_name, .applies = on_eks),
    F("aws.kubernetes_version", FT_STRING, aws.k8s_version, NULL, "Kubernetes version",
      "EKS version, e.g. 1.33", .rule = valid_eks_version, .applies = on_eks),
    F("aws.vpc_cidr", FT_STRING, aws.vpc_cidr, NULL, "VPC CIDR", "e.g. 10.0.0.0/16",
      .rule = valid_vpc_cidr, .applies = on_eks),
    F("aws.public_subnets", FT_STRLIST, aws.public_subnets, NULL, "Public subnets",
      "two CIDRs inside the VPC, comma separated", .rule = valid_cidr_block, .applies = on_eks),
    F("aws.private_subnets", FT_STRLIST, aws.private_subnets, NULL, "Private subnets",
      "two CIDRs inside the VPC, comma separated", .rule = valid_cidr_block, .applies = on_eks),
    F("aws.node_type", FT_STRING, aws.node_type, NULL, "Node type",
      "EC2 instance type; Graviton (arm64) families recommended", .rule = valid_node_type,
      .applies = on_eks),
    F("aws.node_count", FT_INT, aws.node_count, NULL, "Nodes", "desired node count", .min = 1,
      .applies = on_eks),
    F("aws.node_min", FT_INT, aws.node_min, NULL, "Nodes min", "node group minimum", .min = 1,
      .applies = on_eks),
    F("aws.node_max", FT_INT, aws.node_max, NULL, "Nodes max", "node group maximum", .min = 1,
      .applies = on_eks),
    F("aws.node_disk_gb", FT_INT, aws.node_disk_gb, NULL, "Node disk GB", "gp3 root volume",
      .min = 20, .max = 16384, .applies = on_eks),
    /* Empty names: Terraform derives ones unique to the account and cluster. */
    F("aws.s3_bucket", FT_STRING, aws.s3_bucket, NULL, "S3 bucket",
      "bucket Terraform creates; empty: <cluster>-<account id>-<region>", .rule = valid_s3_bucket,
      .optional = true, .applies = on_eks),
    F("aws.ecr_app_repository", FT_STRING, aws.ecr_app_repo, NULL, "ECR app repository",
      "repository for application images; empty: <cluster>", .rule = valid_ecr_repository,
      .optional = true, .applies = on_eks),
    F("aws.ecr_plugin_repository", FT_STRING, aws.ecr_plugin_repo, NULL, "ECR plugin repository",
      "enterprise plugin images, in it and under it; empty: <cluster>-plugins",
      .rule = valid_ecr_repository, .optional = true, .applies = on_eks),
    F("aws.irsa", FT_BOOL, aws.irsa, bool_names, "IRSA",
      "IAM roles for service accounts (S3 and ECR without keys)", .applies = on_eks),
    F("aws.admin_principals", FT_STRLIST, aws.admin_principals, NULL, "Cluster admins",
      "IAM role/user ARNs besides yours, comma separated", .rule = valid_iam_principal_arn,
      .applies = on_eks),
    F("aws.public_access_cidrs", FT_STRLIST, aws.public_access_cidrs, NULL, "API allowed from",
      "IPv4 blocks that may reach the public API; 0.0.0.0/0 is anyone", .rule = valid_cidr_block,
      .applies = on_eks),
    F("aws.opensearch_service_role", FT_BOOL, aws.opensearch_service_role, bool_names,
      "Create OpenSearch role",
      "false when the account has AWSServiceRoleForAmazonOpenSearchService",
      .applies = with_eks_opensearch),
    F("cluster.kubeconfig", FT_STRING, cluster.kubeconfig, NULL, "Kubeconfig",
      "path; empty means KUBECONFIG or ~/.kube/config", .rule = valid_local_path, .optional = true,
      .applies = on_existing),
    F("cluster.context", FT_STRING, cluster.context, NULL, "Context",
      "kubeconfig context; empty means current", .rule = valid_kube_context, .optional = true,
      .applies = on_existing),
    F("cluster.storage_class", FT_STRING, cluster.storage_class, NULL, "Storage class",
      "StorageClass for volumes; empty means the cluster default", .rule = valid_dns_subdomain,
      .optional = true),
    F("cluster.rwx_storage_class", FT_STRING, cluster.rwx_storage_class, NULL, "RWX storage class",
      "StorageClass offering ReadWriteMany (EFS, NFS) for volumes pods share; empty: none",
      .rule = valid_dns_subdomain, .optional = true),
    F("cluster.ingress_class", FT_STRING, cluster.ingress_class, NULL, "Ingress class",
      "IngressClass, e.g. nginx or alb", .rule = valid_dns_subdomain, .optional = true),
    F("database.host", FT_STRING, db.host, NULL, "Database host",
      "PostgreSQL host; empty on EKS (from Terraform)", .rule = valid_net_host,
      .applies = on_existing, .need = "an existing cluster needs an external PostgreSQL host"),
    F("database.port", FT_INT, db.port, NULL, "Database port", "usually 5432", PORT),
    F("database.auth", FT_ENUM, db.auth, store_auth_names, "Database login",
      "password: from the secrets file; none: the server asks for none", .applies = on_existing),
    F("database.name", FT_STRING, db.name, NULL, "Database", "main Dify database",
      .rule = valid_pg_identifier),
    F("database.user", FT_STRING, db.user, NULL, "Database user", "PostgreSQL user",
      .rule = valid_pg_identifier),
    F("database.plugin_database", FT_STRING, db.plugin_db, NULL, "Plugin database",
      "plugin daemon database, the same name everywhere", .rule = valid_pg_identifier),
    F("database.sslmode", FT_STRING, db.sslmode, NULL, "SSL mode",
      "disable, allow, prefer, require, verify-ca or verify-full", .rule = valid_pg_sslmode),
    F("database.engine_version", FT_STRING, db.engine_version, NULL, "Aurora version",
      "Aurora PostgreSQL engine version", .rule = valid_major_minor, .applies = on_eks),
    F("database.acu_min", FT_DOUBLE, db.acu_min, NULL, "ACU min",
      "Aurora Serverless v2 minimum (0.5-256)", .applies = on_eks),
    F("database.acu_max", FT_DOUBLE, db.acu_max, NULL, "ACU max",
      "Aurora Serverless v2 maximum (0.5-256)", .applies = on_eks),
    F("database.instances", FT_INT, db.instances, NULL, "DB instances", "Aurora instances",
      .min = 1, .max = 16, .applies = on_eks),
    F("redis.host", FT_STRING, redis.host, NULL, "Redis host", "empty on EKS (from Terraform)",
      .rule = valid_net_host, .applies = on_existing,
      .need = "an existing cluster needs an external Redis host"),
    F("redis.port", FT_INT, redis.port, NULL, "Redis port", "usually 6379", PORT),
    F("redis.auth", FT_ENUM, redis.auth, store_auth_names, "Redis login",
      "password: from the secrets file; none: the server asks for none", .applies = on_existing),
    F("redis.tls", FT_BOOL, redis.tls, bool_names, "Redis TLS", "in-transit encryption"),
    F("redis.node_type", FT_STRING, redis.node_type, NULL, "Cache node type",
      "ElastiCache node type", .rule = valid_cache_node_type, .applies = on_eks),
    F("redis.engine_version", FT_STRING, redis.engine_version, NULL, "Redis version",
      "ElastiCache Redis version", .rule = valid_major_minor, .applies = on_eks),
    F("vector.kind", FT_ENUM, vector.kind, vector_names, "Vector store", "VECTOR_STORE"),
    F("vector.host", FT_STRING, vector.host, NULL, "Vector host",
      "host or URI; empty on EKS OpenSearch (from Terraform)", .rule = valid_host_or_url,
      .applies = with_vector_host, .need = "the vector store (vector.kind) needs its host or URI"),
    F("vector.port", FT_INT, vector.port, NULL, "Vector port", "e.g. 443, 9200, 19530", PORT,
      .applies = with_vector_host),
    F("vector.user", FT_STRING, vector.user, NULL, "Vector user", "empty for IAM auth",
      .rule = valid_account_name, .optional = true, .applies = with_vector_host),
    F("vector.engine_version", FT_STRING, vector.engine_version, NULL, "OpenSearch version",
      "e.g. 2.19", .rule = valid_major_minor, .applies = with_eks_opensearch),
    F("vector.instance_type", FT_STRING, vector.instance_type, NULL, "OpenSearch type",
      "e.g. m6g.large.search", .rule = valid_search_instance_type, .applies = with_eks_opensearch),
    F("vector.instance_count", FT_INT, vector.instance_count, NULL, "OpenSearch nodes",
      "data nodes", .min = 1, .max = 80, .applies = with_eks_opensearch),
    F("storage.kind", FT_ENUM, storage.kind, storage_names, "Storage", "s3 or local volume"),
    F("storage.auth", FT_ENUM, storage.auth, s3_auth_names, "S3 auth",
      "irsa (pod role) or keys (in a Secret)", .applies = with_s3),
    F("storage.bucket", FT_STRING, storage.bucket, NULL, "Bucket",
      "S3 bucket; empty on EKS: the one Terraform creates", .rule = valid_s3_bucket,
      .optional = true, .applies = with_s3),
    F("storage.region", FT_STRING, storage.region, NULL, "Bucket region", "S3 region",
      .rule = valid_region_name, .applies = with_s3),
    F("storage.endpoint", FT_STRING, storage.endpoint, NULL, "S3 endpoint",
      "empty for AWS S3; URL for S3-compatible stores", .rule = valid_http_url, .optional = true,
      .applies = with_s3),
    F("domains.split", FT_BOOL, domains.split, bool_names, "Split hosts",
      "separate web and api hosts"),
    F("domains.web_host", FT_STRING, domains.web_host, NULL, "Web host",
      "console host (or the one host)", .rule = valid_hostname),
    F("domains.api_host", FT_STRING, domains.api_host, NULL, "API host", "api host when split",
      .rule = valid_hostname, .applies = with_split,
      .need = "with domains.split the api needs its own host, e.g. api.example.com"),
    F("domains.tls_secret", FT_STRING, domains.tls_secret, NULL, "TLS secret",
      "kubernetes.io/tls Secret name; empty for no TLS", .rule = valid_dns_subdomain,
      .optional = true, .applies = without_alb),
    /* The ARN's shape and region are checked with the ALB rendering
     * (core/render_check.c). */
    F("domains.acm_certificate_arn", FT_STRING, domains.acm_certificate_arn, NULL,
      "ACM certificate", "ingress class alb: arn:aws:acm:... certificate for HTTPS; empty: HTTP",
      .optional = true, .applies = with_alb),
    F("domains.enterprise_host", FT_STRING, domains.enterprise_host, NULL, "Enterprise host",
      "enterprise: dashboard and licence page host; empty means enterprise.<web host>",
      .rule = valid_hostname, .optional = true, .applies = with_enterprise),
    F("migration.mode", FT_ENUM, migration.mode, migration_names, "Migration",
      "job: a Job runs flask db upgrade; api: the api migrates; none"),
    F("migration.backoff_limit", FT_INT, migration.backoff_limit, NULL, "Job retries",
      "migration Job backoffLimit", .applies = with_job),
    F("migration.ttl_seconds", FT_INT, migration.ttl_seconds, NULL, "Job TTL",
      "ttlSecondsAfterFinished", .applies = with_job),
    F("rollout.max_surge", FT_STRING, rollout.max_surge, NULL, "maxSurge",
      "extra pods during a rollout (count or %)", .rule = valid_max_surge),
    F("rollout.max_unavailable", FT_STRING, rollout.max_unavailable, NULL, "maxUnavailable",
      "0 keeps every replica serving", .rule = valid_max_unavailable),
    F("rollout.readiness_delay", FT_INT, rollout.readiness_delay, NULL, "Readiness delay",
      "seconds before the first readiness probe", .max = 3600),
    F("bastion.enabled", FT_BOOL, bastion.enabled, bool_names, "Bastion",
      "reach private endpoints through an SSH bastion"),
    F("bastion.host", FT_STRING, bastion.host, NULL, "Bastion host", "SSH host",
      .rule = valid_net_host, .applies = with_bastion, .need = "the bastion needs an SSH host"),
    F("bastion.port", FT_INT, bastion.port, NULL, "Bastion port", "SSH port", PORT,
      .applies = with_bastion),
    F("bastion.user", FT_STRING, bastion.user, NULL, "Bastion user", "SSH user",
      .rule = valid_unix_user, .applies = with_bastion, .need = "the bastion needs an SSH user"),
    F("bastion.key_path", FT_STRING, bastion.key_path, NULL, "Bastion key", "private key file",
      .rule = valid_local_path, .applies = with_bastion,
      .need = "give the private key file for the bastion"),
    F("bastion.known_hosts", FT_STRING, bastion.known_hosts, NULL, "Known hosts",
      "known_hosts file that must hold the bastion's key", .rule = valid_local_path,
      .applies = with_bastion,
      .need = "give a known_hosts file holding the bastion's host key (host keys are never "
              "accepted blindly)"),
    COMP_FIELDS(COMP_API, "api"),
    COMP_FIELDS(COMP_WORKER, "worker"),
    COMP_FIELDS(COMP_BEAT, "beat"),
    COMP_FIELDS(COMP_WEB, "web"),
    COMP_FIELDS(COMP_SANDBOX, "sandbox"),
    COMP_FIELDS(COMP_PLUGIN_DAEMON, "plugin_daemon"),
    COMP_FIELDS(COMP_SSRF_PROXY, "ssrf_proxy"),
};
const size_t profile_nfields = ARRAY_LEN(profile_fields);

#define S(k_, e_, m_, l_, g_, n_, ...)                                                             \
    {                                                                                              \
        .key = k_, .env = e_, .offset = offsetof(struct secrets, m_), .label = l_, .generate = g_, \
        .gen_bytes = n_, __VA_ARGS__                                                               \
    }
const struct secret_desc secret_fields[] = {
    S("secret_key", "DIFY_SECRET_KEY", secret_key, "SECRET_KEY", true, 42),
    S("db_password", "DIFY_DB_PASSWORD", db_password, "Database password", true, 24),
    /* Generated only for the stack's ElastiCache, whose AUTH token it is:
     * 32 letters and digits (DECISIONS 1). */
    S("redis_password", "DIFY_REDIS_PASSWORD", redis_password, "Redis password", true, 32,
      .alnum = true),
    S("plugin_daemon_key", "DIFY_PLUGIN_DAEMON_KEY", plugin_daemon_key, "Plugin daemon key", true,
      32),
    S("inner_api_key", "DIFY_INNER_API_KEY", inner_api_key, "Inner API key", true, 32),
    S("sandbox_key", "DIFY_SANDBOX_KEY", sandbox_key, "Sandbox key", true, 32),
    S("init_password", "DIFY_INIT_PASSWORD", init_password, "Initial admin password", false, 0),
    S("s3_access_key", "DIFY_S3_ACCESS_KEY", s3_access_key, "S3 access key", false, 0),
    S("s3_secret_key", "DIFY_S3_SECRET_KEY", s3_secret_key, "S3 secret key", false, 0),
    S("vector_password", "DIFY_VECTOR_PASSWORD", vector_password, "Vector store password", false,
      0),
    S("openai_api_key", "DIFY_OPENAI_API_KEY", openai_api_key, "OpenAI API key", false, 0),
    S("anthropic_api_key", "DIFY_ANTHROPIC_API_KEY", anthropic_api_key, "Anthropic API key", false,
      0),
    S("enterprise_secret_key", "DIFY_ENTERPRISE_SECRET_KEY", enterprise_secret_key,
      "Enterprise secret key", true, 42),
    S("enterprise_admin_salt", "DIFY_ENTERPRISE_ADMIN_SALT", enterprise_admin_salt,
      "Enterprise admin API salt", true, 32),
    S("enterprise_password_key", "DIFY_ENTERPRISE_PASSWORD_KEY", enterprise_password_key,
      "Enterprise password encryption key", true, 32),
};
const size_t secret_nfields = ARRAY_LEN(secret_fields);

const struct secret_desc *secret_field_find(const char *key)
{
    for (size_t i = 0; i < secret_nfields; i++)
        if (!strcmp(secret_fields[i].key, key))
            return &secret_fields[i];
    return NULL;
}

bool secret_generated(const struct profile *p, const struct secret_desc *d)
{
    if (!d->generate || !secret_applies(p, d))
        return false;
    if (p && (!strcmp(d->key, "db_password") || !strcmp(d->key, "redis_password")))
        return p->target == TARGET_EKS;
    return true;
}

bool secret_needed(const struct profile *p, const struct secret_desc *d)
{
    if (!p || !secret_applies(p, d) || secret_generated(p, d))
        return false;
    bool existing = p->target == TARGET_EXISTING;
    if (!strcmp(d->key, "db_password"))
        return existing && p->db.auth == AUTH_PASSWORD;
    if (!strcmp(d->key, "redis_password"))
        return existing && p->redis.auth == AUTH_PASSWORD;
    if (!strcmp(d->key, "s3_access_key") || !strcmp(d->key, "s3_secret_key"))
        return p->storage.kind == STORAGE_S3 && p->storage.auth == S3_AUTH_KEYS;
    return false;
}

bool secret_applies(const struct profile *p, const struct secret_desc *d)
{
    if (str_starts_with(d->key, "enterprise_"))
        return p && p->edition == EDITION_ENTERPRISE; /* no profile: the common ones */
    return true;
}

struct size_row {
    const char *node_type;
    int node_count, node_min, node_max, node_disk_gb;
    double acu_min, acu_max;
    int db_instances;
    const char *cache_type;
    const char *search_type;
    int search_count;
    int replicas[COMP__COUNT];
    struct {
        const char *cpu_req, *mem_req, *cpu_lim, *mem_lim;
    } res[COMP__COUNT];
};

/* test: seed 001 test column and seed 002's replicas and requests.
 * prod: seed 001 prod column and the EE terraform prod values example. */
static const struct size_row size_rows[] = {
    [SIZE_TEST] = {"m7g.xlarge",
                   1,
                   1,
                   2,
                   40,
                   0.5,
                   4,
                   1,
                   "cache.t4g.micro",
                   "m6g.large.search",
                   1,
                   {2, 1, 1, 2, 1, 1, 1},
                   {{"250m", "512Mi", "500m", "1Gi"},
                    {"250m", "512Mi", "500m", "1Gi"},
                    {"100m", "256Mi", "250m", "512Mi"},
                    {"100m", "256Mi", "200m", "512Mi"},
                    {"100m", "256Mi", "500m", "512Mi"},
                    {"250m", "512Mi", "1000m", "2Gi"},
                    {"50m", "64Mi", "200m", "256Mi"}}},
    [SIZE_PROD] = {"m7g.2xlarge",
                   6,
                   6,
                   10,
                   40,
                   1,
                   8,
                   2,
                   "cache.t4g.small",
                   "m6g.4xlarge.search",
                   2, /* seed 001 says 3; zone awareness over two zones needs an even count */
                   {3, 3, 1, 2, 2, 3, 2},
                   {{"500m", "1024Mi", "1000m", "2048Mi"},
                    {"500m", "1024Mi", "1000m", "2048Mi"},
                    {"100m", "256Mi", "500m", "512Mi"},
                    {"500m", "512Mi", "1000m", "1024Mi"},
                    {"500m", "1024Mi", "1000m", "2048Mi"},
                    {"500m", "1536Mi", "1000m", "3072Mi"},
                    {"100m", "128Mi", "500m", "512Mi"}}},
};

void strlist_add(struct strlist *l, const char *s)
{
    l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
    l->v[l->n++] = xstrdup(s);
}

void strlist_clear(struct strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void profile_apply_size(struct profile *p, enum size_preset s)
{
    const struct size_row *r = &size_rows[s];
    p->size = s;
    str_replace(&p->aws.node_type, r->node_type);
    p->aws.node_count = r->node_count;
    p->aws.node_min = r->node_min;
    p->aws.node_max = r->node_max;
    p->aws.node_disk_gb = r->node_disk_gb;
    p->db.acu_min = r->acu_min;
    p->db.acu_max = r->acu_max;
    p->db.instances = r->db_instances;
    str_replace(&p->redis.node_type, r->cache_type);
    str_replace(&p->vector.instance_type, r->search_type);
    p->vector.instance_count = r->search_count;
    for (int c = 0; c < COMP__COUNT; c++) {
        p->comp[c].replicas = r->replicas[c];
        str_replace(&p->comp[c].res.cpu_request, r->res[c].cpu_req);
        str_replace(&p->comp[c].res.mem_request, r->res[c].mem_req);
        str_replace(&p->comp[c].res.cpu_limit, r->res[c].cpu_lim);
        str_replace(&p->comp[c].res.mem_limit, r->res[c].mem_lim);
    }
}

void profile_apply_edition_target(struct profile *p)
{
    bool ee = p->edition == EDITION_ENTERPRISE;
    bool eks = p->target == TARGET_EKS;
    /* Chart version and image tag: the newest released set of the edition's
     * line (core/dify_versions.c says where each comes from). */
    const struct dify_release *r =
        dify_release_default(ee ? DIFY_LINE_ENTERPRISE : DIFY_LINE_COMMUNITY);
    char *chart = dify_release_chart(r);
    str_replace(&p->helm.repo_url, ee ? "https://langgenius.github.io/dify-helm"
                                      : "https://borispolonsky.github.io/dify-helm");
    str_replace(&p->helm.version, chart);
    str_replace(&p->image_tag, r->api);
    free(chart);
    str_replace(&p->helm.chart, "dify/dify");
    /* EE and the Terraform stack call it dify_plugin_daemon; community charts
     * default to dify_plugin. One name is then used in every artifact. */
    str_replace(&p->db.plugin_db, (ee || eks) ? "dify_plugin_daemon" : "dify_plugin");
    p->aws.irsa = eks;
    if (eks) {
        p->storage.kind = STORAGE_S3;
        p->storage.auth = S3_AUTH_IRSA;
        p->vector.kind = VECTOR_OPENSEARCH;
        p->redis.tls = true;
        str_replace(&p->db.sslmode, "require");
        str_replace(&p->cluster.ingress_class, "alb");
    } else {
        if (p->storage.auth == S3_AUTH_IRSA)
            p->storage.auth = S3_AUTH_KEYS;
        str_replace(&p->cluster.ingress_class, "nginx");
    }
}

/* libkrb5 has a profile_init too: -fvisibility=hidden (Makefile.am) keeps
 * this one out of the binaries' dynamic symbols (tests/symbols.sh). */
void profile_init(struct profile *p, enum edition e, enum target t, enum size_preset s)
{
    memset(p, 0, sizeof(*p));
    p->version = PROFILE_VERSION;
    p->edition = e;
    p->target = t;
    p->method = METHOD_HELM;
    p->release = xstrdup("dify");
    p->namespace = xstrdup("dify");

    p->aws.region = xstrdup("us-west-2");
    p->aws.cluster_name = xstrdup("dify-test");
    p->aws.k8s_version = xstrdup("1.33");
    p->aws.vpc_cidr = xstrdup("10.0.0.0/16");
    strlist_add(&p->aws.public_subnets, "10.0.1.0/24");
    strlist_add(&p->aws.public_subnets, "10.0.2.0/24");
    strlist_add(&p->aws.private_subnets, "10.0.10.0/24");
    strlist_add(&p->aws.private_subnets, "10.0.11.0/24");
    /* Empty: Terraform derives names unique to the account and cluster
     * (assets/terraform/main.tf), so two clusters never share a default. */
    p->aws.s3_bucket = xstrdup("");
    p->aws.ecr_app_repo = xstrdup("");
    p->aws.ecr_plugin_repo = xstrdup("");
    strlist_add(&p->aws.public_access_cidrs, "0.0.0.0/0");
    p->aws.opensearch_service_role = true;

    p->cluster.kubeconfig = xstrdup("");
    p->cluster.context = xstrdup("");
    p->cluster.storage_class = xstrdup("");
    p->cluster.rwx_storage_class = xstrdup("");

    p->db.host = xstrdup("");
    p->db.port = 5432;
    p->db.name = xstrdup("dify");
    p->db.user = xstrdup("dify");
    p->db.sslmode = xstrdup("disable");
    p->db.engine_version = xstrdup("17.5");

    p->redis.host = xstrdup("");
    p->redis.port = 6379;
    p->redis.engine_version = xstrdup("7.1");

    p->vector.kind = VECTOR_OPENSEARCH;
    p->vector.host = xstrdup("");
    p->vector.port = 443;
    p->vector.user = xstrdup("");
    p->vector.engine_version = xstrdup("2.19");

    p->storage.kind = STORAGE_S3;
    p->storage.auth = S3_AUTH_KEYS;
    /* On EKS the bucket is the one Terraform creates (empty: its name comes
     * from the terraform output); elsewhere the user's own. */
    p->storage.bucket = xstrdup(t == TARGET_EKS ? "" : "dify-test-storage");
    p->storage.region = xstrdup("us-west-2");
    p->storage.endpoint = xstrdup("");

    p->domains.split = false;
    p->domains.web_host = xstrdup("dify.example.com");
    p->domains.api_host = xstrdup("");
    p->domains.tls_secret = xstrdup("");
    p->domains.acm_certificate_arn = xstrdup("");
    p->domains.enterprise_host = xstrdup("");

    p->migration.mode = MIGRATION_JOB;
    p->migration.backoff_limit = 2;
    p->migration.ttl_seconds = 86400;

    /* seed 004: maxSurge 3, maxUnavailable 0, readiness after 20 s. */
    p->rollout.max_surge = xstrdup("3");
    p->rollout.max_unavailable = xstrdup("0");
    p->rollout.readiness_delay = 20;

    p->bastion.host = xstrdup("");
    p->bastion.port = 22;
    p->bastion.user = xstrdup("ec2-user");
    p->bastion.key_path = xstrdup("");
    p->bastion.known_hosts = xstrdup("");

    profile_apply_edition_target(p);
    profile_apply_size(p, s);
}

void profile_done(struct profile *p)
{
    for (size_t i = 0; i < profile_nfields; i++) {
        const struct field_desc *f = &profile_fields[i];
        void *ptr = profile_field_ptr(p, f);
        if (f->type == FT_STRING) {
            free(*(char **)ptr);
            *(char **)ptr = NULL;
        } else if (f->type == FT_STRLIST) {
            strlist_clear(ptr);
        }
    }
    for (size_t i = 0; i < p->n_extra_files; i++) {
        struct extra_file *x = &p->extra_files[i];
        free(x->source);
        free(x->configmap);
        free(x->key);
        free(x->mount_path);
    }
    free(p->extra_files);
    p->extra_files = NULL;
    p->n_extra_files = 0;
}

bool profile_field_applies(const struct profile *p, const struct field_desc *f)
{
    return !f->applies || f->applies(p);
}

const struct field_desc *profile_field_find(const char *path)
{
    for (size_t i = 0; i < profile_nfields; i++)
        if (strcmp(profile_fields[i].path, path) == 0)
            return &profile_fields[i];
    return NULL;
}

void *profile_field_ptr(struct profile *p, const struct field_desc *f)
{
    return (char *)p + f->offset;
}

int enum_lookup(const char *const *names, const char *s)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

char *profile_field_format(const struct profile *p, const struct field_desc *f)
{
    const void *ptr = (const char *)p + f->offset;
    switch (f->type) {
    case FT_STRING: {
        const char *s = *(char *const *)ptr;
        return xstrdup(s ? s : "");
    }
    case FT_INT:
        return xasprintf("%d", *(const int *)ptr);
    case FT_DOUBLE: {
        /* Shortest form that reads back the same: 0.5, 4, 1.5 */
        char buf[64];
        snprintf(buf, sizeof(buf), "%.15g", *(const double *)ptr);
        return xstrdup(buf);
    }
    case FT_BOOL:
        return xstrdup(*(const bool *)ptr ? "true" : "false");
    case FT_ENUM:
        return xstrdup(f->enum_names[*(const int *)ptr]);
    case FT_STRLIST: {
        const struct strlist *l = ptr;
        struct strbuf sb;
        strbuf_init(&sb);
        for (size_t i = 0; i < l->n; i++)
            strbuf_addf(&sb, "%s%s", i ? ", " : "", l->v[i]);
        return strbuf_detach(&sb, NULL);
    }
    }
    return xstrdup("");
}

static char *trim_copy(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return xstrndup(s, n);
}

int profile_field_parse(struct profile *p, const struct field_desc *f, const char *text, char *msg,
                        size_t msgsz)
{
    void *ptr = profile_field_ptr(p, f);
    char *t = trim_copy(text);
    int rc = 0;
    switch (f->type) {
    case FT_STRING:
        str_replace((char **)ptr, t);
        break;
    case FT_INT: {
        char *end;
        errno = 0;
        long v = strtol(t, &end, 10);
        if (!*t || *end || errno || v < -2147483647L || v > 2147483647L) {
            snprintf(msg, msgsz, "expected a whole number, got \"%s\"", t);
            rc = -1;
        } else {
            *(int *)ptr = (int)v;
        }
        break;
    }
    case FT_DOUBLE: {
        char *end;
        errno = 0;
        double v = strtod(t, &end);
        if (!*t || *end || errno) {
            snprintf(msg, msgsz, "expected a number, got \"%s\"", t);
            rc = -1;
        } else {
            *(double *)ptr = v;
        }
        break;
    }
    case FT_BOOL:
        if (!strcmp(t, "true") || !strcmp(t, "yes") || !strcmp(t, "on"))
            *(bool *)ptr = true;
        else if (!strcmp(t, "false") || !strcmp(t, "no") || !strcmp(t, "off"))
            *(bool *)ptr = false;
        else {
            snprintf(msg, msgsz, "expected true or false, got \"%s\"", t);
            rc = -1;
        }
        break;
    case FT_ENUM: {
        int v = enum_lookup(f->enum_names, t);
        if (v < 0) {
            struct strbuf sb;
            strbuf_init(&sb);
            for (int i = 0; f->enum_names[i]; i++)
                strbuf_addf(&sb, "%s%s", i ? ", " : "", f->enum_names[i]);
            snprintf(msg, msgsz, "expected one of %s, got \"%s\"", sb.buf, t);
            strbuf_done(&sb);
            rc = -1;
        } else {
            *(int *)ptr = v;
        }
        break;
    }
    case FT_STRLIST: {
        struct strlist *l = ptr;
        strlist_clear(l);
        char *save = NULL;
        for (char *tok = strtok_r(t, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            char *item = trim_copy(tok);
            if (*item)
                strlist_add(l, item);
            free(item);
        }
        break;
    }
    }
    free(t);
    return rc;
}

void secrets_init(struct secrets *s)
{
    memset(s, 0, sizeof(*s));
}

char **secrets_field_ptr(struct secrets *s, const struct secret_desc *d)
{
    return (char **)((char *)s + d->offset);
}

void secrets_done(struct secrets *s)
{
    for (size_t i = 0; i < secret_nfields; i++) {
        char **v = secrets_field_ptr(s, &secret_fields[i]);
        str_free_secret(*v);
        *v = NULL;
    }
}

bool instance_type_is_arm64(const char *type)
{
    /* Graviton families carry a 'g' after the generation digit: m7g, c6gn,
     * r8g, t4g, x2gd, im4gn, ... (a1 is the first-generation Graviton). */
    if (!type || !*type)
        return false;
    if (str_starts_with(type, "a1."))
        return true;
    const char *dot = strchr(type, '.');
    if (!dot)
        return false;
    for (const char *c = type; c < dot; c++)
        if (isdigit((unsigned char)*c) && c + 1 < dot && c[1] == 'g')
            return true;
    return false;
}
