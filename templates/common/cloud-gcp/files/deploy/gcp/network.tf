# The network: a VPC of the project's own with one subnet in the region. The app's
# instances send their private traffic into it (Direct VPC egress) and the data stores
# live in it or next to it, with private addresses only; nothing in it has a public IP.
#
# A VPC of its own, rather than the project's `default` network, keeps the project
# self-contained: its firewall rules are only the ones below and in the services' files,
# and `terraform destroy` leaves nothing behind.

resource "google_compute_network" "main" {
  name                    = var.name
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"

  depends_on = [google_project_service.base]
}

resource "google_compute_subnetwork" "main" {
  name          = "${var.name}-${var.region}"
  network       = google_compute_network.main.id
  region        = var.region
  ip_cidr_range = var.subnet_cidr

  # Google APIs (Artifact Registry, Secret Manager, Cloud Storage) by their public names
  # but over Google's network, for anything here without a public IP.
  private_ip_google_access = true

  # A sample of the connections in and out of the subnet, in Cloud Logging: what the
  # firewall let through or turned away, and from where.
  log_config {
    aggregation_interval = "INTERVAL_10_MIN"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

# A VPC lets nothing in unless a rule says so; this rule says the same explicitly, with
# logging, so that what was turned away shows up in Cloud Logging. The services' own
# rules (higher priority) let the app's subnet reach exactly their ports.
resource "google_compute_firewall" "deny_ingress" {
  name      = "${var.name}-deny-ingress"
  network   = google_compute_network.main.id
  direction = "INGRESS"
  priority  = 65000

  source_ranges = ["0.0.0.0/0"]

  deny {
    protocol = "all"
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

# Private services access: an address range of the VPC that Google's managed services
# (Cloud SQL, Memorystore) take their private IPs from, through a peering with Google's
# own network. Reserving it costs nothing while no service uses it.
resource "google_compute_global_address" "private_services" {
  name          = "${var.name}-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 20
  network       = google_compute_network.main.id
}

resource "google_service_networking_connection" "private_services" {
  network                 = google_compute_network.main.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.private_services.name]

  # Google keeps the peering until the last managed instance in it is gone, which is
  # after Terraform deleted them; abandoning it lets `terraform destroy` finish.
  deletion_policy = "ABANDON"
}

# Outbound internet for what has no public IP: the self-managed VMs pull their images
# through it. Cloud NAT costs nothing while no VM uses it.
resource "google_compute_router" "main" {
  name    = var.name
  network = google_compute_network.main.id
  region  = var.region
}

resource "google_compute_router_nat" "main" {
  name                               = var.name
  router                             = google_compute_router.main.name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}
