"""A struck edge label with no clear spot, its words set on other lines into a shape that has one.

edge_labels.py moves a label as it is. Some have no clear spot in their shape: cicd's
"18. stage 1: / client VMs / 19. stage 2: / infrastructure" (PlantUML) is four lines tall
between a frame border and its edge, which leave room for two; a halo then hid the border
under its words, and reviews still sent the figure back. Such a label may join adjacent
lines (a numbered step always starts a line) into a shape that is clear where it stands or
has a clear spot near, as the search finds it (edge_labels.moves, unchanged). Joining whole
lines is exact: a joined line is as wide as its parts plus one space each.

Where no joining has a spot, the words are wrapped anew, narrower or wider: PlantUML's
"16. run start-host" (crd-connection) is one line too wide for the frame it runs down, and
stood across its border (review 53). A word's width is its share of its measured line
(font_widths.py); a step's number stays with its first word. Pure geometry.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from . import edge_labels, font_widths
from .edge_labels import Label
from .geometry import Box, box_inside, grow, overlaps, shifted_box, union

SPACE_EM = font_widths.advance(" ")  # DejaVu Sans Condensed's space (style.FONT), in ems: 585 of 2048 units
WIDEST = 2.5  # a joined line is at most this many times the label's widest line
REACH = 48.0  # farthest a joined label moves: it stays by where the label was (a third of the search's cost)
_STEP = re.compile(r"\d+\.$")  # a step's number, as the first word of a line


@dataclass(frozen=True)
class Words:
    """A label's words in reading order: each one's width and line as drawn, and the words a
    line always starts with (a numbered step) or never ends with (that step's number)."""
    widths: tuple[float, ...]
    line_of: tuple[int, ...]
    steps: frozenset[int]
    glued: frozenset[int]

    @classmethod
    def of(cls, label: Label, texts: list[str], space: float) -> "Words":
        """The words of a label whose lines read ``texts`` (split at single spaces, as the
        backends join them again).

        >>> w = Words.of(Label((0, 0, 80, 10), 0, ((0, 0, 80, 10),)), ["1. ab ab"], 5.0)
        >>> [round(x, 1) for x in w.widths], w.steps, w.glued  # "1." narrower than "ab"
        ([19.4, 25.3, 25.3], frozenset({0}), frozenset({0}))
        """
        widths, line_of, steps, glued = [], [], set(), set()
        for k, (text, part) in enumerate(zip(texts, label.parts)):
            words = text.split(" ")
            if len(words) > 1 and _STEP.match(words[0]):
                steps.add(len(widths))
                glued.add(len(widths))
            widths += font_widths.word_widths(words, part[2] - part[0], space)
            line_of += [k] * len(words)
        return cls(tuple(widths), tuple(line_of), frozenset(steps), frozenset(glued))

    def lines(self, groups) -> tuple[tuple[int, ...], ...]:
        """Groups of the label's lines as groups of its words."""
        return tuple(tuple(i for i, k in enumerate(self.line_of) if k in g) for g in groups)

    def width(self, group: tuple[int, ...], label: Label, space: float) -> float:
        """A new line's width: a whole old line keeps its measured width, exactly."""
        pieces = []
        for k in sorted({self.line_of[i] for i in group}):
            mine = [i for i in group if self.line_of[i] == k]
            if len(mine) == self.line_of.count(k):
                pieces.append(label.parts[k][2] - label.parts[k][0])
            else:
                pieces.append(sum(self.widths[i] for i in mine) + space * (len(mine) - 1))
        return sum(pieces) + space * (len(pieces) - 1)


def wraps(words: Words, space: float, widest: float) -> list[tuple[tuple[int, ...], ...]]:
    """Every greedy wrapping of the words to a line width no wider than ``widest``, narrowest
    first: a step always starts a line, and its number keeps its first word.

    >>> w = Words((30.0, 20.0, 40.0, 10.0), (0, 0, 0, 0), frozenset({0}), frozenset({0}))
    >>> wraps(w, 5.0, 120.0)  # 40 wide: "1." keeps its word, wider than 40
    [((0, 1), (2,), (3,)), ((0, 1), (2, 3)), ((0, 1, 2), (3,)), ((0, 1, 2, 3),)]
    """
    n = len(words.widths)
    if n < 2:
        return []
    runs = set()
    for i in range(n):
        for j in range(i, n):
            if j > i and j in words.steps:
                break
            runs.add(round(sum(words.widths[i:j + 1]) + space * (j - i), 6))
    out = []
    for limit in sorted(r for r in runs if r <= widest):
        groups, line, used = [], [], 0.0
        for i, w in enumerate(words.widths):
            breakable = line and line[-1] not in words.glued
            if line and (i in words.steps or (breakable and used + space + w > limit + 1e-6)):
                groups.append(tuple(line))
                line, used = [], 0.0
            used += w if not line else space + w
            line.append(i)
        shape = (*groups, tuple(line))
        if shape not in out:
            out.append(shape)
    return out


def shapes(n: int, starts: frozenset[int] = frozenset()) -> list[tuple[tuple[int, ...], ...]]:
    """Every way to join adjacent lines of an ``n``-line label into fewer lines, most lines
    first; a line in ``starts`` always begins one (a numbered step).

    >>> shapes(3)
    [((0,), (1, 2)), ((0, 1), (2,)), ((0, 1, 2),)]
    >>> shapes(4, frozenset({0, 2}))
    [((0,), (1,), (2, 3)), ((0, 1), (2,), (3,)), ((0, 1), (2, 3))]
    """
    out = []
    for cuts in itertools.product((True, False), repeat=max(n - 1, 0)):  # cut before line k+1?
        if all(cuts) or any(not cut and k + 1 in starts for k, cut in enumerate(cuts)):
            continue
        groups, line = [], [0]
        for k, cut in enumerate(cuts, start=1):
            if cut:
                groups.append(tuple(line))
                line = []
            line.append(k)
        out.append((*groups, tuple(line)))
    return sorted(out, key=len, reverse=True)


def joined(label: Label, widths: list[float], pitch: float) -> Label:
    """The label set as lines ``widths`` wide: each centred on the label's centre (as the
    backends draw them), at its line pitch (``pitch`` for a one-line label: < 0 with y up),
    the block centred where it was.

    >>> two = Label((0, 0, 40, 30), 0, ((0, 0, 40, 10), (5, 20, 35, 30)))
    >>> joined(two, [75.0], 12.0)
    Label(box=(-17.5, 10.0, 57.5, 20.0), line=0, parts=((-17.5, 10.0, 57.5, 20.0),))
    >>> up = Label((0, -20, 40, 30), 0, ((0, 20, 40, 30), (5, 0, 35, 10), (0, -20, 40, -10)))  # y up: first on top
    >>> [p[1] for p in joined(up, [40.0, 75.0], 12.0).parts]
    [10.0, -10.0]
    >>> joined(Label((0, 0, 40, 10), 0, ((0, 0, 40, 10),)), [20.0, 15.0], 12.0).parts  # one line split in two
    ((10.0, -6.0, 30.0, 4.0), (12.5, 6.0, 27.5, 16.0))
    """
    parts = label.parts
    height = parts[0][3] - parts[0][1]
    if len(parts) > 1:
        pitch = (parts[-1][1] - parts[0][1]) / (len(parts) - 1)
    cx, cy = (label.box[0] + label.box[2]) / 2, (label.box[1] + label.box[3]) / 2
    ys = [k * pitch for k in range(len(widths))]
    y0 = cy - (min(ys) + max(ys) + height) / 2
    lines = tuple((cx - w / 2, y0 + y, cx + w / 2, y0 + y + height) for w, y in zip(widths, ys))
    return Label(union(lines), label.line, lines)


def reflow(labels: list[Label], lines: list[list], fixed: list, bounds: Box, found: list,
           space: float, texts: list[list[str]], pitch: float) -> dict[int, tuple[tuple, Label, tuple[float, float]]]:
    """For each label that ``found`` (edge_labels.moves) left struck where it is: the
    joining that is clear nearest to where it was (fewer changed lines on a tie), else the
    wrapping that is (fewer lines on a tie), as (groups of its words, the label where it now
    stands, its move); labels with neither are absent. ``texts`` are each label's lines,
    ``pitch`` the backends' line pitch (for a label of one line). Between spots as near,
    the shape that breaks fewer steps over two lines wins (then the one that changes fewer
    lines): "18. stage 1: client VMs / 19. stage 2: infrastructure".

    >>> from lablink_diagrams.render.geometry import segment as seg
    >>> edge = [seg((0, 60), (300, 60))]                   # its edge, under it
    >>> border = [seg((0, 20), (300, 20))]                 # a frame border over it
    >>> four = Label((130, 12, 170, 56), 0, tuple((130, 12 + 12 * k, 170, 20 + 12 * k) for k in range(4)))
    >>> texts = [["1. aa", "bb", "2. cc", "dd"]]
    >>> out = reflow([four], [edge], border, (0, 0, 300, 100), [None], 4.0, texts, 12.0)
    >>> out[0][0], out[0][1].box, out[0][2]                # two lines fit between border and edge
    (((0, 1, 2), (3, 4, 5)), (108.0, 24.0, 192.0, 44.0), (0.0, 0.0))
    >>> walls = [seg((0, 20), (300, 20)), seg((100, 0), (100, 100)), seg((200, 0), (200, 100))]
    >>> one = Label((90, 30, 210, 40), 0, ((90, 30, 210, 40),))  # one line across two walls
    >>> out = reflow([one], [edge], walls, (0, 0, 300, 100), [None], 4.0, [["1. aaaa bbbb"]], 12.0)
    >>> out[0][0], [round(p[2] - p[0]) for p in out[0][1].parts]  # broken after its first word
    (((0, 1), (2,)), [68, 48])
    """
    labels = [l if not m else Label(shifted_box(l.box, *m), l.line, tuple(shifted_box(p, *m) for p in l.parts))
              for l, m in zip(labels, found)]
    out = {}
    for i, label in enumerate(labels):
        if found[i] or i >= len(texts) or not _struck(labels, i, lines, fixed):
            continue
        words = Words.of(label, texts[i], space)
        widest = WIDEST * max(p[2] - p[0] for p in label.parts)
        starts = words.steps | {0}
        step_lines = frozenset(words.line_of[w] for w in words.steps)
        joinings = [words.lines(groups) for groups in shapes(len(label.parts), step_lines - {0})]
        best = None
        for family, groupings in enumerate((joinings, [g for g in wraps(words, space, widest) if g not in joinings])):
            for groups in groupings:
                trial = joined(label, [words.width(g, label, space) for g in groups], pitch)
                if trial.box[2] - trial.box[0] > widest + 1e-6:
                    continue
                here = labels[:i] + [trial] + labels[i + 1:]
                move = edge_labels.moves(here, lines, fixed, bounds, only={i}, search=REACH)[i]
                if move is None:
                    if not box_inside(trial.box, bounds) or _struck(here, i, lines, fixed):
                        continue
                    move = (0.0, 0.0)
                # nearest first; then the fewest steps broken over lines, then the fewest
                # changes (a joining: the most lines kept) or the fewest lines (a wrapping)
                broken = sum(g[0] not in starts for g in groups)
                key = (round(math.hypot(*move), 1), broken, len(groups) if family else -len(groups))
                if best is None or key < best[0]:
                    best = (key, groups, Label(shifted_box(trial.box, *move), trial.line,
                                               tuple(shifted_box(p, *move) for p in trial.parts)), move)
            if best:
                break
        if best:
            out[i] = best[1:]
            labels[i] = best[2]
    return out


def _struck(labels: list[Label], i: int, lines: list[list], fixed: list) -> bool:
    """Something within 1 of the label (another line, a border, a box, another label), or
    its own line through its text: what edge_labels.moves calls struck."""
    label = labels[i]
    own = lines[label.line] if 0 <= label.line < len(lines) else []
    others = [s for k, line in enumerate(lines) if k != label.line for s in line]
    boxes = [l.box for j, l in enumerate(labels) if j != i]
    grown = grow(label.box, 1.0)
    return (any(overlaps(grown, o) for o in [*fixed, *others, *boxes])
            or any(overlaps(grow(label.box, -2.0), o) for o in own))
