"""Two Graphviz edges that leave one node through one point and cross there, uncrossed.

dot routes every edge out of its tail's rank through boxes, and two edges from one node
may pass through the same corner of those boxes: their curves meet in that point and swap
sides there (cicd-workflow's 11 and 16 from the maintainer, review 29's one bad DOT
figure: "can read swapped"). Both curves pass through that joint, so each can take the
other's stretch from the node to it: the stretch that arrives on one side goes on on that
side. The incoming control point is turned onto the outgoing tangent, so the curve stays
smooth, and the two joints move GAP apart, so the curves no longer touch. Read from
``-Tjson``, written into the layout (the later passes see the new curves) and into dot's
SVG (y negated). Pure functions.
"""
from __future__ import annotations

import math
import re

from .dot_ends import PATH, curve_key, pos, svg_curve_key
from .edge_ends import NUM
from .geometry import bezier, svg_number

NEAR = 100.0  # points: only a stretch this short, at the node, is swapped (monitoring's 5 and 7 met 80.2 out)
SAME = 0.5  # points: two joints this close are one
GAP = 8.0  # points between the two curves where they met (dot_untangle.KISS)

Point = tuple[float, float]


def uncross(layout: dict) -> list[tuple[Point, Point, list[Point], list[Point]]]:
    """Swap the first stretches of each pair of edges that share their tail and cross in a
    joint both pass through, in ``layout``; return (old ``curve_key`` of a, of b, new
    points of a, of b) for the SVG.

    >>> a = {"tail": 0, "head": 1, "pos": "0,0 5,0 10,0 20,0 30,0 40,-5 50,-10"}  # crosses b at (20, 0)
    >>> b = {"tail": 0, "head": 2, "pos": "0,-3 5,-2 10,-1 20,0 30,1 40,5 50,10"}
    >>> layout = {"edges": [a, b]}
    >>> [(p, q) for p, q, _, _ in uncross(layout)]
    [(((0.0, 0.0), (50.0, -10.0)), ((0.0, -3.0), (50.0, 10.0)))]
    >>> a["pos"]  # a now starts where b did, below, and stays below; 4 below the joint
    '0,-3 5,-2 9.95,-4 20,-4 30,-4 40,-5 50,-10'
    """
    edges = [e for e in layout.get("edges", ()) if "pos" in e and "s," not in e["pos"]]
    done: list = []
    used: set[int] = set()
    for i, a in enumerate(edges):
        for b in edges[i + 1:]:
            if id(a) in used or id(b) in used or a.get("tail") != b.get("tail") or a.get("head") == b.get("head"):
                continue
            pa, pb = pos(a["pos"])[2], pos(b["pos"])[2]
            joint = _shared_joint(pa, pb)
            if joint is None:
                continue
            ka, kb = joint
            if not _crossing_at(pa, pb, ka, kb):
                continue
            na, nb = _apart(_swapped(pa, pb, ka, kb), _swapped(pb, pa, kb, ka), ka, kb)
            done.append((curve_key(pa), curve_key(pb), na, nb))
            for e, new in ((a, na), (b, nb)):
                store(e, new)
            used |= {id(a), id(b)}
    return done


def apply(svg: str, done: list[tuple[Point, Point, list[Point], list[Point]]]) -> str:
    """Rewrite the two paths of each swapped pair, found by their old ``curve_key``.

    >>> svg = '<path fill="none" d="M0,-0C5,-0 10,-0 20,-0 30,-0 40,5 50,10"/>'
    >>> old = ((0.0, 0.0), (50.0, -10.0))
    >>> apply(svg, [(old, ((9.0, 9.0), (1.0, 1.0)), [(0.0, 3.0), (5.0, 2.0), (10.0, 0.0), (20.0, 0.0)], [])])
    '<path fill="none" d="M0,-3C5,-2 10,0 20,0"/>'
    """
    by_key = {}
    for ka, kb, na, nb in done:
        by_key[ka] = na
        by_key[kb] = nb
    return rewrite(svg, by_key)


