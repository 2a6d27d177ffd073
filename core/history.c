/* core/history.c: the "revision" step and the journal's runs (see
 * history.h). */
#include "config.h"

#include "core/history.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dify_versions.h"
#include "core/error.h"
#include "core/kube_json.h"
#include "core/profile.h"
#include "core/runner.h"
#include "core/util.h"

/* ---- the step ---- */

static void rev_start(struct step_run *sr, void *data)
{
    (void)data;
    const struct profile *p = step_run_ctx(sr)->profile;
    const struct dify_release *rel = dify_release_find(p->image_tag);
    step_run_output(sr, "image_tag", p->image_tag);
    if (rel && rel->plugin_daemon)
        step_run_output(sr, "daemon_tag", rel->plugin_daemon);
    step_run_output(sr, "method", method_names[p->method]);
    if (p->method == METHOD_HELM) {
        step_run_output(sr, "chart", p->helm.chart);
        step_run_output(sr, "chart_version", p->helm.version);
        const char *rev = step_run_input(sr, "helm-release", "helm_revision");
        if (rev)
            step_run_output(sr, "helm_revision", rev);
    }
    step_run_summary(sr, "Dify %s (%s)%s%s", p->image_tag, method_names[p->method],
                     p->method == METHOD_HELM ? ", chart " : "",
                     p->method == METHOD_HELM ? p->helm.version : "");
    step_run_done(sr, NULL);
}

static void rev_cancel(struct step_run *sr, void *data)
{
    (void)sr, (void)data;
}

static const struct step_ops rev_ops = {"revision", rev_start, rev_cancel, NULL, NULL};

int steps_revision_add(struct plan *p, const struct plan_ctx *ctx, struct error *err)
{
    (void)err;
    struct plan_step *s =
        plan_add(p, STAGE_CHECK, "revision", "Record what is deployed now", &rev_ops, NULL);
    plan_step_always(s);
    plan_step_note(s,
                   "the journal keeps Dify %s (%s) as this run's revision: dify-tui history "
                   "lists it",
                   ctx->profile->image_tag, method_names[ctx->profile->method]);
    return 0;
}

/* ---- reading the journal ---- */

static void run_free(struct history_run *r)
{
    free(r->what);
    free(r->result);
    free(r->message);
    free(r->image_tag);
    free(r->daemon_tag);
    free(r->method);
    free(r->chart);
    free(r->chart_version);
    free(r->helm_revision);
    free(r->from_tag);
    free(r->target_tag);
}

void history_done(struct history *h)
{
    for (size_t i = 0; i < h->n; i++)
        run_free(&h->v[i]);
    free(h->v);
    memset(h, 0, sizeof(*h));
}

static void set(char **dst, const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(v))
        str_replace(dst, v->valuestring);
}

static void line(struct history *h, const char *text, size_t len)
{
    cJSON *o = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(o)) {
        h->torn++;
        cJSON_Delete(o);
        return;
    }
    const char *ev = kj_str(o, "event"), *step = kj_str(o, "step");
    /* core/journal writes the time as an RFC 3339 string; Unix seconds are
     * read too (journals written by hand or by older builds) */
    const char *ts = kj_str(o, "time");
    long long t = ts ? kube_time_parse(ts) : kj_int(o, "time", 0);
    if (t < 0)
        t = 0;
    if (str_eq(ev, "run")) {
        h->v = xrealloc(h->v, (h->n + 1) * sizeof(*h->v));
        memset(&h->v[h->n], 0, sizeof(h->v[0]));
        h->v[h->n].started = t;
        set(&h->v[h->n].what, o, "what");
        h->n++;
    } else if (h->n && str_eq(ev, "end")) {
        struct history_run *r = &h->v[h->n - 1];
        r->ended = t;
        set(&r->result, o, "result");
        set(&r->message, o, "message");
    } else if (h->n && str_eq(ev, "finished") && str_eq(step, "revision")) {
        struct history_run *r = &h->v[h->n - 1];
        r->has_revision = true;
        set(&r->image_tag, o, "out.image_tag");
        set(&r->daemon_tag, o, "out.daemon_tag");
        set(&r->method, o, "out.method");
        set(&r->chart, o, "out.chart");
        set(&r->chart_version, o, "out.chart_version");
        set(&r->helm_revision, o, "out.helm_revision");
    } else if (h->n && str_eq(ev, "finished") && str_eq(step, "upgrade-target")) {
        struct history_run *r = &h->v[h->n - 1];
        set(&r->from_tag, o, "out.from_tag");
        set(&r->target_tag, o, "out.image_tag");
    }
    cJSON_Delete(o);
}

int history_load(const char *state_dir, struct history *h, struct error *err)
{
    memset(h, 0, sizeof(*h));
    char *path = path_join(state_dir, "journal.jsonl");
    char *text = NULL;
    size_t len = 0;
    struct error e = {0};
    if (file_read_all(path, 256 << 20, &text, &len, &e) < 0) {
        free(path);
        if (e.code == ERR_NOTFOUND || e.detail == 2 /* ENOENT */)
            return 0;
        *err = e;
        return -1;
    }
    free(path);
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
        if (n)
            line(h, text + i, n);
        i += n + 1;
    }
    free(text);
    return 0;
}

const struct history_run *history_last_good(const struct history *h, size_t before)
{
    for (size_t i = before > h->n ? h->n : before; i > 0; i--) {
        const struct history_run *r = &h->v[i - 1];
        if (r->has_revision && str_eq(r->result, "done"))
            return r;
    }
    return NULL;
}

const char *history_outcome(const struct history *h, size_t i)
{
    const struct history_run *r = &h->v[i];
    if (!r->result)
        return r->ended ? "?" : "unfinished";
    bool done = str_eq(r->result, "done");
    if (!done) {
        /* an upgrade the next run (a rollback that finished) undid */
        if (str_eq(r->what, "upgrade") && i + 1 < h->n && str_eq(h->v[i + 1].what, "rollback") &&
            str_eq(h->v[i + 1].result, "done"))
            return "rolled back";
        return str_eq(r->result, "aborted") ? "stopped" : r->result;
    }
    if (str_eq(r->what, "install"))
        return "installed";
    if (str_eq(r->what, "upgrade"))
        return "upgraded";
    if (str_eq(r->what, "rollback"))
        return "restored";
    if (str_eq(r->what, "uninstall"))
        return "removed";
    return r->result;
}
