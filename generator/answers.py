"""Turn flags, a stack file and prompt answers into one complete, valid set of choices.

Compatibility is judged on partial answers too, so prompts can offer only the choices
that still fit and explain the rest, instead of failing after the last question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from generator.catalog import Axis, Catalog, Value
from generator.errors import BadInput, IncompatibleChoice, PlannedChoice

PLANNED = "planned, not available yet"


@dataclass(frozen=True)
class Violation:
    rule_id: str
    message: str


@dataclass(frozen=True)
class Option:
    value: Value
    label: str
    disabled: str | None = None  # why it cannot be picked now


@dataclass(frozen=True)
class Answers:
    """A complete, valid selection: one value per catalog axis, in catalog order."""

    name: str
    choices: Mapping[str, Value]
    description: str = ""

    def __getitem__(self, axis_id: str) -> Value:
        return self.choices[axis_id]


class Prompter(Protocol):
    def ask(self, axis: Axis, options: list[Option], default: Value) -> Value: ...

    def settled(self, axis: Axis, value: Value, options: list[Option]) -> None:
        """Tell the user about a question answered for them (one choice fits, others planned)."""


def _shown(value: Value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def violation(catalog: Catalog, partial: Mapping[str, Value]) -> Violation | None:
    """The first requirement or rule that the (possibly partial) answers break."""
    for axis_id, value in partial.items():
        axis = catalog.axis(axis_id)
        choice = axis.choice(value)
        for other, allowed in choice.requires.items():
            if other in partial and partial[other] not in allowed:
                other_flag = catalog.axis(other).flag
                return Violation(
                    f"requires:{axis_id}.{choice.id}",
                    f"{choice.label} needs {other_flag} {'|'.join(allowed)}, not "
                    f"{_shown(partial[other])}: pick {other_flag} {'|'.join(allowed)}, "
                    f"or another {axis.flag}.",
                )
    for rule in catalog.rules:
        if all(
            axis_id in partial and partial[axis_id] in values
            for axis_id, values in rule.when.items()
        ):
            return Violation(rule.id, rule.message())
    return None


def options(catalog: Catalog, axis: Axis, partial: Mapping[str, Value]) -> list[Option]:
    """Every value of `axis`, each marked with why it is unavailable given `partial`."""
    result = []
    for value in axis.values():
        choice = axis.choice(value)
        broken = violation(catalog, {**partial, axis.id: value})
        disabled = broken.message if broken else None
        if disabled is None and not choice.verified:
            disabled = PLANNED
        result.append(Option(value, choice.label, disabled))
    return result


def check_value(catalog: Catalog, axis_id: str, raw: object) -> Value:
    """Parse one given answer (flag or stack file), refusing unknown and planned choices."""
    if axis_id not in catalog.axes:
        known = ", ".join(catalog.axes)
        raise BadInput(f"Unknown question {axis_id!r}: use one of {known}.")
    axis = catalog.axis(axis_id)
    if axis.switch:
        if not isinstance(raw, bool):
            raise BadInput(f"{axis.flag} is a switch: give true or false, not {raw!r}.")
        value: Value = raw
    else:
        value = str(raw).strip().lower()
        if value not in axis.choices:
            verified = "|".join(v for v, c in axis.choices.items() if c.verified)
            raise BadInput(
                f"Unknown {axis.flag} {raw!r}: pick {axis.flag} {verified} (see `backendgen list`)."
            )
    choice = axis.choice(value)
    if not choice.verified:
        verified = "|".join(_shown(o.value) for o in options(catalog, axis, {}) if not o.disabled)
        fix = f"drop {axis.flag}" if axis.switch else f"pick {axis.flag} {verified}"
        raise PlannedChoice(f"{choice.label} is planned but not available yet: {fix}.")
    return value


def resolve(
    catalog: Catalog,
    name: str,
    given: Mapping[str, object],
    *,
    prompter: Prompter | None,
    use_defaults: bool,
    description: str = "",
) -> Answers:
    """Complete `given` from the prompter (or the defaults) and validate the whole.

    Axes with a single compatible choice are settled without asking (the language
    follows from the framework). Without a prompter and without `use_defaults`, an
    open question is an error that names the flag.
    """
    partial: dict[str, Value] = {a: check_value(catalog, a, v) for a, v in given.items()}
    broken = violation(catalog, partial)
    if broken:
        raise IncompatibleChoice(broken.message, broken.rule_id)

    for axis in catalog.axes.values():
        if axis.id in partial:
            continue
        opts = options(catalog, axis, partial)
        open_ = [o for o in opts if not o.disabled]
        if not open_:
            first = next(o for o in opts if o.value == axis.default)
            raise BadInput(f"No available {axis.flag} fits these answers: {first.disabled}")
        default = axis.default if any(o.value == axis.default for o in open_) else open_[0].value
        if len(open_) == 1 or use_defaults:
            partial[axis.id] = open_[0].value if len(open_) == 1 else default
            if prompter is not None and len(open_) < len(opts):
                prompter.settled(axis, partial[axis.id], opts)
        elif prompter is None:
            raise BadInput(
                f"{axis.question} is not answered and there is no terminal to ask: "
                f"pass {axis.flag}, or --yes to take the defaults."
            )
        else:
            partial[axis.id] = prompter.ask(axis, opts, default)
        broken = violation(catalog, partial)
        if broken:  # a prompter returned a disabled option
            raise IncompatibleChoice(broken.message, broken.rule_id)

    ordered = {axis_id: partial[axis_id] for axis_id in catalog.axes}
    return Answers(name=name, choices=ordered, description=description)


def command_line(answers: Answers, catalog: Catalog) -> str:
    """The one-line command that reproduces exactly these answers."""
    import shlex

    parts = ["backendgen", "new", shlex.quote(answers.name)]
    for axis_id, value in answers.choices.items():
        axis = catalog.axis(axis_id)
        if axis.switch:
            if value:
                parts.append(axis.flag)
        else:
            parts += [axis.flag, str(value)]
    if answers.description:
        parts += ["--description", shlex.quote(answers.description)]
    parts.append("--yes")
    return " ".join(parts)
