/* core/yamldoc.c: libyaml events to a positioned node tree. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "core/error.h"
#include "core/util.h"
#include "core/yamldoc.h"

/* Deep nesting is refused rather than recursed into without bound. */
#define YAMLDOC_MAX_DEPTH 64

static struct ynode *ynode_new(enum ynode_kind kind, const yaml_mark_t *m)
{
    struct ynode *n = xcalloc(1, sizeof(*n));
    n->kind = kind;
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    return n;
}

void yamldoc_free(struct ynode *n)
{
    if (!n)
        return;
    free(n->value);
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            free(n->keys[i]);
        yamldoc_free(n->items[i]);
    }
    free(n->keys);
    free(n->key_line);
    free(n->key_col);
    free(n->items);
    free(n);
}

static void ynode_append(struct ynode *parent, struct ynode *child, const char *key, int kline,
                         int kcol)
{
    parent->items = xrealloc(parent->items, (parent->n + 1) * sizeof(*parent->items));
    if (parent->kind == YNODE_MAP) {
        parent->keys = xrealloc(parent->keys, (parent->n + 1) * sizeof(*parent->keys));
        parent->key_line = xrealloc(parent->key_line, (parent->n + 1) * sizeof(int));
        parent->key_col = xrealloc(parent->key_col, (parent->n + 1) * sizeof(int));
        parent->keys[parent->n] = xstrdup(key);
        parent->key_line[parent->n] = kline;
        parent->key_col[parent->n] = kcol;
    }
    parent->items[parent->n++] = child;
}

struct yparser {
    yaml_parser_t p;
    const char *name;
    struct error *err;
    const char *text; /* the input, to place reader (encoding) errors */
    size_t len;
    bool strict; /* one document, no tags */
};

/* libyaml's reader reports an encoding error as a byte offset and leaves its
 * marks at 0:0; the line and column (in characters) come from the text. */
static int yfail_reader(struct yparser *yp)
{
    size_t off = yp->p.problem_offset < yp->len ? yp->p.problem_offset : yp->len;
    /* A sequence cut short is reported at the byte after its start: point
     * at the byte that started it. */
    bool cut =
        yp->p.problem && (strstr(yp->p.problem, "trailing") || strstr(yp->p.problem, "incomplete"));
    for (size_t back = 1; cut && back <= 3 && off >= back; back++) {
        unsigned char c = (unsigned char)yp->text[off - back];
        if ((c & 0xC0) == 0xC0) {
            off -= back;
            break;
        }
        if ((c & 0xC0) != 0x80)
            break;
    }
    size_t line = 1, col = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char c = (unsigned char)yp->text[i];
        if (c == '\n') {
            line++;
            col = 1;
        } else if ((c & 0xC0) != 0x80) {
            col++;
        }
    }
    /* The byte itself is not shown: it may be part of a secret. */
    const char *why = yp->p.problem ? yp->p.problem : "invalid encoding";
    if (strstr(why, "control"))
        return error_set(yp->err, ERR_PARSE, 0,
                         "%s:%zu:%zu: a control character, which YAML does not allow; remove it",
                         yp->name, line, col);
    if (strstr(why, "leading"))
        why = "this byte cannot start a character";
    else if (cut)
        why = "a character is cut short";
    return error_set(yp->err, ERR_PARSE, 0,
                     "%s:%zu:%zu: not valid UTF-8 (%s); save the file as UTF-8", yp->name, line,
                     col, why);
}

static int yfail_parser(struct yparser *yp)
{
    if (yp->p.error == YAML_READER_ERROR && yp->text)
        return yfail_reader(yp);
    const yaml_mark_t *m = yp->p.problem ? &yp->p.problem_mark : &yp->p.context_mark;
    return error_set(yp->err, ERR_PARSE, 0, "%s:%zu:%zu: %s%s%s", yp->name, m->line + 1,
                     m->column + 1, yp->p.problem ? yp->p.problem : "invalid YAML",
                     yp->p.context ? " " : "", yp->p.context ? yp->p.context : "");
}

