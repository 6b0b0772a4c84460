"""Compatibility while answering: rules fire on partial answers and name themselves."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from generator.answers import Option, options, resolve, violation
from generator.catalog import Axis, Catalog, Value, parse
from generator.errors import BadInput, IncompatibleChoice, PlannedChoice
from generator.resources import CATALOG_PATH


def catalog_with(
    verified: list[tuple[str, str]], planned: list[tuple[str, str]] | None = None
) -> Catalog:
    """The shipped catalog with some choices marked verified or planned (no template check)."""
    data: dict[str, Any] = copy.deepcopy(yaml.safe_load(CATALOG_PATH.read_text()))
    for statuses, status in ((verified, "verified"), (planned or [], "planned")):
        for axis, choice in statuses:
            data["axes"][axis]["choices"][choice]["status"] = status
    return parse(data, templates_dir=None)


# A choice these tests treat as planned, whatever the shipped catalog says of it.
PLANNED_DATABASE = [("database", "mongodb")]


class Scripted:
    """A prompter that picks scripted values and records what it was offered."""

    def __init__(self, picks: dict[str, Value]) -> None:
        self.picks = picks
        self.offered: dict[str, list[Option]] = {}

        self.settled_for_user: dict[str, Value] = {}

    def ask(self, axis: Axis, opts: list[Option], default: Value) -> Value:
        self.offered[axis.id] = opts
        return self.picks.get(axis.id, default)

    def settled(self, axis: Axis, value: Value, options: list[Option]) -> None:
        self.settled_for_user[axis.id] = value


def test_language_follows_from_the_framework_without_asking() -> None:
    catalog = catalog_with([])
    prompter = Scripted({"database": "postgresql", "cache": "redis", "search": "none"})
    answers = resolve(
        catalog, "shop", {"framework": "fastapi"}, prompter=prompter, use_defaults=False
    )
    assert answers["language"] == "python" and answers["package_manager"] == "pip"
    assert "language" not in prompter.offered and "package_manager" not in prompter.offered
    # Settled for the user, and shown with the planned alternatives.
    assert prompter.settled_for_user["language"] == "python"
    assert prompter.settled_for_user["notifications"] == "none"
    assert (answers["database"], answers["cache"]) == ("postgresql", "redis")


def test_prompts_offer_only_compatible_choices_and_say_why() -> None:
    catalog = catalog_with([("cloud", "aws"), ("cdn", "on")], planned=PLANNED_DATABASE)
    prompter = Scripted({"cloud": "none"})
    resolve(catalog, "shop", {"framework": "fastapi"}, prompter=prompter, use_defaults=False)
    cdn = {o.value: o.disabled for o in prompter.offered.get("cdn", [])}
    # With cloud=none the CDN cannot be picked, so the question is settled without asking.
    assert cdn == {} or cdn[True] is not None
    planned = {o.value: o.disabled for o in prompter.offered["database"]}
    assert planned["mongodb"] == "planned, not available yet"
    assert planned["postgresql"] is None


def test_a_rule_names_itself_when_flags_break_it() -> None:
    catalog = catalog_with([("cloud", "aws"), ("cdn", "on")])
    with pytest.raises(IncompatibleChoice) as err:
        resolve(catalog, "shop", {"cdn": True, "cloud": "none"}, prompter=None, use_defaults=True)
    assert err.value.rule_id == "cdn-needs-cloud"
    assert (
        str(err.value)
        == "A CDN needs a cloud to live in: pick --cloud aws|gcp|azure, or drop --cdn."
    )


def test_a_requirement_names_itself() -> None:
    catalog = catalog_with([("language", "go")])
    with pytest.raises(IncompatibleChoice) as err:
        resolve(
            catalog,
            "shop",
            {"framework": "fastapi", "language": "go"},
            prompter=None,
            use_defaults=True,
        )
    assert err.value.rule_id == "requires:framework.fastapi"
    assert "pick --language python" in str(err.value)


def test_rules_judge_partial_answers() -> None:
    catalog = catalog_with([("cloud", "aws"), ("cdn", "on")])
    assert violation(catalog, {"cdn": True}) is None  # cloud not answered yet
    broken = violation(catalog, {"cdn": True, "cloud": "none"})
    assert broken is not None and broken.rule_id == "cdn-needs-cloud"
    opts = {o.value: o.disabled for o in options(catalog, catalog.axis("cloud"), {"cdn": True})}
    assert opts["none"] is not None and opts["aws"] is None


def test_defaults_skip_incompatible_defaults() -> None:
    catalog = catalog_with([("cloud", "aws"), ("cdn", "on")])
    answers = resolve(catalog, "shop", {"cdn": True}, prompter=None, use_defaults=True)
    assert answers["cloud"] == "aws"


def test_planned_choice_is_refused_by_name() -> None:
    with pytest.raises(PlannedChoice, match="MongoDB is planned"):
        resolve(
            catalog_with([], planned=PLANNED_DATABASE),
            "shop",
            {"database": "mongodb"},
            prompter=None,
            use_defaults=True,
        )


def test_unknown_axis_is_bad_input() -> None:
    with pytest.raises(BadInput, match="Unknown question 'colour'"):
        resolve(catalog_with([]), "shop", {"colour": "red"}, prompter=None, use_defaults=True)


def test_the_kubernetes_switch_is_asked_and_answered_like_the_cdn() -> None:
    catalog = catalog_with([])
    prompter = Scripted({"kubernetes": True})
    answers = resolve(
        catalog, "shop", {"framework": "fastapi"}, prompter=prompter, use_defaults=False
    )
    assert answers["kubernetes"] is True
    offered = {o.value: o.disabled for o in prompter.offered["kubernetes"]}
    assert offered == {False: None, True: None}  # fits every cloud, none included
    assert catalog.axis("kubernetes").question == "Add Kubernetes manifests?"
    defaults = resolve(catalog, "shop", {}, prompter=None, use_defaults=True)
    assert defaults["kubernetes"] is False


def test_express_offers_both_languages_typescript_first() -> None:
    catalog = catalog_with([])
    prompter = Scripted({})
    answers = resolve(
        catalog, "shop", {"framework": "express"}, prompter=prompter, use_defaults=False
    )
    offered = prompter.offered["language"]
    assert [o.value for o in offered if not o.disabled] == ["typescript", "javascript"]
    assert answers["language"] == "typescript"
    defaults = resolve(catalog, "shop", {"framework": "express"}, prompter=None, use_defaults=True)
    assert defaults["language"] == "typescript"


def test_fastify_is_not_offered_javascript() -> None:
    catalog = catalog_with([])
    fastify = [o for o in options(catalog, catalog.axis("language"), {"framework": "fastify"})]
    disabled = {str(o.value): o.disabled for o in fastify}
    assert disabled["typescript"] is None
    assert "pick --language typescript" in str(disabled["javascript"])
