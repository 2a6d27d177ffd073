/* core/render_values_ce.c: values for the community chart,
 * BorisPolonsky/dify-helm (keys per version in core/chart_keys_data.c).
 * Settings the chart has no key for (the vector store other than its
 * bundled weaviate) are passed as extraEnv, which wins over the chart's
 * ConfigMap, with the password taken by secretKeyRef from the
 * <release>-secrets Secret of manifests/10-secrets.yaml. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/render.h"
#include "core/render_util.h"
#include "core/render_values_int.h"
#include "core/util.h"

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

static void put_env(void *ctx, const char *name, const char *value)
{
    ru_env(ctx, name, value);
}

/* The database host when it is a placeholder: the chart writes
 * externalPostgres.address unquoted into the api's ConfigMap (0.37.0
 * templates/config.tpl, DB_HOST), where an unfilled "@@db_endpoint@@"
 * cannot be parsed. The address then keeps the chart's default and every
 * pod that connects gets DB_HOST as a quoted extraEnv entry instead. */
static bool db_host_by_env(const struct profile *p)
{
    return str_empty(p->db.host);
}

static void db_host_env(const struct profile *p, cJSON *env)
{
    if (db_host_by_env(p))
        ru_env(env, "DB_HOST", ru_db_host(p));
}

/* api and worker: the vector store's settings and password. */
static void app_env(const struct profile *p, const struct secrets *s, cJSON *comp)
{
    cJSON *env = ru_arr(comp, "extraEnv");
    db_host_env(p, env);
    ru_vector_env(p, put_env, env);
    if (ru_vector_password(p, s)) {
        const char *key = ru_vector_secret_key(p->vector.kind);
        char *name = ru_name(p, RU_SECRETS);
        ru_env_secret(env, key, name, key);
        free(name);
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

static void images(const struct profile *p, cJSON *v)
{
    cJSON *img = ru_obj(v, "image");
    static const struct {
        const char *key;
        enum component c;
    } list[] = {{"api", COMP_API},
                {"web", COMP_WEB},
                {"sandbox", COMP_SANDBOX},
                {"pluginDaemon", COMP_PLUGIN_DAEMON},
                {"ssrfProxy", COMP_SSRF_PROXY}};
    for (size_t i = 0; i < ARRAY_LEN(list); i++) {
        char *ref = ru_image(p, list[i].c);
        image(img, list[i].key, ref);
        free(ref);
    }
}

static void plugin_daemon(const struct profile *p, cJSON *v, const struct ru_volume *dv)
{
    cJSON *pd = ru_obj(v, "pluginDaemon");
    rv_comp_common(p, pd, COMP_PLUGIN_DAEMON, true);
    if (ru_daemon_has_volume(p) && dv->recreate)
        ru_str(ru_obj(pd, "updateStrategy"), "type", "Recreate"); /* one writer, RWO */
    else
        rolling(p, pd);
    irsa_sa(p, pd);
    if (db_host_by_env(p))
        db_host_env(p, ru_arr(pd, "extraEnv"));
    /* The chart has no daemon probe; upstream's path is /health/check. */
    cJSON *probe = ru_obj(pd, "customReadinessProbe");
    cJSON *get = ru_obj(probe, "httpGet");
    ru_str(get, "path", "/health/check");
    ru_num(get, "port", 5002);
    ru_num(probe, "initialDelaySeconds", p->rollout.readiness_delay);
    ru_num(probe, "periodSeconds", 10);
    if (ru_daemon_has_volume(p))
        persistence(pd, dv);
}

static void data_stores(const struct profile *p, cJSON *v)
{
    ru_bool(ru_obj(v, "postgresql"), "enabled", false);
    ru_bool(ru_obj(v, "redis"), "enabled", false);
    ru_bool(ru_obj(v, "weaviate"), "enabled", false);

    cJSON *pg = ru_obj(v, "externalPostgres");
    ru_bool(pg, "enabled", true);
    if (!db_host_by_env(p))
        ru_str(pg, "address", p->db.host);
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
}

/* values-secrets.yaml: one value per key; the chart wires each pair
 * (PLUGIN_DAEMON_KEY = SERVER_KEY, ...) from the same value. */
static void secret_values(const struct profile *p, const struct secrets *s,
                          const struct chart_keys *ck, cJSON *sv)
{
    ru_str(ru_obj(sv, "global"), "appSecretKey", s->secret_key);
    /* INNER_API_KEY_FOR_PLUGIN = the daemon's DIFY_INNER_API_KEY: chart
     * 0.38 reads api.auth.internalApiKey, 0.36-0.37 pluginDaemon.auth.difyApiKey
     * (templates/credentials.tpl). */
    bool api_auth = chart_keys_reads(ck, "api.auth.internalApiKey");
    if (api_auth)
        ru_str(ru_obj(ru_obj(sv, "api"), "auth"), "internalApiKey", s->inner_api_key);
    cJSON *pda = ru_obj(ru_obj(sv, "pluginDaemon"), "auth");
    ru_str(pda, "serverKey", s->plugin_daemon_key);
    if (!api_auth)
        ru_str(pda, "difyApiKey", s->inner_api_key);
    ru_str(ru_obj(ru_obj(sv, "sandbox"), "auth"), "apiKey", s->sandbox_key);
    ru_str(ru_obj(sv, "externalPostgres"), "password", s->db_password);
    ru_str(ru_obj(sv, "externalRedis"), "password", s->redis_password ? s->redis_password : "");
    if (p->storage.kind == STORAGE_S3 && p->storage.auth == S3_AUTH_KEYS) {
        cJSON *ss3 = ru_obj(sv, "externalS3");
        ru_str(ss3, "accessKey", s->s3_access_key);
        ru_str(ss3, "secretKey", s->s3_secret_key);
    }
}

void rv_community(const struct profile *p, const struct secrets *s, const struct chart_keys *ck,
                  cJSON *v, cJSON *sv)
{
    rv_domains(p, ck, ru_obj(v, "global"));
    images(p, v);
    struct ru_volume av, dv;
    ru_api_volume(p, &av);
    ru_daemon_volume(p, &dv);

    cJSON *api = ru_obj(v, "api");
    rv_comp_common(p, api, COMP_API, true);
    /* With a migration Job the api must not migrate (seed 003). */
    ru_bool(api, "migration", p->migration.mode == MIGRATION_API);
    rolling(p, api);
    readiness(p, api);
    irsa_sa(p, api);
    extra_files(p, api, false);
    app_env(p, s, api);
    if (p->storage.kind == STORAGE_LOCAL)
        persistence(api, &av); /* uploads on a chart-made volume */

    cJSON *worker = ru_obj(v, "worker");
    rv_comp_common(p, worker, COMP_WORKER, true);
    rolling(p, worker);
    irsa_sa(p, worker);
    extra_files(p, worker, true);
    app_env(p, s, worker);

    cJSON *beat = ru_obj(v, "beat");
    rv_comp_common(p, beat, COMP_BEAT, false);
    ru_str(ru_obj(beat, "updateStrategy"), "type", "Recreate");
    if (db_host_by_env(p))
        db_host_env(p, ru_arr(beat, "extraEnv"));

    cJSON *web = ru_obj(v, "web");
    rv_comp_common(p, web, COMP_WEB, true);
    rolling(p, web);
    readiness(p, web);

    cJSON *sandbox = ru_obj(v, "sandbox");
    rv_comp_common(p, sandbox, COMP_SANDBOX, true);
    rolling(p, sandbox);
    readiness(p, sandbox);

    cJSON *ssrf = ru_obj(v, "ssrfProxy");
    ru_bool(ssrf, "enabled", true); /* the chart defaults to off (reference 9.11) */
    rv_comp_common(p, ssrf, COMP_SSRF_PROXY, true);
    rolling(p, ssrf);

    plugin_daemon(p, v, &dv);
    data_stores(p, v);
    rv_ingress(p, ck, v, NULL, 0);
    secret_values(p, s, ck, sv);
}
