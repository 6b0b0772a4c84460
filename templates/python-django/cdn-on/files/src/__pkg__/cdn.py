"""How long a CDN may keep each answer: Cache-Control on the orders' reads and writes.

Django's ConditionalGetMiddleware, outside this one, adds the ETag and the 304s; the
Cache-Control set here is what its 304s repeat.
"""

import re
from collections.abc import Callable

import environ
from django.http import HttpRequest, HttpResponse

ORDER_PATH = re.compile(r"/orders/[^/]+")
LIST_PATH = "/orders"
# Paths under /orders/ that are not one order (an add-on's search, say).
NOT_AN_ORDER = frozenset({"/orders/search"})

env = environ.Env()


class CacheControlMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Short: a CDN may serve a changed order for this long without asking the app.
        max_age = env.int("CDN_MAX_AGE_SECONDS", default=30)
        self.order_cache_control = f"public, max-age={max_age}"
        # Any new order changes the list: a cache may keep it but must revalidate each time.
        self.list_cache_control = "no-cache"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method != "GET":
            # A write's answer describes one moment: no cache may keep it.
            response.headers.setdefault("Cache-Control", "no-store")
        elif response.status_code == 200:
            cache_control = self._cache_control(request.path)
            if cache_control is not None:
                response.headers["Cache-Control"] = cache_control
        return response

    def _cache_control(self, path: str) -> str | None:
        if path == LIST_PATH:
            return self.list_cache_control
        if ORDER_PATH.fullmatch(path) and path not in NOT_AN_ORDER:
            return self.order_cache_control
        return None
