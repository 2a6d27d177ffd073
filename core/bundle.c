/* core/bundle.c: the bundle's files, their redaction, the manifest and the
 * redaction report (see bundle.h). The tar.gz writer is bundle_write.c. */
#include "config.h"

#include "core/bundle.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/redact.h"
#include "core/util.h"
#include "core/yamlout.h"

enum item_kind { ITEM_TEXT, ITEM_OBJECTS, ITEM_DOC };

struct item {
    struct bundle_file f;
    enum item_kind kind;
    cJSON *json; /* ITEM_OBJECTS (an array) and ITEM_DOC */
    bool yaml;
    char *raw; /* ITEM_TEXT: what was given */
    size_t rawlen;
};

struct note {
    char *what, *why;
};

struct bundle {
    bool redact;
    bool finished;
    char *ns, *context, *tool, *top;
    long long created;
    struct redact *r;
    struct item *items;
    size_t n, cap;
    struct note *notes;
    size_t nnotes;
    size_t hidden;
};

struct bundle *bundle_new(const struct bundle_opts *o)
{
    struct bundle *b = xcalloc(1, sizeof(*b));
    b->redact = o->redact;
    b->ns = xstrdup(o->ns ? o->ns : "");
    b->context = xstrdup_or_null(o->context);
    b->tool = xstrdup(o->tool ? o->tool : "dify-tui");
    b->created = o->created;
    time_t t = (time_t)o->created;
    struct tm tm;
    gmtime_r(&t, &tm);
    char stamp[32];
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    b->top = xasprintf("dify-bundle-%s%s", stamp, o->redact ? "" : "-UNREDACTED");
    if (o->redact)
        b->r = redact_new();
    return b;
}

void bundle_free(struct bundle *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        struct item *it = &b->items[i];
        free(it->f.path);
        free(it->f.data);
        free(it->raw);
        cJSON_Delete(it->json);
    }
    free(b->items);
    for (size_t i = 0; i < b->nnotes; i++) {
        free(b->notes[i].what);
        free(b->notes[i].why);
    }
    free(b->notes);
    redact_free(b->r);
    free(b->ns);
    free(b->context);
    free(b->tool);
    free(b->top);
    free(b);
}

static struct item *item_add(struct bundle *b, const char *path, enum item_kind kind)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 32;
        b->items = xrealloc(b->items, b->cap * sizeof(*b->items));
    }
    struct item *it = &b->items[b->n++];
    memset(it, 0, sizeof(*it));
    it->f.path = xstrdup(path);
    it->kind = kind;
    return it;
}

/* Binary: a NUL byte, or a byte sequence that is not UTF-8. Text rules
 * cannot read such content, and rewriting it would corrupt it. */
static bool is_binary(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c == 0)
            return true;
        size_t k = c < 0x80             ? 0
                   : (c & 0xE0) == 0xC0 ? 1
                   : (c & 0xF0) == 0xE0 ? 2
                   : (c & 0xF8) == 0xF0 ? 3
                                        : 9;
        if (k == 9 || (k == 1 && c < 0xC2))
            return true;
        if (i + k >= n)
            return false; /* a character cut by a byte limit at the end */
        for (size_t j = 1; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return true;
        i += k + 1;
    }
    return false;
}

void bundle_add_text(struct bundle *b, const char *path, const char *data, size_t len)
{
    struct item *it = item_add(b, path, ITEM_TEXT);
    it->raw = xmalloc(len + 1);
    memcpy(it->raw, data, len);
    it->raw[len] = '\0';
    it->rawlen = len;
    it->f.binary = is_binary((const unsigned char *)data, len);
}

static void drop_managed_fields(cJSON *o)
{
    cJSON *meta = cJSON_GetObjectItemCaseSensitive(o, "metadata");
    if (cJSON_IsObject(meta))
        cJSON_DeleteItemFromObjectCaseSensitive(meta, "managedFields");
}

void bundle_add_objects(struct bundle *b, const char *path, cJSON *list)
{
    struct item *it = item_add(b, path, ITEM_OBJECTS);
    it->json = list;
    it->yaml = true;
    cJSON *o;
    cJSON_ArrayForEach(o, list) drop_managed_fields(o);
}

