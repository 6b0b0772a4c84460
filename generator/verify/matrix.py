"""The combinations to prove, computed from the catalog's rules (never listed by hand)."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.answers import Answers, options, violation
from generator.catalog import Catalog, Value
from generator.errors import BadInput
from generator.resources import TEMPLATES_DIR

PROJECT_NAME = "shop"
# Axes whose choice shapes the id of a combination even when it is the default.
_ALWAYS_NAMED = ("framework", "database")
# Axes whose choices are servers the harness must run (choice id = service name).
SERVICE_AXES = ("database", "cache", "search", "queue", "storage")
EMBEDDED = ("none", "sqlite", "h2")  # choices of those axes that run inside the app
# Add-on axes that extend the HTTP contract (tests/conformance/<axis>_contract.py).
FEATURE_AXES = ("cache", "search", "queue", "storage", "cdn")
# Axes that only add deployment files (a cloud's Terraform, Kubernetes manifests): proven by
# static checks on every combination, so the end-to-end set keeps them at their defaults.
STATIC_AXES = ("cloud", "kubernetes")


@dataclass(frozen=True)
class Combination:
    choices: dict[str, Value]
    # False when the language is not the one the framework gets by default (Express in
    # JavaScript): the id names it then (`express-javascript-sqlite`).
    default_language: bool = True

    @property
    def id(self) -> str:
        parts = [str(self.choices[a]) for a in _ALWAYS_NAMED]
        if not self.default_language:
            parts.insert(1, str(self.choices["language"]))
        for axis_id, value in self.choices.items():
            if axis_id in _ALWAYS_NAMED or axis_id in ("language", "package_manager", "api"):
                continue
            if value in ("none", False):
                continue
            parts.append(axis_id if value is True else str(value))
        return "-".join(parts)

    def answers(self, name: str = PROJECT_NAME) -> Answers:
        return Answers(name=name, choices=dict(self.choices))

    def services(self) -> list[str]:
        """Real servers the combination talks to, by catalog choice id (SQLite, H2 embedded)."""
        return [
            str(self.choices[axis])
            for axis in SERVICE_AXES
            if axis in self.choices and self.choices[axis] not in EMBEDDED
        ]

    def features(self) -> list[str]:
        """The add-on axes in use; each has its part of the conformance suite."""
        return [a for a in FEATURE_AXES if self.choices.get(a) not in (None, "none", False)]


def default_languages(catalog: Catalog) -> dict[str, Value]:
    """The language each framework gets when none is asked for: the first that fits."""
    axis = catalog.axis("language")
    result = {}
    for fw in catalog.axis("framework").values():
        fitting = [o.value for o in options(catalog, axis, {"framework": fw}) if not o.disabled]
        if fitting:
            result[str(fw)] = axis.default if axis.default in fitting else fitting[0]
    return result


def all_valid(catalog: Catalog) -> list[Combination]:
    """Every combination of verified choices that no requirement or rule forbids."""
    axes = list(catalog.axes.values())
    per_axis: list[list[Value]] = [[v for v in a.values() if a.choice(v).verified] for a in axes]
    defaults = default_languages(catalog)
    result = []
    for values in itertools.product(*per_axis):
        choices = {a.id: v for a, v in zip(axes, values, strict=True)}
        if violation(catalog, choices) is None:
            default = defaults.get(str(choices["framework"])) == choices["language"]
            result.append(Combination(choices, default))
    return result


def parse_filters(catalog: Catalog, filters: Iterable[str]) -> dict[str, set[str]]:
    """`--only database=postgresql` style filters, checked against the catalog."""
    wanted: dict[str, set[str]] = {}
    for item in filters:
        axis_id, sep, value = item.partition("=")
        if not sep or axis_id not in catalog.axes:
            raise BadInput(
                f"--only {item!r} is not AXIS=VALUE: use e.g. --only database=postgresql "
                f"(axes: {', '.join(catalog.axes)})."
            )
        wanted.setdefault(axis_id, set()).add(value.lower())
    return wanted


def select(combos: Sequence[Combination], wanted: dict[str, set[str]]) -> list[Combination]:
    def shown(v: Value) -> str:
        return str(v).lower()

    return [c for c in combos if all(shown(c.choices[a]) in vs for a, vs in wanted.items())]


def _pairs(combo: Combination, axes: Sequence[str]) -> set[tuple[str, str, str, str]]:
    values = [(a, str(combo.choices[a])) for a in axes]
    return {(a, v, b, w) for i, (a, v) in enumerate(values) for (b, w) in values[i + 1 :]}


def deployment_defaults(catalog: Catalog, valid: Sequence[Combination]) -> list[Combination]:
    """One combination per set of other choices, its deployment-only axes at their defaults.

    When a rule forbids those defaults, the valid deployment choices closest to them (the
    most axes at their defaults, the first in catalog order among equals) stand in, so an
    add-on that needs a cloud (the CDN) is still proven: the app runs locally either way.
    """

    def at_default(combo: Combination) -> int:
        return sum(combo.choices[a] == catalog.axis(a).default for a in STATIC_AXES)

    picked: dict[tuple[tuple[str, str], ...], Combination] = {}
    for combo in valid:
        key = tuple((a, str(v)) for a, v in combo.choices.items() if a not in STATIC_AXES)
        if key not in picked or at_default(combo) > at_default(picked[key]):
            picked[key] = combo
    return list(picked.values())


def _stack(combo: Combination) -> tuple[str, str]:
    return str(combo.choices["framework"]), str(combo.choices["language"])


def _database_layers(catalog: Catalog, framework: str) -> frozenset[str]:
    """The framework's layers that hold database code (a `database-<choice>/` fragment)."""
    return frozenset(
        layer
        for layer in catalog.framework(framework).templates
        if any((TEMPLATES_DIR / layer).glob("database-*"))
    )


