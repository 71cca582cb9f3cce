"""Architecture view: groups as nested clusters, steps as numbered edges."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Diagram
from .common import caption, key_entry, numbered, role, wrap_balanced, wrap_name

# Characters per line of a node's name and of an edge label. Boxes side by side make a
# figure wide, and a wide figure prints small in a 7-inch column (bench/bench_legibility.py,
# median of the DOT / PlantUML figures): names unwrapped and edges at 20, 4.6 / 4.6 pt;
# both at 16 with words kept whole, 4.7 / 5.2 pt. Breaking words too gave 5.1 / 5.3 pt,
# but reviewers read "upload_to_ / s3(tfvars)" as a defect, so words stay whole.
NAME_WIDTH = 16
EDGE_WIDTH = 16


def edge_text(label: str) -> str:
    """An edge label's lines: never wider than EDGE_WIDTH but for a word kept whole."""
    return wrap_name(label, EDGE_WIDTH, slack=0, endpoints=False)

DASHED_KINDS = ("response", "notify", "async")


@dataclass(frozen=True)
class VNode:
    id: str
    label: str
    kind: str
    role: str


@dataclass(frozen=True)
class VCluster:
    id: str
    title: str
    kind: str
    external: bool
    nodes: tuple[VNode, ...]
    clusters: tuple["VCluster", ...]


@dataclass(frozen=True)
class VEdge:
    number: int
    source: str
    target: str
    label: str
    kind: str
    dashed: bool
    # Drawn against the layout direction (up in TB, left in LR): the edge returns to a
    # node that the flow reached earlier. See back_edges and late_edges.
    back: bool = False


@dataclass(frozen=True)
class VNote:
    id: str
    text: str
    node: str
    # A note is drawn a rank before its node; before a node that no step reaches, that
    # rank holds nothing else and costs the figure a column (left to right) of its own:
    # monitoring's two notes did, on cloud-init and update_inuse_status, and printed the
    # figure at 4.8 pt (DOT) and 4.9 pt (PlantUML). There the note stands beside its node
    # instead, in its rank and inside its node's group: 5.6 and 5.7 pt. Where the node is
    # reached, the rank before it is shared and the note costs nothing there; beside it,
    # api-architecture's two notes cost DOT 0.1 pt and a worse layout (edge 17 looped
    # over the frame).
    group: str | None = None
    beside: bool = False


@dataclass(frozen=True)
class ArchitectureView:
    kind = "architecture"
    name: str
    title: str
    caption: str
    direction: str
    clusters: tuple[VCluster, ...]
    nodes: tuple[VNode, ...]
    edges: tuple[VEdge, ...]
    notes: tuple[VNote, ...]
    key: tuple[str, ...] = ()  # "N. label" lines when edges carry only their numbers

    def all_clusters(self) -> tuple[VCluster, ...]:
        """Every cluster, outer before inner, in traversal order."""
        out: list[VCluster] = []

        def walk(cs):
            for c in cs:
                out.append(c)
                walk(c.clusters)

        walk(self.clusters)
        return tuple(out)

    def all_nodes(self) -> tuple[VNode, ...]:
        """Every node, top-level and clustered, in traversal order."""
        return tuple(self.nodes) + tuple(n for c in self.all_clusters() for n in c.nodes)


def architecture_view(d: Diagram, key: bool = False) -> ArchitectureView:
    """Clusters and numbered edges; with ``key`` the edges carry only their numbers and the
    labels move to a key beside the graph (a figure that must shrink to a paper column)."""
    vnodes = {n.id: VNode(n.id, wrap_name(n.label, NAME_WIDTH), n.kind, role(n))
              for n in d.nodes}
    by_id = {g.id: g for g in d.groups}
    nested = set(d.parent_of())

    def cluster(gid: str) -> VCluster:
        g = by_id[gid]
        return VCluster(g.id, g.title, g.kind, g.kind == "external",
                        tuple(vnodes[n] for n in g.nodes), tuple(cluster(c) for c in g.groups))

    grouped = set(d.group_of())
    # Notes attached to steps have no place on an edge; they are drawn in the sequence view.
    owner, reached = d.group_of(), {s.target for s in d.steps if s.source != s.target}
    notes = tuple(VNote(f"note{i}", wrap_balanced(nt.text, 36), nt.node, owner.get(nt.node), nt.node not in reached)
                  for i, nt in enumerate(d.notes, 1) if nt.node)
    return ArchitectureView(
        name=d.name,
        title=d.title,
        caption=caption(d),
        direction=d.direction,
        clusters=tuple(cluster(g.id) for g in d.groups if g.id not in nested),
        nodes=tuple(vnodes[n.id] for n in d.nodes if n.id not in grouped),
        edges=_merged_edges(d, key),
        notes=notes,
        key=tuple(key_entry(s.number, s.label, 48, max(len(str(t.number)) for t in d.steps)) for s in d.steps)
        if key else (),
    )