void bundle_add_doc(struct bundle *b, const char *path, cJSON *doc, bool yaml)
{
    struct item *it = item_add(b, path, ITEM_DOC);
    it->json = doc;
    it->yaml = yaml;
}

void bundle_add_secret(struct bundle *b, const char *value)
{
    if (b->r && value && *value)
        redact_add_secret(b->r, value, strlen(value));
}

void bundle_note(struct bundle *b, const char *what, const char *why)
{
    b->notes = xrealloc(b->notes, (b->nnotes + 1) * sizeof(*b->notes));
    b->notes[b->nnotes].what = xstrdup(what);
    b->notes[b->nnotes].why = xstrdup(why);
    b->nnotes++;
}

/* ---- finishing ---- */

static int emit_json(const struct item *it, char **out, size_t *len, struct error *err)
{
    if (it->yaml) {
        cJSON **docs = NULL;
        size_t n = 0;
        if (it->kind == ITEM_OBJECTS) {
            n = (size_t)cJSON_GetArraySize(it->json);
            docs = xcalloc(n ? n : 1, sizeof(*docs));
            size_t i = 0;
            cJSON *o;
            cJSON_ArrayForEach(o, it->json) docs[i++] = o;
        } else {
            n = 1;
            docs = xcalloc(1, sizeof(*docs));
            docs[0] = it->json;
        }
        int rc = n ? yamlout_emit(docs, n, out, len, err) : 0;
        if (n == 0) {
            *out = xstrdup("");
            *len = 0;
        }
        free(docs);
        if (rc < 0)
            return error_prefix(err, "%s", it->f.path);
        return 0;
    }
    char *s = cJSON_Print(it->json);
    *len = strlen(s);
    *out = xmalloc(*len + 2);
    memcpy(*out, s, *len);
    (*out)[(*len)++] = '\n';
    (*out)[*len] = '\0';
    cJSON_free(s);
    return 0;
}

static void learn_all(struct bundle *b)
{
    for (size_t i = 0; i < b->n; i++) {
        struct item *it = &b->items[i];
        if (it->json)
            redact_learn_json(b->r, it->json);
        else if (!it->f.binary)
            redact_learn_text(b->r, it->raw, it->rawlen);
    }
}

static int finish_item(struct bundle *b, struct item *it, struct error *err)
{
    struct bundle_file *f = &it->f;
    if (it->kind == ITEM_TEXT) {
        hash_sha256_hex(it->raw, it->rawlen, f->sha256);
        if (f->binary && b->redact) {
            f->left_out = true;
            f->len = it->rawlen;
            return 0;
        }
        if (b->redact && !f->binary) {
            f->data = redact_text(b->r, f->path, it->raw, it->rawlen, &f->len);
        } else {
            f->data = it->raw;
            f->len = it->rawlen;
            it->raw = NULL;
        }
    } else {
        if (b->redact)
            redact_json(b->r, f->path, it->json);
        char *text = NULL;
        size_t len = 0;
        if (emit_json(it, &text, &len, err) < 0)
            return -1;
        if (b->redact) {
            redact_locate(b->r, f->path, text, len);
            /* Whatever the walk could not see (a mapping key, say). */
            f->data = redact_text(b->r, f->path, text, len, &f->len);
            free(text);
        } else {
            f->data = text;
            f->len = len;
        }
    }
    if (b->redact)
        f->hidden = redact_file_count(b->r, f->path);
    b->hidden += f->hidden;
    hash_sha256_hex(f->data, f->len, f->sha256);
    return 0;
}

static void iso_time(long long t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static cJSON *left_out_json(const struct bundle *b)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < b->n; i++) {
        const struct bundle_file *f = &b->items[i].f;
        if (!f->left_out)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "path", f->path);
        cJSON_AddNumberToObject(o, "size", (double)f->len);
        cJSON_AddStringToObject(o, "sha256", f->sha256);
        cJSON_AddStringToObject(o, "why",
                                "binary: redaction cannot read it and will not rewrite it; "
                                "ask for it separately, or run with --no-redact");
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static size_t distinct_tokens(const struct redact *r)
{
    size_t n = 0;
    size_t total = redact_entry_count(r);
    for (size_t i = 0; i < total; i++) {
        const char *t = redact_entry_at(r, i)->token;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = !strcmp(redact_entry_at(r, k)->token, t);
        n += !seen;
    }
    return n;
}

