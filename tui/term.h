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

/* What tui_term_init returns when it cannot start. */
enum { TUI_TERM_NO_TTY = -1, TUI_TERM_UNUSABLE = -2 };

/* Why a call failed, for its caller (tui/ does not know core's struct
 * error; screens/ copies the message into one). May be NULL. */
struct tui_error {
    char msg[512];
};

/* Starts curses on stdin/stdout. colour false forces the monochrome theme
 * (NO_COLOR is checked here as well). Returns TUI_TERM_NO_TTY when stdin or
 * stdout is not a terminal and TUI_TERM_UNUSABLE when the terminal type
 * cannot show the screens (TERM=dumb, an unknown TERM), with the reason in
 * err. Until tui_term_done, a signal that kills the process
 * (SIGSEGV, SIGABRT, ...) first puts the terminal back as it was. */
int tui_term_init(bool colour, struct tui_error *err);
/* Whether terminal type type (NULL: $TERM) can show the screens: it has a
 * terminfo entry, is not a printing or generic type, and can move the cursor.
 * When not, why (may be NULL) gets a sentence that names TERM and what it lacks. */
bool tui_term_usable(const char *type, struct tui_error *why);
/* Starts curses on a virtual cols x rows terminal that writes nowhere. */
int tui_term_init_virtual(int cols, int rows, struct tui_error *err);
/* The same with terminal type type; with keys_fd, the terminal reads its
 * input from a pipe whose write end is stored there (key decoding tests). */
int tui_term_init_test(int cols, int rows, const char *type, int *keys_fd, struct tui_error *err);
/* Restores the terminal; safe to call twice and from atexit. */
void tui_term_done(void);
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
