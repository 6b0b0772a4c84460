# The app's image registry. The app pulls with its identity (AcrPull), the deploy
# workflow pushes with its own (AcrPush); the registry's admin user, a shared password,
# stays off.

resource "azurerm_container_registry" "main" {
  #checkov:skip=CKV_AZURE_139:The deploy workflow pushes from GitHub's runners on the internet; a private registry (Premium, $50 a month) needs a self-hosted runner in the network.
  #checkov:skip=CKV_AZURE_165:Geo-replication is a Premium feature ($50 a month per region) for a registry that serves one region.
  #checkov:skip=CKV_AZURE_166:Image quarantine is a Premium feature; images are built by the project's own workflow from its own commits.
  #checkov:skip=CKV_AZURE_167:Untagged-manifest retention is a Premium feature; every image here is tagged with its commit.
  #checkov:skip=CKV_AZURE_164:Content trust (signed images) is a Premium feature; only the deploy identity may push.
  #checkov:skip=CKV_AZURE_233:Zone redundancy is a Premium feature; a registry outage stops deploys, not the running app.
  #checkov:skip=CKV_AZURE_237:Dedicated data endpoints are a Premium feature, used for firewall rules this registry does not have.
  #checkov:skip=CKV_AZURE_163:Vulnerability scanning is Microsoft Defender for Containers, a subscription-wide plan billed per image; turn it on there.
  name                = "${local.compact_name}${local.unique_suffix}"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  sku                 = "Basic"
  admin_enabled       = false
}

resource "azurerm_role_assignment" "app_pull" {
  scope                = azurerm_container_registry.main.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  # A just-created identity may not be visible in Entra ID yet; this skips that lookup.
  skip_service_principal_aad_check = true
}
