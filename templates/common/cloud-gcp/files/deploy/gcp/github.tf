# What .github/workflows/deploy-gcp.yml signs in as: Workload Identity Federation trades
# the GitHub Actions OpenID Connect token of one repository's `production` environment
# for short-lived credentials of the deploy service account. No key of it exists
# anywhere. Created only when github_repository is set.
#
# The account runs `terraform apply`, which grants roles in the project, so it is
# powerful: anyone who can run the workflow can change this project's infrastructure.
# Protect the `production` environment in GitHub (required reviewers, main branch only).

variable "github_repository" {
  description = "owner/name of the GitHub repository allowed to deploy; empty: no deploy identity."
  type        = string
  default     = ""

  validation {
    condition     = var.github_repository == "" || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "Name the repository as owner/name, with no wildcard."
  }
}

locals {
  github_deploy = var.github_repository != ""
  github_sub    = "repo:${var.github_repository}:environment:production"

  # What the shared infrastructure needs; each backing service adds its own roles
  # (deploy_roles in its `<axis>_for_app`).
  deploy_roles = toset(concat([
    "roles/artifactregistry.admin",
    "roles/compute.loadBalancerAdmin",
    "roles/compute.networkAdmin",
    "roles/compute.securityAdmin",
    "roles/iam.serviceAccountAdmin",
    "roles/iam.serviceAccountUser",
    "roles/iam.workloadIdentityPoolAdmin",
    "roles/resourcemanager.projectIamAdmin",
    "roles/run.admin",
    "roles/secretmanager.admin",
    "roles/servicenetworking.networksAdmin",
    "roles/serviceusage.serviceUsageAdmin",
  ], local.app_deploy_roles))
}

resource "google_iam_workload_identity_pool" "github" {
  count = local.github_deploy ? 1 : 0

  workload_identity_pool_id = "${var.name}-github"
  display_name              = "${var.name} GitHub Actions"
  description               = "GitHub Actions runs of ${var.github_repository}"

  depends_on = [google_project_service.base]
}

resource "google_iam_workload_identity_pool_provider" "github" {
  #checkov:skip=CKV_GCP_125:The condition is an exact sub match, repo:<owner/name>:environment:production; checkov cannot read the repository from the variable, whose validation refuses anything but owner/name.
  count = local.github_deploy ? 1 : 0

  workload_identity_pool_id          = google_iam_workload_identity_pool.github[0].workload_identity_pool_id
  workload_identity_pool_provider_id = "github"
  display_name                       = "GitHub Actions OIDC"

  attribute_mapping = {
    "google.subject"        = "assertion.sub"
    "attribute.repository"  = "assertion.repository"
    "attribute.environment" = "assertion.environment"
  }

  # Tokens of any other repository, or of this one outside `production`, are refused
  # before any role is considered.
  attribute_condition = "assertion.sub == 'repo:${var.github_repository}:environment:production'"

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "google_service_account" "deploy" {
  count = local.github_deploy ? 1 : 0

  account_id   = "${var.name}-deploy"
  display_name = "${var.name} deploy (GitHub Actions)"
}

resource "google_service_account_iam_member" "deploy_federation" {
  count = local.github_deploy ? 1 : 0

  service_account_id = google_service_account.deploy[0].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principal://iam.googleapis.com/${google_iam_workload_identity_pool.github[0].name}/subject/${local.github_sub}"
}

resource "google_project_iam_member" "deploy" {
  for_each = local.github_deploy ? local.deploy_roles : toset([])

  project = var.project_id
  role    = each.value
  member  = google_service_account.deploy[0].member
}

output "workload_identity_provider" {
  description = "The GCP_WORKLOAD_IDENTITY_PROVIDER repository variable of the deploy workflow."
  value       = local.github_deploy ? google_iam_workload_identity_pool_provider.github[0].name : null
}

output "deploy_service_account" {
  description = "The GCP_DEPLOY_SERVICE_ACCOUNT repository variable of the deploy workflow."
  value       = local.github_deploy ? google_service_account.deploy[0].email : null
}
