"""Engine behaviour with fake renderer executables: crash, hang, garbage, missing."""
import os
import signal
import threading
import time

import pytest

from lablink_diagrams.render import RenderJob, plantuml, render, summarise

from .conftest import leftovers

DOT = 'digraph G { a -> b }\n'
PUML = "@startuml\nA -> B : hi\n@enduml\n"


def _tools(no_tools, **kw):
    return no_tools.with_(**kw)


def test_missing_everything_is_reported_not_raised(no_tools, tmp_path):
    jobs = [RenderJob("dot", DOT, "svg", tmp_path / "a.svg"),
            RenderJob("plantuml", PUML, "png", tmp_path / "b.png"),
            RenderJob("mermaid", "flowchart LR\n A-->B\n", "pdf", tmp_path / "c.pdf")]
    rs = render(jobs, tools=no_tools, progress=False)
    assert [r.status for r in rs] == ["missing"] * 3
    assert all("\n" not in r.message and "install" in r.message for r in rs)
    assert "apt-get install" in rs[0].message and "graphviz" in rs[0].message
    assert not list(tmp_path.glob("*.*"))
    assert "3 missing" in summarise(rs)


def test_crashing_dot(no_tools, fake_exe, tmp_path):
    dot = fake_exe("dot", 'cat >/dev/null; echo "Error: <stdin>: syntax error in line 7 near x" >&2; exit 1')
    t = _tools(no_tools, dot=dot, rsvg=fake_exe("rsvg-convert", "exit 1"), mutool=fake_exe("mutool", "exit 1"))
    rs = render([RenderJob("dot", DOT, "png", tmp_path / "a.png")], tools=t, progress=False)
    assert rs[0].status == "failed" and rs[0].line == 7 and "syntax error in line 7" in rs[0].message
    assert not (tmp_path / "a.png").exists() and not leftovers(tmp_path)


def test_dot_pdf_without_rsvg_convert_is_missing_and_its_svg_still_renders(no_tools, fake_exe, tmp_path):
    dot = fake_exe("dot", "[ \"$1\" = -V ] && exit 0; cat >/dev/null; printf '<svg xmlns=\"http://www.w3.org/2000/svg\"/>'")
    jobs = [RenderJob("dot", DOT, f, tmp_path / f"a.{f}") for f in ("pdf", "svg")]
    rs = render(jobs, tools=_tools(no_tools, dot=dot), progress=False)
    assert [r.status for r in rs] == ["missing", "rendered"]
    assert "rsvg-convert" in rs[0].message and "librsvg2-bin" in rs[0].message


def test_garbage_output_is_a_failure(no_tools, fake_exe, tmp_path):
    dot = fake_exe("dot", 'cat >/dev/null; echo "this is not an image"')
    mutool = fake_exe("mutool", 'echo "P6 not pixels"')
    jobs = [RenderJob("dot", DOT, f, tmp_path / f"a.{f}") for f in ("png", "svg", "pdf")]
    rsvg = fake_exe("rsvg-convert", 'cat >/dev/null; echo "not a PDF"')
    rs = render(jobs, tools=_tools(no_tools, dot=dot, rsvg=rsvg, mutool=mutool), progress=False)
    assert [r.status for r in rs] == ["failed"] * 3
    assert "PNG" in rs[0].message and "SVG" in rs[1].message and "PDF" in rs[2].message
    assert not list(tmp_path.glob("a.*")) and not leftovers(tmp_path)


