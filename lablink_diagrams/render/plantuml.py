"""PlantUML backend: one JVM in -pipe mode renders every PlantUML diagram of a
run to SVG; PDF is made from that SVG by rsvg-convert and PNG (at the job's
DPI) from that PDF (raster.py), in parallel while the JVM goes on. In that SVG, edge
ends that stop short of what their node draws are carried onto it first (plantuml_ends.py),
two links that run side by side are set apart (plantuml_runs.py), then cluster titles that an edge strikes are moved (plantuml_titles.py), then edge
labels off the borders and lines they sit on (plantuml_labels.py); a sequence's
boxes are widened to hold the fragment frames PlantUML draws past them and its
guards moved off the activation bars (plantuml_frames.py), and its message texts
put on patches (plantuml_patches.py). The parts of a split sequence are drawn again, in the
same JVM, with their lifelines in the widest columns any part needs (plantuml_columns.py),
and a sequence whose message text a box's side still runs through is drawn again with that
message broken into lines that fit beside the side (plantuml_rewrap.py).
The JVM's protocol is plantuml_pipe.py's.
"""
from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from ..presets import PRESETS
from . import plantuml_columns, plantuml_ends, plantuml_guard_wrap, plantuml_rewrap, plantuml_frames, plantuml_key, plantuml_labels, plantuml_messages, plantuml_patches, plantuml_runs, plantuml_slides, plantuml_titles, raster
from .errors import RenderFailed, RendererMissing, RenderTimeout
from .geometry import keep_hang
from .plantuml_pipe import Pipe, block_start, problem
from .jobs import RenderJob
from .tools import INSTALL, Toolchain, code_digest, fingerprint

STARTUP_TIMEOUT = 60.0
PX_PER_INCH = 96
# what changes a finished SVG is part of every output's identity (see graphviz.py's _POSTPASS)
_POSTPASS = "post=" + code_digest("plantuml_ends.py", "plantuml_runs.py", "edge_runs.py", "edge_swaps.py", "plantuml_slides.py", "plantuml_titles.py", "plantuml_labels.py", "plantuml_frames.py", "plantuml_messages.py",
                                  "plantuml_patches.py", "edge_ends.py", "edge_labels.py", "geometry.py", "plantuml_key.py", "key_spot.py",
                                  "label_reflow.py", "font_widths.py", "plantuml_columns.py", "plantuml_rewrap.py",
                                  "plantuml_guard_wrap.py")
REWRAP_ROUNDS = 3  # a rewrapped message narrows its columns and a widened gap moves a box's side: 3 draws at most
MAX_JVMS_PER_GROUP = 3  # restarts after a hang/crash, never one per diagram


class _Run:
    """One run's texts, their jobs and what is under way."""

    def __init__(self, by_source: dict[str, list[RenderJob]], starts: dict[str, int], emit,
                 aligner: plantuml_columns.Aligner):
        self.by_source, self.starts, self.emit, self.aligner = by_source, starts, emit, aligner
        self.pool: ThreadPoolExecutor | None = None
        self.futs: list = []
        # text drawn again -> (its part, the text and SVG before, texts struck there)
        self.rewraps: dict[str, tuple[str, str, str, int]] = {}
        self.rounds: dict[str, int] = {}  # times a part was drawn again with messages rewrapped


def _faults(svg: str) -> tuple[dict, dict, dict]:
    """What a redraw may mend in a sequence: the message texts a box's side runs through
    (plantuml_rewrap.struck), the guards that two lines keep by their tabs
    (plantuml_guard_wrap.crowded), each with its room, and the boxes to widen for a text
    their side runs through by its lifeline (plantuml_rewrap.reaches)."""
    return plantuml_rewrap.struck(svg), plantuml_guard_wrap.crowded(svg), plantuml_rewrap.reaches(svg)


