"""Render tier: every valid combination of verified choices renders and passes static checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

from generator.catalog import default_catalog
from generator.project import generate, render
from generator.resources import TEMPLATES_DIR
from generator.verify import kubernetes, static
from generator.verify.matrix import (
    STATIC_AXES,
    Combination,
    all_valid,
    covering,
    deployment_defaults,
)
from generator.verify.runner import toolchain_env

COMBINATIONS = all_valid(default_catalog())
# One combination per set of app-shaping choices: the deployment-only axes add no code.
APP_VARIANTS = deployment_defaults(default_catalog(), COMBINATIONS)


def _ecosystem(combo: Combination) -> str:
    return default_catalog().ecosystem(str(combo.choices["language"]))


PYTHON_VARIANTS = [c for c in APP_VARIANTS if _ecosystem(c) == "python"]
_NODE_APPS = [c for c in APP_VARIANTS if _ecosystem(c) == "node"]
_TYPESCRIPT_APPS = [c for c in _NODE_APPS if c.choices["language"] == "typescript"]


def _fullest(candidates: list[Combination]) -> list[Combination]:
    """The one with the most add-ons at once (the first among equals), if any has one."""
    most = max((len(c.features()) for c in candidates), default=0)
    return [next(c for c in candidates if len(c.features()) == most)] if most else []


def _node_variants() -> list[Combination]:
    """Each costs an npm install, so few stand for all. Per framework: every database
    bare; the most add-ons at once that CI's end-to-end set proves (on a SQL database so
    far); and the most add-ons on MongoDB with the blob store that one leaves out (Azure
    Blob), for the add-ons' code of the other store kind and the other blob store.

    A whole run (`make test`) leaves those its end-to-end tier lints anyway to that tier,
    except each framework's default project (tests/conftest.py).
    """
    ci_set = covering(default_catalog(), alone=False)
    chosen: list[Combination] = []
    for fw in dict.fromkeys(c.choices["framework"] for c in _NODE_APPS):
        on_it = [c for c in _TYPESCRIPT_APPS if c.choices["framework"] == fw]
        chosen += [c for c in on_it if not c.features()]
        chosen += _fullest([c for c in ci_set if c.choices["framework"] == fw])
        chosen += _fullest(
            [
                c
                for c in on_it
                if (c.choices["database"], c.choices["storage"]) == ("mongodb", "azure-blob")
            ]
        )
    # JavaScript is the TypeScript with its types removed: its lint proves the translation
    # (ESLint's recommended rules catch an undefined name, say). Bare on SQLite, and CI's
    # every-add-on combination.
    javascript = [c for c in _NODE_APPS if c.choices["language"] == "javascript"]
    chosen += [c for c in javascript if not c.features() and c.choices["database"] == "sqlite"]
    chosen += _fullest([c for c in ci_set if c.choices["language"] == "javascript"])
    return list({c.id: c for c in chosen}.values())


NODE_VARIANTS = _node_variants()


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
    "azure-blob": ("azurite", "AZURE_STORAGE_CONTAINER", ""),
    "mongodb": ("mongo", "DATABASE_URL", "mongodb://"),
}


# Secrets an app reads itself, generated into .env whatever servers it has.
APP_SECRETS = {"DJANGO_SECRET_KEY"}


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
        # No server, so no service's password: at most a secret the app itself needs.
        env = files.get(".env", b"").decode().splitlines()
        generated = {line.split("=", 1)[0] for line in env if line and not line.startswith("#")}
        assert generated <= APP_SECRETS


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
    """What lets the linter run once per app variant: clouds and clusters bring no code."""
    deployment = [f"{axis}-" for axis in STATIC_AXES]
    code = [
        path.relative_to(TEMPLATES_DIR)
        for path in TEMPLATES_DIR.rglob("*")
        if path.name.endswith((".py", ".py.jinja", ".ts", ".ts.jinja"))
        and any(part.removeprefix("when-").startswith(tuple(deployment)) for part in path.parts)
    ]
    assert code == []


@pytest.mark.parametrize("name", ["shop", LONGEST_NAME], ids=["short-name", "longest-name"])
@pytest.mark.parametrize("combo", PYTHON_VARIANTS, ids=lambda c: c.id)
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


def test_node_variants_are_few() -> None:
    """Each costs an npm install below: per Node framework, one per database and two with
    the most add-ons."""
    typescript = [c for c in NODE_VARIANTS if c.choices["language"] == "typescript"]
    for framework in {c.choices["framework"] for c in _NODE_APPS}:
        databases = len(
            {c.choices["database"] for c in _NODE_APPS if c.choices["framework"] == framework}
        )
        on_it = [c for c in typescript if c.choices["framework"] == framework]
        assert len([c for c in on_it if not c.features()]) == databases, framework
        assert len([c for c in on_it if c.features()]) == 2, framework
        assert {"s3", "azure-blob"} <= {str(c.choices["storage"]) for c in on_it}, framework
    # Express in JavaScript: bare on SQLite, and with every add-on (CI's pick).
    javascript = [c for c in NODE_VARIANTS if c.choices["language"] == "javascript"]
    assert [c.id for c in javascript if not c.features()] == ["express-javascript-sqlite"]
    assert len([c for c in javascript if len(c.features()) == 5]) == 1


@pytest.mark.parametrize("combo", NODE_VARIANTS, ids=lambda c: c.id)
def test_generated_node_passes_its_own_linter(combo: Combination, tmp_path: Path) -> None:
    """`tsc --noEmit` and ESLint (the project's `npm run lint`; ESLint alone in JavaScript)
    accept the code as rendered.

    Installed without install scripts: the type checker and linter need no native build,
    and skipping better-sqlite3's compile keeps this to seconds on a warm npm cache.
    """
    project = tmp_path / LONGEST_NAME
    generate(combo.answers(LONGEST_NAME), project)
    env = {**os.environ, **toolchain_env()}
    for command in (["npm", "install", "--ignore-scripts"], ["npm", "run", "lint"]):
        proc = subprocess.run(
            command, cwd=project, env=env, capture_output=True, text=True, timeout=600
        )
        assert proc.returncode == 0, f"{' '.join(command)}:\n{proc.stdout}{proc.stderr}"


def test_static_check_runs_hadolint_on_dockerfiles() -> None:
    found = static.problems({"Dockerfile": b"FROM python\nRUN cd /tmp && make\n"})
    assert any("DL3006" in p for p in found)  # untagged base image
    assert any("DL3003" in p for p in found)  # cd instead of WORKDIR


KUBERNETES = [c for c in COMBINATIONS if c.choices["kubernetes"] is True]
K8S = "deploy/kubernetes"


def _env_names(text: bytes, commented: bool) -> list[str]:
    """`NAME=value` lines of an env file, and with `commented` also `# NAME=value` ones."""
    pattern = r"^(#\s)?([A-Z][A-Z0-9_]*)="
    return [
        m[2]
        for m in (re.match(pattern, line) for line in text.decode().splitlines())
        if m and (commented or not m[1])
    ]


@pytest.mark.parametrize("combo", KUBERNETES, ids=lambda c: c.id)
def test_kubernetes_env_files_hold_every_variable_the_app_reads(combo: Combination) -> None:
    plan, files = render(combo.answers())
    contrib = plan.context["contrib"]
    config = _env_names(files[f"{K8S}/config.env"], commented=True)
    secret = _env_names(files[f"{K8S}/secret.env.example"], commented=False)
    assert sorted(config + secret) == sorted(v["name"] for v in contrib["env"])
    assert secret == [v["name"] for v in contrib["env"] if v.get("secret")]
    assert set(contrib["kubernetes_config"]) <= set(config)
    assert set(_env_names(files[f"{K8S}/config.env"], commented=False)) == set(
        contrib["kubernetes_config"]
    )
    assert "secret.env" not in files  # the user writes it; only the example is committed


@pytest.mark.parametrize("combo", KUBERNETES, ids=lambda c: c.id)
def test_kubernetes_build_fits_the_database_and_the_queue(combo: Combination) -> None:
    _, files = render(combo.answers())
    built = kubernetes.build(
        K8S, {p[len(K8S) + 1 :]: d for p, d in files.items() if p.startswith(K8S)}
    )
    assert isinstance(built, list), built
    kinds = {(o["kind"], o["metadata"]["name"]): o for o in built}
    app = kinds[("Deployment", "app")]["spec"]
    deployments = [o for o in built if o["kind"] == "Deployment"]
    if combo.choices["database"] in ("sqlite", "h2"):  # the embedded databases' one file
        assert app["replicas"] == 1 and app["strategy"] == {"type": "Recreate"}
        assert ("HorizontalPodAutoscaler", "app") not in kinds
        assert ("PersistentVolumeClaim", "app-data") in kinds
        for deployment in deployments:  # the worker too: it writes to the same file
            pod = deployment["spec"]["template"]["spec"]
            assert {"name": "data", "persistentVolumeClaim": {"claimName": "app-data"}} in pod[
                "volumes"
            ]
            assert "podAffinity" in pod["affinity"]
    else:
        assert "replicas" not in app and app["strategy"]["type"] == "RollingUpdate"
        assert kinds[("HorizontalPodAutoscaler", "app")]["spec"]["minReplicas"] >= 2
        assert not any(o["kind"] == "PersistentVolumeClaim" for o in built)
    workers = {d["metadata"]["name"] for d in deployments} - {"app"}
    assert workers == ({"worker"} if combo.choices["queue"] == "rabbitmq" else set())
    # The kustomization's image and generated names reached every pod.
    for deployment in deployments:
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["image"].startswith("registry.example.com/")
        refs = [next(iter(e.values()))["name"] for e in container["envFrom"]]
        assert [r.rsplit("-", 1)[0] for r in refs] == ["app-config", "app-secrets"]


KUSTOMIZATION = b"""\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: demo
resources:
  - deployment.yaml
  - gone.yaml
secretGenerator:
  - name: s
    envs: [secret.env]
"""

INSECURE = b"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    checkov.io/skip1: CKV_K8S_43=too short
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext: {privileged: true}
"""


def test_kubernetes_check_finds_missing_unnamed_invalid_and_unexplained() -> None:
    found = static.problems(
        {
            "k/kustomization.yaml": KUSTOMIZATION,
            "k/deployment.yaml": INSECURE.replace(b"image:", b"imagee:"),
            "k/extra.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
            "k/secret.env.example": b"A=1\n",
        }
    )
    assert "k/kustomization.yaml: names gone.yaml, which does not exist" in found
    assert "k/extra.yaml: not named by kustomization.yaml" in found
    assert "k/kustomization.yaml: secret.env is written by the user but not git-ignored" in found
    assert any(
        p.startswith("k/deployment.yaml: Deployment web: Kubernetes 1.30.0 schema:")
        and "imagee" in p
        for p in found
    )
    assert "k/deployment.yaml: checkov.io/skip1=CKV_K8S_43 gives no reason" in found


def test_kubernetes_check_builds_and_runs_checkov() -> None:
    files = {
        "k/kustomization.yaml": KUSTOMIZATION.replace(b"  - gone.yaml\n", b""),
        "k/deployment.yaml": INSECURE.replace(b"too short", b"a reason that is long enough"),
        "k/secret.env.example": b"A=1\n",
        "k/.gitignore": b"secret.env\n",
    }
    found = static.problems(files)
    assert found, "a privileged container must not pass"
    assert all(p.startswith("k/kustomize-build.yaml: checkov CKV") for p in found), found
    assert any("CKV_K8S_16 on Deployment.demo.web" in p for p in found)  # privileged
    assert not any("CKV_K8S_43" in p for p in found)  # skipped, with its reason
