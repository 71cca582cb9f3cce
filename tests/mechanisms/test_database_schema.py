"""Facts the database-schema diagram must state (fact sheet §4, §1.1, §1.3, §1.6)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from lablink_diagrams.mechanisms import load

# Fact sheet §4: the 19 columns in declared order.
DECLARED = [
    "HostName", "Pin", "CrdCommand", "UserEmail", "InUse", "Healthy", "Status", "Logs",
    "TerraformApplyStartTime", "TerraformApplyEndTime", "TerraformApplyDurationSeconds",
    "CloudInitStartTime", "CloudInitEndTime", "CloudInitDurationSeconds",
    "ContainerStartTime", "ContainerEndTime", "ContainerStartupDurationSeconds",
    "TotalStartupDurationSeconds", "CreatedAt",
]
MIRROR = Path("/work/.mirror/talmolab+lablink/repo")


@pytest.fixture(scope="module")
def d():
    return load("database-schema")


@pytest.fixture(scope="module")
def table(d):
    tables = [n for n in d.nodes if n.kind == "table"]
    assert len(tables) == 1
    return tables[0]


def test_nineteen_columns_in_declared_order(table):
    assert [f.name for f in table.fields] == DECLARED


def test_types_and_constraints(table):
    f = {x.name: x for x in table.fields}
    assert f["HostName"].constraint == "PRIMARY KEY"
    assert [x.name for x in table.fields if "PRIMARY KEY" in x.constraint] == ["HostName"]
    assert f["InUse"].type == "BOOLEAN" and f["InUse"].constraint == "NOT NULL DEFAULT FALSE"
    assert f["CreatedAt"].type == "TIMESTAMP" and f["CreatedAt"].constraint == "DEFAULT NOW()"
    assert f["Logs"].type == "TEXT"
    assert f["CrdCommand"].type == "VARCHAR(1024)"
    assert all(x.type == "FLOAT" for x in table.fields if x.name.endswith("DurationSeconds"))
    assert all(x.type == "TIMESTAMP" for x in table.fields if x.name.endswith("Time"))


def test_container_start_end_marked_never_populated(d, table):
    f = {x.name: x for x in table.fields}
    for name in ("ContainerStartTime", "ContainerEndTime"):
        assert "never populated" in f[name].description
    assert "never populated" not in f["ContainerStartupDurationSeconds"].description
    notes = " ".join(n.text for n in d.notes if n.node == table.id)
    assert "container_start_time" in notes and "container_start " in notes.replace("/", " ")
    assert "lower case" in notes


def test_trigger_function_channel_chain(d, table):
    trig = next(n for n in d.nodes if n.kind == "trigger")
    fn = next(n for n in d.nodes if n.kind == "function")
    ch = next(n for n in d.nodes if n.kind == "queue")
    # the trigger is trigger_crd_command_insert_or_update, not notify_crd_command_update (spec error 3)
    assert trig.label == "trigger_crd_command_insert_or_update"
    assert fn.label.startswith("notify_crd_command_update()")
    assert "vm_updates" in ch.label
    chain = [(s.source, s.target) for s in d.steps]
    assert chain[:3] == [(table.id, trig.id), (trig.id, fn.id), (fn.id, ch.id)]
    assert "INSERT OR UPDATE OF CrdCommand" in d.steps[0].label
    assert "pg_notify" in d.steps[2].label and d.steps[2].kind == "notify"


def test_only_the_allocator_listens(d):
    ch = next(n for n in d.nodes if n.kind == "queue")
    listeners = [d.node(s.target) for s in d.steps if s.source == ch.id]
    assert len(listeners) == 1
    assert "allocator" in listeners[0].label
    assert not any("client" in n.label.lower() or "subscribe" in n.label for n in d.nodes)


def test_in_container_not_rds(d):
    text = " ".join([d.title, d.description] + [n.label for n in d.nodes])
    assert "RDS" not in text and "in-container" in d.title


def test_schema_view_only_and_cited(d):
    assert d.views == ("schema",)
    for n in d.nodes:
        assert n.refs, n.id
    for s in d.steps:
        assert s.refs, s.number
    assert [s.number for s in d.steps] == list(range(1, len(d.steps) + 1))


@pytest.mark.skipif(not MIRROR.exists(), reason="no lablink mirror on this machine")
def test_columns_match_generate_init_sql_at_baseline(table):
    text = subprocess.run(
        ["git", "-C", str(MIRROR), "show",
         "d3b6b02:packages/allocator/src/lablink_allocator_service/generate_init_sql.py"],
        capture_output=True, text=True, check=True).stdout
    body = re.search(r"CREATE TABLE IF NOT EXISTS \{VM_TABLE\} \((.*?)\n\);", text, re.S).group(1)
    declared = []
    for line in body.strip().splitlines():
        name, rest = line.strip().rstrip(",").split(None, 1)
        typ, _, constraint = rest.partition(" ")
        declared.append((name, typ, constraint.strip()))
    assert [(f.name, f.type, f.constraint) for f in table.fields] == declared
