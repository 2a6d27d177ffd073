/* tui/draw.h: clipped UTF-8 drawing into a window, box frames, and a text dump
 * of a window for the golden-file screen tests. Nothing here refreshes. */
#ifndef TUI_DRAW_H
#define TUI_DRAW_H

#include <ncurses.h>

/* Draws UTF-8 text at (y, x), at most maxw columns; returns columns used. */
int tui_put(WINDOW *w, int y, int x, int maxw, const char *s, attr_t attr);
/* Like tui_put for a wide string of n chars. */
int tui_putw(WINDOW *w, int y, int x, int maxw, const wchar_t *s, size_t n, attr_t attr);
/* One line of wrapped text: chars [start, start + len) of the wide string. */
struct tui_wrap_line {
    size_t start, len;
};
/* Splits n wide chars into lines of width columns (the lines after the first
 * width - indent), breaking after the last space that fits, anywhere when a
 * word is longer than a line. Fills at most max lines of out (out may be
 * NULL) and returns how many lines the whole text needs. */
int tui_wrap(const wchar_t *ws, size_t n, int width, int indent, struct tui_wrap_line *out,
             int max);
/* Lines s needs wrapped into width columns with this hanging indent. */
int tui_text_lines(const char *s, int width, int indent);
/* Draws s word-wrapped into width columns from (y, x), the lines after the
 * first indented by indent, at most maxlines lines; text that does not fit
 * ends in an ellipsis. Returns the lines used. With w NULL it only measures. */
int tui_put_wrapped_indent(WINDOW *w, int y, int x, int width, int indent, int maxlines,
                           const char *s, attr_t attr);
/* tui_put_wrapped_indent without an indent. */
int tui_put_wrapped(WINDOW *w, int y, int x, int width, int maxlines, const char *s, attr_t attr);
/* Fills width cells of row y from x with blanks in attr. */
void tui_fill(WINDOW *w, int y, int x, int width, attr_t attr);
/* An ASCII-safe box (+-|) or a line-drawing box when the terminal has one. */
void tui_frame(WINDOW *w, int y, int x, int h, int width, attr_t attr);
/* The window's text as UTF-8, one line per row, trailing blanks removed. */
char *tui_dump(WINDOW *w);

#endif
