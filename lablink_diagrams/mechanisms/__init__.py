"""LabLink's mechanisms, one module each; a module only builds a ``Diagram``.

Every module exposes ``build() -> Diagram``.  The registry below is the one
list of names the CLI, the docs and the renderers select from, in the order the
paper presents them.  Shared conventions (baseline, repo names, ref grammar)
live in ``_common``.
"""

from __future__ import annotations

import importlib
from functools import cache

from ..model import Diagram

NAMES = (
    "main",
    "vm-provisioning",
    "crd-connection",
    "logging-pipeline",
    "cicd-workflow",
    "api-architecture",
    "network-flow-enhanced",
    "monitoring",
    "data-collection",
    "database-schema",
)


class UnknownDiagram(KeyError):
    def __str__(self) -> str:
        return f"unknown diagram {self.args[0]!r} (choose from: {', '.join(NAMES)})"


@cache
def load(name: str) -> Diagram:
    """Build the named diagram once per process (models are immutable)."""
    if name not in NAMES:
        raise UnknownDiagram(name)
    module = importlib.import_module(f"{__name__}.{name.replace('-', '_')}")
    diagram = module.build()
    if diagram.name != name:
        raise RuntimeError(f"mechanism module for {name!r} built {diagram.name!r}")
    return diagram


def select(names=(), *, all_=False, essential=False, supplementary=False) -> list[Diagram]:
    """The spec's selection: explicit names, or --all / --all-essential / --all-supplementary."""
    chosen: list[str] = []
    if all_:
        chosen = list(NAMES)
    else:
        for name in NAMES:
            if (essential or supplementary) and name not in chosen:
                prio = load(name).priority
                if (essential and prio == "essential") or (supplementary and prio == "supplementary"):
                    chosen.append(name)
        for name in names:
            if name not in NAMES:
                raise UnknownDiagram(name)
            if name not in chosen:
                chosen.append(name)
    return [load(n) for n in chosen]
