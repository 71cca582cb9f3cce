"""A struck edge label with no clear spot, its lines joined into another shape that has one.

edge_labels.py moves a label as it is. Some have no clear spot in their shape: cicd's
"18. stage 1: / client VMs / 19. stage 2: / infrastructure" (PlantUML) is four lines tall
between a frame border and its edge, which leave room for two; a halo then hid the border
under its words, and reviews still sent the figure back. Such a label may join adjacent
lines (a numbered step always starts a line) into a shape that is clear where it stands or
has a clear spot near, as the search finds it (edge_labels.moves, unchanged). Joining whole lines is exact: a joined
line is as wide as its parts plus one space each, so no text is measured here. Pure geometry.
"""
from __future__ import annotations

import itertools
import math

from . import edge_labels
from .edge_labels import Label
from .geometry import Box, box_inside, grow, overlaps, shifted_box, union

SPACE_EM = 0.2856  # DejaVu Sans Condensed's space (style.FONT), in ems: 585 of 2048 units
WIDEST = 2.5  # a joined line is at most this many times the label's widest line
REACH = 48.0  # farthest a joined label moves: it stays by where the label was (a third of the search's cost)


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


def joined(label: Label, groups, space: float) -> Label:
    """The label with its lines joined as ``groups`` say: each line centred on the label's
    centre (as the backends draw them), at its line pitch, the block centred where it was.

    >>> two = Label((0, 0, 40, 30), 0, ((0, 0, 40, 10), (5, 20, 35, 30)))
    >>> joined(two, ((0, 1),), 5.0)
    Label(box=(-17.5, 10.0, 57.5, 20.0), line=0, parts=((-17.5, 10.0, 57.5, 20.0),))
    >>> up = Label((0, -20, 40, 30), 0, ((0, 20, 40, 30), (5, 0, 35, 10), (0, -20, 40, -10)))  # y up: first on top
    >>> [p[1] for p in joined(up, ((0,), (1, 2)), 5.0).parts]
    [10.0, -10.0]
    """
    parts = label.parts
    height = parts[0][3] - parts[0][1]
    pitch = (parts[-1][1] - parts[0][1]) / (len(parts) - 1) if len(parts) > 1 else height  # < 0 with y up
    cx, cy = (label.box[0] + label.box[2]) / 2, (label.box[1] + label.box[3]) / 2
    widths = [sum(parts[i][2] - parts[i][0] for i in g) + space * (len(g) - 1) for g in groups]
    ys = [k * pitch for k in range(len(groups))]
    y0 = cy - (min(ys) + max(ys) + height) / 2
    lines = tuple((cx - w / 2, y0 + y, cx + w / 2, y0 + y + height) for w, y in zip(widths, ys))
    return Label(union(lines), label.line, lines)


def reflow(labels: list[Label], lines: list[list], fixed: list, bounds: Box, found: list,
           space: float, starts: list[frozenset[int]]) -> dict[int, tuple[tuple, Label, tuple[float, float]]]:
    """For each label that ``found`` (edge_labels.moves) left struck where it is: the
    joining that is clear nearest to where it was (fewer changed lines on a tie), as
    (groups, the joined label where it now stands, its move); labels with none are absent.
    Between spots as near, the shape that breaks fewer steps over two lines wins (then the
    one that changes fewer lines): "18. stage 1: client VMs / 19. stage 2: infrastructure".

    >>> from lablink_diagrams.render.geometry import segment as seg
    >>> edge = [seg((0, 60), (300, 60))]                   # its edge, under it
    >>> border = [seg((0, 20), (300, 20))]                 # a frame border over it
    >>> four = Label((130, 12, 170, 56), 0, tuple((130, 12 + 12 * k, 170, 20 + 12 * k) for k in range(4)))
    >>> out = reflow([four], [edge], border, (0, 0, 300, 100), [None], 4.0, [frozenset({0, 2})])
    >>> out[0][0], out[0][1].box, out[0][2]                # two lines fit between border and edge
    (((0, 1), (2, 3)), (108.0, 24.0, 192.0, 44.0), (0.0, 0.0))
    """
    labels = [l if not m else Label(shifted_box(l.box, *m), l.line, tuple(shifted_box(p, *m) for p in l.parts))
              for l, m in zip(labels, found)]
    out = {}
    for i, label in enumerate(labels):
        if found[i] or len(label.parts) < 2 or not _struck(labels, i, lines, fixed):
            continue
        widest = WIDEST * max(p[2] - p[0] for p in label.parts)
        best = None
        step_starts = (starts[i] if i < len(starts) else frozenset()) | {0}
        for groups in shapes(len(label.parts), step_starts - {0}):
            trial = joined(label, groups, space)
            if trial.box[2] - trial.box[0] > widest:
                continue
            here = labels[:i] + [trial] + labels[i + 1:]
            move = edge_labels.moves(here, lines, fixed, bounds, only={i}, search=REACH)[i]
            if move is None:
                if not box_inside(trial.box, bounds) or _struck(here, i, lines, fixed):
                    continue
                move = (0.0, 0.0)
            # nearest first; then the fewest steps broken over lines, then the fewest changes
            broken = sum(g[0] not in step_starts for g in groups)
            key = (round(math.hypot(*move), 1), broken, -len(groups))
            if best is None or key < best[0]:
                best = (key, groups, Label(shifted_box(trial.box, *move), trial.line, tuple(shifted_box(p, *move) for p in trial.parts)), move)
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
