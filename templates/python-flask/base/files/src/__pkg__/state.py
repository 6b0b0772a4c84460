"""What one app holds for its routes and extensions, kept in `app.extensions`.

Routes reach it through `app_state()` (the current app's), extensions through
`app_state(app)` in their `install()`.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from flask import Flask, current_app
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode

from .store import OrderStore

OrderEvent = Literal["order.created", "order.updated", "order.deleted"]
Subscriber = Callable[[OrderEvent, dict[str, Any]], None]
# A readiness check raises when its dependency cannot serve requests (see health.py).
ReadyCheck = Callable[[], object]

_KEY = __package__

logger = logging.getLogger(__name__)


@dataclass
class AppState:
    orders: OrderStore
    # Keyed by the name `/ready` reports.
    ready_checks: dict[str, ReadyCheck] = field(default_factory=dict)
    # Called in reverse order at shutdown, to release what extensions opened.
    shutdown_hooks: list[Callable[[], None]] = field(default_factory=list)
    # Told about every committed order change (see events.py).
    order_subscribers: list[Subscriber] = field(default_factory=list)
    # OpenAPI path items of the routes extensions add (see openapi.py).
    openapi_paths: dict[str, dict[str, Any]] = field(default_factory=dict)
    openapi_models: list[tuple[type[BaseModel], JsonSchemaMode]] = field(default_factory=list)

    closed: bool = False

    def close(self) -> None:
        """Release what the app and its extensions opened; later calls do nothing."""
        if self.closed:
            return
        self.closed = True
        for close in reversed(self.shutdown_hooks):
            close()
        self.orders.close()
        logger.info("Closed the app's connections")


def attach(app: Flask, state: AppState) -> None:
    app.extensions[_KEY] = state


def app_state(app: Flask | None = None) -> AppState:
    """The state of `app`, or of the app handling the current request."""
    state: AppState = (app or current_app).extensions[_KEY]
    return state
