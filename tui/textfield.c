/* tui/textfield.c: editing a line of wide chars. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/textfield.h"
#include "tui/util.h"

static void tf_reserve(struct tui_textfield *t, size_t n)
{
    if (n + 1 <= t->cap)
        return;
    size_t cap = t->cap ? t->cap : 16;
    while (cap < n + 1)
        cap *= 2;
    wchar_t *nb = tui_xmalloc(cap * sizeof(*nb));
    if (t->buf) {
        memcpy(nb, t->buf, (t->len + 1) * sizeof(*nb));
        memset(t->buf, 0, t->cap * sizeof(*t->buf));
        free(t->buf);
    } else {
        nb[0] = 0;
    }
    t->buf = nb;
    t->cap = cap;
}

void tui_textfield_init(struct tui_textfield *t)
{
    memset(t, 0, sizeof(*t));
    tf_reserve(t, 0);
}

void tui_textfield_done(struct tui_textfield *t)
{
    if (t->buf)
        memset(t->buf, 0, t->cap * sizeof(*t->buf));
    free(t->buf);
    memset(t, 0, sizeof(*t));
}

void tui_textfield_set(struct tui_textfield *t, const char *utf8)
{
    size_t n;
    wchar_t *w = tui_wcs_from_mbs(utf8, &n);
    tf_reserve(t, n);
    memcpy(t->buf, w, (n + 1) * sizeof(*w));
    memset(w, 0, n * sizeof(*w));
    free(w);
    t->len = n;
    t->cursor = n;
    t->scroll = 0;
}

char *tui_textfield_get(const struct tui_textfield *t)
{
    return tui_mbs_from_wcs(t->buf, t->len);
}

static void tf_delete(struct tui_textfield *t, size_t at, size_t n)
{
    if (at >= t->len)
        return;
    if (at + n > t->len)
        n = t->len - at;
    memmove(t->buf + at, t->buf + at + n, (t->len - at - n + 1) * sizeof(*t->buf));
    t->len -= n;
}

enum tui_textfield_result tui_textfield_key(struct tui_textfield *t, int key)
{
    switch (key) {
    case TUI_KEY_LEFT:
        if (t->cursor > 0)
            t->cursor--;
        return TUI_TF_MOVED;
    case TUI_KEY_RIGHT:
        if (t->cursor < t->len)
            t->cursor++;
        return TUI_TF_MOVED;
    case TUI_KEY_HOME:
    case TUI_CTRL('a'):
        t->cursor = 0;
        return TUI_TF_MOVED;
    case TUI_KEY_END:
    case TUI_CTRL('e'):
        t->cursor = t->len;
        return TUI_TF_MOVED;
    case TUI_KEY_BACKSPACE:
        if (t->cursor == 0)
            return TUI_TF_MOVED;
        t->cursor--;
        tf_delete(t, t->cursor, 1);
        return TUI_TF_CHANGED;
    case TUI_KEY_DELETE:
    case TUI_CTRL('d'):
        if (t->cursor >= t->len)
            return TUI_TF_MOVED;
        tf_delete(t, t->cursor, 1);
        return TUI_TF_CHANGED;
    case TUI_CTRL('u'):
        tf_delete(t, 0, t->cursor);
        t->cursor = 0;
        return TUI_TF_CHANGED;
    case TUI_CTRL('k'):
        tf_delete(t, t->cursor, t->len - t->cursor);
        return TUI_TF_CHANGED;
    }
    if (!tui_key_is_text(key))
        return TUI_TF_IGNORED;
    if (t->len >= (t->max ? t->max : TUI_TEXTFIELD_MAX))
        return TUI_TF_FULL;
    tf_reserve(t, t->len + 1);
    memmove(t->buf + t->cursor + 1, t->buf + t->cursor, (t->len - t->cursor + 1) * sizeof(*t->buf));
    t->buf[t->cursor++] = (wchar_t)key;
    t->len++;
    return TUI_TF_CHANGED;
}

/* Whether chars [from, to) and the cursor cell fit in width columns
 * (masked chars are one column); stops counting once they do not. */
static bool tf_fits(const struct tui_textfield *t, size_t from, size_t to, bool mask, int width)
{
    int c = 1;
    for (size_t i = from; i < to; i++) {
        c += mask ? 1 : tui_wchar_cols(t->buf[i]);
        if (c > width)
            return false;
    }
    return true;
}

void tui_textfield_draw(struct tui_textfield *t, WINDOW *w, int y, int x, int width, attr_t attr,
                        bool show_cursor)
{
    if (width <= 0)
        return;
    bool mask = t->masked && !t->revealed;
    if (t->cursor > t->len)
        t->cursor = t->len;
    /* Keep the cursor inside the window, with its cell free at the end.
     * Both steps look at no more than a window's width of chars, so a draw
     * after a long paste costs O(width), not O(len) per char scrolled. */
    if (t->scroll > t->cursor)
        t->scroll = t->cursor;
    if (!tf_fits(t, t->scroll, t->cursor, mask, width)) {
        size_t s = t->cursor;
        int cols = 1;
        while (s > 0) {
            int cw = mask ? 1 : tui_wchar_cols(t->buf[s - 1]);
            if (cols + cw > width)
                break;
            cols += cw;
            s--;
        }
        t->scroll = s;
    }
    tui_fill(w, y, x, width, attr);
    int col = 0;
    for (size_t i = t->scroll; i <= t->len && col < width; i++) {
        wchar_t c = i < t->len ? (mask ? L'*' : t->buf[i]) : L' ';
        int cw = tui_wchar_cols(c);
        if (col + cw > width)
            break;
        bool at_cursor = show_cursor && i == t->cursor;
        if (i == t->len && !at_cursor)
            break;
        tui_putw(w, y, x + col, cw, &c, 1, at_cursor ? (attr ^ A_REVERSE) : attr);
        col += cw;
    }
}
