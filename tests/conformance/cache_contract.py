"""Conformance of the cache add-on: `GET /orders/{id}` carries X-Cache, writes invalidate.

Run only against an app generated with a cache (the harness passes it when
CONFORMANCE_FEATURES names `cache`).
"""

from __future__ import annotations

from typing import Any

from tests.conformance.client import (
    expect_error,
    expect_json,
    patch_status,
    request,
    x_cache,
)


def read_twice(order_id: str, what: str) -> dict[str, Any]:
    """The first read comes from the database (MISS), the second from the cache (HIT)."""
    first = request("GET", f"/orders/{order_id}")
    second = request("GET", f"/orders/{order_id}")
    first_body: dict[str, Any] = expect_json(first, 200, f"{what}: first GET")
    assert x_cache(first) == "MISS", (
        f"{what}: first GET must carry X-Cache: MISS, got {x_cache(first)!r}"
    )
    assert x_cache(second) == "HIT", (
        f"{what}: next GET must carry X-Cache: HIT, got {x_cache(second)!r}"
    )
    assert expect_json(second, 200, f"{what}: second GET") == first_body, (
        "a HIT serves the same order"
    )
    return first_body


def test_cache_miss_then_hit(order: dict[str, Any]) -> None:
    read_twice(order["id"], "a new order")


def test_cache_patch_invalidates(order: dict[str, Any]) -> None:
    read_twice(order["id"], "before PATCH")
    expect_json(patch_status(order["id"], "paid"), 200, "PATCH to paid")
    after = read_twice(order["id"], "after PATCH")
    assert after["status"] == "paid", "after PATCH the cache must not serve the old status"


def test_cache_delete_invalidates(order: dict[str, Any]) -> None:
    read_twice(order["id"], "before DELETE")
    assert request("DELETE", f"/orders/{order['id']}").status == 204, "DELETE must answer 204"
    reply = request("GET", f"/orders/{order['id']}")
    expect_error(reply, 404, "not_found", "GET after DELETE (the cache must not serve it)")
