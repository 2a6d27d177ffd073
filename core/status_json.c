/* core/status_json.c: the model as one JSON document (docs/dashboard.md has
 * the schema), written as it goes into a buffer that the caller may drain
 * between items: at 100,000 pods the document is 60 MB, and a cJSON tree
 * of it was ten times that (3 million nodes). The text is what cJSON would
 * print for the same tree (strings escaped as cJSON escapes them, numbers
 * as integers); pretty output indents by two spaces. The JSON is left as
 * the data is, for the command to pass through textsafe when it prints it
 * (controls are escaped; invalid UTF-8 and bidi controls remain). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/kube_json.h"
#include "core/status_impl.h"
#include "core/util.h"

#define JW_MAX_DEPTH 8

struct jw {
    struct strbuf *out;
    bool pretty;
    int depth;
    bool nonempty[JW_MAX_DEPTH];
    void (*drain)(struct strbuf *out, void *arg);
    void *arg;
};

static void jw_string(struct jw *j, const char *s)
{
    struct strbuf *o = j->out;
    strbuf_addc(o, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        const unsigned char *q = p;
        while (*q >= 0x20 && *q != '"' && *q != '\\')
            q++;
        if (q > p) {
            strbuf_add(o, (const char *)p, (size_t)(q - p));
            p = q;
            if (!*p)
                break;
        }
        switch (*p) {
        case '"':
            strbuf_adds(o, "\\\"");
            break;
        case '\\':
            strbuf_adds(o, "\\\\");
            break;
        case '\b':
            strbuf_adds(o, "\\b");
            break;
        case '\f':
            strbuf_adds(o, "\\f");
            break;
        case '\n':
            strbuf_adds(o, "\\n");
            break;
        case '\r':
            strbuf_adds(o, "\\r");
            break;
        case '\t':
            strbuf_adds(o, "\\t");
            break;
        default:
            strbuf_addf(o, "\\u%04x", *p);
            break;
        }
    }
    strbuf_addc(o, '"');
}

static void jw_newline(struct jw *j)
{
    if (!j->pretty)
        return;
    strbuf_addc(j->out, '\n');
    for (int i = 0; i < j->depth; i++)
        strbuf_adds(j->out, "  ");
}

/* Before a value: the separator, and its key inside an object. */
static void jw_key(struct jw *j, const char *key)
{
    if (j->depth > 0) {
        if (j->nonempty[j->depth])
            strbuf_addc(j->out, ',');
        j->nonempty[j->depth] = true;
        jw_newline(j);
    }
    if (key) {
        jw_string(j, key);
        strbuf_adds(j->out, j->pretty ? ": " : ":");
    }
}

static void jw_open(struct jw *j, const char *key, char c)
{
    jw_key(j, key);
    strbuf_addc(j->out, c);
    j->depth++;
    j->nonempty[j->depth] = false;
}

static void jw_close(struct jw *j, char c)
{
    bool any = j->nonempty[j->depth];
    j->depth--;
    if (any)
        jw_newline(j);
    strbuf_addc(j->out, c);
    /* between items of a list: the buffer ends at an ASCII byte, so a
     * drained piece never splits a character */
    if (j->drain && j->depth <= 2 && j->out->len >= 65536)
        j->drain(j->out, j->arg);
}

static void jw_str(struct jw *j, const char *key, const char *v)
{
    jw_key(j, key);
    jw_string(j, v ? v : "");
}

static void jw_num(struct jw *j, const char *key, long long v)
{
    jw_key(j, key);
    strbuf_addf(j->out, "%lld", v);
}

static void jw_bool(struct jw *j, const char *key, bool v)
{
    jw_key(j, key);
    strbuf_adds(j->out, v ? "true" : "false");
}

static void jw_null(struct jw *j, const char *key)
{
    jw_key(j, key);
    strbuf_adds(j->out, "null");
}

static void jw_time(struct jw *j, const char *key, long long t)
{
    char buf[32];
    if (t <= 0) {
        jw_null(j, key);
        return;
    }
    kube_time_format(t, buf, sizeof(buf));
    jw_str(j, key, buf);
}

static void jw_age(struct jw *j, long long now, long long t)
{
    char buf[32] = "<unknown>";
    if (t > 0)
        kube_human_duration(now - t, buf, sizeof(buf));
    jw_str(j, "age", buf);
}

