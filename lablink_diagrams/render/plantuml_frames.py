"""PlantUML fragments drawn whole: boxes widened to hold the frames drawn past them, and
guards moved off the activation bars that run through them.

PlantUML sizes a ``box`` by its lifelines and a fragment (``loop``, ``alt``, ...) by its
messages, and each nested fragment adds a margin: data-collection's outer loop ran
37 px past the right side of the "Client VM" box it ends in, and reviewers read the
frame as leaving the box. Where nothing else stands there (no lifeline, no other box,
the canvas's edge), the box is widened to hold the frame and its title centred again;
a frame that reaches a lifeline outside every box is left as it is. Pure functions on
the SVG, run before the message patches (plantuml_patches.py) so that they take the
widened box's tint.

A guard ("[allocator finishes launch()]") starts after its frame's tab wherever the bars
are; the bars are drawn over its patch, so a bar cut through its letters (review 17, four
figures). It moves right past the bars it meets, if it still ends inside its frame. So it
does past a box's side that runs through it (review 75: the border stopped and restarted
at the glyphs, the tint changing halfway through the words).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .geometry import svg_number
from .plantuml_titles import TEXT, VIEWBOX, text_box

_BOX = re.compile(r'<rect x="(?P<x>[-\d.]+)" y="(?P<y>[-\d.]+)" width="(?P<w>[\d.]+)" height="(?P<h>[\d.]+)" '
                  r'fill="#[0-9A-Fa-f]{6}" style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>'
                  r'(?P<title><text x="(?P<tx>[-\d.]+)" [^>]*?textLength="(?P<tw>[\d.]+)" font-weight="700"[^>]*>)?')
_GUARD = re.compile(r'<text x="(?P<x>[-\d.]+)" y="(?P<y>[-\d.]+)" [^>]*?font-size="(?P<size>[\d.]+)" '
                    r'textLength="(?P<w>[\d.]+)" font-weight="700"[^>]*>\[')
BAR = re.compile(r'<rect x="(?P<x>[-\d.]+)" y="(?P<y>[-\d.]+)" width="10" height="(?P<h>[\d.]+)" fill="[^"]+" '
                  r'style="stroke:#181818;stroke-width:1;"/>')
FRAME = re.compile(r'<rect x="(?P<x>[-\d.]+)" y="(?P<y>[-\d.]+)" width="(?P<w>[\d.]+)" height="(?P<h>[\d.]+)" '
                    r'fill="none" style="stroke:#000;stroke-width:1.5;"')
_TITLE_LINE = re.compile(r'<text x="(?P<tx>[-\d.]+)" [^>]*?textLength="(?P<tw>[\d.]+)" font-weight="700"[^>]*>[^<]*</text>')
_HEAD = re.compile(r'<rect x="(?P<x>[-\d.]+)" y="[-\d.]+" width="(?P<w>[\d.]+)" height="(?P<h>[\d.]+)" '
                   r'fill="#[0-9A-Fa-f]{3,6}" style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>')
_LIFELINE = re.compile(r'<line [^>]*?x1="(?P<x>[-\d.]+)" y1="(?P<y1>[-\d.]+)"[^>]*?stroke-dasharray')
PAD = 12.0  # a widened box's side this far outside its frame: at 6 the two read as a double line (review 83)
PAD_LEAST = 6.0  # ... or this far, where a head or a lifeline stands within PAD
SIDE_GAP = 6.0  # px a moved text keeps from a box's side
BAR_GAP = 8.0  # ... and a moved guard from a bar (at 4 it "almost touches the activation bar", review 96)


def widen_boxes(svg: str) -> str:
    """The SVG with each box that a frame sticks out of widened to hold it, where free.

    >>> box = ('<rect x="100" y="10" width="200" height="500" fill="#F6F8FB" style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>'
    ...        '<text x="150" y="28" fill="#000" font-size="19" textLength="100" font-weight="700" font-family="x">b</text>')
    >>> frame = '<rect x="120" y="50" width="210" height="100" fill="none" style="stroke:#000;stroke-width:1.5;" rx="4" ry="4"/>'
    >>> line = '<line x1="200" y1="40" x2="200" y2="500" style="stroke:#181818;stroke-width:0.5;stroke-dasharray:5,5;"/>'
    >>> out = widen_boxes('<svg viewBox="0 0 400 520">' + box + frame + line + '</svg>')
    >>> re.search(r'width="([\\d.]+)" height="500"', out).group(1), re.search(r'<text x="([\\d.]+)"', out).group(1)
    ('242', '171')
    >>> far = line.replace('"200"', '"320"')  # a lifeline outside the box stands where the frame ends
    >>> widen_boxes('<svg viewBox="0 0 400 520">' + box + frame + far + '</svg>') == '<svg viewBox="0 0 400 520">' + box + frame + far + '</svg>'
    True
    """
    view = VIEWBOX.search(svg)
    if not view:
        return svg
    canvas, height = float(view.group("w")), float(view.group("h"))
    boxes = [m for m in _BOX.finditer(svg) if float(m.group("h")) > 0.5 * height]  # not a participant's head
    if not boxes:
        return svg
    sides = {i: [float(m.group("x")), float(m.group("x")) + float(m.group("w"))] for i, m in enumerate(boxes)}
    lifelines = [float(m.group("x")) for m in _LIFELINE.finditer(svg)]
    # participants' heads: a widened side stops short of them (crd part 2's allocator box
    # ran into the Google Chrome head beside it), and of the names above the lifelines (an
    # actor's is a text under its figure: review 87, data-collection's side through "Admin browser")
    heads = [(float(m.group("x")), float(m.group("x")) + float(m.group("w"))) for m in _HEAD.finditer(svg)
             if float(m.group("h")) <= 0.5 * height]
    tops = [float(m.group("y1")) for m in _LIFELINE.finditer(svg)]
    heads += [(b[0], b[2]) for t in TEXT.finditer(svg) for b in [text_box(t)] if tops and b[3] <= min(tops) + 1]
    for f in FRAME.finditer(svg):
        fx1, fx2 = float(f.group("x")), float(f.group("x")) + float(f.group("w"))
        inside = [i for i, (x1, x2) in sides.items() if x1 < fx2 and fx1 < x2]
        if not inside:
            continue
        right = max(inside, key=lambda i: sides[i][1])
        left = min(inside, key=lambda i: sides[i][0])
        for pad in (PAD, PAD_LEAST):  # PAD where free, else at least clear of the frame
            want = fx2 + pad
            if fx2 > sides[right][1] - pad and want < canvas and _free(sides, lifelines, heads, right, sides[right][1], want):
                sides[right][1] = max(sides[right][1], want)
                break
        for pad in (PAD, PAD_LEAST):
            want = fx1 - pad
            if fx1 < sides[left][0] + pad and want > 0 and _free(sides, lifelines, heads, left, want, sides[left][0]):
                sides[left][0] = min(sides[left][0], want)
                break
    edits = []
    for i, m in enumerate(boxes):
        x1, x2 = sides[i]
        if (x1, x2) != (float(m.group("x")), float(m.group("x")) + float(m.group("w"))):
            edits.append((m.start("x"), m.end("x"), svg_number(x1)))
            edits.append((m.start("w"), m.end("w"), svg_number(x2 - x1)))
        # each title line centred: PlantUML centres a wrapped title's block and starts every
        # line at its left ("created by" under "Client VM (× N," read as out of line, review 83)
        at = m.start("title") if m.group("title") else m.end()
        for t in _TITLE_LINE.finditer(svg, at):
            if t.start() != at:
                break
            x = (x1 + x2 - float(t.group("tw"))) / 2
            if abs(x - float(t.group("tx"))) > 0.5:  # not a rounding's worth
                edits.append((t.start("tx"), t.end("tx"), svg_number(x)))
            at = t.end()
    for start, end, text in sorted(edits, reverse=True):
        svg = svg[:start] + text + svg[end:]
    return svg


@dataclass
class _Guard:
    """A guard as the pass weighs it: where it is, its frame's room, where it goes."""
    match: re.Match
    x: float
    w: float
    top: float
    bottom: float
    room: float
    frame: tuple | None
    start: float
    past_side: bool


