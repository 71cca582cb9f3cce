"""Graphviz cluster titles moved off the edges that cross them.

dot draws a cluster's title where ``labeljust`` says (top left here) whatever runs
through that spot, and an edge entering a cluster from above often does: reviewers
found a struck title in most architecture figures. Where the title goes does not
change the layout (the band it sits in is reserved across the cluster's width), so
the renderer lays the graph out once (``-Tjson``), finds for each struck title the
first free spot of right and middle, and renders the source with that ``labeljust``.

A title about as wide as its cluster has no free spot in its band when an edge enters
there: review 55 found edges through seven such titles (network-flow's "External
(Google)", vm-provisioning's allocator container). Those go to the bottom of their frame
(``labelloc=b``), where flows leave a frame less often than they enter it. That moves
the frame's contents, so the graph is laid out again and the move kept only where fewer
titles are struck (``lower``). Pure functions; the dot runs stay in graphviz.py.
"""
from __future__ import annotations

import re
from typing import Callable

from .geometry import Box, bezier, overlaps, segment

TITLE_PAD = 3.0  # points of clearance around a title
_SIDES = ("l", "r", "c")  # the template's own choice first


def title_sides(layout: dict) -> dict[str, str]:
    """Cluster name → ``labeljust`` for each title that an edge, an edge label or an
    arrowhead crosses where the template put it, and that is free elsewhere.

    >>> edge = {"_draw_": [{"op": "b", "points": [[30, 100], [30, 80], [30, 60], [30, 0]]}]}
    >>> title = {"op": "T", "pt": [40, 90], "align": "c", "width": 40}
    >>> cluster = {"name": "cluster_a", "bb": "10,0,210,100", "_ldraw_": [{"op": "F", "size": 16}, title]}
    >>> title_sides({"objects": [cluster], "edges": [edge]})  # the edge runs down through x=30
    {'cluster_a': 'r'}
    >>> edge["_draw_"][0]["points"] = [[120, 100], [120, 80], [120, 60], [120, 0]]
    >>> title_sides({"objects": [cluster], "edges": [edge]})  # it runs down the middle: keep the left
    {}
    """
    obstacles = _obstacles(layout)
    sides: dict[str, str] = {}
    for c, spots in _titles(layout):
        free = [side for side in _SIDES if not any(overlaps(spots[side], o) for o in obstacles)]
        if free and free[0] != "l":  # struck at the left and free elsewhere; a title as wide as its cluster stays
            sides[c["name"]] = free[0]
        obstacles.append(spots[sides.get(c["name"], "l")])
    return sides


def struck_everywhere(layout: dict) -> list[str]:
    """The clusters whose title an edge, an edge label, an arrowhead or a node crosses at
    every spot of its band (left, right and middle), in the layout's order.

    >>> edge = {"_draw_": [{"op": "b", "points": [[60, 100], [60, 80], [60, 60], [60, 0]]}]}
    >>> title = {"op": "T", "pt": [55, 90], "align": "c", "width": 80}
    >>> cluster = {"name": "cluster_a", "bb": "10,0,110,100", "_ldraw_": [{"op": "F", "size": 16}, title]}
    >>> struck_everywhere({"objects": [cluster], "edges": [edge]})  # as wide as its cluster, an edge down the middle
    ['cluster_a']
    >>> struck_everywhere({"objects": [cluster], "edges": []})
    []
    """
    obstacles = _obstacles(layout)
    return [c["name"] for c, spots in _titles(layout)
            if all(any(overlaps(box, o) for o in obstacles) for box in spots.values())]


def _obstacles(layout: dict) -> list[Box]:
    """What a title must keep off: the edges (curves, arrowheads, labels) and the nodes."""
    obstacles = [box for e in layout.get("edges", ()) for box in edge_boxes(e)]
    return obstacles + [node_box(o) for o in layout.get("objects", ()) if "pos" in o and "width" in o]


def _titles(layout: dict):
    """Each titled cluster with its title's box at each side of its band (``_SIDES``)."""
    for c in layout.get("objects", ()):
        texts = [op for op in c.get("_ldraw_", ()) if op.get("op") == "T"]
        if not str(c.get("name", "")).startswith("cluster") or "bb" not in c or not texts:
            continue
        size = next((float(op["size"]) for op in c.get("_ldraw_", ()) if op.get("op") == "F"), 14.0)
        x1, _, x2, _ = (float(v) for v in c["bb"].split(","))
        yield c, {side: title_box(texts, size, x1, x2, side) for side in _SIDES}


def lower(source: str, layout: dict, relayout: Callable[[str], dict]) -> tuple[str, dict]:
    """The source and layout with each title struck everywhere in its top band set at the
    bottom of its frame, where that leaves fewer titles struck; one still struck there goes
    back to the top (a reader looks there first), if that leaves no more struck. A source
    and layout with no struck title come back as they were, with no layout run."""
    struck = struck_everywhere(layout)
    if not struck:
        return source, layout
    trial_source = lowered(source, struck)
    trial = relayout(trial_source)
    after = struck_everywhere(trial)
    if len(after) >= len(struck):
        return source, layout
    still = [name for name in after if name in struck]
    if still:
        back_source = lowered(source, [name for name in struck if name not in still])
        back = relayout(back_source)
        if len(struck_everywhere(back)) <= len(after):
            return back_source, back
    return trial_source, trial


def wrap(source: str, layout: dict, relayout: Callable[[str], dict]) -> tuple[str, dict]:
    """The source and layout with each title still struck everywhere in two lines, where
    that leaves fewer titles struck: half as wide, it has a free side in its band (cicd's
    "terraform-deploy.yml", wider than its one node, struck by the edge into the node at
    the top and grazed by one leaving it at the bottom). As given if none is, or none helps."""
    struck = struck_everywhere(layout)
    trial_source = wrapped(source, struck) if struck else source
    if trial_source == source:
        return source, layout
    trial = relayout(trial_source)
    if len(struck_everywhere(trial)) < len(struck):
        return trial_source, trial
    return source, layout


