"""Views derive from one model: the same numbered steps in every backend, in the right order."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, strategies as st

from lablink_diagrams import mechanisms
from lablink_diagrams.emit import emit
from lablink_diagrams.model import ModelError
from lablink_diagrams.views import build_view
from lablink_diagrams.views.sequence import FragmentClose, FragmentOpen, FragmentSection, Message

NUMBERED = re.compile(r"(?<![\d.#])(\d+)\. ")


def step_numbers(text: str) -> list[int]:
    return [int(n) for n in NUMBERED.findall(text)]


@pytest.mark.parametrize("name", mechanisms.NAMES)
def test_architecture_numbers_identical_in_every_backend(name):
    d = mechanisms.load(name)
    if "architecture" not in d.views:
        pytest.skip("no architecture view")
    expected = [s.number for s in d.steps]
    seen = {backend: step_numbers(emit(d, backend, "architecture")) for backend in ("mermaid", "plantuml", "dot")}
    assert seen["mermaid"] == seen["plantuml"] == seen["dot"]  # same numbers, same order
    assert sorted(seen["dot"]) == expected  # every step exactly once (parallel steps share an edge)


@pytest.mark.parametrize("name", mechanisms.NAMES)
def test_sequence_uses_the_architecture_numbers(name):
    d = mechanisms.load(name)
    if "sequence" not in d.views:
        pytest.skip("no sequence view")
    view = build_view(d, "sequence")
    assert [m.number for m in view.items if isinstance(m, Message)] == [s.number for s in d.steps]
    for backend in ("mermaid", "plantuml"):
        assert step_numbers(emit(d, backend, "sequence")) == [s.number for s in d.steps]


def test_dot_refuses_the_sequence_view():
    with pytest.raises(ModelError, match="dot backend has no sequence view"):
        emit(mechanisms.load("crd-connection"), "dot", "sequence")


def test_unknown_view_for_a_diagram_is_refused():
    with pytest.raises(ModelError, match="has no schema view"):
        emit(mechanisms.load("crd-connection"), "mermaid", "schema")


def test_crd_sequence_long_poll_precedes_the_users_request():
    view = build_view(mechanisms.load("crd-connection"), "sequence")
    msgs = [m for m in view.items if isinstance(m, Message)]
    poll = next(m for m in msgs if "POST /vm_startup" in m.label.replace("\n", " "))
    request = next(m for m in msgs if "POST /api/request_vm" in m.label.replace("\n", " "))
    assert poll.number < request.number
    # subscribe's lifeline is its container's (compact.fit_lifelines); the long poll opens an activation
    assert poll.source == "client_container_lane" and poll.target == "allocator_container_lane" and poll.activate


def test_crd_no_client_participant_talks_to_postgres():
    d = mechanisms.load("crd-connection")
    client = {n for g in d.groups if g.id in ("client_vm", "client_container") for n in g.nodes}
    database = {"vms_table", "trigger", "notify_fn", "channel"}
    assert client and all(not (s.source in client and s.target in database) for s in d.steps)
    listeners = [s for s in d.steps if "LISTEN" in s.label and s.kind == "sql"]
    assert [s.source for s in listeners] == ["listener"]
    assert d.group_path("listener")[0].id == "allocator_ec2"


def test_crd_trigger_and_function_have_their_real_names():
    d = mechanisms.load("crd-connection")
    assert "trigger_crd_command_insert_or_update" in d.node("trigger").label
    assert "notify_crd_command_update()" in d.node("notify_fn").label


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("name", mechanisms.NAMES)
def test_each_reply_ends_the_bar_its_own_request_opened(name, compact):
    """Mermaid and PlantUML end a lifeline's newest bar on a reply: it must be the bar of the
    request this step answers (in crd-connection, step 12 used to end the bar of step 6)."""
    d = mechanisms.load(name)
    if "sequence" not in d.views:
        pytest.skip("no sequence view")
    bars: dict[str, list[int]] = {}
    for m in (i for i in build_view(d, "sequence", compact=compact).items if isinstance(i, Message)):
        if m.deactivate:
            assert bars.get(m.source), f"step {m.number} ends a bar on {m.source}, which has none"
            assert bars[m.source].pop() == d.step(m.number).reply_to, f"step {m.number} ends another request's bar"
        if m.activate:
            bars.setdefault(m.target, []).append(m.number)
    assert not any(bars.values()), bars


def test_the_long_poll_keeps_its_bar_in_crd_connection():
    """Of the allocator lane's three crossing spans (1-13, 2-12, 6-14), the two that nest,
    the long poll and its listener, keep their bars."""
    items = [i for i in build_view(mechanisms.load("crd-connection"), "sequence").items if isinstance(i, Message)]
    assert [m.number for m in items if m.activate] == [1, 2]
    assert [m.number for m in items if m.deactivate] == [12, 13]


@pytest.mark.parametrize("name", mechanisms.NAMES)
def test_fragments_balance(name):
    d = mechanisms.load(name)
    if "sequence" not in d.views:
        pytest.skip("no sequence view")
    depth = 0
    for item in build_view(d, "sequence").items:
        if isinstance(item, FragmentOpen):
            depth += 1
        elif isinstance(item, FragmentClose):
            depth -= 1
        elif isinstance(item, FragmentSection):
            assert depth > 0
        assert depth >= 0
    assert depth == 0


def test_sequence_participants_grouped_then_first_appearance():
    view = build_view(mechanisms.load("crd-connection"), "sequence")
    titled = [b.title for b in view.boxes if b.title]
    assert len(titled) == len(set(titled)), "each group appears as one contiguous box"
    assert [p.id for p in view.boxes[0].participants] == ["user"]  # people first
    assert view.boxes[1].participants[0].id == "client_container_lane"  # then first appearance (subscribe's lane)


def test_responses_are_dashed_in_every_backend():
    d = mechanisms.load("crd-connection")
    assert "n_allocator_container_lane-->>-n_client_container_lane: 13." in emit(d, "mermaid", "sequence")
    assert "n_allocator_container_lane --> n_client_container_lane : 13." in emit(d, "plantuml", "sequence")
    assert re.search(r'"n_subscribe" -> "n_vm_startup" \[label="13\. [^"]*", dir=back, style=dashed\]', emit(d, "dot", "architecture"))


ARROWS = {  # (regex over one line of text, group of the arrow's tail, group of its head)
    "mermaid": (re.compile(r"^\s*n_(\w+) -[-.]+>\|\"(\d+)\. .* n_(\w+)$"), 1, 3),
    "plantuml": (re.compile(r"^n_(\w+) (-->|\.\.>|<--|<\.\.) n_(\w+) : (\d+)\. "), None, None),
    "dot": (re.compile(r'^\s*"n_(\w+)" -> "n_(\w+)" \[label="(\d+)\. (?:[^"\\]|\\.)*"(, dir=back)?'), None, None),
}


def drawn_arrows(text: str, backend: str) -> dict[int, tuple[str, str]]:
    """The first step number on each edge line, mapped to (tail, head) as the reader sees it."""
    pattern = ARROWS[backend][0]
    out = {}
    for line in text.splitlines():
        m = pattern.search(line)
        if not m:
            continue
        if backend == "mermaid":
            out[int(m[2])] = (m[1], m[3])
        elif backend == "plantuml":
            out[int(m[4])] = (m[3], m[1]) if m[2].startswith("<") else (m[1], m[3])
        else:
            out[int(m[3])] = (m[2], m[1]) if m[4] else (m[1], m[2])
    return out


@pytest.mark.parametrize("backend", ["mermaid", "plantuml", "dot"])
@pytest.mark.parametrize("name", mechanisms.NAMES)
def test_every_arrow_points_from_its_steps_source_to_its_target(name, backend):
    """A back edge is written reversed so the engine ranks it against the flow; its
    arrowhead must still be where the step goes (dot dir=back, PlantUML <--)."""
    d = mechanisms.load(name)
    if "architecture" not in d.views:
        pytest.skip("no architecture view")
    view = build_view(d, "architecture")
    drawn = drawn_arrows(emit(d, backend, "architecture"), backend)
    assert sorted(drawn) == [e.number for e in sorted(view.edges, key=lambda e: e.number)]
    for s in d.steps:
        if s.number in drawn:
            assert drawn[s.number] == (s.source, s.target), f"step {s.number}"


def test_back_edges_are_the_ones_that_return_against_the_flow():
    """Requests go down, replies and call-backs come up: in crd-connection the long-poll
    chain (1-3) points down and its answers (11-13) are the back edges; in network-flow the
    VM's reports to the allocator (8, 10) and the Lambda's POST (14) are. A late step into
    a node reached earlier from nearer the start points back too (late_edges): pg_notify
    (10) into the channel the listener reached at step 3, the CRD host's registration (17)
    with the service the user reached at step 4, and CI/CD's PyPI -> image build (10)."""
    back = {name: sorted(e.number for e in build_view(mechanisms.load(name), "architecture").edges if e.back)
            for name in ("crd-connection", "network-flow-enhanced", "main", "cicd-workflow")}
    assert back == {"crd-connection": [10, 11, 12, 13, 14, 17], "network-flow-enhanced": [8, 10, 14],
                    "main": [6, 12], "cicd-workflow": [10]}


