/* core/render_manifests.c: the objects both methods need: the namespace, the
 * Secrets (every secret value of the cluster lives here and nowhere else),
 * the IRSA ServiceAccounts, the ConfigMaps with non-secret settings and extra
 * files, the migration Job, and for the manifests method the Ingresses.
 *
 * Values that must match across pods (reference 2.3) are read from ONE field
 * of struct secrets each: PLUGIN_DAEMON_KEY and the daemon's SERVER_KEY are
 * both s->plugin_daemon_key, and so on. */
#include "config.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dify_versions.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/render.h"
#include "core/render_app.h"
#include "core/render_manifests.h"
#include "core/render_util.h"
#include "core/util.h"

/* The file size limit of a ConfigMap is 1 MiB including metadata. */
#define EXTRA_FILE_MAX (1000 * 1000)

static void put_if(cJSON *o, const char *key, const char *v)
{
    if (!str_empty(v))
        ru_str(o, key, v);
}

/* Percent-encodes what is not URL-safe, for the password in a broker URL. */
static char *url_escape(const char *s)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (isalnum(*c) || strchr("-._~", *c))
            strbuf_addc(&sb, (char)*c);
        else
            strbuf_addf(&sb, "%%%02X", *c);
    }
    return strbuf_detach(&sb, NULL);
}

static char *broker_url(const struct profile *p, const struct secrets *s)
{
    char *pw = url_escape(s->redis_password ? s->redis_password : "");
    char *auth = *pw ? xasprintf(":%s@", pw) : xstrdup("");
    char *url =
        xasprintf("%s://%s%s:%d/1%s", p->redis.tls ? "rediss" : "redis", auth, ru_redis_host(p),
                  p->redis.port, p->redis.tls ? "?ssl_cert_reqs=required" : "");
    str_free_secret(auth);
    str_free_secret(pw);
    return url;
}

static cJSON *secret_object(const struct profile *p, const char *suffix, const char *component,
                            cJSON **data)
{
    char *name = ru_name(p, suffix);
    cJSON *o = ru_object("v1", "Secret", name, p, component);
    free(name);
    ru_str(o, "type", "Opaque");
    *data = ru_obj(o, "stringData");
    return o;
}

static int render_secrets(const struct profile *p, const struct secrets *s, struct rendered *out,
                          struct error *err)
{
    cJSON *docs[3], *d;
    bool s3_keys = p->storage.kind == STORAGE_S3 && p->storage.auth == S3_AUTH_KEYS;

    docs[0] = secret_object(p, RU_SECRETS, NULL, &d);
    put_if(d, "SECRET_KEY", s->secret_key);
    put_if(d, "DB_PASSWORD", s->db_password);
    put_if(d, "REDIS_PASSWORD", s->redis_password);
    char *broker = broker_url(p, s);
    ru_str(d, "CELERY_BROKER_URL", broker);
    str_free_secret(broker);
    put_if(d, "PLUGIN_DAEMON_KEY", s->plugin_daemon_key);
    put_if(d, "INNER_API_KEY_FOR_PLUGIN", s->inner_api_key);
    put_if(d, "CODE_EXECUTION_API_KEY", s->sandbox_key);
    put_if(d, "INIT_PASSWORD", s->init_password);
    if (s3_keys) {
        put_if(d, "S3_ACCESS_KEY", s->s3_access_key);
        put_if(d, "S3_SECRET_KEY", s->s3_secret_key);
    }
    put_if(d, ru_vector_secret_key(p->vector.kind), ru_vector_password(p, s));
    put_if(d, "OPENAI_API_KEY", s->openai_api_key);
    put_if(d, "ANTHROPIC_API_KEY", s->anthropic_api_key);

    docs[1] = secret_object(p, RU_DAEMON_SECRETS, "plugin-daemon", &d);
    put_if(d, "DB_PASSWORD", s->db_password);
    put_if(d, "REDIS_PASSWORD", s->redis_password);
    put_if(d, "SERVER_KEY", s->plugin_daemon_key);
    put_if(d, "DIFY_INNER_API_KEY", s->inner_api_key);
    if (s3_keys) {
        put_if(d, "AWS_ACCESS_KEY", s->s3_access_key);
        put_if(d, "AWS_SECRET_KEY", s->s3_secret_key);
    }

