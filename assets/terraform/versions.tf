# assets/terraform/versions.tf: Terraform and provider requirements of the
# Dify EKS stack the installer applies (project issue 4).
#
# Terraform >= 1.11 because the Aurora master password goes through the
# write-only attribute master_password_wo, which keeps it out of the state.
# AWS provider 5.81+ because aws_iam_openid_connect_provider.thumbprint_list
# is optional there (see eks.tf); < 6.0 because 6.x renamed arguments this
# stack uses (it is validated against 5.100.0).
terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.81.0, < 6.0.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
