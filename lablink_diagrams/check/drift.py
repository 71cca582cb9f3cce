"""Which diagrams went stale between two revisions (or two sources), and why, ref by ref.

A diagram is stale when a ref that resolved (``found``) at FROM no longer
does at TO: the item says what it became (``missing-file``,
``missing-symbol``, ``moved`` with where it went, ``renamed`` when a python definition
is there under another name: python_ast.renamed).  Refs that were already
broken at FROM are not drift and are left out; refs whose line merely shifted
are reported as ``shifted`` items only when ``include_shifted`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import CodeRef
from .checker import diagram_refs, renamed, resolve
from .sources import Sources, open_repo


@dataclass(frozen=True)
class DriftItem:
    diagram: str
    ref: CodeRef
    before: str            # location at FROM (path:line)
    status: str            # status at TO
    after: str | None      # location at TO (moved/found)
    detail: str = ""

    def to_dict(self) -> dict:
        r = self.ref
        return {"diagram": self.diagram, "ref": {"repo": r.repo, "path": r.path, "symbol": r.symbol, "kind": r.kind},
                "from": self.before, "status": self.status, "to": self.after, "detail": self.detail}


def compare(diagrams, src_from: Sources, src_to: Sources, include_shifted: bool = False) -> list[DriftItem]:
    """Drift items for every ref found in ``src_from`` that is not found (or moved line) in ``src_to``."""
    items: list[DriftItem] = []
    for d in diagrams:
        for r in diagram_refs(d):
            s0, loc0, _ = resolve(r, src_from.for_repo(r.repo))
            if s0 != "found":
                continue
            s1, loc1, detail = resolve(r, src_to.for_repo(r.repo))
            if s1 == "not-checkable":
                continue
            if s1 in ("missing-symbol", "missing-file"):  # gone under its name: maybe under another
                hit = renamed(r, src_from.for_repo(r.repo), src_to.for_repo(r.repo))
                if hit:
                    s1, (loc1, detail) = "renamed", hit
            if s1 != "found" or (include_shifted and loc1 != loc0):
                items.append(DriftItem(d.name, r, loc0, s1 if s1 != "found" else "shifted", loc1, detail))
    return items


def stale(items) -> list[str]:
    """Names of the diagrams with at least one non-``shifted`` item, in order."""
    out: list[str] = []
    for it in items:
        if it.status != "shifted" and it.diagram not in out:
            out.append(it.diagram)
    return out


def drift(diagrams, repo_path: str, rev_from: str, rev_to: str, repo: str = "lablink",
          include_shifted: bool = False) -> list[DriftItem]:
    """Drift of the diagrams' ``repo`` refs between two revisions of one git repository."""
    a = open_repo(repo, f"{repo_path}@{rev_from}")
    b = open_repo(repo, f"{repo_path}@{rev_to}")
    try:
        key = "lablink" if repo == "lablink" else "template"
        return compare(diagrams, Sources(**{key: a}), Sources(**{key: b}), include_shifted=include_shifted)
    finally:
        a.close()
        b.close()


def format_drift(items, diagrams, fmt: str = "text") -> str:
    import json

    names = [d.name for d in diagrams]
    bad = stale(items)
    if fmt == "json":
        return json.dumps({"stale": bad, "items": [i.to_dict() for i in items]}, indent=2) + "\n"
    out: list[str] = []
    md = fmt == "markdown"
    for name in names:
        mine = [i for i in items if i.diagram == name]
        state = "STALE" if name in bad else "current"
        out.append(f"## {name}: {state}" if md else f"{name}: {state}")
        for i in mine:
            to = f" -> {i.after}" if i.after else ""
            line = f"{i.ref.path}:{i.ref.symbol} (was {i.before}) {i.status}{to}" + (f" ({i.detail})" if i.detail else "")
            out.append(f"- {line}" if md else f"  {line}")
    out.append(f"{len(bad)} of {len(names)} diagrams stale: {', '.join(bad) or 'none'}")
    return "\n".join(out) + "\n"
