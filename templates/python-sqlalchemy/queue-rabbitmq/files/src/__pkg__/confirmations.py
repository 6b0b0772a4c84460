"""The order-confirmation job: each new order's confirmation is sent off the request path.

Creating an order publishes `order.created`; the worker (`worker.py`) consumes it, sends
the confirmation and records it, and `GET /orders/{id}/confirmation` (the framework's
`order_confirmations.py`) shows the record. Without AMQP_URL the app runs the same job
itself, in a background thread. Nothing here knows the web framework.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .config import EnvSettings
from .domain import utcnow
from .messaging import (
    ORDER_CREATED,
    LocalSink,
    MalformedMessageError,
    RabbitPublisher,
    Relay,
    Sink,
    event_message,
)
from .models import Base, UTCDateTime
from .schemas import OrderOut
from .store import OrderStore, part_for

logger = logging.getLogger(__name__)


class QueueSettings(EnvSettings):
    amqp_url: str | None = None


class OrderConfirmation(Base):
    """One row per confirmed order on SQL (migration 0002); its key makes the job idempotent.

    Declared here, with the job, so that the migrations and the app always know the table.
    """

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


class ConfirmationLog(Protocol):
    """Where sent confirmations are recorded: `confirmations_<kind>.py`, by database."""

    def find(self, order_id: str) -> ConfirmationOut | None: ...

    def record(self, confirmation: ConfirmationOut) -> bool:
        """False when the order was confirmed meanwhile, or is gone."""
        ...


def confirmation_log(store: OrderStore) -> ConfirmationLog:
    log: ConfirmationLog = part_for(store, "confirmations").ConfirmationLog(store)
    return log


def handle(store: OrderStore, body: bytes) -> None:
    """Confirm the order in an `order.created` message, once however often it comes."""
    try:
        order = OrderCreated.model_validate_json(body).order
    except ValidationError as exc:
        raise MalformedMessageError(str(exc)) from exc
    log = confirmation_log(store)
    if log.find(order.id) is not None:
        logger.info("Order %s is already confirmed", order.id, extra={"order_id": order.id})
        return
    if store.get(order.id) is None:
        logger.info("Order %s no longer exists", order.id, extra={"order_id": order.id})
        return
    send_confirmation(order)
    if not log.record(ConfirmationOut(order_id=order.id, status="sent", sent_at=utcnow())):
        # Another worker confirmed it first, or the order was deleted meanwhile.
        logger.info("Order %s was confirmed or deleted meanwhile", order.id)


def send_confirmation(order: OrderOut) -> None:
    """Where an e-mail provider would be called; pass `order.id` as its idempotency key."""
    logger.info(
        "Sent the confirmation of order %s",
        order.id,
        extra={"order_id": order.id, "total_cents": order.total_cents},
    )


class NotConfirmedError(LookupError):
    """No confirmation to show: the order does not exist, or it has not been sent yet."""


def find_confirmation(store: OrderStore, order_id: str) -> ConfirmationOut:
    """The order's confirmation once the job has sent it; `NotConfirmedError` until then."""
    order = store.get(order_id)
    if order is None:
        raise NotConfirmedError(f"No order has the id {order_id!r}.")
    confirmation = confirmation_log(store).find(order.id)
    if confirmation is None:
        raise NotConfirmedError(f"Order {order.id} has not been confirmed yet.")
    return confirmation


def start_job(store: OrderStore) -> Relay:
    """Hand new orders to the job: via RabbitMQ when AMQP_URL is set, else in-process.

    The framework's `order_confirmations.install()` subscribes `publisher(relay)` to the
    order events, checks `relay.wait_ready()` in `/ready` and calls `relay.close()` at
    shutdown.
    """
    amqp_url = QueueSettings().amqp_url
    job = partial(handle, store)
    sink: Sink = RabbitPublisher(amqp_url) if amqp_url else LocalSink({ORDER_CREATED: job})
    relay = Relay(sink)
    relay.start()
    return relay


def publisher(relay: Relay) -> Callable[[str, dict[str, Any]], None]:
    """An order-event subscriber that queues each `order.created` for the job."""

    def publish(event: str, order: dict[str, Any]) -> None:
        if event == ORDER_CREATED:
            relay.submit(event_message(event, order))

    return publish