def box_sides(svg: str) -> list[tuple[float, float, float]]:
    """Each full-height box's two sides, as (x, top, bottom).

    >>> box_sides('<svg viewBox="0 0 400 520"><rect x="100" y="10" width="200" height="500" fill="#F6F8FB" '
    ...           'style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/></svg>')
    [(100.0, 10.0, 510.0), (300.0, 10.0, 510.0)]
    """
    view = VIEWBOX.search(svg)
    if not view:
        return []
    height = float(view.group("h"))
    sides = []
    for m in _BOX.finditer(svg):
        x, y, w, h = (float(m.group(k)) for k in ("x", "y", "w", "h"))
        if h > 0.5 * height:  # not a participant's head
            sides += [(x, y, y + h), (x + w, y, y + h)]
    return sides


def guards_off_bars(svg: str) -> str:
    """Each fragment guard that an activation bar or a box's side runs through, moved right
    of them.

    >>> frame = '<rect x="0" y="100" width="400" height="300" fill="none" style="stroke:#000;stroke-width:1.5;" rx="4" ry="4"/>'
    >>> guard = '<text x="80" y="120" fill="#000" font-size="19" textLength="150" font-weight="700" font-family="x">[every 5 s]</text>'
    >>> bar = '<rect x="100" y="50" width="10" height="200" fill="#FFF" style="stroke:#181818;stroke-width:1;"/>'
    >>> re.search(r'<text x="([\\d.]+)"', guards_off_bars(frame + guard + bar)).group(1)
    '118'
    >>> guards_off_bars(frame.replace('400', '200') + guard + bar) == frame.replace('400', '200') + guard + bar  # no room
    True
    >>> two = guard.replace('5 s]', '') + guard.replace('y="120"', 'y="142"').replace('[every ', '')  # in two lines
    >>> re.findall(r'<text x="([\\d.]+)"', guards_off_bars(frame + two + bar))
    ['118', '118']
    >>> box = ('<rect x="-50" y="0" width="190" height="500" fill="#F6F8FB" '
    ...        'style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>')
    >>> re.search(r'<text x="([\\d.]+)"', guards_off_bars('<svg viewBox="0 0 400 520">' + box + frame + guard)).group(1)
    '146'
    >>> other = guard.replace('x="80" y="120"', 'x="5" y="300"').replace('150', '100')  # the frame's next section
    >>> re.findall(r'<text x="([\\d.]+)"', guards_off_bars('<svg viewBox="0 0 400 520">' + box + frame + guard + other))
    ['146', '146']
    """
    # walls, each with the room a guard keeps right of it: BAR_GAP past a bar, SIDE_GAP past a side
    bars = [(float(m["x"]), float(m["y"]), float(m["x"]) + 10 + BAR_GAP, float(m["y"]) + float(m["h"]))
            for m in BAR.finditer(svg)]
    sides = [(x - SIDE_GAP, top, x + SIDE_GAP, bottom) for x, top, bottom in box_sides(svg)]
    frames = [(float(m["x"]), float(m["y"]), float(m["x"]) + float(m["w"]), float(m["y"]) + float(m["h"]))
              for m in FRAME.finditer(svg)]
    placed = []
    for g in _GUARD.finditer(svg):
        x, y, size, w = (float(g[k]) for k in ("x", "y", "size", "w"))
        rest = guard_lines(svg, g)
        w = max([w] + [float(t["w"]) for t in rest])
        top, bottom = y - 0.8 * size, (float(rest[-1]["y"]) if rest else y) + 0.25 * size
        holder = [f for f in frames if f[0] <= x and x + w <= f[2] and f[1] <= top and bottom <= f[3]]
        room = min(f[2] for f in holder) - 4 if holder else x + w
        past_sides, past_bars = _pushed(x, w, top, bottom, bars + sides), _pushed(x, w, top, bottom, bars)
        # past the sides too where the frame has room for it, else past the bars alone
        start = next((s for s in (past_sides, past_bars) if s != x and s + w <= room), x)
        frame = min(holder, key=lambda f: (f[2] - f[0]) * (f[3] - f[1])) if holder else None
        placed.append(_Guard(g, x, w, top, bottom, room, frame, start, start == past_sides != past_bars))
    # A frame's guards in one column where one of them moved past a box's side: the others
    # follow where they fit (review 80: "[admin instances page]" mid-frame, "[user landing
    # page]" of the same par at its left edge)
    for frame in {p.frame for p in placed if p.past_side}:
        column = max(p.start for p in placed if p.frame == frame and p.past_side)
        for p in placed:
            if (p.frame == frame and p.start < column and column + p.w <= p.room
                    and _pushed(column, p.w, p.top, p.bottom, bars + sides) == column):
                p.start = column
    edits = [(t.start("x"), t.end("x"), svg_number(p.start)) for p in placed if p.start != p.x
             for t in [p.match, *guard_lines(svg, p.match)]]
    for a, b, text in sorted(edits, reverse=True):
        svg = svg[:a] + text + svg[b:]
    return svg


