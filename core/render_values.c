/* core/render_values.c: Helm values for the two charts.
 *   community: BorisPolonsky/dify-helm (reference 3.1)
 *   enterprise: the EE 3.0-3.6 schema of seed 000 / reference 3.3
 * Neither chart can read its core secrets from an existing Secret, so those
 * go to values-secrets.yaml (0600) and nowhere else; values.yaml holds no
 * secret value. Settings the Boris chart has no key for (the vector store
 * other than its bundled weaviate) are passed as extraEnv, with the password
 * taken by secretKeyRef from the <release>-secrets Secret of
 * manifests/10-secrets.yaml. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dify_versions.h"
#include "core/error.h"
#include "core/render.h"
#include "core/render_util.h"
#include "core/render_values.h"
#include "core/util.h"

static const char *api_host(const struct profile *p)
{
    return p->domains.split && !str_empty(p->domains.api_host) ? p->domains.api_host
                                                               : p->domains.web_host;
}

static void domains(const struct profile *p, cJSON *g)
{
    ru_str(g, "consoleApiDomain", api_host(p));
    ru_str(g, "consoleWebDomain", p->domains.web_host);
    ru_str(g, "serviceApiDomain", api_host(p));
    ru_str(g, "appApiDomain", api_host(p));
    ru_str(g, "appWebDomain", p->domains.web_host);
    ru_str(g, "filesDomain", api_host(p));
    ru_str(g, "triggerDomain", api_host(p));
}

static void image(cJSON *images, const char *key, const char *ref)
{
    cJSON *o = ru_obj(images, key);
    const char *colon = strrchr(ref, ':');
    char *repo = xstrndup(ref, (size_t)(colon - ref));
    ru_str(o, "repository", repo);
    ru_str(o, "tag", colon + 1);
    free(repo);
}

static void rolling(const struct profile *p, cJSON *comp)
{
    cJSON *us = ru_obj(comp, "updateStrategy");
    ru_str(us, "type", "RollingUpdate");
    cJSON *ru = ru_obj(us, "rollingUpdate");
    ru_int_or_str(ru, "maxSurge", p->rollout.max_surge);
    ru_int_or_str(ru, "maxUnavailable", p->rollout.max_unavailable);
}

static void readiness(const struct profile *p, cJSON *comp)
{
    cJSON *r = ru_obj(comp, "readinessProbe");
    ru_bool(r, "enabled", true);
    ru_num(r, "initialDelaySeconds", p->rollout.readiness_delay);
}

static void irsa_sa(const struct profile *p, cJSON *comp)
{
    if (!ru_irsa(p))
        return;
    /* manifests/15-serviceaccounts.yaml creates dify-api-sa with the role
     * annotation before Helm runs; the chart only refers to it. */
    cJSON *sa = ru_obj(comp, "serviceAccount");
    ru_bool(sa, "create", false);
    ru_str(sa, "name", RU_API_SA);
    char *arn = ru_role_arn(p, "s3");
    ru_str(ru_obj(sa, "annotations"), "eks.amazonaws.com/role-arn", arn);
    free(arn);
}

static void extra_files(const struct profile *p, cJSON *comp, bool worker)
{
    cJSON *vols = cJSON_CreateArray(), *mounts = cJSON_CreateArray();
    ru_extra_files(p, worker, vols, mounts);
    if (cJSON_GetArraySize(vols) == 0) {
        cJSON_Delete(vols);
        cJSON_Delete(mounts);
        return;
    }
    cJSON_AddItemToObject(comp, "extraVolumes", vols);
    cJSON_AddItemToObject(comp, "extraVolumeMounts", mounts);
}

