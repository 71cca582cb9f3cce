"""Edge ends carried onto the outline their node draws: the geometry both backends share.

dot clips an edge at its node's bounding shape, not at what it draws there (dot_ends.py:
a queue drawn two thirds as tall as its node, a hexagon's side points, an HTML table
inside a plaintext node's margin, a rounded box's square corner), and PlantUML, which
lays out with dot, does the same around its clouds (plantuml_ends.py). Review 27 found
"edges that start in empty space". Such an end travels on along its own direction until
it meets the first drawn line of its node: the end point with its neighbouring control
point (the tangent stays), and the arrowhead drawn there whole. Nothing else moves.

Points are ``(x, y)``, ink a list of segments ``((x1, y1), (x2, y2))``, in the
drawing's units (pt or px).
"""
from __future__ import annotations

import math
import re

from .geometry import point_segment, svg_number

TOUCH = 1.0  # an end this near its node's ink already touches it
SHORT = 12.0  # an end farther than this from its node's ink is not that node's (a cluster's, an actor's caption)
REACH = 24.0  # how far an end may travel on to meet the ink (a glancing end travels more than its gap)

Point = tuple[float, float]
_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def shift(end: Point, before: Point, ink: list) -> Point | None:
    """How far ``end`` travels on, away from ``before``, to meet the ink (or back, for an
    end that went in: PlantUML's arrows reach into a cloud between its scallops); None if
    it touches already, is not near, or meets nothing within REACH.

    >>> square = [((0, 0), (10, 0)), ((10, 0), (10, 10)), ((10, 10), (0, 10)), ((0, 10), (0, 0))]
    >>> shift((5, 14), (5, 30), square), shift((5, 10.5), (5, 30), square), shift((5, 40), (5, 60), square)
    ((0.0, -4.0), None, None)
    >>> shift((14, 14), (24, 14), square)  # passes the square by: nothing to meet
    >>> tall = [((0, 0), (10, 0)), ((10, 0), (10, 100)), ((10, 100), (0, 100)), ((0, 100), (0, 0))]
    >>> shift((5, 97), (5, 120), tall)  # 3 in, the far side beyond REACH: back out
    (0.0, 3.0)
    """
    if not ink:
        return None
    dx, dy = end[0] - before[0], end[1] - before[1]
    length = math.hypot(dx, dy)
    if length == 0 or not TOUCH < min(point_segment(end, a, b) for a, b in ink) <= SHORT:
        return None
    dx, dy = dx / length, dy / length
    t = min((t for a, b in ink if (t := _ray_hits(end, (dx, dy), a, b)) is not None), default=math.inf)
    if t > REACH:  # nothing ahead: in, if the outline is just behind (parity misleads: shapes draw inner lines)
        t = -min((t for a, b in ink if (t := _ray_hits(end, (-dx, -dy), a, b)) is not None), default=math.inf)
        if -t > SHORT:
            return None
    return (round(dx * t, 2) + 0.0, round(dy * t, 2) + 0.0)


def ends(points: list[Point]) -> tuple[tuple[Point, Point], tuple[Point, Point]] | None:
    """A curve's tail end and head end, each with the nearest other point it comes from.

    >>> ends([(0, 0), (0, 0), (0, 5), (0, 10)])
    (((0, 0), (0, 5)), ((0, 10), (0, 5)))
    """
    tail = next((p for p in points[1:] if p != points[0]), None)
    head = next((p for p in reversed(points[:-1]) if p != points[-1]), None)
    if tail is None or head is None:
        return None
    return (points[0], tail), (points[-1], head)


def moved_path(d: str, tail: Point | None, head: Point | None) -> str:
    """A path's ``d`` with its first two points moved by ``tail`` and its last two by
    ``head``; its commands and every other number as they were.

    >>> moved_path("M50,-194 C50,-120 50,-80 50,-44", None, (0.0, 6.0))
    'M50,-194 C50,-120 50,-74 50,-38'
    """
    nums = list(_NUM.finditer(d))
    pairs = len(nums) // 2
    delta = [[0.0, 0.0] for _ in range(pairs)]
    for move, idx in ((tail, (0, 1)), (head, (pairs - 1, pairs - 2))):
        if move and pairs >= 2:
            for i in idx:
                delta[i][0] += move[0]
                delta[i][1] += move[1]
    out, last = [], 0
    for k, m in enumerate(nums[:2 * pairs]):
        add = delta[k // 2][k % 2]
        out.append(d[last:m.start()] + (svg_number(float(m.group()) + add, 3) if add else m.group()))
        last = m.end()
    return "".join(out) + d[last:]


def moved_arrow(points: str, at: list[tuple[Point, Point]]) -> str | None:
    """An arrowhead's ``points`` moved with the path end it is drawn at (one of ``at``:
    (end, move)), or None if it is at none of them. An arrowhead is at an end when a
    corner is there (PlantUML's notch) or the middle of two corners is (dot's base).

    >>> moved_arrow("53.5,-44 50,-36 46.5,-44 53.5,-44", [((50.0, -44.0), (0.0, 6.0))])
    '53.5,-38 50,-30 46.5,-38 53.5,-38'
    >>> moved_arrow("53.5,-44 50,-36 46.5,-44", [((0.0, 0.0), (0.0, 6.0))]) is None
    True
    """
    vals = [float(v) for v in _NUM.findall(points)]
    corners = list(zip(vals[::2], vals[1::2]))
    for end, (dx, dy) in at:
        mids = [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) for i, a in enumerate(corners) for b in corners[i + 1:]]
        if any(math.dist(c, end) < 1.5 for c in [*corners, *mids]):
            sep = "," if " " not in points.strip() else " "
            moved = [f"{svg_number(x + dx, 3)},{svg_number(y + dy, 3)}" for x, y in corners]
            return sep.join(moved)
    return None


def ellipse(cx: float, cy: float, rx: float, ry: float) -> list:
    """An ellipse's outline as 120 segments."""
    pts = [(cx + rx * math.cos(k * math.pi / 60), cy + ry * math.sin(k * math.pi / 60)) for k in range(121)]
    return list(zip(pts, pts[1:]))


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
