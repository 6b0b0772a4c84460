variable "name" {
  description = "Name of the VM, and the stem of its service account, address, disk, snapshot policy, firewall rule and network tag (\"<project>-search\")."
  type        = string
}

variable "display_name" {
  description = "Display name of the VM's service account (\"<project> OpenSearch VM\")."
  type        = string
}

variable "project_id" {
  description = "Google Cloud project the VM's service account may write logs to."
  type        = string
}

variable "region" {
  description = "Region of the address, the secrets' replicas and the snapshot policy; the VM runs in its zone b."
  type        = string
}

variable "network_id" {
  description = "VPC network of the firewall rule that lets the clients in."
  type        = string
}

variable "subnetwork_id" {
  description = "Subnet the VM and its fixed private address live in."
  type        = string
}

variable "client_tag" {
  description = "Network tag of the instances that may connect (the app's Cloud Run instances and worker)."
  type        = string
}

variable "machine_type" {
  description = "Compute Engine machine type of the VM."
  type        = string
}

variable "disk_gb" {
  description = "Size of the persistent data disk, in GB."
  type        = number
}

variable "deletion_protection" {
  description = "Whether Terraform refuses to delete the VM."
  type        = bool
}

variable "service" {
  description = "Short name of the service: its container, systemd unit, data folder on the disk and env file (\"opensearch\")."
  type        = string
}

variable "title" {
  description = "The service as people name it, for the systemd unit (\"OpenSearch\")."
  type        = string
}

variable "image" {
  description = "Container image the VM runs."
  type        = string
}

variable "port" {
  description = "TCP port the container serves on, published on the VM and opened to client_tag."
  type        = number
}

variable "data_path" {
  description = "Folder inside the container that the data disk is mounted on."
  type        = string
}

variable "data_owner" {
  description = "uid:gid the image runs as, which owns the data folder (\"1000:1000\")."
  type        = string
}

variable "docker_options" {
  description = "Further `docker run` options: the service's settings (-e …), limits, host name."
  type        = string
  default     = ""
}

variable "boot_commands" {
  description = "Commands run at every boot before the data disk is mounted (kernel settings the image needs)."
  type        = list(string)
  default     = []
}

variable "stop_seconds" {
  description = "How long `docker stop` waits for the service to shut down before it kills it."
  type        = number
  default     = 10
}

variable "password_variable" {
  description = "Environment variable of the container that receives the generated password at its first start."
  type        = string
}

variable "password_every_class" {
  description = "true: the password holds an upper and a lower case letter, a digit and a symbol (- or _) at least once; false: letters and digits only."
  type        = bool
  default     = false
}

variable "password_version" {
  description = "Increase by one to write a new random password to both secrets."
  type        = number
}

variable "password_secret_id" {
  description = "Secret Manager id of the secret the VM reads the password from at boot."
  type        = string
}

variable "url_secret_id" {
  description = "Secret Manager id of the secret holding the URL the app connects with."
  type        = string
}

variable "url_scheme" {
  description = "Scheme of that URL (\"http\", \"amqp\")."
  type        = string
}

variable "url_user" {
  description = "User name in that URL: the user the service creates from password_variable."
  type        = string
}

variable "url_path" {
  description = "What follows host and port in that URL (\"/%2F\" for RabbitMQ's default virtual host)."
  type        = string
  default     = ""
}
