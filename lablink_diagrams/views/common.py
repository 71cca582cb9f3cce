"""Pieces every view shares: the role a node plays (drives colour) and the caption."""

from __future__ import annotations

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
    """Break long lines at spaces so an edge label does not stretch a whole rank.

    >>> wrap("POST /api/request_vm (email, crd_command)", 20)
    'POST /api/request_vm\\n(email, crd_command)'
    """
    return "\n".join(textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) or line
                     for line in text.split("\n"))


def numbered(number: int, label: str) -> str:
    """The step label as every view prints it: ``3. POST /api/request_vm``."""
    return f"{number}. {label}"
