/* screens/wizard_fields.c: page placement, visibility and field checks. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/validate.h"
#include "screens/wizard_fields.h"

/* A field is listed on every page one of whose prefixes it starts with. The
 * size page repeats the preset-derived values so they can be tuned right
 * after choosing the preset; they also sit with their own section. */
static const struct {
    enum wiz_page page;
    const char *prefix;
} placement[] = {
    {PAGE_EDITION, "edition"},       {PAGE_EDITION, "target"},     {PAGE_METHOD, "method"},
    {PAGE_METHOD, "helm."},          {PAGE_METHOD, "release"},     {PAGE_METHOD, "namespace"},
    {PAGE_METHOD, "image_tag"},      {PAGE_SIZE, "size"},          {PAGE_SIZE, "aws.node_type"},
    {PAGE_SIZE, "aws.node_count"},   {PAGE_SIZE, "database.acu_"}, {PAGE_SIZE, "redis.node_type"},
    {PAGE_SIZE, "vector.instance_"}, {PAGE_SIZE, "components."},   {PAGE_CLUSTER, "aws."},
    {PAGE_CLUSTER, "cluster."},      {PAGE_CLUSTER, "bastion."},   {PAGE_DOMAINS, "domains."},
    {PAGE_DATA, "database."},        {PAGE_DATA, "redis."},        {PAGE_DATA, "vector."},
    {PAGE_DATA, "storage."},         {PAGE_ROLLOUT, "rollout."},   {PAGE_ROLLOUT, "migration."},
};

static bool prefix_match(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n) != 0)
        return false;
    /* "size" must not match "size_x"; prefixes ending in '.' or '_' are open. */
    return prefix[n - 1] == '.' || prefix[n - 1] == '_' || path[n] == '\0';
}

bool wizard_field_on_page(const struct field_desc *f, enum wiz_page page)
{
    for (size_t i = 0; i < ARRAY_LEN(placement); i++)
        if (placement[i].page == page && prefix_match(f->path, placement[i].prefix))
            return true;
    return false;
}

enum wiz_page wizard_field_home(const struct field_desc *f)
{
    enum wiz_page home = PAGE_REVIEW;
    bool found = false;
    for (size_t i = 0; i < ARRAY_LEN(placement); i++)
        if (prefix_match(f->path, placement[i].prefix) && (!found || placement[i].page > home)) {
            home = placement[i].page;
            found = true;
        }
    return home;
}

const char *wizard_page_name(enum wiz_page page, const struct profile *p)
{
    static const char *const names[PAGE__COUNT] = {
        "Edition", "Method", "Size", "Cluster", "Domains", "Data", "Secrets", "Rollout", "Review"};
    if (page == PAGE_CLUSTER && p && p->target == TARGET_EKS)
        return "AWS";
    return page < PAGE__COUNT ? names[page] : "";
}

const char *wizard_page_title(enum wiz_page page, const struct profile *p)
{
    static const char *const titles[PAGE__COUNT] = {"Edition and target",
                                                    "Install method",
                                                    "Size",
                                                    "Cluster details",
                                                    "Domains and TLS",
                                                    "Data stores",
                                                    "Secrets",
                                                    "Extra files and rollout",
                                                    "Review"};
    if (page == PAGE_CLUSTER && p && p->target == TARGET_EKS)
        return "AWS details";
    return page < PAGE__COUNT ? titles[page] : "";
}

static bool is(const char *path, const char *name)
{
    return strcmp(path, name) == 0;
}

static bool starts(const char *path, const char *prefix)
{
    return strncmp(path, prefix, strlen(prefix)) == 0;
}

