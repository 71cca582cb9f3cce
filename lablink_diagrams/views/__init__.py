"""Views: render-ready, already-ordered projections of one model.

A view decides *what* is drawn and in which order (the traversal); a backend
only decides *how* it is spelled.  Every backend of a view therefore emits the
same elements in the same order, with the same step numbers.
"""

from __future__ import annotations

import functools

from ..compact import collapse_leaf_groups, fit_lifelines
from ..model import Diagram, ModelError
from .architecture import ArchitectureView, architecture_view
from .schema import SchemaView, schema_view
from .sequence import SequenceView, sequence_view

BUILDERS = {
    "architecture": architecture_view,
    "sequence": sequence_view,
    "schema": schema_view,
}


def build_view(diagram: Diagram, view: str, compact: bool = False):
    """The named view of a diagram; a view the diagram does not offer is a ModelError."""
    if view not in BUILDERS:
        raise ModelError(f"unknown view {view!r} (choose from: {', '.join(BUILDERS)})")
    if view not in diagram.views:
        raise ModelError(f"diagram {diagram.name!r} has no {view} view (it has: {', '.join(diagram.views)})")
    return _built(diagram, view, compact)


@functools.lru_cache(maxsize=64)
def _built(diagram: Diagram, view: str, compact: bool):
    """Built once per process for all three backends (model and views are frozen): the
    views' word wrapping was a third of an unchanged re-run's emitting."""
    if view == "architecture":
        return architecture_view(diagram, key=compact)
    if view == "sequence":
        # every sequence fits its lifelines to a paper column; compact also merges leaf groups
        return sequence_view(fit_lifelines(collapse_leaf_groups(diagram) if compact else diagram))
    return BUILDERS[view](diagram)


__all__ = ["ArchitectureView", "SequenceView", "SchemaView", "build_view"]
