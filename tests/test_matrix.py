"""The verification matrix: every valid combination, and the covering set proven end to end."""

from __future__ import annotations

import copy
import itertools
import math
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.catalog import Catalog, default_catalog, parse
from generator.resources import CATALOG_PATH
from generator.verify.matrix import FEATURE_AXES, STATIC_AXES, Combination, all_valid, covering


def catalog_with_addons() -> Catalog:
    """The shipped catalog with its server add-ons marked verified, to exercise the matrix.

    The CDN is left planned here: it needs a cloud, so it is tested on its own below.
    """
    data: dict[str, Any] = copy.deepcopy(yaml.safe_load(CATALOG_PATH.read_text()))
    for axis, choice in [("search", "opensearch"), ("queue", "rabbitmq"), ("storage", "s3")]:
        data["axes"][axis]["choices"][choice]["status"] = "verified"
    data["axes"]["cdn"]["choices"]["on"]["status"] = "planned"
    return parse(data, templates_dir=None)


def test_all_valid_is_the_product_of_verified_choices_less_what_rules_forbid() -> None:
    catalog = catalog_with_addons()
    axes = catalog.axes.values()
    verified = {a.id: [v for v in a.values() if a.choice(v).verified] for a in axes}
    # The language and package manager follow from the framework (one each per framework,
    # but Express, which has two languages: TypeScript and JavaScript).
    stack = ("framework", "language", "package_manager")
    product = math.prod(len(values) for axis, values in verified.items() if axis not in stack)
    # H2 is Java's embedded database (`requires: {language: [java]}`): no other framework
    # has it.
    not_java = product // len(verified["database"]) * (len(verified["database"]) - 1)
    # FastAPI: s3-not-on-azure takes out one (storage, cloud) pair, azure-blob-only-on-azure
    # two, whatever the rest is.
    fastapi = not_java - 3 * not_java // (len(verified["storage"]) * len(verified["cloud"]))
    # Each Node framework: its rules refuse each add-on it has no code for yet (a
    # `<framework>-has-no-<axis>-yet` rule), and MongoDB where it has none, whatever the
    # rest is. A blob store brings the (storage, cloud) rules of FastAPI, which take out
    # three pairs.
    rule_ids = {rule.id for rule in catalog.rules}
    databases = len(verified["database"]) - 1  # H2 aside

    def node(framework: str) -> int:
        addons = ("cache", "search", "queue", "storage", "cdn")
        refused = [a for a in addons if f"{framework}-has-no-{a}-yet" in rule_ids]
        count = not_java // math.prod(len(verified[a]) for a in refused)
        if rule_ids & {f"{framework}-has-no-mongodb-yet", f"{framework}-has-no-mongodb"}:
            count = count // databases * (databases - 1)
        if "storage" not in refused:
            storage_cloud = len(verified["storage"]) * len(verified["cloud"])
            count = count // storage_cloud * (storage_cloud - 3)
        return count

    express, fastify, nestjs = node("express"), node("fastify"), node("nestjs")
    # Flask: the same rules as a Node framework (each add-on refused until it is built).
    flask = node("flask")
    # Django the same way: its rules refuse each add-on it has no code for yet, and MongoDB
    # (django-has-no-mongodb).
    django = node("django")
    # Spring Boot: each database but SQLite and those it has no templates for yet, on each
    # cloud or none, with or without Kubernetes and each add-on; H2 runs on AWS only
    # (h2-needs-a-single-writer-cloud).
    spring_databases = [
        db
        for db in verified["database"]
        if db != "sqlite" and f"spring-has-no-{db}-yet" not in rule_ids
    ]
    # With or without the cache.
    refused_on_cloud = {("h2", "gcp"), ("h2", "azure")}
    spring_pairs = sorted(
        (db, cloud, cache)
        for db in spring_databases
        for cloud in verified["cloud"]
        for cache in verified["cache"]
        if (db, cloud) not in refused_on_cloud
    )
    # Each of them with each blob store, less the (storage, cloud) pairs the rules refuse,
    # and with or without the queue, which H2 has neither on AWS nor on Kubernetes
    # (h2-queue-needs-one-machine, h2-queue-not-on-kubernetes).
    refused_storage = {("s3", "azure"), ("azure-blob", "aws"), ("azure-blob", "gcp")}
    stores = {
        cloud: sum((s, cloud) not in refused_storage for s in verified["storage"])
        for cloud in verified["cloud"]
    }
    spring = sum(
        stores[cloud]
        for db, cloud, _cache in spring_pairs
        for queue in verified["queue"]
        for kubernetes in verified["kubernetes"]
        if not (db == "h2" and queue != "none" and (cloud == "aws" or kubernetes))
    )
    spring *= len(verified["search"])  # with or without search, whatever the rest is
    valid = all_valid(catalog)
    assert len(valid) == fastapi + django + flask + 2 * express + fastify + nestjs + spring
    on_django = [c for c in valid if c.choices["framework"] == "django"]
    assert len(on_django) == django
    assert {c.choices["database"] for c in on_django} == {"sqlite", "postgresql", "mysql"}
    on_spring = sorted(
        (c.choices["database"], c.choices["cloud"], c.choices["cache"])
        for c in valid
        if c.choices["framework"] == "spring"
        and c.choices["kubernetes"] is False
        and c.choices["storage"] == "none"
        and c.choices["queue"] == "none"
        and c.choices["search"] == "none"
    )
    assert on_spring == spring_pairs
    pairs = {(c.choices["storage"], c.choices["cloud"]) for c in valid}
    assert {("s3", "azure"), ("azure-blob", "aws"), ("azure-blob", "gcp")}.isdisjoint(pairs)
    assert {("s3", "aws"), ("s3", "gcp"), ("azure-blob", "azure")} <= pairs
    on_express = [c for c in valid if c.choices["framework"] == "express"]
    assert len(on_express) == 2 * express
    for language in ("typescript", "javascript"):
        assert len([c for c in on_express if c.choices["language"] == language]) == express
    assert [c for c in on_express if c.choices["database"] == "mongodb" and "queue" in c.features()]
    assert {c.choices["database"] for c in on_express} == set(verified["database"]) - {"h2"}
    on_fastify = [c for c in valid if c.choices["framework"] == "fastify"]
    assert len(on_fastify) == fastify
    assert all(c.choices["language"] == "typescript" for c in on_fastify)
    assert {c.choices["search"] for c in on_fastify} == {"none", "opensearch"}
    assert [c for c in on_fastify if c.choices["database"] == "mongodb" and "queue" in c.features()]
    assert {c.choices["database"] for c in on_fastify} == set(verified["database"]) - {"h2"}
    assert {c.choices["storage"] for c in on_fastify} == {"none", "s3", "azure-blob"}
    assert {c.choices["storage"] for c in on_express} == {"none", "s3", "azure-blob"}
    on_nestjs = [c for c in valid if c.choices["framework"] == "nestjs"]
    assert len(on_nestjs) == nestjs
    assert all(c.choices["language"] == "typescript" for c in on_nestjs)
    assert {c.choices["database"] for c in on_nestjs} == set(verified["database"]) - {"h2"}
    assert [c for c in on_nestjs if c.choices["database"] == "mongodb" and "queue" in c.features()]
    on_flask = [c for c in valid if c.choices["framework"] == "flask"]
    assert len(on_flask) == flask
    assert {c.choices["database"] for c in on_flask} == set(verified["database"]) - {"h2"}


