/* core/render_app.c: the whole application for the manifests method, shaped
 * like the Boris chart so one dashboard works for both methods: objects named
 * <release>-<component>, labels app.kubernetes.io/name=dify,
 * app.kubernetes.io/instance=<release>, component=<component>.
 *
 * Health paths follow upstream: api and sandbox /health, web /apps, plugin
 * daemon /health/check (seed 003's /health returns 404 on the daemon). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/render.h"
#include "core/hash.h"
#include "core/render_app.h"
#include "core/render_util.h"
#include "core/util.h"

struct app_comp {
    enum component c;
    const char *file;
    int port;          /* main port, 0 for none */
    const char *probe; /* HTTP probe path; NULL: TCP on port (or none) */
};

static const struct app_comp app_comps[] = {
    {COMP_API, "manifests/32-api.yaml", 5001, "/health"},
    {COMP_WORKER, "manifests/33-worker.yaml", 0, NULL},
    {COMP_BEAT, "manifests/34-beat.yaml", 0, NULL},
    {COMP_WEB, "manifests/35-web.yaml", 3000, "/apps"},
    {COMP_SANDBOX, "manifests/36-sandbox.yaml", 8194, "/health"},
    /* upstream wins over seed 003: the daemon serves /health/check only. */
    {COMP_PLUGIN_DAEMON, "manifests/37-plugin-daemon.yaml", 5002, "/health/check"},
    {COMP_SSRF_PROXY, "manifests/38-ssrf-proxy.yaml", 3128, NULL},
};

/* One envFrom entry: {<ref_key>: {name: "<release>-<suffix>"}}. */
static void env_from_ref(const struct profile *p, cJSON *env_from, const char *ref_key,
                         const char *suffix)
{
    cJSON *e = cJSON_CreateObject();
    char *name = ru_name(p, suffix);
    ru_str(ru_obj(e, ref_key), "name", name);
    free(name);
    cJSON_AddItemToArray(env_from, e);
}

static void env_from_pair(const struct profile *p, cJSON *container, const char *cm,
                          const char *secret)
{
    cJSON *ef = ru_arr(container, "envFrom");
    env_from_ref(p, ef, "configMapRef", cm);
    env_from_ref(p, ef, "secretRef", secret);
}

void render_app_env_from(const struct profile *p, cJSON *container)
{
    env_from_pair(p, container, RU_CONFIG, RU_SECRETS);
}

static void add_port(cJSON *ports, const char *name, int port)
{
    cJSON *o = cJSON_CreateObject();
    ru_str(o, "name", name);
    ru_num(o, "containerPort", port);
    ru_str(o, "protocol", "TCP");
    cJSON_AddItemToArray(ports, o);
}

static void add_probe(cJSON *c, const char *key, const struct app_comp *ac, int delay, int period)
{
    cJSON *pr = ru_obj(c, key);
    if (ac->probe) {
        cJSON *g = ru_obj(pr, "httpGet");
        ru_str(g, "path", ac->probe);
        ru_num(g, "port", ac->port);
    } else {
        ru_num(ru_obj(pr, "tcpSocket"), "port", ac->port);
    }
    ru_num(pr, "initialDelaySeconds", delay);
    ru_num(pr, "periodSeconds", period);
    ru_num(pr, "timeoutSeconds", 5);
    ru_num(pr, "failureThreshold", 5);
}

static void add_volume_claim(cJSON *volumes, const char *name, const char *claim)
{
    cJSON *v = cJSON_CreateObject();
    ru_str(v, "name", name);
    ru_str(ru_obj(v, "persistentVolumeClaim"), "claimName", claim);
    cJSON_AddItemToArray(volumes, v);
}

static void add_mount(cJSON *mounts, const char *name, const char *path, const char *sub)
{
    cJSON *m = cJSON_CreateObject();
    ru_str(m, "name", name);
    ru_str(m, "mountPath", path);
    if (sub)
        ru_str(m, "subPath", sub);
    cJSON_AddItemToArray(mounts, m);
}

