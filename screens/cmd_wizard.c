/* screens/cmd_wizard.c: `dify-tui wizard [--answers FILE] [--workdir DIR]`,
 * also the default command. Runs the wizard screen in the app and, once the
 * terminal is restored, says what was written. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/log.h"
#include "core/util.h"
#include "screens/app.h"
#include "screens/cmd_args.h"
#include "screens/cmd_install.h"
#include "screens/cmd_wizard.h"
#include "screens/progress.h"
#include "screens/wizard.h"

static const char wizard_usage[] =
    "usage: dify-tui wizard [--answers FILE] [--workdir DIR]\n"
    "\n"
    "Asks for everything an installation needs, page by page, then writes\n"
    "  DIR/answers.yaml           the answers (or FILE with --answers, edited in place)\n"
    "  DIR/answers.secrets.yaml   the secrets, mode 0600\n"
    "  DIR/rendered/              the files `dify-tui render` makes from them\n"
    "Answers and secrets already there are opened, never started over; a stored\n"
    "secret is replaced only after a yes.\n"
    "\n"
    "  --answers FILE   open FILE (and FILE's .secrets.yaml); save back to it, with\n"
    "                   rendered/ beside it. One of the program's examples is\n"
    "                   only read: the copy goes to DIR/answers.yaml.\n"
    "  --workdir DIR    where the files go (default: the current directory, or\n"
    "                   FILE's directory with --answers)\n";

/* Install now: the install of the answers just written, behind the
 * progress pane, on the app's loop (screens/progress_launch.c). */
struct wizard_install {
    struct app *app;
    const struct global_opts *g;
};

static struct screen *wizard_install(const char *answers_path, void *arg, struct error *err)
{
    struct wizard_install *wi = arg;
    struct install_opts o = {
        .kind = RUN_INSTALL, .cmd = "install", .answers = answers_path, .g = wi->g};
    return progress_launch(&o, wi->app->loop, NULL, NULL, err);
}

static int cmd_wizard_run(int argc, char **argv, const struct global_opts *g)
{
    struct app app;
    struct wizard_install wi = {.app = &app, .g = g};
    struct wizard_opts opts = {
        .workdir = NULL, .answers = NULL, .install = wizard_install, .install_arg = &wi};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "--answers") || !strcmp(a, "--workdir")) && i + 1 < argc) {
            if (!strcmp(a, "--answers"))
                opts.answers = argv[++i];
            else
                opts.workdir = argv[++i];
        } else if (!strncmp(a, "--answers=", 10)) {
            opts.answers = a + 10;
        } else if (!strncmp(a, "--workdir=", 10)) {
            opts.workdir = a + 10;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(wizard_usage, stdout);
            return EXIT_OK;
        } else {
            fprintf(stderr, "dify-tui wizard: unexpected argument %s\n%s", a, wizard_usage);
            return EXIT_BADINPUT;
        }
    }

    if ((opts.answers && !cmd_path_ok("wizard", "--answers", opts.answers)) ||
        (opts.workdir && !cmd_path_ok("wizard", "--workdir", opts.workdir)))
        return EXIT_BADINPUT;
    struct error err;
    error_clear(&err);
    struct wizard_result result = {0};
    struct screen *s = wizard_screen_new(&opts, &result, &err);
    if (!s) {
        for (size_t i = 0; i < result.nload_problems; i++)
            fprintf(stderr, "%s\n", result.load_problems[i]);
        if (result.nload_problems == 0)
            fprintf(stderr, "dify-tui wizard: %s\n", err.msg);
        wizard_result_done(&result);
        return EXIT_BADINPUT;
    }
    if (app_init(&app, &err) < 0) {
        s->ops->free(s);
        fprintf(stderr, "dify-tui wizard: %s\n", err.msg);
        wizard_result_done(&result);
        /* A terminal that cannot show the screens is the user's to change
         * (exit 2); no terminal at all is the unattended case (exit 1). */
        if (err.code == ERR_INVALID) {
            fprintf(stderr, "dify-tui wizard: run it in a terminal such as xterm, or write the "
                            "answers file by hand and use 'dify-tui render --answers FILE'\n");
            return EXIT_BADINPUT;
        }
        return EXIT_FAIL;
    }
    app_push_now(&app, s);
    int status = app_run(&app);
    app_done(&app);

    if (result.written) {
        printf("wrote:\n");
        for (size_t i = 0; i < result.nfiles; i++)
            printf("  %s\n", result.files[i]);
        if (!result.installing) /* else: how the install ended */
            status = EXIT_OK;
    } else if (result.draft) {
        fprintf(stderr,
                "dify-tui wizard: left part-way; a draft of the answers (no secrets) is in %s:\n"
                "  dify-tui wizard --answers %s   continues at page %s\n",
                result.draft, result.draft, result.draft_page);
        status = EXIT_FAIL;
    } else if (status >= 128) {
        fprintf(stderr, "dify-tui wizard: stopped by signal %d; nothing written\n", status - 128);
    } else {
        fprintf(stderr, "dify-tui wizard: left without writing files\n");
        status = EXIT_FAIL;
    }
    wizard_result_done(&result);
    return status;
}

const struct command cmd_wizard = {"wizard", "answer questions and write the install files",
                                   wizard_usage, cmd_wizard_run};
