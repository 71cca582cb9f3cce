"""PlantUML sequence messages moved along their arrows, and notes sideways, off the box
sides they straddle.

PlantUML writes a message's text just after its arrow's start, wherever the boxes are:
"4. PutLogEvents" ran over two boxes' sides, which stopped and restarted at its glyphs
with the tint changing halfway through the word (review 75, four figures). A text on a
box's side moves along its arrow, with all its lines, to the spot that crosses the fewest
box and frame sides and, of those, is nearest; never onto an activation bar or another
text, and only if it then crosses fewer sides than where it was. A note that a side runs
under (review 81: "straddles two group borders") moves the same way, as far as it still
reaches REACH past each lifeline it stands over. Pure functions on the SVG, run after the boxes are widened
(plantuml_frames.py) and before the patches (plantuml_patches.py).
"""
from __future__ import annotations

import re

from .geometry import svg_number
from .plantuml_frames import BAR, FRAME, SIDE_GAP, box_sides
from .plantuml_titles import TEXT, VIEWBOX, text_box

# An arrow's shaft and the texts written right after it: its label, one <text> a line
_MESSAGE = re.compile(r'<line x1="(?P<x1>[-\d.]+)" y1="(?P<y>[-\d.]+)" x2="(?P<x2>[-\d.]+)" y2="(?P=y)" '
                      r'style="stroke:#181818;stroke-width:1;(?:stroke-dasharray:2,2;)?"/>'
                      r'(?P<texts>(?:<text [^>]*>[^<]*</text>)+)')
HEAD = 12.0  # px kept clear at each end of the arrow, for its head
APART = 3.0  # px kept from bars and other texts


def off_sides(svg: str) -> str:
    """The SVG with each message text that a box's side runs through moved along its arrow.

    >>> box = ('<rect x="0" y="0" width="200" height="500" fill="#F6F8FB" '
    ...        'style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>')
    >>> msg = ('<line x1="100" y1="100" x2="400" y2="100" style="stroke:#181818;stroke-width:1;"/>'
    ...        '<text x="107" y="93" fill="#000" font-size="19" textLength="120" font-family="x">4. PutLogEvents</text>')
    >>> re.search(r'<text x="([\\d.]+)"', off_sides('<svg viewBox="0 0 500 520">' + box + msg + '</svg>')).group(1)
    '206'
    >>> short = msg.replace('x2="400"', 'x2="300"')  # no spot clear of the side on a shorter arrow
    >>> off_sides('<svg viewBox="0 0 500 520">' + box + short + '</svg>') == '<svg viewBox="0 0 500 520">' + box + short + '</svg>'
    True
    """
    sides = box_sides(svg)
    if not sides:
        return svg
    texts = [(t.start(), text_box(t)) for t in TEXT.finditer(svg)]
    lines = list(sides)
    lines += [(fx, fy, fy + float(f["h"])) for f in FRAME.finditer(svg) for fy in [float(f["y"])]
              for fx in (float(f["x"]), float(f["x"]) + float(f["w"]))]
    bars = [(float(b["x"]) - APART, float(b["y"]), float(b["x"]) + 10 + APART, float(b["y"]) + float(b["h"]))
            for b in BAR.finditer(svg)]
    edits = []
    for m in _MESSAGE.finditer(svg):
        own = list(TEXT.finditer(svg, m.start("texts"), m.end("texts")))
        boxes = [text_box(t) for t in own]
        x1, x2 = min(b[0] for b in boxes), max(b[2] for b in boxes)
        top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
        lo, hi = sorted((float(m["x1"]), float(m["x2"])))
        if not lo <= x1 <= hi or not any(top < s2 and s1 < bottom and x1 - SIDE_GAP < x < x2 + SIDE_GAP
                                         for x, s1, s2 in sides):
            continue
        others = [(a - APART, b, c + APART, d) for start, (a, b, c, d) in texts
                  if not m.start("texts") <= start < m.end("texts")]
        blocked = [(a, c) for a, b, c, d in bars + others if b < bottom and top < d]
        crossed = sorted(x for x, a, b in lines if a < bottom and top < b)
        x = _best(x1, x2 - x1, min(x1, lo + HEAD), max(x2, hi - HEAD), blocked, crossed)
        if x != x1:
            edits += [(t.start("x"), t.end("x"), svg_number(float(t["x"]) + x - x1)) for t in own]
    for a, b, text in sorted(edits, reverse=True):
        svg = svg[:a] + text + svg[b:]
    return svg


def _best(x: float, width: float, lo: float, hi: float, blocked: list[tuple[float, float]],
          lines: list[float]) -> float:
    """The start of a span `width` long inside lo..hi that meets none of `blocked` and the
    fewest of the vertical `lines` (SIDE_GAP about each), nearest x; x itself unless that
    meets fewer lines than x does.

    >>> _best(10, 50, 0, 300, [], [40, 130])      # clear of both, just past the first
    46.0
    >>> _best(10, 100, 0, 260, [], [40, 90, 180])  # no room clear of all: the nearest spot crossing one, not two
    46.0
    >>> _best(10, 50, 0, 300, [(40, 120)], [40])  # past a bar too
    120
    """
    def meets(start: float) -> int:
        return sum(1 for ln in lines if start - SIDE_GAP < ln < start + width + SIDE_GAP)

    spots = [x, lo, hi - width] + [ln + SIDE_GAP for ln in lines] + [ln - SIDE_GAP - width for ln in lines]
    spots += [b for _, b in blocked] + [a - width for a, _ in blocked]
    best, score = x, meets(x)
    for start in sorted(spots, key=lambda s: abs(s - x)):
        if not lo <= start <= hi - width or any(a < start + width and start < b for a, b in blocked):
            continue
        if meets(start) < score:
            best, score = start, meets(start)
    return best


