"""Conformance of the blob store add-on: one receipt file per order (docs/contract.md).

Run only against an app generated with a blob store (the harness passes it when
CONFORMANCE_FEATURES names `storage`). A backend that can sign URLs (S3, Azure Blob
Storage) answers `?redirect=true` with a 307 to a signed URL; one that cannot (local disk)
returns the file itself, so both are accepted here, as long as the bytes that arrive are
the ones stored.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
import uuid
from typing import Any
from urllib.parse import urljoin, urlsplit

from tests.conformance.client import (
    BASE_URL,
    TIMEOUT_S,
    Reply,
    expect_error,
    expect_json,
    expect_validation_error,
    request,
    shown,
)

MAX_BYTES = 5 * 1024 * 1024  # the contract's default limit
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 16 + b"\n%%EOF\n"  # every byte value, NUL included


def send(
    method: str, path: str, data: bytes | None = None, content_type: str | None = None
) -> Reply:
    """One request with a raw body and the Content-Type given (none when None)."""
    url = urlsplit(BASE_URL + path)
    connection_type = (
        http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_type(url.netloc, timeout=TIMEOUT_S)
    headers = {"Accept": "*/*"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    target = url.path + (f"?{url.query}" if url.query else "")
    try:
        connection.request(method, target, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read()
    except OSError as exc:
        raise AssertionError(f"could not reach the app ({method} {path}): {exc}") from exc
    finally:
        connection.close()
    reply_headers = {k.lower(): v for k, v in response.getheaders()}
    parsed = None
    if reply_headers.get("content-type", "").startswith("application/json") and payload:
        try:
            parsed = json.loads(payload)
        except ValueError:
            parsed = None
    return Reply(response.status, reply_headers, parsed, payload)


def receipt_path(order_id: str) -> str:
    return f"/orders/{order_id}/receipt"


def same_media_type(sent: str, got: str | None) -> bool:
    """Equal up to case and the spaces around parameters, which HTTP does not distinguish."""

    def norm(value: str) -> list[str]:
        return [part.strip().lower() for part in value.split(";")]

    return got is not None and norm(sent) == norm(got)


def store(order_id: str, data: bytes, content_type: str, status: int, what: str) -> Any:
    reply = send("PUT", receipt_path(order_id), data, content_type)
    body = expect_json(reply, status, what)
    assert body == {
        "order_id": order_id,
        "content_type": content_type,
        "size_bytes": len(data),
    }, f'{what}: the body must be {{"order_id", "content_type", "size_bytes"}}, got {body!r}'
    return reply


def expect_receipt(order_id: str, data: bytes, content_type: str, what: str) -> None:
    reply = send("GET", receipt_path(order_id))
    assert reply.status == 200, f"{what}: GET the receipt must answer 200, got {shown(reply)}"
    assert reply.raw == data, f"{what}: GET must return the stored bytes ({len(data)} bytes)"
    assert same_media_type(content_type, reply.headers.get("content-type")), (
        f"{what}: GET must carry the stored Content-Type {content_type!r},"
        f" got {reply.headers.get('content-type')!r}"
    )


def fetch(url: str) -> bytes:
    """Follow a redirect target with urllib, as any HTTP client would."""
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
        body: bytes = response.read()
        return body


def redirect_target(order_id: str) -> str | None:
    """The signed URL of the receipt, or None when the app serves the file itself."""
    reply = send("GET", receipt_path(order_id) + "?redirect=true")
    if reply.status == 200:
        return None
    assert reply.status == 307, (
        f"GET ?redirect=true must answer 307 to a signed URL, or 200 with the file: {shown(reply)}"
    )
    location = reply.headers.get("location")
    assert location, "a 307 must carry a Location header"
    url = urljoin(BASE_URL + "/", location)
    assert urlsplit(url).scheme in ("http", "https"), f"Location must be an http(s) URL: {url!r}"
    return url


# ---------------------------------------------------------------------- store and serve


def test_storage_put_then_get(order: dict[str, Any]) -> None:
    reply = store(order["id"], PDF, "application/pdf", 201, "first PUT of a receipt")
    location = reply.headers.get("location", "")
    assert urlsplit(location).path == receipt_path(order["id"]), (
        f"a 201 must carry Location: {receipt_path(order['id'])}, got {location!r}"
    )
    expect_receipt(order["id"], PDF, "application/pdf", "after the first PUT")


def test_storage_put_replaces(order: dict[str, Any]) -> None:
    store(order["id"], PDF, "application/pdf", 201, "first PUT")
    replacement = b"order,total\nreceipt,2599\n"
    store(order["id"], replacement, "text/csv; charset=utf-8", 200, "second PUT (replace)")
    expect_receipt(order["id"], replacement, "text/csv; charset=utf-8", "after replacing")


def test_storage_unlabelled_body_is_octet_stream(order: dict[str, Any]) -> None:
    reply = send("PUT", receipt_path(order["id"]), PDF, None)
    body = expect_json(reply, 201, "PUT without a Content-Type")
    assert body.get("content_type") == "application/octet-stream", (
        f"a body without Content-Type is application/octet-stream, got {body!r}"
    )
    expect_receipt(order["id"], PDF, "application/octet-stream", "unlabelled upload")


def test_storage_json_body_is_stored_as_sent(order: dict[str, Any]) -> None:
    """A receipt is a file, never parsed: JSON, valid or not, is kept byte for byte."""
    document = b'{"paid": true,  "total_cents": 2599}\n'
    store(order["id"], document, "application/json", 201, "PUT of a JSON receipt")
    expect_receipt(order["id"], document, "application/json", "after a JSON receipt")
    broken = b'{"paid": '
    store(order["id"], broken, "application/json", 200, "PUT of a receipt that is not JSON")
    expect_receipt(order["id"], broken, "application/json", "after a malformed JSON receipt")


def test_storage_redirect_serves_the_same_bytes(order: dict[str, Any]) -> None:
    store(order["id"], PDF, "application/pdf", 201, "PUT before ?redirect=true")
    url = redirect_target(order["id"])
    if url is None:
        expect_receipt(order["id"], PDF, "application/pdf", "GET ?redirect=true served directly")
        return
    assert fetch(url) == PDF, "the signed URL must serve the stored bytes"


# -------------------------------------------------------------------------- the limits


def test_storage_limit_is_5_mib(order: dict[str, Any]) -> None:
    reply = send("PUT", receipt_path(order["id"]), b"x" * (MAX_BYTES + 1), "text/plain")
    expect_error(reply, 413, "payload_too_large", "PUT of 5 MiB + 1 byte")
    at_limit = b"y" * MAX_BYTES
    store(order["id"], at_limit, "text/plain", 201, "PUT of exactly 5 MiB")


def test_storage_empty_body_is_422(order: dict[str, Any]) -> None:
    reply = send("PUT", receipt_path(order["id"]), b"", "application/pdf")
    expect_validation_error(reply, "PUT with an empty body", field="body")
    expect_error(send("GET", receipt_path(order["id"])), 404, "not_found", "nothing was stored")


# --------------------------------------------------------------------------------- 404s


def test_storage_unknown_order_is_404() -> None:
    for order_id in (str(uuid.uuid4()), "not-a-uuid"):
        path = receipt_path(order_id)
        expect_error(send("PUT", path, PDF, "application/pdf"), 404, "not_found", f"PUT {path}")
        expect_error(send("GET", path), 404, "not_found", f"GET {path}")


def test_storage_body_is_judged_before_the_order() -> None:
    """As for PATCH: a bad body is refused for what it is, whether or not the order exists."""
    path = receipt_path(str(uuid.uuid4()))
    empty = send("PUT", path, b"", "application/pdf")
    expect_validation_error(empty, "PUT of an empty receipt for an unknown order", field="body")
    badly_typed = send("PUT", path, PDF, "pdf")
    what = "PUT with Content-Type: pdf for an unknown order"
    expect_validation_error(badly_typed, what, field="content-type")


def test_storage_order_without_receipt_is_404(order: dict[str, Any]) -> None:
    path = receipt_path(order["id"])
    expect_error(send("GET", path), 404, "not_found", "GET a receipt never stored")
    expect_error(send("GET", path + "?redirect=true"), 404, "not_found", "... with ?redirect")


def test_storage_deleting_the_order_removes_the_receipt(order: dict[str, Any]) -> None:
    store(order["id"], PDF, "application/pdf", 201, "PUT before DELETE of the order")
    signed = redirect_target(order["id"])  # a way to the file that bypasses the app

    assert request("DELETE", f"/orders/{order['id']}").status == 204, "DELETE must answer 204"

    expect_error(send("GET", receipt_path(order["id"])), 404, "not_found", "GET after DELETE")
    if signed is not None:
        try:
            fetch(signed)
        except urllib.error.HTTPError as exc:
            assert 400 <= exc.code < 500, f"the deleted file's URL must fail with 4xx: {exc}"
        else:
            raise AssertionError("the signed URL still serves the receipt after DELETE")
