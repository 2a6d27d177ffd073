/* core/validate.c: every rule a profile must satisfy, each with a message that
 * says what is wrong and what is expected. Single rules are exported for the
 * wizard's field checks; profile_validate applies all of them plus the rules
 * that tie fields together. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/util.h"
#include "core/validate.h"

/* ConfigMaps are stored in etcd objects capped at 1 MiB. */
#define EXTRA_FILE_MAX (1024 * 1024)
/* IAM role names are at most 64 characters; the longest role the EKS stack
 * makes is "DifyEE-Role-{cluster}-ecr-image-pull". */
#define IAM_ROLE_PREFIX "DifyEE-Role-"
#define IAM_ROLE_LONGEST_SUFFIX "-ecr-image-pull"
#define IAM_ROLE_MAX 64
/* A user-chosen database password shorter than this is refused. */
#define DB_PASSWORD_MIN 12
#define SECRET_KEY_MIN 32

void problems_init(struct problems *ps)
{
    ps->v = NULL;
    ps->n = 0;
}

void problems_done(struct problems *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->v[i].file);
        free(ps->v[i].path);
        free(ps->v[i].message);
    }
    free(ps->v);
    ps->v = NULL;
    ps->n = 0;
}

static struct problem *problems_push(struct problems *ps)
{
    ps->v = xrealloc(ps->v, (ps->n + 1) * sizeof(*ps->v));
    struct problem *pr = &ps->v[ps->n++];
    memset(pr, 0, sizeof(*pr));
    return pr;
}

void problems_add(struct problems *ps, bool warning, const char *path, const char *fmt, ...)
{
    struct problem *pr = problems_push(ps);
    va_list ap;
    va_start(ap, fmt);
    pr->message = xvasprintf(fmt, ap);
    va_end(ap);
    pr->path = xstrdup_or_null(path);
    pr->warning = warning;
}

void problems_add_at(struct problems *ps, const char *file, int line, int col, const char *path,
                     const char *fmt, ...)
{
    struct problem *pr = problems_push(ps);
    va_list ap;
    va_start(ap, fmt);
    pr->message = xvasprintf(fmt, ap);
    va_end(ap);
    pr->file = xstrdup_or_null(file);
    pr->line = line;
    pr->col = col;
    pr->path = xstrdup_or_null(path);
}

size_t problems_errors(const struct problems *ps)
{
    size_t n = 0;
    for (size_t i = 0; i < ps->n; i++)
        if (!ps->v[i].warning)
            n++;
    return n;
}

char *problem_format(const struct problem *pr)
{
    struct strbuf sb;
    strbuf_init(&sb);
    if (pr->file) {
        strbuf_adds(&sb, pr->file);
        if (pr->line > 0) {
            strbuf_addf(&sb, ":%d", pr->line);
            if (pr->col > 0)
                strbuf_addf(&sb, ":%d", pr->col);
        }
        strbuf_adds(&sb, ": ");
    }
    if (pr->warning)
        strbuf_adds(&sb, "warning: ");
    if (pr->path)
        strbuf_addf(&sb, "%s: ", pr->path);
    strbuf_adds(&sb, pr->message ? pr->message : "");
    return strbuf_detach(&sb, NULL);
}

/* ---- single rules ---- */

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
static double quantity_value(const char *s, bool cpu)
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
    if (str_starts_with(s, "xn--") || str_starts_with(s, "sthree-") ||
        str_ends_with(s, "-s3alias") || str_ends_with(s, "--ol-s3"))
        return fail(msg, msgsz, "\"%s\": uses a prefix or suffix AWS reserves", s);
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

static bool surge_is_zero(const char *s)
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

/* ---- the whole profile ---- */

#define MSG_SZ 512

static void check(struct problems *out, const char *path, bool ok, const char *msg)
{
    if (!ok)
        problems_add(out, false, path, "%s", msg);
}

