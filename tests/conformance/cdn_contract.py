"""Conformance of the CDN add-on: Cache-Control, strong ETags and 304 on order reads.

Run only against an app generated with the CDN (the harness passes it when
CONFORMANCE_FEATURES names `cdn`). The shared client sends no custom headers, so the
conditional requests here go through a small helper of their own.
"""

from __future__ import annotations

import http.client
from typing import Any
from urllib.parse import urlsplit

from tests.conformance.client import (
    BASE_URL,
    TIMEOUT_S,
    create_order,
    expect_json,
    patch_status,
    request,
    shown,
)


def conditional_get(path: str, etag: str) -> tuple[int, dict[str, str], bytes]:
    """GET `path` with `If-None-Match: etag`; the status, lower-cased headers and raw body."""
    url = urlsplit(BASE_URL + path)
    connection_type = (
        http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_type(url.netloc, timeout=TIMEOUT_S)
    try:
        connection.request(
            "GET", url.path, headers={"Accept": "application/json", "If-None-Match": etag}
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def etag_of(headers: dict[str, str], what: str) -> str:
    etag = headers.get("etag", "")
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 2, (
        f'{what}: must carry a strong ETag ("…", not W/"…"), got {etag!r}'
    )
    return etag


def max_age(cache_control: str) -> int | None:
    for directive in cache_control.replace(" ", "").lower().split(","):
        name, _, value = directive.partition("=")
        if name == "max-age" and value.isdigit():
            return int(value)
    return None


def test_cdn_order_is_public_for_a_short_while(order: dict[str, Any]) -> None:
    reply = request("GET", f"/orders/{order['id']}")
    expect_json(reply, 200, "GET /orders/{id}")
    cache_control = reply.headers.get("cache-control", "")
    directives = cache_control.replace(" ", "").lower().split(",")
    age = max_age(cache_control)
    assert "public" in directives and age is not None and 0 < age <= 300, (
        "GET /orders/{id} must carry Cache-Control: public, max-age=<short>,"
        f" got {cache_control!r}"
    )
    etag_of(reply.headers, "GET /orders/{id}")


def test_cdn_matching_etag_gets_304_without_a_body(order: dict[str, Any]) -> None:
    path = f"/orders/{order['id']}"
    etag = etag_of(request("GET", path).headers, "GET /orders/{id}")
    status, headers, body = conditional_get(path, etag)
    assert status == 304, f"GET with a matching If-None-Match must answer 304, got {status}"
    assert body == b"", f"a 304 has no body, got {body[:200]!r}"
    assert headers.get("etag") == etag, f"a 304 repeats the ETag, got {headers.get('etag')!r}"


def test_cdn_same_order_same_etag(order: dict[str, Any]) -> None:
    path = f"/orders/{order['id']}"
    first = etag_of(request("GET", path).headers, "first GET")
    second = etag_of(request("GET", path).headers, "second GET")
    assert first == second, "an unchanged order keeps its ETag"


def test_cdn_changed_order_gets_a_new_etag(order: dict[str, Any]) -> None:
    path = f"/orders/{order['id']}"
    before = etag_of(request("GET", path).headers, "GET before PATCH")
    patched = patch_status(order["id"], "paid")
    expect_json(patched, 200, "PATCH to paid")
    status, headers, _ = conditional_get(path, before)
    assert status == 200, f"the old ETag must not match a changed order: got {status}"
    assert etag_of(headers, "GET after PATCH") != before, "a changed order gets a new ETag"


def test_cdn_list_carries_cache_control_and_etag() -> None:
    create_order()
    reply = request("GET", "/orders")
    expect_json(reply, 200, "GET /orders")
    cache_control = reply.headers.get("cache-control", "").lower()
    assert cache_control, "GET /orders must carry Cache-Control"
    etag = etag_of(reply.headers, "GET /orders")
    status, _, body = conditional_get("/orders", etag)
    if status == 200:  # another test may have created an order in between
        return
    assert status == 304 and body == b"", f"GET /orders with its ETag: 304, got {status}"


def test_cdn_writes_are_no_store(order: dict[str, Any]) -> None:
    created = request("POST", "/orders", {"customer_email": "cdn@example.com", "items": []})
    patched = patch_status(order["id"], "paid")
    deleted = request("DELETE", f"/orders/{order['id']}")
    for what, reply in (("POST /orders", created), ("PATCH", patched), ("DELETE", deleted)):
        cache_control = reply.headers.get("cache-control", "").lower()
        assert "no-store" in cache_control, (
            f"{what} must carry Cache-Control: no-store, got {cache_control!r} ({shown(reply)})"
        )
