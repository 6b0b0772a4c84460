"""Cost of the render tier's static checks (tests/test_render.py), per combination.

Renders every Nth valid combination (a fixed slice, so runs compare), judges their
deployment files with checkov up front as the tier does, then renders and checks each
one again, the way `test_combination_renders_clean` does. Prints the median and the mean
seconds per combination of each phase, and the whole tier's estimate from the mean.
The checks cache their verdicts by content, so a longer slice shows what sharing saves.

Run from a checkout with the test extras installed:  .venv/bin/python bench/render_tier.py
"""

from __future__ import annotations

import argparse
import statistics
import time

from generator.catalog import default_catalog
from generator.project import render
from generator.verify import static
from generator.verify.matrix import all_valid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--every", type=int, default=10, help="take every Nth combination")
    args = parser.parse_args()

    combos = all_valid(default_catalog())
    chosen = combos[:: args.every]

    start = time.perf_counter()
    static.prefetch(render(c.answers())[1] for c in chosen)
    prefetch = time.perf_counter() - start

    renders, checks = [], []
    for combo in chosen:
        t0 = time.perf_counter()
        _, files = render(combo.answers())
        t1 = time.perf_counter()
        found = static.problems(files)
        t2 = time.perf_counter()
        if found:
            raise SystemExit(f"{combo.id} has problems: {found[:3]}")
        renders.append(t1 - t0)
        checks.append(t2 - t1)

    per_combo = prefetch / len(chosen) + statistics.mean(renders) + statistics.mean(checks)
    print(f"{len(chosen)} of {len(combos)} combinations (every {args.every}th)")
    print(f"prefetch (render + checkov): {prefetch / len(chosen):.3f} s per combination")
    for name, times in (("render", renders), ("static checks", checks)):
        median, mean = statistics.median(times), statistics.mean(times)
        print(f"{name:>13}: median {median:.3f} s, mean {mean:.3f} s")
    print(f"whole tier estimate: {per_combo * len(combos) / 60:.1f} min for {len(combos)}")


if __name__ == "__main__":
    main()