static void check_label_field(struct problems *out, const char *path, const char *v)
{
    char msg[MSG_SZ];
    check(out, path, valid_dns_label(v, msg, sizeof(msg)), msg);
}

static void check_port(struct problems *out, const char *path, int v)
{
    if (v < 1 || v > 65535)
        problems_add(out, false, path, "%d: a port must be 1-65535", v);
}

static void check_min(struct problems *out, const char *path, int v, int min, const char *what)
{
    if (v < min)
        problems_add(out, false, path, "%d: %s must be at least %d", v, what, min);
}

static bool valid_cluster_name(const char *s, char *msg, size_t msgsz)
{
    if (str_empty(s))
        return fail(msg, msgsz, "empty; expected a cluster name such as dify-test");
    size_t n = strlen(s);
    if (n > 100)
        return fail(msg, msgsz, "\"%s\": %zu characters; EKS allows at most 100", s, n);
    if (!isalnum((unsigned char)s[0]))
        return fail(msg, msgsz, "\"%s\": must start with a letter or digit", s);
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return fail(msg, msgsz,
                        "\"%s\": character '%c' is not allowed; use A-Z, a-z, 0-9, '-' and '_'", s,
                        s[i]);
    size_t role = strlen(IAM_ROLE_PREFIX) + n + strlen(IAM_ROLE_LONGEST_SUFFIX);
    if (role > IAM_ROLE_MAX)
        return fail(
            msg, msgsz,
            "\"%s\": too long for the IAM role " IAM_ROLE_PREFIX "%s" IAM_ROLE_LONGEST_SUFFIX
            " (%zu characters, IAM allows %d); use at most %zu characters",
            s, s, role, IAM_ROLE_MAX,
            (size_t)IAM_ROLE_MAX - strlen(IAM_ROLE_PREFIX) - strlen(IAM_ROLE_LONGEST_SUFFIX));
    return true;
}

