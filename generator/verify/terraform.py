"""Static checks of generated Terraform, where `terraform validate` cannot run.

Validation needs the providers, which cannot be downloaded here. These checks catch what
composing one configuration from several fragments gets wrong (names declared twice,
references to nothing), and checkov (`checkov.py`) judges what the configuration sets
up; every deliberate exception is a `#checkov:skip=ID: reason` comment in the .tf file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any

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


def checkov_modules(files: Mapping[str, bytes]) -> list[tuple[str, dict[str, bytes]]]:
    """The project's Terraform modules, one per folder of .tf files, for checkov."""
    folders: dict[str, dict[str, bytes]] = {}
    for path, data in files.items():
        if path.endswith(".tf"):
            folders.setdefault(str(PurePosixPath(path).parent), {})[path] = data
    return sorted(folders.items())


def parse(text: str) -> Any:
    """HCL2 by python-hcl2 (a test dependency); its parse errors become ValueError."""
    import hcl2
    from lark.exceptions import LarkError

    try:
        return hcl2.loads(text)
    except LarkError as exc:
        raise ValueError(str(exc).strip().splitlines()[0]) from exc
