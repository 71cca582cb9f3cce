"""Rendering engine: the only place in lablink_diagrams that runs subprocesses.

    from lablink_diagrams.render import RenderJob, render, summarise, doctor, RendererMissing
    results = render([RenderJob("dot", text, "png", pathlib.Path("out/x.png"))])
    print(summarise(results))
"""
from .doctor import Check, doctor
from .engine import render, summarise
from .errors import RenderError, RenderFailed, RendererMissing, RenderTimeout
from .jobs import BadJob, RenderJob, Result
from .tools import Toolchain

__all__ = ["RenderJob", "Result", "render", "summarise", "doctor", "Check", "RendererMissing",
           "RenderFailed", "RenderTimeout", "RenderError", "BadJob", "Toolchain"]