static void check_eks(const struct profile *p, struct problems *out)
{
    char msg[MSG_SZ];
    check(out, "aws.region", valid_aws_region(p->aws.region, msg, sizeof(msg)), msg);
    check(out, "aws.cluster_name", valid_cluster_name(p->aws.cluster_name, msg, sizeof(msg)), msg);
    const char *kv = p->aws.k8s_version;
    int maj, min;
    char tail;
    if (str_empty(kv) || sscanf(kv, "%d.%d%c", &maj, &min, &tail) != 2 || maj < 1 || min < 0)
        problems_add(out, false, "aws.kubernetes_version",
                     "\"%s\": expected MAJOR.MINOR such as 1.33", kv ? kv : "");

    struct cidr vpc;
    bool vpc_ok = cidr_parse(p->aws.vpc_cidr, &vpc, msg, sizeof(msg));
    check(out, "aws.vpc_cidr", vpc_ok, msg);
    if (vpc_ok && (vpc.prefix < 16 || vpc.prefix > 28))
        problems_add(out, false, "aws.vpc_cidr",
                     "\"%s\": an AWS VPC prefix length must be /16 to /28", p->aws.vpc_cidr);

    /* Every subnet: syntax, inside the VPC, no overlap with any other. */
    struct {
        const char *path;
        const struct strlist *l;
    } lists[2] = {{"aws.public_subnets", &p->aws.public_subnets},
                  {"aws.private_subnets", &p->aws.private_subnets}};
    struct cidr all[64];
    const char *all_txt[64];
    const char *all_path[64];
    size_t nall = 0;
    for (int li = 0; li < 2; li++) {
        if (lists[li].l->n != 2)
            problems_add(out, false, lists[li].path,
                         "%zu subnets given; EKS needs exactly two, in two availability zones",
                         lists[li].l->n);
        for (size_t i = 0; i < lists[li].l->n; i++) {
            const char *t = lists[li].l->v[i];
            struct cidr c;
            if (!cidr_parse(t, &c, msg, sizeof(msg))) {
                check(out, lists[li].path, false, msg);
                continue;
            }
            if (vpc_ok && !cidr_contains(&vpc, &c))
                problems_add(out, false, lists[li].path, "\"%s\" is outside the VPC %s", t,
                             p->aws.vpc_cidr);
            for (size_t j = 0; j < nall; j++)
                if (cidr_overlaps(&all[j], &c))
                    problems_add(out, false, lists[li].path, "\"%s\" overlaps %s (in %s)", t,
                                 all_txt[j], all_path[j]);
            if (nall < ARRAY_LEN(all)) {
                all[nall] = c;
                all_txt[nall] = t;
                all_path[nall] = lists[li].path;
                nall++;
            }
        }
    }

    check(out, "aws.node_type", valid_instance_type(p->aws.node_type, msg, sizeof(msg)), msg);
    if (valid_instance_type(p->aws.node_type, NULL, 0) && !instance_type_is_arm64(p->aws.node_type))
        problems_add(out, true, "aws.node_type",
                     "\"%s\" is not a Graviton (arm64) type; the presets assume arm64, so every "
                     "image must be multi-arch (amd64 too)",
                     p->aws.node_type);
    check_min(out, "aws.node_count", p->aws.node_count, 1, "the node count");
    check_min(out, "aws.node_min", p->aws.node_min, 1, "the node group minimum");
    check_min(out, "aws.node_max", p->aws.node_max, 1, "the node group maximum");
    if (p->aws.node_min > p->aws.node_count)
        problems_add(out, false, "aws.node_min",
                     "%d is above the node count %d; expected "
                     "node_min <= node_count <= node_max",
                     p->aws.node_min, p->aws.node_count);
    if (p->aws.node_count > p->aws.node_max)
        problems_add(out, false, "aws.node_max",
                     "%d is below the node count %d; expected "
                     "node_min <= node_count <= node_max",
                     p->aws.node_max, p->aws.node_count);
    if (p->aws.node_disk_gb < 20 || p->aws.node_disk_gb > 16384)
        problems_add(out, false, "aws.node_disk_gb",
                     "%d: expected 20-16384 GB (images need room; gp3 allows up to 16 TiB)",
                     p->aws.node_disk_gb);
    check(out, "aws.s3_bucket", valid_s3_bucket(p->aws.s3_bucket, msg, sizeof(msg)), msg);
    /* ECR repository names: lower case, digits, '-', '_', '.', '/'. */
    const char *repos[2] = {p->aws.ecr_app_repo, p->aws.ecr_plugin_repo};
    const char *repo_paths[2] = {"aws.ecr_app_repository", "aws.ecr_plugin_repository"};
    for (int i = 0; i < 2; i++) {
        const char *r = repos[i];
        bool ok = !str_empty(r) && strlen(r) >= 2 && strlen(r) <= 256 &&
                  is_lower_alnum((unsigned char)r[0]);
        for (const char *c = r; ok && *c; c++)
            if (!is_lower_alnum((unsigned char)*c) && !strchr("-_./", *c))
                ok = false;
        if (!ok)
            problems_add(out, false, repo_paths[i],
                         "\"%s\": expected an ECR repository name (2-256 characters: a-z, 0-9, "
                         "'-', '_', '.', '/', starting with a letter or digit)",
                         r ? r : "");
    }

    check(out, "database.acu_min", valid_acu_range(p->db.acu_min, p->db.acu_max, msg, sizeof(msg)),
          msg);
    check_min(out, "database.instances", p->db.instances, 1, "the Aurora instance count");
    check(out, "redis.node_type", valid_instance_type(p->redis.node_type, msg, sizeof(msg)), msg);
    if (!str_empty(p->redis.node_type) && !str_starts_with(p->redis.node_type, "cache."))
        problems_add(out, false, "redis.node_type",
                     "\"%s\": ElastiCache node types start with \"cache.\", e.g. cache.t4g.micro",
                     p->redis.node_type);
    if (p->vector.kind == VECTOR_OPENSEARCH) {
        check(out, "vector.instance_type",
              valid_instance_type(p->vector.instance_type, msg, sizeof(msg)), msg);
        if (!str_empty(p->vector.instance_type) &&
            !str_ends_with(p->vector.instance_type, ".search"))
            problems_add(out, false, "vector.instance_type",
                         "\"%s\": OpenSearch instance types end in \".search\", e.g. "
                         "m6g.large.search",
                         p->vector.instance_type);
        int n = p->vector.instance_count;
        check_min(out, "vector.instance_count", n, 1, "the OpenSearch node count");
        /* More than one node spreads over the stack's two zones, which AWS
         * accepts only with an even count (assets/terraform/opensearch.tf). */
        if (n > 80)
            problems_add(out, false, "vector.instance_count",
                         "%d: an OpenSearch domain has at most 80 data nodes", n);
        else if (n > 1 && n % 2)
            problems_add(out, false, "vector.instance_count",
                         "%d: more than one OpenSearch node spreads over two zones, which needs "
                         "an even count; use 1 or %d",
                         n, n + 1);
    }
    if (p->storage.kind == STORAGE_S3 && p->storage.auth == S3_AUTH_IRSA && !p->aws.irsa)
        problems_add(out, false, "storage.auth",
                     "irsa needs aws.irsa: true (IRSA cannot work without the cluster's OIDC "
                     "provider); set aws.irsa: true or storage.auth: keys");
}

