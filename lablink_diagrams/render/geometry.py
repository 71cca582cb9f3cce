"""Plane geometry for placing titles and patches: SVG paths and curves as polylines, boxes
and segments that touch.

Boxes are ``(x1, y1, x2, y2)``; a segment travels as its bounding box plus its two ends,
so one test (``overlaps``) serves both and rejects most pairs on the boxes alone.
"""
from __future__ import annotations

import functools
import math
import re

Box = tuple[float, float, float, float]
_NUM = re.compile(r"-?\d+(?:\.\d+)?")


def bezier(points: list, steps: int = 16) -> list[tuple[float, float]]:
    """A piecewise cubic Bézier (dot's ``b`` op) as a polyline.

    >>> bezier([(0, 0), (0, 10), (10, 10), (10, 0)], steps=2)
    [(0, 0), (5.0, 7.5), (10.0, 0.0)]
    """
    out = [tuple(points[0])]
    weights = _weights(steps)
    for i in range(0, len(points) - 3, 3):
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = (p[:2] for p in points[i:i + 4])
        out += [(w0 * ax + w1 * bx + w2 * cx + w3 * dx, w0 * ay + w1 * by + w2 * cy + w3 * dy)
                for w0, w1, w2, w3 in weights]
    return out


@functools.lru_cache(maxsize=8)
def _weights(steps: int) -> tuple:
    """The Bernstein weights at t = 1/steps … 1 (as bezier used to compute them inline)."""
    out = []
    for k in range(1, steps + 1):
        t = k / steps
        u = 1 - t
        out.append((u ** 3, 3 * u * u * t, 3 * u * t * t, t ** 3))
    return tuple(out)


def segment(a, b) -> tuple:
    """A segment as ``overlaps`` takes it: its bounding box, then its two ends.

    >>> segment((4, 0), (0, 3))
    (0, 0, 4, 3, (4, 0), (0, 3))
    """
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]), tuple(a), tuple(b))


def union(boxes) -> Box:
    """The smallest box holding all ``boxes``."""
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def svg_number(v: float, places: int = 3) -> str:
    """A coordinate as the renderers write them: ``places`` decimals, no trailing zeros.

    >>> svg_number(207.0), svg_number(1.23456), svg_number(-96.0, 2)
    ('207', '1.235', '-96')
    """
    return f"{v:.{places}f}".rstrip("0").rstrip(".")


def svg_rect(box: Box, attrs: str = "") -> str:
    """An SVG ``<rect>`` over a box (x1, y1, x2, y2 in the SVG's own units, y down), to 0.01.

    >>> svg_rect((1.5, 2, 10.25, 7.004), 'fill="#fff" stroke="none"')
    '<rect x="1.5" y="2" width="8.75" height="5" fill="#fff" stroke="none"/>'
    """
    x1, y1, x2, y2 = box
    tail = f" {attrs}" if attrs else ""
    return (f'<rect x="{svg_number(x1, 2)}" y="{svg_number(y1, 2)}" width="{svg_number(x2 - x1, 2)}" '
            f'height="{svg_number(y2 - y1, 2)}"{tail}/>')


def grow(box: Box, by: float) -> Box:
    """The box with ``by`` more on every side.

    >>> grow((0, 0, 10, 5), 2)
    (-2, -2, 12, 7)
    """
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def shifted_box(box: Box, dx: float, dy: float) -> Box:
    """The box moved by (dx, dy).

    >>> shifted_box((0, 0, 10, 5), 2, -1)
    (2, -1, 12, 4)
    """
    return (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)


def boxes_meet(a, b) -> bool:
    """Do two boxes (or the boxes of segments carried as a box plus their ends) touch?

    >>> boxes_meet((0, 0, 10, 10), (10, 5, 20, 6)), boxes_meet((0, 0, 10, 10), (11, 5, 20, 6))
    (True, False)
    """
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def box_inside(box: Box, bounds: Box) -> bool:
    """Is the box wholly within ``bounds``?

    >>> box_inside((1, 1, 9, 9), (0, 0, 10, 10)), box_inside((1, 1, 11, 9), (0, 0, 10, 10))
    (True, False)
    """
    return bounds[0] <= box[0] and bounds[1] <= box[1] and box[2] <= bounds[2] and box[3] <= bounds[3]


def point_segment(p, a, b) -> float:
    """The distance from point p to the segment a-b.

    >>> point_segment((5, 3), (0, 0), (10, 0)), point_segment((13, 4), (0, 0), (10, 0))
    (3.0, 5.0)
    """
    vx, vy = b[0] - a[0], b[1] - a[1]
    length2 = vx * vx + vy * vy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / length2))
    return math.hypot(p[0] - a[0] - t * vx, p[1] - a[1] - t * vy)


def nearest_on(p, segments) -> tuple[float, float] | None:
    """The point of the segments (``(a, b)`` pairs) nearest p; the first of equals, None for none.

    >>> nearest_on((12, -5), [((0, 0), (10, 0)), ((10, 0), (10, 10))])
    (10.0, 0.0)
    """
    best, to = math.inf, None
    for a, b in segments:
        vx, vy = b[0] - a[0], b[1] - a[1]
        n2 = vx * vx + vy * vy
        t = 0.0 if n2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / n2))
        q = (a[0] + t * vx, a[1] + t * vy)
        d = math.dist(p, q)
        if d < best:
            best, to = d, q
    return to


