"""What every diagram of the suite owes its reader, checked once for all ten."""

from __future__ import annotations

import re

import pytest

from lablink_diagrams import mechanisms

DIAGRAMS = [mechanisms.load(n) for n in mechanisms.NAMES]
IDS = [d.name for d in DIAGRAMS]


def test_the_suite_has_the_ten_diagrams_of_the_spec():
    assert len(DIAGRAMS) == 10
    assert {d.name for d in DIAGRAMS if d.priority == "essential"} == {
        "main", "vm-provisioning", "crd-connection", "logging-pipeline"}


@pytest.mark.parametrize("d", DIAGRAMS, ids=IDS)
def test_every_internal_node_and_every_step_is_cited(d):
    for n in d.nodes:
        assert n.external or n.refs, f"node {n.id} has no code ref"
    for s in d.steps:
        assert s.refs, f"step {s.number} has no code ref"


@pytest.mark.parametrize("d", DIAGRAMS, ids=IDS)
def test_steps_numbered_from_one_without_gaps(d):
    assert [s.number for s in d.steps] == list(range(1, len(d.steps) + 1))


@pytest.mark.parametrize("d", DIAGRAMS, ids=IDS)
def test_describes_the_baseline(d):
    assert dict(d.baseline) == {"lablink": "d3b6b02", "lablink-template": "3c2808a"}


@pytest.mark.parametrize("d", DIAGRAMS, ids=IDS)
def test_labels_fit_a_paper_column(d):
    for n in d.nodes:
        assert all(len(line) <= 44 for line in n.label.split("\n")), n.id
        assert n.label.count("\n") <= 5, n.id  # API boxes: a title and up to 5 routes
    for s in d.steps:
        assert len(s.label) <= 72, s.number


@pytest.mark.parametrize("d", DIAGRAMS, ids=IDS)
def test_no_spec_error_survives(d):
    """Fact sheet §1: no RDS, no ALB/ACM, no client that LISTENs, no invented timing."""
    text = " ".join([d.title, d.description] + [n.label + " " + n.description for n in d.nodes]
                    + [s.label + " " + s.protocol for s in d.steps]).lower()
    for wrong in (r"(?<!not )\brds\b", r"load balancer", r"\balb\b", r"\bacm\b", r"~\s*105", r"\b105 s\b"):
        assert not re.search(wrong, text), wrong
    for s in d.steps:
        if "LISTEN" in s.label.split() and s.kind == "sql":
            assert any(g.id.startswith("allocator") for g in d.group_path(s.source)), s.number


def test_mermaid_er_text_parses_in_githubs_older_mermaid():
    """GitHub renders Mermaid 10.x: an erDiagram with classDef/style (Mermaid 11) shows as an error
    there, so entity colours come from the renderer (role comments), never from styling syntax."""
    from lablink_diagrams.emit import emit

    text = emit(mechanisms.load("database-schema"), "mermaid", "schema")
    assert text.lstrip("-\n").split("---\n", 1)[-1].lstrip().startswith("erDiagram")
    assert not re.search(r"^\s*(classDef|class|style)\s", text, flags=re.M)
