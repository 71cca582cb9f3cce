"""Terraform refs (``.tf``, ``.hcl``, ``.tfvars``) with a small HCL block scanner.

Why a scanner and not ``python-hcl2``: the checker needs only *where* blocks
and attributes start, and python-hcl2 gives line numbers only through its
``with_meta`` output of recent releases, pulls in ``lark`` and would be one
more runtime dependency whose output format changed across major versions.
Finding block headers needs far less than a full HCL grammar: a tokenizer
that knows strings (with ``${...}`` interpolation), heredocs (``<<EOF`` and
``<<-EOF``), ``#`` / ``//`` / ``/* */`` comments and brackets, and a loop that
sees ``IDENT LABEL* {`` (a block) or ``IDENT =`` (an attribute) at the start of
a statement.  Keys of object expressions (``tags = { Name = ... }``,
``environment { variables = { API_ENDPOINT = ... } }``) count as attributes of
the enclosing block.

Addresses: ``TYPE.NAME`` (resource), ``data.TYPE.NAME``, ``output.NAME``,
``var.NAME``, ``module.NAME``, ``local.NAME`` (an attribute of a ``locals``
block), a bare block type such as ``terraform``; ``ADDRESS:attr`` = the first
attribute or nested block (``backend`` or ``backend.s3``) named ``attr`` inside
that block, at any depth.  A bare name that is not a top-level block type (the
only form in ``.hcl`` files) is the first attribute with that name anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .base import BadSymbol

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


@dataclass
class Block:
    type: str
    labels: tuple[str, ...]
    line: int
    parent: "Block | None" = None
    attrs: list = field(default_factory=list)     # (name, line), direct and in object expressions
    children: list = field(default_factory=list)  # nested blocks


def tokenize(text: str) -> list[tuple[str, str, int]]:
    """``(kind, value, line)`` tokens: ident, str, heredoc, punct, nl.

    >>> [t[:2] for t in tokenize('a = "x${b["k"]}" # c\\n')]
    [('ident', 'a'), ('punct', '='), ('str', 'x${b["k"]}'), ('nl', '\\n')]
    >>> [t[0] for t in tokenize('x = <<-EOT\\n  hi }\\n  EOT\\ny = 1')]
    ['ident', 'punct', 'heredoc', 'nl', 'ident', 'punct', 'other']
    """
    toks: list[tuple[str, str, int]] = []
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            toks.append(("nl", c, line))
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif c == "#" or text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += text.count("\n", i, j)
            i = j
        elif c == '"':
            j, start = _string_end(text, i), line
            line += text.count("\n", i, j)
            toks.append(("str", text[i + 1:j - 1], start))
            i = j
        elif text.startswith("<<", i) and re.match(r"<<-?([A-Za-z_]\w*)[ \t]*\r?\n", text[i:]):
            m = re.match(r"<<-?([A-Za-z_]\w*)[ \t]*\r?\n", text[i:])
            end = re.compile(r"^[ \t]*" + re.escape(m.group(1)) + r"[ \t]*\r?$", re.M)
            body_start = i + m.end()
            e = end.search(text, body_start)
            j = n if e is None else e.end()
            toks.append(("heredoc", text[body_start:j], line))
            line += text.count("\n", i, j)
            i = j
        elif _IDENT.match(text, i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_.")):
            m = _IDENT.match(text, i)
            toks.append(("ident", m.group(0), line))
            i = m.end()
        elif c in "{}[]()=,:":
            if c == "=" and i + 1 < n and text[i + 1] in "=>":
                toks.append(("other", text[i:i + 2], line))
                i += 2
            else:
                toks.append(("punct", c, line))
                i += 1
        else:
            m = re.compile(r"[^\s\"{}\[\]()=,:#/]+|.").match(text, i)
            toks.append(("other", m.group(0), line))
            i = m.end()
    return toks


def _string_end(text: str, i: int) -> int:
    """Index just past the string literal starting at ``text[i] == '"'`` (interpolations may nest strings)."""
    j, n, depth = i + 1, len(text), 0
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if depth == 0:
            if c == '"':
                return j + 1
            if text.startswith("${", j) or text.startswith("%{", j):
                depth, j = 1, j + 2
                continue
            if c == "\n":  # unterminated on this line: stop, HCL strings are single-line
                return j
        else:
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            elif c == '"':
                j = _string_end(text, j)
                continue
        j += 1
    return n


@dataclass
class TfIndex:
    blocks: list          # top-level blocks
    all_attrs: list       # (name, line) anywhere, in order


def parse(text: str, path: str = "") -> TfIndex:
    toks = tokenize(text)
    root = Block("", (), 0)
    all_attrs: list = []
    stack: list = []  # frames: ("block", Block) or ("expr", Block-owner, closer)
    cur = root
    i, n = 0, len(toks)
    at_start = True
    while i < n:
        kind, val, line = toks[i]
        in_expr = bool(stack) and stack[-1][0] == "expr"
        if kind == "nl" or (kind == "punct" and val == ","):
            at_start = True
            i += 1
            continue
        if kind == "punct" and val in "}])":
            if stack:
                frame = stack.pop()
                if frame[0] == "block":
                    cur = frame[2]
            at_start = True
            i += 1
            continue
        if kind == "punct" and val in "{[(":
            stack.append(("expr", cur, None))
            at_start = val == "{"
            i += 1
            continue
        if at_start and kind in ("ident", "str"):
            # attribute / object key?
            if i + 1 < n and toks[i + 1][0] == "punct" and (toks[i + 1][1] == "=" or (in_expr and toks[i + 1][1] == ":")):
                cur.attrs.append((val, line))
                all_attrs.append((val, line))
                at_start = False
                i += 2
                continue
            if kind == "ident" and not in_expr:
                j, labels = i + 1, []
                while j < n and toks[j][0] in ("str", "ident"):
                    labels.append(toks[j][1])
                    j += 1
                if j < n and toks[j] == ("punct", "{", toks[j][2]):
                    blk = Block(val, tuple(labels), line, parent=cur if cur is not root else None)
                    (root.children if cur is root else cur.children).append(blk)
                    stack.append(("block", blk, cur))
                    cur = blk
                    at_start = True
                    i = j + 1
                    continue
        at_start = False
        i += 1
    return TfIndex(root.children, all_attrs)


_PREFIX = {"data": "data", "output": "output", "var": "variable", "module": "module", "provider": "provider"}


def _find_block(idx: TfIndex, address: str) -> Block | None:
    parts = address.split(".")
    if parts[0] == "data" and len(parts) == 3:
        want = ("data", (parts[1], parts[2]))
    elif parts[0] in _PREFIX and len(parts) == 2:
        want = (_PREFIX[parts[0]], (parts[1],))
    elif len(parts) == 2:
        want = ("resource", (parts[0], parts[1]))
    elif len(parts) == 1:
        want = (parts[0], None)
    else:
        want = (parts[0], tuple(parts[1:]))
    for b in idx.blocks:
        if b.type == want[0] and (want[1] is None or b.labels == want[1]):
            return b
    return None


def _walk(b: Block):
    yield b
    for c in b.children:
        yield from _walk(c)


def _inside(b: Block, attr: str) -> int | None:
    hits = []
    for blk in _walk(b):
        if blk is not b and (blk.type == attr or ".".join((blk.type,) + blk.labels) == attr):
            hits.append(blk.line)
        hits.extend(line for name, line in blk.attrs if name == attr)
    return min(hits) if hits else None


def lookup(idx: TfIndex, kind: str, symbol: str, relaxed: bool = False) -> int | None:
    address, sep, attr = symbol.partition(":")
    address, attr = address.strip(), attr.strip()
    if not address or (sep and not attr):
        raise BadSymbol("terraform symbol must be an address (TYPE.NAME, data.T.N, output.N, var.N, "
                        "local.N) optionally followed by ':attr'")
    if address.startswith("local.") and address.count(".") == 1:
        name = address.split(".", 1)[1]
        for b in idx.blocks:
            if b.type == "locals":
                line = _inside(b, name)
                if line is not None and not sep:
                    return line
        return None
    blk = _find_block(idx, address)
    if blk is None:
        if "." not in address and not sep:  # bare attribute name (the .hcl form)
            return next((line for name, line in idx.all_attrs if name == address), None)
        return None
    return _inside(blk, attr) if sep else blk.line
