# assets/terraform/outputs.tf: what the installer's runner reads with
# `terraform output -json` after apply (names listed in core/tfstack.c), and
# what an operator needs to find the pieces. No output refers to a secret
# variable: the runner has them from the secrets file, and outputs end up in
# the state in clear.

output "cluster_name" {
  description = "EKS cluster name (for aws eks update-kubeconfig)."
  value       = aws_eks_cluster.main.name
}

output "cluster_endpoint" {
  description = "URL of the Kubernetes API server."
  value       = aws_eks_cluster.main.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 PEM of the cluster CA (kubeconfig certificate-authority-data)."
  value       = aws_eks_cluster.main.certificate_authority[0].data
}

output "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster (IRSA)."
  value       = aws_eks_cluster.main.identity[0].oidc[0].issuer
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider for the cluster."
  value       = aws_iam_openid_connect_provider.eks.arn
}

output "region" {
  description = "AWS region of the stack."
  value       = var.region
}

output "aws_account_id" {
  description = "AWS account the stack is in: the @@aws_account_id@@ of the rendered role ARNs and ECR registry host."
  value       = local.account_id
}

output "vpc_id" {
  description = "ID of the VPC (the load balancer controller's vpcId)."
  value       = aws_vpc.main.id
}

output "public_subnet_ids" {
  description = "IDs of the public subnets, one per zone (internet-facing load balancers)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, one per zone (nodes and data services)."
  value       = aws_subnet.private[*].id
}

output "node_security_group_id" {
  description = "The EKS cluster security group the nodes carry; the data services admit it."
  value       = local.node_security_group_id
}

output "lb_controller_role_arn" {
  description = "IAM role of the AWS Load Balancer Controller (ServiceAccount kube-system/aws-load-balancer-controller)."
  value       = aws_iam_role.lb_controller.arn
}

output "ebs_csi_role_arn" {
  description = "IAM role of the EBS CSI driver add-on (kube-system/ebs-csi-controller-sa)."
  value       = aws_iam_role.ebs_csi.arn
}

output "db_endpoint" {
  description = "Aurora writer endpoint (host name, no port)."
  value       = aws_rds_cluster.main.endpoint
}

output "db_reader_endpoint" {
  description = "Aurora reader endpoint (host name): the readers, or the writer when there is none."
  value       = aws_rds_cluster.main.reader_endpoint
}

output "db_security_group_id" {
  description = "Security group of Aurora (5432 from the nodes)."
  value       = aws_security_group.aurora.id
}

output "db_port" {
  description = "Aurora port."
  value       = aws_rds_cluster.main.port
}

output "db_name" {
  description = "Main Dify database."
  value       = aws_rds_cluster.main.database_name
}

output "db_username" {
  description = "Aurora master user."
  value       = aws_rds_cluster.main.master_username
}

output "plugin_daemon_db_name" {
  description = "Plugin daemon database; the installer creates it (libpq) in this cluster."
  value       = var.plugin_daemon_db_name
}

output "redis_endpoint" {
  description = "Redis primary endpoint (host name; TLS and the AUTH token required)."
  value       = aws_elasticache_replication_group.redis.primary_endpoint_address
}

output "redis_port" {
  description = "Redis port."
  value       = aws_elasticache_replication_group.redis.port
}

output "redis_security_group_id" {
  description = "Security group of Redis (6379 from the nodes)."
  value       = aws_security_group.redis.id
}

output "opensearch_endpoint" {
  description = "OpenSearch domain endpoint (host name, HTTPS on 443)."
  value       = aws_opensearch_domain.main.endpoint
}

output "opensearch_security_group_id" {
  description = "Security group of OpenSearch (443 from the nodes)."
  value       = aws_security_group.opensearch.id
}

output "s3_bucket_name" {
  description = "S3 bucket for Dify's files."
  value       = aws_s3_bucket.storage.bucket
}

output "ecr_app_repository_url" {
  description = "URL of the application image repository."
  value       = aws_ecr_repository.app.repository_url
}

output "ecr_plugin_repository_url" {
  description = "URL of the plugin image repository (plugin_connector.imageRepoPrefix)."
  value       = aws_ecr_repository.plugin.repository_url
}

output "role_arn_s3" {
  description = "ARN of DifyEE-Role-<cluster>-s3; empty when irsa_enabled is false."
  value       = local.role_arn_s3
}

output "role_arn_s3_ecr" {
  description = "ARN of DifyEE-Role-<cluster>-s3-ecr; empty when irsa_enabled is false."
  value       = local.role_arn_s3_ecr
}

output "role_arn_ecr_image_pull" {
  description = "ARN of DifyEE-Role-<cluster>-ecr-image-pull; empty when irsa_enabled is false."
  value       = local.role_arn_ecr_image_pull
}

output "service_account_role_arns" {
  description = "ServiceAccount name -> role ARN for the eks.amazonaws.com/role-arn annotations; empty when irsa_enabled is false."
  value       = local.service_account_role_arns
}

output "app_namespace" {
  description = "Namespace the IRSA trust policies admit; the ServiceAccounts must be created there."
  value       = var.app_namespace
}
