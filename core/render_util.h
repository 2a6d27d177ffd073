/* core/render_util.h: small builders shared by the renderers: names, labels,
 * object metadata, env entries, resources and the placeholders for values
 * that only exist after `terraform apply`. Internal to core/render*.c. */
#ifndef CORE_RENDER_UTIL_H
#define CORE_RENDER_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/profile.h"

struct cJSON;
struct dify_release;
struct error;
struct rendered;

/* Adds a child object / array under key and returns it. */
struct cJSON *ru_obj(struct cJSON *parent, const char *key);
struct cJSON *ru_arr(struct cJSON *parent, const char *key);
/* The object under key, added when missing (one key, never two). */
struct cJSON *ru_sub(struct cJSON *parent, const char *key);
void ru_str(struct cJSON *o, const char *key, const char *v);
void ru_num(struct cJSON *o, const char *key, double v);
void ru_bool(struct cJSON *o, const char *key, bool v);
/* A Kubernetes IntOrString: all digits -> number, else string ("25%"). */
void ru_int_or_str(struct cJSON *o, const char *key, const char *v);
/* Appends a string to an array. */
void ru_push_str(struct cJSON *arr, const char *v);

/* "<release>-<suffix>"; caller frees. */
char *ru_name(const struct profile *p, const char *suffix);
/* v, or the placeholder when v is empty (EKS endpoints come from Terraform). */
const char *ru_or(const char *v, const char *placeholder);
/* "arn:aws:iam::@@aws_account_id@@:role/DifyEE-Role-<cluster>-<suffix>". */
char *ru_role_arn(const struct profile *p, const char *suffix);
/* The Dify release whose image set is rendered (core/dify_versions.h): the
 * row of image_tag, else the row of the chart version, else the default of
 * the edition's line. Never NULL. */
const struct dify_release *ru_release(const struct profile *p);
const char *ru_daemon_tag(const struct profile *p);
const char *ru_sandbox_tag(const struct profile *p);
/* Image references by component, all from ru_release(); caller frees. */
char *ru_image(const struct profile *p, enum component c);
/* Public URLs: the web (console) origin and the api origin. */
char *ru_web_url(const struct profile *p);
char *ru_api_url(const struct profile *p);
/* The ingress is the AWS Load Balancer Controller's (class "alb"). */
bool ru_alb(const struct profile *p);
/* Whether the public URLs are https: an ACM certificate on alb, a TLS
 * Secret on any other class. */
bool ru_tls(const struct profile *p);
/* The ALB annotations: internet-facing, target-type ip, one group per
 * release, and with an ACM certificate HTTPS on 443 with a redirect. */
void ru_alb_annotations(const struct profile *p, struct cJSON *ann);
/* The EE dashboard and licence page host; caller frees. */
char *ru_enterprise_host(const struct profile *p);
/* Whether IRSA ServiceAccounts are used (EKS target with irsa on). */
bool ru_irsa(const struct profile *p);
/* Effective database / redis / vector hosts (placeholder when empty). */
const char *ru_db_host(const struct profile *p);
const char *ru_redis_host(const struct profile *p);
const char *ru_vector_host(const struct profile *p);
/* Dify's S3 bucket: storage.bucket, or on EKS the bucket Terraform creates
 * (aws.s3_bucket, or its placeholder when Terraform derives the name). */
const char *ru_bucket(const struct profile *p);
/* The URL of a Milvus, Qdrant or Weaviate store: vector.host as given when
 * it has a scheme, else http://host:port; caller frees. */
char *ru_vector_url(const struct profile *p);
/* The vector store's settings as env (name, value) pairs, for the
 * manifests' ConfigMap and the community chart's extraEnv alike. pgvector
 * uses the database's connection unless vector.host is set. */
typedef void (*ru_env_cb)(void *ctx, const char *name, const char *value);
void ru_vector_env(const struct profile *p, ru_env_cb put, void *ctx);
/* The vector store's password or API key, NULL when there is none. */
const char *ru_vector_password(const struct profile *p, const struct secrets *s);
/* The env name (and Secret key) of the vector store's password or API key. */
const char *ru_vector_secret_key(enum vector_kind k);

