/* screens/cmd_history.c: `dify-tui history --answers FILE | --state-dir DIR`:
 * the runs and revisions an install's journal knows (core/history.h), the
 * newest last, as a table. Reading never takes the state directory's lock:
 * it works while an install or upgrade runs.
 *
 * The state directory of an answers file X.yaml is X.state beside it, as
 * `install` keeps it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/history.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/cmd_install.h" /* install_state_dir_for */
#include "screens/cmds.h"

static void when(long long t, char *buf, size_t n)
{
    if (t <= 0) {
        snprintf(buf, n, "-");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static const char *or_dash(const char *s)
{
    return str_empty(s) ? "-" : s;
}

static int history_run_cmd(int argc, char **argv, const struct global_opts *g)
{
    (void)g;
    const char *answers = NULL, *state = NULL;
    for (int i = 1; i < argc; i++) {
        const char **dst = NULL;
        const char *name = argv[i];
        if (strcmp(name, "--answers") == 0)
            dst = &answers;
        else if (strcmp(name, "--state-dir") == 0)
            dst = &state;
        if (!dst) {
            fprintf(stderr, "dify-tui history: unknown option %s\n%s", name, cmd_history.usage);
            return EXIT_BADINPUT;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "dify-tui history: %s needs a value\n", name);
            return EXIT_BADINPUT;
        }
        *dst = argv[++i];
    }
    if (!answers == !state) {
        fprintf(stderr, "dify-tui history: give --answers FILE or --state-dir DIR\n%s",
                cmd_history.usage);
        return EXIT_BADINPUT;
    }
    char *dir = state ? xstrdup(state) : install_state_dir_for(answers);
    struct history h;
    struct error err = {0};
    if (history_load(dir, &h, &err) < 0) {
        fprintf(stderr, "dify-tui history: %s\n", err.msg);
        free(dir);
        return EXIT_FAIL;
    }
    char *safe_dir = textsafe(dir, 0, 0);
    if (h.n == 0) {
        printf("no runs recorded in %s\n", safe_dir);
    } else {
        printf("%-4s %-19s %-9s %-11s %-17s %-12s %-10s %-6s %s\n", "RUN", "STARTED (UTC)", "WHAT",
               "RESULT", "DIFY", "DAEMON", "CHART", "HELM", "MESSAGE");
        for (size_t i = 0; i < h.n; i++) {
            const struct history_run *r = &h.v[i];
            char t[32];
            when(r->started, t, sizeof(t));
            char *chart = r->chart_version ? xasprintf("%s", r->chart_version) : xstrdup("-");
            char *msg = textsafe(or_dash(r->message), 0, 60);
            /* an upgrade names where it went from and to, even when it
             * failed before recording a revision */
            char *dify = r->target_tag ? xasprintf("%s -> %s", or_dash(r->from_tag), r->target_tag)
                                       : xstrdup(or_dash(r->image_tag));
            char *row = xasprintf("%-4zu %-19s %-9s %-11s %-17s %-12s %-10s %-6s %s", i + 1, t,
                                  or_dash(r->what), history_outcome(&h, i), dify,
                                  or_dash(r->daemon_tag), chart, or_dash(r->helm_revision), msg);
            free(dify);
            char *safe = textsafe(row, 0, 0);
            puts(safe);
            free(safe);
            free(row);
            free(msg);
            free(chart);
        }
        const struct history_run *good = history_last_good(&h, h.n);
        if (good)
            printf("\ndeployed now: Dify %s (%s)%s%s\n", or_dash(good->image_tag),
                   or_dash(good->method), good->chart_version ? ", chart " : "",
                   good->chart_version ? good->chart_version : "");
    }
    if (h.torn)
        printf("(%zu journal line%s could not be read: a run was killed while writing)\n", h.torn,
               h.torn == 1 ? "" : "s");
    free(safe_dir);
    history_done(&h);
    free(dir);
    return EXIT_OK;
}

const struct command cmd_history = {
    "history", "list the runs and revisions an install's journal knows",
    "usage: dify-tui history --answers FILE | --state-dir DIR\n"
    "  Lists every install, upgrade and uninstall run recorded in the state\n"
    "  directory (X.state beside the answers file X.yaml): when it started, how\n"
    "  it ended (installed, upgraded, rolled back, restored, removed, failed,\n"
    "  stopped), and the revision it deployed (Dify and plugin daemon tags, the\n"
    "  chart version and Helm's revision number); an upgrade shows OLD -> NEW.\n",
    history_run_cmd};
