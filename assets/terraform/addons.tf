# assets/terraform/addons.tf: what the cluster itself needs before Dify runs
# on it, with their IRSA roles in kube-system:
#   - the EBS CSI driver (an EKS add-on): without it no PersistentVolumeClaim
#     is ever bound, and EKS no longer makes a default StorageClass; the
#     add-on makes "ebs-csi-default-sc" (gp3) and marks it the default.
#   - the AWS Load Balancer Controller's role: the rendered Ingress has the
#     class alb, which only the controller serves. Terraform creates no
#     Kubernetes object, so the installer's runner installs the controller
#     (Helm chart eks/aws-load-balancer-controller, ServiceAccount
#     kube-system/aws-load-balancer-controller annotated with
#     lb_controller_role_arn).
# These exist whatever irsa_enabled says: that variable is about Dify's own
# ServiceAccounts (irsa.tf).

locals {
  # The ServiceAccounts of the cluster add-ons, in kube-system.
  addon_service_accounts = {
    ebs_csi       = "ebs-csi-controller-sa"
    lb_controller = "aws-load-balancer-controller"
  }

  addon_trust_policies = {
    for key, sa in local.addon_service_accounts : key => jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = {
            "${local.oidc_issuer_host}:sub" = "system:serviceaccount:kube-system:${sa}"
            "${local.oidc_issuer_host}:aud" = "sts.amazonaws.com"
          }
        }
      }]
    })
  }
}

# ---- EBS CSI driver ----

resource "aws_iam_role" "ebs_csi" {
  name               = "${local.name}-ebs-csi-driver"
  description        = "IRSA: the EBS CSI driver of ${local.name} (kube-system/ebs-csi-controller-sa)"
  assume_role_policy = local.addon_trust_policies["ebs_csi"]
}

resource "aws_iam_role_policy_attachment" "ebs_csi" {
  role       = aws_iam_role.ebs_csi.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}

resource "aws_eks_addon" "ebs_csi" {
  cluster_name             = aws_eks_cluster.main.name
  addon_name               = "aws-ebs-csi-driver"
  service_account_role_arn = aws_iam_role.ebs_csi.arn
  # The add-on's defaultStorageClass setting (the driver chart's value):
  # a gp3 StorageClass marked default, so a claim without a class binds.
  configuration_values        = jsonencode({ defaultStorageClass = { enabled = true } })
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "PRESERVE"

  # The controller pods need nodes to run on; before them the add-on only
  # reports DEGRADED and the apply waits.
  depends_on = [
    aws_eks_node_group.main,
    aws_iam_role_policy_attachment.ebs_csi,
  ]
}

# ---- AWS Load Balancer Controller ----

resource "aws_iam_role" "lb_controller" {
  name               = "${local.name}-lb-controller"
  description        = "IRSA: the AWS Load Balancer Controller of ${local.name} (kube-system/aws-load-balancer-controller)"
  assume_role_policy = local.addon_trust_policies["lb_controller"]
}

resource "aws_iam_policy" "lb_controller" {
  name        = "${local.name}-lb-controller"
  description = "The AWS Load Balancer Controller's permissions (its docs/install/iam_policy.json, v3.5.0)"
  policy      = local.lb_controller_policy
}

resource "aws_iam_role_policy_attachment" "lb_controller" {
  role       = aws_iam_role.lb_controller.name
  policy_arn = aws_iam_policy.lb_controller.arn
}

