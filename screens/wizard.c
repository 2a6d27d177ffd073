/* screens/wizard.c: the install wizard. The profile is the model; each page is
 * a tui form rebuilt from profile_fields[] whenever the page or a value that
 * changes visibility changes, so Back and Next never lose what was typed.
 * Text that does not parse yet is kept as a draft (with its message) until it
 * is fixed, so leaving a page with a typo does not throw the typo away. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/log.h"
#include "core/profile.h"
#include "core/render.h"
#include "core/util.h"
#include "core/validate.h"
#include "screens/app.h"
#include "screens/dialog_screen.h"
#include "screens/wizard.h"
#include "screens/wizard_fields.h"
#include "tui/draw.h"
#include "tui/form.h"
#include "tui/keys.h"
#include "tui/table.h"
#include "tui/theme.h"

/* Row tags: what kind of thing a form row edits (the item says which one). */
enum {
    TAG_FIELD,  /* item: const struct field_desc * */
    TAG_SECRET, /* item: const struct secret_desc * */
    TAG_WRITE,  /* the "Write files" button */
    TAG_EXIT,   /* the "Exit" button once written */
    TAG_ADD_EXTRA,
    TAG_PROBLEM = 1000, /* + index into probs */
    TAG_EXTRA = 100000, /* + file index * 8 + part */
};

enum extra_part { XP_SOURCE, XP_CONFIGMAP, XP_KEY, XP_MOUNT, XP_API, XP_WORKER, XP_REMOVE };

/* Text typed into a field that did not parse, kept until it does. */
struct draft {
    char *path;
    char *text;
    char *msg;
};

struct wizard {
    struct profile prof;
    struct secrets sec;
    bool touched; /* edited beyond the first page: keep values on edition/target changes */
    char *workdir;
    char *answers_path;
    char *secrets_path;
    char *out_dir;
    enum wiz_page page;
    struct tui_form form;
    struct draft *drafts;
    size_t ndrafts;
    bool revealed[32]; /* per secret_fields index */
    struct problems probs;
    bool have_probs;
    char *status;
    int status_role;
    struct tui_table presets;
    struct wizard_result *result;
    bool written;
    int cols, rows;
};

static const struct tui_form_ops wizard_form_ops;
static void wizard_build(struct wizard *w);
static void result_files_clear(struct wizard_result *r);

/* ---- drafts ---- */

static struct draft *draft_find(struct wizard *w, const char *path)
{
    for (size_t i = 0; i < w->ndrafts; i++)
        if (strcmp(w->drafts[i].path, path) == 0)
            return &w->drafts[i];
    return NULL;
}

static void draft_set(struct wizard *w, const char *path, const char *text, const char *msg)
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

static void draft_clear(struct wizard *w, const char *path)
{
    struct draft *d = draft_find(w, path);
    if (!d)
        return;
    free(d->path);
    free(d->text);
    free(d->msg);
    *d = w->drafts[--w->ndrafts];
}

static void set_status(struct wizard *w, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_status(struct wizard *w, int role, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(w->status);
    w->status = fmt ? xvasprintf(fmt, ap) : NULL;
    va_end(ap);
    w->status_role = role;
}

/* ---- building the pages ---- */

static int enum_value(const struct profile *p, const struct field_desc *f)
{
    return *(const int *)((const char *)p + f->offset);
}

static void add_field_row(struct wizard *w, const struct field_desc *f)
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
        free(v);
    }
    tui_form_row_at(form, r)->tag = TAG_FIELD;
    tui_form_set_help(form, r, f->help);
    struct draft *d = draft_find(w, f->path);
    char msg[256];
    if (d) {
        tui_form_set_error(form, r, d->msg, false);
    } else {
        enum wiz_check c = wizard_field_check(&w->prof, f, msg, sizeof(msg));
        if (c != WIZ_OK)
            tui_form_set_error(form, r, msg, c == WIZ_WARNING);
    }
}

