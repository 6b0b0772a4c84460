# RabbitMQ on Google Cloud, self-managed: Google offers no managed RabbitMQ, so the
# official image runs on one Compute Engine VM (Container-Optimized OS) in the VPC, with
# no public IP and its data on a persistent disk snapshotted daily. The app and the
# worker read AMQP_URL from Secret Manager.
#
# Self-managed means: you patch it (a new image tag, `terraform apply`), it is one node
# (a VM or zone failure stops the queue until it is back; the app keeps events in memory
# meanwhile), and restoring it is restoring a disk snapshot.

variable "queue_machine_type" {
  description = "Machine type of the RabbitMQ VM."
  type        = string
  default     = "e2-small"
}

variable "queue_disk_gb" {
  description = "Size of the persistent disk holding RabbitMQ's data, in GB."
  type        = number
  default     = 10
}

variable "queue_image" {
  description = "The RabbitMQ image."
  type        = string
  default     = "rabbitmq:3.13"
}

variable "queue_password_version" {
  description = "Increase by one to write a new random password to both secrets (then change it in RabbitMQ too: README)."
  type        = number
  default     = 1
}

locals {
  queue_for_app = {
    environment = {}
    secrets = {
      AMQP_URL = {
        secret  = google_secret_manager_secret.queue_url.id
        version = google_secret_manager_secret_version.queue_url.version
      }
    }
    nfs_volumes   = {}
    max_instances = null
    cdn           = null
    deploy_roles  = ["roles/compute.instanceAdmin.v1"]
  }

  queue_zone = "${var.region}-b"

  # Container-Optimized OS runs this at every boot: format the data disk the first time,
  # mount it, read the password from Secret Manager, and start the official image as a
  # systemd service. RabbitMQ creates the `app` user from it on its first start only.
  queue_cloud_init = <<-EOT
    #cloud-config
    bootcmd:
      - blkid /dev/disk/by-id/google-data || mkfs.ext4 -m 0 -E lazy_itable_init=0,lazy_journal_init=0,discard /dev/disk/by-id/google-data
      - mkdir -p /mnt/disks/data
      - mount -o discard,defaults /dev/disk/by-id/google-data /mnt/disks/data
      - mkdir -p /mnt/disks/data/rabbitmq
      - chown 999:999 /mnt/disks/data/rabbitmq
    write_files:
      - path: /etc/rabbitmq/secret-env.sh
        permissions: "0700"
        content: |
          set -eu
          token=$(curl -sf -H 'Metadata-Flavor: Google' http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token | tr -d '\n' | sed -E 's/.*"access_token": *"([^"]+)".*/\1/')
          data=$(curl -sf -H "Authorization: Bearer $token" https://secretmanager.googleapis.com/v1/${google_secret_manager_secret.queue_password.id}/versions/latest:access | tr -d '\n' | sed -E 's/.*"data": *"([^"]+)".*/\1/')
          umask 077
          printf 'RABBITMQ_DEFAULT_USER=app\nRABBITMQ_DEFAULT_PASS=%s\n' "$(echo "$data" | base64 -d)" > /run/rabbitmq.env
      - path: /etc/systemd/system/rabbitmq.service
        permissions: "0644"
        content: |
          [Unit]
          Description=RabbitMQ (official image)
          Wants=network-online.target
          After=network-online.target docker.service

          [Service]
          ExecStartPre=/bin/sh /etc/rabbitmq/secret-env.sh
          ExecStartPre=-/usr/bin/docker rm -f rabbitmq
          ExecStart=/usr/bin/docker run --rm --name rabbitmq --hostname rabbitmq --env-file /run/rabbitmq.env -p 5672:5672 -v /mnt/disks/data/rabbitmq:/var/lib/rabbitmq ${var.queue_image}
          ExecStop=/usr/bin/docker stop -t 60 rabbitmq
          Restart=always
          RestartSec=10
    runcmd:
      - systemctl daemon-reload
      - systemctl start rabbitmq.service
  EOT
}

# Ephemeral: a new value on every run, kept in no plan and no state. It reaches Secret
# Manager only through write-only arguments, and only when queue_password_version
# changes. Letters and digits: safe in a URL as they are.
ephemeral "random_password" "queue" {
  length  = 32
  special = false
}

resource "google_secret_manager_secret" "queue_password" {
  secret_id = "${var.name}-rabbitmq-password"

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.base]
}

