# MySQL on Cloud SQL: a private IP in the VPC only, TLS required, backed up daily with
# point-in-time recovery. Cloud SQL offers no MariaDB, the server the project is tested
# against; MySQL 8.4 speaks the same protocol and SQL for everything the app does. The
# app reads DATABASE_URL from Secret Manager.

variable "database_tier" {
  description = "Cloud SQL machine type of the MySQL server (db-f1-micro and db-g1-small are shared-core)."
  type        = string
  default     = "db-f1-micro"
}

variable "database_version" {
  description = "Cloud SQL MySQL version; Google applies minor versions in the maintenance window."
  type        = string
  default     = "MYSQL_8_4"
}

variable "database_disk_gb" {
  description = "SSD storage allocated at first; Cloud SQL grows it by itself when it fills up."
  type        = number
  default     = 10
}

variable "database_high_availability" {
  description = "Keep a standby in a second zone that takes over within a minute or so (doubles the instance cost)."
  type        = bool
  default     = false
}

variable "database_backup_count" {
  description = "Daily backups kept; point-in-time recovery covers the last 7 days."
  type        = number
  default     = 7
}

variable "database_password_version" {
  description = "Increase by one to set a new random password (database user and DATABASE_URL secret together)."
  type        = number
  default     = 1
}

locals {
  database_for_app = {
    environment = {}
    secrets = {
      DATABASE_URL = {
        secret  = google_secret_manager_secret.database_url.id
        version = google_secret_manager_secret_version.database_url.version
      }
    }
    nfs_volumes   = {}
    max_instances = null
    cdn           = null
    deploy_roles  = ["roles/cloudsql.admin"]
  }
}

resource "google_project_service" "sqladmin" {
  service            = "sqladmin.googleapis.com"
  disable_on_destroy = false
}

# Ephemeral: a new value on every run, kept in no plan and no state. It reaches Google
# only through write-only arguments, and only when database_password_version changes.
ephemeral "random_password" "database" {
  length  = 32
  special = false
}

# Cloud SQL keeps an instance's name for a week after deleting it; a suffix lets a
# replaced instance take a fresh one.
resource "random_id" "database" {
  byte_length = 2
}

resource "google_sql_database_instance" "main" {
  #checkov:skip=CKV_GCP_6:ssl_mode ENCRYPTED_ONLY refuses every unencrypted connection; requiring client certificates too would mean issuing and rotating one for the app.
  name                = "${var.name}-mysql-${random_id.database.hex}"
  database_version    = var.database_version
  region              = var.region
  deletion_protection = var.deletion_protection

  settings {
    edition           = "ENTERPRISE"
    tier              = var.database_tier
    availability_type = var.database_high_availability ? "REGIONAL" : "ZONAL"
    disk_type         = "PD_SSD"
    disk_size         = var.database_disk_gb
    disk_autoresize   = true

    deletion_protection_enabled = var.deletion_protection

    # No public IP: the instance has an address in the private services range of the
    # VPC only, and it takes TLS connections only.
    ip_configuration {
      ipv4_enabled    = false
      private_network = google_compute_network.main.id
      ssl_mode        = "ENCRYPTED_ONLY"
    }

    # The binary log is what point-in-time recovery replays.
    backup_configuration {
      enabled                        = true
      start_time                     = "03:00"
      binary_log_enabled             = true
      transaction_log_retention_days = 7

      backup_retention_settings {
        retained_backups = var.database_backup_count
        retention_unit   = "COUNT"
      }
    }

    maintenance_window {
      day          = 7
      hour         = 4
      update_track = "stable"
    }

    insights_config {
      query_insights_enabled = true
    }

    # Statements slower than a second, in the slow query log (Cloud Logging).
    database_flags {
      name  = "slow_query_log"
      value = "on"
    }

    database_flags {
      name  = "long_query_time"
      value = "1"
    }

    database_flags {
      name  = "log_output"
      value = "FILE"
    }
  }

  depends_on = [google_service_networking_connection.private_services, google_project_service.sqladmin]
}

resource "google_sql_database" "app" {
  name     = "app"
  instance = google_sql_database_instance.main.name
}

resource "google_sql_user" "app" {
  name                = "app"
  instance            = google_sql_database_instance.main.name
  password_wo         = ephemeral.random_password.database.result
  password_wo_version = var.database_password_version
}

resource "google_secret_manager_secret" "database_url" {
  secret_id = "${var.name}-database-url"

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.base]
}

# PyMySQL turns TLS on when given any ssl_* option; without a CA bundle for the
# instance it encrypts without verifying the server's certificate, as `sslmode=require`
# does for PostgreSQL. The connection never leaves the VPC and its peering.
resource "google_secret_manager_secret_version" "database_url" {
  secret                 = google_secret_manager_secret.database_url.id
  secret_data_wo         = "mysql://${google_sql_user.app.name}:${ephemeral.random_password.database.result}@${google_sql_database_instance.main.private_ip_address}:3306/${google_sql_database.app.name}?ssl_check_hostname=false"
  secret_data_wo_version = var.database_password_version
}
