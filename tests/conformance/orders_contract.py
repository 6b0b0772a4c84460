"""Conformance suite for the orders contract (docs/contract.md), run against a live app.

It speaks plain HTTP through the standard library only, so any generated stack, in any
language, can be checked by it. The file name does not start with `test_`, so a plain
`pytest` of the repository never collects it; run it explicitly:

    CONFORMANCE_BASE_URL=http://127.0.0.1:8123 CONFORMANCE_FEATURES=cache \\
        pytest tests/conformance/orders_contract.py -q

CONFORMANCE_FEATURES is the stack's comma-separated add-ons (only `cache` changes what is
checked). The database may already hold orders, so every check looks only at the orders it
created itself.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import time
import uuid
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest

BASE_URL = os.environ.get("CONFORMANCE_BASE_URL", "").strip().rstrip("/")
FEATURES = frozenset(
    f.strip().lower() for f in os.environ.get("CONFORMANCE_FEATURES", "").split(",") if f.strip()
)
TIMEOUT_S = 10.0
STATUSES = ("pending", "paid", "shipped", "cancelled")
ALLOWED = {
    ("pending", "paid"),
    ("paid", "shipped"),
    ("pending", "cancelled"),
    ("paid", "cancelled"),
}
REACH = {  # the PATCH steps that take a new (pending) order to each status
    "pending": [],
    "paid": ["paid"],
    "shipped": ["paid", "shipped"],
    "cancelled": ["cancelled"],
}
ORDER_KEYS = {"id", "customer_email", "items", "total_cents", "status", "created_at"}
ITEM_KEYS = ("sku", "quantity", "unit_price_cents")

if not BASE_URL:
    pytest.fail(
        "set CONFORMANCE_BASE_URL to a running app, e.g. CONFORMANCE_BASE_URL=http://127.0.0.1:8123",
        pytrace=False,
    )


# ---------------------------------------------------------------------------- helpers


class Reply(NamedTuple):
    status: int
    headers: dict[str, str]  # names lower-cased
    json: Any  # the parsed body, or None when it is empty or not JSON
    raw: bytes


def request(method: str, path: str, body: Any = None, *, raw: bytes | None = None) -> Reply:
    """Send one request; `body` goes out as JSON, `raw` as given (to send malformed JSON)."""
    url = urlsplit(BASE_URL + path)
    connection_type = (
        http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_type(url.netloc, timeout=TIMEOUT_S)
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    headers = {"Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    target = url.path + (f"?{url.query}" if url.query else "")
    try:
        connection.request(method, target, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read()
    except OSError as exc:
        raise AssertionError(
            f"could not reach the app at {BASE_URL} ({method} {path}): {exc}"
        ) from exc
    finally:
        connection.close()
    try:
        parsed = json.loads(payload) if payload else None
    except ValueError:
        parsed = None
    return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, parsed, payload)


def shown(reply: Reply) -> str:
    return f"{reply.status} {reply.raw[:400].decode(errors='replace')!r}"


def expect_json(reply: Reply, status: int, what: str) -> Any:
    """The status must match and, as for every JSON response, so must the Content-Type."""
    assert reply.status == status, f"{what}: the contract requires {status}, got {shown(reply)}"
    media_type = reply.headers.get("content-type", "").split(";")[0].strip().lower()
    assert media_type == "application/json", (
        f"{what}: every JSON response must carry Content-Type: application/json,"
        f" got {reply.headers.get('content-type')!r}"
    )
    assert reply.json is not None, f"{what}: the body must be JSON, got {shown(reply)}"
    return reply.json


def expect_error(reply: Reply, status: int, code: str, what: str) -> list[Any] | None:
    """Every error body is {"error": {"code", "message", "details": null | list}}."""
    body = expect_json(reply, status, what)
    envelope = body.get("error") if isinstance(body, dict) else None
    assert isinstance(envelope, dict) and {"code", "message", "details"} <= envelope.keys(), (
        f'{what}: errors must use the envelope {{"error": {{"code", "message", "details"}}}},'
        f" got {body!r}"
    )
    assert envelope["code"] == code, f"{what}: error code must be {code!r}, got {envelope!r}"
    message = envelope["message"]
    assert isinstance(message, str) and message.strip(), f"{what}: message must be a sentence"
    details = envelope["details"]
    assert details is None or isinstance(details, list), f"{what}: details must be null or a list"
    return details


def expect_validation_error(reply: Reply, what: str, field: str | None = None) -> None:
    """422 validation_error whose details list {"field", "message"} entries, naming `field`."""
    details = expect_error(reply, 422, "validation_error", what)
    assert details, f"{what}: validation_error details must be a non-empty list, got {details!r}"
    for detail in details:
        assert (
            isinstance(detail, dict)
            and isinstance(detail.get("field"), str)
            and isinstance(detail.get("message"), str)
        ), (
            f'{what}: each detail must be {{"field": "items.0.quantity", "message": "..."}},'
            f" got {detail!r}"
        )
    fields = [detail["field"] for detail in details]
    assert field is None or field in fields, (
        f"{what}: details must name the field {field!r} (dotted path like items.0.quantity),"
        f" got fields {fields}"
    )


def parse_timestamp(value: Any, what: str) -> datetime:
    """created_at is ISO 8601 with a UTC offset."""
    assert isinstance(value, str), f"{what}: created_at must be an ISO 8601 string, got {value!r}"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise AssertionError(f"{what}: created_at must be ISO 8601, got {value!r}") from None
    assert moment.utcoffset() is not None, f"{what}: created_at needs an offset, got {value!r}"
    return moment


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_order(order: Any, what: str, sent: dict[str, Any] | None = None) -> None:
    """An order has exactly the contract's shape; when `sent` is given it echoes that input."""
    assert isinstance(order, dict), f"{what}: an order must be a JSON object, got {order!r}"
    assert order.keys() >= ORDER_KEYS, f"{what}: an order needs {sorted(ORDER_KEYS)}, got {order!r}"
    assert isinstance(order["id"], str), f"{what}: id must be a UUID string, got {order['id']!r}"
    try:
        uuid.UUID(order["id"])
    except ValueError:
        raise AssertionError(f"{what}: id must be a UUID string, got {order['id']!r}") from None
    assert isinstance(order["customer_email"], str), f"{what}: customer_email must be a string"
    items = order["items"]
    assert isinstance(items, list) and items, f"{what}: items must be a non-empty list"
    for item in items:
        assert isinstance(item, dict) and set(ITEM_KEYS) <= item.keys(), (
            f"{what}: each item needs {list(ITEM_KEYS)}, got {item!r}"
        )
        assert isinstance(item["sku"], str), f"{what}: sku must be a string, got {item!r}"
        assert is_int(item["quantity"]) and is_int(item["unit_price_cents"]), (
            f"{what}: quantity and unit_price_cents must be integers, got {item!r}"
        )
    total = sum(item["quantity"] * item["unit_price_cents"] for item in items)
    assert is_int(order["total_cents"]) and order["total_cents"] == total, (
        f"{what}: total_cents must be the integer sum of quantity * unit_price_cents ({total}),"
        f" got {order['total_cents']!r}"
    )
    assert order["status"] in STATUSES, f"{what}: status must be one of {STATUSES}"
    parse_timestamp(order["created_at"], what)
    if sent is not None:
        assert order["customer_email"] == sent["customer_email"], f"{what}: customer_email echoed"
        echoed = [{key: item[key] for key in ITEM_KEYS} for item in items]
        expected = [{key: item[key] for key in ITEM_KEYS} for item in sent["items"]]
        assert echoed == expected, f"{what}: items must come back as sent, in order"


