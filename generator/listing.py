"""`backendgen list`: the catalog for people (a table) and for machines (JSON)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from generator.catalog import Catalog


def catalog_json(catalog: Catalog) -> dict[str, Any]:
    return {
        "axes": {
            axis.id: {
                "flag": axis.flag,
                "question": axis.question,
                "default": axis.default,
                "switch": axis.switch,
                "choices": {
                    c.id: {
                        "label": c.label,
                        "status": c.status,
                        "summary": c.summary,
                        "requires": {k: list(v) for k, v in c.requires.items()},
                    }
                    for c in axis.choices.values()
                },
            }
            for axis in catalog.axes.values()
        },
        "rules": [
            {
                "id": r.id,
                "when": {k: list(v) for k, v in r.when.items()},
                "reason": r.reason,
                "fix": r.fix,
            }
            for r in catalog.rules
        ],
    }


def print_catalog(console: Console, catalog: Catalog) -> None:
    table = Table(title="backendgen choices", show_lines=False)
    for column in ("flag", "value", "choice", "status"):
        table.add_column(column)
    for axis in catalog.axes.values():
        for i, choice in enumerate(axis.choices.values()):
            value = "" if axis.switch else choice.id
            default = value == axis.default
            status = choice.status + (" (default)" if default else "")
            table.add_row(axis.flag if i == 0 else "", value, choice.label, status)
    console.print(table)
    console.print("Rules:", markup=False)
    for rule in catalog.rules:
        console.print(f"  {rule.id}: {rule.message()}", markup=False)
