"""The print routes: PDF from SVG (rsvg-convert), for the backends whose SVG is edited
after layout, and PNG from PDF, the one raster route of every backend: MuPDF's
`mutool draw` draws the vector PDF at the job's DPI into raw RGB, png.encode_rgb
writes the PNG.

One route means one look (same anti-aliasing, fonts from the PDF) and no
renderer-specific caps: Chromium screenshots stop at 16,384 px a side, and
cairo/libpng spent most of a 300 DPI render compressing. MuPDF draws the suite's
PDFs in 3.0 CPU-seconds where poppler's pdftoppm took 6.9, to the same pixels
but for sub-pixel glyph placement and colours rounded down by at most one level."""
from __future__ import annotations

import os
import tempfile

import isal

from . import pdf as pdfinfo
from . import png, proc
from .errors import RenderFailed, RendererMissing, one_line
from .tools import HERE, INSTALL, Toolchain, file_digest, fingerprint


def fit_scale(page_pt: tuple[float, float], area_in: tuple[float, float] | None) -> float:
    """How much a page must shrink to fit the print area; never enlarges.

    >>> fit_scale((504, 648), (7, 9))            # exactly 7 x 9 in
    1.0
    >>> fit_scale((1008, 360), (7, 9))           # 14 in wide: half size
    0.5
    >>> fit_scale((360, 1296), (7, 9))           # 18 in tall: half size
    0.5
    >>> fit_scale((2016, 2016), None)            # natural size asked for
    1.0
    """
    if area_in is None:
        return 1.0
    (w, h), (aw, ah) = page_pt, area_in
    return min(1.0, aw * 72 / w, ah * 72 / h)


def pdf_from_svg(rsvg: str, svg: bytes, *, timeout: float, backend: str, background: bool = False) -> bytes:
    """The SVG as a vector PDF of the same size; RenderFailed on any failure."""
    rc, out, err = proc.run([rsvg, "-f", "pdf"], input=svg, timeout=timeout, backend=backend, background=background)
    if rc != 0 or not out:
        raise RenderFailed(backend, "rsvg-convert: " + (one_line(err.decode("utf-8", "replace")) or f"rc={rc}"))
    return out


def png_from_pdf(mutool: str, pdf: bytes, dpi: int, *, timeout: float, backend: str,
                 fit: tuple[float, float] | None = None, background: bool = False,
                 shrink: float | None = None) -> bytes:
    """The PDF's first page as an RGB PNG at `dpi` (pHYs set); RenderFailed on any failure.

    `fit` (inches): the page is drawn at most that large at `dpi`, so a figure
    meant for a 7-inch column is 2,100 px wide at 300 DPI, not 12,000. `shrink`, if
    given, is the scale instead (a split figure's parts print at the least of theirs)."""
    try:
        (w, h) = page = pdfinfo.page_size(pdf)
    except ValueError as e:
        raise RenderFailed(backend, f"cannot size the PNG: {e}") from None
    scale = (fit_scale(page, fit) if shrink is None else shrink) * dpi / 72
    # One side in whole pixels, the other follows: given both, mutool keeps the aspect by
    # the smaller scale and the bound side comes out short of the area by a few pixels.
    tall = shrink is None and fit is not None and fit[1] * w < fit[0] * h
    size = ["-h", str(max(1, round(h * scale)))] if tall else ["-w", str(max(1, round(w * scale)))]
    # mutool reads only files: the PDF goes to a private temporary one, gone after. Its pixels
    # come back in a file too, read in one call: through a pipe, 64 KB at a time, a 300 DPI
    # page (~17 MB) cost our process twice the CPU (0.24 against 0.08 s for 14 pages).
    fd, path = tempfile.mkstemp(prefix="lablink-", suffix=".pdf")
    pixels = path[:-len(".pdf")] + ".ppm"
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pdf)
        rc, _, err = proc.run([mutool, "draw", "-q", *size, "-c", "rgb", "-F", "pnm", "-o", pixels, path, "1"],
                              input=b"", timeout=timeout, backend=backend, background=background)
        out = b""
        if rc == 0 and os.path.exists(pixels):
            with open(pixels, "rb") as f:
                out = f.read()
    finally:
        os.unlink(path)
        if os.path.exists(pixels):
            os.unlink(pixels)
    if rc != 0 or not out:
        raise RenderFailed(backend, "mutool draw: " + (_problem(err) or f"rc={rc}"))
    try:
        w, h, px = png.parse_ppm(out)
        return png.encode_rgb(w, h, px, dpi)
    except png.BadPNG as e:
        raise RenderFailed(backend, f"mutool draw gave no usable pixels for the PNG: {e}") from None


def _problem(err: bytes) -> str:
    """mutool's message without the ICC warning Debian's build prints on every run."""
    lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if "ICC support is not available" not in ln]
    return one_line("\n".join(lines))


def version(tools: Toolchain) -> str:
    """Cache identity of the raster route: the mutool binary, our encoder's code and its
    deflate (isal's version), and the shared scale of a split figure's parts (together.py)."""
    return (f"mutool={fingerprint(tools.mutool)}|isal={isal.__version__}|raster={file_digest(HERE / 'raster.py')}{file_digest(HERE / 'png.py')}"
            f"{file_digest(HERE / 'together.py')}")


def missing(tools: Toolchain, backend: str) -> RendererMissing | None:
    """RendererMissing if PNG output is impossible (no mutool), else None."""
    if tools.mutool:
        return None
    return RendererMissing(backend, INSTALL["mutool"], "mutool not found, needed for PNG")
