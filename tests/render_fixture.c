/* tests/render_fixture.c: render cases covering test/prod, community/
 * enterprise, EKS/existing cluster and helm/manifests. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "tests/render_fixture.h"

static void add_prompts(struct profile *p, const char *datadir, bool worker)
{
    p->extra_files = xrealloc(p->extra_files, (p->n_extra_files + 1) * sizeof(*p->extra_files));
    struct extra_file *x = &p->extra_files[p->n_extra_files++];
    x->source = path_join(datadir, "prompts.py");
    x->configmap = xstrdup("dify-prompts");
    x->key = xstrdup("prompts.py");
    x->mount_path = xstrdup("/app/api/core/llm_generator/prompts.py");
    x->api = true;
    x->worker = worker;
}

static void ce_eks_helm_test(struct profile *p, const char *datadir)
{
    profile_init(p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
}

static void ee_eks_helm_prod(struct profile *p, const char *datadir)
{
    profile_init(p, EDITION_ENTERPRISE, TARGET_EKS, SIZE_PROD);
    str_replace(&p->aws.cluster_name, "dify-prod");
    str_replace(&p->domains.web_host, "console.example.com");
    str_replace(&p->domains.api_host, "api.example.com");
    p->domains.split = true;
    /* EKS ingress class alb: HTTPS from an ACM certificate, not a Secret.
     * No extra files: the EE chart cannot mount them. */
    str_replace(
        &p->domains.acm_certificate_arn,
        "arn:aws:acm:us-west-2:123456789012:certificate/0d5e5df9-3360-4081-9882-262de32c6f54");
    (void)datadir;
}

static void ce_eks_manifests_prod(struct profile *p, const char *datadir)
{
    profile_init(p, EDITION_COMMUNITY, TARGET_EKS, SIZE_PROD);
    p->method = METHOD_MANIFESTS;
    str_replace(&p->aws.cluster_name, "dify-prod");
    str_replace(&p->aws.node_type, "m7a.2xlarge");
    p->domains.split = true;
    str_replace(&p->domains.web_host, "dify.example.com");
    str_replace(&p->domains.api_host, "dify-api.example.com");
    str_replace(&p->rollout.max_surge, "25%");
    add_prompts(p, datadir, false);
}

static void ce_existing_manifests_test(struct profile *p, const char *datadir)
{
    profile_init(p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    p->method = METHOD_MANIFESTS;
    str_replace(&p->release, "mydify");
    str_replace(&p->namespace, "dify-test");
    str_replace(&p->cluster.storage_class, "local-path");
    str_replace(&p->cluster.rwx_storage_class, "nfs-client");
    str_replace(&p->db.host, "postgres.db.svc");
    str_replace(&p->redis.host, "redis.db.svc");
    p->storage.kind = STORAGE_LOCAL;
    p->vector.kind = VECTOR_WEAVIATE;
    str_replace(&p->vector.host, "weaviate.db.svc");
    p->vector.port = 8080;
    p->migration.mode = MIGRATION_API;
    add_prompts(p, datadir, true);
}

static void ce_existing_helm_prod(struct profile *p, const char *datadir)
{
    profile_init(p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_PROD);
    str_replace(&p->db.host, "dbnode0.example.com");
    str_replace(&p->redis.host, "dbnode0.example.com");
    p->vector.kind = VECTOR_MILVUS;
    str_replace(&p->vector.host, "dbnode0.example.com");
    p->vector.port = 19530;
    str_replace(&p->vector.user, "root");
    str_replace(&p->storage.endpoint, "https://minio.example.com");
    str_replace(&p->domains.tls_secret, "dify-tls");
    add_prompts(p, datadir, false);
}

static void ee_existing_helm_test(struct profile *p, const char *datadir)
{
    profile_init(p, EDITION_ENTERPRISE, TARGET_EXISTING, SIZE_TEST);
    str_replace(&p->db.host, "10.0.0.5");
    str_replace(&p->redis.host, "10.0.0.6");
    str_replace(&p->vector.host, "opensearch.example.com");
    str_replace(&p->vector.user, "admin");
    p->migration.mode = MIGRATION_NONE;
}

const struct render_case render_cases[] = {
    {"ce-eks-helm-test", ce_eks_helm_test},
    {"ee-eks-helm-prod", ee_eks_helm_prod},
    {"ce-eks-manifests-prod", ce_eks_manifests_prod},
    {"ce-existing-manifests-test", ce_existing_manifests_test},
    {"ce-existing-helm-prod", ce_existing_helm_prod},
    {"ee-existing-helm-test", ee_existing_helm_test},
};
const size_t render_ncases = ARRAY_LEN(render_cases);

void render_case_build(const struct render_case *c, const char *datadir, struct profile *p)
{
    c->build(p, datadir);
}

void render_fixture_secrets(struct secrets *s)
{
    secrets_init(s);
    s->secret_key = xstrdup("fixture-SECRET-KEY-7f3a9c1e-0123456789ab");
    s->db_password = xstrdup("fixture-db-pass-4b8d2e6a");
    /* Characters that need escaping in a URL and quoting in YAML. */
    s->redis_password = xstrdup("fixture:redis@pass/9c#1");
    s->plugin_daemon_key = xstrdup("fixture-plugin-daemon-key-5e7f-0123456789");
    s->inner_api_key = xstrdup("fixture-inner-api-key-2a4c-0123456789ab");
    s->sandbox_key = xstrdup("fixture-sandbox-key-8d0b-0123456789abcd");
    s->init_password = xstrdup("fixture-init-pw-3c5e");
    s->s3_access_key = xstrdup("FIXTUREACCESSKEY6F1A");
    s->s3_secret_key = xstrdup("fixture-s3-secret-key-0e2f");
    s->vector_password = xstrdup("fixture-vector-pw-7a9b");
    s->openai_api_key = xstrdup("sk-fixture-openai-1d3f");
    s->anthropic_api_key = xstrdup("sk-ant-fixture-5b7d");
    s->enterprise_secret_key = xstrdup("fixture-enterprise-secret-9e1c-0123456789");
    s->enterprise_admin_salt = xstrdup("fixture-enterprise-salt-4d6f-0123456789");
    /* 43 base64url characters: 32 bytes, rendered in standard base64. */
    s->enterprise_password_key = xstrdup("fixture_enterprise-password-key-0123456789A");
}
