"""Pieces every view shares: the role a node plays (drives colour) and the caption."""

from __future__ import annotations

import re
import textwrap

from ..model import Diagram, Node

ROLES = ("external", "public", "authenticated", "data", "actor", "component")


def role(node: Node) -> str:
    """Colour role, the same in every backend: external greyed, API auth, data stores, actors."""
    if node.external or node.kind == "external":
        return "external"
    desc = node.description.lower()
    if desc.startswith("public:"):
        return "public"
    if desc.startswith("authenticated:"):
        return "authenticated"
    if node.kind in ("database", "table", "storage", "queue", "file", "config"):
        return "data"
    if node.kind in ("person", "browser"):
        return "actor"
    return "component"


def caption(diagram: Diagram) -> str:
    """Which code the figure describes, e.g. ``lablink d3b6b02 · lablink-template 3c2808a``."""
    return " · ".join(f"{repo} {rev}" for repo, rev in diagram.baseline)


def wrap(text: str, width: int = 30) -> str:
    """Break long lines at spaces so an edge label does not stretch a whole rank;
    a word longer than ``width`` (an identifier) breaks after ``_``, ``.``, ``/`` or ``-``.

    >>> wrap("POST /api/request_vm (email, crd_command)", 20)
    'POST /api/request_vm\\n(email, crd_command)'
    >>> wrap("trigger_crd_command_insert_or_update", 14)
    'trigger_crd_\\ncommand_\\ninsert_or_\\nupdate'
    """
    out = []
    for line in text.split("\n"):
        words = [piece for w in line.split(" ") for piece in _split_word(w, width)]
        out.append(textwrap.fill(" ".join(words), width, break_long_words=False, break_on_hyphens=False) or line)
    return "\n".join(out).replace(_JOIN + " ", "").replace(_JOIN, "")


_JOIN = "\u2060"  # marks a break point inside a word; removed after filling


def _split_word(word: str, width: int) -> list[str]:
    """A too-long word as pieces ending in ``_``/``.``/``/``/``-``, each piece as long as fits."""
    if len(word) <= width:
        return [word]
    parts = re.findall(r"[^_./-]*[_./-]|[^_./-]+$", word)
    pieces, cur = [], ""
    for part in parts:
        if cur and len(cur) + len(part) > width:
            pieces.append(cur + _JOIN)
            cur = ""
        cur += part
    pieces.append(cur)
    return pieces


def numbered(number: int, label: str) -> str:
    """The step label as every view prints it: ``3. POST /api/request_vm``."""
    return f"{number}. {label}"
