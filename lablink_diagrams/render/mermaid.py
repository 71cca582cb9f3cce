"""Mermaid backend: one node process holding one Chromium with one warm page
(mermaid_worker.mjs) renders every Mermaid job of a run. Presets live here as
Mermaid configuration, never in the diagram text."""
from __future__ import annotations

import base64
import collections
import hashlib
import json
import os
import queue
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from . import mermaid_back, mermaid_key, proc, raster
from .errors import RenderFailed, RendererMissing, RenderTimeout, one_line
from .jobs import RenderJob
from ..presets import PRESETS
from ..style import DEFAULT_CLUSTER, FONT as TEXT_FONT, ROLE_COLORS
from .tools import HERE, INSTALL, Toolchain, code_digest, file_digest, fingerprint

WORKER = HERE / "mermaid_worker.mjs"
PX_PER_INCH = 96
COMPONENT = ROLE_COLORS["component"]
DATA = ROLE_COLORS["data"]
# The suite's font first; Chromium falls back per glyph to CJK and emoji fonts.
FONT = f'"{TEXT_FONT}", "Noto Sans CJK JP", "Noto Color Emoji", sans-serif'

STARTUP_TIMEOUT = 90.0
MAX_WORKER_FAILURES = 3  # worker restarts after a hang/crash, never one per diagram


def mermaid_config(preset: str) -> dict:
    p = PRESETS[preset]
    node, edge, title = p.node_px, p.edge_px, p.title_px  # same physical size as DOT's points
    k = node / 14  # grow boxes and margins with the text
    return {
        "startOnLoad": False,
        "securityLevel": "strict",
        # Mermaid's default (50,000 characters) does not fail: it silently draws a
        # "Maximum text size in diagram exceeded" figure instead; escaped text is up to
        # 5x its label, so a 100 KB label needs this.  Bounded by model_json.MAX_BYTES anyway.
        "maxTextSize": 50_000_000,
        "deterministicIds": True,
        "deterministicIDSeed": "lablink",
        # rough.js draws some shapes (stadium, cylinder...) with random jitter even in the
        # classic look; 0 means a new random seed per render, so the SVG changed every time
        "handDrawnSeed": 1,
        "theme": "default",
        "fontFamily": FONT,
        "fontSize": edge,  # Mermaid 11's sequence renderer sizes actors, notes and messages from this
        "htmlLabels": True,
        "markdownAutoWrap": False,  # our views already broke the lines; Mermaid must not re-wrap
        "themeVariables": {
            "fontSize": f"{node}px", "fontFamily": FONT,
            # the project palette (lablink_diagrams/style.py), also for sequence and ER diagrams
            "primaryColor": COMPONENT.fill, "primaryBorderColor": COMPONENT.stroke,
            "primaryTextColor": COMPONENT.text, "lineColor": "#444444", "textColor": COMPONENT.text,
            "clusterBkg": DEFAULT_CLUSTER.fill, "clusterBorder": DEFAULT_CLUSTER.stroke,
            "edgeLabelBackground": "#ffffff", "titleColor": "#1a1a1a",
            "actorBkg": COMPONENT.fill, "actorBorder": COMPONENT.stroke, "actorTextColor": COMPONENT.text,
            "actorLineColor": "#9aa7b5", "signalColor": "#444444", "signalTextColor": COMPONENT.text,
            "labelBoxBkgColor": "#f6f8fb", "labelBoxBorderColor": "#9aa7b5", "labelTextColor": COMPONENT.text,
            "loopTextColor": COMPONENT.text, "noteBkgColor": "#fffde7", "noteBorderColor": "#c9b458",
            "noteTextColor": "#333333", "activationBkgColor": "#dfe9f5", "activationBorderColor": COMPONENT.stroke,
            "attributeBackgroundColorOdd": "#ffffff", "attributeBackgroundColorEven": "#f6f8fb",
            # ER entities: the data palette (tables, as in DOT and PlantUML); the text carries no
            # classDef, which GitHub's Mermaid (10.x) cannot parse in an erDiagram
            "mainBkg": DATA.fill, "nodeBorder": DATA.stroke,
        },
        "themeCSS": (
            f".flowchartTitleText, .titleText {{ font-size: {title}px; }}"
            f" .edgeLabel, .edgeLabel p, .edgeLabel span {{ font-size: {edge}px; }}"
            # no CSS filters (drop shadows on sequence boxes/notes): Chromium rasterises
            # them in PDF (megabyte images, seconds per page) — keep output vector
            " * { filter: none !important; }"
            # Mermaid caps edge labels at 200 px and re-wraps them mid-token; the views already broke the lines
            " .edgeLabel div, .edgeLabel span { max-width: none !important; white-space: nowrap !important; }"
            # ER relationship labels: opaque white like every other edge label (Mermaid's are
            # half-transparent green, so the line showed through the text)
            " .labelBkg { background-color: #ffffff !important; }"
            # no halo (a stroke) round any text: Chromium's PDF writes stroked text as Type 3
            # glyphs, which journals' PDF checks refuse. Sequence texts sit on patches (the
            # worker) and off the activation bars; their halo had changed under 12 pixels a suite
            " .relationshipLabelBox, .relationshipLabelBox rect { fill: #ffffff !important; opacity: 1 !important; }"
        ),
        "flowchart": {
            "htmlLabels": True,
            "nodeSpacing": round(p.nodesep * PX_PER_INCH),
            # dagre gives every edge label a rank of its own, so two labelled edges in a row
            # are four rank gaps apart where DOT has two: 0.65 of DOT's gap looks the same
            "rankSpacing": round(p.ranksep * PX_PER_INCH * 0.65),
            "padding": round(15 * k),
            # room under a frame's title, so an arrow entering the frame from above ends
            # below the words (review 20: arrowheads in 12 frame titles). Mermaid adds it
            # after layout, so stacked sibling frames may overlap: the worker then lays the
            # figure out again without it
            "subGraphTitleMargin": {"top": 0, "bottom": round(12 * k)},
            "wrappingWidth": 600,
            "useMaxWidth": True,
        },
        "sequence": {
            "actorFontSize": node, "actorFontFamily": FONT,
            "messageFontSize": edge, "messageFontFamily": FONT,
            "noteFontSize": edge, "noteFontFamily": FONT,
            # minimum actor size: boxes still grow with their (pre-wrapped) names; Mermaid's
            # 150 px minimum spread 8 lifelines over 30 inches
            "actorMargin": round(30 * k), "boxMargin": round(8 * k), "noteMargin": round(8 * k),
            "messageMargin": round(30 * k), "width": round(90 * k), "height": round(95 * k),  # 5 name lines
            # a fragment's tab ("loop", "par") grows with its text: Mermaid's 50 x 20 px held
            # 14 pt text (19 px) with its descenders on the tab's lower edge
            "labelBoxWidth": round(50 * k), "labelBoxHeight": round(20 * k),
            "mirrorActors": False, "wrap": False,
            "useMaxWidth": True,
        },
    }


