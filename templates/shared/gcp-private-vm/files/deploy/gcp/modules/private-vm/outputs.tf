output "url_secret" {
  description = "The Secret Manager secret holding the service's URL, password included."
  value       = google_secret_manager_secret.url.id
}

output "url_secret_version" {
  description = "The version of that secret that holds the current password."
  value       = google_secret_manager_secret_version.url.version
}

output "address" {
  description = "The VM's fixed private IP address."
  value       = google_compute_address.vm.address
}
