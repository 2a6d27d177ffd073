/* screens/dialog_screen.c: the dialog screen. It hands the answer to its
 * owner and pops itself. */
#include "config.h"

#include <stdlib.h>

#include "core/util.h"
#include "screens/app.h"
#include "screens/dialog_screen.h"
#include "tui/dialog.h"

struct dialog_screen {
    struct tui_dialog d;
    dialog_answer_cb cb;
    void *arg;
};

static int ds_key(struct screen *s, struct app *a, int key)
{
    struct dialog_screen *ds = s->data;
    enum tui_dialog_result r = tui_dialog_key(&ds->d, key);
    if (r == TUI_DIALOG_NONE)
        return SCREEN_HANDLED | SCREEN_DIRTY;
    /* The callback's flags are applied after the dialog is popped, so a
     * SCREEN_QUIT or SCREEN_PUSH from it acts on the stack below. */
    int flags = SCREEN_HANDLED | SCREEN_DIRTY | SCREEN_POP;
    if (ds->cb)
        flags |= ds->cb(a, r == TUI_DIALOG_YES, ds->arg);
    return flags;
}

static void ds_draw(struct screen *s, WINDOW *w)
{
    struct dialog_screen *ds = s->data;
    tui_dialog_draw(&ds->d, w);
}

static void ds_free(struct screen *s)
{
    struct dialog_screen *ds = s->data;
    tui_dialog_done(&ds->d);
    free(ds);
    free(s);
}

static const struct screen_ops dialog_ops = {
    .name = "dialog", .on_key = ds_key, .draw = ds_draw, .free = ds_free};

static struct screen *ds_new(enum tui_dialog_kind kind, const char *title, const char *text,
                             dialog_answer_cb cb, void *arg)
{
    struct dialog_screen *ds = xcalloc(1, sizeof(*ds));
    tui_dialog_init(&ds->d, kind, title, text);
    ds->cb = cb;
    ds->arg = arg;
    return screen_new(&dialog_ops, ds, true);
}

struct screen *dialog_screen_confirm(const char *title, const char *text, dialog_answer_cb cb,
                                     void *arg)
{
    return ds_new(TUI_DIALOG_CONFIRM, title, text, cb, arg);
}

struct screen *dialog_screen_message(const char *title, const char *text)
{
    return ds_new(TUI_DIALOG_MESSAGE, title, text, NULL, NULL);
}
