"""Every ModelError the model promises, each naming the offender."""

import pytest

from lablink_diagrams.model import CodeRef, Diagram, Fragment, Group, ModelError, Node, Note, Section, Step

N = (Node("a", "A"), Node("b", "B"), Node("c", "C"))


def diagram(**kw):
    kw.setdefault("nodes", N)
    return Diagram(name="t", title="T", **kw)


@pytest.mark.parametrize("kwargs, message", [
    (dict(steps=(Step(1, "a", "zz", "x"),)), "step 1: unknown node 'zz'"),
    (dict(nodes=N + (Node("a", "again"),)), "duplicate id 'a'"),
    (dict(groups=(Group("a", "G"),)), "duplicate id 'a'"),
    (dict(groups=(Group("g1", "G", nodes=("a",)), Group("g2", "H", nodes=("a",)))), "node 'a' is in two groups"),
    (dict(groups=(Group("g1", "G", groups=("g2",)), Group("g2", "H", groups=("g1",)))), "group"),
    (dict(groups=(Group("g1", "G", groups=("g1",)),)), "group cycle"),
    (dict(steps=(Step(2, "a", "b", "x"), Step(2, "b", "a", "y"))), "step 2: step numbers must increase"),
    (dict(steps=(Step(3, "a", "b", "x"), Step(1, "b", "a", "y"))), "step 1: step numbers must increase"),
    (dict(steps=(Step(1, "a", "b", "x"), Step(2, "a", "b", "y", reply_to=1))), "reply_to 1 must be an earlier step"),
    (dict(steps=(Step(1, "a", "b", "x", reply_to=7),)), "reply_to 7 is not a step"),
    (dict(steps=(Step(1, "a", "b", "x", multiplicity=("many", "1")),)), "step 1: multiplicity is two of 1, 0..1"),
    (dict(steps=(Step(1, "a", "b", "x", multiplicity=("1",)),)), "step 1: multiplicity is two of"),
    (dict(nodes=(Node("Bad-Id", "x"),)), "node id 'Bad-Id'"),
    (dict(nodes=(Node("a", "A", kind="spaceship"),)), "kind 'spaceship'"),
    (dict(nodes=(Node("a", "  "),)), "node 'a': empty label"),
    (dict(nodes=()), "at least one node"),
    (dict(groups=(Group("g", "G", nodes=("nope",)),)), "group 'g': unknown node 'nope'"),
    (dict(steps=(Step(1, "a", "b", "x"),), fragments=(Fragment("loop", (Section(1, 5),)),)), "not a run of existing steps"),
    (dict(steps=tuple(Step(i, "a", "b", str(i)) for i in (1, 2, 3)),
          fragments=(Fragment("loop", (Section(1, 2),)), Fragment("opt", (Section(2, 3),)))), "overlaps"),
    (dict(steps=tuple(Step(i, "a", "b", str(i)) for i in (1, 2, 3)),
          fragments=(Fragment("par", (Section(1, 1), Section(3, 3))),)), "sections must follow"),
    (dict(notes=(Note("n"),)), "exactly one node or one step"),
    (dict(notes=(Note("n", node="zz"),)), "unknown node 'zz'"),
    (dict(views=("gantt",)), "view 'gantt'"),
    (dict(lifelines=("a", "zz")), "lifelines: unknown node 'zz'"),
    (dict(lifelines=("a", "b", "a")), "lifelines: a node named twice"),
])
def test_model_errors_name_the_offender(kwargs, message):
    with pytest.raises(ModelError, match=message.replace("(", r"\(").replace(")", r"\)")):
        diagram(**kwargs)


@pytest.mark.parametrize("repo, path, symbol, message", [
    ("elsewhere", "x.py", "f", "unknown repo"),
    ("lablink", "/etc/passwd", "f", "relative"),
    ("lablink", "a/../../x", "f", "relative"),
    ("lablink", "x.py", "", "empty symbol"),
])
def test_code_ref_validation(repo, path, symbol, message):
    with pytest.raises(ModelError, match=message):
        CodeRef(repo, path, symbol)


def test_nested_fragments_and_sections_are_accepted():
    steps = tuple(Step(i, "a", "b", str(i)) for i in range(1, 6))
    d = diagram(steps=steps, fragments=(
        Fragment("par", (Section(1, 2, "x"), Section(3, 5, "y"))),
        Fragment("loop", (Section(3, 5, "every 20 s"),)),
        Fragment("opt", (Section(4, 4, "on change"),)),
    ))
    assert d.step(4).label == "4"


def test_model_is_frozen():
    d = diagram()
    with pytest.raises(Exception):
        d.title = "other"  # type: ignore[misc]


def test_group_path_is_outermost_first():
    d = diagram(groups=(Group("outer", "O", groups=("inner",)), Group("inner", "I", nodes=("a",))))
    assert [g.id for g in d.group_path("a")] == ["outer", "inner"]
    assert d.group_path("b") == ()
