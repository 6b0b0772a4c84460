"""The order cache: `GET /orders/{id}` from Django's cache framework (Redis, or memory)."""
