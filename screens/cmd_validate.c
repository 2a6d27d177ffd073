/* screens/cmd_validate.c: `dify-tui validate --answers FILE [--secrets FILE]`.
 * Runs what `render` runs before it writes (core/preflight.h): the answers,
 * the secrets file render would read (FILE's, or --secrets) and the DIFY_*
 * variables, the secrets render would generate, and a rendering in memory.
 * Prints every problem as FILE:LINE:COL: key.path: message on stderr and
 * writes nothing. Exit 0 when render would write (warnings allowed), 2 on
 * any error in the input, 1 when the system fails. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/preflight.h"
#include "core/profile.h"
#include "core/util.h"
#include "core/validate.h"
#include "screens/cmd_args.h"
#include "screens/cmds.h"

static void print_problems(const struct problems *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        char *line = problem_format(&ps->v[i]);
        fprintf(stderr, "%s\n", line);
        free(line);
    }
}

static int cmd_validate_run(int argc, char **argv, const struct global_opts *g)
{
    const char *answers = NULL, *secrets = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        const char *val = NULL;
        if (!strncmp(a, "--answers", 9) && (a[9] == '=' || !a[9]))
            dst = &answers, val = a[9] ? a + 10 : NULL;
        else if (!strncmp(a, "--secrets", 9) && (a[9] == '=' || !a[9]))
            dst = &secrets, val = a[9] ? a + 10 : NULL;
        else {
            fprintf(stderr, "dify-tui validate: unknown argument %s\n%s", a, cmd_validate.usage);
            return EXIT_BADINPUT;
        }
        if (!val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "dify-tui validate: %s needs a file\n%s", a, cmd_validate.usage);
                return EXIT_BADINPUT;
            }
            val = argv[++i];
        }
        *dst = val;
    }
    if (!answers) {
        fprintf(stderr, "dify-tui validate: --answers FILE is required\n%s", cmd_validate.usage);
        return EXIT_BADINPUT;
    }
    if (!cmd_path_ok("validate", "--answers", answers) ||
        (secrets && !cmd_path_ok("validate", "--secrets", secrets)))
        return EXIT_BADINPUT;

    /* Exactly what `render` checks before it writes (core/preflight.h),
     * with the same secrets file it would read, and nothing written. */
    bool in_state = false;
    char *secrets_path = secrets ? xstrdup(secrets) : secrets_path_default(answers, &in_state);
    struct preflight pf;
    struct error err;
    error_clear(&err);
    int rc = preflight_run(answers, secrets_path, &pf, &err);
    free(secrets_path);
    struct problems probs = pf.probs;
    if (rc < 0 && err.code != ERR_INVALID)
        problems_add_at(&probs, NULL, 0, 0, NULL, "%s", err.msg);
    print_problems(&probs);
    size_t nerr = problems_errors(&probs);
    size_t nwarn = probs.n - nerr;
    bool system =
        rc < 0 && err.code != ERR_INVALID && err.code != ERR_PARSE && err.code != ERR_NOTFOUND;
    if (nerr > 0 || rc < 0) {
        fprintf(stderr, "%s: %zu error%s, %zu warning%s\n", answers, nerr, nerr == 1 ? "" : "s",
                nwarn, nwarn == 1 ? "" : "s");
        rc = system ? EXIT_FAIL : EXIT_BADINPUT;
    } else {
        printf("%s: valid%s\n", answers, nwarn ? " (with warnings)" : "");
        rc = EXIT_OK;
    }
    pf.probs = probs;
    preflight_done(&pf);
    return rc;
}

const struct command cmd_validate = {
    "validate", "check an answers file (and its secrets) without changing anything",
    "usage: dify-tui validate --answers FILE [--secrets FILE]\n"
    "  Checks what `render` checks before writing (the secrets file defaults to\n"
    "  the one render reads), and prints each problem as\n"
    "  FILE:LINE:COL: key.path: message on stderr. Writes nothing.\n"
    "  Exit status: 0 valid (warnings allowed), 2 any error, 1 the system failed.\n",
    cmd_validate_run};
