"""Edge labels moved off the cluster borders, titles, nodes and lines they sit on.

dot places an edge's label as a node of its own between ranks and draws the cluster
borders around the clusters' nodes afterwards, so a label may straddle a border
(PlantUML lays out with dot and does the same): reviewers found labels cut by borders
in five of ten figures of each backend. The layout is final by then, so a struck label
is moved, not laid out again: to the nearest spot (searched outward on a grid) that is
clear of everything, inside the canvas and still beside its own edge, nearer to it than
to any other line (by a margin). A label with no such spot stays where it was.

Pure geometry on boxes ``(x1, y1, x2, y2)`` and segments (a box plus its two ends, as in
``geometry``); the backends' adapters read the shapes and write the moves.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from .geometry import Box, box_inside, boxes_meet, crossing, grow, nearest_on, overlaps, point_segment, segment_meets_box, shifted_box

STEP = 4.0  # grid of the search, in the drawing's units (px or pt)
CLEAR = 2.0  # margin a moved label keeps from everything (a label within 1 is struck)
REACH = 160.0  # farthest a label moves
MARGIN = 4.0  # a moved label is this much nearer its own line than any other
GAP = 12.0  # a moved label keeps this far from other labels (or as far as it was)
BESIDE = 12.0  # a moved label may always be this far from its own line (dot leaves labels 2-10 off)
ROOM = 8.0  # an ambiguous label moves only where nodes, borders and titles are this far off
CROSS = 40.0  # a label this near a crossing of its edge with another is ambiguous too (review 83)
NUDGE = 8.0  # ... and only this far or farther
# dot sets a label beside its edge's path, its text box on the line: two thirds of the
# figures had labels glued to their own edge, 0-3 px at print size (review 24, both
# backends). Such a label steps off, at most GLUED_REACH, to keep this much air from its
# line; it never jumps across its edge or along it to find room.
OWN_GAP = 5.0
GLUED_REACH = 16.0
# A label on its line (under OWN_MIN) squeezed between its edge and a border has no spot 5
# clear of both on the 4-point grid (15 labels of the suite, review 29): it takes the spot
# within GLUED_REACH, on a 1-point grid, that leaves the most air to its line and to the
# nearest border alike (no nearer the border than its line), if that is at least OWN_MIN
# from its line and more than it had.
OWN_MIN = 2.0


@dataclass(frozen=True)
class Label:
    """One edge label: the extent of its lines, the index of its edge's line, and each
    text line's own box (a centred label's corners are empty: distances are the ink's)."""
    box: Box
    line: int
    parts: tuple[Box, ...] = ()


