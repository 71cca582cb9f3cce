"""How wide a piece of a measured line is, in the label font (style.FONT): to break a line at a space.

The backends measure whole lines (PlantUML's ``textLength``, dot's ``width``), never words.
A label struck where it stands may need a line broken elsewhere (label_reflow.py), so each
word's share of its line is taken from DejaVu Sans Condensed's advance widths, read from
``DejaVuSansCondensed.ttf`` (fonts-dejavu-extra 2.37, 2048 units per em) with fontTools.
PlantUML sums these same advances, unkerned: its ``textLength`` of "16. run start-host" at
19 px is 149.588, and so is 19 x this table's sum. Pure data and arithmetic.
"""
from __future__ import annotations

UNITS = 2048
LINE_EM = (1901 + 483) / UNITS  # ascent + descent: PlantUML's line pitch (22.117 px at 19 px)
# advance of each character from " " (32) to "~" (126), in font units
_ASCII = (585, 738, 847, 1544, 1172, 1751, 1437, 506, 719, 719, 921, 1544, 585, 665, 585, 621,
          1172, 1172, 1172, 1172, 1172, 1172, 1172, 1172, 1172, 1172, 621, 621, 1544, 1544, 1544, 978,
          1843, 1260, 1264, 1287, 1419, 1164, 1060, 1428, 1386, 543, 543, 1208, 1026, 1590, 1378, 1450,
          1111, 1450, 1280, 1170, 1125, 1349, 1260, 1822, 1262, 1125, 1262, 719, 621, 719, 1544, 921,
          921, 1129, 1170, 1013, 1170, 1134, 648, 1170, 1168, 512, 512, 1067, 512, 1795, 1168, 1127,
          1170, 1170, 757, 960, 722, 1168, 1090, 1507, 1090, 1090, 967, 1172, 621, 1172, 1544)
_OTHER = {"·": 585, "→": 1544, "×": 1544, "›": 737, "…": 1843, "∥": 921, "–": 921, "↔": 1544,
          "—": 1843, "‘": 585, "’": 585, "“": 954, "”": 954,
          "\u2007": 1172, "\u2008": 585}  # figure and punctuation space: a key's hanging indent
_TYPICAL = 1100  # the mean of the ASCII advances: a character the table lacks


def advance(text: str) -> float:
    """The advance width of ``text``, in ems.

    >>> round(advance("16. run start-host") * 19, 3)  # PlantUML's textLength for it at 19 px
    149.588
    >>> advance(" ") == 585 / 2048
    True
    """
    return sum(_ASCII[ord(c) - 32] if 32 <= ord(c) <= 126 else _OTHER.get(c, _TYPICAL) for c in text) / UNITS


def word_widths(words: list[str], width: float, space: float) -> list[float]:
    """Each word's width in a line of ``words`` joined by single spaces that the backend
    measured ``width`` wide, given a space's width: the words share what the spaces leave
    in proportion to their advances, so they add up to the measured line exactly.

    >>> word_widths(["ab", "ab"], 25.0, 5.0)
    [10.0, 10.0]
    >>> [round(w, 2) for w in word_widths(["16.", "run", "start-host"], 149.588, 0.2856 * 19)]
    [27.17, 28.7, 82.87]
    """
    ink = max(width - space * (len(words) - 1), 0.0)
    advances = [advance(w) for w in words]
    total = sum(advances)
    if total <= 0:
        return [ink / len(words)] * len(words) if words else []
    return [ink * a / total for a in advances]
