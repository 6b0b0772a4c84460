"""Bad request bodies, judged as the contract says: the media type first (415), then the
JSON (400), then its shape (422). The same answers in every stack."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test.client import FakePayload
from rest_framework.test import APIClient

CreateOrder = Callable[..., dict[str, Any]]
Send = Callable[[bytes | None, str | None], Any]
ORDER = {
    "customer_email": "ada@example.com",
    "items": [{"sku": "BOOK-1", "quantity": 1, "unit_price_cents": 100}],
}
NOT_JSON = ["text/plain", "application/x-www-form-urlencoded", "application/merge-patch+json"]


@pytest.fixture(params=["post", "patch"])
def send(request: pytest.FixtureRequest, client: APIClient, create_order: CreateOrder) -> Send:
    """POST /orders or PATCH /orders/{id}: `body` as given, labelled `content_type` (or not)."""

    def send(body: bytes | None, content_type: str | None) -> Any:
        path = "/orders" if request.param == "post" else f"/orders/{create_order()['id']}"
        # Built by hand: the test client labels every body it sends with some media type.
        environ: dict[str, Any] = {"REQUEST_METHOD": request.param.upper(), "PATH_INFO": path}
        if body:
            environ |= {"CONTENT_LENGTH": str(len(body)), "wsgi.input": FakePayload(body)}
        if content_type is not None:
            environ["CONTENT_TYPE"] = content_type
        return client.request(**environ)

    return send


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response.headers["content-type"] == "application/json"
    error: dict[str, Any] = response.json()["error"]
    assert error["message"]
    return error


def test_an_empty_json_body_is_a_400(send: Send) -> None:
    error = error_of(send(b"", "application/json"), 400)

    assert (error["code"], error["details"]) == ("malformed_json", None)


@pytest.mark.parametrize("raw", [b"3", b'"an order"', b"null", b"true", b"[]"])
def test_json_that_is_not_an_object_is_a_422_on_the_body(send: Send, raw: bytes) -> None:
    error = error_of(send(raw, "application/json"), 422)

    assert error["code"] == "validation_error"
    assert "body" in [detail["field"] for detail in error["details"]]


@pytest.mark.parametrize("content_type", [*NOT_JSON, None])
def test_valid_json_not_labelled_json_is_a_415(send: Send, content_type: str | None) -> None:
    error = error_of(send(json.dumps(ORDER).encode(), content_type), 415)

    assert (error["code"], error["details"]) == ("unsupported_media_type", None)


def test_a_label_other_than_json_is_a_415_without_a_body_too(send: Send) -> None:
    assert error_of(send(b"", "text/plain"), 415)["code"] == "unsupported_media_type"


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "Application/JSON"])
def test_json_is_taken_with_parameters_in_any_case(client: APIClient, content_type: str) -> None:
    response = client.post("/orders", json.dumps(ORDER).encode(), content_type=content_type)

    assert response.status_code == 201, response.content


def test_no_body_at_all_is_a_422_on_the_body(send: Send) -> None:
    error = error_of(send(None, None), 422)

    assert "body" in [detail["field"] for detail in error["details"]]


def test_a_refused_patch_changes_nothing(client: APIClient, create_order: CreateOrder) -> None:
    order_id = create_order()["id"]

    refused = client.patch(f"/orders/{order_id}", b'{"status": "paid"}', content_type="text/plain")

    assert refused.status_code == 415
    assert client.get(f"/orders/{order_id}").json()["status"] == "pending"


def test_the_openapi_document_names_the_415(client: APIClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert "415" in paths["/orders"]["post"]["responses"]
    assert "415" in paths["/orders/{order_id}"]["patch"]["responses"]
