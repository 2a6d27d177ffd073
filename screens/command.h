/* screens/command.h: the program's subcommands. Each lives in its own file and
 * registers one struct command in the table in screens/main.c. */
#ifndef SCREENS_COMMAND_H
#define SCREENS_COMMAND_H

#include <stddef.h>

/* Options every command accepts (kubeconfig, context, namespace ...). */
struct global_opts {
    const char *kubeconfig; /* --kubeconfig, else $KUBECONFIG, else ~/.kube/config */
    const char *context;    /* --context, else the current context */
    const char *ns;         /* --namespace, else the context's namespace */
};

struct command {
    const char *name;    /* "render" */
    const char *summary; /* one line for --help */
    const char *usage;   /* the full usage text */
    /* argv[0] is the command name. Returns the exit status: 0 ok, 1 failed,
     * 2 bad input (usage, answers file, flags). */
    int (*run)(int argc, char **argv, const struct global_opts *g);
};

/* The command table (screens/main.c), in --help's order; the first is the
 * default. Completion and the manual page are made from it. */
extern const struct command *const commands[];
extern const size_t commands_n;

/* Exit statuses shared by every command. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_BADINPUT = 2 };

#endif
