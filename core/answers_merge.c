/* core/answers_merge.c: saving answers over a file a person wrote. The new
 * text is answers_dump()'s; the old file is read with yamldoc, which knows
 * where every key is, and its comments are carried over line by line: the
 * comment lines right above a key and a comment at the end of its line go
 * with that key wherever the dump puts it, and the comments at the end of
 * the file stay at the end. Keys the profile does not hold are never dropped
 * in silence: each is kept, commented out, at the end of the file and
 * reported (a key that looks like a secret is reported and not copied, as
 * secrets do not belong in the answers file). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/log.h"
#include "core/util.h"
#include "core/validate.h"
#include "core/yamldoc.h"

#define DRAFT_MARK ANSWERS_DRAFT_MARK

struct lines {
    char **v;
    size_t n;
};

static void lines_split(struct lines *l, const char *text, size_t len)
{
    l->v = NULL;
    l->n = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n && p[n - 1] == '\r')
            n--;
        l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
        l->v[l->n++] = xstrndup(p, n);
        p = nl ? nl + 1 : end;
    }
}

static void lines_done(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* One mapping key of a document, in document order. */
struct kentry {
    char *path;
    int line, col; /* 1-based */
    const struct ynode *val;
};

struct kentries {
    struct kentry *v;
    size_t n;
};

static void collect(struct kentries *k, const struct ynode *n, const char *prefix)
{
    if (n->kind == YNODE_MAP) {
        for (size_t i = 0; i < n->n; i++) {
            char *path = xasprintf("%s%s%s", prefix, *prefix ? "." : "", n->keys[i]);
            k->v = xrealloc(k->v, (k->n + 1) * sizeof(*k->v));
            k->v[k->n++] = (struct kentry){path, n->key_line[i], n->key_col[i], n->items[i]};
            collect(k, n->items[i], path);
        }
    } else if (n->kind == YNODE_SEQ) {
        for (size_t i = 0; i < n->n; i++) {
            char *path = xasprintf("%s[%zu]", prefix, i);
            collect(k, n->items[i], path);
            free(path);
        }
    }
}

static int kentry_cmp(const void *a, const void *b)
{
    const struct kentry *x = a, *y = b;
    return x->line != y->line ? x->line - y->line : x->col - y->col;
}

static void kentries_done(struct kentries *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->v[i].path);
    free(k->v);
}

static const struct kentry *kentry_find(const struct kentries *k, const char *path)
{
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->v[i].path, path))
            return &k->v[i];
    return NULL;
}

static bool is_comment(const char *line)
{
    line += strspn(line, " \t");
    return *line == '#';
}

static bool is_blank(const char *line)
{
    return line[strspn(line, " \t")] == '\0';
}

/* Where a comment starts on a content line ("key: value  # why"), scanning
 * from col (1-based) and skipping quoted text; NULL when there is none. */
static const char *eol_comment(const char *line, int col)
{
    size_t len = strlen(line);
    if ((size_t)col > len)
        return NULL;
    char quote = 0;
    for (size_t i = (size_t)(col - 1); i < len; i++) {
        char c = line[i];
        if (quote) {
            if (c == quote && !(quote == '"' && i > 0 && line[i - 1] == '\\'))
                quote = 0;
        } else if (c == '"' || c == '\'') {
            /* A quote opens a string only where a value can begin. */
            if (i == 0 || strchr(" \t:[{,-", line[i - 1]))
                quote = c;
        } else if (c == '#' && i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t')) {
            return line + i;
        }
    }
    return NULL;
}

/* Whether the profile reads path: a field, a section of fields, version,
 * extra_files and the keys of its items. */
static bool path_known(const char *path)
{
    if (!strcmp(path, "version") || !strcmp(path, "extra_files"))
        return true;
    if (!strncmp(path, "extra_files[", 12)) {
        const char *rb = strchr(path, ']');
        if (!rb)
            return false;
        if (!rb[1])
            return true;
        for (size_t i = 0; answers_extra_keys[i]; i++)
            if (rb[1] == '.' && !strcmp(rb + 2, answers_extra_keys[i]))
                return true;
        return false;
    }
    size_t n = strlen(path);
    for (size_t i = 0; i < profile_nfields; i++) {
        const char *f = profile_fields[i].path;
        if (!strncmp(f, path, n) && (f[n] == '\0' || f[n] == '.'))
            return true;
    }
    return false;
}

static void list_add(char ***v, size_t *n, const char *s)
{
    *v = xrealloc(*v, (*n + 1) * sizeof(**v));
    (*v)[(*n)++] = xstrdup(s);
}