static void check_resources(const struct profile *p, struct problems *out)
{
    char msg[MSG_SZ], path[96];
    for (int c = 0; c < COMP__COUNT; c++) {
        const char *name = component_names[c];
        const struct resources *r = &p->comp[c].res;
        snprintf(path, sizeof(path), "components.%s.replicas", name);
        if (c == COMP_BEAT) {
            if (p->comp[c].replicas != 1)
                problems_add(out, false, path,
                             "%d: beat schedules periodic tasks and must run exactly 1 replica "
                             "(a second one would run every task twice)",
                             p->comp[c].replicas);
        } else {
            check_min(out, path, p->comp[c].replicas, 1, "the replica count");
        }
        struct {
            const char *key, *v;
            bool cpu;
        } q[4] = {{"cpu_request", r->cpu_request, true},
                  {"memory_request", r->mem_request, false},
                  {"cpu_limit", r->cpu_limit, true},
                  {"memory_limit", r->mem_limit, false}};
        bool ok[4];
        for (int i = 0; i < 4; i++) {
            snprintf(path, sizeof(path), "components.%s.%s", name, q[i].key);
            ok[i] = valid_k8s_quantity(q[i].v, q[i].cpu, msg, sizeof(msg));
            check(out, path, ok[i], msg);
        }
        for (int i = 0; i < 2; i++) {
            if (!ok[i] || !ok[i + 2])
                continue;
            if (quantity_value(q[i].v, q[i].cpu) >
                quantity_value(q[i + 2].v, q[i].cpu) * 1.0000001) {
                snprintf(path, sizeof(path), "components.%s.%s", name, q[i].key);
                problems_add(out, false, path,
                             "\"%s\" is above the limit \"%s\"; a request "
                             "must not exceed its limit",
                             q[i].v, q[i + 2].v);
            }
        }
    }
}

