/* tui/term.c: curses start and stop. One terminal per process (curses has
 * global state), so this file keeps the SCREEN and the streams it owns, the
 * terminal modes to put back, and the handlers that put them back when the
 * process dies of a signal the program cannot handle in its loop. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <term.h>

#include "tui/draw.h"
#include "tui/term.h"
#include "tui/theme.h"

static SCREEN *term_screen;
static FILE *term_in, *term_out; /* owned only for the virtual terminal */
static int term_keys_pipe[2] = {-1, -1};
static bool term_virtual;
static bool term_atexit_set;

/* What a fatal-signal handler writes and sets, prepared while it is safe to
 * allocate: the terminal modes from before curses, and the terminfo strings
 * that leave the alternate screen, show the cursor and reset attributes. */
/* xterm's bracketed paste mode (DEC private mode 2004) */
#define TERM_PASTE_ON "\033[?2004h"
#define TERM_PASTE_OFF "\033[?2004l"

static struct termios term_saved_modes;
static bool term_have_modes;
static char term_restore_seq[256];
static size_t term_restore_len;

/* Signals whose default action ends the process and that the loop does not
 * take (it takes INT, TERM, HUP, QUIT, USR1, USR2; PIPE is ignored). */
static const int term_fatal_signals[] = {SIGSEGV, SIGBUS,  SIGFPE,  SIGILL,  SIGABRT, SIGTRAP,
                                         SIGSYS,  SIGXCPU, SIGXFSZ, SIGALRM, SIGPROF, SIGVTALRM};
#define TERM_NFATAL (sizeof(term_fatal_signals) / sizeof(term_fatal_signals[0]))
static struct sigaction term_fatal_old[TERM_NFATAL];
static bool term_fatal_set[TERM_NFATAL];

/* Sequences terminals and multiplexers send for keys that some terminfo
 * entries leave out (vt100 has no PgUp/PgDn/Home/End; tmux sends "\033[4~"
 * for End where xterm's entry says "\033OF"). Bound only where the entry
 * binds nothing, so the entry always wins. */
static const struct {
    const char *seq;
    int key;
} term_extra_keys[] = {
    {"\033[5~", KEY_PPAGE}, {"\033[6~", KEY_NPAGE}, {"\033[1~", KEY_HOME}, {"\033[4~", KEY_END},
    {"\033[7~", KEY_HOME},  {"\033[8~", KEY_END},   {"\033[H", KEY_HOME},  {"\033[F", KEY_END},
    {"\033OH", KEY_HOME},   {"\033OF", KEY_END},    {"\033[3~", KEY_DC},   {"\033[2~", KEY_IC},
    {"\033[Z", KEY_BTAB},   {"\033[A", KEY_UP},     {"\033[B", KEY_DOWN},  {"\033[C", KEY_RIGHT},
    {"\033[D", KEY_LEFT},   {"\033OA", KEY_UP},     {"\033OB", KEY_DOWN},  {"\033OC", KEY_RIGHT},
    {"\033OD", KEY_LEFT},   {"\033OM", KEY_ENTER},
};

static void term_atexit(void)
{
    tui_term_done();
}

/* Appends a terminfo string without its $<..> padding, which only tputs
 * understands. */
static void restore_add(const char *cap)
{
    if (!cap || cap == (char *)-1)
        return;
    for (const char *p = cap; *p && term_restore_len < sizeof(term_restore_seq) - 1; p++) {
        if (p[0] == '$' && p[1] == '<') {
            const char *end = strchr(p, '>');
            if (end) {
                p = end;
                continue;
            }
        }
        term_restore_seq[term_restore_len++] = *p;
    }
}

/* Async-signal-safe: write(2), tcsetattr(3), sigaction(2) and raise(3) only. */
static void term_fatal_handler(int signo)
{
    int saved = errno;
    if (term_restore_len > 0)
        (void)!write(STDOUT_FILENO, term_restore_seq, term_restore_len);
    if (term_have_modes)
        tcsetattr(STDIN_FILENO, TCSADRAIN, &term_saved_modes);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(signo, &dfl, NULL);
    errno = saved;
    /* Delivered with the default action once the handler returns (a fault
     * also happens again at the same instruction). */
    raise(signo);
}

static void term_fatal_install(void)
{
    term_restore_len = 0;
    restore_add(TERM_PASTE_OFF);
    restore_add(exit_attribute_mode);
    restore_add(cursor_normal);
    restore_add(keypad_local);
    restore_add(exit_ca_mode);
    restore_add("\r\n");
    for (size_t i = 0; i < TERM_NFATAL; i++) {
        struct sigaction old, sa;
        if (sigaction(term_fatal_signals[i], NULL, &old) < 0)
            continue;
        /* Leave a handler someone else set (a sanitizer's, a debugger's) or
         * an ignored signal alone. */
        if (old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO))
            continue;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = term_fatal_handler;
        sigemptyset(&sa.sa_mask);
        if (sigaction(term_fatal_signals[i], &sa, NULL) == 0) {
            term_fatal_old[i] = old;
            term_fatal_set[i] = true;
        }
    }
}