class PlantumlRenderer:
    name = "plantuml"

    def __init__(self, tools: Toolchain, timeout: float, cancel: threading.Event):
        self.tools, self.timeout, self.cancel = tools, timeout, cancel

    def missing(self, job: RenderJob) -> RendererMissing | None:
        t = self.tools
        if not t.java:
            return RendererMissing("plantuml", INSTALL["java"], "java not found")
        if not t.jar_ok():
            return RendererMissing("plantuml", INSTALL["plantuml"], f"no jar at {t.plantuml_jar or t.node_modules}")
        if job.fmt in ("pdf", "png") and not t.rsvg:
            return RendererMissing("plantuml", INSTALL["rsvg-convert"], f"rsvg-convert not found, needed for {job.fmt.upper()}")
        return raster.missing(t, "plantuml") if job.fmt == "png" else None

    def version(self, job: RenderJob) -> str:
        t = self.tools
        v = f"jar={fingerprint(t.plantuml_jar)}|java={fingerprint(t.java)}|dot={fingerprint(t.dot)}|{_POSTPASS}"
        if job.fmt != "svg":
            v += f"|rsvg={fingerprint(t.rsvg)}"
        if job.fmt == "png":
            v += "|" + raster.version(t)
        return v

    # ------------------------------------------------------------------
    def run(self, jobs: list[RenderJob], emit) -> None:
        by_source: dict[str, list[RenderJob]] = {}
        starts: dict[str, int] = {}
        for job in jobs:
            try:
                starts[job.source] = block_start(job.source)
            except RenderFailed as e:
                emit(job, error=e)
                continue
            by_source.setdefault(job.source, []).append(job)
        if not by_source:
            return
        figures: dict[str, list[str]] = {}  # a split figure's parts, whose columns line up
        for src, js in by_source.items():
            if js[0].together:
                figures.setdefault(js[0].together, []).append(src)
        run = _Run(by_source, starts, emit, plantuml_columns.Aligner(list(figures.values())))
        # rsvg-convert turns each SVG into PNG/PDF while the JVM renders the next diagrams
        with ThreadPoolExecutor(max(1, os.cpu_count() or 2), thread_name_prefix="rsvg") as pool:
            run.pool = pool
            self._jvm(run)
            for f in run.futs:
                f.result()

    def _jvm(self, run: "_Run") -> None:
        sources = list(run.by_source)
        jvms = 0
        while sources and not self.cancel.is_set():
            if jvms == MAX_JVMS_PER_GROUP:
                for s in sources:
                    self._settle(run, s, None, RenderFailed("plantuml", "not rendered: PlantUML JVM kept failing"), 0.0)
                return
            jvms += 1
            pipe = Pipe(self.tools, ["-tsvg"], sources)
            done, graceful = 0, False
            try:
                t0 = time.monotonic()
                while done < len(sources):
                    if self.cancel.is_set():
                        return
                    src = sources[done]
                    try:
                        chunk = pipe.next(self.timeout + (STARTUP_TIMEOUT if done == 0 else 0))
                    except RenderTimeout as e:
                        self._settle(run, src, None, e, t0)
                        done += 1
                        break
                    if chunk is None:
                        err = RenderFailed("plantuml", "java exited: " + (pipe.tail() or f"rc={pipe.p.poll()}"))
                        self._settle(run, src, None, err, t0)
                        done += 1
                        break
                    if done > 0 and chunk.startswith(b"\n"):
                        chunk = chunk[1:]
                    for again in self._settle(run, src, chunk, None, t0):  # a part drawn again, aligned
                        sources.append(again)
                        pipe.send(again)
                    t0 = time.monotonic()
                    done += 1
                else:
                    graceful = True
            finally:
                pipe.close(graceful)
            sources = sources[done:]

    def _settle(self, run: "_Run", src: str, chunk: bytes | None, error: RenderFailed | None, t0: float) -> list[str]:
        """Take one text's SVG (or its error) on: to its jobs, or first through the stages that
        draw a sequence again (rewrapped messages, a split figure's columns); the texts to draw."""
        if error is None:
            error = problem(chunk, run.starts.get(src, 0))
        svg = None if error is not None else chunk.decode("utf-8")
        if src in run.rewraps:  # drawn again with messages broken to fit beside the box sides
            part, text, before, count = run.rewraps.pop(src)
            if svg is not None and plantuml_columns.holds_gaps(src):  # hidden messages held a gap open: their rows cut away
                svg = plantuml_columns.trimmed(svg, before)
            rooms = _faults(svg) if svg is not None else None
            if rooms is not None and sum(map(len, rooms)) < count:
                return self._drawn(run, part, src, svg, t0, rooms)
            run.rounds[part] = REWRAP_ROUNDS  # failed, or no better: the drawing before
            return self._drawn(run, part, text, before, t0)
        if src not in run.by_source:  # a split figure's part drawn again in the figure's columns
            again, ready = run.aligner.drawn(src, svg)
            self._ready(run, ready, t0)
            return again
        if error is not None:
            self._fail(run.by_source[src], error, t0, emit=run.emit)
            if run.aligner.holds(src):
                again, ready = run.aligner.drawn(src, None)
                self._ready(run, ready, t0)
                return again
            return []
        return self._drawn(run, src, src, svg, t0)

    def _drawn(self, run: "_Run", part: str, text: str, svg: str, t0: float,
               rooms: dict | None = None) -> list[str]:
        """``part`` (a text as emitted) drawn from ``text``: drawn again if a box's side still
        runs through a message that fits beside it in other lines (or, with a word too wide
        for that, in a stretch made wider), else on to its figure's other parts or out.
        A guard a bar or a side runs through is broken into two lines where that keeps it by
        its tab (plantuml_guard_wrap.py); a message text its own box's side runs through gets
        the box widened to hold it by its lifeline (plantuml_rewrap.reaches). ``rooms``:
        _faults(svg), if already measured."""
        if 'data-diagram-type="SEQUENCE"' in svg[:600] and run.rounds.get(part, 0) < REWRAP_ROUNDS:
            rooms, guards, reach = _faults(svg) if rooms is None else rooms
            # rewrapped first; once gaps are held open by hidden messages, only held wider: the
            # rows those add are cut by the drawing before, whose story must be the same
            held = plantuml_columns.holds_gaps(text)
            again = plantuml_rewrap.rewrapped(text, rooms) if rooms and not held else None
            if guards and not held:
                again = plantuml_guard_wrap.rewrapped(again or text, guards) or again
            xs = [x for x, _, _ in plantuml_columns.lifelines(svg)]
            if reach and again is None:  # a text past its own box's side: the box made wider
                again = plantuml_columns.widened(text, xs, [b - a for a, b in zip(xs, xs[1:])], xs[0], reach=reach)
            elif rooms and again is None:  # a word too wide for any stretch: the stretch made wider
                extra = plantuml_rewrap.widenings(svg)
                if extra and len(extra) == len(xs) - 1:
                    gaps = [b - a + e for a, b, e in zip(xs, xs[1:], extra)]
                    again = plantuml_columns.widened(text, xs, gaps, xs[0])
            if again is not None and again not in run.rewraps and again not in run.by_source:
                run.rounds[part] = run.rounds.get(part, 0) + 1
                run.rewraps[again] = (part, text, svg, len(rooms) + len(guards) + len(reach))
                return [again]
        if run.aligner.holds(part):
            again, ready = run.aligner.drawn(part, svg, text)
            self._ready(run, ready, t0)
            return again
        jobs = run.by_source[part]
        self._deliver(run, jobs, self._passes(svg, jobs[0].preset), t0)
        return []

    def _ready(self, run: "_Run", ready: list[tuple[str, str]], t0: float) -> None:
        """A split figure's parts, every one drawn: through our passes, then out."""
        finished = run.aligner.finished([s for s, _ in ready], [self._passes(svg, run.by_source[s][0].preset)
                                                               for s, svg in ready])
        for (s, _), svg in zip(ready, finished):
            self._deliver(run, run.by_source[s], svg, t0)

    @staticmethod
    def _fail(jobs, error, t0, emit) -> None:
        for job in jobs:
            emit(job, error=error, seconds=time.monotonic() - t0)

    @staticmethod
    def _passes(svg: str, preset: str) -> str:
        """Our passes over a PlantUML SVG, by what it draws; an SVG we do not know is left as drawn."""
        try:
            if '<g class="link"' in svg and '<g class="entity"' in svg:  # ends on their nodes' lines
                svg = plantuml_ends.place(svg)
                svg = plantuml_runs.apart(svg)  # and apart where they run as one
            if '<g class="cluster"' in svg:  # struck cluster titles move where they are free
                if '<g class="link"' in svg:  # ... or where the links through them can slide off
                    svg = plantuml_slides.slide(svg)
                svg = plantuml_titles.place(svg)
            if '<g class="link"' in svg:  # then struck edge labels, beside their edges
                svg = plantuml_labels.place(svg)
                if '<g class="cluster"' in svg:  # titles struck still, by lines only: over them
                    svg = plantuml_titles.lift(svg)
                if '<g class="legend"' in svg:  # a compact figure's key, where it costs least
                    p = PRESETS[preset]
                    svg = plantuml_key.place(svg, (p.print_width, p.print_height))
                    svg = keep_hang(svg)  # its wrapped lines hung
            elif "stroke-dasharray" in svg:  # a sequence: boxes hold their frames, message texts on patches
                svg = plantuml_frames.guards_off_bars(plantuml_frames.widen_boxes(svg))
                svg = plantuml_messages.notes_off_sides(plantuml_messages.off_sides(svg))
                svg = plantuml_patches.patch(svg)
        except (ValueError, AttributeError, IndexError):
            pass
        return svg

    def _deliver(self, run: "_Run", jobs: list[RenderJob], svg: str, t0: float) -> None:
        chunk = svg.encode("utf-8")
        secs = time.monotonic() - t0
        for job in jobs:
            if job.fmt == "svg":
                run.emit(job, data=chunk, seconds=secs)
        printed = [j for j in jobs if j.fmt != "svg"]
        if printed:
            run.futs.append(run.pool.submit(self._convert, printed, chunk, secs, run.emit))

    def _convert(self, jobs: list[RenderJob], svg: bytes, secs: float, emit) -> None:
        """PlantUML SVG → PDF with rsvg-convert (PlantUML's own -tpdf needs Java 21 and
        drops non-Latin-1 glyphs), then PNGs at each job's DPI from that PDF."""
        t1 = time.monotonic()
        pdf: bytes | None = None
        for job in sorted(jobs, key=lambda j: j.fmt != "pdf"):
            if self.cancel.is_set():
                return
            try:
                if pdf is None:
                    pdf = raster.pdf_from_svg(self.tools.rsvg, svg, timeout=self.timeout, backend="plantuml", background=True)
                data = pdf if job.fmt == "pdf" else raster.png_from_pdf(
                    self.tools.mutool, pdf, job.dpi, timeout=self.timeout, backend="plantuml", fit=job.print_area,
                    background=True)
            except RenderFailed as e:
                emit(job, error=e, seconds=secs + time.monotonic() - t1)
                continue
            emit(job, data=data, dpi=job.dpi, seconds=secs + time.monotonic() - t1, pdf=pdf)
            t1 = time.monotonic()