static void add_report(struct bundle *b)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "bundle", b->top);
    cJSON_AddStringToObject(doc, "tokens",
                            "REDACTED- and 12 hex digits: HMAC-SHA256 of the value under a key "
                            "drawn for this bundle and not kept; equal values, equal tokens");
    cJSON_AddNumberToObject(doc, "hidden", (double)redact_entry_count(b->r));
    cJSON_AddNumberToObject(doc, "distinct_values", (double)distinct_tokens(b->r));
    cJSON *ents = cJSON_AddArrayToObject(doc, "entries");
    struct strbuf md;
    strbuf_init(&md);
    strbuf_addf(&md,
                "# Redaction report: %s\n\n"
                "Every value listed here was replaced by a token: `REDACTED-` and 12 hex digits,\n"
                "an HMAC-SHA256 of the value under a key drawn for this bundle and not kept.\n"
                "The same value has the same token everywhere in the bundle, so two keys that\n"
                "should match can be compared; the values themselves are not in this bundle.\n\n"
                "%zu values hidden (%zu distinct).\n\n",
                b->top, redact_entry_count(b->r), distinct_tokens(b->r));
    strbuf_adds(&md, "| file | line | what | rule | token |\n| --- | --- | --- | --- | --- |\n");
    for (size_t i = 0; i < redact_entry_count(b->r); i++) {
        const struct redact_entry *e = redact_entry_at(b->r, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", e->file);
        cJSON_AddNumberToObject(o, "line", (double)e->line);
        cJSON_AddStringToObject(o, "what", e->where);
        cJSON_AddStringToObject(o, "rule", e->rule);
        cJSON_AddStringToObject(o, "token", e->token);
        cJSON_AddItemToArray(ents, o);
        struct strbuf w;
        strbuf_init(&w);
        for (const char *p = e->where; *p; p++)
            if (*p == '|')
                strbuf_adds(&w, "\\|");
            else
                strbuf_addc(&w, *p == '\n' ? ' ' : *p);
        strbuf_addf(&md, "| %s | %ld | %s | %s | %s |\n", e->file, e->line, w.buf, e->rule,
                    e->token);
        strbuf_done(&w);
    }
    cJSON *lo = left_out_json(b);
    if (cJSON_GetArraySize(lo) > 0) {
        strbuf_adds(&md, "\n## Left out (binary)\n\n");
        cJSON *o;
        cJSON_ArrayForEach(o, lo)
        {
            strbuf_addf(&md, "- %s: %.0f bytes, sha256 %s\n",
                        cJSON_GetStringValue(cJSON_GetObjectItem(o, "path")),
                        cJSON_GetNumberValue(cJSON_GetObjectItem(o, "size")),
                        cJSON_GetStringValue(cJSON_GetObjectItem(o, "sha256")));
        }
    }
    cJSON_AddItemToObject(doc, "left_out", lo);
    char *json = cJSON_Print(doc);
    cJSON_Delete(doc);
    struct item *it = item_add(b, "redaction-report.json", ITEM_TEXT);
    it->f.len = strlen(json);
    it->f.data = xstrdup(json);
    hash_sha256_hex(it->f.data, it->f.len, it->f.sha256);
    cJSON_free(json);
    it = item_add(b, "redaction-report.md", ITEM_TEXT);
    it->f.data = strbuf_detach(&md, &it->f.len);
    hash_sha256_hex(it->f.data, it->f.len, it->f.sha256);
}

static void add_unredacted_notice(struct bundle *b)
{
    struct item *it = item_add(b, "UNREDACTED.txt", ITEM_TEXT);
    it->f.data =
        xstrdup("This bundle was made with --no-redact: it holds secret values in clear\n"
                "(Secrets, passwords, keys and tokens). Share it only with people who may\n"
                "see them, and delete it when done.\n");
    it->f.len = strlen(it->f.data);
    hash_sha256_hex(it->f.data, it->f.len, it->f.sha256);
}

