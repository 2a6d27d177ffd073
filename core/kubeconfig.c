/* core/kubeconfig.c: kubeconfig loading, merging (kubectl's rules) and the
 * resolution of one context into a struct kube_config. The YAML trees live
 * only inside kubeconfig_load; what is kept is copied into plain strings. */
#include "config.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "core/error.h"
#include "core/kube_http.h"
#include "core/kubeconfig.h"
#include "core/util.h"
#include "core/yamldoc.h"

#define KUBECONFIG_MAX_BYTES (16u << 20)
#define KUBECONFIG_MAX_FILE_ITEM (1u << 20) /* CA files, keys, token files */

struct kc_file {
    char *path;
    char *dir;
    struct ynode *root;
};

/* One named cluster/user/context: the first file to name it wins. */
struct kc_named {
    const char *name;
    const struct ynode *body; /* the "cluster"/"user"/"context" map (may be NULL) */
    const struct ynode *item; /* the list item, for positions */
    int fi;                   /* which file */
};

struct kc_set {
    struct kc_named *v;
    size_t n;
};

struct kc_merged {
    struct kc_file *files;
    size_t nfiles;
    struct kc_set clusters, users, contexts;
    const char *current; /* current-context */
    int current_fi;
};

static const struct kc_named *kc_find(const struct kc_set *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].name, name) == 0)
            return &s->v[i];
    return NULL;
}

/* "FILE:LINE:COL: " for a node. */
static int kc_type_error(struct error *err, const char *file, const struct ynode *n,
                         const char *where, const char *field, const char *want)
{
    return error_set(err, ERR_INVALID, 0, "%s:%d:%d: %s%s%s: expected %s, got %s", file, n->line,
                     n->col, where ? where : "", where && *where ? ": " : "", field, want,
                     ynode_kind_name(n->kind));
}

/* kubectl reads a kubeconfig as YAML 1.1 (sigs.k8s.io/yaml, a go-yaml v2
 * fork) turned into JSON: an unquoted y, n, yes, no, on, off (any case
 * spelling of them go-yaml knows) is a boolean there, 123 or 1.5 a number,
 * and a boolean or number where a string belongs fails the whole file
 * ("json: cannot unmarshal bool into Go struct field
 * NamedContext.contexts.name of type string"). The same file is refused here
 * the same way, never read as the string "y" that kubectl would not find. */
static const char *kc_yaml11_type(const char *s)
{
    static const char *const bools11[] = {"y",  "Y",  "yes", "Yes", "YES", "n",   "N",   "no",
                                          "No", "NO", "on",  "On",  "ON",  "off", "Off", "OFF"};
    for (size_t i = 0; i < ARRAY_LEN(bools11); i++)
        if (!strcmp(s, bools11[i]))
            return "a boolean";
    switch (yscalar_resolve(s)) {
    case YSCALAR_BOOL:
        return "a boolean";
    case YSCALAR_INT:
    case YSCALAR_FLOAT:
        return "a number";
    default:
        return NULL;
    }
}

static int kc_not_string(const char *file, const struct ynode *n, const char *where,
                         const char *field, struct error *err)
{
    const char *t = n->quoted ? NULL : kc_yaml11_type(n->value);
    if (!t)
        return 0;
    return error_set(err, ERR_INVALID, 0,
                     "%s:%d:%d: %s%s%s: expected a string, got %s (an unquoted %s; kubectl "
                     "reads it so too and refuses this file); quote it: \"%s\"",
                     file, n->line, n->col, where ? where : "", where && *where ? ": " : "", field,
                     t, n->value, n->value);
}

/* Reads an optional string field; *out stays NULL when absent or null. */
static int kc_str(const char *file, const struct ynode *map, const char *key, const char *where,
                  const char **out, struct error *err)
{
    *out = NULL;
    const struct ynode *n = ynode_get(map, key);
    if (!n || ynode_is_null(n))
        return 0;
    if (n->kind != YNODE_SCALAR)
        return kc_type_error(err, file, n, where, key, "a string");
    if (kc_not_string(file, n, where, key, err) < 0)
        return -1;
    *out = n->value;
    return 0;
}

static int kc_bool(const char *file, const struct ynode *map, const char *key, const char *where,
                   bool *out, struct error *err)
{
    *out = false;
    const struct ynode *n = ynode_get(map, key);
    if (!n || ynode_is_null(n))
        return 0;
    if (n->kind != YNODE_SCALAR || n->quoted || !ynode_as_bool(n, out))
        return error_set(
            err, ERR_INVALID, 0, "%s:%d:%d: %s: %s: expected true or false, got %s%s%s", file,
            n->line, n->col, where, key, n->kind == YNODE_SCALAR ? "\"" : ynode_kind_name(n->kind),
            n->kind == YNODE_SCALAR ? n->value : "", n->kind == YNODE_SCALAR ? "\"" : "");
    return 0;
}

