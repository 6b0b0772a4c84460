"""Shared fixtures: a CLI runner and a snapshot of a folder to prove nothing was written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def snapshot(folder: Path) -> list[tuple[str, int]]:
    """Every path below `folder` with its size: equal snapshots mean an untouched disk."""
    return sorted(
        (str(p.relative_to(folder)), p.stat().st_size if p.is_file() else -1)
        for p in folder.rglob("*")
    )
