# assets/terraform/irsa.tf: IAM roles for Dify's Kubernetes ServiceAccounts
# (IRSA), named as seed 000 and the EE upgrade guide name them:
#   DifyEE-Role-<cluster>-s3            S3           dify-api-sa (api, worker),
#                                                    dify-plugin-connector-sa
#   DifyEE-Role-<cluster>-s3-ecr        S3 + ECR     dify-plugin-crd-sa,
#                                                    dify-plugin-build-sa (alias)
#   DifyEE-Role-<cluster>-ecr-image-pull ECR pull    dify-plugin-runner-sa,
#                                                    dify-plugin-build-run-sa (alias)
#
# Namespace: seed 000 checks these ServiceAccounts in `default`, but IRSA
# matches the token's subject system:serviceaccount:<namespace>:<name>, and a
# pod can only use a ServiceAccount of its own namespace. The trust policies
# therefore name var.app_namespace, the namespace the Dify pods run in.
#
# Terraform creates no Kubernetes object: the installer renders the
# ServiceAccounts with the eks.amazonaws.com/role-arn annotation from the
# service_account_role_arns output.

locals {
  # Role key -> the ServiceAccounts allowed to assume that role.
  irsa_service_accounts = {
    s3             = ["dify-api-sa", "dify-plugin-connector-sa"]
    s3_ecr         = ["dify-plugin-crd-sa", "dify-plugin-build-sa"]
    ecr_image_pull = ["dify-plugin-runner-sa", "dify-plugin-build-run-sa"]
  }

  irsa_trust_policies = {
    for role, accounts in local.irsa_service_accounts : role => jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = {
            "${local.oidc_issuer_host}:sub" = [for sa in accounts : "system:serviceaccount:${var.app_namespace}:${sa}"]
            "${local.oidc_issuer_host}:aud" = "sts.amazonaws.com"
          }
        }
      }]
    })
  }

  bucket_arn = aws_s3_bucket.storage.arn
  # The plugin builds push each plugin's image to a repository of its own
  # under the plugin repository's name (imageRepoPrefix), creating it on
  # first push, as the seed's "ECR full access" and the upstream enterprise
  # stack allow; the policies grant exactly that name and what is under it.
  plugin_repo_arns = [
    aws_ecr_repository.plugin.arn,
    "${aws_ecr_repository.plugin.arn}/*",
  ]
  ecr_pull_actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
  ecr_push_actions   = ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"]
  ecr_browse_actions = ["ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:ListImages"]
  # CreateRepository with tags needs TagResource on the new repository.
  ecr_create_actions = ["ecr:CreateRepository", "ecr:TagResource"]
}

resource "aws_iam_policy" "dify_ee_s3" {
  count = var.irsa_enabled ? 1 : 0

  name        = "dify-ee-irsa-${var.cluster_name}-s3-policy"
  description = "Dify storage: read and write objects in ${local.s3_bucket_name}"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Bucket"
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
        Resource = local.bucket_arn
      },
      {
        Sid      = "Objects"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        Resource = "${local.bucket_arn}/*"
      },
    ]
  })
}

resource "aws_iam_policy" "dify_ee_ecr" {
  count = var.irsa_enabled ? 1 : 0

  name        = "dify-ee-irsa-${var.cluster_name}-ecr-policy"
  description = "Dify plugin builds: create, push to and pull from ${local.ecr_plugin_repository} and the repositories under it"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Login"
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken"
        Resource = "*"
      },
      {
        Sid      = "PluginRepositories"
        Effect   = "Allow"
        Action   = concat(local.ecr_create_actions, local.ecr_pull_actions, local.ecr_push_actions, local.ecr_browse_actions)
        Resource = local.plugin_repo_arns
      },
    ]
  })
}

resource "aws_iam_policy" "dify_ee_ecr_pull_only" {
  count = var.irsa_enabled ? 1 : 0

  name        = "dify-ee-irsa-${var.cluster_name}-ecr-pull-only-policy"
  description = "Dify plugin runners: pull images from ${local.ecr_plugin_repository} and the repositories under it"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Login"
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken"
        Resource = "*"
      },
      {
        Sid      = "PluginImages"
        Effect   = "Allow"
        Action   = local.ecr_pull_actions
        Resource = local.plugin_repo_arns
      },
    ]
  })
}

resource "aws_iam_role" "dify_ee_s3" {
  count = var.irsa_enabled ? 1 : 0

  name               = "DifyEE-Role-${var.cluster_name}-s3"
  description        = "IRSA: Dify api/worker and plugin connector access to S3"
  assume_role_policy = local.irsa_trust_policies["s3"]
}

resource "aws_iam_role" "dify_ee_s3_ecr" {
  count = var.irsa_enabled ? 1 : 0

  name               = "DifyEE-Role-${var.cluster_name}-s3-ecr"
  description        = "IRSA: Dify plugin CRD image builds (S3 and ECR push)"
  assume_role_policy = local.irsa_trust_policies["s3_ecr"]
}

resource "aws_iam_role" "dify_ee_ecr_image_pull" {
  count = var.irsa_enabled ? 1 : 0

  name               = "DifyEE-Role-${var.cluster_name}-ecr-image-pull"
  description        = "IRSA: Dify plugin runners pull plugin images from ECR"
  assume_role_policy = local.irsa_trust_policies["ecr_image_pull"]
}

resource "aws_iam_role_policy_attachment" "dify_ee_s3" {
  count = var.irsa_enabled ? 1 : 0

  role       = aws_iam_role.dify_ee_s3[0].name
  policy_arn = aws_iam_policy.dify_ee_s3[0].arn
}

resource "aws_iam_role_policy_attachment" "dify_ee_s3_ecr_s3" {
  count = var.irsa_enabled ? 1 : 0

  role       = aws_iam_role.dify_ee_s3_ecr[0].name
  policy_arn = aws_iam_policy.dify_ee_s3[0].arn
}

resource "aws_iam_role_policy_attachment" "dify_ee_s3_ecr_ecr" {
  count = var.irsa_enabled ? 1 : 0

  role       = aws_iam_role.dify_ee_s3_ecr[0].name
  policy_arn = aws_iam_policy.dify_ee_ecr[0].arn
}

resource "aws_iam_role_policy_attachment" "dify_ee_ecr_image_pull" {
  count = var.irsa_enabled ? 1 : 0

  role       = aws_iam_role.dify_ee_ecr_image_pull[0].name
  policy_arn = aws_iam_policy.dify_ee_ecr_pull_only[0].arn
}

locals {
  # Outputs: "" when IRSA is off, so that every output always has a value.
  role_arn_s3             = try(aws_iam_role.dify_ee_s3[0].arn, "")
  role_arn_s3_ecr         = try(aws_iam_role.dify_ee_s3_ecr[0].arn, "")
  role_arn_ecr_image_pull = try(aws_iam_role.dify_ee_ecr_image_pull[0].arn, "")

  role_arn_by_key = {
    s3             = local.role_arn_s3
    s3_ecr         = local.role_arn_s3_ecr
    ecr_image_pull = local.role_arn_ecr_image_pull
  }

  # ServiceAccount name -> role ARN, for the installer's ServiceAccount
  # manifests; empty when IRSA is off.
  service_account_role_arns = var.irsa_enabled ? merge([
    for role, accounts in local.irsa_service_accounts : { for sa in accounts : sa => local.role_arn_by_key[role] }
  ]...) : {}
}
