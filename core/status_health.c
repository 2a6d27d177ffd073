/* core/status_health.c: the health strip's probes (core/dify_probe.h) run by
 * the model on a timer: the api's /health and the daemon's /health/check
 * every period, the key and storage checks every sixth, the first round as
 * soon as every kind was listed. A probe still in flight is not started
 * again, so a slow or hanging service never piles requests up. Each answer
 * updates its struct status_probe: the state, since when it holds, the last
 * error (kept after a recovery) and when it was seen. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/loop.h"
#include "core/status_impl.h"
#include "core/util.h"

static void record(struct status *m, struct status_probe *p, const struct dify_probe_result *r)
{
    long long now = status_now(m);
    /* the probes double as the API server's liveness check while the
     * watches are quiet: no reply at all is a server that does not answer */
    if (r->no_reply) {
        struct error e = {.code = ERR_NETWORK};
        snprintf(e.msg, sizeof(e.msg), "%s", r->msg);
        status_note_error(m, &e);
    } else if (r->http_status > 0 && r->http_status < 500) {
        status_note_reachable(m);
    }
    if (!p->checked || p->ok != r->ok)
        p->since = now;
    p->checked = true;
    p->ok = r->ok;
    p->status = r->status;
    p->latency_ms = r->latency_ms;
    p->key = r->key;
    p->storage = r->storage;
    snprintf(p->version, sizeof(p->version), "%s", r->version);
    snprintf(p->msg, sizeof(p->msg), "%s", r->msg);
    if (!r->ok) {
        snprintf(p->last_error, sizeof(p->last_error), "%s", r->msg);
        p->last_error_at = now;
    }
    status_mark(m, STATUS_HEALTH);
}

void status_record_probe(struct status *m, const struct dify_probe_result *r)
{
    struct status_health *h = &m->health;
    struct status_probe *p = r->kind == DIFY_PROBE_API_HEALTH      ? &h->api
                             : r->kind == DIFY_PROBE_DAEMON_HEALTH ? &h->daemon
                             : r->kind == DIFY_PROBE_DAEMON_KEY    ? &h->key
                                                                   : &h->storage;
    record(m, p, r);
}

static void not_found(struct status *m, struct status_probe *p, const char *what)
{
    struct dify_probe_result r = {.ok = false};
    snprintf(r.msg, sizeof(r.msg), "%s", what);
    record(m, p, &r);
}

static void on_api(const struct dify_probe_result *r, void *arg)
{
    struct status *m = arg;
    m->p_api = NULL;
    record(m, &m->health.api, r);
}

static void on_daemon(const struct dify_probe_result *r, void *arg)
{
    struct status *m = arg;
    m->p_daemon = NULL;
    record(m, &m->health.daemon, r);
}

static void on_key(const struct dify_probe_result *r, void *arg)
{
    struct status *m = arg;
    m->p_key = NULL;
    record(m, &m->health.key, r);
}

static void on_storage(const struct dify_probe_result *r, void *arg)
{
    struct status *m = arg;
    m->p_storage = NULL;
    record(m, &m->health.storage, r);
}

/* The workload's pod selector, from its store. */
static const char *selector_of(struct status *m, const struct status_comp *c)
{
    const struct kube_obj *o = kube_store_find(status_store(m, c->kind), m->ns, c->name);
    return o ? o->u.wl.tpl.selector : NULL;
}

/* The Service that reaches a component: one whose selector picks the
 * workload's pods, else one labelled (or selecting) for the component. */
static bool service_for(struct status *m, const struct status_comp *c, char *svc, size_t sn,
                        char *port, size_t pn)
{
    struct kube_store *ss = status_store(m, KUBE_SERVICE);
    const char *sel = selector_of(m, c);
    const struct kube_obj *best = NULL;
    for (size_t i = 0; i < kube_store_count(ss) && !best; i++) {
        const struct kube_obj *s = kube_store_at(ss, i);
        if (dify_selector_covers(s->u.svc.selector, sel))
            best = s;
    }
    for (size_t i = 0; i < kube_store_count(ss) && !best; i++) {
        const struct kube_obj *s = kube_store_at(ss, i);
        if (dify_comp_of_service(s) == c->comp)
            best = s;
    }
    if (!best)
        return false;
    snprintf(svc, sn, "%s", best->name);
    dify_service_port(best, c->comp, port, pn);
    return true;
}

