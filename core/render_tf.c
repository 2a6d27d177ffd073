/* core/render_tf.c: the Terraform variables. Non-secret settings go into
 * terraform.tfvars.json (0644); the database password and the Redis AUTH
 * token into secrets.tfvars.json (0600), passed as a second -var-file.
 * Numbers stay JSON numbers (0.5 ACU is 0.5) and booleans JSON booleans.
 * Empty names (bucket, repositories) stay empty: the stack derives them. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/render.h"
#include "core/render_tf.h"
#include "core/render_util.h"
#include "core/util.h"

static cJSON *tf_strlist(const struct strlist *l)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < l->n; i++)
        ru_push_str(a, l->v[i]);
    return a;
}

int render_tfvars(const struct profile *p, const struct secrets *s, struct rendered *out,
                  struct error *err)
{
    cJSON *j = cJSON_CreateObject();
    ru_str(j, "region", p->aws.region);
    ru_str(j, "cluster_name", p->aws.cluster_name);
    ru_str(j, "environment", p->size == SIZE_PROD ? "prod" : "test");
    ru_str(j, "edition", edition_names[p->edition]);
    ru_str(j, "kubernetes_version", p->aws.k8s_version);
    ru_str(j, "vpc_cidr", p->aws.vpc_cidr);
    cJSON_AddItemToObject(j, "public_subnet_cidrs", tf_strlist(&p->aws.public_subnets));
    cJSON_AddItemToObject(j, "private_subnet_cidrs", tf_strlist(&p->aws.private_subnets));
    ru_str(j, "node_instance_type", p->aws.node_type);
    ru_str(j, "node_arch", instance_type_is_arm64(p->aws.node_type) ? "arm64" : "x86_64");
    ru_num(j, "node_desired_size", p->aws.node_count);
    ru_num(j, "node_min_size", p->aws.node_min);
    ru_num(j, "node_max_size", p->aws.node_max);
    ru_num(j, "node_disk_size_gb", p->aws.node_disk_gb);
    ru_str(j, "aurora_engine_version", p->db.engine_version);
    ru_num(j, "aurora_min_acu", p->db.acu_min);
    ru_num(j, "aurora_max_acu", p->db.acu_max);
    ru_num(j, "aurora_instance_count", p->db.instances);
    ru_str(j, "db_name", p->db.name);
    ru_str(j, "db_username", p->db.user);
    ru_str(j, "plugin_daemon_db_name", p->db.plugin_db);
    ru_str(j, "redis_engine_version", p->redis.engine_version);
    ru_str(j, "redis_node_type", p->redis.node_type);
    char *os_version = xasprintf("OpenSearch_%s", p->vector.engine_version);
    ru_str(j, "opensearch_engine_version", os_version);
    free(os_version);
    ru_str(j, "opensearch_instance_type", p->vector.instance_type);
    ru_num(j, "opensearch_instance_count", p->vector.instance_count);
    ru_str(j, "s3_bucket_name", p->aws.s3_bucket);
    ru_str(j, "ecr_app_repository", p->aws.ecr_app_repo);
    ru_str(j, "ecr_plugin_repository", p->aws.ecr_plugin_repo);
    ru_bool(j, "irsa_enabled", p->aws.irsa);
    ru_str(j, "app_namespace", p->namespace);
    cJSON_AddItemToObject(j, "cluster_admin_principals", tf_strlist(&p->aws.admin_principals));
    cJSON_AddItemToObject(j, "public_access_cidrs", tf_strlist(&p->aws.public_access_cidrs));
    ru_bool(j, "create_opensearch_service_linked_role", p->aws.opensearch_service_role);
    cJSON *tags = ru_obj(j, "tags");
    ru_str(tags, "Project", "dify");
    ru_str(tags, "Environment", size_names[p->size]);
    ru_str(tags, "ManagedBy", "dify-tui");
    ru_str(tags, "Cluster", p->aws.cluster_name);
    ru_add_json(out, "terraform.tfvars.json", 0644, j);

    if (str_empty(s->db_password))
        return error_set(err, ERR_INVALID, 0,
                         "secrets: db_password is empty; Terraform needs it for Aurora");
    /* The Redis password the rendered files give Dify is the AUTH token the
     * replication group requires: one secret, both places. */
    if (str_empty(s->redis_password))
        return error_set(err, ERR_INVALID, 0,
                         "secrets: redis_password is empty; Terraform needs it as the Redis "
                         "AUTH token");
    cJSON *sj = cJSON_CreateObject();
    ru_str(sj, "db_password", s->db_password);
    ru_str(sj, "redis_auth_token", s->redis_password);
    ru_add_json(out, "secrets.tfvars.json", 0600, sj);
    return 0;
}
