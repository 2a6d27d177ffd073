/* core/checks_daemon.c: area 6, the plugin daemon, through core/dify_probe
 * (the service proxy): its health (GET /health/check on 5002, not the
 * seed's /health), the api's authenticated call that tells a key mismatch
 * (401/403) from a version skew (404), the api/daemon version pair against
 * core/dify_versions, and plugin storage that survives a restart. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checks_env.h"
#include "core/checks_impl.h"
#include "core/checks_util.h"
#include "core/dify_components.h"
#include "core/dify_probe.h"
#include "core/dify_versions.h"
#include "core/error.h"
#include "core/kube_json.h"
#include "core/kube_store.h"
#include "core/util.h"

#define DOC "docs/diagnose.md#"

/* The Service fronting comp, and the port to reach it on. */
static bool comp_service(const struct check *c, enum dify_comp comp, char *name, size_t nn,
                         char *port, size_t pn)
{
    const cJSON *svc;
    cJSON_ArrayForEach(svc, check_fact(c, FACT_SERVICES))
    {
        struct error err;
        error_clear(&err);
        struct kube_obj *o = kube_obj_parse(KUBE_SERVICE, svc, &err);
        if (!o)
            continue;
        bool hit = dify_comp_of_service(o) == comp;
        if (hit) {
            snprintf(name, nn, "%s", o->name);
            dify_service_port(o, comp, port, pn);
        }
        kube_obj_free(o);
        if (hit)
            return true;
    }
    return false;
}

static const char *lower_kind(const char *kind)
{
    return str_eq(kind, "StatefulSet") ? "statefulset"
           : str_eq(kind, "DaemonSet") ? "daemonset"
                                       : "deployment";
}

/* The tag of the image the component's workload runs. */
static bool comp_tag(const struct check *c, enum dify_comp comp, char *tag, size_t n,
                     struct workload_ref *w)
{
    if (!checks_app_find(c, comp, w))
        return false;
    const cJSON *ct;
    cJSON_ArrayForEach(ct, kj_get(w->tpl, "spec.containers"))
    {
        const char *img = kj_str(ct, "image");
        enum dify_comp got = dify_comp_of_image(img);
        if (got == comp || (comp == DIFY_COMP_API && got == DIFY_COMP_API)) {
            char repo[256];
            dify_image_split(img, repo, sizeof(repo), tag, n);
            return true;
        }
    }
    return false;
}

static void probe_stop(struct check *c)
{
    dify_probe_cancel(check_state(c));
}

/* ---- DT-601 /health/check ---- */

static void health_done(const struct dify_probe_result *r, void *arg)
{
    struct check *c = arg;
    check_set_state(c, NULL); /* the probe is freed after this */
    check_evidence(c, "%s", r->msg);
    check_more(c, DOC "dt-601");
    if (r->ok) {
        check_ok(c, "/health/check answers ok%s%s", r->version[0] ? ", version " : "", r->version);
        return;
    }
    check_explain(c, "The plugin daemon's health endpoint does not answer ok through its "
                     "Service: no ready pod behind it (see DT-201/DT-202), or the Service's "
                     "port is not the daemon's 5002. Its health path is /health/check; "
                     "/health is not a route there (seed 003's probe path is wrong).");
    check_fail(c, "the plugin daemon is not healthy: %s", r->msg);
}

static void health_start(struct check *c)
{
    char svc[254], port[32];
    if (!comp_service(c, DIFY_COMP_PLUGIN_DAEMON, svc, sizeof(svc), port, sizeof(port))) {
        struct workload_ref w;
        if (!checks_app_find(c, DIFY_COMP_PLUGIN_DAEMON, &w)) {
            check_skip(c, "no plugin daemon in namespace %s", check_env(c)->ns);
            return;
        }
        check_explain(c, "The api reaches the daemon through a Service (PLUGIN_DAEMON_URL); "
                         "there is none in front of it.");
        check_try(c, "%s expose %s/%s --port 5002", check_kubectl(c), lower_kind(w.kind), w.name);
        check_more(c, DOC "dt-601");
        check_fail(c, "no Service fronts the plugin daemon");
        return;
    }
    check_evidence(c, "Service %s port %s", svc, port);
    check_try(c, "kubectl get --raw /api/v1/namespaces/%s/services/%s:%s/proxy/health/check",
              check_env(c)->ns, svc, port);
    check_waiting(c, "GET /health/check through Service %s", svc);
    check_set_state(c, dify_probe_daemon_health(check_env(c)->kube, check_env(c)->ns, svc, port,
                                                health_done, c));
}

