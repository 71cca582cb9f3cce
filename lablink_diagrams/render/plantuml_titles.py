"""PlantUML cluster titles moved off the edges that cross them, in the SVG.

PlantUML centres a node's or rectangle's title and puts a frame's in a tab at the
top left, whatever runs through that spot; reviewers found edges striking titles in
most architecture figures. The SVG is what PDF and PNG are made from (rsvg-convert),
so moving a title's ``<text>`` (and a frame's tab) there moves it everywhere. A title
moves only to a free spot (left, right or middle of its cluster's top band); a title
about as wide as its cluster has none and stays. Pure functions on the SVG text.
"""
from __future__ import annotations

import html
import math
import re

from . import font_widths
from .geometry import grow, halo, inside_length, overlaps, polylines, segment, svg_number, svg_rect, union

CLUSTER = re.compile(r'<g class="cluster"[^>]*>(?P<body>.*?)</g>', re.S)
LINK = re.compile(r'<g class="link"[^>]*>(?P<body>.*?)</g>', re.S)
_ENTITY = re.compile(r'<g class="entity"[^>]*>(?P<body>.*?)</g>', re.S)
# PlantUML gives a text its width (textLength) unless it is one character: a compact
# figure's step numbers 1-9 (then text_width measures it)
TEXT = re.compile(r'<text x="(?P<x>[-\d.]+)" y="(?P<y>[-\d.]+)"[^>]*?font-size="(?P<size>[\d.]+)"'
                  r'(?:[^>]*?textLength="(?P<w>[\d.]+)"|)[^>]*>')
_TAB = re.compile(r'<path d="M(?P<x>[-\d.]+),(?P<top>[-\d.]+) L[-\d.]+,(?P<y1>[-\d.]+) L[-\d.]+,(?P<y2>[-\d.]+) '
                  r'L(?P<left>[-\d.]+),[-\d.]+"')
_FOLDER = re.compile(r'<path d="(?P<d>M[^"]+)"[^>]*/><line x1="(?P<lx1>[-\d.]+)" y1="(?P<ly>[-\d.]+)" '
                     r'x2="(?P<lx2>[-\d.]+)" y2="(?P=ly)"')
_NUM = re.compile(r"-?\d+(?:\.\d+)?")
VIEWBOX = re.compile(r'viewBox="(?P<x>[-\d.]+) (?P<y>[-\d.]+) (?P<w>[\d.]+) (?P<h>[\d.]+)"')
# a PlantUML SVG's size, written three times on its root, and its title (the diagram's, not a cluster's)
ROOT = re.compile(r'style="width:(?P<w>[\d.]+)px;height:(?P<h>[\d.]+)px;(?P<rest>[^"]*)" width="[\d.]+px" '
                  r'height="[\d.]+px" viewBox="0 0 [\d.]+ [\d.]+"')
TITLE = re.compile(r'<g class="title"[^>]*>(?P<body>.*?)</g>', re.S)
_PAD = 3.0
INK_PAD = 1.5  # px a struck title's patch reaches past its ink
ALONG = 2.0  # a link longer than this many heights under a title runs along it: no patch (review 21)
STUB = 2.0  # ... and one that ends less than this many heights past it: no patch either
_INSET = 8.0  # a moved title's distance from its cluster's side