/* Vector store env for the Boris chart's api and worker (extraEnv). */
static void vector_env(const struct profile *p, cJSON *comp, const struct secrets *s)
{
    cJSON *env = ru_arr(comp, "extraEnv");
    char port[16];
    snprintf(port, sizeof(port), "%d", p->vector.port);
    ru_env(env, "VECTOR_STORE", vector_names[p->vector.kind]);
    switch (p->vector.kind) {
    case VECTOR_OPENSEARCH:
        ru_env(env, "OPENSEARCH_HOST", ru_vector_host(p));
        ru_env(env, "OPENSEARCH_PORT", port);
        ru_env(env, "OPENSEARCH_SECURE", p->vector.port == 80 ? "false" : "true");
        ru_env(env, "OPENSEARCH_VERIFY_CERTS", "true");
        if (str_empty(p->vector.user)) {
            ru_env(env, "OPENSEARCH_AUTH_METHOD", "aws_managed_iam");
            ru_env(env, "OPENSEARCH_AWS_REGION", p->aws.region);
            ru_env(env, "OPENSEARCH_AWS_SERVICE", "es");
        } else {
            ru_env(env, "OPENSEARCH_AUTH_METHOD", "basic");
            ru_env(env, "OPENSEARCH_USER", p->vector.user);
        }
        break;
    case VECTOR_MILVUS: {
        char *uri = ru_vector_url(p);
        ru_env(env, "MILVUS_URI", uri);
        free(uri);
        if (!str_empty(p->vector.user))
            ru_env(env, "MILVUS_USER", p->vector.user);
        break;
    }
    case VECTOR_PGVECTOR:
        ru_env(env, "PGVECTOR_HOST", p->vector.host);
        ru_env(env, "PGVECTOR_PORT", port);
        if (!str_empty(p->vector.user)) /* as in the manifests' ConfigMap */
            ru_env(env, "PGVECTOR_USER", p->vector.user);
        ru_env(env, "PGVECTOR_DATABASE", p->db.name);
        break;
    case VECTOR_QDRANT:
    case VECTOR_WEAVIATE: {
        char *url = ru_vector_url(p);
        bool q = p->vector.kind == VECTOR_QDRANT;
        ru_env(env, q ? "QDRANT_URL" : "WEAVIATE_ENDPOINT", url);
        free(url);
        break;
    }
    }
    if (!str_empty(s->vector_password)) {
        const char *pw_key = ru_vector_secret_key(p->vector.kind);
        char *name = ru_name(p, RU_SECRETS);
        ru_env_secret(env, pw_key, name, pw_key);
        free(name);
    }
}

static void ingress_values(const struct profile *p, cJSON *v)
{
    cJSON *ing = ru_obj(v, "ingress");
    ru_bool(ing, "enabled", true);
    ru_str(ing, "className", p->cluster.ingress_class);
    cJSON *ann = ru_obj(ing, "annotations");
    if (str_eq(p->cluster.ingress_class, "alb")) {
        ru_str(ann, "alb.ingress.kubernetes.io/scheme", "internet-facing");
        ru_str(ann, "alb.ingress.kubernetes.io/target-type", "ip");
    }
    cJSON *hosts = ru_arr(ing, "hosts");
    const char *names[2] = {p->domains.web_host, NULL};
    if (p->domains.split && !str_empty(p->domains.api_host))
        names[1] = p->domains.api_host;
    for (int i = 0; i < 2 && names[i]; i++) {
        cJSON *h = cJSON_CreateObject();
        ru_str(h, "host", names[i]);
        cJSON *path = cJSON_CreateObject();
        ru_str(path, "path", "/");
        ru_str(path, "pathType", "Prefix");
        cJSON_AddItemToArray(ru_arr(h, "paths"), path);
        cJSON_AddItemToArray(hosts, h);
    }
    cJSON *tls = ru_arr(ing, "tls");
    if (!str_empty(p->domains.tls_secret)) {
        cJSON *t = cJSON_CreateObject();
        ru_str(t, "secretName", p->domains.tls_secret);
        cJSON *th = ru_arr(t, "hosts");
        for (int i = 0; i < 2 && names[i]; i++)
            ru_push_str(th, names[i]);
        cJSON_AddItemToArray(tls, t);
    }
}

static void persistence(cJSON *comp, const struct ru_volume *v)
{
    cJSON *pvc = ru_obj(ru_obj(comp, "persistence"), "persistentVolumeClaim");
    if (!str_empty(v->storage_class))
        ru_str(pvc, "storageClass", v->storage_class);
    ru_str(pvc, "accessModes", v->access_mode);
    ru_str(pvc, "size", "10Gi");
}

