/* core/redact.c: tokens, the rules that find secret values, and their
 * replacement in JSON documents and text (see redact.h).
 *
 * One scanner serves both passes: it finds spans (where a value starts and
 * ends, the rule, the token) in a piece of text; learning registers the
 * values of the spans, applying replaces them. Known values are found with
 * memmem, one pattern at a time; overlapping spans resolve to the earliest,
 * then the longest, so a URL's password and the same password learnt from a
 * Secret are one replacement. */
#include "config.h"

#include "core/redact.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "core/kubeconfig.h" /* kube_base64_decode */
#include "core/util.h"

/* A Secret value under a name that does not say "secret" is searched for
 * elsewhere only from this length: a Secret's DB_USERNAME "postgres" must not
 * turn every "postgres" in the bundle into a token. */
#define REDACT_MIN_SEARCH_UNNAMED 12

struct pattern {
    char *bytes;
    size_t len;
    const char *rule; /* "known-secret" or "base64-of-secret" */
    char token[REDACT_TOKEN_LEN + 1];
};

struct redact {
    unsigned char key[REDACT_KEY_LEN];
    size_t keylen;
    struct pattern *pats;
    size_t npats, cappats;
    bool sorted;
    size_t nvalues;
    struct redact_entry *ents;
    size_t nents, capents;
};

struct span {
    size_t pos, len;
    const char *rule;
    char *where; /* owned */
    char token[REDACT_TOKEN_LEN + 1];
    size_t vlen; /* the value to learn: text[vpos, vpos+vlen) */
    size_t vpos;
};

struct spans {
    struct span *v;
    size_t n, cap;
};

/* ---- the redactor ---- */

struct redact *redact_new_with_key(const unsigned char *key, size_t len)
{
    struct redact *r = xcalloc(1, sizeof(*r));
    if (len > REDACT_KEY_LEN)
        len = REDACT_KEY_LEN;
    memcpy(r->key, key, len);
    r->keylen = len;
    return r;
}

struct redact *redact_new(void)
{
    unsigned char key[REDACT_KEY_LEN];
    size_t got = 0;
    while (got < sizeof(key)) {
        ssize_t n = getrandom(key + got, sizeof(key) - got, 0);
        if (n <= 0) {
            /* The kernel's random source does not fail once initialised;
             * without it there is no safe key, and no bundle. */
            xalloc_fail(sizeof(key));
        }
        got += (size_t)n;
    }
    struct redact *r = redact_new_with_key(key, sizeof(key));
    OPENSSL_cleanse(key, sizeof(key));
    return r;
}

void redact_free(struct redact *r)
{
    if (!r)
        return;
    OPENSSL_cleanse(r->key, sizeof(r->key));
    for (size_t i = 0; i < r->npats; i++) {
        OPENSSL_cleanse(r->pats[i].bytes, r->pats[i].len);
        free(r->pats[i].bytes);
    }
    free(r->pats);
    for (size_t i = 0; i < r->nents; i++) {
        free(r->ents[i].file);
        free(r->ents[i].where);
    }
    free(r->ents);
    free(r);
}

void redact_token(const struct redact *r, const void *value, size_t len,
                  char out[REDACT_TOKEN_LEN + 1])
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    static const unsigned char empty;
    HMAC(EVP_sha256(), r->key, (int)r->keylen, len ? value : &empty, len, mac, &maclen);
    static const char hex[] = "0123456789abcdef";
    size_t p = strlen(REDACT_TOKEN_PREFIX);
    memcpy(out, REDACT_TOKEN_PREFIX, p);
    for (size_t i = 0; p < REDACT_TOKEN_LEN; i++) {
        out[p++] = hex[mac[i] >> 4];
        out[p++] = hex[mac[i] & 15];
    }
    out[REDACT_TOKEN_LEN] = '\0';
}

bool redact_is_token(const char *s, size_t len)
{
    size_t p = strlen(REDACT_TOKEN_PREFIX);
    if (len < REDACT_TOKEN_LEN || memcmp(s, REDACT_TOKEN_PREFIX, p) != 0)
        return false;
    for (; p < REDACT_TOKEN_LEN; p++)
        if (!isxdigit((unsigned char)s[p]) || isupper((unsigned char)s[p]))
            return false;
    return true;
}

/* ---- names ---- */

