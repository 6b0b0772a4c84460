"""Static checks of generated Terraform, where `terraform validate` cannot run.

Validation needs the providers, which cannot be downloaded here. These checks catch what
composing one configuration from several fragments gets wrong (names declared twice,
references to nothing, a module called with the wrong inputs), and checkov
(`checkov.py`) judges what the configuration sets up; every deliberate exception is a
`#checkov:skip=ID: reason` comment in the .tf file.

Each folder of .tf files is a scope of its own: a local module (`modules/<name>/`, called
with `source = "./modules/<name>"`) declares its own variables, locals and resources, and
its caller sees only `module.<call>.<output>`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from typing import Any

# `#checkov:skip=CKV_AWS_1:reason` in a .tf file; a skip must say why.
_CHECKOV_SKIP = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?")
_MIN_REASON = 20


# References an expression can make: var.x, local.x, data.t.x, ephemeral.t.x,
# module.x (with its output, module.x.y), t.x.
_REFERENCE = re.compile(
    r"(?<![\w.])(?:(var|local)\.(\w+)|(data|ephemeral)\.(\w+)\.(\w+)|module\.(\w+)(?:\.(\w+))?"
    r"|([a-z][a-z0-9]*_\w+)\.(\w+))"
)
# What a module block sets that is not one of the module's variables.
_META_ARGUMENTS = frozenset({"source", "version", "providers", "depends_on", "count", "for_each"})


@dataclass(frozen=True)
class Interface:
    """What a local module's caller may pass and read."""

    required: frozenset[str]  # variables without a default
    optional: frozenset[str]  # variables with one
    outputs: frozenset[str]


def _blocks(module: Mapping[str, Any], kind: str) -> Iterator[str]:
    """Addresses declared by one parsed file: `var.x`, `local.x`, `aws_vpc.main`, …

    python-hcl2 keeps block labels quoted (`"aws_vpc"`), attribute names bare.
    """
    for block in module.get(kind, []):
        if kind == "locals":
            yield from (f"local.{name}" for name in block if not name.startswith("__"))
        elif kind in ("variable", "module"):
            prefix = "var" if kind == "variable" else kind
            yield from (f"{prefix}.{_label(name)}" for name in block)
        else:
            prefix = "" if kind == "resource" else f"{kind}."
            for type_, named in block.items():
                yield from (f"{prefix}{_label(type_)}.{_label(name)}" for name in named)


