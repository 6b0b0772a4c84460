"""Liveness (`/health`) and readiness (`/ready`) for orchestrators and load balancers."""

import logging
import threading
import time
from typing import Literal

from flask import Blueprint
from flask.typing import ResponseReturnValue
from pydantic import BaseModel

from .state import ReadyCheck, app_state

CHECK_TIMEOUT_SECONDS = 2.0

State = Literal["ok", "unavailable"]

logger = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: State
    checks: dict[str, State]


@bp.get("/health")
def health() -> ResponseReturnValue:
    """The process is up; touches no dependency, so a database outage never restarts it."""
    return Health().model_dump()


@bp.get("/ready")
def ready() -> ResponseReturnValue:
    """Every dependency answers; 503 names the ones that do not."""
    states = run_checks(app_state().ready_checks)
    readiness = Readiness(
        status="ok" if all(state == "ok" for state in states.values()) else "unavailable",
        checks=states,
    )
    return readiness.model_dump(), 200 if readiness.status == "ok" else 503


def run_checks(checks: dict[str, ReadyCheck]) -> dict[str, State]:
    """Run every check at once, each in a thread; one that is not done in time failed.

    The threads are daemons: a check stuck on a dead connection never holds up the
    response, nor the process when it exits.
    """
    passed: set[str] = set()

    def run(name: str, check: ReadyCheck) -> None:
        try:
            check()
        except Exception:
            logger.warning("Readiness check %r failed", name, exc_info=True)
        else:
            passed.add(name)

    threads = {
        name: threading.Thread(target=run, args=(name, check), name=f"ready-{name}", daemon=True)
        for name, check in checks.items()
    }
    for thread in threads.values():
        thread.start()
    deadline = time.monotonic() + CHECK_TIMEOUT_SECONDS
    states: dict[str, State] = {}
    for name, thread in threads.items():
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            logger.warning("Readiness check %r took over %s s", name, CHECK_TIMEOUT_SECONDS)
        states[name] = "ok" if not thread.is_alive() and name in passed else "unavailable"
    return states
