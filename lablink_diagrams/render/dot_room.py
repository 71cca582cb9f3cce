"""Room in a cluster for an edge label that dot set across the cluster's border.

dot gives an edge label a rank of its own and sets it beside its edge, but it sizes a
cluster by the cluster's nodes, not by the labels of the edges inside it: a label on an
edge between two nodes of one cluster can hang over that cluster's border
(vm-provisioning's 24, review 38a: "bad"). Nothing near it is free, so the label pass
could only lift it over the border with a halo. Here an invisible point is set after the
edge's tail, in the tail's rank and cluster; dot keeps it a node gap away, on the side it
sets labels, and the cluster grows by that much. The new layout is taken only if it holds
more of those labels inside, meets no more edges in all (dot_untangle) and prints at
least MIN_SCALE as large. Pure functions; the dot run is the caller's ``lay_out``.
"""
from __future__ import annotations

import re

from . import dot_untangle
from .dot_labels import _texts
from .geometry import Box, union

PAD = 2.0  # points a label keeps inside its cluster's border
MIN_SCALE = 0.95  # the print size the figure may lose for its labels' room
SPACER = "lablink_room_"  # no model id starts so: they are n_…, g_…, note_…
_AREA = (7 * 72, 9 * 72)  # the aspect the check fits to (paper's print area)


def hanging(layout: dict) -> list[tuple[str, str]]:
    """(tail, head) names of the edges whose label crosses the border of the innermost
    cluster holding both their ends (invisible spacer clusters do not count).

    >>> nodes = [{"_gvid": 0, "name": "a"}, {"_gvid": 1, "name": "b"}]
    >>> frame = {"_gvid": 2, "name": "cluster_c", "bb": "0,0,100,200", "nodes": [0, 1]}
    >>> label = [{"op": "F", "size": 14}, {"op": "T", "pt": [90, 96], "align": "c", "width": 40, "text": "1. go"}]
    >>> layout = {"objects": nodes + [frame], "edges": [{"tail": 0, "head": 1, "_ldraw_": label}]}
    >>> hanging(layout)  # the label runs from x=70 to 110, over the border at x=100
    [('a', 'b')]
    >>> label[1]["pt"] = [60, 96]
    >>> hanging(layout)
    []
    """
    objects = layout.get("objects", ())
    frames = [o for o in objects if str(o.get("name", "")).startswith("cluster") and "bb" in o
              and "invis" not in str(o.get("style", ""))]
    out = []
    for e in layout.get("edges", ()):
        texts = _texts(e.get("_ldraw_", ()))
        ends = {e.get("tail"), e.get("head")}
        holding = [f for f in frames if ends <= set(f.get("nodes", ()))]
        if not texts or not holding:
            continue
        inner = min(holding, key=lambda f: len(f.get("nodes", ())))
        if _across(union(tuple(b for _, b in texts)), tuple(float(v) for v in inner["bb"].split(","))):
            out.append((objects[e["tail"]]["name"], objects[e["head"]]["name"]))
    return out


def make_room(source: str, layout: dict, lay_out) -> tuple[str, dict]:
    """The source with a spacer after the tail of each edge in ``hanging``, and its layout
    (``lay_out`` turns a source into its ``-Tjson`` layout, invisible edges dropped), if
    that layout is better by the module's rules; else both as given."""
    found = hanging(layout)
    if not found:
        return source, layout
    variant = with_spacers(source, [tail for tail, _ in found])
    if variant == source:
        return source, layout
    other = without_invisible_edges(lay_out(variant))
    if (len(hanging(other)) < len(found)
            and len(dot_untangle.crossings(other)) <= len(dot_untangle.crossings(layout))
            and scale(other) >= MIN_SCALE * scale(layout)):
        return variant, other
    return source, layout


def with_spacers(source: str, tails: list[str]) -> str:
    r"""A spacer after each tail: declared on the line after the tail's own declaration (so
    in its cluster), ranked with it and ordered after it by an invisible edge. A node
    declaration is a line that starts with the quoted name and `` [``; a label cannot
    hold a raw newline, so no label text can take this pattern's place.

    >>> print(with_spacers('  "a" [label="x"];\n  "a" -> "b";', ["a"]))
      "a" [label="x"];
      "lablink_room_0" [label="", shape=point, style=invis, width=0.01]; { rank=same; "a" -> "lablink_room_0" [style=invis]; }
      "a" -> "b";
    """
    for k, tail in enumerate(dict.fromkeys(tails)):
        name = f'"{SPACER}{k}"'
        m = re.search(r'^([ \t]*)"' + re.escape(tail) + r'" \[.*$', source, re.M)
        if not m:
            continue
        line = (f'{m.group(1)}{name} [label="", shape=point, style=invis, width=0.01]; '
                f'{{ rank=same; "{tail}" -> {name} [style=invis]; }}')
        source = source[:m.end()] + "\n" + line + source[m.end():]
    return source


def without_invisible_edges(layout: dict) -> dict:
    """The layout without the spacers' edges: they draw nothing, and no later pass may
    take one for an edge (objects keep their places: edges name them by index)."""
    layout["edges"] = [e for e in layout.get("edges", ()) if "invis" not in str(e.get("style", ""))]
    return layout


def scale(layout: dict) -> float:
    """How much the figure shrinks to fit the print area (the 0.3 in pad included)."""
    x1, y1, x2, y2 = (float(v) for v in layout.get("bb", "0,0,1,1").split(","))
    return min(1.0, _AREA[0] / (x2 - x1 + 43.2), _AREA[1] / (y2 - y1 + 43.2))


def _across(label: Box, frame: Box) -> bool:
    """Does the label overlap the frame without sitting PAD inside it?"""
    meets = label[0] < frame[2] and frame[0] < label[2] and label[1] < frame[3] and frame[1] < label[3]
    inside = (frame[0] + PAD <= label[0] and label[2] <= frame[2] - PAD
              and frame[1] + PAD <= label[1] and label[3] <= frame[3] - PAD)
    return meets and not inside
