# The providers of the calling configuration (deploy/gcp/versions.tf) serve this module.
terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
    random = {
      source = "hashicorp/random"
    }
  }
}