def test_covering_set_is_smaller_and_pairwise_complete() -> None:
    catalog = catalog_with_addons()
    chosen = covering(catalog)
    every = [
        c
        for c in all_valid(catalog)
        if all(c.choices[a] == catalog.axis(a).default for a in STATIC_AXES)
    ]
    assert len(chosen) < len(every) / 3
    varying = [a for a in catalog.axes if len({str(c.choices[a]) for c in every}) > 1]
    for a, b in itertools.combinations(varying, 2):
        wanted = {(str(c.choices[a]), str(c.choices[b])) for c in every}
        seen = {(str(c.choices[a]), str(c.choices[b])) for c in chosen}
        assert seen == wanted, f"pairs of {a} x {b} missing: {wanted - seen}"


@pytest.mark.parametrize("alone", [True, False], ids=["full", "ci"])
def test_covering_set_has_every_database_bare_and_with_every_addon(alone: bool) -> None:
    chosen = {c.id for c in covering(catalog_with_addons(), alone=alone)}
    every_addon = {
        f"fastapi-{db}-redis-opensearch-rabbitmq-s3" for db in ("sqlite", "postgresql", "mysql")
    }
    for db in ("sqlite", "postgresql", "mysql"):
        assert f"fastapi-{db}" in chosen
    # The full set has every add-on at once on each database; CI's on one of them.
    assert len(every_addon & chosen) == (3 if alone else 1)
    # Each add-on alone: in the full set only.
    by_itself = {f"fastapi-sqlite-{addon}" for addon in ("redis", "opensearch", "rabbitmq", "s3")}
    assert (by_itself <= chosen) == alone


