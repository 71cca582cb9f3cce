"""DOT edges that run side by side, set apart (edge_runs.py) in the ``-Tjson`` layout,
before the label search reads it, and then in the SVG."""
from __future__ import annotations

import math

from . import edge_ends, edge_runs, edge_swaps
from .dot_ends import curve_key, pos
from .dot_joints import Point, store
from .dot_labels import scene


def apart(layout: dict, sides: dict[str, str], ends: dict | None = None) -> dict[tuple[Point, Point], list[Point]]:
    """Move, in ``layout``, each edge that runs as one with another or along a frame's
    border; return the new points of each by its old ``curve_key`` (for ``rewrite``).
    Cluster borders are the lines to keep off, and titles, nodes and arrowheads the boxes;
    edge labels are placed after.

    >>> line = [{"op": "b", "points": [[0, 0], [0, 1], [0, 2], [0, 3]]}]  # what the label scene reads
    >>> e = lambda t, h, p: {"tail": t, "head": h, "pos": p, "_draw_": line}
    >>> a, b = e(0, 1, "0,0 0,30 0,60 0,90 0,120 0,150 0,180"), e(2, 3, "30,0 10,30 3,60 3,90 3,120 10,150 30,180")
    >>> moved = apart({"edges": [a, b]}, {})
    >>> [round(x, 1) for x, _ in moved[((30.0, 0.0), (30.0, 180.0))]], b["pos"]
    ([30.0, 10.0, 10.0, 10.0, 10.0, 10.0, 30.0], '30,0 10,30 9.98,60 9.98,90 9.98,120 10,150 30,180')
    """
    edges = [e for e in layout.get("edges", ()) if "pos" in e and e.get("tail") != e.get("head")]
    curves = [pos(e["pos"])[2] for e in edges]
    _, _, fixed, _ = scene(layout, sides)
    ink = [(s[4], s[5]) for s in fixed if len(s) == 6]
    boxes = [b for b in fixed if len(b) == 4]
    borders = []
    for o in layout.get("objects", ()):  # each drawn frame's outline (not a spacer's: templates/dot)
        if str(o.get("name", "")).startswith("cluster") and "bb" in o and "invis" not in str(o.get("style", "")):
            x1, y1, x2, y2 = (float(v) for v in o["bb"].split(","))
            corners = [(x1, y1), (x2, y1), (x2, y2), (x1, y2)]
            borders.append(list(zip(corners, corners[1:] + corners[:1])))
    nodes = [(e.get("tail"), e.get("head")) for e in edges]
    # two edges out of one node that cross at a glancing angle near it first swap their first
    # stretches, judged with their ends where dot_ends carries them (``ends``: those shifts,
    # by curve_key; it may part two starts already); a swapped curve has them in its points,
    # and its entry leaves ``ends``
    tips = [("s," in e["pos"], "e," in e["pos"]) for e in edges]
    ends = {} if ends is None else ends
    carried = [_carried(c, ends.get(curve_key(c))) for c in curves]
    swapped = edge_swaps.uncross(carried, nodes, tips, ink + [seg for border in borders for seg in border], boxes)
    for k in swapped:
        ends.pop(curve_key(curves[k]), None)
    now = [swapped.get(k, c) for k, c in enumerate(curves)]
    moved = {**swapped, **edge_runs.separate(now, nodes, ink, boxes, borders)}
    out = {}
    for k, new in moved.items():
        out[curve_key(curves[k])] = new
        store(edges[k], new)
    return out


def _carried(ctrl: list[Point], shift) -> list[Point]:
    """The curve with its ends moved as dot_ends.apply moves them in the SVG (an end with its
    handle, or alone past edge_ends.REACH)."""
    if not shift:
        return ctrl
    out = list(ctrl)
    for move, idx in ((shift[0], (0, 1)), (shift[1], (len(out) - 1, len(out) - 2))):
        if move:
            for i in idx[:1] if math.hypot(*move) > edge_ends.REACH else idx:
                out[i] = (out[i][0] + move[0], out[i][1] + move[1])
    return out
