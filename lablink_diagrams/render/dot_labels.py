"""Graphviz edge labels moved off cluster borders (edge_labels.py), read from dot's
``-Tjson`` layout and written into its SVG.

The layout run that places the cluster titles (cluster_titles.py) serves here too: it
gives every curve, arrowhead, node, border and label with its width, in points, y up.
dot's SVG draws the same layout with y negated, so a label's lines are found there by
their anchors and shifted. PDF and PNG are made from that SVG. Pure functions.
"""
from __future__ import annotations

import re

from . import edge_labels, label_reflow
from .cluster_titles import edge_boxes, node_box, title_box
from .geometry import Box, bezier, segment, svg_number, union

PAD_USED = 8.0  # points of the template's pad (0.3 in) a moved label may take
_TEXT = re.compile(r'<text (?P<pre>[^>]*?)x="(?P<x>-?[\d.]+)" y="(?P<y>-?[\d.]+)"')
_ELEMENT = re.compile(r'<text (?P<pre>[^>]*?)x="(?P<x>-?[\d.]+)" y="(?P<y>-?[\d.]+)"(?P<post>[^>]*)>(?P<words>[^<]*)</text>\n?')


def label_moves(layout: dict, sides: dict[str, str]) -> list[tuple[list[tuple[float, float]], float, float]]:
    """Each moved label as (its lines' anchors, dx, dy) in layout points, with the
    cluster titles where ``sides`` puts them.

    >>> seg = [{"op": "b", "points": [[50, 0], [50, 60], [50, 140], [50, 200]]}]
    >>> label = [{"op": "F", "size": 14}, {"op": "T", "pt": [90, 96], "align": "c", "width": 60, "text": "1. go"}]
    >>> cluster = {"name": "cluster_a", "bb": "0,0,300,100", "_ldraw_": []}
    >>> layout = {"bb": "0,0,300,200", "objects": [cluster], "edges": [{"_draw_": seg, "_ldraw_": label}]}
    >>> label_moves(layout, {})  # the label straddles the cluster's top border (y=100, y up): off it
    [([(90.0, 96.0)], 0.0, -12.0)]
    """
    labels, lines, fixed, bounds = scene(layout, sides)
    found = edge_labels.moves([l for l, _ in labels], lines, fixed, bounds)
    return [(anchors, *move) for (_, anchors), move in zip(labels, found) if move]


def scene(layout: dict, sides: dict[str, str]) -> tuple[list, list, list, Box]:
    """What the label search sees: each label with its lines' anchors, the edges' curves,
    everything else a label must keep off, and the canvas (dot_halos.py sees the same)."""
    objects, edges = layout.get("objects", ()), layout.get("edges", ())
    lines, labels, fixed = [], [], []
    for k, e in enumerate(edges):
        lines.append(_curve(e))
        fixed += [b for b in edge_boxes(e) if len(b) == 4 and not _is_label(b, e)]
        texts = text_lines(e.get("_ldraw_", ()))
        if texts:
            boxes = tuple(b for _, b in texts)
            labels.append((edge_labels.Label(union(boxes), k, boxes), [p for p, _ in texts]))
    for o in objects:
        if str(o.get("name", "")).startswith("cluster") and "bb" in o:
            if "invis" in str(o.get("style", "")):  # a frame's spacer (templates/dot): nothing drawn
                continue
            x1, y1, x2, y2 = (float(v) for v in o["bb"].split(","))
            corners = [(x1, y1), (x2, y1), (x2, y2), (x1, y2)]
            fixed += [segment(a, b) for a, b in zip(corners, corners[1:] + corners[:1])]
            ops = o.get("_ldraw_", ())
            titles = [op for op in ops if op.get("op") == "T"]
            if titles:
                size = next((float(op["size"]) for op in ops if op.get("op") == "F"), 14.0)
                fixed.append(title_box(titles, size, x1, x2, sides.get(o["name"], "l")))
        elif "pos" in o and "width" in o:
            fixed.append(node_box(o))
    fixed += [b for _, b in text_lines(layout.get("_ldraw_", ()))]  # the figure's title
    x1, y1, x2, y2 = (float(v) for v in layout.get("bb", "0,0,0,0").split(","))
    # the canvas: dot's box of the drawing and part of the 0.3 in pad the template sets
    # around it (a label at the drawing's edge could not step off its edge: main's 16)
    bounds = (x1 - PAD_USED, y1 - PAD_USED, x2 + PAD_USED, y2 + PAD_USED)
    return labels, lines, fixed, bounds


def apply(svg: str, moves: list[tuple[list[tuple[float, float]], float, float]]) -> str:
    """Shift the SVG texts anchored where a moved label's lines are (y negated, as dot writes it).

    >>> apply('<text text-anchor="middle" x="90" y="-96" font-size="14.00">1. go</text>', [([(90.0, 96.0)], 0.0, 12.0)])
    '<text text-anchor="middle" x="90" y="-108" font-size="14.00">1. go</text>'
    """
    shifts = {(round(x, 1), round(-y, 1)): (dx, -dy) for anchors, dx, dy in moves for x, y in anchors}
    if not shifts:
        return svg

    def shifted(m: re.Match) -> str:
        x, y = float(m.group("x")), float(m.group("y"))
        dx, dy = shifts.get((round(x, 1), round(y, 1)), (0.0, 0.0))
        if (dx, dy) == (0.0, 0.0):
            return m.group(0)
        return f'<text {m.group("pre")}x="{svg_number(x + dx, 2)}" y="{svg_number(y + dy, 2)}"'
    return _TEXT.sub(shifted, svg)


