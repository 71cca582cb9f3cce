"""Sequence view: people first, then participants by group and first appearance; messages in step order.

The traversal is flattened into a list of items (message, fragment open /
section / close, note) so a backend template is a plain loop with no ordering
logic of its own; activations are paired here from ``blocking`` + ``reply_to``.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from ..model import PEOPLE, Diagram, Group
from .common import breaks_a_word, caption, numbered, role, wrap, wrap_balanced


@dataclass(frozen=True)
class Participant:
    id: str
    label: str
    kind: str
    role: str


@dataclass(frozen=True)
class Box:
    title: str  # "" for participants outside any group
    participants: tuple[Participant, ...]


@dataclass(frozen=True)
class Message:
    number: int
    source: str
    target: str
    label: str
    arrow: str  # "sync" | "reply" | "async"
    activate: bool  # activate the target after this message
    deactivate: bool  # deactivate the source (a reply ends its activation)


@dataclass(frozen=True)
class FragmentOpen:
    kind: str
    label: str


@dataclass(frozen=True)
class FragmentSection:
    kind: str  # the enclosing fragment's kind ("par" -> "and"/"else", "alt" -> "else")
    label: str


@dataclass(frozen=True)
class FragmentClose:
    kind: str


@dataclass(frozen=True)
class NoteItem:
    text: str
    over: tuple[str, ...]
    beside: bool = False  # right of its one lifeline, not over it: its activation bar stays in sight


@dataclass(frozen=True)
class SequenceView:
    kind = "sequence"
    name: str
    title: str
    caption: str
    boxes: tuple[Box, ...]
    items: tuple

    @property
    def participants(self) -> tuple[Participant, ...]:
        return tuple(p for b in self.boxes for p in b.participants)


_ARROWS = {"response": "reply", "notify": "async", "async": "async"}


MESSAGE_WIDTH = 16  # characters per line of a message between neighbouring lifelines
TALL_MESSAGE_WIDTH = 24  # the same for a sequence taller than the 7 x 9 in page is shaped
TALL = 2.4  # steps per lifeline above which a sequence is that tall (measured: vm-provisioning 3.75, monitoring 2.4)
NOTE_WIDTH = 24
TALL_NOTE_WIDTH = 36  # a tall sequence is height-bound: fewer, longer note lines (vm-provisioning 4.2 -> 4.5 pt)
NOTE_LINES = 7  # lines a note over one lifeline may take before it gets a step note's double width
# lines a message takes at most: a longer one gets longer lines, and the PlantUML renderer
# widens a gap rather than rewrap a text into more (review 93: five-line messages in
# one-inch gaps beside empty columns)
MESSAGE_LINES = 3
NAME_WIDTH = 14  # characters per line of a lifeline's name
TALL_NAME_WIDTH = 20  # ... at most, in a tall sequence, to keep a word of it whole
NAME_LINES = 5  # lines a lifeline's head holds (Mermaid's actor box is sized for this many)
BOX_WIDTH = 16  # characters per line of a box title, per lifeline in the box


def _nesting_requests(d: Diagram, last_reply: dict[int, int]) -> set[int]:
    """The blocking requests whose activation bars are drawn: on each lifeline, the largest
    set whose spans (request to last reply) nest or follow one another.

    Mermaid and PlantUML stack a lifeline's bars and a reply ends the newest. Where one
    lifeline holds several units (compact.fit_lifelines), spans can cross: in
    crd-connection the allocator's lane takes the long poll (1, answered at 13), its
    listener (2, at 12) and the user's request (6, at 14), and step 12 closed the bar that
    step 6 opened. Crossing spans get no bar rather than a wrong one.

    >>> from lablink_diagrams.model import Node, Step
    >>> steps = [Step(1, "c", "a", "1", blocking=True), Step(2, "a", "a", "2", blocking=True),
    ...          Step(3, "u", "a", "3", blocking=True), Step(4, "a", "a", "4", "response", reply_to=2),
    ...          Step(5, "a", "c", "5", "response", reply_to=1), Step(6, "a", "u", "6", "response", reply_to=3)]
    >>> nodes = tuple(Node(n, n) for n in "acu")
    >>> sorted(_nesting_requests(Diagram("x", "x", nodes=nodes, steps=tuple(steps)), {2: 4, 1: 5, 3: 6}))
    [1, 2]
    """
    spans: dict[str, list[tuple[int, int]]] = {}
    for s in d.steps:
        end = last_reply.get(s.number)
        if s.blocking and end is not None and d.step(end).source == s.target:
            spans.setdefault(s.target, []).append((s.number, end))
    keep: set[int] = set()
    for lane_spans in spans.values():
        keep.update(r for r, _ in _largest_laminar(lane_spans))
    return keep


def _crosses(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[0] < a[1] < b[1] or b[0] < a[0] < b[1] < a[1]


def _largest_laminar(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The most spans of which no two cross; among equals, the earliest requests. Exact up
    to 12 spans on one lifeline (LabLink's most is 3), greedy in step order beyond."""
    if len(spans) > 12:
        kept: list[tuple[int, int]] = []
        for span in spans:
            if not any(_crosses(span, k) for k in kept):
                kept.append(span)
        return kept
    for size in range(len(spans), 0, -1):
        for combo in itertools.combinations(spans, size):
            if all(not _crosses(a, b) for a, b in itertools.combinations(combo, 2)):
                return list(combo)
    return []


