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

    int body_y = 3, body_h = height - 3 - 4;
    if (w->page == PAGE_SIZE) {
        int th = tui_table_height(&w->presets);
        tui_table_draw(&w->presets, win, body_y, 2, th, width - 4);
        body_y += th + 1;
        body_h -= th + 1;
    }
    tui_form_draw(&w->form, win, body_y, 0, body_h, width);

    struct tui_form_row *row = tui_form_focused(&w->form);
    tui_status_draw(win, height - 3, row && row->help ? row->help : "", TUI_DIM);
    tui_status_draw(win, height - 2, w->status ? w->status : "", w->status_role);
    static const struct tui_hint edit_hints[] = {{"Enter", "accept"},
                                                 {"Esc", "cancel"},
                                                 {"\xe2\x86\x90\xe2\x86\x92 Home End", "move"},
                                                 {"Tab", "accept and next"},
                                                 {"PgDn/PgUp", "accept and page"}};
    static const struct tui_hint hints[] = {{"Tab/\xe2\x86\x93\xe2\x86\x91", "field"},
                                            {"PgDn/PgUp", "page"},
                                            {"Enter", "edit"},
                                            {"Space", "toggle"},
                                            {"?", "help"},
                                            {"Esc", "quit"}};
    static const struct tui_hint secret_hints[] = {{"Tab/\xe2\x86\x93\xe2\x86\x91", "field"},
                                                   {"PgDn/PgUp", "page"},
                                                   {"Enter", "edit"},
                                                   {"g", "generate"},
                                                   {"r", "reveal"},
                                                   {"?", "help"},
                                                   {"Esc", "quit"}};
    if (w->form.editing)
        tui_hints_draw(win, height - 1, edit_hints, ARRAY_LEN(edit_hints));
    else if (w->page == PAGE_SECRETS)
        tui_hints_draw(win, height - 1, secret_hints, ARRAY_LEN(secret_hints));
    else
        tui_hints_draw(win, height - 1, hints, ARRAY_LEN(hints));
}
