/* tui/table.c: column sizing and drawing of a small text table. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/table.h"
#include "tui/theme.h"
#include "tui/util.h"

void tui_table_init(struct tui_table *t, size_t ncols, const char *const *header)
{
    memset(t, 0, sizeof(*t));
    t->ncols = ncols;
    t->highlight = -1;
    t->header = tui_xmalloc(ncols * sizeof(*t->header));
    for (size_t c = 0; c < ncols; c++)
        t->header[c] = tui_xstrdup(header ? header[c] : "");
}

void tui_table_done(struct tui_table *t)
{
    for (size_t c = 0; c < t->ncols; c++)
        free(t->header[c]);
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->header);
    free(t->cells);
    memset(t, 0, sizeof(*t));
}

void tui_table_add_row(struct tui_table *t, const char *const *cells)
{
    t->cells = tui_xrealloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(*t->cells));
    for (size_t c = 0; c < t->ncols; c++)
        t->cells[t->nrows * t->ncols + c] = tui_xstrdup(cells[c] ? cells[c] : "");
    t->nrows++;
}

const char *tui_table_cell(const struct tui_table *t, size_t row, size_t col)
{
    if (row >= t->nrows || col >= t->ncols)
        return NULL;
    return t->cells[row * t->ncols + col];
}

int tui_table_height(const struct tui_table *t)
{
    return (int)t->nrows + 2;
}

void tui_table_draw(const struct tui_table *t, WINDOW *w, int y, int x, int h, int width)
{
    if (t->ncols == 0 || h <= 0)
        return;
    int *cw = tui_xmalloc(t->ncols * sizeof(*cw));
    for (size_t c = 0; c < t->ncols; c++) {
        cw[c] = tui_text_cols(t->header[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            int k = tui_text_cols(tui_table_cell(t, r, c));
            if (k > cw[c])
                cw[c] = k;
        }
    }
    for (int line = 0; line < h && line < tui_table_height(t); line++) {
        int col = 0;
        if (line == 1) {
            int total = 0;
            for (size_t c = 0; c < t->ncols; c++)
                total += cw[c] + (c ? 2 : 0);
            wattrset(w, tui_attr(TUI_DIM));
            mvwhline(w, y + 1, x, '-', total < width ? total : width);
            wattrset(w, A_NORMAL);
            continue;
        }
        for (size_t c = 0; c < t->ncols && col < width; c++) {
            const char *s = line == 0 ? t->header[c] : tui_table_cell(t, (size_t)line - 2, c);
            attr_t a = line == 0 ? tui_attr(TUI_HEADING) : tui_attr(TUI_NORMAL);
            if ((int)c == t->highlight)
                a = tui_attr(TUI_SELECTED) | (line == 0 ? A_UNDERLINE : 0);
            tui_put(w, y + line, x + col, width - col, s, a);
            col += cw[c] + 2;
        }
    }
    free(cw);
}
