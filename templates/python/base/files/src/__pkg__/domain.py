"""The order's life cycle, the same whichever database keeps the orders."""

from datetime import UTC, datetime
from enum import StrEnum


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


# The order state machine: the statuses each status may change to.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}


class InvalidTransitionError(Exception):
    """The order's current status does not lead to the one asked for."""

    def __init__(self, current: OrderStatus, wanted: OrderStatus) -> None:
        super().__init__(f"An order cannot change from {current} to {wanted}.")
        self.current = current
        self.wanted = wanted


def check_transition(current: OrderStatus, wanted: OrderStatus) -> None:
    """Raise `InvalidTransitionError` unless `current` may change to `wanted`."""
    if wanted not in TRANSITIONS[current]:
        raise InvalidTransitionError(current, wanted)


def utcnow() -> datetime:
    return datetime.now(UTC)
