"""Two edges that run side by side, set apart.

dot routes each edge on its own through the free corridor between two ranks, so two
edges with no common end can take the same corridor and run a few points apart for an
inch: they read as one line (review 36: cicd's 2 and 7 in PlantUML, within 3 px for
290 px once the late edges had changed its layout; review 33: monitoring's 7 and 10).
Where two curves stay nearer than NEAR over more than RUN, or one dips across the other
and back at glancing angles within LENS (which goes on where cannot be told), one of
them is shifted sideways there by just enough to stand GAP apart (and, for a dip, to
cross no more). Where they come within KISS with no crossing near, they seem to touch
(reviews 62-63: monitoring's 7 and 10, 8.9 points apart; cicd's 7 and 10): one is shifted
to KISS_GAP, keeping third edges KISS off all along what moves (monitoring's 7, moved, ran
9 from 5: it stays). The knots of the Bézier segments in that stretch move with their
handles, so the curve moves without a kink, and its ends and their tangents never move
(arrowheads, edge_ends). Of the four ways (either curve, either side), each at the
smallest shift that crosses no more lines, comes no nearer to any other line or box than
before and touches no text it did not, the one that leaves a third edge most room wins
(cicd's 7, moved right off 2, would have crowded 10), then the smaller shift; where none
passes, the pair stays as drawn.

An edge that runs along a frame's border reads as part of it, or the border as part of
the edge (review 55: api's 18 in DOT, 0-4 points under the Allocator container's border
for 200; PlantUML's main ran 17 down the Allocator EC2 frame's side, across it and back,
for 300). The border cannot move: the edge steps off it the same way, after the pairs.
Pure functions over cubic control points: both backends use them.
"""
from __future__ import annotations

import math

from .geometry import angle, boxes_meet, crosses, grow

Point = tuple[float, float]

NEAR = 6.0  # drawing units: two lines nearer than this read as one
RUN = 30.0  # ... when they stay so near for this long
GAP = 10.0  # how far apart a pair is set where KISS_GAP cannot be had (edge_ends.APART for two ends on one node)
MOST = 18.0  # the largest shift tried: farther, the curve is another route, not the same one moved
OFF = 30.0  # ... off a border, which may have another line beside it (a 3-D node's back edge, 18 behind)
CLEAR = 6.0  # a moved stretch keeps this far from node and frame lines (or as far as it was), GAP from edges
TAPER = 80.0  # a knot nearer an end than this moves that much less
SHARED = 30.0  # near an end the two share a node: converging there is no run
STEP = 3.0  # a flattened curve's points about this far apart (5 sped the pass by a third but missed monitoring's dip)
LENS = 160.0  # two crossings this near along a curve, both under GLANCE: it dips across the other and back
GLANCE = 35.0  # degrees
CELL = 12.0  # the side of a _Grid's cells: NEAR and GAP lie within one
KISS = 12.0  # two curves this near with no crossing close by seem to touch (review 62: monitoring's 7 and 10 at 8.9)
KISS_GAP = 18.0  # ... and are set this far apart: at GAP they still read as touching
KISS_SPAN = 60.0  # a crossing this near along the curve makes the near point part of a crossing, not a kiss


