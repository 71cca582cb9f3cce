"""The hostile corpus through the real renderers: what a label holds is what the figure shows,
nothing planted leaks, nothing is fetched.

Models carry every label of ``tests/hostile.py`` in every place text goes (node,
group title, edge/message, fragment condition, notes, column description, title); each
place is tagged (``Qn7Q``, ``Qs7Q``, …) so a mismatch names its place.  The corpus is cut
into models of ``CHUNK`` labels (a title holding all 45 labels made a 25,000 px wide
figure).  Every view in every backend and format is rendered in ONE ``render()`` call (one Chromium page, one JVM, parallel
``dot``), with canary files planted in tmp, a canary environment variable set, and a
loopback HTTP server whose URLs are in the labels and which must see zero requests.

Run: ``python3 -m pytest tests/test_hostile_render.py -q`` (about 30 s; renderers needed).
"""
from __future__ import annotations

import http.server
import re
import threading
import xml.etree.ElementTree as ET

import pytest

from lablink_diagrams.backends import mermaid
from lablink_diagrams.backends.text import lines
from lablink_diagrams.emit import emit, supported
from lablink_diagrams.render import RenderJob, Toolchain, render, summarise

from . import hostile

pytestmark = pytest.mark.renderer


def _tools_ok() -> bool:
    t = Toolchain.discover()
    return bool(t.node and t.chromium and t.java and t.jar_ok() and t.dot and t.rsvg and t.mutool and t.mermaid_js.is_file())


if not _tools_ok():
    pytestmark = [pytest.mark.renderer, pytest.mark.skip(reason="renderers not installed (lablink-diagrams doctor)")]


class _Server:
    """A loopback HTTP server that records every request it receives."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def _hit(self):
                hits.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"NETCANARY_88")

            do_GET = do_POST = do_HEAD = _hit

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def server():
    s = _Server()
    yield s
    s.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, server):
    """Render the all-hostile model in every view, backend and format, in one render() call."""
    import os

    canary = tmp_path_factory.mktemp("canary")
    hostile.plant(canary)
    name, value = hostile.ENV_CANARY
    old = os.environ.get(name)
    os.environ[name] = value  # renderers inherit the environment: %getenv must not see it
    try:
        labels = hostile.planted(str(canary), server.url)
        models = [hostile.all_hostile(labels[k:k + CHUNK], name=f"hostile-{k // CHUNK}")
                  for k in range(0, len(labels), CHUNK)]
        out = tmp_path_factory.mktemp("out")
        jobs = [RenderJob(backend, emit(m, backend, view), fmt, out / f"{m.name}.{view}.{backend}.{fmt}", dpi=72)
                for m in models for view, backend in supported(m) for fmt in ("svg", "png", "pdf")]
        results = render(jobs, progress=False)
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old
    return labels, models, results, server.hits


CHUNK = 9
CHUNKS = -(-(len(hostile.HOSTILE) + len(hostile.REACHING)) // CHUNK)


def _svg(result):
    return [r for r in result if r.job.fmt == "svg"]


def _ids(results):
    return [f"{r.job.out.stem}" for r in results]


def test_everything_renders(corpus):
    labels, _, results, _ = corpus
    assert len(labels) >= 40
    assert [r.status for r in results] == ["rendered"] * len(results), summarise(results)


def test_no_network_request(corpus):
    assert corpus[3] == []


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def shown(svg: bytes) -> str:
    """Every text node of the SVG (foreignObject HTML included), joined, without whitespace."""
    root = ET.fromstring(svg)
    for style in [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "style"]:
        style.text = ""
    return _squash("".join(root.itertext()))


def expected(labels, backend: str, place: str, i: int) -> str:
    """The text a place must show: the label as text.py normalises it, whitespace aside
    (views and renderers wrap lines); Mermaid titles use their documented look-alikes.
    ``labels`` are one model's labels."""
    text = " ".join(labels) if place == "t" else labels[i]
    text = " ".join(lines(text))
    if place == "t" and backend == "mermaid":
        text = mermaid.title_shows(text)
    return _squash(text)


