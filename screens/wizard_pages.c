/* screens/wizard_pages.c: the install wizard's pages. The profile is the
 * model; each page is a tui form rebuilt from profile_fields[] whenever the
 * page or a value that changes visibility changes, so Back and Next never
 * lose what was typed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/profile.h"
#include "core/util.h"
#include "screens/wizard_impl.h"
#include "tui/theme.h"

/* ---- building the pages ---- */

static int enum_value(const struct profile *p, const struct field_desc *f)
{
    return *(const int *)((const char *)p + f->offset);
}

size_t wizard_field_max(const struct field_desc *f)
{
    /* A path may be as long as the system allows; every other value (a
     * host, a version, a URL, a list) fits well within 1 KiB. The caps keep
     * a mistaken paste from filling a field with megabytes. */
    if (str_ends_with(f->path, "kubeconfig") || str_ends_with(f->path, "_path"))
        return WIZ_PATH_MAX;
    return WIZ_TEXT_MAX;
}

static void add_field_row(struct wizard *w, const struct field_desc *f, const struct problems *ps)
{
    struct tui_form *form = &w->form;
    int r;
    if (f->type == FT_ENUM) {
        r = tui_form_add_choice(form, f->label, f->enum_names, enum_value(&w->prof, f), (void *)f);
    } else if (f->type == FT_BOOL) {
        r = tui_form_add_check(form, f->label, *(bool *)profile_field_ptr(&w->prof, f), (void *)f);
    } else {
        struct draft *d = draft_find(w, f->path);
        char *v = d ? xstrdup(d->text) : profile_field_format(&w->prof, f);
        r = tui_form_add_text(form, f->label, v, (void *)f);
        tui_form_set_max(form, r, wizard_field_max(f));
        free(v);
    }
    tui_form_row_at(form, r)->tag = TAG_FIELD;
    tui_form_set_help(form, r, f->help);
    struct draft *d = draft_find(w, f->path);
    char msg[256];
    if (d) {
        tui_form_set_error(form, r, d->msg, false);
    } else {
        enum wiz_check c = wizard_field_problem(ps, f->path, msg, sizeof(msg));
        if (c != WIZ_OK)
            tui_form_set_error(form, r, msg, c == WIZ_WARNING);
    }
}

static void add_fields(struct wizard *w, enum wiz_page page)
{
    const char *section = NULL;
    /* Every field shows what profile_validate says of it: the rules Review,
     * `validate` and `render` apply. */
    struct problems ps;
    problems_init(&ps);
    profile_validate(&w->prof, &w->sec, &ps);
    for (size_t i = 0; i < profile_nfields; i++) {
        const struct field_desc *f = &profile_fields[i];
        if (!wizard_field_on_page(f, page) || !wizard_field_visible(&w->prof, f))
            continue;
        const char *title = wizard_section_title(f->path);
        if (title && (!section || strcmp(section, title) != 0))
            tui_form_add_heading(&w->form, title);
        section = title;
        add_field_row(w, f, &ps);
    }
    problems_done(&ps);
}

int secret_index(const struct secret_desc *d)
{
    return (int)(d - secret_fields);
}

static void update_secret_row(struct wizard *w, int r)
{
    struct tui_form_row *row = tui_form_row_at(&w->form, r);
    const struct secret_desc *d = row->item;
    const char *v = *secrets_field_ptr(&w->sec, d);
    row->text.masked = true;
    row->text.revealed = w->revealed[secret_index(d)];
    if (str_empty(v)) {
        tui_form_set_display(&w->form, r,
                             secret_generated(&w->prof, d)
                                 ? "(empty: generated when the files are written)"
                             : secret_needed(&w->prof, d) ? "(empty: needed, only you have it)"
                                                          : "(empty)");
    } else if (row->text.revealed) {
        tui_form_set_display(&w->form, r, NULL);
    } else {
        char *m = secret_mask(v);
        tui_form_set_display(&w->form, r, m);
        free(m);
    }
}

