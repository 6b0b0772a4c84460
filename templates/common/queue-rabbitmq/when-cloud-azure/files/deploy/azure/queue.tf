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
    secrets      = { AMQP_URL = module.queue.url_secret_id }
    volumes      = {}
    max_replicas = null
  }
}

# The Container App, its share, its password and URL in Key Vault: the module
# (modules/internal-app/) holds what every self-managed service on Container Apps shares.
# RabbitMQ takes the password only when it first creates its database. Other apps of the
# environment connect to queue.internal.<domain>:5672 over internal TCP.
module "queue" {
  source = "./modules/internal-app"

  name                 = "queue"
  resource_group_name  = azurerm_resource_group.main.name
  environment_id       = azurerm_container_app_environment.main.id
  identity_id          = azurerm_user_assigned_identity.app.id
  key_vault_id         = azurerm_key_vault.main.id
  storage_account_id   = azurerm_storage_account.files.id
  storage_account_name = azurerm_storage_account.files.name
  storage_account_key  = azurerm_storage_account.files.primary_access_key
  share_gb             = var.queue_share_gb

  container_name = "rabbitmq"
  image          = var.queue_image
  cpu            = 0.5
  memory         = "1Gi"

  environment = {
    RABBITMQ_DEFAULT_USER = "app"
    # A fixed node name: the store is kept per node name, and a replica's host name
    # changes with every restart.
    RABBITMQ_NODENAME = "rabbit@localhost"
  }
  password_variable = "RABBITMQ_DEFAULT_PASS"

  port      = 5672
  transport = "tcp"
  data_path = "/var/lib/rabbitmq/mnesia"
  # The image runs RabbitMQ as uid 999.
  mount_options = "uid=999,gid=999,dir_mode=0700,file_mode=0600"
  # Lets the broker write its queues to disk before it stops.
  termination_grace_period_seconds = 60

  password_secret = {
    name         = "queue-password"
    content_type = "RabbitMQ password of the app user (self-managed queue app)"
  }
  url_secret = {
    name         = "amqp-url"
    content_type = "AMQP_URL (self-managed RabbitMQ, inside the environment)"
  }
  url = { scheme = "amqp", user = "app", port = 5672, path = "/%2F" }

  depends_on = [azurerm_role_assignment.secrets_writer, azurerm_role_assignment.app_secrets]
}
