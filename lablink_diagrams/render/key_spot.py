"""Where a compact figure's key costs the figure least print size (dot_key.py, plantuml_key.py).

A key is as tall as its lines: beside or under the drawing it adds its whole size, in a
free corner of the drawing nothing. So the key goes, in one column or in two, where the
whole prints largest in the preset's print area: a free corner (under the title band,
clear of every obstacle by GAP; or standing out past the drawing's side by up to a
quarter of its width, where that clears it), else right of the drawing, else under it; at
one print size, the smaller canvas. Pure geometry, y down, in the drawing's own units.
"""
from __future__ import annotations

from dataclasses import dataclass

from .geometry import Box, grow, overlaps

GAP = 18.0  # between the key and the drawing's things, in its units (pt or px)
OVERHANG = 0.25  # a key in a corner may stand out past the drawing's side by this much of its width
STEP = 4.0  # ... tried this far apart
PLACES = ("top right", "bottom right", "top left", "bottom left", "right", "below")  # preferred first


@dataclass(frozen=True)
class Spot:
    """The key's layout (columns), its box, the drawing's box once it holds the key, the
    place's name, and the figure's scale in the print area (1.0: its natural size)."""
    columns: int
    box: Box
    drawing: Box
    place: str
    scale: float


def hung(line: str) -> bool:
    """Is a key's line a wrapped entry's later line? Those start with their hanging indent
    (views.common.key_entry); an entry's first line starts with its number, set right with
    figure spaces where it is shorter than the key's longest.

    >>> hung("\u2007\u2008\u2008in-use"), hung("\u2007\u2007\u2008\u20082 lines"), hung("\u20077. SSH"), hung("12. GET")
    (True, True, False, False)
    """
    return not line.lstrip("\u2007")[:1].isdigit()


def column_break(hung: list[bool]) -> int:
    """How many of a key's lines the first of two columns takes, given which lines are a
    wrapped entry's later lines (hung on a space: views.common.key_entry): as near half as an
    entry's start allows, so an entry stays whole, the first column the longer on a tie.

    >>> column_break([False, True, False, False]), column_break([False, False, True, False]), column_break([False, True])
    (2, 3, 2)
    """
    starts = [i for i, h in enumerate(hung) if i and not h]
    half = len(hung) / 2
    return min(starts, key=lambda i: (abs(i - half), -i), default=len(hung))


def fit(drawing: Box, area: tuple[float, float], pad: float | tuple[float, float]) -> float:
    """How much a drawing with ``pad`` round it (one margin, or across and down) shrinks into
    ``area`` (same units); at most 1.

    >>> fit((0, 0, 1008, 648), (504, 648), 0)
    0.5
    """
    x1, y1, x2, y2 = drawing
    px, py = pad if isinstance(pad, tuple) else (pad, pad)
    return min(area[0] / (x2 - x1 + 2 * px), area[1] / (y2 - y1 + 2 * py), 1.0)


def best(drawing: Box, top: float, obstacles: list, sizes: list[tuple[float, float]],
         area: tuple[float, float], pad: float | tuple[float, float], out: tuple[str, ...] = ("left", "right")) -> Spot:
    """The spot, of the key in each layout of ``sizes`` (1, 2... columns), that prints the
    figure largest; ``top``: where the title band ends; ``obstacles``: boxes and segments
    (geometry.segment) the key keeps GAP from, the title band among them; ``out``: the sides
    a corner's key may stand out past (``_overhung``).

    >>> node = (14, 214, 86, 286)                   # one node, bottom left of a 400 x 300 drawing
    >>> best((0, 0, 400, 300), 0, [node], [(100, 120)], (504, 648), 0).place
    'top right'
    >>> wide = (2, 6, 398, 294)                      # a node that fills it
    >>> s = best((0, 0, 400, 300), 0, [wide], [(100, 120), (200, 60)], (504, 648), 0)
    >>> s.place, s.columns, s.drawing                # under it, at its natural size, the lower way
    ('below', 2, (0, 0, 400, 378.0))
    >>> best((0, 0, 400, 300), 0, [wide], [(100, 120), (200, 60)], (648, 216), 0).place  # a wide, low area
    'right'
    >>> low = (150, 150, 260, 290)                   # no corner is free; 32 out past the left side is
    >>> s = best((0, 0, 400, 300), 0, [low], [(160, 120)], (504, 648), 0)
    >>> s.place, s.box, s.drawing                    # (below, it had grown the canvas by 138, not 32)
    ('top left', (-32.0, 18.0, 128.0, 138.0), (-32.0, 0, 400, 300))
    >>> best((0, 0, 400, 300), 0, [low], [(160, 120)], (504, 648), 0, out=("right",)).box  # a canvas that grows right only
    (280.0, 18.0, 440.0, 138.0)
    """
    x1, y1, x2, y2 = drawing

    def free(box: Box) -> bool:
        return not any(overlaps(grow(box, GAP), o) for o in obstacles)

    found: tuple | None = None
    for columns, (w, h) in enumerate(sizes, start=1):
        spots = {
            "top right": (x2 - w, top + GAP, x2, top + GAP + h),
            "bottom right": (x2 - w, y2 - h, x2, y2),
            "top left": (x1, top + GAP, x1 + w, top + GAP + h),
            "bottom left": (x1, y2 - h, x1 + w, y2),
            "right": (x2 + GAP, top + GAP, x2 + GAP + w, top + GAP + h),
            "below": ((x1 + x2 - w) / 2, y2 + GAP, (x1 + x2 + w) / 2, y2 + GAP + h),
        }
        for name, box in spots.items():
            inside = PLACES.index(name) < 4
            if inside and (box[0] < x1 or box[3] > y2 or not free(box)):
                # a key as wide or tall as the drawing has no corner; one that is not free, perhaps one out past it
                fits = box[0] >= x1 and box[3] <= y2
                box = _overhung(box, name, w, free) if fits and name.split()[-1] in out else None
                if box is None:
                    continue
            grown = (min(x1, box[0]), min(y1, box[1]), max(x2, box[2]), max(y2, box[3]))
            scale = fit(grown, area, pad)
            # at one scale, the smaller canvas: a key under a figure bound by its width
            # prints no smaller in two columns, and leaves less of the page empty
            area_taken = round((grown[2] - grown[0]) * (grown[3] - grown[1]))
            key = (round(scale, 4), -area_taken, -PLACES.index(name), -columns)
            if found is None or key > found[0]:
                found = (key, Spot(columns, box, grown, name, scale))
    assert found is not None  # "right" and "below" are always possible
    return found[1]


def _overhung(box: Box, name: str, w: float, free) -> Box | None:
    """A corner's key moved out past the drawing's side, OVERHANG of its width at most, to
    the first place (STEP apart) where it is clear; None if there is none. The canvas grows
    by the overhang, and the figure's print size decides (``best``): crd-connection's DOT
    key, a little too wide for the empty quarter left of the Allocator frame, went under the
    drawing (7.4 pt in the paper set); standing out past the Client VM frame, it
    fills that quarter (7.9 pt). cicd's PlantUML key went into its top right corner likewise
    (6.4 -> 7.2 pt). Blind review 102 preferred both, with high confidence."""
    way = -1 if name.endswith("left") else 1
    for k in range(1, int(OVERHANG * w / STEP) + 1):
        moved = (box[0] + way * k * STEP, box[1], box[2] + way * k * STEP, box[3])
        if free(moved):
            return moved
    return None
