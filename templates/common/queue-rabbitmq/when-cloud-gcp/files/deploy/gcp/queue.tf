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
        secret  = module.queue.url_secret
        version = module.queue.url_secret_version
      }
    }
    nfs_volumes   = {}
    max_instances = null
    cdn           = null
    deploy_roles  = ["roles/compute.instanceAdmin.v1"]
  }
}

# The VM, its disk and snapshots, its two secrets and its firewall rule: the module
# (modules/private-vm/) holds what every self-managed service on a VM shares. Both the
# app and the worker carry the `<name>-app` tag, so both reach port 5672. RabbitMQ
# creates the `app` user from the generated password on its first start only; the node
# name follows the fixed host name, so its data folder stays the same across restarts.
module "queue" {
  source = "./modules/private-vm"

  name                = "${var.name}-queue"
  display_name        = "${var.name} RabbitMQ VM"
  project_id          = var.project_id
  region              = var.region
  network_id          = google_compute_network.main.id
  subnetwork_id       = google_compute_subnetwork.main.id
  client_tag          = "${var.name}-app"
  machine_type        = var.queue_machine_type
  disk_gb             = var.queue_disk_gb
  deletion_protection = var.deletion_protection

  service        = "rabbitmq"
  title          = "RabbitMQ"
  image          = var.queue_image
  port           = 5672
  data_path      = "/var/lib/rabbitmq"
  data_owner     = "999:999"
  docker_options = "--hostname rabbitmq -e RABBITMQ_DEFAULT_USER=app"
  stop_seconds   = 60

  password_variable  = "RABBITMQ_DEFAULT_PASS"
  password_version   = var.queue_password_version
  password_secret_id = "${var.name}-rabbitmq-password"
  url_secret_id      = "${var.name}-amqp-url"
  url_scheme         = "amqp"
  url_user           = "app"
  url_path           = "/%2F"

  depends_on = [google_project_service.base, google_compute_router_nat.main]
}
