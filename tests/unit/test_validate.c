/* tests/unit/test_validate.c: every validation rule with good and bad values,
 * single rules table-driven, whole-profile rules by changing one field of a
 * valid profile and looking for the problem on the right path. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/profile.h"
#include "core/util.h"
#include "core/validate.h"
#include "core/answers.h"
#include "core/error.h"
#include "core/render.h"
#include "core/summary.h"

typedef bool (*rule_fn)(const char *s, char *msg, size_t msgsz);

struct rule_case {
    const char *value;
    bool ok;
    const char *expect; /* substring of the message when !ok */
};

static void run_cases(const char *name, rule_fn fn, const struct rule_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char msg[512] = "";
        bool got = fn(cases[i].value, msg, sizeof(msg));
        if (got != cases[i].ok)
            fail_msg("%s(\"%s\"): expected %s, got %s (%s)", name,
                     cases[i].value ? cases[i].value : "(null)", cases[i].ok ? "valid" : "invalid",
                     got ? "valid" : "invalid", msg);
        if (!got && cases[i].expect && !strstr(msg, cases[i].expect))
            fail_msg("%s(\"%s\"): message \"%s\" lacks \"%s\"", name, cases[i].value, msg,
                     cases[i].expect);
    }
}

#define RUN(fn, cases) run_cases(#fn, fn, cases, ARRAY_LEN(cases))

static void test_dns_label(void **state)
{
    static const struct rule_case c[] = {
        {"dify", true, NULL},
        {"dify-prod-1", true, NULL},
        {"a", true, NULL},
        {"0abc", true, NULL},
        {"", false, "empty"},
        {"Dify", false, "upper-case"},
        {"dify_prod", false, "'_' is not allowed"},
        {"-dify", false, "start and end"},
        {"dify-", false, "start and end"},
        {"dify.prod", false, "dots"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, "at most 63"},
    };
    RUN(valid_dns_label, c);
}

