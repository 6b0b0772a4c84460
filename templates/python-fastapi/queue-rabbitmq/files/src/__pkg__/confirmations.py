"""The order-confirmation job: each new order's confirmation is sent off the request path.

Creating an order publishes `order.created`; the worker (`worker.py`) consumes it, sends
the confirmation and records it, and `GET /orders/{id}/confirmation` shows the record.
Without AMQP_URL the app runs the same job itself, in a background thread.
"""

import logging
import uuid
from datetime import datetime
from functools import partial
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, status
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker
from starlette.concurrency import run_in_threadpool

from . import errors, events
from .config import Settings
from .db import SessionDep
from .messaging import (
    ORDER_CREATED,
    LocalSink,
    MalformedMessageError,
    QueueSettings,
    RabbitPublisher,
    Relay,
    Sink,
    event_message,
)
from .models import Base, Order, UTCDateTime, utcnow
from .orders import OrderId
from .schemas import OrderOut

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/orders", tags=["orders"])


class OrderConfirmation(Base):
    """One row per confirmed order; its key makes the job idempotent."""

    __tablename__ = "order_confirmations"

    order_id: Mapped[str] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OrderCreated(BaseModel):
    """The message the job consumes (see `messaging.event_message`)."""

    event: Literal["order.created"]
    order: OrderOut


class ConfirmationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    order_id: str
    status: Literal["sent"]
    sent_at: datetime


def handle(sessions: sessionmaker[Session], body: bytes) -> None:
    """Confirm the order in an `order.created` message, once however often it comes."""
    try:
        order = OrderCreated.model_validate_json(body).order
    except ValidationError as exc:
        raise MalformedMessageError(str(exc)) from exc
    with sessions() as session:
        if session.get(OrderConfirmation, order.id) is not None:
            logger.info("Order %s is already confirmed", order.id, extra={"order_id": order.id})
            return
        if not _order_exists(session, order.id):
            logger.info("Order %s no longer exists", order.id, extra={"order_id": order.id})
            return
        send_confirmation(order)
        session.add(OrderConfirmation(order_id=order.id, status="sent", sent_at=utcnow()))
        try:
            session.commit()
        except IntegrityError:
            # Another worker confirmed it first, or the order was deleted meanwhile.
            session.rollback()
            logger.info("Order %s was confirmed or deleted meanwhile", order.id)


def send_confirmation(order: OrderOut) -> None:
    """Where an e-mail provider would be called; pass `order.id` as its idempotency key."""
    logger.info(
        "Sent the confirmation of order %s",
        order.id,
        extra={"order_id": order.id, "total_cents": order.total_cents},
    )


# `{id}` is bound through `OrderId`'s `Path(alias="id")`, as in orders.py.
@router.get("/{id}/confirmation", responses=errors.responses(404))  # noqa: FAST003
def get_confirmation(order_id: OrderId, session: SessionDep) -> ConfirmationOut:
    """The order's confirmation once the worker has sent it; 404 until then."""
    try:
        key = str(uuid.UUID(order_id))
    except ValueError:
        key = None
    confirmation = session.get(OrderConfirmation, key) if key else None
    if confirmation is not None:
        return ConfirmationOut.model_validate(confirmation)
    if key is None or not _order_exists(session, key):
        message = f"No order has the id {order_id!r}."
    else:
        message = f"Order {key} has not been confirmed yet."
    raise errors.ApiError(status.HTTP_404_NOT_FOUND, "not_found", message)


def _order_exists(session: Session, order_id: str) -> bool:
    return session.scalar(select(Order.id).where(Order.id == order_id)) is not None


def install(app: FastAPI, settings: Settings) -> None:
    """Hand every new order to the job: via RabbitMQ when AMQP_URL is set, else in-process."""
    amqp_url = QueueSettings().amqp_url
    job = partial(handle, app.state.sessions)
    sink: Sink = RabbitPublisher(amqp_url) if amqp_url else LocalSink({ORDER_CREATED: job})
    relay = Relay(sink)
    relay.start()

    def publish(event: str, order: dict[str, Any]) -> None:
        if event == ORDER_CREATED:
            relay.submit(event_message(event, order))

    async def check() -> None:
        if not await run_in_threadpool(relay.wait_ready, 1.0):
            raise ConnectionError("the job queue cannot take messages")

    async def close() -> None:
        await run_in_threadpool(relay.close)

    events.subscribe(app, publish)
    app.state.ready_checks["queue"] = check
    app.state.shutdown_hooks.append(close)
    app.include_router(router)
