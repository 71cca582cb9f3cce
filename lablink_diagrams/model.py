"""The backend-neutral diagram model: what a mechanism says, never how a backend draws it.

Everything is a frozen dataclass built from tuples, validated once in
``Diagram.__post_init__``, so a model that exists is a model every view and
backend can trust.  Order is data: nodes, groups and steps keep the order their
author gave (it steers layout), which makes output deterministic without
re-sorting anything the author meant.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

# Node kinds: a small fixed vocabulary that every backend maps to a shape.
NODE_KINDS = (
    "person", "browser", "service", "process", "database", "table", "function",
    "trigger", "storage", "queue", "cloud", "vm", "container", "file",
    "external", "workflow", "job", "page", "config",
)
GROUP_KINDS = ("boundary", "cloud", "host", "vm", "container", "repo", "cluster", "external")
STEP_KINDS = ("request", "response", "notify", "async", "subprocess", "sql", "write", "read", "trigger", "user")
FRAGMENT_KINDS = ("par", "loop", "alt", "opt")
# UML multiplicities of a relation's two ends (schema view): how many of each take part
MULTIPLICITIES = ("1", "0..1", "0..*", "1..*")
REPOS = ("lablink", "lablink-template")
REF_KINDS = (
    "python", "route", "sql", "terraform", "workflow", "shell", "html", "config", "file", "dockerfile",
)

_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class ModelError(ValueError):
    """A model that cannot be drawn; the message names the offending element."""


@dataclass(frozen=True, order=True)
class CodeRef:
    """A claim that something lives in LabLink's code: repo, path and symbol, never a line.

    ``kind`` says how the symbol is looked up (python, route, sql, terraform,
    workflow, shell, html, config, file, dockerfile); ``None`` means infer it from the path.
    """

    repo: str
    path: str
    symbol: str
    kind: str | None = None

    def __post_init__(self) -> None:
        if self.repo not in REPOS:
            raise ModelError(f"code ref {self.path!r}: unknown repo {self.repo!r} (one of {', '.join(REPOS)})")
        if not self.path or self.path.startswith("/") or ".." in self.path.split("/"):
            raise ModelError(f"code ref {self.path!r}: path must be relative to the repository root")
        if not self.symbol:
            raise ModelError(f"code ref {self.path!r}: empty symbol")
        if self.kind is not None and self.kind not in REF_KINDS:
            raise ModelError(f"code ref {self.path}:{self.symbol}: unknown kind {self.kind!r}")

    def __str__(self) -> str:
        return f"{self.path}:{self.symbol}"


@dataclass(frozen=True)
class Field:
    """A column of a table node (the schema view)."""

    name: str
    type: str
    constraint: str = ""
    description: str = ""


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    kind: str = "service"
    description: str = ""
    external: bool = False
    refs: tuple[CodeRef, ...] = ()
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Group:
    """A deployment boundary; holds nodes and further groups (nesting)."""

    id: str
    title: str
    kind: str = "boundary"
    nodes: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    description: str = ""
    refs: tuple[CodeRef, ...] = ()


@dataclass(frozen=True)
class Step:
    """One numbered interaction; the number is the same in every view."""

    number: int
    source: str
    target: str
    label: str
    kind: str = "request"
    protocol: str = ""
    payload: str = ""
    blocking: bool = False
    reply_to: int | None = None
    description: str = ""
    multiplicity: tuple[str, ...] = ()  # (source end, target end), e.g. ("0..*", "1"); () = not stated
    refs: tuple[CodeRef, ...] = ()


@dataclass(frozen=True)
class Section:
    """One branch of a fragment: steps ``first``..``last`` inclusive."""

    first: int
    last: int
    label: str = ""


@dataclass(frozen=True)
class Fragment:
    """par/loop/alt/opt around runs of steps; ``par`` and ``alt`` have several sections."""

    kind: str
    sections: tuple[Section, ...]

    @property
    def first(self) -> int:
        return self.sections[0].first

    @property
    def last(self) -> int:
        return self.sections[-1].last


@dataclass(frozen=True)
class Note:
    """Free text attached to a node or to a step (exactly one of the two)."""

    text: str
    node: str | None = None
    step: int | None = None


@dataclass(frozen=True)
class Diagram:
    name: str
    title: str
    description: str = ""
    priority: str = "supplementary"
    views: tuple[str, ...] = ("architecture",)
    direction: str = "LR"
    nodes: tuple[Node, ...] = ()
    groups: tuple[Group, ...] = ()
    steps: tuple[Step, ...] = ()
    fragments: tuple[Fragment, ...] = ()
    notes: tuple[Note, ...] = ()
    # The sequence view's lifeline order, where set; else lifeline_order() arranges it. A
    # part of a split sequence keeps the whole's, so columns do not move between parts
    # (review 83: crd part 2 had Client VM and the allocator reordered).
    lifelines: tuple[str, ...] = ()
    baseline: tuple[tuple[str, str], ...] = ()
    _index: dict = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        _validate(self)
        object.__setattr__(self, "_index", {n.id: n for n in self.nodes})

    # -- queries every view needs -------------------------------------------------
    def node(self, node_id: str) -> Node:
        return self._index[node_id]

    def lifeline_order(self) -> list[str]:
        """The nodes the steps join, in ``lifelines`` order where it names them, the rest
        after in order of first appearance. Without ``lifelines``, the outermost groups (and
        ungrouped nodes) are arranged whole in the order that costs the reader least
        (``_untangled``: lifelines and boxes crossed, groups out of first-appearance order),
        with no more requests drawn right to left than first appearance draws: crd's Google
        CRD stood right of the whole allocator, which its messages from the user and the
        client VM crossed (review 83). Groups of only people stay first, as the sequence
        view draws them."""
        seen: list[str] = []
        for s in self.steps:
            for end in (s.source, s.target):
                if end not in seen:
                    seen.append(end)
        if not self.lifelines:
            return _untangled(self, seen)
        given = [n for n in self.lifelines if n in seen]
        return given + [n for n in seen if n not in given]

    def step(self, number: int) -> Step:
        for s in self.steps:
            if s.number == number:
                return s
        raise KeyError(number)

    def group_of(self) -> dict[str, str]:
        """Map each grouped node id to the id of the group that holds it."""
        return {n: g.id for g in self.groups for n in g.nodes}

    def parent_of(self) -> dict[str, str]:
        """Map each nested group id to its parent group id."""
        return {child: g.id for g in self.groups for child in g.groups}

    def group_path(self, node_id: str) -> tuple[Group, ...]:
        """The groups around a node, outermost first."""
        by_id = {g.id: g for g in self.groups}
        owner, parent = self.group_of(), self.parent_of()
        path: list[Group] = []
        gid = owner.get(node_id)
        while gid is not None:
            path.append(by_id[gid])
            gid = parent.get(gid)
        return tuple(reversed(path))


PEOPLE = ("person", "browser")  # node kinds a sequence draws first: the story starts with them
MOST_UNITS = 7  # groups arranged by trying every order (5,040); more keep first appearance
BOX_SIDES = 2  # a group's box that a message crosses costs as much more as this many lifelines


def outermost_units(d: Diagram, seen: list[str]) -> tuple[dict[str, list[str]], list[str], list[str]]:
    """The lifelines ``seen`` by outermost group (an ungrouped one alone, keyed ``~id``), in
    first appearance: (units, the keys of units of only people, the other keys)."""
    units: dict[str, list[str]] = {}
    for n in seen:
        path = d.group_path(n)
        units.setdefault(path[0].id if path else f"~{n}", []).append(n)
    people = [k for k in units if all(d.node(n).kind in PEOPLE for n in units[k])]
    return units, people, [k for k in units if k not in people]


def _untangled(d: Diagram, seen: list[str]) -> list[str]:
    """``seen`` with its outermost groups in the order that costs the reader least
    (Diagram.lifeline_order): each lifeline a message crosses costs 1, each group's box it
    crosses 2 more (its two sides: crossing a box reads as entering it), and each pair of
    groups out of first-appearance order 1 (the reader meets the participants as the
    story reaches them). Blind review 86 preferred such orders in crd, network-flow's
    compact figure and vm-provisioning; where it preferred the old one (network-flow's
    default, vm-provisioning's parts), this cost keeps it."""
    units, people, rest = outermost_units(d, seen)
    keys = list(units)
    if not 2 <= len(rest) <= MOST_UNITS:
        return [n for k in people + rest for n in units[k]]
    # per pair of groups: messages between them, how far into each they reach, requests each way
    # (a cost is then a sum over pairs, not over steps: 5,040 orders of a long sequence stay quick)
    where = {n: (k, i) for k in keys for i, n in enumerate(units[k])}
    pairs: dict[tuple[str, str], list[int]] = {}
    for s in d.steps:
        (a, i), (b, j) = where[s.source], where[s.target]
        if a == b:
            continue
        ask = s.kind != "response"
        if keys.index(a) > keys.index(b):  # (left, right) as first appearance has them
            (a, i, b, j), back_way = (b, j, a, i), True
        else:
            back_way = False
        stats = pairs.setdefault((a, b), [0, 0, 0, 0])  # messages, reach (b's column minus a's), requests a->b, b->a
        stats[0] += 1
        stats[1] += j - i
        stats[3 if back_way else 2] += ask

    def cost(order) -> tuple[int, int]:
        """(lifelines and box sides crossed, requests drawn right to left)"""
        line = people + list(order)
        start, at, place, boxed = {}, 0, {}, [0]
        for p, k in enumerate(line):
            start[k], place[k], at = at, p, at + len(units[k])
            boxed.append(boxed[-1] + (not k.startswith("~")))
        crossed = back = 0
        for (a, b), (n, reach, a_to_b, b_to_a) in pairs.items():
            if place[a] < place[b]:
                span, lo, hi, back = n * (start[b] - start[a]) + reach, place[a], place[b], back + b_to_a
            else:
                span, lo, hi, back = n * (start[a] - start[b]) - reach, place[b], place[a], back + a_to_b
            crossed += span - n + BOX_SIDES * n * (boxed[hi] - boxed[lo + 1])
        return crossed, back

    # the story keeps its direction: no more requests right to left than first appearance draws
    first, back = cost(rest)
    best = (first, 0, tuple(rest))
    for order in itertools.permutations(rest):
        crossed, b = cost(order)
        if b <= back and crossed <= best[0]:  # else no number of moves makes it cheaper
            moved = sum(rest.index(x) > rest.index(y) for x, y in itertools.combinations(order, 2))
            best = min(best, (crossed + moved, moved, order))
    return [n for k in people + list(best[2]) for n in units[k]]


VIEWS = ("architecture", "sequence", "schema")
PRIORITIES = ("essential", "supplementary")


def _validate(d: Diagram) -> None:
    where = f"diagram {d.name!r}"
    if not _ID.match(d.name.replace("-", "_")):
        raise ModelError(f"{where}: name must be lower-case letters, digits, '-' or '_'")
    if not d.title.strip():
        raise ModelError(f"{where}: empty title")
    if d.priority not in PRIORITIES:
        raise ModelError(f"{where}: priority {d.priority!r} is not one of {', '.join(PRIORITIES)}")
    for v in d.views:
        if v not in VIEWS:
            raise ModelError(f"{where}: view {v!r} is not one of {', '.join(VIEWS)}")
    if d.direction not in ("LR", "TB"):
        raise ModelError(f"{where}: direction must be LR or TB")
    if not d.nodes:
        raise ModelError(f"{where}: a diagram needs at least one node")

    seen: set[str] = set()
    for kind, items in (("node", d.nodes), ("group", d.groups)):
        for item in items:
            if not _ID.match(item.id):
                raise ModelError(f"{kind} id {item.id!r}: ids are lower-case snake_case, at most 64 characters")
            if item.id in seen:
                raise ModelError(f"duplicate id {item.id!r}")
            seen.add(item.id)
    node_ids = {n.id for n in d.nodes}
    group_ids = {g.id for g in d.groups}
    for nid in d.lifelines:
        if nid not in node_ids:
            raise ModelError(f"lifelines: unknown node {nid!r}")
    if len(set(d.lifelines)) != len(d.lifelines):
        raise ModelError("lifelines: a node named twice")

    for n in d.nodes:
        if n.kind not in NODE_KINDS:
            raise ModelError(f"node {n.id!r}: kind {n.kind!r} is not one of {', '.join(NODE_KINDS)}")
        if not n.label.strip():
            raise ModelError(f"node {n.id!r}: empty label")

    owner: dict[str, str] = {}
    parent: dict[str, str] = {}
    for g in d.groups:
        if g.kind not in GROUP_KINDS:
            raise ModelError(f"group {g.id!r}: kind {g.kind!r} is not one of {', '.join(GROUP_KINDS)}")
        for nid in g.nodes:
            if nid not in node_ids:
                raise ModelError(f"group {g.id!r}: unknown node {nid!r}")
            if nid in owner:
                raise ModelError(f"node {nid!r} is in two groups: {owner[nid]!r} and {g.id!r}")
            owner[nid] = g.id
        for cid in g.groups:
            if cid not in group_ids:
                raise ModelError(f"group {g.id!r}: unknown child group {cid!r}")
            if cid in parent:
                raise ModelError(f"group {cid!r} is in two groups: {parent[cid]!r} and {g.id!r}")
            parent[cid] = g.id
    for g in d.groups:
        chain = [g.id]
        gid = parent.get(g.id)
        while gid is not None:
            if gid in chain:
                raise ModelError(f"group cycle: {' > '.join(chain + [gid])}")
            chain.append(gid)
            gid = parent.get(gid)

    numbers: list[int] = []
    for s in d.steps:
        at = f"step {s.number}"
        if numbers and s.number <= numbers[-1]:
            raise ModelError(f"{at}: step numbers must increase (follows step {numbers[-1]})")
        numbers.append(s.number)
        for end in (s.source, s.target):
            if end not in node_ids:
                raise ModelError(f"{at}: unknown node {end!r}")
        if s.kind not in STEP_KINDS:
            raise ModelError(f"{at}: kind {s.kind!r} is not one of {', '.join(STEP_KINDS)}")
        if not s.label.strip():
            raise ModelError(f"{at}: empty label")
        if s.multiplicity and (len(s.multiplicity) != 2 or not set(s.multiplicity) <= set(MULTIPLICITIES)):
            raise ModelError(f"{at}: multiplicity is two of {', '.join(MULTIPLICITIES)} (source end, target end)")
        if s.reply_to is not None:
            try:
                req = next(r for r in d.steps if r.number == s.reply_to)
            except StopIteration:
                raise ModelError(f"{at}: reply_to {s.reply_to} is not a step") from None
            if req.number >= s.number or (req.source, req.target) != (s.target, s.source):
                raise ModelError(f"{at}: reply_to {s.reply_to} must be an earlier step from {s.target!r} to {s.source!r}")
    number_set = set(numbers)

    spans: list[tuple[int, int, str]] = []
    for f in d.fragments:
        at = f"{f.kind} fragment"
        if f.kind not in FRAGMENT_KINDS:
            raise ModelError(f"fragment kind {f.kind!r} is not one of {', '.join(FRAGMENT_KINDS)}")
        if not f.sections:
            raise ModelError(f"{at}: no sections")
        if f.kind in ("loop", "opt") and len(f.sections) != 1:
            raise ModelError(f"{at}: has exactly one section")
        prev_last = None
        for sec in f.sections:
            if sec.first not in number_set or sec.last not in number_set or sec.first > sec.last:
                raise ModelError(f"{at} at steps {sec.first}-{sec.last}: not a run of existing steps")
            if prev_last is not None and numbers.index(sec.first) != numbers.index(prev_last) + 1:
                raise ModelError(f"{at} at steps {sec.first}-{sec.last}: sections must follow each other")
            prev_last = sec.last
        for a, b, kind in spans:
            inside = a <= f.first and f.last <= b
            outside = f.first <= a and b <= f.last
            apart = f.last < a or b < f.first
            if not (inside or outside or apart):
                raise ModelError(f"{at} at steps {f.first}-{f.last} overlaps {kind} at {a}-{b} without nesting")
        spans.append((f.first, f.last, f.kind))

    for nt in d.notes:
        if (nt.node is None) == (nt.step is None):
            raise ModelError(f"note {nt.text[:30]!r}: attach it to exactly one node or one step")
        if nt.node is not None and nt.node not in node_ids:
            raise ModelError(f"note {nt.text[:30]!r}: unknown node {nt.node!r}")
        if nt.step is not None and nt.step not in number_set:
            raise ModelError(f"note {nt.text[:30]!r}: unknown step {nt.step}")
