/* tui/form.h: a scrolling form: a list of rows, each a label with a value
 * widget (text field, choice, checkbox), a button, a heading or a note, and a
 * per-row error or warning line under it. Rows carry an opaque item; the owner
 * learns about changes through callbacks (like tmux's mode-tree), so the form
 * knows nothing of what the values mean. */
#ifndef TUI_FORM_H
#define TUI_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <ncurses.h>

#include "tui/table.h"
#include "tui/textfield.h"

enum tui_row_kind {
    TUI_ROW_TEXT,    /* label + text field; Enter edits, Enter accepts */
    TUI_ROW_CHOICE,  /* label + one of several options (radio); Space/Left/Right */
    TUI_ROW_CHECK,   /* label + checkbox; Space toggles */
    TUI_ROW_BUTTON,  /* an action; Enter activates */
    TUI_ROW_HEADING, /* a section title; not focusable */
    TUI_ROW_NOTE,    /* a line of text; not focusable */
    TUI_ROW_TABLE,   /* a table (borrowed), scrolling with the rows; not focusable */
};

struct tui_form_row {
    enum tui_row_kind kind;
    char *label;
    char *help;    /* one line shown for the focused row, or NULL */
    char *error;   /* message under the row, or NULL */
    bool warning;  /* the message is a warning, not an error */
    char *display; /* TEXT: shown instead of the text when not editing (masks) */
    struct tui_textfield text;
    const char *const *options;    /* CHOICE: NULL-terminated labels, borrowed */
    int selected;                  /* CHOICE: index into options */
    bool checked;                  /* CHECK */
    int role;                      /* NOTE: theme role of the text; BUTTON: non-zero draws
                                      the label as plain text in that role, without brackets */
    const struct tui_table *table; /* TABLE: borrowed, must outlive the row */
    void *item;                    /* the owner's, opaque to the form */
    int tag;                       /* the owner's small integer */
};

struct tui_form;

struct tui_form_ops {
    /* A TEXT row's edit was accepted, or a CHOICE/CHECK row changed. */
    void (*commit)(struct tui_form *f, struct tui_form_row *row, void *arg);
    /* Enter on a BUTTON row. */
    void (*activate)(struct tui_form *f, struct tui_form_row *row, void *arg);
};

struct tui_form {
    struct tui_form_row *rows;
    size_t n, cap;
    int focus;       /* focused row index, -1 when nothing is focusable */
    int top;         /* first line shown (lines, not rows) */
    bool editing;    /* the focused TEXT row is being edited */
    char *saved;     /* text before the edit began, restored by Esc */
    int label_width; /* 0: computed from the labels */
    bool follow;     /* the view follows the focus (false after a page scroll
                        left it behind, until the focus moves) */
    int view_h;      /* the area of the last draw, for page-wise movement */
    int view_w;
    const struct tui_form_ops *ops;
    void *arg;
};

void tui_form_init(struct tui_form *f, const struct tui_form_ops *ops, void *arg);
void tui_form_done(struct tui_form *f);
/* Removes every row (focus and scroll reset). */
void tui_form_clear(struct tui_form *f);

/* Adding returns the row's index; row pointers stay valid until the next add. */
int tui_form_add_text(struct tui_form *f, const char *label, const char *value, void *item);
int tui_form_add_choice(struct tui_form *f, const char *label, const char *const *options,
                        int selected, void *item);
int tui_form_add_check(struct tui_form *f, const char *label, bool checked, void *item);
int tui_form_add_button(struct tui_form *f, const char *label, void *item);
int tui_form_add_heading(struct tui_form *f, const char *text);
int tui_form_add_note(struct tui_form *f, const char *text, int role);
/* A table drawn in the rows' place, indented by two; t must outlive the row. */
int tui_form_add_table(struct tui_form *f, const struct tui_table *t);

struct tui_form_row *tui_form_row_at(struct tui_form *f, int i);
void tui_form_set_help(struct tui_form *f, int i, const char *help);
/* Sets (or with NULL clears) the row's message. */
void tui_form_set_error(struct tui_form *f, int i, const char *msg, bool warning);
void tui_form_set_display(struct tui_form *f, int i, const char *display);
/* The most chars row i's text field takes (0: TUI_TEXTFIELD_MAX). */
void tui_form_set_max(struct tui_form *f, int i, size_t max);

/* The focused row, or NULL. */
struct tui_form_row *tui_form_focused(struct tui_form *f);
/* Focuses the first focusable row at or after i (or before it, if none after). */
void tui_form_focus(struct tui_form *f, int i);
/* Focuses the row with this item and tag; returns false when none has it. */
bool tui_form_focus_item(struct tui_form *f, const void *item, int tag);
/* Moves focus by +1/-1 focusable rows; false at either end. */
bool tui_form_move(struct tui_form *f, int dir);
/* Focuses the first focusable row and shows the form from its top (Home). */
void tui_form_home(struct tui_form *f);
/* Focuses the last focusable row and shows the form's end (End). */
void tui_form_end(struct tui_form *f);
/* Moves the view a screenful down (dir > 0) or up and focuses the first row
 * that starts in it; returns false when the form's end (or top) is already
 * shown, so the caller can go on to the next (or previous) page. Needs one
 * tui_form_draw first, which tells the form its height. */
bool tui_form_page(struct tui_form *f, int dir);
/* Starts editing the focused TEXT row. */
void tui_form_edit_begin(struct tui_form *f);

/* Handles a key; returns true when the form used it. While editing, every
 * text key is used; PgUp/PgDn accept the edit and are left to the caller.
 * Home/End (not editing) go to the first/last row; PgUp/PgDn are left to the
 * caller, which may call tui_form_page(). */
bool tui_form_key(struct tui_form *f, int key);
/* Draws rows into the h x width area at (y, x), scrolling to keep the focus
 * visible. Long values, notes, links and choices wrap onto more lines (up to
 * eight, then an ellipsis). Only writes into w. */
void tui_form_draw(struct tui_form *f, WINDOW *w, int y, int x, int h, int width);

#endif