static void check_extra_files(const struct profile *p, struct problems *out)
{
    char msg[MSG_SZ], path[96];
    for (size_t i = 0; i < p->n_extra_files; i++) {
        const struct extra_file *x = &p->extra_files[i];
        snprintf(path, sizeof(path), "extra_files[%zu].source", i);
        struct stat st;
        if (str_empty(x->source))
            problems_add(out, false, path, "empty; expected the path of a local file");
        else if (stat(x->source, &st) < 0)
            problems_add(out, false, path, "\"%s\": %s", x->source, strerror(errno));
        else if (!S_ISREG(st.st_mode))
            problems_add(out, false, path, "\"%s\": not a regular file", x->source);
        else if (st.st_size >= EXTRA_FILE_MAX)
            problems_add(out, false, path, "\"%s\": %lld bytes; a ConfigMap holds less than 1 MiB",
                         x->source, (long long)st.st_size);
        snprintf(path, sizeof(path), "extra_files[%zu].configmap", i);
        check(out, path, valid_dns_subdomain(x->configmap, msg, sizeof(msg)), msg);
        snprintf(path, sizeof(path), "extra_files[%zu].key", i);
        bool key_ok = !str_empty(x->key) && strlen(x->key) <= 253 && strcmp(x->key, ".") &&
                      strcmp(x->key, "..");
        for (const char *c = x->key; key_ok && *c; c++)
            if (!isalnum((unsigned char)*c) && !strchr("-_.", *c))
                key_ok = false;
        if (!key_ok)
            problems_add(out, false, path,
                         "\"%s\": a ConfigMap key uses only A-Z, a-z, 0-9, '-', '_' and '.' "
                         "(at most 253), e.g. prompts.py",
                         x->key ? x->key : "");
        snprintf(path, sizeof(path), "extra_files[%zu].mount_path", i);
        if (str_empty(x->mount_path) || x->mount_path[0] != '/')
            problems_add(out, false, path,
                         "\"%s\": expected an absolute path in the container, e.g. "
                         "/app/api/core/llm_generator/prompts.py",
                         x->mount_path ? x->mount_path : "");
        else if (strchr(x->mount_path, ':') || str_ends_with(x->mount_path, "/"))
            problems_add(out, false, path, "\"%s\": must name a file (no trailing '/' and no ':')",
                         x->mount_path);
        if (!x->api && !x->worker) {
            snprintf(path, sizeof(path), "extra_files[%zu]", i);
            problems_add(out, false, path, "mounted nowhere; set api: true and/or worker: true");
        }
        for (size_t j = 0; j < i; j++)
            if (str_eq(p->extra_files[j].mount_path, x->mount_path) &&
                ((x->api && p->extra_files[j].api) || (x->worker && p->extra_files[j].worker))) {
                snprintf(path, sizeof(path), "extra_files[%zu].mount_path", i);
                problems_add(out, false, path, "\"%s\" is already mounted by extra_files[%zu]",
                             x->mount_path, j);
            }
    }
}

/* A password that breaks a postgres:// URI unless percent-encoded. Dify builds
 * its SQLAlchemy URI by pasting DB_PASSWORD in unescaped, so these are refused. */
static const char *const PG_URI_BAD = "@:/?#[]%\"'\\ ";

