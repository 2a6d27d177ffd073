/* core/status_out.c: the model as `dify-tui status` prints it: one JSON
 * document (docs/dashboard.md has the schema), a kubectl-like table with the
 * health lines under it, and the keyed lines `status --watch` diffs. The
 * table and the lines are made safe here (core/textsafe); the JSON is left
 * as the data is, for the command to pass through textsafe when it prints
 * it (cJSON escapes controls; invalid UTF-8 and bidi controls remain). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kube_json.h"
#include "core/status_impl.h"
#include "core/textsafe.h"
#include "core/util.h"

/* a cell is cut here: a Kubernetes name is at most 253 */
#define OUT_CELL_COLS 256

static void add_str(cJSON *o, const char *k, const char *v)
{
    cJSON_AddStringToObject(o, k, v ? v : "");
}

static void add_time(cJSON *o, const char *k, long long t)
{
    char buf[32];
    if (t <= 0) {
        cJSON_AddNullToObject(o, k);
        return;
    }
    kube_time_format(t, buf, sizeof(buf));
    cJSON_AddStringToObject(o, k, buf);
}

static void add_age(cJSON *o, long long now, long long t)
{
    char buf[32] = "<unknown>";
    if (t > 0)
        kube_human_duration(now - t, buf, sizeof(buf));
    cJSON_AddStringToObject(o, "age", buf);
}

static const char *kind_word(enum kube_kind k)
{
    return k < KUBE_KIND_COUNT ? kube_resource_get(k)->kind : "";
}

static const char *match_word(enum dify_match h)
{
    return h == DIFY_MATCH_LABEL ? "label" : h == DIFY_MATCH_IMAGE ? "image" : "none";
}

static cJSON *comp_json(const struct status_comp *c, long long now)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "component", dify_comp_desc(c->comp)->key);
    add_str(o, "kind", kind_word(c->kind));
    add_str(o, "name", c->name);
    add_str(o, "matchedBy", match_word(c->how));
    cJSON_AddNumberToObject(o, "desired", c->desired);
    cJSON_AddNumberToObject(o, "ready", c->ready);
    cJSON_AddNumberToObject(o, "updated", c->updated);
    cJSON_AddNumberToObject(o, "available", c->available);
    cJSON_AddNumberToObject(o, "restarts", c->restarts);
    cJSON_AddNumberToObject(o, "pods", c->pods);
    add_time(o, "created", c->created);
    if (c->created > 0)
        add_age(o, now, c->created);
    else
        cJSON_AddNullToObject(o, "age");
    add_str(o, "tag", c->tag);
    add_str(o, "expectedTag", c->expected_tag);
    add_str(o, "rollout", status_rollout_word(c->rollout));
    add_str(o, "reason", c->reason);
    add_str(o, "problem", c->problem);
    return o;
}

static cJSON *probe_json(const struct status_probe *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "checked", p->checked);
    cJSON_AddBoolToObject(o, "ok", p->checked && p->ok);
    cJSON_AddNumberToObject(o, "httpStatus", (double)p->status);
    cJSON_AddNumberToObject(o, "latencyMs", (double)p->latency_ms);
    add_str(o, "version", p->version);
    add_str(o, "message", p->msg);
    add_str(o, "lastError", p->last_error);
    add_time(o, "lastErrorAt", p->last_error_at);
    add_time(o, "since", p->checked ? p->since : 0);
    return o;
}

static cJSON *job_json(const struct status_job *j, long long now)
{
    cJSON *o = cJSON_CreateObject();
    const struct kube_job *b = &j->obj->u.job;
    add_str(o, "name", j->obj->name);
    add_str(o, "component", dify_comp_desc(j->comp)->key);
    add_str(o, "state",
            j->state == ROLLOUT_DONE     ? "complete"
            : j->state == ROLLOUT_FAILED ? "failed"
                                         : "running");
    add_str(o, "message", j->msg);
    cJSON_AddNumberToObject(o, "succeeded", b->succeeded);
    cJSON_AddNumberToObject(o, "failed", b->failed);
    cJSON_AddNumberToObject(o, "active", b->active);
    cJSON_AddNumberToObject(o, "backoffLimit", b->backoff_limit);
    cJSON_AddNumberToObject(o, "attempts", j->attempts);
    cJSON_AddNumberToObject(o, "durationSeconds", (double)j->duration);
    add_time(o, "started", b->start);
    add_time(o, "completed", b->completion);
    add_age(o, now, j->obj->created);
    add_str(o, "newestPod", j->newest_pod);
    return o;
}

