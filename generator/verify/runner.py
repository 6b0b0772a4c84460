"""Prove one combination end to end: generate, install, lint, test, serve, conformance.

Every step runs the generated project's own commands (`make install`, `make lint`,
`make test`, `make run`), the way a user would, against real servers.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.project import generate, render
from generator.resources import CATALOG_PATH, user_cache
from generator.verify import prebuilds, static
from generator.verify import services as servers
from generator.verify.matrix import PROJECT_NAME, Combination

CONFORMANCE_DIR = CATALOG_PATH.parent / "tests" / "conformance"
CONFORMANCE_SUITE = CONFORMANCE_DIR / "orders_contract.py"
STEP_TIMEOUT = 900  # seconds; a first install on a cold cache is the slow one


@dataclass
class Step:
    name: str
    ok: bool
    seconds: float
    detail: str = ""


@dataclass
class Result:
    combination: Combination
    steps: list[Step] = field(default_factory=list)
    servers: list[str] = field(default_factory=list)  # what the tests really ran against

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps)

    def failure(self) -> str:
        bad = next((s for s in self.steps if not s.ok), None)
        return f"{bad.name}: {bad.detail}" if bad else ""


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# pytest and Vitest ("52 passed"), Maven Surefire's summary ("Tests run: 34, Failures: 0, …").
_COUNTS = re.compile(r"\b\d+ passed\b|\bTests run: \d+, Failures: \d+")


def _closing_line(text: str) -> str:
    """The test runner's count ("52 passed"), which Vitest prints before its timings.

    Vitest parts its counts with "|" ("72 passed | 1 skipped (73)"), which would split the
    report's Markdown table cell: they are parted with commas instead, as pytest does.
    The whole output is searched: a runtime may print warnings after the count.
    """
    lines = _ANSI.sub("", text).strip().splitlines()
    counted = next((line for line in reversed(lines) if _COUNTS.search(line)), None)
    counted = counted.removeprefix("[INFO] ") if counted else counted
    return " ".join((counted or (lines[-1] if lines else "")).split()).replace(" | ", ", ")


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[bool, str]:
    proc = subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    return proc.returncode == 0, proc.stdout + proc.stderr


def toolchain_env() -> dict[str, str]:
    """Settings for the ecosystems' own tools, so a matrix downloads each package once.

    npm: one cache for every generated project (`npm_config_cache`), read before the
    registry (`prefer-offline`); no audit, funding or update-notifier requests.

    Maven: the machine's `mvn` instead of the project's wrapper (`MVN`, which the Makefile
    reads), and one local repository for every generated project (`-Dmaven.repo.local` in
    `MAVEN_OPTS`: Maven 3.8 has no `MAVEN_ARGS`). With every version pinned, a warm
    repository answers every lookup, so Maven asks the registry nothing after the first
    project; offline mode (`-o`) is not forced, so a dependency new to the repository
    still resolves.
    """
    env = {
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "npm_config_prefer_offline": "true",
        "npm_config_audit": "false",
        "npm_config_fund": "false",
        "npm_config_update_notifier": "false",
    }
    npm_cache = user_cache("npm")
    if npm_cache is not None:
        env["npm_config_cache"] = str(npm_cache)
    env["MVN"] = "mvn"
    m2 = user_cache("m2")
    if m2 is not None:
        maven_opts = os.environ.get("MAVEN_OPTS", "")
        env["MAVEN_OPTS"] = f"{maven_opts} -Dmaven.repo.local={m2}".strip()
    return env


def check_static(combo: Combination) -> list[str]:
    _, files = render(combo.answers())
    return static.problems(files)


def run_id_of(combo: Combination) -> str:
    """The name of the combination's own databases, queues and buckets: an identifier of
    at most 63 characters (PostgreSQL's limit), kept unique by a digest when cut short."""
    name = f"bg_{combo.id.replace('-', '_')}"
    if len(name) > 63:
        name = f"{name[:54]}_{hashlib.sha256(name.encode()).hexdigest()[:8]}"
    return name


def service_env(combo: Combination) -> dict[str, str]:
    """Start the combination's servers and hand it fresh, empty resources."""
    servers.ensure(combo.services(), log=lambda _msg: None)
    run_id = run_id_of(combo)
    env: dict[str, str] = {}
    for service in combo.services():
        env.update(servers.environment(service, run_id))
    return env


def _start(target: str, project: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], Path]:
    """`make <target>` in its own process group, logging to <target>.log in the project."""
    log_path = project / f"{target}.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            ["make", target],
            cwd=project,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return proc, log_path


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the whole group (make and its child), as a process manager would.

    A group that is already gone (the app exited on its own) is left as it is, so the
    caller reports why the app stopped rather than this.
    """
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        proc.wait()
        return
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log_path: Path) -> str | None:
    """None once GET /health answers 200; otherwise why it never did."""
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            return "the app exited before answering:\n" + _tail(log_path.read_text())
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as resp:
                if resp.status == 200:
                    return None
        except OSError:
            pass
        if time.monotonic() > deadline:
            return "no answer on /health within 90 s:\n" + _tail(log_path.read_text())
        time.sleep(0.3)


def _serve_and_check(project: Path, env: dict[str, str], combo: Combination) -> tuple[bool, str]:
    """Start the app (and the worker, with a queue) as a user would, then run the contract."""
    port = _free_port()
    run_env = {**env, "PORT": str(port)}
    base = f"http://127.0.0.1:{port}"
    contracts = [CONFORMANCE_SUITE] + [
        CONFORMANCE_DIR / f"{feature}_contract.py" for feature in combo.features()
    ]
    missing = [c.name for c in contracts if not c.is_file()]
    if missing:
        return False, f"no conformance suite for this add-on: {', '.join(missing)}"
    app, app_log = _start("run", project, run_env)
    others = [_start("worker", project, run_env)[0]] if "queue" in combo.features() else []
    try:
        problem = _wait_healthy(base, app, app_log)
        if problem:
            return False, problem
        suite_env = {
            **os.environ,
            "CONFORMANCE_BASE_URL": base,
            "CONFORMANCE_FEATURES": ",".join(combo.features()),
        }
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        ok, out = _run([*command, *map(str, contracts)], project, suite_env)
        return ok, _tail(out, 60)
    finally:
        for proc in [app, *others]:
            _stop(proc)


def _install(project: Path, env: dict[str, str]) -> tuple[bool, str]:
    """`make install`, then keep any native module it compiled for the next project."""
    ok, out = _run(["make", "install"], project, env)
    if ok:
        for tarball in prebuilds.seed(project, env):
            out += f"\ncached the native build {tarball.name} for later installs"
    return ok, out


def prove(
    combo: Combination, workdir: Path, on_step: Callable[[str], None] = lambda _s: None
) -> Result:
    """Run every step for `combo` in `workdir`, stopping at the first failure."""
    result = Result(combo)
    project = workdir / combo.id / PROJECT_NAME
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "VIRTUAL_ENV")
    }
    env.update(toolchain_env())

    def step(name: str, action: Callable[[], tuple[bool, str]]) -> bool:
        on_step(name)
        start = time.monotonic()
        try:
            ok, detail = action()
        except Exception as exc:  # a harness failure is a failed step, with its reason
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        summary = _tail(detail) if not ok else _closing_line(detail)
        result.steps.append(Step(name, ok, time.monotonic() - start, summary))
        return ok

    def do_generate() -> tuple[bool, str]:
        generate(combo.answers(), project, force=True)
        return True, ""

    def do_static() -> tuple[bool, str]:
        found = check_static(combo)
        return not found, "\n".join(found)

    def do_services() -> tuple[bool, str]:
        env.update(service_env(combo))
        result.servers = [servers.describe(s) for s in combo.services()]
        return True, ""

    plan: list[tuple[str, Callable[[], tuple[bool, str]]]] = [
        ("generate", do_generate),
        ("static", do_static),
        ("install", lambda: _install(project, env)),
        ("lint", lambda: _run(["make", "lint"], project, env)),
        ("services", do_services),
        ("test", lambda: _run(["make", "test"], project, env)),
        ("conformance", lambda: _serve_and_check(project, env, combo)),
    ]
    for name, action in plan:
        if not step(name, action):
            break
    return result
