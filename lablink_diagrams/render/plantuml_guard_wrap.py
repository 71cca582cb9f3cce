"""Guards that a bar or a box's side runs through, broken into two lines that fit before it.

plantuml_frames.guards_off_bars moves such a guard right, past the bars and sides it meets,
which can leave it far from its frame's tab: data-collection's "[for each VM IP, one after
another]" started past the Allocator EC2 box, 260 px right of its ``loop`` (review 93:
"guards sit far from their tabs"). Where the guard's words fit in two lines between its start
and the first bar or side it meets, the sequence is drawn again with the guard so broken
(PlantUML gives the frame's head the taller row), and it stays by its tab. A guard that
would have to move all the same keeps its one line (blind review 92: monitoring's "[status
changed (incl. first check)]" in two lines, moved past the sides, read as cut off from its
tab), and so do the other guards of its frame, which would follow it past the side. Pure
functions on PlantUML text and SVG; plantuml.py runs the JVM.
"""
from __future__ import annotations

import html
import re

from .font_widths import advance
from .plantuml_frames import _GUARD, BAR, FRAME, SIDE_GAP, box_sides, guard_lines, widen_boxes
from .plantuml_rewrap import _ESCAPED, _greedy

GUARD_LINES = 2
KEEP = 4.0  # px a broken guard keeps from the bar or side it stands before
# a fragment's head or section as sequence.j2 writes it: the keyword, then the guard's text
_SOURCE = re.compile(r"^(?P<head>(?:opt|alt|loop|par|else|group|critical|break) )(?P<label>.+)$", re.M)


def crowded(svg: str) -> dict[str, tuple[float, float]]:
    """Each one-line guard that a bar or a box's side runs through, and whose words fit in
    GUARD_LINES lines before the first of them: its text (no brackets) -> (that room in px,
    px per em of its bold font as drawn).

    >>> box = ('<rect x="300" y="0" width="200" height="500" fill="#F6F8FB" '
    ...        'style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>')
    >>> guard = ('<text x="100" y="120" fill="#000" font-size="19" textLength="{}" font-weight="700" '
    ...          'font-family="x">{}</text>')
    >>> crowded('<svg viewBox="0 0 600 520">' + guard.format(290, "[for each VM IP, one after another]") + box + '</svg>')
    {'for each VM IP, one after another': (190.0, 18.539)}
    >>> crowded('<svg viewBox="0 0 600 520">' + guard.format(290, "[status changed (incl. first check)]")
    ...         .replace('x="100"', 'x="230"') + box + '</svg>')  # no room for it in two lines either
    {}
    >>> frame = '<rect x="20" y="100" width="560" height="300" fill="none" style="stroke:#000;stroke-width:1.5;"'
    >>> crowded('<svg viewBox="0 0 600 520">' + frame + guard.format(290, "[for each VM IP, one after another]")
    ...         + guard.format(290, "[status changed (incl. first check)]").replace('x="100" y="120"', 'x="230" y="300"')
    ...         + box + '</svg>')  # its frame's other guard moves past the side: this one would follow it
    {}
    """
    svg = widen_boxes(svg)
    walls = [(float(m["x"]), float(m["y"]), float(m["y"]) + float(m["h"])) for m in BAR.finditer(svg)]
    walls += [(x - SIDE_GAP, top, bottom) for x, top, bottom in box_sides(svg)]
    frames = [(float(m["x"]), float(m["y"]), float(m["x"]) + float(m["w"]), float(m["y"]) + float(m["h"]))
              for m in FRAME.finditer(svg)]
    fits: dict[str, tuple[float, float, tuple | None]] = {}
    moving = set()  # frames one of whose guards moves past a side all the same
    for g in _GUARD.finditer(svg):
        end = svg.index("</text>", g.end())
        text = html.unescape(svg[svg.index(">", g.start()) + 1:end])
        x, y, size, w = (float(g[k]) for k in ("x", "y", "size", "w"))
        top, bottom = y - 0.8 * size, y + 0.25 * size
        holder = min((f for f in frames if f[0] <= x and x < f[2] and f[1] <= top and bottom <= f[3]),
                     key=lambda f: (f[2] - f[0]) * (f[3] - f[1]), default=None)
        met = [wx for wx, wt, wb in walls if x - 4 < wx < x + w and wt < bottom and top < wb]
        if not met:
            continue
        room, px = round(min(met) - KEEP - x, 3), round(w / advance(text), 3) if advance(text) else 0.0
        lines = _greedy(text.split(), room, px) if px and not guard_lines(svg, g) else None
        if lines and len(lines) <= GUARD_LINES and text.startswith("[") and text.endswith("]"):
            fits[text[1:-1]] = (room, px, holder)
        else:
            moving.add(holder)
    # guards_off_bars sets a frame's guards in one column past the side where one of them
    # moves there: broken in two by its tab, another guard of that frame would follow it
    # there all the same (crd part 2's "[user's request returns]", under "[allocator wakes
    # the waiting VM]")
    return {t: (room, px) for t, (room, px, holder) in fits.items() if holder not in moving}


def rewrapped(source: str, rooms: dict[str, tuple[float, float]]) -> str | None:
    """``source`` with each guard that ``rooms`` names broken into the fewest lines that fit
    its room (its brackets counted); None if none changes.

    >>> src = "@startuml\\nloop for each VM IP, one after another\\na -> b : x\\nend\\n@enduml\\n"
    >>> print(rewrapped(src, {"for each VM IP, one after another": (190.0, 18.539)}).splitlines()[1])
    loop for each VM IP,\\none after another
    """
    changed = False

    def line(m: re.Match) -> str:
        nonlocal changed
        words = m["label"].split()
        plain = " ".join(_ESCAPED.sub(lambda e: chr(int(e[1], 16)), w) for w in words)
        if plain not in rooms or "\\n" in m["label"]:
            return m.group(0)
        room, px = rooms[plain]
        bracketed = next((b for units in (_bound(words), words) for b in [_greedy(_bracketed(units), room, px)]
                          if b and len(b) <= GUARD_LINES), None)
        if not bracketed or len(bracketed) < 2:
            return m.group(0)
        changed = True
        return m["head"] + "\\n".join(ln.removeprefix("[").removesuffix("]") for ln in bracketed)

    out = _SOURCE.sub(line, source)
    return out if changed else None


ARROWS = {"↔", "→", "←", "⇒", "=", "<U+003D>"}


def _bound(words: list[str]) -> list[str]:
    """The words with each arrow bound to the words either side of it: a guard's relation
    stays on one line (blind review 96: "[running ↔ / stopped changed]" split it).

    >>> _bound("running ↔ stopped changed".split())
    ['running ↔ stopped', 'changed']
    """
    out: list[str] = []
    glue = False
    for w in words:
        if w in ARROWS and out:
            out[-1] += " " + w
            glue = True
        elif glue:
            out[-1] += " " + w
            glue = False
        else:
            out.append(w)
    return out


def _bracketed(units: list[str]) -> list[str]:
    return ["[" + units[0], *units[1:-1], units[-1] + "]"] if len(units) > 1 else [f"[{units[0]}]"]