/* ---- DT-602 the api's key ---- */

/* The daemon route the api's release calls that tells its daemon's release:
 * the trigger providers from 1.10.0 on (core/dify_versions.h), else the
 * plugin list every daemon serves. */
static const char *key_route(const char *api_tag)
{
    const struct dify_release *api = dify_release_find(api_tag);
    return dify_release_at_least(api, dify_release_find(DIFY_TRIGGERS_SINCE))
               ? "management/triggers"
               : "management/list";
}

/* The version skew's remedy: the daemon of the api's own release. */
static void skew_remedy(struct check *c)
{
    char api_tag[128], daemon_tag[128];
    struct workload_ref api, d;
    const struct dify_release *rel = NULL;
    if (comp_tag(c, DIFY_COMP_API, api_tag, sizeof(api_tag), &api))
        rel = dify_release_find(api_tag);
    if (!rel || !comp_tag(c, DIFY_COMP_PLUGIN_DAEMON, daemon_tag, sizeof(daemon_tag), &d)) {
        check_try(c, "dify-tui diagnose --only DT-603");
        return;
    }
    check_evidence(c, "api %s ships with plugin daemon %s; the daemon runs %s", api_tag,
                   rel->plugin_daemon, daemon_tag);
    check_try(c, "%s set image %s/%s %s=langgenius/dify-plugin-daemon:%s", check_kubectl(c),
              lower_kind(d.kind), d.name,
              kj_str(cJSON_GetArrayItem(kj_get(d.tpl, "spec.containers"), 0), "name"),
              rel->plugin_daemon);
}

static void key_done(const struct dify_probe_result *r, void *arg)
{
    struct check *c = arg;
    check_set_state(c, NULL);
    check_evidence(c, "%s", r->msg);
    check_more(c, DOC "dt-602");
    switch (r->key) {
    case DIFY_KEY_OK:
        check_ok(c, "the daemon accepts the api's key");
        return;
    case DIFY_KEY_MISMATCH:
        check_explain(c,
                      "The daemon refuses the api's calls (%ld): the api's PLUGIN_DAEMON_KEY "
                      "is not the daemon's SERVER_KEY. The console shows \"Failed to request "
                      "plugin daemon\" on every model and tool page (langgenius/dify#28241). "
                      "DT-302 compares the two values.",
                      r->status);
        check_try(c,
                  "%s rollout restart deployment   # after PLUGIN_DAEMON_KEY (api) and "
                  "SERVER_KEY (daemon) come from one Secret key",
                  check_kubectl(c));
        check_fail(c, "key mismatch: the daemon answers %ld to the api's key", r->status);
        return;
    case DIFY_KEY_SKEW:
        check_explain(c, "The daemon accepts the key but has no such route (404): the api and "
                         "the daemon are of different releases, and the api calls an endpoint "
                         "this daemon does not have (langgenius/dify#29929). The console's "
                         "pages that need it fail with \"Failed to request plugin daemon\". "
                         "Run the daemon of the api's release (DT-603 compares the pair).");
        skew_remedy(c);
        check_fail(c, "version skew: the daemon answers 404 to the api's call");
        return;
    case DIFY_KEY_UNREACHABLE:
        check_explain(c, "The Service the api's PLUGIN_DAEMON_URL names has no ready endpoint: "
                         "the api's calls end in \"Connection refused\" (langgenius/dify#30151, "
                         "#15855).");
        check_try(c, "%s get endpoints", check_kubectl(c));
        check_fail(c, "the api's PLUGIN_DAEMON_URL leads to no daemon");
        return;
    default:
        check_try(c, "%s get deploy", check_kubectl(c));
        check_warn(c, "the api's call to the daemon could not be judged: %s", r->msg);
        return;
    }
}

