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


def schema_view(d: Diagram) -> SchemaView:
    return SchemaView(
        d.name, d.title, caption(d), d.direction,
        tuple(Entity(n.id, n.label, n.kind, role(n), n.fields) for n in d.nodes),
        tuple(Relation(s.number, s.source, s.target, numbered(s.number, wrap(s.label, 26)), s.multiplicity)
              for s in d.steps),
        tuple(SchemaNote(f"note{i}", wrap_balanced(nt.text, 36), nt.node) for i, nt in enumerate(d.notes, 1)),
    )
