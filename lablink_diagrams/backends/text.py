"""Normalising label text before any backend escapes it: lines, no control characters.

Every backend splits a label into lines here and spells the line break itself,
so a user's newline is a line break everywhere and never a new statement.

>>> lines("a\\r\\nb\\rc\\nd")
['a', 'b', 'c', 'd']
>>> lines("tab\\there\\x00\\x1b[31m\\x7f\\x85!")
['tab here[31m!']
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def lines(text: str) -> list[str]:
    """Split on any newline convention; tabs become spaces; other control characters are dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return [_CONTROL.sub("", line) for line in text.split("\n")]


def one_line(text: str) -> str:
    """The label on one line (for places where a backend has no line break)."""
    return " ".join(lines(text))
