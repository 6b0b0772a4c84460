"""Order events, emitted after each change is committed.

Extensions (a queue publisher, a search indexer) subscribe in their `install()`; the
orders routes emit. With no subscriber nothing happens, so the base app needs nothing
for it. A failing subscriber is logged and never fails the request: the change is
already committed.
"""

import logging
from typing import Any

from flask import Flask

from .state import OrderEvent, Subscriber, app_state

logger = logging.getLogger(__name__)


def subscribe(app: Flask, subscriber: Subscriber) -> None:
    """Call `subscriber(event, order)` after every committed change to an order."""
    app_state(app).order_subscribers.append(subscriber)


def emit(event: OrderEvent, order: dict[str, Any]) -> None:
    """Tell the current app's subscribers; `order` is the order as the API returns it."""
    for subscriber in app_state().order_subscribers:
        try:
            subscriber(event, order)
        except Exception:
            logger.exception("Subscriber %r failed on %s", subscriber, event)