    docs[2] = secret_object(p, RU_SANDBOX_SECRETS, "sandbox", &d);
    put_if(d, "API_KEY", s->sandbox_key);
    return ru_add_yaml(out, "manifests/10-secrets.yaml", 0600, docs, 3, err);
}

static cJSON *service_account(const struct profile *p, const char *name, const char *role,
                              const char *component, bool helm_owned)
{
    cJSON *o = ru_object("v1", "ServiceAccount", name, p, NULL);
    cJSON *meta = cJSON_GetObjectItem(o, "metadata");
    cJSON *labels = cJSON_GetObjectItem(meta, "labels");
    ru_str(labels, "app.kubernetes.io/component", component);
    ru_str(labels, "app.kubernetes.io/part-of", "dify-ee");
    cJSON *ann = ru_obj(meta, "annotations");
    char *arn = ru_role_arn(p, role);
    ru_str(ann, "eks.amazonaws.com/role-arn", arn);
    free(arn);
    if (helm_owned) {
        /* The EE chart also declares this one: let Helm adopt it. */
        cJSON_ReplaceItemInObject(labels, "app.kubernetes.io/managed-by",
                                  cJSON_CreateString("Helm"));
        ru_str(ann, "meta.helm.sh/release-name", p->release);
        ru_str(ann, "meta.helm.sh/release-namespace", p->namespace);
    }
    return o;
}

static int render_service_accounts(const struct profile *p, struct rendered *out, struct error *err)
{
    cJSON *docs[6];
    size_t n = 0;
    /* Role names follow seed 000's DifyEE-Role-<cluster>-<suffix> templates. */
    docs[n++] = service_account(p, RU_API_SA, "s3", "api", false);
    if (p->edition == EDITION_ENTERPRISE) {
        docs[n++] = service_account(p, "dify-plugin-crd-sa", "s3-ecr", "plugin-crd", false);
        docs[n++] =
            service_account(p, "dify-plugin-runner-sa", "ecr-image-pull", "plugin-runner", false);
        docs[n++] = service_account(p, "dify-plugin-connector-sa", "s3", "plugin-connector", true);
        docs[n++] = service_account(p, "dify-plugin-build-sa", "s3-ecr", "plugin-crd", false);
        docs[n++] = service_account(p, "dify-plugin-build-run-sa", "ecr-image-pull",
                                    "plugin-runner", false);
    }
    return ru_add_yaml(out, "manifests/15-serviceaccounts.yaml", 0644, docs, n, err);
}

static void put_config(void *ctx, const char *name, const char *value)
{
    ru_str(ctx, name, value);
}

static void vector_config(const struct profile *p, cJSON *d)
{
    ru_vector_env(p, put_config, d);
}

/* d[key] = http://<release>-<service>:<port>, a Service's in-cluster URL. */
static void put_service_url(cJSON *d, const char *key, const struct profile *p, const char *service,
                            int port)
{
    char *url = xasprintf("http://%s-%s:%d", p->release, service, port);
    ru_str(d, key, url);
    free(url);
}

/* The database settings api and plugin daemon share; each names its own
 * database. */
static void db_config(const struct profile *p, cJSON *d, const char *database)
{
    char port[16];
    snprintf(port, sizeof(port), "%d", p->db.port);
    ru_str(d, "DB_TYPE", "postgresql");
    ru_str(d, "DB_HOST", ru_db_host(p));
    ru_str(d, "DB_PORT", port);
    ru_str(d, "DB_USERNAME", p->db.user);
    ru_str(d, "DB_DATABASE", database);
}

static void redis_config(const struct profile *p, cJSON *d)
{
    char port[16];
    snprintf(port, sizeof(port), "%d", p->redis.port);
    ru_str(d, "REDIS_HOST", ru_redis_host(p));
    ru_str(d, "REDIS_PORT", port);
}

