"""Message texts that a box's side still runs through, broken into lines that fit beside it.

plantuml_messages.off_sides moves a message's text along its arrow to a spot clear of the
box sides; a text wider than every clear stretch of its arrow stays where PlantUML wrote
it, and a side runs through its words (review 87: monitoring's 7 and 10, vm-provisioning's
20 and 22, crd's 1). Such a message's words are broken anew into lines no wider than the
widest clear stretch (``rewrapped``), and the sequence is drawn again: PlantUML gives the
taller text its row, and off_sides finds it its spot. A text holding one word wider than
any stretch, or needing more than MESSAGE_LINES lines there, gets a wider stretch instead (``widenings``: the gap it grows with is held open
by plantuml_columns' hidden messages). A message to its own lifeline keeps its text by its
loop, so only the room up to the next side counts for it. Guards are left as they are
(blind review 92). Pure functions on PlantUML text and SVG; plantuml.py runs the JVM.
"""
from __future__ import annotations

import html
import re

from ..views.sequence import MESSAGE_LINES
from .font_widths import advance
from .plantuml_frames import BAR, FRAME, SIDE_GAP, box_sides, widen_boxes
from .plantuml_messages import _MESSAGE, APART, HEAD, off_sides
from .plantuml_columns import lifelines
from .plantuml_titles import TEXT, text_box

# a message as sequence.j2 writes it: source, arrow, target, its label (escaped, \n between lines)
_LINE = re.compile(r"^(?P<head>[A-Za-z_]\w* -{1,2}>{1,2} [A-Za-z_]\w* : )(?P<label>.+)$", re.M)
_NUMBER = re.compile(r"\d+\.")  # a message's step number, as views.common.numbered writes it
_ESCAPED = re.compile(r"<U\+([0-9A-Fa-f]{4,6})>")
_TEXT_BODY = re.compile(r"<text [^>]*>([^<]*)</text>")
_MEASURED = re.compile(r'<text [^>]*?textLength="(?P<w>[\d.]+)"[^>]*>(?P<body>[^<]*)</text>')
# a message to its own lifeline: out, down and back, its head, then its text, right of the lifeline
_SELF = re.compile(r'<line x1="(?P<x1>[-\d.]+)" y1="(?P<y>[-\d.]+)" x2="(?P<x2>[-\d.]+)" y2="(?P=y)" '
                   r'style="stroke:#181818;stroke-width:1;(?:stroke-dasharray:2,2;)?"/>'
                   r'<line x1="(?P=x2)" [^>]*/>(?:<line [^>]*/>|<polygon [^>]*/>){2,4}'
                   r'(?P<texts>(?:<text [^>]*>[^<]*</text>)+)')


def struck(svg: str) -> dict[str, tuple[float, float]]:
    """Each message text a box's side runs through once the boxes are widened and the texts
    moved (the text, its lines joined by spaces) -> (the widest stretch of its arrow clear of
    box and frame sides and activation bars, in px; px per em of its font as drawn).

    >>> box = ('<rect x="0" y="0" width="200" height="500" fill="#F6F8FB" '
    ...        'style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>')
    >>> msg = ('<line x1="100" y1="100" x2="300" y2="100" style="stroke:#181818;stroke-width:1;"/>'
    ...        '<text x="107" y="93" fill="#000" font-size="19" textLength="160" font-family="x">4. Put Log Events</text>')
    >>> struck('<svg viewBox="0 0 500 520">' + box + msg + '</svg>')
    {'4. Put Log Events': (82.0, 20.386)}
    """
    svg = off_sides(widen_boxes(svg))
    sides = box_sides(svg)
    if not sides:
        return {}
    walls = [x for x, _, _ in sides]
    walls += [fx for f in FRAME.finditer(svg) for fx in (float(f["x"]), float(f["x"]) + float(f["w"]))]
    out: dict[str, tuple[float, float]] = {}
    for m, x1, x2, top, bottom in _on_sides(svg, _MESSAGE, sides):
        lo, hi = sorted((float(m["x1"]), float(m["x2"])))
        lo, hi = lo + HEAD, hi - HEAD
        # the bars the arrow's row meets, and the sides, split the arrow into clear stretches
        cuts = [(x - SIDE_GAP, x + SIDE_GAP) for x in walls if lo < x < hi]
        cuts += [(float(b["x"]) - APART, float(b["x"]) + 10 + APART) for b in BAR.finditer(svg)
                 if float(b["y"]) < bottom and top < float(b["y"]) + float(b["h"])]
        room, at = 0.0, lo
        for a, b in sorted(cuts):
            room, at = max(room, a - at), max(at, b)
        room = max(room, hi - at)
        out[_text(svg, m)] = (round(room, 3), _em(svg, m))
    for m, x1, x2, first in _selves(svg, sides, walls):  # its text stays by its loop: the room up to the side
        out[_text(svg, m)] = (round(first - SIDE_GAP - x1, 3), _em(svg, m))
    return out


