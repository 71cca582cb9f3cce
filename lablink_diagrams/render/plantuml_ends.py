"""PlantUML edge ends carried onto the outline their node draws (edge_ends.py), in the SVG.

PlantUML lays its architecture figures out with dot, which ends an edge at the node's
box: a cloud's scalloped outline lies up to 11 px inside it, so edges to Google, AWS and
its IAM role stopped in the air (19 ends in 8 figures). People are drawn as ``person``
(a head over a box that holds the name), not ``actor``, whose box held its caption under
the figure: edges ended on the letters (review 53). Pure functions on the SVG text.
"""
from __future__ import annotations

import re

from . import edge_ends
from .plantuml_labels import outline

ENTITY_WITH_ID = re.compile(r'<g class="entity"[^>]*? id="(?P<id>[^"]+)"[^>]*>(?P<body>.*?)</g>', re.S)
LINK_WITH_ENDS = re.compile(r'<g class="link" data-entity-1="(?P<a>[^"]+)" data-entity-2="(?P<b>[^"]+)"[^>]*>(?P<body>.*?)</g>',
                   re.S)
_PATH = re.compile(r'(<path d=")([^"]*)(")')
_POLYGON = re.compile(r'(<polygon points=")([^"]*)(")')
_ELLIPSE = re.compile(r'<ellipse cx="([-\d.]+)" cy="([-\d.]+)" rx="([\d.]+)" ry="([\d.]+)"')


def place(svg: str) -> str:
    """The SVG with every link end that stops short of its entity's lines carried onto them,
    and two ends that meet one entity at one spot set apart (edge_ends.carry).

    >>> node = '<g class="entity" id="ent1"><rect x="0" y="100" width="100" height="40" fill="#fff" style=""/></g>'
    >>> link = ('<g class="link" data-entity-1="ent0" data-entity-2="ent1" id="lnk1"><path d="M50,0 C50,30 50,60 50,86"'
    ...         ' fill="none"/><polygon points="50,90,46,84,50,86,54,84,50,90" fill="#000"/></g>')
    >>> out = place('<svg>' + node + link + '</svg>')
    >>> re.findall(r' (?:d|points)="([^"]+)"', out)  # the tip 10 px above the box: onto it
    ['M50,0 C50,30 50,70 50,96', '50,100,46,94,50,96,54,94,50,100']
    """
    ink = {m.group("id"): entity_ink(m.group("body")) for m in ENTITY_WITH_ID.finditer(svg)}
    links, found_ends = [], []  # (match, path match, ends), (entity, end, from, curve, ink)
    for m in LINK_WITH_ENDS.finditer(svg):
        body = m.group("body")
        path = _PATH.search(body)
        if not path:
            continue
        nums = [float(v) for v in edge_ends.NUM.findall(path.group(2))]
        points = list(zip(nums[::2], nums[1::2]))
        found = edge_ends.ends(points)
        if not found:
            continue
        (tail_end, tail_from), (head_end, head_from) = found
        arrows = [[(float(x), float(y)) for x, y in zip(*[iter(edge_ends.NUM.findall(p.group(2)))] * 2)]
                  for p in _POLYGON.finditer(body)]
        # an arrowhead's first corner is its tip: that is the end that must touch
        tail_tip = next((a[0] for a in arrows if _at(a, tail_end)), None)
        head_tip = next((a[0] for a in arrows if _at(a, head_end)), None)
        links.append((m, path, (tail_end, head_end)))
        found_ends.append((m.group("a"), tail_tip or tail_end, tail_end if tail_tip else tail_from, points,
                           ink.get(m.group("a"), [])))
        found_ends.append((m.group("b"), head_tip or head_end, head_end if head_tip else head_from, points[::-1],
                           ink.get(m.group("b"), [])))
    # onto the ink, and apart where two meet one entity at one spot (monitoring's, data-collection's)
    moves = edge_ends.carry(found_ends)
    edits = []
    for k, (m, path, (tail_end, head_end)) in enumerate(links):
        tail, head = moves[2 * k], moves[2 * k + 1]
        if not (tail or head):
            continue
        body = m.group("body")
        at = [(end, move) for end, move in ((tail_end, tail), (head_end, head)) if move]
        new = body[:path.start(2)] + edge_ends.moved_path(path.group(2), tail, head) + body[path.end(2):]

        def arrow(p: re.Match, at=at) -> str:
            moved = edge_ends.moved_arrow(p.group(2), at)
            return p.group(1) + moved + p.group(3) if moved else p.group(0)
        edits.append((m.start("body"), m.end("body"), _POLYGON.sub(arrow, new)))
    for start, end, text in sorted(edits, reverse=True):
        svg = svg[:start] + text + svg[end:]
    return svg


def _at(corners: list, end: tuple) -> bool:
    return any(abs(x - end[0]) < 1.5 and abs(y - end[1]) < 1.5 for x, y in corners)


def entity_ink(body: str) -> list:
    """An entity's lines: its rects, polygons, paths, lines and ellipses."""
    segs = [(s[4], s[5]) for s in outline(body)]
    for cx, cy, rx, ry in _ELLIPSE.findall(body):
        segs += edge_ends.ellipse(float(cx), float(cy), float(rx), float(ry))
    return segs
