/* tests/unit/test_costs.c: the price table is well formed and the monthly
 * floor of the presets is the arithmetic docs/terraform.md shows. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/costs.h"
#include "core/util.h"

static const struct cost_line *line(const struct cost_estimate *e, const char *item)
{
    for (size_t i = 0; i < e->n; i++)
        if (!strcmp(e->line[i].item, item))
            return &e->line[i];
    fail_msg("no line %s", item);
    return NULL;
}

static void assert_usd(double have, double want)
{
    if (fabs(have - want) > 0.005)
        fail_msg("$%.4f, expected $%.4f", have, want);
}

static void test_table_is_well_formed(void **state)
{
    (void)state;
    for (size_t i = 0; i < cost_nprices; i++) {
        const struct cost_price *p = &cost_prices[i];
        assert_true(p->usd > 0);
        assert_true(!strcmp(p->unit, "h") || !strcmp(p->unit, "GB-month") ||
                    !strcmp(p->unit, "ACU-h"));
        assert_true(str_starts_with(p->source, "https://aws.amazon.com/"));
        assert_ptr_equal(costs_price(p->key), p);
        for (size_t j = i + 1; j < cost_nprices; j++)
            assert_string_not_equal(p->key, cost_prices[j].key);
    }
    assert_null(costs_price("ec2:no-such.type"));
    /* Extended support is six times the standard rate (AWS EKS pricing). */
    assert_usd(costs_price("eks:extended")->usd, 6 * costs_price("eks:standard")->usd);
}

static void test_test_preset(void **state)
{
    (void)state;
    struct cost_estimate e;
    costs_estimate_preset(SIZE_TEST, &e);
    assert_true(e.aws && e.complete && e.region_priced);
    assert_usd(line(&e, "EKS control plane")->monthly, 73.00);
    assert_usd(line(&e, "EC2 nodes")->monthly, 0.1632 * 730);
    assert_usd(line(&e, "node root volumes")->monthly, 40 * 0.08);
    assert_usd(line(&e, "NAT gateways")->monthly, 2 * 0.045 * 730);
    assert_usd(line(&e, "public IPv4 addresses")->monthly, 4 * 0.005 * 730);
    assert_usd(line(&e, "load balancer")->monthly, 0.0225 * 730);
    assert_usd(line(&e, "Aurora Serverless v2")->monthly, 0.5 * 0.12 * 730);
    assert_usd(line(&e, "ElastiCache Redis")->monthly, 0.016 * 730);
    assert_usd(line(&e, "OpenSearch data nodes")->monthly, 0.128 * 730);
    assert_usd(line(&e, "OpenSearch storage")->monthly, 20 * 0.122);
    for (size_t i = 0; i < e.n; i++)
        assert_string_not_equal(e.line[i].item, "OpenSearch dedicated masters");
    double sum = 0;
    for (size_t i = 0; i < e.n; i++)
        sum += e.line[i].monthly;
    assert_usd(e.total, sum);
    assert_usd(e.extended_extra, 0.50 * 730);
    assert_string_equal(line(&e, "EC2 nodes")->detail, "1 x m7g.xlarge at $0.1632/h");
}

static void test_prod_preset(void **state)
{
    (void)state;
    struct cost_estimate e;
    costs_estimate_preset(SIZE_PROD, &e);
    assert_true(e.complete);
    assert_usd(line(&e, "EC2 nodes")->monthly, 6 * 0.3264 * 730);
    assert_usd(line(&e, "node root volumes")->monthly, 6 * 40 * 0.08);
    assert_usd(line(&e, "Aurora Serverless v2")->monthly, 2 * 1 * 0.12 * 730);
    assert_usd(line(&e, "ElastiCache Redis")->monthly, 2 * 0.032 * 730);
    assert_usd(line(&e, "OpenSearch data nodes")->monthly, 2 * 1.024 * 730);
    assert_usd(line(&e, "OpenSearch dedicated masters")->monthly, 3 * 0.128 * 730);
    assert_usd(line(&e, "OpenSearch storage")->monthly, 2 * 100 * 0.122);
}

static void test_unknown_type_and_region(void **state)
{
    (void)state;
    struct profile p;
    profile_init(&p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    str_replace(&p.aws.node_type, "x2gd.metal");
    str_replace(&p.aws.region, "eu-west-1");
    struct cost_estimate e;
    costs_estimate(&p, &e);
    assert_false(e.complete);
    assert_false(e.region_priced);
    assert_false(line(&e, "EC2 nodes")->known);
    assert_usd(line(&e, "EC2 nodes")->monthly, 0);
    char *s = costs_summary(&e);
    assert_non_null(strstr(s, "over $"));
    assert_non_null(strstr(s, "no price"));
    assert_non_null(strstr(s, "us-west-2 prices"));
    free(s);
    profile_done(&p);

    profile_init(&p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    costs_estimate(&p, &e);
    assert_false(e.aws);
    assert_int_equal(e.n, 0);
    s = costs_summary(&e);
    assert_non_null(strstr(s, "no AWS resources"));
    free(s);
    profile_done(&p);
}

static void test_money_and_summary(void **state)
{
    (void)state;
    char b[32];
    costs_money(b, sizeof(b), 1429.632, 2);
    assert_string_equal(b, "$1,429.63");
    costs_money(b, sizeof(b), 1234567.0, 0);
    assert_string_equal(b, "$1,234,567");
    costs_money(b, sizeof(b), 73, 2);
    assert_string_equal(b, "$73.00");
    costs_money(b, sizeof(b), 0.5, 0);
    assert_string_equal(b, "$0");
    assert_usd(costs_about(419.7), 420);
    assert_usd(costs_about(3614.9), 3610);

    struct cost_estimate e;
    costs_estimate_preset(SIZE_TEST, &e);
    char *s = costs_summary(&e);
    char want[96], total[32];
    costs_money(total, sizeof(total), costs_about(e.total), 0);
    snprintf(want, sizeof(want), "about %s/month (+$370 in EKS extended support)", total);
    assert_string_equal(s, want);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_is_well_formed), cmocka_unit_test(test_test_preset),
        cmocka_unit_test(test_prod_preset),          cmocka_unit_test(test_unknown_type_and_region),
        cmocka_unit_test(test_money_and_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
