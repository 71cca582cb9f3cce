"""Labels are data: per backend, hostile text is inert and reads back exactly.

Three layers: a table of verified attack strings, a hypothesis property on each
escape function (inert + exact round trip), and a whole-diagram property that
the emitted structure does not depend on what a label holds (which catches a
template that forgot a filter).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lablink_diagrams.backends import dot, mermaid, plantuml
from lablink_diagrams.backends.text import lines
from lablink_diagrams.emit import emit
from lablink_diagrams.model import Diagram, Fragment, Group, Node, Note, Section, Step
from lablink_diagrams.views.architecture import NAME_WIDTH, edge_text
from lablink_diagrams.views.common import numbered, wrap, wrap_balanced, wrap_name
from lablink_diagrams.views.sequence import _message_lines, brief_title, message_text

from .hostile import HOSTILE


def normalised(text: str) -> str:
    return "\n".join(lines(text))


# -- decoders: what the renderer will show for an escaped string -----------------------------

def mermaid_shows(s: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), s.replace("<br>", "\n"))


def plantuml_shows(s: str) -> str:
    return re.sub(r"<U\+([0-9A-F]{4,6})>", lambda m: chr(int(m.group(1), 16)), s.replace("\\n", "\n"))


def dot_shows(s: str) -> str:
    assert s[0] == s[-1] == '"'
    # Graphviz decodes entities in every label; ``&`` is the only one we write
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), s[1:-1]).replace("&amp;", "&")


# -- what "inert" means per backend -------------------------------------------------------

def mermaid_inert(s: str) -> None:
    assert "\n" not in s and "\r" not in s
    assert '"' not in s and "%" not in s and ";" not in re.sub(r"#\d+;", "", s)
    assert "<" not in s.replace("<br>", "")
    assert not re.search(r"#(?!\d+;)", s)


def plantuml_inert(s: str) -> None:
    assert "\n" not in s and "\r" not in s
    stripped = re.sub(r"<U\+[0-9A-F]{4,6}>", "", s).replace("\\n", "")
    assert all(ord(c) > 127 or re.fullmatch(r"[A-Za-z0-9 .,?@+]", c) for c in stripped), stripped


def dot_inert(s: str) -> None:
    assert "\n" not in s and "\r" not in s
    body = re.sub(r"\\.", "", s[1:-1])
    assert '"' not in body and "\\" not in body
    assert "&" not in body.replace("&amp;", "")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", s)


CASES = [
    (mermaid.label, mermaid_shows, mermaid_inert),
    (plantuml.label, plantuml_shows, plantuml_inert),
    (dot.quote, dot_shows, dot_inert),
]


@pytest.mark.parametrize("escape, shows, inert", CASES, ids=["mermaid", "plantuml", "dot"])
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_table(escape, shows, inert, text):
    out = escape(text)
    inert(out)
    assert shows(out) == normalised(text)


@pytest.mark.parametrize("escape, shows, inert", CASES, ids=["mermaid", "plantuml", "dot"])
@settings(suppress_health_check=[HealthCheck.too_slow])  # examples: the profile (tests/conftest.py)
@given(text=st.text())
def test_escape_property(escape, shows, inert, text):
    out = escape(text)
    inert(out)
    assert shows(out) == normalised(text)


def _no_space(s: str) -> str:
    return re.sub(r"\s+", "", s)


@given(text=st.text())
def test_mermaid_fragment_label_is_inert(text):
    out = mermaid.fragment_label(text)
    body = out.replace("<br>", "")
    assert "\n" not in out and "%" not in out and ";" not in re.sub(r"#\d+;", "", out)
    assert not re.search(r"[<>:]", body) and not re.search(r"#(?!\d+;)", body)
    shown = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), out.replace("<br>", " "))
    assert _no_space(shown) == _no_space(" ".join(lines(text)))  # we only add line breaks
    if "<br>" not in out:  # left to Mermaid's wrapping: no word it would cut through an entity
        assert all(len(w) <= mermaid._FRAGMENT_WORD for w in out.split())


@given(text=st.text())
def test_mermaid_entity_label_is_inert(text):
    out = mermaid.entity_label(text)
    mermaid_inert(out)
    assert not re.search(r"[*_~]", out)
    assert mermaid_shows(out) == normalised(text)


@given(text=st.text())
def test_plantuml_message_is_inert(text):
    out = plantuml.message(text)
    plantuml_inert(out)
    assert _no_space(plantuml_shows(out)) == _no_space(normalised(text))


@given(text=st.text())
def test_mermaid_title_is_yaml_safe(text):
    out = mermaid.title(text)
    assert out.startswith('"') and out.endswith('"') and '"' not in out[1:-1]
    assert "%" not in out and "\n" not in out and ":" not in out
    decoded = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), out[1:-1])
    assert decoded == mermaid.title_shows(text)
    assert not re.search("[<>&\u00a0]", decoded)  # Mermaid's title sanitiser would mangle them


# -- whole diagrams: structure independent of label text ----------------------------------

MARK = "QQQ"


def everywhere(text: str) -> Diagram:
    """A diagram carrying ``text`` in every place text goes."""
    return Diagram(
        name="hostile", title=text, views=("architecture", "sequence", "schema"),
        nodes=(Node("a", text), Node("b", "B", kind="database"), Node("c", "C", external=True)),
        groups=(Group("g", text, nodes=("a",), groups=("h",)), Group("h", "H", nodes=("b",))),
        steps=(Step(1, "a", "b", text, blocking=True), Step(2, "b", "a", text, kind="response", reply_to=1),
               Step(3, "a", "c", "plain")),
        fragments=(Fragment("alt", (Section(1, 2, text), Section(3, 3, text))),),
        notes=(Note(text, node="a"), Note(text, step=3)),
        baseline=(("lablink", text),),
    )


def _escapes(backend: str, text: str) -> list[str]:
    return {
        "mermaid": [mermaid.label(text), mermaid.entity_label(text), mermaid.fragment_label(text),
                    mermaid.box_title(text), mermaid.one_line_text(text), mermaid.title(text)[1:-1]],
        "plantuml": [plantuml.label(text), plantuml.entity_label(text), plantuml.message(text)],
        "dot": [dot.quote(text)[1:-1], dot.html_text(text), dot.html_text(text, 14)],
    }[backend]


def forms(backend: str, text: str) -> set[str]:
    """Every escaped spelling of ``text`` a backend may write: the text as typed, or as a
    view wrapped it (participants at 14, or wider up to 54 to stay within 5 lines, box titles
    at 16 per lifeline (a parent's name briefly), node names by wrap_name, edge labels by edge_text after ``N. ``, sequence messages at 16/24 per gap spanned after
    ``N. ``, or wider to stay within MESSAGE_LINES lines; notes at 24/28/36/48, guards at 16
    or 24 per lifeline their frame spans; messages, notes and guards evenly, by wrap_balanced;
    a message's line breaks as spaces first)."""
    # a nested box's title names its parent first, "›" glued to the name's last word
    parents = (v[:-2] for w in range(14, 56, 2) for v in [wrap(brief_title(text) + " ›", w)] if v.endswith(" ›"))
    out = {form for v in (text, wrap_name(text, NAME_WIDTH), *(wrap(t, w) for t in (text, brief_title(text))
                                                               for w in (*range(14, 56, 2), 36, 40, 48)),
                          *(wrap_balanced(text, w) for w in (24, 28, 36, 48, 72, *range(16, 129, 8))),
                          *parents)
           for form in _escapes(backend, v)}
    for n in (1, 2, 3):
        for whole in (numbered(n, text), wrap(numbered(n, text), 30), numbered(n, edge_text(text)),
                      *(numbered(n, wrap(text, w)) for w in (16, 20, 24, 32, 48, 72)),
                      *(numbered(n, wrap_balanced(text, w)) for w in (16, 24, 32, 48, 72)),
                      *(numbered(n, wrap_balanced(message_text(text), w)) for w in (16, 24, 32, 48, 72)),
                      *(numbered(n, _message_lines(message_text(text), w)) for w in (16, 24, 32, 48, 72))):
            for form in _escapes(backend, whole):
                for sep in (" ", "<br>", "\\n"):  # the number, then a space or a line break
                    if form.startswith(f"{n}.{sep}"):
                        out.add(form[len(f"{n}.{sep}"):])
    return out


VIEWS = [("mermaid", "architecture"), ("mermaid", "sequence"), ("mermaid", "schema"),
         ("plantuml", "architecture"), ("plantuml", "sequence"), ("plantuml", "schema"),
         ("dot", "architecture"), ("dot", "schema")]


def _check_structure(text: str) -> None:
    """Line by line, the hostile output equals the benign one except in label slots,
    and every slot holds exactly an escaped spelling of the label."""
    for backend, view in VIEWS:
        allowed = forms(backend, text)
        base = emit(everywhere(MARK), backend, view).split("\n")
        got = emit(everywhere(text), backend, view).split("\n")
        assert len(got) == len(base), (backend, view, "line count changed")
        for b, g in zip(base, got):
            # a DOT node's margin grows with its label's line count (dot.node_margin): a number either way
            b, g = (re.sub(r'margin="([\d.]+),[\d.]+"', r'margin="\1,Y"', line) for line in (b, g))
            parts = b
            for form in sorted(_escapes(backend, MARK), key=len, reverse=True):
                parts = parts.replace(form, "\x00")
            pattern = "(.*?)".join(re.escape(p) for p in parts.split("\x00"))
            pattern = re.sub(r"(\d)\\\.\\ \(", r"\1\\.(?:\\ |<br>|\\\\n)(", pattern)  # "N. " or "N.<br>"
            m = re.fullmatch(pattern, g, flags=re.S)
            assert m, (backend, view, b, g)
            assert all(slot in allowed for slot in m.groups()), (backend, view, m.groups())


def _usable(text: str) -> bool:
    return bool("".join(lines(text)).strip()) and MARK not in text


@pytest.mark.parametrize("text", HOSTILE)
def test_structure_table(text):
    assert _usable(text)
    _check_structure(text)


# (a first word of 27+ characters pushes a view's "N." numbering onto a line of its own)
@given(text=st.text(min_size=1, alphabet=st.characters(codec="utf-8"))
       .filter(lambda t: len(t) < 80 and len((t.split() or [""])[0]) < 24))
@settings(max_examples=max(150, settings().max_examples // 20), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_structure_property(text):
    assume(_usable(text))
    _check_structure(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_mermaid_merged_frame_title_is_one_escaped_label(text):
    """A frame holding only one frame is drawn as one subgraph titled "outer › inner"; the
    joined title goes through the same escaping as any label, on one line (Mermaid keeps one
    line's height for it), and the wrapper leaves no trace."""
    d = Diagram(name="wrap", title="t", views=("architecture",),
                nodes=(Node("a", "A"), Node("b", "B")),
                groups=(Group("outer", text, groups=("inner",)), Group("inner", "H", nodes=("a",))),
                steps=(Step(1, "a", "b", "x"),))
    out = emit(d, "mermaid", "architecture")
    assert f'subgraph g_inner["{mermaid.frame_title(text + " › H")}"]' in out
    assert "g_outer" not in out
