"""Exceptions of the rendering engine: each carries a one-line message."""
from __future__ import annotations

INSTALL_HINT = "run scripts/install-renderers.sh (as root) or `make diagrams`"


class RenderError(Exception):
    """Base class; str(exc) is always a single line."""


class RendererMissing(RenderError):
    """A renderer (executable, jar or node package) is not installed."""

    def __init__(self, backend: str, install_hint: str = INSTALL_HINT, what: str = ""):
        self.backend = backend
        self.install_hint = install_hint
        self.what = what
        detail = f" ({what})" if what else ""
        super().__init__(f"{backend} renderer not installed{detail}: {install_hint}")


class RenderFailed(RenderError):
    """The renderer rejected the diagram; `line` is the renderer's line number when it gives one."""

    def __init__(self, backend: str, message: str, line: int | None = None):
        self.backend = backend
        self.line = line
        self.detail = one_line(message)
        where = f" line {line}:" if line is not None else ":"
        super().__init__(f"{backend}{where} {self.detail}")


class RenderTimeout(RenderFailed):
    def __init__(self, backend: str, seconds: float):
        super().__init__(backend, f"timed out after {seconds:g} s (renderer killed)")


def one_line(text: str, limit: int = 300) -> str:
    """Collapse whitespace/newlines and cut to `limit` characters."""
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"
