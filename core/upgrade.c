/* core/upgrade.c: an upgrade's changes, old vs new (see upgrade.h). The
 * line diff is the longest common subsequence of the two files' lines
 * (files of the rendering are small: a few hundred lines); a file over
 * UP_MAX_LINES says only how many lines each side has. */
#include "config.h"

#include "core/upgrade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dify_versions.h"
#include "core/error.h"
#include "core/log.h"
#include "core/render.h"

#define UP_MAX_LINES 4000

struct lines {
    char **v;
    size_t n;
};

static void split(const char *text, size_t len, struct lines *l)
{
    memset(l, 0, sizeof(*l));
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
        l->v = xrealloc(l->v, (l->n + 1) * sizeof(char *));
        l->v[l->n++] = xstrndup(text + i, n);
        i += n + 1;
    }
}

static void lines_done(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static void add_line(struct up_file *f, char sign, const char *line)
{
    char *red = log_redact(line);
    strbuf_addf(&f->diff, "%c %s\n", sign, red);
    free(red);
    if (sign == '-')
        f->removed++;
    else
        f->added++;
}

static void line_diff(struct up_file *f, const struct lines *a, const struct lines *b)
{
    size_t n = a->n, m = b->n;
    if (n > UP_MAX_LINES || m > UP_MAX_LINES) {
        strbuf_addf(&f->diff, "  (%zu lines before, %zu now: too long to compare here)\n", n, m);
        return;
    }
    /* lcs[i][j]: the common length of a[i..] and b[j..] */
    unsigned *lcs = xcalloc((n + 1) * (m + 1), sizeof(unsigned));
#define L(i, j) lcs[(i) * (m + 1) + (j)]
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            L(i, j) = strcmp(a->v[i], b->v[j]) == 0 ? L(i + 1, j + 1) + 1
                      : L(i + 1, j) >= L(i, j + 1)  ? L(i + 1, j)
                                                    : L(i, j + 1);
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && strcmp(a->v[i], b->v[j]) == 0) {
            i++, j++;
        } else if (i < n && (j == m || L(i + 1, j) >= L(i, j + 1))) {
            add_line(f, '-', a->v[i++]);
        } else {
            add_line(f, '+', b->v[j++]);
        }
    }
#undef L
    free(lcs);
}

/* ---- objects of a manifests file ---- */

struct objs {
    char **what;
    char **text;
    size_t n;
};

/* Splits a multi-document YAML file into its objects, named "Kind name"
 * from the top-level kind: and metadata.name (as render writes them). */
static void split_objects(const char *text, struct objs *o)
{
    memset(o, 0, sizeof(*o));
    const char *p = text;
    while (p && *p) {
        const char *next = strstr(p, "\n---");
        size_t n = next ? (size_t)(next - p) + 1 : strlen(p);
        char *doc = xstrndup(p, n);
        char kind[128] = "", name[256] = "";
        bool in_meta = false;
        for (char *l = doc; l && *l;) {
            char *nl = strchr(l, '\n');
            size_t ll = nl ? (size_t)(nl - l) : strlen(l);
            if (strncmp(l, "kind: ", 6) == 0)
                snprintf(kind, sizeof(kind), "%.*s", (int)(ll - 6), l + 6);
            else if (strncmp(l, "metadata:", 9) == 0)
                in_meta = true;
            else if (in_meta && strncmp(l, "  name: ", 8) == 0 && !name[0])
                snprintf(name, sizeof(name), "%.*s", (int)(ll - 8), l + 8);
            else if (ll && l[0] != ' ' && l[0] != '-')
                in_meta = false;
            l = nl ? nl + 1 : NULL;
        }
        if (kind[0]) {
            o->what = xrealloc(o->what, (o->n + 1) * sizeof(char *));
            o->text = xrealloc(o->text, (o->n + 1) * sizeof(char *));
            o->what[o->n] = xasprintf("%s %s", kind, name[0] ? name : "(unnamed)");
            o->text[o->n++] = doc;
        } else {
            free(doc);
        }
        p = next ? next + 4 : NULL;
        if (p && *p == '\n')
            p++;
    }
}

