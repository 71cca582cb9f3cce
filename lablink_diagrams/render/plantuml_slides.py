"""PlantUML links slid off the cluster titles they strike, along their node's top, in the SVG.

A cluster's title has no free spot in its band when the links that enter the cluster
there cross it wherever it goes (review 57: 13 titles in 7 of 9 architecture figures,
"the edge disappears behind the title and comes out as a stub"). Most such links end on
a node just under the band, and the node is wider than the point they reach it at: the
link's end slides along the node's top until the link passes beside the title, its last
stretch shifted whole and the stretch above tapered over RAMP, so the curve bends without
a kink and keeps the way it meets the node. A slide is kept only if every link through
the title at that spot can slide, and none then crosses another link, a node or a text it
did not, or comes nearer than APART to another end on its node; plantuml_titles then
finds the spot free. Where another end on the node is in the way, it slides as far with
it (a train: ends keep their order and spacing), its link sheared over its length.
Pure functions on the SVG text.
"""
from __future__ import annotations

import math
import re

from . import edge_ends
from .geometry import bezier, boxes_meet, crosses, overlaps, segment, svg_number
from .plantuml_ends import ENTITY_WITH_ID, entity_ink
from .plantuml_labels import outline
from .plantuml_runs import links
from .plantuml_titles import CLUSTER, LINK, TEXT, _shift, _spots, _title, entity_boxes, text_box

GAP = 8.0  # px a slid link keeps from the title's box
MARGIN = 12.0  # px a slid end keeps from its node's side
RAMP = 120.0  # px above the stretch moved whole over which a slide tapers to nothing
_POLYGON = re.compile(r'(<polygon points=")([^"]*)(")')


def slide(svg: str) -> str:
    """The SVG with the links through each title struck at every spot slid beside it, at
    the first spot where all of them can.

    >>> frame = ('<g class="cluster"><rect x="0" y="100" width="200" height="200"/>'
    ...          '<text x="10" y="118" fill="#000" font-size="16" textLength="150" font-family="x">a wide title</text></g>')
    >>> node = '<g class="entity" id="n1"><rect x="10" y="140" width="180" height="60" fill="#fff"/></g>'
    >>> link = ('<g class="link" data-entity-1="n0" data-entity-2="n1" id="l1"><path d="M100,0 C100,20 100,40 100,60 C100,80 100,110 100,134" '
    ...         'fill="none"/><polygon points="100,140,96,132,100,134,104,132,100,140" fill="#000"/></g>')
    >>> out = slide("<svg>" + frame + node + link + "</svg>")  # through the middle of the title: to its right
    >>> re.findall(r' (?:d|points)="([^"]+)"', out)[-2:]
    ['M100,0 C100,20 171,40 171,60 C171,80 171,110 171,134', '171,140,167,132,171,134,175,132,171,140']
    >>> narrow = node.replace('x="10"', 'x="60"').replace('width="180"', 'width="80"')
    >>> slide("<svg>" + frame + narrow + link + "</svg>").count("M100,0 C100,20 100,40 100,60 C100,80")  # no room beside it
    1
    """
    found = links(svg)
    if not found:
        return svg
    nodes = {m.group("id"): m.group("body") for m in ENTITY_WITH_ID.finditer(svg)}
    curves = {k: ctrl for k, (_, _, ctrl) in enumerate(found)}
    fixed = entity_boxes(svg)  # nodes and their texts: a slid link keeps off what it kept off
    borders = [seg for m in CLUSTER.finditer(svg) for seg in outline(m.group("body"))]  # a moved label keeps off
    texts = {k: [text_box(t) for t in TEXT.finditer(m.group("body"))] for k, (m, _, _) in enumerate(found)}
    labels = [b for boxes in texts.values() for b in boxes]
    for m in CLUSTER.finditer(svg):
        t = _title(m.group("body"))
        if not t:
            continue
        lines = _link_segments(curves)
        obstacles = [s for segs in lines.values() for s in segs] + labels + fixed
        at = lambda x: [_shift(b, x - t["x"]) for b in t["boxes"]]  # noqa: E731
        if any(not any(overlaps(b, o) for b in at(x) for o in obstacles) for x in _spots(t)):
            continue  # free somewhere: plantuml_titles moves it there
        for x in _spots(t):
            boxes = at(x)
            if any(overlaps(b, o) for b in boxes for o in labels + fixed):
                continue  # a label or node there: sliding links will not clear it
            through = [k for k, segs in lines.items() if any(overlaps(b, s) for b in boxes for s in segs)]
            plan = {k: _slid(curves[k], found[k][0], nodes, boxes, t) for k in through}
            if not through or None in plan.values():
                continue
            if not _fits(plan, curves, found, boxes, fixed, texts, borders):
                plan = _train(plan, curves, found, nodes)
                if plan is None or not _fits(plan, curves, found, boxes, fixed, texts, borders):
                    continue
            curves.update({k: ctrl for k, (ctrl, _, _) in plan.items()})
            texts.update({k: [_label_moved(b, move[2]) for b in texts[k]] for k, (_, move, _) in plan.items()})
            labels = [b for boxes in texts.values() for b in boxes]  # the next titles see labels where they went
            for k, (ctrl, move, _) in sorted(plan.items(), key=lambda kv: -found[kv[0]][0].start()):
                svg = _rewritten(svg, found[k], ctrl, move)
            found = links(svg)  # positions in the text moved
            break
    return svg