def covering(catalog: Catalog, alone: bool = True) -> list[Combination]:
    """The end-to-end set: fewer combinations than all, yet every interaction is exercised.

    Always: every framework on every database with no add-on. With `alone` (the whole
    covering set), every framework on every database with the most add-ons it can have
    there at once, and every add-on alone on each framework's default database; then,
    greedily, more combinations until every pair of choices of two different axes occurs
    somewhere (pairwise coverage), so no two choices are only ever seen apart. Without
    (CI's set), the bare combinations only on the first database of a stack whose
    database code another stack proves, and every framework once with the most add-ons
    it can have at all, on one database per framework, taken in turn so that the
    frameworks spread over the databases, and nothing more. Deployment-only axes (the
    cloud, Kubernetes) stay at their defaults, their files being checked statically,
    except where a rule forbids the default (a CDN needs a cloud).
    """
    combos = deployment_defaults(catalog, all_valid(catalog))
    addon_axes = [a for a in catalog.axes if a in FEATURE_AXES]
    varying = [
        a
        for a in catalog.axes
        if a not in STATIC_AXES and len({str(c.choices[a]) for c in combos}) > 1
    ]

    def addons(combo: Combination) -> dict[str, bool]:
        return {a: combo.choices[a] not in ("none", False) for a in addon_axes}

    def count(combo: Combination) -> int:
        return sum(addons(combo).values())

    chosen: list[Combination] = []
    taken: Counter[Value] = Counter()  # databases of CI's every-add-on picks so far
    # A framework in each of its languages is a stack of its own (Express in TypeScript,
    # Express in JavaScript): each is proven on every database and with every add-on.
    # CI proves a stack bare on its first database only when its database code is
    # another's, which CI proves on each database: a language translated from another
    # (JavaScript, from TypeScript), or a framework whose every layer with database code
    # an earlier framework has too (Fastify and NestJS on Express's `node/`, Flask on
    # FastAPI's `python-sqlalchemy/`).
    proven_layers: set[str] = set()
    for fw in dict.fromkeys(_stack(c) for c in combos):
        of_fw = [c for c in combos if _stack(c) == fw]
        layers = _database_layers(catalog, fw[0])
        translated = (
            catalog.axis("language").choice(fw[1]).source_from is not None
            or layers <= proven_layers
        )
        proven_layers |= layers
        fullest: list[Combination] = []
        for db in dict.fromkeys(str(c.choices["database"]) for c in of_fw):
            on_db = [c for c in of_fw if c.choices["database"] == db]
            if alone or not translated or not fullest:
                chosen += [c for c in on_db if not count(c)][:1]
            fullest.append(max(on_db, key=count))
        if not alone:
            # The database least taken so far among those with the most add-ons (the first
            # in catalog order among equals), so the frameworks spread over the databases.
            most = max(count(c) for c in fullest)
            if not most:
                continue  # no add-on yet: its bare combinations above are all there is
            pick = min(
                (c for c in fullest if count(c) == most),
                key=lambda c: taken[c.choices["database"]],
            )
            taken[pick.choices["database"]] += 1
            chosen.append(pick)
            continue
        chosen += fullest
        default_db = catalog.axis("database").default
        for axis in addon_axes:
            by_itself = [
                c
                for c in of_fw
                if c.choices["database"] == default_db
                and [k for k, on in addons(c).items() if on] == [axis]
            ]
            chosen += by_itself[:1]
    chosen = list({c.id: c for c in chosen}.values())

    if not alone:
        return chosen  # CI's set: what each stack's issue asks to be proven, no more
    uncovered = set().union(*(_pairs(c, varying) for c in combos))
    for combo in chosen:
        uncovered -= _pairs(combo, varying)
    while uncovered:
        best = max(combos, key=lambda c: len(_pairs(c, varying) & uncovered))
        chosen.append(best)
        uncovered -= _pairs(best, varying)
    return chosen
