"""Graphviz edges that meet at a glancing angle, untangled by another seed for dot's order.

dot orders the nodes of a rank by a heuristic seeded with the order of the statements,
and some seeds end in two edges that cross at a shallow angle, cross twice, or come
within a few points of each other and part again: they read as one line that forks
(review 24: monitoring's steps 7 and 10, rated bad). dot's own parameters (remincross,
mclimit, searchsize, ordering) kept that layout; another statement order untangles it.
So the renderer lays the source out (``-Tjson``, the run cluster_titles.py needs
anyway), and only where two edges without a common end meet badly, tries a few
variants, the edge statements reversed first, and keeps the first layout with no bad
meeting and no more meetings in all. Pure functions; the dot runs stay in graphviz.py.
"""
from __future__ import annotations

import itertools
import math
import re

from .geometry import angle, bezier, crosses, grow, overlaps, point_segment

SHALLOW = 30.0  # degrees: crossings flatter than this read as a merge, not a crossing
KISS = 8.0  # points: two edges that come this near without crossing read as one that forks
TRIES = 6  # layouts tried at most per source (each is one more -Tjson run)
# a node statement on one line: a quoted id, its attributes, ``];`` (labels hold no raw newline)
_NODE = re.compile(r'^(\s*)"((?:[^"\\]|\\.)*)" \[.*\];$')
_EDGE = re.compile(r'^\s*"(?:[^"\\]|\\.)*" -> "(?:[^"\\]|\\.)*" \[.*\];$')  # an edge statement, likewise

Crossing = tuple[int, int, float]  # edge index, edge index, angle in degrees


def crossings(layout: dict) -> list[Crossing]:
    """Every point where two edges of a ``-Tjson`` layout cross, with its angle.

    >>> down = {"tail": 0, "head": 1, "_draw_": [{"op": "b", "points": [[0, 0], [0, 30], [0, 60], [0, 90]]}]}
    >>> flat = {"tail": 2, "head": 3, "_draw_": [{"op": "b", "points": [[-40, 40], [0, 45], [20, 45], [40, 50]]}]}
    >>> [(i, j, round(a)) for i, j, a in crossings({"edges": [down, flat]})]
    [(0, 1, 85)]
    """
    curves = [_segments(_polyline(e)) for e in layout.get("edges", ())]
    boxes = [_bounds([p for _, a, b in c for p in (a, b)]) if c else None for c in curves]
    out: list[Crossing] = []
    for i, j in itertools.combinations(range(len(curves)), 2):
        if boxes[i] is None or boxes[j] is None or not overlaps(grow(boxes[i], KISS), boxes[j]):
            continue
        near_j = [s for s in curves[i] if overlaps(grow(s[0], KISS), boxes[j])]
        near_i = [s for s in curves[j] if overlaps(grow(s[0], KISS), boxes[i])]
        crossed, gap = False, math.inf
        for box, a, b in near_j:
            for other, c, d in near_i:
                if not overlaps(grow(box, KISS), other):
                    continue
                if crosses(a, b, c, d):
                    out.append((i, j, angle(a, b, c, d)))
                    crossed = True
                elif not crossed:
                    gap = min(gap, point_segment(a, c, d), point_segment(b, c, d), point_segment(c, a, b),
                              point_segment(d, a, b))
        if not crossed and gap < KISS:
            out.append((i, j, 0.0))
    return out


def bad_pairs(layout: dict, found: list[Crossing] | None = None) -> list[tuple[int, int]]:
    """Pairs of edges with no common end that cross more than once or at under
    ``SHALLOW`` degrees: edges that share a node meet there anyway.

    >>> bad_pairs({"edges": [{"tail": 0, "head": 1}, {"tail": 2, "head": 3}, {"tail": 1, "head": 4}]},
    ...           [(0, 1, 20.0), (0, 2, 10.0), (1, 2, 80.0), (1, 2, 85.0)])
    [(0, 1), (1, 2)]
    """
    edges = layout.get("edges", ())
    angles: dict[tuple[int, int], list[float]] = {}
    for i, j, a in crossings(layout) if found is None else found:
        if not {edges[i].get("tail"), edges[i].get("head")} & {edges[j].get("tail"), edges[j].get("head")}:
            angles.setdefault((i, j), []).append(a)
    return sorted(p for p, a in angles.items() if len(a) > 1 or min(a) < SHALLOW)