static void test_dns_subdomain(void **state)
{
    char long_name[300];
    memset(long_name, 0, sizeof(long_name));
    for (int i = 0; i < 6; i++)
        strcat(long_name, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.");
    strcat(long_name, "com");
    const struct rule_case c[] = {
        {"dify-tls", true, NULL},       {"dify.example.com", true, NULL},
        {"", false, "empty"},           {"a..b", false, "empty label"},
        {"a.b.", false, "empty label"}, {"A.b", false, "upper-case"},
        {"a_b.c", false, "'_'"},        {long_name, false, "at most 253"},
    };
    RUN(valid_dns_subdomain, c);
}

static void test_hostname(void **state)
{
    static const struct rule_case c[] = {
        {"dify.example.com", true, NULL},
        {"dify-api.maywzh.com", true, NULL},
        {"x.io", true, NULL},
        {"", false, "empty"},
        {"localhost", false, "at least one dot"},
        {"*.example.com", false, "wildcards"},
        {"Dify.example.com", false, "upper-case"},
        {"my_host.example.com", false, "'_'"},
        {"https://dify.example.com", false, "without a scheme"},
        {"10.0.0.1", false, "IP address"},
        {"-a.example.com", false, "start and end"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com", false,
         "at most 63"},
    };
    RUN(valid_hostname, c);
}

static bool cidr_rule(const char *s, char *msg, size_t msgsz)
{
    struct cidr c;
    return cidr_parse(s, &c, msg, msgsz);
}

static void test_cidr_parse(void **state)
{
    static const struct rule_case c[] = {
        {"10.0.0.0/16", true, NULL},
        {"0.0.0.0/0", true, NULL},
        {"192.168.1.7/32", true, NULL},
        {"172.16.0.0/12", true, NULL},
        {"", false, "empty"},
        {"10.0.0.0/33", false, "prefix length must be 0-32"},
        {"10.0.0.0", false, "prefix length is missing"},
        {"10.0.0/16", false, "expected a.b.c.d/n"},
        {"256.0.0.0/8", false, "0-255"},
        {"010.0.0.0/8", false, "leading zeros"},
        {"10.0.0.0/016", false, "prefix length"},
        {"10.0.1.0/16", false, "the network address is 10.0.0.0/16"},
        {"10.0.0.0/16x", false, "unexpected text"},
        {"10.0.0.0/-1", false, "prefix length"},
        {"a.b.c.d/8", false, "address part 1"},
    };
    RUN(cidr_rule, c);
}

static void test_cidr_relations(void **state)
{
    struct cidr vpc, in, out, a, b, c;
    assert_true(cidr_parse("10.0.0.0/16", &vpc, NULL, 0));
    assert_true(cidr_parse("10.0.1.0/24", &in, NULL, 0));
    assert_true(cidr_parse("10.1.1.0/24", &out, NULL, 0));
    assert_true(cidr_contains(&vpc, &in));
    assert_false(cidr_contains(&vpc, &out));
    assert_false(cidr_contains(&in, &vpc));
    assert_true(cidr_parse("10.0.0.0/23", &a, NULL, 0));
    assert_true(cidr_parse("10.0.1.0/24", &b, NULL, 0));
    assert_true(cidr_parse("10.0.2.0/24", &c, NULL, 0));
    assert_true(cidr_overlaps(&a, &b));
    assert_true(cidr_overlaps(&b, &a));
    assert_false(cidr_overlaps(&b, &c));
    struct cidr all;
    assert_true(cidr_parse("0.0.0.0/0", &all, NULL, 0));
    assert_true(cidr_contains(&all, &out));
}

static void test_aws_region(void **state)
{
    static const struct rule_case c[] = {
        {"us-west-2", true, NULL},
        {"ap-northeast-1", true, NULL},
        {"us-gov-west-1", true, NULL},
        {"cn-north-1", true, NULL},
        {"eu-central-1", true, NULL},
        {"ap-southeast-4", true, NULL},
        {"", false, "empty"},
        {"ap-east-2", true, NULL},
        {"mx-central-1", true, NULL},
        {"US-WEST-2", false, "'U' is not allowed"},
        {"us-west-3", false, "did you mean us-west-1 or us-west-2?"},
        {"eu-centrl-1", false, "did you mean eu-central-1?"},
        {"ab-cdefghij-9", false, "not an AWS region"},
        {"us-west", false, "not an AWS region"},
        {"uswest2", false, "not an AWS region"},
        {"us-up-2", false, "not an AWS region"},
        {"us-west-02", false, "not an AWS region"},
        {"usa-west-2", false, "not an AWS region"},
    };
    RUN(valid_aws_region, c);
}

static void test_instance_type(void **state)
{
    static const struct rule_case c[] = {
        {"m7g.xlarge", true, NULL},
        {"m6g.large.search", true, NULL},
        {"cache.t4g.micro", true, NULL},
        {"c6gn.16xlarge", true, NULL},
        {"t3.small.search", true, NULL},
        {"", false, "empty"},
        {"m7g", false, "family.size"},
        {"xlarge", false, "family.size"},
        {"M7G.xlarge", false, "family.size"},
        {"m7g..xlarge", false, "family.size"},
        {"m7g.xlarge.", false, "family.size"},
        {"m.large", false, "family.size"},
    };
    RUN(valid_instance_type, c);
}

/* The EKS stack's grammars; tests/terraform_rules.sh checks each against
 * the variable's validation in Terraform itself. */
static void test_eks_grammars(void **state)
{
    static const struct rule_case cluster[] = {
        {"dify-test", true, NULL},
        {"a1", true, NULL},
        {"abcdefghijklmnopqrstuvwxy", true, NULL},
        {"abcdefghijklmnopqrstuvwxyz", false, "2 to 25"},
        {"a", false, "2 to 25"},
        {"Dify", false, "'D' is not allowed"},
        {"dify_test", false, "'_' is not allowed"},
        {"1dify", false, "lower-case letter"},
        {"dify-", false, "end with"},
        {"di--fy", false, "two hyphens"},
    };
    RUN(valid_cluster_name, cluster);
    static const struct rule_case node[] = {
        {"m7g.xlarge", true, NULL},        {"u-6tb1.metal", true, NULL},
        {"m7i.metal-24xl", true, NULL},    {"m7g.large.search", false, "family.size"},
        {"m.large", false, "family.size"}, {"7g.large", false, "family.size"},
        {"m7g.-x", false, "family.size"},
    };
    RUN(valid_node_type, node);
    static const struct rule_case cache[] = {
        {"cache.t4g.micro", true, NULL},
        {"cache.r7g.large", true, NULL},
        {"t4g.micro", false, "cache.family.size"},
        {"cache.", false, "cache.family.size"},
    };
    RUN(valid_cache_node_type, cache);
    static const struct rule_case search[] = {
        {"m6g.large.search", true, NULL},
        {"or1.medium.search", true, NULL},
        {"m6g.large", false, ".search"},
        {".search", false, ".search"},
    };
    RUN(valid_search_instance_type, search);
    static const struct rule_case ecr[] = {
        {"dify", true, NULL},      {"team/dify-plugins", true, NULL}, {"a.b_c-d", true, NULL},
        {"d", false, "2-256"},     {"dify--x", false, "2-256"},       {"dify/", false, "2-256"},
        {"/dify", false, "2-256"}, {"Dify", false, "2-256"},
    };
    RUN(valid_ecr_repository, ecr);
    static const struct rule_case arn[] = {
        {"arn:aws:iam::123456789012:role/Admin", true, NULL},
        {"arn:aws-cn:iam::123456789012:user/ops/alice", true, NULL},
        {"arn:aws:iam::123456789012:group/Admins", false, "role or user"},
        {"arn:aws:iam::12345678901:role/Admin", false, "role or user"},
        {"arn:aws:sts::123456789012:assumed-role/A/b", false, "role or user"},
        {"arn:aws:iam::123456789012:role/", false, "role or user"},
    };
    RUN(valid_iam_principal_arn, arn);
    static const struct rule_case pw[] = {
        {"abcdefghijkl", true, NULL},        {"!$&()*+,-.;<=>^_`{|}~09AZ", true, NULL},
        {"abcdefghijk", false, "12 to 128"}, {"abcdefghijk:", false, "refuses"},
        {"abcdefghijk@", false, "refuses"},  {"abcdefghij k", false, "refuses"},
    };
    RUN(valid_rds_password, pw);
    static const struct rule_case token[] = {
        {"0123456789abcdef", true, NULL},         {"0123456789abcde:#%", true, NULL},
        {"0123456789abcde", false, "16 to 128"},  {"0123456789abcdef/", false, "refuses"},
        {"0123456789abcdef\"", false, "refuses"},
    };
    RUN(valid_redis_auth_token, token);
}

static void test_acu_range(void **state)
{
    char msg[256];
    assert_true(valid_acu_range(0.5, 4, msg, sizeof(msg)));
    assert_true(valid_acu_range(1, 8, msg, sizeof(msg)));
    assert_true(valid_acu_range(256, 256, msg, sizeof(msg)));
    assert_true(valid_acu_range(2.5, 2.5, msg, sizeof(msg)));
    assert_false(valid_acu_range(8, 4, msg, sizeof(msg)));
    assert_non_null(strstr(msg, "above the maximum"));
    assert_false(valid_acu_range(0, 4, msg, sizeof(msg)));
    assert_non_null(strstr(msg, "auto-pause"));
    assert_false(valid_acu_range(0.25, 4, msg, sizeof(msg)));
    assert_non_null(strstr(msg, "0.5 to 256"));
    assert_false(valid_acu_range(1, 300, msg, sizeof(msg)));
    assert_non_null(strstr(msg, "0.5 to 256"));
    assert_false(valid_acu_range(0.75, 4, msg, sizeof(msg)));
    assert_non_null(strstr(msg, "multiple of 0.5"));
}

static bool cpu_rule(const char *s, char *msg, size_t msgsz)
{
    return valid_k8s_quantity(s, true, msg, msgsz);
}

static bool mem_rule(const char *s, char *msg, size_t msgsz)
{
    return valid_k8s_quantity(s, false, msg, msgsz);
}

static void test_quantities(void **state)
{
    static const struct rule_case cpu[] = {
        {"250m", true, NULL},
        {"1", true, NULL},
        {"0.5", true, NULL},
        {"2", true, NULL},
        {"", false, "empty"},
        {"250Mi", false, "unknown CPU unit"},
        {"1.5m", false, "whole number"},
        {"abc", false, "not a quantity"},
        {"0", false, "greater than zero"},
        {"0.0001", false, "finer than 1m"},
        {"-1", false, "not a quantity"},
    };
    RUN(cpu_rule, cpu);
    static const struct rule_case mem[] = {
        {"512Mi", true, NULL},
        {"1Gi", true, NULL},
        {"1G", true, NULL},
        {"1024", true, NULL},
        {"1.5Gi", true, NULL},
        {"", false, "empty"},
        {"512MB", false, "unknown memory unit"},
        {"1gi", false, "unknown memory unit"},
        {"Mi", false, "not a quantity"},
    };
    RUN(mem_rule, mem);
}

static void test_s3_bucket(void **state)
{
    static const struct rule_case c[] = {
        {"dify-test-storage", true, NULL},
        {"a.b.c", true, NULL},
        {"abc", true, NULL},
        {"", false, "empty"},
        {"ab", false, "3-63"},
        {"Dify", false, "'D' is not allowed"},
        {"dify_bucket", false, "'_'"},
        {"-dify", false, "start and end"},
        {"a..b", false, "two dots"},
        {"a.-b", false, "dot next to a hyphen"},
        {"192.168.1.1", false, "IP address"},
        {"xn--abc", false, "reserved"},
        {"abc-s3alias", false, "reserved"},
        {"amzn-s3-demo-x", false, "reserved"},
        {"abc--x-s3", false, "reserved"},
    };
    RUN(valid_s3_bucket, c);
}

static void test_secret_len(void **state)
{
    char msg[128];
    assert_true(valid_secret_len("0123456789abcdef0123456789abcdef", 32, msg, sizeof(msg)));
    assert_false(valid_secret_len("short", 32, msg, sizeof(msg)));
    assert_non_null(strstr(msg, "at least 32"));
    assert_false(valid_secret_len(NULL, 1, msg, sizeof(msg)));
}

/* Kubernetes' rules (apps/validation ValidateRollingUpdateDeployment):
 * maxSurge may exceed 100%, maxUnavailable may not. */
static void test_surge(void **state)
{
    static const struct rule_case surge[] = {
        {"3", true, NULL},
        {"0", true, NULL},
        {"25%", true, NULL},
        {"100%", true, NULL},
        {"150%", true, NULL},
        {"1000%", true, NULL},
        {"05%", true, NULL},
        {"", false, "empty"},
        {"%", false, "pod count"},
        {"1.5", false, "pod count"},
        {"-1", false, "pod count"},
        {"abc", false, "pod count"},
        {"25 %", false, "pod count"},
        {"3000000000", false, "too large"},
    };
    RUN(valid_max_surge, surge);
    static const struct rule_case unavail[] = {
        {"0", true, NULL},
        {"100%", true, NULL},
        {"150%", false, "at most 100%"},
        {"101%", false, "only maxSurge may go above 100%"},
        {"x", false, "pod count"},
    };
    RUN(valid_max_unavailable, unavail);
    assert_true(surge_is_zero("0%"));
    assert_true(surge_is_zero("00"));
    assert_false(surge_is_zero("1%"));
}

static void test_pg_identifier(void **state)
{
    static const struct rule_case c[] = {
        {"dify", true, NULL},
        {"dify_plugin_daemon", true, NULL},
        {"_x1", true, NULL},
        {"", false, "empty"},
        {"Dify", false, "upper-case letter 'D'"},
        {"1dify", false, "start with"},
        {"dify-plugin", false, "'-' is not allowed"},
        {"caf\xc3\xa9", false, "'\xc3\xa9' (U+00E9) is not ASCII: Dify writes PostgreSQL names"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, "at most 63"},
    };
    RUN(valid_pg_identifier, c);
}

static void test_problem_format(void **state)
{
    struct problems ps;
    problems_init(&ps);
    problems_add_at(&ps, "a.yaml", 12, 3, "aws.vpc_cidr", "bad %d", 1);
    problems_add(&ps, true, "edition", "careful");
    problems_add_at(&ps, "a.yaml", 0, 0, NULL, "empty");
    assert_int_equal(problems_errors(&ps), 2);
    char *s = problem_format(&ps.v[0]);
    assert_string_equal(s, "a.yaml:12:3: aws.vpc_cidr: bad 1");
    free(s);
    s = problem_format(&ps.v[1]);
    assert_string_equal(s, "warning: edition: careful");
    free(s);
    s = problem_format(&ps.v[2]);
    assert_string_equal(s, "a.yaml: empty");
    free(s);
    problems_done(&ps);
    assert_int_equal(ps.n, 0);
}

/* ---- whole-profile rules ---- */

static const struct problem *find_problem(const struct problems *ps, const char *path,
                                          const char *expect)
{
    for (size_t i = 0; i < ps->n; i++)
        if (str_eq(ps->v[i].path, path) && strstr(ps->v[i].message, expect))
            return &ps->v[i];
    return NULL;
}

static void dump_problems(const struct problems *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        char *s = problem_format(&ps->v[i]);
        print_message("# %s\n", s);
        free(s);
    }
}

