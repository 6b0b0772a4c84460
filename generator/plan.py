"""Decide, before anything is rendered, which fragments and files make up a project."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from generator import __version__, names
from generator.answers import Answers, command_line, options
from generator.catalog import Catalog, stack_axes
from generator.contributions import empty, merge
from generator.errors import GenerationError
from generator.resources import TEMPLATES_DIR

JINJA_SUFFIX = ".jinja"
PACKAGE_PLACEHOLDER = "__pkg__"


@dataclass(frozen=True)
class SourceFile:
    fragment: str
    source: Path
    render: bool
    # Written as JavaScript: the rendered TypeScript with its types removed (typestrip.py).
    strip_types: bool = False


@dataclass(frozen=True)
class Plan:
    answers: Answers
    fragments: tuple[str, ...]
    files: dict[str, SourceFile]  # output path -> where it comes from
    written: tuple[str, ...]  # output paths produced by writers from contributions
    context: dict[str, Any]

    def paths(self) -> list[str]:
        return sorted([*self.files, *self.written])

    def executables(self) -> set[str]:
        """Output paths whose template is executable (scripts keep their mode)."""
        return {path for path, src in self.files.items() if src.source.stat().st_mode & 0o111}


WHEN_PREFIX = "when-"
# Fragments below templates/shared/ are selected by no answer of their own: a fragment
# names one in its `shared_fragments` contribution, and the plan adds it once, however
# many fragments ask for it (the Terraform module that several services call, say).
SHARED_SCOPE = "shared"


def chosen_names(catalog: Catalog, answers: Answers) -> list[str]:
    """`<axis>` and `<axis>-<choice>` for every answer that adds something, in catalog order.

    `<axis>` names what every choice of that axis shares (the receipt routes of any blob
    store), `<axis>-<choice>` what is that choice's own (the S3 client).
    """
    names = []
    for axis in stack_axes(catalog):
        value = answers[axis.id]
        if not axis.is_none(value):
            names += [axis.id, f"{axis.id}-{axis.choice(value).id}"]
    return names


def select_fragments(catalog: Catalog, answers: Answers, templates_dir: Path) -> list[str]:
    """Fragment ids (paths below templates/) in the order their contributions merge.

    The scopes are `common` (what every stack shares), then the framework's template
    layers in catalog order (`node`, what every Node framework shares; `node-express`).

    A fragment's `when-<axis>-<choice>/` subfolder is itself a fragment, selected only when
    that other answer was given too: what one choice adds for another (the managed
    database of a cloud, say) lives with the choice it belongs to, not in a shared file.

    The language's fragment (`language-typescript`) comes first: it holds what a
    TypeScript and a JavaScript project of the same framework do not share (tsconfig.json,
    the scripts of package.json), and its `source` words (the source files' extension,
    say) are known to every fragment rendered after it.
    """
    scopes = ("common", *catalog.framework(str(answers["framework"])).templates)
    language = f"language-{answers['language']}"
    chosen = chosen_names(catalog, answers)
    selected = [f"{scope}/{language}" for scope in scopes]
    selected += [f"{scope}/base" for scope in scopes]
    selected += [f"{scope}/{name}" for name in chosen for scope in scopes]
    primary = [f for f in selected if (templates_dir / f).is_dir()]
    conditional = [
        f"{fragment}/{WHEN_PREFIX}{name}"
        for fragment in primary
        for name in [language, *chosen]
        if (templates_dir / fragment / f"{WHEN_PREFIX}{name}").is_dir()
    ]
    return primary + conditional


def _shared(names: list[str], fragments: list[str], asker: str, templates_dir: Path) -> list[str]:
    """The shared fragments named so far that are not yet in `fragments`."""
    new = []
    for name in names:
        fragment = f"{SHARED_SCOPE}/{name}"
        if fragment in fragments or fragment in new:
            continue
        if "/" in name or not (templates_dir / fragment).is_dir():
            raise GenerationError(
                f"Fragment {asker} asks for the shared fragment {name!r}, "
                f"which is not a folder of templates/{SHARED_SCOPE}/."
            )
        new.append(fragment)
    return new


def base_context(catalog: Catalog, answers: Answers) -> dict[str, Any]:
    ecosystem = catalog.ecosystem(str(answers["language"]))
    return {
        "project": {
            "name": answers.name,
            "slug": names.slug(answers.name),
            "title": names.title(answers.name),
            "description": answers.description or f"{names.title(answers.name)}: an orders API.",
        },
        "answers": dict(answers.choices),
        "versions": {n: p.version for n, p in catalog.versions.get(ecosystem, {}).items()},
        "generator": {"version": __version__},
        "command": command_line(answers, catalog),
        "embedded_database": embedded_database(catalog, answers),
    }


def embedded_database(catalog: Catalog, answers: Answers) -> str:
    """The name of the database the app falls back to with DATABASE_URL unset: the
    first database choice open to the framework alone (SQLite, or H2 for Java), its
    label without the "(embedded)" note."""
    axis = catalog.axis("database")
    stack = {a: answers[a] for a in ("language", "framework")}
    first = next(o for o in options(catalog, axis, stack) if o.disabled is None)
    return first.label.split(" (", 1)[0]


def _pin(catalog: Catalog, ecosystem: str, requirement: str) -> str:
    base = requirement.split("[", 1)[0]
    package = catalog.versions.get(ecosystem, {}).get(base)
    if package is None:
        raise GenerationError(
            f"The templates depend on {base!r}, which has no pinned version in "
            f"stacks.yaml versions.{ecosystem}."
        )
    return f"{requirement}=={package.version}"


def _maven_dependencies(
    catalog: Catalog, ecosystem: str, wanted: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The build data model of a Maven project: each `{artifact: group:id, scope}` that the
    fragments contribute, once, with its version from the catalog (none when a parent POM
    or an imported BOM manages it), sorted by scope then coordinates so the pom reads the
    same every time. `scope: import` with `type: pom` is a BOM, which the pom imports in
    `<dependencyManagement>`; `exclusions` lists `group:artifact`s the dependency must not
    bring along (a default HTTP client replaced by a lighter one, say)."""
    scopes = ("import", "compile", "runtime", "provided", "test")
    seen: dict[str, dict[str, Any]] = {}
    for entry in wanted:
        coordinates = str(entry.get("artifact", ""))
        scope = str(entry.get("scope") or "compile")
        kind = str(entry.get("type") or "jar")
        exclusions = entry.get("exclusions") or []
        group, _, artifact = coordinates.partition(":")
        if not group or not artifact or scope not in scopes:
            raise GenerationError(
                f"A maven_dependencies entry needs artifact: group:artifact and a scope of "
                f"{', '.join(scopes)}; got {entry!r}."
            )
        if (scope == "import") != (kind == "pom") or kind not in ("jar", "pom"):
            raise GenerationError(
                f"A maven_dependencies entry imports a BOM with scope: import and type: pom "
                f"together, and is otherwise a jar; got {entry!r}."
            )
        if not isinstance(exclusions, list) or not all(
            isinstance(e, str) and e.count(":") == 1 and all(e.split(":")) for e in exclusions
        ):
            raise GenerationError(
                f"maven_dependencies exclusions are a list of group:artifact; got {entry!r}."
            )
        package = catalog.versions.get(ecosystem, {}).get(coordinates)
        if package is None:
            raise GenerationError(
                f"The templates depend on {coordinates!r}, which has no pinned version in "
                f"stacks.yaml versions.{ecosystem}."
            )
        if scope == "import" and package.managed_by:
            raise GenerationError(
                f"The BOM {coordinates!r} is imported, so it needs a version of its own, not "
                f"managed_by in stacks.yaml versions.{ecosystem}."
            )
        earlier = seen.get(coordinates)
        if earlier is not None and (earlier["scope"] == "import") != (scope == "import"):
            raise GenerationError(f"{coordinates!r} is both a BOM and a dependency.")
        excluded = set(exclusions) | (earlier["exclusions"] if earlier else set())
        if earlier is not None and scopes.index(earlier["scope"]) <= scopes.index(scope):
            earlier["exclusions"] = excluded  # the wider scope wins; exclusions add up
            continue
        seen[coordinates] = {
            "group": group,
            "artifact": artifact,
            "version": None if package.managed_by else package.version,
            "scope": scope,
            "type": kind,
            "exclusions": excluded,
        }
    for dep in seen.values():
        dep["exclusions"] = [
            {"group": g, "artifact": a}
            for g, _, a in (e.partition(":") for e in sorted(dep["exclusions"]))
        ]
    return sorted(
        seen.values(), key=lambda d: (scopes.index(d["scope"]), d["group"], d["artifact"])
    )


