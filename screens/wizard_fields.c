/* screens/wizard_fields.c: page placement, visibility, and which problem a
 * field shows. */
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
    /* The descriptor says when a field applies (core/profile.c). */
    return profile_field_applies(p, f);
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

enum wiz_check wizard_field_problem(const struct problems *ps, const char *path, char *msg,
                                    size_t msgsz)
{
    msg[0] = '\0';
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < ps->n; i++) {
            const struct problem *pr = &ps->v[i];
            if (pr->warning != (pass == 1) || !str_eq(pr->path, path))
                continue;
            snprintf(msg, msgsz, "%s", pr->message);
            return pr->warning ? WIZ_WARNING : WIZ_ERROR;
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
