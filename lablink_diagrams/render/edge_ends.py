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

from .geometry import bezier, crosses, nearest_on, point_segment, svg_number

TOUCH = 1.0  # an end this near its node's ink already touches it
SHORT = 12.0  # an end farther than this from its node's ink is not that node's (a cluster's, an actor's caption)
REACH = 24.0  # how far an end may travel on to meet the ink (a glancing end travels more than its gap)

Point = tuple[float, float]
NUM = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")  # a number in an SVG attribute


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
    >>> person = [((0, 20), (40, 20)), ((40, 20), (40, 40)), ((40, 40), (0, 40)), ((0, 40), (0, 20)),
    ...           ((15, 0), (25, 0)), ((25, 0), (25, 12)), ((15, 12), (15, 0))]  # a head over a box
    >>> shift((40, 17), (80, 17.5), person)  # beside the head, its line passes under it: to the box's corner
    (0.0, 3.0)
    """
    if not ink:
        return None
    dx, dy = end[0] - before[0], end[1] - before[1]
    length = math.hypot(dx, dy)
    gap = min(point_segment(end, a, b) for a, b in ink)
    # within the box of what the node draws, an end is that node's however far from its lines:
    # dot ends edges at a PlantUML person's box, beside its head, up to 30 px from any line
    xs, ys = [p[0] for seg in ink for p in seg], [p[1] for seg in ink for p in seg]
    inside = min(xs) - TOUCH <= end[0] <= max(xs) + TOUCH and min(ys) - TOUCH <= end[1] <= max(ys) + TOUCH
    if length == 0 or gap <= TOUCH or (gap > SHORT and not inside):
        return None
    dx, dy = dx / length, dy / length
    t = min((t for a, b in ink if (t := _ray_hits(end, (dx, dy), a, b)) is not None), default=math.inf)
    if t > REACH:  # nothing ahead: in, if the outline is just behind (parity misleads: shapes draw inner lines)
        t = -min((t for a, b in ink if (t := _ray_hits(end, (-dx, -dy), a, b)) is not None), default=math.inf)
        if -t > SHORT:  # nothing near on its line either: inside, it goes to the nearest line
            return _nearest(end, ink) if inside else None
    return (round(dx * t, 2) + 0.0, round(dy * t, 2) + 0.0)


def _nearest(end: Point, ink: list) -> Point:
    """The move from ``end`` to the nearest point of the ink: an end that its own line
    carries past the shape (it ends beside a PlantUML person's head, over the corner of
    its box) goes straight to the corner.

    >>> _nearest((12, -5), [((0, 0), (10, 0)), ((10, 0), (10, 10))])
    (-2.0, 5.0)
    """
    to = nearest_on(end, ink) or end
    return (round(to[0] - end[0], 2) + 0.0, round(to[1] - end[1], 2) + 0.0)


APART = 10.0  # points between two ends on one node: nearer, the arrowheads overlap or the lines merge


def carry(ends: list[tuple[object, Point, Point, list[Point], list]]) -> list[Point | None]:
    """Each end's move: onto its node's ink (``shift``), then apart from an end at the same
    spot (``spread``). An end is (node, where it is drawn: its tip if it has an arrowhead,
    the point it comes from, its curve's control points from this end outward, the node's ink).

    >>> top = [((0, 0), (100, 0))]
    >>> a = ("n", (48, 4), (48, 10), [(48, 4), (40, 14), (20, 29), (10, 34)], top)  # 4 above the node
    >>> b = ("n", (52, 0), (52, 10), [(52, 0), (60, 10), (80, 25), (90, 30)], top)
    >>> carry([a, b])  # a down onto it, then both 10 apart
    [(-3.0, -4.0), (3.0, 0.0)]
    """
    snaps = [shift(end, before, ink) for _, end, before, _, ink in ends]
    at = []
    for (node, end, _, curve, ink), snap in zip(ends, snaps):
        dx, dy = snap or (0.0, 0.0)
        moved = _moved(curve, (dx, dy))
        at.append((node, (end[0] + dx, end[1] + dy), moved, ink))
    out = []
    for snap, extra in zip(snaps, spread(at)):
        if extra:
            snap = (round((snap or (0, 0))[0] + extra[0], 2) + 0.0, round((snap or (0, 0))[1] + extra[1], 2) + 0.0)
        out.append(snap)
    return out


def spread(ends: list[tuple[object, Point, list[Point], list]]) -> list[Point | None]:
    """For ends that meet one node nearer than APART to another, the (dx, dy) that sets
    each group of them (a pair, or three on one spot) APART along the node's side, then
    onto its ink again; None for an end that stays. Each end is (node, where it is drawn now, its curve's control points from this
    end outward, the node's ink). Of the two ways round, the one whose curves cross each
    other less wins (logging's 4 and 5 crossed just before their shared spot); on a tie,
    the order in which they come.

    >>> top = [((0, 0), (100, 0))]                                     # a node's top side, y = 0
    >>> left, right = [(48, 0), (40, 10), (20, 25), (10, 30)], [(52, 0), (60, 10), (80, 25), (90, 30)]
    >>> spread([("n", (48, 0), left, top), ("n", (52, 0), right, top)])  # from the left, the right
    [(-3.0, 0.0), (3.0, 0.0)]
    >>> crossed = [(52, 0), (40, 10), (20, 25), (10, 30)], [(48, 0), (60, 10), (80, 25), (90, 30)]
    >>> spread([("n", (52, 0), crossed[0], top), ("n", (48, 0), crossed[1], top)])  # each to its side
    [(-7.0, 0.0), (7.0, 0.0)]
    >>> spread([("n", (48, 0), left, top), ("m", (52, 0), right, top)])  # two nodes: nothing to spread
    [None, None]
    >>> down = [(50, 0), (50, 10), (50, 25), (50, 30)]
    >>> spread([("n", (49, 0), left, top), ("n", (50, 0), down, top), ("n", (51, 0), right, top)])  # three: all
    [(-9.0, 0.0), (0.0, 0.0), (9.0, 0.0)]
    """
    out: list[Point | None] = [None] * len(ends)
    for group in _crowds(ends):
        ink = ends[group[0]][3]
        ux = sum(ends[k][1][0] - ends[k][2][-1][0] for k in group)
        uy = sum(ends[k][1][1] - ends[k][2][-1][1] for k in group)
        norm = math.hypot(ux, uy)
        if not norm:
            continue
        lx, ly = -uy / norm, ux / norm  # across the way they come: along the node's side
        along = lambda p: p[0] * lx + p[1] * ly  # noqa: E731
        mid = sum(along(ends[k][1]) for k in group) / len(group)
        ordered = sorted(group, key=lambda k: (along(ends[k][2][-1]), k))  # as their curves come
        options = []
        for order in (ordered, ordered[::-1]):
            moves = {}
            for rank, k in enumerate(order):
                e, curve = ends[k][1], ends[k][2]
                t = mid + (rank - (len(order) - 1) / 2) * APART - along(e)
                snap = _onto((e[0] + t * lx, e[1] + t * ly), (e[0] - curve[1][0], e[1] - curve[1][1]), ink)
                moves[k] = None if snap is None else (round(snap[0] - e[0], 2) + 0.0, round(snap[1] - e[1], 2) + 0.0)
            if None not in moves.values():
                crossings = sum(_crossings(_moved(ends[a][2], moves[a]), _moved(ends[b][2], moves[b]))
                                for i, a in enumerate(group) for b in group[i + 1:])
                options.append((crossings, len(options), moves))
        if options:
            for k, move in min(options, key=lambda o: o[:2])[2].items():
                out[k] = move
    return out


def _crowds(ends: list) -> list[list[int]]:
    """Groups of ends on one node, each nearer than APART to another of its group
    (monitoring's check_gpu: three ends on one spot, where pairs set two apart onto the third)."""
    groups: list[list[int]] = []
    for i, (node, end, *_) in enumerate(ends):
        near = [g for g in groups if any(ends[k][0] == node and math.dist(ends[k][1], end) < APART for k in g)]
        merged = [k for g in near for k in g] + [i]
        groups = [g for g in groups if g not in near] + [sorted(merged)]
    return [g for g in groups if len(g) > 1]


def _moved(curve: list[Point], move: Point) -> list[Point]:
    """The curve with its end moved, and its handle with it unless the move is long (moved_path)."""
    n = 1 if math.hypot(*move) > REACH else 2
    return [(p[0] + move[0], p[1] + move[1]) if k < n else p for k, p in enumerate(curve)]


def _crossings(a: list[Point], b: list[Point]) -> int:
    pa, pb = bezier(a, 8), bezier(b, 8)
    return sum(crosses(p, q, c, d) for p, q in zip(pa, pa[1:]) for c, d in zip(pb, pb[1:]))


def _onto(p: Point, way: Point, ink: list) -> Point | None:
    """The nearest point of the ink from ``p`` along its way in or back out (within SHORT)."""
    norm = math.hypot(*way)
    if not norm:
        return None
    d = (way[0] / norm, way[1] / norm)
    if min(point_segment(p, a, b) for a, b in ink) <= TOUCH / 2:
        return p
    hits = [t for a, b in ink for t in (_ray_hits(p, d, a, b), _neg(_ray_hits(p, (-d[0], -d[1]), a, b)))
            if t is not None and abs(t) <= SHORT]
    if not hits:
        return None
    t = min(hits, key=abs)
    return (p[0] + d[0] * t, p[1] + d[1] * t)


def _neg(t: float | None) -> float | None:
    return None if t is None else -t


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


def moved_points(points: list[Point], tail: Point | None, head: Point | None) -> list[Point]:
    """The points with the first two moved by ``tail`` and the last two by ``head``.

    >>> moved_points([(0, 0), (0, 10), (0, 20), (0, 30)], (1.0, 0.0), (0.0, 40.0))  # 40: past REACH
    [(1.0, 0.0), (1.0, 10.0), (0, 20), (0.0, 70.0)]
    """
    out = list(points)
    n = len(out)
    for move, idx in ((tail, (0, 1)), (head, (n - 1, n - 2))):
        if move and n >= 2:
            # a long move (an end beside a person's head, to its nearest line) takes its end
            # only: its handle moved as far would kink the curve where the handle's pull ends
            for i in idx[:1] if math.hypot(*move) > REACH else idx:
                out[i] = (out[i][0] + move[0], out[i][1] + move[1])
    return out


def moved_path(d: str, tail: Point | None, head: Point | None) -> str:
    """A path's ``d`` with its first two points moved by ``tail`` and its last two by
    ``head``; its commands and every other number as they were.

    >>> moved_path("M50,-194 C50,-120 50,-80 50,-44", None, (0.0, 6.0))
    'M50,-194 C50,-120 50,-74 50,-38'
    >>> moved_path("M50,-194 C50,-120 50,-80 50,-44", (30.0, 0.0), None)  # farther than REACH: the end only
    'M80,-194 C50,-120 50,-80 50,-44'
    """
    nums = list(NUM.finditer(d))
    pairs = len(nums) // 2
    delta = moved_points([(0.0, 0.0)] * pairs, tail, head)
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
    vals = [float(v) for v in NUM.findall(points)]
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
