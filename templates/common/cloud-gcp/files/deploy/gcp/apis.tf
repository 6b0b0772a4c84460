# The Google APIs the shared infrastructure uses, turned on in the project. Each backing
# service's file turns on its own. Left on at destroy: other things in the project may
# use them too.

resource "google_project_service" "base" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "compute.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "servicenetworking.googleapis.com",
    "sts.googleapis.com",
  ])

  service            = each.value
  disable_on_destroy = false
}