def separate(curves: list[list[Point]], nodes: list[tuple], ink: list, texts: list,
             borders: list[list[tuple[Point, Point]]] = ()) -> dict[int, list[Point]]:
    """New control points for the curves to move, by index.

    ``curves``: each edge's cubic control points (knot, handle, handle, knot, …);
    ``nodes``: each edge's (tail, head) names, so two edges meeting at one node are not a
    run there; ``ink``: the other lines (node outlines, frame borders) as segments
    ``(a, b)``; ``texts``: boxes ``(x1, y1, x2, y2)`` of every text drawn; ``borders``:
    each frame's outline as segments (they are in ``ink`` too), for an edge to step off.

    >>> a = [(0, 0), (0, 30), (0, 60), (0, 90), (0, 120), (0, 150), (0, 180)]
    >>> b = [(30, 0), (10, 30), (3, 60), (3, 90), (3, 120), (10, 150), (30, 180)]
    >>> moved = separate([a, b], [("p", "q"), ("r", "s")], [], [])
    >>> sorted(moved), round(moved[1][3][0], 1), moved[1][0], moved[1][-1]  # b steps off a; its ends stay
    ([1], 10.0, (30, 0), (30, 180))
    >>> a = [(0, 0), (0, 40), (0, 80), (0, 120), (0, 160), (0, 200), (0, 240)]
    >>> b = [(30, 0), (20, 60), (-4, 80), (-4, 120), (-4, 160), (20, 180), (30, 240)]  # dips across a and back
    >>> [round(x, 1) for x, _ in separate([a, b], [("p", "q"), ("r", "s")], [], [])[0]]  # a steps round the dip
    [0, 0, -11.3, -11.3, -11.3, 0, 0]
    >>> c = [(40, 0), (30, 40), (8, 70), (8, 90), (8, 110), (30, 140), (40, 180)]  # comes within 8 of a, no nearer
    >>> {k: [round(x, 1) for x, _ in v] for k, v in separate([a, c], [("p", "q"), ("r", "s")], [], []).items()}  # a kiss
    {1: [40, 30, 17.9, 17.9, 17.9, 30, 40]}
    >>> p = [(0, 0), (0, 50), (0, 100), (0, 150), (0, 200), (0, 250), (0, 300), (0, 350), (0, 400), (0, 450)]
    >>> q = [(40, 0), (20, 50), (3, 100), (3, 150), (3, 200), (3, 250), (3, 300), (3, 350), (20, 400), (40, 450)]
    >>> [round(x, 1) for x, _ in separate([p, q], [("p", "q"), ("r", "s")], [], [])[0]]  # a long run: KISS_GAP apart
    [0, 0, -15.0, -15.0, -15.0, -15.0, -15.0, -15.0, 0, 0]
    >>> side = [((4, -100), (4, 300))]                           # a frame's side, 4 right of a
    >>> [round(x, 1) for x, _ in separate([a], [("p", "q")], side, [], [side])[0]]  # a steps off it
    [0, 0, -10.0, -10.0, -10.0, 0, 0]
    """
    curves = [list(c) for c in curves]
    flat = [_flatten(c) for c in curves]
    boxes = [_bounds([p for p, _ in f]) for f in flat]
    cells = [_cells(f) for f in flat]
    built: dict[int, _Grid] = {}

    def grid(k: int) -> _Grid:  # built when first asked for: most curves come near no other
        if k not in built:
            built[k] = _Grid(_pairs(flat[k]))
        return built[k]
    ink_grid = _Grid(ink)
    done: dict[int, list[Point]] = {}
    for i in range(len(curves)):
        for j in range(i + 1, len(curves)):
            # two curves whose points share no cell, nor a neighbouring one, come nowhere near
            if not boxes_meet(grow(boxes[i], KISS), boxes[j]) or not _touching(cells[i], cells[j]):
                continue
            shared = set(nodes[i]) & set(nodes[j])
            own = (_ends(curves[i], nodes[i], shared), _ends(curves[j], nodes[j], shared))
            run = _run(flat[i], grid(j), own[0] + own[1])
            lens = not run and not shared and bool(_lens(flat[i], grid(j)))
            kiss = not run and not lens and _kiss(flat[i], grid(j), own[0] + own[1])
            if not (run or lens or kiss):
                continue
            options = []
            # a run, too, is set KISS_GAP apart where it can be: at GAP it read as one line
            # still (review 75: PlantUML monitoring's 7 and 1/3, 9.7 apart for 90 px); else GAP
            for target in (KISS_GAP, GAP) if run else (KISS_GAP if kiss else GAP,):
                for k, other, ends in ((i, j, own[0]), (j, i, own[1])):
                    if run or kiss:
                        within = NEAR if run else KISS
                        segs = {s for p, s in flat[k] if all(math.dist(p, e) > SHARED for e in ends)
                                and grid(other).near(p, within) < within}
                    else:  # a lens: the stretch between the two crossings
                        segs = {flat[k][n][1] for n in _lens(flat[k], grid(other))}
                    reach = grow(boxes[k], MOST + GAP)  # farther curves are past any candidate's region
                    rest = [grid(n) for n in range(len(curves)) if n not in (k, other) and boxes_meet(boxes[n], reach)]
                    options += [(crowding, shift, n, k, new) for n, (crowding, shift, new)
                                in enumerate(_candidates(curves[k], flat[k], flat[other], grid(other), segs, rest,
                                                         ink_grid, texts, lens=lens, target=target))]
                if options:
                    break
            if options:  # the move that leaves the others most room (it may crowd a third), then the least
                *_, k, new = min(options, key=lambda o: o[:4])
                curves[k] = done[k] = new
                flat[k] = _flatten(new)
                built.pop(k, None)
                boxes[k] = _bounds([p for p, _ in flat[k]])
                cells[k] = _cells(flat[k])
    for border in borders:
        line = _Grid(border)
        around = _bounds([p for seg in border for p in seg])
        for k in range(len(curves)):
            ends = [curves[k][0], curves[k][-1]]  # it leaves and enters frames at its nodes
            # a curve with no point in or next to a cell of the border comes nowhere near it;
            # one near it for no RUN, crossings counted, is no run along it either (both cheap)
            if (not boxes_meet(grow(boxes[k], NEAR), around) or not cells[k] & line.around
                    or not _run(flat[k], line, ()) or _along(flat[k], line, ends) < RUN):
                continue
            segs = {s for p, s in flat[k] if all(math.dist(p, e) > SHARED for e in ends) and line.near(p, NEAR) < NEAR}
            reach = grow(boxes[k], OFF + GAP)
            rest = [grid(n) for n in range(len(curves)) if n != k and boxes_meet(boxes[n], reach)]
            new = _off_border(curves[k], flat[k], line, segs, ends, rest, ink_grid, texts)
            if new:
                curves[k] = done[k] = new
                flat[k] = _flatten(new)
                built.pop(k, None)
                boxes[k] = _bounds([p for p, _ in flat[k]])
                cells[k] = _cells(flat[k])
    return done