static bool has_word(const char *lower, const char *w)
{
    return strstr(lower, w) != NULL;
}

bool redact_name_sensitive(const char *name, size_t len)
{
    if (len == 0 || len > 200)
        return false;
    char lower[201];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == '_' || c == '-' || c == '.')
            continue; /* DB_PASSWORD, db-password, secret.key: one word */
        lower[n++] = (char)tolower(c);
    }
    lower[n] = '\0';
    if (!has_word(lower, "password") && !has_word(lower, "passwd") && !has_word(lower, "token") &&
        !has_word(lower, "secret") && !has_word(lower, "key") && !has_word(lower, "credential"))
        return false;
    /* Names that point at a secret or describe one, not hold it:
     * secretKeyRef, secretName, the key of a keyRef, tokenPath, keyFile,
     * automountServiceAccountToken (a bool anyway), maxTokens ... */
    if (!strcmp(lower, "key") || !strcmp(lower, "keys"))
        return false;
    static const char *const suffix[] = {
        "name", "names",   "ref",    "refs",     "path",   "file", "type",  "ttl",   "seconds",
        "mode", "enabled", "tokens", "selector", "length", "size", "count", "items", "format"};
    for (size_t i = 0; i < ARRAY_LEN(suffix); i++)
        if (str_ends_with(lower, suffix[i]))
            return false;
    return true;
}

/* ---- patterns ---- */

static void add_pattern(struct redact *r, const char *bytes, size_t len, const char *rule,
                        const char *token)
{
    for (size_t i = 0; i < r->npats; i++)
        if (r->pats[i].len == len && !memcmp(r->pats[i].bytes, bytes, len))
            return;
    if (r->npats == r->cappats) {
        r->cappats = r->cappats ? r->cappats * 2 : 16;
        r->pats = xrealloc(r->pats, r->cappats * sizeof(*r->pats));
    }
    struct pattern *p = &r->pats[r->npats++];
    p->bytes = xmalloc(len + 1);
    memcpy(p->bytes, bytes, len);
    p->bytes[len] = '\0';
    p->len = len;
    p->rule = rule;
    memcpy(p->token, token, sizeof(p->token));
    r->sorted = false;
}

/* The base64 text of value after s zero bytes, cut to the characters that
 * depend on the value alone: what the value looks like inside any base64
 * blob it was encoded in at that alignment. */
static void add_base64_forms(struct redact *r, const unsigned char *v, size_t n, const char *token)
{
    for (size_t s = 0; s < 3; s++) {
        size_t inlen = s + n;
        unsigned char *in = xcalloc(1, inlen);
        memcpy(in + s, v, n);
        size_t outcap = 4 * ((inlen + 2) / 3) + 1;
        char *out = xmalloc(outcap);
        int olen = EVP_EncodeBlock((unsigned char *)out, in, (int)inlen);
        size_t first = (8 * s + 5) / 6;  /* first character after the pad bits */
        size_t last = (8 * (s + n)) / 6; /* characters wholly inside the value end here */
        if (s == 0 && olen > 0 && (size_t)olen >= 8)
            add_pattern(r, out, (size_t)olen, "base64-of-secret", token); /* with its padding */
        if (last > first && last - first >= 8)
            add_pattern(r, out + first, last - first, "base64-of-secret", token);
        OPENSSL_cleanse(in, inlen);
        OPENSSL_cleanse(out, outcap);
        free(in);
        free(out);
    }
}

static void register_value(struct redact *r, const char *v, size_t n, size_t min)
{
    if (n < min || n < REDACT_MIN_SEARCH || redact_is_token(v, n))
        return;
    char token[REDACT_TOKEN_LEN + 1];
    redact_token(r, v, n, token);
    size_t before = r->npats;
    add_pattern(r, v, n, "known-secret", token);
    if (r->npats == before)
        return; /* known already, with its forms */
    r->nvalues++;
    add_base64_forms(r, (const unsigned char *)v, n, token);
}

void redact_add_secret(struct redact *r, const void *value, size_t len)
{
    register_value(r, value, len, 0);
}

size_t redact_secret_count(const struct redact *r)
{
    return r->nvalues;
}

static int pat_cmp(const void *a, const void *b)
{
    const struct pattern *x = a, *y = b;
    return x->len < y->len ? 1 : x->len > y->len ? -1 : 0;
}

