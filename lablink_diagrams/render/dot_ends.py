"""Graphviz edge ends carried onto the outline dot draws, read from ``-Tjson``, written into its SVG.

dot clips an edge at its node's bounding shape, not at what it draws there: a ``cds``
(a queue) is drawn two thirds as tall as its node, so vertical edges stop 6 pt short;
a ``hexagon`` leaves 5 pt at its side points; an HTML table in a ``plaintext`` node stops
4 pt inside the node's margin; a rounded box is clipped at its square corner, 2-4 pt off
the curve (review 27: "edges start in empty space" in crd-connection and the schema, 12
ends in 5 figures). Each such end is moved along its own direction of travel until it
meets the first drawn line of its node: the end point with its neighbouring control point
(the tangent stays), and an arrowhead whole. The layout does not change. Pure functions.
"""
from __future__ import annotations

import math
import re

from .geometry import bezier, point_segment, svg_number

TOUCH = 1.0  # an end this near its node's ink already touches it
SHORT = 8.0  # an end farther than this from its node's ink is not that node's (a cluster's)
REACH = 24.0  # how far an end may travel on to meet the ink (a glancing end travels more than its gap)

Point = tuple[float, float]


def end_shifts(layout: dict) -> dict[Point, tuple[Point | None, Point | None]]:
    """For each edge whose tail or head end stops short of its node's ink, the (dx, dy)
    that carries that end onto it, in layout points (y up); by the first point of the
    edge's curve, which names it in the SVG too (dot numbers the SVG's edges otherwise).

    >>> box = {"_draw_": [{"op": "p", "points": [[0, 0], [100, 0], [100, 30], [0, 30]]}]}
    >>> far = {"_draw_": [{"op": "p", "points": [[0, 200], [100, 200], [100, 230], [0, 230]]}]}
    >>> edge = {"_gvid": 0, "tail": 1, "head": 0, "pos": "e,50,36 50,200 50,120 50,80 50,44"}
    >>> end_shifts({"objects": [box, far], "edges": [edge]})  # the arrow's tip 6 pt above the box
    {(50.0, 200.0): (None, (0.0, -6.0))}
    >>> end_shifts({"objects": [box, far], "edges": [dict(edge, pos="e,50,30.5 50,200 50,120 50,80 50,39")]})
    {}
    """
    objects = layout.get("objects", ())
    out: dict[Point, tuple[Point | None, Point | None]] = {}
    for e in layout.get("edges", ()):
        if e.get("tail") == e.get("head") or "pos" not in e or e.get("lhead") or e.get("ltail"):
            continue
        start, tip, points = _pos(e["pos"])
        if len(points) < 2:
            continue
        tail_end, tail_from = (start, points[0]) if start else (points[0], points[1])
        head_end, head_from = (tip, points[-1]) if tip else (points[-1], points[-2])
        shifts = (_shift(tail_end, tail_from, _ink(objects[e["tail"]])),
                  _shift(head_end, head_from, _ink(objects[e["head"]])))
        if shifts != (None, None):
            out[_key(points[0])] = shifts
    return out


def apply(svg: str, shifts: dict[Point, tuple[Point | None, Point | None]]) -> str:
    """Move the ends in dot's SVG (y negated): in the edge's group, the path's first or
    last two points and the arrowhead whose tip is at that end.

    >>> g = ('<g id="edge1" class="edge"><path d="M50,-194C50,-120 50,-80 50,-44"/>'
    ...      '<polygon points="53.5,-44 50,-36 46.5,-44 53.5,-44"/></g>')
    >>> print(apply(g, {(50.0, 194.0): (None, (0.0, -6.0))}))
    <g id="edge1" class="edge"><path d="M50,-194C50,-120 50,-74 50,-38"/><polygon points="53.5,-38 50,-30 46.5,-38 53.5,-38"/></g>
    """
    if not shifts:
        return svg

    def edge(m: re.Match) -> str:
        path = _PATH.search(m.group(0))
        first = _NUM.findall(path.group(2))[:2] if path else ()
        found = shifts.get(_key((float(first[0]), -float(first[1])))) if len(first) == 2 else None
        return _moved(m.group(0), *found) if found else m.group(0)
    return _EDGE.sub(edge, svg)


def _key(p: Point) -> Point:
    return (round(p[0], 1) + 0.0, round(p[1], 1) + 0.0)


