/* core/render_util.c: shared builders for the renderers (see render_util.h). */
#include "config.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dify_versions.h"
#include "core/error.h"
#include "core/render.h"
#include "core/render_util.h"
#include "core/util.h"
#include "core/yamlout.h"

const char *const ru_component_label[COMP__COUNT] = {
    "api", "worker", "beat", "web", "sandbox", "plugin-daemon", "ssrf-proxy",
};

cJSON *ru_obj(cJSON *parent, const char *key)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(parent, key, o);
    return o;
}

cJSON *ru_sub(cJSON *parent, const char *key)
{
    cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, key);
    return o ? o : ru_obj(parent, key);
}

cJSON *ru_arr(cJSON *parent, const char *key)
{
    cJSON *a = cJSON_CreateArray();
    cJSON_AddItemToObject(parent, key, a);
    return a;
}

void ru_str(cJSON *o, const char *key, const char *v)
{
    cJSON_AddItemToObject(o, key, cJSON_CreateString(v ? v : ""));
}

void ru_num(cJSON *o, const char *key, double v)
{
    cJSON_AddItemToObject(o, key, cJSON_CreateNumber(v));
}

void ru_bool(cJSON *o, const char *key, bool v)
{
    cJSON_AddItemToObject(o, key, cJSON_CreateBool(v));
}

void ru_int_or_str(cJSON *o, const char *key, const char *v)
{
    bool digits = v && *v;
    for (const char *c = v; digits && *c; c++)
        digits = isdigit((unsigned char)*c) != 0;
    if (digits && strlen(v) < 10)
        ru_num(o, key, atoi(v));
    else
        ru_str(o, key, v);
}

void ru_push_str(cJSON *arr, const char *v)
{
    cJSON_AddItemToArray(arr, cJSON_CreateString(v ? v : ""));
}

char *ru_name(const struct profile *p, const char *suffix)
{
    return xasprintf("%s-%s", p->release, suffix);
}

const char *ru_or(const char *v, const char *placeholder)
{
    return str_empty(v) ? placeholder : v;
}

char *ru_role_arn(const struct profile *p, const char *suffix)
{
    return xasprintf("arn:aws:iam::%s:role/DifyEE-Role-%s-%s", RENDER_PH_ACCOUNT,
                     p->aws.cluster_name, suffix);
}

const struct dify_release *ru_release(const struct profile *p)
{
    enum dify_line line =
        p->edition == EDITION_ENTERPRISE ? DIFY_LINE_ENTERPRISE : DIFY_LINE_COMMUNITY;
    const struct dify_release *r = dify_release_find(p->image_tag);
    if (r && r->line == line)
        return r;
    /* An api tag no release names: the rest of the set follows the chart
     * version (helm method) or the line's default; validation warns. */
    r = dify_release_for_chart(line, p->helm.version);
    return r ? r : dify_release_default(line);
}

const char *ru_daemon_tag(const struct profile *p)
{
    return ru_release(p)->plugin_daemon;
}

const char *ru_sandbox_tag(const struct profile *p)
{
    return ru_release(p)->sandbox;
}

char *ru_image(const struct profile *p, enum component c)
{
    /* Both lines run langgenius/dify-api and dify-web: the EE chart's api is
     * a dify-api build (its values.yaml, image.repository). */
    switch (c) {
    case COMP_API:
    case COMP_WORKER:
    case COMP_BEAT:
        return xasprintf("langgenius/dify-api:%s", p->image_tag);
    case COMP_WEB:
        return xasprintf("langgenius/dify-web:%s", p->image_tag);
    case COMP_SANDBOX:
        return xasprintf("langgenius/dify-sandbox:%s", ru_sandbox_tag(p));
    case COMP_PLUGIN_DAEMON:
        return xasprintf("langgenius/dify-plugin-daemon:%s", ru_daemon_tag(p));
    case COMP_SSRF_PROXY:
    default:
        return xstrdup(DIFY_SQUID_IMAGE);
    }
}

