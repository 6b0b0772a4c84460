# PostgreSQL on Azure Database for PostgreSQL flexible server: private access in the
# network (a delegated subnet, no public endpoint), backed up daily, TLS required. The
# app reads DATABASE_URL from Key Vault.

variable "database_sku" {
  description = "Compute of the PostgreSQL server (B_ burstable, GP_ general purpose, MO_ memory optimised)."
  type        = string
  default     = "B_Standard_B1ms"
}

variable "database_version" {
  description = "PostgreSQL major version; Azure applies minor versions in the maintenance window."
  type        = string
  default     = "16"
}

variable "database_storage_mb" {
  description = "Storage of the server in MiB (32768 = 32 GiB); it grows by itself when nearly full."
  type        = number
  default     = 32768
}

variable "database_high_availability" {
  description = "Keep a standby in another availability zone that takes over within a minute or two (doubles the server's cost; not on burstable SKUs)."
  type        = bool
  default     = false
}

variable "database_backup_retention_days" {
  description = "Days of automated backups (point-in-time restore window), 7 to 35."
  type        = number
  default     = 7
}

variable "database_password_version" {
  description = "Increase by one to set a new random password (server and DATABASE_URL secret together)."
  type        = number
  default     = 1
}

locals {
  database_for_app = {
    environment  = {}
    secrets      = { DATABASE_URL = azurerm_key_vault_secret.database_url.versionless_id }
    volumes      = {}
    max_replicas = null
  }
}

# Ephemeral: a new value on every run, kept in no plan and no state. It reaches Azure
# only through write-only arguments, and only when database_password_version changes.
ephemeral "random_password" "database" {
  length  = 32
  special = false
}

resource "azurerm_subnet" "database" {
  name                 = "database"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = [cidrsubnet(var.vnet_cidr, 8, 3)]

  delegation {
    name = "postgresql-flexible-server"

    service_delegation {
      name    = "Microsoft.DBforPostgreSQL/flexibleServers"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

# Only the network reaches the database subnet (Azure's default rules).
resource "azurerm_network_security_group" "database" {
  name                = "${var.name}-database"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
}

resource "azurerm_subnet_network_security_group_association" "database" {
  subnet_id                 = azurerm_subnet.database.id
  network_security_group_id = azurerm_network_security_group.database.id
}

# The server's name resolves to its private address inside the network only.
resource "azurerm_private_dns_zone" "database" {
  name                = "${var.name}.private.postgres.database.azure.com"
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "database" {
  name                  = "${var.name}-database"
  resource_group_name   = azurerm_resource_group.main.name
  private_dns_zone_name = azurerm_private_dns_zone.database.name
  virtual_network_id    = azurerm_virtual_network.main.id
}

resource "azurerm_postgresql_flexible_server" "main" {
  #checkov:skip=CKV_AZURE_136:Geo-redundant backups double the backup storage and fix the region pair; backups stay zone-redundant in the region.
  #checkov:skip=CKV2_AZURE_57:The server is in a delegated subnet with no public endpoint at all; a private endpoint is the other way to the same end.
  name                = "${var.name}-${local.unique_suffix}"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  version             = var.database_version
  sku_name            = var.database_sku
  storage_mb          = var.database_storage_mb
  auto_grow_enabled   = true

  delegated_subnet_id           = azurerm_subnet.database.id
  private_dns_zone_id           = azurerm_private_dns_zone.database.id
  public_network_access_enabled = false

  administrator_login               = "app"
  administrator_password_wo         = ephemeral.random_password.database.result
  administrator_password_wo_version = var.database_password_version

  authentication {
    password_auth_enabled         = true
    active_directory_auth_enabled = false
  }

  backup_retention_days        = var.database_backup_retention_days
  geo_redundant_backup_enabled = false

  dynamic "high_availability" {
    for_each = var.database_high_availability ? [1] : []

    content {
      mode = "ZoneRedundant"
    }
  }

  maintenance_window {
    day_of_week  = 0
    start_hour   = 4
    start_minute = 30
  }

  # Azure picks a zone at creation, and a failover moves the server to the standby's.
  lifecycle {
    ignore_changes = [zone, high_availability[0].standby_availability_zone]
  }

  depends_on = [azurerm_private_dns_zone_virtual_network_link.database]
}

resource "azurerm_postgresql_flexible_server_database" "app" {
  name      = "app"
  server_id = azurerm_postgresql_flexible_server.main.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

# TLS is required (the flexible server's default, pinned here), and so is 1.2 or later.
resource "azurerm_postgresql_flexible_server_configuration" "require_tls" {
  name      = "require_secure_transport"
  server_id = azurerm_postgresql_flexible_server.main.id
  value     = "on"
}

resource "azurerm_postgresql_flexible_server_configuration" "tls_version" {
  name      = "ssl_min_protocol_version"
  server_id = azurerm_postgresql_flexible_server.main.id
  value     = "TLSv1.2"
}

# Slow statements (over a second), every schema change and each connection, in the log.
resource "azurerm_postgresql_flexible_server_configuration" "log_slow" {
  name      = "log_min_duration_statement"
  server_id = azurerm_postgresql_flexible_server.main.id
  value     = "1000"
}

resource "azurerm_postgresql_flexible_server_configuration" "log_ddl" {
  name      = "log_statement"
  server_id = azurerm_postgresql_flexible_server.main.id
  value     = "ddl"
}

resource "azurerm_postgresql_flexible_server_configuration" "log_connections" {
  name      = "log_connections"
  server_id = azurerm_postgresql_flexible_server.main.id
  value     = "on"
}

# The server's log goes to the project's Log Analytics workspace.
resource "azurerm_monitor_diagnostic_setting" "database" {
  name                       = "logs"
  target_resource_id         = azurerm_postgresql_flexible_server.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  enabled_log {
    category = "PostgreSQLLogs"
  }
}

resource "azurerm_key_vault_secret" "database_url" {
  #checkov:skip=CKV_AZURE_41:The URL embeds the password Terraform sets; it changes with database_password_version, not on a calendar, and an expired secret would stop new replicas.
  name             = "database-url"
  key_vault_id     = azurerm_key_vault.main.id
  content_type     = "DATABASE_URL (PostgreSQL flexible server)"
  value_wo         = "postgresql://${azurerm_postgresql_flexible_server.main.administrator_login}:${ephemeral.random_password.database.result}@${azurerm_postgresql_flexible_server.main.fqdn}:5432/${azurerm_postgresql_flexible_server_database.app.name}?sslmode=require"
  value_wo_version = var.database_password_version

  depends_on = [azurerm_role_assignment.secrets_writer]
}
