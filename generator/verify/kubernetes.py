"""Static checks of generated Kubernetes manifests, where no cluster can be reached.

A kustomization is checked for what composing it from several fragments gets wrong: a
file it names that is missing, a manifest of its folder that it does not name. Each
manifest is validated against the Kubernetes OpenAPI schemas (kubernetes-validate ships
them, so this works offline), then `kustomize build` composes the whole, whose output is
validated again (the patches included) and judged by checkov. Every deliberate checkov
exception is a `checkov.io/skipN: CKV_K8S_N=reason` annotation on the resource.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from generator.resources import tool
from generator.verify import checkov

KUSTOMIZATION = "kustomization.yaml"
# The oldest Kubernetes the manifests promise to run on (the generated README says so),
# and the newest whose schemas kubernetes-validate ships: a field missing from either
# fails the check.
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")
# An env file that kustomize reads and the user writes: committed as `<name>.example`.
EXAMPLE_SUFFIX = ".example"
# checkov.io/skip1: CKV_K8S_43=reason
_SKIP = re.compile(r"checkov\.io/skip\d+$")
_SKIP_VALUE = re.compile(r"(CKV2?_K8S_\d+)(?:=(.*))?$")
_MIN_REASON = 20
# libyaml's loader and dumper where PyYAML was built with them: the same documents, sooner.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# A folder's files as a hashable value: the combinations of a render tier share most
# kustomizations byte for byte, so each distinct one is checked and built once.
Folder = tuple[tuple[str, bytes], ...]


def kustomizations(files: Mapping[str, bytes]) -> list[str]:
    """The folders of the rendered project that hold a kustomization."""
    return sorted(
        str(PurePosixPath(path).parent)
        for path in files
        if PurePosixPath(path).name == KUSTOMIZATION
    )


def problems(directory: str, files: Mapping[str, bytes]) -> list[str]:
    """Every problem of the kustomization in `directory`, among the project's `files`."""
    return list(_problems(directory, _folder(directory, files)))


@cache
def _problems(directory: str, folder: Folder) -> tuple[str, ...]:
    found = _unbuilt_problems(directory, dict(folder))
    if found:
        return found  # building would only repeat the same problems
    built = _build(directory, folder)
    if isinstance(built, str):
        return (built,)
    for document in built:
        found += tuple(f"{directory} (kustomize build): {p}" for p in validate(document))
    (verdict,) = checkov.judge("kubernetes", [_checkov_module(directory, built)])
    return found + tuple(verdict)


def _unbuilt_problems(directory: str, mine: Mapping[str, bytes]) -> tuple[str, ...]:
    """What is wrong with the folder's files themselves, before kustomize composes them."""
    try:
        spec = yaml.load(mine[KUSTOMIZATION], Loader=_LOADER)
    except yaml.YAMLError as exc:
        return (f"{directory}/{KUSTOMIZATION}: does not parse: {exc}",)
    if not isinstance(spec, dict):
        return (f"{directory}/{KUSTOMIZATION}: is not a mapping",)
    found = _named_files(directory, spec, mine)
    for name in spec.get("resources", []):
        if name in mine:
            found += _validate_file(f"{directory}/{name}", mine[name])
    for name, data in mine.items():
        if name.endswith((".yaml", ".yml")):
            found += skip_reasons(f"{directory}/{name}", data)
    return tuple(found)


def checkov_modules(files: Mapping[str, bytes]) -> list[checkov.Module]:
    """The project's kustomize builds, one per kustomization that builds, for checkov."""
    modules = []
    for directory in kustomizations(files):
        folder = _folder(directory, files)
        built = _build(directory, folder) if KUSTOMIZATION in dict(folder) else "missing"
        if not isinstance(built, str):
            modules.append(_checkov_module(directory, built))
    return modules


def _checkov_module(directory: str, built: Sequence[Any]) -> checkov.Module:
    output = yaml.dump_all(built, Dumper=_DUMPER, sort_keys=False).encode()
    return directory, {f"{directory}/kustomize-build.yaml": output}


def _folder(directory: str, files: Mapping[str, bytes]) -> Folder:
    """The files directly in `directory`, by name, in name order."""
    return tuple(
        sorted(
            (PurePosixPath(path).name, data)
            for path, data in files.items()
            if PurePosixPath(path).parent == PurePosixPath(directory)
        )
    )


def _named_files(directory: str, spec: Mapping[str, Any], mine: Mapping[str, bytes]) -> list[str]:
    """Files the kustomization names that are missing, and manifests it does not name."""
    where = f"{directory}/{KUSTOMIZATION}"
    named: set[str] = set()
    found = []
    for name in _references(spec):
        named.add(name)
        if name in mine:
            continue
        if name in _user_written(spec) and name + EXAMPLE_SUFFIX in mine:
            if not _ignored(name, mine.get(".gitignore", b"")):
                found.append(f"{where}: {name} is written by the user but not git-ignored")
            named.add(name + EXAMPLE_SUFFIX)
            continue
        found.append(f"{where}: names {name}, which does not exist")
    manifests = [n for n in mine if n.endswith((".yaml", ".yml", ".env")) and n != KUSTOMIZATION]
    found += [
        f"{directory}/{n}: not named by {KUSTOMIZATION}"
        for n in sorted(manifests)
        if n not in named
    ]
    return found