/* Non-secret env of api, worker, beat and the migration Job. */
static cJSON *api_config(const struct profile *p)
{
    char *name = ru_name(p, RU_CONFIG);
    cJSON *o = ru_object("v1", "ConfigMap", name, p, NULL);
    free(name);
    cJSON *d = ru_obj(o, "data");
    char *web = ru_web_url(p), *api = ru_api_url(p);
    ru_str(d, "DEPLOY_ENV", "PRODUCTION");
    ru_str(d, "LOG_LEVEL", "INFO");
    /* Only the api may migrate, and only in migration mode "api": its
     * container overrides this (MIGRATION_ENABLED=true) then. */
    ru_str(d, "MIGRATION_ENABLED", "false");
    ru_str(d, "CONSOLE_WEB_URL", web);
    ru_str(d, "APP_WEB_URL", web);
    ru_str(d, "CONSOLE_API_URL", api);
    ru_str(d, "SERVICE_API_URL", api);
    ru_str(d, "APP_API_URL", api);
    ru_str(d, "FILES_URL", api);
    ru_str(d, "TRIGGER_URL", api);
    char *tmpl = xasprintf("%s/e/{hook_id}", api);
    ru_str(d, "ENDPOINT_URL_TEMPLATE", tmpl);
    free(tmpl);
    free(web);
    free(api);
    put_service_url(d, "INTERNAL_FILES_URL", p, "api", 5001);

    db_config(p, d, p->db.name);
    ru_str(d, "DB_PLUGIN_DATABASE", p->db.plugin_db);

    redis_config(p, d);
    ru_str(d, "REDIS_DB", "0");
    ru_str(d, "REDIS_USE_SSL", p->redis.tls ? "true" : "false");
    ru_str(d, "BROKER_USE_SSL", p->redis.tls ? "true" : "false");
    ru_str(d, "CELERY_BACKEND", "redis");

    if (p->storage.kind == STORAGE_S3) {
        ru_str(d, "STORAGE_TYPE", "s3");
        ru_str(d, "S3_BUCKET_NAME", ru_bucket(p));
        ru_str(d, "S3_REGION", p->storage.region);
        ru_str(d, "S3_ENDPOINT", p->storage.endpoint);
        ru_str(d, "S3_USE_AWS_MANAGED_IAM", p->storage.auth == S3_AUTH_IRSA ? "true" : "false");
    } else {
        ru_str(d, "STORAGE_TYPE", "opendal");
        ru_str(d, "OPENDAL_SCHEME", "fs");
        ru_str(d, "OPENDAL_FS_ROOT", "storage");
    }
    vector_config(p, d);

    put_service_url(d, "CODE_EXECUTION_ENDPOINT", p, "sandbox", 8194);
    put_service_url(d, "SSRF_PROXY_HTTP_URL", p, "ssrf-proxy", 3128);
    put_service_url(d, "SSRF_PROXY_HTTPS_URL", p, "ssrf-proxy", 3128);
    put_service_url(d, "PLUGIN_DAEMON_URL", p, "plugin-daemon", 5002);
    ru_str(d, "MARKETPLACE_ENABLED", "true");
    return o;
}

/* Non-secret env of the plugin daemon: its DB_DATABASE is the plugin
 * database, the one name used in every artifact. */
static cJSON *daemon_config(const struct profile *p)
{
    char *name = ru_name(p, RU_DAEMON_CONFIG);
    cJSON *o = ru_object("v1", "ConfigMap", name, p, "plugin-daemon");
    free(name);
    cJSON *d = ru_obj(o, "data");
    ru_str(d, "SERVER_PORT", "5002");
    put_service_url(d, "DIFY_INNER_API_URL", p, "api", 5001);
    db_config(p, d, p->db.plugin_db);
    ru_str(d, "DB_SSL_MODE", p->db.sslmode);
    redis_config(p, d);
    ru_str(d, "REDIS_USE_SSL", p->redis.tls ? "true" : "false");
    ru_str(d, "PLATFORM", "local");
    ru_str(d, "PLUGIN_WORKING_PATH", "/app/storage/cwd");
    ru_str(d, "PLUGIN_STORAGE_LOCAL_ROOT", "/app/storage");
    if (p->storage.kind == STORAGE_S3) {
        ru_str(d, "PLUGIN_STORAGE_TYPE", "aws_s3");
        ru_str(d, "PLUGIN_STORAGE_OSS_BUCKET", ru_bucket(p));
        ru_str(d, "S3_USE_AWS", str_empty(p->storage.endpoint) ? "true" : "false");
        ru_str(d, "S3_ENDPOINT", p->storage.endpoint);
        ru_str(d, "S3_USE_PATH_STYLE", str_empty(p->storage.endpoint) ? "false" : "true");
        ru_str(d, "S3_USE_AWS_MANAGED_IAM", p->storage.auth == S3_AUTH_IRSA ? "true" : "false");
        ru_str(d, "AWS_REGION", p->storage.region);
    } else {
        ru_str(d, "PLUGIN_STORAGE_TYPE", "local");
    }
    ru_str(d, "PLUGIN_REMOTE_INSTALLING_HOST", "0.0.0.0");
    ru_str(d, "PLUGIN_REMOTE_INSTALLING_PORT", "5003");
    ru_str(d, "FORCE_VERIFYING_SIGNATURE", "true");
    ru_str(d, "PYTHON_ENV_INIT_TIMEOUT", "120");
    ru_str(d, "PLUGIN_MAX_EXECUTION_TIMEOUT", "600");
    return o;
}

