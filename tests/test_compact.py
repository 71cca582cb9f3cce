"""--compact: numbered edges + a key in the architecture view; one lifeline per innermost group."""

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
    view = build_view(d, "architecture", compact=True)
    assert all(re.fullmatch(r"\d+(, \d+)*", e.label) for e in view.edges)
    assert sorted(int(n) for e in view.edges for n in e.label.split(", ")) == [s.number for s in d.steps]
    assert [line.split(".")[0] for line in view.key] == [str(s.number) for s in d.steps]
    for backend in ("mermaid", "plantuml", "dot"):
        text = emit(d, backend, "architecture", compact=True)
        assert all(f"{s.number}. " in text for s in d.steps), backend  # the key holds every step


def test_default_has_no_key():
    assert build_view(mechanisms.load("main"), "architecture").key == ()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_cannot_leave_the_key(text):
    d = everywhere(text)
    puml = emit(d, "plantuml", "architecture", compact=True).split("\n")
    block = puml[puml.index("legend right") + 1:puml.index("endlegend")]
    assert block and all(line[:1].isdigit() or line.startswith("\u00a0") for line in block)
    assert puml.count("endlegend") == 1
    mmd = next(line for line in emit(d, "mermaid", "architecture", compact=True).split("\n") if line.startswith("  key["))
    assert mmd.count('"') == 2 and mmd.endswith('"]')
    dot = emit(d, "dot", "architecture", compact=True)
    key_table = dot[dot.index('"key" [shape=plaintext'):dot.index("</TABLE>>]")]
    assert "<TD" in key_table and "<script" not in key_table.lower() and "<b>" not in key_table.lower()


@pytest.mark.parametrize("name", [n for n in mechanisms.NAMES if "sequence" in mechanisms.load(n).views])
def test_compact_sequence_keeps_every_step_with_fewer_lifelines(name):
    from lablink_diagrams.views.sequence import Message, sequence_view

    d = mechanisms.load(name)
    full, small = sequence_view(d), build_view(d, "sequence", compact=True)
    assert len(small.participants) < len(full.participants) and len(small.participants) <= 8
    assert [m.number for m in small.items if isinstance(m, Message)] == [s.number for s in d.steps]
    for backend in ("mermaid", "plantuml"):
        emit(d, backend, "sequence", compact=True)  # still a valid model and template


def test_compact_crd_sequence_has_one_postgres_lifeline():
    from lablink_diagrams.compact import collapse_leaf_groups

    d = collapse_leaf_groups(mechanisms.load("crd-connection"))
    assert d.node("postgres").label == "PostgreSQL (in-container)" and d.node("postgres").kind == "database"
    assert [(s.source, s.target) for s in d.steps if s.number in (8, 9, 10)] == [("postgres", "postgres")] * 3


def test_fit_lifelines_merges_code_units_not_people_data_or_pages():
    from lablink_diagrams.compact import MAX_LIFELINES, fit_lifelines

    d = mechanisms.load("monitoring")
    used = {n for s in d.steps for n in (s.source, s.target)}
    assert len(used) > MAX_LIFELINES
    f = fit_lifelines(d)
    lanes = {n for s in f.steps for n in (s.source, s.target)}
    assert len(lanes) <= MAX_LIFELINES
    # the six Flask routes are one lifeline named after their container
    routes = {"r_status", "r_gpu", "r_inuse", "r_all_status", "r_instances", "r_count"}
    assert routes <= used and not routes & lanes
    lane = f.node("allocator_container_lane")
    assert lane.label == "allocator container (Flask)" and lane.refs
    # people, pages and the table keep their own lifelines
    assert {"admin", "vms", "index"} <= lanes
    # a message to a merged route names the route; numbers and order are unchanged
    by = {s.number: s for s in f.steps}
    assert by[7].label.startswith("update_gpu_health: ") and by[7].target == "allocator_container_lane"
    assert [s.number for s in f.steps] == [s.number for s in d.steps]


def test_fit_lifelines_leaves_a_small_diagram_alone():
    from lablink_diagrams.compact import fit_lifelines

    d = mechanisms.load("crd-connection")
    assert fit_lifelines(d, limit=50) is d


def _longest_message_line(view) -> int:
    from lablink_diagrams.views.sequence import Message

    return max(len(line) for it in view.items if isinstance(it, Message)
               for line in it.label.split(" ", 1)[1].split("\n") if it.source != it.target)


def test_a_tall_sequence_gets_longer_message_lines_than_a_wide_one():
    """vm-provisioning (30 steps on 8 lifelines) is too tall for the page: longer lines, fewer of them."""
    from lablink_diagrams.views.sequence import MESSAGE_WIDTH, TALL_MESSAGE_WIDTH

    tall = build_view(mechanisms.load("vm-provisioning"), "sequence")
    wide = build_view(mechanisms.load("network-flow-enhanced"), "sequence")
    assert MESSAGE_WIDTH < _longest_message_line(tall) <= 3 * TALL_MESSAGE_WIDTH
    assert _longest_message_line(wide) <= 3 * MESSAGE_WIDTH
    by_number = {it.number: it for it in tall.items if type(it).__name__ == "Message"}
    # neighbouring lifelines: 16 characters would give this 37-character message three lines
    assert by_number[2].label == "2. get_row_count: total =\nnum_vms + rows"


def test_no_box_repeats_the_name_of_its_only_lifeline():
    """A merged lane is named after its group; a box around it would say the same twice."""
    for name in ("vm-provisioning", "monitoring", "data-collection", "network-flow-enhanced"):
        view = build_view(mechanisms.load(name), "sequence")
        for box in view.boxes:
            if len(box.participants) == 1:
                assert box.title.replace("\n", " ") != box.participants[0].label.replace("\n", " "), (name, box.title)
    titles = [b.title for b in build_view(mechanisms.load("vm-provisioning"), "sequence").boxes]
    assert "AWS" in titles and "client container" not in titles


def test_notes_span_their_lifelines_left_to_right():
    from lablink_diagrams.views.sequence import NoteItem

    for d in mechanisms.select(all_=True):
        if "sequence" not in d.views:
            continue
        view = build_view(d, "sequence")
        column = {p.id: i for i, p in enumerate(view.participants)}
        for it in view.items:
            if isinstance(it, NoteItem):
                assert [column[n] for n in it.over] == sorted(column[n] for n in it.over), (d.name, it.text)


def test_every_lifeline_name_fits_the_head_box():
    """Mermaid's head boxes have one fixed height, for NAME_LINES lines: a longer name spilled out."""
    from lablink_diagrams.views.sequence import NAME_LINES

    for d in mechanisms.select(all_=True):
        if "sequence" in d.views:
            for p in build_view(d, "sequence").participants:
                assert p.label.count("\n") < NAME_LINES, (d.name, p.label)


def test_box_titles_wrap_to_the_lifelines_they_span():
    """A box is as wide as its lifelines; a longer title spilled past both borders in Mermaid."""
    from lablink_diagrams.views.sequence import BOX_WIDTH

    for d in mechanisms.select(all_=True):
        if "sequence" in d.views:
            for box in build_view(d, "sequence").boxes:
                for line in box.title.split("\n"):
                    assert len(line) <= BOX_WIDTH * len(box.participants) or " " not in line, (d.name, box.title)
    titles = [b.title for b in build_view(mechanisms.load("monitoring"), "sequence").boxes]
    assert "allocator\ncontainer\n› PostgreSQL\n(in-container)" in titles