_ROLE_COMMENT = re.compile(r"^  %% role (n_[a-z0-9_]+) (" + "|".join(ROLE_COLORS) + r")$", re.M)


def entity_role_css(source: str) -> str:
    r"""CSS colouring each ER entity by the role its ``%% role <id> <role>`` comment names.

    erDiagram has no styling GitHub's Mermaid can parse, so the schema template states
    roles as comments and the renderer colours them, as DOT and PlantUML do. Only ids
    and roles of the exact comment form are used, so no label text reaches the CSS.

    >>> entity_role_css("erDiagram\n  %% role n_trigger component\n  %% role n_x evil}")
    ' g.node[id*="-entity-n_trigger-"] rect.label-container { fill: #e8f1fb !important; stroke: #3a6ea5 !important; } g.node[id*="-entity-n_trigger-"] .nodeLabel { color: #1a1a1a !important; }'
    """
    css = []
    for nid, role in _ROLE_COMMENT.findall(source):
        c = ROLE_COLORS[role]
        sel = f'g.node[id*="-entity-{nid}-"]'
        css.append(f" {sel} rect.label-container {{ fill: {c.fill} !important; stroke: {c.stroke} !important; }}"
                   f" {sel} .nodeLabel {{ color: {c.text} !important; }}")
    return "".join(css)


def job_config(source: str, preset: str) -> dict:
    """The preset's config plus what this diagram's text asks of the renderer (entity roles)."""
    config = mermaid_config(preset)
    config["themeCSS"] += entity_role_css(source)
    return config