static void check_secrets(const struct profile *p, const struct secrets *s, struct problems *out)
{
    char msg[MSG_SZ];
    if (!str_empty(s->secret_key) &&
        !valid_secret_len(s->secret_key, SECRET_KEY_MIN, msg, sizeof(msg)))
        problems_add(out, false, "secrets.secret_key", "SECRET_KEY is %s", msg);
    if (!str_empty(s->db_password)) {
        if (!valid_secret_len(s->db_password, DB_PASSWORD_MIN, msg, sizeof(msg)))
            problems_add(out, false, "secrets.db_password", "the database password is %s", msg);
        for (const char *c = s->db_password; *c; c++)
            if (strchr(PG_URI_BAD, *c) || (unsigned char)*c < 0x20) {
                problems_add(out, false, "secrets.db_password",
                             "contains a character that breaks a postgresql:// URI (one of "
                             "@ : / ? # [ ] %% \" ' \\, space or a control character); use "
                             "letters, digits and - _ . ~ ! * + = , ;");
                break;
            }
    }
    const char *gen[] = {s->plugin_daemon_key, s->inner_api_key, s->sandbox_key, s->redis_password};
    const char *genk[] = {"secrets.plugin_daemon_key", "secrets.inner_api_key",
                          "secrets.sandbox_key", "secrets.redis_password"};
    for (size_t i = 0; i < ARRAY_LEN(gen); i++)
        if (!str_empty(gen[i]) && i < 3 && !valid_secret_len(gen[i], 32, msg, sizeof(msg)))
            problems_add(out, false, genk[i], "%s (a generated key has at least 32)", msg);
    if (p->storage.kind == STORAGE_S3 && p->storage.auth == S3_AUTH_KEYS) {
        if (str_empty(s->s3_access_key))
            problems_add(out, false, "secrets.s3_access_key",
                         "storage.auth is keys but no S3 access key is set; put s3_access_key "
                         "in the secrets file or DIFY_S3_ACCESS_KEY in the environment");
        if (str_empty(s->s3_secret_key))
            problems_add(out, false, "secrets.s3_secret_key",
                         "storage.auth is keys but no S3 secret key is set; put s3_secret_key "
                         "in the secrets file or DIFY_S3_SECRET_KEY in the environment");
    }
}