static const char *pair_word(const struct status_health *h)
{
    if (!h->pair_checked)
        return "unchecked";
    return h->pair == DIFY_PAIR_KNOWN  ? "known"
           : h->pair == DIFY_PAIR_SKEW ? "skew"
                                       : "unknown-api";
}

static cJSON *health_json(const struct status *m)
{
    const struct status_health *h = status_health(m);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "api", probe_json(&h->api));
    cJSON_AddItemToObject(o, "pluginDaemon", probe_json(&h->daemon));
    cJSON *k = probe_json(&h->key);
    add_str(k, "state", h->key.checked ? dify_key_state_name(h->key.key) : "unchecked");
    cJSON_AddItemToObject(o, "daemonKey", k);
    cJSON *s = probe_json(&h->storage);
    add_str(s, "state",
            h->storage.checked ? dify_storage_state_name(h->storage.storage) : "unchecked");
    cJSON_AddItemToObject(o, "pluginStorage", s);
    cJSON *p = cJSON_AddObjectToObject(o, "versions");
    add_str(p, "api", h->api_tag);
    add_str(p, "pluginDaemon", h->daemon_tag);
    add_str(p, "pair", pair_word(h));
    add_str(p, "message", h->pair_msg);
    return o;
}

static cJSON *conn_json(const struct status *m)
{
    const struct status_conn *c = status_conn(m);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "synced", c->synced);
    cJSON_AddBoolToObject(o, "reachable", c->reachable);
    add_time(o, "downSince", c->down_since);
    add_str(o, "error", c->down_msg);
    cJSON *r = cJSON_AddArrayToObject(o, "refused");
    for (size_t i = 0; i < c->nrefused; i++) {
        cJSON *x = cJSON_CreateObject();
        add_str(x, "kind", kube_resource_get(c->refused[i].kind)->plural);
        add_str(x, "message", c->refused[i].msg);
        cJSON_AddItemToArray(r, x);
    }
    cJSON *bad = cJSON_AddArrayToObject(o, "malformed");
    for (size_t i = 0; i < c->nmalformed && i < 8; i++)
        cJSON_AddItemToArray(bad, cJSON_CreateString(c->malformed[i]));
    cJSON_AddNumberToObject(o, "malformedCount", (double)c->nmalformed);
    return o;
}

