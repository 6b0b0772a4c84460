"""The one generation pipeline shared by the CLI, the tests and the benchmarks.

answers -> plan (fragments and files, decided up front) -> render in memory -> atomic write.
"""

from __future__ import annotations

from pathlib import Path

from generator.answers import Answers
from generator.catalog import Catalog, default_catalog
from generator.plan import Plan, make_plan


def render(answers: Answers, catalog: Catalog | None = None) -> tuple[Plan, dict[str, bytes]]:
    from generator.render import render_plan

    plan = make_plan(catalog or default_catalog(), answers)
    return plan, render_plan(plan)


def generate(
    answers: Answers, target: Path, *, force: bool = False, catalog: Catalog | None = None
) -> Plan:
    from generator.output import check_target, write_tree

    check_target(target.absolute(), force)  # fail before rendering anything
    plan, files = render(answers, catalog)
    write_tree(files, plan.executables(), target, force)
    return plan
