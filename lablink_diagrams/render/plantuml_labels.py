"""PlantUML edge labels moved off cluster borders (edge_labels.py), in the SVG.

PlantUML lays its architecture figures out with dot and so draws labels across cluster
borders as dot does. Its SVG carries every text's width (``textLength``), so the shapes
are read there, after the cluster titles have moved (plantuml_titles.py), and a struck
label's lines are shifted in place. PDF and PNG are made from this SVG. Pure functions.
"""
from __future__ import annotations

import html
import math
import re

from . import edge_labels, font_widths, label_reflow
from .geometry import fills_across, halos_across, polylines, segment, svg_number, union
from .plantuml_titles import CLUSTER, LINK, TEXT, VIEWBOX, entity_boxes, text_box

_NUM = re.compile(r"-?\d+(?:\.\d+)?")
_TITLE = re.compile(r'<g class="title"[^>]*>(?P<body>.*?)</g>', re.S)


def place(svg: str) -> str:
    """The SVG with each struck edge label moved to the nearest clear spot beside its edge.

    >>> cluster = '<g class="cluster"><rect x="0" y="100" width="300" height="100" fill="#fff" style=""/></g>'
    >>> link = ('<g class="link"><path d="M50,0 C50,60 50,140 50,200" style="" fill="none"/>'
    ...         '<text x="54" y="104" fill="#000" font-size="19" textLength="60" font-family="x">1. go</text></g>')
    >>> svg = '<svg viewBox="0 0 300 200">' + cluster + link + '</svg>'
    >>> re.search(r'<text x="([\\d.]+)" y="([\\d.]+)"', place(svg)).groups()  # off the border at y=100
    ('54', '92')
    """
    links = list(LINK.finditer(svg))
    lines, labels, texts_of, fixed = [], [], [], []
    for k, m in enumerate(links):
        body = m.group("body")
        lines.append([segment(a, b) for d in re.findall(r'<path d="([^"]+)"', body)
                      for line in polylines(d) for a, b in zip(line, line[1:])])
        fixed += [_box(p) for p in re.findall(r'<polygon points="([^"]+)"', body)]
        texts = list(TEXT.finditer(body))
        if texts:
            boxes = tuple(text_box(t) for t in texts)
            labels.append(edge_labels.Label(union(boxes), k, boxes))
            texts_of.append((m, texts))
    for m in CLUSTER.finditer(svg):
        fixed += outline(m.group("body")) + [text_box(t) for t in TEXT.finditer(m.group("body"))]
    fixed += entity_boxes(svg)
    fixed += [text_box(t) for m in _TITLE.finditer(svg) for t in TEXT.finditer(m.group("body"))]
    view = VIEWBOX.search(svg)
    if not labels or not view:
        return svg
    x, y, w, h = (float(view[k]) for k in ("x", "y", "w", "h"))
    bounds = (x, y, x + w, y + h)
    found = edge_labels.moves(labels, lines, fixed, bounds)
    size = max((float(texts[0].group("size")) for _, texts in texts_of), default=0.0)
    words = [[html.unescape(_content(svg, m, t)) for t in texts] for m, texts in texts_of]
    reflowed = label_reflow.reflow(labels, lines, fixed, bounds, found, label_reflow.SPACE_EM * size, words,
                                   font_widths.LINE_EM * size)
    edits = []
    for i, ((m, texts), move) in enumerate(zip(texts_of, found)):
        if i in reflowed:
            groups, labels[i], found[i] = reflowed[i]
            edits += _rewritten(svg, m, texts, groups, labels[i])
        elif move:
            edits += [(m.start("body") + t.start(), m.start("body") + t.end(), _shifted(t, *move)) for t in texts]
    # a label with no clear spot that only lines run through: drawn last, outlined in the
    # fill under it, so the borders and edges stop at its letters (dot_halos.py)
    lifted = []
    frames = _frames(svg)
    for i in edge_labels.lifted(labels, lines, fixed, found):
        m, texts = texts_of[i]
        elements = []
        for t in texts:
            start = m.start("body") + t.start()
            stop = svg.index("</text>", start) + len("</text>")  # the element, not just its tag
            edits.append((start, stop, ""))
            elements.append(svg[start:stop])
        lifted.append(halos_across(elements, *fills_across(frames, labels[i].box, "#FFFFFF"), f"lablink-halo-{i}-"))
    end = svg.rfind("</g>")
    if lifted and end >= 0:
        edits.append((end, end, '<g class="lablink-halos">' + "".join(lifted) + "</g>"))
    for start, end, text in sorted(edits, reverse=True):
        svg = svg[:start] + text + svg[end:]
    return svg


