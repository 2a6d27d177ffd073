/* core/validate.c: the rules that look at the whole profile: which fields
 * apply to the chosen target and method, and the rules that tie fields
 * together (subnets inside the VPC, requests below limits, hosts that must
 * differ). Single-value grammars live in core/rules.c, the problem list in
 * core/problems.c. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/render_check.h"
#include "core/util.h"
#include "core/validate.h"

/* ConfigMaps are stored in etcd objects capped at 1 MiB. */
#define EXTRA_FILE_MAX (1024 * 1024)
/* A user-chosen database password shorter than this is refused. */
#define DB_PASSWORD_MIN 12
#define SECRET_KEY_MIN 32

#define MSG_SZ 512

static void check(struct problems *out, const char *path, bool ok, const char *msg)
{
    if (!ok)
        problems_add(out, false, path, "%s", msg);
}

static void check_label_field(struct problems *out, const char *path, const char *v)
{
    char msg[MSG_SZ];
    check(out, path, valid_dns_label(v, msg, sizeof(msg)), msg);
}

static void check_port(struct problems *out, const char *path, int v)
{
    if (v < 1 || v > 65535)
        problems_add(out, false, path, "%d: a port must be 1-65535", v);
}

static void check_min(struct problems *out, const char *path, int v, int min, const char *what)
{
    if (v < min)
        problems_add(out, false, path, "%d: %s must be at least %d", v, what, min);
}

/* Who may administer the cluster and reach its public API endpoint. */
static void check_eks_access(const struct profile *p, struct problems *out)
{
    char msg[MSG_SZ];
    const struct strlist *a = &p->aws.admin_principals;
    for (size_t i = 0; i < a->n; i++) {
        check(out, "aws.admin_principals", valid_iam_principal_arn(a->v[i], msg, sizeof(msg)), msg);
        for (size_t j = 0; j < i; j++)
            if (str_eq(a->v[i], a->v[j]))
                problems_add(out, false, "aws.admin_principals", "\"%s\" is given twice", a->v[i]);
    }
    const struct strlist *c = &p->aws.public_access_cidrs;
    if (c->n == 0)
        problems_add(out, false, "aws.public_access_cidrs",
                     "empty; give the IPv4 blocks that may reach the cluster's public API, e.g. "
                     "your office's 203.0.113.0/24 (0.0.0.0/0 for anyone)");
    bool open = false;
    for (size_t i = 0; i < c->n; i++) {
        struct cidr b;
        bool ok = cidr_parse(c->v[i], &b, msg, sizeof(msg));
        check(out, "aws.public_access_cidrs", ok, msg);
        open = open || (ok && b.prefix == 0);
    }
    if (open)
        problems_add(out, true, "aws.public_access_cidrs",
                     "0.0.0.0/0: the cluster's API endpoint is open to the whole internet (it "
                     "still needs credentials); list the addresses the installer and your admins "
                     "use instead");
}

/* Aurora's own limits on top of PostgreSQL's: names start with a letter,
 * and the master user cannot be one RDS reserves. */
static void check_rds_names(const struct profile *p, struct problems *out)
{
    static const char *const reserved[] = {"rdsadmin", "rdsrepladmin", "rds_superuser", NULL};
    const struct {
        const char *path, *v;
    } names[] = {{"database.name", p->db.name},
                 {"database.user", p->db.user},
                 {"database.plugin_database", p->db.plugin_db}};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (valid_pg_identifier(names[i].v, NULL, 0) && names[i].v[0] == '_')
            problems_add(out, false, names[i].path,
                         "\"%s\": on Aurora a name must start with a letter", names[i].v);
    if (enum_lookup(reserved, p->db.user ? p->db.user : "") >= 0)
        problems_add(out, false, "database.user", "\"%s\": a user name RDS reserves", p->db.user);
}

