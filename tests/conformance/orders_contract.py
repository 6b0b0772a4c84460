"""Conformance suite for the orders contract (docs/contract.md), run against a live app.

It speaks plain HTTP through the standard library only, so any generated stack, in any
language, can be checked by it. The file name does not start with `test_`, so a plain
`pytest` of the repository never collects it; run it explicitly:

    CONFORMANCE_BASE_URL=http://127.0.0.1:8123 CONFORMANCE_FEATURES=cache \\
        pytest tests/conformance/orders_contract.py -q

CONFORMANCE_FEATURES is the stack's comma-separated add-ons; each add-on's part of the
contract lives in `<add-on>_contract.py` beside this file. The database may already hold
orders, so every check looks only at the orders it created itself.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conformance.client import (
    ALLOWED,
    FEATURES,
    REACH,
    SERVICE_FEATURES,
    STATUSES,
    Reply,
    check_order,
    create_order,
    expect_error,
    expect_json,
    expect_validation_error,
    is_int,
    item,
    order_payload,
    parse_timestamp,
    patch_status,
    request,
    shown,
)

# ------------------------------------------------------------------- health and ready


def test_health_is_ok() -> None:
    body = expect_json(request("GET", "/health"), 200, "GET /health")
    assert isinstance(body, dict) and body.get("status") == "ok", (
        f'GET /health must answer {{"status": "ok"}}, got {body!r}'
    )


def test_ready_checks_every_configured_dependency() -> None:
    body = expect_json(request("GET", "/ready"), 200, "GET /ready (all dependencies up)")
    assert isinstance(body, dict) and body.get("status") == "ok", f"ready status must be ok: {body}"
    checks = body.get("checks")
    assert isinstance(checks, dict), f"GET /ready must hold a checks object, got {body!r}"
    expected = {"database": "ok"} | {name: "ok" for name in FEATURES & SERVICE_FEATURES}
    assert checks == expected, f"GET /ready must check exactly {sorted(expected)}, got {checks}"


# ------------------------------------------------------------------------------ create


def test_create_answers_201_with_location_and_the_order() -> None:
    payload = order_payload()
    reply = request("POST", "/orders", payload)
    created = expect_json(reply, 201, "POST /orders")
    check_order(created, "POST /orders", sent=payload)
    assert created["status"] == "pending", f"a new order's status must be pending: {created}"
    assert created["total_cents"] == 2 * 1250 + 99, (
        "total_cents is the sum of quantity * unit_price_cents"
    )
    location = reply.headers.get("location", "")
    assert urlsplit(location).path == f"/orders/{created['id']}", (
        f"POST /orders must send Location: /orders/{created['id']}, got {location!r}"
    )
    fetched = expect_json(request("GET", f"/orders/{created['id']}"), 200, "GET the new order")
    check_order(fetched, "GET /orders/{id}", sent=payload)
    same = ("id", "customer_email", "items", "total_cents", "status")
    assert {k: fetched[k] for k in same} == {k: created[k] for k in same}, (
        "GET /orders/{id} must return the order POST /orders created"
    )
    drift = parse_timestamp(fetched["created_at"], "GET") - parse_timestamp(
        created["created_at"], "POST"
    )
    assert abs(drift) < timedelta(seconds=1), (
        "created_at must denote the same instant on POST and GET"
    )


@pytest.mark.parametrize(
    "items",
    [
        pytest.param([item(quantity=1, unit_price_cents=0)], id="quantity 1 and price 0"),
        pytest.param([item(sku="x")], id="1-character sku"),
        pytest.param([item(sku="S" * 64)], id="64-character sku"),
        pytest.param([item(f"SKU-{i}", 1, 1) for i in range(100)], id="100 items"),
    ],
)
def test_create_accepts_the_boundaries(items: list[dict[str, Any]]) -> None:
    create_order(items=items)


def test_create_ignores_unknown_fields() -> None:
    payload = order_payload(note="unknown top-level field", status="shipped", total_cents=1)
    payload["items"][0]["colour"] = "unknown item field"
    created = expect_json(request("POST", "/orders", payload), 201, "POST /orders, unknown fields")
    check_order(created, "POST /orders with unknown fields", sent=payload)
    assert created["status"] == "pending", "a client cannot choose the initial status"


def _invalid_bodies() -> list[Any]:
    def without(key: str) -> dict[str, Any]:
        payload = order_payload()
        del payload[key]
        return payload

    def item_without(key: str) -> dict[str, Any]:
        bad = item()
        del bad[key]
        return order_payload(items=[bad])

    cases: list[tuple[str, Any, str | None]] = [
        ("bad email", order_payload(customer_email="not-an-email"), "customer_email"),
        ("empty email", order_payload(customer_email=""), "customer_email"),
        ("email not a string", order_payload(customer_email=42), "customer_email"),
        ("empty items", order_payload(items=[]), "items"),
        ("101 items", order_payload(items=[item(f"S{i}") for i in range(101)]), "items"),
        ("items not a list", order_payload(items="SKU-1"), "items"),
        ("item not an object", order_payload(items=["SKU-1"]), "items.0"),
        ("quantity 0", order_payload(items=[item(), item(quantity=0)]), "items.1.quantity"),
        ("negative quantity", order_payload(items=[item(quantity=-1)]), "items.0.quantity"),
        ("quantity a word", order_payload(items=[item(quantity="two")]), "items.0.quantity"),
        ("fractional quantity", order_payload(items=[item(quantity=1.5)]), "items.0.quantity"),
        (
            "negative price",
            order_payload(items=[item(unit_price_cents=-1)]),
            "items.0.unit_price_cents",
        ),
        (
            "null price",
            order_payload(items=[item(unit_price_cents=None)]),
            "items.0.unit_price_cents",
        ),
        ("empty sku", order_payload(items=[item(sku="")]), "items.0.sku"),
        ("65-character sku", order_payload(items=[item(sku="S" * 65)]), "items.0.sku"),
        ("sku not a string", order_payload(items=[item(sku=123)]), "items.0.sku"),
        ("missing customer_email", without("customer_email"), "customer_email"),
        ("missing items", without("items"), "items"),
        ("missing sku", item_without("sku"), "items.0.sku"),
        ("missing quantity", item_without("quantity"), "items.0.quantity"),
        ("missing unit_price_cents", item_without("unit_price_cents"), "items.0.unit_price_cents"),
        ("empty object", {}, "customer_email"),
        ("body is a JSON array", [order_payload()], "body"),
    ]
    return [pytest.param(body, field, id=name) for name, body, field in cases]


@pytest.mark.parametrize(("body", "field"), _invalid_bodies())
def test_create_rejects_an_invalid_body_with_422(body: Any, field: str | None) -> None:
    reply = request("POST", "/orders", body)
    expect_validation_error(reply, f"POST /orders with {json.dumps(body)[:120]}", field)


def test_create_rejects_malformed_json_with_400() -> None:
    reply = request("POST", "/orders", raw=b'{"customer_email": "a@example.com", "items": [')
    expect_error(reply, 400, "malformed_json", "POST /orders with a body that is not JSON")


# Bad input in general (docs/contract.md, "Request bodies"): the media type is judged first,
# then the JSON, then its shape. PATCH /orders/{id} follows the same rules (below).

# Valid JSON that is not an object: the shape is wrong, not the JSON.
JSON_SCALARS = [
    pytest.param(b"3", id="number"),
    pytest.param(b'"an order"', id="string"),
    pytest.param(b"null", id="null"),
    pytest.param(b"true", id="boolean"),
    pytest.param(b"[]", id="empty array"),
]

# Media types that are not application/json; each request carries a body that would parse.
NOT_JSON = [
    pytest.param("text/plain", id="text/plain"),
    pytest.param("text/plain; charset=utf-8", id="text/plain with charset"),
    pytest.param("application/x-www-form-urlencoded", id="form"),
    pytest.param("application/merge-patch+json", id="a +json type"),
    pytest.param(None, id="no Content-Type"),
]


def test_create_rejects_an_empty_json_body_with_400() -> None:
    reply = request("POST", "/orders", raw=b"")
    details = expect_error(reply, 400, "malformed_json", "POST /orders, application/json, empty")
    assert details is None, f"malformed_json carries no details, got {details!r}"


@pytest.mark.parametrize("raw", JSON_SCALARS)
def test_create_rejects_json_that_is_not_an_object_with_422(raw: bytes) -> None:
    reply = request("POST", "/orders", raw=raw)
    expect_validation_error(reply, f"POST /orders with the JSON {raw.decode()}", "body")


@pytest.mark.parametrize("content_type", NOT_JSON)
def test_create_rejects_a_body_that_is_not_labelled_json_with_415(
    content_type: str | None,
) -> None:
    payload = order_payload()
    raw = json.dumps(payload).encode()
    reply = request("POST", "/orders", raw=raw, content_type=content_type)
    what = f"POST /orders with valid JSON sent as {content_type or 'no Content-Type'}"
    details = expect_error(reply, 415, "unsupported_media_type", what)
    assert details is None, f"{what}: unsupported_media_type carries no details, got {details!r}"
    newest = expect_json(request("GET", "/orders?limit=100"), 200, "GET /orders after a 415")
    emails = [order.get("customer_email") for order in newest["items"]]
    assert payload["customer_email"] not in emails, f"{what}: a refused body creates no order"


def test_create_refuses_a_non_json_content_type_without_a_body_with_415() -> None:
    reply = request("POST", "/orders", raw=b"", content_type="text/plain")
    expect_error(reply, 415, "unsupported_media_type", "POST /orders, text/plain, empty body")


def test_create_without_a_body_is_422_naming_the_body() -> None:
    reply = request("POST", "/orders", content_type=None)
    expect_validation_error(reply, "POST /orders with no body and no Content-Type", "body")


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8"],
)
def test_create_accepts_application_json_with_parameters_in_any_case(content_type: str) -> None:
    payload = order_payload()
    reply = request("POST", "/orders", raw=json.dumps(payload).encode(), content_type=content_type)
    created = expect_json(reply, 201, f"POST /orders sent as {content_type}")
    check_order(created, f"POST /orders sent as {content_type}", sent=payload)


# -------------------------------------------------------------------------------- list


def list_orders(query: str = "") -> Reply:
    return request("GET", "/orders" + (f"?{query}" if query else ""))


def check_page(body: Any, what: str, limit: int, offset: int) -> list[dict[str, Any]]:
    assert isinstance(body, dict) and {"items", "total", "limit", "offset"} <= body.keys(), (
        f'{what}: a page is {{"items", "total", "limit", "offset"}}, got {str(body)[:300]}'
    )
    assert body["limit"] == limit and body["offset"] == offset, (
        f"{what}: the page must echo limit={limit} and offset={offset}, got"
        f" limit={body['limit']!r} offset={body['offset']!r}"
    )
    items = body["items"]
    assert isinstance(items, list) and len(items) <= limit, f"{what}: at most {limit} items"
    assert is_int(body["total"]) and body["total"] >= offset + len(items), (
        f"{what}: total must count every order, got {body['total']!r}"
    )
    for order in items:
        check_order(order, what)
    moments = [parse_timestamp(order["created_at"], what) for order in items]
    assert moments == sorted(moments, reverse=True), f"{what}: orders must be newest first"
    return items


def test_list_defaults_to_limit_20_offset_0() -> None:
    create_order()
    body = expect_json(list_orders(), 200, "GET /orders")
    assert check_page(body, "GET /orders", limit=20, offset=0), "GET /orders lists the new order"


def test_list_is_newest_first_and_paginates() -> None:
    mine = []
    for _ in range(3):
        mine.append(create_order())
        time.sleep(0.05)
    newest_first = [order["id"] for order in reversed(mine)]
    body = expect_json(list_orders("limit=100"), 200, "GET /orders?limit=100")
    page = check_page(body, "GET /orders?limit=100", limit=100, offset=0)
    assert body["total"] >= 3, "total must count the three orders just created"
    listed = [order["id"] for order in page]
    assert [i for i in listed if i in newest_first] == newest_first, (
        f"GET /orders must list the newest first: created {newest_first}, listed {listed[:10]}"
    )
    body = expect_json(list_orders("limit=2&offset=1"), 200, "GET /orders?limit=2&offset=1")
    second = check_page(body, "GET /orders?limit=2&offset=1", limit=2, offset=1)
    window = [order["created_at"] for order in page[:4]]
    if len(set(window)) == len(window):  # no ties, so the order of the listing is unique
        assert [order["id"] for order in second] == listed[1:3], (
            "limit=2&offset=1 must return the 2nd and 3rd orders of the full listing"
        )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("offset=first", "offset"),
    ],
)
def test_list_rejects_bad_paging_with_422(query: str, field: str) -> None:
    expect_validation_error(list_orders(query), f"GET /orders?{query}", field)


# --------------------------------------------------------------------------------- get


@pytest.mark.parametrize(
    "order_id", [pytest.param(str(uuid.uuid4()), id="random-uuid"), "not-a-uuid", "12345"]
)
def test_get_unknown_or_malformed_id_is_404(order_id: str) -> None:
    reply = request("GET", f"/orders/{order_id}")
    expect_error(reply, 404, "not_found", f"GET /orders/{order_id} (no such order)")


# ------------------------------------------------------------------------ state machine


@pytest.mark.parametrize(
    ("source", "target"), [(s, t) for s in STATUSES for t in STATUSES], ids=lambda s: s
)
def test_status_transition(source: str, target: str) -> None:
    order_id = create_order()["id"]
    for step in REACH[source]:
        expect_json(patch_status(order_id, step), 200, f"PATCH status to {step} (allowed)")
    reply = patch_status(order_id, target)
    what = f"PATCH /orders/{{id}} from {source} to {target}"
    if (source, target) in ALLOWED:
        changed = expect_json(reply, 200, f"{what} (allowed)")
        check_order(changed, what)
        assert changed["id"] == order_id and changed["status"] == target, (
            f"{what}: the response must be the order with status {target!r}, got {changed!r}"
        )
    else:
        expect_error(reply, 409, "invalid_transition", f"{what} (forbidden)")
    expected = target if (source, target) in ALLOWED else source
    stored = expect_json(request("GET", f"/orders/{order_id}"), 200, "GET after PATCH")
    assert stored["status"] == expected, f"after {what}, the stored status must be {expected!r}"


@pytest.mark.parametrize(
    "body",
    [{"status": "refunded"}, {"status": "PAID"}, {"status": ""}, {"status": 1}, {}],
    ids=["refunded", "PAID", "empty", "number", "missing"],
)
def test_patch_rejects_an_unknown_status_with_422(order: dict[str, Any], body: Any) -> None:
    reply = request("PATCH", f"/orders/{order['id']}", body)
    expect_validation_error(reply, f"PATCH /orders/{{id}} with {body}", "status")


def test_patch_rejects_malformed_json_with_400(order: dict[str, Any]) -> None:
    reply = request("PATCH", f"/orders/{order['id']}", raw=b'{"status": ')
    expect_error(reply, 400, "malformed_json", "PATCH /orders/{id} with a body that is not JSON")


def test_patch_rejects_an_empty_json_body_with_400(order: dict[str, Any]) -> None:
    reply = request("PATCH", f"/orders/{order['id']}", raw=b"")
    expect_error(reply, 400, "malformed_json", "PATCH /orders/{id}, application/json, empty")


@pytest.mark.parametrize("raw", JSON_SCALARS)
def test_patch_rejects_json_that_is_not_an_object_with_422(
    order: dict[str, Any], raw: bytes
) -> None:
    reply = request("PATCH", f"/orders/{order['id']}", raw=raw)
    expect_validation_error(reply, f"PATCH /orders/{{id}} with the JSON {raw.decode()}", "body")


@pytest.mark.parametrize("content_type", NOT_JSON)
def test_patch_rejects_a_body_that_is_not_labelled_json_with_415(
    order: dict[str, Any], content_type: str | None
) -> None:
    path = f"/orders/{order['id']}"
    reply = request("PATCH", path, raw=b'{"status": "paid"}', content_type=content_type)
    what = f"PATCH /orders/{{id}} with valid JSON sent as {content_type or 'no Content-Type'}"
    expect_error(reply, 415, "unsupported_media_type", what)
    stored = expect_json(request("GET", path), 200, "GET the order after a refused PATCH")
    assert stored["status"] == "pending", f"{what}: a refused body changes nothing, got {stored}"


@pytest.mark.parametrize(
    "order_id", [pytest.param(str(uuid.uuid4()), id="random-uuid"), "not-a-uuid"]
)
def test_patch_unknown_id_is_404(order_id: str) -> None:
    reply = patch_status(order_id, "paid")
    expect_error(reply, 404, "not_found", f"PATCH /orders/{order_id} (no such order)")


# ------------------------------------------------------------------------------ delete


def test_delete_answers_204_then_the_order_is_gone(order: dict[str, Any]) -> None:
    path = f"/orders/{order['id']}"
    reply = request("DELETE", path)
    assert reply.status == 204, f"DELETE /orders/{{id}} must answer 204, got {shown(reply)}"
    assert reply.raw == b"", f"a 204 carries an empty body, got {reply.raw[:200]!r}"
    expect_error(request("GET", path), 404, "not_found", "GET a deleted order")
    expect_error(request("DELETE", path), 404, "not_found", "DELETE an already deleted order")
    expect_error(patch_status(order["id"], "paid"), 404, "not_found", "PATCH a deleted order")


@pytest.mark.parametrize(
    "order_id", [pytest.param(str(uuid.uuid4()), id="random-uuid"), "not-a-uuid"]
)
def test_delete_unknown_id_is_404(order_id: str) -> None:
    reply = request("DELETE", f"/orders/{order_id}")
    expect_error(reply, 404, "not_found", f"DELETE /orders/{order_id} (no such order)")


# ------------------------------------------------------------------- routes, OpenAPI


@pytest.mark.parametrize("path", ["/no-such-route", "/orders/extra/segments"])
def test_unknown_route_is_404(path: str) -> None:
    expect_error(request("GET", path), 404, "not_found", f"GET {path} (no such route)")


@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", "/orders/{id}"), ("DELETE", "/orders"), ("PATCH", "/orders"), ("POST", "/health")],
)
def test_wrong_method_is_405(order: dict[str, Any], method: str, path: str) -> None:
    reply = request(method, path.replace("{id}", order["id"]), order_payload())
    what = f"{method} {path} (the route exists, not with this method)"
    expect_error(reply, 405, "method_not_allowed", what)


def test_openapi_names_every_path() -> None:
    document = expect_json(request("GET", "/openapi.json"), 200, "GET /openapi.json")
    version = document.get("openapi") if isinstance(document, dict) else None
    assert isinstance(version, str) and version.startswith("3."), (
        f'/openapi.json must be an OpenAPI 3 document ("openapi": "3.x"), got {version!r}'
    )
    paths = document.get("paths")
    assert isinstance(paths, dict), "/openapi.json must have a paths object"
    for path, methods in [("/orders", {"get", "post"}), ("/health", {"get"}), ("/ready", {"get"})]:
        assert path in paths, f"/openapi.json must name {path}; it names {sorted(paths)}"
        assert methods <= {m.lower() for m in paths[path]}, f"{path} must document {methods}"
    item_paths = [path for path in paths if re.fullmatch(r"/orders/\{[^/{}]+\}", path)]
    assert item_paths, f"/openapi.json must name /orders/{{id}}; it names {sorted(paths)}"
    operations = {m.lower() for m in paths[item_paths[0]]}
    assert {"get", "patch", "delete"} <= operations, (
        f"{item_paths[0]} must document GET/PATCH/DELETE"
    )
