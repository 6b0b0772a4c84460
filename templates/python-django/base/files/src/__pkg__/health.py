"""Liveness (`/health`) and readiness (`/ready`) for orchestrators and load balancers."""

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from django.db import connection
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

# A readiness check raises (or times out) when its dependency cannot serve requests.
# Extensions add theirs with `register()` from their AppConfig.ready().
ReadyCheck = Callable[[], object]
CHECK_TIMEOUT_SECONDS = 2.0
STATES = ("ok", "unavailable")

logger = logging.getLogger(__name__)


def database() -> None:
    """Raise unless the database answers a trivial query (on a connection of its own)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()  # the check runs in a thread of its own, which keeps nothing


READY_CHECKS: dict[str, ReadyCheck] = {"database": database}


def register(name: str, check: ReadyCheck) -> None:
    """Report `name` on /ready: "ok" when `check()` returns in time, else "unavailable"."""
    READY_CHECKS[name] = check


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok"])


class ReadinessSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATES)
    checks = serializers.DictField(child=serializers.ChoiceField(choices=STATES))


class HealthView(APIView):
    @extend_schema(operation_id="health", responses={200: HealthSerializer}, tags=["health"])
    def get(self, _request: Request) -> Response:
        """The process is up; touches no dependency, so a database outage never restarts it."""
        return Response({"status": "ok"})


class ReadyView(APIView):
    @extend_schema(
        operation_id="ready",
        responses={200: ReadinessSerializer, 503: ReadinessSerializer},
        tags=["health"],
    )
    def get(self, _request: Request) -> Response:
        """Every dependency answers within the timeout; 503 names the ones that do not."""
        checks = run_checks(READY_CHECKS)
        ready = all(state == "ok" for state in checks.values())
        body = {"status": "ok" if ready else "unavailable", "checks": checks}
        return Response(body, status=200 if ready else 503)


def run_checks(checks: dict[str, ReadyCheck]) -> dict[str, str]:
    """Run every check at once, each in a thread, and wait for them at most the timeout."""
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="ready")
    try:
        futures = {name: pool.submit(check) for name, check in checks.items()}
        wait(futures.values(), timeout=CHECK_TIMEOUT_SECONDS)
        return {name: _state(name, future) for name, future in futures.items()}
    finally:
        # A check still running is left to finish on its own; the answer does not wait.
        pool.shutdown(wait=False, cancel_futures=True)


def _state(name: str, future: Future[object]) -> str:
    if not future.done():
        logger.warning("Readiness check %r timed out after %s s", name, CHECK_TIMEOUT_SECONDS)
        return "unavailable"
    error = future.exception()
    if error is not None:
        logger.warning("Readiness check %r failed", name, exc_info=error)
        return "unavailable"
    return "ok"
