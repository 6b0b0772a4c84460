"""Fixtures shared by every contract file (loaded only when one of them is run)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.client import BASE_URL, create_order, request


@pytest.fixture(scope="session", autouse=True)
def app_answers() -> None:
    """Fail every test with one clear reason when there is no app to check."""
    if not BASE_URL:
        pytest.fail(
            "set CONFORMANCE_BASE_URL to a running app, e.g. http://127.0.0.1:8123", pytrace=False
        )
    request("GET", "/health")


@pytest.fixture
def order() -> dict[str, Any]:
    return create_order()