def _off_border(ctrl, flat, border: _Grid, segs, ends, rest: list[_Grid], ink: _Grid, texts):
    """The curve with the stretch along a border moved off it (the smaller shift of the two
    sides) so that no RUN of it stays within GAP, crossing no more lines, coming no
    nearer to other edges, frame and node lines and touching no text it did not; or None.
    Where the curve crosses the border (it leaves a frame there) is no run."""
    pts = [p for p, s in flat if s in segs]
    (x1, y1), (x2, y2) = pts[0], pts[-1]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    normal = (-(y2 - y1) / length, (x2 - x1) / length)
    changed = {t for s in segs for t in (s - 1, s, s + 1)}
    region = grow(_bounds([p for p, s in flat if s in changed]), OFF + CLEAR + 2)
    lines = _Grid([seg for g in [*rest, ink] for seg in _in(g, region)])
    boxes = [t for t in texts if boxes_meet(t, region)]
    tips = (flat[0][0], flat[-1][0])
    before = None
    best = None
    for side in (1, -1):
        for shift in range(4, int(OFF) + 1, 2):
            new = _moved(ctrl, segs, (normal[0] * side * shift, normal[1] * side * shift))
            moved = _flatten(new)
            if _along(moved, border, ends, GAP - 0.5) >= RUN:  # not off it yet: the costly checks wait
                continue
            if before is None:
                before = _score(flat, changed, segs, border, rest, ink, lines, boxes, tips)
            _, crossings, edges, clear, touched, met = before
            _, c, e, l, t, m = _score(moved, changed, segs, border, rest, ink, lines, boxes, tips)
            if c <= crossings and e >= min(GAP, edges) - 0.5 and l >= min(CLEAR, clear) - 0.5 and t <= touched and m <= met:
                if best is None or shift < best[0]:
                    best = (shift, new)
                break
    return best[1] if best else None


