/* tui/errorbox.h: the box a failure is shown in. It says what failed, what
 * to try and the last lines the failing work printed, with the keys that
 * act on it along its bottom edge; it stays up until the person closes it or
 * acts (the caller decides), never because more output arrived. Long
 * messages wrap; the lines are cut to the box and scroll (Up/Down,
 * PgUp/PgDn, Home/End) when there are more than fit.
 *
 * Strings are taken as they are given: the caller makes them safe to draw
 * first (screens/ passes them through core/textsafe). */
#ifndef TUI_ERRORBOX_H
#define TUI_ERRORBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <ncurses.h>

#include "tui/keys.h"

struct tui_errorbox {
    char *title;       /* on the frame: "Rollouts failed" */
    char *message;     /* what failed */
    char *hint;        /* what to try, or NULL */
    char *lines_title; /* "Last output", "Log of pod ..." */
    char **lines;
    size_t nlines;
    const struct tui_hint *keys; /* shown on the bottom edge; borrowed */
    int nkeys;
    int scroll; /* lines hidden below the last one shown: 0 shows the end */
    int shown;  /* lines the last draw had room for (paging) */
};

void tui_errorbox_init(struct tui_errorbox *b);
void tui_errorbox_done(struct tui_errorbox *b);
/* Replaces the contents (copied) and scrolls to the last line. */
void tui_errorbox_set(struct tui_errorbox *b, const char *title, const char *message,
                      const char *hint, const char *lines_title, const char *const *lines,
                      size_t nlines);
void tui_errorbox_set_keys(struct tui_errorbox *b, const struct tui_hint *keys, int n);
/* Scrolls the lines; true when the key was one of those. */
bool tui_errorbox_key(struct tui_errorbox *b, int key);
/* Draws the box centred in the h x width area at (y, x), as wide as the
 * area allows up to 100 columns. */
void tui_errorbox_draw(struct tui_errorbox *b, WINDOW *w, int y, int x, int h, int width);

#endif
