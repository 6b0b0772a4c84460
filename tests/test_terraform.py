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


# A root folder that calls a local module, and the module: each folder is a scope.
CALLER = """
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "region" {
  type = string
}

module "logs" {
  source = "./modules/bucket"

  name = "shop-${var.region}"
}

output "logs_bucket" {
  value = module.logs.id
}
"""
BUCKET_MODULE = {
    "deploy/aws/modules/bucket/variables.tf": (
        'variable "name" {\n  description = "Name of the bucket."\n  type        = string\n}\n\n'
        'variable "versioned" {\n  description = "Keep versions."\n  type        = bool\n'
        "  default     = false\n}\n"
    ),
    "deploy/aws/modules/bucket/main.tf": (
        'resource "aws_s3_bucket" "this" {\n  bucket = var.name\n}\n\n'
        'output "id" {\n  value = aws_s3_bucket.this.id\n}\n'
    ),
}


def _configuration(files: Mapping[str, str]) -> list[str]:
    return terraform.configuration({path: terraform.parse(text) for path, text in files.items()})


def test_a_local_module_is_a_scope_of_its_own() -> None:
    good = {"deploy/aws/main.tf": CALLER, **BUCKET_MODULE}
    assert _configuration(good) == []
    # The module cannot see the caller's variables, nor the caller the module's resources.
    leaky = {
        **good,
        "deploy/aws/modules/bucket/main.tf": BUCKET_MODULE["deploy/aws/modules/bucket/main.tf"]
        + 'resource "aws_s3_bucket_versioning" "this" {\n  bucket = "${var.region}-x"\n'
        '  versioning_configuration {\n    status = "Enabled"\n  }\n}\n',
        "deploy/aws/outputs.tf": 'output "raw" {\n  value = aws_s3_bucket.this.arn\n}\n',
    }
    found = _configuration(leaky)
    assert "deploy/aws/modules/bucket/main.tf: var.region is not declared" in found
    assert "deploy/aws/outputs.tf: aws_s3_bucket.this is not declared" in found


def test_module_calls_are_checked_against_the_module() -> None:
    broken = CALLER.replace('  name = "shop-${var.region}"\n', '  colour = "blue"\n')
    broken = broken.replace("module.logs.id", "module.logs.arn")
    broken += 'output "other" {\n  value = module.archive.id\n}\n'
    found = _configuration({"deploy/aws/main.tf": broken, **BUCKET_MODULE})
    assert "deploy/aws/main.tf: module.logs does not set name, which has no default" in found
    assert "deploy/aws/main.tf: module.logs sets colour, which the module does not declare" in found
    assert "deploy/aws/main.tf: module.logs.arn is not an output of the module" in found
    assert "deploy/aws/main.tf: module.archive is not declared" in found
    assert len(found) == 4
    missing = _configuration({"deploy/aws/main.tf": CALLER})  # the module folder is not there
    assert missing == [
        "deploy/aws/main.tf: module.logs calls deploy/aws/modules/bucket, which holds no .tf file"
    ]


def test_local_sources_resolve_against_the_calling_folder() -> None:
    assert terraform.local_source("deploy/gcp", '"./modules/private-vm"') == (
        "deploy/gcp/modules/private-vm"
    )
    assert terraform.local_source("deploy/gcp", "../shared/vm") == "deploy/shared/vm"
    assert terraform.local_source("deploy/gcp", '"hashicorp/consul/aws"') is None


def test_checkov_sees_a_module_with_the_folder_that_calls_it() -> None:
    files = {
        "deploy/aws/main.tf": b"",
        "deploy/aws/modules/bucket/main.tf": b"",
        "deploy/gcp/main.tf": b"",
        "deploy/kubernetes/x.yaml": b"",
    }
    assert terraform.checkov_modules(files) == [
        ("deploy/aws", {"deploy/aws/main.tf": b"", "deploy/aws/modules/bucket/main.tf": b""}),
        ("deploy/gcp", {"deploy/gcp/main.tf": b""}),
    ]


def test_checkov_reports_a_failed_check_inside_a_module_and_honours_its_skips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # no verdict from an earlier run
    files = {"deploy/aws/main.tf": CALLER, **BUCKET_MODULE}
    caller = {path: text.encode() for path, text in files.items()}
    (module,) = terraform.checkov_modules(caller)
    skipped = dict(caller)
    skipped["deploy/aws/modules/bucket/main.tf"] = (
        BUCKET_MODULE["deploy/aws/modules/bucket/main.tf"]
        .replace(
            'resource "aws_s3_bucket" "this" {\n',
            'resource "aws_s3_bucket" "this" {\n'
            "  #checkov:skip=CKV_AWS_18: a test bucket that keeps no access logs on purpose\n",
        )
        .encode()
    )
    (quiet,) = terraform.checkov_modules(skipped)
    failed, calmer = checkov.judge("terraform", [module, quiet])
    in_module = [p for p in failed if p.startswith("deploy/aws/modules/bucket/main.tf: ")]
    assert any("CKV_AWS_18 on module.logs.aws_s3_bucket.this" in p for p in in_module), failed
    assert not any("CKV_AWS_18" in p for p in calmer)
    assert set(failed) - set(calmer) == {p for p in failed if "CKV_AWS_18" in p}


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
    "azure": {"environment", "secrets", "volumes", "max_replicas"},
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