static void check_eks(const struct profile *p, struct problems *out)
{
    char msg[MSG_SZ];
    check(out, "aws.region", valid_aws_region(p->aws.region, msg, sizeof(msg)), msg);
    check(out, "aws.cluster_name", valid_cluster_name(p->aws.cluster_name, msg, sizeof(msg)), msg);
    check(out, "aws.kubernetes_version", valid_eks_version(p->aws.k8s_version, msg, sizeof(msg)),
          msg);

    struct cidr vpc;
    bool vpc_ok = cidr_parse(p->aws.vpc_cidr, &vpc, msg, sizeof(msg));
    check(out, "aws.vpc_cidr", vpc_ok, msg);
    if (vpc_ok && (vpc.prefix < 16 || vpc.prefix > 28))
        problems_add(out, false, "aws.vpc_cidr",
                     "\"%s\": an AWS VPC prefix length must be /16 to /28", p->aws.vpc_cidr);

    /* Every subnet: syntax, inside the VPC, no overlap with any other. */
    struct {
        const char *path;
        const struct strlist *l;
    } lists[2] = {{"aws.public_subnets", &p->aws.public_subnets},
                  {"aws.private_subnets", &p->aws.private_subnets}};
    struct cidr all[64];
    const char *all_txt[64];
    const char *all_path[64];
    size_t nall = 0;
    for (int li = 0; li < 2; li++) {
        if (lists[li].l->n != 2)
            problems_add(out, false, lists[li].path,
                         "%zu subnets given; EKS needs exactly two, in two availability zones",
                         lists[li].l->n);
        for (size_t i = 0; i < lists[li].l->n; i++) {
            const char *t = lists[li].l->v[i];
            struct cidr c;
            if (!cidr_parse(t, &c, msg, sizeof(msg))) {
                check(out, lists[li].path, false, msg);
                continue;
            }
            if (vpc_ok && !cidr_contains(&vpc, &c))
                problems_add(out, false, lists[li].path, "\"%s\" is outside the VPC %s", t,
                             p->aws.vpc_cidr);
            for (size_t j = 0; j < nall; j++)
                if (cidr_overlaps(&all[j], &c))
                    problems_add(out, false, lists[li].path, "\"%s\" overlaps %s (in %s)", t,
                                 all_txt[j], all_path[j]);
            if (nall < ARRAY_LEN(all)) {
                all[nall] = c;
                all_txt[nall] = t;
                all_path[nall] = lists[li].path;
                nall++;
            }
        }
    }

    check(out, "aws.node_type", valid_node_type(p->aws.node_type, msg, sizeof(msg)), msg);
    if (valid_node_type(p->aws.node_type, NULL, 0) && !instance_type_is_arm64(p->aws.node_type))
        problems_add(out, true, "aws.node_type",
                     "\"%s\" is not a Graviton (arm64) type; the presets assume arm64, so every "
                     "image must be multi-arch (amd64 too)",
                     p->aws.node_type);
    check_min(out, "aws.node_count", p->aws.node_count, 1, "the node count");
    check_min(out, "aws.node_min", p->aws.node_min, 1, "the node group minimum");
    check_min(out, "aws.node_max", p->aws.node_max, 1, "the node group maximum");
    if (p->aws.node_min > p->aws.node_count)
        problems_add(out, false, "aws.node_min",
                     "%d is above the node count %d; expected "
                     "node_min <= node_count <= node_max",
                     p->aws.node_min, p->aws.node_count);
    if (p->aws.node_count > p->aws.node_max)
        problems_add(out, false, "aws.node_max",
                     "%d is below the node count %d; expected "
                     "node_min <= node_count <= node_max",
                     p->aws.node_max, p->aws.node_count);
    if (p->aws.node_disk_gb < 20 || p->aws.node_disk_gb > 16384)
        problems_add(out, false, "aws.node_disk_gb",
                     "%d: expected 20-16384 GB (images need room; gp3 allows up to 16 TiB)",
                     p->aws.node_disk_gb);
    /* Empty names: Terraform derives ones unique to the account and cluster. */
    if (!str_empty(p->aws.s3_bucket))
        check(out, "aws.s3_bucket", valid_s3_bucket(p->aws.s3_bucket, msg, sizeof(msg)), msg);
    if (!str_empty(p->aws.ecr_app_repo))
        check(out, "aws.ecr_app_repository",
              valid_ecr_repository(p->aws.ecr_app_repo, msg, sizeof(msg)), msg);
    if (!str_empty(p->aws.ecr_plugin_repo))
        check(out, "aws.ecr_plugin_repository",
              valid_ecr_repository(p->aws.ecr_plugin_repo, msg, sizeof(msg)), msg);
    check_eks_access(p, out);

    check(out, "database.engine_version", valid_major_minor(p->db.engine_version, msg, sizeof(msg)),
          msg);
    bool acu_min = valid_acu(p->db.acu_min, false, msg, sizeof(msg));
    check(out, "database.acu_min", acu_min, msg);
    bool acu_max = valid_acu(p->db.acu_max, true, msg, sizeof(msg));
    check(out, "database.acu_max", acu_max, msg);
    if (acu_min && acu_max && p->db.acu_min > p->db.acu_max)
        problems_add(out, false, "database.acu_min", "ACU minimum %g is above the maximum %g",
                     p->db.acu_min, p->db.acu_max);
    check_min(out, "database.instances", p->db.instances, 1, "the Aurora instance count");
    if (p->db.instances > 16)
        problems_add(out, false, "database.instances",
                     "%d: an Aurora cluster has at most 16 instances (a writer and 15 readers)",
                     p->db.instances);
    check_rds_names(p, out);
    check(out, "redis.engine_version", valid_major_minor(p->redis.engine_version, msg, sizeof(msg)),
          msg);
    check(out, "redis.node_type", valid_cache_node_type(p->redis.node_type, msg, sizeof(msg)), msg);
    if (p->vector.kind == VECTOR_OPENSEARCH) {
        check(out, "vector.engine_version",
              valid_major_minor(p->vector.engine_version, msg, sizeof(msg)), msg);
        check(out, "vector.instance_type",
              valid_search_instance_type(p->vector.instance_type, msg, sizeof(msg)), msg);
        int n = p->vector.instance_count;
        check_min(out, "vector.instance_count", n, 1, "the OpenSearch node count");
        /* More than one node spreads over the stack's two zones, which AWS
         * accepts only with an even count (assets/terraform/opensearch.tf). */
        if (n > 80)
            problems_add(out, false, "vector.instance_count",
                         "%d: an OpenSearch domain has at most 80 data nodes", n);
        else if (n > 1 && n % 2)
            problems_add(out, false, "vector.instance_count",
                         "%d: more than one OpenSearch node spreads over two zones, which needs "
                         "an even count; use 1 or %d",
                         n, n + 1);
    }
    if (p->storage.kind == STORAGE_S3 && p->storage.auth == S3_AUTH_IRSA && !p->aws.irsa)
        problems_add(out, false, "storage.auth",
                     "irsa needs aws.irsa: true (IRSA cannot work without the cluster's OIDC "
                     "provider); set aws.irsa: true or storage.auth: keys");
}