def test_hanging_dot_times_out_and_others_finish(no_tools, fake_exe, tmp_path):
    pidfile = tmp_path / "pid"
    dot = fake_exe("dot", f'''input=$(cat)
case "$input" in
  *hang*) echo $$ > {pidfile}; sleep 60;;
  *) printf '<svg xmlns="http://www.w3.org/2000/svg"/>';;
esac''')
    jobs = [RenderJob("dot", "digraph { hang }", "svg", tmp_path / "h.svg"),
            RenderJob("dot", DOT, "svg", tmp_path / "ok.svg")]
    rs = render(jobs, tools=_tools(no_tools, dot=dot), timeout=3.0, progress=False)
    assert rs[0].status == "failed" and "timed out" in rs[0].message
    assert rs[1].status == "rendered" and (tmp_path / "ok.svg").exists()
    assert not (tmp_path / "h.svg").exists()
    pid = int(pidfile.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_hanging_java_times_out(no_tools, fake_exe, tmp_path, monkeypatch):
    monkeypatch.setattr(plantuml, "STARTUP_TIMEOUT", 0.5)
    java = fake_exe("java", "sleep 60")
    jar = tmp_path / "plantuml-9.jar"
    jar.write_bytes(b"")
    rs = render([RenderJob("plantuml", PUML, "svg", tmp_path / "a.svg")],
                tools=_tools(no_tools, java=java, plantuml_jar=jar), timeout=0.5, progress=False)
    assert rs[0].status == "failed" and "timed out" in rs[0].message


def test_crashing_java(no_tools, fake_exe, tmp_path):
    java = fake_exe("java", 'echo "Error: Unable to access jarfile" >&2; exit 1')
    jar = tmp_path / "plantuml-9.jar"
    jar.write_bytes(b"")
    jobs = [RenderJob("plantuml", PUML, "svg", tmp_path / "a.svg"),
            RenderJob("plantuml", PUML.replace("hi", "yo"), "svg", tmp_path / "b.svg"),
            RenderJob("dot", DOT, "svg", tmp_path / "d.svg")]
    rs = render(jobs, tools=_tools(no_tools, java=java, plantuml_jar=jar), progress=False)
    assert [r.status for r in rs] == ["failed", "failed", "missing"]
    assert "Unable to access jarfile" in rs[0].message


def test_plantuml_pdf_needs_rsvg(no_tools, fake_exe, tmp_path):
    jar = tmp_path / "plantuml-9.jar"
    jar.write_bytes(b"")
    t = _tools(no_tools, java=fake_exe("java", "exit 1"), plantuml_jar=jar)
    rs = render([RenderJob("plantuml", PUML, "pdf", tmp_path / "a.pdf")], tools=t, progress=False)
    assert rs[0].status == "missing" and "rsvg-convert" in rs[0].message


@pytest.mark.parametrize("backend, source", [("dot", DOT), ("plantuml", PUML), ("mermaid", "flowchart LR\n A-->B\n")])
def test_png_needs_mutool_other_formats_do_not(backend, source, no_tools, fake_exe, tmp_path):
    jar = tmp_path / "plantuml-9.jar"
    jar.write_bytes(b"")
    nm = tmp_path / "nm"
    for pkg in ("mermaid/dist/mermaid.min.js", "puppeteer/package.json"):
        (nm / pkg).parent.mkdir(parents=True, exist_ok=True)
        (nm / pkg).write_text("{}")
    t = _tools(no_tools, dot=fake_exe("dot", "exit 1"), java=fake_exe("java", "exit 1"), plantuml_jar=jar,
               rsvg=fake_exe("rsvg-convert", "exit 1"), node_modules=nm, node=fake_exe("node", "exit 1"),
               chromium=fake_exe("chromium", "exit 1"))
    rs = render([RenderJob(backend, source, "png", tmp_path / "a.png"),
                 RenderJob(backend, source, "svg", tmp_path / "a.svg")], tools=t, progress=False, timeout=5)
    assert rs[0].status == "missing" and "mutool" in rs[0].message and "mupdf-tools" in rs[0].message
    assert rs[1].status == "failed"  # attempted: the fake renderer fails, but it is not "missing"


def test_mermaid_worker_that_dies(no_tools, fake_exe, tmp_path):
    nm = tmp_path / "nm"
    (nm / "mermaid" / "dist").mkdir(parents=True)
    (nm / "mermaid" / "dist" / "mermaid.min.js").write_text("")
    (nm / "puppeteer").mkdir()
    (nm / "puppeteer" / "package.json").write_text('{"version": "0"}')
    node = fake_exe("node", 'echo "Error: Failed to launch the browser process" >&2; exit 3')
    t = _tools(no_tools, node_modules=nm, node=node, chromium=fake_exe("chromium", "exit 1"))
    calls = tmp_path / "calls"
    node = fake_exe("node", f'echo x >> {calls}; echo "Error: Failed to launch the browser process" >&2; exit 3')
    t = t.with_(node=node)
    jobs = [RenderJob("mermaid", f"flowchart LR\n A-->B{i}\n", "svg", tmp_path / f"a{i}.svg") for i in range(6)]
    rs = render(jobs, tools=t, progress=False)
    assert all(r.status == "failed" for r in rs)
    assert "Failed to launch" in rs[0].message and "worker failed 3 times" in rs[5].message
    assert calls.read_text().count("x") == 3  # no worker per diagram


def test_mermaid_worker_that_dies_mid_run_fails_only_its_figure(no_tools, fake_exe, tmp_path):
    """Where the worker dies on a figure, that figure fails with its message, and the
    figures after it are drawn by a fresh worker, in their order."""
    import base64
    nm = tmp_path / "nm"
    (nm / "mermaid" / "dist").mkdir(parents=True)
    (nm / "mermaid" / "dist" / "mermaid.min.js").write_text("")
    (nm / "puppeteer").mkdir()
    (nm / "puppeteer" / "package.json").write_text('{"version": "0"}')
    svg = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"/>').decode()
    count, order = tmp_path / "count", tmp_path / "order"
    node = fake_exe("node", f"""echo '{{"ready": true}}'
while IFS= read -r line; do
  n=$(( $(cat {count} 2>/dev/null || echo 0) + 1 )); echo $n > {count}
  echo "$line" | grep -o 'B[0-9]' | head -n 1 >> {order}
  if [ $n -eq 2 ]; then echo "Error: the page crashed" >&2; exit 3; fi
  echo '{{"id": 0, "ok": true, "width": 10, "height": 10, "outputs": [{{"data": "{svg}"}}], "layout": ""}}'
done""")
    t = _tools(no_tools, node_modules=nm, node=node, chromium=fake_exe("chromium", "exit 1"))
    jobs = [RenderJob("mermaid", f"flowchart LR\n A-->B{i}\n", "svg", tmp_path / f"a{i}.svg") for i in range(4)]
    rs = render(jobs, tools=t, progress=False, timeout=20)
    assert [r.status for r in rs] == ["rendered", "failed", "rendered", "rendered"]
    assert "the page crashed" in rs[1].message
    assert order.read_text().split() == ["B0", "B1", "B2", "B3"]  # each sent once, in order


def test_plantuml_source_with_two_blocks_fails_alone(no_tools, fake_exe, tmp_path):
    jar = tmp_path / "plantuml-9.jar"
    jar.write_bytes(b"")
    t = _tools(no_tools, java=fake_exe("java", "exit 1"), plantuml_jar=jar)
    rs = render([RenderJob("plantuml", PUML + PUML, "svg", tmp_path / "a.svg")], tools=t, progress=False)
    assert rs[0].status == "failed" and "exactly one @startuml" in rs[0].message


def test_duplicate_and_conflicting_jobs(no_tools, fake_exe, tmp_path):
    dot = fake_exe("dot", "[ \"$1\" = -V ] && exit 0; cat >/dev/null; printf '<svg xmlns=\"http://www.w3.org/2000/svg\"/>'; echo \"$1\" >> " + str(tmp_path / "calls"))
    t = _tools(no_tools, dot=dot)
    a = RenderJob("dot", DOT, "svg", tmp_path / "a.svg")
    rs = render([a, RenderJob("dot", DOT, "svg", tmp_path / "a.svg"), RenderJob("dot", "digraph{}", "svg", tmp_path / "a.svg")],
                tools=t, progress=False)
    assert [r.status for r in rs] == ["rendered", "rendered", "failed"]
    assert "same file" in rs[2].message
    assert (tmp_path / "calls").read_text().split().count("-Tsvg") == 1  # one drawing (and its layout run)


def test_cache_skips_and_force_rerenders(no_tools, fake_exe, tmp_path):
    calls = tmp_path / "calls"
    dot = fake_exe("dot", f"[ \"$1\" = -V ] && exit 0; cat >/dev/null; printf '<svg xmlns=\"http://www.w3.org/2000/svg\"/>'; echo \"$1\" >> {calls}")
    t = _tools(no_tools, dot=dot)
    jobs = [RenderJob("dot", DOT, "svg", tmp_path / "out" / "a.svg")]
    assert render(jobs, tools=t, progress=False)[0].status == "rendered"
    assert render(jobs, tools=t, progress=False)[0].status == "cached"
    assert render(jobs, tools=t, progress=False, force=True)[0].status == "rendered"
    changed = [RenderJob("dot", DOT + "// x\n", "svg", tmp_path / "out" / "a.svg")]
    assert render(changed, tools=t, progress=False)[0].status == "rendered"
    (tmp_path / "out" / "a.svg").unlink()
    assert render(changed, tools=t, progress=False)[0].status == "rendered"
    assert calls.read_text().split().count("-Tsvg") == 4


def test_failure_removes_stale_output(no_tools, fake_exe, tmp_path):
    out = tmp_path / "a.svg"
    out.write_text("<svg/>")
    dot = fake_exe("dot", "cat >/dev/null; echo 'Error: syntax error in line 1' >&2; exit 1")
    rs = render([RenderJob("dot", DOT, "svg", out)], tools=_tools(no_tools, dot=dot), progress=False)
    assert rs[0].status == "failed" and not out.exists()


def test_ctrl_c_kills_children_and_leaves_no_partial_file(no_tools, fake_exe, tmp_path):
    pidfile = tmp_path / "pid"
    dot = fake_exe("dot", f"echo $$ > {pidfile}; sleep 60")
    t = _tools(no_tools, dot=dot, rsvg=fake_exe("rsvg-convert", "exit 1"), mutool=fake_exe("mutool", "exit 1"))
    def interrupt():  # a real SIGINT, as from Ctrl-C, once the fake renderer runs
        deadline = time.monotonic() + 30
        while not pidfile.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGINT)

    # under a shell's background job SIGINT starts ignored: Ctrl-C's own handler, for this test
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Thread(target=interrupt, daemon=True).start()
        with pytest.raises(KeyboardInterrupt):
            render([RenderJob("dot", DOT, "png", tmp_path / "a.png")], tools=t, timeout=30, progress=False)
    finally:
        signal.signal(signal.SIGINT, before)
    pid = int(pidfile.read_text())
    time.sleep(0.1)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not (tmp_path / "a.png").exists() and not leftovers(tmp_path)


