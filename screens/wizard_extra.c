/* screens/wizard_extra.c: the extra files (mounted from ConfigMaps) on the
 * rollout page: their rows, the checks shown under them, edits, adding and
 * removing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/profile.h"
#include "core/util.h"
#include "core/validate.h"
#include "screens/wizard_impl.h"
#include "tui/theme.h"

void add_extra_files(struct wizard *w)
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
            /* Source and mount path are paths; ConfigMap and key are names. */
            tui_form_set_max(form, r, k == 0 || k == 3 ? WIZ_PATH_MAX : 253);
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

void extra_check_rows(struct wizard *w)
{
    /* The extra-file rules are profile_validate's (paths extra_files[N].part,
     * and extra_files[N] for "mounted nowhere", shown under the worker box). */
    static const char *const parts[] = {"source", "configmap", "key", "mount_path", NULL, NULL};
    struct problems ps;
    char msg[256], path[64];
    problems_init(&ps);
    profile_validate(&w->prof, &w->sec, &ps);
    for (size_t i = 0; i < w->form.n; i++) {
        struct tui_form_row *row = &w->form.rows[i];
        if (row->tag < TAG_EXTRA)
            continue;
        int idx = (row->tag - TAG_EXTRA) / 8, part = (row->tag - TAG_EXTRA) % 8;
        if ((size_t)idx >= w->prof.n_extra_files || part > XP_WORKER || part == XP_API)
            continue;
        if (part == XP_WORKER)
            snprintf(path, sizeof(path), "extra_files[%d]", idx);
        else
            snprintf(path, sizeof(path), "extra_files[%d].%s", idx, parts[part]);
        enum wiz_check c = wizard_field_problem(&ps, path, msg, sizeof(msg));
        tui_form_set_error(&w->form, (int)i, c == WIZ_OK ? NULL : msg, c == WIZ_WARNING);
    }
    problems_done(&ps);
}

void commit_extra(struct wizard *w, struct tui_form_row *row)
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

void extra_add(struct wizard *w)
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

void extra_remove(struct wizard *w, size_t idx)
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
