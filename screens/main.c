/* screens/main.c: entry point. Parses the global options and dispatches to a
 * subcommand; with no subcommand it starts the interactive program. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/paths.h"
#include "core/util.h"
#include "screens/cmd_args.h"
#include "screens/cmd_wizard.h"
#include "screens/cmds.h"
#include "screens/command.h"

static int cmd_version_run(int argc, char **argv, const struct global_opts *g)
{
    printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
    printf("assets: %s (%s)\n", paths_assets_dir(), paths_assets_how());
    return EXIT_OK;
}

static const struct command cmd_version = {"version", "print the version and where the assets are",
                                           "usage: dify-tui version\n", cmd_version_run};

/* The command table: one line per command. The first is the default. */
/* One command per line keeps additions to the table one-line diffs (the
 * marker below must stand alone for clang-format to honour it). */
// clang-format off
const struct command *const commands[] = {
    &cmd_wizard,
    &cmd_version,
    &cmd_validate,
    &cmd_render,
    &cmd_get,
    &cmd_rollout_status,
    &cmd_status,
    &cmd_dashboard,
    &cmd_diagnose,
    &cmd_install,
    &cmd_uninstall,
    &cmd_demo,
    &cmd_upgrade,
    &cmd_history,
    &cmd_completion,
    &cmd_bundle,
};
// clang-format on
const size_t commands_n = sizeof(commands) / sizeof(commands[0]);

static void usage(FILE *f)
{
    fprintf(f, "usage: dify-tui [--kubeconfig FILE] [--context NAME] [--namespace NS] "
               "[COMMAND [ARGS]]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-12s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\n'dify-tui COMMAND --help' shows a command's options.\n");
}

/* Every run appends to STATE/dify-tui.log (0600), so an error shown on the
 * screen is also kept after the screen is gone. Secrets are masked there by
 * the log itself. A log that cannot be opened is not fatal. */
static void open_log(const struct command *cmd)
{
    char *dir = paths_state_dir();
    char *path = path_join(dir, "dify-tui.log");
    if (log_open(path) == 0)
        log_info("%s %s: %s", PACKAGE_NAME, PACKAGE_VERSION, cmd->name);
    free(path);
    free(dir);
}

static int run_command(const struct command *cmd, int argc, char **argv,
                       const struct global_opts *g)
{
    if (!cmd_globals_ok(cmd->name, g))
        return EXIT_BADINPUT;
    /* completion runs on every Tab press: it keeps no log */
    if (cmd == &cmd_completion)
        return cmd->run(argc, argv, g);
    if (cmd != &cmd_demo) /* the demo keeps its log in its own temporary directory */
        open_log(cmd);
    int rc = cmd->run(argc, argv, g);
    log_info("%s: exit %d", cmd->name, rc);
    log_close();
    return rc;
}

/* Takes "--opt VALUE" or "--opt=VALUE" at argv[*i]; returns the value. */
static const char *take_opt(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] == '\0' && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

/* Allocation failure: say so before core aborts. */
static void out_of_memory(size_t n)
{
    fprintf(stderr, "dify-tui: out of memory allocating %zu bytes\n", n);
}

int main(int argc, char **argv)
{
    xalloc_set_failure_hook(out_of_memory);
    struct global_opts g = {0};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *v;
        if ((v = take_opt(argc, argv, &i, "--kubeconfig")))
            g.kubeconfig = v;
        else if ((v = take_opt(argc, argv, &i, "--context")))
            g.context = v;
        else if ((v = take_opt(argc, argv, &i, "--namespace")) ||
                 (v = take_opt(argc, argv, &i, "-n")))
            g.ns = v;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--version")) {
            return cmd_version.run(1, argv, &g);
        } else {
            fprintf(stderr, "dify-tui: unknown option %s\n", argv[i]);
            usage(stderr);
            return EXIT_BADINPUT;
        }
    }
    if (i >= argc)
        return run_command(commands[0], argc - i, argv + i, &g);
    for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
        if (strcmp(argv[i], commands[c]->name) == 0) {
            if (argc - i > 1 && (!strcmp(argv[i + 1], "--help") || !strcmp(argv[i + 1], "-h"))) {
                fputs(commands[c]->usage, stdout);
                return EXIT_OK;
            }
            return run_command(commands[c], argc - i, argv + i, &g);
        }
    }
    fprintf(stderr, "dify-tui: unknown command '%s'\n", argv[i]);
    usage(stderr);
    return EXIT_BADINPUT;
}