static void check_resources(const struct profile *p, struct problems *out)
{
    char msg[MSG_SZ], path[96];
    for (int c = 0; c < COMP__COUNT; c++) {
        const char *name = component_names[c];
        const struct resources *r = &p->comp[c].res;
        snprintf(path, sizeof(path), "components.%s.replicas", name);
        if (c == COMP_BEAT) {
            if (p->comp[c].replicas != 1)
                problems_add(out, false, path,
                             "%d: beat schedules periodic tasks and must run exactly 1 replica "
                             "(a second one would run every task twice)",
                             p->comp[c].replicas);
        } else {
            check_min(out, path, p->comp[c].replicas, 1, "the replica count");
        }
        struct {
            const char *key, *v;
            bool cpu;
        } q[4] = {{"cpu_request", r->cpu_request, true},
                  {"memory_request", r->mem_request, false},
                  {"cpu_limit", r->cpu_limit, true},
                  {"memory_limit", r->mem_limit, false}};
        bool ok[4];
        for (int i = 0; i < 4; i++) {
            snprintf(path, sizeof(path), "components.%s.%s", name, q[i].key);
            ok[i] = valid_k8s_quantity(q[i].v, q[i].cpu, msg, sizeof(msg));
            check(out, path, ok[i], msg);
        }
        for (int i = 0; i < 2; i++) {
            if (!ok[i] || !ok[i + 2])
                continue;
            if (k8s_quantity_value(q[i].v, q[i].cpu) >
                k8s_quantity_value(q[i + 2].v, q[i].cpu) * 1.0000001) {
                snprintf(path, sizeof(path), "components.%s.%s", name, q[i].key);
                problems_add(out, false, path,
                             "\"%s\" is above the limit \"%s\"; a request "
                             "must not exceed its limit",
                             q[i].v, q[i + 2].v);
            }
        }
    }
}