def _em(svg: str, m: re.Match) -> float:
    """Px per em of advance() in a message's text as drawn (its font's size, measured)."""
    lines = [(float(t["w"]), html.unescape(t["body"])) for t in _MEASURED.finditer(svg, m.start("texts"), m.end("texts"))]
    ems = sum(advance(b) for _, b in lines)
    return round(sum(w for w, _ in lines) / ems, 3) if ems else 0.0


def _text(svg: str, m: re.Match) -> str:
    """A message's text as drawn, its lines joined by single spaces."""
    text = " ".join(html.unescape(t) for t in _TEXT_BODY.findall(svg, m.start("texts"), m.end("texts")))
    return " ".join(text.split())


def _on_sides(svg: str, pattern: re.Pattern, sides):
    """Each message ``pattern`` finds whose text a box's side runs through (within SIDE_GAP,
    as off_sides keeps it): (match, the text's left, right, top and bottom)."""
    for m in pattern.finditer(svg):
        boxes = [text_box(t) for t in TEXT.finditer(svg, m.start("texts"), m.end("texts"))]
        x1, x2 = min(b[0] for b in boxes), max(b[2] for b in boxes)
        top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
        if any(top < s2 and s1 < bottom and x1 - SIDE_GAP < x < x2 + SIDE_GAP for x, s1, s2 in sides):
            yield m, x1, x2, top, bottom


def _selves(svg: str, sides, walls):
    """Each message to its own lifeline whose text a box's side runs through: (match, the
    text's left and right end, the first wall right of its lifeline)."""
    for m, x1, x2, _, _ in _on_sides(svg, _SELF, sides):
        right = [x for x in walls if x > float(m["x1"]) + SIDE_GAP]
        if right:
            yield m, x1, x2, min(right)


def widenings(svg: str) -> list[float]:
    """Px to add to each gap between neighbouring lifelines so that each message text a box's
    side still runs through finds a clear stretch as wide as it is, for texts no rewrapping
    fits (one word wider than any stretch: data-collection's ``fetch("/api/scp-client")``
    between the admin and the box its arrow enters; or more than MESSAGE_LINES lines needed);
    [] where none is needed or none helps.
    A stretch grows with a gap when its left end keeps its place and its right end moves
    with the lifelines right of the gap: the arrow's ends stay with their lifelines, a box's
    sides with the box's first and last lifeline.

    >>> box = ('<rect x="140" y="0" width="200" height="500" fill="#F6F8FB" '
    ...        'style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>')
    >>> life = ''.join(f'<g><title>p</title><rect x="{x - 4}"/><line x1="{x}" y1="40" x2="{x}" y2="490" '
    ...                'style="stroke:#181818;stroke-width:0.5;stroke-dasharray:5,5;"/></g>' for x in (80, 320))
    >>> msg = ('<line x1="80" y1="100" x2="320" y2="100" style="stroke:#181818;stroke-width:1;"/>'
    ...        '<text x="87" y="93" fill="#000" font-size="19" textLength="215" font-family="x">fetch("/api/scp-client")</text>')
    >>> widenings('<svg viewBox="0 0 500 520">' + box + life + msg + '</svg>')  # the stretch inside the box cannot grow
    [179.0]
    >>> line = '<line x1="{}" y1="{}" x2="{}" y2="{}" style="stroke:#181818;stroke-width:1;"/>'
    >>> loop = (line.format(80, 100, 122, 100) + line.format(122, 100, 122, 113) + line.format(81, 113, 122, 113)
    ...         + '<polygon points="91,109,81,113,91,117"/>'
    ...         + '<text x="87" y="90" fill="#000" font-size="19" textLength="100" font-family="x">13. invoke</text>')
    >>> widenings('<svg viewBox="0 0 500 520">' + box + life + loop + '</svg>')  # a message to itself: the gap after it
    [59.0]
    """
    svg = off_sides(widen_boxes(svg))
    sides = box_sides(svg)
    xs = [x for x, _, _ in lifelines(svg)]
    if not sides or len(xs) < 2:
        return []

    def column(x: float) -> int:
        return min(range(len(xs)), key=lambda i: abs(xs[i] - x))

    # each box side, with the lifeline it keeps its place by (box_sides gives a box's two in turn)
    walls = []
    for (left, _, _), (right, _, _) in zip(sides[::2], sides[1::2]):
        inside = [i for i, x in enumerate(xs) if left < x < right]
        if inside:
            walls += [(left, min(inside)), (right, max(inside))]
    extra = [0.0] * (len(xs) - 1)
    for m, x1, x2, _, _ in _on_sides(svg, _MESSAGE, sides):
        lo, hi = sorted((float(m["x1"]), float(m["x2"])))
        cuts = [(lo + HEAD, lo + HEAD, column(lo))]
        cuts += sorted((x - SIDE_GAP, x + SIDE_GAP, k) for x, k in walls if lo + HEAD < x < hi - HEAD)
        cuts += [(hi - HEAD, hi - HEAD, column(hi))]
        grown = [(x2 - x1 - (b - a), k) for (_, a, k), (b, _, l) in zip(cuts, cuts[1:]) if k < l]
        if grown:
            need, k = min(grown)
            extra[k] = max(extra[k], round(need + SIDE_GAP, 3))
    for m, x1, x2, first in _selves(svg, sides, [x for x, _ in walls]):
        k, side = column(float(m["x1"])), [i for x, i in walls if x == first]
        if side and side[0] > k:  # the side is the next box's, which moves with the gap after k
            # its stretch runs from its text's start to the side: short by x2 - (first - SIDE_GAP), and
            # SIDE_GAP more, as for an arrow's
            extra[k] = max(extra[k], round(x2 - first + 2 * SIDE_GAP, 3))
    return extra if any(extra) else []


