"""PlantUML sequence boxes widened to hold the fragment frames drawn past them.

PlantUML sizes a ``box`` by its lifelines and a fragment (``loop``, ``alt``, ...) by its
messages, and each nested fragment adds a margin: data-collection's outer loop ran
37 px past the right side of the "Client VM" box it ends in, and reviewers read the
frame as leaving the box. Where nothing else stands there (no lifeline, no other box,
the canvas's edge), the box is widened to hold the frame and its title centred again;
a frame that reaches a lifeline outside every box is left as it is. Pure functions on
the SVG, run before the message patches (plantuml_patches.py) so that they take the
widened box's tint.
"""
from __future__ import annotations

import re

from .geometry import svg_number

_BOX = re.compile(r'<rect x="(?P<x>[-\d.]+)" y="[-\d.]+" width="(?P<w>[\d.]+)" height="(?P<h>[\d.]+)" '
                  r'fill="#[0-9A-Fa-f]{6}" style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>'
                  r'(?P<title><text x="(?P<tx>[-\d.]+)" [^>]*?textLength="(?P<tw>[\d.]+)" font-weight="700"[^>]*>)?')
_FRAME = re.compile(r'<rect x="(?P<x>[-\d.]+)" y="[-\d.]+" width="(?P<w>[\d.]+)" height="[\d.]+" fill="none" '
                    r'style="stroke:#000;stroke-width:1.5;"')
_LIFELINE = re.compile(r'<line [^>]*?x1="(?P<x>[-\d.]+)"[^>]*?stroke-dasharray')
_VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ (?P<w>[\d.]+) (?P<h>[\d.]+)"')
PAD = 6.0  # a widened box's side this far outside its frame


def widen_boxes(svg: str) -> str:
    """The SVG with each box that a frame sticks out of widened to hold it, where free.

    >>> box = ('<rect x="100" y="10" width="200" height="500" fill="#F6F8FB" style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>'
    ...        '<text x="150" y="28" fill="#000" font-size="19" textLength="100" font-weight="700" font-family="x">b</text>')
    >>> frame = '<rect x="120" y="50" width="210" height="100" fill="none" style="stroke:#000;stroke-width:1.5;" rx="4" ry="4"/>'
    >>> line = '<line x1="200" y1="40" x2="200" y2="500" style="stroke:#181818;stroke-width:0.5;stroke-dasharray:5,5;"/>'
    >>> out = widen_boxes('<svg viewBox="0 0 400 520">' + box + frame + line + '</svg>')
    >>> re.search(r'width="([\\d.]+)" height="500"', out).group(1), re.search(r'<text x="([\\d.]+)"', out).group(1)
    ('236', '168')
    >>> far = line.replace('"200"', '"320"')  # a lifeline outside the box stands where the frame ends
    >>> widen_boxes('<svg viewBox="0 0 400 520">' + box + frame + far + '</svg>') == '<svg viewBox="0 0 400 520">' + box + frame + far + '</svg>'
    True
    """
    view = _VIEWBOX.search(svg)
    if not view:
        return svg
    canvas, height = float(view.group("w")), float(view.group("h"))
    boxes = [m for m in _BOX.finditer(svg) if float(m.group("h")) > 0.5 * height]  # not a participant's head
    if not boxes:
        return svg
    sides = {i: [float(m.group("x")), float(m.group("x")) + float(m.group("w"))] for i, m in enumerate(boxes)}
    lifelines = [float(m.group("x")) for m in _LIFELINE.finditer(svg)]
    for f in _FRAME.finditer(svg):
        fx1, fx2 = float(f.group("x")), float(f.group("x")) + float(f.group("w"))
        inside = [i for i, (x1, x2) in sides.items() if x1 < fx2 and fx1 < x2]
        if not inside:
            continue
        right = max(inside, key=lambda i: sides[i][1])
        left = min(inside, key=lambda i: sides[i][0])
        want = fx2 + PAD
        if fx2 > sides[right][1] and want < canvas and _free(sides, lifelines, right, sides[right][1], want):
            sides[right][1] = want
        want = fx1 - PAD
        if fx1 < sides[left][0] and want > 0 and _free(sides, lifelines, left, want, sides[left][0]):
            sides[left][0] = want
    edits = []
    for i, m in enumerate(boxes):
        x1, x2 = sides[i]
        if (x1, x2) == (float(m.group("x")), float(m.group("x")) + float(m.group("w"))):
            continue
        edits.append((m.start("x"), m.end("x"), svg_number(x1)))
        edits.append((m.start("w"), m.end("w"), svg_number(x2 - x1)))
        if m.group("title"):
            edits.append((m.start("tx"), m.end("tx"), svg_number((x1 + x2 - float(m.group("tw"))) / 2)))
    for start, end, text in sorted(edits, reverse=True):
        svg = svg[:start] + text + svg[end:]
    return svg


def _free(sides: dict, lifelines: list[float], box: int, a: float, b: float) -> bool:
    """Nothing between a and b: no lifeline, no other box (with a little room)."""
    if any(a < x < b for x in lifelines):
        return False
    return not any(j != box and x1 - 2 < b and a < x2 + 2 for j, (x1, x2) in sides.items())
