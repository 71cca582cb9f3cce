"""render(): dedupe, consult the cache, run the three backends concurrently,
write every output atomically."""
from __future__ import annotations

import os
import pathlib
import threading
import xml.etree.ElementTree as ET

from . import pdf, png, proc
from .cache import Cache, job_key, write_atomic
from .errors import RenderError, RenderFailed, one_line
from .graphviz import GraphvizRenderer
from .jobs import RenderJob, Result
from .mermaid import MermaidRenderer
from .plantuml import PlantumlRenderer
from .progress import Bar, wanted
from .together import Together
from .tools import Toolchain

RENDERERS = {"mermaid": MermaidRenderer, "plantuml": PlantumlRenderer, "dot": GraphvizRenderer}
DEFAULT_TIMEOUT = 120.0  # seconds per diagram (the machine is noisy: 70 s outliers were seen)


def finalise(job: RenderJob, data: bytes, dpi: float | None) -> bytes:
    """Check the renderer's bytes and make them deterministic; ValueError if unusable."""
    if job.fmt == "png":
        return png.normalise(data, dpi or job.dpi)
    if job.fmt == "pdf":
        return pdf.normalise(data)
    try:
        ET.fromstring(data)
    except ET.ParseError as e:
        raise ValueError(f"renderer produced invalid SVG XML ({e})") from None
    return data


def render(jobs: list[RenderJob], *, force: bool = False, progress: bool | None = None,
           timeout: float = DEFAULT_TIMEOUT, tools: Toolchain | None = None) -> list[Result]:
    """Render every job; returns one Result per input job, in order.

    Jobs writing the same output are rendered once (a conflicting second job fails).
    Up-to-date outputs are skipped unless `force`. Never raises for a bad diagram or a
    missing renderer; re-raises KeyboardInterrupt after killing every child process."""
    tools = tools or Toolchain.discover()
    cancel = threading.Event()
    renderers = {b: cls(tools, timeout, cancel) for b, cls in RENDERERS.items()}
    cache = Cache()
    by_path: dict[str, RenderJob] = {}
    slot: list[str | Result] = []
    for job in jobs:
        p = os.path.abspath(job.out)
        first = by_path.setdefault(p, job)
        if first is job or first == job:
            slot.append(p)
        else:
            slot.append(Result(job, "failed", f"{job.out}: another job with different input writes the same file"))

    done: dict[str, Result] = {}
    keys: dict[str, str] = {}
    todo: dict[str, list[RenderJob]] = {}
    for p, job in by_path.items():
        r = renderers[job.backend]
        miss = r.missing(job)
        if miss is not None:
            done[p] = Result(job, "missing", str(miss))
            continue
        keys[p] = key = job_key(job, r.version(job))
        if not force and cache.fresh(job.out, key):
            done[p] = Result(job, "cached", "up to date")
            continue
        todo.setdefault(job.backend, []).append(job)
    _all_parts(todo, done, by_path)

    bar = Bar(sum(map(len, todo.values())), wanted(progress))
    lock = threading.Lock()
    together = Together([j for js in todo.values() for j in js], tools.mutool, timeout)

    def emit(job: RenderJob, data: bytes | None = None, error: RenderError | None = None,
             dpi: float | None = None, seconds: float = 0.0, note: str = "", pdf: bytes | None = None) -> None:
        if error is not None and cancel.is_set():
            return  # interrupted: the kill caused this error; leave the old output alone
        if not together.holds(job):
            return finish(job, data, error, dpi, seconds, note)
        for part in together.add(job, data, pdf, dpi, seconds, note, error):
            finish(part.job, part.data, part.error, part.dpi, part.seconds, part.note, keep=part.whole)

    def finish(job: RenderJob, data: bytes | None, error: RenderError | None, dpi: float | None, seconds: float,
               note: str, keep: bool = True) -> None:
        p = os.path.abspath(job.out)
        if error is None:
            try:
                data = finalise(job, data, dpi)
                write_atomic(job.out, data)
                if keep:
                    cache.record(job.out, keys[p], len(data))
                else:  # drawn at the scale of only some of its figure's parts: not final
                    cache.forget(job.out)
                res = Result(job, "rendered", f"{job.out}; {note}" if note else str(job.out), seconds)
            except (ValueError, OSError) as e:
                error = RenderFailed(job.backend, f"cannot write output: {e.strerror or e}" if isinstance(e, OSError) else str(e))
        if error is not None:
            cache.forget(job.out)
            _remove_stale(job.out)
            res = Result(job, "failed", str(error), seconds, getattr(error, "line", None))
        with lock:
            done[p] = res
        bar.step(job.out.name, failed=res.status == "failed")

    def run_backend(backend: str, bjobs: list[RenderJob]) -> None:
        try:
            renderers[backend].run(bjobs, emit)
        except Exception as e:  # a bug or an OS error must not lose the other backends
            msg = RenderFailed(backend, f"internal error: {type(e).__name__}: {e}")
            for job in bjobs:
                if os.path.abspath(job.out) not in done:
                    emit(job, error=msg)

    threads = [threading.Thread(target=run_backend, args=(b, js), name=f"render-{b}", daemon=True)
               for b, js in todo.items()]
    try:
        for t in threads:
            t.start()
        for t in threads:
            while t.is_alive():
                t.join(0.1)
    except BaseException:
        cancel.set()
        proc.kill_all()
        for t in threads:
            t.join(5)
        proc.kill_all()
        raise
    finally:
        bar.close()
        cache.save()

    out: list[Result] = []
    for s in slot:
        if isinstance(s, Result):
            out.append(s)
        else:
            out.append(done.get(s) or Result(by_path[s], "failed", "not rendered (cancelled)"))
    return out


def _all_parts(todo: dict[str, list[RenderJob]], done: dict[str, Result], by_path: dict[str, RenderJob]) -> None:
    """A split figure's parts render together or not at all: one part to draw means the
    figure's scale (its PNGs) and columns (PlantUML) may change, so its cached parts are
    drawn again with it."""
    wanted = {j.figure for js in todo.values() for j in js} - {""}
    for p, job in by_path.items():
        if job.figure in wanted and p in done and done[p].status == "cached":
            del done[p]
            todo.setdefault(job.backend, []).append(job)


def _remove_stale(out: pathlib.Path) -> None:
    try:
        os.unlink(out)
    except OSError:
        pass


def summarise(results: list[Result]) -> str:
    """Counts on the first line, then one line per failure and per missing renderer."""
    counts = {s: 0 for s in ("rendered", "cached", "failed", "missing")}
    for r in results:
        counts[r.status] += 1
    lines = [", ".join(f"{n} {s}" for s, n in counts.items()) + f" ({len(results)} outputs)"]
    missing: dict[str, list[Result]] = {}
    for r in results:
        if r.status == "failed":
            lines.append(f"FAILED {r.job.out}: {one_line(r.message)}")
        elif r.status == "missing":
            missing.setdefault(r.message, []).append(r)
    for msg, rs in missing.items():
        lines.append(f"MISSING ({len(rs)} outputs) {one_line(msg)}")
    return "\n".join(lines)
