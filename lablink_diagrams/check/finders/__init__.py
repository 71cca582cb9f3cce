"""Symbol finders, one module per family of ref kinds (grammar: ``mechanisms/_common.py``).

Each finder module exposes ``parse(text, path)`` (called once per file and
source, the result cached) and ``lookup(index, kind, symbol) -> int | None``
(the 1-based line of the symbol, or ``None``).  A symbol the grammar does not
allow raises :class:`BadSymbol`.  ``FAMILY`` below maps a kind to its module,
and ``family_files`` says which files of a source may hold a kind (used when
looking for a symbol that moved).
"""

from __future__ import annotations

import posixpath
import re

from . import html, python_ast, terraform, text, yamlish
from .base import BadSymbol

__all__ = ["BadSymbol", "FAMILY", "family_files", "infer_kind"]

FAMILY = {
    "python": python_ast, "route": python_ast, "sql": python_ast,
    "terraform": terraform,
    "workflow": yamlish, "config": yamlish,
    "shell": text, "dockerfile": text, "file": text,
    "html": html,
}

_ROUTE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /")
_SQL = re.compile(r"^(table|column|function|trigger|statement) \S")


def infer_kind(path: str, symbol: str) -> str | None:
    """The kind of a ref without an explicit one, from its path and symbol.

    >>> infer_kind("packages/allocator/src/lablink_allocator_service/main.py", "POST /api/launch")
    'route'
    >>> infer_kind("x/generate_init_sql.py", "trigger trigger_crd_command_insert_or_update")
    'sql'
    >>> infer_kind(".github/workflows/ci.yml", "jobs.lint"), infer_kind("conf/config.yaml", "db.user")
    ('workflow', 'config')
    >>> infer_kind("packages/allocator/Dockerfile", "apt-get install"), infer_kind("a/main.tf", "var.x")
    ('dockerfile', 'terraform')
    """
    base = posixpath.basename(path)
    if symbol == "*":
        return "file"
    if base.endswith(".py"):
        if _ROUTE.match(symbol):
            return "route"
        if _SQL.match(symbol):
            return "sql"
        return "python"
    if base.endswith((".tf", ".hcl", ".tfvars")):
        return "terraform"
    if base.endswith((".yml", ".yaml")):
        return "workflow" if path.startswith(".github/workflows/") else "config"
    if base.endswith(".sh"):
        return "shell"
    if base.endswith((".html", ".htm", ".j2", ".jinja")):
        return "html"
    if base.startswith("Dockerfile") or base.endswith(".dockerfile"):
        return "dockerfile"
    return None


def family_files(kind: str, paths, exclude: str) -> list[str]:
    """Files of a source that could hold a symbol of ``kind`` (tests left out), nearest to ``exclude`` first."""
    def fits(p: str) -> bool:
        base = posixpath.basename(p)
        if p == exclude or is_test_path(p):
            return False
        if kind == "file":
            return base == posixpath.basename(exclude)
        return infer_kind(p, "") in _SAME[kind]

    hits = [p for p in paths if fits(p)]
    return sorted(hits, key=lambda p: (-_common_prefix(p, exclude), p))


_SAME = {
    "python": {"python"}, "route": {"python"}, "sql": {"python"},
    "terraform": {"terraform"}, "workflow": {"workflow"}, "config": {"config"},
    "shell": {"shell"}, "dockerfile": {"dockerfile"}, "html": {"html"}, "file": set(),
}


def is_test_path(p: str) -> bool:
    parts = p.split("/")
    base = parts[-1]
    return ("tests" in parts[:-1] or "test" in parts[:-1] or base.startswith("test_")
            or base == "conftest.py" or base.endswith("_test.py"))


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.split("/"), b.split("/")):
        if x != y:
            break
        n += 1
    return n
