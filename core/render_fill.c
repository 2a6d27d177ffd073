/* core/render_fill.c: placeholders filled from Terraform outputs (see
 * render_fill.h). */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "core/render.h"
#include "core/render_fill.h"
#include "core/textsafe.h"
#include "core/util.h"

#define OUTPUT_MAX (16 * 1024 * 1024) /* terraform output -json of a large stack */

void render_fill_done(struct render_fill *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->names[i]);
        free(f->values[i]);
    }
    free(f->names);
    free(f->values);
    memset(f, 0, sizeof(*f));
}

int render_fill_parse(struct render_fill *f, const char *source, const char *json, size_t len,
                      struct error *err)
{
    cJSON *doc = cJSON_ParseWithLength(json, len);
    if (!cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        return error_set(err, ERR_PARSE, 0,
                         "%s: not the JSON object `terraform output -json` prints", source);
    }
    for (cJSON *o = doc->child; o; o = o->next) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "value");
        if (!cJSON_IsObject(o) || !v) {
            cJSON_Delete(doc);
            return error_set(err, ERR_PARSE, 0, "%s: output %s has no \"value\"", source,
                             o->string);
        }
        /* Lists and maps fill no placeholder; a sensitive output is never
         * written into a file that may be 0644, nor shown in a message. */
        if (!cJSON_IsString(v) || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "sensitive")))
            continue;
        f->names = xrealloc(f->names, (f->n + 1) * sizeof(*f->names));
        f->values = xrealloc(f->values, (f->n + 1) * sizeof(*f->values));
        f->names[f->n] = xstrdup(o->string);
        f->values[f->n] = xstrdup(v->valuestring);
        f->n++;
    }
    cJSON_Delete(doc);
    return 0;
}

int render_fill_load(struct render_fill *f, const char *path, struct error *err)
{
    char *data = NULL;
    size_t len = 0;
    if (file_read_all(path, OUTPUT_MAX, &data, &len, err))
        return -1;
    int rc = render_fill_parse(f, path, data, len, err);
    free(data);
    return rc;
}

/* What terraform said was wrong: the first "Error: " line of its
 * diagnostics (warnings, such as a missing CLI configuration file, may come
 * first), else its first line; made safe for a terminal (core/textsafe.h).
 * Caller frees. */
static char *tf_error_line(const char *text)
{
    const char *first = NULL, *pick = NULL;
    size_t first_len = 0, pick_len = 0;
    for (const char *l = text; *l && !pick;) {
        size_t n = strcspn(l, "\n");
        const char *t = l;
        /* a boxed diagnostic's frame ("│ ", "╷", "╵") and indentation */
        while (t < l + n && (*t == ' ' || (unsigned char)*t >= 0x80))
            t++;
        size_t tn = n - (size_t)(t - l);
        if (tn && !first)
            first = t, first_len = tn;
        /* "Error: " may follow a colour code when terraform colours */
        const char *e = memmem(t, tn, "Error: ", 7);
        if (e)
            pick = e + 7, pick_len = tn - (size_t)(e + 7 - t);
        l += n + (l[n] == '\n');
    }
    if (!pick)
        pick = first, pick_len = first_len;
    if (!pick)
        return xstrdup("(no message)");
    char *raw = xstrndup(pick, pick_len);
    char *safe = textsafe(raw, 0, 200);
    free(raw);
    return safe;
}

