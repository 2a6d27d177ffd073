/* screens/wizard_review.c: the Review page: the summary of what writing does
 * (core/summary.c), the problems profile_validate() finds and the drafts
 * that did not parse (Enter jumps to the field), and the Write button,
 * offered only when there is no error. */
#include "config.h"

#include <stdlib.h>

#include "core/profile.h"
#include "core/summary.h"
#include "core/util.h"
#include "core/validate.h"
#include "screens/wizard_impl.h"
#include "tui/theme.h"

/* Text typed into a field that did not parse is not in the answers: Write
 * would save the old value. Each is a problem, so Write waits for it. */
static void add_draft_problems(struct wizard *w)
{
    for (size_t i = 0; i < w->ndrafts; i++) {
        const struct draft *d = &w->drafts[i];
        const struct field_desc *f = profile_field_find(d->path);
        char *now = f ? profile_field_format(&w->prof, f) : xstrdup("");
        problems_add(&w->probs, false, d->path,
                     "\"%s\" was typed but not taken (%s); the answers still hold \"%s\": fix it "
                     "or type the old value again",
                     d->text, d->msg ? d->msg : "it does not parse", now);
        free(now);
    }
}

static int summary_role(enum summary_role r)
{
    switch (r) {
    case SUM_HEADING:
        return TUI_HEADING;
    case SUM_DIM:
        return TUI_DIM;
    case SUM_WARN:
        return TUI_WARN;
    case SUM_TEXT:
        break;
    }
    return TUI_NORMAL;
}

void add_review(struct wizard *w)
{
    struct tui_form *form = &w->form;
    struct profile *p = &w->prof;
    char *line;
    if (w->have_probs)
        problems_done(&w->probs);
    problems_init(&w->probs);
    profile_validate(p, &w->sec, &w->probs);
    add_draft_problems(w);
    w->have_probs = true;

    /* What blocks writing comes first, errors before warnings (Enter
     * jumps to the field); then the summary a person signs off on; then the
     * Write button, at the end, after everything has been read. */
    size_t errors = problems_errors(&w->probs);
    size_t warnings = w->probs.n - errors;
    if (w->probs.n == 0) {
        tui_form_add_heading(form, "No problems found");
    } else {
        line = xasprintf("Problems: %zu error%s, %zu warning%s (Enter jumps to the field)", errors,
                         errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
        tui_form_add_heading(form, line);
        free(line);
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < w->probs.n; i++) {
            struct problem *pr = &w->probs.v[i];
            if (pr->warning != (pass == 1))
                continue;
            line = xasprintf("%s: %s%s%s", pr->warning ? "warning" : "error",
                             pr->path ? pr->path : "", pr->path ? ": " : "", pr->message);
            int r = tui_form_add_button(form, line, NULL);
            free(line);
            struct tui_form_row *row = tui_form_row_at(form, r);
            row->tag = TAG_PROBLEM + (int)i;
            row->role = pr->warning ? TUI_WARN : TUI_ERROR;
        }
    if (w->result && w->result->nload_problems > 0 && !w->written) {
        tui_form_add_heading(form, "When the answers file was loaded");
        for (size_t i = 0; i < w->result->nload_problems; i++)
            tui_form_add_note(form, w->result->load_problems[i], TUI_WARN);
    }
    if (w->written) {
        tui_form_add_heading(form, "Written");
        for (size_t i = 0; w->result && i < w->result->nfiles; i++)
            tui_form_add_note(form, w->result->files[i], TUI_OK);
        int r = tui_form_add_button(form, "Exit", NULL);
        tui_form_row_at(form, r)->tag = TAG_EXIT;
        /* Below Exit, so that Enter after writing still only leaves: an
         * install is chosen on purpose. */
        if (w->install) {
            int i = tui_form_add_button(form, "Install now", NULL);
            tui_form_row_at(form, i)->tag = TAG_INSTALL;
            tui_form_set_help(form, i,
                              "Runs the install from these files: preflight, then every step, "
                              "behind a progress pane. An interrupted install resumes.");
        }
        tui_form_focus(form, r);
        return;
    }

    /* The summary (core/summary.c): URLs as rendered, data stores, storage,
     * replicas, extra files, secrets, the files written and replaced. */
    struct summary sm;
    struct summary_paths paths = {w->answers_path, w->secrets_path, w->out_dir};
    profile_summary(p, &w->sec, &paths, &sm);
    for (size_t i = 0; i < sm.n; i++) {
        if (sm.v[i].role == SUM_HEADING)
            tui_form_add_heading(form, sm.v[i].text);
        else
            tui_form_add_note(form, sm.v[i].text, summary_role(sm.v[i].role));
    }
    summary_done(&sm);
    if (errors == 0) {
        int r = tui_form_add_button(form, "Write files", NULL);
        tui_form_row_at(form, r)->tag = TAG_WRITE;
    } else {
        tui_form_add_note(form, "Fix the errors above to write the files.", TUI_DIM);
    }
}

void wizard_jump(struct wizard *w, const struct problem *pr)
{
    struct wiz_target t;
    if (!wizard_problem_target(pr->path, &t)) {
        set_status(w, TUI_WARN, "This problem is not tied to one field.");
        return;
    }
    wizard_goto(w, t.page);
    bool found = false;
    if (t.field)
        found = tui_form_focus_item(&w->form, t.field, TAG_FIELD);
    else if (t.secret)
        found = tui_form_focus_item(&w->form, t.secret, TAG_SECRET);
    else if (t.extra >= 0)
        found = tui_form_focus_item(&w->form, NULL, TAG_EXTRA + t.extra * 8 + XP_SOURCE);
    set_status(w, pr->warning ? TUI_WARN : TUI_ERROR, "%s%s", pr->message,
               found || !t.field ? "" : " (the field is hidden by another choice on this page)");
}
