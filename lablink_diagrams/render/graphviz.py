"""Graphviz backend: `dot` per source (dot is cheap), in parallel over the cores.
The text is rendered as emitted but for what the first layout (-Tjson) shows struck:
two edges that meet at a glancing angle get another statement order (dot_untangle.py),
a label that dot hung over a cluster's border gets room (dot_room.py: a spacer, or an xlabel),
cluster titles an edge crosses get a free ``labeljust`` (cluster_titles.py), two edges
from one node that cross in a point both pass through swap their first stretches
(dot_joints.py), edge ends that stop short of what their node draws are carried onto it
(dot_ends.py), and edge labels on a border or a line are moved in the SVG (dot_labels.py);
only -T is passed
on the command line. PDF is made from that SVG by rsvg-convert and PNG from that PDF
(raster.py), so one source costs two dot runs whatever formats are asked for (and a
source whose edges meet badly or whose label needs room, one more per variant tried)."""
from __future__ import annotations

import json
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from . import (cluster_titles, dot_ends, dot_halos, dot_joints, dot_key, dot_labels, dot_leading, dot_room, dot_runs, dot_strays,
               dot_untangle, proc, raster)
from ..presets import PRESETS
from .errors import RenderFailed, RendererMissing, RenderTimeout, one_line
from .geometry import keep_hang
from .jobs import RenderJob
from .tools import INSTALL, Toolchain, code_digest, fingerprint

_LINE = re.compile(r"(?:syntax error in line|error in line|line) (\d+)")
_version_cache: dict[str, str] = {}
# what changes a finished layout is part of every output's identity: new placement code
# re-renders, where a fixed tag ("titles=1") kept the old pictures in the cache
_POSTPASS = "post=" + code_digest("cluster_titles.py", "dot_ends.py", "dot_halos.py", "dot_joints.py", "dot_key.py", "dot_labels.py", "dot_leading.py",
                                  "dot_room.py", "dot_runs.py", "dot_strays.py", "edge_strays.py", "dot_untangle.py", "edge_ends.py", "edge_labels.py", "edge_runs.py", "edge_swaps.py",
                                  "geometry.py", "key_spot.py", "label_reflow.py",
                                  "font_widths.py")


def parse_error(stderr: str, rc: int) -> RenderFailed:
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    errs = [l for l in lines if l.lower().startswith("error")] or lines
    msg = errs[0] if errs else f"dot exited with rc={rc}"
    msg = re.sub(r"^Error:\s*(<stdin>:\s*)?", "", msg)
    m = _LINE.search(msg)
    return RenderFailed("dot", msg, int(m.group(1)) if m else None)


class Placement(NamedTuple):
    """What ``GraphvizRenderer._placed`` found for one source: the source to draw, and the
    edits its SVG takes, each from its module, in the order the layout was placed."""
    source: str
    leading: dict  # node label lines spread (dot_leading.spread)
    joints: list  # edges swapped at a shared joint (dot_joints)
    ends: dict  # edge ends carried onto their nodes (dot_ends)
    runs: dict  # edges pulled back into their frame (dot_strays), and run as one, set apart (dot_runs)
    moves: list  # struck edge labels moved (dot_labels.label_moves)
    spaced: dict  # edge label lines spread where they were placed (dot_leading.spread_labels)
    reflowed: list  # labels with their lines joined (dot_labels.reflows)
    lifted: list  # texts still struck, on halos and patches (dot_halos)
    keyed: tuple | None  # a compact figure's key: (its SVG, its placement, the drawing's box)
    tips: dict = {}  # arrowheads turned and moved with the ends two swapped curves handed each other (dot_runs)

    def draw(self, svg: bytes) -> bytes:
        """dot's SVG of ``source`` with every edit made."""
        if any((self.leading, self.joints, self.ends, self.runs, self.moves, self.spaced, self.reflowed, self.lifted)):
            text = dot_joints.apply(dot_leading.apply(svg.decode("utf-8"), self.leading), self.joints)
            text = dot_joints.rewrite(dot_runs.apply_tips(text, self.tips), self.runs)
            text = dot_labels.apply_reflows(dot_labels.apply(dot_ends.apply(text, self.ends), self.moves), self.reflowed)
            svg = dot_halos.apply(dot_leading.apply(text, self.spaced), self.lifted).encode("utf-8")
        if self.keyed:
            svg = dot_key.apply(svg.decode("utf-8"), self.keyed[1], self.keyed[0], self.keyed[2]).encode("utf-8")
        return keep_hang(svg.decode("utf-8")).encode("utf-8") if "\u2007".encode() in svg else svg  # a key's wrapped lines hung


