/* screens/wizard.c: the install wizard screen: its keys, leaving, and
 * creating and freeing its state. screens/wizard_impl.h lists the other files
 * of the wizard. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/profile.h"
#include "core/util.h"
#include "core/validate.h"
#include "screens/app.h"
#include "screens/dialog_screen.h"
#include "screens/wizard_impl.h"
#include "tui/keys.h"
#include "tui/theme.h"

/* ---- keys ---- */

static const char wizard_help_text[] =
    "Tab, Down         next field\n"
    "Shift-Tab, Up     previous field\n"
    "Home, End         first, last field of the page\n"
    "PgDn, PgUp        a screenful down/up; at the end, the next page\n"
    "Ctrl-N, Ctrl-P    next, previous page (nothing typed is lost)\n"
    "Enter             edit a field / accept the edit / press a button\n"
    "Esc               cancel an edit; otherwise leave (asks first)\n"
    "Space, Left/Right change a choice or tick a box\n"
    "g, r              secrets page: generate, reveal\n"
    "?                 this help\n"
    "While editing: Left/Right, Home/End, Backspace/Delete, Ctrl-U, Ctrl-K";

/* After a key the form took: a field that is full says so, and a stored
 * secret is replaced only after a yes (wizard_commit.c). */
static int wizard_ask_pending(struct wizard *w, struct app *a)
{
    struct tui_form_row *row = tui_form_focused(&w->form);
    if (w->form.editing && row && row->kind == TUI_ROW_TEXT) {
        size_t max = row->text.max ? row->text.max : TUI_TEXTFIELD_MAX;
        if (row->text.len >= max)
            set_status(w, TUI_WARN, "%s: at most %zu characters; what came after was not taken.",
                       row->label, max);
    }
    struct screen *d = wizard_pending_dialog(w);
    if (!d)
        return SCREEN_HANDLED | SCREEN_DIRTY;
    app_push(a, d);
    return SCREEN_HANDLED | SCREEN_PUSH | SCREEN_DIRTY;
}

/* "Install now": the progress pane goes over the wizard. */
static int wizard_install(struct wizard *w, struct app *a)
{
    struct error err;
    error_clear(&err);
    struct screen *s = w->install(w->answers_path, w->install_arg, &err);
    if (!s) {
        set_status(w, TUI_ERROR, "Cannot install: %s", err.msg);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    if (w->result)
        w->result->installing = true;
    app_push(a, s);
    return SCREEN_HANDLED | SCREEN_PUSH | SCREEN_DIRTY;
}

static int wizard_key(struct screen *s, struct app *a, int key)
{
    struct wizard *w = s->data;
    bool was_editing = w->form.editing;
    /* Exit quits the app, which a form callback cannot do: catch it first. */
    struct tui_form_row *focused = tui_form_focused(&w->form);
    if (!was_editing && focused && focused->tag == TAG_EXIT && key == TUI_KEY_ENTER) {
        a->exit_status = EXIT_SUCCESS;
        return SCREEN_QUIT;
    }
    if (!was_editing && focused && focused->tag == TAG_INSTALL && key == TUI_KEY_ENTER)
        return wizard_install(w, a);
    if (tui_form_key(&w->form, key))
        return wizard_ask_pending(w, a);
    if (was_editing && (key == TUI_KEY_PGDN || key == TUI_KEY_PGUP || key == TUI_CTRL('n') ||
                        key == TUI_CTRL('p'))) {
        /* The edit was accepted; the page change happens below, unless it failed. */
        struct tui_form_row *row = tui_form_focused(&w->form);
        if (row && row->error && !row->warning && row->tag == TAG_FIELD) {
            return SCREEN_HANDLED | SCREEN_DIRTY;
        }
    }
    switch (key) {
    case TUI_KEY_PGDN:
        /* A screenful at a time through a long page, then on to the next. */
        if (tui_form_page(&w->form, +1))
            return SCREEN_HANDLED | SCREEN_DIRTY;
        /* fall through */
    case TUI_CTRL('n'):
        if (w->page + 1 < PAGE__COUNT)
            wizard_goto(w, w->page + 1);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case TUI_KEY_PGUP:
        if (tui_form_page(&w->form, -1))
            return SCREEN_HANDLED | SCREEN_DIRTY;
        if (w->page > 0) {
            /* Back up into the previous page from its end, as if it were one
             * long document. */
            wizard_goto(w, w->page - 1);
            tui_form_end(&w->form);
        }
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case TUI_CTRL('p'):
        if (w->page > 0)
            wizard_goto(w, w->page - 1);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case TUI_KEY_ESC:
        if (w->written) {
            a->exit_status = EXIT_SUCCESS;
            return SCREEN_QUIT;
        }
        app_push(a, wizard_leave_dialog(w));
        return SCREEN_HANDLED | SCREEN_PUSH | SCREEN_DIRTY;
    case '?':
        app_push(a, dialog_screen_message("Keys", wizard_help_text));
        return SCREEN_HANDLED | SCREEN_PUSH | SCREEN_DIRTY;
    case 'g':
    case 'r':
        if (w->page == PAGE_SECRETS) {
            secret_key(w, key);
            return wizard_ask_pending(w, a);
        }
        break;
    }
    return SCREEN_IGNORED;
}
static int wizard_resize(struct screen *s, struct app *a, int cols, int rows)
{
    struct wizard *w = s->data;
    w->cols = cols;
    w->rows = rows;
    return SCREEN_DIRTY;
}

static int wizard_enter(struct screen *s, struct app *a)
{
    struct wizard *w = s->data;
    wizard_build(w);
    return SCREEN_DIRTY;
}

void wizard_state_free(struct wizard *w)
{
    tui_form_done(&w->form);
    tui_table_done(&w->presets);
    for (size_t i = 0; i < w->ndrafts; i++) {
        free(w->drafts[i].path);
        free(w->drafts[i].text);
        free(w->drafts[i].msg);
    }
    free(w->drafts);
    if (w->have_probs)
        problems_done(&w->probs);
    profile_done(&w->prof);
    secrets_done(&w->sec);
    free(w->workdir);
    free(w->answers_path);
    free(w->example);
    free(w->secrets_path);
    free(w->out_dir);
    free(w->status);
    str_free_secret(w->pending_value);
    free(w->field_touched);
    free(w);
}

static void wizard_free(struct screen *s)
{
    wizard_state_free(s->data);
    free(s);
}

static const struct screen_ops wizard_ops = {
    .name = "wizard",
    .enter = wizard_enter,
    .on_key = wizard_key,
    .resize = wizard_resize,
    .draw = wizard_draw,
    .free = wizard_free,
};

struct screen *wizard_screen_new(const struct wizard_opts *opts, struct wizard_result *result,
                                 struct error *err)
{
    struct wizard *w = xcalloc(1, sizeof(*w));
    w->field_touched = xcalloc(profile_nfields, sizeof(bool));
    char *load_from = NULL;
    if (wizard_paths(w, opts, &load_from, err) < 0) {
        wizard_state_free(w);
        return NULL;
    }
    w->result = result;
    w->install = opts->install;
    w->install_arg = opts->install_arg;
    tui_form_init(&w->form, &wizard_form_ops, w);
    tui_table_init(&w->presets, 3, NULL);
    secrets_init(&w->sec);
    profile_init(&w->prof, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    bool ok = wizard_load(w, load_from, result, err);
    free(load_from);
    if (!ok) {
        wizard_state_free(w);
        return NULL;
    }
    return screen_new(&wizard_ops, w, false);
}