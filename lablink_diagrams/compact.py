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

