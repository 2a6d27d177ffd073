/* tui/bar.h: a progress bar of current out of total in a given number of
 * cells: whole blocks and an eighth-block for the part of a cell where the
 * locale can show them, '#' and '.' where it cannot (LANG=C, vt100). */
#ifndef TUI_BAR_H
#define TUI_BAR_H

#include <stdbool.h>
#include <ncurses.h>

/* The bar as text of exactly width cells (caller frees). unicode false
 * gives the ASCII form. current is clamped to 0..total; total <= 0 gives
 * an empty bar. */
char *tui_bar_text(int width, long current, long total, bool unicode);
/* Draws the bar at (y, x) in width cells, in the locale's form; the filled
 * part in fill, the rest in empty. Returns the cells used. */
int tui_bar_draw(WINDOW *w, int y, int x, int width, long current, long total, attr_t fill,
                 attr_t empty);

#endif