/* Component-specific env, ports and volumes. */
static void fill_container(const struct profile *p, const struct app_comp *ac, cJSON *c,
                           cJSON *volumes, cJSON *mounts)
{
    cJSON *env = ru_arr(c, "env");
    bool local = p->storage.kind == STORAGE_LOCAL;
    char *s;
    switch (ac->c) {
    case COMP_API:
    case COMP_WORKER:
    case COMP_BEAT:
        ru_env(env, "MODE", ac->c == COMP_API ? "api" : ac->c == COMP_WORKER ? "worker" : "beat");
        if (ac->c == COMP_API)
            ru_env(env, "MIGRATION_ENABLED", p->migration.mode == MIGRATION_API ? "true" : "false");
        render_app_env_from(p, c);
        if (local && ac->c != COMP_BEAT) {
            s = ru_name(p, "api-storage");
            add_volume_claim(volumes, "storage", s);
            free(s);
            add_mount(mounts, "storage", "/app/api/storage", NULL);
        }
        if (ac->c != COMP_BEAT)
            ru_extra_files(p, ac->c == COMP_WORKER, volumes, mounts);
        break;
    case COMP_WEB:
        s = ru_api_url(p);
        ru_env(env, "CONSOLE_API_URL", s);
        ru_env(env, "APP_API_URL", s);
        free(s);
        ru_env(env, "MARKETPLACE_API_URL", "https://marketplace.dify.ai");
        ru_env(env, "MARKETPLACE_URL", "https://marketplace.dify.ai");
        break;
    case COMP_SANDBOX:
        ru_env(env, "GIN_MODE", "release");
        ru_env(env, "WORKER_TIMEOUT", "15");
        ru_env(env, "ENABLE_NETWORK", "true");
        /* All sandbox egress goes through the SSRF proxy, as in compose. */
        s = xasprintf("http://%s-ssrf-proxy:3128", p->release);
        ru_env(env, "HTTP_PROXY", s);
        ru_env(env, "HTTPS_PROXY", s);
        free(s);
        ru_env(env, "SANDBOX_PORT", "8194");
        s = ru_name(p, RU_SANDBOX_SECRETS);
        ru_env_secret(env, "API_KEY", s, "API_KEY");
        free(s);
        break;
    case COMP_PLUGIN_DAEMON:
        env_from_pair(p, c, RU_DAEMON_CONFIG, RU_DAEMON_SECRETS);
        if (local) {
            s = ru_name(p, "plugin-daemon-storage");
            add_volume_claim(volumes, "storage", s);
            free(s);
        } else {
            /* Packages live in S3; the working copy is rebuilt on start. */
            cJSON *v = cJSON_CreateObject();
            ru_str(v, "name", "storage");
            ru_obj(v, "emptyDir");
            cJSON_AddItemToArray(volumes, v);
        }
        add_mount(mounts, "storage", "/app/storage", NULL);
        break;
    case COMP_SSRF_PROXY: {
        cJSON *v = cJSON_CreateObject();
        ru_str(v, "name", "squid-config");
        s = ru_name(p, RU_SQUID_CONFIG);
        ru_str(ru_obj(v, "configMap"), "name", s);
        free(s);
        cJSON_AddItemToArray(volumes, v);
        add_mount(mounts, "squid-config", "/etc/squid/squid.conf", "squid.conf");
        break;
    }
    default:
        break;
    }
    if (cJSON_GetArraySize(env) == 0)
        cJSON_DeleteItemFromObject(c, "env");
}

/* ---- restarting pods when their configuration changes ---- */

/* Adds the text of ConfigMap name, as rendered so far (render_configmaps
 * runs before the application), to h. */
static void hash_configmap(struct hash *h, const struct rendered *out, const char *name)
{
    char *want = xasprintf("\nmetadata:\n  name: %s\n", name);
    for (size_t i = 0; i < out->n; i++) {
        const struct rendered_file *f = &out->v[i];
        if (!str_starts_with(f->name, "manifests/"))
            continue;
        /* documents are separated by "---" lines */
        for (const char *d = f->data; d && *d;) {
            const char *next = strstr(d, "\n---\n");
            size_t n = next ? (size_t)(next - d) + 1 : strlen(d);
            char *doc = xstrndup(d, n);
            if (strstr(doc, "kind: ConfigMap\n") && strstr(doc, want))
                hash_add_str(h, doc);
            free(doc);
            d = next ? next + 5 : NULL;
        }
    }
    free(want);
}