static const char *kind_word(enum kube_kind k)
{
    return k < KUBE_KIND_COUNT ? kube_resource_get(k)->kind : "";
}

static const char *match_word(enum dify_match h)
{
    return h == DIFY_MATCH_LABEL ? "label" : h == DIFY_MATCH_IMAGE ? "image" : "none";
}

static void comp_json(struct jw *j, const struct status_comp *c, long long now)
{
    jw_open(j, NULL, '{');
    jw_str(j, "component", dify_comp_desc(c->comp)->key);
    jw_str(j, "kind", kind_word(c->kind));
    jw_str(j, "name", c->name);
    jw_str(j, "matchedBy", match_word(c->how));
    jw_num(j, "desired", c->desired);
    jw_num(j, "ready", c->ready);
    jw_num(j, "updated", c->updated);
    jw_num(j, "available", c->available);
    jw_num(j, "restarts", c->restarts);
    jw_num(j, "pods", c->pods);
    jw_time(j, "created", c->created);
    if (c->created > 0)
        jw_age(j, now, c->created);
    else
        jw_null(j, "age");
    jw_str(j, "tag", c->tag);
    jw_str(j, "expectedTag", c->expected_tag);
    jw_str(j, "rollout", status_rollout_word(c->rollout));
    jw_str(j, "reason", c->reason);
    jw_str(j, "problem", c->problem);
    jw_close(j, '}');
}

static void probe_json(struct jw *j, const char *key, const struct status_probe *p,
                       const char *state)
{
    jw_open(j, key, '{');
    jw_bool(j, "checked", p->checked && !p->absent);
    jw_bool(j, "absent", p->absent != NULL);
    jw_bool(j, "ok", p->checked && p->ok && !p->absent);
    jw_num(j, "httpStatus", p->status);
    jw_num(j, "latencyMs", p->latency_ms);
    jw_str(j, "version", p->version);
    jw_str(j, "message", p->absent ? p->absent : p->msg);
    jw_str(j, "lastError", p->last_error);
    jw_time(j, "lastErrorAt", p->last_error_at);
    jw_time(j, "since", p->checked ? p->since : 0);
    if (state)
        jw_str(j, "state", state);
    jw_close(j, '}');
}

static void job_json(struct jw *j, const char *key, const struct status_job *x, long long now)
{
    const struct kube_job *b = &x->obj->u.job;
    jw_open(j, key, '{');
    jw_str(j, "name", x->obj->name);
    jw_str(j, "component", dify_comp_desc(x->comp)->key);
    jw_str(j, "state",
           x->state == ROLLOUT_DONE     ? "complete"
           : x->state == ROLLOUT_FAILED ? "failed"
                                        : "running");
    jw_str(j, "message", x->msg);
    jw_num(j, "succeeded", b->succeeded);
    jw_num(j, "failed", b->failed);
    jw_num(j, "active", b->active);
    jw_num(j, "backoffLimit", b->backoff_limit);
    jw_num(j, "attempts", x->attempts);
    jw_num(j, "durationSeconds", x->duration);
    jw_time(j, "started", b->start);
    jw_time(j, "completed", b->completion);
    jw_age(j, now, x->obj->created);
    jw_str(j, "newestPod", x->newest_pod);
    jw_close(j, '}');
}

static const char *pair_word(const struct status_health *h)
{
    if (!h->pair_checked)
        return "unchecked";
    return h->pair == DIFY_PAIR_KNOWN  ? "known"
           : h->pair == DIFY_PAIR_SKEW ? "skew"
                                       : "unknown-api";
}

static void health_json(struct jw *j, const struct status *m)
{
    const struct status_health *h = status_health(m);
    jw_open(j, "health", '{');
    probe_json(j, "api", &h->api, NULL);
    probe_json(j, "pluginDaemon", &h->daemon, NULL);
    probe_json(j, "daemonKey", &h->key,
               h->key.absent    ? "absent"
               : h->key.checked ? dify_key_state_name(h->key.key)
                                : "unchecked");
    probe_json(j, "pluginStorage", &h->storage,
               h->storage.absent    ? "absent"
               : h->storage.checked ? dify_storage_state_name(h->storage.storage)
                                    : "unchecked");
    jw_open(j, "versions", '{');
    jw_str(j, "api", h->api_tag);
    jw_str(j, "pluginDaemon", h->daemon_tag);
    jw_str(j, "pair", pair_word(h));
    jw_str(j, "message", h->pair_msg);
    jw_close(j, '}');
    jw_close(j, '}');
}

