"""Errors users can act on, each mapped to the exit code the CLI returns."""

from __future__ import annotations

from collections.abc import Sequence


class BackendgenError(Exception):
    """An expected failure: printed as one sentence, never as a traceback."""

    exit_code = 1


class BadInput(BackendgenError):
    """The user asked for something invalid; the message names the fix."""

    exit_code = 2


class PlannedChoice(BadInput):
    """A choice the catalog declares but does not offer yet."""


class IncompatibleChoice(BadInput):
    """A catalog rule forbids the combination; `rule_id` names which one."""

    def __init__(self, message: str, rule_id: str) -> None:
        super().__init__(message)
        self.rule_id = rule_id


class CatalogError(BackendgenError):
    """stacks.yaml breaks its schema: a bug in the tool, not the user's input."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("the catalog is invalid: " + "; ".join(self.problems))


class GenerationError(BackendgenError):
    """Rendering or writing failed; nothing was left on disk."""
