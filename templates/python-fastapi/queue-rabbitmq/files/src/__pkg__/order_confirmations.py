"""`GET /orders/{id}/confirmation`, and the wiring of the confirmation job into the app.

The job itself, which no route waits for, is in `confirmations.py`.
"""

from fastapi import APIRouter, FastAPI, status
from starlette.concurrency import run_in_threadpool

from . import errors, events
from .config import Settings
from .confirmations import (
    ConfirmationOut,
    NotConfirmedError,
    find_confirmation,
    publisher,
    start_job,
)
from .deps import OrdersDep
from .orders import OrderId

router = APIRouter(prefix="/orders", tags=["orders"])


# `{id}` is bound through `OrderId`'s `Path(alias="id")`, as in orders.py.
@router.get("/{id}/confirmation", responses=errors.responses(404))  # noqa: FAST003
def get_confirmation(order_id: OrderId, orders: OrdersDep) -> ConfirmationOut:
    """The order's confirmation once the worker has sent it; 404 until then."""
    try:
        return find_confirmation(orders, order_id)
    except NotConfirmedError as exc:
        raise errors.ApiError(status.HTTP_404_NOT_FOUND, "not_found", str(exc)) from exc


def install(app: FastAPI, settings: Settings) -> None:
    """Hand every new order to the job: via RabbitMQ when AMQP_URL is set, else in-process."""
    relay = start_job(app.state.orders)

    async def check() -> None:
        if not await run_in_threadpool(relay.wait_ready, 1.0):
            raise ConnectionError("the job queue cannot take messages")

    async def close() -> None:
        await run_in_threadpool(relay.close)

    events.subscribe(app, publisher(relay))
    app.state.ready_checks["queue"] = check
    app.state.shutdown_hooks.append(close)
    app.include_router(router)
