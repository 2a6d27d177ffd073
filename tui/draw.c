/* tui/draw.c: the only place widgets put characters on a window. Wide chars go
 * through setcchar/wadd_wch so UTF-8 and double-width text clip correctly. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/draw.h"
#include "tui/util.h"

int tui_putw(WINDOW *w, int y, int x, int maxw, const wchar_t *s, size_t n, attr_t attr)
{
    int width = getmaxx(w);
    if (y < 0 || y >= getmaxy(w) || x < 0 || x >= width)
        return 0;
    if (x + maxw > width)
        maxw = width - x;
    int used = 0;
    wmove(w, y, x);
    for (size_t i = 0; i < n; i++) {
        wchar_t c = s[i];
        int cw = 1;
        if (c < 0x20 || c == 0x7f) {
            c = L'?';
        } else if (c >= 0x80) { /* ASCII is one column wherever it is drawn */
            c = tui_glyph(c);
            cw = tui_wchar_cols(c);
        }
        if (cw == 0)
            continue; /* combining marks are not worth the complexity here */
        if (used + cw > maxw)
            break;
        cchar_t cc;
        wchar_t str[2] = {c, 0};
        setcchar(&cc, str, attr, PAIR_NUMBER(attr), NULL);
        wadd_wch(w, &cc);
        used += cw;
    }
    return used;
}

int tui_put(WINDOW *w, int y, int x, int maxw, const char *s, attr_t attr)
{
    /* a cell or a line of a frame fits on the stack: no allocation a call */
    wchar_t buf[512];
    size_t len = s ? strlen(s) : 0;
    wchar_t *ws = len < sizeof(buf) / sizeof(buf[0]) ? buf : tui_xmalloc((len + 1) * sizeof(*ws));
    size_t n = tui_wcs_from_mbs_n(s ? s : "", len, ws);
    int used = tui_putw(w, y, x, maxw, ws, n, attr);
    if (ws != buf)
        free(ws);
    return used;
}

int tui_wrap(const wchar_t *ws, size_t n, int width, int indent, struct tui_wrap_line *out, int max)
{
    if (width <= 0)
        return 0;
    if (indent >= width)
        indent = 0;
    size_t pos = 0;
    int lines = 0;
    while (pos < n) {
        int w = lines == 0 ? width : width - indent;
        /* Take as many chars as fit, then back up to the last space. */
        size_t end = pos, brk = 0;
        int cols = 0;
        while (end < n && cols + tui_wchar_cols(ws[end]) <= w) {
            cols += tui_wchar_cols(ws[end]);
            if (ws[end] == L' ')
                brk = end;
            end++;
        }
        if (end == pos)
            end = pos + 1; /* a char wider than the line: it still takes a line */
        size_t next = end;
        if (end < n && ws[end] == L' ') {
            next = end + 1; /* the last word fits exactly */
        } else if (end < n && brk > pos) {
            end = brk;
            next = brk + 1;
        }
        if (lines < max && out) {
            out[lines].start = pos;
            out[lines].len = end - pos;
        }
        lines++;
        pos = next;
        while (pos < n && ws[pos] == L' ')
            pos++;
    }
    return lines;
}

/* The mark that ends a line cut short: an ellipsis where the locale can show it. */
static wchar_t cut_mark(void)
{
    return wcwidth(L'\u2026') == 1 ? L'\u2026' : L'~';
}

int tui_put_wrapped_indent(WINDOW *w, int y, int x, int width, int indent, int maxlines,
                           const char *s, attr_t attr)
{
    if (width <= 0 || maxlines <= 0)
        return 0;
    size_t n;
    wchar_t *ws = tui_wcs_from_mbs(s, &n);
    struct tui_wrap_line *lines = tui_xmalloc((size_t)maxlines * sizeof(*lines));
    int total = tui_wrap(ws, n, width, indent, lines, maxlines);
    int shown = total < maxlines ? total : maxlines;
    for (int i = 0; w && i < shown; i++) {
        int lx = i == 0 || indent >= width ? x : x + indent;
        int lw = i == 0 || indent >= width ? width : width - indent;
        int used = tui_putw(w, y + i, lx, lw, ws + lines[i].start, lines[i].len, attr);
        if (i == shown - 1 && total > shown) {
            /* Cut: say so in the last column rather than end mid-word silently. */
            wchar_t mark = cut_mark();
            tui_putw(w, y + i, lx + (used < lw ? used : lw - 1), 1, &mark, 1, attr);
        }
    }
    free(lines);
    free(ws);
    return shown;
}

int tui_put_wrapped(WINDOW *w, int y, int x, int width, int maxlines, const char *s, attr_t attr)
{
    return tui_put_wrapped_indent(w, y, x, width, 0, maxlines, s, attr);
}

int tui_text_lines(const char *s, int width, int indent)
{
    size_t n;
    wchar_t *ws = tui_wcs_from_mbs(s, &n);
    int lines = tui_wrap(ws, n, width, indent, NULL, 0);
    free(ws);
    return lines;
}

void tui_fill(WINDOW *w, int y, int x, int width, attr_t attr)
{
    int max = getmaxx(w);
    if (y < 0 || y >= getmaxy(w) || x >= max)
        return;
    if (x + width > max)
        width = max - x;
    wattrset(w, attr);
    mvwhline(w, y, x, ' ', width);
    wattrset(w, A_NORMAL);
}

void tui_frame(WINDOW *w, int y, int x, int h, int width, attr_t attr)
{
    if (h < 2 || width < 2)
        return;
    wattrset(w, attr);
    mvwaddch(w, y, x, '+');
    mvwhline(w, y, x + 1, '-', width - 2);
    mvwaddch(w, y, x + width - 1, '+');
    for (int r = 1; r < h - 1; r++) {
        mvwaddch(w, y + r, x, '|');
        mvwaddch(w, y + r, x + width - 1, '|');
    }
    mvwaddch(w, y + h - 1, x, '+');
    mvwhline(w, y + h - 1, x + 1, '-', width - 2);
    mvwaddch(w, y + h - 1, x + width - 1, '+');
    wattrset(w, A_NORMAL);
}

char *tui_dump(WINDOW *w)
{
    int rows = getmaxy(w), cols = getmaxx(w);
    size_t cap = (size_t)rows * ((size_t)cols * MB_CUR_MAX + 1) + 1;
    char *out = tui_xmalloc(cap);
    size_t o = 0;
    wchar_t *line = tui_xmalloc(((size_t)cols + 1) * sizeof(*line));
    for (int y = 0; y < rows; y++) {
        size_t n = 0;
        for (int x = 0; x < cols; x++) {
            cchar_t cc;
            if (mvwin_wch(w, y, x, &cc) == ERR)
                break;
            wchar_t wc[CCHARW_MAX + 1];
            attr_t a;
            short pair;
            if (getcchar(&cc, wc, &a, &pair, NULL) == ERR || wc[0] == 0)
                continue; /* the right half of a double-width char */
            line[n++] = wc[0];
            x += tui_wchar_cols(wc[0]) > 1 ? 1 : 0;
        }
        while (n > 0 && line[n - 1] == L' ')
            n--;
        char *mb = tui_mbs_from_wcs(line, n);
        size_t k = strlen(mb);
        memcpy(out + o, mb, k);
        o += k;
        out[o++] = '\n';
        free(mb);
    }
    out[o] = 0;
    free(line);
    return out;
}
