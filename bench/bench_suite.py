#!/usr/bin/env python3
"""The numbers the README quotes, for the real suite: emit-all in process, then the render benchmark.

    python3 bench/bench_suite.py [--naive-limit K] [--no-naive]

1. emit-all: every (diagram, view, backend) text of the suite, in process, median of 20 runs;
2. the emitted sources go to a temp folder and bench_render.py renders them (PNG+SVG+PDF):
   cold, unchanged re-run, and the naive way (one mmdc / java per output), as ratios.
"""
from __future__ import annotations

import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lablink_diagrams import mechanisms  # noqa: E402
from lablink_diagrams.backends import BACKENDS  # noqa: E402
from lablink_diagrams.emit import emit, supported  # noqa: E402
from lablink_diagrams.views import _built  # noqa: E402
from lablink_diagrams.views.common import wrap_balanced, wrap_name  # noqa: E402


def emit_all() -> dict[str, str]:
    out = {}
    for d in mechanisms.select(all_=True):
        for view, backend in supported(d):
            out[f"lablink-{d.name}.{view}.{backend}.{BACKENDS[backend].extension}"] = emit(d, backend, view)
    return out


def host_speed() -> float:
    """Milliseconds for a fixed pure-Python loop, median of 5: hosts here differ by 2x from
    one session to the next, so a suite time means little without the host it ran on."""
    times = []
    for _ in range(5):
        t = time.perf_counter()
        sum(range(10**7))
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> int:
    print(f"host speed    sum(range(10**7)) in {host_speed():.0f} ms (a reference: compare suite times only at like speeds)")
    emit_all()  # warm: templates compiled, modules imported
    times = []
    for _ in range(20):
        wrap_name.cache_clear()  # each run wraps every label anew, as a fresh process would
        wrap_balanced.cache_clear()
        _built.cache_clear()  # and builds every view anew (one per diagram view, for all backends)
        t = time.perf_counter()
        texts = emit_all()
        times.append(time.perf_counter() - t)
    print(f"emit-all      {len(texts)} texts in {statistics.median(times) * 1000:.1f} ms (median of 20, in process)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        sys.argv = [sys.argv[0], str(folder), *sys.argv[1:]]
        sys.path.insert(0, str(ROOT / "bench"))
        import bench_render

        return bench_render.main()


if __name__ == "__main__":
    sys.exit(main())