static void key_start(struct check *c)
{
    struct workload_ref api;
    if (!checks_app_find(c, DIFY_COMP_API, &api)) {
        check_skip(c, "no api workload found");
        return;
    }
    struct workload_ref d;
    if (!checks_app_find(c, DIFY_COMP_PLUGIN_DAEMON, &d)) {
        check_skip(c, "no plugin daemon in namespace %s", check_env(c)->ns);
        return;
    }
    char svc[254] = "", port[32] = "", api_tag[128] = "";
    comp_service(c, DIFY_COMP_PLUGIN_DAEMON, svc, sizeof(svc), port, sizeof(port));
    struct workload_ref ignored;
    comp_tag(c, DIFY_COMP_API, api_tag, sizeof(api_tag), &ignored);
    const char *route = key_route(api_tag);
    check_evidence(c, "the api's call: GET /plugin/TENANT/%s with its PLUGIN_DAEMON_KEY%s", route,
                   strcmp(route, "management/triggers") == 0
                       ? " (api " DIFY_TRIGGERS_SINCE " and later list trigger providers so)"
                       : "");
    check_waiting(c, "the daemon's answer to the api's key");
    check_set_state(c, dify_probe_daemon_key_route(
                           check_env(c)->kube, check_env(c)->ns, lower_kind(api.kind), api.name,
                           svc[0] ? svc : NULL, port[0] ? port : NULL, route, key_done, c));
}

/* ---- DT-603 the version pair ---- */

static void pair_start(struct check *c)
{
    char api_tag[128], daemon_tag[128];
    struct workload_ref api, d;
    if (!comp_tag(c, DIFY_COMP_API, api_tag, sizeof(api_tag), &api)) {
        check_skip(c, "no api workload found");
        return;
    }
    if (!comp_tag(c, DIFY_COMP_PLUGIN_DAEMON, daemon_tag, sizeof(daemon_tag), &d)) {
        check_skip(c, "no plugin daemon in namespace %s", check_env(c)->ns);
        return;
    }
    check_evidence(c, "api %s (%s/%s), plugin daemon %s (%s/%s)", api_tag, api.kind, api.name,
                   daemon_tag, d.kind, d.name);
    char msg[300];
    enum dify_pair pr = dify_probe_pair(api_tag, daemon_tag, msg, sizeof(msg));
    check_more(c, DOC "dt-603");
    if (pr == DIFY_PAIR_UNKNOWN_API) {
        check_skip(c, "api %s is not a release dify-tui knows: the pair is not judged", api_tag);
        return;
    }
    if (pr == DIFY_PAIR_SKEW) {
        const struct dify_release *rel = dify_release_find(api_tag);
        check_evidence(c, "%s", msg);
        check_explain(c,
                      "Each Dify release ships one plugin daemon; an api of one release "
                      "against a daemon of another fails at run time with 404s and "
                      "\"Failed to parse response from plugin daemon\" "
                      "(aws-samples/dify-self-hosted-on-aws#87, langgenius/dify#29929). "
                      "Source of the pair: %s.",
                      rel ? rel->source : "core/dify_versions.c");
        check_try(c, "%s set image %s/%s %s=langgenius/dify-plugin-daemon:%s", check_kubectl(c),
                  lower_kind(d.kind), d.name,
                  kj_str(cJSON_GetArrayItem(kj_get(d.tpl, "spec.containers"), 0), "name"),
                  rel ? rel->plugin_daemon : "TAG");
        check_fail(c, "api %s and plugin daemon %s are not a pair of one release", api_tag,
                   daemon_tag);
        return;
    }
    check_ok(c, "api %s ships with plugin daemon %s", api_tag, daemon_tag);
}

/* ---- DT-604 plugin storage ---- */

/* The access modes of a claim the template mounts, "" when none. */
static void claim_modes(const struct check *c, const cJSON *tpl, char *claim, size_t cn, bool *rwx)
{
    claim[0] = '\0';
    *rwx = false;
    const cJSON *v;
    cJSON_ArrayForEach(v, kj_get(tpl, "spec.volumes"))
    {
        const char *name = kj_str(v, "persistentVolumeClaim.claimName");
        if (!name)
            continue;
        snprintf(claim, cn, "%s", name);
        const cJSON *pvc;
        cJSON_ArrayForEach(pvc, check_fact(c, FACT_PVCS))
        {
            if (!str_eq(kj_str(pvc, "metadata.name"), name))
                continue;
            const cJSON *m;
            cJSON_ArrayForEach(m, kj_get(pvc, "spec.accessModes"))
            {
                if (cJSON_IsString(m) && !strcmp(m->valuestring, "ReadWriteMany"))
                    *rwx = true;
            }
        }
    }
}

struct storage_state {
    struct dify_probe *probe;
    struct check *c;
    struct workload_ref d;
};

