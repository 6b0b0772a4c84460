# OpenSearch on Google Cloud, self-managed: Google offers no managed OpenSearch, so the
# official image runs on one Compute Engine VM (Container-Optimized OS) in the VPC, with
# no public IP, its data on a persistent disk snapshotted daily, and a login required.
# The app reads SEARCH_URL, user and password included, from Secret Manager.
#
# Self-managed means: you patch it (a new image tag, `terraform apply`), it is one node
# (a VM or zone failure stops search until it is back; the app then searches the
# database), and restoring it is restoring a disk snapshot or `make reindex`.

variable "search_machine_type" {
  description = "Machine type of the OpenSearch VM; e2-medium (4 GB) fits a 1 GB heap."
  type        = string
  default     = "e2-medium"
}

variable "search_disk_gb" {
  description = "Size of the persistent disk holding the index, in GB."
  type        = number
  default     = 20
}

variable "search_image" {
  description = "The OpenSearch image (the project is tested against OpenSearch 2.19)."
  type        = string
  default     = "opensearchproject/opensearch:2.19.2"
}

variable "search_password_version" {
  description = "Increase by one to write a new random password to both secrets (then change it in OpenSearch too: README)."
  type        = number
  default     = 1
}

locals {
  search_for_app = {
    environment = {}
    secrets = {
      SEARCH_URL = {
        secret  = google_secret_manager_secret.search_url.id
        version = google_secret_manager_secret_version.search_url.version
      }
    }
    nfs_volumes   = {}
    max_instances = null
    cdn           = null
    deploy_roles  = ["roles/compute.instanceAdmin.v1"]
  }

  search_zone = "${var.region}-b"

  # Container-Optimized OS runs this at every boot: format the data disk the first time,
  # mount it, read the admin password from Secret Manager, and start the official image
  # as a systemd service. OpenSearch is single-node; TLS is off on its HTTP port (the
  # login is not), as the app connects by private IP inside the VPC.
  search_cloud_init = <<-EOT
    #cloud-config
    bootcmd:
      - sysctl -w vm.max_map_count=262144
      - blkid /dev/disk/by-id/google-data || mkfs.ext4 -m 0 -E lazy_itable_init=0,lazy_journal_init=0,discard /dev/disk/by-id/google-data
      - mkdir -p /mnt/disks/data
      - mount -o discard,defaults /dev/disk/by-id/google-data /mnt/disks/data
      - mkdir -p /mnt/disks/data/opensearch
      - chown 1000:1000 /mnt/disks/data/opensearch
    write_files:
      - path: /etc/opensearch/secret-env.sh
        permissions: "0700"
        content: |
          set -eu
          token=$(curl -sf -H 'Metadata-Flavor: Google' http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token | tr -d '\n' | sed -E 's/.*"access_token": *"([^"]+)".*/\1/')
          data=$(curl -sf -H "Authorization: Bearer $token" https://secretmanager.googleapis.com/v1/${google_secret_manager_secret.search_password.id}/versions/latest:access | tr -d '\n' | sed -E 's/.*"data": *"([^"]+)".*/\1/')
          umask 077
          echo "OPENSEARCH_INITIAL_ADMIN_PASSWORD=$(echo "$data" | base64 -d)" > /run/opensearch.env
      - path: /etc/systemd/system/opensearch.service
        permissions: "0644"
        content: |
          [Unit]
          Description=OpenSearch (official image)
          Wants=network-online.target
          After=network-online.target docker.service

          [Service]
          ExecStartPre=/bin/sh /etc/opensearch/secret-env.sh
          ExecStartPre=-/usr/bin/docker rm -f opensearch
          ExecStart=/usr/bin/docker run --rm --name opensearch --env-file /run/opensearch.env -e discovery.type=single-node -e plugins.security.ssl.http.enabled=false -e "OPENSEARCH_JAVA_OPTS=-Xms1g -Xmx1g" --ulimit nofile=65536:65536 -p 9200:9200 -v /mnt/disks/data/opensearch:/usr/share/opensearch/data ${var.search_image}
          ExecStop=/usr/bin/docker stop opensearch
          Restart=always
          RestartSec=10
    runcmd:
      - systemctl daemon-reload
      - systemctl start opensearch.service
  EOT
}

# Ephemeral: a new value on every run, kept in no plan and no state. It reaches Secret
# Manager only through write-only arguments, and only when search_password_version
# changes. Upper and lower case, a digit and a symbol, as OpenSearch demands; "-" and
# "_" are safe in a URL as they are.
ephemeral "random_password" "search" {
  length           = 32
  override_special = "-_"
  min_upper        = 1
  min_lower        = 1
  min_numeric      = 1
  min_special      = 1
}

resource "google_secret_manager_secret" "search_password" {
  secret_id = "${var.name}-opensearch-admin-password"

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.base]
}

