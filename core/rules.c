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

/* Checks one label of length n starting at s; what names the thing for messages. */
static bool check_label(const char *s, size_t n, const char *whole, char *msg, size_t msgsz)
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
        if (!is_lower_alnum(c) && c != '-') {
            if (isprint(c))
                return fail(msg, msgsz,
                            "\"%s\": character '%c' is not allowed; use a-z, 0-9 and '-'", whole,
                            c);
            return fail(msg, msgsz, "\"%s\": byte 0x%02x is not allowed; use a-z, 0-9 and '-'",
                        whole, c);
        }
    }
    if (s[0] == '-' || s[n - 1] == '-')
        return fail(msg, msgsz, "\"%s\": a label must start and end with a letter or digit", whole);
    return true;
}

bool valid_dns_label(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a DNS label (a-z, 0-9, '-', 1-63 characters)");
    if (strchr(s, '.'))
        return fail(msg, msgsz, "\"%s\": dots are not allowed in a DNS label (a-z, 0-9, '-')", s);
    return check_label(s, strlen(s), s, msg, msgsz);
}

bool valid_dns_subdomain(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a DNS name such as dify-tls");
    size_t len = strlen(s);
    if (len > 253)
        return fail(msg, msgsz, "\"%.40s...\": %zu characters; a DNS name is at most 253", s, len);
    const char *p = s;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (!check_label(p, n, s, msg, msgsz))
            return false;
        if (!dot)
            break;
        p = dot + 1;
    }
    return true;
}

bool valid_hostname(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a host name such as dify.example.com");
    if (strstr(s, "://"))
        return fail(msg, msgsz, "\"%s\": give the host name only, without a scheme", s);
    if (strchr(s, '*'))
        return fail(msg, msgsz, "\"%s\": wildcards are not allowed; give one exact host name", s);
    if (!valid_dns_subdomain(s, msg, msgsz))
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

bool valid_aws_region(const char *s, char *msg, size_t msgsz)
{
    /* partition prefix (us, eu, ap, cn, ...), optional "gov"/"iso" part,
     * direction word, number: us-west-2, ap-northeast-1, us-gov-west-1. */
    static const char *const dirs[] = {"north",     "south",     "east",      "west",
                                       "central",   "northeast", "northwest", "southeast",
                                       "southwest", NULL};
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected an AWS region such as us-west-2");
    char *copy = xstrdup(s);
    char *parts[5];
    int np = 0;
    char *save = NULL;
    bool ok = true;
    for (const char *c = s; *c; c++)
        if (!(islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '-'))
            ok = false;
    for (char *t = strtok_r(copy, "-", &save); t && ok; t = strtok_r(NULL, "-", &save)) {
        if (np == 5) {
            ok = false;
            break;
        }
        parts[np++] = t;
    }
    if (ok && (np < 3 || np > 4))
        ok = false;
    if (ok && (strlen(parts[0]) != 2 || !isalpha((unsigned char)parts[0][0]) ||
               !isalpha((unsigned char)parts[0][1])))
        ok = false;
    if (ok && np == 4 && strcmp(parts[1], "gov") && strcmp(parts[1], "iso") &&
        strcmp(parts[1], "isob"))
        ok = false;
    if (ok && enum_lookup(dirs, parts[np - 2]) < 0)
        ok = false;
    if (ok) {
        const char *num = parts[np - 1];
        if (!*num || strlen(num) > 2)
            ok = false;
        for (const char *c = num; ok && *c; c++)
            if (!isdigit((unsigned char)*c))
                ok = false;
        if (ok && num[0] == '0')
            ok = false;
    }
    free(copy);
    if (!ok)
        return fail(msg, msgsz,
                    "\"%s\": not an AWS region name; expected e.g. us-west-2, ap-northeast-1, "
                    "us-gov-west-1",
                    s);
    return true;
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
    if (n < 3 || n > 63)
        return fail(msg, msgsz, "\"%s\": %zu characters; a bucket name has 3-63", s, n);
    for (size_t i = 0; i < n; i++)
        if (!is_lower_alnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.')
            return fail(msg, msgsz,
                        "\"%s\": character '%c' is not allowed; use a-z, 0-9, '-' and '.'", s,
                        s[i]);
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

bool valid_surge(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a pod count (e.g. 1) or a percentage (e.g. 25%%)");
    size_t n = strlen(s);
    size_t digits = n;
    if (s[n - 1] == '%')
        digits = n - 1;
    if (digits == 0 || digits > 9)
        return fail(msg, msgsz, "\"%s\": expected a pod count (e.g. 1) or a percentage (e.g. 25%%)",
                    s);
    for (size_t i = 0; i < digits; i++)
        if (!isdigit((unsigned char)s[i]))
            return fail(msg, msgsz,
                        "\"%s\": expected a pod count (e.g. 1) or a percentage (e.g. 25%%)", s);
    if (digits < n && atol(s) > 100)
        return fail(msg, msgsz, "\"%s\": a percentage is at most 100%%", s);
    return true;
}

bool surge_is_zero(const char *s)
{
    return s && atol(s) == 0;
}

bool valid_pg_identifier(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a PostgreSQL name such as dify");
    size_t n = strlen(s);
    if (n > 63)
        return fail(msg, msgsz, "\"%s\": %zu characters; PostgreSQL names have at most 63", s, n);
    if (!(islower((unsigned char)s[0]) || s[0] == '_'))
        return fail(msg, msgsz, "\"%s\": must start with a lower-case letter or '_'", s);
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
            return fail(msg, msgsz,
                        "\"%s\": character '%c' needs quoting in SQL; use a-z, 0-9 and '_'", s,
                        s[i]);
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
            return fail(msg, msgsz,
                        "\"%s\": character '%c' is not allowed; use a-z, 0-9 and '-' (the "
                        "OpenSearch and ElastiCache names made from it are lower case)",
                        s, s[i]);
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
