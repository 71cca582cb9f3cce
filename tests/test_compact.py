"""--compact: numbered edges + a key in the architecture view; one lifeline per innermost group."""

from __future__ import annotations

import itertools
import re

import pytest

from lablink_diagrams import mechanisms
from lablink_diagrams.emit import emit
from lablink_diagrams.render import font_widths
from lablink_diagrams.views import build_view

from .hostile import HOSTILE
from .test_escaping import everywhere


@pytest.mark.parametrize("name", ["crd-connection", "main", "vm-provisioning"])
def test_edges_numbers_only_and_key_lists_every_step(name):
    d = mechanisms.load(name)
    view = build_view(d, "architecture", compact=True)
    assert all(re.fullmatch(r"\d+(, \d+)*", e.label) for e in view.edges)
    assert sorted(int(n) for e in view.edges for n in e.label.split(", ")) == [s.number for s in d.steps]
    assert [line.split(".")[0].lstrip("\u2007") for line in view.key] == [str(s.number) for s in d.steps]
    for backend in ("mermaid", "plantuml", "dot"):
        text = emit(d, backend, "architecture", compact=True)
        assert all(f"{s.number}. " in text for s in d.steps), backend  # the key holds every step


def test_key_hangs_wrapped_lines_under_the_text_not_the_number():
    """A wrapped entry's later lines start where its text does: flush under "6." a line read
    as an entry of its own ("→ N/A"). The indent is as wide as "6. " in the label font."""
    key = build_view(mechanisms.load("monitoring"), "architecture", compact=True).key
    wrapped = [entry for entry in key if "\n" in entry]
    assert wrapped, "monitoring's key wraps an entry"
    for entry in wrapped:
        number, rest = entry.split(". ", 1)
        for line in rest.split("\n")[1:]:
            assert line.startswith("\u2007" * len(number) + "\u2008\u2008") and not line[len(number) + 2:][:1].isspace()
    widths = font_widths.advance("6. "), font_widths.advance("\u2007\u2008\u2008")
    assert widths[0] == widths[1]


def test_key_entries_start_their_text_in_one_column():
    """Review 87: the key's text stepped right where "9." became "10.". A shorter number is
    set right with figure spaces, so "9. " and "10. " are as wide in the label font, and
    the number, not the entry, decides nothing about where the text starts."""
    key = build_view(mechanisms.load("cicd-workflow"), "architecture", compact=True).key
    assert len(key) >= 10
    starts = {font_widths.advance(entry.split("\n")[0].split(". ", 1)[0] + ". ") for entry in key}
    assert len(starts) == 1, starts
    assert key[0].startswith("\u20071. ") and key[9].startswith("10. ")


def test_default_has_no_key():
    assert build_view(mechanisms.load("main"), "architecture").key == ()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_cannot_leave_the_key(text):
    d = everywhere(text)
    puml = emit(d, "plantuml", "architecture", compact=True).split("\n")
    block = puml[puml.index("legend right") + 1:puml.index("endlegend")]
    # numbered, or a wrapped line hung on figure spaces (or no-break spaces): never a keyword
    assert block and all(line[:1].isdigit() or line[:1] in ("\u2007", "\u00a0") for line in block)
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
    assert d.node("postgres").label == "PostgreSQL" and d.node("postgres").kind == "database"
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
    assert by_number[2].label == "2. get_row_count: total\n= num_vms + rows"  # two even lines


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


def test_a_tall_sequence_keeps_the_words_of_its_lifeline_names_whole():
    """Review 75: compact logging-pipeline part 2, height-bound on the page, named its admin
    "Admin browser / /admin/ / instances → / instance-logs. / html"; its width is free, so the
    name takes longer lines and keeps the path and the file whole. A wide sequence's names
    keep NAME_WIDTH: there the width is what the figure prints by."""
    from lablink_diagrams.compact import split_sequence
    from lablink_diagrams.views.sequence import NAME_WIDTH, TALL_NAME_WIDTH

    part2 = split_sequence(mechanisms.load("logging-pipeline"), 15)[1]
    (admin,) = [p for p in build_view(part2, "sequence", compact=True).participants if p.id == "browser"]
    assert admin.label == "Admin browser\n/admin/instances →\ninstance-logs.html"
    assert max(map(len, admin.label.split("\n"))) <= TALL_NAME_WIDTH
    (wide,) = [p for p in build_view(mechanisms.load("logging-pipeline"), "sequence").participants if p.id == "browser"]
    assert max(map(len, wide.label.split("\n"))) <= NAME_WIDTH + 1  # the same name, not tall: narrow lines


