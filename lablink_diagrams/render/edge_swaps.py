"""Two edges that leave (or reach) one node and cross at a glancing angle near it, uncrossed.

dot routes each edge on its own, so two edges out of one node may start on the wrong
sides of each other and swap over a little way out, at a shallow angle: they read as one
line that forks, and which goes where cannot be told (review 75: PlantUML api's 10 and 15
out of "Admin operations", 20 degrees, 120 px out; vm-provisioning's 3 and 2/10/30 out of
launch()). The crossing is one point of both curves, so each can take the
other's stretch from the node to it: they part there instead of crossing. The incoming
handle at that joint turns onto the outgoing tangent (the curve stays smooth; dot_joints
does the same where dot routes both through one knot), and the two joints move GAP apart,
so the curves no longer touch (edge_runs then sets them further apart where they kiss).
An end that carries an arrowhead is swapped only where the caller moves the arrowhead with
it (``tip_moves``, ``moved_tip``: DOT), and a swap is kept only where the pair no longer
crosses and the two cross no more lines and touch no more texts than before.
Pure functions over cubic control points (knot, handle, handle, knot, ...), either y axis.
"""
from __future__ import annotations

import math

from .geometry import angle, bezier, crosses, crossing

Point = tuple[float, float]

GLANCE = 35.0  # degrees: a crossing shallower than this reads as a fork
REACH = 240.0  # the crossing lies at most this far along both curves from their shared node
NEAR = 12.0  # ... and farther than this: nearer, the two still leave the node together
GAP = 10.0  # between the two joints after the swap (edge_runs.GAP)
APART = 120.0  # two ends farther apart than this are not on one node's side, whatever its name
TAIL = 60.0  # the joint's offset fades out over this length after it
SAMPLES = 24  # points per cubic segment when looking for the crossing


def uncross(curves: list[list[Point]], nodes: list[tuple], tips: list[tuple[bool, bool]],
            lines: list[tuple[Point, Point]] = (), texts: list = (), carry_tips: bool = False) -> dict[int, list[Point]]:
    """New control points for the curves swapped, by index.

    ``nodes``: each curve's (start node, end node); ``tips``: whether an arrowhead sits at its
    start, at its end (such an end is not swapped unless ``carry_tips``: the caller moves the
    arrowhead, as ``tip_moves`` says); ``lines``: other ink as segments (node outlines, frame
    borders), and ``texts`` boxes, for the checks.

    >>> a = [(0, 0), (40, 2), (80, 8), (120, 20), (160, 32), (200, 60), (240, 100)]    # leaves n upper, goes down
    >>> b = [(0, 12), (40, 12), (80, 14), (120, 16), (160, 18), (200, 20), (240, 22)]  # leaves n lower, goes on
    >>> new = uncross([a, b], [("n", "p"), ("n", "q")], [(False, True), (False, True)])
    >>> sorted(new), new[0][0], new[1][0], new[0][-1], new[1][-1]   # a now starts where b did; the heads stay
    ([0, 1], (0, 12), (0, 0), (240, 100), (240, 22))
    >>> uncross([a, b], [("n", "p"), ("n", "q")], [(True, True), (False, True)])  # an arrowhead at n: not swapped
    {}
    """
    out: dict[int, list[Point]] = {}
    current = [list(c) for c in curves]
    for i in range(len(current)):
        for j in range(i + 1, len(current)):
            if i in out or j in out:
                continue
            for ei in (0, -1):
                for ej in (0, -1):
                    node = nodes[i][0 if ei == 0 else 1]
                    if node is None or node != nodes[j][0 if ej == 0 else 1] or (
                            not carry_tips and (tips[i][ei] or tips[j][ej])):
                        continue
                    if math.dist(current[i][ei], current[j][ej]) > APART:  # not where one node is
                        continue
                    swapped = _swap(_oriented(current[i], ei), _oriented(current[j], ej))
                    if swapped is None:
                        continue
                    na, nb = _oriented(swapped[0], ei), _oriented(swapped[1], ej)
                    others = [c for k, c in enumerate(current) if k not in (i, j)]
                    if _worse((current[i], current[j]), (na, nb), others, lines, texts):
                        continue
                    current[i], current[j] = out[i], out[j] = na, nb
                    break
                if i in out:
                    break
    return out


