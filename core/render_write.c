/* core/render_write.c: the output directory of a rendering. A rendering
 * records what it wrote in DIR/.dify-tui-rendered (SHA-256, mode, path per
 * file), and the next rendering into DIR replaces exactly those files, and
 * only while they are unchanged: anything else under the names a rendering
 * uses (a user's values.yaml, a symlink, a file edited since) makes it refuse
 * before anything is written. Files are staged in DIR/.render-XXXXXX and
 * moved into place only when all were written; a failure moves the old ones
 * back and removes the directories this run created. */
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
#include "core/hash.h"
#include "core/paths.h"
#include "core/render.h"
#include "core/util.h"

/* A rendered file is a few hundred KiB at most; a bigger one is not ours. */
#define RENDERED_FILE_MAX (16u << 20)
#define MANIFEST_MAX (1u << 20)

struct mentry {
    char *path; /* relative, e.g. "manifests/10-secrets.yaml" */
    char hash[HASH_HEX_LEN + 1];
    int mode;
};

struct manifest {
    struct mentry *v;
    size_t n;
};

static void manifest_done(struct manifest *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i].path);
    free(m->v);
    m->v = NULL;
    m->n = 0;
}

static const struct mentry *manifest_find(const struct manifest *m, const char *path)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->v[i].path, path))
            return &m->v[i];
    return NULL;
}

/* A relative path of plain segments: no "/" at either end, no "", "." or
 * ".." segment, no control character. Anything else in a manifest would let
 * it name a file outside DIR. */
static bool rel_path_ok(const char *p)
{
    if (!*p || *p == '/')
        return false;
    for (const char *c = p; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return false;
    const char *s = p;
    while (*s) {
        size_t n = strcspn(s, "/");
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return false;
        s += n;
        if (*s == '/' && !*++s)
            return false;
    }
    return true;
}

static char *top_of(const char *path)
{
    return xstrndup(path, strcspn(path, "/"));
}

char *render_manifest_text(const struct rendered *r)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "# dify-tui: the files the last rendering wrote in this directory.\n"
                     "# The next rendering replaces exactly these, and only while they are\n"
                     "# unchanged; it refuses to touch anything else. SHA-256, mode, path:\n");
    for (size_t i = 0; i < r->n; i++) {
        char hex[HASH_HEX_LEN + 1];
        hash_sha256_hex(r->v[i].data, r->v[i].len, hex);
        strbuf_addf(&sb, "%s %04o %s\n", hex, (unsigned)r->v[i].mode, r->v[i].name);
    }
    return strbuf_detach(&sb, NULL);
}

static int manifest_parse(const char *name, const char *text, struct manifest *m, struct error *err)
{
    int lineno = 0;
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, "\n");
        char *line = xstrndup(p, n);
        p += n + (p[n] == '\n');
        lineno++;
        if (!*line || line[0] == '#') {
            free(line);
            continue;
        }
        unsigned mode;
        int used = 0;
        struct mentry e = {0};
        bool ok = strspn(line, "0123456789abcdef") == HASH_HEX_LEN && line[HASH_HEX_LEN] == ' ' &&
                  sscanf(line + HASH_HEX_LEN + 1, "%o %n", &mode, &used) == 1 && used > 0 &&
                  rel_path_ok(line + HASH_HEX_LEN + 1 + used);
        if (ok) {
            memcpy(e.hash, line, HASH_HEX_LEN);
            e.hash[HASH_HEX_LEN] = '\0';
            e.mode = (int)(mode & 0777);
            e.path = xstrdup(line + HASH_HEX_LEN + 1 + used);
            m->v = xrealloc(m->v, (m->n + 1) * sizeof(*m->v));
            m->v[m->n++] = e;
        }
        free(line);
        if (!ok)
            return error_set(err, ERR_INVALID, 0,
                             "%s:%d: not a line of a dify-tui rendering record; it was changed "
                             "by hand: move the directory's contents away or choose another "
                             "output directory",
                             name, lineno);
    }
    return 0;
}

