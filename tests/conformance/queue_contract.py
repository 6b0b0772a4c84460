"""Conformance of the queue add-on: a new order is confirmed by a separate worker process.

Creating an order publishes `order.created`; the worker consumes it and records the
confirmation, which `GET /orders/{id}/confirmation` shows (404 until then). Run only
against an app generated with a queue and with its worker running (the harness starts
`make worker` beside `make run` when CONFORMANCE_FEATURES names `queue`).
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

from tests.conformance.client import (
    Reply,
    create_order,
    expect_error,
    expect_json,
    parse_timestamp,
    request,
    shown,
)

WAIT_S = 15.0  # the worker is a separate process that may still be connecting
CONFIRMATION_KEYS = {"order_id", "status", "sent_at"}


def confirmation_path(order_id: str) -> str:
    return f"/orders/{order_id}/confirmation"


def wait_for_confirmation(order_id: str) -> Reply:
    """Poll until the confirmation exists; until then every answer must be a proper 404."""
    deadline = time.monotonic() + WAIT_S
    while True:
        reply = request("GET", confirmation_path(order_id))
        if reply.status != 404:
            return reply
        expect_error(reply, 404, "not_found", "GET /orders/{id}/confirmation before the worker ran")
        assert time.monotonic() < deadline, (
            f"no confirmation of order {order_id} within {WAIT_S:.0f} s: is the worker running"
            f" and consuming order.created? Last answer: {shown(reply)}"
        )
        time.sleep(0.1)


def check_confirmation(body: Any, order: dict[str, Any]) -> None:
    what = "GET /orders/{id}/confirmation"
    assert isinstance(body, dict) and body.keys() >= CONFIRMATION_KEYS, (
        f"{what}: the body needs {sorted(CONFIRMATION_KEYS)}, got {body!r}"
    )
    assert body["order_id"] == order["id"], f"{what}: order_id must be the order's id: {body}"
    assert body["status"] == "sent", f'{what}: status must be "sent", got {body["status"]!r}'
    sent_at = parse_timestamp(body["sent_at"], f"{what} sent_at")
    created_at = parse_timestamp(order["created_at"], "POST /orders created_at")
    # One second of slack for clocks of different machines (app and worker).
    assert sent_at >= created_at - timedelta(seconds=1), (
        f"{what}: sent_at ({body['sent_at']}) must not be before created_at ({order['created_at']})"
    )


def test_queue_a_new_order_is_confirmed_by_the_worker(order: dict[str, Any]) -> None:
    reply = wait_for_confirmation(order["id"])
    body = expect_json(reply, 200, "GET /orders/{id}/confirmation once the worker ran")
    check_confirmation(body, order)
    again = expect_json(request("GET", confirmation_path(order["id"])), 200, "GET it again")
    assert again == body, "a confirmation, once recorded, does not change"


def test_queue_every_new_order_is_confirmed() -> None:
    orders = [create_order() for _ in range(5)]
    for order in orders:
        reply = wait_for_confirmation(order["id"])
        check_confirmation(expect_json(reply, 200, "GET /orders/{id}/confirmation"), order)


def test_queue_unknown_order_has_no_confirmation() -> None:
    for order_id in (str(uuid.uuid4()), "not-a-uuid"):
        reply = request("GET", confirmation_path(order_id))
        expect_error(reply, 404, "not_found", f"GET /orders/{order_id}/confirmation (unknown)")


def test_queue_a_deleted_order_has_no_confirmation(order: dict[str, Any]) -> None:
    expect_json(wait_for_confirmation(order["id"]), 200, "GET the confirmation before DELETE")
    assert request("DELETE", f"/orders/{order['id']}").status == 204, "DELETE must answer 204"
    reply = request("GET", confirmation_path(order["id"]))
    expect_error(reply, 404, "not_found", "GET /orders/{id}/confirmation after DELETE")