class GraphvizRenderer:
    name = "dot"

    def __init__(self, tools: Toolchain, timeout: float, cancel: threading.Event):
        self.tools, self.timeout, self.cancel = tools, timeout, cancel

    def missing(self, job: RenderJob) -> RendererMissing | None:
        if not self.tools.dot:
            return RendererMissing("dot", INSTALL["dot"], "dot not found")
        if job.fmt in ("pdf", "png") and not self.tools.rsvg:
            return RendererMissing("dot", INSTALL["rsvg-convert"], f"rsvg-convert not found, needed for {job.fmt.upper()}")
        return raster.missing(self.tools, "dot") if job.fmt == "png" else None

    def version(self, job: RenderJob) -> str:
        dot = self.tools.dot
        if dot not in _version_cache:
            try:
                _, out, err = proc.run([dot, "-V"], input=b"", timeout=10, backend="dot")
                _version_cache[dot] = one_line((err or out).decode("utf-8", "replace"))
            except Exception:
                _version_cache[dot] = "unknown"
        v = _version_cache[dot] + "|" + _POSTPASS
        if job.fmt != "svg":
            v += f"|rsvg={fingerprint(self.tools.rsvg)}"
        return f"{v}|{raster.version(self.tools)}" if job.fmt == "png" else v

    def run(self, jobs: list[RenderJob], emit) -> None:
        by_source: dict[str, list[RenderJob]] = {}
        for job in jobs:
            by_source.setdefault(job.source, []).append(job)
        workers = max(1, min(len(by_source), os.cpu_count() or 2))
        with ThreadPoolExecutor(workers, thread_name_prefix="dot") as ex:
            for f in [ex.submit(self._source, sjobs, emit) for sjobs in by_source.values()]:
                f.result()

    def _dot(self, source: str, fmt: str) -> bytes:
        rc, out, err = proc.run([self.tools.dot, f"-T{fmt}"], input=source.encode("utf-8"), background=True,
                                timeout=self.timeout, backend="dot")
        if rc != 0 or not out:
            raise parse_error(err.decode("utf-8", "replace"), rc)
        return out

    def _placed(self, source: str, area: tuple[float, float]) -> Placement:
        """The source with edges that meet badly untangled and struck cluster titles moved,
        the edges that cross in a shared joint to swap stretches, the edge ends to carry
        onto their nodes' outlines, the moves of struck edge labels, the texts still
        struck only by lines, to lift onto patches, and a compact figure's key, laid out
        apart and placed where the figure prints largest in ``area`` (a layout run first).
        Placement only improves a figure: if that run fails or says something unexpected,
        the source is rendered as emitted, and a real error shows in the run that follows."""
        emitted = source
        try:
            source, key = dot_key.split(source)
            layout = json.loads(self._dot(source, "json"))
            if key:  # apart only where the figure prints larger so than with the key in its rank
                pad = float(layout.get("pad", 0.3)) * 72
                sizes = [dot_key.size(json.loads(self._dot(dot_key.key_source(source, key, n), "json"))) for n in (1, 2)]
                whole = json.loads(self._dot(emitted, "json"))
                bb = tuple(float(v) for v in whole["bb"].split(","))
                if dot_key.scale(bb, area, pad) >= dot_key.place(layout, sizes, area, pad).scale:
                    source, key, layout = emitted, None, whole
            source, layout = dot_untangle.untangle(source, layout, lambda s: json.loads(self._dot(s, "json")))
            source, layout = dot_room.make_room(source, layout, lambda s: json.loads(self._dot(s, "json")))
            source, layout = cluster_titles.lower(source, layout, lambda s: json.loads(self._dot(s, "json")))
            source, layout = cluster_titles.wrap(source, layout, lambda s: json.loads(self._dot(s, "json")))
            layout, leading = dot_leading.spread(layout)  # node labels as drawn, before anything is placed beside them
            joints = dot_joints.uncross(layout)  # the layout's curves now as the SVG will draw them
            ends = dot_ends.end_shifts(layout)
            sides = cluster_titles.title_sides(layout)
            strays = dot_strays.inside(layout, sides)  # back into the frame that holds both ends
            tips: dict = {}  # arrowheads at ends that two swapped curves handed each other
            runs = {**strays, **dot_runs.apart(layout, sides, ends, tips)}  # likewise, before the labels are placed beside them
            moves = dot_labels.label_moves(layout, sides)
            spaced = dot_leading.spread_labels(layout, sides, moves)  # edge labels where they were placed
            layout, reflowed = dot_labels.reflows(layout, sides, moves)
            lifted = dot_halos.halos(layout, sides, moves)
            keyed = None
            if key:
                placement = dot_key.place(layout, sizes, area, pad)
                keyed = (self._dot(dot_key.key_source(source, key, placement.columns), "svg").decode("utf-8"),
                         placement, layout["bb"])
        except RenderTimeout:  # a dot that hangs here hangs on the next run too: say so once
            raise
        except (RenderFailed, ValueError, KeyError, TypeError, IndexError, AttributeError):
            if self.cancel.is_set():  # killed by Ctrl-C: start nothing more
                raise
            return Placement(emitted, {}, [], {}, {}, [], {}, [], [], None)
        return Placement(cluster_titles.apply(source, sides), leading, joints, ends, runs, moves, spaced, reflowed, lifted, keyed,
                         tips)

    def _source(self, jobs: list[RenderJob], emit) -> None:
        """Every job of one source: SVG from dot, PDF from that SVG, PNGs from the PDF."""
        svg: bytes | None = None
        pdf: bytes | None = None
        for job in sorted(jobs, key=lambda j: ("svg", "pdf", "png").index(j.fmt)):
            if self.cancel.is_set():
                return
            t0 = time.monotonic()
            try:
                if svg is None:
                    preset = PRESETS[job.preset]
                    placed = self._placed(job.source, (preset.print_width, preset.print_height))
                    if self.cancel.is_set():
                        return
                    svg = placed.draw(self._dot(placed.source, "svg"))
                if job.fmt == "svg":
                    data = svg
                else:
                    pdf = pdf if pdf is not None else raster.pdf_from_svg(
                        self.tools.rsvg, svg, timeout=self.timeout, backend="dot", background=True)
                    data = pdf if job.fmt == "pdf" else raster.png_from_pdf(
                        self.tools.mutool, pdf, job.dpi, timeout=self.timeout, backend="dot", fit=job.print_area,
                        background=True)
            except RenderFailed as e:
                emit(job, error=e, seconds=time.monotonic() - t0)
                continue
            emit(job, data=data, dpi=job.dpi, seconds=time.monotonic() - t0, pdf=pdf)