static void comp_common(const struct profile *p, cJSON *o, enum component c, bool replicas)
{
    if (replicas)
        ru_num(o, "replicas", p->comp[c].replicas);
    ru_resources(o, &p->comp[c].res);
}

static void community(const struct profile *p, const struct secrets *s, cJSON *v, cJSON *sv)
{
    char *ref;
    domains(p, ru_obj(v, "global"));
    cJSON *img = ru_obj(v, "image");
    static const struct {
        const char *key;
        enum component c;
    } images[] = {{"api", COMP_API},
                  {"web", COMP_WEB},
                  {"sandbox", COMP_SANDBOX},
                  {"pluginDaemon", COMP_PLUGIN_DAEMON},
                  {"ssrfProxy", COMP_SSRF_PROXY}};
    for (size_t i = 0; i < ARRAY_LEN(images); i++) {
        ref = ru_image(p, images[i].c);
        image(img, images[i].key, ref);
        free(ref);
    }

    cJSON *api = ru_obj(v, "api");
    comp_common(p, api, COMP_API, true);
    /* With a migration Job the api must not migrate (seed 003). */
    ru_bool(api, "migration", p->migration.mode == MIGRATION_API);
    rolling(p, api);
    readiness(p, api);
    irsa_sa(p, api);
    extra_files(p, api, false);
    vector_env(p, api, s);

    cJSON *worker = ru_obj(v, "worker");
    comp_common(p, worker, COMP_WORKER, true);
    rolling(p, worker);
    irsa_sa(p, worker);
    extra_files(p, worker, true);
    vector_env(p, worker, s);

    cJSON *beat = ru_obj(v, "beat");
    comp_common(p, beat, COMP_BEAT, false);
    ru_str(ru_obj(beat, "updateStrategy"), "type", "Recreate");

    cJSON *web = ru_obj(v, "web");
    comp_common(p, web, COMP_WEB, true);
    rolling(p, web);
    readiness(p, web);

    cJSON *sandbox = ru_obj(v, "sandbox");
    comp_common(p, sandbox, COMP_SANDBOX, true);
    rolling(p, sandbox);
    readiness(p, sandbox);

    cJSON *ssrf = ru_obj(v, "ssrfProxy");
    ru_bool(ssrf, "enabled", true); /* the chart defaults to off (reference 9.11) */
    comp_common(p, ssrf, COMP_SSRF_PROXY, true);
    rolling(p, ssrf);

    cJSON *pd = ru_obj(v, "pluginDaemon");
    comp_common(p, pd, COMP_PLUGIN_DAEMON, true);
    struct ru_volume av, dv;
    ru_api_volume(p, &av);
    ru_daemon_volume(p, &dv);
    if (ru_daemon_has_volume(p) && dv.recreate)
        ru_str(ru_obj(pd, "updateStrategy"), "type", "Recreate"); /* one writer, RWO */
    else
        rolling(p, pd);
    irsa_sa(p, pd);
    /* The chart has no daemon probe; upstream's path is /health/check. */
    cJSON *probe = ru_obj(pd, "customReadinessProbe");
    cJSON *get = ru_obj(probe, "httpGet");
    ru_str(get, "path", "/health/check");
    ru_num(get, "port", 5002);
    ru_num(probe, "initialDelaySeconds", p->rollout.readiness_delay);
    ru_num(probe, "periodSeconds", 10);

    ru_bool(ru_obj(v, "postgresql"), "enabled", false);
    ru_bool(ru_obj(v, "redis"), "enabled", false);
    ru_bool(ru_obj(v, "weaviate"), "enabled", false);

    cJSON *pg = ru_obj(v, "externalPostgres");
    ru_bool(pg, "enabled", true);
    ru_str(pg, "address", ru_db_host(p));
    ru_num(pg, "port", p->db.port);
    ru_str(pg, "username", p->db.user);
    cJSON *dbs = ru_obj(pg, "database");
    ru_str(dbs, "api", p->db.name);
    ru_str(dbs, "pluginDaemon", p->db.plugin_db);

    cJSON *rd = ru_obj(v, "externalRedis");
    ru_bool(rd, "enabled", true);
    ru_str(rd, "host", ru_redis_host(p));
    ru_num(rd, "port", p->redis.port);
    ru_bool(rd, "useSSL", p->redis.tls);

    cJSON *s3 = ru_obj(v, "externalS3");
    bool use_s3 = p->storage.kind == STORAGE_S3;
    ru_bool(s3, "enabled", use_s3);
    if (use_s3) {
        char *ep = str_empty(p->storage.endpoint)
                       ? xasprintf("https://s3.%s.amazonaws.com", p->storage.region)
                       : xstrdup(p->storage.endpoint);
        ru_str(s3, "endpoint", ep);
        free(ep);
        ru_bool(s3, "pathStyle", !str_empty(p->storage.endpoint));
        ru_str(s3, "region", p->storage.region);
        cJSON *bn = ru_obj(s3, "bucketName");
        ru_str(bn, "api", ru_bucket(p));
        ru_str(bn, "pluginDaemon", ru_bucket(p));
        ru_bool(s3, "useIAM", p->storage.auth == S3_AUTH_IRSA);
    }
    if (!use_s3) {
        /* Uploads on chart-made volumes, chosen as for the manifests method. */
        persistence(api, &av);
        persistence(pd, &dv);
    }
    ingress_values(p, v);

    /* values-secrets.yaml: one value per key; the chart wires each pair
     * (PLUGIN_DAEMON_KEY = SERVER_KEY, ...) from the same value. */
    cJSON *g = ru_obj(sv, "global");
    ru_str(g, "appSecretKey", s->secret_key);
    cJSON *sapi = ru_obj(sv, "api");
    ru_str(sapi, "secretKey", s->secret_key);
    ru_str(ru_obj(sapi, "auth"), "internalApiKey", s->inner_api_key);
    ru_str(ru_obj(ru_obj(sv, "pluginDaemon"), "auth"), "serverKey", s->plugin_daemon_key);
    ru_str(ru_obj(ru_obj(sv, "sandbox"), "auth"), "apiKey", s->sandbox_key);
    ru_str(ru_obj(sv, "externalPostgres"), "password", s->db_password);
    ru_str(ru_obj(sv, "externalRedis"), "password", s->redis_password ? s->redis_password : "");
    if (use_s3 && p->storage.auth == S3_AUTH_KEYS) {
        cJSON *ss3 = ru_obj(sv, "externalS3");
        ru_str(ss3, "accessKey", s->s3_access_key);
        ru_str(ss3, "secretKey", s->s3_secret_key);
    }
}