/* squid as the SSRF proxy: pods may reach the internet, never private
 * addresses (the EE chart's private_dst rule). */
static const char squid_conf[] =
    "http_port 3128\n"
    "coredump_dir /var/spool/squid\n"
    "acl localnet src 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 100.64.0.0/10 fc00::/7 "
    "fe80::/10\n"
    "acl private_dst dst 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 127.0.0.0/8 169.254.0.0/16 "
    "100.64.0.0/10 fc00::/7 fe80::/10 ::1\n"
    "acl SSL_ports port 443\n"
    "acl Safe_ports port 80 21 443 70 210 280 488 591 777 1025-65535\n"
    "acl CONNECT method CONNECT\n"
    "http_access deny !Safe_ports\n"
    "http_access deny CONNECT !SSL_ports\n"
    "http_access deny private_dst\n"
    "http_access allow localnet\n"
    "http_access deny all\n";

/* Well-formed UTF-8 (no overlongs, no surrogates): what a ConfigMap's data
 * and the YAML emitter accept. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len;
        unsigned int cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > n)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

/* ConfigMaps holding extra files; files naming the same ConfigMap share it. */
static int extra_file_configmaps(const struct profile *p, cJSON **docs, size_t *n,
                                 struct error *err)
{
    for (size_t i = 0; i < p->n_extra_files; i++) {
        const struct extra_file *x = &p->extra_files[i];
        char *data = NULL;
        size_t len = 0;
        if (file_read_all(x->source, EXTRA_FILE_MAX, &data, &len, err))
            return error_prefix(err, "extra_files[%zu].source", i);
        if (memchr(data, '\0', len) || !utf8_valid((const unsigned char *)data, len)) {
            free(data);
            return error_set(err, ERR_INVALID, 0, "extra_files[%zu].source: %s is not a text file",
                             i, x->source);
        }
        cJSON *cm = NULL;
        for (size_t k = 0; k < *n && !cm; k++) {
            cJSON *meta = cJSON_GetObjectItem(docs[k], "metadata");
            if (str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(meta, "name")), x->configmap))
                cm = docs[k];
        }
        if (!cm) {
            cm = ru_object("v1", "ConfigMap", x->configmap, p, NULL);
            ru_obj(cm, "data");
            docs[(*n)++] = cm;
        }
        cJSON *d = cJSON_GetObjectItem(cm, "data");
        if (cJSON_GetObjectItem(d, x->key)) {
            free(data);
            return error_set(err, ERR_INVALID, 0,
                             "extra_files[%zu]: ConfigMap %s already has a key %s", i, x->configmap,
                             x->key);
        }
        ru_str(d, x->key, data);
        free(data);
    }
    return 0;
}

static int render_configmaps(const struct profile *p, struct rendered *out, struct error *err)
{
    size_t cap = 3 + p->n_extra_files, n = 0;
    cJSON **docs = xcalloc(cap, sizeof(*docs));
    docs[n++] = api_config(p);
    docs[n++] = daemon_config(p);
    if (p->method == METHOD_MANIFESTS) {
        char *name = ru_name(p, RU_SQUID_CONFIG);
        cJSON *sq = ru_object("v1", "ConfigMap", name, p, "ssrf-proxy");
        free(name);
        ru_str(ru_obj(sq, "data"), "squid.conf", squid_conf);
        docs[n++] = sq;
    }
    int rc = extra_file_configmaps(p, docs, &n, err);
    if (rc == 0)
        rc = ru_add_yaml(out, "manifests/20-configmaps.yaml", 0644, docs, n, err);
    else
        for (size_t i = 0; i < n; i++)
            cJSON_Delete(docs[i]);
    free(docs);
    return rc;
}

