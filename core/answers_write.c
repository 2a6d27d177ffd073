/* core/answers_write.c: writing the answers file: answers_dump through
 * libyaml's emitter, and saving it (over an existing file, through
 * core/answers_merge.c, which keeps what a person wrote). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/log.h"
#include "core/util.h"
#include "core/yamlemit.h"

/* Answers files are small; anything bigger is a mistake. */
#define ANSWERS_MAX_BYTES (1024 * 1024)

/* ---- writing ---- */

/* Number of leading path segments a and b share. */
static size_t common_segments(char **a, size_t na, char **b, size_t nb)
{
    size_t i = 0;
    while (i < na && i < nb && !strcmp(a[i], b[i]))
        i++;
    return i;
}

static size_t split_path(const char *path, char **segs, size_t max)
{
    size_t n = 0;
    const char *p = path;
    while (n < max) {
        size_t l = strcspn(p, ".");
        segs[n++] = xstrndup(p, l);
        if (!p[l])
            break;
        p += l + 1;
    }
    return n;
}

static int emit_profile(yaml_emitter_t *em, const struct profile *p)
{
    int rc = 0;
    char *open[8];
    size_t nopen = 0;
    char num[32];
    rc |= yamlemit_plain(em, "version");
    snprintf(num, sizeof(num), "%d", p->version);
    rc |= yamlemit_plain(em, num);
    for (size_t i = 0; i < profile_nfields && rc == 0; i++) {
        const struct field_desc *f = &profile_fields[i];
        char *segs[8];
        size_t ns = split_path(f->path, segs, ARRAY_LEN(segs));
        size_t keep = common_segments(open, nopen, segs, ns - 1);
        while (nopen > keep) {
            rc |= yamlemit_map_end(em);
            free(open[--nopen]);
        }
        for (size_t s = nopen; s + 1 < ns; s++) {
            rc |= yamlemit_plain(em, segs[s]);
            rc |= yamlemit_map_start(em);
            open[nopen++] = xstrdup(segs[s]);
        }
        rc |= yamlemit_plain(em, segs[ns - 1]);
        const void *ptr = (const char *)p + f->offset;
        if (f->type == FT_STRING) {
            const char *s = *(char *const *)ptr;
            rc |= yamlemit_scalar(em, s ? s : "", false);
        } else if (f->type == FT_STRLIST) {
            const struct strlist *l = ptr;
            rc |= yamlemit_seq_start(em, true);
            for (size_t j = 0; j < l->n; j++)
                rc |= yamlemit_scalar(em, l->v[j], true);
            rc |= yamlemit_seq_end(em);
        } else {
            char *t = profile_field_format(p, f);
            rc |= yamlemit_plain(em, t);
            free(t);
        }
        for (size_t s = 0; s < ns; s++)
            free(segs[s]);
    }
    while (nopen > 0) {
        rc |= yamlemit_map_end(em);
        free(open[--nopen]);
    }
    if (p->n_extra_files > 0 && rc == 0) {
        rc |= yamlemit_plain(em, "extra_files");
        rc |= yamlemit_seq_start(em, false);
        for (size_t i = 0; i < p->n_extra_files; i++) {
            const struct extra_file *x = &p->extra_files[i];
            rc |= yamlemit_map_start(em);
            const char *vals[4] = {x->source, x->configmap, x->key, x->mount_path};
            for (int k = 0; k < 4; k++) {
                rc |= yamlemit_plain(em, answers_extra_keys[k]);
                rc |= yamlemit_scalar(em, vals[k] ? vals[k] : "", false);
            }
            rc |= yamlemit_plain(em, "api");
            rc |= yamlemit_plain(em, x->api ? "true" : "false");
            rc |= yamlemit_plain(em, "worker");
            rc |= yamlemit_plain(em, x->worker ? "true" : "false");
            rc |= yamlemit_map_end(em);
        }
        rc |= yamlemit_seq_end(em);
    }
    return rc;
}

