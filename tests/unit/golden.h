/* tests/unit/golden.h: a screen dump against its golden file under
 * tests/data/screens (UPDATE_GOLDEN=1 rewrites it). For cmocka tests that
 * include <cmocka.h> first; golden_compare takes ownership of got. */
#ifndef DIFY_TESTS_GOLDEN_H
#define DIFY_TESTS_GOLDEN_H

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/util.h"

static void golden_compare(const char *name, char *got)
{
    char *path = xasprintf("%s/tests/data/screens/%s.txt", DIFY_SRCDIR, name);
    const char *upd = getenv("UPDATE_GOLDEN");
    struct error err;
    if (upd && *upd && strcmp(upd, "0") != 0)
        assert_int_equal(file_write_atomic(path, got, strlen(got), 0644, &err), 0);
    char *want = NULL;
    size_t len = 0;
    if (file_read_all(path, 1 << 20, &want, &len, &err) < 0) {
        print_message("# %s\n# missing golden: run with UPDATE_GOLDEN=1\n", err.msg);
        fail();
    }
    if (strcmp(got, want) != 0) {
        print_message("# screen differs from %s; got:\n", path);
        for (char *line = strtok(got, "\n"); line; line = strtok(NULL, "\n"))
            print_message("# |%s\n", line);
        fail();
    }
    free(want);
    free(got);
    free(path);
}

#endif
