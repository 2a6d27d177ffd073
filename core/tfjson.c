/* core/tfjson.c: Terraform's `-json` lines and a tracker of resources
 * (see tfjson.h). */
#include "config.h"

#include "core/tfjson.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kube_json.h"
#include "core/util.h"

static const struct {
    const char *name;
    enum tf_type type;
} types[] = {
    {"version", TF_VERSION},
    {"log", TF_LOG},
    {"diagnostic", TF_DIAGNOSTIC},
    {"planned_change", TF_PLANNED_CHANGE},
    {"resource_drift", TF_RESOURCE_DRIFT},
    {"change_summary", TF_CHANGE_SUMMARY},
    {"outputs", TF_OUTPUTS},
    {"apply_start", TF_APPLY_START},
    {"apply_progress", TF_APPLY_PROGRESS},
    {"apply_complete", TF_APPLY_COMPLETE},
    {"apply_errored", TF_APPLY_ERRORED},
    {"provision_start", TF_PROVISION_START},
    {"provision_progress", TF_PROVISION_PROGRESS},
    {"provision_complete", TF_PROVISION_COMPLETE},
    {"provision_errored", TF_PROVISION_ERRORED},
    {"refresh_start", TF_REFRESH_START},
    {"refresh_complete", TF_REFRESH_COMPLETE},
};

const char *tf_type_name(enum tf_type t)
{
    for (size_t i = 0; i < ARRAY_LEN(types); i++)
        if (types[i].type == t)
            return types[i].name;
    return t == TF_TEXT ? "text" : "unknown";
}

static char *dup_str(const cJSON *o, const char *path)
{
    return xstrdup_or_null(kj_str(o, path));
}

void tfjson_parse(const char *line, size_t len, struct tf_msg *m)
{
    memset(m, 0, sizeof(*m));
    cJSON *o = cJSON_ParseWithLength(line, len);
    if (!o || !cJSON_IsObject(o)) {
        cJSON_Delete(o);
        m->type = TF_TEXT;
        m->message = xstrndup(line, len);
        return;
    }
    m->type_name = dup_str(o, "type");
    m->type = TF_UNKNOWN;
    for (size_t i = 0; m->type_name && i < ARRAY_LEN(types); i++)
        if (strcmp(types[i].name, m->type_name) == 0)
            m->type = types[i].type;
    m->level = dup_str(o, "@level");
    m->message = dup_str(o, "@message");
    const cJSON *hook = kj_get(o, "hook");
    const cJSON *change = kj_get(o, "change");
    const cJSON *src = hook ? hook : change;
    if (src) {
        m->addr = dup_str(src, "resource.addr");
        m->action = dup_str(src, "action");
        m->id_value = dup_str(src, "id_value");
        m->provisioner = dup_str(src, "provisioner");
        m->output = dup_str(src, "output");
        m->elapsed_s = (long)kj_int(src, "elapsed_seconds", 0);
    }
    const cJSON *d = kj_get(o, "diagnostic");
    if (d) {
        m->severity = dup_str(d, "severity");
        m->summary = dup_str(d, "summary");
        m->detail = dup_str(d, "detail");
        m->filename = dup_str(d, "range.filename");
        m->line = (int)kj_int(d, "range.start.line", 0);
        /* a diagnostic about one resource names it in its snippet's context
         * ("resource \"terraform_data\" \"x\"") or in "address" (1.x) */
        if (!m->addr)
            m->addr = dup_str(d, "address");
    }
    const cJSON *c = kj_get(o, "changes");
    if (c) {
        m->add = (int)kj_int(c, "add", 0);
        m->change = (int)kj_int(c, "change", 0);
        m->remove = (int)kj_int(c, "remove", 0);
        m->operation = dup_str(c, "operation");
    }
    if (m->type == TF_VERSION) {
        m->version = dup_str(o, "terraform");
        m->ui_version = dup_str(o, "ui");
    }
    if (m->type == TF_OUTPUTS) {
        /* names only, as "a,b,c" in output: values come from `terraform
         * output -json`, and a sensitive one is never kept */
        const cJSON *outs = kj_get(o, "outputs");
        struct strbuf sb;
        strbuf_init(&sb);
        const cJSON *it;
        cJSON_ArrayForEach(it, outs) strbuf_addf(&sb, "%s%s", sb.len ? "," : "", it->string);
        m->output = strbuf_detach(&sb, NULL);
    }
    cJSON_Delete(o);
}

void tf_msg_done(struct tf_msg *m)
{
    char **fields[] = {&m->type_name, &m->level,       &m->message,   &m->addr,     &m->action,
                       &m->id_value,  &m->provisioner, &m->output,    &m->severity, &m->summary,
                       &m->detail,    &m->filename,    &m->operation, &m->version,  &m->ui_version};
    for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
        free(*fields[i]);
        *fields[i] = NULL;
    }
}

/* ---- the tracker ---- */

void tf_track_init(struct tf_track *t)
{
    memset(t, 0, sizeof(*t));
}

void tf_track_done(struct tf_track *t)
{
    for (size_t i = 0; i < t->nres; i++) {
        free(t->res[i].addr);
        free(t->res[i].action);
        free(t->res[i].id_value);
        free(t->res[i].last_output);
    }
    free(t->res);
    for (size_t i = 0; i < t->ndiags; i++) {
        free(t->diags[i].severity);
        free(t->diags[i].summary);
        free(t->diags[i].detail);
        free(t->diags[i].addr);
        free(t->diags[i].where);
    }
    free(t->diags);
    for (size_t i = 0; i < t->noutputs; i++)
        free(t->outputs[i]);
    free(t->outputs);
    free(t->version);
    free(t->ui_major_problem);
    memset(t, 0, sizeof(*t));
}