locals {
  # The controller's documented policy, kubernetes-sigs/aws-load-balancer-
  # controller docs/install/iam_policy.json as of v3.5.0, with the partition
  # taken from the account. When the runner installs a newer controller,
  # compare with that release's file. Resources it creates carry the tag
  # elbv2.k8s.aws/cluster; the conditions confine changes to those.
  lb_cluster_tag  = "elbv2.k8s.aws/cluster"
  lb_request_tag  = "aws:RequestTag/${local.lb_cluster_tag}"
  lb_resource_tag = "aws:ResourceTag/${local.lb_cluster_tag}"
  lb_arn          = "arn:${local.partition}:elasticloadbalancing:*:*"
  lb_tagged_arns  = ["${local.lb_arn}:targetgroup/*/*", "${local.lb_arn}:loadbalancer/net/*/*", "${local.lb_arn}:loadbalancer/app/*/*"]

  lb_controller_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = ["iam:CreateServiceLinkedRole"]
        Resource  = "*"
        Condition = { StringEquals = { "iam:AWSServiceName" = "elasticloadbalancing.amazonaws.com" } }
      },
      {
        Effect = "Allow"
        Action = [
          "ec2:DescribeAccountAttributes",
          "ec2:DescribeAddresses",
          "ec2:DescribeAvailabilityZones",
          "ec2:DescribeInternetGateways",
          "ec2:DescribeVpcs",
          "ec2:DescribeVpcPeeringConnections",
          "ec2:DescribeSubnets",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeInstances",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeTags",
          "ec2:GetCoipPoolUsage",
          "ec2:DescribeCoipPools",
          "ec2:GetSecurityGroupsForVpc",
          "ec2:DescribeIpamPools",
          "ec2:DescribeRouteTables",
          "elasticloadbalancing:DescribeLoadBalancers",
          "elasticloadbalancing:DescribeLoadBalancerAttributes",
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeListenerCertificates",
          "elasticloadbalancing:DescribeSSLPolicies",
          "elasticloadbalancing:DescribeRules",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetGroupAttributes",
          "elasticloadbalancing:DescribeTargetHealth",
          "elasticloadbalancing:DescribeTags",
          "elasticloadbalancing:DescribeTrustStores",
          "elasticloadbalancing:DescribeListenerAttributes",
          "elasticloadbalancing:DescribeCapacityReservation",
        ]
        Resource = "*"
      },
      {
        Effect = "Allow"
        Action = [
          "cognito-idp:DescribeUserPoolClient",
          "acm:ListCertificates",
          "acm:DescribeCertificate",
          "iam:ListServerCertificates",
          "iam:GetServerCertificate",
          "waf-regional:GetWebACL",
          "waf-regional:GetWebACLForResource",
          "waf-regional:AssociateWebACL",
          "waf-regional:DisassociateWebACL",
          "wafv2:GetWebACL",
          "wafv2:GetWebACLForResource",
          "wafv2:AssociateWebACL",
          "wafv2:DisassociateWebACL",
          "shield:GetSubscriptionState",
          "shield:DescribeProtection",
          "shield:CreateProtection",
          "shield:DeleteProtection",
        ]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["ec2:CreateSecurityGroup"]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["ec2:CreateTags"]
        Resource = "arn:${local.partition}:ec2:*:*:security-group/*"
        Condition = {
          StringEquals = { "ec2:CreateAction" = "CreateSecurityGroup" }
          Null         = { (local.lb_request_tag) = "false" }
        }
      },
      {
        Effect    = "Allow"
        Action    = ["ec2:CreateTags", "ec2:DeleteTags"]
        Resource  = "arn:${local.partition}:ec2:*:*:security-group/*"
        Condition = { Null = { (local.lb_request_tag) = "true", (local.lb_resource_tag) = "false" } }
      },
      {
        Effect    = "Allow"
        Action    = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"]
        Resource  = "*"
        Condition = { Null = { (local.lb_resource_tag) = "false" } }
      },
      {
        Effect    = "Allow"
        Action    = ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"]
        Resource  = "*"
        Condition = { Null = { (local.lb_request_tag) = "false" } }
      },
      {
        Effect = "Allow"
        Action = [
          "elasticloadbalancing:CreateListener",
          "elasticloadbalancing:DeleteListener",
          "elasticloadbalancing:CreateRule",
          "elasticloadbalancing:DeleteRule",
        ]
        Resource = "*"
      },
      {
        Effect    = "Allow"
        Action    = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"]
        Resource  = local.lb_tagged_arns
        Condition = { Null = { (local.lb_request_tag) = "true", (local.lb_resource_tag) = "false" } }
      },
      {
        Effect = "Allow"
        Action = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"]
        Resource = [
          "${local.lb_arn}:listener/net/*/*/*",
          "${local.lb_arn}:listener/app/*/*/*",
          "${local.lb_arn}:listener-rule/net/*/*/*",
          "${local.lb_arn}:listener-rule/app/*/*/*",
        ]
      },
      {
        Effect = "Allow"
        Action = [
          "elasticloadbalancing:ModifyLoadBalancerAttributes",
          "elasticloadbalancing:SetIpAddressType",
          "elasticloadbalancing:SetSecurityGroups",
          "elasticloadbalancing:SetSubnets",
          "elasticloadbalancing:DeleteLoadBalancer",
          "elasticloadbalancing:ModifyTargetGroup",
          "elasticloadbalancing:ModifyTargetGroupAttributes",
          "elasticloadbalancing:DeleteTargetGroup",
          "elasticloadbalancing:ModifyListenerAttributes",
          "elasticloadbalancing:ModifyCapacityReservation",
          "elasticloadbalancing:ModifyIpPools",
        ]
        Resource  = "*"
        Condition = { Null = { (local.lb_resource_tag) = "false" } }
      },
      {
        Effect   = "Allow"
        Action   = ["elasticloadbalancing:AddTags"]
        Resource = local.lb_tagged_arns
        Condition = {
          StringEquals = { "elasticloadbalancing:CreateAction" = ["CreateTargetGroup", "CreateLoadBalancer"] }
          Null         = { (local.lb_request_tag) = "false" }
        }
      },
      {
        Effect   = "Allow"
        Action   = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]
        Resource = "${local.lb_arn}:targetgroup/*/*"
      },
      {
        Effect = "Allow"
        Action = [
          "elasticloadbalancing:SetWebAcl",
          "elasticloadbalancing:ModifyListener",
          "elasticloadbalancing:AddListenerCertificates",
          "elasticloadbalancing:RemoveListenerCertificates",
          "elasticloadbalancing:ModifyRule",
          "elasticloadbalancing:SetRulePriorities",
        ]
        Resource = "*"
      },
    ]
  })
}