static int yfail_at(struct yparser *yp, const yaml_mark_t *m, const char *msg)
{
    return error_set(yp->err, ERR_PARSE, 0, "%s:%zu:%zu: %s", yp->name, m->line + 1, m->column + 1,
                     msg);
}

static int ynext(struct yparser *yp, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&yp->p, ev))
        return yfail_parser(yp);
    return 0;
}

/* The tag written on a node ("!!str", "!foo"), or NULL when none was. */
static const char *event_tag(const yaml_event_t *ev)
{
    const yaml_char_t *t = NULL;
    if (ev->type == YAML_SCALAR_EVENT)
        t = ev->data.scalar.tag;
    else if (ev->type == YAML_SEQUENCE_START_EVENT)
        t = ev->data.sequence_start.tag;
    else if (ev->type == YAML_MAPPING_START_EVENT)
        t = ev->data.mapping_start.tag;
    return (const char *)t;
}

/* Reads the node that starts with ev (already parsed; consumed here). */
static int yread_node(struct yparser *yp, yaml_event_t *ev, int depth, struct ynode **out)
{
    *out = NULL;
    const char *tag = event_tag(ev);
    if (tag && yp->strict) {
        /* A tag changes how a value reads ("!!str 1" is the text "1", "!!int"
         * a number) and an unknown one would be ignored: neither is wanted in
         * a settings file, where quotes say "text". */
        const char *shown = str_starts_with(tag, "tag:yaml.org,2002:") ? tag + 18 : tag;
        char *msg = xasprintf("YAML tags (%s%s) are not accepted here; write the value plainly, "
                              "in quotes when it is text",
                              shown == tag ? "" : "!!", shown);
        yfail_at(yp, &ev->start_mark, msg);
        free(msg);
        yaml_event_delete(ev);
        return -1;
    }
    if (depth > YAMLDOC_MAX_DEPTH) {
        yfail_at(yp, &ev->start_mark, "nested too deeply");
        yaml_event_delete(ev);
        return -1;
    }
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        yfail_at(yp, &ev->start_mark, "aliases (*name) are not supported");
        yaml_event_delete(ev);
        return -1;
    case YAML_SCALAR_EVENT: {
        struct ynode *n = ynode_new(YNODE_SCALAR, &ev->start_mark);
        n->value = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
        if (strlen(n->value) != ev->data.scalar.length) {
            yfail_at(yp, &ev->start_mark, "NUL byte in a value");
            yaml_event_delete(ev);
            yamldoc_free(n);
            return -1;
        }
        /* "!!str 1" is the text "1", as if quoted (lenient readers only). */
        n->quoted = (tag && !strcmp(tag, YAML_STR_TAG)) ||
                    ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                    ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
                    ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                    ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
        yaml_event_delete(ev);
        *out = n;
        return 0;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool is_map = ev->type == YAML_MAPPING_START_EVENT;
        struct ynode *n = ynode_new(is_map ? YNODE_MAP : YNODE_SEQ, &ev->start_mark);
        yaml_event_delete(ev);
        for (;;) {
            yaml_event_t e;
            if (ynext(yp, &e) < 0)
                goto fail;
            if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT) {
                yaml_event_delete(&e);
                break;
            }
            if (!is_map) {
                struct ynode *child;
                if (yread_node(yp, &e, depth + 1, &child) < 0)
                    goto fail;
                ynode_append(n, child, NULL, 0, 0);
                continue;
            }
            if (e.type != YAML_SCALAR_EVENT) {
                yfail_at(yp, &e.start_mark, "a key must be a plain string");
                yaml_event_delete(&e);
                goto fail;
            }
            char *key = xstrndup((const char *)e.data.scalar.value, e.data.scalar.length);
            int kl = (int)e.start_mark.line + 1, kc = (int)e.start_mark.column + 1;
            yaml_mark_t km = e.start_mark;
            yaml_event_delete(&e);
            if (ynode_key_index(n, key) >= 0) {
                char *msg = xasprintf("duplicate key \"%s\"", key);
                yfail_at(yp, &km, msg);
                free(msg);
                free(key);
                goto fail;
            }
            yaml_event_t v;
            struct ynode *child;
            if (ynext(yp, &v) < 0 || yread_node(yp, &v, depth + 1, &child) < 0) {
                free(key);
                goto fail;
            }
            ynode_append(n, child, key, kl, kc);
            free(key);
        }
        *out = n;
        return 0;
    fail:
        yamldoc_free(n);
        return -1;
    }
    default:
        yfail_at(yp, &ev->start_mark, "unexpected YAML event");
        yaml_event_delete(ev);
        return -1;
    }
}

