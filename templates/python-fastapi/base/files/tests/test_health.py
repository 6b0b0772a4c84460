"""Liveness, readiness and the OpenAPI document."""

from fastapi.testclient import TestClient


def test_health(client: TestClient) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_when_every_dependency_answers(client: TestClient) -> None:
    response = client.get("/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert set(body["checks"].values()) == {"ok"}


def test_not_ready_names_the_failing_dependency(client: TestClient) -> None:
    async def broken() -> None:
        raise ConnectionError

    client.app.state.ready_checks["broken"] = broken

    response = client.get("/ready")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broken"] == "unavailable"
    assert body["checks"]["database"] == "ok"


def test_openapi_names_every_path(client: TestClient) -> None:
    document = client.get("/openapi.json").json()

    assert document["openapi"].startswith("3.")
    assert {"/health", "/ready", "/orders", "/orders/{id}"} <= set(document["paths"])
    assert set(document["paths"]["/orders/{id}"]) == {"get", "patch", "delete"}
