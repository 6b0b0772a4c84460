"""Planning with small inline templates: fragment selection, merging, and clashes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.answers import Answers, resolve
from generator.catalog import Catalog, default_catalog
from generator.errors import GenerationError
from generator.plan import make_plan, select_fragments
from generator.render import render_plan
from generator.resources import TEMPLATES_DIR


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def answers(catalog: Catalog, **given: str) -> Answers:
    return resolve(catalog, "shop", given, prompter=None, use_defaults=True)


BASE = {
    "common/base/files/README.md.jinja": "# {{ project.title }}\n",
    "python-fastapi/base/fragment.yaml": "dependencies: [fastapi]\ncompose_app: {build: .}\n",
    "python-fastapi/base/files/src/__pkg__/app.py.jinja": "NAME = {{ project.slug | toml }}\n",
    "python-fastapi/base/files/static.txt": "{{ copied as is }}\n",
}


def test_fragments_follow_the_answers_in_catalog_order(tmp_path: Path) -> None:
    catalog = default_catalog()
    templates = write(
        tmp_path,
        {
            **BASE,
            "common/cache-redis/fragment.yaml": "secrets: [A]\n",
            "python-fastapi/database-postgresql/fragment.yaml": "{}\n",
            "common/database-postgresql/fragment.yaml": "{}\n",
        },
    )
    chosen = answers(catalog, database="postgresql", cache="redis")
    assert select_fragments(catalog, chosen, templates) == [
        "common/base",
        "python-fastapi/base",
        "common/database-postgresql",
        "python-fastapi/database-postgresql",
        "common/cache-redis",
    ]


def test_the_language_fragment_comes_first_and_its_words_reach_the_others(
    tmp_path: Path,
) -> None:
    catalog = default_catalog()
    templates = write(
        tmp_path,
        {
            "common/base/files/README.md.jinja": "# {{ project.title }}\n",
            "node/base/fragment.yaml": "commands: {lint: '{{ source.lint }}'}\n",
            "node/base/files/src/app.ts.jinja": (
                "// see config.{{ source.ext }}\nexport const a: number = 1;\n"
            ),
            "node/base/files/src/types.ts": "export interface A {}\n",
            "node/language-typescript/fragment.yaml": "source: {ext: ts, lint: tsc}\n",
            "node/language-javascript/fragment.yaml": "source: {ext: js, lint: eslint}\n",
            "node/language-javascript/when-database-postgresql/files/pg.txt": "js on pg\n",
            "node-express-http/base/fragment.yaml": "{}\n",
            "node-express/base/fragment.yaml": "{}\n",
        },
    )
    ts = answers(catalog, framework="express", database="postgresql")
    assert select_fragments(catalog, ts, templates) == [
        "node/language-typescript",
        "common/base",
        "node/base",
        "node-express-http/base",
        "node-express/base",
    ]
    ts_files = render_plan(make_plan(catalog, ts, templates))
    assert ts_files["src/app.ts"] == b"// see config.ts\nexport const a: number = 1;\n"
    assert ts_files["src/types.ts"] == b"export interface A {}\n"
    js = answers(catalog, framework="express", language="javascript", database="postgresql")
    plan = make_plan(catalog, js, templates)
    assert plan.fragments[0] == "node/language-javascript"
    assert plan.fragments[-1] == "node/language-javascript/when-database-postgresql"
    assert plan.context["contrib"]["commands"] == {"lint": "eslint"}
    js_files = render_plan(plan)
    # Rendered, then its types removed; a module of types only is not written.
    assert js_files["src/app.js"] == b"// see config.js\nexport const a = 1;\n"
    assert "src/types.js" not in js_files and "src/app.ts" not in js_files
    assert js_files["pg.txt"] == b"js on pg\n"


def test_paths_placeholders_and_verbatim_files(tmp_path: Path) -> None:
    catalog = default_catalog()
    plan = make_plan(catalog, answers(catalog), write(tmp_path, BASE))
    files = render_plan(plan)
    assert files["src/shop/app.py"] == b'NAME = "shop"\n'
    assert files["static.txt"] == b"{{ copied as is }}\n"  # not a .jinja file: copied
    assert plan.context["contrib"]["dependencies"] == [
        f"fastapi=={catalog.versions['python']['fastapi'].version}"
    ]


def test_two_fragments_writing_one_file_is_an_error(tmp_path: Path) -> None:
    catalog = default_catalog()
    templates = write(tmp_path, {**BASE, "common/cache-redis/files/static.txt": "x"})
    with pytest.raises(GenerationError, match=r"both write static\.txt"):
        make_plan(catalog, answers(catalog, cache="redis"), templates)


def test_conflicting_contributions_name_both_fragments(tmp_path: Path) -> None:
    catalog = default_catalog()
    templates = write(
        tmp_path, {**BASE, "common/cache-redis/fragment.yaml": "compose_app: {build: ./other}\n"}
    )
    with pytest.raises(
        GenerationError,
        match=r"python-fastapi/base and common/cache-redis both set compose_app\.build",
    ):
        make_plan(catalog, answers(catalog, cache="redis"), templates)


def test_unknown_extension_point_is_an_error(tmp_path: Path) -> None:
    catalog = default_catalog()
    templates = write(tmp_path, {**BASE, "common/cache-redis/fragment.yaml": "colours: [red]\n"})
    with pytest.raises(GenerationError, match="unknown point 'colours'"):
        make_plan(catalog, answers(catalog, cache="redis"), templates)


def test_unpinned_dependency_is_an_error(tmp_path: Path) -> None:
    catalog = default_catalog()
    templates = write(
        tmp_path, {**BASE, "common/cache-redis/fragment.yaml": "dependencies: [leftpad]\n"}
    )
    with pytest.raises(GenerationError, match="'leftpad', which has no pinned version"):
        make_plan(catalog, answers(catalog, cache="redis"), templates)


def test_make_targets_from_fragments_land_in_the_makefile_and_readme(tmp_path: Path) -> None:
    catalog = default_catalog()
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    write(
        templates,
        {
            "common/cache-redis/fragment.yaml": (
                (TEMPLATES_DIR / "common/cache-redis/fragment.yaml").read_text()
                + "\nmake_targets:\n  flush:\n    help: Empty the cache\n    needs: install\n"
                "    run: ['redis-cli flushdb']\n"
            )
        },
    )
    files = render_plan(make_plan(catalog, answers(catalog, cache="redis"), templates))
    makefile = files["Makefile"].decode()
    assert "\nflush: install ## Empty the cache\n\tredis-cli flushdb\n" in makefile
    assert ".PHONY: help install run test lint format migrate flush" in makefile
    assert "| `make flush` | Empty the cache |" in files["README.md"].decode()


def test_when_fragments_join_only_with_the_other_choice(tmp_path: Path) -> None:
    catalog = default_catalog()
    templates = write(
        tmp_path,
        {
            **BASE,
            "common/cache-redis/fragment.yaml": "{}\n",
            "common/cache-redis/when-database-postgresql/files/pg-cache.txt": "both\n",
        },
    )
    with_pg = answers(catalog, cache="redis", database="postgresql")
    assert select_fragments(catalog, with_pg, templates)[-1] == (
        "common/cache-redis/when-database-postgresql"
    )
    assert "pg-cache.txt" in render_plan(make_plan(catalog, with_pg, templates))
    with_sqlite = answers(catalog, cache="redis")
    assert "pg-cache.txt" not in render_plan(make_plan(catalog, with_sqlite, templates))


def test_an_axis_fragment_joins_every_choice_of_that_axis(tmp_path: Path) -> None:
    """`<stack>/storage/` is what every blob store shares; `storage-s3/` is S3's own."""
    catalog = default_catalog()
    templates = write(
        tmp_path,
        {
            **BASE,
            "python-fastapi/storage/files/receipts.txt": "any store\n",
            "python-fastapi/storage-s3/files/client.txt": "s3\n",
            "common/cache-redis/when-storage/files/both.txt": "cache and a store\n",
            "common/cache-redis/fragment.yaml": "{}\n",
        },
    )
    with_s3 = answers(catalog, storage="s3", cache="redis")
    assert select_fragments(catalog, with_s3, templates)[-3:] == [
        "python-fastapi/storage",
        "python-fastapi/storage-s3",
        "common/cache-redis/when-storage",
    ]
    without = render_plan(make_plan(catalog, answers(catalog, cache="redis"), templates))
    assert {"receipts.txt", "client.txt", "both.txt"}.isdisjoint(without)


