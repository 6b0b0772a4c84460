# The providers of the calling configuration (deploy/azure/versions.tf) serve this module.
terraform {
  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
    }
    random = {
      source = "hashicorp/random"
    }
  }
}
