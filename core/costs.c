/* core/costs.c: the AWS list prices the cost figures come from, and the
 * monthly floor of the EKS stack (assets/terraform) for a profile.
 *
 * Prices are AWS's public on-demand list prices for us-west-2 (Linux,
 * Aurora Standard storage), read from the pricing page named in each row;
 * they are not fetched live. us-west-2 lists these services at the us-east-1
 * rate. What the stack derives from `environment` (Redis nodes, OpenSearch
 * disk and dedicated masters) is mirrored here from assets/terraform/main.tf
 * and opensearch.tf; tests/terraform_contract.sh checks the two agree. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/costs.h"
#include "core/util.h"

const char costs_region[] = "us-west-2";
const char costs_date[] = "June 2026";

#define EKS_PAGE "https://aws.amazon.com/eks/pricing/"
#define EC2_PAGE "https://aws.amazon.com/ec2/pricing/on-demand/"
#define EBS_PAGE "https://aws.amazon.com/ebs/pricing/"
#define VPC_PAGE "https://aws.amazon.com/vpc/pricing/"
#define ELB_PAGE "https://aws.amazon.com/elasticloadbalancing/pricing/"
#define AURORA_PAGE "https://aws.amazon.com/rds/aurora/pricing/"
#define CACHE_PAGE "https://aws.amazon.com/elasticache/pricing/"
#define SEARCH_PAGE "https://aws.amazon.com/opensearch-service/pricing/"

const struct cost_price cost_prices[] = {
    /* The control plane per cluster; a Kubernetes version past its 14
     * months of standard support bills the extended rate until upgraded. */
    {"eks:standard", 0.10, "h", EKS_PAGE},
    {"eks:extended", 0.60, "h", EKS_PAGE},
    /* Graviton (arm64) node types, the presets' family and its neighbours. */
    {"ec2:m7g.large", 0.0816, "h", EC2_PAGE},
    {"ec2:m7g.xlarge", 0.1632, "h", EC2_PAGE},
    {"ec2:m7g.2xlarge", 0.3264, "h", EC2_PAGE},
    {"ec2:m7g.4xlarge", 0.6528, "h", EC2_PAGE},
    {"ec2:m6g.large", 0.077, "h", EC2_PAGE},
    {"ec2:m6g.xlarge", 0.154, "h", EC2_PAGE},
    {"ec2:m6g.2xlarge", 0.308, "h", EC2_PAGE},
    {"ebs:gp3", 0.08, "GB-month", EBS_PAGE},
    {"vpc:nat-gateway", 0.045, "h", VPC_PAGE},
    {"vpc:public-ipv4", 0.005, "h", VPC_PAGE},
    {"elb:alb", 0.0225, "h", ELB_PAGE},
    {"aurora:serverless-v2", 0.12, "ACU-h", AURORA_PAGE},
    {"elasticache:cache.t4g.micro", 0.016, "h", CACHE_PAGE},
    {"elasticache:cache.t4g.small", 0.032, "h", CACHE_PAGE},
    {"elasticache:cache.t4g.medium", 0.065, "h", CACHE_PAGE},
    {"opensearch:m6g.large.search", 0.128, "h", SEARCH_PAGE},
    {"opensearch:m6g.xlarge.search", 0.256, "h", SEARCH_PAGE},
    {"opensearch:m6g.2xlarge.search", 0.512, "h", SEARCH_PAGE},
    {"opensearch:m6g.4xlarge.search", 1.024, "h", SEARCH_PAGE},
    {"opensearch:gp3", 0.122, "GB-month", SEARCH_PAGE},
};
const size_t cost_nprices = ARRAY_LEN(cost_prices);

/* What the stack derives rather than reads from a variable (main.tf locals,
 * opensearch.tf): the number of Redis nodes and the OpenSearch disk per
 * environment, the NAT gateways and their addresses (one per public subnet),
 * the public addresses of an internet-facing ALB across two zones, and the
 * dedicated masters a multi-node (zone-aware) OpenSearch domain gets. */
#define STACK_NAT_GATEWAYS 2
#define STACK_ALB_ADDRESSES 2
#define STACK_REDIS_NODES(prod) ((prod) ? 2 : 1)
#define STACK_OPENSEARCH_GB(prod) ((prod) ? 100 : 20)
#define STACK_OPENSEARCH_MASTERS 3
#define STACK_OPENSEARCH_MASTER_TYPE "m6g.large.search"

const struct cost_price *costs_price(const char *key)
{
    for (size_t i = 0; i < cost_nprices; i++)
        if (!strcmp(cost_prices[i].key, key))
            return &cost_prices[i];
    return NULL;
}

void costs_money(char *buf, size_t n, double usd, int decimals)
{
    char digits[64];
    snprintf(digits, sizeof(digits), "%.*f", decimals, fabs(usd));
    const char *dot = strchr(digits, '.');
    size_t whole = dot ? (size_t)(dot - digits) : strlen(digits);
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, usd < 0 ? "-$" : "$");
    for (size_t i = 0; i < whole; i++) {
        if (i > 0 && (whole - i) % 3 == 0)
            strbuf_addc(&sb, ',');
        strbuf_addc(&sb, digits[i]);
    }
    if (dot)
        strbuf_adds(&sb, dot);
    snprintf(buf, n, "%s", sb.buf);
    strbuf_done(&sb);
}

double costs_about(double usd)
{
    return round(usd / 10) * 10;
}