static void objs_done(struct objs *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->what[i]);
        free(o->text[i]);
    }
    free(o->what);
    free(o->text);
}

static void add_obj(struct up_file *f, const char *what, enum up_kind k)
{
    f->objs = xrealloc(f->objs, (f->nobjs + 1) * sizeof(*f->objs));
    f->objs[f->nobjs].what = xstrdup(what);
    f->objs[f->nobjs++].kind = k;
}

static void object_diff(struct up_file *f, const char *old, const char *now)
{
    struct objs a, b;
    split_objects(old ? old : "", &a);
    split_objects(now ? now : "", &b);
    for (size_t i = 0; i < b.n; i++) {
        size_t j = 0;
        while (j < a.n && strcmp(a.what[j], b.what[i]) != 0)
            j++;
        if (j == a.n)
            add_obj(f, b.what[i], UP_ADDED);
        else if (strcmp(a.text[j], b.text[i]) != 0)
            add_obj(f, b.what[i], UP_CHANGED);
    }
    for (size_t j = 0; j < a.n; j++) {
        size_t i = 0;
        while (i < b.n && strcmp(a.what[j], b.what[i]) != 0)
            i++;
        if (i == b.n)
            add_obj(f, a.what[j], UP_REMOVED);
    }
    objs_done(&a);
    objs_done(&b);
}

/* ---- the comparison ---- */

static struct up_file *new_file(struct up_diff *d, const char *name, enum up_kind k, bool secret)
{
    d->v = xrealloc(d->v, (d->n + 1) * sizeof(*d->v));
    struct up_file *f = &d->v[d->n++];
    memset(f, 0, sizeof(*f));
    f->name = xstrdup(name);
    f->kind = k;
    f->secret = secret;
    strbuf_init(&f->diff);
    return f;
}

/* The files of the last rendering, from its record (RENDER_MANIFEST: one
 * "SHA-256 MODE PATH" line per file render wrote). */
static size_t old_files(const char *dir, char ***names, int **modes)
{
    char *rec = path_join(dir, RENDER_MANIFEST), *text = NULL;
    size_t len = 0, n = 0;
    struct error e;
    *names = NULL;
    *modes = NULL;
    if (file_read_all(rec, 1 << 20, &text, &len, &e) == 0) {
        for (char *l = text; l && *l;) {
            char *nl = strchr(l, '\n');
            if (nl)
                *nl = '\0';
            char hash[80], path[1024];
            int mode = 0;
            if (sscanf(l, "%79s %o %1023[^\n]", hash, (unsigned *)&mode, path) == 3) {
                *names = xrealloc(*names, (n + 1) * sizeof(char *));
                *modes = xrealloc(*modes, (n + 1) * sizeof(int));
                (*names)[n] = xstrdup(path);
                (*modes)[n++] = mode;
            }
            l = nl ? nl + 1 : NULL;
        }
    }
    free(text);
    free(rec);
    return n;
}

static bool is_manifest(const char *name)
{
    return str_starts_with(name, "manifests/") && str_ends_with(name, ".yaml");
}