def moves(labels: list[Label], lines: list[list], fixed: list, bounds: Box,
          only: set[int] | None = None, search: float = REACH, unglue: bool = False) -> list[tuple[float, float] | None]:
    """For each label, the offset that moves it clear, or None where it stays (``only``: the
    labels to search for, by index; the others stay where they are, as obstacles; ``search``:
    the farthest a label moves). A label glued to its line with another line about as near
    that finds no spot beside its line is searched again as an ambiguous one (``unglue``),
    to a spot OWN_GAP or more off its line (review 83: api's "15", 2 px from its edge and
    4 from 10's where the two part, touched 10's line).

    ``lines`` are the edges' curves as segments (index = ``Label.line``), ``fixed``
    everything else that a label must not touch (borders as segments; titles, nodes
    and arrowheads as boxes), ``bounds`` the canvas. Labels are placed in order, each
    against the others where they are by then.

    >>> from lablink_diagrams.render.geometry import segment as seg
    >>> edge = [seg((50, 0), (50, 200))]                     # an edge running down x=50
    >>> border = [seg((0, 100), (300, 100))]                 # a cluster's top border at y=100
    >>> label = Label((54, 92, 120, 108), 0)                 # beside the edge, across the border
    >>> moves([label], [edge], border, (0, 0, 300, 200))     # up or down off the border: the nearer
    [(0.0, -12.0)]
    >>> moves([label], [edge], border, (0, 0, 300, 200), only=set())  # not searched: stays
    [None]
    >>> moves([Label((56, 60, 122, 76), 0)], [edge], border, (0, 0, 300, 200))  # clear: stays
    [None]
    >>> moves([Label((51, 60, 117, 76), 0)], [edge], border, (0, 0, 300, 200))  # glued to its edge: steps off
    [(4.0, 0.0)]
    >>> walls = border + [seg((40, 0), (40, 200)), seg((130, 0), (130, 200))]
    >>> moves([label], [edge], walls + [(0, 0, 300, 90), (0, 110, 300, 200)], (0, 0, 300, 200))  # nowhere to go
    [None]
    """
    placed = [l.box for l in labels]
    out: list[tuple[float, float] | None] = [None] * len(labels)
    stuck: set[int] = set()  # glued and ambiguous, and nowhere to go beside its line
    for i, label in enumerate(labels):
        if only is not None and i not in only:
            continue
        own = lines[label.line] if 0 <= label.line < len(lines) else []
        others = [s for k, line in enumerate(lines) if k != label.line for s in line]
        boxes = [b for j, b in enumerate(placed) if j != i]
        region = grow(label.box, search + CLEAR)
        near_others = [s for s in others if boxes_meet(region, s)]
        parts = label.parts or (label.box,)
        # struck: something else within 1, or its own line through the text (dot sets a
        # label against its own edge on purpose; a nudge off it only drifts toward others);
        # or ambiguous: another edge about as near as its own (review 21: ten labels read
        # as a neighbour's), or a crossing of its edge within CROSS (review 83: monitoring's
        # "10", just past where 10 crosses 5 and 6, under their labels, read as theirs); an
        # ambiguous label's new spot keeps CROSS from those crossings
        touch, inner = grow(label.box, 1.0), grow(label.box, -2.0)
        struck = (any(overlaps(touch, o) for o in [*fixed, *others, *boxes])
                  or any(overlaps(inner, o) for o in own))
        own_d = label_reach(parts, 0, 0, own) if own else math.inf
        tight = not struck and own_d < OWN_GAP and bool(own) and label_within(parts, 0, 0, near_others, own_d + MARGIN)
        glued = not struck and own_d < OWN_GAP and not (unglue and tight)
        if not struck and not glued and not (own and label_within(parts, 0, 0, near_others, own_d + MARGIN)) and not any(
                _point_box(p, label.box) < CROSS for p in _crossings(own, near_others, grow(label.box, CROSS))):
            continue
        crossings = _crossings(own, near_others, grow(label.box, search + CROSS))
        plain = struck or glued  # moves to the nearest good spot; an ambiguous one is pickier
        side = _side(_centre(label.box), own) if glued else 0
        borders = [(b, label_reach(parts, 0, 0, [b])) for b in fixed if len(b) >= 6 and boxes_meet(region, b)] if glued else []
        near = [o for o in [*fixed, *own, *others, *boxes] if boxes_meet(region, o)]
        # a label that was only ambiguous moves only to a plainly better spot: well clear
        # of nodes, borders and titles, and plainly nearer its own edge (review 22: nudges
        # toward a node or a frame read worse than the doubt they settled)
        settled = [] if plain else [o for o in fixed if boxes_meet(region, o)]
        middle = _middle(own)  # beside its edge's middle part: near an end, it reads as another edge's
        reach = max(label_reach(parts, 0, 0, middle) + 2 * STEP, BESIDE) if middle else None
        near_labels = [b for b in boxes if boxes_meet(region, b)]
        apart = min([GAP, *(_box_gap(label.box, b) for b in near_labels)])  # stacked under another, it reads as one
        # a spot whose label box is farther than `reach` from every middle segment's box,
        # along either axis, is out before the costly checks (most of the grid)
        windows = _windows(label.box, middle, reach) if reach is not None else None
        farther = False  # an ambiguous label's nearest spot was turned away for its middle
        nearly = False  # a clear spot under NUDGE was turned away, not plainly its edge's
        columns: dict[float, list] = {}  # per dx, the obstacles a spot's box may meet across x
        window_rows: dict[float, list] = {}
        for dx, dy in _offsets(search):
            if glued and math.hypot(dx, dy) > GLUED_REACH:
                break  # nearest first: nothing nearer is left
            if windows is not None:
                rows = window_rows.get(dx)
                if rows is None:  # per dx, the windows it is in (the spiral comes back to each dx often)
                    rows = window_rows[dx] = _rows(windows, dx)
                for a, b in rows:  # a loop, not any(): this test runs for every spot of the spiral
                    if a <= dy <= b:
                        break
                else:
                    continue
            box = shifted_box(label.box, dx, dy)
            if not box_inside(box, bounds):
                continue
            x1, y1, x2, y2 = grown = grow(box, CLEAR)
            column = columns.get(dx)
            if column is None:  # what a spot's box meets across x, boxes and segments apart
                within = [o for o in near if not (o[2] < x1 or o[0] > x2)]
                column = columns[dx] = ([o for o in within if len(o) < 6], [o for o in within if len(o) >= 6])
            # a box met across x is met where it is met across y (overlaps' own test); a segment
            # there must pass through the spot's box too
            if any(not (o[3] < y1 or o[1] > y2) for o in column[0]) or any(
                    not (o[3] < y1 or o[1] > y2) and segment_meets_box(o[4], o[5], grown) for o in column[1]):
                continue
            if any(_box_gap(box, b) < apart for b in near_labels):
                continue
            if settled:
                room = grow(box, ROOM)
                if any(overlaps(room, o) for o in settled):
                    continue
            if not plain and any(_point_box(p, box) < CROSS for p in crossings):
                continue
            if unglue and tight and label_reach(parts, dx, dy, own) < OWN_GAP:
                continue
            if glued:
                gap = label_reach(parts, dx, dy, own)
                # off its line, on its side, and not up to a border nearer than its own line
                # (review 25: two steps that ended nearer a frame than the edge read worse)
                if gap < OWN_GAP or _side(_centre(box), own) != side or any(
                        label_reach(parts, dx, dy, [b]) < min(gap, was) for b, was in borders):
                    continue
            if reach is not None:
                d = label_reach(parts, dx, dy, middle)
                if d > reach or label_within(parts, dx, dy, near_others, d + MARGIN if plain else max(d + 2 * MARGIN, 1.5 * d)):
                    continue
            if not plain:
                # its middle too plainly nearer its own edge
                c = _centre(box) * 2
                # another line within 1.5 times its own's distance? None farther counts: the
                # search stops just past that (the same answer, sooner)
                bound = 1.5 * _distance(c, own)
                plainly = not (bound >= _distance(c, near_others, math.nextafter(bound, math.inf))
                               or farther and label_reach(parts, dx, dy, own) < OWN_GAP)
                if math.hypot(dx, dy) < NUDGE:
                    # a nudge is not a move: a plain spot under NUDGE away means the label
                    # was nearly plain already (review 22: 4-6 point nudges changed nothing
                    # a reader sees). A clear one that is not plain yet means a nudge settles
                    # nothing: a plain spot up to twice as far may (review 55: cicd's "17.
                    # OIDC role", 9 points from its edge and 11 from 15's, is plain 9 points
                    # down and left), and a search on would only drift
                    if plainly:
                        break
                    nearly = True
                    continue
                if nearly and math.hypot(dx, dy) > 2 * NUDGE:
                    break
                if not plainly:
                    # a wide label's middle needs a farther spot (vm-provisioning's 6), and
                    # there not on its own line (main's 8 went to touch it)
                    farther = True
                    continue
            out[i], placed[i] = (dx, dy), box
            break
        if not plain and own:
            # ambiguous: the spot it found (or has) mirrored across its own edge, where the
            # other lines are more than twice as far (review 81: monitoring's "1, 3" settled
            # 5 from its edge and 18 from 7's, between them, the far side of its edge empty)
            base = out[i] or (0.0, 0.0)
            across = _across(shifted_box(label.box, *base), own)
            if across:
                mirror = (base[0] + across[0], base[1] + across[1])
                was = label_reach(parts, *base, near_others)
                if label_reach(parts, *mirror, near_others) > 2 * was and _plain_across(
                        parts, mirror, own, label_reach(parts, *base, own), near_others, fixed, others,
                        near_labels, apart, bounds, label.box):
                    out[i], placed[i] = mirror, shifted_box(label.box, *mirror)
        if glued and out[i] is None and own_d < OWN_MIN:  # on its line: a 1-point nudge elsewhere is no change
            found = _balanced(label, parts, own, side, near, near_labels, apart, bounds, [b for b, _ in borders],
                              middle, reach, near_others, own_d)
            if found:
                out[i], placed[i] = found, shifted_box(label.box, *found)
        if glued and tight and out[i] is None:
            stuck.add(i)
    if stuck and not unglue:
        now = [Label(shifted_box(l.box, *o), l.line, tuple(shifted_box(p, *o) for p in l.parts)) if o else l
               for l, o in zip(labels, out)]
        again = moves(now, lines, fixed, bounds, only=stuck, search=search, unglue=True)
        out = [again[i] if i in stuck and again[i] else o for i, o in enumerate(out)]
    return out


