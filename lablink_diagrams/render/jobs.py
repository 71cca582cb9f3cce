"""What to render (RenderJob) and what happened (Result)."""
from __future__ import annotations

import pathlib
from dataclasses import dataclass, field
from typing import Literal

from ..presets import PRESETS

Backend = Literal["mermaid", "plantuml", "dot"]
Fmt = Literal["png", "svg", "pdf"]
Status = Literal["rendered", "cached", "failed", "missing"]

BACKENDS = ("mermaid", "plantuml", "dot")
FORMATS = ("png", "svg", "pdf")
MIN_DPI, MAX_DPI = 36, 1200


class BadJob(ValueError):
    """A RenderJob with invalid fields (one-line message)."""


@dataclass(frozen=True)
class RenderJob:
    backend: Backend
    source: str
    fmt: Fmt
    out: pathlib.Path
    preset: str = "paper"
    dpi: int = 300
    fit: bool = True  # PNG: shrink to the preset's print area (False: the figure's natural size)
    # PNG: jobs with the same non-empty value draw the parts of one split figure, which print
    # at one scale (the least any part needs to fit); a digest of every part's source, so the
    # cache renders them again together when any part changes
    together: str = ""

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise BadJob(f"unknown backend {self.backend!r} (expected one of {', '.join(BACKENDS)})")
        if self.fmt not in FORMATS:
            raise BadJob(f"unknown format {self.fmt!r} (expected one of {', '.join(FORMATS)})")
        if self.preset not in PRESETS:
            raise BadJob(f"unknown preset {self.preset!r} (expected one of {', '.join(PRESETS)})")
        if not isinstance(self.source, str):
            raise BadJob("source must be a str")
        if isinstance(self.dpi, bool) or not isinstance(self.dpi, int) or not MIN_DPI <= self.dpi <= MAX_DPI:
            raise BadJob(f"dpi must be an int in {MIN_DPI}..{MAX_DPI}, got {self.dpi!r}")
        if not isinstance(self.fit, bool):
            raise BadJob(f"fit must be a bool, got {self.fit!r}")
        if not isinstance(self.together, str):
            raise BadJob(f"together must be a str, got {self.together!r}")
        object.__setattr__(self, "out", pathlib.Path(self.out))

    @property
    def figure(self) -> str:
        """The split figure whose other parts this output depends on, or "": a PNG printed at
        their scale (together.py), or any PlantUML output, whose columns are theirs
        (plantuml_columns.py)."""
        return self.together if self.print_group is not None or self.backend == "plantuml" else ""

    @property
    def print_group(self) -> tuple | None:
        """The split figure this PNG prints with at one scale (together.py), or None: not a
        part, not a PNG, or drawn at its natural size."""
        return (self.together, self.preset, self.dpi) if self.fmt == "png" and self.fit and self.together else None

    @property
    def print_area(self) -> tuple[float, float] | None:
        """Inches a PNG may take (the preset's print area), or None for natural size."""
        p = PRESETS[self.preset]
        return (p.print_width, p.print_height) if self.fit else None


@dataclass
class Result:
    job: RenderJob
    status: Status
    message: str = ""
    seconds: float = 0.0
    line: int | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        return self.status in ("rendered", "cached")