static void add_fields(struct wizard *w, enum wiz_page page)
{
    const char *section = NULL;
    for (size_t i = 0; i < profile_nfields; i++) {
        const struct field_desc *f = &profile_fields[i];
        if (!wizard_field_on_page(f, page) || !wizard_field_visible(&w->prof, f))
            continue;
        const char *title = wizard_section_title(f->path);
        if (title && (!section || strcmp(section, title) != 0))
            tui_form_add_heading(&w->form, title);
        section = title;
        add_field_row(w, f);
    }
}

static int secret_index(const struct secret_desc *d)
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
        tui_form_set_display(
            &w->form, r, d->generate ? "(empty: generated when the files are written)" : "(empty)");
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
    for (size_t i = 0; i < secret_nfields; i++) {
        const struct secret_desc *d = &secret_fields[i];
        if (!wizard_secret_visible(&w->prof, d))
            continue;
        const char *v = *secrets_field_ptr(&w->sec, d);
        int r = tui_form_add_text(&w->form, d->label, v ? v : "", (void *)d);
        tui_form_row_at(&w->form, r)->tag = TAG_SECRET;
        char *help = xasprintf("%s in the secrets file; %s overrides it%s", d->key, d->env,
                               d->generate ? "; generated if empty" : "");
        tui_form_set_help(&w->form, r, help);
        free(help);
        if (strcmp(d->key, "db_password") == 0)
            tui_form_set_error(&w->form, r, "fixed once chosen (the database keeps it)", true);
        update_secret_row(w, r);
    }
}

static void add_extra_files(struct wizard *w)
{
    struct tui_form *form = &w->form;
    tui_form_add_heading(form, "Extra files (mounted from ConfigMaps)");
    if (w->prof.n_extra_files == 0)
        tui_form_add_note(form, "None. Add one to mount a file such as a custom prompts.py.",
                          TUI_DIM);
    for (size_t i = 0; i < w->prof.n_extra_files; i++) {
        struct extra_file *x = &w->prof.extra_files[i];
        int base = TAG_EXTRA + (int)i * 8;
        char label[64];
        snprintf(label, sizeof(label), "File %zu", i + 1);
        tui_form_add_note(form, label, TUI_HEADING);
        static const char *const labels[] = {"Source path", "ConfigMap", "Key", "Mount path"};
        static const char *const helps[] = {"local file whose content goes into the ConfigMap",
                                            "ConfigMap name (DNS name), e.g. dify-prompts",
                                            "key inside the ConfigMap, e.g. prompts.py",
                                            "absolute path in the container, mounted with subPath"};
        const char *vals[] = {x->source, x->configmap, x->key, x->mount_path};
        for (int k = 0; k < 4; k++) {
            int r = tui_form_add_text(form, labels[k], vals[k] ? vals[k] : "", NULL);
            tui_form_row_at(form, r)->tag = base + k;
            tui_form_set_help(form, r, helps[k]);
        }
        int r = tui_form_add_check(form, "Mount in api", x->api, NULL);
        tui_form_row_at(form, r)->tag = base + XP_API;
        r = tui_form_add_check(form, "Mount in worker", x->worker, NULL);
        tui_form_row_at(form, r)->tag = base + XP_WORKER;
        snprintf(label, sizeof(label), "Remove file %zu", i + 1);
        r = tui_form_add_button(form, label, NULL);
        tui_form_row_at(form, r)->tag = base + XP_REMOVE;
    }
    int r = tui_form_add_button(form, "Add an extra file", NULL);
    tui_form_row_at(form, r)->tag = TAG_ADD_EXTRA;
}

