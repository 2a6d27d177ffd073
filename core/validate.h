/* core/validate.h: checks a profile and reports every problem a person can act
 * on, each tied to a field path so the wizard's review page can jump to it and
 * the answers loader can point at FILE:LINE:COL. */
#ifndef CORE_VALIDATE_H
#define CORE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/profile.h"

struct problem {
    char *file;    /* answers file, or NULL for problems not tied to a file */
    int line, col; /* 1-based position in file; 0 when unknown */
    char *path;    /* field path, "aws.vpc_cidr", or NULL */
    char *message; /* what is wrong and what is expected */
    bool warning;  /* true: allowed, but the person should know */
};

struct problems {
    struct problem *v;
    size_t n;
};

void problems_init(struct problems *ps);
void problems_done(struct problems *ps);
void problems_add(struct problems *ps, bool warning, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void problems_add_at(struct problems *ps, const char *file, int line, int col, const char *path,
                     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
size_t problems_errors(const struct problems *ps); /* count of non-warnings */
/* "FILE:LINE:COL: path: message" (or as much of it as is known); caller frees. */
char *problem_format(const struct problem *pr);

/* Every rule, applied to the whole profile; secrets may be NULL (not checked). */
void profile_validate(const struct profile *p, const struct secrets *s, struct problems *out);

/* Single rules, exported for the tests and for the wizard's field-level checks.
 * Each returns true when valid, otherwise writes a reason into msg. */
bool valid_dns_label(const char *s, char *msg, size_t msgsz);     /* RFC 1123 label */
bool valid_dns_subdomain(const char *s, char *msg, size_t msgsz); /* RFC 1123 name */
bool valid_hostname(const char *s, char *msg, size_t msgsz);      /* FQDN for ingress */

struct cidr {
    unsigned int addr; /* network address, host order */
    int prefix;        /* 0..32 */
};
bool cidr_parse(const char *s, struct cidr *out, char *msg, size_t msgsz);
bool cidr_contains(const struct cidr *outer, const struct cidr *inner);
bool cidr_overlaps(const struct cidr *a, const struct cidr *b);

bool valid_aws_region(const char *s, char *msg, size_t msgsz);
bool valid_instance_type(const char *s, char *msg, size_t msgsz);
bool valid_acu_range(double min, double max, char *msg, size_t msgsz);
bool valid_k8s_quantity(const char *s, bool cpu, char *msg, size_t msgsz);
bool valid_s3_bucket(const char *s, char *msg, size_t msgsz);
bool valid_secret_len(const char *s, size_t min_len, char *msg, size_t msgsz);
bool valid_surge(const char *s, char *msg, size_t msgsz); /* count or percentage */
bool valid_pg_identifier(const char *s, char *msg, size_t msgsz);

#endif
