"""Model → view → backend text: the one function every command goes through."""

from __future__ import annotations

from dataclasses import replace

from .backends import get_backend
from .model import Diagram, ModelError
from .presets import PRESETS
from .views import build_view


def emit(diagram: Diagram, backend: str, view: str, preset: str = "paper", compact: bool = False,
         titled: bool = True) -> str:
    """The diagram's ``view`` in ``backend`` syntax; same model, same bytes.

    ``compact``: fewer shapes for a paper column (see ``compact.py``): architecture edges carry
    only their step numbers, listed in a key; sequence lifelines per innermost group.
    ``titled=False``: no title and no commit line, for a figure whose caption carries them
    (the paper's); the drawing then fills the print area's height.
    """
    if preset not in PRESETS:
        raise ModelError(f"unknown preset {preset!r} (choose from: {', '.join(PRESETS)})")
    be = get_backend(backend)
    if view not in be.views:
        raise ModelError(f"the {backend} backend has no {view} view (it has: {', '.join(be.views)})")
    built = build_view(diagram, view, compact=compact)
    return be.emit(built if titled else replace(built, title="", caption=""), preset)


def supported(diagram: Diagram) -> list[tuple[str, str]]:
    """Every (view, backend) pair this diagram can be emitted in, in a stable order."""
    from .backends import BACKENDS

    return [(v, b) for v in diagram.views for b in BACKENDS if v in BACKENDS[b].views]
