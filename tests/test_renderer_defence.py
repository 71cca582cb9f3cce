"""Defence in depth: the renderers stay safe even for diagram text our escaping did NOT
neutralise (raw, hand-written sources).  Complements tests/render/test_security.py
(Chromium network, PlantUML !include/%getenv, @startuml names) with Mermaid's security
level and PlantUML's local-file and network functions.  One render() call for all.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from lablink_diagrams.render import RenderJob, render, summarise
from lablink_diagrams.render.mermaid import PRESETS, mermaid_config

from . import hostile
from .test_hostile_render import _Server, _tools_ok

pytestmark = [pytest.mark.renderer] + ([] if _tools_ok() else [pytest.mark.skip(reason="renderers not installed")])


def test_mermaid_config_is_strict_for_every_preset():
    assert {mermaid_config(p)["securityLevel"] for p in PRESETS} == {"strict"}


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    canary = tmp_path_factory.mktemp("canary")
    hostile.plant(canary)
    server = _Server()
    url = server.url
    sources = {
        "mermaid_loose": ('%%{init: {"securityLevel": "loose"}}%%\nflowchart LR\n  A["a"] --> B["b"]\n'
                          '  click A href "javascript:alert(1)"\n  click B call pwn()\n'
                          f'  C["<img src=\'{url}/img.png\'>"]\n'),
        "mermaid_seq": ('%%{init: {"securityLevel": "loose"}}%%\nsequenceDiagram\n  A->>B: hi\n'
                        '  link A: evil @ javascript:alert(1)\n'
                        f'  Note over A: <img src="{url}/note.png"> <style>@import url({url}/x.css)</style>\n'),
        "puml_local": (f'@startuml\nAlice -> Bob : <img:{canary}/pic.png> <img:{canary}/pic.svg>\n'
                       f'Bob -> Alice : %load_json("{canary}/data.json") %file_exists("{canary}/secret.txt")\n@enduml\n'),
        "puml_net": (f'@startuml\nAlice -> Bob : <img:{url}/pic.png>\n'
                     f'Bob -> Alice : %load_json("{url}/data.json")\n@enduml\n'),
        "puml_include_net": f"@startuml\nAlice -> Bob : hi\n!include {url}/inc.puml\n@enduml\n",
    }
    out = tmp_path_factory.mktemp("out")
    jobs = [RenderJob("mermaid" if k.startswith("mermaid") else "plantuml", src, "svg", out / f"{k}.svg")
            for k, src in sources.items()]
    results = {r.job.out.stem: r for r in render(jobs, progress=False)}
    server.close()
    return results, server.hits


def test_no_request_even_from_raw_sources(raw):
    assert raw[1] == []


@pytest.mark.parametrize("name", ["mermaid_loose", "mermaid_seq"])
def test_mermaid_stays_strict_when_the_text_asks_for_loose(raw, name):
    r = raw[0][name]
    assert r.status == "rendered", summarise([r])
    svg = r.job.out.read_text()
    assert "javascript:" not in svg and "pwn" not in svg
    for el in ET.fromstring(svg).iter():
        for attr, value in el.attrib.items():
            assert not attr.lower().startswith("on")
            if attr.rsplit("}", 1)[-1] == "href":
                assert value.startswith("#") or value.startswith("data:"), value


@pytest.mark.parametrize("name", ["puml_local", "puml_net"])
def test_plantuml_sandbox_reads_no_file(raw, name):
    r = raw[0][name]
    assert r.status == "rendered", summarise([r])
    svg = r.job.out.read_text()
    for canary in hostile.LEAKS + ("NETCANARY",):
        assert canary not in svg, canary


def test_plantuml_sandbox_refuses_a_network_include(raw):
    r = raw[0]["puml_include_net"]
    assert r.status == "failed" and not r.job.out.exists()
    assert "\n" not in r.message
