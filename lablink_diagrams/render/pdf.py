"""PDF determinism and page size.

Chromium (Skia) and cairo stamp the render time into /CreationDate and
/ModDate: every digit of those dates is replaced with a fixed date of the same
length, so xref byte offsets stay valid. The page size (/MediaBox, which all
three producers write in plain text) tells the raster step how large the
figure is."""
from __future__ import annotations

import re

_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:([0-9]+)")
_FIXED = b"20000101000000"


def _fix(m: re.Match) -> bytes:
    digits = m.group(2)
    fixed = (_FIXED + b"0" * len(digits))[: len(digits)]
    return m.group(0)[: -len(digits)] + fixed


def normalise(data: bytes) -> bytes:
    if not data.startswith(b"%PDF-"):
        raise ValueError("not a PDF (missing %PDF- header)")
    return _DATE.sub(_fix, data)


_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([-+0-9.]+)\s+([-+0-9.]+)\s+([-+0-9.]+)\s+([-+0-9.]+)\s*\]")


def page_size(data: bytes) -> tuple[float, float]:
    """Width and height in points of the first /MediaBox; ValueError if there is none.

    >>> page_size(b"%PDF-1.5 ... /MediaBox [ 0 0 1145 1076.5 ] ...")
    (1145.0, 1076.5)
    >>> page_size(b"%PDF-1.5 /Type /Page")
    Traceback (most recent call last):
    ValueError: PDF has no readable /MediaBox
    """
    m = _MEDIABOX.search(data)
    try:
        x0, y0, x1, y1 = (float(v) for v in m.groups()) if m else ()
    except ValueError:
        raise ValueError("PDF has no readable /MediaBox") from None
    w, h = abs(x1 - x0), abs(y1 - y0)
    if not (w > 0 and h > 0):
        raise ValueError(f"PDF page has no area ({w} x {h} pt)")
    return w, h
