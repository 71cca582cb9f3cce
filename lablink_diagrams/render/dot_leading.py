"""The lines of a Graphviz label set the font's own line height apart, not dot's.

dot (2.43, with pango) sets the lines of a label ``fontsize + 1`` points apart: 15 pt for
14 pt text, 1.07 em, where DejaVu's line height is 1.16 em (PlantUML's pitch). An
underscore (its ink 0.17-0.24 em under the baseline) then ends 0.1 em over the capitals
(0.73 em) of the line under it: review 49 read "GPU" as "GPŪ" and ":5000" as ":500̄0", in
every DOT figure. At 1.2 em the gap is 0.24 em. dot has no line-spacing attribute, so the
lines of each node's and edge's plain label are spread about their middle after the
layout: in the layout first, so the label passes see the boxes as drawn, then in the SVG.
A node's label spreads only as far as its node leaves NODE_AIR above and below (dot gives
it 7.2 pt of margin each side); HTML labels (tables, the title, a compact key) are dot's
own layout of cells and stay. Pure functions; layout points, y up.
"""
from __future__ import annotations

import re

LEADING = 1.2  # ems from one baseline to the next
NODE_AIR = 3.0  # points a spread node label keeps from its node's top and bottom
_TEXT = re.compile(r'(<text [^>]*?x="(?P<x>-?[\d.]+)" y=")(?P<y>-?[\d.]+)(")')


def spread(layout: dict) -> tuple[dict, dict[tuple[float, float], float]]:
    """The layout with every plain label of two or more lines spread to LEADING, and the
    moves as {(x, y) of a line as dot set it: its new y}.

    >>> node = {"name": "a", "pos": "50,100", "height": 1.0, "label": "one\\\\ntwo",
    ...         "_ldraw_": [{"op": "F", "size": 14}, {"op": "T", "pt": [50, 104.5], "align": "c", "width": 30},
    ...                     {"op": "T", "pt": [50, 89.5], "align": "c", "width": 30}]}
    >>> new, moved = spread({"objects": [node], "edges": []})
    >>> moved
    {(50.0, 104.5): 105.4, (50.0, 89.5): 88.6}
    >>> [op["pt"] for op in new["objects"][0]["_ldraw_"] if op["op"] == "T"]
    [[50, 105.4], [50, 88.6]]
    >>> tight = {**node, "height": 0.45}   # 32.4 pt: no room for more than dot's 15
    >>> spread({"objects": [tight], "edges": []})[1]
    {}
    """
    moved: dict[tuple[float, float], float] = {}
    objects = [_spread(o, moved, _room(o)) for o in layout.get("objects", ())]
    edges = [_spread(e, moved, None) for e in layout.get("edges", ())]
    if not moved:
        return layout, moved
    return {**layout, "objects": objects, "edges": edges}, moved


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
        return m.group(0) if new is None else f"{m.group(1)}{_number(new)}{m.group(4)}"
    return _TEXT.sub(moved_line, svg)


def _room(o: dict) -> tuple[float, float] | None:
    """A node's inside, top and bottom less NODE_AIR (y up), or None for no node."""
    if "pos" not in o or "height" not in o:
        return None
    y, half = float(o["pos"].split(",")[1]), float(o["height"]) * 36
    return (y - half + NODE_AIR, y + half - NODE_AIR)


def _spread(o: dict, moved: dict, room: tuple[float, float] | None) -> dict:
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
    new_pitch = LEADING * size
    if room is not None:  # the block, ascent 0.9 em over the top baseline, descent 0.3 under the last
        high, low = room[1] - 0.9 * size - middle, middle - 0.3 * size - room[0]
        new_pitch = min(new_pitch, 2 * min(high, low) / n)
    if new_pitch <= pitch + 0.05:
        return o
    ops = list(ops)
    for j, k in enumerate(lines):
        y = round(middle + (n / 2 - j) * new_pitch, 2)
        moved[(round(float(ops[k]["pt"][0]), 1), round(ys[j], 1))] = y
        ops[k] = {**ops[k], "pt": [ops[k]["pt"][0], y]}
    return {**o, "_ldraw_": ops}


def _number(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")
