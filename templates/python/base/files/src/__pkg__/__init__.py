"""The orders API; `main.create_app` builds the application."""
