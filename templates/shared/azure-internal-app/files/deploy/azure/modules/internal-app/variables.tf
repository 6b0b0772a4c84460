variable "name" {
  description = "Name of the Container App, its file share and its environment storage (\"search\"); other apps reach it at <name>.internal.<environment domain>."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group the Container App belongs to."
  type        = string
}

variable "environment_id" {
  description = "The Container Apps environment the app runs in (its ingress is internal to it)."
  type        = string
}

variable "identity_id" {
  description = "User-assigned identity the app reads its Key Vault secret with."
  type        = string
}

variable "key_vault_id" {
  description = "Key Vault that keeps the generated password and the URL the app connects with."
  type        = string
}

variable "storage_account_id" {
  description = "Storage account of the file share holding the service's data."
  type        = string
}

variable "storage_account_name" {
  description = "Name of that storage account."
  type        = string
}

variable "storage_account_key" {
  description = "Access key of that storage account, for the environment to mount the share (SMB)."
  type        = string
  sensitive   = true
}

variable "share_gb" {
  description = "Size limit of the file share, in GiB."
  type        = number
}

variable "container_name" {
  description = "Name of the container in the app (\"opensearch\")."
  type        = string
}

variable "image" {
  description = "Container image the app runs."
  type        = string
}

variable "cpu" {
  description = "vCPUs of the container (Consumption profile: 0.25 to 4, in steps of 0.25)."
  type        = number
}

variable "memory" {
  description = "Memory of the container, twice the vCPUs in GiB (\"2Gi\" for 1 vCPU)."
  type        = string
}

variable "args" {
  description = "Arguments to the image's entrypoint; null keeps the image's own."
  type        = list(string)
  default     = null
}

variable "environment" {
  description = "Plain environment variables of the container (no secret in them)."
  type        = map(string)
  default     = {}
}

variable "password_variable" {
  description = "Environment variable that receives the generated password (a Key Vault reference)."
  type        = string
}

variable "password_every_class" {
  description = "true: the password holds an upper and a lower case letter, a digit and a symbol (- or _) at least once; false: letters and digits only."
  type        = bool
  default     = false
}

variable "port" {
  description = "Port the container serves on, the ingress's target."
  type        = number
}

variable "transport" {
  description = "Ingress transport: \"http\" (the ingress ends TLS on 443) or \"tcp\" (exposed on var.port, inside the environment only)."
  type        = string

  validation {
    condition     = contains(["http", "tcp"], var.transport)
    error_message = "transport is \"http\" or \"tcp\"."
  }
}

variable "data_path" {
  description = "Folder inside the container that the file share is mounted on."
  type        = string
}

variable "mount_options" {
  description = "SMB mount options of the share: the uid and gid the image runs as and the modes it needs."
  type        = string
}

variable "termination_grace_period_seconds" {
  description = "How long a replica may take to stop; null keeps the platform's default."
  type        = number
  default     = null
}

variable "password_secret" {
  description = "Name and content type of the Key Vault secret holding the password."
  type = object({
    name         = string
    content_type = string
  })
}

variable "url_secret" {
  description = "Name and content type of the Key Vault secret holding the URL the app connects with."
  type = object({
    name         = string
    content_type = string
  })
}

variable "url" {
  description = "The parts of that URL around the password and the app's host name: scheme://user:<password>@<fqdn>:port path."
  type = object({
    scheme = string
    user   = string
    port   = number
    path   = string
  })
}
