# The network: one virtual network. The Container Apps environment owns one subnet
# (delegated to it; its managed load balancer and every replica live there); private
# endpoints of the data stores get another; a data store that Azure injects into the
# network (the flexible database servers) adds a delegated subnet of its own in its file.
#
# A network of its own, rather than one you have, keeps the project self-contained.
# Slots of the address range: 10.0.0.0/23 apps, 10.0.2.0/24 private endpoints,
# 10.0.3.0/24 database; cidrsubnet() below keeps that layout for any vnet_cidr.

resource "azurerm_virtual_network" "main" {
  name                = "${var.name}-vnet"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  address_space       = [var.vnet_cidr]
}

resource "azurerm_subnet" "apps" {
  name                 = "apps"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = [cidrsubnet(var.vnet_cidr, 7, 0)]
  # The file shares' storage account admits this subnet only (files.tf).
  service_endpoints = ["Microsoft.Storage"]

  delegation {
    name = "container-apps"

    service_delegation {
      name    = "Microsoft.App/environments"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

resource "azurerm_subnet" "private_endpoints" {
  name                 = "private-endpoints"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = [cidrsubnet(var.vnet_cidr, 8, 2)]
}

# The apps subnet takes HTTPS from the internet (the environment's public ingress; plain
# HTTP is not let in at all) and the load balancer's probes; Azure's default rules already let traffic flow inside the
# network and out to the internet.
resource "azurerm_network_security_group" "apps" {
  name                = "${var.name}-apps"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
}

resource "azurerm_network_security_rule" "apps_https" {
  name                        = "https-from-internet"
  resource_group_name         = azurerm_resource_group.main.name
  network_security_group_name = azurerm_network_security_group.apps.name
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_address_prefix       = "Internet"
  source_port_range           = "*"
  destination_address_prefix  = azurerm_subnet.apps.address_prefixes[0]
  destination_port_range      = "443"
}

resource "azurerm_subnet_network_security_group_association" "apps" {
  subnet_id                 = azurerm_subnet.apps.id
  network_security_group_id = azurerm_network_security_group.apps.id
}

# Only the network itself reaches the private endpoints (Azure's default rules), and
# nothing from the internet.
resource "azurerm_network_security_group" "private" {
  name                = "${var.name}-private"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
}

resource "azurerm_subnet_network_security_group_association" "private_endpoints" {
  subnet_id                 = azurerm_subnet.private_endpoints.id
  network_security_group_id = azurerm_network_security_group.private.id
}
