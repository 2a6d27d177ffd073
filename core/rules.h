/* core/rules.h: single-value rules, the grammar of one kind of value (a DNS
 * label, a host, a CIDR block, a Kubernetes quantity ...). Each returns true
 * when valid, otherwise writes a reason into msg (msg may be NULL). */
#ifndef CORE_RULES_H
#define CORE_RULES_H

#include <stdbool.h>
#include <stddef.h>

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
/* The quantity in base units (cores or bytes); s must be valid. */
double k8s_quantity_value(const char *s, bool cpu);
bool valid_s3_bucket(const char *s, char *msg, size_t msgsz);
bool valid_secret_len(const char *s, size_t min_len, char *msg, size_t msgsz);
/* A Deployment's maxSurge / maxUnavailable as Kubernetes validates them: a
 * count, or "N%" (maxUnavailable at most 100%, maxSurge any). */
bool valid_max_surge(const char *s, char *msg, size_t msgsz);
bool valid_max_unavailable(const char *s, char *msg, size_t msgsz);
bool surge_is_zero(const char *s); /* "0", "0%": s must be valid */
bool valid_pg_identifier(const char *s, char *msg, size_t msgsz);
/* The EKS stack's values, each the grammar of its variable's validation in
 * assets/terraform/variables.tf. */
bool valid_cluster_name(const char *s, char *msg, size_t msgsz); /* 2-25 a-z0-9- */
bool valid_ecr_repository(const char *s, char *msg, size_t msgsz);
bool valid_node_type(const char *s, char *msg, size_t msgsz);            /* m7g.xlarge */
bool valid_cache_node_type(const char *s, char *msg, size_t msgsz);      /* cache.t4g.micro */
bool valid_search_instance_type(const char *s, char *msg, size_t msgsz); /* m6g.large.search */
bool valid_major_minor(const char *s, char *msg, size_t msgsz);          /* 17.5, 7.1, 2.19 */
bool valid_eks_version(const char *s, char *msg, size_t msgsz);          /* 1.33 */
bool valid_acu(double v, bool max, char *msg, size_t msgsz);             /* one end of the range */
bool valid_iam_principal_arn(const char *s, char *msg, size_t msgsz);    /* role or user */
bool valid_rds_password(const char *s, char *msg, size_t msgsz);
bool valid_redis_auth_token(const char *s, char *msg, size_t msgsz);

/* Text that later reaches a command line or a file: valid UTF-8, one line,
 * no control or invisible direction characters, not beginning with '-' (an
 * option to the command it is passed to) and no "$(" or '`'. Every string
 * setting passes this before its own grammar. */
bool valid_safe_text(const char *s, char *msg, size_t msgsz);

bool valid_release_name(const char *s, char *msg, size_t msgsz); /* DNS label, Helm's 53 */
/* An image tag (OCI: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}), never "latest". */
bool valid_image_tag(const char *s, char *msg, size_t msgsz);
bool valid_semver(const char *s, char *msg, size_t msgsz);    /* a Helm chart version */
bool valid_chart_ref(const char *s, char *msg, size_t msgsz); /* REPO/CHART or a local chart */
/* helm.chart names a chart on disk (/..., ./..., ../..., *.tgz, *.tar.gz), not REPO/CHART. */
bool chart_ref_is_local(const char *s);
bool valid_chart_repo_url(const char *s, char *msg, size_t msgsz); /* https, http, oci */
bool valid_http_url(const char *s, char *msg, size_t msgsz);       /* http(s)://host[:port]/... */
bool valid_cidr_block(const char *s, char *msg, size_t msgsz);
bool valid_vpc_cidr(const char *s, char *msg, size_t msgsz); /* a CIDR, /16 to /28 */
/* n bytes of UTF-8 text without NUL; false with the offset of the first bad byte. */
bool text_is_utf8(const char *s, size_t n, size_t *bad);
bool valid_cpu_quantity(const char *s, char *msg, size_t msgsz);
bool valid_memory_quantity(const char *s, char *msg, size_t msgsz);
bool valid_pg_sslmode(const char *s, char *msg, size_t msgsz); /* libpq's values */
/* A host name (any case) or an IPv4/IPv6 address; no scheme, port or '/'. */
bool valid_net_host(const char *s, char *msg, size_t msgsz);
bool valid_host_or_url(const char *s, char *msg, size_t msgsz); /* host, or http(s) URL */
bool valid_local_path(const char *s, char *msg, size_t msgsz);
bool valid_kube_context(const char *s, char *msg, size_t msgsz);
bool valid_account_name(const char *s, char *msg, size_t msgsz); /* a service's user */
bool valid_unix_user(const char *s, char *msg, size_t msgsz);    /* an SSH login */
bool valid_region_name(const char *s, char *msg, size_t msgsz);  /* an S3-compatible region */

#endif