def place(svg: str) -> str:
    """The SVG with each struck cluster title moved to the first free spot.

    >>> frame = ('<g class="cluster"><rect x="0" y="0" width="300" height="200"/>'
    ...          '<path d="M100,0 L100,15 L90,25 L0,25" style="" fill="none"/>'
    ...          '<text x="3" y="18" fill="#000" font-size="19" textLength="90" font-family="x">a frame</text></g>')
    >>> link = '<g class="link"><path d="M40,-50 C40,0 40,50 40,100" style=""/></g>'
    >>> moved = place(frame + link)  # the edge runs down through x=40: the title goes right
    >>> re.search(r'<text x="([\\d.]+)"', moved).group(1), re.search(r'<path d="([^"]+)"', moved).group(1)
    ('207', 'M200,0 L200,15 L210,25 L300,25')
    >>> place(frame + link.replace("40", "250")) == frame + link.replace("40", "250")  # not struck: as it was
    True
    >>> folder = ('<g class="cluster"><path d="M4,0 L96,0 A6,6 0 0 1 100,4 L107,28 L296,28 L296,200 L0,200 L0,4 A4,4 0 0 1 4,0" '
    ...           'style=""/><line x1="0" y1="28" x2="107" y2="28" style=""/>'
    ...           '<text x="4" y="20" fill="#000" font-size="19" textLength="90" font-family="x">a package</text></g>')
    >>> moved = place(folder + link)  # a package's tab is one outline with its body: all of it is mirrored
    >>> re.search(r'<path d="([^"]+)"', moved).group(1)
    'M292,0 L200,0 A6,6 0 0 0 196,4 L189,28 L0,28 L0,200 L296,200 L296,4 A4,4 0 0 0 292,0'
    >>> re.search(r'<line x1="([\\d.]+)" y1="28" x2="([\\d.]+)"', moved).groups(), re.search(r'<text x="([\\d.]+)"', moved).group(1)
    (('296', '189'), '202')
    >>> two = frame.replace('</text>', '</text><text x="3" y="40" fill="#000" font-size="19" textLength="60" font-family="x">(each)</text>')
    >>> low = link.replace("M40,-50 C40,0 40,50", "M140,-50 C80,0 40,30")  # through the tab and both lines
    >>> re.findall(r'<text x="([\\d.]+)" y="(\\d+)"', place(two + low))  # both move (the second had stayed)
    [('207', '18'), ('207', '40')]
    """
    obstacles = link_boxes(svg) + entity_boxes(svg)
    clusters = list(CLUSTER.finditer(svg))
    titles = [_title(m.group("body")) for m in clusters]
    placed = {i: t["boxes"] for i, t in enumerate(titles) if t}  # where each title is now
    out, at = [], 0
    for i, (m, t) in enumerate(zip(clusters, titles)):
        if not t:
            continue
        others = obstacles + [b for j, boxes in placed.items() if j != i for b in boxes]

        def free(x: float) -> bool:
            return not any(overlaps(_shift(b, x - t["x"]), o) for b in t["boxes"] for o in others)

        here, *elsewhere = _spots(t)
        x = None if free(here) else next((s for s in elsewhere if free(s)), None)
        if x is None:  # not struck, or struck everywhere
            continue
        placed[i] = [_shift(b, x - t["x"]) for b in t["boxes"]]
        out.append(svg[at:m.start("body")])
        out.append(_moved(m.group("body"), t, x))
        at = m.end("body")
    out.append(svg[at:])
    return "".join(out)