def test_a_shared_fragment_asked_for_by_two_choices_is_written_once(tmp_path: Path) -> None:
    catalog = default_catalog()
    asks = "shared_fragments: [broker-module]\n"
    templates = write(
        tmp_path,
        {
            **BASE,
            "common/cache-redis/fragment.yaml": asks,
            "common/search-opensearch/fragment.yaml": asks,
            "shared/broker-module/fragment.yaml": "secrets: [SHARED]\n",
            "shared/broker-module/files/modules/broker/main.tf": "# one copy\n",
            "shared/unused/files/never.txt": "not asked for\n",
        },
    )
    both = make_plan(catalog, answers(catalog, cache="redis", search="opensearch"), templates)
    assert both.fragments[-1] == "shared/broker-module"
    assert both.fragments.count("shared/broker-module") == 1
    assert both.files["modules/broker/main.tf"].fragment == "shared/broker-module"
    assert "never.txt" not in both.files
    assert "SHARED" in both.context["contrib"]["secrets"]  # its fragment.yaml counts too
    one = make_plan(catalog, answers(catalog, search="opensearch"), templates)
    assert "modules/broker/main.tf" in one.files
    neither = make_plan(catalog, answers(catalog), templates)
    assert "shared/broker-module" not in neither.fragments
    assert "modules/broker/main.tf" not in neither.files


