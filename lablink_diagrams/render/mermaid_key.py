"""A compact Mermaid flowchart's key, taken out of the layout (the worker sets it apart).

The key is one node, and dagre gives it a rank: crd-connection's 18 lines pushed its whole
drawing down by the key's height, and the figure, bound by its height, printed at 4.2 pt.
The worker lays the flowchart out without the key, draws the key alone, and sets it where
the figure prints largest (as key_spot.py does for DOT and PlantUML: a free corner, else
right of the drawing, else under it). The `.mmd` keeps the key as a node, for GitHub.
"""
from __future__ import annotations

import re

# the key as templates/mermaid/architecture.j2 writes it
_KEY = re.compile(r'^  key\["[^\n]*"\]\n', re.M)
_CLASS = re.compile(r"^  class key key\n", re.M)
_CLASSDEF = re.compile(r"^  classDef key [^\n]*\n", re.M)


def split(source: str) -> tuple[str, str | None]:
    """The flowchart without its key node (its classDef stays: the key, set apart, is styled
    by the figure's own CSS), and a flowchart of the key alone; (source, None) without a key.

    >>> src = 'flowchart TB\\n  a["A"]\\n  key["1. go<br>2. back"]\\n  a --> a\\n  classDef key fill:#fff\\n  class key key\\n'
    >>> main, key = split(src)
    >>> print(main, end="")
    flowchart TB
      a["A"]
      a --> a
      classDef key fill:#fff
    >>> print(key, end="")
    flowchart TB
      key["1. go<br>2. back"]
      classDef key fill:#fff
      class key key
    >>> split('flowchart TB\\n  a["A"]\\n')[1] is None
    True
    """
    key, cls, cdef = _KEY.search(source), _CLASS.search(source), _CLASSDEF.search(source)
    if not (key and cls and cdef):
        return source, None
    main = source[:key.start()] + source[key.end():]
    main = _CLASS.sub("", main, count=1)
    return main, "flowchart TB\n" + key.group(0) + cdef.group(0) + cls.group(0)
