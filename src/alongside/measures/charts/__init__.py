"""Server-rendered SVG charts of measures: pure functions of plain values, with no database access.

    score_chart(series)        a line chart with severity bands, cut-off, baseline and reliable-change markers
    score_table(series)        the same scores as an accessible table
    item_heatmap(grid)         item answers over administrations as a heat map
    item_heatmap_table(grid)   the same answers as a table

Each computes a layout of frozen dataclasses (score_layout.py, heatmap_layout.py: plain values, every number
already text) and renders it with a template in measures/templates/measures/charts/, which escapes every label.
The SVG carries presentation attributes only (no style attribute or element, for the CSP); measures/charts.css
restyles it for print. tests/measures/test_charts.py pins the markup of representative charts byte for byte.
"""

from .heatmap import item_heatmap, item_heatmap_table
from .score import score_chart, score_table
from .types import Band, Expected, ItemGrid, Point, Reliable, Series

__all__ = [
    "Band",
    "Expected",
    "ItemGrid",
    "Point",
    "Reliable",
    "Series",
    "item_heatmap",
    "item_heatmap_table",
    "score_chart",
    "score_table",
]