static void expect_problem(const struct profile *p, const struct secrets *s, const char *path,
                           const char *expect, bool warning)
{
    struct problems ps;
    problems_init(&ps);
    profile_validate(p, s, &ps);
    const struct problem *pr = find_problem(&ps, path, expect);
    if (!pr) {
        dump_problems(&ps);
        fail_msg("no problem on %s containing \"%s\"", path, expect);
    }
    if (pr->warning != warning)
        fail_msg("problem on %s is %s, expected %s", path, pr->warning ? "a warning" : "an error",
                 warning ? "a warning" : "an error");
    problems_done(&ps);
}

static void expect_clean(const struct profile *p, const struct secrets *s)
{
    struct problems ps;
    problems_init(&ps);
    profile_validate(p, s, &ps);
    if (problems_errors(&ps) != 0) {
        dump_problems(&ps);
        fail_msg("expected no errors, got %zu", problems_errors(&ps));
    }
    problems_done(&ps);
}

static void existing_base(struct profile *p)
{
    profile_init(p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    str_replace(&p->db.host, "pg.internal");
    str_replace(&p->redis.host, "redis.internal");
    str_replace(&p->vector.host, "https://search.internal");
}

static void test_defaults_are_valid(void **state)
{
    for (int e = 0; e < 2; e++)
        for (int s = 0; s < 2; s++) {
            struct profile p;
            profile_init(&p, (enum edition)e, TARGET_EKS, (enum size_preset)s);
            expect_clean(&p, NULL);
            profile_done(&p);
        }
    struct profile p;
    existing_base(&p);
    expect_clean(&p, NULL);
    p.method = METHOD_MANIFESTS; /* community with the built-in manifests */
    expect_clean(&p, NULL);
    profile_done(&p);
}

/* A field its own rule refuses has that one problem: the rules that read it
 * as well formed (the chart versions render knows, the image release, the
 * ACM certificate's shape) add nothing, and no problem text holds a line
 * break or a control character, whatever the value held. */
static void test_one_problem_per_refused_field(void **state)
{
    struct profile p;
    existing_base(&p);
    str_replace(&p.helm.version, "1.0.0\nx: forged");
    str_replace(&p.image_tag, "1.14.2\x1b]0;t\a");
    str_replace(&p.cluster.ingress_class, "alb");
    str_replace(&p.domains.acm_certificate_arn, "arn:aws:acm:x\x1b[2J");
    struct problems ps;
    problems_init(&ps);
    profile_validate(&p, NULL, &ps);
    const char *paths[] = {"helm.version", "image_tag", "domains.acm_certificate_arn"};
    for (size_t k = 0; k < 3; k++) {
        size_t n = 0;
        for (size_t i = 0; i < ps.n; i++)
            n += str_eq(ps.v[i].path, paths[k]);
        if (n != 1) {
            dump_problems(&ps);
            fail_msg("%zu problems on %s, expected its own rule's one", n, paths[k]);
        }
    }
    for (size_t i = 0; i < ps.n; i++)
        for (const char *c = ps.v[i].message; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                fail_msg("problem on %s holds control character %#x", ps.v[i].path, *c);
    problems_done(&ps);
    /* A message made from raw text is made safe as it is added. */
    problems_init(&ps);
    problems_add(&ps, false, "a\nb", "\"%s\" x", "v\x1b[2J\nw");
    assert_string_equal(ps.v[0].path, "a^Jb");
    assert_string_equal(ps.v[0].message, "\"v^[[2J^Jw\" x");
    problems_done(&ps);
    profile_done(&p);
}

/* One-field changes on an EKS profile and the problem each must cause. */
static void test_eks_rules(void **state)
{
    struct profile p;
#define CASE(stmt, path, expect, warn)                                                             \
    do {                                                                                           \
        profile_init(&p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);                                \
        stmt;                                                                                      \
        expect_problem(&p, NULL, path, expect, warn);                                              \
        profile_done(&p);                                                                          \
    } while (0)
    CASE(str_replace(&p.aws.region, "mars-1"), "aws.region", "not an AWS region", false);
    CASE(str_replace(&p.aws.cluster_name, ""), "aws.cluster_name", "empty", false);
    CASE(str_replace(&p.aws.cluster_name, "1x"), "aws.cluster_name", "start with", false);
    CASE(str_replace(&p.aws.cluster_name, "dify test"), "aws.cluster_name", "' ' is not allowed",
         false);
    CASE(str_replace(&p.aws.cluster_name, "Dify"), "aws.cluster_name", "'D' is not allowed", false);
    CASE(str_replace(&p.aws.cluster_name, "dify--x"), "aws.cluster_name", "two hyphens", false);
    CASE(str_replace(&p.aws.cluster_name, "dify-cluster-with-a-long-n"), "aws.cluster_name",
         "2 to 25", false);
    CASE(str_replace(&p.aws.k8s_version, "latest"), "aws.kubernetes_version", "1.NN", false);
    CASE(str_replace(&p.aws.vpc_cidr, "10.0.0.0/33"), "aws.vpc_cidr", "prefix length must be 0-32",
         false);
    CASE(str_replace(&p.aws.vpc_cidr, "10.0.0.0/8"), "aws.vpc_cidr", "/16 to /28", false);
    CASE(str_replace(&p.aws.vpc_cidr, "10.0.1.0/16"), "aws.vpc_cidr",
         "network address is 10.0.0.0/16", false);
    CASE(str_replace(&p.aws.public_subnets.v[1], "10.1.2.0/24"), "aws.public_subnets",
         "outside the VPC", false);
    CASE(str_replace(&p.aws.private_subnets.v[0], "10.0.1.128/25"), "aws.private_subnets",
         "overlaps 10.0.1.0/24", false);
    CASE(str_replace(&p.aws.private_subnets.v[0], "10.0.1.1/24"), "aws.private_subnets",
         "host bits", false);
    CASE(strlist_add(&p.aws.public_subnets, "10.0.3.0/24"), "aws.public_subnets", "exactly two",
         false);
    CASE(str_replace(&p.aws.node_type, "m7g"), "aws.node_type", "family.size", false);
    CASE(str_replace(&p.aws.node_type, "m7i.xlarge"), "aws.node_type", "multi-arch", true);
    CASE(p.aws.node_count = 0, "aws.node_count", "expected 1 or more", false);
    CASE(p.aws.node_min = 3, "aws.node_min", "above the node count", false);
    CASE(p.aws.node_max = 0, "aws.node_max", "0: expected 1 or more", false);
    CASE((p.aws.node_count = 3, p.aws.node_max = 2), "aws.node_max", "below the node count", false);
    CASE(p.aws.node_disk_gb = 5, "aws.node_disk_gb", "expected 20 to 16384", false);
    CASE(str_replace(&p.aws.s3_bucket, "Bad_Bucket"), "aws.s3_bucket", "not allowed", false);
    CASE(str_replace(&p.aws.ecr_app_repo, "Dify"), "aws.ecr_app_repository", "ECR repository",
         false);
    CASE(p.db.acu_min = 8, "database.acu_min", "above the maximum", false);
    CASE(p.db.acu_min = 0, "database.acu_min", "auto-pause", false);
    CASE(p.db.acu_max = 1.7, "database.acu_max", "multiple of 0.5", false);
    CASE(p.db.acu_max = 0.5, "database.acu_max", "1 to 256", false);
    CASE(p.db.instances = 0, "database.instances", "expected 1 to 16", false);
    CASE(p.db.instances = 17, "database.instances", "expected 1 to 16", false);
    CASE(str_replace(&p.db.engine_version, "17"), "database.engine_version", "MAJOR.MINOR", false);
    CASE(str_replace(&p.db.name, "_dify"), "database.name", "start with a letter", false);
    CASE(str_replace(&p.db.user, "rdsadmin"), "database.user", "reserves", false);
    CASE(str_replace(&p.redis.node_type, "t4g.micro"), "redis.node_type", "cache.", false);
    CASE(str_replace(&p.redis.engine_version, "seven"), "redis.engine_version", "MAJOR.MINOR",
         false);
    CASE(str_replace(&p.vector.instance_type, "m6g.large"), "vector.instance_type", ".search",
         false);
    CASE(str_replace(&p.vector.engine_version, "OpenSearch_2.19"), "vector.engine_version",
         "MAJOR.MINOR", false);
    CASE(str_replace(&p.aws.s3_bucket, ""), "aws.public_access_cidrs", "whole internet", true);
    CASE(strlist_clear(&p.aws.public_access_cidrs), "aws.public_access_cidrs", "empty", false);
    CASE(strlist_add(&p.aws.public_access_cidrs, "203.0.113.1/24"), "aws.public_access_cidrs",
         "host bits", false);
    CASE(strlist_add(&p.aws.admin_principals, "arn:aws:iam::123:role/x"), "aws.admin_principals",
         "IAM role or user ARN", false);
    CASE((strlist_add(&p.aws.admin_principals, "arn:aws:iam::123456789012:user/a"),
          strlist_add(&p.aws.admin_principals, "arn:aws:iam::123456789012:user/a")),
         "aws.admin_principals", "given twice", false);
    CASE(p.vector.instance_count = 0, "vector.instance_count", "expected 1 to 80", false);
    CASE(p.vector.instance_count = 3, "vector.instance_count", "even count", false);
    CASE(p.vector.instance_count = 82, "vector.instance_count", "expected 1 to 80", false);
    CASE(str_replace(&p.aws.region, "eu-w\xc3\xa9st-1"), "aws.region",
         "'\xc3\xa9' (U+00E9) is not ASCII", false);
    CASE(str_replace(&p.aws.cluster_name, "d\xc3\xaf"
                                          "fy"),
         "aws.cluster_name", "'\xc3\xaf' (U+00EF) is not ASCII: EKS cluster names are ASCII only",
         false);
    CASE(str_replace(&p.aws.k8s_version, "1.033"), "aws.kubernetes_version", "1.NN", false);
    CASE(str_replace(&p.db.engine_version, "17"), "database.engine_version", "MAJOR.MINOR", false);
    CASE(str_replace(&p.db.engine_version, "$(reboot)"), "database.engine_version",
         "command substitution", false);
    CASE(str_replace(&p.redis.engine_version, "7.1\nx"), "redis.engine_version", "line break",
         false);
    CASE(str_replace(&p.vector.engine_version, "-2.19"), "vector.engine_version", "begins with '-'",
         false);
    CASE(p.aws.irsa = false, "storage.auth", "OIDC", false);
    CASE(str_replace(&p.storage.bucket, "other-bucket"), "storage.bucket", "IRSA role", true);
#undef CASE
    /* Empty names are Terraform's to derive; an endpoint open to a list of
     * blocks is not warned about. */
    profile_init(&p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    assert_string_equal(p.aws.s3_bucket, "");
    assert_string_equal(p.aws.ecr_plugin_repo, "");
    assert_string_equal(p.storage.bucket, "");
    strlist_clear(&p.aws.public_access_cidrs);
    strlist_add(&p.aws.public_access_cidrs, "203.0.113.0/24");
    strlist_add(&p.aws.admin_principals, "arn:aws:iam::123456789012:role/PlatformAdmin");
    /* A host of one's own and HTTPS: no default left that cannot be used. */
    str_replace(&p.domains.web_host, "dify.acme-corp.net");
    str_replace(
        &p.domains.acm_certificate_arn,
        "arn:aws:acm:us-west-2:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab");
    struct problems ps;
    problems_init(&ps);
    profile_validate(&p, NULL, &ps);
    if (ps.n) {
        dump_problems(&ps);
        fail_msg("expected no problem at all");
    }
    problems_done(&ps);
    profile_done(&p);
}

/* One-field changes that apply to every target. */
static void test_common_rules(void **state)
{
    struct profile p;
#define CASE(stmt, path, expect, warn)                                                             \
    do {                                                                                           \
        existing_base(&p);                                                                         \
        stmt;                                                                                      \
        expect_problem(&p, NULL, path, expect, warn);                                              \
        profile_done(&p);                                                                          \
    } while (0)
    CASE(p.version = 2, "version", "reads version 1", false);
    CASE(str_replace(&p.release, "Dify"), "release", "upper-case", false);
    CASE(str_replace(&p.namespace, "my_ns"), "namespace", "'_'", false);
    CASE(str_replace(&p.image_tag, ""), "image_tag", "empty", false);
    CASE(str_replace(&p.image_tag, "1.0 beta"), "image_tag", "' ' is not allowed", false);
    CASE(str_replace(&p.image_tag, "latest"), "image_tag", "names no release", false);
    CASE(str_replace(&p.image_tag, "-v1"), "image_tag", "begins with '-'", false);
    CASE(str_replace(&p.helm.version, "abc"), "helm.version", "MAJOR.MINOR.PATCH", false);
    CASE(str_replace(&p.helm.version, "1.2"), "helm.version", "MAJOR.MINOR.PATCH", false);
    CASE(str_replace(&p.helm.version, "01.2.3"), "helm.version", "leading zeros", false);
    CASE(str_replace(&p.helm.chart, "dify"), "helm.chart", "REPOSITORY/CHART", false);
    CASE(str_replace(&p.helm.chart, "--set=x/y"), "helm.chart", "begins with '-'", false);
    CASE(str_replace(&p.helm.chart, "./charts/dify\n--set=x"), "helm.chart", "line break", false);
    CASE(str_replace(&p.helm.chart, "charts/dify/extra"), "helm.chart", "or a local chart", false);
    CASE(str_replace(&p.helm.repo_url, "https://x.example.com/$(id)"), "helm.repo_url",
         "command substitution", false);
    CASE(str_replace(&p.helm.repo_url, "https://user:pw@x.example.com"), "helm.repo_url",
         "credentials", false);
    CASE(str_replace(&p.cluster.kubeconfig, "-oProxyCommand=x"), "cluster.kubeconfig",
         "begins with '-'", false);
    CASE(str_replace(&p.cluster.kubeconfig, "/tmp/kc\n--context=x"), "cluster.kubeconfig",
         "line break", false);
    CASE(str_replace(&p.cluster.kubeconfig, "/nonexistent/kubeconfig"), "cluster.kubeconfig",
         "/nonexistent/kubeconfig", false);
    CASE(str_replace(&p.cluster.context, "ctx with space"), "cluster.context", "' ' is not allowed",
         false);
    CASE(str_replace(&p.vector.user, "admin\x1b[2J"), "vector.user", "control character", false);
    CASE(str_replace(&p.vector.user, "a b"), "vector.user", "' ' is not allowed", false);
    CASE(str_replace(&p.storage.endpoint, "http://minio.example.com:99999"), "storage.endpoint",
         "1-65535", false);
    CASE(str_replace(&p.db.host, "-oProxyCommand=x"), "database.host", "begins with '-'", false);
    CASE(str_replace(&p.db.host, "p\xc3\xa9.example.com"), "database.host",
         "(U+00E9) is not ASCII: host names are ASCII; write an international name in its ASCII "
         "(IDNA) form",
         false);
    CASE(str_replace(&p.domains.web_host, "d\xc3\xaf"
                                          "fy.example.com"),
         "domains.web_host", "'\xc3\xaf' (U+00EF) is not ASCII", false);
    CASE(str_replace(&p.namespace, "d\xc3\xaf"
                                   "fy"),
         "namespace", "(U+00EF) is not ASCII: Kubernetes names are ASCII only (RFC 1123)", false);
    CASE(str_replace(&p.domains.web_host, "dify.example.com\u202e"), "domains.web_host",
         "text-direction", false);
    CASE(str_replace(&p.release, "a-release-name-that-is-longer-than-helm-allows-1234567"),
         "release", "Helm allows at most 53", false);
    CASE(str_replace(&p.helm.version, ""), "helm.version", "pin", false);
    CASE(str_replace(&p.helm.chart, ""), "helm.chart", "empty", false);
    CASE(str_replace(&p.helm.repo_url, "ftp://x"), "helm.repo_url", "https://", false);
    CASE(str_replace(&p.db.host, ""), "database.host", "external PostgreSQL", false);
    CASE(str_replace(&p.db.host, "pg:5432"), "database.host", "host name or IP", false);
    CASE(str_replace(&p.redis.host, ""), "redis.host", "external Redis", false);
    CASE(str_replace(&p.redis.host, "redis://x"), "redis.host", "without a scheme", false);
    CASE(str_replace(&p.vector.host, ""), "vector.host", "host or URI", false);
    CASE((p.vector.kind = VECTOR_MILVUS, str_replace(&p.vector.host, "")), "vector.host",
         "host or URI", false);
    CASE(str_replace(&p.vector.host, "ftp://search.internal"), "vector.host", "https://", false);
    CASE(p.db.port = 0, "database.port", "1-65535", false);
    CASE(p.redis.port = 70000, "redis.port", "1-65535", false);
    CASE(p.vector.port = -1, "vector.port", "1-65535", false);
    CASE(str_replace(&p.db.name, "Dify"), "database.name", "upper-case", false);
    CASE(str_replace(&p.db.user, "my-user"), "database.user", "'-' is not allowed", false);
    CASE(str_replace(&p.db.plugin_db, "dify"), "database.plugin_database", "also the main database",
         false);
    CASE(str_replace(&p.db.plugin_db, "dify-plugin"), "database.plugin_database",
         "'-' is not allowed", false);
    CASE(str_replace(&p.db.sslmode, "on"), "database.sslmode", "verify-full", false);
    CASE(p.storage.auth = S3_AUTH_IRSA, "storage.auth", "only on the EKS target", false);
    CASE(str_replace(&p.storage.bucket, "x"), "storage.bucket", "3-63", false);
    CASE(str_replace(&p.storage.region, "nowhere"), "storage.region", "AWS region", false);
    CASE(str_replace(&p.storage.endpoint, "minio:9000"), "storage.endpoint", "http://", false);
    CASE(p.storage.kind = STORAGE_LOCAL, "cluster.rwx_storage_class", "ReadWriteMany", true);
    CASE(str_replace(&p.cluster.storage_class, "Fast_SSD"), "cluster.storage_class", "upper-case",
         false);
    CASE(str_replace(&p.cluster.ingress_class, "Nginx"), "cluster.ingress_class", "upper-case",
         false);
    CASE(str_replace(&p.domains.web_host, "DIFY.example.com"), "domains.web_host", "upper-case",
         false);
    CASE(str_replace(&p.domains.web_host, "*.example.com"), "domains.web_host", "wildcard", false);
    CASE(p.domains.split = true, "domains.api_host", "its own host", false);
    CASE((p.domains.split = true, str_replace(&p.domains.api_host, "dify.example.com")),
         "domains.api_host", "must differ", false);
    CASE((p.domains.split = true, str_replace(&p.domains.api_host, "api_x.example.com")),
         "domains.api_host", "'_'", false);
    CASE(str_replace(&p.domains.api_host, "api.example.com"), "domains.api_host", "ignored", true);
    CASE(str_replace(&p.domains.tls_secret, "Dify_TLS"), "domains.tls_secret", "upper-case", false);
    CASE(p.migration.backoff_limit = -1, "migration.backoff_limit", "0 or more", false);
    CASE(p.migration.ttl_seconds = -5, "migration.ttl_seconds", "0 or more", false);
    CASE(str_replace(&p.rollout.max_surge, "x"), "rollout.max_surge", "pod count", false);
    CASE(str_replace(&p.rollout.max_unavailable, "200%"), "rollout.max_unavailable", "at most 100%",
         false);
    CASE(str_replace(&p.rollout.max_surge, "0%"), "rollout.max_surge", "both zero", false);
    CASE((str_replace(&p.rollout.max_surge, "00"), str_replace(&p.rollout.max_unavailable, "0%")),
         "rollout.max_surge", "both zero", false);
    CASE(p.rollout.readiness_delay = -1, "rollout.readiness_delay", "expected 0 to 3600", false);
    CASE((p.bastion.enabled = true, str_replace(&p.bastion.host, "-oProxyCommand=sh")),
         "bastion.host", "begins with '-'", false);
    CASE((p.bastion.enabled = true, str_replace(&p.bastion.user, "root;id")), "bastion.user",
         "';' is not allowed", false);
    CASE((p.bastion.enabled = true, str_replace(&p.bastion.key_path, "/nonexistent/id")),
         "bastion.key_path", "No such file", false);
    CASE(p.bastion.enabled = true, "bastion.host", "SSH host", false);
    CASE((p.bastion.enabled = true, str_replace(&p.bastion.user, "")), "bastion.user", "SSH user",
         false);
    CASE(p.bastion.enabled = true, "bastion.key_path", "private key", false);
    CASE(p.bastion.enabled = true, "bastion.known_hosts", "known_hosts", false);
    CASE((p.bastion.enabled = true, p.bastion.port = 0), "bastion.port", "1-65535", false);
    CASE(p.comp[COMP_API].replicas = 0, "components.api.replicas", "expected 1 or more", false);
    CASE(p.comp[COMP_BEAT].replicas = 2, "components.beat.replicas", "exactly 1", false);
    CASE(p.comp[COMP_BEAT].replicas = 0, "components.beat.replicas", "expected 1 or more", false);
    CASE(str_replace(&p.comp[COMP_WEB].res.cpu_request, "fast"), "components.web.cpu_request",
         "not a quantity", false);
    CASE(str_replace(&p.comp[COMP_WEB].res.mem_limit, "1GB"), "components.web.memory_limit",
         "unknown memory unit", false);
    CASE(str_replace(&p.comp[COMP_API].res.cpu_request, "2"), "components.api.cpu_limit",
         "below the request \"2\"", false);
    CASE(str_replace(&p.comp[COMP_API].res.mem_limit, "256Mi"), "components.api.memory_limit",
         "\"256Mi\" is below the request \"512Mi\"; Kubernetes refuses", false);
    CASE(p.edition = EDITION_ENTERPRISE, "edition", "manual values", true);
    CASE((p.edition = EDITION_ENTERPRISE, p.method = METHOD_MANIFESTS), "method",
         "only as a Helm chart", false);
#undef CASE
}

/* Defaults that cannot be used as they are: a documentation host, a shipped
 * bucket name (S3 names are global), plain http on a public host. */
/* helm.chart may name a chart on disk (air-gapped installs): a directory
 * or a packaged .tgz, absolute or relative to the answers file. */
static void test_local_chart(void **state)
{
    (void)state;
    const char *local[] = {"./charts/dify", "../dify", "/srv/charts/dify", "dify-0.37.0.tgz",
                           "charts/dify-0.37.0.tar.gz"};
    for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
        struct profile p;
        existing_base(&p);
        str_replace(&p.helm.chart, local[i]);
        assert_true(chart_ref_is_local(local[i]));
        expect_clean(&p, NULL);
        profile_done(&p);
    }
    assert_false(chart_ref_is_local("dify/dify"));
    assert_false(chart_ref_is_local(""));
    assert_false(chart_ref_is_local(NULL));
}

static void test_unusable_defaults_warned(void **state)
{
    struct profile p;
    existing_base(&p);
    expect_problem(&p, NULL, "domains.web_host", "reserved for examples (RFC 2606)", true);
    expect_problem(&p, NULL, "storage.bucket", "an example's name", true);
    expect_problem(&p, NULL, "domains.tls_secret", "no TLS: Dify is served at http://", true);
    str_replace(&p.domains.web_host, "dify.corp.internal");
    str_replace(&p.storage.bucket, "acme-dify-files");
    struct problems ps;
    problems_init(&ps);
    profile_validate(&p, NULL, &ps);
    for (size_t i = 0; i < ps.n; i++)
        if (str_eq(ps.v[i].path, "domains.web_host") || str_eq(ps.v[i].path, "storage.bucket") ||
            str_eq(ps.v[i].path, "domains.tls_secret"))
            fail_msg("a private host and an own bucket still warned: %s", ps.v[i].message);
    problems_done(&ps);
    str_replace(&p.domains.web_host, "dify.acme.io");
    expect_problem(&p, NULL, "domains.tls_secret", "clear text", true);
    str_replace(&p.domains.tls_secret, "dify-tls");
    expect_clean(&p, NULL);
    profile_done(&p);
}

static void test_request_limit_units_compare(void **state)
{
    struct profile p;
    existing_base(&p);
    /* maxSurge above 100% is legal in Kubernetes. */
    str_replace(&p.rollout.max_surge, "150%");
    str_replace(&p.rollout.max_unavailable, "100%");
    /* 1024Mi == 1Gi and 500m == 0.5: equal is fine. */
    str_replace(&p.comp[COMP_API].res.mem_request, "1024Mi");
    str_replace(&p.comp[COMP_API].res.mem_limit, "1Gi");
    str_replace(&p.comp[COMP_API].res.cpu_request, "500m");
    str_replace(&p.comp[COMP_API].res.cpu_limit, "0.5");
    expect_clean(&p, NULL);
    profile_done(&p);
}

static char *write_temp(size_t size, char *dir_out)
{
    char tmpl[] = "/tmp/dify-validate-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    strcpy(dir_out, tmpl);
    char *path = xasprintf("%s/prompts.py", tmpl);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (size_t i = 0; i < size; i++)
        fputc('#', f);
    fclose(f);
    return path;
}

static void test_extra_files(void **state)
{
    char dir[64];
    char *src = write_temp(100, dir);
    struct profile p;
    existing_base(&p);
    p.extra_files = xcalloc(2, sizeof(*p.extra_files));
    p.n_extra_files = 1;
    struct extra_file *x = &p.extra_files[0];
    x->source = xstrdup(src);
    x->configmap = xstrdup("dify-prompts");
    x->key = xstrdup("prompts.py");
    x->mount_path = xstrdup("/app/api/core/llm_generator/prompts.py");
    x->api = x->worker = true;
    expect_clean(&p, NULL);

    str_replace(&x->source, "/nonexistent/prompts.py");
    expect_problem(&p, NULL, "extra_files[0].source", "No such file", false);
    str_replace(&x->source, dir);
    expect_problem(&p, NULL, "extra_files[0].source", "not a regular file", false);
    str_replace(&x->source, src);
    str_replace(&x->configmap, "Dify_Prompts");
    expect_problem(&p, NULL, "extra_files[0].configmap", "upper-case", false);
    str_replace(&x->configmap, "dify-prompts");
    str_replace(&x->key, "a/b");
    expect_problem(&p, NULL, "extra_files[0].key", "ConfigMap key", false);
    str_replace(&x->key, "prompts.py");
    str_replace(&x->mount_path, "app/prompts.py");
    expect_problem(&p, NULL, "extra_files[0].mount_path", "absolute", false);
    str_replace(&x->mount_path, "/app/");
    expect_problem(&p, NULL, "extra_files[0].mount_path", "must name a file", false);
    str_replace(&x->mount_path, "/app/api/core/llm_generator/prompts.py");
    x->api = x->worker = false;
    expect_problem(&p, NULL, "extra_files[0]", "mounted nowhere", false);
    x->api = true;
    /* The same mount twice in one component. */
    struct extra_file *y = &p.extra_files[1];
    y->source = xstrdup(src);
    y->configmap = xstrdup("other");
    y->key = xstrdup("prompts.py");
    y->mount_path = xstrdup(x->mount_path);
    y->api = true;
    p.n_extra_files = 2;
    expect_problem(&p, NULL, "extra_files[1].mount_path", "already mounted", false);
    profile_done(&p);

    /* 1 MiB is the ConfigMap limit. */
    char dir2[64];
    char *big = write_temp(1024 * 1024, dir2);
    existing_base(&p);
    p.extra_files = xcalloc(1, sizeof(*p.extra_files));
    p.n_extra_files = 1;
    p.extra_files[0] =
        (struct extra_file){xstrdup(big), xstrdup("c"), xstrdup("k"), xstrdup("/a/k"), true, false};
    expect_problem(&p, NULL, "extra_files[0].source", "less than 1 MiB", false);
    profile_done(&p);
    unlink(big);
    rmdir(dir2);
    free(big);
    unlink(src);
    rmdir(dir);
    free(src);
}

static void test_secret_rules(void **state)
{
    struct profile p;
    struct secrets s;
    existing_base(&p);
    secrets_init(&s);
    /* keys auth without keys: both missing. */
    expect_problem(&p, &s, "secrets.s3_access_key", "DIFY_S3_ACCESS_KEY", false);
    expect_problem(&p, &s, "secrets.s3_secret_key", "DIFY_S3_SECRET_KEY", false);
    s.s3_access_key = xstrdup("AKIAEXAMPLE");
    s.s3_secret_key = xstrdup("secretsecret");
    /* The existing cluster's database and Redis passwords are the user's:
     * asked for, never generated; "none" says the server wants none. */
    expect_problem(&p, &s, "secrets.db_password",
                   "the PostgreSQL at pg.internal is yours, so its password is not made up here",
                   false);
    expect_problem(&p, &s, "secrets.redis_password", "or set redis.auth: none", false);
    p.db.auth = AUTH_NONE;
    p.redis.auth = AUTH_NONE;
    expect_clean(&p, &s);
    s.redis_password = xstrdup("given-anyway-1234");
    expect_problem(&p, &s, "secrets.redis_password", "redis.auth is none, yet", false);
    p.redis.auth = AUTH_PASSWORD;
    s.db_password = xstrdup("chosen-db-password-1");
    p.db.auth = AUTH_PASSWORD;
    expect_clean(&p, &s);
    str_free_secret(s.db_password);
    s.db_password = NULL;
    str_replace(&s.redis_password, "the-redis-password-1");
    /* Secrets not given: the S3 key rule is not applied. */
    expect_clean(&p, NULL);
    s.secret_key = xstrdup("too-short");
    expect_problem(&p, &s, "secrets.secret_key", "at least 32", false);
    str_replace(&s.secret_key, "0123456789abcdef0123456789abcdef");
    s.db_password = xstrdup("short");
    expect_problem(&p, &s, "secrets.db_password", "at least 12", false);
    str_replace(&s.db_password, "long-enough-but@broken");
    expect_problem(&p, &s, "secrets.db_password", "postgresql:// URI", false);
    str_replace(&s.db_password, "long-enough_and.fine~1");
    s.sandbox_key = xstrdup("abc");
    expect_problem(&p, &s, "secrets.sandbox_key", "at least 32", false);
    str_replace(&s.sandbox_key, "0123456789abcdef0123456789abcdef");
    expect_clean(&p, &s);
    /* An existing database may hold any password; on EKS RDS's and
     * ElastiCache's rules apply as well (the stack's validations). */
    char long_pw[131];
    memset(long_pw, 'x', 130);
    long_pw[130] = 0;
    str_replace(&s.db_password, long_pw);
    s.redis_password = xstrdup("has/slash");
    expect_clean(&p, &s);
    profile_done(&p);
    profile_init(&p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    expect_problem(&p, &s, "secrets.db_password", "RDS takes 12 to 128", false);
    str_replace(&s.db_password, "caf\xc3\xa9-long-enough-1");
    expect_problem(&p, &s, "secrets.db_password", "non-ASCII", false);
    str_replace(&s.db_password, "long-enough_and.fine~1");
    expect_problem(&p, &s, "secrets.redis_password", "ElastiCache takes 16 to 128", false);
    str_replace(&s.redis_password, "sixteen-or-more/but-a-slash");
    expect_problem(&p, &s, "secrets.redis_password", "'/'", false);
    str_replace(&s.redis_password, "sixteen-or-more_and-fine");
    expect_clean(&p, &s);
    secrets_done(&s);
    profile_done(&p);
}

/* The value of key in the rendered configmaps file ("KEY: value"). */
static char *rendered_value(const struct rendered *r, const char *key)
{
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->v[i].name, "manifests/20-configmaps.yaml") != 0)
            continue;
        char *want = xasprintf("%s: ", key);
        const char *at = strstr(r->v[i].data, want);
        char *v = at ? xstrndup(at + strlen(want), strcspn(at + strlen(want), "\n")) : NULL;
        free(want);
        return v;
    }
    return NULL;
}

