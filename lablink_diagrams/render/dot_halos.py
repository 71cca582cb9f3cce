"""Graphviz texts that stay struck, lifted above the lines with a halo of the colour under them
(a cluster title on a patch as well).

After the titles and labels have moved where they could (cluster_titles.py, dot_labels.py),
some have no clear spot: a label too wide for the room beside its edge, a title whose band
edges cross everywhere (review 19: struck titles in 12 of 18 architecture figures, labels
under cluster borders in 7). Where only lines run through such a text (edges, cluster
borders), it is drawn last, outlined in the fill under it (geometry.halo), so the lines
stop at its letters and show between them. A text that a node, an arrowhead or another text
overlaps stays as it is: a halo would cut into those. A title also sits on a patch of its
cluster's fill the size of its ink: with a halo only, an edge showed between its letters and
read as striking it (review 49: six of ten figures). It keeps off borders (a title sits in
its band, under its frame's top), and a title that an edge runs along gets none: the edge
would seem to end at the frame (review 21). A label across a border does not get one, since
a patch there would punch a hole in the border (review 20). Pure functions; layout points, y up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import dot_labels, edge_labels
from .cluster_titles import TITLE_PAD, title_box
from .dot_labels import text_lines
from .geometry import Box, fills_across, halos_across, inside_length, overlaps, shifted_box, svg_rect

_TEXT = re.compile(r'<text [^>]*?x="(?P<x>-?[\d.]+)" y="(?P<y>-?[\d.]+)"[^>]*>[^<]*</text>\n?')
_WHITE = "#ffffff"
INK_PAD = 1.5  # points a title's patch reaches past its ink
ALONG = 2.0  # an edge longer than this many heights under a title runs along it: no patch


@dataclass(frozen=True)
class Halo:
    """One struck text: its lines' anchors (as dot placed them), the fill under it, and
    for a text across a cluster's border, each such cluster's fill and box: the halo
    takes that fill inside the box (review 24: a white halo showed as a blotch on the
    tinted strip of the frame a label straddled)."""
    anchors: tuple[tuple[float, float], ...]
    fill: str
    regions: tuple[tuple[str, Box], ...] = ()
    patch: Box | None = None  # a title's ink box, layout points: the edges under it hidden


def halos(layout: dict, sides: dict[str, str], moves: list) -> list[Halo]:
    """The edge labels that did not move (``moves`` as dot_labels.label_moves gives them)
    and the cluster titles left where the template put them (not in ``sides``) that only
    lines still run through.

    >>> edge = {"_draw_": [{"op": "b", "points": [[50, 0], [50, 60], [50, 140], [50, 200]]}],
    ...         "_ldraw_": [{"op": "F", "size": 14}, {"op": "T", "pt": [90, 90], "align": "c", "width": 60}]}
    >>> cluster = {"name": "cluster_a", "bb": "0,0,300,100", "fillcolor": "#f7f9fc", "_ldraw_": []}
    >>> [(h.fill, h.regions) for h in halos({"objects": [cluster], "edges": [edge]}, {}, [])]  # across the border
    [('#ffffff', (('#f7f9fc', (0.0, 0.0, 300.0, 100.0)),))]
    >>> halos({"objects": [cluster], "edges": [edge]}, {}, [([(90.0, 90.0)], 0.0, -16.0)])  # moved clear instead
    []
    """
    objects = layout.get("objects", ())
    clusters = [o for o in objects if str(o.get("name", "")).startswith("cluster") and "bb" in o
                and "invis" not in str(o.get("style", ""))]
    labels, lines, fixed, _ = dot_labels.scene(layout, sides)
    shift = {(round(x, 1), round(y, 1)): (dx, dy) for anchors, dx, dy in moves for x, y in anchors}
    found = [shift.get((round(a[0][0], 1), round(a[0][1], 1))) for _, a in labels]
    out = []
    for i in edge_labels.lifted([l for l, _ in labels], lines, fixed, found):
        label, anchors = labels[i]
        out.append(Halo(tuple(anchors), *_fills_across(clusters, label.box)))
    # titles left where the template put them, that only edges' curves run through
    curves = [s for line in lines for s in line]
    solid = [b for b in fixed if len(b) < 6]  # nodes, arrowheads, titles
    solid += [shifted_box(l.box, *(m or (0.0, 0.0))) for (l, _), m in zip(labels, found)]
    for c in clusters:
        ops = c.get("_ldraw_", ())
        texts = [op for op in ops if op.get("op") == "T"]
        if not texts or c["name"] in sides:
            continue
        size = next((float(op["size"]) for op in ops if op.get("op") == "F"), 14.0)
        x1, _, x2, _ = (float(v) for v in c["bb"].split(","))
        box = title_box(texts, size, x1, x2, "l")
        ink = _ink(box, texts, size)
        if any(overlaps(ink, s) for s in curves) and not any(overlaps(ink, b) for b in solid if b != box):
            lines_of = text_lines([{"op": "F", "size": size}, *texts])
            across = all(inside_length(line, ink) <= ALONG * (ink[3] - ink[1]) for line in lines)
            out.append(Halo(tuple(p for p, _ in lines_of), c.get("fillcolor") or _WHITE, patch=ink if across else None))
    return out


def apply(svg: str, found: list[Halo]) -> str:
    """Move each halo's texts to the end of the drawing, each line outlined in its fill.

    >>> svg = ('<svg><g id="graph0" class="graph">\\n<g id="clust1"><text text-anchor="middle" x="90" y="-96">1. go</text>\\n</g>\\n'
    ...        '<path d="M50,0C50,-60 50,-140 50,-200"/>\\n</g>\\n</svg>')
    >>> out = apply(svg, [Halo(((90.0, 96.0),), "#f7f9fc")])
    >>> out.index("<path") < out.index('class="lablink-halos"') < out.index("1. go")
    True
    >>> titled = apply(svg, [Halo(((90.0, 96.0),), "#f7f9fc", patch=(60.0, 92.0, 120.0, 108.0))])  # a title: on its patch
    >>> re.findall(r'<rect [^>]*/>', titled), titled.index("<rect") < titled.index("1. go")
    (['<rect x="60" y="-108" width="60" height="16" fill="#f7f9fc" stroke="none"/>'], True)
    >>> re.findall(r' stroke="(#\\w+)" stroke-width', out)
    ['#f7f9fc']
    """
    if not found:
        return svg
    wanted = {(round(x, 1), round(-y, 1)) for h in found for x, y in h.anchors}
    lifted: dict[tuple[float, float], str] = {}

    def cut(m: re.Match) -> str:
        key = (round(float(m["x"]), 1), round(float(m["y"]), 1))
        if key in wanted and key not in lifted:
            lifted[key] = m.group(0).rstrip("\n")
            return ""
        return m.group(0)
    svg = _TEXT.sub(cut, svg)
    parts = ['<g class="lablink-halos">']
    for k, h in enumerate(found):
        texts = [lifted.get((round(x, 1), round(-y, 1))) for x, y in h.anchors]
        if all(texts):  # region boxes in the SVG's coordinates: y negated, as dot writes them
            regions = [(fill, (x1, -y2, x2, -y1)) for fill, (x1, y1, x2, y2) in h.regions]
            if h.patch:
                x1, y1, x2, y2 = h.patch  # layout points, y up
                parts.append(svg_rect((x1, -y2, x2, -y1), f'fill="{h.fill}" stroke="none"'))
            parts.append(halos_across(texts, h.fill, regions, f"lablink-halo-{k}-"))
    parts.append("</g>\n")
    end = svg.rfind("</g>")
    return svg[:end] + "\n".join(parts) + svg[end:] if end >= 0 else svg


def _ink(box: Box, texts: list[dict], size: float) -> Box:
    """A title's ink and INK_PAD round it: DejaVu's descent (0.24 em) under the lowest
    baseline, its ascent (0.76 em) over the highest; across, the title box less its pad."""
    ys = [float(t["pt"][1]) for t in texts]
    inset = TITLE_PAD - INK_PAD
    return (box[0] + inset, min(ys) - 0.24 * size - INK_PAD, box[2] - inset, max(ys) + 0.76 * size + INK_PAD)


def _fills_across(clusters: list[dict], box: Box) -> tuple[str, tuple[tuple[str, Box], ...]]:
    """geometry.fills_across over the clusters' boxes (layout points, y up)."""
    frames = [(tuple(float(v) for v in c["bb"].split(",")), c.get("fillcolor") or _WHITE) for c in clusters]
    return fills_across(frames, box, _WHITE)