/* The migration Job's pod template: `flask db upgrade` straight (seed 003),
 * no Redis lock, failing visibly, with the api's image and environment. */
static cJSON *migration_pod_template(const struct profile *p)
{
    cJSON *tmpl = cJSON_CreateObject();
    cJSON *tl = ru_obj(ru_obj(tmpl, "metadata"), "labels");
    ru_labels(tl, p, "db-migration");
    ru_str(tl, "app.kubernetes.io/component", "db-migration");
    ru_str(tl, "app", "dify");
    cJSON *pod = ru_obj(tmpl, "spec");
    ru_str(pod, "restartPolicy", "Never");
    ru_bool(pod, "enableServiceLinks", false);
    if (ru_irsa(p))
        ru_str(pod, "serviceAccountName", RU_API_SA);
    cJSON *c = cJSON_CreateObject();
    cJSON_AddItemToArray(ru_arr(pod, "containers"), c);
    ru_str(c, "name", "migrate");
    /* The api's own image and tag (ru_image): the schema must be the one the
     * api it migrates for expects. */
    char *image = ru_image(p, COMP_API);
    ru_str(c, "image", image);
    free(image);
    ru_str(c, "workingDir", "/app/api");
    cJSON *cmd = ru_arr(c, "command");
    ru_push_str(cmd, "flask");
    ru_push_str(cmd, "db");
    ru_push_str(cmd, "upgrade");
    render_app_env_from(p, c);
    ru_resources(c, &p->comp[COMP_API].res);
    return tmpl;
}

/* The migration Job. A Job's pod template is immutable, so the Job is named
 * per revision: <release>-db-migrate-<10 hex of the SHA-256 of its pod
 * template> (image included). An unchanged install re-applies the same
 * object; a new image is a new Job, and finished ones expire after
 * ttlSecondsAfterFinished. A runner finds it by the labels
 * app.kubernetes.io/instance=<release>,app.kubernetes.io/component=db-migration. */
/* The databases the install needs beside the main one (created by
 * Terraform or the operator): the plugin daemon's and, for enterprise, the
 * enterprise and audit services' (upstream creates the same three). */
size_t render_databases(const struct profile *p, const char *names[3])
{
    size_t n = 0;
    names[n++] = p->db.plugin_db;
    if (p->edition == EDITION_ENTERPRISE) {
        names[n++] = RU_EE_DB_ENTERPRISE;
        names[n++] = RU_EE_DB_AUDIT;
    }
    return n;
}

/* psql creates each database named in its arguments unless it exists;
 * names arrive as arguments, never inside the script text (they are
 * validated PostgreSQL identifiers all the same). */
static const char create_db_script[] =
    "set -eu\n"
    "for db in \"$@\"; do\n"
    "  if [ \"$(psql -tAc \"SELECT 1 FROM pg_database WHERE datname = '$db'\")\" = 1 ]; then\n"
    "    echo \"database $db exists\"\n"
    "  else\n"
    "    psql -v ON_ERROR_STOP=1 -c \"CREATE DATABASE \\\"$db\\\"\"\n"
    "    echo \"database $db created\"\n"
    "  fi\n"
    "done\n";

static void env_config_key(const struct profile *p, cJSON *env, const char *name, const char *key)
{
    cJSON *e = cJSON_CreateObject();
    ru_str(e, "name", name);
    cJSON *ref = ru_obj(ru_obj(e, "valueFrom"), "configMapKeyRef");
    char *cm = ru_name(p, RU_CONFIG);
    ru_str(ref, "name", cm);
    free(cm);
    ru_str(ref, "key", key);
    cJSON_AddItemToArray(env, e);
}