/* Reads the documents of a stream. Strict: the first document only, any
 * second one (even empty) refused at its "---", and tags refused. */
static int parse_docs(const char *name, const char *text, size_t len, bool strict,
                      struct ynode ***out, size_t *nout, struct error *err)
{
    struct yparser yp = {.name = name, .err = err, .text = text, .len = len, .strict = strict};
    struct ynode **docs = NULL;
    size_t ndocs = 0, seen = 0;
    *out = NULL;
    *nout = 0;
    if (!yaml_parser_initialize(&yp.p))
        return error_set(err, ERR_INTERNAL, 0, "%s: cannot start the YAML parser", name);
    yaml_parser_set_input_string(&yp.p, (const unsigned char *)text, len);
    for (;;) {
        yaml_event_t ev;
        if (ynext(&yp, &ev) < 0)
            goto fail;
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t != YAML_DOCUMENT_START_EVENT) {
            yaml_event_delete(&ev);
            continue;
        }
        if (strict && seen++ > 0) {
            yfail_at(&yp, &ev.start_mark,
                     "a second YAML document starts here; this file holds one document (remove "
                     "the \"---\" and what follows, or merge it into the first)");
            yaml_event_delete(&ev);
            goto fail;
        }
        yaml_event_delete(&ev);
        if (ynext(&yp, &ev) < 0)
            goto fail;
        if (ev.type == YAML_DOCUMENT_END_EVENT) {
            yaml_event_delete(&ev);
            continue;
        }
        struct ynode *root;
        if (yread_node(&yp, &ev, 0, &root) < 0)
            goto fail;
        if (ynext(&yp, &ev) < 0) { /* DOCUMENT_END */
            yamldoc_free(root);
            goto fail;
        }
        yaml_event_delete(&ev);
        if (root->kind == YNODE_SCALAR && ynode_is_null(root)) {
            yamldoc_free(root);
            continue;
        }
        docs = xrealloc(docs, (ndocs + 1) * sizeof(*docs));
        docs[ndocs++] = root;
    }
    yaml_parser_delete(&yp.p);
    *out = docs;
    *nout = ndocs;
    return 0;
fail:
    yaml_parser_delete(&yp.p);
    for (size_t i = 0; i < ndocs; i++)
        yamldoc_free(docs[i]);
    free(docs);
    return -1;
}

int yamldoc_parse_all(const char *name, const char *text, size_t len, struct ynode ***out,
                      size_t *nout, struct error *err)
{
    return parse_docs(name, text, len, false, out, nout, err);
}

int yamldoc_parse(const char *name, const char *text, size_t len, struct ynode **out,
                  struct error *err)
{
    struct ynode **docs;
    size_t n;
    *out = NULL;
    if (parse_docs(name, text, len, true, &docs, &n, err) < 0)
        return -1;
    if (n == 0) {
        yaml_mark_t m = {0, 0, 0};
        *out = ynode_new(YNODE_MAP, &m);
    } else {
        *out = docs[0];
    }
    free(docs);
    return 0;
}

int ynode_key_index(const struct ynode *n, const char *key)
{
    if (!n || n->kind != YNODE_MAP)
        return -1;
    for (size_t i = 0; i < n->n; i++)
        if (strcmp(n->keys[i], key) == 0)
            return (int)i;
    return -1;
}

