/* core/bundle_write.c: the finished bundle as a tar.gz, through libarchive
 * (pax format, gzip), written atomically: a temporary file in the target's
 * directory (mode 0600: a bundle is for the people it is sent to), synced,
 * renamed over the target, and the directory synced. Any failure, or the
 * stop flag, removes the temporary file, so no half-written bundle is ever
 * left under the name asked for.
 *
 * libarchive is loaded (dlopen) when a bundle is written, not linked: it
 * brings libxml2, ICU and libstdc++ with it, 2.5 MB of pages resident in
 * every run of dify-tui (`status`, the dashboard) that never writes a
 * bundle (docs/bench.md). */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/bundle.h"
#include "core/error.h"
#include "core/util.h"

/* The library's soname (libarchive 3's, since 2012). */
#define LIBARCHIVE_SONAME "libarchive.so.13"

/* The functions used, with the types archive.h gives them. */
#define LA_FUNCS(X)                                                                                \
    X(archive_errno)                                                                               \
    X(archive_error_string)                                                                        \
    X(archive_entry_new)                                                                           \
    X(archive_entry_free)                                                                          \
    X(archive_entry_set_pathname)                                                                  \
    X(archive_entry_set_size)                                                                      \
    X(archive_entry_set_filetype)                                                                  \
    X(archive_entry_set_perm)                                                                      \
    X(archive_entry_set_mtime)                                                                     \
    X(archive_write_new)                                                                           \
    X(archive_write_add_filter_gzip)                                                               \
    X(archive_write_set_format_pax_restricted)                                                     \
    X(archive_write_open_fd)                                                                       \
    X(archive_write_header)                                                                        \
    X(archive_write_data)                                                                          \
    X(archive_write_close)                                                                         \
    X(archive_write_free)

static struct {
#define LA_FIELD(f) __typeof__(f) *f;
    LA_FUNCS(LA_FIELD)
#undef LA_FIELD
} la;

/* Loads libarchive once (kept loaded: a bundle may be written again). */
static int la_load(struct error *err)
{
    static void *lib;
    if (lib)
        return 0;
    void *h = dlopen(LIBARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return error_set(err, ERR_NOTFOUND, 0,
                         "writing a bundle needs libarchive (" LIBARCHIVE_SONAME
                         ", Debian package libarchive13): %s",
                         dlerror());
    const char *missing = NULL;
#define LA_SYM(f)                                                                                  \
    if (!missing && !(*(void **)&la.f = dlsym(h, #f)))                                             \
        missing = #f;
    LA_FUNCS(LA_SYM)
#undef LA_SYM
    if (missing) {
        dlclose(h);
        return error_set(err, ERR_IO, 0, "%s has no %s: not the libarchive this was built for",
                         LIBARCHIVE_SONAME, missing);
    }
    lib = h;
    return 0;
}

static int arch_fail(struct archive *a, const char *tmp, struct error *err)
{
    return error_set(err, ERR_IO, la.archive_errno(a), "writing %s: %s", tmp,
                     la.archive_error_string(a) ? la.archive_error_string(a) : "libarchive failed");
}

static int write_entry(struct archive *a, const char *top, const struct bundle_file *f,
                       long long mtime, const char *tmp, struct error *err)
{
    struct archive_entry *e = la.archive_entry_new();
    char *name = xasprintf("%s/%s", top, f->path);
    la.archive_entry_set_pathname(e, name);
    la.archive_entry_set_size(e, (la_int64_t)f->len);
    la.archive_entry_set_filetype(e, AE_IFREG);
    la.archive_entry_set_perm(e, 0600);
    la.archive_entry_set_mtime(e, (time_t)mtime, 0);
    int rc = 0;
    if (la.archive_write_header(a, e) != ARCHIVE_OK) {
        rc = arch_fail(a, tmp, err);
    } else {
        size_t off = 0;
        while (off < f->len) {
            la_ssize_t n = la.archive_write_data(a, f->data + off, f->len - off);
            if (n <= 0) {
                rc = arch_fail(a, tmp, err);
                break;
            }
            off += (size_t)n;
        }
    }
    free(name);
    la.archive_entry_free(e);
    return rc;
}

static void sync_dir_of(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        str_replace(&dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

int bundle_write(const struct bundle *b, const char *path, const volatile sig_atomic_t *stop,
                 struct error *err)
{
    char *tmp = xasprintf("%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        error_set(err, ERR_IO, errno, "cannot create %s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    fchmod(fd, 0600);
    if (la_load(err) < 0) {
        close(fd);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    struct archive *a = la.archive_write_new();
    int rc = 0;
    if (la.archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
        la.archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
        la.archive_write_open_fd(a, fd) != ARCHIVE_OK)
        rc = arch_fail(a, tmp, err);
    for (size_t i = 0; rc == 0 && i < bundle_count(b); i++) {
        if (stop && *stop) {
            rc = error_set(err, ERR_CANCELLED, 0, "interrupted: nothing was written to %s", path);
            break;
        }
        const struct bundle_file *f = bundle_file_at(b, i);
        if (!f->left_out)
            rc = write_entry(a, bundle_top(b), f, 0, tmp, err);
    }
    if (rc == 0 && la.archive_write_close(a) != ARCHIVE_OK)
        rc = arch_fail(a, tmp, err);
    la.archive_write_free(a);
    if (rc == 0 && stop && *stop)
        rc = error_set(err, ERR_CANCELLED, 0, "interrupted: nothing was written to %s", path);
    if (rc == 0 && fsync(fd) < 0)
        rc = error_set(err, ERR_IO, errno, "syncing %s: %s", tmp, strerror(errno));
    if (close(fd) < 0 && rc == 0)
        rc = error_set(err, ERR_IO, errno, "closing %s: %s", tmp, strerror(errno));
    if (rc == 0 && rename(tmp, path) < 0)
        rc =
            error_set(err, ERR_IO, errno, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    if (rc < 0)
        unlink(tmp);
    else
        sync_dir_of(path);
    free(tmp);
    return rc;
}
