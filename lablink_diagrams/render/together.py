"""The PNGs of one split figure's parts print at one scale.

A sequence split by ``--max-steps`` is one figure in parts (a paper's (a), (b)); each
part shrunk to fit the print area on its own printed its text at its own size (review
83: monitoring's part 2 at 14 pt beside part 1 at 7.5). Each part's natural size is
known only once it is laid out, so the PNGs of a group (RenderJob.together) are held
until every part has its PDF, then the parts that shrank less than the most-shrunk one
are drawn again at its scale. SVG and PDF keep their natural size.
"""
from __future__ import annotations

import threading
from typing import NamedTuple

from . import pdf as pdfinfo
from . import raster
from .errors import RenderFailed
from .jobs import RenderJob

# a part this close to the group's scale keeps the PNG it was drawn with (same pixels)
SAME = 1e-9


class Part(NamedTuple):
    job: RenderJob
    data: bytes | None  # the PNG, or None if the part failed
    error: RenderFailed | None
    dpi: float | None
    seconds: float
    note: str
    whole: bool  # every part of its group rendered: the group's scale is final, cache it


class Together:
    """Holds the PNGs of each group until all of its parts are in, then scales them as one."""

    def __init__(self, jobs: list[RenderJob], mutool: str | None, timeout: float):
        self.mutool, self.timeout = mutool, timeout
        self._left: dict[tuple, int] = {}
        for job in jobs:
            g = job.print_group
            if g is not None:
                self._left[g] = self._left.get(g, 0) + 1
        self._held: dict[tuple, list] = {}
        self._failed: set[tuple] = set()
        self._lock = threading.Lock()

    def holds(self, job: RenderJob) -> bool:
        return job.print_group in self._left

    def add(self, job: RenderJob, data: bytes | None, pdf: bytes | None, dpi: float | None, seconds: float,
            note: str, error: RenderFailed | None = None) -> list[Part]:
        """This part's PNG (with the PDF it was drawn from) or its error; every part of the
        group once this was the last, else nothing yet."""
        g = job.print_group
        with self._lock:
            if any(h[0].out == job.out for h in self._held.get(g, ())):
                return []  # told twice (a backend that failed as a whole reports what it had not)
            if error is not None or data is None or pdf is None:
                self._failed.add(g)
            self._held.setdefault(g, []).append((job, data, pdf, dpi, seconds, note, error))
            self._left[g] -= 1
            if self._left[g]:
                return []
            held, whole = self._held.pop(g), g not in self._failed
        return self._scaled(held, whole)

    def _scaled(self, held: list, whole: bool) -> list[Part]:
        sizes = {}
        for job, data, pdf, *_ in held:
            if data is not None and pdf is not None:
                try:
                    sizes[job.out] = raster.fit_scale(pdfinfo.page_size(pdf), job.print_area)
                except ValueError:
                    pass
        least = min(sizes.values(), default=None)
        out = []
        for job, data, pdf, dpi, seconds, note, error in held:
            own = sizes.get(job.out)
            if error is None and data is not None and own is not None and own > least * (1 + SAME):
                try:
                    data = raster.png_from_pdf(self.mutool, pdf, job.dpi, timeout=self.timeout, backend=job.backend,
                                               shrink=least, background=True)
                    note = "; ".join(filter(None, [note, f"at {least / own:.0%} of its own fit, the scale of "
                                                         "its figure's other parts"]))
                except RenderFailed as e:
                    data, error = None, e
            out.append(Part(job, data, error, dpi, seconds, note, whole))
        return out
