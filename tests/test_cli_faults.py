"""Faults through ``lablink-diagrams render`` (the CLI, not the engine): a renderer missing,
crashing, hanging or printing garbage; an unwritable or full output folder; Ctrl-C.

Each ends in a clear summary or one-line error, a clean ``out/`` (no partial or temp file,
no stale image), a consistent cache, the other diagrams rendered where possible, and a next
run that completes normally.  Engine-level cases live in tests/render/test_faults.py.

Fake renderers are shell scripts selected through the LABLINK_* variables of
``render/tools.py``; nothing here needs the real renderers except the full-disk case.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lablink_diagrams.cli import main
from lablink_diagrams.render.cache import CACHE_NAME

SVG = '<svg xmlns="http://www.w3.org/2000/svg"><text>ok</text></svg>'
MODELS = ("crd-connection", "monitoring")  # two diagrams with an architecture view


@pytest.fixture
def fake(tmp_path, monkeypatch):
    """Install a fake executable under LABLINK_<VAR>; every other renderer is absent."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for var in ("DOT", "JAVA", "NODE", "CHROMIUM", "RSVG_CONVERT"):
        monkeypatch.setenv(f"LABLINK_{var}", str(bindir / "absent"))
    monkeypatch.setenv("LABLINK_NODE_MODULES", str(tmp_path / "no_node_modules"))
    monkeypatch.setenv("LABLINK_PLANTUML_JAR", str(tmp_path / "absent.jar"))

    def make(var: str, body: str) -> str:
        p = bindir / var.lower()
        p.write_text("#!/bin/sh\n" + body + "\n")
        p.chmod(p.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        monkeypatch.setenv(f"LABLINK_{var}", str(p))
        return str(p)
    return make


VERSION = "[ \"$1\" = -V ] && { echo 'dot - fake 1.0' >&2; exit 0; }; "  # same version: the cache stays valid
GOOD_DOT = VERSION + f"cat >/dev/null; printf '{SVG}'"


def cli(argv) -> int:
    """``main`` as the console script runs it (``render`` ends with sys.exit(1) on a failure)."""
    try:
        return main([str(a) for a in argv])
    except SystemExit as exc:
        return exc.code


def render_cli(capsys, out: Path, *extra) -> tuple[int, str]:
    code = cli(["render", *MODELS, "--backend", "dot", "--view", "architecture", "--format", "svg",
                "--out", out, *extra])
    return code, capsys.readouterr().err


CRD = "*'digraph \"crd-connection\"'*"  # sh pattern: the first diagram's DOT text


def images(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob("*.svg"))


def debris(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".") and
                  p.name != CACHE_NAME)


def cache_ok(out: Path) -> None:
    """Every cache record names an existing output of the recorded size."""
    for folder in {p.parent for p in out.rglob(CACHE_NAME)}:
        data = json.loads((folder / CACHE_NAME).read_text())
        for name, rec in data["outputs"].items():
            assert (folder / name).stat().st_size == rec["size"], name


def test_missing_renderer_is_a_summary_line_with_the_install_command(tmp_path, capsys, fake):
    out = tmp_path / "out"
    code, err = cli(["render", MODELS[0], "--format", "svg", "--out", out]), capsys.readouterr().err
    assert code == 1
    assert err.splitlines()[0].startswith("0 rendered, 0 cached, 0 failed, ")
    assert "MISSING" in err and "apt-get install" in err and "graphviz" in err
    assert "Traceback" not in err
    assert images(out) == [] and debris(out) == []
    # the emitted texts are still there, so the diagrams can be pasted or rendered elsewhere
    assert sorted(p.suffix for p in out.rglob("*.*") if p.name != CACHE_NAME) == [".dot", ".mmd", ".mmd", ".puml", ".puml"]


@pytest.mark.parametrize("case, body, message", [
    ("crash", "cat >/dev/null; echo 'Error: <stdin>: syntax error in line 3 near x' >&2; exit 1", "syntax error in line 3"),
    ("garbage", "cat >/dev/null; echo 'this is not an image'", "invalid SVG"),
    ("segfault", "cat >/dev/null; kill -SEGV $$", "dot"),
    ("empty", "cat >/dev/null; exit 0", "dot"),
])
def test_failing_renderer_others_still_rendered_and_next_run_completes(tmp_path, capsys, fake, case, body, message):
    out = tmp_path / "out"
    # the first diagram's renderer call fails, the second one works
    fake("DOT", VERSION + f"input=$(cat); case \"$input\" in {CRD}) {body.replace('cat >/dev/null; ', '')};; esac; printf '{SVG}'")
    code, err = render_cli(capsys, out)
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith("1 rendered, 0 cached, 1 failed")
    assert len(lines) == 2 and lines[1].startswith("FAILED ") and "crd-connection" in lines[1] and message in lines[1]
    assert images(out) == ["lablink-monitoring.architecture.dot.svg"]
    assert debris(out) == []
    cache_ok(out)
    # the renderer is fixed: the next run renders the failed one and takes the other from the cache
    fake("DOT", GOOD_DOT)
    code, err = render_cli(capsys, out)
    assert code == 0 and err.startswith("1 rendered, 1 cached, 0 failed")
    assert len(images(out)) == 2 and debris(out) == []
    cache_ok(out)


def test_hanging_renderer_times_out(tmp_path, capsys, fake):
    out = tmp_path / "out"
    fake("DOT", VERSION + f"input=$(cat); case \"$input\" in {CRD}) sleep 60;; esac; printf '{SVG}'")
    t0 = time.monotonic()
    code, err = render_cli(capsys, out, "--timeout", "1")
    assert time.monotonic() - t0 < 30  # generous: proves no 60 s hang, not a speed claim
    assert code == 1 and "timed out" in err and "crd-connection" in err
    assert images(out) == ["lablink-monitoring.architecture.dot.svg"] and debris(out) == []
    cache_ok(out)


