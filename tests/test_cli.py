"""The command line: listing, emitting, exporting; every error one line on stderr with exit 2."""

from __future__ import annotations

import json
import re

import pytest

from lablink_diagrams import mechanisms
from lablink_diagrams.cli import main
from lablink_diagrams.emit import emit, supported


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_diagram(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list(mechanisms.NAMES)
    crd = next(line for line in lines if line.startswith("crd-connection"))
    assert crd.split()[1:] == ["essential", "architecture,sequence"]


def test_list_selection(capsys):
    _, out, _ = run(capsys, "list", "--all-essential")
    names = [line.split()[0] for line in out.splitlines()]
    assert names and all(mechanisms.load(n).priority == "essential" for n in names)
    assert "crd-connection" in names


def test_emit_to_stdout_is_the_emitted_text(capsys):
    code, out, err = run(capsys, "emit", "crd-connection", "--backend", "mermaid", "--view", "sequence")
    assert code == 0 and err == ""
    assert out == emit(mechanisms.load("crd-connection"), "mermaid", "sequence")
    assert out.splitlines()[3] == "sequenceDiagram"


@pytest.mark.parametrize("name,view,backend", [(n, v, b) for n in ("crd-connection", "database-schema")
                                               for v, b in supported(mechanisms.load(n))])
def test_emit_no_title_leaves_out_title_and_commit_line(capsys, name, view, backend):
    """--no-title, for a paper figure whose caption carries both; the rest is unchanged."""
    d = mechanisms.load(name)
    code, out, _ = run(capsys, "emit", name, "-b", backend, "-v", view, "--no-title")
    titled = emit(d, backend, view)
    assert code == 0 and out == emit(d, backend, view, titled=False)
    assert "d3b6b02" in titled and "d3b6b02" not in out
    title = {"mermaid": r"---\ntitle: [^\n]*\n---\n", "plantuml": r"\ntitle [^\n]*", "dot": r" label=<<FONT.*?</FONT>>,"}[backend]
    assert len(re.findall(title, titled)) == 1 and not re.findall(title, out)
    without = re.sub(title, "", titled, count=1)
    if backend == "mermaid":  # its commit line is the accessible description
        without = re.sub(r"  accDescr: [^\n]*\n", "", without, count=1)
    assert without == out


def test_emit_to_file(tmp_path, capsys):
    target = tmp_path / "crd.puml"
    code, _, _ = run(capsys, "emit", "crd-connection", "-b", "plantuml", "-o", str(target))
    assert code == 0 and target.read_text().startswith("@startuml\n")


def test_export_and_reload_model(tmp_path, capsys):
    _, out, _ = run(capsys, "export-model", "crd-connection")
    model = tmp_path / "m.json"
    model.write_text(out)
    data = json.loads(out)
    assert data["name"] == "crd-connection"
    code, dot, _ = run(capsys, "emit", "--model", str(model), "-b", "dot")
    assert code == 0
    assert dot == emit(mechanisms.load("crd-connection"), "dot", "architecture")


@pytest.mark.parametrize("argv, message", [
    (["emit", "nope"], "unknown diagram 'nope' (choose from: main,"),
    (["emit", "crd-connection", "--backend", "visio"], "'visio' is not one of 'mermaid', 'plantuml', 'dot'"),
    (["emit", "crd-connection", "--view", "gantt"], "'gantt' is not one of"),
    (["emit", "crd-connection", "-b", "dot", "--view", "sequence"], "dot backend has no sequence view"),
    (["emit"], "name a diagram"),
    (["emit", "--model", "/nonexistent/model.json"], "No such file"),
    (["frobnicate"], "No such command 'frobnicate'"),
])
def test_errors_are_one_line_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("lablink-diagrams: error: ")
    assert message in err


def test_broken_model_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "title": "t", "nodes": [{"id": "a", "label": "A"}], '
                   '"steps": [{"number": 1, "source": "a", "target": "ghost", "label": "go"}]}')
    code, _, err = run(capsys, "emit", "--model", str(bad))
    assert code == 2 and "unknown node 'ghost'" in err and err.count("\n") == 1