resource "google_secret_manager_secret_version" "queue_password" {
  secret                 = google_secret_manager_secret.queue_password.id
  secret_data_wo         = ephemeral.random_password.queue.result
  secret_data_wo_version = var.queue_password_version
}

resource "google_secret_manager_secret" "queue_url" {
  secret_id = "${var.name}-amqp-url"

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.base]
}

resource "google_secret_manager_secret_version" "queue_url" {
  secret                 = google_secret_manager_secret.queue_url.id
  secret_data_wo         = "amqp://app:${ephemeral.random_password.queue.result}@${google_compute_address.queue.address}:5672/%2F"
  secret_data_wo_version = var.queue_password_version
}

# The VM's own identity: it may read its password and write its logs, nothing else.
resource "google_service_account" "queue" {
  account_id   = "${var.name}-queue"
  display_name = "${var.name} RabbitMQ VM"
}

resource "google_secret_manager_secret_iam_member" "queue_password" {
  secret_id = google_secret_manager_secret.queue_password.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.queue.member
}

resource "google_project_iam_member" "queue_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = google_service_account.queue.member
}

resource "google_compute_address" "queue" {
  name         = "${var.name}-queue"
  region       = var.region
  subnetwork   = google_compute_subnetwork.main.id
  address_type = "INTERNAL"
}

resource "google_compute_disk" "queue" {
  #checkov:skip=CKV_GCP_37:Google encrypts persistent disks at rest with its own keys; a customer-supplied key would have to be given again at every VM start.
  name = "${var.name}-queue-data"
  type = "pd-balanced"
  zone = local.queue_zone
  size = var.queue_disk_gb
}

# A snapshot of the broker's data every night, 7 kept.
resource "google_compute_resource_policy" "queue_snapshots" {
  name   = "${var.name}-queue-snapshots"
  region = var.region

  snapshot_schedule_policy {
    schedule {
      daily_schedule {
        days_in_cycle = 1
        start_time    = "03:00"
      }
    }

    retention_policy {
      max_retention_days    = 7
      on_source_disk_delete = "KEEP_AUTO_SNAPSHOTS"
    }
  }
}

resource "google_compute_disk_resource_policy_attachment" "queue_snapshots" {
  name = google_compute_resource_policy.queue_snapshots.name
  disk = google_compute_disk.queue.name
  zone = local.queue_zone
}

resource "google_compute_instance" "queue" {
  #checkov:skip=CKV_GCP_38:Google encrypts the boot disk at rest with its own keys; it holds only the OS image, the data disk holds the messages.
  name                      = "${var.name}-queue"
  machine_type              = var.queue_machine_type
  zone                      = local.queue_zone
  tags                      = ["${var.name}-queue"]
  deletion_protection       = var.deletion_protection
  allow_stopping_for_update = true

  boot_disk {
    initialize_params {
      image = "cos-cloud/cos-stable"
      size  = 10
    }
  }

  attached_disk {
    source      = google_compute_disk.queue.id
    device_name = "data"
  }

  # No access_config: no public IP. Images come in through Cloud NAT.
  network_interface {
    subnetwork = google_compute_subnetwork.main.id
    network_ip = google_compute_address.queue.address
  }

  service_account {
    email  = google_service_account.queue.email
    scopes = ["cloud-platform"]
  }

  shielded_instance_config {
    enable_secure_boot          = true
    enable_vtpm                 = true
    enable_integrity_monitoring = true
  }

  metadata = {
    user-data              = local.queue_cloud_init
    google-logging-enabled = "true"
    block-project-ssh-keys = "true"
    enable-oslogin         = "TRUE"
  }

  depends_on = [google_compute_router_nat.main, google_secret_manager_secret_iam_member.queue_password, google_secret_manager_secret_version.queue_password]
}

# Only the app and the worker (their Cloud Run instances carry the `<name>-app` tag)
# reach port 5672.
resource "google_compute_firewall" "queue_from_app" {
  name      = "${var.name}-queue-from-app"
  network   = google_compute_network.main.id
  direction = "INGRESS"
  priority  = 1000

  source_tags = ["${var.name}-app"]
  target_tags = ["${var.name}-queue"]

  allow {
    protocol = "tcp"
    ports    = ["5672"]
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
