"""An edge's curve drawn back inside a frame it strays out of (dot_strays.py).

dot routes a long edge around the clusters in its way with one wide Bézier segment and
does not keep it inside the cluster that holds both its ends. Pulling the segment's two
handles in along the axis it strays on keeps its knots, so the curve's ends, and the
directions it leaves and meets its nodes in, do not change. Pure functions on cubic
control points (knot, handle, handle, knot, ...), in either y direction.
"""
from __future__ import annotations

import math

from .geometry import bezier, point_segment

Point = tuple[float, float]

INSET = 8.0  # units a pulled curve keeps inside its frame's border
STRAY = 1.0  # units past the border that count as leaving the frame
HUG = 6.0  # a curve nearer than this to a border ...
RUN = 30.0  # ... for this long, away from its ends, runs along it (edge_runs.NEAR, RUN)


def pulled(points: list[Point], frame) -> list[Point] | None:
    """The control points with each straying segment's handles drawn in, or None if a knot
    itself is outside (the edge leaves the frame on purpose, or the frame is too small).

    >>> frame = (0, 0, 200, 300)
    >>> pulled([(100, 50), (-80, 100), (-80, 200), (100, 250)], frame)  # to x = -35 and back: 8 in
    [(100, 50), (-22.67, 100), (-22.67, 200), (100, 250)]
    >>> pulled([(100, 50), (-80, 100), (-80, 200), (-20, 250)], frame) is None  # it ends outside
    True
    >>> pulled([(100, 50), (60, 100), (60, 200), (100, 250)], frame)  # inside: as it was
    [(100, 50), (60, 100), (60, 200), (100, 250)]
    """
    x1, y1, x2, y2 = frame
    if any(not (x1 - STRAY <= p[0] <= x2 + STRAY and y1 - STRAY <= p[1] <= y2 + STRAY) for p in points[::3]):
        return None
    new = list(points)
    for k in range(0, len(points) - 3, 3):
        seg = new[k:k + 4]
        for axis, (a, b) in ((0, (x1, x2)), (1, (y1, y2))):
            vals = [p[axis] for p in bezier(seg, 32)]
            low, high = a + INSET, b - INSET
            if min(vals) < a - STRAY or max(vals) > b + STRAY:
                if not all(low <= seg[i][axis] <= high for i in (0, 3)):
                    return None  # a knot in the inset band: no room to keep the curve off the border
                seg = _clamped(seg, axis, low, high)
        new[k:k + 4] = seg
    return new


def _clamped(seg: list[Point], axis: int, low: float, high: float) -> list[Point]:
    """The segment with its handles pulled along ``axis`` (by bisection on the clamp) until
    the curve stays within [low, high] there."""
    def at(c_low: float, c_high: float) -> list[Point]:
        out = list(seg)
        for i in (1, 2):
            p = list(out[i])
            p[axis] = min(max(p[axis], c_low), c_high)
            out[i] = (p[0], p[1])
        return out

    lo_a, lo_b = min(p[axis] for p in seg) - 1, low  # clamp values to search between
    hi_a, hi_b = max(p[axis] for p in seg) + 1, high
    for _ in range(30):
        c_low, c_high = (lo_a + lo_b) / 2, (hi_a + hi_b) / 2
        vals = [p[axis] for p in bezier(at(c_low, c_high), 32)]
        lo_a, lo_b = (c_low, lo_b) if min(vals) < low else (lo_a, c_low)
        hi_a, hi_b = (c_high, hi_b) if max(vals) > high else (hi_a, c_high)
    return [(round(x, 2), round(y, 2)) for x, y in at(lo_b, hi_b)]


def hugging(points: list[Point], borders: list) -> float:
    """The longest stretch of the curve that runs within HUG of a border (segments as
    ``geometry.segment`` makes them), away from its ends: a pull into a narrow gutter
    between two frames can trade leaving the frame for running down its border (review
    62: pulled in PlantUML too, main's 12 ran 4 px from the Allocator EC2 frame's side).

    >>> side = [(50, 0, 50, 300, (50, 0), (50, 300))]
    >>> hugging([(0, 0), (64, 100), (64, 200), (0, 300)], side) > RUN, hugging([(0, 0), (20, 100), (20, 200), (0, 300)], side)
    (True, 0.0)
    """
    pts = bezier(points, 32)
    ends = (pts[0], pts[-1])
    longest = run = 0.0
    for a, b in zip(pts, pts[1:]):
        near = all(math.dist(b, e) > RUN for e in ends) and any(point_segment(b, s[4], s[5]) < HUG for s in borders)
        run = run + math.dist(a, b) if near else 0.0
        longest = max(longest, run)
    return longest

