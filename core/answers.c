/* core/answers.c: reading the answers file. Loading walks the positioned
 * YAML tree against profile_fields[], so every problem carries FILE:LINE:COL
 * and the key path; validation problems get the position of the key they
 * concern. Writing is in core/answers_write.c. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/util.h"
#include "core/validate.h"
#include "core/yamldoc.h"

/* Answers files are small; anything bigger is a mistake. */
#define ANSWERS_MAX_BYTES (1024 * 1024)

/* Where each key path was seen, to place validation problems. */
struct pos {
    char *path;
    int line, col;
};

struct loader {
    const char *name; /* file name for messages */
    char *dir;        /* directory relative extra_files sources resolve against, or NULL */
    struct profile *p;
    struct problems *probs;
    struct pos *pos;
    size_t npos;
};

static void loader_pos(struct loader *L, const char *path, int line, int col)
{
    L->pos = xrealloc(L->pos, (L->npos + 1) * sizeof(*L->pos));
    L->pos[L->npos].path = xstrdup(path);
    L->pos[L->npos].line = line;
    L->pos[L->npos].col = col;
    L->npos++;
}

/* ---- "did you mean" ---- */

size_t answers_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *answers_closest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = answers_edit_distance(word, cands[i]);
        if (d < bestd) {
            bestd = d;
            best = cands[i];
        }
    }
    size_t len = strlen(word);
    size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    if (bestd <= limit)
        return best;
    /* A shortened name: "mount" for "mount_path". */
    for (size_t i = 0; len >= 4 && i < n; i++)
        if (!strncmp(cands[i], word, len))
            return cands[i];
    return NULL;
}

/* The names allowed right under prefix ("" for the top level, "aws." ...). */
static size_t child_names(const char *prefix, const char **out, size_t max)
{
    size_t n = 0, pl = strlen(prefix);
    if (!*prefix) {
        out[n++] = "version";
        out[n++] = "extra_files";
    }
    for (size_t i = 0; i < profile_nfields && n < max; i++) {
        const char *path = profile_fields[i].path;
        if (strncmp(path, prefix, pl) != 0)
            continue;
        const char *rest = path + pl;
        size_t seg = strcspn(rest, ".");
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            if (strlen(out[j]) == seg && !strncmp(out[j], rest, seg))
                seen = true;
        if (!seen)
            out[n++] = rest; /* compared by segment below */
    }
    return n;
}

static char *suggestion(const char *prefix, const char *key)
{
    const char *names[256];
    size_t n = child_names(prefix, names, ARRAY_LEN(names));
    char *segs[256] = {0};
    for (size_t i = 0; i < n; i++)
        segs[i] = xstrndup(names[i], strcspn(names[i], "."));
    const char *best = answers_closest(key, (const char *const *)segs, n);
    char *res = NULL;
    if (best)
        res = xasprintf("; did you mean \"%s%s\"?", prefix, best);
    for (size_t i = 0; i < n; i++)
        free(segs[i]);
    if (res)
        return res;
    /* The right name at the wrong level: "region:" at the top for aws.region. */
    const char *leaves[512];
    size_t nl = 0;
    for (size_t i = 0; i < profile_nfields && nl < ARRAY_LEN(leaves); i++) {
        const char *last = strrchr(profile_fields[i].path, '.');
        leaves[nl++] = last ? last + 1 : profile_fields[i].path;
    }
    const char *leaf = answers_closest(key, leaves, nl);
    for (size_t i = 0; leaf && i < nl; i++)
        if (leaves[i] == leaf)
            return xasprintf("; did you mean \"%s\"?", profile_fields[i].path);
    return xstrdup("");
}

/* ---- secrets in the wrong file ---- */

