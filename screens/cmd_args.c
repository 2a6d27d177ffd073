/* screens/cmd_args.c: argument checks shared by the commands. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/paths.h"
#include "screens/cmd_args.h"

bool cmd_path_ok(const char *cmd, const char *opt, const char *value)
{
    char msg[160];
    if (paths_arg_ok(value, msg, sizeof(msg)))
        return true;
    fprintf(stderr, "dify-tui %s: %s: %s\n", cmd, opt, msg);
    return false;
}

bool cmd_globals_ok(const char *cmd, const struct global_opts *g)
{
    if (g->kubeconfig && !cmd_path_ok(cmd, "--kubeconfig", g->kubeconfig))
        return false;
    if (g->context && !*g->context) {
        fprintf(stderr, "dify-tui %s: --context: an empty name\n", cmd);
        return false;
    }
    if (g->ns && !*g->ns) {
        fprintf(stderr, "dify-tui %s: --namespace: an empty name\n", cmd);
        return false;
    }
    return true;
}

bool cmd_take_global(int argc, char **argv, int *i, struct global_opts *g)
{
    static const struct {
        const char *flag;
        size_t off;
    } flags[] = {
        {"--kubeconfig", offsetof(struct global_opts, kubeconfig)},
        {"--context", offsetof(struct global_opts, context)},
        {"--namespace", offsetof(struct global_opts, ns)},
        {"-n", offsetof(struct global_opts, ns)},
    };
    for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
        size_t n = strlen(flags[f].flag);
        const char *a = argv[*i];
        const char **dst = (const char **)(void *)((char *)g + flags[f].off);
        if (!strcmp(a, flags[f].flag) && *i + 1 < argc) {
            *dst = argv[++*i];
            return true;
        }
        if (!strncmp(a, flags[f].flag, n) && a[n] == '=') {
            *dst = a + n + 1;
            return true;
        }
    }
    return false;
}
