"""End-to-end tier: the covering set of combinations, installed and proven against real servers.

Selected with `-m e2e`. CI's set (`make test`): every framework on every database with no
add-on (on its first database only where another framework's proves its database code),
and every framework once with every add-on at once (on one database each, the frameworks
spread over the databases). `make test-full` (BACKENDGEN_E2E=full) has every
add-on at once on every database, every add-on alone on each framework's default
database, and more until every pair of choices is seen together: the set `backendgen
verify` proves with a progress display (`backendgen verify --all` proves every valid
combination).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.catalog import default_catalog
from generator.verify.matrix import Combination, covering
from generator.verify.runner import prove

pytestmark = pytest.mark.e2e

FULL = os.environ.get("BACKENDGEN_E2E") == "full"


@pytest.mark.parametrize("combo", covering(default_catalog(), alone=FULL), ids=lambda c: c.id)
def test_combination_end_to_end(
    combo: Combination, tmp_path_factory: pytest.TempPathFactory
) -> None:
    workdir: Path = tmp_path_factory.mktemp("e2e")
    result = prove(combo, workdir)
    steps = ", ".join(
        f"{s.name} {'ok' if s.ok else 'FAILED'} {s.seconds:.1f}s" for s in result.steps
    )
    assert result.ok, f"{combo.id}: {steps}\n{result.failure()}"
    assert [s.name for s in result.steps][-1] == "conformance"
