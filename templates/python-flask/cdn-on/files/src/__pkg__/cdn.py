"""HTTP caching headers for a CDN in front of the API: Cache-Control, ETag, 304.

A WSGI middleware around `app.wsgi_app`, so the orders code knows nothing about it and
it sees the final answer of every request: the ETag is computed from the bytes the
client would receive, whether the order came from the database or a cache.
"""

import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from flask import Flask
from pydantic import Field
from werkzeug import Request, Response

from .config import EnvSettings, Settings

ORDER_PATH = re.compile(r"/orders/[^/]+")
LIST_PATH = "/orders"


class CdnSettings(EnvSettings):
    # Short: a CDN may serve a changed order for this long without asking the app.
    cdn_max_age_seconds: int = Field(default=30, ge=0)


def strong_etag(body: bytes) -> str:
    """Same body, same ETag, on every instance of the app (no state, no clock)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class HttpCaching:
    def __init__(self, wsgi_app: WSGIApplication, settings: CdnSettings) -> None:
        self.wsgi_app = wsgi_app
        self.order_cache_control = f"public, max-age={settings.cdn_max_age_seconds}"
        # Any new order changes the list: a cache may keep it but must revalidate each time.
        self.list_cache_control = "no-cache"

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        if request.method != "GET":
            return self.wsgi_app(environ, _no_store(start_response))
        cache_control = self._cache_control(request.path)
        if cache_control is None:
            return self.wsgi_app(environ, start_response)
        response = Response.from_app(self.wsgi_app, environ, buffered=True)
        if response.status_code == 200:  # errors pass through untouched
            response.headers["ETag"] = strong_etag(response.get_data())
            response.headers["Cache-Control"] = cache_control
            # A 304 when If-None-Match names the ETag (the weak comparison, `*` included);
            # werkzeug then sends no body and none of the headers that describe one.
            response.make_conditional(request)
        return response(environ, start_response)

    def _cache_control(self, path: str) -> str | None:
        if path == LIST_PATH:
            return self.list_cache_control
        if ORDER_PATH.fullmatch(path) and path != "/orders/search":
            return self.order_cache_control
        return None


def _no_store(start_response: StartResponse) -> Callable[..., Any]:
    """A write's answer describes one moment: no cache may keep it."""

    def start_no_store(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        if not any(name.lower() == "cache-control" for name, _ in headers):
            headers = [*headers, ("Cache-Control", "no-store")]
        return start_response(status, headers, exc_info)

    return start_no_store


def install(app: Flask, settings: Settings) -> None:
    """Add caching headers. Reads its own `CdnSettings`, not the app's `settings`."""
    app.wsgi_app = HttpCaching(app.wsgi_app, CdnSettings())
