"""Graphviz edge ends carried onto the outline their node draws (edge_ends.py), read from
``-Tjson``, written into its SVG.

dot clips an edge at its node's bounding shape: a ``cds`` (a queue) is drawn two thirds
as tall as its node, so vertical edges stop 6 pt short; a ``hexagon`` leaves 5 pt at its
side points; an HTML table in a ``plaintext`` node ends 4 pt inside the node's margin; a
rounded box is clipped at its square corner, 2-4 pt off the curve. In the suite that was
39 ends in 10 figures. The layout run that places the titles serves here too; dot's SVG
draws the same layout with y negated. Pure functions.
"""
from __future__ import annotations

import re

from . import edge_ends
from .geometry import bezier

Point = tuple[float, float]
Shifts = dict[Point, tuple[Point | None, Point | None]]


def end_shifts(layout: dict) -> Shifts:
    """For each edge whose tail or head end stops short of its node's ink, the (dx, dy)
    that carries that end onto it, in layout points (y up); by the first point of the
    edge's curve and its last (``curve_key``), which name it in the SVG too (dot numbers
    the SVG's edges otherwise).

    >>> box = {"_draw_": [{"op": "p", "points": [[0, 0], [100, 0], [100, 30], [0, 30]]}]}
    >>> far = {"_draw_": [{"op": "p", "points": [[0, 200], [100, 200], [100, 230], [0, 230]]}]}
    >>> edge = {"tail": 1, "head": 0, "pos": "e,50,36 50,200 50,120 50,80 50,44"}
    >>> end_shifts({"objects": [box, far], "edges": [edge]})  # the arrow's tip 6 pt above the box
    {((50.0, 200.0), (50.0, 44.0)): (None, (0.0, -6.0))}
    >>> end_shifts({"objects": [box, far], "edges": [dict(edge, pos="e,50,30.5 50,200 50,120 50,80 50,39")]})
    {}
    """
    objects = layout.get("objects", ())
    found_ends = []  # (key, 0 tail | 1 head, node, end, the point it comes from, its curve from it, ink)
    for e in layout.get("edges", ()):
        if e.get("tail") == e.get("head") or "pos" not in e or e.get("lhead") or e.get("ltail"):
            continue
        start, tip, points = pos(e["pos"])
        found = edge_ends.ends(points)
        if not found:
            continue
        (tail_end, tail_from), (head_end, head_from) = found
        if start:
            tail_end, tail_from = start, points[0]
        if tip:
            head_end, head_from = tip, points[-1]
        for side, node, end, before, curve in ((0, e["tail"], tail_end, tail_from, points),
                                               (1, e["head"], head_end, head_from, points[::-1])):
            found_ends.append((curve_key(points), side, node, end, before, curve, _ink(objects[node])))
    out: dict = {}
    # onto the ink, and apart where two meet one node at one spot (logging's 4 and 5
    # overlapped their arrowheads; main's 14 and 17 left Flask from one point)
    for (key, side, *_), move in zip(found_ends, edge_ends.carry([end[2:] for end in found_ends])):
        if move:
            pair = list(out.get(key, (None, None)))
            pair[side] = move
            out[key] = tuple(pair)
    return out


def apply(svg: str, shifts: Shifts) -> str:
    """Move the ends in dot's SVG (y negated): in the edge's group, the path's first or
    last two points and the arrowhead drawn at that end.

    >>> g = ('<g id="edge1" class="edge"><path d="M50,-194C50,-120 50,-80 50,-44"/>'
    ...      '<polygon points="53.5,-44 50,-36 46.5,-44 53.5,-44"/></g>')
    >>> print(apply(g, {((50.0, 194.0), (50.0, 44.0)): (None, (0.0, -6.0))}))
    <g id="edge1" class="edge"><path d="M50,-194C50,-120 50,-74 50,-38"/><polygon points="53.5,-38 50,-30 46.5,-38 53.5,-38"/></g>
    """
    def edge(group: str, path: re.Match, nums: list[float], found) -> str:
        tail, head = (None if s is None else (s[0], -s[1]) for s in found)
        at = [(end, move) for end, move in (((nums[0], nums[1]), tail), ((nums[-2], nums[-1]), head)) if move]
        group = group[:path.start(2)] + edge_ends.moved_path(path.group(2), tail, head) + group[path.end(2):]

        def arrow(p: re.Match) -> str:
            moved = edge_ends.moved_arrow(p.group(2), at)
            return p.group(1) + moved + p.group(3) if moved else p.group(0)
        return POLYGON.sub(arrow, group)
    return edit_edges(svg, shifts, edge)


def edit_edges(svg: str, by_key: dict, edit) -> str:
    """dot's SVG with each edge group that ``by_key`` names (by its path's ``curve_key``)
    rewritten by ``edit(group, its path's match, the path's numbers, by_key's value)``."""
    if not by_key:
        return svg

    def edge(m: re.Match) -> str:
        group = m.group(0)
        path = PATH.search(group)
        if not path:
            return group
        nums = [float(v) for v in edge_ends.NUM.findall(path.group(2))]
        found = by_key.get(svg_curve_key(nums))
        return edit(group, path, nums, found) if found else group
    return EDGE.sub(edge, svg)


EDGE = re.compile(r'<g id="edge\d+" class="edge">.*?</g>', re.S)
PATH = re.compile(r'(<path [^>]*?d=")([^"]*)(")')
POLYGON = re.compile(r'(<polygon [^>]*?points=")([^"]*)(")')


def curve_key(points: list[Point]) -> tuple[Point, Point]:
    """An edge's name across the layout and the SVG: its curve's first and last points, to 0.1 pt.

    >>> curve_key([(1.04, 2.0), (5, 5), (9, 9), (10.26, 3)])
    ((1.0, 2.0), (10.3, 3.0))
    """
    return tuple((round(x, 1) + 0.0, round(y, 1) + 0.0) for x, y in (points[0], points[-1]))


def svg_curve_key(nums: list[float]) -> tuple[Point, Point] | None:
    """``curve_key`` of a path in dot's SVG (its numbers, y negated)."""
    return curve_key([(nums[0], -nums[1]), (nums[-2], -nums[-1])]) if len(nums) >= 4 else None


def pos(text: str) -> tuple[Point | None, Point | None, list[Point]]:
    """dot's ``pos`` of an edge: the tail arrow's tip (``s,``), the head arrow's (``e,``), the points."""
    start = tip = None
    points = []
    for tok in text.split():
        x, y = (float(v) for v in tok.lstrip("se,").split(",")[:2])
        if tok.startswith("s,"):
            start = (x, y)
        elif tok.startswith("e,"):
            tip = (x, y)
        else:
            points.append((x, y))
    return start, tip, points


def _ink(node: dict) -> list:
    """The lines a node draws: its shape's outline and an HTML table's borders."""
    out = []
    for op in [*node.get("_draw_", ()), *node.get("_ldraw_", ())]:
        kind = op.get("op")
        if kind in ("p", "P", "L", "b", "B"):
            pts = [tuple(p[:2]) for p in op["points"]]
            if kind in ("b", "B"):
                pts = bezier(pts)
            if kind in ("p", "P"):
                pts = pts + pts[:1]
            out += list(zip(pts, pts[1:]))
        elif kind in ("e", "E"):
            out += edge_ends.ellipse(*(float(v) for v in op["rect"]))
    return out