def _slid(ctrl, link: re.Match, nodes: dict, boxes: list, t: dict):
    """The link's control points slid beside the title's ``boxes`` at the end that meets a
    node under it, that end's (old point, move) for its arrowhead and how far a text at a
    height moves with it (its label), and the node; None if it cannot."""
    top = min(b[1] for b in boxes)
    bottom = max(b[3] for b in boxes)
    for end_at, node in ((-1, link.group("b")), (0, link.group("a"))):
        pts = list(ctrl) if end_at == -1 else list(ctrl)[::-1]
        end, handle = pts[-1], pts[-2]
        if node not in nodes or not (t["x1"] <= end[0] <= t["x2"]) or end[1] <= bottom or handle[1] >= end[1]:
            continue  # not a node inside the cluster, met from above
        band = [p for p in bezier(pts) if top - GAP <= p[1] <= bottom + GAP]
        if not band:
            continue
        left, right = min(b[0] for b in boxes) - GAP, max(b[2] for b in boxes) + GAP
        options = [right - min(p[0] for p in band), left - max(p[0] for p in band)]
        for dx in sorted(options, key=abs):
            moved = _slid_by(ctrl, end_at, nodes[node], dx, top - GAP)
            if moved is not None:
                return moved + (node,)
    return None


def _slid_by(ctrl, end_at: int, body: str, dx: float, top: float | None):
    """The link's control points with the end at ``end_at`` (0 or -1) slid ``dx`` along its
    node's top, whole below ``top`` (or sheared over its length if None); that end's (old
    point, move) and its label's move; None if the end would leave the node's top (MARGIN
    from its sides)."""
    pts = list(ctrl) if end_at == -1 else list(ctrl)[::-1]
    end, handle = pts[-1], pts[-2]
    ink = entity_ink(body)
    xs = [p[0] for a, b in ink for p in (a, b)]
    if handle[1] >= end[1] or not min(xs) + MARGIN <= end[0] + dx <= max(xs) - MARGIN:
        return None
    moved = _shifted(pts, dx, top) if top is not None else _sheared(pts, dx)
    moved[-1], moved[-2] = (end[0] + dx, end[1]), (handle[0] + dx, handle[1])
    way = (end[0] - handle[0], end[1] - handle[1])
    was, now = edge_ends._onto(end, way, ink), edge_ends._onto(moved[-1], way, ink)
    if was is None or now is None:
        return None  # off the node's outline there
    dy = now[1] - was[1]  # a round top: the end follows it down or up
    moved[-1], moved[-2] = (moved[-1][0], moved[-1][1] + dy), (moved[-2][0], moved[-2][1] + dy)
    return (moved if end_at == -1 else moved[::-1]), (end, (dx, dy), _displacement(pts, moved))


def _train(plan: dict, curves: dict, found, nodes: dict) -> dict:
    """The plan with the links whose ends on a slid end's node lie in its way (between where
    it was and APART past where it goes) slid as far with it, so that ends keep their order
    and spacing along the node (review 81: logging's 15 could not pass 17, 18's end beside
    it); the plan itself if there are none, None if one of them cannot slide."""
    more: dict = {}
    for k, (ctrl, (end, (dx, _), _), node) in plan.items():
        lo, hi = sorted((end[0], end[0] + dx + math.copysign(edge_ends.APART, dx)))
        for j, (m, _, _) in enumerate(found):
            if j in plan or j in more:
                continue
            for end_at, n in ((-1, m.group("b")), (0, m.group("a"))):
                p = curves[j][end_at]
                if n == node and lo <= p[0] <= hi and abs(p[1] - end[1]) < edge_ends.APART:
                    moved = _slid_by(curves[j], end_at, nodes[node], dx, None)
                    if moved is None:
                        return None
                    more[j] = moved + (node,)
                    break
    return {**plan, **more}


