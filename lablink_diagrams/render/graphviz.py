"""Graphviz backend: one `dot` per output (dot is cheap), in parallel over the
cores. The text is rendered as emitted; only -T and, for PNG, -Gdpi (an int)
are passed on the command line."""
from __future__ import annotations

import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from . import proc
from .errors import RenderFailed, RendererMissing, one_line
from .jobs import RenderJob
from .tools import INSTALL, Toolchain

_LINE = re.compile(r"(?:syntax error in line|error in line|line) (\d+)")
_version_cache: dict[str, str] = {}


def parse_error(stderr: str, rc: int) -> RenderFailed:
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    errs = [l for l in lines if l.lower().startswith("error")] or lines
    msg = errs[0] if errs else f"dot exited with rc={rc}"
    msg = re.sub(r"^Error:\s*(<stdin>:\s*)?", "", msg)
    m = _LINE.search(msg)
    return RenderFailed("dot", msg, int(m.group(1)) if m else None)


class GraphvizRenderer:
    name = "dot"

    def __init__(self, tools: Toolchain, timeout: float, cancel: threading.Event):
        self.tools, self.timeout, self.cancel = tools, timeout, cancel

    def missing(self, job: RenderJob) -> RendererMissing | None:
        return None if self.tools.dot else RendererMissing("dot", INSTALL["dot"], "dot not found")

    def version(self, job: RenderJob) -> str:
        dot = self.tools.dot
        if dot not in _version_cache:
            try:
                _, out, err = proc.run([dot, "-V"], input=b"", timeout=10, backend="dot")
                _version_cache[dot] = one_line((err or out).decode("utf-8", "replace"))
            except Exception:
                _version_cache[dot] = "unknown"
        return _version_cache[dot]

    def run(self, jobs: list[RenderJob], emit) -> None:
        workers = max(1, min(len(jobs), os.cpu_count() or 2))
        with ThreadPoolExecutor(workers, thread_name_prefix="dot") as ex:
            for f in [ex.submit(self._one, job, emit) for job in jobs]:
                f.result()

    def _one(self, job: RenderJob, emit) -> None:
        if self.cancel.is_set():
            return
        t0 = time.monotonic()
        cmd = [self.tools.dot, f"-T{job.fmt}"]
        if job.fmt == "png":
            cmd.append(f"-Gdpi={int(job.dpi)}")
        try:
            rc, out, err = proc.run(cmd, input=job.source.encode("utf-8"), timeout=self.timeout, backend="dot")
        except RenderFailed as e:
            emit(job, error=e, seconds=time.monotonic() - t0)
            return
        stderr = err.decode("utf-8", "replace")
        if rc != 0 or not out:
            emit(job, error=parse_error(stderr, rc), seconds=time.monotonic() - t0)
            return
        emit(job, data=out, dpi=job.dpi, seconds=time.monotonic() - t0)
