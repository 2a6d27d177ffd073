/* tests/costs_table.c: prints the cost tables of README.md ("summary") and
 * docs/terraform.md ("lines") as core/costs.c computes them for the test and
 * prod presets. tests/costs_docs.sh compares them with the documents, so a
 * price or preset change that is not carried into the docs fails the suite;
 * its output is also what to paste. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/costs.h"
#include "core/util.h"

static const char *const preset_label[] = {"test", "prod"};

static void note(void)
{
    printf("_%s on-demand list prices as of %s (core/costs.c), %.0f hours a month, not fetched "
           "live: prices change; check the AWS Pricing Calculator._\n\n",
           costs_region, costs_date, COSTS_HOURS_PER_MONTH);
}

static const struct cost_line *find(const struct cost_estimate *e, const char *item)
{
    for (size_t i = 0; i < e->n; i++)
        if (!strcmp(e->line[i].item, item))
            return &e->line[i];
    return NULL;
}

/* "1 x m7g.xlarge $119": the count and type of a line and its whole dollars. */
static void cell(const struct cost_estimate *e, const char *item, char *buf, size_t n)
{
    const struct cost_line *l = find(e, item);
    if (!l) {
        snprintf(buf, n, "none");
        return;
    }
    char m[32], what[96];
    costs_money(m, sizeof(m), l->monthly, 0);
    snprintf(what, sizeof(what), "%s", l->detail);
    char *at = strstr(what, " at $");
    if (at)
        *at = '\0';
    snprintf(buf, n, "%s %s", what, m);
}

static void summary(void)
{
    note();
    printf("| size | nodes | Aurora (at min ACU) | Redis | OpenSearch | total, standard support "
           "| total in extended support |\n");
    printf("| --- | --- | --- | --- | --- | --- | --- |\n");
    for (int s = SIZE_TEST; s <= SIZE_PROD; s++) {
        struct cost_estimate e;
        costs_estimate_preset((enum size_preset)s, &e);
        char nodes[128], aurora[128], redis[128], search[128], masters[128], total[32], ext[32];
        char os[300];
        cell(&e, "EC2 nodes", nodes, sizeof(nodes));
        cell(&e, "Aurora Serverless v2", aurora, sizeof(aurora));
        cell(&e, "ElastiCache Redis", redis, sizeof(redis));
        cell(&e, "OpenSearch data nodes", search, sizeof(search));
        if (find(&e, "OpenSearch dedicated masters")) {
            cell(&e, "OpenSearch dedicated masters", masters, sizeof(masters));
            snprintf(os, sizeof(os), "%s + masters %s", search, masters);
        } else {
            snprintf(os, sizeof(os), "%s", search);
        }
        costs_money(total, sizeof(total), costs_about(e.total), 0);
        costs_money(ext, sizeof(ext), costs_about(e.total + e.extended_extra), 0);
        printf("| %s | %s | %s | %s | %s | **about %s/month** | about %s/month |\n",
               preset_label[s], nodes, aurora, redis, os, total, ext);
    }
}

static void lines(void)
{
    struct cost_estimate e[2];
    costs_estimate_preset(SIZE_TEST, &e[0]);
    costs_estimate_preset(SIZE_PROD, &e[1]);
    note();
    printf("| item | test | prod |\n| --- | --- | --- |\n");
    /* The prod estimate has every line the test one has, and more. */
    for (size_t i = 0; i < e[1].n; i++) {
        const char *item = e[1].line[i].item;
        printf("| %s |", item);
        for (int s = 0; s < 2; s++) {
            const struct cost_line *l = find(&e[s], item);
            char m[32];
            if (!l) {
                printf(" none |");
                continue;
            }
            costs_money(m, sizeof(m), l->monthly, 2);
            printf(" %s = %s |", l->detail, m);
        }
        printf("\n");
    }
    char t[2][32], x[2][32];
    for (int s = 0; s < 2; s++) {
        costs_money(t[s], sizeof(t[s]), e[s].total, 2);
        costs_money(x[s], sizeof(x[s]), e[s].extended_extra, 2);
    }
    printf("| **floor total** (idle, Aurora at its minimum) | **%s** | **%s** |\n", t[0], t[1]);
    const struct cost_price *std = costs_price("eks:standard"), *ext = costs_price("eks:extended");
    printf("| EKS extended support ($%.2f/h instead of $%.2f/h) | +%s | +%s |\n", ext->usd,
           std->usd, x[0], x[1]);
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "summary"))
        summary();
    else if (argc == 2 && !strcmp(argv[1], "lines"))
        lines();
    else {
        fprintf(stderr, "usage: %s summary|lines\n", argv[0]);
        return 2;
    }
    return 0;
}
