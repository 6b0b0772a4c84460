"""Start-up and generation speed of backendgen, beside cookiecutter on a comparable template.

Prints the median wall time of each command over several runs, and the ratios:
  backendgen --help, backendgen list, backendgen new --yes (largest verified stack),
  cookiecutter --no-input rendering a template with the same files, sizes and variables.

Run from a checkout with the test extras installed:  .venv/bin/python bench/cli_speed.py
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.catalog import default_catalog
from generator.project import render
from generator.verify.matrix import all_valid

BIN = Path(sys.executable).parent


def largest_combination() -> tuple[list[str], dict[str, bytes]]:
    """The verified combination with the most output, as CLI flags and rendered files."""
    best = max(all_valid(default_catalog()), key=lambda c: len(render(c.answers())[1]))
    flags = []
    for axis_id, value in best.choices.items():
        if isinstance(value, bool):
            if value:
                flags.append(f"--{axis_id}")
        else:
            flags += [f"--{axis_id.replace('_', '-')}", str(value)]
    return flags, render(best.answers())[1]


def cookiecutter_template(files: dict[str, bytes], root: Path) -> Path:
    """A cookiecutter template producing the same tree, with the project name as its variable."""
    template = root / "template"
    slug_dir = "{{cookiecutter.project_slug}}"
    (template / slug_dir).mkdir(parents=True)
    (template / "cookiecutter.json").write_text('{"project_slug": "shop"}')
    for path, data in files.items():
        text = data.decode("utf-8")
        # Keep literal Jinja-looking text (GitHub's ${{ }}) literal, then template the name.
        text = re.sub(r"(\{\{|\{%|\{#)", lambda m: "{{ '" + m.group(1) + "' }}", text)
        text = text.replace("shop", "{{ cookiecutter.project_slug }}")
        out = template / slug_dir / path.replace("shop", slug_dir)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    return template


def median_seconds(cmd: list[str], runs: int, cwd: Path) -> float:
    """Median over `runs` after one warm-up run (which lets Python write its bytecode)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    flags, files = largest_combination()
    with tempfile.TemporaryDirectory(prefix="backendgen-bench-") as tmp:
        root = Path(tmp)
        template = cookiecutter_template(files, root)
        size = sum(len(d) for d in files.values())
        print(f"largest verified stack: {' '.join(flags)}")
        print(f"  {len(files)} files, {size / 1024:.1f} KiB (the cookiecutter template matches)")
        backendgen = str(BIN / "backendgen")
        cases = {
            "backendgen --help": [backendgen, "--help"],
            "backendgen list": [backendgen, "list"],
            "backendgen new --yes": [
                backendgen,
                "new",
                "shop",
                *flags,
                "--yes",
                "--force",
                "--output-dir",
                str(root / "out-bg"),
            ],
            "cookiecutter --no-input": [
                str(BIN / "cookiecutter"),
                "--no-input",
                "-f",
                "-o",
                str(root / "out-cc"),
                str(template),
            ],
        }
        medians = {}
        for label, cmd in cases.items():
            medians[label] = median_seconds(cmd, args.runs, root)
            print(f"{label:26s} median {medians[label] * 1000:7.1f} ms over {args.runs} runs")
        ratio = medians["cookiecutter --no-input"] / medians["backendgen new --yes"]
        print(f"\nnew --yes is {ratio:.1f}x faster than cookiecutter on the comparable template")
        print(f"--help median {medians['backendgen --help'] * 1000:.1f} ms (target: under 100 ms)")
        shutil.rmtree(root / "out-bg", ignore_errors=True)


if __name__ == "__main__":
    main()
