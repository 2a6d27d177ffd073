/* core/render_values_ee.c: values for the Dify EE chart (langgenius dify-helm,
 * https://langgenius.github.io/dify-helm), versions 3.5.5-3.7.4: the keys of
 * their published default values (core/chart_keys_data.c).
 *
 * The chart runs dify-api/dify-web builds and its own enterprise services;
 * the whole image set is pinned from core/dify_versions.c so the migration
 * Job runs what the api runs. The enterprise and audit services keep their
 * data in databases of their own beside the plugin daemon's (upstream
 * langgenius/dify-ee-terraform-aws scripts/5_create_databases.sh creates all
 * three); render_manifests.c's database Job creates them. The enterprise
 * service's own keys would otherwise stay at the chart's public defaults. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/dify_versions.h"
#include "core/render.h"
#include "core/render_util.h"
#include "core/render_values_int.h"
#include "core/util.h"

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

static void components(const struct profile *p, cJSON *v)
{
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
        rv_comp_common(p, o, comps[i].c, comps[i].replicas);
        if ((comps[i].c == COMP_API || comps[i].c == COMP_WORKER) && ru_irsa(p))
            ru_str(o, "serviceAccountName", RU_API_SA);
    }
}

static void plugin_connector(const struct profile *p, cJSON *v)
{
    cJSON *pc = ru_sub(v, "plugin_connector");
    ru_str(pc, "customServiceAccount", "dify-plugin-crd-sa");
    ru_str(pc, "runnerServiceAccount", "dify-plugin-runner-sa");
    if (p->target == TARGET_EKS) {
        /* The registry host needs the account id and the repository may be
         * named by Terraform: the ecr_plugin_repository_url output fills the
         * token (render --from-terraform or the runner). */
        ru_str(pc, "imageRepoPrefix", RENDER_PH_ECR_PLUGIN);
        ru_str(pc, "imageRepoType", "ecr");
        ru_str(pc, "ecrRegion", p->aws.region);
    } else {
        ru_str(pc, "imageRepoPrefix", "");
        ru_str(pc, "imageRepoType", "docker");
    }
}

static void db_cred(const struct profile *p, cJSON *creds, const char *key, const char *database)
{
    cJSON *c = ru_obj(creds, key);
    ru_str(c, "database", database);
    ru_str(c, "username", p->db.user);
    ru_str(c, "sslmode", p->db.sslmode);
}

static void data_stores(const struct profile *p, cJSON *v)
{
    cJSON *pg = ru_obj(v, "externalPostgres");
    ru_bool(pg, "enabled", true);
    ru_str(pg, "address", ru_db_host(p));
    ru_num(pg, "port", p->db.port);
    cJSON *creds = ru_obj(pg, "credentials");
    db_cred(p, creds, "dify", p->db.name);
    db_cred(p, creds, "plugin_daemon", p->db.plugin_db);
    db_cred(p, creds, "enterprise", RU_EE_DB_ENTERPRISE);
    db_cred(p, creds, "audit", RU_EE_DB_AUDIT);

    cJSON *rd = ru_obj(v, "externalRedis");
    ru_bool(rd, "enabled", true);
    ru_str(rd, "host", ru_redis_host(p));
    ru_num(rd, "port", p->redis.port);
    ru_bool(rd, "useSSL", p->redis.tls);

    cJSON *per = ru_obj(v, "persistence");
    if (p->storage.kind == STORAGE_S3) {
        ru_str(per, "type", "s3");
        cJSON *s3 = ru_obj(per, "s3");
        ru_bool(s3, "useAwsS3", str_empty(p->storage.endpoint));
        ru_bool(s3, "useAwsManagedIam", p->storage.auth == S3_AUTH_IRSA);
        ru_str(s3, "endpoint", p->storage.endpoint);
        ru_str(s3, "region", p->storage.region);
        ru_str(s3, "bucketName", ru_bucket(p));
    } else {
        ru_str(per, "type", "local");
        struct ru_volume av;
        ru_api_volume(p, &av);
        cJSON *pvc = ru_obj(ru_obj(per, "local"), "persistentVolumeClaim");
        if (!str_empty(av.storage_class))
            ru_str(pvc, "storageClass", av.storage_class);
        ru_str(pvc, "accessModes", av.access_mode);
    }
}

/* The vectorDB section of the store and the key of its credential. */
static const char *vector_section(enum vector_kind k, const char **secret_key)
{
    switch (k) {
    case VECTOR_OPENSEARCH:
        *secret_key = "password";
        return "externalOpenSearch";
    case VECTOR_MILVUS:
        *secret_key = "password";
        return "externalMilvus";
    case VECTOR_QDRANT:
        *secret_key = "apiKey";
        return "externalQdrant";
    case VECTOR_WEAVIATE:
        *secret_key = "apiKey";
        return "externalWeaviate";
    case VECTOR_PGVECTOR:
    default:
        return NULL; /* not offered by the chart: render_check refuses it */
    }
}

