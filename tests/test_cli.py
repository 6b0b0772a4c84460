"""The command line as a user meets it: exit codes, messages, and what lands on disk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from generator.cli import app
from tests.conftest import snapshot


def new(runner: CliRunner, tmp_path: Path, *args: str) -> Result:
    return runner.invoke(app, ["new", "--output-dir", str(tmp_path), *args])


def one_sentence_with_fix(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got: {output!r}"
    line = lines[0]
    assert line.startswith("error: ") and line.endswith("."), line
    assert "Traceback" not in output
    return line


BAD_NAMES = {
    "empty": ("", "empty"),
    "slash": ("a/b", "is a path"),
    "dotdot": ("..", "is a path"),
    "leading digit": ("1shop", "must start with a letter"),
    "leading dash": ("-shop", "must start with a letter"),
    "reserved word": ("class", "reserved word in python"),
    "too long": ("s" * 65, "keep it to 64"),
    "dependency import name": ("sqlalchemy", "would shadow the sqlalchemy package"),
    "framework import name": ("starlette", "would shadow the fastapi package"),
    "standard module": ("json", "standard module json"),
    "bad characters": ("shop!", "only letters, digits"),
}


@pytest.mark.parametrize("name,expected", BAD_NAMES.values(), ids=BAD_NAMES.keys())
def test_bad_project_names_exit_2_and_write_nothing(
    runner: CliRunner, tmp_path: Path, name: str, expected: str
) -> None:
    before = snapshot(tmp_path)
    result = new(runner, tmp_path, "--yes", "--", name)
    assert result.exit_code == 2, result.output
    assert expected in one_sentence_with_fix(result.output)
    assert snapshot(tmp_path) == before


BAD_CHOICES = {
    "unknown database": (
        ["--database", "oracle"],
        "Unknown --database 'oracle': pick --database sqlite|h2|postgresql|mysql",
    ),
    "planned framework": (
        ["--framework", "rails"],
        "Ruby on Rails (API mode) is planned but not available yet: "
        "pick --framework fastapi|django|flask|express|fastify|nestjs|spring.",
    ),
    "planned add-on": (
        ["--notifications", "email"],
        "E-mail provider is planned but not available yet: pick --notifications none.",
    ),
    "sqlite on spring": (
        ["--framework", "spring", "--database", "sqlite"],
        "The Spring stack's embedded database is H2 (SQLite has no Hibernate dialect in Spring "
        "Boot): pick --database h2 (Spring's embedded default), or a database server such as "
        "postgresql.",
    ),
    "h2 on fastapi": (["--framework", "fastapi", "--database", "h2"], "--language java"),
    "switch that a rule forbids": (
        ["--cdn", "--cloud", "none"],
        "A CDN needs a cloud to live in: pick --cloud aws|gcp|azure, or drop --cdn.",
    ),
    "language of another framework": (["--language", "go"], "Go is planned"),
    "language the framework does not have": (
        ["--framework", "nestjs", "--language", "javascript"],
        "NestJS needs --language typescript, not javascript: pick --language typescript, "
        "or another --framework.",
    ),
    "language not proven on that framework": (
        ["--framework", "fastify", "--language", "javascript"],
        "Fastify is proven in TypeScript only so far (Express is proven in both): "
        "pick --language typescript, or --framework express.",
    ),
    "blob store the cloud cannot host": (
        ["--storage", "s3", "--cloud", "azure"],
        "Azure has no S3-API store (Blob Storage speaks its own API): "
        "pick --storage azure-blob, or --cloud aws|gcp.",
    ),
}


@pytest.mark.parametrize("args,expected", BAD_CHOICES.values(), ids=BAD_CHOICES.keys())
def test_unknown_and_planned_choices_exit_2(
    runner: CliRunner, tmp_path: Path, args: list[str], expected: str
) -> None:
    before = snapshot(tmp_path)
    result = new(runner, tmp_path, "shop", "--yes", *args)
    assert result.exit_code == 2, result.output
    assert expected in one_sentence_with_fix(result.output)
    assert snapshot(tmp_path) == before


def test_no_terminal_and_no_yes_names_the_flag(runner: CliRunner, tmp_path: Path) -> None:
    result = new(runner, tmp_path, "shop", "--framework", "fastapi")
    assert result.exit_code == 2
    assert "pass --database, or --yes" in one_sentence_with_fix(result.output)
    assert snapshot(tmp_path) == []


STACK_FILES = {
    "missing": (None, "Cannot read the stack file"),
    "invalid yaml": ("database: [postgresql\n", "is not valid YAML at line 2: fix its syntax."),
    "not a mapping": ("- postgresql\n", "must be a mapping of answers"),
    "unknown key": ("databse: postgresql\n", "has unknown key 'databse'"),
    "bad value": ("database: oracle\n", "Unknown --database 'oracle'"),
}


@pytest.mark.parametrize("content,expected", STACK_FILES.values(), ids=STACK_FILES.keys())
def test_bad_stack_files_exit_2(
    runner: CliRunner, tmp_path: Path, content: str | None, expected: str
) -> None:
    stack = tmp_path / "stack.yaml"
    if content is not None:
        stack.write_text(content)
    before = snapshot(tmp_path)
    result = new(runner, tmp_path, "shop", "--yes", "--from", str(stack))
    assert result.exit_code == 2, result.output
    assert expected in one_sentence_with_fix(result.output)
    assert snapshot(tmp_path) == before


def test_non_empty_target_is_untouched_without_force(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "keep.txt").write_text("mine")
    before = snapshot(tmp_path)
    result = new(runner, tmp_path, "shop", "--yes")
    assert result.exit_code == 2
    assert "pass --force to replace it" in one_sentence_with_fix(result.output)
    assert snapshot(tmp_path) == before


def test_force_replaces_a_non_empty_target(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "old.txt").write_text("old")
    result = new(runner, tmp_path, "shop", "--yes", "--force")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "shop" / "old.txt").exists()
    assert (tmp_path / "shop" / "pyproject.toml").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["shop"]  # no staging left behind


def test_new_yes_writes_the_default_project_and_its_answers(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = new(runner, tmp_path, "shop", "--yes")
    assert result.exit_code == 0, result.output
    recorded = yaml.safe_load((tmp_path / "shop" / ".backendgen.yaml").read_text())
    assert recorded["answers"]["framework"] == "fastapi"
    assert recorded["answers"]["database"] == "sqlite"
    assert recorded["command"] in result.output
    assert "make install" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["shop"]


def test_a_java_keyword_cannot_name_a_spring_project(runner: CliRunner, tmp_path: Path) -> None:
    # The name becomes the package com.<name>; `package` is a fine Python name.
    result = new(runner, tmp_path, "--framework", "spring", "--yes", "--", "package")
    assert result.exit_code == 2, result.output
    assert "reserved word in java" in one_sentence_with_fix(result.output)
    assert new(runner, tmp_path, "--yes", "--", "package").exit_code == 0


def test_spring_defaults_to_h2_and_maven(runner: CliRunner, tmp_path: Path) -> None:
    result = new(runner, tmp_path, "my-shop", "--framework", "spring", "--yes")
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load((tmp_path / "my-shop" / ".backendgen.yaml").read_text())["answers"]
    assert (answers["language"], answers["package_manager"], answers["database"]) == (
        "java",
        "maven",
        "h2",
    )
    # A name with a dash becomes the Java package com.my_shop.
    assert (tmp_path / "my-shop/src/main/java/com/my_shop/Application.java").is_file()
    assert (tmp_path / "my-shop/mvnw").stat().st_mode & 0o111


def test_recorded_command_and_stack_file_reproduce_the_project(
    runner: CliRunner, tmp_path: Path
) -> None:
    first = new(
        runner, tmp_path / "a", "shop", "--yes", "--database", "postgresql", "--cache", "redis"
    )
    assert first.exit_code == 0, first.output
    answers_file = tmp_path / "a" / "shop" / ".backendgen.yaml"
    recorded = yaml.safe_load(answers_file.read_text())
    again = new(runner, tmp_path / "b", "shop", "--from", str(answers_file))
    assert again.exit_code == 0, again.output
    assert yaml.safe_load((tmp_path / "b" / "shop" / ".backendgen.yaml").read_text()) == recorded
    argv = recorded["command"].split()[1:]
    third = runner.invoke(app, [*argv, "--output-dir", str(tmp_path / "c")])
    assert third.exit_code == 0, third.output
    assert yaml.safe_load((tmp_path / "c" / "shop" / ".backendgen.yaml").read_text()) == recorded


def test_kubernetes_switch_is_recorded_and_reproduced(runner: CliRunner, tmp_path: Path) -> None:
    first = new(runner, tmp_path / "a", "shop", "--yes", "--kubernetes")
    assert first.exit_code == 0, first.output
    project = tmp_path / "a" / "shop"
    recorded = yaml.safe_load((project / ".backendgen.yaml").read_text())
    assert recorded["answers"]["kubernetes"] is True
    assert " --kubernetes " in recorded["command"]
    assert (project / "deploy" / "kubernetes" / "kustomization.yaml").is_file()
    argv = recorded["command"].split()[1:]
    again = runner.invoke(app, [*argv, "--output-dir", str(tmp_path / "b")])
    assert again.exit_code == 0, again.output
    assert yaml.safe_load((tmp_path / "b" / "shop" / ".backendgen.yaml").read_text()) == recorded
    # A flag beats the stack file, in both directions.
    off = new(
        runner,
        tmp_path / "c",
        "shop",
        "--from",
        str(project / ".backendgen.yaml"),
        "--no-kubernetes",
    )
    assert off.exit_code == 0, off.output
    assert not (tmp_path / "c" / "shop" / "deploy").exists()
    answers = yaml.safe_load((tmp_path / "c" / "shop" / ".backendgen.yaml").read_text())
    assert answers["answers"]["kubernetes"] is False
    assert "--kubernetes" not in answers["command"]


def test_flags_override_the_stack_file(runner: CliRunner, tmp_path: Path) -> None:
    stack = tmp_path / "stack.yaml"
    stack.write_text("name: shop\ndatabase: mysql\ncache: redis\n")
    result = new(runner, tmp_path, "--from", str(stack), "--database", "postgresql", "--yes")
    assert result.exit_code == 0, result.output
    recorded = yaml.safe_load((tmp_path / "shop" / ".backendgen.yaml").read_text())
    assert (recorded["answers"]["database"], recorded["answers"]["cache"]) == (
        "postgresql",
        "redis",
    )


def test_template_syntax_in_user_text_lands_literally(runner: CliRunner, tmp_path: Path) -> None:
    text = 'Sells {{ 7*7 }} things {% if x %}"quoted"{% endif %} {# note #}'
    result = new(runner, tmp_path, "shop", "--yes", "--description", text)
    assert result.exit_code == 0, result.output
    project = tmp_path / "shop"
    assert text in (project / "README.md").read_text()
    import tomllib

    assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["description"] == text
    assert yaml.safe_load((project / ".backendgen.yaml").read_text())["description"] == text


def test_dry_run_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    result = new(runner, tmp_path, "shop", "--yes", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would create" in result.output and "pyproject.toml" in result.output
    assert snapshot(tmp_path) == []


def test_list_json_describes_every_axis(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["axes"]["framework"]["choices"]["fastapi"]["status"] == "verified"
    assert data["axes"]["framework"]["choices"]["rails"]["status"] == "planned"
    assert {r["id"] for r in data["rules"]} >= {"cdn-needs-cloud"}
    kubernetes = data["axes"]["kubernetes"]
    assert kubernetes["choices"]["on"]["status"] == "verified"
    assert list(data["axes"]).index("kubernetes") == list(data["axes"]).index("cloud") + 1


def test_list_table_marks_planned_choices(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    assert "planned" in result.output and "verified (default)" in result.output


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from generator.cli import run\n"
        "sys.argv = ['backendgen', '--help']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "heavy = ['jinja2', 'questionary', 'cookiecutter', 'yaml', 'rich']\n"
        "print('HEAVY:' + ','.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Commands" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_version(runner: CliRunner) -> None:
    from generator import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_verify_static_only_checks_the_selected_combinations(runner: CliRunner) -> None:
    only = ["framework=fastapi", "database=sqlite", "cloud=none", "search=none", "storage=none"]
    args = [arg for pair in only for arg in ("--only", pair)]
    result = runner.invoke(app, ["verify", "--static-only", *args])
    assert result.exit_code == 0, result.output
    assert "ok   fastapi-sqlite" in result.output
    assert "postgresql" not in result.output and "opensearch" not in result.output


def test_verify_refuses_two_sets_at_once(runner: CliRunner) -> None:
    result = runner.invoke(app, ["verify", "--all", "--ci"])
    assert result.exit_code == 2
    assert "pick one of them" in one_sentence_with_fix(result.output)


@pytest.mark.parametrize(
    "only,expected",
    [("colour=red", "is not AXIS=VALUE"), ("database=oracle", "No verified combination matches")],
)
def test_verify_rejects_filters_that_match_nothing(
    runner: CliRunner, only: str, expected: str
) -> None:
    result = runner.invoke(app, ["verify", "--static-only", "--only", only])
    assert result.exit_code == 2
    assert expected in one_sentence_with_fix(result.output)


def _on_a_terminal(args: list[str], env: dict[str, str]) -> bytes:
    """Run the installed command with a pseudo-terminal as its stdout, return what it wrote."""
    import os
    import pty

    leader, follower = pty.openpty()
    binary = Path(sys.executable).parent / "backendgen"
    proc = subprocess.Popen([str(binary), *args], stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait()
    os.close(leader)
    return b"".join(chunks)


def test_no_color_output_is_plain_on_a_terminal() -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"TERM": "xterm-256color"}
    assert b"\x1b[" in _on_a_terminal(["list"], env)  # styled by default
    assert b"\x1b[" not in _on_a_terminal(["list"], env | {"NO_COLOR": "1"})


def test_shell_completion_offers_verified_choices_from_the_catalog() -> None:
    import os

    env = os.environ | {
        "_BACKENDGEN_COMPLETE": "complete_bash",
        "COMP_WORDS": "backendgen new --database p",
        "COMP_CWORD": "3",
    }
    binary = Path(sys.executable).parent / "backendgen"
    out = subprocess.run([str(binary)], env=env, capture_output=True, text=True, check=False)
    assert out.stdout.split() == ["postgresql"]


def test_express_is_typescript_unless_javascript_is_asked_for(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = new(runner, tmp_path / "ts", "shop", "--framework", "express", "--yes")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ts/shop/src/app.ts").is_file()
    assert (tmp_path / "ts/shop/tsconfig.json").is_file()
    args = ["shop", "--framework", "express", "--language", "javascript", "--yes"]
    result = new(runner, tmp_path / "js", *args)
    assert result.exit_code == 0, result.output
    project = tmp_path / "js/shop"
    assert (project / "src/app.js").is_file() and not (project / "src/app.ts").exists()
    assert not (project / "tsconfig.json").exists()
    scripts = json.loads((project / "package.json").read_text())["scripts"]
    assert scripts["start"] == "node src/server.js" and "build" not in scripts
    answers = yaml.safe_load((project / ".backendgen.yaml").read_text())
    assert answers["answers"]["language"] == "javascript"
