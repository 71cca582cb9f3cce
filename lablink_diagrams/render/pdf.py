"""PDF determinism: Chromium (Skia) and cairo stamp the render time into
/CreationDate and /ModDate. Replace every digit of those dates with a fixed
date of the same length, so xref byte offsets stay valid."""
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
