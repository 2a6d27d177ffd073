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
#include "core/preflight.h"
#include "core/profile.h"
#include "core/render.h"
#include "core/render_fill.h"
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

struct render_args {
    const char *answers, *secrets, *out;
    const char *tf_dir;    /* --from-terraform DIR */
    const char *tf_output; /* --terraform-output FILE */
};

static int parse_args(int argc, char **argv, struct render_args *a)
{
    const char **answers = &a->answers, **secrets = &a->secrets, **out = &a->out;
    for (int i = 1; i < argc; i++) {
        static const char *const names[] = {"--answers", "--secrets", "--out", "--from-terraform",
                                            "--terraform-output"};
        const char **dst[] = {answers, secrets, out, &a->tf_dir, &a->tf_output};
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
        !cmd_path_ok("render", "--out", *out) ||
        (a->tf_dir && !cmd_path_ok("render", "--from-terraform", a->tf_dir)) ||
        (a->tf_output && !cmd_path_ok("render", "--terraform-output", a->tf_output)))
        return -1;
    if (a->tf_dir && a->tf_output) {
        fprintf(stderr, "dify-tui render: give --from-terraform or --terraform-output, not both\n");
        return -1;
    }
    return 0;
}

/* The Terraform outputs that fill the @@name@@ placeholders, when asked. */
static int load_fill(const struct render_args *a, struct render_fill *f, struct error *err)
{
    if (a->tf_dir)
        return render_fill_from_terraform(f, a->tf_dir, err);
    if (a->tf_output)
        return render_fill_load(f, a->tf_output, err);
    return 0;
}

/* How many files still hold a @@name@@ placeholder. */
static size_t files_with_placeholders(const struct rendered *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        if (memmem(r->v[i].data, r->v[i].len, "@@", 2))
            n++;
    return n;
}

static int cmd_render_run(int argc, char **argv, const struct global_opts *g)
{
    struct render_args a = {0};
    if (parse_args(argc, argv, &a) || check_out(a.out))
        return EXIT_BADINPUT;
    const char *answers = a.answers, *secrets_arg = a.secrets, *out = a.out;

    struct preflight pf;
    struct error err;
    struct render_out ro = {0};
    struct render_fill fill = {0};
    bool in_state = false;
    char *secrets_path =
        secrets_arg ? xstrdup(secrets_arg) : secrets_path_default(answers, &in_state);
    int rc = EXIT_BADINPUT;
    bool opened = false;
    error_clear(&err);

    /* Everything checked before anything is written: `validate` runs the
     * same preflight, so it passes exactly when this goes on to write. */
    int prc = preflight_run(answers, secrets_path, &pf, &err);
    print_problems(&pf.probs);
    if (prc < 0) {
        if (err.code != ERR_INVALID)
            fprintf(stderr, "dify-tui render: %s\n", err.msg);
        rc = err.code == ERR_INVALID || err.code == ERR_NOTFOUND || err.code == ERR_PARSE
                 ? EXIT_BADINPUT
                 : EXIT_FAIL;
        goto out;
    }
    /* The values only Terraform knows, when given (--from-terraform). */
    if (load_fill(&a, &fill, &err) ||
        ((a.tf_dir || a.tf_output) && render_fill_apply(&fill, &pf.r, &err))) {
        fprintf(stderr, "dify-tui render: %s\n", err.msg);
        rc = err.code == ERR_INVALID || err.code == ERR_NOTFOUND || err.code == ERR_PARSE
                 ? EXIT_BADINPUT
                 : EXIT_FAIL;
        goto out;
    }
    struct secrets *s = &pf.s;
    struct rendered *r = &pf.r;
    int generated = pf.generated;
    /* Save generated secrets before writing, so a rendering on disk always
     * matches the secrets file; but first make sure DIR is usable and holds
     * nothing a rendering would have to replace that it did not write. */
    if (render_out_open(&ro, out, &err)) {
        fprintf(stderr, "dify-tui render: %s\n", err.msg);
        rc = exit_for(&err);
        goto out;
    }
    opened = true;
    if (render_out_check(&ro, r, &err)) {
        fprintf(stderr, "dify-tui render: %s\n", err.msg);
        rc = exit_for(&err);
        goto out;
    }
    if (generated > 0 && secrets_save(secrets_path, s, &err)) {
        fprintf(stderr, "dify-tui render: %s\n", err.msg);
        rc = EXIT_FAIL;
        goto out;
    }
    if (render_out_write(&ro, r, &err)) {
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
    printf("rendered %zu files into %s:\n", r->n, out);
    for (size_t i = 0; i < r->n; i++)
        printf("  %04o %s\n", (unsigned)r->v[i].mode, r->v[i].name);
    printf("  (%s lists them: the next rendering replaces exactly these)\n", RENDER_MANIFEST);
    if (a.tf_dir || a.tf_output) {
        printf("filled the @@name@@ placeholders from %s\n",
               a.tf_dir ? "terraform output -json" : a.tf_output);
    } else if (files_with_placeholders(r) > 0) {
        /* Values only Terraform knows: say so instead of leaving a user to
         * find @@db_endpoint@@ in a failed helm run. */
        printf("%zu files hold @@name@@ placeholders (endpoints, account id, bucket) that only\n"
               "exist after `terraform apply`; fill them with\n"
               "  dify-tui render --answers %s --out %s --from-terraform TERRAFORM_DIR\n"
               "(`grep -rl @@ %s` lists them)\n",
               files_with_placeholders(r), answers, out, out);
    }
    rc = EXIT_OK;
out:
    if (opened) {
        if (rc != EXIT_OK)
            render_out_abandon(&ro); /* only directories this run created, if empty */
        render_out_done(&ro);
    }
    preflight_done(&pf); /* initialised even when it fails */
    render_fill_done(&fill);
    free(secrets_path);
    return rc;
}

const struct command cmd_render = {
    "render", "write tfvars, Helm values and manifests for an answers file",
    "usage: dify-tui render --answers FILE [--secrets FILE] --out DIR\n"
    "                       [--from-terraform DIR | --terraform-output FILE]\n"
    "  Secrets come from --secrets, else FILE's .secrets.yaml beside it (for one\n"
    "  of the program's examples: in the state directory); missing ones are\n"
    "  generated and saved there (0600) so re-renders are identical.\n"
    "  DIR records what it holds in DIR/.dify-tui-rendered; a rendering replaces\n"
    "  only those files, unchanged, and refuses DIR if anything else is in the way.\n"
    "  EKS files hold @@name@@ placeholders for values only Terraform knows:\n"
    "  --from-terraform DIR fills them from `terraform output -json` run in DIR,\n"
    "  --terraform-output FILE from that command's saved output.\n"
    "  Exit status: 0 rendered, 1 could not write, 2 bad input (nothing written).\n",
    cmd_render_run};
