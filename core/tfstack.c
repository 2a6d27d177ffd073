/* core/tfstack.c: the variable and output names of assets/terraform. The
 * order follows variables.tf and outputs.tf so a diff of the lists reads
 * like a diff of the stack. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "core/tfstack.h"

const char *const tfstack_variables[] = {
    "region",
    "cluster_name",
    "environment",
    "edition",
    "kubernetes_version",
    "vpc_cidr",
    "public_subnet_cidrs",
    "private_subnet_cidrs",
    "node_instance_type",
    "node_arch",
    "node_desired_size",
    "node_min_size",
    "node_max_size",
    "node_disk_size_gb",
    "aurora_engine_version",
    "aurora_min_acu",
    "aurora_max_acu",
    "aurora_instance_count",
    "db_name",
    "db_username",
    "plugin_daemon_db_name",
    "redis_engine_version",
    "redis_node_type",
    "opensearch_engine_version",
    "opensearch_instance_type",
    "opensearch_instance_count",
    "s3_bucket_name",
    "ecr_app_repository",
    "ecr_plugin_repository",
    "irsa_enabled",
    "app_namespace",
    "cluster_admin_principals",
    "public_access_cidrs",
    "create_opensearch_service_linked_role",
    "tags",
    NULL,
};

const char *const tfstack_secret_variables[] = {
    "db_password",
    "redis_auth_token",
    NULL,
};

const char *const tfstack_outputs[] = {
    "cluster_name",
    "cluster_endpoint",
    "cluster_certificate_authority_data",
    "oidc_issuer_url",
    "oidc_provider_arn",
    "region",
    "aws_account_id",
    "vpc_id",
    "public_subnet_ids",
    "private_subnet_ids",
    "node_security_group_id",
    "lb_controller_role_arn",
    "ebs_csi_role_arn",
    "db_endpoint",
    "db_reader_endpoint",
    "db_security_group_id",
    "db_port",
    "db_name",
    "db_username",
    "plugin_daemon_db_name",
    "redis_endpoint",
    "redis_port",
    "redis_security_group_id",
    "opensearch_endpoint",
    "opensearch_security_group_id",
    "s3_bucket_name",
    "ecr_app_repository_url",
    "ecr_plugin_repository_url",
    "role_arn_s3",
    "role_arn_s3_ecr",
    "role_arn_ecr_image_pull",
    "service_account_role_arns",
    "app_namespace",
    NULL,
};

static bool in_list(const char *const *list, const char *name)
{
    if (!name)
        return false;
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], name) == 0)
            return true;
    return false;
}

bool tfstack_is_variable(const char *name)
{
    return in_list(tfstack_variables, name) || in_list(tfstack_secret_variables, name);
}

bool tfstack_is_secret_variable(const char *name)
{
    return in_list(tfstack_secret_variables, name);
}

bool tfstack_is_output(const char *name)
{
    return in_list(tfstack_outputs, name);
}