/* Adds the named entries of one top-level list (clusters/users/contexts). */
static int kc_collect(struct kc_merged *m, int fi, const char *list, const char *body_key,
                      struct kc_set *set, struct error *err)
{
    const struct kc_file *f = &m->files[fi];
    const struct ynode *seq = ynode_get(f->root, list);
    if (!seq || ynode_is_null(seq))
        return 0;
    if (seq->kind != YNODE_SEQ)
        return kc_type_error(err, f->path, seq, "", list, "a list");
    size_t first_of_file = set->n;
    for (size_t i = 0; i < seq->n; i++) {
        const struct ynode *it = seq->items[i];
        char field[64];
        snprintf(field, sizeof(field), "%s[%zu]", list, i);
        if (it->kind != YNODE_MAP)
            return kc_type_error(err, f->path, it, "", field, "a mapping");
        const char *name;
        if (kc_str(f->path, it, "name", field, &name, err) < 0)
            return -1;
        if (str_empty(name))
            return error_set(err, ERR_INVALID, 0, "%s:%d:%d: %s: missing name", f->path, it->line,
                             it->col, field);
        const struct ynode *body = ynode_get(it, body_key);
        if (body && !ynode_is_null(body) && body->kind != YNODE_MAP) {
            char w[160];
            snprintf(w, sizeof(w), "%s \"%s\"", body_key, name);
            return kc_type_error(err, f->path, body, w, body_key, "a mapping");
        }
        if (body && ynode_is_null(body))
            body = NULL;
        /* A name twice in one file is an error (client-go refuses it);
         * across files the first file wins. */
        for (size_t j = first_of_file; j < set->n; j++)
            if (strcmp(set->v[j].name, name) == 0)
                return error_set(err, ERR_INVALID, 0, "%s:%d:%d: %s: duplicate name \"%s\"",
                                 f->path, it->line, it->col, list, name);
        if (kc_find(set, name))
            continue;
        set->v = xrealloc(set->v, (set->n + 1) * sizeof(*set->v));
        set->v[set->n++] = (struct kc_named){name, body, it, fi};
    }
    return 0;
}

static int kc_add_file(struct kc_merged *m, const char *path, struct error *err)
{
    for (size_t i = 0; i < m->nfiles; i++)
        if (strcmp(m->files[i].path, path) == 0)
            return 0; /* listed twice: kubectl reads it once */
    char *text;
    size_t len;
    if (file_read_all(path, KUBECONFIG_MAX_BYTES, &text, &len, err) < 0)
        return -1;
    struct ynode *root;
    int rc = yamldoc_parse(path, text, len, &root, err);
    free(text);
    if (rc < 0)
        return -1;
    if (root->kind != YNODE_MAP) {
        kc_type_error(err, path, root, "", "kubeconfig", "a mapping");
        yamldoc_free(root);
        return -1;
    }
    m->files = xrealloc(m->files, (m->nfiles + 1) * sizeof(*m->files));
    char *copy = xstrdup(path);
    m->files[m->nfiles] = (struct kc_file){xstrdup(path), xstrdup(dirname(copy)), root};
    free(copy);
    int fi = (int)m->nfiles++;
    const char *cur;
    if (kc_str(path, root, "current-context", "", &cur, err) < 0)
        return -1;
    if (!m->current && !str_empty(cur)) {
        m->current = cur;
        m->current_fi = fi;
    }
    if (kc_collect(m, fi, "clusters", "cluster", &m->clusters, err) < 0 ||
        kc_collect(m, fi, "users", "user", &m->users, err) < 0 ||
        kc_collect(m, fi, "contexts", "context", &m->contexts, err) < 0)
        return -1;
    return 0;
}

static void kc_merged_done(struct kc_merged *m)
{
    for (size_t i = 0; i < m->nfiles; i++) {
        free(m->files[i].path);
        free(m->files[i].dir);
        yamldoc_free(m->files[i].root);
    }
    free(m->files);
    free(m->clusters.v);
    free(m->users.v);
    free(m->contexts.v);
}

static bool file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Relative paths in a kubeconfig are relative to the file that holds them. */
static char *kc_resolve_path(const struct kc_file *f, const char *p)
{
    if (p[0] == '/')
        return xstrdup(p);
    return path_join(f->dir, p);
}

static const char base64_tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int kube_base64_decode(const char *in, char **out, size_t *out_len)
{
    size_t n = strlen(in);
    char *buf = xmalloc(n / 4 * 3 + 4);
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0, pad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        const char *p = c ? strchr(base64_tab, c) : NULL;
        if (!p || pad) {
            free(buf);
            return -1;
        }
        acc = (acc << 6) | (unsigned)(p - base64_tab);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[o++] = (char)((acc >> bits) & 0xff);
        }
    }
    if (pad > 2 || bits >= 6) {
        free(buf);
        return -1;
    }
    buf[o] = '\0';
    *out = buf;
    *out_len = o;
    return 0;
}

