"""Back edges laid out against the flow in Mermaid, as DOT (dir=back) and PlantUML (<--) do.

views.architecture.back_edges picks the edges that close a cycle (a reply, a call back up);
dagre and ELK, left to choose, pointed other edges against the flow and sent these the long
way round: vm-provisioning's "11. dashboard.html" left the allocator frame at its foot and
climbed back past it to the admin above (review 63). Mermaid has no arrowhead at the start
alone, so the `.mmd` writes a back edge forwards under a `%% back` comment, for GitHub; for
the layout it may be written ``target <--> source``, and the worker then takes the arrowhead
off the source end. Only where one runs the long way round as written (the worker's DETOUR),
and not for a figure that prints much smaller for it (FLIP_COST): written so everywhere,
crd-connection's clean chain became two columns with two labels over each other.
"""
from __future__ import annotations

import re

# the edge as templates/mermaid/architecture.j2 writes it, under its comment
_BACK = re.compile(r'^  %% back\n  (n_\w+) (-->|-\.->)(\|"[^\n]*"\|) (n_\w+)$', re.M)


def flip(source: str) -> str:
    """Every back edge written target first, with arrowheads at both ends (the worker keeps
    the target's); lines that are not exactly the template's edge form stay as they are.

    >>> print(flip('flowchart TB\\n  %% back\\n  n_api -.->|"2. reply"| n_user\\n  n_user -->|"1. ask"| n_api\\n'), end="")
    flowchart TB
      n_user <-.->|"2. reply"| n_api
      n_user -->|"1. ask"| n_api
    >>> flip('  %% back\\n  n_a -->|"x"| n_b\\n')
    '  n_b <-->|"x"| n_a\\n'
    >>> flip('  %% back\\n  click n_a call x()\\n')  # not an edge: left alone (and Mermaid's strict mode)
    '  %% back\\n  click n_a call x()\\n'
    """
    return _BACK.sub(lambda m: f"  {m[4]} <{m[2]}{m[3]} {m[1]}", source)


def pairs(source: str) -> list[list[str]]:
    """[source, target] of every back edge as written, for the worker to find its path.

    >>> pairs('  %% back\\n  n_api -.->|"2. reply"| n_user\\n  n_user -->|"1. ask"| n_api\\n')
    [['n_api', 'n_user']]
    """
    return [[m[1], m[4]] for m in _BACK.finditer(source)]