static void add_name(struct strlist *l, const cJSON *o, const char *ref)
{
    const char *n = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(o, ref), "name"));
    for (size_t i = 0; n && i < l->n; i++)
        if (strcmp(l->v[i], n) == 0)
            return;
    if (n)
        strlist_add(l, n);
}

/* The pod template's annotation checksum/config: a SHA-256 over every
 * ConfigMap its containers read (envFrom, env's configMapKeyRef, volumes).
 * A running container never sees a changed envFrom, nor a file mounted
 * with subPath (prompts.py, squid.conf): with the checksum a changed
 * ConfigMap changes the template, and the Deployment rolls its pods as it
 * does for a new image (seed 004 restarted them by hand with `kubectl
 * rollout restart`). */
static void config_checksum(const struct rendered *out, cJSON *tmpl)
{
    cJSON *pod = cJSON_GetObjectItem(tmpl, "spec"), *c, *e, *v;
    struct strlist names = {0};
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(pod, "containers"))
    {
        cJSON_ArrayForEach(e, cJSON_GetObjectItem(c, "envFrom"))
            add_name(&names, e, "configMapRef");
        cJSON_ArrayForEach(e, cJSON_GetObjectItem(c, "env"))
        {
            add_name(&names, cJSON_GetObjectItem(e, "valueFrom"), "configMapKeyRef");
        }
    }
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(pod, "volumes")) add_name(&names, v, "configMap");
    if (names.n) {
        struct hash h;
        hash_init(&h);
        for (size_t i = 0; i < names.n; i++) {
            hash_add_str(&h, names.v[i]);
            hash_configmap(&h, out, names.v[i]);
        }
        char hex[HASH_HEX_LEN + 1];
        hash_hex(&h, hex);
        ru_str(ru_sub(ru_sub(tmpl, "metadata"), "annotations"), "checksum/config", hex);
    }
    strlist_clear(&names);
}

static cJSON *deployment(const struct profile *p, const struct app_comp *ac,
                         const struct rendered *out)
{
    const char *label = ru_component_label[ac->c];
    const struct component_spec *cs = &p->comp[ac->c];
    char *name = ru_name(p, label);
    cJSON *d = ru_object("apps/v1", "Deployment", name, p, label);
    free(name);
    cJSON *spec = ru_obj(d, "spec");
    /* beat is a singleton: two would schedule every periodic task twice. */
    ru_num(spec, "replicas", ac->c == COMP_BEAT ? 1 : cs->replicas);
    ru_labels(ru_obj(ru_obj(spec, "selector"), "matchLabels"), p, label);
    cJSON *strat = ru_obj(spec, "strategy");
    struct ru_volume dv;
    ru_daemon_volume(p, &dv);
    bool daemon_recreate = ac->c == COMP_PLUGIN_DAEMON && ru_daemon_has_volume(p) && dv.recreate;
    if (ac->c == COMP_BEAT || daemon_recreate) {
        ru_str(strat, "type", "Recreate");
    } else {
        ru_str(strat, "type", "RollingUpdate");
        cJSON *ru = ru_obj(strat, "rollingUpdate");
        ru_int_or_str(ru, "maxSurge", p->rollout.max_surge);
        ru_int_or_str(ru, "maxUnavailable", p->rollout.max_unavailable);
    }
    cJSON *tmpl = ru_obj(spec, "template");
    ru_labels(ru_obj(ru_obj(tmpl, "metadata"), "labels"), p, label);
    cJSON *pod = ru_obj(tmpl, "spec");
    /* Service links would set DIFY_PORT-like variables that collide with the
     * api entrypoint's own (the Boris chart does the same). */
    ru_bool(pod, "enableServiceLinks", false);
    bool uses_aws = ac->c == COMP_API || ac->c == COMP_WORKER || ac->c == COMP_BEAT ||
                    ac->c == COMP_PLUGIN_DAEMON;
    if (ru_irsa(p) && uses_aws)
        ru_str(pod, "serviceAccountName", RU_API_SA);
    cJSON *c = cJSON_CreateObject();
    cJSON_AddItemToArray(ru_arr(pod, "containers"), c);
    ru_str(c, "name", label);
    char *image = ru_image(p, ac->c);
    ru_str(c, "image", image);
    free(image);
    ru_str(c, "imagePullPolicy", "IfNotPresent");
    cJSON *volumes = cJSON_CreateArray(), *mounts = cJSON_CreateArray();
    fill_container(p, ac, c, volumes, mounts);
    if (ac->port) {
        cJSON *ports = ru_arr(c, "ports");
        add_port(ports, "http", ac->port);
        if (ac->c == COMP_PLUGIN_DAEMON)
            add_port(ports, "debug", 5003);
        add_probe(c, "readinessProbe", ac, p->rollout.readiness_delay, 10);
        /* A migrating api (mode "api") needs time before liveness may kill it. */
        int live = ac->c == COMP_API && p->migration.mode == MIGRATION_API ? 300 : 30;
        add_probe(c, "livenessProbe", ac, live, 30);
    }
    ru_resources(c, &cs->res);
    if (cJSON_GetArraySize(mounts))
        cJSON_AddItemToObject(c, "volumeMounts", mounts);
    else
        cJSON_Delete(mounts);
    if (cJSON_GetArraySize(volumes))
        cJSON_AddItemToObject(pod, "volumes", volumes);
    else
        cJSON_Delete(volumes);
    config_checksum(out, tmpl);
    return d;
}

