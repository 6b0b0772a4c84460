"""Shared fixtures: a CLI runner and a snapshot of a folder to prove nothing was written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from generator.catalog import default_catalog


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def snapshot(folder: Path) -> list[tuple[str, int]]:
    """Every path below `folder` with its size: equal snapshots mean an untouched disk."""
    return sorted(
        (str(p.relative_to(folder)), p.stat().st_size if p.is_file() else -1)
        for p in folder.rglob("*")
    )


_NODE_LINT = "test_generated_node_passes_its_own_linter"
_LEFT_TO_E2E = pytest.StashKey[list[str]]()


def _combo_id(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    combo = callspec.params.get("combo") if callspec else None
    return getattr(combo, "id", None)


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected what they deselect
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A run with the end-to-end tier lints each of its combinations there (`make lint`):
    the render tier's lint of the same project is left to it, except each framework's
    default project, which the render tier lints under the longest project name."""
    proven = {_combo_id(i) for i in items if i.get_closest_marker("e2e")} - {None}
    if not proven:
        return
    defaults = {
        f"{framework}-{default_catalog().axis('database').default}"
        for framework in default_catalog().axis("framework").choices
    }
    left = [
        i
        for i in items
        if getattr(i, "originalname", "") == _NODE_LINT and _combo_id(i) in proven - defaults
    ]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = [i for i in items if i not in left]
        config.stash[_LEFT_TO_E2E] = [str(_combo_id(i)) for i in left]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    left = config.stash.get(_LEFT_TO_E2E, [])
    if left:
        terminalreporter.write_line(
            f"{len(left)} Node lint runs of the render tier were left to the end-to-end "
            f"tier, which lints the same projects: {', '.join(left)}"
        )
