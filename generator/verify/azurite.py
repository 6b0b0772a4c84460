"""An Azure Blob Storage server for the harness: Azurite, Microsoft's emulator, from npm.

Azurite (MIT) serves the Blob REST API that Azure's SDKs speak, with shared-key and SAS
authentication; it is installed once under /var/cache/backendgen and run in memory.
It checks each request's API version against the newest it knows and refuses newer
ones, which the current Python SDK sends, so it runs with `--skipApiVersionCheck`, as
Microsoft documents for SDKs that are ahead of the emulator.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

# services._run: runs a command (no shell), returns what it printed; raises on failure
# unless given check=False.
Run = Callable[..., str]

HOST = "127.0.0.1"
AZURITE_VERSION = "3.37.0"
AZURITE_PORT = 10000
AZURITE_HOME = Path("/var/cache/backendgen/azurite") / AZURITE_VERSION
AZURITE_BLOB = AZURITE_HOME / "node_modules" / ".bin" / "azurite-blob"
PID_FILE = "/run/backendgen-azurite.pid"
# The harness's own account on a server that listens on localhost only, like moto's keys.
ACCOUNT = "backendgen"
ACCOUNT_KEY = base64.b64encode(b"backendgen harness, local only.").decode()
ACCOUNT_URL = f"http://{HOST}:{AZURITE_PORT}/{ACCOUNT}"
CONNECTION_STRING = (
    f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
    f"BlobEndpoint={ACCOUNT_URL};"
)


def install(run: Run) -> None:
    AZURITE_HOME.mkdir(parents=True, exist_ok=True)
    npm = ["npm", "install", "--prefix", str(AZURITE_HOME), "--no-audit", "--no-fund"]
    run([*npm, "--save-exact", f"azurite@{AZURITE_VERSION}"], timeout=900)


def start(run: Run, log_file: str) -> str:
    """Install Azurite if needed, then run its Blob service in the background, in memory."""
    if not AZURITE_BLOB.is_file():
        install(run)
    Path(log_file).parent.mkdir(parents=True, exist_ok=True)
    options = [
        f"--blobHost={HOST}",
        f"--blobPort={AZURITE_PORT}",
        "--inMemoryPersistence",
        "--skipApiVersionCheck",
        "--disableTelemetry",
        "--silent",
    ]
    daemon = ["start-stop-daemon", "--start", "--background", "--make-pidfile"]
    where = ["--pidfile", PID_FILE, "--output", log_file, "--startas", "/usr/bin/env"]
    accounts = f"AZURITE_ACCOUNTS={ACCOUNT}:{ACCOUNT_KEY}"
    return run([*daemon, *where, "--", accounts, str(AZURITE_BLOB), *options], check=False)
