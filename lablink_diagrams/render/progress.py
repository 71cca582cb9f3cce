"""A one-line progress bar on stderr, only for an interactive terminal outside CI."""
from __future__ import annotations

import os
import sys
import threading


def wanted(progress: bool | None) -> bool:
    if progress is not None:
        return progress
    try:
        return sys.stderr.isatty() and not os.environ.get("CI")
    except (AttributeError, ValueError):
        return False


class Bar:
    def __init__(self, total: int, enabled: bool, width: int = 30):
        self.total, self.enabled, self.width = total, enabled and total > 0, width
        self.done = 0
        self.failed = 0
        self._lock = threading.Lock()
        self._draw("")

    def step(self, label: str, failed: bool = False) -> None:
        with self._lock:
            self.done += 1
            self.failed += failed
            self._draw(label)

    def _draw(self, label: str) -> None:
        if not self.enabled:
            return
        n = int(self.width * self.done / self.total)
        fail = f" {self.failed} failed" if self.failed else ""
        line = f"\rrender [{'#' * n}{'.' * (self.width - n)}] {self.done}/{self.total}{fail} {label}"
        sys.stderr.write(line[:120].ljust(120))
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 120 + "\r")
            sys.stderr.flush()