def test_parallel_steps_share_one_edge_and_keep_their_numbers():
    d = mechanisms.load("main")
    view = build_view(d, "architecture")
    pairs = [(e.source, e.target, e.dashed) for e in view.edges]
    assert len(pairs) == len(set(pairs))
    assert sorted(step_numbers("\n".join(e.label for e in view.edges))) == [s.number for s in d.steps]


def test_a_box_inside_another_boxed_group_names_that_group():
    """Sequence boxes cannot nest, so "client container" drawn beside "Client VM" read as
    outside the VM (review, round 5): such a box's title starts with the parent's short name."""
    from lablink_diagrams.model import Diagram, Group, Node, Step

    d = Diagram(name="t", title="T", views=("sequence",),
                nodes=(Node("host", "cloud-init"), Node("app", "subscribe"), Node("ext", "Allocator")),
                groups=(Group("vm", "Client VM (× N)", nodes=("host",), groups=("ctr",)),
                        Group("ctr", "client container", nodes=("app",))),
                steps=(Step(1, "host", "app", "docker run"), Step(2, "app", "ext", "POST")))
    titles = [b.title for b in build_view(d, "sequence").boxes]
    assert titles == ["Client VM (× N)", "Client VM ›\nclient container", ""]
    # without a box of its own, the parent is not named: the box says only what it holds
    lone = Diagram(name="t", title="T", views=("sequence",), nodes=d.nodes, groups=d.groups,
                   steps=(Step(1, "app", "ext", "POST"),))
    assert [b.title for b in build_view(lone, "sequence").boxes] == ["client container", ""]
    by_name = {b.title: b for b in build_view(mechanisms.load("logging-pipeline"), "sequence").boxes}
    assert "Client VM host ›\nclient container" in by_name
    # a lifeline named after its group gets no box of its own, so no narrow box cuts its self-messages
    titles = [b.title for b in build_view(mechanisms.load("vm-provisioning"), "sequence").boxes]
    assert not any("›" in t for t in titles), titles