DETACHED = 100.0  # px along its arrow past which a moved text reads as cut off from where it starts


def reaches(svg: str) -> dict[int, float]:
    """Lifeline index -> how far right of it (px) its box's side must stand, for each message
    text that PlantUML wrote at its arrow's left end, on the last lifeline of a box, and that
    the box's right side runs through where off_sides leaves it, or would move it along the
    arrow more than DETACHED past the side, away from where the message starts (review 97:
    monitoring's 7, 310 px from its source; logging's 5, 230 px). A message to its
    own lifeline, hidden, widens the box instead (plantuml_columns.widened's ``reach``), and
    the text stays by its lifeline.

    >>> box = ('<rect x="40" y="0" width="120" height="500" fill="#F6F8FB" '
    ...        'style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>')
    >>> life = ''.join(f'<g><title>p</title><rect x="{x - 4}"/><line x1="{x}" y1="40" x2="{x}" y2="490" '
    ...                'style="stroke:#181818;stroke-width:0.5;stroke-dasharray:5,5;"/></g>' for x in (100, 320))
    >>> msg = ('<line x1="100" y1="100" x2="320" y2="100" style="stroke:#181818;stroke-width:1;"/>'
    ...        '<text x="107" y="93" fill="#000" font-size="19" textLength="120" font-family="x">4. PutLogEvents</text>')
    >>> reaches('<svg viewBox="0 0 400 520">' + box + life + msg + '</svg>')  # moved 59 px: by its lifeline still
    {}
    >>> wide = msg.replace('textLength="120"', 'textLength="190"')  # too wide for a stretch past the side
    >>> reaches('<svg viewBox="0 0 400 520">' + box + life + wide + '</svg>')
    {0: 209.0}
    >>> near = msg.replace('y1="100"', 'y1="200"').replace('y2="100"', 'y2="200"').replace('y="93"', 'y="193"')
    >>> reaches('<svg viewBox="0 0 400 520">' + box + life + wide + near + '</svg>')  # it fits inside too
    {0: 209.0}
    >>> far = life[life.index('<g>', 1):].replace('320', '480')  # a third lifeline; to it, a text moved just past the side
    >>> cut = near.replace('x2="320"', 'x2="480"').replace('textLength="120"', 'textLength="200"')
    >>> reaches('<svg viewBox="0 0 600 520">' + box + life + far + wide + cut + '</svg>')  # the side would cut it
    {}
    """
    svg = widen_boxes(svg)
    sides = box_sides(svg)
    xs = [x for x, _, _ in lifelines(svg)]
    if not sides or len(xs) < 2:
        return {}
    last = {}  # each box's right side -> its last lifeline
    for (left, _, _), (right, _, _) in zip(sides[::2], sides[1::2]):
        inside = [i for i, x in enumerate(xs) if left < x < right]
        if inside:
            last[right] = max(inside)
    def spans(drawn: str) -> dict[str, tuple[float, float]]:  # each message's text, by its arrow's y
        out = {}
        for m in _MESSAGE.finditer(drawn):
            boxes = [text_box(t) for t in TEXT.finditer(m["texts"])]
            out[m["y"]] = (min(b[0] for b in boxes), max(b[2] for b in boxes))
        return out
    tails, moved = spans(svg), spans(off_sides(svg))  # where PlantUML wrote them, where off_sides sets them
    out: dict[int, float] = {}
    held: dict[int, set] = {}  # the arrows (by y) whose texts each widened box holds
    for m, x1, x2, _, _ in _on_sides(svg, _MESSAGE, sides):
        lo, hi = sorted((float(m["x1"]), float(m["x2"])))
        k = min(range(len(xs)), key=lambda i: abs(xs[i] - lo))
        away = abs(moved.get(m["y"], (x1, x2))[0] - x1)
        if 0 < away < DETACHED:  # moved, but still by its lifeline: network-flow's 2, 61 px on
            continue
        if any(i == k and x1 - SIDE_GAP < right < x2 + SIDE_GAP and right < hi for right, i in last.items()):
            out[k] = max(out.get(k, 0.0), round(x2 - xs[k] + SIDE_GAP + 2 * APART, 3))
            held.setdefault(k, set()).add(m["y"])
    # a side moved into another text, written where its message starts, would run through
    # that one instead (network-flow's Browsers box, held wide for "1. DNS: FQDN → Elastic
    # IP", ran through "2. Elastic IP + SG allow_http", moved just past the side): left as it is
    return {k: r for k, r in out.items()
            if not any(a - SIDE_GAP < xs[k] + r < b + SIDE_GAP for y, (a, b) in tails.items() if y not in held[k])}