static cJSON *databases_pod_template(const struct profile *p)
{
    cJSON *tmpl = cJSON_CreateObject();
    cJSON *tl = ru_obj(ru_obj(tmpl, "metadata"), "labels");
    ru_labels(tl, p, "db-create");
    ru_str(tl, "app.kubernetes.io/component", "db-create");
    cJSON *pod = ru_obj(tmpl, "spec");
    ru_str(pod, "restartPolicy", "Never");
    ru_bool(pod, "enableServiceLinks", false);
    cJSON *c = cJSON_CreateObject();
    cJSON_AddItemToArray(ru_arr(pod, "containers"), c);
    ru_str(c, "name", "create-databases");
    ru_str(c, "image", DIFY_PSQL_IMAGE);
    cJSON *cmd = ru_arr(c, "command");
    ru_push_str(cmd, "sh");
    ru_push_str(cmd, "-c");
    ru_push_str(cmd, create_db_script);
    ru_push_str(cmd, "create-databases");
    const char *names[3];
    size_t n = render_databases(p, names);
    for (size_t i = 0; i < n; i++)
        ru_push_str(cmd, names[i]);
    /* The same connection as the api: host, port and user from its
     * ConfigMap, the password from its Secret; psql's own variables. */
    cJSON *env = ru_arr(c, "env");
    env_config_key(p, env, "PGHOST", "DB_HOST");
    env_config_key(p, env, "PGPORT", "DB_PORT");
    env_config_key(p, env, "PGUSER", "DB_USERNAME");
    ru_env(env, "PGDATABASE", "postgres");
    ru_env(env, "PGSSLMODE", p->db.sslmode);
    char *secret = ru_name(p, RU_SECRETS);
    ru_env_secret(env, "PGPASSWORD", secret, "DB_PASSWORD");
    free(secret);
    struct resources r = {"50m", "64Mi", "200m", "128Mi"};
    ru_resources(c, &r);
    return tmpl;
}

/* A Job named per revision (<release>-<what>-<10 hex of its pod template>),
 * labelled for the runner, expiring after migration.ttl_seconds. */
static cJSON *revision_job(const struct profile *p, const char *what, const char *component,
                           cJSON *tmpl)
{
    char *text = cJSON_PrintUnformatted(tmpl);
    if (!text)
        abort(); /* cJSON fails only on allocation */
    char hex[HASH_HEX_LEN + 1];
    hash_sha256_hex(text, strlen(text), hex);
    free(text);
    char *name = xasprintf("%s-%s-%.10s", p->release, what, hex);
    cJSON *job = ru_object("batch/v1", "Job", name, p, component);
    free(name);
    cJSON *labels = cJSON_GetObjectItem(cJSON_GetObjectItem(job, "metadata"), "labels");
    ru_str(labels, "app.kubernetes.io/component", component);
    cJSON *spec = ru_obj(job, "spec");
    ru_num(spec, "backoffLimit", p->migration.backoff_limit);
    ru_num(spec, "ttlSecondsAfterFinished", p->migration.ttl_seconds);
    cJSON_AddItemToObject(spec, "template", tmpl);
    return job;
}

static int render_databases_job(const struct profile *p, struct rendered *out, struct error *err)
{
    cJSON *job = revision_job(p, "db-create", "db-create", databases_pod_template(p));
    return ru_add_yaml(out, "manifests/28-databases-job.yaml", 0644, &job, 1, err);
}

static int render_migration_job(const struct profile *p, struct rendered *out, struct error *err)
{
    cJSON *job = revision_job(p, "db-migrate", "db-migration", migration_pod_template(p));
    cJSON *labels = cJSON_GetObjectItem(cJSON_GetObjectItem(job, "metadata"), "labels");
    ru_str(labels, "app", "dify"); /* seed 003's selector */
    return ru_add_yaml(out, "manifests/30-migration-job.yaml", 0644, &job, 1, err);
}

struct route {
    const char *path;
    enum component comp;
    int port;
};

