/* tui/theme.c: role -> attribute table, in a colour and a monochrome variant. */
#include "config.h"

#include <stdlib.h>

#include "tui/theme.h"

static attr_t role_attr[TUI__ROLES];
static bool colour_on;

static const attr_t mono[TUI__ROLES] = {
    [TUI_NORMAL] = A_NORMAL, [TUI_TITLE] = A_REVERSE | A_BOLD, [TUI_HEADING] = A_BOLD,
    [TUI_LABEL] = A_NORMAL,  [TUI_FOCUS] = A_REVERSE,          [TUI_EDIT] = A_UNDERLINE,
    [TUI_ERROR] = A_BOLD,    [TUI_WARN] = A_UNDERLINE,         [TUI_OK] = A_BOLD,
    [TUI_DIM] = A_NORMAL,    [TUI_HINT] = A_REVERSE,           [TUI_HINT_KEY] = A_REVERSE | A_BOLD,
    [TUI_SELECTED] = A_BOLD, [TUI_DIALOG] = A_NORMAL,
};

bool tui_theme_no_color_env(void)
{
    const char *v = getenv("NO_COLOR");
    return v && *v;
}

bool tui_theme_has_colour(void)
{
    return colour_on;
}

void tui_theme_init(bool with_colour)
{
    colour_on = with_colour && has_colors() && start_color() == OK && COLOR_PAIRS >= 16;
    for (int r = 0; r < TUI__ROLES; r++)
        role_attr[r] = mono[r];
    if (!colour_on)
        return;
    use_default_colors();
    struct {
        int role;
        short fg, bg;
        attr_t extra;
    } pairs[] = {
        {TUI_TITLE, COLOR_WHITE, COLOR_BLUE, A_BOLD},
        {TUI_HEADING, COLOR_CYAN, -1, A_BOLD},
        {TUI_FOCUS, COLOR_BLACK, COLOR_CYAN, 0},
        {TUI_EDIT, COLOR_BLACK, COLOR_YELLOW, 0},
        {TUI_ERROR, COLOR_RED, -1, A_BOLD},
        {TUI_WARN, COLOR_YELLOW, -1, A_BOLD},
        {TUI_OK, COLOR_GREEN, -1, A_BOLD},
        {TUI_DIM, COLOR_BLUE, -1, A_BOLD},
        {TUI_HINT, COLOR_WHITE, COLOR_BLUE, 0},
        {TUI_HINT_KEY, COLOR_YELLOW, COLOR_BLUE, A_BOLD},
        {TUI_SELECTED, COLOR_GREEN, -1, A_BOLD},
        {TUI_DIALOG, COLOR_WHITE, COLOR_BLUE, 0},
    };
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        short n = (short)(i + 1);
        init_pair(n, pairs[i].fg, pairs[i].bg);
        role_attr[pairs[i].role] = COLOR_PAIR(n) | pairs[i].extra;
    }
}

attr_t tui_attr(int role)
{
    if (role < 0 || role >= TUI__ROLES)
        return A_NORMAL;
    return role_attr[role];
}
