# OpenSearch on Amazon OpenSearch Service: one private node in the VPC, encrypted at rest
# with the project's key and between nodes, HTTPS only, with a login (fine-grained access
# control). The app reads SEARCH_URL, user and password included, from Secrets Manager.

variable "search_instance_type" {
  description = "Instance type of the OpenSearch node."
  type        = string
  default     = "t3.small.search"
}

variable "search_storage_gb" {
  description = "Size of the node's gp3 volume, in GB."
  type        = number
  default     = 10
}

variable "search_engine_version" {
  description = "Engine of the domain (the project is tested against OpenSearch 2.19)."
  type        = string
  default     = "OpenSearch_2.19"
}

locals {
  search_for_app = {
    environment = {}
    secrets     = { SEARCH_URL = aws_secretsmanager_secret_version.search_url.secret_id }
    efs_volumes = {}
    max_tasks   = null
  }

  search_domain = "${var.name}-search"
}

# OpenSearch takes the password only as a plain argument, so it is kept in the state
# (encrypted in the state bucket). It must hold an upper and a lower case letter, a digit
# and a symbol; "-" and "_" are safe in a URL as they are.
resource "random_password" "search" {
  length           = 32
  override_special = "-_"
  min_upper        = 1
  min_lower        = 1
  min_numeric      = 1
  min_special      = 1
}

resource "aws_security_group" "search" {
  name_prefix = "${var.name}-search-"
  description = "${var.name} OpenSearch: HTTPS from the app tasks only"
  vpc_id      = aws_vpc.main.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "search_from_app" {
  security_group_id            = aws_security_group.search.id
  description                  = "HTTPS from the app tasks"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

# (The app's HTTPS egress rule already reaches port 443 everywhere, this domain included.)

resource "aws_opensearch_domain" "main" {
  #checkov:skip=CKV_AWS_318:Three dedicated master nodes would triple the cost of a one-node domain whose index the app can rebuild from the database.
  #checkov:skip=CKV2_AWS_59:Dedicated master nodes would triple the cost of a one-node domain whose index the app can rebuild from the database.
  domain_name    = local.search_domain
  engine_version = var.search_engine_version

  cluster_config {
    instance_type          = var.search_instance_type
    instance_count         = 1
    zone_awareness_enabled = false
  }

  ebs_options {
    ebs_enabled = true
    volume_type = "gp3"
    volume_size = var.search_storage_gb
  }

  vpc_options {
    subnet_ids         = [aws_subnet.private[0].id]
    security_group_ids = [aws_security_group.search.id]
  }

  encrypt_at_rest {
    enabled    = true
    kms_key_id = aws_kms_key.main.arn
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
  }

  # The login is checked by OpenSearch itself (its internal user database); the network
  # (private subnet, security group) decides who may even try.
  advanced_security_options {
    enabled                        = true
    internal_user_database_enabled = true

    master_user_options {
      master_user_name     = "app"
      master_user_password = random_password.search.result
    }
  }

  access_policies = data.aws_iam_policy_document.search_access.json

  log_publishing_options {
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.search.arn
    log_type                 = "ES_APPLICATION_LOGS"
    enabled                  = true
  }

  log_publishing_options {
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.search.arn
    log_type                 = "AUDIT_LOGS"
    enabled                  = true
  }

  depends_on = [aws_cloudwatch_log_resource_policy.search]
}

# Any principal may send HTTP requests, as AWS advises with fine-grained access control:
# the login decides, and only the app's security group reaches the domain at all.
data "aws_iam_policy_document" "search_access" {
  #checkov:skip=CKV_AWS_283:Fine-grained access control checks each request's login, and only the app's security group reaches the private domain; an IAM principal here would need SigV4-signed requests.
  statement {
    actions   = ["es:ESHttp*"]
    resources = ["arn:${local.partition}:es:${var.region}:${local.account_id}:domain/${local.search_domain}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_cloudwatch_log_group" "search" {
  name              = "/${var.name}/opensearch"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_cloudwatch_log_resource_policy" "search" {
  policy_name     = "${var.name}-opensearch-logs"
  policy_document = data.aws_iam_policy_document.search_logs.json
}

data "aws_iam_policy_document" "search_logs" {
  statement {
    actions   = ["logs:PutLogEvents", "logs:CreateLogStream"]
    resources = ["${aws_cloudwatch_log_group.search.arn}:*"]

    principals {
      type        = "Service"
      identifiers = ["es.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_secretsmanager_secret" "search_url" {
  #checkov:skip=CKV2_AWS_57:The URL embeds the password Terraform sets; rotate it with `terraform apply -replace=random_password.search`.
  name_prefix             = "${var.name}/SEARCH_URL-"
  description             = "SEARCH_URL of the ${var.name} app (Amazon OpenSearch Service, HTTPS)"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "search_url" {
  secret_id     = aws_secretsmanager_secret.search_url.arn
  secret_string = "https://app:${random_password.search.result}@${aws_opensearch_domain.main.endpoint}:443"
}