static void conn_json(struct jw *j, const struct status *m)
{
    const struct status_conn *c = status_conn(m);
    jw_open(j, "connection", '{');
    jw_bool(j, "synced", c->synced);
    jw_bool(j, "reachable", c->reachable);
    jw_time(j, "downSince", c->down_since);
    jw_str(j, "error", c->down_msg);
    jw_open(j, "refused", '[');
    for (size_t i = 0; i < c->nrefused; i++) {
        jw_open(j, NULL, '{');
        jw_str(j, "kind", kube_resource_get(c->refused[i].kind)->plural);
        jw_str(j, "message", c->refused[i].msg);
        jw_close(j, '}');
    }
    jw_close(j, ']');
    jw_open(j, "malformed", '[');
    for (size_t i = 0; i < c->nmalformed && i < 8; i++)
        jw_str(j, NULL, c->malformed[i]);
    jw_close(j, ']');
    jw_num(j, "malformedCount", (long long)c->nmalformed);
    jw_close(j, '}');
}

static void pod_json(struct jw *j, const struct status_pod *p, long long now)
{
    const struct kube_pod *kp = &p->obj->u.pod;
    char ready[32];
    snprintf(ready, sizeof(ready), "%u/%u", kp->ready, kp->total);
    jw_open(j, NULL, '{');
    jw_str(j, "name", p->obj->name);
    jw_str(j, "component", dify_comp_desc(p->comp)->key);
    jw_str(j, "workload", p->workload);
    jw_str(j, "status", kp->reason ? kp->reason : kp->phase);
    jw_str(j, "ready", ready);
    jw_num(j, "restarts", kp->restarts);
    jw_str(j, "lastTerminationReason", kp->last_reason);
    jw_str(j, "node", kp->node);
    jw_age(j, now, p->obj->created);
    jw_bool(j, "problem", p->problem);
    jw_close(j, '}');
}

static void event_json(struct jw *j, const struct status_event *e)
{
    jw_open(j, NULL, '{');
    jw_str(j, "type", e->type);
    jw_str(j, "kind", e->kind);
    jw_str(j, "name", e->name);
    jw_str(j, "reason", e->reason);
    jw_str(j, "message", e->message);
    jw_num(j, "count", e->count);
    jw_time(j, "last", e->last);
    jw_close(j, '}');
}

void status_json_drain(const struct status *m, bool pretty, struct strbuf *out,
                       void (*drain)(struct strbuf *out, void *arg), void *arg)
{
    long long now = status_now(m);
    struct jw j = {.out = out, .pretty = pretty, .drain = drain, .arg = arg};
    jw_open(&j, NULL, '{');
    jw_str(&j, "namespace", m->ns);
    jw_time(&j, "time", now);
    jw_bool(&j, "healthy", status_healthy(m));
    conn_json(&j, m);
    jw_open(&j, "components", '[');
    for (size_t i = 0; i < status_ncomps(m); i++)
        comp_json(&j, status_comp_at(m, i), now);
    jw_close(&j, ']');
    jw_open(&j, "others", '[');
    for (size_t i = 0; i < status_nothers(m); i++)
        comp_json(&j, status_other_at(m, i), now);
    jw_close(&j, ']');
    health_json(&j, m);
    const struct status_job *mig = status_migration(m);
    if (mig)
        job_json(&j, "migration", mig, now);
    else
        jw_null(&j, "migration");
    jw_open(&j, "pods", '[');
    for (size_t i = 0; i < status_npods(m); i++)
        pod_json(&j, status_pod_at(m, i), now);
    jw_close(&j, ']');
    jw_open(&j, "jobs", '[');
    for (size_t i = 0; i < status_njobs(m); i++)
        job_json(&j, NULL, status_job_at(m, i), now);
    jw_close(&j, ']');
    jw_open(&j, "events", '[');
    for (size_t i = 0; i < status_nevents(m); i++)
        event_json(&j, status_event_at(m, i));
    jw_close(&j, ']');
    jw_close(&j, '}');
    if (drain)
        drain(out, arg);
}

void status_json(const struct status *m, bool pretty, struct strbuf *out)
{
    status_json_drain(m, pretty, out, NULL, NULL);
}
