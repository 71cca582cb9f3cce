"""Line-oriented refs: shell scripts, Dockerfiles and whole files.

- ``shell``: a function name (``send_status`` matches ``send_status() {`` or
  ``function send_status``); otherwise the symbol is command text that must
  appear on a non-comment line (``docker run``).  The first line where the
  text stands at a command position wins (line start, after ``;``, ``&&``,
  ``|``, ``$(``, ``sudo``), then a line that is not an ``echo``/``printf``
  message, then any code line.
- ``dockerfile``: text on an instruction line (continuation lines of a
  multi-line ``RUN`` count; comments do not).
- ``file``: ``*``, the file itself (line 1).

Matching is plain substring matching on purpose: these refs name a command,
and a command is text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import BadSymbol


@dataclass
class TextIndex:
    lines: list[str]


def parse(text: str, path: str = "") -> TextIndex:
    return TextIndex(text.splitlines())


def _code_lines(idx: TextIndex):
    for no, line in enumerate(idx.lines, 1):
        stripped = line.lstrip()
        if stripped.startswith("#") and not stripped.startswith("#!"):
            continue
        yield no, line


def lookup(idx: TextIndex, kind: str, symbol: str, relaxed: bool = False) -> int | None:
    if kind == "file":
        if symbol != "*":
            raise BadSymbol("file symbol must be '*'")
        return 1
    if not symbol.strip():
        raise BadSymbol("empty text")
    if kind == "shell":
        line = lookup_function(idx, symbol)
        if line is not None:
            return line
    if kind == "dockerfile":
        return next((no for no, line in _code_lines(idx) if symbol in line), None)
    # shell command text: best at command position, then on a line that is not a message, then anywhere
    at_cmd = re.compile(r"(?:^|[;&|({]|\$\(|\bsudo|\bexec|\bthen|\bdo|\belse)\s*" + re.escape(symbol))
    code = [(no, _strip_comment(line)) for no, line in _code_lines(idx)]
    for test in (lambda c: at_cmd.search(c.strip()),
                 lambda c: symbol in c and not re.match(r"\s*(echo|printf|log\w*)\b", c),
                 lambda c: symbol in c):
        for no, c in code:
            if test(c):
                return no
    return None


def lookup_function(idx: TextIndex, symbol: str) -> int | None:
    """Line of a shell function definition named ``symbol`` (used when looking for moved functions)."""
    if not re.fullmatch(r"[A-Za-z_][\w:-]*", symbol):
        return None
    fn = re.compile(r"^\s*(?:function\s+" + re.escape(symbol) + r"\b|" + re.escape(symbol) + r"\s*\(\s*\))")
    return next((no for no, line in _code_lines(idx) if fn.match(line)), None)


def _strip_comment(line: str) -> str:
    """Drop a trailing shell comment (a ``#`` after whitespace, outside quotes).

    >>> _strip_comment('echo "a # b" # note')
    'echo "a # b" '
    """
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line
