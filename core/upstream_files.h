/* core/upstream_files.h: upstream Dify files an extra file may replace, with
 * the names the api imports from each. A replacement mounted over one of
 * them (extra_files[].mount_path) must define every name, or api and worker
 * fail at start with an ImportError; validation warns when one is missing. */
#ifndef CORE_UPSTREAM_FILES_H
#define CORE_UPSTREAM_FILES_H

#include <stddef.h>

struct upstream_file {
    const char *mount_path;   /* path in the api image */
    const char *const *names; /* NULL-terminated: what the api imports from it */
    const char *source;       /* where the names were read, with versions */
};

extern const struct upstream_file upstream_files[];
extern const size_t upstream_nfiles;

/* The entry for a mount path, or NULL. */
const struct upstream_file *upstream_file_find(const char *mount_path);

/* Whether a Python source defines name at module level (an assignment or
 * annotated assignment at the start of a line, a def or a class). */
int upstream_defines(const char *text, size_t len, const char *name);

#endif