/* The reason of a file_read_all failure without its leading "PATH: ". */
static const char *kc_io_reason(const struct error *e, const char *path)
{
    size_t n = strlen(path);
    if (!strncmp(e->msg, path, n) && e->msg[n] == ':' && e->msg[n + 1] == ' ')
        return e->msg + n + 2;
    return e->msg;
}

/* Reads "X-data" (base64) or "X" (a file path) into a PEM blob. *desc
 * (may be NULL) gets where it came from, for later messages:
 * "FILE:LINE:COL: WHERE: X-data" or "FILE: WHERE: X \"PATH\"". */
static int kc_blob(const struct kc_file *f, const struct ynode *map, const char *key,
                   const char *where, char **pem, size_t *len, char **desc, struct error *err)
{
    char dkey[96];
    snprintf(dkey, sizeof(dkey), "%s-data", key);
    const char *data, *path;
    if (desc)
        *desc = NULL;
    if (kc_str(f->path, map, dkey, where, &data, err) < 0 ||
        kc_str(f->path, map, key, where, &path, err) < 0)
        return -1;
    if (!str_empty(data)) {
        const struct ynode *n = ynode_get(map, dkey);
        if (kube_base64_decode(data, pem, len) < 0)
            return error_set(err, ERR_INVALID, 0, "%s:%d:%d: %s: %s: not valid base64", f->path,
                             n->line, n->col, where, dkey);
        if (desc)
            *desc = xasprintf("%s:%d:%d: %s: %s", f->path, n->line, n->col, where, dkey);
        return 0;
    }
    if (!str_empty(path)) {
        char *full = kc_resolve_path(f, path);
        struct error e2;
        error_clear(&e2);
        if (file_read_all(full, KUBECONFIG_MAX_FILE_ITEM, pem, len, &e2) < 0) {
            const char *why = kc_io_reason(&e2, full);
            error_set(err, ERR_IO, e2.detail, "%s: %s: %s \"%s\": %s", f->path, where, key, full,
                      why);
            free(full);
            return -1;
        }
        if (desc)
            *desc = xasprintf("%s: %s: %s \"%s\"", f->path, where, key, full);
        free(full);
    }
    return 0;
}

/* A CA bundle must hold at least one certificate OpenSSL can read; else
 * curl's "error setting certificate file" would come at the first request
 * with no word of which kubeconfig entry is wrong. */
static int kc_check_ca(const char *pem, size_t len, const char *desc, struct error *err)
{
    BIO *b = BIO_new_mem_buf(pem, (int)len);
    int n = 0;
    X509 *x;
    while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
        n++;
        X509_free(x);
    }
    BIO_free(b);
    ERR_clear_error();
    if (n == 0)
        return error_set(err, ERR_INVALID, 0,
                         "%s: holds no PEM certificate (%zu bytes%s); a CA is one or more "
                         "\"-----BEGIN CERTIFICATE-----\" blocks",
                         desc, len,
                         len && !memmem(pem, len, "-----BEGIN", 10) ? ", no PEM header" : "");
    return 0;
}

/* The client certificate and key must each parse and belong together:
 * otherwise TLS fails at the server with a handshake error that names
 * neither field. */
static int kc_check_pair(const struct kube_config *c, const char *cert_desc, const char *key_desc,
                         struct error *err)
{
    BIO *b = BIO_new_mem_buf(c->cert_pem, (int)c->cert_len);
    X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    b = BIO_new_mem_buf(c->key_pem, (int)c->key_len);
    EVP_PKEY *k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
    BIO_free(b);
    ERR_clear_error();
    int rc = 0;
    if (!x)
        rc = error_set(err, ERR_INVALID, 0, "%s: not a PEM certificate (%zu bytes)", cert_desc,
                       c->cert_len);
    else if (!k)
        rc = error_set(err, ERR_INVALID, 0,
                       "%s: not a PEM private key (%zu bytes; an encrypted key is not supported)",
                       key_desc, c->key_len);
    else if (X509_check_private_key(x, k) != 1)
        rc = error_set(err, ERR_INVALID, 0,
                       "%s: the private key does not match the certificate of %s", key_desc,
                       cert_desc);
    ERR_clear_error();
    X509_free(x);
    EVP_PKEY_free(k);
    return rc;
}

/* Frees an exec spec, whole or half built (kc_exec fails part way). */
static void kc_exec_free(struct kube_exec_spec *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nargs; i++)
        free(s->args[i]);
    for (size_t i = 0; i < s->nenv; i++) {
        free(s->env[i].name);
        free(s->env[i].value);
    }
    free(s->args);
    free(s->env);
    free(s->api_version);
    free(s->command);
    free(s->install_hint);
    free(s);
}

