/* tui/keys.h: one key code space for every widget and screen. Characters are
 * their Unicode code points; special keys are TUI_KEY_* above Unicode. Also
 * the help line of key hints shown at the bottom of every screen. */
#ifndef TUI_KEYS_H
#define TUI_KEYS_H

#include <ncurses.h>

#define TUI_CTRL(c) ((c)&0x1f)

enum {
    TUI_KEY_NONE = -1,
    TUI_KEY_BASE = 0x110000,
    TUI_KEY_UP,
    TUI_KEY_DOWN,
    TUI_KEY_LEFT,
    TUI_KEY_RIGHT,
    TUI_KEY_HOME,
    TUI_KEY_END,
    TUI_KEY_PGUP,
    TUI_KEY_PGDN,
    TUI_KEY_TAB,
    TUI_KEY_BTAB,
    TUI_KEY_ENTER,
    TUI_KEY_ESC,
    TUI_KEY_BACKSPACE,
    TUI_KEY_DELETE,
    TUI_KEY_RESIZE,
};

/* Reads one key from w without waiting (w must be in nodelay mode); returns
 * TUI_KEY_NONE when nothing is pending. Ctrl-A/E arrive as TUI_CTRL('a'/'e').
 * An escape sequence ncurses does not know is skipped whole, never read as
 * Esc followed by text. */
int tui_key_read(WINDOW *w);
/* Maps an ncurses wget_wch result to a key code (exported for tests). */
int tui_key_from_curses(int rc, wint_t ch);
/* A printable character (not a control or special key). */
int tui_key_is_text(int key);
/* "Tab", "PgDn", "x": for logs and help text; static storage. */
const char *tui_key_name(int key);

/* One hint of the help line: "Tab next". */
struct tui_hint {
    const char *key;   /* "Tab" */
    const char *label; /* "next" */
    const char *ascii; /* key where the locale cannot show it (arrows under LANG=C), or NULL */
};

/* Draws the hints on row y from column 0, cut to the window width. */
void tui_hints_draw(WINDOW *w, int y, const struct tui_hint *hints, int n);

#endif
