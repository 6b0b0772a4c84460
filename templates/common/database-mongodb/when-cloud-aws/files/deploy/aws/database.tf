# MongoDB's managed counterpart on AWS: an Amazon DocumentDB cluster (MongoDB 5.0 API),
# private, encrypted with the project's key, backed up daily, TLS required. The app
# reads DATABASE_URL from Secrets Manager.

variable "database_instance_class" {
  description = "DocumentDB instance class of each cluster instance."
  type        = string
  default     = "db.t4g.medium"
}

variable "database_instances" {
  description = "Instances in the cluster: one writer, the rest readers that take over when it fails."
  type        = number
  default     = 1
}

variable "database_backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window), 1 to 35."
  type        = number
  default     = 7
}

locals {
  database_for_app = {
    environment = {}
    # The secret version's secret_id is the secret's ARN: referencing it through the
    # version makes the tasks wait until the URL is stored.
    secrets     = { DATABASE_URL = aws_secretsmanager_secret_version.database_url.secret_id }
    efs_volumes = {}
    max_tasks   = null
  }
}

resource "random_password" "database" {
  length  = 32
  special = false
}

resource "aws_docdb_subnet_group" "main" {
  name       = var.name
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_security_group" "database" {
  name_prefix = "${var.name}-database-"
  description = "${var.name} DocumentDB: from the app tasks only"
  vpc_id      = aws_vpc.main.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "database_from_app" {
  security_group_id            = aws_security_group.database.id
  description                  = "DocumentDB from the app tasks"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 27017
  to_port                      = 27017
}

resource "aws_vpc_security_group_egress_rule" "app_to_database" {
  security_group_id            = aws_security_group.app.id
  description                  = "To DocumentDB"
  referenced_security_group_id = aws_security_group.database.id
  ip_protocol                  = "tcp"
  from_port                    = 27017
  to_port                      = 27017
}

resource "aws_docdb_cluster_parameter_group" "main" {
  name_prefix = "${var.name}-docdb-"
  family      = "docdb5.0"

  parameter {
    name  = "tls"
    value = "enabled"
  }

  # Who signed in and what changed the schema, in CloudWatch Logs.
  parameter {
    name  = "audit_logs"
    value = "enabled"
  }

  # Operations slower than a second, in CloudWatch Logs.
  parameter {
    name  = "profiler"
    value = "enabled"
  }

  parameter {
    name  = "profiler_threshold_ms"
    value = "1000"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_docdb_cluster" "main" {
  cluster_identifier = var.name
  engine             = "docdb"
  engine_version     = "5.0.0"
  master_username    = "app"
  master_password    = random_password.database.result
  port               = 27017

  db_subnet_group_name            = aws_docdb_subnet_group.main.name
  vpc_security_group_ids          = [aws_security_group.database.id]
  db_cluster_parameter_group_name = aws_docdb_cluster_parameter_group.main.name
  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.main.arn

  backup_retention_period         = var.database_backup_retention_days
  preferred_backup_window         = "03:00-04:00"
  preferred_maintenance_window    = "sun:04:30-sun:05:30"
  enabled_cloudwatch_logs_exports = ["audit", "profiler"]
  deletion_protection             = var.deletion_protection
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${var.name}-final"
}

resource "aws_docdb_cluster_instance" "main" {
  count                      = var.database_instances
  identifier                 = "${var.name}-${count.index}"
  cluster_identifier         = aws_docdb_cluster.main.id
  instance_class             = var.database_instance_class
  auto_minor_version_upgrade = true
}

resource "aws_secretsmanager_secret" "database_url" {
  #checkov:skip=CKV2_AWS_57:The URL embeds the password Terraform sets; rotate both with `terraform apply -replace=random_password.database`.
  name_prefix             = "${var.name}/DATABASE_URL-"
  description             = "DATABASE_URL of the ${var.name} app (Amazon DocumentDB)"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 7
}

# TLS without checking the server's certificate against the Amazon RDS CA, which the
# image does not carry (see the README); DocumentDB has no retryable writes.
resource "aws_secretsmanager_secret_version" "database_url" {
  secret_id     = aws_secretsmanager_secret.database_url.arn
  secret_string = "mongodb://${aws_docdb_cluster.main.master_username}:${random_password.database.result}@${aws_docdb_cluster.main.endpoint}:${aws_docdb_cluster.main.port}/app?tls=true&tlsAllowInvalidCertificates=true&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false"
}
