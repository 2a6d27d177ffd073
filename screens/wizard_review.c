/* screens/wizard_review.c: the Review page: a summary of the choices, the
 * problems profile_validate() finds (Enter jumps to the field), and the
 * Write button. */
#include "config.h"

#include <stdlib.h>

#include "core/profile.h"
#include "core/util.h"
#include "core/validate.h"
#include "screens/wizard_impl.h"
#include "tui/theme.h"

void add_review(struct wizard *w)
{
    struct tui_form *form = &w->form;
    struct profile *p = &w->prof;
    char *line;
    if (w->have_probs)
        problems_done(&w->probs);
    problems_init(&w->probs);
    profile_validate(p, &w->sec, &w->probs);
    w->have_probs = true;

    tui_form_add_heading(form, "Summary");
    line = xasprintf("%s edition on %s, %s size", edition_names[p->edition],
                     p->target == TARGET_EKS ? "a new EKS cluster" : "an existing cluster",
                     size_names[p->size]);
    tui_form_add_note(form, line, TUI_NORMAL);
    free(line);
    if (p->method == METHOD_HELM)
        line =
            xasprintf("Helm chart %s %s from %s", p->helm.chart, p->helm.version, p->helm.repo_url);
    else
        line = xasprintf("Built-in manifests, image tag %s", p->image_tag);
    tui_form_add_note(form, line, TUI_NORMAL);
    free(line);
    if (p->target == TARGET_EKS)
        line = xasprintf("Cluster %s in %s: %d x %s, namespace %s", p->aws.cluster_name,
                         p->aws.region, p->aws.node_count, p->aws.node_type, p->namespace);
    else
        line = xasprintf(
            "Cluster: context %s, namespace %s, ingress class %s",
            str_empty(p->cluster.context) ? "(current)" : p->cluster.context, p->namespace,
            str_empty(p->cluster.ingress_class) ? "(default)" : p->cluster.ingress_class);
    tui_form_add_note(form, line, TUI_NORMAL);
    free(line);
    if (p->domains.split)
        line = xasprintf("Web https://%s, API https://%s%s", p->domains.web_host,
                         p->domains.api_host, str_empty(p->domains.tls_secret) ? " (no TLS)" : "");
    else
        line = xasprintf("Host %s%s", p->domains.web_host,
                         str_empty(p->domains.tls_secret) ? " (no TLS secret)" : "");
    tui_form_add_note(form, line, TUI_NORMAL);
    free(line);
    line = xasprintf("Answers  %s", w->answers_path);
    tui_form_add_note(form, line, TUI_DIM);
    free(line);
    line = xasprintf("Secrets  %s (0600)", w->secrets_path);
    tui_form_add_note(form, line, TUI_DIM);
    free(line);
    /* On EKS values only Terraform knows are @@name@@ placeholders that
     * `render --from-terraform DIR` fills (docs/render.md). */
    line = xasprintf("Rendered %s/%s", w->out_dir,
                     p->target == TARGET_EKS ? " (@@ placeholders: fill with --from-terraform DIR)"
                                             : "");
    tui_form_add_note(form, line, TUI_DIM);
    free(line);

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
    /* Errors first, then warnings: what blocks writing is at the top. */
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
        tui_form_focus(form, r);
    } else if (errors == 0) {
        int r = tui_form_add_button(form, "Write files", NULL);
        tui_form_row_at(form, r)->tag = TAG_WRITE;
    } else {
        tui_form_add_note(form, "Fix the errors to write the files.", TUI_DIM);
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
