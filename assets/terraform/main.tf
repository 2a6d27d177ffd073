# assets/terraform/main.tf: names, tags and lookups shared by every file of
# the stack. Test and prod differ only through variables: the few settings
# not in the installer's contract (Redis replicas, OpenSearch disk size,
# backups, what destroy may remove) follow var.environment here, in one place.

data "aws_availability_zones" "available" {
  state = "available"

  # Local Zones and Wavelength Zones cannot host EKS control planes.
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  name    = var.cluster_name
  is_prod = var.environment == "prod"

  # One availability zone per subnet pair: public[i] and private[i] share azs[i].
  azs = slice(data.aws_availability_zones.available.names, 0, length(var.private_subnet_cidrs))

  # PascalCase keys, as the installer renders them: IAM treats tag keys
  # case-insensitively and refuses "environment" next to "Environment".
  tags = merge(
    {
      Project     = "dify"
      Environment = var.environment
      Edition     = var.edition
      Cluster     = var.cluster_name
      ManagedBy   = "dify-tui"
    },
    var.tags,
  )

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # Names left empty take defaults unique to the account, cluster and region:
  # bucket names are global across all of AWS, repository names per account
  # and region. The cluster name is at most 25 characters and the longest
  # region 14, so the bucket name stays within S3's 63.
  s3_bucket_name        = var.s3_bucket_name != "" ? var.s3_bucket_name : "${var.cluster_name}-${local.account_id}-${var.region}"
  ecr_app_repository    = var.ecr_app_repository != "" ? var.ecr_app_repository : var.cluster_name
  ecr_plugin_repository = var.ecr_plugin_repository != "" ? var.ecr_plugin_repository : "${var.cluster_name}-plugins"

  # Settings derived from the environment (see the header comment).
  redis_replicas       = local.is_prod ? 2 : 1
  opensearch_volume_gb = local.is_prod ? 100 : 20
  backup_days          = local.is_prod ? 7 : 1
  # Test stacks are thrown away: let destroy remove a non-empty bucket and
  # repositories, the database without a snapshot. Prod keeps its data:
  # Aurora has deletion protection and leaves a final snapshot, Redis leaves
  # a final snapshot, the bucket and repositories must be emptied by hand
  # (docs/terraform.md, "Destroying").
  disposable = !local.is_prod
}