void answers_kept_done(struct answers_kept *k)
{
    for (size_t i = 0; i < k->nkept; i++)
        free(k->kept[i]);
    for (size_t i = 0; i < k->ndropped; i++)
        free(k->dropped[i]);
    free(k->kept);
    free(k->dropped);
    memset(k, 0, sizeof(*k));
}

/* The comment and blank lines right above old line `line` (1-based), first
 * to last, as [*from, line - 1). */
static size_t lead_from(const struct lines *old, int line)
{
    size_t i = (size_t)line - 1; /* 0-based index of the key's line */
    while (i > 0 && (is_comment(old->v[i - 1]) || is_blank(old->v[i - 1])))
        i--;
    /* Blank lines at the top of the block stay with what is above. */
    while (i < (size_t)line - 1 && is_blank(old->v[i]))
        i++;
    return i;
}

/* The last line (1-based) of the entry at index e of the sorted list: the
 * line before the next key at its column or left of it, without the comment
 * and blank lines that lead that key. */
static int span_end(const struct kentries *k, size_t e, const struct lines *old)
{
    int end = (int)old->n;
    for (size_t j = e + 1; j < k->n; j++)
        if (k->v[j].line > k->v[e].line && k->v[j].col <= k->v[e].col) {
            end = k->v[j].line - 1;
            break;
        }
    while (end > k->v[e].line && (is_comment(old->v[end - 1]) || is_blank(old->v[end - 1])))
        end--;
    return end;
}

static void add_line(struct strbuf *sb, const char *indent_from, const char *text)
{
    size_t ind = strspn(indent_from, " ");
    strbuf_addf(sb, "%.*s%s\n", (int)ind, indent_from, text + strspn(text, " \t"));
}

/* The unknown keys of the old file, commented out, for the end of the new. */
static void keep_unknown(struct strbuf *tail, const struct kentries *ok, const struct lines *old,
                         struct answers_kept *kept)
{
    bool heading = false;
    for (size_t e = 0; e < ok->n; e++) {
        const struct kentry *ke = &ok->v[e];
        if (path_known(ke->path))
            continue;
        /* Only the outermost unknown key: its children go with it. */
        bool inside = false;
        for (size_t j = 0; j < ok->n && !inside; j++) {
            size_t n = strlen(ok->v[j].path);
            inside = j != e && !path_known(ok->v[j].path) && !strncmp(ke->path, ok->v[j].path, n) &&
                     (ke->path[n] == '.' || ke->path[n] == '[');
        }
        if (inside)
            continue;
        const char *last = strrchr(ke->path, '.');
        if (answers_key_is_secret(last ? last + 1 : ke->path)) {
            list_add(&kept->dropped, &kept->ndropped, ke->path);
            continue;
        }
        list_add(&kept->kept, &kept->nkept, ke->path);
        if (!heading) {
            strbuf_adds(tail, "\n# Keys dify-tui does not read, kept from the earlier file as "
                              "comments\n# (written back only if a later dify-tui reads them):\n");
            heading = true;
        }
        strbuf_addf(tail, "# %s:\n", ke->path);
        int end = span_end(ok, e, old);
        /* A key that starts its line (after indentation or "- ") owns the
         * lines of its span; one inside a flow mapping does not. */
        const char *first = old->v[ke->line - 1];
        bool alone = (int)strspn(first, " -") >= ke->col - 1;
        if (!alone) {
            /* Shares its line with other keys (a flow mapping): the value only. */
            if (ke->val->kind == YNODE_SCALAR)
                strbuf_addf(tail, "#   %s: %s\n", last ? last + 1 : ke->path, ke->val->value);
            else
                strbuf_addf(tail, "#   (%s on line %d of the earlier file)\n",
                            ynode_kind_name(ke->val->kind), ke->line);
            continue;
        }
        for (int l = ke->line; l <= end; l++) {
            const char *text = old->v[l - 1];
            size_t cut = strlen(text) >= (size_t)(ke->col - 1) ? (size_t)(ke->col - 1) : 0;
            if (strspn(text, " -") < cut)
                cut = strspn(text, " ");
            strbuf_addf(tail, "#   %s\n", text + cut);
        }
    }
}