bool wizard_field_visible(const struct profile *p, const struct field_desc *f)
{
    const char *path = f->path;
    bool eks = p->target == TARGET_EKS;
    if (starts(path, "aws."))
        return eks;
    if (is(path, "cluster.kubeconfig") || is(path, "cluster.context"))
        return !eks;
    if (starts(path, "bastion.") && !is(path, "bastion.enabled"))
        return p->bastion.enabled;
    if (starts(path, "helm."))
        return p->method == METHOD_HELM;
    /* Settings of the managed services Terraform creates. */
    if (starts(path, "database.acu_") || is(path, "database.instances") ||
        is(path, "database.engine_version") || is(path, "redis.node_type") ||
        is(path, "redis.engine_version") || is(path, "vector.engine_version") ||
        starts(path, "vector.instance_"))
        return eks;
    /* On EKS these come from Terraform outputs. */
    if (is(path, "database.host") || is(path, "redis.host"))
        return !eks;
    if (is(path, "vector.host"))
        return !eks || p->vector.kind != VECTOR_OPENSEARCH;
    if (is(path, "storage.auth") || is(path, "storage.bucket") || is(path, "storage.region") ||
        is(path, "storage.endpoint"))
        return p->storage.kind == STORAGE_S3;
    if (is(path, "domains.api_host"))
        return p->domains.split;
    /* The AWS Load Balancer Controller takes an ACM certificate, others a
     * TLS Secret; the enterprise dashboard host is for enterprise only. */
    if (is(path, "domains.acm_certificate_arn"))
        return str_eq(p->cluster.ingress_class, "alb");
    if (is(path, "domains.tls_secret"))
        return !str_eq(p->cluster.ingress_class, "alb");
    if (is(path, "domains.enterprise_host"))
        return p->edition == EDITION_ENTERPRISE;
    if (is(path, "migration.backoff_limit") || is(path, "migration.ttl_seconds"))
        return p->migration.mode == MIGRATION_JOB;
    return true;
}

bool wizard_secret_visible(const struct profile *p, const struct secret_desc *d)
{
    if (!secret_applies(p, d))
        return false;
    if (is(d->key, "s3_access_key") || is(d->key, "s3_secret_key"))
        return p->storage.kind == STORAGE_S3 && p->storage.auth == S3_AUTH_KEYS;
    return true;
}

const char *wizard_section_title(const char *path)
{
    static const struct {
        const char *prefix, *title;
    } sections[] = {
        {"helm.", "Helm chart"},
        {"aws.", "AWS"},
        {"cluster.", "Cluster"},
        {"bastion.", "SSH bastion"},
        {"database.", "Database (PostgreSQL)"},
        {"redis.", "Cache (Redis)"},
        {"vector.", "Vector store"},
        {"storage.", "File storage"},
        {"domains.", "Domains"},
        {"migration.", "Migration"},
        {"rollout.", "Rollout"},
        {"components.", "Components"},
    };
    for (size_t i = 0; i < ARRAY_LEN(sections); i++)
        if (starts(path, sections[i].prefix))
            return sections[i].title;
    return NULL;
}

static enum wiz_check rule(bool ok)
{
    return ok ? WIZ_OK : WIZ_ERROR;
}

static enum wiz_check check_subnets(const struct profile *p, const struct strlist *l, char *msg,
                                    size_t msgsz)
{
    if (l->n != 2) {
        snprintf(msg, msgsz, "expected two CIDRs (one per availability zone), got %zu", l->n);
        return WIZ_ERROR;
    }
    struct cidr vpc, c;
    char sub[160];
    bool have_vpc = cidr_parse(p->aws.vpc_cidr ? p->aws.vpc_cidr : "", &vpc, sub, sizeof(sub));
    for (size_t i = 0; i < l->n; i++) {
        if (!cidr_parse(l->v[i], &c, sub, sizeof(sub))) {
            snprintf(msg, msgsz, "%s: %s", l->v[i], sub);
            return WIZ_ERROR;
        }
        if (have_vpc && !cidr_contains(&vpc, &c)) {
            snprintf(msg, msgsz, "%s is not inside the VPC %s", l->v[i], p->aws.vpc_cidr);
            return WIZ_ERROR;
        }
    }
    return WIZ_OK;
}