def _content(svg: str, m: re.Match, t: re.Match) -> str:
    start = m.start("body") + t.end()
    return svg[start:svg.index("</text>", start)]


def _rewritten(svg: str, m: re.Match, texts: list, groups, label) -> list:
    """Edits that draw a reflowed label: its first text element once per new line (the
    words ``groups`` name, in reading order, joined by a space, at the new line's place and
    width), the others gone."""
    elements = []
    for t in texts:
        start = m.start("body") + t.start()
        elements.append((start, svg.index("</text>", start) + len("</text>")))
    first, size = texts[0], float(texts[0].group("size"))
    tag = first.group(0)
    lines, words = [], [w for t in texts for w in _content(svg, m, t).split(" ")]
    for group, (x1, y1, x2, _) in zip(groups, label.parts):
        line = " ".join(words[k] for k in group)
        opened = tag.replace(f'<text x="{first.group("x")}" y="{first.group("y")}"',
                             f'<text x="{svg_number(x1)}" y="{svg_number(y1 + 0.8 * size)}"', 1)
        opened = opened.replace(f'textLength="{first.group("w")}"', f'textLength="{svg_number(x2 - x1)}"', 1)
        lines.append(f"{opened}{line}</text>")
    edits = [(elements[0][0], elements[0][1], "".join(lines))]
    return edits + [(a, b, "") for a, b in elements[1:]]


def _frames(svg: str) -> list:
    """Each cluster's outline box and fill, for the halos (geometry.fills_across)."""
    out = []
    for m in CLUSTER.finditer(svg):
        ring, fill = outline(m.group("body")), re.search(r'fill="(#[0-9A-Fa-f]{3,8})"', m.group("body"))
        if ring and fill:
            out.append((union([s[:4] for s in ring]), fill.group(1)))
    return out


def _shifted(t: re.Match, dx: float, dy: float) -> str:
    x, y = float(t.group("x")) + dx, float(t.group("y")) + dy
    return t.group(0).replace(f'<text x="{t.group("x")}" y="{t.group("y")}"', f'<text x="{svg_number(x)}" y="{svg_number(y)}"', 1)


def outline(body: str) -> list:
    """A cluster's outline as segments: its rect, polygon, path and lines."""
    segs = []
    for x, y, w, h, rest in re.findall(r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"([^>]*)>', body):
        x1, y1, x2, y2 = float(x), float(y), float(x) + float(w), float(y) + float(h)
        r = re.search(r' rx="([\d.]+)"', rest)
        r = min(float(r.group(1)) if r else 0.0, (x2 - x1) / 2, (y2 - y1) / 2)
        if r < 1.0:
            corners = [(x1, y1), (x2, y1), (x2, y2), (x1, y2)]
        else:  # a rounded corner's quarter circle in 4 steps (a person's box: 17 px, its corner 5 px in)
            centres = [(x2 - r, y1 + r, -90), (x2 - r, y2 - r, 0), (x1 + r, y2 - r, 90), (x1 + r, y1 + r, 180)]
            corners = [(cx + r * math.cos(math.radians(a + 22.5 * k)), cy + r * math.sin(math.radians(a + 22.5 * k)))
                       for cx, cy, a in centres for k in range(5)]
        segs += [segment(a, b) for a, b in zip(corners, corners[1:] + corners[:1])]
    for pts in re.findall(r'<polygon points="([^"]+)"', body):
        xy = [float(v) for v in _NUM.findall(pts)]
        ring = list(zip(xy[0::2], xy[1::2]))
        segs += [segment(a, b) for a, b in zip(ring, ring[1:] + ring[:1])]
    for d in re.findall(r'<path d="([^"]+)"', body):
        segs += [segment(a, b) for line in polylines(d) for a, b in zip(line, line[1:])]
    for x1, y1, x2, y2 in re.findall(r'<line x1="([-\d.]+)" y1="([-\d.]+)" x2="([-\d.]+)" y2="([-\d.]+)"', body):
        segs.append(segment((float(x1), float(y1)), (float(x2), float(y2))))
    return segs


def _box(points: str):
    xy = [float(v) for v in _NUM.findall(points)]
    return (min(xy[0::2]), min(xy[1::2]), max(xy[0::2]), max(xy[1::2]))