/* Reads DIR/.dify-tui-rendered when there is one. */
static int manifest_load(const char *dir, struct manifest *m, struct error *err)
{
    m->v = NULL;
    m->n = 0;
    char *path = path_join(dir, RENDER_MANIFEST);
    struct stat st;
    int rc = 0;
    if (lstat(path, &st) < 0) {
        if (errno != ENOENT)
            rc = error_set(err, ERR_IO, errno, "%s: %s", path, strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        rc = error_set(err, ERR_INVALID, 0,
                       "%s: is not a regular file, so it is not dify-tui's record of a "
                       "rendering; move it away",
                       path);
    } else {
        char *text;
        size_t len;
        rc = file_read_all(path, MANIFEST_MAX, &text, &len, err);
        if (rc == 0) {
            if (memchr(text, '\0', len))
                rc = error_set(err, ERR_INVALID, 0, "%s: holds a NUL byte; not a record", path);
            else
                rc = manifest_parse(path, text, m, err);
            free(text);
        }
    }
    free(path);
    if (rc)
        manifest_done(m);
    return rc;
}

/* ---- checking what DIR holds under the names a rendering uses ---- */

struct walk_ctx {
    const char *dir; /* DIR, to make paths relative */
    const struct manifest *old;
    struct error *err;
    int rc;
};

static struct walk_ctx *walk_ctx; /* nftw has no user pointer */

static int check_file(const char *full, const char *rel, const struct manifest *old,
                      struct error *err)
{
    struct stat st;
    if (lstat(full, &st) < 0)
        return error_set(err, ERR_IO, errno, "%s: %s", full, strerror(errno));
    if (S_ISLNK(st.st_mode))
        return error_set(err, ERR_INVALID, 0,
                         "%s: is a symbolic link, and dify-tui never writes through one; "
                         "remove it or choose another output directory",
                         full);
    if (S_ISDIR(st.st_mode))
        return 0;
    if (!S_ISREG(st.st_mode))
        return error_set(err, ERR_INVALID, 0,
                         "%s: is not a regular file, so dify-tui did not write it; move it "
                         "away or choose another output directory",
                         full);
    const struct mentry *e = manifest_find(old, rel);
    if (!e)
        return error_set(err, ERR_INVALID, 0,
                         "%s: was not written by dify-tui (%s does not list it), so it is not "
                         "replaced; move it away or choose another output directory",
                         full, RENDER_MANIFEST);
    char *data;
    size_t len;
    if (file_read_all(full, RENDERED_FILE_MAX, &data, &len, err) < 0)
        return -1;
    char hex[HASH_HEX_LEN + 1];
    hash_sha256_hex(data, len, hex);
    free(data);
    if (strcmp(hex, e->hash) != 0)
        return error_set(err, ERR_INVALID, 0,
                         "%s: was changed since dify-tui wrote it, so it is not replaced; "
                         "keep your copy elsewhere and remove it, or choose another output "
                         "directory",
                         full);
    return 0;
}

static int walk_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    struct walk_ctx *c = walk_ctx;
    const char *rel = path + strlen(c->dir);
    while (*rel == '/')
        rel++;
    c->rc = check_file(path, rel, c->old, c->err);
    return c->rc ? 1 : 0;
}

/* Every name the new rendering writes and every top-level name the last one
 * wrote, each once. */
static size_t collect_tops(const struct rendered *r, const struct manifest *old, char ***out)
{
    char **tops = NULL;
    size_t n = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t count = pass ? old->n : r->n;
        for (size_t i = 0; i < count; i++) {
            char *t = top_of(pass ? old->v[i].path : r->v[i].name);
            bool seen = false;
            for (size_t k = 0; k < n && !seen; k++)
                seen = !strcmp(tops[k], t);
            if (seen) {
                free(t);
                continue;
            }
            tops = xrealloc(tops, (n + 1) * sizeof(*tops));
            tops[n++] = t;
        }
    }
    *out = tops;
    return n;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static bool rendered_has_top(const struct rendered *r, const char *top)
{
    size_t n = strlen(top);
    for (size_t i = 0; i < r->n; i++)
        if (!strncmp(r->v[i].name, top, n) && (r->v[i].name[n] == '\0' || r->v[i].name[n] == '/'))
            return true;
    return false;
}

