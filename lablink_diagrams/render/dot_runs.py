"""DOT edges that run side by side, set apart (edge_runs.py) in the ``-Tjson`` layout,
before the label search reads it, and then in the SVG."""
from __future__ import annotations

import math
import re

from . import edge_ends, edge_runs, edge_swaps
from .dot_ends import POLYGON, curve_key, edit_edges, pos
from .dot_joints import Point, store
from .dot_labels import scene
from .geometry import svg_number

TIP_NEAR = 6.0  # points: an arrowhead polygon has a point this near its edge's end (its base corners: 3-4)


def apart(layout: dict, sides: dict[str, str], ends: dict | None = None,
          tips: dict | None = None) -> dict[tuple[Point, Point], list[Point]]:
    """Move, in ``layout``, each edge that runs as one with another or along a frame's
    border; return the new points of each by its old ``curve_key`` (for ``rewrite``).
    Cluster borders are the lines to keep off, and titles, nodes and arrowheads the boxes;
    edge labels are placed after.

    >>> line = [{"op": "b", "points": [[0, 0], [0, 1], [0, 2], [0, 3]]}]  # what the label scene reads
    >>> e = lambda t, h, p: {"tail": t, "head": h, "pos": p, "_draw_": line}
    >>> a, b = e(0, 1, "0,0 0,30 0,60 0,90 0,120 0,150 0,180"), e(2, 3, "30,0 10,30 3,60 3,90 3,120 10,150 30,180")
    >>> moved = apart({"edges": [a, b]}, {})
    >>> [round(x, 1) for x, _ in moved[((30.0, 0.0), (30.0, 180.0))]], b["pos"]
    ([30.0, 10.0, 10.0, 10.0, 10.0, 10.0, 30.0], '30,0 10,30 9.98,60 9.98,90 9.98,120 10,150 30,180')
    """
    edges = [e for e in layout.get("edges", ()) if "pos" in e and e.get("tail") != e.get("head")]
    curves = [pos(e["pos"])[2] for e in edges]
    _, _, fixed, _ = scene(layout, sides)
    ink = [(s[4], s[5]) for s in fixed if len(s) == 6]
    boxes = [b for b in fixed if len(b) == 4]
    borders = []
    for o in layout.get("objects", ()):  # each drawn frame's outline (not a spacer's: templates/dot)
        if str(o.get("name", "")).startswith("cluster") and "bb" in o and "invis" not in str(o.get("style", "")):
            x1, y1, x2, y2 = (float(v) for v in o["bb"].split(","))
            corners = [(x1, y1), (x2, y1), (x2, y2), (x1, y2)]
            borders.append(list(zip(corners, corners[1:] + corners[:1])))
    nodes = [(e.get("tail"), e.get("head")) for e in edges]
    # two edges out of one node that cross at a glancing angle near it first swap their first
    # stretches, judged with their ends where dot_ends carries them (``ends``: those shifts,
    # by curve_key; it may part two starts already); a swapped curve has them in its points,
    # and its entry leaves ``ends``; an arrowhead at a swapped end turns and moves with it, in
    # the layout and (``tips``: the moves by old curve_key, for ``apply_tips``) in the SVG
    arrows = [("s," in e["pos"], "e," in e["pos"]) for e in edges]
    ends = {} if ends is None else ends
    tips = {} if tips is None else tips
    carried = [_carried(c, ends.get(curve_key(c))) for c in curves]
    swapped = edge_swaps.uncross(carried, nodes, arrows, ink + [seg for border in borders for seg in border], boxes,
                                 carry_tips=True)
    reach = {k: _tip_lengths(edges[k], curves[k]) for k in swapped}
    swapped = {k: _fitted(k, c, swapped, carried, reach) for k, c in swapped.items()}
    for k in swapped:
        ends.pop(curve_key(curves[k]), None)
        moves = [m for m in edge_swaps.tip_moves(curves[k], swapped[k]) if arrows[k][m[0]]]
        if moves:
            tips[curve_key(curves[k])] = moves
            _turn_tips(edges[k], moves)
    now = [swapped.get(k, c) for k, c in enumerate(curves)]
    moved = {**swapped, **edge_runs.separate(now, nodes, ink, boxes, borders)}
    out = {}
    for k, new in moved.items():
        out[curve_key(curves[k])] = new
        store(edges[k], new)
    return out