def reflows(layout: dict, sides: dict[str, str], moves: list) -> tuple[dict, list]:
    """Labels that stayed struck (``moves`` as label_moves gives them), their lines joined
    where that shape has a clear spot (label_reflow.py): the layout with their new lines,
    for the halos to see, and each as (old anchors, groups, new anchors).

    >>> seg = [{"op": "b", "points": [[0, 40], [100, 40], [200, 40], [300, 40]]}]
    >>> lines = [{"op": "T", "pt": [150, 86 - 12 * k], "align": "c", "width": 40, "text": t}
    ...          for k, t in enumerate(["1. one", "two", "2. three", "four"])]
    >>> cluster = {"name": "cluster_a", "bb": "0,0,300,80", "_ldraw_": []}
    >>> layout = {"bb": "0,0,300,100", "objects": [cluster], "edges": [{"_draw_": seg, "_ldraw_": [{"op": "F", "size": 10}, *lines]}]}
    >>> new, found = reflows(layout, {}, label_moves(layout, {}))
    >>> [(op["text"], op["pt"]) for op in new["edges"][0]["_ldraw_"] if op["op"] == "T"]
    [('1. one two', [150.0, 66.0]), ('2. three four', [150.0, 54.0])]
    """
    labels, lines, fixed, bounds = scene(layout, sides)
    shift = {(round(x, 1), round(y, 1)): (dx, dy) for anchors, dx, dy in moves for x, y in anchors}
    found = [shift.get((round(a[0][0], 1), round(a[0][1], 1))) for _, a in labels]
    edges = layout.get("edges", ())
    ops = [[op for op in edges[label.line].get("_ldraw_", ()) if op.get("op") == "T"] for label, _ in labels]
    size = max((float(op["size"]) for e in edges for op in e.get("_ldraw_", ()) if op.get("op") == "F"), default=14.0)
    texts = [[str(op.get("text", "")) for op in label_ops] for label_ops in ops]
    out, new_edges = [], list(edges)
    # a label of one line broken in two takes dot's pitch, as the lines of a joined one keep it
    for i, (groups, label, _) in label_reflow.reflow([l for l, _ in labels], lines, fixed, bounds, found,
                                                     label_reflow.SPACE_EM * size, texts, -(size + 1)).items():
        words, k = [w for t in texts[i] for w in t.split(" ")], labels[i][0].line
        new_ops = [{"op": "T", "pt": [(x1 + x2) / 2, y1 + 0.3 * size], "align": "c", "width": x2 - x1,
                    "text": " ".join(words[j] for j in group)}
                   for group, (x1, y1, x2, _) in zip(groups, label.parts)]
        new_edges[k] = {**edges[k], "_ldraw_": [op for op in edges[k]["_ldraw_"] if op.get("op") != "T"] + new_ops}
        out.append((labels[i][1], groups, [tuple(op["pt"]) for op in new_ops]))
    return ({**layout, "edges": new_edges} if out else layout), out


def apply_reflows(svg: str, found: list) -> str:
    """Draw each reflowed label (``reflows``): its first line's element once per new line,
    the words each group names joined, at the new anchors (y negated, as dot writes them).

    >>> svg = '<text text-anchor="middle" x="150" y="-86" font-size="10">1. one</text>\\n<text text-anchor="middle" x="150" y="-74" font-size="10">two</text>\\n'
    >>> print(apply_reflows(svg.replace("\\\\n", "\\n"), [([(150.0, 86.0), (150.0, 74.0)], ((0, 1, 2),), [(150.0, 80.0)])]))
    <text text-anchor="middle" x="150" y="-80" font-size="10">1. one two</text>
    <BLANKLINE>
    """
    for anchors, groups, new in found:
        keys = [(round(x, 1), round(-y, 1)) for x, y in anchors]
        found_at: dict[tuple[float, float], re.Match] = {}
        for m in _ELEMENT.finditer(svg):
            key = (round(float(m["x"]), 1), round(float(m["y"]), 1))
            if key in keys and key not in found_at:
                found_at[key] = m
        if len(found_at) != len(keys):
            continue  # not drawn as laid out: leave it
        words = [w for key in keys for w in found_at[key]["words"].split(" ")]
        if len(words) != sum(len(g) for g in groups):
            continue  # not the words laid out
        first = found_at[keys[0]]
        drawn = "".join(f'<text {first["pre"]}x="{svg_number(x, 2)}" y="{svg_number(-y, 2)}"{first["post"]}>'
                        + " ".join(words[j] for j in group) + "</text>\n"
                        for group, (x, y) in zip(groups, new))
        for m in sorted(found_at.values(), key=lambda m: m.start(), reverse=True):
            svg = svg[:m.start()] + (drawn if m is first else "") + svg[m.end():]
    return svg


def _curve(edge: dict) -> list:
    out = []
    for op in edge.get("_draw_", ()):
        if op.get("op") in ("b", "B"):
            pts = bezier(op["points"])
            out += [segment(a, b) for a, b in zip(pts, pts[1:])]
    return out


def text_lines(ops) -> list[tuple[tuple[float, float], Box]]:
    """Each text line's anchor and box."""
    out, size = [], 14.0
    for op in ops:
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T":
            x, y, w = float(op["pt"][0]), float(op["pt"][1]), float(op["width"])
            x0 = {"l": x, "r": x - w}.get(op.get("align"), x - w / 2)
            out.append(((x, y), (x0, y - 0.3 * size, x0 + w, y + 0.9 * size)))
    return out


def _is_label(box: Box, edge: dict) -> bool:
    return any(box == b for _, b in text_lines(edge.get("_ldraw_", ())))