def _references(spec: Mapping[str, Any]) -> Iterator[str]:
    yield from spec.get("resources", [])
    for patch in spec.get("patches", []):
        if "path" in patch:
            yield patch["path"]
    for kind in ("configMapGenerator", "secretGenerator"):
        for generator in spec.get(kind, []):
            yield from generator.get("envs", [])
            # `files:` entries may be `key=path`.
            yield from (item.rpartition("=")[2] for item in generator.get("files", []))


def _user_written(spec: Mapping[str, Any]) -> set[str]:
    """Env files of secret generators: the user writes them, the project commits an example."""
    generators = spec.get("secretGenerator", [])
    return {name for generator in generators for name in generator.get("envs", [])}


def _ignored(name: str, gitignore: bytes) -> bool:
    lines = {line.strip() for line in gitignore.decode("utf-8", "replace").splitlines()}
    return name in lines or f"/{name}" in lines


def _validate_file(path: str, data: bytes) -> list[str]:
    try:
        documents = [d for d in yaml.load_all(data, Loader=_LOADER) if d is not None]
    except yaml.YAMLError as exc:
        return [f"{path}: does not parse: {exc}"]
    if not documents:
        return [f"{path}: holds no manifest"]
    return [f"{path}: {problem}" for document in documents for problem in validate(document)]


def validate(document: Any) -> list[str]:
    """Schema problems of one manifest, for every Kubernetes version the project supports.

    Strict: a field the schema does not know (a misspelt one) is an error too.
    """
    if not isinstance(document, dict) or "kind" not in document or "apiVersion" not in document:
        return ["not a Kubernetes object (no apiVersion and kind)"]
    name = f"{document['kind']} {(document.get('metadata') or {}).get('name', '?')}"
    found = []
    for version in KUBERNETES_VERSIONS:
        validator = _validator(version, str(document["kind"]), str(document["apiVersion"]))
        if validator is None:
            found.append(f"{name}: no schema for {document['apiVersion']} in Kubernetes {version}")
            continue
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path)):
            at = "/".join(str(p) for p in error.absolute_path) or "(root)"
            found.append(f"{name}: Kubernetes {version} schema: {at}: {error.message}")
    return found


@cache
def _definitions(version: str) -> Any:
    return _schema_file(version, "_definitions.json")


@cache
def _validator(version: str, kind: str, api_version: str) -> Any:
    """The strict JSON schema of one kind, from the files kubernetes-validate ships.

    Loaded once per kind and version: the shared definitions alone are over a megabyte.
    """
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    # apps/v1 -> apps-v1, networking.k8s.io/v1 -> networking-v1, v1 -> v1
    group = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    try:
        schema = _schema_file(version, f"{kind.lower()}-{group}.json")
    except FileNotFoundError:
        return None
    # Both files carry their `$id`; the kind's schema refers to the definitions by it.
    registry: Registry[Any] = Registry().with_contents(
        [(s["$id"], s) for s in (schema, _definitions(version))],
        default_specification=DRAFT202012,
    )
    return jsonschema.Draft202012Validator(schema, registry=registry)


def _schema_file(version: str, name: str) -> Any:
    from importlib.resources import files

    folder = files("kubernetes_validate") / "kubernetes-json-schema" / f"v{version}-local-strict"
    return json.loads((folder / name).read_text(encoding="utf-8"))


def skip_reasons(path: str, data: bytes) -> list[str]:
    """Every checkov skip annotation must name a check and say why, in 20 characters or more."""
    found = []
    try:
        documents = list(yaml.load_all(data, Loader=_LOADER))
    except yaml.YAMLError:
        return []  # reported by the parse check
    for document in documents:
        if not isinstance(document, dict):
            continue
        annotations = (document.get("metadata") or {}).get("annotations") or {}
        for key, value in annotations.items():
            if not _SKIP.fullmatch(str(key)):
                continue
            match = _SKIP_VALUE.match(str(value))
            if match is None:
                found.append(f"{path}: {key} does not name a check (CKV_K8S_N=reason)")
            elif len((match[2] or "").strip()) < _MIN_REASON:
                found.append(f"{path}: {key}={match[1]} gives no reason")
    return found


def build(directory: str, files: Mapping[str, bytes]) -> list[Any] | str:
    """`kustomize build` of the folder's files: the objects it outputs, or what went wrong.

    An env file that the user writes is stood in for by its committed example.
    """
    built = _build(directory, tuple(sorted(files.items())))
    return built if isinstance(built, str) else list(built)


@cache
def _build(directory: str, folder: Folder) -> tuple[Any, ...] | str:
    files = dict(folder)
    binary = tool("kustomize")
    if binary is None:
        return f"{directory}: kustomize is not installed (`make install` builds it with Go)"
    with tempfile.TemporaryDirectory(prefix="backendgen-kustomize-") as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
            if name.endswith(EXAMPLE_SUFFIX) and name[: -len(EXAMPLE_SUFFIX)] not in files:
                (Path(tmp) / name[: -len(EXAMPLE_SUFFIX)]).write_bytes(data)
        proc = subprocess.run([binary, "build", tmp], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        message = " ".join(proc.stderr.strip().splitlines()[-3:]).replace(tmp, directory)
        return f"{directory}: kustomize build failed: {message}"
    return tuple(d for d in yaml.load_all(proc.stdout, Loader=_LOADER) if d is not None)
