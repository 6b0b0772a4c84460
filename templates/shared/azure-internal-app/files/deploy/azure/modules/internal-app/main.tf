# One official container image as a Container App of its own, for a service Azure does
# not offer managed: one replica, its data on an Azure Files share, an ingress internal
# to the environment (no address outside it), and a password that Terraform generates
# into Key Vault and the container gets as a Key Vault reference. The services that run
# this way (search.tf, queue.tf) call it.

# The services take their password only at their first start, from an environment
# variable, so Terraform generates it as a plain resource (in the state). Either set of
# characters is safe in a URL as it is.
resource "random_password" "service" {
  length           = 32
  special          = var.password_every_class
  override_special = "-_"
  min_upper        = var.password_every_class ? 1 : 0
  min_lower        = var.password_every_class ? 1 : 0
  min_numeric      = var.password_every_class ? 1 : 0
  min_special      = var.password_every_class ? 1 : 0
}

resource "azurerm_key_vault_secret" "password" {
  #checkov:skip=CKV_AZURE_41:The service keeps the password it was first started with; an expiry date would stop its next replica, not rotate anything.
  name         = var.password_secret.name
  key_vault_id = var.key_vault_id
  content_type = var.password_secret.content_type
  value        = random_password.service.result
}

resource "azurerm_storage_share" "data" {
  name               = var.name
  storage_account_id = var.storage_account_id
  quota              = var.share_gb
  enabled_protocol   = "SMB"
}

resource "azurerm_container_app_environment_storage" "data" {
  name                         = var.name
  container_app_environment_id = var.environment_id
  account_name                 = var.storage_account_name
  share_name                   = azurerm_storage_share.data.name
  access_key                   = var.storage_account_key
  access_mode                  = "ReadWrite"
}

resource "azurerm_container_app" "service" {
  name                         = var.name
  resource_group_name          = var.resource_group_name
  container_app_environment_id = var.environment_id
  workload_profile_name        = "Consumption"
  revision_mode                = "Single"

  identity {
    type         = "UserAssigned"
    identity_ids = [var.identity_id]
  }

  secret {
    name                = "password"
    identity            = var.identity_id
    key_vault_secret_id = azurerm_key_vault_secret.password.versionless_id
  }

  # Internal: only apps of this environment reach it, at <name>.internal.<domain>. Over
  # "http" the ingress ends TLS on 443 and forwards plain HTTP to var.port; over "tcp"
  # it forwards var.port as it is.
  ingress {
    external_enabled           = false
    transport                  = var.transport
    target_port                = var.port
    exposed_port               = var.transport == "tcp" ? var.port : null
    allow_insecure_connections = false

    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
  }

  template {
    # One replica owns the data on the share; a second could not lock it.
    min_replicas                     = 1
    max_replicas                     = 1
    termination_grace_period_seconds = var.termination_grace_period_seconds

    container {
      name   = var.container_name
      image  = var.image
      cpu    = var.cpu
      memory = var.memory
      args   = var.args

      dynamic "env" {
        for_each = var.environment
        content {
          name  = env.key
          value = env.value
        }
      }

      env {
        name        = var.password_variable
        secret_name = "password"
      }

      volume_mounts {
        name = "data"
        path = var.data_path
      }

      liveness_probe {
        transport               = "TCP"
        port                    = var.port
        interval_seconds        = 30
        failure_count_threshold = 5
      }
    }

    volume {
      name          = "data"
      storage_type  = "AzureFile"
      storage_name  = azurerm_container_app_environment_storage.data.name
      mount_options = var.mount_options
    }
  }
}

resource "azurerm_key_vault_secret" "url" {
  #checkov:skip=CKV_AZURE_41:The URL embeds the password the service was first started with; an expiry date would stop new app replicas, not rotate anything.
  name         = var.url_secret.name
  key_vault_id = var.key_vault_id
  content_type = var.url_secret.content_type
  value        = "${var.url.scheme}://${var.url.user}:${random_password.service.result}@${azurerm_container_app.service.ingress[0].fqdn}:${var.url.port}${var.url.path}"
}
