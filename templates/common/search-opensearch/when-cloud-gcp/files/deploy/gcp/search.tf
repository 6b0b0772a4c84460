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
        secret  = module.search.url_secret
        version = module.search.url_secret_version
      }
    }
    nfs_volumes   = {}
    max_instances = null
    cdn           = null
    deploy_roles  = ["roles/compute.instanceAdmin.v1"]
  }
}

# The VM, its disk and snapshots, its two secrets and its firewall rule: the module
# (modules/private-vm/) holds what every self-managed service on a VM shares.
# OpenSearch is single-node and keeps its security plugin on (every request needs the
# login SEARCH_URL carries); TLS is off on its HTTP port, as the app connects by private
# IP inside the VPC. It takes the admin password only when it first initialises its
# security index, and demands an upper and a lower case letter, a digit and a symbol.
module "search" {
  source = "./modules/private-vm"

  name                = "${var.name}-search"
  display_name        = "${var.name} OpenSearch VM"
  project_id          = var.project_id
  region              = var.region
  network_id          = google_compute_network.main.id
  subnetwork_id       = google_compute_subnetwork.main.id
  client_tag          = "${var.name}-app"
  machine_type        = var.search_machine_type
  disk_gb             = var.search_disk_gb
  deletion_protection = var.deletion_protection

  service        = "opensearch"
  title          = "OpenSearch"
  image          = var.search_image
  port           = 9200
  data_path      = "/usr/share/opensearch/data"
  data_owner     = "1000:1000"
  boot_commands  = ["sysctl -w vm.max_map_count=262144"]
  docker_options = "-e discovery.type=single-node -e plugins.security.ssl.http.enabled=false -e \"OPENSEARCH_JAVA_OPTS=-Xms1g -Xmx1g\" --ulimit nofile=65536:65536"

  password_variable    = "OPENSEARCH_INITIAL_ADMIN_PASSWORD"
  password_every_class = true
  password_version     = var.search_password_version
  password_secret_id   = "${var.name}-opensearch-admin-password"
  url_secret_id        = "${var.name}-search-url"
  url_scheme           = "http"
  url_user             = "admin"

  depends_on = [google_project_service.base, google_compute_router_nat.main]
}