def wrapped(source: str, names: list[str]) -> str:
    r"""The source with each named cluster's title broken in two at the break nearest its
    middle: a space, or after a hyphen, underscore or slash. The template writes the title
    as the first ``label="…";`` of the line after ``subgraph "cluster_…" {``; a title with no
    break, or one whose text holds an escape, stays.

    >>> print(wrapped('subgraph "cluster_a" {\n    labeljust=l; label="terraform-deploy.yml";', ["cluster_a"]))
    subgraph "cluster_a" {
        labeljust=l; label="terraform-\ndeploy.yml";
    >>> wrapped('subgraph "cluster_a" {\n    labeljust=l; label="nobreak";', ["cluster_a"]).endswith('"nobreak";')
    True
    >>> wrapped('subgraph "cluster_a" {\n    labeljust=l; label="Client VM (×N)";', ["cluster_a"]).endswith('"Client VM\\n(×N)";')
    True
    """
    def broken(m: re.Match) -> str:
        text = m.group(2)
        if "\\" in text:
            return m.group(0)
        breaks = [i for i, ch in enumerate(text) if ch in "-_/" and 0 < i < len(text) - 1]
        spaces = [i for i, ch in enumerate(text) if ch == " " and 0 < i < len(text) - 1]
        # before a parenthesis first: "Client VM / (×N)", not "Client / VM (×N)" (review 83)
        aside = [i for i in spaces if text[i + 1] == "("]
        at = min(aside or breaks + spaces, key=lambda i: (abs(2 * i + 1 - len(text)), i), default=None)
        if at is None:
            return m.group(0)
        head, tail = (text[:at], text[at + 1:]) if at in spaces else (text[:at + 1], text[at + 1:])
        return f'{m.group(1)}{head}\\n{tail}";'
    for name in names:
        source = re.sub(r'(subgraph "' + re.escape(name) + r'" \{\n[^\n]*?\blabel=")([^"\n]*)";', broken, source, count=1)
    return source


def lowered(source: str, names: list[str]) -> str:
    """The source with each named cluster's title at its bottom (after its ``labeljust``,
    which ``apply`` finds at the head of the cluster's attributes).

    >>> lowered('subgraph "cluster_a" {\\n    labeljust=l; label="x";', ["cluster_a"])
    'subgraph "cluster_a" {\\n    labeljust=l; labelloc=b; label="x";'
    """
    for name in names:
        source = re.sub(r'(subgraph "' + re.escape(name) + r'" \{\n[ \t]*labeljust=l;)',
                        lambda m: m.group(1) + " labelloc=b;", source, count=1)
    return source


def apply(source: str, sides: dict[str, str]) -> str:
    """Set each chosen cluster's ``labeljust``. The template writes ``labeljust=l;``
    first on the line after ``subgraph "cluster_…" {``; a label cannot hold a raw
    newline, so no label text can take this pattern's place.

    >>> apply('subgraph "cluster_a" {\\n    labeljust=l; label="labeljust=l;";', {"cluster_a": "r"})
    'subgraph "cluster_a" {\\n    labeljust=r; label="labeljust=l;";'
    """
    for name, side in sorted(sides.items()):
        source = re.sub(r'(subgraph "' + re.escape(name) + r'" \{\n[ \t]*)labeljust=l;',
                        lambda m: m.group(1) + f"labeljust={side};", source, count=1)
    return source


def title_box(texts: list[dict], size: float, x1: float, x2: float, side: str) -> Box:
    width = max(float(t["width"]) for t in texts)
    left_x = min(float(t["pt"][0]) - float(t["width"]) / 2 for t in texts)  # as dot placed it (labeljust=l)
    start = {"l": left_x, "r": x2 - (left_x - x1) - width, "c": (x1 + x2 - width) / 2}[side]
    ys = [float(t["pt"][1]) for t in texts]
    return (start - TITLE_PAD, min(ys) - 0.3 * size - TITLE_PAD, start + width + TITLE_PAD, max(ys) + 0.9 * size + TITLE_PAD)


def edge_boxes(edge: dict) -> list[Box]:
    """Thin boxes along an edge's curve, its arrowheads' and its label lines' boxes."""
    boxes: list[Box] = []
    for op in edge.get("_draw_", ()):
        if op.get("op") in ("b", "B"):
            pts = bezier(op["points"])
            boxes += [segment(a, b) for a, b in zip(pts, pts[1:])]
    for key in ("_hdraw_", "_tdraw_"):
        for op in edge.get(key, ()):
            if op.get("op") in ("p", "P"):
                xs, ys = [p[0] for p in op["points"]], [p[1] for p in op["points"]]
                boxes.append((min(xs), min(ys), max(xs), max(ys)))
    size = 14.0
    for op in [*edge.get("_ldraw_", ()), *edge.get("_hldraw_", ()), *edge.get("_tldraw_", ())]:
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T":
            x, y, w = float(op["pt"][0]), float(op["pt"][1]), float(op["width"])
            x0 = {"l": x, "r": x - w}.get(op.get("align"), x - w / 2)
            boxes.append((x0, y - 0.3 * size, x0 + w, y + 0.9 * size))
    return boxes


def node_box(node: dict) -> Box:
    x, y = (float(v) for v in node["pos"].split(","))
    w, h = float(node["width"]) * 72 / 2, float(node["height"]) * 72 / 2
    return (x - w, y - h, x + w, y + h)
