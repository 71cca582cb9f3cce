"""A compact PlantUML figure's key (its legend) moved where the figure prints largest, in the SVG.

PlantUML sets ``legend right`` under the drawing, at its right end, and grows the canvas
by the whole legend: vm-provisioning's 30 lines made the figure a third taller, with its
left part empty. The legend is a box and one text per line, so it can move and flow into
two columns; key_spot.py picks the spot and the layout (a free corner first), and the
canvas takes the drawing's size again plus what the key needs. Pure functions on the SVG.
"""
from __future__ import annotations

import html
import re

from . import key_spot
from .font_widths import advance
from .geometry import Box, polylines, svg_number
from .plantuml_titles import CLUSTER, ROOT, TEXT, TITLE, entity_boxes, link_boxes, resized, text_box, text_of, text_width, title_moved

_LEGEND = re.compile(r'<g class="legend"[^>]*>(?P<body>.*?)</g>', re.S)
_RECT = re.compile(r'<rect x="(?P<x>[-\d.]+)" y="(?P<y>[-\d.]+)" width="(?P<w>[\d.]+)" height="(?P<h>[\d.]+)"')
_NUM = re.compile(r"-?\d+(?:\.\d+)?")
# ems between a two-column key's columns: at 24 px (1.3 em) a wrapped entry's end read on
# into the next column's number ("… missing 14. GET", review 83)
_COLUMN_GAP_EM = 2.0
_INSET_EM = 0.5  # ems of air between the key's ink and its border, either side (_inset)
_PX_PER_INCH = 96
_MARGIN = 14.0  # px PlantUML leaves under a drawing


def place(svg: str, area: tuple[float, float]) -> str:
    """The SVG with its legend where the figure prints largest in ``area`` (inches); an SVG
    without a legend as it was.

    >>> node = '<g class="entity"><rect x="10" y="60" width="100" height="300" fill="#fff"/></g>'
    >>> legend = ('<g class="legend"><rect x="300" y="380" width="80" height="50" fill="none"/>'
    ...           '<text x="305" y="400" fill="#000" font-size="19" textLength="60" font-family="x">1. go</text>'
    ...           '<text x="305" y="422" fill="#000" font-size="19" textLength="70" font-family="x">2. back</text></g>')
    >>> svg = ('<svg style="width:390px;height:440px;background:#FFFFFF;" width="390px" height="440px" '
    ...        'viewBox="0 0 390 440">' + node + '<g class="link"><path d="M110,80 L300,80"/></g>' + legend + '</svg>')
    >>> out = place(svg, (7, 9))  # the drawing's free bottom right: the canvas shrinks to the drawing
    >>> re.search(r'viewBox="([^"]+)"', out).group(1), re.search(r'<rect x="([\\d.]+)" y="([\\d.]+)" width="89"', out).groups()
    ('0 0 310 370', ('211', '307.37'))
    >>> re.findall(r'<text x="([\\d.]+)"', out)  # half an em in from the border (PlantUML's 5 px was too close)
    ['220.5', '220.5']
    >>> place("<svg><g class='entity'/></svg>", (7, 9))
    "<svg><g class='entity'/></svg>"
    """
    legend, root = _LEGEND.search(svg), ROOT.search(svg)
    if not legend or not root:
        return svg
    body = legend.group("body")
    rect, texts = _RECT.search(body), list(TEXT.finditer(body))
    if not rect or len(texts) < 2:
        return svg
    lx, ly, _, lh = (float(rect[k]) for k in ("x", "y", "w", "h"))
    rest = svg[:legend.start()] + svg[legend.end():]
    frames = [_extent(m.group("body")) for m in CLUSTER.finditer(rest)]
    obstacles = entity_boxes(rest) + link_boxes(rest) + [f for f in frames if f]
    title = [text_box(t) for m in TITLE.finditer(rest) for t in TEXT.finditer(m.group("body"))]
    things = obstacles + title
    drawing = (min(o[0] for o in things), min(o[1] for o in things), max(o[2] for o in things), max(o[3] for o in things))
    pad = max(drawing[0], 0.0)  # PlantUML's margin round the drawing
    top = max((t[3] for t in title), default=drawing[1])
    if title:  # the title band spans the width (a key GAP under it touches it: that is free)
        obstacles.append((drawing[0], drawing[1], drawing[2], top - 1))
    lh += _below(texts, ly, lh)
    columns = _columns(texts, lx, ly, lh)
    sizes = [(_one_column_width(texts), lh), columns[0]]
    # PlantUML centres a narrow drawing over its legend, so the left margin can be 100+ px;
    # under the drawing only PlantUML's own margin is kept (main's compact key sat on 111 px)
    below = min(pad, _MARGIN)
    # the canvas grows right and down only (its origin stays): a key stands out to the right alone
    spot = key_spot.best(drawing, top, obstacles, sizes, (area[0] * _PX_PER_INCH, area[1] * _PX_PER_INCH),
                         (pad, (max(drawing[1], 0.0) + below) / 2), out=("right",))
    moved = _moved(body, texts, (lx, ly), spot, columns[1])
    w, h = spot.drawing[2] + pad, spot.drawing[3] + below
    out = svg[:legend.start("body")] + moved + svg[legend.end("body"):]
    dx = (w - float(root["w"])) / 2  # the title stays centred over the canvas
    if abs(dx) >= 0.5:
        out = title_moved(out, dx)
    return resized(out, round(w), round(h))


