"""The orders in Django's admin, and the admin's own files as the image serves them."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
from pytest_django import Settings

CreateOrder = Callable[..., dict[str, Any]]


def test_the_admin_lists_filters_and_searches_orders(
    admin_client: Client, create_order: CreateOrder
) -> None:
    ada = create_order(customer_email="ada@example.com")
    create_order(
        customer_email="grace@example.com",
        items=[{"sku": "PEN-9", "quantity": 1, "unit_price_cents": 5}],
    )

    listed = admin_client.get("/admin/orders/order/")
    searched = admin_client.get("/admin/orders/order/", {"q": "PEN-9"})
    filtered = admin_client.get("/admin/orders/order/", {"status__exact": "paid"})
    detail = admin_client.get(f"/admin/orders/order/{ada['id']}/change/")

    assert listed.status_code == 200
    assert "ada@example.com" in listed.text
    assert "grace@example.com" in listed.text
    assert "grace@example.com" in searched.text
    assert "ada@example.com" not in searched.text
    assert "ada@example.com" not in filtered.text
    assert detail.status_code == 200
    assert "BOOK-1" in detail.text


def test_the_admin_needs_a_login(client: Any) -> None:
    response = client.get("/admin/orders/order/")

    assert response.status_code == 302
    assert response.headers["location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_collected_static_files_are_served_by_the_app(settings: Settings, tmp_path: Path) -> None:
    """What the image does: collectstatic with the production storage, then WhiteNoise."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    response = Client().get(static("admin/css/base.css"))  # a new client loads WhiteNoise anew

    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]  # hashed names are cached forever