void status_json(const struct status *m, bool pretty, struct strbuf *out)
{
    long long now = status_now(m);
    cJSON *doc = cJSON_CreateObject();
    add_str(doc, "namespace", m->ns);
    add_time(doc, "time", now);
    cJSON_AddBoolToObject(doc, "healthy", status_healthy(m));
    cJSON_AddItemToObject(doc, "connection", conn_json(m));
    cJSON *a = cJSON_AddArrayToObject(doc, "components");
    for (size_t i = 0; i < status_ncomps(m); i++)
        cJSON_AddItemToArray(a, comp_json(status_comp_at(m, i), now));
    a = cJSON_AddArrayToObject(doc, "others");
    for (size_t i = 0; i < status_nothers(m); i++)
        cJSON_AddItemToArray(a, comp_json(status_other_at(m, i), now));
    cJSON_AddItemToObject(doc, "health", health_json(m));
    const struct status_job *mig = status_migration(m);
    if (mig)
        cJSON_AddItemToObject(doc, "migration", job_json(mig, now));
    else
        cJSON_AddNullToObject(doc, "migration");
    a = cJSON_AddArrayToObject(doc, "pods");
    for (size_t i = 0; i < status_npods(m); i++) {
        const struct status_pod *p = status_pod_at(m, i);
        const struct kube_pod *kp = &p->obj->u.pod;
        cJSON *o = cJSON_CreateObject();
        add_str(o, "name", p->obj->name);
        add_str(o, "component", dify_comp_desc(p->comp)->key);
        add_str(o, "workload", p->workload);
        add_str(o, "status", kp->reason ? kp->reason : kp->phase);
        char ready[32];
        snprintf(ready, sizeof(ready), "%u/%u", kp->ready, kp->total);
        add_str(o, "ready", ready);
        cJSON_AddNumberToObject(o, "restarts", kp->restarts);
        add_str(o, "lastTerminationReason", kp->last_reason);
        add_str(o, "node", kp->node);
        add_age(o, now, p->obj->created);
        cJSON_AddBoolToObject(o, "problem", p->problem);
        cJSON_AddItemToArray(a, o);
    }
    a = cJSON_AddArrayToObject(doc, "jobs");
    for (size_t i = 0; i < status_njobs(m); i++)
        cJSON_AddItemToArray(a, job_json(status_job_at(m, i), now));
    a = cJSON_AddArrayToObject(doc, "events");
    for (size_t i = 0; i < status_nevents(m); i++) {
        const struct status_event *e = status_event_at(m, i);
        cJSON *o = cJSON_CreateObject();
        add_str(o, "type", e->type);
        add_str(o, "kind", e->kind);
        add_str(o, "name", e->name);
        add_str(o, "reason", e->reason);
        add_str(o, "message", e->message);
        cJSON_AddNumberToObject(o, "count", e->count);
        add_time(o, "last", e->last);
        cJSON_AddItemToArray(a, o);
    }
    char *s = pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
    strbuf_adds(out, s);
    free(s);
    cJSON_Delete(doc);
}

/* ---- text ---- */

static void row_cells(const struct status_comp *c, long long now, char cells[9][320])
{
    snprintf(cells[0], 320, "%s", dify_comp_desc(c->comp)->title);
    if (c->kind == KUBE_KIND_COUNT)
        snprintf(cells[1], 320, "-");
    else
        snprintf(cells[1], 320, "%s/%s", kube_resource_get(c->kind)->singular, c->name);
    snprintf(cells[2], 320, "%d/%d", c->ready, c->desired);
    snprintf(cells[3], 320, "%d", c->updated);
    snprintf(cells[4], 320, "%d", c->available);
    snprintf(cells[5], 320, "%u", c->restarts);
    if (c->created > 0)
        kube_human_duration(now - c->created, cells[6], 320);
    else
        snprintf(cells[6], 320, "-");
    snprintf(cells[7], 320, "%s", c->tag[0] ? c->tag : "-");
    snprintf(cells[8], 320, "%s%s%s", status_rollout_word(c->rollout), c->problem[0] ? ": " : "",
             c->problem);
}

static void table_add_safe(struct kube_table *t, char cells[9][320])
{
    const char *row[9];
    char *safe[9];
    for (int i = 0; i < 9; i++)
        row[i] = safe[i] = textsafe(cells[i], 0, OUT_CELL_COLS);
    kube_table_add(t, row, 9);
    for (int i = 0; i < 9; i++)
        free(safe[i]);
}