def _output_path(relative: Path, slug: str) -> tuple[str, bool]:
    parts = [slug if p == PACKAGE_PLACEHOLDER else p for p in relative.parts]
    out = "/".join(parts)
    if out.endswith(JINJA_SUFFIX):
        return out[: -len(JINJA_SUFFIX)], True
    return out, False


@cache
def _sources(folder: Path) -> tuple[Path, ...]:
    """A fragment's files, in path order. Templates do not change while a process runs,
    so a render tier of thousands of combinations lists each folder once."""
    return tuple(sorted(p for p in folder.rglob("*") if p.is_file()))


TYPESCRIPT_SUFFIX = ".ts"


def _translated(out: str) -> str | None:
    """The JavaScript path of a TypeScript source file (`src/app.ts` -> `src/app.js`)."""
    if out.endswith(TYPESCRIPT_SUFFIX) and not out.endswith(".d.ts"):
        return out[: -len(TYPESCRIPT_SUFFIX)] + ".js"
    return None


def make_plan(catalog: Catalog, answers: Answers, templates_dir: Path = TEMPLATES_DIR) -> Plan:
    from generator import render, writers

    fragments = select_fragments(catalog, answers, templates_dir)
    context = base_context(catalog, answers)
    ecosystem = catalog.ecosystem(str(answers["language"]))
    translate = catalog.axis("language").choice(str(answers["language"])).source_from is not None

    contrib = empty()
    # The language fragment's words, for every template rendered after it: the same dict
    # as the merged point, so it fills as the fragments merge.
    context["source"] = contrib["source"]
    owners: dict[str, str] = {}
    files: dict[str, SourceFile] = {}
    # A list that grows while it is walked: the shared fragments asked for so far follow
    # the selected ones, in the order they were first named.
    for fragment in fragments:
        root = templates_dir / fragment
        spec = root / "fragment.yaml"
        if spec.is_file():
            data = render.load_yaml(render.render_text(spec, context), where=str(spec))
            merge(contrib, owners, fragment, data or {})
        for source in _sources(root / "files"):
            out, is_template = _output_path(
                source.relative_to(root / "files"), context["project"]["slug"]
            )
            translated = _translated(out) if translate else None
            out = translated or out
            if out in files:
                raise GenerationError(
                    f"Fragments {files[out].fragment} and {fragment} both write {out}."
                )
            files[out] = SourceFile(fragment, source, is_template, translated is not None)
        fragments.extend(_shared(contrib["shared_fragments"], fragments, fragment, templates_dir))

    for point in ("dependencies", "dev_dependencies"):
        contrib[point] = sorted(_pin(catalog, ecosystem, r) for r in contrib[point])
    contrib["maven_dependencies"] = _maven_dependencies(
        catalog, ecosystem, contrib["maven_dependencies"]
    )
    context["contrib"] = contrib

    written = tuple(writers.outputs(contrib))
    clash = set(written) & set(files)
    if clash:
        raise GenerationError(f"Templates write {', '.join(sorted(clash))}, which a writer owns.")
    return Plan(answers, tuple(fragments), files, written, context)
