# Redis on Amazon ElastiCache: private, encrypted at rest with the project's key and in
# transit with TLS, behind an AUTH token. The app reads REDIS_URL from Secrets Manager.

variable "cache_node_type" {
  description = "ElastiCache node type of the Redis server."
  type        = string
  default     = "cache.t4g.micro"
}

variable "cache_replicas" {
  description = "Read replicas in the other availability zone; one or more turns on automatic failover."
  type        = number
  default     = 0
}

locals {
  cache_for_app = {
    environment = {}
    secrets     = { REDIS_URL = aws_secretsmanager_secret_version.cache_url.secret_id }
    efs_volumes = {}
    max_tasks   = null
  }
}

# ElastiCache takes the AUTH token only as a plain argument, so it is kept in the state
# (encrypted in the state bucket). Letters and digits: safe in a URL as they are.
resource "random_password" "cache" {
  length  = 32
  special = false
}

resource "aws_elasticache_subnet_group" "main" {
  name       = var.name
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_security_group" "cache" {
  name_prefix = "${var.name}-cache-"
  description = "${var.name} Redis: from the app tasks only"
  vpc_id      = aws_vpc.main.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "cache_from_app" {
  security_group_id            = aws_security_group.cache.id
  description                  = "Redis from the app tasks"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
}

resource "aws_vpc_security_group_egress_rule" "app_to_cache" {
  security_group_id            = aws_security_group.app.id
  description                  = "To Redis"
  referenced_security_group_id = aws_security_group.cache.id
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
}

resource "aws_elasticache_replication_group" "main" {
  #checkov:skip=CKV2_AWS_50:A replica doubles the cache's cost, and without the cache the app still serves every read from the database; set cache_replicas = 1 for failover.
  replication_group_id = var.name
  description          = "${var.name} order cache"
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = var.cache_node_type
  num_cache_clusters   = 1 + var.cache_replicas
  port                 = 6379

  automatic_failover_enabled = var.cache_replicas > 0
  multi_az_enabled           = var.cache_replicas > 0

  subnet_group_name  = aws_elasticache_subnet_group.main.name
  security_group_ids = [aws_security_group.cache.id]

  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.main.arn
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  auth_token                 = random_password.cache.result
  auth_token_update_strategy = "ROTATE"

  auto_minor_version_upgrade = true
  maintenance_window         = "sun:05:30-sun:06:30"
  apply_immediately          = false

  log_delivery_configuration {
    destination      = aws_cloudwatch_log_group.cache.name
    destination_type = "cloudwatch-logs"
    log_format       = "json"
    log_type         = "slow-log"
  }
}

resource "aws_cloudwatch_log_group" "cache" {
  name              = "/${var.name}/redis-slow-log"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_secretsmanager_secret" "cache_url" {
  #checkov:skip=CKV2_AWS_57:The URL embeds the AUTH token Terraform sets; rotate it with `terraform apply -replace=random_password.cache`.
  name_prefix             = "${var.name}/REDIS_URL-"
  description             = "REDIS_URL of the ${var.name} app (ElastiCache Redis, TLS)"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "cache_url" {
  secret_id     = aws_secretsmanager_secret.cache_url.arn
  secret_string = "rediss://:${random_password.cache.result}@${aws_elasticache_replication_group.main.primary_endpoint_address}:6379/0"
}
