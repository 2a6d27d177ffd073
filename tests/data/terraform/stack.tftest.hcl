# tests/data/terraform/stack.tftest.hcl: `terraform test` of assets/terraform
# with a mocked AWS provider (no account, no network): the test preset from
# tests/data/terraform/test (given with -var-file), the prod preset and what
# protects its data, the names derived per account and cluster, Redis AUTH,
# the cluster add-ons and their IRSA roles, the ECR prefix policies, cluster
# access (admins, allowed CIDRs), IRSA on and off, and the preconditions and
# validations that refuse a bad combination. Run by tests/terraform_validate.sh
# when the hashicorp/aws provider can be installed.

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = { names = ["us-west-2a", "us-west-2b", "us-west-2c"] }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::123456789012:policy/mock" }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/MOCK" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock-bucket" }
  }
  mock_resource "aws_ecr_repository" {
    defaults = { arn = "arn:aws:ecr:us-west-2:123456789012:repository/mock" }
  }
  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0" }
  }
  mock_resource "aws_eks_cluster" {
    defaults = {
      identity              = [{ oidc = [{ issuer = "https://oidc.eks.us-west-2.amazonaws.com/id/MOCK" }] }]
      vpc_config            = { cluster_security_group_id = "sg-0123456789abcdef0" }
      certificate_authority = [{ data = "TU9DSw==" }]
    }
  }
}

