/* screens/cmd_diagnose.c: `dify-tui diagnose`. On a terminal it opens the
 * diagnostics screen (screens/diagnostics.c); without one, or with --json
 * or --print, it runs the checks (core/checks.h) once and prints them the
 * way gitlab:check does: one line per check, then for what is not ok the
 * evidence, "Try fixing it:" with the command, and where to read more.
 * Exit 0 when every check is ok (or skipped), 1 with warnings, 2 with
 * failures; a usage error is also 2, with the message on stderr. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/checks.h"
#include "core/error.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/cmd_args.h"
#include "screens/cmds.h"
#include "screens/diagnose_setup.h"
#include "screens/diagnostics.h"

static const char diagnose_usage[] =
    "usage: dify-tui diagnose [--answers FILE] [--json | --print] [-v] [--only ID|AREA ...]\n"
    "                         [--db HOST:PORT] [--redis HOST:PORT] [--timeout SECONDS]\n"
    "                         [--known-hosts FILE] [--accept-host-key SHA256:...]\n"
    "                         [--release NAME]\n"
    "  Runs every check of a Dify installation (docs/diagnose.md) and says what is wrong\n"
    "  and the command that fixes it. On a terminal it opens the diagnostics screen;\n"
    "  --print (or no terminal) prints instead, --json prints JSON.\n"
    "  --answers FILE   the installation's answers (and FILE's .secrets.yaml): the\n"
    "                   namespace, the data stores, the bastion, the expected roles\n"
    "  --only ID|AREA   only these checks (DT-401) or areas (cluster, workloads, secrets,\n"
    "                   postgres, redis, daemon, ingress, irsa, migration, remote)\n"
    "  --db, --redis    reach PostgreSQL or Redis at HOST:PORT from here (a port-forward)\n"
    "  --timeout S      each check's deadline (default 30)\n"
    "  --accept-host-key FP  trust the bastion's host key with this fingerprint\n"
    "  -v               the evidence of checks that passed too\n"
    "Exit status: 0 all ok, 1 warnings, 2 failures (or bad input).\n";

static void put_safe(FILE *f, const char *indent, const char *s)
{
    char *safe = textsafe(s, 0, 0);
    fprintf(f, "%s%s\n", indent, safe);
    free(safe);
}

static void print_check(const struct check_def *d, const struct check_result *r, bool verbose)
{
    char *summary = textsafe(r->summary ? r->summary : "", 0, 0);
    printf("  %s %s ... %s: %s\n", d->id, d->title, check_status_name(r->status), summary);
    free(summary);
    bool detail = verbose || r->status == CHECK_WARN || r->status == CHECK_FAIL;
    if (!detail && r->status != CHECK_SKIPPED)
        return;
    for (size_t e = 0; e < r->nevidence; e++)
        put_safe(stdout, "      ", r->evidence[e]);
    if (!detail)
        return;
    if (r->explain)
        put_safe(stdout, "    ", r->explain);
    if (r->try_cmd) {
        printf("    Try fixing it:\n");
        put_safe(stdout, "      ", r->try_cmd);
    }
    if (r->more) {
        printf("    For more information see:\n");
        put_safe(stdout, "      ", r->more);
    }
}

static void print_text(const struct check_run *run, bool verbose)
{
    int area = -1;
    for (size_t i = 0; i < check_run_count(run); i++) {
        const struct check_def *d = check_run_def(run, i);
        if ((int)d->area != area) {
            area = (int)d->area;
            printf("%s%s\n", i ? "\n" : "", check_area_title(d->area));
        }
        print_check(d, check_run_result(run, i), verbose);
    }
    printf("\n%zu ok, %zu warnings, %zu failed, %zu skipped\n", check_run_tally(run, CHECK_OK),
           check_run_tally(run, CHECK_WARN), check_run_tally(run, CHECK_FAIL),
           check_run_tally(run, CHECK_SKIPPED));
}

static void run_changed(struct check_run *r, size_t i, void *arg)
{
    if (i == (size_t)-1)
        loop_stop(arg);
}

static void echo_stderr(const char *level, const char *line)
{
    fprintf(stderr, "%s: %s\n", level, line);
}

static int print_run(struct diagnose_setup *s, bool json, bool verbose)
{
    /* No screen: the client's warnings (insecure-skip-tls-verify ...) go to
     * stderr, so stdout stays the report (or the JSON). */
    log_set_echo(echo_stderr);
    log_set_level(LOG_WARN);
    struct error err;
    error_clear(&err);
    struct check_run *run = check_run_new(&s->env, (const char *const *)s->only, s->nonly,
                                          run_changed, s->env.loop, &err);
    if (!run) {
        fprintf(stderr, "dify-tui diagnose: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    check_run_start(run);
    if (check_run_busy(run))
        loop_run(s->env.loop);
    if (json) {
        char *out = check_run_json(run);
        printf("%s\n", out);
        free(out);
    } else {
        print_text(run, verbose);
    }
    int rc = check_run_exit_code(run);
    check_run_free(run);
    return rc;
}

static int cmd_diagnose_run(int argc, char **argv, const struct global_opts *g)
{
    struct diagnose_setup s;
    bool json = false, print = false, verbose = false;
    int rc = diagnose_setup_parse(&s, argc, argv, g, diagnose_usage, &json, &print, &verbose);
    if (rc != EXIT_OK)
        return rc;
    if (json || print || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        diagnose_setup_connect(&s, NULL);
        rc = print_run(&s, json, verbose);
    } else
        rc = diagnostics_run(&s);
    diagnose_setup_done(&s);
    return rc;
}

const struct command cmd_diagnose = {"diagnose",
                                     "check an installation: what is wrong and how to fix it",
                                     diagnose_usage, cmd_diagnose_run};
