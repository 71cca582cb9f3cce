"""Sequence view: people first, then participants by group and first appearance; messages in step order.

The traversal is flattened into a list of items (message, fragment open /
section / close, note) so a backend template is a plain loop with no ordering
logic of its own; activations are paired here from ``blocking`` + ``reply_to``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Diagram, Group
from .common import caption, numbered, role, wrap


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
NAME_WIDTH = 14  # characters per line of a lifeline's name
NAME_LINES = 5  # lines a lifeline's head holds (Mermaid's actor box is sized for this many)
BOX_WIDTH = 16  # characters per line of a box title, per lifeline in the box


def sequence_view(d: Diagram, message_width: int | None | str = "auto") -> SequenceView:
    """``message_width``: characters per message line between neighbouring lifelines;
    a message spanning k gaps may use k times as many (up to 3x), because the
    lifelines it crosses give it room. Short lines let lifelines stand close, so
    the figure fits a paper column; a sequence with many steps per lifeline is
    too tall for the page instead, so it gets longer lines, trading width for
    height ("auto"). None: no wrapping."""
    first_seen: list[str] = []
    for s in d.steps:
        for end in (s.source, s.target):
            if end not in first_seen:
                first_seen.append(end)

    # Boxes: the innermost group, ordered by the first appearance of any member.
    boxes: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    parents: dict[str, Group] = {}
    for nid in first_seen:
        path = d.group_path(nid)
        key = path[-1].id if path else f"~{nid}"
        titles[key] = path[-1].title if path else ""  # the innermost group: a path is too wide for a column
        if len(path) >= 2:
            parents[key] = path[-2]
        boxes.setdefault(key, []).append(nid)
    for key, members in boxes.items():
        # a box around one lifeline that already bears the group's name says it twice and,
        # as wide as its title, pushes the lifelines apart (as narrow as the lifeline, its
        # borders cut through the lifeline's self-messages)
        if len(members) == 1 and d.node(members[0]).label == titles[key]:
            titles[key] = ""
    for key, parent in parents.items():
        # boxes cannot nest: a box whose parent group has a box of its own names it (briefly:
        # that box shows the full title), so "client container" beside "Client VM" does not
        # read as outside the VM
        if parent.id in boxes and titles[key]:  # a box still drawn
            titles[key] = f"{brief_title(parent.title)}\n› {titles[key]}"
    vbox = tuple(
        Box(wrap(titles[k], BOX_WIDTH * len(members)),
            tuple(Participant(n, participant_name(d.node(n).label), d.node(n).kind, role(d.node(n))) for n in members))
        for k, members in boxes.items()
    )
    # People read the story left to right: boxes holding only people come first.
    vbox = tuple(sorted(vbox, key=lambda b: not all(p.kind in ("person", "browser") for p in b.participants)))

    column = {p.id: i for i, p in enumerate(q for b in vbox for q in b.participants)}
    if message_width == "auto":
        message_width = TALL_MESSAGE_WIDTH if len(d.steps) > TALL * len(column) else MESSAGE_WIDTH

    # A request answered in several alt branches is deactivated once, by its last reply.
    last_reply = {s.reply_to: s.number for s in d.steps if s.reply_to is not None}
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
        opens.setdefault(f.first, []).append(FragmentOpen(f.kind, f.sections[0].label))
        for sec in f.sections[1:]:
            sections[sec.first] = (f.kind, sec.label)
        closes.setdefault(f.last, []).insert(0, FragmentClose(f.kind))

    items: list = []
    noted: set[str] = set()
    for s in d.steps:
        if s.number in sections:
            items.append(FragmentSection(*sections[s.number]))
        items.extend(opens.get(s.number, ()))
        items.append(Message(
            s.number, s.source, s.target,
            numbered(s.number, wrap(s.label, _width(s, column, message_width)) if message_width else s.label),
            _ARROWS.get(s.kind, "sync"),
            activate=s.blocking and s.number in last_reply,
            deactivate=s.reply_to is not None and d.step(s.reply_to).blocking and last_reply[s.reply_to] == s.number,
        ))
        for nid in (s.source, s.target):
            if nid not in noted:
                noted.add(nid)
                items.extend(NoteItem(wrap(nt.text, NOTE_WIDTH), (nid,)) for nt in node_notes.get(nid, ()))
        # "over A, B" left to right: PlantUML spreads the lifelines apart for a note over them right to left
        ends = tuple(sorted(dict.fromkeys((s.source, s.target)), key=column.__getitem__))
        items.extend(NoteItem(wrap(nt.text, NOTE_WIDTH * max(1, min(2, _span(s, column)))), ends)
                     for nt in step_notes.get(s.number, ()))
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


def participant_name(label: str) -> str:
    r"""A lifeline's name, NAME_WIDTH characters a line; a name that would need more
    than NAME_LINES lines gets longer ones, since a head box has a fixed height in Mermaid.

    >>> participant_name("Flask allocator")
    'Flask\nallocator'
    >>> participant_name("Client VM host\ncloud-init (curl) · CloudWatch agent\ninbound: SSH 22 only")
    'Client VM host\ncloud-init (curl)\n· CloudWatch agent\ninbound: SSH 22\nonly'
    """
    for width in range(NAME_WIDTH, 4 * NAME_WIDTH, 2):
        name = wrap(label, width)
        if name.count("\n") < NAME_LINES:
            return name
    return name


def _span(s, column: dict[str, int]) -> int:
    return abs(column[s.source] - column[s.target])


def _width(s, column: dict[str, int], base: int) -> int:
    return base * max(1, min(3, _span(s, column)))
