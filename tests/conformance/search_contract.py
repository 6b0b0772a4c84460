"""Conformance of the search add-on: `GET /orders/search?q=&limit=&offset=`.

Run only against an app generated with search (the harness passes it when
CONFORMANCE_FEATURES names `search`). Other orders may exist, and other runs may have
left documents in the index, so every check searches for e-mail addresses and SKUs that
only its own orders carry.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.conformance.client import (
    check_order,
    create_order,
    expect_error,
    expect_json,
    expect_validation_error,
    item,
    patch_status,
    request,
)

PAGE_KEYS = {"items", "total", "limit", "offset"}


def unique() -> str:
    return uuid.uuid4().hex[:12]


def search(q: str, **params: Any) -> dict[str, Any]:
    """One search that must succeed; the page must have the contract's shape."""
    query = urlencode({"q": q, **params})
    what = f"GET /orders/search?{query}"
    page = expect_json(request("GET", f"/orders/search?{query}"), 200, what)
    assert isinstance(page, dict) and page.keys() >= PAGE_KEYS, (
        f'{what}: must answer {{"items", "total", "limit", "offset"}} like GET /orders,'
        f" got {page!r}"
    )
    assert isinstance(page["items"], list), f"{what}: items must be a list"
    for order in page["items"]:
        check_order(order, what)
    return page


def found(q: str, **params: Any) -> list[str]:
    return [order["id"] for order in search(q, **params)["items"]]


@pytest.fixture
def shopper() -> dict[str, Any]:
    """An order whose address (local part, domain) and two SKUs no other order has."""
    local, domain = f"search-{unique()}", f"{unique()}.example.com"
    return create_order(
        customer_email=f"{local}@{domain}",
        items=[item(f"SKU-{unique()}".upper()), item(f"sku-{unique()}", 1, 99)],
    )


def test_search_finds_an_order_by_each_term(shopper: dict[str, Any]) -> None:
    email = shopper["customer_email"]
    local, domain = email.split("@")
    for q in (email, local, domain, shopper["items"][0]["sku"], shopper["items"][1]["sku"]):
        page = search(q)
        assert [o["id"] for o in page["items"]] == [shopper["id"]], (
            f"GET /orders/search?q={q}: must find exactly the order with that e-mail address,"
            f" local part, domain or SKU, got {page!r}"
        )
        assert page["total"] == 1, f"q={q}: total must count the matches, got {page['total']!r}"
        assert page["items"][0] == shopper, f"q={q}: each item is the whole order as GET returns it"


def test_search_defaults_to_the_first_page(shopper: dict[str, Any]) -> None:
    page = search(shopper["customer_email"])
    assert (page["limit"], page["offset"]) == (20, 0), (
        f"limit must default to 20 and offset to 0, got {page['limit']!r}, {page['offset']!r}"
    )


def test_search_ignores_case_and_surrounding_spaces(shopper: dict[str, Any]) -> None:
    email, sku = shopper["customer_email"], shopper["items"][0]["sku"]
    for q in (email.upper(), email.split("@")[1].upper(), sku.lower(), f"  {sku} "):
        assert found(q) == [shopper["id"]], f"q={q!r}: matching must ignore case and outer spaces"


def test_search_matches_whole_terms_only(shopper: dict[str, Any]) -> None:
    local, domain = shopper["customer_email"].split("@")
    sku = shopper["items"][0]["sku"]
    parent = domain.split(".", 1)[1]  # example.com: other tests' orders may match it
    for q in (local[:-2], domain[:-3], sku[:-1], f"@{domain}", f"{local}@"):
        assert found(q) == [], f"q={q!r}: a piece of a term must not match, got a result"
    assert shopper["id"] not in found(parent, limit=100), "a parent domain must not match"


def test_search_without_a_match_is_an_empty_page() -> None:
    page = search(f"nobody-{unique()}@example.com")
    assert page["items"] == [] and page["total"] == 0, f"no match: empty page, got {page!r}"


def test_search_pages_newest_first() -> None:
    domain = f"{unique()}.example.net"
    ids = [create_order(customer_email=f"p{n}@{domain}")["id"] for n in range(3)]
    newest_first = ids[::-1]

    first = search(domain, limit=2)
    rest = search(domain, limit=2, offset=2)

    assert [o["id"] for o in first["items"]] == newest_first[:2], "newest first, limit 2"
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0), f"got {first!r}"
    assert [o["id"] for o in rest["items"]] == newest_first[2:], "offset 2 gives the oldest"
    assert (rest["total"], rest["offset"]) == (3, 2), f"got {rest!r}"
    assert found(domain, offset=3) == [], "an offset past the matches gives an empty page"


def test_search_sees_a_status_change(shopper: dict[str, Any]) -> None:
    expect_json(patch_status(shopper["id"], "paid"), 200, "PATCH to paid")
    items = search(shopper["customer_email"])["items"]
    assert [(o["id"], o["status"]) for o in items] == [(shopper["id"], "paid")], (
        f"right after a PATCH, search must return the order with its new status, got {items!r}"
    )


def test_search_forgets_a_deleted_order(shopper: dict[str, Any]) -> None:
    assert request("DELETE", f"/orders/{shopper['id']}").status == 204, "DELETE must answer 204"
    for q in (shopper["customer_email"], shopper["items"][0]["sku"]):
        page = search(q)
        assert page["items"] == [] and page["total"] == 0, (
            f"q={q}: right after DELETE the order must be gone from search, got {page!r}"
        )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "q"),
        ("q=", "q"),
        ("q=%20%20", "q"),
        (urlencode({"q": "a" * 201}), "q"),
        ("q=x&limit=0", "limit"),
        ("q=x&limit=101", "limit"),
        ("q=x&offset=-1", "offset"),
        ("q=x&limit=20&offset=9990", "offset"),
    ],
)
def test_search_rejects_invalid_queries(query: str, field: str) -> None:
    path = f"/orders/search?{query}" if query else "/orders/search"
    expect_validation_error(request("GET", path), f"GET {path[:60]}", field)


def test_search_accepts_the_longest_query() -> None:
    assert found("a" * 200) == [], "a 200-character q is valid"


def test_search_is_not_an_order_id() -> None:
    reply = request("GET", "/orders/search")
    assert reply.status != 404, "GET /orders/search must not be taken for the order 'search'"
    expect_error(reply, 422, "validation_error", "GET /orders/search without q")
