/* core/secret_mask.c: the values of a Secret that are masked on screen
 * (see secret_mask.h for the rule). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kube_json.h"
#include "core/kubeconfig.h"
#include "core/log.h"
#include "core/redact.h"
#include "core/secret_mask.h"
#include "core/util.h"

bool secret_mask_type_wanted(const char *type)
{
    static const char *const skip[] = {
        "helm.sh/release.v1",                  /* a gzipped release: no value of its own */
        "kubernetes.io/service-account-token", /* the client masks its own token */
        "kubernetes.io/dockerconfigjson",      /* registry credentials: JSON, never logged */
        "kubernetes.io/dockercfg",
        "bootstrap.kubernetes.io/token",
    };
    for (size_t i = 0; type && i < ARRAY_LEN(skip); i++)
        if (!strcmp(type, skip[i]))
            return false;
    return true;
}

static void note_short(struct secret_mask_stats *st, const char *secret, const char *key)
{
    st->too_short++;
    size_t n = strlen(st->short_names);
    if (n + 8 >= sizeof(st->short_names))
        return;
    snprintf(st->short_names + n, sizeof(st->short_names) - n, "%s%s/%s", n ? ", " : "",
             secret ? secret : "?", key);
    if (strlen(st->short_names) >= sizeof(st->short_names) - 1)
        memcpy(st->short_names + sizeof(st->short_names) - 4, "...", 4);
}

/* One value: registered when long enough, else counted as too short. */
static void add_value(const char *v, size_t len, const char *secret, const char *key,
                      struct secret_mask_stats *st)
{
    while (len && (v[len - 1] == '\n' || v[len - 1] == '\r'))
        len--;
    if (len == 0)
        return;
    if (len < SECRET_MASK_MIN) {
        note_short(st, secret, key);
        return;
    }
    char *s = xmalloc(len + 1);
    memcpy(s, v, len);
    s[len] = '\0';
    if (strlen(s) == len) { /* a value with a NUL is no text a log shows */
        log_add_secret(s);
        st->masked++;
    }
    /* several lines: each long one too (a PEM key's base64 lines) */
    if (memchr(s, '\n', len)) {
        for (char *p = s, *e; *p; p = e + (*e != '\0')) {
            e = strchr(p, '\n');
            if (!e)
                e = p + strlen(p);
            size_t l = (size_t)(e - p);
            if (l && p[l - 1] == '\r')
                l--;
            if (l >= SECRET_MASK_MIN && strncmp(p, "-----", 5) != 0) {
                char *line = xstrndup(p, l);
                log_add_secret(line);
                str_free_secret(line);
            }
        }
    }
    str_free_secret(s);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* The password of scheme://user:PASSWORD@host..., as written and
 * percent-decoded (a log may show either). */
static void add_url_password(const char *v, size_t len, const char *secret, const char *key,
                             struct secret_mask_stats *st)
{
    const char *sep = memmem(v, len, "://", 3);
    if (!sep)
        return;
    const char *auth = sep + 3, *end = v + len;
    const char *at = NULL;
    for (const char *p = auth; p < end && *p != '/' && *p != '?' && *p != '#'; p++)
        if (*p == '@')
            at = p; /* the last '@' before the path ends the userinfo */
    if (!at)
        return;
    const char *colon = memchr(auth, ':', (size_t)(at - auth));
    if (!colon || colon + 1 >= at)
        return;
    const char *pw = colon + 1;
    size_t pwlen = (size_t)(at - pw);
    add_value(pw, pwlen, secret, key, st);
    if (!memchr(pw, '%', pwlen))
        return;
    char *dec = xmalloc(pwlen + 1);
    size_t n = 0;
    for (size_t i = 0; i < pwlen; i++) {
        int h, l;
        if (pw[i] == '%' && i + 2 < pwlen && (h = hexval(pw[i + 1])) >= 0 &&
            (l = hexval(pw[i + 2])) >= 0) {
            dec[n++] = (char)(h * 16 + l);
            i += 2;
        } else {
            dec[n++] = pw[i];
        }
    }
    add_value(dec, n, secret, key, st);
    memset(dec, 0, pwlen + 1);
    free(dec);
}

static void add_entry(const char *key, const char *v, size_t len, const char *secret,
                      struct secret_mask_stats *st)
{
    if (redact_name_sensitive(key, strlen(key)))
        add_value(v, len, secret, key, st);
    add_url_password(v, len, secret, key, st);
}

void secret_mask_add_secret(const cJSON *secret, struct secret_mask_stats *st)
{
    if (!secret || !secret_mask_type_wanted(kj_str(secret, "type")))
        return;
    const char *name = kj_str(secret, "metadata.name");
    st->secrets++;
    const cJSON *c;
    cJSON_ArrayForEach(c, kj_get(secret, "data"))
    {
        if (!c->string || !cJSON_IsString(c))
            continue;
        char *v = NULL;
        size_t len = 0;
        if (kube_base64_decode(c->valuestring, &v, &len) < 0)
            continue;
        add_entry(c->string, v, len, name, st);
        memset(v, 0, len);
        free(v);
    }
    cJSON_ArrayForEach(c, kj_get(secret, "stringData"))
    {
        if (c->string && cJSON_IsString(c))
            add_entry(c->string, c->valuestring, strlen(c->valuestring), name, st);
    }
}

void secret_mask_add_list(const cJSON *list, struct secret_mask_stats *st)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, kj_get(list, "items")) secret_mask_add_secret(item, st);
}

/* Every "env" list under j: {name, value} entries (the containers and init
 * containers of a pod, a template, a CronJob's job template). */
static void add_env_lists(const cJSON *j, const char *what, struct secret_mask_stats *st, int depth)
{
    if (depth > 32)
        return;
    const cJSON *c;
    cJSON_ArrayForEach(c, j)
    {
        if (c->string && !strcmp(c->string, "env") && cJSON_IsArray(c)) {
            const cJSON *e;
            cJSON_ArrayForEach(e, c)
            {
                const char *name = kj_str(e, "name"), *v = kj_str(e, "value");
                if (name && v)
                    add_entry(name, v, strlen(v), what, st);
            }
        } else if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
            add_env_lists(c, what, st, depth + 1);
        }
    }
}

void secret_mask_add_env(const cJSON *obj, const char *what, struct secret_mask_stats *st)
{
    if (obj)
        add_env_lists(obj, what, st, 0);
}

void secret_mask_short_note(const struct secret_mask_stats *st, char *out, size_t n)
{
    if (!st->too_short) {
        snprintf(out, n, "%s", "");
        return;
    }
    snprintf(out, n,
             "shown, not masked: %s (under %d characters: masking %s would mask ordinary "
             "words)",
             st->short_names, SECRET_MASK_MIN, st->too_short == 1 ? "it" : "them");
}
