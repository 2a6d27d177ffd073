/* core/rules.c: the single-value rules (grammars): DNS names, hosts, CIDR
 * blocks, AWS names, Kubernetes quantities, PostgreSQL identifiers. Each
 * returns true when the value is valid, otherwise writes what is wrong and
 * what is expected into msg. They know nothing of the profile. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "core/answers.h"
#include "core/profile.h"
#include "core/rules.h"
#include "core/util.h"

/* The EKS cluster name prefixes every name the stack makes; the tightest
 * limit is the OpenSearch domain "<cluster>-os", 3-28 characters. */
#define CLUSTER_NAME_MAX 25

static bool fail(char *msg, size_t msgsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(char *msg, size_t msgsz, const char *fmt, ...)
{
    if (msg && msgsz) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, msgsz, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool is_lower_alnum(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Decodes the UTF-8 character at s; false for an invalid sequence. */
static bool utf8_char(const char *s, unsigned *cp, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = u[0] < 0x80             ? 1
               : (u[0] & 0xE0) == 0xC0 ? 2
               : (u[0] & 0xF0) == 0xE0 ? 3
               : (u[0] & 0xF8) == 0xF0 ? 4
                                       : 0;
    if (n == 0)
        return false;
    unsigned c = n == 1 ? u[0] : u[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return false;
        c = (c << 6) | (u[i] & 0x3F);
    }
    if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10FFFF ||
        (c >= 0xD800 && c <= 0xDFFF))
        return false;
    *cp = c;
    *len = n;
    return true;
}

/* Why names of each kind are ASCII, for the message naming a non-ASCII letter. */
#define WHY_K8S "Kubernetes names are ASCII only (RFC 1123)"
#define WHY_HOST                                                                                   \
    "host names are ASCII; write an international name in its ASCII (IDNA) form, xn--..."

/* Fails on the character at c of whole, which is not one of allowed: an
 * ASCII character by itself, a non-ASCII one by itself and its code point
 * with why such names are ASCII, anything else as a byte. */
static bool fail_char(char *msg, size_t msgsz, const char *whole, const char *c,
                      const char *allowed, const char *why)
{
    unsigned cp;
    size_t n;
    unsigned char b = (unsigned char)*c;
    if (b >= 0x20 && b < 0x7f)
        return fail(msg, msgsz, "\"%s\": character '%c' is not allowed; use %s", whole, b, allowed);
    if (b >= 0x80 && utf8_char(c, &cp, &n) && cp >= 0xA0)
        return fail(msg, msgsz, "\"%s\": '%.*s' (U+%04X) is not ASCII: %s; use %s", whole, (int)n,
                    c, cp, why, allowed);
    return fail(msg, msgsz, "byte 0x%02x is not allowed; use %s", b, allowed);
}

/* Checks one label of length n starting at s; whole is the name for messages. */
static bool check_label(const char *s, size_t n, const char *whole, const char *why, char *msg,
                        size_t msgsz)
{
    if (n == 0)
        return fail(msg, msgsz, "\"%s\": empty label (two dots in a row, or a dot at an end)",
                    whole);
    if (n > 63)
        return fail(msg, msgsz, "\"%s\": label \"%.*s...\" is %zu characters; at most 63 allowed",
                    whole, 20, s, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            return fail(msg, msgsz, "\"%s\": upper-case letter '%c'; use lower case only", whole,
                        c);
        if (c == '*')
            return fail(msg, msgsz, "\"%s\": wildcards are not allowed; give one exact name",
                        whole);
        if (!is_lower_alnum(c) && c != '-')
            return fail_char(msg, msgsz, whole, s + i, "a-z, 0-9 and '-'", why);
    }
    if (s[0] == '-' || s[n - 1] == '-')
        return fail(msg, msgsz, "\"%s\": a label must start and end with a letter or digit", whole);
    return true;
}

/* A DNS subdomain (labels joined by dots, at most 253). */
static bool check_subdomain(const char *s, const char *why, char *msg, size_t msgsz)
{
    size_t len = strlen(s);
    if (len > 253)
        return fail(msg, msgsz, "\"%.40s...\": %zu characters; a DNS name is at most 253", s, len);
    const char *p = s;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (!check_label(p, n, s, why, msg, msgsz))
            return false;
        if (!dot)
            break;
        p = dot + 1;
    }
    return true;
}

bool valid_dns_label(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a DNS label (a-z, 0-9, '-', 1-63 characters)");
    if (strchr(s, '.'))
        return fail(msg, msgsz, "\"%s\": dots are not allowed in a DNS label (a-z, 0-9, '-')", s);
    return check_label(s, strlen(s), s, WHY_K8S, msg, msgsz);
}

bool valid_dns_subdomain(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a DNS name such as dify-tls");
    return check_subdomain(s, WHY_K8S, msg, msgsz);
}

bool valid_hostname(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a host name such as dify.example.com");
    if (strstr(s, "://"))
        return fail(msg, msgsz, "\"%s\": give the host name only, without a scheme", s);
    if (strchr(s, '*'))
        return fail(msg, msgsz, "\"%s\": wildcards are not allowed; give one exact host name", s);
    if (!check_subdomain(s, WHY_HOST, msg, msgsz))
        return false;
    if (!strchr(s, '.'))
        return fail(msg, msgsz,
                    "\"%s\": a public host name needs at least one dot, e.g. dify.example.com", s);
    const char *last = strrchr(s, '.') + 1;
    bool digits = true;
    for (const char *c = last; *c; c++)
        if (!isdigit((unsigned char)*c))
            digits = false;
    if (digits)
        return fail(msg, msgsz,
                    "\"%s\": an IP address is not a host name; an Ingress needs a "
                    "DNS name",
                    s);
    return true;
}

/* Parses a decimal octet without leading zeros; advances *p. */
static bool parse_octet(const char **p, unsigned *out)
{
    const char *s = *p;
    if (!isdigit((unsigned char)*s))
        return false;
    if (s[0] == '0' && isdigit((unsigned char)s[1]))
        return false;
    unsigned v = 0;
    int n = 0;
    while (isdigit((unsigned char)*s) && n < 4) {
        v = v * 10 + (unsigned)(*s - '0');
        s++;
        n++;
    }
    if (n > 3 || v > 255)
        return false;
    *out = v;
    *p = s;
    return true;
}

static void addr_text(unsigned a, char *buf, size_t sz)
{
    snprintf(buf, sz, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static unsigned prefix_mask(int prefix)
{
    return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

bool cidr_parse(const char *s, struct cidr *out, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a CIDR block such as 10.0.0.0/16");
    const char *p = s;
    unsigned a = 0;
    for (int i = 0; i < 4; i++) {
        unsigned o;
        if (!parse_octet(&p, &o))
            return fail(msg, msgsz,
                        "\"%s\": address part %d is not a number 0-255 without leading zeros; "
                        "expected a.b.c.d/n such as 10.0.0.0/16",
                        s, i + 1);
        a = (a << 8) | o;
        if (i < 3 && *p++ != '.')
            return fail(msg, msgsz, "\"%s\": expected a.b.c.d/n such as 10.0.0.0/16", s);
    }
    if (*p != '/')
        return fail(msg, msgsz,
                    "\"%s\": the prefix length is missing; expected a.b.c.d/n "
                    "such as 10.0.0.0/16",
                    s);
    p++;
    if (!isdigit((unsigned char)*p) || (p[0] == '0' && p[1]))
        return fail(msg, msgsz, "\"%s\": prefix length must be a number 0-32", s);
    char *end;
    long n = strtol(p, &end, 10);
    if (*end)
        return fail(msg, msgsz, "\"%s\": unexpected text after the prefix length", s);
    if (n < 0 || n > 32)
        return fail(msg, msgsz, "\"%s\": prefix length must be 0-32", s);
    unsigned mask = prefix_mask((int)n);
    if (a & ~mask) {
        char net[20];
        addr_text(a & mask, net, sizeof(net));
        return fail(msg, msgsz, "\"%s\": host bits are set; the network address is %s/%ld", s, net,
                    n);
    }
    if (out) {
        out->addr = a;
        out->prefix = (int)n;
    }
    return true;
}

bool cidr_contains(const struct cidr *outer, const struct cidr *inner)
{
    if (inner->prefix < outer->prefix)
        return false;
    unsigned mask = prefix_mask(outer->prefix);
    return (inner->addr & mask) == (outer->addr & mask);
}

bool cidr_overlaps(const struct cidr *a, const struct cidr *b)
{
    return cidr_contains(a, b) || cidr_contains(b, a);
}

/* AWS regions by partition, from the AWS General Reference "AWS Regions"
 * list (docs.aws.amazon.com/global-infrastructure/latest/regions/
 * aws-regions.html) and botocore's data/endpoints.json, as of November 2025.
 * A region AWS opens later is refused until it is added here. */
static const char *const aws_regions[] = {"us-east-1",      "us-east-2",      "us-west-1",
                                          "us-west-2",      "af-south-1",     "ap-east-1",
                                          "ap-east-2",      "ap-south-1",     "ap-south-2",
                                          "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
                                          "ap-southeast-4", "ap-southeast-5", "ap-southeast-6",
                                          "ap-southeast-7", "ap-northeast-1", "ap-northeast-2",
                                          "ap-northeast-3", "ca-central-1",   "ca-west-1",
                                          "eu-central-1",   "eu-central-2",   "eu-west-1",
                                          "eu-west-2",      "eu-west-3",      "eu-south-1",
                                          "eu-south-2",     "eu-north-1",     "il-central-1",
                                          "me-south-1",     "me-central-1",   "mx-central-1",
                                          "sa-east-1",      "cn-north-1",     "cn-northwest-1",
                                          "us-gov-east-1",  "us-gov-west-1",  NULL};

bool valid_aws_region(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected an AWS region such as us-west-2");
    for (const char *c = s; *c; c++)
        if (!(is_lower_alnum((unsigned char)*c) || *c == '-'))
            return fail_char(msg, msgsz, s, c, "a-z, 0-9 and '-', e.g. us-west-2",
                             "AWS region names are ASCII");
    if (enum_lookup(aws_regions, s) >= 0)
        return true;
    /* The closest names, for a typo such as us-west-3 or eu-centrl-1. */
    size_t bestd = (size_t)-1;
    for (size_t i = 0; aws_regions[i]; i++) {
        size_t d = answers_edit_distance(s, aws_regions[i]);
        if (d < bestd)
            bestd = d;
    }
    if (bestd <= 2) {
        struct strbuf sb;
        strbuf_init(&sb);
        for (size_t i = 0, n = 0; aws_regions[i]; i++)
            if (answers_edit_distance(s, aws_regions[i]) == bestd && n < 3)
                strbuf_addf(&sb, "%s%s", n++ ? " or " : "", aws_regions[i]);
        fail(msg, msgsz,
             "\"%s\": not an AWS region (did you mean %s?); the list is AWS's as of November "
             "2025",
             s, sb.buf);
        strbuf_done(&sb);
        return false;
    }
    return fail(msg, msgsz,
                "\"%s\": not an AWS region; expected one such as us-west-2, eu-central-1 or "
                "ap-northeast-1 (the list is AWS's as of November 2025)",
                s);
}

bool valid_instance_type(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected an instance type such as m7g.xlarge");
    const char *dot = strchr(s, '.');
    bool ok = dot && dot != s && dot[1];
    if (ok && !isalpha((unsigned char)s[0]))
        ok = false;
    for (const char *c = s; ok && *c; c++)
        if (!(islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '.' || *c == '-'))
            ok = false;
    if (ok) {
        bool digit = false;
        for (const char *c = s; c < dot; c++)
            if (isdigit((unsigned char)*c))
                digit = true;
        /* "cache.t4g.micro": the family comes after the prefix. */
        if (!digit && !strncmp(s, "cache.", 6))
            digit = true;
        ok = digit;
    }
    for (const char *c = s; ok && *c; c++)
        if (c[0] == '.' && c[1] == '.')
            ok = false;
    if (ok && s[strlen(s) - 1] == '.')
        ok = false;
    if (!ok)
        return fail(msg, msgsz,
                    "\"%s\": not an instance type; expected family.size such as m7g.xlarge", s);
    return true;
}

bool valid_acu_range(double min, double max, char *msg, size_t msgsz)
{
    double v[2] = {min, max};
    const char *names[2] = {"minimum", "maximum"};
    for (int i = 0; i < 2; i++) {
        if (i == 0 && v[i] == 0)
            return fail(msg, msgsz,
                        "ACU minimum 0 means auto-pause, which this installer does "
                        "not offer; use 0.5 or more");
        if (!isfinite(v[i]) || v[i] < 0.5 || v[i] > 256)
            return fail(msg, msgsz,
                        "ACU %s %g is out of range; Aurora Serverless v2 allows "
                        "0.5 to 256",
                        names[i], v[i]);
        if (fabs(v[i] * 2 - round(v[i] * 2)) > 1e-9)
            return fail(msg, msgsz, "ACU %s %g is not a multiple of 0.5", names[i], v[i]);
    }
    if (min > max)
        return fail(msg, msgsz, "ACU minimum %g is above the maximum %g", min, max);
    return true;
}

/* Splits a quantity into number and suffix; the number is a decimal. */
static bool quantity_split(const char *s, double *num, const char **suffix)
{
    const char *p = s;
    bool digits = false, dot = false;
    while (*p) {
        if (isdigit((unsigned char)*p))
            digits = true;
        else if (*p == '.' && !dot)
            dot = true;
        else
            break;
        p++;
    }
    if (!digits)
        return false;
    char *end;
    errno = 0;
    *num = strtod(s, &end);
    if (errno || end != p)
        return false;
    *suffix = p;
    return true;
}

bool valid_k8s_quantity(const char *s, bool cpu, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a %s",
                    cpu ? "CPU quantity such as 250m or 1" : "memory quantity such as 512Mi");
    double num;
    const char *suf;
    if (!quantity_split(s, &num, &suf))
        return fail(msg, msgsz, "\"%s\": not a quantity; expected %s", s,
                    cpu ? "cores (1, 0.5) or millicores (250m)"
                        : "a size such as 512Mi, 1Gi or 1G");
    static const char *const mem_suffixes[] = {"",  "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k",
                                               "K", "M",  "G",  "T",  "P",  "E",  NULL};
    if (cpu) {
        if (*suf && strcmp(suf, "m"))
            return fail(msg, msgsz,
                        "\"%s\": unknown CPU unit \"%s\"; use cores (1, 0.5) or millicores "
                        "(250m)",
                        s, suf);
        if (!strcmp(suf, "m") && strchr(s, '.'))
            return fail(msg, msgsz, "\"%s\": millicores must be a whole number, e.g. 250m", s);
        if (!*suf && strchr(s, '.')) {
            const char *d = strchr(s, '.') + 1;
            if (strlen(d) > 3)
                return fail(msg, msgsz, "\"%s\": finer than 1m; use millicores, e.g. 250m", s);
        }
    } else if (enum_lookup(mem_suffixes, suf) < 0) {
        return fail(msg, msgsz,
                    "\"%s\": unknown memory unit \"%s\"; use Ki, Mi, Gi, Ti (or k, M, G, T)", s,
                    suf);
    }
    if (num <= 0)
        return fail(msg, msgsz, "\"%s\": must be greater than zero", s);
    return true;
}

/* The quantity in base units (cores or bytes); the string is already valid. */
double k8s_quantity_value(const char *s, bool cpu)
{
    double num;
    const char *suf;
    if (!quantity_split(s, &num, &suf))
        return 0;
    if (cpu)
        return *suf ? num / 1000 : num;
    static const struct {
        const char *s;
        double f;
    } units[] = {{"Ki", 1024.0},
                 {"Mi", 1048576.0},
                 {"Gi", 1073741824.0},
                 {"Ti", 1099511627776.0},
                 {"Pi", 1125899906842624.0},
                 {"Ei", 1152921504606846976.0},
                 {"k", 1e3},
                 {"K", 1e3},
                 {"M", 1e6},
                 {"G", 1e9},
                 {"T", 1e12},
                 {"P", 1e15},
                 {"E", 1e18}};
    for (size_t i = 0; i < ARRAY_LEN(units); i++)
        if (!strcmp(suf, units[i].s))
            return num * units[i].f;
    return num;
}

bool valid_s3_bucket(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected an S3 bucket name such as dify-storage");
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (!is_lower_alnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.')
            return fail_char(msg, msgsz, s, s + i, "a-z, 0-9, '-' and '.'",
                             "S3 bucket names are ASCII only");
    if (n < 3 || n > 63)
        return fail(msg, msgsz, "\"%s\": %zu characters; a bucket name has 3-63", s, n);
    if (!is_lower_alnum((unsigned char)s[0]) || !is_lower_alnum((unsigned char)s[n - 1]))
        return fail(msg, msgsz, "\"%s\": must start and end with a letter or digit", s);
    if (strstr(s, ".."))
        return fail(msg, msgsz, "\"%s\": two dots in a row are not allowed", s);
    if (strstr(s, ".-") || strstr(s, "-."))
        return fail(msg, msgsz, "\"%s\": a dot next to a hyphen is not allowed", s);
    struct cidr c;
    char *asip = xasprintf("%s/32", s);
    bool ip = cidr_parse(asip, &c, NULL, 0);
    free(asip);
    if (ip)
        return fail(msg, msgsz, "\"%s\": a bucket name must not look like an IP address", s);
    static const char *const prefixes[] = {"xn--", "sthree-", "amzn-s3-demo-"};
    static const char *const suffixes[] = {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"};
    for (size_t i = 0; i < ARRAY_LEN(prefixes); i++)
        if (str_starts_with(s, prefixes[i]))
            return fail(msg, msgsz, "\"%s\": the prefix %s is reserved by AWS", s, prefixes[i]);
    for (size_t i = 0; i < ARRAY_LEN(suffixes); i++)
        if (str_ends_with(s, suffixes[i]))
            return fail(msg, msgsz, "\"%s\": the suffix %s is reserved by AWS", s, suffixes[i]);
    return true;
}

bool valid_secret_len(const char *s, size_t min_len, char *msg, size_t msgsz)
{
    size_t n = s ? strlen(s) : 0;
    if (n < min_len)
        return fail(msg, msgsz, "%zu characters; at least %zu are required", n, min_len);
    return true;
}

/* A Deployment's maxSurge or maxUnavailable, as Kubernetes validates it
 * (apps/validation ValidateRollingUpdateDeployment): a count 0 or more, or a
 * percentage "N%" (digits then '%'). maxUnavailable may not exceed 100%;
 * maxSurge may (200% doubles the pods during a rollout). */
static bool check_int_or_percent(const char *s, bool cap100, char *msg, size_t msgsz)
{
    static const char *const want = "expected a pod count (e.g. 1) or a percentage (e.g. 25%%)";
    if (str_empty(s))
        return fail(msg, msgsz, "empty; %s", want);
    size_t n = strlen(s);
    size_t digits = s[n - 1] == '%' ? n - 1 : n;
    if (digits == 0)
        return fail(msg, msgsz, "\"%s\": %s", s, want);
    for (size_t i = 0; i < digits; i++)
        if (!isdigit((unsigned char)s[i]))
            return fail(msg, msgsz, "\"%s\": %s", s, want);
    /* A count is an int32; a percentage of more than 9 digits means nothing. */
    if (digits > 9 && (digits == n || strtoll(s, NULL, 10) > 2147483647LL))
        return fail(msg, msgsz, "\"%s\": too large", s);
    if (digits < n && cap100 && atol(s) > 100)
        return fail(msg, msgsz,
                    "\"%s\": maxUnavailable is at most 100%% (Kubernetes refuses more; only "
                    "maxSurge may go above 100%%)",
                    s);
    return true;
}

bool valid_max_surge(const char *s, char *msg, size_t msgsz)
{
    return check_int_or_percent(s, false, msg, msgsz);
}

bool valid_max_unavailable(const char *s, char *msg, size_t msgsz)
{
    return check_int_or_percent(s, true, msg, msgsz);
}

bool surge_is_zero(const char *s)
{
    /* Kubernetes compares the value, so "0", "00" and "0%" are all zero. */
    return s && strtoll(s, NULL, 10) == 0;
}

bool valid_pg_identifier(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a PostgreSQL name such as dify");
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return fail(msg, msgsz,
                        "\"%s\": upper-case letter '%c'; PostgreSQL folds unquoted names to "
                        "lower case, so use lower case",
                        s, s[i]);
        else if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
            return fail_char(msg, msgsz, s, s + i,
                             "a-z, 0-9 and '_' (other names need quoting in SQL)",
                             "Dify writes PostgreSQL names unquoted, and unquoted names are ASCII");
    if (n > 63)
        return fail(msg, msgsz, "\"%s\": %zu characters; PostgreSQL names have at most 63", s, n);
    if (!(islower((unsigned char)s[0]) || s[0] == '_'))
        return fail(msg, msgsz, "\"%s\": must start with a lower-case letter or '_'", s);
    return true;
}

/* The rules below are those of assets/terraform/variables.tf: each accepts
 * exactly what the variable's validation accepts (tests/terraform_rules.sh
 * probes both with the same values). */

bool valid_cluster_name(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a cluster name such as dify-test");
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (!is_lower_alnum((unsigned char)s[i]) && s[i] != '-')
            return fail_char(msg, msgsz, s, s + i,
                             "a-z, 0-9 and '-' (the OpenSearch and ElastiCache names made from "
                             "it are lower case)",
                             "EKS cluster names are ASCII only");
    if (!islower((unsigned char)s[0]))
        return fail(msg, msgsz, "\"%s\": must start with a lower-case letter", s);
    if (s[n - 1] == '-')
        return fail(msg, msgsz, "\"%s\": must end with a letter or digit", s);
    if (strstr(s, "--"))
        return fail(msg, msgsz, "\"%s\": two hyphens in a row are not allowed (ElastiCache)", s);
    if (n < 2 || n > CLUSTER_NAME_MAX)
        return fail(msg, msgsz,
                    "\"%s\": %zu characters; use 2 to %d, so that the OpenSearch domain "
                    "\"<cluster>-os\" stays within its 28",
                    s, n, CLUSTER_NAME_MAX);
    return true;
}

/* One ECR name component: [a-z0-9]+ joined by single '.', '_' or '-'. */
static bool ecr_component(const char *s, size_t n)
{
    if (n == 0 || !is_lower_alnum((unsigned char)s[0]) || !is_lower_alnum((unsigned char)s[n - 1]))
        return false;
    for (size_t i = 0; i < n; i++) {
        bool sep = s[i] == '.' || s[i] == '_' || s[i] == '-';
        if (!is_lower_alnum((unsigned char)s[i]) && !sep)
            return false;
        if (sep && !is_lower_alnum((unsigned char)s[i + 1]))
            return false;
    }
    return true;
}

bool valid_ecr_repository(const char *r, char *msg, size_t msgsz)
{
    /* ECR's pattern: components separated by '/', 2-256 characters. */
    size_t n = r ? strlen(r) : 0;
    bool ok = n >= 2 && n <= 256;
    for (const char *c = r; ok;) {
        const char *slash = strchr(c, '/');
        size_t len = slash ? (size_t)(slash - c) : strlen(c);
        ok = ecr_component(c, len);
        if (!slash)
            break;
        c = slash + 1;
    }
    if (!ok)
        return fail(msg, msgsz,
                    "\"%s\": expected an ECR repository name: 2-256 characters, lower-case "
                    "letters and digits joined by one '.', '_' or '-', '/' between parts "
                    "(e.g. dify-plugins)",
                    r ? r : "");
    return true;
}

/* ---- text that reaches a command line or a file ---- */

bool valid_safe_text(const char *s, char *msg, size_t msgsz)
{
    size_t pos = 1;
    for (const char *c = s; *c; pos++) {
        unsigned cp;
        size_t n;
        if (!utf8_char(c, &cp, &n))
            return fail(msg, msgsz, "byte %zu is not valid UTF-8 text", (size_t)(c - s) + 1);
        if (cp == '\n' || cp == '\r')
            return fail(msg, msgsz,
                        "holds a line break (character %zu); a value here is one line, and a "
                        "second line would reach the command or file that uses it",
                        pos);
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
            return fail(msg, msgsz, "holds a control character (U+%04X at character %zu)", cp, pos);
        /* Invisible direction overrides make text read other than it is. */
        if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
            cp == 0x200f)
            return fail(msg, msgsz,
                        "holds an invisible text-direction character (U+%04X at character %zu)", cp,
                        pos);
        c += n;
    }
    if (s[0] == '-')
        return fail(msg, msgsz,
                    "\"%s\" begins with '-', which the command it is passed to would read as an "
                    "option",
                    s);
    if (strstr(s, "$(") || strchr(s, '`'))
        return fail(msg, msgsz,
                    "\"%s\" holds %s, a shell command substitution; no setting needs one", s,
                    strchr(s, '`') ? "'`'" : "\"$(\"");
    return true;
}

/* The part of a rule every "this kind of name" shares: ASCII from a set. */
static bool only_chars(const char *s, const char *extra, const char *allowed, const char *why,
                       char *msg, size_t msgsz)
{
    for (const char *c = s; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr(extra, *c))
            return fail_char(msg, msgsz, s, c, allowed, why);
    return true;
}

bool valid_release_name(const char *s, char *msg, size_t msgsz)
{
    if (!valid_dns_label(s, msg, msgsz))
        return false;
    /* Helm refuses longer release names (helm/pkg/chartutil ValidateReleaseName). */
    if (strlen(s) > 53)
        return fail(msg, msgsz, "\"%s\": %zu characters; Helm allows at most 53", s, strlen(s));
    return true;
}

bool valid_image_tag(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected an image tag such as 1.14.2");
    /* The OCI distribution spec's tag: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}. */
    if (!only_chars(s, "_.-", "A-Z, a-z, 0-9, '_', '.' and '-'", "image tags are ASCII", msg,
                    msgsz))
        return false;
    if (strlen(s) > 128 || s[0] == '.' || s[0] == '-')
        return fail(msg, msgsz,
                    "\"%s\": an image tag has at most 128 characters and does not start with "
                    "'.' or '-'",
                    s);
    if (!strcmp(s, "latest"))
        return fail(msg, msgsz,
                    "\"latest\" names no release: it moves, so two nodes can run different code "
                    "and a restart can upgrade by surprise; give a version such as 1.14.2");
    return true;
}

bool valid_semver(const char *s, char *msg, size_t msgsz)
{
    /* SemVer 2.0.0: MAJOR.MINOR.PATCH, numbers without leading zeros, then
     * optional -prerelease and +build of dot-separated [0-9A-Za-z-]. */
    static const char *const want = "expected a version MAJOR.MINOR.PATCH such as 3.0.0";
    if (str_empty(s))
        return fail(msg, msgsz, "empty; %s", want);
    const char *p = s;
    for (int part = 0; part < 3; part++) {
        if (!isdigit((unsigned char)*p))
            return fail(msg, msgsz, "\"%s\": %s (Helm chart versions are SemVer 2)", s, want);
        if (p[0] == '0' && isdigit((unsigned char)p[1]))
            return fail(msg, msgsz, "\"%s\": a version number has no leading zeros", s);
        while (isdigit((unsigned char)*p))
            p++;
        if (part < 2 && *p++ != '.')
            return fail(msg, msgsz, "\"%s\": %s (Helm chart versions are SemVer 2)", s, want);
    }
    for (char sep = '-'; *p; sep = '+') {
        if (*p == '-' && sep == '+')
            return fail(msg, msgsz, "\"%s\": the build part (+...) comes last", s);
        if (*p != '-' && *p != '+')
            return fail(msg, msgsz, "\"%s\": %s (Helm chart versions are SemVer 2)", s, want);
        if (*p == '+')
            sep = '+';
        p++;
        const char *start = p;
        while (isalnum((unsigned char)*p) || *p == '-' || *p == '.')
            p++;
        if (p == start || p[-1] == '.' || start[0] == '.' || strstr(start, ".."))
            return fail(msg, msgsz, "\"%s\": an empty identifier after '%c'", s, start[-1]);
        if (*p && *p != '+')
            return fail_char(msg, msgsz, s, p, "0-9, A-Z, a-z, '-' and '.' after '-' or '+'",
                             "versions are ASCII");
        if (sep == '+' && *p)
            return fail(msg, msgsz, "\"%s\": only one build part (+...)", s);
    }
    return true;
}

bool valid_cidr_block(const char *s, char *msg, size_t msgsz)
{
    return cidr_parse(s, NULL, msg, msgsz);
}

bool valid_vpc_cidr(const char *s, char *msg, size_t msgsz)
{
    struct cidr c;
    if (!cidr_parse(s, &c, msg, msgsz))
        return false;
    if (c.prefix < 16 || c.prefix > 28)
        return fail(msg, msgsz, "\"%s\": an AWS VPC prefix length must be /16 to /28", s);
    return true;
}

bool text_is_utf8(const char *s, size_t n, size_t *bad)
{
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len;
        if (s[i] == '\0' || !utf8_char(s + i, &cp, &len) || i + len > n) {
            if (bad)
                *bad = i;
            return false;
        }
        i += len;
    }
    return true;
}

bool valid_cpu_quantity(const char *s, char *msg, size_t msgsz)
{
    return valid_k8s_quantity(s, true, msg, msgsz);
}

bool valid_memory_quantity(const char *s, char *msg, size_t msgsz)
{
    return valid_k8s_quantity(s, false, msg, msgsz);
}

bool valid_pg_sslmode(const char *s, char *msg, size_t msgsz)
{
    /* libpq's sslmode values (PostgreSQL docs, "Connection Parameters"). */
    static const char *const modes[] = {"disable",   "allow",       "prefer", "require",
                                        "verify-ca", "verify-full", NULL};
    if (enum_lookup(modes, s ? s : "") >= 0)
        return true;
    return fail(msg, msgsz,
                "\"%s\": expected disable, allow, prefer, require, verify-ca or verify-full (the "
                "values libpq accepts)",
                s ? s : "");
}

/* A host name of any case (DNS is case-insensitive) or an IP address. */
static bool net_host(const char *s, char *msg, size_t msgsz)
{
    unsigned char buf[16];
    if (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1)
        return true;
    if (strchr(s, ':') && strspn(s, "0123456789abcdefABCDEF:.") == strlen(s))
        return fail(msg, msgsz, "\"%s\": not a valid IPv6 address", s);
    size_t len = strlen(s);
    if (len > 253)
        return fail(msg, msgsz, "\"%.40s...\": %zu characters; a host name is at most 253", s, len);
    for (const char *p = s;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n == 0)
            return fail(msg, msgsz, "\"%s\": empty label (two dots in a row, or a dot at an end)",
                        s);
        if (n > 63)
            return fail(msg, msgsz, "\"%s\": a label has at most 63 characters", s);
        for (size_t i = 0; i < n; i++)
            if (!isalnum((unsigned char)p[i]) && p[i] != '-')
                return fail_char(msg, msgsz, s, p + i, "letters, digits, '-' and '.'", WHY_HOST);
        if (p[0] == '-' || p[n - 1] == '-')
            return fail(msg, msgsz, "\"%s\": a label must start and end with a letter or digit", s);
        if (!dot)
            break;
        p = dot + 1;
    }
    return true;
}

bool valid_net_host(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a host name or IP address");
    if (strstr(s, "://"))
        return fail(msg, msgsz, "\"%s\": give the host only, without a scheme", s);
    const char *colon = strchr(s, ':');
    if (strpbrk(s, "/@ ") || (colon && !strchr(colon + 1, ':')))
        return fail(msg, msgsz,
                    "\"%s\": expected a host name or IP address only (the port and any "
                    "credentials go in their own settings)",
                    s);
    return net_host(s, msg, msgsz);
}

/* http(s)://host[:port][/path]: no credentials, no spaces. */
static bool check_url(const char *s, const char *const *schemes, const char *example, char *msg,
                      size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a URL such as %s", example);
    const char *sep = strstr(s, "://");
    size_t i;
    for (i = 0; sep && schemes[i]; i++)
        if (strlen(schemes[i]) == (size_t)(sep - s) && !strncmp(s, schemes[i], (size_t)(sep - s)))
            break;
    if (!sep || !schemes[i]) {
        struct strbuf sb;
        strbuf_init(&sb);
        for (size_t k = 0; schemes[k]; k++)
            strbuf_addf(&sb, "%s%s://", k ? (schemes[k + 1] ? ", " : " or ") : "", schemes[k]);
        fail(msg, msgsz, "\"%s\": expected a URL starting with %s, such as %s", s, sb.buf, example);
        strbuf_done(&sb);
        return false;
    }
    const char *host = sep + 3;
    size_t hl = strcspn(host, "/?#");
    char *authority = xstrndup(host, hl);
    bool ok = true;
    if (strchr(authority, '@'))
        ok = fail(msg, msgsz,
                  "\"%s\": credentials do not belong in the URL; the secrets file holds them", s);
    char *port = NULL;
    if (ok && authority[0] == '[') {
        char *close = strchr(authority, ']');
        if (!close) {
            ok = fail(msg, msgsz, "\"%s\": an IPv6 address in a URL is written [address]", s);
        } else {
            *close = '\0';
            unsigned char buf[16];
            if (inet_pton(AF_INET6, authority + 1, buf) != 1)
                ok = fail(msg, msgsz, "\"%s\": not a valid IPv6 address", s);
            if (close[1] == ':')
                port = close + 2;
            else if (close[1])
                ok = fail(msg, msgsz, "\"%s\": unexpected text after the address", s);
        }
    } else if (ok) {
        char *colon = strchr(authority, ':');
        if (colon) {
            *colon = '\0';
            port = colon + 1;
        }
        char sub[256];
        if (!net_host(authority, sub, sizeof(sub)))
            ok = fail(msg, msgsz, "\"%s\": the host %s", s, sub);
    }
    if (ok && port) {
        char *end;
        long v = strtol(port, &end, 10);
        if (!*port || *end || v < 1 || v > 65535)
            ok = fail(msg, msgsz, "\"%s\": the port must be 1-65535", s);
    }
    free(authority);
    for (const char *c = host + hl; ok && *c; c++)
        if (*c == ' ' || *c == '"' || *c == '<' || *c == '>' || *c == '\\' || *c == '^' ||
            *c == '{' || *c == '}' || *c == '|' || (unsigned char)*c >= 0x80)
            ok = fail_char(msg, msgsz, s, c, "URL characters (percent-encode others)",
                           "a URL is ASCII; percent-encode other characters");
    return ok;
}

bool valid_http_url(const char *s, char *msg, size_t msgsz)
{
    static const char *const schemes[] = {"https", "http", NULL};
    return check_url(s, schemes, "https://minio.example.com:9000", msg, msgsz);
}

bool valid_chart_repo_url(const char *s, char *msg, size_t msgsz)
{
    static const char *const schemes[] = {"https", "http", "oci", NULL};
    return check_url(s, schemes, "https://borispolonsky.github.io/dify-helm", msg, msgsz);
}

bool valid_host_or_url(const char *s, char *msg, size_t msgsz)
{
    if (s && strstr(s, "://"))
        return valid_http_url(s, msg, msgsz);
    return valid_net_host(s, msg, msgsz);
}

bool chart_ref_is_local(const char *s)
{
    /* What `helm install` would read from disk rather than a repository:
     * an explicit path (absolute, ./ or ../) or a packaged chart. A bare
     * "dify/dify" stays a repository reference even if such a directory
     * happens to exist where dify-tui runs. */
    if (str_empty(s))
        return false;
    size_t n = strlen(s);
    return s[0] == '/' || strncmp(s, "./", 2) == 0 || strncmp(s, "../", 3) == 0 ||
           (n > 4 && strcmp(s + n - 4, ".tgz") == 0) ||
           (n > 7 && strcmp(s + n - 7, ".tar.gz") == 0);
}

bool valid_chart_ref(const char *s, char *msg, size_t msgsz)
{
    /* REPO/NAME as `helm install` takes it: a repository alias and a chart
     * name, each of [A-Za-z0-9._-] not starting with '.' or '-'. Or a local
     * chart (air-gapped installs): a directory or a .tgz from `helm pull`. */
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a chart such as dify/dify");
    if (chart_ref_is_local(s))
        return valid_local_path(s, msg, msgsz);
    if (!only_chars(s, "._-/", "A-Z, a-z, 0-9, '.', '_', '-' and one '/'", "chart names are ASCII",
                    msg, msgsz))
        return false;
    const char *slash = strchr(s, '/');
    if (!slash || strchr(slash + 1, '/') || slash == s || !slash[1] || slash[1] == '.' ||
        slash[1] == '-' || s[0] == '.')
        return fail(msg, msgsz,
                    "\"%s\": expected REPOSITORY/CHART such as dify/dify, or a local chart "
                    "(./dify, /srv/charts/dify-0.37.0.tgz)",
                    s);
    return true;
}

bool valid_local_path(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected the path of a file");
    if (strlen(s) >= 4096)
        return fail(msg, msgsz, "%zu characters; a path has fewer than 4096", strlen(s));
    /* valid_safe_text has refused line breaks, control characters, a
     * leading '-' and "$(": what is left is a path the OS takes. */
    return true;
}

bool valid_kube_context(const char *s, char *msg, size_t msgsz)
{
    /* Context names kubectl and the cloud tools write: kind-x, gke_p_z_c,
     * arn:aws:eks:us-west-2:1234:cluster/x, admin@cluster. */
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a context name from the kubeconfig");
    if (strlen(s) > 253)
        return fail(msg, msgsz, "%zu characters; a context name has at most 253", strlen(s));
    return only_chars(s, "._:/@+=-", "letters, digits and . _ : / @ + = -",
                      "this installer takes ASCII context names", msg, msgsz);
}

bool valid_account_name(const char *s, char *msg, size_t msgsz)
{
    /* A user name for a vector store: it goes into a URL or an env var. */
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a user name");
    if (strlen(s) > 128)
        return fail(msg, msgsz, "%zu characters; at most 128", strlen(s));
    return only_chars(s, "._@+-", "letters, digits and . _ @ + -", "user names here are ASCII", msg,
                      msgsz);
}

bool valid_unix_user(const char *s, char *msg, size_t msgsz)
{
    /* POSIX portable user names as useradd takes them: [a-z_][a-z0-9_-]*, at most 32. */
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected an SSH user such as ec2-user");
    for (const char *c = s; *c; c++)
        if (!(islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_' || *c == '-'))
            return fail_char(msg, msgsz, s, c, "a-z, 0-9, '_' and '-'", "user names are ASCII");
    if (strlen(s) > 32 || isdigit((unsigned char)s[0]))
        return fail(msg, msgsz,
                    "\"%s\": a user name starts with a letter or '_' and has at most 32 "
                    "characters",
                    s);
    return true;
}

bool valid_region_name(const char *s, char *msg, size_t msgsz)
{
    /* An S3-compatible store's region: whatever the store calls it
     * (us-east-1, auto, garage), one word of a-z, 0-9 and '-'. */
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a region such as us-east-1");
    for (const char *c = s; *c; c++)
        if (!(is_lower_alnum((unsigned char)*c) || *c == '-'))
            return fail_char(msg, msgsz, s, c, "a-z, 0-9 and '-'", "region names are ASCII");
    if (strlen(s) > 64)
        return fail(msg, msgsz, "\"%s\": at most 64 characters", s);
    return true;
}

/* family.size of EC2 (and the services' node types built on it): the family
 * starts with a letter and holds its generation digit (m7g, c6gn, u-6tb1),
 * the size is letters, digits and '-' (xlarge, metal-24xl). */
static bool ec2_shape(const char *s, size_t n)
{
    const char *dot = memchr(s, '.', n);
    if (!dot || !islower((unsigned char)s[0]))
        return false;
    bool digit = false;
    for (const char *c = s; c < dot; c++) {
        if (!is_lower_alnum((unsigned char)*c) && *c != '-')
            return false;
        digit = digit || isdigit((unsigned char)*c);
    }
    const char *size = dot + 1, *end = s + n;
    if (size == end || !is_lower_alnum((unsigned char)*size))
        return false;
    for (const char *c = size; c < end; c++)
        if (!is_lower_alnum((unsigned char)*c) && *c != '-')
            return false;
    return digit;
}

bool valid_node_type(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected an EC2 instance type such as m7g.xlarge");
    if (!ec2_shape(s, strlen(s)))
        return fail(msg, msgsz,
                    "\"%s\": not an EC2 instance type; expected family.size such as m7g.xlarge", s);
    return true;
}

bool valid_cache_node_type(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s) || !str_starts_with(s, "cache.") || !ec2_shape(s + 6, strlen(s + 6)))
        return fail(msg, msgsz,
                    "\"%s\": not an ElastiCache node type; expected cache.family.size such as "
                    "cache.t4g.micro",
                    s ? s : "");
    return true;
}

bool valid_search_instance_type(const char *s, char *msg, size_t msgsz)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 8 || !str_ends_with(s, ".search") || !ec2_shape(s, n - 7))
        return fail(msg, msgsz,
                    "\"%s\": not an OpenSearch instance type; expected family.size.search "
                    "such as m6g.large.search",
                    s ? s : "");
    return true;
}

