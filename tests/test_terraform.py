"""The Terraform checks the render tier applies where `terraform validate` cannot run."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator.catalog import default_catalog
from generator.project import render
from generator.verify import checkov, terraform
from generator.verify.matrix import Combination, all_valid

MAIN = """
variable "region" {
  type = string
}

resource "aws_s3_bucket" "receipts" {
  bucket = "shop-${var.region}"
}
"""


def test_undeclared_references_and_double_declarations_are_found() -> None:
    good = {"deploy/main.tf": terraform.parse(MAIN)}
    assert terraform.references(good) == []
    broken = {
        **good,
        "deploy/app.tf": terraform.parse(
            'resource "aws_s3_bucket" "receipts" {\n  bucket = var.name\n}\n'
            'output "bucket" {\n  value = aws_s3_bucket.logs.id\n}\n'
        ),
    }
    found = terraform.references(broken)
    assert "deploy/app.tf: var.name is not declared" in found
    assert "deploy/app.tf: aws_s3_bucket.logs is not declared" in found
    assert any("aws_s3_bucket.receipts is declared 2 times" in p for p in found)


def test_a_checkov_skip_must_say_why() -> None:
    text = (
        "#checkov:skip=CKV_AWS_18: access logs would double the bucket's cost here\n"
        "#checkov:skip=CKV_AWS_144\n"
    )
    assert terraform.skip_reasons("main.tf", text) == [
        "main.tf: checkov:skip=CKV_AWS_144 gives no reason"
    ]


def test_checkov_judges_a_module_alike_alone_and_in_a_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batching is only a speed-up: each folder keeps its own verdict, and its skips."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # no verdict from an earlier run
    open_bucket = {"deploy/aws/main.tf": MAIN.encode()}
    skipped = MAIN.replace(
        'resource "aws_s3_bucket" "receipts" {\n',
        'resource "aws_s3_bucket" "receipts" {\n'
        "  #checkov:skip=CKV_AWS_18: a test bucket that keeps no access logs on purpose\n",
    )
    quieter = {"deploy/gcp/main.tf": skipped.encode()}
    batched = checkov.judge("terraform", [("deploy/aws", open_bucket), ("deploy/gcp", quieter)])
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "alone"))
    alone = [
        checkov.judge("terraform", [module])[0]
        for module in [("deploy/aws", open_bucket), ("deploy/gcp", quieter)]
    ]
    assert batched == alone
    assert any("CKV_AWS_18" in p and p.startswith("deploy/aws/main.tf") for p in batched[0])
    assert not any("CKV_AWS_18" in p for p in batched[1])
    assert batched[1] and all(p.startswith("deploy/gcp/main.tf") for p in batched[1])


# What each backing service's `<axis>_for_app` local must say, per cloud (the comment at
# the top of deploy/<cloud>/app.tf documents the same keys).
FOR_APP_KEYS = {
    "aws": {"environment", "secrets", "efs_volumes", "max_tasks"},
    "gcp": {"environment", "secrets", "nfs_volumes", "max_instances", "cdn", "deploy_roles"},
}
# Variables that carry a password or a key: the app must get them from the secret store.
SECRET_VARIABLES = {"DATABASE_URL", "REDIS_URL", "SEARCH_URL", "AMQP_URL", "AWS_SECRET_ACCESS_KEY"}
# Attributes whose value is a password or a key, which a plain variable must never carry.
_SECRET_VALUE = re.compile(
    r"random_password\.|\.auth_string\b|\.secure_password\b|hmac_key\.\w+\.secret\b|\.result\b"
)
_LOCAL = re.compile(r"^\$\{local\.(\w+)\}$")

CLOUD_COMBINATIONS = [c for c in all_valid(default_catalog()) if c.choices["cloud"] != "none"]


def for_app_problems(modules: Mapping[str, Any], keys: set[str]) -> list[str]:
    """What is wrong with the `*_for_app` locals of one deploy folder, given app.tf's list."""
    found: list[str] = []
    declared: dict[str, dict[str, Any]] = {}
    merged: list[str] = []
    for path, module in modules.items():
        for block in module.get("locals", []):
            for name, value in block.items():
                if name.endswith("_for_app"):
                    declared[name] = value
                elif name == "backing_services" and path.endswith("/app.tf"):
                    merged = [m[1] for v in value if (m := _LOCAL.match(v))]
    for name in sorted(set(declared) - set(merged)):
        found.append(f"local.{name} is not merged into the app (backing_services)")
    for name in sorted(set(merged) - set(declared)):
        found.append(f"backing_services names local.{name}, which no file declares")
    for name, value in sorted(declared.items()):
        given = {k for k in value if not k.startswith("__")}
        if given != keys:
            found.append(f"local.{name} has keys {sorted(given)}, expected {sorted(keys)}")
            continue
        for variable, expression in value["environment"].items():
            if variable in SECRET_VARIABLES or _SECRET_VALUE.search(str(expression)):
                found.append(f"local.{name} passes {variable} as a plain variable")
    return found


@cache
def _parse(data: bytes) -> Any:
    """Most files are the same in many combinations; each is parsed once."""
    return terraform.parse(data.decode())


def _deploy_modules(files: Mapping[str, bytes], cloud: str) -> dict[str, Any]:
    folder = f"deploy/{cloud}/"
    return {
        path: _parse(data)
        for path, data in files.items()
        if path.startswith(folder) and path.endswith(".tf")
    }


@pytest.mark.parametrize("combo", CLOUD_COMBINATIONS, ids=lambda c: c.id)
def test_every_service_hands_the_app_one_complete_local_and_no_plain_secret(
    combo: Combination,
) -> None:
    cloud = str(combo.choices["cloud"])
    _, files = render(combo.answers())
    modules = _deploy_modules(files, cloud)
    assert for_app_problems(modules, FOR_APP_KEYS[cloud]) == []
    # Each service the project was generated with hands something over.
    merged = str(modules[f"deploy/{cloud}/app.tf"]["locals"][0]["backing_services"])
    for axis in ("cache", "search", "queue", "storage"):
        assert (f"local.{axis}_for_app" in merged) == (combo.choices[axis] != "none"), axis


def test_for_app_problems_are_found() -> None:
    app = "locals {\n  backing_services = [local.database_for_app, local.ghost_for_app]\n}\n"
    database = (
        "locals {\n  database_for_app = {\n"
        '    environment = { DATABASE_URL = "x", TOKEN = random_password.t.result }\n'
        "    secrets = {}\n    efs_volumes = {}\n    max_tasks = null\n  }\n"
        "  cache_for_app = {\n    environment = {}\n  }\n}\n"
    )
    found = for_app_problems(
        {"deploy/aws/app.tf": terraform.parse(app), "deploy/aws/db.tf": terraform.parse(database)},
        FOR_APP_KEYS["aws"],
    )
    assert "local.cache_for_app is not merged into the app (backing_services)" in found
    assert "backing_services names local.ghost_for_app, which no file declares" in found
    assert any(p.startswith("local.cache_for_app has keys ['environment']") for p in found)
    assert "local.database_for_app passes DATABASE_URL as a plain variable" in found
    assert "local.database_for_app passes TOKEN as a plain variable" in found