def _crossings(own: list, others: list, region: Box) -> list[tuple[float, float]]:
    """Where the segments of ``own`` cross any of ``others``, within ``region``.

    >>> from lablink_diagrams.render.geometry import segment as seg
    >>> _crossings([seg((0, 0), (10, 10))], [seg((0, 10), (10, 0)), seg((20, 0), (20, 9))], (0, 0, 30, 30))
    [(5.0, 5.0)]
    """
    mine = [s for s in own if boxes_meet(region, s)]
    theirs = [s for s in others if boxes_meet(region, s)]
    out = []
    for a in mine:
        for b in theirs:
            if boxes_meet(a, b):
                hit = crossing(a[4], a[5], b[4], b[5])
                if hit:
                    t = hit[0]
                    out.append((a[4][0] + t * (a[5][0] - a[4][0]) + 0.0, a[4][1] + t * (a[5][1] - a[4][1]) + 0.0))
    return out


def _across(box: Box, line: list) -> tuple[float, float] | None:
    """The offset that sets a box as far from its line on the line's other side, by the
    nearest segment.

    >>> from lablink_diagrams.render.geometry import segment as seg
    >>> _across((60, 40, 80, 50), [seg((50, 0), (50, 100))])   # 10 right of x=50: 10 left of it
    (-40.0, 0.0)
    """
    c = _centre(box)
    p = nearest_on(c, [(s[4], s[5]) for s in line if len(s) >= 6])
    d = math.dist(c, p) if p else 0.0
    if not d:
        return None
    nx, ny = (c[0] - p[0]) / d, (c[1] - p[1]) / d
    half = abs(nx) * (box[2] - box[0]) / 2 + abs(ny) * (box[3] - box[1]) / 2
    return (round(-nx * 2 * max(d, half), 1) + 0.0, round(-ny * 2 * max(d, half), 1) + 0.0)


