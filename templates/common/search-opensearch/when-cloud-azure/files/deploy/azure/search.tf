# OpenSearch on Azure, self-managed: Azure has no managed OpenSearch, so the official
# image runs as a Container App of its own, `search`, with its index on an Azure Files
# share. Its ingress is internal (no address outside the environment) and ends TLS for
# it; OpenSearch's security plugin asks for a login on every request. The app reads
# SEARCH_URL, user and password included, from Key Vault.
#
# Self-managed means: one node, no failover, no automatic snapshots, and upgrades are
# yours (change search_image and apply). The index can always be rebuilt from the
# database (README), which is why one node is a fair trade.

variable "search_image" {
  description = "OpenSearch image to run (the project is tested against 2.19)."
  type        = string
  default     = "opensearchproject/opensearch:2.19.6"
}

variable "search_share_gb" {
  description = "Size limit of the index's file share, in GiB."
  type        = number
  default     = 20
}

locals {
  search_for_app = {
    environment  = {}
    secrets      = { SEARCH_URL = azurerm_key_vault_secret.search_url.versionless_id }
    volumes      = {}
    max_replicas = null
  }
}

# OpenSearch takes the admin password only at its first start, from an environment
# variable, so Terraform generates it as a plain resource (in the state). It must hold an
# upper and a lower case letter, a digit and a symbol; "-" and "_" are safe in a URL.
resource "random_password" "search" {
  length           = 32
  override_special = "-_"
  min_upper        = 1
  min_lower        = 1
  min_numeric      = 1
  min_special      = 1
}

resource "azurerm_key_vault_secret" "search_password" {
  #checkov:skip=CKV_AZURE_41:OpenSearch keeps the password it was first started with; an expiry date would stop the search app's next replica, not rotate anything.
  name         = "search-admin-password"
  key_vault_id = azurerm_key_vault.main.id
  content_type = "OpenSearch admin password (self-managed search app)"
  value        = random_password.search.result

  depends_on = [azurerm_role_assignment.secrets_writer]
}

resource "azurerm_storage_share" "search" {
  name               = "search"
  storage_account_id = azurerm_storage_account.files.id
  quota              = var.search_share_gb
  enabled_protocol   = "SMB"
}

resource "azurerm_container_app_environment_storage" "search" {
  name                         = "search"
  container_app_environment_id = azurerm_container_app_environment.main.id
  account_name                 = azurerm_storage_account.files.name
  share_name                   = azurerm_storage_share.search.name
  access_key                   = azurerm_storage_account.files.primary_access_key
  access_mode                  = "ReadWrite"
}

resource "azurerm_container_app" "search" {
  name                         = "search"
  resource_group_name          = azurerm_resource_group.main.name
  container_app_environment_id = azurerm_container_app_environment.main.id
  workload_profile_name        = "Consumption"
  revision_mode                = "Single"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  secret {
    name                = "admin-password"
    identity            = azurerm_user_assigned_identity.app.id
    key_vault_secret_id = azurerm_key_vault_secret.search_password.versionless_id
  }

  # Internal: only apps of this environment reach it, over HTTPS at
  # search.internal.<environment domain>; the ingress forwards plain HTTP to 9200.
  ingress {
    external_enabled           = false
    target_port                = 9200
    transport                  = "http"
    allow_insecure_connections = false

    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
  }

  template {
    # One node owns the index directory; a second could not lock it.
    min_replicas = 1
    max_replicas = 1

    container {
      name   = "opensearch"
      image  = var.search_image
      cpu    = 1
      memory = "2Gi"

      # The image's entrypoint runs `opensearch` with these settings. They are arguments,
      # not the image's dotted environment variables (cluster.name=…), because Container
      # Apps may refuse a dot in an environment variable's name. TLS ends at the
      # environment's ingress; the security plugin still checks the login of every
      # request (and keeps TLS between nodes, of which there is one).
      args = [
        "opensearch",
        "-Ediscovery.type=single-node",
        "-Eplugins.security.ssl.http.enabled=false",
      ]

      env {
        name  = "OPENSEARCH_JAVA_OPTS"
        value = "-Xms1g -Xmx1g"
      }

      env {
        name        = "OPENSEARCH_INITIAL_ADMIN_PASSWORD"
        secret_name = "admin-password"
      }

      volume_mounts {
        name = "data"
        path = "/usr/share/opensearch/data"
      }

      liveness_probe {
        transport               = "TCP"
        port                    = 9200
        interval_seconds        = 30
        failure_count_threshold = 5
      }
    }

    volume {
      name         = "data"
      storage_type = "AzureFile"
      storage_name = azurerm_container_app_environment_storage.search.name
      # The image runs OpenSearch as uid 1000.
      mount_options = "uid=1000,gid=1000,dir_mode=0770,file_mode=0660"
    }
  }

  depends_on = [azurerm_role_assignment.app_secrets]
}

resource "azurerm_key_vault_secret" "search_url" {
  #checkov:skip=CKV_AZURE_41:The URL embeds the admin password OpenSearch was first started with; an expiry date would stop new app replicas, not rotate anything.
  name         = "search-url"
  key_vault_id = azurerm_key_vault.main.id
  content_type = "SEARCH_URL (self-managed OpenSearch, HTTPS)"
  value        = "https://admin:${random_password.search.result}@${azurerm_container_app.search.ingress[0].fqdn}:443"

  depends_on = [azurerm_role_assignment.secrets_writer]
}