def test_ci_set_spreads_every_framework_with_every_addon_over_the_databases() -> None:
    catalog = default_catalog()
    valid = all_valid(catalog)

    # A framework in each of its languages is a stack (Express in TypeScript and in
    # JavaScript): each has its pick.
    def stack(c: Combination) -> tuple[str, str]:
        return str(c.choices["framework"]), str(c.choices["language"])

    fullest: dict[tuple[str, str], int] = {}
    for c in valid:
        fullest[stack(c)] = max(fullest.get(stack(c), 0), len(c.features()))
    # A stack with no add-on yet has no such pick: it is proven bare on each database.
    fullest = {name: most for name, most in fullest.items() if most}
    assert ("express", "javascript") in fullest
    ci = covering(catalog, alone=False)
    by_framework: dict[tuple[str, str], Combination] = {}  # the first: pairwise may add others
    for c in ci:
        if stack(c) in fullest and len(c.features()) == fullest[stack(c)]:
            by_framework.setdefault(stack(c), c)
    assert list(by_framework) == list(fullest)  # each stack with its most add-ons
    # Each on a database taken least often before it, of those where it can have them all.
    taken = dict.fromkeys(catalog.axis("database").choices, 0)
    for fw, pick in by_framework.items():
        could = {
            str(c.choices["database"])
            for c in valid
            if stack(c) == fw and len(c.features()) == fullest[fw]
        }
        assert taken[str(pick.choices["database"])] == min(taken[db] for db in could), fw
        taken[str(pick.choices["database"])] += 1
    assert len([db for db, n in taken.items() if n]) > 1


