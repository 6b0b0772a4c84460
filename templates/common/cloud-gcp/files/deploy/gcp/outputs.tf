output "url" {
  description = "Where the API answers: https://<domain> once the certificate is issued, else http:// on the load balancer's address."
  value       = local.https ? "https://${var.domain}" : "http://${google_compute_global_address.lb.address}"
}

output "lb_ip_address" {
  description = "The load balancer's address: point your domain's A record at it."
  value       = google_compute_global_address.lb.address
}

output "image_repository" {
  description = "Push the app's image here as <repository>/app:<image_tag>."
  value       = local.image_repository
}

output "service_name" {
  description = "The app's Cloud Run service (`gcloud run services describe <name> --region <region>`)."
  value       = google_cloud_run_v2_service.app.name
}

output "logs_query" {
  description = "The Cloud Logging filter of the app's logs (`gcloud logging read '<filter>'`)."
  value       = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"${google_cloud_run_v2_service.app.name}\""
}
