/* core/secrets.c: the secrets file that sits next to an answers file, the
 * DIFY_* environment overrides, generation of missing secrets and masking
 * for display. Every value loaded or generated is registered with the log so
 * it can never be written there. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/util.h"
#include "core/validate.h"
#include "core/yamldoc.h"
#include "core/yamlemit.h"

#define SECRETS_MAX_BYTES (64 * 1024)

char *secrets_path_for(const char *answers_path)
{
    if (str_ends_with(answers_path, ".yaml"))
        return xasprintf("%.*s.secrets.yaml", (int)(strlen(answers_path) - 5), answers_path);
    if (str_ends_with(answers_path, ".yml"))
        return xasprintf("%.*s.secrets.yaml", (int)(strlen(answers_path) - 4), answers_path);
    return xasprintf("%s.secrets.yaml", answers_path);
}

char *secrets_path_default(const char *answers_path, bool *in_state)
{
    *in_state = false;
    if (!paths_in_assets(answers_path))
        return secrets_path_for(answers_path);
    /* One of the program's own examples: its directory is the install tree
     * (read-only once installed, and easy to commit from in a clone). */
    *in_state = true;
    const char *base = strrchr(answers_path, '/');
    char *beside = secrets_path_for(base ? base + 1 : answers_path);
    char *state = paths_state_dir();
    char *dir = path_join(state, "examples");
    dir_make_all(dir, 0700, NULL);
    char *path = path_join(dir, beside);
    free(dir);
    free(state);
    free(beside);
    return path;
}

static const struct secret_desc *secret_find(const char *key)
{
    for (size_t i = 0; i < secret_nfields; i++)
        if (!strcmp(secret_fields[i].key, key))
            return &secret_fields[i];
    return NULL;
}

static void secret_set(struct secrets *s, const struct secret_desc *d, const char *v)
{
    char **slot = secrets_field_ptr(s, d);
    str_free_secret(*slot);
    *slot = xstrdup(v);
    log_add_secret(v);
}

static void apply_env(struct secrets *s)
{
    for (size_t i = 0; i < secret_nfields; i++) {
        const char *v = getenv(secret_fields[i].env);
        if (v && *v)
            secret_set(s, &secret_fields[i], v);
    }
}

static int load_file(const char *path, struct secrets *s, struct problems *probs, struct error *err)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        if (errno == ENOENT)
            return 0;
        problems_add_at(probs, path, 0, 0, NULL, "%s", strerror(errno));
        return error_set(err, ERR_IO, errno, "%s: %s", path, strerror(errno));
    }
    if (S_ISREG(st.st_mode) && (st.st_mode & 077)) {
        problems_add_at(probs, path, 0, 0, NULL,
                        "readable by group or others (mode %04o); secrets must be private: run "
                        "chmod 600 %s",
                        (unsigned)(st.st_mode & 07777), path);
        return error_set(err, ERR_INVALID, 0, "%s: mode %04o is too open; run chmod 600 %s", path,
                         (unsigned)(st.st_mode & 07777), path);
    }
    char *text;
    size_t len;
    if (file_read_all(path, SECRETS_MAX_BYTES, &text, &len, err) < 0) {
        problems_add_at(probs, NULL, 0, 0, NULL, "%s", err->msg);
        return -1;
    }
    struct ynode *root;
    struct error perr;
    error_clear(&perr);
    int rc = yamldoc_parse(path, text, len, &root, &perr);
    str_free_secret(text);
    if (rc < 0) {
        problems_add_at(probs, NULL, 0, 0, NULL, "%s", perr.msg);
        return error_set(err, ERR_PARSE, 0, "%s", perr.msg);
    }
    size_t nerr = 0;
    if (root->kind != YNODE_MAP) {
        problems_add_at(probs, path, root->line, root->col, NULL,
                        "expected a mapping of secret: value, got %s", ynode_kind_name(root->kind));
        nerr++;
    }
    for (size_t i = 0; root->kind == YNODE_MAP && i < root->n; i++) {
        const char *key = root->keys[i];
        const struct ynode *v = root->items[i];
        const struct secret_desc *d = secret_find(key);
        if (!d) {
            const char *names[64];
            size_t n = 0;
            for (size_t j = 0; j < secret_nfields && n < ARRAY_LEN(names); j++)
                names[n++] = secret_fields[j].key;
            const char *best = answers_closest(key, names, n);
            char *hint = best ? xasprintf("; did you mean \"%s\"?", best) : xstrdup("");
            problems_add_at(probs, path, root->key_line[i], root->key_col[i], key,
                            "unknown secret%s", hint);
            free(hint);
            nerr++;
            continue;
        }
        if (v->kind != YNODE_SCALAR) {
            problems_add_at(probs, path, v->line, v->col, key, "expected a string, got %s",
                            ynode_kind_name(v->kind));
            nerr++;
            continue;
        }
        if (ynode_is_null(v))
            continue;
        bool b;
        long l;
        double f;
        if (ynode_as_bool(v, &b) || ynode_as_long(v, &l) || ynode_as_double(v, &f)) {
            /* Read as a number or boolean, the text would not survive other
             * YAML readers (012 is 10 to some, 1e3 is 1000): quotes make it
             * text. The value is not shown: it is a secret. */
            problems_add_at(probs, path, v->line, v->col, key,
                            "reads as %s, not as text; put the secret in quotes",
                            ynode_as_bool(v, &b) ? "a boolean" : "a number");
            nerr++;
            continue;
        }
        secret_set(s, d, v->value);
    }
    yamldoc_free(root);
    if (nerr)
        return error_set(err, ERR_INVALID, 0, "%s: %zu problem%s", path, nerr,
                         nerr == 1 ? "" : "s");
    return 0;
}

