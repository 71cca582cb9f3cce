"""Golden text for every (diagram, view, backend): one .mmd/.puml/.dot file each, side by side.

Update with ``pytest tests/test_snapshots.py --snapshot-update`` and read the diff:
a snapshot is only a test if someone checked it against ../shared/lablink-facts.md.
"""

from __future__ import annotations

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from lablink_diagrams import mechanisms
from lablink_diagrams.backends import BACKENDS
from lablink_diagrams.emit import emit, supported


def _extension(ext: str):
    return type(f"{ext.title()}Snapshot", (SingleFileSnapshotExtension,),
                {"file_extension": ext, "_write_mode": WriteMode.TEXT})


EXTENSIONS = {name: _extension(b.extension) for name, b in BACKENDS.items()}
CASES = [(name, view, backend) for name in mechanisms.NAMES
         for view, backend in supported(mechanisms.load(name))]


@pytest.mark.parametrize("name, view, backend", CASES, ids=["-".join(c) for c in CASES])
def test_emitted_text(snapshot, name, view, backend):
    text = emit(mechanisms.load(name), backend, view)
    assert text == snapshot(extension_class=EXTENSIONS[backend])


@pytest.mark.parametrize("name", mechanisms.NAMES)
def test_deterministic_across_processes(name):
    """Same model, same bytes: a fresh interpreter emits identical text (no hash-order effects)."""
    import subprocess
    import sys

    code = ("import sys; from lablink_diagrams import mechanisms; from lablink_diagrams.emit import emit, supported;"
            f"d = mechanisms.load({name!r});"
            "sys.stdout.write(''.join(emit(d, b, v) for v, b in supported(d)))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2")}
    assert len(runs) == 1
    d = mechanisms.load(name)
    assert runs.pop() == "".join(emit(d, b, v) for v, b in supported(d))
