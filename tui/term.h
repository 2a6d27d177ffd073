/* tui/term.h: the terminal's life: set up (locale, cbreak, noecho, keypad,
 * nonl, hidden cursor), follow resizes, and restore on every way out (normal
 * teardown, a signal the program routes here, exit() through atexit).
 * A virtual terminal of a fixed size serves the golden-file screen tests. */
#ifndef TUI_TERM_H
#define TUI_TERM_H

#include <stdbool.h>
#include <ncurses.h>

/* Smallest size the screens are laid out for. */
#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24

/* Starts curses on stdin/stdout. colour false forces the monochrome theme
 * (NO_COLOR is checked here as well). Returns -1 with a reason in
 * tui_term_error() when stdin/stdout is not a terminal. */
int tui_term_init(bool colour);
/* Starts curses on a virtual cols x rows terminal that writes nowhere. */
int tui_term_init_virtual(int cols, int rows);
/* Restores the terminal; safe to call twice and from atexit. */
void tui_term_done(void);
const char *tui_term_error(void);
/* The fd to poll for keys. */
int tui_term_fd(void);
/* Asks the kernel for the new size and resizes curses to it (after SIGWINCH). */
void tui_term_resize(void);
/* Current size. */
void tui_term_size(int *cols, int *rows);
/* True when the terminal is below TUI_MIN_COLS x TUI_MIN_ROWS. */
bool tui_term_too_small(void);
/* Clears w and centres "terminal too small: WxH, need 80x24". */
void tui_term_draw_too_small(WINDOW *w);
/* Flushes one frame: wnoutrefresh(w) then doupdate(). */
void tui_term_flush(WINDOW *w);

#endif
