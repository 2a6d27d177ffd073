/* core/dify_components.c: the tables that map labels and images to Dify
 * components (see dify_components.h). Label values come from the layouts
 * the product supports: BorisPolonsky/dify-helm templates/_helpers.tpl
 * (`component: api|worker|beat|web|sandbox|ssrf-proxy|proxy|plugin-daemon|
 * api-websocket|agent-backend`), douban/charts charts/dify
 * templates/_helpers.tpl (`app.kubernetes.io/component: api|worker|
 * worker-beat|frontend|sandbox|plugin-daemon`), the built-in manifests
 * (core/render_manifests.c: the community chart's labels and the migration
 * Job's `db-migration`), and hand-written manifests (`app: dify-api`). Image
 * repositories are the ones core/dify_versions.h rows give tags of, the
 * enterprise chart's (langgenius/dify-ee-*, published values) and the data
 * stores' official and bitnami images. */
#include "config.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/dify_components.h"
#include "core/kube_json.h"
#include "core/util.h"

static const struct dify_comp_desc descs[DIFY_COMP_COUNT] = {
    [DIFY_COMP_NONE] = {DIFY_COMP_NONE, "other", "other", false, false},
    [DIFY_COMP_API] = {DIFY_COMP_API, "api", "api", false, false},
    [DIFY_COMP_WORKER] = {DIFY_COMP_WORKER, "worker", "worker", false, false},
    [DIFY_COMP_BEAT] = {DIFY_COMP_BEAT, "beat", "beat", false, false},
    [DIFY_COMP_WEB] = {DIFY_COMP_WEB, "web", "web", false, false},
    [DIFY_COMP_SANDBOX] = {DIFY_COMP_SANDBOX, "sandbox", "sandbox", false, false},
    [DIFY_COMP_PLUGIN_DAEMON] = {DIFY_COMP_PLUGIN_DAEMON, "plugin-daemon", "plugin daemon", false,
                                 false},
    [DIFY_COMP_SSRF_PROXY] = {DIFY_COMP_SSRF_PROXY, "ssrf-proxy", "ssrf proxy", false, false},
    [DIFY_COMP_PROXY] = {DIFY_COMP_PROXY, "proxy", "proxy", false, false},
    [DIFY_COMP_API_WEBSOCKET] = {DIFY_COMP_API_WEBSOCKET, "api-websocket", "api websocket", false,
                                 false},
    [DIFY_COMP_AGENT_BACKEND] = {DIFY_COMP_AGENT_BACKEND, "agent-backend", "agent backend", false,
                                 false},
    [DIFY_COMP_MIGRATION] = {DIFY_COMP_MIGRATION, "db-migration", "migration", false, false},
    [DIFY_COMP_ENTERPRISE] = {DIFY_COMP_ENTERPRISE, "enterprise", "enterprise", false, true},
    [DIFY_COMP_AUDIT] = {DIFY_COMP_AUDIT, "enterprise-audit", "audit", false, true},
    [DIFY_COMP_ENTERPRISE_FRONTEND] = {DIFY_COMP_ENTERPRISE_FRONTEND, "enterprise-frontend",
                                       "enterprise frontend", false, true},
    [DIFY_COMP_GATEWAY] = {DIFY_COMP_GATEWAY, "gateway", "gateway", false, true},
    [DIFY_COMP_PLUGIN_CONNECTOR] = {DIFY_COMP_PLUGIN_CONNECTOR, "plugin-connector",
                                    "plugin connector", false, true},
    [DIFY_COMP_PLUGIN_CONTROLLER] = {DIFY_COMP_PLUGIN_CONTROLLER, "plugin-controller",
                                     "plugin controller", false, true},
    [DIFY_COMP_PLUGIN_MANAGER] = {DIFY_COMP_PLUGIN_MANAGER, "plugin-manager", "plugin manager",
                                  false, true},
    [DIFY_COMP_POSTGRES] = {DIFY_COMP_POSTGRES, "postgresql", "PostgreSQL", true, false},
    [DIFY_COMP_REDIS] = {DIFY_COMP_REDIS, "redis", "Redis", true, false},
    [DIFY_COMP_VECTOR] = {DIFY_COMP_VECTOR, "vector-store", "vector store", true, false},
};

