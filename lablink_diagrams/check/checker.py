"""Check every code ref of some diagrams against LabLink sources: one finding per ref.

``check(diagrams, sources)`` walks the refs of nodes, groups and steps (each
distinct ref once per diagram, in model order) and resolves each against the
source for its repository.  A ref that is not where the model says is looked
for in the other files of the same source that could hold its kind
(tests excluded, nearest path first): found there it is ``moved``.

For the ``api-architecture`` diagram the check also runs the other way: every
route the allocator package serves that the diagram has no ref for becomes a
``not-modelled`` finding.
"""

from __future__ import annotations

import posixpath
import time

from ..model import CodeRef, Diagram
from . import finders
from .findings import Finding
from .finders import BadSymbol, FAMILY, family_files, infer_kind
from .finders import python_ast
from .sources import NoSource, Source, Sources

API_DIAGRAM = "api-architecture"
_TEXT_KINDS = ("shell", "dockerfile")


def diagram_refs(diagram: Diagram) -> list[CodeRef]:
    """Every distinct ref of a diagram, in model order (nodes, groups, steps)."""
    seen: dict[CodeRef, None] = {}
    for item in (*diagram.nodes, *diagram.groups, *diagram.steps):
        for r in item.refs:
            seen.setdefault(r, None)
    return list(seen)


def _index(source: Source, path: str, kind: str):
    module = FAMILY[kind]
    key = ("parse", path, module.__name__)
    if key not in source.cache:
        text = source.read(path)
        source.cache[key] = None if text is None else module.parse(text, path)
    return source.cache[key]


def _lookup(source: Source, path: str, kind: str, symbol: str, relaxed: bool = False) -> int | None:
    idx = _index(source, path, kind)
    if idx is None:
        return None
    return FAMILY[kind].lookup(idx, kind, symbol, relaxed=relaxed)


def resolve(ref: CodeRef, source: Source) -> tuple[str, str | None, str]:
    """``(status, location, detail)`` of one ref in one source (cached per source)."""
    key = ("ref", ref)
    if key not in source.cache:
        source.cache[key] = _resolve(ref, source)
    return source.cache[key]


def _resolve(ref: CodeRef, source: Source) -> tuple[str, str | None, str]:
    kind = ref.kind or infer_kind(ref.path, ref.symbol)
    if kind is None:
        return "not-checkable", None, "cannot tell the ref's kind from its path; give kind="
    if not source.can_hold(ref.path):
        why = (f"no {ref.repo} source given" if isinstance(source, NoSource)
               else f"{source.describe()} never contains this file")
        return "not-checkable", None, why
    if not source.has(ref.path):
        moved = _moved(ref, kind, source, file_missing=True)
        if moved:
            return "moved", moved[0], f"file gone from {source.describe()}; " + moved[1]
        return "missing-file", None, f"no {ref.path} in {source.describe()}"
    idx = _index(source, ref.path, kind)
    if getattr(idx, "error", ""):
        return "missing-symbol", None, idx.error
    try:
        line = FAMILY[kind].lookup(idx, kind, ref.symbol)
    except BadSymbol as e:
        return "missing-symbol", None, f"symbol {ref.symbol!r} is not in the {kind} ref grammar: {e}"
    if line is not None:
        detail = python_ast.describe(idx, kind, ref.symbol, line) if FAMILY[kind] is python_ast else ""
        return "found", f"{ref.path}:{line}", detail
    moved = _moved(ref, kind, source, file_missing=False)
    if moved:
        return "moved", moved[0], moved[1]
    return "missing-symbol", None, f"no {kind} symbol {ref.symbol!r} in {ref.path}"


def _moved(ref: CodeRef, kind: str, source: Source, file_missing: bool) -> tuple[str, str] | None:
    """Where else in the source the symbol is: ``(path:line, detail)`` or None."""
    if kind == "file":
        cands = family_files("file", source.paths(), ref.path)
        return (f"{cands[0]}:1", "same file name elsewhere") if cands else None
    if kind in _TEXT_KINDS:
        # command text is everywhere: follow it only into a file of the same name (the file moved),
        # or a shell function definition into any shell file
        base = posixpath.basename(ref.path)
        cands = [p for p in family_files(kind, source.paths(), ref.path) if posixpath.basename(p) == base]
        relaxed_cands = [] if not (kind == "shell") else family_files(kind, source.paths(), ref.path)
        for p in cands if file_missing else []:
            line = _safe_lookup(source, p, kind, ref.symbol)
            if line is not None:
                return f"{p}:{line}", f"found in {p}"
        for p in relaxed_cands:
            line = _safe_lookup(source, p, kind, ref.symbol, relaxed=True, functions_only=True)
            if line is not None:
                return f"{p}:{line}", f"shell function now in {p}"
        return None
    hits = []
    for p in family_files(kind, source.paths(), ref.path):
        line = _safe_lookup(source, p, kind, ref.symbol, relaxed=True)
        if line is not None:
            hits.append((p, line))
            if len(hits) > 3:
                break
    if not hits:
        return None
    p, line = hits[0]
    note = ""
    if FAMILY[kind] is python_ast:
        note = python_ast.describe(_index(source, p, kind), kind, ref.symbol, line)
    more = f"; also in {len(hits) - 1}{'+' if len(hits) > 3 else ''} other file(s)" if len(hits) > 1 else ""
    return f"{p}:{line}", (f"now {note} in {p}" if note else f"now in {p}") + more


