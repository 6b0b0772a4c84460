"""What `backendgen new` prints when it is done: the tree, the next commands, the replay."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.tree import Tree

from generator.plan import Plan

NEXT_COMMANDS = ("make install", "make test", "make run")


def _tree(root_label: str, paths: list[str]) -> Tree:
    tree = Tree(root_label)
    nodes: dict[str, Tree] = {"": tree}
    for path in paths:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            if key not in nodes:
                label = parts[depth - 1] + ("/" if depth < len(parts) else "")
                nodes[key] = nodes["/".join(parts[: depth - 1])].add(label)
    return tree


def print_summary(console: Console, plan: Plan, target: Path, *, dry_run: bool) -> None:
    paths = plan.paths()
    verb = "Would create" if dry_run else "Created"
    console.print(_tree(f"{verb} {target} ({len(paths)} files)", paths), markup=False)
    if not dry_run:
        console.print("\nNext:", markup=False)
        console.print(f"  cd {target}", markup=False)
        for command in NEXT_COMMANDS:
            console.print(f"  {command}", markup=False)
    console.print("\nReproduce this project with:", markup=False)
    console.print(f"  {plan.context['command']}", markup=False)
