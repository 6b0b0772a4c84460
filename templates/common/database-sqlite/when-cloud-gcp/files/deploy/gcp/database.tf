# SQLite on Google Cloud: the database file lives on a Filestore NFS share mounted at
# /app/data, where the image keeps it, so it survives instance replacements and deploys.
# SQLite wants a single writer and a real POSIX filesystem (locks included), which NFS
# from Filestore gives and a Cloud Storage mount does not: the app runs as at most one
# Cloud Run instance. To run more, move to --database postgresql or mysql.

variable "sqlite_share_gb" {
  description = "Size of the Filestore share holding the SQLite file; 1024 GB is the smallest the Basic HDD tier allows."
  type        = number
  default     = 1024
}

locals {
  database_for_app = {
    environment = {}
    secrets     = {}
    nfs_volumes = {
      sqlite = {
        server = google_filestore_instance.sqlite.networks[0].ip_addresses[0]
        # Handed over by the step that gave the share to the image's user, so the app
        # never starts on a share it cannot write.
        path       = terraform_data.sqlite_owner.output
        mount_path = "/app/data"
      }
    }
    max_instances = 1
    cdn           = null
    deploy_roles  = ["roles/file.editor"]
  }
}

resource "google_project_service" "file" {
  service            = "file.googleapis.com"
  disable_on_destroy = false
}

resource "google_filestore_instance" "sqlite" {
  name                        = "${var.name}-sqlite"
  location                    = "${var.region}-b"
  tier                        = "BASIC_HDD"
  deletion_protection_enabled = var.deletion_protection

  file_shares {
    name        = "sqlite"
    capacity_gb = var.sqlite_share_gb

    # Read-write from the app's subnet only. Root keeps its rights (no root squash) so
    # that the one-off step below can hand the share to the image's user.
    nfs_export_options {
      ip_ranges   = [var.subnet_cidr]
      access_mode = "READ_WRITE"
      squash_mode = "NO_ROOT_SQUASH"
    }
  }

  networks {
    network      = google_compute_network.main.name
    modes        = ["MODE_IPV4"]
    connect_mode = "DIRECT_PEERING"
  }

  depends_on = [google_project_service.file]
}

# A share starts owned by root; the image runs as uid 10001. This job, run once after
# the share exists, gives its root directory to that user.
resource "google_cloud_run_v2_job" "sqlite_owner" {
  name                = "${var.name}-sqlite-owner"
  location            = var.region
  deletion_protection = false

  template {
    task_count = 1

    template {
      service_account       = google_service_account.app.email
      execution_environment = "EXECUTION_ENVIRONMENT_GEN2"
      max_retries           = 2
      timeout               = "120s"

      vpc_access {
        egress = "PRIVATE_RANGES_ONLY"

        network_interfaces {
          network    = google_compute_network.main.id
          subnetwork = google_compute_subnetwork.main.id
        }
      }

      volumes {
        name = "sqlite"

        nfs {
          server = google_filestore_instance.sqlite.networks[0].ip_addresses[0]
          path   = "/sqlite"
        }
      }

      containers {
        image   = "docker.io/library/busybox:1.37"
        command = ["sh", "-c", "chown 10001:10001 /share && chmod 0750 /share"]

        volume_mounts {
          name       = "sqlite"
          mount_path = "/share"
        }
      }
    }
  }
}

# Runs the job when the share is (re)created; `gcloud` is on the deploy workflow's runner
# and must be on the machine of whoever applies by hand.
resource "terraform_data" "sqlite_owner" {
  input            = "/sqlite"
  triggers_replace = [google_filestore_instance.sqlite.id, google_cloud_run_v2_job.sqlite_owner.id]

  provisioner "local-exec" {
    command = "gcloud run jobs execute ${google_cloud_run_v2_job.sqlite_owner.name} --region ${var.region} --project ${var.project_id} --wait"
  }
}
