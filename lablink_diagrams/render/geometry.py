"""Plane geometry for placing titles: curves as polylines, boxes and segments that touch.

Boxes are ``(x1, y1, x2, y2)``; a segment travels as its bounding box plus its two ends,
so one test (``overlaps``) serves both and rejects most pairs on the boxes alone.
"""
from __future__ import annotations

Box = tuple[float, float, float, float]


def bezier(points: list, steps: int = 16) -> list[tuple[float, float]]:
    """A piecewise cubic Bézier (dot's ``b`` op) as a polyline."""
    out = [tuple(points[0])]
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i:i + 4]
        for k in range(1, steps + 1):
            t = k / steps
            u = 1 - t
            out.append(tuple(u ** 3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t ** 3 * d
                             for a, b, c, d in zip(p0, p1, p2, p3)))
    return out


def overlaps(title: Box, obstacle) -> bool:
    """Does an obstacle (a box, or a segment carried as a box plus its two ends) touch the title?

    >>> seg = lambda a, b: (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]), a, b)
    >>> overlaps((0, 0, 10, 10), (5, 5, 6, 6)), overlaps((0, 0, 10, 10), seg((-5, 12), (12, -5)))
    (True, True)
    >>> overlaps((0, 0, 10, 10), seg((-5, 6), (6, 17)))  # the boxes meet, the line passes the corner
    False
    """
    x1, y1, x2, y2 = title
    ox1, oy1, ox2, oy2 = obstacle[:4]
    if ox2 < x1 or ox1 > x2 or oy2 < y1 or oy1 > y2:
        return False
    if len(obstacle) == 4:
        return True
    return segment_meets_box(obstacle[4], obstacle[5], title)


def segment_meets_box(a, b, box: Box) -> bool:
    """Liang-Barsky: does the segment a-b pass through the box?"""
    x1, y1, x2, y2 = box
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - x1), (dx, x2 - a[0]), (-dy, a[1] - y1), (dy, y2 - a[1])):
        if p == 0:
            if q < 0:
                return False
        else:
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                return False
    return True
