"""Atomic writes: a failure or Ctrl-C at any point leaves the disk as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator import output
from generator.errors import GenerationError
from tests.conftest import snapshot

FILES = {f"dir{i}/file{j}.txt": b"x" * 10 for i in range(3) for j in range(5)}


def failing_after(count: int, exc: BaseException) -> Callable[[Path, bytes], int]:
    real = Path.write_bytes
    calls = {"n": 0}

    def write_bytes(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] > count:
            raise exc
        return real(self, data)

    return write_bytes


@pytest.mark.parametrize("exc", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_interrupted_write_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    monkeypatch.setattr(Path, "write_bytes", failing_after(7, exc))
    target = tmp_path / "deep" / "er" / "shop"
    with pytest.raises((GenerationError, KeyboardInterrupt)):
        output.write_tree(FILES, set(), target, force=False)
    assert snapshot(tmp_path) == []


def test_forced_write_keeps_the_old_tree_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "shop"
    target.mkdir()
    (target / "mine.txt").write_text("precious")
    before = snapshot(tmp_path)
    monkeypatch.setattr(Path, "write_bytes", failing_after(3, KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        output.write_tree(FILES, set(), target, force=True)
    assert snapshot(tmp_path) == before


def test_complete_write_and_modes(tmp_path: Path) -> None:
    target = tmp_path / "shop"
    output.write_tree(
        {"bin/run.sh": b"#!/bin/sh\n", "a.txt": b"a"}, {"bin/run.sh"}, target, force=False
    )
    assert (target / "a.txt").read_bytes() == b"a"
    assert (target / "bin" / "run.sh").stat().st_mode & 0o111
    assert [p.name for p in tmp_path.iterdir()] == ["shop"]
