# assets/terraform/variables.tf: the variables of the stack. This list is a
# contract with the installer: it renders terraform.tfvars.json (every
# variable below but the two secrets) and secrets.tfvars.json (db_password
# and redis_auth_token, mode 0600) and runs terraform with -var-file for
# both. core/tfstack.c holds the same names; tests/terraform_contract.sh
# fails when the two drift apart or when a rendered file has an extra,
# missing or mistyped key.
#
# Every validation accepts exactly what the installer's rule for the same
# answer accepts (core/rules.c, core/validate.c): tests/terraform_rules.sh
# probes both with the values in tests/data/terraform/probes.txt. Validation
# blocks refer only to their own variable so that they also run in the
# provider-less probes.

variable "region" {
  description = "AWS region of every resource, e.g. us-west-2."
  type        = string
  default     = "us-west-2"

  # Two letters, an optional gov/iso/isob part, a direction, a number
  # without a leading zero: us-west-2, ap-northeast-1, us-gov-west-1.
  validation {
    condition     = can(regex("^[a-z]{2}-((gov|iso|isob)-)?(north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9][0-9]?$", var.region))
    error_message = "The region must look like us-west-2, ap-northeast-1 or us-gov-west-1."
  }
}

variable "cluster_name" {
  description = "EKS cluster name; also the prefix of every other resource name (IAM roles DifyEE-Role-<cluster>-..., <cluster>-redis, <cluster>-os)."
  type        = string

  # 25 characters keeps every derived name inside its AWS limit, the tightest
  # being the OpenSearch domain "<cluster>-os" (3-28 characters); the IAM
  # role "DifyEE-Role-<cluster>-ecr-image-pull" (64) and the ElastiCache id
  # "<cluster>-redis" (40) come next. Lower case, a letter first and no "--"
  # because OpenSearch and ElastiCache names must be so.
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,23}[a-z0-9]$", var.cluster_name)) && !strcontains(var.cluster_name, "--")
    error_message = "The cluster name must be 2 to 25 characters: lower-case letters, digits and single hyphens, starting with a letter and ending with a letter or digit."
  }
}

variable "environment" {
  description = "Size preset the stack was rendered for: test or prod. Also selects Redis replicas, OpenSearch disk size, backup retention and whether destroy may remove non-empty storage."
  type        = string
  default     = "test"

  validation {
    condition     = contains(["test", "prod"], var.environment)
    error_message = "The environment must be \"test\" or \"prod\"."
  }
}

variable "edition" {
  description = "Dify edition the cluster is for: community or enterprise (a tag; the IRSA roles serve both)."
  type        = string
  default     = "community"

  validation {
    condition     = contains(["community", "enterprise"], var.edition)
    error_message = "The edition must be \"community\" or \"enterprise\"."
  }
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version (major.minor). Keep it on a version in standard support: extended support costs more."
  type        = string
  default     = "1.33"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "The Kubernetes version must be 1.NN, e.g. 1.33."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"

  # A canonical IPv4 block (written as cidrsubnet writes it back: no host
  # bits, no leading zeros) of /16 to /28, the sizes AWS allows for a VPC.
  validation {
    condition     = can(regex("^[0-9./]+$", var.vpc_cidr)) && try(cidrsubnet(var.vpc_cidr, 0, 0) == var.vpc_cidr, false) && try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 28, false)
    error_message = "The VPC CIDR must be an IPv4 network address with a /16 to /28 prefix, such as 10.0.0.0/16."
  }
}

variable "public_subnet_cidrs" {
  description = "CIDR blocks of the two public subnets (one per availability zone; each gets a NAT gateway)."
  type        = list(string)
  default     = ["10.0.1.0/24", "10.0.2.0/24"]

  validation {
    condition     = length(var.public_subnet_cidrs) == 2 && alltrue([for c in var.public_subnet_cidrs : can(regex("^[0-9./]+$", c)) && try(cidrsubnet(c, 0, 0) == c, false)])
    error_message = "Exactly two public subnets are needed, each an IPv4 network address such as 10.0.1.0/24."
  }
}

variable "private_subnet_cidrs" {
  description = "CIDR blocks of the two private subnets (EKS control plane, nodes, Aurora, Redis, OpenSearch)."
  type        = list(string)
  default     = ["10.0.10.0/24", "10.0.11.0/24"]

  validation {
    condition     = length(var.private_subnet_cidrs) == 2 && alltrue([for c in var.private_subnet_cidrs : can(regex("^[0-9./]+$", c)) && try(cidrsubnet(c, 0, 0) == c, false)])
    error_message = "Exactly two private subnets are needed, each an IPv4 network address such as 10.0.10.0/24."
  }
}