def test_output_folder_that_cannot_be_created(tmp_path, capsys, fake):
    fake("DOT", GOOD_DOT)
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be")
    code, err = render_cli(capsys, blocker)  # --out names a file: refused before anything runs
    assert code == 2 and "is a file" in err and err.count("\n") == 1
    code, err = render_cli(capsys, blocker / "sub")  # a file in the way further up
    assert code == 1
    assert err.startswith("lablink-diagrams: error: cannot write ") and err.count("\n") == 1
    assert "Not a directory" in err
    assert blocker.read_text() == "a file where the folder should be"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_output_folder(tmp_path, capsys, fake):
    fake("DOT", GOOD_DOT)
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        code, err = render_cli(capsys, out)
    finally:
        out.chmod(0o755)
    assert code == 1 and "cannot write" in err and err.count("\n") == 1


def test_image_folder_read_only_after_texts_written(tmp_path, capsys, fake, monkeypatch):
    """The texts could be written but an image cannot (EACCES in the middle of the run)."""
    from lablink_diagrams.render import cache

    fake("DOT", GOOD_DOT)
    real = cache.tempfile.mkstemp

    def refuse(*a, **kw):
        if "crd-connection" in kw.get("prefix", ""):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(*a, **kw)

    monkeypatch.setattr(cache.tempfile, "mkstemp", refuse)
    out = tmp_path / "out"
    code, err = render_cli(capsys, out)
    assert code == 1 and "Permission denied" in err and "crd-connection" in err
    assert images(out) == ["lablink-monitoring.architecture.dot.svg"] and debris(out) == []
    cache_ok(out)


def test_disk_full_while_writing_an_image(tmp_path, capsys, fake, monkeypatch):
    """ENOSPC half-way through an image: no partial file, the other image written, next run fine."""
    from lablink_diagrams.render import cache

    fake("DOT", GOOD_DOT)
    real_fdopen = cache.os.fdopen

    class Full:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            self.f.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd, mode="r", *a, **kw):
        f = real_fdopen(fd, mode, *a, **kw)
        return Full(f) if "crd-connection" in os.readlink(f"/proc/self/fd/{fd}") else f

    monkeypatch.setattr(cache.os, "fdopen", fdopen)
    out = tmp_path / "out"
    code, err = render_cli(capsys, out)
    assert code == 1 and "No space left on device" in err
    assert images(out) == ["lablink-monitoring.architecture.dot.svg"] and debris(out) == []
    cache_ok(out)
    monkeypatch.setattr(cache.os, "fdopen", real_fdopen)
    code, err = render_cli(capsys, out)
    assert code == 0 and err.startswith("1 rendered, 1 cached")
    cache_ok(out)


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A real 96 KB filesystem (root only; skipped where mounting is not allowed)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield mnt
    subprocess.run(["umount", str(mnt)], capture_output=True)


@pytest.mark.renderer
def test_really_full_filesystem(tiny_tmpfs, capsys):
    """The real dot, a real 96 KB filesystem filled up by the run itself."""
    if not shutil.which("dot"):
        pytest.skip("dot not installed")
    out = tiny_tmpfs / "out"
    code = cli(["render", "--all", "--backend", "dot", "--format", "svg", "--out", out])
    err = capsys.readouterr().err
    assert code == 1
    assert "No space left on device" in err and "Traceback" not in err
    first = err.splitlines()[0]
    assert first.startswith("lablink-diagrams: error: cannot write") or " failed" in first
    assert debris(out) == [] if out.exists() else True
    if out.exists():
        for svg in out.rglob("*.svg"):  # every image that exists is complete
            assert svg.read_text().rstrip().endswith("</svg>")
        cache_ok(out)


def test_ctrl_c_in_the_middle_of_a_render(tmp_path, fake):
    """SIGINT to a real ``python -m lablink_diagrams.cli render`` while one diagram hangs:
    exit 130, a clear message, finished images kept and cached, no partial file, and the
    next run completes from the cache."""
    started = tmp_path / "started"
    hang = fake("DOT", VERSION + f"input=$(cat); case \"$input\" in {CRD}) touch {started}; sleep 60;; esac; printf '{SVG}'")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "lablink_diagrams.cli", "render", *MODELS, "--backend", "dot", "--view",
           "architecture", "--format", "svg", "--out", str(out)]
    # a shell's background job starts with SIGINT ignored, and a Python started so keeps
    # ignoring it: the child gets the default, as from a terminal, however the tests run
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline and p.poll() is None:
        time.sleep(0.05)
    assert started.exists(), p.communicate(timeout=10)
    while not images(out) and time.monotonic() < deadline and p.poll() is None:
        time.sleep(0.05)  # the other diagram finishes: on a loaded machine later than any fixed wait
    time.sleep(0.2)  # and its cache record is written
    p.send_signal(signal.SIGINT)
    stdout, stderr = p.communicate(timeout=30)
    assert p.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if line.strip()] == [
        "interrupted: 1 of 2 outputs rendered before Ctrl-C, kept and cached (images are written whole or "
        "not at all); run the same command again to render the rest",
        "lablink-diagrams: interrupted"]
    assert images(out) == ["lablink-monitoring.architecture.dot.svg"] and debris(out) == []
    cache_ok(out)
    assert hang
    fake("DOT", GOOD_DOT)
    done = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy(), timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("1 rendered, 1 cached, 0 failed")
    assert len(images(out)) == 2 and debris(out) == []