const struct dify_comp_desc *dify_comp_desc(enum dify_comp c)
{
    if ((int)c < 0 || c >= DIFY_COMP_COUNT)
        c = DIFY_COMP_NONE;
    return &descs[c];
}

enum dify_comp dify_comp_from_key(const char *key)
{
    for (int i = 1; key && i < DIFY_COMP_COUNT; i++)
        if (strcmp(descs[i].key, key) == 0)
            return (enum dify_comp)i;
    return DIFY_COMP_NONE;
}

/* Label values, normalised (lower case, '_' as '-'). A "dify-" prefix is
 * taken off before looking ("dify-api" is "api"), so only bare names are
 * listed. */
static const struct {
    const char *value;
    enum dify_comp comp;
} label_values[] = {
    {"api", DIFY_COMP_API},
    {"api-server", DIFY_COMP_API},
    {"worker", DIFY_COMP_WORKER},
    {"celery-worker", DIFY_COMP_WORKER},
    /* the enterprise chart's additionalWorkers */
    {"dataset-worker", DIFY_COMP_WORKER},
    {"workflow-worker", DIFY_COMP_WORKER},
    {"general-worker", DIFY_COMP_WORKER},
    {"trigger-worker", DIFY_COMP_WORKER},
    {"beat", DIFY_COMP_BEAT},
    {"worker-beat", DIFY_COMP_BEAT},
    {"workerbeat", DIFY_COMP_BEAT},
    {"celery-beat", DIFY_COMP_BEAT},
    {"web", DIFY_COMP_WEB},
    {"frontend", DIFY_COMP_WEB},
    {"sandbox", DIFY_COMP_SANDBOX},
    {"local-sandbox", DIFY_COMP_SANDBOX},
    {"plugin-daemon", DIFY_COMP_PLUGIN_DAEMON},
    {"plugindaemon", DIFY_COMP_PLUGIN_DAEMON},
    {"ssrf-proxy", DIFY_COMP_SSRF_PROXY},
    {"ssrfproxy", DIFY_COMP_SSRF_PROXY},
    {"proxy", DIFY_COMP_PROXY},
    {"nginx", DIFY_COMP_PROXY},
    {"api-websocket", DIFY_COMP_API_WEBSOCKET},
    {"agent-backend", DIFY_COMP_AGENT_BACKEND},
    {"db-migration", DIFY_COMP_MIGRATION},
    {"db-migrate", DIFY_COMP_MIGRATION},
    {"migration", DIFY_COMP_MIGRATION},
    {"migrate", DIFY_COMP_MIGRATION},
    {"enterprise", DIFY_COMP_ENTERPRISE},
    {"enterprise-audit", DIFY_COMP_AUDIT},
    {"audit", DIFY_COMP_AUDIT},
    {"enterprise-frontend", DIFY_COMP_ENTERPRISE_FRONTEND},
    {"gateway", DIFY_COMP_GATEWAY},
    {"enterprise-gateway", DIFY_COMP_GATEWAY},
    {"plugin-connector", DIFY_COMP_PLUGIN_CONNECTOR},
    {"plugin-crd", DIFY_COMP_PLUGIN_CONTROLLER},
    {"plugin-controller", DIFY_COMP_PLUGIN_CONTROLLER},
    {"plugin-manager", DIFY_COMP_PLUGIN_MANAGER},
    {"postgresql", DIFY_COMP_POSTGRES},
    {"postgres", DIFY_COMP_POSTGRES},
    {"db", DIFY_COMP_POSTGRES},
    {"redis", DIFY_COMP_REDIS},
    {"redis-master", DIFY_COMP_REDIS},
    {"weaviate", DIFY_COMP_VECTOR},
    {"qdrant", DIFY_COMP_VECTOR},
    {"milvus", DIFY_COMP_VECTOR},
    {"opensearch", DIFY_COMP_VECTOR},
    {"elasticsearch", DIFY_COMP_VECTOR},
    {"pgvector", DIFY_COMP_VECTOR},
    {"chroma", DIFY_COMP_VECTOR},
    {"vector-store", DIFY_COMP_VECTOR},
};

