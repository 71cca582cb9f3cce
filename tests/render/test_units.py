"""Pure-Python parts of the engine: no renderer needed."""
import json
import os
import struct
import zlib

import pytest
from hypothesis import given, strategies as st

from lablink_diagrams.render import BadJob, RenderJob, Result, summarise
from lablink_diagrams.render import cache as cache_mod
from lablink_diagrams.render import graphviz, mermaid, pdf, plantuml, plantuml_pipe, png
from lablink_diagrams.render.errors import RendererMissing, one_line

from .conftest import png_pixels


def _png(extra=b""):
    def chunk(t, b):
        return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (png.SIGNATURE + chunk(b"IHDR", ihdr) + extra + chunk(b"tEXt", b"Software\x00x")
            + chunk(b"tIME", b"\x07\xe9\x01\x01\x00\x00\x00") + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
            + chunk(b"IEND", b""))


def test_png_normalise_sets_phys_and_strips_text():
    out = png.normalise(_png(), 300)
    info = png.info(out)
    assert info["phys"] == (11811, 11811, 1)
    assert info["types"] == ["IHDR", "pHYs", "IDAT", "IEND"]
    assert png.normalise(out, 300) == out  # idempotent


def test_png_normalise_replaces_existing_phys():
    phys = struct.pack(">I", 9) + b"pHYs" + struct.pack(">IIB", 2835, 2835, 1)
    phys += struct.pack(">I", zlib.crc32(phys[4:]))
    info = png.info(png.normalise(_png(phys), 150))
    assert info["phys"] == (5906, 5906, 1) and info["types"].count("pHYs") == 1


@pytest.mark.parametrize("bad", [b"", b"GIF89a", png.SIGNATURE + b"\x00\x00"])
def test_png_garbage_rejected(bad):
    with pytest.raises(png.BadPNG):
        png.normalise(bad, 300)


