"""Skip outputs whose inputs did not change.

One JSON file per output folder (`.lablink-render-cache.json`) maps an output's
file name to the hash of (source, backend, renderer version, fmt, preset, dpi)
and the size of the file written. An output is up to date when its record's
hash matches and the file still exists with that size."""
from __future__ import annotations

import hashlib
import json
import os
import pathlib
import tempfile
import threading

from .jobs import RenderJob

CACHE_NAME = ".lablink-render-cache.json"
ENGINE_VERSION = "1"  # bump when post-processing (PNG/PDF/SVG handling) changes output


def job_key(job: RenderJob, renderer_version: str) -> str:
    # an output that depends on its split figure's other parts holds them (RenderJob.figure);
    # every other output keeps its key
    together = [job.figure] if job.figure else []
    payload = json.dumps([ENGINE_VERSION, job.backend, renderer_version, job.fmt, job.preset, job.dpi, job.fit, job.source,
                          *together])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Cache:
    def __init__(self) -> None:
        self._dirs: dict[pathlib.Path, dict] = {}
        self._dirty: set[pathlib.Path] = set()
        self._lock = threading.Lock()

    def _records(self, folder: pathlib.Path) -> dict:
        recs = self._dirs.get(folder)
        if recs is None:
            try:
                data = json.loads((folder / CACHE_NAME).read_text("utf-8"))
                recs = data.get("outputs", {}) if isinstance(data, dict) else {}
                if not isinstance(recs, dict):
                    recs = {}
            except (OSError, ValueError):
                recs = {}
            self._dirs[folder] = recs
        return recs

    def fresh(self, out: pathlib.Path, key: str) -> bool:
        with self._lock:
            rec = self._records(out.parent).get(out.name)
        if not isinstance(rec, dict) or rec.get("key") != key:
            return False
        try:
            return os.stat(out).st_size == rec.get("size")
        except OSError:
            return False

    def record(self, out: pathlib.Path, key: str, size: int) -> None:
        with self._lock:
            self._records(out.parent)[out.name] = {"key": key, "size": size}
            self._dirty.add(out.parent)

    def forget(self, out: pathlib.Path) -> None:
        with self._lock:
            if self._records(out.parent).pop(out.name, None) is not None:
                self._dirty.add(out.parent)

    def save(self) -> None:
        with self._lock:
            for folder in sorted(self._dirty):
                body = json.dumps({"version": 1, "outputs": dict(sorted(self._dirs[folder].items()))},
                                  indent=1, sort_keys=True) + "\n"
                try:
                    write_atomic(folder / CACHE_NAME, body.encode("utf-8"))
                except OSError:
                    pass  # a lost record only costs a re-render
            self._dirty.clear()


def write_atomic(path: pathlib.Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync-free, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