bool valid_major_minor(const char *s, char *msg, size_t msgsz)
{
    const char *c = s ? s : "";
    size_t a = strspn(c, "0123456789");
    size_t b = c[a] == '.' ? strspn(c + a + 1, "0123456789") : 0;
    if (a == 0 || b == 0 || c[a + 1 + b] != '\0')
        return fail(msg, msgsz, "\"%s\": expected a version MAJOR.MINOR such as 7.1", c);
    return true;
}

bool valid_eks_version(const char *s, char *msg, size_t msgsz)
{
    const char *c = s ? s : "";
    if (strlen(c) != 4 || strncmp(c, "1.", 2) || !isdigit((unsigned char)c[2]) ||
        !isdigit((unsigned char)c[3]))
        return fail(msg, msgsz, "\"%s\": expected an EKS Kubernetes version 1.NN such as 1.33", c);
    return true;
}

bool valid_acu(double v, bool max, char *msg, size_t msgsz)
{
    /* Aurora Serverless v2: 0.5-256 ACU in steps of 0.5; a maximum of at
     * least 1. A minimum of 0 would auto-pause. */
    double lo = max ? 1 : 0.5;
    const char *what = max ? "maximum" : "minimum";
    if (!max && v == 0)
        return fail(msg, msgsz,
                    "ACU minimum 0 means auto-pause, which this installer does not offer; use 0.5 "
                    "or more");
    if (!isfinite(v) || v < lo || v > 256)
        return fail(msg, msgsz, "ACU %s %g is out of range; Aurora Serverless v2 allows %g to 256",
                    what, v, lo);
    if (fabs(v * 2 - round(v * 2)) > 1e-9)
        return fail(msg, msgsz, "ACU %s %g is not a multiple of 0.5", what, v);
    return true;
}