def _along(flat, border: _Grid, ends, within: float = NEAR) -> float:
    """The longest stretch of a flattened curve nearer than ``within`` to a border, away
    from its own ends and from where it crosses the border."""
    crossing = [a for (a, _), (b, _) in zip(flat, flat[1:]) if border.crossed(a, b)]
    longest = length = 0.0
    prev = None
    for p, _ in flat:
        if (border.near(p, within) < within and all(math.dist(p, e) > SHARED for e in ends)
                and all(math.dist(p, x) > 2 * NEAR for x in crossing)):
            length += math.dist(p, prev) if prev else 0.0
            longest, prev = max(longest, length), p
        else:
            length, prev = 0.0, None
    return longest


def side_by_side(curves: list[list[Point]], nodes: list[tuple]) -> list[tuple[int, int]]:
    """The pairs of curves that run as one: nearer than NEAR for RUN, away from a node
    they share.

    >>> side_by_side([[(0, 0), (0, 30), (0, 60), (0, 90)], [(3, 0), (3, 30), (3, 60), (3, 90)],
    ...               [(20, 0), (20, 30), (20, 60), (20, 90)]], [("a", "b"), ("c", "d"), ("e", "f")])
    [(0, 1)]
    """
    flat = [_flatten(c) for c in curves]
    grids = [_Grid(_pairs(f)) for f in flat]
    out = []
    for i in range(len(curves)):
        for j in range(i + 1, len(curves)):
            shared = set(nodes[i]) & set(nodes[j])
            if _run(flat[i], grids[j], _ends(curves[i], nodes[i], shared) + _ends(curves[j], nodes[j], shared)):
                out.append((i, j))
    return out


class _Grid:
    """Segments bucketed by cell, for "how near is the nearest, up to a limit" queries."""

    def __init__(self, segments, cell: float = CELL):
        self.cell, self.cells = cell, {}
        cells, floor = self.cells, math.floor
        for a, b in segments:
            x0, x1 = (a[0], b[0]) if a[0] <= b[0] else (b[0], a[0])
            y0, y1 = (a[1], b[1]) if a[1] <= b[1] else (b[1], a[1])
            cx0, cx1, cy0, cy1 = floor(x0 / cell), floor(x1 / cell), floor(y0 / cell), floor(y1 / cell)
            if cx0 == cx1 and cy0 == cy1:  # most segments: a step of a flattened curve, in one cell
                cells.setdefault((cx0, cy0), []).append((a, b))
                continue
            for cx in range(cx0, cx1 + 1):
                for cy in range(cy0, cy1 + 1):
                    cells.setdefault((cx, cy), []).append((a, b))

        # the cells within one of a segment's: a point elsewhere is a cell or more from all
        self.around = {(x + i, y + j) for x, y in self.cells for i in (-1, 0, 1) for j in (-1, 0, 1)}

    def near(self, p: Point, limit: float) -> float:
        """The distance from ``p`` to the nearest segment, or ``limit`` if none is nearer."""
        reach = math.ceil(limit / self.cell)
        cx, cy = math.floor(p[0] / self.cell), math.floor(p[1] / self.cell)
        if reach == 1 and (cx, cy) not in self.around:  # most points of a curve, most of the time
            return limit
        best, (px, py), hypot = limit, p, math.hypot
        for x in range(cx - reach, cx + reach + 1):
            for y in range(cy - reach, cy + reach + 1):
                for a, b in self.cells.get((x, y), ()):
                    # geometry.point_segment, written out: this is the pass's innermost loop
                    vx, vy = b[0] - a[0], b[1] - a[1]
                    wx, wy = px - a[0], py - a[1]
                    length2 = vx * vx + vy * vy
                    t = 0.0 if length2 == 0 else max(0.0, min(1.0, (wx * vx + wy * vy) / length2))
                    d = hypot(wx - t * vx, wy - t * vy)
                    if d < best:  # not min()
                        best = d
        return best

    def crossed(self, a: Point, b: Point) -> list[tuple[Point, Point]]:
        """The segments that a short segment (a step of a flattened curve) crosses: any
        lies in a cell of one of its ends, or of the corner between them."""
        c = self.cell
        (ax, ay), (bx, by) = (math.floor(a[0] / c), math.floor(a[1] / c)), (math.floor(b[0] / c), math.floor(b[1] / c))
        found: dict[int, tuple] = {}
        for cell in {(ax, ay), (bx, by), (ax, by), (bx, ay)}:
            for seg in self.cells.get(cell, ()):
                if id(seg) not in found and crosses(a, b, *seg):
                    found[id(seg)] = seg
        return list(found.values())