static int check_tops(const char *dir, char **tops, size_t ntops, const struct manifest *old,
                      struct error *err)
{
    for (size_t i = 0; i < ntops; i++) {
        char *full = path_join(dir, tops[i]);
        struct stat st;
        int rc = 0;
        if (lstat(full, &st) < 0) {
            if (errno != ENOENT)
                rc = error_set(err, ERR_IO, errno, "%s: %s", full, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            struct walk_ctx c = {dir, old, err, 0};
            walk_ctx = &c;
            if (nftw(full, walk_entry, 16, FTW_PHYS) < 0 && c.rc == 0)
                rc = error_set(err, ERR_IO, errno, "%s: %s", full, strerror(errno));
            else
                rc = c.rc;
            walk_ctx = NULL;
        } else {
            rc = check_file(full, tops[i], old, err);
        }
        free(full);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- the output directory itself ---- */

/* Directories a rendering must never be written into: it would mix with
 * the system's or the user's own files, or with the program's assets. */
static int refuse_target(const char *dir, struct error *err)
{
    char *c = paths_canonical(dir);
    if (!c)
        return error_set(err, ERR_IO, errno, "%s: cannot resolve the path: %s", dir,
                         strerror(errno));
    static const char *const system[] = {"/",      "/bin", "/boot", "/dev",  "/etc", "/lib",
                                         "/lib64", "/opt", "/proc", "/root", "/run", "/sbin",
                                         "/srv",   "/sys", "/tmp",  "/usr",  "/var", "/home"};
    int rc = 0;
    for (size_t i = 0; i < ARRAY_LEN(system) && !rc; i++)
        if (!strcmp(c, system[i]))
            rc = error_set(err, ERR_INVALID, 0,
                           "%s: is %s, not a directory of its own; a rendering goes into a "
                           "directory that holds only it, e.g. ./rendered",
                           dir, !strcmp(c, "/") ? "the root directory" : "a system directory");
    const char *home = getenv("HOME");
    char *h = !str_empty(home) ? paths_canonical(home) : NULL;
    if (!rc && h && paths_within(h, c))
        rc = error_set(err, ERR_INVALID, 0,
                       "%s: is %s, not a directory of its own; a rendering goes into a "
                       "directory that holds only it, e.g. ~/dify/rendered",
                       dir, !strcmp(h, c) ? "your home directory" : "above your home directory");
    free(h);
    if (!rc && paths_in_assets(c))
        rc = error_set(err, ERR_INVALID, 0,
                       "%s: is inside the program's assets (%s), which an installation keeps "
                       "read-only; render somewhere else, e.g. ./rendered",
                       dir, paths_assets_dir());
    free(c);
    return rc;
}

int render_out_refused(const char *dir, struct error *err)
{
    char msg[160];
    if (!paths_arg_ok(dir, msg, sizeof(msg)))
        return error_set(err, ERR_INVALID, 0, "output directory: %s", msg);
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return error_set(err, ERR_INVALID, ENOTDIR, "%s: exists and is not a directory", dir);
    } else if (errno == ENOTDIR) {
        return error_set(err, ERR_INVALID, ENOTDIR, "%s: a parent is not a directory", dir);
    } else if (errno != ENOENT) {
        return error_set(err, ERR_IO, errno, "%s: %s", dir, strerror(errno));
    }
    return refuse_target(dir, err);
}

int render_out_open(struct render_out *o, const char *dir, struct error *err)
{
    memset(o, 0, sizeof(*o));
    if (render_out_refused(dir, err))
        return -1;
    struct stat st;
    o->dir = xstrdup(dir);
    /* Create what is missing, outermost first, remembering each one. */
    char *p = xstrdup(dir);
    size_t len = strlen(p);
    for (size_t i = 1; i <= len; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        if (p[i - 1] == '/')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0755) == 0) {
            o->created = xrealloc(o->created, (o->ncreated + 1) * sizeof(*o->created));
            o->created[o->ncreated++] = xstrdup(p);
        } else if (errno != EEXIST) {
            int e = errno;
            error_set(err, ERR_IO, e, "creating output directory %s: %s: %s", dir, p, strerror(e));
            p[i] = c;
            free(p);
            render_out_abandon(o);
            render_out_done(o);
            return -1;
        }
        p[i] = c;
    }
    free(p);
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        error_set(err, ERR_INVALID, ENOTDIR, "%s: exists and is not a directory", dir);
        render_out_abandon(o);
        render_out_done(o);
        return -1;
    }
    /* Writable? Asked now, before anything (a secrets file) is saved. */
    char *probe = path_join(dir, ".probe-XXXXXX");
    int rc = 0;
    if (!mkdtemp(probe))
        rc = error_set(err, ERR_IO, errno, "cannot write in %s: %s", dir, strerror(errno));
    else
        rmdir(probe);
    free(probe);
    if (rc) {
        render_out_abandon(o);
        render_out_done(o);
    }
    return rc;
}

int render_out_check(const struct render_out *o, const struct rendered *r, struct error *err)
{
    struct manifest old;
    if (manifest_load(o->dir, &old, err))
        return -1;
    char **tops;
    size_t ntops = collect_tops(r, &old, &tops);
    int rc = check_tops(o->dir, tops, ntops, &old, err);
    free_list(tops, ntops);
    manifest_done(&old);
    return rc;
}

void render_out_abandon(struct render_out *o)
{
    /* Innermost first; rmdir never removes a directory that holds anything. */
    for (size_t i = o->ncreated; i-- > 0;)
        rmdir(o->created[i]);
}

void render_out_done(struct render_out *o)
{
    free_list(o->created, o->ncreated);
    free(o->dir);
    memset(o, 0, sizeof(*o));
}

