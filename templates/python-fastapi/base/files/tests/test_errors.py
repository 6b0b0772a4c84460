"""Failures nobody planned for still answer with the error envelope, and no internals."""

from fastapi.testclient import TestClient


def test_unexpected_exception_is_a_500(client: TestClient) -> None:
    def explode() -> None:
        raise RuntimeError("secret internals")

    client.app.add_api_route("/explode", explode)
    quiet = TestClient(client.app, raise_server_exceptions=False)

    response = quiet.get("/explode")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "secret" not in response.text
