"""The job itself: confirm the order of an `order.created` message, once however often it comes.

Delivery is at least once: the worker acknowledges a message only after this returns,
so after a crash the message comes again, and orders already confirmed are skipped.
"""

import json
import logging
import uuid
from typing import Any

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from ..messaging import ORDER_CREATED, MalformedMessageError
from ..orders.models import Order
from .models import OrderConfirmation

logger = logging.getLogger(__name__)


def handle(body: bytes) -> None:
    """Confirm the order in an `order.created` message (see `messaging.event_message`)."""
    order = parse(body)
    order_id = order["id"]
    close_old_connections()  # a long-running worker must not keep a dead connection
    if OrderConfirmation.objects.filter(order_id=order_id).exists():
        logger.info("Order %s is already confirmed", order_id, extra={"order_id": order_id})
        return
    if not Order.objects.filter(pk=order_id).exists():
        logger.info("Order %s no longer exists", order_id, extra={"order_id": order_id})
        return
    send_confirmation(order)
    try:
        with transaction.atomic():
            OrderConfirmation.objects.create(
                order_id=order_id, status="sent", sent_at=timezone.now()
            )
    except IntegrityError:
        # Another worker confirmed it first, or the order was deleted meanwhile.
        logger.info("Order %s was confirmed or deleted meanwhile", order_id)


def parse(body: bytes) -> dict[str, Any]:
    """The order of a well-formed message; `MalformedMessageError` for anything else."""
    try:
        message = json.loads(body)
        order = message["order"]
        if message["event"] != ORDER_CREATED:
            raise ValueError(f"not an {ORDER_CREATED} message: {message['event']!r}")
        order["id"] = str(uuid.UUID(order["id"]))
        int(order["total_cents"])
    except (ValueError, TypeError, KeyError) as exc:
        raise MalformedMessageError(repr(exc)) from exc
    return dict(order)


def send_confirmation(order: dict[str, Any]) -> None:
    """Where an e-mail provider would be called; pass the order's id as its idempotency key."""
    logger.info(
        "Sent the confirmation of order %s",
        order["id"],
        extra={"order_id": order["id"], "total_cents": order["total_cents"]},
    )