def tip_moves(old: list[Point], new: list[Point]) -> list[tuple[int, Point, Point, Point, Point]]:
    """For each end of a swapped curve that is no longer where it was: (0 start | -1 end, old
    end point, its outward direction, new end point, its outward direction). An arrowhead
    drawn there turns and moves with it (``moved_tip``).

    >>> tip_moves([(0, 0), (10, 0), (20, 0), (30, 0)], [(0, 5), (10, 10), (20, 0), (30, 0)])
    [(0, (0, 0), (-10, 0), (0, 5), (-10, -5))]
    """
    out = []
    for end, nxt in ((0, 1), (-1, -2)):
        if tuple(old[end]) != tuple(new[end]):
            out.append((end, tuple(old[end]), (old[end][0] - old[nxt][0], old[end][1] - old[nxt][1]),
                        tuple(new[end]), (new[end][0] - new[nxt][0], new[end][1] - new[nxt][1])))
    return out


def moved_tip(points: list[Point], move: tuple) -> list[Point]:
    """An arrowhead's points turned from its end's old direction to the new one about the old
    end point, then carried to the new end point.

    >>> [tuple(round(v, 3) for v in p) for p in moved_tip([(0, 0), (-8, 3), (-8, -3)], (0, (0, 0), (-1, 0), (5, 5), (0, -1)))]
    [(5.0, 5.0), (2.0, -3.0), (8.0, -3.0)]
    """
    _, (ox, oy), (odx, ody), (nx, ny), (ndx, ndy) = move
    turn = math.atan2(ndy, ndx) - math.atan2(ody, odx)
    c, s = math.cos(turn), math.sin(turn)
    return [(nx + c * (x - ox) - s * (y - oy), ny + s * (x - ox) + c * (y - oy)) for x, y in points]


def _oriented(ctrl: list[Point], end: int) -> list[Point]:
    """The control points running from ``end`` (0: as they are; -1: reversed)."""
    return list(ctrl) if end == 0 else list(reversed(ctrl))


def _swap(a: list[Point], b: list[Point]) -> tuple[list[Point], list[Point]] | None:
    """Both curves starting at the shared node: each with the other's stretch up to their first
    glancing crossing within REACH, or None if they have none there or still cross after."""
    hit = _first_crossing(a, b)
    if hit is None:
        return None
    (sa, ta), (sb, tb) = hit
    head_a, tail_a = _split(a, sa, ta)
    head_b, tail_b = _split(b, sb, tb)
    new_a, ka = _joined(head_b, tail_a)
    new_b, kb = _joined(head_a, tail_b)
    new_a, new_b = _apart(new_a, new_b, ka, kb)
    if _crossings(_points(new_a), _points(new_b)):
        return None
    return new_a, new_b


def _samples(ctrl: list[Point]) -> list[tuple[Point, int, float, float]]:
    """(point, segment, t, length along the curve so far) about every 1/SAMPLES of a segment."""
    out, run = [(tuple(ctrl[0]), 0, 0.0, 0.0)], 0.0
    for s in range(0, len(ctrl) - 3, 3):
        for n, p in enumerate(bezier(ctrl[s:s + 4], SAMPLES)[1:], 1):
            run += math.dist(out[-1][0], p)
            out.append((p, s // 3, n / SAMPLES, run))
    return out


def _first_crossing(a: list[Point], b: list[Point]):
    """((segment, t) on a, (segment, t) on b) of the crossing nearest the start along a, both
    between NEAR and REACH along their curves and under GLANCE; None if there is none."""
    sa = [x for x in _samples(a) if x[3] <= REACH]
    sb = [x for x in _samples(b) if x[3] <= REACH]
    # each step of b with its box: a step of a apart from it cannot cross it (most pairs)
    steps = [(min(r[0], s[0]), min(r[1], s[1]), max(r[0], s[0]), max(r[1], s[1]), x, y)
             for x, y in zip(sb, sb[1:]) for r, s in [(x[0], y[0])]]
    for (p, seg_p, tp, run_p), (q, seg_q, tq, _) in zip(sa, sa[1:]):
        x1, y1, x2, y2 = min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])
        for bx1, by1, bx2, by2, (r, seg_r, tr, run_r), (s, seg_s, ts, _) in steps:
            if bx1 > x2 or bx2 < x1 or by1 > y2 or by2 < y1:
                continue
            hit = crossing(p, q, r, s)
            if hit is None:
                continue
            u, v = hit
            if run_p < NEAR or run_r < NEAR or angle(p, q, r, s) >= GLANCE:
                return None  # the first crossing is not a glancing one away from the node: leave it
            return _on(seg_p, tp, seg_q, tq, u), _on(seg_r, tr, seg_s, ts, v)
    return None


