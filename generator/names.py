"""Project names: what is allowed, and the package and title forms derived from them."""

from __future__ import annotations

import re
import sys

from generator.catalog import Catalog
from generator.errors import BadInput

MAX_LENGTH = 64
_ALLOWED = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def slug(name: str) -> str:
    """The identifier form used for packages, modules and database names."""
    return re.sub(r"[-_]+", "_", name).lower()


def title(name: str) -> str:
    return " ".join(part.capitalize() for part in re.split(r"[-_]+", name) if part)


def check(name: str, catalog: Catalog, language: str) -> str:
    """Return `name` if a project may carry it, else raise BadInput naming the fix."""
    fix = "pick a name such as 'shop' or 'orders-api'"
    if not name or not name.strip():
        raise BadInput(f"The project name is empty: {fix}.")
    if len(name) > MAX_LENGTH:
        raise BadInput(f"The project name is {len(name)} characters long: keep it to {MAX_LENGTH}.")
    if name in (".", "..") or "/" in name or "\\" in name:
        raise BadInput(
            f"The project name {name!r} is a path: give a plain name, "
            "and choose the folder with --output-dir."
        )
    if name[0].isdigit() or name[0] in "-_":
        raise BadInput(f"The project name {name!r} must start with a letter: {fix}.")
    if not _ALLOWED.fullmatch(name):
        raise BadInput(
            f"The project name {name!r} may hold only letters, digits, '-' and '_': {fix}."
        )
    ident = slug(name)
    if ident in catalog.reserved.get(language, frozenset()) or name in catalog.reserved.get(
        language, frozenset()
    ):
        raise BadInput(f"The project name {name!r} is a reserved word in {language}: {fix}.")
    ecosystem = catalog.ecosystem(language)
    for package in catalog.versions.get(ecosystem, {}).values():
        if ident in package.imports:
            raise BadInput(
                f"The project name {name!r} would shadow the {package.name} package it "
                f"depends on: {fix}."
            )
    if ecosystem == "python" and ident in sys.stdlib_module_names:
        raise BadInput(
            f"The project name {name!r} would shadow Python's standard module {ident}: {fix}."
        )
    return name
