"""HTML template refs, found with the stdlib ``html.parser``.

- ``TAG[ATTR=VALUE]`` (several ``[..]`` allowed): an element with those
  attribute values (exact, surrounding whitespace ignored), at the line of the
  first named attribute (``name="email"`` may sit lines below ``<input``);
- ``TAG:Text``: an element whose text (whitespace collapsed) contains Text;
- ``fetch(URL)``: a ``fetch(`` call in a script or an inline handler whose
  first argument, without quotes, starts with URL (so ``fetch(/api/vm-logs/)``
  matches ``fetch(`/api/vm-logs/${hostname}`)``).

Jinja markup is left as text; the parser is tolerant of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .base import BadSymbol

_FETCH = re.compile(r"\bfetch\(\s*([^,)]*)")


@dataclass
class HtmlIndex:
    tags: list = field(default_factory=list)     # (tag, {attr: (value, line)}, line)
    texts: list = field(default_factory=list)    # (tag, text, line) for each closed element
    fetches: list = field(default_factory=list)  # (argument, line)


class _Scanner(HTMLParser):
    def __init__(self, idx: HtmlIndex):
        super().__init__(convert_charrefs=True)
        self.idx = idx
        self.open: list = []  # [tag, line, [text parts]]

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        raw = self.get_starttag_text() or ""
        where = {}
        for name, value in attrs:
            m = re.search(r"(?i)\s" + re.escape(name) + r"\s*(=|\s|/?>|$)", raw)
            where.setdefault(name, ((value or "").strip(), line + (raw.count("\n", 0, m.start()) if m else 0)))
            if name.startswith("on") and value:
                self._fetches(value, where[name][1])
        self.idx.tags.append((tag, where, line))
        if tag not in ("input", "br", "img", "meta", "link", "hr"):
            self.open.append([tag, line, []])

    def handle_endtag(self, tag):
        for k in range(len(self.open) - 1, -1, -1):
            if self.open[k][0] == tag:
                t, line, parts = self.open[k]
                text = " ".join("".join(parts).split())
                self.idx.texts.append((t, text, line))
                del self.open[k:]
                for outer in self.open:  # text bubbles up to enclosing elements
                    outer[2].extend(parts)
                return

    def handle_data(self, data):
        if self.open:
            self.open[-1][2].append(data)
            if self.open[-1][0] == "script":
                self._fetches(data, self.getpos()[0])

    def _fetches(self, data: str, line: int) -> None:
        for m in _FETCH.finditer(data):
            arg = m.group(1).strip().strip("`'\"")
            self.idx.fetches.append((arg, line + data.count("\n", 0, m.start())))


def parse(text: str, path: str = "") -> HtmlIndex:
    idx = HtmlIndex()
    s = _Scanner(idx)
    s.feed(text)
    s.close()
    idx.texts.sort(key=lambda t: t[2])
    return idx


_ATTR_SEL = re.compile(r"^([A-Za-z][\w-]*)((?:\[[^=\]]+=[^\]]*\])+)$")


def lookup(idx: HtmlIndex, kind: str, symbol: str, relaxed: bool = False) -> int | None:
    symbol = symbol.strip()
    if symbol.startswith("fetch(") and symbol.endswith(")"):
        url = symbol[6:-1].strip().strip("`'\"")
        return next((line for arg, line in idx.fetches if url and arg.startswith(url)), None)
    m = _ATTR_SEL.match(symbol)
    if m:
        tag = m.group(1).lower()
        want = [tuple(p.split("=", 1)) for p in re.findall(r"\[([^\]]+)\]", m.group(2))]
        for t, attrs, _ in idx.tags:
            if t == tag and all(a.lower() in attrs and attrs[a.lower()][0] == v.strip() for a, v in want):
                return attrs[want[0][0].lower()][1]
        return None
    tag, sep, text = symbol.partition(":")
    if sep and re.fullmatch(r"[A-Za-z][\w-]*", tag) and text.strip():
        want = " ".join(text.split())
        return next((line for t, txt, line in idx.texts if t == tag.lower() and want in txt), None)
    raise BadSymbol("html symbol must be TAG[ATTR=VALUE], TAG:Text or fetch(URL)")
