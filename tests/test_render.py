"""Render tier: every valid combination of verified choices renders and passes static checks."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

from generator.catalog import default_catalog
from generator.project import generate, render
from generator.resources import TEMPLATES_DIR
from generator.verify import static
from generator.verify.matrix import STATIC_AXES, Combination, all_valid, deployment_defaults

COMBINATIONS = all_valid(default_catalog())
# One combination per set of app-shaping choices: the deployment-only axes add no code.
APP_VARIANTS = deployment_defaults(default_catalog(), COMBINATIONS)


def test_the_matrix_is_not_empty() -> None:
    assert len(COMBINATIONS) >= 6


# The image each server runs as in compose.yaml, and how the app's environment points at it.
SERVERS = {
    "postgresql": ("postgres", "DATABASE_URL", "postgresql://"),
    "mysql": ("mariadb", "DATABASE_URL", "mysql://"),
    "redis": ("redis", "REDIS_URL", "redis://"),
    "opensearch": ("opensearch", "SEARCH_URL", "http://"),
    "rabbitmq": ("rabbitmq", "AMQP_URL", "amqp://"),
    "s3": ("minio", "S3_BUCKET", ""),
    "mongodb": ("mongo", "DATABASE_URL", "mongodb://"),
}


@pytest.fixture(scope="module", autouse=True)
def _checkov_in_batches(request: pytest.FixtureRequest) -> None:
    """checkov starts slowly: judge the deployment files of every selected combination in
    a few runs up front; each test then finds its verdicts in the cache."""
    selected = [
        item.callspec.params["combo"]
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_combination_renders_clean"
        and hasattr(item, "callspec")
    ]
    static.prefetch(render(combo.answers())[1] for combo in selected)


@pytest.mark.parametrize("combo", COMBINATIONS, ids=lambda c: c.id)
def test_combination_renders_clean(combo: Combination) -> None:
    _, files = render(combo.answers())
    assert static.problems(files) == []
    compose = yaml.safe_load(files["compose.yaml"])
    images = [s.get("image", "") for name, s in compose["services"].items() if name != "app"]
    app_env = compose["services"]["app"].get("environment", {})
    for server, (image, variable, scheme) in SERVERS.items():
        chosen = server in combo.services()
        assert any(image in i for i in images) == chosen, f"{server} in compose: {images}"
        points_at = str(app_env.get(variable, "")).startswith(scheme) and variable in app_env
        assert points_at == chosen, f"{variable} for the app: {app_env}"
    if not combo.services():
        assert ".env" not in files  # no server, no secret to generate


def test_static_check_catches_leftover_markers_and_bad_compose() -> None:
    found = static.problems(
        {
            "a.py": b"x = '{{ project.slug }}'\n",
            "compose.yaml": b"services:\n  app:\n    imagee: x\n",
            "b.toml": b"[broken\n",
        }
    )
    assert any(p.startswith("a.py: template marker") for p in found)
    assert any(p.startswith("compose.yaml: vendor.compose-spec schema") for p in found)
    assert any(p.startswith("b.toml: does not parse") for p in found)


def test_secrets_are_random_per_project() -> None:
    combo = next(c for c in COMBINATIONS if c.choices["database"] == "postgresql")
    first = render(combo.answers())[1][".env"]
    second = render(combo.answers())[1][".env"]
    assert first != second


LONGEST_NAME = "a" * 60 + "-xyz"  # names may be up to 64 characters


def test_deployment_only_choices_add_no_code() -> None:
    """What lets the linter run once per app variant: clouds and clusters bring no Python."""
    deployment = [f"{axis}-" for axis in STATIC_AXES]
    code = [
        path.relative_to(TEMPLATES_DIR)
        for path in TEMPLATES_DIR.rglob("*")
        if path.name.endswith((".py", ".py.jinja"))
        and any(part.removeprefix("when-").startswith(tuple(deployment)) for part in path.parts)
    ]
    assert code == []


@pytest.mark.parametrize("name", ["shop", LONGEST_NAME], ids=["short-name", "longest-name"])
@pytest.mark.parametrize("combo", APP_VARIANTS, ids=lambda c: c.id)
def test_generated_python_passes_its_own_linter(
    combo: Combination, name: str, tmp_path: Path
) -> None:
    """The project's ruff config accepts its code as rendered, whatever the name's length."""
    catalog = default_catalog()
    assert version("ruff") == catalog.versions["python"]["ruff"].version, "pin ruff alike"
    project = tmp_path / name
    generate(combo.answers(name), project)
    ruff = str(Path(sys.executable).parent / "ruff")
    for args in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        proc = subprocess.run([ruff, *args], cwd=project, capture_output=True, text=True)
        assert proc.returncode == 0, f"ruff {args[0]}:\n{proc.stdout}{proc.stderr}"


def test_static_check_runs_hadolint_on_dockerfiles() -> None:
    found = static.problems({"Dockerfile": b"FROM python\nRUN cd /tmp && make\n"})
    assert any("DL3006" in p for p in found)  # untagged base image
    assert any("DL3003" in p for p in found)  # cd instead of WORKDIR
