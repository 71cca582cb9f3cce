"""One finding per code ref, and the three ways to print a list of them.

Statuses: ``found`` (``location`` = ``path:line``), ``missing-file``,
``missing-symbol``, ``moved`` (``location`` = where it is now, in the same
source), ``not-checkable`` (the source cannot hold the file, or no source
was given for the repository) and ``not-modelled`` (a route the source serves
that the ``api-architecture`` diagram lacks: the API view checked the other
way round).  Every status except ``found`` and ``not-checkable`` is a failure.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from ..model import CodeRef

STATUSES = ("found", "moved", "missing-symbol", "missing-file", "not-modelled", "not-checkable")
FAILING = frozenset({"moved", "missing-symbol", "missing-file", "not-modelled"})


@dataclass(frozen=True)
class Finding:
    diagram: str
    ref: CodeRef
    status: str
    location: str | None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status not in FAILING

    def to_dict(self) -> dict:
        r = self.ref
        return {
            "diagram": self.diagram,
            "ref": {"repo": r.repo, "path": r.path, "symbol": r.symbol, "kind": r.kind},
            "status": self.status,
            "location": self.location,
            "detail": self.detail,
        }


def all_ok(findings) -> bool:
    return all(f.ok for f in findings)


def summary(findings) -> str:
    """``N refs: a found, b moved, ...`` over the statuses that occur, in a fixed order.

    >>> ref = CodeRef("lablink", "a.py", "f")
    >>> summary([Finding("d", ref, "found", "a.py:1"), Finding("d", ref, "moved", "b.py:2")])
    '2 refs: 1 found, 1 moved'
    """
    c = Counter(f.status for f in findings)
    parts = [f"{c[s]} {s}" for s in STATUSES if c[s]]
    return f"{len(findings)} refs: " + (", ".join(parts) if parts else "nothing to check")


def _line(f: Finding) -> str:
    where = f" -> {f.location}" if f.location and f.status != "found" else (f" @ {f.location}" if f.location else "")
    tail = f" ({f.detail})" if f.detail else ""
    repo = "" if f.ref.repo == "lablink" else f"[{f.ref.repo}] "
    return f"  {f.status:<14} {repo}{f.ref.path}:{f.ref.symbol}{where}{tail}"


def format_text(findings, verbose: bool = True) -> str:
    """Grouped by diagram; ``verbose=False`` lists only failures.  Ends with a one-line summary."""
    out: list[str] = []
    for diagram in _diagrams(findings):
        mine = [f for f in findings if f.diagram == diagram]
        bad = sum(not f.ok for f in mine)
        out.append(f"{diagram}: {len(mine)} refs, {bad} failing")
        out.extend(_line(f) for f in mine if verbose or not f.ok)
    out.append(summary(findings) + (" - OK" if all_ok(findings) else " - FAIL"))
    return "\n".join(out) + "\n"


def format_json(findings) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2) + "\n"


def format_markdown(findings) -> str:
    out: list[str] = []
    for diagram in _diagrams(findings):
        out += [f"## {diagram}", "", "| status | repo | ref | location | detail |", "|---|---|---|---|---|"]
        for f in findings:
            if f.diagram == diagram:
                cells = [f.status, f.ref.repo, f"`{f.ref.path}` `{f.ref.symbol}`", f"`{f.location}`" if f.location else "",
                         f.detail]
                out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    out.append(f"**{summary(findings)}**")
    return "\n".join(out) + "\n"


FORMATS = {"text": format_text, "json": format_json, "markdown": format_markdown}


def _diagrams(findings) -> list[str]:
    seen: list[str] = []
    for f in findings:
        if f.diagram not in seen:
            seen.append(f.diagram)
    return seen
