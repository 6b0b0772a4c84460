"""`backendgen verify`: run the matrix with a progress display and publish the results."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from generator import __version__
from generator.catalog import default_catalog
from generator.errors import BadInput
from generator.project import render
from generator.verify import static
from generator.verify.matrix import all_valid, covering, parse_filters, select
from generator.verify.runner import CONFORMANCE_SUITE, Result, check_static, prove

STEPS = ("generate", "static", "install", "lint", "services", "test", "conformance")


def _cell(result: Result, name: str) -> str:
    step = next((s for s in result.steps if s.name == name), None)
    if step is None:
        return "-"
    return f"{'ok' if step.ok else 'FAIL'} {step.seconds:.1f}s"


def _embedded(result: Result) -> str:
    database = "H2" if result.combination.choices.get("database") == "h2" else "SQLite"
    return f"embedded only ({database}, in-process)"


def _count(result: Result, name: str) -> str:
    """The closing line of a test step that passed, e.g. "58 passed in 1.4s"."""
    step = next((s for s in result.steps if s.name == name and s.ok), None)
    return step.detail.strip("= ") if step else ""


def kept_rows(report: Path, ids: Iterable[str]) -> dict[str, str]:
    """The rows of an earlier report that passed, by combination id, for `ids` only."""
    wanted = set(ids)
    rows: dict[str, str] = {}
    if report.is_file():
        for line in report.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) > 2 and cells[0] in wanted and cells[1] == "passed":
                rows[cells[0]] = line
    return rows


def report_markdown(
    results: list[Result], valid: int, kept: Mapping[str, str] | None = None
) -> str:
    """The results table; `kept` rows (by combination id) of an earlier run come first."""
    kept = {k: v for k, v in (kept or {}).items() if k not in {r.combination.id for r in results}}
    lines = [
        "# Verification results",
        "",
        f"Written by `backendgen verify` (backendgen {__version__}) on "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.",
        "",
        "Each row is one combination: generated, statically checked, installed with its own",
        "`make install`, linted with `make lint`, tested with `make test` against the real",
        "servers named in the last column, then started with `make run` (and `make worker`",
        "with a queue) and checked over HTTP by the conformance suite (`tests/conformance/`).",
        "",
        f"All {valid} valid combinations of verified choices, deployment files included",
        "(Terraform parsed and cross-checked, Kubernetes manifests built and validated, both",
        "passed through checkov), are rendered and",
        "statically checked by the render tier of `make test`; the rows below are the",
        "end-to-end set (see the README for how it is chosen).",
        *(
            ["", f"{len(kept)} rows were kept from an earlier run (`verify --keep-others`)."]
            if kept
            else []
        ),
        "",
        "| combination | result | "
        + " | ".join(STEPS)
        + " | project tests | conformance checks | proven against |",
        "|---|---|" + "---|" * (len(STEPS) + 3),
        *kept.values(),
    ]
    for r in results:
        steps = " | ".join(_cell(r, s) for s in STEPS)
        result = "passed" if r.ok else "FAILED"
        lines.append(
            f"| {r.combination.id} | {result} | {steps} "
            f"| {_count(r, 'test')} | {_count(r, 'conformance')} "
            f"| {'<br>'.join(r.servers) or _embedded(r)} |"
        )
    for r in results:
        if not r.ok:
            lines += ["", f"## {r.combination.id} failed", "", "```", r.failure(), "```"]
    return "\n".join(lines) + "\n"


def _table(results: list[Result]) -> Table:
    table = Table(title="backendgen verify")
    table.add_column("combination", overflow="fold")  # long ids wrap; the figures never do
    for column in ("result", "install", "test", "conformance", "total"):
        table.add_column(column, no_wrap=True)
    for r in results:
        result = "passed" if r.ok else f"FAILED at {r.steps[-1].name}"
        timings = (_cell(r, s) for s in ("install", "test", "conformance"))
        total = sum(s.seconds for s in r.steps)
        table.add_row(r.combination.id, result, *timings, f"{total:.0f}s")
    return table


def run_verify(
    console: Console,
    only: list[str],
    report: Path,
    *,
    static_only: bool,
    every: bool,
    ci: bool = False,
    keep_others: bool = False,
) -> bool:
    """Static-only checks every valid combination; proving runs the covering set, CI's
    part of it, or all."""
    catalog = default_catalog()
    if every and ci:
        raise BadInput("--all and --ci name different sets: pick one of them.")
    pool = all_valid(catalog) if every or static_only else covering(catalog, alone=not ci)
    combos = select(pool, parse_filters(catalog, only))
    if not combos:
        raise BadInput("No verified combination matches --only: see `backendgen list`.")
    if static_only:
        static.prefetch(render(c.answers())[1] for c in combos)  # checkov in a few runs
        bad = {c.id: check_static(c) for c in combos}
        for combo_id, found in bad.items():
            console.print(f"{'ok  ' if not found else 'FAIL'} {combo_id}", markup=False)
            for problem in found:
                console.print(f"     {problem}", markup=False)
        return not any(bad.values())
    if not CONFORMANCE_SUITE.is_file():
        raise BadInput(
            "verify needs the conformance suite of a source checkout: clone backendgen, "
            "`pip install -e .` there, and run verify from it."
        )
    results: list[Result] = []
    with (
        tempfile.TemporaryDirectory(prefix="backendgen-verify-") as tmp,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress,
    ):
        overall = progress.add_task(f"{len(combos)} combinations", total=len(combos))
        for combo in combos:
            task = progress.add_task(combo.id, total=None)

            def show(step: str, task: TaskID = task, combo_id: str = combo.id) -> None:
                progress.update(task, description=f"{combo_id}: {step}")

            results.append(prove(combo, Path(tmp), show))
            progress.remove_task(task)
            progress.advance(overall)
    console.print(_table(results))
    for r in results:
        if not r.ok:
            console.print(f"\n{r.combination.id}: {r.failure()}", markup=False)
    # A row stays while its combination is still in the set it was proven for.
    still = {c.id for c in pool} | ({c.id for c in covering(catalog)} if ci else set())
    kept = kept_rows(report, still) if keep_others else {}
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(report_markdown(results, len(all_valid(catalog)), kept), encoding="utf-8")
    console.print(f"\nResults written to {report}", markup=False)
    return all(r.ok for r in results)
