"""Hands each new order to the job, never on the request path (`messaging.Relay`).

With AMQP_URL the relay publishes `order.created` to RabbitMQ for the worker
(`manage.py worker`); without it, its thread runs the job itself. The relay starts on
first use, so management commands that never publish start no thread, and it delivers
what it holds (for up to 10 s) when the process exits.
"""

import atexit
import threading
from typing import Any

from django.conf import settings
from django.db import connection

from ..messaging import ORDER_CREATED, LocalSink, RabbitPublisher, Relay, Sink, event_message
from . import job

# One relay per broker URL ("": none), so that a change of settings (in tests) gets its own.
_relays: dict[str, Relay] = {}
_lock = threading.Lock()


def current() -> Relay:
    """The relay for settings.AMQP_URL, started on first use."""
    url = settings.AMQP_URL
    with _lock:
        relay = _relays.get(url)
        if relay is None:
            sink: Sink = RabbitPublisher(url) if url else LocalSink({ORDER_CREATED: run_job})
            relay = _relays[url] = Relay(sink)
            relay.start()
            atexit.register(relay.close)
        return relay


def run_job(body: bytes) -> None:
    """The job in the relay's thread, which then gives its database connection back."""
    try:
        job.handle(body)
    finally:
        connection.close()


def publish(*, event: str, order: dict[str, Any], **_kwargs: Any) -> None:
    """Receiver of `order_changed`: runs once the order is committed."""
    if event == ORDER_CREATED:
        current().submit(event_message(event, dict(order)))


def check() -> None:
    """Readiness: the relay runs and can deliver (connected to RabbitMQ, when it is used)."""
    if not current().wait_ready(1.0):
        raise ConnectionError("the job queue cannot take messages")
