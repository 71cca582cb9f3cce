"""Subprocess plumbing: every child runs in its own process group, is tracked,
and is killed (with its whole group, e.g. Chromium under node) on timeout,
cancellation or Ctrl-C."""
from __future__ import annotations

import os
import signal
import subprocess
import threading

from .errors import RenderTimeout

_live: set[subprocess.Popen] = set()
_lock = threading.Lock()

BASE_ENV = {"SOURCE_DATE_EPOCH": "0", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
# A mixed run's long pole is the one Chromium that lays out the Mermaid figures one after
# another; dot, rsvg-convert, mutool and the PlantUML JVM are jobs that can fill the CPU
# it leaves. They run "in the background": niced, and on kernels that share CPU between
# sessions (autogroup), their session too, since each child has one of its own and a
# session's share is otherwise that of the whole browser. A suite ran ~0.45 s faster.
BACKGROUND_NICE = 10


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(BASE_ENV)
    if extra:
        env.update(extra)
    return env


def spawn(cmd: list[str], *, env: dict[str, str] | None = None, stdin=subprocess.PIPE,
          stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=None, background: bool = False) -> subprocess.Popen:
    p = subprocess.Popen(cmd, stdin=stdin, stdout=stdout, stderr=stderr, env=env or child_env(),
                         cwd=cwd, start_new_session=True)
    with _lock:
        _live.add(p)
    if background:
        _lower_priority(p.pid)
    return p


def _lower_priority(pid: int) -> None:
    """Nice the child's process group (every thread it has) and its session's autogroup.
    Only ever lowers a priority, which needs no privilege; a failure changes nothing else."""
    nice = max(BACKGROUND_NICE, os.getpriority(os.PRIO_PROCESS, 0))  # never above our own
    try:
        os.setpriority(os.PRIO_PGRP, pid, nice)
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/autogroup", "w") as f:
            f.write(str(nice))
    except OSError:
        pass  # no autogroup (other kernels, macOS): the nice value is the whole story


def kill(p: subprocess.Popen) -> None:
    """SIGKILL the child's process group, reap it and forget it."""
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                p.kill()
            except OSError:
                pass
    else:
        # the leader exited; grandchildren (e.g. chromium) may still be alive
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    for f in (p.stdin, p.stdout, p.stderr):
        try:
            if f:
                f.close()
        except OSError:
            pass
    forget(p)


def forget(p: subprocess.Popen) -> None:
    with _lock:
        _live.discard(p)


def kill_all() -> None:
    with _lock:
        procs = list(_live)
    for p in procs:
        kill(p)


def run(cmd: list[str], *, input: bytes, timeout: float, backend: str,
        env: dict[str, str] | None = None, background: bool = False) -> tuple[int, bytes, bytes]:
    """Run to completion; on timeout kill the group and raise RenderTimeout."""
    p = spawn(cmd, env=env, background=background)
    try:
        out, err = p.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        kill(p)
        raise RenderTimeout(backend, timeout) from None
    except BaseException:
        kill(p)
        raise
    forget(p)
    return p.returncode, out, err
