/* core/profile.h: the installation profile, the one model of everything a
 * deployment needs. The wizard edits it, the answers file stores it, validation
 * checks it and render turns it into files. Secrets are kept apart, in struct
 * secrets, because they never go into the answers file.
 *
 * Every scalar setting is described once in profile_fields[] (path, type,
 * offset, label, help): the answers file, the wizard's forms and validation's
 * "jump to field" all work from that table instead of repeating the list. */
#ifndef CORE_PROFILE_H
#define CORE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#define PROFILE_VERSION 1

enum edition { EDITION_COMMUNITY, EDITION_ENTERPRISE };
enum target { TARGET_EKS, TARGET_EXISTING };
enum method { METHOD_HELM, METHOD_MANIFESTS };
enum size_preset { SIZE_TEST, SIZE_PROD };
enum storage_kind { STORAGE_S3, STORAGE_LOCAL };
enum s3_auth { S3_AUTH_IRSA, S3_AUTH_KEYS };
enum vector_kind {
    VECTOR_OPENSEARCH,
    VECTOR_MILVUS,
    VECTOR_PGVECTOR,
    VECTOR_QDRANT,
    VECTOR_WEAVIATE
};
/* How Dify logs in to a database or Redis the user runs (existing cluster). */
enum store_auth {
    AUTH_PASSWORD, /* with the password in the secrets file */
    AUTH_NONE      /* the server asks for no password */
};
enum migration_mode {
    MIGRATION_JOB, /* a Job runs `flask db upgrade`; the api has MIGRATION_ENABLED=false */
    MIGRATION_API, /* the api container migrates at start (MIGRATION_ENABLED=true) */
    MIGRATION_NONE /* the operator migrates by hand */
};

/* The Dify workloads the installer sizes, in display order. */
enum component {
    COMP_API,
    COMP_WORKER,
    COMP_BEAT,
    COMP_WEB,
    COMP_SANDBOX,
    COMP_PLUGIN_DAEMON,
    COMP_SSRF_PROXY,
    COMP__COUNT
};

struct resources {
    char *cpu_request; /* Kubernetes quantities, e.g. "250m" */
    char *mem_request; /* e.g. "512Mi" */
    char *cpu_limit;
    char *mem_limit;
};

struct component_spec {
    int replicas;
    struct resources res;
};

struct strlist {
    char **v;
    size_t n;
};

/* A file mounted from a ConfigMap (seed 004: a custom prompts.py). */
struct extra_file {
    char *source;     /* local path of the file's content */
    char *configmap;  /* ConfigMap name, e.g. "dify-prompts" */
    char *key;        /* key inside the ConfigMap, e.g. "prompts.py" */
    char *mount_path; /* absolute path in the container, mounted with subPath */
    bool api;         /* mount into the api pods */
    bool worker;      /* mount into the worker pods */
};

struct profile {
    int version; /* answers file format version, PROFILE_VERSION */
    enum edition edition;
    enum target target;
    enum method method;
    enum size_preset size;

    char *release;   /* Helm release / name prefix, "dify" */
    char *namespace; /* application namespace, "dify" */
    char *image_tag; /* Dify api/web image tag */

    struct {
        char *repo_url; /* chart repository URL */
        char *chart;    /* chart reference, e.g. "dify/dify" */
        char *version;  /* pinned chart version */
    } helm;

    struct {
        char *region;
        char *cluster_name;
        char *k8s_version;
        char *vpc_cidr;
        struct strlist public_subnets;  /* two CIDRs */
        struct strlist private_subnets; /* two CIDRs */
        char *node_type;
        int node_count;
        int node_min;
        int node_max;
        int node_disk_gb;
        char *s3_bucket;       /* "" = <cluster>-<account id>-<region>, made by Terraform */
        char *ecr_app_repo;    /* "" = <cluster> */
        char *ecr_plugin_repo; /* "" = <cluster>-plugins */
        bool irsa;
        struct strlist admin_principals;    /* IAM ARNs given cluster-admin access entries */
        struct strlist public_access_cidrs; /* who may reach the public API endpoint */
        bool opensearch_service_role;       /* create the OpenSearch service-linked role */
    } aws;

    struct {
        char *kubeconfig;        /* existing cluster: kubeconfig path ("" = default) */
        char *context;           /* existing cluster: context ("" = current) */
        char *storage_class;     /* StorageClass of single-writer volumes ("" = default) */
        char *rwx_storage_class; /* a StorageClass offering ReadWriteMany ("" = none) */
        char *ingress_class;
    } cluster;