int upgrade_diff(const char *old_dir, const struct rendered *now, struct up_diff *d,
                 struct error *err)
{
    (void)err;
    memset(d, 0, sizeof(*d));
    char **onames;
    int *omodes;
    size_t on = old_files(old_dir, &onames, &omodes);
    for (size_t i = 0; i < now->n; i++) {
        const struct rendered_file *rf = &now->v[i];
        bool secret = (rf->mode & 077) == 0;
        size_t k = 0;
        while (k < on && strcmp(onames[k], rf->name) != 0)
            k++;
        if (k == on) {
            struct up_file *f = new_file(d, rf->name, UP_ADDED, secret);
            if (is_manifest(rf->name))
                object_diff(f, NULL, rf->data);
            continue;
        }
        char *path = path_join(old_dir, rf->name), *old = NULL;
        size_t olen = 0;
        struct error e;
        if (file_read_all(path, 64 << 20, &old, &olen, &e) < 0) {
            old = xstrdup("");
            olen = 0;
        }
        free(path);
        if (olen == rf->len && memcmp(old, rf->data, olen) == 0) {
            d->unchanged++;
        } else {
            struct up_file *f = new_file(d, rf->name, UP_CHANGED, secret);
            if (!secret) {
                struct lines a, b;
                split(old, olen, &a);
                split(rf->data, rf->len, &b);
                line_diff(f, &a, &b);
                lines_done(&a);
                lines_done(&b);
            }
            if (is_manifest(rf->name))
                object_diff(f, old, rf->data);
        }
        str_free_secret(old);
    }
    for (size_t k = 0; k < on; k++) {
        size_t i = 0;
        while (i < now->n && strcmp(now->v[i].name, onames[k]) != 0)
            i++;
        if (i == now->n)
            new_file(d, onames[k], UP_REMOVED, (omodes[k] & 077) == 0);
        free(onames[k]);
    }
    free(onames);
    free(omodes);
    return 0;
}

void upgrade_diff_done(struct up_diff *d)
{
    for (size_t i = 0; i < d->n; i++) {
        struct up_file *f = &d->v[i];
        free(f->name);
        strbuf_done(&f->diff);
        for (size_t k = 0; k < f->nobjs; k++)
            free(f->objs[k].what);
        free(f->objs);
    }
    free(d->v);
    memset(d, 0, sizeof(*d));
}

void upgrade_diff_describe(const struct up_diff *d, size_t max_lines, struct strbuf *out)
{
    static const char *const kinds[] = {"added", "removed", "changed"};
    if (d->n == 0) {
        strbuf_addf(out, "nothing changes (%zu files as before)\n", d->unchanged);
        return;
    }
    for (size_t i = 0; i < d->n; i++) {
        const struct up_file *f = &d->v[i];
        strbuf_addf(out, "%s: %s", f->name, kinds[f->kind]);
        if (f->secret)
            strbuf_adds(out, f->kind == UP_CHANGED ? " (it holds secrets: values not shown)"
                                                   : " (it holds secrets)");
        else if (f->kind == UP_CHANGED)
            strbuf_addf(out, " (-%zu +%zu lines)", f->removed, f->added);
        strbuf_addc(out, '\n');
        for (size_t k = 0; k < f->nobjs; k++)
            strbuf_addf(out, "  %s %s\n", f->objs[k].what, kinds[f->objs[k].kind]);
        if (!f->secret && f->diff.len) {
            size_t shown = 0;
            for (const char *p = f->diff.buf; *p;) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t)(nl - p) : strlen(p);
                if (max_lines && shown == max_lines) {
                    strbuf_adds(out, "    ...\n");
                    break;
                }
                strbuf_addf(out, "    %.*s\n", (int)n, p);
                shown++;
                p += n + (nl ? 1 : 0);
            }
        }
    }
    if (d->unchanged)
        strbuf_addf(out, "(%zu other files unchanged)\n", d->unchanged);
}