static void storage_done(const struct dify_probe_result *r, void *arg)
{
    struct storage_state *s = arg;
    struct check *c = s->c;
    s->probe = NULL;
    check_evidence(c, "%s", r->msg);
    check_more(c, DOC "dt-604");
    const char *kind = lower_kind(s->d.kind);
    long long replicas = kj_int(s->d.obj, "spec.replicas", 1);
    switch (r->storage) {
    case DIFY_STORAGE_POD:
    case DIFY_STORAGE_CONTAINER:
        check_explain(c,
                      "Installed plugins are packages in the daemon's storage and rows in its "
                      "database. On %s the packages are gone after the %s, while the "
                      "database still lists them: the daemon logs them as installed but "
                      "not launched, and every workflow using them breaks "
                      "(langgenius/dify-plugin-daemon#424, #406; dify-helm#459).",
                      r->storage == DIFY_STORAGE_POD ? "an emptyDir" : "the container's own disk",
                      r->storage == DIFY_STORAGE_POD ? "pod is replaced" : "container restarts");
        check_try(c,
                  "%s set volume %s/%s --add --name plugins --type pvc --claim-size 5Gi "
                  "--mount-path /app/storage --overwrite",
                  check_kubectl(c), kind, s->d.name);
        check_fail(c, "installed plugins are lost when the %s",
                   r->storage == DIFY_STORAGE_POD ? "pod is replaced" : "container restarts");
        return;
    case DIFY_STORAGE_NODE:
        check_try(c, "%s get pod -o wide   # hostPath stays with one node", check_kubectl(c));
        check_warn(c, "plugins are kept on the node's disk (hostPath): lost when the pod moves");
        return;
    case DIFY_STORAGE_VOLUME: {
        char claim[254];
        bool rwx;
        claim_modes(c, s->d.tpl, claim, sizeof(claim), &rwx);
        if (replicas > 1 && claim[0] && !rwx) {
            check_explain(c,
                          "%lld daemon replicas mount claim %s, which is ReadWriteOnce: "
                          "replicas on other nodes cannot mount it and stay "
                          "ContainerCreating, or each writes a storage the others do not "
                          "see. Several daemons need a ReadWriteMany volume (dify-helm#176) "
                          "or a bucket (PLUGIN_STORAGE_TYPE).",
                          replicas, claim);
            check_try(c, "%s scale %s/%s --replicas=1", check_kubectl(c), kind, s->d.name);
            check_fail(c, "%lld replicas share ReadWriteOnce claim %s", replicas, claim);
            return;
        }
        if (replicas > 1 && kj_has(s->d.obj, "spec.volumeClaimTemplates")) {
            check_try(c, "%s get pvc", check_kubectl(c));
            check_warn(c,
                       "each of %lld replicas has its own plugin storage: a plugin installed "
                       "through one is missing on the others",
                       replicas);
            return;
        }
        check_ok(c, "plugins are kept on a volume");
        return;
    }
    case DIFY_STORAGE_EXTERNAL:
        check_ok(c, "plugins are kept in a bucket");
        return;
    default:
        check_warn(c, "where the daemon keeps plugins is not known: %s", r->msg);
        return;
    }
}

static void storage_stop(struct check *c)
{
    struct storage_state *s = check_state(c);
    if (!s)
        return;
    dify_probe_cancel(s->probe);
    free(s);
}

static void storage_start(struct check *c)
{
    struct storage_state *s = xcalloc(1, sizeof(*s));
    s->c = c;
    check_set_state(c, s);
    if (!checks_app_find(c, DIFY_COMP_PLUGIN_DAEMON, &s->d)) {
        check_skip(c, "no plugin daemon in namespace %s", check_env(c)->ns);
        return;
    }
    check_waiting(c, "the daemon's volumes");
    s->probe = dify_probe_daemon_storage(check_env(c)->kube, check_env(c)->ns,
                                         lower_kind(s->d.kind), s->d.name, storage_done, s);
}

const struct check_def checks_daemon[] = {
    {"DT-601", AREA_DAEMON, "The plugin daemon answers /health/check", NEED_APP, health_start,
     probe_stop, 0, 0},
    {"DT-602", AREA_DAEMON, "The daemon accepts the api's key (not 403, not 404)", NEED_APP,
     key_start, probe_stop, 0, 0},
    {"DT-603", AREA_DAEMON, "The api and the daemon are a pair of one release", NEED_APP,
     pair_start, NULL, 0, 0},
    {"DT-604", AREA_DAEMON, "Installed plugins survive a restart", NEED_APP | NEED(FACT_PVCS),
     storage_start, storage_stop, 0, 0},
};
const size_t checks_daemon_n = ARRAY_LEN(checks_daemon);
