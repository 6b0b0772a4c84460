"""The catalog's schema check: the shipped stacks.yaml passes, broken ones fail by name."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.catalog import load, parse
from generator.cli import AXIS_OPTIONS
from generator.errors import CatalogError
from generator.resources import CATALOG_PATH, TEMPLATES_DIR


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(CATALOG_PATH.read_text())


def problems_of(data: dict[str, Any], templates: Path | None = None) -> list[str]:
    with pytest.raises(CatalogError) as err:
        parse(data, templates)
    return err.value.problems


def test_shipped_catalog_is_valid_with_its_templates() -> None:
    catalog = load()
    assert catalog.framework("fastapi").verified


def test_every_axis_has_a_cli_option_and_back() -> None:
    assert set(AXIS_OPTIONS) == set(load().axes)


def test_unknown_key_fails(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["axes"]["database"]["choices"]["sqlite"]["colour"] = "blue"
    assert problems_of(data) == ["axes.database.choices.sqlite: unknown key 'colour'"]


def test_unknown_top_level_key_fails(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw) | {"extras": 1}
    assert problems_of(data) == ["catalog: unknown key 'extras'"]


def test_rule_naming_a_missing_choice_fails(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["rules"].append(
        {"id": "x", "when": {"database": "oracle", "cache": "redis"}, "reason": "r", "fix": "f"}
    )
    assert problems_of(data) == ["rules.x: names unknown database 'oracle'"]


def test_rule_naming_a_missing_axis_fails(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["rules"].append(
        {"id": "y", "when": {"colour": "red", "cache": "redis"}, "reason": "r", "fix": "f"}
    )
    assert problems_of(data) == ["rules.y: names an unknown axis 'colour'"]


def test_requires_naming_a_missing_choice_fails(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["axes"]["framework"]["choices"]["flask"]["requires"] = {"language": ["cobol"]}
    assert problems_of(data) == [
        "axes.framework.choices.flask: requires names unknown language 'cobol'"
    ]


def test_a_language_translated_from_another_must_name_one_with_templates_of_its_own(
    raw: dict[str, Any],
) -> None:
    data = copy.deepcopy(raw)
    data["axes"]["language"]["choices"]["javascript"]["from"] = "cobol"
    data["axes"]["language"]["choices"]["ruby"]["from"] = "javascript"
    assert problems_of(data) == [
        "axes.language.choices.javascript: 'from' must name a language that has its own",
        "axes.language.choices.ruby: 'from' must name a language that has its own",
    ]


def test_bad_status_and_default_fail(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["axes"]["cache"]["choices"]["redis"]["status"] = "maybe"
    data["axes"]["cache"]["default"] = "memcached"
    assert problems_of(data) == [
        "axes.cache.choices.redis: status must be one of verified, planned",
        "axes.cache: default 'memcached' is not one of its choices",
    ]


def test_verified_choice_without_templates_fails(raw: dict[str, Any], tmp_path: Path) -> None:
    data = copy.deepcopy(raw)
    data["axes"]["notifications"]["choices"]["email"]["status"] = "verified"
    assert problems_of(data, TEMPLATES_DIR) == [
        "axes.notifications.choices.email: verified but has no templates for fastapi "
        "(templates/common/notifications-email or templates/python/notifications-email "
        "or templates/python-sqlalchemy/notifications-email "
        "or templates/python-fastapi/notifications-email)",
        "axes.notifications.choices.email: verified but has no templates for django "
        "(templates/common/notifications-email or templates/python/notifications-email "
        "or templates/python-django/notifications-email)",
        "axes.notifications.choices.email: verified but has no templates for flask "
        "(templates/common/notifications-email or templates/python/notifications-email "
        "or templates/python-sqlalchemy/notifications-email "
        "or templates/python-flask/notifications-email)",
        "axes.notifications.choices.email: verified but has no templates for express "
        "(templates/common/notifications-email or templates/node/notifications-email "
        "or templates/node-express-http/notifications-email "
        "or templates/node-express/notifications-email)",
        "axes.notifications.choices.email: verified but has no templates for fastify "
        "(templates/common/notifications-email or templates/node/notifications-email "
        "or templates/node-fastify/notifications-email)",
        "axes.notifications.choices.email: verified but has no templates for nestjs "
        "(templates/common/notifications-email or templates/node/notifications-email "
        "or templates/node-express-http/notifications-email "
        "or templates/node-nestjs/notifications-email)",
        "axes.notifications.choices.email: verified but has no templates for spring "
        "(templates/common/notifications-email or templates/java-spring/notifications-email)",
    ]


def test_framework_templates_must_be_a_list_of_layers(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["axes"]["framework"]["choices"]["express"]["templates"] = "node-express"
    assert problems_of(data) == [
        "axes.framework.choices.express: templates must be a list of folder names of templates/"
    ]


def test_a_choice_a_rule_refuses_on_a_framework_needs_no_templates_for_it(
    raw: dict[str, Any],
) -> None:
    data = copy.deepcopy(raw)
    data["axes"]["notifications"]["choices"]["email"]["status"] = "verified"
    refusals = [
        {
            "id": f"{fw}-has-no-email",
            "when": {"framework": fw, "notifications": "email"},
            "reason": "not yet",
            "fix": "drop --notifications",
        }
        for fw in ("django", "flask", "express", "fastify", "nestjs", "spring")
    ]
    data["rules"] = data["rules"] + refusals
    assert problems_of(data, TEMPLATES_DIR) == [
        "axes.notifications.choices.email: verified but has no templates for fastapi "
        "(templates/common/notifications-email or templates/python/notifications-email "
        "or templates/python-sqlalchemy/notifications-email "
        "or templates/python-fastapi/notifications-email)"
    ]
    # A rule that also names a third axis refuses only some combinations: not enough.
    refusals[1]["when"] = {"framework": "express", "notifications": "email", "cloud": "aws"}
    assert len(problems_of(data, TEMPLATES_DIR)) == 2


def test_verified_framework_without_templates_fails(raw: dict[str, Any], tmp_path: Path) -> None:
    data = copy.deepcopy(raw)
    data["axes"]["framework"]["choices"]["rails"]["status"] = "verified"
    problems = problems_of(data, TEMPLATES_DIR)
    assert (
        "axes.framework.choices.rails: verified but has no templates/<templates>/base" in problems
    )


def test_every_rule_carries_reason_and_fix() -> None:
    for rule in load().rules:
        assert rule.reason and rule.fix
        assert rule.message().endswith(".")


def test_misnamed_fragment_folders_fail(raw: dict[str, Any], tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    (templates / "common" / "database-postgres").mkdir()
    (templates / "common" / "cache-redis" / "when-cloud-aws").mkdir(exist_ok=True)  # fine
    (templates / "common" / "cache-redis" / "when-cloud-mars").mkdir()
    (templates / "shared" / "any-name" / "files").mkdir(parents=True)  # fine: asked for by name
    (templates / "shared" / "modules" / "when-cloud-aws").mkdir(parents=True)
    assert problems_of(copy.deepcopy(raw), templates) == [
        "templates/common/cache-redis/when-cloud-mars: expected files/ or when-<axis>[-<choice>]/",
        "templates/common/database-postgres: names no catalog axis or choice (<axis>-<choice>)",
        "templates/shared/modules: a shared fragment holds only files/",
    ]


def test_managed_by_must_name_a_package_of_the_same_table(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["versions"]["java"]["com.h2database:h2"]["managed_by"] = "org.acme:parent"
    assert problems_of(data) == [
        "versions.java.com.h2database:h2: managed_by names 'org.acme:parent', not in this table"
    ]