bool answers_key_is_secret(const char *key)
{
    for (size_t i = 0; i < secret_nfields; i++)
        if (!strcmp(key, secret_fields[i].key))
            return true;
    static const char *const words[] = {"password",   "passwd",      "secret_key",
                                        "access_key", "api_key",     "apikey",
                                        "token",      "private_key", NULL};
    char *low = xstrdup(key);
    for (char *c = low; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    bool hit = false;
    for (int i = 0; words[i]; i++)
        if (strstr(low, words[i]))
            hit = true;
    free(low);
    return hit;
}

static void secret_refused(struct loader *L, const char *path, const char *key, int line, int col)
{
    const char *env = NULL;
    for (size_t i = 0; i < secret_nfields; i++)
        if (!strcmp(key, secret_fields[i].key))
            env = secret_fields[i].env;
    char *sp = secrets_path_for(L->name);
    if (env)
        problems_add_at(L->probs, L->name, line, col, path,
                        "secrets do not belong in the answers file; put %s in %s (mode 0600) "
                        "or set %s in the environment",
                        key, sp, env);
    else
        problems_add_at(L->probs, L->name, line, col, path,
                        "looks like a secret; secrets do not belong in the answers file. Put "
                        "them in %s (mode 0600) or DIFY_* environment variables",
                        sp);
    free(sp);
}

/* ---- typed values ---- */

static const char *scalar_kind(const struct ynode *v)
{
    bool b;
    long l;
    double d;
    if (v->kind != YNODE_SCALAR)
        return ynode_kind_name(v->kind);
    if (v->quoted)
        return "a quoted string";
    if (ynode_is_null(v))
        return "null";
    if (ynode_as_bool(v, &b))
        return "a boolean";
    if (ynode_as_long(v, &l) || ynode_as_double(v, &d))
        return "a number";
    return "a string";
}

static void type_error(struct loader *L, const char *path, const struct ynode *v,
                       const char *expected)
{
    const char *hint = "";
    struct ynode plain;
    long l;
    double d;
    bool b;
    if (v->kind == YNODE_SCALAR && v->quoted && strcmp(expected, "a string") != 0) {
        /* Quoted text that would be right without the quotes. */
        plain = *v;
        plain.quoted = false;
        if (ynode_as_long(&plain, &l) || ynode_as_double(&plain, &d) || ynode_as_bool(&plain, &b))
            hint = " (remove the quotes)";
    }
    if (v->kind == YNODE_SCALAR)
        problems_add_at(L->probs, L->name, v->line, v->col, path, "expected %s, got %s \"%s\"%s",
                        expected, scalar_kind(v), v->value, hint);
    else
        problems_add_at(L->probs, L->name, v->line, v->col, path, "expected %s, got %s", expected,
                        scalar_kind(v));
}

static void enum_choices(struct strbuf *sb, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        strbuf_addf(sb, "%s%s", i ? ", " : "", names[i]);
}

/* Reads a string value: any scalar but a boolean. Numbers keep their text as
 * written (kubernetes_version: 1.30 stays "1.30"); null is "". */
static bool read_string(struct loader *L, const char *path, const struct ynode *v, char **out)
{
    bool b;
    if (v->kind != YNODE_SCALAR) {
        type_error(L, path, v, "a string");
        return false;
    }
    if (ynode_is_null(v)) {
        *out = xstrdup("");
        return true;
    }
    if (ynode_as_bool(v, &b)) {
        problems_add_at(L->probs, L->name, v->line, v->col, path,
                        "expected a string, got the boolean %s; quote it (\"%s\") if you mean "
                        "the text",
                        v->value, v->value);
        return false;
    }
    *out = xstrdup(v->value);
    return true;
}

static bool read_bool(struct loader *L, const char *path, const struct ynode *v, bool *out)
{
    if (v->kind != YNODE_SCALAR || !ynode_as_bool(v, out)) {
        type_error(L, path, v, "true or false");
        return false;
    }
    return true;
}

static void set_field(struct loader *L, const struct field_desc *f, const struct ynode *v)
{
    void *ptr = profile_field_ptr(L->p, f);
    switch (f->type) {
    case FT_STRING: {
        char *s;
        if (read_string(L, f->path, v, &s)) {
            free(*(char **)ptr);
            *(char **)ptr = s;
        }
        break;
    }
    case FT_INT: {
        long l;
        if (v->kind != YNODE_SCALAR || !ynode_as_long(v, &l))
            type_error(L, f->path, v, "a whole number");
        else if (l < INT_MIN || l > INT_MAX)
            problems_add_at(L->probs, L->name, v->line, v->col, f->path, "%s is out of range",
                            v->value);
        else
            *(int *)ptr = (int)l;
        break;
    }
    case FT_DOUBLE: {
        double d;
        if (v->kind != YNODE_SCALAR || !ynode_as_double(v, &d))
            type_error(L, f->path, v, "a number");
        else
            *(double *)ptr = d;
        break;
    }
    case FT_BOOL:
        read_bool(L, f->path, v, ptr);
        break;
    case FT_ENUM: {
        if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
            struct strbuf sb;
            strbuf_init(&sb);
            strbuf_adds(&sb, "one of ");
            enum_choices(&sb, f->enum_names);
            type_error(L, f->path, v, sb.buf);
            strbuf_done(&sb);
            break;
        }
        int e = enum_lookup(f->enum_names, v->value);
        if (e < 0) {
            struct strbuf sb;
            strbuf_init(&sb);
            enum_choices(&sb, f->enum_names);
            problems_add_at(L->probs, L->name, v->line, v->col, f->path, "\"%s\" is not one of %s",
                            v->value, sb.buf);
            strbuf_done(&sb);
        } else {
            *(int *)ptr = e;
        }
        break;
    }
    case FT_STRLIST: {
        if (v->kind != YNODE_SEQ) {
            type_error(L, f->path, v, "a list, e.g. [\"10.0.1.0/24\", \"10.0.2.0/24\"]");
            break;
        }
        struct strlist l = {0};
        bool ok = true;
        for (size_t i = 0; i < v->n; i++) {
            char *s;
            if (!read_string(L, f->path, v->items[i], &s)) {
                ok = false;
                continue;
            }
            strlist_add(&l, s);
            free(s);
        }
        if (ok) {
            strlist_clear(ptr);
            *(struct strlist *)ptr = l;
        } else {
            strlist_clear(&l);
        }
        break;
    }
    }
}

