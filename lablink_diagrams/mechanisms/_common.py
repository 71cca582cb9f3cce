"""Shorthands shared by the mechanism modules: the baseline and code-ref constructors.

Ref grammar (what ``symbol`` means, by kind; the checker resolves it):

- ``python``: ``func``, ``Class.method``, ``CONSTANT``; ``outer:inner`` = inside
  ``outer``, the first call whose callee ends with ``inner`` (``launch:subprocess.run``),
  or an assignment to / keyword argument named ``inner``.
- ``route``: ``METHOD /rule`` as in ``@app.route`` (``POST /api/request_vm``).
- ``sql`` (SQL inside a Python file): ``table NAME``, ``column NAME``,
  ``function NAME``, ``trigger NAME``, ``statement KEYWORD`` (e.g. ``statement LISTEN``).
- ``terraform``: ``TYPE.NAME`` resource, ``data.TYPE.NAME``, ``output.NAME``,
  ``var.NAME``, ``local.NAME``; ``ADDRESS:attr`` = an attribute inside that block;
  in ``.hcl`` files a bare attribute name.
- ``workflow``: ``on.EVENT``, ``jobs.JOB``, ``jobs.JOB:Step name``.
- ``shell``: a function name (``send_status``) or a command text found on a
  non-comment line (``docker run``).
- ``html``: ``form[action=/api/launch]``, ``input[name=email]``, ``fetch(/api/scp-client)``,
  ``a[href=URL]``, ``button:Text``.
- ``config``: a dotted YAML key (``db.message_channel``); ``dockerfile``: text on an
  instruction line; ``file``: ``*`` (the file itself).
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