resource "google_secret_manager_secret_version" "search_password" {
  secret                 = google_secret_manager_secret.search_password.id
  secret_data_wo         = ephemeral.random_password.search.result
  secret_data_wo_version = var.search_password_version
}

resource "google_secret_manager_secret" "search_url" {
  secret_id = "${var.name}-search-url"

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.base]
}

resource "google_secret_manager_secret_version" "search_url" {
  secret                 = google_secret_manager_secret.search_url.id
  secret_data_wo         = "http://admin:${ephemeral.random_password.search.result}@${google_compute_address.search.address}:9200"
  secret_data_wo_version = var.search_password_version
}

# The VM's own identity: it may read its password and write its logs, nothing else.
resource "google_service_account" "search" {
  account_id   = "${var.name}-search"
  display_name = "${var.name} OpenSearch VM"
}

resource "google_secret_manager_secret_iam_member" "search_password" {
  secret_id = google_secret_manager_secret.search_password.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.search.member
}

resource "google_project_iam_member" "search_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = google_service_account.search.member
}

resource "google_compute_address" "search" {
  name         = "${var.name}-search"
  region       = var.region
  subnetwork   = google_compute_subnetwork.main.id
  address_type = "INTERNAL"
}

resource "google_compute_disk" "search" {
  #checkov:skip=CKV_GCP_37:Google encrypts persistent disks at rest with its own keys; a customer-supplied key would have to be given again at every VM start.
  name = "${var.name}-search-data"
  type = "pd-balanced"
  zone = local.search_zone
  size = var.search_disk_gb
}

# A snapshot of the index every night, 7 kept: a lost disk comes back from the last one
# (or the index is rebuilt from the database with `make reindex`).
resource "google_compute_resource_policy" "search_snapshots" {
  name   = "${var.name}-search-snapshots"
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

resource "google_compute_disk_resource_policy_attachment" "search_snapshots" {
  name = google_compute_resource_policy.search_snapshots.name
  disk = google_compute_disk.search.name
  zone = local.search_zone
}

resource "google_compute_instance" "search" {
  #checkov:skip=CKV_GCP_38:Google encrypts the boot disk at rest with its own keys; it holds only the OS image, the data disk holds the index.
  name                      = "${var.name}-search"
  machine_type              = var.search_machine_type
  zone                      = local.search_zone
  tags                      = ["${var.name}-search"]
  deletion_protection       = var.deletion_protection
  allow_stopping_for_update = true

  boot_disk {
    initialize_params {
      image = "cos-cloud/cos-stable"
      size  = 10
    }
  }

  attached_disk {
    source      = google_compute_disk.search.id
    device_name = "data"
  }

  # No access_config: no public IP. Images come in through Cloud NAT.
  network_interface {
    subnetwork = google_compute_subnetwork.main.id
    network_ip = google_compute_address.search.address
  }

  service_account {
    email  = google_service_account.search.email
    scopes = ["cloud-platform"]
  }

  shielded_instance_config {
    enable_secure_boot          = true
    enable_vtpm                 = true
    enable_integrity_monitoring = true
  }

  metadata = {
    user-data              = local.search_cloud_init
    google-logging-enabled = "true"
    block-project-ssh-keys = "true"
    enable-oslogin         = "TRUE"
  }

  depends_on = [google_compute_router_nat.main, google_secret_manager_secret_iam_member.search_password, google_secret_manager_secret_version.search_password]
}

# Only the app (its Cloud Run instances carry the `<name>-app` tag) reaches port 9200.
resource "google_compute_firewall" "search_from_app" {
  name      = "${var.name}-search-from-app"
  network   = google_compute_network.main.id
  direction = "INGRESS"
  priority  = 1000

  source_tags = ["${var.name}-app"]
  target_tags = ["${var.name}-search"]

  allow {
    protocol = "tcp"
    ports    = ["9200"]
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