# The Azure deployment: rules that hold for every combination rendered with --cloud azure.

AZURE = [c for c in all_valid(default_catalog()) if c.choices["cloud"] == "azure"]
VAULT_REFERENCE = re.compile(r"\$\{azurerm_key_vault_secret\.\w+\.versionless_id\}")
# The roles the deploy identity may hand out (github.tf), by the IDs Azure gives them.
ASSIGNABLE_ROLES = {
    "AcrPull": "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    "AcrPush": "8311e382-0749-4cb8-b61a-304f252e45ec",
    "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
    "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
}
# … and those a blob store adds.
STORAGE_ROLES = {
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Storage Blob Delegator": "db58b8e5-c6ad-4a2a-8342-4190687cbf4a",
}


def azure_modules(combo: Combination) -> dict[str, Any]:
    return _azure_modules(combo.id)


@cache
def _azure_modules(combo_id: str) -> dict[str, Any]:
    combo = next(c for c in AZURE if c.id == combo_id)
    return _deploy_modules(render(combo.answers())[1], "azure")


def resources(modules: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    found = {}
    for module in modules.values():
        for block in module.get("resource", []):
            for type_, named in block.items():
                if type_.strip('"') == kind:
                    found.update({name.strip('"'): body for name, body in named.items()})
    return found


def locals_of(modules: dict[str, Any]) -> dict[str, Any]:
    return {k: v for m in modules.values() for b in m.get("locals", []) for k, v in b.items()}


def test_there_are_azure_combinations_and_their_blob_store_is_azure_blob() -> None:
    assert len(AZURE) >= 24
    assert {c.choices["storage"] for c in AZURE} == {"none", "azure-blob"}


MODULE_OUTPUT = re.compile(r"\$\{module\.(\w+)\.(\w+)\}")


def module_calls(modules: dict[str, Any], folder: str) -> dict[str, dict[str, Any]]:
    """The module blocks of the .tf files directly in `folder`, by name."""
    return {
        name.strip('"'): body
        for path, module in modules.items()
        if path.rpartition("/")[0] == folder
        for block in module.get("module", [])
        for name, body in block.items()
    }


def module_files(modules: dict[str, Any], folder: str, call: Mapping[str, Any]) -> dict[str, Any]:
    """The parsed files of the local module a call names (`source = "./modules/x"`)."""
    target = terraform.local_source(folder, call["source"])
    return {p: m for p, m in modules.items() if p.rpartition("/")[0] == target}


def output_value(modules: dict[str, Any], folder: str, reference: str) -> str:
    """What `${module.x.y}` stands for: the value of output y in the module x calls."""
    match = MODULE_OUTPUT.fullmatch(reference)
    if match is None:
        return reference
    call = module_calls(modules, folder)[match[1]]
    outputs = {
        name.strip('"'): body["value"]
        for module in module_files(modules, folder, call).values()
        for block in module.get("output", [])
        for name, body in block.items()
    }
    return str(outputs[match[2]])


@pytest.mark.parametrize("combo", AZURE, ids=lambda c: c.id)
def test_azure_services_name_their_key_vault_secrets_versionless(combo: Combination) -> None:
    """So a new secret version reaches the app without a change to its definition."""
    modules = azure_modules(combo)
    inputs = {k: v for k, v in locals_of(modules).items() if k.endswith("_for_app")}
    assert "database_for_app" in inputs
    for name, value in inputs.items():
        for variable, reference in value["secrets"].items():
            # A self-managed service's secret lives in its module, named by an output.
            resolved = output_value(modules, "deploy/azure", reference)
            assert VAULT_REFERENCE.fullmatch(resolved), (
                f"{name}.secrets.{variable} must name a Key Vault secret, versionless"
            )


@pytest.mark.parametrize("combo", AZURE, ids=lambda c: c.id)
def test_container_apps_hold_key_vault_references_not_secret_values(combo: Combination) -> None:
    for name, app in resources(azure_modules(combo), "azurerm_container_app").items():
        blocks = list(app.get("secret", []))
        blocks += [d["secret"]["content"][0] for d in app.get("dynamic", []) if "secret" in d]
        for secret in blocks:
            assert "value" not in secret, f"{name} stores a secret value"
            assert {"identity", "key_vault_secret_id"} <= set(secret), name
        assert app["identity"][0]["type"] == '"UserAssigned"', name


@pytest.mark.parametrize("database", ["postgresql", "mysql"])
def test_database_passwords_are_write_only(database: str) -> None:
    combo = next(c for c in AZURE if c.choices["database"] == database)
    modules = azure_modules(combo)
    assert not resources(modules, "random_password"), "the password would be in the state"
    (server,) = resources(modules, f"azurerm_{database}_flexible_server").values()
    assert "administrator_password_wo" in server and "administrator_password" not in server
    secret = resources(modules, "azurerm_key_vault_secret")["database_url"]
    assert "value_wo" in secret and "value" not in secret
    assert secret["value_wo_version"] == server["administrator_password_wo_version"]
    tls = "sslmode=require" if database == "postgresql" else "ssl_check_hostname=false"
    assert tls in secret["value_wo"]


def test_sqlite_on_azure_is_one_replica_on_a_locking_share() -> None:
    combo = next(c for c in AZURE if c.choices["database"] == "sqlite")
    database = locals_of(azure_modules(combo))["database_for_app"]
    assert database["max_replicas"] == 1
    (volume,) = database["volumes"].values()
    assert volume["mount_path"] == '"/app/data"'  # where the image keeps the file
    assert "nobrl" not in volume["mount_options"]  # SMB byte-range locks stay on


def test_redis_on_azure_is_reached_over_tls() -> None:
    combo = next(c for c in AZURE if c.choices["cache"] == "redis")
    url = resources(azure_modules(combo), "azurerm_key_vault_secret")["cache_url"]["value"]
    assert url.startswith('"rediss://')


def test_front_door_caches_only_paths_the_app_gives_cache_control() -> None:
    combo = next(c for c in AZURE if c.choices["cdn"] is True)
    modules = azure_modules(combo)
    pattern = locals_of(modules)["cdn_cacheable_paths"].strip('"').replace("\\\\", "\\")
    cacheable = re.compile(pattern)
    rules = resources(modules, "azurerm_cdn_frontdoor_rule")
    search = rules["no_cache_search"]["conditions"][0]["url_path_condition"][0]["match_values"]
    # Front Door's path has no leading slash; both forms are covered.
    for path in ("orders", "/orders", "orders/1f3c", "/orders/1f3c"):
        assert cacheable.search(path), path
    for path in ("health", "ready", "orders/1f3c/confirmation", "openapi.json", ""):
        assert not cacheable.search(path), path
    assert '"orders/search"' in search  # matches the pattern, so a rule of its own
    for rule in rules.values():
        action = rule["actions"][0]["route_configuration_override_action"][0]
        assert action["cache_behavior"] == '"Disabled"'


@pytest.mark.parametrize("storage", ["none", "azure-blob"])
def test_the_deploy_identity_may_assign_exactly_the_roles_the_configuration_uses(
    storage: str,
) -> None:
    combo = next(c for c in AZURE if c.choices["storage"] == storage)
    roles = ASSIGNABLE_ROLES | (STORAGE_ROLES if storage != "none" else {})
    modules = azure_modules(combo)
    assignments = resources(modules, "azurerm_role_assignment")
    own = {"deploy", "deploy_roles"}  # its own two, created by an administrator's first apply
    used = {a["role_definition_name"].strip('"') for n, a in assignments.items() if n not in own}
    assert used == set(roles)
    condition = assignments["deploy_roles"]["condition"]
    assert "local.assignable_roles" in condition
    listed = locals_of(modules)["assignable_roles"]
    assert sorted(re.findall(r"[0-9a-f-]{36}", listed)) == sorted(roles.values())
    credential = resources(modules, "azurerm_federated_identity_credential")["deploy"]
    assert credential["subject"].endswith(':environment:production"')


def test_only_the_app_faces_the_internet() -> None:
    combo = next(c for c in AZURE if c.choices["queue"] != "none" and c.choices["search"] != "none")
    modules = azure_modules(combo)
    root = {p: m for p, m in modules.items() if p.rpartition("/")[0] == "deploy/azure"}
    apps = resources(root, "azurerm_container_app")
    assert set(apps) == {"app", "worker"}
    assert "ingress" not in apps["worker"]  # it serves no traffic
    assert apps["app"]["ingress"][0]["external_enabled"] is True
    assert apps["app"]["ingress"][0]["allow_insecure_connections"] is False
    # Search and the queue are one Container App each, made by the internal-app module.
    calls = module_calls(modules, "deploy/azure")
    assert set(calls) == {"search", "queue"}
    assert calls["search"]["transport"] == '"http"'
    assert calls["queue"]["transport"] == '"tcp"'
    for name, call in calls.items():
        made = resources(module_files(modules, "deploy/azure", call), "azurerm_container_app")
        (ingress,) = next(iter(made.values()))["ingress"]
        assert len(made) == 1, name
        assert ingress["external_enabled"] is False, name
        assert ingress["allow_insecure_connections"] is False, name
