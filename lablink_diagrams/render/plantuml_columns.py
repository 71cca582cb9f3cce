"""The parts of one split sequence with every lifeline in the same column.

PlantUML spaces two neighbouring lifelines by the messages, notes and frames between
them, so each part of a split sequence stood its lifelines where its own messages put
them: in crd's two parts PostgreSQL moved 0.7 in and the figure no longer read as one
(review 87, its worst defect). Each part is drawn, its lifelines read (``lifelines``),
and each neighbouring pair is given the widest gap any part has (``widest_gaps``).
A part short of a gap is drawn again with a hidden message between each pair whose text
is a blank sprite exactly that wide, and one from the left edge that stands its first
lifeline where the others' stand (``widened``): PlantUML's own layout then holds them, so
every message, note, frame and box keeps its place relative to its lifelines. The hidden
messages come last, under the story (``hide footbox``), and the height they add is cut
away again (``trimmed``). Each box is then made as wide as in any part (``same_boxes``),
and the finished parts get one canvas width (``same_width``). Only parts that draw the
same lifelines are aligned (``Aligner``): idle lifelines kept for the columns' sake cost
the others 15-30 % of their type size (blind review 89). plantuml_rewrap.py holds a gap
open the same way.

Pure functions on PlantUML text and SVG (and the Aligner's bookkeeping); plantuml.py runs
the JVM.
"""
from __future__ import annotations

import re

from .geometry import svg_number
from .plantuml_frames import widen_boxes
from .plantuml_titles import ROOT, TITLE, resized, title_moved

# a lifeline as PlantUML draws it: a group titled with the participant's name, holding a
# transparent rect and the dashed line
_LIFELINE = re.compile(r'<g><title>[^<]*</title><rect [^>]*/><line x1="(?P<x>[-\d.]+)" y1="(?P<top>[-\d.]+)" '
                       r'x2="(?P=x)" y2="(?P<bottom>[-\d.]+)" style="[^"]*stroke-dasharray[^"]*"/></g>')
_DECLARED = re.compile(r'^(?:actor|participant|database|collections|queue|entity|control|boundary)\s+'
                       r'(?:"[^"\n]*"|\S+)\s+as\s+(?P<alias>[A-Za-z_][\w]*)', re.M)
_ARROW_FONT = re.compile(r"^skinparam arrowFontSize (\d+)\s*$", re.M)
_LINE = re.compile(r'<line [^>]*>')
_Y12 = re.compile(r'(\by[12]=")([-\d.]+)(")')
_RECT = re.compile(r'<rect (?P<a>[^>]*?)\by="(?P<y>[-\d.]+)" (?P<b>[^>]*?)height="(?P<h>[\d.]+)"')
_DRAWN_Y = re.compile(r'<(?:text|polygon|path|ellipse|polyline)\b[^>]*?\b(?:y|cy)="(?P<y>[-\d.]+)"')

SPRITE = "lablink_gap"  # a blank sprite SPRITE_PX wide, one pixel tall
SPRITE_PX = 100
# PlantUML scales a sprite in a message by the arrow font's size over 13 px and keeps a
# message's text 24 px clear of its two lifelines in all (measured, 1.2026.8): a sprite
# of w px spaces two lifelines w * size / 13 + 24 px apart at the least
SPRITE_FONT_PX = 13.0
MESSAGE_ROOM = 24.0
SELF_BOX = 18.0  # px from a message to itself's text to its box's side (measured, 1.2026.8)
EDGE_ROOM = 34.0  # ... and a message from or to an edge 34 px from the canvas's edge to the lifeline
MARGIN = 10.0  # px PlantUML leaves left of what it draws, where no title centres it
TITLE_SLACK = 2.0  # px a redrawn titled part reaches past the widest canvas, which PlantUML rounds up to whole px
SAME = 0.01  # px: a gap this close to the widest already is it


