/* screens/cmd_render.c: `dify-tui render --answers FILE [--secrets FILE] --out DIR`.
 * Loads and validates the answers, loads the secrets (generating and saving
 * the missing ones, so a second render gives identical bytes), and writes
 * every artifact into DIR through core/render_write.c's staged writer.
 *
 * Exit status: 0 rendered; 2 bad input (flags, answers or secrets problems,
 * --out naming something that is not a directory of its own, files in DIR
 * that the last rendering did not write), nothing written; 1 the system
 * failed (the output directory cannot be created or written, the secrets
 * file cannot be saved), nothing partial left in DIR and no directory this
 * run created. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/profile.h"
#include "core/render.h"
#include "core/util.h"
#include "core/validate.h"
#include "screens/cmd_args.h"
#include "screens/cmds.h"

static int print_problems(const struct problems *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        char *line = problem_format(&ps->v[i]);
        fprintf(stderr, "%s\n", line); /* the same lines as `dify-tui validate` */
        free(line);
    }
    return (int)problems_errors(ps);
}

/* --out must be a directory of its own or not exist yet (core/render.h
 * render_out_refused): anything else is a bad flag, refused before anything
 * is read or written. */
static int check_out(const char *out)
{
    struct error err;
    error_clear(&err);
    if (render_out_refused(out, &err) == 0)
        return 0;
    fprintf(stderr, "dify-tui render: --out %s\n", err.msg);
    return -1;
}

static int exit_for(const struct error *err)
{
    return err->code == ERR_INVALID ? EXIT_BADINPUT : EXIT_FAIL;
}

static int parse_args(int argc, char **argv, const char **answers, const char **secrets,
                      const char **out)
{
    for (int i = 1; i < argc; i++) {
        static const char *const names[] = {"--answers", "--secrets", "--out"};
        const char **dst[] = {answers, secrets, out};
        size_t k;
        const char *val = NULL;
        for (k = 0; k < ARRAY_LEN(names); k++) {
            size_t n = strlen(names[k]);
            if (strncmp(argv[i], names[k], n) == 0 && (argv[i][n] == '=' || !argv[i][n])) {
                val = argv[i][n] ? argv[i] + n + 1 : NULL;
                break;
            }
        }
        if (k == ARRAY_LEN(names)) {
            fprintf(stderr, "dify-tui render: unknown argument %s\n%s", argv[i], cmd_render.usage);
            return -1;
        }
        if (!val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "dify-tui render: %s needs a value\n%s", names[k],
                        cmd_render.usage);
                return -1;
            }
            val = argv[++i];
        }
        *dst[k] = val;
    }
    if (!*answers || !*out) {
        fprintf(stderr, "dify-tui render: --answers FILE and --out DIR are required\n%s",
                cmd_render.usage);
        return -1;
    }
    if (!cmd_path_ok("render", "--answers", *answers) ||
        (*secrets && !cmd_path_ok("render", "--secrets", *secrets)) ||
        !cmd_path_ok("render", "--out", *out))
        return -1;
    return 0;
}