static void check_extra_files(const struct profile *p, struct problems *out)
{
    char msg[MSG_SZ], path[96];
    for (size_t i = 0; i < p->n_extra_files; i++) {
        const struct extra_file *x = &p->extra_files[i];
        snprintf(path, sizeof(path), "extra_files[%zu].source", i);
        struct stat st;
        if (str_empty(x->source))
            problems_add(out, false, path, "empty; expected the path of a local file");
        else if (stat(x->source, &st) < 0)
            problems_add(out, false, path, "\"%s\": %s", x->source, strerror(errno));
        else if (!S_ISREG(st.st_mode))
            problems_add(out, false, path, "\"%s\": not a regular file", x->source);
        else if (st.st_size >= EXTRA_FILE_MAX)
            problems_add(out, false, path, "\"%s\": %lld bytes; a ConfigMap holds less than 1 MiB",
                         x->source, (long long)st.st_size);
        snprintf(path, sizeof(path), "extra_files[%zu].configmap", i);
        check(out, path, valid_dns_subdomain(x->configmap, msg, sizeof(msg)), msg);
        snprintf(path, sizeof(path), "extra_files[%zu].key", i);
        bool key_ok = !str_empty(x->key) && strlen(x->key) <= 253 && strcmp(x->key, ".") &&
                      strcmp(x->key, "..");
        for (const char *c = x->key; key_ok && *c; c++)
            if (!isalnum((unsigned char)*c) && !strchr("-_.", *c))
                key_ok = false;
        if (!key_ok)
            problems_add(out, false, path,
                         "\"%s\": a ConfigMap key uses only A-Z, a-z, 0-9, '-', '_' and '.' "
                         "(at most 253), e.g. prompts.py",
                         x->key ? x->key : "");
        snprintf(path, sizeof(path), "extra_files[%zu].mount_path", i);
        if (str_empty(x->mount_path) || x->mount_path[0] != '/')
            problems_add(out, false, path,
                         "\"%s\": expected an absolute path in the container, e.g. "
                         "/app/api/core/llm_generator/prompts.py",
                         x->mount_path ? x->mount_path : "");
        else if (strchr(x->mount_path, ':') || str_ends_with(x->mount_path, "/"))
            problems_add(out, false, path, "\"%s\": must name a file (no trailing '/' and no ':')",
                         x->mount_path);
        if (!x->api && !x->worker) {
            snprintf(path, sizeof(path), "extra_files[%zu]", i);
            problems_add(out, false, path, "mounted nowhere; set api: true and/or worker: true");
        }
        for (size_t j = 0; j < i; j++)
            if (str_eq(p->extra_files[j].mount_path, x->mount_path) &&
                ((x->api && p->extra_files[j].api) || (x->worker && p->extra_files[j].worker))) {
                snprintf(path, sizeof(path), "extra_files[%zu].mount_path", i);
                problems_add(out, false, path, "\"%s\" is already mounted by extra_files[%zu]",
                             x->mount_path, j);
            }
    }
}

/* A password that breaks a postgres:// URI unless percent-encoded. Dify builds
 * its SQLAlchemy URI by pasting DB_PASSWORD in unescaped, so these are refused. */
static const char *const PG_URI_BAD = "@:/?#[]%\"'\\ ";

