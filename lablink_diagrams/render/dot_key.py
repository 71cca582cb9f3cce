"""A compact figure's key set where it costs the figure least print size.

With ``--compact`` the edges carry only their numbers and a key lists the labels. The key
is one node, and dot gives it a rank: main's 17 lines made its top rank 5.4 in tall, so
the figure printed at 6.1 pt, smaller than without ``--compact`` (6.7). So the renderer
lays the graph out without the key, lays the key out alone, in one column and in two,
and sets it where the whole prints largest in the preset's print area: in a free corner
of the drawing (under the title band, clear of every frame, node, edge and label), else
beside it on the right, else under it; or leaves it where dot put it, if that prints as
large (cicd-workflow: dot set it in the last rank of a left-to-right figure, where it
cost nothing). The title is centred again over a wider canvas.
Pure functions on the layout (points, y up) and the SVG; the dot runs stay in graphviz.py.
"""
from __future__ import annotations

import re

from . import key_spot
from .cluster_titles import edge_boxes, node_box
from .dot_labels import text_lines
from .geometry import Box, svg_number

# the key as templates/dot/architecture.j2 writes it: one statement, and its rank line
_KEY = re.compile(r'^  "key" \[shape=plaintext[^\n]*\n(?:    <TR>[^\n]*\n)+  </TABLE>>\];\n'
                  r'(?:  \{ rank=sink; "key"; \}\n)?', re.M)
_ROW = re.compile(r"    <TR>(<TD\b[^>]*>.*?</TD>)</TR>")
_TD = re.compile(r"^<TD\b[^>]*>")
_NODE_DEFAULTS = re.compile(r"^  node \[[^\n]*\];$", re.M)
_SPACER = '<TD WIDTH="24"></TD>'  # points between a two-column key's columns
_EDGE = '<TD WIDTH="6"></TD>'  # points after its lines


def scale(drawing: Box, area: tuple[float, float], pad: float) -> float:
    """How much a drawing of this box (points) with ``pad`` around it shrinks to fit ``area``
    (inches); 1.0 where it fits at its natural size.

    >>> scale((0, 0, 1008, 648), (7, 9), 0)
    0.5
    """
    return key_spot.fit(drawing, (area[0] * 72, area[1] * 72), pad)


def split(source: str) -> tuple[str, str | None]:
    """The source without its key, and the key's statement (None if it has none).

    >>> src = 'digraph g {\\n  "key" [shape=plaintext, label=<<TABLE>\\n    <TR><TD>1. a</TD></TR>\\n  </TABLE>>];\\n  { rank=sink; "key"; }\\n  a -> b\\n}\\n'
    >>> split(src)[0]
    'digraph g {\\n  a -> b\\n}\\n'
    >>> split("digraph g {\\n  a -> b\\n}\\n")[1] is None
    True
    """
    m = _KEY.search(source)
    if not m:
        return source, None
    return source[:m.start()] + source[m.end():], m.group(0)


