"""Room for edge labels that dot set across a cluster's border.

dot gives an edge label a rank of its own and sets it beside its edge, but it sizes and
keeps clear a cluster by the nodes in it, not by labels: a label can hang over a border
with nothing free near it, and the label pass can then only lift it over the border with
a halo (review 38a: vm-provisioning's 24 and 8, "bad"). Two remedies, each tried on a
layout that shows its case, to the labels of that case that the label pass would leave
lifted, and kept only if the figure then has fewer such lifted labels,
no more meetings of edges (dot_untangle) and prints at least MIN_SCALE as large:

- a label on an edge between two nodes of one cluster, across that cluster's border
  (``hanging``): an invisible point after the edge's tail, in its rank and cluster; dot
  keeps it a node gap away, on the side where it sets labels, and the cluster grows;
- a label across the border of a cluster that does not hold both its edge's ends
  (``straying``: the edge leaves it and dot keeps the edge out, not its label): the label
  becomes an ``xlabel``, which takes no rank and which dot sets after the layout beside
  its edge, clear of nodes and other labels; the label pass then moves it as any other.

Pure functions; the dot runs are the caller's ``lay_out``.
"""
from __future__ import annotations

import re

from . import cluster_titles, dot_labels, dot_untangle, edge_labels
from .dot_labels import text_lines
from .geometry import Box, union

PAD = 2.0  # points a label keeps inside its cluster's border
MIN_SCALE = 0.95  # the print size a remedy may cost the figure
SPACER = "lablink_room_"  # no model id starts so: they are n_…, g_…, note_…
_AREA = (7 * 72, 9 * 72)  # the aspect the check fits to (paper's print area)


def make_room(source: str, layout: dict, lay_out) -> tuple[str, dict]:
    """The source and its layout after each remedy that helped (``lay_out`` turns a source
    into its ``-Tjson`` layout); as given if none did."""
    watched, lifted = set(), None  # labels across a border (searched, not all), and those left lifted
    for found, remedy in ((hanging, with_spacers), (straying, with_xlabels)):
        if not found(layout):
            continue
        if lifted is None:
            watched = set(hanging(layout) + straying(layout))
            lifted = lifted_edges(layout, watched)
        edges = [e for e in found(layout) if e in lifted]  # a label the pass places well is left as it is
        variant = remedy(source, edges) if edges else source
        if variant == source:
            continue
        other = without_invisible_edges(lay_out(variant))
        more = set(hanging(other) + straying(other)) - watched  # any the variant sets across one
        if more:
            watched |= more
            lifted = lifted_edges(layout, watched)
        if (len(lifted_edges(other, watched)) < len(lifted)
                and len(dot_untangle.crossings(other)) <= len(dot_untangle.crossings(layout))
                and scale(other) >= MIN_SCALE * scale(layout)):
            source, layout, lifted = variant, other, None  # counted again on the new layout
    return source, layout


def hanging(layout: dict) -> list[tuple[str, str]]:
    """(tail, head) names of the edges whose label crosses the border of the innermost
    cluster holding both their ends (invisible spacer clusters do not count).

    >>> nodes = [{"_gvid": 0, "name": "a"}, {"_gvid": 1, "name": "b"}]
    >>> frame = {"_gvid": 2, "name": "cluster_c", "bb": "0,0,100,200", "nodes": [0, 1]}
    >>> label = [{"op": "F", "size": 14}, {"op": "T", "pt": [90, 96], "align": "c", "width": 40, "text": "1. go"}]
    >>> layout = {"objects": nodes + [frame], "edges": [{"tail": 0, "head": 1, "_ldraw_": label}]}
    >>> hanging(layout), straying(layout)  # the label runs from x=70 to 110, over the border at x=100
    ([('a', 'b')], [])
    >>> frame["nodes"] = [0]                # b outside: the edge leaves the cluster
    >>> hanging(layout), straying(layout)
    ([], [('a', 'b')])
    >>> label[1]["pt"] = [60, 96]
    >>> hanging(layout), straying(layout)
    ([], [])
    """
    return [names for names, label, frames in _labelled(layout)
            if frames["both"] and _across(label, _bb(min(frames["both"], key=lambda f: len(f.get("nodes", ())))))]


def straying(layout: dict) -> list[tuple[str, str]]:
    """(tail, head) names of the edges whose label crosses the border of a cluster that does
    not hold both their ends."""
    return [names for names, label, frames in _labelled(layout) if any(_across(label, _bb(f)) for f in frames["other"])]