def test_ci_set_is_each_framework_on_each_database_and_once_with_every_addon() -> None:
    catalog = default_catalog()
    ci = covering(catalog, alone=False)
    valid = all_valid(catalog)
    # A stack is a framework in one of its languages (Express in TypeScript and in JavaScript).
    stacks = {(str(c.choices["framework"]), str(c.choices["language"])) for c in valid}
    assert len(stacks) == 8
    bare = with_addons = 0
    for stack in stacks:
        of_stack = [c for c in valid if (c.choices["framework"], c.choices["language"]) == stack]
        databases = {c.choices["database"] for c in of_stack if not c.features()}
        # A stack whose database code CI proves with another (JavaScript: Express in
        # TypeScript's; Fastify and NestJS: Express's node/; Flask: FastAPI's
        # python-sqlalchemy/) is proven bare on its first database only.
        shares = stack[1] == "javascript" or stack[0] in ("fastify", "nestjs", "flask")
        bare += 1 if shares else len(databases)
        with_addons += any(c.features() for c in of_stack)  # once with its most, if it has any
    assert len(ci) == bare + with_addons
    assert len([c for c in ci if not c.features()]) == bare
    javascript = [c for c in ci if c.choices["language"] == "javascript"]
    assert [c.id for c in javascript if not c.features()] == ["express-javascript-sqlite"]
    assert len([c for c in javascript if c.features()]) == 1
    # The whole covering set still proves it bare on every database.
    full = [c for c in covering(catalog) if c.choices["language"] == "javascript"]
    express = {c.choices["database"] for c in valid if c.choices["framework"] == "express"}
    assert {c.choices["database"] for c in full if not c.features()} == express
    assert all(c.id.startswith("express-javascript-") for c in javascript)
    # Those stacks are still proven bare on every database in the whole covering set.
    for framework in ("fastify", "nestjs", "flask"):
        offered = {c.choices["database"] for c in valid if c.choices["framework"] == framework}
        proven = {
            c.choices["database"]
            for c in covering(catalog)
            if c.choices["framework"] == framework and not c.features()
        }
        assert proven == offered, framework


def test_the_ci_set_is_smaller_than_the_full_one() -> None:
    catalog = default_catalog()
    assert len(covering(catalog, alone=False)) < len(covering(catalog))


def test_services_and_features_of_a_combination() -> None:
    full = next(
        c
        for c in all_valid(catalog_with_addons())
        if c.choices["database"] == "postgresql" and len(c.features()) == 4
    )
    assert full.id == "fastapi-postgresql-redis-opensearch-rabbitmq-s3"
    assert full.services() == ["postgresql", "redis", "opensearch", "rabbitmq", "s3"]
    assert full.features() == [a for a in FEATURE_AXES if a != "cdn"]


def test_covering_set_keeps_the_cloud_at_its_default() -> None:
    data: dict[str, Any] = copy.deepcopy(yaml.safe_load(CATALOG_PATH.read_text()))
    data["axes"]["cloud"]["choices"]["aws"]["status"] = "verified"
    data["axes"]["cdn"]["choices"]["on"]["status"] = "planned"
    catalog = parse(data, templates_dir=None)
    verified = {c.id for c in catalog.axis("cloud").choices.values() if c.status == "verified"}
    assert {"none", "aws"} <= verified
    assert {c.choices["cloud"] for c in all_valid(catalog)} == verified
    assert {c.choices["cloud"] for c in covering(catalog)} == {"none"}


def test_covering_set_keeps_kubernetes_off() -> None:
    """Kubernetes only adds manifests, proven statically: the app runs the same without it."""
    data: dict[str, Any] = copy.deepcopy(yaml.safe_load(CATALOG_PATH.read_text()))
    for axis, choice in [("cloud", "aws"), ("cdn", "on")]:
        data["axes"][axis]["choices"][choice]["status"] = "verified"
    catalog = parse(data, templates_dir=None)
    assert {c.choices["kubernetes"] for c in all_valid(catalog)} == {False, True}
    assert {c.choices["kubernetes"] for c in covering(catalog)} == {False}


def test_covering_set_gives_the_cdn_the_cloud_it_needs() -> None:
    data: dict[str, Any] = copy.deepcopy(yaml.safe_load(CATALOG_PATH.read_text()))
    for axis, choice in [("cloud", "aws"), ("cdn", "on")]:
        data["axes"][axis]["choices"][choice]["status"] = "verified"
    chosen = covering(parse(data, templates_dir=None))
    # The nearest cloud that allows the rest: AWS, or Azure for an Azure blob store.
    for c in chosen:
        if c.choices["cdn"] is True:
            nearest = "azure" if c.choices["storage"] == "azure-blob" else "aws"
            assert c.choices["cloud"] == nearest
    assert {c.choices["cloud"] for c in chosen if c.choices["cdn"] is False} == {"none"}
    for db in ("sqlite", "postgresql", "mysql"):
        assert any(c.choices["cdn"] is True and c.choices["database"] == db for c in chosen)


