/* screens/cmd_validate.c: `dify-tui validate --answers FILE [--secrets FILE]`.
 * Loads and checks an answers file (and optionally its secrets) and prints
 * every problem as FILE:LINE:COL: key.path: message on stderr. Writes
 * nothing. Exit 0 when valid (warnings allowed), 2 on any error. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/error.h"
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

    struct profile p;
    struct problems probs;
    struct error err;
    problems_init(&probs);
    error_clear(&err);
    int rc = answers_load(answers, &p, &probs, &err);
    if (secrets) {
        struct secrets s;
        secrets_init(&s);
        if (secrets_load(secrets, &s, &probs, &err) < 0)
            rc = -1;
        /* The answers were validated without secrets; add the rules that
         * need them (their paths start with "secrets."). */
        struct problems sp;
        problems_init(&sp);
        profile_validate(&p, &s, &sp);
        for (size_t i = 0; i < sp.n; i++) {
            if (!str_starts_with(sp.v[i].path, "secrets."))
                continue;
            problems_add_at(&probs, secrets, 0, 0, sp.v[i].path, "%s", sp.v[i].message);
            probs.v[probs.n - 1].warning = sp.v[i].warning;
        }
        problems_done(&sp);
        secrets_done(&s);
    }
    print_problems(&probs);
    size_t nerr = problems_errors(&probs);
    size_t nwarn = probs.n - nerr;
    if (nerr > 0 || rc < 0) {
        fprintf(stderr, "%s: %zu error%s, %zu warning%s\n", answers, nerr, nerr == 1 ? "" : "s",
                nwarn, nwarn == 1 ? "" : "s");
        rc = EXIT_BADINPUT;
    } else {
        printf("%s: valid%s\n", answers, nwarn ? " (with warnings)" : "");
        rc = EXIT_OK;
    }
    problems_done(&probs);
    profile_done(&p);
    return rc;
}

const struct command cmd_validate = {
    "validate", "check an answers file (and its secrets) without changing anything",
    "usage: dify-tui validate --answers FILE [--secrets FILE]\n"
    "  Prints each problem as FILE:LINE:COL: key.path: message on stderr.\n"
    "  Exit status: 0 valid (warnings allowed), 2 any error.\n",
    cmd_validate_run};
