/* tui/dialog.h: a modal box over the screen: a message with OK, or a question
 * with Yes/No. The caller draws it last and routes keys to it while it is up. */
#ifndef TUI_DIALOG_H
#define TUI_DIALOG_H

#include <stdbool.h>
#include <ncurses.h>

enum tui_dialog_kind { TUI_DIALOG_MESSAGE, TUI_DIALOG_CONFIRM };

enum tui_dialog_result {
    TUI_DIALOG_NONE, /* still open */
    TUI_DIALOG_YES,  /* Yes, or OK on a message */
    TUI_DIALOG_NO,   /* No, or Esc */
};

struct tui_dialog {
    enum tui_dialog_kind kind;
    char *title;
    char *text; /* lines separated by '\n' */
    bool yes;   /* CONFIRM: Yes is selected; starts on No, the safe answer */
};

void tui_dialog_init(struct tui_dialog *d, enum tui_dialog_kind kind, const char *title,
                     const char *text);
void tui_dialog_done(struct tui_dialog *d);
/* Left/Right/Tab move between Yes and No; y/n answer directly; Enter takes
 * the selection; Esc is No. */
enum tui_dialog_result tui_dialog_key(struct tui_dialog *d, int key);
/* Draws the box centred in w. Pure. */
void tui_dialog_draw(const struct tui_dialog *d, WINDOW *w);

#endif