def lift(svg: str) -> str:
    """Cluster titles still struck once everything has moved, by link lines only, drawn
    last on a patch of their cluster's fill the size of their ink (INK_PAD round it), so the
    lines pass under the words (as dot_halos.py does for DOT): with a halo only, the lines
    showed between the letters and read as striking them (review 49, six of nine figures
    with a struck title). A title that an arrowhead, a label or a node overlaps stays.
    A halo only, no patch, where a line runs along under the title (ALONG) or ends within
    STUB of it: a line into a node just under a frame's title vanished under the patch and
    its arrowhead stood alone (review 104: cicd's 16, under two titles; blind review 106
    preferred the halo in 3 of 5 figures, cicd's with medium confidence, and none the patch).

    >>> frame = ('<g class="cluster"><rect x="0" y="0" width="300" height="200" fill="#F7F9FC"/>'
    ...          '<text x="3" y="18" fill="#000" font-size="19" textLength="90" font-family="x">a frame</text></g>')
    >>> link = '<g class="link"><path d="M40,-50 C40,0 40,50 40,100" style=""/></g>'
    >>> out = lift("<svg><g>" + frame + link + "</g></svg>")
    >>> out.index('class="link"') < out.index('lablink-halos') < out.index("a frame</text>")
    True
    >>> re.findall(r' stroke="(#[0-9A-F]+)" stroke-width', out)
    ['#F7F9FC']
    >>> re.findall(r'<rect x="[^>]*stroke="none"/>', out)  # on a patch of its ink
    ['<rect x="1.5" y="1.3" width="93" height="22.95" fill="#F7F9FC" stroke="none"/>']
    >>> re.findall(r'<g clip-path="url[(]#lablink-tab-0[)]">(.*?)</g>', out)  # the frame's outline again, over the patch
    ['<rect x="0" y="0" width="300" height="200" fill="none"/>']
    >>> short = lift("<svg><g>" + frame + link.replace("40,50 40,100", "40,30 40,40") + "</g></svg>")
    >>> re.findall(r'<rect x="[^>]*stroke="none"/>', short), 'stroke="#F7F9FC"' in short  # it ends 15 under: a halo only
    ([], True)
    """
    obstacles = link_boxes(svg) + entity_boxes(svg)
    lines = [[segment(a, b) for d in re.findall(r'<path d="([^"]+)"', m.group("body")) for pts in polylines(d)
              for a, b in zip(pts, pts[1:])] for m in LINK.finditer(svg)]
    earlier = re.search(r'<g class="lablink-halos">(?P<body>.*?)</g>', svg, re.S)
    if earlier:  # labels lifted before: solid where they are
        obstacles += [text_box(t) for t in TEXT.finditer(earlier.group("body"))]
    edits, lifted = [], []
    for m in CLUSTER.finditer(svg):
        t = _title(m.group("body"))
        if not t:
            continue
        inks = [text_box(line) for line in t["lines"]]  # no margin: an arrow tip beside the words is not under them
        glyphs = union(inks)
        padded = t["boxes"][:len(inks)]
        hits = [o for o in obstacles if any(overlaps(b, o) for b in padded)]  # struck: within its padding
        if not any(len(o) >= 6 for o in hits) or any(len(o) < 6 and any(overlaps(g, o) for g in inks) for o in hits):
            continue  # not struck by a line, or the halo would cut an arrowhead, label or node
        fill = re.search(r'fill="(#[0-9A-Fa-f]{3,8})"', m.group("body")[:t["text"].start()])
        fill = fill.group(1) if fill else "#FFFFFF"
        start = m.start("body") + t["text"].start()
        stop = m.start("body") + t["lines"][-1].end()
        stop = svg.index("</text>", stop) + len("</text>")
        patch = grow(glyphs, INK_PAD)
        x1, y1, x2, y2 = patch
        if (all(inside_length(line, patch) <= ALONG * (y2 - y1) and not _stub(line, patch, STUB * (y2 - y1))
                for line in lines)
                and not any(len(o) < 6 and overlaps(patch, o) for o in hits)):  # a halo only, else
            lifted.append(svg_rect(patch, f'fill="{fill}" stroke="none"')
                          + _outline_over(m.group("body")[:t["text"].start()], patch, f"lablink-tab-{len(lifted)}"))
        body = m.group("body")
        lifted.append("".join(halo(body[line.start():body.index("</text>", line.start()) + len("</text>")], fill)
                              for line in t["lines"]))
        edits.append((start, stop, ""))
    end = svg.rfind("</g>")
    if not lifted or end < 0:
        return svg
    edits.append((end, end, '<g class="lablink-halos">' + "".join(lifted) + "</g>"))
    for start, stop, text in sorted(edits, reverse=True):
        svg = svg[:start] + text + svg[stop:]
    return svg


