# The receipts: a private container in a storage account of their own. The app signs in
# with its managed identity (Microsoft Entra ID: the account takes no shared keys), and
# signs its receipt links as user delegation SAS with a key the service hands it.
#
# Clients download a receipt straight from the account by such a link, so the account
# answers on the internet, like an S3 bucket: without a valid Entra ID token or SAS
# signature it serves nothing, and nothing in it can be made public.

variable "storage_replication_type" {
  description = "How the receipts are copied: GRS (six copies, three in the paired region) by default; LRS or ZRS costs about half, within one region."
  type        = string
  default     = "GRS"

  validation {
    condition     = contains(["LRS", "ZRS", "GRS", "GZRS", "RAGRS", "RAGZRS"], var.storage_replication_type)
    error_message = "Use one of LRS, ZRS, GRS, GZRS, RAGRS, RAGZRS."
  }
}

locals {
  storage_for_app = {
    environment = {
      AZURE_STORAGE_ACCOUNT_URL = azurerm_storage_account.receipts.primary_blob_endpoint
      AZURE_STORAGE_CONTAINER   = azurerm_storage_container.receipts.name
      # DefaultAzureCredential signs in as this user-assigned identity (the app's).
      AZURE_CLIENT_ID = azurerm_user_assigned_identity.app.client_id
    }
    secrets      = {}
    volumes      = {}
    max_replicas = null
  }
}

resource "azurerm_storage_account" "receipts" {
  #checkov:skip=CKV_AZURE_59:Clients follow signed receipt links from the internet; without a valid Entra ID token or SAS the account serves nothing.
  #checkov:skip=CKV_AZURE_35:Networks are not restricted for the same reason: receipt links are opened by clients anywhere, as with an S3 bucket.
  #checkov:skip=CKV2_AZURE_33:A private endpoint would hide the account from the clients that follow receipt links.
  #checkov:skip=CKV_AZURE_33:The account holds blobs only; it has no queue service to log.
  #checkov:skip=CKV2_AZURE_1:Microsoft-managed keys encrypt the receipts at rest; a customer-managed key needs a Key Vault key and rotation of its own.
  name                              = "${substr(local.compact_name, 0, 12)}rc${local.unique_suffix}"
  resource_group_name               = azurerm_resource_group.main.name
  location                          = azurerm_resource_group.main.location
  account_kind                      = "StorageV2"
  account_tier                      = "Standard"
  account_replication_type          = var.storage_replication_type
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  allow_nested_items_to_be_public   = false
  shared_access_key_enabled         = false
  default_to_oauth_authentication   = true
  local_user_enabled                = false
  infrastructure_encryption_enabled = true

  # A SAS longer than the app ever signs (RECEIPT_URL_EXPIRES_SECONDS, at most 7 days)
  # is logged as an anomaly.
  sas_policy {
    expiration_period = "07.00:00:00"
    expiration_action = "Log"
  }

  # A receipt overwritten or deleted by mistake can be restored for 30 days.
  blob_properties {
    versioning_enabled = true

    delete_retention_policy {
      days = 30
    }

    container_delete_retention_policy {
      days = 30
    }
  }
}

resource "azurerm_storage_container" "receipts" {
  #checkov:skip=CKV2_AZURE_21:Reads are logged by the diagnostic setting below; the storage insights this check asks for needs the account key, which the account refuses.
  name                  = "receipts"
  storage_account_id    = azurerm_storage_account.receipts.id
  container_access_type = "private"
}

# Read, write and delete the receipts, and nothing else of the account …
resource "azurerm_role_assignment" "app_receipts" {
  scope                = azurerm_storage_container.receipts.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  # A just-created identity may not be visible in Entra ID yet; this skips that lookup.
  skip_service_principal_aad_check = true
}

# … and ask for the key that signs receipt links (a right of the account as a whole; the
# link it signs still grants no more than the identity may do itself).
resource "azurerm_role_assignment" "app_receipt_links" {
  scope                = azurerm_storage_account.receipts.id
  role_definition_name = "Storage Blob Delegator"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  # A just-created identity may not be visible in Entra ID yet; this skips that lookup.
  skip_service_principal_aad_check = true
}

# Every read, write and delete of a receipt, in the app's Log Analytics workspace.
resource "azurerm_monitor_diagnostic_setting" "receipts" {
  name                       = "receipts-access"
  target_resource_id         = "${azurerm_storage_account.receipts.id}/blobServices/default"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  enabled_log {
    category = "StorageRead"
  }

  enabled_log {
    category = "StorageWrite"
  }

  enabled_log {
    category = "StorageDelete"
  }
}
