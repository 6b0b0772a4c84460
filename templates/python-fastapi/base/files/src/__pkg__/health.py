"""Liveness (`/health`) and readiness (`/ready`) for orchestrators and load balancers."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Literal

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

# A readiness check raises (or times out) when its dependency cannot serve requests.
# The app keeps them in `app.state.ready_checks`, keyed by the name `/ready` reports.
ReadyCheck = Callable[[], Awaitable[object]]
CHECK_TIMEOUT_SECONDS = 2.0

State = Literal["ok", "unavailable"]

logger = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: State
    checks: dict[str, State]


@router.get("/health")
async def health() -> Health:
    """The process is up; touches no dependency, so a database outage never restarts it."""
    return Health()


@router.get(
    "/ready",
    response_model=Readiness,
    responses={status.HTTP_503_SERVICE_UNAVAILABLE: {"model": Readiness}},
)
async def ready(request: Request) -> JSONResponse:
    """Every dependency answers; 503 names the ones that do not."""
    checks: dict[str, ReadyCheck] = request.app.state.ready_checks
    states = await asyncio.gather(*(_run(name, check) for name, check in checks.items()))
    readiness = Readiness(
        status="ok" if all(state == "ok" for state in states) else "unavailable",
        checks=dict(zip(checks, states, strict=True)),
    )
    code = status.HTTP_200_OK if readiness.status == "ok" else status.HTTP_503_SERVICE_UNAVAILABLE
    return JSONResponse(readiness.model_dump(), status_code=code)


async def _run(name: str, check: ReadyCheck) -> State:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            await check()
    except Exception:
        logger.warning("Readiness check %r failed", name, exc_info=True)
        return "unavailable"
    return "ok"
