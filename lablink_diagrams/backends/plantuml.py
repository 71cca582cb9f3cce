"""PlantUML: every piece of user text goes through this module and nowhere else.

Rule verified against PlantUML 1.2026.8 (toolchain-notes §5a): lines are
never joined raw (a newline would start a preprocessor line such as
``!include``); every ASCII character outside ``[A-Za-z0-9 .,?!@+]`` becomes
``<U+XXXX>``, which PlantUML shows literally and never evaluates, so ``%getenv``,
``%load_json``, ``<img:...>``, creole markup and quotes are inert.  Line breaks
are the two characters ``\\n``, written by us.  Ids are generated, and no text
ever follows ``@startuml``.

>>> label('%load_json("/etc/x") <img:/p.png>')
'<U+0025>load<U+005F>json<U+0028><U+0022><U+002F>etc<U+002F>x<U+0022><U+0029> <U+003C>img<U+003A><U+002F>p.png<U+003E>'
>>> label("a\\n!include /etc/passwd")
'a\\\\n<U+0021>include <U+002F>etc<U+002F>passwd'
>>> label("漢字 ok?")
'漢字 ok?'
"""

from __future__ import annotations

import re

from .base import Backend
from .text import lines

_SAFE = re.compile(r"[A-Za-z0-9 .,?@+]")


def escape_line(text: str) -> str:
    # "!" is in the verified safe set, but a line's first "!" is PlantUML's
    # preprocessor sigil; encoding it everywhere costs nothing.
    return "".join(c if ord(c) > 127 or _SAFE.fullmatch(c) else f"<U+{ord(c):04X}>" for c in text)


def label(text: str) -> str:
    """Any label, message, note or title; lines joined with PlantUML's ``\\n``."""
    return "\\n".join(escape_line(line) for line in lines(text))


MESSAGE_WIDTH = 44  # characters per line of a sequence message (about 320 px at 14 pt)


def message(text: str) -> str:
    """A sequence message, broken into lines here.

    PlantUML's own ``skinparam maxMessageSize`` re-parses the text it wraps, which
    decodes our escapes a second time (``<U+005C>t`` became a tab, a typed
    ``&#35;`` or ``<U+0023>`` became ``#``; found by rendering), so it is never used.

    >>> message("POST /api/request_vm with the user's email and the CRD command")
    'POST <U+002F>api<U+002F>request<U+005F>vm with the user<U+0027>s email\\\\nand the CRD command'
    """
    import textwrap

    return "\\n".join(label(textwrap.fill(line, MESSAGE_WIDTH, break_long_words=False, break_on_hyphens=False)
                            if len(line) > MESSAGE_WIDTH else line) for line in lines(text))


def block_lines(items) -> list[str]:
    r"""Lines for a multi-line block (``legend`` ... ``endlegend``), one physical line each.

    A block ends at a line reading ``endlegend``; escaped text keeps its letters, so every
    line must start with something no keyword starts with: the items are numbered
    (``3. ...``, or `` 3. ...`` set right with figure spaces) and continuation lines start
    with a non-ASCII space (their hanging indent, or no-break spaces).

    >>> block_lines(["1. endlegend\nendlegend", "2. a\n\u2007\u2008\u2008endlegend", "\u20073. b"])
    ['1. endlegend', '\xa0\xa0\xa0endlegend', '2. a', '\u2007\u2008\u2008endlegend', '\u20073. b']
    >>> block_lines(["\u2007endlegend"])
    Traceback (most recent call last):
    ValueError: block lines are numbered
    """
    out = []
    for item in items:
        if not item.lstrip("\u2007")[:1].isdigit():
            raise ValueError("block lines are numbered")
        first, *rest = lines(item)
        out.append(escape_line(first))
        out.extend(("" if line[:1] > "\x7f" and line[:1].isspace() else "\u00a0\u00a0\u00a0") + escape_line(line)
                   for line in rest)
    return out


def entity_label(text: str) -> str:
    """A class-like (entity) name: PlantUML reads a trailing ``<...>`` there as generics,
    so a name ending in an escape gets one trailing space, which it renders as nothing.

    >>> entity_label("vms (x)")
    'vms <U+0028>x<U+0029> '
    """
    out = label(text)
    return out + " " if out.endswith(">") else out


def node_id(model_id: str) -> str:
    return f"n_{model_id}"


def group_id(model_id: str) -> str:
    return f"g_{model_id}"


ELEMENTS = {
    "person": "person", "browser": "rectangle", "service": "component", "process": "component",
    "database": "database", "table": "database", "function": "hexagon", "trigger": "hexagon",
    "storage": "storage", "queue": "queue", "cloud": "cloud", "vm": "node", "container": "rectangle",
    "file": "file", "external": "cloud", "workflow": "card", "job": "card", "page": "rectangle",
    "config": "file",
}
# cloud and external groups are plain rectangles (their colour says what they are): a
# cloud-shaped frame's scalloped border cut through the labels of the edges that cross it
GROUPS = {"host": "node", "vm": "node", "cloud": "rectangle", "external": "rectangle", "repo": "folder",
          "container": "frame"}
PARTICIPANTS = {"person": "actor", "browser": "actor", "database": "database", "table": "database",
                "queue": "queue", "external": "participant"}
ARROWS = {"sync": "->", "reply": "-->", "async": "->>"}
FRAME_GAP = 10  # px of space between a message or note and the section line or frame foot under it


class PlantUMLBackend(Backend):
    name = "plantuml"
    extension = "puml"
    views = ("architecture", "sequence", "schema")

    def filters(self) -> dict:
        return {"label": label, "block_lines": block_lines, "entity_label": entity_label, "message": message, "nid": node_id, "gid": group_id, "arrow": ARROWS.__getitem__}

    def globals(self) -> dict:
        return {
            "element": lambda kind: ELEMENTS.get(kind, "rectangle"),
            "group_element": lambda kind: GROUPS.get(kind, "rectangle"),
            "participant_keyword": lambda kind: PARTICIPANTS.get(kind, "participant"),
            "FRAME_GAP": FRAME_GAP,
        }
