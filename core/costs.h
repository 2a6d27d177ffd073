/* core/costs.h: what the EKS stack costs a month, from one table of AWS list
 * prices. The README's and docs/terraform.md's cost tables and the wizard's
 * cost line all come from here (tests/costs_docs.sh checks the documents
 * against it), so a price is changed in one place.
 *
 * An estimate is the floor: the stack idle, Aurora at its minimum ACUs, no
 * data transfer, no S3/ECR storage, no load balancer capacity units. */
#ifndef CORE_COSTS_H
#define CORE_COSTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/profile.h"

/* AWS bills hourly resources for 730 hours a month in its calculator. */
#define COSTS_HOURS_PER_MONTH 730.0

/* One list price. */
struct cost_price {
    const char *key;    /* "ec2:m7g.xlarge", "eks:standard", ... */
    double usd;         /* per unit */
    const char *unit;   /* "h", "GB-month", "ACU-h" */
    const char *source; /* the AWS pricing page it was read from */
};

extern const struct cost_price cost_prices[];
extern const size_t cost_nprices;
/* Where and when the table's prices were read. */
extern const char costs_region[]; /* "us-west-2" */
extern const char costs_date[];   /* "June 2026" */

/* The price of key, or NULL when the table has none. */
const struct cost_price *costs_price(const char *key);

#define COSTS_MAX_LINES 16

struct cost_line {
    const char *item; /* "EC2 nodes" */
    char detail[96];  /* "6 x m7g.2xlarge at $0.3264/h" */
    double monthly;   /* USD a month; 0 when !known */
    bool known;       /* false when the table has no price for the type asked for */
};

struct cost_estimate {
    bool aws; /* false for an existing cluster: nothing is created on AWS */
    struct cost_line line[COSTS_MAX_LINES];
    size_t n;
    double total;          /* sum of the known lines, EKS in standard support */
    double extended_extra; /* added a month while the Kubernetes version is in extended support */
    bool complete;         /* every line has a price */
    bool region_priced;    /* the profile's region is costs_region */
};

/* The monthly floor of what the stack builds for p (EKS target). */
void costs_estimate(const struct profile *p, struct cost_estimate *e);
/* The same for a size preset with every other setting at its default. */
void costs_estimate_preset(enum size_preset s, struct cost_estimate *e);

/* "$1,429.63" (decimals 2) or "$1,430" (decimals 0) into buf. */
void costs_money(char *buf, size_t n, double usd, int decimals);
/* The "about" figure of a total: rounded to the nearest $10. */
double costs_about(double usd);
/* One line for the wizard: "about $420/month (+$370 in EKS extended
 * support)", or why there is no figure. Caller frees. */
char *costs_summary(const struct cost_estimate *e);

#endif
