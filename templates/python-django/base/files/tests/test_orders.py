"""The orders contract, end to end through the HTTP API."""

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

CreateOrder = Callable[..., dict[str, Any]]

STATUSES = ["pending", "paid", "shipped", "cancelled"]
ALLOWED = {
    ("pending", "paid"),
    ("paid", "shipped"),
    ("pending", "cancelled"),
    ("paid", "cancelled"),
}
# The changes that bring a new order to each status.
PATH_TO = {
    "pending": [],
    "paid": ["paid"],
    "shipped": ["paid", "shipped"],
    "cancelled": ["cancelled"],
}


def item(**fields: Any) -> dict[str, Any]:
    return {"sku": "BOOK-1", "quantity": 1, "unit_price_cents": 100} | fields


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response.headers["content-type"] == "application/json"
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    return error


def test_create_returns_the_order_and_its_location(client: APIClient) -> None:
    payload = {
        "customer_email": "ada@example.com",
        "items": [item(sku="BOOK-1", quantity=2, unit_price_cents=1250), item(sku="PEN-9")],
        "coupon": "ignored",
        "status": "shipped",
    }

    response = client.post("/orders", payload, format="json")

    assert response.status_code == 201
    order = response.json()
    assert response.headers["location"] == f"/orders/{order['id']}"
    assert str(uuid.UUID(order["id"])) == order["id"]
    assert order["customer_email"] == "ada@example.com"
    assert order["items"] == payload["items"]
    assert order["total_cents"] == 2 * 1250 + 100
    assert order["status"] == "pending"
    assert datetime.fromisoformat(order["created_at"]).utcoffset() is not None
    assert set(order) == {"id", "customer_email", "items", "total_cents", "status", "created_at"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"items": [item()]}, "customer_email"),
        ({"customer_email": "not-an-email", "items": [item()]}, "customer_email"),
        ({"customer_email": 42, "items": [item()]}, "customer_email"),
        ({"customer_email": "ada@example.com"}, "items"),
        ({"customer_email": "ada@example.com", "items": []}, "items"),
        ({"customer_email": "ada@example.com", "items": "BOOK-1"}, "items"),
        ({"customer_email": "ada@example.com", "items": ["BOOK-1"]}, "items.0"),
        ({"customer_email": "ada@example.com", "items": [item()] * 101}, "items"),
        ({"customer_email": "ada@example.com", "items": [item(sku="")]}, "items.0.sku"),
        ({"customer_email": "ada@example.com", "items": [item(sku="X" * 65)]}, "items.0.sku"),
        ({"customer_email": "ada@example.com", "items": [item(sku=123)]}, "items.0.sku"),
        ({"customer_email": "ada@example.com", "items": [item(quantity=0)]}, "items.0.quantity"),
        ({"customer_email": "ada@example.com", "items": [item(quantity="2")]}, "items.0.quantity"),
        ({"customer_email": "ada@example.com", "items": [item(quantity=1.5)]}, "items.0.quantity"),
        ({"customer_email": "ada@example.com", "items": [item(quantity=True)]}, "items.0.quantity"),
        (
            {"customer_email": "ada@example.com", "items": [item(), item(unit_price_cents=-1)]},
            "items.1.unit_price_cents",
        ),
        (
            {"customer_email": "ada@example.com", "items": [item(unit_price_cents=None)]},
            "items.0.unit_price_cents",
        ),
        (
            {
                "customer_email": "ada@example.com",
                "items": [item(quantity=2**31 - 1, unit_price_cents=2**31 - 1)] * 3,
            },
            "items",
        ),
        ([], "body"),
    ],
)
def test_create_rejects_an_invalid_body(client: APIClient, payload: Any, field: str) -> None:
    error = assert_error(client.post("/orders", payload, format="json"), 422, "validation_error")

    assert field in [detail["field"] for detail in error["details"]]
    assert all(detail["message"] for detail in error["details"])


def test_every_invalid_field_is_named(client: APIClient) -> None:
    payload = {"customer_email": "", "items": [item(), item(sku="", quantity=0)]}

    error = assert_error(client.post("/orders", payload, format="json"), 422, "validation_error")

    fields = {detail["field"] for detail in error["details"]}
    assert fields == {"customer_email", "items.1.sku", "items.1.quantity"}


def test_create_accepts_the_limits(client: APIClient) -> None:
    payload = {
        "customer_email": "ada@example.com",
        "items": [item(sku="X" * 64, quantity=1, unit_price_cents=0)] * 99 + [item(sku="Y")],
    }

    response = client.post("/orders", payload, format="json")

    assert response.status_code == 201, response.content
    assert len(response.json()["items"]) == 100
    assert response.json()["items"][-1]["sku"] == "Y"