enum dify_comp dify_comp_of_label(const char *value)
{
    char v[64];
    size_t n = 0;
    if (!value)
        return DIFY_COMP_NONE;
    for (; value[n] && n < sizeof(v) - 1; n++) {
        unsigned char ch = (unsigned char)value[n];
        v[n] = ch == '_' ? '-' : (char)tolower(ch);
    }
    if (value[n])
        return DIFY_COMP_NONE; /* longer than any value we know */
    v[n] = '\0';
    const char *bare = str_starts_with(v, "dify-") ? v + 5 : v;
    for (size_t i = 0; i < ARRAY_LEN(label_values); i++)
        if (strcmp(bare, label_values[i].value) == 0)
            return label_values[i].comp;
    return DIFY_COMP_NONE;
}

void dify_image_split(const char *image, char *repo, size_t rn, char *tag, size_t tn)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s", image ? image : "");
    char *at = strchr(buf, '@');
    if (at)
        *at = '\0';
    char *slash = strrchr(buf, '/');
    char *colon = strrchr(slash ? slash : buf, ':');
    if (tag)
        snprintf(tag, tn, "%s", colon ? colon + 1 : "latest");
    if (colon)
        *colon = '\0';
    char *first = strchr(buf, '/');
    const char *name = buf;
    if (first && (memchr(buf, '.', (size_t)(first - buf)) ||
                  memchr(buf, ':', (size_t)(first - buf)) || strncmp(buf, "localhost/", 10) == 0))
        name = first + 1;
    if (strncmp(name, "library/", 8) == 0)
        name += 8;
    if (repo)
        snprintf(repo, rn, "%s", name);
}

/* Repositories, matched as the whole repository or its last path parts
 * ("mirror.example.com/dify/langgenius/dify-api" ends in
 * "/langgenius/dify-api"). */