variable "node_instance_type" {
  description = "EC2 instance type of the managed node group: m7g.xlarge (test) or m7g.2xlarge (prod) on Graviton."
  type        = string
  default     = "m7g.xlarge"

  # family.size, the family holding its generation digit: m7g.xlarge,
  # c6gn.2xlarge, u-6tb1.metal, m7i.metal-24xl.
  validation {
    condition     = can(regex("^[a-z][a-z-]*[0-9][a-z0-9-]*\\.[a-z0-9][a-z0-9-]*$", var.node_instance_type))
    error_message = "The node instance type must look like m7g.xlarge."
  }
}

variable "node_arch" {
  description = "CPU architecture of the nodes: arm64 (Graviton, AMI AL2023_ARM_64_STANDARD) or x86_64 (AMI AL2023_x86_64_STANDARD). Must match node_instance_type."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.node_arch)
    error_message = "The node architecture must be \"arm64\" or \"x86_64\"."
  }
}

variable "node_desired_size" {
  description = "Number of nodes the node group starts with (test 1, prod 6)."
  type        = number
  default     = 1

  validation {
    condition     = var.node_desired_size >= 1 && floor(var.node_desired_size) == var.node_desired_size
    error_message = "The desired node count must be a whole number of at least 1."
  }
}

variable "node_min_size" {
  description = "Smallest size of the node group (test 1, prod 6)."
  type        = number
  default     = 1

  validation {
    condition     = var.node_min_size >= 1 && floor(var.node_min_size) == var.node_min_size
    error_message = "The minimum node count must be a whole number of at least 1."
  }
}

variable "node_max_size" {
  description = "Largest size of the node group (test 2, prod 10)."
  type        = number
  default     = 2

  validation {
    condition     = var.node_max_size >= 1 && floor(var.node_max_size) == var.node_max_size
    error_message = "The maximum node count must be a whole number of at least 1."
  }
}

variable "node_disk_size_gb" {
  description = "Size of each node's gp3 root volume in GB."
  type        = number
  default     = 40

  validation {
    condition     = var.node_disk_size_gb >= 20 && var.node_disk_size_gb <= 16384 && floor(var.node_disk_size_gb) == var.node_disk_size_gb
    error_message = "The node disk size must be a whole number of GB from 20 to 16384."
  }
}

variable "aurora_engine_version" {
  description = "Aurora PostgreSQL engine version (Serverless v2 capable), e.g. 17.5."
  type        = string
  default     = "17.5"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+$", var.aurora_engine_version))
    error_message = "The Aurora engine version must look like 17.5."
  }
}

variable "aurora_min_acu" {
  description = "Aurora Serverless v2 minimum capacity in ACUs (test 0.5, prod 1). Kept at 0.5 or more: 0 would auto-pause, which Dify's connection pools do not survive."
  type        = number
  default     = 0.5

  validation {
    condition     = var.aurora_min_acu >= 0.5 && var.aurora_min_acu <= 256 && floor(var.aurora_min_acu * 2) == var.aurora_min_acu * 2
    error_message = "The minimum ACU must be between 0.5 and 256 in steps of 0.5."
  }
}

variable "aurora_max_acu" {
  description = "Aurora Serverless v2 maximum capacity in ACUs (test 4, prod 8)."
  type        = number
  default     = 4

  # Aurora Serverless v2 allows a maximum of 1 ACU or more.
  validation {
    condition     = var.aurora_max_acu >= 1 && var.aurora_max_acu <= 256 && floor(var.aurora_max_acu * 2) == var.aurora_max_acu * 2
    error_message = "The maximum ACU must be between 1 and 256 in steps of 0.5."
  }
}

variable "aurora_instance_count" {
  description = "Number of db.serverless instances in the Aurora cluster (test 1, prod 2: a writer and a reader in another zone)."
  type        = number
  default     = 1

  validation {
    condition     = var.aurora_instance_count >= 1 && var.aurora_instance_count <= 16 && floor(var.aurora_instance_count) == var.aurora_instance_count
    error_message = "The Aurora instance count must be a whole number from 1 to 16."
  }
}

variable "db_name" {
  description = "Main Dify database, created with the cluster."
  type        = string
  default     = "dify"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_name))
    error_message = "The database name must start with a lower-case letter and hold only lower-case letters, digits and underscores (at most 63)."
  }
}

