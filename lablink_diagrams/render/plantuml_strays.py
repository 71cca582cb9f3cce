"""PlantUML links kept inside the frame that holds both their ends (edge_strays.py), in the SVG.

PlantUML lays out with dot and strays the same way: main's "12. POST /api/vm-logs" ran
60 px out past the AWS account's left border and back, its label with it, outside the
frame (review 60). The straying segment's handles are drawn in as in DOT, and the link's
label moves as far as its line did at the label's height; both are kept only if the link
then crosses no link and meets no node, text or frame border it did not, and the label
meets nothing and is struck by no line. Pure functions on the SVG text.
"""
from __future__ import annotations

import re

from .edge_strays import pulled
from .geometry import crosses, overlaps
from .plantuml_ends import ENTITY_WITH_ID, entity_ink
from .plantuml_labels import outline
from .plantuml_runs import links
from .plantuml_slides import _crossings, _displacement, _label_moved, _meets, _rewritten, _segments
from .plantuml_titles import CLUSTER, TEXT, entity_boxes, text_box


def inside(svg: str) -> str:
    """The SVG with each link that strays out of the innermost frame holding both its ends
    drawn back in, its label with it.

    >>> frame = '<g class="cluster"><rect x="0" y="0" width="200" height="300" fill="#fff"/></g>'
    >>> node = '<g class="entity" id="e{}"><rect x="80" y="{}" width="40" height="20" fill="#fff"/></g>'
    >>> link = ('<g class="link" data-entity-1="e1" data-entity-2="e2" id="l1"><path d="M100,50 C-80,100 -80,200 100,250" '
    ...         'fill="none"/><text x="-20" y="150" fill="#000" font-size="14" textLength="30" font-family="x">12.</text></g>')
    >>> out = inside("<svg>" + frame + node.format(1, 30) + node.format(2, 250) + link + "</svg>")
    >>> re.search(r'<path d="([^"]+)"', out).group(1), re.search(r'<text x="([^"]+)"', out).group(1)  # 8 in, label along
    ('M100,50 C-22.67,100 -22.67,200 100,250', '22.993')
    """
    found = links(svg)
    if not found:
        return svg
    centres = {}
    for m in ENTITY_WITH_ID.finditer(svg):
        ink = entity_ink(m.group("body"))
        if ink:
            xs, ys = [p[0] for s in ink for p in s], [p[1] for s in ink for p in s]
            centres[m.group("id")] = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    frames, borders = [], []
    for m in CLUSTER.finditer(svg):
        segs = outline(m.group("body"))
        borders += segs
        if segs:
            frames.append((min(s[0] for s in segs), min(s[1] for s in segs), max(s[2] for s in segs), max(s[3] for s in segs)))
    curves = {k: ctrl for k, (_, _, ctrl) in enumerate(found)}
    texts = {k: [text_box(t) for t in TEXT.finditer(m.group("body"))] for k, (m, _, _) in enumerate(found)}
    fixed = entity_boxes(svg) + [text_box(t) for m in CLUSTER.finditer(svg) for t in TEXT.finditer(m.group("body"))]
    plans = {}
    for k, (m, _, ctrl) in enumerate(found):
        ends = [centres.get(m.group("a")), centres.get(m.group("b"))]
        holding = [f for f in frames if all(p and f[0] <= p[0] <= f[2] and f[1] <= p[1] <= f[3] for p in ends)]
        if not holding:
            continue
        frame = min(holding, key=lambda f: (f[2] - f[0]) * (f[3] - f[1]))
        new = pulled(ctrl, frame)
        if new is None or new == ctrl:
            continue
        follow = _displacement(ctrl, new)
        label = [_label_moved(b, follow) for b in texts[k]]
        if _fits(k, new, label, curves, texts, fixed, borders):
            plans[k] = (new, (ctrl[-1], (0.0, 0.0), follow))
            curves[k], texts[k] = new, label
    for k, (new, move) in sorted(plans.items(), key=lambda kv: -found[kv[0]][0].start()):
        svg = _rewritten(svg, found[k], new, move)
    return svg


def _fits(k: int, new: list, label: list, curves: dict, texts: dict, fixed: list, borders: list) -> bool:
    """The pulled link crosses no other link and meets no node, text or border more than it
    did; its label, moved with it, meets no node, text, line or border and stays off its own line."""
    old = _segments(curves[k])
    after = _segments(new)
    for j, ctrl in curves.items():
        if j != k and _crossings(after, ctrl) > _crossings(old, ctrl):
            return False
    others = [b for j, bs in texts.items() if j != k for b in bs]
    for group in (fixed, others, borders):
        if sum(any(_meets(s, o) for s in after) for o in group) > sum(any(_meets(s, o) for s in old) for o in group):
            return False
    lines = [s for j, ctrl in curves.items() for s in _segments(ctrl) if j != k] + after
    return not any(overlaps(b, o) for b in label for o in fixed + others + lines) and not any(
        crosses(s[4], s[5], a, c) for b in label for s in borders for a, c in _box_sides(b))


def _box_sides(box) -> list:
    x1, y1, x2, y2 = box
    corners = [(x1, y1), (x2, y1), (x2, y2), (x1, y2)]
    return list(zip(corners, corners[1:] + corners[:1]))
