"""--key: architecture edges carry only their step numbers; every step is listed in a key."""

from __future__ import annotations

import re

import pytest

from lablink_diagrams import mechanisms
from lablink_diagrams.emit import emit
from lablink_diagrams.views import build_view

from .hostile import HOSTILE
from .test_escaping import everywhere


@pytest.mark.parametrize("name", ["crd-connection", "main", "vm-provisioning"])
def test_edges_numbers_only_and_key_lists_every_step(name):
    d = mechanisms.load(name)
    view = build_view(d, "architecture", key=True)
    assert all(re.fullmatch(r"\d+(, \d+)*", e.label) for e in view.edges)
    assert sorted(int(n) for e in view.edges for n in e.label.split(", ")) == [s.number for s in d.steps]
    assert [line.split(".")[0] for line in view.key] == [str(s.number) for s in d.steps]
    for backend in ("mermaid", "plantuml", "dot"):
        text = emit(d, backend, "architecture", key=True)
        assert all(f"{s.number}. " in text for s in d.steps), backend  # the key holds every step


def test_default_has_no_key():
    assert build_view(mechanisms.load("main"), "architecture").key == ()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_cannot_leave_the_key(text):
    d = everywhere(text)
    puml = emit(d, "plantuml", "architecture", key=True).split("\n")
    block = puml[puml.index("legend right") + 1:puml.index("endlegend")]
    assert block and all(line[:1].isdigit() or line.startswith("\u00a0") for line in block)
    assert puml.count("endlegend") == 1
    mmd = next(line for line in emit(d, "mermaid", "architecture", key=True).split("\n") if line.startswith("  key["))
    assert mmd.count('"') == 2 and mmd.endswith('"]')
    dot = emit(d, "dot", "architecture", key=True)
    key_table = dot[dot.index('"key" [shape=plaintext'):dot.index("</TABLE>>]")]
    assert "<TD" in key_table and "<script" not in key_table.lower() and "<b>" not in key_table.lower()
