# RabbitMQ on Azure, self-managed: Azure has no managed RabbitMQ, so the official image
# runs as a Container App of its own, `queue`, with its message store on an Azure Files
# share. Its TCP ingress is internal: only the app and the worker, inside the
# environment, reach port 5672. The broker's password is generated into Key Vault; the
# app and the worker read AMQP_URL from there.
#
# Self-managed means: one broker, no failover, upgrades are yours (change queue_image
# and apply), and AMQP inside the environment is not TLS (README).

variable "queue_image" {
  description = "RabbitMQ image to run (the project is tested against 3.13)."
  type        = string
  default     = "rabbitmq:3.13"
}

variable "queue_share_gb" {
  description = "Size limit of the message store's file share, in GiB."
  type        = number
  default     = 5
}

locals {
  queue_for_app = {
    environment  = {}
    secrets      = { AMQP_URL = azurerm_key_vault_secret.queue_url.versionless_id }
    volumes      = {}
    max_replicas = null
  }
}

# RabbitMQ takes the password only when it first creates its database, from an
# environment variable, so Terraform generates it as a plain resource (in the state).
# Letters and digits: safe in a URL as they are.
resource "random_password" "queue" {
  length  = 32
  special = false
}

resource "azurerm_key_vault_secret" "queue_password" {
  #checkov:skip=CKV_AZURE_41:RabbitMQ keeps the password it first created its user with; an expiry date would stop the broker's next replica, not rotate anything.
  name         = "queue-password"
  key_vault_id = azurerm_key_vault.main.id
  content_type = "RabbitMQ password of the app user (self-managed queue app)"
  value        = random_password.queue.result

  depends_on = [azurerm_role_assignment.secrets_writer]
}

resource "azurerm_storage_share" "queue" {
  name               = "queue"
  storage_account_id = azurerm_storage_account.files.id
  quota              = var.queue_share_gb
  enabled_protocol   = "SMB"
}

resource "azurerm_container_app_environment_storage" "queue" {
  name                         = "queue"
  container_app_environment_id = azurerm_container_app_environment.main.id
  account_name                 = azurerm_storage_account.files.name
  share_name                   = azurerm_storage_share.queue.name
  access_key                   = azurerm_storage_account.files.primary_access_key
  access_mode                  = "ReadWrite"
}

resource "azurerm_container_app" "queue" {
  name                         = "queue"
  resource_group_name          = azurerm_resource_group.main.name
  container_app_environment_id = azurerm_container_app_environment.main.id
  workload_profile_name        = "Consumption"
  revision_mode                = "Single"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  secret {
    name                = "password"
    identity            = azurerm_user_assigned_identity.app.id
    key_vault_secret_id = azurerm_key_vault_secret.queue_password.versionless_id
  }

  # Internal TCP: other apps of the environment connect to queue.internal.<domain>:5672.
  ingress {
    external_enabled = false
    transport        = "tcp"
    target_port      = 5672
    exposed_port     = 5672

    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
  }

  template {
    # One broker owns the message store.
    min_replicas = 1
    max_replicas = 1
    # Lets the broker write its queues to disk before it stops.
    termination_grace_period_seconds = 60

    container {
      name   = "rabbitmq"
      image  = var.queue_image
      cpu    = 0.5
      memory = "1Gi"

      env {
        name  = "RABBITMQ_DEFAULT_USER"
        value = "app"
      }

      env {
        name        = "RABBITMQ_DEFAULT_PASS"
        secret_name = "password"
      }

      # A fixed node name: the store is kept per node name, and a replica's host name
      # changes with every restart.
      env {
        name  = "RABBITMQ_NODENAME"
        value = "rabbit@localhost"
      }

      volume_mounts {
        name = "data"
        path = "/var/lib/rabbitmq/mnesia"
      }

      liveness_probe {
        transport               = "TCP"
        port                    = 5672
        interval_seconds        = 30
        failure_count_threshold = 5
      }
    }

    volume {
      name         = "data"
      storage_type = "AzureFile"
      storage_name = azurerm_container_app_environment_storage.queue.name
      # The image runs RabbitMQ as uid 999.
      mount_options = "uid=999,gid=999,dir_mode=0700,file_mode=0600"
    }
  }

  depends_on = [azurerm_role_assignment.app_secrets]
}

resource "azurerm_key_vault_secret" "queue_url" {
  #checkov:skip=CKV_AZURE_41:The URL embeds the password RabbitMQ first created its user with; an expiry date would stop new replicas, not rotate anything.
  name         = "amqp-url"
  key_vault_id = azurerm_key_vault.main.id
  content_type = "AMQP_URL (self-managed RabbitMQ, inside the environment)"
  value        = "amqp://app:${random_password.queue.result}@${azurerm_container_app.queue.ingress[0].fqdn}:5672/%2F"

  depends_on = [azurerm_role_assignment.secrets_writer]
}