def _plain_across(parts, move, own, own_d, near_others, fixed, others, near_labels, apart, bounds, box) -> bool:
    """Is the spot across its edge a plain one: inside the canvas, ROOM off nodes, borders
    and titles, clear of other lines and labels, as near its own line as before (no nearer
    than OWN_GAP) and plainly nearer it than any other line?"""
    moved = shifted_box(box, *move)
    if not box_inside(moved, bounds):
        return False
    if any(overlaps(grow(moved, ROOM), o) for o in fixed) or any(overlaps(grow(moved, CLEAR), o) for o in others):
        return False
    if any(_box_gap(moved, b) < apart for b in near_labels):
        return False
    d = label_reach(parts, *move, own)
    return OWN_GAP - 1 <= d <= own_d + STEP and not label_within(parts, *move, near_others, max(d + 2 * MARGIN, 1.5 * d))


def _balanced(label, parts, own, side, near, near_labels, apart, bounds, borders, middle, reach, near_others,
              was: float) -> tuple[float, float] | None:
    """A glued label's fallback: the offset within GLUED_REACH (a 2-point grid, refined to
    1 point) with the most air to both its line and the nearest border, all other rules
    kept; None if none beats ``was`` with at least OWN_MIN.

    >>> from lablink_diagrams.render.geometry import segment as seg
    >>> edge, wall = [seg((50, 0), (50, 200))], seg((62, 0), (62, 200))   # 12 between edge and wall
    >>> lab = Label((50.5, 90, 57.5, 100), 0)                              # 7 wide: 0.5 off its edge
    >>> moves([lab], [edge], [wall], (0, 0, 300, 200))  # no spot 5 clear of both: 2.5 from each
    [(2.0, 0.0)]
    """
    n = int(GLUED_REACH)
    # only what a box GLUED_REACH away can meet (the caller's lists reach REACH: ~30x the work)
    zone = grow(label.box, GLUED_REACH + CLEAR + 1)
    near = [o for o in near if boxes_meet(zone, o)]
    near_labels = [b for b in near_labels if boxes_meet(grow(zone, apart), b)]
    wide = grow(zone, GLUED_REACH + OWN_GAP)
    own = [s for s in own if boxes_meet(wide, s)] or own
    borders = [b for b in borders if boxes_meet(wide, b)]
    best, best_key = None, None

    def key_at(dx: int, dy: int):
        """The spot's (air, -distance), or None where a rule turns it away (cheap tests first)."""
        if math.hypot(dx, dy) > GLUED_REACH or (dx, dy) == (0, 0):
            return None
        box = shifted_box(label.box, dx, dy)
        if not box_inside(box, bounds):
            return None
        x1, y1, x2, y2 = grown = grow(box, CLEAR)
        if any(not (o[2] < x1 or o[0] > x2 or o[3] < y1 or o[1] > y2) and overlaps(grown, o) for o in near):
            return None
        if any(_box_gap(box, b) < apart for b in near_labels):
            return None
        gap = label_reach(parts, dx, dy, own)
        if gap < max(OWN_MIN, was) or (best_key and round(min(gap, OWN_GAP), 1) < best_key[0]):
            return None
        if _side(_centre(box), own) != side:
            return None
        walls = min([label_reach(parts, dx, dy, [b]) for b in borders], default=math.inf)
        if walls < gap - 0.5:  # nearer a frame than its line reads worse (review 25)
            return None
        key = (round(min(gap, walls, OWN_GAP), 1), -math.hypot(dx, dy))
        if best_key is not None and key <= best_key:
            return None
        if reach is not None:
            d = label_reach(parts, dx, dy, middle)
            if d > reach or label_within(parts, dx, dy, near_others, d + MARGIN):
                return None
        return key

    # a 2-point grid, then the 1-point spots around the best of it
    for dx in range(-n, n + 1, 2):
        for dy in range(-n, n + 1, 2):
            key = key_at(dx, dy)
            if key:
                best, best_key = (float(dx), float(dy)), key
    if best:
        bx, by = int(best[0]), int(best[1])
        for dx in range(bx - 1, bx + 2):
            for dy in range(by - 1, by + 2):
                key = key_at(dx, dy)
                if key:
                    best, best_key = (float(dx), float(dy)), key
    return best if best_key and best_key[0] > was else None