static const struct {
    const char *repo;
    enum dify_comp comp;
} image_repos[] = {
    {"langgenius/dify-api", DIFY_COMP_API},
    {"langgenius/dify-ee-api", DIFY_COMP_API},
    {"langgenius/dify-web", DIFY_COMP_WEB},
    {"langgenius/dify-ee-web", DIFY_COMP_WEB},
    {"langgenius/dify-sandbox", DIFY_COMP_SANDBOX},
    {"langgenius/dify-ee-sandbox", DIFY_COMP_SANDBOX},
    {"langgenius/dify-plugin-daemon", DIFY_COMP_PLUGIN_DAEMON},
    {"langgenius/dify-ee-plugin-daemon-serverless", DIFY_COMP_PLUGIN_DAEMON},
    {"langgenius/dify-ee-plugin-daemon", DIFY_COMP_PLUGIN_DAEMON},
    {"ubuntu/squid", DIFY_COMP_SSRF_PROXY},
    {"langgenius/dify-enterprise", DIFY_COMP_ENTERPRISE},
    {"langgenius/dify-ee-enterprise", DIFY_COMP_ENTERPRISE},
    {"langgenius/dify-audit", DIFY_COMP_AUDIT},
    {"langgenius/dify-ee-audit", DIFY_COMP_AUDIT},
    {"langgenius/dify-enterprise-frontend", DIFY_COMP_ENTERPRISE_FRONTEND},
    {"langgenius/dify-ee-enterprise-frontend", DIFY_COMP_ENTERPRISE_FRONTEND},
    {"langgenius/enterprise_gateway", DIFY_COMP_GATEWAY},
    {"langgenius/dify-ee-gateway", DIFY_COMP_GATEWAY},
    {"langgenius/enterprise_plugin-connector", DIFY_COMP_PLUGIN_CONNECTOR},
    {"langgenius/dify-ee-plugin-connector", DIFY_COMP_PLUGIN_CONNECTOR},
    {"langgenius/enterprise_plugin-crd", DIFY_COMP_PLUGIN_CONTROLLER},
    {"langgenius/dify-ee-plugin-crd", DIFY_COMP_PLUGIN_CONTROLLER},
    {"langgenius/dify-plugin-manager", DIFY_COMP_PLUGIN_MANAGER},
    {"langgenius/dify-ee-plugin-manager", DIFY_COMP_PLUGIN_MANAGER},
    {"postgres", DIFY_COMP_POSTGRES},
    {"bitnami/postgresql", DIFY_COMP_POSTGRES},
    {"bitnamilegacy/postgresql", DIFY_COMP_POSTGRES},
    {"redis", DIFY_COMP_REDIS},
    {"bitnami/redis", DIFY_COMP_REDIS},
    {"bitnamilegacy/redis", DIFY_COMP_REDIS},
    {"valkey/valkey", DIFY_COMP_REDIS},
    {"semitechnologies/weaviate", DIFY_COMP_VECTOR},
    {"qdrant/qdrant", DIFY_COMP_VECTOR},
    {"milvusdb/milvus", DIFY_COMP_VECTOR},
    {"opensearchproject/opensearch", DIFY_COMP_VECTOR},
    {"elasticsearch", DIFY_COMP_VECTOR},
    {"elasticsearch/elasticsearch", DIFY_COMP_VECTOR},
    {"pgvector/pgvector", DIFY_COMP_VECTOR},
    {"chromadb/chroma", DIFY_COMP_VECTOR},
};

static bool repo_is(const char *repo, const char *want)
{
    size_t n = strlen(repo), w = strlen(want);
    if (n < w || strcmp(repo + n - w, want) != 0)
        return false;
    return n == w || repo[n - w - 1] == '/';
}

enum dify_comp dify_comp_of_image(const char *image)
{
    char repo[512];
    if (str_empty(image))
        return DIFY_COMP_NONE;
    dify_image_split(image, repo, sizeof(repo), NULL, 0);
    for (size_t i = 0; i < ARRAY_LEN(image_repos); i++) {
        const char *want = image_repos[i].repo;
        /* an official image with no namespace ("postgres", "redis") is
         * matched only as itself: "someone/redis" is not ours to judge */
        if (!strchr(want, '/') ? strcmp(repo, want) == 0 : repo_is(repo, want))
            return image_repos[i].comp;
    }
    return DIFY_COMP_NONE;
}

/* The api image runs api, worker, beat and migrations: a Job is the
 * migration, otherwise the object's name says which (the charts name them
 * <release>-worker, -beat, -worker-beat). */
static enum dify_comp api_image_role(enum kube_kind kind, const char *name)
{
    if (kind == KUBE_JOB)
        return DIFY_COMP_MIGRATION;
    if (!name)
        return DIFY_COMP_API;
    if (strstr(name, "beat"))
        return DIFY_COMP_BEAT;
    if (strstr(name, "worker"))
        return DIFY_COMP_WORKER;
    if (strstr(name, "migrat"))
        return DIFY_COMP_MIGRATION;
    if (strstr(name, "websocket"))
        return DIFY_COMP_API_WEBSOCKET;
    return DIFY_COMP_API;
}

