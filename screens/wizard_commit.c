/* screens/wizard_commit.c: what happens when an edit is accepted. Text that
 * does not parse yet is kept as a draft (with its message) until it is fixed,
 * so leaving a page with a typo does not throw the typo away. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/log.h"
#include "core/profile.h"
#include "core/util.h"
#include "core/validate.h"
#include "screens/wizard_impl.h"
#include "tui/theme.h"

/* ---- drafts ---- */

struct draft *draft_find(struct wizard *w, const char *path)
{
    for (size_t i = 0; i < w->ndrafts; i++)
        if (strcmp(w->drafts[i].path, path) == 0)
            return &w->drafts[i];
    return NULL;
}

void draft_set(struct wizard *w, const char *path, const char *text, const char *msg)
{
    struct draft *d = draft_find(w, path);
    if (!d) {
        w->drafts = xrealloc(w->drafts, (w->ndrafts + 1) * sizeof(*w->drafts));
        d = &w->drafts[w->ndrafts++];
        d->path = xstrdup(path);
        d->text = d->msg = NULL;
    }
    str_replace(&d->text, text);
    str_replace(&d->msg, msg);
}

void draft_clear(struct wizard *w, const char *path)
{
    struct draft *d = draft_find(w, path);
    if (!d)
        return;
    free(d->path);
    free(d->text);
    free(d->msg);
    *d = w->drafts[--w->ndrafts];
}

void set_status(struct wizard *w, int role, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(w->status);
    w->status = fmt ? xvasprintf(fmt, ap) : NULL;
    va_end(ap);
    w->status_role = role;
}
/* ---- committing edits ---- */

static void commit_field(struct wizard *w, struct tui_form_row *row, const struct field_desc *f)
{
    char msg[256] = "";
    char *text;
    if (row->kind == TUI_ROW_CHOICE)
        text = xstrdup(f->enum_names[row->selected]);
    else if (row->kind == TUI_ROW_CHECK)
        text = xstrdup(row->checked ? "true" : "false");
    else
        text = tui_textfield_get(&row->text);
    if (w->page != PAGE_EDITION)
        w->touched = true;
    if (profile_field_parse(&w->prof, f, text, msg, sizeof(msg)) < 0) {
        draft_set(w, f->path, text, msg);
        set_status(w, TUI_ERROR, "%s: %s", f->label, msg);
        free(text);
        wizard_build(w);
        return;
    }
    free(text);
    draft_clear(w, f->path);
    if (strcmp(f->path, "edition") == 0 || strcmp(f->path, "target") == 0) {
        if (!w->touched) {
            /* Nothing typed yet: start from the defaults of the new choice. */
            enum edition e = w->prof.edition;
            enum target t = w->prof.target;
            enum size_preset s = w->prof.size;
            profile_done(&w->prof);
            profile_init(&w->prof, e, t, s);
        } else {
            profile_apply_edition_target(&w->prof);
            set_status(w, TUI_NORMAL,
                       "Chart, plugin database and storage defaults follow the new "
                       "choice; other values are kept.");
        }
    } else if (strcmp(f->path, "size") == 0) {
        profile_apply_size(&w->prof, w->prof.size);
        set_status(w, TUI_NORMAL, "Applied the %s preset to nodes, data stores and replicas.",
                   size_names[w->prof.size]);
    } else {
        struct problems ps;
        problems_init(&ps);
        profile_validate(&w->prof, &w->sec, &ps);
        enum wiz_check c = wizard_field_problem(&ps, f->path, msg, sizeof(msg));
        problems_done(&ps);
        if (c == WIZ_ERROR)
            set_status(w, TUI_ERROR, "%s: %s", f->label, msg);
        else if (c == WIZ_WARNING)
            set_status(w, TUI_WARN, "%s: %s", f->label, msg);
        else
            set_status(w, TUI_NORMAL, NULL);
    }
    wizard_build(w);
}

static void commit_secret(struct wizard *w, struct tui_form_row *row, const struct secret_desc *d)
{
    char *text = tui_textfield_get(&row->text);
    char **slot = secrets_field_ptr(&w->sec, d);
    str_free_secret(*slot);
    *slot = *text ? xstrdup(text) : NULL;
    if (*text)
        log_add_secret(text);
    char msg[256];
    if (*text && d->generate && !valid_secret_len(text, 8, msg, sizeof(msg)))
        set_status(w, TUI_ERROR, "%s: %s", d->label, msg);
    else
        set_status(w, TUI_NORMAL, NULL);
    memset(text, 0, strlen(text));
    free(text);
    w->touched = true;
    wizard_build(w);
}

static void on_commit(struct tui_form *f, struct tui_form_row *row, void *arg)
{
    struct wizard *w = arg;
    if (row->tag == TAG_FIELD)
        commit_field(w, row, row->item);
    else if (row->tag == TAG_SECRET)
        commit_secret(w, row, row->item);
    else if (row->tag >= TAG_EXTRA)
        commit_extra(w, row);
}

static void on_activate(struct tui_form *f, struct tui_form_row *row, void *arg)
{
    struct wizard *w = arg;
    if (row->tag == TAG_WRITE)
        wizard_write(w);
    else if (row->tag == TAG_ADD_EXTRA)
        extra_add(w);
    else if (row->tag >= TAG_EXTRA && (row->tag - TAG_EXTRA) % 8 == XP_REMOVE)
        extra_remove(w, (size_t)((row->tag - TAG_EXTRA) / 8));
    else if (row->tag >= TAG_PROBLEM && row->tag < TAG_EXTRA &&
             (size_t)(row->tag - TAG_PROBLEM) < w->probs.n)
        wizard_jump(w, &w->probs.v[row->tag - TAG_PROBLEM]);
}

const struct tui_form_ops wizard_form_ops = {on_commit, on_activate};

void secret_key(struct wizard *w, int key)
{
    struct tui_form_row *row = tui_form_focused(&w->form);
    if (!row || row->tag != TAG_SECRET) {
        set_status(w, TUI_NORMAL, "Move to a secret first.");
        return;
    }
    const struct secret_desc *d = row->item;
    if (key == 'r') {
        w->revealed[secret_index(d)] = !w->revealed[secret_index(d)];
        wizard_build(w);
        return;
    }
    char **slot = secrets_field_ptr(&w->sec, d);
    bool can = d->generate || strcmp(d->key, "init_password") == 0 ||
               strcmp(d->key, "vector_password") == 0;
    if (!can) {
        set_status(w, TUI_WARN, "%s comes from its provider: paste it (Enter edits).", d->label);
        return;
    }
    if (strcmp(d->key, "db_password") == 0 && !str_empty(*slot)) {
        set_status(w, TUI_WARN,
                   "The database password is fixed once chosen: g does not replace it.");
        return;
    }
    str_free_secret(*slot);
    *slot = secret_generate(d->gen_bytes > 0 ? d->gen_bytes : 24);
    log_add_secret(*slot);
    w->touched = true;
    set_status(w, TUI_OK, "Generated %s.", d->label);
    wizard_build(w);
}