/* A price in the shortest form that shows all its digits: $0.1632, $0.10. */
static void unit_price(char *buf, size_t n, const struct cost_price *pr)
{
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%.4f", pr->usd);
    /* Trailing zeros go, but two decimals stay: $0.10, $0.045. */
    size_t keep = (size_t)(strchr(tmp, '.') - tmp) + 3, len = strlen(tmp);
    while (len > keep && tmp[len - 1] == '0')
        tmp[--len] = '\0';
    snprintf(buf, n, "$%s/%s", tmp, pr->unit);
}

/* Adds "count x what at price" billed per unit-month (hours for hourly
 * prices); an unknown key is a line without a price. */
static void add_line(struct cost_estimate *e, const char *item, const char *key, double count,
                     double units, const char *what)
{
    if (e->n >= COSTS_MAX_LINES)
        return;
    struct cost_line *l = &e->line[e->n++];
    const struct cost_price *pr = costs_price(key);
    l->item = item;
    l->known = pr != NULL;
    char cnt[32];
    snprintf(cnt, sizeof(cnt), "%g", count);
    if (!pr) {
        snprintf(l->detail, sizeof(l->detail), "%s x %s: no price in the table", cnt, what);
        l->monthly = 0;
        e->complete = false;
        return;
    }
    char up[32];
    unit_price(up, sizeof(up), pr);
    double per = !strcmp(pr->unit, "GB-month") ? units : units * COSTS_HOURS_PER_MONTH;
    l->monthly = count * per * pr->usd;
    snprintf(l->detail, sizeof(l->detail), "%s x %s at %s", cnt, what, up);
    e->total += l->monthly;
}

static void keyed(char *buf, size_t n, const char *service, const char *type)
{
    snprintf(buf, n, "%s:%s", service, type ? type : "");
}

void costs_estimate(const struct profile *p, struct cost_estimate *e)
{
    memset(e, 0, sizeof(*e));
    e->complete = true;
    e->region_priced = true;
    if (p->target != TARGET_EKS)
        return;
    e->aws = true;
    e->region_priced = str_eq(p->aws.region, costs_region);
    bool prod = p->size == SIZE_PROD;
    char key[96], what[96];

    add_line(e, "EKS control plane", "eks:standard", 1, 1, "cluster, standard support");
    const struct cost_price *std = costs_price("eks:standard"), *ext = costs_price("eks:extended");
    e->extended_extra = (ext->usd - std->usd) * COSTS_HOURS_PER_MONTH;

    keyed(key, sizeof(key), "ec2", p->aws.node_type);
    add_line(e, "EC2 nodes", key, p->aws.node_count, 1, p->aws.node_type);
    snprintf(what, sizeof(what), "%d GB gp3", p->aws.node_disk_gb);
    add_line(e, "node root volumes", "ebs:gp3", p->aws.node_count, p->aws.node_disk_gb, what);
    add_line(e, "NAT gateways", "vpc:nat-gateway", STACK_NAT_GATEWAYS, 1, "NAT gateway");
    add_line(e, "public IPv4 addresses", "vpc:public-ipv4",
             STACK_NAT_GATEWAYS + STACK_ALB_ADDRESSES, 1, "address (NAT gateways, ALB)");
    add_line(e, "load balancer", "elb:alb", 1, 1, "ALB for the ingress");

    snprintf(what, sizeof(what), "%g ACU (minimum)", p->db.acu_min);
    add_line(e, "Aurora Serverless v2", "aurora:serverless-v2", p->db.instances, p->db.acu_min,
             what);

    keyed(key, sizeof(key), "elasticache", p->redis.node_type);
    add_line(e, "ElastiCache Redis", key, STACK_REDIS_NODES(prod), 1, p->redis.node_type);

    keyed(key, sizeof(key), "opensearch", p->vector.instance_type);
    add_line(e, "OpenSearch data nodes", key, p->vector.instance_count, 1, p->vector.instance_type);
    if (p->vector.instance_count > 1)
        add_line(e, "OpenSearch dedicated masters", "opensearch:" STACK_OPENSEARCH_MASTER_TYPE,
                 STACK_OPENSEARCH_MASTERS, 1, STACK_OPENSEARCH_MASTER_TYPE);
    snprintf(what, sizeof(what), "%d GB gp3", STACK_OPENSEARCH_GB(prod));
    add_line(e, "OpenSearch storage", "opensearch:gp3", p->vector.instance_count,
             STACK_OPENSEARCH_GB(prod), what);
}

void costs_estimate_preset(enum size_preset s, struct cost_estimate *e)
{
    struct profile p;
    profile_init(&p, EDITION_COMMUNITY, TARGET_EKS, s);
    costs_estimate(&p, e);
    profile_done(&p);
}

char *costs_summary(const struct cost_estimate *e)
{
    if (!e->aws)
        return xstrdup("no AWS resources: the cluster exists already");
    char total[32], extra[32];
    costs_money(total, sizeof(total), costs_about(e->total), 0);
    costs_money(extra, sizeof(extra), costs_about(e->extended_extra), 0);
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "%s %s/month (+%s in EKS extended support)", e->complete ? "about" : "over",
                total, extra);
    if (!e->complete)
        strbuf_adds(&sb, "; some types have no price in the table");
    if (!e->region_priced)
        strbuf_addf(&sb, "; %s prices", costs_region);
    return strbuf_detach(&sb, NULL);
}