def _stub(line: list, patch, short: float) -> bool:
    """Does a line pass under the patch and end (or start) less than ``short`` past it? Under
    a patch, all that showed of it there was a stub with its arrowhead (review 104: cicd's
    16 into terraform-destroy.yml, 20 px of it under the title). Segments in order, as
    ``segment`` gives them.

    >>> down = [segment((5, -50), (5, -10)), segment((5, -10), (5, 30)), segment((5, 30), (5, 40))]
    >>> _stub(down, (0, 0, 40, 20), 40), _stub(down + [segment((5, 40), (5, 100))], (0, 0, 40, 20), 40)
    (True, False)
    """
    inside = [k for k, s in enumerate(line) if len(s) >= 6 and overlaps(patch, s)]
    if not inside:
        return False
    before = sum(math.dist(s[4], s[5]) for s in line[:inside[0]])
    after = sum(math.dist(s[4], s[5]) for s in line[inside[-1] + 1:])
    return min(before, after) < short


def _outline_over(shape: str, patch, clip_id: str) -> str:
    """The cluster's outline (its rect, unfilled, its tab's paths and lines) drawn again over
    its title's patch, clipped to it: the patch would cut a tab's slant and underline, which
    sit a pixel or two from the words (review 50: three broken tab corners)."""
    parts = [re.sub(r' fill="[^"]*"', "", e)[:-2] + ' fill="none"/>'
             for e in re.findall(r'<(?:rect|path|polygon|line) [^>]*/>', shape)]
    if not parts:
        return ""
    return (f'<clipPath id="{clip_id}">{svg_rect(grow(patch, 1.0))}</clipPath><g clip-path="url(#{clip_id})">'
            + "".join(parts) + "</g>")


def _title(body: str) -> dict | None:
    """The cluster's title, its boxes (a line's each), the cluster's extent and its frame tab,
    if any. A title of several lines (a wrapped one) is its texts in a row, each a line under
    the one before: they move together (``x`` and ``w``: the block's), or a moved tab leaves
    lines behind under an edge.

    >>> t = _title('<rect x="0" y="0" width="300" height="200"/><text x="3" y="18" font-size="19" textLength="90">a</text>'
    ...            '<text x="10" y="40" font-size="19" textLength="40">b</text>')
    >>> t["x"], t["w"], len(t["lines"]), len(t["boxes"])
    (3.0, 90.0, 2, 2)
    """
    texts = list(TEXT.finditer(body))
    if not texts:
        return None
    text = texts[0]
    lines = [text]
    for t in texts[1:]:  # the lines of one title: each under the last, about a line apart
        if not 0 < float(t["y"]) - float(lines[-1]["y"]) <= 1.6 * float(t["size"]):
            break
        lines.append(t)
    shape = body[:text.start()]
    rect = re.search(r'<rect x="([-\d.]+)" y="[-\d.]+" width="([\d.]+)"', shape)
    poly = re.search(r'<polygon points="([^"]+)"', shape)
    folder = _FOLDER.search(shape) if not (rect or poly) else None
    if rect:
        x1, x2 = float(rect.group(1)), float(rect.group(1)) + float(rect.group(2))
    elif poly:  # a node's 3D box: its front face ends 10 px left of its back
        xs = [float(v) for v in _NUM.findall(poly.group(1))[0::2]]
        x1, x2 = min(xs), max(xs) - 10
    elif folder:  # a package: one outline with the tab in it, and a line under the tab
        xs = [p[0] for line in polylines(folder.group("d")) for p in line]
        x1, x2 = min(xs), max(xs)
    else:
        return None
    glyphs = [text_box(t) for t in lines]
    x = min(g[0] for g in glyphs)
    w = max(g[2] for g in glyphs) - x
    tab = _TAB.search(shape)
    boxes = [grow(g, _PAD) for g in glyphs]
    if tab:  # an edge through the tab's outline strikes the title too; its cut corner is open
        a, b = float(tab.group("x")), float(tab.group("left"))  # a moved tab runs the other way
        top, y1, y2 = (float(tab.group(k)) for k in ("top", "y1", "y2"))
        cut = a - 10 if b < a else a + 10
        boxes += [(min(b, cut), top, max(b, cut), y2), (min(a, cut), top, max(a, cut), y1)]
    if folder:
        ys = [p[1] for line in polylines(folder.group("d")) for p in line]
        lx1, lx2 = sorted((float(folder.group("lx1")), float(folder.group("lx2"))))
        boxes.append((lx1, min(ys), lx2, float(folder.group("ly"))))
    return {"x": x, "w": w, "x1": x1, "x2": x2, "tab": tab, "folder": folder, "text": text, "lines": lines,
            "boxes": boxes}