def lifelines(svg: str) -> list[tuple[float, float, float]]:
    """(x, top, bottom) of each lifeline, left to right, as PlantUML drew them.

    >>> lifelines('<g><title>A</title><rect x="1"/><line x1="10" y1="40" x2="10" y2="300" '
    ...           'style="stroke:#181818;stroke-dasharray:5,5;"/></g>')
    [(10.0, 40.0, 300.0)]
    """
    out = [(float(m["x"]), float(m["top"]), float(m["bottom"])) for m in _LIFELINE.finditer(svg)]
    return sorted(out)


def widest_gaps(columns: list[list[float]]) -> list[float] | None:
    """The widest gap between each pair of neighbouring lifelines over every part; None
    when the parts do not have the same number of lifelines.

    >>> widest_gaps([[10, 110, 150], [10, 60, 260]])
    [100, 200]
    >>> widest_gaps([[10, 110], [10, 60, 260]]) is None
    True
    """
    if len({len(c) for c in columns}) != 1 or len(columns[0]) < 2:
        return None
    return [max(c[i + 1] - c[i] for c in columns) for i in range(len(columns[0]) - 1)]


def widened(source: str, xs: list[float], gaps: list[float], left: float, right: float | None = None,
            reach: dict[int, float] | None = None) -> str | None:
    """The part's text with hidden messages that stand its first lifeline at ``left`` and
    each pair of neighbours ``gaps`` apart, and (``right``) reach that far right, so that a
    title narrower than that does not centre the drawing under it; ``reach``: lifeline index
    -> px right of it that its box's side stands (a hidden message to itself: PlantUML sets a
    box's side SELF_BOX px right of such a text). None if it needs none of them or the text
    is not one this module knows (its participants not one to a lifeline, no ``hide
    footbox`` for the added rows to stay under the story).

    >>> src = ("@startuml\\nskinparam arrowFontSize 26\\nhide footbox\\nparticipant \\"A\\" as a\\n"
    ...        "participant \\"B\\" as b\\nparticipant \\"C\\" as c\\na -> b : hi\\n@enduml\\n")
    >>> print(widened(src, [10, 60, 160], [100, 100], 10).split("a -> b : hi\\n")[1])
    sprite $lablink_gap [100x1/16] {
    0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
    }
    a -[hidden]> b : <$lablink_gap{scale=0.38}>
    b -[hidden]> c : <$lablink_gap{scale=0.38}>
    @enduml
    <BLANKLINE>
    >>> print(widened(src, [10, 110, 210], [100, 100], 60).split("}\\n")[1])
    [-[hidden]> a : <$lablink_gap{scale=0.13}>
    @enduml
    <BLANKLINE>
    >>> widened(src, [10, 110, 210], [100, 100], 10) is None
    True
    >>> print(widened(src, [10, 110, 210], [100, 100], 10, reach={1: 218}).split("}\\n")[1])
    b -[hidden]> b : <$lablink_gap{scale=1}>
    @enduml
    <BLANKLINE>
    """
    aliases = _DECLARED.findall(source)
    size = _ARROW_FONT.search(source)
    end = source.rfind("@enduml")
    if len(aliases) != len(xs) or len(gaps) != len(xs) - 1 or not size or end < 0 or "hide footbox" not in source:
        return None

    def gap(room: float) -> str:
        return f"<${SPRITE}{{scale={svg_number(max(room, 0) * SPRITE_FONT_PX / (int(size.group(1)) * SPRITE_PX), 6)}}}>"

    hidden = []
    if left > xs[0] + SAME:  # a message from the left edge: its text stands before the first lifeline
        hidden.append(f"[-[hidden]> {aliases[0]} : {gap(left - EDGE_ROOM)}")
    if any(want > xs[i + 1] - xs[i] + SAME for i, want in enumerate(gaps)):
        # every pair, not only the short ones: a gap held open by a message over it and its
        # neighbour closes when the neighbour widens (vm-provisioning's part 2 lost 23 px so)
        hidden += [f"{aliases[i]} -[hidden]> {aliases[i + 1]} : {gap(want - MESSAGE_ROOM)}" for i, want in enumerate(gaps)]
    if right is not None:  # a message to the right edge: its text stands after the last lifeline
        hidden.append(f"{aliases[-1]} -[hidden]>] : {gap(right - left - sum(gaps) - EDGE_ROOM)}")
    for i, px in sorted((reach or {}).items()):  # a box held wide of its last lifeline
        hidden.append(f"{aliases[i]} -[hidden]> {aliases[i]} : {gap(px - SELF_BOX)}")
    if not hidden:
        return None
    sprite = [] if holds_gaps(source) else [f"sprite ${SPRITE} [{SPRITE_PX}x1/16] {{", "0" * SPRITE_PX, "}"]
    return source[:end] + "\n".join(sprite + hidden) + "\n" + source[end:]


