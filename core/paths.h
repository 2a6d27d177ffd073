/* core/paths.h: where the program finds its data (assets/) and keeps its own
 * state. Assets come from $DIFY_TUI_ASSETS, else relative to the running
 * program (PREFIX/share/dify-tui/assets beside PREFIX/bin, or the build
 * tree the program sits in), else the compiled-in install prefix; never from
 * a compiled-in build directory, so a copied clone reads its own. */
#ifndef CORE_PATHS_H
#define CORE_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* The assets directory; the returned string is static. */
const char *paths_assets_dir(void);
/* How it was found, for `dify-tui version` ("installed, relative to the
 * program", "from $DIFY_TUI_ASSETS", ...); static. */
const char *paths_assets_how(void);
/* A file under assets/, e.g. "terraform/variables.tf"; caller frees. */
char *paths_asset(const char *rel);
/* State directory: $DIFY_TUI_STATE, else $XDG_STATE_HOME/dify-tui, else
 * ~/.local/state/dify-tui. Created 0700 on first use; caller frees. */
char *paths_state_dir(void);

/* Whether a path given on the command line or typed into a field can be a
 * path at all: not empty, no control characters (a newline in a path is a
 * pasted mistake), shorter than PATH_MAX. False with the reason in msg. */
bool paths_arg_ok(const char *value, char *msg, size_t msgsz);

/* The absolute, symlink-free form of path, which need not exist: the
 * realpath of its longest existing prefix with the rest appended ("." and
 * ".." resolved by text). NULL when no prefix resolves; caller frees. */
char *paths_canonical(const char *path);
/* True when path is dir or inside it (both canonicalised). */
bool paths_within(const char *path, const char *dir);
/* True when path is in the assets tree (paths_assets_dir()). */
bool paths_in_assets(const char *path);

#endif
