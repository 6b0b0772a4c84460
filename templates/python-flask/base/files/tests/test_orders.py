"""The orders contract, end to end through the HTTP API."""

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

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
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"]
    return error


def test_create_returns_the_order_and_its_location(client: FlaskClient) -> None:
    payload = {
        "customer_email": "ada@example.com",
        "items": [item(sku="BOOK-1", quantity=2, unit_price_cents=1250), item(sku="PEN-9")],
        "coupon": "ignored",
    }

    response = client.post("/orders", json=payload)

    assert response.status_code == 201
    order = response.get_json()
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
        ({"customer_email": "ada@example.com"}, "items"),
        ({"customer_email": "ada@example.com", "items": []}, "items"),
        ({"customer_email": "ada@example.com", "items": [item()] * 101}, "items"),
        ({"customer_email": "ada@example.com", "items": [item(sku="")]}, "items.0.sku"),
        ({"customer_email": "ada@example.com", "items": [item(sku="X" * 65)]}, "items.0.sku"),
        ({"customer_email": "ada@example.com", "items": [item(quantity=0)]}, "items.0.quantity"),
        ({"customer_email": "ada@example.com", "items": [item(quantity="2")]}, "items.0.quantity"),
        (
            {"customer_email": "ada@example.com", "items": [item(), item(unit_price_cents=-1)]},
            "items.1.unit_price_cents",
        ),
        ([], "body"),
    ],
)
def test_create_rejects_an_invalid_body(client: FlaskClient, payload: Any, field: str) -> None:
    error = assert_error(client.post("/orders", json=payload), 422, "validation_error")

    assert field in [detail["field"] for detail in error["details"]]
    assert all(detail["message"] for detail in error["details"])


def test_create_accepts_the_limits(client: FlaskClient) -> None:
    payload = {"customer_email": "ada@example.com", "items": [item(sku="X" * 64)] * 100}

    response = client.post("/orders", json=payload)

    assert response.status_code == 201, response.text
    assert len(response.get_json()["items"]) == 100


def test_malformed_json_is_a_400(client: FlaskClient) -> None:
    response = client.post(
        "/orders", data=b'{"customer_email": ', headers={"content-type": "application/json"}
    )

    error = assert_error(response, 400, "malformed_json")
    assert error["details"] is None


def test_list_is_newest_first_and_paginated(client: FlaskClient, create_order: CreateOrder) -> None:
    ids = [create_order()["id"] for _ in range(3)]

    first = client.get("/orders", query_string={"limit": 2}).get_json()
    rest = client.get("/orders", query_string={"limit": 2, "offset": 2}).get_json()

    assert [order["id"] for order in first["items"] + rest["items"]] == ids[::-1]
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    assert (rest["total"], rest["limit"], rest["offset"]) == (3, 2, 2)


def test_list_defaults(client: FlaskClient) -> None:
    response = client.get("/orders")

    assert response.status_code == 200
    assert response.get_json() == {"items": [], "total": 0, "limit": 20, "offset": 0}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_list_rejects_bad_paging(client: FlaskClient, params: dict[str, Any], field: str) -> None:
    error = assert_error(client.get("/orders", query_string=params), 422, "validation_error")

    assert [detail["field"] for detail in error["details"]] == [field]


def test_get_returns_the_order(client: FlaskClient, create_order: CreateOrder) -> None:
    order = create_order()

    response = client.get(f"/orders/{order['id']}")

    assert response.status_code == 200
    assert response.get_json() == order


@pytest.mark.parametrize("order_id", [str(uuid.uuid4()), "not-a-uuid"])
def test_get_unknown_order_is_a_404(client: FlaskClient, order_id: str) -> None:
    assert_error(client.get(f"/orders/{order_id}"), 404, "not_found")


@pytest.mark.parametrize(("current", "new"), [(a, b) for a in STATUSES for b in STATUSES])
def test_status_changes_follow_the_state_machine(
    client: FlaskClient, create_order: CreateOrder, current: str, new: str
) -> None:
    order_id = create_order()["id"]
    for step in PATH_TO[current]:
        assert client.patch(f"/orders/{order_id}", json={"status": step}).status_code == 200

    response = client.patch(f"/orders/{order_id}", json={"status": new})

    if (current, new) in ALLOWED:
        assert response.status_code == 200, response.text
        assert response.get_json()["status"] == new
        assert client.get(f"/orders/{order_id}").get_json()["status"] == new
    else:
        assert_error(response, 409, "invalid_transition")
        assert client.get(f"/orders/{order_id}").get_json()["status"] == current


def test_unknown_status_is_a_422(client: FlaskClient, create_order: CreateOrder) -> None:
    order_id = create_order()["id"]

    error = assert_error(
        client.patch(f"/orders/{order_id}", json={"status": "lost"}), 422, "validation_error"
    )
    assert [detail["field"] for detail in error["details"]] == ["status"]


def test_patch_unknown_order_is_a_404(client: FlaskClient) -> None:
    response = client.patch(f"/orders/{uuid.uuid4()}", json={"status": "paid"})

    assert_error(response, 404, "not_found")


def test_delete_removes_the_order(client: FlaskClient, create_order: CreateOrder) -> None:
    order_id = create_order()["id"]

    response = client.delete(f"/orders/{order_id}")

    assert response.status_code == 204
    assert response.data == b""
    assert_error(client.get(f"/orders/{order_id}"), 404, "not_found")
    assert_error(client.delete(f"/orders/{order_id}"), 404, "not_found")


def test_unknown_route_is_a_404(client: FlaskClient) -> None:
    assert_error(client.get("/nowhere"), 404, "not_found")


def test_wrong_method_is_a_405(client: FlaskClient) -> None:
    response = client.put("/orders")

    assert_error(response, 405, "method_not_allowed")
    assert {"GET", "POST"} <= set(response.headers["allow"].split(", "))