void profile_validate(const struct profile *p, const struct secrets *s, struct problems *out)
{
    char msg[MSG_SZ];
    bool eks = p->target == TARGET_EKS;
    bool ee = p->edition == EDITION_ENTERPRISE;

    if (p->version != PROFILE_VERSION)
        problems_add(out, false, "version", "%d: this program reads version %d", p->version,
                     PROFILE_VERSION);
    /* Edition/target/method combinations. */
    if (ee && p->method == METHOD_MANIFESTS)
        problems_add(out, false, "method",
                     "manifests cannot install the enterprise edition: Dify EE is shipped only "
                     "as a Helm chart; use method: helm");
    if (ee && !eks)
        problems_add(out, true, "edition",
                     "enterprise on an existing cluster: the plugin connector's ECR and IRSA "
                     "settings cannot be derived and need manual values in the chart");

    check_label_field(out, "release", p->release);
    check_label_field(out, "namespace", p->namespace);
    if (str_empty(p->image_tag))
        problems_add(out, false, "image_tag", "empty; expected an image tag such as 1.14.2");
    else {
        bool ok = strlen(p->image_tag) <= 128 && p->image_tag[0] != '.' && p->image_tag[0] != '-';
        for (const char *c = p->image_tag; ok && *c; c++)
            if (!isalnum((unsigned char)*c) && !strchr("_.-", *c))
                ok = false;
        if (!ok)
            problems_add(out, false, "image_tag",
                         "\"%s\": an image tag uses A-Z, a-z, 0-9, '_', '.', '-' (at most 128, "
                         "not starting with '.' or '-')",
                         p->image_tag);
    }
    if (p->method == METHOD_HELM) {
        if (str_empty(p->helm.chart))
            problems_add(out, false, "helm.chart", "empty; expected a chart such as dify/dify");
        if (str_empty(p->helm.version))
            problems_add(out, false, "helm.version",
                         "empty; pin a chart version so installs are repeatable");
        if (!str_empty(p->helm.repo_url) && !str_starts_with(p->helm.repo_url, "https://") &&
            !str_starts_with(p->helm.repo_url, "http://") &&
            !str_starts_with(p->helm.repo_url, "oci://"))
            problems_add(out, false, "helm.repo_url",
                         "\"%s\": expected an https://, http:// or oci:// URL", p->helm.repo_url);
    }

    if (eks) {
        check_eks(p, out);
    } else {
        if (str_empty(p->db.host))
            problems_add(out, false, "database.host",
                         "empty; an existing cluster needs an external PostgreSQL host");
        if (str_empty(p->redis.host))
            problems_add(out, false, "redis.host",
                         "empty; an existing cluster needs an external Redis host");
        if (p->storage.kind == STORAGE_S3 && p->storage.auth == S3_AUTH_IRSA)
            problems_add(out, false, "storage.auth",
                         "irsa works only on the EKS target (it needs the cluster's OIDC "
                         "provider made by Terraform); use storage.auth: keys");
        if (p->vector.kind == VECTOR_OPENSEARCH && str_empty(p->vector.host))
            problems_add(out, false, "vector.host",
                         "empty; an existing cluster needs the OpenSearch endpoint");
    }
    if (!eks && p->vector.kind != VECTOR_PGVECTOR && p->vector.kind != VECTOR_OPENSEARCH &&
        str_empty(p->vector.host))
        problems_add(out, false, "vector.host", "empty; the %s vector store needs a host or URI",
                     vector_names[p->vector.kind]);
    if (!str_empty(p->cluster.storage_class))
        check(out, "cluster.storage_class",
              valid_dns_subdomain(p->cluster.storage_class, msg, sizeof(msg)), msg);
    if (!str_empty(p->cluster.ingress_class))
        check(out, "cluster.ingress_class",
              valid_dns_subdomain(p->cluster.ingress_class, msg, sizeof(msg)), msg);

    /* Database. */
    if (!str_empty(p->db.host) && strpbrk(p->db.host, " /@:"))
        problems_add(out, false, "database.host",
                     "\"%s\": expected a host name or IP address only (the port is "
                     "database.port)",
                     p->db.host);
    check_port(out, "database.port", p->db.port);
    check(out, "database.name", valid_pg_identifier(p->db.name, msg, sizeof(msg)), msg);
    check(out, "database.user", valid_pg_identifier(p->db.user, msg, sizeof(msg)), msg);
    check(out, "database.plugin_database", valid_pg_identifier(p->db.plugin_db, msg, sizeof(msg)),
          msg);
    if (str_eq(p->db.name, p->db.plugin_db))
        problems_add(out, false, "database.plugin_database",
                     "\"%s\" is also the main database; the plugin daemon needs its own "
                     "database, e.g. dify_plugin",
                     p->db.plugin_db);
    if (!str_eq(p->db.sslmode, "disable") && !str_eq(p->db.sslmode, "require") &&
        !str_eq(p->db.sslmode, "verify-ca") && !str_eq(p->db.sslmode, "verify-full") &&
        !str_eq(p->db.sslmode, "prefer") && !str_eq(p->db.sslmode, "allow"))
        problems_add(out, false, "database.sslmode",
                     "\"%s\": expected disable, allow, prefer, require, verify-ca or verify-full",
                     p->db.sslmode ? p->db.sslmode : "");

    /* Redis, vector store. */
    if (!str_empty(p->redis.host) && strpbrk(p->redis.host, " /@:"))
        problems_add(out, false, "redis.host",
                     "\"%s\": expected a host name or IP address only (the port is redis.port)",
                     p->redis.host);
    check_port(out, "redis.port", p->redis.port);
    check_port(out, "vector.port", p->vector.port);

    /* Storage. */
    if (p->storage.kind == STORAGE_S3) {
        check(out, "storage.bucket", valid_s3_bucket(p->storage.bucket, msg, sizeof(msg)), msg);
        if (str_empty(p->storage.endpoint))
            check(out, "storage.region", valid_aws_region(p->storage.region, msg, sizeof(msg)),
                  msg);
        else if (!str_starts_with(p->storage.endpoint, "https://") &&
                 !str_starts_with(p->storage.endpoint, "http://"))
            problems_add(out, false, "storage.endpoint",
                         "\"%s\": expected an http:// or https:// URL of the S3-compatible store",
                         p->storage.endpoint);
        if (eks && p->storage.auth == S3_AUTH_IRSA && !str_empty(p->storage.bucket) &&
            !str_eq(p->storage.bucket, p->aws.s3_bucket))
            problems_add(out, true, "storage.bucket",
                         "\"%s\" differs from aws.s3_bucket \"%s\"; the IRSA role only grants "
                         "the bucket Terraform creates",
                         p->storage.bucket, p->aws.s3_bucket);
    } else if (p->storage.kind == STORAGE_LOCAL) {
        int shared = 0;
        for (int c = 0; c < COMP__COUNT; c++)
            if ((c == COMP_API || c == COMP_WORKER) && p->comp[c].replicas > 1)
                shared = 1;
        if (shared)
            problems_add(out, true, "storage.kind",
                         "local storage with more than one api/worker pod needs a ReadWriteMany "
                         "storage class (cluster.storage_class)");
    }

    /* Domains. */
    check(out, "domains.web_host", valid_hostname(p->domains.web_host, msg, sizeof(msg)), msg);
    if (p->domains.split) {
        if (str_empty(p->domains.api_host))
            problems_add(out, false, "domains.api_host",
                         "empty; with domains.split the api needs its own host, e.g. "
                         "api.example.com");
        else {
            check(out, "domains.api_host", valid_hostname(p->domains.api_host, msg, sizeof(msg)),
                  msg);
            if (str_eq(p->domains.api_host, p->domains.web_host))
                problems_add(out, false, "domains.api_host",
                             "\"%s\" is also the web host; with domains.split they must differ "
                             "(or set domains.split: false)",
                             p->domains.api_host);
        }
    } else if (!str_empty(p->domains.api_host)) {
        problems_add(out, true, "domains.api_host",
                     "ignored: domains.split is false, so the api is served on the web host");
    }
    if (!str_empty(p->domains.tls_secret))
        check(out, "domains.tls_secret",
              valid_dns_subdomain(p->domains.tls_secret, msg, sizeof(msg)), msg);

    /* Migration and rollout. */
    if (p->migration.backoff_limit < 0)
        problems_add(out, false, "migration.backoff_limit", "%d: expected 0 or more",
                     p->migration.backoff_limit);
    if (p->migration.ttl_seconds < 0)
        problems_add(out, false, "migration.ttl_seconds", "%d: expected 0 or more seconds",
                     p->migration.ttl_seconds);
    bool su = valid_surge(p->rollout.max_surge, msg, sizeof(msg));
    check(out, "rollout.max_surge", su, msg);
    bool un = valid_surge(p->rollout.max_unavailable, msg, sizeof(msg));
    check(out, "rollout.max_unavailable", un, msg);
    if (su && un && surge_is_zero(p->rollout.max_surge) &&
        surge_is_zero(p->rollout.max_unavailable))
        problems_add(out, false, "rollout.max_surge",
                     "maxSurge and maxUnavailable are both zero, so a rollout could never make "
                     "progress; set max_surge to 1 or more");
    if (p->rollout.readiness_delay < 0 || p->rollout.readiness_delay > 3600)
        problems_add(out, false, "rollout.readiness_delay", "%d: expected 0-3600 seconds",
                     p->rollout.readiness_delay);

    /* Bastion. */
    if (p->bastion.enabled) {
        if (str_empty(p->bastion.host))
            problems_add(out, false, "bastion.host", "empty; the bastion needs an SSH host");
        check_port(out, "bastion.port", p->bastion.port);
        if (str_empty(p->bastion.user))
            problems_add(out, false, "bastion.user", "empty; the bastion needs an SSH user");
        if (str_empty(p->bastion.key_path))
            problems_add(out, false, "bastion.key_path",
                         "empty; give the private key file for the bastion");
        if (str_empty(p->bastion.known_hosts))
            problems_add(out, false, "bastion.known_hosts",
                         "empty; give a known_hosts file holding the bastion's host key (host "
                         "keys are never accepted blindly)");
    }

    check_resources(p, out);
    check_extra_files(p, out);
    if (s)
        check_secrets(p, s, out);
}
