"""Item answers over administrations as an SVG heat map, and the same answers as a table.

:mod:`.heatmap_layout` computes where everything goes; the templates in ``measures/charts/`` print it,
escaping every label.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from . import palette
from .heatmap_layout import LABEL_CHARS, _names, empty_layout, heatmap_layout
from .svg import element_id, language
from .types import ItemGrid
from .words import long_date, number

__all__ = ["LABEL_CHARS", "item_heatmap", "item_heatmap_table"]


def item_heatmap(grid: ItemGrid, *, width: int = 640, lang: str | None = None) -> SafeString:
    """Return an SVG heat map of item answers: a row per item, a column per administration, a tooltip per cell.

    Each cell also shows its answer as a number when there is room, so colour is never the only cue; cells of
    items that were not asked are hatched and say so.
    """
    with language(lang):
        ids = element_id("items", grid.instrument, (grid, width))
        if not grid.dates or not grid.item_labels:
            context = {"c": empty_layout(grid, width, ids), "palette": palette, "scales": False}
            return render_to_string(
                "measures/charts/message.svg", {**context, "classes": "measure-heatmap measure-chart-empty"}
            )
        return render_to_string(
            "measures/charts/heatmap.svg", {"c": heatmap_layout(grid, width, ids), "palette": palette}
        )


def item_heatmap_table(grid: ItemGrid, *, lang: str | None = None) -> SafeString:
    """Return the item answers as a table for screen readers: a row per item, a column per administration."""
    with language(lang):
        return render_to_string("measures/charts/heatmap_table.html", {"t": _table(grid)})


@dataclass(frozen=True)
class _Day:
    iso: str
    label: str


@dataclass(frozen=True)
class _Row:
    name: str
    answers: list[str | None]  # None where the item was not asked


@dataclass(frozen=True)
class _Table:
    instrument: str
    caption: str
    item: str
    dates: list[_Day]
    rows: list[_Row]
    not_asked: str
    empty: str


def _table(grid: ItemGrid) -> _Table:
    def answer(row: int, column: int, value: int | None) -> str | None:
        if value is None:
            return None
        if (row, column) in grid.critical_cells:
            return gettext("%(value)s (critical answer)") % {"value": number(value)}
        return number(value)

    rows = [
        _Row(name, [answer(row, column, value) for column, value in enumerate(values)])
        for row, (name, values) in enumerate(zip(_names(grid), grid.values, strict=True))
    ]
    return _Table(
        grid.instrument,
        gettext("%(instrument)s: answers by item") % {"instrument": grid.instrument},
        gettext("Item"),
        [_Day(day.isoformat(), long_date(day)) for day in grid.dates],
        rows if grid.dates else [],
        gettext("not asked"),
        gettext("No answers yet."),
    )