def rewrapped(source: str, rooms: dict[str, tuple[float, float]]) -> str | None:
    """``source`` with each message whose text ``rooms`` names broken anew into lines no
    wider than its room (px, at its px per em); None if none changes (a word wider than the
    room, more than MESSAGE_LINES lines needed, or its lines already so: such a text gets a
    wider stretch instead, network-flow's "1. DNS: FQDN → Elastic IP" took four lines). Guards are never rewrapped: one in two lines, moved past
    the sides, read as cut off from its frame's tab, where the sides under its patch did not
    show in print (blind review 92 preferred it as it was).

    >>> src = "@startuml\\na -> b : 7. POST <U+007B>hostname,\\\\ngpu_status<U+007D> on change\\n@enduml\\n"
    >>> print(rewrapped(src, {"7. POST {hostname, gpu_status} on change": (190, 19)}).splitlines()[1])
    a -> b : 7. POST <U+007B>hostname,\\ngpu_status<U+007D> on\\nchange
    >>> rewrapped(src, {"7. POST {hostname, gpu_status} on change": (150, 19)}) is None  # four lines
    True
    >>> rewrapped("@startuml\\na -> b : 4. HTTP\\n@enduml\\n", {"4. HTTP": (50, 19)}) is None  # "4." never alone
    True
    """
    changed = False

    def line(m: re.Match) -> str:
        nonlocal changed
        label = m["label"]
        words = label.replace("\\n", " ").split()
        plain = " ".join(_ESCAPED.sub(lambda e: chr(int(e[1], 16)), w) for w in words)
        if plain not in rooms:
            return m.group(0)
        room, em = rooms[plain]
        # the step's number stays with its first word, as every view writes it ("4." alone
        # on a line over "HTTP" read as a stray number: network-flow's titled sequence)
        units = [f"{words[0]} {words[1]}", *words[2:]] if len(words) > 1 and _NUMBER.fullmatch(words[0]) else words
        lines = _greedy(units, room, em) if em else None
        if lines is None or len(lines) > MESSAGE_LINES or "\\n".join(lines) == label:
            return m.group(0)
        changed = True
        return m["head"] + "\\n".join(lines)

    out = _LINE.sub(line, source)
    return out if changed else None


def _greedy(words: list[str], room: float, px: float) -> list[str] | None:
    """``words`` (escaped) in as few lines at most ``room`` px wide as they go, the widest
    of them as narrow as it can be (no "change" left alone under three full lines); None if
    a word alone is wider.

    >>> _greedy("7. POST {hostname, gpu_status} on change".split(), 167, 19)
    ['7. POST', '{hostname,', 'gpu_status}', 'on change']
    >>> _greedy(["a_very_long_identifier"], 50, 19) is None
    True
    """
    def width(i: int, j: int) -> float:  # words[i:j] on one line
        return advance(_ESCAPED.sub(lambda e: chr(int(e[1], 16)), " ".join(words[i:j]))) * px

    n = len(words)
    if any(width(i, i + 1) > room for i in range(n)):
        return None
    # fewest lines first, then the narrowest widest line: (lines, widest) for words[:j]
    best: list[tuple[int, float, int]] = [(0, 0.0, 0)] + [(n + 1, 0.0, 0)] * n
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            w = width(i, j)
            if w > room:
                break
            lines, widest, _ = best[i]
            cand = (lines + 1, max(widest, w), i)
            if cand[:2] < best[j][:2]:
                best[j] = cand
    out, j = [], n
    while j:
        i = best[j][2]
        out.append(" ".join(words[i:j]))
        j = i
    return out[::-1]
