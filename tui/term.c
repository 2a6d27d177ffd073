/* tui/term.c: curses start and stop. One terminal per process (curses has
 * global state), so this file keeps the SCREEN and the streams it owns. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tui/draw.h"
#include "tui/term.h"
#include "tui/theme.h"

static SCREEN *term_screen;
static FILE *term_in, *term_out; /* owned only for the virtual terminal */
static bool term_virtual;
static bool term_atexit_set;
static char term_err[256];

static void term_atexit(void)
{
    tui_term_done();
}

static void term_common_setup(bool colour)
{
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    curs_set(0);
    set_escdelay(25);
    tui_theme_init(colour && !tui_theme_no_color_env());
    if (!term_atexit_set) {
        atexit(term_atexit);
        term_atexit_set = true;
    }
}

int tui_term_init(bool colour)
{
    setlocale(LC_ALL, "");
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(term_err, sizeof(term_err),
                 "the interactive screens need a terminal on stdin and stdout");
        return -1;
    }
    const char *t = getenv("TERM");
    term_screen = newterm(t && *t ? NULL : "vt100", stdout, stdin);
    if (!term_screen) {
        snprintf(term_err, sizeof(term_err), "cannot start the terminal for TERM=%s",
                 t ? t : "(unset)");
        return -1;
    }
    set_term(term_screen);
    term_common_setup(colour);
    return 0;
}

int tui_term_init_virtual(int cols, int rows)
{
    term_out = fopen("/dev/null", "w");
    term_in = fopen("/dev/null", "r");
    if (!term_out || !term_in) {
        snprintf(term_err, sizeof(term_err), "cannot open /dev/null");
        return -1;
    }
    /* A fixed terminal type so that tests never depend on $TERM. */
    term_screen = newterm("xterm", term_out, term_in);
    if (!term_screen) {
        snprintf(term_err, sizeof(term_err), "no terminfo entry for xterm");
        return -1;
    }
    set_term(term_screen);
    term_virtual = true;
    term_common_setup(false);
    resize_term(rows, cols);
    return 0;
}

void tui_term_done(void)
{
    if (!term_screen)
        return;
    if (!term_virtual) {
        curs_set(1);
    }
    endwin();
    delscreen(term_screen);
    term_screen = NULL;
    if (term_virtual) {
        fclose(term_out);
        fclose(term_in);
        term_out = term_in = NULL;
        term_virtual = false;
    } else {
        fflush(stdout);
    }
}

const char *tui_term_error(void)
{
    return term_err;
}

int tui_term_fd(void)
{
    return STDIN_FILENO;
}

void tui_term_resize(void)
{
    if (!term_screen || term_virtual)
        return;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resize_term(ws.ws_row, ws.ws_col);
    /* The next frame repaints every cell: old content is meaningless now. */
    clearok(curscr, TRUE);
}

void tui_term_size(int *cols, int *rows)
{
    *cols = COLS;
    *rows = LINES;
}

bool tui_term_too_small(void)
{
    return COLS < TUI_MIN_COLS || LINES < TUI_MIN_ROWS;
}

void tui_term_draw_too_small(WINDOW *w)
{
    char msg[96];
    werase(w);
    int cols = getmaxx(w), rows = getmaxy(w);
    snprintf(msg, sizeof(msg), "terminal too small: %dx%d, need %dx%d", cols, rows, TUI_MIN_COLS,
             TUI_MIN_ROWS);
    int len = (int)strlen(msg);
    int x = cols > len ? (cols - len) / 2 : 0;
    /* On a very narrow terminal the message wraps over the following rows. */
    int y = rows / 2;
    for (int off = 0; off < len && y < rows; y++, x = 0) {
        int n = tui_put(w, y, x, cols - x, msg + off, tui_attr(TUI_ERROR));
        if (n <= 0)
            break;
        off += n;
    }
}

void tui_term_flush(WINDOW *w)
{
    wnoutrefresh(w);
    doupdate();
}