static cJSON *ee_db_cred(const struct profile *p, cJSON *creds, const char *key,
                         const char *database)
{
    cJSON *c = ru_obj(creds, key);
    ru_str(c, "database", database);
    ru_str(c, "username", p->db.user);
    ru_str(c, "sslmode", p->db.sslmode);
    return c;
}

/* <key>.image.{repository,tag} under the component's object (made when
 * missing), so the chart runs exactly the set the Job and the table name. */
static void ee_image(cJSON *v, const char *key, const char *repo, const char *tag, bool arm64)
{
    cJSON *img = ru_obj(ru_sub(v, key), "image");
    ru_str(img, "repository", repo);
    /* Graviton: these components publish their arm64 build as "<tag>-arm64"
     * and the plain tag is amd64 only (upstream 4_generate_dify_helm.sh). */
    char *t = arm64 && dify_ee_amd64_only(key) ? xasprintf("%s-arm64", tag) : xstrdup(tag);
    ru_str(img, "tag", t);
    free(t);
}

static void ee_images(const struct profile *p, cJSON *v)
{
    const struct dify_release *r = ru_release(p);
    bool arm64 = p->target == TARGET_EKS && instance_type_is_arm64(p->aws.node_type);
    const struct {
        const char *key, *repo, *tag;
    } images[] = {
        {"api", "langgenius/dify-api", p->image_tag},
        {"worker", "langgenius/dify-api", p->image_tag},
        {"workerBeat", "langgenius/dify-api", p->image_tag},
        {"web", "langgenius/dify-web", p->image_tag},
        {"sandbox", "langgenius/dify-sandbox", r->sandbox},
        {"plugin_daemon", "langgenius/dify-plugin-daemon", r->plugin_daemon},
        {"enterprise", "langgenius/dify-enterprise", r->ee.enterprise},
        {"enterpriseAudit", "langgenius/dify-audit", r->ee.audit},
        {"enterpriseFrontend", "langgenius/dify-enterprise-frontend", r->ee.enterprise_frontend},
        {"gateway", "langgenius/enterprise_gateway", r->ee.gateway},
        {"plugin_connector", "langgenius/enterprise_plugin-connector", r->ee.plugin_connector},
        {"plugin_controller", "langgenius/enterprise_plugin-crd", r->ee.plugin_controller},
        {"plugin_manager", "langgenius/dify-plugin-manager", r->ee.plugin_manager},
    };
    for (size_t i = 0; i < ARRAY_LEN(images); i++)
        if (images[i].tag)
            ee_image(v, images[i].key, images[i].repo, images[i].tag, arm64);
}

