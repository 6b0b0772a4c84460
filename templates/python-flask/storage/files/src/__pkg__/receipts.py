"""Order receipts: one file per order, in the blob store or, by default, on local disk.

`PUT /orders/{id}/receipt` stores the request body exactly as sent, with its Content-Type;
`GET` returns it, or with `?redirect=true` answers 307 with a short-lived signed URL, so a
large download goes from the blob store to the client without passing through the app.
Deleting an order deletes its receipt (an `order.deleted` subscriber).

What the routes share with every framework (settings, upload rules, which store serves)
is in `receipt_rules.py`. Only the blob store can sign URLs; on disk, `?redirect=true`
serves the file itself. An upload is read up to RECEIPT_MAX_BYTES, through Flask's
per-request `max_content_length`, and refused with 413 past it; the rest of a refused
upload is read and dropped, so the client gets to read the 413.
"""

from typing import Any

from flask import Blueprint, Flask, Response, current_app, request, url_for
from flask.typing import ResponseReturnValue
from pydantic import BaseModel
from werkzeug.exceptions import RequestEntityTooLarge

from . import errors, events, openapi
from .config import Settings
from .orders import found
from .receipt_rules import (
    ReceiptOut,
    ReceiptSettings,
    UploadRefusedError,
    open_receipt_store,
    too_large_message,
    uploaded,
)
from .receipt_store import Receipt, ReceiptStore
from .state import app_state

bp = Blueprint("receipts", __name__, url_prefix="/orders")

# A refused upload is still read, and dropped, up to this size (see `_drain`).
DRAIN_MAX_BYTES = 64 * 1024 * 1024

_STORE = f"{__package__}.receipt_store"
_SETTINGS = f"{__package__}.receipt_settings"


class ReceiptQuery(BaseModel):
    """`GET /orders/{id}/receipt?redirect=`: prefer a 307 to a signed URL, where possible."""

    redirect: bool = False


PATHS: openapi.PathItems = {
    "/orders/{order_id}/receipt": {
        "parameters": [openapi.ORDER_ID],
        "put": {
            "tags": ["receipts"],
            "summary": "Store the body as the order's receipt",
            "operationId": "put_receipt",
            # The body is the file itself, stored with the Content-Type it was sent with.
            "requestBody": {
                "required": True,
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            },
            "responses": {
                "200": openapi.json_content(ReceiptOut, "Replaced the order's earlier receipt."),
                "201": openapi.json_content(ReceiptOut, "Stored the first receipt."),
                **openapi.error_responses(404, 413, 422),
            },
        },
        "get": {
            "tags": ["receipts"],
            "summary": "Read the order's receipt",
            "operationId": "get_receipt",
            "parameters": [
                {
                    "name": "redirect",
                    "in": "query",
                    "required": False,
                    "description": "Prefer a 307 to a short-lived signed URL, where possible.",
                    "schema": {"type": "boolean", "default": False},
                }
            ],
            "responses": {
                "200": {
                    "description": "The receipt, with the Content-Type it was stored with.",
                    "content": {"*/*": {}},
                },
                "307": {
                    "description": "With `redirect=true` and a store that can sign: a signed URL."
                },
                **openapi.error_responses(404, 422),
            },
        },
    },
}


def receipt_store(app: Flask | None = None) -> ReceiptStore:
    """The store that holds `app`'s receipts, or the current app's."""
    store: ReceiptStore = (app or current_app).extensions[_STORE]
    return store


def _settings() -> ReceiptSettings:
    settings: ReceiptSettings = current_app.extensions[_SETTINGS]
    return settings


def read_receipt() -> Receipt:
    """The request body and its type, refused as soon as it grows past the limit."""
    limit = _settings().receipt_max_bytes
    # werkzeug refuses a declared Content-Length past it before reading, and stops
    # reading a chunked body there.
    request.max_content_length = limit
    try:
        content = request.get_data(cache=False)
    except RequestEntityTooLarge as exc:
        _drain()
        raise errors.ApiError(413, "payload_too_large", too_large_message(limit)) from exc
    try:
        return uploaded(content, request.headers.get("Content-Type"))
    except UploadRefusedError as exc:
        detail = errors.ErrorDetail(field=exc.location[-1], message=exc.message)
        raise errors.RequestValidationError([detail]) from exc


def _drain() -> None:
    """Read and drop what is left of a refused upload, up to `DRAIN_MAX_BYTES`.

    gunicorn closes the connection once it has answered; bytes left unread would have it
    reset, and a client still sending would see that rather than the 413.
    """
    declared = request.content_length
    if declared is not None and declared > DRAIN_MAX_BYTES:
        return
    raw = request.environ["wsgi.input"]
    left = DRAIN_MAX_BYTES if declared is None else declared
    while left > 0:
        chunk = raw.read(min(left, 64 * 1024))
        if not chunk:
            break
        left -= len(chunk)


@bp.put("/<order_id>/receipt")
def put_receipt(order_id: str) -> ResponseReturnValue:
    """Store the body as the order's receipt: 201 the first time, 200 when replacing."""
    receipt = read_receipt()
    key = found(app_state().orders.get(order_id), order_id).id
    body = ReceiptOut(
        order_id=key, content_type=receipt.content_type, size_bytes=len(receipt.content)
    ).model_dump()
    if receipt_store().put(key, receipt):
        return body, 201, {"Location": url_for(".put_receipt", order_id=key)}
    return body


@bp.get("/<order_id>/receipt")
def get_receipt(order_id: str) -> ResponseReturnValue:
    query = errors.query(ReceiptQuery)
    key = found(app_state().orders.get(order_id), order_id).id
    store = receipt_store()
    if query.redirect and store.can_sign:
        if not store.exists(key):
            raise _no_receipt(key)
        expires = _settings().receipt_url_expires_seconds
        # No body and no-store: the URL stops working, so it must never be reused.
        headers = {"Location": store.signed_url(key, expires), "Cache-Control": "no-store"}
        return Response(status=307, headers=headers)
    receipt = store.get(key)
    if receipt is None:
        raise _no_receipt(key)
    # `content_type`, not `mimetype`, so werkzeug adds no charset: the type goes back as sent.
    return Response(receipt.content, content_type=receipt.content_type)


def _no_receipt(order_id: str) -> errors.ApiError:
    return errors.ApiError(404, "not_found", f"The order {order_id} has no receipt.")


def install(app: Flask, settings: Settings) -> None:
    """Add the receipt routes, a `storage` readiness check, and receipt cleanup on delete.

    Reads its own `ReceiptSettings`, not the app's `settings`.
    """
    receipt_settings = ReceiptSettings()
    store = open_receipt_store(receipt_settings)

    def delete_receipt(event: str, order: dict[str, Any]) -> None:
        if event == "order.deleted":
            store.delete(order["id"])

    app.extensions[_SETTINGS] = receipt_settings
    app.extensions[_STORE] = store
    state = app_state(app)
    state.ready_checks["storage"] = store.ping
    state.shutdown_hooks.append(store.close)
    events.subscribe(app, delete_receipt)
    openapi.add_paths(app, PATHS, [(ReceiptOut, "serialization")])
    app.register_blueprint(bp)