def test_a_sequence_drawn_again_that_fails_keeps_its_first_drawing(no_tools, fake_exe, tmp_path):
    """A message a box's side runs through is broken into lines and its sequence drawn again
    (plantuml_rewrap.py); if that drawing fails, the figure keeps the one before, rendered,
    not failed."""
    fake = tmp_path / "fake_plantuml.py"
    fake.write_text(
        "import sys\n"
        "args = sys.argv[1:]\n"
        "delim = args[args.index('-pipedelimitor') + 1]\n"
        "svg = ('<svg xmlns=\"http://www.w3.org/2000/svg\" data-diagram-type=\"SEQUENCE\" '\n"
        "       'style=\"width:500px;height:520px;background:#FFFFFF;\" width=\"500px\" height=\"520px\" viewBox=\"0 0 500 520\">'\n"
        "       '<rect x=\"0\" y=\"0\" width=\"200\" height=\"500\" fill=\"#F6F8FB\" style=\"stroke:#181818;stroke-width:0.5;\" rx=\"4\" ry=\"4\"/>'\n"
        "       '<line x1=\"100\" y1=\"100\" x2=\"300\" y2=\"100\" style=\"stroke:#181818;stroke-width:1;\"/>'\n"
        "       '<text x=\"107\" y=\"93\" fill=\"#000\" font-size=\"19\" textLength=\"160\" font-family=\"x\">4. Put Log Events</text></svg>')\n"
        "drawn = []\n"
        "for line in sys.stdin:\n"
        "    drawn.append(line)\n"
        "    if line.startswith('@enduml'):\n"
        "        first = drawn.count('@enduml\\n') == 1\n"
        "        sys.stdout.write((svg if first else 'ERROR\\n6\\nSyntax Error?') + '\\n' + delim + '\\n')\n"
        "        sys.stdout.flush()\n"
        f"open({str(tmp_path / 'drawn.txt')!r}, 'w').write(''.join(drawn))\n")
    java = fake_exe("java", f'exec python3 {fake} "$@"')
    jar = tmp_path / "plantuml-9.jar"
    jar.write_bytes(b"")
    source = ('@startuml\nskinparam arrowFontSize 19\nhide footbox\nparticipant "A" as a\nparticipant "B" as b\n'
              "a -> b : 4. Put Log Events\n@enduml\n")
    (r,) = render([RenderJob("plantuml", source, "svg", tmp_path / "a.svg")],
                  tools=_tools(no_tools, java=java, plantuml_jar=jar), progress=False)
    assert r.status == "rendered", r.message
    drawn = (tmp_path / "drawn.txt").read_text()
    assert drawn.count("@startuml") == 2 and "a -> b : 4. Put\\nLog\\nEvents" in drawn  # drawn again, rewrapped
    assert ">4. Put Log Events</text>" in (tmp_path / "a.svg").read_text()  # the first drawing kept