def holds_gaps(source: str) -> bool:
    """Whether ``source`` already holds gaps open with hidden messages (``widened``).

    >>> holds_gaps("a -> b : m"), holds_gaps("sprite $lablink_gap [100x1/16] {")
    (False, True)
    """
    return f"sprite ${SPRITE} " in source


def trimmed(svg: str, first: str) -> str | None:
    """``svg`` (a part drawn again with hidden messages) cut to ``first``'s height (the
    same part as drawn before): lifelines and boxes end where they ended there. None if
    anything but them reaches into the cut, or the two do not match.

    >>> first = ('<svg style="width:300px;height:320px;b" width="300px" height="320px" viewBox="0 0 300 320">'
    ...          '<g><title>A</title><rect x="1"/><line x1="10" y1="40" x2="10" y2="300" style="stroke-dasharray:5,5;"/></g></svg>')
    >>> again = ('<svg style="width:400px;height:350px;b" width="400px" height="350px" viewBox="0 0 400 350">'
    ...          '<rect x="0" y="5" width="50" height="325" fill="#F6F8FB"/>'
    ...          '<g><title>A</title><rect x="1"/><line x1="10" y1="40" x2="10" y2="330" style="stroke-dasharray:5,5;"/></g></svg>')
    >>> print(trimmed(again, first))
    <svg style="width:400px;height:320px;b" width="400px" height="320px" viewBox="0 0 400 320"><rect x="0" y="5" width="50" height="295" fill="#F6F8FB"/><g><title>A</title><rect x="1"/><line x1="10" y1="40" x2="10" y2="300" style="stroke-dasharray:5,5;"/></g></svg>
    """
    was, now = lifelines(first), lifelines(svg)
    root, first_root = ROOT.search(svg), ROOT.search(first)
    if not was or len(was) != len(now) or not root or not first_root:
        return None
    end, cut = was[0][2], now[0][2] - was[0][2]
    if cut < 0 or any(abs(a[1] - b[1]) > SAME or abs(b[2] - a[2] - cut) > SAME for a, b in zip(was, now)):
        return None
    if any(float(m["y"]) > end + SAME for m in _DRAWN_Y.finditer(svg)):
        return None

    def y12(m: re.Match) -> str:
        y = float(m.group(2))
        return m.group(1) + (svg_number(max(end, y - cut)) if y > end + SAME else m.group(2)) + m.group(3)

    def rect(m: re.Match) -> str:
        y, h = float(m["y"]), float(m["h"])
        if y + h <= end + SAME:
            return m.group(0)
        return f'<rect {m["a"]}y="{m["y"]}" {m["b"]}height="{svg_number(max(0.0, h - cut))}"'

    return resized(_RECT.sub(rect, _LINE.sub(lambda m: _Y12.sub(y12, m.group(0)), svg)),
                   float(root["w"]), float(first_root["h"]))


_X = re.compile(r'\b(?:x|x1|x2)="(?P<x>[-\d.]+)"')


def _drawing_left(svg: str) -> float:
    """The left end of what a part draws, its title aside (rects, texts, lines).

    >>> _drawing_left('<svg><g class="title"><text x="5">T</text></g><rect x="40"/><line x1="30" x2="60"/></svg>')
    30.0
    """
    return min((float(m["x"]) for m in _X.finditer(TITLE.sub("", svg))), default=0.0)