def key_source(source: str, key: str, columns: int) -> str:
    """A graph of the key alone, in ``columns`` columns (read down, then across), with the
    figure's node defaults (its font).

    >>> key = '  "key" [shape=plaintext, label=<<TABLE>\\n    <TR><TD>1. a</TD></TR>\\n    <TR><TD>2. b</TD></TR>\\n    <TR><TD>3. c</TD></TR>\\n  </TABLE>>];\\n'
    >>> print(key_source('  node [fontname="X"];\\n', key, 2), end="")
    digraph key {
      graph [pad=0];
      node [fontname="X"];
      "key" [shape=plaintext, label=<<TABLE>
        <TR><TD>1. a</TD><TD WIDTH="24"></TD><TD>3. c</TD><TD WIDTH="6"></TD></TR>
        <TR><TD>2. b</TD><TD WIDTH="24"></TD><TD></TD><TD WIDTH="6"></TD></TR>
      </TABLE>>];
    }
    """
    defaults = _NODE_DEFAULTS.search(source)
    rows = _ROW.findall(key)
    if columns > 1 and rows:
        if columns == 2:  # two columns break between entries (an entry's wrapped rows are hung on a space)
            n = key_spot.column_break([key_spot.hung(_TD.sub("", r, count=1)) for r in rows])
            cols = [rows[:n], rows[n:]]
        else:
            n = -(-len(rows) // columns)
            cols = [rows[i * n:(i + 1) * n] for i in range(columns)]
        empty = re.sub(r">.*</TD>$", "></TD>", rows[0], flags=re.S)
        # a spacer cell between the columns: without it the longest line of one ran on into
        # the other's (review 47: vm-provisioning's "... + rows 17. phase 2", 13 px apart)
        lines = ["    <TR>" + _SPACER.join(c[r] if r < len(c) else empty for c in cols) + "</TR>"
                 for r in range(max(map(len, cols)))]
        head, tail = key.split("\n", 1)[0], key.rsplit("\n  </TABLE>", 1)[1]
        key = head + "\n" + "\n".join(lines) + "\n  </TABLE>" + tail
    # and one after the last: dot measures text narrower than rsvg-convert draws it, so the
    # longest line touched the key's right border (review 47)
    key = key.replace("</TD></TR>", "</TD>" + _EDGE + "</TR>").replace('  { rank=sink; "key"; }\n', "")
    return "digraph key {\n  graph [pad=0];\n" + (defaults.group(0) + "\n" if defaults else "") + key + "}\n"


def size(layout: dict) -> tuple[float, float]:
    """The key's width and height in points, from its graph's -Tjson layout."""
    x1, y1, x2, y2 = (float(v) for v in layout["bb"].split(","))
    return x2 - x1, y2 - y1


def place(layout: dict, sizes: list[tuple[float, float]], area: tuple[float, float], pad: float) -> key_spot.Spot:
    """key_spot.best over the layout (points, y up; the spot's boxes come back so), for the
    key in each layout of ``sizes``, in ``area`` (inches).

    >>> node = {"name": "a", "pos": "50,50", "width": "1", "height": "1"}
    >>> graph = {"bb": "0,0,400,300", "objects": [node], "edges": [], "_ldraw_": []}
    >>> spot = place(graph, [(100, 120)], (7, 9), 21.6)
    >>> spot.place, spot.box  # the drawing's right part is empty: under the top, at the right
    ('top right', (300.0, 162.0, 400.0, 282.0))
    """
    x1, y1, x2, y2 = (float(v) for v in layout["bb"].split(","))
    boxes: list = []
    for o in layout.get("objects", ()):
        if str(o.get("name", "")).startswith("cluster") and "bb" in o:
            if "invis" not in str(o.get("style", "")):
                boxes.append(tuple(float(v) for v in o["bb"].split(",")))
        elif "pos" in o and "width" in o:
            boxes.append(node_box(o))
    for e in layout.get("edges", ()):
        boxes += edge_boxes(e)
    title = [b for _, b in text_lines(layout.get("_ldraw_", ()))]
    top = min((b[1] for b in title), default=y2)
    if title:  # the title band spans the width (a key GAP under it touches it: that is free)
        boxes.append((x1, top + 1, x2, y2))
    spot = key_spot.best((x1, -y2, x2, -y1), -top, [_flip(b) for b in boxes], sizes, (area[0] * 72, area[1] * 72), pad)
    return key_spot.Spot(spot.columns, _flip(spot.box), _flip(spot.drawing), spot.place, spot.scale)


def _flip(o: tuple) -> tuple:
    """A box or segment (geometry.segment) mirrored in y: the layout's y up, key_spot's y down."""
    a, b, c, d = o[:4]
    return (a, -d, c, -b, *((p[0], -p[1]) for p in o[4:]))


_ROOT = re.compile(r'<svg width="(?P<w>[\d.]+)pt" height="(?P<h>[\d.]+)pt"\s+viewBox="(?P<vb>[^"]+)"')
_GRAPH = re.compile(r'<g id="graph0" class="graph" transform="scale\(1 1\) rotate\(0\) translate\((?P<tx>[-\d.]+) (?P<ty>[-\d.]+)\)">')
_BACKGROUND = re.compile(r'<polygon fill="white" stroke="transparent" points="[^"]*"/>')
_TITLE_TEXT = re.compile(r'<text text-anchor="start" x="(?P<x>[-\d.]+)"')
_KEY_NODE = re.compile(r'<g id="node\d+" class="node">\n<title>key</title>\n(?P<body>.*?)</g>\n', re.S)


def apply(svg: str, placement: key_spot.Spot, key_svg: str, layout_bb: str) -> str:
    """The figure's SVG with the key drawn where ``placement`` says, the canvas grown to
    hold it and the title centred over the canvas."""
    body = _KEY_NODE.search(key_svg)
    root, graph = _ROOT.search(svg), _GRAPH.search(svg)
    if not (body and root and graph):
        return svg
    x1, y1, x2, y2 = (float(v) for v in layout_bb.split(","))
    nx1, ny1, nx2, ny2 = placement.drawing
    tx, ty = float(graph["tx"]), float(graph["ty"])
    pad_x, pad_y = tx - x1, ty - y2  # dot's pad: graph0 maps layout (x, y) to (x + tx, ty - y)
    w, h = (nx2 - nx1) + 2 * pad_x, (ny2 - ny1) + 2 * pad_y
    ntx, nty = pad_x - nx1, pad_y + ny2
    dx_title = (nx1 + nx2 - x1 - x2) / 2
    kx1, _, _, ky2 = placement.box
    key = (f'<g id="key" class="node" transform="translate({svg_number(kx1)} {svg_number(-ky2 - _key_top(key_svg))})">\n'
           f'<title>key</title>\n{body.group("body")}</g>\n')
    head, rest = svg[:graph.end()], svg[graph.end():]
    head = head[:root.start()] + (f'<svg width="{w:.0f}pt" height="{h:.0f}pt"\n'
                                  f' viewBox="0.00 0.00 {w:.2f} {h:.2f}"') + head[root.end():]
    head = _GRAPH.sub(f'<g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate({ntx:.2f} {nty:.2f})">', head)
    points = f"{-ntx:.2f},{h - nty:.2f} {-ntx:.2f},{-nty:.2f} {w - ntx:.2f},{-nty:.2f} {w - ntx:.2f},{h - nty:.2f} {-ntx:.2f},{h - nty:.2f}"
    rest = _BACKGROUND.sub(f'<polygon fill="white" stroke="transparent" points="{points}"/>', rest, count=1)
    if dx_title:  # the title: graph0's own texts, before its first group
        cut = rest.find("<g ")
        rest = _TITLE_TEXT.sub(lambda m: f'<text text-anchor="start" x="{float(m["x"]) + dx_title:.2f}"', rest[:cut]) + rest[cut:]
    end = rest.rfind("</g>")
    return head + rest[:end] + key + rest[end:]


def _key_top(key_svg: str) -> float:
    """The key graph's top edge in its own SVG coordinates (its bb's top, y negated)."""
    m = re.search(r'<polygon fill="white" stroke="transparent" points="[-\d.]+,[-\d.]+ [-\d.]+,(?P<top>[-\d.]+)', key_svg)
    return float(m["top"]) if m else 0.0