static void check_secrets(const struct profile *p, const struct secrets *s, struct problems *out)
{
    char msg[MSG_SZ];
    if (!str_empty(s->secret_key) &&
        !valid_secret_len(s->secret_key, SECRET_KEY_MIN, msg, sizeof(msg)))
        problems_add(out, false, "secrets.secret_key", "SECRET_KEY is %s", msg);
    if (!str_empty(s->db_password)) {
        bool pw_ok = valid_secret_len(s->db_password, DB_PASSWORD_MIN, msg, sizeof(msg));
        if (!pw_ok)
            problems_add(out, false, "secrets.db_password", "the database password is %s", msg);
        for (const char *c = s->db_password; *c; c++)
            if (strchr(PG_URI_BAD, *c) || (unsigned char)*c < 0x20) {
                problems_add(out, false, "secrets.db_password",
                             "contains a character that breaks a postgresql:// URI (one of "
                             "@ : / ? # [ ] %% \" ' \\, space or a control character); use "
                             "letters, digits and - _ . ~ ! * + = , ;");
                pw_ok = false;
                break;
            }
        /* On EKS, RDS's rule too (the db_password variable's validation). */
        if (pw_ok && p->target == TARGET_EKS &&
            !valid_rds_password(s->db_password, msg, sizeof(msg)))
            problems_add(out, false, "secrets.db_password", "the database password: %s", msg);
    }
    /* On EKS the Redis password is the ElastiCache AUTH token
     * (redis_auth_token's validation). */
    if (p->target == TARGET_EKS && !str_empty(s->redis_password) &&
        !valid_redis_auth_token(s->redis_password, msg, sizeof(msg)))
        problems_add(out, false, "secrets.redis_password", "the Redis password (AUTH token): %s",
                     msg);
    const char *gen[] = {s->plugin_daemon_key, s->inner_api_key, s->sandbox_key, s->redis_password};
    const char *genk[] = {"secrets.plugin_daemon_key", "secrets.inner_api_key",
                          "secrets.sandbox_key", "secrets.redis_password"};
    for (size_t i = 0; i < ARRAY_LEN(gen); i++)
        if (!str_empty(gen[i]) && i < 3 && !valid_secret_len(gen[i], 32, msg, sizeof(msg)))
            problems_add(out, false, genk[i], "%s (a generated key has at least 32)", msg);
    if (p->storage.kind == STORAGE_S3 && p->storage.auth == S3_AUTH_KEYS) {
        if (str_empty(s->s3_access_key))
            problems_add(out, false, "secrets.s3_access_key",
                         "storage.auth is keys but no S3 access key is set; put s3_access_key "
                         "in the secrets file or DIFY_S3_ACCESS_KEY in the environment");
        if (str_empty(s->s3_secret_key))
            problems_add(out, false, "secrets.s3_secret_key",
                         "storage.auth is keys but no S3 secret key is set; put s3_secret_key "
                         "in the secrets file or DIFY_S3_SECRET_KEY in the environment");
    }
}