@given(st.integers(1, 40), st.integers(1, 40), st.integers(36, 1200), st.binary(min_size=0, max_size=64))
def test_ppm_to_png_roundtrip(w, h, dpi, seed):
    pixels = (seed or b"\x01") * (w * h * 3 // max(1, len(seed or b"x")) + 1)
    pixels = pixels[: w * h * 3]
    ppm = b"P6\n%d %d\n255\n" % (w, h) + pixels
    pw, ph, px = png.parse_ppm(ppm)
    out = png.encode_rgb(pw, ph, px, dpi)
    assert png.info(out)["phys"] == (png.dpi_to_ppm(dpi), png.dpi_to_ppm(dpi), 1)
    assert png_pixels(out) == (w, h, pixels)
    assert out == png.encode_rgb(pw, ph, px, dpi)  # deterministic


def test_png_compresses_in_one_call(monkeypatch):
    """The deflate drops the GIL per call: two calls a row made a PNG thread wait for the
    GIL thousands of times an image while the label passes ran (1.5 s instead of 0.07 s)."""
    calls = []
    real = png.isal_zlib.compress
    monkeypatch.setattr(png.isal_zlib, "compress", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(png.isal_zlib, "compressobj", None)  # the per-row route
    w, h = 30, 200
    pixels = bytes(range(256)) * (w * h * 3 // 256 + 1)
    out = png.encode_rgb(w, h, memoryview(pixels[: w * h * 3]), 300)
    assert png_pixels(out) == (w, h, pixels[: w * h * 3]) and len(calls) == 1


@pytest.mark.parametrize("bad", [b"", b"P6", b"P5\n2 2\n255\n" + bytes(4), b"P6\n2 2\n65535\n" + bytes(24),
                                 b"P6\nx 2\n255\n", b"P6\n2 2\n255\n" + bytes(11)])
def test_bad_ppm_rejected(bad):
    with pytest.raises(png.BadPNG):
        png.parse_ppm(bad)


def test_pdf_dates_fixed_same_length():
    raw = b"%PDF-1.4\n/CreationDate (D:20261127053800+00'00')\n/ModDate (D:20261127053801Z)\n"
    out = pdf.normalise(raw)
    assert len(out) == len(raw)
    assert b"D:20000101000000+00'00'" in out and b"/ModDate (D:20000101000000Z)" in out
    with pytest.raises(ValueError):
        pdf.normalise(b"<html>")


@pytest.mark.parametrize("kw", [dict(backend="d2"), dict(fmt="jpg"), dict(preset="huge"), dict(dpi=0),
                                dict(dpi=True), dict(dpi=72.5), dict(fit="yes"), dict(fit=None)])
def test_bad_jobs_rejected_with_one_line(kw, tmp_path):
    args = dict(backend="dot", source="digraph{}", fmt="png", out=tmp_path / "x.png") | kw
    with pytest.raises(BadJob) as e:
        RenderJob(**args)
    assert "\n" not in str(e.value)


def test_job_out_becomes_path():
    assert RenderJob("dot", "digraph{}", "svg", "a/b.svg").out.name == "b.svg"


def test_cache_roundtrip(tmp_path):
    out = tmp_path / "x.svg"
    job = RenderJob("dot", "digraph{}", "svg", out)
    key = cache_mod.job_key(job, "v1")
    assert key != cache_mod.job_key(job, "v2")
    assert key != cache_mod.job_key(RenderJob("dot", "digraph{}", "svg", out, dpi=150), "v1")
    assert key != cache_mod.job_key(RenderJob("dot", "digraph{}", "svg", out, fit=False), "v1")
    c = cache_mod.Cache()
    assert not c.fresh(out, key)
    cache_mod.write_atomic(out, b"<svg/>")
    c.record(out, key, 6)
    c.save()
    data = json.loads((tmp_path / cache_mod.CACHE_NAME).read_text())
    assert data["outputs"]["x.svg"]["key"] == key
    c2 = cache_mod.Cache()
    assert c2.fresh(out, key)
    out.write_bytes(b"<svg />")  # changed by hand → size differs → re-render
    assert not c2.fresh(out, key)
    out.unlink()
    assert not cache_mod.Cache().fresh(out, key)


def test_a_split_figures_parts_change_only_the_keys_that_depend_on_the_other_parts(tmp_path):
    """A part's PNG is drawn at the scale of its figure's other parts and a PlantUML part in
    their columns, so their keys hold them (RenderJob.together); another backend's SVG and
    PDF do not depend on them and keep their keys."""
    for backend, fmt, changes in (("dot", "png", True), ("dot", "svg", False), ("mermaid", "pdf", False),
                                  ("plantuml", "svg", True), ("plantuml", "pdf", True)):
        alone = RenderJob(backend, "digraph{}", fmt, tmp_path / f"x.{fmt}")
        part = RenderJob(backend, "digraph{}", fmt, tmp_path / f"x.{fmt}", together="ab12")
        other = RenderJob(backend, "digraph{}", fmt, tmp_path / f"x.{fmt}", together="cd34")
        keys = {cache_mod.job_key(j, "v1") for j in (alone, part, other)}
        assert len(keys) == (3 if changes else 1), (backend, fmt)
    natural = RenderJob("dot", "digraph{}", "png", tmp_path / "x.png", fit=False, together="ab12")
    assert cache_mod.job_key(natural, "v1") == cache_mod.job_key(RenderJob("dot", "digraph{}", "png", tmp_path / "x.png", fit=False), "v1")
    with pytest.raises(BadJob, match="together"):
        RenderJob("dot", "digraph{}", "png", tmp_path / "x.png", together=None)


def test_cache_file_corrupt_is_ignored(tmp_path):
    (tmp_path / cache_mod.CACHE_NAME).write_text("{nope")
    assert not cache_mod.Cache().fresh(tmp_path / "x.svg", "k")


def test_plantuml_block_checks():
    assert plantuml_pipe.block_start("' c\n@startuml\nA -> B\n@enduml\n") == 1
    for bad in ("A -> B\n", "@startuml\nA->B\n", "@startuml\n@enduml\n@startuml\n@enduml\n"):
        with pytest.raises(plantuml.RenderFailed):
            plantuml_pipe.block_start(bad)


def test_plantuml_error_line_is_absolute():
    e = plantuml_pipe.parse_error(b"ERROR\n2\nSyntax Error? (Assumed diagram type: sequence)\n", start=1)
    assert e.line == 4 and "Syntax Error" in str(e) and "\n" not in str(e)


def test_mermaid_error_line():
    e = mermaid.parse_error("Parse error on line 3:\n...A -->\n------^\nExpecting 'AMP', got 'EOF'")
    assert e.line == 3 and str(e) == "mermaid line 3: Parse error on line 3 near '...A -->' (unexpected EOF)"


def test_dot_error_line():
    e = graphviz.parse_error("Warning: x\nError: <stdin>: syntax error in line 3 near '->'\n", 1)
    assert e.line == 3 and str(e) == "dot line 3: syntax error in line 3 near '->'"


def test_mermaid_presets_scale():
    paper, poster = mermaid.mermaid_config("paper"), mermaid.mermaid_config("poster")
    # 14 pt / 20 pt as CSS pixels, so Mermaid text has the physical size of DOT's points
    assert paper["securityLevel"] == "strict" and paper["themeVariables"]["fontSize"] == "19px"
    assert poster["themeVariables"]["fontSize"] == "27px"
    assert paper["sequence"]["mirrorActors"] is False
    assert poster["flowchart"]["nodeSpacing"] > paper["flowchart"]["nodeSpacing"]


def test_one_line():
    assert one_line("a\n  b\r\nc") == "a b c"
    assert len(one_line("x" * 1000)) == 300


def test_summarise(tmp_path):
    j = lambda n: RenderJob("dot", "digraph{}", "svg", tmp_path / n)
    miss = str(RendererMissing("dot", "apt-get install graphviz"))
    text = summarise([Result(j("a"), "rendered"), Result(j("b"), "cached"),
                      Result(j("c"), "failed", "dot line 2: syntax error"),
                      Result(j("d"), "missing", miss), Result(j("e"), "missing", miss)])
    lines = text.splitlines()
    assert lines[0].startswith("1 rendered, 1 cached, 1 failed, 2 missing")
    assert any(l.startswith("FAILED") and "line 2" in l for l in lines)
    assert sum(l.startswith("MISSING (2 outputs)") for l in lines) == 1




@given(st.lists(st.tuples(st.sampled_from([b"tEXt", b"tIME", b"pHYs", b"IDAT", b"zTXt", b"gAMA"]),
                          st.binary(max_size=40)), max_size=8),
       st.integers(min_value=36, max_value=1200))
def test_png_normalise_property(extra, dpi):
    def chunk(t, b):
        return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b))
    data = (png.SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + b"".join(chunk(t, b) for t, b in extra) + chunk(b"IEND", b""))
    out = png.normalise(data, dpi)
    info = png.info(out)
    assert info["types"].count("pHYs") == 1 and info["phys"][0] == round(dpi / 0.0254)
    assert not {"tEXt", "tIME", "zTXt"} & set(info["types"])
    assert png.normalise(out, dpi) == out


def test_unwritable_output_is_one_line_failure(no_tools, fake_exe, tmp_path):
    from lablink_diagrams.render import render
    dot = fake_exe("dot", "[ \"$1\" = -V ] && exit 0; cat >/dev/null; printf '<svg xmlns=\"http://www.w3.org/2000/svg\"/>'")
    blocker = tmp_path / "file"
    blocker.write_text("")
    (r,) = render([RenderJob("dot", "digraph{}", "svg", blocker / "x.svg")], tools=no_tools.with_(dot=dot), progress=False)
    assert r.status == "failed" and r.message.startswith("dot: cannot write output:") and "\n" not in r.message


@pytest.mark.parametrize("data", [b"%PDF-1.4 /Type /Page", b"%PDF /MediaBox [0 0 x y]", b"%PDF /MediaBox [0 0 0 10]",
                                  b"%PDF /MediaBox [0 0 1.2.3 4]", b"%PDF /MediaBox [0 0 10]"])
def test_page_size_of_a_pdf_without_a_usable_page_is_a_value_error(data):
    with pytest.raises(ValueError) as e:
        pdf.page_size(data)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("preset", ["paper", "poster", "presentation"])
def test_every_preset_has_a_print_area_the_png_is_fitted_to(preset, tmp_path):
    from lablink_diagrams.presets import PRESETS
    job = RenderJob("dot", "digraph{}", "png", tmp_path / "x.png", preset=preset)
    p = PRESETS[preset]
    assert job.print_area == (p.print_width, p.print_height) and all(0 < v < 20 for v in job.print_area)
    assert RenderJob("dot", "digraph{}", "png", tmp_path / "x.png", preset=preset, fit=False).print_area is None


def test_er_entities_are_coloured_by_the_role_their_comment_states():
    """GitHub's Mermaid cannot style an erDiagram, so the text states each entity's role in a
    comment and the renderer colours it as DOT and PlantUML do (trigger blue, table violet)."""
    from lablink_diagrams import mechanisms
    from lablink_diagrams.emit import emit
    from lablink_diagrams.style import ROLE_COLORS
    from lablink_diagrams.views import build_view

    d = mechanisms.load("database-schema")
    text = emit(d, "mermaid", "schema")
    roles = {f"n_{e.id}": e.role for e in build_view(d, "schema").entities}
    assert {"component", "data"} <= set(roles.values())
    css = mermaid.job_config(text, "paper")["themeCSS"]
    for nid, role in roles.items():
        assert (f'g.node[id*="-entity-{nid}-"] rect.label-container {{ fill: {ROLE_COLORS[role].fill} !important;'
                in css), nid
    assert css.startswith(mermaid.mermaid_config("paper")["themeCSS"])


@pytest.mark.parametrize("label", ["x\n  %% role n_evil data", "%% role n_a external", "y } * { fill: red"])
def test_no_label_can_state_a_role_or_reach_the_css(label):
    from lablink_diagrams.emit import emit
    from lablink_diagrams.model import Diagram, Node, Step

    d = Diagram(name="t", title=label, views=("schema",),
                nodes=(Node("a", label, kind="table"), Node("b", label, kind="trigger")),
                steps=(Step(1, "a", "b", label),))
    css = mermaid.entity_role_css(emit(d, "mermaid", "schema"))
    assert "n_evil" not in css and "red" not in css and css.count("rect.label-container") == 2


def test_print_size_summary_reads_every_svg_dialect(tmp_path):
    """DOT sizes its SVG in pt, PlantUML in px, Mermaid only by viewBox; an unreadable file is skipped."""
    from lablink_diagrams.render import legibility

    files = {"a.dot": '<svg xmlns="http://www.w3.org/2000/svg" width="1008pt" height="360pt"/>',   # 14 x 5 in: 7 pt
             "b.plantuml": '<svg xmlns="http://www.w3.org/2000/svg" width="672px" height="480px"/>',  # 7 x 5 in: 14 pt
             "c.mermaid": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2688 864"/>',  # 28 x 9 in: 3.5 pt
             "d.broken": "<svg", "e.nosize": '<svg xmlns="http://www.w3.org/2000/svg"/>'}
    for name, text in files.items():
        (tmp_path / f"{name}.svg").write_text(text)
    line = legibility.summary(sorted(tmp_path.glob("*.svg")), "paper")
    assert line == ("print size (paper, 7 x 9 in): 2 of 3 figures print their 14 pt text at 6 pt or more; "
                    "smallest c.mermaid at 3.5 pt (try another backend, --compact, or --max-steps 15 for a long sequence; "
                    "bench/bench_legibility.py lists every figure)")
    assert legibility.summary([tmp_path / "d.broken.svg"], "paper") is None
    assert legibility.summary([tmp_path / "b.plantuml.svg"], "paper").endswith("at 6 pt or more")


def _fake_fc_list(tmp_path, monkeypatch, families: str):
    """An `fc-list` that knows only `families` (one per line) and answers every pattern with them."""
    fake = tmp_path / "bin" / "fc-list"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\ncase \"$1\" in\n" + "".join(
        f"  '{f}') echo '{f}' ;;\n" for f in families.splitlines()) + "esac\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")