def test_asking_for_a_missing_shared_fragment_is_an_error(tmp_path: Path) -> None:
    catalog = default_catalog()
    templates = write(
        tmp_path, {**BASE, "common/cache-redis/fragment.yaml": "shared_fragments: [nothing]\n"}
    )
    with pytest.raises(GenerationError, match="common/cache-redis asks for the shared fragment"):
        make_plan(catalog, answers(catalog, cache="redis"), templates)


SPRING_BASE = {
    "common/base/files/README.md.jinja": "# {{ project.title }}\n",
    "java-spring/base/files/deps.txt.jinja": (
        "{% for d in contrib.maven_dependencies %}"
        "{{ d.group }}:{{ d.artifact }}:{{ d.version }}:{{ d.scope }}\n{% endfor %}"
    ),
}


def test_maven_dependencies_are_pinned_once_each_managed_ones_without_a_version(
    tmp_path: Path,
) -> None:
    catalog = default_catalog()
    templates = write(
        tmp_path,
        SPRING_BASE
        | {
            "java-spring/base/fragment.yaml": (
                "maven_dependencies:\n"
                "  - {artifact: org.springframework.boot:spring-boot-starter-web}\n"
                "  - {artifact: com.h2database:h2, scope: test}\n"
            ),
            "java-spring/database-h2/fragment.yaml": (
                "maven_dependencies:\n  - {artifact: com.h2database:h2, scope: runtime}\n"
            ),
        },
    )
    plan = make_plan(catalog, answers(catalog, framework="spring"), templates)
    h2 = catalog.versions["java"]["com.h2database:h2"].version
    # The widest scope wins (runtime over test); the parent POM pins the starter.
    assert render_plan(plan)["deps.txt"].decode().splitlines() == [
        "org.springframework.boot:spring-boot-starter-web:None:compile",
        f"com.h2database:h2:{h2}:runtime",
    ]


def test_an_unpinned_maven_dependency_is_an_error(tmp_path: Path) -> None:
    catalog = default_catalog()
    templates = write(
        tmp_path,
        SPRING_BASE
        | {"java-spring/base/fragment.yaml": "maven_dependencies: [{artifact: org.acme:widget}]\n"},
    )
    with pytest.raises(GenerationError, match=r"'org\.acme:widget', which has no pinned version"):
        make_plan(catalog, answers(catalog, framework="spring"), templates)


def test_a_bom_is_imported_and_its_modules_take_its_versions(tmp_path: Path) -> None:
    catalog = default_catalog()
    listing = (
        "{% for d in contrib.maven_dependencies %}"
        "{{ d.group }}:{{ d.artifact }}:{{ d.version }}:{{ d.scope }}:{{ d.type }}"
        "{% for e in d.exclusions %} -{{ e.group }}:{{ e.artifact }}{% endfor %}"
        "{{ '\\n' }}{% endfor %}"
    )
    templates = write(
        tmp_path,
        SPRING_BASE
        | {
            "java-spring/base/files/deps.txt.jinja": listing,
            "java-spring/base/fragment.yaml": (
                "maven_dependencies:\n"
                "  - {artifact: org.springframework.boot:spring-boot-starter-web}\n"
            ),
            "java-spring/storage-s3/fragment.yaml": (
                "maven_dependencies:\n"
                "  - {artifact: software.amazon.awssdk:bom, scope: import, type: pom}\n"
                "  - artifact: software.amazon.awssdk:s3\n"
                "    exclusions: [software.amazon.awssdk:netty-nio-client]\n"
                "  - artifact: software.amazon.awssdk:s3\n"
                "    exclusions: [software.amazon.awssdk:apache-client]\n"
            ),
        },
    )
    plan = make_plan(catalog, answers(catalog, framework="spring", storage="s3"), templates)
    bom = catalog.versions["java"]["software.amazon.awssdk:bom"].version
    # The BOM comes first, with its version; the module has none (the BOM pins it), and the
    # exclusions of both mentions add up.
    assert render_plan(plan)["deps.txt"].decode().splitlines() == [
        f"software.amazon.awssdk:bom:{bom}:import:pom",
        "org.springframework.boot:spring-boot-starter-web:None:compile:jar",
        "software.amazon.awssdk:s3:None:compile:jar"
        " -software.amazon.awssdk:apache-client -software.amazon.awssdk:netty-nio-client",
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{artifact: software.amazon.awssdk:bom, scope: import}", "scope: import and type: pom"),
        ("{artifact: software.amazon.awssdk:bom, type: pom}", "scope: import and type: pom"),
        ("{artifact: software.amazon.awssdk:s3, scope: import, type: pom}", "needs a version"),
        ("{artifact: software.amazon.awssdk:s3, exclusions: [netty]}", "exclusions are a list"),
    ],
)
def test_a_malformed_bom_or_exclusion_is_an_error(tmp_path: Path, entry: str, message: str) -> None:
    catalog = default_catalog()
    templates = write(
        tmp_path,
        SPRING_BASE | {"java-spring/base/fragment.yaml": f"maven_dependencies: [{entry}]\n"},
    )
    with pytest.raises(GenerationError, match=message):
        make_plan(catalog, answers(catalog, framework="spring"), templates)