def _named(module: Mapping[str, Any], kind: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(label, body) of each `variable`, `output` or `module` block of one parsed file."""
    for block in module.get(kind, []):
        for name, body in block.items():
            yield _label(name), body


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


def interface(modules: Mapping[str, Any]) -> Interface:
    """The variables and outputs the parsed files of one module folder declare."""
    required: set[str] = set()
    optional: set[str] = set()
    outputs: set[str] = set()
    for module in modules.values():
        for name, body in _named(module, "variable"):
            (optional if "default" in body else required).add(name)
        outputs.update(name for name, _ in _named(module, "output"))
    return Interface(frozenset(required), frozenset(optional), frozenset(outputs))


def local_source(folder: str, source: str) -> str | None:
    """The folder a module block's `source` names, when it is a local path."""
    source = _label(source)
    if not source.startswith(("./", "../")):
        return None  # a registry or git module: nothing here to check it against
    parts: list[str] = [] if folder in ("", ".") else folder.split("/")
    for part in source.split("/"):
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def configuration(parsed: Mapping[str, Any]) -> list[str]:
    """Every reference problem of a project's .tf files (path -> parsed), folder by folder.

    Each folder is checked as a scope of its own, and each of its calls of a local module
    against the variables and outputs of the folder it names.
    """
    folders: dict[str, dict[str, Any]] = {}
    for path, module in parsed.items():
        folders.setdefault(str(PurePosixPath(path).parent), {})[path] = module
    interfaces = {folder: interface(modules) for folder, modules in folders.items()}
    found: list[str] = []
    for folder, modules in sorted(folders.items()):
        called: dict[str, Interface] = {}
        for path, module in modules.items():
            for name, body in _named(module, "module"):
                target = local_source(folder, str(body.get("source", "")))
                if target is None:
                    continue
                if target not in interfaces:
                    found.append(f"{path}: module.{name} calls {target}, which holds no .tf file")
                    continue
                called[name] = interfaces[target]
                found += [f"{path}: module.{name} {p}" for p in calls(body, interfaces[target])]
        found += references(modules, called)
    return found


def calls(body: Mapping[str, Any], callee: Interface) -> list[str]:
    """What is wrong with the arguments of one module block, given the module it calls."""
    given = {k for k in body if not k.startswith("__") and k not in _META_ARGUMENTS}
    found = [
        f"does not set {name}, which has no default" for name in sorted(callee.required - given)
    ]
    declared = callee.required | callee.optional
    found += [
        f"sets {name}, which the module does not declare" for name in sorted(given - declared)
    ]
    return found


def references(
    modules: Mapping[str, Any], called: Mapping[str, Interface] | None = None
) -> list[str]:
    """Names declared twice, and references to names that no file of the module declares.

    `called` gives the interface of each local module the files call by name: a reference
    to one of its outputs must name an output it declares.
    """
    called = called or {}
    found: list[str] = []
    where: dict[str, list[str]] = {}  # address -> the files that declare it
    for path, module in modules.items():
        for kind in ("variable", "locals", "resource", "data", "ephemeral", "module"):
            for address in _blocks(module, kind):
                where.setdefault(address, []).append(path)
    found += [
        f"{', '.join(paths)}: {address} is declared {len(paths)} times"
        for address, paths in where.items()
        if len(paths) > 1
    ]
    declared = set(where)
    # A provider's resource types start with its name: aws_vpc.main is a reference.
    providers = _providers(modules) or {
        name.split("_")[0]
        for name in declared
        if not name.startswith(("var.", "local.", "module."))
    }
    for path, module in modules.items():
        missing: set[str] = set()
        outputs: set[str] = set()  # module.x.y where module x declares no output y
        for text in _strings(module):
            for match in _REFERENCE.finditer(text):
                kind, name, data_kind, data_type, data_name, call, output, type_, resource = (
                    match.groups()
                )
                if kind:
                    address = f"{kind}.{name}"
                elif data_kind:
                    address = f"{data_kind}.{data_type}.{data_name}"
                elif call:
                    address = f"module.{call}"
                    if output and call in called and output not in called[call].outputs:
                        outputs.add(f"{address}.{output}")
                elif type_.split("_")[0] in providers:
                    address = f"{type_}.{resource}"
                else:
                    continue
                if address not in declared:
                    missing.add(address)
        found += [f"{path}: {address} is not declared" for address in sorted(missing)]
        found += [
            f"{path}: {address} is not an output of the module" for address in sorted(outputs)
        ]
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
    """The project's Terraform configurations, one per outermost folder of .tf files.

    Each takes the folders of .tf files below it along (the local modules it calls,
    `./modules/<name>/`), so that checkov follows each module call into the module's
    resources instead of judging the module alone, without its inputs.
    """
    folders: dict[str, dict[str, bytes]] = {}
    for path, data in files.items():
        if path.endswith(".tf"):
            folders.setdefault(str(PurePosixPath(path).parent), {})[path] = data
    roots: dict[str, dict[str, bytes]] = {}
    for folder in sorted(folders):
        outer = next((r for r in roots if PurePosixPath(folder).is_relative_to(r)), None)
        roots.setdefault(outer or folder, {}).update(folders[folder])
    return sorted(roots.items())


def parse(text: str) -> Any:
    """HCL2 by python-hcl2 (a test dependency); its parse errors become ValueError.

    Most combinations share most of their .tf files word for word (about 95% in the
    render tier), and parsing is most of a static check's time, so each distinct text
    is parsed once; every caller gets a copy of its own.
    """
    return copy.deepcopy(_parse_once(text))


@cache
def _parse_once(text: str) -> Any:
    import hcl2
    from lark.exceptions import LarkError

    try:
        return hcl2.loads(text)
    except LarkError as exc:
        raise ValueError(str(exc).strip().splitlines()[0]) from exc