def _spots(t: dict) -> list[float]:
    """Where the title may start: where it is, then the left or right end, then the middle."""
    if t["tab"] or t["folder"]:  # a tab: where it is, or mirrored to the other end
        return [t["x"], t["x1"] + t["x2"] - t["x"] - t["w"]]
    left, right = t["x1"] + _INSET, t["x2"] - _INSET - t["w"]
    return [t["x"], left, right]


def _shift(box, dx: float):
    return (box[0] + dx, box[1], box[2] + dx, box[3])


def _moved(body: str, t: dict, x: float) -> str:
    """The cluster's body with its title at ``x``, and a tab mirrored with it."""
    dx = x - t["x"]
    spans = [(line.span(), line.group(0).replace(f'x="{line.group("x")}"', f'x="{svg_number(float(line["x"]) + dx)}"', 1))
             for line in t["lines"]]
    axis = t["x1"] + t["x2"]  # x -> axis - x mirrors the cluster about its middle
    if t["tab"]:
        span = t["tab"].span()
        spans.append((span, '<path d="' + _mirrored(body[span[0] + 9:span[1] - 1], axis) + '"'))
    if t["folder"]:
        f = t["folder"]
        spans.append((f.span("d"), _mirrored(f.group("d"), axis)))
        spans.append((f.span("lx1"), svg_number(axis - float(f.group("lx1")))))
        spans.append((f.span("lx2"), svg_number(axis - float(f.group("lx2")))))
    for (start, end), text in sorted(spans, reverse=True):
        body = body[:start] + text + body[end:]
    return body


def _mirrored(d: str, axis: float) -> str:
    """An M/L/C/A path mirrored left to right (x -> axis - x; an arc turns the other way).

    >>> _mirrored("M100,0 L100,15 L90,25 L0,25", 300)
    'M200,0 L200,15 L210,25 L300,25'
    >>> _mirrored("M4,0 A4,4 0 0 1 0,4", 10)
    'M6,0 A4,4 0 0 0 10,4'
    """
    out = []
    for cmd, args in re.findall(r"([MLCA])([^MLCA]*)", d):
        nums = [float(v) for v in _NUM.findall(args)]
        if cmd == "A":
            parts = []
            for i in range(0, len(nums) - 6, 7):
                rx, ry, rot, large, sweep, px, py = nums[i:i + 7]
                parts.append(f"{svg_number(rx)},{svg_number(ry)} {svg_number(rot)} {svg_number(large)} {svg_number(1 - sweep)} {svg_number(axis - px)},{svg_number(py)}")
            out.append("A" + " ".join(parts))
        else:
            out.append(cmd + " ".join(f"{svg_number(axis - px)},{svg_number(py)}" for px, py in zip(nums[0::2], nums[1::2])))
    return " ".join(out)


def link_boxes(svg: str) -> list:
    """Thin boxes along every link's path, its arrowheads' and its label lines' boxes."""
    boxes: list = []
    for m in LINK.finditer(svg):
        body = m.group("body")
        for d in re.findall(r'<path d="([^"]+)"', body):
            for pts in polylines(d):
                boxes += [segment(a, b)
                          for a, b in zip(pts, pts[1:])]
        for pts in re.findall(r'<polygon points="([^"]+)"', body):
            xy = [float(v) for v in _NUM.findall(pts)]
            boxes.append((min(xy[0::2]), min(xy[1::2]), max(xy[0::2]), max(xy[1::2])))
        boxes += [text_box(t) for t in TEXT.finditer(body)]
    return boxes


