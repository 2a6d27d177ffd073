/* tui/table.h: a read-only table of text cells with a header row and an
 * optionally highlighted column (the size presets, later lists of resources).
 * Cells are copied in; columns size to their widest cell. */
#ifndef TUI_TABLE_H
#define TUI_TABLE_H

#include <stddef.h>
#include <ncurses.h>

struct tui_table {
    size_t ncols;
    char **header; /* ncols titles */
    char **cells;  /* nrows * ncols, row-major */
    size_t nrows;
    int highlight; /* column drawn in the selected role, -1 for none */
};

void tui_table_init(struct tui_table *t, size_t ncols, const char *const *header);
void tui_table_done(struct tui_table *t);
/* Appends a row of ncols cells (NULL cells are empty). */
void tui_table_add_row(struct tui_table *t, const char *const *cells);
const char *tui_table_cell(const struct tui_table *t, size_t row, size_t col);
/* Lines the table needs: header, rule, rows. */
int tui_table_height(const struct tui_table *t);
/* Draws at (y, x) in at most h lines and width columns; cells are cut to fit. */
void tui_table_draw(const struct tui_table *t, WINDOW *w, int y, int x, int h, int width);

#endif