def renamed(ref: CodeRef, before: Source, after: Source) -> tuple[str, str] | None:
    """Where the python definition that ``ref`` names in ``before`` went under another name
    in ``after``, as ``(path:line, detail)``: its own file first, then the others that could
    hold it, nearest first (python_ast.renamed decides what counts). For ``outer:inner`` the
    inner part must be found in the renamed definition too. None if nothing qualifies."""
    kind = ref.kind or infer_kind(ref.path, ref.symbol)
    if kind != "python" or not before.has(ref.path):
        return None
    old_idx = _index(before, ref.path, kind)
    old = python_ast.definition(old_idx, ref.symbol)
    if old is None or (after.has(ref.path) and python_ast.definition(_index(after, ref.path, kind), ref.symbol)):
        return None  # not a definition, or still there by its name (only what is inside it changed)
    best = None
    for p in ([ref.path] if after.has(ref.path) else []) + family_files(kind, after.paths(), ref.path):
        idx = _index(after, p, kind)
        hit = python_ast.renamed(old, old_idx, idx) if idx is not None and idx.tree is not None else None
        if hit and (best is None or hit[2] > best[3]):
            best = (p, *hit)
    if best is None:
        return None
    p, name, node, ratio = best
    inner = ref.symbol.partition(":")[2].strip()
    line = python_ast.find_inner(node, inner) if inner else node.lineno
    if line is None:
        return None
    return f"{p}:{line}", f"likely renamed: now {name}{':' + inner if inner else ''} in {p}, its tokens {ratio:.0%} the same"


def _safe_lookup(source, path, kind, symbol, relaxed=False, functions_only=False):
    try:
        if functions_only:
            from .finders import text
            idx = _index(source, path, kind)
            return None if idx is None else text.lookup_function(idx, symbol)
        return _lookup(source, path, kind, symbol, relaxed=relaxed)
    except BadSymbol:
        return None


def api_routes(source: Source, package_prefix: str) -> list[tuple[str, str, int, str]]:
    """Every route served by the non-test Python files under ``package_prefix``: (path, 'METHOD rule', line, view)."""
    out = []
    for p in sorted(source.paths()):
        if p.startswith(package_prefix) and p.endswith(".py") and not finders.is_test_path(p):
            idx = _index(source, p, "route")
            for sym, (line, view) in python_ast.routes(idx).items() if idx and idx.tree else ():
                out.append((p, sym, line, view))
    return out


def unmodelled_routes(diagram: Diagram, sources: Sources) -> list[Finding]:
    """Routes the source serves that the diagram has no route ref for (the API view read backwards)."""
    route_refs = [r for r in diagram_refs(diagram) if (r.kind or infer_kind(r.path, r.symbol)) == "route"]
    anchors = route_refs or [CodeRef("lablink", "packages/allocator/src/lablink_allocator_service/main.py",
                                     "GET /", "route")]
    source = sources.for_repo(anchors[0].repo)
    if not source.can_hold(anchors[0].path) or not source.paths():
        return []
    modelled = {_norm_route(r.symbol) for r in route_refs}
    prefix = _package_prefix(anchors[0].path)
    out = []
    for path, sym, line, view in api_routes(source, prefix):
        if sym not in modelled:
            out.append(Finding(diagram.name, CodeRef(anchors[0].repo, path, sym, "route"), "not-modelled",
                               f"{path}:{line}", f"{view}() serves {sym} but the diagram has no ref for it"))
    return out


def _norm_route(symbol: str) -> str:
    method, _, rule = symbol.strip().partition(" ")
    return f"{method.upper()} {rule.strip()}"


def _package_prefix(path: str) -> str:
    """The Python package directory holding ``path`` (``.../src/pkg/`` in the monorepo).

    >>> _package_prefix("packages/allocator/src/lablink_allocator_service/main.py")
    'packages/allocator/src/lablink_allocator_service/'
    """
    parts = path.split("/")
    if "src" in parts and parts.index("src") + 1 < len(parts) - 1:
        return "/".join(parts[:parts.index("src") + 2]) + "/"
    return posixpath.dirname(path) + "/" if "/" in path else ""


def check(diagrams, sources: Sources) -> list[Finding]:
    """One finding per distinct ref per diagram, plus unmodelled routes for ``api-architecture``."""
    findings: list[Finding] = []
    for d in diagrams:
        for r in diagram_refs(d):
            status, location, detail = resolve(r, sources.for_repo(r.repo))
            findings.append(Finding(d.name, r, status, location, detail))
        if d.name == API_DIAGRAM:
            findings.extend(unmodelled_routes(d, sources))
    return findings


def check_refs(refs, sources: Sources, diagram: str = "(refs)") -> list[Finding]:
    """Check a plain list of refs (no diagram needed)."""
    return [Finding(diagram, r, *resolve(r, sources.for_repo(r.repo))) for r in refs]


def resolve_line(ref: CodeRef, sources: Sources) -> tuple[str, int] | None:
    """``(path, line)`` where the ref is found, for printing ``file:line`` on labels; None otherwise."""
    status, location, _ = resolve(ref, sources.for_repo(ref.repo))
    if status != "found" or not location:
        return None
    path, _, line = location.rpartition(":")
    return path, int(line)


def timed_check(diagrams, sources: Sources) -> tuple[list[Finding], float]:
    t0 = time.perf_counter()
    out = check(diagrams, sources)
    return out, time.perf_counter() - t0
