"""The lines of a Graphviz label set the font's own line height apart, not dot's.

dot (2.43, with pango) sets the lines of a label ``fontsize + 1`` points apart: 15 pt for
14 pt text, 1.07 em, where DejaVu's line height is 1.16 em (PlantUML's pitch). An
underscore (its ink 0.17-0.24 em under the baseline) then ends 0.1 em over the capitals
(0.73 em) of the line under it: review 49 read "GPU" as "GPŪ" and ":5000" as ":500̄0", in
every DOT figure. At 1.2 em the gap is 0.24 em. dot has no line-spacing attribute, so the
lines of each node's and edge's plain label are spread about their middle after the
layout, in the SVG.
A node's label spreads (``spread``, before anything is placed beside the nodes) only as far
as its node's own lines leave NODE_AIR above and below it: the nearest line of the shape
over and under the words, which for a cylinder is the front of its top rim and for a box3d
the inner top edge (review 50: spread against the outer box, "PostgreSQL" ran into a
cylinder's rim). An edge label spreads (``spread_labels``) after the label pass has placed
it, where that keeps it as clear as it was. HTML labels (tables, the title, a compact key)
are dot's own layout of cells and stay. Pure functions; layout points, y up.
"""
from __future__ import annotations

import math
import re

from ..style import LEADING
from . import dot_labels, edge_labels
from .edge_labels import Label
from .geometry import Box, bezier, box_inside, boxes_meet, grow, overlaps, svg_number, union

NODE_AIR = 3.0  # points a spread node label keeps from its node's top and bottom
SLACK = 1.0  # points nearer its own edge a spread edge label may come (never under edge_labels.OWN_MIN)
_TEXT = re.compile(r'(<text [^>]*?x="(?P<x>-?[\d.]+)" y=")(?P<y>-?[\d.]+)(")')


def spread(layout: dict) -> tuple[dict, dict[tuple[float, float], float]]:
    """The layout with every node's plain label of two or more lines spread to LEADING, as
    far as its shape allows, and the moves as {(x, y) of a line as dot set it: its new y}.

    >>> box = [{"op": "p", "points": [[10, 64], [90, 64], [90, 136], [10, 136]]}]  # 72 pt tall
    >>> node = {"name": "a", "pos": "50,100", "label": "one\\\\ntwo", "_draw_": box,
    ...         "_ldraw_": [{"op": "F", "size": 14}, {"op": "T", "pt": [50, 104.5], "align": "c", "width": 30},
    ...                     {"op": "T", "pt": [50, 89.5], "align": "c", "width": 30}]}
    >>> new, moved = spread({"objects": [node], "edges": []})
    >>> moved
    {(50.0, 104.5): 105.4, (50.0, 89.5): 88.6}
    >>> [op["pt"] for op in new["objects"][0]["_ldraw_"] if op["op"] == "T"]
    [[50, 105.4], [50, 88.6]]
    >>> rim = [{"op": "b", "points": [[10, 118], [40, 117], [60, 117], [90, 118]]}]  # a rim 2 pt over the words
    >>> tight = {**node, "_draw_": box + rim}
    >>> spread({"objects": [tight], "edges": []})[1]
    {}
    """
    moved: dict[tuple[float, float], float] = {}
    objects = [_spread(o, moved) if _room(o) else o for o in layout.get("objects", ())]
    if not moved:
        return layout, moved
    return {**layout, "objects": objects}, moved