/* ---- extra_files ---- */

const char *const answers_extra_keys[] = {"source", "configmap", "key", "mount_path",
                                          "api",    "worker",    NULL};
#define extra_keys answers_extra_keys

static void read_extra_file(struct loader *L, size_t idx, const struct ynode *m)
{
    char path[96];
    struct extra_file x = {0};
    snprintf(path, sizeof(path), "extra_files[%zu]", idx);
    if (m->kind != YNODE_MAP) {
        type_error(L, path, m, "a mapping with source, configmap, key, mount_path, api, worker");
        return;
    }
    loader_pos(L, path, m->line, m->col);
    char *vals[4] = {NULL, NULL, NULL, NULL};
    for (size_t i = 0; i < m->n; i++) {
        const char *k = m->keys[i];
        snprintf(path, sizeof(path), "extra_files[%zu].%s", idx, k);
        int e = enum_lookup(extra_keys, k);
        if (e < 0) {
            const char *best = answers_closest(k, extra_keys, 6);
            char *hint = best ? xasprintf("; did you mean \"%s\"?", best) : xstrdup("");
            problems_add_at(L->probs, L->name, m->key_line[i], m->key_col[i], path,
                            "unknown key%s (expected source, configmap, key, mount_path, api, "
                            "worker)",
                            hint);
            free(hint);
            continue;
        }
        loader_pos(L, path, m->key_line[i], m->key_col[i]);
        if (e < 4) {
            char *s;
            if (read_string(L, path, m->items[i], &s)) {
                free(vals[e]);
                vals[e] = s;
            }
        } else {
            read_bool(L, path, m->items[i], e == 4 ? &x.api : &x.worker);
        }
    }
    for (int i = 0; i < 4; i++)
        if (!vals[i]) {
            snprintf(path, sizeof(path), "extra_files[%zu].%s", idx, extra_keys[i]);
            problems_add_at(L->probs, L->name, m->line, m->col, path,
                            "missing; every extra file needs source, configmap, key and "
                            "mount_path");
            vals[i] = xstrdup("");
        }
    /* A relative source is relative to the answers file's directory. */
    if (L->dir && vals[0][0] && vals[0][0] != '/') {
        char *joined = path_join(L->dir, vals[0]);
        free(vals[0]);
        vals[0] = joined;
    }
    x.source = vals[0];
    x.configmap = vals[1];
    x.key = vals[2];
    x.mount_path = vals[3];
    struct profile *p = L->p;
    p->extra_files = xrealloc(p->extra_files, (p->n_extra_files + 1) * sizeof(*p->extra_files));
    p->extra_files[p->n_extra_files++] = x;
}

/* ---- the walk ---- */

static bool prefix_has_fields(const char *prefix)
{
    size_t pl = strlen(prefix);
    for (size_t i = 0; i < profile_nfields; i++)
        if (!strncmp(profile_fields[i].path, prefix, pl))
            return true;
    return false;
}