bool valid_iam_principal_arn(const char *s, char *msg, size_t msgsz)
{
    static const char *const partitions[] = {"aws",     "aws-cn",    "aws-us-gov",
                                             "aws-iso", "aws-iso-b", NULL};
    const char *c = s ? s : "";
    bool ok = str_starts_with(c, "arn:");
    if (ok) {
        c += 4;
        const char *colon = strchr(c, ':');
        char part[16];
        size_t n = colon ? (size_t)(colon - c) : 0;
        ok = colon && n < sizeof(part);
        if (ok) {
            memcpy(part, c, n);
            part[n] = '\0';
            ok = enum_lookup(partitions, part) >= 0 && str_starts_with(colon, ":iam::");
            c = colon + 6;
        }
    }
    if (ok) {
        ok = strspn(c, "0123456789") == 12 && c[12] == ':';
        c += 13;
    }
    if (ok) {
        ok = str_starts_with(c, "role/") || str_starts_with(c, "user/");
        c += 5;
    }
    if (ok) {
        size_t n = strlen(c);
        ok = n >= 1 && n <= 512;
        for (; ok && *c; c++)
            ok = isalnum((unsigned char)*c) || strchr("+=,.@_/-", *c);
    }
    if (!ok)
        return fail(msg, msgsz,
                    "\"%s\": expected an IAM role or user ARN such as "
                    "arn:aws:iam::123456789012:role/Admin",
                    s ? s : "");
    return true;
}