enum dify_comp dify_comp_classify(const struct dify_comp_input *in, enum dify_match *how,
                                  const char **image_out)
{
    enum dify_comp c = DIFY_COMP_NONE;
    enum dify_match m = DIFY_MATCH_NONE;
    const char *img = in->nimages ? in->images[0] : NULL;
    for (int i = 0; i < 3 && c == DIFY_COMP_NONE; i++)
        if ((c = dify_comp_of_label(in->labels[i])) != DIFY_COMP_NONE)
            m = DIFY_MATCH_LABEL;
    /* the image that runs the component: the first of a Dify repository */
    for (size_t i = 0; i < in->nimages; i++) {
        enum dify_comp ic = dify_comp_of_image(in->images[i]);
        if (ic == DIFY_COMP_NONE)
            continue;
        if (c == DIFY_COMP_NONE) {
            c = ic == DIFY_COMP_API ? api_image_role(in->kind, in->name) : ic;
            m = DIFY_MATCH_IMAGE;
        }
        img = in->images[i];
        break;
    }
    if (how)
        *how = m;
    if (image_out)
        *image_out = img;
    return c;
}

/* ---- objects as JSON ---- */

static const char *const label_keys[3] = {"app.kubernetes.io/component", "component", "app"};

static const char *label_of(const cJSON *labels, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(labels, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

#define MAX_IMAGES 32

static size_t images_of(const cJSON *spec, const char **out, size_t n, size_t max)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, kj_get(spec, "containers"))
    {
        const char *img = kj_str(c, "image");
        if (img && n < max)
            out[n++] = img;
    }
    return n;
}

enum dify_comp dify_comp_of_json(const cJSON *obj, enum dify_match *how)
{
    const char *kind = kj_str(obj, "kind");
    const struct kube_resource *r =
        kind ? kube_resource_for(kj_str(obj, "apiVersion"), kind) : NULL;
    const cJSON *own = kj_get(obj, "metadata.labels");
    const cJSON *tpl = kj_get(obj, "spec.template.metadata.labels");
    struct dify_comp_input in = {.kind = r ? r->id : KUBE_KIND_COUNT,
                                 .name = kj_str(obj, "metadata.name")};
    const char *images[MAX_IMAGES];
    size_t n = images_of(kj_get(obj, "spec"), images, 0, MAX_IMAGES);
    n = images_of(kj_get(obj, "spec.template.spec"), images, n, MAX_IMAGES);
    in.images = images;
    in.nimages = n;
    /* the object's own labels first, then its pod template's */
    for (int pass = 0; pass < 2; pass++) {
        const cJSON *labels = pass ? tpl : own;
        for (int i = 0; i < 3; i++)
            in.labels[i] = label_of(labels, label_keys[i]);
        enum dify_match m;
        enum dify_comp c = dify_comp_classify(&in, &m, NULL);
        if (m == DIFY_MATCH_LABEL || (pass == 1 && c != DIFY_COMP_NONE)) {
            if (how)
                *how = m;
            return c;
        }
    }
    in.labels[0] = in.labels[1] = in.labels[2] = NULL;
    return dify_comp_classify(&in, how, NULL);
}

/* ---- objects of the store ---- */

static bool is_workload(enum kube_kind k)
{
    return k == KUBE_DEPLOYMENT || k == KUBE_STATEFULSET || k == KUBE_DAEMONSET ||
           k == KUBE_REPLICASET;
}

/* The value of key in a "k=v,k2=v2" selector, copied into out. */
static bool selector_value(const char *sel, const char *key, char *out, size_t n)
{
    size_t kl = strlen(key);
    for (const char *p = sel; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
            snprintf(out, n, "%.*s", (int)(len - kl - 1), p + kl + 1);
            return true;
        }
        p = end ? end + 1 : NULL;
    }
    return false;
}

