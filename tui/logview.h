/* tui/logview.h: a log pane: lines kept in a bounded ring (by count and by
 * bytes, the oldest dropped first, so a pane left open for hours stays the
 * same size), a view that follows the end until the person scrolls away,
 * horizontal scrolling for long lines, and search as in less: `/` types a
 * query, n and N go to the next and previous line that holds it (wrapping
 * around, and saying so), every occurrence on screen is highlighted. The
 * query is case-insensitive unless it holds a capital letter (smartcase).
 *
 * Lines are taken as they are given: the caller makes them safe to draw
 * first (screens/ passes everything through core/textsafe). */
#ifndef TUI_LOGVIEW_H
#define TUI_LOGVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <ncurses.h>

#include "tui/textfield.h"

#define TUI_LOGVIEW_LINE_MAX 4096 /* bytes kept of one line; the rest is cut */

struct tui_logline {
    char *text;
    int role; /* tui_role the line is drawn in */
};

struct tui_logview {
    struct tui_logline *ring;
    size_t cap, n, head;      /* up to cap lines; the oldest at head */
    size_t bytes, max_bytes;  /* text bytes kept, and the bound */
    unsigned long long total; /* lines ever added: the first kept is total - n */
    unsigned long long top;   /* first line shown when not following */
    bool follow;              /* the view sticks to the end */
    int hscroll;              /* columns scrolled right */
    int height, width;        /* of the last draw: a page is height lines */
    /* search */
    bool prompting; /* `/` is being typed */
    struct tui_textfield prompt;
    char *query;     /* the last query, or NULL */
    wchar_t *wquery; /* the same as wide chars, folded when fold */
    size_t wquery_len;
    bool fold;                /* smartcase: no capital in the query */
    unsigned long long match; /* the current match's line (absolute) */
    bool have_match;
    size_t matching; /* kept lines that hold the query */
    char *note;      /* "no line holds x", "search wrapped": until the next key */
};

/* max_lines 0: 5000; max_bytes 0: 4 MiB. */
void tui_logview_init(struct tui_logview *lv, size_t max_lines, size_t max_bytes);
void tui_logview_done(struct tui_logview *lv);
void tui_logview_clear(struct tui_logview *lv);
/* Appends one line (a '\n' inside it ends it there) drawn in role. */
void tui_logview_add(struct tui_logview *lv, const char *line, int role);
/* Lines kept, and the absolute number of the first one. */
size_t tui_logview_count(const struct tui_logview *lv);
unsigned long long tui_logview_first(const struct tui_logview *lv);
/* The kept line with absolute number abs, or NULL when it was dropped. */
const char *tui_logview_line(const struct tui_logview *lv, unsigned long long abs);

/* Keys: Up/Down, PgUp/PgDn, Home/End (End follows again), Left/Right,
 * `/` (then typing, Enter, Esc), n, N. Returns true when the key was used. */
bool tui_logview_key(struct tui_logview *lv, int key);
/* Starts, and runs, a search as if query was typed after `/` (tests and
 * callers that search for the person). Returns true when a line holds it. */
bool tui_logview_search(struct tui_logview *lv, const char *query, bool forward);
/* Scrolls so that line abs is shown (follow off unless it is the last). */
void tui_logview_show(struct tui_logview *lv, unsigned long long abs);

/* One line about the view: "lines 12-31 of 240", "end of 240 lines",
 * "3 of 12 lines match 'error'", the search note; written into buf. */
void tui_logview_describe(const struct tui_logview *lv, char *buf, size_t n);
/* Draws into the h x width rectangle at (y, x); the last row is the
 * search prompt while one is typed. Remembers h and width for paging. */
void tui_logview_draw(struct tui_logview *lv, WINDOW *w, int y, int x, int h, int width);

#endif
