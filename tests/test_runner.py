"""The harness's process handling, on real processes."""

from __future__ import annotations

import subprocess
import sys

from generator.verify.runner import _stop


def _group(code: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code], start_new_session=True)


def test_stopping_a_running_app_ends_its_group() -> None:
    proc = _group("import time; time.sleep(60)")
    _stop(proc)
    assert proc.returncode == -15  # SIGTERM, as a process manager sends


def test_stopping_an_app_that_already_exited_is_quiet() -> None:
    proc = _group("raise SystemExit(3)")
    proc.wait()
    _stop(proc)  # its group is gone: no ProcessLookupError over the app's own failure
    assert proc.returncode == 3
