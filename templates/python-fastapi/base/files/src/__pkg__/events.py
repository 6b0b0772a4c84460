"""Order events, emitted after each change is committed.

Extensions (a queue publisher, a search indexer) subscribe in their `install()`; the
orders routes emit. With no subscriber nothing happens, so the base app needs nothing
for it. A failing subscriber is logged and never fails the request: the change is
already committed.
"""

import logging
from collections.abc import Callable
from typing import Any, Literal

from fastapi import FastAPI

OrderEvent = Literal["order.created", "order.updated", "order.deleted"]
Subscriber = Callable[[OrderEvent, dict[str, Any]], None]

logger = logging.getLogger(__name__)


def subscribe(app: FastAPI, subscriber: Subscriber) -> None:
    """Call `subscriber(event, order)` after every committed change to an order."""
    app.state.order_subscribers.append(subscriber)


def emit(app: FastAPI, event: OrderEvent, order: dict[str, Any]) -> None:
    """Tell every subscriber; `order` is the order as the API returns it (JSON types)."""
    for subscriber in app.state.order_subscribers:
        try:
            subscriber(event, order)
        except Exception:
            logger.exception("Subscriber %r failed on %s", subscriber, event)