def overlaps(title: Box, obstacle) -> bool:
    """Does an obstacle (a box, or a segment carried as a box plus its two ends) touch the title?

    >>> overlaps((0, 0, 10, 10), (5, 5, 6, 6)), overlaps((0, 0, 10, 10), segment((-5, 12), (12, -5)))
    (True, True)
    >>> overlaps((0, 0, 10, 10), segment((-5, 6), (6, 17)))  # the boxes meet, the line passes the corner
    False
    """
    x1, y1, x2, y2 = title
    ox1, oy1, ox2, oy2 = obstacle[:4]
    if ox2 < x1 or ox1 > x2 or oy2 < y1 or oy1 > y2:
        return False
    if len(obstacle) == 4:
        return True
    return segment_meets_box(obstacle[4], obstacle[5], title)


def crosses(a, b, c, d) -> bool:
    """Do segments a-b and c-d cross (touching at an end point counts once, at t in [0, 1))?"""
    return crossing(a, b, c, d) is not None


def crossing(a, b, c, d) -> tuple[float, float] | None:
    """Where segments a-b and c-d cross, as the fractions (t, u) of the way along each, or
    None (``crosses``' rule: t and u in [0, 1)).

    >>> crossing((0, 0), (10, 0), (5, -5), (5, 15)), crossing((0, 0), (10, 0), (0, 1), (10, 1))
    ((0.5, 0.25), None)
    """
    den = (b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0])
    if den == 0:
        return None
    t = ((c[0] - a[0]) * (d[1] - c[1]) - (c[1] - a[1]) * (d[0] - c[0])) / den
    u = ((c[0] - a[0]) * (b[1] - a[1]) - (c[1] - a[1]) * (b[0] - a[0])) / den
    return (t, u) if 0 <= t < 1 and 0 <= u < 1 else None


def angle(a, b, c, d) -> float:
    """The angle between segments a-b and c-d, 0 to 90 degrees (90 for a point).

    >>> round(angle((0, 0), (10, 0), (0, 0), (10, 10)), 6), angle((0, 0), (10, 0), (3, 3), (3, 3))
    (45.0, 90.0)
    """
    u, v = (b[0] - a[0], b[1] - a[1]), (d[0] - c[0], d[1] - c[1])
    norm = math.hypot(*u) * math.hypot(*v)
    return math.degrees(math.acos(min(1.0, abs(u[0] * v[0] + u[1] * v[1]) / norm))) if norm else 90.0


def segment_meets_box(a, b, box: Box) -> bool:
    """Liang-Barsky: does the segment a-b pass through the box?"""
    return _clipped(a, b, box) is not None


def _clipped(a, b, box: Box) -> tuple[float, float] | None:
    """Liang-Barsky: the part (t0, t1) of the segment a-b within the box, or None."""
    x1, y1, x2, y2 = box
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - x1), (dx, x2 - a[0]), (-dy, a[1] - y1), (dy, y2 - a[1])):
        if p == 0:
            if q < 0:
                return None
        else:
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                return None
    return t0, t1


def inside_length(line: list, box: Box) -> float:
    """How much of a line (segments as ``segment`` gives them) runs inside a box: a line
    across a title's height crosses it; one longer inside runs along it.

    >>> across = [segment((5, -10), (5, 30))]             # through a 20-high box, top to bottom
    >>> along = [segment((-10, 10), (50, 10))]            # through its 40 width
    >>> round(inside_length(across, (0, 0, 40, 20)), 6), round(inside_length(along, (0, 0, 40, 20)), 6)
    (20.0, 40.0)
    """
    total = 0.0
    for s in line:
        if len(s) < 6 or not overlaps(box, s):
            continue
        part = _clipped(s[4], s[5], box)
        if part:
            total += (part[1] - part[0]) * math.dist(s[4], s[5])
    return total


def polylines(d: str) -> list[list[tuple[float, float]]]:
    """An SVG path of absolute M, L, C and A commands (what PlantUML writes) as polylines;
    an arc, only ever a rounded corner here, as the line to its end.

    >>> polylines("M0,0 L10,0 A4,4 0 0 0 14,4 M20,20 L30,30")
    [[(0.0, 0.0), (10.0, 0.0), (14.0, 4.0)], [(20.0, 20.0), (30.0, 30.0)]]
    """
    lines: list[list[tuple[float, float]]] = []
    for cmd, args in re.findall(r"([MLCAZ])([^MLCAZ]*)", d):
        nums = [float(v) for v in _NUM.findall(args)]
        if cmd == "A":
            nums = [n for i in range(0, len(nums) - 6, 7) for n in nums[i + 5:i + 7]] or nums[-2:]
        pts = list(zip(nums[0::2], nums[1::2]))
        if cmd == "M":
            lines.append(pts)
        elif not lines or cmd == "Z":
            continue
        elif cmd in "LA":
            lines[-1] += pts
        else:
            for i in range(0, len(pts) - 2, 3):
                lines[-1] += bezier([lines[-1][-1], *pts[i:i + 3]])[1:]
    return lines


