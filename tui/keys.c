/* tui/keys.c: key decoding (ncurses -> TUI_KEY_*) and the line of key hints. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <wctype.h>

#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/theme.h"
#include "tui/util.h"

int tui_key_from_curses(int rc, wint_t ch)
{
    if (rc == ERR)
        return TUI_KEY_NONE;
    if (rc == KEY_CODE_YES) {
        switch (ch) {
        case KEY_UP:
            return TUI_KEY_UP;
        case KEY_DOWN:
            return TUI_KEY_DOWN;
        case KEY_LEFT:
            return TUI_KEY_LEFT;
        case KEY_RIGHT:
            return TUI_KEY_RIGHT;
        case KEY_HOME:
            return TUI_KEY_HOME;
        case KEY_END:
            return TUI_KEY_END;
        case KEY_PPAGE:
            return TUI_KEY_PGUP;
        case KEY_NPAGE:
            return TUI_KEY_PGDN;
        case KEY_BTAB:
            return TUI_KEY_BTAB;
        case KEY_ENTER:
            return TUI_KEY_ENTER;
        case KEY_BACKSPACE:
            return TUI_KEY_BACKSPACE;
        case KEY_DC:
            return TUI_KEY_DELETE;
        case KEY_RESIZE:
            return TUI_KEY_RESIZE;
        default:
            return TUI_KEY_NONE;
        }
    }
    switch (ch) {
    case '\t':
        return TUI_KEY_TAB;
    case '\r':
    case '\n':
        return TUI_KEY_ENTER;
    case 27:
        return TUI_KEY_ESC;
    case 127:
    case 8:
        return TUI_KEY_BACKSPACE;
    default:
        return (int)ch;
    }
}

/* Inside a bracketed paste (the terminal sends "\033[200~" TEXT
 * "\033[201~" once tui_term_init asked for it): what was pasted is text,
 * never keys. A pasted newline used to be Enter (a field committed, a button
 * pressed) and what followed it commands ('r' revealing a secret, '?', 'q'). */
static bool key_in_paste;

/* Bytes of an escape sequence ncurses did not recognise, after its Esc:
 * CSI ("\033[") runs to a final byte 0x40-0x7e, SS3 ("\033O") takes one
 * more char, anything else (Alt+key) is that one char. Bounded, so a stream
 * of parameter bytes cannot keep the loop here. The paste brackets
 * ("\033[200~", "\033[201~") start and end a paste. */
static void key_skip_sequence(WINDOW *w, int rc, wint_t first)
{
    if (rc != OK || (first != '[' && first != 'O'))
        return;
    char params[8];
    size_t n = 0;
    for (int i = 0; i < 32; i++) {
        wint_t ch = 0;
        if (wget_wch(w, &ch) != OK)
            return;
        if (first == 'O')
            return;
        if (ch >= 0x40 && ch <= 0x7e) {
            params[n] = '\0';
            if (ch == '~' && !strcmp(params, "200"))
                key_in_paste = true;
            else if (ch == '~' && !strcmp(params, "201"))
                key_in_paste = false;
            return;
        }
        if (n < sizeof(params) - 1)
            params[n++] = (char)ch;
    }
}

/* A key read inside a paste: text stays text; newlines and other controls
 * are dropped (a single-line field cannot hold them), a tab is a space. */
static int key_pasted(int key)
{
    if (key == TUI_KEY_TAB)
        return ' ';
    if (key == TUI_KEY_RESIZE)
        return key;
    return tui_key_is_text(key) ? key : TUI_KEY_NONE;
}

int tui_key_read(WINDOW *w)
{
    for (;;) {
        wint_t ch = 0;
        int rc = wget_wch(w, &ch);
        int key = tui_key_from_curses(rc, ch);
        if (key == TUI_KEY_NONE && rc == KEY_CODE_YES)
            continue; /* a key nothing uses (F10): more may be queued behind it */
        if (key != TUI_KEY_ESC && key_in_paste && key != TUI_KEY_NONE) {
            key = key_pasted(key);
            if (key == TUI_KEY_NONE)
                continue;
        }
        if (key != TUI_KEY_ESC)
            return key;
        /* ncurses waited ESCDELAY after the Esc; what is already there came
         * with it, so it is a key's sequence that the terminfo entry does not
         * describe (PgDn under TERM=vt100), not an Esc press and text. */
        wint_t next = 0;
        rc = wget_wch(w, &next);
        if (rc == ERR)
            return TUI_KEY_ESC;
        key_skip_sequence(w, rc, next);
    }
}

int tui_key_is_text(int key)
{
    return key >= 0x20 && key < TUI_KEY_BASE && key != 0x7f && iswprint((wint_t)key);
}

const char *tui_key_name(int key)
{
    static char buf[16];
    switch (key) {
    case TUI_KEY_UP:
        return "Up";
    case TUI_KEY_DOWN:
        return "Down";
    case TUI_KEY_LEFT:
        return "Left";
    case TUI_KEY_RIGHT:
        return "Right";
    case TUI_KEY_HOME:
        return "Home";
    case TUI_KEY_END:
        return "End";
    case TUI_KEY_PGUP:
        return "PgUp";
    case TUI_KEY_PGDN:
        return "PgDn";
    case TUI_KEY_TAB:
        return "Tab";
    case TUI_KEY_BTAB:
        return "S-Tab";
    case TUI_KEY_ENTER:
        return "Enter";
    case TUI_KEY_ESC:
        return "Esc";
    case TUI_KEY_BACKSPACE:
        return "BSpace";
    case TUI_KEY_DELETE:
        return "Delete";
    case TUI_KEY_RESIZE:
        return "Resize";
    }
    if (key >= 0 && key < 0x20)
        snprintf(buf, sizeof(buf), "C-%c", key + 'a' - 1);
    else if (key >= 0x20 && key < 0x7f)
        snprintf(buf, sizeof(buf), "%c", key);
    else
        snprintf(buf, sizeof(buf), "U+%04X", (unsigned)key);
    return buf;
}

void tui_hints_draw(WINDOW *w, int y, const struct tui_hint *hints, int n)
{
    int width = getmaxx(w);
    tui_fill(w, y, 0, width, tui_attr(TUI_HINT));
    int x = 0;
    for (int i = 0; i < n && x < width; i++) {
        const char *key = hints[i].key;
        if (hints[i].ascii && !tui_text_showable(key))
            key = hints[i].ascii;
        int need = tui_text_cols(key) + 1 + tui_text_cols(hints[i].label);
        if (i > 0)
            need += 2;
        if (x + need > width)
            break;
        if (i > 0)
            x += 2;
        x += tui_put(w, y, x, width - x, key, tui_attr(TUI_HINT_KEY));
        x += 1;
        x += tui_put(w, y, x, width - x, hints[i].label, tui_attr(TUI_HINT));
    }
}