def _columns(texts: list, lx: float, ly: float, lh: float) -> tuple[tuple[float, float], list]:
    """The key in two columns (read down, then across): its size, and each line's offset
    from the key's top left."""
    top = float(texts[0]["y"]) - ly
    pitch = (float(texts[-1]["y"]) - float(texts[0]["y"])) / (len(texts) - 1)
    bottom = lh - (float(texts[-1]["y"]) - ly)
    n = key_spot.column_break([_hung(t) for t in texts])
    inset, after = _inset(texts[:n])[0], _inset(texts)[1]
    left = max(text_width(t) for t in texts[:n])
    right = max((text_width(t) for t in texts[n:]), default=0.0)
    gap = _COLUMN_GAP_EM * float(texts[0]["size"])
    offsets = [(inset + (0 if i < n else left + gap), top + (i if i < n else i - n) * pitch)
               for i in range(len(texts))]
    rows = max(n, len(texts) - n)
    return (inset + left + gap + right + after, top + (rows - 1) * pitch + bottom), offsets


def _inset(texts: list) -> tuple[float, float]:
    """Room between the key's border and the ink of its (first column's) lines, left and right:
    half an em either side. PlantUML's 5 px put a two-digit number's "1" and the longest
    line's end about 0.4 mm from the border in print (reviews 102 and 108: cicd's key text
    1 mm from it, data-collection's "10." on it). A line's leading spaces (the figure space
    before a one-digit number) count as room on the left: where every line has one, the
    lines start at the border (blind review 109 preferred main's key as it was to one with
    the half em added before its figure spaces).

    >>> t = list(TEXT.finditer('<text x="105" y="20" font-size="19" textLength="80">\u20071. a</text>'
    ...                        '<text x="105" y="42" font-size="19" textLength="60">10. b</text>'))
    >>> _inset(t), _inset(t[:1])  # "10." starts at the ink; "1." after a figure space 10.9 px wide
    ((9.5, 9.5), (0.0, 9.5))
    """
    em = float(texts[0]["size"])
    return max(0.0, _INSET_EM * em - min(_lead(t) for t in texts)), _INSET_EM * em


def _below(texts: list, ly: float, lh: float) -> float:
    """How much taller the key must be for as much air under its last line's descenders as
    over its first line's capitals: PlantUML leaves 5 px under the descenders and about
    9 over the capitals (blind review 110: "the last line sits 6-10 px above the bottom edge,
    against 11-15 px at the top"). DejaVu's capitals are 1493 and its descenders 483 font
    units of 2048.

    >>> t = list(TEXT.finditer('<text x="5" y="22.6" font-size="19" textLength="80">1. a</text>'
    ...                        '<text x="5" y="44.7" font-size="19" textLength="60">2. b</text>'))
    >>> round(_below(t, 0, 54.2), 2)  # 8.75 over the capitals, 5.02 under the descenders
    3.73
    """
    em = float(texts[0]["size"])
    over = float(texts[0]["y"]) - ly - 1493 / 2048 * em
    under = ly + lh - float(texts[-1]["y"]) - 483 / 2048 * em
    return max(0.0, over - under)


def _lead(text: re.Match) -> float:
    """The width of a line's leading spaces, in px (PlantUML sums the font's advances)."""
    line = html.unescape(text_of(text))
    return advance(line[:len(line) - len(line.lstrip(" \u2007\u2008"))]) * float(text["size"])


def _one_column_width(texts: list) -> float:
    """The key's width in one column: its longest line with the insets either side.

    >>> t = list(TEXT.finditer('<text x="105" y="20" font-size="19" textLength="80">1. a</text>'
    ...                        '<text x="105" y="42" font-size="19" textLength="60">2. b</text>'))
    >>> _one_column_width(t)  # 9.5 + 80 + 9.5
    99.0
    """
    left, right = _inset(texts)
    return left + max(text_width(t) for t in texts) + right


def _hung(text: re.Match) -> bool:
    """Is the text (an opening tag's match) a wrapped entry's later line?"""
    return key_spot.hung(text_of(text))


def _moved(body: str, texts: list, origin: tuple[float, float], spot: key_spot.Spot, offsets: list) -> str:
    """The legend's box and lines at the spot, in its layout."""
    bx, by, bx2, by2 = spot.box
    lx, ly = origin
    out, at = [], 0
    rect = _RECT.search(body)
    out.append(body[:rect.start()] + f'<rect x="{svg_number(bx)}" y="{svg_number(by)}" width="{svg_number(bx2 - bx)}" '
               f'height="{svg_number(by2 - by)}"')
    at = rect.end()
    inset = _inset(texts)[0]
    for i, t in enumerate(texts):
        if spot.columns == 1:  # PlantUML's lines, at the inset
            x, y = bx + inset + float(t["x"]) - float(texts[0]["x"]), float(t["y"]) - ly + by
        else:
            x, y = bx + offsets[i][0], by + offsets[i][1]
        out.append(body[at:t.start()] + re.sub(r'<text x="[-\d.]+" y="[-\d.]+"', f'<text x="{svg_number(x)}" y="{svg_number(y)}"',
                                               t.group(0), count=1))
        at = t.end()
    out.append(body[at:])
    return "".join(out)


def _extent(body: str) -> Box | None:
    """The box round a group's shapes and texts (a frame: what a key must not sit in)."""
    pts: list = []
    for m in _RECT.finditer(body):
        x, y, w, h = (float(m[k]) for k in ("x", "y", "w", "h"))
        pts += [(x, y), (x + w, y + h)]
    for d in re.findall(r'<path d="([^"]+)"', body):
        pts += [p for line in polylines(d) for p in line]
    for poly in re.findall(r'<polygon points="([^"]+)"', body):
        xy = [float(v) for v in _NUM.findall(poly)]
        pts += list(zip(xy[0::2], xy[1::2]))
    for t in TEXT.finditer(body):
        b = text_box(t)
        pts += [b[:2], b[2:]]
    if not pts:
        return None
    return (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))