static void sort_patterns(struct redact *r)
{
    if (!r->sorted && r->npats > 1)
        qsort(r->pats, r->npats, sizeof(*r->pats), pat_cmp);
    r->sorted = true;
}

/* ---- spans ---- */

static struct span *span_add(struct spans *s, size_t pos, size_t len, const char *rule)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
    }
    struct span *sp = &s->v[s->n++];
    memset(sp, 0, sizeof(*sp));
    sp->pos = sp->vpos = pos;
    sp->len = sp->vlen = len;
    sp->rule = rule;
    return sp;
}

static void spans_done(struct spans *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].where);
    free(s->v);
    memset(s, 0, sizeof(*s));
}

static bool name_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '-' || c == '.';
}

static bool value_end(unsigned char c)
{
    return c == '\0' || isspace(c) || c == ',' || c == ';' || c == '&' || c == '"' || c == '\'' ||
           c == ')' || c == ']' || c == '}' || c == '<' || c == '>' || c == '`';
}

/* A value not worth hiding: nothing, a token, the log's mask, a reference
 * to somewhere else, a literal that is no secret. */
static bool value_trivial(const char *v, size_t n)
{
    if (n == 0 || redact_is_token(v, n))
        return true;
    if (v[0] == '*' || v[0] == '$' || (n >= 2 && v[0] == '{' && v[1] == '{'))
        return true;
    static const char *const lit[] = {"null", "none", "true", "false", "nil", "<none>", "~"};
    for (size_t i = 0; i < ARRAY_LEN(lit); i++)
        if (strlen(lit[i]) == n && !strncasecmp(v, lit[i], n))
            return true;
    return false;
}

/* NAME=value, NAME: value, "NAME": "value", --NAME=value, with NAME
 * sensitive. */
static void find_assignments(const char *t, size_t len, struct spans *out)
{
    for (size_t i = 0; i < len; i++) {
        if (t[i] != '=' && t[i] != ':')
            continue;
        size_t e = i;
        if (e > 0 && (t[e - 1] == '"' || t[e - 1] == '\''))
            e--;
        size_t b = e;
        while (b > 0 && name_char((unsigned char)t[b - 1]))
            b--;
        if (b == e || !redact_name_sensitive(t + b, e - b))
            continue;
        size_t v = i + 1;
        if (t[i] == ':' && v + 1 < len && t[v] == '/' && t[v + 1] == '/')
            continue; /* a URL's scheme */
        while (v < len && (t[v] == ' ' || t[v] == '\t'))
            v++;
        char q = 0;
        if (v < len && (t[v] == '"' || t[v] == '\''))
            q = t[v++];
        size_t ve = v;
        if (q) {
            while (ve < len && t[ve] != q && t[ve] != '\n')
                ve++;
        } else {
            while (ve < len && !value_end((unsigned char)t[ve]))
                ve++;
        }
        if (value_trivial(t + v, ve - v))
            continue;
        /* "DB_PASSWORD: plugin daemon's differs": prose naming a key, not a
         * value (a NAME: value pair ends its line or is quoted). */
        if (!q && t[i] == ':' && ve + 1 < len && t[ve] == ' ' && isalpha((unsigned char)t[ve + 1]))
            continue;
        struct span *sp = span_add(out, v, ve - v, "sensitive-name");
        sp->where = xasprintf("value of %.*s", (int)(e - b), t + b);
        i = ve > i ? ve - 1 : i;
    }
}

/* scheme://user:PASSWORD@host: the password. */
static void find_url_credentials(const char *t, size_t len, struct spans *out)
{
    const char *p = t, *end = t + len;
    while (p < end) {
        const char *m = memmem(p, (size_t)(end - p), "://", 3);
        if (!m)
            break;
        const char *s = m;
        while (s > t &&
               (isalnum((unsigned char)s[-1]) || s[-1] == '+' || s[-1] == '.' || s[-1] == '-'))
            s--;
        const char *u = m + 3, *q = u;
        const char *colon = NULL;
        while (q < end && *q != '@' && *q != '/' && *q != '?' && *q != '#' &&
               !value_end((unsigned char)*q)) {
            if (*q == ':' && !colon)
                colon = q;
            q++;
        }
        if (s < m && q < end && *q == '@' && colon && q > colon + 1 &&
            !value_trivial(colon + 1, (size_t)(q - colon - 1))) {
            struct span *sp =
                span_add(out, (size_t)(colon + 1 - t), (size_t)(q - colon - 1), "url-credentials");
            sp->where = xasprintf("password of a %.*s:// URL", (int)(m - s), s);
        }
        p = m + 3;
    }
}

