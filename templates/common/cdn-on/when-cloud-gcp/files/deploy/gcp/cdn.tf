# Cloud CDN on the load balancer's backend: Google's edge caches keep what the app marks
# public (one order, for CDN_MAX_AGE_SECONDS) and nothing else. USE_ORIGIN_HEADERS
# means only the app's Cache-Control decides: `public, max-age` answers are kept, `no-cache`
# lists and `no-store` writes are not served from a cache. A stale copy is revalidated
# with the app's ETag (If-None-Match), and the app's 304 refreshes it; a client's own
# If-None-Match that matches a fresh copy gets its 304 from the edge.

locals {
  cdn_for_app = {
    environment   = {}
    secrets       = {}
    nfs_volumes   = {}
    max_instances = null
    cdn = {
      cache_mode = "USE_ORIGIN_HEADERS"
      # Errors (a 404 of an order not created yet) are never kept.
      negative_caching = false
      # No stale answer past the app's max-age: an order's change shows within it.
      serve_while_stale = 0
      # Concurrent misses of one key make one request to the app.
      request_coalescing = true
    }
    deploy_roles = []
  }
}

output "cdn_url" {
  description = "Where the API answers through Cloud CDN: the load balancer's own address, as the CDN runs in it."
  value       = local.https ? "https://${var.domain}" : "http://${google_compute_global_address.lb.address}"
}