def sequence_view(d: Diagram, message_width: int | None | str = "auto") -> SequenceView:
    """``message_width``: characters per message line between neighbouring lifelines;
    a message spanning k gaps may use k times as many (up to 3x), because the
    lifelines it crosses give it room. Short lines let lifelines stand close, so
    the figure fits a paper column; a sequence with many steps per lifeline is
    too tall for the page instead, so it gets longer lines, trading width for
    height ("auto"). None: no wrapping."""
    first_seen = d.lifeline_order()

    # Boxes: the innermost group, ordered by the first appearance of any member, the boxes
    # of one outermost group side by side (a "Client VM › client container" box two boxes
    # away from "Client VM" read as a second VM).
    boxes: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    parents: dict[str, Group] = {}
    top_of: dict[str, str] = {}  # box -> its outermost group
    for nid in first_seen:
        path = d.group_path(nid)
        key = path[-1].id if path else f"~{nid}"
        # the innermost group (a path is too wide for a column), on one line: its box wraps
        # it to the lifelines under it, where a line break set for a frame does not belong
        titles[key] = " ".join(path[-1].title.split()) if path else ""
        if len(path) >= 2:
            parents[key] = path[-2]
        top_of.setdefault(key, path[0].id if path else key)
        boxes.setdefault(key, []).append(nid)
    top_rank: dict[str, int] = {}
    for key in boxes:
        top_rank.setdefault(top_of[key], len(top_rank))
    seen = {key: i for i, key in enumerate(boxes)}
    boxes = dict(sorted(boxes.items(), key=lambda kv: (top_rank[top_of[kv[0]]], seen[kv[0]])))
    for key, members in boxes.items():
        # a box around one lifeline that already bears the group's name says it twice and,
        # as wide as its title, pushes the lifelines apart (as narrow as the lifeline, its
        # borders cut through the lifeline's self-messages)
        if len(members) == 1 and " ".join(d.node(members[0]).label.split()) == titles[key]:
            titles[key] = ""
    for key, parent in parents.items():
        # boxes cannot nest: a box whose parent group has a box of its own names it (briefly:
        # that box shows the full title), so "client container" beside "Client VM" does not
        # read as outside the VM
        if parent.id in boxes and titles[key]:  # a box still drawn
            # "›" ends the first line (glued to the name), so "client container" stays whole (review 85)
            titles[key] = f"{brief_title(parent.title)} ›\n{titles[key]}"
        elif parent.id in boxes and titles.get(parent.id):
            # a lone lifeline left unboxed joins its parent's box: beside it, "client container"
            # read as outside the VM (review, round 13)
            boxes[parent.id] += boxes.pop(key)
    tall = len(d.steps) > TALL * len(first_seen)
    vbox = tuple(
        Box(wrap(titles[k], BOX_WIDTH * len(members)),
            tuple(Participant(n, participant_name(d.node(n).label, tall), d.node(n).kind, role(d.node(n))) for n in members))
        for k, members in boxes.items()
    )
    # People read the story left to right: boxes holding only people come first.
    vbox = tuple(sorted(vbox, key=lambda b: not all(p.kind in PEOPLE for p in b.participants)))

    order = [q.id for b in vbox for q in b.participants]
    column = {pid: i for i, pid in enumerate(order)}
    box_of = {p.id: i for i, b in enumerate(vbox) if b.title for p in b.participants}  # drawn boxes only
    if message_width == "auto":
        message_width = TALL_MESSAGE_WIDTH if tall else MESSAGE_WIDTH
    note_width = TALL_NOTE_WIDTH if tall else NOTE_WIDTH

    # A request answered in several alt branches is deactivated once, by its last reply.
    last_reply = {s.reply_to: s.number for s in d.steps if s.reply_to is not None}
    barred = _nesting_requests(d, last_reply)
    step_notes: dict[int, list] = {}
    for nt in d.notes:
        if nt.step is not None:
            step_notes.setdefault(nt.step, []).append(nt)
    node_notes: dict[str, list] = {}
    for nt in d.notes:
        if nt.node is not None:
            node_notes.setdefault(nt.node, []).append(nt)

    opens: dict[int, list] = {}
    sections: dict[int, tuple[str, str]] = {}
    closes: dict[int, list] = {}
    for f in sorted(d.fragments, key=lambda f: (f.first, -f.last)):
        room = _guard_width(d, f, column, message_width)
        opens.setdefault(f.first, []).append(FragmentOpen(f.kind, _guard(f.sections[0].label, room)))
        for sec in f.sections[1:]:
            sections[sec.first] = (f.kind, _guard(sec.label, room))
        closes.setdefault(f.last, []).insert(0, FragmentClose(f.kind))

    items: list = []
    noted: set[str] = set()
    bars: Counter = Counter()  # activation bars open on each lifeline
    for s in d.steps:
        if s.number in sections:
            items.append(FragmentSection(*sections[s.number]))
        items.extend(opens.get(s.number, ()))
        items.append(Message(
            s.number, s.source, s.target,
            numbered(s.number, _message_lines(message_text(s.label), _width(s, column, message_width)) if message_width else s.label),
            _ARROWS.get(s.kind, "sync"),
            activate=s.number in barred,
            deactivate=s.reply_to in barred and last_reply[s.reply_to] == s.number,
        ))
        bars[s.target] += items[-1].activate
        bars[s.source] -= items[-1].deactivate
        for nid in (s.source, s.target):
            if nid not in noted:
                noted.add(nid)
                items.extend(NoteItem(wrap_balanced(nt.text, note_width), (nid,), beside=bars[nid] > 0)
                             for nt in node_notes.get(nid, ()))
        # "over A, B" left to right: PlantUML spreads the lifelines apart for a note over them right to left
        ends = tuple(sorted(dict.fromkeys((s.source, s.target)), key=column.__getitem__))
        if len({box_of.get(p) for p in order[column[ends[0]]:column[ends[-1]] + 1]}) > 1:
            # across two boxes (or a box and the page) a note covers both sides and the gap
            # (review 81: "straddles two group borders"): it goes over the step's source, whose
            # act a step note explains (over the larger box, crd's "Started by the container's
            # start.sh" stood on the allocator, vm-provisioning's "Sent as soon as docker run
            # returns" on the API that receives it)
            ends = (s.source,)
        for nt in step_notes.get(s.number, ()):
            width = note_width * max(1, min(2, _span(s, column)))
            if len(ends) == 1 and wrap_balanced(nt.text, note_width).count("\n") < NOTE_LINES:
                width = note_width  # over one lifeline: as narrow as its lines allow
            if len(ends) > 1 and bars[ends[0]] > 0:
                # over two lifelines, the first with its bar open: the note starts right of that
                # bar, as wide, rather than over it (review 105: vm-provisioning's "AWS credentials")
                ends = ends[:1]
            items.append(NoteItem(wrap_balanced(nt.text, width), ends, beside=len(ends) == 1 and bars[ends[0]] > 0))
        items.extend(closes.get(s.number, ()))
    return SequenceView(d.name, d.title, caption(d), vbox, tuple(items))


