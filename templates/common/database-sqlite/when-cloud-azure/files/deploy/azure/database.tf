# SQLite on Azure: the database file lives on an Azure Files share mounted at /app/data,
# where the image keeps it, so it survives replica restarts and deploys.
#
# SQLite wants one writer and a filesystem whose locks work. Container Apps mounts the
# share over SMB 3, where SQLite's locks are real byte-range locks held by the Azure
# Files server (the mount keeps them: no `nobrl`), so even the moment of a deploy, when
# the old and the new replica both have the file open, serialises their writes instead
# of corrupting the file. It costs speed (every lock and write is a network round trip)
# and WAL mode, which needs shared memory and is not used. The app runs as exactly one
# replica; to run more, move to --database postgresql or mysql.

locals {
  database_for_app = {
    environment = {}
    secrets     = {}
    volumes = {
      sqlite = {
        storage_name = azurerm_container_app_environment_storage.sqlite.name
        mount_path   = "/app/data"
        # The image runs as uid 10001; the share's files are its own, and no one else's.
        mount_options = "uid=10001,gid=10001,dir_mode=0700,file_mode=0600"
      }
    }
    max_replicas = 1
  }
}

variable "sqlite_share_gb" {
  description = "Size limit of the SQLite file share, in GiB (billed by what is stored, not by this)."
  type        = number
  default     = 5
}

resource "azurerm_storage_share" "sqlite" {
  name               = "sqlite"
  storage_account_id = azurerm_storage_account.files.id
  quota              = var.sqlite_share_gb
  enabled_protocol   = "SMB"
}

resource "azurerm_container_app_environment_storage" "sqlite" {
  name                         = "sqlite"
  container_app_environment_id = azurerm_container_app_environment.main.id
  account_name                 = azurerm_storage_account.files.name
  share_name                   = azurerm_storage_share.sqlite.name
  access_key                   = azurerm_storage_account.files.primary_access_key
  access_mode                  = "ReadWrite"
}

# Daily snapshots of the share, kept 30 days, by Azure Backup.
resource "azurerm_recovery_services_vault" "sqlite" {
  name                = "${var.name}-backup"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  sku                 = "Standard"
  soft_delete_enabled = true
  storage_mode_type   = "LocallyRedundant"

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_backup_container_storage_account" "sqlite" {
  resource_group_name = azurerm_resource_group.main.name
  recovery_vault_name = azurerm_recovery_services_vault.sqlite.name
  storage_account_id  = azurerm_storage_account.files.id
}

resource "azurerm_backup_policy_file_share" "sqlite" {
  name                = "daily"
  resource_group_name = azurerm_resource_group.main.name
  recovery_vault_name = azurerm_recovery_services_vault.sqlite.name
  timezone            = "UTC"

  backup {
    frequency = "Daily"
    time      = "03:00"
  }

  retention_daily {
    count = 30
  }
}

resource "azurerm_backup_protected_file_share" "sqlite" {
  resource_group_name       = azurerm_resource_group.main.name
  recovery_vault_name       = azurerm_recovery_services_vault.sqlite.name
  source_storage_account_id = azurerm_backup_container_storage_account.sqlite.storage_account_id
  source_file_share_name    = azurerm_storage_share.sqlite.name
  backup_policy_id          = azurerm_backup_policy_file_share.sqlite.id
}