variable "db_username" {
  description = "Aurora master user name, used by Dify and the plugin daemon."
  type        = string
  default     = "dify"

  # Lower case like the database names: PostgreSQL folds unquoted names, so
  # a mixed-case master user would need quoting everywhere it is named.
  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_username)) && !contains(["rdsadmin", "rdsrepladmin", "rds_superuser"], var.db_username)
    error_message = "The database user must start with a lower-case letter, hold only lower-case letters, digits and underscores (at most 63), and not be a name RDS reserves."
  }
}

variable "db_password" {
  description = "Aurora master password. Comes from secrets.tfvars.json; never in an output, the state or a saved plan."
  type        = string
  sensitive   = true
  # Ephemeral: Terraform keeps it out of saved plan files too, so applying a
  # saved plan needs -var-file=secrets.tfvars.json again. It can only feed
  # write-only arguments, which is all it does (aurora.tf).
  ephemeral = true

  # RDS takes 8-128 printable ASCII characters without '/', '"', '@' and
  # spaces; Dify also pastes the password unescaped into a postgresql:// URI,
  # so ':', '?', '#', '[', ']', '%', "'" and '\' are refused too, and the
  # installer asks for at least 12 characters.
  validation {
    condition     = can(regex("^[!$&(-.0-9;->A-Z^-~]{12,128}$", var.db_password))
    error_message = "The database password must be 12 to 128 printable ASCII characters without spaces or any of @ : / ? # [ ] % \" ' \\."
  }
}

variable "plugin_daemon_db_name" {
  description = "Database of the plugin daemon. Terraform does not create it: the installer's libpq step does, from the db_* outputs."
  type        = string
  default     = "dify_plugin_daemon"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.plugin_daemon_db_name))
    error_message = "The plugin daemon database name must start with a lower-case letter and hold only lower-case letters, digits and underscores (at most 63)."
  }
}

variable "redis_engine_version" {
  description = "ElastiCache Redis engine version."
  type        = string
  default     = "7.1"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+$", var.redis_engine_version))
    error_message = "The Redis engine version must look like 7.1."
  }
}

variable "redis_auth_token" {
  description = "Redis AUTH token (the Redis password Dify uses). Comes from secrets.tfvars.json. ElastiCache takes it only with TLS in transit, which the stack always enables."
  type        = string
  sensitive   = true
  # Not ephemeral: auth_token is not a write-only argument in the AWS
  # provider, so the token is in the state (marked sensitive). Keep the
  # state private.

  # ElastiCache: 16-128 printable ASCII characters without '/', '"', '@'
  # (and no spaces).
  validation {
    condition     = can(regex("^[!#-.0-?A-~]{16,128}$", var.redis_auth_token))
    error_message = "The Redis AUTH token must be 16 to 128 printable ASCII characters without spaces, '/', '\"' or '@'."
  }
}

variable "redis_node_type" {
  description = "ElastiCache node type: cache.t4g.micro (test), cache.t4g.small (prod)."
  type        = string
  default     = "cache.t4g.micro"

  validation {
    condition     = can(regex("^cache\\.[a-z][a-z-]*[0-9][a-z0-9-]*\\.[a-z0-9][a-z0-9-]*$", var.redis_node_type))
    error_message = "The Redis node type must be an ElastiCache node type such as cache.t4g.micro."
  }
}

variable "opensearch_engine_version" {
  description = "OpenSearch engine version as AWS names it, e.g. OpenSearch_2.19."
  type        = string
  default     = "OpenSearch_2.19"

  validation {
    condition     = can(regex("^OpenSearch_[0-9]+\\.[0-9]+$", var.opensearch_engine_version))
    error_message = "The OpenSearch engine version must look like OpenSearch_2.19."
  }
}

variable "opensearch_instance_type" {
  description = "OpenSearch data node type: m6g.large.search (test), m6g.4xlarge.search (prod)."
  type        = string
  default     = "m6g.large.search"

  validation {
    condition     = can(regex("^[a-z][a-z-]*[0-9][a-z0-9-]*\\.[a-z0-9][a-z0-9-]*\\.search$", var.opensearch_instance_type))
    error_message = "The OpenSearch instance type must look like m6g.large.search."
  }
}

variable "opensearch_instance_count" {
  description = "Number of OpenSearch data nodes (test 1, prod 2). More than one spreads over both zones with three dedicated masters, which needs an even count."
  type        = number
  default     = 1

  validation {
    condition     = floor(var.opensearch_instance_count) == var.opensearch_instance_count && (var.opensearch_instance_count == 1 || (var.opensearch_instance_count >= 2 && var.opensearch_instance_count <= 80 && var.opensearch_instance_count % 2 == 0))
    error_message = "The OpenSearch instance count must be 1 or an even number from 2 to 80 (more than one node spreads over the two zones, which needs an even count)."
  }
}

