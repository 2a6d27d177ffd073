/* screens/wizard_write.c: the files the wizard reads and writes: loading
 * --answers (and its secrets) at the start, and writing answers.yaml,
 * answers.secrets.yaml and the rendered files from Review. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/profile.h"
#include "core/render.h"
#include "screens/app.h"
#include "screens/dialog_screen.h"
#include "core/util.h"
#include "core/validate.h"
#include "screens/wizard_impl.h"
#include "tui/theme.h"

/* ---- writing ---- */

static void result_add(struct wizard_result *r, const char *path)
{
    r->files = xrealloc(r->files, (r->nfiles + 1) * sizeof(*r->files));
    r->files[r->nfiles++] = xstrdup(path);
}

/* Everything is checked before anything is written: the rendering is made
 * in memory and the output directory is opened and checked (it may hold
 * nothing the last rendering did not write), then the answers, the secrets
 * and the rendered files are saved. */
void wizard_write(struct wizard *w)
{
    struct error err;
    error_clear(&err);
    /* A draft is a value typed but not taken: writing would save the old
     * one. Review lists it and offers no Write; this is the backstop. */
    if (w->ndrafts > 0) {
        set_status(w, TUI_ERROR, "Not written: %s holds text that was not taken (see Review).",
                   w->drafts[0].path);
        return;
    }
    struct rendered rd = {0};
    struct render_out ro = {0};
    bool opened = false;
    int rc = secrets_fill(&w->sec, &w->prof, &err) < 0 ? -1 : 0;
    if (rc == 0)
        rc = render_profile(&w->prof, &w->sec, &rd, &err);
    if (rc == 0 && (rc = render_out_open(&ro, w->out_dir, &err)) == 0)
        opened = true;
    if (rc == 0)
        rc = render_out_check(&ro, &rd, &err);
    struct answers_kept kept = {0};
    if (rc == 0)
        rc = answers_save_kept(w->answers_path, &w->prof, &kept, &err);
    if (rc == 0)
        rc = secrets_save(w->secrets_path, &w->sec, &err);
    if (rc == 0)
        rc = render_out_write(&ro, &rd, &err);
    if (opened) {
        if (rc)
            render_out_abandon(&ro);
        render_out_done(&ro);
    }
    if (rc) {
        rendered_done(&rd);
        answers_kept_done(&kept);
        set_status(w, TUI_ERROR, "Not written: %s", err.msg);
        log_error("wizard: writing files: %s", err.msg);
        return;
    }
    for (size_t i = 0; i < secret_nfields; i++) {
        const char *v = *secrets_field_ptr(&w->sec, &secret_fields[i]);
        if (v)
            log_add_secret(v);
    }
    struct wizard_result *r = w->result;
    if (r) {
        result_files_clear(r);
        result_add(r, w->answers_path);
        result_add(r, w->secrets_path);
        /* What was written (not whatever else the directory holds). */
        for (size_t i = 0; i < rd.n; i++) {
            char *f = path_join(w->out_dir, rd.v[i].name);
            result_add(r, f);
            free(f);
        }
        r->written = true;
    }
    rendered_done(&rd);
    w->written = true;
    log_info("wizard: wrote %s, %s and %s", w->answers_path, w->secrets_path, w->out_dir);
    if (kept.nkept + kept.ndropped == 0) {
        set_status(w, TUI_OK, "Wrote %zu files. Enter on Exit (or Esc) leaves%s.",
                   r ? r->nfiles : 0, w->install ? "; Install now, below it, installs them" : "");
    } else {
        /* Keys the profile does not hold are never dropped in silence. */
        struct strbuf sb;
        strbuf_init(&sb);
        if (kept.nkept)
            strbuf_adds(&sb, " kept as comments (dify-tui does not read them): ");
        for (size_t i = 0; i < kept.nkept; i++)
            strbuf_addf(&sb, "%s%s", i ? ", " : "", kept.kept[i]);
        if (kept.ndropped)
            strbuf_addf(&sb, "%s left out (they look like secrets): ", kept.nkept ? ";" : "");
        for (size_t i = 0; i < kept.ndropped; i++)
            strbuf_addf(&sb, "%s%s", i ? ", " : "", kept.dropped[i]);
        set_status(w, TUI_WARN, "Wrote %zu files. In %s,%s.", r ? r->nfiles : 0, w->answers_path,
                   sb.buf);
        strbuf_done(&sb);
    }
    answers_kept_done(&kept);
    wizard_build(w);
    /* The Write button is gone; the rebuild put focus where it was: Exit. */
    tui_form_focus_item(&w->form, NULL, TAG_EXIT);
}