def svg_id(source: str) -> str:
    return "lablink-" + hashlib.sha256(source.encode()).hexdigest()[:12]


def parse_error(message: str) -> RenderFailed:
    """Mermaid's 'Parse error on line N:\n<context>\n---^\nExpecting …, got 'X'' as one line."""
    m = re.search(r"(?:Parse|Lexical) error on line (\d+)", message)
    line = int(m.group(1)) if m else None
    lines = [l for l in message.strip().splitlines() if l.strip()] or ["render failed"]
    detail = lines[0].rstrip(":")
    if m and len(lines) > 1 and not lines[1].startswith("-"):
        detail += f" near {lines[1].strip()!r}"
    got = re.search(r"got '([^']+)'", message)
    if got:
        detail += f" (unexpected {got.group(1)})"
    return RenderFailed("mermaid", detail, line)


class _Worker:
    """The node process; lines from its stdout arrive in `self.lines`."""

    def __init__(self, tools: Toolchain, timeout: float):
        env = proc.child_env({"LABLINK_NODE_MODULES": str(tools.node_modules), "LABLINK_CHROMIUM": tools.chromium or ""})
        self.p = proc.spawn([tools.node, str(WORKER)], env=env)
        self.lines: queue.Queue = queue.Queue()
        self.stderr: collections.deque = collections.deque(maxlen=30)
        threading.Thread(target=self._read_out, daemon=True).start()
        self._err_thread = threading.Thread(target=self._read_err, daemon=True)
        self._err_thread.start()
        msg = self._get(max(timeout, STARTUP_TIMEOUT))
        if msg is None or not msg.get("ready"):
            tail = self.tail()
            self.close()
            raise RenderFailed("mermaid", "worker did not start (node/chromium): " + (tail or "no output"))

    def _read_out(self) -> None:
        for raw in self.p.stdout:
            try:
                self.lines.put(json.loads(raw))
            except ValueError:
                self.stderr.append(raw.decode("utf-8", "replace"))
        self.lines.put(None)

    def _read_err(self) -> None:
        for raw in self.p.stderr:
            line = raw.decode("utf-8", "replace").strip()
            if line and "unexpected operator" not in line:  # Debian wrapper noise
                self.stderr.append(line)

    def tail(self) -> str:
        if self.p.poll() is not None or self.lines.empty():
            self._err_thread.join(timeout=2)  # let stderr of a dead worker arrive
        return one_line(" | ".join(list(self.stderr)[-3:]))

    def _get(self, timeout: float):
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise RenderTimeout("mermaid", timeout) from None

    def request(self, req: dict, timeout: float) -> dict:
        try:
            self.p.stdin.write((json.dumps(req) + "\n").encode())
            self.p.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            raise RenderFailed("mermaid", "worker died: " + (self.tail() or "broken pipe")) from None
        msg = self._get(timeout)
        if msg is None:
            raise RenderFailed("mermaid", "worker died: " + (self.tail() or "no output"))
        return msg

    def close(self) -> None:
        try:
            self.p.stdin.close()
            self.p.wait(timeout=10)
        except Exception:
            pass
        proc.kill(self.p)  # also reaps any Chromium left in the group