def spread_labels(layout: dict, sides: dict[str, str], moves: list) -> dict[tuple[float, float], float]:
    """Edge labels spread to LEADING where the label pass set them (``moves``, as
    dot_labels.label_moves gives them), each only where that keeps it as clear as it was:
    not struck, no nearer its own edge than OWN_GAP (or than it was), and no nearer another
    edge than its own if it was not. Spread first, before the pass, a taller label
    sometimes no longer fitted its spot and the pass took one by another arrow (main's
    "9. agent / 10. watchtower", review 50: read as edge 5's). As {(x, y) of a line where
    the pass set it: its new y}, for ``apply`` after dot_labels.apply.

    >>> seg = [{"op": "b", "points": [[50, 0], [50, 60], [50, 140], [50, 200]]}]
    >>> two = [{"op": "F", "size": 14}] + [{"op": "T", "pt": [90, y], "align": "c", "width": 60, "text": t}
    ...                                    for y, t in ((104.5, "1. go"), (89.5, "on"))]
    >>> layout = {"bb": "0,0,300,200", "objects": [], "edges": [{"_draw_": seg, "_ldraw_": two}]}
    >>> spread_labels(layout, {}, [])  # clear of its edge (x=50) by 10: spread
    {(90.0, 104.5): 105.4, (90.0, 89.5): 88.6}
    >>> wall = {"name": "cluster_a", "bb": "0,0,300,117", "_ldraw_": []}  # a border 0.3 over its ascent
    >>> spread_labels({**layout, "objects": [wall]}, {}, [])  # no room: dot's lines
    {}
    """
    labels, lines, fixed, bounds = dot_labels.scene(layout, sides)
    shift = {(round(x, 1), round(y, 1)): (dx, dy) for anchors, dx, dy in moves for x, y in anchors}
    placed = []
    for label, anchors in labels:
        dx, dy = shift.get((round(anchors[0][0], 1), round(anchors[0][1], 1)), (0.0, 0.0))
        placed.append((Label(_shift(label.box, dx, dy), label.line, tuple(_shift(p, dx, dy) for p in label.parts)),
                       [(x + dx, y + dy) for x, y in anchors]))
    out: dict[tuple[float, float], float] = {}
    for i, (label, anchors) in enumerate(placed):
        ys = [y for _, y in anchors]
        size = (label.parts[0][3] - label.parts[0][1]) / 1.2  # text_lines: 0.3 em under the baseline, 0.9 over
        if len(ys) < 2 or any(abs((a - b) - (size + 1)) > 0.6 for a, b in zip(ys, ys[1:])):
            continue
        own = lines[label.line] if 0 <= label.line < len(lines) else []
        others = [s for k, line in enumerate(lines) if k != label.line for s in line]
        boxes = [l.box for j, (l, _) in enumerate(placed) if j != i]
        before = _clearance(label, own, others, fixed, boxes)
        if before is None:
            continue  # struck where it is: it keeps its lines (a halo, or a reflow, may follow)
        n = len(ys) - 1
        # about its middle, else from its top line down, else from its last line up; at
        # LEADING, else halfway to dot's pitch
        for pitch, top in ((p, t) for p in (LEADING * size, (LEADING * size + size + 1) / 2)
                           for t in ((ys[0] + ys[-1]) / 2 + n / 2 * p, ys[0], ys[-1] + n * p)):
            new_ys = [top - j * pitch for j in range(len(ys))]
            parts = tuple((p[0], p[1] + y - old, p[2], p[3] + y - old) for p, y, old in zip(label.parts, new_ys, ys))
            wider = Label(union(parts), label.line, parts)
            after = _clearance(wider, own, others, fixed, boxes)
            if (after is not None and box_inside(wider.box, bounds)
                    and after[0] >= max(min(before[0], edge_labels.OWN_GAP) - SLACK, min(before[0], edge_labels.OWN_MIN))
                    and (before[1] or not after[1])):
                for (x, y), new in zip(anchors, new_ys):
                    out[(_key(x), _key(y))] = round(new, 2)
                placed[i] = (wider, anchors)
                break
    return out


def apply(svg: str, moved: dict[tuple[float, float], float]) -> str:
    """Set each moved line's y in dot's SVG (y negated, as dot writes it).

    >>> apply('<text text-anchor="middle" x="50" y="-104.5" font-size="14.00">one</text>', {(50.0, 104.5): 105.4})
    '<text text-anchor="middle" x="50" y="-105.4" font-size="14.00">one</text>'
    """
    if not moved:
        return svg
    at = {(round(x, 1), round(-y, 1)): -new for (x, y), new in moved.items()}

    def moved_line(m: re.Match) -> str:
        new = at.get((round(float(m["x"]), 1), round(float(m["y"]), 1)))
        return m.group(0) if new is None else f"{m.group(1)}{svg_number(new, 2)}{m.group(4)}"
    return _TEXT.sub(moved_line, svg)


