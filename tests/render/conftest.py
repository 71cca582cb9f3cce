import os
import pathlib
import stat
import zlib

import pytest

from lablink_diagrams.render import Toolchain, png


def _real_tools_ok() -> bool:
    t = Toolchain.discover()
    return bool(t.node and t.chromium and t.java and t.jar_ok() and t.dot and t.rsvg and t.mutool and t.mermaid_js.is_file())


def pytest_collection_modifyitems(config, items):
    if _real_tools_ok() or os.environ.get("LABLINK_REQUIRE_RENDERERS"):
        return
    skip = pytest.mark.skip(reason="renderers not installed (scripts/install-renderers.sh)")
    for item in items:
        if "renderer" in item.keywords and "tests/render" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture
def fake_exe(tmp_path):
    """Write an executable shell script and return its path."""
    def make(name: str, body: str) -> str:
        p = tmp_path / "bin" / name
        p.parent.mkdir(exist_ok=True)
        p.write_text("#!/bin/sh\n" + body + "\n")
        p.chmod(p.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return str(p)
    return make


@pytest.fixture
def no_tools(tmp_path):
    """A toolchain where nothing is installed."""
    return Toolchain(node_modules=tmp_path / "nm", node=None, chromium=None, java=None,
                     plantuml_jar=None, dot=None, rsvg=None)


def leftovers(folder: pathlib.Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


def png_pixels(png_bytes: bytes) -> tuple[int, int, bytes]:
    """Decode an unfiltered 8-bit RGB PNG (what encode_rgb writes) back to raw rows."""
    d = png.info(png_bytes)
    idat = b"".join(body for t, body in png.chunks(png_bytes) if t == b"IDAT")
    raw = zlib.decompress(idat)
    stride = d["width"] * 3 + 1
    assert all(raw[y * stride] == 0 for y in range(d["height"]))  # filter byte "none" on every row
    return d["width"], d["height"], b"".join(raw[y * stride + 1:(y + 1) * stride] for y in range(d["height"]))


def pdf_font_kinds(pdf: bytes) -> set[str]:
    """The font subtypes a PDF declares (Type0, TrueType, Type3...), read in its plain objects
    and in its Flate streams (object streams hold dictionaries too)."""
    import re
    texts = [pdf]
    for m in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", m.end())
        try:
            texts.append(zlib.decompressobj().decompress(pdf[m.end():end]))
        except zlib.error:
            continue  # not Flate (an image), or not compressed
    return {k.decode() for t in texts for k in re.findall(rb"/Type\s*/Font\b[^>]*?/Subtype\s*/(\w+)", t, re.S)} | \
           {k.decode() for t in texts for k in re.findall(rb"/Subtype\s*/(\w+)[^>]*?/Type\s*/Font\b", t, re.S)}
