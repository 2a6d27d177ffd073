/* tui/theme.h: what each part of the screen looks like, by role. With colours
 * the roles get colour pairs; with NO_COLOR set or a terminal without colours
 * they fall back to bold, reverse and underline so nothing depends on colour. */
#ifndef TUI_THEME_H
#define TUI_THEME_H

#include <stdbool.h>
#include <ncurses.h>

enum tui_role {
    TUI_NORMAL,
    TUI_TITLE,    /* the top bar */
    TUI_HEADING,  /* section headings inside a page */
    TUI_LABEL,    /* form labels */
    TUI_FOCUS,    /* the focused row's value */
    TUI_EDIT,     /* a text field being edited */
    TUI_ERROR,    /* error text */
    TUI_WARN,     /* warning text */
    TUI_OK,       /* success text */
    TUI_DIM,      /* notes, disabled rows */
    TUI_HINT,     /* help line text */
    TUI_HINT_KEY, /* help line keys */
    TUI_SELECTED, /* chosen column/option */
    TUI_DIALOG,   /* dialog body */
    TUI__ROLES
};

/* Sets up the roles; with_colour false (or no colour terminal) uses attributes only.
 * Call after the terminal is initialised. */
void tui_theme_init(bool with_colour);
/* True when NO_COLOR is set to anything non-empty (https://no-color.org). */
bool tui_theme_no_color_env(void);
bool tui_theme_has_colour(void);
attr_t tui_attr(int role);

#endif
