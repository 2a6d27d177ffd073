/* screens/wizard.h: the install wizard screen. It edits a profile and its
 * secrets page by page, shows validation problems on a review page, and there
 * writes answers.yaml, answers.secrets.yaml (0600) and the rendered files. */
#ifndef SCREENS_WIZARD_H
#define SCREENS_WIZARD_H

#include <stdbool.h>
#include <stddef.h>

#include "screens/screen.h"

struct error;

/* Where the wizard reads and writes (docs/wizard.md "Where the files go"):
 * - neither: ./answers.yaml, its secrets and ./rendered/; existing ones are
 *   opened, never started over;
 * - --workdir DIR: the same in DIR;
 * - --answers FILE: FILE (opened when it exists) and its secrets, and
 *   rendered/ beside FILE, or in DIR when --workdir is given too;
 * - --answers FILE inside the program's assets (a shipped example): FILE is
 *   read, and the copy goes to WORKDIR/answers.yaml (never the assets). */
struct wizard_opts {
    const char *workdir; /* --workdir, or NULL */
    const char *answers; /* --answers, or NULL */
    /* Once the files are written, Review offers "Install now": this makes
     * the screen that installs from the answers file just written (the
     * progress pane), pushed over the wizard; NULL with err when it cannot
     * start (shown on the status line). NULL: no "Install now". */
    struct screen *(*install)(const char *answers_path, void *arg, struct error *err);
    void *install_arg;
};

/* What the wizard did, for the command to report once the terminal is back. */
struct wizard_result {
    bool written; /* the files were written */
    char **files; /* paths written, in order */
    size_t nfiles;
    char **load_problems; /* FILE:LINE:COL: path: message for each problem in --answers */
    size_t nload_problems;
    char *draft;      /* left part-way with a draft of the answers saved here, or NULL */
    char *draft_page; /* the page it stopped at */
    bool installing;  /* "Install now" started an install: the app's status is its outcome */
};

void wizard_result_done(struct wizard_result *r);

/* Creates the wizard screen; with opts->answers, loads that file (and its
 * secrets file) first. A file whose problems are all tied to fields (values
 * that fail validation, unknown keys) still opens, so the wizard can fix it;
 * one that does not parse, or a secrets file that does not load, does not:
 * then it returns NULL with a summary in err and each problem in result.
 * result (may be NULL) is filled as the wizard runs and must outlive it. */
struct screen *wizard_screen_new(const struct wizard_opts *opts, struct wizard_result *result,
                                 struct error *err);

#endif
