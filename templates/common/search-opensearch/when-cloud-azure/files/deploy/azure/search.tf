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
    secrets      = { SEARCH_URL = module.search.url_secret_id }
    volumes      = {}
    max_replicas = null
  }
}

# The Container App, its share, its password and URL in Key Vault: the module
# (modules/internal-app/) holds what every self-managed service on Container Apps shares.
# OpenSearch takes the admin password only at its first start; it must hold an upper and
# a lower case letter, a digit and a symbol. The app connects over HTTPS to the ingress,
# which forwards plain HTTP to 9200.
module "search" {
  source = "./modules/internal-app"

  name                 = "search"
  resource_group_name  = azurerm_resource_group.main.name
  environment_id       = azurerm_container_app_environment.main.id
  identity_id          = azurerm_user_assigned_identity.app.id
  key_vault_id         = azurerm_key_vault.main.id
  storage_account_id   = azurerm_storage_account.files.id
  storage_account_name = azurerm_storage_account.files.name
  storage_account_key  = azurerm_storage_account.files.primary_access_key
  share_gb             = var.search_share_gb

  container_name = "opensearch"
  image          = var.search_image
  cpu            = 1
  memory         = "2Gi"

  # The image's entrypoint runs `opensearch` with these settings. They are arguments,
  # not the image's dotted environment variables (cluster.name=…), because Container
  # Apps may refuse a dot in an environment variable's name. TLS ends at the
  # environment's ingress; the security plugin still checks the login of every request
  # (and keeps TLS between nodes, of which there is one).
  args = [
    "opensearch",
    "-Ediscovery.type=single-node",
    "-Eplugins.security.ssl.http.enabled=false",
  ]
  environment = {
    OPENSEARCH_JAVA_OPTS = "-Xms1g -Xmx1g"
  }
  password_variable    = "OPENSEARCH_INITIAL_ADMIN_PASSWORD"
  password_every_class = true

  port      = 9200
  transport = "http"
  data_path = "/usr/share/opensearch/data"
  # The image runs OpenSearch as uid 1000.
  mount_options = "uid=1000,gid=1000,dir_mode=0770,file_mode=0660"

  password_secret = {
    name         = "search-admin-password"
    content_type = "OpenSearch admin password (self-managed search app)"
  }
  url_secret = {
    name         = "search-url"
    content_type = "SEARCH_URL (self-managed OpenSearch, HTTPS)"
  }
  url = { scheme = "https", user = "admin", port = 443, path = "" }

  depends_on = [azurerm_role_assignment.secrets_writer, azurerm_role_assignment.app_secrets]
}
