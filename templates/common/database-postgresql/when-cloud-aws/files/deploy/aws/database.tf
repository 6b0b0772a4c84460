# PostgreSQL on Amazon RDS: private, encrypted with the project's key, backed up daily,
# TLS required. The app reads DATABASE_URL from Secrets Manager.

variable "database_instance_class" {
  description = "RDS instance class of the PostgreSQL server."
  type        = string
  default     = "db.t4g.micro"
}

variable "database_engine_version" {
  description = "PostgreSQL major version; RDS applies minor versions in the maintenance window."
  type        = string
  default     = "17"
}

variable "database_storage_gb" {
  description = "Storage allocated at first; RDS grows it by itself up to ten times this."
  type        = number
  default     = 20
}

variable "database_multi_az" {
  description = "Keep a standby in a second availability zone that takes over within a minute or two (doubles the instance cost)."
  type        = bool
  default     = false
}

variable "database_backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window), 1 to 35."
  type        = number
  default     = 7
}

variable "database_password_version" {
  description = "Increase by one to set a new random password (database and DATABASE_URL secret together)."
  type        = number
  default     = 1
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

# Ephemeral: a new value on every run, kept in no plan and no state. It reaches AWS only
# through write-only arguments, and only when database_password_version changes.
ephemeral "random_password" "database" {
  length  = 32
  special = false
}

resource "aws_db_subnet_group" "main" {
  name       = var.name
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_security_group" "database" {
  name_prefix = "${var.name}-database-"
  description = "${var.name} PostgreSQL: from the app tasks only"
  vpc_id      = aws_vpc.main.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "database_from_app" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the app tasks"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_vpc_security_group_egress_rule" "app_to_database" {
  security_group_id            = aws_security_group.app.id
  description                  = "To PostgreSQL"
  referenced_security_group_id = aws_security_group.database.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_db_parameter_group" "main" {
  name_prefix = "${var.name}-postgres-"
  family      = "postgres${split(".", var.database_engine_version)[0]}"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # Slow statements (over a second) and every schema change, in the PostgreSQL log.
  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "main" {
  #checkov:skip=CKV_AWS_157:A standby in a second zone doubles the database's cost; set database_multi_az = true where a zone failure must not stop the API.
  #checkov:skip=CKV_AWS_161:The app signs in with a password from Secrets Manager; IAM authentication would need short-lived tokens minted in the app's code.
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.database_engine_version
  instance_class = var.database_instance_class

  allocated_storage     = var.database_storage_gb
  max_allocated_storage = var.database_storage_gb * 10
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.main.arn

  db_name             = "app"
  username            = "app"
  password_wo         = ephemeral.random_password.database.result
  password_wo_version = var.database_password_version
  port                = 5432

  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.database.id]
  parameter_group_name   = aws_db_parameter_group.main.name
  publicly_accessible    = false
  multi_az               = var.database_multi_az

  backup_retention_period    = var.database_backup_retention_days
  backup_window              = "03:00-04:00"
  maintenance_window         = "sun:04:30-sun:05:30"
  copy_tags_to_snapshot      = true
  auto_minor_version_upgrade = true
  deletion_protection        = var.deletion_protection
  skip_final_snapshot        = false
  final_snapshot_identifier  = "${var.name}-final"

  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.main.arn
  performance_insights_retention_period = 7
  monitoring_interval                   = 60
  monitoring_role_arn                   = aws_iam_role.database_monitoring.arn
}

resource "aws_iam_role" "database_monitoring" {
  name               = "${var.name}-rds-monitoring"
  assume_role_policy = data.aws_iam_policy_document.database_monitoring_assume.json
}

data "aws_iam_policy_document" "database_monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy_attachment" "database_monitoring" {
  role       = aws_iam_role.database_monitoring.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_secretsmanager_secret" "database_url" {
  #checkov:skip=CKV2_AWS_57:The URL embeds the password Terraform sets; rotate both together by raising database_password_version and applying.
  name_prefix             = "${var.name}/DATABASE_URL-"
  description             = "DATABASE_URL of the ${var.name} app (RDS PostgreSQL)"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "database_url" {
  secret_id                = aws_secretsmanager_secret.database_url.arn
  secret_string_wo         = "postgresql://${aws_db_instance.main.username}:${ephemeral.random_password.database.result}@${aws_db_instance.main.address}:${aws_db_instance.main.port}/${aws_db_instance.main.db_name}?sslmode=require"
  secret_string_wo_version = var.database_password_version
}
