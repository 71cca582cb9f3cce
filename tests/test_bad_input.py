"""Bad ``--model`` input through the command line: a one-line error naming the place
(file, JSON path or element), exit 2 — or a correct output.  Never a traceback, never a hang.

Complements tests/test_model_json.py (from_json paths) and tests/test_cli.py (usage errors).
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lablink_diagrams.cli import main
from lablink_diagrams.model_json import dumps

from . import hostile


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def model(**kw) -> dict:
    base = {"name": "m", "title": "T", "nodes": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
            "steps": [{"number": 1, "source": "a", "target": "b", "label": "go"}]}
    base.update(kw)
    return base


def write(tmp_path, data, name="m.json") -> str:
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(p)


BAD = [
    ("malformed", '{"name": "m", "title": ', r"m.json: invalid JSON at line 1 column 24"),
    ("empty file", "", "invalid JSON at line 1 column 1"),
    ("not an object", "[1, 2]", "$: a model is a JSON object"),
    ("null", "null", "$: a model is a JSON object"),
    ("deeply nested", "[" * 100_000 + "]" * 100_000, "JSON nested too deeply"),
    ("wrong type: nodes", model(nodes={"a": 1}), "$.nodes: expected a list"),
    ("wrong type: label", model(nodes=[{"id": "a", "label": 7}]), "$.nodes[0].label: expected a string"),
    ("wrong type: number", model(steps=[{"number": "1", "source": "a", "target": "b", "label": "x"}]),
     "$.steps[0].number: expected an integer"),
    ("wrong type: float", model(steps=[{"number": 1.5, "source": "a", "target": "b", "label": "x"}]),
     "$.steps[0].number: expected an integer"),
    ("wrong type: bool", model(nodes=[{"id": "a", "label": "A", "external": "no"}]),
     "$.nodes[0].external: expected true or false"),
    ("unknown field", model(colour="red"), "$: unknown field 'colour'"),
    ("unknown nested field", model(nodes=[{"id": "a", "label": "A", "x": 1}]), "$.nodes[0]: unknown field 'x'"),
    ("missing field", model(nodes=[{"label": "A"}]), "$.nodes[0]: missing field 'id'"),
    ("dangling step", model(steps=[{"number": 1, "source": "a", "target": "ghost", "label": "x"}]),
     "step 1: unknown node 'ghost'"),
    ("dangling group", model(groups=[{"id": "g", "title": "G", "nodes": ["ghost"]}]), "group 'g': unknown node 'ghost'"),
    ("dangling note", model(notes=[{"text": "n", "node": "ghost"}]), "unknown node 'ghost'"),
    ("dangling reply", model(steps=[{"number": 1, "source": "a", "target": "b", "label": "x", "reply_to": 9}]),
     "step 1: reply_to 9 is not a step"),
    ("duplicate node", model(nodes=[{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]), "duplicate id 'a'"),
    ("duplicate group/node", model(groups=[{"id": "a", "title": "G"}]), "duplicate id 'a'"),
    ("no nodes", model(nodes=[], steps=[]), "a diagram needs at least one node"),
    ("empty title", model(title="  "), "empty title"),
    ("empty label", model(nodes=[{"id": "a", "label": "\n\t"}, {"id": "b", "label": "B"}]), "node 'a': empty label"),
    ("bad id", model(nodes=[{"id": "A B", "label": "A"}]), "node id 'A B'"),
    ("lone surrogate", '{"name": "m", "title": "T", "nodes": [{"id": "a", "label": "x \\ud800"}]}',
     "$.nodes[0].label: lone surrogate"),
    ("surrogate in baseline", '{"name": "m", "title": "T", "nodes": [{"id": "a", "label": "x"}], '
                              '"baseline": {"lablink": "\\udfff"}}', "$.baseline.lablink: lone surrogate"),
    ("not utf-8", b'{"name": "m", "title": "\xff"}', "not UTF-8"),
]


@pytest.mark.parametrize("command", [["emit", "-b", "dot"], ["render", "--format", "svg"], ["export-model"]])
@pytest.mark.parametrize("case, data, message", BAD, ids=[c[0] for c in BAD])
def test_bad_model_is_one_line_exit_2(tmp_path, capsys, command, case, data, message):
    p = tmp_path / "m.json"
    p.write_bytes(data if isinstance(data, bytes) else (data if isinstance(data, str) else json.dumps(data)).encode())
    code, out, err = run(capsys, *command, "--model", p, *(["--out", tmp_path / "out"] if command[0] == "render" else []))
    assert code == 2, err
    assert out == ""
    assert err.startswith("lablink-diagrams: error: ") and err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()  # nothing written for a model that cannot be drawn


def test_sequence_view_without_steps_emits_a_valid_empty_sequence(tmp_path, capsys):
    """An 'empty' diagram: nodes but no steps.  Emitting is not an error (nothing is wrong),
    and every backend's text still is one well-formed diagram."""
    p = write(tmp_path, model(steps=[], views=["architecture", "sequence"]))
    for backend, view in (("mermaid", "sequence"), ("plantuml", "sequence"), ("dot", "architecture")):
        code, out, err = run(capsys, "emit", "--model", p, "-b", backend, "-v", view)
        assert code == 0 and err == ""
        assert out.startswith(("---", "@startuml", "digraph"))