def same_boxes(svgs: list[str]) -> list[str]:
    """The parts (columns aligned, not yet through our passes) with each box as wide as the
    widest any part draws, its title centred again, on canvases of the widest part's width:
    PlantUML sizes a box by what stands in it, so monitoring's "Client VM" ended 0.6 in
    apart in the two parts. Parts whose boxes do not match one to one are left as they are.

    >>> a = ('<svg style="width:300px;height:320px;b" width="300px" height="320px" viewBox="0 0 300 320"><defs/>'
    ...      '<rect x="20" y="11" width="100" height="300" fill="#F6F8FB" style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>'
    ...      '<text x="50" y="28" fill="#000" font-size="19" textLength="40" font-weight="700">Box</text>'
    ...      '<g><title>A</title><rect x="1"/><line x1="70" y1="40" x2="70" y2="300" style="stroke-dasharray:5,5;"/></g></svg>')
    >>> b = a.replace('x="20" y="11" width="100"', 'x="10" y="11" width="90"').replace("width:300px", "width:280px")
    >>> for svg in same_boxes([a, b]):
    ...     print(re.search(r'style="(width:[^;]*)', svg)[1], re.findall(r'<(?:rect|text) x="([^"]*)" y="(?:11|28)" (?:width="([^"]*)")?', svg))
    width:300px [('10', '110'), ('45', '')]
    width:300px [('10', '110'), ('45', '')]
    """
    found = [_boxes(svg) for svg in svgs]
    if len({len(f) for f in found}) != 1:
        return svgs
    left = [min(f[i][1] for f in found) for i in range(len(found[0]))]
    right = [max(f[i][1] + f[i][2] for f in found) for i in range(len(found[0]))]
    roots = [ROOT.search(svg) for svg in svgs]
    width = max(float(r["w"]) for r in roots if r) if all(roots) else None
    out = []
    for svg, boxes, root in zip(svgs, found, roots):
        edits = []
        for (m, _, _, titles), lo, hi in zip(boxes, left, right):
            edits.append((m.start("x"), m.end("x"), svg_number(lo)))
            edits.append((m.start("w"), m.end("w"), svg_number(hi - lo)))
            for t in titles:
                edits.append((t.start("x"), t.end("x"), svg_number((lo + hi) / 2 - float(t["tw"]) / 2)))
        for a, b, text in sorted(edits, reverse=True):
            svg = svg[:a] + text + svg[b:]
        out.append(svg if width is None else resized(svg, width, float(root["h"])))
    return out


_BOX = re.compile(r'<rect x="(?P<x>[-\d.]+)" y="[-\d.]+" width="(?P<w>[\d.]+)" height="[\d.]+" fill="#[0-9A-Fa-f]{3,6}" '
                  r'style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>')
_BOX_TITLE = re.compile(r'<text x="(?P<x>[-\d.]+)" [^>]*?textLength="(?P<tw>[\d.]+)" font-weight="700"[^>]*>[^<]*</text>')


def _boxes(svg: str) -> list[tuple[re.Match, float, float, list[re.Match]]]:
    """The boxes PlantUML draws before the lifelines: (rect, x, width, title lines)."""
    end = svg.find("<g><title>")
    out = []
    for m in _BOX.finditer(svg, 0, max(end, 0)):
        titles, at = [], m.end()
        while (t := _BOX_TITLE.match(svg, at)) is not None:
            titles.append(t)
            at = t.end()
        out.append((m, float(m["x"]), float(m["w"]), titles))
    return out


def same_width(svgs: list[str]) -> list[str]:
    """The finished parts on canvases of one width (the widest), padded on the right.

    >>> a = ('<svg style="width:300px;height:320px;b" width="300px" height="320px" viewBox="0 0 300 320">'
    ...      '<g class="title"><text x="100">T</text></g></svg>')
    >>> [(re.search(r'viewBox="([^"]*)"', s)[1], re.search(r'<text x="([^"]*)"', s)[1])
    ...  for s in same_width([a, a.replace("300", "320")])]
    [('0 0 320 320', '110'), ('0 0 320 320', '100')]
    """
    roots = [ROOT.search(s) for s in svgs]
    if len(svgs) < 2 or not all(roots):
        return svgs
    width = max(float(r["w"]) for r in roots)
    # a title centred on the narrower canvas, centred again
    return [resized(title_moved(s, (width - float(r["w"])) / 2) if width > float(r["w"]) else s, width, float(r["h"]))
            for s, r in zip(svgs, roots)]


