"""PNG post-processing in pure Python: set pHYs to the requested DPI and drop
chunks that make output non-deterministic (tEXt/zTXt/iTXt/tIME)."""
from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
DROP = {b"tEXt", b"zTXt", b"iTXt", b"tIME", b"pHYs"}


class BadPNG(ValueError):
    pass


def chunks(data: bytes):
    if not data.startswith(SIGNATURE):
        raise BadPNG("not a PNG (bad signature)")
    i = len(SIGNATURE)
    while i < len(data):
        if i + 8 > len(data):
            raise BadPNG("truncated PNG chunk header")
        (n,) = struct.unpack(">I", data[i : i + 4])
        ctype = data[i + 4 : i + 8]
        body = data[i + 8 : i + 8 + n]
        if len(body) != n or i + 12 + n > len(data):
            raise BadPNG(f"truncated PNG chunk {ctype!r}")
        yield ctype, body
        i += 12 + n
        if ctype == b"IEND":
            return
    raise BadPNG("PNG has no IEND chunk")


def _chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body) & 0xFFFFFFFF)


def dpi_to_ppm(dpi: float) -> int:
    return round(dpi / 0.0254)


def normalise(data: bytes, dpi: float) -> bytes:
    """Return `data` with exactly one pHYs (pixels per metre for `dpi`) right after IHDR
    and without text/time chunks."""
    out = [SIGNATURE]
    seen_ihdr = False
    for ctype, body in chunks(data):
        if ctype in DROP:
            continue
        out.append(_chunk(ctype, body))
        if ctype == b"IHDR":
            seen_ihdr = True
            ppm = dpi_to_ppm(dpi)
            out.append(_chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)))
    if not seen_ihdr:
        raise BadPNG("PNG has no IHDR chunk")
    return b"".join(out)


def info(data: bytes) -> dict:
    """Width, height, pHYs (ppm_x, ppm_y, unit) and chunk types — for tests and checks."""
    d: dict = {"types": []}
    for ctype, body in chunks(data):
        d["types"].append(ctype.decode("latin-1"))
        if ctype == b"IHDR":
            d["width"], d["height"] = struct.unpack(">II", body[:8])
        elif ctype == b"pHYs":
            d["phys"] = struct.unpack(">IIB", body)
    return d
