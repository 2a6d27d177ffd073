/* screens/main.c: entry point. Parses the global options and dispatches to a
 * subcommand; with no subcommand it starts the interactive program. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static int run(int argc, char **argv);

/* A descriptor 0, 1 or 2 closed by the caller (`dify-tui status >&-`) would
 * be the next file opened: the log file or a socket to the API server would
 * get the report. Each is opened on a device instead: 0 on /dev/null, 1 and
 * 2 on /dev/full, so what is written to them fails (and is said) instead of
 * going anywhere. Returns whether stdout was closed. */
static bool keep_std_fds(void)
{
    bool out_closed = false;
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        int n = open(fd == 0 ? "/dev/null" : "/dev/full", fd == 0 ? O_RDONLY : O_WRONLY);
        if (n >= 0 && n != fd) {
            dup2(n, fd);
            close(n);
        }
        if (fd == 1)
            out_closed = true;
    }
    return out_closed;
}

/* Whatever ran, output that did not all reach stdout (a full disk, a
 * closed descriptor) is a failure, said on stderr, never an exit 0 over a
 * truncated report. */
int main(int argc, char **argv)
{
    bool out_closed = keep_std_fds();
    int rc = run(argc, argv);
    const char *cmd = NULL; /* the command's name, past the global options */
    for (int i = 1; i < argc && !cmd; i++) {
        if (argv[i][0] != '-')
            cmd = argv[i];
        else if (!strchr(argv[i], '=') && strcmp(argv[i], "--help") && strcmp(argv[i], "-h") &&
                 strcmp(argv[i], "--version"))
            i++; /* its value */
    }
    if (cmd_stdout_failed(cmd, out_closed) && rc == EXIT_OK)
        rc = EXIT_FAIL;
    return rc;
}

static int run(int argc, char **argv)
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