def _merged_edges(d: Diagram, key: bool = False) -> tuple[VEdge, ...]:
    """One edge per (source, target, style): parallel steps share it, each keeping its number.

    Drawing five arrows between the same two boxes adds ink, not information; the
    merged label lists every step on its own line (``6. ...`` / ``9. ...``), so the
    numbers still match the sequence view.
    """
    merged: dict[tuple, list] = {}
    for s in d.steps:
        merged.setdefault((s.source, s.target, s.kind in DASHED_KINDS), []).append(s)
    back = back_edges(list(merged))
    back |= late_edges(list(merged), back)
    return tuple(
        VEdge(group[0].number, src, dst,
              ", ".join(str(s.number) for s in group) if key
              else "\n".join(numbered(s.number, edge_text(s.label)) for s in group),
              group[0].kind, dashed, i in back)
        for i, ((src, dst, dashed), group) in enumerate(merged.items())
    )


def back_edges(edges: list[tuple]) -> frozenset[int]:
    """Indices of the edges that close a cycle when the flow is walked in step order.

    A layered layout must point some edge of every cycle against its direction, and an
    engine left to choose picks by declaration order: PlantUML drew LabLink's network
    flow with the client VM's SSH edge (7) as the one going down and three reports
    running back up through their own labels. Walking depth-first from each step's
    source in step order keeps the story flowing down: a request goes down, and the
    reply or the call back to a node still on the walk goes up.

    >>> back_edges([("user", "api"), ("api", "db"), ("db", "api"), ("api", "user")])
    frozenset({2, 3})
    >>> back_edges([("a", "b"), ("b", "c"), ("a", "c")])  # no cycle, nothing reversed
    frozenset()
    >>> back_edges([("a", "a")])  # a self-loop has no direction to keep
    frozenset()
    """
    out: dict[str, list[tuple[int, str]]] = {}
    for i, (src, dst, *_) in enumerate(edges):
        out.setdefault(src, []).append((i, dst))
    state: dict[str, str] = {}
    back: set[int] = set()
    for root, *_ in edges:
        if root in state:
            continue
        state[root] = "open"
        stack = [(root, iter(out.get(root, ())))]
        while stack:  # iterative: a long chain of steps must not hit the recursion limit
            node, todo = stack[-1]
            for i, dst in todo:
                if dst == node:
                    continue
                if state.get(dst) == "open":
                    back.add(i)
                elif dst not in state:
                    state[dst] = "open"
                    stack.append((dst, iter(out.get(dst, ()))))
                    break
            else:
                state[node] = "done"
                stack.pop()
    return frozenset(back)


def late_edges(edges: list[tuple], back: frozenset[int] = frozenset()) -> frozenset[int]:
    """Indices of the edges into a node that the steps reached earlier from nearer the start.

    A layered layout puts a node one layer past the deepest of its sources, so one late
    edge drags its target, and all that follows it, down the figure. CI/CD's "10. installed
    by prod builds" (PyPI -> image build) pushed the image workflow two layers past where
    the maintainer's step 3 put it: the DOT figure grew 23 inches wide and printed its
    14 pt text at 4.2 pt, 6.6 pt once the edge is ranked against the flow. A node's depth
    is set by the first step that reaches it, in step order; the edges in ``back`` (see
    back_edges) are left out, since they already point up.

    >>> late_edges([("m", "build"), ("m", "publish"), ("publish", "pypi"), ("pypi", "build")])
    frozenset({3})
    >>> late_edges([("a", "b"), ("b", "c"), ("a", "c")])  # c reached first from b: the flow holds
    frozenset()
    >>> late_edges([("a", "b"), ("b", "c"), ("c", "b")], back=frozenset({2}))
    frozenset()
    """
    depth: dict[str, int] = {}
    for i, (src, dst, *_) in enumerate(edges):
        if i not in back:
            depth.setdefault(src, 0)
            depth.setdefault(dst, depth[src] + 1)
    return frozenset(i for i, (src, dst, *_) in enumerate(edges)
                     if i not in back and depth[dst] < depth[src])