static int kc_exec(const struct kc_file *f, const struct ynode *ex, const char *where,
                   struct kube_exec_spec **out, struct error *err)
{
    char w[1100];
    snprintf(w, sizeof(w), "%s: exec", where);
    if (ex->kind != YNODE_MAP)
        return kc_type_error(err, f->path, ex, where, "exec", "a mapping");
    const char *api, *cmd, *hint;
    if (kc_str(f->path, ex, "apiVersion", w, &api, err) < 0 ||
        kc_str(f->path, ex, "command", w, &cmd, err) < 0 ||
        kc_str(f->path, ex, "installHint", w, &hint, err) < 0)
        return -1;
    if (str_empty(cmd))
        return error_set(err, ERR_INVALID, 0, "%s:%d:%d: %s: missing command", f->path, ex->line,
                         ex->col, w);
    if (str_empty(api))
        return error_set(err, ERR_INVALID, 0, "%s:%d:%d: %s: missing apiVersion", f->path, ex->line,
                         ex->col, w);
    bool deprecated = false;
    if (strcmp(api, "client.authentication.k8s.io/v1alpha1") == 0)
        deprecated = true;
    else if (strcmp(api, "client.authentication.k8s.io/v1beta1") != 0 &&
             strcmp(api, "client.authentication.k8s.io/v1") != 0) {
        const struct ynode *n = ynode_get(ex, "apiVersion");
        return error_set(err, ERR_INVALID, 0,
                         "%s:%d:%d: %s: apiVersion \"%s\" is not supported (use "
                         "client.authentication.k8s.io/v1 or v1beta1)",
                         f->path, n->line, n->col, w, api);
    }
    const struct ynode *args = ynode_get(ex, "args");
    const struct ynode *env = ynode_get(ex, "env");
    if (args && !ynode_is_null(args) && args->kind != YNODE_SEQ)
        return kc_type_error(err, f->path, args, w, "args", "a list");
    if (env && !ynode_is_null(env) && env->kind != YNODE_SEQ)
        return kc_type_error(err, f->path, env, w, "env", "a list of name/value pairs");
    struct kube_exec_spec *s = xcalloc(1, sizeof(*s));
    s->api_version = xstrdup(api);
    /* Like client-go: a command with a '/' is relative to the kubeconfig's
     * directory; a bare name is looked up in PATH. */
    s->command = strchr(cmd, '/') ? kc_resolve_path(f, cmd) : xstrdup(cmd);
    s->install_hint = xstrdup_or_null(hint);
    s->deprecated = deprecated;
    size_t na = args && args->kind == YNODE_SEQ ? args->n : 0;
    s->args = xcalloc(na + 1, sizeof(char *));
    for (size_t i = 0; i < na; i++) {
        char fl[32];
        snprintf(fl, sizeof(fl), "args[%zu]", i);
        if (args->items[i]->kind != YNODE_SCALAR) {
            kc_type_error(err, f->path, args->items[i], w, fl, "a string");
            goto fail;
        }
        if (kc_not_string(f->path, args->items[i], w, fl, err) < 0)
            goto fail;
        s->args[s->nargs++] = xstrdup(args->items[i]->value);
    }
    size_t ne = env && env->kind == YNODE_SEQ ? env->n : 0;
    s->env = xcalloc(ne + 1, sizeof(*s->env));
    for (size_t i = 0; i < ne; i++) {
        const struct ynode *e = env->items[i];
        char fl[32];
        snprintf(fl, sizeof(fl), "env[%zu]", i);
        const char *name = NULL, *value = NULL;
        if (e->kind != YNODE_MAP) {
            kc_type_error(err, f->path, e, w, fl, "a mapping with name and value");
            goto fail;
        }
        if (kc_str(f->path, e, "name", w, &name, err) < 0 ||
            kc_str(f->path, e, "value", w, &value, err) < 0)
            goto fail;
        if (str_empty(name)) {
            error_set(err, ERR_INVALID, 0, "%s:%d:%d: %s: %s: missing name", f->path, e->line,
                      e->col, w, fl);
            goto fail;
        }
        s->env[s->nenv].name = xstrdup(name);
        s->env[s->nenv].value = xstrdup(value ? value : "");
        s->nenv++;
    }
    *out = s;
    return 0;
fail:
    kc_exec_free(s);
    return -1;
}

static void kc_names(struct strbuf *sb, const struct kc_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        if (i)
            strbuf_adds(sb, ", ");
        strbuf_adds(sb, s->v[i].name);
    }
    if (!s->n)
        strbuf_adds(sb, "none");
}

/* The context (--context, else current-context) and what it names. */
struct kc_ctx {
    const char *name;
    const struct kc_file *file; /* the file that holds the context */
    const char *cluster, *user, *ns;
    const struct kc_named *cl;
    char where[512]; /* "context \"NAME\"" for messages */
};