class MermaidRenderer:
    name = "mermaid"

    def __init__(self, tools: Toolchain, timeout: float, cancel: threading.Event):
        self.tools, self.timeout, self.cancel = tools, timeout, cancel

    def missing(self, job: RenderJob) -> RendererMissing | None:
        t = self.tools
        if not t.node:
            return RendererMissing("mermaid", INSTALL["node"], "node not found")
        if not t.mermaid_js.is_file() or not (t.node_modules / "puppeteer" / "package.json").is_file():
            return RendererMissing("mermaid", INSTALL["mermaid"], f"no mermaid/puppeteer under {t.node_modules}")
        if not t.chromium:
            return RendererMissing("mermaid", INSTALL["chromium"], "chromium not found")
        return raster.missing(t, "mermaid") if job.fmt == "png" else None

    def version(self, job: RenderJob) -> str:
        t = self.tools
        return "|".join([
            "mermaid=" + str(t.npm_version("mermaid")),
            "puppeteer=" + str(t.npm_version("puppeteer")),
            "layout-elk=" + str(t.npm_version("@mermaid-js/layout-elk")),
            "chromium=" + fingerprint(t.chromium),
            "worker=" + file_digest(WORKER) + code_digest("mermaid_key.py") + code_digest("mermaid_back.py"),
            "config=" + hashlib.sha256(json.dumps(job_config(job.source, job.preset), sort_keys=True).encode()).hexdigest()[:12],
        ] + ([raster.version(t)] if job.fmt == "png" else []))

    def run(self, jobs: list[RenderJob], emit) -> None:
        # one layout per (source, preset): its SVG and PDF come from that one render,
        # PNGs are drawn from the PDF in a thread pool while the page lays out the next
        groups: dict[tuple[str, str], list[RenderJob]] = {}
        for job in jobs:
            groups.setdefault((job.source, job.preset), []).append(job)
        with ThreadPoolExecutor(max(1, os.cpu_count() or 2), thread_name_prefix="mermaid-png") as pool:
            futs: list = []
            self._render(groups, emit, pool, futs)
            for f in futs:
                f.result()

    def _render(self, groups: dict, emit, pool, futs) -> None:
        worker = None
        failures, last_error = 0, None
        try:
            for (source, preset), gjobs in groups.items():
                if self.cancel.is_set():
                    return
                t0 = time.monotonic()
                if failures >= MAX_WORKER_FAILURES:  # don't start a broken Chromium 50 times
                    err = RenderFailed("mermaid", f"not rendered: worker failed {failures} times, last: {last_error.detail}")
                    for j in gjobs:
                        emit(j, error=err)
                    continue
                fmts = [f for f in ("svg", "pdf") if any(j.fmt == f or (f == "pdf" and j.fmt == "png") for j in gjobs)]
                try:
                    if worker is None:
                        worker = _Worker(self.tools, self.timeout)
                    drawing, key = mermaid_key.split(source)
                    p = PRESETS[preset]
                    # each source the worker may lay out, with its back edges against the flow
                    flips = [[s, mermaid_back.flip(s)] for s in dict.fromkeys([drawing, source])]
                    req = {"id": 0, "source": drawing, "keySource": key, "wholeSource": source,
                           "back": mermaid_back.pairs(source), "flips": flips, "config": job_config(source, preset),
                           "frame": {"titlePx": p.title_px, "captionPx": p.edge_px, "area": [p.print_width, p.print_height],
                                     "titled": source.startswith("---\ntitle:")},
                           "svgId": svg_id(source), "outputs": [{"fmt": f} for f in fmts]}
                    msg = worker.request(req, self.timeout * len(fmts))
                except RenderFailed as e:
                    # timeout or dead worker: drop it; the next diagram gets a fresh one
                    failures, last_error = failures + 1, e
                    if worker is not None:
                        worker.close()
                        worker = None
                    for j in gjobs:
                        emit(j, error=e, seconds=time.monotonic() - t0)
                    continue
                secs = (time.monotonic() - t0) / len(gjobs)
                if not msg.get("ok"):
                    err = parse_error(msg.get("error", ""))
                    for j in gjobs:
                        emit(j, error=err, seconds=secs)
                    continue
                note = "; ".join(filter(None, [msg.get("layout", ""),
                                               f"blocked {msg['blocked']} network request(s)" if msg.get("blocked") else ""]))
                data = {f: base64.b64decode(o["data"]) for f, o in zip(fmts, msg["outputs"])}
                for j in gjobs:
                    if j.fmt == "png":
                        futs.append(pool.submit(self._png, j, data["pdf"], secs, note, emit))
                    else:
                        emit(j, data=data[j.fmt], dpi=j.dpi, seconds=secs, note=note)
        finally:
            if worker is not None:
                worker.close()

    def _png(self, job: RenderJob, pdf: bytes, secs: float, note: str, emit) -> None:
        if self.cancel.is_set():
            return
        t1 = time.monotonic()
        try:
            data = raster.png_from_pdf(self.tools.mutool, pdf, job.dpi, timeout=self.timeout, backend="mermaid", fit=job.print_area)
        except RenderFailed as e:
            emit(job, error=e, seconds=secs + time.monotonic() - t1)
            return
        emit(job, data=data, dpi=job.dpi, seconds=secs + time.monotonic() - t1, note=note, pdf=pdf)