VIEWS = [("architecture", "mermaid"), ("architecture", "plantuml"), ("architecture", "dot"),
         ("sequence", "mermaid"), ("sequence", "plantuml"),
         ("schema", "mermaid"), ("schema", "plantuml"), ("schema", "dot")]


@pytest.mark.parametrize("chunk", range(CHUNKS))
@pytest.mark.parametrize("view, backend", VIEWS)
def test_every_place_shows_exactly_the_label(corpus, chunk, view, backend):
    all_labels, models, results, _ = corpus
    assert len(models) == CHUNKS
    labels = all_labels[chunk * CHUNK:(chunk + 1) * CHUNK]
    (r,) = [r for r in _svg(results) if r.job.out.name == f"hostile-{chunk}.{view}.{backend}.svg"]
    assert r.status == "rendered", r.message
    text = shown(r.job.out.read_bytes())
    places = sorted(set(re.findall(r"Q([a-z])(\d+)Q", r.job.source)))
    assert len(places) >= len(labels)  # the tags went through escaping untouched
    wrong = []
    for place, i in places:
        tag = f"Q{place}{i}Q"
        if tag + expected(labels, r.job.backend, place, int(i)) not in text:
            m = re.search(re.escape(tag) + "(.{0,60})", text)
            wrong.append((tag, labels[int(i)][:50], m.group(1) if m else "(tag missing)"))
    assert not wrong, f"{r.job.out.name}: {wrong}"
    # nothing of the syntax around a label shows (a ")" in a box title once made the colour its text)
    assert "rgb(" not in text and "#F6F8FB" not in text.upper(), r.job.out.name


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_nothing_planted_leaks(corpus, fmt):
    _, _, results, _ = corpus
    for r in results:
        if r.job.fmt != fmt:
            continue
        data = r.job.out.read_bytes()
        for canary in hostile.LEAKS + ("NETCANARY",):
            assert canary.encode() not in data, (r.job.out.name, canary)


FORBIDDEN_ELEMENTS = {"image", "img", "script", "a", "iframe", "object", "embed", "link", "use", "foreignobject_img"}


def test_no_active_or_fetching_markup(corpus):
    """No element that loads or links anything, no attribute pointing at a URL or file."""
    _, _, results, server = corpus
    for r in _svg(results):
        root = ET.fromstring(r.job.out.read_bytes())
        for el in root.iter():
            local = el.tag.rsplit("}", 1)[-1].lower()
            assert local not in FORBIDDEN_ELEMENTS, (r.job.out.name, local)
            for attr, value in el.attrib.items():
                low = value.lower()
                assert not attr.lower().startswith("on"), (r.job.out.name, attr)
                assert "javascript:" not in low and "127.0.0.1" not in low and "file:" not in low, \
                    (r.job.out.name, attr, value[:80])
                if attr.rsplit("}", 1)[-1] == "href":
                    assert low.startswith("#"), (r.job.out.name, value[:80])


def test_dot_never_gets_user_text_in_file_or_link_attributes(corpus):
    """URL/href/image/shapefile/fontpath (and friends) never appear in the emitted DOT at all,
    so no label can reach them; every attribute name outside a string is one we wrote."""
    _, models, _, _ = corpus
    for model, (view, backend) in ((m, vb) for m in models for vb in supported(m)):
        if backend != "dot":
            continue
        text = emit(model, backend, view)
        unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)  # blank every quoted string
        assert not re.search(r"<IMG\b", unquoted, flags=re.I)  # no image in an HTML-like label
        outside = re.sub(r"<<.*?>>", "<>", unquoted, flags=re.S)  # and every HTML-like label
        names = set(re.findall(r"\b([A-Za-z_]+)\s*=", outside))
        assert not names & {"URL", "href", "image", "shapefile", "fontpath", "imagepath", "tooltip",
                            "target", "imagescale", "labelURL", "edgeURL", "headURL", "tailURL"}, names