static int kc_context(struct kc_merged *m, const char *files, const struct kube_config_opts *o,
                      struct kc_ctx *x, struct error *err)
{
    const char *ctxname = !str_empty(o->context) ? o->context : m->current;
    struct strbuf names;
    strbuf_init(&names);
    kc_names(&names, &m->contexts);
    if (str_empty(ctxname)) {
        error_set(err, ERR_NOTFOUND, 0,
                  "%s: no current-context is set and no --context was given (have: %s)", files,
                  names.buf);
        strbuf_done(&names);
        return -1;
    }
    const struct kc_named *ctx = kc_find(&m->contexts, ctxname);
    if (!ctx) {
        error_set(err, ERR_NOTFOUND, 0, "kubeconfig: no context \"%s\" (have: %s)", ctxname,
                  names.buf);
        strbuf_done(&names);
        return -1;
    }
    strbuf_done(&names);
    const struct kc_file *cf = &m->files[ctx->fi];
    x->name = ctxname;
    x->file = cf;
    char *where = x->where;
    snprintf(where, sizeof(x->where), "context \"%s\"", ctxname);
    if (!ctx->body)
        return error_set(err, ERR_INVALID, 0, "%s:%d:%d: %s: missing context", cf->path,
                         ctx->item->line, ctx->item->col, where);
    const char *clname;
    if (kc_str(cf->path, ctx->body, "cluster", where, &clname, err) < 0 ||
        kc_str(cf->path, ctx->body, "user", where, &x->user, err) < 0 ||
        kc_str(cf->path, ctx->body, "namespace", where, &x->ns, err) < 0)
        return -1;
    if (str_empty(clname))
        return error_set(err, ERR_INVALID, 0, "%s:%d:%d: %s: missing cluster", cf->path,
                         ctx->body->line, ctx->body->col, where);
    const struct kc_named *cl = kc_find(&m->clusters, clname);
    if (!cl || !cl->body)
        return error_set(err, ERR_NOTFOUND, 0, "%s: %s: no cluster \"%s\"", cf->path, where,
                         clname);
    x->cluster = clname;
    x->cl = cl;
    return 0;
}

/* The cluster: server, CA, TLS name, proxy. */
static int kc_cluster(struct kc_merged *m, const struct kc_ctx *x, struct kube_config *c,
                      struct error *err)
{
    const struct kc_named *cl = x->cl;
    const struct kc_file *clf = &m->files[cl->fi];
    char cwhere[1024];
    snprintf(cwhere, sizeof(cwhere), "%s: cluster \"%s\"", x->where, x->cluster);
    const char *server, *tsn, *proxy;
    char *ca_desc = NULL;
    if (kc_str(clf->path, cl->body, "server", cwhere, &server, err) < 0 ||
        kc_str(clf->path, cl->body, "tls-server-name", cwhere, &tsn, err) < 0 ||
        kc_str(clf->path, cl->body, "proxy-url", cwhere, &proxy, err) < 0 ||
        kc_bool(clf->path, cl->body, "insecure-skip-tls-verify", cwhere, &c->insecure, err) < 0 ||
        kc_blob(clf, cl->body, "certificate-authority", cwhere, &c->ca_pem, &c->ca_len, &ca_desc,
                err) < 0)
        return -1;
    int rc = c->ca_pem ? kc_check_ca(c->ca_pem, c->ca_len, ca_desc, err) : 0;
    free(ca_desc);
    if (rc < 0)
        return -1;
    if (c->insecure && c->ca_pem) {
        /* kubectl refuses the pair ("specifying a root certificates file
         * with the insecure flag is not allowed"): which one was meant is
         * not for us to guess, and the same file must work with both */
        const struct ynode *n = ynode_get(cl->body, "insecure-skip-tls-verify");
        return error_set(err, ERR_INVALID, 0,
                         "%s:%d:%d: %s: insecure-skip-tls-verify and a certificate authority "
                         "together are not allowed (kubectl refuses them too); remove one",
                         clf->path, n ? n->line : cl->body->line, n ? n->col : cl->body->col,
                         cwhere);
    }
    if (str_empty(server))
        return error_set(err, ERR_INVALID, 0, "%s:%d:%d: %s: missing server", clf->path,
                         cl->body->line, cl->body->col, cwhere);
    if (!str_starts_with(server, "https://") && !str_starts_with(server, "http://")) {
        const struct ynode *n = ynode_get(cl->body, "server");
        return error_set(err, ERR_INVALID, 0,
                         "%s:%d:%d: %s: server \"%s\" is not an http:// or https:// URL", clf->path,
                         n->line, n->col, cwhere, server);
    }
    const char *host = strstr(server, "://") + 3;
    size_t hl = strcspn(host, "/?#");
    if (hl == 0 || host[0] == ':' || memchr(host, '@', hl)) {
        /* curl would say "URL rejected: No host part" at the first request */
        const struct ynode *n = ynode_get(cl->body, "server");
        return error_set(err, ERR_INVALID, 0, "%s:%d:%d: %s: server \"%s\" %s", clf->path, n->line,
                         n->col, cwhere, server,
                         memchr(host, '@', hl) ? "holds user information; credentials go in users[]"
                                               : "has no host");
    }
    c->server = xstrdup(server);
    while (str_ends_with(c->server, "/"))
        c->server[strlen(c->server) - 1] = '\0';
    c->tls_server_name = xstrdup_or_null(tsn);
    c->proxy_url = xstrdup_or_null(proxy);
    return 0;
}

