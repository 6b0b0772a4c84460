# The app's image repository. Tags are immutable: a tag (the commit SHA) always means the
# same image, so a rollback to an earlier tag deploys exactly what ran before.
resource "google_artifact_registry_repository" "app" {
  #checkov:skip=CKV_GCP_84:Google encrypts the images at rest with its own keys; a customer-managed Cloud KMS key needs a key ring and a grant to Artifact Registry's service agent, which exists only once the API was used.
  repository_id = var.name
  location      = var.region
  format        = "DOCKER"
  description   = "${var.name} app images, tagged with the commit SHA"

  docker_config {
    immutable_tags = true
  }

  # The 30 most recent images stay; older ones go.
  cleanup_policy_dry_run = false

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"

    most_recent_versions {
      keep_count = 30
    }
  }

  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"

    condition {
      tag_state = "ANY"
    }
  }

  depends_on = [google_project_service.base]
}

locals {
  image_repository = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.app.repository_id}"
}
