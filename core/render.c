/* core/render.c: the render driver and the writer of a rendered set.
 * render_profile picks the artifacts for target and method; rendered_write
 * stages every file in a private directory inside out_dir and moves them into
 * place only when all were written, so a failed run leaves nothing partial. */
#include "config.h"

#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/render.h"
#include "core/render_manifests.h"
#include "core/render_tf.h"
#include "core/render_util.h"
#include "core/render_values.h"
#include "core/util.h"

/* Every top-level name a rendering may contain: names of an earlier render
 * that this one does not produce are removed, so the directory always shows
 * exactly one rendering (e.g. after switching from helm to manifests). */
static const char *const render_top_names[] = {
    "terraform.tfvars.json", "secrets.tfvars.json", "values.yaml",
    "values-secrets.yaml",   "manifests",
};

void rendered_done(struct rendered *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].name);
        if (r->v[i].mode == 0600)
            str_free_secret(r->v[i].data);
        else
            free(r->v[i].data);
    }
    free(r->v);
    r->v = NULL;
    r->n = 0;
}

static int rendered_cmp(const void *a, const void *b)
{
    const struct rendered_file *x = a, *y = b;
    return strcmp(x->name, y->name);
}

int render_profile(const struct profile *p, const struct secrets *s, struct rendered *out,
                   struct error *err)
{
    out->v = NULL;
    out->n = 0;
    int rc = 0;
    if (p->target == TARGET_EKS)
        rc = render_tfvars(p, s, out, err);
    if (rc == 0 && p->method == METHOD_HELM)
        rc = render_values(p, s, out, err);
    if (rc == 0)
        rc = render_manifests(p, s, out, err);
    if (rc)
        rendered_done(out);
    else /* one stable order for listings, whatever order renderers add in */
        qsort(out->v, out->n, sizeof(*out->v), rendered_cmp);
    return rc;
}

static int write_file(const char *path, const struct rendered_file *f, struct error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return error_set(err, ERR_IO, errno, "cannot create %s: %s", path, strerror(errno));
    size_t off = 0;
    while (off < f->len) {
        ssize_t w = write(fd, f->data + off, f->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            int e = errno;
            close(fd);
            return error_set(err, ERR_IO, e, "cannot write %s: %s", path, strerror(e));
        }
        off += (size_t)w;
    }
    /* fchmod after creation: the umask must not change the modes the
     * secrets rule depends on. */
    if (fchmod(fd, (mode_t)f->mode) || fsync(fd)) {
        int e = errno;
        close(fd);
        return error_set(err, ERR_IO, e, "cannot finish %s: %s", path, strerror(e));
    }
    if (close(fd))
        return error_set(err, ERR_IO, errno, "cannot close %s: %s", path, strerror(errno));
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void rm_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static bool set_has_top(const struct rendered *r, const char *top)
{
    size_t n = strlen(top);
    for (size_t i = 0; i < r->n; i++)
        if (strncmp(r->v[i].name, top, n) == 0 &&
            (r->v[i].name[n] == '\0' || r->v[i].name[n] == '/'))
            return true;
    return false;
}

int rendered_write(const struct rendered *r, const char *out_dir, struct error *err)
{
    struct stat st;
    bool created = false;
    int rc = -1;
    char *stage = NULL;

    if (stat(out_dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return error_set(err, ERR_INVALID, ENOTDIR, "%s exists and is not a directory",
                             out_dir);
    } else if (errno == ENOENT) {
        if (dir_make_all(out_dir, 0755, err))
            return error_prefix(err, "creating output directory %s", out_dir);
        created = true;
    } else {
        return error_set(err, ERR_IO, errno, "%s: %s", out_dir, strerror(errno));
    }

    stage = path_join(out_dir, ".render-XXXXXX");
    if (!mkdtemp(stage)) {
        error_set(err, ERR_IO, errno, "cannot write in %s: %s", out_dir, strerror(errno));
        free(stage);
        stage = NULL;
        goto out;
    }
    for (size_t i = 0; i < r->n; i++) {
        char *path = path_join(stage, r->v[i].name);
        char *slash = strrchr(path, '/');
        *slash = '\0';
        int mk = dir_make_all(path, 0755, err);
        *slash = '/';
        if (mk == 0)
            mk = write_file(path, &r->v[i], err);
        free(path);
        if (mk)
            goto out;
    }
    /* Everything is on disk: swap each top-level entry into place. A
     * directory cannot be replaced by rename(2), so the old one is first
     * moved into the staging area, which is removed at the end. */
    for (size_t i = 0; i < ARRAY_LEN(render_top_names); i++) {
        const char *top = render_top_names[i];
        char *dst = path_join(out_dir, top);
        char *src = path_join(stage, top);
        char *old = xasprintf("%s/.old-%s", stage, top);
        bool have = set_has_top(r, top);
        if (lstat(dst, &st) == 0 && (S_ISDIR(st.st_mode) || !have))
            if (rename(dst, old) != 0) {
                error_set(err, ERR_IO, errno, "cannot replace %s: %s", dst, strerror(errno));
                free(dst), free(src), free(old);
                goto out;
            }
        if (have && rename(src, dst) != 0) {
            error_set(err, ERR_IO, errno, "cannot move %s into place: %s", dst, strerror(errno));
            free(dst), free(src), free(old);
            goto out;
        }
        free(dst), free(src), free(old);
    }
    rc = 0;
out:
    if (stage) {
        rm_tree(stage);
        free(stage);
    }
    if (rc && created)
        rmdir(out_dir);
    return rc;
}

int render_to_dir(const struct profile *p, const struct secrets *s, const char *out_dir,
                  struct error *err)
{
    struct rendered r;
    if (render_profile(p, s, &r, err))
        return -1;
    int rc = rendered_write(&r, out_dir, err);
    rendered_done(&r);
    return rc;
}
