"""Graphviz edge labels moved off cluster borders (edge_labels.py), read from dot's
``-Tjson`` layout and written into its SVG.

The layout run that places the cluster titles (cluster_titles.py) serves here too: it
gives every curve, arrowhead, node, border and label with its width, in points, y up.
dot's SVG draws the same layout with y negated, so a label's lines are found there by
their anchors and shifted. PDF and PNG are made from that SVG. Pure functions.
"""
from __future__ import annotations

import re

from . import edge_labels
from .cluster_titles import edge_boxes, node_box, title_box
from .geometry import Box, bezier, segment, svg_number, union

PAD_USED = 8.0  # points of the template's pad (0.3 in) a moved label may take
_TEXT = re.compile(r'<text (?P<pre>[^>]*?)x="(?P<x>-?[\d.]+)" y="(?P<y>-?[\d.]+)"')


def label_moves(layout: dict, sides: dict[str, str]) -> list[tuple[list[tuple[float, float]], float, float]]:
    """Each moved label as (its lines' anchors, dx, dy) in layout points, with the
    cluster titles where ``sides`` puts them.

    >>> seg = [{"op": "b", "points": [[50, 0], [50, 60], [50, 140], [50, 200]]}]
    >>> label = [{"op": "F", "size": 14}, {"op": "T", "pt": [90, 96], "align": "c", "width": 60, "text": "1. go"}]
    >>> cluster = {"name": "cluster_a", "bb": "0,0,300,100", "_ldraw_": []}
    >>> layout = {"bb": "0,0,300,200", "objects": [cluster], "edges": [{"_draw_": seg, "_ldraw_": label}]}
    >>> label_moves(layout, {})  # the label straddles the cluster's top border (y=100, y up): off it
    [([(90.0, 96.0)], 0.0, -12.0)]
    """
    labels, lines, fixed, bounds = scene(layout, sides)
    found = edge_labels.moves([l for l, _ in labels], lines, fixed, bounds)
    return [(anchors, *move) for (_, anchors), move in zip(labels, found) if move]


def scene(layout: dict, sides: dict[str, str]) -> tuple[list, list, list, Box]:
    """What the label search sees: each label with its lines' anchors, the edges' curves,
    everything else a label must keep off, and the canvas (dot_halos.py sees the same)."""
    objects, edges = layout.get("objects", ()), layout.get("edges", ())
    lines, labels, fixed = [], [], []
    for k, e in enumerate(edges):
        lines.append(_curve(e))
        fixed += [b for b in edge_boxes(e) if len(b) == 4 and not _is_label(b, e)]
        texts = _texts(e.get("_ldraw_", ()))
        if texts:
            boxes = tuple(b for _, b in texts)
            labels.append((edge_labels.Label(union(boxes), k, boxes), [p for p, _ in texts]))
    for o in objects:
        if str(o.get("name", "")).startswith("cluster") and "bb" in o:
            if "invis" in str(o.get("style", "")):  # a frame's spacer (templates/dot): nothing drawn
                continue
            x1, y1, x2, y2 = (float(v) for v in o["bb"].split(","))
            corners = [(x1, y1), (x2, y1), (x2, y2), (x1, y2)]
            fixed += [segment(a, b) for a, b in zip(corners, corners[1:] + corners[:1])]
            ops = o.get("_ldraw_", ())
            titles = [op for op in ops if op.get("op") == "T"]
            if titles:
                size = next((float(op["size"]) for op in ops if op.get("op") == "F"), 14.0)
                fixed.append(title_box(titles, size, x1, x2, sides.get(o["name"], "l")))
        elif "pos" in o and "width" in o:
            fixed.append(node_box(o))
    fixed += [b for _, b in _texts(layout.get("_ldraw_", ()))]  # the figure's title
    x1, y1, x2, y2 = (float(v) for v in layout.get("bb", "0,0,0,0").split(","))
    # the canvas: dot's box of the drawing and part of the 0.3 in pad the template sets
    # around it (a label at the drawing's edge could not step off its edge: main's 16)
    bounds = (x1 - PAD_USED, y1 - PAD_USED, x2 + PAD_USED, y2 + PAD_USED)
    return labels, lines, fixed, bounds


def apply(svg: str, moves: list[tuple[list[tuple[float, float]], float, float]]) -> str:
    """Shift the SVG texts anchored where a moved label's lines are (y negated, as dot writes it).

    >>> apply('<text text-anchor="middle" x="90" y="-96" font-size="14.00">1. go</text>', [([(90.0, 96.0)], 0.0, 12.0)])
    '<text text-anchor="middle" x="90" y="-108" font-size="14.00">1. go</text>'
    """
    shifts = {(round(x, 1), round(-y, 1)): (dx, -dy) for anchors, dx, dy in moves for x, y in anchors}
    if not shifts:
        return svg

    def shifted(m: re.Match) -> str:
        x, y = float(m.group("x")), float(m.group("y"))
        dx, dy = shifts.get((round(x, 1), round(y, 1)), (0.0, 0.0))
        if (dx, dy) == (0.0, 0.0):
            return m.group(0)
        return f'<text {m.group("pre")}x="{svg_number(x + dx, 2)}" y="{svg_number(y + dy, 2)}"'
    return _TEXT.sub(shifted, svg)


def _curve(edge: dict) -> list:
    out = []
    for op in edge.get("_draw_", ()):
        if op.get("op") in ("b", "B"):
            pts = bezier(op["points"])
            out += [segment(a, b) for a, b in zip(pts, pts[1:])]
    return out


def _texts(ops) -> list[tuple[tuple[float, float], Box]]:
    """Each text line's anchor and box."""
    out, size = [], 14.0
    for op in ops:
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T":
            x, y, w = float(op["pt"][0]), float(op["pt"][1]), float(op["width"])
            x0 = {"l": x, "r": x - w}.get(op.get("align"), x - w / 2)
            out.append(((x, y), (x0, y - 0.3 * size, x0 + w, y + 0.9 * size)))
    return out


def _is_label(box: Box, edge: dict) -> bool:
    return any(box == b for _, b in _texts(edge.get("_ldraw_", ())))
