/* core/steps_check.c: the post-deploy checks, through the API server's
 * service proxy (core/dify_probe), so they need nothing but the kubeconfig:
 * the api's /health and the version it reports, the plugin daemon's
 * /health/check, the authenticated api -> daemon call that tells a key
 * mismatch (401/403) from a version skew (404), the api/daemon pair judged
 * by core/dify_versions, and whether the daemon's plugins survive a
 * restart. One row each. A component that answers 503 right after its
 * rollout (no endpoint yet) is asked again: the step is retried. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dify_probe.h"
#include "core/dify_versions.h"
#include "core/error.h"
#include "core/kube_client.h"
#include "core/log.h"
#include "core/plan.h"
#include "core/profile.h"
#include "core/runner.h"
#include "core/steps_kube.h"
#include "core/util.h"

enum { CK_API, CK_DAEMON, CK_KEY, CK_STORAGE, CK__N };

struct check_step {
    char *ns, *api_svc, *daemon_svc, *api_deploy, *daemon_deploy;
    /* the attempt */
    struct step_run *sr;
    struct dify_probe *probe[CK__N];
    struct dify_probe_result res[CK__N];
    bool have[CK__N];
    size_t pending;
};

static const char *const ck_label[CK__N] = {"api /health", "plugin daemon /health/check",
                                            "api -> plugin daemon key", "plugin storage"};

static void ck_finish(struct check_step *c)
{
    struct strbuf bad;
    strbuf_init(&bad);
    const struct dify_probe_result *api = &c->res[CK_API], *dae = &c->res[CK_DAEMON];
    for (int k = 0; k < CK__N; k++) {
        if (k == CK_STORAGE)
            continue; /* a warning, below */
        if (!c->res[k].ok)
            strbuf_addf(&bad, "%s%s: %s", bad.len ? "; " : "", ck_label[k], c->res[k].msg);
    }
    char pair[512] = "";
    enum dify_pair pr = DIFY_PAIR_KNOWN;
    if (api->ok && dae->ok && api->version[0] && dae->version[0]) {
        pr = dify_probe_pair(api->version, dae->version, pair, sizeof(pair));
        step_run_row(c->sr, "pair", "api / plugin daemon versions",
                     pr == DIFY_PAIR_SKEW ? ROW_FAILED : ROW_DONE, pair[0] ? pair : "a known pair",
                     0, 0);
        if (pr == DIFY_PAIR_SKEW)
            strbuf_addf(&bad, "%s%s", bad.len ? "; " : "", pair);
        else if (pair[0])
            step_run_say(c->sr, "%s", pair);
    }
    const struct dify_probe_result *st = &c->res[CK_STORAGE];
    if (c->have[CK_STORAGE] && !st->ok)
        step_run_say(c->sr, "warning: %s", st->msg);
    struct step_run *sr = c->sr;
    c->sr = NULL;
    if (bad.len) {
        struct error e;
        error_set(&e, ERR_PROCESS, 0, "%s", bad.buf);
        if (c->res[CK_KEY].key == DIFY_KEY_MISMATCH || c->res[CK_KEY].key == DIFY_KEY_SKEW ||
            pr == DIFY_PAIR_SKEW)
            step_run_permanent(sr); /* asking again will not change it */
        if (c->res[CK_KEY].key == DIFY_KEY_MISMATCH)
            step_run_hint(sr, "the api's PLUGIN_DAEMON_KEY must equal the daemon's SERVER_KEY: "
                              "both come from the secrets file's plugin_daemon_key; re-render "
                              "and install again, then restart both");
        else if (c->res[CK_KEY].key == DIFY_KEY_SKEW || pr == DIFY_PAIR_SKEW)
            step_run_hint(sr, "the api and the plugin daemon are of different releases: pin the "
                              "daemon's image to the api's release (docs/render.md)");
        else
            step_run_hint(sr,
                          "the component's log says why (dify-tui get pods -n %s); retry "
                          "once it is fixed",
                          c->ns);
        strbuf_done(&bad);
        step_run_done(sr, &e);
        return;
    }
    strbuf_done(&bad);
    step_run_summary(sr, "api %s healthy, plugin daemon %s healthy, the api's key accepted",
                     api->version[0] ? api->version : "", dae->version[0] ? dae->version : "");
    step_run_done(sr, NULL);
}