static void round_fired(struct loop *l, long long id, void *arg);

static void run_round(struct status *m)
{
    const struct status_comp *api = status_find_comp(m, DIFY_COMP_API);
    const struct status_comp *daemon = status_find_comp(m, DIFY_COMP_PLUGIN_DAEMON);
    bool slow = m->probe_round % 6 == 0;
    m->probe_round++;
    char svc[256], port[32], dsvc[256] = "", dport[32] = "";
    bool have_d = daemon && service_for(m, daemon, dsvc, sizeof(dsvc), dport, sizeof(dport));
    if (api && !m->p_api) {
        if (service_for(m, api, svc, sizeof(svc), port, sizeof(port)))
            m->p_api = dify_probe_api_health(m->c, m->ns, svc, port, on_api, m);
        else
            not_found(m, &m->health.api, "no Service selects the api's pods");
    }
    if (daemon && !m->p_daemon) {
        if (have_d)
            m->p_daemon = dify_probe_daemon_health(m->c, m->ns, dsvc, dport, on_daemon, m);
        else
            not_found(m, &m->health.daemon, "no Service selects the plugin daemon's pods");
    }
    if (slow && api && daemon && !m->p_key)
        m->p_key =
            dify_probe_daemon_key(m->c, m->ns, kube_resource_get(api->kind)->singular, api->name,
                                  have_d ? dsvc : NULL, have_d ? dport : NULL, on_key, m);
    if (slow && daemon && !m->p_storage)
        m->p_storage = dify_probe_daemon_storage(
            m->c, m->ns, kube_resource_get(daemon->kind)->singular, daemon->name, on_storage, m);
    m->probe_timer = loop_add_timer(m->loop, m->o.probe_ms, round_fired, m);
}

static void round_fired(struct loop *l, long long id, void *arg)
{
    struct status *m = arg;
    m->probe_timer = 0;
    run_round(m);
}

void status_health_start(struct status *m)
{
    m->probing = m->c && m->loop && m->o.probe_ms > 0;
}

/* Which probes have nothing to probe, once every kind is listed: a
 * namespace with other workloads only, or an install without a plugin
 * daemon, would say "not checked yet" forever. */
void status_health_presence(struct status *m)
{
    struct status_health *h = &m->health;
    /* absence is known only of what was listed: a refused list (a token the
     * server does not accept, RBAC) says nothing of what is there */
    bool unknown = false;
    for (size_t i = 0; i < STATUS_NKINDS; i++)
        unknown =
            unknown || (m->w[i].refused &&
                        (m->w[i].kind == KUBE_DEPLOYMENT || m->w[i].kind == KUBE_STATEFULSET ||
                         m->w[i].kind == KUBE_DAEMONSET || m->w[i].kind == KUBE_POD));
    if (m->conn.synced && unknown) {
        static const char why[] = "not known: the workloads could not be listed (above)";
        h->api.absent = h->daemon.absent = h->key.absent = h->storage.absent = why;
        return;
    }
    bool synced = m->conn.synced;
    bool api = status_find_comp(m, DIFY_COMP_API) != NULL;
    bool daemon = status_find_comp(m, DIFY_COMP_PLUGIN_DAEMON) != NULL;
    h->api.absent = synced && !api ? "no api in this namespace: nothing to probe" : NULL;
    h->daemon.absent =
        synced && !daemon ? "no plugin daemon in this namespace: nothing to probe" : NULL;
    h->key.absent = !synced || (api && daemon) ? NULL
                    : api ? "no plugin daemon in this namespace: no key to check"
                          : "no api in this namespace: no key to check";
    h->storage.absent =
        synced && !daemon ? "no plugin daemon in this namespace: no plugin storage" : NULL;
}

void status_health_synced(struct status *m)
{
    status_health_presence(m);
    if (m->probing && !m->probe_timer)
        m->probe_timer = loop_add_timer(m->loop, 0, round_fired, m);
}

void status_health_stop(struct status *m)
{
    if (m->probe_timer)
        loop_cancel_timer(m->loop, m->probe_timer);
    m->probe_timer = 0;
    dify_probe_cancel(m->p_api);
    dify_probe_cancel(m->p_daemon);
    dify_probe_cancel(m->p_key);
    dify_probe_cancel(m->p_storage);
    m->p_api = m->p_daemon = m->p_key = m->p_storage = NULL;
    m->probing = false;
}