bool ru_alb(const struct profile *p)
{
    return str_eq(p->cluster.ingress_class, "alb");
}

bool ru_tls(const struct profile *p)
{
    /* The AWS Load Balancer Controller terminates TLS with an ACM
     * certificate and ignores a TLS Secret; other controllers read it. */
    return ru_alb(p) ? !str_empty(p->domains.acm_certificate_arn)
                     : !str_empty(p->domains.tls_secret);
}

static const char *ru_scheme(const struct profile *p)
{
    return ru_tls(p) ? "https" : "http";
}

void ru_alb_annotations(const struct profile *p, cJSON *ann)
{
    /* AWS Load Balancer Controller annotations (its docs, "Ingress
     * annotations"); one ALB per release through the group. */
    ru_str(ann, "alb.ingress.kubernetes.io/scheme", "internet-facing");
    ru_str(ann, "alb.ingress.kubernetes.io/target-type", "ip");
    ru_str(ann, "alb.ingress.kubernetes.io/group.name", p->release);
    if (str_empty(p->domains.acm_certificate_arn)) {
        ru_str(ann, "alb.ingress.kubernetes.io/listen-ports", "[{\"HTTP\": 80}]");
        return;
    }
    ru_str(ann, "alb.ingress.kubernetes.io/listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]");
    ru_str(ann, "alb.ingress.kubernetes.io/certificate-arn", p->domains.acm_certificate_arn);
    ru_str(ann, "alb.ingress.kubernetes.io/ssl-redirect", "443");
}

char *ru_enterprise_host(const struct profile *p)
{
    if (!str_empty(p->domains.enterprise_host))
        return xstrdup(p->domains.enterprise_host);
    return xasprintf("enterprise.%s", p->domains.web_host);
}

char *ru_web_url(const struct profile *p)
{
    return xasprintf("%s://%s", ru_scheme(p), p->domains.web_host);
}

char *ru_api_url(const struct profile *p)
{
    const char *host = p->domains.split && !str_empty(p->domains.api_host) ? p->domains.api_host
                                                                           : p->domains.web_host;
    return xasprintf("%s://%s", ru_scheme(p), host);
}

bool ru_irsa(const struct profile *p)
{
    return p->target == TARGET_EKS && p->aws.irsa;
}

const char *ru_db_host(const struct profile *p)
{
    return ru_or(p->db.host, RENDER_PH_DB_HOST);
}

const char *ru_redis_host(const struct profile *p)
{
    return ru_or(p->redis.host, RENDER_PH_REDIS_HOST);
}

const char *ru_vector_host(const struct profile *p)
{
    return ru_or(p->vector.host, RENDER_PH_VECTOR_HOST);
}

