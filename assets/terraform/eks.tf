# assets/terraform/eks.tf: the EKS cluster (control plane ENIs in the private
# subnets), its managed node group of Graviton (or x86_64) nodes, and the IAM
# OIDC provider that IRSA needs.
#
# "The node security group" that Aurora, Redis and OpenSearch admit is the
# cluster security group EKS creates: managed nodes carry it because the
# launch template below names no security group of its own.

locals {
  node_ami_type = {
    arm64  = "AL2023_ARM_64_STANDARD"
    x86_64 = "AL2023_x86_64_STANDARD"
  }
  node_security_group_id = aws_eks_cluster.main.vpc_config[0].cluster_security_group_id
  # The issuer without https://, the prefix of the IRSA condition keys.
  oidc_issuer_host = replace(aws_eks_cluster.main.identity[0].oidc[0].issuer, "https://", "")
}

data "aws_iam_policy_document" "eks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name               = "${local.name}-eks-cluster"
  assume_role_policy = data.aws_iam_policy_document.eks_assume.json
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

resource "aws_eks_cluster" "main" {
  name     = local.name
  version  = var.kubernetes_version
  role_arn = aws_iam_role.cluster.arn

  # The installer runs outside the VPC, so the API endpoint stays public as
  # well as private; nodes reach it privately. public_access_cidrs narrows
  # who may reach the public one (the installer warns about 0.0.0.0/0).
  vpc_config {
    subnet_ids              = aws_subnet.private[*].id
    endpoint_private_access = true
    endpoint_public_access  = true
    public_access_cidrs     = var.public_access_cidrs
  }

  # Standard support only. A Kubernetes version past its 14 months of
  # standard support would otherwise move to extended support, where the
  # control plane bills $0.60/h instead of $0.10/h (core/costs.c); with
  # STANDARD, EKS upgrades the control plane to the next version instead.
  upgrade_policy {
    support_type = "STANDARD"
  }

  # Access entries; whoever applies the stack (the installer's AWS identity)
  # becomes cluster admin, so kubectl works right after apply.
  access_config {
    authentication_mode                         = "API_AND_CONFIG_MAP"
    bootstrap_cluster_creator_admin_permissions = true
  }

  depends_on = [aws_iam_role_policy_attachment.cluster]
}

# More administrators than the creator: an access entry and the cluster-admin
# access policy for each principal. The identity that applies the stack
# already has one (bootstrap_cluster_creator_admin_permissions) and must not
# be listed again: EKS refuses a second entry for a principal.
resource "aws_eks_access_entry" "admin" {
  for_each = toset(var.cluster_admin_principals)

  cluster_name  = aws_eks_cluster.main.name
  principal_arn = each.value
  type          = "STANDARD"
}

resource "aws_eks_access_policy_association" "admin" {
  for_each = toset(var.cluster_admin_principals)

  cluster_name  = aws_eks_cluster.main.name
  principal_arn = aws_eks_access_entry.admin[each.value].principal_arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }
}

# IRSA. thumbprint_list is left out on purpose (the documented alternative to
# the tls provider's tls_certificate data source): since AWS provider 5.81 it
# is optional, and IAM verifies the EKS issuer against its own trusted root
# CAs, ignoring any thumbprint for it. This also keeps the stack on a single
# provider, so `terraform validate` runs from a local mirror of hashicorp/aws.
resource "aws_iam_openid_connect_provider" "eks" {
  url            = aws_eks_cluster.main.identity[0].oidc[0].issuer
  client_id_list = ["sts.amazonaws.com"]

  tags = { Name = "${local.name}-irsa" }
}

data "aws_iam_policy_document" "node_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name               = "${local.name}-eks-node"
  assume_role_policy = data.aws_iam_policy_document.node_assume.json
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonSSMManagedInstanceCore",
  ])

  role       = aws_iam_role.node.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/${each.value}"
}

# gp3 root volume and IMDSv2 with hop limit 2 (pods behind the node's
# network namespace still reach the metadata service).
resource "aws_launch_template" "node" {
  name_prefix = "${local.name}-node-"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = var.node_disk_size_gb
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(local.tags, { Name = "${local.name}-node" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(local.tags, { Name = "${local.name}-node" })
  }
}

resource "aws_eks_node_group" "main" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "${local.name}-nodes"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = aws_subnet.private[*].id
  ami_type        = local.node_ami_type[var.node_arch]
  instance_types  = [var.node_instance_type]
  capacity_type   = "ON_DEMAND"

  scaling_config {
    desired_size = var.node_desired_size
    min_size     = var.node_min_size
    max_size     = var.node_max_size
  }

  update_config {
    max_unavailable = 1
  }

  launch_template {
    id      = aws_launch_template.node.id
    version = aws_launch_template.node.latest_version
  }

  lifecycle {
    # Graviton families carry a "g" right after the generation digit (m7g,
    # c6gn, r8g, t4g, x2gd; a1 is the first Graviton), the rule of
    # instance_type_is_arm64() in core/profile.c. An x86 type with an arm64
    # AMI (or the reverse) never joins the cluster.
    precondition {
      condition     = (var.node_arch == "arm64") == can(regex("^(a1|[a-z]+[0-9]+g[a-z0-9-]*)\\.", var.node_instance_type))
      error_message = "node_arch ${var.node_arch} does not match instance type ${var.node_instance_type}: Graviton types (m7g, c7g, r7g, t4g ...) need arm64, others x86_64."
    }
    precondition {
      condition     = var.node_min_size <= var.node_desired_size && var.node_desired_size <= var.node_max_size
      error_message = "The node counts must satisfy node_min_size <= node_desired_size <= node_max_size."
    }
  }

  depends_on = [
    aws_iam_role_policy_attachment.node,
    aws_route_table_association.private,
  ]
}