static bool summary_has(const struct summary *sm, const char *text)
{
    for (size_t i = 0; i < sm->n; i++)
        if (strstr(sm->v[i].text, text))
            return true;
    return false;
}

/* Review's summary says the URLs the rendered files hold, exactly: it once
 * said https://... (no TLS) while the files said http://. */
static void test_summary_urls_as_rendered(void **state)
{
    struct {
        enum target t;
        const char *ingress, *tls_secret, *acm;
    } cases[] = {
        {TARGET_EKS, "alb", "", ""},
        {TARGET_EKS, "alb", "", "arn:aws:acm:us-west-2:123456789012:certificate/abc-123"},
        {TARGET_EXISTING, "nginx", "", ""},
        {TARGET_EXISTING, "nginx", "dify-tls", ""},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct profile p;
        struct secrets s;
        struct error err;
        struct rendered r = {0};
        profile_init(&p, EDITION_COMMUNITY, cases[i].t, SIZE_TEST);
        if (cases[i].t == TARGET_EXISTING)
            existing_base(&p), p.domains.split = true,
                               str_replace(&p.domains.api_host, "api.example.net");
        str_replace(&p.cluster.ingress_class, cases[i].ingress);
        str_replace(&p.domains.tls_secret, cases[i].tls_secret);
        str_replace(&p.domains.acm_certificate_arn, cases[i].acm);
        secrets_init(&s);
        assert_true(secrets_fill(&s, NULL, &err) >= 0);
        assert_int_equal(render_profile(&p, &s, &r, &err), 0);
        char *web = rendered_value(&r, "CONSOLE_WEB_URL");
        char *api = rendered_value(&r, "SERVICE_API_URL");
        assert_non_null(web);
        struct summary sm;
        struct summary_paths paths = {NULL, NULL, NULL};
        profile_summary(&p, &s, &paths, &sm);
        char *want = xasprintf("Console  %s", web);
        if (!summary_has(&sm, want))
            fail_msg("case %zu: summary lacks \"%s\"", i, want);
        free(want);
        want = xasprintf("API      %s", api);
        assert_true(summary_has(&sm, want));
        free(want);
        bool tls = str_starts_with(web, "https://");
        assert_int_equal(summary_has(&sm, "No TLS"), !tls);
        summary_done(&sm);
        free(web);
        free(api);
        rendered_done(&r);
        secrets_done(&s);
        profile_done(&p);
    }
}