/* RDS takes printable ASCII but '/', '"', '@' and spaces; Dify pastes the
 * password into a postgresql:// URI, so ':', '?', '#', '[', ']', '%', '\''
 * and '\\' would break it. */
static const char RDS_PASSWORD_BAD[] = "@:/?#[]%\"'\\";

bool valid_rds_password(const char *s, char *msg, size_t msgsz)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 12 || n > 128)
        return fail(msg, msgsz, "%zu characters; RDS takes 12 to 128", n);
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f || strchr(RDS_PASSWORD_BAD, *c))
            return fail(msg, msgsz,
                        "holds a character RDS or a postgresql:// URI refuses (a space, a "
                        "non-ASCII or control character, or one of @ : / ? # [ ] %% \" ' \\); "
                        "use letters, digits and ! $ & ( ) * + , - . ; < = > ^ _ ` { | } ~");
    return true;
}

bool valid_redis_auth_token(const char *s, char *msg, size_t msgsz)
{
    /* ElastiCache AUTH: 16-128 printable ASCII characters without '/', '"'
     * and '@' (nor spaces). */
    size_t n = s ? strlen(s) : 0;
    if (n < 16 || n > 128)
        return fail(msg, msgsz, "%zu characters; ElastiCache takes 16 to 128", n);
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f || strchr("/\"@", *c))
            return fail(msg, msgsz,
                        "holds a character ElastiCache refuses in an AUTH token (a space, a "
                        "non-ASCII or control character, '/', '\"' or '@')");
    return true;
}