def test_huge_label_emits_exactly(tmp_path, capsys):
    """A 100 KB label of hostile text: a correct output in every backend (no hang, no error)."""
    from lablink_diagrams.backends import dot, mermaid, plantuml
    from lablink_diagrams.views.architecture import NAME_WIDTH
    from lablink_diagrams.views.common import wrap_name

    label = ("".join(hostile.HOSTILE) * 100)[:100_000]
    assert len(label.encode()) > 100_000
    p = write(tmp_path, model(nodes=[{"id": "a", "label": label}, {"id": "b", "label": "B"}]))
    shown = wrap_name(label, NAME_WIDTH)  # the architecture view breaks a name into lines, losing no character
    assert "".join(shown.split()) == "".join(label.split())
    for backend, spelled in (("mermaid", mermaid.label(shown)), ("plantuml", plantuml.label(shown)),
                             ("dot", dot.quote(shown))):
        code, out, err = run(capsys, "emit", "--model", p, "-b", backend)
        assert code == 0 and err == "", err[:200]
        assert spelled in out and len(spelled) > 100_000
        assert "\n!include" not in out and "\n@enduml\n@startuml" not in out


def thousand() -> dict:
    nodes = [{"id": f"n{i}", "label": f"node {i} ✓ <{i}>", "kind": hostile.KINDS[i % len(hostile.KINDS)]}
             for i in range(1000)]
    groups = [{"id": f"g{k}", "title": f"group {k}", "nodes": [f"n{i}" for i in range(k * 10, k * 10 + 10)]}
              for k in range(100)]
    steps = [{"number": i + 1, "source": f"n{i}", "target": f"n{(i * 7 + 1) % 1000}", "label": f"call {i}"}
             for i in range(1000)]
    return model(name="big", nodes=nodes, groups=groups, steps=steps, views=["architecture", "sequence", "schema"])


def test_thousand_node_model_emits(tmp_path, capsys):
    """1,000 nodes, 100 groups, 1,000 steps in every view and backend: correct output.
    (Its speed is measured by bench/bench_emit.py, not asserted here.)"""
    p = write(tmp_path, thousand())
    for backend, view in (("mermaid", "architecture"), ("mermaid", "sequence"), ("mermaid", "schema"),
                          ("plantuml", "architecture"), ("plantuml", "sequence"), ("plantuml", "schema"),
                          ("dot", "architecture"), ("dot", "schema")):
        code, out, err = run(capsys, "emit", "--model", p, "-b", backend, "-v", view)
        assert code == 0 and err == ""
        if view == "sequence":  # each group's nodes share one lifeline; messages name their target
            assert "n_n999" not in out and "n_g99_lane" in out and "node 999 ✓" in out
        else:
            assert out.count("node 999 ✓") == 1 and "n_n999" in out
        if view != "schema":
            assert "call 999" in out


@pytest.mark.parametrize("case, data, message", [BAD[0], BAD[10], BAD[23]], ids=["malformed", "unknown", "surrogate"])
def test_as_a_real_process(tmp_path, case, data, message):
    """``python -m lablink_diagrams.cli``: same one line, exit 2, no traceback."""
    p = write(tmp_path, data)
    proc = subprocess.run([sys.executable, "-m", "lablink_diagrams.cli", "emit", "--model", p],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == "" and proc.stderr.count("\n") == 1 and message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_round_trip_of_the_hostile_model(tmp_path, capsys):
    """export-model of the all-hostile model reads back to the same emitted text."""
    d = hostile.all_hostile(hostile.HOSTILE)
    p = write(tmp_path, dumps(d))
    code, out, err = run(capsys, "emit", "--model", p, "-b", "plantuml", "-v", "sequence")
    from lablink_diagrams.emit import emit

    assert code == 0 and out == emit(d, "plantuml", "sequence")
