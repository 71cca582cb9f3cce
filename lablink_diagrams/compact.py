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
    return dataclasses.replace(d, nodes=nodes, groups=groups, steps=_keep_replies(steps), notes=notes)


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
_KEEP = {"person", "browser", "page", "database", "table", "storage", "queue", "file", "config"}


def fit_lifelines(d: Diagram, limit: int = MAX_LIFELINES) -> Diagram:
    """Merge the code units of one group (routes, scripts, a CLI subprocess) into one
    lifeline named after the group, biggest group first, until at most ``limit``
    lifelines remain: 15 lifelines cannot be read in a 7-inch column.

    People, data stores and external systems keep their own lifeline, so "who
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
    nodes = tuple(n for n in d.nodes if n.id not in merged) + tuple(lanes.values())
    groups = tuple(dataclasses.replace(
        g, nodes=tuple(dict.fromkeys(merged[n].id if n in merged else n for n in g.nodes))) for g in d.groups)

    def relabel(s: Step) -> Step:
        label = s.label
        if s.target in merged and s.kind != "response":  # a reply goes back to its caller: naming it misleads
            unit = d.node(s.target).label
            # the unit's name: its label's first line without a trailing "(...)" aside
            first = unit.split("\n")[0].strip()
            if " · " in first:  # a list of units broken over lines: name them all, not the first two
                first = " · ".join(l.strip() for l in unit.split("\n") if l.strip())
            name = re.sub(r"\s*\([^()]+\)$", "", first)
            if name and not _names(label, unit):
                label = f"{name}: {label}"
        return dataclasses.replace(s, source=merged[s.source].id if s.source in merged else s.source,
                                   target=merged[s.target].id if s.target in merged else s.target, label=label)

    steps = tuple(relabel(s) for s in d.steps)
    notes = tuple(dataclasses.replace(nt, node=merged[nt.node].id) if nt.node in merged else nt for nt in d.notes)
    return dataclasses.replace(d, nodes=nodes, groups=groups, steps=_keep_replies(steps), notes=notes)


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