# A note: its body, its folded corner, its lines of text
_NOTE = re.compile(r'(?P<body><path d="(?P<d>M[^"]*)" style="stroke:#181818;stroke-width:0.5;" fill="#FEFFDD"/>)'
                   r'(?P<fold><path d="M[^"]*" style="stroke:#181818;stroke-width:0.5;" fill="#FEFFDD"/>)'
                   r'(?P<texts>(?:<text [^>]*>[^<]*</text>)+)')
_LIFELINE_X = re.compile(r'<line x1="(?P<x>[-\d.]+)" y1="[-\d.]+" x2="(?P=x)" y2="[-\d.]+" '
                         r'style="stroke:#181818;stroke-width:0.5;stroke-dasharray:5,5;"')
_POINT = re.compile(r"(?P<cmd>[MLA])(?P<args>[^MLAZz]*)")
REACH = 10.0  # px a moved note still reaches past each lifeline it is over


def notes_off_sides(svg: str) -> str:
    """The SVG with each note that a box's side runs under moved sideways, over the same
    lifelines, to the nearest spot crossing fewer sides; never onto another text.

    >>> box = ('<rect x="0" y="0" width="200" height="500" fill="#F6F8FB" '
    ...        'style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>')
    >>> life = '<line x1="150" y1="0" x2="150" y2="500" style="stroke:#181818;stroke-width:0.5;stroke-dasharray:5,5;"/>'
    >>> note = ('<path d="M100,100 L100,140 A4,4 0 0 0 104,144 L250,144 L250,100 Z" style="stroke:#181818;stroke-width:0.5;" fill="#FEFFDD"/>'
    ...         '<path d="M240,100 L250,110 L240,100" style="stroke:#181818;stroke-width:0.5;" fill="#FEFFDD"/>'
    ...         '<text x="110" y="125" fill="#000" font-size="19" textLength="120" font-family="x">a note</text>')
    >>> out = notes_off_sides('<svg viewBox="0 0 600 520">' + box + life + note + '</svg>')
    >>> re.findall(r'M([\\d.]+),', out)[:2], re.search(r'<text x="([\\d.]+)"', out).group(1)
    (['44', '184'], '54')
    """
    sides = box_sides(svg)
    view = VIEWBOX.search(svg)
    if not sides or not view:
        return svg
    canvas = float(view.group("w"))
    lifelines = [float(m["x"]) for m in _LIFELINE_X.finditer(svg)]
    texts = [(t.start(), text_box(t)) for t in TEXT.finditer(svg)]
    edits = []
    for n in _NOTE.finditer(svg):
        xs = [float(v) for v in re.findall(r"[ML]\s*([-\d.]+),", n["d"])]
        ys = [float(v) for v in re.findall(r"[ML]\s*[-\d.]+,([-\d.]+)", n["d"])]
        x1, x2, top, bottom = min(xs), max(xs), min(ys), max(ys)
        crossed = sorted(x for x, a, b in sides if a < bottom and top < b)
        over = [x for x in lifelines if x1 < x < x2]
        if not over or not any(x1 - SIDE_GAP < x < x2 + SIDE_GAP for x in crossed):
            continue
        others = [(a - APART, c + APART) for start, (a, b, c, d) in texts
                  if not n.start("texts") <= start < n.end("texts") and b < bottom and top < d]
        width = x2 - x1
        lo, hi = max(0.0, max(over) + REACH - width), min(canvas, min(over) - REACH + width)
        x = _best(x1, width, min(lo, x1), max(hi, x2), others, crossed)
        if x != x1:
            edits += _shifted(n, x - x1)
    for a, b, text in sorted(edits, reverse=True):
        svg = svg[:a] + text + svg[b:]
    return svg


def _shifted(n: re.Match, dx: float) -> list[tuple[int, int, str]]:
    """Edits that move a note's body, corner and texts dx to the right."""
    edits = []
    for part in ("body", "fold"):
        d_start = n.start(part) + len('<path d="')
        d = n.string[d_start:n.string.index('"', d_start)]
        edits.append((d_start, d_start + len(d), _POINT.sub(lambda c: c["cmd"] + _moved(c["cmd"], c["args"], dx), d)))
    for t in TEXT.finditer(n.string, n.start("texts"), n.end("texts")):
        edits.append((t.start("x"), t.end("x"), svg_number(float(t["x"]) + dx)))
    return edits


def _moved(cmd: str, args: str, dx: float) -> str:
    """A path command's arguments with its end point's x moved (an arc's radii stay).

    >>> _moved("L", "10,20 ", 5), _moved("A", "4,4 0 0 0 104,144 ", 5)
    ('15,20 ', '4,4 0 0 0 109,144 ')
    """
    nums, tail = re.findall(r"[-\d.]+", args), args[len(args.rstrip()):]
    if cmd == "A":
        nums[5] = svg_number(float(nums[5]) + dx)
        return f"{nums[0]},{nums[1]} {nums[2]} {nums[3]} {nums[4]} {nums[5]},{nums[6]}{tail}"
    return f"{svg_number(float(nums[0]) + dx)},{nums[1]}{tail}"
