"""How large a figure's body text prints once it is placed in its preset's print area.

A figure bigger than the area (paper: 7 x 9 in) is shrunk to fit, and its 14 pt node
text shrinks with it. Journals ask for 5-7 pt at print size (Cell Press 6 pt at least),
so ``render`` says after every run how many figures reach MIN_PT, which is smallest, and
which backend drew that view larger: a paper author learns it before the proofs do.
"""

from __future__ import annotations

import pathlib
import re
import xml.etree.ElementTree as ET

from ..presets import PRESETS

MIN_PT = 6.0
_LEN = re.compile(r"^\s*([\d.]+)\s*(pt|px)?\s*$")


def natural_size(svg: pathlib.Path) -> tuple[float, float]:
    """(width, height) in inches: DOT writes pt; Mermaid and PlantUML CSS px (1/96 in) or only a viewBox.
    ValueError when the file has no size."""
    try:
        root = ET.parse(svg).getroot()
    except (OSError, ET.ParseError) as e:
        raise ValueError(f"{svg}: {e}") from None

    def inches(value: str | None) -> float | None:
        m = _LEN.match(value or "")
        if not m:
            return None
        return float(m.group(1)) / (72 if m.group(2) == "pt" else 96)

    w, h = inches(root.get("width")), inches(root.get("height"))
    if (w is None or h is None) and root.get("viewBox"):
        try:
            _, _, vw, vh = map(float, root.get("viewBox").replace(",", " ").split())
        except ValueError:
            raise ValueError(f"{svg}: bad viewBox") from None
        w, h = vw / 96, vh / 96
    if not w or not h:
        raise ValueError(f"{svg}: no size")
    return w, h


def printed_pt(size_in: tuple[float, float], preset: str, area: tuple[float, float] | None = None) -> float:
    """The preset's node text size, in pt, once a figure of ``size_in`` is fitted into ``area``
    (default: the preset's print area); never enlarged.

    >>> printed_pt((14.0, 9.0), "paper")   # twice the 7-inch width: half of 14 pt
    7.0
    >>> printed_pt((3.0, 2.0), "paper")
    14.0
    """
    p = PRESETS[preset]
    aw, ah = area or (p.print_width, p.print_height)
    w, h = size_in
    return p.node_pt * min(1.0, aw / w, ah / h)


def as_one(sizes: list[tuple[float, str]], together: dict[str, str]) -> list[tuple[float, str]]:
    """The print sizes with the parts of each split figure (same ``together`` value) at the
    least of theirs, the scale their PNGs share (together.py).

    >>> as_one([(7.5, "m-part1"), (14.0, "m-part2"), (9.0, "x")], {"m-part1": "g", "m-part2": "g"})
    [(7.5, 'm-part1'), (7.5, 'm-part2'), (9.0, 'x')]
    """
    least: dict[str, float] = {}
    for pt, name in sizes:
        if together.get(name):
            least[together[name]] = min(pt, least.get(together[name], pt))
    return [(least[together[name]] if together.get(name) else pt, name) for pt, name in sizes]


def summary(svgs: list[pathlib.Path], preset: str, together: dict[pathlib.Path, str] | None = None) -> str | None:
    """One line for the render summary, or None without a readable SVG. ``together``: each
    split figure's parts (RenderJob.together), which print at one scale."""
    sizes = []
    for svg in svgs:
        try:
            sizes.append((printed_pt(natural_size(svg), preset), svg.name.removesuffix(".svg")))
        except ValueError:
            continue
    if not sizes:
        return None
    sizes = as_one(sizes, {p.name.removesuffix(".svg"): g for p, g in (together or {}).items()})
    sizes.sort()
    p = PRESETS[preset]
    ok = sum(pt >= MIN_PT for pt, _ in sizes)
    smallest_pt, smallest = sizes[0]
    line = (f"print size ({preset}, {p.print_width:g} x {p.print_height:g} in): {ok} of {len(sizes)} figures "
            f"print their {p.node_pt} pt text at {MIN_PT:g} pt or more")
    if ok < len(sizes):
        line += f"; smallest {smallest} at {smallest_pt:.1f} pt ({_better_backend(sizes, smallest)}--compact, or "
        line += "--max-steps 15 for a long sequence; bench/bench_legibility.py lists every figure)"
    return line


def _better_backend(sizes: list[tuple[float, str]], figure: str) -> str:
    """Where this run drew the same diagram view in a backend that prints it larger, say so.

    >>> _better_backend([(3.0, "x.sequence.mermaid"), (4.0, "x.sequence.plantuml")], "x.sequence.mermaid")
    'its plantuml prints at 4.0 pt; try '
    >>> _better_backend([(3.0, "x.sequence.mermaid")], "x.sequence.mermaid")
    'try another backend, '
    """
    view = figure.rsplit(".", 1)[0]
    same = [(pt, name) for pt, name in sizes if name != figure and name.rsplit(".", 1)[0] == view]
    if not same:
        return "try another backend, "
    pt, name = max(same)
    return f"its {name.rsplit('.', 1)[1]} prints at {pt:.1f} pt; try "
