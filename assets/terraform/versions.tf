# assets/terraform/versions.tf: Terraform and provider requirements of the
# Dify EKS stack the installer applies.
#
# Terraform >= 1.11 because the Aurora master password goes through the
# write-only attribute master_password_wo, which keeps it out of the state.
# AWS provider >= 5.87.0, the first release with aws_rds_cluster's
# master_password_wo (everything else the stack uses is older: upgrade_policy
# and access entries came in 5.3x-5.5x); < 6.0 because 6.x renamed arguments
# this stack uses. .terraform.lock.hcl pins the release the tests validate
# against (5.100.0), so every init installs that one.
terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.87.0, < 6.0.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