void result_files_clear(struct wizard_result *r)
{
    for (size_t i = 0; i < r->nfiles; i++)
        free(r->files[i]);
    free(r->files);
    r->files = NULL;
    r->nfiles = 0;
    r->written = false;
}

void wizard_result_done(struct wizard_result *r)
{
    result_files_clear(r);
    free(r->draft);
    free(r->draft_page);
    r->draft = r->draft_page = NULL;
    for (size_t i = 0; i < r->nload_problems; i++)
        free(r->load_problems[i]);
    free(r->load_problems);
    r->load_problems = NULL;
    r->nload_problems = 0;
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

int wizard_paths(struct wizard *w, const struct wizard_opts *opts, char **load_from,
                 struct error *err)
{
    *load_from = NULL;
    const char *given = opts->workdir;
    struct stat st;
    if (given && stat(given, &st) == 0 && !S_ISDIR(st.st_mode))
        return error_set(err, ERR_INVALID, ENOTDIR, "--workdir %s: exists and is not a directory",
                         given);
    if (opts->answers && paths_in_assets(opts->answers)) {
        /* A shipped example is read, never written: the copy goes to the
         * working directory, which must not hold answers already. */
        w->workdir = xstrdup(given ? given : ".");
        w->answers_path = path_join(w->workdir, "answers.yaml");
        w->example = xstrdup(opts->answers);
        if (exists(w->answers_path))
            return error_set(err, ERR_INVALID, EEXIST,
                             "%s is one of the program's examples, which are never written; "
                             "your copy would go to %s, which exists already: open that one "
                             "(--answers %s) or choose another --workdir",
                             opts->answers, w->answers_path, w->answers_path);
        *load_from = xstrdup(opts->answers);
    } else if (opts->answers) {
        w->answers_path = xstrdup(opts->answers);
        /* rendered/ belongs beside the answers, not in the current directory. */
        w->workdir = given ? xstrdup(given) : dir_of(opts->answers);
        if (exists(opts->answers))
            *load_from = xstrdup(opts->answers);
    } else {
        w->workdir = xstrdup(given ? given : ".");
        w->answers_path = path_join(w->workdir, "answers.yaml");
        /* A second run opens what the first one wrote. */
        if (exists(w->answers_path))
            *load_from = xstrdup(w->answers_path);
    }
    w->secrets_path = secrets_path_for(w->answers_path);
    w->out_dir = path_join(w->workdir, "rendered");
    return 0;
}

/* The page (1-based) a draft stopped at, or 0 when the file is not one. */
static int wizard_draft_page(const char *path)
{
    struct error err;
    char *text = NULL;
    size_t len = 0;
    if (file_read_all(path, 1 << 20, &text, &len, &err) < 0)
        return 0;
    int page = answers_draft_page(text, len);
    free(text);
    return page >= 1 && page <= PAGE__COUNT ? page : 0;
}

static void load_problem(struct wizard_result *result, char *m)
{
    if (!result) {
        free(m);
        return;
    }
    result->load_problems =
        xrealloc(result->load_problems, (result->nload_problems + 1) * sizeof(char *));
    result->load_problems[result->nload_problems++] = m;
}

bool wizard_load(struct wizard *w, const char *load_from, struct wizard_result *result,
                 struct error *err)
{
    struct problems probs;
    problems_init(&probs);
    struct profile loaded;
    memset(&loaded, 0, sizeof(loaded));
    bool ok = true;
    if (load_from) {
        ok = answers_load(load_from, &loaded, &probs, err) == 0;
        if (!ok && err->code == ERR_INVALID && probs.n > 0) {
            /* Problems tied to fields: open anyway, the pages show them. */
            ok = true;
            for (size_t i = 0; i < probs.n; i++)
                if (!probs.v[i].path)
                    ok = false;
        }
        /* Validation problems show live on the Review page; keep only the
         * others (unknown keys, wrong types) to list there as loaded. */
        struct problems live;
        problems_init(&live);
        profile_validate(&loaded, NULL, &live);
        for (size_t i = 0; i < probs.n; i++) {
            char *m = problem_format(&probs.v[i]);
            log_warn("%s", m);
            bool is_live = false;
            for (size_t k = 0; ok && k < live.n; k++)
                if (str_eq(live.v[k].path, probs.v[i].path) &&
                    str_eq(live.v[k].message, probs.v[i].message))
                    is_live = true;
            if (is_live)
                free(m);
            else
                load_problem(result, m);
        }
        problems_done(&live);
    }
    /* The secrets are opened whenever their file is there: a second run
     * keeps them (the database password above all), and so does a run whose
     * answers file was removed. */
    size_t nloaded = probs.n;
    bool had_secrets = exists(w->secrets_path);
    if (ok && secrets_load(w->secrets_path, &w->sec, &probs, err) < 0)
        ok = false;
    for (size_t i = nloaded; i < probs.n; i++)
        load_problem(result, problem_format(&probs.v[i]));
    if (!ok) {
        problems_done(&probs);
        if (load_from)
            profile_done(&loaded);
        return false;
    }
    /* Say what was opened, so nobody thinks they start from the defaults. */
    struct strbuf sb;
    strbuf_init(&sb);
    if (w->example)
        strbuf_addf(&sb, "Opened the example %s (your copy goes to %s)", w->example,
                    w->answers_path);
    else if (load_from)
        strbuf_addf(&sb, "Opened %s%s: kept as it is until you write", load_from,
                    had_secrets ? " and its secrets" : "");
    else if (had_secrets)
        strbuf_addf(&sb, "Opened the secrets in %s: kept as they are", w->secrets_path);
    if (probs.n > 0)
        strbuf_addf(&sb, "%s%zu problem%s on loading; the Review page lists them",
                    sb.len ? "; " : "", probs.n, probs.n == 1 ? "" : "s");
    if (sb.len)
        set_status(w, probs.n > 0 ? TUI_WARN : TUI_NORMAL, "%s.", sb.buf);
    int draft_page = load_from ? wizard_draft_page(load_from) : 0;
    if (draft_page > 0) {
        w->page = (enum wiz_page)(draft_page - 1);
        strbuf_reset(&sb);
        strbuf_addf(&sb, "Reopened the draft in %s at page %d (%s); secrets were not saved with it",
                    load_from, draft_page, wizard_page_name(w->page, &loaded));
        if (probs.n > 0)
            strbuf_addf(&sb, "; %zu problem%s on loading (Review lists them)", probs.n,
                        probs.n == 1 ? "" : "s");
        set_status(w, probs.n > 0 ? TUI_WARN : TUI_NORMAL, "%s.", sb.buf);
    }
    strbuf_done(&sb);
    if (load_from)
        log_info("wizard: opened %s%s", load_from, had_secrets ? " and its secrets" : "");
    problems_done(&probs);
    error_clear(err);
    if (load_from) {
        profile_done(&w->prof);
        w->prof = loaded;
        w->touched = true;
        wizard_mark_loaded(w);
    }
    return true;
}

/* ---- leaving part-way: a draft ---- */

static int on_draft_answer(struct app *a, bool yes, void *arg)
{
    struct wizard *w = arg;
    a->exit_status = EXIT_FAILURE; /* the files were not written */
    if (!yes) {
        log_info("wizard: left without writing");
        return SCREEN_QUIT;
    }
    struct error err;
    error_clear(&err);
    const char *name = wizard_page_name(w->page, &w->prof);
    if (answers_save_draft(w->answers_path, &w->prof, (int)w->page + 1, name, NULL, &err) < 0) {
        set_status(w, TUI_ERROR, "Draft not saved: %s", err.msg);
        log_error("wizard: draft: %s", err.msg);
        return SCREEN_DIRTY; /* stay: nothing is lost by a failed save */
    }
    log_info("wizard: left at page %d (%s); draft of the answers in %s", (int)w->page + 1, name,
             w->answers_path);
    if (w->result) {
        str_replace(&w->result->draft, w->answers_path);
        str_replace(&w->result->draft_page, name);
    }
    return SCREEN_QUIT;
}

static int on_leave_answer(struct app *a, bool yes, void *arg)
{
    struct wizard *w = arg;
    if (!yes)
        return SCREEN_DIRTY;
    struct stat st;
    bool exists = lstat(w->answers_path, &st) == 0;
    char *text = xasprintf("Keep a draft of the answers in\n%s%s?\n"
                           "Answers only: no secret is written.\n"
                           "dify-tui wizard --answers FILE reopens it at\n"
                           "this page. No leaves without writing anything.",
                           w->answers_path, exists ? " (replacing it)" : "");
    app_push(a, dialog_screen_confirm("Keep a draft?", text, on_draft_answer, w));
    free(text);
    return SCREEN_PUSH | SCREEN_DIRTY;
}

struct screen *wizard_leave_dialog(struct wizard *w)
{
    return dialog_screen_confirm("Leave the wizard?",
                                 "Leave without writing any file?\n"
                                 "Next you may keep a draft of the answers.",
                                 on_leave_answer, w);
}
