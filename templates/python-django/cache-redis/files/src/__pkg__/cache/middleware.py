"""Cache-aside for `GET /orders/{id}`, on Django's default cache.

The middleware answers from the cache when it can (`X-Cache: HIT`) and stores the 200
answers it had to compute (`X-Cache: MISS`); `drop_changed_order`, a receiver of the
orders' `order_changed` signal, drops an order's entry once a change to it is committed.
A read racing a write can still put the old order back; the TTL bounds how long it stays.
"""

import logging
import re
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from redis.exceptions import RedisError

T = TypeVar("T")

ORDER_PATH = re.compile(r"/orders/(?P<id>[^/]+)")

logger = logging.getLogger(__name__)


def order_key(order_id: str) -> str | None:
    """The entry of an order; ids are normalised as the API does (None: never an order)."""
    try:
        return f"order:{uuid.UUID(order_id)}"
    except ValueError:
        return None


class OrderCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = ORDER_PATH.fullmatch(request.path)
        key = order_key(match["id"]) if match and request.method == "GET" else None
        if key is None:
            return self.get_response(request)
        cached = safely(cache.get, key)
        if cached is not None:
            response = HttpResponse(cached, content_type="application/json")
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        response["X-Cache"] = "MISS"
        if response.status_code == 200:
            safely(cache.set, key, response.content)
        return response


def drop_changed_order(*, event: str, order: dict[str, Any], **_kwargs: Any) -> None:
    """Receiver of `order_changed`: runs once the change is committed, before the answer."""
    if event in ("order.updated", "order.deleted"):
        key = order_key(order["id"])
        if key is not None:
            safely(cache.delete, key)


def ping() -> None:
    """Readiness: raise unless the cache answers a read."""
    cache.get("ready")


def safely(operation: Callable[..., T], *args: Any) -> T | None:
    """Cache trouble must not fail requests: log it and let the database answer."""
    try:
        return operation(*args)
    except (RedisError, OSError):
        logger.warning("Cache unavailable", exc_info=True)
        return None