/* The token of tokenFile, trailing whitespace dropped. */
static int kc_token_file(const struct kc_file *uf, const char *uwhere, const char *tfile,
                         struct kube_config *c, struct error *err)
{
    char *full = kc_resolve_path(uf, tfile);
    char *t;
    size_t tl;
    struct error e2;
    error_clear(&e2);
    if (file_read_all(full, KUBECONFIG_MAX_FILE_ITEM, &t, &tl, &e2) < 0) {
        error_set(err, ERR_IO, e2.detail, "%s: %s: tokenFile \"%s\": %s", uf->path, uwhere, full,
                  kc_io_reason(&e2, full));
        free(full);
        return -1;
    }
    while (tl > 0 && (t[tl - 1] == '\n' || t[tl - 1] == '\r' || t[tl - 1] == ' '))
        t[--tl] = '\0';
    c->token = t;
    c->token_file = full;
    return 0;
}

/* The "exp" (Unix seconds) of an oidc id-token, read as client-go's oidc
 * auth-provider reads it (idTokenExpired): three dot-separated parts, the
 * second unpadded base64url JSON whose "exp" is a number. Nothing is
 * verified: the server does that. Returns NULL and sets *exp (0 when there
 * is none: client-go then counts it expired), or what is wrong with it. */
static const char *jwt_exp(const char *jwt, long long *exp)
{
    *exp = 0;
    const char *a = strchr(jwt, '.');
    const char *b = a ? strchr(a + 1, '.') : NULL;
    if (!b || strchr(b + 1, '.'))
        return "is not a JWT (three parts separated by dots)";
    size_t n = (size_t)(b - a - 1);
    if (n > 65536 || n % 4 == 1 ||
        strspn(a + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                      "0123456789-_") < n)
        return "is not a JWT (its payload is not unpadded base64url)";
    /* base64url, unpadded, to base64 */
    char *s = xmalloc(n + 4);
    for (size_t i = 0; i < n; i++)
        s[i] = a[1 + i] == '-' ? '+' : a[1 + i] == '_' ? '/' : a[1 + i];
    while (n % 4)
        s[n++] = '=';
    s[n] = '\0';
    char *json = NULL;
    size_t len = 0;
    const char *why = "is not a JWT (its payload is not base64url)";
    if (kube_base64_decode(s, &json, &len) == 0) {
        cJSON *p = cJSON_ParseWithLength(json, len);
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(p, "exp");
        if (!cJSON_IsObject(p))
            why = "is not a JWT (its claims are not a JSON object)";
        else if (e && !cJSON_IsNumber(e) && !cJSON_IsNull(e))
            why = "is not a JWT (its \"exp\" claim is not a number)";
        else {
            why = NULL;
            *exp = cJSON_IsNumber(e) ? (long long)e->valuedouble : 0;
        }
        cJSON_Delete(p);
    }
    free(json);
    free(s);
    return why;
}

/* users[].user.auth-provider: the legacy plugins. kubectl still has oidc
 * (the id-token sent as the bearer token, refreshed with the refresh-token
 * when it expires); gcp and azure were removed from it (1.26) in favour of
 * exec plugins. The id-token is used while it is valid; refreshing it is
 * kubectl's (it writes the new one back into the file). */
