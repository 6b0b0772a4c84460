# MongoDB on Google Cloud: a Firestore database (Enterprise edition) with MongoDB
# compatibility, which speaks MongoDB's wire protocol to the app's own driver. Serverless:
# no instance to size or patch. Connections use TLS and a SCRAM login of a user Firestore
# generates; the app reads DATABASE_URL from Secret Manager.

variable "mongodb_location" {
  description = "Firestore location of the database: a multi-region (nam5, eur3) or a region. It cannot change once created."
  type        = string
  default     = "nam5"
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
    deploy_roles  = ["roles/datastore.owner"]
  }
}

resource "google_project_service" "firestore" {
  service            = "firestore.googleapis.com"
  disable_on_destroy = false
}

resource "google_firestore_database" "main" {
  name             = "${var.name}-mongodb"
  location_id      = var.mongodb_location
  type             = "FIRESTORE_NATIVE"
  database_edition = "ENTERPRISE"

  # Any moment of the last 7 days can be read back or restored.
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  delete_protection_state           = var.deletion_protection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  deletion_policy                   = "DELETE"

  depends_on = [google_project_service.firestore]
}

# A backup every day, kept two weeks, besides point-in-time recovery.
resource "google_firestore_backup_schedule" "daily" {
  database  = google_firestore_database.main.name
  retention = "1209600s"

  daily_recurrence {}
}

# Firestore generates the user's password, so it is in the Terraform state (there is no
# write-only form). To rotate it, `terraform apply -replace=google_firestore_user_creds.app`.
resource "google_firestore_user_creds" "app" {
  database = google_firestore_database.main.name
  name     = "app"
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

# The form Firestore documents: its host is the database's UID and location; the driver
# must connect load-balanced, over TLS, with retryable writes off (Firestore has none).
resource "google_secret_manager_secret_version" "database_url" {
  secret      = google_secret_manager_secret.database_url.id
  secret_data = "mongodb://${google_firestore_user_creds.app.name}:${google_firestore_user_creds.app.secure_password}@${google_firestore_database.main.uid}.${google_firestore_database.main.location_id}.firestore.goog:443/${google_firestore_database.main.name}?loadBalanced=true&tls=true&retryWrites=false&authMechanism=SCRAM-SHA-256"
}
