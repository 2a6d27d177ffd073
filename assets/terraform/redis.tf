# assets/terraform/redis.tf: ElastiCache Redis (replication group) in the
# private subnets, TLS in transit and encryption at rest, reachable only from
# the nodes. One node for test; a primary and a replica across the two zones
# with automatic failover for prod.
#
# AUTH: the replication group requires var.redis_auth_token, the Redis
# password the installer also writes into Dify's configuration (the same
# secret, from secrets.tfvars.json), so a pod that reaches port 6379 still
# needs the password. ElastiCache accepts a token only with TLS in transit.

resource "aws_elasticache_subnet_group" "redis" {
  name       = "${local.name}-redis"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_security_group" "redis" {
  name        = "${local.name}-redis"
  description = "ElastiCache Redis: port 6379 from the EKS nodes only"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.name}-redis" }
}

resource "aws_vpc_security_group_ingress_rule" "redis_from_nodes" {
  security_group_id            = aws_security_group.redis.id
  description                  = "Redis from EKS nodes"
  referenced_security_group_id = local.node_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
}

resource "aws_elasticache_replication_group" "redis" {
  replication_group_id = "${local.name}-redis"
  description          = "Dify Redis for ${local.name}"
  engine               = "redis"
  engine_version       = var.redis_engine_version
  node_type            = var.redis_node_type
  port                 = 6379
  parameter_group_name = "default.redis${split(".", var.redis_engine_version)[0]}"

  num_cache_clusters         = local.redis_replicas
  automatic_failover_enabled = local.redis_replicas > 1
  multi_az_enabled           = local.redis_replicas > 1

  subnet_group_name  = aws_elasticache_subnet_group.redis.name
  security_group_ids = [aws_security_group.redis.id]

  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  auth_token                 = var.redis_auth_token

  # Prod keeps a daily snapshot for a day and a final one on destroy.
  snapshot_retention_limit  = local.is_prod ? 1 : 0
  final_snapshot_identifier = local.is_prod ? "${local.name}-redis-final" : null
  apply_immediately         = !local.is_prod
}