static const struct route api_routes[] = {
    {"/console/api", COMP_API, 5001}, {"/api", COMP_API, 5001}, {"/v1", COMP_API, 5001},
    {"/files", COMP_API, 5001},       {"/mcp", COMP_API, 5001}, {"/triggers", COMP_API, 5001},
    {"/e", COMP_PLUGIN_DAEMON, 5002},
};
static const struct route web_routes[] = {
    {"/explore", COMP_WEB, 3000},
    {"/", COMP_WEB, 3000},
};
/* The web host of a split setup still sends console API calls to the api. */
static const struct route split_web_routes[] = {
    {"/console/api", COMP_API, 5001},
    {"/api", COMP_API, 5001},
    {"/explore", COMP_WEB, 3000},
    {"/", COMP_WEB, 3000},
};

static void add_routes(const struct profile *p, cJSON *paths, const struct route *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cJSON *e = cJSON_CreateObject();
        ru_str(e, "path", r[i].path);
        ru_str(e, "pathType", "Prefix");
        cJSON *svc = ru_obj(ru_obj(e, "backend"), "service");
        char *name = ru_name(p, ru_component_label[r[i].comp]);
        ru_str(svc, "name", name);
        free(name);
        ru_num(ru_obj(svc, "port"), "number", r[i].port);
        cJSON_AddItemToArray(paths, e);
    }
}

static cJSON *ingress(const struct profile *p, const char *suffix, const char *host,
                      const struct route *r1, size_t n1, const struct route *r2, size_t n2)
{
    char *name = ru_name(p, suffix);
    cJSON *o = ru_object("networking.k8s.io/v1", "Ingress", name, p, NULL);
    free(name);
    if (ru_alb(p))
        ru_alb_annotations(p, ru_obj(cJSON_GetObjectItem(o, "metadata"), "annotations"));
    cJSON *spec = ru_obj(o, "spec");
    if (!str_empty(p->cluster.ingress_class))
        ru_str(spec, "ingressClassName", p->cluster.ingress_class);
    /* ALB takes its certificate from ACM and ignores spec.tls. */
    if (!ru_alb(p) && !str_empty(p->domains.tls_secret)) {
        cJSON *t = cJSON_CreateObject();
        ru_push_str(ru_arr(t, "hosts"), host);
        ru_str(t, "secretName", p->domains.tls_secret);
        cJSON_AddItemToArray(ru_arr(spec, "tls"), t);
    }
    cJSON *rule = cJSON_CreateObject();
    ru_str(rule, "host", host);
    cJSON *paths = ru_arr(ru_obj(rule, "http"), "paths");
    add_routes(p, paths, r1, n1);
    add_routes(p, paths, r2, n2);
    cJSON_AddItemToArray(ru_arr(spec, "rules"), rule);
    return o;
}

static int render_ingresses(const struct profile *p, struct rendered *out, struct error *err)
{
    cJSON *o;
    if (p->domains.split && !str_empty(p->domains.api_host)) {
        o = ingress(p, "web", p->domains.web_host, split_web_routes, ARRAY_LEN(split_web_routes),
                    NULL, 0);
        if (ru_add_yaml(out, "manifests/40-web-ingress.yaml", 0644, &o, 1, err))
            return -1;
        o = ingress(p, "api", p->domains.api_host, api_routes, ARRAY_LEN(api_routes), NULL, 0);
        return ru_add_yaml(out, "manifests/41-api-ingress.yaml", 0644, &o, 1, err);
    }
    o = ingress(p, "ingress", p->domains.web_host, api_routes, ARRAY_LEN(api_routes), web_routes,
                ARRAY_LEN(web_routes));
    return ru_add_yaml(out, "manifests/40-ingress.yaml", 0644, &o, 1, err);
}

int render_manifests(const struct profile *p, const struct secrets *s, struct rendered *out,
                     struct error *err)
{
    cJSON *ns = ru_object("v1", "Namespace", p->namespace, p, NULL);
    if (ru_add_yaml(out, "manifests/00-namespace.yaml", 0644, &ns, 1, err))
        return -1;
    if (render_secrets(p, s, out, err))
        return -1;
    if (ru_irsa(p) && render_service_accounts(p, out, err))
        return -1;
    if (render_configmaps(p, out, err))
        return -1;
    if (render_databases_job(p, out, err))
        return -1;
    if (p->migration.mode == MIGRATION_JOB && render_migration_job(p, out, err))
        return -1;
    if (p->method != METHOD_MANIFESTS)
        return 0;
    if (render_app(p, out, err))
        return -1;
    return render_ingresses(p, out, err);
}
