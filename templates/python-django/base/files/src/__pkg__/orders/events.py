"""Order events, sent once each change is committed.

Extensions (a queue publisher, a search indexer) connect a receiver to `order_changed`
in their AppConfig.ready(); the orders views call `emit_on_commit()` in the transaction
of the change. With no receiver nothing happens. A failing receiver is logged (Django's
`send_robust` does it) and never fails the request: the change is already committed.
"""

from functools import partial
from typing import Any, Literal

from django.db import transaction
from django.dispatch import Signal

from .models import Order

OrderEvent = Literal["order.created", "order.updated", "order.deleted"]

# Receivers are called as receiver(sender=Order, event=..., order=...), where `order` is the
# order as the API returns it (JSON types).
order_changed = Signal()


def emit_on_commit(event: OrderEvent, order: dict[str, Any]) -> None:
    """Tell every receiver about `order` once the current transaction commits (at once
    when there is none); nothing is sent if it rolls back."""
    transaction.on_commit(
        partial(order_changed.send_robust, sender=Order, event=event, order=order)
    )
