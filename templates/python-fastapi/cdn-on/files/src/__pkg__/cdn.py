"""HTTP caching headers for a CDN in front of the API: Cache-Control, ETag, 304.

A pure ASGI middleware, so the orders code knows nothing about it. It is installed after
every other extension, which makes it the outermost layer: the ETag is computed from the
bytes the client would receive, whether the order came from the database or a cache.
"""

import hashlib
import re
from collections.abc import Iterable

from fastapi import FastAPI
from pydantic import Field
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .config import EnvSettings, Settings

ORDER_PATH = re.compile(r"/orders/[^/]+")
LIST_PATH = "/orders"
# Headers that describe a body: a 304 has none (RFC 9110, section 15.4.5).
_BODY_HEADERS = ("content-length", "content-type", "content-encoding")


class CdnSettings(EnvSettings):
    # Short: a CDN may serve a changed order for this long without asking the app.
    cdn_max_age_seconds: int = Field(default=30, ge=0)


def strong_etag(body: bytes) -> str:
    """Same body, same ETag, on every instance of the app (no state, no clock)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison: `W/"x"` matches `"x"`; `*` matches anything."""
    candidates = [tag.strip() for tag in if_none_match.split(",")]
    return "*" in candidates or etag in (c.removeprefix("W/") for c in candidates)


class HttpCachingMiddleware:
    def __init__(self, app: ASGIApp, settings: CdnSettings) -> None:
        self.app = app
        self.order_cache_control = f"public, max-age={settings.cdn_max_age_seconds}"
        # Any new order changes the list: a cache may keep it but must revalidate each time.
        self.list_cache_control = "no-cache"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        elif scope["method"] != "GET":
            await self.app(scope, receive, self._no_store(send))
        elif (cache_control := self._cache_control(scope["path"])) is not None:
            await self._validated(cache_control, scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _cache_control(self, path: str) -> str | None:
        if path == LIST_PATH:
            return self.list_cache_control
        if ORDER_PATH.fullmatch(path) and path != "/orders/search":
            return self.order_cache_control
        return None

    @staticmethod
    def _no_store(send: Send) -> Send:
        """A write's answer describes one moment: no cache may keep it."""

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("cache-control", "no-store")
            await send(message)

        return send_no_store

    async def _validated(
        self, cache_control: str, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Buffer a 200 answer to hash it; send 304 instead when the client has it already."""
        start: Message | None = None
        body = bytearray()

        async def buffer(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message["status"] != 200:
                    await send(message)  # errors pass through untouched
                    return
                start = message
                return
            if start is None:
                await send(message)
                return
            body.extend(message.get("body", b""))
            if not message.get("more_body", False):
                await self._finish(start, bytes(body), cache_control, scope, send)

        await self.app(scope, receive, buffer)

    async def _finish(
        self, start: Message, body: bytes, cache_control: str, scope: Scope, send: Send
    ) -> None:
        etag = strong_etag(body)
        headers = MutableHeaders(scope=start)
        headers["etag"] = etag
        headers["cache-control"] = cache_control
        if_none_match = Headers(scope=scope).get("if-none-match")
        if if_none_match is not None and matches(if_none_match, etag):
            kept = _without(headers.raw, _BODY_HEADERS)
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(start)
        await send({"type": "http.response.body", "body": body})


def _without(raw: Iterable[tuple[bytes, bytes]], names: Iterable[str]) -> list[tuple[bytes, bytes]]:
    dropped = {name.encode() for name in names}
    return [(name, value) for name, value in raw if name.lower() not in dropped]


def install(app: FastAPI, settings: Settings) -> None:
    """Add caching headers. Reads its own `CdnSettings`, not the app's `settings`."""
    app.add_middleware(HttpCachingMiddleware, settings=CdnSettings())