static int kc_auth_provider(const struct kc_file *uf, const struct ynode *ap, const char *uwhere,
                            struct kube_config *c, struct error *err)
{
    const char *name = NULL, *idt = NULL, *issuer = NULL, *client = NULL;
    const struct ynode *cfg = ynode_get(ap, "config");
    if (kc_str(uf->path, ap, "name", uwhere, &name, err) < 0)
        return -1;
    if (cfg && !ynode_is_null(cfg) &&
        (kc_str(uf->path, cfg, "id-token", uwhere, &idt, err) < 0 ||
         kc_str(uf->path, cfg, "idp-issuer-url", uwhere, &issuer, err) < 0 ||
         kc_str(uf->path, cfg, "client-id", uwhere, &client, err) < 0))
        return -1;
    if (str_eq(name, "gcp") || str_eq(name, "azure"))
        return error_set(err, ERR_INVALID, 0,
                         "%s:%d:%d: %s: the %s auth-provider was removed from kubectl too "
                         "(1.26); use its exec plugin (%s) in users[].user.exec",
                         uf->path, ap->line, ap->col, uwhere, name,
                         str_eq(name, "gcp") ? "gke-gcloud-auth-plugin" : "kubelogin");
    if (!str_eq(name, "oidc"))
        return error_set(err, ERR_INVALID, 0,
                         "%s:%d:%d: %s: auth-provider \"%s\" is not supported (use an exec plugin)",
                         uf->path, ap->line, ap->col, uwhere, name ? name : "");
    if (str_empty(issuer) || str_empty(client)) /* kubectl: "Must provide idp-issuer-url" */
        return error_set(err, ERR_INVALID, 0,
                         "%s:%d:%d: %s: auth-provider oidc has no %s in its config; kubectl "
                         "refuses it too (\"Must provide %s\")",
                         uf->path, ap->line, ap->col, uwhere,
                         str_empty(issuer) ? "idp-issuer-url" : "client-id",
                         str_empty(issuer) ? "idp-issuer-url" : "client-id");
    if (str_empty(idt))
        return error_set(err, ERR_AUTH, 0,
                         "%s:%d:%d: %s: auth-provider oidc has no id-token yet: log in with "
                         "kubectl once (it fetches one), or use kubelogin as an exec plugin",
                         uf->path, ap->line, ap->col, uwhere);
    long long exp;
    const char *bad = jwt_exp(idt, &exp);
    if (bad) /* kubectl: "ID Token is not a valid JWT", or the decoder's words */
        return error_set(err, ERR_AUTH, 0,
                         "%s:%d:%d: %s: the oidc id-token %s; kubectl refuses it too: log in "
                         "again for a new one",
                         uf->path, ap->line, ap->col, uwhere, bad);
    if (exp == 0)
        return error_set(err, ERR_AUTH, 0,
                         "%s:%d:%d: %s: the oidc id-token has no \"exp\" claim, so kubectl "
                         "counts it expired and refreshes it (with its refresh-token, into this "
                         "file); or log in again",
                         uf->path, ap->line, ap->col, uwhere);
    /* client-go counts it expired 10 s early (expiryDelta) */
    if (exp <= (long long)time(NULL) + 10) {
        char when[32] = "";
        time_t t = (time_t)exp;
        struct tm tm;
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&t, &tm));
        return error_set(err, ERR_AUTH, 0,
                         "%s:%d:%d: %s: the oidc id-token %s at %s; any kubectl command "
                         "refreshes it (with its refresh-token, into this file), or log in again",
                         uf->path, ap->line, ap->col, uwhere,
                         exp <= (long long)time(NULL) ? "expired" : "expires within 10 s,", when);
    }
    c->token = xstrdup(idt);
    return 0;
}

/* The user's credential: token or tokenFile, client certificate and key,
 * or an exec plugin. */
static int kc_user_body(const struct kc_file *uf, const struct ynode *body, const char *uwhere,
                        struct kube_config *c, struct error *err)
{
    const char *token, *tfile;
    char *cert_desc = NULL, *key_desc = NULL;
    int rc = -1;
    if (kc_str(uf->path, body, "token", uwhere, &token, err) < 0 ||
        kc_str(uf->path, body, "tokenFile", uwhere, &tfile, err) < 0 ||
        kc_blob(uf, body, "client-certificate", uwhere, &c->cert_pem, &c->cert_len, &cert_desc,
                err) < 0 ||
        kc_blob(uf, body, "client-key", uwhere, &c->key_pem, &c->key_len, &key_desc, err) < 0)
        goto done;
    if (!str_empty(token))
        c->token = xstrdup(token);
    else if (!str_empty(tfile) && kc_token_file(uf, uwhere, tfile, c, err) < 0)
        goto done;
    long bad = c->token ? kube_http_bad_header_byte(c->token) : -1;
    if (bad >= 0) {
        /* client-go refuses it too (net/http: invalid header field
         * value): sent as it is, CR/LF would inject headers. */
        error_set(err, ERR_INVALID, 0,
                  "%s: %s: %s%s%s: the token holds a control character (byte %ld of "
                  "it, 0x%02x); a bearer token cannot",
                  uf->path, uwhere, c->token_file ? "tokenFile \"" : "token",
                  c->token_file ? c->token_file : "", c->token_file ? "\"" : "", bad,
                  (unsigned char)c->token[bad]);
        goto done;
    }
    if ((c->cert_pem != NULL) != (c->key_pem != NULL)) {
        error_set(err, ERR_INVALID, 0, "%s: %s: %s without %s", uf->path, uwhere,
                  c->cert_pem ? "client-certificate" : "client-key",
                  c->cert_pem ? "client-key" : "client-certificate");
        goto done;
    }
    if (c->cert_pem && kc_check_pair(c, cert_desc, key_desc, err) < 0)
        goto done;
    const struct ynode *ex = ynode_get(body, "exec");
    if (ex && !ynode_is_null(ex) && kc_exec(uf, ex, uwhere, &c->exec, err) < 0)
        goto done;
    const struct ynode *ap = ynode_get(body, "auth-provider");
    if (ap && !ynode_is_null(ap) && !c->exec && !c->token &&
        kc_auth_provider(uf, ap, uwhere, c, err) < 0)
        goto done;
    /* Impersonation: kubectl sends every request as that identity; made as
     * the user's own, an action would run with rights the file meant to
     * give up. Refused rather than done with the wrong identity. */
    static const char *const imp[] = {"as", "as-uid", "as-groups", "as-user-extra"};
    for (size_t i = 0; i < sizeof(imp) / sizeof(imp[0]); i++) {
        const struct ynode *n = ynode_get(body, imp[i]);
        if (!n || ynode_is_null(n) || (n->kind == YNODE_SCALAR && str_empty(n->value)))
            continue;
        error_set(err, ERR_INVALID, 0,
                  "%s:%d:%d: %s: impersonation (%s) is not supported: the requests would be "
                  "made as this user itself, not as the identity kubectl acts as; use a user "
                  "whose credentials are that identity's",
                  uf->path, n->line, n->col, uwhere, imp[i]);
        goto done;
    }
    rc = 0;
done:
    free(cert_desc);
    free(key_desc);
    return rc;
}

