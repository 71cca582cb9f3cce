"""Emit speed for a 1,000-node model (1,000 steps, 100 groups) in every view and backend,
and the sequence view's lifeline order for a long story among 7 groups (its worst case).

    python3 bench/bench_emit.py        # median of 5 runs, per (view, backend) and in total

The model comes from tests/test_bad_input.py::thousand (the same one the test emits).
"""
from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lablink_diagrams.emit import emit, supported  # noqa: E402
from lablink_diagrams.model import Diagram, Group, Node, Step  # noqa: E402
from lablink_diagrams.model_json import from_json  # noqa: E402
from tests.test_bad_input import thousand  # noqa: E402
from lablink_diagrams.views import _built  # noqa: E402
from lablink_diagrams.views.common import wrap_name  # noqa: E402


def main() -> None:
    t0 = time.perf_counter()
    d = from_json(thousand())
    load = time.perf_counter() - t0
    emit(d, "dot", "architecture")  # warm the template cache
    per: dict[tuple[str, str], list[float]] = {}
    totals = []
    for _ in range(5):
        wrap_name.cache_clear()  # every run wraps every label anew, as a fresh process would
        _built.cache_clear()  # and builds every view anew
        t_all = time.perf_counter()
        for view, backend in supported(d):
            t = time.perf_counter()
            emit(d, backend, view)
            per.setdefault((view, backend), []).append(time.perf_counter() - t)
        totals.append(time.perf_counter() - t_all)
    print(f"model: {len(d.nodes)} nodes, {len(d.groups)} groups, {len(d.steps)} steps; JSON -> model {load:.3f} s")
    for (view, backend), ts in per.items():
        print(f"  {view:<12} {backend:<8} {statistics.median(ts):.3f} s")
    print(f"all {len(per)} outputs: median {statistics.median(totals):.3f} s (min {min(totals):.3f}, max {max(totals):.3f})")
    long = seven_groups()
    t = time.perf_counter()
    long.lifeline_order()
    print(f"lifeline order of {len(long.steps)} steps among 7 groups (every order of them tried): "
          f"{time.perf_counter() - t:.3f} s")


def seven_groups(steps: int = 3000) -> Diagram:
    """The most groups the sequence view arranges by trying every order, and a long story."""
    rng = random.Random(7)
    nodes = tuple(Node(f"n{i}", f"N{i}") for i in range(14))
    groups = tuple(Group(f"g{g}", f"G{g}", nodes=(f"n{2 * g}", f"n{2 * g + 1}")) for g in range(7))
    ends = [rng.sample(range(14), 2) for _ in range(steps)]
    return Diagram(name="seven", title="Seven", views=("sequence",), nodes=nodes, groups=groups,
                   steps=tuple(Step(i, f"n{a}", f"n{b}", "m") for i, (a, b) in enumerate(ends, 1)))


if __name__ == "__main__":
    main()
