"""Turn rendered TypeScript into the JavaScript a person would have written.

A JavaScript project is its TypeScript twin with the types removed: one source for both.
The TypeScript is parsed (tree-sitter) and exact byte ranges are cut out of it, so every
other character (layout, comments, blank lines) stays as the template wrote it:

- annotations (`: T`), the `?` of optional parameters and fields, `!` (non-null
  assertions, definite assignment), type arguments and parameters, `as T`, `as const`,
  `satisfies T`, `implements X`, `abstract`, overload signatures, `declare` fields;
- declarations that are only types (`interface`, `type X = ...`, `declare module`,
  `import type`, `export type`, `type` specifiers), together with the comments that
  document them and the blank line their removal would double;
- TypeScript's own runtime syntax: parameter properties become assignments in the
  constructor (after its `super(...)` call), access modifiers and `readonly` go, and a
  typed field without an initializer goes (a `#private` one stays declared).

Enums and namespaces have no such plain rewriting: they are refused, naming the file.
A parameter list wrapped over lines only because its types were long is joined back onto
one line when it now fits, as a formatter would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import tree_sitter
import tree_sitter_typescript

from generator.errors import GenerationError

# The generated code's line width (the templates are formatted to it).
WIDTH = 100
INDENT = "  "

# Statements that are nothing but types: removed whole, with their documenting comments.
_TYPE_DECLARATIONS = frozenset(
    {"interface_declaration", "type_alias_declaration", "ambient_declaration", "function_signature"}
)
# Class members that are nothing but types.
_TYPE_MEMBERS = frozenset({"method_signature", "abstract_method_signature", "index_signature"})
_REFUSED = {
    "enum_declaration": "an enum",
    "internal_module": "a namespace",
    "module": "a namespace",
    "import_alias": "an `import x = ...` alias",
}
# Keywords of class members and parameters that JavaScript does not have.
_MODIFIERS = frozenset({"accessibility_modifier", "readonly", "override_modifier", "abstract"})
# Expressions that need no parentheses as the object of a member access or call.
_PRIMARY = frozenset(
    {
        "identifier",
        "this",
        "member_expression",
        "subscript_expression",
        "call_expression",
        "parenthesized_expression",
    }
)


# A module's file name in a comment: `sql-store.ts`, `src/migrations/index.ts`.
_TS_FILE = re.compile(r"(?<![\w.])([\w./<>*-]*\w)\.ts(?!\w|\.\w)")


class TypeStripError(GenerationError):
    """The TypeScript uses something with no plain JavaScript equivalent."""


@cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_typescript.language_typescript()))


@dataclass
class _Edits:
    source: bytes
    # (start, end, replacement) inside lines that stay
    inline: list[tuple[int, int, bytes]] = field(default_factory=list)
    # (start, end) of whole lines removed
    lines: list[tuple[int, int]] = field(default_factory=list)

    def cut(self, start: int, end: int, replacement: bytes = b"") -> None:
        """Remove [start, end); a line left with nothing on it goes whole."""
        src = self.source
        first = src.rfind(b"\n", 0, start) + 1
        last = src.find(b"\n", end)
        last = len(src) if last < 0 else last
        if not replacement and not src[first:start].strip() and not src[end:last].strip():
            self.lines.append((first, min(last + 1, len(src))))
        else:
            self.inline.append((start, end, replacement))

    def drop(self, node: tree_sitter.Node) -> None:
        """Remove a whole statement or member, with the comments right above it."""
        start = node
        while (
            start.prev_sibling is not None
            and start.prev_sibling.type == "comment"
            and _blank_lines_between(self.source, start.prev_sibling, start) == 0
            and not _shares_line(self.source, start.prev_sibling)
        ):
            start = start.prev_sibling
        end = node.end_byte
        # A trailing `;` or `,` belongs to the member.
        nxt = node.next_sibling
        if nxt is not None and nxt.type in (";", ",") and nxt.start_byte == end:
            end = nxt.end_byte
        self.cut(start.start_byte, end)

    def apply(self) -> str:
        src = self.source
        merged = _merge_lines(src, sorted(self.lines))
        removed: list[tuple[int, int, bytes]] = [(s, e, b"") for s, e in merged]
        inline = [e for e in self.inline if not any(s <= e[0] < f for s, f in merged)]
        edits = sorted(removed + inline, key=lambda e: (e[0], e[1]))
        out = bytearray()
        at = 0
        for start, end, replacement in edits:
            if start < at:
                continue  # inside a range already cut (nested edits of one node)
            out += src[at:start] + replacement
            at = end
        out += src[at:]
        return out.decode("utf-8")


def _shares_line(src: bytes, comment: tree_sitter.Node) -> bool:
    """A comment after code on its line (`x = 1; // note`) documents that code."""
    first = src.rfind(b"\n", 0, comment.start_byte) + 1
    return bool(src[first : comment.start_byte].strip())


def _blank_lines_between(src: bytes, a: tree_sitter.Node, b: tree_sitter.Node) -> int:
    return max(0, src[a.end_byte : b.start_byte].count(b"\n") - 1)


def _is_blank_line(src: bytes, start: int) -> bool:
    end = src.find(b"\n", start)
    return end >= 0 and not src[start:end].strip()


def _merge_lines(src: bytes, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join removed lines that only blank lines separate, then remove the blank line that
    would be left doubled, or left just inside a `{ ... }` or at the top of the file."""
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and not src[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    result = []
    for start, end in merged:
        prev_start = src.rfind(b"\n", 0, max(start - 1, 0)) + 1 if start else 0
        before = src[prev_start:start].strip() if start else b""
        blank_before = start == 0 or not before
        after_end = src.find(b"\n", end)
        after = src[end:after_end].strip() if after_end >= 0 else src[end:].strip()
        if _is_blank_line(src, end) and (blank_before or before.endswith((b"{", b"["))):
            end = after_end + 1  # the blank line after goes
        elif after in (b"}", b"};", b"]", b"") and start and not before:
            start = prev_start  # a blank line left before the closing brace goes
        result.append((start, end))
    return result


def _named(node: tree_sitter.Node, kind: str) -> tree_sitter.Node | None:
    return next((c for c in node.children if c.type == kind), None)


class _Stripper:
    def __init__(self, source: bytes, path: str) -> None:
        self.src = source
        self.path = path
        self.edits = _Edits(source)
        self.kept_statements = 0

    def comments(self, node: tree_sitter.Node) -> None:
        """A comment naming a module (`see store.ts`) names the JavaScript one."""
        if node.type == "comment":
            text = self.text(node)
            renamed = _TS_FILE.sub(r"\1.js", text)
            if renamed != text:
                self.edits.inline.append((node.start_byte, node.end_byte, renamed.encode()))
            return
        for child in node.children:
            self.comments(child)

    def text(self, node: tree_sitter.Node) -> str:
        return self.src[node.start_byte : node.end_byte].decode("utf-8")

    def refuse(self, node: tree_sitter.Node, what: str) -> None:
        line = node.start_point[0] + 1
        raise TypeStripError(
            f"{self.path}:{line} declares {what}, which has no plain JavaScript form: "
            "write it as an object or a module in the template."
        )

    def program(self, root: tree_sitter.Node) -> None:
        self.comments(root)
        for statement in root.named_children:
            if statement.type == "comment":
                continue
            if self.statement(statement):
                self.kept_statements += 1

    def statement(self, node: tree_sitter.Node) -> bool:
        """Strip one top-level statement; False when it is removed whole."""
        kind = node.type
        if kind in _REFUSED:
            self.refuse(node, _REFUSED[kind])
        if kind in _TYPE_DECLARATIONS:
            self.edits.drop(node)
            return False
        if kind == "import_statement":
            return self.import_statement(node)
        if kind == "export_statement":
            return self.export_statement(node)
        self.visit(node)
        return True

    def import_statement(self, node: tree_sitter.Node) -> bool:
        if _named(node, "type") is not None:  # import type { A } from "x"
            self.edits.drop(node)
            return False
        clause = _named(node, "import_clause")
        if clause is None:
            return True  # import "side-effect"
        named = _named(clause, "named_imports")
        others = [c for c in clause.named_children if c.type != "named_imports"]
        if named is not None and not self.specifiers(named, "import_specifier"):
            if not others:
                self.edits.drop(node)
                return False
            # import knex, { type Knex } from "knex": the default import stays
            self.edits.cut(others[-1].end_byte, named.end_byte)
        return True

    def export_statement(self, node: tree_sitter.Node) -> bool:
        declaration = node.child_by_field_name("declaration")
        if declaration is not None:
            if declaration.type in _REFUSED:
                self.refuse(declaration, _REFUSED[declaration.type])
            if declaration.type in _TYPE_DECLARATIONS:
                self.edits.drop(node)
                return False
            self.visit(declaration)
            return True
        if _named(node, "type") is not None:  # export type { A } [from "x"]
            self.edits.drop(node)
            return False
        clause = _named(node, "export_clause")
        if clause is not None and not self.specifiers(clause, "export_specifier"):
            self.edits.drop(node)
            return False
        for child in node.named_children:
            self.visit(child)
        return True

    def specifiers(self, clause: tree_sitter.Node, kind: str) -> int:
        """Cut the `type` specifiers of `{ ... }`; the number of specifiers left."""
        specs = [c for c in clause.named_children if c.type == kind]
        typed = [s for s in specs if _named(s, "type") is not None]
        if len(typed) == len(specs):
            return 0
        kept = [self.text(s) for s in specs if s not in typed]
        if clause.start_point[0] == clause.end_point[0]:
            self.edits.cut(clause.start_byte, clause.end_byte, f"{{ {', '.join(kept)} }}".encode())
            return len(kept)
        for spec in typed:  # one a line: each goes with its line
            end = spec.end_byte
            nxt = spec.next_sibling
            if nxt is not None and nxt.type == ",":
                end = nxt.end_byte
            self.edits.cut(spec.start_byte, end)
        return len(specs) - len(typed)

    def visit(self, node: tree_sitter.Node) -> None:
        kind = node.type
        if kind in _REFUSED:
            self.refuse(node, _REFUSED[kind])
        if kind in _TYPE_DECLARATIONS:
            self.edits.drop(node)
            return
        if kind in ("type_annotation", "type_arguments", "type_parameters"):
            self.edits.cut(node.start_byte, node.end_byte)
            return
        if kind in ("as_expression", "satisfies_expression"):
            self.cast(node)
            return
        if kind == "non_null_expression":
            bang = node.children[-1]
            self.edits.cut(bang.start_byte, bang.end_byte)
            self.visit(node.children[0])
            return
        if kind == "type_assertion":  # <T>value
            self.edits.cut(node.children[0].start_byte, node.children[0].end_byte)
            self.visit(node.children[1])
            return
        if kind == "class_heritage":
            self.heritage(node)
            return
        if kind in ("class_body",):
            self.class_body(node)
            return
        if kind in ("optional_parameter", "required_parameter"):
            self.parameter(node)
            return
        if kind in _MODIFIERS or kind == "declare":
            self.modifier(node)
            return
        for child in node.children:
            self.visit(child)

    def modifier(self, node: tree_sitter.Node) -> None:
        end = node.end_byte
        while self.src[end : end + 1] in (b" ", b"\t"):
            end += 1
        self.edits.cut(node.start_byte, end)

    def cast(self, node: tree_sitter.Node) -> None:
        """`value as T`, `value satisfies T`: keep the value, drop its parentheses when
        they were only there for the cast (`(x as T).y` is `x.y`)."""
        value = node.children[0]
        self.edits.cut(value.end_byte, node.end_byte)
        parent = node.parent
        if (
            parent is not None
            and parent.type == "parenthesized_expression"
            and value.type in _PRIMARY
            and parent.parent is not None
            and parent.parent.type
            in ("member_expression", "call_expression", "subscript_expression")
            and parent.named_child_count == 1
        ):
            self.edits.cut(parent.start_byte, parent.start_byte + 1)
            self.edits.cut(parent.end_byte - 1, parent.end_byte)
        self.visit(value)

    def heritage(self, node: tree_sitter.Node) -> None:
        implements = _named(node, "implements_clause")
        extends = _named(node, "extends_clause")
        if implements is not None:
            if extends is None:
                start = node.start_byte
                while self.src[start - 1 : start] == b" ":
                    start -= 1
                self.edits.cut(start, node.end_byte)
                return
            self.edits.cut(extends.end_byte, implements.end_byte)
        if extends is not None:
            self.visit(extends)

    def parameter(self, node: tree_sitter.Node) -> None:
        pattern = node.child_by_field_name("pattern")
        if pattern is not None and pattern.type == "this":  # `this: T` only types `this`
            end = node.end_byte
            nxt = node.next_sibling
            if nxt is not None and nxt.type == ",":
                end = nxt.end_byte
                while self.src[end : end + 1] in (b" ", b"\n"):
                    end += 1
            self.edits.cut(node.start_byte, end)
            return
        for child in node.children:
            if child.type == "?":
                self.edits.cut(child.start_byte, child.end_byte)
            elif child.type in _MODIFIERS:
                self.modifier(child)
            else:
                self.visit(child)

    def class_body(self, body: tree_sitter.Node) -> None:
        for member in body.named_children:
            kind = member.type
            if kind in _TYPE_MEMBERS:
                self.edits.drop(member)
            elif kind == "public_field_definition":
                self.class_field(member)
            elif kind == "method_definition":
                if member.child_by_field_name("body") is None:
                    self.edits.drop(member)  # an overload signature
                    continue
                name = member.child_by_field_name("name")
                if name is not None and self.text(name) == "constructor":
                    self.constructor(member)
                self.visit(member)
            else:
                self.visit(member)

    def class_field(self, member: tree_sitter.Node) -> None:
        value = member.child_by_field_name("value")
        name = member.child_by_field_name("name")
        declared = any(c.type == "declare" for c in member.children)
        is_private = name is not None and name.type == "private_property_identifier"
        if declared or (value is None and not is_private):
            self.edits.drop(member)
            return
        for child in member.children:
            if child.type in ("?", "!"):
                self.edits.cut(child.start_byte, child.end_byte)
            else:
                self.visit(child)

    def constructor(self, method: tree_sitter.Node) -> None:
        """Parameter properties become `this.x = x;`, after the `super(...)` call."""
        params = method.child_by_field_name("parameters")
        body = method.child_by_field_name("body")
        assert params is not None and body is not None
        names = []
        for param in params.named_children:
            if any(c.type in ("accessibility_modifier", "readonly") for c in param.children):
                pattern = param.child_by_field_name("pattern")
                assert pattern is not None
                names.append(self.text(pattern))
        if not names:
            return
        line_start = self.src.rfind(b"\n", 0, method.start_byte) + 1
        indent = self.src[line_start : method.start_byte].decode() + INDENT
        assignments = "".join(f"\n{indent}this.{n} = {n};" for n in names)
        statements = [s for s in body.named_children if s.type != "comment"]
        first = statements[0] if statements else None
        if first is not None and self.text(first).startswith("super("):
            self.edits.inline.append((first.end_byte, first.end_byte, assignments.encode()))
        elif first is None and not body.named_children:
            closing = indent[: -len(INDENT)]
            self.edits.inline.append(
                (body.start_byte, body.end_byte, f"{{{assignments}\n{closing}}}".encode())
            )
        else:
            self.edits.inline.append(
                (body.start_byte + 1, body.start_byte + 1, assignments.encode())
            )


# Lists a formatter keeps on one line when they fit: parameters, imported names.
_JOINED = {"formal_parameters": ("(", ")"), "named_imports": ("{ ", " }")}


def _join_wrapped_parameters(text: str) -> str:
    """Join a parameter list (or a list of imported names) onto its line when, without
    its types, it fits there."""
    source = text.encode("utf-8")
    tree = _parser().parse(source)
    edits: list[tuple[int, int, bytes]] = []

    def walk(node: tree_sitter.Node) -> None:
        brackets = _JOINED.get(node.type)
        if brackets is not None and node.start_point[0] != node.end_point[0]:
            params = node.named_children
            if params and all(p.type != "comment" for p in params):
                pieces = [source[p.start_byte : p.end_byte].decode() for p in params]
                if all("\n" not in p for p in pieces):
                    joined = brackets[0] + ", ".join(pieces) + brackets[1]
                    line_start = source.rfind(b"\n", 0, node.start_byte) + 1
                    line_end = source.find(b"\n", node.end_byte)
                    head = source[line_start : node.start_byte].decode()
                    tail = source[node.end_byte : line_end].decode()
                    if len(head) + len(joined) + len(tail) <= WIDTH:
                        edits.append((node.start_byte, node.end_byte, joined.encode()))
                        return
        for child in node.children:
            walk(child)

    walk(tree.root_node)
    for start, end, replacement in sorted(edits, reverse=True):
        source = source[:start] + replacement + source[end:]
    return source.decode("utf-8")


@cache
def strip_types(ts_source: str, path: str = "<typescript>") -> str | None:
    """The JavaScript of one TypeScript module; None when the module holds only types.

    Kept by text: the combinations of a render tier share most modules word for word,
    and parsing is most of a JavaScript project's render.
    """
    source = ts_source.encode("utf-8")
    tree = _parser().parse(source)
    if tree.root_node.has_error:
        raise TypeStripError(f"{path} does not parse as TypeScript, so its types cannot be cut.")
    stripper = _Stripper(source, path)
    stripper.program(tree.root_node)
    if not stripper.kept_statements:
        return None
    text = stripper.edits.apply()
    text = _join_wrapped_parameters(text)
    return text.lstrip("\n")
