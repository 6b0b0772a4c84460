# MongoDB on Azure Cosmos DB for MongoDB (vCore): a cluster of its own, reachable
# through a private endpoint only, TLS only, behind a login. The app reads DATABASE_URL
# (mongodb+srv://) from Key Vault.
#
# vCore rather than the request-unit account: a vCore cluster speaks the MongoDB wire
# protocol on real MongoDB-compatible servers, with native users, multi-document
# transactions and ordinary indexes, at a fixed price per month; a request-unit account
# bills per operation, limits queries and indexes in its own ways, and signs in with
# account keys only.

variable "database_compute_tier" {
  description = "Compute tier of the cluster (M10: 1 burstable vCore, 2 GiB; M30 and up are dedicated)."
  type        = string
  default     = "M10"
}

variable "database_storage_gb" {
  description = "Disk of the cluster, in GiB."
  type        = number
  default     = 32
}

variable "database_high_availability" {
  description = "Keep a standby in another zone that takes over on failure (doubles the cluster's cost)."
  type        = bool
  default     = false
}

locals {
  database_for_app = {
    environment  = {}
    secrets      = { DATABASE_URL = azurerm_key_vault_secret.database_url.versionless_id }
    volumes      = {}
    max_replicas = null
  }
}

# The cluster takes its administrator password only as a plain argument, so it is kept
# in the state. Letters and digits: safe in a URL as they are.
resource "random_password" "database" {
  length  = 32
  special = false
}

resource "azurerm_mongo_cluster" "main" {
  name                   = "${var.name}-${local.unique_suffix}"
  resource_group_name    = azurerm_resource_group.main.name
  location               = azurerm_resource_group.main.location
  version                = "8.0"
  compute_tier           = var.database_compute_tier
  storage_size_in_gb     = tostring(var.database_storage_gb)
  shard_count            = "1"
  high_availability_mode = var.database_high_availability ? "ZoneRedundantPreferred" : "Disabled"
  public_network_access  = "Disabled"

  administrator_username = "app"
  administrator_password = random_password.database.result
}

resource "azurerm_private_dns_zone" "database" {
  name                = "privatelink.mongocluster.cosmos.azure.com"
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "database" {
  name                  = "${var.name}-database"
  resource_group_name   = azurerm_resource_group.main.name
  private_dns_zone_name = azurerm_private_dns_zone.database.name
  virtual_network_id    = azurerm_virtual_network.main.id
}

resource "azurerm_private_endpoint" "database" {
  name                = "${var.name}-database"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  subnet_id           = azurerm_subnet.private_endpoints.id

  private_service_connection {
    name                           = "mongocluster"
    private_connection_resource_id = azurerm_mongo_cluster.main.id
    subresource_names              = ["MongoCluster"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "mongocluster"
    private_dns_zone_ids = [azurerm_private_dns_zone.database.id]
  }
}

# The cluster's own connection string (mongodb+srv://, TLS required), with the user and
# password filled in by the provider.
resource "azurerm_key_vault_secret" "database_url" {
  #checkov:skip=CKV_AZURE_41:The URL embeds the cluster's administrator password, which changes with random_password.database, not on a calendar; an expired secret would stop new replicas.
  name         = "database-url"
  key_vault_id = azurerm_key_vault.main.id
  content_type = "DATABASE_URL (Azure Cosmos DB for MongoDB vCore)"
  value        = azurerm_mongo_cluster.main.connection_strings[0].value

  depends_on = [azurerm_role_assignment.secrets_writer]
}