int upgrade_check_pair(const char *api_tag, const char *daemon_tag, char *msg, size_t len)
{
    const struct dify_release *r = dify_release_find(api_tag);
    if (!daemon_tag)
        daemon_tag = r ? r->plugin_daemon : NULL;
    enum dify_pair pr = daemon_tag ? dify_pair_check(api_tag, daemon_tag) : DIFY_PAIR_UNKNOWN_API;
    switch (pr) {
    case DIFY_PAIR_KNOWN:
        snprintf(msg, len, "Dify %s goes with plugin daemon %s (%s)", api_tag, daemon_tag,
                 r && r->source ? r->source : "the version table");
        return 0;
    case DIFY_PAIR_UNKNOWN_API:
        snprintf(msg, len,
                 "Dify %s is not in this program's version table: which plugin daemon goes "
                 "with it is not known, so the pair cannot be checked",
                 api_tag ? api_tag : "(none)");
        return 1;
    case DIFY_PAIR_SKEW:
    default:
        snprintf(msg, len,
                 "plugin daemon %s does not go with Dify %s, which ships plugin daemon %s (%s): "
                 "an api and daemon of different releases disagree on the plugin API",
                 daemon_tag, api_tag, r && r->plugin_daemon ? r->plugin_daemon : "?",
                 r && r->source ? r->source : "the version table");
        return -1;
    }
}

/* ---- renderings kept in the state directory ---- */

int upgrade_load_rendering(const char *dir, struct rendered *r, struct error *err)
{
    memset(r, 0, sizeof(*r));
    char **names;
    int *modes;
    size_t n = old_files(dir, &names, &modes);
    int rc = 0;
    if (n == 0) {
        char *rec = path_join(dir, RENDER_MANIFEST);
        rc = error_set(err, ERR_NOTFOUND, 0, "%s: no rendering recorded there", rec);
        free(rec);
    }
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            char *path = path_join(dir, names[i]), *data = NULL;
            size_t len = 0;
            if (file_read_all(path, 64 << 20, &data, &len, err) < 0) {
                rc = -1;
            } else {
                r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
                r->v[r->n++] = (struct rendered_file){xstrdup(names[i]), data, len, modes[i]};
            }
            free(path);
        }
        free(names[i]);
    }
    free(names);
    free(modes);
    if (rc < 0)
        rendered_done(r);
    return rc;
}

int upgrade_keep_deployed(const char *state_dir, struct error *err)
{
    char *from = path_join(state_dir, "rendered"), *to = path_join(state_dir, UPGRADE_DEPLOYED);
    struct rendered r;
    int rc = upgrade_load_rendering(from, &r, err);
    if (rc == 0) {
        rc = rendered_write(&r, to, err);
        rendered_done(&r);
    }
    if (rc < 0)
        error_prefix(err, "keeping a copy of the deployed rendering in %s: ", to);
    free(from);
    free(to);
    return rc;
}

/* The tag after "repo:" in an image reference, or on the "tag:" line that
 * follows "repository: repo" in chart values. */
static char *tag_at(const char *p, const char *end)
{
    if (*p == ':') {
        const char *q = ++p;
        while (q < end && *q && !strchr(" \t\r\n\"',}]", *q))
            q++;
        return q > p ? xstrndup(p, (size_t)(q - p)) : NULL;
    }
    for (int lines = 0; p < end && lines < 4; lines++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return NULL;
        p = nl + 1;
        while (p < end && *p == ' ')
            p++;
        if ((size_t)(end - p) > 4 && strncmp(p, "tag:", 4) == 0) {
            p += 4;
            while (p < end && (*p == ' ' || *p == '"' || *p == '\''))
                p++;
            const char *q = p;
            while (q < end && !strchr(" \t\r\n\"'", *q))
                q++;
            return q > p ? xstrndup(p, (size_t)(q - p)) : NULL;
        }
    }
    return NULL;
}

char *upgrade_rendered_tag(const struct rendered *r, const char *repo)
{
    size_t rl = strlen(repo);
    for (size_t i = 0; i < r->n; i++) {
        const struct rendered_file *f = &r->v[i];
        if ((f->mode & 077) == 0)
            continue;
        const char *end = f->data + f->len;
        for (const char *p = f->data; p && p < end; p++) {
            p = strstr(p, repo);
            if (!p || p + rl > end)
                break;
            char *t = tag_at(p + rl, end);
            if (t)
                return t;
        }
    }
    return NULL;
}