def test_a_step_note_across_boxes_stands_over_one_end():
    """Review 81: a note over two lifelines in two boxes covers both boxes' sides. It now
    stands over one end, the step's source, whose act it explains (monitoring's "'running' is
    sent as soon as docker run returns" over cloud-init; crd's "Started by the container's
    start.sh" over subscribe, not the allocator it calls); a note between lifelines of one box
    still spans both."""
    from lablink_diagrams.views.sequence import NoteItem

    view = build_view(mechanisms.load("monitoring"), "sequence")
    box_of = {p.id: i for i, b in enumerate(view.boxes) if b.title for p in b.participants}
    notes = [it for it in view.items if isinstance(it, NoteItem)]
    running = next(n for n in notes if n.text.startswith("'running'"))
    assert running.over == ("cloud_init",)
    for n in notes:
        assert len({box_of.get(p) for p in n.over}) == 1, n
    crd = build_view(mechanisms.load("crd-connection"), "sequence")
    assert any(isinstance(it, NoteItem) and len(it.over) == 2 for it in crd.items)  # within one box: both ends
    for name, number, text in (("crd-connection", 1, "Started by"), ("vm-provisioning", 20, "Sent as soon")):
        view = build_view(mechanisms.load(name), "sequence")  # the source: a lane where units are merged
        note = next(it for it in view.items if isinstance(it, NoteItem) and it.text.startswith(text))
        assert note.over == (next(m.source for m in view.items if getattr(m, "number", None) == number),), name


def test_box_titles_wrap_to_the_lifelines_they_span():
    """A box is as wide as its lifelines; a longer title spilled past both borders in Mermaid."""
    from lablink_diagrams.views.sequence import BOX_WIDTH

    for d in mechanisms.select(all_=True):
        if "sequence" in d.views:
            for box in build_view(d, "sequence").boxes:
                for line in box.title.split("\n"):
                    assert len(line) <= BOX_WIDTH * len(box.participants) or " " not in line, (d.name, box.title)
    titles = [b.title for b in build_view(mechanisms.load("logging-pipeline"), "sequence").boxes]
    assert "Client VM host ›\nclient container" in titles


def test_a_long_sequence_splits_where_the_fewest_fragments_are_cut():
    """vm-provisioning's 30 steps in parts of at most 18: the cut falls at step 14, where the
    par fragment's second section ("each new client VM boots") starts, not inside a section."""
    from lablink_diagrams.compact import split_sequence

    d = mechanisms.load("vm-provisioning")
    p1, p2 = split_sequence(d, 18)
    assert (p1.name, p2.name) == ("vm-provisioning-part1", "vm-provisioning-part2")
    assert [s.number for s in p1.steps + p2.steps] == [s.number for s in d.steps]
    assert p2.steps[0].number == 14 and p1.views == p2.views == ("sequence",)
    assert p2.title.endswith("(2 of 2: steps 14-30)")
    par = next(f for f in p2.fragments if f.kind == "par" and f.first == 14)
    assert par.sections[0].label == "each new client VM boots"  # a section that starts here is not "continued"
    for p in (p1, p2):
        build_view(p, "sequence")  # a valid model, and a valid view
    assert split_sequence(d, 30) == (d,)


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("name", [n for n in mechanisms.NAMES if len(mechanisms.load(n).steps) > 15
                                  and "sequence" in mechanisms.load(n).views])
def test_the_parts_of_a_split_sequence_keep_the_wholes_lifeline_order(name, compact):
    """Review 83: crd's part 2 drew Client VM right of the allocator and the allocator's
    five lifelines in another order than part 1, so a reader going on from part 1 had to
    find every column again. Any two parts draw the lifelines they share in one order, the
    whole model's (the split sets it: Diagram.lifelines). A whole drawn with lifelines
    merged into lanes (compact, or too many lifelines) arranges its lanes for its own
    messages; its parts are split before their lanes are made."""
    from lablink_diagrams.compact import split_sequence

    def order(d):
        return [p.id for b in build_view(d, "sequence", compact).boxes for p in b.participants]

    def same(a, b):
        return [n for n in a if n in b] == [n for n in b if n in a]

    whole = mechanisms.load(name).lifeline_order()
    parts = split_sequence(mechanisms.load(name), 15)
    assert len(parts) >= 2
    for p in parts:
        assert list(p.lifelines) == whole
    for p, q in itertools.combinations(parts, 2):
        # a part may merge fewer lifelines into lanes: the ones both draw
        assert same(order(p), order(q)), (p.name, order(p), q.name, order(q))