static void find_known(struct redact *r, const char *t, size_t len, struct spans *out)
{
    sort_patterns(r);
    for (size_t k = 0; k < r->npats; k++) {
        const struct pattern *pt = &r->pats[k];
        const char *p = t, *end = t + len;
        while ((size_t)(end - p) >= pt->len) {
            const char *m = memmem(p, (size_t)(end - p), pt->bytes, pt->len);
            if (!m)
                break;
            struct span *sp = span_add(out, (size_t)(m - t), pt->len, pt->rule);
            memcpy(sp->token, pt->token, sizeof(sp->token));
            sp->where = xstrdup(!strcmp(pt->rule, "known-secret")
                                    ? "a secret value (learnt from a Secret, a name or the profile)"
                                    : "a secret value in base64");
            p = m + pt->len;
        }
    }
}

static int span_cmp(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->len > y->len ? -1 : x->len < y->len ? 1 : 0;
}

/* Every span of t, sorted, overlaps dropped (earliest, then longest, wins). */
static void find_spans(struct redact *r, const char *t, size_t len, bool known, struct spans *out)
{
    find_assignments(t, len, out);
    find_url_credentials(t, len, out);
    if (known)
        find_known(r, t, len, out);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof(*out->v), span_cmp);
    size_t w = 0, end = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (w > 0 && out->v[i].pos < end) {
            free(out->v[i].where);
            continue;
        }
        end = out->v[i].pos + out->v[i].len;
        out->v[w++] = out->v[i];
    }
    out->n = w;
    for (size_t i = 0; i < out->n; i++)
        if (!out->v[i].token[0])
            redact_token(r, t + out->v[i].vpos, out->v[i].vlen, out->v[i].token);
}

/* ---- entries ---- */

static struct redact_entry *entry_add(struct redact *r, const char *file, long line,
                                      const char *rule, char *where, const char *token)
{
    if (r->nents == r->capents) {
        r->capents = r->capents ? r->capents * 2 : 64;
        r->ents = xrealloc(r->ents, r->capents * sizeof(*r->ents));
    }
    struct redact_entry *e = &r->ents[r->nents++];
    e->file = xstrdup(file);
    e->line = line;
    e->rule = rule;
    e->where = where;
    memcpy(e->token, token, sizeof(e->token));
    return e;
}

size_t redact_entry_count(const struct redact *r)
{
    return r->nents;
}

const struct redact_entry *redact_entry_at(const struct redact *r, size_t i)
{
    return i < r->nents ? &r->ents[i] : NULL;
}

size_t redact_file_count(const struct redact *r, const char *file)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nents; i++)
        n += !strcmp(r->ents[i].file, file);
    return n;
}

/* ---- text ---- */

/* A value found in free text after a secret-sounding name is searched for
 * everywhere only when it looks like a secret: 8 bytes or more, with at
 * least two of lower case, upper case, digits and other characters, or 16
 * bytes and more. A word ("plugin") caught by the NAME: value rule in a
 * sentence must not turn into a token all over the bundle; where it stood
 * it is hidden anyway. */
static bool looks_secret(const char *v, size_t n)
{
    if (n >= 16)
        return true;
    if (n < 8)
        return false;
    int lower = 0, upper = 0, digit = 0, other = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        lower |= islower(c) != 0;
        upper |= isupper(c) != 0;
        digit |= isdigit(c) != 0;
        other |= !isalnum(c);
    }
    return lower + upper + digit + other >= 2;
}

void redact_learn_text(struct redact *r, const char *text, size_t len)
{
    struct spans s = {0};
    find_spans(r, text, len, false, &s);
    for (size_t i = 0; i < s.n; i++) {
        const char *v = text + s.v[i].vpos;
        size_t n = s.v[i].vlen;
        if (!strcmp(s.v[i].rule, "url-credentials") || looks_secret(v, n))
            register_value(r, v, n, 0);
    }
    spans_done(&s);
}

