# Key Vault: every connection URL with a password in it. The app never sees a secret in
# its configuration: each of its secrets is a reference to a vault secret, which Container
# Apps resolves with the app's identity when a replica starts (and again about every 30
# minutes, so a rotated value reaches new connections without a deploy).
#
# Access is by Azure RBAC: the app's identity may read secrets, the identity that runs
# Terraform may write them; nobody else, whatever their role on the resource group.

resource "azurerm_key_vault" "main" {
  #checkov:skip=CKV_AZURE_109:Terraform writes the secrets from the deploy workflow's runner, whose address is not known; RBAC, not the network, decides who reads them.
  #checkov:skip=CKV_AZURE_189:Terraform writes the secrets from the deploy workflow's runner on the internet; a private-only vault needs a self-hosted runner in the network.
  #checkov:skip=CKV2_AZURE_32:A private endpoint would shut out the deploy workflow's runner, which writes the secrets; the app reads them through Container Apps either way.
  name                       = "${var.name}-${local.unique_suffix}"
  resource_group_name        = azurerm_resource_group.main.name
  location                   = azurerm_resource_group.main.location
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  rbac_authorization_enabled = true
  # A deleted secret or vault stays recoverable for 90 days, and nobody can purge it early.
  soft_delete_retention_days = 90
  purge_protection_enabled   = true

  network_acls {
    default_action = "Allow"
    bypass         = "AzureServices"
  }
}

resource "azurerm_role_assignment" "app_secrets" {
  scope                = azurerm_key_vault.main.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  # A just-created identity may not be visible in Entra ID yet; this skips that lookup.
  skip_service_principal_aad_check = true
}

# Whoever runs Terraform writes the secrets: the deploy identity once it exists, else the
# account that applies from a machine.
resource "azurerm_role_assignment" "secrets_writer" {
  scope                = azurerm_key_vault.main.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = local.github_deploy ? azurerm_user_assigned_identity.deploy[0].principal_id : data.azurerm_client_config.current.object_id
  # A just-created identity may not be visible in Entra ID yet; this skips that lookup
  # (for the deploy identity only: an account signed in on a machine is a user).
  skip_service_principal_aad_check = local.github_deploy
}
