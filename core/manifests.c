/* core/manifests.c: rendered manifests as a list of objects (see
 * manifests.h). Documents are split at "---" lines, as the renderer writes
 * them, and each one is parsed with yamldoc for its identity only: its
 * text is sent as written (server-side apply takes YAML). */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_kinds.h"
#include "core/manifests.h"
#include "core/util.h"
#include "core/yamldoc.h"

#define MANIFEST_MAX_FILE (8u << 20)

void manifest_obj_done(struct manifest_obj *o)
{
    free(o->kind);
    free(o->ns);
    free(o->name);
    free(o->component);
    free(o->file);
    if (o->secret)
        str_free_secret(o->text);
    else
        free(o->text);
    memset(o, 0, sizeof(*o));
}

void manifests_done(struct manifests *m)
{
    for (size_t i = 0; i < m->n; i++)
        manifest_obj_done(&m->v[i]);
    free(m->v);
    m->v = NULL;
    m->n = 0;
}

static bool blank(const char *s, size_t n)
{
    /* a document of comments and blank lines is empty */
    bool line_start = true, comment = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n') {
            line_start = true;
            comment = false;
            continue;
        }
        if (comment)
            continue;
        if (line_start && c == '#') {
            comment = true;
            continue;
        }
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
        if (c != ' ')
            line_start = false;
    }
    return true;
}

static int add_doc(const char *name, const char *text, size_t len, int first_line,
                   struct manifests *out, struct error *err)
{
    if (blank(text, len))
        return 0;
    struct ynode *doc = NULL;
    char *copy = xstrndup(text, len);
    if (yamldoc_parse(name, copy, len, &doc, err) < 0) {
        /* yamldoc counts lines from the document's start */
        error_prefix(err, "(document starting at line %d)", first_line);
        str_free_secret(copy);
        return -1;
    }
    const char *api = ynode_get_str(doc, "apiVersion");
    const char *kind = ynode_get_str(doc, "kind");
    const struct ynode *meta = ynode_get(doc, "metadata");
    const char *oname = meta ? ynode_get_str(meta, "name") : NULL;
    const char *ns = meta ? ynode_get_str(meta, "namespace") : NULL;
    int rc = 0;
    const struct kube_resource *res = NULL;
    if (!api || !kind || !oname) {
        rc = error_set(err, ERR_INVALID, 0,
                       "%s:%d: a document without apiVersion, kind or metadata.name", name,
                       first_line);
    } else if (!(res = kube_resource_for(api, kind))) {
        rc = error_set(err, ERR_INVALID, 0, "%s:%d: %s %s: a kind dify-tui cannot apply", name,
                       first_line, api, kind);
    }
    if (rc == 0) {
        out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
        struct manifest_obj *o = &out->v[out->n++];
        memset(o, 0, sizeof(*o));
        o->res = res;
        o->kind = xstrdup(kind);
        o->ns = xstrdup(res->namespaced && ns ? ns : "");
        o->name = xstrdup(oname);
        const struct ynode *labels = meta ? ynode_get(meta, "labels") : NULL;
        const char *comp = labels ? ynode_get_str(labels, "app.kubernetes.io/component") : NULL;
        if (!comp && labels)
            comp = ynode_get_str(labels, "component");
        o->component = xstrdup_or_null(comp);
        const char *base = strrchr(name, '/');
        o->file = xstrdup(base ? base + 1 : name);
        o->secret = strcmp(kind, "Secret") == 0;
        o->text = copy;
        copy = NULL;
    }
    yamldoc_free(doc);
    if (copy)
        str_free_secret(copy);
    return rc;
}

int manifests_parse(const char *name, const char *text, struct manifests *out, struct error *err)
{
    const char *doc = text, *p = text;
    int line = 1, doc_line = 1;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        bool sep = len >= 3 && strncmp(p, "---", 3) == 0 &&
                   (len == 3 || p[3] == ' ' || p[3] == '\r' || p[3] == '#');
        if (sep) {
            if (add_doc(name, doc, (size_t)(p - doc), doc_line, out, err) < 0)
                return -1;
            doc = nl ? nl + 1 : p + len;
            doc_line = line + 1;
        }
        p = nl ? nl + 1 : p + len;
        line++;
    }
    return add_doc(name, doc, (size_t)(p - doc), doc_line, out, err);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int manifests_load(const char *dir, struct manifests *out, struct error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return error_set(err, ERR_IO, 0, "%s: cannot read the rendered manifests: %m", dir);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !str_ends_with(e->d_name, ".yaml"))
            continue;
        names = xrealloc(names, (n + 1) * sizeof(*names));
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = path_join(dir, names[i]);
        char *text = NULL;
        size_t len = 0;
        if (rc == 0 && file_read_all(path, MANIFEST_MAX_FILE, &text, &len, err) < 0)
            rc = -1;
        if (rc == 0 && manifests_parse(path, text, out, err) < 0)
            rc = -1;
        if (text)
            str_free_secret(text); /* a Secret's file */
        free(path);
        free(names[i]);
    }
    free(names);
    return rc;
}

char *manifest_obj_what(const struct manifest_obj *o)
{
    if (o->ns[0])
        return xasprintf("%s %s/%s", o->kind, o->ns, o->name);
    return xasprintf("%s %s", o->kind, o->name);
}

int manifests_fill(const char *text, manifest_lookup_fn lookup, void *arg, char **out,
                   struct error *err)
{
    struct strbuf sb;
    strbuf_init(&sb);
    const char *p = text;
    int rc = 0;
    while (*p) {
        const char *open = strstr(p, "@@");
        if (!open) {
            strbuf_adds(&sb, p);
            break;
        }
        const char *q = open + 2;
        while ((*q >= 'a' && *q <= 'z') || *q == '_' || (*q >= '0' && *q <= '9'))
            q++;
        if (q == open + 2 || strncmp(q, "@@", 2) != 0) {
            strbuf_add(&sb, p, (size_t)(open - p) + 2);
            p = open + 2;
            continue;
        }
        strbuf_add(&sb, p, (size_t)(open - p));
        char *name = xstrndup(open + 2, (size_t)(q - open - 2));
        const char *v = lookup ? lookup(name, arg) : NULL;
        if (v) {
            strbuf_adds(&sb, v);
        } else {
            if (rc == 0)
                rc = error_set(err, ERR_INVALID, 0,
                               "the placeholder @@%s@@ has no value: Terraform's output \"%s\" "
                               "is not known yet",
                               name, name);
            strbuf_add(&sb, open, (size_t)(q + 2 - open));
        }
        free(name);
        p = q + 2;
    }
    *out = strbuf_detach(&sb, NULL);
    return rc;
}
