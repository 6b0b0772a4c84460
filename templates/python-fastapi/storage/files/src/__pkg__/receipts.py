"""Order receipts: one file per order, in the blob store or, by default, on local disk.

`PUT /orders/{id}/receipt` stores the request body exactly as sent, with its Content-Type;
`GET` returns it, or with `?redirect=true` answers 307 with a short-lived signed URL, so a
large download goes from the blob store to the client without passing through the app.
Deleting an order deletes its receipt (an `order.deleted` subscriber).

The blob store serves once its settings name one; otherwise the receipts are files in a
directory, so the app runs with no server at all. Only the blob store can sign URLs; on
disk, `?redirect=true` serves the file itself.

What the routes share with every framework (settings, upload rules, which store serves)
is in `receipt_rules.py`. The blob store's client and file I/O block, so the routes are
plain `def`s that FastAPI runs in its threadpool; only reading the request body, which
is async in ASGI, runs on the event loop.
"""

# `{id}` is bound through `orders.OrderId`, which is `Path(alias="id")`.
# ruff: noqa: FAST003

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from . import errors, events
from .config import Settings
from .deps import OrdersDep
from .orders import OrderId, found
from .receipt_rules import (
    ReceiptOut,
    ReceiptSettings,
    UploadRefusedError,
    open_receipt_store,
    too_large_message,
    uploaded,
)
from .receipt_store import Receipt, ReceiptStore

router = APIRouter(prefix="/orders", tags=["receipts"])


def get_store(request: Request) -> ReceiptStore:
    store: ReceiptStore = request.app.state.receipt_store
    return store


StoreDep = Annotated[ReceiptStore, Depends(get_store)]


async def read_receipt(request: Request) -> Receipt:
    """The request body and its type, refused as soon as it grows past the limit."""
    limit: int = request.app.state.receipt_settings.receipt_max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)  # no need to read what cannot be kept
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise _too_large(limit)
    try:
        return uploaded(bytes(body), request.headers.get("content-type"))
    except UploadRefusedError as exc:
        raise RequestValidationError(
            [{"type": "value_error", "loc": exc.location, "msg": exc.message}]
        ) from exc


@router.put(
    "/{id}/receipt",
    responses={
        status.HTTP_200_OK: {"description": "Replaced the order's earlier receipt"},
        status.HTTP_201_CREATED: {"model": ReceiptOut, "description": "Stored the first receipt"},
        **errors.responses(404, 413, 422),
    },
    # The body is the file itself, read raw by `read_receipt`, so OpenAPI is told here.
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def put_receipt(
    order_id: OrderId,
    receipt: Annotated[Receipt, Depends(read_receipt)],
    orders: OrdersDep,
    store: StoreDep,
    response: Response,
) -> ReceiptOut:
    """Store the body as the order's receipt: 201 the first time, 200 when replacing."""
    key = found(orders.get(order_id), order_id).id
    if store.put(key, receipt):
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = f"{router.prefix}/{key}/receipt"
    return ReceiptOut(
        order_id=key, content_type=receipt.content_type, size_bytes=len(receipt.content)
    )


@router.get(
    "/{id}/receipt",
    response_class=Response,
    responses={
        status.HTTP_200_OK: {
            "content": {"*/*": {}},
            "description": "The receipt, with the Content-Type it was stored with",
        },
        status.HTTP_307_TEMPORARY_REDIRECT: {
            "description": "With `redirect=true` and a bucket that can sign: a signed URL"
        },
        **errors.responses(404, 422),
    },
)
def get_receipt(
    order_id: OrderId,
    orders: OrdersDep,
    store: StoreDep,
    request: Request,
    redirect: Annotated[
        bool, Query(description="Prefer a 307 to a short-lived signed URL, where possible.")
    ] = False,
) -> Response:
    key = found(orders.get(order_id), order_id).id
    if redirect and store.can_sign:
        if not store.exists(key):
            raise _no_receipt(key)
        expires = request.app.state.receipt_settings.receipt_url_expires_seconds
        return RedirectResponse(
            store.signed_url(key, expires),
            status_code=status.HTTP_307_TEMPORARY_REDIRECT,
            headers={"Cache-Control": "no-store"},  # the URL stops working; never reuse it
        )
    receipt = store.get(key)
    if receipt is None:
        raise _no_receipt(key)
    # Set as a header, not `media_type`, so Starlette adds no charset: the type goes back as sent.
    return Response(receipt.content, headers={"Content-Type": receipt.content_type})


def _no_receipt(order_id: str) -> errors.ApiError:
    return errors.ApiError(
        status.HTTP_404_NOT_FOUND, "not_found", f"The order {order_id} has no receipt."
    )


def _too_large(limit: int) -> errors.ApiError:
    return errors.ApiError(
        status.HTTP_413_CONTENT_TOO_LARGE,
        "payload_too_large",
        too_large_message(limit),
    )


def install(app: FastAPI, settings: Settings) -> None:
    """Add the receipt routes, a `storage` readiness check, and receipt cleanup on delete.

    Reads its own `ReceiptSettings`, not the app's `settings`.
    """
    receipt_settings = ReceiptSettings()
    store = open_receipt_store(receipt_settings)

    def delete_receipt(event: events.OrderEvent, order: dict[str, Any]) -> None:
        if event == "order.deleted":
            store.delete(order["id"])

    app.state.receipt_settings = receipt_settings
    app.state.receipt_store = store
    app.state.ready_checks["storage"] = partial(run_in_threadpool, store.ping)
    app.state.shutdown_hooks.append(partial(run_in_threadpool, store.close))
    events.subscribe(app, delete_receipt)
    app.include_router(router)
