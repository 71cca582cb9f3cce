"""The renderers run sandboxed: no network from Chromium, PlantUML SANDBOX, no output
names taken from diagram text."""
import http.server
import re
import threading

import pytest

from lablink_diagrams.render import RenderJob, render

pytestmark = pytest.mark.renderer


@pytest.fixture
def canary_server():
    hits = []

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv.server_address[1], hits
    srv.shutdown()


def test_mermaid_makes_no_requests(tmp_path, canary_server):
    """The worker aborts every request that is not the page's own data and reports it;
    Chromium's own private-network rules would also stop this one, so check both."""
    port, hits = canary_server
    src = (f'flowchart LR\n  A["<img src=\'http://127.0.0.1:{port}/img.png\'> x"] --> B\n'
           f'  %%{{init: {{"themeCSS": ".node rect {{ background: url(http://127.0.0.1:{port}/css) }}"}}}}%%\n')
    results = render([RenderJob("mermaid", src, f, tmp_path / f"a.{f}") for f in ("svg", "png", "pdf")], progress=False)
    assert [r.status for r in results] == ["rendered"] * 3
    assert all(re.search(r"blocked [1-9]\d* network request", r.message) for r in results), [r.message for r in results]
    assert hits == []


def test_plantuml_sandbox_blocks_include_and_env(tmp_path, monkeypatch):
    secret = tmp_path / "secret.puml"
    secret.write_text("Alice -> Bob : INCLUDED_CANARY\n")
    monkeypatch.setenv("CANARY_ENV", "ENVCANARY_456")
    inc = f"@startuml\nAlice -> Bob : hi\n!include {secret}\n@enduml\n"
    env = '@startuml\nAlice -> Bob : x%getenv("CANARY_ENV")x\n@enduml\n'
    r_inc, r_env = render([RenderJob("plantuml", inc, "svg", tmp_path / "inc.svg"),
                           RenderJob("plantuml", env, "svg", tmp_path / "env.svg")], progress=False)
    assert r_inc.status == "failed" and not (tmp_path / "inc.svg").exists()
    assert r_env.status == "rendered"
    assert "ENVCANARY" not in (tmp_path / "env.svg").read_text()


def test_plantuml_output_name_never_from_text(tmp_path):
    out = tmp_path / "sub"
    src = "@startuml ../escaped_name\nAlice -> Bob : hi\n@enduml\n"
    (r,) = render([RenderJob("plantuml", src, "png", out / "a.png")], progress=False)
    assert r.status == "rendered"
    assert sorted(p.name for p in tmp_path.rglob("*") if not p.name.startswith(".")) == ["a.png", "sub"]