static void vector_db(const struct profile *p, cJSON *v)
{
    cJSON *vdb = ru_obj(v, "vectorDB");
    ru_bool(vdb, "useExternal", true);
    ru_str(vdb, "externalType", vector_names[p->vector.kind]);
    const char *key;
    const char *section = vector_section(p->vector.kind, &key);
    if (!section)
        return;
    cJSON *o = ru_obj(vdb, section);
    if (p->vector.kind == VECTOR_OPENSEARCH) {
        ru_str(o, "host", ru_vector_host(p));
        ru_num(o, "port", p->vector.port);
        ru_str(o, "user", p->vector.user);
        ru_bool(o, "useTLS", p->vector.port != 80);
        return;
    }
    char *url = ru_vector_url(p);
    ru_str(o, p->vector.kind == VECTOR_MILVUS ? "uri" : "endpoint", url);
    free(url);
    if (p->vector.kind == VECTOR_MILVUS)
        ru_str(o, "user", p->vector.user);
}

/* A key the chart wants as standard base64 of 32 bytes (upstream:
 * `openssl rand -base64 32`). Generated secrets are base64url without
 * padding; the same bytes in the standard alphabet, padded. */
static char *std_base64(const char *v)
{
    size_t n = strlen(v);
    char *out = xmalloc(n + 4);
    for (size_t i = 0; i < n; i++)
        out[i] = v[i] == '-' ? '+' : v[i] == '_' ? '/' : v[i];
    while (n % 4)
        out[n++] = '=';
    out[n] = '\0';
    return out;
}

static void secret_values(const struct profile *p, const struct secrets *s,
                          const struct chart_keys *ck, cJSON *sv)
{
    cJSON *sg = ru_sub(sv, "global");
    ru_str(sg, "appSecretKey", s->secret_key);
    ru_str(sg, "innerApiKey", s->inner_api_key);
    cJSON *ent = ru_obj(sv, "enterprise");
    ru_str(ent, "appSecretKey", s->enterprise_secret_key);
    ru_str(ent, "adminAPIsSecretKeySalt", s->enterprise_admin_salt);
    if (chart_keys_reads(ck, "enterprise.passwordEncryptionKey") && s->enterprise_password_key) {
        char *k = std_base64(s->enterprise_password_key);
        ru_str(ent, "passwordEncryptionKey", k);
        str_free_secret(k);
    }
    cJSON *screds = ru_obj(ru_obj(sv, "externalPostgres"), "credentials");
    const char *dbs[] = {"dify", "plugin_daemon", "enterprise", "audit"};
    for (size_t i = 0; i < ARRAY_LEN(dbs); i++)
        ru_str(ru_obj(screds, dbs[i]), "password", s->db_password);
    ru_str(ru_obj(sv, "externalRedis"), "password", s->redis_password ? s->redis_password : "");
    if (p->storage.kind == STORAGE_S3 && p->storage.auth == S3_AUTH_KEYS) {
        cJSON *ss3 = ru_obj(ru_obj(sv, "persistence"), "s3");
        ru_str(ss3, "accessKey", s->s3_access_key);
        ru_str(ss3, "secretKey", s->s3_secret_key);
    }
    const char *key, *section = vector_section(p->vector.kind, &key);
    const char *pw = ru_vector_password(p, s);
    if (section && pw)
        ru_str(ru_obj(ru_obj(sv, "vectorDB"), section), key, pw);
}

void rv_enterprise(const struct profile *p, const struct secrets *s, const struct chart_keys *ck,
                   cJSON *v, cJSON *sv)
{
    cJSON *g = ru_obj(v, "global");
    rv_domains(p, ck, g);
    char *ent_host = ru_enterprise_host(p);
    /* The dashboard and licence page (enterprise frontend and service). */
    ru_str(g, "enterpriseDomain", ent_host);
    ru_bool(g, "useTLS", ru_tls(p));
    /* Job mode: our Job migrates, so the chart's init container must not. */
    ru_bool(g, "dbMigrationEnabled", p->migration.mode == MIGRATION_API);
    components(p, v);
    ee_images(p, v);
    plugin_connector(p, v);
    data_stores(p, v);
    vector_db(p, v);
    const char *extra[] = {ent_host};
    rv_ingress(p, ck, v, extra, 1);
    free(ent_host);
    secret_values(p, s, ck, sv);
}