static void enterprise(const struct profile *p, const struct secrets *s, cJSON *v, cJSON *sv)
{
    bool eks = p->target == TARGET_EKS;
    cJSON *g = ru_obj(v, "global");
    domains(p, g);
    ru_bool(g, "useTLS", !str_empty(p->domains.tls_secret));
    /* Job mode: our Job migrates, so the chart's init container must not. */
    ru_bool(g, "dbMigrationEnabled", p->migration.mode == MIGRATION_API);

    static const struct {
        const char *key;
        enum component c;
        bool replicas;
    } comps[] = {{"api", COMP_API, true},
                 {"worker", COMP_WORKER, true},
                 {"workerBeat", COMP_BEAT, false},
                 {"web", COMP_WEB, true},
                 {"sandbox", COMP_SANDBOX, true},
                 {"ssrfProxy", COMP_SSRF_PROXY, true},
                 {"plugin_daemon", COMP_PLUGIN_DAEMON, true}};
    for (size_t i = 0; i < ARRAY_LEN(comps); i++) {
        cJSON *o = ru_obj(v, comps[i].key);
        if (comps[i].c == COMP_PLUGIN_DAEMON)
            ru_bool(o, "enabled", true);
        comp_common(p, o, comps[i].c, comps[i].replicas);
        if ((comps[i].c == COMP_API || comps[i].c == COMP_WORKER) && ru_irsa(p))
            ru_str(o, "serviceAccountName", RU_API_SA);
        if (comps[i].c == COMP_API || comps[i].c == COMP_WORKER)
            extra_files(p, o, comps[i].c == COMP_WORKER);
    }

    ee_images(p, v);

    cJSON *pc = ru_sub(v, "plugin_connector");
    ru_str(pc, "customServiceAccount", "dify-plugin-crd-sa");
    ru_str(pc, "runnerServiceAccount", "dify-plugin-runner-sa");
    if (eks) {
        /* The registry host needs the account id and the repository may
         * be named by Terraform: the runner replaces the token with the
         * ecr_plugin_repository_url output (docs/render.md). */
        ru_str(pc, "imageRepoPrefix", RENDER_PH_ECR_PLUGIN);
        ru_str(pc, "imageRepoType", "ecr");
        ru_str(pc, "ecrRegion", p->aws.region);
    } else {
        ru_str(pc, "imageRepoPrefix", "");
        ru_str(pc, "imageRepoType", "docker");
    }

    cJSON *pg = ru_obj(v, "externalPostgres");
    ru_bool(pg, "enabled", true);
    ru_str(pg, "address", ru_db_host(p));
    ru_num(pg, "port", p->db.port);
    cJSON *creds = ru_obj(pg, "credentials");
    ee_db_cred(p, creds, "dify", p->db.name);
    ee_db_cred(p, creds, "plugin_daemon", p->db.plugin_db);

    cJSON *rd = ru_obj(v, "externalRedis");
    ru_bool(rd, "enabled", true);
    ru_str(rd, "host", ru_redis_host(p));
    ru_num(rd, "port", p->redis.port);
    ru_bool(rd, "useSSL", p->redis.tls);

    cJSON *per = ru_obj(v, "persistence");
    bool use_s3 = p->storage.kind == STORAGE_S3;
    ru_str(per, "type", use_s3 ? "s3" : "local");
    if (use_s3) {
        cJSON *s3 = ru_obj(per, "s3");
        ru_bool(s3, "useAwsS3", str_empty(p->storage.endpoint));
        ru_bool(s3, "useAwsManagedIam", p->storage.auth == S3_AUTH_IRSA);
        ru_str(s3, "endpoint", p->storage.endpoint);
        ru_str(s3, "region", p->storage.region);
        ru_str(s3, "bucketName", ru_bucket(p));
    } else {
        struct ru_volume av;
        ru_api_volume(p, &av);
        cJSON *pvc = ru_obj(ru_obj(per, "local"), "persistentVolumeClaim");
        if (!str_empty(av.storage_class))
            ru_str(pvc, "storageClass", av.storage_class);
        ru_str(pvc, "accessModes", av.access_mode);
    }

    cJSON *vdb = ru_obj(v, "vectorDB");
    ru_bool(vdb, "useExternal", true);
    ru_str(vdb, "externalType", vector_names[p->vector.kind]);
    if (p->vector.kind == VECTOR_OPENSEARCH) {
        cJSON *os = ru_obj(vdb, "externalOpenSearch");
        ru_str(os, "host", ru_vector_host(p));
        ru_num(os, "port", p->vector.port);
        ru_str(os, "user", p->vector.user);
        ru_bool(os, "useTLS", p->vector.port != 80);
    }
    ingress_values(p, v);

    cJSON *sg = ru_obj(sv, "global");
    ru_str(sg, "appSecretKey", s->secret_key);
    ru_str(sg, "innerApiKey", s->inner_api_key);
    ru_str(ru_obj(sv, "plugin_daemon"), "apiKey", s->plugin_daemon_key);
    ru_str(ru_obj(sv, "plugin_connector"), "apiKey", s->plugin_daemon_key);
    ru_str(ru_obj(sv, "sandbox"), "apiKey", s->sandbox_key);
    cJSON *screds = ru_obj(ru_obj(sv, "externalPostgres"), "credentials");
    ru_str(ru_obj(screds, "dify"), "password", s->db_password);
    ru_str(ru_obj(screds, "plugin_daemon"), "password", s->db_password);
    ru_str(ru_obj(sv, "externalRedis"), "password", s->redis_password ? s->redis_password : "");
    if (use_s3 && p->storage.auth == S3_AUTH_KEYS) {
        cJSON *ss3 = ru_obj(ru_obj(sv, "persistence"), "s3");
        ru_str(ss3, "accessKey", s->s3_access_key);
        ru_str(ss3, "secretKey", s->s3_secret_key);
    }
    if (p->vector.kind == VECTOR_OPENSEARCH && !str_empty(s->vector_password))
        ru_str(ru_obj(ru_obj(sv, "vectorDB"), "externalOpenSearch"), "password",
               s->vector_password);
}

int render_values(const struct profile *p, const struct secrets *s, struct rendered *out,
                  struct error *err)
{
    cJSON *v = cJSON_CreateObject(), *sv = cJSON_CreateObject();
    if (p->edition == EDITION_ENTERPRISE)
        enterprise(p, s, v, sv);
    else
        community(p, s, v, sv);
    cJSON *sdoc = sv;
    if (ru_add_yaml(out, "values.yaml", 0644, &v, 1, err)) {
        cJSON_Delete(sdoc);
        return -1;
    }
    return ru_add_yaml(out, "values-secrets.yaml", 0600, &sdoc, 1, err);
}