def test_a_split_keeps_an_alt_or_opt_with_the_step_it_branches_on():
    """Review 87: logging's part 2 began with the alt on part 1's "9. vm_exists(log_stream)"
    (VM row exists / fields missing). A cut just before an alt or opt costs as much as one at
    a section boundary, so the check goes with its branches: parts 1-8 and 9-18. A loop
    has no such tie to the step before it."""
    from lablink_diagrams.compact import split_sequence
    from lablink_diagrams.model import Diagram, Fragment, Node, Section, Step

    assert [(p.steps[0].number, p.steps[-1].number) for p in split_sequence(mechanisms.load("logging-pipeline"), 15)] \
        == [(1, 8), (9, 18)]

    def parts(kind):
        d = Diagram(name="t", title="T", views=("sequence",), nodes=(Node("a", "A"), Node("b", "B")),
                    steps=tuple(Step(n, "a", "b", f"m{n}") for n in range(1, 9)),
                    fragments=(Fragment(kind, (Section(5, 6, "x"),)),))
        return [[s.number for s in p.steps] for p in split_sequence(d, 5)]

    assert parts("alt") == parts("opt") == [[1, 2, 3], [4, 5, 6, 7, 8]]  # 4, the check, stays with 5-6
    assert parts("loop") == [[1, 2, 3, 4], [5, 6, 7, 8]]


def test_a_self_message_on_the_last_lifeline_keeps_its_words_whole():
    """Review 83: logging part 1's "9. vm_exists(log_stream)", a self-message on the last
    lifeline, was cut after "log_" at the figure's right edge, where nothing stood in its
    way. Such a message takes what keeps its words whole (up to twice its width): no line
    of one ends inside an identifier, in any sequence, default or compact, whole or split."""
    from lablink_diagrams.compact import split_sequence
    from lablink_diagrams.views.sequence import Message

    seen = 0
    for name in mechanisms.NAMES:
        d = mechanisms.load(name)
        if "sequence" not in d.views:
            continue
        for part in (d, *split_sequence(d, 15)):
            for compact in (False, True):
                view = build_view(part, "sequence", compact)
                last = view.participants[-1].id
                for m in view.items:
                    if isinstance(m, Message) and m.source == m.target == last:
                        seen += 1
                        assert not re.search(r"[_(.]\n", m.label), (part.name, compact, m.label)
    assert seen >= 4


def test_a_split_continues_fragments_drops_orphan_replies_and_notes_a_node_once():
    from lablink_diagrams.compact import split_sequence, split_sequences
    from lablink_diagrams.model import Diagram, Fragment, Node, Note, Section, Step

    d = Diagram(name="t", title="T", views=("architecture", "sequence"),
                nodes=(Node("a", "A"), Node("b", "B")),
                steps=tuple([Step(1, "a", "b", "ask", blocking=True)]
                            + [Step(n, "a", "b", f"m{n}") for n in range(2, 6)]
                            + [Step(6, "b", "a", "answer", kind="response", reply_to=1)]),
                fragments=(Fragment("loop", (Section(2, 5, "every 5 s"),)),),
                notes=(Note("about A", node="a"), Note("about step 6", step=6)))
    p1, p2 = split_sequence(d, 3)
    assert [s.number for s in p1.steps] == [1, 2, 3] and p2.steps[-1].reply_to is None
    assert p2.fragments[0].sections[0] == Section(4, 5, "every 5 s (continued)")
    assert [n.text for n in p1.notes] == ["about A"] and [n.text for n in p2.notes] == ["about step 6"]
    kept, *parts = split_sequences([d], 3)
    assert kept.name == "t" and kept.views == ("architecture",) and [p.name for p in parts] == ["t-part1", "t-part2"]
    assert split_sequences([d], None) == [d]


