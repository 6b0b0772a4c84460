"""Files written from merged contributions rather than from a template.

Each writer owns one file; fragments add to it only through extension points.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from generator.plan import Plan

Writer = Callable[["Plan"], str]


class _Dumper(yaml.SafeDumper):
    """Block YAML as people write it: list items indented under their key, no line folding."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        """Write shared values out in full: anchors and aliases puzzle people reading it."""
        return True


# Dumped text by the repr of the data (plain dicts, lists and scalars, whose repr tells
# types apart): the combinations of a render tier dump the same services and manifests
# again and again, and PyYAML's emitter is pure Python.
_dumped: dict[str, str] = {}


def dump_yaml(data: Any) -> str:
    key = repr(data)
    text = _dumped.get(key)
    if text is None:
        text = _dumped[key] = yaml.dump(
            data,
            Dumper=_Dumper,
            default_flow_style=False,
            sort_keys=False,
            allow_unicode=True,
            width=10_000,
        )
    return text


def compose(plan: Plan) -> str:
    contrib = plan.context["contrib"]
    app = dict(contrib["compose_app"])
    if contrib["compose_app_environment"]:
        app["environment"] = contrib["compose_app_environment"]
    # The app waits for every backing service that can say it is healthy.
    backing = [n for n, svc in contrib["compose_services"].items() if "healthcheck" in svc]
    if backing:
        app["depends_on"] = {name: {"condition": "service_healthy"} for name in backing}
    services = {"app": app, **contrib["compose_services"]}
    for name, extra in contrib["compose_workers"].items():
        services[name] = _worker(app, extra)
    doc: dict[str, Any] = {"services": services}
    if contrib["compose_volumes"]:
        doc["volumes"] = contrib["compose_volumes"]
    header = (
        "# The app and exactly the services it was generated with.\n"
        "# `docker compose up --build` starts them; passwords come from .env.\n"
    )
    return header + dump_yaml(doc)


def _worker(app: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Another process of the app's image: same build, configuration and data, no port.

    It starts once the app is healthy (the app migrates the database), and turns off the
    image's HTTP health check, which only the web process can answer.
    """
    shared = {k: v for k, v in app.items() if k in ("build", "env_file", "environment", "volumes")}
    depends_on = {"app": {"condition": "service_healthy"}, **app.get("depends_on", {})}
    return {**shared, **extra, "depends_on": depends_on, "healthcheck": {"disable": True}}


def env_example(plan: Plan) -> str:
    contrib = plan.context["contrib"]
    lines = [
        f"# Configuration of {plan.context['project']['title']}, read from the environment.",
        "# Every variable is optional: unset, the app runs on its embedded defaults.",
        "# Copy what you need into .env (git-ignored).",
    ]
    for var in contrib["env"]:
        lines += ["", f"# {var['help']}", f"{var['name']}={var['example']}"]
    # A secret the app reads itself is listed above, with its help; the rest are Compose's.
    declared = {var["name"] for var in contrib["env"]}
    compose_only = [name for name in contrib["secrets"] if name not in declared]
    if compose_only:
        lines += ["", "# Generated into .env for Docker Compose; never commit real values."]
        lines += [f"{name}=" for name in compose_only]
    return "\n".join(lines) + "\n"


def env_secrets(plan: Plan) -> str:
    lines = ["# Secrets generated for this project only. Git-ignored: never commit this file."]
    # Hex: safe in URLs, connection strings and shells, and valid base64 too (Azurite's
    # account keys must be), with 256 random bits: 64 characters, as long as Django's
    # deploy check asks a secret key to be.
    lines += [f"{name}={secrets.token_hex(32)}" for name in plan.context["contrib"]["secrets"]]
    return "\n".join(lines) + "\n"


def answers_file(plan: Plan) -> str:
    answers = plan.answers
    data: dict[str, Any] = {
        "generator": {"name": "backendgen", "version": plan.context["generator"]["version"]},
        "name": answers.name,
    }
    if answers.description:
        data["description"] = answers.description
    data["answers"] = dict(answers.choices)
    data["command"] = plan.context["command"]
    header = (
        "# Written by backendgen. `backendgen new NAME --from .backendgen.yaml` makes the\n"
        "# same project again; the command below reproduces this one exactly.\n"
    )
    return header + dump_yaml(data)


def _writers(contrib: dict[str, Any]) -> dict[str, Writer]:
    chosen: dict[str, Writer] = {
        ".backendgen.yaml": answers_file,
        ".env.example": env_example,
        "compose.yaml": compose,
    }
    if contrib["secrets"]:
        chosen[".env"] = env_secrets
    return chosen


def outputs(contrib: dict[str, Any]) -> list[str]:
    return list(_writers(contrib))


def write_all(plan: Plan) -> dict[str, str]:
    return {path: writer(plan) for path, writer in _writers(plan.context["contrib"]).items()}
