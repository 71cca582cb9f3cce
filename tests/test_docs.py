"""Generated docs are committed and must be fresh: regenerate with `lablink-diagrams docs`."""

from pathlib import Path

import pytest

from lablink_diagrams import mechanisms
from lablink_diagrams.docs_gen import DOCS, render_docs

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", DOCS)
def test_committed_docs_are_fresh(name):
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert committed == render_docs(mechanisms.select(all_=True))[name], \
        f"docs/{name} is stale: run `lablink-diagrams docs` and commit"


def test_every_step_and_ref_appears_in_the_analysis():
    text = render_docs(mechanisms.select(all_=True))["mechanisms.md"]
    for d in mechanisms.select(all_=True):
        assert f"## {d.name}\n" in text
        for s in d.steps:
            for r in s.refs:
                assert r.symbol.replace("|", "\\|") in text


def test_gallery_holds_every_mermaid_view():
    text = render_docs(mechanisms.select(all_=True))["diagrams.md"]
    expected = sum(len(d.views) for d in mechanisms.select(all_=True))
    assert text.count("```mermaid\n") == expected