/* Replaces the spans of text; with file, records an entry per span with
 * its line (prefix: the where of a JSON string leaf, before the rule's). */
static char *apply_spans(struct redact *r, const char *file, const char *prefix, const char *text,
                         size_t len, size_t *out_len, size_t *count)
{
    struct spans s = {0};
    find_spans(r, text, len, true, &s);
    *count = s.n;
    if (s.n == 0) {
        spans_done(&s);
        if (out_len)
            *out_len = len;
        return xstrndup(text, len);
    }
    struct strbuf b;
    strbuf_init(&b);
    size_t at = 0;
    long line = 1;
    for (size_t i = 0; i < s.n; i++) {
        const struct span *sp = &s.v[i];
        for (size_t k = at; k < sp->pos; k++)
            line += text[k] == '\n';
        strbuf_add(&b, text + at, sp->pos - at);
        strbuf_adds(&b, sp->token);
        for (size_t k = sp->pos; k < sp->pos + sp->len; k++)
            line += text[k] == '\n'; /* a multi-line value: count what it hid */
        at = sp->pos + sp->len;
        if (file) {
            char *where = prefix ? xasprintf("%s (%s)", prefix, sp->where) : xstrdup(sp->where);
            entry_add(r, file, prefix ? 0 : line, sp->rule, where, sp->token);
        }
    }
    strbuf_add(&b, text + at, len - at);
    spans_done(&s);
    return strbuf_detach(&b, out_len);
}

char *redact_text(struct redact *r, const char *file, const char *text, size_t len, size_t *out_len)
{
    size_t n;
    return apply_spans(r, file, NULL, text, len, out_len, &n);
}

void redact_locate(struct redact *r, const char *file, const char *text, size_t len)
{
    size_t first = r->nents;
    while (first > 0 && !strcmp(r->ents[first - 1].file, file))
        first--;
    long line = 1;
    size_t plen = strlen(REDACT_TOKEN_PREFIX);
    for (size_t i = 0; i + REDACT_TOKEN_LEN <= len; i++) {
        if (text[i] == '\n') {
            line++;
            continue;
        }
        if (text[i] != REDACT_TOKEN_PREFIX[0] || memcmp(text + i, REDACT_TOKEN_PREFIX, plen) != 0 ||
            !redact_is_token(text + i, len - i))
            continue;
        for (size_t k = first; k < r->nents; k++) {
            struct redact_entry *e = &r->ents[k];
            if (e->line == 0 && !memcmp(e->token, text + i, REDACT_TOKEN_LEN)) {
                e->line = line;
                break;
            }
        }
        i += REDACT_TOKEN_LEN - 1;
    }
}

/* ---- JSON ---- */

struct walk {
    struct redact *r;
    bool apply;
    const char *file;
    char *obj; /* "Secret dify/dify-secrets", or "" */
    struct strbuf path;
};

static char *walk_where(const struct walk *w)
{
    if (*w->obj)
        return xasprintf("%s: %s", w->obj, w->path.len ? w->path.buf : "(whole)");
    return xstrdup(w->path.len ? w->path.buf : "(whole)");
}

/* The text of a scalar (string or number); NULL for anything else. */
static char *scalar_text(const cJSON *n)
{
    if (cJSON_IsString(n) && n->valuestring)
        return xstrdup(n->valuestring);
    if (cJSON_IsNumber(n)) {
        if (n->valuedouble == (double)(long long)n->valuedouble)
            return xasprintf("%lld", (long long)n->valuedouble);
        return xasprintf("%.17g", n->valuedouble);
    }
    return NULL;
}

/* Turns node into the string s in place, keeping its key and place. */
static void set_string(cJSON *node, const char *s)
{
    if (cJSON_IsString(node) && !(node->type & cJSON_IsReference))
        cJSON_free(node->valuestring);
    node->type = cJSON_String | (node->type & cJSON_StringIsConst);
    size_t n = strlen(s) + 1;
    node->valuestring = cJSON_malloc(n);
    memcpy(node->valuestring, s, n);
    node->valueint = 0;
    node->valuedouble = 0;
}

/* A whole value hidden: learnt, or replaced by its token. min: the length
 * from which it is searched for elsewhere too. */
