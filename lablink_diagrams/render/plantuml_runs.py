"""PlantUML links that run side by side, set apart (edge_runs.py) in the SVG."""
from __future__ import annotations

import re

from . import edge_ends, edge_runs, edge_swaps
from .geometry import svg_number
from .plantuml_ends import ENTITY_WITH_ID, LINK_WITH_ENDS, entity_ink
from .plantuml_labels import outline
from .plantuml_titles import CLUSTER, TEXT, text_box

_CURVE = re.compile(r'(<path d=")(M[-\d.]+,[-\d.]+(?: C[-\d.]+,[-\d.]+ [-\d.]+,[-\d.]+ [-\d.]+,[-\d.]+)+)(")')


def links(svg: str) -> list[tuple[re.Match, re.Match, list]]:
    """Each link drawn as one cubic path: its match, its path's match, its control points."""
    out = []
    for m in LINK_WITH_ENDS.finditer(svg):
        path = _CURVE.search(m.group("body"))
        if path:
            nums = [float(v) for v in edge_ends.NUM.findall(path.group(2))]
            out.append((m, path, list(zip(nums[::2], nums[1::2]))))
    return out


def side_by_side(svg: str) -> list[tuple[str, str]]:
    """The ids of the links that run as one (edge_runs.side_by_side)."""
    found = links(svg)
    pairs = edge_runs.side_by_side([c for _, _, c in found], [(m.group("a"), m.group("b")) for m, _, _ in found])
    return [(_id(found[i][0]), _id(found[j][0])) for i, j in pairs]


def _tips(body: str, ctrl: list) -> tuple[bool, bool]:
    """Whether an arrowhead (a polygon of the link) sits at the curve's start, at its end."""
    points = [(float(x), float(y)) for poly in re.findall(r'<polygon [^>]*points="([^"]+)"', body)
              for x, y in zip(*[iter(edge_ends.NUM.findall(poly))] * 2)]
    return tuple(any(abs(x - e[0]) + abs(y - e[1]) < 16 for x, y in points) for e in (ctrl[0], ctrl[-1]))


def _id(m: re.Match) -> str:
    return re.search(r' id="([^"]+)"', m.group(0)).group(1)


def apart(svg: str) -> str:
    """The SVG with each pair of links that run side by side, and each link that runs
    along a frame's border, set GAP apart.

    >>> link = '<g class="link" data-entity-1="e{}" data-entity-2="e{}" id="l{}"><path d="{}" fill="none"/></g>'
    >>> a = link.format(1, 2, 1, "M0,0 C0,30 0,60 0,90 C0,120 0,150 0,180")
    >>> b = link.format(3, 4, 2, "M30,0 C10,30 3,60 3,90 C3,120 10,150 30,180")
    >>> re.findall(r'<path d="([^"]+)"', apart("<svg>" + a + b + "</svg>"))  # b steps off a, ends kept
    ['M0,0 C0,30 0,60 0,90 C0,120 0,150 0,180', 'M30,0 C10,30 9.981,60 9.981,90 C9.981,120 10,150 30,180']
    >>> frame = '<g class="cluster"><rect x="4" y="-100" width="200" height="400" fill="#FFF"/></g>'
    >>> c = link.format(5, 6, 3, "M0,0 C0,40 0,80 0,120 C0,160 0,200 0,240")  # 4 outside a frame's side
    >>> re.findall(r'<path d="([^"]+)"', apart("<svg>" + frame + c + "</svg>"))  # one link: it steps off
    ['M0,0 C0,40 -10,80 -10,120 C-10,160 0,200 0,240']
    """
    found = links(svg)
    if not found:
        return svg
    ink = [seg for m in ENTITY_WITH_ID.finditer(svg) for seg in entity_ink(m.group("body"))]
    borders = [[(s[4], s[5]) for s in outline(m.group("body"))] for m in CLUSTER.finditer(svg)]
    ink += [seg for border in borders for seg in border]
    # edge labels are no obstacle: plantuml_labels moves those a line strikes, after this
    texts = [text_box(t) for t in TEXT.finditer(LINK_WITH_ENDS.sub("", svg))]
    curves, nodes = [c for _, _, c in found], [(m.group("a"), m.group("b")) for m, _, _ in found]
    # two links out of one node that cross at a glancing angle near it first swap their first stretches
    swapped = edge_swaps.uncross(curves, nodes, [_tips(m.group("body"), c) for m, _, c in found], ink, texts)
    curves = [swapped.get(k, c) for k, c in enumerate(curves)]
    moved = {**swapped, **edge_runs.separate(curves, nodes, ink, texts, [b for b in borders if b])}
    for k in sorted(moved, key=lambda k: -found[k][0].start()):
        m, path, _ = found[k]
        pts = [f"{svg_number(x)},{svg_number(y)}" for x, y in moved[k]]
        d = "M" + pts[0] + "".join(" C" + " ".join(pts[i:i + 3]) for i in range(1, len(pts), 3))
        at = m.start("body") + path.start(2)
        svg = svg[:at] + d + svg[m.start("body") + path.end(2):]
    return svg
