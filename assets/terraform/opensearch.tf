# assets/terraform/opensearch.tf: the OpenSearch domain (Dify's vector store
# on EKS) inside the VPC, HTTPS only, reachable only from the nodes on 443.
#
# Zone awareness. The VPC has two private subnets, so a domain can spread over
# two zones, and AWS accepts that only with an even data-node count (each
# zone holds the same number of nodes, and a shard's replica is placed in the
# other zone). A domain of more than one node is therefore always zone-aware:
# opensearch_instance_count must be 1 or even (the variable's validation,
# the same rule as the installer's), and such a domain gets three dedicated
# master nodes so that losing a data node, or a zone's data nodes, does not
# leave the cluster without an elected master. Seed 001's prod "3 nodes"
# would have stayed in one zone: the prod preset has 2 data nodes instead
# (each holds a full copy; 4 adds capacity at about $750 a month more), plus
# the masters. One node (the test preset) stays in the first private subnet.
#
# The access policy admits any principal because the domain has no public
# endpoint: the security group is the access control (no fine-grained access
# control, as the contract carries no OpenSearch secret).

locals {
  opensearch_zone_aware = var.opensearch_instance_count > 1
  # core/costs.c prices these masters; tests/terraform_contract.sh checks the
  # type and count here are the ones it uses.
  opensearch_master_type  = "m6g.large.search"
  opensearch_master_count = 3
  opensearch_domain       = "${local.name}-os"
  opensearch_arn          = "arn:${data.aws_partition.current.partition}:es:${var.region}:${data.aws_caller_identity.current.account_id}:domain/${local.opensearch_domain}"
}

# A domain in a VPC needs the account's OpenSearch service-linked role, which
# a fresh account does not have; an account that ever had a VPC domain does,
# and creating it a second time fails. The installer's preflight sets
# create_opensearch_service_linked_role from `aws iam get-role --role-name
# AWSServiceRoleForAmazonOpenSearchService`.
resource "aws_iam_service_linked_role" "opensearch" {
  count = var.create_opensearch_service_linked_role ? 1 : 0

  aws_service_name = "opensearchservice.amazonaws.com"
  description      = "OpenSearch Service access to the VPC of ${local.name}"
}

resource "aws_security_group" "opensearch" {
  name        = "${local.name}-opensearch"
  description = "OpenSearch: HTTPS from the EKS nodes only"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.name}-opensearch" }
}

resource "aws_vpc_security_group_ingress_rule" "opensearch_from_nodes" {
  security_group_id            = aws_security_group.opensearch.id
  description                  = "HTTPS from EKS nodes"
  referenced_security_group_id = local.node_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_opensearch_domain" "main" {
  domain_name    = local.opensearch_domain
  engine_version = var.opensearch_engine_version

  cluster_config {
    instance_type          = var.opensearch_instance_type
    instance_count         = var.opensearch_instance_count
    zone_awareness_enabled = local.opensearch_zone_aware

    dynamic "zone_awareness_config" {
      for_each = local.opensearch_zone_aware ? [1] : []
      content {
        availability_zone_count = 2
      }
    }

    dedicated_master_enabled = local.opensearch_zone_aware
    dedicated_master_type    = local.opensearch_zone_aware ? local.opensearch_master_type : null
    dedicated_master_count   = local.opensearch_zone_aware ? local.opensearch_master_count : null
  }

  vpc_options {
    subnet_ids         = local.opensearch_zone_aware ? aws_subnet.private[*].id : [aws_subnet.private[0].id]
    security_group_ids = [aws_security_group.opensearch.id]
  }

  ebs_options {
    ebs_enabled = true
    volume_type = "gp3"
    volume_size = local.opensearch_volume_gb
  }

  encrypt_at_rest {
    enabled = true
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
  }

  access_policies = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "es:ESHttp*"
      Resource  = "${local.opensearch_arn}/*"
    }]
  })

  tags = { Name = local.opensearch_domain }

  depends_on = [aws_iam_service_linked_role.opensearch]
}
