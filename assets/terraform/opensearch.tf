# assets/terraform/opensearch.tf: the OpenSearch domain (Dify's vector store
# on EKS) inside the VPC, HTTPS only, reachable only from the nodes on 443.
#
# With two subnets, zone awareness needs an even node count: an even count
# > 1 spreads over both zones, an odd count (the seed's prod 3) stays in the
# first private subnet. The access policy admits any principal because the
# domain has no public endpoint: the security group is the access control
# (no fine-grained access control, as the contract carries no OpenSearch
# secret).

locals {
  opensearch_zone_aware = var.opensearch_instance_count > 1 && var.opensearch_instance_count % 2 == 0
  opensearch_domain     = "${local.name}-os"
  opensearch_arn        = "arn:${data.aws_partition.current.partition}:es:${var.region}:${data.aws_caller_identity.current.account_id}:domain/${local.opensearch_domain}"
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
}