def entity_boxes(svg: str) -> list:
    """Each node's outline as one box (rect, polygon, ellipse) or as thin boxes along it (a
    path: a note's path runs out to the node it points at), and its texts' boxes."""
    boxes: list = []
    for m in _ENTITY.finditer(svg):
        body = m.group("body")
        for d in re.findall(r'<path d="([^"]+)"', body):
            boxes += [segment(a, b)
                      for line in polylines(d) for a, b in zip(line, line[1:])]
        pts: list = []
        for poly in re.findall(r'<polygon points="([^"]+)"', body):
            xy = [float(v) for v in _NUM.findall(poly)]
            pts += list(zip(xy[0::2], xy[1::2]))
        for x, y, w, h in re.findall(r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"', body):
            pts += [(float(x), float(y)), (float(x) + float(w), float(y) + float(h))]
        for cx, cy, rx, ry in re.findall(r'<ellipse cx="([-\d.]+)" cy="([-\d.]+)" fill="[^"]*" rx="([\d.]+)" ry="([\d.]+)"', body):
            pts += [(float(cx) - float(rx), float(cy) - float(ry)), (float(cx) + float(rx), float(cy) + float(ry))]
        if pts:
            boxes.append((min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)))
        boxes += [text_box(t) for t in TEXT.finditer(body)]
    return boxes


def text_width(t: re.Match) -> float:
    """A text's width: its textLength, else (one character) its advance in the label font.

    >>> [round(text_width(t), 3) for t in TEXT.finditer('<text x="0" y="9" font-size="19" textLength="50">ab</text>'
    ...                                                 '<text x="0" y="9" font-size="19" font-family="x">4</text>')]
    [50.0, 10.873]
    """
    if t["w"] is not None:
        return float(t["w"])
    return font_widths.advance(html.unescape(text_of(t))) * float(t["size"])


def text_of(t: re.Match) -> str:
    """A text's content as written in the SVG (after its opening tag, up to the next tag)."""
    end = t.string.find("<", t.end())
    return t.string[t.end():end if end >= 0 else None]


def text_box(t: re.Match):
    x, y, size, w = float(t["x"]), float(t["y"]), float(t["size"]), text_width(t)
    return (x, y - 0.8 * size, x + w, y + 0.25 * size)


def resized(svg: str, w: float, h: float) -> str:
    """The PlantUML SVG with its canvas ``w`` x ``h`` px (style, attributes and view box);
    as it was if it has no such root.

    >>> resized('<svg style="width:300px;height:320px;background:#FFF;" width="300px" height="320px" '
    ...         'viewBox="0 0 300 320">', 310, 320.5)
    '<svg style="width:310px;height:320.5px;background:#FFF;" width="310px" height="320.5px" viewBox="0 0 310 320.5">'
    """
    root = ROOT.search(svg)
    if not root:
        return svg
    w, h = svg_number(w), svg_number(h)
    return (svg[:root.start()] + f'style="width:{w}px;height:{h}px;{root["rest"]}" width="{w}px" height="{h}px" '
            f'viewBox="0 0 {w} {h}"' + svg[root.end():])


def title_moved(svg: str, dx: float) -> str:
    """The diagram's title moved ``dx`` px right (centred again over a canvas made wider).

    >>> title_moved('<g class="title"><text x="100" y="9">T</text></g><text x="5" y="9">a</text>', 10)
    '<g class="title"><text x="110" y="9">T</text></g><text x="5" y="9">a</text>'
    """
    return TITLE.sub(lambda m: re.sub(r'<text x="(-?[\d.]+)"', lambda t: f'<text x="{svg_number(float(t[1]) + dx)}"',
                                      m.group(0)), svg)
