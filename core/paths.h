/* core/paths.h: where the program finds its data (assets/) and keeps its own
 * state. Assets come from $DIFY_TUI_ASSETS, else the source tree when the
 * binary runs uninstalled, else the installed $(pkgdatadir)/assets. */
#ifndef CORE_PATHS_H
#define CORE_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* The assets directory; the returned string is static. */
const char *paths_assets_dir(void);
/* A file under assets/, e.g. "terraform/variables.tf"; caller frees. */
char *paths_asset(const char *rel);
/* State directory: $DIFY_TUI_STATE, else $XDG_STATE_HOME/dify-tui, else
 * ~/.local/state/dify-tui. Created 0700 on first use; caller frees. */
char *paths_state_dir(void);

/* Whether a path given on the command line or typed into a field can be a
 * path at all: not empty, no control characters (a newline in a path is a
 * pasted mistake), shorter than PATH_MAX. False with the reason in msg. */
bool paths_arg_ok(const char *value, char *msg, size_t msgsz);

#endif