static void extra_check_rows(struct wizard *w)
{
    char msg[256];
    for (size_t i = 0; i < w->form.n; i++) {
        struct tui_form_row *row = &w->form.rows[i];
        if (row->tag < TAG_EXTRA)
            continue;
        int idx = (row->tag - TAG_EXTRA) / 8, part = (row->tag - TAG_EXTRA) % 8;
        if ((size_t)idx >= w->prof.n_extra_files)
            continue;
        struct extra_file *x = &w->prof.extra_files[idx];
        const char *err = NULL;
        bool warn = false;
        msg[0] = 0;
        if (part == XP_SOURCE) {
            if (str_empty(x->source))
                err = "the file to mount is needed";
            else if (access(x->source, R_OK) != 0) {
                snprintf(msg, sizeof(msg), "cannot read %s now; render needs it", x->source);
                err = msg;
                warn = true;
            }
        } else if (part == XP_CONFIGMAP) {
            if (!valid_dns_subdomain(x->configmap ? x->configmap : "", msg, sizeof(msg)))
                err = msg;
        } else if (part == XP_KEY) {
            if (str_empty(x->key))
                err = "a key is needed, e.g. prompts.py";
            else if (strspn(x->key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789-._") != strlen(x->key))
                err = "a ConfigMap key uses letters, digits, '-', '_' and '.' only";
        } else if (part == XP_MOUNT) {
            if (str_empty(x->mount_path) || x->mount_path[0] != '/')
                err = "an absolute path in the container, e.g. /app/api/core/prompts.py";
        } else if (part == XP_WORKER) {
            if (!x->api && !x->worker)
                err = "mounted nowhere: tick api, worker or both";
        }
        tui_form_set_error(&w->form, (int)i, err, warn);
    }
}

static void add_review(struct wizard *w)
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
    line = xasprintf("Rendered %s/", w->out_dir);
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
    w->presets.highlight = w->prof.size == SIZE_TEST ? 1 : 2;
    profile_done(&t);
    profile_done(&pr);
}

/* Rebuilds the current page's rows from the model, keeping focus and scroll. */
static void wizard_build(struct wizard *w)
{
    struct tui_form_row *fr = tui_form_focused(&w->form);
    const void *focus_item = fr ? fr->item : NULL;
    int focus_tag = fr ? fr->tag : -1;
    int focus_index = w->form.focus;
    int top = w->form.top;
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
        build_presets(w);
        add_fields(w, PAGE_SIZE);
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
}

static void wizard_goto(struct wizard *w, enum wiz_page page)
{
    if (page == w->page)
        return;
    w->page = page;
    tui_form_clear(&w->form);
    wizard_build(w);
    set_status(w, TUI_NORMAL, NULL);
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
        enum wiz_check c = wizard_field_check(&w->prof, f, msg, sizeof(msg));
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

static void commit_extra(struct wizard *w, struct tui_form_row *row)
{
    int idx = (row->tag - TAG_EXTRA) / 8, part = (row->tag - TAG_EXTRA) % 8;
    if ((size_t)idx >= w->prof.n_extra_files)
        return;
    struct extra_file *x = &w->prof.extra_files[idx];
    char *text = tui_textfield_get(&row->text);
    switch (part) {
    case XP_SOURCE:
        str_replace(&x->source, text);
        break;
    case XP_CONFIGMAP:
        str_replace(&x->configmap, text);
        break;
    case XP_KEY:
        str_replace(&x->key, text);
        break;
    case XP_MOUNT:
        str_replace(&x->mount_path, text);
        break;
    case XP_API:
        x->api = row->checked;
        break;
    case XP_WORKER:
        x->worker = row->checked;
        break;
    }
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

static void extra_add(struct wizard *w)
{
    struct profile *p = &w->prof;
    p->extra_files = xrealloc(p->extra_files, (p->n_extra_files + 1) * sizeof(*p->extra_files));
    struct extra_file *x = &p->extra_files[p->n_extra_files++];
    memset(x, 0, sizeof(*x));
    x->source = xstrdup("");
    x->configmap = xasprintf("%s-extra-%zu", p->release ? p->release : "dify", p->n_extra_files);
    x->key = xstrdup("");
    x->mount_path = xstrdup("");
    x->api = x->worker = true;
    w->touched = true;
    wizard_build(w);
    tui_form_focus_item(&w->form, NULL, TAG_EXTRA + (int)(p->n_extra_files - 1) * 8 + XP_SOURCE);
}

static void extra_remove(struct wizard *w, size_t idx)
{
    struct profile *p = &w->prof;
    if (idx >= p->n_extra_files)
        return;
    struct extra_file *x = &p->extra_files[idx];
    free(x->source);
    free(x->configmap);
    free(x->key);
    free(x->mount_path);
    memmove(x, x + 1, (p->n_extra_files - idx - 1) * sizeof(*x));
    p->n_extra_files--;
    wizard_build(w);
    set_status(w, TUI_NORMAL, "Removed extra file %zu.", idx + 1);
}

/* ---- writing ---- */

static void result_add(struct wizard_result *r, const char *path)
{
    r->files = xrealloc(r->files, (r->nfiles + 1) * sizeof(*r->files));
    r->files[r->nfiles++] = xstrdup(path);
}

static void wizard_write(struct wizard *w)
{
    struct error err;
    error_clear(&err);
    if (dir_make_all(w->workdir, 0755, &err) < 0 || secrets_fill(&w->sec, &w->prof, &err) < 0 ||
        answers_save(w->answers_path, &w->prof, &err) < 0 ||
        secrets_save(w->secrets_path, &w->sec, &err) < 0 ||
        render_to_dir(&w->prof, &w->sec, w->out_dir, &err) < 0) {
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
        /* The names of what render_to_dir wrote (not whatever else the
         * directory holds from earlier runs): the same rendering, in memory. */
        struct rendered rd = {0};
        if (render_profile(&w->prof, &w->sec, &rd, &err) == 0) {
            for (size_t i = 0; i < rd.n; i++) {
                char *f = path_join(w->out_dir, rd.v[i].name);
                result_add(r, f);
                free(f);
            }
        }
        rendered_done(&rd);
        r->written = true;
    }
    w->written = true;
    log_info("wizard: wrote %s, %s and %s", w->answers_path, w->secrets_path, w->out_dir);
    set_status(w, TUI_OK, "Wrote %zu files. Enter on Exit (or Esc) leaves.", r ? r->nfiles : 0);
    wizard_build(w);
}

static void wizard_jump(struct wizard *w, const struct problem *pr)
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

static const struct tui_form_ops wizard_form_ops = {on_commit, on_activate};

/* ---- keys ---- */

static void secret_key(struct wizard *w, int key)
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

static const char wizard_help_text[] =
    "Tab, Down         next field\n"
    "Shift-Tab, Up     previous field\n"
    "PgDn, Ctrl-N      next page\n"
    "PgUp, Ctrl-P      previous page (nothing typed is lost)\n"
    "Enter             edit a field / accept the edit / press a button\n"
    "Esc               cancel an edit; otherwise leave (asks first)\n"
    "Space, Left/Right change a choice or tick a box\n"
    "g, r              secrets page: generate, reveal\n"
    "?                 this help\n"
    "While editing: Left/Right, Home/End, Backspace/Delete, Ctrl-U, Ctrl-K";

static int on_leave_answer(struct app *a, bool yes, void *arg)
{
    if (!yes)
        return SCREEN_DIRTY;
    a->exit_status = EXIT_FAILURE;
    return SCREEN_QUIT;
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
    if (tui_form_key(&w->form, key))
        return SCREEN_HANDLED | SCREEN_DIRTY;
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
    case TUI_CTRL('n'):
        if (w->page + 1 < PAGE__COUNT)
            wizard_goto(w, w->page + 1);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case TUI_KEY_PGUP:
    case TUI_CTRL('p'):
        if (w->page > 0)
            wizard_goto(w, w->page - 1);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case TUI_KEY_ESC:
        if (w->written) {
            a->exit_status = EXIT_SUCCESS;
            return SCREEN_QUIT;
        }
        app_push(a, dialog_screen_confirm("Leave the wizard?",
                                          "Leave without writing any file?\n"
                                          "What you typed is not saved.",
                                          on_leave_answer, w));
        return SCREEN_HANDLED | SCREEN_PUSH | SCREEN_DIRTY;
    case '?':
        app_push(a, dialog_screen_message("Keys", wizard_help_text));
        return SCREEN_HANDLED | SCREEN_PUSH | SCREEN_DIRTY;
    case 'g':
    case 'r':
        if (w->page == PAGE_SECRETS) {
            secret_key(w, key);
            return SCREEN_HANDLED | SCREEN_DIRTY;
        }
        break;
    }
    return SCREEN_IGNORED;
}

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

static void wizard_draw(struct screen *s, WINDOW *win)
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

static void wizard_state_free(struct wizard *w)
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
    free(w->secrets_path);
    free(w->out_dir);
    free(w->status);
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

static void result_files_clear(struct wizard_result *r)
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
    for (size_t i = 0; i < r->nload_problems; i++)
        free(r->load_problems[i]);
    free(r->load_problems);
    r->load_problems = NULL;
    r->nload_problems = 0;
}

struct screen *wizard_screen_new(const struct wizard_opts *opts, struct wizard_result *result,
                                 struct error *err)
{
    struct wizard *w = xcalloc(1, sizeof(*w));
    w->workdir = xstrdup(opts->workdir && *opts->workdir ? opts->workdir : ".");
    w->answers_path =
        opts->answers ? xstrdup(opts->answers) : path_join(w->workdir, "answers.yaml");
    w->secrets_path = secrets_path_for(w->answers_path);
    w->out_dir = path_join(w->workdir, "rendered");
    w->result = result;
    tui_form_init(&w->form, &wizard_form_ops, w);
    tui_table_init(&w->presets, 3, NULL);
    secrets_init(&w->sec);
    profile_init(&w->prof, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    /* A named answers file that does not exist yet is where a new one goes. */
    if (opts->answers && access(opts->answers, F_OK) == 0) {
        struct problems probs;
        problems_init(&probs);
        struct profile loaded;
        memset(&loaded, 0, sizeof(loaded));
        bool ok = answers_load(opts->answers, &loaded, &probs, err) == 0;
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
        for (size_t i = 0; result && i < probs.n; i++) {
            char *m = problem_format(&probs.v[i]);
            log_warn("%s", m);
            bool is_live = false;
            for (size_t k = 0; ok && k < live.n; k++)
                if (str_eq(live.v[k].path, probs.v[i].path) &&
                    str_eq(live.v[k].message, probs.v[i].message))
                    is_live = true;
            if (is_live) {
                free(m);
                continue;
            }
            result->load_problems =
                xrealloc(result->load_problems, (result->nload_problems + 1) * sizeof(char *));
            result->load_problems[result->nload_problems++] = m;
        }
        problems_done(&live);
        size_t nloaded = probs.n;
        if (ok && secrets_load(w->secrets_path, &w->sec, &probs, err) < 0)
            ok = false;
        for (size_t i = nloaded; result && i < probs.n; i++) {
            result->load_problems =
                xrealloc(result->load_problems, (result->nload_problems + 1) * sizeof(char *));
            result->load_problems[result->nload_problems++] = problem_format(&probs.v[i]);
        }
        if (!ok) {
            problems_done(&probs);
            profile_done(&loaded);
            wizard_state_free(w);
            return NULL;
        }
        if (probs.n > 0)
            set_status(w, TUI_WARN, "%s: %zu problem%s on loading; the Review page lists them",
                       opts->answers, probs.n, probs.n == 1 ? "" : "s");
        problems_done(&probs);
        error_clear(err);
        profile_done(&w->prof);
        w->prof = loaded;
        w->touched = true;
    }
    return screen_new(&wizard_ops, w, false);
}