static void term_fatal_remove(void)
{
    for (size_t i = 0; i < TERM_NFATAL; i++)
        if (term_fatal_set[i]) {
            sigaction(term_fatal_signals[i], &term_fatal_old[i], NULL);
            term_fatal_set[i] = false;
        }
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
    /* Long enough for a sequence to arrive whole over ssh, short enough that
     * Esc does not feel slow; ESCDELAY in the environment wins. */
    if (!getenv("ESCDELAY"))
        set_escdelay(50);
    for (size_t i = 0; i < sizeof(term_extra_keys) / sizeof(term_extra_keys[0]); i++)
        if (key_defined(term_extra_keys[i].seq) == 0)
            define_key(term_extra_keys[i].seq, term_extra_keys[i].key);
    tui_theme_init(colour && !tui_theme_no_color_env());
    if (!term_atexit_set) {
        atexit(term_atexit);
        term_atexit_set = true;
    }
}

/* Fills err (when there is one) and returns rc. */
static int term_fail(struct tui_error *err, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int term_fail(struct tui_error *err, int rc, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return rc;
}

bool tui_term_usable(const char *type, struct tui_error *why)
{
    const char *shown = type ? type : getenv("TERM");
    if (!shown || !*shown)
        shown = "(unset)";
    TERMINAL *old = cur_term;
    int err = 0;
    if (setupterm(type, STDERR_FILENO, &err) != OK) {
        set_curterm(old);
        if (err == 0)
            return term_fail(why, false,
                             "TERM=%s: no terminfo entry for this terminal type (set TERM to your "
                             "terminal's, e.g. xterm-256color)",
                             shown);
        return term_fail(why, false, "TERM=%s: the terminfo database cannot be found", shown);
    }
    const char *missing = NULL;
    if (hard_copy)
        missing = "it is a printing terminal";
    else if (generic_type)
        missing = "it is a generic type that says nothing of its screen";
    else if (!cursor_address || cursor_address == (char *)-1)
        missing = "it cannot move the cursor (no cup capability)";
    else if (columns > 0 && lines > 0 && lines < 2)
        missing = "it has a single line";
    TERMINAL *mine = cur_term;
    set_curterm(old);
    del_curterm(mine);
    if (missing)
        return term_fail(why, false, "TERM=%s cannot show the screens: %s", shown, missing);
    return true;
}

int tui_term_init(bool colour, struct tui_error *err)
{
    setlocale(LC_ALL, "");
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        return term_fail(err, TUI_TERM_NO_TTY,
                         "the interactive screens need a terminal on stdin and stdout");
    }
    const char *t = getenv("TERM");
    const char *type = t && *t ? NULL : "vt100";
    if (!tui_term_usable(type, err))
        return TUI_TERM_UNUSABLE;
    term_have_modes = tcgetattr(STDIN_FILENO, &term_saved_modes) == 0;
    term_screen = newterm(type, stdout, stdin);
    if (!term_screen) {
        return term_fail(err, TUI_TERM_UNUSABLE, "cannot start the terminal for TERM=%s",
                         t ? t : "(unset)");
    }
    set_term(term_screen);
    term_common_setup(colour);
    term_fatal_install();
    /* bracketed paste: a pasted text arrives marked, so its newlines are
     * not Enter (tui/keys.c); a terminal that does not know the mode ignores
     * it, as terminals ignore private modes they do not have */
    fputs(TERM_PASTE_ON, stdout);
    fflush(stdout);
    return 0;
}

int tui_term_init_test(int cols, int rows, const char *type, int *keys_fd, struct tui_error *err)
{
    term_out = fopen("/dev/null", "w");
    if (keys_fd) {
        if (pipe(term_keys_pipe) < 0) {
            return term_fail(err, -1, "pipe: %s", strerror(errno));
        }
        term_in = fdopen(term_keys_pipe[0], "r");
        *keys_fd = term_keys_pipe[1];
    } else {
        term_in = fopen("/dev/null", "r");
    }
    if (!term_out || !term_in) {
        return term_fail(err, -1, "cannot open the test terminal's streams");
    }
    term_screen = newterm(type, term_out, term_in);
    if (!term_screen) {
        return term_fail(err, -1, "no terminfo entry for %s", type);
    }
    set_term(term_screen);
    term_virtual = true;
    term_common_setup(false);
    resize_term(rows, cols);
    return 0;
}

int tui_term_init_virtual(int cols, int rows, struct tui_error *err)
{
    /* A fixed terminal type so that tests never depend on $TERM. */
    return tui_term_init_test(cols, rows, "xterm", NULL, err);
}

void tui_term_done(void)
{
    if (!term_screen)
        return;
    if (!term_virtual) {
        curs_set(1);
        fputs(TERM_PASTE_OFF, stdout);
        fflush(stdout);
    }
    endwin();
    delscreen(term_screen);
    term_screen = NULL;
    if (term_virtual) {
        fclose(term_out);
        fclose(term_in); /* closes the pipe's read end too */
        term_out = term_in = NULL;
        if (term_keys_pipe[1] >= 0)
            close(term_keys_pipe[1]);
        term_keys_pipe[0] = term_keys_pipe[1] = -1;
        term_virtual = false;
    } else {
        fflush(stdout);
        term_fatal_remove();
        /* endwin restores what curses saved; put back what was there before
         * curses too, in case a library changed the modes since. */
        if (term_have_modes)
            tcsetattr(STDIN_FILENO, TCSADRAIN, &term_saved_modes);
        term_have_modes = false;
    }
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