def test_architecture_wraps_names_and_edges_but_never_a_word():
    """Names and edge labels wrap at 16 so boxes side by side fit a column, clouds too (Mermaid
    draws a cloud as a rounded box: its circle, sized by the text's width, spilled wrapped
    text and was the largest shape of its figure); a word up to 32 characters is never
    broken ("upload_to_ / s3(tfvars)" read as a defect)."""
    from lablink_diagrams.model import Diagram, Node, Step

    d = Diagram(name="t", title="T", nodes=(
        Node("a", "Flask allocator main.py and its many routes"),
        Node("c", "client-VM resources (main.tf)\nSG :22 · IAM + CW policy", kind="cloud")),
        steps=(Step(1, "a", "c", "8. call upload_to_s3(tfvars) then describe_instance_types"),))
    v = build_view(d, "architecture")
    names = {n.id: n.label for n in v.all_nodes()}
    assert max(map(len, names["c"].split("\n"))) <= 20 and names["c"].count("\n") >= 2
    assert 'n_c("client-VM' in emit(d, "mermaid", "architecture")  # a rounded box, not (("…")) a circle
    assert max(map(len, names["a"].split("\n"))) <= 20 and names["a"].count("\n") >= 2
    (edge,) = v.edges
    assert "upload_to_s3(tfvars)" in edge.label.split("\n")[1] and "describe_instance_types" in edge.label


