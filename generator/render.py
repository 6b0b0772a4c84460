"""Render a plan in memory: nothing touches the disk until every file has rendered."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from generator import __version__, writers
from generator.errors import GenerationError
from generator.plan import Plan
from generator.resources import user_cache

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it


def _toml(value: Any) -> str:
    """A TOML basic string (JSON's escapes are a subset TOML accepts)."""
    return json.dumps(str(value), ensure_ascii=False)


def _yaml(value: Any, indent: int = 0) -> str:
    """Block YAML, every line indented by `indent` spaces, without a trailing newline."""
    text = writers.dump_yaml(value)
    pad = " " * indent
    return "\n".join(pad + line if line else line for line in text.rstrip("\n").splitlines())


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs: compiling them is most of a cold render."""
    folder = user_cache(f"jinja-{__version__}")
    return jinja2.FileSystemBytecodeCache(str(folder)) if folder else None


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        # Templates are named by absolute path, so fragments can live in any folder.
        loader=jinja2.FileSystemLoader("/"),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["toml"] = _toml
    env.filters["yaml"] = _yaml
    return env


@cache
def _template_name(path: Path) -> str:
    return path.resolve().as_posix().lstrip("/")


def render_text(path: Path, context: dict[str, Any]) -> str:
    try:
        template = environment().get_template(_template_name(path))
        return template.render(context)
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f"{path}:{line}" if line else str(path)
        raise GenerationError(f"Template {where} failed to render: {exc}.") from exc


def load_yaml(text: str, where: str) -> Any:
    try:
        return yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        raise GenerationError(f"{where} is not valid YAML after rendering: {exc}") from exc


def render_plan(plan: Plan) -> dict[str, bytes]:
    """Every output file of the plan, as bytes, keyed by its path in the project."""
    from generator.typestrip import strip_types

    out: dict[str, bytes] = {}
    for path, src in plan.files.items():
        if src.render:
            text = render_text(src.source, plan.context)
        elif src.strip_types:
            text = src.source.read_text(encoding="utf-8")
        else:
            out[path] = src.source.read_bytes()
            continue
        if src.strip_types:
            stripped = strip_types(text, path=str(src.source))
            if stripped is None:
                continue  # only types: nothing of it is left to run
            text = stripped
        out[path] = text.encode("utf-8")
    for path, text in writers.write_all(plan).items():
        out[path] = text.encode("utf-8")
    return dict(sorted(out.items()))
