/* tui/textfield.h: a one-line text editor: UTF-8 aware insert/delete, cursor
 * movement, Home/End, horizontal scrolling, and a masked mode for secrets with
 * a reveal toggle. Text is kept as wide chars so the cursor moves by character
 * and drawing clips by display column. */
#ifndef TUI_TEXTFIELD_H
#define TUI_TEXTFIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>
#include <ncurses.h>

/* Most chars a field takes unless told otherwise: a long path, with room. */
#define TUI_TEXTFIELD_MAX 4096

struct tui_textfield {
    wchar_t *buf;  /* the text, NUL terminated */
    size_t max;    /* most chars typing may reach; 0: TUI_TEXTFIELD_MAX */
    size_t len;    /* chars used */
    size_t cap;    /* chars allocated */
    size_t cursor; /* 0..len */
    size_t scroll; /* first char shown */
    bool masked;   /* draw '*' per char unless revealed */
    bool revealed; /* masked text shown in clear */
};

void tui_textfield_init(struct tui_textfield *t);
/* Wipes the text before freeing: the field may hold a secret. */
void tui_textfield_done(struct tui_textfield *t);
/* Replaces the text (UTF-8) and puts the cursor at its end. */
void tui_textfield_set(struct tui_textfield *t, const char *utf8);
/* The text as UTF-8; caller frees. */
char *tui_textfield_get(const struct tui_textfield *t);

enum tui_textfield_result {
    TUI_TF_IGNORED, /* not an editing key: the caller handles it */
    TUI_TF_MOVED,   /* cursor moved */
    TUI_TF_CHANGED, /* text changed */
    TUI_TF_FULL,    /* a char not taken: the field holds its most (max) */
};

/* Handles an editing key: text, Left/Right, Home/End (and C-a/C-e),
 * Backspace/Delete, C-u (clear to start), C-k (clear to end). Every key is
 * O(1) at the end of the text, so a long paste stays linear; text beyond
 * max is refused (TUI_TF_FULL). */
enum tui_textfield_result tui_textfield_key(struct tui_textfield *t, int key);
/* Draws the field at (y, x) over width columns; with show_cursor the cursor
 * cell is drawn in reverse video. */
void tui_textfield_draw(struct tui_textfield *t, WINDOW *w, int y, int x, int width, attr_t attr,
                        bool show_cursor);

#endif