/* Label names shared with the Boris chart, so one dashboard selector works
 * for both methods: app.kubernetes.io/name=dify, .../instance=<release>,
 * component=<component>. */
void ru_labels(struct cJSON *labels, const struct profile *p, const char *component);
/* {apiVersion, kind, metadata{name, namespace, labels}}; component may be NULL. */
struct cJSON *ru_object(const char *api_version, const char *kind, const char *name,
                        const struct profile *p, const char *component);
/* {name, value} and {name, valueFrom.secretKeyRef} env entries. */
void ru_env(struct cJSON *env, const char *name, const char *value);
void ru_env_secret(struct cJSON *env, const char *name, const char *secret, const char *key);
/* resources: {requests{cpu,memory}, limits{cpu,memory}} under parent. */
void ru_resources(struct cJSON *parent, const struct resources *r);

/* Emits docs as YAML into out as file name with mode; frees the docs. */
int ru_add_yaml(struct rendered *out, const char *name, int mode, struct cJSON **docs, size_t n,
                struct error *err);
/* Prints a JSON document (tab-indented by cJSON) into out; frees it. */
void ru_add_json(struct rendered *out, const char *name, int mode, struct cJSON *doc);
/* Appends a file to the set, taking ownership of data. */
void rendered_add(struct rendered *out, const char *name, char *data, size_t len, int mode);

/* Object-name suffixes of the shared configuration (after "<release>-"). */
#define RU_CONFIG "config"                        /* ConfigMap: api/worker/beat/job env */
#define RU_SECRETS "secrets"                      /* Secret: api/worker/beat/job env */
#define RU_DAEMON_CONFIG "plugin-daemon-config"   /* ConfigMap: plugin daemon env */
#define RU_DAEMON_SECRETS "plugin-daemon-secrets" /* Secret: plugin daemon env */
#define RU_SANDBOX_SECRETS "sandbox-secrets"      /* Secret: sandbox API_KEY */
#define RU_SQUID_CONFIG "ssrf-proxy-config"       /* ConfigMap: squid.conf */
#define RU_API_SA "dify-api-sa"                   /* IRSA ServiceAccount of api/worker */

/* The EE enterprise and audit services' databases (the upstream defaults,
 * langgenius/dify-ee-terraform-aws scripts/5_create_databases.sh). */
#define RU_EE_DB_ENTERPRISE "enterprise"
#define RU_EE_DB_AUDIT "audit"

/* Adds the extra-file volumes and mounts (ConfigMap + subPath) that go to
 * the api (worker=false) or the worker (worker=true); volumes/mounts are arrays. */
void ru_extra_files(const struct profile *p, bool worker, struct cJSON *volumes,
                    struct cJSON *mounts);

/* A volume's claim: access mode and StorageClass ("" = the cluster's
 * default). The api's uploads volume is shared by every api and worker pod,
 * so it asks for ReadWriteMany, and only from cluster.rwx_storage_class;
 * without one it is ReadWriteOnce and those pods must share a node
 * (validation warns). The plugin daemon's volume has one writer: ReadWriteOnce
 * with a Recreate rollout (a RollingUpdate's new pod on another node would wait
 * forever for the volume the old pod holds), unless it has more replicas and
 * an RWX class. */
struct ru_volume {
    const char *access_mode;   /* "ReadWriteOnce" or "ReadWriteMany" */
    const char *storage_class; /* "" = the default class */
    bool recreate;             /* the Deployment must roll with Recreate */
};
void ru_api_volume(const struct profile *p, struct ru_volume *v);
void ru_daemon_volume(const struct profile *p, struct ru_volume *v);
/* Whether the plugin daemon keeps its packages on a volume (local storage). */
bool ru_daemon_has_volume(const struct profile *p);

/* The component's label value and object-name suffix: "plugin-daemon". */
extern const char *const ru_component_label[COMP__COUNT];

#endif
