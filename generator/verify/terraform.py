"""Static checks of generated Terraform, where `terraform validate` cannot run.

Validation needs the providers, which cannot be downloaded here. These checks catch what
composing one configuration from several fragments gets wrong (names declared twice,
references to nothing), and checkov judges what the configuration sets up; every
deliberate exception is a `#checkov:skip=ID: reason` comment in the .tf file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from generator.resources import tool, user_cache

# checkov runs in an environment of its own (`uv tool run`): its pins (packaging<24, an
# old boto3) cannot share one with the test extra. Pinned here, installed on first use.
CHECKOV = "checkov==3.3.30"
# `#checkov:skip=CKV_AWS_1:reason` in a .tf file; a skip must say why.
_CHECKOV_SKIP = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?")
_MIN_REASON = 20


# References an expression can make: var.x, local.x, data.t.x, ephemeral.t.x, t.x.
_REFERENCE = re.compile(
    r"(?<![\w.])(?:(var|local)\.(\w+)|(data|ephemeral)\.(\w+)\.(\w+)|([a-z][a-z0-9]*_\w+)\.(\w+))"
)


def _blocks(module: Mapping[str, Any], kind: str) -> Iterator[str]:
    """Addresses declared by one parsed file: `var.x`, `local.x`, `aws_vpc.main`, …

    python-hcl2 keeps block labels quoted (`"aws_vpc"`), attribute names bare.
    """
    for block in module.get(kind, []):
        if kind == "locals":
            yield from (f"local.{name}" for name in block if not name.startswith("__"))
        elif kind == "variable":
            yield from ("var." + _label(name) for name in block)
        else:
            prefix = "" if kind == "resource" else f"{kind}."
            for type_, named in block.items():
                yield from (f"{prefix}{_label(type_)}.{_label(name)}" for name in named)


def _label(name: str) -> str:
    return name.strip('"')


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key != "__comments__":
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def references(modules: Mapping[str, Any]) -> list[str]:
    """Names declared twice, and references to names that no file of the module declares."""
    found: list[str] = []
    where: dict[str, list[str]] = {}  # address -> the files that declare it
    for path, module in modules.items():
        for kind in ("variable", "locals", "resource", "data", "ephemeral"):
            for address in _blocks(module, kind):
                where.setdefault(address, []).append(path)
    found += [
        f"{', '.join(paths)}: {address} is declared {len(paths)} times"
        for address, paths in where.items()
        if len(paths) > 1
    ]
    declared = set(where)
    # A provider's resource types start with its name: aws_vpc.main is a reference.
    providers = _providers(modules) or {name.split("_")[0] for name in declared}
    for path, module in modules.items():
        missing: set[str] = set()
        for text in _strings(module):
            for match in _REFERENCE.finditer(text):
                kind, name, data_kind, data_type, data_name, type_, resource = match.groups()
                if kind:
                    address = f"{kind}.{name}"
                elif data_kind:
                    address = f"{data_kind}.{data_type}.{data_name}"
                elif type_.split("_")[0] in providers:
                    address = f"{type_}.{resource}"
                else:
                    continue
                if address not in declared:
                    missing.add(address)
        found += [f"{path}: {address} is not declared" for address in sorted(missing)]
    return found


def _providers(modules: Mapping[str, Any]) -> set[str]:
    names: set[str] = set()
    for module in modules.values():
        for block in module.get("terraform", []):
            for providers in block.get("required_providers", []):
                names.update(_label(k) for k in providers if not k.startswith("__"))
    return names


def skip_reasons(path: str, text: str) -> list[str]:
    return [
        f"{path}: checkov:skip={match[1]} gives no reason"
        for match in _CHECKOV_SKIP.finditer(text)
        if len((match[2] or "").strip()) < _MIN_REASON
    ]


def checkov(directory: str, files: Mapping[str, bytes], framework: str = "terraform") -> list[str]:
    """checkov on one Terraform module: every failed check, unless a comment skips it.

    Severities are not known offline, so any failed check counts. One run per module
    (checkov takes seconds to start); results are cached by content on disk. Another
    `framework` (kubernetes) judges other files the same way.
    """
    digest = hashlib.sha256(CHECKOV.encode())
    if framework != "terraform":  # Terraform's cache keys predate the parameter
        digest.update(framework.encode() + b"\0")
    for path, data in sorted(files.items()):
        digest.update(path.encode() + b"\0" + data + b"\0")
    folder = user_cache("checkov")
    cached = folder / f"{digest.hexdigest()}.json" if folder else None
    if cached is not None and cached.is_file():
        try:
            return list(json.loads(cached.read_text()))
        except (OSError, ValueError):
            pass  # unreadable: run checkov again and rewrite it
    uv = tool("uv")
    if uv is None:
        return [f"{directory}: checkov needs uv to run (pip install uv)"]
    with tempfile.TemporaryDirectory(prefix="backendgen-checkov-") as tmp:
        for path, data in files.items():
            (Path(tmp) / PurePosixPath(path).name).write_bytes(data)
        proc = subprocess.run(
            [
                uv,
                "tool",
                "run",
                "--quiet",
                "--from",
                CHECKOV,
                "checkov",
                "--directory",
                tmp,
                "--framework",
                framework,
                "--skip-download",
                "--compact",
                "--quiet",
                "--output",
                "json",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return [f"{directory}: checkov did not run: {' '.join(tail)}"]
    reports = report if isinstance(report, list) else [report]
    found = []
    for part in reports:
        if part.get("summary", {}).get("parsing_errors"):
            found.append(f"{directory}: checkov could not parse every file")
        for check in part.get("results", {}).get("failed_checks", []):
            where = f"{directory}/{check['file_path'].lstrip('/')}"
            found.append(
                f"{where}: checkov {check['check_id']} on {check['resource']}: "
                f"{check['check_name']}"
            )
    if cached is not None:
        # Written aside, then renamed: a concurrent run never reads half a file.
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(found))
        partial.replace(cached)
    return found


def parse(text: str) -> Any:
    """HCL2 by python-hcl2 (a test dependency); its parse errors become ValueError."""
    import hcl2
    from lark.exceptions import LarkError

    try:
        return hcl2.loads(text)
    except LarkError as exc:
        raise ValueError(str(exc).strip().splitlines()[0]) from exc