def test_doctor_reports_the_suite_font_missing_with_its_install_command(tmp_path, monkeypatch):
    from lablink_diagrams.render.doctor import doctor, format_report
    _fake_fc_list(tmp_path, monkeypatch, "Some Other Font")
    row = [l for l in format_report(doctor()).splitlines() if "fonts (text)" in l]
    assert row == ["MISSING fonts (text)     install: apt-get install -y --no-install-recommends fonts-dejavu-extra"]


def test_doctor_finds_the_suite_font_by_its_family_name(tmp_path, monkeypatch):
    from lablink_diagrams.render.doctor import doctor
    from lablink_diagrams.style import FONT
    _fake_fc_list(tmp_path, monkeypatch, FONT)
    check = next(c for c in doctor() if c.renderer == "fonts (text)")
    assert check.found and check.version == FONT


def _seg(a, b):
    from lablink_diagrams.render.geometry import segment
    return segment(a, b)


def test_a_label_moves_off_a_border_and_stays_beside_its_own_edge():
    from lablink_diagrams.render import edge_labels as el
    edge = [_seg((100, 0), (100, 400))]
    border = _seg((0, 200), (400, 200))
    label = el.Label((104, 190, 190, 210), 0)
    [(dx, dy)] = el.moves([label], [edge], [border], (0, 0, 400, 400))
    moved = (104 + dx, 190 + dy, 190 + dx, 210 + dy)
    assert not el.overlaps(el.grow(moved, el.CLEAR), border)
    assert el._distance(moved, edge) <= 8.0 and abs(dy) <= 20


def test_a_label_never_moves_where_another_line_is_nearer_than_its_own():
    from lablink_diagrams.render import edge_labels as el
    own, other = [_seg((100, 0), (100, 400))], [_seg((175, 0), (175, 400))]
    # a slot above the border, walled on the left: clear, but nearer the other edge (x=175)
    walls = [_seg((0, 200), (400, 200)), (0, 0, 400, 170), (0, 230, 400, 400), (0, 171, 126, 229)]
    label = el.Label((130, 190, 160, 210), 0)
    assert el.moves([label], [own, other], walls, (0, 0, 400, 400)) == [None]
    assert el.moves([label], [own, []], walls, (0, 0, 400, 400)) == [(0.0, -16.0)]  # without it: the slot


def test_labels_are_placed_against_each_other():
    from lablink_diagrams.render import edge_labels as el
    edge = [_seg((100, 0), (100, 400))]
    border = _seg((0, 200), (400, 200))
    a, b = el.Label((106, 190, 190, 210), 0), el.Label((106, 170, 190, 188), 0)
    ma, mb = el.moves([a, b], [edge], [border], (0, 0, 400, 400))
    assert mb is None and ma is not None and ma[1] > 0  # b holds the spot above: a goes below


def test_a_label_glued_to_its_own_edge_steps_off_and_one_its_edge_cuts_moves():
    """dot sets a label's text box on its edge's path; review 24 found labels glued to
    their lines in two thirds of the figures: they step just clear, never across the edge."""
    from lablink_diagrams.render import edge_labels as el
    edge = [_seg((100, 0), (100, 400))]
    touching = el.Label((100.5, 190, 190, 210), 0)
    [(dx, dy)] = el.moves([touching], [edge], [], (0, 0, 400, 400))
    assert dy == 0 and el.OWN_GAP <= 100.5 + dx - 100 <= el.OWN_GAP + el.STEP  # just clear, same side
    aired = el.Label((100 + el.OWN_GAP, 190, 190, 210), 0)
    assert el.moves([aired], [edge], [], (0, 0, 400, 400)) == [None]
    # a border 12 to its right leaves no room on its side within GLUED_REACH: it stays rather than jump
    assert el.moves([el.Label((100.5, 190, 108, 210), 0)], [edge], [_seg((112, 0), (112, 400))], (0, 0, 400, 400)) == [None]
    # a frame border 12 to its right: on the 4-point grid a step off its line ends nearer the
    # border than the line (review 25 read two such steps as worse); on the 1-point grid of
    # the fallback, 5 to the right leaves 5.5 to its line and 7 to the border
    assert el.moves([el.Label((100.5, 190, 140, 210), 0)], [edge], [_seg((152, 0), (152, 400))],
                    (0, 0, 400, 400)) == [(5.0, 0.0)]
    # 6 to the border: the most even split (3.5 to its line, 3 to the border) beats touching
    assert el.moves([el.Label((100.5, 190, 140, 210), 0)], [edge], [_seg((146, 0), (146, 400))],
                    (0, 0, 400, 400)) == [(3.0, 0.0)]
    cut = el.Label((90, 190, 180, 210), 0)  # its own line runs through the text
    [(dx, dy)] = el.moves([cut], [edge], [], (0, 0, 400, 400))
    assert dx >= 12 and dy == 0  # off its line, to the side it was mostly on, still beside it


_coord = st.floats(-300, 300, allow_nan=False)


@given(st.lists(st.tuples(_coord, _coord, _coord, _coord), min_size=1, max_size=4),
       st.tuples(_coord, _coord, st.floats(1, 120), st.floats(1, 40)), st.floats(0, 60), _coord, _coord)
def test_the_quick_window_test_never_turns_away_a_spot_beside_the_line(ends, box, reach, dx, dy):
    """The search skips offsets outside the windows before measuring; the measure must agree."""
    from lablink_diagrams.render import edge_labels as el
    line = [_seg((x1, y1), (x2, y2)) for x1, y1, x2, y2 in ends]
    label = (box[0], box[1], box[0] + box[2], box[1] + box[3])
    if not any(a <= dy <= b for a, b in el._rows(el._windows(label, line, reach), dx)):
        assert el.label_reach((label,), dx, dy, line) > reach


_svg_coord = _coord.map(lambda v: round(v, 3))  # as the SVGs write them


@given(st.lists(st.tuples(_svg_coord, _svg_coord, _svg_coord, _svg_coord), min_size=1, max_size=6),
       st.tuples(_svg_coord, _svg_coord, st.floats(0, 120), st.floats(0, 40)), st.floats(0, 200))
def test_a_bounded_distance_is_the_distance_up_to_its_bound(ends, box, bound):
    """The label search asks "is another line within 1.5 times its own's distance?" with
    that as the search's bound (a nearer answer, or one just past it), as ``_box_gap`` and
    ``_point_box`` are written out inside ``_distance``: both must say what the plain
    measure says, but within rounding of the bound (a segment's box gap and its measured
    distance may differ in the last bits: hypothesis found 7.5e-197 against 0.0)."""
    import math
    from lablink_diagrams.render import edge_labels as el
    from lablink_diagrams.render.geometry import point_segment, segment_meets_box
    line = [_seg((x1, y1), (x2, y2)) for x1, y1, x2, y2 in ends]
    b = (box[0], box[1], box[0] + box[2], box[1] + box[3])
    plain = el._distance(b, line)
    if abs(plain - bound) > 1e-9:
        assert (plain <= bound) == (el._distance(b, line, math.nextafter(bound, math.inf)) <= bound)
    corners = [(b[0], b[1]), (b[2], b[1]), (b[0], b[3]), (b[2], b[3])]
    exact = min(0.0 if segment_meets_box(s[4], s[5], b) else min(
        [el._point_box(s[4], b), el._point_box(s[5], b)] + [point_segment(c, s[4], s[5]) for c in corners]) for s in line)
    assert math.isclose(plain, exact, rel_tol=1e-9, abs_tol=1e-9)


_near = st.floats(-30, 30, allow_nan=False)  # beside a line along x = 0: gaps around every threshold


@given(st.lists(st.tuples(_near, st.floats(0, 300)), min_size=1, max_size=40),
       st.lists(st.tuples(_near, _coord, _near, _coord), min_size=1, max_size=6),
       st.sampled_from([6.0, 10.0, 12.0, 18.0]), st.lists(st.tuples(_near, _coord), max_size=2))