/* ---- writing ---- */

static int write_file(const char *path, const char *data, size_t len, int mode, struct error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return error_set(err, ERR_IO, errno, "cannot create %s: %s", path, strerror(errno));
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
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
    if (fchmod(fd, (mode_t)mode) || fsync(fd)) {
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

static int stage_files(const struct rendered *r, const char *stage, struct error *err)
{
    for (size_t i = 0; i < r->n; i++) {
        if (!rel_path_ok(r->v[i].name))
            return error_set(err, ERR_INTERNAL, 0, "rendered file name \"%s\" is not relative",
                             r->v[i].name);
        char *path = path_join(stage, r->v[i].name);
        char *slash = strrchr(path, '/');
        *slash = '\0';
        int rc = dir_make_all(path, 0755, err);
        *slash = '/';
        if (rc == 0)
            rc = write_file(path, r->v[i].data, r->v[i].len, r->v[i].mode, err);
        free(path);
        if (rc)
            return -1;
    }
    char *text = render_manifest_text(r);
    char *mpath = path_join(stage, RENDER_MANIFEST);
    /* 0600: it holds digests of the secret files, and a digest of a file
     * whose only unknown is a short typed password can be searched. */
    int rc = write_file(mpath, text, strlen(text), 0600, err);
    free(mpath);
    free(text);
    return rc;
}

/* Moves each top-level entry into place: the old one (checked to be the last
 * rendering's, unchanged) into the stage, the new one out of it. A failure
 * part-way puts back what was moved. */
static int swap_tops(const struct rendered *r, const char *dir, const char *stage, char **tops,
                     size_t ntops, struct error *err)
{
    size_t done = 0;
    bool *moved_old = xcalloc(ntops + 1, sizeof(bool));
    bool *moved_new = xcalloc(ntops + 1, sizeof(bool));
    int rc = 0;
    for (; done <= ntops && rc == 0; done++) {
        /* The record goes last, so it never lists files that are not there. */
        const char *top = done < ntops ? tops[done] : RENDER_MANIFEST;
        bool have = done < ntops ? rendered_has_top(r, top) : true;
        char *dst = path_join(dir, top);
        char *src = path_join(stage, top);
        char *old = xasprintf("%s/.old-%s", stage, top);
        struct stat st;
        if (lstat(dst, &st) == 0) {
            if (rename(dst, old) != 0)
                rc = error_set(err, ERR_IO, errno, "cannot replace %s: %s", dst, strerror(errno));
            else
                moved_old[done] = true;
        }
        if (rc == 0 && have) {
            if (rename(src, dst) != 0)
                rc = error_set(err, ERR_IO, errno, "cannot move %s into place: %s", dst,
                               strerror(errno));
            else
                moved_new[done] = true;
        }
        free(dst), free(src), free(old);
    }
    if (rc) {
        for (size_t i = done; i-- > 0;) {
            const char *top = i < ntops ? tops[i] : RENDER_MANIFEST;
            char *dst = path_join(dir, top);
            char *src = path_join(stage, top);
            char *old = xasprintf("%s/.old-%s", stage, top);
            if (moved_new[i])
                rename(dst, src);
            if (moved_old[i])
                rename(old, dst);
            free(dst), free(src), free(old);
        }
    }
    free(moved_old);
    free(moved_new);
    return rc;
}

int render_out_write(struct render_out *o, const struct rendered *r, struct error *err)
{
    struct manifest old;
    if (manifest_load(o->dir, &old, err))
        return -1;
    char **tops;
    size_t ntops = collect_tops(r, &old, &tops);
    int rc = check_tops(o->dir, tops, ntops, &old, err);
    manifest_done(&old);
    char *stage = NULL;
    if (rc == 0) {
        stage = path_join(o->dir, ".render-XXXXXX");
        if (!mkdtemp(stage)) {
            rc = error_set(err, ERR_IO, errno, "cannot write in %s: %s", o->dir, strerror(errno));
            free(stage);
            stage = NULL;
        }
    }
    if (rc == 0)
        rc = stage_files(r, stage, err);
    if (rc == 0)
        rc = swap_tops(r, o->dir, stage, tops, ntops, err);
    if (stage) {
        rm_tree(stage);
        free(stage);
    }
    free_list(tops, ntops);
    return rc;
}

int rendered_write(const struct rendered *r, const char *out_dir, struct error *err)
{
    struct render_out o;
    if (render_out_open(&o, out_dir, err))
        return -1;
    int rc = render_out_write(&o, r, err);
    if (rc)
        render_out_abandon(&o);
    render_out_done(&o);
    return rc;
}
