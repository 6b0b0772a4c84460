"""Load `stacks.yaml` into typed objects and check it against its schema.

The catalog is the single declaration of every choice; everything else (flags, prompts,
rules, docs, the verification matrix) reads it through this module.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from generator.errors import CatalogError
from generator.resources import CATALOG_PATH, TEMPLATES_DIR

STATUSES = ("verified", "planned")
Value = str | bool

_TOP_KEYS = {"schema", "axes", "rules", "versions", "reserved"}
_AXIS_KEYS = {"question", "flag", "default", "choices", "switch"}
_CHOICE_KEYS = {
    "label",
    "status",
    "summary",
    "requires",
    "templates",
    "ecosystem",
    "in_base",
    "from",
}
_RULE_KEYS = {"id", "when", "reason", "fix"}
_PACKAGE_KEYS = {"version", "imports", "managed_by"}


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    status: str
    summary: str = ""
    requires: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The template folders a framework's project is built from, shared layers first:
    # `[node, node-express-http, node-express]` is what every Node framework shares, then
    # what the frameworks on Express's HTTP layer share, then Express's own.
    templates: tuple[str, ...] = ()
    ecosystem: str | None = None
    in_base: bool = False  # realised by every framework's base fragment, not a fragment of its own
    # A language whose project is another's with the types removed (`from: typescript`):
    # its templates are that language's, and each rendered source file is translated.
    source_from: str | None = None

    @property
    def verified(self) -> bool:
        return self.status == "verified"


@dataclass(frozen=True)
class Axis:
    """One question. A switch axis answers True/False; its "on" choice carries the status."""

    id: str
    question: str
    flag: str
    default: Value
    choices: Mapping[str, Choice]
    switch: bool = False

    def values(self) -> list[Value]:
        return [False, True] if self.switch else list(self.choices)

    def choice(self, value: Value) -> Choice:
        if self.switch:
            if value is True:
                return self.choices["on"]
            return Choice(id="off", label=f"No {self.id}", status="verified")
        return self.choices[str(value)]

    def is_none(self, value: Value) -> bool:
        """True for the answer that adds nothing (`none`, or a switch left off)."""
        return value is False or value == "none"


@dataclass(frozen=True)
class Rule:
    id: str
    when: Mapping[str, tuple[Value, ...]]
    reason: str
    fix: str

    def message(self) -> str:
        return f"{self.reason[0].upper()}{self.reason[1:]}: {self.fix}."


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    imports: tuple[str, ...]
    # The package whose own pins set this one's version (Maven: the Spring Boot parent POM,
    # so the build file names no version); `version` then records the one it sets.
    managed_by: str | None = None


@dataclass(frozen=True)
class Catalog:
    axes: Mapping[str, Axis]
    rules: tuple[Rule, ...]
    versions: Mapping[str, Mapping[str, Package]]
    reserved: Mapping[str, frozenset[str]]

    def axis(self, axis_id: str) -> Axis:
        return self.axes[axis_id]

    def framework(self, framework_id: str) -> Choice:
        return self.axes["framework"].choices[framework_id]

    def ecosystem(self, language_id: str) -> str:
        ecosystem = self.axes["language"].choices[language_id].ecosystem
        assert ecosystem is not None  # guaranteed by the schema check
        return ecosystem


def _problem(problems: list[str], where: str, message: str) -> None:
    problems.append(f"{where}: {message}")


def _unknown_keys(
    problems: list[str], where: str, data: Mapping[str, Any], allowed: set[str]
) -> None:
    for key in sorted(set(data) - allowed):
        _problem(problems, where, f"unknown key {key!r}")


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def _layers(problems: list[str], where: str, raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
        _problem(problems, where, "templates must be a list of folder names of templates/")
        return ()
    return tuple(raw)


def parse(data: Any, templates_dir: Path | None = TEMPLATES_DIR) -> Catalog:
    """Build a Catalog from parsed YAML, collecting every schema problem before failing.

    With `templates_dir`, every verified choice must also have its templates there.
    """
    problems: list[str] = []
    if not isinstance(data, dict):
        raise CatalogError(["the catalog must be a mapping"])
    _unknown_keys(problems, "catalog", data, _TOP_KEYS)
    if data.get("schema") != 1:
        _problem(problems, "catalog", "schema must be 1")

    axes: dict[str, Axis] = {}
    for axis_id, raw in (data.get("axes") or {}).items():
        where = f"axes.{axis_id}"
        if not isinstance(raw, dict):
            _problem(problems, where, "must be a mapping")
            continue
        _unknown_keys(problems, where, raw, _AXIS_KEYS)
        choices: dict[str, Choice] = {}
        for choice_id, c in (raw.get("choices") or {}).items():
            cwhere = f"{where}.choices.{choice_id}"
            if not isinstance(c, dict):
                _problem(problems, cwhere, "must be a mapping")
                continue
            _unknown_keys(problems, cwhere, c, _CHOICE_KEYS)
            if c.get("status") not in STATUSES:
                _problem(problems, cwhere, f"status must be one of {', '.join(STATUSES)}")
            if not c.get("label"):
                _problem(problems, cwhere, "needs a label")
            choices[str(choice_id)] = Choice(
                id=str(choice_id),
                label=str(c.get("label", choice_id)),
                status=str(c.get("status")),
                summary=str(c.get("summary", "")),
                requires={k: tuple(v) for k, v in (c.get("requires") or {}).items()},
                templates=_layers(problems, cwhere, c.get("templates")),
                ecosystem=c.get("ecosystem"),
                in_base=bool(c.get("in_base", False)),
                source_from=c.get("from"),
            )
        switch = bool(raw.get("switch", False))
        axis = Axis(
            id=axis_id,
            question=str(raw.get("question", "")),
            flag=str(raw.get("flag", "")),
            default=raw.get("default", ""),
            choices=choices,
            switch=switch,
        )
        if not axis.question or not axis.flag.startswith("--"):
            _problem(problems, where, "needs a question and a --flag")
        if switch and set(choices) != {"on"}:
            _problem(problems, where, "a switch declares exactly one choice, 'on'")
        if axis.default not in axis.values():
            _problem(problems, where, f"default {axis.default!r} is not one of its choices")
        axes[axis_id] = axis

    for required in ("framework", "language", "package_manager", "database", "api"):
        if required not in axes:
            _problem(problems, "axes", f"axis {required!r} is missing")

    for axis in axes.values():
        for choice in axis.choices.values():
            cwhere = f"axes.{axis.id}.choices.{choice.id}"
            for other, allowed in choice.requires.items():
                if other not in axes:
                    _problem(problems, cwhere, f"requires names an unknown axis {other!r}")
                    continue
                for value in allowed:
                    if value not in axes[other].values():
                        _problem(problems, cwhere, f"requires names unknown {other} {value!r}")
            if axis.id == "language" and not choice.ecosystem:
                _problem(problems, cwhere, "a language needs its ecosystem")
            if choice.source_from is not None:
                origin = axis.choices.get(choice.source_from)
                if axis.id != "language" or origin is None or origin.source_from is not None:
                    _problem(problems, cwhere, "'from' must name a language that has its own")
                elif choice.source_from != "typescript":
                    _problem(problems, cwhere, "only TypeScript can be translated ('from')")

    rules: list[Rule] = []
    for i, raw in enumerate(data.get("rules") or []):
        where = f"rules[{i}]"
        if not isinstance(raw, dict):
            _problem(problems, where, "must be a mapping")
            continue
        _unknown_keys(problems, where, raw, _RULE_KEYS)
        where = f"rules.{raw.get('id', i)}"
        for key in ("id", "reason", "fix"):
            if not raw.get(key):
                _problem(problems, where, f"needs {key!r}")
        when = {k: _as_tuple(v) for k, v in (raw.get("when") or {}).items()}
        if len(when) < 2:
            _problem(problems, where, "'when' must name at least two axes")
        for axis_id, values in when.items():
            if axis_id not in axes:
                _problem(problems, where, f"names an unknown axis {axis_id!r}")
                continue
            for value in values:
                if value not in axes[axis_id].values():
                    _problem(problems, where, f"names unknown {axis_id} {value!r}")
        rules.append(Rule(str(raw.get("id")), when, str(raw.get("reason")), str(raw.get("fix"))))

    versions: dict[str, dict[str, Package]] = {}
    for ecosystem, table in (data.get("versions") or {}).items():
        versions[ecosystem] = {}
        for name, raw in (table or {}).items():
            where = f"versions.{ecosystem}.{name}"
            if not isinstance(raw, dict) or "version" not in raw:
                _problem(problems, where, "needs a version")
                continue
            _unknown_keys(problems, where, raw, _PACKAGE_KEYS)
            managed_by = raw.get("managed_by")
            if managed_by is not None and managed_by not in (table or {}):
                _problem(problems, where, f"managed_by names {managed_by!r}, not in this table")
            versions[ecosystem][name] = Package(
                name,
                str(raw["version"]),
                tuple(raw.get("imports", ())),
                None if managed_by is None else str(managed_by),
            )

    reserved = {
        lang: frozenset(map(str, words)) for lang, words in (data.get("reserved") or {}).items()
    }
    catalog = Catalog(axes, tuple(rules), versions, reserved)
    if not problems and templates_dir is not None:
        problems.extend(missing_templates(catalog, templates_dir))
        problems.extend(misnamed_fragments(catalog, templates_dir))
    if problems:
        raise CatalogError(problems)
    return catalog


def stack_axes(catalog: Catalog) -> Iterator[Axis]:
    """The axes whose choices are realised by template fragments, in plan order."""
    for axis in catalog.axes.values():
        if axis.id not in ("framework", "language", "package_manager"):
            yield axis


def missing_templates(catalog: Catalog, templates_dir: Path) -> list[str]:
    """Every verified choice must be backed by templates for every verified framework."""
    problems: list[str] = []
    frameworks = [c for c in catalog.axes["framework"].choices.values() if c.verified]
    for fw in frameworks:
        for layer in fw.templates or ("<templates>",):
            if not (templates_dir / layer / "base").is_dir():
                problems.append(
                    f"axes.framework.choices.{fw.id}: verified but has no templates/{layer}/base"
                )
    for axis in stack_axes(catalog):
        for choice in axis.choices.values():
            if not choice.verified or axis.is_none(choice.id) or choice.in_base:
                continue
            name = f"{axis.id}-{choice.id}"
            for fw in frameworks:
                if refused_for(catalog, fw, axis, choice):
                    continue
                scopes = ("common", *fw.templates)
                if not any((templates_dir / scope / name).is_dir() for scope in scopes):
                    where = " or ".join(f"templates/{scope}/{name}" for scope in scopes)
                    problems.append(
                        f"axes.{axis.id}.choices.{choice.id}: verified but has no templates "
                        f"for {fw.id} ({where})"
                    )
    return problems


def refused_for(catalog: Catalog, framework: Choice, axis: Axis, choice: Choice) -> bool:
    """True when a rule forbids `choice` on `framework` whatever the other answers are.

    Such a choice needs no templates for that framework: it can never be generated there.
    So is a choice whose `requires` no answer of the framework's own `requires` meets
    (H2, for Java only, on a Python framework).
    """
    if "framework" in choice.requires and framework.id not in choice.requires["framework"]:
        return True
    for other, allowed in choice.requires.items():
        if other in framework.requires and not set(allowed) & set(framework.requires[other]):
            return True
    value: Value = True if axis.switch else choice.id
    return any(
        set(rule.when) == {"framework", axis.id}
        and framework.id in rule.when["framework"]
        and value in rule.when[axis.id]
        for rule in catalog.rules
    )


def misnamed_fragments(catalog: Catalog, templates_dir: Path) -> list[str]:
    """Fragment folders must name a real axis or choice (`<axis>`, `<axis>-<choice>`, and
    `when-` either of them).

    A typo would otherwise make a fragment silently never selected.
    """
    axes = list(stack_axes(catalog))
    names = {a.id for a in axes} | {f"{a.id}-{choice}" for a in axes for choice in a.choices}
    names |= {f"language-{choice}" for choice in catalog.axes["language"].choices}
    problems = []
    for scope in sorted(p for p in templates_dir.iterdir() if p.is_dir()):
        for fragment in sorted(p for p in scope.iterdir() if p.is_dir()):
            where = f"templates/{scope.name}/{fragment.name}"
            if scope.name == "shared":
                # Named by the fragments that ask for it (`shared_fragments`), not by a
                # choice; it is selected with them, so it holds no when- folders.
                if any(p.is_dir() and p.name != "files" for p in fragment.iterdir()):
                    problems.append(f"{where}: a shared fragment holds only files/")
                continue
            if fragment.name != "base" and fragment.name not in names:
                problems.append(f"{where}: names no catalog axis or choice (<axis>-<choice>)")
            for sub in sorted(p for p in fragment.iterdir() if p.is_dir() and p.name != "files"):
                if not sub.name.startswith("when-") or sub.name[5:] not in names:
                    expected = "expected files/ or when-<axis>[-<choice>]/"
                    problems.append(f"{where}/{sub.name}: {expected}")
    return problems


def load(path: Path = CATALOG_PATH, templates_dir: Path | None = TEMPLATES_DIR) -> Catalog:
    import yaml

    SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError([f"{path}: {exc}"]) from exc
    return parse(data, templates_dir)


@cache
def default_catalog() -> Catalog:
    return load()