void ru_vector_env(const struct profile *p, ru_env_cb put, void *ctx)
{
    char port[16];
    snprintf(port, sizeof(port), "%d", p->vector.port);
    put(ctx, "VECTOR_STORE", vector_names[p->vector.kind]);
    switch (p->vector.kind) {
    case VECTOR_OPENSEARCH:
        put(ctx, "OPENSEARCH_HOST", ru_vector_host(p));
        put(ctx, "OPENSEARCH_PORT", port);
        put(ctx, "OPENSEARCH_SECURE", p->vector.port == 80 ? "false" : "true");
        put(ctx, "OPENSEARCH_VERIFY_CERTS", "true");
        if (str_empty(p->vector.user)) {
            put(ctx, "OPENSEARCH_AUTH_METHOD", "aws_managed_iam");
            put(ctx, "OPENSEARCH_AWS_REGION", p->aws.region);
            put(ctx, "OPENSEARCH_AWS_SERVICE", "es");
        } else {
            put(ctx, "OPENSEARCH_AUTH_METHOD", "basic");
            put(ctx, "OPENSEARCH_USER", p->vector.user);
        }
        break;
    case VECTOR_MILVUS: {
        char *uri = ru_vector_url(p);
        put(ctx, "MILVUS_URI", uri);
        free(uri);
        if (!str_empty(p->vector.user))
            put(ctx, "MILVUS_USER", p->vector.user);
        break;
    }
    case VECTOR_PGVECTOR: {
        /* Vectors in PostgreSQL: the database's own connection unless
         * vector.host names another server (then vector.port and
         * vector.user, falling back to the database user). */
        bool own = !str_empty(p->vector.host);
        char dbport[16];
        snprintf(dbport, sizeof(dbport), "%d", p->db.port);
        put(ctx, "PGVECTOR_HOST", own ? p->vector.host : ru_db_host(p));
        put(ctx, "PGVECTOR_PORT", own ? port : dbport);
        put(ctx, "PGVECTOR_USER", own && !str_empty(p->vector.user) ? p->vector.user : p->db.user);
        put(ctx, "PGVECTOR_DATABASE", p->db.name);
        break;
    }
    case VECTOR_QDRANT: {
        char *url = ru_vector_url(p);
        put(ctx, "QDRANT_URL", url);
        free(url);
        break;
    }
    case VECTOR_WEAVIATE: {
        char *url = ru_vector_url(p);
        put(ctx, "WEAVIATE_ENDPOINT", url);
        free(url);
        break;
    }
    }
}

const char *ru_vector_password(const struct profile *p, const struct secrets *s)
{
    if (!str_empty(s->vector_password))
        return s->vector_password;
    /* pgvector on the database's own server logs in as the database user. */
    if (p->vector.kind == VECTOR_PGVECTOR && str_empty(p->vector.host))
        return s->db_password;
    return NULL;
}

const char *ru_bucket(const struct profile *p)
{
    if (!str_empty(p->storage.bucket) || p->target != TARGET_EKS)
        return p->storage.bucket ? p->storage.bucket : "";
    return ru_or(p->aws.s3_bucket, RENDER_PH_S3_BUCKET);
}

char *ru_vector_url(const struct profile *p)
{
    if (strstr(p->vector.host, "://"))
        return xstrdup(p->vector.host);
    return xasprintf("http://%s:%d", p->vector.host, p->vector.port);
}

const char *ru_vector_secret_key(enum vector_kind k)
{
    switch (k) {
    case VECTOR_OPENSEARCH:
        return "OPENSEARCH_PASSWORD";
    case VECTOR_MILVUS:
        return "MILVUS_PASSWORD";
    case VECTOR_PGVECTOR:
        return "PGVECTOR_PASSWORD";
    case VECTOR_QDRANT:
        return "QDRANT_API_KEY";
    case VECTOR_WEAVIATE:
    default:
        return "WEAVIATE_API_KEY";
    }
}

void ru_api_volume(const struct profile *p, struct ru_volume *v)
{
    bool rwx = !str_empty(p->cluster.rwx_storage_class);
    v->access_mode = rwx ? "ReadWriteMany" : "ReadWriteOnce";
    v->storage_class = rwx ? p->cluster.rwx_storage_class : p->cluster.storage_class;
    v->recreate = false;
}

void ru_daemon_volume(const struct profile *p, struct ru_volume *v)
{
    bool shared =
        p->comp[COMP_PLUGIN_DAEMON].replicas > 1 && !str_empty(p->cluster.rwx_storage_class);
    v->access_mode = shared ? "ReadWriteMany" : "ReadWriteOnce";
    v->storage_class = shared ? p->cluster.rwx_storage_class : p->cluster.storage_class;
    v->recreate = !shared;
}

bool ru_daemon_has_volume(const struct profile *p)
{
    return p->storage.kind == STORAGE_LOCAL;
}

void ru_labels(cJSON *labels, const struct profile *p, const char *component)
{
    ru_str(labels, "app.kubernetes.io/name", "dify");
    ru_str(labels, "app.kubernetes.io/instance", p->release);
    if (component)
        ru_str(labels, "component", component);
}