int render_fill_from_terraform(struct render_fill *f, const char *dir, struct error *err)
{
    /* DIR is the user's input: a wrong one is said plainly (exit 2), not
     * through terraform's -chdir message. */
    struct stat st;
    if (stat(dir, &st) < 0)
        return error_set(err, errno == ENOENT ? ERR_NOTFOUND : ERR_IO, errno,
                         "--from-terraform %s: %s (the directory terraform apply ran in)", dir,
                         strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return error_set(err, ERR_INVALID, 0,
                         "--from-terraform %s: not a directory; give the directory terraform "
                         "apply ran in, or a saved `terraform output -json` with "
                         "--terraform-output",
                         dir);
    const char *tf = getenv("TERRAFORM");
    if (str_empty(tf))
        tf = "terraform";
    char *chdir_arg = xasprintf("-chdir=%s", dir);
    char *argv[] = {(char *)tf, chdir_arg, "output", "-json", "-no-color", NULL};
    int out[2], errp[2];
    if (pipe2(out, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
        free(chdir_arg);
        return error_set(err, ERR_IO, errno, "pipe: %s", strerror(errno));
    }
    pid_t pid = fork();
    if (pid < 0) {
        free(chdir_arg);
        return error_set(err, ERR_IO, errno, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(errp[1], 2);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        execvp(tf, argv);
        _exit(127);
    }
    free(chdir_arg);
    close(out[1]);
    close(errp[1]);
    /* stdout, then stderr: terraform writes little to stderr, and a pipe
     * holds 64 KiB, so reading them in turn cannot deadlock here. */
    struct strbuf so, se;
    strbuf_init(&so);
    strbuf_init(&se);
    char buf[8192];
    int fds[2] = {out[0], errp[0]};
    struct strbuf *dst[2] = {&so, &se};
    for (int k = 0; k < 2; k++) {
        for (;;) {
            ssize_t n = read(fds[k], buf, sizeof(buf));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            if (dst[k]->len < OUTPUT_MAX)
                strbuf_add(dst[k], buf, (size_t)n);
        }
        close(fds[k]);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int rc;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && so.len == 0)
        rc = error_set(err, ERR_NOTFOUND, 127, "%s: cannot run it (not installed? set TERRAFORM)",
                       tf);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char *why = tf_error_line(se.buf ? se.buf : "");
        rc = error_set(err, ERR_IO, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                       "%s -chdir=%s output -json failed: %s", tf, dir, why);
        free(why);
    } else {
        char *src = xasprintf("terraform output -json in %s", dir);
        rc = render_fill_parse(f, src, so.buf, so.len, err);
        free(src);
    }
    strbuf_done(&so);
    strbuf_done(&se);
    return rc;
}

/* What a filled value may hold: host names, IPs, ARNs, account ids, bucket
 * names and registry URLs. Nothing that could end a quoted scalar, start a
 * comment or a new line, or read as a YAML indicator in the middle. */
static bool value_ok(const char *v)
{
    if (!*v)
        return false;
    for (const unsigned char *c = (const unsigned char *)v; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              strchr(".-_:/", *c)))
            return false;
    return true;
}

static const char *lookup(const struct render_fill *f, const char *name, size_t n)
{
    for (size_t i = 0; i < f->n; i++)
        if (strlen(f->names[i]) == n && strncmp(f->names[i], name, n) == 0)
            return f->values[i];
    return NULL;
}

/* The token at s ("@@name@@", name of [a-z0-9_]): its name's length, or 0. */
static size_t token_at(const char *s)
{
    if (strncmp(s, "@@", 2) != 0)
        return 0;
    size_t n = 0;
    while ((s[2 + n] >= 'a' && s[2 + n] <= 'z') || (s[2 + n] >= '0' && s[2 + n] <= '9') ||
           s[2 + n] == '_')
        n++;
    return n && strncmp(s + 2 + n, "@@", 2) == 0 ? n : 0;
}

static int fill_one(const struct render_fill *f, const struct rendered_file *file, char **out,
                    size_t *out_len, struct error *err)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < file->len;) {
        size_t n = file->data[i] == '@' ? token_at(file->data + i) : 0;
        if (!n) {
            strbuf_addc(&sb, file->data[i++]);
            continue;
        }
        const char *name = file->data + i + 2;
        const char *v = lookup(f, name, n);
        if (!v || !value_ok(v)) {
            if (v) {
                char *shown = textsafe(v, 0, 80);
                error_set(err, ERR_INVALID, 0,
                          "%s: output %.*s is \"%s\", not a host, ARN, id or URL; not filled",
                          file->name, (int)n, name, shown);
                free(shown);
            } else
                error_set(err, ERR_INVALID, 0,
                          "%s: @@%.*s@@ has no Terraform output %.*s to fill it", file->name,
                          (int)n, name, (int)n, name);
            strbuf_done(&sb);
            return -1;
        }
        strbuf_adds(&sb, v);
        i += n + 4;
    }
    *out = strbuf_detach(&sb, out_len);
    return 0;
}

int render_fill_apply(const struct render_fill *f, struct rendered *r, struct error *err)
{
    char **data = xcalloc(r->n ? r->n : 1, sizeof(*data));
    size_t *len = xcalloc(r->n ? r->n : 1, sizeof(*len));
    int rc = 0;
    for (size_t i = 0; i < r->n && !rc; i++)
        rc = fill_one(f, &r->v[i], &data[i], &len[i], err);
    for (size_t i = 0; i < r->n; i++) {
        if (rc) {
            str_free_secret(data[i]); /* files may hold secrets */
            continue;
        }
        str_free_secret(r->v[i].data);
        r->v[i].data = data[i];
        r->v[i].len = len[i];
    }
    free(data);
    free(len);
    return rc;
}