static void svc_port(cJSON *ports, const char *name, int port)
{
    cJSON *o = cJSON_CreateObject();
    ru_str(o, "name", name);
    ru_num(o, "port", port);
    ru_num(o, "targetPort", port);
    ru_str(o, "protocol", "TCP");
    cJSON_AddItemToArray(ports, o);
}

static cJSON *service(const struct profile *p, const struct app_comp *ac)
{
    const char *label = ru_component_label[ac->c];
    char *name = ru_name(p, label);
    cJSON *s = ru_object("v1", "Service", name, p, label);
    free(name);
    cJSON *spec = ru_obj(s, "spec");
    ru_str(spec, "type", "ClusterIP");
    ru_labels(ru_obj(spec, "selector"), p, label);
    cJSON *ports = ru_arr(spec, "ports");
    svc_port(ports, "http", ac->port);
    if (ac->c == COMP_PLUGIN_DAEMON)
        svc_port(ports, "debug", 5003);
    return s;
}

/* A claim as ru_api_volume/ru_daemon_volume choose it (render_util.h). */
static cJSON *pvc(const struct profile *p, const char *suffix, const char *component,
                  const struct ru_volume *v)
{
    char *name = ru_name(p, suffix);
    cJSON *o = ru_object("v1", "PersistentVolumeClaim", name, p, component);
    free(name);
    cJSON *spec = ru_obj(o, "spec");
    ru_push_str(ru_arr(spec, "accessModes"), v->access_mode);
    if (!str_empty(v->storage_class))
        ru_str(spec, "storageClassName", v->storage_class);
    ru_str(ru_obj(ru_obj(spec, "resources"), "requests"), "storage", "10Gi");
    return o;
}

int render_app(const struct profile *p, struct rendered *out, struct error *err)
{
    if (p->storage.kind == STORAGE_LOCAL) {
        struct ru_volume av, dv;
        ru_api_volume(p, &av);
        ru_daemon_volume(p, &dv);
        cJSON *docs[2] = {pvc(p, "api-storage", "api", &av),
                          pvc(p, "plugin-daemon-storage", "plugin-daemon", &dv)};
        if (ru_add_yaml(out, "manifests/25-storage.yaml", 0644, docs, 2, err))
            return -1;
    }
    for (size_t i = 0; i < ARRAY_LEN(app_comps); i++) {
        cJSON *docs[2];
        size_t n = 0;
        docs[n++] = deployment(p, &app_comps[i], out);
        if (app_comps[i].port)
            docs[n++] = service(p, &app_comps[i]);
        if (ru_add_yaml(out, app_comps[i].file, 0644, docs, n, err))
            return -1;
    }
    return 0;
}
