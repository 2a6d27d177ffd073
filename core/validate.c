/* core/validate.c: the profile's rules. Each field's own rule is on its
 * descriptor (profile_fields[], core/profile.c: a grammar from core/rules.c,
 * a range, whether it may be empty and when it applies); profile_field_check
 * applies it, and profile_validate applies it to every field and then the
 * rules that tie fields together (subnets inside the VPC, requests below
 * limits, hosts that must differ) and the ones that look at files (extra
 * files, the kubeconfig). The wizard, Review, `validate` and `render` all
 * call profile_validate, so they cannot disagree. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/kubeconfig.h"
#include "core/error.h"
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

/* ---- one field ---- */

static bool check_string(const struct field_desc *f, const char *v, bool applies, char *msg,
                         size_t msgsz)
{
    if (str_empty(v)) {
        if (!applies || f->optional)
            return true;
        if (f->need) {
            snprintf(msg, msgsz, "empty; %s", f->need);
            return false;
        }
        return f->rule ? f->rule("", msg, msgsz) : true;
    }
    if (!valid_safe_text(v, msg, msgsz))
        return false;
    return !f->rule || f->rule(v, msg, msgsz);
}

bool profile_field_check(const struct profile *p, const struct field_desc *f, char *msg,
                         size_t msgsz)
{
    const void *ptr = (const char *)p + f->offset;
    bool applies = profile_field_applies(p, f);
    switch (f->type) {
    case FT_STRING:
        return check_string(f, *(char *const *)ptr, applies, msg, msgsz);
    case FT_STRLIST: {
        const struct strlist *l = ptr;
        for (size_t i = 0; i < l->n; i++)
            if (!check_string(f, l->v[i], applies, msg, msgsz))
                return false;
        return true;
    }
    case FT_INT: {
        int v = *(const int *)ptr;
        bool port = f->min == 1 && f->max == 65535;
        if (v >= f->min && (f->max == 0 || v <= f->max))
            return true;
        if (port)
            snprintf(msg, msgsz, "%d: a port must be 1-65535", v);
        else if (f->max)
            snprintf(msg, msgsz, "%d: expected %d to %d", v, f->min, f->max);
        else
            snprintf(msg, msgsz, "%d: expected %d or more", v, f->min);
        return false;
    }
    case FT_DOUBLE:
    case FT_BOOL:
    case FT_ENUM:
        return true; /* typed by the loader; ranges are profile-wide rules */
    }
    return true;
}

/* ---- rules that tie fields together ---- */

/* Who may administer the cluster and reach its public API endpoint (each
 * item's grammar is the field's rule). */
