"""PNG from PDF, the one raster route of every backend: pdftoppm draws the
vector PDF at the job's DPI into raw RGB, png.encode_rgb writes the PNG.

One route means one look (same anti-aliasing, fonts from the PDF) and no
renderer-specific caps: Chromium screenshots stop at 16,384 px a side, and
cairo/libpng spent most of a 300 DPI render compressing."""
from __future__ import annotations

from . import png, proc
from .errors import RenderFailed, RendererMissing, one_line
from .tools import HERE, INSTALL, Toolchain, file_digest, fingerprint


def png_from_pdf(pdftoppm: str, pdf: bytes, dpi: int, *, timeout: float, backend: str) -> bytes:
    """The PDF's first page as an RGB PNG at `dpi` (pHYs set); RenderFailed on any failure."""
    rc, out, err = proc.run([pdftoppm, "-r", str(int(dpi)), "-singlefile", "-f", "1", "-l", "1", "-"],
                            input=pdf, timeout=timeout, backend=backend)
    if rc != 0 or not out:
        raise RenderFailed(backend, "pdftoppm: " + (one_line(err.decode("utf-8", "replace")) or f"rc={rc}"))
    try:
        w, h, px = png.parse_ppm(out)
        return png.encode_rgb(w, h, px, dpi)
    except png.BadPNG as e:
        raise RenderFailed(backend, f"pdftoppm gave no usable pixels for the PNG: {e}") from None


def version(tools: Toolchain) -> str:
    """Cache identity of the raster route: the pdftoppm binary and our encoder's code."""
    return f"pdftoppm={fingerprint(tools.pdftoppm)}|raster={file_digest(HERE / 'raster.py')}{file_digest(HERE / 'png.py')}"


def missing(tools: Toolchain, backend: str) -> RendererMissing | None:
    """RendererMissing if PNG output is impossible (no pdftoppm), else None."""
    if tools.pdftoppm:
        return None
    return RendererMissing(backend, INSTALL["pdftoppm"], "pdftoppm not found, needed for PNG")
