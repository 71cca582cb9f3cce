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

from .base import Backend
from .text import lines


def _escape_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")


def quote(text: str) -> str:
    """A DOT string literal holding exactly ``text``."""
    return '"' + "\\n".join(_escape_line(line) for line in lines(text)) + '"'


def html_text(text: str) -> str:
    """Text inside an HTML-like label: XML-escaped, lines joined with ``<br/>``."""
    return "<br/>".join(html.escape(line, quote=True).replace("\\", "\\\\") for line in lines(text))


def node_id(model_id: str) -> str:
    return quote(f"n_{model_id}")


def cluster_id(model_id: str) -> str:
    return quote(f"cluster_{model_id}")


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
        return {"q": quote, "html": html_text, "nid": node_id, "cid": cluster_id}

    def globals(self) -> dict:
        return {"shape": lambda kind: SHAPES.get(kind, "box")}