char *answers_merge(const char *name, const char *old_text, size_t old_len, const char *new_text,
                    struct answers_kept *kept, struct error *err)
{
    struct ynode *old_root = NULL, *new_root = NULL;
    struct error perr;
    error_clear(&perr);
    if (yamldoc_parse(name, old_text, old_len, &old_root, &perr) < 0) {
        error_set(err, ERR_PARSE, 0,
                  "%s no longer reads as YAML (%s), so its comments and unknown keys cannot be "
                  "kept; fix it or move it away",
                  name, perr.msg);
        return NULL;
    }
    if (yamldoc_parse(name, new_text, strlen(new_text), &new_root, &perr) < 0) {
        yamldoc_free(old_root);
        error_set(err, ERR_INTERNAL, 0, "answers dump does not parse: %s", perr.msg);
        return NULL;
    }
    struct lines old, neu;
    lines_split(&old, old_text, old_len);
    lines_split(&neu, new_text, strlen(new_text));
    struct kentries ok = {0}, nk = {0};
    collect(&ok, old_root, "");
    collect(&nk, new_root, "");
    qsort(ok.v, ok.n, sizeof(*ok.v), kentry_cmp);
    qsort(nk.v, nk.n, sizeof(*nk.v), kentry_cmp);

    struct strbuf out;
    strbuf_init(&out);
    bool *used = xcalloc(old.n + 1, sizeof(bool));
    /* The old file's own opening comments replace the dump's header. */
    bool old_has_head = false;
    for (size_t l = ok.n ? lead_from(&old, ok.v[0].line) : 0; ok.n && l + 1 < (size_t)ok.v[0].line;
         l++)
        if (is_comment(old.v[l]) &&
            strncmp(old.v[l] + strspn(old.v[l], " "), DRAFT_MARK, strlen(DRAFT_MARK)) != 0)
            old_has_head = true;
    size_t ki = 0;
    for (size_t i = 0; i < neu.n; i++) {
        const char *line = neu.v[i];
        if (old_has_head && i + 1 < (size_t)(nk.n ? nk.v[0].line : 1) && is_comment(line))
            continue;
        while (ki < nk.n && nk.v[ki].line < (int)i + 1)
            ki++;
        const struct kentry *ne = ki < nk.n && nk.v[ki].line == (int)i + 1 ? &nk.v[ki] : NULL;
        const struct kentry *oe = ne ? kentry_find(&ok, ne->path) : NULL;
        /* Each old line's comments are carried once (keys of a flow mapping
         * share a line, and would each take them). */
        if (oe && used[oe->line - 1])
            oe = NULL;
        if (oe) {
            used[oe->line - 1] = true;
            for (size_t l = lead_from(&old, oe->line); l + 1 < (size_t)oe->line; l++) {
                if (!strncmp(old.v[l] + strspn(old.v[l], " "), DRAFT_MARK, strlen(DRAFT_MARK)))
                    continue;
                if (is_blank(old.v[l]))
                    strbuf_adds(&out, "\n");
                else
                    add_line(&out, line, old.v[l]);
            }
        }
        strbuf_adds(&out, line);
        const char *c = oe ? eol_comment(old.v[oe->line - 1], oe->col) : NULL;
        if (c && !eol_comment(line, ne->col))
            strbuf_addf(&out, " %s", c);
        strbuf_addc(&out, '\n');
    }
    /* Comments after the last content line of the old file stay last. */
    size_t tail = old.n;
    while (tail > 0 && (is_comment(old.v[tail - 1]) || is_blank(old.v[tail - 1])))
        tail--;
    if (ok.n == 0)
        tail = old.n; /* a file of comments only: they led the dump above */
    bool any = false;
    for (size_t l = tail; l < old.n; l++)
        if (!is_blank(old.v[l]))
            any = true;
    if (any) {
        if (tail < old.n && !is_blank(old.v[tail]))
            strbuf_adds(&out, "\n");
        for (size_t l = tail; l < old.n; l++)
            strbuf_addf(&out, "%s\n", old.v[l]);
    }
    struct answers_kept local = {0};
    keep_unknown(&out, &ok, &old, kept ? kept : &local);
    answers_kept_done(&local);

    free(used);
    kentries_done(&ok);
    kentries_done(&nk);
    lines_done(&old);
    lines_done(&neu);
    yamldoc_free(old_root);
    yamldoc_free(new_root);

    /* What is written must read back as the dump does. */
    struct ynode *check = NULL;
    if (yamldoc_parse(name, out.buf, out.len, &check, &perr) < 0) {
        log_warn("%s: keeping the comments gave text that does not parse (%s); written without "
                 "them",
                 name, perr.msg);
        strbuf_done(&out);
        return xstrdup(new_text);
    }
    yamldoc_free(check);
    return strbuf_detach(&out, NULL);
}

int answers_draft_page(const char *text, size_t len)
{
    size_t n = strlen(DRAFT_MARK);
    const char *p = text, *end = text + len;
    /* Only among the opening comment lines. */
    while (p < end && (*p == '#' || *p == '\n' || *p == ' ')) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        int page;
        if (l > n && !strncmp(p, DRAFT_MARK, n) && sscanf(p + n, " stopped at page %d", &page) == 1)
            return page;
        p = nl ? nl + 1 : end;
    }
    return 0;
}