static void check_eks_access(const struct profile *p, struct problems *out)
{
    const struct strlist *a = &p->aws.admin_principals;
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < i; j++)
            if (str_eq(a->v[i], a->v[j]))
                problems_add(out, false, "aws.admin_principals", "\"%s\" is given twice", a->v[i]);
    const struct strlist *c = &p->aws.public_access_cidrs;
    if (c->n == 0)
        problems_add(out, false, "aws.public_access_cidrs",
                     "empty; give the IPv4 blocks that may reach the cluster's public API, e.g. "
                     "your office's 203.0.113.0/24 (0.0.0.0/0 for anyone)");
    bool open = false;
    for (size_t i = 0; i < c->n; i++) {
        struct cidr b;
        open = open || (cidr_parse(c->v[i], &b, NULL, 0) && b.prefix == 0);
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

/* Subnets: two of each kind, inside the VPC, none overlapping another. */
static void check_subnets(const struct profile *p, struct problems *out)
{
    struct cidr vpc;
    bool vpc_ok = cidr_parse(p->aws.vpc_cidr, &vpc, NULL, 0);
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
            if (!cidr_parse(t, &c, NULL, 0))
                continue; /* the field's rule said why */
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
}

static void check_eks(const struct profile *p, struct problems *out)
{
    char msg[MSG_SZ];
    check_subnets(p, out);
    check_eks_access(p, out);
    check_rds_names(p, out);
    if (valid_node_type(p->aws.node_type, NULL, 0) && !instance_type_is_arm64(p->aws.node_type))
        problems_add(out, true, "aws.node_type",
                     "\"%s\" is not a Graviton (arm64) type; the presets assume arm64, so every "
                     "image must be multi-arch (amd64 too)",
                     p->aws.node_type);
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
    bool acu_min = valid_acu(p->db.acu_min, false, msg, sizeof(msg));
    check(out, "database.acu_min", acu_min, msg);
    bool acu_max = valid_acu(p->db.acu_max, true, msg, sizeof(msg));
    check(out, "database.acu_max", acu_max, msg);
    if (acu_min && acu_max && p->db.acu_min > p->db.acu_max)
        problems_add(out, false, "database.acu_min", "ACU minimum %g is above the maximum %g",
                     p->db.acu_min, p->db.acu_max);
    if (p->vector.kind == VECTOR_OPENSEARCH) {
        /* More than one node spreads over the stack's two zones, which AWS
         * accepts only with an even count (assets/terraform/opensearch.tf). */
        int n = p->vector.instance_count;
        if (n > 1 && n <= 80 && n % 2)
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

/* The kubeconfig and context the install will use, as kubectl finds them. */
static void check_kubeconfig(const struct profile *p, struct problems *out)
{
    const char *kc = p->cluster.kubeconfig, *ctx = p->cluster.context;
    char msg[MSG_SZ];
    if ((!str_empty(kc) && !valid_safe_text(kc, msg, sizeof(msg))) ||
        (!str_empty(ctx) && !valid_safe_text(ctx, msg, sizeof(msg))))
        return; /* the field's rule said why */
    const char *env = getenv("KUBECONFIG");
    const char *home = getenv("HOME");
    if (str_empty(kc) && str_empty(env)) {
        char *def = home ? path_join(home, ".kube/config") : NULL;
        bool have = def && access(def, F_OK) == 0;
        free(def);
        if (!have) {
            if (!str_empty(ctx))
                problems_add(out, false, "cluster.context",
                             "context \"%s\" is named, but there is no kubeconfig: "
                             "cluster.kubeconfig is empty, $KUBECONFIG is unset and "
                             "~/.kube/config does not exist",
                             ctx);
            else
                problems_add(out, true, "cluster.kubeconfig",
                             "no kubeconfig here ($KUBECONFIG is unset and ~/.kube/config does "
                             "not exist); the install needs one to reach the cluster");
            return;
        }
    }
    struct kube_config *cfg = NULL;
    struct error err;
    error_clear(&err);
    if (kubeconfig_load_env(str_empty(kc) ? NULL : kc, str_empty(ctx) ? NULL : ctx, NULL, &cfg,
                            &err) < 0) {
        bool about_ctx = !str_empty(ctx) && strstr(err.msg, "context");
        problems_add(out, false, about_ctx ? "cluster.context" : "cluster.kubeconfig", "%s",
                     err.msg);
        return;
    }
    kube_config_free(cfg);
}

/* Beat runs once; a request never above its limit (quantities compared in
 * base units, so 1Gi and 1024Mi are equal). */
static void check_resources(const struct profile *p, struct problems *out)
{
    char path[96];
    for (int c = 0; c < COMP__COUNT; c++) {
        const char *name = component_names[c];
        const struct resources *r = &p->comp[c].res;
        if (c == COMP_BEAT && p->comp[c].replicas > 1) {
            snprintf(path, sizeof(path), "components.%s.replicas", name);
            problems_add(out, false, path,
                         "%d: beat schedules periodic tasks and must run exactly 1 replica "
                         "(a second one would run every task twice)",
                         p->comp[c].replicas);
        }
        struct {
            const char *key, *v;
            bool cpu;
        } q[4] = {{"cpu_request", r->cpu_request, true},
                  {"memory_request", r->mem_request, false},
                  {"cpu_limit", r->cpu_limit, true},
                  {"memory_limit", r->mem_limit, false}};
        for (int i = 0; i < 2; i++) {
            if (!valid_k8s_quantity(q[i].v, q[i].cpu, NULL, 0) ||
                !valid_k8s_quantity(q[i + 2].v, q[i].cpu, NULL, 0))
                continue; /* the field's rule said why */
            if (k8s_quantity_value(q[i].v, q[i].cpu) >
                k8s_quantity_value(q[i + 2].v, q[i].cpu) * 1.0000001) {
                snprintf(path, sizeof(path), "components.%s.%s", name, q[i + 2].key);
                problems_add(out, false, path,
                             "\"%s\" is below the request \"%s\"; Kubernetes refuses a limit "
                             "below its request",
                             q[i + 2].v, q[i].v);
            }
        }
    }
}

/* The source of an extra file: a regular file under 1 MiB of UTF-8 text,
 * since it goes into a ConfigMap's data (render reads it the same way). */
static void check_extra_source(const char *path, const char *src, struct problems *out)
{
    char msg[MSG_SZ];
    struct stat st;
    if (str_empty(src)) {
        problems_add(out, false, path, "empty; expected the path of a local file");
        return;
    }
    if (!valid_safe_text(src, msg, sizeof(msg))) {
        problems_add(out, false, path, "%s", msg);
        return;
    }
    if (stat(src, &st) < 0) {
        problems_add(out, false, path, "\"%s\": %s", src, strerror(errno));
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        problems_add(out, false, path, "\"%s\": not a regular file", src);
        return;
    }
    if (st.st_size >= EXTRA_FILE_MAX) {
        problems_add(out, false, path, "\"%s\": %lld bytes; a ConfigMap holds less than 1 MiB", src,
                     (long long)st.st_size);
        return;
    }
    char *data = NULL;
    size_t len = 0, bad = 0;
    struct error err;
    error_clear(&err);
    if (file_read_all(src, EXTRA_FILE_MAX, &data, &len, &err) < 0) {
        problems_add(out, false, path, "%s", err.msg);
        return;
    }
    if (!text_is_utf8(data, len, &bad))
        problems_add(out, false, path,
                     "\"%s\" is not a text file (byte %zu is %s); a ConfigMap's data holds "
                     "UTF-8 text",
                     src, bad + 1, data[bad] ? "not UTF-8" : "a NUL");
    free(data);
}

static void check_extra_files(const struct profile *p, struct problems *out)
{
    char msg[MSG_SZ], path[96];
    for (size_t i = 0; i < p->n_extra_files; i++) {
        const struct extra_file *x = &p->extra_files[i];
        snprintf(path, sizeof(path), "extra_files[%zu].source", i);
        check_extra_source(path, x->source, out);
        snprintf(path, sizeof(path), "extra_files[%zu].configmap", i);
        check(out, path, valid_dns_subdomain(x->configmap, msg, sizeof(msg)), msg);
        snprintf(path, sizeof(path), "extra_files[%zu].key", i);
        if (str_empty(x->key))
            problems_add(out, false, path, "empty; expected a ConfigMap key such as prompts.py");
        bool key_ok = str_empty(x->key) ||
                      (strlen(x->key) <= 253 && strcmp(x->key, ".") && strcmp(x->key, ".."));
        for (const char *c = x->key; key_ok && *c; c++)
            if (!isalnum((unsigned char)*c) && !strchr("-_.", *c))
                key_ok = false;
        if (!key_ok)
            problems_add(out, false, path,
                         "\"%s\": a ConfigMap key uses only A-Z, a-z, 0-9, '-', '_' and '.' "
                         "(at most 253), e.g. prompts.py",
                         x->key ? x->key : "");
        snprintf(path, sizeof(path), "extra_files[%zu].mount_path", i);
        if (str_empty(x->mount_path))
            problems_add(out, false, path,
                         "empty; expected an absolute path in the container, e.g. "
                         "/app/api/core/llm_generator/prompts.py");
        else if (!valid_safe_text(x->mount_path, msg, sizeof(msg)))
            problems_add(out, false, path, "%s", msg);
        else if (x->mount_path[0] != '/')
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

/* The secrets only their user can give: the password of a database or Redis
 * they run (never invented: the rendered files would log in with a password
 * the server does not know) and S3 keys. "none" says the server asks for no
 * password; then one given would be a contradiction. */
static void check_needed_secrets(const struct profile *p, const struct secrets *s,
                                 struct problems *out)
{
    const struct {
        const char *key, *env, *what, *auth_key;
        const char *host;
        enum store_auth auth;
    } stores[] = {
        {"db_password", "DIFY_DB_PASSWORD", "PostgreSQL", "database.auth", p->db.host, p->db.auth},
        {"redis_password", "DIFY_REDIS_PASSWORD", "Redis", "redis.auth", p->redis.host,
         p->redis.auth},
    };
    bool existing = p->target == TARGET_EXISTING;
    for (size_t i = 0; existing && i < ARRAY_LEN(stores); i++) {
        const char *v = *secrets_field_ptr((struct secrets *)s, secret_field_find(stores[i].key));
        char path[64];
        snprintf(path, sizeof(path), "secrets.%s", stores[i].key);
        if (stores[i].auth == AUTH_NONE && !str_empty(v))
            problems_add(out, false, path,
                         "%s is none, yet a %s is given; remove the one that is wrong",
                         stores[i].auth_key, stores[i].key);
        else if (stores[i].auth == AUTH_PASSWORD && str_empty(v))
            problems_add(out, false, path,
                         "the %s at %s is yours, so its password is not made up here: put %s in "
                         "the secrets file or %s in the environment, or set %s: none if it asks "
                         "for no password",
                         stores[i].what,
                         str_empty(stores[i].host) ? "(no host yet)" : stores[i].host,
                         stores[i].key, stores[i].env, stores[i].auth_key);
    }
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
    check_needed_secrets(p, s, out);
}

/* Combinations of edition, target and method. */
static void check_choices(const struct profile *p, struct problems *out)
{
    bool eks = p->target == TARGET_EKS;
    bool ee = p->edition == EDITION_ENTERPRISE;
    if (p->version != PROFILE_VERSION)
        problems_add(out, false, "version", "%d: this program reads version %d", p->version,
                     PROFILE_VERSION);
    if (ee && p->method == METHOD_MANIFESTS)
        problems_add(out, false, "method",
                     "manifests cannot install the enterprise edition: Dify EE is shipped only "
                     "as a Helm chart; use method: helm");
    if (ee && !eks)
        problems_add(out, true, "edition",
                     "enterprise on an existing cluster: the plugin connector's ECR and IRSA "
                     "settings cannot be derived and need manual values in the chart");
    if (!eks && p->storage.kind == STORAGE_S3 && p->storage.auth == S3_AUTH_IRSA)
        problems_add(out, false, "storage.auth",
                     "irsa works only on the EKS target (it needs the cluster's OIDC "
                     "provider made by Terraform); use storage.auth: keys");
}

static void check_data_and_hosts(const struct profile *p, struct problems *out)
{
    char msg[MSG_SZ];
    bool eks = p->target == TARGET_EKS;
    if (str_eq(p->db.name, p->db.plugin_db))
        problems_add(out, false, "database.plugin_database",
                     "\"%s\" is also the main database; the plugin daemon needs its own "
                     "database, e.g. dify_plugin",
                     p->db.plugin_db);
    if (p->storage.kind == STORAGE_S3) {
        /* Empty on EKS: the bucket Terraform creates, named by its output. */
        if (!eks && str_empty(p->storage.bucket))
            problems_add(out, false, "storage.bucket",
                         "empty; expected the S3 bucket name such as dify-storage");
        /* AWS S3 takes one of AWS's regions; a compatible store names its own. */
        if (str_empty(p->storage.endpoint) && !str_empty(p->storage.region) &&
            valid_region_name(p->storage.region, NULL, 0))
            check(out, "storage.region", valid_aws_region(p->storage.region, msg, sizeof(msg)),
                  msg);
        if (eks && p->storage.auth == S3_AUTH_IRSA && !str_empty(p->storage.bucket) &&
            !str_eq(p->storage.bucket, p->aws.s3_bucket))
            problems_add(out, true, "storage.bucket",
                         "\"%s\" differs from the bucket Terraform creates (aws.s3_bucket \"%s\", "
                         "empty: <cluster>-<account id>-<region>), the only one the IRSA role "
                         "grants; leave storage.bucket empty to use it",
                         p->storage.bucket, p->aws.s3_bucket);
    } /* local storage: render_check() knows the volumes' access modes */
    if (p->domains.split) {
        if (!str_empty(p->domains.api_host) && str_eq(p->domains.api_host, p->domains.web_host))
            problems_add(out, false, "domains.api_host",
                         "\"%s\" is also the web host; with domains.split they must differ "
                         "(or set domains.split: false)",
                         p->domains.api_host);
    } else if (!str_empty(p->domains.api_host)) {
        problems_add(out, true, "domains.api_host",
                     "ignored: domains.split is false, so the api is served on the web host");
    }
    if (valid_max_surge(p->rollout.max_surge, NULL, 0) &&
        valid_max_unavailable(p->rollout.max_unavailable, NULL, 0) &&
        surge_is_zero(p->rollout.max_surge) && surge_is_zero(p->rollout.max_unavailable))
        problems_add(out, false, "rollout.max_surge",
                     "maxSurge and maxUnavailable are both zero, so a rollout could never make "
                     "progress (Kubernetes refuses it); set max_surge to 1 or more");
}

/* A host nobody can reach: RFC 2606 and RFC 6761 reserve example.com/.net/
 * .org and the .example, .test, .invalid and .localhost names for
 * documentation and tests. */
static bool host_is_placeholder(const char *h)
{
    static const char *const names[] = {"example.com", "example.net", "example.org", NULL};
    static const char *const tlds[] = {"example", "test", "invalid", "localhost", NULL};
    if (str_empty(h))
        return false;
    for (int i = 0; names[i]; i++) {
        size_t n = strlen(names[i]), l = strlen(h);
        if (str_eq(h, names[i]) || (l > n && h[l - n - 1] == '.' && str_ends_with(h, names[i])))
            return true;
    }
    const char *dot = strrchr(h, '.');
    return dot && enum_lookup(tlds, dot + 1) >= 0;
}

/* A host only a private network resolves (.internal, .local, .lan, ...):
 * plain http there is the operator's choice, not an exposure. */
static bool host_is_private(const char *h)
{
    static const char *const words[] = {"internal", "local", "lan",  "intranet",
                                        "corp",     "home",  "priv", NULL};
    char *copy = xstrdup(h ? h : "");
    bool priv = str_ends_with(copy, ".home.arpa");
    char *save = NULL;
    for (char *t = strtok_r(copy, ".", &save); t && !priv; t = strtok_r(NULL, ".", &save))
        priv = enum_lookup(words, t) >= 0;
    free(copy);
    return priv;
}

/* Defaults that cannot be used as they are: a documentation host name, a
 * shipped bucket name (S3 names are global: someone else may own it), and
 * plain http on a public host. Warnings: they install, but not usefully. */
static void check_defaults(const struct profile *p, struct problems *out)
{
    const struct {
        const char *path, *v;
        bool applies;
    } hosts[] = {
        {"domains.web_host", p->domains.web_host, true},
        {"domains.api_host", p->domains.api_host, p->domains.split},
        {"domains.enterprise_host", p->domains.enterprise_host, p->edition == EDITION_ENTERPRISE},
    };
    for (size_t i = 0; i < ARRAY_LEN(hosts); i++)
        if (hosts[i].applies && valid_hostname(hosts[i].v, NULL, 0) &&
            host_is_placeholder(hosts[i].v))
            problems_add(out, true, hosts[i].path,
                         "\"%s\" is a name reserved for examples (RFC 2606): nobody can reach "
                         "Dify there; give the host your DNS will point at the ingress",
                         hosts[i].v);
    static const char *const shipped[] = {"dify-test-storage", "dify-prod-storage", "dify-storage",
                                          NULL};
    if (p->target == TARGET_EKS &&
        enum_lookup(shipped, p->aws.s3_bucket ? p->aws.s3_bucket : "") >= 0)
        problems_add(out, true, "aws.s3_bucket",
                     "\"%s\" is an example's name, and S3 bucket names are global: it is likely "
                     "taken by another account; leave it empty for <cluster>-<account id>-<region>",
                     p->aws.s3_bucket);
    if (p->storage.kind == STORAGE_S3 && str_empty(p->storage.endpoint) &&
        enum_lookup(shipped, p->storage.bucket ? p->storage.bucket : "") >= 0)
        problems_add(out, true, "storage.bucket",
                     "\"%s\" is an example's name, and S3 bucket names are global; give the "
                     "bucket you created for Dify",
                     p->storage.bucket);
    /* As the renderer decides it (render_util.c ru_tls). */
    bool alb = str_eq(p->cluster.ingress_class, "alb");
    bool tls = alb ? !str_empty(p->domains.acm_certificate_arn) : !str_empty(p->domains.tls_secret);
    if (!tls && valid_hostname(p->domains.web_host, NULL, 0) &&
        !host_is_private(p->domains.web_host))
        problems_add(out, true, alb ? "domains.acm_certificate_arn" : "domains.tls_secret",
                     "no TLS: Dify is served at http://%s, so passwords and API keys cross the "
                     "network in clear text; %s",
                     p->domains.web_host,
                     alb ? "give an ACM certificate ARN for HTTPS at the ALB"
                         : "name a kubernetes.io/tls Secret (cert-manager can make one)");
}

/* Files the install reads on this machine. */
static void check_local_files(const struct profile *p, struct problems *out)
{
    if (p->target == TARGET_EXISTING)
        check_kubeconfig(p, out);
    if (!p->bastion.enabled)
        return;
    const char *paths[2] = {"bastion.key_path", "bastion.known_hosts"};
    const char *vals[2] = {p->bastion.key_path, p->bastion.known_hosts};
    char msg[MSG_SZ];
    for (int i = 0; i < 2; i++) {
        struct stat st;
        if (str_empty(vals[i]) || !valid_safe_text(vals[i], msg, sizeof(msg)))
            continue; /* the field's rule said why */
        if (stat(vals[i], &st) < 0)
            problems_add(out, false, paths[i], "\"%s\": %s", vals[i], strerror(errno));
        else if (!S_ISREG(st.st_mode))
            problems_add(out, false, paths[i], "\"%s\": not a regular file", vals[i]);
    }
}

/* A field its own rule refused gets that one problem: the rules that tie
 * fields together (which read the value as if it were well formed) say
 * nothing more of it. Drops from out->v[from..] every problem on a path that
 * has an error in out->v[first..from). */
static void drop_repeats(struct problems *out, size_t first, size_t from)
{
    size_t keep = from;
    for (size_t i = from; i < out->n; i++) {
        bool repeat = false;
        for (size_t j = first; j < from && !repeat; j++)
            repeat = !out->v[j].warning && out->v[i].path && out->v[j].path &&
                     str_eq(out->v[i].path, out->v[j].path);
        if (repeat) {
            free(out->v[i].file);
            free(out->v[i].path);
            free(out->v[i].message);
        } else {
            out->v[keep++] = out->v[i];
        }
    }
    out->n = keep;
}

void profile_validate(const struct profile *p, const struct secrets *s, struct problems *out)
{
    char msg[MSG_SZ];
    size_t first = out->n;
    check_choices(p, out);
    for (size_t i = 0; i < profile_nfields; i++)
        check(out, profile_fields[i].path,
              profile_field_check(p, &profile_fields[i], msg, sizeof(msg)), msg);
    size_t from = out->n;
    render_check(p, out); /* the image set is one release; the chart's keys are known */
    if (p->target == TARGET_EKS)
        check_eks(p, out);
    check_data_and_hosts(p, out);
    check_resources(p, out);
    check_extra_files(p, out);
    check_local_files(p, out);
    check_defaults(p, out);
    if (s)
        check_secrets(p, s, out);
    drop_repeats(out, first, from);
}