enum wiz_check wizard_field_check(const struct profile *p, const struct field_desc *f, char *msg,
                                  size_t msgsz)
{
    const char *path = f->path;
    msg[0] = 0;
    const void *ptr = (const char *)p + f->offset;
    const char *s = f->type == FT_STRING ? *(char *const *)ptr : NULL;
    if (!s)
        s = "";
    if (is(path, "release") || is(path, "namespace"))
        return rule(valid_dns_label(s, msg, msgsz));
    if (is(path, "aws.cluster_name"))
        return rule(valid_cluster_name(s, msg, msgsz));
    if (is(path, "domains.web_host") || is(path, "domains.api_host"))
        return rule(valid_hostname(s, msg, msgsz));
    if (is(path, "domains.tls_secret") || is(path, "cluster.storage_class") ||
        is(path, "cluster.rwx_storage_class") || is(path, "cluster.ingress_class"))
        return *s ? rule(valid_dns_subdomain(s, msg, msgsz)) : WIZ_OK;
    if (is(path, "aws.region") || is(path, "storage.region"))
        return rule(valid_aws_region(s, msg, msgsz));
    if (is(path, "aws.node_type")) {
        if (!valid_node_type(s, msg, msgsz))
            return WIZ_ERROR;
        if (!instance_type_is_arm64(s)) {
            snprintf(msg, msgsz,
                     "%s is not arm64 (Graviton): the presets assume arm64 nodes such as m7g; "
                     "x86_64 needs amd64 images",
                     s);
            return WIZ_WARNING;
        }
        return WIZ_OK;
    }
    if (is(path, "aws.vpc_cidr")) {
        struct cidr c;
        return rule(cidr_parse(s, &c, msg, msgsz));
    }
    if (is(path, "aws.public_subnets") || is(path, "aws.private_subnets"))
        return check_subnets(p, ptr, msg, msgsz);
    /* Empty on EKS: the bucket Terraform creates and names. */
    if (is(path, "aws.s3_bucket") || is(path, "storage.bucket"))
        return !*s && p->target == TARGET_EKS ? WIZ_OK : rule(valid_s3_bucket(s, msg, msgsz));
    if (is(path, "database.name") || is(path, "database.user") ||
        is(path, "database.plugin_database"))
        return rule(valid_pg_identifier(s, msg, msgsz));
    if (is(path, "database.acu_min") || is(path, "database.acu_max"))
        return rule(valid_acu_range(p->db.acu_min, p->db.acu_max, msg, msgsz));
    if (is(path, "database.sslmode")) {
        if (is(s, "disable") || is(s, "require"))
            return WIZ_OK;
        snprintf(msg, msgsz, "expected disable or require, got \"%s\"", s);
        return WIZ_ERROR;
    }
    if (str_ends_with(path, ".port")) {
        int port = *(const int *)ptr;
        if (port >= 1 && port <= 65535)
            return WIZ_OK;
        snprintf(msg, msgsz, "a port is 1-65535, got %d", port);
        return WIZ_ERROR;
    }
    if (starts(path, "components.")) {
        if (str_ends_with(path, ".replicas")) {
            if (*(const int *)ptr >= 1)
                return WIZ_OK;
            snprintf(msg, msgsz, "at least 1 replica");
            return WIZ_ERROR;
        }
        return rule(valid_k8s_quantity(s, strstr(path, ".cpu_") != NULL, msg, msgsz));
    }
    if (is(path, "rollout.max_surge") || is(path, "rollout.max_unavailable")) {
        if (!valid_surge(s, msg, msgsz))
            return WIZ_ERROR;
        const char *a = p->rollout.max_surge, *b = p->rollout.max_unavailable;
        if (a && b && (is(a, "0") || is(a, "0%")) && (is(b, "0") || is(b, "0%"))) {
            snprintf(msg, msgsz, "maxSurge and maxUnavailable cannot both be 0");
            return WIZ_ERROR;
        }
        return WIZ_OK;
    }
    if (is(path, "rollout.readiness_delay") || is(path, "migration.backoff_limit") ||
        is(path, "migration.ttl_seconds") || is(path, "aws.node_disk_gb")) {
        if (*(const int *)ptr >= 0)
            return WIZ_OK;
        snprintf(msg, msgsz, "cannot be negative");
        return WIZ_ERROR;
    }
    if (is(path, "aws.node_count") || is(path, "aws.node_min") || is(path, "aws.node_max")) {
        if (p->aws.node_min < 1) {
            snprintf(msg, msgsz, "the node group needs at least 1 node");
            return WIZ_ERROR;
        }
        if (p->aws.node_min > p->aws.node_count || p->aws.node_count > p->aws.node_max) {
            snprintf(msg, msgsz, "needs min <= nodes <= max (now %d <= %d <= %d)", p->aws.node_min,
                     p->aws.node_count, p->aws.node_max);
            return WIZ_ERROR;
        }
        return WIZ_OK;
    }
    return WIZ_OK;
}