char *answers_dump(const struct profile *p, struct error *err)
{
    struct strbuf out;
    strbuf_init(&out);
    strbuf_addf(&out,
                "# dify-tui answers file (format version %d); secrets live in the "
                "matching .secrets.yaml\n",
                PROFILE_VERSION);
    yaml_emitter_t em;
    if (yamlemit_begin(&em, &out) < 0 || emit_profile(&em, p) < 0 || yamlemit_end(&em) < 0) {
        /* libyaml refuses only what is not valid UTF-8 text */
        error_set(err, ERR_INTERNAL, 0, "writing the answers as YAML: libyaml: %s",
                  em.problem ? em.problem : "the emitter failed");
        yaml_emitter_delete(&em);
        strbuf_done(&out);
        return NULL;
    }
    yaml_emitter_delete(&em);
    return strbuf_detach(&out, NULL);
}

static int save_text(const char *path, const struct profile *p, const char *head,
                     struct answers_kept *kept, struct error *err)
{
    /* Relative extra_files sources are held relative to the working
     * directory; written out they become absolute so the file works from
     * wherever it is saved. */
    struct profile copy = *p;
    struct extra_file *xs = NULL;
    char cwd[4096];
    if (p->n_extra_files > 0) {
        xs = xcalloc(p->n_extra_files, sizeof(*xs));
        for (size_t i = 0; i < p->n_extra_files; i++) {
            xs[i] = p->extra_files[i];
            if (xs[i].source && xs[i].source[0] && xs[i].source[0] != '/' &&
                getcwd(cwd, sizeof(cwd)))
                xs[i].source = path_join(cwd, p->extra_files[i].source);
            else
                xs[i].source = NULL;
        }
        for (size_t i = 0; i < p->n_extra_files; i++)
            if (!xs[i].source)
                xs[i].source = xstrdup(p->extra_files[i].source ? p->extra_files[i].source : "");
        copy.extra_files = xs;
    }
    char *text = answers_dump(&copy, err);
    for (size_t i = 0; i < p->n_extra_files; i++)
        free(xs[i].source);
    free(xs);
    if (!text)
        return -1;

    /* Over an existing file: keep what a person wrote in it. */
    struct answers_kept local = {0};
    struct answers_kept *k = kept ? kept : &local;
    char *old = NULL;
    size_t oldlen = 0;
    struct error rerr;
    error_clear(&rerr);
    if (file_read_all(path, ANSWERS_MAX_BYTES, &old, &oldlen, &rerr) == 0) {
        char *merged = answers_merge(path, old, oldlen, text, k, err);
        free(old);
        free(text);
        if (!merged) {
            answers_kept_done(&local);
            return -1;
        }
        text = merged;
    } else if (rerr.code != ERR_NOTFOUND) {
        free(text);
        answers_kept_done(&local);
        return error_set(err, rerr.code, rerr.detail, "not replacing it: %s", rerr.msg);
    }
    for (size_t i = 0; i < k->nkept; i++)
        log_warn("%s: %s: not read by dify-tui; kept as a comment at the end of the file", path,
                 k->kept[i]);
    for (size_t i = 0; i < k->ndropped; i++)
        log_warn("%s: %s: looks like a secret, which does not belong in the answers file; left "
                 "out (put it in %s)",
                 path, k->dropped[i], "the secrets file");
    answers_kept_done(&local);
    if (head) {
        char *with = xasprintf("%s%s", head, text);
        free(text);
        text = with;
    }
    int rc = file_write_atomic(path, text, strlen(text), 0644, err);
    free(text);
    return rc;
}

int answers_save_kept(const char *path, const struct profile *p, struct answers_kept *kept,
                      struct error *err)
{
    return save_text(path, p, NULL, kept, err);
}

int answers_save(const char *path, const struct profile *p, struct error *err)
{
    return save_text(path, p, NULL, NULL, err);
}

int answers_save_draft(const char *path, const struct profile *p, int page, const char *page_name,
                       struct answers_kept *kept, struct error *err)
{
    char *head = xasprintf("%s stopped at page %d (%s); no secrets were saved.\n"
                           "%s `dify-tui wizard --answers %s` continues from there.\n",
                           ANSWERS_DRAFT_MARK, page, page_name, ANSWERS_DRAFT_MARK, path);
    int rc = save_text(path, p, head, kept, err);
    free(head);
    return rc;
}
