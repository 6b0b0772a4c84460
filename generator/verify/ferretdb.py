"""A MongoDB-wire server for the harness: FerretDB, built from the Go module proxy.

No MongoDB server can be had from the registries these machines reach. FerretDB
(Apache-2.0) speaks MongoDB's wire protocol and keeps the data in SQLite; its module is
on the Go module proxy. Its build embeds a version file that `go install` leaves empty,
so `build` copies the module, writes that file and builds it with the machine's Go. The
verification report names FerretDB, so no result reads as proven on MongoDB itself.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

# services._run: runs a command (no shell), returns what it printed; raises on failure
# unless given check=False.
Run = Callable[..., str]

HOST = "127.0.0.1"
FERRETDB_MODULE = "github.com/FerretDB/FerretDB"
FERRETDB_VERSION = "v1.24.2"
FERRETDB_PORT = 27017
FERRETDB_HOME = Path("/var/cache/backendgen/ferretdb") / FERRETDB_VERSION
FERRETDB_BINARY = FERRETDB_HOME / "ferretdb"
FERRETDB_DATA = Path("/var/lib/backendgen/ferretdb")
PID_FILE = "/run/backendgen-ferretdb.pid"


def build(run: Run) -> None:
    """Fetch the module through the proxy and build the server with its version filled in."""
    module = f"{FERRETDB_MODULE}@{FERRETDB_VERSION}"
    info = json.loads(run(["go", "mod", "download", "-json", module], timeout=900))
    FERRETDB_HOME.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="backendgen-ferretdb-") as tmp:
        source = Path(tmp) / "src"
        # The module cache is read-only; the copy is not.
        shutil.copytree(info["Dir"], source)
        for path in source.rglob("*"):
            path.chmod(path.stat().st_mode | 0o200)
        (source / "build" / "version" / "version.txt").write_text(FERRETDB_VERSION + "\n")
        partial = FERRETDB_BINARY.with_suffix(f".{os.getpid()}.tmp")
        build = ["go", "-C", str(source), "build", "-trimpath", "-o", str(partial)]
        run([*build, "./cmd/ferretdb"], timeout=900)
        partial.replace(FERRETDB_BINARY)


def start(run: Run, log_file: str) -> str:
    """Build the server if needed, then run it in the background on its SQLite backend."""
    if not FERRETDB_BINARY.is_file():
        build(run)
    FERRETDB_DATA.mkdir(parents=True, exist_ok=True)
    Path(log_file).parent.mkdir(parents=True, exist_ok=True)
    options = [
        "--handler=sqlite",
        f"--sqlite-url=file:{FERRETDB_DATA}/",
        f"--state-dir={FERRETDB_DATA}",
        f"--listen-addr={HOST}:{FERRETDB_PORT}",
        "--telemetry=disable",
        "--log-level=warn",
    ]
    daemon = ["start-stop-daemon", "--start", "--background", "--make-pidfile"]
    where = ["--pidfile", PID_FILE, "--output", log_file, "--startas", str(FERRETDB_BINARY)]
    return run([*daemon, *where, "--", *options], check=False)
