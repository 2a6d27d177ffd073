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
#include "screens/dialog_screen.h"
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

/* ---- presets fill only what the person has not touched ---- */

static bool is_choice(const struct field_desc *f)
{
    return !strcmp(f->path, "edition") || !strcmp(f->path, "target") || !strcmp(f->path, "size");
}

static void field_copy(struct profile *dst, const struct profile *src, const struct field_desc *f)
{
    void *d = profile_field_ptr(dst, f);
    const void *s = (const char *)src + f->offset;
    switch (f->type) {
    case FT_STRING:
        str_replace(d, *(char *const *)s);
        break;
    case FT_STRLIST: {
        const struct strlist *l = s;
        strlist_clear(d);
        for (size_t i = 0; i < l->n; i++)
            strlist_add(d, l->v[i]);
        break;
    }
    case FT_INT:
    case FT_ENUM:
        *(int *)d = *(const int *)s;
        break;
    case FT_DOUBLE:
        *(double *)d = *(const double *)s;
        break;
    case FT_BOOL:
        *(bool *)d = *(const bool *)s;
        break;
    }
}

/* The defaults of the edition, target and size chosen now (presets
 * included) go into every field the person has not touched; the others are
 * kept. Returns how many touched fields were kept. */
static size_t apply_presets(struct wizard *w)
{
    struct profile fresh;
    profile_init(&fresh, w->prof.edition, w->prof.target, w->prof.size);
    size_t kept = 0;
    for (size_t i = 0; i < profile_nfields; i++) {
        const struct field_desc *f = &profile_fields[i];
        if (is_choice(f))
            continue;
        if (w->field_touched[i]) {
            kept++;
            continue;
        }
        field_copy(&w->prof, &fresh, f);
    }
    profile_done(&fresh);
    return kept;
}

