"""The three backends; each is Jinja templates plus one escaping module."""

from __future__ import annotations

from ..model import ModelError
from .base import Backend
from .dot import DotBackend
from .mermaid import MermaidBackend
from .plantuml import PlantUMLBackend

BACKENDS: dict[str, Backend] = {b.name: b for b in (MermaidBackend(), PlantUMLBackend(), DotBackend())}


def get_backend(name: str) -> Backend:
    try:
        return BACKENDS[name]
    except KeyError:
        raise ModelError(f"unknown backend {name!r} (choose from: {', '.join(BACKENDS)})") from None
