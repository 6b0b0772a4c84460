"""checkov over many modules at once, its verdicts cached by content.

checkov takes seconds to start and fractions of a second per module, and the render
tier asks about hundreds of modules (one per cloud per combination): so the modules it
has not judged yet are laid out side by side, one folder each, and judged in one run.
A folder's verdict does not depend on its neighbours (each folder is a root module of
its own); the tests compare a batched verdict with a lone one. Each module's files keep
their paths below its folder, so the local modules it calls (`./modules/<name>/`) are
where its module blocks say, and checkov judges their resources with the inputs given.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from generator.resources import tool, user_cache

# checkov runs in an environment of its own (`uv tool run`): its pins (packaging<24, an
# old boto3) cannot share one with the test extra. Pinned here, installed on first use.
CHECKOV = "checkov==3.3.30"
BATCH = 48  # modules per checkov run: a bounded run, and a progress point for the caller

# One module to judge: the folder it sits in (for messages) and its files by path.
Module = tuple[str, Mapping[str, bytes]]


def _relative(directory: str, path: str) -> str:
    """Where a module's file sits below its folder (`main.tf`, `modules/vm/main.tf`).

    A file given from elsewhere sits at the top, by its name.
    """
    file = PurePosixPath(path)
    return str(file.relative_to(directory)) if file.is_relative_to(directory) else file.name


def _key(framework: str, module: Module) -> str:
    directory, files = module
    digest = hashlib.sha256(f"{CHECKOV}\0{framework}\0".encode())
    for path, data in sorted(files.items()):
        digest.update(_relative(directory, path).encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def _cached(folder: Path | None, key: str) -> list[str] | None:
    if folder is None or not (folder / f"{key}.json").is_file():
        return None
    try:
        return list(json.loads((folder / f"{key}.json").read_text()))
    except (OSError, ValueError):
        return None  # unreadable: judge it again and rewrite it


def _store(folder: Path | None, key: str, found: list[str]) -> None:
    if folder is None:
        return
    # Written aside, then renamed: a concurrent run never reads half a file.
    partial = folder / f"{key}.{os.getpid()}.tmp"
    partial.write_text(json.dumps(found))
    partial.replace(folder / f"{key}.json")


def judge(framework: str, modules: Sequence[Module]) -> list[list[str]]:
    """Every failed check of each module (empty when it passed), in the order given.

    Severities are not known offline, so any failed check counts; a check a module skips
    with a `checkov:skip` comment (or annotation) is not failed.
    """
    folder = user_cache("checkov")
    keys = [_key(framework, module) for module in modules]
    verdicts: dict[str, list[str]] = {}
    todo: dict[str, Module] = {}
    for key, module in zip(keys, modules, strict=True):
        cached = _cached(folder, key)
        if cached is None:
            todo[key] = module
        else:
            verdicts[key] = cached
    pending = list(todo.items())
    for start in range(0, len(pending), BATCH):
        batch = dict(pending[start : start + BATCH])
        for key, found in _run(framework, batch).items():
            verdicts[key] = found
            _store(folder, key, found)
    return [verdicts[key] for key in keys]


def _run(framework: str, batch: Mapping[str, Module]) -> dict[str, list[str]]:
    """One checkov run over `batch` (key -> module); the problems of each module by key."""
    uv = tool("uv")
    if uv is None:
        return {
            key: [f"{directory}: checkov needs uv to run (pip install uv)"]
            for key, (directory, _) in batch.items()
        }
    with tempfile.TemporaryDirectory(prefix="backendgen-checkov-") as tmp:
        for key, (directory, files) in batch.items():
            for path, data in files.items():
                target = Path(tmp) / key / _relative(directory, path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        command = [uv, "tool", "run", "--quiet", "--from", CHECKOV, "checkov"]
        options = ["--directory", tmp, "--framework", framework, "--skip-download"]
        output = ["--compact", "--quiet", "--output", "json"]
        proc = subprocess.run(
            [*command, *options, *output], capture_output=True, text=True, check=False
        )
    found: dict[str, list[str]] = {key: [] for key in batch}
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        tail = " ".join((proc.stderr or proc.stdout).strip().splitlines()[-3:])
        return {key: [f"{d}: checkov did not run: {tail}"] for key, (d, _) in batch.items()}
    for part in report if isinstance(report, list) else [report]:
        for path in part.get("results", {}).get("parsing_errors", []):
            # The folder of the module is the first part of the path that names one.
            owner = [k for k in PurePosixPath(path).parts if k in batch][:1]
            for where in owner or list(batch):
                found[where].append(f"{batch[where][0]}: checkov could not parse {path}")
        for check in part.get("results", {}).get("failed_checks", []):
            key, _, name = check["file_path"].lstrip("/").partition("/")
            directory = batch[key][0]
            found[key].append(
                f"{directory}/{name}: checkov {check['check_id']} on {check['resource']}: "
                f"{check['check_name']}"
            )
    return {key: sorted(problems) for key, problems in found.items()}