def lifted(labels: list[Label], lines: list[list], fixed: list, found: list) -> list[int]:
    """The labels that stayed (``found`` as ``moves`` gave it) and are still struck, by
    lines only: other edges, borders (segments in ``fixed``), or their own edge through
    the text. Drawn last on a patch, they hide nothing but the lines under their words;
    a label that a box (node, arrowhead, title, another label) overlaps is not one.

    >>> from lablink_diagrams.render.geometry import segment as seg
    >>> edge, border = [seg((50, 0), (50, 200))], seg((0, 100), (300, 100))
    >>> label = Label((54, 92, 120, 108), 0)
    >>> lifted([label], [edge], [border], [None]), lifted([label], [edge], [border], [(0.0, -12.0)])
    ([0], [])
    >>> lifted([label], [edge], [border, (100, 90, 140, 110)], [None])  # a node under it too: no patch
    []
    """
    placed = [shifted_box(l.box, *m) if m else l.box for l, m in zip(labels, found)]
    out = []
    for i, (label, move) in enumerate(zip(labels, found)):
        if move:
            continue
        grown = grow(label.box, 1.0)
        own = lines[label.line] if 0 <= label.line < len(lines) else []
        others = [s for k, line in enumerate(lines) if k != label.line for s in line]
        boxes = [o for o in fixed if len(o) < 6] + [b for j, b in enumerate(placed) if j != i]
        segments = [o for o in fixed if len(o) >= 6] + others
        struck = any(overlaps(grown, o) for o in segments) or any(overlaps(grow(label.box, -2.0), o) for o in own)
        if struck and not any(overlaps(grown, b) for b in boxes):
            out.append(i)
    return out