static void hide_value(struct walk *w, cJSON *node, const void *value, size_t vlen,
                       const char *rule, size_t min)
{
    if (!w->apply) {
        register_value(w->r, value, vlen, min);
        return;
    }
    if (vlen == 0)
        return;
    char token[REDACT_TOKEN_LEN + 1];
    redact_token(w->r, value, vlen, token);
    entry_add(w->r, w->file, 0, rule, walk_where(w), token);
    set_string(node, token);
}

static void walk_node(struct walk *w, cJSON *node);

static void walk_string(struct walk *w, cJSON *node)
{
    const char *s = node->valuestring;
    if (!s)
        return;
    size_t len = strlen(s);
    if (!w->apply) {
        redact_learn_text(w->r, s, len);
        return;
    }
    char *where = walk_where(w);
    size_t n = 0;
    char *out = apply_spans(w->r, w->file, where, s, len, NULL, &n);
    free(where);
    if (n)
        set_string(node, out);
    free(out);
}

static size_t path_push_key(struct walk *w, const char *key)
{
    size_t mark = w->path.len;
    if (mark)
        strbuf_addc(&w->path, '.');
    strbuf_adds(&w->path, key);
    return mark;
}

static void path_pop(struct walk *w, size_t mark)
{
    w->path.len = mark;
    w->path.buf[mark] = '\0';
}

/* {name: X, value: V} with X sensitive: an env entry (or anything shaped
 * like one, in a custom resource or Helm values). */
static bool env_like(const cJSON *o, const char **name)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "name");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "value");
    if (!cJSON_IsString(n) || !n->valuestring || !v || !(cJSON_IsString(v) || cJSON_IsNumber(v)))
        return false;
    *name = n->valuestring;
    return redact_name_sensitive(n->valuestring, strlen(n->valuestring));
}

static void walk_object(struct walk *w, cJSON *node)
{
    const char *envname = NULL;
    bool env = env_like(node, &envname);
    cJSON *next;
    for (cJSON *c = node->child; c; c = next) {
        next = c->next; /* c may be replaced */
        const char *k = c->string ? c->string : "";
        size_t mark = path_push_key(w, k);
        char *text = NULL;
        if (env && !strcmp(k, "value")) {
            w->path.len = mark;
            strbuf_addf(&w->path, "[name=%s]", envname);
            text = scalar_text(c);
            hide_value(w, c, text, strlen(text), "sensitive-name", 0);
        } else if (redact_name_sensitive(k, strlen(k)) && (text = scalar_text(c)) && *text) {
            hide_value(w, c, text, strlen(text), "sensitive-name", 0);
        } else {
            walk_node(w, c);
        }
        if (text) {
            OPENSSL_cleanse(text, strlen(text));
            free(text);
        }
        path_pop(w, mark);
    }
}

static void walk_node(struct walk *w, cJSON *node)
{
    if (cJSON_IsObject(node)) {
        walk_object(w, node);
    } else if (cJSON_IsArray(node)) {
        size_t i = 0;
        cJSON *next;
        for (cJSON *c = node->child; c; c = next, i++) {
            next = c->next;
            size_t mark = w->path.len;
            strbuf_addf(&w->path, "[%zu]", i);
            walk_node(w, c);
            path_pop(w, mark);
        }
    } else if (cJSON_IsString(node)) {
        walk_string(w, node);
    }
}

/* A Secret's data (base64) and stringData: every value, whatever its name. */
static void walk_secret_values(struct walk *w, cJSON *obj, const char *member, bool b64)
{
    cJSON *map = cJSON_GetObjectItemCaseSensitive(obj, member);
    if (!cJSON_IsObject(map))
        return;
    cJSON *next;
    for (cJSON *c = map->child; c; c = next) {
        next = c->next;
        if (!cJSON_IsString(c) || !c->valuestring)
            continue;
        const char *k = c->string ? c->string : "";
        size_t mark = path_push_key(w, member);
        strbuf_addf(&w->path, ".%s", k);
        char *val = c->valuestring;
        size_t vlen = strlen(val);
        char *dec = NULL;
        size_t dlen = 0;
        if (b64 && kube_base64_decode(val, &dec, &dlen) == 0) {
            val = dec;
            vlen = dlen;
        }
        size_t min = redact_name_sensitive(k, strlen(k)) ? 0 : REDACT_MIN_SEARCH_UNNAMED;
        hide_value(w, c, val, vlen, "secret-data", min);
        if (dec) {
            OPENSSL_cleanse(dec, dlen);
            free(dec);
        }
        path_pop(w, mark);
    }
}

