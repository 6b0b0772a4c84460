# The public entry point: a global external Application Load Balancer with one static
# address, sending every request to the app's Cloud Run service through a serverless
# network endpoint group. HTTPS with a Google-managed certificate once `domain` is set
# (HTTP then only redirects), plain HTTP until then.

locals {
  https = var.domain != ""
}

resource "google_compute_global_address" "lb" {
  name = "${var.name}-lb"

  depends_on = [google_project_service.base]
}

resource "google_compute_region_network_endpoint_group" "app" {
  name                  = "${var.name}-app"
  region                = var.region
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = google_cloud_run_v2_service.app.name
  }
}

# Cloud Run checks the instances itself (startup and liveness probes on /health), so a
# serverless backend takes no load balancer health check.
resource "google_compute_backend_service" "app" {
  name                  = "${var.name}-app"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTPS"

  backend {
    group = google_compute_region_network_endpoint_group.app.id
  }

  # Every request, in Cloud Logging next to the app's own lines.
  log_config {
    enable      = true
    sample_rate = 1
  }

  enable_cdn = local.app_cdn != null

  dynamic "cdn_policy" {
    for_each = local.app_cdn == null ? [] : [local.app_cdn]

    content {
      cache_mode         = cdn_policy.value.cache_mode
      negative_caching   = cdn_policy.value.negative_caching
      serve_while_stale  = cdn_policy.value.serve_while_stale
      request_coalescing = cdn_policy.value.request_coalescing

      cache_key_policy {
        include_host         = true
        include_protocol     = true
        include_query_string = true
      }
    }
  }
}

resource "google_compute_url_map" "app" {
  name            = "${var.name}-app"
  default_service = google_compute_backend_service.app.id
}

# With a domain, port 80 answers every request with a redirect to HTTPS.
resource "google_compute_url_map" "https_redirect" {
  count = local.https ? 1 : 0

  name = "${var.name}-https-redirect"

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

resource "google_compute_target_http_proxy" "app" {
  name    = "${var.name}-http"
  url_map = local.https ? google_compute_url_map.https_redirect[0].id : google_compute_url_map.app.id
}

resource "google_compute_global_forwarding_rule" "http" {
  name                  = "${var.name}-http"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.lb.id
  port_range            = "80"
  target                = google_compute_target_http_proxy.app.id
}

# Google issues and renews the certificate once the domain's A record points at the
# load balancer's address; until then HTTPS fails and HTTP still redirects to it.
resource "google_compute_managed_ssl_certificate" "app" {
  count = local.https ? 1 : 0

  # A new name for a new domain, so the new certificate can exist before the old one goes.
  name = "${var.name}-${substr(sha1(var.domain), 0, 8)}"

  managed {
    domains = [var.domain]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_compute_ssl_policy" "app" {
  count = local.https ? 1 : 0

  name            = "${var.name}-tls12"
  profile         = "MODERN"
  min_tls_version = "TLS_1_2"
}

resource "google_compute_target_https_proxy" "app" {
  count = local.https ? 1 : 0

  name             = "${var.name}-https"
  url_map          = google_compute_url_map.app.id
  ssl_certificates = [google_compute_managed_ssl_certificate.app[0].id]
  ssl_policy       = google_compute_ssl_policy.app[0].id
}

resource "google_compute_global_forwarding_rule" "https" {
  count = local.https ? 1 : 0

  name                  = "${var.name}-https"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.lb.id
  port_range            = "443"
  target                = google_compute_target_https_proxy.app[0].id
}
