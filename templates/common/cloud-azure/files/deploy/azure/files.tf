# A storage account for the file shares of services that need a disk of their own
# (SQLite's file, or a self-run search engine or broker). It holds no share unless such
# a service was generated, and an empty account costs nothing.
#
# Only the Container Apps subnet reaches it (a service endpoint); Container Apps mounts
# its shares over SMB with the account key, which is why shared keys stay on.

resource "azurerm_storage_account" "files" {
  #checkov:skip=CKV2_AZURE_40:Container Apps mounts Azure Files shares with the account key only; no other client uses the key.
  #checkov:skip=CKV2_AZURE_33:A private endpoint adds $7 a month; the service endpoint already keeps every network but the apps subnet out.
  #checkov:skip=CKV_AZURE_33:The account holds file shares only; it has no queue service to log.
  #checkov:skip=CKV2_AZURE_1:Microsoft-managed keys encrypt the shares at rest; a customer-managed key needs a key and an identity of its own for SMB shares.
  #checkov:skip=CKV_AZURE_206:Locally redundant (three copies in one datacentre): the services on it are rebuilt from the database or back up to share snapshots.
  #checkov:skip=CKV2_AZURE_38:Soft delete of blobs does not apply: the account holds file shares, whose soft delete is set below.
  #checkov:skip=CKV2_AZURE_41:The account holds file shares, which no SAS is issued for.
  #checkov:skip=CKV2_AZURE_47:The account holds file shares only, so it has no blob to make public either way.
  #checkov:skip=CKV_AZURE_59:Public network access is on for the service endpoint; network_rules deny every network but the apps subnet.
  name                            = "${substr(local.compact_name, 0, 12)}fs${local.unique_suffix}"
  resource_group_name             = azurerm_resource_group.main.name
  location                        = azurerm_resource_group.main.location
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false

  share_properties {
    retention_policy {
      days = 7
    }
  }

  network_rules {
    default_action             = "Deny"
    bypass                     = ["AzureServices"]
    virtual_network_subnet_ids = [azurerm_subnet.apps.id]
  }
}