def _on(seg_p: int, tp: float, seg_q: int, tq: float, u: float) -> tuple[int, float]:
    """(segment, t) a fraction ``u`` of the way between two samples (the first may end the
    segment before the second's: then it is t = 0 of the second's)."""
    if seg_q != seg_p:
        tp = 0.0
    return seg_q, min(1.0, tp + u * (tq - tp))


def _split(ctrl: list[Point], seg: int, t: float) -> tuple[list[Point], list[Point]]:
    """The curve cut at parameter ``t`` of cubic segment ``seg`` (de Casteljau): the control
    points up to the cut and from it, both including the cut point.

    >>> _split([(0, 0), (0, 10), (10, 10), (10, 0)], 0, 0.5)
    ([(0, 0), (0.0, 5.0), (2.5, 7.5), (5.0, 7.5)], [(5.0, 7.5), (7.5, 7.5), (10.0, 5.0), (10, 0)])
    """
    if t <= 1e-6:  # at a knot: cut there, no empty segment
        return list(ctrl[:3 * seg + 1]), list(ctrl[3 * seg:])
    if t >= 1 - 1e-6:
        return list(ctrl[:3 * seg + 4]), list(ctrl[3 * seg + 3:])
    p0, p1, p2, p3 = ctrl[3 * seg:3 * seg + 4]
    lerp = lambda p, q: (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)
    a, b, c = lerp(p0, p1), lerp(p1, p2), lerp(p2, p3)
    d, e = lerp(a, b), lerp(b, c)
    x = lerp(d, e)
    return list(ctrl[:3 * seg + 1]) + [a, d, x], [x, e, c] + list(ctrl[3 * seg + 3:])


def _joined(head: list[Point], tail: list[Point]) -> tuple[list[Point], int]:
    """``head`` up to the joint, then ``tail`` on from it; the incoming handle turned onto the
    outgoing tangent at its own distance. Returns the points and the joint's index."""
    j, out = tail[0], tail[1]
    dx, dy = out[0] - j[0], out[1] - j[1]
    norm = math.hypot(dx, dy)
    head = list(head)
    if norm and len(head) >= 2:
        r = math.dist(head[-2], j)
        head[-2] = (j[0] - dx / norm * r, j[1] - dy / norm * r)
    return head[:-1] + list(tail), len(head) - 1


