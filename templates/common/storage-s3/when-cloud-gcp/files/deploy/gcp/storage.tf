# The receipts bucket on Cloud Storage, used through its S3-compatible XML API: the app's
# boto3 code runs unchanged, signing with an HMAC key of a service account that may use
# this bucket and nothing else. Private, versioned, uniform access only.

locals {
  storage_for_app = {
    environment = {
      S3_BUCKET   = google_storage_bucket.receipts.name
      S3_ENDPOINT = "https://storage.googleapis.com"
      # Cloud Storage takes any region in a SigV4 signature; "auto" says so.
      S3_REGION = "auto"
      # The key's id is no secret (it names the key, as a user name does).
      AWS_ACCESS_KEY_ID = google_storage_hmac_key.receipts.access_id
      # boto3 adds CRC checksum headers to uploads by default since 1.36, which Cloud
      # Storage's XML API rejects; only where an operation requires them, then.
      AWS_REQUEST_CHECKSUM_CALCULATION = "when_required"
      AWS_RESPONSE_CHECKSUM_VALIDATION = "when_required"
    }
    secrets = {
      AWS_SECRET_ACCESS_KEY = {
        secret  = google_secret_manager_secret.receipts_key.id
        version = google_secret_manager_secret_version.receipts_key.version
      }
    }
    nfs_volumes   = {}
    max_instances = null
    cdn           = null
    deploy_roles  = ["roles/storage.admin"]
  }
}

resource "google_storage_bucket" "receipts" {
  #checkov:skip=CKV_GCP_62:Access logs would need a second bucket; Cloud Audit Logs (data access) are the better trail and can be turned on for Cloud Storage when needed.
  name          = "${var.project_id}-${var.name}-receipts"
  location      = var.region
  storage_class = "STANDARD"
  force_destroy = false

  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }

  # Overwritten and deleted receipts stay recoverable for 30 days, then go.
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age = 7
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  depends_on = [google_project_service.base]
}

# The identity the HMAC key belongs to. An HMAC key cannot be scoped by itself; what it
# may do is what this account may do: the receipts' objects, and reading the bucket's
# metadata (the app's readiness check asks for the bucket).
resource "google_service_account" "receipts" {
  account_id   = "${var.name}-receipts"
  display_name = "${var.name} receipts bucket (HMAC key of the app)"
}

resource "google_storage_bucket_iam_member" "receipts_objects" {
  bucket = google_storage_bucket.receipts.name
  role   = "roles/storage.objectUser"
  member = google_service_account.receipts.member
}

resource "google_storage_bucket_iam_member" "receipts_bucket" {
  bucket = google_storage_bucket.receipts.name
  role   = "roles/storage.legacyBucketReader"
  member = google_service_account.receipts.member
}

# Cloud Storage generates the key's secret, so it is in the Terraform state (there is no
# write-only form). To rotate it, `terraform apply -replace=google_storage_hmac_key.receipts`.
resource "google_storage_hmac_key" "receipts" {
  service_account_email = google_service_account.receipts.email
}

resource "google_secret_manager_secret" "receipts_key" {
  secret_id = "${var.name}-receipts-hmac-secret"

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.base]
}

resource "google_secret_manager_secret_version" "receipts_key" {
  secret      = google_secret_manager_secret.receipts_key.id
  secret_data = google_storage_hmac_key.receipts.secret
}
