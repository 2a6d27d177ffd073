/* tui/draw.h: clipped UTF-8 drawing into a window, box frames, and a text dump
 * of a window for the golden-file screen tests. Nothing here refreshes. */
#ifndef TUI_DRAW_H
#define TUI_DRAW_H

#include <ncurses.h>

/* Draws UTF-8 text at (y, x), at most maxw columns; returns columns used. */
int tui_put(WINDOW *w, int y, int x, int maxw, const char *s, attr_t attr);
/* Like tui_put for a wide string of n chars. */
int tui_putw(WINDOW *w, int y, int x, int maxw, const wchar_t *s, size_t n, attr_t attr);
/* Draws s word-wrapped into width columns from (y, x), at most maxlines lines
 * (the last one cut); returns the lines used. With w NULL it only measures. */
int tui_put_wrapped(WINDOW *w, int y, int x, int width, int maxlines, const char *s, attr_t attr);
/* Fills width cells of row y from x with blanks in attr. */
void tui_fill(WINDOW *w, int y, int x, int width, attr_t attr);
/* An ASCII-safe box (+-|) or a line-drawing box when the terminal has one. */
void tui_frame(WINDOW *w, int y, int x, int h, int width, attr_t attr);
/* The window's text as UTF-8, one line per row, trailing blanks removed. */
char *tui_dump(WINDOW *w);

#endif