void profile_validate(const struct profile *p, const struct secrets *s, struct problems *out)
{
    char msg[MSG_SZ];
    bool eks = p->target == TARGET_EKS;
    bool ee = p->edition == EDITION_ENTERPRISE;

    if (p->version != PROFILE_VERSION)
        problems_add(out, false, "version", "%d: this program reads version %d", p->version,
                     PROFILE_VERSION);
    /* Edition/target/method combinations. */
    if (ee && p->method == METHOD_MANIFESTS)
        problems_add(out, false, "method",
                     "manifests cannot install the enterprise edition: Dify EE is shipped only "
                     "as a Helm chart; use method: helm");
    if (ee && !eks)
        problems_add(out, true, "edition",
                     "enterprise on an existing cluster: the plugin connector's ECR and IRSA "
                     "settings cannot be derived and need manual values in the chart");

    check_label_field(out, "release", p->release);
    check_label_field(out, "namespace", p->namespace);
    if (str_empty(p->image_tag))
        problems_add(out, false, "image_tag", "empty; expected an image tag such as 1.14.2");
    else {
        bool ok = strlen(p->image_tag) <= 128 && p->image_tag[0] != '.' && p->image_tag[0] != '-';
        for (const char *c = p->image_tag; ok && *c; c++)
            if (!isalnum((unsigned char)*c) && !strchr("_.-", *c))
                ok = false;
        if (!ok)
            problems_add(out, false, "image_tag",
                         "\"%s\": an image tag uses A-Z, a-z, 0-9, '_', '.', '-' (at most 128, "
                         "not starting with '.' or '-')",
                         p->image_tag);
    }
    render_check(p, out); /* the image set is one release; the chart's keys are known */
    if (p->method == METHOD_HELM) {
        if (str_empty(p->helm.chart))
            problems_add(out, false, "helm.chart", "empty; expected a chart such as dify/dify");
        if (str_empty(p->helm.version))
            problems_add(out, false, "helm.version",
                         "empty; pin a chart version so installs are repeatable");
        if (!str_empty(p->helm.repo_url) && !str_starts_with(p->helm.repo_url, "https://") &&
            !str_starts_with(p->helm.repo_url, "http://") &&
            !str_starts_with(p->helm.repo_url, "oci://"))
            problems_add(out, false, "helm.repo_url",
                         "\"%s\": expected an https://, http:// or oci:// URL", p->helm.repo_url);
    }

    if (eks) {
        check_eks(p, out);
    } else {
        if (str_empty(p->db.host))
            problems_add(out, false, "database.host",
                         "empty; an existing cluster needs an external PostgreSQL host");
        if (str_empty(p->redis.host))
            problems_add(out, false, "redis.host",
                         "empty; an existing cluster needs an external Redis host");
        if (p->storage.kind == STORAGE_S3 && p->storage.auth == S3_AUTH_IRSA)
            problems_add(out, false, "storage.auth",
                         "irsa works only on the EKS target (it needs the cluster's OIDC "
                         "provider made by Terraform); use storage.auth: keys");
        if (p->vector.kind == VECTOR_OPENSEARCH && str_empty(p->vector.host))
            problems_add(out, false, "vector.host",
                         "empty; an existing cluster needs the OpenSearch endpoint");
    }
    if (!eks && p->vector.kind != VECTOR_PGVECTOR && p->vector.kind != VECTOR_OPENSEARCH &&
        str_empty(p->vector.host))
        problems_add(out, false, "vector.host", "empty; the %s vector store needs a host or URI",
                     vector_names[p->vector.kind]);
    if (!str_empty(p->cluster.storage_class))
        check(out, "cluster.storage_class",
              valid_dns_subdomain(p->cluster.storage_class, msg, sizeof(msg)), msg);
    if (!str_empty(p->cluster.ingress_class))
        check(out, "cluster.ingress_class",
              valid_dns_subdomain(p->cluster.ingress_class, msg, sizeof(msg)), msg);

    /* Database. */
    if (!str_empty(p->db.host) && strpbrk(p->db.host, " /@:"))
        problems_add(out, false, "database.host",
                     "\"%s\": expected a host name or IP address only (the port is "
                     "database.port)",
                     p->db.host);
    check_port(out, "database.port", p->db.port);
    check(out, "database.name", valid_pg_identifier(p->db.name, msg, sizeof(msg)), msg);
    check(out, "database.user", valid_pg_identifier(p->db.user, msg, sizeof(msg)), msg);
    check(out, "database.plugin_database", valid_pg_identifier(p->db.plugin_db, msg, sizeof(msg)),
          msg);
    if (str_eq(p->db.name, p->db.plugin_db))
        problems_add(out, false, "database.plugin_database",
                     "\"%s\" is also the main database; the plugin daemon needs its own "
                     "database, e.g. dify_plugin",
                     p->db.plugin_db);
    if (!str_eq(p->db.sslmode, "disable") && !str_eq(p->db.sslmode, "require") &&
        !str_eq(p->db.sslmode, "verify-ca") && !str_eq(p->db.sslmode, "verify-full") &&
        !str_eq(p->db.sslmode, "prefer") && !str_eq(p->db.sslmode, "allow"))
        problems_add(out, false, "database.sslmode",
                     "\"%s\": expected disable, allow, prefer, require, verify-ca or verify-full",
                     p->db.sslmode ? p->db.sslmode : "");

    /* Redis, vector store. */
    if (!str_empty(p->redis.host) && strpbrk(p->redis.host, " /@:"))
        problems_add(out, false, "redis.host",
                     "\"%s\": expected a host name or IP address only (the port is redis.port)",
                     p->redis.host);
    check_port(out, "redis.port", p->redis.port);
    check_port(out, "vector.port", p->vector.port);

    /* Storage. */
    if (p->storage.kind == STORAGE_S3) {
        /* Empty on EKS: the bucket Terraform creates, named by its output. */
        if (!eks || !str_empty(p->storage.bucket))
            check(out, "storage.bucket", valid_s3_bucket(p->storage.bucket, msg, sizeof(msg)), msg);
        if (str_empty(p->storage.endpoint))
            check(out, "storage.region", valid_aws_region(p->storage.region, msg, sizeof(msg)),
                  msg);
        else if (!str_starts_with(p->storage.endpoint, "https://") &&
                 !str_starts_with(p->storage.endpoint, "http://"))
            problems_add(out, false, "storage.endpoint",
                         "\"%s\": expected an http:// or https:// URL of the S3-compatible store",
                         p->storage.endpoint);
        if (eks && p->storage.auth == S3_AUTH_IRSA && !str_empty(p->storage.bucket) &&
            !str_eq(p->storage.bucket, p->aws.s3_bucket))
            problems_add(out, true, "storage.bucket",
                         "\"%s\" differs from the bucket Terraform creates (aws.s3_bucket \"%s\", "
                         "empty: <cluster>-<account id>-<region>), the only one the IRSA role "
                         "grants; leave storage.bucket empty to use it",
                         p->storage.bucket, p->aws.s3_bucket);
    } /* local storage: render_check() knows the volumes' access modes */

    /* Domains. */
    check(out, "domains.web_host", valid_hostname(p->domains.web_host, msg, sizeof(msg)), msg);
    if (p->domains.split) {
        if (str_empty(p->domains.api_host))
            problems_add(out, false, "domains.api_host",
                         "empty; with domains.split the api needs its own host, e.g. "
                         "api.example.com");
        else {
            check(out, "domains.api_host", valid_hostname(p->domains.api_host, msg, sizeof(msg)),
                  msg);
            if (str_eq(p->domains.api_host, p->domains.web_host))
                problems_add(out, false, "domains.api_host",
                             "\"%s\" is also the web host; with domains.split they must differ "
                             "(or set domains.split: false)",
                             p->domains.api_host);
        }
    } else if (!str_empty(p->domains.api_host)) {
        problems_add(out, true, "domains.api_host",
                     "ignored: domains.split is false, so the api is served on the web host");
    }
    if (!str_empty(p->domains.tls_secret))
        check(out, "domains.tls_secret",
              valid_dns_subdomain(p->domains.tls_secret, msg, sizeof(msg)), msg);

    /* Migration and rollout. */
    if (p->migration.backoff_limit < 0)
        problems_add(out, false, "migration.backoff_limit", "%d: expected 0 or more",
                     p->migration.backoff_limit);
    if (p->migration.ttl_seconds < 0)
        problems_add(out, false, "migration.ttl_seconds", "%d: expected 0 or more seconds",
                     p->migration.ttl_seconds);
    bool su = valid_surge(p->rollout.max_surge, msg, sizeof(msg));
    check(out, "rollout.max_surge", su, msg);
    bool un = valid_surge(p->rollout.max_unavailable, msg, sizeof(msg));
    check(out, "rollout.max_unavailable", un, msg);
    if (su && un && surge_is_zero(p->rollout.max_surge) &&
        surge_is_zero(p->rollout.max_unavailable))
        problems_add(out, false, "rollout.max_surge",
                     "maxSurge and maxUnavailable are both zero, so a rollout could never make "
                     "progress; set max_surge to 1 or more");
    if (p->rollout.readiness_delay < 0 || p->rollout.readiness_delay > 3600)
        problems_add(out, false, "rollout.readiness_delay", "%d: expected 0-3600 seconds",
                     p->rollout.readiness_delay);

    /* Bastion. */
    if (p->bastion.enabled) {
        if (str_empty(p->bastion.host))
            problems_add(out, false, "bastion.host", "empty; the bastion needs an SSH host");
        check_port(out, "bastion.port", p->bastion.port);
        if (str_empty(p->bastion.user))
            problems_add(out, false, "bastion.user", "empty; the bastion needs an SSH user");
        if (str_empty(p->bastion.key_path))
            problems_add(out, false, "bastion.key_path",
                         "empty; give the private key file for the bastion");
        if (str_empty(p->bastion.known_hosts))
            problems_add(out, false, "bastion.known_hosts",
                         "empty; give a known_hosts file holding the bastion's host key (host "
                         "keys are never accepted blindly)");
    }

    check_resources(p, out);
    check_extra_files(p, out);
    if (s)
        check_secrets(p, s, out);
}
