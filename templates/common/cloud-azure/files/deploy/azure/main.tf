# The project's resource group, the identity the app runs as, and its logs.
#
# Everything this configuration creates lives in one resource group of its own, so the
# deploy identity's rights end at its border and `terraform destroy` leaves nothing
# behind. (Container Apps adds a second, platform-managed group for the environment's
# load balancer; Azure creates and deletes it with the environment.)

data "azurerm_client_config" "current" {}

# Names that must be unique across all of Azure (registry, Key Vault, storage accounts)
# get the same random suffix, kept in the state so that they never change.
resource "random_string" "suffix" {
  length  = 6
  special = false
  upper   = false
}

locals {
  unique_suffix = random_string.suffix.result
  # Registries and storage accounts take letters and digits only.
  compact_name = replace(var.name, "-", "")
}

resource "azurerm_resource_group" "main" {
  name     = "${var.name}-rg"
  location = var.location
}

# The app's own identity: it pulls the image from the registry and reads the app's
# secrets from Key Vault, so no password for either is stored anywhere.
resource "azurerm_user_assigned_identity" "app" {
  name                = "${var.name}-app"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
}

# The app's JSON log lines (stdout), the platform's system logs, and the self-run
# services' logs, for log_retention_days.
resource "azurerm_log_analytics_workspace" "main" {
  name                = "${var.name}-logs"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
}
