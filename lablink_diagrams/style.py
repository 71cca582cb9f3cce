"""Colour by role, the same in every backend: one palette, looked up by the templates.

Roles come from the views (``views.common.role``): external systems are grey,
the API's public and authenticated endpoints have their own colours, data
stores are violet.  Colours are light fills with dark text so figures print
in greyscale too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Colors:
    fill: str
    stroke: str
    text: str = "#1a1a1a"


ROLE_COLORS = {
    "component": Colors("#e8f1fb", "#3a6ea5"),
    "actor": Colors("#fff4e0", "#b26a00"),
    "data": Colors("#f1ecf9", "#6a4c93"),  # violet: never confused with "public" green
    "public": Colors("#e3f6e8", "#2e7d32"),
    "authenticated": Colors("#fde8e8", "#b3261e"),
    "external": Colors("#eeeeee", "#8a8a8a", "#555555"),
}
CLUSTER_COLORS = {
    "external": Colors("#f5f5f5", "#9e9e9e", "#555555"),
    "cloud": Colors("#fffaf0", "#c77700"),
    "host": Colors("#f7f9fc", "#5b7fa6"),
    "vm": Colors("#f7f9fc", "#5b7fa6"),
    "container": Colors("#ffffff", "#7a93b0"),
    "repo": Colors("#fafafa", "#6e6e6e"),
}
DEFAULT_CLUSTER = Colors("#fbfbfb", "#9aa7b5")
# Condensed: DejaVu's large x-height at about 90 % of its width. Figures are
# width-bound, so narrower text prints larger in a 7-inch column (best backend per
# view: median 5.3 -> 5.6 pt, 2 -> 7 of 16 views at >= 6 pt).  fonts-dejavu-extra.
FONT = "DejaVu Sans Condensed"
LEADING = 1.2  # ems from one baseline to the next in DOT labels and table headers (dot sets them tighter)


def cluster_colors(kind: str) -> Colors:
    return CLUSTER_COLORS.get(kind, DEFAULT_CLUSTER)
