/* screens/wizard_draw.c: drawing the wizard: title, page strip, the form
 * (under the preset table on the Size page), help, status and key hints. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "screens/wizard_impl.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/theme.h"

/* ---- drawing ---- */

/* Lines the form keeps at least, however long the help and status are. */
#define WIZ_MIN_BODY 5

/* What the help line says for a row: its help, or for a link (a problem on
 * Review) its whole text, which the row may show wrapped or cut. */
static const char *wizard_help_for(const struct tui_form_row *row)
{
    if (!row)
        return "";
    if (row->help)
        return row->help;
    if (row->kind == TUI_ROW_BUTTON && row->role != TUI_NORMAL)
        return row->label;
    return "";
}

/* Lines text takes wrapped to width, between 1 and max. */
static int help_lines_for(const char *text, int width, int max)
{
    int n = text && *text ? tui_text_lines(text, width, 0) : 1;
    if (n > max)
        n = max;
    return n < 1 ? 1 : n;
}

static void draw_strip(struct wizard *w, WINDOW *win, int y, int width)
{
    int x = 1;
    for (int p = 0; p < PAGE__COUNT && x < width; p++) {
        const char *name = wizard_page_name(p, &w->prof);
        bool cur = p == (int)w->page;
        if (cur)
            x += tui_put(win, y, x - 1, 1, "[", tui_attr(TUI_SELECTED)) - 1;
        x += tui_put(win, y, x, width - x, name,
                     cur ? tui_attr(TUI_SELECTED) | A_BOLD : tui_attr(TUI_DIM));
        if (cur)
            tui_put(win, y, x, 1, "]", tui_attr(TUI_SELECTED));
        x += 2;
    }
}

void wizard_draw(struct screen *s, WINDOW *win)
{
    struct wizard *w = s->data;
    int width = getmaxx(win), height = getmaxy(win);
    char title[160];
    tui_fill(win, 0, 0, width, tui_attr(TUI_TITLE));
    snprintf(title, sizeof(title), " dify-tui install wizard: %s",
             wizard_page_title(w->page, &w->prof));
    tui_put(win, 0, 0, width, title, tui_attr(TUI_TITLE));
    snprintf(title, sizeof(title), "%d/%d ", (int)w->page + 1, PAGE__COUNT);
    tui_put(win, 0, width - (int)strlen(title), (int)strlen(title), title, tui_attr(TUI_TITLE));
    draw_strip(w, win, 1, width);

    /* Help and status wrap rather than lose their ends: help up to three
     * lines, the status as many as leave the form WIZ_MIN_BODY lines. */
    struct tui_form_row *row = tui_form_focused(&w->form);
    const char *help = wizard_help_for(row);
    int help_lines = help_lines_for(help, width, 3);
    int status_max = height - 3 - WIZ_MIN_BODY - 1 - help_lines - 1;
    int status_lines = help_lines_for(w->status, width, status_max);
    int body_y = 3, body_h = height - 3 - 1 - help_lines - status_lines - 1;
    tui_form_draw(&w->form, win, body_y, 0, body_h, width);

    int y = height - 1 - status_lines - help_lines;
    tui_put_wrapped(win, y, 0, width, help_lines, help, tui_attr(TUI_DIM));
    tui_put_wrapped(win, y + help_lines, 0, width, status_lines, w->status ? w->status : "",
                    tui_attr(w->status_role));
    /* Each set fits 80 columns whole (tui_hints_draw drops what does not);
     * Home/End while editing are in the ? help. */
    static const struct tui_hint edit_hints[] = {{"Enter", "accept", NULL},
                                                 {"Esc", "cancel", NULL},
                                                 {"\xe2\x86\x90\xe2\x86\x92", "move", "arrows"},
                                                 {"Tab", "accept, next", NULL},
                                                 {"PgDn/PgUp", "accept, page", NULL}};
    static const struct tui_hint hints[] = {{"Tab/\xe2\x86\x93\xe2\x86\x91", "field", "Tab"},
                                            {"PgDn/PgUp", "page", NULL},
                                            {"Enter", "edit", NULL},
                                            {"Space", "toggle", NULL},
                                            {"?", "help", NULL},
                                            {"Esc", "quit", NULL}};
    static const struct tui_hint secret_hints[] = {{"Tab/\xe2\x86\x93\xe2\x86\x91", "field", "Tab"},
                                                   {"PgDn/PgUp", "page", NULL},
                                                   {"Enter", "edit", NULL},
                                                   {"g", "generate", NULL},
                                                   {"r", "reveal", NULL},
                                                   {"?", "help", NULL},
                                                   {"Esc", "quit", NULL}};
    if (w->form.editing)
        tui_hints_draw(win, height - 1, edit_hints, ARRAY_LEN(edit_hints));
    else if (w->page == PAGE_SECRETS)
        tui_hints_draw(win, height - 1, secret_hints, ARRAY_LEN(secret_hints));
    else
        tui_hints_draw(win, height - 1, hints, ARRAY_LEN(hints));
}
