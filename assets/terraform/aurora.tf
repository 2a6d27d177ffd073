# assets/terraform/aurora.tf: Aurora Serverless v2 PostgreSQL in the private
# subnets, reachable only from the nodes. Creates the main database
# (var.db_name). The plugin daemon's database is NOT created here (seed 000
# used a local-exec psql): the installer creates it with libpq from the db_*
# outputs, so applying needs no psql and no network path to the database.

resource "aws_db_subnet_group" "aurora" {
  name       = "${local.name}-aurora"
  subnet_ids = aws_subnet.private[*].id

  tags = { Name = "${local.name}-aurora" }
}

resource "aws_security_group" "aurora" {
  name        = "${local.name}-aurora"
  description = "Aurora PostgreSQL: port 5432 from the EKS nodes only"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.name}-aurora" }
}

resource "aws_vpc_security_group_ingress_rule" "aurora_from_nodes" {
  security_group_id            = aws_security_group.aurora.id
  description                  = "PostgreSQL from EKS nodes"
  referenced_security_group_id = local.node_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_rds_cluster" "main" {
  cluster_identifier = "${local.name}-aurora"
  engine             = "aurora-postgresql"
  engine_mode        = "provisioned"
  engine_version     = var.aurora_engine_version
  database_name      = var.db_name
  master_username    = var.db_username
  # Write-only: sent to AWS, never stored in the state or the plan. Bump the
  # version to push a changed password.
  master_password_wo         = var.db_password
  master_password_wo_version = 1

  db_subnet_group_name   = aws_db_subnet_group.aurora.name
  vpc_security_group_ids = [aws_security_group.aurora.id]
  storage_encrypted      = true
  port                   = 5432

  serverlessv2_scaling_configuration {
    min_capacity = var.aurora_min_acu
    max_capacity = var.aurora_max_acu
  }

  backup_retention_period = local.backup_days
  copy_tags_to_snapshot   = true
  # Prod keeps its data: deletion protection refuses a destroy (and a
  # replacement) until an operator turns it off on purpose, and a destroy
  # then still leaves a final snapshot. A test database goes without either.
  deletion_protection       = local.is_prod
  skip_final_snapshot       = !local.is_prod
  final_snapshot_identifier = local.is_prod ? "${local.name}-aurora-final" : null
  apply_immediately         = !local.is_prod

  lifecycle {
    precondition {
      condition     = var.aurora_min_acu <= var.aurora_max_acu
      error_message = "aurora_min_acu must not exceed aurora_max_acu."
    }
    precondition {
      condition     = var.plugin_daemon_db_name != var.db_name
      error_message = "plugin_daemon_db_name must differ from db_name."
    }
  }
}

resource "aws_rds_cluster_instance" "main" {
  count = var.aurora_instance_count

  identifier           = "${local.name}-aurora-${count.index + 1}"
  cluster_identifier   = aws_rds_cluster.main.id
  engine               = aws_rds_cluster.main.engine
  engine_version       = aws_rds_cluster.main.engine_version
  instance_class       = "db.serverless"
  db_subnet_group_name = aws_db_subnet_group.aurora.name
  publicly_accessible  = false
  apply_immediately    = !local.is_prod
}
