"""Failures nobody planned for still answer with the error envelope, and no internals."""

import logging

import pytest
from flask import Flask


def test_unexpected_exception_is_a_500(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    @app.get("/explode")
    def explode() -> None:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/explode")

    assert response.status_code == 500
    assert response.content_type == "application/json"
    assert response.get_json()["error"]["code"] == "internal_error"
    assert "secret" not in response.text
    # The server's log has what the client was not told.
    logged = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert logged
    assert logged[0].exc_info
    assert "secret internals" in str(logged[0].exc_info[1])


def test_a_client_error_of_werkzeug_keeps_its_status(app: Flask) -> None:
    """Errors raised below the routes (here a body over the size limit) use the envelope."""
    app.config["MAX_CONTENT_LENGTH"] = 10

    response = app.test_client().post("/orders", json={"customer_email": "ada@example.com"})

    assert response.status_code == 413
    # Named after Python's phrase for 413: "Request Entity Too Large" before Python 3.13.
    assert response.get_json()["error"]["code"] in ("request_entity_too_large", "content_too_large")