static void add_secrets(struct wizard *w)
{
    tui_form_add_note(&w->form, "Kept in answers.secrets.yaml (mode 0600), never in answers.yaml.",
                      TUI_DIM);
    tui_form_add_note(&w->form, "g generates the focused secret; r shows or hides it.", TUI_DIM);
    /* Each secret shows what profile_validate says of it (a password only
     * the user has, a rule it breaks), as the fields do. */
    struct problems ps;
    problems_init(&ps);
    profile_validate(&w->prof, &w->sec, &ps);
    for (size_t i = 0; i < secret_nfields; i++) {
        const struct secret_desc *d = &secret_fields[i];
        if (!wizard_secret_visible(&w->prof, d))
            continue;
        const char *v = *secrets_field_ptr(&w->sec, d);
        int r = tui_form_add_text(&w->form, d->label, v ? v : "", (void *)d);
        tui_form_set_max(&w->form, r, WIZ_TEXT_MAX);
        tui_form_row_at(&w->form, r)->tag = TAG_SECRET;
        char *help = xasprintf("%s in the secrets file; %s overrides it%s", d->key, d->env,
                               secret_generated(&w->prof, d) ? "; generated if empty"
                               : secret_needed(&w->prof, d)  ? "; needed: only you have it"
                                                             : "");
        tui_form_set_help(&w->form, r, help);
        free(help);
        char msg[256], path[64];
        snprintf(path, sizeof(path), "secrets.%s", d->key);
        enum wiz_check c = wizard_field_problem(&ps, path, msg, sizeof(msg));
        if (c != WIZ_OK)
            tui_form_set_error(&w->form, r, msg, c == WIZ_WARNING);
        else if (strcmp(d->key, "db_password") == 0 && secret_generated(&w->prof, d))
            tui_form_set_error(&w->form, r, "fixed once chosen (the database keeps it)", true);
        update_secret_row(w, r);
    }
    problems_done(&ps);
}
static void build_presets(struct wizard *w)
{
    static const char *const head[] = {"Preset", "test", "prod"};
    tui_table_done(&w->presets);
    tui_table_init(&w->presets, 3, head);
    struct profile t, pr;
    profile_init(&t, w->prof.edition, w->prof.target, SIZE_TEST);
    profile_init(&pr, w->prof.edition, w->prof.target, SIZE_PROD);
    struct profile *ps[2] = {&t, &pr};
    char *c[2];
    bool eks = w->prof.target == TARGET_EKS;
    if (eks) {
        for (int i = 0; i < 2; i++)
            c[i] = xasprintf("%s x %d (%d-%d)", ps[i]->aws.node_type, ps[i]->aws.node_count,
                             ps[i]->aws.node_min, ps[i]->aws.node_max);
        tui_table_add_row(&w->presets, (const char *[]){"Nodes", c[0], c[1]});
        free(c[0]), free(c[1]);
        for (int i = 0; i < 2; i++)
            c[i] = wizard_instance_shape(ps[i]->aws.node_type);
        tui_table_add_row(&w->presets, (const char *[]){"  per node", c[0], c[1]});
        free(c[0]), free(c[1]);
        for (int i = 0; i < 2; i++)
            c[i] = xasprintf("%g-%g ACU, %d instance%s", ps[i]->db.acu_min, ps[i]->db.acu_max,
                             ps[i]->db.instances, ps[i]->db.instances == 1 ? "" : "s");
        tui_table_add_row(&w->presets, (const char *[]){"Aurora", c[0], c[1]});
        free(c[0]), free(c[1]);
        tui_table_add_row(&w->presets,
                          (const char *[]){"Cache", t.redis.node_type, pr.redis.node_type});
        for (int i = 0; i < 2; i++)
            c[i] = xasprintf("%s x %d", ps[i]->vector.instance_type, ps[i]->vector.instance_count);
        tui_table_add_row(&w->presets, (const char *[]){"OpenSearch", c[0], c[1]});
        free(c[0]), free(c[1]);
    }
    /* Replicas per component, in two rows so both columns fit 80 columns. */
    for (int half = 0; half < 2; half++) {
        int from = half ? 4 : 0, to = half ? COMP__COUNT : 4;
        struct strbuf label;
        strbuf_init(&label);
        strbuf_adds(&label, "Replicas ");
        for (int k = from; k < to; k++)
            strbuf_addf(&label, "%s%s", k > from ? "/" : "",
                        k == COMP_PLUGIN_DAEMON ? "plugin"
                        : k == COMP_SSRF_PROXY  ? "ssrf"
                                                : component_names[k]);
        for (int i = 0; i < 2; i++) {
            struct strbuf sb;
            strbuf_init(&sb);
            for (int k = from; k < to; k++)
                strbuf_addf(&sb, "%s%d", k > from ? "/" : "", ps[i]->comp[k].replicas);
            c[i] = strbuf_detach(&sb, NULL);
        }
        tui_table_add_row(&w->presets, (const char *[]){label.buf, c[0], c[1]});
        free(c[0]), free(c[1]);
        strbuf_done(&label);
    }
    for (int i = 0; i < 2; i++)
        c[i] = xasprintf("%s/%s", ps[i]->comp[COMP_API].res.cpu_request,
                         ps[i]->comp[COMP_API].res.mem_request);
    tui_table_add_row(&w->presets, (const char *[]){"api requests", c[0], c[1]});
    free(c[0]), free(c[1]);
    wizard_cost_row(w, &t, &pr);
    w->presets.highlight = w->prof.size == SIZE_TEST ? 1 : 2;
    profile_done(&t);
    profile_done(&pr);
}