void wizard_mark_loaded(struct wizard *w)
{
    /* A value that differs from the defaults its file's edition, target and
     * size imply was written by someone: it counts as touched. */
    struct profile fresh;
    profile_init(&fresh, w->prof.edition, w->prof.target, w->prof.size);
    for (size_t i = 0; i < profile_nfields; i++) {
        const struct field_desc *f = &profile_fields[i];
        char *a = profile_field_format(&w->prof, f), *b = profile_field_format(&fresh, f);
        w->field_touched[i] = !is_choice(f) && strcmp(a, b) != 0;
        free(a);
        free(b);
    }
    profile_done(&fresh);
}

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
    char *before = profile_field_format(&w->prof, f);
    if (profile_field_parse(&w->prof, f, text, msg, sizeof(msg)) < 0) {
        free(before);
        draft_set(w, f->path, text, msg);
        set_status(w, TUI_ERROR, "%s: %s", f->label, msg);
        free(text);
        wizard_build(w);
        return;
    }
    free(text);
    draft_clear(w, f->path);
    char *after = profile_field_format(&w->prof, f);
    bool changed = strcmp(before, after) != 0;
    free(before);
    free(after);
    if (changed && !is_choice(f))
        w->field_touched[f - profile_fields] = true;
    if (changed && is_choice(f)) {
        /* Presets fill only what was not typed (page 1 promises it). */
        size_t kept = apply_presets(w);
        bool size = !strcmp(f->path, "size");
        if (size && kept)
            set_status(w, TUI_NORMAL, "Applied the %s preset; the %zu value%s you changed %s kept.",
                       size_names[w->prof.size], kept, kept == 1 ? "" : "s",
                       kept == 1 ? "is" : "are");
        else if (size)
            set_status(w, TUI_NORMAL, "Applied the %s preset to nodes, data stores and replicas.",
                       size_names[w->prof.size]);
        else if (kept)
            set_status(w, TUI_NORMAL,
                       "Defaults of the new choice fill the rest; the %zu value%s you changed "
                       "%s kept.",
                       kept, kept == 1 ? "" : "s", kept == 1 ? "is" : "are");
        else
            set_status(w, TUI_NORMAL, NULL);
    } else if (is_choice(f)) {
        set_status(w, TUI_NORMAL, NULL);
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

/* Stores value (which may be "", meaning none) in the secret's slot. */
static void secret_store(struct wizard *w, const struct secret_desc *d, const char *value)
{
    char **slot = secrets_field_ptr(&w->sec, d);
    str_free_secret(*slot);
    *slot = *value ? xstrdup(value) : NULL;
    if (*value)
        log_add_secret(value);
    char msg[256];
    if (*value && d->generate && !valid_secret_len(value, 8, msg, sizeof(msg)))
        set_status(w, TUI_ERROR, "%s: %s", d->label, msg);
    else
        set_status(w, TUI_NORMAL, NULL);
    w->touched = true;
}

/* A stored secret is replaced only after a yes: the edit waits in
 * w->pending_* and wizard_pending_dialog asks. */
static void secret_propose(struct wizard *w, const struct secret_desc *d, char *value)
{
    const char *old = *secrets_field_ptr(&w->sec, d);
    if (str_empty(old) || strcmp(old, value) == 0) {
        secret_store(w, d, value);
        str_free_secret(value);
        return;
    }
    str_free_secret(w->pending_value);
    w->pending_secret = d;
    w->pending_value = value;
    set_status(w, TUI_WARN, "%s: replace the stored value? (answer the question)", d->label);
}

static void commit_secret(struct wizard *w, struct tui_form_row *row, const struct secret_desc *d)
{
    secret_propose(w, d, tui_textfield_get(&row->text));
    wizard_build(w);
}

static int on_replace_answer(struct app *a, bool yes, void *arg)
{
    struct wizard *w = arg;
    const struct secret_desc *d = w->pending_secret;
    if (!d)
        return SCREEN_DIRTY;
    if (yes) {
        secret_store(w, d, w->pending_value);
        if (w->status_role != TUI_ERROR)
            set_status(w, TUI_OK, "Replaced %s.", d->label);
        log_info("wizard: %s replaced by a confirmed choice", d->key);
    } else {
        set_status(w, TUI_NORMAL, "Kept the stored %s.", d->label);
    }
    str_free_secret(w->pending_value);
    w->pending_value = NULL;
    w->pending_secret = NULL;
    wizard_build(w);
    return SCREEN_DIRTY;
}

struct screen *wizard_pending_dialog(struct wizard *w)
{
    const struct secret_desc *d = w->pending_secret;
    if (!d)
        return NULL;
    bool db = strcmp(d->key, "db_password") == 0;
    char *text = xasprintf(
        "Replace the stored %s%s?\n"
        "The old value is lost once the files are written.%s",
        d->label, str_empty(w->pending_value) ? " with nothing (generated again on writing)" : "",
        db ? "\nThe database keeps the password it was created\nwith: replace it only for a new "
             "database."
           : "");
    struct screen *s = dialog_screen_confirm("Replace a secret?", text, on_replace_answer, w);
    free(text);
    return s;
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
    /* Only what nothing else knows yet: Dify's own keys, the first admin's
     * password, and the passwords of services this installer creates. A
     * password of the user's own database, Redis or vector store has to
     * match the server, so it is pasted, never invented. */
    bool can = secret_generated(&w->prof, d) || strcmp(d->key, "init_password") == 0;
    if (!can) {
        set_status(w, TUI_WARN, "%s comes from %s: paste it (Enter edits).", d->label,
                   secret_needed(&w->prof, d) ? "your own server" : "its provider");
        return;
    }
    if (strcmp(d->key, "db_password") == 0 && !str_empty(*slot)) {
        set_status(w, TUI_WARN,
                   "The database password is fixed once chosen: g does not replace it.");
        return;
    }
    char *v = d->alnum ? secret_generate_alnum(d->gen_bytes)
                       : secret_generate(d->gen_bytes > 0 ? d->gen_bytes : 24);
    if (!v) {
        set_status(w, TUI_ERROR, "%s: no random source to generate it", d->label);
        return;
    }
    log_add_secret(v);
    bool had = !str_empty(*slot);
    secret_propose(w, d, v);
    if (!had)
        set_status(w, TUI_OK, "Generated %s.", d->label);
    wizard_build(w);
}