static long find_res(struct tf_track *t, const char *addr, bool add)
{
    for (size_t i = 0; i < t->nres; i++)
        if (strcmp(t->res[i].addr, addr) == 0)
            return (long)i;
    if (!add)
        return -1;
    t->res = xrealloc(t->res, (t->nres + 1) * sizeof(*t->res));
    memset(&t->res[t->nres], 0, sizeof(t->res[0]));
    t->res[t->nres].addr = xstrdup(addr);
    return (long)t->nres++;
}

long tf_track_feed(struct tf_track *t, const struct tf_msg *m, long long now)
{
    long i = -1;
    struct tf_resource *r = NULL;
    if (m->addr && (m->type == TF_PLANNED_CHANGE ||
                    (m->type >= TF_APPLY_START && m->type <= TF_PROVISION_ERRORED))) {
        /* a planned no-op or read is not a change worth a row */
        if (m->type == TF_PLANNED_CHANGE &&
            (str_eq(m->action, "noop") || str_eq(m->action, "read")))
            return -1;
        i = find_res(t, m->addr, true);
        r = &t->res[i];
        if (m->action && (!r->action || m->type != TF_PROVISION_PROGRESS))
            str_replace(&r->action, m->action);
    }
    switch (m->type) {
    case TF_VERSION:
        str_replace(&t->version, m->version);
        if (m->ui_version && strncmp(m->ui_version, "1.", 2) != 0) {
            free(t->ui_major_problem);
            t->ui_major_problem = xasprintf("Terraform's machine-readable UI is version %s; this "
                                            "program reads version 1.x",
                                            m->ui_version);
        }
        break;
    case TF_PLANNED_CHANGE:
        break;
    case TF_APPLY_START:
        if (r) {
            r->state = TF_RES_WORKING;
            r->started_ms = now;
            r->ended_ms = 0;
        }
        break;
    case TF_APPLY_PROGRESS:
        if (r) {
            if (r->state != TF_RES_WORKING) {
                r->state = TF_RES_WORKING;
                r->started_ms = now;
            }
            r->elapsed_s = m->elapsed_s;
        }
        break;
    case TF_APPLY_COMPLETE:
        if (r) {
            if (r->state != TF_RES_DONE)
                t->done++;
            r->state = TF_RES_DONE;
            r->ended_ms = now;
            r->elapsed_s = m->elapsed_s;
            if (m->id_value)
                str_replace(&r->id_value, m->id_value);
        }
        break;
    case TF_APPLY_ERRORED:
        if (r) {
            if (r->state != TF_RES_FAILED)
                t->failed++;
            r->state = TF_RES_FAILED;
            r->ended_ms = now;
            r->elapsed_s = m->elapsed_s;
        }
        break;
    case TF_PROVISION_PROGRESS:
        if (r && m->output)
            str_replace(&r->last_output, m->output);
        break;
    case TF_PROVISION_ERRORED:
        if (r && r->state != TF_RES_FAILED) {
            r->state = TF_RES_FAILED;
            r->ended_ms = now;
            t->failed++;
        }
        break;
    case TF_CHANGE_SUMMARY:
        if (str_eq(m->operation, "plan")) {
            t->have_plan_summary = true;
            t->plan_add = m->add;
            t->plan_change = m->change;
            t->plan_remove = m->remove;
        } else {
            t->have_apply_summary = true;
            t->apply_add = m->add;
            t->apply_change = m->change;
            t->apply_remove = m->remove;
        }
        break;
    case TF_DIAGNOSTIC: {
        t->diags = xrealloc(t->diags, (t->ndiags + 1) * sizeof(*t->diags));
        struct tf_diag *d = &t->diags[t->ndiags++];
        memset(d, 0, sizeof(*d));
        d->severity = xstrdup_or_null(m->severity);
        d->summary = xstrdup_or_null(m->summary ? m->summary : m->message);
        d->detail = xstrdup_or_null(m->detail);
        d->addr = xstrdup_or_null(m->addr);
        if (m->filename)
            d->where =
                m->line > 0 ? xasprintf("%s:%d", m->filename, m->line) : xstrdup(m->filename);
        break;
    }
    case TF_OUTPUTS:
        for (size_t k = 0; k < t->noutputs; k++)
            free(t->outputs[k]);
        free(t->outputs);
        t->outputs = NULL;
        t->noutputs = 0;
        if (!str_empty(m->output)) {
            char *copy = xstrdup(m->output), *save = NULL;
            for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                t->outputs = xrealloc(t->outputs, (t->noutputs + 1) * sizeof(char *));
                t->outputs[t->noutputs++] = xstrdup(tok);
            }
            free(copy);
        }
        break;
    default:
        break;
    }
    return i;
}

char *tf_track_error(const struct tf_track *t)
{
    for (size_t i = 0; i < t->ndiags; i++) {
        const struct tf_diag *d = &t->diags[i];
        if (!str_eq(d->severity, "error"))
            continue;
        struct strbuf sb;
        strbuf_init(&sb);
        strbuf_addf(&sb, "Error: %s", d->summary ? d->summary : "(no summary)");
        if (!str_empty(d->detail)) {
            /* the detail on one line */
            strbuf_adds(&sb, ": ");
            for (const char *p = d->detail; *p; p++)
                strbuf_addc(&sb, *p == '\n' ? ' ' : *p);
            while (sb.len && sb.buf[sb.len - 1] == ' ')
                sb.buf[--sb.len] = '\0';
        }
        if (d->where)
            strbuf_addf(&sb, " (%s)", d->where);
        return strbuf_detach(&sb, NULL);
    }
    return NULL;
}
