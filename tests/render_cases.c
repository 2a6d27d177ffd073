/* tests/render_cases.c: renders every fixture case with render_to_dir into
 * OUTBASE/<case>/, for the golden and kubectl tests (tests/render_golden.sh).
 * usage: render_cases DATADIR OUTBASE | render_cases --list */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/render.h"
#include "core/util.h"
#include "tests/render_fixture.h"

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < render_ncases; i++)
            printf("%s\n", render_cases[i].name);
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: render_cases DATADIR OUTBASE | render_cases --list\n");
        return 2;
    }
    struct secrets s;
    render_fixture_secrets(&s);
    int rc = 0;
    for (size_t i = 0; i < render_ncases; i++) {
        struct profile p;
        struct error err;
        error_clear(&err);
        render_case_build(&render_cases[i], argv[1], &p);
        char *dir = path_join(argv[2], render_cases[i].name);
        if (render_to_dir(&p, &s, dir, &err)) {
            fprintf(stderr, "render_cases: %s: %s\n", render_cases[i].name, err.msg);
            rc = 1;
        }
        free(dir);
        profile_done(&p);
    }
    secrets_done(&s);
    return rc;
}