@pytest.mark.parametrize("name", mechanisms.NAMES)
def test_the_boxes_of_one_outermost_group_stand_side_by_side(name):
    """Boxes cannot nest, so "Client VM host › client container" is a box of its own; with
    the AWS box between it and "Client VM host" it read as a second VM (review, round 12)."""
    d = mechanisms.load(name)
    if "sequence" not in d.views:
        pytest.skip("no sequence view")
    from lablink_diagrams.compact import collapse_leaf_groups, fit_lifelines

    for shown in (fit_lifelines(d), fit_lifelines(collapse_leaf_groups(d))):  # as build_view lays it out
        view = build_view(shown, "sequence")
        tops = []
        for box in view.boxes:
            path = shown.group_path(box.participants[0].id)
            tops.append(path[0].id if path else None)
        runs = [t for i, t in enumerate(tops) if t is not None and (i == 0 or tops[i - 1] != t)]
        assert len(runs) == len(set(runs)), tops


def test_a_lone_lifeline_left_unboxed_joins_its_parents_box():
    """monitoring's client container holds one lane named after it, so it gets no box of its
    own; left outside the "Client VM" box it read as outside the VM (review, round 13)."""
    view = build_view(mechanisms.load("monitoring"), "sequence")
    vm = next(b for b in view.boxes if b.title == "Client VM")
    assert [p.id for p in vm.participants] == ["cloud_init", "client_container_lane"]


@given(st.text(alphabet=st.sampled_from("ab_/. -"), max_size=120), st.integers(4, 60))
def test_balanced_wrap_keeps_the_text_and_never_adds_a_line(text, width):
    from lablink_diagrams.views.common import wrap, wrap_balanced
    even = wrap_balanced(text, width)
    assert even.count("\n") <= wrap(text, width).count("\n")
    assert even.replace("\n", "").replace(" ", "") == text.replace(" ", "")


@given(st.text(alphabet=st.sampled_from("ab_/. -→×·0123\ue000\ue001\ue002\u2060"), max_size=80), st.integers(4, 40))
def test_wrapping_keeps_every_character_even_its_own_markers(text, width):
    """Label text is data: a label holding the private-use characters the wrappers mark
    breaks and glued spaces with keeps them; only spaces and line breaks may change."""
    from lablink_diagrams.views.common import wrap, wrap_balanced, wrap_name
    for out in (wrap(text, width), wrap_balanced(text, width), wrap_name(text, width)):
        assert out.replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


@pytest.mark.parametrize("ends, mermaid, plantuml, dot", [
    (("0..1", "1..*"), "n_t |o..|{ n_f", 'n_t "0..1" ..> "1..<U+002A>" n_f', 'taillabel="0..1", headlabel="1..*"'),
    (("1", "0..*"), "n_t ||..o{ n_f", 'n_t ..> "0..<U+002A>" n_f', 'headlabel="0..*"'),
    ((), "n_t ||..|| n_f", "n_t ..> n_f", None),
])
def test_a_schema_relation_draws_the_multiplicity_of_each_end(ends, mermaid, plantuml, dot):
    """Mermaid's crow's feet carry both ends; DOT and PlantUML label every end but a '1'."""
    from lablink_diagrams.model import Diagram, Field, Node, Step
    d = Diagram(name="s", title="S", views=("schema",), nodes=(
        Node("t", "table", "table", fields=(Field("id", "INT"),)), Node("f", "function", "function")),
        steps=(Step(1, "t", "f", "fires", "trigger", multiplicity=ends),))
    assert mermaid in emit(d, "mermaid", "schema")
    assert plantuml in emit(d, "plantuml", "schema")
    line = next(x for x in emit(d, "dot", "schema").splitlines() if '"n_t" -> "n_f"' in x)
    assert (dot in line) if dot else ("taillabel" not in line and "headlabel" not in line)


