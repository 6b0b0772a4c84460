"""The `backendgen` command line: a thin layer over the generation pipeline.

Only typer is imported at start-up; catalog, prompts, templates and rich load inside the
command that needs them, so `backendgen --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from generator import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from generator.answers import Answers
    from generator.catalog import Catalog

app = typer.Typer(
    name="backendgen",
    help="Generate ready-to-run backend projects: pick a framework, a database and add-ons.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
)

DEFAULT_NAME = "shop"


def _axis_option(axis_id: str) -> Any:
    """An option answering one catalog axis; its values complete from the catalog."""

    def complete(incomplete: str) -> list[str]:
        from generator.catalog import default_catalog

        axis = default_catalog().axis(axis_id)
        verified = [str(v) for v in axis.values() if axis.choice(v).verified]
        return [v for v in verified if v.startswith(incomplete)]

    return typer.Option(
        help=f"See `backendgen list` for the {axis_id.replace('_', ' ')} choices.",
        autocompletion=complete,
    )


# Options of `new` that answer a catalog axis (a test keeps this in step with stacks.yaml).
AXIS_OPTIONS = (
    "framework",
    "language",
    "package_manager",
    "database",
    "api",
    "cache",
    "search",
    "queue",
    "storage",
    "cloud",
    "kubernetes",
    "cdn",
    "notifications",
    "analytics",
)


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    # NO_COLOR means plain: no colour and no bold or italics either (rich keeps those).
    plain = bool(os.environ.get("NO_COLOR"))
    return Console(
        stderr=stderr, highlight=False, soft_wrap=True, color_system=None if plain else "auto"
    )


def _fail(exc: Exception, code: int) -> NoReturn:
    _console(stderr=True).print(f"error: {exc}", markup=False)
    raise typer.Exit(code)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Expected failures become one line on stderr and their exit code, never a traceback."""
    from generator.errors import BackendgenError

    try:
        yield
    except BackendgenError as exc:
        _fail(exc, exc.exit_code)
    except KeyboardInterrupt:
        _console(stderr=True).print("Cancelled: nothing was written.", markup=False)
        raise typer.Exit(130) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"backendgen {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Generate ready-to-run backend projects."""