static void line_safe(struct strbuf *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void line_safe(struct strbuf *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    textsafe_add(out, s, strlen(s), 0, 0);
    strbuf_addc(out, '\n');
    free(s);
}

static void probe_line(struct strbuf *out, const char *what, const struct status_probe *p)
{
    if (!p->checked)
        return;
    if (p->ok)
        line_safe(out, "%s: %s (%lld ms)", what, p->msg, p->latency_ms);
    else
        line_safe(out, "%s: FAILING: %s", what, p->msg);
}

void status_text(const struct status *m, struct strbuf *out)
{
    long long now = status_now(m);
    const struct status_conn *c = status_conn(m);
    if (!c->reachable)
        line_safe(out, "the API server does not answer: %s", c->down_msg);
    for (size_t i = 0; i < c->nrefused; i++)
        line_safe(out, "%s", c->refused[i].msg);
    for (size_t i = 0; i < c->nmalformed && i < 8; i++)
        line_safe(out, "%s", c->malformed[i]);
    struct kube_table t = {0};
    static const char *const head[9] = {"COMPONENT", "NAME", "READY", "UP-TO-DATE", "AVAILABLE",
                                        "RESTARTS",  "AGE",  "TAG",   "ROLLOUT"};
    kube_table_add(&t, head, 9);
    char cells[9][320];
    for (size_t i = 0; i < status_ncomps(m); i++) {
        row_cells(status_comp_at(m, i), now, cells);
        table_add_safe(&t, cells);
    }
    for (size_t i = 0; i < status_nothers(m); i++) {
        row_cells(status_other_at(m, i), now, cells);
        table_add_safe(&t, cells);
    }
    if (t.nrows > 1)
        kube_table_render(&t, out);
    else {
        kube_table_render(&t, &(struct strbuf){0});
        line_safe(out,
                  c->synced ? "No workloads found in %s namespace."
                            : "Not yet listed: the workloads of namespace %s (no complete answer).",
                  m->ns);
    }
    const struct status_health *h = status_health(m);
    probe_line(out, "api /health", &h->api);
    probe_line(out, "plugin daemon /health/check", &h->daemon);
    probe_line(out, "api -> plugin daemon key", &h->key);
    probe_line(out, "plugin storage", &h->storage);
    if (h->pair_checked && h->pair != DIFY_PAIR_KNOWN)
        line_safe(out, "versions: %s", h->pair_msg);
    const struct status_job *mig = status_migration(m);
    if (mig)
        line_safe(out, "migration: %s", mig->msg);
}

/* ---- keyed lines for --watch ---- */

static void push(char ***lines, size_t *n, char *s)
{
    char *safe = textsafe(s, 0, 0);
    free(s);
    *lines = xrealloc(*lines, (*n + 1) * sizeof(char *));
    (*lines)[(*n)++] = safe;
}

static char *comp_line(const struct status_comp *c)
{
    const char *kind = c->kind == KUBE_KIND_COUNT ? "-" : kube_resource_get(c->kind)->singular;
    return xasprintf("%s %s/%s: %d/%d ready, %d up-to-date, %d available, %u restarts, tag %s, "
                     "%s%s%s: %s",
                     dify_comp_desc(c->comp)->key, kind, c->name, c->ready, c->desired, c->updated,
                     c->available, c->restarts, c->tag[0] ? c->tag : "-",
                     status_rollout_word(c->rollout), c->problem[0] ? ", " : "", c->problem,
                     c->reason);
}

void status_lines(const struct status *m, char ***lines, size_t *n)
{
    *lines = NULL;
    *n = 0;
    const struct status_conn *c = status_conn(m);
    if (!c->reachable)
        push(lines, n, xasprintf("connection: unreachable: %s", c->down_msg));
    else
        push(lines, n, xstrdup("connection: ok"));
    for (size_t i = 0; i < c->nrefused; i++)
        push(lines, n,
             xasprintf("refused %s: %s", kube_resource_get(c->refused[i].kind)->plural,
                       c->refused[i].msg));
    for (size_t i = 0; i < status_ncomps(m); i++)
        push(lines, n, comp_line(status_comp_at(m, i)));
    for (size_t i = 0; i < status_nothers(m); i++)
        push(lines, n, comp_line(status_other_at(m, i)));
    const struct status_health *h = status_health(m);
    const struct {
        const char *key;
        const struct status_probe *p;
    } probes[] = {{"health api", &h->api},
                  {"health plugin-daemon", &h->daemon},
                  {"health daemon-key", &h->key},
                  {"health plugin-storage", &h->storage}};
    for (size_t i = 0; i < ARRAY_LEN(probes); i++)
        if (probes[i].p->checked)
            push(lines, n,
                 xasprintf("%s: %s: %s", probes[i].key, probes[i].p->ok ? "ok" : "FAILING",
                           probes[i].p->msg));
    if (h->pair_checked)
        push(lines, n,
             xasprintf("versions: api %s, plugin daemon %s: %s%s%s", h->api_tag, h->daemon_tag,
                       pair_word(h), h->pair_msg[0] ? ": " : "", h->pair_msg));
    for (size_t i = 0; i < status_njobs(m); i++) {
        const struct status_job *j = status_job_at(m, i);
        push(lines, n, xasprintf("job %s: %s", j->obj->name, j->msg));
    }
}
