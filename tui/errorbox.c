/* tui/errorbox.c: the failure box (see errorbox.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/errorbox.h"
#include "tui/keys.h"
#include "tui/theme.h"
#include "tui/util.h"

#define BOX_MAX_WIDTH 100
#define TEXT_MAX_LINES 4 /* of the message, and of the hint */

void tui_errorbox_init(struct tui_errorbox *b)
{
    memset(b, 0, sizeof(*b));
}

static void clear_lines(struct tui_errorbox *b)
{
    for (size_t i = 0; i < b->nlines; i++)
        free(b->lines[i]);
    free(b->lines);
    b->lines = NULL;
    b->nlines = 0;
}

void tui_errorbox_done(struct tui_errorbox *b)
{
    free(b->title);
    free(b->message);
    free(b->hint);
    free(b->lines_title);
    clear_lines(b);
    memset(b, 0, sizeof(*b));
}

void tui_errorbox_set(struct tui_errorbox *b, const char *title, const char *message,
                      const char *hint, const char *lines_title, const char *const *lines,
                      size_t nlines)
{
    tui_str_set(&b->title, title);
    tui_str_set(&b->message, message);
    tui_str_set(&b->hint, hint);
    tui_str_set(&b->lines_title, lines_title);
    clear_lines(b);
    if (nlines) {
        b->lines = tui_xmalloc(nlines * sizeof(*b->lines));
        for (size_t i = 0; i < nlines; i++)
            b->lines[i] = tui_xstrdup(lines[i] ? lines[i] : "");
    }
    b->nlines = nlines;
    b->scroll = 0;
}

void tui_errorbox_set_keys(struct tui_errorbox *b, const struct tui_hint *keys, int n)
{
    b->keys = keys;
    b->nkeys = n;
}

bool tui_errorbox_key(struct tui_errorbox *b, int key)
{
    int max = b->nlines > (size_t)b->shown ? (int)b->nlines - b->shown : 0;
    int page = b->shown > 1 ? b->shown - 1 : 1;
    switch (key) {
    case TUI_KEY_UP:
        b->scroll++;
        break;
    case TUI_KEY_DOWN:
        b->scroll--;
        break;
    case TUI_KEY_PGUP:
        b->scroll += page;
        break;
    case TUI_KEY_PGDN:
        b->scroll -= page;
        break;
    case TUI_KEY_HOME:
        b->scroll = max;
        break;
    case TUI_KEY_END:
        b->scroll = 0;
        break;
    default:
        return false;
    }
    if (b->scroll > max)
        b->scroll = max;
    if (b->scroll < 0)
        b->scroll = 0;
    return true;
}

/* Lines a text takes wrapped at width, at most TEXT_MAX_LINES. */
static int text_lines(const char *s, int width, int indent)
{
    if (!s || !*s)
        return 0;
    int n = tui_text_lines(s, width, indent);
    return n > TEXT_MAX_LINES ? TEXT_MAX_LINES : n;
}

void tui_errorbox_draw(struct tui_errorbox *b, WINDOW *w, int y, int x, int h, int width)
{
    int bw = width < BOX_MAX_WIDTH ? width : BOX_MAX_WIDTH;
    int iw = bw - 4; /* inside, with a column of margin on each side */
    if (iw < 10 || h < 6)
        return;
    int msg = text_lines(b->message, iw, 0);
    int hint = text_lines(b->hint, iw - 5, 0);
    /* frame (the keys are on its bottom edge), message, blank and hint,
     * blank, the lines' title, the lines */
    int fixed = 2 + msg + (hint ? 1 + hint : 0) + 1 + 1;
    int want = fixed + (int)b->nlines;
    int bh = want < h ? want : h;
    int room = bh - fixed; /* lines of output shown */
    if (room < 0) {
        /* Not even the text fits: the hint goes first, then the message. */
        hint = 0;
        fixed = 2 + msg + 1 + 1;
        room = bh - fixed;
        if (room < 0) {
            msg += room;
            room = 0;
        }
    }
    b->shown = room;
    int by = y + (h - bh) / 2, bx = x + (width - bw) / 2;
    attr_t a = tui_attr(TUI_DIALOG);
    for (int r = 0; r < bh; r++)
        tui_fill(w, by + r, bx, bw, a);
    tui_frame(w, by, bx, bh, bw, tui_attr(TUI_ERROR));
    if (b->title) {
        tui_put(w, by, bx + 2, 1, " ", a);
        int n = tui_put(w, by, bx + 3, bw - 6, b->title, tui_attr(TUI_ERROR) | A_BOLD);
        tui_put(w, by, bx + 3 + n, 1, " ", a);
    }
    int cy = by + 1, cx = bx + 2;
    cy += tui_put_wrapped(w, cy, cx, iw, msg, b->message ? b->message : "",
                          tui_attr(TUI_ERROR) | A_BOLD);
    if (hint) {
        cy++;
        int n = tui_put(w, cy, cx, 5, "Try: ", tui_attr(TUI_HEADING));
        tui_put_wrapped_indent(w, cy, cx + n, iw - n, 0, hint, b->hint, a);
        /* wrapped lines after the first start under "Try: " */
        cy += hint;
    }
    cy++;
    if (cy < by + bh - 1) {
        char head[160];
        const char *t = b->lines_title ? b->lines_title : "Last output";
        if (b->nlines == 0)
            snprintf(head, sizeof(head), "%s: none", t);
        else if ((int)b->nlines > room)
            snprintf(head, sizeof(head), "%s (%d-%d of %zu; Up/Down scroll):", t,
                     (int)b->nlines - b->scroll - room + 1, (int)b->nlines - b->scroll, b->nlines);
        else
            snprintf(head, sizeof(head), "%s:", t);
        tui_put(w, cy, cx, iw, head, tui_attr(TUI_HEADING));
        cy++;
    }
    int from = (int)b->nlines - b->scroll - room;
    if (from < 0)
        from = 0;
    for (int i = 0; i < room && from + i < (int)b->nlines; i++)
        tui_put(w, cy + i, cx + 1, iw - 1, b->lines[from + i], tui_attr(TUI_DIM));
    /* The keys along the bottom edge, inside the frame. */
    int ky = by + bh - 1, kx = bx + 2;
    for (int i = 0; i < b->nkeys && kx < bx + bw - 2; i++) {
        const char *key = b->keys[i].key;
        if (b->keys[i].ascii && !tui_text_showable(key))
            key = b->keys[i].ascii;
        int need = tui_text_cols(key) + 1 + tui_text_cols(b->keys[i].label) + 2;
        if (kx + need > bx + bw - 2)
            break;
        kx += tui_put(w, ky, kx, 1, " ", a);
        kx += tui_put(w, ky, kx, bw, key, tui_attr(TUI_HINT_KEY));
        kx += tui_put(w, ky, kx, 1, " ", a);
        kx += tui_put(w, ky, kx, bw, b->keys[i].label, a);
        kx += tui_put(w, ky, kx, 1, " ", a);
    }
}