/* It names what is generated and what only the user has, never a value,
 * and the files a write would replace. */
static void test_summary_secrets_and_files(void **state)
{
    struct profile p;
    struct secrets s;
    existing_base(&p);
    secrets_init(&s);
    s.s3_access_key = xstrdup("AKIAEXAMPLEVALUE");
    struct summary sm;
    char dir[] = "/tmp/dify-summary-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *ans = xasprintf("%s/answers.yaml", dir), *out = xasprintf("%s/rendered", dir);
    char *vals = xasprintf("%s/values.yaml", out);
    struct error err;
    assert_int_equal(file_write_atomic(ans, "version: 1\n", 11, 0644, &err), 0);
    assert_int_equal(mkdir(out, 0755), 0);
    assert_int_equal(file_write_atomic(vals, "x: 1\n", 5, 0644, &err), 0);
    struct summary_paths paths = {ans, NULL, out};
    profile_summary(&p, &s, &paths, &sm);
    assert_true(summary_has(&sm, "Generated when the files are written: secret_key, "
                                 "plugin_daemon_key, inner_api_key, sandbox_key"));
    assert_true(summary_has(&sm, "Given: s3_access_key"));
    assert_true(summary_has(&sm, "Needed, only you have them: db_password, redis_password, "
                                 "s3_secret_key"));
    assert_true(summary_has(&sm, "password NEEDED"));
    assert_true(summary_has(&sm, "(replaces the file there)"));
    assert_true(summary_has(&sm, "Replaces 1 file there: values.yaml"));
    assert_true(summary_has(&sm, "Replicas: api 2, worker 1, beat 1, web 2, sandbox 1"));
    assert_false(summary_has(&sm, "AKIAEXAMPLEVALUE"));
    summary_done(&sm);
    p.db.auth = AUTH_NONE;
    profile_summary(&p, &s, &paths, &sm);
    assert_true(summary_has(&sm, "user dify, no password"));
    assert_false(summary_has(&sm, "placeholders")); /* every host is known */
    summary_done(&sm);
    /* On EKS the files hold @@name@@ placeholders only Terraform's outputs
     * fill: Review says so, and how to fill them by hand. */
    struct profile e;
    profile_init(&e, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    profile_summary(&e, &s, &paths, &sm);
    assert_true(summary_has(&sm, "(@@name@@ placeholders: fill with render --from-terraform)"));
    summary_done(&sm);
    profile_done(&e);
    unlink(vals);
    rmdir(out);
    unlink(ans);
    rmdir(dir);
    free(vals);
    free(out);
    free(ans);
    secrets_done(&s);
    profile_done(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dns_label),
        cmocka_unit_test(test_dns_subdomain),
        cmocka_unit_test(test_hostname),
        cmocka_unit_test(test_cidr_parse),
        cmocka_unit_test(test_cidr_relations),
        cmocka_unit_test(test_aws_region),
        cmocka_unit_test(test_instance_type),
        cmocka_unit_test(test_eks_grammars),
        cmocka_unit_test(test_acu_range),
        cmocka_unit_test(test_quantities),
        cmocka_unit_test(test_s3_bucket),
        cmocka_unit_test(test_secret_len),
        cmocka_unit_test(test_surge),
        cmocka_unit_test(test_pg_identifier),
        cmocka_unit_test(test_problem_format),
        cmocka_unit_test(test_defaults_are_valid),
        cmocka_unit_test(test_eks_rules),
        cmocka_unit_test(test_common_rules),
        cmocka_unit_test(test_local_chart),
        cmocka_unit_test(test_unusable_defaults_warned),
        cmocka_unit_test(test_request_limit_units_compare),
        cmocka_unit_test(test_extra_files),
        cmocka_unit_test(test_secret_rules),
        cmocka_unit_test(test_one_problem_per_refused_field),
        cmocka_unit_test(test_summary_urls_as_rendered),
        cmocka_unit_test(test_summary_secrets_and_files),
    };
    return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