    struct {
        char *host; /* "" on EKS: filled from Terraform outputs */
        int port;
        char *name; /* main database, "dify" */
        char *user;
        char *plugin_db;      /* plugin daemon database: one name everywhere */
        enum store_auth auth; /* existing cluster: password or none */
        char *sslmode;        /* libpq's sslmode */
        char *engine_version;
        double acu_min;
        double acu_max;
        int instances;
    } db;

    struct {
        char *host;
        int port;
        bool tls;
        enum store_auth auth; /* existing cluster: password or none */
        char *node_type;
        char *engine_version;
    } redis;

    struct {
        enum vector_kind kind;
        char *host; /* endpoint host or URI; "" on EKS OpenSearch */
        int port;
        char *user;
        char *engine_version;
        char *instance_type;
        int instance_count;
    } vector;

    struct {
        enum storage_kind kind;
        enum s3_auth auth;
        char *bucket;
        char *region;
        char *endpoint; /* "" for AWS S3 */
    } storage;

    struct {
        bool split;                /* separate web and api hosts (seed 002) */
        char *web_host;            /* console/web host, or the one host */
        char *api_host;            /* api host when split */
        char *tls_secret;          /* "" = no TLS */
        char *acm_certificate_arn; /* ingress class alb: the ACM certificate ("" = no TLS) */
        char *enterprise_host;     /* EE dashboard and licence page ("" = enterprise.<web>) */
    } domains;

    struct {
        enum migration_mode mode;
        int backoff_limit;
        int ttl_seconds;
    } migration;

    struct {
        char *max_surge;       /* count or percentage */
        char *max_unavailable; /* count or percentage; "0" for zero downtime */
        int readiness_delay;   /* readinessProbe initialDelaySeconds */
    } rollout;

    struct {
        bool enabled;
        char *host;
        int port;
        char *user;
        char *key_path;
        char *known_hosts;
    } bastion;

    struct component_spec comp[COMP__COUNT];

    struct extra_file *extra_files;
    size_t n_extra_files;
};

/* Secrets: never in the answers file. Loaded from a 0600 file or from the
 * environment (DIFY_SECRET_KEY ...), generated where they can be. */
struct secrets {
    char *secret_key;  /* SECRET_KEY, api/worker/beat */
    char *db_password; /* fixed once chosen: never regenerated */
    char *redis_password;
    char *plugin_daemon_key; /* api PLUGIN_DAEMON_KEY = daemon SERVER_KEY */
    char *inner_api_key;     /* api INNER_API_KEY_FOR_PLUGIN = daemon DIFY_INNER_API_KEY */
    char *sandbox_key;       /* api CODE_EXECUTION_API_KEY = sandbox API_KEY */
    char *init_password;     /* optional first admin password */
    char *s3_access_key;     /* only with S3 keys auth */
    char *s3_secret_key;
    char *vector_password; /* OpenSearch / Milvus / Qdrant credential */
    char *openai_api_key;  /* optional model provider keys */
    char *anthropic_api_key;
    char *enterprise_secret_key;   /* EE enterprise.appSecretKey */
    char *enterprise_admin_salt;   /* EE enterprise.adminAPIsSecretKeySalt */
    char *enterprise_password_key; /* EE enterprise.passwordEncryptionKey: 32 bytes, base64 */
};

enum field_type { FT_STRING, FT_INT, FT_DOUBLE, FT_BOOL, FT_ENUM, FT_STRLIST };

struct profile;

/* One setting: where it lives, how it is typed, how a person sees it, and
 * its rule. The rule is the one the wizard runs as a person leaves the field,
 * that Review lists, and that `validate` and `render` apply (through
 * profile_validate, core/validate.h): there is no second list. */