def item(sku: Any = "SKU-1", quantity: Any = 2, unit_price_cents: Any = 1250) -> dict[str, Any]:
    """One order line; arguments are Any so invalid values can be built too."""
    return {"sku": sku, "quantity": quantity, "unit_price_cents": unit_price_cents}


def order_payload(**overrides: Any) -> dict[str, Any]:
    """A valid, unique POST /orders body (an address of its own per order)."""
    email = f"conformance-{uuid.uuid4().hex[:12]}@example.com"
    payload = {"customer_email": email, "items": [item(), item("SKU-2", 1, 99)]}
    payload.update(overrides)
    return payload


def create_order(**overrides: Any) -> dict[str, Any]:
    payload = order_payload(**overrides)
    reply = request("POST", "/orders", payload)
    order: dict[str, Any] = expect_json(reply, 201, "POST /orders with a valid body")
    check_order(order, "POST /orders", sent=payload)
    return order


def patch_status(order_id: str, status: Any) -> Reply:
    return request("PATCH", f"/orders/{order_id}", {"status": status})


def x_cache(reply: Reply) -> str | None:
    value = reply.headers.get("x-cache")
    return value.strip() if value is not None else None


@pytest.fixture(scope="session", autouse=True)
def app_answers() -> None:
    """Fail every test with one clear reason when nothing listens at the base URL."""
    request("GET", "/health")


@pytest.fixture
def order() -> dict[str, Any]:
    return create_order()


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
    assert checks.get("database") == "ok", f'checks must include "database": "ok", got {checks}'
    if "cache" in FEATURES:
        assert checks.get("cache") == "ok", (
            f'with the cache add-on, checks needs "cache": "ok": {checks}'
        )
    else:
        assert "cache" not in checks, f"without the cache add-on, checks has no cache key: {checks}"


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
        ("body is a JSON array", [order_payload()], None),
    ]
    return [pytest.param(body, field, id=name) for name, body, field in cases]


@pytest.mark.parametrize(("body", "field"), _invalid_bodies())
def test_create_rejects_an_invalid_body_with_422(body: Any, field: str | None) -> None:
    reply = request("POST", "/orders", body)
    expect_validation_error(reply, f"POST /orders with {json.dumps(body)[:120]}", field)


def test_create_rejects_malformed_json_with_400() -> None:
    reply = request("POST", "/orders", raw=b'{"customer_email": "a@example.com", "items": [')
    expect_error(reply, 400, "malformed_json", "POST /orders with a body that is not JSON")


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


# ---------------------------------------------------------------------- cache add-on

needs_cache = pytest.mark.skipif("cache" not in FEATURES, reason="CONFORMANCE_FEATURES lacks cache")


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


@needs_cache
def test_cache_miss_then_hit(order: dict[str, Any]) -> None:
    read_twice(order["id"], "a new order")


@needs_cache
def test_cache_patch_invalidates(order: dict[str, Any]) -> None:
    read_twice(order["id"], "before PATCH")
    expect_json(patch_status(order["id"], "paid"), 200, "PATCH to paid")
    after = read_twice(order["id"], "after PATCH")
    assert after["status"] == "paid", "after PATCH the cache must not serve the old status"


@needs_cache
def test_cache_delete_invalidates(order: dict[str, Any]) -> None:
    read_twice(order["id"], "before DELETE")
    assert request("DELETE", f"/orders/{order['id']}").status == 204, "DELETE must answer 204"
    reply = request("GET", f"/orders/{order['id']}")
    expect_error(reply, 404, "not_found", "GET after DELETE (the cache must not serve it)")