variable "s3_bucket_name" {
  description = "Name of the S3 bucket for Dify's files. Empty: <cluster>-<account id>-<region>, unique to this account, cluster and region (bucket names are global)."
  type        = string
  default     = ""

  # S3's naming rules: 3-63 of a-z, 0-9, '.', '-', a letter or digit at each
  # end, no "..", ".-" or "-.", not an IPv4 address, none of the prefixes
  # and suffixes AWS reserves.
  validation {
    condition = var.s3_bucket_name == "" || (
      can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.s3_bucket_name)) &&
      !anytrue([for x in ["..", ".-", "-."] : strcontains(var.s3_bucket_name, x)]) &&
      !can(regex("^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$", var.s3_bucket_name)) &&
      !anytrue([for x in ["xn--", "sthree-", "amzn-s3-demo-"] : startswith(var.s3_bucket_name, x)]) &&
      !anytrue([for x in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] : endswith(var.s3_bucket_name, x)])
    )
    error_message = "The bucket name must be empty (derived) or 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not an IP address and without a prefix or suffix AWS reserves."
  }
}

variable "ecr_app_repository" {
  description = "Name of the ECR repository for the application images. Empty: <cluster>."
  type        = string
  default     = ""

  # ECR's pattern: components of a-z0-9 joined by one '.', '_' or '-',
  # separated by '/'; 2-256 characters.
  validation {
    condition     = var.ecr_app_repository == "" || (length(var.ecr_app_repository) >= 2 && length(var.ecr_app_repository) <= 256 && can(regex("^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$", var.ecr_app_repository)))
    error_message = "The ECR repository name must be empty (derived) or 2-256 characters: lower-case letters and digits, separated by one '.', '_' or '-', with '/' between components."
  }
}

variable "ecr_plugin_repository" {
  description = "Name (and prefix) of the ECR repositories for enterprise plugin images: the plugin builds may create and push to <name> and <name>/<plugin>. Empty: <cluster>-plugins."
  type        = string
  default     = ""

  validation {
    condition     = var.ecr_plugin_repository == "" || (length(var.ecr_plugin_repository) >= 2 && length(var.ecr_plugin_repository) <= 256 && can(regex("^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$", var.ecr_plugin_repository)))
    error_message = "The ECR repository name must be empty (derived) or 2-256 characters: lower-case letters and digits, separated by one '.', '_' or '-', with '/' between components."
  }
}

variable "irsa_enabled" {
  description = "Create the IRSA roles and policies (S3 and ECR access for Dify's ServiceAccounts). The OIDC provider exists either way."
  type        = bool
  default     = true
}

variable "app_namespace" {
  description = "Kubernetes namespace the Dify pods and their ServiceAccounts live in; the IRSA trust policies name it."
  type        = string
  default     = "dify"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.app_namespace))
    error_message = "The namespace must be a DNS label: lower-case letters, digits and hyphens, at most 63."
  }
}

variable "cluster_admin_principals" {
  description = "IAM role or user ARNs given cluster-admin access entries besides the identity that applies the stack (which EKS makes admin itself)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.cluster_admin_principals : can(regex("^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]{1,512}$", a))]) && length(distinct(var.cluster_admin_principals)) == length(var.cluster_admin_principals)
    error_message = "Each admin principal must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/Admin, each given once."
  }
}

variable "public_access_cidrs" {
  description = "IPv4 blocks allowed to reach the cluster's public API endpoint; 0.0.0.0/0 is anyone (the installer warns). The nodes use the private endpoint either way."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.public_access_cidrs) >= 1 && alltrue([for c in var.public_access_cidrs : can(regex("^[0-9./]+$", c)) && try(cidrsubnet(c, 0, 0) == c, false)])
    error_message = "Give at least one IPv4 network address such as 203.0.113.0/24 (0.0.0.0/0 for anyone)."
  }
}

variable "create_opensearch_service_linked_role" {
  description = "Create the account's OpenSearch service-linked role (AWSServiceRoleForAmazonOpenSearchService), which a domain in a VPC needs. Set false when the account has it already: creating it twice fails."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Extra tags on every resource (merged over Project, Environment, Edition, Cluster, ManagedBy)."
  type        = map(string)
  default     = {}
}