def test_the_quick_gap_test_agrees_with_the_measured_gap(points, lines, target, ends):
    """Side-by-side candidates are turned away on the gap before the costly checks; the
    quick test (early exits) must say what the measured gap says, and the grid's nearest
    distance what geometry.point_segment says."""
    from lablink_diagrams.render import edge_runs as er
    from lablink_diagrams.render.geometry import point_segment
    flat = [(p, n % 3) for n, p in enumerate(sorted(points, key=lambda p: p[1]))]
    grid = er._Grid([((x1, y1), (x2, y2)) for x1, y1, x2, y2 in lines])
    segs = {0, 2}
    assert er._gap_clear(flat, segs, grid, ends, target) == (er._gap(flat, segs, grid, ends, target) >= target - 0.5)
    for p in points:
        assert grid.near(p, target) == min([point_segment(p, (x1, y1), (x2, y2)) for x1, y1, x2, y2 in lines] + [target])


def test_bezier_samples_each_cubic_piece_evenly():
    from lablink_diagrams.render.geometry import bezier
    straight = bezier([(0, 0), (10, 0), (20, 0), (30, 0), (30, 10), (30, 20), (30, 30)], steps=3)
    expected = [(0, 0), (10, 0), (20, 0), (30, 0), (30, 10), (30, 20), (30, 30)]
    assert [pytest.approx(p) for p in straight] == expected