def test_the_parts_of_a_split_sequence_are_rendered_as_one_figure_per_backend(tmp_path):
    """render --max-steps: each backend's parts of one sequence share a ``together`` name (their
    PNGs print at one scale), made of every part's text; other figures have none."""
    from lablink_diagrams import mechanisms
    from lablink_diagrams.compact import split_sequence_groups
    from lablink_diagrams.render.command import plan

    groups = split_sequence_groups([mechanisms.load("monitoring"), mechanisms.load("api-architecture")], 15)
    assert [[d.name for d in g] for g in groups] == [["monitoring"], ["monitoring-part1", "monitoring-part2"],
                                                     ["api-architecture"]]
    _, jobs = plan(groups, ("mermaid", "plantuml"), (), ("png", "svg"), "paper", 300, tmp_path)
    names = {}
    for j in jobs:
        names.setdefault(j.together, set()).add(j.out.name.split(".")[0] + "." + j.backend)
    assert names.pop("") == {"lablink-monitoring.mermaid", "lablink-monitoring.plantuml",
                             "lablink-api-architecture.mermaid", "lablink-api-architecture.plantuml"}
    assert sorted(map(sorted, names.values())) == [
        ["lablink-monitoring-part1.mermaid", "lablink-monitoring-part2.mermaid"],
        ["lablink-monitoring-part1.plantuml", "lablink-monitoring-part2.plantuml"]]
    # the name follows the parts' texts: another split gives other parts and another name
    _, other = plan(split_sequence_groups([mechanisms.load("monitoring")], 8), ("mermaid",), ("sequence",), ("png",),
                    "paper", 300, tmp_path)
    assert {j.together for j in other}.isdisjoint(names)


def test_a_thousand_steps_split_into_many_parts():
    """--max-steps 4 on a 1,000-step model: 250 parts of 4, every step once (trying every set
    of cuts, as the first version did, would never finish here)."""
    from lablink_diagrams.compact import split_sequence
    from lablink_diagrams.model_json import from_json

    from .test_bad_input import thousand

    d = from_json(thousand())
    assert "sequence" in d.views and len(d.steps) == 1000
    parts = split_sequence(d, 4)
    assert len(parts) == 250 and all(len(p.steps) == 4 for p in parts)
    assert [s.number for p in parts for s in p.steps] == [s.number for s in d.steps]


def test_a_lane_beside_other_lifelines_of_its_group_is_named_after_its_units():
    """In logging-pipeline's AWS box the Lambda and the subscription filter share a lifeline
    beside the log group's: named "AWS" it read as the whole box (review); named after its
    units it says what it holds. Too long a list, or a lane alone in its group, keeps the
    group's name (the box around a lone lane is left out, so the name is not repeated)."""
    from lablink_diagrams.compact import fit_lifelines

    f = fit_lifelines(mechanisms.load("logging-pipeline"))
    assert f.node("aws_lane").label == "subscription filter · Lambda log_processor"  # in order of use
    assert f.node("client_vm_lane").label == "cloud-init · CloudWatch agent"
    assert f.node("allocator_container_lane").label == "allocator container"  # three routes: 55 characters
    crd = fit_lifelines(mechanisms.load("crd-connection"))
    assert crd.node("client_container_lane").label == "client container"  # alone in its group


def test_two_column_keys_break_between_entries_at_one_pitch():
    """A DOT key has one row a line, so a wrapped entry's hung line sits at the key's pitch
    (it was a <br/> in its entry's cell, tighter than the rows, and its row's neighbour in the
    other column was centred beside both lines), and two columns break where an entry starts."""
    from lablink_diagrams.render import dot_key, key_spot

    source = emit(mechanisms.load("monitoring"), "dot", "architecture", compact=True)
    _, key = dot_key.split(source)
    assert "<br" not in key.lower()
    rows = re.findall(r"<TR>(.*?)</TR>", dot_key.key_source(source, key, 2))
    columns = [re.findall(r'<TD ALIGN="LEFT"[^>]*>(.*?)</TD>', row) for row in rows]
    firsts, seconds = [c[0] for c in columns], [c[1] for c in columns if len(c) > 1 and c[1]]
    assert abs(len(firsts) - len(seconds)) <= 1, (firsts, seconds)
    entry = next(i for i, line in enumerate(firsts + seconds) if line.lstrip("\u2007").startswith("6. "))
    assert (firsts + seconds)[entry + 1].startswith("\u2007\u2007\u2008\u2008") and entry + 1 != len(firsts)
    assert not key_spot.hung(seconds[0])  # the second column starts with an entry


def test_a_two_column_key_keeps_every_line_when_its_second_column_is_the_longer():
    """An entry wrapped over many lines can make the second column the longer: none is lost."""
    from lablink_diagrams.render import dot_key

    hang = "\u2007\u2008\u2008"
    cells = ["1. a", "2. b", hang + "c", hang + "d", hang + "e"]
    key = ('  "key" [shape=plaintext, label=<<TABLE>\n' + "".join(f"    <TR><TD>{c}</TD></TR>\n" for c in cells)
           + "  </TABLE>>];\n")
    rows = re.findall(r"<TR>(.*?)</TR>", dot_key.key_source("", key, 2))
    assert [re.findall(r"<TD>([^<]+)</TD>", r) for r in rows] == [["1. a", "2. b"], [hang + "c"], [hang + "d"], [hang + "e"]]
