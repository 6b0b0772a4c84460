# One official container image on one private Compute Engine VM (Container-Optimized
# OS): no public IP, a fixed private address in the VPC's subnet, its data on a
# persistent disk snapshotted nightly, a generated password kept in Secret Manager, and
# a firewall rule that lets in only the instances tagged var.client_tag, on var.port.
# The services Google Cloud does not offer managed (search.tf, queue.tf) call it.

locals {
  zone = "${var.region}-b"
}

# Ephemeral: a new value on every run, kept in no plan and no state. It reaches Secret
# Manager only through write-only arguments, and only when var.password_version changes.
# Either set of characters is safe in a URL as it is.
ephemeral "random_password" "service" {
  length           = 32
  special          = var.password_every_class
  override_special = "-_"
  min_upper        = var.password_every_class ? 1 : 0
  min_lower        = var.password_every_class ? 1 : 0
  min_numeric      = var.password_every_class ? 1 : 0
  min_special      = var.password_every_class ? 1 : 0
}

resource "google_secret_manager_secret" "password" {
  secret_id = var.password_secret_id

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }
}

resource "google_secret_manager_secret_version" "password" {
  secret                 = google_secret_manager_secret.password.id
  secret_data_wo         = ephemeral.random_password.service.result
  secret_data_wo_version = var.password_version
}

resource "google_secret_manager_secret" "url" {
  secret_id = var.url_secret_id

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }
}

resource "google_secret_manager_secret_version" "url" {
  secret                 = google_secret_manager_secret.url.id
  secret_data_wo         = "${var.url_scheme}://${var.url_user}:${ephemeral.random_password.service.result}@${google_compute_address.vm.address}:${var.port}${var.url_path}"
  secret_data_wo_version = var.password_version
}

# The VM's own identity: it may read its password and write its logs, nothing else.
resource "google_service_account" "vm" {
  account_id   = var.name
  display_name = var.display_name
}

resource "google_secret_manager_secret_iam_member" "password" {
  secret_id = google_secret_manager_secret.password.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.vm.member
}

resource "google_project_iam_member" "logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = google_service_account.vm.member
}

resource "google_compute_address" "vm" {
  name         = var.name
  region       = var.region
  subnetwork   = var.subnetwork_id
  address_type = "INTERNAL"
}

resource "google_compute_disk" "data" {
  #checkov:skip=CKV_GCP_37:Google encrypts persistent disks at rest with its own keys; a customer-supplied key would have to be given again at every VM start.
  name = "${var.name}-data"
  type = "pd-balanced"
  zone = local.zone
  size = var.disk_gb
}

# A snapshot of the data disk every night, 7 kept: a lost disk comes back from the last.
resource "google_compute_resource_policy" "snapshots" {
  name   = "${var.name}-snapshots"
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

resource "google_compute_disk_resource_policy_attachment" "snapshots" {
  name = google_compute_resource_policy.snapshots.name
  disk = google_compute_disk.data.name
  zone = local.zone
}

resource "google_compute_instance" "vm" {
  #checkov:skip=CKV_GCP_38:Google encrypts the boot disk at rest with its own keys; it holds only the OS image, the data disk holds the service's data.
  name                      = var.name
  machine_type              = var.machine_type
  zone                      = local.zone
  tags                      = [var.name]
  deletion_protection       = var.deletion_protection
  allow_stopping_for_update = true

  boot_disk {
    initialize_params {
      image = "cos-cloud/cos-stable"
      size  = 10
    }
  }

  attached_disk {
    source      = google_compute_disk.data.id
    device_name = "data"
  }

  # No access_config: no public IP. Images come in through Cloud NAT.
  network_interface {
    subnetwork = var.subnetwork_id
    network_ip = google_compute_address.vm.address
  }

  service_account {
    email  = google_service_account.vm.email
    scopes = ["cloud-platform"]
  }

  shielded_instance_config {
    enable_secure_boot          = true
    enable_vtpm                 = true
    enable_integrity_monitoring = true
  }

  # Container-Optimized OS runs the cloud-init file at every boot: it formats the data
  # disk the first time, mounts it, reads the password from Secret Manager and starts
  # the image as a systemd service.
  metadata = {
    user-data = templatefile("${path.module}/cloud-init.yaml.tftpl", {
      boot_commands     = var.boot_commands
      service           = var.service
      title             = var.title
      data_owner        = var.data_owner
      data_path         = var.data_path
      password_secret   = google_secret_manager_secret.password.id
      password_variable = var.password_variable
      docker_options    = var.docker_options
      port              = var.port
      image             = var.image
      stop_seconds      = var.stop_seconds
    })
    google-logging-enabled = "true"
    block-project-ssh-keys = "true"
    enable-oslogin         = "TRUE"
  }

  depends_on = [google_secret_manager_secret_iam_member.password, google_secret_manager_secret_version.password]
}

# Only the clients (instances tagged var.client_tag) reach the service's port.
resource "google_compute_firewall" "from_clients" {
  name      = "${var.name}-from-app"
  network   = var.network_id
  direction = "INGRESS"
  priority  = 1000

  source_tags = [var.client_tag]
  target_tags = [var.name]

  allow {
    protocol = "tcp"
    ports    = [tostring(var.port)]
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