def test_a_note_on_a_node_no_step_reaches_stands_beside_it_in_its_group():
    """A note is drawn a rank before its node: before a node that no step reaches, a rank
    of its own (monitoring's two notes cost the figure a column: 4.8 pt in DOT, 5.6 pt
    beside their nodes). Where a step reaches the node, that rank is shared and the note
    stays where it was (api-architecture's endpoints)."""
    notes = {name: [(n.node, n.group, n.beside) for n in build_view(mechanisms.load(name), "architecture").notes]
             for name in ("monitoring", "api-architecture")}
    assert notes["monitoring"] == [("cloud_init", "client_vm", True), ("inuse", "client_container", True)]
    assert [beside for *_, beside in notes["api-architecture"]] == [False, False]
    for backend, beside in (("dot", '"note1" -> "n_cloud_init" [style=dotted, arrowhead=none]; { rank=same; "note1"; "n_cloud_init"; }'),
                            ("plantuml", "note1 . n_cloud_init")):
        text = emit(mechanisms.load("monitoring"), backend, "architecture")
        assert beside in text
        # declared inside the Client VM group, before the group closes
        group = text.index("cluster_client_vm" if backend == "dot" else "as g_client_vm")
        assert group < text.index("note1") < text.index("cluster_pad_allocator_ec2" if backend == "dot" else "as g_allocator_ec2")


def test_a_view_is_built_once_per_process_for_every_backend():
    """The three backends share one build of a diagram's view (views and model are frozen);
    an edited model is another key, so it is built anew."""
    import dataclasses

    d = mechanisms.load("crd-connection")
    assert build_view(d, "architecture") is build_view(d, "architecture")
    assert build_view(d, "architecture", compact=True) is not build_view(d, "architecture")
    renamed = dataclasses.replace(d, title="another title")
    assert build_view(renamed, "architecture").title == "another title"


def test_compiled_templates_are_kept_in_jinjas_private_cache(monkeypatch):
    """An unchanged re-run compiled the nine templates anew in every process (0.35 s of
    1.1 s); Jinja keeps their code in its per-user folder, and none is used where Jinja
    refuses the folder."""
    import jinja2

    from lablink_diagrams.backends import base
    from lablink_diagrams.backends import get_backend

    assert isinstance(get_backend("dot").env.bytecode_cache, jinja2.FileSystemBytecodeCache)

    def refuse(*a, **k):
        raise RuntimeError("The cache directory is not owned by this user")
    monkeypatch.setattr(jinja2, "FileSystemBytecodeCache", refuse)
    assert base._bytecode_cache() is None


@pytest.mark.parametrize("name", mechanisms.NAMES)
def test_no_message_takes_more_than_three_lines(name):
    """Review 93: network-flow's 8, 10 and 14 took four or five 16-character lines in the
    one-inch gap between the allocator and the client VM; a message that would gets longer
    lines instead, and keeps every character."""
    from lablink_diagrams.compact import collapse_leaf_groups, fit_lifelines
    from lablink_diagrams.views.sequence import MESSAGE_LINES

    d = mechanisms.load(name)
    if "sequence" not in d.views:
        pytest.skip("no sequence view")
    for shown in (fit_lifelines(d), fit_lifelines(collapse_leaf_groups(d))):
        messages = [it for it in build_view(shown, "sequence").items if isinstance(it, Message)]
        for m in messages:
            assert m.label.count("\n") < MESSAGE_LINES, m.label
        steps = {s.number: s.label for s in shown.steps}
        for m in messages:
            assert re.sub(r"\s", "", m.label) == f"{m.number}." + re.sub(r"\s", "", steps[m.number])


