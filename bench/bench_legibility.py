#!/usr/bin/env python3
"""How big the suite's text prints when a figure is placed in a paper column.

    python3 bench/bench_legibility.py [OUT_DIR] [--preset paper] [--column 7] [--page-height 9] [--min-pt 6]

Reads the rendered SVGs under OUT_DIR (default out/, as `make diagrams` leaves it),
takes each figure's natural size (DOT in pt, Mermaid/PlantUML in CSS px) and the
scale that fits it into a COLUMN-inch-wide, PAGE-HEIGHT-inch-high area, and prints
the size the preset's body text (node/edge font) comes out at in print. A table
sorted worst first, then the median and how many figures reach MIN_PT; then, since a
paper needs one figure per diagram view, the backend that prints each view largest.
This is a report, not a test: legibility is a target for the figures' content.
"""
from __future__ import annotations

import argparse
import pathlib
import re
import statistics
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from lablink_diagrams.presets import PRESETS  # noqa: E402
from lablink_diagrams.render.legibility import MIN_PT, as_one, natural_size, printed_pt  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", default="out", type=pathlib.Path)
    ap.add_argument("--column", type=float, help="column width, inches (default: the preset's print width)")
    ap.add_argument("--page-height", type=float, help="tallest a figure may print, inches (default: the preset's)")
    ap.add_argument("--min-pt", type=float, default=MIN_PT, help="smallest text a reader should get, pt")
    ap.add_argument("--preset", default="paper", choices=sorted(PRESETS))
    a = ap.parse_args()
    a.column = a.column or PRESETS[a.preset].print_width
    a.page_height = a.page_height or PRESETS[a.preset].print_height
    svgs = sorted(a.out.rglob("*.svg"))
    if not svgs:
        print(f"no SVGs under {a.out} (run `make diagrams` first)", file=sys.stderr)
        return 2
    body = PRESETS[a.preset].node_pt
    rows = []
    for svg in svgs:
        w, h = natural_size(svg)
        rows.append((printed_pt((w, h), a.preset, (a.column, a.page_height)), svg.name, w, h))
    # a split figure's parts (render --max-steps: NAME-part1, NAME-part2…, one folder) print at one scale
    together = {str(svg.relative_to(a.out)): re.sub(r"-part\d+\.", ".", str(svg.relative_to(a.out)))
                for svg in svgs if re.search(r"-part\d+\.", svg.name)}
    shared = {name: pt for pt, name in as_one([(pt, str(svg.relative_to(a.out))) for (pt, *_), svg in zip(rows, svgs)],
                                              together)}
    rows = sorted((shared[str(svg.relative_to(a.out))], name, w, h) for (_, name, w, h), svg in zip(rows, svgs))
    print(f"{'figure':<58} {'natural size':>15}  {body} pt prints at")
    for pt, name, w, h in rows:
        print(f"{name:<58} {w:5.1f} x {h:5.1f} in  {pt:5.1f} pt{'' if pt >= a.min_pt else '  < ' + format(a.min_pt, 'g')}")
    pts = [r[0] for r in rows]
    ok = sum(p >= a.min_pt for p in pts)
    print(f"\n{len(rows)} figures in a {a.column:g} x {a.page_height:g} in area: median {statistics.median(pts):.1f} pt, "
          f"worst {pts[0]:.1f} pt, {ok}/{len(rows)} at >= {a.min_pt:g} pt")
    # a paper needs one figure per diagram view: which backend prints it largest
    best: dict[str, tuple[float, str]] = {}
    for pt, name, _, _ in rows:
        parts = name.split(".")  # lablink-<diagram>.<view>.<backend>.svg
        if len(parts) == 4:
            key = f"{parts[0]}.{parts[1]}"
            best[key] = max(best.get(key, (0.0, "")), (pt, parts[2]))
    if best:
        print(f"\n{'diagram view':<44} best backend   prints at")
        for key, (pt, backend) in sorted(best.items(), key=lambda kv: kv[1]):
            print(f"{key:<44} {backend:<14} {pt:5.1f} pt")
        bpts = [v[0] for v in best.values()]
        print(f"\nbest backend per view: median {statistics.median(bpts):.1f} pt, worst {min(bpts):.1f} pt, "
              f"{sum(p >= a.min_pt for p in bpts)}/{len(bpts)} at >= {a.min_pt:g} pt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