def test_malformed_json_is_a_400(client: APIClient) -> None:
    response = client.post("/orders", b'{"customer_email": ', content_type="application/json")

    error = assert_error(response, 400, "malformed_json")
    assert error["details"] is None


def test_list_is_newest_first_and_paginated(client: APIClient, create_order: CreateOrder) -> None:
    ids = [create_order()["id"] for _ in range(3)]

    first = client.get("/orders", {"limit": 2}).json()
    rest = client.get("/orders", {"limit": 2, "offset": 2}).json()

    assert [order["id"] for order in first["items"] + rest["items"]] == ids[::-1]
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    assert (rest["total"], rest["limit"], rest["offset"]) == (3, 2, 2)


def test_list_defaults(client: APIClient) -> None:
    response = client.get("/orders")

    assert response.status_code == 200
    assert response.json() == {"items": [], "total": 0, "limit": 20, "offset": 0}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": "first"}, "offset"),
    ],
)
def test_list_rejects_bad_paging(client: APIClient, params: dict[str, Any], field: str) -> None:
    error = assert_error(client.get("/orders", params), 422, "validation_error")

    assert [detail["field"] for detail in error["details"]] == [field]


def test_get_returns_the_order(client: APIClient, create_order: CreateOrder) -> None:
    order = create_order()

    response = client.get(f"/orders/{order['id']}")

    assert response.status_code == 200
    assert response.json() == order


@pytest.mark.parametrize("order_id", [str(uuid.uuid4()), "not-a-uuid", "12345"])
def test_get_unknown_order_is_a_404(client: APIClient, order_id: str) -> None:
    assert_error(client.get(f"/orders/{order_id}"), 404, "not_found")


@pytest.mark.parametrize(("current", "new"), [(a, b) for a in STATUSES for b in STATUSES])
def test_status_changes_follow_the_state_machine(
    client: APIClient, create_order: CreateOrder, current: str, new: str
) -> None:
    order_id = create_order()["id"]
    for step in PATH_TO[current]:
        changed = client.patch(f"/orders/{order_id}", {"status": step}, format="json")
        assert changed.status_code == 200

    response = client.patch(f"/orders/{order_id}", {"status": new}, format="json")

    if (current, new) in ALLOWED:
        assert response.status_code == 200, response.content
        assert response.json()["status"] == new
        assert client.get(f"/orders/{order_id}").json()["status"] == new
    else:
        assert_error(response, 409, "invalid_transition")
        assert client.get(f"/orders/{order_id}").json()["status"] == current


@pytest.mark.parametrize("body", [{"status": "lost"}, {"status": "PAID"}, {"status": 1}, {}])
def test_unknown_status_is_a_422(
    client: APIClient, create_order: CreateOrder, body: dict[str, Any]
) -> None:
    order_id = create_order()["id"]

    error = assert_error(
        client.patch(f"/orders/{order_id}", body, format="json"), 422, "validation_error"
    )
    assert [detail["field"] for detail in error["details"]] == ["status"]


def test_patch_unknown_order_is_a_404(client: APIClient) -> None:
    response = client.patch(f"/orders/{uuid.uuid4()}", {"status": "paid"}, format="json")

    assert_error(response, 404, "not_found")


def test_delete_removes_the_order(client: APIClient, create_order: CreateOrder) -> None:
    order_id = create_order()["id"]

    response = client.delete(f"/orders/{order_id}")

    assert response.status_code == 204
    assert response.content == b""
    assert_error(client.get(f"/orders/{order_id}"), 404, "not_found")
    assert_error(client.delete(f"/orders/{order_id}"), 404, "not_found")


@pytest.mark.parametrize("path", ["/nowhere", "/orders/extra/segments"])
def test_unknown_route_is_a_404(client: APIClient, path: str) -> None:
    assert_error(client.get(path), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("put", "/orders", {"GET", "POST"}),
        ("delete", "/orders", {"GET", "POST"}),
        ("put", "/orders/{id}", {"GET", "PATCH", "DELETE"}),
        ("post", "/health", {"GET"}),
    ],
)
def test_wrong_method_is_a_405_naming_the_allowed_ones(
    client: APIClient, create_order: CreateOrder, method: str, path: str, allowed: set[str]
) -> None:
    path = path.replace("{id}", create_order()["id"])

    response = getattr(client, method)(path, {"status": "paid"}, format="json")

    assert_error(response, 405, "method_not_allowed")
    assert allowed <= set(response.headers["allow"].split(", "))
