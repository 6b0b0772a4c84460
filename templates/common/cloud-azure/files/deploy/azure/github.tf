# The identity that .github/workflows/deploy-azure.yml signs in as, through a federated
# credential that trusts GitHub's OpenID Connect tokens of one repository's `production`
# environment: short-lived tokens, and no client secret stored anywhere. Created only
# when github_repository is set.
#
# The identity runs `terraform apply`, so it is powerful: it may change everything in
# this project's resource group. Protect the `production` environment in GitHub
# (required reviewers, main branch only).

variable "github_repository" {
  description = "owner/name of the GitHub repository allowed to deploy; empty: no deploy identity."
  type        = string
  default     = ""
}

locals {
  github_deploy = var.github_repository != ""

  # The roles that Terraform hands out in this configuration, and the only ones the
  # deploy identity may assign (or remove): AcrPull, AcrPush, Key Vault Secrets User,
  # Key Vault Secrets Officer.
  assignable_roles = join(", ", [
    "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    "8311e382-0749-4cb8-b61a-304f252e45ec",
    "4633458b-17de-408a-b874-0445c86b69e6",
    "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  ])
}

resource "azurerm_user_assigned_identity" "deploy" {
  count = local.github_deploy ? 1 : 0

  name                = "${var.name}-github-deploy"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
}

resource "azurerm_federated_identity_credential" "deploy" {
  count = local.github_deploy ? 1 : 0

  name                = "github-production"
  resource_group_name = azurerm_resource_group.main.name
  parent_id           = azurerm_user_assigned_identity.deploy[0].id
  issuer              = "https://token.actions.githubusercontent.com"
  audience            = ["api://AzureADTokenExchange"]
  subject             = "repo:${var.github_repository}:environment:production"
}

# Everything inside the resource group, but no role assignments …
resource "azurerm_role_assignment" "deploy" {
  count = local.github_deploy ? 1 : 0

  scope                = azurerm_resource_group.main.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_user_assigned_identity.deploy[0].principal_id
  # A just-created identity may not be visible in Entra ID yet; this skips that lookup.
  skip_service_principal_aad_check = true
}

# … except of the four roles above, so the identity cannot make anyone (itself included)
# Owner of anything.
resource "azurerm_role_assignment" "deploy_roles" {
  count = local.github_deploy ? 1 : 0

  scope                = azurerm_resource_group.main.id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = azurerm_user_assigned_identity.deploy[0].principal_id
  # A just-created identity may not be visible in Entra ID yet; this skips that lookup.
  skip_service_principal_aad_check = true
  condition_version                = "2.0"
  condition                        = <<-CONDITION
    (
      (!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'}))
      OR
      (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${local.assignable_roles}})
    )
    AND
    (
      (!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}))
      OR
      (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${local.assignable_roles}})
    )
  CONDITION
}

# The workflow pushes the image of each commit.
resource "azurerm_role_assignment" "deploy_push" {
  count = local.github_deploy ? 1 : 0

  scope                = azurerm_container_registry.main.id
  role_definition_name = "AcrPush"
  principal_id         = azurerm_user_assigned_identity.deploy[0].principal_id
  # A just-created identity may not be visible in Entra ID yet; this skips that lookup.
  skip_service_principal_aad_check = true
}

output "deploy_client_id" {
  description = "Client ID of the deploy identity: the AZURE_CLIENT_ID repository variable."
  value       = local.github_deploy ? azurerm_user_assigned_identity.deploy[0].client_id : null
}

output "tenant_id" {
  description = "The Entra ID tenant: the AZURE_TENANT_ID repository variable."
  value       = data.azurerm_client_config.current.tenant_id
}
