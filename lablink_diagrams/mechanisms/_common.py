"""Shorthands shared by the mechanism modules: the baseline and code-ref constructors.

Ref grammar (what ``symbol`` means, by kind; ``lablink_diagrams.check`` resolves it):

- ``python``: ``func``, ``Class.method``, ``CONSTANT`` (also ``Class.ATTR``); ``outer:inner`` = inside
  ``outer``, the first call whose callee ends with ``inner`` (``launch:subprocess.run``),
  else an assignment to ``inner`` (also a ``for``/``with ... as`` target),
  else a keyword argument named ``inner``.  Plain attribute reads (``conn.notifies``) are not matched.
- ``route``: ``METHOD /rule`` as in ``@app.route`` (``POST /api/request_vm``); methods default
  to GET; ``@bp.route`` and ``@app.get``/``.post`` count; the line is the decorator's.
- ``sql`` (SQL inside a Python file): ``table NAME`` (NAME may be the f-string placeholder,
  ``table VM_TABLE`` for ``CREATE TABLE {VM_TABLE}``), ``column NAME`` (its definition, else
  its first use in a SQL literal), ``function NAME``, ``trigger NAME``, ``statement KEYWORD``
  (as written, usually upper case, at the start of a statement: ``statement LISTEN``,
  ``statement CREATE TABLE``).
- ``terraform``: ``TYPE.NAME`` resource, ``data.TYPE.NAME``, ``output.NAME``,
  ``var.NAME``, ``local.NAME``, ``module.NAME``, a bare block type (``terraform``);
  ``ADDRESS:attr`` = an attribute, object key or nested block (``terraform:backend``)
  inside that block at any depth; a bare attribute name (the ``.hcl`` form) = its first
  occurrence in the file.
- ``workflow``: a dotted key path (``on.EVENT``, ``jobs.JOB``, ``jobs.JOB.needs``);
  ``jobs.JOB:Step name`` = the step named so (exact, else the only step whose name
  contains the text, case-insensitive), at its ``name:`` line.
- ``shell``: a function name (``send_status``) or a command text found on a
  non-comment line (``docker run``); a command position beats an ``echo`` message.
- ``html``: ``form[action=/api/launch]``, ``input[name=email]`` (any ``TAG[ATTR=VALUE]``,
  several ``[..]`` allowed; the line of the attribute), ``fetch(/api/scp-client)`` (the first
  argument starts with the URL), ``a[href=URL]``, ``button:Text``.
- ``config``: a dotted YAML key (``db.message_channel``); ``dockerfile``: text on an
  instruction line; ``file``: ``*`` (the file itself).

Kind ``None`` is inferred from the path (``.py`` → python, or route/sql by the symbol's form;
``.tf``/``.hcl`` → terraform; ``.github/workflows/*.yml`` → workflow; other YAML → config;
``.sh``; ``.html``; ``Dockerfile*``).  A ref not found where it says is searched in the other
non-test files of the same source that can hold its kind: found there it is reported ``moved``.
"""

from __future__ import annotations

from ..model import CodeRef

BASELINE = (("lablink", "d3b6b02"), ("lablink-template", "3c2808a"))

A = "packages/allocator/src/lablink_allocator_service/"
C = "packages/client/src/lablink_client_service/"
TI = "lablink-infrastructure/"
WF = ".github/workflows/"


def ref(path: str, symbol: str, kind: str | None = None, repo: str = "lablink") -> CodeRef:
    """A ref into the lablink monorepo; prefix ``A/``, ``C/`` expand to the package roots."""
    return CodeRef(repo=repo, path=_expand(path), symbol=symbol, kind=kind)


def tref(path: str, symbol: str, kind: str | None = None) -> CodeRef:
    """A ref into lablink-template; prefixes ``TI/`` and ``WF/`` expand."""
    return CodeRef(repo="lablink-template", path=_expand(path), symbol=symbol, kind=kind)


def _expand(path: str) -> str:
    for short, full in (("A/", A), ("C/", C), ("TI/", TI), ("WF/", WF)):
        if path.startswith(short):
            return full + path[len(short):]
    return path


def route(rule: str) -> CodeRef:
    """A Flask route of the allocator's ``main.py`` (``"POST /api/request_vm"``)."""
    return ref("A/main.py", rule, "route")