def _apart(a: list[Point], b: list[Point], ka: int, kb: int) -> tuple[list[Point], list[Point]]:
    """The two curves, through one joint, moved GAP / 2 apart there, each to its own side; the
    stretch from the node to the joint moves less the nearer the node (by its length), so it
    bends no more than it did (three points moved alone made a bump at the joint).

    >>> a = [(0, 0), (10, 0), (20, 0), (30, 0), (40, -3), (50, -5), (60, -10)]
    >>> b = [(0, 2), (10, 1), (20, 0), (30, 0), (40, 3), (50, 5), (60, 10)]
    >>> [[tuple(round(v, 1) for v in p) for p in c[:5]] for c in _apart(a, b, 3, 3)]  # each to its side; starts stay
    [[(0, 0), (10, 0), (18.6, -4.8), (28.6, -4.8), (38.6, -7.8)], [(0, 2), (10, 1), (21.4, 4.8), (31.4, 4.8), (41.4, 7.8)]]
    """
    j = a[ka]
    tx, ty = a[ka + 1][0] - j[0], a[ka + 1][1] - j[1]
    norm = math.hypot(tx, ty)
    # b's side of a: where b's handles next to the joint lie against a's way on from it
    side = next((v for v in (tx * (p[1] - j[1]) - ty * (p[0] - j[0]) for p in (b[kb + 1], b[kb - 1])) if abs(v) > 1e-9),
                0.0) if norm else 0.0
    if not norm or not side:
        return a, b
    sign = 1.0 if side > 0 else -1.0
    nx, ny = -ty / norm * sign * GAP / 2, tx / norm * sign * GAP / 2

    def moved(points, k, s):
        out = list(points)
        lengths = [0.0]
        for i in range(3, k + 1, 3):
            lengths.append(lengths[-1] + _length(points[i - 3:i + 1]))
        whole = lengths[-1] or 1.0
        for n, i in enumerate(range(3, k + 1, 3), 1):  # the node's knot and its handle stay
            f = s * lengths[n] / whole
            for m in (i - 1, i, i + 1):
                out[m] = (points[m][0] + f * nx, points[m][1] + f * ny)
        # on from the joint it moves back over TAIL: a knot just past the joint (a crossing cut
        # near a segment's end) left where it was made a hook
        run = 0.0
        for i in range(k + 3, len(points) - 1, 3):
            run += _length(points[i - 3:i + 1])
            f = s * max(0.0, 1.0 - run / TAIL)
            if not f:
                break
            for m in (i - 1, i, i + 1):
                out[m] = (points[m][0] + f * nx, points[m][1] + f * ny)
        return out
    return moved(a, ka, -1), moved(b, kb, 1)


def _length(seg: list[Point]) -> float:
    pts = bezier(seg, 8)
    return sum(math.dist(p, q) for p, q in zip(pts, pts[1:]))


def _points(ctrl: list[Point]) -> list[Point]:
    return [p for p, _, _, _ in _samples(ctrl)]


def _crossings(p: list[Point], q: list[Point]) -> int:
    return sum(1 for a, b in zip(p, p[1:]) for c, d in zip(q, q[1:]) if crosses(a, b, c, d))


def _worse(old: tuple, new: tuple, others: list[list[Point]], lines, texts) -> bool:
    """Do the two new curves cross more of the other curves and lines, or touch more texts,
    than the two old ones? (Counted for the pair: an end on its node's outline counts as a
    crossing, and the swap hands it from one curve to the other.)"""
    other_segs = [seg for c in others for p in [_points(c)] for seg in zip(p, p[1:])]

    def count(curves) -> tuple[int, int]:
        crossed = touched = 0
        for ctrl in curves:
            pts = _points(ctrl)
            segs = list(zip(pts, pts[1:]))
            near = _within(pts, other_segs) + _within(pts, lines)  # only these can cross the curve
            crossed += sum(1 for a, b in segs for s, t in near if crosses(a, b, s, t))
            touched += sum(1 for x1, y1, x2, y2 in (t[:4] for t in texts)
                           if any(x1 - 1 <= x <= x2 + 1 and y1 - 1 <= y <= y2 + 1 for x, y in pts))
        return crossed, touched
    (c_old, t_old), (c_new, t_new) = count(old), count(new)
    return c_new > c_old or t_new > t_old


def _within(pts: list[Point], segs) -> list:
    """The segments whose bounding boxes meet the points' (edges included): no other can cross them.

    >>> _within([(0, 0), (10, 10)], [((10, 10), (20, 20)), ((11, 0), (20, 5)), ((-5, 5), (5, 5))])
    [((10, 10), (20, 20)), ((-5, 5), (5, 5))]
    """
    xs, ys = [x for x, _ in pts], [y for _, y in pts]
    x1, x2, y1, y2 = min(xs), max(xs), min(ys), max(ys)
    return [(a, b) for a, b in segs
            if min(a[0], b[0]) <= x2 and max(a[0], b[0]) >= x1 and min(a[1], b[1]) <= y2 and max(a[1], b[1]) >= y1]
