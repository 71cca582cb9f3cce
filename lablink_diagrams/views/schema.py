"""Schema view: tables with their columns, and the objects (trigger, function, channel) wired to them."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Diagram, Field
from .common import caption, numbered, role, wrap, wrap_balanced


@dataclass(frozen=True)
class Entity:
    id: str
    label: str
    kind: str
    role: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Relation:
    number: int
    source: str
    target: str
    label: str
    ends: tuple[str, ...] = ()  # UML multiplicities (source end, target end), or () if the model is silent


@dataclass(frozen=True)
class SchemaNote:
    id: str
    text: str
    node: str | None  # None: a note on a relation (step), drawn free-standing


@dataclass(frozen=True)
class SchemaView:
    kind = "schema"
    name: str
    title: str
    caption: str
    direction: str
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    notes: tuple[SchemaNote, ...]


# characters per note line: the database schema's four notes stand side by side above the
# table, and at 36 they made the figure 1.5 times as wide as the table (6.8 -> 8.2 pt in
# PlantUML, 6.4 -> 6.8 in DOT; at 24, "called." and "writes them." stood alone on a line)
NOTE_WIDTH = 28


def schema_view(d: Diagram) -> SchemaView:
    return SchemaView(
        d.name, d.title, caption(d), d.direction,
        tuple(Entity(n.id, n.label, n.kind, role(n), n.fields) for n in d.nodes),
        tuple(Relation(s.number, s.source, s.target, numbered(s.number, wrap(s.label, 26)), s.multiplicity)
              for s in d.steps),
        tuple(SchemaNote(f"note{i}", wrap_balanced(nt.text, NOTE_WIDTH), nt.node) for i, nt in enumerate(d.notes, 1)),
    )