def variants(source: str, layout: dict, pairs: list[tuple[int, int]]) -> list[str]:
    """Other seeds for dot's ordering, at most ``TRIES``: the edge statements in reverse
    order, then two nodes of one cluster swapped, for each pair of nodes that share a
    block of node statements and that a badly meeting edge joins (pairs of such ends first).

    >>> src = '  "a" [label="A"];\\n  "b" [label="B"];\\n  "c" [label="C"];\\n  "a" -> "c" [label="1"];\\n  "b" -> "c" [label="2"];'
    >>> layout = {"objects": [{"name": n} for n in "abc"], "edges": [{"tail": 0, "head": 2}, {"tail": 1, "head": 2}]}
    >>> for v in variants(src, layout, [(0, 1)]):
    ...     print(" ".join(line.split('"')[1] + ("" if " -> " not in line else "c") for line in v.split("\\n")))
    a b c bc ac
    b a c ac bc
    c b a ac bc
    a c b ac bc
    """
    names = {o.get("_gvid", k): o.get("name") for k, o in enumerate(layout.get("objects", ()))}
    edges = layout.get("edges", ())
    ends = {names.get(edges[k].get(side)) for pair in pairs for k in pair for side in ("tail", "head")}
    lines = source.split("\n")
    out = []
    statements = [k for k, line in enumerate(lines) if _EDGE.match(line)]
    if len(statements) > 1:
        reversed_edges = list(lines)
        for k, line in zip(statements, reversed([lines[k] for k in statements])):
            reversed_edges[k] = line
        out.append("\n".join(reversed_edges))
    candidates = []
    for block in _blocks(lines):
        for x, y in itertools.combinations(block, 2):
            both = (_NODE.match(lines[x]).group(2) in ends) + (_NODE.match(lines[y]).group(2) in ends)
            if both:
                candidates.append((-both, x, y))
    for _, x, y in sorted(candidates):
        swapped = list(lines)
        swapped[x], swapped[y] = lines[y], lines[x]
        out.append("\n".join(swapped))
    return out[:TRIES]


def untangle(source: str, layout: dict, lay_out) -> tuple[str, dict]:
    """The source and its layout, or the first variant (``lay_out`` turns a source into its
    ``-Tjson`` layout) with no bad meeting and no more meetings in all, if any."""
    found = crossings(layout)
    pairs = bad_pairs(layout, found)
    for variant in variants(source, layout, pairs) if pairs else ():
        other = lay_out(variant)
        more = crossings(other)
        if len(more) <= len(found) and not bad_pairs(other, more):
            return variant, other
    return source, layout


def _blocks(lines: list[str]) -> list[list[int]]:
    """Runs of consecutive one-line node statements at one indent: one cluster's nodes."""
    blocks: list[list[int]] = []
    indent = None
    for k, line in enumerate(lines):
        m = _NODE.match(line)
        if m and blocks and indent == m.group(1) and blocks[-1][-1] == k - 1:
            blocks[-1].append(k)
        elif m:
            blocks.append([k])
            indent = m.group(1)
    return [b for b in blocks if len(b) > 1]


def _polyline(edge: dict) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for op in edge.get("_draw_", ()):
        if op.get("op") in ("b", "B"):
            out += bezier(op["points"])
    return out


def _segments(points: list) -> list:
    """Each segment of a polyline as (its bounding box, one end, the other)."""
    return [(_bounds((a, b)), a, b) for a, b in zip(points, points[1:])]


def _bounds(points) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)
