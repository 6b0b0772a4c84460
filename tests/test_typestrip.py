"""The TypeScript -> JavaScript translation: each construct, input and exact output."""

from __future__ import annotations

from textwrap import dedent

import pytest
import tree_sitter
import tree_sitter_javascript

from generator.answers import Answers
from generator.catalog import default_catalog
from generator.plan import make_plan
from generator.project import render
from generator.typestrip import TypeStripError, strip_types
from generator.verify.matrix import all_valid


def js(source: str) -> str | None:
    return strip_types(dedent(source).lstrip("\n"))


def same(source: str, expected: str) -> None:
    assert js(source) == dedent(expected).lstrip("\n")


def test_annotations_of_variables_parameters_and_returns() -> None:
    same(
        """
        const limit: number = 20;
        function page(offset: number, size: number = limit): number[] {
          return [offset, size];
        }
        const twice = (n: number): number => n * 2;
        """,
        """
        const limit = 20;
        function page(offset, size = limit) {
          return [offset, size];
        }
        const twice = (n) => n * 2;
        """,
    )


def test_optional_parameters_and_non_null_assertions() -> None:
    same(
        """
        function first(items?: string[]): string {
          return items![0]!;
        }
        """,
        """
        function first(items) {
          return items[0];
        }
        """,
    )


def test_type_arguments_and_parameters() -> None:
    same(
        """
        function keep<T extends object>(value: T): T {
          const seen = new Map<string, T>();
          return identity<T>(value);
        }
        """,
        """
        function keep(value) {
          const seen = new Map();
          return identity(value);
        }
        """,
    )


def test_as_satisfies_and_as_const() -> None:
    same(
        """
        const STATUSES = ["a", "b"] as const;
        const body = { ok: true } satisfies Body;
        const id = (row as Row).id;
        const n = JSON.parse(text) as { n: number };
        """,
        """
        const STATUSES = ["a", "b"];
        const body = { ok: true };
        const id = row.id;
        const n = JSON.parse(text);
        """,
    )


def test_interfaces_and_type_aliases_go_with_their_comments_and_one_blank_line() -> None:
    same(
        """
        import { z } from "zod";

        /** An order as the API returns it. */
        export interface Order {
          id: string;
        }

        // The statuses.
        type Status = "a" | "b";

        export const schema = z.object({});
        """,
        """
        import { z } from "zod";

        export const schema = z.object({});
        """,
    )


def test_a_comment_separated_by_a_blank_line_stays() -> None:
    same(
        """
        // About the whole file.

        export type Id = string;
        export const ID = "id";
        """,
        """
        // About the whole file.

        export const ID = "id";
        """,
    )


def test_type_imports_and_exports() -> None:
    same(
        """
        import type { Knex } from "knex";
        import knex, { type Knex as K } from "knex";
        import { type A, b, type C, d } from "./x.js";
        import { type E } from "./e.js";
        import {
          type Logger,
          pino,
        } from "pino";
        export type { F } from "./f.js";
        export { type G, h } from "./g.js";

        b(d, knex, pino, h);
        """,
        """
        import knex from "knex";
        import { b, d } from "./x.js";
        import { pino } from "pino";
        export { h } from "./g.js";

        b(d, knex, pino, h);
        """,
    )


def test_declare_module_goes() -> None:
    same(
        """
        declare module "express" {
          interface Request {
            id: string;
          }
        }

        export const x = 1;
        """,
        """
        export const x = 1;
        """,
    )


def test_implements_and_modifiers() -> None:
    same(
        """
        export class Sql extends Base implements Store, Closable {
          private readonly limit = 10;
          protected count = 0;
          public override close(): void {}
        }
        class Alone implements Store {}
        """,
        """
        export class Sql extends Base {
          limit = 10;
          count = 0;
          close() {}
        }
        class Alone {}
        """,
    )


def test_parameter_properties_become_assignments() -> None:
    same(
        """
        class Store {
          constructor(private readonly db: Knex) {}
        }
        """,
        """
        class Store {
          constructor(db) {
            this.db = db;
          }
        }
        """,
    )


def test_parameter_properties_follow_super_and_the_list_is_joined_when_it_fits() -> None:
    same(
        """
        class ApiError extends Error {
          constructor(
            readonly status: number,
            readonly code: string,
            message: string,
          ) {
            super(message);
            this.name = "ApiError";
          }
        }
        """,
        """
        class ApiError extends Error {
          constructor(status, code, message) {
            super(message);
            this.status = status;
            this.code = code;
            this.name = "ApiError";
          }
        }
        """,
    )