def rewrite(svg: str, by_key: dict[tuple[Point, Point], list[Point]]) -> str:
    """Each path of dot's SVG (y negated) that ``by_key`` names by its ``curve_key``,
    drawn through the new points (layout points, y up)."""
    def path(m: re.Match) -> str:
        new = by_key.get(svg_curve_key([float(v) for v in NUM.findall(m.group(2))]))
        if not new:
            return m.group(0)
        d = "M" + _xy(new[0]) + "C" + " ".join(_xy(p) for p in new[1:])
        return m.group(1) + d + m.group(3)
    return PATH.sub(path, svg) if by_key else svg


def _xy(p: Point) -> str:
    return f"{svg_number(p[0], 2)},{svg_number(-p[1] + 0.0, 2)}"


def _shared_joint(pa: list[Point], pb: list[Point]) -> tuple[int, int] | None:
    """The first joint (index 3, 6, ...) both curves pass through, within NEAR of the start."""
    for ka in range(3, len(pa) - 1, 3):
        if _length(pa[:ka + 1]) > NEAR:
            break
        for kb in range(3, len(pb) - 1, 3):
            if math.dist(pa[ka], pb[kb]) < SAME and _length(pb[:kb + 1]) <= NEAR:
                return ka, kb
    return None


def _length(points: list[Point]) -> float:
    pts = bezier(points, 8) if len(points) >= 4 else points
    return sum(math.dist(p, q) for p, q in zip(pts, pts[1:]))


def _crossing_at(pa, pb, ka, kb) -> bool:
    """Does b pass from one side of a to the other at their joint? (Sides of the tangents
    there, from the control points on either side.)"""
    j = pa[ka]
    before = _side(j, pa[ka + 1], pb[kb - 1])  # b's incoming control, against a's way on
    after = _side(j, pa[ka + 1], pb[kb + 1])
    return before * after < 0


def _side(o: Point, towards: Point, p: Point) -> int:
    cross = (towards[0] - o[0]) * (p[1] - o[1]) - (towards[1] - o[1]) * (p[0] - o[0])
    return (cross > 1e-9) - (cross < -1e-9)


def _swapped(own: list[Point], other: list[Point], k_own: int, k_other: int) -> list[Point]:
    """The other's stretch up to the joint, then this curve's rest; the incoming control
    point turned onto this curve's outgoing tangent at the joint (same distance)."""
    j = own[k_own]
    head = list(other[:k_other])
    out = own[k_own + 1]
    dx, dy = out[0] - j[0], out[1] - j[1]
    norm = math.hypot(dx, dy)
    if norm and head:
        c = head[-1]
        r = math.dist(c, j)
        head[-1] = (round(j[0] - dx / norm * r, 2), round(j[1] - dy / norm * r, 2))
    return head + [j] + list(own[k_own + 1:])


def _apart(na: list[Point], nb: list[Point], ka: int, kb: int) -> tuple[list[Point], list[Point]]:
    """The two curves, now side by side, moved GAP / 2 apart at their joint (with the control
    points on either side): through one point, they still touched there."""
    j = na[ka]
    tx, ty = na[ka + 1][0] - j[0], na[ka + 1][1] - j[1]
    norm = math.hypot(tx, ty)
    side = _side(j, na[ka + 1], nb[kb + 1]) or _side(j, na[ka + 1], nb[kb - 1])
    if not norm or not side:
        return na, nb
    nx, ny = -ty / norm * side * GAP / 2, tx / norm * side * GAP / 2  # towards b's side

    def moved(points, k, sign):
        out = list(points)
        for i in (k - 1, k, k + 1):
            out[i] = (round(out[i][0] + sign * nx, 2), round(out[i][1] + sign * ny, 2))
        return out
    return moved(na, ka, -1), moved(nb, kb, 1)


def store(edge: dict, points: list[Point]) -> None:
    """New curve points into an edge, its arrows' tips (``s,``, ``e,``) kept."""
    tips = [tok for tok in edge["pos"].split() if tok.startswith(("s,", "e,"))]
    edge["pos"] = " ".join(tips + [f"{svg_number(x, 2)},{svg_number(y, 2)}" for x, y in points])
    for op in edge.get("_draw_", ()):
        if op.get("op") in ("b", "B"):
            op["points"] = [list(p) for p in points]