/* ConfigMap binaryData (any kind's): bytes that text rules cannot read;
 * hidden as a whole, never half-replaced. */
static void walk_binary_data(struct walk *w, cJSON *obj)
{
    cJSON *map = cJSON_GetObjectItemCaseSensitive(obj, "binaryData");
    if (!cJSON_IsObject(map) || !w->apply)
        return;
    cJSON *next;
    for (cJSON *c = map->child; c; c = next) {
        next = c->next;
        if (!cJSON_IsString(c) || !c->valuestring)
            continue;
        size_t mark = path_push_key(w, "binaryData");
        strbuf_addf(&w->path, ".%s", c->string ? c->string : "");
        hide_value(w, c, c->valuestring, strlen(c->valuestring), "binary-data", 0);
        path_pop(w, mark);
    }
}

static void walk_k8s_object(struct walk *w, cJSON *obj)
{
    const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "kind"));
    cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
    const char *ns = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(meta, "namespace"));
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(meta, "name"));
    free(w->obj);
    w->obj = xasprintf("%s %s%s%s", kind ? kind : "object", ns ? ns : "", ns ? "/" : "",
                       name ? name : "?");
    bool secret = kind && !strcmp(kind, "Secret");
    if (secret) {
        walk_secret_values(w, obj, "data", true);
        walk_secret_values(w, obj, "stringData", false);
        /* kubectl apply keeps the whole Secret, data included, in an
         * annotation: hidden as one value. */
        cJSON *ann = cJSON_GetObjectItemCaseSensitive(meta, "annotations");
        cJSON *last = cJSON_GetObjectItemCaseSensitive(
            ann, "kubectl.kubernetes.io/last-applied-configuration");
        if (cJSON_IsString(last) && last->valuestring) {
            size_t mark = path_push_key(w, "metadata.annotations");
            strbuf_adds(&w->path, "[kubectl.kubernetes.io/last-applied-configuration]");
            hide_value(w, last, last->valuestring, strlen(last->valuestring), "secret-data",
                       SIZE_MAX); /* its values are learnt from data itself */
            path_pop(w, mark);
        }
    }
    walk_binary_data(w, obj);
    cJSON *next;
    for (cJSON *c = obj->child; c; c = next) {
        next = c->next;
        const char *k = c->string ? c->string : "";
        if (secret && (!strcmp(k, "data") || !strcmp(k, "stringData")))
            continue;
        if (!strcmp(k, "binaryData"))
            continue;
        size_t mark = path_push_key(w, k);
        if (redact_name_sensitive(k, strlen(k)) && (cJSON_IsString(c) || cJSON_IsNumber(c))) {
            char *text = scalar_text(c);
            hide_value(w, c, text, strlen(text), "sensitive-name", 0);
            free(text);
        } else {
            walk_node(w, c);
        }
        path_pop(w, mark);
    }
}

static bool is_k8s_object(const cJSON *o)
{
    return cJSON_IsObject(o) && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "kind")) &&
           cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(o, "metadata"));
}

static void walk_doc(struct walk *w, cJSON *doc)
{
    strbuf_init(&w->path);
    w->obj = xstrdup("");
    if (is_k8s_object(doc)) {
        walk_k8s_object(w, doc);
    } else if (cJSON_IsArray(doc)) {
        size_t i = 0;
        cJSON *next;
        for (cJSON *c = doc->child; c; c = next, i++) {
            next = c->next;
            if (is_k8s_object(c)) {
                walk_k8s_object(w, c);
            } else {
                strbuf_addf(&w->path, "[%zu]", i);
                walk_node(w, c);
                path_pop(w, 0);
            }
        }
    } else {
        walk_node(w, doc);
    }
    free(w->obj);
    strbuf_done(&w->path);
}

void redact_learn_json(struct redact *r, const cJSON *doc)
{
    struct walk w = {.r = r, .apply = false, .file = ""};
    walk_doc(&w, (cJSON *)doc); /* learning never changes the tree */
}

void redact_json(struct redact *r, const char *file, cJSON *doc)
{
    struct walk w = {.r = r, .apply = true, .file = file};
    walk_doc(&w, doc);
}
