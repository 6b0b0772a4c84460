"""The order-confirmation job: each new order's confirmation is sent off the request path."""