class Aligner:
    """Which parts to draw again, and each part's SVG once its whole figure is in.

    ``groups``: the PlantUML texts of each split figure's parts, in order. Every text
    goes through the JVM once as it is; ``drawn`` is told each SVG (None: failed) and
    answers with the texts to draw again and, once a figure has every part, each part's
    text with the SVG to finish (a failed part left out). A redrawn part that cannot be
    trimmed, or fails, keeps its first SVG: unaligned, but drawn.
    """

    def __init__(self, groups: list[list[str]]):
        self._group = {src: tuple(g) for g in groups if len(g) > 1 for src in g}
        self._first: dict[str, str | None] = {}
        self._final: dict[str, str] = {}
        self._again: dict[str, str] = {}  # redrawn text -> its part's text
        self._aligned: set[tuple[str, ...]] = set()
        self._text: dict[str, str] = {}  # part -> the text its first SVG was drawn from

    def holds(self, source: str) -> bool:
        return source in self._group or source in self._again

    def drawn(self, source: str, svg: str | None, text: str | None = None) -> tuple[list[str], list[tuple[str, str]]]:
        """``text``: what ``svg`` was drawn from, if not ``source`` (its messages rewrapped)."""
        if source in self._again:
            part = self._again.pop(source)
            self._final[part] = (svg is not None and trimmed(svg, self._first[part])) or self._first[part]
            return [], self._done(self._group[part])
        group = self._group[source]
        self._first[source] = svg
        self._text[source] = text or source
        if any(s not in self._first for s in group):
            return [], []
        drawn = [s for s in group if self._first[s] is not None]
        columns = [[x for x, _, _ in lifelines(self._first[s])] for s in drawn]
        # only a cast drawn whole in every part (crd): idle lifelines kept for the columns' sake
        # cost monitoring, logging and vm-provisioning 15-30 % of their type (blind review 89)
        same_cast = len({tuple(_DECLARED.findall(s)) for s in drawn}) == 1
        gaps = widest_gaps(columns) if len(drawn) > 1 and same_cast else None
        if gaps:
            self._aligned.add(group)
        # a title wider than a part's drawing centres the drawing under it: columns are compared
        # as if it stood at the left, and every part drawn again reaches the widest canvas
        lefts = [_drawing_left(self._first[s]) for s in drawn]
        left = max((xs[0] - (lo - MARGIN) for xs, lo in zip(columns, lefts) if xs), default=0.0)
        titled = any('<g class="title"' in self._first[s] for s in drawn)
        right = max(float(ROOT.search(self._first[s])["w"]) for s in drawn) + TITLE_SLACK if titled and gaps else None
        again = []
        for s, xs in zip(drawn, columns):
            text = widened(self._text[s], xs, gaps, left, right) if gaps else None
            if text is None:
                self._final[s] = self._first[s]
            else:
                self._again[text] = s
                again.append(text)
        return again, self._done(group)

    def _done(self, group: tuple[str, ...]) -> list[tuple[str, str]]:
        if any(s not in self._final and self._first.get(s) is not None for s in group):
            return []
        done = [s for s in group if s in self._final]
        svgs = [self._final.pop(s) for s in done]
        if group in self._aligned:
            # a box widened to hold a part's frames is as wide in every part: what stops a
            # widening (lifelines, heads, other boxes) stands alike in all once their columns do
            svgs = same_boxes([widen_boxes(svg) for svg in same_boxes(svgs)])
        return list(zip(done, svgs))

    def finished(self, sources: list[str], svgs: list[str]) -> list[str]:
        """The parts ``drawn`` handed back, through our passes: on one canvas width if aligned."""
        return same_width(svgs) if sources and self._group.get(sources[0]) in self._aligned else svgs
