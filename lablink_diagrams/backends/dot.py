"""Graphviz DOT: every piece of user text goes through this module and nowhere else.

Rules verified against Graphviz 2.43 (toolchain-notes §5c): a label is a
double-quoted string in which ``\\`` and ``"`` are escaped (so no
attribute can be injected and ``\\N``/``\\G``/``\\l`` stay literal) and ``&``
becomes ``&amp;`` (Graphviz decodes HTML entities in *every* label, so a
typed ``&#35;`` would otherwise show as ``#``); line breaks
are ``\\n`` written by us; control characters, which would make the SVG invalid
XML, are dropped.  HTML-like labels (titles, schema tables) use ``html.escape``
and also double backslashes: Graphviz expands ``\\N``/``\\G`` in them too, after
decoding entities (found by rendering the hostile corpus).  User
text never reaches ``URL``, ``href``, ``image``, ``shapefile`` or ``fontpath``.

>>> quote('x" URL="javascript:alert(1)')
'"x\\\\" URL=\\\\"javascript:alert(1)"'
>>> quote("C:\\\\temp\\\\x \\\\N")
'"C:\\\\\\\\temp\\\\\\\\x \\\\\\\\N"'
>>> quote("two\\nlines")
'"two\\\\nlines"'
>>> quote("&#35; &amp;")
'"&amp;#35; &amp;amp;"'
>>> html_text("<b>&</b>")
'&lt;b&gt;&amp;&lt;/b&gt;'
>>> html_text("C:\\\\temp \\\\N")
'C:\\\\\\\\temp \\\\\\\\N'
"""

from __future__ import annotations

import html

from ..style import LEADING
from .base import Backend
from .text import lines


def _escape_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")


def quote(text: str) -> str:
    """A DOT string literal holding exactly ``text``."""
    return '"' + "\\n".join(_escape_line(line) for line in lines(text)) + '"'


def html_text(text: str, size: int = 0) -> str:
    """Text inside an HTML-like label: XML-escaped, lines joined with ``<br/>``.

    dot sets HTML lines only ``size`` points apart (1.0 em: an underscore touches the
    capitals under it). Given the font ``size``, lines are kept LEADING apart by a line
    of blank text ``(LEADING - 1) * size`` points tall between them, as the title's gaps are.

    >>> html_text("a_b\\nC", 14)
    'a_b<br/><font point-size="3"> </font><br/>C'
    """
    gap = f'<br/><font point-size="{round((LEADING - 1) * size)}"> </font><br/>' if size else "<br/>"
    return gap.join(html.escape(line, quote=True).replace("\\", "\\\\") for line in lines(text))


def node_id(model_id: str) -> str:
    return quote(f"n_{model_id}")


def cluster_id(model_id: str) -> str:
    return quote(f"cluster_{model_id}")


def node_margin(text: str, size: int, x: float = 0.2, y: float = 0.1) -> str:
    """A node's ``margin`` (x, y inches around its words), y taller by what spreading its
    lines to LEADING will take.

    dot sets a plain label's lines ``size + 1`` points apart and sizes the node for that;
    the renderer spreads them to 1.2 em after the layout (render/dot_leading.py). Asking
    for the difference here lets dot leave room for it, so spread words keep the box's
    margin instead of running into its outline (review 51: 3-6 px at api's print scale).

    >>> node_margin("one line", 14)
    '"0.2,0.1"'
    >>> node_margin("three\\nshort\\nlines", 14)  # 2 gaps of 1.8 pt, 1.8 pt a side
    '"0.2,0.125"'
    """
    gaps = len(lines(text)) - 1
    extra = max(0.0, LEADING * size - (size + 1)) * gaps / 2 / 72
    return f'"{x:g},{round(y + extra, 3):g}"'


SHAPES = {
    "person": "oval", "browser": "oval", "database": "cylinder", "table": "cylinder",
    "storage": "cylinder", "queue": "cds", "function": "component", "trigger": "hexagon",
    "process": "box", "cloud": "egg", "vm": "box3d", "container": "box3d", "file": "note",
    "config": "note", "external": "box", "page": "tab", "workflow": "folder", "job": "box",
}


class DotBackend(Backend):
    name = "dot"
    extension = "dot"
    views = ("architecture", "schema")

    def filters(self) -> dict:
        return {"q": quote, "html": html_text, "nid": node_id, "cid": cluster_id, "lines": lines}

    def globals(self) -> dict:
        return {"shape": lambda kind: SHAPES.get(kind, "box"), "node_margin": node_margin}