def _carried(ctrl: list[Point], shift) -> list[Point]:
    """The curve with its ends moved as dot_ends.apply moves them in the SVG."""
    return edge_ends.moved_points(ctrl, *shift) if shift else ctrl


def _turn_tips(edge: dict, moves: list) -> None:
    """In the layout: each moved end's arrow tip (``s,``/``e,`` in pos) and arrowhead polygon."""
    for move in moves:
        end = move[0]
        mark, draw = ("s,", "_tdraw_") if end == 0 else ("e,", "_hdraw_")
        tokens = edge["pos"].split()
        for n, tok in enumerate(tokens):
            if tok.startswith(mark):
                x, y = (float(v) for v in tok[2:].split(","))
                (tx, ty), = edge_swaps.moved_tip([(x, y)], move)
                tokens[n] = f"{mark}{svg_number(tx, 2)},{svg_number(ty, 2)}"
        edge["pos"] = " ".join(tokens)
        for op in edge.get(draw, ()):
            if op.get("op") in ("p", "P"):
                op["points"] = [list(p) for p in edge_swaps.moved_tip([tuple(p) for p in op["points"]], move)]


def apply_tips(svg: str, tips: dict) -> str:
    """In dot's SVG (y negated): each arrowhead at a swapped end, found in its edge's group by
    the edge's old ``curve_key`` and by lying at that end, turned and moved with it.

    >>> g = '<g id="edge1" class="edge"><path d="M0,-0C10,-0 20,-0 30,-0"/><polygon points="0,-0 -8,-3 -8,3 0,-0"/></g>'
    >>> print(apply_tips(g, {((0.0, 0.0), (30.0, 0.0)): [(0, (0, 0), (-1, 0), (5, 5), (0, 1))]}))
    <g id="edge1" class="edge"><path d="M0,-0C10,-0 20,-0 30,-0"/><polygon points="5,-5 8,-13 2,-13 5,-5"/></g>
    """
    def edge(group: str, path: re.Match, nums: list[float], moves: list) -> str:
        def arrow(p: re.Match) -> str:
            nums = [float(v) for v in edge_ends.NUM.findall(p.group(2))]
            pts = [(x, -y) for x, y in zip(nums[::2], nums[1::2])]
            for move in moves:
                if min(math.dist(q, move[1]) for q in pts) < TIP_NEAR:
                    new = edge_swaps.moved_tip(pts, move)
                    return p.group(1) + " ".join(f"{svg_number(x, 2)},{svg_number(-y + 0.0, 2)}" for x, y in new) + p.group(3)
            return p.group(0)
        return POLYGON.sub(arrow, group)
    return edit_edges(svg, tips, edge)


def _tip_lengths(edge: dict, ctrl: list[Point]) -> tuple[float, float]:
    """How far each end's arrow tip lies beyond the curve's end (0 without one)."""
    start, tip, _ = pos(edge["pos"])
    return (math.dist(start, ctrl[0]) if start else 0.0, math.dist(tip, ctrl[-1]) if tip else 0.0)


def _fitted(k: int, ctrl: list[Point], swapped: dict, carried: list, reach: dict) -> list[Point]:
    """A swapped curve's ends fitted to what they now carry: dot ends a curve with an arrow
    its arrow's length short of the node, one without at the node. An end that took the
    other curve's end, arrow and all or plain, is pulled back or pushed on by the difference
    (along its own direction, with its handle), so its arrowhead's tip, or its line, meets
    the node as the other's did."""
    out = list(ctrl)
    for end, nxt in ((0, 1), (-1, -2)):
        came = next(((m, e) for m in swapped if m != k for e in (0, -1)
                     if math.dist(carried[m][e], ctrl[end]) < 1e-6), None)
        if came is None:
            continue
        m, e = came
        by = reach[m][e] - reach[k][end]  # (0 where no arrow: where both have one, their difference)
        dx, dy = ctrl[end][0] - ctrl[nxt][0], ctrl[end][1] - ctrl[nxt][1]
        norm = math.hypot(dx, dy)
        if not by or not norm:
            continue
        for i in (end, nxt):
            out[i] = (out[i][0] + dx / norm * by, out[i][1] + dy / norm * by)
    return out