static int kc_user(struct kc_merged *m, const struct kc_ctx *x, struct kube_config *c,
                   struct error *err)
{
    const struct kc_named *u = kc_find(&m->users, x->user);
    char uwhere[1024];
    snprintf(uwhere, sizeof(uwhere), "%s: user \"%s\"", x->where, x->user);
    if (!u)
        return error_set(err, ERR_NOTFOUND, 0, "%s: %s: no user \"%s\"", x->file->path, x->where,
                         x->user);
    const struct kc_file *uf = &m->files[u->fi];
    c->user_desc = xasprintf("%s: %s", uf->path, uwhere);
    return u->body ? kc_user_body(uf, u->body, uwhere, c, err) : 0;
}

static int kc_resolve(struct kc_merged *m, const char *files, const struct kube_config_opts *o,
                      struct kube_config **out, struct error *err)
{
    struct kc_ctx x = {0};
    if (kc_context(m, files, o, &x, err) < 0)
        return -1;
    struct kube_config *c = xcalloc(1, sizeof(*c));
    c->files = xstrdup(files);
    c->context_file = xstrdup(x.file->path);
    c->context = xstrdup(x.name);
    c->cluster = xstrdup(x.cluster);
    c->user = xstrdup_or_null(x.user);
    c->ns = xstrdup(!str_empty(o->ns) ? o->ns : !str_empty(x.ns) ? x.ns : "default");
    if (kc_cluster(m, &x, c, err) < 0 || (!str_empty(x.user) && kc_user(m, &x, c, err) < 0)) {
        kube_config_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

int kubeconfig_load(const struct kube_config_opts *o, struct kube_config **out, struct error *err)
{
    struct kc_merged m;
    memset(&m, 0, sizeof(m));
    struct strbuf files;
    strbuf_init(&files);
    int rc = -1;
    if (!str_empty(o->kubeconfig)) {
        if (!file_exists(o->kubeconfig)) {
            error_set(err, ERR_NOTFOUND, errno, "--kubeconfig %s: %s", o->kubeconfig,
                      strerror(errno));
            goto done;
        }
        strbuf_adds(&files, o->kubeconfig);
        if (kc_add_file(&m, o->kubeconfig, err) < 0)
            goto done;
    } else if (!str_empty(o->env_kubeconfig)) {
        /* Missing files in $KUBECONFIG are skipped, as kubectl does. */
        char *list = xstrdup(o->env_kubeconfig);
        char *save = NULL;
        for (char *p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
            if (!file_exists(p))
                continue;
            if (files.len)
                strbuf_addc(&files, ':');
            strbuf_adds(&files, p);
            if (kc_add_file(&m, p, err) < 0) {
                free(list);
                goto done;
            }
        }
        free(list);
        if (m.nfiles == 0) {
            error_set(err, ERR_NOTFOUND, 0, "KUBECONFIG=%s: none of these files exists",
                      o->env_kubeconfig);
            goto done;
        }
    } else {
        char *p = path_join(o->home ? o->home : "", ".kube/config");
        if (!file_exists(p)) {
            error_set(err, ERR_NOTFOUND, errno, "%s: %s (set KUBECONFIG or pass --kubeconfig)", p,
                      strerror(errno));
            free(p);
            goto done;
        }
        strbuf_adds(&files, p);
        int r = kc_add_file(&m, p, err);
        free(p);
        if (r < 0)
            goto done;
    }
    rc = kc_resolve(&m, files.buf, o, out, err);
done:
    kc_merged_done(&m);
    strbuf_done(&files);
    return rc;
}

int kubeconfig_load_env(const char *kubeconfig, const char *context, const char *ns,
                        struct kube_config **out, struct error *err)
{
    struct kube_config_opts o = {kubeconfig, context, ns, getenv("KUBECONFIG"), getenv("HOME")};
    return kubeconfig_load(&o, out, err);
}

void kube_config_free(struct kube_config *c)
{
    if (!c)
        return;
    free(c->files);
    free(c->context_file);
    free(c->context);
    free(c->cluster);
    free(c->user);
    free(c->ns);
    free(c->server);
    free(c->ca_pem);
    free(c->tls_server_name);
    free(c->proxy_url);
    str_free_secret(c->token);
    free(c->token_file);
    free(c->cert_pem);
    if (c->key_pem) {
        memset(c->key_pem, 0, c->key_len);
        free(c->key_pem);
    }
    kc_exec_free(c->exec);
    free(c->user_desc);
    free(c);
}