# The test preset (tests/data/terraform/test, given with -var-file).
run "test_preset" {
  assert {
    condition     = aws_eks_cluster.main.version == "1.33" && aws_eks_cluster.main.upgrade_policy[0].support_type == "STANDARD" && aws_eks_node_group.main.ami_type == "AL2023_ARM_64_STANDARD" && aws_eks_node_group.main.instance_types == tolist(["m7g.xlarge"])
    error_message = "test nodes: EKS 1.33 in standard support only, Graviton m7g.xlarge with the AL2023 ARM AMI"
  }
  assert {
    condition     = aws_eks_node_group.main.scaling_config[0].desired_size == 1 && aws_eks_node_group.main.scaling_config[0].min_size == 1 && aws_eks_node_group.main.scaling_config[0].max_size == 2
    error_message = "test node group is 1 (1..2)"
  }
  assert {
    condition     = length(aws_nat_gateway.main) == 2 && length(aws_eip.nat) == 2 && length(aws_subnet.private) == 2 && aws_subnet.private[0].availability_zone != aws_subnet.private[1].availability_zone
    error_message = "two zones, a NAT gateway and EIP per public subnet"
  }
  assert {
    condition     = aws_rds_cluster.main.engine == "aurora-postgresql" && aws_rds_cluster.main.engine_mode == "provisioned" && aws_rds_cluster.main.serverlessv2_scaling_configuration[0].min_capacity == 0.5 && aws_rds_cluster.main.serverlessv2_scaling_configuration[0].max_capacity == 4 && length(aws_rds_cluster_instance.main) == 1 && aws_rds_cluster_instance.main[0].instance_class == "db.serverless"
    error_message = "Aurora Serverless v2: 0.5-4 ACU, one db.serverless instance"
  }
  assert {
    condition     = aws_rds_cluster.main.database_name == "dify" && aws_rds_cluster.main.skip_final_snapshot
    error_message = "database dify; a test database is dropped without snapshot"
  }
  assert {
    condition     = aws_elasticache_replication_group.redis.num_cache_clusters == 1 && aws_elasticache_replication_group.redis.transit_encryption_enabled && aws_elasticache_replication_group.redis.parameter_group_name == "default.redis7"
    error_message = "test Redis: one node, TLS, redis7 parameters"
  }
  assert {
    condition     = aws_opensearch_domain.main.engine_version == "OpenSearch_2.19" && !aws_opensearch_domain.main.cluster_config[0].zone_awareness_enabled && !aws_opensearch_domain.main.cluster_config[0].dedicated_master_enabled && length(aws_opensearch_domain.main.vpc_options[0].subnet_ids) == 1
    error_message = "test OpenSearch: one node in one subnet, no dedicated masters"
  }
  assert {
    condition     = aws_s3_bucket.storage.force_destroy && aws_ecr_repository.app.force_delete && aws_ecr_repository.app.image_scanning_configuration[0].scan_on_push && aws_ecr_repository.plugin.image_scanning_configuration[0].scan_on_push
    error_message = "test storage is disposable; ECR scans on push"
  }
  assert {
    condition     = jsondecode(aws_ecr_lifecycle_policy.app.policy).rules[0].selection.countNumber == 10 && jsondecode(aws_ecr_lifecycle_policy.plugin.policy).rules[0].selection.countNumber == 20
    error_message = "ECR keeps 10 app images and 20 plugin images"
  }
  assert {
    condition     = aws_iam_role.dify_ee_s3[0].name == "DifyEE-Role-dify-test-s3" && aws_iam_role.dify_ee_s3_ecr[0].name == "DifyEE-Role-dify-test-s3-ecr" && aws_iam_role.dify_ee_ecr_image_pull[0].name == "DifyEE-Role-dify-test-ecr-image-pull"
    error_message = "role names follow seed 000"
  }
  assert {
    condition     = aws_iam_policy.dify_ee_s3[0].name == "dify-ee-irsa-dify-test-s3-policy" && aws_iam_policy.dify_ee_ecr[0].name == "dify-ee-irsa-dify-test-ecr-policy" && aws_iam_policy.dify_ee_ecr_pull_only[0].name == "dify-ee-irsa-dify-test-ecr-pull-only-policy"
    error_message = "policy names follow seed 000"
  }
  assert {
    condition     = jsondecode(aws_iam_role.dify_ee_s3[0].assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.us-west-2.amazonaws.com/id/MOCK:sub"] == ["system:serviceaccount:dify:dify-api-sa", "system:serviceaccount:dify:dify-plugin-connector-sa"]
    error_message = "s3 role trusts dify-api-sa and dify-plugin-connector-sa in the app namespace"
  }
  assert {
    condition     = jsondecode(aws_iam_role.dify_ee_s3_ecr[0].assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.us-west-2.amazonaws.com/id/MOCK:sub"] == ["system:serviceaccount:dify:dify-plugin-crd-sa", "system:serviceaccount:dify:dify-plugin-build-sa"]
    error_message = "s3-ecr role trusts dify-plugin-crd-sa and dify-plugin-build-sa"
  }
  assert {
    condition     = jsondecode(aws_iam_role.dify_ee_ecr_image_pull[0].assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.us-west-2.amazonaws.com/id/MOCK:sub"] == ["system:serviceaccount:dify:dify-plugin-runner-sa", "system:serviceaccount:dify:dify-plugin-build-run-sa"]
    error_message = "ecr-image-pull role trusts dify-plugin-runner-sa and dify-plugin-build-run-sa"
  }
  assert {
    condition     = alltrue([for r in [aws_iam_role.dify_ee_s3[0], aws_iam_role.dify_ee_s3_ecr[0], aws_iam_role.dify_ee_ecr_image_pull[0]] : jsondecode(r.assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.us-west-2.amazonaws.com/id/MOCK:aud"] == "sts.amazonaws.com"])
    error_message = "every trust requires the audience sts.amazonaws.com"
  }
  assert {
    condition     = length(output.service_account_role_arns) == 6 && output.service_account_role_arns["dify-plugin-build-run-sa"] == output.role_arn_ecr_image_pull && output.service_account_role_arns["dify-api-sa"] == output.role_arn_s3 && output.role_arn_s3 != ""
    error_message = "service_account_role_arns maps the six ServiceAccounts to their roles"
  }
  assert {
    condition     = output.plugin_daemon_db_name == "dify_plugin_daemon" && output.db_name == "dify" && output.db_username == "dify" && output.app_namespace == "dify" && output.region == "us-west-2"
    error_message = "outputs carry what the installer's libpq step and manifests need"
  }
  assert {
    condition     = aws_iam_openid_connect_provider.eks.client_id_list == toset(["sts.amazonaws.com"])
    error_message = "the OIDC provider's client id is sts.amazonaws.com"
  }
  assert {
    condition     = aws_s3_bucket.storage.bucket == "dify-test-123456789012-us-west-2" && aws_ecr_repository.app.name == "dify-test" && aws_ecr_repository.plugin.name == "dify-test-plugins" && output.s3_bucket_name == aws_s3_bucket.storage.bucket
    error_message = "empty names derive from the cluster, account and region"
  }
  assert {
    condition     = aws_elasticache_replication_group.redis.transit_encryption_enabled && aws_elasticache_replication_group.redis.auth_token == var.redis_auth_token && aws_elasticache_replication_group.redis.final_snapshot_identifier == null
    error_message = "Redis requires the AUTH token over TLS; a test cache leaves no final snapshot"
  }
  assert {
    condition     = !aws_rds_cluster.main.deletion_protection
    error_message = "a test database can be destroyed"
  }
  assert {
    condition     = length(aws_iam_service_linked_role.opensearch) == 1 && aws_iam_service_linked_role.opensearch[0].aws_service_name == "opensearchservice.amazonaws.com"
    error_message = "the OpenSearch service-linked role is created when asked"
  }
  assert {
    condition     = aws_eks_addon.ebs_csi.addon_name == "aws-ebs-csi-driver" && aws_eks_addon.ebs_csi.service_account_role_arn == aws_iam_role.ebs_csi.arn && jsondecode(aws_eks_addon.ebs_csi.configuration_values).defaultStorageClass.enabled
    error_message = "the EBS CSI add-on runs with its IRSA role and makes a default StorageClass"
  }
  assert {
    condition     = aws_iam_role_policy_attachment.ebs_csi.policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy" && jsondecode(aws_iam_role.ebs_csi.assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.us-west-2.amazonaws.com/id/MOCK:sub"] == "system:serviceaccount:kube-system:ebs-csi-controller-sa"
    error_message = "the EBS CSI role has AWS's managed driver policy and trusts kube-system/ebs-csi-controller-sa"
  }
  assert {
    condition     = aws_iam_role.lb_controller.name == "dify-test-lb-controller" && jsondecode(aws_iam_role.lb_controller.assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.us-west-2.amazonaws.com/id/MOCK:sub"] == "system:serviceaccount:kube-system:aws-load-balancer-controller" && jsondecode(aws_iam_role.lb_controller.assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.us-west-2.amazonaws.com/id/MOCK:aud"] == "sts.amazonaws.com"
    error_message = "the load balancer controller's role trusts kube-system/aws-load-balancer-controller"
  }
  assert {
    # The controller's docs/install/iam_policy.json of v3.5.0, compact and
    # with sorted keys (Python: json.dumps(sort_keys=True,
    # separators=(",", ":"))), hashes to this; jsonencode writes the same form.
    condition     = sha256(aws_iam_policy.lb_controller.policy) == "bb9e48240ace4258c78d152ce98175ee6a118f0715faad4ff5a3e394c9d66171" && aws_iam_role_policy_attachment.lb_controller.role == aws_iam_role.lb_controller.name
    error_message = "the load balancer controller has exactly its documented policy (v3.5.0)"
  }
  assert {
    condition     = output.lb_controller_role_arn == aws_iam_role.lb_controller.arn && output.ebs_csi_role_arn == aws_iam_role.ebs_csi.arn && output.aws_account_id == "123456789012"
    error_message = "outputs: the add-on roles and the account id"
  }
  assert {
    condition     = output.vpc_id == aws_vpc.main.id && length(output.private_subnet_ids) == 2 && length(output.public_subnet_ids) == 2 && output.node_security_group_id == "sg-0123456789abcdef0" && output.db_security_group_id == aws_security_group.aurora.id && output.redis_security_group_id == aws_security_group.redis.id && output.opensearch_security_group_id == aws_security_group.opensearch.id && output.db_reader_endpoint == aws_rds_cluster.main.reader_endpoint
    error_message = "outputs: the VPC, subnets, security groups and the reader endpoint"
  }
  assert {
    condition     = jsondecode(aws_iam_policy.dify_ee_ecr[0].policy).Statement[1].Resource == ["arn:aws:ecr:us-west-2:123456789012:repository/mock", "arn:aws:ecr:us-west-2:123456789012:repository/mock/*"] && contains(jsondecode(aws_iam_policy.dify_ee_ecr[0].policy).Statement[1].Action, "ecr:CreateRepository") && contains(jsondecode(aws_iam_policy.dify_ee_ecr[0].policy).Statement[1].Action, "ecr:PutImage")
    error_message = "plugin builds may create and push to the plugin repository and the repositories under it"
  }
  assert {
    condition     = jsondecode(aws_iam_policy.dify_ee_ecr_pull_only[0].policy).Statement[1].Resource == jsondecode(aws_iam_policy.dify_ee_ecr[0].policy).Statement[1].Resource && !contains(jsondecode(aws_iam_policy.dify_ee_ecr_pull_only[0].policy).Statement[1].Action, "ecr:PutImage")
    error_message = "plugin runners pull from the same repositories and push nowhere"
  }
  assert {
    condition     = aws_eks_cluster.main.vpc_config[0].public_access_cidrs == toset(["0.0.0.0/0"]) && length(aws_eks_access_entry.admin) == 0
    error_message = "by default the public endpoint is open and only the creator is admin"
  }
}

run "prod_preset" {
  variables {
    cluster_name              = "dify-prod"
    environment               = "prod"
    s3_bucket_name            = "dify-prod-files"
    ecr_plugin_repository     = "dify-prod/plugins"
    node_instance_type        = "m7g.2xlarge"
    node_desired_size         = 6
    node_min_size             = 6
    node_max_size             = 10
    aurora_min_acu            = 1
    aurora_max_acu            = 8
    aurora_instance_count     = 2
    redis_node_type           = "cache.t4g.small"
    opensearch_instance_type  = "m6g.4xlarge.search"
    opensearch_instance_count = 2
  }
  assert {
    condition     = aws_eks_node_group.main.scaling_config[0].desired_size == 6 && length(aws_rds_cluster_instance.main) == 2 && aws_rds_cluster.main.serverlessv2_scaling_configuration[0].max_capacity == 8
    error_message = "prod: 6 nodes, two Aurora instances up to 8 ACU"
  }
  assert {
    condition     = aws_elasticache_replication_group.redis.num_cache_clusters == 2 && aws_elasticache_replication_group.redis.automatic_failover_enabled
    error_message = "prod Redis has a replica and fails over"
  }
  assert {
    condition     = aws_opensearch_domain.main.cluster_config[0].instance_count == 2 && aws_opensearch_domain.main.cluster_config[0].zone_awareness_enabled && aws_opensearch_domain.main.cluster_config[0].zone_awareness_config[0].availability_zone_count == 2 && length(aws_opensearch_domain.main.vpc_options[0].subnet_ids) == 2
    error_message = "prod OpenSearch: 2 data nodes spread over both zones"
  }
  assert {
    condition     = aws_opensearch_domain.main.cluster_config[0].dedicated_master_enabled && aws_opensearch_domain.main.cluster_config[0].dedicated_master_count == 3 && aws_opensearch_domain.main.cluster_config[0].dedicated_master_type == "m6g.large.search"
    error_message = "a zone-aware OpenSearch domain has three dedicated masters"
  }
  assert {
    condition     = !aws_s3_bucket.storage.force_destroy && !aws_ecr_repository.plugin.force_delete && !aws_rds_cluster.main.skip_final_snapshot && aws_rds_cluster.main.final_snapshot_identifier == "dify-prod-aurora-final"
    error_message = "prod keeps its data on destroy"
  }
  assert {
    condition     = aws_rds_cluster.main.deletion_protection && aws_elasticache_replication_group.redis.final_snapshot_identifier == "dify-prod-redis-final" && aws_elasticache_replication_group.redis.snapshot_retention_limit == 1
    error_message = "prod Aurora has deletion protection; prod Redis keeps snapshots and a final one"
  }
  assert {
    condition     = aws_s3_bucket.storage.bucket == "dify-prod-files" && aws_ecr_repository.app.name == "dify-prod" && aws_ecr_repository.plugin.name == "dify-prod/plugins"
    error_message = "given names are used as they are; the empty app repository derives from the cluster"
  }
}

run "cluster_access" {
  command = plan
  variables {
    cluster_admin_principals = ["arn:aws:iam::123456789012:role/PlatformAdmin", "arn:aws:iam::123456789012:user/alice"]
    public_access_cidrs      = ["203.0.113.0/24", "198.51.100.7/32"]
  }
  assert {
    condition     = aws_eks_cluster.main.vpc_config[0].public_access_cidrs == toset(["203.0.113.0/24", "198.51.100.7/32"])
    error_message = "the public endpoint admits only the given blocks"
  }
  assert {
    condition     = length(aws_eks_access_entry.admin) == 2 && aws_eks_access_policy_association.admin["arn:aws:iam::123456789012:user/alice"].policy_arn == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" && aws_eks_access_policy_association.admin["arn:aws:iam::123456789012:role/PlatformAdmin"].access_scope[0].type == "cluster"
    error_message = "each extra principal gets an access entry with cluster-admin over the whole cluster"
  }
}

run "opensearch_role_exists" {
  command = plan
  variables {
    create_opensearch_service_linked_role = false
  }
  assert {
    condition     = length(aws_iam_service_linked_role.opensearch) == 0
    error_message = "an account that has the role is not asked to create it again"
  }
}

run "bad_access_refused" {
  command = plan
  variables {
    cluster_admin_principals = ["alice"]
    public_access_cidrs      = ["203.0.113.1/24"]
  }
  expect_failures = [var.cluster_admin_principals, var.public_access_cidrs]
}

run "short_redis_token_refused" {
  command = plan
  variables {
    redis_auth_token = "too-short"
  }
  expect_failures = [var.redis_auth_token]
}

run "opensearch_odd_count_refused" {
  command = plan
  variables {
    opensearch_instance_count = 3
  }
  expect_failures = [var.opensearch_instance_count]
}

run "irsa_disabled" {
  variables {
    irsa_enabled = false
  }
  assert {
    condition     = length(aws_iam_role.dify_ee_s3) == 0 && length(aws_iam_policy.dify_ee_ecr) == 0 && output.role_arn_s3 == "" && output.role_arn_s3_ecr == "" && output.role_arn_ecr_image_pull == "" && length(output.service_account_role_arns) == 0
    error_message = "no IRSA roles or policies, empty role outputs"
  }
  assert {
    condition     = output.oidc_provider_arn != ""
    error_message = "the OIDC provider exists either way"
  }
}

run "other_namespace" {
  variables {
    app_namespace = "dify-ee"
  }
  assert {
    condition     = contains(jsondecode(aws_iam_role.dify_ee_s3[0].assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.us-west-2.amazonaws.com/id/MOCK:sub"], "system:serviceaccount:dify-ee:dify-api-sa")
    error_message = "trust follows app_namespace"
  }
}

run "x86_nodes" {
  variables {
    node_arch          = "x86_64"
    node_instance_type = "m7a.xlarge"
  }
  assert {
    condition     = aws_eks_node_group.main.ami_type == "AL2023_x86_64_STANDARD"
    error_message = "x86_64 nodes use the AL2023 x86_64 AMI"
  }
}

run "arch_mismatch_refused" {
  command = plan
  variables {
    node_arch = "x86_64"
  }
  expect_failures = [aws_eks_node_group.main]
}

run "node_counts_refused" {
  command = plan
  variables {
    node_min_size = 3
  }
  expect_failures = [aws_eks_node_group.main]
}

run "acu_range_refused" {
  command = plan
  variables {
    aurora_min_acu = 8
    aurora_max_acu = 4
  }
  expect_failures = [aws_rds_cluster.main]
}
