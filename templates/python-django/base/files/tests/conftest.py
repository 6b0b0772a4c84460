"""Test fixtures: a client of the app, and a few settings only tests need.

The tests run on an in-memory SQLite database unless DATABASE_URL is set in the
environment; then pytest-django creates a `test_` database on that server, migrates it,
and drops it at the end. Other real services are used only when their URLs are set too.
`.env` is not read (only manage.py and wsgi.py read it).
"""

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from pytest_django import Settings
from rest_framework.test import APIClient

CreateOrder = Callable[..., dict[str, Any]]


@pytest.fixture(scope="session", autouse=True)
def _secret_key() -> None:
    """A throwaway secret key for the whole run (the app's comes from the environment)."""
    django_settings.SECRET_KEY = secrets.token_urlsafe(50)


@pytest.fixture(autouse=True)
def _static_files(settings: Settings, tmp_path: Path) -> None:
    """The admin's files straight from the installed apps: the production storage serves
    only what `collectstatic` gathered (test_admin.py checks that part)."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def client(db: None) -> APIClient:
    """A client of the app on the test database (each test's changes are rolled back)."""
    return APIClient()


@pytest.fixture
def create_order(client: APIClient) -> CreateOrder:
    """POST an order (a valid one unless told otherwise) and return its body."""

    def create(**fields: Any) -> dict[str, Any]:
        payload = {
            "customer_email": "ada@example.com",
            "items": [{"sku": "BOOK-1", "quantity": 2, "unit_price_cents": 1250}],
        } | fields
        response = client.post("/orders", payload, format="json")
        assert response.status_code == 201, response.content
        return response.json()

    return create