static int cmd_render_run(int argc, char **argv, const struct global_opts *g)
{
    const char *answers = NULL, *secrets_arg = NULL, *out = NULL;
    if (parse_args(argc, argv, &answers, &secrets_arg, &out) || check_out(out))
        return EXIT_BADINPUT;

    struct profile p;
    struct secrets s;
    struct problems probs;
    struct error err;
    struct rendered r = {0};
    struct render_out ro = {0};
    bool in_state = false;
    char *secrets_path =
        secrets_arg ? xstrdup(secrets_arg) : secrets_path_default(answers, &in_state);
    int rc = EXIT_BADINPUT;
    bool opened = false;
    problems_init(&probs);
    secrets_init(&s);
    error_clear(&err);

    /* answers_load applies profile_validate to the profile itself. */
    int lrc = answers_load(answers, &p, &probs, &err);
    if (secrets_load(secrets_path, &s, &probs, &err) < 0)
        lrc = -1;
    if (print_problems(&probs) > 0 || lrc < 0) {
        if (probs.n == 0 && error_is_set(&err))
            fprintf(stderr, "dify-tui render: %s\n", err.msg);
        goto out;
    }

    int generated = secrets_fill(&s, &p, &err);
    if (generated < 0) {
        fprintf(stderr, "dify-tui render: %s\n", err.msg);
        rc = EXIT_FAIL;
        goto out;
    }
    /* The rules that need the secrets (paths "secrets.*"); the others were
     * reported by answers_load already. */
    struct problems sp;
    problems_init(&sp);
    profile_validate(&p, &s, &sp);
    size_t nerr = 0;
    for (size_t i = 0; i < sp.n; i++) {
        if (!str_starts_with(sp.v[i].path, "secrets."))
            continue;
        char *line = problem_format(&sp.v[i]);
        fprintf(stderr, "%s: %s\n", secrets_path, line);
        free(line);
        nerr += !sp.v[i].warning;
    }
    problems_done(&sp);
    if (nerr)
        goto out;

    if (render_profile(&p, &s, &r, &err)) {
        fprintf(stderr, "dify-tui render: %s\n", err.msg);
        rc = err.code == ERR_INVALID || err.code == ERR_NOTFOUND || err.code == ERR_PARSE
                 ? EXIT_BADINPUT
                 : EXIT_FAIL;
        goto out;
    }
    /* Save generated secrets before writing, so a rendering on disk always
     * matches the secrets file; but first make sure DIR is usable and holds
     * nothing a rendering would have to replace that it did not write. */
    if (render_out_open(&ro, out, &err)) {
        fprintf(stderr, "dify-tui render: %s\n", err.msg);
        rc = exit_for(&err);
        goto out;
    }
    opened = true;
    if (render_out_check(&ro, &r, &err)) {
        fprintf(stderr, "dify-tui render: %s\n", err.msg);
        rc = exit_for(&err);
        goto out;
    }
    if (generated > 0 && secrets_save(secrets_path, &s, &err)) {
        fprintf(stderr, "dify-tui render: %s\n", err.msg);
        rc = EXIT_FAIL;
        goto out;
    }
    if (render_out_write(&ro, &r, &err)) {
        fprintf(stderr, "dify-tui render: %s\n", err.msg);
        rc = exit_for(&err);
        goto out;
    }
    if (generated > 0)
        printf("generated %d secret%s into %s%s\n", generated, generated == 1 ? "" : "s",
               secrets_path,
               in_state ? " (the state directory: the answers file is one of the program's "
                          "examples, whose directory is not written)"
                        : "");
    printf("rendered %zu files into %s:\n", r.n, out);
    for (size_t i = 0; i < r.n; i++)
        printf("  %04o %s\n", (unsigned)r.v[i].mode, r.v[i].name);
    printf("  (%s lists them: the next rendering replaces exactly these)\n", RENDER_MANIFEST);
    rc = EXIT_OK;
out:
    if (opened) {
        if (rc != EXIT_OK)
            render_out_abandon(&ro); /* only directories this run created, if empty */
        render_out_done(&ro);
    }
    rendered_done(&r);
    problems_done(&probs);
    secrets_done(&s);
    free(secrets_path);
    profile_done(&p); /* answers_load initialises p even when it fails */
    return rc;
}

const struct command cmd_render = {
    "render", "write tfvars, Helm values and manifests for an answers file",
    "usage: dify-tui render --answers FILE [--secrets FILE] --out DIR\n"
    "  Secrets come from --secrets, else FILE's .secrets.yaml beside it (for one\n"
    "  of the program's examples: in the state directory); missing ones are\n"
    "  generated and saved there (0600) so re-renders are identical.\n"
    "  DIR records what it holds in DIR/.dify-tui-rendered; a rendering replaces\n"
    "  only those files, unchanged, and refuses DIR if anything else is in the way.\n"
    "  Exit status: 0 rendered, 1 could not write, 2 bad input (nothing written).\n",
    cmd_render_run};
