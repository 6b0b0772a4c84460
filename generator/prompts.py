"""Interactive questions (questionary): only compatible choices can be picked."""

from __future__ import annotations

from collections.abc import Callable

import questionary

from generator.answers import PLANNED, Option
from generator.catalog import Axis, Value
from generator.errors import BackendgenError


def _answered(value: object) -> object:
    if value is None:  # questionary returns None on Ctrl-C
        raise KeyboardInterrupt
    return value


class QuestionaryPrompter:
    def ask_name(self, default: str, check: Callable[[str], object]) -> str:
        def validate(text: str) -> bool | str:
            try:
                check(text)
            except BackendgenError as exc:
                return str(exc)
            return True

        return str(
            _answered(questionary.text("Project name?", default=default, validate=validate).ask())
        )

    def settled(self, axis: Axis, value: Value, options: list[Option]) -> None:
        """Show the answer and what is planned, so the catalog stays visible."""
        chosen = next(o.label for o in options if o.value == value)
        planned = [o.label for o in options if o.disabled == PLANNED]
        note = f"  (planned: {', '.join(planned)})" if planned else ""
        questionary.print(f"✔ {axis.question} {chosen}{note}", style="fg:ansibrightblack")

    def ask(self, axis: Axis, options: list[Option], default: Value) -> Value:
        if axis.switch:
            return bool(_answered(questionary.confirm(axis.question, default=bool(default)).ask()))
        choices = [
            questionary.Choice(title=o.label, value=o.value, disabled=o.disabled) for o in options
        ]
        picked = questionary.select(axis.question, choices=choices, default=str(default)).ask()
        return str(_answered(picked))
