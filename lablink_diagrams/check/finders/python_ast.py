"""Python, Flask-route and embedded-SQL refs, found with the stdlib ``ast`` module.

One parse per file gives an index of:

- definitions: top-level functions, classes and assignments (``PIN``), and
  ``Class.method`` / ``Class.ATTR``;
- routes: every ``@X.route(rule, methods=[...])`` decorator (methods default to
  GET; ``@X.get`` / ``@X.post`` shortcuts too), keyed ``"METHOD rule"``, at the
  decorator's line.  Blueprint ``url_prefix`` is not applied (LabLink's
  baseline has none);
- string literals (plain and f-strings, implicit concatenation included) as
  their *raw source text*, so a match inside a multi-line SQL string maps to
  its real line.

``outer:inner`` looks inside ``outer`` (a function, ``Class.method`` or class)
for, in this order: the first call whose dotted callee ends with ``inner``'s
segments (``subprocess.run`` matches ``subprocess.run(...)``, ``run`` matches
it too), else the first assignment to a name or attribute ``inner``, else the
first keyword argument ``inner=``.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass, field

from .base import BadSymbol

_ROUTE_ATTRS = {"route": None, "get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE"}


@dataclass
class PyIndex:
    tree: ast.Module | None
    text: str
    error: str = ""
    defs: dict = field(default_factory=dict)        # "name" / "Class.name" -> node
    methods: dict = field(default_factory=dict)     # method name -> [(Class.method, node)] (moved search)
    routes: dict = field(default_factory=dict)      # "METHOD rule" -> (line, function name)
    strings: list = field(default_factory=list)     # (start line, raw source text)
    tokens: dict = field(default_factory=dict)      # (line, col) of a definition -> its tokens (renames)


def parse(text: str, path: str = "") -> PyIndex:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as e:
        return PyIndex(None, text, error=f"cannot parse {path}: {e}")
    idx = PyIndex(tree, text)
    for node in tree.body:
        _add_def(idx, node, "")
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for ln in lines:
        offsets.append(offsets[-1] + len(ln))
    inner_parts: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _add_routes(idx, node)
        if isinstance(node, ast.JoinedStr):
            inner_parts.update(id(v) for v in node.values)
            for v in node.values:
                if isinstance(v, ast.FormattedValue) and isinstance(v.format_spec, ast.JoinedStr):
                    inner_parts.update(id(x) for x in v.format_spec.values)
    for node in ast.walk(tree):
        if id(node) in inner_parts:
            continue
        if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            if node.end_lineno is None:
                continue
            start = offsets[node.lineno - 1] + _char_col(lines[node.lineno - 1], node.col_offset)
            end = offsets[node.end_lineno - 1] + _char_col(lines[node.end_lineno - 1], node.end_col_offset)
            idx.strings.append((node.lineno, text[start:end]))
    idx.strings.sort(key=lambda s: s[0])
    return idx


def _char_col(line: str, byte_col: int) -> int:
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))


def _add_def(idx: PyIndex, node: ast.stmt, prefix: str) -> None:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        idx.defs.setdefault(prefix + node.name, node)
        if prefix and not isinstance(node, ast.ClassDef):
            idx.methods.setdefault(node.name, []).append((prefix + node.name, node))
        if isinstance(node, ast.ClassDef) and not prefix:
            for child in node.body:
                _add_def(idx, child, node.name + ".")
    elif isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for t in targets:
            for name in _target_names(t):
                idx.defs.setdefault(prefix + name, node)
    elif isinstance(node, (ast.If, ast.Try)) and not prefix:
        for child in node.body + getattr(node, "orelse", []):
            _add_def(idx, child, prefix)


def _target_names(t: ast.expr) -> list[str]:
    if isinstance(t, ast.Name):
        return [t.id]
    if isinstance(t, (ast.Tuple, ast.List)):
        return [n for e in t.elts for n in _target_names(e)]
    return []


def _add_routes(idx: PyIndex, fn: ast.FunctionDef) -> None:
    for dec in fn.decorator_list:
        if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)):
            continue
        if dec.func.attr not in _ROUTE_ATTRS or not dec.args:
            continue
        rule = dec.args[0]
        if not (isinstance(rule, ast.Constant) and isinstance(rule.value, str)):
            continue
        methods = [_ROUTE_ATTRS[dec.func.attr]] if _ROUTE_ATTRS[dec.func.attr] else ["GET"]
        for kw in dec.keywords:
            if kw.arg == "methods" and isinstance(kw.value, (ast.List, ast.Tuple, ast.Set)):
                methods = [e.value.upper() for e in kw.value.elts
                           if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        for m in methods:
            idx.routes.setdefault(f"{m} {rule.value}", (dec.lineno, fn.name))


def dotted(node: ast.expr) -> str:
    """``a.b.c`` for a Name/Attribute chain; other bases become ``?``.

    >>> dotted(ast.parse("subprocess.run(x)").body[0].value.func)
    'subprocess.run'
    >>> dotted(ast.parse("f().g").body[0].value)
    '?.g'
    """
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    parts.append(node.id if isinstance(node, ast.Name) else "?")
    return ".".join(reversed(parts))


def _ends_with(name: str, inner: str) -> bool:
    a, b = name.split("."), inner.split(".")
    return len(a) >= len(b) and a[-len(b):] == b


def find_inner(outer: ast.AST, inner: str) -> int | None:
    nodes = sorted((n for n in ast.walk(outer) if n is not outer and hasattr(n, "lineno")),
                   key=lambda n: (n.lineno, n.col_offset))
    for n in nodes:
        if isinstance(n, ast.Call) and _ends_with(dotted(n.func), inner):
            return n.lineno
    for n in nodes:
        targets = []
        if isinstance(n, ast.Assign):
            targets = n.targets
        elif isinstance(n, (ast.AnnAssign, ast.AugAssign)):
            targets = [n.target]
        elif isinstance(n, (ast.For, ast.AsyncFor, ast.comprehension)):
            targets = [n.target]
        elif isinstance(n, ast.withitem) and n.optional_vars is not None:
            targets = [n.optional_vars]
        for t in targets:
            for sub in ast.walk(t):
                if isinstance(sub, (ast.Name, ast.Attribute)) and _ends_with(dotted(sub), inner):
                    return getattr(t, "lineno", None) or n.lineno
    for n in ast.walk(outer):
        if isinstance(n, ast.Call):
            for kw in n.keywords:
                if kw.arg == inner:
                    return kw.lineno
    return None


# -- SQL ---------------------------------------------------------------------------------
_SQL_WHAT = ("table", "column", "function", "trigger", "statement")
_NAME = r"\{?%s\}?"


def sql_pattern(what: str, name: str) -> re.Pattern:
    """The regular expression that finds one SQL symbol inside a literal's raw source text.

    >>> bool(sql_pattern("trigger", "t_x").search('"CREATE TRIGGER t_x AFTER INSERT"'))
    True
    >>> bool(sql_pattern("table", "VM_TABLE").search("f'CREATE TABLE IF NOT EXISTS {VM_TABLE} ('"))
    True
    >>> bool(sql_pattern("statement", "LISTEN").search('"Listening"'))
    False
    """
    n = _NAME % re.escape(name)
    if what == "table":
        return re.compile(r"(?i)\bCREATE\s+(?:UNLOGGED\s+|TEMP(?:ORARY)?\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"
                          r"(?:\w+\.)?" + n + r"(?![\w}])")
    if what == "function":
        return re.compile(r"(?i)\bCREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(?:\w+\.)?" + n + r"\s*\(")
    if what == "trigger":
        return re.compile(r"(?i)\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?TRIGGER\s+" + n + r"(?![\w}])")
    if what == "column":  # a column definition: after "(" or "," then NAME and a type word
        return re.compile(r"(?i)[(,]\s*" + re.escape(name) + r"\s+[A-Za-z]")
    # statement: the keyword(s), as written, at the start of a statement
    words = r"\s+".join(re.escape(w) for w in name.split())
    return re.compile(r"(?:^[rRbBfFuU]{0,2}(?:\"\"\"|'''|\"|')|[;\n(])[ \t\r\n]*" + words + r"(?![\w])")


def _sql_lookup(idx: PyIndex, symbol: str) -> int | None:
    what, _, name = symbol.partition(" ")
    name = name.strip()
    if what not in _SQL_WHAT or not name:
        raise BadSymbol(f"SQL symbol must be one of {', '.join(w + ' NAME' for w in _SQL_WHAT)}")
    pat = sql_pattern(what, name)
    for line, raw in idx.strings:
        m = pat.search(raw)
        if m:
            return line + raw.count("\n", 0, m.end() - 1 if what != "statement" else m.end())
    if what == "column":  # not defined here: the first use as a word in any literal that looks like SQL
        use = re.compile(r"(?i)(?<![\w{])" + re.escape(name) + r"(?![\w}])")
        for line, raw in idx.strings:
            if re.search(r"\b(SELECT|UPDATE|INSERT|DELETE|WHERE)\b", raw):
                m = use.search(raw)
                if m:
                    return line + raw.count("\n", 0, m.start())
    return None


# -- lookup ------------------------------------------------------------------------------
_ROUTE_SYM = re.compile(r"^([A-Za-z]+)\s+(/\S*)$")


def lookup(idx: PyIndex, kind: str, symbol: str, relaxed: bool = False) -> int | None:
    """Line of ``symbol`` in the file; ``relaxed`` (moved search) lets ``Class.m`` match ``m`` in any class."""
    if idx.tree is None:
        return None
    if kind == "route":
        m = _ROUTE_SYM.match(symbol.strip())
        if not m:
            raise BadSymbol("route symbol must be 'METHOD /rule'")
        hit = idx.routes.get(f"{m.group(1).upper()} {m.group(2)}")
        return hit[0] if hit else None
    if kind == "sql":
        return _sql_lookup(idx, symbol)
    outer, sep, inner = symbol.partition(":")
    if not re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_]\w*)*", outer) or (sep and not inner.strip()):
        raise BadSymbol("python symbol must be 'name', 'Class.method' or 'outer:inner'")
    nodes = _defs_named(idx, outer, relaxed)
    if not sep:
        return nodes[0].lineno if nodes else None
    for node in nodes:
        line = find_inner(node, inner.strip())
        if line is not None:
            return line
    return None


def _defs_named(idx: PyIndex, name: str, relaxed: bool) -> list[ast.AST]:
    if name in idx.defs:
        return [idx.defs[name]]
    if relaxed and "." in name:
        meth = name.rsplit(".", 1)[1]
        found = [n for _, n in idx.methods.get(meth, [])]
        if meth in idx.defs and isinstance(idx.defs[meth], (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append(idx.defs[meth])
        return found
    if relaxed and name in idx.methods:  # a module-level function that became a method
        return [n for _, n in idx.methods[name]]
    return []


def describe(idx: PyIndex, kind: str, symbol: str, line: int) -> str:
    """A short note on what was found (the view function of a route, the real name when relaxed)."""
    if kind == "route":
        m = _ROUTE_SYM.match(symbol.strip())
        hit = idx.routes.get(f"{m.group(1).upper()} {m.group(2)}") if m else None
        return f"view {hit[1]}()" if hit else ""
    if kind == "python":
        outer = symbol.partition(":")[0]
        for name, node in idx.defs.items():
            if node.lineno == line and name != outer:
                return f"as {name}"
        for meth, pairs in idx.methods.items():
            for name, node in pairs:
                if node.lineno == line and name != outer:
                    return f"as {name}"
    return ""


def routes(idx: PyIndex) -> dict:
    """``{"METHOD rule": (line, view function)}`` of one parsed file."""
    return dict(idx.routes)


# -- renames -----------------------------------------------------------------------------
RENAME_SIMILARITY = 0.65  # difflib ratio of two definitions' tokens, their names masked
NAME_SIMILARITY = 0.5  # difflib ratio of the two names (get_ssh_private_key is not get_instance_addresses)


def definition(idx: PyIndex | None, symbol: str) -> ast.AST | None:
    """The function or class a python symbol names (its ``outer`` part), or None."""
    node = idx.defs.get(symbol.partition(":")[0]) if idx is not None and idx.tree is not None else None
    return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else None


def renamed(old: ast.AST, old_idx: PyIndex, idx: PyIndex) -> tuple[str, ast.AST, float] | None:
    r"""The definition in ``idx`` that ``old`` (a definition of ``old_idx``) most likely
    became under another name: one of the same sort whose name is at least NAME_SIMILARITY
    like ``old``'s and whose tokens, names masked, are at least RENAME_SIMILARITY the same
    (small bodies look alike: both tests are needed); the most similar body wins. None if
    there is no such definition.

    >>> before = parse("def update_terraform_timing(self, h, t):\n    self.run('UPDATE vms SET t=%s', (t, h))\n")
    >>> after = parse("def update_tofu_timing(self, h, t):\n    self.run('UPDATE vms SET t=%s', (t, h))\n"
    ...               "def delete_timing(self):\n    self.run('DELETE FROM vms')\n")
    >>> name, node, ratio = renamed(definition(before, "update_terraform_timing"), before, after)
    >>> name, node.lineno, round(ratio, 2)
    ('update_tofu_timing', 1, 1.0)
    >>> renamed(definition(before, "update_terraform_timing"), before, parse("def start(self, h, t):\n    pass\n")) is None
    True
    """
    tokens = _tokens(old_idx, old)
    names = difflib.SequenceMatcher(None, "", old.name)  # the old name hashed once (seq2)
    best = None
    for name, node in idx.defs.items():
        short = name.rsplit(".", 1)[-1]
        if (not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                or isinstance(node, ast.ClassDef) != isinstance(old, ast.ClassDef)
                or short == old.name):
            continue
        names.set_seq1(short)
        if names.real_quick_ratio() < NAME_SIMILARITY or names.quick_ratio() < NAME_SIMILARITY or names.ratio() < NAME_SIMILARITY:
            continue
        matcher = difflib.SequenceMatcher(None, tokens, _tokens(idx, node))
        if matcher.real_quick_ratio() < RENAME_SIMILARITY or matcher.quick_ratio() < RENAME_SIMILARITY:
            continue
        ratio = matcher.ratio()
        if ratio >= RENAME_SIMILARITY and (best is None or ratio > best[2]):
            best = (name, node, ratio)
    return best


def _tokens(idx: PyIndex, node: ast.AST) -> list[str]:
    """A definition's source as words and signs, its own name masked (cached per index)."""
    key = (node.lineno, node.col_offset)
    if key not in idx.tokens:
        lines = idx.text.splitlines()[node.lineno - 1:node.end_lineno or node.lineno]
        idx.tokens[key] = ["_" if t == node.name else t for t in re.findall(r"\w+|[^\w\s]", "\n".join(lines))]
    return idx.tokens[key]
