output "url" {
  description = "Where the API answers (HTTPS, on the environment's managed ingress)."
  value       = "https://${azurerm_container_app.app.ingress[0].fqdn}"
}

output "resource_group" {
  description = "The resource group that holds everything of this project."
  value       = azurerm_resource_group.main.name
}

output "image_repository" {
  description = "Push the app's image here, tagged with the value you pass as image_tag."
  value       = "${azurerm_container_registry.main.login_server}/${var.name}"
}

output "registry_name" {
  description = "The container registry's name (`az acr login --name <name>`)."
  value       = azurerm_container_registry.main.name
}

output "app_name" {
  description = "The Container App that runs the API (`az containerapp logs show -g <group> -n <name>`)."
  value       = azurerm_container_app.app.name
}

output "log_analytics_workspace_id" {
  description = "Log Analytics workspace of the app's JSON logs (ContainerAppConsoleLogs_CL)."
  value       = azurerm_log_analytics_workspace.main.workspace_id
}
