"""Write a rendered project atomically: the whole tree appears at once, or nothing does."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from generator.errors import BadInput, GenerationError


def check_target(target: Path, force: bool) -> None:
    """Refuse to touch a file, or a non-empty folder without --force, before any work."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise BadInput(f"{target} exists and is not a folder: pick another name or --output-dir.")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise BadInput(
            f"{target} exists and is not empty: pick another name or --output-dir, "
            "or pass --force to replace it."
        )


def _nearest_existing(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path


def write_tree(
    files: Mapping[str, bytes], executables: set[str], target: Path, force: bool
) -> None:
    """Stage every file beside the target, then move the staged tree into place.

    Staging lives on the same filesystem, so the final step is a rename. Any failure,
    Ctrl-C included, removes the staging folder and any parents this call created.
    """
    target = target.absolute()
    check_target(target, force)
    anchor = _nearest_existing(target.parent)
    staging = Path(tempfile.mkdtemp(prefix=".backendgen-", dir=anchor))
    created_parents: list[Path] = []
    old: Path | None = None
    try:
        tree = staging / "project"
        for rel, data in files.items():
            path = tree / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            if rel in executables:
                path.chmod(0o755)
        tree.mkdir(exist_ok=True)
        parent = target.parent
        while not parent.exists():
            created_parents.append(parent)
            parent = parent.parent
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir() and any(target.iterdir()):
            old = staging / "previous"
            os.rename(target, old)
        try:
            os.rename(tree, target)
        except BaseException:
            if old is not None:
                os.rename(old, target)
                old = None
            raise
    except OSError as exc:
        _undo(staging, created_parents)
        raise GenerationError(f"Could not write {target}: {exc.strerror or exc}.") from exc
    except BaseException:
        _undo(staging, created_parents)
        raise
    shutil.rmtree(staging, ignore_errors=True)


def _undo(staging: Path, created_parents: list[Path]) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    for parent in created_parents:  # deepest first
        try:
            parent.rmdir()
        except OSError:
            break
