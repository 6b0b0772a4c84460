# MariaDB (or MySQL) on Amazon RDS: private, encrypted with the project's key, backed up
# daily, TLS required. The app reads DATABASE_URL from Secrets Manager.

variable "database_engine" {
  description = "mariadb (the server the project is tested against) or mysql."
  type        = string
  default     = "mariadb"

  validation {
    condition     = contains(["mariadb", "mysql"], var.database_engine)
    error_message = "Pick mariadb or mysql."
  }
}

variable "database_engine_version" {
  description = "Major.minor version of the engine; null: MariaDB 11.4 or MySQL 8.4. RDS applies patch versions in the maintenance window."
  type        = string
  default     = null
}

variable "database_instance_class" {
  description = "RDS instance class of the database server."
  type        = string
  default     = "db.t4g.micro"
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

  database_engine_version = coalesce(var.database_engine_version, { mariadb = "11.4", mysql = "8.4" }[var.database_engine])

  # Performance Insights does not run on the smallest classes (micro, small) of either engine.
  database_insights = !can(regex("^db\\.t[0-9]g?\\.(micro|small)$", var.database_instance_class))
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
  description = "${var.name} ${var.database_engine}: from the app tasks only"
  vpc_id      = aws_vpc.main.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "database_from_app" {
  security_group_id            = aws_security_group.database.id
  description                  = "MySQL protocol from the app tasks"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
}

resource "aws_vpc_security_group_egress_rule" "app_to_database" {
  security_group_id            = aws_security_group.app.id
  description                  = "To the database"
  referenced_security_group_id = aws_security_group.database.id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
}

resource "aws_db_parameter_group" "main" {
  name_prefix = "${var.name}-${var.database_engine}-"
  family      = "${var.database_engine}${local.database_engine_version}"

  parameter {
    name  = "require_secure_transport"
    value = "1"
  }

  # Statements slower than a second, in the slow query log (exported to CloudWatch).
  parameter {
    name  = "slow_query_log"
    value = "1"
  }

  parameter {
    name  = "long_query_time"
    value = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "main" {
  #checkov:skip=CKV_AWS_157:A standby in a second zone doubles the database's cost; set database_multi_az = true where a zone failure must not stop the API.
  #checkov:skip=CKV_AWS_353:Performance Insights does not run on the micro and small classes; it turns on by itself with a larger database_instance_class.
  identifier     = var.name
  engine         = var.database_engine
  engine_version = local.database_engine_version
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
  port                = 3306

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

  enabled_cloudwatch_logs_exports       = ["error", "slowquery"]
  performance_insights_enabled          = local.database_insights
  performance_insights_kms_key_id       = local.database_insights ? aws_kms_key.main.arn : null
  performance_insights_retention_period = local.database_insights ? 7 : null
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
  description             = "DATABASE_URL of the ${var.name} app (RDS ${var.database_engine})"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 7
}

# PyMySQL turns TLS on when given any ssl_* option; without a CA bundle in the image it
# encrypts without verifying the server's certificate, as `sslmode=require` does for
# PostgreSQL. The connection never leaves the VPC's private subnets.
resource "aws_secretsmanager_secret_version" "database_url" {
  secret_id                = aws_secretsmanager_secret.database_url.arn
  secret_string_wo         = "mysql://${aws_db_instance.main.username}:${ephemeral.random_password.database.result}@${aws_db_instance.main.address}:${aws_db_instance.main.port}/${aws_db_instance.main.db_name}?ssl_check_hostname=false"
  secret_string_wo_version = var.database_password_version
}