HALO_WIDTH = 4  # drawing units around each glyph's outline (2 each side): wider than any line


_HUNG = re.compile("(<text\\b[^>]*?)(>\u2007)")


def keep_hang(svg: str) -> str:
    """Each text that starts with a hanging indent (figure spaces: a key entry's wrapped line,
    views.common.key_entry) marked to keep its spaces: librsvg strips a text's leading
    Unicode spaces, and the line went flush under its entry's number.

    >>> keep_hang('<text x="1">6. a</text><text x="1">\u2007\u2008\u2008b</text>')
    '<text x="1">6. a</text><text x="1" xml:space="preserve">\u2007\u2008\u2008b</text>'
    """
    return _HUNG.sub(r'\1 xml:space="preserve"\2', svg)


def halo(element: str, colour: str) -> str:
    """An SVG ``<text>`` element outlined in ``colour`` under its glyphs (paint-order), so a
    line it is drawn over stops at the letters and shows between them: a halo, not a box
    that punches a hole in a border or cuts a neighbouring edge (review 20).

    >>> halo('<text x="1" y="2" fill="#222">go</text>', "#f7f9fc")
    '<text x="1" y="2" fill="#222" stroke="#f7f9fc" stroke-width="4" stroke-linejoin="round" paint-order="stroke">go</text>'
    """
    end = element.index(">")  # the start tag's end: the attributes go last, so readers of x, y still match
    return (element[:end] + f' stroke="{colour}" stroke-width="{HALO_WIDTH}" stroke-linejoin="round" paint-order="stroke"'
            + element[end:])


def fills_across(frames: list[tuple[Box, str]], box: Box, outside: str = "#ffffff") -> tuple[str, tuple]:
    """The fill under a text box for its halo: that of the innermost frame holding the
    whole box (``outside`` if none), and each frame whose border the box crosses,
    outermost first, with its fill where that differs from the fill it is drawn over.

    >>> outer, inner = ((0, 0, 300, 300), "#f7f9fc"), ((100, 0, 300, 100), "#ffffff")
    >>> fills_across([outer, inner], (80, 40, 140, 60))  # across the inner frame's left border
    ('#f7f9fc', (('#ffffff', (100, 0, 300, 100)),))
    >>> fills_across([outer, inner], (120, 40, 140, 60))  # inside it
    ('#ffffff', ())
    """
    holders, crossed = [], []
    for (x1, y1, x2, y2), fill in frames:
        area = (x2 - x1) * (y2 - y1)
        if x1 <= box[0] and box[2] <= x2 and y1 <= box[1] and box[3] <= y2:
            holders.append((area, fill))
        elif x1 < box[2] and box[0] < x2 and y1 < box[3] and box[1] < y2:
            crossed.append((-area, fill, (x1, y1, x2, y2)))
    base = min(holders)[1] if holders else outside
    regions, under = [], base
    for _, fill, frame in sorted(crossed):
        if fill != under:
            regions.append((fill, frame))
        under = fill
    return base, tuple(regions)


def halos_across(elements: list[str], base: str, regions, clip_id: str) -> str:
    """The text elements with a halo in ``base``; with ``regions``, the halo is drawn as
    outlines only, again in each region's fill clipped to its box (SVG coordinates), and
    the glyphs once on top: a text across a frame border keeps each side's fill around its
    glyphs, where one fill left a blotch on the other (review 24), and the PDF's text layer
    holds it once (rsvg-convert writes stroked text as outlines). Clip ids are ``clip_id``
    and a number.

    >>> print(halos_across(['<text x="1" y="2" fill="#222">go</text>'], "#fff", [("#eee", (0, 0, 10, 5))], "c"))
    <text x="1" y="2" fill="none" stroke="#fff" stroke-width="4" stroke-linejoin="round">go</text>
    <clipPath id="c1"><rect x="0" y="0" width="10" height="5"/></clipPath><g clip-path="url(#c1)"><text x="1" y="2" fill="none" stroke="#eee" stroke-width="4" stroke-linejoin="round">go</text></g>
    <text x="1" y="2" fill="#222">go</text>
    """
    if not regions:
        return "\n".join(halo(e, base) for e in elements)
    out = [_outline_only(e, base) for e in elements]
    for k, (fill, (x1, y1, x2, y2)) in enumerate(regions, 1):
        out.append(f'<clipPath id="{clip_id}{k}">{svg_rect((x1, y1, x2, y2))}</clipPath>'
                   f'<g clip-path="url(#{clip_id}{k})">' + "".join(_outline_only(e, fill) for e in elements) + "</g>")
    return "\n".join(out + elements)


def _outline_only(element: str, colour: str) -> str:
    """A text element's halo alone: its glyphs' outlines in ``colour``, unfilled."""
    end = element.index(">")
    start = element[:end]
    start = re.sub(r' fill="[^"]*"', "", start)
    return start + f' fill="none" stroke="{colour}" stroke-width="{HALO_WIDTH}" stroke-linejoin="round"' + element[end:]