static void walk_map(struct loader *L, const struct ynode *m, const char *prefix)
{
    for (size_t i = 0; i < m->n; i++) {
        const char *key = m->keys[i];
        const struct ynode *v = m->items[i];
        int kl = m->key_line[i], kc = m->key_col[i];
        char *path = xasprintf("%s%s", prefix, key);
        loader_pos(L, path, kl, kc);
        const struct field_desc *f = profile_field_find(path);
        char *sub = xasprintf("%s.", path);
        if (!*prefix && (!strcmp(key, "version") || !strcmp(key, "edition") ||
                         !strcmp(key, "target") || !strcmp(key, "size"))) {
            /* read before the walk: they chose the defaults */
        } else if (f) {
            set_field(L, f, v);
        } else if (!*prefix && !strcmp(key, "extra_files")) {
            if (v->kind == YNODE_SEQ) {
                for (size_t j = 0; j < v->n; j++)
                    read_extra_file(L, j, v->items[j]);
            } else if (!ynode_is_null(v)) {
                type_error(L, path, v, "a list of mappings");
            }
        } else if (answers_key_is_secret(key)) {
            secret_refused(L, path, key, kl, kc);
        } else if (prefix_has_fields(sub)) {
            if (v->kind == YNODE_MAP)
                walk_map(L, v, sub);
            else
                type_error(L, path, v, "a mapping");
        } else {
            char *hint = suggestion(prefix, key);
            problems_add_at(L->probs, L->name, kl, kc, path, "unknown key%s", hint);
            free(hint);
        }
        free(sub);
        free(path);
    }
}

/* Reads version, edition, target and size first: they decide the defaults. */
static void read_head(struct loader *L, const struct ynode *root, enum edition *e, enum target *t,
                      enum size_preset *s, int *version)
{
    *e = EDITION_COMMUNITY;
    *t = TARGET_EKS;
    *s = SIZE_TEST;
    *version = PROFILE_VERSION;
    int i = ynode_key_index(root, "version");
    if (i < 0) {
        problems_add_at(L->probs, L->name, 1, 1, "version",
                        "missing; the answers file must say which format it uses: add "
                        "\"version: %d\" at the top",
                        PROFILE_VERSION);
    } else {
        const struct ynode *v = root->items[i];
        long n;
        if (v->kind != YNODE_SCALAR || !ynode_as_long(v, &n))
            type_error(L, "version", v, "a whole number such as 1");
        else if (n > PROFILE_VERSION)
            problems_add_at(L->probs, L->name, v->line, v->col, "version",
                            "%ld is newer than this program understands (it reads version %d); "
                            "upgrade dify-tui",
                            n, PROFILE_VERSION);
        else if (n < 1)
            problems_add_at(L->probs, L->name, v->line, v->col, "version", "%ld: expected %d", n,
                            PROFILE_VERSION);
    }
    struct {
        const char *key;
        int *dst;
    } head[3] = {{"edition", (int *)e}, {"target", (int *)t}, {"size", (int *)s}};
    for (int h = 0; h < 3; h++) {
        const struct ynode *v = ynode_get(root, head[h].key);
        if (!v)
            continue;
        const struct field_desc *f = profile_field_find(head[h].key);
        int val = v->kind == YNODE_SCALAR && !ynode_is_null(v)
                      ? enum_lookup(f->enum_names, v->value)
                      : -1;
        if (val < 0) {
            struct strbuf sb;
            strbuf_init(&sb);
            enum_choices(&sb, f->enum_names);
            if (v->kind == YNODE_SCALAR)
                problems_add_at(L->probs, L->name, v->line, v->col, head[h].key,
                                "\"%s\" is not one of %s", v->value, sb.buf);
            else
                problems_add_at(L->probs, L->name, v->line, v->col, head[h].key,
                                "expected one of %s, got %s", sb.buf, ynode_kind_name(v->kind));
            strbuf_done(&sb);
        } else {
            *head[h].dst = val;
        }
    }
}

/* Finds where path (or its nearest parent) was written. */
static const struct pos *find_pos(const struct loader *L, const char *path)
{
    if (!path)
        return NULL;
    char *p = xstrdup(path);
    const struct pos *found = NULL;
    while (!found) {
        for (size_t i = 0; i < L->npos; i++)
            if (!strcmp(L->pos[i].path, p)) {
                found = &L->pos[i];
                break;
            }
        char *dot = strrchr(p, '.');
        char *br = strrchr(p, '[');
        char *cut = dot > br ? dot : br;
        if (found || !cut)
            break;
        *cut = '\0';
    }
    free(p);
    return found;
}