def _clearance(label: Label, own: list, others: list, fixed: list, boxes: list) -> tuple[float, bool] | None:
    """None if the label is struck (as edge_labels.moves tells it), else its distance to its
    own edge and whether another edge is about as near (within MARGIN more)."""
    if (any(overlaps(grow(label.box, 1.0), o) for o in [*fixed, *others, *boxes])
            or any(overlaps(grow(label.box, -2.0), o) for o in own)):
        return None
    own_d = edge_labels.label_reach(label.parts, 0, 0, own) if own else math.inf
    near = [s for s in others if boxes_meet(grow(label.box, own_d + edge_labels.MARGIN + 1), s)]
    return own_d, bool(own and edge_labels.label_within(label.parts, 0, 0, near, own_d + edge_labels.MARGIN))


def _key(v: float) -> float:
    """A coordinate as dot_labels.apply writes it (two decimals), so apply finds it."""
    return float(svg_number(v, 2))


def _shift(box: Box, dx: float, dy: float) -> Box:
    return (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)


def _room(o: dict) -> bool:
    """Is this a node (its label spreads only within its shape's lines)?"""
    return "pos" in o and "_draw_" in o


def _walls(o: dict, x1: float, x2: float, top: float, bottom: float) -> tuple[float, float]:
    """The nearest points of the node's drawing over ``top`` and under ``bottom`` between
    x1 and x2 (y up): the lines its label must keep NODE_AIR from."""
    over, under = float("inf"), float("-inf")
    for op in o.get("_draw_", ()):
        kind = op.get("op")
        if kind in ("b", "B"):
            points = bezier(op["points"])
        elif kind in ("p", "P", "L"):
            ring = [tuple(p) for p in op["points"]]
            points = [q for a, b in zip(ring, ring[1:] + ring[:1]) for q in _along(a, b)]
        elif kind in ("e", "E"):
            cx, cy, rx, ry = op["rect"]
            points = [(cx + rx * math.cos(k * math.pi / 32), cy + ry * math.sin(k * math.pi / 32)) for k in range(64)]
        else:
            continue
        for x, y in points:
            if x1 <= x <= x2:
                if y >= top:
                    over = min(over, y)
                if y <= bottom:
                    under = max(under, y)
    return over, under


def _along(a, b, step: float = 4.0) -> list[tuple[float, float]]:
    n = max(1, int(math.dist(a, b) // step))
    return [(a[0] + (b[0] - a[0]) * k / n, a[1] + (b[1] - a[1]) * k / n) for k in range(n + 1)]


def _spread(o: dict, moved: dict) -> dict:
    ops = o.get("_ldraw_")
    if not ops or str(o.get("label", "")).startswith("<"):
        return o
    lines = [k for k, op in enumerate(ops) if op.get("op") == "T"]
    size = next((float(op["size"]) for op in ops if op.get("op") == "F"), 14.0)
    ys = [float(ops[k]["pt"][1]) for k in lines]
    pitch = size + 1
    if len(lines) < 2 or any(abs((a - b) - pitch) > 0.6 for a, b in zip(ys, ys[1:])):
        return o  # not dot's plain lines (one line, or set otherwise): leave them
    n, middle = len(ys) - 1, (ys[0] + ys[-1]) / 2
    # the block: ascent 0.76 em over the top baseline, descent 0.24 under the last
    half = max(float(ops[k]["width"]) for k in lines) / 2
    cx = float(ops[lines[0]]["pt"][0])
    over, under = _walls(o, cx - half, cx + half, ys[0] + 0.76 * size, ys[-1] - 0.24 * size)
    high = over - NODE_AIR - 0.76 * size - middle
    low = middle - 0.24 * size - NODE_AIR - under
    new_pitch = min(LEADING * size, 2 * min(high, low) / n)
    if new_pitch <= pitch + 0.05:
        return o
    ops = list(ops)
    for j, k in enumerate(lines):
        y = round(middle + (n / 2 - j) * new_pitch, 2)
        moved[(round(float(ops[k]["pt"][0]), 1), round(ys[j], 1))] = y
        ops[k] = {**ops[k], "pt": [ops[k]["pt"][0], y]}
    return {**o, "_ldraw_": ops}