cJSON *ru_object(const char *api_version, const char *kind, const char *name,
                 const struct profile *p, const char *component)
{
    cJSON *o = cJSON_CreateObject();
    ru_str(o, "apiVersion", api_version);
    ru_str(o, "kind", kind);
    cJSON *meta = ru_obj(o, "metadata");
    ru_str(meta, "name", name);
    if (strcmp(kind, "Namespace") != 0)
        ru_str(meta, "namespace", p->namespace);
    cJSON *labels = ru_obj(meta, "labels");
    ru_labels(labels, p, component);
    ru_str(labels, "app.kubernetes.io/managed-by", "dify-tui");
    return o;
}

void ru_env(cJSON *env, const char *name, const char *value)
{
    cJSON *e = cJSON_CreateObject();
    ru_str(e, "name", name);
    ru_str(e, "value", value);
    cJSON_AddItemToArray(env, e);
}

void ru_env_secret(cJSON *env, const char *name, const char *secret, const char *key)
{
    cJSON *e = cJSON_CreateObject();
    ru_str(e, "name", name);
    cJSON *ref = ru_obj(ru_obj(e, "valueFrom"), "secretKeyRef");
    ru_str(ref, "name", secret);
    ru_str(ref, "key", key);
    cJSON_AddItemToArray(env, e);
}

void ru_resources(cJSON *parent, const struct resources *r)
{
    cJSON *res = ru_obj(parent, "resources");
    cJSON *req = ru_obj(res, "requests");
    ru_str(req, "cpu", r->cpu_request);
    ru_str(req, "memory", r->mem_request);
    cJSON *lim = ru_obj(res, "limits");
    ru_str(lim, "cpu", r->cpu_limit);
    ru_str(lim, "memory", r->mem_limit);
}

void rendered_add(struct rendered *out, const char *name, char *data, size_t len, int mode)
{
    out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
    struct rendered_file *f = &out->v[out->n++];
    f->name = xstrdup(name);
    f->data = data;
    f->len = len;
    f->mode = mode;
}

int ru_add_yaml(struct rendered *out, const char *name, int mode, cJSON **docs, size_t n,
                struct error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = yamlout_emit(docs, n, &text, &len, err);
    for (size_t i = 0; i < n; i++)
        cJSON_Delete(docs[i]);
    if (rc)
        return error_prefix(err, "%s", name);
    rendered_add(out, name, text, len, mode);
    return 0;
}

void ru_add_json(struct rendered *out, const char *name, int mode, cJSON *doc)
{
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text)
        abort(); /* cJSON only fails on allocation */
    char *data = xasprintf("%s\n", text);
    /* cJSON's buffer may hold secrets: wipe before freeing. */
    str_free_secret(text);
    rendered_add(out, name, data, strlen(data), mode);
}

void ru_extra_files(const struct profile *p, bool worker, cJSON *volumes, cJSON *mounts)
{
    for (size_t i = 0; i < p->n_extra_files; i++) {
        const struct extra_file *x = &p->extra_files[i];
        if (!(worker ? x->worker : x->api))
            continue;
        char *vol = xasprintf("extra-%zu", i);
        cJSON *v = cJSON_CreateObject();
        ru_str(v, "name", vol);
        ru_str(ru_obj(v, "configMap"), "name", x->configmap);
        cJSON_AddItemToArray(volumes, v);
        cJSON *m = cJSON_CreateObject();
        ru_str(m, "name", vol);
        ru_str(m, "mountPath", x->mount_path);
        /* subPath mounts one key as one file; such mounts never update in
         * place, so a changed file needs a rollout restart (seed 004). */
        ru_str(m, "subPath", x->key);
        ru_bool(m, "readOnly", true);
        cJSON_AddItemToArray(mounts, m);
        free(vol);
    }
}