def _windows(box: Box, segments: list, reach: float) -> tuple:
    """The offsets (dx1, dx2, dy1, dy2) that bring ``box`` within ``reach`` of each
    segment's box along both axes, and their hull first: a quick, never-too-strict test."""
    reach += 1e-6  # a shifted box is rounded: never turn away a spot the measure would take
    w = [(s[0] - reach - box[2], s[2] + reach - box[0], s[1] - reach - box[3], s[3] + reach - box[1]) for s in segments]
    if not w:
        return ((1.0, 0.0, 1.0, 0.0), [])  # an empty hull: nothing is near a line with no middle
    return ((min(v[0] for v in w), max(v[1] for v in w), min(v[2] for v in w), max(v[3] for v in w)), w)


def _rows(windows: tuple, dx: float) -> list[tuple[float, float]]:
    """The (dy1, dy2) of each window that ``dx`` is in: a spot (dx, dy) is near a middle segment
    only within one of them."""
    hull, each = windows
    if not hull[0] <= dx <= hull[1]:
        return []
    return [(v[2], v[3]) for v in each if v[0] <= dx <= v[1]]


@functools.lru_cache(maxsize=4)
def _offsets(reach: float) -> list[tuple[float, float]]:
    """Grid offsets within ``reach``, nearest first; ties in a fixed order (up, down, left, right)."""
    n = int(reach // STEP)
    grid = [(i * STEP, j * STEP) for i in range(-n, n + 1) for j in range(-n, n + 1) if (i, j) != (0, 0)]
    return sorted((p for p in grid if math.hypot(*p) <= reach), key=lambda p: (math.hypot(*p), abs(p[0]), p[1], p[0]))


def _middle(line: list) -> list:
    """The segments of a line between 20 % and 80 % of its length."""
    lengths = [math.dist(s[4], s[5]) if len(s) >= 6 else 0.0 for s in line]
    total, run, out = sum(lengths), 0.0, []
    for s, length in zip(line, lengths):
        if total and 0.2 * total <= run + length and run <= 0.8 * total:
            out.append(s)
        run += length
    return out


def label_reach(parts, dx: float, dy: float, line: list) -> float:
    """The shortest distance from a label's text lines, moved by (dx, dy), to a line
    (each line's search starts from the nearest found so far: the same minimum, sooner)."""
    best = math.inf
    for p in parts:
        best = _distance(shifted_box(p, dx, dy), line, best)
        if best == 0.0:
            break
    return best


def label_within(parts, dx: float, dy: float, segments: list, limit: float) -> bool:
    """Does any segment come within ``limit`` of the moved text lines? (Boxes first: most
    segments are far, and the exact distance is the search's most costly step.)"""
    moved = [shifted_box(p, dx, dy) for p in parts]
    for s in segments:
        for p in moved:
            if _box_gap(p, s) <= limit and _distance(p, [s]) <= limit:  # the gap reads only the box
                return True
    return False


def _distance(box: Box, line: list, bound: float = math.inf) -> float:
    """The shortest distance from a box to a line of segments (0 where it touches), or
    ``bound`` if none is nearer.

    >>> from lablink_diagrams.render.geometry import segment as seg
    >>> line = [seg((0, 0), (0, 100)), seg((0, 100), (100, 100))]
    >>> _distance((10, 40, 20, 50), line), _distance((10, 40, 20, 50), line, 5.0), _distance((-5, 40, 5, 50), line)
    (10.0, 5.0, 0.0)
    """
    best = bound
    bx1, by1, bx2, by2 = box[:4]
    corners = ((bx1, by1), (bx2, by1), (bx1, by2), (bx2, by2))
    for s in line:
        if len(s) < 6:
            continue
        sx1, sy1, sx2, sy2, a, b = s[0], s[1], s[2], s[3], s[4], s[5]
        # _box_gap(box, s), written out: the label search calls this about 250,000 times a suite
        dx = sx1 - bx2 if sx1 > bx2 else bx1 - sx2 if bx1 > sx2 else 0.0
        dy = sy1 - by2 if sy1 > by2 else by1 - sy2 if by1 > sy2 else 0.0
        gap = math.hypot(dx, dy) if dx and dy else dx or dy
        if gap >= best:  # its box is no nearer: nor is it
            continue
        if not gap and segment_meets_box(a, b, box):  # apart from its box, it cannot meet the box
            return 0.0
        best = min(best, _point_box(a, box), _point_box(b, box))
        for c in corners:  # a corner no nearer the segment's box than the best is no nearer the segment
            cx, cy = c  # _point_box(c, s), written out as above
            dx = sx1 - cx if sx1 > cx else cx - sx2 if cx > sx2 else 0.0
            dy = sy1 - cy if sy1 > cy else cy - sy2 if cy > sy2 else 0.0
            if (math.hypot(dx, dy) if dx and dy else dx or dy) < best:
                best = min(best, point_segment(c, a, b))
    return best


def _centre(box: Box) -> tuple[float, float]:
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def _side(p, line: list) -> int:
    """Which side of a line a point is on (+1 or -1; 0 on it), by the nearest segment.

    >>> down = [(50, 0, 50, 200, (50, 0), (50, 200))]
    >>> _side((60, 100), down), _side((40, 100), down), _side((50, 100), down)
    (-1, 1, 0)
    """
    best, sign = math.inf, 0
    for s in line:
        if len(s) < 6:
            continue
        (ax, ay), (bx, by) = s[4], s[5]
        d = point_segment(p, s[4], s[5])
        if d < best:
            cross = (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax)
            best, sign = d, (cross > 0) - (cross < 0)
    return sign


def _box_gap(a: Box, b: Box) -> float:
    # conditionals, not max(): the label search calls this about a million times a suite
    dx = b[0] - a[2] if b[0] > a[2] else a[0] - b[2] if a[0] > b[2] else 0.0
    dy = b[1] - a[3] if b[1] > a[3] else a[1] - b[3] if a[1] > b[3] else 0.0
    return math.hypot(dx, dy) if dx and dy else dx or dy


def _point_box(p, box: Box) -> float:
    x, y = p
    dx = box[0] - x if box[0] > x else x - box[2] if x > box[2] else 0.0
    dy = box[1] - y if box[1] > y else y - box[3] if y > box[3] else 0.0
    return math.hypot(dx, dy) if dx and dy else dx or dy