@pytest.mark.parametrize("backend, listed", [
    ("graphviz", ("cluster_titles.py", "dot_ends.py", "dot_halos.py", "dot_joints.py", "dot_key.py", "dot_labels.py", "dot_leading.py", "dot_room.py", "dot_runs.py", "dot_strays.py", "edge_strays.py",
                  "dot_untangle.py", "edge_ends.py", "edge_labels.py", "edge_runs.py", "edge_swaps.py", "geometry.py", "key_spot.py", "label_reflow.py",
                  "font_widths.py")),
    ("plantuml", ("plantuml_ends.py", "plantuml_runs.py", "edge_runs.py", "edge_swaps.py", "plantuml_slides.py", "plantuml_titles.py", "plantuml_labels.py", "plantuml_frames.py", "plantuml_messages.py", "plantuml_patches.py",
                  "edge_ends.py", "edge_labels.py", "geometry.py", "plantuml_key.py", "key_spot.py", "label_reflow.py", "font_widths.py",
                  "plantuml_columns.py", "plantuml_rewrap.py", "plantuml_guard_wrap.py")),
])
def test_every_module_that_edits_a_layout_is_in_the_cache_identity(backend, listed):
    """A cached picture is redrawn when the code that edited it changes: every render
    module a backend reaches (but the process, raster and cache plumbing) is digested."""
    import ast
    from lablink_diagrams.render import tools

    plumbing = {"proc", "raster", "errors", "jobs", "tools", "pdf", "png", "cache", "plantuml_pipe"}
    seen, todo = set(), [backend]
    while todo:
        name = todo.pop()
        tree = ast.parse((tools.HERE / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [a.name for a in node.names]
                for n in names:
                    if n not in seen and n not in plumbing and (tools.HERE / f"{n}.py").exists():
                        seen.add(n)
                        todo.append(n)
    assert {f"{n}.py" for n in seen} <= set(listed)
    digest = tools.code_digest(*listed)
    assert f"post={digest}" == getattr(__import__(f"lablink_diagrams.render.{backend}", fromlist=["_"]), "_POSTPASS")


def test_code_digest_changes_with_the_code(tmp_path, monkeypatch):
    from lablink_diagrams.render import tools
    (tmp_path / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(tools, "HERE", tmp_path)
    before = tools.code_digest("a.py")
    (tmp_path / "a.py").write_text("x = 2\n")
    assert tools.code_digest("a.py") != before


def test_a_label_does_not_move_up_against_another_label():
    from lablink_diagrams.render import edge_labels as el
    edge = [_seg((100, 0), (100, 400))]
    walls = [_seg((0, 200), (400, 200)), (0, 212, 400, 400), (0, 0, 400, 140), (0, 0, 99, 400), (195, 0, 400, 400)]
    above = el.Label((104, 150, 190, 170), 0)
    struck = el.Label((104, 190, 190, 210), 0)
    assert el.moves([above, struck], [edge], walls, (0, 0, 400, 400)) == [None, None]  # stacked 4 under it
    assert el.moves([struck], [edge], walls, (0, 0, 400, 400)) == [(0.0, -16.0)]  # alone: the slot


def test_a_label_about_as_near_another_edge_moves_nearer_its_own():
    from lablink_diagrams.render import edge_labels as el
    own, other = [_seg((100, 0), (100, 400))], [_seg((160, 0), (160, 400))]
    between = el.Label((110, 190, 150, 210), 0)  # 10 from its edge, 10 from the other: either one's
    [(dx, dy)] = el.moves([between], [own, other], [], (0, 0, 400, 400))
    moved = (110 + dx, 190 + dy, 150 + dx, 210 + dy)
    assert el._distance(moved, own) + el.MARGIN < el._distance(moved, other)
    clear = el.Label((104, 190, 144, 210), 0)  # 4 from its own, 16 from the other: it stays
    assert el.moves([clear], [own, other], [], (0, 0, 400, 400)) == [None]


def test_an_ambiguous_label_is_not_nudged_nor_moved_up_to_a_node():
    """Review 22: 4-6 point nudges changed nothing a reader sees, and moves that ended a few
    points from a node or frame read worse than the doubt they settled."""
    from lablink_diagrams.render import edge_labels as el
    own, other = [_seg((100, 0), (100, 400))], [_seg((137, 0), (137, 400))]
    nearly = el.Label((108, 190, 128, 210), 0)  # 8 from its edge, 9 from the other; 4 points left settles it
    crowded = [_seg((70, 0), (70, 400))]  # and the far side of its edge taken too
    assert el.moves([nearly], [own, other, crowded], [], (0, 0, 400, 400)) == [None]
    # with the far side of its edge free, it is no nudge but a jump across, as far off its
    # edge as it was (review 81: monitoring's "1, 3" between its edge and 7's)
    assert el.moves([nearly], [own, other], [], (0, 0, 400, 400)) == [(-36.0, 0.0)]
    between = el.Label((110, 190, 150, 210), 0)
    far = [_seg((160, 0), (160, 400))]
    assert el.moves([between], [own, far], [], (0, 0, 400, 400))[0] is not None
    node = (40, 170, 48, 230)  # 6 points left of where it would go with nothing there
    [(dx, dy)] = el.moves([between], [own, far], [node], (0, 0, 400, 400))
    assert el._box_gap((110 + dx, 190 + dy, 150 + dx, 210 + dy), node) >= el.ROOM


def test_a_label_beside_a_crossing_moves_along_its_edge_away_from_it():
    """Review 83: monitoring's "10" stood 7 points off its edge, 13 off 6's, just past where
    10 crosses 5 and 6, under their labels: it read as a third message between check_gpu and
    nvidia-smi. Plain by distance (others more than twice as far), it is ambiguous by the
    crossing: it moves beside its edge to a spot CROSS or more from it."""
    from lablink_diagrams.render import edge_labels as el
    own, other = [_seg((100, 0), (100, 400))], [_seg((0, 150), (400, 150))]  # they cross at (100, 150)
    label = el.Label((107, 165, 127, 185), 0)  # 7 from its edge, 15 under the other, 15 from the crossing
    [move] = el.moves([label], [own, other], [], (0, 0, 400, 400))
    assert move is not None
    moved = (107 + move[0], 165 + move[1], 127 + move[0], 185 + move[1])
    assert el._point_box((100, 150), moved) >= el.CROSS and el._distance(moved, own) <= el.BESIDE + el.STEP
    far = el.Label((107, 265, 127, 285), 0)  # the same beside its edge, 80 from the crossing: stays
    assert el.moves([far], [own, other], [], (0, 0, 400, 400)) == [None]


def test_a_label_glued_between_two_lines_goes_where_it_is_plainly_its_own():
    """Review 83: api's "15" stood 2 px from its edge and 4 from 10's, where the two part,
    touching 10's line. A glued label steps off only on its own side and within 16 units,
    and there it would be nearer 10: it stayed. Glued and ambiguous with nowhere to step,
    it is searched again as an ambiguous label, OWN_GAP or more off its line."""
    from lablink_diagrams.render import edge_labels as el
    own, other = [_seg((100, 0), (100, 400))], [_seg((110, 0), (110, 400))]
    label = el.Label((102, 190, 108, 200), 0)  # 2 from its line, 2 from the other
    [move] = el.moves([label], [own, other], [], (0, 0, 400, 400))
    assert move is not None and move[0] < 0  # across its own line, away from the other
    moved = (102 + move[0], 190 + move[1], 108 + move[0], 200 + move[1])
    assert el._distance(moved, own) >= el.OWN_GAP and el._distance(moved, other) > 1.5 * el._distance(moved, own)
    alone = el.Label((102, 190, 108, 200), 0)  # glued, the other line far: steps off on its side
    [step] = el.moves([alone], [own, [_seg((300, 0), (300, 400))]], [], (0, 0, 400, 400))
    assert step is not None and step[0] > 0


def _nice_of_child(background: bool) -> tuple[int, str]:
    """The child's own nice value and its autogroup line ("" where the kernel has none)."""
    from lablink_diagrams.render import proc
    # the child reads its stdin first: the priority is set before run() writes to it
    rc, out, _ = proc.run(["sh", "-c", "read go; cat /proc/self/stat; echo; cat /proc/self/autogroup 2>/dev/null || true"],
                          input=b"go\n", timeout=10, backend="test", background=background)
    stat, _, group = out.decode().partition("\n")
    return int(stat.rsplit(")", 1)[1].split()[16]), group.strip()


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs Linux /proc")
def test_background_children_yield_the_cpu():
    """dot, rsvg-convert, mutool and the JVM run niced, their session's autogroup too
    (each child has a session of its own, which autogroup would weigh like the browser's);
    other children keep the parent's priority."""
    from lablink_diagrams.render.proc import BACKGROUND_NICE
    parent = os.getpriority(os.PRIO_PROCESS, 0)
    nice, group = _nice_of_child(background=True)
    assert nice == max(parent, BACKGROUND_NICE)  # lowered, never raised
    if group:
        assert group.endswith(f"nice {nice}"), group
    assert _nice_of_child(background=False)[0] == parent


def _edge(tail, head, *points):
    """A -Tjson edge drawn as one cubic piece through ``points`` (four control points)."""
    return {"tail": tail, "head": head, "_draw_": [{"op": "b", "points": [list(p) for p in points]}]}


def test_untangle_counts_two_edges_that_touch_and_part_as_a_bad_meeting():
    """Two edges that come within a few points without crossing read as one that forks
    (monitoring 7/10); the same curves further apart, or sharing a node, are fine."""
    from lablink_diagrams.render import dot_untangle as du

    left = _edge(0, 1, (0, 0), (40, 30), (40, 60), (0, 90))  # bulges right to x = 30
    for gap, bad in ((32, True), (45, False)):
        right = _edge(2, 3, (gap + 30, 0), (gap - 10, 30), (gap - 10, 60), (gap + 30, 90))  # bulges left
        layout = {"edges": [left, right]}
        found = du.crossings(layout)
        assert (du.bad_pairs(layout, found) == [(0, 1)]) is bad, (gap, found)
    shared = {"edges": [left, _edge(1, 3, (32 + 30, 0), (22, 30), (22, 60), (62, 90))]}
    assert du.bad_pairs(shared) == []


def test_untangle_counts_a_shallow_or_double_crossing_as_bad_and_a_steep_one_as_fine():
    from lablink_diagrams.render import dot_untangle as du

    down = _edge(0, 1, (0, 0), (0, 30), (0, 60), (0, 90))
    steep = _edge(2, 3, (-40, 40), (-10, 45), (10, 45), (40, 50))
    shallow = _edge(2, 3, (-10, 0), (-3, 30), (3, 60), (10, 90))
    twice = {"tail": 2, "head": 3, "_draw_": [{"op": "b", "points": [  # two straight pieces, each crossing steeply
        [-30, 10], [-10, 15], [10, 20], [30, 25], [10, 40], [-10, 55], [-30, 70]]}]}
    assert du.bad_pairs({"edges": [down, steep]}) == []
    assert du.bad_pairs({"edges": [down, shallow]}) == [(0, 1)]
    found = du.crossings({"edges": [down, twice]})
    assert len(found) == 2 and min(a for _, _, a in found) > du.SHALLOW, found
    assert du.bad_pairs({"edges": [down, twice]}) == [(0, 1)]


def test_untangle_takes_the_first_variant_without_a_bad_meeting_or_keeps_the_source():
    from lablink_diagrams.render import dot_untangle as du

    src = ('  "a" [label="A"];\n  "b" [label="B"];\n  "c" [label="C"];\n  "d" [label="D"];\n'
           '  "a" -> "c" [label="1"];\n  "b" -> "d" [label="2"];')
    objects = [{"_gvid": k, "name": n} for k, n in enumerate("abcd")]
    tangled = {"objects": objects, "edges": [_edge(0, 2, (0, 0), (0, 30), (0, 60), (0, 90)),
                                             _edge(1, 3, (-10, 0), (-3, 30), (3, 60), (10, 90))]}
    clear = {"objects": objects, "edges": [_edge(0, 2, (0, 0), (0, 30), (0, 60), (0, 90)),
                                           _edge(1, 3, (50, 0), (50, 30), (50, 60), (50, 90))]}
    steep = _edge(4, 5, (-40, 40), (-10, 45), (60, 45), (90, 50))  # crosses both edges of ``clear``, steeply
    busy = {"objects": objects, "edges": clear["edges"] + [steep]}
    asked = []

    def lay_out(variant):  # the first variant untangles but crosses more; the second is clear
        asked.append(variant)
        return busy if len(asked) == 1 else clear

    source, layout = du.untangle(src, tangled, lay_out)
    assert du.bad_pairs(busy) == [] and len(du.crossings(busy)) > len(du.crossings(tangled))
    assert (source, layout) == (asked[1], clear) and source != src
    assert asked[0].index('"b" -> "d"') < asked[0].index('"a" -> "c"')  # the edges reversed came first

    asked.clear()
    assert du.untangle(src, tangled, lambda v: asked.append(v) or tangled) == (src, tangled)
    assert 1 < len(asked) <= du.TRIES
    asked.clear()
    assert du.untangle(src, clear, lambda v: asked.append(v) or clear) == (src, clear) and asked == []


def test_untangle_variants_only_reorder_whole_one_line_statements():
    """A label holding quotes, brackets or an arrow stays inside its statement, and
    multi-line statements (HTML-like tables) and cluster lines never move."""
    from lablink_diagrams.render import dot_untangle as du

    src = ('subgraph "cluster_x" {\n  labeljust=l; label="x";\n  "a" [label="say \\"b\\" -> [c];"];\n'
           '  "b" [label=<<TABLE>\n<TR><TD>b</TD></TR></TABLE>>];\n  "c" [label="C"];\n  "d" [label="D \\" ["];\n}\n'
           '"a" -> "c" [label="1 \\" -> \\"];"];\n"d" -> "a" [label="2"];')
    objects = [{"_gvid": k, "name": n} for k, n in enumerate("abcd")]
    layout = {"objects": objects, "edges": [{"tail": 0, "head": 2}, {"tail": 3, "head": 0}]}
    found = du.variants(src, layout, [(0, 1)])
    lines = src.split("\n")
    assert len(found) == 2  # the edges reversed, then c and d swapped: a sits alone before b's table
    for variant in found:
        assert sorted(variant.split("\n")) == sorted(lines)
        assert variant.split("\n")[:5] == lines[:5] and variant != src
    assert found[1].split("\n")[5:7] == [lines[6], lines[5]]


def test_a_halo_across_a_frame_border_takes_each_side_fill():
    """A lifted label across a cluster's border: its halo is white outside and the
    cluster's tint inside (a clipped copy), not one white blotch on the tinted strip."""
    import re

    from lablink_diagrams.render import dot_halos

    edge = {"_draw_": [{"op": "b", "points": [[50, 0], [50, 60], [50, 140], [50, 200]]}],
            "_ldraw_": [{"op": "F", "size": 14}, {"op": "T", "pt": [90, 96], "align": "c", "width": 60}]}
    cluster = {"name": "cluster_a", "bb": "0,0,300,100", "fillcolor": "#f7f9fc", "_ldraw_": []}
    (found,) = dot_halos.halos({"objects": [cluster], "edges": [edge]}, {}, [])
    svg = ('<svg><g id="graph0" class="graph">\n<g id="edge1"><text text-anchor="middle" x="90" y="-96">1. go</text>\n'
           '</g>\n</g>\n</svg>')
    out = dot_halos.apply(svg, [found])
    assert re.findall(r' stroke="(#\w+)" stroke-width', out) == ["#ffffff", "#f7f9fc"]
    clip = re.search(r'<clipPath id="([^"]+)"><rect x="0" y="-100" width="300" height="100"/></clipPath>', out)
    assert clip and f'<g clip-path="url(#{clip.group(1)})"><text' in out
    filled = re.findall(r'<text (?![^>]*fill="none")[^>]*>1\. go</text>', out)
    assert out.count("1. go") == 3 and len(filled) == 1  # two outlines, the glyphs once, on top
    assert out.rindex("1. go") == out.index(filled[0]) + len(filled[0]) - len("1. go</text>")


def test_a_plantuml_halo_across_a_frame_border_takes_each_side_fill():
    """The same for PlantUML: a label lifted across a frame's border gets a clipped copy
    whose halo is the frame's fill, over one in the fill outside."""
    import re

    from lablink_diagrams.render import plantuml_labels

    cluster = '<g class="cluster"><rect x="100" y="0" width="200" height="300" fill="#F7F9FC" style=""/></g>'
    link = ('<g class="link"><path d="M0,150 C100,150 200,150 300,150" style="" fill="none"/>'
            '<text x="60" y="156" fill="#000" font-size="19" textLength="200" font-family="x">a long label</text></g>')
    blockers = ''.join(f'<g class="entity"><rect x="{x}" y="{y}" width="40" height="40" fill="#EEE"/></g>'
                       for x in range(0, 400, 40) for y in (90, 170))
    svg = plantuml_labels.place('<svg viewBox="0 0 400 300">' + cluster + link + blockers + '</svg>')
    assert "lablink-halos" in svg  # entities all round: no clear spot, so the label is lifted
    assert re.findall(r' stroke="(#\w+)" stroke-width', svg) == ["#FFFFFF", "#F7F9FC"]
    assert re.search(r'<clipPath id="[^"]+"><rect x="100" y="0" width="200" height="300"/></clipPath>', svg)


def test_a_label_too_tall_for_any_spot_joins_its_lines_where_two_fit():
    """cicd's "18. stage 1: / client VMs / 19. stage 2: / infrastructure" (PlantUML) hung
    over a frame border: four lines, with room for two between border and edge, and boxes
    above and below. Its lines join, a step per line, at the width of their words plus a
    space; no halo."""
    import re

    from lablink_diagrams.render import label_reflow, plantuml_labels
    from lablink_diagrams.render.geometry import overlaps, segment

    cluster = '<g class="cluster"><rect x="0" y="100" width="400" height="200" fill="#F7F9FC" style=""/></g>'
    words = [("1. one", 50), ("two", 30), ("2. three", 55), ("four", 35)]
    texts = "".join(f'<text x="{200 - w / 2}" y="{96 + 22 * k}" fill="#000" font-size="19" textLength="{w}" font-family="x">{t}</text>'
                    for k, (t, w) in enumerate(words))
    link = f'<g class="link"><path d="M0,170 C100,170 300,170 400,170" style="" fill="none"/>{texts}</g>'
    blockers = "".join(f'<g class="entity"><rect x="{x}" y="{y}" width="40" height="40" fill="#EEE"/></g>'
                       for x in range(0, 400, 40) for y in (40, 200))
    svg = plantuml_labels.place('<svg viewBox="0 0 400 300">' + cluster + link + blockers + "</svg>")
    drawn = re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*textLength="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    assert [d[3] for d in drawn] == ["1. one two", "2. three four"] and "lablink-halos" not in svg
    space = label_reflow.SPACE_EM * 19
    assert [float(d[2]) for d in drawn] == pytest.approx([80 + space, 90 + space], abs=1e-3)
    border, edge = segment((0, 100), (400, 100)), segment((0, 170), (400, 170))
    for x, y, w, _ in drawn:
        box = (float(x), float(y) - 0.8 * 19, float(x) + float(w), float(y) + 0.25 * 19)
        assert not overlaps(box, border) and not overlaps(box, edge)


def test_a_label_too_wide_for_its_frame_breaks_at_a_space_where_its_words_fit():
    """PlantUML's crd-connection set "16. run start-host" on one line down an edge inside
    the client container, too wide for the room between edge and border: it stood across
    the border at any height (review 53). Broken after its second word, each line as wide
    as its words set in DejaVu Sans Condensed, it fits beside its edge inside the frame."""
    import re

    from lablink_diagrams.render import plantuml_labels
    from lablink_diagrams.render.geometry import overlaps, segment

    frame = '<g class="cluster"><rect x="0" y="0" width="200" height="300" fill="#F7F9FC" style=""/></g>'
    link = ('<g class="link"><path d="M100,0 C100,100 100,200 100,300" style="" fill="none"/>'
            '<text x="105" y="156" fill="#000" font-size="19" textLength="149.588" font-family="x">16. run start-host</text></g>')
    svg = plantuml_labels.place('<svg viewBox="0 0 400 300">' + frame + link + "</svg>")
    drawn = re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*textLength="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    assert [d[3] for d in drawn] == ["16. run", "start-host"] and "lablink-halos" not in svg
    # PlantUML's own textLength of each line at 19 px (the font's advances, unkerned)
    assert [float(d[2]) for d in drawn] == pytest.approx([61.295, 82.865], abs=0.01)
    assert float(drawn[1][1]) - float(drawn[0][1]) == pytest.approx(22.117, abs=0.01)  # PlantUML's line pitch
    for x, y, w, _ in drawn:
        box = (float(x), float(y) - 0.8 * 19, float(x) + float(w), float(y) + 0.25 * 19)
        assert box[0] > 101 and box[2] < 199, box  # beside its edge, inside the frame
        assert not overlaps(box, segment((200, 0), (200, 300)))
    # a step's number keeps its first word: there is no line "16." whatever the room
    assert not any(d[3].strip() == "16." for d in drawn)


def test_a_dot_title_struck_all_along_its_band_goes_to_the_bottom_of_its_frame():
    """A title about as wide as its frame, with an edge entering the frame through it,
    has no clear spot in its band (review 55: seven titles). It goes to the bottom of the
    frame when the layout run that follows shows it clear there; a bottom no better keeps
    the top, and a figure with no struck title costs no layout run."""
    from lablink_diagrams.render import cluster_titles

    edge = {"_draw_": [{"op": "b", "points": [[60, 140], [60, 120], [60, 100], [60, 60]]}]}  # down into the frame

    def frame(title_y):
        return {"name": "cluster_a", "bb": "10,0,110,100",
                "_ldraw_": [{"op": "F", "size": 16}, {"op": "T", "pt": [55, title_y], "align": "c", "width": 80}]}
    top, bottom = {"objects": [frame(90)], "edges": [edge]}, {"objects": [frame(6)], "edges": [edge]}
    source = 'subgraph "cluster_a" {\n  labeljust=l; label="a";'
    runs = []

    def relayout(s):
        runs.append(s)
        return bottom if "labelloc=b" in s else top
    assert cluster_titles.struck_everywhere(top) == ["cluster_a"] and cluster_titles.struck_everywhere(bottom) == []
    src, layout = cluster_titles.lower(source, top, relayout)
    assert src == 'subgraph "cluster_a" {\n  labeljust=l; labelloc=b; label="a";' and layout is bottom and len(runs) == 1
    assert cluster_titles.apply(src, {"cluster_a": "r"}).count("labeljust=r; labelloc=b;") == 1  # a side still applies
    assert cluster_titles.lower(source, top, lambda s: top) == (source, top)  # no better at the bottom
    clear = {"objects": [frame(90)], "edges": []}
    assert cluster_titles.lower(source, clear, lambda s: 1 / 0) == (source, clear)


def test_a_struck_dot_title_sits_on_a_patch_inside_its_frame():
    """An edge through a frame title showed between its letters under a halo and read as
    striking it (review 49). The title sits on a patch of its frame's fill, over its words
    and clear of the frame's top border, so the edge passes under it; not where an edge
    runs along it."""
    from lablink_diagrams.render import dot_halos

    curve = [{"op": "b", "points": [[120, 300], [120, 250], [120, 150], [120, 50]]}]
    title = [{"op": "F", "size": 16}, {"op": "T", "pt": [100, 183], "align": "c", "width": 160, "text": "a frame"}]
    cluster = {"name": "cluster_a", "bb": "10,20,300,200", "fillcolor": "#f7f9fc", "_ldraw_": title}
    [halo] = dot_halos.halos({"objects": [cluster], "edges": [{"_draw_": curve}]}, {}, [])
    x1, y1, x2, y2 = halo.patch
    assert halo.fill == "#f7f9fc" and x1 <= 20 and x2 >= 180  # the words, end to end
    assert y1 <= 183 - 0.24 * 16 and 183 + 0.76 * 16 <= y2 < 200  # ascent to descent, under the border (y up)
    svg = dot_halos.apply('<svg><g>\n<text text-anchor="middle" x="100" y="-183">a frame</text>\n</g>\n</svg>', [halo])
    assert svg.index('fill="#f7f9fc" stroke="none"/>') < svg.index(">a frame<")
    # an edge along the title would seem to end at the frame under a patch (review 21): a halo only
    along = [{"op": "b", "points": [[0, 186], [60, 186], [140, 186], [240, 186]]}]
    [halo] = dot_halos.halos({"objects": [cluster], "edges": [{"_draw_": along}]}, {}, [])
    assert halo.patch is None


def test_a_plantuml_title_whose_patch_would_cut_an_arrowhead_keeps_its_halo():
    """main's "Allocator EC2 (lablink-template)": edge 1 strikes it and its arrowhead ends a
    pixel under the words. A patch there would cut the head; the title still lifts, on its
    halo alone (review 50: with neither it stayed struck, ink over ink)."""
    from lablink_diagrams.render import plantuml_titles

    frame = ('<g class="cluster"><rect x="0" y="0" width="300" height="200" fill="#F7F9FC"/>'
             '<text x="3" y="18" fill="#000" font-size="19" textLength="90" font-family="x">a frame</text></g>')
    head = '<polygon points="36,23.5,44,23.5,40,30,36,23.5" fill="#181818"/>'  # under the descenders, in the patch
    link = f'<g class="link"><path d="M40,-50 C40,-20 40,0 40,23" style=""/>{head}</g>'
    out = plantuml_titles.lift("<svg><g>" + frame + link + "</g></svg>")
    lifted = out[out.index("lablink-halos"):]
    assert 'paint-order="stroke">a frame</text>' in lifted and 'stroke="none"/>' not in lifted


def test_a_dot_label_at_the_drawings_edge_may_step_into_the_pad():
    """dot's box of the drawing ends at its outermost label, and the template pads 0.3 in
    around it: a label glued to its edge there (main's "16. connect with PIN") steps off
    into the pad, never past PAD_USED."""
    from lablink_diagrams.render import dot_labels
    edge = {"_draw_": [{"op": "b", "points": [[50, 0], [50, 60], [50, 140], [50, 200]]}],
            "_ldraw_": [{"op": "F", "size": 14}, {"op": "T", "pt": [80.5, 96], "align": "c", "width": 60, "text": "16."}]}
    layout = {"bb": "0,0,110.5,200", "objects": [], "edges": [edge]}  # the label ends at the box's right
    [(anchors, dx, dy)] = dot_labels.label_moves(layout, {})
    assert dy == 0 and dot_labels.edge_labels.OWN_GAP <= 0.5 + dx and dx <= dot_labels.PAD_USED


def test_a_wide_ambiguous_label_goes_on_to_a_spot_its_middle_is_nearer_its_own_edge():
    """vm-provisioning's "6. state lock + read/write" sat 10 points from edge 7 and 19 from
    its own: the nearest spot that was plain by its text still had its middle nearer the
    other edge, and the search stopped there. It goes on, to a spot 5 points or more off
    its own line (main's 8 had gone on to touch it)."""
    from lablink_diagrams.render import edge_labels as el
    own, other = [_seg((100, 0), (100, 400))], [_seg((200, 0), (200, 400))]
    wide = el.Label((130, 190, 190, 210), 0)  # 30 from its edge, 10 from the other
    [(dx, dy)] = el.moves([wide], [own, other], [], (0, 0, 400, 400))
    moved = (130 + dx, 190 + dy, 190 + dx, 210 + dy)
    centre = ((moved[0] + moved[2]) / 2, (moved[1] + moved[3]) / 2) * 2
    assert 1.5 * el._distance(centre, own) < el._distance(centre, other)
    assert el._distance(moved, own) >= el.OWN_GAP


def test_mermaid_back_marks_are_the_views_back_edges():
    """The template marks a back edge with a comment line and mermaid_back reads it by the
    edge's exact form: if the two drift apart, no back edge can be laid out against the flow."""
    from lablink_diagrams import mechanisms
    from lablink_diagrams.backends import mermaid as mm
    from lablink_diagrams.emit import emit
    from lablink_diagrams.render import mermaid_back
    from lablink_diagrams.views import build_view

    total = 0
    for d in mechanisms.select(all_=True):
        if "architecture" not in d.views:
            continue
        view = build_view(d, "architecture")
        source = emit(d, "mermaid", "architecture")
        want = [[mm.node_id(e.source), mm.node_id(e.target)] for e in view.edges if e.back]
        assert mermaid_back.pairs(source) == want, d.name
        flipped = mermaid_back.flip(source)
        assert "%% back" not in flipped and flipped.count("<-->") + flipped.count("<-.->") == len(want), d.name
        total += len(want)
    assert total == 19  # main 2, vm-provisioning 1, crd-connection 6, logging 3, cicd 1, network 3, monitoring 1, data 2


def test_a_split_figures_pngs_wait_for_every_part_and_a_failed_part_keeps_them_out_of_the_cache(tmp_path, monkeypatch):
    """together.Together holds a group's PNGs until its last part is in; parts that shrank
    less than the most-shrunk one are drawn again at its scale; a group with a failed part
    is written but not cached (its scale came from only some parts)."""
    from lablink_diagrams.render import raster, together as together_mod
    from lablink_diagrams.render.errors import RenderFailed

    drawn = []
    monkeypatch.setattr(raster, "png_from_pdf", lambda mutool, pdf, dpi, **kw: drawn.append((pdf, kw["shrink"])) or b"again")
    page = lambda w, h: f"%PDF-1.5 /MediaBox [0 0 {w} {h}]".encode()  # noqa: E731
    jobs = [RenderJob("dot", f"digraph{{{i}}}", "png", tmp_path / f"p{i}.png", together="g") for i in range(3)]
    t = together_mod.Together(jobs, "mutool", 10.0)
    assert all(t.holds(j) for j in jobs) and not t.holds(RenderJob("dot", "digraph{}", "png", tmp_path / "x.png"))
    assert t.add(jobs[0], b"own0", page(1008, 360), 300, 0.1, "") == []     # 14 in wide: 0.5
    assert t.add(jobs[0], b"own0", page(1008, 360), 300, 0.1, "") == []     # told twice: counted once
    assert t.add(jobs[1], b"own1", page(360, 360), 300, 0.1, "") == []      # 5 in: fits at 1.0
    parts = t.add(jobs[2], b"own2", page(2016, 360), 300, 0.1, "")          # 28 in: 0.25, the least
    assert [(p.job.out.name, p.data, p.whole) for p in parts] == [("p0.png", b"again", True), ("p1.png", b"again", True),
                                                                  ("p2.png", b"own2", True)]
    assert [s for _, s in drawn] == [0.25, 0.25]
    t = together_mod.Together(jobs[:2], "mutool", 10.0)
    t.add(jobs[0], b"own0", page(1008, 360), 300, 0.1, "")
    parts = t.add(jobs[1], None, None, None, 0.1, "", RenderFailed("dot", "boom"))
    assert [(p.data, p.error is not None, p.whole) for p in parts] == [(b"own0", False, False), (None, True, False)]


# -- plantuml_columns: a split figure's parts in one set of columns ---------------------------

def _part(title, *aliases):
    decl = "".join(f'participant "{a.upper()}" as {a}\n' for a in aliases)
    return f"@startuml\nskinparam arrowFontSize 19\nhide footbox\ntitle {title}\n{decl}{aliases[0]} -> {aliases[1]} : m\n@enduml\n"


def _drawn(xs, bottom=300.0, width=400, height=320, box=None):
    """A PlantUML sequence SVG as the columns module reads it: a root, an optional box, lifelines."""
    body = ""
    if box:
        body += (f'<rect x="{box[0]}" y="11" width="{box[1]}" height="{bottom - 11}" fill="#F6F8FB" '
                 'style="stroke:#181818;stroke-width:0.5;" rx="4" ry="4"/>')
    for x in xs:
        body += (f'<g><title>p</title><rect x="{x - 4}" y="40" width="8" height="{bottom - 40}" fill="#000" fill-opacity="0"/>'
                 f'<line x1="{x}" y1="40" x2="{x}" y2="{bottom}" style="stroke:#181818;stroke-width:0.5;stroke-dasharray:5,5;"/></g>')
    return (f'<svg style="width:{width}px;height:{height}px;background:#FFFFFF;" width="{width}px" height="{height}px" '
            f'viewBox="0 0 {width} {height}"><defs/><rect x="10" y="12" width="5" height="5" fill="#fff"/>{body}</svg>')


def test_parts_short_of_the_widest_columns_are_drawn_again_then_cut_to_their_height():
    from lablink_diagrams.render.plantuml_columns import Aligner, lifelines

    one, two = _part("1", "a", "b", "c"), _part("2", "a", "b", "c")
    al = Aligner([[one, two]])
    assert al.holds(one) and al.holds(two) and not al.holds(_part("x", "a", "b"))
    assert al.drawn(one, _drawn([30, 130, 170])) == ([], [])  # waits for its figure's other part
    again, ready = al.drawn(two, _drawn([30, 80, 280]))
    assert ready == [] and len(again) == 2  # each is short of one gap
    assert all("a -[hidden]> b" in t and "b -[hidden]> c" in t for t in again)
    assert al.holds(again[0])
    # drawn again: the columns as asked, 40 px taller for the hidden rows, which are cut away
    assert al.drawn(again[0], _drawn([30, 130, 330], bottom=340, height=360, width=420)) == ([], [])
    _, ready = al.drawn(again[1], _drawn([30, 130, 330], bottom=340, height=360, width=410))
    assert [s for s, _ in ready] == [one, two]
    for _, svg in ready:
        assert lifelines(svg) == [(30.0, 40.0, 300.0), (130.0, 40.0, 300.0), (330.0, 40.0, 300.0)]
        assert 'viewBox="0 0 420 320"' in svg  # one width (the widest), the first height
    assert al.finished([one, two], [s for _, s in ready]) == [s for _, s in ready]


def test_a_part_drawn_again_that_fails_or_cannot_be_cut_keeps_its_first_drawing():
    from lablink_diagrams.render.plantuml_columns import Aligner

    one, two = _part("1", "a", "b"), _part("2", "a", "b")
    al = Aligner([[one, two]])
    first = {one: _drawn([30, 130]), two: _drawn([30, 80])}
    al.drawn(one, first[one])
    (again,), _ = al.drawn(two, first[two])
    _, ready = al.drawn(again, None)  # the JVM failed on it
    assert dict(ready) == first
    al = Aligner([[one, two]])
    al.drawn(one, first[one])
    (again,), _ = al.drawn(two, first[two])
    _, ready = al.drawn(again, _drawn([30, 130], bottom=280))  # shorter than before: not ours to cut
    assert dict(ready) == first


def test_parts_with_other_casts_or_a_failed_part_keep_their_own_columns():
    """Blind review 89 preferred monitoring's narrow part 2 (two of four lifelines) to one
    holding idle lifelines for the columns' sake; a part that failed leaves nothing to align to."""
    from lablink_diagrams.render.plantuml_columns import Aligner

    one, two = _part("1", "a", "b", "c"), _part("2", "a", "c")
    al = Aligner([[one, two]])
    al.drawn(one, _drawn([30, 130, 170]))
    assert al.drawn(two, _drawn([30, 280])) == ([], [(one, _drawn([30, 130, 170])), (two, _drawn([30, 280]))])
    three = _part("3", "a", "b", "c")
    al = Aligner([[one, three]])
    al.drawn(one, None)
    assert al.drawn(three, _drawn([30, 80, 280])) == ([], [(three, _drawn([30, 80, 280]))])


def test_aligned_parts_get_each_box_as_wide_as_in_any_part():
    from lablink_diagrams.render.plantuml_columns import Aligner, _boxes

    one, two = _part("1", "a", "b"), _part("2", "a", "b")
    al = Aligner([[one, two]])
    al.drawn(one, _drawn([30, 130], box=(20, 150)))
    (again,), _ = al.drawn(two, _drawn([30, 100], box=(15, 100)))
    _, ready = al.drawn(again, _drawn([30, 130], bottom=320, height=340, box=(15, 130)))
    assert [[(b[1], b[2]) for b in _boxes(svg)] for _, svg in ready] == [[(15.0, 155.0)], [(15.0, 155.0)]]


def test_a_rewrapped_message_keeps_its_escapes_and_nothing_else_changes():
    """Only the struck message's line changes; its words keep their escapes (a label is data:
    "<U+0021>include" stays an escape, never PlantUML's directive), a note with the same words
    is left alone, and a message whose one word is wider than the room, or that would take
    more than MESSAGE_LINES lines, stays as it is."""
    from lablink_diagrams.render.plantuml_rewrap import rewrapped

    label = "7. POST <U+007B>host<U+007D> <U+0021>include <U+0025>getenv<U+0028><U+0029> on change"
    plain = "7. POST {host} !include %getenv() on change"
    src = ("@startuml\nskinparam arrowFontSize 19\nhide footbox\n"
           f"a -> b : {label}\nnote over a : {label}\nb --> a : {label}\n@enduml\n")
    out = rewrapped(src, {plain: (170, 19)})
    lines = out.splitlines()
    assert lines[:3] == src.splitlines()[:3] and lines[4] == f"note over a : {label}" and lines[6:] == ["@enduml"]
    for ln in (lines[3], lines[5]):
        head, text = ln.split(" : ", 1)
        assert head in ("a -> b", "b --> a") and text.replace("\\n", " ") == label and text.count("\\n") >= 2
        assert "!include" not in ln and "%getenv" not in ln
    assert rewrapped(src, {plain: (40, 19)}) is None  # "<U+0025>getenv<U+0028><U+0029>" alone is wider
    assert rewrapped(src, {plain: (120, 19)}) is None  # five lines: more than MESSAGE_LINES
    assert rewrapped(src, {"another text": (120, 19)}) is None
