"""Graphviz edges kept inside the frame that holds both their ends.

dot routes a long edge around the clusters in its way with one wide Bézier segment, and
nothing keeps that segment inside the cluster both ends belong to: main's "12. POST
/api/vm-logs" (Lambda to Caddy, both in the AWS account) bulged 36 points out past the
frame's left border and back in, its label left inside (review 60: "the frame border
separates the label from its edge"). Where a segment strays, its two handles are drawn in
toward the frame, along the axis it strays on, just far enough that the curve keeps INSET
inside the border, its knots and so its ends and their tangents' directions kept. A pull is
kept only if the edge then crosses no edge, node, title or label it did not and runs along
no frame border (the pull itself: edge_strays.py). Pure functions on the ``-Tjson`` layout (y up); graphviz.py
rewrites the SVG's path by its ``curve_key``.
"""
from __future__ import annotations

from .dot_ends import curve_key, pos
from .dot_joints import Point, store
from .dot_labels import scene
from .edge_strays import RUN, hugging, pulled
from .geometry import bezier, crosses, overlaps, segment

def inside(layout: dict, sides: dict[str, str]) -> dict[tuple[Point, Point], list[Point]]:
    """Pull, in ``layout``, each edge that strays out of the innermost drawn cluster holding
    both its ends back in; return the new points of each by its ``curve_key``.

    >>> frame = {"name": "cluster_a", "bb": "0,0,200,300"}
    >>> node = lambda x, y: {"name": "n", "pos": f"{x},{y}", "width": 0.5, "height": 0.5}
    >>> edge = {"tail": 1, "head": 2, "pos": "100,250 -80,200 -80,100 100,50"}  # bulges to x=-35
    >>> layout = {"objects": [frame, node(100, 270), node(100, 30)], "edges": [edge]}
    >>> new = inside(layout, {})[((100.0, 250.0), (100.0, 50.0))]
    >>> round(min(x for x, _ in bezier(new, 32)), 1), new[0], new[-1]  # 8 inside the border; ends kept
    (8.0, (100.0, 250.0), (100.0, 50.0))
    >>> inside({"objects": [frame, node(100, 270), node(100, 30)],
    ...         "edges": [dict(edge, pos="100,250 60,200 60,100 100,50")]}, {})  # inside already
    {}
    """
    objects = layout.get("objects", ())
    frames = []
    for o in objects:
        if str(o.get("name", "")).startswith("cluster") and "bb" in o and "invis" not in str(o.get("style", "")):
            frames.append(tuple(float(v) for v in o["bb"].split(",")))
    centres = [tuple(float(v) for v in o["pos"].split(","))[:2] if "pos" in o else None for o in objects]
    edges = [e for e in layout.get("edges", ()) if "pos" in e and e.get("tail") != e.get("head")]
    out: dict = {}
    for e in edges:
        ends = [centres[e["tail"]] if e["tail"] < len(centres) else None,
                centres[e["head"]] if e["head"] < len(centres) else None]
        holding = [f for f in frames if all(p and f[0] <= p[0] <= f[2] and f[1] <= p[1] <= f[3] for p in ends)]
        if not holding:
            continue
        frame = min(holding, key=lambda f: (f[2] - f[0]) * (f[3] - f[1]))
        start, tip, points = pos(e["pos"])
        new = pulled(points, frame)
        if new is None or new == points:
            continue
        if _fits(layout, sides, e, points, new):
            out[curve_key(points)] = new
            store(e, new)
    return out


def _fits(layout: dict, sides: dict, edge: dict, old: list[Point], new: list[Point]) -> bool:
    """The pulled curve crosses no other edge, meets no box (node, title, arrowhead,
    label) and no frame border more than the old one did, and runs along no border."""
    labels, lines, fixed, _ = scene(layout, sides)
    own = layout["edges"].index(edge)
    before, after = _segments(old), _segments(new)
    for k, line in enumerate(lines):
        if k != own and _crossings(after, line) > _crossings(before, line):
            return False
    boxes = [b for b in fixed if len(b) == 4] + [lab.box for lab, _ in labels if lab.line != own]
    borders = [s for s in fixed if len(s) == 6]
    if hugging(new, borders) > max(RUN, hugging(old, borders)):
        return False  # out of the frame, or down its border: the first is the lesser harm
    for group in (boxes, borders):
        if sum(any(_meets(s, o) for s in after) for o in group) > sum(any(_meets(s, o) for s in before) for o in group):
            return False
    return True


def _segments(points: list[Point]) -> list:
    pts = bezier(points, 16)
    return [segment(a, b) for a, b in zip(pts, pts[1:])]


def _crossings(segs: list, line: list) -> int:
    return sum(crosses(s[4], s[5], o[4], o[5]) for s in segs for o in line if len(o) == 6)


def _meets(seg: tuple, obstacle: tuple) -> bool:
    if len(obstacle) == 4:
        return overlaps(obstacle, seg)
    return crosses(seg[4], seg[5], obstacle[4], obstacle[5])