def _read_stack_file(path: Path, catalog: Catalog) -> dict[str, Any]:
    """A stack file is a mapping of answers; a project's .backendgen.yaml works too."""
    import yaml

    from generator.errors import BadInput

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInput(
            f"Cannot read the stack file {path}: {exc.strerror}; check the path."
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise BadInput(f"The stack file {path} is not valid YAML{where}: fix its syntax.") from exc
    if not isinstance(data, dict):
        raise BadInput(
            f"The stack file {path} must be a mapping of answers, such as 'database: postgresql'."
        )
    if "answers" in data:  # a .backendgen.yaml
        data = {
            **({"description": data["description"]} if "description" in data else {}),
            **(data.get("answers") or {}),
        }
    allowed = {*catalog.axes, "name", "description"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise BadInput(
            f"The stack file {path} has unknown key {unknown[0]!r}: use only "
            f"{', '.join(sorted(allowed))}."
        )
    return data


def _is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@app.command()
def new(
    name: Annotated[str | None, typer.Argument(help="Project name; also its folder.")] = None,
    framework: Annotated[str | None, _axis_option("framework")] = None,
    language: Annotated[str | None, _axis_option("language")] = None,
    package_manager: Annotated[str | None, _axis_option("package_manager")] = None,
    database: Annotated[str | None, _axis_option("database")] = None,
    api: Annotated[str | None, _axis_option("api")] = None,
    cache: Annotated[str | None, _axis_option("cache")] = None,
    search: Annotated[str | None, _axis_option("search")] = None,
    queue: Annotated[str | None, _axis_option("queue")] = None,
    storage: Annotated[str | None, _axis_option("storage")] = None,
    cloud: Annotated[str | None, _axis_option("cloud")] = None,
    kubernetes: Annotated[
        bool | None,
        typer.Option(
            "--kubernetes/--no-kubernetes",
            help="Add Kubernetes manifests (see `backendgen list`).",
        ),
    ] = None,
    cdn: Annotated[
        bool | None,
        typer.Option("--cdn/--no-cdn", help="Put a CDN in front (see `backendgen list`)."),
    ] = None,
    notifications: Annotated[str | None, _axis_option("notifications")] = None,
    analytics: Annotated[str | None, _axis_option("analytics")] = None,
    description: Annotated[str | None, typer.Option(help="One line about the project.")] = None,
    output_dir: Annotated[Path, typer.Option(help="Folder to create the project in.")] = Path("."),
    force: Annotated[bool, typer.Option(help="Replace a non-empty project folder.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Take defaults for every unanswered question.")
    ] = False,
    from_: Annotated[
        Path | None,
        typer.Option("--from", help="Stack file (YAML answers, or a project's .backendgen.yaml)."),
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Show what would be made; write nothing.")] = False,
) -> None:
    """Create a project, asking only what the flags did not answer."""
    flags = {axis: value for axis, value in locals().items() if axis in AXIS_OPTIONS}
    with _user_errors():
        answers, target = _collect(name, flags, description, output_dir, from_, yes)
        _make(answers, target, force=force, dry_run=dry_run)


def _only_language(catalog: Catalog, given: Mapping[str, object]) -> str | None:
    """The language a given framework allows, when it allows just one (Spring: Java), so
    the name is judged by that language's rules before the other questions are asked."""
    framework = str(given.get("framework") or "").strip().lower()
    choice = catalog.axis("framework").choices.get(framework)
    languages = choice.requires.get("language", ()) if choice is not None else ()
    return languages[0] if len(languages) == 1 else None


def _collect(
    name: str | None,
    flags: dict[str, Any],
    description: str | None,
    output_dir: Path,
    from_: Path | None,
    yes: bool,
) -> tuple[Answers, Path]:
    from generator import names
    from generator.answers import resolve
    from generator.catalog import default_catalog

    catalog = default_catalog()
    given: dict[str, Any] = _read_stack_file(from_, catalog) if from_ else {}
    given.update({k: v for k, v in flags.items() if v is not None})
    name = name if name is not None else given.pop("name", None)
    given.pop("name", None)
    description = description if description is not None else given.pop("description", "")
    given.pop("description", None)

    interactive = _is_interactive() and not yes
    prompter = None
    if interactive:
        from generator.prompts import QuestionaryPrompter

        prompter = QuestionaryPrompter()
    language_hint = str(given.get("language") or _only_language(catalog, given) or "python")
    if name is None:
        if prompter is not None:
            name = prompter.ask_name(DEFAULT_NAME, lambda n: names.check(n, catalog, language_hint))
        elif yes:
            name = DEFAULT_NAME
        else:
            from generator.errors import BadInput

            raise BadInput(
                "No project name and no terminal to ask for one: pass NAME, or --yes for "
                f"the default {DEFAULT_NAME!r}."
            )
    names.check(name, catalog, language_hint)
    answers = resolve(
        catalog,
        name,
        given,
        prompter=prompter,
        use_defaults=yes,
        description=str(description or ""),
    )
    names.check(name, catalog, str(answers["language"]))
    return answers, output_dir / name


def _make(answers: Answers, target: Path, *, force: bool, dry_run: bool) -> None:
    from generator.output import check_target
    from generator.project import generate, render
    from generator.summary import print_summary

    if dry_run:
        check_target(target.absolute(), force)
        plan, _ = render(answers)
        print_summary(_console(), plan, target, dry_run=True)
        return
    plan = generate(answers, target, force=force)
    print_summary(_console(), plan, target, dry_run=False)


@app.command("list")
def list_(
    json_: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show every choice in the catalog and whether it is verified or planned."""
    from generator.catalog import default_catalog
    from generator.listing import catalog_json, print_catalog

    with _user_errors():
        catalog = default_catalog()
    if json_:
        import json

        typer.echo(json.dumps(catalog_json(catalog), indent=2))
    else:
        print_catalog(_console(), catalog)


@app.command()
def verify(
    only: Annotated[
        list[str] | None,
        typer.Option(
            help="Keep combinations matching AXIS=VALUE (repeatable), e.g. database=postgresql."
        ),
    ] = None,
    report: Annotated[Path, typer.Option(help="Where to write the results table.")] = Path(
        "docs/verification.md"
    ),
    static_only: Annotated[
        bool, typer.Option(help="Render and check every combination; skip install and tests.")
    ] = False,
    every: Annotated[
        bool,
        typer.Option("--all", help="Prove every valid combination, not just the covering set."),
    ] = False,
    ci: Annotated[
        bool,
        typer.Option("--ci", help="Prove CI's end-to-end set, the one `make test` proves."),
    ] = False,
    keep_others: Annotated[
        bool,
        typer.Option(
            help="Keep the report's passed rows of combinations of the set not proven now."
        ),
    ] = False,
) -> None:
    """Generate combinations and prove them: install, test against real servers, conformance."""
    from generator.verify.command import run_verify

    with _user_errors():
        ok = run_verify(
            _console(),
            only or [],
            report,
            static_only=static_only,
            every=every,
            ci=ci,
            keep_others=keep_others,
        )
    raise typer.Exit(0 if ok else 1)


def run() -> None:
    """Console-script entry point."""
    app()