def test_parameter_properties_come_first_without_super() -> None:
    same(
        """
        class Backoff {
          #next: number;

          constructor(private readonly first = 500) {
            this.#next = first;
          }
        }
        """,
        """
        class Backoff {
          #next;

          constructor(first = 500) {
            this.first = first;
            this.#next = first;
          }
        }
        """,
    )


def test_typed_fields_without_initializer_and_declare_fields_go() -> None:
    same(
        """
        class Client {
          declare readonly kind: string;
          private socket: Socket;
          name!: string;
          retries = 3;

          open(): void {}
        }
        """,
        """
        class Client {
          retries = 3;

          open() {}
        }
        """,
    )


def test_overload_signatures_go() -> None:
    same(
        """
        export function parse(text: string): number;
        export function parse(text: string, radix?: number): number {
          return Number.parseInt(text, radix);
        }
        class C {
          get(id: string): string;
          get(id: string): string {
            return id;
          }
        }
        """,
        """
        export function parse(text, radix) {
          return Number.parseInt(text, radix);
        }
        class C {
          get(id) {
            return id;
          }
        }
        """,
    )


def test_this_parameter_goes() -> None:
    same(
        """
        res.send = function send(this: Response, body?: unknown): Response {
          return this;
        };
        """,
        """
        res.send = function send(body) {
          return this;
        };
        """,
    )


def test_comments_name_the_javascript_modules() -> None:
    same(
        """
        // See `sql-store.ts` and src/migrations/index.ts, not "a.ts.bak".
        export const x = "store.ts";
        """,
        """
        // See `sql-store.js` and src/migrations/index.js, not "a.ts.bak".
        export const x = "store.ts";
        """,
    )


def test_a_module_of_types_only_is_none() -> None:
    assert js("/** Types. */\nexport interface A {}\nexport type B = A;\n") is None


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("export enum Color { Red }\n", "an enum"),
        ("namespace N { export const x = 1; }\n", "a namespace"),
    ],
)
def test_enums_and_namespaces_are_refused_naming_the_file(source: str, what: str) -> None:
    with pytest.raises(TypeStripError, match=rf"src/x\.ts:1 declares {what}"):
        strip_types(source, path="src/x.ts")


def test_typescript_that_does_not_parse_is_refused() -> None:
    with pytest.raises(TypeStripError, match="does not parse"):
        strip_types("const x: = ;\n", path="src/x.ts")


def _javascript_parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_javascript.language()))


def _fullest_javascript(database: str) -> Answers:
    combos = [
        c
        for c in all_valid(default_catalog())
        if c.choices["language"] == "javascript" and c.choices["database"] == database
    ]
    fullest = max(combos, key=lambda c: len(c.features()) + (c.choices["kubernetes"] is True))
    return fullest.answers()


@pytest.mark.parametrize("database", ["postgresql", "mongodb"])
def test_every_module_of_an_every_add_on_project_parses_as_javascript(database: str) -> None:
    answers = _fullest_javascript(database)
    plan, files = render(answers)
    assert not [p for p in files if p.endswith(".ts")]
    sources = {p: b for p, b in files.items() if p.endswith(".js")}
    assert len(sources) > 40
    parser = _javascript_parser()
    broken = [p for p, b in sources.items() if parser.parse(b).root_node.has_error]
    assert broken == []
    # Every relative import names a module that was written (none was only types).
    for path, body in sources.items():
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        for line in body.decode().splitlines():
            if ' from "./' in line or ' from "../' in line:
                target = line.rsplit('"', 2)[-2]
                parts = [*folder.split("/"), *target.split("/")]
                resolved: list[str] = []
                for part in parts:
                    if part == "..":
                        resolved.pop()
                    elif part not in (".", ""):
                        resolved.append(part)
                assert "/".join(resolved) in files, f"{path} imports {target}"
    assert {p for p in plan.files if p.endswith(".js")} >= set(sources)


def test_the_javascript_project_never_speaks_of_typescript() -> None:
    _, files = render(_fullest_javascript("postgresql"))
    for path, body in files.items():
        # Terraform has its own `type`s; the ignore files keep `dist/` out whatever the
        # language (a JavaScript project may build one too).
        if path.startswith("deploy/") or path in (".gitignore", ".dockerignore"):
            continue
        text = body.decode()
        for word in (".ts`", ".ts ", "TypeScript", "tsx", "tsc ", "typescript-eslint", "dist/"):
            assert word not in text, f"{path} says {word!r}"


def test_typescript_projects_are_not_translated() -> None:
    catalog = default_catalog()
    combo = next(c for c in all_valid(catalog) if c.choices["language"] == "typescript")
    plan = make_plan(catalog, combo.answers())
    assert not any(f.strip_types for f in plan.files.values())
    assert "tsconfig.json" in plan.files
