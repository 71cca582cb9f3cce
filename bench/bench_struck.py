#!/usr/bin/env python3
"""Which texts a box's side still runs through in the rendered PlantUML sequences.

    python3 bench/bench_struck.py [OUT_DIR]

Reads every ``*.sequence.plantuml.svg`` under OUT_DIR (default out/, as `make diagrams`
leaves it; the paper set is `render --all --compact --max-steps 15 --no-title`) and
prints, per figure, each text line (message, guard, note, frame tab) that a box's side
crosses, then the count. The renderer already moves, rewraps and widens what it can
(plantuml_messages.py, plantuml_rewrap.py); what is left is listed here. A side under a
text's patch stops at its glyphs, so this counts what a reader sees as text on a border.
This is a report, not a test.
"""
from __future__ import annotations

import html
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from lablink_diagrams.render.plantuml_frames import box_sides  # noqa: E402
from lablink_diagrams.render.plantuml_titles import TEXT, text_box  # noqa: E402


def struck(svg: str) -> list[str]:
    """Each text line a box's side crosses (1 px either side of its ink's box)."""
    sides = box_sides(svg)
    out = []
    for t in TEXT.finditer(svg):
        x1, y1, x2, y2 = text_box(t)
        if any(y1 < s2 and s1 < y2 and x1 - 1 < x < x2 + 1 for x, s1, s2 in sides):
            out.append(html.unescape(svg[svg.index(">", t.end() - 1) + 1:].split("<", 1)[0]))
    return out


def main() -> int:
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "out")
    files = sorted(out.rglob("*.sequence.plantuml.svg"))
    if not files:
        print(f"no PlantUML sequence SVGs under {out}: render first (make diagrams)", file=sys.stderr)
        return 1
    total = 0
    for f in files:
        lines = struck(f.read_text("utf-8"))
        total += len(lines)
        print(f"{f.name:58} {len(lines):3}" + ("  " + " | ".join(lines) if lines else ""))
    print(f"\n{total} text lines on a box's side in {len(files)} figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
