/* tui/dialog.c: the message and yes/no boxes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/theme.h"
#include "tui/util.h"

void tui_dialog_init(struct tui_dialog *d, enum tui_dialog_kind kind, const char *title,
                     const char *text)
{
    memset(d, 0, sizeof(*d));
    d->kind = kind;
    d->title = tui_xstrdup(title);
    d->text = tui_xstrdup(text);
}

void tui_dialog_done(struct tui_dialog *d)
{
    free(d->title);
    free(d->text);
    memset(d, 0, sizeof(*d));
}

enum tui_dialog_result tui_dialog_key(struct tui_dialog *d, int key)
{
    if (key == TUI_KEY_ESC)
        return TUI_DIALOG_NO;
    if (d->kind == TUI_DIALOG_MESSAGE) {
        if (key == TUI_KEY_ENTER || key == ' ' || key == 'q')
            return TUI_DIALOG_YES;
        return TUI_DIALOG_NONE;
    }
    switch (key) {
    case 'y':
    case 'Y':
        return TUI_DIALOG_YES;
    case 'n':
    case 'N':
        return TUI_DIALOG_NO;
    case TUI_KEY_LEFT:
    case TUI_KEY_RIGHT:
    case TUI_KEY_TAB:
    case TUI_KEY_BTAB:
        d->yes = !d->yes;
        return TUI_DIALOG_NONE;
    case TUI_KEY_ENTER:
        return d->yes ? TUI_DIALOG_YES : TUI_DIALOG_NO;
    }
    return TUI_DIALOG_NONE;
}

void tui_dialog_draw(const struct tui_dialog *d, WINDOW *w)
{
    int cols = getmaxx(w), rows = getmaxy(w);
    /* Measure the text: the widest line and the number of lines. */
    int lines = 0, widest = tui_text_cols(d->title) + 4;
    const char *p = d->text;
    while (p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = tui_xmalloc(n + 1);
        memcpy(line, p, n);
        line[n] = 0;
        int c = tui_text_cols(line);
        free(line);
        if (c > widest)
            widest = c;
        lines++;
        p = nl ? nl + 1 : NULL;
    }
    int bw = widest + 4, bh = lines + 4;
    if (bw < 30)
        bw = 30;
    if (bw > cols)
        bw = cols;
    if (bh > rows)
        bh = rows;
    int by = (rows - bh) / 2, bx = (cols - bw) / 2;
    attr_t a = tui_attr(TUI_DIALOG);
    for (int r = 0; r < bh; r++)
        tui_fill(w, by + r, bx, bw, a);
    tui_frame(w, by, bx, bh, bw, a);
    int tx = bx + 2;
    tui_put(w, by, tx, bw - 4, " ", a);
    int n = tui_put(w, by, tx + 1, bw - 5, d->title, a | A_BOLD);
    tui_put(w, by, tx + 1 + n, 1, " ", a);
    p = d->text;
    for (int l = 0; p && l < bh - 4; l++) {
        const char *nl = strchr(p, '\n');
        size_t k = nl ? (size_t)(nl - p) : strlen(p);
        char *line = tui_xmalloc(k + 1);
        memcpy(line, p, k);
        line[k] = 0;
        tui_put(w, by + 1 + l, tx, bw - 4, line, a);
        free(line);
        p = nl ? nl + 1 : NULL;
    }
    int yb = by + bh - 2;
    if (d->kind == TUI_DIALOG_MESSAGE) {
        tui_put(w, yb, bx + (bw - 6) / 2, 6, "[ OK ]", a | A_REVERSE);
    } else {
        int x0 = bx + (bw - 19) / 2;
        tui_put(w, yb, x0, 7, "[ Yes ]", d->yes ? (a | A_REVERSE) : a);
        tui_put(w, yb, x0 + 11, 6, "[ No ]", d->yes ? a : (a | A_REVERSE));
    }
}
