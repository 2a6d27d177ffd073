# assets/terraform/storage.tf: the S3 bucket for Dify's files and the ECR
# repositories for the application and enterprise plugin images.
#
# force_destroy / force_delete follow the environment: a test stack's destroy
# removes a non-empty bucket (all versions) and repositories with images; a
# prod stack's destroy stops on them, so data goes only when someone empties
# them on purpose (docs/terraform.md, "Destroying").

resource "aws_s3_bucket" "storage" {
  bucket        = local.s3_bucket_name
  force_destroy = local.disposable
}

resource "aws_s3_bucket_versioning" "storage" {
  bucket = aws_s3_bucket.storage.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "storage" {
  bucket = aws_s3_bucket.storage.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "storage" {
  bucket = aws_s3_bucket.storage.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "storage" {
  bucket = aws_s3_bucket.storage.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Versioning keeps every overwritten file; expire old versions so the bucket
# does not grow without bound.
resource "aws_s3_bucket_lifecycle_configuration" "storage" {
  bucket = aws_s3_bucket.storage.id

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.storage]
}

resource "aws_ecr_repository" "app" {
  name                 = local.ecr_app_repository
  image_tag_mutability = "MUTABLE"
  force_delete         = local.disposable

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_repository" "plugin" {
  name                 = local.ecr_plugin_repository
  image_tag_mutability = "MUTABLE"
  force_delete         = local.disposable

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }

  lifecycle {
    precondition {
      condition     = local.ecr_plugin_repository != local.ecr_app_repository
      error_message = "ecr_plugin_repository must differ from ecr_app_repository."
    }
  }
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = local.ecr_keep_policy[10]
}

resource "aws_ecr_lifecycle_policy" "plugin" {
  repository = aws_ecr_repository.plugin.name
  policy     = local.ecr_keep_policy[20]
}

locals {
  # Keep the newest N images, whatever their tags (seed 001: 10 app, 20 plugin).
  ecr_keep_policy = {
    for n in [10, 20] : n => jsonencode({
      rules = [{
        rulePriority = 1
        description  = "Keep the newest ${n} images"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = n
        }
        action = { type = "expire" }
      }]
    })
  }
}