_EDGE = re.compile(r'<g id="edge\d+" class="edge">.*?</g>', re.S)
_PATH = re.compile(r'(<path [^>]*?d=")([^"]*)(")')
_POLYGON = re.compile(r'(<polygon [^>]*?points=")([^"]*)(")')
_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def _moved(group: str, tail: Point | None, head: Point | None) -> str:
    path = _PATH.search(group)
    if not path:
        return group
    nums = [float(v) for v in _NUM.findall(path.group(2))]
    pts = [[nums[i], nums[i + 1]] for i in range(0, len(nums) - 1, 2)]
    ends = []  # (the path's end point in SVG, its shift in SVG)
    for shift, idx in ((tail, (0, 1)), (head, (-1, -2))):
        if shift and len(pts) >= 2:
            dx, dy = shift[0], -shift[1]
            ends.append((tuple(pts[idx[0]]), (dx, dy)))
            for i in idx:
                pts[i][0] += dx
                pts[i][1] += dy
    d = "M" + _xy(pts[0]) + "C" + " ".join(_xy(p) for p in pts[1:])
    group = group[:path.start(2)] + d + group[path.end(2):]

    def polygon(m: re.Match) -> str:
        vals = [float(v) for v in _NUM.findall(m.group(2))]
        corners = list(zip(vals[::2], vals[1::2]))
        for end, (dx, dy) in ends:  # an arrowhead's base is at the path's end, its tip beyond
            if any(math.dist(c, end) < 1.5 for c in corners) or _base_at(corners, end):
                corners = [(x + dx, y + dy) for x, y in corners]
                return m.group(1) + " ".join(_xy(c) for c in corners) + m.group(3)
        return m.group(0)
    return _POLYGON.sub(polygon, group)


def _base_at(corners: list, end: tuple) -> bool:
    """Is ``end`` the midpoint of two of the arrowhead's corners (dot's base of a normal arrow)?"""
    return any(math.dist(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), end) < 1.5
               for i, a in enumerate(corners) for b in corners[i + 1:])


def _xy(p) -> str:
    return f"{svg_number(p[0], 2)},{svg_number(p[1], 2)}"


def _pos(pos: str) -> tuple[Point | None, Point | None, list[Point]]:
    """dot's ``pos`` of an edge: the tail arrow's tip (``s,``), the head arrow's (``e,``), the points."""
    start = tip = None
    points = []
    for tok in pos.split():
        if tok.startswith("s,"):
            x, y = tok[2:].split(",")[:2]
            start = (float(x), float(y))
        elif tok.startswith("e,"):
            x, y = tok[2:].split(",")[:2]
            tip = (float(x), float(y))
        else:
            x, y = tok.split(",")[:2]
            points.append((float(x), float(y)))
    return start, tip, points


def _ink(node: dict) -> list[tuple[Point, Point]]:
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
            cx, cy, rx, ry = (float(v) for v in op["rect"])
            pts = [(cx + rx * math.cos(k * math.pi / 60), cy + ry * math.sin(k * math.pi / 60)) for k in range(121)]
            out += list(zip(pts, pts[1:]))
    return out


def _shift(end: Point, before: Point, ink: list) -> Point | None:
    """How far ``end`` travels on, away from ``before``, to meet the ink; None if it
    touches already, is not near, or meets nothing within REACH.

    >>> square = [((0, 0), (10, 0)), ((10, 0), (10, 10)), ((10, 10), (0, 10)), ((0, 10), (0, 0))]
    >>> _shift((5, 14), (5, 30), square), _shift((5, 10.5), (5, 30), square), _shift((5, 40), (5, 60), square)
    ((0.0, -4.0), None, None)
    """
    if not ink:
        return None
    dx, dy = end[0] - before[0], end[1] - before[1]
    length = math.hypot(dx, dy)
    if length == 0 or not TOUCH < min(point_segment(end, a, b) for a, b in ink) <= SHORT:
        return None
    dx, dy = dx / length, dy / length
    best = math.inf
    for a, b in ink:
        t = _ray_hits(end, (dx, dy), a, b)
        if t is not None and t < best:
            best = t
    if best > REACH:
        return None
    return (round(dx * best, 2) + 0.0, round(dy * best, 2) + 0.0)


def _ray_hits(p: Point, d: Point, a: Point, b: Point) -> float | None:
    """Distance along the ray p + t d (t >= 0) to the segment a-b, or None."""
    ex, ey = b[0] - a[0], b[1] - a[1]
    den = d[0] * ey - d[1] * ex
    if abs(den) < 1e-12:
        return None
    wx, wy = a[0] - p[0], a[1] - p[1]
    t = (wx * ey - wy * ex) / den
    s = (wx * d[1] - wy * d[0]) / den
    return t if t >= 0 and -1e-9 <= s <= 1 + 1e-9 else None