char *wizard_instance_shape(const char *type)
{
    /* Family letter -> GiB per vCPU, and size -> vCPUs, for the general
     * families the presets use (m, c, r, t). */
    if (!type || !*type)
        return xstrdup("?");
    const char *t = type;
    if (str_starts_with(t, "cache."))
        t += 6;
    const char *dot = strchr(t, '.');
    if (!dot)
        return xstrdup("?");
    int per_vcpu;
    switch (t[0]) {
    case 'm':
    case 't':
        per_vcpu = 4;
        break;
    case 'c':
        per_vcpu = 2;
        break;
    case 'r':
        per_vcpu = 8;
        break;
    default:
        return xstrdup("?");
    }
    const char *size = dot + 1;
    int vcpu;
    if (str_starts_with(size, "medium"))
        vcpu = 1;
    else if (str_starts_with(size, "large"))
        vcpu = 2;
    else if (str_starts_with(size, "xlarge"))
        vcpu = 4;
    else if (isdigit((unsigned char)size[0]) && strstr(size, "xlarge"))
        vcpu = 4 * atoi(size);
    else
        return xstrdup("?");
    return xasprintf("%d vCPU / %d GiB", vcpu, vcpu * per_vcpu);
}

bool wizard_problem_target(const char *path, struct wiz_target *out)
{
    out->page = PAGE_REVIEW;
    out->field = NULL;
    out->secret = NULL;
    out->extra = -1;
    if (!path || !*path)
        return false;
    /* "aws.public_subnets[1]" -> "aws.public_subnets" */
    char *base = xstrdup(path);
    base[strcspn(base, "[")] = 0;
    const char *key = str_starts_with(base, "secrets.") ? base + 8 : base;
    bool found = false;
    for (size_t i = 0; i < secret_nfields; i++)
        if (is(secret_fields[i].key, key)) {
            out->page = PAGE_SECRETS;
            out->secret = &secret_fields[i];
            found = true;
        }
    if (!found && str_starts_with(base, "extra_files")) {
        out->page = PAGE_ROLLOUT;
        const char *br = strchr(path, '[');
        out->extra = br ? atoi(br + 1) : 0;
        found = true;
    }
    if (!found) {
        /* The longest field path that the problem's path starts with. */
        const struct field_desc *best = NULL;
        for (size_t i = 0; i < profile_nfields; i++)
            if (prefix_match(base, profile_fields[i].path) || is(base, profile_fields[i].path))
                if (!best || strlen(profile_fields[i].path) > strlen(best->path))
                    best = &profile_fields[i];
        if (best) {
            out->page = wizard_field_home(best);
            out->field = best;
            found = true;
        }
    }
    free(base);
    return found;
}
