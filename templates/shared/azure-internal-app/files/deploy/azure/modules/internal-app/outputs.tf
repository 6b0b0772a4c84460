output "url_secret_id" {
  description = "Versionless Key Vault ID of the secret holding the URL, password included: a new version reaches the app without a change to its definition."
  value       = azurerm_key_vault_secret.url.versionless_id
}

output "fqdn" {
  description = "The app's host name inside the environment."
  value       = azurerm_container_app.service.ingress[0].fqdn
}