enum dify_comp dify_comp_of_obj(enum kube_kind kind, const struct kube_obj *obj,
                                enum dify_match *how, char *tag, size_t tn)
{
    const char *list = NULL, *selector = NULL;
    if (is_workload(kind)) {
        list = obj->u.wl.tpl.images;
        selector = obj->u.wl.tpl.selector;
    } else if (kind == KUBE_JOB) {
        list = obj->u.job.tpl.images;
    }
    /* tpl.images is "a,b": split into a small array */
    char buf[2048];
    const char *images[MAX_IMAGES];
    size_t n = 0;
    snprintf(buf, sizeof(buf), "%s", list ? list : "");
    for (char *save = NULL, *p = strtok_r(buf, ",", &save); p && n < MAX_IMAGES;
         p = strtok_r(NULL, ",", &save))
        images[n++] = p;
    struct dify_comp_input in = {.kind = kind,
                                 .name = obj->name,
                                 .labels = {obj->component, NULL, NULL},
                                 .images = images,
                                 .nimages = n};
    const char *img = NULL;
    enum dify_match m;
    enum dify_comp c = dify_comp_classify(&in, &m, &img);
    /* As dify_comp_of_json reads the pod template's labels when the
     * object's own say nothing: the selector, a subset of them, is what the
     * store keeps (a workload labelled only in its template is common). */
    if (selector && m != DIFY_MATCH_LABEL) {
        char v[3][128];
        struct dify_comp_input by_sel = in;
        for (int i = 0; i < 3; i++)
            by_sel.labels[i] =
                selector_value(selector, label_keys[i], v[i], sizeof(v[i])) ? v[i] : NULL;
        const char *simg = NULL;
        enum dify_match sm;
        enum dify_comp sc = dify_comp_classify(&by_sel, &sm, &simg);
        if (sm == DIFY_MATCH_LABEL) {
            c = sc;
            img = simg;
            m = sm;
        }
    }
    if (how)
        *how = m;
    if (tag) {
        tag[0] = '\0';
        if (img)
            dify_image_split(img, NULL, 0, tag, tn);
    }
    return c;
}

enum dify_comp dify_comp_of_service(const struct kube_obj *svc)
{
    enum dify_comp c = dify_comp_of_label(svc->component);
    if (c != DIFY_COMP_NONE)
        return c;
    char v[128];
    for (int i = 0; i < 3; i++)
        if (selector_value(svc->u.svc.selector, label_keys[i], v, sizeof(v)) &&
            (c = dify_comp_of_label(v)) != DIFY_COMP_NONE)
            return c;
    return DIFY_COMP_NONE;
}

static const char *well_known_port(enum dify_comp c)
{
    switch (c) {
    case DIFY_COMP_API:
        return "5001";
    case DIFY_COMP_PLUGIN_DAEMON:
        return "5002";
    case DIFY_COMP_WEB:
        return "3000";
    case DIFY_COMP_SANDBOX:
        return "8194";
    case DIFY_COMP_SSRF_PROXY:
        return "3128";
    default:
        return NULL;
    }
}

void dify_service_port(const struct kube_obj *svc, enum dify_comp c, char *out, size_t n)
{
    const char *ports = svc->u.svc.ports, *want = well_known_port(c);
    out[0] = '\0';
    if (str_empty(ports))
        return;
    /* "5001/TCP,80:30080/TCP": the port is before ':' or '/' */
    for (const char *p = ports; p && *p;) {
        size_t len = strcspn(p, ":/,");
        if (!out[0])
            snprintf(out, n, "%.*s", (int)len, p);
        if (want && strlen(want) == len && strncmp(p, want, len) == 0) {
            snprintf(out, n, "%s", want);
            return;
        }
        p = strchr(p, ',');
        if (p)
            p++;
    }
}

bool dify_selector_covers(const char *svc_selector, const char *workload_selector)
{
    if (str_empty(svc_selector) || str_empty(workload_selector))
        return false;
    for (const char *p = svc_selector; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        bool found = false;
        for (const char *q = workload_selector; q && *q && !found;) {
            const char *qe = strchr(q, ',');
            size_t ql = qe ? (size_t)(qe - q) : strlen(q);
            found = ql == len && strncmp(p, q, len) == 0;
            q = qe ? qe + 1 : NULL;
        }
        if (!found || !memchr(p, '=', len))
            return false;
        p = end ? end + 1 : NULL;
    }
    return true;
}
