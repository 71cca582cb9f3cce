"""Size presets for paper, poster and slides: fonts in points, spacing in inches.

The numbers are the ones the paper's authors settled on (fact sheet §8): a
preset scales fonts *and* spacing together, so a poster is not just bigger text
crammed into a paper layout.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    title_pt: int
    node_pt: int
    edge_pt: int
    nodesep: float
    ranksep: float
    # The area a figure is printed in (inches): a PNG larger than this is drawn
    # smaller, so its DPI is the DPI on paper, not of a poster-sized canvas.
    print_width: float = 7.0
    print_height: float = 9.0

    # Mermaid and PlantUML size text in CSS pixels (1/96 in), Graphviz in points (1/72 in):
    # the same preset must give the same physical size in every backend.
    @property
    def title_px(self) -> int:
        return round(self.title_pt * 4 / 3)

    @property
    def node_px(self) -> int:
        return round(self.node_pt * 4 / 3)

    @property
    def edge_px(self) -> int:
        return round(self.edge_pt * 4 / 3)


PRESETS = {
    # full text width of a two-column paper, page height minus the caption
    "paper": Preset("paper", 32, 14, 14, 0.6, 0.8, 7.0, 9.0),
    # one column of a three-column A0 poster
    "poster": Preset("poster", 48, 20, 20, 0.9, 1.2, 10.0, 14.0),
    # a 16:9 slide (13.3 x 7.5 in) under its title
    "presentation": Preset("presentation", 40, 16, 16, 0.75, 1.0, 12.0, 6.0),
}
DEFAULT_PRESET = "paper"