def _flatten(ctrl: list[Point]) -> list[tuple[Point, int]]:
    """The curve as points about STEP apart, each with its segment's index."""
    out: list[tuple[Point, int]] = [(tuple(ctrl[0]), 0)]
    for s in range(0, len(ctrl) - 3, 3):
        p0, p1, p2, p3 = ctrl[s:s + 4]
        steps = max(4, min(200, math.ceil((math.dist(p0, p1) + math.dist(p1, p2) + math.dist(p2, p3)) / STEP)))
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p0, p1, p2, p3
        for n in range(1, steps + 1):
            t = n / steps
            u = 1 - t
            w0, w1, w2, w3 = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
            out.append(((w0 * x0 + w1 * x1 + w2 * x2 + w3 * x3, w0 * y0 + w1 * y1 + w2 * y2 + w3 * y3), s // 3))
    return out


def _ends(ctrl: list[Point], names: tuple, shared: set) -> list[Point]:
    """The ends of a curve at a node it shares with the other curve."""
    return [p for p, name in ((ctrl[0], names[0]), (ctrl[-1], names[1])) if name in shared]


def _moved(ctrl: list[Point], segs: set[int], by: Point) -> list[Point]:
    """The curve with the knots of ``segs`` (but its two ends) and their handles moved;
    a knot near an end moves less (TAPER), or the last stretch would hook into the end's
    fixed tangent (cicd's 10 at PyPI, 25 units from a knot moved 12)."""
    last = (len(ctrl) - 1) // 3
    knots = {k for s in segs for k in (s, s + 1)} - {0, last}
    out = [tuple(p) for p in ctrl]
    for k in knots:
        w = min(1.0, min(math.dist(ctrl[3 * k], ctrl[0]), math.dist(ctrl[3 * k], ctrl[-1])) / TAPER)
        for idx in (3 * k - 1, 3 * k, 3 * k + 1):
            x, y = out[idx]
            out[idx] = (x + by[0] * w, y + by[1] * w)
    # a segment whose both knots are ends (a one-segment curve): its handles carry the shift
    for s in segs:
        if s == 0 and 1 == last:
            for idx in (1, 2):
                x, y = out[idx]
                out[idx] = (x + by[0] * 4 / 3, y + by[1] * 4 / 3)
    return out


def _cells(flat, cell: float = CELL) -> set[tuple[int, int]]:
    """The grid cells (``_Grid``'s) that a flattened curve's points fall in."""
    return {(math.floor(p[0] / cell), math.floor(p[1] / cell)) for p, _ in flat}


def _touching(a: set, b: set) -> bool:
    """Whether two sets of cells share a cell or two neighbouring ones."""
    small, large = (a, b) if len(a) < len(b) else (b, a)
    return any((x + i, y + j) in large for x, y in small for i in (-1, 0, 1) for j in (-1, 0, 1))


def _pairs(flat) -> list[tuple[Point, Point]]:
    return [(a, b) for (a, _), (b, _) in zip(flat, flat[1:])]


def _run(fa, grid_b: _Grid, ends) -> bool:
    """Whether ``fa`` stays within NEAR of the other curve for RUN or more, away from shared ends."""
    length, prev = 0.0, None
    for p, _ in fa:
        if all(math.dist(p, e) > SHARED for e in ends) and grid_b.near(p, NEAR) < NEAR:
            length += math.dist(p, prev) if prev else 0.0
            if length >= RUN:
                return True
            prev = p
        else:
            length, prev = 0.0, None
    return False


def _kiss(fa, grid_b: _Grid, ends) -> bool:
    """Whether ``fa`` comes within KISS of the other curve, away from shared ends, with no
    crossing of the two within KISS_SPAN along it of its nearest point: there the two seem
    to touch, and whether they cross cannot be told."""
    nearest, at = KISS, -1
    for n, (p, _) in enumerate(fa):
        d = grid_b.near(p, KISS)
        if d < nearest and all(math.dist(p, e) > SHARED for e in ends):
            nearest, at = d, n
    if at < 0:
        return False
    lo = hi = at
    while lo > 0 and math.dist(fa[lo][0], fa[at][0]) < KISS_SPAN:
        lo -= 1
    while hi < len(fa) - 1 and math.dist(fa[hi][0], fa[at][0]) < KISS_SPAN:
        hi += 1
    return not any(grid_b.crossed(fa[m][0], fa[m + 1][0]) for m in range(lo, hi))


def _lens(fa, grid_b: _Grid) -> range:
    """Indices of ``fa``'s points between its first two crossings with the other curve
    that are both under GLANCE and at most LENS apart along it (empty if none): there one
    curve dips across the other and back, and which goes on where cannot be told
    (review 39: monitoring's 1/3 and 7 in PlantUML, 26 and 27 degrees, 70 px apart)."""
    found = []
    for n, ((a, _), (b, _)) in enumerate(zip(fa, fa[1:])):
        found += [(n, angle(a, b, c, d)) for c, d in grid_b.crossed(a, b)]
    for (n1, g1), (n2, g2) in zip(found, found[1:]):
        length = sum(math.dist(fa[m][0], fa[m + 1][0]) for m in range(n1, n2))
        if g1 < GLANCE and g2 < GLANCE and length <= LENS:
            return range(n1, n2 + 2)
    return range(0)


def _candidates(ctrl, flat, other, grid_o: _Grid, segs, rest: list[_Grid], ink: _Grid, texts, lens: bool = False,
                target: float = GAP):
    """(how far it comes under GAP to a third edge, shift, new control points) for a
    curve moved ``target`` off ``other`` (a kiss: all of the stretch, else its median): the
    smallest shift that passes, on each side."""
    if not segs:
        return []
    pts = [p for p, s in flat if s in segs]
    (x1, y1), (x2, y2) = pts[0], pts[-1]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    normal = (-(y2 - y1) / length, (x2 - x1) / length)
    away = sum((p[0] - q[0]) * normal[0] + (p[1] - q[1]) * normal[1]
               for p in pts[::4] for q in [min((q for q, _ in other), key=lambda q: math.dist(p, q))])
    changed = {t for s in segs for t in (s - 1, s, s + 1)}
    ends = (flat[0][0], flat[-1][0])
    kiss = target > GAP  # only a kiss is set further apart than GAP
    least = min(grid_o.near(p, target) for p in pts[::2])
    shifts = [s for s in (max(2.0, target - least) + d for d in (0, 2, 4, 6)) if s <= MOST]
    out = []
    before = None  # the stretch as it is, scored (with the lines and texts near it) once a shift needs it
    for side in ((1, -1) if away >= 0 else (-1, 1)):
        for shift in shifts:
            new = _moved(ctrl, segs, (normal[0] * side * shift, normal[1] * side * shift))
            moved = _flatten(new)
            if not _gap_clear(moved, segs, grid_o, ends, target):  # most shifts fail here: the rest waits
                continue
            if before is None:  # most calls never get here: every shift fails on its gap
                region = grow(_bounds([p for p, s in flat if s in changed]), MOST + CLEAR + 2)
                lines = _Grid([seg for g in [*rest, ink] for seg in _in(g, region)])
                boxes = [t for t in texts if boxes_meet(t, region)]
                before = _score(flat, changed, segs, grid_o, rest, ink, lines, boxes, ends, target)
            gap, crossings, edges, lines_, touched, met = _score(moved, changed, segs, grid_o, rest, ink, lines,
                                                                 boxes, ends, target)
            # a kiss set apart must not make another: third edges keep KISS (or as far as they were)
            if (gap >= target - 0.5 and crossings <= before[1] and edges >= min(KISS if kiss else GAP, before[2]) - 0.5
                    and lines_ >= min(CLEAR, before[3]) - 0.5 and touched <= before[4]
                    and met <= before[5] - (2 if lens else 0)):
                out.append((round(GAP - min(edges, GAP), 1), shift, new))
                break
    return out


def _score(flat, changed, segs, grid_o: _Grid, rest: list[_Grid], ink: _Grid, lines: _Grid, boxes, ends,
           target: float = GAP):
    """(gap to the other curve along the stretch (its median, or its least if under NEAR or
    if ``target`` is a kiss's),
    crossings with other lines, clearance from the other edges (up to GAP), from node and
    frame lines (up to CLEAR), texts touched, crossings with the other curve) of the
    changed part of a flattened curve; gap and clearance are not measured within SHARED of
    the curve's own ends, which stay where they touch their nodes."""
    part = [p for p, s in flat if s in changed]
    away = _away(flat, segs, ends)
    kiss = target > GAP  # only a kiss is set further apart than GAP: all of it must stand apart
    gap = _gap(flat, segs, grid_o, ends, target, away)
    crossed = [a for a, b in zip(part, part[1:]) for _ in lines.crossed(a, b)]
    crossings = len(crossed)
    # where it crosses a line it comes to 0 from it: clearance is measured away from there
    free = [p for p in away[::2] if all(math.dist(p, x) > CLEAR + 2 for x in crossed)]
    third = GAP
    if kiss:  # a kiss set apart keeps third edges KISS off, all along what moved
        third = KISS  # (review 65: monitoring's 7, moved off 10, ran 9 from 5 past the stretch)
        free = [p for p in part[::2] if all(math.dist(p, e) > SHARED for e in ends)
                and all(math.dist(p, x) > CLEAR + 2 for x in crossed)]
    edges = min((g.near(p, third) for p in free for g in rest), default=third)
    clear = min((ink.near(p, CLEAR) for p in free), default=CLEAR)
    touched = sum(1 for t in boxes if any(t[0] - 2 <= p[0] <= t[2] + 2 and t[1] - 2 <= p[1] <= t[3] + 2 for p in part))
    met = sum(len(grid_o.crossed(a, b)) for a, b in zip(part, part[1:]))
    return gap, crossings, edges, clear, touched, met


def _away(flat, segs, ends) -> list[Point]:
    """The points of the stretch ``segs`` farther than SHARED from the curve's own ends."""
    return [p for p, s in flat if s in segs and all(math.dist(p, e) > SHARED for e in ends)]


def _gap(flat, segs, grid_o: _Grid, ends, target: float, away: list[Point] | None = None) -> float:
    """``_score``'s gap to the other curve along the stretch: its median (its least if that is
    under NEAR, or if ``target`` is a kiss's). Near its ends a curve moves less (TAPER):
    there it need only leave the other NEAR."""
    gaps = sorted(grid_o.near(p, target) for p in (_away(flat, segs, ends) if away is None else away)) or [target]
    return gaps[0] if target > GAP else min(gaps[len(gaps) // 2], GAP if gaps[0] >= NEAR else gaps[0])


def _gap_clear(flat, segs, grid_o: _Grid, ends, target: float) -> bool:
    """``_gap(...) >= target - 0.5``, told from the fewest points: a kiss's fails at the first
    point under it, another's (target at most GAP, so only its median and a point under NEAR
    can fail it) once more than half are under it.

    >>> flat = [((0, y), 0) for y in range(0, 200, 3)]
    >>> grid = _Grid([((12, -50), (12, 250))])
    >>> [_gap_clear(flat, {0}, grid, [], t) == (_gap(flat, {0}, grid, [], t) >= t - 0.5) for t in (GAP, KISS_GAP)]
    [True, True]
    """
    least = target - 0.5
    away = _away(flat, segs, ends)
    if target > GAP:
        return all(grid_o.near(p, target) >= least for p in away)
    allowed, under = len(away) // 2, 0  # the median is the (n // 2)-th smallest
    for p in away:
        d = grid_o.near(p, target)
        if d < least:
            if d < NEAR:
                return False
            under += 1
            if under > allowed:
                return False
    return True


def _in(grid: _Grid, region) -> list[tuple[Point, Point]]:
    """The grid's segments in a region, once each."""
    c = grid.cell
    seen: dict = {}
    for x in range(math.floor(region[0] / c), math.floor(region[2] / c) + 1):
        for y in range(math.floor(region[1] / c), math.floor(region[3] / c) + 1):
            for seg in grid.cells.get((x, y), ()):
                seen[id(seg)] = seg
    return list(seen.values())




def _bounds(points) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)