/* "NAME:LINE:COL: message" from yamldoc becomes a positioned problem. */
static void parse_error_problem(struct problems *probs, const char *name, const char *msg,
                                const char *text, size_t len)
{
    size_t nl = strlen(name);
    int line, col, used = 0;
    if (!strncmp(msg, name, nl) && msg[nl] == ':' &&
        sscanf(msg + nl, ":%d:%d: %n", &line, &col, &used) == 2 && used > 0) {
        /* libyaml's words for a tab are obscure: say it plainly. */
        const char *hint = "";
        const char *p = text, *end = text + len;
        for (int l = 1; l < line && p < end; l++) {
            p = memchr(p, '\n', (size_t)(end - p));
            p = p ? p + 1 : end;
        }
        while (p < end && (*p == ' ' || *p == '\t')) {
            if (*p == '\t')
                hint = " (a tab is used for indentation; YAML allows only spaces)";
            p++;
        }
        problems_add_at(probs, name, line, col, NULL, "%s%s", msg + nl + used, hint);
    } else
        problems_add_at(probs, name, 0, 0, NULL, "%s", msg);
}

static char *dir_of(const char *name)
{
    const char *slash = strrchr(name, '/');
    if (!slash)
        return NULL;
    if (slash == name)
        return xstrdup("/");
    return xstrndup(name, (size_t)(slash - name));
}

int answers_load_text(const char *name, const char *text, size_t len, struct profile *p,
                      struct problems *probs, struct error *err)
{
    struct ynode *root = NULL;
    struct error perr;
    error_clear(&perr);
    size_t before = problems_errors(probs);
    memset(p, 0, sizeof(*p));
    profile_init(p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    if (len == 0 || strspn(text, " \t\r\n") == len) {
        problems_add_at(probs, name, 0, 0, NULL,
                        "the file is empty; an answers file needs at least \"version: %d\"",
                        PROFILE_VERSION);
        return error_set(err, ERR_INVALID, 0, "%s: empty answers file", name);
    }
    if (yamldoc_parse(name, text, len, &root, &perr) < 0) {
        parse_error_problem(probs, name, perr.msg, text, len);
        return error_set(err, ERR_PARSE, 0, "%s", perr.msg);
    }
    if (root->kind != YNODE_MAP) {
        problems_add_at(probs, name, root->line, root->col, NULL,
                        "expected a mapping of settings (key: value), got %s",
                        ynode_kind_name(root->kind));
        yamldoc_free(root);
        return error_set(err, ERR_INVALID, 0, "%s: not a mapping", name);
    }
    struct loader L = {.name = name, .dir = dir_of(name), .p = p, .probs = probs};
    enum edition e;
    enum target t;
    enum size_preset s;
    int version;
    read_head(&L, root, &e, &t, &s, &version);
    profile_done(p);
    profile_init(p, e, t, s);
    walk_map(&L, root, "");
    yamldoc_free(root);

    /* Validation, each problem placed at the key it concerns. */
    struct problems vp;
    problems_init(&vp);
    profile_validate(p, NULL, &vp);
    for (size_t i = 0; i < vp.n; i++) {
        struct problem *pr = &vp.v[i];
        const struct pos *ps = find_pos(&L, pr->path);
        problems_add_at(probs, name, ps ? ps->line : 0, ps ? ps->col : 0, pr->path, "%s",
                        pr->message);
        probs->v[probs->n - 1].warning = pr->warning;
    }
    problems_done(&vp);
    for (size_t i = 0; i < L.npos; i++)
        free(L.pos[i].path);
    free(L.pos);
    free(L.dir);
    size_t nerr = problems_errors(probs) - before;
    if (nerr > 0)
        return error_set(err, ERR_INVALID, 0, "%s: %zu problem%s", name, nerr,
                         nerr == 1 ? "" : "s");
    return 0;
}

int answers_load(const char *path, struct profile *p, struct problems *probs, struct error *err)
{
    char *text;
    size_t len;
    if (file_read_all(path, ANSWERS_MAX_BYTES, &text, &len, err) < 0) {
        memset(p, 0, sizeof(*p));
        profile_init(p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
        problems_add_at(probs, NULL, 0, 0, NULL, "%s", err->msg);
        return -1;
    }
    int rc = answers_load_text(path, text, len, p, probs, err);
    free(text);
    return rc;
}