def _shifted(pts: list, dx: float, top: float) -> list:
    """The control points with every Bézier segment that reaches below ``top`` moved by
    ``dx`` whole (and the handle before it, so the curve stays smooth at their knot), and
    the points above that knot by less, over a ramp (RAMP, or 2.5 times the slide if less,
    at least 40 px); the far end and its handle stay.

    >>> _shifted([(0, y) for y in range(0, 500, 50)], 40, 370)  # the last segment reaches 370: from its handle on
    [(0, 0), (0, 50), (0.0, 100), (0.0, 150), (20.0, 200), (40, 250), (40, 300), (40, 350), (40, 400), (40, 450)]
    """
    first = next((i for i in range(0, len(pts) - 3, 3) if max(p[1] for p in pts[i:i + 4]) >= top), len(pts) - 4)
    ramp = max(40.0, min(RAMP, 2.5 * abs(dx)))
    if first == 0 or pts[first][1] < top - ramp:  # split it, to bend above and move whole below
        at = max(top - ramp, (pts[first][1] + top) / 2)  # the far end's own segment: halfway down at least
        t = next((k / 64 for k in range(1, 64) if bezier(pts[first:first + 4], 64)[k][1] >= at), None)
        if t is not None:
            pts = pts[:first] + _split(pts[first:first + 4], t) + pts[first + 4:]
            first += 3
    knot = pts[max(first - 1, 0)][1]

    def follow(y: float) -> float:
        u = min(1.0, max(0.0, 1.0 - (knot - y) / ramp))
        return dx * u * u * (3 - 2 * u) + 0.0
    return [(x, y) if k < 2 else (x + dx, y) if k >= first - 1 else (x + follow(y), y) for k, (x, y) in enumerate(pts)]


def _sheared(pts: list, dx: float) -> list:
    """The control points moved sideways in proportion to their height between the far end
    and the near one (the last point), ``dx`` at the near one: a straight link stays straight;
    the far end and its handle stay, so its arrowhead still fits.

    >>> _sheared([(0, 0), (0, 10), (0, 20), (0, 40)], 8)
    [(0, 0), (0, 10), (4.0, 20), (8.0, 40)]
    """
    y0, y1 = pts[0][1], pts[-1][1]
    share = lambda y: min(1.0, max(0.0, (y - y0) / (y1 - y0))) if y1 != y0 else 1.0  # noqa: E731
    return [(x, y) if k < 2 else (x + dx * share(y) + 0.0, y) for k, (x, y) in enumerate(pts)]


def _displacement(before: list, after: list):
    """How far the curve moved sideways at a height (0 where it does not reach): its label
    moves as much, to keep its place beside it.

    >>> move = _displacement([(0, 0), (0, 10), (0, 20), (0, 30)], [(0, 0), (0, 10), (6, 20), (6, 30)])
    >>> move(30), move(-5)
    (6.0, 0.0)
    """
    def x_at(line, y):
        for (x1, y1), (x2, y2) in reversed(list(zip(line, line[1:]))):  # the end's stretch first
            if min(y1, y2) <= y <= max(y1, y2):
                return x1 + (x2 - x1) * ((y - y1) / (y2 - y1) if y2 != y1 else 0.0)
        return None
    old, new = bezier(before, 32), bezier(after, 32)

    def move(y: float) -> float:
        a, b = x_at(old, y), x_at(new, y)
        return 0.0 if a is None or b is None else b - a + 0.0
    return move


def _split(seg: list, t: float) -> list:
    """A cubic Bézier segment's four points as two segments' seven, split at ``t`` (de Casteljau).

    >>> _split([(0, 0), (0, 10), (10, 20), (10, 30)], 0.5)
    [(0, 0), (0.0, 5.0), (2.5, 10.0), (5.0, 15.0), (7.5, 20.0), (10.0, 25.0), (10, 30)]
    """
    lerp = lambda a, b: (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)  # noqa: E731
    a, b, c, d = seg
    ab, bc, cd = lerp(a, b), lerp(b, c), lerp(c, d)
    abc, bcd = lerp(ab, bc), lerp(bc, cd)
    return [a, ab, abc, lerp(abc, bcd), bcd, cd, d]