int secrets_load(const char *path, struct secrets *s, struct problems *probs, struct error *err)
{
    int rc = path ? load_file(path, s, probs, err) : 0;
    apply_env(s);
    return rc;
}

int secrets_save(const char *path, const struct secrets *s, struct error *err)
{
    struct strbuf out;
    strbuf_init(&out);
    strbuf_adds(&out, "# dify-tui secrets: keep this file private (mode 0600), never commit it\n");
    yaml_emitter_t em;
    int rc = yamlemit_begin(&em, &out);
    for (size_t i = 0; i < secret_nfields && rc == 0; i++) {
        const char *v = *secrets_field_ptr((struct secrets *)s, &secret_fields[i]);
        if (str_empty(v))
            continue;
        rc |= yamlemit_plain(&em, secret_fields[i].key);
        rc |= yamlemit_scalar(&em, v, true);
    }
    if (rc == 0)
        rc = yamlemit_end(&em);
    if (rc < 0)
        error_set(err, ERR_INTERNAL, 0, "%s: YAML emitter failed: %s", path,
                  em.problem ? em.problem : "unknown");
    yaml_emitter_delete(&em);
    if (rc == 0)
        rc = file_write_atomic(path, out.buf, out.len, 0600, err);
    /* The buffer held every secret: wipe it. */
    memset(out.buf, 0, out.len);
    strbuf_done(&out);
    return rc;
}

static int random_bytes(unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        got += (size_t)r;
    }
    if (got == n)
        return 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0) {
            if (r < 0 && errno == EINTR)
                continue;
            close(fd);
            return -1;
        }
        got += (size_t)r;
    }
    close(fd);
    return 0;
}

char *secret_generate(int nbytes)
{
    /* base64url without padding: letters, digits, '-' and '_', safe in URIs,
     * environment variables and YAML. */
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if (nbytes <= 0 || nbytes > 1024)
        return NULL;
    unsigned char *raw = xmalloc((size_t)nbytes);
    if (random_bytes(raw, (size_t)nbytes) < 0) {
        free(raw);
        return NULL;
    }
    char *out = xmalloc((size_t)nbytes * 4 / 3 + 4);
    size_t o = 0;
    for (int i = 0; i < nbytes; i += 3) {
        unsigned v = (unsigned)raw[i] << 16;
        int n = nbytes - i;
        if (n > 1)
            v |= (unsigned)raw[i + 1] << 8;
        if (n > 2)
            v |= raw[i + 2];
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        if (n > 1)
            out[o++] = alphabet[(v >> 6) & 63];
        if (n > 2)
            out[o++] = alphabet[v & 63];
    }
    out[o] = '\0';
    memset(raw, 0, (size_t)nbytes);
    free(raw);
    return out;
}

char *secret_generate_alnum(int nchars)
{
    /* Letters and digits, each from one random byte below 248 (4 x 62), so
     * every character is equally likely. */
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    if (nchars <= 0 || nchars > 1024)
        return NULL;
    char *out = xmalloc((size_t)nchars + 1);
    unsigned char buf[64];
    int o = 0;
    while (o < nchars) {
        if (random_bytes(buf, sizeof(buf)) < 0) {
            free(out);
            return NULL;
        }
        for (size_t i = 0; i < sizeof(buf) && o < nchars; i++)
            if (buf[i] < 248)
                out[o++] = alphabet[buf[i] % 62];
    }
    out[o] = '\0';
    memset(buf, 0, sizeof(buf));
    return out;
}

int secrets_fill(struct secrets *s, const struct profile *p, struct error *err)
{
    int n = 0;
    for (size_t i = 0; i < secret_nfields; i++) {
        const struct secret_desc *d = &secret_fields[i];
        char **slot = secrets_field_ptr(s, d);
        if (!str_empty(*slot) || !secret_generated(p, d))
            continue;
        char *v = d->alnum ? secret_generate_alnum(d->gen_bytes) : secret_generate(d->gen_bytes);
        if (!v)
            return error_set(err, ERR_IO, errno, "generating %s: no random source (%s)", d->label,
                             strerror(errno));
        log_add_secret(v);
        str_free_secret(*slot);
        *slot = v;
        n++;
    }
    return n;
}

char *secret_mask(const char *value)
{
    /* counted in characters, not bytes: "p\xc3\xa4ss" is four */
    size_t n = 0, head = 0;
    for (const char *p = value ? value : ""; *p; p++) {
        if (((unsigned char)*p & 0xC0) == 0x80)
            continue;
        if (++n <= 2)
            head = (size_t)(p - value);
    }
    if (n == 0)
        return xstrdup("(not set)");
    /* Short values show nothing of themselves: two characters of eight would
     * be a quarter of the secret. */
    if (n < 12)
        return xasprintf("****** (%zu chars)", n);
    /* the first two characters whole (a UTF-8 one is never cut in half) */
    while (((unsigned char)value[head + 1] & 0xC0) == 0x80)
        head++;
    return xasprintf("%.*s\xe2\x80\xa6 (%zu chars)", (int)(head + 1), value, n);
}