def test_report_names_failures_and_servers() -> None:
    from generator.verify.command import report_markdown
    from generator.verify.runner import Result, Step

    combo = next(c for c in all_valid(catalog_with_addons()) if c.id == "fastapi-postgresql")
    ok = Result(combo, [Step("test", True, 1.0, "53 passed in 1.6s")], ["PostgreSQL 15"])
    bad = Result(combo, [Step("install", False, 2.0, "pip: no matching distribution")])
    text = report_markdown([ok, bad], 96)
    assert "| fastapi-postgresql | passed |" in text and "| 53 passed in 1.6s |" in text
    assert "| PostgreSQL 15 |" in text
    assert "| fastapi-postgresql | FAILED |" in text
    assert "## fastapi-postgresql failed" in text and "install: pip: no matching" in text
    assert "All 96 valid combinations" in text


def test_every_combination_names_its_resources_with_a_short_unique_identifier() -> None:
    """PostgreSQL, MariaDB and RabbitMQ take identifiers of up to 63 characters."""
    from generator.verify.runner import run_id_of

    ids = [run_id_of(c) for c in all_valid(catalog_with_addons())]
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert max(map(len, ids)) == 63  # some ids were long enough to be cut


def test_a_report_can_keep_the_passed_rows_of_an_earlier_run(tmp_path: Path) -> None:
    from generator.verify.command import kept_rows, report_markdown
    from generator.verify.runner import Result, Step

    combos = {c.id: c for c in all_valid(catalog_with_addons())}
    pg, my = combos["fastapi-postgresql"], combos["fastapi-mysql"]
    earlier = tmp_path / "verification.md"
    earlier.write_text(
        report_markdown(
            [
                Result(pg, [Step("test", True, 1.0, "53 passed in 1.6s")], ["PostgreSQL 15"]),
                Result(my, [Step("install", False, 2.0, "no network")]),
            ],
            96,
        )
    )
    kept = kept_rows(earlier, ["fastapi-postgresql", "fastapi-mysql", "fastapi-sqlite"])
    assert list(kept) == ["fastapi-postgresql"]  # a failure is never carried over

    now = Result(my, [Step("test", True, 1.0, "53 passed in 1.2s")], ["MariaDB 10.11"])
    text = report_markdown([now], 96, kept)
    assert "1 rows were kept from an earlier run" in text
    assert "| fastapi-postgresql | passed |" in text and "| fastapi-mysql | passed |" in text
    assert "FAILED" not in text


def test_a_vitest_count_keeps_the_report_table_whole() -> None:
    from generator.verify.runner import _closing_line

    output = " Test Files  7 passed (7)\n  Tests  72 passed | 1 skipped (73)\n  Duration  32s\n"
    assert _closing_line(output) == "Tests 72 passed, 1 skipped (73)"


def test_the_count_is_found_before_warnings_printed_after_it() -> None:
    from generator.verify.runner import _closing_line

    warning = "(node:1) NodeVersionSupportWarning: a future release will need Node.js 22\n"
    output = "  Tests  98 passed (98)\n  Duration  3.5s\n" + warning * 20
    assert _closing_line(output) == "Tests 98 passed (98)"


def test_a_surefire_summary_is_the_project_tests_count() -> None:
    from generator.verify.runner import _closing_line

    output = (
        "[INFO] Tests run: 30, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 10.9 s -- in a.B\n"
        "[INFO] Tests run: 34, Failures: 0, Errors: 0, Skipped: 0\n"
        "[INFO] BUILD SUCCESS\n"
        "OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader classes\n"
    )
    assert _closing_line(output) == "Tests run: 34, Failures: 0, Errors: 0, Skipped: 0"
