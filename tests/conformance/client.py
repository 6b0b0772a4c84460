"""HTTP helpers and expectations shared by the contract files of the conformance suite.

Standard library only, so the suite can be pointed at a server in any language.
"""

from __future__ import annotations

import http.client
import json
import os
import uuid
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit

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
# Add-ons backed by a server: each adds its own key to GET /ready's checks.
SERVICE_FEATURES = frozenset({"cache", "search", "queue", "storage"})

# ---------------------------------------------------------------------------- helpers


class Reply(NamedTuple):
    status: int
    headers: dict[str, str]  # names lower-cased
    json: Any  # the parsed body, or None when it is empty or not JSON
    raw: bytes


JSON_TYPE = "application/json"


def request(
    method: str,
    path: str,
    body: Any = None,
    *,
    raw: bytes | None = None,
    content_type: str | None = JSON_TYPE,
) -> Reply:
    """Send one request; `body` goes out as JSON, `raw` as given (to send malformed JSON).

    A body is labelled `content_type` (none when None); a request without one has no label.
    """
    url = urlsplit(BASE_URL + path)
    connection_type = (
        http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_type(url.netloc, timeout=TIMEOUT_S)
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    headers = {"Accept": "application/json"}
    if data is not None and content_type is not None:
        headers["Content-Type"] = content_type
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
