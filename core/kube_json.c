/* core/kube_json.c: cJSON accessors, RFC 3339 times and Status errors for the
 * Kubernetes modules. */
#include "config.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/kube_json.h"
#include "core/kube_jval.h"
#include "core/util.h"

/* Where key matches the path segment at seg (up to '.' or the end): the
 * byte after the segment; NULL when it does not match. */
static inline const char *segment_match(const char *key, const char *seg)
{
    while (*key && *seg != '.' && *key == *seg)
        key++, seg++;
    return *key == '\0' && (*seg == '.' || *seg == '\0') ? seg : NULL;
}

/* One pass over the path and the members' names, without strchr, strlen and
 * strncmp calls per segment and member (the projection makes about forty
 * lookups an object); the first member of a name wins, as cJSON's lookup. */
const struct cJSON *kj_get(const struct cJSON *o, const char *path)
{
    while (o && *path) {
        if (!(o->type & cJSON_Object))
            return NULL;
        const char *end = NULL;
        const cJSON *c = o->child;
        for (; c; c = c->next)
            if (c->string && (end = segment_match(c->string, path)))
                break;
        if (!c)
            return NULL;
        o = c;
        path = *end ? end + 1 : end;
    }
    return o;
}

struct cJSON *kj_get_mut(const struct cJSON *o, const char *path)
{
    return (struct cJSON *)kj_get(o, path);
}

double kj_num(const struct cJSON *o, const char *path, double def)
{
    const cJSON *v = kj_get(o, path);
    return cJSON_IsNumber(v) ? v->valuedouble : def;
}

const char *kj_str(const struct cJSON *o, const char *path)
{
    return kjv_str(kj_get(o, path));
}

long long kj_int(const struct cJSON *o, const char *path, long long def)
{
    return kjv_int(kj_get(o, path), def);
}

bool kj_has(const struct cJSON *o, const char *path)
{
    return kjv_has(kj_get(o, path));
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9)
            return -1;
        v = v * 10 + (int)d;
    }
    return v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil): what timegm computes, without its locale and tz work. */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

long long kube_time_parse(const char *s)
{
    if (!s || strnlen(s, 20) < 20)
        return -1;
    int Y = digits(s, 4), M = digits(s + 5, 2), D = digits(s + 8, 2);
    int h = digits(s + 11, 2), m = digits(s + 14, 2), sec = digits(s + 17, 2);
    if (Y < 0 || M < 1 || M > 12 || D < 1 || D > 31 || h < 0 || h > 23 || m < 0 || m > 59 ||
        sec < 0 || sec > 60 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
        s[13] != ':' || s[16] != ':')
        return -1;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p))
            p++;
    }
    long off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh = digits(p + 1, 2), om = p[3] == ':' ? digits(p + 4, 2) : -1;
        if (oh < 0 || om < 0)
            return -1;
        off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    if (*p)
        return -1;
    return days_from_civil(Y, M, D) * 86400LL + h * 3600LL + m * 60LL + sec - off;
}

void kube_time_format(long long t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *http_reason(long status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 413:
        return "Request Entity Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Error";
    }
}

int kube_status_error(struct error *err, const char *method, const char *path, long status,
                      const char *body, size_t len)
{
    cJSON *j = body && len ? cJSON_ParseWithLength(body, len) : NULL;
    const char *kind = kj_str(j, "kind");
    const char *msg = kj_str(j, "message");
    long long code = kj_int(j, "code", status);
    if (code <= 0 || code > 999)
        code = status;
    if (j && str_eq(kind, "Status") && !str_empty(msg)) {
        error_set(err, ERR_HTTP, code, "%s %s: %lld %s: %s", method, path, code, http_reason(code),
                  msg);
        /* details.causes name the fields; most are in the message already
         * (a 422's "spec.x: Invalid value: ..."), the rest are added. */
        const cJSON *cause;
        cJSON_ArrayForEach(cause, kj_get(j, "details.causes"))
        {
            const char *cf = kj_str(cause, "field"), *cm = kj_str(cause, "message");
            if (str_empty(cm) ||
                (!str_empty(cf) ? strstr(msg, cf) != NULL : strstr(msg, cm) != NULL))
                continue;
            if (!str_empty(cf))
                error_append(err, "; %s: %s", cf, cm);
            else
                error_append(err, "; %s", cm);
        }
    } else if (body && len) {
        /* Not a Status (a proxy, a load balancer): show the start of the text. */
        char snippet[161];
        size_t n = 0;
        for (size_t i = 0; i < len && n < sizeof(snippet) - 1; i++)
            snippet[n++] =
                (body[i] == '\n' || body[i] == '\r' || (unsigned char)body[i] < 32) ? ' ' : body[i];
        while (n > 0 && snippet[n - 1] == ' ')
            n--;
        snippet[n] = '\0';
        error_set(err, ERR_HTTP, status, "%s %s: %ld %s: %s%s", method, path, status,
                  http_reason(status), snippet, len > 160 ? "..." : "");
    } else {
        error_set(err, ERR_HTTP, status, "%s %s: %ld %s", method, path, status,
                  http_reason(status));
    }
    cJSON_Delete(j);
    return -1;
}