/* Rebuilds the current page's rows from the model, keeping focus and scroll. */
void wizard_build(struct wizard *w)
{
    struct tui_form_row *fr = tui_form_focused(&w->form);
    const void *focus_item = fr ? fr->item : NULL;
    int focus_tag = fr ? fr->tag : -1;
    int focus_index = w->form.focus;
    int top = w->form.top;
    bool follow = w->form.follow;
    tui_form_clear(&w->form);
    struct tui_form *form = &w->form;
    bool eks = w->prof.target == TARGET_EKS;
    switch (w->page) {
    case PAGE_EDITION:
        tui_form_add_note(form, "What to install and where. Presets follow these choices;",
                          TUI_DIM);
        tui_form_add_note(form, "changing them later keeps what you typed on other pages.",
                          TUI_DIM);
        add_fields(w, PAGE_EDITION);
        break;
    case PAGE_METHOD:
        tui_form_add_note(form,
                          w->prof.method == METHOD_HELM
                              ? "helm: installs the chart below with rendered values.yaml."
                              : "manifests: applies the built-in manifests (no Helm needed).",
                          TUI_DIM);
        add_fields(w, PAGE_METHOD);
        break;
    case PAGE_SIZE:
        /* The preset table scrolls with the rows, so at 80x24 the page's
         * forty-odd fields get the whole height once it is passed. */
        build_presets(w);
        tui_form_add_table(form, &w->presets);
        wizard_cost_note(w);
        tui_form_add_note(form, "", TUI_NORMAL);
        add_fields(w, PAGE_SIZE);
        wizard_cost_sources(w);
        break;
    case PAGE_CLUSTER:
        tui_form_add_note(form,
                          eks ? "Terraform creates the VPC, EKS, Aurora, ElastiCache, OpenSearch "
                                "and S3."
                              : "Dify goes into an existing cluster reached with this kubeconfig.",
                          TUI_DIM);
        add_fields(w, PAGE_CLUSTER);
        break;
    case PAGE_DOMAINS:
        add_fields(w, PAGE_DOMAINS);
        break;
    case PAGE_DATA:
        if (eks) {
            tui_form_add_note(form, "On EKS the database, Redis and OpenSearch hosts are not",
                              TUI_DIM);
            tui_form_add_note(form, "asked: they are filled from Terraform outputs after apply.",
                              TUI_DIM);
        }
        add_fields(w, PAGE_DATA);
        break;
    case PAGE_SECRETS:
        add_secrets(w);
        break;
    case PAGE_ROLLOUT:
        add_extra_files(w);
        add_fields(w, PAGE_ROLLOUT);
        extra_check_rows(w);
        break;
    case PAGE_REVIEW:
        add_review(w);
        break;
    case PAGE__COUNT:
        break;
    }
    if (focus_tag >= 0 && !tui_form_focus_item(form, focus_item, focus_tag)) {
        if (focus_index >= 0)
            tui_form_focus(form, focus_index);
    }
    form->top = top;
    form->follow = follow;
}

void wizard_goto(struct wizard *w, enum wiz_page page)
{
    if (page == w->page)
        return;
    w->page = page;
    tui_form_clear(&w->form);
    wizard_build(w);
    set_status(w, TUI_NORMAL, NULL);
}