struct field_desc {
    const char *path; /* dotted answers-file path, "aws.region" */
    enum field_type type;
    size_t offset;                 /* into struct profile */
    const char *const *enum_names; /* FT_ENUM: names by value, NULL-terminated */
    const char *label;             /* short label for forms */
    const char *help;              /* one line of help */
    /* FT_STRING, and each item of an FT_STRLIST: the grammar of the value
     * (core/rules.h), run after valid_safe_text; NULL: safe text only. */
    bool (*rule)(const char *s, char *msg, size_t msgsz);
    bool optional;    /* FT_STRING: "" is allowed (it means "none" or "the default") */
    const char *need; /* FT_STRING: why it may not be empty, said when it is; NULL: the rule's */
    int min, max;     /* FT_INT: the allowed range; max 0: no upper bound */
    /* Whether the field applies to the profile as chosen (target, method,
     * storage kind ...); NULL: always. A field that does not apply is hidden
     * in the wizard and may be empty; a value it holds is still checked. */
    bool (*applies)(const struct profile *p);
};

extern const struct field_desc profile_fields[];
extern const size_t profile_nfields;

/* Secrets are described the same way, offsets into struct secrets. */
struct secret_desc {
    const char *key; /* key in the secrets file, "db_password" */
    const char *env; /* environment override, "DIFY_DB_PASSWORD" */
    size_t offset;   /* into struct secrets */
    const char *label;
    bool generate; /* may be generated when missing (see secret_generated) */
    int gen_bytes; /* random bytes for generation; with alnum, characters */
    bool alnum;    /* generated as letters and digits only (an ElastiCache AUTH token) */
};

extern const struct secret_desc secret_fields[];
extern const size_t secret_nfields;
/* Whether the profile uses the secret at all (the enterprise service's keys
 * only on the enterprise edition): others are neither asked nor generated. */
bool secret_applies(const struct profile *p, const struct secret_desc *d);
const struct secret_desc *secret_field_find(const char *key); /* "db_password", or NULL */
/* Whether a missing secret is generated for this profile (p NULL: every one
 * marked generate). Keys only Dify's own pods share are always generated;
 * the database and Redis passwords only where this installer creates the
 * service (the EKS stack). On an existing cluster those services are the
 * user's, and a password they did not give is never invented. */
bool secret_generated(const struct profile *p, const struct secret_desc *d);
/* Whether the profile cannot do without the secret and nothing will
 * generate it: the existing database's and Redis's passwords (unless
 * database.auth / redis.auth is none) and the S3 keys of storage.auth keys. */
bool secret_needed(const struct profile *p, const struct secret_desc *d);

extern const char *const edition_names[];    /* "community", "enterprise" */
extern const char *const target_names[];     /* "eks", "existing" */
extern const char *const method_names[];     /* "helm", "manifests" */
extern const char *const size_names[];       /* "test", "prod" */
extern const char *const storage_names[];    /* "s3", "local" */
extern const char *const s3_auth_names[];    /* "irsa", "keys" */
extern const char *const vector_names[];     /* "opensearch", "milvus", ... */
extern const char *const migration_names[];  /* "job", "api", "none" */
extern const char *const store_auth_names[]; /* "password", "none" */
extern const char *const component_names[];  /* "api", "worker", ... as in answers */

/* A profile with every default for the given choices (presets applied). */
void profile_init(struct profile *p, enum edition e, enum target t, enum size_preset s);
void profile_done(struct profile *p);
/* Applies a size preset: node type and count, database, cache, search and
 * per-component replicas and resources. Other settings are left alone. */
void profile_apply_size(struct profile *p, enum size_preset s);
/* Re-derives the defaults that depend on edition and target (chart, plugin
 * database name, storage auth) after either changed. */
void profile_apply_edition_target(struct profile *p);

const struct field_desc *profile_field_find(const char *path);
/* f->applies(p), or true when the field always applies. */
bool profile_field_applies(const struct profile *p, const struct field_desc *f);
/* Pointer to the field's storage inside p. */
void *profile_field_ptr(struct profile *p, const struct field_desc *f);
/* Formats the field's value for display or YAML; the caller frees. */
char *profile_field_format(const struct profile *p, const struct field_desc *f);
/* Parses text into the field; returns -1 with a message in msg on bad input. */
int profile_field_parse(struct profile *p, const struct field_desc *f, const char *text, char *msg,
                        size_t msgsz);

int enum_lookup(const char *const *names, const char *s); /* -1 when unknown */

void strlist_add(struct strlist *l, const char *s);
void strlist_clear(struct strlist *l);

void secrets_init(struct secrets *s);
void secrets_done(struct secrets *s); /* wipes values before freeing */
char **secrets_field_ptr(struct secrets *s, const struct secret_desc *d);

/* The x86_64 families an arm64 preset may be swapped to, with a warning. */
bool instance_type_is_arm64(const char *type);

#endif