def brief_title(title: str) -> str:
    """A group's name without its asides, for a box that names its parent.

    >>> brief_title("Client VM (× N, created by Terraform)")
    'Client VM'
    >>> brief_title("(only an aside)")
    '(only an aside)'
    """
    return re.sub(r"\s*\([^()]*\)", "", title).strip() or title


def participant_name(label: str, tall: bool = False) -> str:
    r"""A lifeline's name, NAME_WIDTH characters a line; a name that would need more
    than NAME_LINES lines gets longer ones, since a head box has a fixed height in Mermaid.
    In a tall sequence (height-bound on the page, so its width is free) a name that would
    break a word (a path, an identifier) gets lines up to TALL_NAME_WIDTH long instead,
    where that keeps every word whole (review 75: "instance-logs. / html").

    >>> participant_name("Flask allocator")
    'Flask\nallocator'
    >>> participant_name("Client VM host\ncloud-init (curl) · CloudWatch agent\ninbound: SSH 22 only")
    'Client VM host\ncloud-init (curl) ·\nCloudWatch agent\ninbound: SSH 22 only'
    >>> participant_name("Admin browser\n/admin/instances →\ninstance-logs.html")
    'Admin browser\n/admin/\ninstances →\ninstance-logs.\nhtml'
    >>> participant_name("Admin browser\n/admin/instances →\ninstance-logs.html", tall=True)
    'Admin browser\n/admin/instances →\ninstance-logs.html'
    """
    for width in range(NAME_WIDTH, 4 * NAME_WIDTH, 2):
        name = wrap(label, width)
        if name.count("\n") < NAME_LINES:
            break
    if tall and breaks_a_word(label, width):
        for wider in range(width + 1, TALL_NAME_WIDTH + 1):
            if not breaks_a_word(label, wider) and wrap(label, wider).count("\n") < NAME_LINES:
                return wrap(label, wider)
    return name