def _fits(plan: dict, curves: dict, found, boxes: list, fixed: list, texts: dict, borders: list) -> bool:
    """Every slid link clears the title and crosses no link, node or text it did not; its
    label stays, or else moves with it, where it meets no link, text, node or frame border
    (its own link and a border only if it did before: ``plan`` records which); its end
    stays APART from the other ends on its node."""
    after = dict(curves)
    after.update({k: ctrl for k, (ctrl, _, _) in plan.items()})
    labels = dict(texts)
    for k in plan:
        new, old = _segments(after[k]), _segments(curves[k])
        if any(overlaps(b, s) for b in boxes for s in new):
            return False
        others = [b for j, bs in texts.items() if j != k for b in bs]
        for other in (fixed, others):
            if sum(any(_meets(s, o) for s in new) for o in other) > sum(any(_meets(s, o) for s in old) for o in other):
                return False
        for j in after:
            if j != k and _crossings(new, after[j]) > _crossings(old, curves[j]):
                return False
        m = found[k][0]
        # the ends that moved: two ends near each other already are edge_ends' to part (review
        # 60: data-collection's 5 left its node 10 px from 6, so its head could not slide)
        ends = [(p, n) for p, was, n in ((after[k][0], curves[k][0], m.group("a")), (after[k][-1], curves[k][-1], m.group("b")))
                if p != was]
        for j in after:
            if j == k:
                continue
            mj = found[j][0]
            for p, node in ((after[j][0], mj.group("a")), (after[j][-1], mj.group("b"))):
                if any(node == n and math.dist(p, e) < edge_ends.APART for e, n in ends):
                    return False
        ctrl, (end, shift, follow), node = plan[k]
        solid = boxes + fixed + [o for j, bs in labels.items() if j != k for o in bs]
        lines = [s for j in after if j != k for s in _segments(after[j])]
        was = _struck(texts[k], old, borders)
        for way in (_STAY, follow):
            mine = [_label_moved(b, way) for b in texts[k]]
            if not any(overlaps(b, o) for b in mine for o in solid + lines) and _struck(mine, new, borders) <= was:
                plan[k] = (ctrl, (end, shift, way), node)
                labels[k] = mine
                break
        else:
            return False
    return True


def _struck(label: list, own: list, borders: list) -> int:
    """How many of a label's lines its own link or frame borders strike (each counted once)."""
    return sum(any(overlaps(b, s) for s in own) + sum(overlaps(b, s) for s in borders) for b in label)


def _STAY(y: float) -> float:
    """A label that keeps its place."""
    return 0.0


def _label_moved(box, follow) -> tuple:
    """A label line's box moved as far as its link moved anywhere along its height (it keeps
    at least its gap from the link)."""
    dx = _line_shift(box, follow)
    return (box[0] + dx, box[1], box[2] + dx, box[3])


def _line_shift(box, follow) -> float:
    return max((follow(box[1] + (box[3] - box[1]) * k / 4) for k in range(5)), key=abs)


def _meets(seg: tuple, obstacle: tuple) -> bool:
    """A curve's segment meets a box, or crosses a line (a node drawn as a path)."""
    if len(obstacle) == 4:
        return overlaps(obstacle, seg)
    return boxes_meet(seg, obstacle) and crosses(seg[4], seg[5], obstacle[4], obstacle[5])  # apart: no crossing


def _segments(ctrl) -> list:
    pts = bezier(ctrl, 8)
    return [segment(a, b) for a, b in zip(pts, pts[1:])]


def _link_segments(curves: dict) -> dict:
    return {k: _segments(ctrl) for k, ctrl in curves.items()}


def _crossings(segs: list, ctrl) -> int:
    pts = bezier(ctrl, 8)
    return sum(crosses(s[4], s[5], a, b) for s in segs for a, b in zip(pts, pts[1:]))


def _rewritten(svg: str, link, ctrl, move) -> str:
    """The SVG with the link's path drawn through ``ctrl``, its arrowhead at the slid end
    and its label's lines moved with it."""
    m, path, _ = link
    end, shift, follow = move
    pts = [f"{svg_number(x)},{svg_number(y)}" for x, y in ctrl]
    d = "M" + pts[0] + "".join(" C" + " ".join(pts[i:i + 3]) for i in range(1, len(pts), 3))
    body = m.group("body")
    body = body[:path.start(2)] + d + body[path.end(2):]

    def arrow(p: re.Match) -> str:
        moved = edge_ends.moved_arrow(p.group(2), [(end, shift)])
        return p.group(1) + moved + p.group(3) if moved else p.group(0)

    def text(t: re.Match) -> str:
        dx = _line_shift(text_box(t), follow)
        return t.group(0).replace(f'x="{t.group("x")}"', f'x="{svg_number(float(t.group("x")) + dx)}"', 1) if dx else t.group(0)
    return svg[:m.start("body")] + TEXT.sub(text, _POLYGON.sub(arrow, body)) + svg[m.end("body"):]
