# Redis on Azure Managed Redis (the successor of Azure Cache for Redis, which Microsoft
# is retiring): reachable through a private endpoint only, TLS only, behind an access
# key. The app reads REDIS_URL from Key Vault.

variable "cache_sku" {
  description = "Managed Redis SKU (Balanced_B0 is the smallest: 0.5 GB)."
  type        = string
  default     = "Balanced_B0"
}

variable "cache_high_availability" {
  description = "Keep a replica that takes over when the primary fails (doubles the cache's cost)."
  type        = bool
  default     = false
}

locals {
  cache_for_app = {
    environment  = {}
    secrets      = { REDIS_URL = azurerm_key_vault_secret.cache_url.versionless_id }
    volumes      = {}
    max_replicas = null
  }
}

resource "azurerm_managed_redis" "main" {
  name                      = "${var.name}-${local.unique_suffix}"
  resource_group_name       = azurerm_resource_group.main.name
  location                  = azurerm_resource_group.main.location
  sku_name                  = var.cache_sku
  high_availability_enabled = var.cache_high_availability
  public_network_access     = "Disabled"

  default_database {
    # One endpoint that proxies every command, as a single Redis server would: the app's
    # client (redis-py's plain Redis) does not follow cluster redirects.
    clustering_policy = "EnterpriseCluster"
    client_protocol   = "Encrypted"
    # A cache: the least recently used entries give way when memory runs out.
    eviction_policy = "AllKeysLRU"
    # The key is the password in REDIS_URL (redis-py signs in with it, no Entra ID).
    access_keys_authentication_enabled = true
  }
}

resource "azurerm_private_dns_zone" "cache" {
  name                = "privatelink.redis.azure.net"
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "cache" {
  name                  = "${var.name}-cache"
  resource_group_name   = azurerm_resource_group.main.name
  private_dns_zone_name = azurerm_private_dns_zone.cache.name
  virtual_network_id    = azurerm_virtual_network.main.id
}

resource "azurerm_private_endpoint" "cache" {
  name                = "${var.name}-cache"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  subnet_id           = azurerm_subnet.private_endpoints.id

  private_service_connection {
    name                           = "redis"
    private_connection_resource_id = azurerm_managed_redis.main.id
    subresource_names              = ["redisEnterprise"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "redis"
    private_dns_zone_ids = [azurerm_private_dns_zone.cache.id]
  }
}

# The access key is an attribute of the cache, so it is in the Terraform state (Managed
# Redis has no write-only form of it). rediss://: TLS, checked against the image's CA
# bundle; Managed Redis listens on 10000 and has one database, 0.
resource "azurerm_key_vault_secret" "cache_url" {
  #checkov:skip=CKV_AZURE_41:The URL embeds the cache's access key, which changes when the key is regenerated, not on a calendar; an expired secret would stop new replicas.
  name         = "redis-url"
  key_vault_id = azurerm_key_vault.main.id
  content_type = "REDIS_URL (Azure Managed Redis, TLS)"
  value        = "rediss://:${azurerm_managed_redis.main.default_database[0].primary_access_key}@${azurerm_managed_redis.main.hostname}:${azurerm_managed_redis.main.default_database[0].port}/0"

  depends_on = [azurerm_role_assignment.secrets_writer]
}
