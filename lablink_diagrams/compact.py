"""``--compact``: a figure that must shrink to a paper column says the same with fewer shapes.

Two moves, both derived from the model, never written twice:
- the architecture view keeps step numbers on the edges and lists the labels in a key;
- the sequence view collapses every innermost group (one that holds nodes but no
  further groups) into one participant named after the group, so PostgreSQL's
  table, trigger, function and channel become one lifeline with self-messages.
The step numbers do not change.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from .model import Diagram, Group, Node, Step


def collapse_leaf_groups(d: Diagram) -> Diagram:
    """The diagram with each innermost group (with ≥2 nodes) replaced by one node."""
    leaves = [g for g in d.groups if not g.groups and len(g.nodes) >= 2]
    if not leaves:
        return d
    into = {n: g.id for g in leaves for n in g.nodes}
    gone = {g.id for g in leaves}

    def node_for(g: Group) -> Node:
        members = [d.node(n) for n in g.nodes]
        kinds = Counter(m.kind for m in members)
        data = {"database", "table", "trigger", "function", "queue", "storage"}
        kind = "database" if set(kinds) <= data else kinds.most_common(1)[0][0]
        return Node(g.id, g.title, kind, description=g.description,
                    external=all(m.external for m in members) or g.kind == "external",
                    refs=tuple(r for m in members for r in m.refs) + g.refs)

    nodes = tuple(n for n in d.nodes if n.id not in into) + tuple(node_for(g) for g in leaves)
    groups = tuple(
        dataclasses.replace(g, groups=tuple(c for c in g.groups if c not in gone),
                            nodes=g.nodes + tuple(c for c in g.groups if c in gone))
        for g in d.groups if g.id not in gone
    )
    steps = tuple(dataclasses.replace(s, source=into.get(s.source, s.source), target=into.get(s.target, s.target))
                  for s in d.steps)
    notes = tuple(dataclasses.replace(nt, node=into.get(nt.node, nt.node)) if nt.node else nt for nt in d.notes)
    return dataclasses.replace(d, nodes=nodes, groups=groups, steps=_keep_replies(steps), notes=notes,
                               lifelines=_renamed(d.lifelines, into))


def _keep_replies(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """A reply stays a reply only while it still runs opposite to its request."""
    by_number = {s.number: s for s in steps}
    out = []
    for s in steps:
        if s.reply_to is not None:
            req = by_number[s.reply_to]
            if (req.source, req.target) != (s.target, s.source):
                s = dataclasses.replace(s, reply_to=None)
        out.append(s)
    return tuple(out)



MAX_LIFELINES = 8
# people, data and places keep their own lifeline: a VM and a container are where code runs,
# and merged into one they hid which of them sends what (network-flow's host and container)
_KEEP = {"person", "browser", "page", "database", "table", "storage", "queue", "file", "config", "vm", "container"}


def fit_lifelines(d: Diagram, limit: int = MAX_LIFELINES) -> Diagram:
    """Merge the code units of one group (routes, scripts, a CLI subprocess) into one
    lifeline named after the group, biggest group first, until at most ``limit``
    lifelines remain: 15 lifelines cannot be read in a 7-inch column.

    People, data stores, VMs, containers and external systems keep their own lifeline, so "who
    writes the database" stays visible. A message to a merged unit is prefixed
    with the unit's name (``update_vm_status: POST {hostname}``), so nothing the
    lifeline said is lost. Step numbers do not change."""
    used = {n for s in d.steps for n in (s.source, s.target)}
    merged: dict[str, Node] = {}  # member id -> lane node
    while True:
        lanes = {merged[n].id if n in merged else n for n in used}
        if len(lanes) <= limit:
            break
        best = None
        for g in d.groups:
            members = [n for n in g.nodes if n in used and n not in merged]
            units = [n for n in members if d.node(n).kind not in _KEEP and not d.node(n).external]
            if len(units) >= 2 and (best is None or len(units) > len(best[1])):
                best = (g, units)
        if best is None:
            break
        g, units = best
        lane_id = _fresh_id(d, f"{g.id}_lane"[:64], merged)
        lane = Node(lane_id, g.title, "service", description=g.description,
                    refs=tuple(r for n in units for r in d.node(n).refs))
        merged.update({n: lane for n in units})
    if not merged:
        return d
    lanes = {lane.id: lane for lane in merged.values()}
    first_use: dict[str, int] = {}
    for s in d.steps:
        first_use.setdefault(s.source, s.number)
        first_use.setdefault(s.target, s.number)
    for g in d.groups:  # a lane beside other lifelines of its group is named after its units
        lane = next((merged[n] for n in g.nodes if n in merged), None)
        if lane and any(n in used and n not in merged for n in g.nodes):
            units = sorted((n for n in g.nodes if n in merged), key=first_use.__getitem__)
            name = " · ".join(_unit_name(d.node(n).label) for n in units)
            if len(name) <= _LANE_NAME:
                lanes[lane.id] = dataclasses.replace(lane, label=name)
    nodes = tuple(n for n in d.nodes if n.id not in merged) + tuple(lanes.values())
    groups = tuple(dataclasses.replace(
        g, nodes=tuple(dict.fromkeys(merged[n].id if n in merged else n for n in g.nodes))) for g in d.groups)

    def relabel(s: Step) -> Step:
        label = s.label
        if s.target in merged and s.kind != "response":  # a reply goes back to its caller: naming it misleads
            unit = d.node(s.target).label
            name = _unit_name(unit)
            if name and not _names(label, unit):
                label = f"{name}: {label}"
        return dataclasses.replace(s, source=merged[s.source].id if s.source in merged else s.source,
                                   target=merged[s.target].id if s.target in merged else s.target, label=label)

    steps = tuple(relabel(s) for s in d.steps)
    notes = tuple(dataclasses.replace(nt, node=merged[nt.node].id) if nt.node in merged else nt for nt in d.notes)
    return dataclasses.replace(d, nodes=nodes, groups=groups, steps=_keep_replies(steps), notes=notes,
                               lifelines=_renamed(d.lifelines, {n: m.id for n, m in merged.items()}))


def _renamed(lifelines: tuple[str, ...], into: dict[str, str]) -> tuple[str, ...]:
    """A lifeline order with merged nodes under the id of what they merged into, each once.

    >>> _renamed(("a", "b", "c"), {"a": "g", "c": "g"})
    ('g', 'b')
    """
    return tuple(dict.fromkeys(into.get(n, n) for n in lifelines))


# A lane named after its units (3 lines of a lifeline's 14 characters) says what it holds;
# named after its group, it read as the group beside the group's other lifelines ("AWS"
# beside "CloudWatch Logs group" in the AWS box) or repeated the box's title.
_LANE_NAME = 42


def _unit_name(label: str) -> str:
    """A unit's name: its label's first line without a trailing "(...)" aside; a list of
    units broken over lines is named whole.

    >>> _unit_name("Caddy (host)\\nreverse_proxy"), _unit_name("subscribe · check_gpu\\nupdate_inuse_status")
    ('Caddy', 'subscribe · check_gpu · update_inuse_status')
    """
    first = label.split("\n")[0].strip()
    if " · " in first:
        first = " · ".join(l.strip() for l in label.split("\n") if l.strip())
    return re.sub(r"\s*\([^()]+\)$", "", first)


def _names(message: str, unit: str) -> bool:
    """Does the message already name the unit (any identifier of its label, HTTP verbs aside)?

    >>> _names("vm-metrics: cloud_init_*", "/api/vm-status (POST, GET)\\n/api/vm-metrics/<hostname>")
    True
    >>> _names("POST {hostname, gpu_status}", "update_gpu_health\\nPOST /api/gpu_health")
    False
    """
    return any(t in message for t in re.findall(r"[A-Za-z_][\w-]{3,}", unit) if not t.isupper())


def _fresh_id(d: Diagram, base: str, merged: dict) -> str:
    taken = {n.id for n in d.nodes} | {g.id for g in d.groups} | {n.id for n in merged.values()}
    cand, i = base, 2
    while cand in taken:
        cand = f"{base[:60]}_{i}"
        i += 1
    return cand


def split_sequence(d: Diagram, max_steps: int) -> tuple[Diagram, ...]:
    """A sequence longer than ``max_steps`` as consecutive parts of at most that many steps,
    each a diagram of its own (``vm-provisioning-part1``…) with only the sequence view.

    A 30-step sequence is 30 inches tall at 14 pt: no layout makes it readable on one
    7 x 9 in page, but two parts, each with fewer lifelines, print about 1.2 pt larger
    (vm-provisioning 4.2 → 5.4 pt in PlantUML). Cuts fall where the fewest fragments
    are cut, at a section boundary rather than inside a section, then where the parts are
    most even. A fragment cut in two continues in the next part ("… (continued)"); a reply
    whose request is in an earlier part is drawn as a plain message; a node's notes go with
    its first appearance. Step numbers never change. A short sequence is returned as is.
    """
    steps = d.steps
    if max_steps < 1:
        raise ValueError("max_steps must be at least 1")
    if len(steps) <= max_steps or "sequence" not in d.views:
        return (d,)
    parts = -(-len(steps) // max_steps)
    numbers = [s.number for s in steps]

    # cost of a cut before steps[i]: 10 per fragment cut inside a section, 3 at a section
    # boundary, and 3 just before an alt or opt, which branches on what the step before it
    # found (review 87: logging's part 2 began with the branches on part 1's vm_exists)
    cut_cost = [0] * len(steps)
    for i, at in enumerate(numbers):
        for f in d.fragments:
            if f.first < at <= f.last:
                cut_cost[i] += 3 if any(sec.first == at for sec in f.sections) else 10
            elif f.first == at and f.kind in ("alt", "opt") and i:
                cut_cost[i] += 3
    # fewest parts, then cheapest cuts, then most even (squared distance from the mean size):
    # a dynamic programme over (parts so far, steps so far); trying every set of cuts grew
    # combinatorially with the number of parts (C(999, 249) sets for 1,000 steps in parts of 4)
    n, mean = len(steps), len(steps) / parts
    best: dict[tuple[int, int], tuple[float, float, int]] = {(0, 0): (0, 0.0, 0)}  # -> (cost, spread, previous end)
    for k in range(1, parts + 1):
        for i in range(max(k, n - (parts - k) * max_steps), min(n, k * max_steps) + 1):
            options = [(best[(k - 1, j)][0] + (cut_cost[j] if j else 0), best[(k - 1, j)][1] + (i - j - mean) ** 2, j)
                       for j in range(max(k - 1, i - max_steps), i) if (k - 1, j) in best]
            if options:
                best[(k, i)] = min(options)
    ends, i = [], n
    for k in range(parts, 0, -1):
        ends.append(i)
        i = best[(k, i)][2]
    bounds = (0, *reversed(ends))

    out, seen = [], set()
    order = d.lifeline_order()  # the whole's: a lifeline keeps its column from part to part
    for i, (a, b) in enumerate(zip(bounds, bounds[1:]), 1):
        first, last = numbers[a], numbers[b - 1]
        in_part = set(numbers[a:b])
        part_steps = tuple(s if s.reply_to is None or s.reply_to in in_part else dataclasses.replace(s, reply_to=None)
                           for s in steps[a:b])
        fragments = []
        for f in d.fragments:
            secs = []
            for sec in f.sections:
                lo, hi = max(sec.first, first), min(sec.last, last)
                if lo <= hi:
                    lo, hi = min(n for n in in_part if n >= lo), max(n for n in in_part if n <= hi)
                    continued = sec.first < first and not secs
                    secs.append(dataclasses.replace(sec, first=lo, last=hi,
                                                    label=f"{sec.label} (continued)" if continued else sec.label))
            if secs:
                fragments.append(dataclasses.replace(f, sections=tuple(secs)))
        used = {e for s in part_steps for e in (s.source, s.target)}
        notes = tuple(nt for nt in d.notes
                      if (nt.step is not None and nt.step in in_part) or (nt.node in used and nt.node not in seen))
        seen |= used
        out.append(dataclasses.replace(
            d, name=f"{d.name}-part{i}", title=f"{d.title} ({i} of {parts}: steps {first}-{last})",
            views=("sequence",), steps=part_steps, fragments=tuple(fragments), notes=notes,
            lifelines=tuple(order)))
    return tuple(out)


def split_sequences(diagrams, max_steps: int | None) -> list[Diagram]:
    """The selection with every long sequence view replaced by its parts (``render --max-steps``);
    the diagram keeps its other views under its own name."""
    return [d for group in split_sequence_groups(diagrams, max_steps) for d in group]


def split_sequence_groups(diagrams, max_steps: int | None) -> list[tuple[Diagram, ...]]:
    """``split_sequences`` with each split sequence's parts together in one tuple (every other
    diagram alone in its own): the parts of one figure, which print at one scale."""
    if not max_steps:
        return [(d,) for d in diagrams]
    out: list[tuple[Diagram, ...]] = []
    for d in diagrams:
        parts = split_sequence(d, max_steps)
        if len(parts) == 1:
            out.append((d,))
            continue
        rest = tuple(v for v in d.views if v != "sequence")
        if rest:
            out.append((dataclasses.replace(d, views=rest),))
        out.append(parts)
    return out