_GUARD_LINE = re.compile(r'<text x="(?P<x>[-\d.]+)" y="(?P<y>[-\d.]+)" [^>]*?textLength="(?P<w>[\d.]+)" font-weight="700"[^>]*>[^<]*</text>')


def guard_lines(svg: str, guard: re.Match) -> list[re.Match]:
    """A guard's lines after its first (a guard broken in lines: plantuml_rewrap.py), which
    PlantUML writes right after it, each starting where it does.

    >>> line = '<text x="{}" y="{}" fill="#000" font-size="19" textLength="90" font-weight="700">{}</text>'
    >>> svg = line.format(10, 20, "[status") + line.format(10, 42, "changed]") + line.format(10, 80, "[other]")
    >>> [m["y"] for m in guard_lines(svg, _GUARD.search(svg))]
    ['42']
    """
    end = svg.index("</text>", guard.end()) + len("</text>")
    if svg[guard.end():end - len("</text>")].endswith("]"):
        return []
    out = []
    while (t := _GUARD_LINE.match(svg, end)) is not None and t["x"] == guard["x"]:
        out.append(t)
        end = t.end()
        if svg[t.end() - len("]</text>"):t.end()] == "]</text>":
            break
    return out


def _pushed(x: float, w: float, top: float, bottom: float, walls) -> float:
    """Where a text from x, w wide, starts once each wall it meets, left to right, pushed it
    past the wall's right edge (which holds the room to keep from it)."""
    start = x
    for bx1, by1, bx2, by2 in sorted(walls):
        if bx1 < start + w and start < bx2 - 4 and by1 < bottom and top < by2:
            start = bx2
    return start


def _free(sides: dict, lifelines: list[float], heads: list, box: int, a: float, b: float) -> bool:
    """Nothing between a and b: no lifeline, no participant's head, no other box (with a
    little room)."""
    if any(a < x < b for x in lifelines) or any(x1 - 2 < b and a < x2 + 2 for x1, x2 in heads):
        return False
    return not any(j != box and x1 - 2 < b and a < x2 + 2 for j, (x1, x2) in sides.items())
