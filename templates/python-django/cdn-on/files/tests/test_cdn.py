"""HTTP caching for a CDN: Cache-Control, strong ETags and 304s on order reads."""

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

CreateOrder = Callable[..., dict[str, Any]]


def test_an_order_is_public_for_a_short_while_with_a_strong_etag(
    client: APIClient, create_order: CreateOrder
) -> None:
    reply = client.get(f"/orders/{create_order()['id']}")

    assert reply.status_code == 200
    assert reply.headers["cache-control"] == "public, max-age=30"
    assert reply.headers["etag"].startswith('"')  # strong: not W/"..."
    assert client.get(f"/orders/{create_order()['id']}").headers["etag"] != reply.headers["etag"]


def test_a_matching_if_none_match_gets_304_without_a_body(
    client: APIClient, create_order: CreateOrder
) -> None:
    url = f"/orders/{create_order()['id']}"
    etag = client.get(url).headers["etag"]

    reply = client.get(url, headers={"If-None-Match": etag})

    assert reply.status_code == 304
    assert reply.content == b""
    assert reply.headers["etag"] == etag
    assert reply.headers["cache-control"] == "public, max-age=30"
    assert "content-type" not in reply.headers


def test_a_weak_form_of_the_etag_matches_too(client: APIClient, create_order: CreateOrder) -> None:
    url = f"/orders/{create_order()['id']}"
    etag = client.get(url).headers["etag"]

    assert client.get(url, headers={"If-None-Match": f"W/{etag}"}).status_code == 304


def test_a_stale_etag_gets_the_order(client: APIClient, create_order: CreateOrder) -> None:
    url = f"/orders/{create_order()['id']}"

    reply = client.get(url, headers={"If-None-Match": '"not-this-one"'})

    assert reply.status_code == 200
    assert reply.json()["status"] == "pending"


# Committed for real: an add-on may act on the change once it is committed (the cache drops
# the order's entry then).
@pytest.mark.django_db(transaction=True)
def test_a_changed_order_gets_a_new_etag(client: APIClient, create_order: CreateOrder) -> None:
    url = f"/orders/{create_order()['id']}"
    before = client.get(url).headers["etag"]

    patched = client.patch(url, {"status": "paid"}, format="json")
    after = client.get(url, headers={"If-None-Match": before})

    assert patched.headers["cache-control"] == "no-store"
    assert after.status_code == 200
    assert after.json()["status"] == "paid"
    assert after.headers["etag"] not in (before, patched.headers.get("etag"))


def test_the_list_is_revalidated_every_time(client: APIClient, create_order: CreateOrder) -> None:
    create_order()
    first = client.get("/orders")

    again = client.get("/orders", headers={"If-None-Match": first.headers["etag"]})
    create_order()
    changed = client.get("/orders", headers={"If-None-Match": first.headers["etag"]})

    assert first.headers["cache-control"] == "no-cache"
    assert again.status_code == 304
    assert changed.status_code == 200
    assert changed.json()["total"] == 2


def test_writes_and_errors_are_not_cached_as_orders(client: APIClient) -> None:
    line = {"sku": "A", "quantity": 1, "unit_price_cents": 5}
    created = client.post(
        "/orders", {"customer_email": "ada@example.com", "items": [line]}, format="json"
    )
    missing = client.get("/orders/00000000-0000-0000-0000-000000000000")

    assert created.headers["cache-control"] == "no-store"
    assert "public" not in missing.headers.get("cache-control", "")