def test_a_guard_wider_than_its_frame_wraps_and_one_that_fits_does_not():
    """A guard sets its frame's width, and PlantUML pushes the next lifeline out by as much:
    network-flow's "[dns.enabled (else users type the IP)]", over a frame from the user to
    Route53, made the whole figure 12 % wider (1536 -> 1351 px on one line or two)."""
    from lablink_diagrams.model import Diagram, Fragment, Node, Section, Step

    nodes = tuple(Node(n, n) for n in "abcd")
    long = "dns.enabled (else users type the IP)"
    d = Diagram(name="t", title="T", nodes=nodes,
                steps=(Step(1, "a", "b", "1"), Step(2, "a", "d", "2"), Step(3, "b", "c", "3")),
                fragments=(Fragment("opt", (Section(1, 1, long),)), Fragment("loop", (Section(2, 3, long),))),
                views=("sequence",))
    opens = [it for it in build_view(d, "sequence").items if isinstance(it, FragmentOpen)]
    narrow, wide = sorted(opens, key=lambda o: o.kind, reverse=True)
    assert narrow.kind == "opt" and narrow.label.count("\n") == 1 and narrow.label.split() == long.split()
    assert wide.label == long  # over four lifelines it has room on one line


def test_a_note_on_a_lifeline_whose_bar_is_open_stands_beside_it():
    """Review 93: vm-provisioning's and data-collection's notes over the allocator were drawn
    over its activation bar, which then read as ended and begun again. A note on one lifeline
    while that lifeline's bar is open stands right of it; once the reply has closed the bar,
    and on any other lifeline, it stands over it as before."""
    from lablink_diagrams.model import Diagram, Node, Note, Step
    from lablink_diagrams.views.sequence import NoteItem

    d = Diagram(name="t", title="T", nodes=(Node("a", "a"), Node("b", "b")), views=("sequence",),
                steps=(Step(1, "a", "b", "ask", blocking=True), Step(2, "b", "b", "work"),
                       Step(3, "b", "a", "answer", "response", reply_to=1), Step(4, "b", "b", "tidy")),
                notes=(Note("while b works", step=2), Note("after", step=4), Note("on b", node="b"), Note("on a", node="a")))
    notes = {n.text: n for n in build_view(d, "sequence").items if isinstance(n, NoteItem)}
    assert notes["while b works"].beside and notes["on b"].beside and notes["while b works"].over == ("b",)
    assert not notes["after"].beside and not notes["on a"].beside
    assert "note right of n_b : while b works" in emit(d, "plantuml", "sequence")
    assert "Note right of n_b: while b works" in emit(d, "mermaid", "sequence")


def test_a_step_note_over_two_lifelines_starts_right_of_the_first_ones_open_bar():
    """Review 105: vm-provisioning's "AWS credentials" note over the allocator and AWS
    covered the allocator's open bar. A step's note over its two ends stands right of the
    first while that one's bar is open (blind review 107: preferred in 3 of 3, high), and
    over both otherwise."""
    from lablink_diagrams.model import Diagram, Node, Note, Step
    from lablink_diagrams.views.sequence import NoteItem

    d = Diagram(name="t", title="T", nodes=(Node("a", "a"), Node("b", "b"), Node("c", "c")), views=("sequence",),
                steps=(Step(1, "a", "b", "ask", blocking=True), Step(2, "b", "c", "tell"),
                       Step(3, "b", "a", "answer", "response", reply_to=1), Step(4, "b", "c", "tell again")),
                notes=(Note("while b works", step=2), Note("after", step=4)))
    notes = {n.text: n for n in build_view(d, "sequence").items if isinstance(n, NoteItem)}
    assert notes["while b works"].over == ("b",) and notes["while b works"].beside
    assert notes["after"].over == ("b", "c") and not notes["after"].beside
