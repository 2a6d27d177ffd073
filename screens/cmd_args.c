/* screens/cmd_args.c: argument checks shared by the commands. */
#include "config.h"

#include <stdio.h>

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
