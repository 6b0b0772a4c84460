# Azure Front Door (Standard) in front of the app. It caches what the app marks
# cacheable (one order, for CDN_MAX_AGE_SECONDS) and nothing else: the route honours the
# app's Cache-Control, and a rule turns caching off for every other path, because Front
# Door would otherwise keep an answer without Cache-Control for one to three days. No
# cookie is involved, so conditional requests work end to end: Front Door forwards
# If-None-Match to the app, and the app's ETag and 304 come back through it.

locals {
  # Order paths whose GET answers carry the app's Cache-Control (cdn.py): /orders and
  # /orders/{id}; anything deeper (/orders/{id}/confirmation) and /orders/search do not.
  # Front Door's URL path has no leading slash; the pattern accepts either form.
  cdn_cacheable_paths = "^/?orders(/[^/]+)?$"
}

resource "azurerm_cdn_frontdoor_profile" "main" {
  name                     = "${var.name}-cdn"
  resource_group_name      = azurerm_resource_group.main.name
  sku_name                 = "Standard_AzureFrontDoor"
  response_timeout_seconds = 60
}

resource "azurerm_cdn_frontdoor_endpoint" "api" {
  name                     = "${var.name}-${local.unique_suffix}"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main.id
}

resource "azurerm_cdn_frontdoor_origin_group" "app" {
  name                     = "app"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main.id
  session_affinity_enabled = false

  load_balancing {
    sample_size                 = 4
    successful_samples_required = 3
  }

  # /health touches no dependency, as for the app's own probes.
  health_probe {
    path                = "/health"
    protocol            = "Https"
    request_type        = "GET"
    interval_in_seconds = 60
  }
}

# The app's HTTPS name on the environment's ingress; Front Door checks its certificate.
resource "azurerm_cdn_frontdoor_origin" "app" {
  name                           = "app"
  cdn_frontdoor_origin_group_id  = azurerm_cdn_frontdoor_origin_group.app.id
  enabled                        = true
  host_name                      = azurerm_container_app.app.ingress[0].fqdn
  origin_host_header             = azurerm_container_app.app.ingress[0].fqdn
  http_port                      = 80
  https_port                     = 443
  certificate_name_check_enabled = true
  priority                       = 1
  weight                         = 1000
}

resource "azurerm_cdn_frontdoor_rule_set" "api" {
  name                     = "api"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main.id
}

# Outside /orders and /orders/{id}, nothing is cached, whatever the answer says.
resource "azurerm_cdn_frontdoor_rule" "no_cache_elsewhere" {
  name                      = "nocacheelsewhere"
  cdn_frontdoor_rule_set_id = azurerm_cdn_frontdoor_rule_set.api.id
  order                     = 1
  behavior_on_match         = "Continue"

  conditions {
    url_path_condition {
      operator         = "RegEx"
      negate_condition = true
      match_values     = [local.cdn_cacheable_paths]
    }
  }

  actions {
    route_configuration_override_action {
      cache_behavior = "Disabled"
    }
  }

  depends_on = [azurerm_cdn_frontdoor_origin_group.app, azurerm_cdn_frontdoor_origin.app]
}

# /orders/search has the shape of an order's path but is a search, never cached.
resource "azurerm_cdn_frontdoor_rule" "no_cache_search" {
  name                      = "nocachesearch"
  cdn_frontdoor_rule_set_id = azurerm_cdn_frontdoor_rule_set.api.id
  order                     = 2
  behavior_on_match         = "Continue"

  conditions {
    url_path_condition {
      operator         = "Equal"
      negate_condition = false
      match_values     = ["orders/search", "/orders/search"]
      transforms       = ["Lowercase"]
    }
  }

  actions {
    route_configuration_override_action {
      cache_behavior = "Disabled"
    }
  }

  depends_on = [azurerm_cdn_frontdoor_origin_group.app, azurerm_cdn_frontdoor_origin.app]
}

resource "azurerm_cdn_frontdoor_route" "api" {
  name                          = "api"
  cdn_frontdoor_endpoint_id     = azurerm_cdn_frontdoor_endpoint.api.id
  cdn_frontdoor_origin_group_id = azurerm_cdn_frontdoor_origin_group.app.id
  cdn_frontdoor_origin_ids      = [azurerm_cdn_frontdoor_origin.app.id]
  cdn_frontdoor_rule_set_ids    = [azurerm_cdn_frontdoor_rule_set.api.id]
  enabled                       = true

  patterns_to_match      = ["/*"]
  supported_protocols    = ["Http", "Https"]
  https_redirect_enabled = true
  forwarding_protocol    = "HttpsOnly"
  link_to_default_domain = true

  # Caching on, by the app's Cache-Control; ?limit=&offset= select a page of GET /orders.
  cache {
    query_string_caching_behavior = "UseQueryString"
    compression_enabled           = true
    content_types_to_compress     = ["application/json"]
  }
}

output "cdn_url" {
  description = "Where the API answers through Azure Front Door (HTTPS; plain HTTP is redirected)."
  value       = "https://${azurerm_cdn_frontdoor_endpoint.api.host_name}"
}
