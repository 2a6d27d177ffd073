# A stand-in for the EKS stack made of Terraform's built-in terraform_data
# resources: init, plan and apply run offline, and the outputs carry the
# names the installer reads (tests/unit/test_steps_tf.c).
terraform {
  required_version = ">= 1.5"
}

variable "cluster_name" {
  type = string
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "terraform_data" "vpc" {
  input = "vpc-0abc1234"
}

resource "terraform_data" "cluster" {
  input      = var.cluster_name
  depends_on = [terraform_data.vpc]
  provisioner "local-exec" {
    command = "echo creating the cluster"
  }
}

resource "terraform_data" "database" {
  input      = "dify-db.cluster-abc.us-east-1.rds.amazonaws.com"
  depends_on = [terraform_data.vpc]
}

output "cluster_name" {
  value = terraform_data.cluster.output
}

output "cluster_endpoint" {
  value = "https://ABCDEF0123456789.gr7.us-east-1.eks.amazonaws.com"
}

output "cluster_certificate_authority_data" {
  value = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJnakNDQVNlZ0F3SUJBZ0lVRldTZjJwekk3cHRON25MZTViVkFsdmVqY2xjd0NnWUlLb1pJemowRUF3SXcKRlRFVE1CRUdBMVVFQXd3S2EzVmlaWEp1WlhSbGN6QWdGdzB5TmpFeU1EY3dOalUwTWpSYUdBOHlNVEkyTVRFeApNekEyTlRReU5Gb3dGVEVUTUJFR0ExVUVBd3dLYTNWaVpYSnVaWFJsY3pCWk1CTUdCeXFHU000OUFnRUdDQ3FHClNNNDlBd0VIQTBJQUJQZTdONEVzN0tTMjk2dE5IWEpHcTRIVVpwV0Fua2FEKzFKVG5zM1pxdmZFTysrWldEKy8KS1ZwaUNNZURSZ2VWSkxxNlV6bVFRc24vWFJCWlg1ZG1tOGFqVXpCUk1CMEdBMVVkRGdRV0JCUVRLTjhyU1dLQgoxdEN0alQ5eW9DQWthQ3ZwM2pBZkJnTlZIU01FR0RBV2dCUVRLTjhyU1dLQjF0Q3RqVDl5b0NBa2FDdnAzakFQCkJnTlZIUk1CQWY4RUJUQURBUUgvTUFvR0NDcUdTTTQ5QkFNQ0Ewa0FNRVlDSVFEYUxiYU4raWcyd3lkVWlBSnUKVHgxQU4zT2pEeU5IeDBKUlpHcVZHQkpBK3dJaEFQc2lZSjMxMnZkNXNCVWM4T3RMNjJ0NVBNQ2hyelRDSW5NbQoyTmtUeWEzSAotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg=="
}

output "region" {
  value = "us-east-1"
}

output "aws_account_id" {
  value = "123456789012"
}

output "vpc_id" {
  value = terraform_data.vpc.output
}

output "db_endpoint" {
  value = terraform_data.database.output
}

output "lb_controller_role_arn" {
  value = "arn:aws:iam::123456789012:role/dify-lbc"
}

output "db_password_echo" {
  value     = var.db_password
  sensitive = true
}
