"""The JSON form round-trips exactly and rejects what it does not know, naming the JSON path."""

import json

import pytest

from lablink_diagrams import mechanisms
from lablink_diagrams.model import ModelError
from lablink_diagrams.model_json import dumps, from_json, load_diagram, to_json


@pytest.mark.parametrize("name", mechanisms.NAMES)
def test_round_trip_is_exact(name):
    d = mechanisms.load(name)
    text = dumps(d)
    again = from_json(json.loads(text))
    assert again == d
    assert dumps(again) == text


def test_a_split_part_round_trips_with_its_lifeline_order():
    from lablink_diagrams.compact import split_sequence

    part = split_sequence(mechanisms.load("crd-connection"), 15)[1]
    assert part.lifelines and from_json(json.loads(dumps(part))) == part


def test_documented_top_level_keys():
    data = to_json(mechanisms.load("crd-connection"))
    assert {"title", "description", "nodes", "groups", "steps", "notes"} <= set(data)
    step = data["steps"][0]
    assert isinstance(step["refs"], list) and {"repo", "path", "symbol", "kind"} <= set(step["refs"][0])
    assert "line" not in json.dumps(data["steps"][0]["refs"])


def _crd():
    return json.loads(dumps(mechanisms.load("crd-connection")))


@pytest.mark.parametrize("mutate, message", [
    (lambda j: j["steps"][2].__setitem__("target", 5), r"\$\.steps\[2\]\.target: expected a string"),
    (lambda j: j["nodes"][0].__setitem__("colour", "red"), r"\$\.nodes\[0\]: unknown field 'colour'"),
    (lambda j: j["nodes"][1].pop("id"), r"\$\.nodes\[1\]: missing field 'id'"),
    (lambda j: j["steps"][0].__setitem__("blocking", "yes"), r"\$\.steps\[0\]\.blocking: expected true or false"),
    (lambda j: j["steps"][0].__setitem__("number", True), r"\$\.steps\[0\]\.number: expected an integer"),
    (lambda j: j.__setitem__("nodes", {}), r"\$\.nodes: expected a list"),
    (lambda j: j["steps"][3].__setitem__("source", "ghost"), r"step 4: unknown node 'ghost'"),
    (lambda j: j.__setitem__("baseline", [1]), r"\$\.baseline"),
    (lambda j: j["nodes"][0]["refs"][0].__setitem__("repo", "elsewhere"), r"unknown repo"),
])
def test_bad_json_names_the_place(mutate, message):
    data = _crd()
    mutate(data)
    with pytest.raises(ModelError, match=message):
        from_json(data)


def test_load_diagram_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x",', encoding="utf-8")
    with pytest.raises(ModelError, match=r"bad\.json: invalid JSON at line 1") as exc:
        load_diagram(bad)
    assert "\n" not in str(exc.value)
    with pytest.raises(ModelError, match="No such file"):
        load_diagram(tmp_path / "missing.json")
    (tmp_path / "latin1.json").write_bytes(b'{"title": "\xe9"}')
    with pytest.raises(ModelError, match="not UTF-8"):
        load_diagram(tmp_path / "latin1.json")