def with_spacers(source: str, edges: list[tuple[str, str]]) -> str:
    r"""A spacer after each edge's tail: declared on the line after the tail's own
    declaration (so in its cluster), ranked with it and ordered after it by an invisible
    edge. A node declaration is a line that starts with the quoted name and `` [``; a
    label cannot hold a raw newline, so no label text can take this pattern's place.

    >>> print(with_spacers('  "a" [label="x"];\n  "a" -> "b";', [("a", "b")]))
      "a" [label="x"];
      "lablink_room_0" [label="", shape=point, style=invis, width=0.01]; { rank=same; "a" -> "lablink_room_0" [style=invis]; }
      "a" -> "b";
    """
    for k, tail in enumerate(dict.fromkeys(tail for tail, _ in edges)):
        name = f'"{SPACER}{k}"'
        m = re.search(r'^([ \t]*)"' + re.escape(tail) + r'" \[.*$', source, re.M)
        if not m:
            continue
        line = (f'{m.group(1)}{name} [label="", shape=point, style=invis, width=0.01]; '
                f'{{ rank=same; "{tail}" -> {name} [style=invis]; }}')
        source = source[:m.end()] + "\n" + line + source[m.end():]
    return source


def with_xlabels(source: str, edges: list[tuple[str, str]]) -> str:
    r"""Each edge's ``label`` as an ``xlabel``, where exactly one statement joins its two
    ends in that order (the template writes an edge as ``"t" -> "h" [label=…``, on a line
    of its own).

    >>> with_xlabels('  "a" -> "b" [label="go"];\n  "b" -> "a" [label="back"];', [("a", "b")])
    '  "a" -> "b" [xlabel="go"];\n  "b" -> "a" [label="back"];'
    """
    for tail, head in dict.fromkeys(edges):
        statement = re.compile(r'^([ \t]*"' + re.escape(tail) + r'" -> "' + re.escape(head) + r'" \[)label=', re.M)
        if len(statement.findall(source)) == 1:
            source = statement.sub(r"\1xlabel=", source)
    return source


def lifted_labels(layout: dict, edges: set[tuple[str, str]] | None = None) -> int:
    """How many labels (of ``edges``, by tail and head names; default all) the label pass
    would leave struck by lines, to lift with a halo (dot_halos counts them on the layout as
    the later passes leave it)."""
    return len(lifted_edges(layout, edges))


def lifted_edges(layout: dict, edges: set[tuple[str, str]] | None = None) -> set[tuple[str, str]]:
    """The (tail, head) names of the edges, of ``edges`` (default all), whose label the label
    pass would leave lifted. Only those labels are searched; the others stay where dot set
    them, as obstacles."""
    labels, lines, fixed, bounds = dot_labels.scene(layout, cluster_titles.title_sides(layout))
    objects, all_edges = layout.get("objects", ()), layout.get("edges", ())
    names = [(objects[all_edges[label.line]["tail"]]["name"], objects[all_edges[label.line]["head"]]["name"])
             for label, _ in labels]
    only = None if edges is None else {i for i, n in enumerate(names) if n in edges}
    found = edge_labels.moves([l for l, _ in labels], lines, fixed, bounds, only)
    return {names[i] for i in edge_labels.lifted([l for l, _ in labels], lines, fixed, found) if only is None or i in only}


def without_invisible_edges(layout: dict) -> dict:
    """The layout without the spacers' edges: they draw nothing, and no later pass may
    take one for an edge (objects keep their places: edges name them by index)."""
    layout["edges"] = [e for e in layout.get("edges", ()) if "invis" not in str(e.get("style", ""))]
    return layout


def scale(layout: dict) -> float:
    """How much the figure shrinks to fit the print area (the 0.3 in pad included)."""
    x1, y1, x2, y2 = (float(v) for v in layout.get("bb", "0,0,1,1").split(","))
    return min(1.0, _AREA[0] / (x2 - x1 + 43.2), _AREA[1] / (y2 - y1 + 43.2))


def _labelled(layout: dict):
    """Each labelled edge: its (tail, head) names, its label's box, and the visible clusters
    that hold both its ends (``both``) or not (``other``)."""
    objects = layout.get("objects", ())
    frames = [o for o in objects if str(o.get("name", "")).startswith("cluster") and "bb" in o
              and "invis" not in str(o.get("style", ""))]
    for e in layout.get("edges", ()):
        texts = text_lines(e.get("_ldraw_", ()))
        if not texts:
            continue
        ends = {e.get("tail"), e.get("head")}
        both = [f for f in frames if ends <= set(f.get("nodes", ()))]
        yield ((objects[e["tail"]]["name"], objects[e["head"]]["name"]), union(tuple(b for _, b in texts)),
               {"both": both, "other": [f for f in frames if f not in both]})


def _bb(frame: dict) -> Box:
    return tuple(float(v) for v in frame["bb"].split(","))


def _across(label: Box, frame: Box) -> bool:
    """Does the label overlap the frame without sitting PAD inside it?"""
    meets = label[0] < frame[2] and frame[0] < label[2] and label[1] < frame[3] and frame[1] < label[3]
    inside = (frame[0] + PAD <= label[0] and label[2] <= frame[2] - PAD
              and frame[1] + PAD <= label[1] and label[3] <= frame[3] - PAD)
    return meets and not inside
