# MySQL on Azure Database for MySQL flexible server: private access in the network (a
# delegated subnet, no public endpoint), backed up daily, TLS required. The app reads
# DATABASE_URL from Key Vault.
#
# Azure has no managed MariaDB any more (Azure Database for MariaDB is retired), so this
# is MySQL 8.0, which the app's PyMySQL driver and SQLAlchemy dialect speak alike; the
# project's own tests run against MariaDB.

variable "database_sku" {
  description = "Compute of the MySQL server (B_ burstable, GP_ general purpose, MO_ business critical)."
  type        = string
  default     = "B_Standard_B1ms"
}

variable "database_version" {
  description = "MySQL version of the server."
  type        = string
  default     = "8.0.21"
}

variable "database_storage_gb" {
  description = "Storage of the server in GiB; it grows by itself when nearly full."
  type        = number
  default     = 20
}

variable "database_high_availability" {
  description = "Keep a standby in another availability zone that takes over within a minute or two (doubles the server's cost; not on burstable SKUs)."
  type        = bool
  default     = false
}

variable "database_backup_retention_days" {
  description = "Days of automated backups (point-in-time restore window), 1 to 35."
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
    name = "mysql-flexible-server"

    service_delegation {
      name    = "Microsoft.DBforMySQL/flexibleServers"
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
  name                = "${var.name}.private.mysql.database.azure.com"
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "database" {
  name                  = "${var.name}-database"
  resource_group_name   = azurerm_resource_group.main.name
  private_dns_zone_name = azurerm_private_dns_zone.database.name
  virtual_network_id    = azurerm_virtual_network.main.id
}

resource "azurerm_mysql_flexible_server" "main" {
  #checkov:skip=CKV_AZURE_212:A standby in a second zone doubles the server's cost and needs a General Purpose SKU; set database_high_availability = true where a zone failure must not stop the API.
  #checkov:skip=CKV_AZURE_53:checkov reads the single server's public_network_access_enabled; this flexible server sets public_network_access = "Disabled".
  #checkov:skip=CKV_AZURE_94:Geo-redundant backups double the backup storage and fix the region pair; backups stay in the region.
  #checkov:skip=CKV2_AZURE_56:The server is in a delegated subnet with no public endpoint at all; a private endpoint is the other way to the same end.
  name                = "${var.name}-${local.unique_suffix}"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  version             = var.database_version
  sku_name            = var.database_sku

  delegated_subnet_id = azurerm_subnet.database.id
  private_dns_zone_id = azurerm_private_dns_zone.database.id
  # With VNet integration there is no public endpoint; this says so explicitly.
  public_network_access = "Disabled"

  administrator_login               = "app"
  administrator_password_wo         = ephemeral.random_password.database.result
  administrator_password_wo_version = var.database_password_version

  backup_retention_days        = var.database_backup_retention_days
  geo_redundant_backup_enabled = false

  storage {
    size_gb           = var.database_storage_gb
    auto_grow_enabled = true
  }

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

resource "azurerm_mysql_flexible_database" "app" {
  name                = "app"
  resource_group_name = azurerm_resource_group.main.name
  server_name         = azurerm_mysql_flexible_server.main.name
  charset             = "utf8mb4"
  collation           = "utf8mb4_0900_ai_ci"
}

# TLS is required (the flexible server's default, pinned here), 1.2 or later.
resource "azurerm_mysql_flexible_server_configuration" "require_tls" {
  name                = "require_secure_transport"
  resource_group_name = azurerm_resource_group.main.name
  server_name         = azurerm_mysql_flexible_server.main.name
  value               = "ON"
}

resource "azurerm_mysql_flexible_server_configuration" "tls_version" {
  name                = "tls_version"
  resource_group_name = azurerm_resource_group.main.name
  server_name         = azurerm_mysql_flexible_server.main.name
  value               = "TLSv1.2,TLSv1.3"
}

# Statements slower than a second, in the slow query log (sent to Log Analytics).
resource "azurerm_mysql_flexible_server_configuration" "slow_query_log" {
  name                = "slow_query_log"
  resource_group_name = azurerm_resource_group.main.name
  server_name         = azurerm_mysql_flexible_server.main.name
  value               = "ON"
}

resource "azurerm_mysql_flexible_server_configuration" "long_query_time" {
  name                = "long_query_time"
  resource_group_name = azurerm_resource_group.main.name
  server_name         = azurerm_mysql_flexible_server.main.name
  value               = "1"
}

resource "azurerm_monitor_diagnostic_setting" "database" {
  name                       = "logs"
  target_resource_id         = azurerm_mysql_flexible_server.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  enabled_log {
    category = "MySqlSlowLogs"
  }
}

# PyMySQL turns TLS on when given any ssl_* option; without a CA bundle of its own it
# encrypts without verifying the server's certificate, as `sslmode=require` does for
# PostgreSQL. The connection never leaves the network.
resource "azurerm_key_vault_secret" "database_url" {
  #checkov:skip=CKV_AZURE_41:The URL embeds the password Terraform sets; it changes with database_password_version, not on a calendar, and an expired secret would stop new replicas.
  name             = "database-url"
  key_vault_id     = azurerm_key_vault.main.id
  content_type     = "DATABASE_URL (MySQL flexible server)"
  value_wo         = "mysql://${azurerm_mysql_flexible_server.main.administrator_login}:${ephemeral.random_password.database.result}@${azurerm_mysql_flexible_server.main.fqdn}:3306/${azurerm_mysql_flexible_database.app.name}?ssl_check_hostname=false"
  value_wo_version = var.database_password_version

  depends_on = [azurerm_role_assignment.secrets_writer]
}
