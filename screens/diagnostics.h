/* screens/diagnostics.h: the diagnostics screen: the checks grouped by
 * area with a live status while they run, a detail pane with the evidence
 * and the remedy, re-running one check or all, copying the remedy command
 * to the terminal's clipboard, and accepting a bastion's host key after
 * its fingerprint was shown. */
#ifndef SCREENS_DIAGNOSTICS_H
#define SCREENS_DIAGNOSTICS_H

#include <stddef.h>

struct check_def;
struct check_env;
struct diagnose_setup;
struct error;
struct screen;

/* A screen over env (borrowed for the screen's life; env->loop must be the
 * app's). only/nonly select checks as `diagnose --only` does; defs/ndefs
 * replace the built-in table (tests), NULL for the built-in one. The checks
 * start when the screen is entered. NULL with err for an unknown id. */
struct screen *diagnostics_screen_new(struct check_env *env, const char *const *only, size_t nonly,
                                      const struct check_def *defs, size_t ndefs,
                                      struct error *err);
/* The exit status the screen's last run gives (0, 1, 2 as `diagnose`). */
int diagnostics_screen_exit(const struct screen *s);

/* `dify-tui diagnose` on a terminal: the app with this screen until the
 * person leaves. Returns the exit status of the last run. */
int diagnostics_run(struct diagnose_setup *s);

#endif