struct ynode *ynode_get(const struct ynode *n, const char *key)
{
    int i = ynode_key_index(n, key);
    return i < 0 ? NULL : n->items[i];
}

const char *ynode_get_str(const struct ynode *n, const char *key)
{
    struct ynode *v = ynode_get(n, key);
    return v && v->kind == YNODE_SCALAR ? v->value : NULL;
}

static bool all_of(const char *s, const char *set)
{
    return *s && strspn(s, set) == strlen(s);
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool is_decimal_float(const char *s)
{
    const char *p = s + (*s == '+' || *s == '-');
    size_t whole = strspn(p, "0123456789");
    p += whole;
    size_t frac = 0;
    if (*p == '.') {
        p++;
        frac = strspn(p, "0123456789");
        p += frac;
    }
    if (!whole && !frac)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        p += *p == '+' || *p == '-';
        size_t exp = strspn(p, "0123456789");
        if (!exp)
            return false;
        p += exp;
    }
    return *p == '\0';
}

enum yscalar yscalar_resolve(const char *s)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    static const char *const bools[] = {"true", "True", "TRUE", "false", "False", "FALSE"};
    static const char *const specials[] = {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"};
    for (size_t i = 0; i < ARRAY_LEN(nulls); i++)
        if (!strcmp(s, nulls[i]))
            return YSCALAR_NULL;
    for (size_t i = 0; i < ARRAY_LEN(bools); i++)
        if (!strcmp(s, bools[i]))
            return YSCALAR_BOOL;
    const char *u = s + (*s == '+' || *s == '-');
    if (all_of(u, "0123456789") || (!strncmp(s, "0o", 2) && all_of(s + 2, "01234567")) ||
        (!strncmp(s, "0x", 2) && all_of(s + 2, "0123456789abcdefABCDEF")))
        return YSCALAR_INT;
    for (size_t i = 0; i < ARRAY_LEN(specials); i++)
        if (!strcmp(i < 3 ? u : s, specials[i]))
            return YSCALAR_FLOAT;
    return is_decimal_float(s) ? YSCALAR_FLOAT : YSCALAR_STR;
}

bool yscalar_long(const char *s, long *out)
{
    if (yscalar_resolve(s) != YSCALAR_INT)
        return false;
    int base = !strncmp(s, "0x", 2) ? 16 : !strncmp(s, "0o", 2) ? 8 : 10;
    char *end;
    errno = 0;
    long v = strtol(base == 10 ? s : s + 2, &end, base);
    if (*end || errno)
        return false;
    *out = v;
    return true;
}

bool yscalar_double(const char *s, double *out)
{
    long l;
    if (yscalar_long(s, &l)) {
        *out = (double)l;
        return true;
    }
    /* .inf and .nan are floats strtod does not read: not finite, so false */
    if (yscalar_resolve(s) != YSCALAR_FLOAT)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool ynode_is_null(const struct ynode *n)
{
    return n && n->kind == YNODE_SCALAR && !n->quoted && yscalar_resolve(n->value) == YSCALAR_NULL;
}

bool ynode_as_bool(const struct ynode *n, bool *out)
{
    if (!n || n->kind != YNODE_SCALAR || n->quoted || yscalar_resolve(n->value) != YSCALAR_BOOL)
        return false;
    *out = n->value[0] == 't' || n->value[0] == 'T';
    return true;
}

bool ynode_as_long(const struct ynode *n, long *out)
{
    return n && n->kind == YNODE_SCALAR && !n->quoted && yscalar_long(n->value, out);
}

bool ynode_as_double(const struct ynode *n, double *out)
{
    return n && n->kind == YNODE_SCALAR && !n->quoted && yscalar_double(n->value, out);
}

const char *ynode_kind_name(enum ynode_kind k)
{
    switch (k) {
    case YNODE_SCALAR:
        return "a single value";
    case YNODE_MAP:
        return "a mapping";
    default:
        return "a list";
    }
}