static void ck_done(const struct dify_probe_result *r, void *arg)
{
    struct check_step *c = arg;
    int k = (int)r->kind;
    c->probe[k] = NULL;
    c->res[k] = *r;
    c->have[k] = true;
    char key[16];
    snprintf(key, sizeof(key), "check%d", k);
    enum runner_row_state st = r->ok ? ROW_DONE : (k == CK_STORAGE ? ROW_DONE : ROW_FAILED);
    step_run_row(c->sr, key, ck_label[k], st, r->msg, 0, 0);
    if (--c->pending == 0)
        ck_finish(c);
}

static void ck_start(struct step_run *sr, void *data)
{
    struct check_step *c = data;
    c->sr = sr;
    struct error err;
    error_clear(&err);
    struct kube_client *kc = step_run_kube(sr, &err);
    if (!kc) {
        step_run_permanent(sr);
        c->sr = NULL;
        step_run_done(sr, &err);
        return;
    }
    memset(c->res, 0, sizeof(c->res));
    memset(c->have, 0, sizeof(c->have));
    step_run_detail_title(sr, "Checks");
    for (int k = 0; k < CK__N; k++) {
        char key[16];
        snprintf(key, sizeof(key), "check%d", k);
        step_run_row(sr, key, ck_label[k], ROW_WORKING, "asking", 0, 0);
    }
    c->pending = CK__N;
    c->probe[CK_API] = dify_probe_api_health(kc, c->ns, c->api_svc, NULL, ck_done, c);
    c->probe[CK_DAEMON] = dify_probe_daemon_health(kc, c->ns, c->daemon_svc, NULL, ck_done, c);
    c->probe[CK_KEY] = dify_probe_daemon_key(kc, c->ns, "deployment", c->api_deploy, c->daemon_svc,
                                             "5002", ck_done, c);
    c->probe[CK_STORAGE] =
        dify_probe_daemon_storage(kc, c->ns, "deployment", c->daemon_deploy, ck_done, c);
}

static void ck_cancel(struct step_run *sr, void *data)
{
    struct check_step *c = data;
    for (int k = 0; k < CK__N; k++) {
        dify_probe_cancel(c->probe[k]);
        c->probe[k] = NULL;
    }
    c->sr = NULL;
}

static void ck_free(void *data)
{
    struct check_step *c = data;
    free(c->ns);
    free(c->api_svc);
    free(c->daemon_svc);
    free(c->api_deploy);
    free(c->daemon_deploy);
    free(c);
}

static const struct step_ops check_ops = {"checks", ck_start, ck_cancel, NULL, ck_free};

struct plan_step *steps_add_checks(struct plan *p, const struct plan_ctx *ctx)
{
    const struct profile *prof = ctx->profile;
    struct check_step *c = xcalloc(1, sizeof(*c));
    c->ns = xstrdup(prof->namespace);
    c->api_svc = xasprintf("%s-api", prof->release);
    c->daemon_svc = xasprintf("%s-plugin-daemon", prof->release);
    c->api_deploy = xasprintf("%s-api", prof->release);
    c->daemon_deploy = xasprintf("%s-plugin-daemon", prof->release);
    struct plan_step *s = plan_add(p, STAGE_CHECK, "checks",
                                   "Check the api, the plugin daemon and their key", &check_ops, c);
    plan_step_note(s,
                   "GET /health on service %s/%s and /health/check on %s/%s through the API "
                   "server's service proxy",
                   c->ns, c->api_svc, c->ns, c->daemon_svc);
    plan_step_note(s, "the api's own call to the plugin daemon with its PLUGIN_DAEMON_KEY "
                      "(a 401/403 is a key mismatch, a 404 a version skew)");
    plan_step_always(s);
    plan_step_retry(s, 4, 3000);
    return s;
}
