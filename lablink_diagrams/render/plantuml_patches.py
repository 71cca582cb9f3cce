"""PlantUML sequence messages on patches of the colour under them, in the SVG.

PlantUML draws a message's text with no background, so dashed lifelines and box borders
run through its letters (review, round 12: worst in network-flow and data-collection),
and through its fragments' guards (round 13).
Its `<back:>` markup is an SVG filter per line, which rsvg-convert rasterises in the PDF.
So the renderer adds plain rectangles: white, and a box's tint where the text crosses that
box, in one layer right above the lifelines and box backgrounds. The activation bars are
moved above that layer, so a bar is never cut by a patch (one held request must not read as
several, as Mermaid's did in round 8); arrows, heads and notes are drawn later and stay on
top. Pure functions on the SVG text.
"""
from __future__ import annotations

import re

from .geometry import Box, polylines, svg_rect
from .plantuml_titles import TEXT, text_width

# One lifeline, and one activation bar, as PlantUML 1.2026 groups them
_LIFELINE = re.compile(r'<g><title>[^<]*</title><rect [^>]*fill-opacity="0"/><line [^>]*stroke-dasharray[^>]*/></g>')
_BAR = re.compile(r'<g><title></title><rect x="[-\d.]+" y="[-\d.]+" width="10" height="[\d.]+" fill="[^"]+"[^>]*/></g>')
_BOX = re.compile(r'<rect x="(?P<x>[-\d.]+)" y="(?P<y>[-\d.]+)" width="(?P<w>[\d.]+)" height="(?P<h>[\d.]+)" '
                  r'fill="(?P<fill>#[0-9A-Fa-f]+)"')
_SHAPE = re.compile(r'<(?:rect|path|polygon)\b[^>]*?\bfill="(?P<fill>#[0-9A-Fa-f]+)"[^>]*>')
_NUM = re.compile(r"-?\d+(?:\.\d+)?")
_PAD = 2.0  # above and below a line of text
_SIDE = 1.0  # left and right: a patch wider than its text notched box borders it did not cross


def patch(svg: str) -> str:
    """The sequence SVG with its message texts on patches; any other SVG as it was.

    >>> svg = ('<svg><rect x="0" y="0" width="100" height="200" fill="#F6F8FB" style=""/>'
    ...        '<g><title>a</title><rect x="46" y="0" width="8" height="200" fill="#000" fill-opacity="0"/>'
    ...        '<line x1="50" y1="0" x2="50" y2="200" style="stroke-dasharray:5,5;"/></g>'
    ...        '<g><title></title><rect x="45" y="40" width="10" height="90" fill="#FFF" style=""/></g>'
    ...        '<polygon points="1,2,3,4" fill="#181818"/>'
    ...        '<text x="20" y="60" fill="#000" font-size="19" textLength="120" font-family="x">1. call</text></svg>')
    >>> out = patch(svg)
    >>> out.index('class="lablink-patches"') < out.index('<g><title></title><rect x="45"') < out.index("1. call")
    True
    >>> re.findall(r'<rect x="([\\d.]+)" y="[\\d.]+" width="([\\d.]+)" height="[\\d.]+" fill="(#\\w+)"/>', out)[-2:]
    [('19', '122', '#FFFFFF'), ('19', '81', '#F6F8FB')]
    >>> patch("<svg><text>no lifelines</text></svg>")
    '<svg><text>no lifelines</text></svg>'
    """
    lifelines = list(_LIFELINE.finditer(svg))
    if not lifelines:
        return svg
    start = min(m.start() for m in lifelines)
    bars = [m for m in _BAR.finditer(svg) if m.start() > start]
    end = max(m.end() for m in lifelines + bars)
    bars = [m for m in bars if m.start() < end]  # the bars drawn with the lifelines
    boxes = [(float(m["x"]), float(m["x"]) + float(m["w"]), m["fill"]) for m in _BOX.finditer(svg, 0, start)
             if m["fill"].upper() not in ("#FFF", "#FFFFFF")]
    covers = _covers(svg[end:])
    bar_boxes = [_bar_box(b.group(0)) for b in bars]
    rects, over_bars = [], []
    for t in TEXT.finditer(svg, end):  # messages, and fragments' guards ("[every 5 s]")
        x, y, size, w = float(t["x"]), float(t["y"]), float(t["size"]), text_width(t)
        box = (x - _SIDE, y - 0.8 * size - _PAD, x + w + _SIDE, y + 0.25 * size + _PAD)
        if any(_inside(box, c) for c in covers):
            continue  # a head's name, a note's text, a fragment's keyword: on its own fill
        rects += _colours(box, boxes)
        if svg.startswith("[", t.end()) and any(_meet(box, b) for b in bar_boxes):
            # a guard that no room let move off a bar (plantuml_frames.py): its own patch,
            # over the bar, so the bar's sides do not run through its words
            over_bars.append((t.start() - end, _rects(_colours(box, boxes))))
    if not rects:
        return svg
    layer = '<g class="lablink-patches">' + _rects(rects) + "</g>"
    kept = svg[:start]
    at = start
    for b in bars:  # lift the bars out of the lifelines' layer, to sit above the patches
        kept += svg[at:b.start()]
        at = b.end()
    tail = svg[end:]
    for pos, patch_rects in sorted(over_bars, reverse=True):
        tail = tail[:pos] + patch_rects + tail[pos:]
    return kept + svg[at:end] + layer + "".join(b.group(0) for b in bars) + tail


def _rects(rects) -> str:
    return "".join(svg_rect(box, f'fill="{fill}"') for box, fill in rects)


def _bar_box(bar: str) -> Box:
    x, y, h = (float(v) for v in re.search(r'<rect x="([-\d.]+)" y="([-\d.]+)" width="10" height="([\d.]+)"', bar).groups())
    return (x, y, x + 10, y + h)


def _meet(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _covers(svg: str) -> list[Box]:
    """Filled shapes drawn after the lifelines (heads, notes): texts inside them keep their fill."""
    out = []
    for m in _SHAPE.finditer(svg):
        if m["fill"].upper() in ("#000", "#000000", "#181818") or 'fill-opacity="0"' in m.group(0):
            continue
        shape = m.group(0)
        if shape.startswith("<rect"):
            x, y, w, h = (float(v) for v in re.search(r'x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"',
                                                       shape).groups())
            out.append((x, y, x + w, y + h))
            continue
        if shape.startswith("<path"):
            pts = [p for line in polylines(re.search(r'd="([^"]+)"', shape).group(1)) for p in line]
        else:
            nums = [float(v) for v in _NUM.findall(re.search(r'points="([^"]+)"', shape).group(1))]
            pts = list(zip(nums[0::2], nums[1::2]))
        if pts:
            out.append((min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)))
    return out


def _inside(box: Box, cover: Box) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return cover[0] <= cx <= cover[2] and cover[1] <= cy <= cover[3] and cover[2] - cover[0] >= 0.5 * (box[2] - box[0])


def _colours(box: Box, boxes: list[tuple[float, float, str]]) -> list[tuple[Box, str]]:
    """White under the whole text, and each sequence box's tint over the part inside it."""
    x1, y1, x2, y2 = box
    out = [(box, "#FFFFFF")]
    for bx1, bx2, fill in boxes:
        lo, hi = max(x1, bx1), min(x2, bx2)
        if lo < hi:
            out.append(((lo, y1, hi, y2), fill))
    return out
