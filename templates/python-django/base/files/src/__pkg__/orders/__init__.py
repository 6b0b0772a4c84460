"""The orders app: the orders, their items, and the API and admin over them."""