static void add_manifest(struct bundle *b)
{
    cJSON *doc = cJSON_CreateObject();
    char when[40];
    iso_time(b->created, when, sizeof(when));
    cJSON_AddStringToObject(doc, "format", "dify-tui-bundle/1");
    cJSON_AddStringToObject(doc, "tool", b->tool);
    cJSON_AddStringToObject(doc, "created", when);
    cJSON_AddStringToObject(doc, "namespace", b->ns);
    if (b->context)
        cJSON_AddStringToObject(doc, "context", b->context);
    cJSON_AddBoolToObject(doc, "redacted", b->redact);
    cJSON *files = cJSON_AddArrayToObject(doc, "files");
    for (size_t i = 0; i < b->n; i++) {
        const struct bundle_file *f = &b->items[i].f;
        if (f->left_out)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "path", f->path);
        cJSON_AddNumberToObject(o, "size", (double)f->len);
        cJSON_AddStringToObject(o, "sha256", f->sha256);
        if (b->redact)
            cJSON_AddNumberToObject(o, "hidden", (double)f->hidden);
        if (f->binary)
            cJSON_AddBoolToObject(o, "binary", true);
        cJSON_AddItemToArray(files, o);
    }
    cJSON_AddItemToObject(doc, "left_out", left_out_json(b));
    cJSON_AddNumberToObject(doc, "not_collected", (double)b->nnotes);
    char *json = cJSON_Print(doc);
    cJSON_Delete(doc);
    struct item *it = item_add(b, "manifest.json", ITEM_TEXT);
    it->f.data = xstrdup(json);
    it->f.len = strlen(json);
    cJSON_free(json);
    hash_sha256_hex(it->f.data, it->f.len, it->f.sha256);
}

int bundle_finish(struct bundle *b, struct error *err)
{
    if (b->finished)
        return 0;
    b->finished = true;
    /* What could not be collected, and why: the reasons quote servers and
     * tools, so they are a file like the others, redacted like them. */
    struct strbuf nc;
    strbuf_init(&nc);
    for (size_t i = 0; i < b->nnotes; i++)
        strbuf_addf(&nc, "%s: %s\n", b->notes[i].what, b->notes[i].why);
    if (b->nnotes)
        bundle_add_text(b, "not-collected.txt", nc.buf, nc.len);
    strbuf_done(&nc);
    if (b->redact)
        learn_all(b);
    size_t n = b->n;
    for (size_t i = 0; i < n; i++)
        if (finish_item(b, &b->items[i], err) < 0)
            return -1;
    if (b->redact)
        add_report(b);
    else
        add_unredacted_notice(b);
    add_manifest(b);
    return 0;
}

size_t bundle_count(const struct bundle *b)
{
    return b->n;
}

const struct bundle_file *bundle_file_at(const struct bundle *b, size_t i)
{
    return i < b->n ? &b->items[i].f : NULL;
}

bool bundle_redacting(const struct bundle *b)
{
    return b->redact;
}

size_t bundle_hidden(const struct bundle *b)
{
    return b->hidden;
}

const char *bundle_top(const struct bundle *b)
{
    return b->top;
}

struct redact *bundle_redactor(const struct bundle *b)
{
    return b->r;
}

char *bundle_out_name(const char *out, bool redact)
{
    if (redact)
        return xstrdup(out);
    const char *slash = strrchr(out, '/');
    const char *base = slash ? slash + 1 : out;
    if (strstr(base, "UNREDACTED"))
        return xstrdup(out);
    static const char *const exts[] = {".tar.gz", ".tgz"};
    for (size_t i = 0; i < ARRAY_LEN(exts); i++) {
        if (str_ends_with(base, exts[i]) && strlen(base) > strlen(exts[i]))
            return xasprintf("%.*s.UNREDACTED%s", (int)(strlen(out) - strlen(exts[i])), out,
                             exts[i]);
    }
    return xasprintf("%s.UNREDACTED", out);
}