def message_text(label: str) -> str:
    """A step's label with its line breaks as spaces: they shape it for an architecture
    figure's edge (network-flow's "SSH 22, / key from / Terraform"); a message between
    lifelines is wrapped to the room between them.

    >>> message_text("SSH 22,\\nkey from\\nTerraform")
    'SSH 22, key from Terraform'
    """
    return " ".join(label.split("\n"))


def _message_lines(text: str, width: int) -> str:
    """``text`` wrapped at ``width``, or wider until it takes at most MESSAGE_LINES lines:
    network-flow's 8 took five 16-character lines in the gap between two lifelines, in a
    figure printed at 6.2 pt (now three lines, at 6.5 pt with its guard wrapped).

    >>> print(_message_lines("Elastic IP + SG allow_http: HTTP(S) POST /api/vm-status, /api/vm-metrics", 16))
    Elastic IP + SG allow_http:
    HTTP(S) POST /api/vm-status,
    /api/vm-metrics
    """
    for w in range(width, 4 * width):
        wrapped = wrap_balanced(text, w)
        if wrapped.count("\n") < MESSAGE_LINES:
            return wrapped
    return wrap_balanced(text, width)


def _guard_width(d: Diagram, f, column: dict[str, int], base: int | None) -> int | None:
    """Characters a fragment's guard may take a line: ``base`` per lifeline its frame
    spans. A guard wider than its frame widens the frame, and PlantUML then pushes the next
    lifeline out by as much (network-flow's "[dns.enabled (else users type the IP)]"
    over the user and Route53 made the whole figure 12 % wider)."""
    if not base:
        return None
    cols = [column[n] for s in d.steps if f.first <= s.number <= f.last for n in (s.source, s.target)]
    return base * (max(cols) - min(cols) + 1) if cols else None


def _guard(label: str, width: int | None) -> str:
    return wrap_balanced(label, width) if width and len(label) > width else label


def _span(s, column: dict[str, int]) -> int:
    return abs(column[s.source] - column[s.target])


def _width(s, column: dict[str, int], base: int) -> int:
    """A message's line width: ``base`` per gap it spans, up to 3. A self-message on the last
    lifeline has nothing to its right: where ``base`` would break one of its words, it takes
    what keeps them whole, up to twice as much (review 83: logging part 1's "9.
    vm_exists(log_stream)" was cut after "log_" at the figure's right edge)."""
    if s.source == s.target and column[s.source] == max(column.values()):
        text = message_text(s.label)
        return next((w for w in range(base, 2 * base) if not breaks_a_word(text, w)), 2 * base)
    return base * max(1, min(3, _span(s, column)))
