/* screens/cmd_dashboard.c: `dify-tui dashboard`, the live dashboard
 * (screens/dashboard.h) on the terminal. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/textsafe.h"
#include "screens/app.h"
#include "screens/cmd_args.h"
#include "screens/cmds.h"
#include "screens/dashboard.h"

static const char dash_usage[] =
    "usage: dify-tui dashboard [--read-only] [--journal DIR]\n"
    "  The live dashboard of a Dify install: components, health, pods, rollouts, jobs,\n"
    "  events, logs; k9s's keys (: views, / filter, ? help, Esc back, l logs,\n"
    "  d describe, y yaml, r restart).\n"
    "  --read-only    no actions (restart, rollback, re-run the migration, delete a pod)\n"
    "  --journal DIR  the install's state directory: the components and versions the\n"
    "                 last install deployed (missing ones are shown)\n";

static int cmd_dashboard_run(int argc, char **argv, const struct global_opts *g0)
{
    struct global_opts g = *g0;
    struct dashboard_opts o = {0};
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (cmd_take_global(argc, argv, &i, &g))
            continue;
        if (!strcmp(f, "--read-only"))
            o.read_only = true;
        else if (!strcmp(f, "--journal") && i + 1 < argc)
            o.journal_dir = argv[++i];
        else if (!strncmp(f, "--journal=", 10))
            o.journal_dir = f + 10;
        else if (!strcmp(f, "--help") || !strcmp(f, "-h")) {
            fputs(dash_usage, stdout);
            return EXIT_OK;
        } else {
            fprintf(stderr, "dify-tui dashboard: unknown argument %s\n%s", f, dash_usage);
            return EXIT_BADINPUT;
        }
    }
    if (!cmd_globals_ok("dashboard", &g) ||
        (o.journal_dir && !cmd_path_ok("dashboard", "--journal", o.journal_dir)))
        return EXIT_BADINPUT;
    cmd_heap_for_models();
    o.kubeconfig = g.kubeconfig;
    o.context = g.context;
    o.ns = g.ns;
    struct error err;
    error_clear(&err);
    struct screen *s = dashboard_screen_new(&o, &err);
    if (!s) {
        char *safe = textsafe(err.msg, 0, 0);
        fprintf(stderr, "dify-tui dashboard: %s\n", safe);
        free(safe);
        return EXIT_FAIL;
    }
    struct app app;
    if (app_init(&app, &err) < 0) {
        s->ops->free(s);
        fprintf(stderr, "dify-tui dashboard: %s\n", err.msg);
        /* as the wizard's: a terminal that cannot show the screens is the
         * user's to change (exit 2), no terminal at all is exit 1 */
        if (err.code != ERR_INVALID)
            return EXIT_FAIL;
        fprintf(stderr, "dify-tui dashboard: run it in a terminal such as xterm, or use "
                        "'dify-tui status --watch' for the same report as lines\n");
        return EXIT_BADINPUT;
    }
    app_push_now(&app, s);
    int rc = app_run(&app);
    app_done(&app);
    return rc;
}

const struct command cmd_dashboard = {"dashboard", "the live dashboard of a Dify install",
                                      dash_usage, cmd_dashboard_run};
